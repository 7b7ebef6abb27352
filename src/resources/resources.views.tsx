import { defineCatalogue } from '../web/catalogue.ts';
import { Csrf, ErrorSummary, Field, FieldError, Notice, Select } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Collection } from './resource-collections.service.ts';
import { TextArea } from './resource-forms.views.tsx';
import type { Resource, ResourceReport } from './resources.service.ts';
import {
  COLLECTION_NAME_MAX,
  formatBytes,
  labelOf,
  REPORT_ANSWER_MAX,
  REPORT_REASONS,
  REPORT_TEXT_MAX,
  RESOURCE_AUDIENCES,
  RESOURCE_KINDS,
  RESOURCE_LICENCES,
  RESOURCE_THEMES,
  type ResourceIssue,
} from './resources.ts';

/** The bank's public words, with their FALC variant (not certified: see the display preferences). */
const BANK_WORDS = defineCatalogue({
  title: { normal: 'Ressources du réseau', falc: 'Ressources du réseau' },
  intro: {
    normal: 'Des tutoriels, guides, vidéos et liens partagés par les structures du réseau.',
    falc: 'Ici, les structures du réseau partagent des guides et des vidéos.',
  },
  member: {
    normal: 'Vous voyez toutes les ressources, y compris celles réservées au réseau.',
    falc: 'Vous voyez toutes les ressources.',
  },
  visitor: {
    normal:
      'Vous voyez les ressources ouvertes à tous ; les membres du réseau en voient davantage en se connectant.',
    falc: 'Vous voyez les ressources ouvertes à tous. Les membres du réseau en voient plus.',
  },
  search: { normal: 'Chercher une ressource', falc: 'Chercher une ressource' },
  words: { normal: 'Mots à chercher', falc: 'Mots à chercher' },
  wordsHint: {
    normal: 'Dans le titre et le résumé, par exemple : courriel, impôts, tablette.',
    falc: 'Par exemple : courriel, impôts, tablette.',
  },
});

const DAY = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

const errorsOf = (issues: ResourceIssue[]) => {
  const out: Partial<Record<string, string>> = {};
  for (const i of issues) out[i.field] ??= i.message;
  return out;
};

/** What a resource holds, in a few words: "Fichier PDF, 2,1 Mo" or "Lien vers example.org". */
function contentWords(r: Resource): string {
  if (r.file)
    return `Fichier ${r.file.name.split('.').at(-1)?.toUpperCase() ?? ''}, ${formatBytes(r.file.size)}`;
  if (r.url) {
    try {
      return `Lien vers ${new URL(r.url).hostname}`;
    } catch {
      return 'Lien';
    }
  }
  return '';
}

function ResourceCard({ r }: { r: Resource }) {
  return (
    <li class="card">
      <h3>
        <a href={`/ressources/${r.id}`}>{r.title}</a>
      </h3>
      <p class="meta">
        {labelOf(RESOURCE_KINDS, r.kind)} · {contentWords(r)} · {r.structureName} · le{' '}
        {DAY.format(r.createdAt)}
        {r.isPublic ? '' : ' · réservée au réseau'}
      </p>
      <p>{r.summary.length > 300 ? `${[...r.summary].slice(0, 300).join('')}…` : r.summary}</p>
      <p>
        {r.themes.map((t) => (
          <span class="tag">{labelOf(RESOURCE_THEMES, t)}</span>
        ))}
      </p>
    </li>
  );
}

