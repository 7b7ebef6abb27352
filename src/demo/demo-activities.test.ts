import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { localToday } from '../places/place-dates.ts';
import { removeDemo, seedDemoIfFresh } from './demo.service.ts';
import { demoActivities, demoCoordination } from './demo-activities.ts';

after(closeTestTemplate);

const STRUCTURES = [
  {
    structureId: '00000000-0000-4000-8000-000000000001',
    authorId: null,
    places: [
      {
        id: '00000000-0000-4000-8000-0000000000a1',
        name: 'Médiathèque',
        communeCode: '45234',
        postalCode: '45000',
      },
    ],
  },
  { structureId: '00000000-0000-4000-8000-000000000002', authorId: null, places: [] },
];

describe('the demonstration’s activity records', () => {
  it('draws the same year every time: working days, plausible values, counts that add up', () => {
    const a = demoActivities(STRUCTURES, '2026-12-04');
    const b = demoActivities(STRUCTURES, '2026-12-04');
    assert.deepEqual(a, b, 'deterministic');
    assert.ok(a.length > 400, `${a.length} records`);
    const dates = a.map((r) => r.activity.date);
    assert.ok(
      dates.every((d) => d >= '2025-12-05' && d <= '2026-12-04'),
      'within the year, none in the future',
    );
    assert.ok(
      dates.every((d) => ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay())),
      'working days',
    );
    assert.ok(
      a.some((r) => r.activity.kind === 'collectif') && a.some((r) => r.activity.kind === 'individuel'),
    );
    for (const { activity, participants } of a) {
      const p = participants as unknown as Record<string, number>;
      const sum = (prefix: string) =>
        Object.entries(p)
          .filter(([k]) => k.startsWith(prefix))
          .reduce((n, [, v]) => n + v, 0);
      for (const prefix of ['gender_', 'age_', 'status_']) assert.equal(sum(prefix), p.total, prefix);
      assert.equal(p.total, activity.kind === 'individuel' ? 1 : p.total);
      if (activity.kind === 'collectif') assert.ok((p.total ?? 0) >= 4 && (p.total ?? 0) <= 12);
      assert.ok((activity.duration_minutes ?? 0) >= 30 && (activity.duration_minutes ?? 0) <= 180);
      // The structure without places records remotely only.
      if (activity.structure_id === STRUCTURES[1]?.structureId)
        assert.equal(activity.place_kind, 'a_distance');
    }
    const kinds = demoCoordination(null, '2026-12-04').map((c) => c.kind);
    assert.deepEqual([...new Set(kinds)].sort(), ['animation', 'evenement', 'partenariat']);
  });

  it('is seeded with the demonstration for structures 0, 1 and a third, and `demo remove` deletes all of it', async () => {
    const t = await createTestDb();
    try {
      const started = performance.now();
      await seedDemoIfFresh(t.db, { kind: 'system' });
      const ms = performance.now() - started;
      const rows = await t.db
        .selectFrom('activity')
        .select(['structure_id', 'is_demo', 'date', 'author_id'])
        .execute();
      assert.ok(rows.length > 500, `${rows.length} records`);
      assert.ok(rows.every((r) => r.is_demo));
      assert.equal(new Set(rows.map((r) => r.structure_id)).size, 3);
      assert.ok(rows.every((r) => r.date <= localToday(new Date())));
      const staff = await t.db
        .selectFrom('person')
        .select('id')
        .where('email', 'in', ['mediation.demo@example.org', 'autre-structure.demo@example.org'])
        .execute();
      const authors = new Set(rows.map((r) => r.author_id));
      for (const s of staff) assert.ok(authors.has(s.id), 'the demo mediators recorded them');
      const participants = await t.db.selectFrom('activity_participants').select('activity_id').execute();
      assert.equal(participants.length, rows.length, 'every record has its counts');
      const coordination = await t.db
        .selectFrom('coordination_activity')
        .select(['is_demo', 'author_id'])
        .execute();
      assert.ok(coordination.length >= 5 && coordination.every((c) => c.is_demo && c.author_id));
      // A coordination activity somebody typed is not the demonstration's: it stays.
      await t.db
        .insertInto('coordination_activity')
        .values({ kind: 'animation', date: '2026-01-05', duration_minutes: 60, animation_type: 'autre' })
        .execute();
      console.log(`demo seed with activity records: ${Math.round(ms)} ms`);

      const removed = await removeDemo(t.db, { kind: 'system' });
      assert.equal(removed.activities, rows.length + coordination.length);
      assert.equal((await t.db.selectFrom('activity').select('id').execute()).length, 0);
      assert.equal(
        (await t.db.selectFrom('activity_participants').select('activity_id').execute()).length,
        0,
      );
      const left = await t.db.selectFrom('coordination_activity').select('is_demo').execute();
      assert.deepEqual(left, [{ is_demo: false }]);
    } finally {
      await t.close();
    }
  });
});
