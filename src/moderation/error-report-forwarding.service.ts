import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { formatDay, localToday } from '../places/place-dates.ts';
import { cleanInput } from '../places/place-edit-form.ts';
import { getPlaceWithStructure } from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { parseEmail } from '../shared/email.ts';
import { isUuid } from '../shared/ids.ts';
import { structureMemberAddresses } from '../structures/structures.service.ts';
import {
  answerReport,
  type ForwardedReportRow,
  findForwardedReport,
  findReport,
  forwardReport,
  listForwardedTo,
  markReporterNotified,
  type ReportRow,
  structureName,
} from './moderation.repository.ts';

/**
 * Error reports forwarded to the structure that owns the place: the coordinator forwards a new report,
 * the structure's members see it on their page and answer it (resolved, or not an error, with a short
 * note); when it is resolved and the reporter left an e-mail address, they are told. A structure sees
 * only the reports forwarded to it, and never the reporter's contact (only the coordinator needs it).
 */
export const NOTE_MAX_LENGTH = 1000;
const ANSWERED_SHOWN = 20;
const REPORT_NOT_FOUND = "Ce signalement n'existe pas.";

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

function checkReportId(id: string): string {
  if (!isUuid(id)) throw new DomainError('not_found', REPORT_NOT_FOUND, { id });
  return id.toLowerCase();
}

/**
 * Tells the reporter that their report was resolved, when the contact they left is an e-mail address
 * (a phone number or anything else is for the coordinator to use by hand). Inside the caller's
 * transaction; returns whether a mail was queued.
 */
export async function mailReporterResolved(
  tx: Db,
  report: Pick<ReportRow, 'id' | 'contact' | 'created_at'>,
  input: { placeName: string; placeId: string; note: string | null; publicUrl: string; now: Date },
): Promise<boolean> {
  const address = report.contact ? parseEmail(report.contact) : null;
  if (!address) return false;
  const text = [
    'Bonjour,',
    '',
    `Le ${formatDay(localToday(report.created_at))}, vous avez signalé une erreur sur la fiche de « ${input.placeName} ».`,
    'Merci : elle est corrigée.',
    ...(input.note ? ['', 'Ce qui a été fait :', input.note] : []),
    '',
    'La fiche à jour :',
    `${input.publicUrl}/lieux/${input.placeId}`,
    '',
    "L'équipe du réseau (Maillage)",
  ];
  await enqueueMail(
    tx,
    {
      to: address,
      kind: 'error_report_resolved',
      subject: `Votre signalement est corrigé : ${input.placeName}`,
      text: text.join('\n'),
    },
    input.now,
  );
  await markReporterNotified(tx, report.id, input.now);
  return true;
}

/**
 * Forwards a new error report to the structure that owns the place (coordinators): its members see it on
 * their page and get a mail. A place without a structure cannot be forwarded (the coordinator handles
 * it); a report already handled or forwarded is a conflict.
 */
export async function forwardErrorReport(
  db: Db,
  actor: Actor,
  input: { reportId: string },
  opts: { config: { publicUrl: string }; now?: Date },
): Promise<{ structureName: string }> {
  authorize(actor, 'forwardErrorReport');
  const id = checkReportId(input.reportId);
  const now = nowOf(opts);
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const row = await findReport(tx, id);
    if (!row) throw new DomainError('not_found', REPORT_NOT_FOUND, { id });
    if (row.status !== 'new')
      throw new DomainError('conflict', 'Ce signalement a déjà été traité ou transmis.', {
        id,
        status: row.status,
      });
    const { place, structureId } = await getPlaceWithStructure(tx, row.place_id);
    const name = structureId ? await structureName(tx, structureId) : null;
    if (!structureId || !name)
      throw new DomainError(
        'conflict',
        `« ${place.nom} » n'est rattaché à aucune structure : traitez ce signalement vous-même.`,
        { id, placeId: place.id },
      );
    if (
      !(await forwardReport(tx, id, {
        forwarded_to: structureId,
        forwarded_by: actorId(actor),
        forwarded_at: now,
      }))
    )
      throw new DomainError('conflict', 'Ce signalement a déjà été traité ou transmis.', { id });
    const text = [
      'Bonjour,',
      '',
      `Une personne a signalé une erreur sur la fiche de « ${place.nom} » (${place.commune}). La coordination vous la transmet : vous connaissez ce lieu mieux que personne.`,
      '',
      'Lisez le signalement et répondez-y (corrigé, ou pas une erreur) :',
      `${opts.config.publicUrl}/signalements/${id}`,
      '',
      "L'équipe du réseau (Maillage)",
    ];
    for (const address of await structureMemberAddresses(tx, structureId))
      await enqueueMail(
        tx,
        {
          to: address,
          kind: 'error_report_forwarded',
          subject: `Signalement à vérifier : ${place.nom}`,
          text: text.join('\n'),
        },
        now,
      );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'error_report.forwarded',
      subjectType: 'place',
      subjectId: place.id,
      details: { reportId: id, structureId, structure: name },
      at: now,
    });
    return { structureName: name };
  });
}

