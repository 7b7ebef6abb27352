import { formatDay, frenchDate, localToday } from '../places/place-dates.ts';
import { Csrf, ErrorSummary, Field, Notice, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Statement, StatementLine, StatementView } from './statements.service.ts';
import { monthLabel, statementCsv } from './statements.ts';
import { formatVoucherCode } from './voucher-code.ts';
import { euros, type FieldErrors } from './vouchers.ts';

/**
 * The monthly statements' pages (decision 0045): the lists (a place's structure's, a programme's), and
 * one statement, printable on one A4 sheet (the links and the payment form are not printed), with its
 * CSV. Vouchers are anonymous codes: a statement names no person.
 */

export const STATEMENT_NOTICES: Record<string, string> = {
  paye: 'Le paiement est enregistré sur le relevé.',
};

const status = (s: Statement) =>
  s.scope === 'funder'
    ? '—'
    : s.owedCents === 0
      ? 'rien à payer'
      : s.settledCents >= s.owedCents
        ? 'payé'
        : s.settledCents > 0
          ? `payé en partie (${euros(s.settledCents)})`
          : 'à payer';

const title = (s: Statement) =>
  s.kind === 'credit_note'
    ? `Avoir de fin de validité — ${monthLabel(s.month)}`
    : s.scope === 'funder'
      ? `Relevé du financeur — ${monthLabel(s.month)}`
      : `Relevé de ${s.payee.placeName ?? 'lieu'} — ${monthLabel(s.month)}`;

