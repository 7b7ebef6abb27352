import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { localToday } from './place-dates.ts';
import { isNationalSource } from './place-origin.ts';
import { MAILLAGE_SOURCE } from './places.service.ts';
import {
  type ConflictRow,
  listConflicts,
  listEditCorrections,
  listRecentSourceImports,
  listReportCorrections,
  listSources,
  sourceExists,
} from './source-quality.repository.ts';
import {
  type CorrectionLine,
  conflictingFields,
  correctionsCsv,
  correctionsFileName,
  editedFields,
  isPlausibleSource,
} from './source-quality.ts';

/**
 * The directory's sources one by one (docs/decisions/0059): on the data-quality page, what each
 * source's last import brought (new, merged, skipped outside the territory) and the merged places whose
 * records disagree on hours or phone; on the corrections page, the error reports and accepted edits of
 * places that came from another source, for its maintainers. Coordinators only.
 */

/** Imports read for the per-source figures: a source not touched by these shows no last import. */
export const SOURCE_LAST_IMPORTS = 50;
const CONFLICT_LIST_LIMIT = 200;
const CORRECTIONS_PER_SOURCE_SHOWN = 50;

const MESSAGES = {
  noSource:
    "Source inconnue : l'adresse doit nommer une source de l'annuaire (champ « source »). Choisissez-la dans la liste des corrections par source.",
  ownSource: `La source « ${MAILLAGE_SOURCE} » est celle des lieux créés sur ce site : il n'y a personne à qui renvoyer ses corrections.`,
  unknownSource: (source: string) =>
    `Source inconnue : « ${source.slice(0, 100)} » (champ « source »). Aucun lieu de l'annuaire ne vient de cette source ; choisissez-la dans la liste des corrections par source.`,
} as const;

const FIELD_LABELS = { telephone: 'Téléphone', horaires: 'Horaires' } as const;

export interface SourceLastImport {
  id: string;
  startedAt: Date;
  fileName: string | null;
  newPlaces: number;
  updated: number;
  merged: number;
  outsideSkipped: number;
}

export interface SourceFigures {
  source: string;
  /** Read from a national system: the layout it was read in, or "named like one" for older imports. */
  national: 'national' | 'data-inclusion' | 'named' | null;
  /** The site's own places (created here): nothing to send back. */
  own: boolean;
  places: number;
  /** Records hidden behind another record of the same place (the freshest one is shown). */
  hidden: number;
  conflicts: number;
  lastImport: SourceLastImport | null;
}

/** One field on which two merged records of a place disagree, and which record the directory shows. */
export interface SourceConflict {
  linkId: string;
  field: 'telephone' | 'horaires';
  label: string;
  shown: { id: string; nom: string; source: string };
  records: { id: string; source: string; sourceId: string; value: string; shown: boolean }[];
}

export interface SourceQuality {
  sources: SourceFigures[];
  conflicts: { count: number; list: SourceConflict[] };
  lastImports: number;
}

function conflictsOf(row: ConflictRow): SourceConflict[] {
  const a = { telephone: row.a_telephone, horaires: row.a_horaires };
  const b = { telephone: row.b_telephone, horaires: row.b_horaires };
  return conflictingFields(a, b).map((field) => ({
    linkId: row.link_id,
    field,
    label: FIELD_LABELS[field],
    shown: { id: row.shown_id, nom: row.shown_nom, source: row.shown_source },
    records: [
      {
        id: row.a_id,
        source: row.a_source,
        sourceId: row.a_source_id,
        value: a[field] ?? '',
        shown: row.a_id === row.shown_id,
      },
      {
        id: row.b_id,
        source: row.b_source,
        sourceId: row.b_source_id,
        value: b[field] ?? '',
        shown: row.b_id === row.shown_id,
      },
    ],
  }));
}

/**
 * Per source: its records (and those hidden behind another source's record of the same place), what
 * its last import did (new places, updated, merged with another source's place, rows skipped outside
 * the territory), and its conflicts: merged places whose records both give a phone, or hours, and not
 * the same, with the record shown. Not a policy function: the data-quality page's own rule has decided.
 */
