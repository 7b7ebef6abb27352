import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoWithoutRecords, pageText as text } from '../../test/support/activity-pages.ts';
import type { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { demoStructurePlace } from '../../test/support/pass-fixtures.ts';
import { closeTestTemplate, type TestDb } from '../../test/support/test-db.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { insertOccurrences, insertRegistration, insertWorkshop } from '../workshops/workshops.repository.ts';

after(closeTestTemplate);

const HOUR = 3_600_000;

/**
 * A workshop date of the agenda becomes a collective activity record (issue 21): the staff's date page
 * links to the record's form filled from the workshop once the date is over and attendance taken; the
 * record keeps the workshop; one record per date; another structure's date fills nothing.
 */
describe('a workshop date recorded in the activities, over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  let other: CookieBrowser;
  let structureId = '';
  let placeId = '';
  let workshopId = '';
  const dates = { over: '', noAttendance: '', coming: '', cancelled: '', twin: '' };
  let day = '';

  before(async () => {
    ({ t, app } = await demoWithoutRecords());
    staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    other = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    ({ structureId, placeId } = await demoStructurePlace(t.db));
    const place = await t.db
      .selectFrom('place')
      .select(['nom', 'code_insee'])
      .where('id', '=', placeId)
      .executeTakeFirstOrThrow();
    const now = new Date();
    const w = await insertWorkshop(t.db, {
      structure_id: structureId,
      title: 'Premiers pas sur la tablette',
      needs: ['smartphone'],
      themes: ['prendre_en_main_du_materiel'],
      level: 'debutant',
      mode: 'place',
      place_id: placeId,
      place_name: place.nom,
      commune_code: place.code_insee,
      online_url: null,
      capacity: 8,
      created_at: now,
      updated_at: now,
    });
    workshopId = w.id;
    // Yesterday (or so) for 1 h 30, two days before without attendance, next week, and one cancelled.
    const start = new Date(now.getTime() - 26 * HOUR);
    day = localToday(start);
    const [over, noAttendance, coming, cancelled] = await insertOccurrences(t.db, [
      { workshop_id: w.id, starts_at: start, ends_at: new Date(start.getTime() + 1.5 * HOUR) },
      {
        workshop_id: w.id,
        starts_at: new Date(now.getTime() - 72 * HOUR),
        ends_at: new Date(now.getTime() - 71 * HOUR),
      },
      {
        workshop_id: w.id,
        starts_at: new Date(now.getTime() + 7 * 24 * HOUR),
        ends_at: new Date(now.getTime() + 7 * 24 * HOUR + HOUR),
      },
      {
        workshop_id: w.id,
        starts_at: new Date(now.getTime() - 120 * HOUR),
        ends_at: new Date(now.getTime() - 119 * HOUR),
        status: 'cancelled',
      },
    ]);
    dates.over = over?.id as string;
    dates.noAttendance = noAttendance?.id as string;
    dates.coming = coming?.id as string;
    dates.cancelled = cancelled?.id as string;
    // Four days back: sent twice at once below.
    const [twin] = await insertOccurrences(t.db, [
      {
        workshop_id: w.id,
        starts_at: new Date(now.getTime() - 96 * HOUR),
        ends_at: new Date(now.getTime() - 95 * HOUR),
      },
    ]);
    dates.twin = twin?.id as string;
    await insertRegistration(t.db, {
      occurrence_id: dates.twin,
      first_name: 'Inès',
      by_mediator: true,
      state: 'attended',
      attendance_at: now,
    });
    for (const [first, state] of [
      ['Nadia', 'attended'],
      ['Paul', 'attended'],
      ['Rose', 'absent'],
    ] as const)
      await insertRegistration(t.db, {
        occurrence_id: dates.over,
        first_name: first,
        by_mediator: true,
        state,
        attendance_at: now,
      });
    await insertRegistration(t.db, {
      occurrence_id: dates.noAttendance,
      first_name: 'Ali',
      by_mediator: true,
    });
  });
  after(async () => {
    await t.close();
  });

  const records = () => t.db.selectFrom('activity').select(['id', 'workshop_id', 'kind', 'date']).execute();
  const formOf = async (who: CookieBrowser, path: string) => {
    const { res, html } = await who.page(path);
    return { res, html: text(html), csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
  };
  const fields = (over: Record<string, string | string[]> = {}) => ({
    structure: structureId,
    kind: 'collectif',
    date: day,
    duration: '90',
    lieu: `lieu:${placeId}`,
    themes: ['prendre_en_main_du_materiel'],
    workshopTitle: 'Premiers pas sur la tablette',
    workshopLevel: 'debutant',
    participantsTotal: '2',
    workshopDateId: dates.over,
    ...over,
  });

  it('offers the record on the date page once the date is over and attendance taken, not before', async () => {
    const page = text((await staff.page(`/agenda/gestion/dates/${dates.over}`)).html);
    const href = `/activites/nouveau?type=collectif&structure=${structureId}&atelier=${dates.over}`;
    assert.ok(page.includes(`href="${href}"`), 'the link to the filled form');
    assert.match(page, /Enregistrer l’atelier dans les activités/);
    const before = text((await staff.page(`/agenda/gestion/dates/${dates.noAttendance}`)).html);
    assert.match(before, /Prenez les présences : l’atelier pourra ensuite être enregistré/);
    assert.doesNotMatch(before, /atelier=/);
    for (const id of [dates.coming, dates.cancelled]) {
      const html = text((await staff.page(`/agenda/gestion/dates/${id}`)).html);
      assert.doesNotMatch(html, /Enregistrer l’atelier dans les activités|Prenez les présences/, id);
    }
  });

  it('fills the collective form from the workshop: day, length, place, themes, title, level, people present', async () => {
    const { res, html } = await formOf(
      staff,
      `/activites/nouveau?type=collectif&structure=${structureId}&atelier=${dates.over}`,
    );
    assert.equal(res.status, 200);
    assert.match(html, /Enregistrer un atelier collectif/);
    assert.match(html, new RegExp(`Atelier de l’agenda du ${frenchDate(day)}.*2 présents sont repris`));
    assert.match(html, /name="workshopTitle"[^>]*value="Premiers pas sur la tablette"/);
    assert.match(html, new RegExp(`name="date"[^>]*value="(${day}|${frenchDate(day)})"`));
    assert.match(html, /name="participantsTotal"[^>]*value="2"/);
    assert.ok(html.includes(`name="workshopDateId" value="${dates.over}"`));
    assert.match(html, new RegExp(`value="lieu:${placeId}"[^>]*checked|checked[^>]*value="lieu:${placeId}"`));
    assert.match(
      html,
      /value="prendre_en_main_du_materiel"[^>]*checked|checked[^>]*value="prendre_en_main_du_materiel"/,
    );
    assert.match(html, /value="debutant"[^>]*checked|checked[^>]*value="debutant"/);
    // 1 h 30, one of the Coop's durations.
    assert.match(html, /id="duree-90" name="duration" value="90" checked/);
  });

  it('saves through the activities, keeps the workshop, and shows the record instead afterwards', async () => {
    const { csrf } = await formOf(staff, `/activites/nouveau?type=collectif&atelier=${dates.over}`);
    // The date must be the workshop's day: nothing written.
    const wrongDay = await staff.request('/activites/nouveau?type=collectif', {
      form: { _csrf: csrf, ...fields({ date: localToday(new Date(Date.now() - 240 * HOUR)) }) },
    });
    assert.equal(wrongDay.status, 422);
    assert.match(
      text(await wrongDay.text()),
      new RegExp(`La date doit être celle de l’atelier, le ${frenchDate(day)}`),
    );
    assert.equal((await records()).length, 0);

    const saved = await staff.request('/activites/nouveau?type=collectif', {
      form: { _csrf: csrf, ...fields() },
    });
    assert.equal(saved.status, 303);
    const [record, ...more] = await records();
    assert.ok(record && more.length === 0);
    assert.deepEqual(
      { ...record, id: '' },
      { id: '', workshop_id: workshopId, kind: 'collectif', date: day },
    );
    const participants = await t.db
      .selectFrom('activity_participants')
      .select('total')
      .where('activity_id', '=', record.id)
      .executeTakeFirstOrThrow();
    assert.equal(participants.total, 2);
    const shown = text((await staff.page(`/activites/${record.id}`)).html);
    assert.ok(shown.includes(`href="/agenda/ateliers/${workshopId}"`), 'the record links to the workshop');

    // The date page now links to the record; the form's address goes there too.
    const page = text((await staff.page(`/agenda/gestion/dates/${dates.over}`)).html);
    assert.ok(page.includes(`href="/activites/${record.id}"`));
    assert.match(page, /Voir l’atelier enregistré dans les activités/);
    assert.doesNotMatch(page, /atelier=/);
    const again = await staff.request(`/activites/nouveau?type=collectif&atelier=${dates.over}`);
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('Location'), `/activites/${record.id}?fait=atelier`);
    assert.match(
      text((await staff.page(`/activites/${record.id}?fait=atelier`)).html),
      /Cette date d’atelier est déjà enregistrée dans les activités : la voici/,
    );
    // A second record of the same date is refused in French, with the link to the first.
    const second = await staff.request('/activites/nouveau?type=collectif', {
      form: { _csrf: csrf, ...fields() },
    });
    assert.equal(second.status, 422);
    const refusal = text(await second.text());
    assert.match(
      refusal,
      /Cette date d’atelier est déjà enregistrée dans les activités : une seule activité/,
    );
    assert.ok(refusal.includes(`href="/activites/${record.id}"`));
    assert.equal((await records()).length, 1, 'nothing more written');
  });

  it('refuses a coming or cancelled date, and fills nothing from another structure’s date', async () => {
    const { csrf } = await formOf(staff, '/activites/nouveau?type=collectif');
    for (const [id, message] of [
      [dates.coming, /Cet atelier n’est pas encore terminé : enregistrez-le après la séance/],
      [dates.cancelled, /Cette date d’atelier a été annulée/],
      ['pas-un-identifiant', /La date d’atelier de l’agenda liée n’existe pas/],
    ] as const) {
      const res = await staff.request('/activites/nouveau?type=collectif', {
        form: { _csrf: csrf, ...fields({ workshopDateId: id }) },
      });
      assert.equal(res.status, 422, id);
      assert.match(text(await res.text()), message);
    }
    // Another structure's staff: the form says the date is not theirs and shows nothing of it.
    const {
      res,
      html,
      csrf: otherCsrf,
    } = await formOf(other, `/activites/nouveau?type=collectif&atelier=${dates.noAttendance}`);
    assert.equal(res.status, 200);
    assert.match(
      html,
      /Cette date d’atelier n’existe pas ou n’est pas celle d’un atelier de votre structure/,
    );
    assert.doesNotMatch(html, /Premiers pas sur la tablette|workshopDateId/);
    const posted = await other.request('/activites/nouveau?type=collectif', {
      form: {
        _csrf: otherCsrf,
        ...fields({ workshopDateId: dates.noAttendance, lieu: 'a_distance', structure: '' }),
      },
    });
    assert.equal(posted.status, 422);
    assert.match(text(await posted.text()), /n’est pas celle d’un atelier de votre structure/);
    // Their date page stays theirs alone.
    assert.equal((await other.request(`/agenda/gestion/dates/${dates.over}`)).status, 403);
    // An individual record cannot carry a workshop date.
    const individual = await staff.request('/activites/nouveau', {
      form: {
        _csrf: csrf,
        date: day,
        duration: '30',
        lieu: `lieu:${placeId}`,
        themes: ['email'],
        workshopDateId: dates.noAttendance,
      },
    });
    assert.equal(individual.status, 422);
    assert.match(
      text(await individual.text()),
      /La date d’atelier de l’agenda ne s’indique que pour un atelier collectif/,
    );
    assert.equal((await records()).length, 1);
  });

  it('writes one record when the same date is sent twice at once', async () => {
    const { csrf } = await formOf(staff, '/activites/nouveau?type=collectif');
    const twinDay = localToday(
      (
        await t.db
          .selectFrom('workshop_occurrence')
          .select('starts_at')
          .where('id', '=', dates.twin)
          .executeTakeFirstOrThrow()
      ).starts_at,
    );
    const send = () =>
      staff.request('/activites/nouveau?type=collectif', {
        form: {
          _csrf: csrf,
          ...fields({ workshopDateId: dates.twin, date: twinDay, duration: '60', participantsTotal: '1' }),
        },
      });
    const statuses = (await Promise.all([send(), send()])).map((r) => r.status).sort();
    assert.deepEqual(statuses, [303, 422]);
    assert.equal((await records()).filter((r) => r.date === twinDay).length, 1);
  });
});
