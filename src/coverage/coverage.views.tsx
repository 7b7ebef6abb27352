import type { Geometry } from '../communes/geometry.ts';
import { DomainError } from '../shared/domain-error.ts';
import { formatInteger } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { CommuneCoverage, CoverageAnalysis } from './coverage.ts';
import { CLASSES, CoverageMapSvg, type DistanceClass, distanceClass, fmtKm } from './coverage-map.views.tsx';
import { DETOUR_FACTOR, SPEEDS_KMH } from './reach.ts';

export { type DistanceClass, distanceClass };

/**
 * Above this many communes, the table comes in pages of TABLE_PAGE_SIZE rows (the worst served first by
 * default; the CSV has them all): a page of 325 rows weighs 2,300 elements, which no budget allows
 * (docs/decisions/0033-maps-outlines-and-labels.md).
 */
export const PAGINATE_ABOVE = 50;
export const TABLE_PAGE_SIZE = 25;

/** The table's page from the query: absent is 1; anything but a whole number from 1 is a French error. */
export function parseTablePage(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1)
    throw new DomainError(
      'invalid_input',
      `Le numéro de page du tableau doit être un nombre entier à partir de 1 (reçu : « ${raw.slice(0, 40)} »).`,
      { field: 'page', value: raw.slice(0, 40) },
    );
  return Number(raw);
}

export const SORTS = ['nom', 'population', 'distance'] as const;
export type Sort = (typeof SORTS)[number];

/** Presentation order of the table (server-side sort, by links). */
export function sortCommunes(rows: readonly CommuneCoverage[], sort: Sort): CommuneCoverage[] {
  const byName = (a: CommuneCoverage, b: CommuneCoverage) => a.nom.localeCompare(b.nom, 'fr');
  const copy = [...rows];
  if (sort === 'population') return copy.sort((a, b) => b.population - a.population || byName(a, b));
  if (sort === 'distance')
    return copy.sort(
      (a, b) =>
        (b.nearestKm ?? Number.POSITIVE_INFINITY) - (a.nearestKm ?? Number.POSITIVE_INFINITY) || byName(a, b),
    );
  return copy.sort(byName);
}

const SORT_LABELS: Record<Sort, string> = {
  nom: 'par nom',
  population: 'par population, de la plus grande à la plus petite',
  distance: 'par distance, de la plus grande à la plus petite',
};

export interface CoverageView {
  ctx: PageContext;
  label: string;
  analysis: CoverageAnalysis;
  outlines: Map<string, Geometry>;
  missing: { code: string; nom: string }[];
  services: readonly string[];
  service: string | null;
  km: number;
  sort: Sort;
  /** The coordinators' version: nearest place names and ids (internal data), at /couverture/reseau. */
  internal: boolean;
  /** The day of the figures, in words, for the map's title. */
  date: string;
  /** Which page of the table, when the territory has too many communes for one page. */
  tablePage: number;
}

const basePath = (view: CoverageView) => (view.internal ? '/couverture/reseau' : '/couverture');

