import { Csrf, ErrorSummary, Notice, type SummaryItem } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { IssueGroup } from './import-preview.ts';
import { type ImportsOverview, type ImportUpload, LAYOUT_LABELS } from './import-uploads.service.ts';
import type { ImportIssue } from './places.ts';

/**
 * Pages of imports from the web: the history with the uploads in progress, the upload form, an upload's
 * page (dry run, confirmation, progress, result) and the column-mapping form.
 */

export const NOTICES: Record<string, string> = {
  annule: "L'import est annulé : les lieux ont repris leur état d'avant.",
  abandonne: 'Le fichier déposé est supprimé. Rien n’a été importé.',
  confirme: "L'import est lancé. Il se fait en arrière-plan : vous pouvez quitter cette page.",
  correspondance: 'La correspondance est enregistrée : le fichier est vérifié avec elle.',
};

const dateTime = (d: Date) =>
  new Date(d).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const number = (n: number) => n.toLocaleString('fr-FR');
export const plural = (n: number, one: string, many: string) => `${number(n)} ${n > 1 ? many : one}`;

function Progress({ upload }: { upload: ImportUpload }) {
  const { done, total } = upload.progress;
  if (total === 0) return <p>En attente de démarrage…</p>;
  return (
    <p>
      <label for={`avancement-${upload.id}`}>Lignes traitées : </label>
      <progress id={`avancement-${upload.id}`} max={total} value={done}>
        {number(done)} sur {number(total)}
      </progress>{' '}
      {number(done)} sur {number(total)}
    </p>
  );
}