export function StatementsTable(props: { statements: Statement[]; showProgramme: boolean }) {
  return (
    <section class="table-scroll" tabindex={0} aria-label="Relevés mensuels">
      <table>
        <caption class="visually-hidden">Relevés mensuels</caption>
        <thead>
          <tr>
            <th scope="col">Mois</th>
            {props.showProgramme ? <th scope="col">Programme</th> : null}
            <th scope="col">Relevé</th>
            <th scope="col">Chèques</th>
            <th scope="col">Montant</th>
            <th scope="col">Paiement</th>
          </tr>
        </thead>
        <tbody>
          {props.statements.map((s) => (
            <tr>
              <td>{monthLabel(s.month)}</td>
              {props.showProgramme ? <td>{s.programmeName}</td> : null}
              <td>
                {s.kind === 'credit_note' ? (
                  // The credit note of the end of validity (decision 0050), with its reconciliation.
                  <a href={`/pass/programmes/${s.programmeId}/cloture`}>
                    Avoir de fin de validité (chèques expirés)
                  </a>
                ) : (
                  <a href={`/pass/releves/${s.id}`}>
                    {s.scope === 'funder'
                      ? 'Relevé du financeur (total des lieux)'
                      : `${s.payee.placeName ?? ''} (${s.payee.structureName ?? ''})`}
                  </a>
                )}
              </td>
              <td>{s.scope === 'funder' ? '—' : s.lineCount}</td>
              <td>{euros(s.totalCents)}</td>
              <td>{status(s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function StatementsListPage(props: {
  ctx: PageContext;
  heading: string;
  back: { href: string; label: string };
  statements: Statement[];
  showProgramme: boolean;
}) {
  return (
    <Layout title={props.heading} ctx={props.ctx}>
      <p>
        <a href={props.back.href}>{props.back.label}</a>
      </p>
      <h1>{props.heading}</h1>
      <p>
        Chaque mois, le 1er, un relevé par lieu liste les chèques encaissés le mois d'avant (heure de Paris) :
        c'est ce que le financeur doit à la structure du lieu.
      </p>
      {props.statements.length === 0 ? (
        <p>Aucun relevé pour le moment.</p>
      ) : (
        <StatementsTable statements={props.statements} showProgramme={props.showProgramme} />
      )}
    </Layout>
  );
}

function Payee(props: { s: Statement }) {
  const p = props.s.payee;
  return (
    <dl class="facts">
      <dt>Payé à</dt>
      <dd>
        {p.structureName}
        {p.siret ? ` — SIRET ${p.siret}` : ' — SIRET non renseigné'}
      </dd>
      {p.publicBody ? (
        <>
          <dt>Organisme public</dt>
          <dd>paiement à la régie (comptable public) de {p.structureName}</dd>
        </>
      ) : null}
      <dt>Lieu</dt>
      <dd>
        {p.placeName}
        {p.commune ? `, ${p.commune}` : ''}
      </dd>
    </dl>
  );
}

export interface PaymentValues {
  amount: string;
  paidOn: string;
  reference: string;
}

export function StatementPage(props: {
  ctx: PageContext;
  csrf: string;
  view: StatementView;
  values: PaymentValues;
  errors: FieldErrors;
  notice: string | undefined;
}) {
  const { statement: s, lines, places, payments } = props.view;
  const e = props.errors;
  const pageTitle = title(s);
  return (
    <Layout title={pageTitle} ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e)} />
      <div class="no-print">
        <p>
          {/* The coordinator and the funder go back to the programme's statements, a place to its own. */}
          <a href={props.view.may.programme ? `/pass/programmes/${s.programmeId}/releves` : '/pass/releves'}>
            {props.view.may.programme ? 'Tous les relevés du programme' : 'Mes relevés'}
          </a>{' '}
          — <a href={`/pass/releves/${s.id}/csv`}>Télécharger le relevé (CSV pour tableur)</a> — imprimez
          cette page (Ctrl + P) pour une feuille A4.
        </p>
        <p>
          <button type="button" class="button" data-print="" hidden>
            Imprimer le relevé
          </button>
        </p>
      </div>
      <article class="statement">
        <h1>{pageTitle}</h1>
        <p class="meta">
          {s.programmeName} — financeur : {s.funderName} — émis le {formatDay(localToday(s.issuedAt))}
        </p>
        <Notice text={props.notice} />
        {s.scope === 'place' ? <Payee s={s} /> : null}
        {s.scope === 'place' || s.kind === 'credit_note' ? (
          <section
            class="table-scroll"
            tabindex={0}
            aria-label={s.kind === 'credit_note' ? 'Chèques expirés' : 'Chèques encaissés'}
          >
            <table>
              <caption>
                {s.kind === 'credit_note'
                  ? 'Chèques payés par le financeur et expirés (codes anonymes)'
                  : 'Chèques encaissés (codes anonymes)'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Date</th>
                  <th scope="col">Lieu</th>
                  <th scope="col">Montant</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr>
                    <td>
                      <code>{formatVoucherCode(l.code)}</code>
                      {l.kind === 'redemption_cancellation' ? ' (annulé, déjà relevé)' : ''}
                    </td>
                    <td>{frenchDate(localToday(l.recordedAt))}</td>
                    <td>{l.placeName}</td>
                    <td>{euros(l.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colspan={3}>
                    Total
                  </th>
                  <td>{euros(s.totalCents)}</td>
                </tr>
              </tfoot>
            </table>
          </section>
        ) : (
          <section class="table-scroll" tabindex={0} aria-label="Relevés des lieux du mois">
            <table>
              <caption>Relevés des lieux du mois</caption>
              <thead>
                <tr>
                  <th scope="col">Lieu</th>
                  <th scope="col">Structure payée</th>
                  <th scope="col">Chèques</th>
                  <th scope="col">Montant</th>
                  <th scope="col">Paiement</th>
                </tr>
              </thead>
              <tbody>
                {places.map((p) => (
                  <tr>
                    <td>
                      <a href={`/pass/releves/${p.id}`}>{p.payee.placeName}</a>
                    </td>
                    <td>
                      {p.payee.structureName}
                      {p.payee.siret ? ` (SIRET ${p.payee.siret})` : ''}
                    </td>
                    <td>{p.lineCount}</td>
                    <td>{euros(p.totalCents)}</td>
                    <td>{status(p)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colspan={3}>
                    À payer aux lieux
                  </th>
                  {/* A place whose statement is negative (cancellations of vouchers already paid) owes
                      that sum back: it is not taken off what the other places are owed. */}
                  <td>{euros(places.reduce((n, p) => n + Math.max(p.totalCents, 0), 0))}</td>
                  <td />
                </tr>
                {places.some((p) => p.totalCents < 0) ? (
                  <tr>
                    <th scope="row" colspan={3}>
                      Solde net (avec les sommes que des lieux doivent rendre)
                    </th>
                    <td>{euros(s.totalCents)}</td>
                    <td />
                  </tr>
                ) : null}
              </tfoot>
            </table>
          </section>
        )}
        {s.scope === 'place' ? (
          <section aria-labelledby="paiements">
            <h2 id="paiements">Paiement</h2>
            <p>
              Dû : {euros(s.owedCents)} — payé : {euros(s.settledCents)} — reste :{' '}
              {euros(Math.max(0, s.owedCents - s.settledCents))}
            </p>
            {payments.length === 0 ? (
              <p>Aucun paiement enregistré.</p>
            ) : (
              <ul>
                {payments.map((p) => (
                  <li>
                    Payé le {formatDay(p.paid_on)} : {euros(p.amount_cents)} (référence {p.reference})
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </article>
      {props.view.may.pay ? (
        <form method="post" action={`/pass/releves/${s.id}/paiement`} class="no-print" novalidate>
          <Csrf token={props.csrf} />
          <h2>Enregistrer un paiement</h2>
          <Field
            id="amount"
            label="Montant payé (€)"
            value={props.values.amount}
            error={e.amount}
            inputmode="decimal"
            required
          />
          <Field
            id="paidOn"
            label="Payé le"
            hint="Par exemple 05/12/2026."
            value={props.values.paidOn}
            error={e.paidOn}
            required
          />
          <Field
            id="reference"
            label="Référence du paiement (mandat, virement)"
            value={props.values.reference}
            error={e.reference}
            maxlength={100}
            required
          />
          <button type="submit" class="button">
            Enregistrer le paiement
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

/** A statement's page as CSV: the route reads it through `viewStatement` (the same reading rights). */
export function statementViewCsv(view: StatementView): { filename: string; csv: string } {
  const s = view.statement;
  const payee =
    s.scope === 'place'
      ? `Payé à : ${s.payee.structureName ?? ''}${s.payee.siret ? ` (SIRET ${s.payee.siret})` : ''}`
      : `Financeur : ${s.funderName}`;
  const lines: StatementLine[] =
    s.scope === 'place' || s.kind === 'credit_note'
      ? view.lines
      : view.places.map((p) => ({
          code: '',
          recordedAt: p.issuedAt,
          placeName: `${p.payee.placeName ?? ''} (${p.payee.structureName ?? ''})`,
          amountCents: p.totalCents,
          kind: 'redemption' as const,
        }));
  return {
    filename: `releve-${s.month}-${s.id.slice(0, 8)}.csv`,
    csv: statementCsv(
      { title: `${s.programmeName} — relevé de ${s.month}`, payee, total: s.totalCents },
      lines,
    ),
  };
}
