import { normalizePhone } from '../shared/phone.ts';
import { cleanLine, cleanMultiline } from '../shared/text.ts';

/**
 * Volunteers, pure (decision 0044): the fixed lists (skills, half-days, publics, commitments), the
 * network's charter, the forms' checks with French messages naming their field, and the matching
 * order. No database, no HTTP, no process.env.
 */

/** The skills a mission asks and a volunteer offers (JeVeuxAider's `domaines`, narrowed to mediation). */
export const SKILLS = [
  { value: 'accueil', label: 'Accueil et orientation du public' },
  { value: 'demarches', label: 'Aide aux démarches en ligne' },
  { value: 'prise_en_main', label: 'Prise en main d’un ordinateur ou d’un téléphone' },
  { value: 'ateliers', label: 'Animation d’ateliers collectifs' },
  { value: 'reparation', label: 'Réparation et reconditionnement de matériel' },
  { value: 'communication', label: 'Communication, affiches, réseaux sociaux' },
  { value: 'langues', label: 'Langues étrangères, traduction' },
  { value: 'logistique', label: 'Logistique, installation d’une salle' },
] as const;
export type Skill = (typeof SKILLS)[number]['value'];

export const DAYS = [
  { value: 'lun', label: 'Lundi' },
  { value: 'mar', label: 'Mardi' },
  { value: 'mer', label: 'Mercredi' },
  { value: 'jeu', label: 'Jeudi' },
  { value: 'ven', label: 'Vendredi' },
  { value: 'sam', label: 'Samedi' },
  { value: 'dim', label: 'Dimanche' },
] as const;
export const HALF_DAYS = [
  { value: 'matin', label: 'matin' },
  { value: 'apres_midi', label: 'après-midi' },
] as const;
/** The 14 half-days of a week: `lun_matin` … `dim_apres_midi`. */
export const SLOTS: readonly { value: string; label: string }[] = DAYS.flatMap((d) =>
  HALF_DAYS.map((h) => ({ value: `${d.value}_${h.value}`, label: `${d.label} ${h.label}` })),
);
const SLOT_VALUES = new Set(SLOTS.map((s) => s.value));

/** The public a mission serves (JeVeuxAider's `publics_beneficiaires`, one value). */
export const AUDIENCES = [
  { value: 'tous', label: 'Tous publics' },
  { value: 'seniors', label: 'Personnes âgées' },
  { value: 'jeunes', label: 'Jeunes' },
  { value: 'familles', label: 'Familles, parents' },
  { value: 'demandeurs_emploi', label: 'Personnes en recherche d’emploi' },
  { value: 'handicap', label: 'Personnes en situation de handicap' },
  { value: 'allophones', label: 'Personnes qui apprennent le français' },
] as const;
export type Audience = (typeof AUDIENCES)[number]['value'];

export const COMMITMENTS = [
  { value: 'one_off', label: 'Ponctuelle (une ou quelques dates)' },
  { value: 'weekly', label: 'Régulière (quelques heures par semaine)' },
] as const;

export const MISSION_STATE_LABELS = {
  draft: 'à valider par la coordination',
  validated: 'ouverte',
  full: 'complète (liste d’attente)',
  closed: 'terminée',
} as const;

export const MATCH_STATE_LABELS = {
  proposed: 'en attente de réponse',
  accepted: 'acceptée',
  waiting: 'sur liste d’attente',
  declined: 'refusée',
  withdrawn: 'retirée',
} as const;

export const labelOf = (list: readonly { value: string; label: string }[], value: string): string =>
  list.find((x) => x.value === value)?.label ?? value;

/** The network's charter: shown in the sign-up page; its version is recorded with the date accepted. */
export const CHARTER_VERSION = '2026-12';
export const CHARTER: readonly string[] = [
  'J’aide les personnes à faire elles-mêmes, sans faire à leur place, et à leur rythme.',
  'Je ne demande jamais un mot de passe, un code ou un numéro de carte bancaire. Je ne garde aucune donnée des personnes aidées.',
  'Je respecte la confidentialité de ce que je vois et entends pendant la mission.',
  'Je préviens la structure si je ne peux pas venir.',
  'Je suis bénévole : je ne reçois ni ne demande d’argent.',
];

