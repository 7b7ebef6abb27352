import { type Actor, actorId, type PolicyFunction } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db, OrientationState } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import {
  blankExpiredPersonalData,
  blankParcoursPersonalData,
  listParcoursOrientations,
} from './referrals.repository.ts';
import { involvementOf, nowOf, type ReferralsOptions } from './referrals.service.ts';
import { addMonths, type Delays, needLabel, STATE_LABELS } from './referrals.ts';

/**
 * A person's parcours (her chain of orientations) and her data in it: what each structure involved
 * sees of the chain, the right of access and the right to erasure, and the retention purge.
 */

const delaysOf = (opts: ReferralsOptions): Delays => ({
  reminderDays: opts.config.orientation.reminderDays,
  expiryDays: opts.config.orientation.expiryDays,
  retentionMonths: opts.config.retention.orientationMonths,
  unansweredMonths: opts.config.retention.orientationUnansweredMonths,
});

// --- Parcours ---

export interface ParcoursStep {
  id: string;
  /** Whether the actor's structure is involved in this step (and may open it). */
  visible: boolean;
  state: OrientationState;
  placeName: string;
  senderStructureName: string;
  needs: string[];
  sentAt: Date;
  answeredAt: Date | null;
  closedAt: Date | null;
}

/**
 * A person's chain of orientations, for the structures involved in one of its steps only. Each step
 * shows where and when; only the steps of one's own structure open on their page.
 */
export async function getParcours(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string; steps: ParcoursStep[] }> {
  return parcoursSteps(db, actor, 'getParcours', input);
}

/** The steps of a parcours as `fn` lets the actor see them; forbidden when none is the actor's. */
async function parcoursSteps(
  db: Db,
  actor: Actor,
  fn: PolicyFunction,
  input: { id: string },
): Promise<{ id: string; steps: ParcoursStep[] }> {
  const rows = isUuid(input.id) ? await listParcoursOrientations(db, input.id.toLowerCase()) : [];
  const steps = rows.map((r) => {
    const i = involvementOf(actor, fn, r);
    return {
      id: r.id,
      visible: i.sender || i.receiver,
      state: r.state,
      placeName: r.place_name,
      senderStructureName: r.sender_structure_name,
      needs: r.needs.map(needLabel),
      sentAt: r.sent_at,
      answeredAt: r.answered_at,
      closedAt: r.closed_at,
    };
  });
  if (!steps.some((s) => s.visible))
    throw new DomainError('forbidden', "Ce parcours n'existe pas, ou votre structure n'y a pas pris part.", {
      function: fn,
    });
  return { id: input.id.toLowerCase(), steps };
}

/**
 * The person's data kept in the parcours (right of access), as JSON-ready data: the orientations the
 * actor's structure took part in. The export is written to the audit log.
 */
export async function exportParcoursData(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<unknown> {
  const rows = isUuid(input.id) ? await listParcoursOrientations(db, input.id.toLowerCase()) : [];
  const mine = rows.filter((r) => {
    const i = involvementOf(actor, 'exportParcoursData', r);
    return i.sender || i.receiver;
  });
  if (mine.length === 0)
    throw new DomainError('forbidden', "Ce parcours n'existe pas, ou votre structure n'y a pas pris part.");
  const now = nowOf(opts);
  await recordAudit(db, {
    actorId: actorId(actor),
    actorLabel: 'personne',
    action: 'orientation.personal_data_exported',
    subjectType: 'parcours',
    subjectId: input.id.toLowerCase(),
    details: { orientations: mine.map((r) => r.id) },
    at: now,
  });
  return {
    exported_at: now.toISOString(),
    parcours: input.id.toLowerCase(),
    orientations: mine.map((r) => ({
      id: r.id,
      sent_at: r.sent_at.toISOString(),
      from: r.sender_structure_name,
      to: r.place_name,
      needs: r.needs.map(needLabel),
      state: STATE_LABELS[r.state],
      person: { name: r.person_name, phone: r.person_phone, email: r.person_email },
      message: r.message,
      answer_message: r.state_message,
      appointment: r.appointment_date
        ? { date: r.appointment_date, time: r.appointment_time, with: r.appointment_with }
        : null,
      diagnostic: r.diagnostic,
      consent: { version: r.consent_version, text: r.consent_text, at: r.consent_at.toISOString() },
      personal_data_erased_at: r.personal_data_erased_at?.toISOString() ?? null,
    })),
  };
}

/**
 * Erases the person's data from every orientation of her parcours (right to erasure), at the request
 * of a structure involved. What remains (places, needs, states, dates) holds nothing personal and keeps
 * the statistics right. Written to the audit log.
 */
export async function eraseParcoursData(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<{ erased: number }> {
  await parcoursSteps(db, actor, 'eraseParcoursData', input);
  const now = nowOf(opts);
  return db.transaction().execute(async (tx) => {
    const erased = await blankParcoursPersonalData(tx, input.id.toLowerCase(), now);
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: 'personne',
      action: 'orientation.personal_data_erased',
      subjectType: 'parcours',
      subjectId: input.id.toLowerCase(),
      details: { orientations: erased },
      at: now,
    });
    return { erased };
  });
}

/**
 * Blanks the personal fields of orientations past their retention: `orientationMonths` after closure
 * (or after acceptance, when never closed), `orientationUnansweredMonths` after a refusal or an expiry.
 * Idempotent; called by the privacy purge.
 */
export async function purgeOrientationPersonalData(
  db: Db,
  opts: ReferralsOptions,
): Promise<{ orientations: number }> {
  const now = nowOf(opts);
  const delays = delaysOf(opts);
  const orientations = await blankExpiredPersonalData(db, {
    closedBefore: addMonths(now, -delays.retentionMonths),
    unansweredBefore: addMonths(now, -delays.unansweredMonths),
    at: now,
  });
  if (orientations > 0)
    await recordAudit(db, {
      actorId: null,
      actorLabel: 'système',
      action: 'orientation.personal_data_purged',
      details: { orientations },
      at: now,
    });
  return { orientations };
}
