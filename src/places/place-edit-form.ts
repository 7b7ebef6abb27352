import { resolveCommune } from '../communes/commune-resolution.ts';
import { isPostcode, normalizePostcode } from '../shared/commune-codes.ts';
import { parseEmail } from '../shared/email.ts';
import { normalizePhone } from '../shared/phone.ts';
import { cleanLine, cleanMultiline } from '../shared/text.ts';
import {
  checkOsmHours,
  DAYS,
  gridToOsm,
  MAX_RANGES_PER_DAY,
  minutes,
  osmToGrid,
  parseTimeInput,
  type WeekGrid,
} from './hours-grid.ts';
import { addDays, formatDay, frenchDate, parseDateInput } from './place-dates.ts';
import { type ClosureValue, currentClosures, type PlaceValues, sortClosures } from './place-edit.ts';
import { normalizeUrl } from './places-cells.ts';
import {
  DISPOSITIFS,
  describeTypology,
  FORMATIONS_LABELS,
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRESENTATION_RESUME_MAX_LENGTH,
  PRISE_EN_CHARGE,
  PUBLICS,
  SERVICES,
  TYPOLOGIES,
} from './schema-values.ts';

/**
 * The edit form of a place, pure: its fields and their French labels, the form filled with a version of
 * the place, a posted form read as typed, and every field checked with one French message per fault
 * (naming the field and what was typed).
 */

