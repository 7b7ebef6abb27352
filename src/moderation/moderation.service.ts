import { personAddress } from '../accounts/accounts.service.ts';
import { type Actor, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { formatDay, localToday } from '../places/place-dates.ts';
import {
  type ClosureValue,
  changedKeys,
  currentClosures,
  mergeProposal,
  type PlaceValues,
  placeDataPatch,
  readStoredValues,
  type ValueKey,
  valuesOfPlace,
} from '../places/place-edit.ts';
import { type DiffRow, diffRows } from '../places/place-edit-diff.ts';
import { cleanInput } from '../places/place-edit-form.ts';
import {
  applyPlaceChange,
  getPlace,
  getPlaceWithStructure,
  listPlaceClosures,
  type Place,
  replacePlaceClosures,
} from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureAdminAddresses } from '../structures/structures.service.ts';
import { mailReporterResolved } from './error-report-forwarding.service.ts';
import {
  countQueue,
  decideChange,
  decideReport,
  findChange,
  findReport,
  listForwardedWaiting,
  listNewReports,
  listPendingChanges,
  structureName,
} from './moderation.repository.ts';

/**
 * The coordinator's moderation queue: changes proposed by structures to their places'
 * public data, and error reports left by the public. Nothing proposed is public before approval;
 * approving applies the change in one transaction; every decision is mailed to whom it concerns and
 * written to the audit log.
 */
export interface ModerationOptions {
  config: { publicUrl: string };
  now?: Date;
}

export const MESSAGE_MAX_LENGTH = 2000;
const QUEUE_LIMIT = 200;

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const actorId = (actor: Actor) => (actor.kind === 'person' ? actor.personId : null);
const actorLabel = (actor: Actor) =>
  actor.kind === 'person' ? 'personne' : actor.kind === 'system' ? 'cli' : 'anonyme';

export interface QueuedChange {
  id: string;
  placeId: string;
  placeName: string;
  commune: string;
  structureName: string | null;
  proposedBy: string;
  proposedAt: Date;
  /** How many fields the proposal changes (closures count as one). */
  changedCount: number;
  /** Its closures are already public (they only reduce the offer): approving keeps them, refusing reverts them. */
  closuresPublic: boolean;
}

export interface QueuedReport {
  id: string;
  placeId: string;
  placeName: string;
  commune: string;
  message: string;
  contact: string | null;
  createdAt: Date;
}

export interface ForwardedWaiting {
  id: string;
  placeName: string;
  commune: string;
  structureName: string;
  forwardedAt: Date | null;
}

export interface ModerationQueue {
  changes: QueuedChange[];
  reports: QueuedReport[];
  /** Reports forwarded to structures, waiting for their answer. */
  forwarded: ForwardedWaiting[];
  counts: { changes: number; reports: number; forwarded: number; closuresPublic: number };
}

/** The queue: pending changes and new error reports, oldest first, with their counts (coordinators). */
export async function listModerationQueue(db: Db, actor: Actor): Promise<ModerationQueue> {
  authorize(actor, 'listModerationQueue');
  const [changes, reports, forwarded, counts] = await Promise.all([
    listPendingChanges(db, QUEUE_LIMIT),
    listNewReports(db, QUEUE_LIMIT),
    listForwardedWaiting(db, QUEUE_LIMIT),
    countQueue(db),
  ]);
  return {
    changes: changes.map((c) => {
      const empty = {} as PlaceValues;
      const base = readStoredValues(c.base, empty);
      return {
        id: c.id,
        placeId: c.place_id,
        placeName: c.place_nom,
        commune: c.place_commune,
        structureName: c.structure_nom,
        proposedBy: c.proposed_by_label,
        proposedAt: c.proposed_at,
        changedCount: changedKeys(base, readStoredValues(c.proposed, base)).length,
        closuresPublic: c.closures_applied_at !== null,
      };
    }),
    reports: reports.map((r) => ({
      id: r.id,
      placeId: r.place_id,
      placeName: r.place_nom,
      commune: r.place_commune,
      message: r.message,
      contact: r.contact,
      createdAt: r.created_at,
    })),
    forwarded: forwarded.map((r) => ({
      id: r.id,
      placeName: r.place_nom,
      commune: r.place_commune,
      structureName: r.structure_nom,
      forwardedAt: r.forwarded_at,
    })),
    counts,
  };
}

