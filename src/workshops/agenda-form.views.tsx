import { DIGITAL_THEME_LABELS } from '../activities/vocabulary.ts';
import { NEEDS } from '../search/needs.ts';
import { Csrf, describedBy, ErrorSummary, Field, FieldError, Select, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { FieldErrors } from './workshops.ts';

/**
 * The structure's form to put a workshop and its dates in the agenda, and the same form (without the
 * dates) to change a workshop's fields.
 */

export const DATE_ROWS = 4;

export interface WorkshopFormValues {
  structure: string;
  title: string;
  description: string;
  need: string;
  theme: string;
  level: string;
  mode: string;
  placeId: string;
  onlineUrl: string;
  audience: string;
  accessibility: string;
  capacity: string;
  price: string;
  status: string;
  dates: { start: string; end: string }[];
}

export const EMPTY_WORKSHOP_FORM: WorkshopFormValues = {
  structure: '',
  title: '',
  description: '',
  need: '',
  theme: '',
  level: '',
  mode: 'place',
  placeId: '',
  onlineUrl: '',
  audience: '',
  accessibility: '',
  capacity: '8',
  price: '',
  status: 'confirmed',
  dates: [],
};

const ANCHORS = {
  needs: 'need',
  themes: 'theme',
  dates: 'date-1-debut',
  placeId: 'placeId',
  onlineUrl: 'onlineUrl',
};

/** The workshop changed by the form, when it is the edit form (no structure, no dates). */
export interface WorkshopEdit {
  workshopId: string;
  /** The topics beyond the form's one need and one theme, kept as they are (their labels). */
  keptTopics: string[];
}

export function WorkshopFormPage(props: {
  ctx: PageContext;
  csrf: string;
  values: WorkshopFormValues;
  errors: FieldErrors;
  structures: { id: string; name: string }[];
  places: { id: string; name: string }[];
  edit?: WorkshopEdit | undefined;
}) {
  const v = props.values;
  const e = props.errors;
  const edit = props.edit;
  const title = edit ? `Modifier l’atelier « ${v.title || 'sans titre'} »` : 'Nouvel atelier';
  return (
    <Layout title={title} ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e, ANCHORS)} autofocus />
      <h1>{edit ? 'Modifier l’atelier' : 'Nouvel atelier'}</h1>
      {edit ? (
        <p>
          Les calendriers abonnés verront les changements. Pour changer une date, ouvrez-la depuis « Mes
          ateliers ».
        </p>
      ) : null}
      <form
        method="post"
        action={edit ? `/agenda/gestion/ateliers/${edit.workshopId}/modifier` : '/agenda/gestion/nouveau'}
        novalidate
      >
        <Csrf token={props.csrf} />
        {edit ? null : props.structures.length > 1 ? (
          <Select
            id="structure"
            label="Structure"
            options={props.structures.map((s) => ({ value: s.id, label: s.name }))}
            value={v.structure}
          />
        ) : (
          <input type="hidden" name="structure" value={props.structures[0]?.id ?? ''} />
        )}
        <Field id="title" label="Titre" value={v.title} error={e.title} maxlength={150} required />
        <div class={e.description ? 'field has-error' : 'field'}>
          <label for="description">Description (en mots simples)</label>
          <FieldError id="description" message={e.description} />
          <textarea
            id="description"
            name="description"
            rows={5}
            maxlength={5000}
            aria-describedby={describedBy('description', false, Boolean(e.description))}
          >
            {v.description}
          </textarea>
        </div>
        <Select
          id="need"
          label="Besoin du quotidien"
          empty="Aucun"
          options={NEEDS.map((n) => ({ value: n.slug, label: n.label }))}
          value={v.need}
          error={e.needs}
          hint={
            edit?.keptTopics.length
              ? `Un besoin ou un thème au moins. Ceux-ci restent aussi : ${edit.keptTopics.join(', ')}.`
              : 'Un besoin ou un thème au moins.'
          }
        />
        <Select
          id="theme"
          label="Thème"
          empty="Aucun"
          options={Object.entries(DIGITAL_THEME_LABELS).map(([value, label]) => ({ value, label }))}
          value={v.theme}
          error={e.themes}
        />
        <Select
          id="level"
          label="Niveau"
          empty="Tous niveaux"
          options={[
            { value: 'debutant', label: 'Débutant' },
            { value: 'intermediaire', label: 'Intermédiaire' },
            { value: 'avance', label: 'Avancé' },
          ]}
          value={v.level}
          error={e.level}
        />
        <Select
          id="mode"
          label="Où a lieu l’atelier ?"
          options={[
            { value: 'place', label: 'Dans un lieu' },
            { value: 'online', label: 'En ligne' },
          ]}
          value={v.mode}
          error={e.mode}
        />
        <Select
          id="placeId"
          label="Lieu (si dans un lieu)"
          empty="Choisir un lieu"
          options={props.places.map((p) => ({ value: p.id, label: p.name }))}
          value={v.placeId}
          error={e.placeId}
        />
        <Field
          id="onlineUrl"
          label="Lien (si en ligne)"
          value={v.onlineUrl}
          error={e.onlineUrl}
          type="url"
          hint="Commence par https://"
          maxlength={2000}
        />
        <Field
          id="audience"
          label="Public"
          value={v.audience}
          error={e.audience}
          hint="Par exemple : adultes, seniors."
          maxlength={300}
        />
        <Field
          id="accessibility"
          label="Accessibilité"
          value={v.accessibility}
          error={e.accessibility}
          maxlength={500}
        />
        <Field
          id="capacity"
          label="Places par séance"
          value={v.capacity}
          error={e.capacity}
          inputmode="numeric"
          maxlength={6}
          required
        />
        <Field
          id="price"
          label="Prix en euros"
          value={v.price}
          error={e.price}
          hint="Laissez vide si c’est gratuit."
          maxlength={12}
        />
        <Select
          id="status"
          label="Statut"
          options={[
            { value: 'confirmed', label: 'Confirmé' },
            { value: 'tentative', label: 'À confirmer' },
          ]}
          value={v.status}
          error={e.status}
        />
        {edit ? null : <DateRows values={v.dates} error={e.dates} />}
        <button type="submit" class="button">
          {edit ? 'Enregistrer les changements' : 'Mettre l’atelier dans l’agenda'}
        </button>
      </form>
      {edit ? (
        <p>
          <a href="/agenda/gestion">Ne rien changer</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** The date rows of a form (new workshop, dates added to a series): a start, an end the same day. */
export function DateRows(props: {
  values: { start: string; end: string }[];
  error: string | undefined;
  legend?: string;
}) {
  const e = props.error;
  return (
    <fieldset class={e ? 'has-error' : undefined}>
      <legend>{props.legend ?? 'Dates (une seule pour un atelier ponctuel)'}</legend>
      <FieldError id="dates" message={e} />
      <p class="hint">Début : jour et heure ; fin : l’heure, le même jour.</p>
      {Array.from({ length: DATE_ROWS }, (_, i) => (
        <div class="field">
          <label for={`date-${i + 1}-debut`}>Date {i + 1} : début</label>
          <input
            id={`date-${i + 1}-debut`}
            name={`date-${i + 1}-debut`}
            type="datetime-local"
            value={props.values[i]?.start ?? ''}
            aria-describedby={e ? 'dates-erreur' : undefined}
          />
          <label for={`date-${i + 1}-fin`}>Date {i + 1} : fin</label>
          <input
            id={`date-${i + 1}-fin`}
            name={`date-${i + 1}-fin`}
            type="time"
            value={props.values[i]?.end ?? ''}
          />
        </div>
      ))}
    </fieldset>
  );
}
