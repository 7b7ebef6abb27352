import type { Child } from 'hono/jsx';
import { formatIsoDate } from '../shared/format.ts';
import { Csrf, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { describeWeek } from './hours.ts';
import { DAYS, osmToGrid } from './hours-grid.ts';
import { formatClosurePeriod, parseDateInput } from './place-dates.ts';
import type { EditablePlace, PlaceEditor, PositionSource } from './place-edit.service.ts';
import type { PlaceValues, ValueKey } from './place-edit.ts';
import { SCHEMA_LABELS } from './place-edit-diff.ts';
import {
  CHOICE_FIELDS,
  type ChoiceField,
  choiceLabel,
  closureFieldId,
  type EditForm,
  FIELD_LABELS,
  type FieldErrors,
  gridFieldId,
  MAX_LENGTHS,
  type TextField,
} from './place-edit-form.ts';

function describedBy(id: string, errors: FieldErrors, hint: boolean): string | undefined {
  return [hint ? `${id}-aide` : '', errors[id] ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;
}

/** A field's hint, when it has one, and its error: both named by the field's aria-describedby. */
function HintAndError(props: { id: string; hint: string | null | undefined; error: string | undefined }) {
  return (
    <>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.id} message={props.error} />
    </>
  );
}

function TextInput(props: {
  field: TextField;
  form: EditForm;
  errors: FieldErrors;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'url' | 'text';
  type?: string;
}) {
  const { field, errors } = props;
  const error = errors[field];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={field}>
        {FIELD_LABELS[field]}
        {props.required ? ' (obligatoire)' : ''}
      </label>
      <HintAndError id={field} hint={props.hint} error={errors[field]} />
      {props.multiline ? (
        <textarea
          id={field}
          name={field}
          rows={field === 'presentation_detail' ? 10 : 4}
          aria-describedby={describedBy(field, errors, Boolean(props.hint))}
          aria-invalid={error ? 'true' : undefined}
        >
          {props.form.text[field]}
        </textarea>
      ) : (
        <input
          id={field}
          name={field}
          type={props.type ?? 'text'}
          value={props.form.text[field]}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          aria-describedby={describedBy(field, errors, Boolean(props.hint))}
          aria-invalid={error ? 'true' : undefined}
        />
      )}
    </div>
  );
}

const CHOICE_LEGENDS: Record<ChoiceField, { legend: string; hint?: string }> = {
  services: { legend: 'Ce que le lieu propose (services)' },
  publics_specifiquement_adresses: {
    legend: 'Publics accueillis en particulier',
    hint: 'Cochez seulement si le lieu propose quelque chose de spécial pour ces personnes.',
  },
  prise_en_charge_specifique: { legend: 'Accueil adapté' },
  frais_a_charge: { legend: 'Combien ça coûte' },
  modalites_acces: { legend: 'Comment venir' },
  modalites_accompagnement: { legend: 'Comment on aide les personnes' },
  itinerance: { legend: 'Le lieu se déplace-t-il ?' },
  dispositif_programmes_nationaux: { legend: 'Dispositifs et programmes nationaux' },
  formations_labels: { legend: 'Formations et labels' },
  typologie: { legend: 'Type de lieu' },
};

