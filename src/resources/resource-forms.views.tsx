import { Csrf, describedBy, ErrorSummary, Field, FieldError, Select } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Resource } from './resources.service.ts';
import {
  formatBytes,
  RESOURCE_AUDIENCES,
  RESOURCE_KINDS,
  RESOURCE_LICENCES,
  RESOURCE_THEMES,
  type ResourceIssue,
  SUMMARY_MAX,
  THEMES_MAX,
  TITLE_MAX,
} from './resources.ts';

/** The share and edit forms of a resource (the bank's pages are in resources.views.tsx). */

/** What the form shows back: the values as posted. */
export interface ResourceFormValues {
  structure: string;
  titre: string;
  resume: string;
  genre: string;
  themes: string[];
  licence: string;
  public: string;
  visible: boolean;
  lien: string;
}

export const EMPTY_RESOURCE_FORM: ResourceFormValues = {
  structure: '',
  titre: '',
  resume: '',
  genre: '',
  themes: [],
  licence: 'etalab_2_0',
  public: 'professionals',
  visible: false,
  lien: '',
};

export const formValuesOf = (r: Resource): ResourceFormValues => ({
  structure: r.structureId,
  titre: r.title,
  resume: r.summary,
  genre: r.kind,
  themes: r.themes,
  licence: r.licence,
  public: r.audience,
  visible: r.isPublic,
  lien: r.url ?? '',
});

const errorsOf = (issues: ResourceIssue[]) => {
  const out: Partial<Record<string, string>> = {};
  for (const i of issues) out[i.field] ??= i.message;
  return out;
};

/** A text area with its label, hint and error, as `Field` draws one-line fields. */
export function TextArea(props: {
  id: string;
  /** The posted name, when it is not the id (several forms on one page). */
  name?: string;
  label: string;
  value: string;
  hint?: string;
  error?: string | undefined;
  rows?: number;
  maxlength?: number;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.id} message={props.error} />
      <textarea
        id={props.id}
        name={props.name ?? props.id}
        rows={props.rows ?? 4}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
      >
        {props.value}
      </textarea>
    </div>
  );
}

/** The fields that describe a resource, shared by both forms. */
function DescriptionFields(props: { values: ResourceFormValues; errors: Partial<Record<string, string>> }) {
  const v = props.values;
  const e = props.errors;
  return (
    <>
      <Field id="titre" label="Titre" value={v.titre} error={e.titre} maxlength={TITLE_MAX} />
      <TextArea
        id="resume"
        label="Résumé"
        hint="En mots simples : ce que contient la ressource et à quoi elle sert."
        value={v.resume}
        error={e.resume}
        maxlength={SUMMARY_MAX}
      />
      <Select
        id="genre"
        label="Genre"
        empty="Choisissez"
        options={RESOURCE_KINDS}
        value={v.genre}
        error={e.genre}
      />
      <fieldset class={e.themes ? 'field has-error' : 'field'} aria-describedby="themes-aide">
        <legend>Thèmes</legend>
        <p class="hint" id="themes-aide">
          De 1 à {THEMES_MAX} thèmes. Ce sont ceux de La Base du numérique d’intérêt général.
        </p>
        <FieldError id="themes" message={e.themes} />
        <div class="choices" id="themes">
          {RESOURCE_THEMES.map((t) => (
            <div class="choice">
              <input
                type="checkbox"
                id={`theme-${t.value}`}
                name="themes"
                value={t.value}
                checked={v.themes.includes(t.value)}
              />
              <label for={`theme-${t.value}`}>{t.label}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <Select id="public" label="Pour qui" options={RESOURCE_AUDIENCES} value={v.public} error={e.public} />
      <Select
        id="licence"
        label="Licence"
        hint="Ce que d’autres ont le droit d’en faire. La Licence Ouverte permet tout, en citant la source."
        options={RESOURCE_LICENCES}
        value={v.licence}
        error={e.licence}
      />
      <fieldset class="field">
        <legend>Qui peut la voir</legend>
        <div class="choice">
          <input type="checkbox" id="visible" name="visible" value="oui" checked={v.visible} />
          <label for="visible">
            Tout le monde, même sans compte (sinon : les membres du réseau seulement)
          </label>
        </div>
      </fieldset>
    </>
  );
}

/** The file input with its limits said beforehand. */
function FileField(props: { label: string; maxBytes: number; error: string | undefined }) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="fichier">{props.label}</label>
      <p class="hint" id="fichier-aide">
        {formatBytes(props.maxBytes)} au plus. PDF, images, vidéos MP4, documents texte, tableurs et
        présentations. Les pages web, images SVG et programmes sont refusés.
      </p>
      <FieldError id="fichier" message={props.error} />
      <input
        id="fichier"
        name="fichier"
        type="file"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy('fichier', true, Boolean(props.error))}
      />
    </div>
  );
}

