import { formatInteger, formatIsoDate } from '../shared/format.ts';
import { formatPhone, Layout, type PageContext, phoneHref } from '../web/layout.tsx';
import { describeWeek } from './hours.ts';
import type { Place } from './places.service.ts';
import { describeTypology } from './places.ts';

function Tags(props: { values: string[] }) {
  return (
    <>
      {props.values.map((v) => (
        <span class="tag">{v}</span>
      ))}
    </>
  );
}

function kindOf(place: Place): string | null {
  const code = place.typologie[0];
  return code ? describeTypology(code) : null;
}

export function HomePage(props: { ctx: PageContext; total: number; territoryLabel: string }) {
  return (
    <Layout title="Trouver de l'aide pour le numérique" ctx={props.ctx}>
      <h1>Trouver de l'aide pour le numérique</h1>
      <p>
        Maillage rassemble les lieux où l'on vous aide à utiliser un ordinateur, un téléphone ou internet, et
        à faire vos démarches en ligne : {props.territoryLabel}.
      </p>
      <p>
        <a class="button" href="/lieux">
          Voir les {formatInteger(props.total)} lieux
        </a>
      </p>
    </Layout>
  );
}

export function PlaceListPage(props: {
  ctx: PageContext;
  places: Place[];
  total: number;
  page: number;
  pageCount: number;
}) {
  const { page, pageCount } = props;
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
            {kindOf(place) ? <p class="meta">{kindOf(place)}</p> : null}
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

function HoursBlock(props: { osm: string | null }) {
  if (!props.osm) return <p>Horaires non communiqués : appelez avant de venir.</p>;
  const week = describeWeek(props.osm);
  if (!week) return <p>Horaires (format non reconnu) : {props.osm}</p>;
  return (
    <>
      <table>
        <caption class="visually-hidden">Horaires d'ouverture de la semaine</caption>
        <tbody>
          {week.days.map((d) => (
            <tr>
              <th scope="row">{d.day}</th>
              <td>{d.ranges.length ? d.ranges.join(' et ') : 'fermé'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {week.varies ? (
        <p>Ces horaires changent selon les semaines ou les jours fériés : appelez pour vérifier.</p>
      ) : null}
    </>
  );
}

export function PlacePage(props: { ctx: PageContext; place: Place }) {
  const p = props.place;
  const kind = kindOf(p);
  return (
    <Layout title={`${p.nom}, ${p.commune}`} ctx={props.ctx}>
      <h1>{p.nom}</h1>
      {kind ? <p class="meta">{kind}</p> : null}
      {p.presentationResume ? <p>{p.presentationResume}</p> : null}
      <h2>Adresse et contact</h2>
      <dl class="facts">
        <dt>Adresse</dt>
        <dd>
          {p.adresse}
          {p.complementAdresse ? <>, {p.complementAdresse}</> : null}
          <br />
          {p.codePostal} {p.commune}
        </dd>
        {p.telephone ? (
          <>
            <dt>Téléphone</dt>
            <dd>
              <a href={phoneHref(p.telephone)}>{formatPhone(p.telephone)}</a>
            </dd>
          </>
        ) : null}
        {p.courriels.length ? (
          <>
            <dt>Courriel</dt>
            <dd>
              {p.courriels.map((m, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`mailto:${m}`}>{m}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {p.siteWeb.length ? (
          <>
            <dt>Site internet</dt>
            <dd>
              {p.siteWeb.map((u, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={u}>{u.replace(/^https?:\/\//, '').replace(/\/$/, '')}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {p.priseRdv ? (
          <>
            <dt>Rendez-vous</dt>
            <dd>
              <a href={p.priseRdv}>Prendre rendez-vous en ligne</a>
            </dd>
          </>
        ) : null}
      </dl>
      <h2>Horaires</h2>
      <HoursBlock osm={p.horaires} />
      {p.services.length ? (
        <>
          <h2>Services proposés</h2>
          <ul>
            {p.services.map((s) => (
              <li>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Comment ça se passe</h2>
      <dl class="facts">
        {p.modalitesAccompagnement.length ? (
          <>
            <dt>Accompagnement</dt>
            <dd>
              <Tags values={p.modalitesAccompagnement} />
            </dd>
          </>
        ) : null}
        {p.modalitesAcces.length ? (
          <>
            <dt>Pour venir</dt>
            <dd>
              <Tags values={p.modalitesAcces} />
            </dd>
          </>
        ) : null}
        <dt>Prix</dt>
        <dd>{p.fraisACharge.length ? <Tags values={p.fraisACharge} /> : 'Non communiqué'}</dd>
        {p.publicsSpecifiquementAdresses.length ? (
          <>
            <dt>Publics</dt>
            <dd>
              <Tags values={p.publicsSpecifiquementAdresses} />
            </dd>
          </>
        ) : null}
        {p.priseEnChargeSpecifique.length ? (
          <>
            <dt>Accueil adapté</dt>
            <dd>
              <Tags values={p.priseEnChargeSpecifique} />
            </dd>
          </>
        ) : null}
        {p.itinerance.includes('Itinérant') ? (
          <>
            <dt>Lieu itinérant</dt>
            <dd>Ce service se déplace : vérifiez le lieu et le jour de passage.</dd>
          </>
        ) : null}
      </dl>
      {p.presentationDetail ? (
        <>
          <h2>Présentation</h2>
          {p.presentationDetail.split(/\n{2,}/).map((para) => (
            <p>{para}</p>
          ))}
        </>
      ) : null}
      <p class="meta">
        {p.dateMaj
          ? `Informations vérifiées le ${formatIsoDate(p.dateMaj)}`
          : 'Date de vérification inconnue'}
        {` · Source : ${p.source}`}
      </p>
    </Layout>
  );
}
