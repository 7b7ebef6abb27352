import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import { coopLine, coopRows, csvOf, xlsxOf } from '../../test/support/coop-fixtures.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { twoStructures } from '../../test/support/two-structures.ts';
import type { Actor } from '../accounts/policy.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { getActivity, listActivities, recordActivity } from './activities.service.ts';
import { exportCoop, importCoopExport } from './coop-exchange.service.ts';
import { type Cell, EXPORT_COLUMNS } from './coop-sheet.ts';

after(closeTestTemplate);

const NOW = new Date('2026-06-15T10:00:00Z');
const opts = { now: NOW };

/** Two structures with a place each, a mediator in each, and a coordinator. */
const network = (t: TestDb) => twoStructures(t.db);

const workshopLines = (id: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    coopLine({
      idCra: id,
      type: 'Atelier collectif',
      participants: n === 1 ? 1 : `${i + 1}/${n}`,
      workshopTitle: 'Premiers pas',
      stars: '3/3',
      oriented: '',
      placeName: 'Salle des fêtes',
      gender: i === 0 ? 'Masculin' : 'Féminin',
    }),
  );

const count = async (t: TestDb) =>
  Number(
    (
      await t.db
        .selectFrom('activity')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('importing a Coop export', () => {
  it('writes each activity once, matches the place by name, and adds nothing the second time', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const file = xlsxOf(coopRows([coopLine({ idCra: 'i-1' }), ...workshopLines('w-1', 3)]));
      const first = await importCoopExport(
        t.db,
        n.mediator,
        { structureId: n.a, bytes: file, fileName: 'coop.xlsx' },
        opts,
      );
      assert.ok(first.ok, JSON.stringify(first));
      assert.deepEqual(
        { added: first.added, already: first.alreadyHere, lines: first.lines, matched: first.placesMatched },
        { added: 2, already: 0, lines: 4, matched: 1 },
      );
      const list = await listActivities(t.db, n.mediator, { structureId: n.a });
      const individual = list.find((x) => x.externalId === 'i-1');
      assert.equal(individual?.placeId, n.placeA);
      assert.equal(individual?.placeName, 'Médiathèque sud', 'the name as the Coop wrote it');
      assert.equal(individual?.source, 'coop_import');
      assert.equal(individual?.authorId, null, 'nobody in Maillage did the Coop’s work');
      const journal = await t.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'details'])
        .where('action', '=', 'activity.imported')
        .execute();
      assert.equal(journal.length, 1, 'who imported is in the audit log');
      assert.equal(journal[0]?.actor_id, n.mediator.kind === 'person' ? n.mediator.personId : null);
      const workshop = await getActivity(t.db, n.mediator, {
        activityId: list.find((x) => x.externalId === 'w-1')?.id as string,
      });
      assert.equal(workshop.placeId, null);
      assert.equal(workshop.placeName, 'Salle des fêtes');
      assert.deepEqual(workshop.participants?.gender, { masculin: 1, feminin: 2, non_communique: 0 });

      const again = await importCoopExport(
        t.db,
        n.mediator,
        { structureId: n.a, bytes: file, fileName: 'coop.xlsx' },
        opts,
      );
      assert.ok(again.ok);
      assert.deepEqual({ added: again.added, already: again.alreadyHere }, { added: 0, already: 2 });
      assert.equal(await count(t), 2);

      // Another structure importing the same export: told, nothing added.
      const elsewhere = await importCoopExport(
        t.db,
        n.other,
        { structureId: n.b, bytes: file, fileName: 'coop.xlsx' },
        opts,
      );
      assert.ok(elsewhere.ok);
      assert.equal(elsewhere.added, 0);
      assert.deepEqual(
        elsewhere.elsewhere.map((e) => [e.id, e.rows]),
        [
          ['i-1', [6]],
          ['w-1', [7, 8, 9]],
        ],
      );
      assert.equal(await count(t), 2);
    } finally {
      await t.close();
    }
  });

  it('writes nothing when one row is wrong, and lists every error (capped)', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const good = coopLine({ idCra: 'ok-1' });
      const bad = Array.from({ length: 150 }, (_, i) => coopLine({ idCra: `bad-${i}`, duration: 0 }));
      const result = await importCoopExport(
        t.db,
        n.mediator,
        { structureId: n.a, bytes: xlsxOf(coopRows([good, ...bad])), fileName: 'coop.xlsx' },
        opts,
      );
      assert.ok(!result.ok);
      assert.equal(result.errorCount, 150);
      assert.equal(result.errors.length, 100);
      assert.deepEqual(result.errors[0], {
        row: 7,
        column: 'Durée (min)',
        message: 'La durée doit être d’au moins 1 minute.',
      });
      assert.equal(await count(t), 0);
    } finally {
      await t.close();
    }
  });

  it('refuses a PDF, a broken file or another layout with a French message, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const run = (b: Uint8Array) =>
        importCoopExport(t.db, n.mediator, { structureId: n.a, bytes: b, fileName: 'coop.xlsx' }, opts);
      const pdf = await run(new TextEncoder().encode('%PDF-1.4 ...'));
      assert.ok(!pdf.ok && /PDF/.test(pdf.fileError ?? ''));
      const other = await run(
        csvOf([
          ['Nom', 'Prénom'],
          ['a', 'b'],
        ]),
      );
      assert.ok(!other.ok && /« ID CRA »/.test(other.fileError ?? ''));
      assert.equal(await count(t), 0);
    } finally {
      await t.close();
    }
  });

  it('is for the structure’s own staff: not a coordinator, not another structure', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const file = xlsxOf(coopRows([coopLine()]));
      for (const actor of [n.coordinator, n.other, { kind: 'anonymous' } as Actor]) {
        await assert.rejects(
          importCoopExport(t.db, actor, { structureId: n.a, bytes: file, fileName: 'x.xlsx' }, opts),
          (e) => isDomainError(e) && e.code === 'forbidden',
        );
        await assert.rejects(
          exportCoop(t.db, actor, { structureId: n.a, format: 'xlsx' }, opts),
          (e) => isDomainError(e) && e.code === 'forbidden',
        );
      }
    } finally {
      await t.close();
    }
  });
});

