import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * "Être rappelé" in a browser, with the keyboard only, on a phone (390 × 844) and a desktop (1280 × 900):
 * from a demonstration place's page, the form (sent empty first: the errors), then filled in, the
 * reference; then a member of the place's structure signs in, finds the request from "Mon espace" and
 * records "Rappelé". Axe on every page (WCAG A/AA and the structure rules), no sideways scrolling.
 * SCREENSHOTS=<folder> keeps a picture of each page.
 */
describe('being called back, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const [viewport, firstName, phone] of [
    [{ width: 390, height: 844 }, 'Nadia', '06 12 34 56 78'],
    [{ width: 1280, height: 900 }, 'Jean-Luc', '07 98 76 54 32'],
  ] as const) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;
    it(`a resident asks from a place's page and the structure records the call, keyboard only, ${size}`, async () => {
      // The member's session, first to learn which demonstration places are their structure's.
      const member = await openPage({ viewport });
      await signIn(member, 'mediation.demo@example.org');
      await member.goto('/mes-lieux');
      const placeId = /\/lieux\/([0-9a-f-]{36})/.exec(await member.content())?.[1];
      assert.ok(placeId, "a place of the member's structure");

      const page = await openPage({ viewport });
      assert.equal((await page.goto(`/lieux/${placeId}`))?.status(), 200);
      await check(page, `the place's page ${size}`, viewport.width);
      const kb = keyboardOnly(page);
      await kb.tabTo('Être rappelé', 150);
      await Promise.all([page.waitForURL(`**/lieux/${placeId}/rappel`), kb.press('Enter')]);
      await check(page, `the call-back form ${size}`, viewport.width);
      await shot(page, `${tag}-1-formulaire`);
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /Pourquoi nous demandons cela/);
      assert.match(main, /effacés 30 jours après votre demande/);

      // Sent empty: the summary takes the focus and names the fields.
      await kb.tabTo('Demander à être rappelé·e', 60);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      await page.waitForSelector('.error-summary');
      const summary = (await page.textContent('.error-summary')) ?? '';
      assert.match(summary, /Prénom : écrivez votre prénom/);
      assert.match(summary, /Numéro de téléphone : écrivez le numéro/);
      assert.match(summary, /Accord : cochez la case/);
      assert.equal(
        (await kb.focused()).text.startsWith('Il y a un problème'),
        true,
        'the summary has the focus',
      );
      await check(page, `the form with its errors ${size}`, viewport.width);
      await shot(page, `${tag}-2-erreurs`);

      await kb.tabTo((f) => f.id === 'prenom', 40);
      await kb.type(firstName);
      await kb.tabTo((f) => f.id === 'telephone', 5);
      await kb.type(phone);
      await kb.tabTo((f) => f.id === 'jour', 5);
      await kb.press('ArrowDown'); // the first day offered
      const day = await page.$eval('#jour', (s) => (s as HTMLSelectElement).value);
      assert.match(day, /^\d{4}-\d{2}-\d{2}$/, 'a day is chosen with the arrow key');
      await kb.tabTo((f) => f.id === 'accord', 10);
      await kb.press('Space');
      await kb.tabTo('Demander à être rappelé·e', 20);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      const done = (await page.textContent('main')) ?? '';
      assert.match(done, /Votre demande est enregistrée/);
      const reference = (await page.textContent('.callback-ref'))?.trim() ?? '';
      assert.match(reference, /^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
      assert.match(done, new RegExp(`vous appellera le [a-z]+ \\d+ [a-zéû]+, au ${phone}`));
      assert.match(done, /Si personne n’a appelé le .* au soir, appelez le/);
      await check(page, `the confirmation ${size}`, viewport.width);
      await shot(page, `${tag}-3-reference`);

      // The member finds it from their home page and records the call.
      await member.goto('/espace');
      await check(member, `the home page with a call-back waiting ${size}`, viewport.width);
      const staff = keyboardOnly(member);
      await staff.tabTo('Voir les personnes à rappeler', 200);
      await Promise.all([member.waitForURL('**/rappels'), staff.press('Enter')]);
      const card = member.locator(`#rappel-${reference}`);
      assert.match((await card.textContent()) ?? '', new RegExp(`${firstName} — ${phone}`));
      await check(member, `the list of call-backs ${size}`, viewport.width);
      await shot(member, `${tag}-4-a-rappeler`);
      await staff.tabTo((f) => f.id === `rappel-${reference}-done`, 200);
      await staff.press('Space');
      await staff.tabTo(`Enregistrer pour ${firstName}`, 10);
      await Promise.all([member.waitForURL('**/rappels?fait=done'), staff.press('Enter')]);
      const after = (await member.textContent('main')) ?? '';
      assert.match(after, /C’est noté : la personne a été rappelée/);
      assert.equal(await member.locator(`#rappel-${reference}`).count(), 0, 'no longer to call');
      assert.match(after, new RegExp(`${firstName}.*Rappelé \\(1 essai\\)`));
      await check(member, `the list after the call ${size}`, viewport.width);
      await shot(member, `${tag}-5-rappele`);
    });
  }
  it('a resident with no place nearby asks the network; the coordinator tries twice, keyboard only', async () => {
    const viewport = { width: 390, height: 844 };
    const page = await openPage({ viewport });
    const empty = '/recherche?besoin=pix&ou=Saran&public=Femmes&accueil=Surdit%C3%A9&ouvert=oui';
    assert.equal((await page.goto(empty))?.status(), 200);
    const kb = keyboardOnly(page);
    await kb.tabTo('Être rappelé par le réseau', 150);
    await Promise.all([page.waitForURL('**/rappel'), kb.press('Enter')]);
    assert.match((await page.textContent('h1')) ?? '', /Être rappelé par le réseau/);
    await check(page, 'the network call-back form', viewport.width);
    await kb.tabTo((f) => f.id === 'prenom', 40);
    await kb.type('Lou');
    await kb.tabTo((f) => f.id === 'telephone', 5);
    await kb.type('0601020304');
    await kb.tabTo((f) => f.id === 'accord', 10);
    await kb.press('Space');
    await kb.tabTo('Demander à être rappelé·e', 20);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    const reference = (await page.textContent('.callback-ref'))?.trim() ?? '';
    assert.match(reference, /^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
    assert.match(
      (await page.textContent('main')) ?? '',
      /la coordination du réseau .* vous appellera dès que possible/,
    );

    const coordinator = await openPage({ viewport });
    await signIn(coordinator, 'coordination.demo@example.org'); // password and second factor
    await check(coordinator, "the coordinator's home page with the network's call-back", viewport.width);
    await shot(coordinator, 'reseau-1-espace');
    const ck = keyboardOnly(coordinator);
    await ck.tabTo('Voir les personnes à rappeler', 300);
    await Promise.all([coordinator.waitForURL('**/rappels'), ck.press('Enter')]);
    const card = () => coordinator.locator(`#rappel-${reference}`);
    assert.match((await card().textContent()) ?? '', /Lou — 06 01 02 03 04.*Demande faite au réseau/);
    // In a group of radio buttons, Tab reaches the first one and the arrows choose.
    await ck.tabTo((f) => f.id === `rappel-${reference}-done`, 300);
    await ck.press('ArrowDown');
    await ck.tabTo('Enregistrer pour Lou', 10);
    await Promise.all([coordinator.waitForURL('**/rappels?fait=retry'), ck.press('Enter')]);
    assert.match((await card().textContent()) ?? '', /Pas de réponse, à réessayer · 1 essai/);
    await check(coordinator, 'the list after a call without answer', viewport.width);
    await shot(coordinator, 'reseau-2-reessayer');
    await ck.tabTo((f) => f.id === `rappel-${reference}-done`, 300);
    await ck.press('ArrowDown');
    await ck.press('ArrowDown');
    await ck.tabTo('Enregistrer pour Lou', 10);
    await Promise.all([coordinator.waitForURL('**/rappels?fait=unreachable'), ck.press('Enter')]);
    assert.equal(await card().count(), 0);
    assert.match((await coordinator.textContent('main')) ?? '', /Lou : Pas joignable \(2 essais\)/);
    await check(coordinator, 'the list once closed as unreachable', viewport.width);
  });
});
