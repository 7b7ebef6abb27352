import { type Actor, authorize, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { addDays, localToday } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureMemberAddresses } from '../structures/structures.service.ts';
import {
  closingFacts,
  closingPlaces,
  creditNoteCandidates,
  findCreditNote,
  insertCreditNote,
  insertExpiries,
  lockProgrammeExpiry,
  markDistributionNotice,
  prescribersWithBookletsLeft,
  programmesOnCalendar,
} from './closing.repository.ts';
import {
  CLOSING_MESSAGES,
  type ClosingCalendar,
  type ClosingPhase,
  closingCalendar,
  closingPhase,
  DISTRIBUTION_STOP_DAYS,
  type Reconciliation,
} from './closing.ts';
import { firstDay, monthOf } from './statements.ts';
import { findProgramme, payeeFacts } from './vouchers.repository.ts';
import { audit } from './vouchers.service.ts';

/**
 * The end of a programme's validity (decision 0050), on #APTIC's calendar but automatic: 30 days before
 * the end the funder's page shows where the booklets stand; 15 days before, distribution stops and the
 * prescribers are told once; the day after the grace period, every voucher left expires (one ledger
 * entry each) and a credit note for the face value of those the funder paid is drawn up, with the
 * reconciliation report. The daily job and `pass expire` run it; a second run writes nothing.
 */

export interface EndOfValidityReport {
  /** Programmes whose prescribers were told that distribution is closed (this run). */
  notified: { programmeId: string; programmeName: string; prescribers: number; mails: number }[];
  /** Programmes expired by this run. */
  expired: {
    programmeId: string;
    programmeName: string;
    vouchers: number;
    creditNoteId: string;
    creditNoteCents: number;
  }[];
  /** Programmes expired earlier: nothing written (idempotent). */
  alreadyExpired: { programmeId: string; programmeName: string; creditNoteId: string; issuedAt: Date }[];
}

/**
 * Runs what the calendar makes due on the Paris day of `now`: tells the prescribers of the programmes
 * whose distribution has stopped (once), and expires the programmes whose grace period is over (once,
 * under the programme's expiry lock: two runs at the same moment write one credit note). System only.
 */
export async function runEndOfValidity(
  db: Db,
  actor: Actor,
  opts: { now?: Date; publicUrl?: string } = {},
): Promise<EndOfValidityReport> {
  authorize(actor, 'runEndOfValidity');
  const now = opts.now ?? new Date();
  const today = localToday(now);
  const report: EndOfValidityReport = { notified: [], expired: [], alreadyExpired: [] };
  const failed: { programmeId: string; error: unknown }[] = [];
  for (const p of await programmesOnCalendar(db, addDays(today, DISTRIBUTION_STOP_DAYS))) {
    const calendar = closingCalendar(p.valid_until, p.grace_days);
    // Told while it helps: from the stop to the end of the grace period (not about a programme long over).
    if (p.distribution_closed_notice_at === null && p.credit_note_id === null && today < calendar.expiryDue) {
      const told = await tellPrescribers(db, p.id, calendar, now, opts.publicUrl ?? '');
      if (told) report.notified.push({ programmeId: p.id, programmeName: p.name, ...told });
    }
    if (today < calendar.expiryDue) continue;
    // One programme that fails does not hold back the others: they are closed, then the run fails
    // naming it (the job is retried, the command exits with an error).
    const r = await expireProgramme(db, actor, p.id, calendar, now).catch((error: unknown) => {
      failed.push({ programmeId: p.id, error });
      return null;
    });
    if (r === null) continue;
    if (r.kind === 'expired')
      report.expired.push({
        programmeId: p.id,
        programmeName: p.name,
        vouchers: r.vouchers,
        creditNoteId: r.creditNoteId,
        creditNoteCents: r.creditNoteCents,
      });
    else
      report.alreadyExpired.push({
        programmeId: p.id,
        programmeName: p.name,
        creditNoteId: r.creditNoteId,
        issuedAt: r.issuedAt,
      });
  }
  if (failed.length > 0) {
    const first = failed[0]?.error;
    throw new Error(
      `end of validity failed for ${failed.length} programme(s): ${failed.map((f) => f.programmeId).join(', ')} (${report.expired.length} closed in this run)`,
      { cause: first },
    );
  }
  return report;
}

