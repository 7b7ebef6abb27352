import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { currentForm, demoPlaceApp, isoInDays } from '../../test/support/place-edit-fixtures.ts';
import { closeTestTemplate } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { DEFAULT_LIMITS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { reportPlaceError } from '../places/error-reports.service.ts';
import { proposePlaceChange } from '../places/place-edit.service.ts';
import { importPlaceRecords } from '../places/places-import.service.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { forwardErrorReport } from './error-report-forwarding.service.ts';
import { decidePlaceChange } from './moderation.service.ts';
import { homeBlocks } from './moderation-home.service.ts';

after(closeTestTemplate);

const SYSTEM = { kind: 'system' } as const;
const CONFIG = { config: { publicUrl: 'http://localhost' } };

/** The actor of a demo account, as a session builds it. */
async function actorOf(db: Db, email: string): Promise<Actor> {
  const person = await db
    .selectFrom('person')
    .select(['id', 'network_role'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const memberships = await db
    .selectFrom('membership')
    .select(['structure_id', 'role'])
    .where('person_id', '=', person.id)
    .execute();
  return {
    kind: 'person',
    personId: person.id,
    networkRole: person.network_role,
    memberships: memberships.map((m) => ({ structureId: m.structure_id, role: m.role })),
  };
}

const byId = (blocks: HomeBlock[]) => new Map(blocks.map((b) => [b.id, b]));

describe('home blocks of moderation and freshness', () => {
  it("counts the coordinator's changes, reports, stale places and last imports as the data holds them", async () => {
    const { t, place } = await demoPlaceApp();
    try {
      const db = t.db;
      const coordinator = await actorOf(db, 'coordination.demo@example.org');
      // Nothing waits yet: every to-do block says zero.
      const empty = byId(await homeBlocks(db, coordinator));
      assert.equal(empty.get('moderation.pending')?.count, 0);
      assert.equal(empty.get('moderation.error_reports')?.count, 0);

      // One change with a closure (public at once), three reports of which one is forwarded.
      const form = await currentForm(t, place.id);
      form.text.presentation_resume = 'Nouvel atelier.';
      form.closures[0] = { debut: isoInDays(2), fin: isoInDays(4), motif: '', retirer: false };
      const proposed = await proposePlaceChange(
        db,
        SYSTEM,
        { placeId: place.id, form, proposerLabel: 'Sam (médiation)' },
        { config: { geocoderUrl: null } },
      );
      assert.ok(proposed.ok);
      const reports: string[] = [];
      for (const message of ['Téléphone faux.', 'Adresse fausse.', 'Fermé le lundi.']) {
        const r = await reportPlaceError(
          db,
          SYSTEM,
          { placeId: place.id, message, contact: '' },
          { client: `c-${message}`, limits: DEFAULT_LIMITS },
        );
        assert.ok(r.ok);
        reports.push(r.id);
      }
      await forwardErrorReport(db, SYSTEM, { reportId: reports[0] as string }, CONFIG);

      // Three stale places exactly: every place dated today, three of them two years ago.
      const today = new Date().toISOString().slice(0, 10);
      await db.updateTable('place').set({ date_maj: today }).execute();
      const old = await db.selectFrom('place').select('id').orderBy('nom').limit(3).execute();
      await db
        .updateTable('place')
        .set({ date_maj: isoInDays(-730) })
        .where(
          'id',
          'in',
          old.map((p) => p.id),
        )
        .execute();

      // A real import (empty file) and a dry run, which the block leaves out.
      await importPlaceRecords(db, SYSTEM, [], [], { fileName: 'lieux-vides.csv', source: 'vide' });
      await importPlaceRecords(db, SYSTEM, [], [], { fileName: 'essai.csv', source: 'vide', dryRun: true });
      const demoCount = Number(
        (
          await db
            .selectFrom('place')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

      const blocks = byId(await homeBlocks(db, coordinator));
      const pending = blocks.get('moderation.pending');
      assert.equal(pending?.count, 1);
      assert.equal(pending?.href, '/moderation');
      assert.match(pending?.summary ?? '', /dont 1 avec une fermeture temporaire déjà publique/);
      assert.equal(pending?.items?.[0]?.label, 'Bibliothèque de Boigny-sur-Bionne (Boigny-sur-Bionne)');
      assert.match(pending?.items?.[0]?.href ?? '', /^\/moderation\/modifications\/[0-9a-f-]{36}$/);

      const errors = blocks.get('moderation.error_reports');
      assert.equal(errors?.count, 3);
      assert.match(errors?.summary ?? '', /signalements ouverts : 2 à traiter, 1 transmis à une structure/);
      assert.equal(errors?.items?.length, 2);

      const stale = blocks.get('places.stale');
      assert.equal(stale?.count, 3);
      assert.equal(stale?.href, '/qualite');

      const imports = blocks.get('places.imports');
      assert.equal(imports?.kind, 'figures');
      assert.equal(imports?.count, 3);
      // The demonstration's second publisher brings two places: one merged, one created.
      assert.deepEqual(
        imports?.items?.map((i) => [i.label.replace(/^.* — /, ''), i.detail]),
        [
          ['lieux-vides.csv', '0 créé, 0 mis à jour, 0 ligne refusée'],
          ['demonstration-cartographie', '1 créé, 0 mis à jour, 0 ligne refusée'],
          ['demonstration', `${demoCount - 2} créés, 0 mis à jour, 0 ligne refusée`],
        ],
      );
      const merges = blocks.get('places.merges_to_review');
      assert.equal(merges?.count, 1, 'the demonstration proposes one merge');
      assert.equal(merges?.href, '/fusions?etat=a-verifier');

      // Deciding the change empties the block.
      await decidePlaceChange(
        db,
        coordinator,
        { changeId: proposed.ok ? (proposed.changeId as string) : '', decision: 'approve', message: '' },
        CONFIG,
      );
      assert.equal(byId(await homeBlocks(db, coordinator)).get('moderation.pending')?.count, 0);
    } finally {
      await t.close();
    }
  });

  it("shows each structure's members the reports forwarded to their structure, and nothing to others", async () => {
    const { t, place } = await demoPlaceApp();
    try {
      const db = t.db;
      for (const [i, message] of ['Horaires faux.', 'Site web cassé.'].entries()) {
        const r = await reportPlaceError(
          db,
          SYSTEM,
          { placeId: place.id, message, contact: '' },
          { client: `c-${i}`, limits: DEFAULT_LIMITS },
        );
        assert.ok(r.ok);
        await forwardErrorReport(db, SYSTEM, { reportId: r.id }, CONFIG);
      }
      const admin = await homeBlocks(db, await actorOf(db, 'admin.demo@example.org'));
      assert.deepEqual(
        admin.map((b) => [b.id, b.audience, b.count, b.href]),
        [['moderation.forwarded_reports', 'structure', 2, '/signalements']],
      );
      assert.ok(admin[0]?.structureName);
      const other = await homeBlocks(db, await actorOf(db, 'autre-structure.demo@example.org'));
      assert.deepEqual(
        other.map((b) => [b.id, b.count]),
        [['moderation.forwarded_reports', 0]],
      );
      assert.notEqual(other[0]?.structureName, admin[0]?.structureName);
      assert.deepEqual(await homeBlocks(db, await actorOf(db, 'financeur.demo@example.org')), []);
      assert.deepEqual(await homeBlocks(db, SYSTEM), []);
      const coordinator = await homeBlocks(db, await actorOf(db, 'coordination.demo@example.org'));
      assert.ok(!coordinator.some((b) => b.audience === 'structure'));
    } finally {
      await t.close();
    }
  });
});