/** `/ressources`: the search (words, theme), then the resources found, newest first. */
export function ResourcesPage(props: {
  ctx: PageContext;
  query: string;
  theme: string;
  items: Resource[];
  total: number;
  member: boolean;
  canShare: boolean;
  notice?: string | undefined;
}) {
  const searching = props.query !== '' || props.theme !== '';
  const w = BANK_WORDS.pick(props.ctx.prefs?.falc ?? false);
  return (
    <Layout title={props.query ? `${w.title} : « ${props.query} »` : w.title} ctx={props.ctx}>
      <h1>{w.title}</h1>
      <Notice text={props.notice} />
      <p>
        {w.intro} {props.member ? w.member : w.visitor}
      </p>
      <p class="actions">
        {props.canShare ? (
          <a class="button" href="/ressources/partager">
            Partager une ressource
          </a>
        ) : null}
        <a class="button secondary" href="/ressources/collections">
          Voir les collections
        </a>
      </p>
      <form method="get" action="/ressources#resultats" aria-label={w.search}>
        <Field id="q" label={w.words} hint={w.wordsHint} type="search" value={props.query} maxlength={200} />
        <Select
          id="theme"
          label="Thème"
          empty="Tous les thèmes"
          options={RESOURCE_THEMES}
          value={props.theme}
        />
        <button type="submit">Chercher</button>
      </form>
      <h2 id="resultats" tabindex={-1}>
        {props.total === 0
          ? searching
            ? 'Aucune ressource ne correspond à votre recherche'
            : 'Aucune ressource pour le moment'
          : `${props.total} ressource${props.total > 1 ? 's' : ''}${searching ? ` trouvée${props.total > 1 ? 's' : ''}` : ''}`}
      </h2>
      {props.items.length < props.total ? (
        <p>Les {props.items.length} plus récentes sont affichées : ajoutez des mots pour affiner.</p>
      ) : null}
      {props.total === 0 && searching ? (
        <p>
          Essayez d’autres mots, ou <a href="/ressources">voyez toutes les ressources</a>.
        </p>
      ) : null}
      <ul class="cards" aria-labelledby="resultats">
        {props.items.map((r) => (
          <ResourceCard r={r} />
        ))}
      </ul>
    </Layout>
  );
}

export const RESOURCE_NOTICES: Readonly<Record<string, string>> = {
  partagee: 'La ressource est partagée.',
  modifiee: 'La ressource est modifiée.',
  signalee: 'Merci : votre signalement est transmis à la structure qui a partagé la ressource.',
  supprimee: 'La ressource est supprimée.',
  close: 'Le signalement est traité : votre réponse est visible sur la page de la ressource.',
  fichier_remplace: 'Le fichier est remplacé : le téléchargement donne la nouvelle version.',
  creee: 'La collection est créée.',
  renommee: 'La collection est renommée.',
  collection_supprimee: 'La collection est supprimée. Ses ressources restent dans la banque.',
  ajouter: 'La ressource est ajoutée à la collection.',
  retirer: 'La ressource est retirée de la collection.',
  monter: 'La ressource est montée d’un rang.',
  descendre: 'La ressource est descendue d’un rang.',
};

