import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { workshopNetwork } from '../../test/support/workshop-fixtures.ts';
import type { Actor } from '../accounts/policy.ts';
import { listCoordinationActivities } from '../activities/activities.service.ts';
import { DEFAULT_LIMITS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { isDomainError } from '../shared/domain-error.ts';
import {
  addNetworkSession,
  addNetworkTrack,
  createNetworkDay,
  getNetworkDay,
  getNetworkDayForEdit,
  listUpcomingNetworkDays,
  recordNetworkDayActivity,
  updateNetworkDay,
  updateNetworkSession,
} from './network-days.service.ts';
import { recordAttendance, registerForWorkshop } from './registrations.service.ts';
import { getWorkshop } from './workshops.service.ts';

after(closeTestTemplate);

// Each test's database, closed after it (an open PGlite keeps the process alive).
const opened: TestDb[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});
async function openDb(): Promise<TestDb> {
  const t = await createTestDb();
  opened.push(t);
  return t;
}

const NOW = new Date('2026-12-07T09:00:00Z'); // Monday 10:00 in Paris
const DAY = '2026-12-15';
const AFTER = new Date('2026-12-16T09:00:00Z');
const ANONYMOUS: Actor = { kind: 'anonymous' };
const refused = (code: string) => (error: unknown) => isDomainError(error) && error.code === code;
const count = async (db: Db, table: 'network_event' | 'network_track' | 'network_session' | 'workshop') =>
  Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

async function aDay(db: Db) {
  const net = await workshopNetwork(db);
  const created = await createNetworkDay(
    db,
    net.coordinator,
    {
      day: {
        structureId: net.a,
        title: 'Journée du réseau',
        day: DAY,
        placeId: net.placeA,
        description: 'Le programme.',
      },
      tracks: ['Politique territoriale', 'Pass numérique'],
    },
    { now: NOW },
  );
  assert.ok(created.ok, JSON.stringify(created));
  const [t1, t2] = created.day.tracks.map((t) => t.id) as [string, string];
  return { net, day: created.day, t1, t2 };
}

const session = (trackId: string, over: Record<string, string> = {}) => ({
  title: 'Table ronde',
  description: 'Qui fait quoi.',
  trackId,
  start: '10:00',
  end: '11:30',
  room: 'Grande salle',
  speakers: 'Nadia Benali, centre social\nPaul Girard',
  theme: 'culture_numerique',
  capacity: '2',
  ...over,
});

