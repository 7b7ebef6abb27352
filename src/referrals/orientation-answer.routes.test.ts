import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  sendSampleOrientation,
  sendSampleOrientationToDemoStructure,
} from '../../test/authorization/referrals.ts';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser, csrfOf } from '../../test/support/cookie-browser.ts';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { loadConfig } from '../config.ts';
import { listRecentMessages } from '../mail/mail.service.ts';
import { importPlacesFile } from '../places/places-import.service.ts';
import { describeAppointment, formatDate, needLabel } from './referrals.ts';

/**
 * Answering an orientation with a message and an appointment (page and mailed link), what the sender
 * and the fiche de liaison then show, what every mail about an orientation says, the inbox's first
 * view and the place search of the orientation form — through HTTP on a real database.
 */
after(closeTestTemplate);

// The address the sample orientations' mails link to (test/authorization/referrals.ts: the default).
const PUBLIC_URL = loadConfig({ DATA_DIR: '/nonexistent-test-dir' }).publicUrl;
const DAY_MS = 86_400_000;
/** A day `days` ahead, as typed (24/12/2026) and as stored (2026-12-24). */
function dayAhead(days: number): { typed: string; iso: string } {
  const iso = new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-');
  return { typed: `${d}/${m}/${y}`, iso };
}
const decodeHtml = (html: string) =>
  html.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');

