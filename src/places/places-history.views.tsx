import type { Child } from 'hono/jsx';
import { formatInteger, formatIsoDate } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { DataQualityView, StalePlace } from './freshness.service.ts';
import type { Place } from './places.service.ts';
import type { OutsidePlace } from './public-places.service.ts';
import { SourcesSection } from './source-quality.views.tsx';

/** A column of a table of places; the row's header is the place's name. */
interface Column<P> {
  title: string;
  cell: (place: P) => Child;
  header?: boolean;
}

/** The first places of `count` in a table, the name linking to the place's sheet; "Aucun lieu." when none. */
function PlacesTable<P extends { id: string }>(props: {
  caption: string;
  places: P[];
  count: number;
  columns: Column<P>[];
}) {
  if (props.count === 0) return <p>Aucun lieu.</p>;
  return (
    <>
      {/* Scrolls on its own on a phone rather than the page (focusable: the keyboard scrolls it). */}
      <section class="table-scroll" tabindex={0} aria-label={props.caption}>
        <table>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((column) => (
                <th scope="col">{column.title}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.places.map((p) => (
              <tr>
                {props.columns.map((column) =>
                  column.header ? <th scope="row">{column.cell(p)}</th> : <td>{column.cell(p)}</td>,
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {props.count > props.places.length ? (
        <p>
          Les {formatInteger(props.places.length)} premiers lieux sur {formatInteger(props.count)}.
        </p>
      ) : null}
    </>
  );
}

const NAME: Column<{ id: string; nom: string }> = {
  title: 'Lieu',
  header: true,
  cell: (p) => <a href={`/lieux/${p.id}`}>{p.nom}</a>,
};
const COMMUNE: Column<{ commune: string }> = { title: 'Commune', cell: (p) => p.commune };
const QUALITY_COLUMNS: Column<Place>[] = [NAME, COMMUNE, { title: 'Source', cell: (p) => p.source }];
const STALE_COLUMNS: Column<StalePlace>[] = [
  { title: 'Structure', cell: (p) => p.structureName ?? 'Sans structure' },
  NAME,
  COMMUNE,
  { title: 'Mise à jour', cell: (p) => (p.dateMaj ? formatIsoDate(p.dateMaj) : 'inconnue') },
];

function formatKm(km: number | null): string {
  return km === null ? 'inconnue' : `${formatInteger(Math.round(km))} km`;
}

const OUTSIDE_COLUMNS: Column<OutsidePlace>[] = [
  {
    title: 'Lieu',
    header: true,
    // A hidden place has no public sheet: its name is not a link.
    cell: (o) => (o.kept ? <a href={`/lieux/${o.place.id}`}>{o.place.nom}</a> : o.place.nom),
  },
  { title: 'Commune', cell: (o) => `${o.place.commune} (${o.place.codeInsee ?? o.place.codePostal})` },
  { title: 'Distance à la limite', cell: (o) => formatKm(o.km) },
  { title: 'Affiché', cell: (o) => (o.kept ? 'oui' : 'non') },
];

/** Places outside the territory: imported and kept, shown only within the margin (docs/decisions/0025). */
function OutsideSection(props: { outside: NonNullable<DataQualityView['outside']> }) {
  const o = props.outside;
  return (
    <>
      <h2>Lieux hors du territoire ({formatInteger(o.count)})</h2>
      <p>
        Le territoire du réseau est {o.territory}. Un lieu hors du territoire reste dans la base. Il est
        affiché au public seulement s'il est à moins de {formatInteger(o.marginKm)} km de la limite :{' '}
        {formatInteger(o.hidden)} {o.hidden > 1 ? 'lieux ne sont pas affichés' : "lieu n'est pas affiché"}.
      </p>
      <PlacesTable
        caption="Lieux hors du territoire, les lieux non affichés d'abord"
        places={o.places.map((p) => ({ ...p, id: p.place.id }))}
        count={o.count}
        columns={OUTSIDE_COLUMNS}
      />
    </>
  );
}

/** The coordinator's data-quality page. */
export function QualityPage(props: { ctx: PageContext; quality: DataQualityView }) {
  const q = props.quality;
  return (
    <Layout title="Qualité des données" ctx={props.ctx}>
      <h1>Qualité des données</h1>
      <p>{formatInteger(q.total)} lieux affichés (un lieu publié par deux sources compte une fois).</p>
      <h2>Lieux sans horaires ({formatInteger(q.withoutHours.count)})</h2>
      <PlacesTable
        caption="Lieux sans horaires"
        places={q.withoutHours.places}
        count={q.withoutHours.count}
        columns={QUALITY_COLUMNS}
      />
      <h2>Positions approximatives ({formatInteger(q.approximate.count)})</h2>
      <PlacesTable
        caption="Lieux placés au point de référence de leur commune"
        places={q.approximate.places}
        count={q.approximate.count}
        columns={QUALITY_COLUMNS}
      />
      <h2>Mises à jour de plus de 12 mois ou inconnues ({formatInteger(q.staleByStructure.count)})</h2>
      <p>
        Chaque jour, les administrateurs de chaque structure reçoivent par e-mail la liste de leurs lieux à
        vérifier (au plus une fois tous les 30 jours). Une structure sans administrateur ne reçoit rien.
      </p>
      <PlacesTable
        caption={`Lieux mis à jour avant le ${formatIsoDate(q.staleByStructure.before)} ou sans date, par structure`}
        places={q.staleByStructure.places}
        count={q.staleByStructure.count}
        columns={STALE_COLUMNS}
      />
      {q.outside ? <OutsideSection outside={q.outside} /> : null}
      <SourcesSection quality={q.bySource} />
      <h2>Avertissements par champ</h2>
      {q.warningsByField.length === 0 ? (
        <p>Aucun avertissement dans les derniers imports.</p>
      ) : (
        <section
          class="table-scroll"
          tabindex={0}
          aria-label="Avertissements des derniers imports, par champ"
        >
          <table>
            <caption>Avertissements des {q.lastImports} derniers imports, par champ</caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">Avertissements</th>
                <th scope="col">Imports concernés</th>
              </tr>
            </thead>
            <tbody>
              {q.warningsByField.map((w) => (
                <tr>
                  <th scope="row">{w.field ?? 'fichier'}</th>
                  <td>{formatInteger(w.warnings)}</td>
                  <td>{formatInteger(w.imports)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Layout>
  );
}