/** The free-text fields of the form (ids and names of the inputs). */
export const TEXT_FIELDS = [
  'nom',
  'presentation_resume',
  'presentation_detail',
  'adresse',
  'complement_adresse',
  'code_postal',
  'commune',
  'latitude',
  'longitude',
  'telephone',
  'courriels',
  'site_web',
  'prise_rdv',
  'fiche_acces_libre',
  'structure_parente',
  'autres_formations_labels',
  'horaires_osm',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** The schema's lists offered as checkboxes. */
export const CHOICE_FIELDS = {
  services: SERVICES,
  publics_specifiquement_adresses: PUBLICS,
  prise_en_charge_specifique: PRISE_EN_CHARGE,
  frais_a_charge: FRAIS,
  modalites_acces: MODALITES_ACCES,
  modalites_accompagnement: MODALITES_ACCOMPAGNEMENT,
  itinerance: ITINERANCE,
  dispositif_programmes_nationaux: DISPOSITIFS,
  formations_labels: FORMATIONS_LABELS,
  typologie: TYPOLOGIES,
} as const;
export type ChoiceField = keyof typeof CHOICE_FIELDS;
export const CHOICE_FIELD_NAMES = Object.keys(CHOICE_FIELDS) as ChoiceField[];

/** Plain words for schema values whose official wording is not everyday French. */
const PLAIN_CHOICES: Readonly<Record<string, string>> = {
  Gratuit: 'Gratuit pour tout le monde',
  'Gratuit sous condition': 'Gratuit pour certaines personnes (sous conditions)',
  Payant: 'Payant',
  'Se présenter': 'Venir sans rendez-vous',
  Téléphoner: 'Téléphoner avant de venir',
  'Contacter par mail': 'Écrire un e-mail avant de venir',
  'Prendre un RDV en ligne': 'Prendre rendez-vous sur internet',
  "Ce lieu n'accueille pas de public": "Ce lieu n'accueille pas de public",
  'Envoyer un mail avec une fiche de prescription':
    'Être orienté par un professionnel (fiche de prescription)',
  'En autonomie': 'La personne utilise seule le matériel',
  'Accompagnement individuel': 'Une personne aide individuellement',
  'Dans un atelier collectif': 'En atelier, en groupe',
  'À distance': 'À distance, par téléphone ou internet',
  Itinérant: 'Le lieu se déplace (bus, permanences)',
  Fixe: 'Le lieu reste à la même adresse',
  Jeunes: 'Jeunes',
  'Familles et/ou enfants': 'Familles, enfants',
  Surdité: 'Personnes sourdes ou malentendantes',
  'Handicaps moteurs': 'Handicap moteur',
  'Handicaps mentaux': 'Handicap mental',
  Illettrisme: 'Personnes qui ont du mal à lire et écrire',
  'Langues étrangères (anglais)': 'Accueil en anglais',
  'Langues étrangères (autres)': "Accueil dans d'autres langues",
  'Déficience visuelle': 'Personnes aveugles ou malvoyantes',
};

/** The label of a choice in the form; the schema's own value when it is already plain. */
export function choiceLabel(field: ChoiceField, value: string): string {
  if (field === 'typologie') return describeTypology(value);
  return PLAIN_CHOICES[value] ?? value;
}

export interface ClosureRow {
  debut: string;
  fin: string;
  motif: string;
  retirer: boolean;
}

/** What the form holds, as typed: re-shown unchanged when something is refused. */
export interface EditForm {
  text: Record<TextField, string>;
  choices: Record<ChoiceField, string[]>;
  hoursMode: 'grille' | 'avance';
  /** Per day: [from1, to1, from2, to2] as typed. */
  grid: string[][];
  holidaysClosed: boolean;
  closures: ClosureRow[];
}

/** Blank rows offered to add closures. */
export const NEW_CLOSURE_ROWS = 2;
export const MAX_CLOSURES = 20;

const blankClosure = (): ClosureRow => ({ debut: '', fin: '', motif: '', retirer: false });

function formatCoordinate(value: number | null): string {
  return value === null ? '' : String(value);
}

/** The form filled with a version of the place (the pending proposal, or the public values). */
export function formOfValues(values: PlaceValues, today: string): EditForm {
  const grid = osmToGrid(values.horaires);
  return {
    text: {
      nom: values.nom,
      presentation_resume: values.presentation_resume ?? '',
      presentation_detail: values.presentation_detail ?? '',
      adresse: values.adresse,
      complement_adresse: values.complement_adresse ?? '',
      code_postal: values.code_postal,
      commune: values.commune,
      latitude: formatCoordinate(values.latitude),
      longitude: formatCoordinate(values.longitude),
      telephone: values.telephone ?? '',
      courriels: values.courriels.join(', '),
      site_web: values.site_web.join(', '),
      prise_rdv: values.prise_rdv ?? '',
      fiche_acces_libre: values.fiche_acces_libre ?? '',
      structure_parente: values.structure_parente ?? '',
      autres_formations_labels: values.autres_formations_labels.join(', '),
      horaires_osm: values.horaires ?? '',
    },
    choices: Object.fromEntries(CHOICE_FIELD_NAMES.map((f) => [f, [...values[f]]])) as Record<
      ChoiceField,
      string[]
    >,
    hoursMode: grid ? 'grille' : 'avance',
    grid: DAYS.map((_, d) => {
      const ranges = grid?.grid[d] ?? [];
      return [ranges[0]?.[0] ?? '', ranges[0]?.[1] ?? '', ranges[1]?.[0] ?? '', ranges[1]?.[1] ?? ''];
    }),
    holidaysClosed: grid?.holidaysClosed ?? false,
    closures: [
      ...currentClosures(values.closures, today).map((c) => ({
        debut: frenchDate(c.starts_on),
        fin: frenchDate(c.ends_on),
        motif: c.reason ?? '',
        retirer: false,
      })),
      ...Array.from({ length: NEW_CLOSURE_ROWS }, blankClosure),
    ],
  };
}

type Body = Record<string, unknown>;

function firstString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return firstString(value[0]);
  return '';
}

function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Form field names of the grid: `h-lundi-1-de`, `h-lundi-1-a`, `h-lundi-2-de`, `h-lundi-2-a`. */
export function gridFieldId(day: number, slot: number): string {
  const name = DAYS[day]?.key ?? 'jour';
  return `h-${name}-${Math.floor(slot / 2) + 1}-${slot % 2 === 0 ? 'de' : 'a'}`;
}

export function closureFieldId(row: number, part: 'debut' | 'fin' | 'motif' | 'retirer'): string {
  return `fermeture-${row + 1}-${part}`;
}

/** Reads a posted form (parseBody with `all: true`) as typed. Unknown keys are ignored. */
export function readEditForm(body: Body): EditForm {
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, firstString(body[f])])) as Record<
    TextField,
    string
  >;
  const choices = Object.fromEntries(
    CHOICE_FIELD_NAMES.map((f) => [f, [...new Set(allStrings(body[f]))].slice(0, CHOICE_FIELDS[f].length)]),
  ) as Record<ChoiceField, string[]>;
  const rows = Math.min(
    Math.max(Number.parseInt(firstString(body.fermetures), 10) || 0, 0),
    MAX_CLOSURES + 5,
  );
  const closures: ClosureRow[] = [];
  for (let i = 0; i < rows; i++) {
    closures.push({
      debut: firstString(body[closureFieldId(i, 'debut')]),
      fin: firstString(body[closureFieldId(i, 'fin')]),
      motif: firstString(body[closureFieldId(i, 'motif')]),
      retirer: firstString(body[closureFieldId(i, 'retirer')]) === 'oui',
    });
  }
  return {
    text,
    choices,
    hoursMode: firstString(body.horaires_mode) === 'avance' ? 'avance' : 'grille',
    grid: DAYS.map((_, d) => [0, 1, 2, 3].map((slot) => firstString(body[gridFieldId(d, slot)]))),
    holidaysClosed: firstString(body.feries_fermes) === 'oui',
    closures,
  };
}

