import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoPlaceApp, formFields } from '../../test/support/place-edit-fixtures.ts';
import { closeTestTemplate, type TestDb } from '../../test/support/test-db.ts';
import type { Db } from '../db/database.ts';
import { REFRESH_MS } from '../search/search.service.ts';
import { localToday } from './place-dates.ts';
import { formOfValues } from './place-edit-form.ts';
import { blankPlaceValues } from './place-requests.service.ts';

after(closeTestTemplate);

const indexRefresh = () => sleep(REFRESH_MS + 200);

/** What the tables hold that a request could write: counted before and after a refused one. */
async function footprint(db: Db) {
  const count = async (table: 'place' | 'place_change' | 'place_attach_request' | 'audit_log') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    places: await count('place'),
    changes: await count('place_change'),
    attach: await count('place_attach_request'),
    audit: await count('audit_log'),
  };
}

/** A new place's form as a browser posts it: name, address in Saran, one service, hours Monday. */
function newPlaceForm(name: string) {
  const form = formOfValues(blankPlaceValues(''), localToday(new Date()));
  form.text.nom = name;
  form.text.adresse = '1 place de la Liberté';
  form.text.code_postal = '45770';
  form.text.commune = 'Saran';
  form.text.telephone = '02 38 80 34 00';
  form.choices.services = ['Aide aux démarches administratives'];
  form.grid[0] = ['09:00', '12:00', '', ''];
  return formFields(form);
}

async function otherStructurePlace(t: TestDb, structureId: string) {
  return t.db
    .selectFrom('place')
    .select(['id', 'nom', 'commune', 'structure_id'])
    .where((eb) => eb.or([eb('structure_id', '!=', structureId), eb('structure_id', 'is', null)]))
    .orderBy('nom')
    .executeTakeFirstOrThrow();
}

