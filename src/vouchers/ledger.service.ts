import { createHash } from 'node:crypto';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import {
  countExpiries,
  creditNoteProblem,
  expiryBeforeItsDay,
  findCreditNote,
} from './closing.repository.ts';
import {
  allProgrammeIds,
  type EntryForHash,
  entriesWithSeals,
  highestSealedEntry,
  insertSeals,
  lastSeal,
  lateRedemptions,
  programmesWithUnsealedEntries,
  redemptionBeforeItsFacts,
  sealsOf,
  trySealLock,
  unsealedEntries,
  voucherFactsOfProgramme,
} from './ledger.repository.ts';
import { statementProblem, statementTotals } from './statements.repository.ts';
import { findProgramme, programmeTotals } from './vouchers.repository.ts';
import { lastRecordingDay, VOUCHER_STATES, type VoucherState } from './vouchers.ts';

/**
 * Tamper evidence and verification of the pass numérique's ledger (decision 0037). Entries are written
 * without waiting for a chain (redemptions of one programme never queue behind each other); a sealing
 * pass, run every second by each server and guarded per programme by an advisory lock, chains them:
 * each seal's hash covers the entry's every column and the previous seal's hash. `verifyLedger`
 * recomputes the chain and every invariant, and refuses an unsealed tail older than the allowed age.
 */

/** The hash a chain starts from: the programme's id, so that two chains never share a beginning. */
export function genesisHash(programmeId: string): string {
  return createHash('sha256').update(`maillage:voucher_programme:${programmeId}`).digest('hex');
}

/** The canonical text of an entry for its seal: every column in a fixed order, as JSON. */
export function entryText(e: EntryForHash): string {
  return JSON.stringify([
    Number(e.id),
    e.programme_id,
    e.kind,
    e.booklet_id,
    e.voucher_id,
    e.structure_id,
    e.place_id,
    e.amount_cents === null ? null : Number(e.amount_cents),
    e.reference,
    e.pays_entry_id === null ? null : Number(e.pays_entry_id),
    e.cancels_entry_id === null ? null : Number(e.cancels_entry_id),
    e.previous_redemption_id === null ? null : Number(e.previous_redemption_id),
    e.idempotency_key,
    e.actor_id,
    e.details,
    e.created_at,
  ]);
}

export function sealHash(previousHash: string, e: EntryForHash): string {
  return createHash('sha256').update(previousHash).update('\n').update(entryText(e)).digest('hex');
}

const SEAL_BATCH = 5000;
/**
 * The frequent pass looks for unsealed entries only this far below the highest sealed one: an entry
 * whose transaction stayed open while this many later entries were sealed waits for the next full pass.
 */
const RECENT_WINDOW = 10_000;

/**
 * Seals every entry not sealed yet, programme by programme, in id order. Two servers never seal one
 * programme at once (an advisory lock; the one that does not get it skips, the other seals). `recent`
 * looks only near the end of the chain (every second) instead of reading the whole ledger (every
 * minute and from the command line). Returns how many entries were sealed.
 */
export async function sealLedger(db: Db, actor: Actor, opts: { recent?: boolean } = {}): Promise<number> {
  authorize(actor, 'sealLedger');
  let sealed = 0;
  const above = opts.recent ? Math.max(0, (await highestSealedEntry(db)) - RECENT_WINDOW) : 0;
  for (const programmeId of await programmesWithUnsealedEntries(db, above)) {
    for (;;) {
      const n = await db.transaction().execute(async (tx) => {
        if (!(await trySealLock(tx, programmeId))) return 0;
        const entries = await unsealedEntries(tx, programmeId, SEAL_BATCH);
        if (entries.length === 0) return 0;
        const last = await lastSeal(tx, programmeId);
        let previous = last?.hash ?? genesisHash(programmeId);
        let position = Number(last?.position ?? 0);
        const rows = entries.map((e) => {
          const hash = sealHash(previous, e);
          const row = {
            programme_id: programmeId,
            position: ++position,
            entry_id: Number(e.id),
            previous_hash: previous,
            hash,
          };
          previous = hash;
          return row;
        });
        await insertSeals(tx, rows);
        return rows.length;
      });
      sealed += n;
      if (n < SEAL_BATCH) break;
    }
  }
  return sealed;
}