/** Marks the notice and queues one mail per member of each prescriber, in one transaction (once). */
async function tellPrescribers(
  db: Db,
  programmeId: string,
  calendar: ClosingCalendar,
  now: Date,
  publicUrl: string,
): Promise<{ prescribers: number; mails: number } | null> {
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    if (!(await markDistributionNotice(tx, programmeId, now))) return null;
    const programme = await findProgramme(tx, programmeId);
    if (!programme) return null;
    const prescribers = await prescribersWithBookletsLeft(tx, programmeId);
    const names = (
      await payeeFacts(
        tx,
        [],
        prescribers.map((x) => x.structure_id),
      )
    ).structures;
    let mails = 0;
    for (const pr of prescribers)
      for (const address of await structureMemberAddresses(tx, pr.structure_id)) {
        await enqueueMail(
          tx,
          {
            to: address,
            kind: 'voucher_distribution_closed',
            subject: CLOSING_MESSAGES.noticeSubject(programme.name),
            text: CLOSING_MESSAGES.noticeText({
              programme: programme.name,
              structure: names.get(pr.structure_id)?.nom ?? 'votre structure',
              stop: calendar.distributionStop,
              end: calendar.end,
              lastRecording: calendar.lastRecording,
              notHandedOut: pr.not_handed_out,
              url: publicUrl,
            }),
          },
          now,
        );
        mails++;
      }
    return { prescribers: prescribers.length, mails };
  });
}

type ExpiryOutcome =
  | { kind: 'expired'; vouchers: number; creditNoteId: string; creditNoteCents: number }
  | { kind: 'already'; creditNoteId: string; issuedAt: Date };

async function expireProgramme(
  db: Db,
  actor: Actor,
  programmeId: string,
  calendar: ClosingCalendar,
  now: Date,
): Promise<ExpiryOutcome> {
  return db.transaction().execute(async (tx) => {
    await lockProgrammeExpiry(tx, programmeId);
    const existing = await findCreditNote(tx, programmeId);
    if (existing) return { kind: 'already', creditNoteId: existing.id, issuedAt: existing.issued_at };
    const programme = await findProgramme(tx, programmeId);
    if (!programme) throw new DomainError('not_found', CLOSING_MESSAGES.unknownProgramme);
    const vouchers = await insertExpiries(tx, programmeId, now, calendar.lastRecording);
    const lines = await creditNoteCandidates(tx, programmeId);
    const total = lines.reduce((a, l) => a + l.amount_cents, 0);
    const creditNoteId = await insertCreditNote(tx, {
      programme_id: programmeId,
      month: firstDay(monthOf(now)),
      funderName: programme.funder_name,
      total_cents: total,
      lines,
      issued_at: now,
    });
    await audit(
      tx as unknown as Db,
      actor,
      'voucher.programme_expired',
      programme,
      { vouchers, creditNoteId, creditNoteCents: total, lastRecordingDay: calendar.lastRecording },
      now,
    );
    return { kind: 'expired', vouchers, creditNoteId, creditNoteCents: total };
  });
}

// --- reading ---

export interface ClosingView {
  programme: { id: string; name: string; funderName: string; faceValueCents: number; isDemo: boolean };
  calendar: ClosingCalendar;
  phase: ClosingPhase | 'expired';
  booklets: {
    emitted: number;
    paid: number;
    allocated: number;
    distributed: number;
    notDistributed: number;
    cancelled: number;
    started: number;
  };
  creditNote: { id: string; issuedAt: Date; totalCents: number; vouchers: number } | null;
  reconciliation: Reconciliation;
}

