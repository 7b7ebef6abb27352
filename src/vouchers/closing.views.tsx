import { formatDay, localToday } from '../places/place-dates.ts';
import { formatInteger } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { ClosingView } from './closing.service.ts';
import { reconciliationBalances } from './closing.ts';
import { euros } from './vouchers.ts';

/**
 * The end of validity's pages (decision 0050): the block of the programme's page (from 30 days before
 * the end), and the closing page with the credit note and the reconciliation report, printable on one A4
 * sheet (links are not printed, decision 0035), with its CSV. Places, structures and figures only.
 */

const PHASE_WORDS: Record<ClosingView['phase'], string> = {
  open: 'Programme en cours.',
  closing_soon:
    'La fin de validité approche : les carnets non remis doivent l’être avant l’arrêt de la distribution.',
  distribution_closed:
    'La distribution des carnets est close : les personnes utilisent les carnets déjà remis.',
  grace: 'La validité est finie : les lieux enregistrent encore les chèques des services rendus.',
  expiry_due:
    'Le délai est fini : les chèques restants expirent au prochain passage quotidien, avec l’avoir.',
  expired: 'Programme clos : les chèques restants ont expiré et l’avoir est établi.',
};

function Calendar({ view }: { view: ClosingView }) {
  const c = view.calendar;
  return (
    <dl class="facts">
      <dt>Arrêt de la distribution des carnets</dt>
      <dd>{formatDay(c.distributionStop)}</dd>
      <dt>Fin de validité des chèques</dt>
      <dd>{formatDay(c.end)}</dd>
      <dt>Dernier jour d’enregistrement par les lieux</dt>
      <dd>{formatDay(c.lastRecording)}</dd>
      <dt>Expiration des chèques restants et avoir</dt>
      <dd>{formatDay(c.expiryDue)}</dd>
    </dl>
  );
}

