import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

const PLACE = 'Bibliothèque de Boigny-sur-Bionne';

/** A date `days` from today as people type it: JJ/MM/AAAA. */
function dateKeys(days: number): { iso: string; keys: string } {
  const iso = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-') as [string, string, string];
  return { iso, keys: `${d}/${m}/${y}` };
}

describe('editing a place and approving it, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  async function signedIn(email: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await openPage(viewport ? { viewport } : {});
    await signIn(page, email);
    return page;
  }

  it('a member proposes a summer closure with the keyboard; it is public at once; the coordinator approves it and it stays', async () => {
    const closure = { from: dateKeys(30), to: dateKeys(44) };
    const member = await signedIn('mediation.demo@example.org');
    await member.goto('/mes-lieux');
    const journey = keyboardOnly(member);
    await scanAxe(member, 'my places');
    await journey.tabTo(`Modifier la fiche de ${PLACE}`);
    await Promise.all([member.waitForNavigation(), journey.press('Enter')]);
    assert.match(new URL(member.url()).pathname, /^\/lieux\/[0-9a-f-]+\/modifier$/);
    await scanAxe(member, 'the edit form');
    await journey.tabTo((f) => f.id === 'fermeture-1-debut', 200);
    await journey.type(closure.from.keys);
    await journey.tabTo((f) => f.id === 'fermeture-1-fin');
    await journey.type(closure.to.keys);
    await journey.tabTo((f) => f.id === 'fermeture-1-motif');
    await journey.type('Congés d’été');
    await journey.tabTo('Envoyer pour validation', 200);
    await Promise.all([member.waitForNavigation(), journey.press('Enter')]);
    const pending = await member.textContent('main');
    assert.match(pending ?? '', /En attente de validation par la coordination/, pending ?? '');
    // A closure only reduces the offer: it is public at once, before the coordinator's decision.
    assert.match(pending ?? '', /La fermeture temporaire est publique dès maintenant/);
    assert.equal(await member.inputValue('#fermeture-1-motif'), 'Congés d’été');
    await scanAxe(member, 'the edit form with a pending proposal');
    const placePath = new URL(member.url()).pathname.replace(/\/modifier$/, '');
    const publicSheet = async () => {
      const visitor = await openPage();
      let text = '';
      // Public within the index's refresh delay (2 s).
      for (let i = 0; i < 20 && !/Fermé temporairement/.test(text); i++) {
        await visitor.goto(placePath);
        text = (await visitor.textContent('main')) ?? '';
        if (!/Fermé temporairement/.test(text)) await visitor.waitForTimeout(300);
      }
      assert.match(text, /Fermé temporairement du .* \(Congés d’été\)/);
      return visitor;
    };
    await publicSheet();

    const coordinator = await signedIn('coordination.demo@example.org');
    await coordinator.goto('/moderation');
    const review = keyboardOnly(coordinator);
    await scanAxe(coordinator, 'the moderation queue');
    await review.tabTo(new RegExp(`Examiner la modification de ${PLACE}`));
    await Promise.all([coordinator.waitForNavigation(), review.press('Enter')]);
    await scanAxe(coordinator, 'the review of a change');
    assert.match((await coordinator.textContent('main')) ?? '', /Fermé du/);
    await review.tabTo((f) => f.id === 'message');
    await review.type('Bonnes vacances !');
    await review.tabTo('Valider la modification');
    await Promise.all([coordinator.waitForNavigation(), review.press('Enter')]);
    assert.match((await coordinator.textContent('main')) ?? '', /La modification est validée/);
    await scanAxe(coordinator, 'the queue after a decision');

    // Approved, the closure stays public.
    const visitor = await publicSheet();
    await scanAxe(visitor, 'the public sheet with a closure');
  });

  it('shows mistakes with a summary and stays accessible, also 320 px wide', async () => {
    for (const viewport of [undefined, { width: 320, height: 800 }]) {
      const page = await signedIn('admin.demo@example.org', viewport);
      await page.goto('/mes-lieux');
      await Promise.all([page.waitForNavigation(), page.getByText(`Modifier la fiche de ${PLACE}`).click()]);
      await page.locator('#telephone').fill('12');
      await page.locator('#h-lundi-1-de').fill('14:00');
      await page.locator('#h-lundi-1-a').fill('09:00');
      const [response] = await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: 'Envoyer pour validation' }).click(),
      ]);
      assert.equal(response?.status(), 400);
      const focused = await page.evaluate(() => document.activeElement?.className);
      assert.equal(focused, 'error-summary', 'focus goes to the error summary');
      await scanAxe(page, `the edit form with errors${viewport ? ' at 320 px' : ''}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (viewport) assert.ok(width <= 320, `the edit form scrolls sideways at 320 px (${width})`);
    }
  });
});