async function programmeOrThrow(db: Db, programmeId: string) {
  const programme = isUuid(programmeId) ? await findProgramme(db, programmeId) : undefined;
  if (!programme) throw new DomainError('not_found', CLOSING_MESSAGES.unknownProgramme);
  return programme;
}

/**
 * A programme's end of validity for its funder's people and the coordinators: its calendar, where its
 * booklets stand (emitted, handed to a person, not handed out, started), and once expired the credit note
 * with the reconciliation report (emitted = redeemed + expired; per place, what its statements owe and
 * what the funder paid). No personal data: places, structures and figures only.
 */
export async function viewProgrammeClosing(
  db: Db,
  actor: Actor,
  input: { programmeId: string },
  opts: { now?: Date } = {},
): Promise<ClosingView> {
  const programme = await programmeOrThrow(db, input.programmeId);
  authorize(actor, 'viewProgrammeClosing', { funderId: programme.funder_id });
  const calendar = closingCalendar(programme.valid_until, programme.grace_days);
  const [facts, places, note] = await Promise.all([
    closingFacts(db, programme.id),
    closingPlaces(db, programme.id),
    findCreditNote(db, programme.id),
  ]);
  const structures = (
    await payeeFacts(
      db,
      [],
      places.map((p) => p.structure_id).filter((s): s is string => s !== null),
    )
  ).structures;
  const face = programme.face_value_cents;
  const reconciliation: Reconciliation = {
    emitted: facts.emitted,
    redeemed: facts.redeemed,
    expired: facts.expired,
    expiredNotDistributed: facts.expired_not_distributed,
    expiredDistributed: facts.expired_distributed,
    expiredCancelled: facts.expired_cancelled,
    expiredUnpaid: facts.expired_unpaid,
    faceValueCents: face,
    emittedCents: facts.emitted * face,
    paidByFunderCents: facts.paid_cents,
    redeemedCents: places.reduce((a, p) => a + p.redeemed_cents, 0),
    creditNoteCents: note?.total_cents ?? 0,
    places: places.map((p) => ({
      placeId: p.place_id,
      placeName: p.place_name,
      structureName: structures.get(p.structure_id)?.nom ?? 'structure supprimée',
      redeemed: p.redeemed,
      redeemedCents: p.redeemed_cents,
      statementsCents: p.statements_cents,
      settledCents: p.settled_cents,
    })),
    statementsCents: places.reduce((a, p) => a + p.statements_cents, 0),
    settledCents: places.reduce((a, p) => a + p.settled_cents, 0),
  };
  const notDistributed = facts.booklets - facts.distributed - facts.cancelled;
  return {
    programme: {
      id: programme.id,
      name: programme.name,
      funderName: programme.funder_name,
      faceValueCents: face,
      isDemo: programme.is_demo,
    },
    calendar,
    phase: note ? 'expired' : closingPhase(calendar, localToday(opts.now ?? new Date())),
    booklets: {
      emitted: facts.booklets,
      paid: facts.paid,
      allocated: facts.allocated,
      distributed: facts.distributed,
      notDistributed: Math.max(0, notDistributed),
      cancelled: facts.cancelled,
      started: facts.started_booklets,
    },
    creditNote: note
      ? { id: note.id, issuedAt: note.issued_at, totalCents: note.total_cents, vouchers: note.line_count }
      : null,
    reconciliation,
  };
}

/**
 * The end-of-validity block of a programme's page: from 30 days before the end, for those who may see
 * the programme's end (its funder's people, the coordinators); null otherwise.
 */
export async function programmeClosingBlock(
  db: Db,
  actor: Actor,
  input: { programmeId: string },
  opts: { now?: Date } = {},
): Promise<ClosingView | null> {
  const programme = await programmeOrThrow(db, input.programmeId);
  if (!can(actor, 'programmeClosingBlock', { funderId: programme.funder_id })) return null;
  const today = localToday(opts.now ?? new Date());
  if (today < closingCalendar(programme.valid_until, programme.grace_days).noticeFrom) return null;
  return viewProgrammeClosing(db, actor, input, opts);
}
