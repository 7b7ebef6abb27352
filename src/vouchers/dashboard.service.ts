import { type Actor, authorize, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { addDays } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { closingCalendar } from './closing.ts';
import {
  bookletsByMonth,
  bookletsToHandOutByProgramme,
  byCommune,
  byNeed,
  byPlace,
  byPrescriber,
  type DashboardScope,
  flowsByMonth,
  placeRedemptionsByMonth,
  programmesOfStructures,
  type Range,
  redemptionsAwaitingStatement,
  statementsByMonth,
} from './dashboard.repository.ts';
import {
  type DashboardErrors,
  type DashboardPeriod,
  monthsOf,
  needLabel,
  type PeriodQuery,
  readDashboardPeriod,
} from './dashboard.ts';
import { listStatementRows } from './statements.repository.ts';
import { listProgrammeRows, type ProgrammeRow } from './vouchers.repository.ts';
import { MESSAGES } from './vouchers.ts';

/**
 * The pass numérique's dashboards (decision 0051): for the coordinators and a funder's people, their
 * programmes' figures — emitted, paid, allocated, distributed, started, redeemed, expired, owed and
 * settled — by month, commune of residence, place, prescriber and need; for a prescriber, its booklets;
 * for a place, its redemptions and statements. Aggregates only: no code, no booklet, no person.
 */

export interface DashboardQuery extends PeriodQuery {
  /** One programme's id, or nothing for all the programmes the actor sees. */
  programme?: string | undefined;
}

export interface ProgrammeChoice {
  id: string;
  name: string;
  funderName: string;
}

export interface ProgrammeFigures {
  emitted: number;
  emittedCents: number;
  paid: number;
  paidCents: number;
  allocated: number;
  distributed: number;
  /** Booklets whose first redemption still standing falls in the month. */
  started: number;
  redeemed: number;
  redeemedCents: number;
  /** Vouchers expired (the end of validity's ledger entries): 0 until they exist. */
  expired: number;
  statements: number;
  paidStatements: number;
  owedCents: number;
  settledCents: number;
}

export interface ProgrammeDashboard {
  period: DashboardPeriod;
  programmes: ProgrammeChoice[];
  totals: ProgrammeFigures;
  months: ({ month: string } & ProgrammeFigures)[];
  communes: { label: string; booklets: number; vouchers: number; redeemed: number }[];
  places: { label: string; redeemed: number; redeemedCents: number }[];
  prescribers: { label: string; allocated: number; distributed: number }[];
  needs: { label: string; n: number }[];
}

export interface BookletFigures {
  received: number;
  distributed: number;
  started: number;
  fullyUsed: number;
}

export interface PrescriberDashboard {
  period: DashboardPeriod;
  totals: BookletFigures;
  months: ({ month: string } & BookletFigures)[];
  /** Booklets in hand today (not handed out nor cancelled), by programme, with the last day to hand them. */
  toHandOut: { programmeId: string; programmeName: string; lastDay: string; booklets: number }[];
}

export interface PlaceDashboard {
  period: DashboardPeriod;
  totals: { redeemed: number; redeemedCents: number };
  months: { month: string; redeemed: number; redeemedCents: number }[];
  places: { label: string; redeemed: number; redeemedCents: number }[];
  /** The places' statements of the period's months (each links to its page). */
  statements: {
    id: string;
    month: string;
    programmeName: string;
    placeName: string;
    totalCents: number;
    settledCents: number;
  }[];
  awaiting: { n: number; cents: number };
}

export type Sections = {
  programmes: ProgrammeDashboard | null;
  prescriber: PrescriberDashboard | null;
  place: PlaceDashboard | null;
};

export type DashboardResult<T> =
  | ({ ok: true } & T)
  | { ok: false; errors: DashboardErrors; choices: ProgrammeChoice[] };

const NO_FIGURES: ProgrammeFigures = {
  emitted: 0,
  emittedCents: 0,
  paid: 0,
  paidCents: 0,
  allocated: 0,
  distributed: 0,
  started: 0,
  redeemed: 0,
  redeemedCents: 0,
  expired: 0,
  statements: 0,
  paidStatements: 0,
  owedCents: 0,
  settledCents: 0,
};

const choiceOf = (p: ProgrammeRow): ProgrammeChoice => ({
  id: p.id,
  name: p.name,
  funderName: p.funder_name,
});

/** The programmes whose figures the actor sees as coordinator (all) or as a funder's person (its own). */
async function fundedProgrammes(db: Db, actor: Actor): Promise<ProgrammeRow[]> {
  if (actor.kind === 'system' || (actor.kind === 'person' && actor.networkRole === 'coordinator'))
    return listProgrammeRows(db);
  const funderIds = actor.kind === 'person' ? (actor.funderIds ?? []) : [];
  return funderIds.length > 0 ? listProgrammeRows(db, funderIds) : [];
}

const structuresOf = (actor: Actor) =>
  actor.kind === 'person' ? actor.memberships.map((m) => m.structureId) : [];

/**
 * The programme asked for, among those the actor may see: an id that is not one of them is "not found"
 * (a funder never learns whether another funder's programme exists).
 */
function pickProgrammes<T extends { id: string }>(all: T[], programme: string | undefined): T[] {
  const wanted = (programme ?? '').trim();
  if (wanted === '') return all;
  const found = isUuid(wanted) ? all.filter((p) => p.id === wanted) : [];
  if (found.length === 0)
    throw new DomainError('not_found', MESSAGES.unknownProgramme, { programme: wanted.slice(0, 60) });
  return found;
}

const rangeOf = (period: DashboardPeriod): Range => ({ start: period.start, end: period.end });

function sum<T>(rows: readonly T[], pick: (r: T) => number): number {
  return rows.reduce((a, r) => a + pick(r), 0);
}

/**
 * A funder's or the coordinators' figures of their programmes (all, or the one asked) over a calendar
 * year or chosen dates: emitted, paid, allocated and distributed vouchers, started booklets, redeemed
 * vouchers still standing, expired vouchers, and the places' statements (owed, settled) of the period's
 * months; by month in Paris time, by commune of residence (as recorded at hand-over), place, prescriber
 * and need. A funder sees its programmes only; another funder's programme is "not found".
 */
export async function programmeDashboard(
  db: Db,
  actor: Actor,
  query: DashboardQuery,
  opts: { now?: Date } = {},
): Promise<DashboardResult<{ dashboard: ProgrammeDashboard }>> {
  const coordinator = actor.kind === 'person' && actor.networkRole === 'coordinator';
  const funderIds = actor.kind === 'person' ? (actor.funderIds ?? []) : [];
  authorize(
    actor,
    'programmeDashboard',
    coordinator || funderIds.length === 0 ? {} : { funderId: funderIds[0] as string },
  );
  const all = await fundedProgrammes(db, actor);
  const rows = pickProgrammes(all, query.programme);
  const choices = all.map(choiceOf);
  const read = readDashboardPeriod(query, opts.now ?? new Date());
  if (!read.ok) return { ok: false, errors: read.errors, choices };
  const period = read.period;
  const scope: DashboardScope = { programmeIds: rows.map((p) => p.id) };
  const range = rangeOf(period);
  const months = monthsOf(period);
  const [flows, booklets, statements, communes, places, prescribers, needs] = await Promise.all([
    flowsByMonth(db, scope, range),
    bookletsByMonth(db, scope, range),
    statementsByMonth(
      db,
      scope,
      months[0] ?? period.from.slice(0, 7),
      months.at(-1) ?? period.to.slice(0, 7),
    ),
    byCommune(db, scope, range),
    byPlace(db, scope, range),
    byPrescriber(db, scope, range),
    byNeed(db, scope, range),
  ]);
  const monthly = months.map((month) => {
    const f = flows.find((r) => r.month === month);
    const b = booklets.find((r) => r.month === month);
    const s = statements.find((r) => r.month === month);
    return {
      month,
      ...NO_FIGURES,
      ...(f
        ? {
            emitted: f.emitted,
            emittedCents: f.emitted_cents,
            paid: f.paid,
            paidCents: f.paid_cents,
            allocated: f.allocated,
            distributed: f.distributed,
            redeemed: f.redeemed,
            redeemedCents: f.redeemed_cents,
            // The vouchers left after the grace period (`pass expire`, decision 0050).
            expired: f.expired,
          }
        : {}),
      started: b?.started ?? 0,
      ...(s
        ? {
            statements: s.statements,
            paidStatements: s.paid_statements,
            owedCents: s.owed_cents,
            settledCents: s.settled_cents,
          }
        : {}),
    };
  });
  const totals = Object.fromEntries(
    (Object.keys(NO_FIGURES) as (keyof ProgrammeFigures)[]).map((k) => [k, sum(monthly, (m) => m[k])]),
  ) as unknown as ProgrammeFigures;
  return {
    ok: true,
    dashboard: {
      period,
      programmes: rows.map(choiceOf),
      totals,
      months: monthly,
      communes: communes.map((c) => ({
        label: c.name === '' ? 'Commune non indiquée' : c.code === '' ? c.name : `${c.name} (${c.code})`,
        booklets: c.booklets,
        vouchers: c.vouchers,
        redeemed: c.redeemed,
      })),
      places: places.map((p) => ({
        label: p.name || 'Lieu sans nom',
        redeemed: p.redeemed,
        redeemedCents: p.redeemed_cents,
      })),
      prescribers: prescribers.map((p) => ({
        label: p.name || 'Prescripteur sans nom',
        allocated: p.allocated,
        distributed: p.distributed,
      })),
      needs: needs.map((n) => ({ label: needLabel(n.need), n: n.n })),
    },
  };
}

/**
 * A prescriber's booklets over the period, by month: received, handed out, started (a first voucher
 * redeemed) and fully used; and those in hand today, by programme, with the last day to hand them out.
 * Each member sees the booklets of their own structures only.
 */
export async function prescriberDashboard(
  db: Db,
  actor: Actor,
  query: DashboardQuery,
  opts: { now?: Date } = {},
): Promise<DashboardResult<{ dashboard: PrescriberDashboard }>> {
  authorize(actor, 'prescriberDashboard');
  const structureIds = structuresOf(actor);
  const programmeIds = await programmesOfStructures(db, structureIds, 'prescriber');
  const rows = pickProgrammes(
    programmeIds.map((id) => ({ id })),
    query.programme,
  );
  const read = readDashboardPeriod(query, opts.now ?? new Date());
  if (!read.ok) return { ok: false, errors: read.errors, choices: [] };
  const period = read.period;
  const scope = { programmeIds: rows.map((r) => r.id), structureIds };
  const [booklets, inHand] = await Promise.all([
    bookletsByMonth(db, scope, rangeOf(period)),
    bookletsToHandOutByProgramme(db, structureIds),
  ]);
  const months = monthsOf(period).map((month) => {
    const b = booklets.find((r) => r.month === month);
    return {
      month,
      received: b?.received ?? 0,
      distributed: b?.distributed ?? 0,
      started: b?.started ?? 0,
      fullyUsed: b?.fully_used ?? 0,
    };
  });
  const wanted = new Set(scope.programmeIds);
  return {
    ok: true,
    dashboard: {
      period,
      totals: {
        received: sum(months, (m) => m.received),
        distributed: sum(months, (m) => m.distributed),
        started: sum(months, (m) => m.started),
        fullyUsed: sum(months, (m) => m.fullyUsed),
      },
      months,
      toHandOut: inHand
        .filter((h) => wanted.has(h.programme_id))
        .map((h) => ({
          programmeId: h.programme_id,
          programmeName: h.programme_name,
          lastDay: distributionLastDay(h.valid_until),
          booklets: h.booklets,
        })),
    },
  };
}

/**
 * The last day a booklet may be handed out: the eve of the distribution's stop, 15 days before the end
 * of validity (decision 0050: closing.ts decides, distribution refuses a booklet from the stop on).
 */
export function distributionLastDay(validUntil: string): string {
  return addDays(closingCalendar(validUntil, 0).distributionStop, -1);
}

/**
 * A place's redemptions still standing over the period, by month and by place, its structure's
 * statements of the period's months (each links to its page), and what no statement took yet. Each
 * member sees their own structures' places only.
 */
export async function placeDashboard(
  db: Db,
  actor: Actor,
  query: DashboardQuery,
  opts: { now?: Date } = {},
): Promise<DashboardResult<{ dashboard: PlaceDashboard }>> {
  authorize(actor, 'placeDashboard');
  const structureIds = structuresOf(actor);
  const programmeIds = await programmesOfStructures(db, structureIds, 'place');
  const rows = pickProgrammes(
    programmeIds.map((id) => ({ id })),
    query.programme,
  );
  const read = readDashboardPeriod(query, opts.now ?? new Date());
  if (!read.ok) return { ok: false, errors: read.errors, choices: [] };
  const period = read.period;
  const scope = { programmeIds: rows.map((r) => r.id), structureIds };
  const months = monthsOf(period);
  const [byMonth, places, statementRows, awaiting] = await Promise.all([
    placeRedemptionsByMonth(db, scope, rangeOf(period)),
    byPlace(db, scope, rangeOf(period)),
    listStatementRows(db, { structureIds }),
    redemptionsAwaitingStatement(db, structureIds),
  ]);
  const monthly = months.map((month) => {
    const m = byMonth.find((r) => r.month === month);
    return { month, redeemed: m?.redeemed ?? 0, redeemedCents: m?.redeemed_cents ?? 0 };
  });
  const wanted = new Set(scope.programmeIds);
  const inMonths = new Set(months);
  return {
    ok: true,
    dashboard: {
      period,
      totals: {
        redeemed: sum(monthly, (m) => m.redeemed),
        redeemedCents: sum(monthly, (m) => m.redeemedCents),
      },
      months: monthly,
      places: places.map((p) => ({
        label: p.name || 'Lieu sans nom',
        redeemed: p.redeemed,
        redeemedCents: p.redeemed_cents,
      })),
      statements: statementRows
        .filter((s) => s.scope === 'place' && wanted.has(s.programme_id) && inMonths.has(s.month.slice(0, 7)))
        .map((s) => ({
          id: s.id,
          month: s.month.slice(0, 7),
          programmeName: s.programme_name,
          placeName: s.payee.placeName ?? '',
          totalCents: s.total_cents,
          settledCents: s.settled_cents,
        })),
      awaiting,
    },
  };
}

/**
 * The dashboard page: each section the actor's roles open — the programmes' figures for the coordinators
 * and a funder's people, the booklets for a prescriber's members, the redemptions for a qualified
 * place's staff — over one period and, when asked, one programme among those the actor sees.
 */
export async function passDashboard(
  db: Db,
  actor: Actor,
  query: DashboardQuery,
  opts: { now?: Date } = {},
): Promise<DashboardResult<{ sections: Sections; choices: ProgrammeChoice[] }>> {
  authorize(actor, 'passDashboard');
  const structureIds = structuresOf(actor);
  const funded = await fundedProgrammes(db, actor);
  const [prescribing, placing] = await Promise.all([
    programmesOfStructures(db, structureIds, 'prescriber'),
    programmesOfStructures(db, structureIds, 'place'),
  ]);
  const involved = new Set([...funded.map((p) => p.id), ...prescribing, ...placing]);
  const everyRow = await listProgrammeRows(db);
  const choices = everyRow.filter((p) => involved.has(p.id)).map(choiceOf);
  pickProgrammes(choices, query.programme);
  const read = readDashboardPeriod(query, opts.now ?? new Date());
  if (!read.ok) return { ok: false, errors: read.errors, choices };
  // Each section reads only the programmes of its role: the one asked for, when it is one of them.
  const asked = (query.programme ?? '').trim();
  const concerns = (ids: readonly string[]) => ids.length > 0 && (asked === '' || ids.includes(asked));
  const opened = <T>(r: DashboardResult<{ dashboard: T }>): T | null => (r.ok ? r.dashboard : null);
  const fundedIds = funded.map((p) => p.id);
  const showFunded = (actor.kind === 'person' && actor.networkRole === 'coordinator') || concerns(fundedIds);
  const sections: Sections = {
    programmes:
      showFunded &&
      can(actor, 'programmeDashboard', { funderId: funded[0]?.funder_id ?? '' }) &&
      (asked === '' || fundedIds.includes(asked))
        ? opened(await programmeDashboard(db, actor, query, opts))
        : null,
    prescriber:
      concerns(prescribing) && can(actor, 'prescriberDashboard')
        ? opened(await prescriberDashboard(db, actor, query, opts))
        : null,
    place:
      concerns(placing) && can(actor, 'placeDashboard')
        ? opened(await placeDashboard(db, actor, query, opts))
        : null,
  };
  return { ok: true, sections, choices };
}
