import { Csrf, ErrorSummary } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { CoopImportResult } from './coop-exchange.service.ts';
import { COOP_HEADERS, NOT_KEPT_COLUMNS } from './coop-sheet.ts';

/** The pages of the exchange with La Coop (decision 0039): import an export, export the records. */

export interface ExchangeStructure {
  id: string;
  name: string;
}

export interface ExchangeProps {
  ctx: PageContext;
  csrf: string;
  /** The structure concerned, with its counts. */
  structure: { structureId: string; structureName: string; records: number; imported: number };
  /** The person's structures, when she has several (a choice of structure). */
  structures: ExchangeStructure[];
  maxMb: number;
  /** A message about the form (no file sent). */
  error?: string | undefined;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

function StructureChoice(props: { structures: ExchangeStructure[]; current: string; id: string }) {
  if (props.structures.length < 2) return <input type="hidden" name="structure" value={props.current} />;
  return (
    <div class="field">
      <label for={props.id}>Structure</label>
      <select id={props.id} name="structure">
        {props.structures.map((s) => (
          <option value={s.id} selected={s.id === props.current}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** GET /activites/import: the import form and the export form. */
export function ExchangePage(props: ExchangeProps) {
  const s = props.structure;
  return (
    <Layout title={props.error ? 'Erreur : Échanger avec La Coop' : 'Échanger avec La Coop'} ctx={props.ctx}>
      <p>
        <a href="/activites">Retour aux activités</a>
      </p>
      <h1>Échanger avec La Coop de la médiation numérique</h1>
      <ErrorSummary items={props.error ? [{ href: '#fichier', message: props.error }] : []} autofocus />
      <p>
        {s.structureName} : {plural(s.records, 'activité enregistrée', 'activités enregistrées')}, dont{' '}
        {plural(s.imported, 'importée', 'importées')} de La Coop.
      </p>

      <h2>Importer un export de La Coop</h2>
      <p>
        Dans La Coop, ouvrez « Mes activités », puis « Exporter » : vous obtenez un fichier Excel (XLSX).
        Importez-le ici tel quel. Un fichier CSV avec les mêmes colonnes convient aussi.
      </p>
      <p>
        Tout le fichier est vérifié avant d’enregistrer quoi que ce soit : à la moindre erreur, rien n’est
        importé et chaque erreur est indiquée avec sa ligne et sa colonne. Importer deux fois le même fichier
        n’ajoute rien.
      </p>
      <form method="post" action="/activites/import" enctype="multipart/form-data">
        <Csrf token={props.csrf} />
        <StructureChoice structures={props.structures} current={s.structureId} id="structure-import" />
        <div class="field">
          <label for="fichier">Fichier exporté de La Coop (XLSX ou CSV)</label>
          <p class="hint" id="fichier-aide">
            {props.maxMb} Mo au plus. Pour un fichier plus gros, exportez une période plus courte.
          </p>
          {props.error ? (
            <p class="field-error" id="fichier-erreur">
              <span class="visually-hidden">Erreur : </span>
              {props.error}
            </p>
          ) : null}
          <input
            id="fichier"
            name="fichier"
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            required
            aria-describedby={props.error ? 'fichier-aide fichier-erreur' : 'fichier-aide'}
          />
        </div>
        <p class="actions">
          <button type="submit" class="button">
            Importer
          </button>
        </p>
      </form>

      <h2>Exporter les activités pour La Coop</h2>
      <p>
        Le fichier a la disposition de l’export de La Coop : une ligne par personne accompagnée, une activité
        par « ID CRA ». Sans dates, toutes les activités sont exportées.
      </p>
      <form method="get" action="/activites/export">
        <StructureChoice structures={props.structures} current={s.structureId} id="structure-export" />
        <div class="field">
          <label for="du">Du (facultatif)</label>
          <input id="du" name="du" type="date" />
        </div>
        <div class="field">
          <label for="au">Au (facultatif)</label>
          <input id="au" name="au" type="date" />
        </div>
        <fieldset>
          <legend>Format</legend>
          <div class="choices">
            <div class="choice">
              <input type="radio" id="format-xlsx" name="format" value="xlsx" checked />
              <label for="format-xlsx">Excel (XLSX), comme La Coop</label>
            </div>
            <div class="choice">
              <input type="radio" id="format-csv" name="format" value="csv" />
              <label for="format-csv">CSV (point-virgule)</label>
            </div>
          </div>
        </fieldset>
        <p class="actions">
          <button type="submit" class="button">
            Télécharger
          </button>
        </p>
      </form>
      <h2>Ce que Maillage ne garde pas</h2>
      <p>
        Ces colonnes de La Coop ne sont pas enregistrées à l’import et reviennent vides à l’export :{' '}
        {NOT_KEPT_COLUMNS.map((c) => `« ${COOP_HEADERS[c]} »`).join(', ')}. Les notes pourraient nommer une
        personne accompagnée ; les étiquettes, les noms des médiateurs et les dates d’enregistrement sont ceux
        de La Coop.
      </p>
    </Layout>
  );
}

/** POST /activites/import: what the import did, or every error found (nothing was imported). */
export function ImportResultPage(props: {
  ctx: PageContext;
  structureId: string;
  structureName: string;
  fileName: string;
  result: CoopImportResult;
}) {
  const r = props.result;
  const back = `/activites/import?structure=${encodeURIComponent(props.structureId)}`;
  if (r.ok)
    return (
      <Layout title="Import terminé — La Coop" ctx={props.ctx}>
        <h1>Import terminé</h1>
        <p role="status">
          {props.fileName} ({r.format.toUpperCase()}, {plural(r.lines, 'ligne', 'lignes')}) pour{' '}
          {props.structureName}.
        </p>
        <ul>
          <li>{plural(r.added, 'activité ajoutée', 'activités ajoutées')}</li>
          <li>
            {plural(r.alreadyHere, 'activité déjà là', 'activités déjà là')} (importées avant, ou enregistrées
            dans Maillage) : laissées telles quelles
          </li>
          {r.added > 0 ? (
            <li>
              {plural(r.placesMatched, 'activité rattachée', 'activités rattachées')} à un lieu de votre
              structure par le nom du lieu ; les autres gardent le nom écrit dans La Coop
            </li>
          ) : null}
          {r.elsewhere.length > 0 ? (
            <li>
              {plural(r.elsewhere.length, 'activité déjà importée', 'activités déjà importées')} par une autre
              structure du réseau, laissées à elle :{' '}
              {r.elsewhere.map((e) => `${e.id} (ligne ${e.rows[0]})`).join(', ')}
            </li>
          ) : null}
        </ul>
        <p>
          <a href="/activites">Retour aux activités</a> · <a href={back}>Importer un autre fichier</a>
        </p>
      </Layout>
    );
  const shown = r.errors.length;
  return (
    <Layout title="Erreur : Import refusé — La Coop" ctx={props.ctx}>
      <h1>Import refusé : rien n’a été importé</h1>
      <div class="error-summary" role="alert" tabindex={-1} autofocus aria-labelledby="erreurs-titre">
        <h2 id="erreurs-titre">Il y a un problème</h2>
        {r.fileError ? (
          <p>{r.fileError}</p>
        ) : (
          <p>
            {props.fileName} : {plural(r.errorCount, 'erreur', 'erreurs')}
            {r.errorCount > shown ? ` (les ${shown} premières ci-dessous)` : ''}. Corrigez-les dans La Coop ou
            dans le fichier, puis importez-le à nouveau.
          </p>
        )}
      </div>
      {shown > 0 ? (
        <section class="table-scroll" aria-label="Erreurs du fichier" tabindex={0}>
          <table>
            <caption>Erreurs, par ligne du tableur</caption>
            <thead>
              <tr>
                <th scope="col">Ligne</th>
                <th scope="col">Colonne</th>
                <th scope="col">Erreur</th>
              </tr>
            </thead>
            <tbody>
              {r.errors.map((e) => (
                <tr>
                  <td>{e.row ?? '—'}</td>
                  <td>{e.column ?? '—'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <p>
        <a href={back}>Importer un autre fichier</a>
      </p>
    </Layout>
  );
}
