import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { formatDay, localToday } from './place-dates.ts';
import {
  findActiveLinkOfMerged,
  findImport,
  findLaterImportsTouching,
  findLink,
  type ImportSummaryRow,
  listActiveLinks,
  listImports,
  markUnmerged,
  revertImport,
} from './places.repository.ts';
import type { ImportIssue } from './places.ts';
import { serializeImportReportCsv } from './places-file.ts';

/**
 * The history of the imports and of the merges they made: the imports with their reports, undoing an
 * import, the merges in force and undoing one.
 */

/** The user-facing messages of undo and merges, in one place. */
const MESSAGES = {
  importNotFound: "Cet import n'existe pas.",
  dryRunUndo: "Cet import était un essai (--dry-run) : il n'a rien enregistré, il n'y a rien à annuler.",
  alreadyUndone: (when: Date) => `Cet import a déjà été annulé le ${when.toISOString().slice(0, 10)}.`,
  laterImports: (later: { id: string; started_at: Date; places: number }[]) =>
    `Des imports plus récents ont modifié les mêmes lieux : annulez-les d'abord, du plus récent au plus ancien (${later
      .map(
        (l) =>
          `${l.id} du ${new Date(l.started_at).toISOString().slice(0, 16).replace('T', ' ')}, ${l.places} lieu${l.places > 1 ? 'x' : ''}`,
      )
      .join(' ; ')}).`,
  linkNotFound: 'Aucune fusion en cours ne correspond à cet identifiant (fusion ou lieu fusionné).',
  alreadySeparated: (when: Date, by: string | null) =>
    `Cette fusion a déjà été séparée le ${formatDay(localToday(when))}${by ? ` par ${by}` : ''} : les deux lieux sont distincts et ne seront plus fusionnés.`,
} as const;

/** How a merge's reviewer is named when the caller gives no name: the command line, or a coordinator. */
export function reviewerOf(actor: Actor, label?: string): { id: string | null; label: string } {
  const fallback = actor.kind === 'person' ? 'la coordination' : 'ligne de commande';
  return { id: actorId(actor), label: label?.trim() || fallback };
}

export interface ImportSummary {
  id: string;
  seq: number;
  startedAt: Date;
  actor: string;
  fileName: string | null;
  fileSha256: string | null;
  source: string | null;
  dryRun: boolean;
  undoneAt: Date | null;
  counts: Record<string, number>;
}

function toImportSummary(row: ImportSummaryRow): ImportSummary {
  return {
    id: row.id,
    seq: row.seq,
    startedAt: row.started_at,
    actor: row.actor,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    source: row.source,
    dryRun: row.dry_run,
    undoneAt: row.undone_at,
    counts: row.counts,
  };
}

/** The imports, most recent first, for the coordinators who manage the directory's data. */
export async function listPlaceImports(db: Db, actor: Actor): Promise<ImportSummary[]> {
  authorize(actor, 'listPlaceImports');
  return (await listImports(db)).map(toImportSummary);
}

export interface ImportDetail extends ImportSummary {
  warnings: ImportIssue[];
  errors: ImportIssue[];
}

/** One import with its full report (rejected rows and warnings). */
export async function getPlaceImport(db: Db, id: string): Promise<ImportDetail> {
  const row = isUuid(id) ? await findImport(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.importNotFound, { id });
  const report = (row.report ?? {}) as { warnings?: ImportIssue[]; errors?: ImportIssue[] };
  return { ...toImportSummary(row), warnings: report.warnings ?? [], errors: report.errors ?? [] };
}

/** An import report as CSV (one line per rejected row field or warning), for spreadsheets. */
export async function importReportCsv(db: Db, id: string): Promise<string> {
  const detail = await getPlaceImport(db, id);
  return serializeImportReportCsv([
    ...detail.errors.map((issue) => ({ kind: 'refus' as const, issue })),
    ...detail.warnings.map((issue) => ({ kind: 'avertissement' as const, issue })),
  ]);
}

/**
 * Undoes an import: every place it changed gets back its exact previous row, places it added are
 * deleted, merges it made are removed. Imports are undone from the most recent: when a later import
 * (not undone) changed or merged some of the same places, the undo is refused and names it. Coordinators
 * (and the command line) undo imports.
 */
export async function undoPlaceImport(
  db: Db,
  actor: Actor,
  { id }: { id: string },
): Promise<{ restored: number; deleted: number }> {
  authorize(actor, 'undoPlaceImport');
  const detail = await getPlaceImport(db, id);
  if (detail.dryRun) throw new DomainError('conflict', MESSAGES.dryRunUndo, { id });
  if (detail.undoneAt) throw new DomainError('conflict', MESSAGES.alreadyUndone(detail.undoneAt), { id });
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const later = await findLaterImportsTouching(tx, detail.id);
    if (later.length > 0) throw new DomainError('conflict', MESSAGES.laterImports(later), { id, later });
    const undone = await revertImport(tx, detail.id);
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'place_import.undone',
      subjectType: 'place_import',
      subjectId: detail.id,
      details: { fileName: detail.fileName, ...undone },
    });
    return undone;
  });
}

export interface PlaceMerge {
  id: string;
  canonicalId: string;
  mergedId: string;
  canonical: string;
  merged: string;
  score: number;
  importId: string | null;
  createdAt: Date;
  /** Proposed below the review threshold: not applied, both places still shown (docs/decisions/0029). */
  pending: boolean;
}

/** Merges in force (the same place published by two sources), for the coordinators. */
export async function listPlaceMerges(db: Db, actor: Actor): Promise<PlaceMerge[]> {
  authorize(actor, 'listPlaceMerges');
  return (await listActiveLinks(db)).map((l) => ({
    id: l.id,
    canonicalId: l.canonical_id,
    mergedId: l.merged_id,
    canonical: `${l.canonical_nom} (${l.canonical_source})`,
    merged: `${l.merged_nom} (${l.merged_source})`,
    score: l.score,
    importId: l.import_id,
    createdAt: l.created_at,
    pending: l.pending,
  }));
}

/**
 * Undoes a merge (by the merge's id or the merged place's id): both records show again as two places,
 * and later imports will not merge this pair again. A merge only proposed (pending) is refused the same
 * way. Place rows are not touched; who separated it is kept and audited. A merge already separated is
 * refused, saying when and by whom. Coordinators (and the command line) undo merges.
 */
export async function unmergePlace(
  db: Db,
  actor: Actor,
  { id, reviewerLabel }: { id: string; reviewerLabel?: string },
): Promise<{ canonicalId: string; mergedId: string; pending: boolean }> {
  authorize(actor, 'unmergePlace');
  if (!isUuid(id)) throw new DomainError('not_found', MESSAGES.linkNotFound, { id });
  const key = id.toLowerCase();
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const byLink = await findLink(tx, key);
    const link = byLink && byLink.unmerged_at === null ? byLink : await findActiveLinkOfMerged(tx, key);
    if (!link && byLink?.unmerged_at)
      throw new DomainError(
        'conflict',
        MESSAGES.alreadySeparated(byLink.unmerged_at, byLink.reviewed_by_label),
        {
          id,
        },
      );
    if (!link || !(await markUnmerged(tx, link.id, reviewerOf(actor, reviewerLabel))))
      throw new DomainError('not_found', MESSAGES.linkNotFound, { id });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: link.pending ? 'place_merge.refused' : 'place_merge.separated',
      subjectType: 'place',
      subjectId: link.canonical_id,
      details: { linkId: link.id, mergedId: link.merged_id, similarity: link.score },
    });
    return { canonicalId: link.canonical_id, mergedId: link.merged_id, pending: link.pending };
  });
}