/** `/ressources/:id`: the resource, its file or link, and what the person may do with it. */
export function ResourcePage(props: {
  ctx: PageContext;
  csrf: string;
  resource: Resource;
  collections: { id: string; name: string }[];
  canEdit: boolean;
  canReport: boolean;
  answered: { reason: string; text: string | null; answer: string; closedAt: Date }[];
  notice?: string | undefined;
  reportValues?: { motif: string; precision: string };
  issues?: ResourceIssue[];
}) {
  const r = props.resource;
  const issues = props.issues ?? [];
  const e = errorsOf(issues);
  const report = props.reportValues ?? { motif: '', precision: '' };
  return (
    <Layout title={issues.length ? `Erreur : ${r.title}` : r.title} ctx={props.ctx}>
      <h1>{r.title}</h1>
      <Notice text={props.notice} />
      <ErrorSummary items={issues.map((i) => ({ href: `#${i.field}`, message: i.message }))} autofocus />
      <p class="pre-line">{r.summary}</p>
      {r.file ? (
        <p>
          <a class="button" href={`/ressources/${r.id}/fichier`} download={r.file.name}>
            Télécharger « {r.file.name} »<span class="visually-hidden"> ({contentWords(r)})</span>
          </a>{' '}
          <span class="meta">{contentWords(r)}</span>
        </p>
      ) : r.url ? (
        <p>
          <a href={r.url} rel="noopener noreferrer nofollow">
            Ouvrir le lien : {r.url}
          </a>
        </p>
      ) : null}
      <dl class="facts">
        <dt>Genre</dt>
        <dd>{labelOf(RESOURCE_KINDS, r.kind)}</dd>
        <dt>Thèmes</dt>
        <dd>{r.themes.map((t) => labelOf(RESOURCE_THEMES, t)).join(', ')}</dd>
        <dt>Pour qui</dt>
        <dd>{labelOf(RESOURCE_AUDIENCES, r.audience)}</dd>
        <dt>Licence</dt>
        <dd>{labelOf(RESOURCE_LICENCES, r.licence)}</dd>
        <dt>Partagée par</dt>
        <dd>{r.structureName}</dd>
        <dt>Date</dt>
        <dd>
          le {DAY.format(r.createdAt)}
          {r.updatedAt.getTime() > r.createdAt.getTime() + 60_000
            ? `, modifiée le ${DAY.format(r.updatedAt)}`
            : ''}
        </dd>
        <dt>Visible par</dt>
        <dd>{r.isPublic ? 'Tout le monde' : 'Les membres du réseau seulement'}</dd>
        {props.collections.length ? (
          <>
            <dt>Collections</dt>
            <dd>
              {props.collections.map((c, i) => (
                <>
                  {i ? ', ' : ''}
                  <a href={`/ressources/collections/${c.id}`}>{c.name}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      {props.answered.length ? (
        <section aria-labelledby="traites">
          <h2 id="traites">Signalements traités</h2>
          <ul>
            {props.answered.map((a) => (
              <li>
                <p>
                  {labelOf(REPORT_REASONS, a.reason)}, traité le {DAY.format(a.closedAt)}
                  {a.text === null ? null : ` : « ${a.text} »`}
                </p>
                <p class="pre-line">
                  Réponse de {r.structureName} : {a.answer}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.canEdit ? (
        <section aria-labelledby="gerer">
          <h2 id="gerer">Gérer cette ressource</h2>
          <p>
            <a href={`/ressources/${r.id}/modifier`}>
              {r.file ? 'Modifier la ressource ou remplacer son fichier' : 'Modifier la ressource'}
            </a>
          </p>
          <form method="post" action={`/ressources/${r.id}/supprimer`}>
            <Csrf token={props.csrf} />
            <div class={e.confirmer ? 'choice has-error' : 'choice'}>
              <FieldError id="confirmer" message={e.confirmer} />
              <input type="checkbox" id="confirmer" name="confirmer" value="oui" />
              <label for="confirmer">Je confirme la suppression de cette ressource</label>
            </div>
            <button type="submit" class="secondary">
              Supprimer la ressource
            </button>
          </form>
        </section>
      ) : null}
      {props.canReport ? (
        <section aria-labelledby="signaler">
          <h2 id="signaler">Signaler : obsolète ou erreur</h2>
          <p>La structure qui l’a partagée verra votre signalement dans son espace.</p>
          <form method="post" action={`/ressources/${r.id}/signaler`}>
            <Csrf token={props.csrf} />
            <fieldset class={e.motif ? 'field has-error' : 'field'}>
              <legend>Motif</legend>
              <FieldError id="motif" message={e.motif} />
              <div class="choices">
                {REPORT_REASONS.map((reason, i) => (
                  <div class="choice">
                    <input
                      type="radio"
                      id={i === 0 ? 'motif' : `motif-${reason.value}`}
                      name="motif"
                      value={reason.value}
                      checked={report.motif === reason.value}
                    />
                    <label for={i === 0 ? 'motif' : `motif-${reason.value}`}>{reason.label}</label>
                  </div>
                ))}
              </div>
            </fieldset>
            <TextArea
              id="precision"
              label="Précision"
              hint="Ce qui n’est plus juste, et si possible la bonne information."
              value={report.precision}
              error={e.precision}
              rows={3}
              maxlength={REPORT_TEXT_MAX}
            />
            <button type="submit">Envoyer le signalement</button>
          </form>
        </section>
      ) : null}
      <p>
        <a href="/ressources">Revenir aux ressources</a>
      </p>
    </Layout>
  );
}

/** `/ressources/signalements`: the open reports of the person's structures' resources. */
export function ReportsPage(props: {
  ctx: PageContext;
  csrf: string;
  reports: ResourceReport[];
  notice?: string | undefined;
  error?: string | undefined;
  issues: ResourceIssue[];
  answer?: { id: string; text: string } | undefined;
}) {
  const e = errorsOf(props.issues);
  const failed = Boolean(props.error) || props.issues.length > 0;
  return (
    <Layout title={failed ? 'Erreur : Ressources signalées' : 'Ressources signalées'} ctx={props.ctx}>
      <h1>Ressources signalées</h1>
      <Notice text={props.notice} />
      <ErrorSummary
        items={[
          ...(props.error ? [{ message: props.error }] : []),
          ...props.issues.map((i) => ({ href: `#${i.field}`, message: i.message })),
        ]}
        autofocus
      />
      <p>
        Des membres du réseau signalent qu’une ressource partagée par votre structure est obsolète ou contient
        une erreur. Corrigez-la (ou supprimez-la), puis marquez le signalement comme traité en disant en
        quelques mots ce qui a été fait : la réponse s’affiche sur la page de la ressource.
      </p>
      {props.reports.length === 0 ? (
        <p>Aucun signalement en attente.</p>
      ) : (
        <ul class="cards">
          {props.reports.map((r) => (
            <li class="card">
              <h2>
                <a href={`/ressources/${r.resourceId}`}>{r.title}</a>
              </h2>
              <p class="meta">
                {labelOf(REPORT_REASONS, r.reason)} · {r.structureName} · signalé le {DAY.format(r.createdAt)}
              </p>
              <p class="pre-line">{r.text}</p>
              <form method="post" action={`/ressources/signalements/${r.id}`}>
                <Csrf token={props.csrf} />
                <TextArea
                  id={`reponse-${r.id}`}
                  name="reponse"
                  label={`Réponse sur « ${r.title} »`}
                  hint="Par exemple : « Captures mises à jour » ou « L’information est toujours juste ». 500 caractères au plus."
                  value={props.answer?.id === r.id ? props.answer.text : ''}
                  error={e[`reponse-${r.id}`]}
                  rows={2}
                  maxlength={REPORT_ANSWER_MAX}
                />
                <button type="submit">
                  Marquer comme traité<span class="visually-hidden"> : « {r.title} »</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/espace">Revenir à mon espace</a>
      </p>
    </Layout>
  );
}

/** `/ressources/collections`: every collection, and a form to make one. */
export function CollectionsPage(props: {
  ctx: PageContext;
  csrf: string;
  collections: Collection[];
  structures: { id: string; name: string }[];
  name: string;
  issues: ResourceIssue[];
  notice?: string | undefined;
}) {
  const e = errorsOf(props.issues);
  return (
    <Layout
      title={props.issues.length ? 'Erreur : Collections' : 'Collections de ressources'}
      ctx={props.ctx}
    >
      <h1>Collections de ressources</h1>
      <Notice text={props.notice} />
      <ErrorSummary
        items={props.issues.map((i) => ({ href: `#${i.field}`, message: i.message }))}
        autofocus
      />
      <p>Des ressources rassemblées et mises dans l’ordre par une structure du réseau.</p>
      {props.collections.length === 0 ? (
        <p>Aucune collection pour le moment.</p>
      ) : (
        <ul class="cards">
          {props.collections.map((c) => (
            <li class="card">
              <h2>
                <a href={`/ressources/collections/${c.id}`}>{c.name}</a>
              </h2>
              <p class="meta">
                {c.structureName} · {c.count} ressource{c.count > 1 ? 's' : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
      {props.structures.length ? (
        <section aria-labelledby="nouvelle">
          <h2 id="nouvelle">Créer une collection</h2>
          <form method="post" action="/ressources/collections">
            <Csrf token={props.csrf} />
            {props.structures.length > 1 ? (
              <Select
                id="structure"
                label="Pour la structure"
                options={props.structures.map((s) => ({ value: s.id, label: s.name }))}
                value=""
              />
            ) : null}
            <Field
              id="nom"
              label="Nom de la collection"
              value={props.name}
              error={e.nom}
              maxlength={COLLECTION_NAME_MAX}
            />
            <button type="submit">Créer la collection</button>
          </form>
        </section>
      ) : null}
      <p>
        <a href="/ressources">Revenir aux ressources</a>
      </p>
    </Layout>
  );
}

/** `/ressources/collections/:id`: the resources in order; for its structure, add, remove and move. */
export function CollectionPage(props: {
  ctx: PageContext;
  csrf: string;
  collection: Collection;
  resources: Resource[];
  canEdit: boolean;
  addable: Resource[];
  notice?: string | undefined;
  error?: string | undefined;
  issues: ResourceIssue[];
  name: string;
}) {
  const c = props.collection;
  const e = errorsOf(props.issues);
  const move = (r: Resource, action: string, label: string) => (
    <form method="post" action={`/ressources/collections/${c.id}`} class="inline">
      <Csrf token={props.csrf} />
      <input type="hidden" name="ressource" value={r.id} />
      <input type="hidden" name="action" value={action} />
      <button type="submit" class="secondary">
        {label}
        <span class="visually-hidden"> « {r.title} »</span>
      </button>
    </form>
  );
  return (
    <Layout title={props.error || props.issues.length ? `Erreur : ${c.name}` : c.name} ctx={props.ctx}>
      <h1>{c.name}</h1>
      <Notice text={props.notice} />
      <ErrorSummary
        items={[
          ...(props.error ? [{ message: props.error }] : []),
          ...props.issues.map((i) => ({ href: `#${i.field}`, message: i.message })),
        ]}
        autofocus
      />
      <p class="meta">Collection de {c.structureName}</p>
      {props.resources.length === 0 ? (
        <p>Cette collection ne contient aucune ressource que vous puissiez voir.</p>
      ) : (
        <ol class="cards">
          {props.resources.map((r, i) => (
            <li class="card">
              <h2>
                <a href={`/ressources/${r.id}`}>{r.title}</a>
              </h2>
              <p class="meta">
                {labelOf(RESOURCE_KINDS, r.kind)} · {r.structureName}
              </p>
              {props.canEdit ? (
                <div class="actions">
                  {i > 0 ? move(r, 'monter', 'Monter') : null}
                  {i < props.resources.length - 1 ? move(r, 'descendre', 'Descendre') : null}
                  {move(r, 'retirer', 'Retirer')}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {props.canEdit && props.addable.length ? (
        <section aria-labelledby="ajouter">
          <h2 id="ajouter">Ajouter une ressource</h2>
          <form method="post" action={`/ressources/collections/${c.id}`}>
            <Csrf token={props.csrf} />
            <input type="hidden" name="action" value="ajouter" />
            <Select
              id="ressource"
              label="Ressource"
              empty="Choisissez une ressource"
              options={props.addable.map((r) => ({ value: r.id, label: r.title }))}
              value=""
            />
            <button type="submit">Ajouter à la collection</button>
          </form>
        </section>
      ) : null}
      {props.canEdit ? (
        <section aria-labelledby="gerer-collection">
          <h2 id="gerer-collection">Gérer la collection</h2>
          <form method="post" action={`/ressources/collections/${c.id}/nom`}>
            <Csrf token={props.csrf} />
            <Field
              id="nom"
              label="Nom de la collection"
              value={props.name}
              error={e.nom}
              maxlength={COLLECTION_NAME_MAX}
            />
            <button type="submit" class="secondary">
              Renommer la collection
            </button>
          </form>
          <p>
            <a href={`/ressources/collections/${c.id}/supprimer`}>Supprimer la collection</a>
          </p>
        </section>
      ) : null}
      <p>
        <a href="/ressources/collections">Revenir aux collections</a>
      </p>
    </Layout>
  );
}

/** `/ressources/collections/:id/supprimer`: says what goes (the list) and what stays (the resources). */
export function DeleteCollectionPage(props: { ctx: PageContext; csrf: string; collection: Collection }) {
  const c = props.collection;
  const title = `Supprimer la collection « ${c.name} »`;
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <p>
        {c.count === 0
          ? 'La collection est vide : seuls son nom et sa page seront supprimés.'
          : `La collection et l’ordre de ${c.count > 1 ? `ses ${c.count} ressources` : 'sa ressource'} seront supprimés. Les ressources elles-mêmes restent dans la banque, avec leurs fichiers et leurs liens.`}
      </p>
      <form method="post" action={`/ressources/collections/${c.id}/supprimer`}>
        <Csrf token={props.csrf} />
        <button type="submit" name="confirmer" value="oui">
          Supprimer la collection
        </button>
      </form>
      <p>
        <a href={`/ressources/collections/${c.id}`}>Garder la collection et revenir</a>
      </p>
    </Layout>
  );
}