/** `/ressources/partager`: a file or a link, described. */
export function SharePage(props: {
  ctx: PageContext;
  csrf: string;
  structures: { id: string; name: string }[];
  values: ResourceFormValues;
  issues: ResourceIssue[];
  maxBytes: number;
}) {
  const e = errorsOf(props.issues);
  const title = 'Partager une ressource';
  return (
    <Layout title={props.issues.length ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        items={props.issues.map((i) => ({ href: `#${i.field}`, message: i.message }))}
        autofocus
      />
      {props.structures.length === 0 ? (
        <p>
          Pour partager une ressource, il faut faire partie d’une structure du réseau. Demandez à
          l’administrateur de votre structure de vous inviter.
        </p>
      ) : (
        <form method="post" action="/ressources/partager" enctype="multipart/form-data">
          <Csrf token={props.csrf} />
          {props.structures.length > 1 ? (
            <Select
              id="structure"
              label="Partagée par"
              options={props.structures.map((s) => ({ value: s.id, label: s.name }))}
              value={props.values.structure}
            />
          ) : (
            <p>
              Partagée par <strong>{props.structures[0]?.name}</strong>.
            </p>
          )}
          <DescriptionFields values={props.values} errors={e} />
          <fieldset class="field">
            <legend>Le contenu : un fichier ou un lien</legend>
            <FileField label="Fichier" maxBytes={props.maxBytes} error={e.fichier} />
            <Field
              id="lien"
              label="Ou lien"
              type="url"
              hint="Une adresse qui commence par https://, si la ressource est sur un autre site."
              value={props.values.lien}
              error={e.lien}
              maxlength={2000}
            />
          </fieldset>
          <button type="submit">Partager la ressource</button>
        </form>
      )}
      <p>
        <a href="/ressources">Revenir aux ressources</a>
      </p>
    </Layout>
  );
}

/** `/ressources/:id/modifier`: the description (and a link's address), and a file's new version. */
export function EditPage(props: {
  ctx: PageContext;
  csrf: string;
  resource: Resource;
  values: ResourceFormValues;
  issues: ResourceIssue[];
  maxBytes: number;
}) {
  const e = errorsOf(props.issues);
  const r = props.resource;
  const title = `Modifier « ${r.title} »`;
  return (
    <Layout title={props.issues.length ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        items={props.issues.map((i) => ({ href: `#${i.field}`, message: i.message }))}
        autofocus
      />
      <form method="post" action={`/ressources/${r.id}/modifier`}>
        <Csrf token={props.csrf} />
        <DescriptionFields values={props.values} errors={e} />
        {r.url !== null ? (
          <Field
            id="lien"
            label="Lien"
            type="url"
            value={props.values.lien}
            error={e.lien}
            maxlength={2000}
          />
        ) : null}
        <button type="submit">Enregistrer</button>
      </form>
      {r.file ? (
        <section aria-labelledby="remplacer">
          <h2 id="remplacer">Remplacer le fichier</h2>
          <p>
            Le fichier actuel est « {r.file.name} » ({formatBytes(r.file.size)}). Le nouveau le remplace :
            l’ancien est effacé, la ressource garde son adresse, ses collections et ses signalements.
          </p>
          <form method="post" action={`/ressources/${r.id}/fichier`} enctype="multipart/form-data">
            <Csrf token={props.csrf} />
            <FileField label="Nouveau fichier" maxBytes={props.maxBytes} error={e.fichier} />
            <button type="submit">Remplacer le fichier</button>
          </form>
        </section>
      ) : null}
      <p>
        <a href={`/ressources/${r.id}`}>Revenir à la ressource</a>
      </p>
    </Layout>
  );
}