export interface ForwardedReport {
  id: string;
  placeId: string;
  placeName: string;
  commune: string;
  structureId: string;
  structureName: string;
  message: string;
  status: 'waiting' | 'done' | 'rejected';
  createdAt: Date;
  forwardedAt: Date | null;
  answeredAt: Date | null;
  note: string | null;
}

function toForwarded(r: ForwardedReportRow): ForwardedReport {
  return {
    id: r.id,
    placeId: r.place_id,
    placeName: r.place_nom,
    commune: r.place_commune,
    structureId: r.structure_id,
    structureName: r.structure_nom,
    message: r.message,
    status: r.status === 'done' || r.status === 'rejected' ? r.status : 'waiting',
    createdAt: r.created_at,
    forwardedAt: r.forwarded_at,
    answeredAt: r.decided_at,
    note: r.decision_message,
  };
}

/**
 * The reports forwarded to the person's structures: those waiting for an answer (oldest first), then the
 * latest answered. Members of a structure see their structures' reports only.
 */
export async function listForwardedReports(db: Db, actor: Actor): Promise<ForwardedReport[]> {
  authorize(actor, 'listForwardedReports');
  if (actor.kind !== 'person') return [];
  const rows = await listForwardedTo(
    db,
    actor.memberships.map((m) => m.structureId),
    ANSWERED_SHOWN,
  );
  return rows.map(toForwarded);
}

async function loadForwarded(db: Db, reportId: string): Promise<ForwardedReportRow> {
  const id = checkReportId(reportId);
  const row = await findForwardedReport(db, id);
  if (!row) throw new DomainError('not_found', REPORT_NOT_FOUND, { id });
  return row;
}

/** One report forwarded to a structure, for its members (and coordinators). */
export async function getForwardedReport(
  db: Db,
  actor: Actor,
  input: { reportId: string },
): Promise<ForwardedReport> {
  const row = await loadForwarded(db, input.reportId);
  authorize(actor, 'getForwardedReport', { structureId: row.structure_id });
  return toForwarded(row);
}

export type AnswerResult = { ok: true } | { ok: false; errors: Record<string, string> };

/** The answer form checked: an answer among the two, and a note (required, 1000 characters at most). */
function checkAnswer(
  answer: string,
  rawNote: string,
): { ok: true; answer: 'done' | 'rejected'; note: string } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const choice = answer === 'done' || answer === 'rejected' ? answer : null;
  if (!choice)
    errors.reponse = 'Réponse : choisissez « L’erreur est corrigée » ou « Ce n’est pas une erreur ».';
  const note = cleanInput(rawNote, true);
  const length = Array.from(note).length;
  if (note === '')
    errors.note =
      'Note : écrivez en une phrase ce qui a été fait, ou pourquoi ce n’est pas une erreur. La coordination la lira.';
  else if (length > NOTE_MAX_LENGTH)
    errors.note = `Note : ${length} caractères, c'est trop. ${NOTE_MAX_LENGTH} caractères au plus.`;
  if (!choice || errors.note) return { ok: false, errors };
  return { ok: true, answer: choice, note };
}

/**
 * The structure's answer to a report forwarded to it (its members, and coordinators): resolved, or not
 * an error, with a note kept with the report and in the journal. When it is resolved and the reporter
 * left an e-mail address, a mail tells them. A report no longer waiting (answered meanwhile, or closed
 * by the coordinator) is a conflict; nothing is written on a refused form.
 */
export async function answerForwardedReport(
  db: Db,
  actor: Actor,
  input: { reportId: string; answer: string; note: string },
  opts: { config: { publicUrl: string }; now?: Date },
): Promise<AnswerResult> {
  const row = await loadForwarded(db, input.reportId);
  authorize(actor, 'answerForwardedReport', { structureId: row.structure_id });
  const checked = checkAnswer(input.answer, input.note);
  if (!checked.ok) return checked;
  const now = nowOf(opts);
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const answered = await answerReport(tx, row.id, row.structure_id, {
      status: checked.answer,
      decided_by: actorId(actor),
      decided_at: now,
      decision_message: checked.note,
    });
    if (!answered)
      throw new DomainError('conflict', 'Ce signalement a déjà reçu une réponse.', { id: row.id });
    const report = await findReport(tx, row.id);
    const notified =
      checked.answer === 'done' && report
        ? await mailReporterResolved(tx, report, {
            placeName: row.place_nom,
            placeId: row.place_id,
            note: checked.note,
            publicUrl: opts.config.publicUrl,
            now,
          })
        : false;
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action:
        checked.answer === 'done'
          ? 'error_report.resolved_by_structure'
          : 'error_report.rejected_by_structure',
      subjectType: 'place',
      subjectId: row.place_id,
      details: {
        reportId: row.id,
        structure: row.structure_nom,
        message: checked.note,
        reporterNotified: notified,
      },
      at: now,
    });
  });
  return { ok: true };
}
