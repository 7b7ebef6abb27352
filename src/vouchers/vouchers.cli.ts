import type { Actor } from '../accounts/policy.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { type CliCommand, type CliContext, UsageError } from '../shared/cli-kit.ts';
import { DomainError } from '../shared/domain-error.ts';
import { allocateBooklets } from './booklets.service.ts';
import { runEndOfValidity } from './closing.service.ts';
import { type LedgerReport, sealLedger, verifyLedger } from './ledger.service.ts';
import { issueStatements } from './statements.service.ts';
import { monthLabel } from './statements.ts';
import { emitBooklets } from './vouchers.service.ts';
import type { FieldErrors } from './vouchers.ts';
import { euros } from './vouchers.ts';

/**
 * The pass numérique's commands (decision 0037): verify the ledger (a check, never a repair), seal it
 * (what every server does each second), and the set-ups a script may run: emit, allocate.
 */
const SYSTEM: Actor = { kind: 'system' };

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function required(
  values: Record<string, string | boolean | undefined>,
  name: string,
  example: string,
): string {
  const v = str(values[name]);
  if (v === undefined || v.trim() === '')
    throw new UsageError(`Indiquez --${name} (par exemple --${name} ${example}).`);
  return v;
}

/** A form refused: the same French messages as the pages, one per field, exit 1. */
function refused(errors: FieldErrors): never {
  throw new DomainError('invalid_input', Object.values(errors).join(' '), errors);
}

function printReport(ctx: CliContext, report: LedgerReport): void {
  if (ctx.json) {
    ctx.out(`${JSON.stringify(report)}\n`);
    return;
  }
  for (const p of report.programmes) {
    const v = p.vouchers;
    ctx.out(
      [
        `${p.name} (${p.id})`,
        `  écritures : ${p.entries}, scellées : ${p.sealed}`,
        `  chèques émis : ${v.emitted} = en stock ${v.in_stock} + confiés ${v.allocated} + remis ${v.distributed} + encaissés ${v.redeemed} + expirés ${v.expired} + annulés ${v.cancelled}`,
        `  émis ${p.emittedCents} c, payés ${p.paidCents} c, activés ${p.activatedCents} c, dus aux lieux ${p.owedCents} c`,
        `  relevés des lieux : ${p.statements}, dus ${p.statementsOwedCents} c, payés ${p.statementsSettledCents} c`,
        `  chèques expirés (écritures) : ${p.expiries}, avoir ${p.creditNoteCents} c`,
        `  empreinte de tête : ${p.headHash}`,
        '',
      ].join('\n'),
    );
  }
}