/** The labels of the form's fields, also used in messages ("Le nom du lieu…"). */
export const FIELD_LABELS: Readonly<Record<TextField, string>> = {
  nom: 'Nom du lieu',
  presentation_resume: 'Présentation courte',
  presentation_detail: 'Présentation détaillée',
  adresse: 'Adresse',
  complement_adresse: "Complément d'adresse",
  code_postal: 'Code postal',
  commune: 'Commune',
  latitude: 'Latitude',
  longitude: 'Longitude',
  telephone: 'Téléphone',
  courriels: 'Adresses e-mail',
  site_web: 'Sites web',
  prise_rdv: 'Adresse web pour prendre rendez-vous',
  fiche_acces_libre: 'Fiche Accès libre (accessibilité du lieu)',
  structure_parente: 'Structure parente',
  autres_formations_labels: 'Autres formations et labels',
  horaires_osm: 'Horaires au format OpenStreetMap',
};

/** Limits in characters (the résumé's is the schema's). */
export const MAX_LENGTHS: Readonly<Record<TextField, number>> = {
  nom: 150,
  presentation_resume: PRESENTATION_RESUME_MAX_LENGTH,
  presentation_detail: 5000,
  adresse: 200,
  complement_adresse: 200,
  code_postal: 10,
  commune: 100,
  latitude: 30,
  longitude: 30,
  telephone: 30,
  courriels: 1000,
  site_web: 1000,
  prise_rdv: 500,
  fiche_acces_libre: 500,
  structure_parente: 200,
  autres_formations_labels: 1000,
  horaires_osm: 500,
};
export const MAX_REASON_LENGTH = 200;
const MAX_EMAILS = 10;
const MAX_WEBSITES = 5;
const MAX_OTHER_LABELS = 20;

export type FieldErrors = Record<string, string>;

/** Values checked by the form; the position is resolved by the service (by hand, geocoder, commune). */
export type CheckedValues = Omit<PlaceValues, 'pivot' | 'latitude' | 'longitude' | 'position_approximate'>;

export type FormCheck =
  | { ok: true; values: CheckedValues; position: { latitude: number | null; longitude: number | null } }
  | { ok: false; errors: FieldErrors };

function characters(text: string): number {
  return Array.from(text).length;
}

/** A field of the form: one line, or a text area's lines kept (the shared rule of src/shared/text.ts). */
export function cleanInput(text: string, multiline: boolean): string {
  return multiline ? cleanMultiline(text) : cleanLine(text);
}

const ORDINAL = ['1re', '2e'];

/**
 * Checks the whole form and returns the proposal's values, or one French message per faulty field
 * (naming the field and what was typed). `today` is the place's local date, for closures.
 */
