import OpeningHours from 'opening_hours';
import { resolveCommune } from '../communes/commune-resolution.ts';
import { isPostcode, normalizePostcode } from '../shared/commune-codes.ts';
import { parseEmail } from '../shared/email.ts';
import { normalizePhone } from '../shared/phone.ts';
import { cleanLine, cleanMultiline } from '../shared/text.ts';
import type { PlaceData } from './places.ts';
import { normalizeUrl } from './places-cells.ts';
import { SCHEMA_FIELDS, type SchemaField } from './schema-fields.ts';
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
 * Editing a place by its structure's members, pure: the values a proposal carries (the
 * national schema's fields by their schema names, plus temporary closures), the edit form read and
 * checked field by field with French messages, the weekly grid of opening hours and its OSM text, and
 * the comparison of two versions for the coordinator. No database, no HTTP.
 */

/** A temporary closure, both days included, in the place's local dates ('YYYY-MM-DD'). */
export interface ClosureValue {
  starts_on: string;
  ends_on: string;
  reason: string | null;
}

/** A place's public values as a proposal stores them: schema names, plus our position flag and closures. */
export interface PlaceValues {
  nom: string;
  pivot: string;
  commune: string;
  code_postal: string;
  code_insee: string | null;
  adresse: string;
  complement_adresse: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Not a schema field: the position is the commune's reference point, not the place's own. */
  position_approximate: boolean;
  typologie: string[];
  telephone: string | null;
  courriels: string[];
  site_web: string[];
  horaires: string | null;
  presentation_resume: string | null;
  presentation_detail: string | null;
  itinerance: string[];
  structure_parente: string | null;
  services: string[];
  publics_specifiquement_adresses: string[];
  prise_en_charge_specifique: string[];
  frais_a_charge: string[];
  dispositif_programmes_nationaux: string[];
  formations_labels: string[];
  autres_formations_labels: string[];
  modalites_acces: string[];
  modalites_accompagnement: string[];
  fiche_acces_libre: string | null;
  prise_rdv: string | null;
  closures: ClosureValue[];
}

export type ValueKey = keyof PlaceValues;

/** PlaceData key of each schema-named value (closures live in their own table). */
const DATA_KEYS = {
  nom: 'nom',
  pivot: 'pivot',
  commune: 'commune',
  code_postal: 'codePostal',
  code_insee: 'codeInsee',
  adresse: 'adresse',
  complement_adresse: 'complementAdresse',
  latitude: 'latitude',
  longitude: 'longitude',
  position_approximate: 'positionApproximate',
  typologie: 'typologie',
  telephone: 'telephone',
  courriels: 'courriels',
  site_web: 'siteWeb',
  horaires: 'horaires',
  presentation_resume: 'presentationResume',
  presentation_detail: 'presentationDetail',
  itinerance: 'itinerance',
  structure_parente: 'structureParente',
  services: 'services',
  publics_specifiquement_adresses: 'publicsSpecifiquementAdresses',
  prise_en_charge_specifique: 'priseEnChargeSpecifique',
  frais_a_charge: 'fraisACharge',
  dispositif_programmes_nationaux: 'dispositifProgrammesNationaux',
  formations_labels: 'formationsLabels',
  autres_formations_labels: 'autresFormationsLabels',
  modalites_acces: 'modalitesAcces',
  modalites_accompagnement: 'modalitesAccompagnement',
  fiche_acces_libre: 'ficheAccesLibre',
  prise_rdv: 'priseRdv',
} as const satisfies Record<Exclude<ValueKey, 'closures'>, keyof PlaceData>;

export const VALUE_KEYS = [
  ...(Object.keys(DATA_KEYS) as Exclude<ValueKey, 'closures'>[]),
  'closures',
] as const;

/** A place's current values (and its closures still running or to come) in the proposal's shape. */
export function valuesOfPlace(place: PlaceData, closures: readonly ClosureValue[]): PlaceValues {
  const values = Object.fromEntries(
    Object.entries(DATA_KEYS).map(([key, dataKey]) => {
      const value = place[dataKey];
      return [key, Array.isArray(value) ? [...value] : value];
    }),
  ) as unknown as Omit<PlaceValues, 'closures'>;
  return { ...values, closures: sortClosures(closures) };
}

/** The PlaceData fields to write for some values (closures excluded: they have their own table). */
export function placeDataPatch(values: Partial<PlaceValues>): Partial<PlaceData> {
  const patch: Record<string, unknown> = {};
  for (const [key, dataKey] of Object.entries(DATA_KEYS)) {
    if (key in values) patch[dataKey] = values[key as keyof typeof DATA_KEYS];
  }
  return patch as Partial<PlaceData>;
}

