import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import { xlsxOf } from '../../test/support/coop-fixtures.ts';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { readReference } from '../../test/support/reference-data.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { getCommune } from '../communes/communes.ts';
import { importPlacesFile } from '../places/places-import.service.ts';
import { exportCoop, importCoopExport } from './coop-exchange.service.ts';
import {
  type Cell,
  COOP_HEADERS,
  type CoopColumn,
  dayToSerial,
  EXPORT_COLUMNS,
  LEGACY_KIND_LABELS,
  NOT_KEPT_COLUMNS,
  REQUIRED_COLUMNS,
} from './coop-sheet.ts';
import {
  ACTIVITY_KIND_LABELS,
  ADMINISTRATIVE_HELP,
  ADMINISTRATIVE_THEME_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_STARS,
  EQUIPMENT_LABELS,
  GENDER_LABELS,
  isOf,
  keysOf,
  PLACE_KIND_LABELS,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
  THEME_LABELS,
  WORKSHOP_LEVEL_STARS,
} from './vocabulary.ts';

/**
 * La Coop's export of accompaniments, against the pinned `buildAccompagnementsWorksheet.ts`
 * (shared/data/coop-mediation-numerique/, PROVENANCE.md): the header Maillage reads and writes is the
 * Coop's, and a file in that layout holding every value of every list goes through an import and an
 * export with every column Maillage keeps identical, cell by cell, and the others — exactly
 * NOT_KEPT_COLUMNS — empty.
 */

after(closeTestTemplate);

const source = readReference('coop-mediation-numerique', 'buildAccompagnementsWorksheet.ts').toString('utf8');

/** The table's headers in the pinned file, for one pair of the export's switches. */
function pinnedHeaders(flags: { isSelfExport: boolean; hasCraV1: boolean }): string[] {
  const start = source.indexOf('const activitesTableHeaders = [');
  assert.ok(start >= 0, 'the pinned file builds activitesTableHeaders');
  let depth = 0;
  let end = source.indexOf('[', start);
  const open = end;
  for (; end < source.length; end++) {
    if (source[end] === '[') depth++;
    else if (source[end] === ']' && --depth === 0) break;
  }
  const body = source.slice(open + 1, end);
  const out: string[] = [];
  // Plain labels, and spreads `...(cond ? [labels] : [])`, in their order.
  const token = /\.\.\.\(\s*(!?)(\w+)\s*\?\s*\[([^\]]*)\]\s*:\s*\[\s*\]\s*\)|'([^']*)'/g;
  for (const m of body.matchAll(token)) {
    if (m[4] !== undefined) {
      out.push(m[4]);
      continue;
    }
    const flag = flags[m[2] as keyof typeof flags];
    assert.equal(typeof flag, 'boolean', `a switch of the pinned file: ${m[2]}`);
    if ((m[1] === '!') !== flag)
      for (const l of (m[3] as string).matchAll(/'([^']*)'/g)) out.push(l[1] as string);
  }
  return out;
}

const label = (k: CoopColumn) => COOP_HEADERS[k];

