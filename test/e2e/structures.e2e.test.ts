import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { check, type KeyboardJourney, keyboardOnly, scanAxe, shot } from './support/browser.ts';
import { DEMO_PASSWORD, demoSite, nextDemoTotpCode } from './support/session.ts';

const NEW_MEMBER = { email: 'camille.nouvelle@example.org', name: 'Camille Nouvelle' };
const NEW_PASSWORD = 'Lune verte sur la Loire 2026';

describe('a structure administrator invites a member, in a browser (demonstration data)', () => {
  /** The coordinator's page, signed in once (a TOTP code is accepted once per period). */
  let coordinator: Page | null = null;
  const { openPage } = demoSite();

  const path = (page: Page) => new URL(page.url()).pathname;

  /** Activates the focused link or button and waits for the next page, then scans it. */
  async function follow(page: Page, kb: KeyboardJourney, label: string): Promise<void> {
    const [response] = await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    assert.ok((response?.status() ?? 0) < 400, `${label}: ${response?.status()} at ${page.url()}`);
    await scanAxe(page, label);
  }

  /** Signs in on the sign-in page with the keyboard (and the demo TOTP code when asked for one). */
  async function signInWithKeyboard(page: Page, kb: KeyboardJourney, email: string, password: string) {
    await kb.tabTo((f) => f.id === 'email');
    await kb.type(email);
    await kb.tabTo((f) => f.id === 'password');
    await kb.type(password);
    await follow(page, kb, 'the page after the password');
    if (path(page) === '/connexion/code') {
      const code = await nextDemoTotpCode(page);
      await kb.tabTo((f) => f.id === 'code');
      await kb.type(code);
      await follow(page, kb, 'my account after the second factor');
    }
    assert.equal(path(page), '/espace', `${email} is signed in`);
  }

  it('invites a new member, who follows the mailed link, sets a password, signs in and sees the structure — keyboard only, no axe violation', async () => {
    // The structure administrator signs in and opens her structure from "Mon travail".
    const admin = await openPage();
    await admin.goto('/connexion');
    await scanAxe(admin, 'the sign-in page');
    const a = keyboardOnly(admin);
    await signInWithKeyboard(admin, a, 'admin.demo@example.org', DEMO_PASSWORD);
    const mine = await a.tabTo(/^Ma structure : /, 120);
    const structureName = mine.text.replace(/^Ma structure : /, '');
    await follow(admin, a, 'the structure page, as its administrator');
    assert.match(path(admin), /^\/structures\/[0-9a-f-]{36}$/);
    const structurePath = path(admin);

    // She invites a new member (role "staff" is chosen by default).
    await a.tabTo((f) => f.id === 'email', 400);
    await a.type(NEW_MEMBER.email);
    await a.tabTo((f) => f.id === 'name');
    await a.type(NEW_MEMBER.name);
    await a.tabTo("Envoyer l'invitation");
    await follow(admin, a, 'the structure page after the invitation');
    assert.match((await a.textContent('main')) ?? '', /L'invitation est envoyée par e-mail/);

    // The invitation is read from the demo outbox, by the coordinator (with her second factor).
    coordinator = await openPage();
    await coordinator.goto('/connexion');
    const c = keyboardOnly(coordinator);
    await signInWithKeyboard(coordinator, c, 'coordination.demo@example.org', DEMO_PASSWORD);
    await c.tabTo('Voir les courriels envoyés', 120);
    await follow(coordinator, c, 'the demo outbox');
    const mail = await c.locator('article.mail', { hasText: NEW_MEMBER.email }).first().textContent();
    const invitation = /\/invitation\/[A-Za-z0-9_.~-]+/.exec(mail ?? '')?.[0];
    assert.ok(invitation, `an invitation link in the mail to ${NEW_MEMBER.email}: ${mail}`);

    // The new member opens the link (her first page), sets her name and password.
    const member = await openPage();
    await member.goto(invitation);
    await scanAxe(member, 'the invitation page');
    assert.match((await member.textContent('main')) ?? '', new RegExp(structureName));
    const m = keyboardOnly(member);
    await m.tabTo((f) => f.id === 'displayName');
    await m.type(NEW_MEMBER.name);
    await m.tabTo((f) => f.id === 'password');
    await m.type(NEW_PASSWORD);
    await m.tabTo((f) => f.id === 'confirmation');
    await m.type(NEW_PASSWORD);
    await follow(member, m, 'my account after accepting the invitation');
    assert.equal(path(member), '/espace');

    // She signs out, then signs in with her new password.
    await m.tabTo('Me déconnecter', 200);
    await follow(member, m, 'the page after signing out');
    await m.tabTo('Se connecter à nouveau', 40);
    await follow(member, m, 'the sign-in page, from the menu');
    await signInWithKeyboard(member, m, NEW_MEMBER.email, NEW_PASSWORD);

    // Her structure is in "Mon travail"; its page lists her among the members.
    await m.tabTo(`Ma structure : ${structureName}`, 120);
    await follow(member, m, 'the structure page, as its new member');
    assert.equal(path(member), structurePath);
    const seen = (await m.textContent('main')) ?? '';
    assert.match(seen, new RegExp(NEW_MEMBER.name));
    assert.match(seen, /Votre rôle/);
  });

  it("the coordinator's moderation, audit, data-quality and structures pages, and the private contact page, have no axe violation", async () => {
    let page = coordinator;
    if (!page) {
      page = await openPage();
      await page.goto('/connexion');
      await signInWithKeyboard(page, keyboardOnly(page), 'coordination.demo@example.org', DEMO_PASSWORD);
    }
    for (const pagePath of ['/moderation', '/journal', '/qualite', '/structures']) {
      const response = await page.goto(pagePath);
      assert.equal(response?.status(), 200, pagePath);
      await scanAxe(page, `${pagePath} (coordinator)`);
    }
    // The sources' figures and the corrections to send back (decision 0059), on a phone and a desktop.
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const pagePath of ['/qualite', '/qualite/corrections']) {
        const response = await page.goto(pagePath);
        assert.equal(response?.status(), 200, pagePath);
        await check(page, `${pagePath} (coordinator, ${width} px)`, width);
        await shot(page, `${pagePath.slice(1).replace('/', '-')}-${width}`);
      }
    }

    // A place of the demo structure: the coordinator reads its private contact, its administrator edits it.
    const admin = await openPage();
    await admin.goto('/connexion');
    await signInWithKeyboard(admin, keyboardOnly(admin), 'admin.demo@example.org', DEMO_PASSWORD);
    await admin.goto('/mes-lieux');
    const edit = await admin.locator('a[href$="/modifier"]').first().getAttribute('href');
    const contactPath = (edit ?? '').replace(/\/modifier$/, '/contact-pro');
    assert.match(contactPath, /^\/lieux\/[0-9a-f-]{36}\/contact-pro$/);
    for (const [who, p] of [
      ['coordinator', page],
      ['structure administrator', admin],
    ] as const) {
      const response = await p.goto(contactPath);
      assert.equal(response?.status(), 200, `${contactPath} as ${who}`);
      assert.match((await p.textContent('main')) ?? '', /Ligne directe/);
      await scanAxe(p, `the private contact page (${who})`);
    }
  });
});