export function ImportsPage(props: {
  ctx: PageContext;
  csrf: string;
  overview: ImportsOverview;
  notice?: string | undefined;
  error?: string | undefined;
  /** Whether the dry runs (the checks made before each import) are listed too. */
  withDryRuns: boolean;
}) {
  const { open } = props.overview;
  const dryRuns = props.overview.imports.filter((i) => i.dryRun).length;
  const imports = props.withDryRuns
    ? props.overview.imports
    : props.overview.imports.filter((i) => !i.dryRun);
  return (
    <Layout title={props.error ? 'Erreur : Imports de lieux' : 'Imports de lieux'} ctx={props.ctx}>
      <h1>Imports de lieux</h1>
      {props.error ? <ErrorSummary items={[{ message: props.error }]} autofocus /> : null}
      <Notice text={props.notice} />
      <p>
        <a class="button" href="/imports/nouveau">
          Importer un fichier
        </a>
      </p>
      <p>
        Voir aussi : <a href="/qualite">la qualité des données</a>,{' '}
        <a href="/fusions">les fusions de lieux</a>.
      </p>
      {open.length > 0 ? (
        <section aria-labelledby="en-cours">
          <h2 id="en-cours">Fichiers déposés, pas encore importés</h2>
          <ul class="cards">
            {open.map((u) => (
              <li>
                <a href={`/imports/envoi/${u.id}`}>{u.fileName}</a> — source « {u.sourceKey} », déposé le{' '}
                {dateTime(u.uploadedAt)} : <strong>{u.stateLabel}</strong>
                {u.waitingFor ? ' (attend la fin de l’import en cours de la même source)' : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="historique">
        <h2 id="historique">Historique des imports</h2>
        {dryRuns > 0 ? (
          <p>
            {props.withDryRuns ? (
              <a href="/imports">Cacher les essais (vérifications sans enregistrement)</a>
            ) : (
              <a href="/imports?essais=oui">
                Voir aussi les {plural(dryRuns, 'essai', 'essais')} (vérifications sans enregistrement)
              </a>
            )}
          </p>
        ) : null}
        {imports.length === 0 ? (
          <p>Aucun import n'a encore été fait.</p>
        ) : (
          <div class="table-scroll">
            <table>
              <caption class="visually-hidden">
                Imports du plus récent au plus ancien, avec leurs comptes et leurs rapports
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Par</th>
                  <th scope="col">Fichier et source</th>
                  <th scope="col">Résultat</th>
                  <th scope="col">Rapport</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {imports.map((i) => {
                  const c = i.counts;
                  return (
                    <tr>
                      <td>{dateTime(i.startedAt)}</td>
                      <td>{i.byName}</td>
                      <td>
                        {i.fileName ?? '—'}
                        <br />
                        <span class="hint">source « {i.source ?? 'du fichier'} »</span>
                      </td>
                      <td>
                        {i.dryRun ? <strong>Essai (rien enregistré). </strong> : null}
                        {i.undoneAt ? <strong>Annulé le {dateTime(i.undoneAt)}. </strong> : null}
                        {plural(c.read ?? 0, 'ligne lue', 'lignes lues')} : {number(c.imported ?? 0)}{' '}
                        nouveaux, {number(c.updated ?? 0)} mis à jour, {number(c.unchanged ?? 0)} inchangés,{' '}
                        {number(c.merged ?? 0)} fusionnés, {number(c.rejected ?? 0)} refusés
                      </td>
                      <td>
                        <a href={`/imports/${i.id}/rapport.csv`}>
                          CSV<span class="visually-hidden"> du rapport de {i.fileName ?? 'l’import'}</span>
                        </a>{' '}
                        <a href={`/imports/${i.id}/rapport.json`}>
                          JSON<span class="visually-hidden"> du rapport de {i.fileName ?? 'l’import'}</span>
                        </a>
                      </td>
                      <td>
                        {i.undoable ? (
                          <form method="post" action={`/imports/${i.id}/annuler`}>
                            <Csrf token={props.csrf} />
                            <button type="submit" class="secondary">
                              Annuler
                              <span class="visually-hidden"> l’import de {i.fileName ?? 'ce fichier'}</span>
                            </button>
                          </form>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}

export function NewImportPage(props: {
  ctx: PageContext;
  csrf: string;
  source: string;
  /** The layout chosen in the form ('' : detected). */
  layout: string;
  maxMb: number;
  errors?: SummaryItem[] | undefined;
}) {
  const failed = (props.errors?.length ?? 0) > 0;
  return (
    <Layout
      title={failed ? 'Erreur : Importer un fichier de lieux' : 'Importer un fichier de lieux'}
      ctx={props.ctx}
    >
      <p>
        <a href="/imports">Retour aux imports</a>
      </p>
      <h1>Importer un fichier de lieux</h1>
      <ErrorSummary items={props.errors ?? []} autofocus />
      <p>
        Le fichier est d'abord vérifié : vous voyez ce qu'il changerait, puis vous confirmez. Rien n'est
        enregistré avant votre confirmation. Le fichier est gardé 24 heures, puis supprimé.
      </p>
      <form method="post" action="/imports/nouveau" enctype="multipart/form-data">
        <Csrf token={props.csrf} />
        <div class="field">
          <label for="fichier">Fichier CSV ou JSON</label>
          <p class="hint" id="fichier-aide">
            Au schéma national des lieux, ou dans une autre forme : vous indiquerez alors quelle colonne
            correspond à quoi. Pour data·inclusion, le fichier des structures. {props.maxMb} Mo au plus en
            tout.
          </p>
          <input
            id="fichier"
            name="fichier"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            required
            aria-describedby="fichier-aide"
          />
        </div>
        <div class="field">
          <label for="services">Fichier des services data·inclusion (facultatif)</label>
          <p class="hint" id="services-aide">
            Seulement pour data·inclusion, qui publie ses structures et ses services dans deux fichiers JSON :
            les structures ci-dessus, les services ici. Les services donnent à chaque lieu ses services, ses
            publics, ses frais et ses modalités d'accès.
          </p>
          <input
            id="services"
            name="services"
            type="file"
            accept=".json,application/json"
            aria-describedby="services-aide"
          />
        </div>
        <div class="field">
          <label for="forme">Forme du fichier</label>
          <p class="hint" id="forme-aide">
            Reconnue d'après son contenu, ou choisie ici. Un fichier au schéma national est lu comme celui du
            réseau ; choisissez « export de la cartographie nationale » pour celui de la cartographie : ses
            lieux hors du territoire sont alors ignorés, et ses sources ne sont jamais republiées.
          </p>
          <select id="forme" name="forme" aria-describedby="forme-aide">
            <option value="" selected={props.layout === ''}>
              Reconnue d'après le contenu
            </option>
            <option value="national" selected={props.layout === 'national'}>
              Export de la cartographie nationale des lieux
            </option>
            <option value="data-inclusion" selected={props.layout === 'data-inclusion'}>
              Structures et services data·inclusion
            </option>
          </select>
        </div>
        <div class="field">
          <label for="source">Source (facultatif)</label>
          <p class="hint" id="source-aide">
            Le nom de celui qui publie ce fichier, par exemple « hub-centre-val-de-loire ». Un lieu est
            reconnu d'un import à l'autre par sa source et son identifiant. Sans source, la colonne « source »
            du fichier, ou le nom du fichier, est utilisé.
          </p>
          <input
            id="source"
            name="source"
            type="text"
            maxlength={200}
            value={props.source}
            aria-describedby="source-aide"
          />
        </div>
        <div class="field">
          <label for="correspondance">Correspondance des colonnes (facultatif)</label>
          <p class="hint" id="correspondance-aide">
            Un fichier JSON de correspondance : celui de Maillage, ou celui de la cartographie nationale («
            config.json »). Sans lui, la dernière correspondance enregistrée pour cette source est reprise.
          </p>
          <input
            id="correspondance"
            name="correspondance"
            type="file"
            accept=".json,application/json"
            aria-describedby="correspondance-aide"
          />
        </div>
        <button type="submit">Envoyer et vérifier</button>
      </form>
    </Layout>
  );
}

function IssueExamples({ issues }: { issues: readonly ImportIssue[] }) {
  return (
    <ul>
      {issues.map((e) => (
        <li>
          {e.row === null ? 'Fichier' : `Ligne ${e.row}`}
          {e.id ? ` (id ${e.id})` : ''} : {e.message}
        </li>
      ))}
    </ul>
  );
}

function IssueGroups(props: { id: string; title: string; groups: readonly IssueGroup[] }) {
  if (props.groups.length === 0) return null;
  const total = props.groups.reduce((sum, g) => sum + g.count, 0);
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id}>
        {props.title} ({number(total)})
      </h3>
      {props.groups.map((g) => (
        <details>
          <summary>
            {g.field ? `Champ « ${g.field} »` : 'Sans champ précis'} : {number(g.count)}
          </summary>
          <IssueExamples issues={g.examples} />
          {g.count > g.examples.length ? (
            <p class="hint">… et {number(g.count - g.examples.length)} autres.</p>
          ) : null}
        </details>
      ))}
    </section>
  );
}

function PreviewReport({ upload }: { upload: ImportUpload }) {
  const p = upload.preview;
  if (!p) return null;
  const c = p.counts;
  return (
    <section aria-labelledby="verification">
      <h2 id="verification">Résultat de la vérification</h2>
      <ul>
        <li>{plural(c.read, 'ligne lue', 'lignes lues')}</li>
        <li>{plural(c.imported, 'nouveau lieu', 'nouveaux lieux')}</li>
        <li>{plural(c.updated, 'lieu mis à jour', 'lieux mis à jour')}</li>
        <li>{plural(c.unchanged, 'lieu inchangé', 'lieux inchangés')}</li>
        <li>
          {plural(
            c.merged,
            'lieu fusionné avec celui d’une autre source',
            'lieux fusionnés avec ceux d’autres sources',
          )}
        </li>
        <li>
          <strong>{plural(c.rejected, 'ligne refusée', 'lignes refusées')}</strong>
        </li>
        {c.outsideSkipped ? (
          <li>
            {plural(
              c.outsideSkipped,
              'lieu hors du territoire et de sa marge, non importé',
              'lieux hors du territoire et de sa marge, non importés',
            )}
          </li>
        ) : null}
        {c.recognised ? (
          <li>
            {plural(
              c.recognised,
              'lieu du réseau reconnu (il revient par ce fichier), laissé tel quel',
              'lieux du réseau reconnus (ils reviennent par ce fichier), laissés tels quels',
            )}
          </li>
        ) : null}
        {c.toReview ? (
          <li>
            {plural(c.toReview, 'fusion proposée', 'fusions proposées')}, à confirmer ou refuser sur la page{' '}
            <a href="/fusions?etat=a-verifier">Fusions à vérifier</a>
          </li>
        ) : null}
      </ul>
      {p.fileIssues.length > 0 ? (
        <>
          <h3>Remarques sur le fichier</h3>
          {(p.fileFields ?? []).length > 0 ? (
            <ul>
              {(p.fileFields ?? []).map((f) => (
                <li>
                  Champ « {f.field} » : {number(f.count)}
                </li>
              ))}
            </ul>
          ) : null}
          <IssueExamples issues={p.fileIssues} />
          {(p.fileIssuesTotal ?? 0) > p.fileIssues.length ? (
            <p class="hint">
              … et {number((p.fileIssuesTotal ?? 0) - p.fileIssues.length)} autres dans le rapport complet.
            </p>
          ) : null}
        </>
      ) : null}
      <IssueGroups id="refus" title="Lignes refusées, par champ" groups={p.errors} />
      <IssueGroups id="avertissements" title="Avertissements, par champ" groups={p.warnings} />
      {p.outside.count > 0 ? (
        <section aria-labelledby="hors-territoire">
          <h3 id="hors-territoire">Lieux hors du territoire ({number(p.outside.count)})</h3>
          <IssueExamples issues={p.outside.examples} />
        </section>
      ) : null}
      {p.merges.count > 0 ? (
        <section aria-labelledby="fusions">
          <h3 id="fusions">Fusions avec des lieux d'autres sources ({number(p.merges.count)})</h3>
          <IssueExamples issues={p.merges.examples} />
          <p>
            Après l'import, vous pourrez vérifier chaque fusion sur la page <a href="/fusions">Fusions</a>.
          </p>
        </section>
      ) : null}
      {p.dryRunImportId ? (
        <p>
          Rapport complet : <a href={`/imports/${p.dryRunImportId}/rapport.csv`}>CSV</a>,{' '}
          <a href={`/imports/${p.dryRunImportId}/rapport.json`}>JSON</a>.
        </p>
      ) : null}
    </section>
  );
}

export function UploadPage(props: {
  ctx: PageContext;
  csrf: string;
  upload: ImportUpload;
  refreshing: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const u = props.upload;
  const working = ['preview_queued', 'previewing', 'queued', 'running'].includes(u.state);
  const title = `Import de ${u.fileName}`;
  return (
    <Layout title={props.error ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <p>
        <a href="/imports">Retour aux imports</a>
      </p>
      <h1>{title}</h1>
      {props.error ? <ErrorSummary items={[{ message: props.error }]} autofocus /> : null}
      <Notice text={props.notice} />
      <dl class="facts">
        <dt>Source</dt>
        <dd>{u.sourceKey}</dd>
        <dt>Déposé le</dt>
        <dd>{dateTime(u.uploadedAt)}</dd>
        <dt>Taille</dt>
        <dd>
          {u.sizeBytes < 1024 * 1024
            ? `${Math.max(1, Math.round(u.sizeBytes / 1024))} ko`
            : `${(u.sizeBytes / 1024 / 1024).toFixed(1)} Mo`}
        </dd>
        {u.services ? (
          <>
            <dt>Fichier des services</dt>
            <dd>{u.services.fileName}</dd>
          </>
        ) : null}
        <dt>Forme du fichier</dt>
        <dd>{u.layout ? LAYOUT_LABELS[u.layout] : 'fichier du réseau'}</dd>
        <dt>Correspondance des colonnes</dt>
        <dd>
          {u.layout
            ? 'sans objet (forme connue)'
            : u.mapping
              ? 'oui'
              : u.state === 'needs_mapping'
                ? 'à faire'
                : 'aucune (fichier au schéma national)'}
        </dd>
        <dt>État</dt>
        <dd>
          <strong>{u.stateLabel}</strong>
          {u.waitingFor ? ' : un import de la même source est en cours, celui-ci attend sa fin.' : ''}
        </dd>
      </dl>
      {working ? (
        <section aria-labelledby="avancement" aria-live="polite">
          <h2 id="avancement">Avancement</h2>
          <Progress upload={u} />
          {props.refreshing ? (
            <p>
              Cette page se met à jour toute seule toutes les 5 secondes.{' '}
              <a href={`/imports/envoi/${u.id}?auto=non`}>Arrêter la mise à jour automatique</a>
            </p>
          ) : (
            <p>
              <a href={`/imports/envoi/${u.id}`}>Mettre à jour la page</a>
            </p>
          )}
        </section>
      ) : null}
      {u.state === 'needs_mapping' ? (
        <section aria-labelledby="forme">
          <h2 id="forme">Ce fichier n'est pas au schéma national</h2>
          <p>
            Indiquez quelle colonne du fichier correspond à chaque information d'un lieu. Vous ne le ferez
            qu'une fois : la correspondance est gardée pour les prochains fichiers de cette source.
          </p>
          <p>
            <a class="button" href={`/imports/envoi/${u.id}/correspondance`}>
              Faire la correspondance des colonnes
            </a>
          </p>
        </section>
      ) : null}
      {u.state === 'failed' ? (
        <section aria-labelledby="echec">
          <h2 id="echec">L'opération n'a pas abouti</h2>
          <p>{u.error}</p>
          <p>Rien n'a été enregistré.</p>
        </section>
      ) : null}
      <PreviewReport upload={u} />
      {u.state === 'previewed' && u.preview ? (
        <form method="post" action={`/imports/envoi/${u.id}/confirmer`}>
          <Csrf token={props.csrf} />
          <input type="hidden" name="empreinte" value={u.sha256} />
          <input type="hidden" name="version" value={u.version} />
          {u.services ? <input type="hidden" name="empreinte_services" value={u.services.sha256} /> : null}
          <button type="submit">
            Importer ce fichier ({plural(u.preview.counts.read - u.preview.counts.rejected, 'lieu', 'lieux')})
          </button>
        </form>
      ) : null}
      {u.state === 'done' ? (
        <section aria-labelledby="fini">
          <h2 id="fini">Import terminé</h2>
          <p>
            {plural(u.progress.done, 'ligne traitée', 'lignes traitées')}. Voir le résultat dans{' '}
            <a href="/imports">l'historique des imports</a>
            {u.importId ? (
              <>
                {' '}
                et le rapport (<a href={`/imports/${u.importId}/rapport.csv`}>CSV</a>,{' '}
                <a href={`/imports/${u.importId}/rapport.json`}>JSON</a>)
              </>
            ) : null}
            .
          </p>
        </section>
      ) : null}
      {['needs_mapping', 'previewed', 'failed'].includes(u.state) ? (
        <section aria-labelledby="autres-actions">
          <h2 id="autres-actions">Autres actions</h2>
          {u.state !== 'needs_mapping' && u.layout === null ? (
            <p>
              <a href={`/imports/envoi/${u.id}/correspondance`}>
                {u.mapping
                  ? 'Modifier la correspondance des colonnes'
                  : 'Faire une correspondance des colonnes'}
              </a>
            </p>
          ) : null}
          <form method="post" action={`/imports/envoi/${u.id}/abandonner`}>
            <Csrf token={props.csrf} />
            <button type="submit" class="secondary">
              Abandonner et supprimer le fichier
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