export interface LedgerReport {
  ok: boolean;
  programmes: {
    id: string;
    name: string;
    entries: number;
    sealed: number;
    headHash: string;
    vouchers: Record<VoucherState, number> & { emitted: number };
    emittedCents: number;
    paidCents: number;
    activatedCents: number;
    owedCents: number;
    /** Places' statements (decision 0045): how many, what they owe, what the funder paid. */
    statements: number;
    statementsOwedCents: number;
    statementsSettledCents: number;
    /** The end of validity (decision 0050): the credit note's amount and the vouchers expired. */
    creditNoteCents: number;
    expiries: number;
  }[];
  /** The first broken rule, in English for the logs (the CLI prints it and exits 1). */
  problem: { programmeId: string; entryId: number | null; rule: string } | null;
}

/**
 * Recomputes the whole ledger: the seals' chain (every sealed entry's hash, positions without gaps, an
 * unsealed tail no older than `maxUnsealedSeconds`), and the invariants — a voucher redeemed at most once
 * at a time; emitted = in stock + allocated + distributed + redeemed + expired + cancelled; face value of
 * activated vouchers ≤ payments; owed to places = face value of redemptions not cancelled; nothing
 * recorded after the last recording day. Stops at the first broken rule and names its entry.
 */
export async function verifyLedger(
  db: Db,
  actor: Actor,
  opts: { now?: Date; maxUnsealedSeconds?: number } = {},
): Promise<LedgerReport> {
  authorize(actor, 'verifyLedger');
  // One snapshot for the whole check: redemptions keep coming while it reads, and the chain, the
  // vouchers and the totals must all describe the same moment (read only, never blocks a writer).
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((tx) => verifyInSnapshot(tx, opts));
}