function BookletsTable({ view }: { view: ClosingView }) {
  const b = view.booklets;
  return (
    <table>
      <caption>Carnets du programme</caption>
      <thead>
        <tr>
          <th scope="col">Carnets</th>
          <th scope="col">Nombre</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Émis</th>
          <td>{formatInteger(b.emitted)}</td>
        </tr>
        <tr>
          <th scope="row">Remis à une personne</th>
          <td>{formatInteger(b.distributed)}</td>
        </tr>
        <tr>
          <th scope="row">Non remis (en stock ou chez un prescripteur)</th>
          <td>{formatInteger(b.notDistributed)}</td>
        </tr>
        <tr>
          <th scope="row">Entamés (au moins un chèque encaissé)</th>
          <td>{formatInteger(b.started)}</td>
        </tr>
        <tr>
          <th scope="row">Annulés (perdus, volés)</th>
          <td>{formatInteger(b.cancelled)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** The programme page's block, from 30 days before the end. */
export function ClosingBlock({ view }: { view: ClosingView }) {
  return (
    <section aria-labelledby="fin-de-validite">
      <h2 id="fin-de-validite">Fin de validité</h2>
      <p>{PHASE_WORDS[view.phase]}</p>
      <Calendar view={view} />
      <BookletsTable view={view} />
      <p>
        <a href={`/pass/programmes/${view.programme.id}/cloture`}>
          {view.creditNote ? 'Avoir et rapport de rapprochement' : 'Calendrier et chiffres de la clôture'}
        </a>
      </p>
    </section>
  );
}

function Reconciliation({ view }: { view: ClosingView }) {
  const r = view.reconciliation;
  const face = (n: number) => euros(n * r.faceValueCents);
  const balances = reconciliationBalances(r);
  return (
    <>
      <table>
        <caption>Rapprochement des chèques</caption>
        <thead>
          <tr>
            <th scope="col">Chèques</th>
            <th scope="col">Nombre</th>
            <th scope="col">Montant</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Émis</th>
            <td>{formatInteger(r.emitted)}</td>
            <td>{euros(r.emittedCents)}</td>
          </tr>
          <tr>
            <th scope="row">Encaissés par les lieux</th>
            <td>{formatInteger(r.redeemed)}</td>
            <td>{euros(r.redeemedCents)}</td>
          </tr>
          <tr>
            <th scope="row">Expirés</th>
            <td>{formatInteger(r.expired)}</td>
            <td>{face(r.expired)}</td>
          </tr>
          <tr>
            <th scope="row">dont jamais remis à une personne</th>
            <td>{formatInteger(r.expiredNotDistributed)}</td>
            <td>{face(r.expiredNotDistributed)}</td>
          </tr>
          <tr>
            <th scope="row">dont remis mais non utilisés</th>
            <td>{formatInteger(r.expiredDistributed)}</td>
            <td>{face(r.expiredDistributed)}</td>
          </tr>
          <tr>
            <th scope="row">dont carnets annulés</th>
            <td>{formatInteger(r.expiredCancelled)}</td>
            <td>{face(r.expiredCancelled)}</td>
          </tr>
          <tr>
            <th scope="row">dont lots non payés par le financeur (hors avoir)</th>
            <td>{formatInteger(r.expiredUnpaid)}</td>
            <td>{face(r.expiredUnpaid)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        Émis = encaissés + expirés : {formatInteger(r.emitted)} = {formatInteger(r.redeemed)} +{' '}
        {formatInteger(r.expired)}{' '}
        {balances.vouchers ? '(équilibré)' : '(écart : à vérifier avec pass verify)'}.
        <br />
        Payé par le financeur = encaissé + avoir : {euros(r.paidByFunderCents)} = {euros(r.redeemedCents)} +{' '}
        {euros(r.creditNoteCents)} {balances.money ? '(équilibré)' : '(écart : à vérifier avec pass verify)'}.
      </p>
      <table>
        <caption>Par lieu : chèques encaissés, relevés mensuels et paiements</caption>
        <thead>
          <tr>
            <th scope="col">Lieu</th>
            <th scope="col">Structure payée</th>
            <th scope="col">Chèques encaissés</th>
            <th scope="col">Encaissé</th>
            <th scope="col">Dû par les relevés</th>
            <th scope="col">Payé</th>
          </tr>
        </thead>
        <tbody>
          {r.places.map((p) => (
            <tr>
              <th scope="row">{p.placeName}</th>
              <td>{p.structureName}</td>
              <td>{formatInteger(p.redeemed)}</td>
              <td>{euros(p.redeemedCents)}</td>
              <td>{euros(p.statementsCents)}</td>
              <td>{euros(p.settledCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={2}>
              Total
            </th>
            <td>{formatInteger(r.redeemed)}</td>
            <td>{euros(r.redeemedCents)}</td>
            <td>{euros(r.statementsCents)}</td>
            <td>{euros(r.settledCents)}</td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

/** The closing page: calendar, booklets, and once expired the credit note and the reconciliation. */
export function ClosingPage(props: { ctx: PageContext; view: ClosingView }) {
  const { view } = props;
  const p = view.programme;
  const note = view.creditNote;
  const heading = note ? `Avoir de fin de validité — ${p.name}` : `Fin de validité — ${p.name}`;
  return (
    <Layout title={heading} ctx={props.ctx}>
      <div class="no-print">
        <p>
          <a href={`/pass/programmes/${p.id}`}>Retour au programme {p.name}</a> —{' '}
          <a href={`/pass/programmes/${p.id}/releves`}>Relevés mensuels</a>
          {note ? (
            <>
              {' '}
              —{' '}
              <a href={`/pass/programmes/${p.id}/cloture/csv`}>
                Télécharger le rapprochement (CSV pour tableur)
              </a>{' '}
              — imprimez cette page (Ctrl + P) pour une feuille A4.
            </>
          ) : null}
        </p>
        {note ? (
          <p>
            <button type="button" class="button" data-print="" hidden>
              Imprimer l’avoir
            </button>
          </p>
        ) : null}
      </div>
      <article class="statement">
        <h1>{heading}</h1>
        <p class="meta">Financeur : {p.funderName}</p>
        <p>{PHASE_WORDS[view.phase]}</p>
        {note ? (
          <section aria-labelledby="avoir">
            <h2 id="avoir">Avoir</h2>
            <dl class="facts">
              <dt>Établi le</dt>
              <dd>{formatDay(localToday(note.issuedAt))}</dd>
              <dt>Au bénéfice de</dt>
              <dd>{p.funderName}</dd>
              <dt>Chèques payés et non utilisés</dt>
              <dd>
                {formatInteger(note.vouchers)} × {euros(p.faceValueCents)}
              </dd>
              <dt>Montant de l’avoir</dt>
              <dd>
                <strong>{euros(note.totalCents)}</strong>
              </dd>
            </dl>
          </section>
        ) : null}
        <section aria-labelledby="calendrier">
          <h2 id="calendrier">Calendrier</h2>
          <Calendar view={view} />
        </section>
        <section aria-labelledby="carnets-fin">
          <h2 id="carnets-fin">Carnets</h2>
          <BookletsTable view={view} />
        </section>
        {note ? (
          <section aria-labelledby="rapprochement">
            <h2 id="rapprochement">Rapport de rapprochement</h2>
            <Reconciliation view={view} />
          </section>
        ) : null}
      </article>
    </Layout>
  );
}