describe('exporting in the Coop layout', () => {
  it('exports a period as XLSX or CSV; importing it back recognises every record', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const record = (date: string) =>
        recordActivity(
          t.db,
          n.mediator,
          {
            structureId: n.a,
            values: {
              kind: 'individuel',
              date,
              duration: '45',
              placeKind: 'lieu_activite',
              placeId: n.placeA,
              themes: ['email'],
            },
          },
          opts,
        );
      await record('2026-03-01');
      await record('2026-05-01');
      await record('2026-06-01');
      const xlsx = await exportCoop(
        t.db,
        n.mediator,
        { structureId: n.a, from: '2026-04-01', to: '2026-06-30', format: 'xlsx' },
        opts,
      );
      assert.equal(xlsx.records, 2);
      assert.equal(xlsx.fileName, 'activites-coop-2026-06-15.xlsx');
      const sheet = XLSX.read(xlsx.body, { type: 'array' }).Sheets.Activités;
      assert.ok(sheet);
      const rows = XLSX.utils.sheet_to_json<Cell[]>(sheet, {
        header: 1,
        raw: true,
        defval: null,
        blankrows: true,
      });
      const header = rows.findIndex((r) => r[0] === 'Date');
      const line = rows[header + 1] ?? [];
      const at = (c: (typeof EXPORT_COLUMNS)[number]) => line[EXPORT_COLUMNS.indexOf(c)];
      assert.equal(at('placeName'), 'Médiathèque Sud');
      assert.equal(at('themes'), 'E-mail');
      assert.equal(at('duration'), 45);
      assert.match(String(at('createdAt')), /^\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);

      const csv = await exportCoop(t.db, n.mediator, { structureId: n.a, format: 'csv' }, opts);
      assert.equal(csv.records, 3);
      assert.equal(csv.contentType, 'text/csv; charset=utf-8');
      const back = await importCoopExport(
        t.db,
        n.mediator,
        { structureId: n.a, bytes: csv.body, fileName: 'x.csv' },
        opts,
      );
      assert.ok(back.ok, JSON.stringify(back));
      assert.deepEqual({ added: back.added, already: back.alreadyHere }, { added: 0, already: 3 });
      assert.equal(await count(t), 3);
    } finally {
      await t.close();
    }
  });
});