async function verifyInSnapshot(
  db: Db,
  opts: { now?: Date; maxUnsealedSeconds?: number },
): Promise<LedgerReport> {
  const maxAge = opts.maxUnsealedSeconds ?? 5;
  const report: LedgerReport = { ok: true, programmes: [], problem: null };
  const fail = (programmeId: string, entryId: number | null, rule: string): LedgerReport => ({
    ...report,
    ok: false,
    problem: { programmeId, entryId, rule },
  });
  for (const programmeId of await allProgrammeIds(db)) {
    const programme = await findProgramme(db, programmeId);
    if (!programme) continue;
    // 1. The chain.
    const seals = await sealsOf(db, programmeId);
    const sealByEntry = new Map(seals.map((s) => [Number(s.entry_id), s]));
    let expectedPrevious = genesisHash(programmeId);
    for (const [i, s] of seals.entries())
      if (Number(s.position) !== i + 1)
        return fail(
          programmeId,
          Number(s.entry_id),
          `seal of entry ${s.entry_id} is at position ${s.position}, not ${i + 1}`,
        );
    const hashesByPosition = new Map<number, string>();
    let entries = 0;
    let after = 0;
    for (;;) {
      const batch = await entriesWithSeals(db, programmeId, after, 5000);
      if (batch.length === 0) break;
      for (const e of batch) {
        entries++;
        after = Number(e.id);
        const seal = sealByEntry.get(Number(e.id));
        if (!seal) {
          if (e.age_seconds > maxAge)
            return fail(
              programmeId,
              Number(e.id),
              `entry ${e.id} is unsealed after ${Math.round(e.age_seconds)} s (at most ${maxAge} s)`,
            );
          continue;
        }
        const hash = sealHash(seal.previous_hash, e);
        if (hash !== seal.hash)
          return fail(
            programmeId,
            Number(e.id),
            `entry ${e.id} does not match its seal (changed after sealing)`,
          );
        hashesByPosition.set(Number(seal.position), seal.hash);
      }
    }
    for (const s of seals) {
      if (s.previous_hash !== expectedPrevious)
        return fail(
          programmeId,
          Number(s.entry_id),
          `seal ${s.position} does not follow seal ${Number(s.position) - 1}`,
        );
      expectedPrevious = s.hash;
      if (!hashesByPosition.has(Number(s.position)))
        return fail(
          programmeId,
          Number(s.entry_id),
          `seal ${s.position} names entry ${s.entry_id}, which is missing`,
        );
    }
    // 2. The invariants.
    const today = localToday(opts.now ?? new Date());
    const last = lastRecordingDay(programme.valid_until, programme.grace_days);
    const counts = Object.fromEntries(VOUCHER_STATES.map((s) => [s, 0])) as Record<VoucherState, number>;
    let activated = 0;
    let owed = 0;
    const facts = await voucherFactsOfProgramme(db, programmeId);
    for (const v of facts) {
      if (v.live_redemptions > 1)
        return fail(
          programmeId,
          null,
          `voucher ${v.voucher_id} has ${v.live_redemptions} redemptions not cancelled`,
        );
      // An expiry (decision 0050) and a redemption not cancelled never go together.
      if (v.live_redemptions === 1 && v.expired)
        return fail(programmeId, null, `voucher ${v.voucher_id} is both redeemed and expired`);
      const state: VoucherState =
        v.live_redemptions === 1
          ? 'redeemed'
          : v.booklet_cancelled
            ? 'cancelled'
            : v.expired || today > last
              ? 'expired'
              : v.distributed
                ? 'distributed'
                : v.allocated
                  ? 'allocated'
                  : 'in_stock';
      counts[state]++;
      if (v.paid) activated += Number(v.face_value_cents);
      if (v.live_redemptions === 1) owed += Number(v.face_value_cents);
      if (v.live_redemptions === 1 && !v.paid)
        return fail(programmeId, null, `voucher ${v.voucher_id} is redeemed but its emission is not paid`);
    }
    const totals = await programmeTotals(db, programmeId);
    const emitted = facts.length;
    const sum = VOUCHER_STATES.reduce((a, s) => a + counts[s], 0);
    if (sum !== emitted) return fail(programmeId, null, `emitted ${emitted} ≠ sum of states ${sum}`);
    if (emitted * programme.face_value_cents !== totals.emitted_cents)
      return fail(
        programmeId,
        null,
        `vouchers' face value ${emitted * programme.face_value_cents} ≠ emissions ${totals.emitted_cents}`,
      );
    if (activated > totals.paid_cents)
      return fail(programmeId, null, `activated face value ${activated} > payments ${totals.paid_cents}`);
    if (owed !== totals.redeemed_cents)
      return fail(
        programmeId,
        null,
        `owed to places ${owed} ≠ redemptions not cancelled ${totals.redeemed_cents}`,
      );
    if (totals.emitted_cents > Number(programme.budget_cents))
      return fail(programmeId, null, `emitted ${totals.emitted_cents} > budget ${programme.budget_cents}`);
    const early = await redemptionBeforeItsFacts(db, programmeId);
    if (early !== null)
      return fail(programmeId, early, `redemption ${early} was recorded before its payment or its hand-over`);
    const late = await lateRedemptions(db, programmeId);
    if (late.length > 0)
      return fail(programmeId, late[0] ?? null, `redemption ${late[0]} recorded after ${last}`);
    // 3. The statements (decision 0045): totals = sums of lines, funder = sum of places, settled ≤ owed,
    // no voucher counted twice.
    const statementRule = await statementProblem(db, programmeId);
    if (statementRule !== null) return fail(programmeId, null, statementRule);
    // 4. The end of validity (decision 0050): each credit note = face value of the expiries it covers,
    // it covers every paid expiry, no voucher both redeemed and expired, nothing expired early.
    const creditRule = await creditNoteProblem(db, programmeId);
    if (creditRule !== null) return fail(programmeId, null, creditRule);
    const earlyExpiry = await expiryBeforeItsDay(db, programmeId);
    if (earlyExpiry !== null)
      return fail(
        programmeId,
        earlyExpiry,
        `expiry ${earlyExpiry} was recorded before the day after ${last}`,
      );
    const note = await findCreditNote(db, programmeId);
    const st = await statementTotals(db, programmeId);
    report.programmes.push({
      id: programmeId,
      name: programme.name,
      entries,
      sealed: seals.length,
      headHash: expectedPrevious,
      vouchers: { ...counts, emitted },
      emittedCents: totals.emitted_cents,
      paidCents: totals.paid_cents,
      activatedCents: activated,
      owedCents: owed,
      statements: st.statements,
      statementsOwedCents: st.owed_cents,
      statementsSettledCents: st.settled_cents,
      creditNoteCents: note?.total_cents ?? 0,
      expiries: await countExpiries(db, programmeId),
    });
  }
  return report;
}
