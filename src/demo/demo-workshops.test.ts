import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { localToday } from '../places/place-dates.ts';
import { listUpcomingWorkshops } from '../workshops/workshops.service.ts';
import { removeDemo, seedDemoIfFresh } from './demo.service.ts';
import { demoWorkshops } from './demo-workshops.ts';

after(closeTestTemplate);

const place = (n: number) => ({
  id: `00000000-0000-4000-8000-0000000000a${n}`,
  name: `Lieu ${n}`,
  communeCode: '45302',
  postalCode: '45770',
});
const STRUCTURES = [0, 1, 2].map((i) => ({
  structureId: `00000000-0000-4000-8000-00000000000${i + 1}`,
  authorId: null,
  places: [place(i * 3 + 1), place(i * 3 + 2), place(i * 3 + 3)],
}));
const DAY = 86_400_000;

describe('the demonstration’s agenda', () => {
  it('draws a month around its day: past and coming dates, a series, a cancelled date, a tentative, a full one', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const a = demoWorkshops(STRUCTURES, now);
    assert.deepEqual(a, demoWorkshops(STRUCTURES, now), 'deterministic');
    const dates = a.flatMap((w) => w.dates.map((d) => ({ w, d })));
    assert.ok(dates.length >= 22 && dates.length <= 30, `${dates.length} dates`);
    assert.ok(dates.every(({ d }) => d.startsAt.getTime() >= now.getTime() - 15 * DAY));
    assert.ok(dates.every(({ d }) => d.startsAt.getTime() <= now.getTime() + 29 * DAY));
    const past = dates.filter(({ d }) => d.endsAt <= now);
    assert.ok(past.length >= 5 && past.length < dates.length - 10, `${past.length} past dates`);
    assert.equal(new Set(a.map((w) => w.workshop.structure_id)).size, 3);
    assert.ok(new Set(a.map((w) => w.workshop.place_id)).size >= 6, 'several places');
    assert.ok(a.some((w) => w.workshop.mode === 'online'));
    assert.deepEqual(
      new Set(a.map((w) => w.workshop.level)),
      new Set(['debutant', 'intermediaire', 'avance', null]),
    );
    // The weekly series: six dates a week apart, the same time, one coming date cancelled.
    const series = a.find((w) => w.dates.length === 6);
    assert.ok(series);
    for (let i = 1; i < 6; i++)
      assert.equal(
        Math.round(
          ((series.dates[i]?.startsAt.getTime() ?? 0) - (series.dates[i - 1]?.startsAt.getTime() ?? 0)) / DAY,
        ),
        7,
      );
    const cancelled = dates.filter(({ d }) => d.cancelled);
    assert.equal(cancelled.length, 1);
    assert.ok((cancelled[0]?.d.startsAt ?? now) > now, 'a coming date is cancelled');
    assert.equal(a.filter((w) => w.workshop.status === 'tentative').length, 1);
    // The full one: every seat taken and people waiting, in order.
    const full = dates.filter(
      ({ w, d }) => d.registrations.filter((r) => r.state === 'registered').length === w.workshop.capacity,
    );
    assert.equal(full.length, 1);
    assert.deepEqual(
      full[0]?.d.registrations.filter((r) => r.state === 'waiting').map((r) => r.waiting_position),
      [1, 2],
    );
    // Attendance taken on past dates, never on coming ones; contacts that cannot be anybody's.
    for (const { d } of dates) {
      for (const r of d.registrations) {
        if (d.endsAt <= now) assert.ok(r.state === 'attended' || r.state === 'absent');
        else assert.ok(r.state === 'registered' || r.state === 'waiting');
        if (r.email) assert.match(r.email, /@example\.org$/);
        if (r.phone) assert.match(r.phone, /^\+336000000\d\d$/);
        assert.ok(r.by_mediator || r.email || r.phone);
      }
    }
    assert.ok(dates.some(({ d }) => d.registrations.some((r) => r.by_mediator)));
    // Weekdays only.
    for (const { d } of dates) assert.ok(![0, 6].includes(new Date(localToday(d.startsAt)).getUTCDay()));
  });

  it('is seeded with the demonstration, shown by the agenda, and `demo remove` deletes all of it', async () => {
    const t = await createTestDb();
    try {
      const now = new Date();
      await seedDemoIfFresh(t.db, { kind: 'system' }, { now });
      const workshops = await t.db.selectFrom('workshop').select(['id', 'is_demo', 'structure_id']).execute();
      assert.ok(workshops.length >= 10 && workshops.every((w) => w.is_demo), `${workshops.length} workshops`);
      assert.equal(new Set(workshops.map((w) => w.structure_id)).size, 3);
      const occurrences = await t.db.selectFrom('workshop_occurrence').select('id').execute();
      assert.ok(occurrences.length >= 22, `${occurrences.length} dates`);
      const registrations = await t.db
        .selectFrom('workshop_registration')
        .select(['state', 'attendance_at'])
        .execute();
      assert.ok(registrations.some((r) => r.state === 'attended' && r.attendance_at));
      assert.ok(registrations.some((r) => r.state === 'waiting'));
      const agenda = await listUpcomingWorkshops(t.db, { kind: 'anonymous' }, {}, { now });
      assert.ok(agenda.length >= 15, `${agenda.length} coming dates in the agenda`);

      // A workshop somebody created is not the demonstration's: it stays.
      const structure = await t.db
        .insertInto('structure')
        .values({ pivot: '12345678900011', nom: 'Structure réelle' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const real = await t.db
        .insertInto('workshop')
        .values({
          structure_id: structure.id,
          title: 'Atelier réel',
          needs: ['smartphone'],
          mode: 'online',
          online_url: 'https://visio.example.org/reel',
          capacity: 5,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await removeDemo(t.db, { kind: 'system' });
      const left = await t.db.selectFrom('workshop').select(['id', 'is_demo']).execute();
      assert.deepEqual(left, [{ id: real.id, is_demo: false }]);
      assert.equal(
        (await t.db.selectFrom('workshop_registration').select('id').execute()).length,
        0,
        'their registrations are gone with them',
      );
    } finally {
      await t.close();
    }
  });
});
