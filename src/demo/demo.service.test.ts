import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sendSampleOrientation } from '../../test/authorization/referrals.ts';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { listPlacesPage } from '../places/places.service.ts';
import { listMergeReviews } from '../places/places-merges.service.ts';
import { answerOrientation } from '../referrals/inbox.service.ts';
import { removeDemo, seedDemoIfFresh } from './demo.service.ts';

after(closeTestTemplate);

const count = async (db: Db, table: 'orientation' | 'orientation_event' | 'parcours' | 'audit_log') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function staffOf(db: Db, email: string) {
  return db
    .selectFrom('person')
    .innerJoin('membership', 'membership.person_id', 'person.id')
    .innerJoin('structure', 'structure.id', 'membership.structure_id')
    .select(['person.id', 'person.display_name', 'membership.structure_id', 'structure.nom'])
    .where('person.email', '=', email)
    .executeTakeFirstOrThrow();
}

describe('demonstration orientations', () => {
  it('seeds a few orientations between demo structures 0 and 1, in several states, with fictitious people and their history', async () => {
    const t = await createTestDb();
    try {
      const audits = await count(t.db, 'audit_log');
      await seedDemoIfFresh(t.db, { kind: 'system' });
      const s0 = await staffOf(t.db, 'mediation.demo@example.org');
      const s1 = await staffOf(t.db, 'autre-structure.demo@example.org');
      const rows = await t.db.selectFrom('orientation').selectAll().orderBy('sent_at').execute();
      assert.ok(rows.length >= 3 && rows.length <= 4, `${rows.length} orientations`);
      assert.ok(new Set(rows.map((r) => r.state)).size >= 3, 'different states');
      for (const r of rows) {
        assert.deepEqual(
          new Set([r.sender_structure_id, r.receiver_structure_id]),
          new Set([s0.structure_id, s1.structure_id]),
        );
        assert.equal(r.delivery, 'inbox');
        assert.match(r.person_name ?? '', /Exemple|Fictive|Imaginaire/, 'an obviously fictitious person');
        assert.match(r.message ?? '', /démonstration/);
        const events = await t.db
          .selectFrom('orientation_event')
          .select(['from_state', 'to_state'])
          .where('orientation_id', '=', r.id)
          .orderBy('id')
          .execute();
        assert.equal(events[0]?.to_state, 'sent');
        assert.equal(events.at(-1)?.to_state, r.state, 'the history ends in its state');
      }
      assert.ok(rows.some((r) => r.state === 'sent' && r.receiver_structure_id === s0.structure_id));
      // The demonstration's places come through an import, which the journal records like any other.
      const imports = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'place_import.%')
        .execute();
      assert.deepEqual(
        imports.map((a) => a.action),
        ['place_import.completed', 'place_import.completed'],
        'the demonstration file and its second publisher',
      );
      assert.equal(await count(t.db, 'audit_log'), audits + 2, 'no other audit entry: nothing happened');
      assert.equal(
        (
          await t.db
            .selectFrom('mail_outbox')
            .select('id')
            .where('text_body', 'like', '%/orientations/%')
            .execute()
        ).length,
        0,
        'and no mail',
      );

      // A newcomer signed in as the demo mediator finds her inbox and the orientations she sent.
      const app = testApp(t.db);
      const b = cookieBrowser(app);
      await b.signIn('mediation.demo@example.org');
      const inbox = await b.request('/orientations?etat=toutes');
      assert.equal(inbox.status, 200);
      const html = await inbox.text();
      const received = rows.filter((r) => r.receiver_structure_id === s0.structure_id);
      for (const r of received) assert.ok(html.includes(`/orientations/${r.id}`), `${r.state} in the inbox`);
      // The inbox opens on what is left to do: to answer or to close.
      const toDo = await (await b.request('/orientations')).text();
      for (const r of received)
        assert.equal(
          toDo.includes(`/orientations/${r.id}`),
          r.state === 'sent' || r.state === 'accepted',
          `${r.state} in the first view`,
        );
      const waiting = received.find((r) => r.state === 'sent');
      assert.ok(waiting);
      const page = await b.request(`/orientations/${waiting.id}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Personne Exemple/);
      const sent = await (await b.request('/orientations?boite=envoyees')).text();
      const sentRow = rows.find((r) => r.sender_structure_id === s0.structure_id);
      assert.ok(sentRow && sent.includes(`/orientations/${sentRow.id}`), 'the sent box is not empty either');
    } finally {
      await t.close();
    }
  });

  it('removes them with `demo remove`, even after someone answered one, and keeps real orientations', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db, { kind: 'system' });
      const s0 = await staffOf(t.db, 'mediation.demo@example.org');
      const demoIds = (await t.db.selectFrom('orientation').select('id').execute()).map((r) => r.id);
      const waiting = await t.db
        .selectFrom('orientation')
        .select('id')
        .where('state', '=', 'sent')
        .where('receiver_structure_id', '=', s0.structure_id)
        .executeTakeFirstOrThrow();
      const answered = await answerOrientation(
        t.db,
        {
          kind: 'person',
          personId: s0.id,
          networkRole: null,
          memberships: [{ structureId: s0.structure_id, role: 'staff' }],
        },
        { id: waiting.id, actorName: s0.display_name, decision: 'accept', reason: '', message: '' },
        { config: loadConfig({ DATA_DIR: '/nonexistent-test-dir' }) },
      );
      assert.ok(answered.ok, 'the newcomer accepts one: one more event');
      const real = await sendSampleOrientation(t.db);

      const removed = await removeDemo(t.db, { kind: 'system' });
      assert.equal(removed.orientations, demoIds.length);
      const left = await t.db.selectFrom('orientation').select(['id', 'sender_structure_id']).execute();
      assert.deepEqual(
        left.map((r) => r.id),
        [real.orientationId],
        'only the real orientation is left',
      );
      const events = await t.db.selectFrom('orientation_event').select('orientation_id').execute();
      assert.ok(events.length > 0 && events.every((e) => e.orientation_id === real.orientationId));
      assert.equal(await count(t.db, 'parcours'), 1);
      // The history of real orientations is still append-only after the removal.
      await assert.rejects(
        t.db.deleteFrom('orientation_event').where('orientation_id', '=', real.orientationId).execute(),
        /append-only/,
      );
      assert.deepEqual(
        await removeDemo(t.db, { kind: 'system' }),
        { places: 0, orientations: 0, activities: 0 },
        'idempotent',
      );
    } finally {
      await t.close();
    }
  });
});

describe('demonstration merges', () => {
  it('shows a merge applied and one proposed from a second publisher, and `demo remove` takes both publishers away', async () => {
    const t = await createTestDb();
    try {
      const seeded = await seedDemoIfFresh(t.db, { kind: 'system' });
      const system = { kind: 'system' } as const;
      const { merges } = await listMergeReviews(t.db, system, { filter: 'a-verifier', page: 1 });
      assert.deepEqual(
        merges.map((m) => [m.status, m.canonical.nom, m.merged.nom]),
        [
          ['pending', 'Centre social de La Source', 'France services Orléans Sud'],
          ['applied', 'Médiathèque de La Source', 'Médiathèque La Source'],
        ],
      );
      const shown = (await listPlacesPage(t.db, system, { limit: 1, offset: 0 })).total;
      assert.equal(shown, seeded + 1, 'the demonstration places stay shown, with the proposed counter');
      await removeDemo(t.db, system);
      assert.equal((await listPlacesPage(t.db, system, { limit: 1, offset: 0 })).total, 0);
      assert.equal((await t.db.selectFrom('place_link').select('id').execute()).length, 0);
    } finally {
      await t.close();
    }
  });

  it('applies both merges when MERGE_REVIEW_BELOW is 0', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db, { kind: 'system' }, { mergeReviewBelow: 0 });
      const { merges } = await listMergeReviews(t.db, { kind: 'system' }, { filter: 'a-verifier', page: 1 });
      assert.deepEqual(
        merges.map((m) => m.status),
        ['applied', 'applied'],
      );
    } finally {
      await t.close();
    }
  });
});
