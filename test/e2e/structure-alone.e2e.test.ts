import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { type KeyboardJourney, keyboardOnly, scanAxe } from './support/browser.ts';
import { DEMO_PASSWORD, demoSite, nextDemoTotpCode } from './support/session.ts';

const STRUCTURE = { name: 'Tiers-lieu des Chaises', siret: '214 503 021 00013' };
const ADMIN = {
  email: 'alix.chaises@example.org',
  name: 'Alix Martin',
  password: 'Le lieu des Chaises 2026',
};
const PLACE = {
  name: 'Atelier numérique des Chaises',
  address: '12 rue des Chaises',
  postcode: '45770',
  commune: 'Saran',
};
const SERVICE = 'Aide aux démarches administratives';

describe('walk-through 2: a structure created by the coordinator adds its first place (demonstration data)', () => {
  const { openPage } = demoSite();
  const path = (page: Page) => new URL(page.url()).pathname;

  /** Activates the focused link or button, waits for the next page (below 400), then scans it. */
  async function follow(page: Page, kb: KeyboardJourney, label: string): Promise<void> {
    const [response] = await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    assert.ok((response?.status() ?? 0) < 400, `${label}: ${response?.status()} at ${page.url()}`);
    await scanAxe(page, label);
  }

  async function typeInto(kb: KeyboardJourney, id: string, text: string, maxTabs = 80) {
    await kb.tabTo((f) => f.id === id, maxTabs);
    await kb.type(text);
  }

  async function noSidewaysScroll(page: Page, label: string) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${label} scrolls sideways at 320 px (${width})`);
  }

  it('coordinator creates and invites → the administrator accepts, lands on /espace, adds a place → the coordinator approves it → it is public; keyboard only, no axe violation, desktop and 320 px', async () => {
    // The coordinator signs in with her second factor and opens the structures of the network.
    const coordinator = await openPage();
    await coordinator.goto('/connexion');
    const c = keyboardOnly(coordinator);
    await typeInto(c, 'email', 'coordination.demo@example.org');
    await typeInto(c, 'password', DEMO_PASSWORD);
    await follow(coordinator, c, 'the second factor page');
    await typeInto(c, 'code', await nextDemoTotpCode(coordinator));
    await follow(coordinator, c, 'the coordinator’s home');
    assert.equal(path(coordinator), '/espace');
    await c.tabTo('Les structures du réseau', 200);
    await follow(coordinator, c, 'the structures of the network');

    // She creates the structure and invites its administrator.
    await typeInto(c, 'name', STRUCTURE.name, 600);
    await typeInto(c, 'pivot', STRUCTURE.siret);
    await c.tabTo((f) => f.id === 'kind');
    await c.type('Tiers-lieu');
    await typeInto(c, 'adminEmail', ADMIN.email);
    await typeInto(c, 'adminName', ADMIN.name);
    await c.tabTo("Créer la structure et envoyer l'invitation");
    await follow(coordinator, c, 'the new structure’s page');
    assert.match(path(coordinator), /^\/structures\/[0-9a-f-]{36}$/);
    const created = (await c.textContent('main')) ?? '';
    assert.match(created, /La structure est créée/);
    assert.match(created, /Tiers-lieu, coworking/);
    assert.match(created, new RegExp(`Invitations en attente[\\s\\S]*${ADMIN.email.replace(/\./g, '\\.')}`));

    // The invitation is read from the demo outbox.
    await c.tabTo('Mon espace', 40);
    await follow(coordinator, c, 'the coordinator’s home again');
    await c.tabTo('Voir les courriels envoyés', 200);
    await follow(coordinator, c, 'the demo outbox');
    const mail = await c.locator('article.mail', { hasText: ADMIN.email }).first().textContent();
    const invitation = /\/invitation\/[A-Za-z0-9_.~-]+/.exec(mail ?? '')?.[0];
    assert.ok(invitation, `an invitation link in the mail to ${ADMIN.email}`);

    // The administrator, on a 320 px phone, accepts and lands on her home page.
    const admin = await openPage({ viewport: { width: 320, height: 800 } });
    await admin.goto(invitation);
    await scanAxe(admin, 'the invitation page at 320 px');
    const a = keyboardOnly(admin);
    await typeInto(a, 'displayName', ADMIN.name);
    await typeInto(a, 'password', ADMIN.password);
    await typeInto(a, 'confirmation', ADMIN.password);
    await follow(admin, a, 'the administrator’s home at 320 px');
    assert.equal(path(admin), '/espace');
    await noSidewaysScroll(admin, '/espace');

    // From "Mes lieux" she adds a new place with the editing form.
    await a.tabTo('Mes lieux à tenir à jour', 200);
    await follow(admin, a, 'my places at 320 px');
    await noSidewaysScroll(admin, '/mes-lieux');
    assert.match((await a.textContent('main')) ?? '', /Aucun lieu n'est rattaché à vos structures/);
    await a.tabTo(/^Ajouter un nouveau lieu/, 60);
    await follow(admin, a, 'the new place form at 320 px');
    await noSidewaysScroll(admin, 'the new place form');
    await typeInto(a, 'nom', PLACE.name);
    await typeInto(a, 'adresse', PLACE.address);
    await typeInto(a, 'code_postal', PLACE.postcode);
    await typeInto(a, 'commune', PLACE.commune);
    await typeInto(a, 'h-lundi-1-de', '09:00', 40);
    await typeInto(a, 'h-lundi-1-a', '12:00');
    await a.tabTo((f) => f.id === 'services-0', 200);
    await a.press('Space');
    await a.tabTo('Envoyer le lieu pour validation', 400);
    await follow(admin, a, 'my places after sending the new place');
    const sent = (await a.textContent('main')) ?? '';
    assert.match(sent, /Le nouveau lieu est envoyé/);
    assert.match(sent, new RegExp(`Nouveau lieu « ${PLACE.name} » \\(${PLACE.commune}\\)`));

    // Not public yet.
    const visitor = await openPage();
    const search = `/recherche?besoin=${encodeURIComponent(SERVICE)}&ou=${PLACE.commune}`;
    await visitor.goto(search);
    assert.doesNotMatch((await visitor.textContent('main')) ?? '', new RegExp(PLACE.name));

    // The coordinator finds it in the moderation queue and approves it.
    await c.tabTo('Mon espace', 40);
    await follow(coordinator, c, 'the coordinator’s home before moderation');
    await c.tabTo("File d'attente des modifications et des signalements", 200);
    await follow(coordinator, c, 'the moderation queue');
    await c.tabTo(`Examiner le nouveau lieu ${PLACE.name} (${PLACE.commune})`, 200);
    await follow(coordinator, c, 'the new place’s review');
    assert.match((await c.textContent('main')) ?? '', new RegExp(PLACE.address));
    await c.tabTo('Valider et publier le lieu', 200);
    await follow(coordinator, c, 'the queue after approval');
    assert.match((await c.textContent('main')) ?? '', /Le nouveau lieu est validé : il est public/);

    // It is public: the search finds it (the index reloads within seconds) and its sheet opens.
    let found = false;
    for (let attempt = 0; attempt < 10 && !found; attempt++) {
      await visitor.goto(search);
      found = new RegExp(PLACE.name).test((await visitor.textContent('main')) ?? '');
      if (!found) await sleep(1000);
    }
    assert.ok(found, `${PLACE.name} is found by the search`);
    await scanAxe(visitor, 'the search results with the new place');
    const sheet = await visitor.locator('a', { hasText: PLACE.name }).first().getAttribute('href');
    assert.match(sheet ?? '', /^\/lieux\/[0-9a-f-]{36}/);
    await visitor.goto(sheet ?? '');
    assert.match((await visitor.textContent('main')) ?? '', new RegExp(PLACE.address));

    // Her place is now among hers, to keep up to date.
    await a.tabTo('Mon espace', 40);
    await follow(admin, a, 'the administrator’s home after approval');
    await a.tabTo('Mes lieux à tenir à jour', 200);
    await follow(admin, a, 'my places after approval');
    assert.match((await a.textContent('main')) ?? '', new RegExp(`Modifier la fiche de ${PLACE.name}`));
  });
});