describe('the Coop’s export layout, pinned', () => {
  it('is the header Maillage writes: a team’s export without v1 records', () => {
    assert.deepEqual(EXPORT_COLUMNS.map(label), pinnedHeaders({ isSelfExport: false, hasCraV1: false }));
  });

  it('has, in each of its four variants, only columns Maillage knows, and every column an import needs', () => {
    const known = new Set(Object.values(COOP_HEADERS));
    for (const isSelfExport of [true, false])
      for (const hasCraV1 of [true, false]) {
        const headers = pinnedHeaders({ isSelfExport, hasCraV1 });
        assert.deepEqual(
          headers.filter((h) => !known.has(h as never)),
          [],
          `unknown columns (self ${isSelfExport}, v1 ${hasCraV1})`,
        );
        for (const k of REQUIRED_COLUMNS)
          assert.ok(headers.includes(label(k)), `${label(k)} is in the Coop's export`);
      }
    // Every column Maillage names is one of the Coop's.
    const all = new Set(
      [true, false].flatMap((s) =>
        [true, false].flatMap((v) => pinnedHeaders({ isSelfExport: s, hasCraV1: v })),
      ),
    );
    assert.deepEqual(
      Object.values(COOP_HEADERS).filter((h) => !all.has(h)),
      [],
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// A file with every value of every list
// ---------------------------------------------------------------------------------------------------

const ORLEANS = '45234';
const FLEURY = '45147';
const communeName = (code: string) => {
  const c = getCommune(code);
  assert.ok(c, `commune ${code}`);
  return c.nom;
};
const stars = (n: number) => `${n}/3`;
const themesOf = (i: number): string[] => {
  const theme = keysOf(THEME_LABELS)[i % keysOf(THEME_LABELS).length] as string;
  return isOf(ADMINISTRATIVE_THEME_LABELS, theme) ? [ADMINISTRATIVE_HELP, theme] : [theme];
};
const EQUIPMENT_SETS: string[][] = [
  ...keysOf(EQUIPMENT_LABELS).map((e) => [e]),
  ['ordinateur', 'telephone', 'tablette', 'autre'],
  [],
];
const DURATIONS = [15, 30, 45, 60, 90, 120, 75, 1439, 1];

/** The columns Maillage does not keep, filled as the Coop fills them: they must come back empty. */
const notKept = (i: number): Partial<Record<CoopColumn, Cell>> => ({
  createdAt: '04/05/2025 à 10:12',
  updatedAt: i % 2 ? '05/05/2025 à 09:00' : '',
  mediatorFirstName: 'Camille',
  mediatorLastName: 'Martin',
  role: i % 2 ? 'Conseiller Numérique' : 'Médiateur',
  conumId: i % 2 ? 'true' : '',
  address: '12 rue Jeanne d’Arc',
  tags: 'Projet quartier\nFrance Services',
});

function placeColumns(i: number): Partial<Record<CoopColumn, Cell>> {
  const kind = keysOf(PLACE_KIND_LABELS)[i % 4] as keyof typeof PLACE_KIND_LABELS;
  const where =
    kind === 'a_distance'
      ? { placeName: '', commune: '', postalCode: '', communeCode: '' }
      : kind === 'lieu_activite'
        ? {
            placeName: `Espace numérique ${i % 3}`,
            commune: communeName(ORLEANS),
            postalCode: '45000',
            communeCode: ORLEANS,
          }
        : { placeName: '', commune: communeName(FLEURY), postalCode: '45400', communeCode: FLEURY };
  return { placeKind: PLACE_KIND_LABELS[kind], ...where };
}

/** Individual accompaniments: value i of each list (the longest list, the themes, sets how many). */
function individuals(): Partial<Record<CoopColumn, Cell>>[] {
  const n = keysOf(THEME_LABELS).length + 2;
  return Array.from({ length: n }, (_, i) => {
    const themes = themesOf(i);
    const oriented = i % 9 < 7 ? 'Oui' : i % 9 === 7 ? 'Non' : '';
    const redirections = keysOf(REDIRECTION_LABELS);
    const withBeneficiaryCommune = i % 2 === 0;
    return {
      ...notKept(i),
      date: dayToSerial(new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10)),
      type: ACTIVITY_KIND_LABELS.individuel,
      participants: 1,
      ...placeColumns(i),
      duration: DURATIONS[i % DURATIONS.length] as number,
      workshopTitle: '',
      equipment: (EQUIPMENT_SETS[i % EQUIPMENT_SETS.length] as string[])
        .map((e) => EQUIPMENT_LABELS[e as keyof typeof EQUIPMENT_LABELS])
        .join('\n'),
      themes: themes.map((t) => THEME_LABELS[t as keyof typeof THEME_LABELS]).join('\n'),
      procedure: themes.includes(ADMINISTRATIVE_HELP) ? `Démarche n° ${i} — dossier CAF` : '',
      stars: stars(Object.values(AUTONOMY_STARS)[i % 3] as number),
      oriented,
      redirection:
        oriented === 'Oui' ? REDIRECTION_LABELS[redirections[i % 7] as keyof typeof REDIRECTION_LABELS] : '',
      beneficiaryCommune: withBeneficiaryCommune ? communeName(FLEURY) : '',
      beneficiaryPostalCode: withBeneficiaryCommune ? '45400' : '',
      beneficiaryCommuneCode: withBeneficiaryCommune ? FLEURY : '',
      gender: GENDER_LABELS[keysOf(GENDER_LABELS)[i % 3] as keyof typeof GENDER_LABELS],
      ageBand: AGE_BAND_LABELS[keysOf(AGE_BAND_LABELS)[i % 8] as keyof typeof AGE_BAND_LABELS],
      socialStatus:
        SOCIAL_STATUS_LABELS[keysOf(SOCIAL_STATUS_LABELS)[i % 5] as keyof typeof SOCIAL_STATUS_LABELS],
      idCra: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    };
  });
}

/**
 * Workshops, one per level, with 8 anonymous participants: every gender, age band and status, each
 * column in the vocabulary's order (a workshop's anonymous participants are kept as counts; the export
 * writes them back in that order).
 */
function workshops(): Partial<Record<CoopColumn, Cell>>[] {
  const fill = <K extends string>(labels: Record<K, string>, n: number) => {
    const keys = keysOf(labels);
    return Array.from({ length: n }, (_, i) => labels[(keys[i] ?? 'non_communique') as K]);
  };
  return Object.values(WORKSHOP_LEVEL_STARS).flatMap((level, w) => {
    const n = 8;
    const genders = fill(GENDER_LABELS, n);
    const ages = fill(AGE_BAND_LABELS, n);
    const statuses = fill(SOCIAL_STATUS_LABELS, n);
    return Array.from({ length: n }, (_, i) => ({
      ...notKept(i),
      date: dayToSerial(`2025-03-1${w}`),
      type: ACTIVITY_KIND_LABELS.collectif,
      participants: `${i + 1}/${n}`,
      ...placeColumns(w),
      duration: 120,
      workshopTitle: `Atelier ${w} : prendre en main son téléphone`,
      equipment: 'Téléphone\nTablette',
      themes: 'Prendre en main du matériel\nSécurité numérique'.replace(
        'Sécurité numérique',
        THEME_LABELS.securite_numerique,
      ),
      procedure: '',
      stars: stars(level),
      oriented: '',
      redirection: '',
      beneficiaryCommune: '',
      beneficiaryPostalCode: '',
      beneficiaryCommuneCode: '',
      gender: genders[i] as string,
      ageBand: ages[i] as string,
      socialStatus: statuses[i] as string,
      idCra: `atelier-${w}`,
    }));
  });
}

/** The old type `demarche`: comes back as an individual accompaniment with "aide aux démarches". */
const legacy = (): Partial<Record<CoopColumn, Cell>> => ({
  ...(individuals()[1] as Partial<Record<CoopColumn, Cell>>),
  type: LEGACY_KIND_LABELS.demarche,
  themes: ADMINISTRATIVE_THEME_LABELS.logement,
  procedure: 'Demande d’APL',
  idCra: 'legacy-demarche-1',
});

const keyOf = new Map(Object.entries(COOP_HEADERS).map(([k, h]) => [h as string, k as CoopColumn]));

describe('a Coop export with every value of every list, imported then exported', () => {
  it('gives back every column Maillage keeps, cell by cell; the others, exactly NOT_KEPT_COLUMNS, empty', async () => {
    await roundTrip({ isSelfExport: false, hasCraV1: false });
  });

  it('reads the mediator’s own export with v1 records too (beneficiary, notes, source), kept columns unchanged', async () => {
    await roundTrip({ isSelfExport: true, hasCraV1: true });
  });
});

async function roundTrip(variant: { isSelfExport: boolean; hasCraV1: boolean }) {
  {
    const headers = pinnedHeaders(variant);
    const columns = headers.map((h) => keyOf.get(h) as CoopColumn);
    const lines = [...individuals(), ...workshops(), legacy()].map((l, i) => ({
      ...l,
      beneficiary: 'Anonyme',
      notes: i % 3 ? '' : 'Madame D. reviendra jeudi',
      dataSource: 'La Coop de la médiation numérique (V2)',
    }));
    // Every value of every list is in the file.
    const used = (k: CoopColumn) => new Set(lines.flatMap((l) => String(l[k] ?? '').split('\n')));
    for (const [k, labels] of [
      ['themes', THEME_LABELS],
      ['equipment', EQUIPMENT_LABELS],
      ['placeKind', PLACE_KIND_LABELS],
      ['redirection', REDIRECTION_LABELS],
      ['gender', GENDER_LABELS],
      ['ageBand', AGE_BAND_LABELS],
      ['socialStatus', SOCIAL_STATUS_LABELS],
      ['type', { ...ACTIVITY_KIND_LABELS, ...LEGACY_KIND_LABELS }],
    ] as const)
      for (const l of Object.values(labels))
        assert.ok(used(k as CoopColumn).has(l), `${k}: ${l} is in the file`);
    for (const s of ['1/3', '2/3', '3/3']) assert.ok(used('stars').has(s));

    const file = xlsxOf([
      ['Export des activités'],
      ['Date d’export', '15/06/2026'],
      [''],
      headers,
      ...lines.map((l) => columns.map((k) => l[k] ?? '')),
    ]);

    const t = await createTestDb();
    try {
      await importPlacesFile(
        t.db,
        { kind: 'system' },
        bytes(toCsv([sampleRow({ id: 'm1', nom: 'Médiathèque Sud' })])),
        {
          fileName: 'lieux.csv',
        },
      );
      const structureId = (await t.db.selectFrom('place').select('structure_id').executeTakeFirstOrThrow())
        .structure_id as string;
      const { id: personId } = await t.db
        .insertInto('person')
        .values({ email: 'm@example.org', display_name: 'm' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('membership')
        .values({ person_id: personId, structure_id: structureId, role: 'staff' })
        .execute();
      const actor: Actor = {
        kind: 'person',
        personId,
        networkRole: null,
        memberships: [{ structureId, role: 'staff' }],
      };
      const now = { now: new Date('2026-06-15T10:00:00Z') };
      const imported = await importCoopExport(
        t.db,
        actor,
        { structureId, bytes: file, fileName: 'coop.xlsx' },
        now,
      );
      assert.ok(imported.ok, JSON.stringify(imported).slice(0, 2000));
      const activities = new Set(lines.map((l) => l.idCra)).size;
      assert.equal(imported.added, activities);

      const out = await exportCoop(t.db, actor, { structureId, format: 'xlsx' }, now);
      const sheet = XLSX.read(out.body, { type: 'array' }).Sheets.Activités;
      assert.ok(sheet);
      const rows = XLSX.utils.sheet_to_json<Cell[]>(sheet, { header: 1, raw: true, defval: '' });
      const headerAt = rows.findIndex((r) => r[0] === 'Date' && r.includes('ID CRA'));
      assert.deepEqual(
        rows[headerAt],
        pinnedHeaders({ isSelfExport: false, hasCraV1: false }),
        'the export’s header is the pinned one',
      );
      // Each exported line read in the columns of the imported file (absent columns: empty).
      const exported = EXPORT_COLUMNS;
      const back = rows
        .slice(headerAt + 1)
        .map((r) => columns.map((k) => (exported.includes(k) ? (r[exported.indexOf(k)] ?? '') : '')));
      assert.equal(back.length, lines.length);

      const lineKey = (cells: Partial<Record<CoopColumn, Cell>>) => `${cells.idCra}|${cells.participants}`;
      const byKey = new Map(
        back.map((r) => {
          const cells = Object.fromEntries(columns.map((k, i) => [k, r[i]])) as Partial<
            Record<CoopColumn, Cell>
          >;
          return [lineKey(cells), cells];
        }),
      );
      const differences: string[] = [];
      for (const line of lines) {
        const got = byKey.get(lineKey(line));
        assert.ok(got, `line ${lineKey(line)} comes back`);
        for (const k of columns) {
          let expected: Cell = line[k] ?? '';
          if (NOT_KEPT_COLUMNS.includes(k)) expected = '';
          else if (line.idCra === 'legacy-demarche-1' && k === 'type')
            expected = ACTIVITY_KIND_LABELS.individuel;
          else if (line.idCra === 'legacy-demarche-1' && k === 'themes')
            expected = `${ADMINISTRATIVE_THEME_LABELS.logement}\n${THEME_LABELS.aide_aux_demarches_administratives}`;
          if (got[k] !== expected)
            differences.push(
              `${lineKey(line)} « ${label(k)} »: ${JSON.stringify(line[k])} → ${JSON.stringify(got[k])}`,
            );
        }
      }
      assert.deepEqual(differences, []);
      // The columns that come back empty are exactly the listed ones (among the columns of this variant).
      const emptied = columns.filter(
        (k) => lines.some((l) => (l[k] ?? '') !== '') && back.every((r) => r[columns.indexOf(k)] === ''),
      );
      assert.deepEqual(emptied.sort(), NOT_KEPT_COLUMNS.filter((k) => columns.includes(k)).sort());

      // Imported again: nothing added.
      const again = await importCoopExport(
        t.db,
        actor,
        { structureId, bytes: file, fileName: 'coop.xlsx' },
        now,
      );
      assert.ok(again.ok);
      assert.deepEqual([again.added, again.alreadyHere], [0, activities]);
    } finally {
      await t.close();
    }
  }
}