export interface ChangeReview {
  id: string;
  status: 'pending' | 'approved' | 'rejected' | 'superseded';
  place: Place;
  proposedBy: string;
  proposedAt: Date;
  decidedAt: Date | null;
  decisionMessage: string | null;
  /** Every schema field: the public value now, beside the value after approval. */
  rows: DiffRow[];
  /**
   * Closures now and after approval; when the proposal's closures were made public at once (they only
   * reduce the offer), `appliedAt` says when and `before` what refusing puts back.
   */
  closures: {
    current: ClosureValue[];
    proposed: ClosureValue[];
    changed: boolean;
    appliedAt: Date | null;
    before: ClosureValue[];
  };
  /** Fields the proposer did not touch but that changed publicly since the proposal (kept as they are now). */
  changedSinceProposal: ValueKey[];
  today: string;
}

function checkId(id: string, message: string): string {
  if (!isUuid(id)) throw new DomainError('not_found', message, { id });
  return id.toLowerCase();
}

const CHANGE_NOT_FOUND = "Cette modification n'existe pas.";
const REPORT_NOT_FOUND = "Ce signalement n'existe pas.";

async function loadReview(db: Db, actor: Actor, changeId: string, now: Date) {
  const row = await findChange(db, checkId(changeId, CHANGE_NOT_FOUND));
  if (!row) throw new DomainError('not_found', CHANGE_NOT_FOUND, { id: changeId });
  const place = await getPlace(db, actor, { placeId: row.place_id });
  const today = localToday(now);
  const current = valuesOfPlace(place, await listPlaceClosures(db, place.id, today));
  const base = readStoredValues(row.base, current);
  const proposed = readStoredValues(row.proposed, current);
  const merged = mergeProposal(current, base, proposed);
  // Closures already made public are the structure's latest word on them: approving gives the proposal's
  // closures as they are (a newer proposal may have shortened the closure published by the one it replaced).
  if (row.closures_applied_at) merged.closures = proposed.closures;
  return { row, place, today, current, base, proposed, merged };
}

/** One change beside the public record, field by field (coordinators). */
export async function getPlaceChangeReview(
  db: Db,
  actor: Actor,
  input: { changeId: string },
  opts: { now?: Date } = {},
): Promise<ChangeReview> {
  authorize(actor, 'getPlaceChangeReview');
  const { row, place, today, current, base, proposed, merged } = await loadReview(
    db,
    actor,
    input.changeId,
    nowOf(opts),
  );
  // A decided change is shown as it was proposed, against the record as it is now.
  const after = row.status === 'pending' ? merged : proposed;
  const touched = new Set(changedKeys(base, proposed));
  return {
    id: row.id,
    status: row.status,
    place,
    proposedBy: row.proposed_by_label,
    proposedAt: row.proposed_at,
    decidedAt: row.decided_at,
    decisionMessage: row.decision_message,
    rows: diffRows(current, after, {
      id: place.sourceId,
      source: place.source,
      dateMaj: place.dateMaj,
      proposedDateMaj: row.status === 'pending' ? today : (place.dateMaj ?? today),
    }),
    closures: closuresOfReview(row.closures_applied_at, current, base, after, today),
    changedSinceProposal: changedKeys(base, current).filter((k) => !touched.has(k)),
    today,
  };
}

function closuresOfReview(
  appliedAt: Date | null,
  current: PlaceValues,
  base: PlaceValues,
  after: PlaceValues,
  today: string,
): ChangeReview['closures'] {
  const proposed = currentClosures(after.closures, today);
  const before = currentClosures(base.closures, today);
  // Closures already public are compared with those before them too: refusing puts those back.
  const differs = (list: ClosureValue[]) => JSON.stringify(list) !== JSON.stringify(proposed);
  return {
    current: current.closures,
    proposed,
    changed: differs(current.closures) || (appliedAt !== null && differs(before)),
    appliedAt,
    before,
  };
}

export type DecisionResult = { ok: true } | { ok: false; errors: Record<string, string> };

