import type { OpenActivityDataEntry } from '../activities/open-data.service.ts';
import { formatInteger } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { PublicationFileListing } from './publication.service.ts';

/** The /donnees page: the open-data files, for people. French text lives here. */

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

function Records(props: { listing: PublicationFileListing }) {
  const { stored, description } = props.listing;
  if (!stored) return <>en préparation</>;
  return (
    <>
      {formatInteger(stored.records)}{' '}
      {stored.records === 1 ? description.records.one : description.records.many}
    </>
  );
}

function FileRow(props: { listing: PublicationFileListing }) {
  const { description, stored } = props.listing;
  const href = `/donnees/${description.name}`;
  return (
    <tr>
      <th scope="row">
        <a href={href}>{description.title}</a>
        <br />
        <code>{href}</code>
      </th>
      <td>{description.description}</td>
      <td>
        {description.schema ? (
          <>
            <a href={description.schema.url}>{description.schema.title}</a>, version{' '}
            {description.schema.version}
          </>
        ) : description.forPeople ? (
          'Pour un tableur (pas un schéma)'
        ) : (
          'DCAT-AP (JSON-LD)'
        )}
      </td>
      <td>
        <Records listing={props.listing} />
      </td>
      <td>{stored ? DATE_TIME.format(stored.generatedAt) : '—'}</td>
    </tr>
  );
}

export function OpenDataPage(props: {
  ctx: PageContext;
  files: PublicationFileListing[];
  networkName: string;
  territoryLabel: string;
  /** The activity records' aggregates (decision 0053), counts under 5 secret. */
  activityFiles: OpenActivityDataEntry[];
}) {
  const forPeople = props.files.filter((f) => f.description.forPeople);
  const forMachines = props.files.filter((f) => !f.description.forPeople);
  const pending = props.files.some((f) => f.stored === null);
  return (
    <Layout title="Données ouvertes" ctx={props.ctx}>
      <h1>Données ouvertes</h1>
      <p>
        Les lieux de médiation numérique du territoire « {props.territoryLabel} », tenus à jour par le réseau{' '}
        {props.networkName}, sont publiés ici librement. Vous pouvez les télécharger et les réutiliser sous la{' '}
        <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte 2.0</a>, en citant
        la source.
      </p>
      <p>
        Les fichiers sont refaits après chaque changement de l'annuaire, au plus une fois par heure. Ils ne
        contiennent que des informations publiques : aucun contact réservé aux professionnels, aucune raison
        de fermeture, aucune donnée personnelle. Les lieux repris des fichiers nationaux n'y sont pas : seuls
        ceux dont le réseau est la source.
      </p>
      {pending ? (
        <p role="status">Les fichiers sont en cours de préparation : revenez dans quelques minutes.</p>
      ) : null}
      <h2>Pour ouvrir dans un tableur</h2>
      <section class="table-scroll" tabindex={0} aria-label="Fichier pour les personnes (Excel, LibreOffice)">
        <table>
          <caption>Fichier pour les personnes (Excel, LibreOffice)</caption>
          <thead>
            <tr>
              <th scope="col">Fichier</th>
              <th scope="col">Contenu</th>
              <th scope="col">Schéma et version</th>
              <th scope="col">Enregistrements</th>
              <th scope="col">Dernière mise à jour</th>
            </tr>
          </thead>
          <tbody>
            {forPeople.map((listing) => (
              <FileRow listing={listing} />
            ))}
          </tbody>
        </table>
      </section>
      <h2>Pour les logiciels et les plateformes nationales</h2>
      <p>
        Ces fichiers suivent exactement leur schéma : la Cartographie nationale des lieux d'inclusion
        numérique lit le schéma national, data·inclusion lit son propre schéma. Chaque fichier a une adresse
        stable.
      </p>
      <section class="table-scroll" tabindex={0} aria-label="Fichiers pour les logiciels, avec leur schéma">
        <table>
          <caption>Fichiers pour les logiciels, avec leur schéma</caption>
          <thead>
            <tr>
              <th scope="col">Fichier</th>
              <th scope="col">Contenu</th>
              <th scope="col">Schéma et version</th>
              <th scope="col">Enregistrements</th>
              <th scope="col">Dernière mise à jour</th>
            </tr>
          </thead>
          <tbody>
            {forMachines.map((listing) => (
              <FileRow listing={listing} />
            ))}
          </tbody>
        </table>
      </section>
      <h2>Activité des lieux : nombre d'accompagnements</h2>
      <p>
        Combien de personnes les lieux du réseau ont accompagnées, par commune, par intercommunalité, par mois
        et par année, et par thème. Ce sont des totaux : un nombre plus petit que 5 est caché (« secret : oui
        »), ainsi que les nombres qui permettraient de le retrouver. Les mois sont publiés une fois finis.
      </p>
      <section class="table-scroll" tabindex={0} aria-label="Fichiers de l'activité des lieux">
        <table>
          <caption>Fichiers de l'activité des lieux (tableur, séparateur point-virgule)</caption>
          <thead>
            <tr>
              <th scope="col">Fichier</th>
              <th scope="col">Contenu</th>
              <th scope="col">Lignes</th>
            </tr>
          </thead>
          <tbody>
            {props.activityFiles.map((f) => (
              <tr>
                <th scope="row">
                  <a href={f.path}>{f.title}</a>
                </th>
                <td>{f.description}</td>
                <td>{f.rows}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p>
        Les lieux se consultent aussi un par un avec l'API : <a href="/api/v1/openapi.json">sa description</a>
        .
      </p>
    </Layout>
  );
}