export const MESSAGES = {
  notFoundMission: 'Cette mission n’existe pas ou n’est pas publiée.',
  notFoundMatch: 'Cette proposition n’existe pas.',
  notFoundVolunteer: 'Ce bénévole n’existe pas.',
  tooManySignUps: (max: number) =>
    `Trop d’inscriptions depuis cet appareil (au plus ${max} par heure). Réessayez plus tard, ou écrivez à la coordination du réseau.`,
  emailTaken: (email: string) =>
    `Adresse e-mail : un compte existe déjà avec l’adresse ${email}. Connectez-vous, ou demandez un lien « Mot de passe oublié ».`,
} as const;

export interface Issue {
  field: string;
  message: string;
}

const pick = (values: readonly string[], allowed: ReadonlySet<string>) => [
  ...new Set(values.filter((v) => allowed.has(v))),
];
const SKILL_VALUES: ReadonlySet<string> = new Set(SKILLS.map((s) => s.value));

/** Half-days as stored, in the week's order. */
export function orderSlots(slots: readonly string[]): string[] {
  const chosen = new Set(slots);
  return SLOTS.map((s) => s.value).filter((v) => chosen.has(v));
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
function validDay(text: string): boolean {
  if (!ISO_DAY.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** A mission's form as posted (strings, lists of strings). */
export interface MissionForm {
  structureId: string;
  placeId: string;
  title: string;
  description: string;
  startsOn: string;
  endsOn: string;
  slots: string[];
  skills: string[];
  commitment: string;
  hoursPerWeek: string;
  audience: string;
  seats: string;
}

export interface MissionValues {
  title: string;
  description: string;
  startsOn: string;
  endsOn: string;
  slots: string[];
  skills: Skill[];
  commitment: 'one_off' | 'weekly';
  hoursPerWeek: number | null;
  audience: Audience;
  seats: number;
}

/**
 * Checks a mission's fields (the place is checked by the service, against the directory): every problem
 * at once, each naming its field in French.
 */
export function checkMissionForm(
  form: MissionForm,
): { ok: true; value: MissionValues } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const title = cleanLine(form.title);
  if (title === '') issues.push({ field: 'titre', message: 'Titre : donnez un titre à la mission.' });
  else if (title.length > 120) issues.push({ field: 'titre', message: 'Titre : 120 caractères au plus.' });
  const description = cleanMultiline(form.description);
  if (description === '')
    issues.push({
      field: 'description',
      message: 'Description : dites en quelques mots ce que fera le bénévole.',
    });
  else if (description.length > 3000)
    issues.push({ field: 'description', message: 'Description : 3 000 caractères au plus.' });
  const startsOn = form.startsOn.trim();
  const endsOn = form.endsOn.trim();
  if (!validDay(startsOn))
    issues.push({ field: 'debut', message: 'Date de début : indiquez une date, par exemple 2027-01-15.' });
  if (!validDay(endsOn))
    issues.push({ field: 'fin', message: 'Date de fin : indiquez une date, par exemple 2027-03-31.' });
  else if (validDay(startsOn) && endsOn < startsOn)
    issues.push({
      field: 'fin',
      message: `Date de fin : la fin (${endsOn}) est avant le début (${startsOn}). Indiquez une fin le même jour ou après.`,
    });
  const skills = pick(form.skills, SKILL_VALUES) as Skill[];
  if (skills.length === 0 || skills.length !== new Set(form.skills).size)
    issues.push({
      field: 'competences',
      message: 'Compétences : cochez au moins une compétence de la liste.',
    });
  const slots = orderSlots(pick(form.slots, SLOT_VALUES));
  if (slots.length !== new Set(form.slots).size)
    issues.push({ field: 'creneaux', message: 'Créneaux : choisissez des demi-journées de la liste.' });
  const commitment =
    form.commitment === 'weekly' ? 'weekly' : form.commitment === 'one_off' ? 'one_off' : null;
  if (!commitment)
    issues.push({ field: 'engagement', message: 'Engagement : choisissez ponctuel ou régulier.' });
  let hoursPerWeek: number | null = null;
  if (commitment === 'weekly') {
    const hours = Number(form.hoursPerWeek.trim());
    if (!/^\d{1,2}$/.test(form.hoursPerWeek.trim()) || hours < 1 || hours > 35)
      issues.push({
        field: 'heures',
        message:
          'Heures par semaine : pour une mission régulière, indiquez un nombre d’heures entre 1 et 35.',
      });
    else hoursPerWeek = hours;
  }
  const audience = AUDIENCES.find((a) => a.value === form.audience)?.value;
  if (!audience)
    issues.push({ field: 'public', message: 'Public : choisissez le public de la mission dans la liste.' });
  const seats = Number(form.seats.trim());
  if (!/^\d{1,2}$/.test(form.seats.trim()) || seats < 1 || seats > 50)
    issues.push({
      field: 'places',
      message: 'Nombre de bénévoles : indiquez un nombre entre 1 et 50.',
    });
  if (issues.length > 0 || !commitment || !audience) return { ok: false, issues };
  return {
    ok: true,
    value: {
      title,
      description,
      startsOn,
      endsOn,
      slots,
      skills,
      commitment,
      hoursPerWeek,
      audience,
      seats,
    },
  };
}

/** A volunteer's sign-up form as posted. */
export interface SignUpForm {
  displayName: string;
  email: string;
  phone: string;
  password: string;
  confirmation: string;
  skills: string[];
  availability: string[];
  communes: string;
  charter: boolean;
}

export interface VolunteerValues {
  phone: string | null;
  skills: Skill[];
  availability: string[];
}

/**
 * Checks the volunteer's own fields (the account's fields and the communes are checked by the service):
 * at least one half-day, skills of the list, the charter accepted.
 */
export function checkVolunteerFields(
  form: SignUpForm,
): { ok: true; value: VolunteerValues } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const phoneText = form.phone.trim();
  const phone = phoneText === '' ? null : normalizePhone(phoneText);
  if (phoneText !== '' && phone === null)
    issues.push({
      field: 'telephone',
      message: `Téléphone : « ${phoneText.slice(0, 30)} » n’est pas un numéro de téléphone. Exemple : 06 12 34 56 78 (ou laissez vide).`,
    });
  const skills = pick(form.skills, SKILL_VALUES) as Skill[];
  if (skills.length !== new Set(form.skills).size)
    issues.push({ field: 'competences', message: 'Compétences : choisissez dans la liste.' });
  const availability = orderSlots(pick(form.availability, SLOT_VALUES));
  if (availability.length === 0)
    issues.push({
      field: 'disponibilites',
      message: 'Disponibilités : cochez au moins une demi-journée où vous êtes disponible.',
    });
  else if (availability.length !== new Set(form.availability).size)
    issues.push({
      field: 'disponibilites',
      message: 'Disponibilités : choisissez des demi-journées de la liste.',
    });
  if (!form.charter)
    issues.push({
      field: 'charte',
      message: 'Charte : lisez la charte du réseau et cochez la case pour l’accepter.',
    });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { phone, skills, availability } };
}