/** The coordinator's message: cleaned, within limits, required when refusing. */
function checkMessage(
  raw: string,
  required: boolean,
  requiredMessage: string,
): { ok: true; message: string | null } | { ok: false; errors: Record<string, string> } {
  const message = cleanInput(raw, true);
  const length = Array.from(message).length;
  if (length > MESSAGE_MAX_LENGTH)
    return {
      ok: false,
      errors: {
        message: `Message : ${length} caractères, c'est trop. ${MESSAGE_MAX_LENGTH} caractères au plus.`,
      },
    };
  if (required && message === '') return { ok: false, errors: { message: requiredMessage } };
  return { ok: true, message: message === '' ? null : message };
}

async function recipients(db: Db, proposerId: string | null, structureId: string | null): Promise<string[]> {
  const list: string[] = [];
  const proposer = proposerId ? await personAddress(db, proposerId) : null;
  if (proposer) list.push(proposer);
  if (structureId) list.push(...(await structureAdminAddresses(db, structureId)));
  return [...new Set(list.map((a) => a.toLowerCase()))];
}

/**
 * Approves or rejects a pending change (coordinators). Approving applies the change to the place in the
 * same transaction (the fields the proposer changed, the closures, date_maj = today, the content hash),
 * so the public pages, the API and the search index show it; rejecting needs a message. Either way the
 * proposer and the structure's administrators get a mail, and the audit log an entry. A change already
 * decided (by another coordinator meanwhile) is a conflict.
 */
export async function decidePlaceChange(
  db: Db,
  actor: Actor,
  input: { changeId: string; decision: 'approve' | 'reject'; message: string },
  opts: ModerationOptions,
): Promise<DecisionResult> {
  authorize(actor, 'decidePlaceChange');
  const now = nowOf(opts);
  const checked = checkMessage(
    input.message,
    input.decision === 'reject',
    'Message : expliquez pourquoi la modification est refusée. La structure le recevra par e-mail.',
  );
  if (!checked.ok) return checked;
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const { row, place, today, current, base, proposed, merged } = await loadReview(
      tx,
      actor,
      input.changeId,
      now,
    );
    const approved = input.decision === 'approve';
    const decided = await decideChange(tx, row.id, {
      status: approved ? 'approved' : 'rejected',
      decided_by: actorId(actor),
      decided_at: now,
      decision_message: checked.message,
    });
    if (!decided)
      throw new DomainError(
        'conflict',
        'Cette modification a déjà été traitée (ou remplacée par une plus récente).',
        {
          id: row.id,
          status: row.status,
        },
      );
    const fields = approved ? changedKeys(current, merged) : changedKeys(base, proposed);
    // Refusing a proposal whose closures went public at once puts the closures before it back.
    const revertClosures = !approved && row.closures_applied_at !== null;
    if (revertClosures)
      await replacePlaceClosures(tx, place.id, { closures: currentClosures(base.closures, today), today });
    if (approved) {
      const patch: Partial<PlaceValues> = {};
      for (const key of fields) if (key !== 'closures') Object.assign(patch, { [key]: merged[key] });
      await applyPlaceChange(tx, place.id, {
        patch: placeDataPatch(patch),
        closures: fields.includes('closures') ? merged.closures : null,
        today,
      });
    }
    const to = await recipients(tx, row.proposed_by, row.structure_id);
    const proposedOn = formatDay(localToday(row.proposed_at));
    const placeUrl = `${opts.config.publicUrl}/lieux/${place.id}`;
    const text = approved
      ? [
          'Bonjour,',
          '',
          `La coordination a validé la modification de « ${place.nom} » proposée le ${proposedOn} par ${row.proposed_by_label}.`,
          'Les nouvelles informations sont maintenant publiques :',
          placeUrl,
          ...(checked.message ? ['', 'Message de la coordination :', checked.message] : []),
        ]
      : [
          'Bonjour,',
          '',
          `La coordination a refusé la modification de « ${place.nom} » proposée le ${proposedOn} par ${row.proposed_by_label}.`,
          revertClosures
            ? 'La fermeture temporaire annoncée est retirée de la fiche publique ; les autres informations ne changent pas.'
            : 'Les informations publiques ne changent pas.',
          '',
          'Message de la coordination :',
          checked.message ?? '',
          '',
          'Vous pouvez proposer une nouvelle modification :',
          `${placeUrl}/modifier`,
        ];
    for (const address of to) {
      await enqueueMail(
        tx,
        {
          to: address,
          kind: 'moderation_decision',
          subject: `${approved ? 'Modification validée' : 'Modification refusée'} : ${place.nom}`,
          text: text.join('\n'),
        },
        now,
      );
    }
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: approved ? 'place_change.approved' : 'place_change.rejected',
      subjectType: 'place',
      subjectId: place.id,
      details: {
        changeId: row.id,
        fields,
        message: checked.message,
        notified: to.length,
        ...(revertClosures ? { closuresReverted: true } : {}),
      },
      at: now,
    });
  });
  return { ok: true };
}

