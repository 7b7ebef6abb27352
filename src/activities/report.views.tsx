import { frenchDate } from '../places/place-dates.ts';
import { BarChart, ColumnChart, formatChartValue } from '../web/charts.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { AnnualReport } from './report.service.ts';
import { REPORT_LIMITS } from './report.ts';
import { COUNT_HEADS, METHOD, type Share } from './statistics.ts';

/**
 * The annual evaluation report (decision 0056): a page meant for paper (A4, the print stylesheet of
 * decision 0035 hides the form), the figures each saying what it counts, every breakdown as a chart
 * followed by its table, then the places, the orientations, the coverage, the method and the limits.
 */

const n = (v: number) => formatChartValue(v);
const rowsOf = (shares: Share[]) => shares.map((s) => ({ label: s.label, value: s.count }));

function Breakdown(props: { title: string; head: string; shares: Share[]; columns?: boolean }) {
  const rows = rowsOf(props.shares).filter((r) => props.columns || r.value > 0);
  const Chart = props.columns ? ColumnChart : BarChart;
  return (
    <section class="report-part">
      <h3>{props.title}</h3>
      {rows.length === 0 ? (
        <p>Aucun accompagnement sur l’année.</p>
      ) : (
        <Chart title={props.title} head={props.head} valueHead={COUNT_HEADS.accompaniments} rows={rows} />
      )}
    </section>
  );
}