/**
 * Reads a stored proposal (JSON) back, tolerating keys added or removed since: a missing key takes the
 * fallback's value, so that an old proposal never breaks the moderation page.
 */
export function readStoredValues(stored: unknown, fallback: PlaceValues): PlaceValues {
  const source = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  const out = { ...fallback } as Record<string, unknown>;
  for (const key of VALUE_KEYS) if (key in source) out[key] = source[key];
  const closures = Array.isArray(out.closures) ? (out.closures as ClosureValue[]) : [];
  return { ...(out as unknown as PlaceValues), closures: sortClosures(closures) };
}

function sortClosures(closures: readonly ClosureValue[]): ClosureValue[] {
  return [...closures]
    .map((c) => ({ starts_on: c.starts_on, ends_on: c.ends_on, reason: c.reason ?? null }))
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on) || a.ends_on.localeCompare(b.ends_on));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The keys whose value differs between two versions. */
export function changedKeys(from: PlaceValues, to: PlaceValues): ValueKey[] {
  return VALUE_KEYS.filter((key) => !same(from[key], to[key]));
}

/**
 * What approving gives: the current public values with only the fields the proposer changed (compared
 * with the values they started from) replaced, so that a change made meanwhile to another field (an
 * import, another approved proposal) is not undone.
 */
export function mergeProposal(current: PlaceValues, base: PlaceValues, proposed: PlaceValues): PlaceValues {
  const merged = { ...current } as Record<string, unknown>;
  for (const key of changedKeys(base, proposed)) merged[key] = proposed[key];
  return merged as unknown as PlaceValues;
}

