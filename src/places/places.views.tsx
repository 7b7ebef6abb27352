import { formatInteger } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import type { Place } from './places.service.ts';
import { placeKind } from './schema-values.ts';

/** One place's kind in the singular and the words people use ("CCAS"; everyday words in FALC). */
function kindOf(place: Place, falc: boolean): string | null {
  const code = place.typologie[0];
  return code ? placeKind(code, falc) : null;
}

export function PlaceListPage(props: {
  ctx: PageContext;
  places: Place[];
  total: number;
  page: number;
  pageCount: number;
}) {
  const { page, pageCount } = props;
  const falc = (props.ctx.prefs ?? DEFAULT_PREFS).falc;
  return (
    <Layout
      title={page > 1 ? `Tous les lieux, page ${page} sur ${pageCount}` : 'Tous les lieux'}
      ctx={props.ctx}
    >
      <h1>Tous les lieux</h1>
      <p>
        {props.total === 0
          ? "Aucun lieu n'est encore enregistré."
          : `${formatInteger(props.total)} lieux, classés par nom. Page ${page} sur ${pageCount}.`}
      </p>
      <ul class="cards">
        {props.places.map((place) => (
          <li class="card">
            <h2>
              <a href={`/lieux/${place.id}`}>{place.nom}</a>
            </h2>
            {kindOf(place, falc) ? <p class="meta">{kindOf(place, falc)}</p> : null}
            <p class="meta">
              {place.adresse}, {place.codePostal} {place.commune}
            </p>
          </li>
        ))}
      </ul>
      {pageCount > 1 ? (
        <nav class="pager" aria-label="Pages">
          {page > 1 ? <a href={`/lieux?page=${page - 1}`}>Page précédente</a> : null}
          {page < pageCount ? <a href={`/lieux?page=${page + 1}`}>Page suivante</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}