export function checkEditForm(form: EditForm, today: string): FormCheck {
  const errors: FieldErrors = {};
  const fail = (id: string, message: string) => {
    errors[id] ??= message;
  };
  const text = (field: TextField, multiline = false): string => {
    const value = cleanInput(form.text[field], multiline);
    const length = characters(value);
    if (length > MAX_LENGTHS[field])
      fail(
        field,
        `${FIELD_LABELS[field]} : ${length} caractères, c'est trop. ${MAX_LENGTHS[field]} caractères au plus.`,
      );
    return value;
  };
  const required = (field: TextField): string => {
    const value = text(field);
    if (value === '') fail(field, `${FIELD_LABELS[field]} : ce champ est obligatoire.`);
    return value;
  };
  const optional = (value: string): string | null => (value === '' ? null : value);

  const nom = required('nom');
  const resume = optional(text('presentation_resume', true));
  const detail = optional(text('presentation_detail', true));
  const adresse = required('adresse');
  const complement = optional(text('complement_adresse'));
  const structureParente = optional(text('structure_parente'));

  // Postcode and commune: the INSEE code follows from them, as the search by commune needs it.
  const postcodeText = required('code_postal');
  const commune = required('commune');
  let codeInsee: string | null = null;
  const postcode = normalizePostcode(postcodeText) ?? postcodeText.replace(/\s/g, '');
  if (postcodeText !== '' && !isPostcode(postcode)) {
    fail(
      'code_postal',
      `Code postal : « ${postcodeText} » n'est pas valide. Il a 5 chiffres, par exemple 45000.`,
    );
  } else if (postcode !== '' && commune !== '') {
    const found = resolveCommune(postcode, commune);
    if (found.status === 'found' || found.status === 'postcode-only') codeInsee = found.code;
    else if (found.status === 'name-only')
      fail(
        'code_postal',
        `Code postal : ${postcode} n'est pas un code postal de ${found.nom}. Vérifiez le code postal ou la commune.`,
      );
    else if (found.status === 'ambiguous')
      fail(
        'commune',
        `Commune : « ${commune} » peut désigner plusieurs communes du code postal ${postcode} (${found.candidates
          .slice(0, 5)
          .map((c) => c.nom)
          .join(', ')}). Écrivez le nom exact.`,
      );
    else
      fail(
        'commune',
        `Commune : aucune commune « ${commune} » n'a le code postal ${postcode}. Vérifiez la commune et le code postal.`,
      );
  }

  // Position: numbers with a point (or a French comma), in range, both or none.
  const coordinate = (field: 'latitude' | 'longitude', limit: number): number | null => {
    const value = text(field);
    if (value === '') return null;
    const normalized = value.replace(/\s/g, '').replace(/^([+-]?\d+),(\d+)$/, '$1.$2');
    if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(normalized)) {
      fail(
        field,
        `${FIELD_LABELS[field]} : « ${value} » n'est pas un nombre. Écrivez par exemple ${field === 'latitude' ? '47.9029' : '1.9039'}.`,
      );
      return null;
    }
    const n = Number(normalized);
    if (!Number.isFinite(n) || n < -limit || n > limit) {
      fail(
        field,
        `${FIELD_LABELS[field]} : « ${value} » est hors limites. Elle doit être entre -${limit} et ${limit}.`,
      );
      return null;
    }
    return n;
  };
  const latitude = coordinate('latitude', 90);
  const longitude = coordinate('longitude', 180);
  if ((latitude === null) !== (longitude === null) && !errors.latitude && !errors.longitude) {
    const missing = latitude === null ? 'latitude' : 'longitude';
    fail(
      missing,
      `${FIELD_LABELS[missing]} : indiquez la latitude et la longitude, ou laissez les deux vides.`,
    );
  }

  // Contact.
  const phoneText = text('telephone');
  let telephone: string | null = null;
  if (phoneText !== '') {
    telephone = normalizePhone(phoneText);
    if (telephone === null)
      fail(
        'telephone',
        `Téléphone : « ${phoneText} » n'est pas un numéro reconnu. Écrivez un seul numéro français, par exemple 02 38 00 00 00.`,
      );
  }
  const list = (value: string) =>
    value
      .split(/[,;\s]+/)
      .map((v) => v.trim())
      .filter((v) => v !== '');
  const courriels: string[] = [];
  for (const item of list(text('courriels'))) {
    const email = parseEmail(item);
    if (email === null) {
      fail(
        'courriels',
        `Adresses e-mail : « ${item} » n'est pas une adresse valide. Exemple : contact@exemple.fr.`,
      );
    } else if (!courriels.includes(email)) courriels.push(email);
  }
  if (courriels.length > MAX_EMAILS)
    fail('courriels', `Adresses e-mail : ${courriels.length} adresses, c'est trop. ${MAX_EMAILS} au plus.`);
  const url = (field: 'site_web' | 'prise_rdv' | 'fiche_acces_libre', item: string): string | null => {
    const normalized = normalizeUrl(item);
    if (normalized === null)
      fail(
        field,
        `${FIELD_LABELS[field]} : « ${item} » n'est pas une adresse web valide. Exemple : https://exemple.fr.`,
      );
    return normalized;
  };
  const siteWeb: string[] = [];
  for (const item of list(text('site_web'))) {
    const u = url('site_web', item);
    if (u !== null && !siteWeb.includes(u)) siteWeb.push(u);
  }
  if (siteWeb.length > MAX_WEBSITES)
    fail('site_web', `Sites web : ${siteWeb.length} adresses, c'est trop. ${MAX_WEBSITES} au plus.`);
  const rdvText = text('prise_rdv');
  const priseRdv = rdvText === '' ? null : url('prise_rdv', rdvText);
  const ficheText = text('fiche_acces_libre');
  const ficheAccesLibre = ficheText === '' ? null : url('fiche_acces_libre', ficheText);

  // Choices: only the schema's values.
  const choices = {} as Record<ChoiceField, string[]>;
  for (const field of CHOICE_FIELD_NAMES) {
    const allowed = CHOICE_FIELDS[field];
    const unknown = form.choices[field].find((v) => !allowed.includes(v));
    if (unknown !== undefined)
      fail(
        field,
        `La valeur « ${unknown} » n'existe pas dans la liste. Choisissez parmi les cases proposées.`,
      );
    // The schema's order, whatever the order of the request.
    choices[field] = allowed.filter((v) => form.choices[field].includes(v));
  }
  const otherLabels: string[] = [];
  for (const item of text('autres_formations_labels').split(/[,;|]/)) {
    const label = item.trim();
    if (label !== '' && !otherLabels.includes(label)) otherLabels.push(label);
  }
  if (otherLabels.length > MAX_OTHER_LABELS)
    fail(
      'autres_formations_labels',
      `Autres formations et labels : ${otherLabels.length} valeurs, c'est trop. ${MAX_OTHER_LABELS} au plus.`,
    );

  const horaires = checkHours(form, fail, text);
  const closures = checkClosures(form.closures, today, fail);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    position: { latitude, longitude },
    values: {
      nom,
      commune,
      code_postal: postcode,
      code_insee: codeInsee,
      adresse,
      complement_adresse: complement,
      typologie: choices.typologie,
      telephone,
      courriels,
      site_web: siteWeb,
      horaires,
      presentation_resume: resume,
      presentation_detail: detail,
      itinerance: choices.itinerance,
      structure_parente: structureParente,
      services: choices.services,
      publics_specifiquement_adresses: choices.publics_specifiquement_adresses,
      prise_en_charge_specifique: choices.prise_en_charge_specifique,
      frais_a_charge: choices.frais_a_charge,
      dispositif_programmes_nationaux: choices.dispositif_programmes_nationaux,
      formations_labels: choices.formations_labels,
      autres_formations_labels: otherLabels,
      modalites_acces: choices.modalites_acces,
      modalites_accompagnement: choices.modalites_accompagnement,
      fiche_acces_libre: ficheAccesLibre,
      prise_rdv: priseRdv,
      closures,
    },
  };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function checkHours(
  form: EditForm,
  fail: (id: string, message: string) => void,
  text: (field: TextField, multiline?: boolean) => string,
): string | null {
  if (form.hoursMode === 'avance') {
    const raw = form.text.horaires_osm;
    if (/[\r\n]/.test(raw.trim())) {
      fail(
        'horaires_osm',
        'Horaires au format OpenStreetMap : écrivez-les sur une seule ligne, les règles séparées par « ; ».',
      );
      return null;
    }
    const value = text('horaires_osm');
    if (value === '') return null;
    const osm = checkOsmHours(value);
    if (!osm.ok) {
      fail(
        'horaires_osm',
        `Horaires au format OpenStreetMap : « ${value} » n'est pas valide.${osm.suggestion ? ` Vouliez-vous écrire « ${osm.suggestion} » ?` : ''} Exemple : Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00. Vous pouvez aussi utiliser la grille.`,
      );
      return null;
    }
    return value;
  }
  const grid: WeekGrid = [];
  let failed = false;
  DAYS.forEach((day, d) => {
    const typed = form.grid[d] ?? [];
    const ranges: [string, string][] = [];
    const dayName = capitalize(day.key);
    for (let r = 0; r < MAX_RANGES_PER_DAY; r++) {
      const fromText = (typed[r * 2] ?? '').trim();
      const toText = (typed[r * 2 + 1] ?? '').trim();
      if (fromText === '' && toText === '') continue;
      const where = `${dayName}, ${ORDINAL[r]} plage`;
      const fromId = gridFieldId(d, r * 2);
      const toId = gridFieldId(d, r * 2 + 1);
      if (fromText === '') {
        fail(fromId, `${where} : indiquez l'heure d'ouverture.`);
        failed = true;
        continue;
      }
      if (toText === '') {
        fail(toId, `${where} : indiquez l'heure de fermeture.`);
        failed = true;
        continue;
      }
      const from = parseTimeInput(fromText);
      const to = parseTimeInput(toText);
      if (from === null || from === '24:00') {
        fail(fromId, `${where} : « ${fromText} » n'est pas une heure. Écrivez-la comme 09:00 ou 14:30.`);
        failed = true;
        continue;
      }
      if (to === null) {
        fail(toId, `${where} : « ${toText} » n'est pas une heure. Écrivez-la comme 12:00 ou 17:30.`);
        failed = true;
        continue;
      }
      if (minutes(to) <= minutes(from)) {
        fail(toId, `${where} : la fermeture (${to}) doit être après l'ouverture (${from}).`);
        failed = true;
        continue;
      }
      const previous = ranges[ranges.length - 1];
      if (previous && minutes(from) < minutes(previous[1])) {
        fail(
          fromId,
          `${where} : elle doit commencer après la fin de la 1re plage (${previous[1]}). Mettez les plages dans l'ordre de la journée.`,
        );
        failed = true;
        continue;
      }
      ranges.push([from, to]);
    }
    grid.push(ranges);
  });
  if (failed) return null;
  return gridToOsm({ grid, holidaysClosed: form.holidaysClosed });
}