describe('the network days', () => {
  it('puts a day with tracks and sessions in the agenda, each session a workshop of the organising structure', async () => {
    const { db } = await openDb();
    const { net, day, t1, t2 } = await aDay(db);
    assert.deepEqual(
      day.tracks.map((t) => [t.name, t.position]),
      [
        ['Politique territoriale', 1],
        ['Pass numérique', 2],
      ],
    );
    const s1 = await addNetworkSession(
      db,
      net.coordinator,
      { dayId: day.id, session: session(t1) },
      { now: NOW },
    );
    assert.ok(s1.ok, JSON.stringify(s1));
    const s2 = await addNetworkSession(
      db,
      net.coordinator,
      {
        dayId: day.id,
        session: session(t2, { title: 'Atelier pass', start: '09:00', end: '09:45', room: 'Salle 2' }),
      },
      { now: NOW },
    );
    assert.ok(s2.ok);
    const workshop = await getWorkshop(db, ANONYMOUS, { workshopId: s1.workshopId }, { now: NOW });
    assert.equal(workshop.structureId, net.a);
    assert.equal(workshop.dates.length, 1);
    assert.equal(workshop.dates[0]?.startsAt.toISOString(), '2026-12-15T09:00:00.000Z');
    const view = await getNetworkDay(db, ANONYMOUS, { dayId: day.id }, { now: NOW });
    assert.deepEqual(
      view.sessions.map((s) => s.title),
      ['Atelier pass', 'Table ronde'],
    );
    assert.deepEqual(view.tracks[0]?.sessions[0]?.speakers, [
      { name: 'Nadia Benali', role: 'centre social' },
      { name: 'Paul Girard', role: '' },
    ]);
    const upcoming = await listUpcomingNetworkDays(db, ANONYMOUS, {}, { now: NOW });
    assert.deepEqual(
      upcoming.map((d) => d.title),
      ['Journée du réseau'],
    );
    assert.deepEqual(await listUpcomingNetworkDays(db, ANONYMOUS, {}, { now: AFTER }), []);
  });

  it('refuses bad input with French messages naming the field, writing nothing', async () => {
    const { db } = await openDb();
    const { net, day, t1 } = await aDay(db);
    const before = await count(db, 'workshop');
    const bad = async (over: Record<string, string>, field: string, words: RegExp) => {
      const r = await addNetworkSession(
        db,
        net.coordinator,
        { dayId: day.id, session: session(t1, over) },
        { now: NOW },
      );
      assert.equal(r.ok, false);
      assert.match((r as { errors: Record<string, string> }).errors[field] ?? '', words);
    };
    await bad({ end: '09:00' }, 'end', /^Fin : la fin doit venir après le début/);
    await bad(
      { start: '2026-12-16 10:00', end: '2026-12-16 11:00' },
      'start',
      /^Début : .*le jour de la journée \(2026-12-15\)/,
    );
    await bad({ trackId: '00000000-0000-4000-8000-00000000dead' }, 'trackId', /^Parcours : /);
    await bad({ trackId: 'pas-un-id' }, 'trackId', /^Parcours : /);
    await bad({ replayUrl: 'javascript:alert(1)' }, 'replayUrl', /^Lien du replay : .*http/);
    await bad({ slidesUrl: 'ftp://exemple.fr/x.pdf' }, 'slidesUrl', /^Lien des supports : /);
    await bad({ start: '25:00' }, 'start', /^Début : « 25:00 »/);
    assert.equal(await count(db, 'workshop'), before);
    assert.equal(await count(db, 'network_session'), 0);
    const noDay = await createNetworkDay(
      db,
      net.coordinator,
      { day: { structureId: net.a, title: '', day: '2026-02-30', placeId: 'x' }, tracks: ['A', 'A'] },
      { now: NOW },
    );
    assert.equal(noDay.ok, false);
    const errors = (noDay as { errors: Record<string, string> }).errors;
    assert.match(errors.title ?? '', /^Titre/);
    assert.match(errors.day ?? '', /^Date : « 2026-02-30 »/);
    assert.match(errors.placeId ?? '', /^Lieu/);
    assert.match(errors.tracks ?? '', /existe déjà/);
    assert.equal(await count(db, 'network_event'), 1);
    const taken = await addNetworkTrack(db, net.coordinator, { dayId: day.id, name: 'Pass numérique' });
    assert.equal(taken.ok, false);
    await assert.rejects(getNetworkDay(db, ANONYMOUS, { dayId: 'nope' }), refused('not_found'));
    await assert.rejects(
      getNetworkDay(db, ANONYMOUS, { dayId: '00000000-0000-4000-8000-000000000000' }),
      refused('not_found'),
    );
  });

  it('lets coordinators alone change a day, and keeps the day once sessions are on it', async () => {
    const { db } = await openDb();
    const { net, day, t1 } = await aDay(db);
    for (const actor of [ANONYMOUS, net.facilitator, net.other])
      await assert.rejects(
        addNetworkSession(db, actor, { dayId: day.id, session: session(t1) }, { now: NOW }),
        refused('forbidden'),
      );
    await assert.rejects(getNetworkDayForEdit(db, net.facilitator, { dayId: day.id }), refused('forbidden'));
    assert.ok(
      (await addNetworkSession(db, net.coordinator, { dayId: day.id, session: session(t1) }, { now: NOW }))
        .ok,
    );
    const moved = await updateNetworkDay(
      db,
      net.coordinator,
      { dayId: day.id, day: { title: 'Autre titre', day: '2026-12-16', placeId: net.placeA } },
      { now: NOW },
    );
    assert.equal(moved.ok, false);
    assert.match((moved as { errors: Record<string, string> }).errors.day ?? '', /^Date : 1 séance/);
    const renamed = await updateNetworkDay(
      db,
      net.coordinator,
      { dayId: day.id, day: { title: 'Autre titre', day: DAY, placeId: net.placeA } },
      { now: NOW },
    );
    assert.ok(renamed.ok);
    assert.equal(renamed.day.title, 'Autre titre');
  });

  it('shows replay and slides only after the session, and attendance counts without names', async () => {
    const { db } = await openDb();
    const { net, day, t1 } = await aDay(db);
    const s = await addNetworkSession(
      db,
      net.coordinator,
      { dayId: day.id, session: session(t1) },
      { now: NOW },
    );
    assert.ok(s.ok);
    const w = await getWorkshop(db, ANONYMOUS, { workshopId: s.workshopId }, { now: NOW });
    const occurrenceId = w.dates[0]?.id as string;
    const reg = await registerForWorkshop(
      db,
      ANONYMOUS,
      { occurrenceId, form: { firstName: 'Inès', phone: '', email: 'ines@example.org' } },
      { client: 'c1', limits: DEFAULT_LIMITS, publicUrl: 'https://m.example.org', now: NOW },
    );
    assert.ok(reg.ok);
    const edited = await updateNetworkSession(
      db,
      net.coordinator,
      {
        sessionId: s.workshopId,
        session: session(t1, {
          replayUrl: 'https://video.example.org/r',
          slidesUrl: 'http://example.org/s.pdf',
        }),
      },
      { now: AFTER },
    );
    assert.ok(edited.ok, JSON.stringify(edited));
    const during = new Date('2026-12-15T09:30:00Z');
    const beforeEnd = await getNetworkDay(db, ANONYMOUS, { dayId: day.id }, { now: during });
    assert.equal(beforeEnd.sessions[0]?.replayUrl, null);
    assert.equal(beforeEnd.sessions[0]?.date.registered, 1);
    const registrationId = (
      await db.selectFrom('workshop_registration').select('id').executeTakeFirstOrThrow()
    ).id;
    const marked = await recordAttendance(
      db,
      net.facilitator,
      { occurrenceId, marks: { [registrationId]: 'attended' } },
      { now: during },
    );
    assert.ok(marked.ok, JSON.stringify(marked));
    const later = await getNetworkDay(db, ANONYMOUS, { dayId: day.id }, { now: AFTER });
    assert.equal(later.sessions[0]?.replayUrl, 'https://video.example.org/r');
    assert.equal(later.sessions[0]?.slidesUrl, 'http://example.org/s.pdf');
    assert.equal(later.attended, 1);
    assert.equal(JSON.stringify(later).includes('Inès'), false);
    assert.equal(JSON.stringify(later).includes('ines@'), false);
  });

  it('records the day once as a coordination activity "évènement", type nec_local, after the day', async () => {
    const { db } = await openDb();
    const { net, day, t1 } = await aDay(db);
    const s = await addNetworkSession(
      db,
      net.coordinator,
      { dayId: day.id, session: session(t1) },
      { now: NOW },
    );
    assert.ok(s.ok);
    await assert.rejects(
      recordNetworkDayActivity(db, net.coordinator, { dayId: day.id }, { now: NOW }),
      (e: unknown) => refused('conflict')(e) && /pas encore eu lieu/.test((e as Error).message),
    );
    await assert.rejects(
      recordNetworkDayActivity(db, net.facilitator, { dayId: day.id }, { now: AFTER }),
      refused('forbidden'),
    );
    const done = await recordNetworkDayActivity(db, net.coordinator, { dayId: day.id }, { now: AFTER });
    assert.equal(done.participants, 0);
    await assert.rejects(
      recordNetworkDayActivity(db, net.coordinator, { dayId: day.id }, { now: AFTER }),
      (e: unknown) => refused('conflict')(e) && /déjà enregistrée/.test((e as Error).message),
    );
    const activities = await listCoordinationActivities(db, net.coordinator);
    assert.equal(activities.length, 1);
    assert.equal(activities[0]?.kind, 'evenement');
    assert.equal(activities[0]?.eventType, 'nec_local');
    assert.equal(activities[0]?.date, DAY);
    const row = await db
      .selectFrom('coordination_activity')
      .select('agenda_event_id')
      .executeTakeFirstOrThrow();
    assert.equal(row.agenda_event_id, day.id);
  });
});