function query(view: CoverageView, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (view.service) params.set('service', view.service);
  params.set('km', String(view.km));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

function CoverageMap(props: { view: CoverageView }) {
  const v = props.view;
  return (
    <figure class="coverage-figure">
      <CoverageMapSvg
        label={v.label}
        analysis={v.analysis}
        outlines={v.outlines}
        service={v.service}
        date={v.date}
      />
      <figcaption>
        {v.internal ? null : <a href={`/couverture.svg?${query(v)}`}>Télécharger la carte (SVG)</a>}
        {v.internal ? null : ' · '}
        Les mêmes chiffres, commune par commune, sont dans le <a href="#tableau">tableau des communes</a>.
      </figcaption>
    </figure>
  );
}

export function CoveragePage(props: CoverageView) {
  const { analysis, label } = props;
  const radius = analysis.radiusKm;
  const sorted = sortCommunes(analysis.communes, props.sort);
  const pages = sorted.length > PAGINATE_ABOVE ? Math.ceil(sorted.length / TABLE_PAGE_SIZE) : 1;
  const tablePage = Math.min(Math.max(1, props.tablePage), pages);
  const rows =
    pages > 1 ? sorted.slice((tablePage - 1) * TABLE_PAGE_SIZE, tablePage * TABLE_PAGE_SIZE) : sorted;
  const firstRow = (tablePage - 1) * TABLE_PAGE_SIZE + 1;
  const pageLink = (n: number) =>
    `${basePath(props)}?${query(props, { tri: props.sort, page: String(n) })}#tableau`;
  const suggestedRank = new Map(
    analysis.suggestions.flatMap((s, i) => (s.code === null ? [] : [[s.code, i + 1] as const])),
  );
  const base = basePath(props);
  const sortHeader = (sort: Sort, text: string) => (
    <th
      scope="col"
      aria-sort={props.sort === sort ? (sort === 'nom' ? 'ascending' : 'descending') : undefined}
    >
      {props.sort === sort ? (
        text
      ) : (
        <a href={`${base}?${query(props, { tri: sort })}#tableau`}>
          {text}
          <span class="visually-hidden"> (trier {SORT_LABELS[sort]})</span>
        </a>
      )}
    </th>
  );
  return (
    <Layout
      title={`${props.internal ? 'Couverture du réseau (données internes)' : 'Couverture du territoire'} : ${label}`}
      ctx={props.ctx}
    >
      <h1>
        {props.internal
          ? 'Couverture du réseau : lieux les plus proches'
          : "Où l'aide au numérique est-elle loin ?"}
      </h1>
      {props.internal ? (
        <p class="notice">
          Cette page est réservée à la coordination : elle nomme le lieu le plus proche de chaque commune. La{' '}
          <a href="/couverture">page publique</a> montre les mêmes chiffres sans ces données internes.
        </p>
      ) : null}
      <p>
        Pour chaque commune de {label}, la distance à vol d'oiseau jusqu'au lieu le plus proche
        {props.service ? ` qui propose « ${props.service} »` : ''}, et les habitants qui vivent à plus de{' '}
        {fmtKm(radius)} km. <a href="/couverture/methode">Comment ces chiffres sont calculés</a>.
      </p>
      <form method="get" action={base}>
        <p>
          <label for="service">Service</label>
          <select id="service" name="service">
            <option value="" selected={props.service === null}>
              Tous les services
            </option>
            {props.services.map((s) => (
              <option value={s} selected={props.service === s}>
                {s}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="km">Distance maximale, en kilomètres à vol d'oiseau</label>
          <input
            id="km"
            name="km"
            type="number"
            min="1"
            max="500"
            step="0.5"
            value={String(props.km)}
            required
          />
        </p>
        <p>
          <button type="submit">Afficher</button>
        </p>
      </form>
      <h2>En résumé</h2>
      <ul>
        <li>
          {formatInteger(analysis.populationTotal)} habitants dans {analysis.communes.length} communes.
        </li>
        <li>
          <strong>{formatInteger(analysis.populationBeyond)} habitants</strong> vivent à plus de{' '}
          {fmtKm(radius)} km d'un lieu{props.service ? ' qui propose ce service' : ''}.
        </li>
        {analysis.weighted ? (
          <li>
            Les propositions tiennent compte des poids de besoin importés : chaque habitant compte selon le
            poids de sa commune.
          </li>
        ) : null}
        {analysis.suggestions.length ? (
          <li>
            Un lieu à {analysis.suggestions.map((s) => s.nom).join(', ')} mettrait{' '}
            {formatInteger(analysis.suggestions.reduce((sum, s) => sum + s.addedPopulation, 0))} habitants de
            plus à moins de {fmtKm(radius)} km.
          </li>
        ) : (
          <li>
            Aucune ouverture ne rapprocherait davantage d'habitants : toutes les communes sont à portée.
          </li>
        )}
      </ul>
      {props.missing.length ? (
        <p class="notice">
          Communes non mesurées, faute de point de référence : {props.missing.map((m) => m.nom).join(', ')}.
        </p>
      ) : null}
      <h2>Carte</h2>
      <CoverageMap view={props} />
      {analysis.suggestions.length ? (
        <>
          <h2>Où ouvrir en priorité</h2>
          <ol>
            {analysis.suggestions.map((s) => (
              <li>
                {s.nom} : {formatInteger(s.addedPopulation)} habitants de plus à moins de {fmtKm(radius)} km
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <h2 id="tableau">Tableau des communes</h2>
      <p>
        <a href={`/couverture.csv?${query(props)}`}>Télécharger ce tableau (CSV)</a>
      </p>
      <p>
        <a href={`/couverture.geojson?${query(props)}`}>
          Télécharger les communes et leurs chiffres pour une carte (GeoJSON)
        </a>
      </p>
      {/* A wide data table scrolls in its own frame on small screens (WCAG 1.4.10 allows it for tables). */}
      <section class="table-scroll" aria-label="Tableau des communes" tabindex={0}>
        <table>
          <caption>
            Distance au lieu le plus proche par commune, {label}, classée {SORT_LABELS[props.sort]}
            {pages > 1 ? ` (communes ${firstRow} à ${firstRow + rows.length - 1} sur ${sorted.length})` : ''}
          </caption>
          <thead>
            <tr>
              {sortHeader('nom', 'Commune')}
              {sortHeader('population', 'Population')}
              {sortHeader('distance', "Distance à vol d'oiseau")}
              <th scope="col">Distance estimée par la route</th>
              <th scope="col">Classe</th>
              <th scope="col">Heures d'ouverture par semaine à portée</th>
              {props.internal ? (
                <>
                  <th scope="col">Lieu le plus proche</th>
                  <th scope="col">Identifiant du lieu</th>
                </>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const cls = CLASSES[distanceClass(c, radius)];
              const rank = suggestedRank.get(c.code);
              return (
                <tr>
                  <th scope="row">
                    {c.nom}
                    {rank ? ` (proposition ${rank})` : ''}
                  </th>
                  <td>{formatInteger(c.population)}</td>
                  <td>{c.nearestKm === null ? 'aucun lieu' : `${fmtKm(c.nearestKm)} km`}</td>
                  <td>{c.roadKm === null ? '—' : `${fmtKm(c.roadKm)} km`}</td>
                  <td>
                    {cls.short} : {cls.label(radius)}
                  </td>
                  <td>
                    {c.placesWithinReach === 0
                      ? 'aucun lieu à portée'
                      : `${fmtKm(c.weeklyHoursWithinReach)} h${c.placesWithinReachWithoutHours ? ` (horaires inconnus pour ${c.placesWithinReachWithoutHours} lieu${c.placesWithinReachWithoutHours > 1 ? 'x' : ''})` : ''}`}
                  </td>
                  {props.internal ? (
                    <>
                      <td>{c.nearestPlaceNom ?? '—'}</td>
                      <td>
                        <code>{c.nearestPlaceId ?? '—'}</code>
                      </td>
                    </>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {pages > 1 ? (
        <nav aria-label="Pages du tableau des communes">
          <p>
            {tablePage > 1 ? (
              <a href={pageLink(tablePage - 1)}>
                Communes précédentes ({firstRow - TABLE_PAGE_SIZE} à {firstRow - 1})
              </a>
            ) : null}
            {tablePage > 1 && tablePage < pages ? ' · ' : ''}
            {tablePage < pages ? (
              <a href={pageLink(tablePage + 1)}>
                Communes suivantes ({firstRow + TABLE_PAGE_SIZE} à{' '}
                {Math.min(sorted.length, firstRow + 2 * TABLE_PAGE_SIZE - 1)} sur {sorted.length})
              </a>
            ) : null}
          </p>
          <p>Toutes les communes sont dans le fichier CSV ci-dessus.</p>
        </nav>
      ) : null}
    </Layout>
  );
}

export function MethodPage(props: { ctx: PageContext }) {
  return (
    <Layout title="Comment la couverture est calculée" ctx={props.ctx}>
      <h1>Comment la couverture est calculée</h1>
      <p>
        Ces chiffres aident à voir où l'aide au numérique manque. Ce sont des estimations, pas des mesures.
      </p>
      <h2>La distance à vol d'oiseau</h2>
      <p>
        Pour chaque commune, nous mesurons la distance en ligne droite entre un point de la commune et le lieu
        le plus proche. Les lieux des communes voisines comptent aussi, même hors du territoire : on traverse
        les limites pour se faire aider.
      </p>
      <h2>Le point de la commune</h2>
      <p>
        Chaque commune est réduite à un seul point, son point de référence (souvent le centre du bourg). Les
        habitants d'un hameau éloigné peuvent donc être plus loin que ce que dit le tableau.
      </p>
      <h2>La route est plus longue que la ligne droite</h2>
      <p>
        Pour estimer la distance par la route, nous multiplions la distance à vol d'oiseau par{' '}
        {String(DETOUR_FACTOR).replace('.', ',')}. Pour un temps de trajet, nous comptons {SPEEDS_KMH.car}{' '}
        km/h en voiture et {String(SPEEDS_KMH.walk).replace('.', ',')} km/h à pied.
      </p>
      <h2>Ce qui n'est pas pris en compte</h2>
      <ul>
        <li>les transports en commun, leurs horaires et leurs arrêts ;</li>
        <li>les reliefs, les fleuves et les ponts ;</li>
        <li>
          les places disponibles dans les lieux. Les horaires comptent seulement dans la colonne « heures
          d'ouverture par semaine à portée », pas dans les propositions ;
        </li>
        <li>
          les besoins propres à chaque commune, sauf si le réseau a importé des poids : un poids de 2 compte
          chaque habitant de la commune deux fois dans les propositions.
        </li>
      </ul>
      <h2>Les heures d'ouverture à portée</h2>
      <p>
        Pour chaque commune, nous additionnons les heures d'ouverture de tous les lieux à portée, sur une
        semaine ordinaire sans jour férié. Deux lieux ouverts 20 h chacun font 40 h. Les lieux dont les
        horaires sont inconnus ne comptent pas : le tableau dit combien il y en a.
      </p>
      <h2>Les propositions</h2>
      <p>
        Nous cherchons les communes où un nouveau lieu mettrait le plus d'habitants à portée. Le calcul
        choisit d'abord la meilleure commune, puis la suivante, et essaie ensuite des échanges pour faire
        mieux. Le résultat est très proche du meilleur choix possible, sans le garantir.
      </p>
      <p>
        <a href="/couverture">Revenir à la carte de la couverture</a>
      </p>
    </Layout>
  );
}

/** The table as CSV (comma, UTF-8), the same figures as the page. */
export function coverageCsv(analysis: CoverageAnalysis): string {
  const cell = (v: string | number | null) => {
    const text = v === null ? '' : String(v);
    return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    ['code', 'nom', 'population', 'lat', 'lon', 'nearest_km', 'road_km', 'beyond'].join(','),
    ...analysis.communes.map((c) =>
      [c.code, c.nom, c.population, c.lat, c.lon, c.nearestKm, c.roadKm, c.beyond ? 'oui' : 'non']
        .map(cell)
        .join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
