import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { formatDay, localToday } from './place-dates.ts';
import { reviewerOf, unmergePlace } from './places-history.service.ts';
import { explainMatch } from './places-match.ts';
import {
  confirmLink,
  countMergeLinks,
  findMergeLink,
  listMergeLinks,
  type MergedRecordRow,
  type MergeLinkRow,
} from './places-merges.repository.ts';
import { MERGE_FILTERS, MERGES_PER_PAGE, type MergeFilter } from './places-merges.ts';

/**
 * Merges reviewed by the network's coordinators on /fusions (docs/decisions/0029): every merge an import
 * made or proposed, both records side by side with why they matched; a coordinator confirms a merge
 * (a proposed one is applied then) or separates it (the two records are two places for good).
 */

const MESSAGES = {
  notFound: "Cette fusion n'existe pas (ou plus : l'import qui l'avait faite a été annulé).",
  alreadyConfirmed: (when: Date, by: string | null) =>
    `Cette fusion a déjà été confirmée le ${formatDay(localToday(when))}${by ? ` par ${by}` : ''}.`,
  separated: (when: Date, by: string | null) =>
    `Cette fusion a été séparée le ${formatDay(localToday(when))}${by ? ` par ${by}` : ''} : les deux lieux sont distincts et ne seront plus fusionnés. Elle ne peut plus être confirmée.`,
} as const;

/** Where a merge stands. */
export type MergeStatus =
  /** Proposed below the threshold: not applied, both places shown. */
  | 'pending'
  /** Applied at import (at or above the threshold), nobody has looked at it yet. */
  | 'applied'
  /** Applied and confirmed by a coordinator (a pending one confirmed is applied from then). */
  | 'confirmed'
  /** Applied, then separated: two places again. */
  | 'separated'
  /** Proposed, and refused: never applied. */
  | 'refused';

export interface MergedRecord {
  id: string;
  source: string;
  sourceId: string;
  nom: string;
  adresse: string;
  complementAdresse: string | null;
  codePostal: string;
  commune: string;
  typologie: string[];
  telephone: string | null;
  siteWeb: string[];
  services: string[];
  dateMaj: string | null;
  /** Shown to the public under its own page (/lieux/:id): not hidden behind the other record. */
  shown: boolean;
}

export interface MergeReview {
  id: string;
  status: MergeStatus;
  /** 0…1, as the import scored it. */
  score: number;
  /** Why the two records were taken for the same place, in plain French (from the records as stored now). */
  reasons: string[];
  canonical: MergedRecord;
  merged: MergedRecord;
  createdAt: Date;
  /** Who confirmed or separated it, and when; null while nobody did. */
  reviewedAt: Date | null;
  reviewedBy: string | null;
}

function toRecord(row: MergedRecordRow): MergedRecord {
  return {
    id: row.id,
    source: row.source,
    sourceId: row.source_id,
    nom: row.nom,
    adresse: row.adresse,
    complementAdresse: row.complement_adresse,
    codePostal: row.code_postal,
    commune: row.commune,
    typologie: row.typologie ?? [],
    telephone: row.telephone,
    siteWeb: row.site_web ?? [],
    services: row.services ?? [],
    dateMaj: row.date_maj,
    shown: !row.hidden,
  };
}

function statusOf(row: MergeLinkRow): MergeStatus {
  if (row.unmerged_at !== null) return row.pending ? 'refused' : 'separated';
  if (row.pending) return 'pending';
  return row.reviewed_at === null ? 'applied' : 'confirmed';
}

function toReview(row: MergeLinkRow): MergeReview {
  const { reasons } = explainMatch(row.canonical, row.merged);
  return {
    id: row.id,
    status: statusOf(row),
    score: row.score,
    reasons,
    canonical: toRecord(row.canonical),
    merged: toRecord(row.merged),
    createdAt: row.created_at,
    reviewedAt: row.unmerged_at ?? row.reviewed_at,
    reviewedBy: row.reviewed_by_label,
  };
}

export interface MergeReviewList {
  filter: MergeFilter;
  merges: MergeReview[];
  /** How many merges each filter holds; `pending` (proposed, not applied) is part of `toReview`. */
  counts: { toReview: number; pending: number; reviewed: number; separated: number };
  page: number;
  pages: number;
}