describe('answering an orientation with an appointment (HTTP)', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  let sender: CookieBrowser;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
    staff = cookieBrowser(app);
    await staff.signIn('mediation.demo@example.org');
    sender = cookieBrowser(app);
    await sender.signIn('autre-structure.demo@example.org');
  });
  after(async () => {
    await t.close();
  });

  const rowOf = (id: string) =>
    t.db.selectFrom('orientation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOf = async (id: string) =>
    (await t.db.selectFrom('orientation_event').select('id').where('orientation_id', '=', id).execute())
      .length;
  const mailCount = async () => (await t.db.selectFrom('mail_outbox').select('id').execute()).length;

  it('refuses a bad appointment with 422 naming the field, writing nothing', async () => {
    const { orientationId: id } = await sendSampleOrientationToDemoStructure(t.db);
    const page = `/orientations/${id}`;
    const html = await (await staff.request(page)).text();
    assert.match(html, /<label for="rdv_date">Date du rendez-vous<\/label>/);
    assert.match(html, /<label for="rdv_heure">Heure du rendez-vous<\/label>/);
    assert.match(html, /<label for="rdv_avec">Avec qui<\/label>/);
    const before = { events: await eventsOf(id), mails: await mailCount() };
    const future = dayAhead(20).typed;
    const cases: [Record<string, string>, RegExp, string][] = [
      [{ rdv_date: '31/02/2030' }, /Date du rendez-vous : « 31\/02\/2030 » n’est pas une date/, 'rdv_date'],
      [{ rdv_date: 'jeudi' }, /Date du rendez-vous : « jeudi » n’est pas une date/, 'rdv_date'],
      [{ rdv_date: '02/01/2020' }, /Date du rendez-vous : le 2 janvier 2020 est passé/, 'rdv_date'],
      [
        { rdv_date: future, rdv_heure: '25:10' },
        /Heure du rendez-vous : « 25:10 » n’est pas une heure/,
        'rdv_heure',
      ],
      [{ rdv_date: future, rdv_avec: 'x'.repeat(121) }, /Avec qui : 121 caractères, 120 au plus/, 'rdv_avec'],
      [{ rdv_heure: '10:00' }, /Date du rendez-vous : donnez le jour/, 'rdv_date'],
      [
        { rdv_date: future, message: 'é'.repeat(1001) },
        /Le message a 1001 caractères/,
        'message-acceptation',
      ],
    ];
    for (const [fields, message, anchor] of cases) {
      const res = await staff.request(`${page}/reponse`, {
        form: { _csrf: csrfOf(html), decision: 'accept', ...fields },
      });
      assert.equal(res.status, 422, JSON.stringify(fields));
      const body = decodeHtml(await res.text());
      assert.match(body, message);
      assert.ok(body.includes(`href="#${anchor}"`), `the summary links to #${anchor}`);
      assert.ok(body.includes(`id="${anchor}"`), `the field #${anchor} is on the page`);
    }
    const row = await rowOf(id);
    assert.equal(row.state, 'sent');
    assert.equal(row.answered_at, null);
    assert.deepEqual([row.appointment_date, row.appointment_time, row.appointment_with], [null, null, null]);
    assert.equal(await eventsOf(id), before.events, 'no event');
    assert.equal(await mailCount(), before.mails, 'no mail');
  });

  it('accepts with a message and an appointment that the sender, the sheet and the sender’s mail show', async () => {
    const { orientationId: id } = await sendSampleOrientationToDemoStructure(t.db);
    const day = dayAhead(12);
    const csrf = await staff.csrf(`/orientations/${id}`);
    const res = await staff.request(`/orientations/${id}/reponse`, {
      form: {
        _csrf: csrf,
        decision: 'accept',
        rdv_date: day.typed,
        rdv_heure: '9h30',
        rdv_avec: 'Mme Durand, conseillère numérique',
        message: 'Venez avec votre carte Vitale.',
      },
    });
    assert.equal(res.status, 303);
    const row = await rowOf(id);
    assert.equal(row.state, 'accepted');
    assert.deepEqual(
      [row.appointment_date, row.appointment_time, row.appointment_with, row.state_message],
      [day.iso, '09:30', 'Mme Durand, conseillère numérique', 'Venez avec votre carte Vitale.'],
    );
    const said = describeAppointment({
      date: day.iso,
      time: '09:30',
      with: 'Mme Durand, conseillère numérique',
    });
    assert.match(said, / à 9 h 30|à 09 h 30/);

    const seen = decodeHtml(await (await sender.request(`/orientations/${id}`)).text());
    assert.ok(seen.includes('<dt>Rendez-vous</dt>'), 'the sender sees the appointment');
    assert.ok(seen.includes(said));
    assert.ok(seen.includes('Venez avec votre carte Vitale.'), 'and the message');
    const sheet = decodeHtml(await (await sender.request(`/orientations/${id}/fiche`)).text());
    assert.ok(sheet.includes('Votre rendez-vous'), 'the fiche de liaison has the appointment');
    assert.ok(sheet.includes(said));
    assert.ok(sheet.includes('Venez avec votre carte Vitale.'));

    const mail = (await listRecentMessages(t.db, 200)).find(
      (m) => m.to === 'autre-structure.demo@example.org' && m.subject.startsWith('Orientation acceptée'),
    );
    assert.ok(mail, 'the sender is told');
    assert.ok(mail.text.includes(`Rendez-vous : ${said}.`));
    assert.ok(!mail.text.includes('carte Vitale'), 'the message is read behind the sign-in');
    assert.ok(mail.text.includes(`${PUBLIC_URL}/orientations/${id}`), 'the link to the orientation');
    for (const part of [
      formatDate(row.sent_at),
      needLabel(row.needs[0] as string),
      row.sender_structure_name,
      row.place_name,
    ])
      assert.ok(mail.subject.includes(part) && mail.text.includes(part), `the mail names ${part}`);
  });

  it('accepts from the mailed link with an appointment; a bad one keeps the link; every mail names the orientation', async () => {
    const sample = await sendSampleOrientation(t.db);
    const row = await rowOf(sample.orientationId);
    const mails = await listRecentMessages(t.db, 300);
    const linkMail = mails.find((m) => m.kind === 'orientation_link' && m.text.includes(row.place_name));
    assert.ok(linkMail);
    const path = /\/orientations\/lien\/[A-Za-z0-9._-]+/.exec(linkMail.text)?.[0] ?? '';
    assert.ok(linkMail.text.includes(`${PUBLIC_URL}${path}`), 'the mail links to the orientation');
    for (const part of [
      formatDate(row.sent_at),
      needLabel(row.needs[0] as string),
      row.sender_structure_name,
      row.place_name,
    ])
      assert.ok(
        linkMail.subject.includes(part) && linkMail.text.includes(part),
        `the link mail names ${part}`,
      );

    const place = cookieBrowser(app);
    const html = await (await place.request(path)).text();
    const bad = await place.request(path, {
      form: { _csrf: csrfOf(html), decision: 'accept', rdv_date: '2020-01-02' },
    });
    assert.equal(bad.status, 422);
    assert.match(decodeHtml(await bad.text()), /Date du rendez-vous : le 2 janvier 2020 est passé/);
    assert.equal((await rowOf(row.id)).state, 'sent');
    const day = dayAhead(5);
    const good = await place.request(path, {
      form: { _csrf: csrfOf(html), decision: 'accept', rdv_date: day.iso, rdv_heure: '14:00', rdv_avec: '' },
    });
    assert.equal(good.status, 200, 'the link still worked after the bad input');
    const said = describeAppointment({ date: day.iso, time: '14:00', with: null });
    const done = decodeHtml(await good.text());
    assert.ok(done.includes(`Rendez-vous noté : ${said}.`));
    const closePath = /href="(\/orientations\/lien\/[^"]+)"/.exec(done)?.[1] ?? '';
    assert.ok(
      decodeHtml(await (await place.request(closePath)).text()).includes(said),
      'the closing page shows it',
    );

    const all = (await listRecentMessages(t.db, 300)).filter(
      (m) => m.text.includes(`/orientations/${row.id}`) || m.text.includes(row.place_name),
    );
    const closeMail = all.find((m) => m.kind === 'orientation_close_link');
    assert.ok(closeMail?.text.includes(`${PUBLIC_URL}${closePath}`));
    const senderMail = all.find(
      (m) => m.kind === 'orientation_update' && m.text.includes(`/orientations/${row.id}`),
    );
    assert.ok(senderMail?.text.includes(said));
    for (const m of [closeMail, senderMail].filter((x) => x !== undefined))
      for (const part of [formatDate(row.sent_at), row.sender_structure_name, row.place_name])
        assert.ok(m.subject.includes(part) && m.text.includes(part), `${m.kind} names ${part}`);
  });

  it('names the orientation in the mail that tells the receiving structure, and links to it', async () => {
    const { orientationId: id } = await sendSampleOrientationToDemoStructure(t.db);
    const row = await rowOf(id);
    const mail = (await listRecentMessages(t.db, 300)).find(
      (m) => m.kind === 'orientation_received' && m.text.includes(`${PUBLIC_URL}/orientations/${id}`),
    );
    assert.ok(mail);
    for (const part of [
      formatDate(row.sent_at),
      needLabel(row.needs[0] as string),
      row.sender_structure_name,
      row.place_name,
    ])
      assert.ok(mail.subject.includes(part) && mail.text.includes(part), `names ${part}`);
  });

  it('opens the inbox on "à traiter": waiting and accepted, not the finished ones; "toutes" shows them all', async () => {
    const waiting = await sendSampleOrientationToDemoStructure(t.db);
    const refused = await sendSampleOrientationToDemoStructure(t.db);
    const csrf = await staff.csrf(`/orientations/${refused.orientationId}`);
    const no = await staff.request(`/orientations/${refused.orientationId}/reponse`, {
      form: { _csrf: csrf, decision: 'refuse', reason: 'full' },
    });
    assert.equal(no.status, 303);
    const inbox = await (await staff.request('/orientations')).text();
    assert.match(inbox, /<a href="\/orientations" aria-current="page">À traiter \(\d+\)<\/a>/);
    assert.match(inbox, /<h2>À traiter/);
    assert.ok(inbox.includes(`/orientations/${waiting.orientationId}"`), 'a waiting one');
    assert.ok(!inbox.includes(`/orientations/${refused.orientationId}"`), 'not a refused one');
    const all = await (await staff.request('/orientations?etat=toutes')).text();
    assert.match(all, /aria-current="page">Toutes \(\d+\)/);
    assert.ok(all.includes(`/orientations/${refused.orientationId}"`));
    const sent = await (await sender.request('/orientations?boite=envoyees')).text();
    assert.ok(sent.includes(`/orientations/${refused.orientationId}"`), 'the sent box still opens on all');
  });

  it('finds a place by words in any order, accents and case ignored, commune included', async () => {
    const found = async (q: string) => {
      const html = decodeHtml(
        await (await sender.request(`/orientations/nouvelle?q=${encodeURIComponent(q)}`)).text(),
      );
      return [...html.matchAll(/Orienter vers ([^<]+), ([^<,]+)<\/a>/g)].map((m) => `${m[1]} | ${m[2]}`);
    };
    for (const q of ['CCAS Saran', 'saran ccas', 'ccas de SARAN'])
      assert.equal((await found(q))[0], 'CCAS de Saran | Saran', q);
    assert.ok(!(await found('saran ccas')).some((p) => p.startsWith('Médiathèque')), 'every word counts');
    for (const q of ['mediatheque saran', 'Saran MÉDIATHÈQUE', 'médiath saran'])
      assert.deepEqual(await found(q), ['Médiathèque de Saran | Saran'], q);
    const inSaran = await found('saran');
    assert.ok(inSaran.length >= 3 && inSaran.every((p) => p.endsWith('| Saran')), 'the commune’s places');
    assert.deepEqual(await found('ccas zzz'), []);

    // Another region's file: its places are never offered (the territory is kept, docs/decisions/0025).
    await importPlacesFile(
      t.db,
      { kind: 'system' },
      bytes(
        toCsv([
          sampleRow({
            nom: 'Tiers-lieu Saran Nord',
            commune: 'Saran',
            code_postal: '45770',
            code_insee: '45302',
            latitude: '47.95',
            longitude: '1.875',
          }),
          sampleRow({
            nom: 'Tiers-lieu de Toulouse',
            commune: 'Toulouse',
            code_postal: '31000',
            code_insee: '31555',
            latitude: '43.6045',
            longitude: '1.444',
          }),
        ]),
      ),
      { fileName: 'autre-region.csv', scope: loadConfig({ DATA_DIR: '/nonexistent' }).publicScope },
    );
    let tiersLieux: string[] = [];
    for (let i = 0; i < 40 && !tiersLieux.includes('Tiers-lieu Saran Nord | Saran'); i++) {
      tiersLieux = await found('tiers-lieu');
      if (!tiersLieux.includes('Tiers-lieu Saran Nord | Saran')) await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(
      tiersLieux,
      ['Tiers-lieu Saran Nord | Saran'],
      'the new place of the territory, not Toulouse',
    );
    assert.deepEqual(await found('toulouse'), []);
  });
});