export function AnnualReportPage(props: { ctx: PageContext; report: AnnualReport }) {
  const r = props.report;
  const f = r.figures;
  const title = `Rapport d’évaluation ${r.year} — ${r.perimeter.name}`;
  const o = r.orientations;
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <form method="get" action="/activites/rapport-annuel" class="filters no-print">
        <p>
          <label for="annee">Année</label>
          <select id="annee" name="annee">
            {r.years.map((y) => (
              <option value={String(y)} selected={y === r.year}>
                {String(y)}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="structure">Périmètre</label>
          <select id="structure" name="structure">
            <option value="" selected={r.perimeter.id === null}>
              Tout le réseau
            </option>
            {r.structures.map((s) => (
              <option value={s.id} selected={s.id === r.perimeter.id}>
                {s.name}
              </option>
            ))}
          </select>
        </p>
        <button type="submit">Afficher le rapport</button>
        <p class="hint">
          Pour l’imprimer ou l’enregistrer en PDF, utilisez « Imprimer » de votre navigateur.
        </p>
      </form>
      <p>
        Activités enregistrées du {frenchDate(r.from)} au {frenchDate(r.to)}
        {r.partial ? ' (année en cours : les chiffres s’arrêtent à aujourd’hui)' : ''}. Seuls des totaux
        figurent ici : aucune activité ni personne n’est nommée.
      </p>

      <h2>Chiffres clés</h2>
      <section class="table-scroll" tabindex={0} aria-label="Chiffres clés">
        <table>
          <caption>Chiffres clés de l’année {String(r.year)}</caption>
          <thead>
            <tr>
              <th scope="col">Indicateur</th>
              <th scope="col">Nombre</th>
              <th scope="col">Ce qu’il compte</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Activités</th>
              <td>{n(f.activities.total)}</td>
              <td>
                {n(f.activities.individuel)} accompagnements individuels et {n(f.activities.collectif)}{' '}
                ateliers collectifs enregistrés
              </td>
            </tr>
            <tr>
              <th scope="row">Accompagnements</th>
              <td>{n(f.accompaniments.total)}</td>
              <td>Une personne accompagnée par une activité : un atelier de 8 participants en compte 8</td>
            </tr>
            <tr>
              <th scope="row">Personnes suivies</th>
              <td>{n(f.people)}</td>
              <td>Personnes identifiées (avec une fiche), comptées une seule fois</td>
            </tr>
            <tr>
              <th scope="row">Participants anonymes</th>
              <td>{n(f.anonymousParticipants)}</td>
              <td>
                Personnes sans fiche, comptées une fois par activité : ce ne sont pas des personnes distinctes
              </td>
            </tr>
            <tr>
              <th scope="row">Premiers accompagnements</th>
              <td>{n(f.firstTimeAccompaniments)}</td>
              <td>Personnes accompagnées pour la première fois</td>
            </tr>
            <tr>
              <th scope="row">Activités liées à un pass numérique</th>
              <td>{n(f.vouchers)}</td>
              <td>Activités enregistrées avec l’encaissement d’un chèque pass numérique</td>
            </tr>
            <tr>
              <th scope="row">Ateliers de l’agenda</th>
              <td>{n(f.workshops)}</td>
              <td>Activités enregistrées depuis un atelier de l’agenda</td>
            </tr>
          </tbody>
        </table>
      </section>

      <h2>Répartitions des accompagnements</h2>
      <Breakdown title="Accompagnements par mois" head="Mois" shares={f.overTime} columns />
      <Breakdown title="Accompagnements par thématique" head="Thématique" shares={f.byTheme} />
      <Breakdown
        title="Accompagnements par démarche administrative"
        head="Démarche"
        shares={f.byAdministrativeTheme}
      />
      <Breakdown title="Accompagnements par durée" head="Durée" shares={f.byDuration} />
      <Breakdown title="Accompagnements par lieu d’activité" head="Lieu" shares={f.byPlace} />
      <Breakdown title="Accompagnements par commune du lieu" head="Commune" shares={f.byCommune} />
      {r.perimeter.id === null ? (
        <Breakdown title="Accompagnements par structure" head="Structure" shares={f.byStructure} />
      ) : null}

      <h2>Les lieux</h2>
      <p>
        {r.places.total === 0
          ? 'Aucun lieu n’est rattaché à ce périmètre.'
          : `${n(r.places.total)} lieu${r.places.total > 1 ? 'x' : ''} rattaché${r.places.total > 1 ? 's' : ''} ${r.perimeter.id === null ? 'aux structures du réseau' : 'à la structure'}, classés par leur premier type.`}
      </p>
      {r.places.kinds.map((k) => (
        <section class="report-part">
          <h3>
            {k.label} ({n(k.places.length)})
          </h3>
          <ul>
            {k.places.map((p) => (
              <li>
                {p.name}, {p.commune}
              </li>
            ))}
          </ul>
        </section>
      ))}

      {o ? (
        <>
          <h2>Orientations</h2>
          <p>
            {n(o.total)} orientation{o.total > 1 ? 's' : ''} envoyée{o.total > 1 ? 's' : ''} par le réseau sur
            l’année, dont {n(o.answered)} avec une réponse, {n(o.neverAnswered)} closes sans réponse et{' '}
            {n(o.waiting)} en attente.
          </p>
          {o.byState.length > 0 ? (
            <BarChart
              title="Orientations par situation"
              head="Situation"
              valueHead="Orientations"
              rows={o.byState.map((s) => ({ label: s.label, value: s.n }))}
            />
          ) : null}
        </>
      ) : null}

      {r.perimeter.id === null ? (
        <>
          <h2>Couverture du territoire</h2>
          {r.coverage ? (
            <p>
              {n(r.coverage.placesCount)} lieux de l’annuaire ; sur {n(r.coverage.populationTotal)} habitants
              de {n(r.coverage.communes)} communes, {n(r.coverage.populationBeyond)} vivent à plus de{' '}
              {n(r.coverage.radiusKm)} km à vol d’oiseau du lieu le plus proche (mesure d’aujourd’hui).
            </p>
          ) : (
            <p>La couverture n’est pas mesurée : aucun lieu de l’annuaire n’a de position.</p>
          )}
        </>
      ) : null}

      <h2>Méthode</h2>
      <ul>
        {METHOD.map((m) => (
          <li>{m}</li>
        ))}
        <li>
          Les définitions sont celles des statistiques de La Coop de la médiation numérique ; les durées sont
          réparties dans ses tranches (moins de 30 minutes, 30 à 60, 60 à 120, 120 et plus).
        </li>
      </ul>
      <h2>Limites</h2>
      <ul>
        {REPORT_LIMITS.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
    </Layout>
  );
}