/** The communes typed in the sign-up form: separated by commas, semicolons or new lines. */
export function splitCommunes(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .slice(0, 20);
}

/** One candidate of a ranking: a volunteer for a mission, or a mission for a volunteer. */
export interface MatchFigures {
  id: string;
  /** Kilometres between the closest of the volunteer's communes and the mission's place; null unknown. */
  distanceKm: number | null;
  skillsInCommon: number;
  slotsInCommon: number;
}

/** Distance bands: within a band, skills and availability decide; then the exact distance. */
const BANDS_KM = [5, 15, 30] as const;
export function distanceBand(km: number | null): number {
  if (km === null) return BANDS_KM.length + 1;
  const band = BANDS_KM.findIndex((limit) => km <= limit);
  return band === -1 ? BANDS_KM.length : band;
}

/**
 * The matching order (decision 0044): the distance band first (5, 15, 30 km, farther, unknown), then
 * more skills in common, then more half-days in common, then the closer, then the id — the same order
 * on the same data, always.
 */
export function rankMatches<T extends MatchFigures>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      distanceBand(a.distanceKm) - distanceBand(b.distanceKm) ||
      b.skillsInCommon - a.skillsInCommon ||
      b.slotsInCommon - a.slotsInCommon ||
      (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** How many of `a` are in `b`. */
export function inCommon(a: readonly string[], b: readonly string[]): number {
  const set = new Set(b);
  return a.filter((x) => set.has(x)).length;
}

/**
 * The half-days in common of a volunteer and a mission: a mission without a weekly slot (dates to
 * arrange) counts every half-day of the volunteer as one in common, so that it is not ranked last.
 */
export function slotsInCommon(volunteer: readonly string[], mission: readonly string[]): number {
  return mission.length === 0 ? volunteer.length : inCommon(volunteer, mission);
}

/** Great-circle kilometres (haversine, R = 6,371 km), as the directory's search measures them. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "à 3 km", "à moins d’1 km", or nothing when unknown. */
export function distanceText(km: number | null): string {
  if (km === null) return 'distance inconnue';
  if (km < 1) return 'à moins d’1 km';
  return `à ${Math.round(km)} km`;
}
