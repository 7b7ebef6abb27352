import { type Actor, actorId, authorize, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import type { StatementPayee } from '../db/voucher-statement-rows.ts';
import { localToday, parseDateInput } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { cleanLine } from '../shared/text.ts';
import { allProgrammeIds } from './ledger.repository.ts';
import {
  addSettled,
  type CandidateLine,
  candidateLines,
  findStatement,
  insertStatement,
  insertStatementLines,
  insertStatementPayment,
  lastIssuedMonth,
  listStatementRows,
  lockProgrammeStatements,
  lockStatement,
  type StatementPaymentRow,
  type StatementRow,
  statementLines,
  statementPayments,
} from './statements.repository.ts';
import {
  firstDay,
  isPublicBody,
  type Month,
  monthOf,
  nextMonth,
  parseMonth,
  previousMonth,
  STATEMENT_MESSAGES,
  siretOf,
} from './statements.ts';
import { findProgramme, payeeFacts, uniqueViolation } from './vouchers.repository.ts';
import { audit, type FormResult } from './vouchers.service.ts';
import { euros, type FieldErrors, parseEuros } from './vouchers.ts';

/**
 * The pass numérique's monthly statements (decision 0045). On the 1st of each month (the job runner,
 * or `pass statements --month`), each programme's redemptions recorded in the month before, in Paris
 * time, become one statement per place — what its structure is owed — and the funder's statement sums
 * them. A statement is written once, whole; the funder (or a coordinator) then records its payments.
 */

export interface IssueResult {
  month: Month;
  issued: { programmeId: string; programmeName: string; places: number; totalCents: number }[];
  /** Programmes whose month was already issued (or a later one). */
  alreadyIssued: number;
}

/** Checks a month for issuing: a finished month (Paris time), else a French message naming the field. */
export function checkIssuableMonth(text: string, now: Date): { month: Month } | { error: string } {
  if (cleanLine(text) === '') return { error: STATEMENT_MESSAGES.monthRequired };
  const month = parseMonth(text);
  if (!month) return { error: STATEMENT_MESSAGES.monthInvalid(text) };
  const current = monthOf(now);
  if (month > current) return { error: STATEMENT_MESSAGES.monthInFuture(month) };
  if (month === current) return { error: STATEMENT_MESSAGES.monthNotFinished(month) };
  return { month };
}

/**
 * Issues the statements of a finished month for every programme. Idempotent: a programme whose month
 * (or a later one) already has its funder's statement is left as it is. Each programme is one
 * transaction under an advisory lock, so two runners never issue one month twice (the unique indexes
 * would refuse it anyway).
 */
export async function issueStatements(
  db: Db,
  actor: Actor,
  input: { month: string },
  opts: { now?: Date } = {},
): Promise<IssueResult> {
  authorize(actor, 'issueStatements');
  const now = opts.now ?? new Date();
  const checked = checkIssuableMonth(input.month, now);
  if ('error' in checked) throw new DomainError('invalid_input', checked.error, { month: checked.error });
  const month = checked.month;
  const result: IssueResult = { month, issued: [], alreadyIssued: 0 };
  for (const programmeId of await allProgrammeIds(db)) {
    const issued = await db.transaction().execute(async (tx) => {
      await lockProgrammeStatements(tx, programmeId);
      const last = await lastIssuedMonth(tx, programmeId);
      if (last !== null && last >= firstDay(month)) return 'already' as const;
      const programme = await findProgramme(tx, programmeId);
      if (!programme) return null;
      const lines = await candidateLines(tx, programmeId, firstDay(nextMonth(month)));
      if (lines.length === 0) return null;
      const byPlace = new Map<string, CandidateLine[]>();
      for (const l of lines) byPlace.set(l.place_id, [...(byPlace.get(l.place_id) ?? []), l]);
      const lastOf = (ls: CandidateLine[]) => ls[ls.length - 1] as CandidateLine;
      const facts = await payeeFacts(
        tx,
        [...byPlace.keys()],
        [...new Set([...byPlace.values()].map((ls) => lastOf(ls).structure_id))],
      );
      let total = 0;
      for (const [placeId, placeLines] of byPlace) {
        const structureId = lastOf(placeLines).structure_id;
        const place = facts.places.get(placeId);
        const structure = facts.structures.get(structureId);
        const payee: StatementPayee = {
          structureName: structure?.nom ?? 'structure supprimée',
          siret: siretOf(structure?.pivot),
          publicBody: isPublicBody(structure?.typologie ?? []),
          placeName: place?.nom ?? 'lieu supprimé',
          commune: place?.commune ?? '',
        };
        const sum = placeLines.reduce((a, l) => a + l.amount_cents, 0);
        total += sum;
        const id = await insertStatement(tx, {
          programme_id: programmeId,
          scope: 'place',
          month: firstDay(month),
          place_id: placeId,
          structure_id: structureId,
          payee,
          total_cents: sum,
          line_count: placeLines.length,
          issued_at: now,
        });
        await insertStatementLines(tx, id, programmeId, placeLines);
      }
      await insertStatement(tx, {
        programme_id: programmeId,
        scope: 'funder',
        month: firstDay(month),
        place_id: null,
        structure_id: null,
        payee: { funderName: programme.funder_name },
        total_cents: total,
        line_count: 0,
        issued_at: now,
      });
      await audit(tx, actor, 'voucher.statements_issued', programme, {
        month,
        places: byPlace.size,
        totalCents: total,
      });
      return { programmeId, programmeName: programme.name, places: byPlace.size, totalCents: total };
    });
    if (issued === 'already') result.alreadyIssued++;
    else if (issued) result.issued.push(issued);
  }
  return result;
}

/** The job runner's daily pass: issues last month's statements once it is over (a no-op afterwards). */
export async function issueDueStatements(db: Db, actor: Actor, opts: { now?: Date } = {}): Promise<number> {
  authorize(actor, 'issueStatements');
  const now = opts.now ?? new Date();
  const r = await issueStatements(db, actor, { month: previousMonth(monthOf(now)) }, { now });
  return r.issued.length;
}

// --- reading ---

export interface Statement {
  id: string;
  programmeId: string;
  programmeName: string;
  funderId: string;
  funderName: string;
  kind: 'statement' | 'credit_note';
  scope: 'place' | 'funder';
  month: Month;
  placeId: string | null;
  structureId: string | null;
  payee: StatementPayee;
  totalCents: number;
  owedCents: number;
  settledCents: number;
  lineCount: number;
  issuedAt: Date;
}

const toStatement = (r: StatementRow): Statement => ({
  id: r.id,
  programmeId: r.programme_id,
  programmeName: r.programme_name,
  funderId: r.funder_id,
  funderName: r.funder_name,
  kind: r.kind,
  scope: r.scope,
  month: r.month.slice(0, 7),
  placeId: r.place_id,
  structureId: r.structure_id,
  payee: r.payee,
  totalCents: r.total_cents,
  owedCents: Math.max(0, r.total_cents),
  settledCents: r.settled_cents,
  lineCount: Number(r.line_count),
  issuedAt: r.issued_at,
});

/** A programme's statements, for its funder's people and the coordinators: the funder's and the places'. */
export async function listProgrammeStatements(
  db: Db,
  actor: Actor,
  input: { programmeId: string },
): Promise<{ programme: { id: string; name: string; funderName: string }; statements: Statement[] }> {
  const programme = isUuid(input.programmeId) ? await findProgramme(db, input.programmeId) : undefined;
  if (!programme) throw new DomainError('not_found', "Ce programme n'existe pas.");
  authorize(actor, 'listProgrammeStatements', { funderId: programme.funder_id });
  const rows = await listStatementRows(db, { programmeId: programme.id });
  return {
    programme: { id: programme.id, name: programme.name, funderName: programme.funder_name },
    statements: rows.map(toStatement),
  };
}

/** The statements of the actor's structures' places (each member sees their own structures'). */
export async function listMyStatements(db: Db, actor: Actor): Promise<Statement[]> {
  authorize(actor, 'listMyStatements');
  const structureIds = actor.kind === 'person' ? actor.memberships.map((m) => m.structureId) : [];
  return (await listStatementRows(db, { structureIds })).map(toStatement);
}

export interface StatementLine {
  code: string;
  recordedAt: Date;
  placeName: string;
  amountCents: number;
  /** 'expiry': a credit note's line (decision 0050). */
  kind: 'redemption' | 'redemption_cancellation' | 'expiry';
}

export interface StatementView {
  statement: Statement;
  lines: StatementLine[];
  /** The funder's statement: its places' statements. */
  places: Statement[];
  payments: StatementPaymentRow[];
  /** pay: record a payment; programme: the programme's statements page is hers (else "my statements"). */
  may: { pay: boolean; programme: boolean };
}

async function statementOrThrow(db: Db, id: string): Promise<StatementRow> {
  const row = isUuid(id) ? await findStatement(db, id) : undefined;
  if (!row) throw new DomainError('not_found', STATEMENT_MESSAGES.unknownStatement, { statementId: id });
  return row;
}

/**
 * One statement: a place's is seen by its structure's members, the programme's funder's people and the
 * coordinators; the funder's by the funder's people and the coordinators.
 */
export async function viewStatement(
  db: Db,
  actor: Actor,
  input: { statementId: string },
): Promise<StatementView> {
  const row = await statementOrThrow(db, input.statementId);
  const programme = can(actor, 'listProgrammeStatements', { funderId: row.funder_id });
  if (row.scope === 'funder') authorize(actor, 'listProgrammeStatements', { funderId: row.funder_id });
  else if (!programme) authorize(actor, 'viewStatement', { structureId: row.structure_id ?? '' });
  const statement = toStatement(row);
  const placeName = statement.payee.placeName ?? '';
  const lines = (await statementLines(db, row.id)).map((l) => ({
    code: l.code,
    recordedAt: l.recorded_at,
    placeName,
    amountCents: l.amount_cents,
    kind: l.kind,
  }));
  const places =
    row.scope === 'funder'
      ? (await listStatementRows(db, { programmeId: row.programme_id, month: row.month }))
          .filter((s) => s.scope === 'place' && s.kind === row.kind)
          .map(toStatement)
      : [];
  return {
    statement,
    lines,
    places,
    payments: row.scope === 'place' ? await statementPayments(db, row.id) : [],
    may: {
      pay:
        row.scope === 'place' &&
        can(actor, 'recordStatementPayment', { funderId: row.funder_id }) &&
        statement.settledCents < statement.owedCents,
      programme,
    },
  };
}

// --- payments ---

/**
 * Records the funder's payment of a place's statement ("payé le … (référence …)"): by the funder's
 * people or a coordinator. Never more than what remains owed (checked under the statement's row lock,
 * and by the database); a reference is never reused by one funder. Audited.
 */
export async function recordStatementPayment(
  db: Db,
  actor: Actor,
  input: { statementId: string; amount: string; paidOn: string; reference: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ paymentId: number }>> {
  const row = await statementOrThrow(db, input.statementId);
  authorize(actor, 'recordStatementPayment', { funderId: row.funder_id });
  const now = opts.now ?? new Date();
  const errors: FieldErrors = {};
  if (row.scope !== 'place') return { ok: false, errors: { amount: STATEMENT_MESSAGES.notPayable } };
  const amount = parseEuros(input.amount);
  // Checked here for the form's other messages, and again under the row's lock before writing.
  const remainingNow = Math.max(0, row.total_cents) - row.settled_cents;
  if (amount === null || amount === 0) errors.amount = STATEMENT_MESSAGES.amountInvalid(input.amount);
  else if (remainingNow <= 0) errors.amount = STATEMENT_MESSAGES.nothingOwed;
  else if (amount > remainingNow)
    errors.amount = STATEMENT_MESSAGES.amountTooHigh(euros(amount), euros(remainingNow));
  const paidOnText = cleanLine(input.paidOn);
  const paidOn = paidOnText === '' ? null : parseDateInput(paidOnText);
  if (paidOnText === '') errors.paidOn = STATEMENT_MESSAGES.paidOnRequired;
  else if (!paidOn) errors.paidOn = STATEMENT_MESSAGES.paidOnInvalid(paidOnText);
  else if (paidOn > localToday(now)) errors.paidOn = STATEMENT_MESSAGES.paidOnFuture;
  else if (paidOn < localToday(row.issued_at))
    errors.paidOn = STATEMENT_MESSAGES.paidOnBeforeIssue(localToday(row.issued_at));
  const reference = cleanLine(input.reference);
  if (reference === '') errors.reference = STATEMENT_MESSAGES.referenceRequired;
  else if ([...reference].length > 100) errors.reference = STATEMENT_MESSAGES.referenceTooLong;
  if (Object.keys(errors).length > 0 || amount === null || paidOn === null) return { ok: false, errors };
  try {
    return await db.transaction().execute(async (tx) => {
      const locked = await lockStatement(tx, row.id);
      const remaining = Math.max(0, locked.total_cents) - locked.settled_cents;
      if (remaining <= 0) return { ok: false as const, errors: { amount: STATEMENT_MESSAGES.nothingOwed } };
      if (amount > remaining)
        return {
          ok: false as const,
          errors: { amount: STATEMENT_MESSAGES.amountTooHigh(euros(amount), euros(remaining)) },
        };
      const paymentId = await insertStatementPayment(tx, {
        statement_id: row.id,
        programme_id: row.programme_id,
        funder_id: row.funder_id,
        amount_cents: amount,
        paid_on: paidOn,
        reference,
        actor_id: actorId(actor),
        created_at: now,
      });
      await addSettled(tx, row.id, amount);
      await audit(
        tx,
        actor,
        'voucher.statement_paid',
        { id: row.programme_id, is_demo: row.is_demo },
        { statementId: row.id, month: row.month.slice(0, 7), amountCents: amount, paidOn, reference },
        now,
      );
      return { ok: true as const, paymentId };
    });
  } catch (error) {
    if (uniqueViolation(error) === 'voucher_statement_payment_reference_key')
      return { ok: false, errors: { reference: STATEMENT_MESSAGES.referenceReused(reference) } };
    throw error;
  }
}
