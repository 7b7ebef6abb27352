import { Field } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import { type Errors, fieldDescribedBy, HintAndError, Page } from './referrals.views.tsx';
import type { OrientationStatistics } from './statistics.service.ts';
import { describePeriod, type PeriodQuery, percent, statisticsSentences } from './statistics.ts';

/** Orientation statistics for the coordinator (aggregates only), by calendar year or chosen dates. */

function CountTable(props: {
  caption: string;
  head: string;
  rows: { label: string; n: number }[];
  total: number;
}) {
  return (
    <div class="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            <th scope="col">Orientations</th>
            <th scope="col">Part</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td>{r.n}</td>
              <td>{percent(r.n, props.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatisticsPage(props: {
  ctx: PageContext;
  stats: OrientationStatistics | null;
  query: PeriodQuery;
  errors?: Errors;
  /** The years the list offers, newest first, and the one shown (or the current one). */
  years: number[];
  selectedYear: number;
}) {
  const st = props.stats;
  const errors = props.errors ?? {};
  const q = props.query;
  const csvQuery = new URLSearchParams(
    Object.entries({ annee: q.annee ?? '', du: q.du ?? '', au: q.au ?? '' }).filter(([, v]) => v !== ''),
  ).toString();
  const sentences = st ? statisticsSentences(st) : null;
  return (
    <Page ctx={props.ctx} title="Statistiques des orientations" errors={errors}>
      <p>Seuls des totaux sont montrés : aucune orientation ni personne n’est visible ici.</p>
      <h2>Période</h2>
      <form method="get" action="/orientations/statistiques">
        <div class={errors.annee ? 'field has-error' : 'field'}>
          <label for="annee">Année civile</label>
          <HintAndError name="annee" error={errors.annee} />
          <select
            id="annee"
            name="annee"
            aria-describedby={fieldDescribedBy({ name: 'annee', error: errors.annee })}
          >
            {props.years.map((y) => (
              <option value={String(y)} selected={y === props.selectedYear}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Voir l’année</button>
      </form>
      <form method="get" action="/orientations/statistiques">
        <fieldset>
          <legend>Ou des dates de votre choix (jours inclus)</legend>
          <Field
            id="du"
            size={12}
            maxlength={30}
            label="Du"
            hint="Par exemple : 01/01/2026."
            value={q.du ?? ''}
            {...(errors.du ? { error: errors.du } : {})}
          />
          <Field
            id="au"
            size={12}
            maxlength={30}
            label="Au"
            hint="Par exemple : 31/03/2026."
            value={q.au ?? ''}
            {...(errors.au ? { error: errors.au } : {})}
          />
        </fieldset>
        <button type="submit">Voir ces dates</button>
      </form>
      {st && sentences ? (
        <>
          <h2>Orientations envoyées {describePeriod(st.period)}</h2>
          <p>
            {st.total} orientation{st.total > 1 ? 's' : ''}.
          </p>
          <p>
            <a href={`/orientations/statistiques.csv${csvQuery ? `?${csvQuery}` : ''}`}>
              Télécharger ces chiffres (fichier CSV)
            </a>
          </p>
          <h3>Temps de réponse</h3>
          <p>{sentences.answer}</p>
          <p>{sentences.never}</p>
          <h3>Détail</h3>
          <CountTable caption="Par situation" head="Situation" rows={st.byState} total={st.total} />
          <CountTable caption="Par besoin" head="Besoin" rows={st.byNeed} total={st.total} />
          <CountTable
            caption="Par structure qui oriente"
            head="Structure"
            rows={st.bySender}
            total={st.total}
          />
          <CountTable caption="Par lieu qui reçoit" head="Lieu" rows={st.byReceiver} total={st.total} />
        </>
      ) : null}
    </Page>
  );
}