const MAX_CLOSURE_DAYS = 366;
const MAX_CLOSURE_PAST_DAYS = 365;

function checkClosures(
  rows: readonly ClosureRow[],
  today: string,
  fail: (id: string, message: string) => void,
): ClosureValue[] {
  const closures: ClosureValue[] = [];
  rows.forEach((row, i) => {
    if (row.retirer) return;
    const debutText = row.debut.trim();
    const finText = row.fin.trim();
    const reason = cleanInput(row.motif, false);
    if (debutText === '' && finText === '' && reason === '') return;
    const n = `Fermeture n° ${i + 1}`;
    if (debutText === '') {
      fail(closureFieldId(i, 'debut'), `${n} : indiquez le premier jour de fermeture.`);
      return;
    }
    const startsOn = parseDateInput(debutText);
    if (startsOn === null) {
      fail(
        closureFieldId(i, 'debut'),
        `${n} : le premier jour « ${debutText} » n'est pas une date. Écrivez-la comme 01/08/2025.`,
      );
      return;
    }
    // One day only: the last day may be left empty.
    const endsOn = finText === '' ? startsOn : parseDateInput(finText);
    if (endsOn === null) {
      fail(
        closureFieldId(i, 'fin'),
        `${n} : le dernier jour « ${finText} » n'est pas une date. Écrivez-la comme 15/08/2025.`,
      );
      return;
    }
    if (endsOn < startsOn) {
      fail(
        closureFieldId(i, 'fin'),
        `${n} : le dernier jour (${formatDay(endsOn)}) est avant le premier (${formatDay(startsOn)}).`,
      );
      return;
    }
    if (endsOn < today) {
      fail(
        closureFieldId(i, 'fin'),
        `${n} : elle se termine le ${formatDay(endsOn)}, une date déjà passée. Corrigez la date ou retirez cette fermeture.`,
      );
      return;
    }
    if (startsOn < addDays(today, -MAX_CLOSURE_PAST_DAYS)) {
      fail(
        closureFieldId(i, 'debut'),
        `${n} : le premier jour (${formatDay(startsOn)}) est il y a plus d'un an. Indiquez la date du début de la fermeture en cours.`,
      );
      return;
    }
    if (endsOn > addDays(startsOn, MAX_CLOSURE_DAYS - 1)) {
      fail(
        closureFieldId(i, 'fin'),
        `${n} : plus d'un an de fermeture n'est pas une fermeture temporaire. Si le lieu ferme, signalez-le à la coordination.`,
      );
      return;
    }
    if (characters(reason) > MAX_REASON_LENGTH) {
      fail(
        closureFieldId(i, 'motif'),
        `${n} : le motif fait ${characters(reason)} caractères. ${MAX_REASON_LENGTH} caractères au plus.`,
      );
      return;
    }
    closures.push({ starts_on: startsOn, ends_on: endsOn, reason: reason === '' ? null : reason });
  });
  if (closures.length > MAX_CLOSURES)
    fail(closureFieldId(0, 'debut'), `Fermetures : ${closures.length}, c'est trop. ${MAX_CLOSURES} au plus.`);
  return sortClosures(closures);
}