function Choices({ field, form, errors }: { field: ChoiceField; form: EditForm; errors: FieldErrors }) {
  const { legend, hint } = CHOICE_LEGENDS[field];
  const checked = new Set(form.choices[field]);
  return (
    <fieldset id={field} aria-describedby={describedBy(field, errors, Boolean(hint))}>
      <legend>{legend}</legend>
      <HintAndError id={field} hint={hint} error={errors[field]} />
      <div class="choices">
        {CHOICE_FIELDS[field].map((value, i) => (
          <div class="choice">
            <input
              type="checkbox"
              name={field}
              value={value}
              id={`${field}-${i}`}
              checked={checked.has(value)}
            />
            <label for={`${field}-${i}`}>{choiceLabel(field, value)}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** Hours in words, one line a day ("lundi : 9 h – 12 h et 14 h – 17 h"). */
export function HoursInWords({ osm }: { osm: string | null }) {
  if (!osm) return <p>Horaires non renseignés.</p>;
  const week = describeWeek(osm);
  if (!week) return <p>Horaires illisibles : {osm}</p>;
  return (
    <>
      <ul class="hours-words">
        {week.days.map((d) => (
          <li>
            {d.day} : {d.ranges.length ? d.ranges.join(' et ') : 'fermé'}
          </li>
        ))}
      </ul>
      {week.varies ? <p>Ces horaires changent selon les semaines, les mois ou les jours fériés.</p> : null}
    </>
  );
}

const ORDINALS = ['1re', '2e'];

const HOURS_MODES: readonly (readonly [EditForm['hoursMode'], string])[] = [
  ['grille', 'Avec la grille de la semaine'],
  ['avance', 'Au format OpenStreetMap (avancé)'],
];

function HoursFields({ form, errors, gridable }: { form: EditForm; errors: FieldErrors; gridable: boolean }) {
  return (
    <>
      {gridable ? null : (
        <p class="notice">
          Les horaires actuels sont trop détaillés pour la grille (par exemple une semaine sur deux, ou des
          horaires selon les mois). Ils sont gardés tels quels. Pour les changer, modifiez le texte au format
          OpenStreetMap plus bas, ou choisissez la grille : elle les remplacera.
        </p>
      )}
      <fieldset>
        <legend>Comment voulez-vous écrire les horaires ?</legend>
        <div class="choices">
          {HOURS_MODES.map(([mode, label]) => (
            <div class="choice">
              <input
                type="radio"
                name="horaires_mode"
                value={mode}
                id={`horaires-mode-${mode}`}
                checked={form.hoursMode === mode}
              />
              <label for={`horaires-mode-${mode}`}>{label}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <p class="hint" id="grille-aide">
        Pour chaque jour, écrivez les heures d'ouverture et de fermeture, par exemple 09:00 et 12:00. Une 2e
        plage sert pour l'après-midi. Laissez vide les jours de fermeture.
      </p>
      {DAYS.map((day, d) => (
        <fieldset class="hours-day">
          <legend>{day.key.charAt(0).toUpperCase() + day.key.slice(1)}</legend>
          {[0, 1].map((r) => (
            <div class="hours-range">
              {[0, 1].map((part) => {
                const slot = r * 2 + part;
                const id = gridFieldId(d, slot);
                const error = errors[id];
                return (
                  <div class={error ? 'field has-error' : 'field'}>
                    <label for={id}>
                      <span class="visually-hidden">{day.key}, </span>
                      {part === 0 ? (
                        `${ORDINALS[r]} plage : ouverture`
                      ) : (
                        <>
                          <span class="visually-hidden">{ORDINALS[r]} plage, </span>
                          fermeture
                        </>
                      )}
                    </label>
                    <FieldError id={id} message={errors[id]} />
                    <input
                      id={id}
                      name={id}
                      type="text"
                      class="time"
                      autocomplete="off"
                      value={form.grid[d]?.[slot] ?? ''}
                      aria-describedby={describedBy(id, errors, false)}
                      aria-invalid={error ? 'true' : undefined}
                    />
                  </div>
                );
              })}
            </div>
          ))}
        </fieldset>
      ))}
      <div class="choice">
        <input
          type="checkbox"
          name="feries_fermes"
          value="oui"
          id="feries_fermes"
          checked={form.holidaysClosed}
        />
        <label for="feries_fermes">Fermé les jours fériés</label>
      </div>
      <TextInput
        field="horaires_osm"
        form={form}
        errors={errors}
        hint="Seulement si vous avez choisi le format OpenStreetMap. Exemple : Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off"
      />
    </>
  );
}

/** " (du 1er au 15 août)" for a closure row whose dates are readable, else nothing. */
function period(debut: string, fin: string, today: string): string {
  const from = parseDateInput(debut);
  const to = fin.trim() === '' ? from : parseDateInput(fin);
  return from && to && to >= from ? ` (${formatClosurePeriod(from, to, today)})` : '';
}

function ClosureFields({ form, errors, today }: { form: EditForm; errors: FieldErrors; today: string }) {
  return (
    <>
      <p class="hint">
        Par exemple : fermé du 1er au 15 août pour les congés. Pour un seul jour, laissez le dernier jour
        vide. Pendant une fermeture, la recherche montre le lieu comme fermé.
      </p>
      <input type="hidden" name="fermetures" value={String(form.closures.length)} />
      {form.closures.map((row, i) => {
        const known = row.debut !== '' || row.fin !== '' || row.motif !== '';
        const field = (part: 'debut' | 'fin' | 'motif', label: string, hint: string | null) => {
          const id = closureFieldId(i, part);
          const error = errors[id];
          return (
            <div class={error ? 'field has-error' : 'field'}>
              <label for={id}>{label}</label>
              <HintAndError id={id} hint={hint} error={errors[id]} />
              <input
                id={id}
                name={id}
                type="text"
                class={part === 'motif' ? undefined : 'date'}
                autocomplete="off"
                value={row[part]}
                aria-describedby={describedBy(id, errors, hint !== null)}
                aria-invalid={error ? 'true' : undefined}
              />
            </div>
          );
        };
        return (
          <fieldset class="closure">
            <legend>
              Fermeture n° {i + 1}
              {known ? '' : ' (nouvelle)'}
            </legend>
            {field('debut', 'Premier jour de fermeture', 'Par exemple 01/08/2026.')}
            {field('fin', 'Dernier jour de fermeture', 'Par exemple 15/08/2026. Vide pour un seul jour.')}
            {field('motif', 'Motif (facultatif, affiché au public)', null)}
            {known ? (
              <div class="choice">
                <input
                  type="checkbox"
                  name={closureFieldId(i, 'retirer')}
                  value="oui"
                  id={closureFieldId(i, 'retirer')}
                  checked={row.retirer}
                />
                <label for={closureFieldId(i, 'retirer')}>
                  Retirer cette fermeture
                  {period(row.debut, row.fin, today)}
                </label>
              </div>
            ) : null}
          </fieldset>
        );
      })}
    </>
  );
}

/** A value in words, for the summary of a proposal. */
function valueText(key: ValueKey, values: PlaceValues, today: string): Child {
  if (key === 'horaires') return <HoursInWords osm={values.horaires} />;
  if (key === 'closures') {
    if (values.closures.length === 0) return 'aucune';
    return (
      <ul>
        {values.closures.map((c) => (
          <li>
            Fermé {formatClosurePeriod(c.starts_on, c.ends_on, today)}
            {c.reason ? ` (${c.reason})` : ''}
          </li>
        ))}
      </ul>
    );
  }
  const value = values[key];
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return '(vide)';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function keyLabel(key: ValueKey): string {
  return key === 'closures' ? 'Fermetures temporaires' : SCHEMA_LABELS[key];
}

const NOTICES = {
  sent: 'Votre modification est envoyée. Elle est en attente de validation par la coordination.',
  closurePublic:
    'La fermeture temporaire est publique dès maintenant. Les autres changements, s’il y en a, attendent la validation de la coordination.',
  withdrawn:
    'Votre proposition est retirée : le formulaire est revenu aux informations publiques. Rien ne change.',
  confirmed: 'Merci. La date de mise à jour de la fiche est maintenant celle du jour.',
} as const;
export type EditNotice = keyof typeof NOTICES;

const POSITION_NOTES: Partial<Record<PositionSource, string>> = {
  manual: 'La position que vous avez écrite est proposée telle quelle.',
  geocoder:
    "La position a été calculée à partir de la nouvelle adresse, avec le service d'adresses national.",
  commune:
    "La position n'a pas pu être calculée à partir de l'adresse : le centre de la commune est proposé, marqué « position approximative ». Vous pouvez corriger la latitude et la longitude.",
};

export function EditPlacePage(props: {
  ctx: PageContext;
  csrf: string;
  editor: PlaceEditor;
  form: EditForm;
  errors: FieldErrors;
  notice: EditNotice | null;
  position: PositionSource | null;
}) {
  const { editor, form, errors } = props;
  const p = editor.place;
  const hasErrors = Object.keys(errors).length > 0;
  const title = `Modifier la fiche : ${p.nom}`;
  const gridable = osmToGrid(editor.start.horaires) !== null;
  const positionNote = props.position ? POSITION_NOTES[props.position] : undefined;
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>Modifier la fiche de {p.nom}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {NOTICES[props.notice]}
          {(props.notice === 'sent' || props.notice === 'closurePublic') && positionNote
            ? ` ${positionNote}`
            : ''}
        </p>
      ) : null}
      <ErrorSummary autofocus items={summaryItems(errors)} />
      {editor.pending ? (
        <section class="pending" aria-labelledby="en-attente">
          <h2 id="en-attente">En attente de validation par la coordination</h2>
          <p>
            Proposée le {formatIsoDate(editor.pending.proposedAt.toISOString().slice(0, 10))} par{' '}
            {editor.pending.proposedBy}.{' '}
            {editor.pending.closuresAppliedAt
              ? 'Les fermetures temporaires sont déjà publiques (la coordination peut les annuler) ; les autres informations ne changent pas avant la validation.'
              : 'Les informations publiques ne changent pas avant la validation.'}
          </p>
          <dl class="facts">
            {editor.pending.changed.map((key) => (
              <>
                <dt>{keyLabel(key)}</dt>
                <dd>{valueText(key, editor.pending?.values ?? editor.current, editor.today)}</dd>
              </>
            ))}
          </dl>
          <p>
            Le formulaire ci-dessous contient cette proposition. Vous pouvez encore la corriger : une nouvelle
            proposition remplace la précédente.
          </p>
        </section>
      ) : null}
      <p>
        Ce que vous envoyez est vérifié par la coordination du réseau avant d'être public.{' '}
        <a href={`/lieux/${p.id}`}>Voir la fiche publique de {p.nom}</a>
      </p>
      {editor.pending ? null : (
        <section aria-labelledby="a-jour">
          <h2 id="a-jour">Rien n'a changé ?</h2>
          <p>
            {p.dateMaj
              ? `Dernière mise à jour : ${formatIsoDate(p.dateMaj)}.`
              : 'Cette fiche n’a pas de date de mise à jour.'}{' '}
            Si toutes les informations sont encore exactes, dites-le : la fiche sera datée d'aujourd'hui.
          </p>
          <form method="post" action={`/lieux/${p.id}/a-jour`}>
            <Csrf token={props.csrf} />
            <button type="submit" class="button secondary">
              Les informations sont toujours à jour
            </button>
          </form>
        </section>
      )}
      <form method="post" action={`/lieux/${p.id}/modifier`} novalidate>
        <Csrf token={props.csrf} />
        <h2>Nom et présentation</h2>
        <TextInput field="nom" form={form} errors={errors} required />
        <TextInput
          field="presentation_resume"
          form={form}
          errors={errors}
          multiline
          hint={`Une ou deux phrases, ${MAX_LENGTHS.presentation_resume} caractères au plus. Elles sont affichées dans les résultats de recherche.`}
        />
        <TextInput
          field="presentation_detail"
          form={form}
          errors={errors}
          multiline
          hint="Tout ce qui aide à venir : ce que le lieu propose, pour qui, comment. Laissez une ligne vide entre deux paragraphes."
        />

        <h2>Adresse et position</h2>
        <TextInput field="adresse" form={form} errors={errors} required autocomplete="address-line1" />
        <TextInput
          field="complement_adresse"
          form={form}
          errors={errors}
          autocomplete="address-line2"
          hint="Par exemple : 2e étage, bâtiment B."
        />
        <TextInput
          field="code_postal"
          form={form}
          errors={errors}
          required
          autocomplete="postal-code"
          inputmode="numeric"
        />
        <TextInput field="commune" form={form} errors={errors} required autocomplete="address-level2" />
        {editor.start.position_approximate ? (
          <p class="notice">
            La position actuelle est approximative (le centre de la commune). Corrigez-la si vous connaissez
            la position exacte.
          </p>
        ) : null}
        <p class="hint" id="position-aide">
          La position sert à la carte et au calcul des distances. Si vous changez l'adresse sans toucher la
          position, elle sera recalculée. Changez-la seulement si le point est faux.
        </p>
        <TextInput
          field="latitude"
          form={form}
          errors={errors}
          inputmode="decimal"
          hint="Un nombre avec un point, par exemple 47.9029."
        />
        <TextInput
          field="longitude"
          form={form}
          errors={errors}
          inputmode="decimal"
          hint="Un nombre avec un point, par exemple 1.9039."
        />

        <h2>Contact</h2>
        <TextInput
          field="telephone"
          form={form}
          errors={errors}
          type="tel"
          autocomplete="tel"
          hint="Un seul numéro, par exemple 02 38 00 00 00."
        />
        <TextInput
          field="courriels"
          form={form}
          errors={errors}
          inputmode="email"
          hint="Séparez plusieurs adresses par une virgule. Exemple : contact@exemple.fr"
        />
        <TextInput
          field="site_web"
          form={form}
          errors={errors}
          inputmode="url"
          hint="Séparez plusieurs adresses par une virgule. Exemple : https://exemple.fr"
        />
        <TextInput field="prise_rdv" form={form} errors={errors} inputmode="url" />
        <TextInput field="fiche_acces_libre" form={form} errors={errors} inputmode="url" />

        <h2>Horaires</h2>
        <h3>Horaires publics aujourd'hui</h3>
        <HoursInWords osm={editor.current.horaires} />
        <h3>Nouveaux horaires</h3>
        <HoursFields form={form} errors={errors} gridable={gridable} />

        <h2>Fermetures temporaires</h2>
        <ClosureFields form={form} errors={errors} today={editor.today} />

        <h2>Services et accueil</h2>
        <Choices field="services" form={form} errors={errors} />
        <Choices field="frais_a_charge" form={form} errors={errors} />
        <Choices field="modalites_acces" form={form} errors={errors} />
        <Choices field="modalites_accompagnement" form={form} errors={errors} />
        <Choices field="publics_specifiquement_adresses" form={form} errors={errors} />
        <Choices field="prise_en_charge_specifique" form={form} errors={errors} />
        <Choices field="itinerance" form={form} errors={errors} />

        <h2>Autres informations</h2>
        <Choices field="dispositif_programmes_nationaux" form={form} errors={errors} />
        <Choices field="formations_labels" form={form} errors={errors} />
        <TextInput
          field="autres_formations_labels"
          form={form}
          errors={errors}
          hint="Séparez-les par une virgule."
        />
        <TextInput field="structure_parente" form={form} errors={errors} />
        <details class="typologie" open={Boolean(errors.typologie)}>
          <summary>Type de lieu (liste nationale, {CHOICE_FIELDS.typologie.length} choix)</summary>
          <Choices field="typologie" form={form} errors={errors} />
        </details>

        <p>
          <button type="submit">Envoyer pour validation</button>
        </p>
      </form>
    </Layout>
  );
}

export function MyPlacesPage(props: { ctx: PageContext; places: EditablePlace[]; coordinator: boolean }) {
  return (
    <Layout title="Mes lieux" ctx={props.ctx}>
      <h1>Mes lieux</h1>
      {props.coordinator ? (
        <p>
          En tant que coordination, vous pouvez modifier tous les lieux. Les pages de{' '}
          <a href="/moderation">la modération</a> mènent à la fiche à modifier de chaque lieu.
        </p>
      ) : null}
      {props.places.length === 0 ? (
        <p>Aucun lieu n'est rattaché à vos structures.</p>
      ) : (
        <>
          <p>
            Les lieux de vos structures. Gardez leurs informations à jour : horaires, fermetures, services.
          </p>
          <ul class="cards">
            {props.places.map(({ place, pending }) => (
              <li class="card">
                <h2>
                  <a href={`/lieux/${place.id}/modifier`}>Modifier la fiche de {place.nom}</a>
                </h2>
                <p class="meta">
                  {place.adresse}, {place.codePostal} {place.commune}
                </p>
                <p>
                  {pending
                    ? 'Une modification attend la validation de la coordination.'
                    : place.dateMaj
                      ? `Mise à jour le ${formatIsoDate(place.dateMaj)}.`
                      : 'Jamais mise à jour.'}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