export const vouchersCommands: CliCommand[] = [
  {
    name: 'pass verify',
    usage: 'pass verify [--format json]',
    summary:
      'Recalcule le registre du pass numérique (chaîne des sceaux et invariants) sans rien modifier ; code 1 en nommant la première écriture fautive.',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const report = await verifyLedger(db, SYSTEM);
      printReport(ctx, report);
      if (report.problem) {
        const p = report.problem;
        // English, for the logs and the operator's tools (decision 0037).
        ctx.err(
          `Ledger broken: programme ${p.programmeId}${p.entryId === null ? '' : `, entry ${p.entryId}`}: ${p.rule}\n`,
        );
        return 1;
      }
      if (!ctx.json) ctx.out(`Registre cohérent : ${report.programmes.length} programme(s) vérifié(s).\n`);
      return 0;
    },
  },
  {
    name: 'pass seal',
    usage: 'pass seal [--format json]',
    summary:
      'Scelle les écritures du registre qui ne le sont pas encore (chaque serveur le fait chaque seconde).',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const sealed = await sealLedger(db, SYSTEM);
      ctx.out(ctx.json ? `${JSON.stringify({ sealed })}\n` : `Écritures scellées : ${sealed}\n`);
      return 0;
    },
  },
  {
    name: 'pass statements',
    usage: 'pass statements --month AAAA-MM [--format json]',
    summary:
      "Émet les relevés mensuels d'un mois terminé (heure de Paris) pour chaque programme ; sans effet sur un mois déjà émis.",
    options: { month: { type: 'string' } },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      const month = required(values, 'month', '2026-11');
      const { db } = await ctx.open();
      const r = await issueStatements(db, SYSTEM, { month });
      if (ctx.json) {
        ctx.out(`${JSON.stringify(r)}\n`);
        return 0;
      }
      for (const p of r.issued)
        ctx.out(`${p.programmeName} : ${p.places} relevé(s) de lieu, total ${euros(p.totalCents)}\n`);
      ctx.out(
        r.issued.length === 0
          ? `Aucun nouveau relevé pour ${monthLabel(r.month)}${r.alreadyIssued > 0 ? ` : déjà émis pour ${r.alreadyIssued} programme(s)` : ''}.\n`
          : `Relevés de ${monthLabel(r.month)} émis pour ${r.issued.length} programme(s).\n`,
      );
      return 0;
    },
  },
  {
    name: 'pass expire',
    usage: 'pass expire [--format json]',
    summary:
      "Fin de validité (heure de Paris) : prévient les prescripteurs à l'arrêt de la distribution, fait expirer les chèques restants après le délai et établit l'avoir ; sans effet sur un programme déjà clos.",
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const r = await runEndOfValidity(db, SYSTEM, { publicUrl: ctx.config.publicUrl });
      if (ctx.json) {
        ctx.out(`${JSON.stringify(r)}\n`);
        return 0;
      }
      for (const n of r.notified)
        ctx.out(
          `${n.programmeName} : distribution close, ${n.prescribers} prescripteur(s) prévenu(s) (${n.mails} courriel(s)).\n`,
        );
      for (const e of r.expired)
        ctx.out(
          `${e.programmeName} : ${e.vouchers} chèque(s) expiré(s), avoir de ${euros(e.creditNoteCents)} établi (${e.creditNoteId}).\n`,
        );
      for (const a of r.alreadyExpired)
        ctx.out(
          `${a.programmeName} : déjà clos le ${frenchDate(localToday(a.issuedAt))} (avoir ${a.creditNoteId}), rien de nouveau.\n`,
        );
      if (r.notified.length + r.expired.length + r.alreadyExpired.length === 0)
        ctx.out('Rien à faire aujourd’hui : aucun programme en fin de validité.\n');
      return 0;
    },
  },
  {
    name: 'pass emit',
    usage: 'pass emit --programme ID --booklets N [--format json]',
    summary: "Émet N carnets d'un programme confirmé par son financeur, dans la limite du budget.",
    options: { programme: { type: 'string' }, booklets: { type: 'string' } },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      const programmeId = required(values, 'programme', '<identifiant du programme>');
      const booklets = required(values, 'booklets', '10');
      const { db } = await ctx.open();
      const r = await emitBooklets(db, SYSTEM, { programmeId, booklets });
      if (!r.ok) refused(r.errors);
      const result = { emissionId: r.emissionId, booklets: r.booklets, vouchers: r.vouchers };
      ctx.out(
        ctx.json
          ? `${JSON.stringify(result)}\n`
          : `Lot n° ${r.emissionId} émis : ${r.booklets} carnets, ${r.vouchers} chèques (à activer par le paiement du financeur).\n`,
      );
      return 0;
    },
  },
  {
    name: 'pass allocate',
    usage: 'pass allocate --programme ID --structure ID --count N [--format json]',
    summary: 'Confie les N prochains carnets en stock à une structure prescriptrice du programme.',
    options: { programme: { type: 'string' }, structure: { type: 'string' }, count: { type: 'string' } },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      const programmeId = required(values, 'programme', '<identifiant du programme>');
      const structureId = required(values, 'structure', '<identifiant de la structure>');
      const count = required(values, 'count', '5');
      const { db } = await ctx.open();
      const r = await allocateBooklets(db, SYSTEM, { programmeId, structureId, count });
      if (!r.ok) refused(r.errors);
      const numbers = r.booklets.map((b) => b.number);
      ctx.out(
        ctx.json
          ? `${JSON.stringify({ booklets: r.booklets })}\n`
          : `Carnets confiés : ${numbers.length} (n° ${numbers.join(', ')}).\n`,
      );
      return 0;
    },
  },
];
