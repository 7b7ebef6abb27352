import type { PageContext } from '../web/layout.tsx';
import { formatDate, formatDuration } from './referrals.ts';
import { Page } from './referrals.views.tsx';
import type { OrientationStatistics } from './statistics.service.ts';

/** Orientation statistics for the coordinator (aggregates only). */

function CountTable(props: { caption: string; head: string; rows: { label: string; n: number }[] }) {
  return (
    <div class="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            <th scope="col">Orientations</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td>{r.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatisticsPage(props: { ctx: PageContext; stats: OrientationStatistics; months: number }) {
  const st = props.stats;
  return (
    <Page ctx={props.ctx} title="Statistiques des orientations">
      <p>
        Depuis le {formatDate(st.since)} ({props.months} mois) : {st.total} orientation
        {st.total > 1 ? 's' : ''}. Seuls des totaux sont montrés : aucune orientation ni personne n’est
        visible ici.
      </p>
      <form method="get" action="/orientations/statistiques">
        <label for="mois">Période (en mois)</label>
        <select id="mois" name="mois">
          {[3, 6, 12, 24].map((m) => (
            <option value={String(m)} selected={m === props.months}>
              {m} mois
            </option>
          ))}
        </select>{' '}
        <button type="submit">Afficher</button>
      </form>
      <h2>Temps de réponse</h2>
      <p>
        {st.medianAnswerMs === null
          ? 'Aucune réponse sur la période.'
          : `La moitié des lieux répondent en moins de ${formatDuration(st.medianAnswerMs)} (médiane de ${st.answered} réponse${st.answered > 1 ? 's' : ''}).`}
      </p>
      <h2>Détail</h2>
      <CountTable caption="Par situation" head="Situation" rows={st.byState} />
      <CountTable caption="Par besoin" head="Besoin" rows={st.byNeed} />
      <CountTable caption="Par structure qui oriente" head="Structure" rows={st.bySender} />
      <CountTable caption="Par lieu qui reçoit" head="Lieu" rows={st.byReceiver} />
    </Page>
  );
}