// ---------------------------------------------------------------------------------------------------------
// Dates.
// ---------------------------------------------------------------------------------------------------------

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date ('YYYY-MM-DD') where the place is (Europe/Paris unless told otherwise). */
export function localToday(now: Date, timeZone = 'Europe/Paris'): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(now);
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** '2025-08-01' → '01/08/2025', as people write dates (and as the form shows them). */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** A date typed in a form: 'YYYY-MM-DD' (date fields) or 'JJ/MM/AAAA'; null when it is not a real date. */
export function parseDateInput(text: string): string | null {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  let year: number;
  let month: number;
  let day: number;
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (fr) [day, month, year] = [Number(fr[1]), Number(fr[2]), Number(fr[3])];
  else return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** '2025-08-01' → '1er août 2025' ('1er août' without the year). */
export function formatDay(iso: string, withYear = true): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d === 1 ? '1er' : d} ${MONTHS[m - 1] ?? ''}${withYear ? ` ${y}` : ''}`;
}

/**
 * A closure's period in words: "du 1er au 15 août", "du 28 juillet au 3 août", "le 14 juillet"; the
 * year is written when the period is not within the current year.
 */
export function formatClosurePeriod(startsOn: string, endsOn: string, today: string): string {
  const year = today.slice(0, 4);
  const withYear = startsOn.slice(0, 4) !== year || endsOn.slice(0, 4) !== year;
  if (startsOn === endsOn) return `le ${formatDay(startsOn, withYear)}`;
  if (startsOn.slice(0, 7) === endsOn.slice(0, 7)) {
    const d = Number(startsOn.slice(8, 10));
    return `du ${d === 1 ? '1er' : d} au ${formatDay(endsOn, withYear)}`;
  }
  const sameYear = startsOn.slice(0, 4) === endsOn.slice(0, 4);
  return `du ${formatDay(startsOn, withYear && !sameYear)} au ${formatDay(endsOn, withYear)}`;
}

/** Closures that are not over on `today` (running or to come), soonest first. */
export function currentClosures(closures: readonly ClosureValue[], today: string): ClosureValue[] {
  return sortClosures(closures).filter((c) => c.ends_on >= today);
}

// ---------------------------------------------------------------------------------------------------------
// The weekly grid of opening hours and its OpenStreetMap text.
// ---------------------------------------------------------------------------------------------------------

export const DAYS = [
  { key: 'lundi', osm: 'Mo' },
  { key: 'mardi', osm: 'Tu' },
  { key: 'mercredi', osm: 'We' },
  { key: 'jeudi', osm: 'Th' },
  { key: 'vendredi', osm: 'Fr' },
  { key: 'samedi', osm: 'Sa' },
  { key: 'dimanche', osm: 'Su' },
] as const;

/** Each day (Monday first): 0, 1 or 2 time ranges ['09:00', '12:00'], in order, not overlapping. */
export type WeekGrid = [string, string][][];

export interface GridHours {
  grid: WeekGrid;
  /** `PH off`: closed on public holidays. */
  holidaysClosed: boolean;
}

const MAX_RANGES_PER_DAY = 2;

function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** "9", "9h", "9 h 30", "09:30", "9.30" → "09:30"; null when it is not a time of day. `24:00` ends a day. */
export function parseTimeInput(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  const m = /^(\d{1,2})(?:[:h.](\d{2})?)?$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

function parseDays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^\s*(Mo|Tu|We|Th|Fr|Sa|Su)\s*(?:-\s*(Mo|Tu|We|Th|Fr|Sa|Su))?\s*$/.exec(part);
    if (!range) return null;
    const from = DAYS.findIndex((d) => d.osm === range[1]);
    const to = range[2] ? DAYS.findIndex((d) => d.osm === range[2]) : from;
    if (to < from) return null; // "Sa-Mo" wraps the week: left to the advanced field
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days];
}

function parseRanges(text: string): [string, string][] | null {
  const ranges: [string, string][] = [];
  for (const part of text.split(',')) {
    const r = /^\s*(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$/.exec(part);
    if (!r) return null;
    const from = parseTimeInput(r[1] ?? '');
    const to = parseTimeInput(r[2] ?? '');
    if (!from || !to || from === '24:00' || minutes(to) <= minutes(from)) return null;
    ranges.push([from, to]);
  }
  return ranges;
}

function openIntervals(osm: string): string | null {
  try {
    const oh = new OpeningHours(osm, null);
    // A fixed week without a French public holiday (the process runs in UTC: local fields are wall clock).
    return JSON.stringify(
      oh
        .getOpenIntervals(new Date(2024, 0, 8), new Date(2024, 0, 15))
        .map(([a, b]) => [a.getTime(), b.getTime()]),
    );
  } catch {
    return null;
  }
}

/** The OSM text of a grid: days with the same hours grouped ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"). */
export function gridToOsm(hours: GridHours): string | null {
  const texts = hours.grid.map((ranges) => ranges.map(([a, b]) => `${a}-${b}`).join(','));
  const rules: { first: number; text: string }[] = [];
  const done = new Set<string>();
  texts.forEach((text, day) => {
    if (text === '' || done.has(text)) return;
    done.add(text);
    const days = texts.flatMap((t, d) => (t === text ? [d] : []));
    const parts: string[] = [];
    for (let i = 0; i < days.length; ) {
      let j = i;
      while (j + 1 < days.length && (days[j + 1] as number) === (days[j] as number) + 1) j++;
      const from = DAYS[days[i] as number]?.osm;
      const to = DAYS[days[j] as number]?.osm;
      parts.push(j === i ? `${from}` : `${from}-${to}`);
      i = j + 1;
    }
    rules.push({ first: day, text: `${parts.join(',')} ${text}` });
  });
  if (rules.length === 0) return null;
  const osm = rules.map((r) => r.text).join('; ');
  return hours.holidaysClosed ? `${osm}; PH off` : osm;
}

/**
 * The grid of an OSM text, when the grid can say exactly the same thing: plain weekly rules (days and at
 * most two time ranges a day, later rules replacing earlier ones for their days, `off`, and a final
 * `PH off`). Anything else (alternating weeks, months, comments, overnight ranges…) is null: the text
 * is kept as it is and edited in the advanced field.
 */
export function osmToGrid(osm: string | null): GridHours | null {
  const empty = (): WeekGrid => DAYS.map(() => []);
  if (osm === null || osm.trim() === '') return { grid: empty(), holidaysClosed: false };
  const grid = empty();
  let holidaysClosed = false;
  const rules = osm
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  for (const [i, rule] of rules.entries()) {
    if (/^PH\s+(off|closed)$/i.test(rule)) {
      if (i !== rules.length - 1) return null;
      holidaysClosed = true;
      continue;
    }
    const m = /^([A-Za-z,\s-]+?)\s+(off|closed|\d.*)$/.exec(rule);
    if (!m) return null;
    const days = parseDays(m[1] ?? '');
    if (!days) return null;
    const ranges = /^(off|closed)$/.test(m[2] ?? '') ? [] : parseRanges(m[2] ?? '');
    if (!ranges || ranges.length > MAX_RANGES_PER_DAY) return null;
    const sorted = [...ranges].sort((a, b) => minutes(a[0]) - minutes(b[0]));
    if (sorted.some((r, k) => k > 0 && minutes(r[0]) < minutes((sorted[k - 1] as [string, string])[1])))
      return null;
    for (const d of days) grid[d] = sorted.map((r) => [...r] as [string, string]);
  }
  const hours = { grid, holidaysClosed };
  // The grid must mean exactly what the text means over an ordinary week.
  const again = gridToOsm(hours);
  if (again === null) return rules.every((r) => /^PH\s+(off|closed)$/i.test(r)) ? hours : null;
  const original = openIntervals(osm);
  if (original === null || original !== openIntervals(again)) return null;
  return hours;
}

/**
 * Whether the opening_hours library (the OSM reference) reads the text without error nor warning (it
 * reads "lundi 9h-12h" with warnings: a typed value must be the standard form). `suggestion` is the
 * library's standard writing of what it understood, when it understood something.
 */
export function checkOsmHours(text: string): { ok: boolean; suggestion: string | null } {
  try {
    const oh = new OpeningHours(text, null);
    if (oh.getWarnings().length === 0) return { ok: true, suggestion: null };
    const pretty = oh.prettifyValue();
    return { ok: false, suggestion: pretty && pretty !== text ? pretty : null };
  } catch {
    return { ok: false, suggestion: null };
  }
}

// ---------------------------------------------------------------------------------------------------------
// The edit form.
// ---------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------
// Comparing two versions, for the coordinator.
// ---------------------------------------------------------------------------------------------------------

/** French names of the national schema's fields (and of our position flag). */
export const SCHEMA_LABELS: Readonly<Record<SchemaField | 'position_approximate', string>> = {
  id: 'Identifiant',
  pivot: 'SIRET / RNA de la structure',
  nom: 'Nom du lieu',
  commune: 'Commune',
  code_postal: 'Code postal',
  code_insee: 'Code INSEE de la commune',
  adresse: 'Adresse',
  complement_adresse: "Complément d'adresse",
  latitude: 'Latitude',
  longitude: 'Longitude',
  position_approximate: 'Position approximative',
  typologie: 'Type de lieu',
  telephone: 'Téléphone',
  courriels: 'Adresses e-mail',
  site_web: 'Sites web',
  horaires: 'Horaires (format OpenStreetMap)',
  presentation_resume: 'Présentation courte',
  presentation_detail: 'Présentation détaillée',
  source: 'Source des données',
  itinerance: 'Itinérance',
  structure_parente: 'Structure parente',
  date_maj: 'Date de mise à jour',
  services: 'Services',
  publics_specifiquement_adresses: 'Publics accueillis en particulier',
  prise_en_charge_specifique: 'Accueil adapté',
  frais_a_charge: 'Frais',
  dispositif_programmes_nationaux: 'Dispositifs et programmes nationaux',
  formations_labels: 'Formations et labels',
  autres_formations_labels: 'Autres formations et labels',
  modalites_acces: "Comment venir (modalités d'accès)",
  modalites_accompagnement: "Comment on aide (modalités d'accompagnement)",
  fiche_acces_libre: 'Fiche Accès libre',
  prise_rdv: 'Prise de rendez-vous en ligne',
};

export interface DiffRow {
  field: SchemaField | 'position_approximate';
  label: string;
  list: boolean;
  current: string[];
  proposed: string[];
  changed: boolean;
  /** Lists: items only in the proposal, items only in the current version. */
  added: string[];
  removed: string[];
}

function displayItems(key: ValueKey, value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value))
    return value.map((v) => (key === 'typologie' ? `${describeTypology(String(v))} (${v})` : String(v)));
  if (typeof value === 'boolean') return [value ? 'oui' : 'non'];
  return [String(value)];
}

/**
 * Every field of the national schema (in the schema's order, with our position flag after the
 * longitude), current value beside the value after approval; lists compared item by item. `meta` gives
 * the fields a proposal does not carry (identifier, source, dates).
 */
export function diffRows(
  current: PlaceValues,
  proposed: PlaceValues,
  meta: { id: string; source: string; dateMaj: string | null; proposedDateMaj: string },
): DiffRow[] {
  const fields: (SchemaField | 'position_approximate')[] = [];
  for (const f of SCHEMA_FIELDS) {
    fields.push(f);
    if (f === 'longitude') fields.push('position_approximate');
  }
  return fields.map((field) => {
    let before: string[];
    let after: string[];
    let list = false;
    if (field === 'id' || field === 'source') {
      before = [meta[field]];
      after = [meta[field]];
    } else if (field === 'date_maj') {
      before = meta.dateMaj ? [meta.dateMaj] : [];
      after = [meta.proposedDateMaj];
    } else {
      list = Array.isArray(current[field]);
      before = displayItems(field, current[field]);
      after = displayItems(field, proposed[field]);
    }
    const changed = JSON.stringify(before) !== JSON.stringify(after);
    return {
      field,
      label: SCHEMA_LABELS[field],
      list,
      current: before,
      proposed: after,
      changed,
      added: list ? after.filter((v) => !before.includes(v)) : [],
      removed: list ? before.filter((v) => !after.includes(v)) : [],
    };
  });
}
