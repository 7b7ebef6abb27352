import { Csrf, ErrorSummary, Field, FieldError, Select, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { ActivityValues, FieldErrors } from './activities.ts';
import { Choices } from './form-fields.views.tsx';
import {
  ADMINISTRATIVE_HELP,
  ADMINISTRATIVE_THEME_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_LABELS,
  CUSTOM_DURATION,
  DIGITAL_THEME_LABELS,
  DURATION_PRESETS,
  durationLabel,
  EQUIPMENT_LABELS,
  GENDER_LABELS,
  keysOf,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
  WORKSHOP_LEVEL_LABELS,
} from './vocabulary.ts';

/**
 * The form of an activity record (decision 0038): an individual accompaniment or a collective workshop,
 * in La Coop's fields and values. Fast entry: the fields a mediator changes every time come first, with
 * the last record's values; the rest waits under "Plus de précisions". Works without JavaScript: the
 * administrative themes are always shown, grouped under "Aide aux démarches administratives".
 */

export type FormValues = Partial<ActivityValues>;

/** The breakdown fields of a workshop's participants: the name prefix of each list's inputs. */
export const BREAKDOWNS = [
  { key: 'participantsGender', prefix: 'pg_', labels: GENDER_LABELS, legend: 'Genre' },
  { key: 'participantsAgeBand', prefix: 'pa_', labels: AGE_BAND_LABELS, legend: 'Tranche d’âge' },
  { key: 'participantsSocialStatus', prefix: 'ps_', labels: SOCIAL_STATUS_LABELS, legend: 'Statut' },
] as const;

const firstKey = <T extends Record<string, string>>(labels: T) => keysOf(labels)[0] ?? '';

/** Where each error's summary line leads (the field, or a group's first choice). */
const ANCHORS: Record<string, string> = {
  kind: 'date',
  duration: `duree-${DURATION_PRESETS[0]}`,
  durationHours: 'durationHours',
  durationMinutes: 'durationMinutes',
  placeKind: 'lieu-0',
  placeId: 'lieu-0',
  themes: `theme-${firstKey(DIGITAL_THEME_LABELS)}`,
  equipment: `materiel-${firstKey(EQUIPMENT_LABELS)}`,
  autonomy: `autonomie-${firstKey(AUTONOMY_LABELS)}`,
  oriented: 'oriente-oui',
  alreadyAccompanied: 'deja-oui',
  workshopLevel: `niveau-${firstKey(WORKSHOP_LEVEL_LABELS)}`,
  orientationId: 'lien',
  voucherEntryId: 'lien',
  workshopDateId: 'lien',
  postalCode: 'communeCode',
  ...Object.fromEntries(BREAKDOWNS.map((b) => [b.key, `${b.prefix}${firstKey(b.labels)}`])),
};

/** Fields under "Plus de précisions": the block opens when one of them has a value or an error. */
const MORE_INDIVIDUAL = [
  'procedureDetails',
  'oriented',
  'redirection',
  'gender',
  'ageBand',
  'socialStatus',
  'alreadyAccompanied',
  'beneficiaryCommuneCode',
] as const;

const err = (e: FieldErrors, k: string) => e[k];

/** The shared one-line field; `short` for a few digits (hours, counts), side by side on a phone too. */
function TextField(props: {
  name: string;
  label: string;
  value: string | undefined;
  error: string | undefined;
  hint?: string;
  type?: 'text' | 'date';
  inputmode?: 'numeric';
  maxlength?: number;
  short?: boolean;
}) {
  const field = (
    <Field
      id={props.name}
      label={props.label}
      value={props.value ?? ''}
      hint={props.hint}
      error={props.error}
      type={props.type}
      inputmode={props.inputmode}
      maxlength={props.maxlength}
    />
  );
  return props.short ? <div class="short-field">{field}</div> : field;
}

/** The duration: the Coop's presets, or "Personnaliser" with hours and minutes (at most 23 h 59). */
function DurationField(props: { v: FormValues; e: FieldErrors }) {
  const { v, e } = props;
  const presets = DURATION_PRESETS.map((m) => String(m));
  const custom = v.duration === CUSTOM_DURATION || (!!v.duration && !presets.includes(v.duration));
  const minutes = Number(v.duration);
  const hours = custom && Number.isInteger(minutes) && minutes > 0 ? String(Math.floor(minutes / 60)) : '';
  const mins = custom && Number.isInteger(minutes) && minutes > 0 ? String(minutes % 60) : '';
  return (
    <fieldset class={e.duration || e.durationHours || e.durationMinutes ? 'has-error' : undefined}>
      <legend>Durée</legend>
      <FieldError id="duration" message={e.duration} />
      <div class="choices duration-choices">
        {[
          ...presets.map((p) => [p, durationLabel(Number(p))] as const),
          [CUSTOM_DURATION, 'Autre durée'],
        ].map(([value, label], i) => (
          <div class="choice">
            <input
              type="radio"
              id={`duree-${value}`}
              name="duration"
              value={value}
              checked={custom ? value === CUSTOM_DURATION : v.duration === value}
              aria-describedby={i === 0 && e.duration ? 'duration-erreur' : undefined}
            />
            <label for={`duree-${value}`}>{label}</label>
          </div>
        ))}
      </div>
      <p class="hint" id="duree-autre-aide">
        Autre durée : cochez « Autre durée » et indiquez les heures et les minutes (au plus 23 h 59).
      </p>
      <div class="inline-fields">
        <TextField
          name="durationHours"
          label="Heures"
          value={v.durationHours ?? hours}
          error={err(e, 'durationHours')}
          inputmode="numeric"
          maxlength={2}
          short
        />
        <TextField
          name="durationMinutes"
          label="Minutes"
          value={v.durationMinutes ?? mins}
          error={err(e, 'durationMinutes')}
          inputmode="numeric"
          maxlength={2}
          short
        />
      </div>
    </fieldset>
  );
}

/** Where: one of the structure's places, at home, elsewhere (both with a commune), or remote. */
function PlaceField(props: {
  v: FormValues;
  e: FieldErrors;
  places: readonly { id: string; name: string; commune: string }[];
}) {
  const { v, e } = props;
  const current = v.placeKind === 'lieu_activite' ? `lieu:${v.placeId ?? ''}` : (v.placeKind ?? '');
  const options: [string, string][] = [
    ...props.places.map((p) => [`lieu:${p.id}`, `${p.name} (${p.commune})`] as [string, string]),
    ['domicile', 'À domicile'],
    ['autre', 'Autre lieu'],
    ['a_distance', 'À distance'],
  ];
  const error = e.placeKind ?? e.placeId;
  return (
    <>
      <fieldset class={error ? 'has-error' : undefined}>
        <legend>Lieu</legend>
        <FieldError id="placeKind" message={error} />
        <div class="choices">
          {options.map(([value, label], i) => (
            <div class="choice">
              <input
                type="radio"
                id={`lieu-${i}`}
                name="lieu"
                value={value}
                checked={current === value}
                aria-describedby={i === 0 && error ? 'placeKind-erreur' : undefined}
              />
              <label for={`lieu-${i}`}>{label}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <TextField
        name="communeCode"
        label="Commune (à domicile ou autre lieu)"
        hint="Son nom, son code postal ou son code INSEE, par exemple Orléans. Inutile pour un lieu de votre structure ou à distance."
        value={v.communeCode}
        error={e.communeCode ?? e.postalCode}
        maxlength={100}
      />
    </>
  );
}

/**
 * Themes: the digital ones (with "aide aux démarches administratives" among them, as the Coop), then the
 * administrative ones folded under it: open when one of them is ticked or the themes are refused.
 */
function ThemesField(props: { v: FormValues; e: FieldErrors }) {
  const themes = props.v.themes ?? [];
  const error = props.e.themes;
  const digital = keysOf(DIGITAL_THEME_LABELS);
  const first = digital[0] ?? '';
  const administrative = keysOf(ADMINISTRATIVE_THEME_LABELS);
  const open = !!error || administrative.some((t) => themes.includes(t));
  const box = (value: string, label: string, describe?: string) => (
    <div class="choice">
      <input
        type="checkbox"
        id={`theme-${value}`}
        name="themes"
        value={value}
        checked={themes.includes(value)}
        aria-describedby={describe}
      />
      <label for={`theme-${value}`}>{label}</label>
    </div>
  );
  return (
    <fieldset class={error ? 'has-error' : undefined}>
      <legend>Thématiques (au moins une)</legend>
      <FieldError id="themes" message={error} />
      <div class="choices compact-choices">
        {digital.map((t) =>
          box(
            t,
            DIGITAL_THEME_LABELS[t],
            t === first && error ? 'themes-erreur' : t === ADMINISTRATIVE_HELP ? 'demarches-aide' : undefined,
          ),
        )}
      </div>
      <details class="more-fields" open={open}>
        <summary>Démarches administratives : préciser le domaine</summary>
        <fieldset class="theme-group">
          <legend>Domaine de la démarche</legend>
          <p class="hint" id="demarches-aide">
            Ces thématiques ne comptent qu’avec « Aide aux démarches administratives » : cochez-la aussi.
          </p>
          <div class="choices compact-choices">
            {administrative.map((t) => box(t, ADMINISTRATIVE_THEME_LABELS[t]))}
          </div>
        </fieldset>
      </details>
    </fieldset>
  );
}

/** The shared list, its first choice empty ("Non communiqué", "Non précisé"). */
function Choose(props: {
  name: string;
  label: string;
  options: readonly (readonly [string, string])[];
  value: string | undefined;
  error: string | undefined;
  empty: string;
}) {
  return (
    <Select
      id={props.name}
      label={props.label}
      empty={props.empty}
      options={props.options.map(([value, label]) => ({ value, label }))}
      value={props.value ?? ''}
      error={props.error}
    />
  );
}

const entries = <T extends Record<string, string>>(labels: T) =>
  keysOf(labels).map((k) => [k, labels[k]] as const);

function IndividualMore(props: { v: FormValues; e: FieldErrors }) {
  const { v, e } = props;
  const open = MORE_INDIVIDUAL.some((k) => e[k] || (typeof v[k] === 'string' && v[k] !== ''));
  return (
    <details class="more-fields" open={open}>
      <summary>Plus de précisions (orientation, démarche, personne accompagnée)</summary>
      <TextField
        name="procedureDetails"
        label="Nom de la démarche administrative (facultatif)"
        hint="Seulement avec « Aide aux démarches administratives », par exemple « demande de RSA »."
        value={v.procedureDetails}
        error={e.procedureDetails}
        maxlength={1000}
      />
      <Choices
        type="radio"
        name="oriented"
        idPrefix="oriente"
        legend="La personne a-t-elle été orientée vers une autre structure ?"
        options={[
          ['oui', 'Oui'],
          ['non', 'Non'],
        ]}
        checked={(x) => v.oriented === x}
        error={e.oriented}
        errorKey="oriented"
      />
      <Choose
        name="redirection"
        label="Vers quel type de structure ? (si oui)"
        options={entries(REDIRECTION_LABELS)}
        value={v.redirection}
        error={e.redirection}
        empty="Non précisé"
      />
      <h2>La personne accompagnée (anonyme)</h2>
      <p class="hint">Rien ne permet de la reconnaître : laissez « Non communiqué » si vous ne savez pas.</p>
      <Choose
        name="gender"
        label="Genre"
        options={entries(GENDER_LABELS).filter(([k]) => k !== 'non_communique')}
        value={v.gender}
        error={e.gender}
        empty="Non communiqué"
      />
      <Choose
        name="ageBand"
        label="Tranche d’âge"
        options={entries(AGE_BAND_LABELS).filter(([k]) => k !== 'non_communique')}
        value={v.ageBand}
        error={e.ageBand}
        empty="Non communiqué"
      />
      <Choose
        name="socialStatus"
        label="Statut"
        options={entries(SOCIAL_STATUS_LABELS).filter(([k]) => k !== 'non_communique')}
        value={v.socialStatus}
        error={e.socialStatus}
        empty="Non communiqué"
      />
      <Choices
        type="radio"
        name="alreadyAccompanied"
        idPrefix="deja"
        legend="Déjà accompagnée par votre structure ?"
        options={[
          ['oui', 'Oui'],
          ['non', 'Non'],
        ]}
        checked={(x) => v.alreadyAccompanied === x}
        error={e.alreadyAccompanied}
        errorKey="alreadyAccompanied"
      />
      <TextField
        name="beneficiaryCommuneCode"
        label="Commune de résidence (facultatif)"
        hint="Son nom, son code postal ou son code INSEE."
        value={v.beneficiaryCommuneCode}
        error={e.beneficiaryCommuneCode}
        maxlength={100}
      />
    </details>
  );
}

function WorkshopParticipants(props: { v: FormValues; e: FieldErrors }) {
  const { v, e } = props;
  const open = BREAKDOWNS.some(
    (b) => e[b.key] || Object.values(v[b.key] ?? {}).some((x) => typeof x === 'string' && x !== ''),
  );
  return (
    <>
      <TextField
        name="participantsTotal"
        label="Nombre de participants"
        value={v.participantsTotal}
        error={e.participantsTotal}
        inputmode="numeric"
        maxlength={5}
        short
      />
      <TextField
        name="participantsAlreadyAccompanied"
        label="Dont déjà accompagnés par votre structure (facultatif)"
        value={v.participantsAlreadyAccompanied}
        error={e.participantsAlreadyAccompanied}
        inputmode="numeric"
        maxlength={5}
        short
      />
      <details class="more-fields" open={open}>
        <summary>Plus de précisions : répartition des participants</summary>
        <p class="hint">
          Chaque répartition fait le nombre de participants. Laissez « Non communiqué » vide : il compte le
          reste.
        </p>
        {BREAKDOWNS.map((b) => {
          const error = e[b.key];
          const typed = (v[b.key] ?? {}) as Partial<Record<string, string>>;
          return (
            <fieldset class={error ? 'has-error breakdown' : 'breakdown'}>
              <legend>{b.legend}</legend>
              <FieldError id={b.key} message={error} />
              <div class="inline-fields">
                {keysOf(b.labels as Record<string, string>).map((k, i) => (
                  <div class="field">
                    <label for={`${b.prefix}${k}`}>{(b.labels as Record<string, string>)[k]}</label>
                    <input
                      type="text"
                      inputmode="numeric"
                      short
                      id={`${b.prefix}${k}`}
                      name={`${b.prefix}${k}`}
                      value={typed[k] ?? ''}
                      maxlength={5}
                      autocomplete="off"
                      aria-describedby={i === 0 && error ? `${b.key}-erreur` : undefined}
                    />
                  </div>
                ))}
              </div>
            </fieldset>
          );
        })}
      </details>
    </>
  );
}

export function ActivityFormPage(props: {
  ctx: PageContext;
  csrf: string;
  structure: { id: string; name: string; several: boolean };
  places: readonly { id: string; name: string; commune: string }[];
  values: FormValues;
  errors: FieldErrors;
  origin: string | null;
  existingActivityId?: string | undefined;
}) {
  const { values: v, errors: e } = props;
  const collective = v.kind === 'collectif';
  const title = collective ? 'Enregistrer un atelier collectif' : 'Enregistrer un accompagnement';
  const failed = Object.keys(e).length > 0;
  const action = `/activites/nouveau${collective ? '?type=collectif' : ''}`;
  return (
    <Layout title={failed ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary items={summaryItems(e, ANCHORS)} autofocus />
      {props.structure.several ? <p>Pour la structure « {props.structure.name} ».</p> : null}
      {props.origin ? <p class="notice">{props.origin}</p> : null}
      <form method="post" action={action} novalidate class="activity-form">
        <Csrf token={props.csrf} />
        <input type="hidden" name="structure" value={props.structure.id} />
        <input type="hidden" name="kind" value={collective ? 'collectif' : 'individuel'} />
        {v.orientationId ? <input type="hidden" name="orientationId" value={v.orientationId} /> : null}
        {v.voucherEntryId ? <input type="hidden" name="voucherEntryId" value={v.voucherEntryId} /> : null}
        {v.workshopDateId ? <input type="hidden" name="workshopDateId" value={v.workshopDateId} /> : null}
        {e.orientationId || e.voucherEntryId || e.workshopDateId ? (
          <div class="field has-error" id="lien" tabindex={-1}>
            <FieldError id="lien" message={e.orientationId ?? e.voucherEntryId ?? e.workshopDateId} />
            {props.existingActivityId ? (
              <p>
                <a href={`/activites/${props.existingActivityId}`}>
                  {collective
                    ? 'Ouvrir l’atelier déjà enregistré'
                    : 'Ouvrir l’accompagnement déjà enregistré'}
                </a>
              </p>
            ) : null}
          </div>
        ) : null}
        {collective ? (
          <TextField
            name="workshopTitle"
            label="Titre de l’atelier (facultatif)"
            value={v.workshopTitle}
            error={e.workshopTitle}
            maxlength={200}
          />
        ) : null}
        <TextField name="date" type="date" label="Date" value={v.date} error={e.date} />
        <DurationField v={v} e={e} />
        <PlaceField v={v} e={e} places={props.places} />
        <ThemesField v={v} e={e} />
        {collective ? (
          <WorkshopParticipants v={v} e={e} />
        ) : (
          <Choices
            type="radio"
            name="autonomy"
            idPrefix="autonomie"
            legend="Autonomie de la personne (facultatif)"
            options={entries(AUTONOMY_LABELS)}
            checked={(x) => v.autonomy === x}
            error={e.autonomy}
            errorKey="autonomy"
          />
        )}
        {collective ? (
          <Choices
            type="radio"
            name="workshopLevel"
            idPrefix="niveau"
            legend="Niveau de l’atelier (facultatif)"
            options={entries(WORKSHOP_LEVEL_LABELS)}
            checked={(x) => v.workshopLevel === x}
            error={e.workshopLevel}
            errorKey="workshopLevel"
          />
        ) : null}
        <Choices
          type="checkbox"
          class="compact"
          name="equipment"
          idPrefix="materiel"
          legend="Matériel utilisé (facultatif)"
          options={entries(EQUIPMENT_LABELS)}
          checked={(x) => (v.equipment ?? []).includes(x)}
          error={e.equipment}
          errorKey="equipment"
        />
        {collective ? null : <IndividualMore v={v} e={e} />}
        <p>
          <button type="submit">
            {collective ? 'Enregistrer l’atelier' : 'Enregistrer l’accompagnement'}
          </button>
        </p>
      </form>
      <p>
        <a href={`/activites${props.structure.several ? `?structure=${props.structure.id}` : ''}`}>
          Retour aux activités
        </a>
      </p>
    </Layout>
  );
}