/**
 * The merges in one state, a page at a time, for the coordinators: to review (proposed ones first, then
 * the least similar), reviewed, or separated (latest first). A page past the last one is empty.
 */
export async function listMergeReviews(
  db: Db,
  actor: Actor,
  input: { filter: MergeFilter; page: number },
): Promise<MergeReviewList> {
  authorize(actor, 'listMergeReviews');
  const c = await countMergeLinks(db);
  const counts = { toReview: c.to_review, pending: c.pending, reviewed: c.reviewed, separated: c.separated };
  const state = MERGE_FILTERS[input.filter];
  const total = state === 'to_review' ? c.to_review : state === 'reviewed' ? c.reviewed : c.separated;
  const rows = await listMergeLinks(db, state, {
    limit: MERGES_PER_PAGE,
    offset: (input.page - 1) * MERGES_PER_PAGE,
  });
  return {
    filter: input.filter,
    merges: rows.map(toReview),
    counts,
    page: input.page,
    pages: Math.max(1, Math.ceil(total / MERGES_PER_PAGE)),
  };
}

/** One merge with both records and why they matched, for the coordinators. */
export async function getMergeReview(db: Db, actor: Actor, { id }: { id: string }): Promise<MergeReview> {
  authorize(actor, 'getMergeReview');
  const row = isUuid(id) ? await findMergeLink(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.notFound, { id });
  return toReview(row);
}

/**
 * How many merges wait for a coordinator: those proposed and not applied (`pending`), and all those not
 * reviewed yet (`toReview`, pending ones included). For the coordinators' home page.
 */
export async function countMergesToReview(
  db: Db,
  actor: Actor,
): Promise<{ pending: number; toReview: number }> {
  authorize(actor, 'listMergeReviews');
  const c = await countMergeLinks(db);
  return { pending: c.pending, toReview: c.to_review };
}

/**
 * Confirms a merge: a coordinator has checked that the two records are the same place. A proposed
 * merge is applied from now on (the older record is hidden behind the fresher one, as for any merge);
 * an applied one is marked reviewed. Who and when are kept and audited. A merge already confirmed, or
 * separated, is refused, saying when and by whom.
 */
export async function confirmPlaceMerge(
  db: Db,
  actor: Actor,
  { id, reviewerLabel }: { id: string; reviewerLabel?: string },
): Promise<{ applied: boolean }> {
  authorize(actor, 'confirmPlaceMerge');
  if (!isUuid(id)) throw new DomainError('not_found', MESSAGES.notFound, { id });
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const row = await findMergeLink(tx, id.toLowerCase());
    if (!row) throw new DomainError('not_found', MESSAGES.notFound, { id });
    if (row.unmerged_at !== null)
      throw new DomainError('conflict', MESSAGES.separated(row.unmerged_at, row.reviewed_by_label), { id });
    if (row.reviewed_at !== null || !(await confirmLink(tx, row.id, reviewerOf(actor, reviewerLabel))))
      throw new DomainError(
        'conflict',
        MESSAGES.alreadyConfirmed(row.reviewed_at ?? new Date(), row.reviewed_by_label),
        { id },
      );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'place_merge.confirmed',
      subjectType: 'place',
      subjectId: row.canonical_id,
      details: { linkId: row.id, mergedId: row.merged_id, similarity: row.score, otherPlace: row.merged.nom },
    });
    return { applied: row.pending };
  });
}

/**
 * Separates a merge from its review page: the two records are two places again and no import will
 * merge them again; a proposed merge is refused the same way (see unmergePlace). A malformed or unknown
 * id is not found; a merge already separated is refused, saying when and by whom.
 */
export async function separatePlaceMerge(
  db: Db,
  actor: Actor,
  { id, reviewerLabel }: { id: string; reviewerLabel?: string },
): Promise<{ wasPending: boolean }> {
  authorize(actor, 'separatePlaceMerge');
  if (!isUuid(id)) throw new DomainError('not_found', MESSAGES.notFound, { id });
  const row = await findMergeLink(db, id.toLowerCase());
  if (!row) throw new DomainError('not_found', MESSAGES.notFound, { id });
  const input = reviewerLabel === undefined ? { id: row.id } : { id: row.id, reviewerLabel };
  const result = await unmergePlace(db, actor, input);
  return { wasPending: result.pending };
}
