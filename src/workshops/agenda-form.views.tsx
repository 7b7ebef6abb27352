import { DIGITAL_THEME_LABELS } from '../activities/vocabulary.ts';
import { NEEDS } from '../search/needs.ts';
import { Csrf, describedBy, ErrorSummary, Field, FieldError, Select, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { FieldErrors } from './workshops.ts';

/** The structure's form to put a workshop and its dates in the agenda. */

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

export function WorkshopFormPage(props: {
  ctx: PageContext;
  csrf: string;
  values: WorkshopFormValues;
  errors: FieldErrors;
  structures: { id: string; name: string }[];
  places: { id: string; name: string }[];
}) {
  const v = props.values;
  const e = props.errors;
  return (
    <Layout title="Nouvel atelier" ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e, ANCHORS)} autofocus />
      <h1>Nouvel atelier</h1>
      <form method="post" action="/agenda/gestion/nouveau" novalidate>
        <Csrf token={props.csrf} />
        {props.structures.length > 1 ? (
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
          hint="Un besoin ou un thème au moins."
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
        <fieldset class={e.dates ? 'has-error' : undefined}>
          <legend>Dates (une seule pour un atelier ponctuel)</legend>
          <FieldError id="dates" message={e.dates} />
          <p class="hint">Début : jour et heure ; fin : l’heure, le même jour.</p>
          {Array.from({ length: DATE_ROWS }, (_, i) => (
            <div class="field">
              <label for={`date-${i + 1}-debut`}>Date {i + 1} : début</label>
              <input
                id={`date-${i + 1}-debut`}
                name={`date-${i + 1}-debut`}
                type="datetime-local"
                value={v.dates[i]?.start ?? ''}
                aria-describedby={e.dates ? 'dates-erreur' : undefined}
              />
              <label for={`date-${i + 1}-fin`}>Date {i + 1} : fin</label>
              <input
                id={`date-${i + 1}-fin`}
                name={`date-${i + 1}-fin`}
                type="time"
                value={v.dates[i]?.end ?? ''}
              />
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          Mettre l’atelier dans l’agenda
        </button>
      </form>
    </Layout>
  );
}