export interface ReportReview {
  id: string;
  status: 'new' | 'forwarded' | 'done' | 'rejected';
  place: Place;
  /** The structure that owns the place (the report can be forwarded to it), or null. */
  structure: { id: string; name: string } | null;
  /** The structure the report was forwarded to, and when. */
  forwarded: { structureName: string | null; at: Date } | null;
  /** When the reporter was mailed that it was resolved. */
  reporterNotifiedAt: Date | null;
  message: string;
  contact: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decisionMessage: string | null;
}

/** One error report with its place (coordinators). */
export async function getErrorReportReview(
  db: Db,
  actor: Actor,
  input: { reportId: string },
): Promise<ReportReview> {
  authorize(actor, 'getErrorReportReview');
  const row = await findReport(db, checkId(input.reportId, REPORT_NOT_FOUND));
  if (!row) throw new DomainError('not_found', REPORT_NOT_FOUND, { id: input.reportId });
  const { place, structureId } = await getPlaceWithStructure(db, row.place_id);
  const owner = structureId ? await structureName(db, structureId) : null;
  return {
    id: row.id,
    status: row.status,
    place,
    structure: structureId && owner ? { id: structureId, name: owner } : null,
    forwarded: row.forwarded_at
      ? {
          structureName: row.forwarded_to ? await structureName(db, row.forwarded_to) : null,
          at: row.forwarded_at,
        }
      : null,
    reporterNotifiedAt: row.reporter_notified_at,
    message: row.message,
    contact: row.contact,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decisionMessage: row.decision_message,
  };
}

/**
 * Closes an error report, new or forwarded (coordinators): handled (the sheet was corrected) or
 * rejected, with a message (required when rejecting) kept with the report and in the audit log. When it
 * is handled and the reporter left an e-mail address, a mail tells them (with the message, if any).
 */
export async function decideErrorReport(
  db: Db,
  actor: Actor,
  input: { reportId: string; decision: 'done' | 'rejected'; message: string },
  opts: { config: { publicUrl: string }; now?: Date },
): Promise<DecisionResult> {
  authorize(actor, 'decideErrorReport');
  const now = nowOf(opts);
  const checked = checkMessage(
    input.message,
    input.decision === 'rejected',
    'Message : expliquez pourquoi le signalement est rejeté (il reste dans le journal).',
  );
  if (!checked.ok) return checked;
  const id = checkId(input.reportId, REPORT_NOT_FOUND);
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const row = await findReport(tx, id);
    if (!row) throw new DomainError('not_found', REPORT_NOT_FOUND, { id });
    const decided = await decideReport(tx, id, {
      status: input.decision,
      decided_by: actorId(actor),
      decided_at: now,
      decision_message: checked.message,
    });
    if (!decided) throw new DomainError('conflict', 'Ce signalement a déjà été traité.', { id });
    const notified =
      input.decision === 'done'
        ? await mailReporterResolved(tx, row, {
            placeName: (await getPlace(tx, actor, { placeId: row.place_id })).nom,
            placeId: row.place_id,
            note: checked.message,
            publicUrl: opts.config.publicUrl,
            now,
          })
        : false;
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: input.decision === 'done' ? 'error_report.done' : 'error_report.rejected',
      subjectType: 'place',
      subjectId: row.place_id,
      details: { reportId: id, message: checked.message, reporterNotified: notified },
      at: now,
    });
  });
  return { ok: true };
}