describe('a structure adds its places', () => {
  it('proposes a new place, invisible until the coordinator approves it, then public everywhere', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const s0 = place.structureId;
      const admin = cookieBrowser(app);
      await admin.signIn('admin.demo@example.org');
      const mine = await (await admin.request('/mes-lieux')).text();
      assert.ok(mine.includes(`href="/structures/${s0}/lieux/nouveau"`), 'Mes lieux offers to add a place');
      assert.ok(mine.includes(`href="/structures/${s0}/lieux/rattacher"`));
      const formPage = await admin.request(`/structures/${s0}/lieux/nouveau`);
      assert.equal(formPage.status, 200);
      assert.equal(formPage.headers.get('Cache-Control'), 'no-store');
      const csrf = admin.csrfOf(await formPage.text());

      // Bad input: French messages naming the field, the form kept, nothing written.
      const before = await footprint(t.db);
      const bad = await admin.request(`/structures/${s0}/lieux/nouveau`, {
        form: { _csrf: csrf, ...newPlaceForm(''), code_postal: '4577' },
      });
      assert.equal(bad.status, 400);
      const badHtml = await bad.text();
      assert.match(badHtml, /href="#nom">Nom du lieu : ce champ est obligatoire/);
      assert.match(
        badHtml,
        /href="#commune">Commune : aucune commune « Saran » n&#39;a le code postal 04577/,
      );
      assert.match(badHtml, /value="1 place de la Liberté"/);
      assert.deepEqual(await footprint(t.db), before);

      const sent = await admin.request(`/structures/${s0}/lieux/nouveau`, {
        form: { _csrf: csrf, ...newPlaceForm('Espace numérique zq8neuf') },
      });
      assert.equal(sent.status, 303, await sent.text());
      assert.equal(sent.headers.get('Location'), '/mes-lieux?fait=nouveau-lieu');
      const waiting = await (await admin.request('/mes-lieux?fait=nouveau-lieu')).text();
      assert.match(waiting, /Le nouveau lieu est envoyé/);
      assert.match(waiting, /Nouveau lieu « Espace numérique zq8neuf » \(Saran\)/);
      await indexRefresh();
      const after1 = await footprint(t.db);
      assert.equal(after1.places, before.places, 'no place is created before approval');
      for (const path of [
        '/recherche?ou=Saran',
        '/api/v1/lieux?limit=100',
        '/api/v1/lieux/export?format=csv',
      ])
        assert.doesNotMatch(await (await app.request(path)).text(), /zq8neuf/, path);

      // The coordinator finds it in the queue, reads it, and approves it.
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const queue = await (await coordinator.request('/moderation')).text();
      assert.match(queue, /1 nouveau lieu et 0 demande de rattachement à examiner/);
      const link = /href="(\/moderation\/nouveaux-lieux\/[0-9a-f-]+)"/.exec(queue)?.[1];
      assert.ok(link, 'the queue links to the new place');
      const review = await (await coordinator.request(link)).text();
      assert.match(review, /<h1>Nouveau lieu : Espace numérique zq8neuf<\/h1>/);
      assert.match(review, /1 place de la Liberté/);
      const approved = await coordinator.request(link, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'approve', message: '' },
      });
      assert.equal(approved.status, 303);
      assert.equal(approved.headers.get('Location'), '/moderation?fait=lieu-valide');
      const created = await t.db
        .selectFrom('place')
        .selectAll()
        .where('nom', '=', 'Espace numérique zq8neuf')
        .executeTakeFirstOrThrow();
      assert.equal(created.structure_id, s0, 'the place is the structure’s');
      assert.equal(created.source, 'maillage');
      assert.equal(created.code_insee, '45302');
      assert.equal(created.date_maj, localToday(new Date()));
      assert.equal(created.horaires, 'Mo 09:00-12:00');
      await indexRefresh();
      for (const path of [
        `/lieux/${created.id}`,
        `/api/v1/lieux/${created.id}`,
        '/api/v1/lieux/export?format=csv',
        `/recherche?besoin=${encodeURIComponent('Aide aux démarches administratives')}&ou=Saran`,
      ]) {
        const res = await app.request(path);
        assert.equal(res.status, 200, path);
        assert.match(await res.text(), /zq8neuf/, path);
      }
      // The members see it among their places; the proposer got a mail naming the public sheet.
      assert.match(
        await (await admin.request('/mes-lieux')).text(),
        /Modifier la fiche de Espace numérique zq8neuf/,
      );
      const mail = await t.db
        .selectFrom('mail_outbox')
        .select(['subject', 'text_body'])
        .where('to_address', '=', 'admin.demo@example.org')
        .where('subject', 'like', 'Nouveau lieu validé%')
        .executeTakeFirstOrThrow();
      assert.ok(mail.text_body.includes(`/lieux/${created.id}`));
      // Decided once: a second decision is a conflict.
      const again = await coordinator.request(link, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'reject', message: 'Non.' },
      });
      assert.equal(again.status, 409);
    } finally {
      await t.close();
    }
  });

  it('refuses a new place with a message, and nothing becomes public', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const admin = cookieBrowser(app);
      await admin.signIn('admin.demo@example.org');
      const sent = await admin.post(
        `/structures/${place.structureId}/lieux/nouveau`,
        `/structures/${place.structureId}/lieux/nouveau`,
        newPlaceForm('Doublon zq8refus'),
      );
      assert.equal(sent.status, 303);
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const queue = await (await coordinator.request('/moderation')).text();
      const link = /href="(\/moderation\/nouveaux-lieux\/[0-9a-f-]+)"/.exec(queue)?.[1] ?? '';
      const review = await (await coordinator.request(link)).text();
      const noMessage = await coordinator.request(link, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'reject', message: '' },
      });
      assert.equal(noMessage.status, 400);
      assert.match(await noMessage.text(), /href="#message">Message : expliquez pourquoi le lieu est refusé/);
      const refused = await coordinator.request(link, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'reject', message: 'Ce lieu existe déjà.' },
      });
      assert.equal(refused.headers.get('Location'), '/moderation?fait=lieu-refuse');
      const rows = await t.db.selectFrom('place').select('id').where('nom', 'like', '%zq8refus%').execute();
      assert.equal(rows.length, 0);
      const mail = await t.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('to_address', '=', 'admin.demo@example.org')
        .where('subject', 'like', 'Nouveau lieu refusé%')
        .executeTakeFirstOrThrow();
      assert.match(mail.text_body, /Ce lieu existe déjà\./);
    } finally {
      await t.close();
    }
  });
});