export async function sourceQualityOf(db: Db): Promise<SourceQuality> {
  const [sources, imports, conflictRows] = await Promise.all([
    listSources(db),
    listRecentSourceImports(db, SOURCE_LAST_IMPORTS),
    listConflicts(db),
  ]);
  const conflicts = conflictRows.flatMap(conflictsOf);
  const conflictCount = new Map<string, number>();
  for (const c of conflicts)
    for (const source of new Set(c.records.map((r) => r.source)))
      conflictCount.set(source, (conflictCount.get(source) ?? 0) + 1);
  // Rows come most recent first: the first one of a source is its last import.
  const lastImport = new Map<string, SourceLastImport>();
  for (const row of imports) {
    if (lastImport.has(row.source)) continue;
    lastImport.set(row.source, {
      id: row.import_id,
      startedAt: row.started_at,
      fileName: row.file_name,
      newPlaces: row.new_places,
      updated: row.updated,
      merged: row.merged,
      outsideSkipped: row.outside_skipped,
    });
  }
  const held = new Set(sources.map((s) => s.source));
  const figures: SourceFigures[] = sources.map((s) => ({
    source: s.source,
    national: s.national_layout ?? (isNationalSource(s.source) ? 'named' : null),
    own: s.source === MAILLAGE_SOURCE,
    places: s.places,
    hidden: s.hidden,
    conflicts: conflictCount.get(s.source) ?? 0,
    lastImport: lastImport.get(s.source) ?? null,
  }));
  // A source whose every row was skipped outside the territory holds no place, yet was read.
  for (const [source, last] of lastImport)
    if (!held.has(source))
      figures.push({
        source,
        national: isNationalSource(source) ? 'named' : null,
        own: false,
        places: 0,
        hidden: 0,
        conflicts: 0,
        lastImport: last,
      });
  figures.sort((x, y) => x.source.localeCompare(y.source, 'fr'));
  return {
    sources: figures,
    conflicts: { count: conflicts.length, list: conflicts.slice(0, CONFLICT_LIST_LIMIT) },
    lastImports: SOURCE_LAST_IMPORTS,
  };
}

const REPORT_STATUS = {
  new: 'nouveau',
  forwarded: 'transmis à la structure',
  done: 'traité',
  rejected: 'rejeté',
};

async function correctionLines(db: Db, source: string | null): Promise<CorrectionLine[]> {
  const [reports, edits] = await Promise.all([
    listReportCorrections(db, MAILLAGE_SOURCE, source),
    listEditCorrections(db, MAILLAGE_SOURCE, source),
  ]);
  const lines: CorrectionLine[] = [
    ...reports.map(
      (r): CorrectionLine => ({
        kind: 'report',
        recordId: r.id,
        date: r.created_at,
        placeId: r.place_id,
        placeName: r.nom,
        commune: r.commune,
        source: r.source,
        sourceId: r.source_id,
        change: null,
        message: r.message,
        status: REPORT_STATUS[r.status],
      }),
    ),
    ...edits.flatMap((e) =>
      editedFields(e.base, e.proposed).map(
        (change): CorrectionLine => ({
          kind: 'edit',
          recordId: e.id,
          date: e.decided_at ?? e.proposed_at,
          placeId: e.place_id,
          placeName: e.nom,
          commune: e.commune,
          source: e.source,
          sourceId: e.source_id,
          change,
          message: null,
          status: 'appliquée dans Maillage',
        }),
      ),
    ),
  ];
  return lines.sort((x, y) => x.date.getTime() - y.date.getTime() || x.sourceId.localeCompare(y.sourceId));
}

export interface SourceCorrections {
  source: string;
  reports: number;
  edits: number;
  /** The first lines (the CSV gives them all), oldest first. */
  lines: CorrectionLine[];
  total: number;
}

/**
 * The corrections made here to places that came from another source, grouped by source: error reports
 * not rejected (what the person wrote, never their contact) and each field changed by an accepted edit
 * (value before and after). The site's own places are left out: they have no other source to inform.
 * Coordinators only.
 */
export async function listSourceCorrections(db: Db, actor: Actor): Promise<SourceCorrections[]> {
  authorize(actor, 'listSourceCorrections');
  const bySource = new Map<string, CorrectionLine[]>();
  for (const line of await correctionLines(db, null)) {
    const list = bySource.get(line.source) ?? [];
    list.push(line);
    bySource.set(line.source, list);
  }
  return [...bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'fr'))
    .map(([source, lines]) => ({
      source,
      reports: lines.filter((l) => l.kind === 'report').length,
      edits: new Set(lines.filter((l) => l.kind === 'edit').map((l) => l.recordId)).size,
      lines: lines.slice(0, CORRECTIONS_PER_SOURCE_SHOWN),
      total: lines.length,
    }));
}

/**
 * One source's corrections as a spreadsheet CSV for its maintainers (French columns, formulas made
 * inert, the source's own id of each place). An unknown source, or the site's own, is not found.
 * Coordinators only.
 */
export async function downloadSourceCorrections(
  db: Db,
  actor: Actor,
  input: { source: string | undefined; publicUrl: string; now?: Date },
): Promise<{ fileName: string; contentType: string; body: string }> {
  authorize(actor, 'downloadSourceCorrections');
  const source = input.source?.trim();
  if (!isPlausibleSource(source)) throw new DomainError('not_found', MESSAGES.noSource, { field: 'source' });
  if (source === MAILLAGE_SOURCE)
    throw new DomainError('not_found', MESSAGES.ownSource, { field: 'source', value: source });
  if (!(await sourceExists(db, source)))
    throw new DomainError('not_found', MESSAGES.unknownSource(source), { field: 'source', value: source });
  const lines = await correctionLines(db, source);
  const base = input.publicUrl.replace(/\/+$/, '');
  return {
    fileName: correctionsFileName(source, localToday(input.now ?? new Date())),
    contentType: 'text/csv; charset=utf-8',
    body: correctionsCsv(lines, (id) => `${base}/lieux/${id}`),
  };
}
