import { type Actor, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { distributionOpen } from './closing.ts';
import {
  bookletsToHandOutByProgramme,
  programmesOfStructures,
  recentCreditNotes,
  redemptionsAwaitingStatement,
  unpaidStatements,
} from './dashboard.repository.ts';
import { distributionLastDay } from './dashboard.service.ts';
import { monthLabel } from './statements.ts';
import { euros } from './vouchers.ts';

/**
 * The pass numérique's to-dos on `/espace` (decision 0051), one builder per role: the statements to pay
 * (the coordinators, a funder's people), the booklets to hand out before distribution ends (a
 * prescriber's members), the redemptions waiting for their statement (a qualified place's staff).
 * and the credit notes of the end of validity to read (decision 0050).
 */
type Builder = (db: Db, actor: Actor & { kind: 'person' }, now: Date) => Promise<HomeBlock[]>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n > 1 ? many : one}`;

/** Places' statements issued and not paid in full: every programme's for the coordinators, a funder's own. */
const statementsToPay: Builder = async (db, actor) => {
  const coordinator = actor.networkRole === 'coordinator';
  const funderIds = actor.funderIds ?? [];
  if (!coordinator && funderIds.length === 0) return [];
  if (!coordinator && !funderIds.some((funderId) => can(actor, 'listProgrammeStatements', { funderId })))
    return [];
  const unpaid = await unpaidStatements(db, coordinator ? null : funderIds, 5);
  // A funder without a statement yet has nothing to see here; the coordinators always see the count.
  if (!coordinator && unpaid.total === 0) return [];
  return [
    {
      id: 'vouchers.statements_to_pay',
      audience: coordinator ? 'coordinator' : 'funder',
      title: 'Relevés du pass numérique à payer',
      count: unpaid.total,
      summary:
        unpaid.total === 0
          ? 'Tous les relevés émis sont payés.'
          : `${plural(unpaid.total, 'relevé')} d’un lieu ${unpaid.total > 1 ? 'attendent' : 'attend'} le paiement du financeur.`,
      href: '/pass/tableau-de-bord',
      linkLabel: 'Voir le tableau de bord du pass',
      items: unpaid.rows.map((s) => ({
        label: `${s.place_name} — ${monthLabel(s.month)}`,
        detail: `${s.programme_name} : reste ${euros(s.remaining_cents)}`,
        href: `/pass/releves/${s.id}`,
      })),
    },
  ];
};

/**
 * Credit notes drawn up in the last 60 days (end of validity, decision 0050): the funder (its own
 * programmes) and the coordinators read each with its reconciliation on the programme's closing page.
 */
const creditNotesToRead: Builder = async (db, actor, now) => {
  const coordinator = actor.networkRole === 'coordinator';
  const funderIds = actor.funderIds ?? [];
  if (!coordinator && funderIds.length === 0) return [];
  if (!coordinator && !funderIds.some((funderId) => can(actor, 'listProgrammeStatements', { funderId })))
    return [];
  const rows = await recentCreditNotes(
    db,
    coordinator ? null : funderIds,
    new Date(now.getTime() - 60 * 86_400_000),
  );
  if (rows.length === 0) return [];
  return [
    {
      id: 'vouchers.credit_notes',
      audience: coordinator ? 'coordinator' : 'funder',
      title: 'Avoirs de fin de validité du pass numérique',
      count: rows.length,
      summary: `${plural(rows.length, 'programme')} ${rows.length > 1 ? 'sont clos' : 'est clos'} : les chèques restants ont expiré et un avoir est établi. Vérifiez le rapprochement.`,
      href: '/pass/tableau-de-bord',
      linkLabel: 'Voir le tableau de bord du pass',
      items: rows.map((r) => ({
        label: `${r.programme_name} : avoir de ${euros(r.total_cents)}`,
        detail: `établi le ${frenchDate(localToday(r.issued_at))}`,
        href: `/pass/programmes/${r.programme_id}/cloture`,
      })),
    },
  ];
};

/** Booklets a prescriber holds, not handed out nor cancelled, by programme, with the last day to hand them. */
const bookletsToHandOut: Builder = async (db, actor, now) => {
  if (actor.memberships.length === 0 || !can(actor, 'prescriberDashboard')) return [];
  const structureIds = actor.memberships.map((m) => m.structureId);
  if ((await programmesOfStructures(db, structureIds, 'prescriber')).length === 0) return [];
  // A programme whose distribution has stopped (15 days before its end, decision 0050) has nothing left
  // to hand out: its booklets are kept, unused.
  const today = localToday(now);
  const rows = (await bookletsToHandOutByProgramme(db, structureIds)).filter((r) =>
    distributionOpen(r.valid_until, today),
  );
  const total = rows.reduce((a, r) => a + r.booklets, 0);
  return [
    {
      id: 'vouchers.to_distribute',
      audience: 'structure',
      title: 'Carnets de pass numérique à remettre',
      count: total,
      summary:
        total === 0
          ? 'Aucun carnet en attente : tous les carnets reçus sont remis.'
          : `${plural(total, 'carnet')} à remettre à des personnes qui en ont besoin, avant la fin de la distribution.`,
      href: '/pass/carnets',
      linkLabel: 'Voir mes carnets',
      items: rows.slice(0, 5).map((r) => ({
        label: `${r.programme_name} : ${plural(r.booklets, 'carnet')}`,
        detail: `à remettre au plus tard le ${frenchDate(distributionLastDay(r.valid_until))}`,
      })),
      more: { href: '/pass/tableau-de-bord', label: 'Tableau de bord du pass' },
    },
  ];
};

/** Redemptions of a place's structure that no monthly statement took yet (issued on the 1st). */
const awaitingStatement: Builder = async (db, actor) => {
  if (actor.memberships.length === 0 || !can(actor, 'placeDashboard')) return [];
  const structureIds = actor.memberships.map((m) => m.structureId);
  if ((await programmesOfStructures(db, structureIds, 'place')).length === 0) return [];
  const r = await redemptionsAwaitingStatement(db, structureIds);
  return [
    {
      id: 'vouchers.awaiting_statement',
      audience: 'structure',
      kind: 'figures',
      title: 'Chèques encaissés en attente de relevé',
      count: r.n,
      summary:
        r.n === 0
          ? 'Tous vos chèques encaissés figurent sur un relevé.'
          : `${plural(r.n, 'chèque encaissé', 'chèques encaissés')} (${euros(r.cents)}) ${r.n > 1 ? 'figureront' : 'figurera'} sur le relevé du mois, émis le 1er du mois suivant.`,
      href: '/pass/tableau-de-bord',
      linkLabel: 'Voir mes encaissements',
      more: { href: '/pass/releves', label: 'Relevés de ma structure' },
    },
  ];
};

const BUILDERS: readonly Builder[] = [
  statementsToPay,
  creditNotesToRead,
  bookletsToHandOut,
  awaitingStatement,
];

/** The pass numérique's to-dos of the home page, for each role the person holds. */
export async function homeBlocks(db: Db, actor: Actor, opts: { now?: Date } = {}): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const now = opts.now ?? new Date();
  return (await Promise.all(BUILDERS.map((build) => build(db, actor, now)))).flat();
}