describe('a structure asks to attach a place of the directory', () => {
  it('finds the place, asks once, and the place is the structure’s once the coordinator approves', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const s0 = place.structureId;
      const target = await otherStructurePlace(t, s0);
      const admin = cookieBrowser(app);
      await admin.signIn('admin.demo@example.org');
      const base = `/structures/${s0}/lieux/rattacher`;
      const tooShort = await admin.request(`${base}?nom=a`);
      assert.equal(tooShort.status, 400);
      assert.match(await tooShort.text(), /Nom du lieu : tapez au moins 2 lettres/);
      // Words in any order, accents and case ignored, the commune's name included.
      const words = `${target.commune} ${target.nom.split(' ')[0]}`.toUpperCase();
      const found = await (await admin.request(`${base}?nom=${encodeURIComponent(words)}`)).text();
      assert.ok(found.includes(`value="${target.id}"`), 'the place is offered');
      const csrf = admin.csrfOf(found);

      const before = await footprint(t.db);
      const none = await admin.request(base, { form: { _csrf: csrf, nom: words, lieu: '' } });
      assert.equal(none.status, 400);
      assert.match(await none.text(), /Lieu : choisissez dans la liste le lieu à rattacher/);
      const unknown = await admin.request(base, {
        form: { _csrf: csrf, nom: words, lieu: '00000000-0000-4000-8000-000000000000' },
      });
      assert.match(await unknown.text(), /Lieu : ce lieu n&#39;existe pas/);
      const own = await admin.request(base, { form: { _csrf: csrf, nom: words, lieu: place.id } });
      assert.equal(own.status, 400);
      assert.match(await own.text(), /est déjà rattaché à votre structure/);
      const long = await admin.request(base, {
        form: { _csrf: csrf, nom: words, lieu: target.id, message: 'x'.repeat(1001) },
      });
      assert.match(await long.text(), /Message : 1001 caractères, c&#39;est trop/);
      assert.deepEqual(await footprint(t.db), before, 'nothing written by refused requests');

      const asked = await admin.request(base, {
        form: { _csrf: csrf, nom: words, lieu: target.id, message: 'Nous tenons ce lieu depuis 2025.' },
      });
      assert.equal(asked.status, 303);
      assert.equal(asked.headers.get('Location'), '/mes-lieux?fait=rattachement');
      const twice = await admin.request(base, { form: { _csrf: csrf, nom: words, lieu: target.id } });
      assert.equal(twice.status, 400);
      assert.match(await twice.text(), /vous avez déjà demandé à rattacher/);
      assert.equal((await footprint(t.db)).attach, before.attach + 1);
      const unchanged = await t.db
        .selectFrom('place')
        .select('structure_id')
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      assert.equal(unchanged.structure_id, target.structure_id, 'nothing changes before approval');

      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const queue = await (await coordinator.request('/moderation')).text();
      assert.match(queue, /0 nouveau lieu et 1 demande de rattachement à examiner/);
      const link = /href="(\/moderation\/rattachements\/[0-9a-f-]+)"/.exec(queue)?.[1] ?? '';
      const review = await (await coordinator.request(link)).text();
      assert.match(review, /Nous tenons ce lieu depuis 2025\./);
      const approved = await coordinator.request(link, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'approve', message: '' },
      });
      assert.equal(approved.headers.get('Location'), '/moderation?fait=rattachement-valide');
      const moved = await t.db
        .selectFrom('place')
        .select('structure_id')
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      assert.equal(moved.structure_id, s0);
      // The administrator now edits it.
      assert.equal((await admin.request(`/lieux/${target.id}/modifier`)).status, 200);
    } finally {
      await t.close();
    }
  });

  it('refuses an attach request with a message; the place stays where it was', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const target = await otherStructurePlace(t, place.structureId);
      const admin = cookieBrowser(app);
      await admin.signIn('admin.demo@example.org');
      const base = `/structures/${place.structureId}/lieux/rattacher`;
      const asked = await admin.post(`${base}?nom=${encodeURIComponent(target.nom)}`, base, {
        lieu: target.id,
        message: '',
      });
      assert.equal(asked.status, 303);
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const queue = await (await coordinator.request('/moderation')).text();
      const link = /href="(\/moderation\/rattachements\/[0-9a-f-]+)"/.exec(queue)?.[1] ?? '';
      const review = await (await coordinator.request(link)).text();
      const refused = await coordinator.request(link, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'reject', message: 'Ce lieu est à la mairie.' },
      });
      assert.equal(refused.headers.get('Location'), '/moderation?fait=rattachement-refuse');
      const row = await t.db
        .selectFrom('place')
        .select('structure_id')
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.structure_id, target.structure_id);
      const status = await t.db.selectFrom('place_attach_request').select('status').executeTakeFirstOrThrow();
      assert.equal(status.status, 'rejected');
    } finally {
      await t.close();
    }
  });

  it('keeps staff members and other structures out', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      assert.equal((await staff.request(`/structures/${place.structureId}/lieux/nouveau`)).status, 403);
      assert.equal((await staff.request(`/structures/${place.structureId}/lieux/rattacher`)).status, 403);
    } finally {
      await t.close();
    }
  });
});
