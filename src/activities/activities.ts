import { parseDateInput } from '../places/place-dates.ts';
import { normalizeInseeCode, normalizePostcode } from '../shared/commune-codes.ts';
import { isUuid } from '../shared/ids.ts';
import { cleanLine } from '../shared/text.ts';
import {
  ACTIVITY_KIND_LABELS,
  type ActivityKind,
  ADMINISTRATIVE_HELP,
  ADMINISTRATIVE_THEME_LABELS,
  AGE_BAND_LABELS,
  type AgeBand,
  AUTONOMY_LABELS,
  type Autonomy,
  BENEFICIARY_RETENTION_MONTHS,
  CUSTOM_DURATION,
  EQUIPMENT_LABELS,
  type Equipment,
  FIRST_RECORD_DAY,
  GENDER_LABELS,
  type Gender,
  isOf,
  keysOf,
  LEGACY_ACTIVITY_KINDS,
  MAX_DURATION_MINUTES,
  MAX_PARTICIPANTS,
  PLACE_KIND_LABELS,
  type PlaceKind,
  PROCEDURE_DETAILS_MAX_LENGTH,
  REDIRECTION_LABELS,
  type Redirection,
  SOCIAL_STATUS_LABELS,
  type SocialStatus,
  THEME_LABELS,
  type Theme,
  WORKSHOP_LEVEL_LABELS,
  WORKSHOP_TITLE_MAX_LENGTH,
  type WorkshopLevel,
} from './vocabulary.ts';

/**
 * Activity records, pure (decision 0038): the rules of a record in La Coop's vocabulary (vocabulary.ts),
 * with every French message. No database, no HTTP, no process.env.
 */

export type FieldErrors = Record<string, string>;

const list = (labels: Record<string, string>, values: readonly string[]) =>
  values.map((v) => `« ${labels[v] ?? v} »`).join(', ');

export const MESSAGES = {
  kindRequired: 'Choisissez le type d’activité : accompagnement individuel ou atelier collectif.',
  kindUnknown: (v: string) =>
    `Le type d’activité « ${v} » n’existe pas. Choisissez accompagnement individuel ou atelier collectif.`,
  dateRequired: 'Indiquez la date de l’activité, par exemple 15/06/2026.',
  dateInvalid: (v: string) => `La date « ${v} » n’est pas une date. Écrivez-la comme 15/06/2026.`,
  dateFuture: (day: string) =>
    `La date de l’activité (${day}) est dans le futur : on enregistre ce qui a eu lieu.`,
  dateTooOld: 'La date ne peut pas être avant le 17/11/2020, début du dispositif Conseiller numérique.',
  durationRequired: 'Indiquez la durée, par exemple 30 min, ou choisissez « Personnaliser ».',
  durationInvalid: (v: string) => `La durée « ${v} » n’est pas un nombre de minutes.`,
  durationZero: 'La durée doit être d’au moins 1 minute.',
  durationTooLong: (minutes: number) =>
    `La durée (${minutes} minutes) dépasse 23 h 59. Une activité tient dans une journée : enregistrez chaque jour à part.`,
  durationHoursInvalid: 'Les heures de la durée personnalisée vont de 0 à 23.',
  durationMinutesInvalid: 'Les minutes de la durée personnalisée vont de 0 à 59.',
  placeKindRequired: 'Choisissez le lieu : lieu d’activité, à domicile, à distance ou autre lieu.',
  placeKindUnknown: (v: string) => `Le type de lieu « ${v} » n’existe pas.`,
  placeRequired: 'Choisissez le lieu d’activité de votre structure.',
  placeInvalid: 'Ce lieu n’existe pas. Choisissez un lieu de votre structure dans la liste.',
  placeNotOurs: 'Ce lieu n’est pas un lieu de votre structure. Choisissez-en un dans la liste.',
  communeRequired: 'Indiquez la commune où a eu lieu l’activité (code INSEE, par exemple 45234).',
  communeInvalid: (v: string) => `Le code de commune « ${v} » n’est pas un code INSEE, par exemple 45234.`,
  postalCodeInvalid: (v: string) => `Le code postal « ${v} » n’est pas valide, par exemple 45000.`,
  themesRequired: 'Choisissez au moins une thématique.',
  themeUnknown: (v: string) => `La thématique « ${v} » n’existe pas.`,
  administrativeWithoutHelp: (themes: readonly string[]) =>
    `Les thématiques ${list(THEME_LABELS, themes)} ne vont qu’avec « Aide aux démarches administratives » : cochez-la aussi, ou retirez-les.`,
  equipmentUnknown: (v: string) => `Le matériel « ${v} » n’existe pas.`,
  equipmentNoneWithOther: '« Pas de matériel » ne va pas avec un autre matériel : retirez l’un ou l’autre.',
  autonomyUnknown: (v: string) => `Le niveau d’autonomie « ${v} » n’existe pas.`,
  orientedInvalid: 'Indiquez si la personne a été orientée vers une autre structure : oui ou non.',
  redirectionUnknown: (v: string) => `La structure de redirection « ${v} » n’existe pas.`,
  redirectionWithoutOrientation:
    'La structure de redirection ne s’indique que si la personne a été orientée : répondez « oui » à l’orientation.',
  procedureWithoutHelp:
    'Le nom de la démarche administrative ne s’indique qu’avec la thématique « Aide aux démarches administratives ».',
  procedureTooLong: `Le nom de la démarche administrative doit avoir au plus ${PROCEDURE_DETAILS_MAX_LENGTH} caractères.`,
  individualOnly: (field: string) => `${field} ne s’indique que pour un accompagnement individuel.`,
  collectiveOnly: (field: string) => `${field} ne s’indique que pour un atelier collectif.`,
  workshopTitleTooLong: `Le nom de l’atelier doit avoir au plus ${WORKSHOP_TITLE_MAX_LENGTH} caractères.`,
  workshopLevelUnknown: (v: string) => `Le niveau d’atelier « ${v} » n’existe pas.`,
  beneficiaryValueUnknown: (field: string, v: string) => `${field} : la valeur « ${v} » n’existe pas.`,
  alreadyAccompaniedInvalid: 'Indiquez si la personne avait déjà été accompagnée : oui ou non.',
  countInvalid: (field: string, v: string) =>
    `${field} : « ${v} » n’est pas un nombre entier de 0 à ${MAX_PARTICIPANTS.toLocaleString('fr-FR')}.`,
  totalRequired: 'Indiquez le nombre de participants de l’atelier (au moins 1).',
  breakdownOverTotal: (field: string, sum: number, total: number) =>
    `${field} : la somme (${sum}) dépasse le nombre de participants (${total}).`,
  breakdownNotTotal: (field: string, sum: number, total: number) =>
    `${field} : la somme (${sum}) ne correspond pas au nombre de participants (${total}).`,
  alreadyOverTotal: (n: number, total: number) =>
    `Participants déjà accompagnés : ${n}, plus que le nombre de participants (${total}).`,
  orientationInvalid: 'L’orientation liée n’existe pas.',
  voucherEntryInvalid: 'L’encaissement de pass numérique lié n’existe pas.',
  voucherEntryTaken: 'Cet encaissement de pass numérique est déjà lié à une autre activité.',
  workshopDateInvalid: 'La date d’atelier de l’agenda liée n’existe pas.',
  workshopDateTaken:
    'Cette date d’atelier est déjà enregistrée dans les activités : une seule activité par date d’atelier.',
  unknownStructure: 'Cette structure n’existe pas.',
  unknownActivity: 'Cette activité n’existe pas.',
} as const;

export interface ParticipantCounts {
  total: number;
  alreadyAccompanied: number;
  gender: Record<Gender, number>;
  ageBand: Record<AgeBand, number>;
  socialStatus: Record<SocialStatus, number>;
}

/** What a form (or an import) gives: text as typed, lists as checked. Left out: empty. */
export interface ActivityValues {
  kind: string;
  date: string;
  /** A preset ("30"), any number of minutes ("75"), or CUSTOM_DURATION with hours and minutes. */
  duration: string;
  durationHours: string;
  durationMinutes: string;
  placeKind: string;
  placeId: string;
  communeCode: string;
  postalCode: string;
  themes: readonly string[];
  equipment: readonly string[];
  procedureDetails: string;
  // Individual.
  autonomy: string;
  /** 'oui', 'non' or empty. */
  oriented: string;
  redirection: string;
  /** The anonymous beneficiary (individual). */
  gender: string;
  ageBand: string;
  socialStatus: string;
  /** 'oui', 'non' or empty. */
  alreadyAccompanied: string;
  beneficiaryCommuneCode: string;
  orientationId: string;
  voucherEntryId: string;
  // Collective.
  workshopTitle: string;
  workshopLevel: string;
  /** The agenda's workshop date the record comes from (its id, hidden in the form). */
  workshopDateId: string;
  /** Anonymous participants: the total, "déjà accompagnés", and breakdowns (non communiqué: the rest). */
  participantsTotal: string;
  participantsAlreadyAccompanied: string;
  participantsGender: Partial<Record<string, string>>;
  participantsAgeBand: Partial<Record<string, string>>;
  participantsSocialStatus: Partial<Record<string, string>>;
}

export interface ActivityFields {
  kind: ActivityKind;
  date: string;
  durationMinutes: number;
  placeKind: PlaceKind;
  placeId: string | null;
  communeCode: string | null;
  postalCode: string | null;
  themes: Theme[];
  equipment: Equipment[];
  procedureDetails: string | null;
  autonomy: Autonomy | null;
  oriented: boolean | null;
  redirection: Redirection | null;
  beneficiaryCommuneCode: string | null;
  orientationId: string | null;
  voucherEntryId: number | null;
  workshopTitle: string | null;
  workshopLevel: WorkshopLevel | null;
  workshopDateId: string | null;
  /** Anonymous beneficiaries: one for an individual record, the workshop's for a collective one. */
  participants: ParticipantCounts;
}

const text = (v: string | undefined) => cleanLine(v ?? '');
const short = (v: string) => v.slice(0, 60);
const frenchDay = (iso: string) => iso.split('-').reverse().join('/');

/** A duration in minutes from the form, or a message. */
function checkDuration(values: Partial<ActivityValues>): number | string {
  const typed = text(values.duration);
  if (typed === '') return MESSAGES.durationRequired;
  let minutes: number;
  if (typed === CUSTOM_DURATION) {
    const h = text(values.durationHours);
    const m = text(values.durationMinutes);
    const hours = h === '' ? 0 : /^\d{1,2}$/.test(h) ? Number(h) : Number.NaN;
    const mins = m === '' ? 0 : /^\d{1,2}$/.test(m) ? Number(m) : Number.NaN;
    if (!(hours >= 0 && hours <= 23)) return MESSAGES.durationHoursInvalid;
    if (!(mins >= 0 && mins <= 59)) return MESSAGES.durationMinutesInvalid;
    minutes = hours * 60 + mins;
  } else if (/^\d{1,6}$/.test(typed)) minutes = Number(typed);
  else return MESSAGES.durationInvalid(short(typed));
  if (minutes === 0) return MESSAGES.durationZero;
  if (minutes > MAX_DURATION_MINUTES) return MESSAGES.durationTooLong(minutes);
  return minutes;
}

/** A day typed in a form, refused in the future and before the Coop's first day. */
export function checkActivityDate(typed: string, today: string): string | { error: string } {
  const t = cleanLine(typed);
  if (t === '') return { error: MESSAGES.dateRequired };
  const day = parseDateInput(t);
  if (day === null) return { error: MESSAGES.dateInvalid(short(t)) };
  if (day > today) return { error: MESSAGES.dateFuture(frenchDay(day)) };
  if (day < FIRST_RECORD_DAY) return { error: MESSAGES.dateTooOld };
  return day;
}

/** A whole count of participants (empty: null), or a message naming the field. */
function count(field: string, typed: string | undefined, errors: FieldErrors, key: string): number | null {
  const t = text(typed);
  if (t === '') return null;
  if (!/^\d{1,6}$/.test(t) || Number(t) > MAX_PARTICIPANTS) {
    errors[key] = MESSAGES.countInvalid(field, short(t));
    return null;
  }
  return Number(t);
}

/**
 * One breakdown of the participants: the counts typed for each value; "non communiqué", when left
 * empty, is what remains. Refused: a sum over the total, or a "non communiqué" that does not make the
 * total (as the Coop, whose form fills the rest).
 */
function breakdown<K extends string>(
  labels: Record<K, string>,
  typed: Partial<Record<string, string>> | undefined,
  total: number,
  field: string,
  key: string,
  errors: FieldErrors,
): Record<K, number> {
  const out = Object.fromEntries(keysOf(labels).map((k) => [k, 0])) as Record<K, number>;
  for (const name of Object.keys(typed ?? {}))
    if (!isOf(labels, name)) errors[key] = MESSAGES.beneficiaryValueUnknown(field, short(name));
  let sum = 0;
  for (const k of keysOf(labels)) {
    if (k === 'non_communique') continue;
    const n = count(`${field} « ${labels[k]} »`, typed?.[k], errors, key) ?? 0;
    out[k] = n;
    sum += n;
  }
  const rest = count(`${field} « Non communiqué »`, typed?.non_communique, errors, key);
  if (errors[key]) return out;
  if (sum > total) errors[key] = MESSAGES.breakdownOverTotal(field, sum, total);
  else if (rest !== null && sum + rest !== total)
    errors[key] = MESSAGES.breakdownNotTotal(field, sum + rest, total);
  else (out as Record<string, number>).non_communique = total - sum;
  return out;
}

/** One anonymous person as counts (an individual record's beneficiary). */
export function oneParticipant(p: {
  gender: Gender;
  ageBand: AgeBand;
  socialStatus: SocialStatus;
  alreadyAccompanied: boolean;
}): ParticipantCounts {
  const zero = <K extends string>(labels: Record<K, string>, one: K) =>
    Object.fromEntries(keysOf(labels).map((k) => [k, k === one ? 1 : 0])) as Record<K, number>;
  return {
    total: 1,
    alreadyAccompanied: p.alreadyAccompanied ? 1 : 0,
    gender: zero(GENDER_LABELS, p.gender),
    ageBand: zero(AGE_BAND_LABELS, p.ageBand),
    socialStatus: zero(SOCIAL_STATUS_LABELS, p.socialStatus),
  };
}

function yesNo(typed: string | undefined): boolean | null | undefined {
  const t = text(typed).toLowerCase();
  if (t === '') return null;
  if (t === 'oui' || t === 'true' || t === '1') return true;
  if (t === 'non' || t === 'false' || t === '0') return false;
  return undefined;
}

function choice<T extends Record<string, string>>(
  labels: T,
  typed: string | undefined,
  key: string,
  unknown: (v: string) => string,
  errors: FieldErrors,
): (keyof T & string) | null {
  const t = text(typed);
  if (t === '') return null;
  if (isOf(labels, t)) return t;
  errors[key] = unknown(short(t));
  return null;
}

/**
 * A record of the form (or of an import), checked: the Coop's rules — a date not in the future nor
 * before 17/11/2020, a duration of 1 minute to 23 h 59, the place by its kind (one of the structure's
 * places, a commune at home or elsewhere), at least one theme, administrative themes only with "aide aux
 * démarches administratives", fields of an individual record or of a workshop only there, anonymous
 * counts whose breakdowns add up — each refusal a French message under the field's name. Whether the
 * place is the structure's, and whether the linked orientation or voucher exists, the service checks.
 */
export function checkActivity(
  values: Partial<ActivityValues>,
  today: string,
): { ok: true; fields: ActivityFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const extraThemes: Theme[] = [];
  let kind: ActivityKind | null = null;
  const kindTyped = text(values.kind);
  if (kindTyped === '') errors.kind = MESSAGES.kindRequired;
  else if (isOf(ACTIVITY_KIND_LABELS, kindTyped)) kind = kindTyped;
  else if (isOf(LEGACY_ACTIVITY_KINDS as unknown as Record<string, string>, kindTyped)) {
    const legacy = LEGACY_ACTIVITY_KINDS[kindTyped as keyof typeof LEGACY_ACTIVITY_KINDS];
    kind = legacy.kind;
    extraThemes.push(legacy.theme);
  } else errors.kind = MESSAGES.kindUnknown(short(kindTyped));

  const date = checkActivityDate(values.date ?? '', today);
  if (typeof date !== 'string') errors.date = date.error;
  const duration = checkDuration(values);
  if (typeof duration === 'string') errors.duration = duration;

  // Place.
  const placeKind = choice(
    PLACE_KIND_LABELS,
    values.placeKind,
    'placeKind',
    MESSAGES.placeKindUnknown,
    errors,
  );
  if (placeKind === null && !errors.placeKind) errors.placeKind = MESSAGES.placeKindRequired;
  const placeTyped = text(values.placeId);
  let placeId: string | null = null;
  if (placeKind === 'lieu_activite') {
    if (placeTyped === '') errors.placeId = MESSAGES.placeRequired;
    else if (!isUuid(placeTyped)) errors.placeId = MESSAGES.placeInvalid;
    else placeId = placeTyped.toLowerCase();
  }
  const communeTyped = text(values.communeCode);
  const communeCode = communeTyped === '' ? null : normalizeInseeCode(communeTyped);
  if (communeTyped !== '' && communeCode === null)
    errors.communeCode = MESSAGES.communeInvalid(short(communeTyped));
  else if ((placeKind === 'domicile' || placeKind === 'autre') && communeCode === null)
    errors.communeCode = MESSAGES.communeRequired;
  const postalTyped = text(values.postalCode);
  const postalCode = postalTyped === '' ? null : normalizePostcode(postalTyped);
  if (postalTyped !== '' && postalCode === null)
    errors.postalCode = MESSAGES.postalCodeInvalid(short(postalTyped));

  // Themes and equipment.
  const themes: Theme[] = [];
  for (const t of [...(values.themes ?? []).map((v) => cleanLine(v)).filter(Boolean), ...extraThemes]) {
    if (!isOf(THEME_LABELS, t)) errors.themes = MESSAGES.themeUnknown(short(t));
    else if (!themes.includes(t)) themes.push(t);
  }
  if (!errors.themes && themes.length === 0) errors.themes = MESSAGES.themesRequired;
  const administrative = themes.filter((t) => isOf(ADMINISTRATIVE_THEME_LABELS, t));
  if (!errors.themes && administrative.length > 0 && !themes.includes(ADMINISTRATIVE_HELP))
    errors.themes = MESSAGES.administrativeWithoutHelp(administrative);
  const equipment: Equipment[] = [];
  for (const e of (values.equipment ?? []).map((v) => cleanLine(v)).filter(Boolean)) {
    if (!isOf(EQUIPMENT_LABELS, e)) errors.equipment = MESSAGES.equipmentUnknown(short(e));
    else if (!equipment.includes(e)) equipment.push(e);
  }
  if (!errors.equipment && equipment.includes('aucun') && equipment.length > 1)
    errors.equipment = MESSAGES.equipmentNoneWithOther;
  const procedure = text(values.procedureDetails);
  if (procedure !== '' && !themes.includes(ADMINISTRATIVE_HELP))
    errors.procedureDetails = MESSAGES.procedureWithoutHelp;
  else if (Array.from(procedure).length > PROCEDURE_DETAILS_MAX_LENGTH)
    errors.procedureDetails = MESSAGES.procedureTooLong;

  // Fields of one kind only.
  const individualOnly: [keyof ActivityValues, string][] = [
    ['autonomy', 'Le niveau d’autonomie'],
    ['oriented', 'L’orientation vers une autre structure'],
    ['redirection', 'La structure de redirection'],
    ['gender', 'Le genre du bénéficiaire'],
    ['ageBand', 'La tranche d’âge du bénéficiaire'],
    ['socialStatus', 'Le statut du bénéficiaire'],
    ['alreadyAccompanied', '« Déjà accompagné »'],
    ['beneficiaryCommuneCode', 'La commune du bénéficiaire'],
    ['orientationId', 'L’orientation liée'],
    ['voucherEntryId', 'Le pass numérique encaissé'],
  ];
  const collectiveOnly: [keyof ActivityValues, string][] = [
    ['workshopTitle', 'Le nom de l’atelier'],
    ['workshopLevel', 'Le niveau de l’atelier'],
    ['participantsTotal', 'Le nombre de participants'],
    ['workshopDateId', 'La date d’atelier de l’agenda'],
  ];
  if (kind === 'collectif')
    for (const [key, label] of individualOnly)
      if (text(values[key] as string | undefined) !== '') errors[key] = MESSAGES.individualOnly(label);
  if (kind === 'individuel')
    for (const [key, label] of collectiveOnly)
      if (text(values[key] as string | undefined) !== '') errors[key] = MESSAGES.collectiveOnly(label);

  // Individual.
  const autonomy = choice(AUTONOMY_LABELS, values.autonomy, 'autonomy', MESSAGES.autonomyUnknown, errors);
  const oriented = yesNo(values.oriented);
  if (oriented === undefined) errors.oriented = MESSAGES.orientedInvalid;
  const redirection = choice(
    REDIRECTION_LABELS,
    values.redirection,
    'redirection',
    MESSAGES.redirectionUnknown,
    errors,
  );
  if (redirection !== null && oriented !== true && !errors.redirection)
    errors.redirection = MESSAGES.redirectionWithoutOrientation;
  const gender =
    choice(
      GENDER_LABELS,
      values.gender,
      'gender',
      (v) => MESSAGES.beneficiaryValueUnknown('Genre', v),
      errors,
    ) ?? 'non_communique';
  const ageBand =
    choice(
      AGE_BAND_LABELS,
      values.ageBand,
      'ageBand',
      (v) => MESSAGES.beneficiaryValueUnknown('Tranche d’âge', v),
      errors,
    ) ?? 'non_communique';
  const socialStatus =
    choice(
      SOCIAL_STATUS_LABELS,
      values.socialStatus,
      'socialStatus',
      (v) => MESSAGES.beneficiaryValueUnknown('Statut', v),
      errors,
    ) ?? 'non_communique';
  const already = yesNo(values.alreadyAccompanied);
  if (already === undefined) errors.alreadyAccompanied = MESSAGES.alreadyAccompaniedInvalid;
  const beneficiaryTyped = text(values.beneficiaryCommuneCode);
  const beneficiaryCommuneCode = beneficiaryTyped === '' ? null : normalizeInseeCode(beneficiaryTyped);
  if (beneficiaryTyped !== '' && beneficiaryCommuneCode === null && !errors.beneficiaryCommuneCode)
    errors.beneficiaryCommuneCode = MESSAGES.communeInvalid(short(beneficiaryTyped));
  const orientationTyped = text(values.orientationId);
  if (orientationTyped !== '' && !isUuid(orientationTyped) && !errors.orientationId)
    errors.orientationId = MESSAGES.orientationInvalid;
  const voucherTyped = text(values.voucherEntryId);
  if (voucherTyped !== '' && !/^[1-9]\d{0,14}$/.test(voucherTyped) && !errors.voucherEntryId)
    errors.voucherEntryId = MESSAGES.voucherEntryInvalid;

  // Collective.
  const title = text(values.workshopTitle);
  if (Array.from(title).length > WORKSHOP_TITLE_MAX_LENGTH && !errors.workshopTitle)
    errors.workshopTitle = MESSAGES.workshopTitleTooLong;
  const workshopDateTyped = text(values.workshopDateId);
  if (workshopDateTyped !== '' && !isUuid(workshopDateTyped) && !errors.workshopDateId)
    errors.workshopDateId = MESSAGES.workshopDateInvalid;
  const workshopLevel = choice(
    WORKSHOP_LEVEL_LABELS,
    values.workshopLevel,
    'workshopLevel',
    MESSAGES.workshopLevelUnknown,
    errors,
  );
  let participants = oneParticipant({ gender, ageBand, socialStatus, alreadyAccompanied: already === true });
  if (kind === 'collectif') {
    const total = count('Nombre de participants', values.participantsTotal, errors, 'participantsTotal');
    if (total === null || total === 0) errors.participantsTotal ??= MESSAGES.totalRequired;
    const n = total ?? 0;
    const alreadyN =
      count(
        'Participants déjà accompagnés',
        values.participantsAlreadyAccompanied,
        errors,
        'participantsAlreadyAccompanied',
      ) ?? 0;
    if (alreadyN > n && !errors.participantsTotal)
      errors.participantsAlreadyAccompanied = MESSAGES.alreadyOverTotal(alreadyN, n);
    participants = {
      total: n,
      alreadyAccompanied: alreadyN,
      gender: breakdown(GENDER_LABELS, values.participantsGender, n, 'Genre', 'participantsGender', errors),
      ageBand: breakdown(
        AGE_BAND_LABELS,
        values.participantsAgeBand,
        n,
        'Tranche d’âge',
        'participantsAgeBand',
        errors,
      ),
      socialStatus: breakdown(
        SOCIAL_STATUS_LABELS,
        values.participantsSocialStatus,
        n,
        'Statut',
        'participantsSocialStatus',
        errors,
      ),
    };
  } else {
    for (const key of ['participantsGender', 'participantsAgeBand', 'participantsSocialStatus'] as const)
      if (Object.values(values[key] ?? {}).some((v) => text(v) !== ''))
        errors[key] = MESSAGES.collectiveOnly('La répartition des participants');
  }

  if (
    Object.keys(errors).length > 0 ||
    kind === null ||
    typeof date !== 'string' ||
    typeof duration !== 'number' ||
    placeKind === null
  )
    return { ok: false, errors };
  const individual = kind === 'individuel';
  return {
    ok: true,
    fields: {
      kind,
      date,
      durationMinutes: duration,
      placeKind,
      placeId,
      communeCode,
      postalCode,
      themes,
      equipment,
      procedureDetails: procedure === '' ? null : procedure,
      autonomy: individual ? autonomy : null,
      oriented: individual ? (oriented ?? null) : null,
      redirection: individual ? redirection : null,
      beneficiaryCommuneCode: individual ? beneficiaryCommuneCode : null,
      orientationId: individual && orientationTyped !== '' ? orientationTyped.toLowerCase() : null,
      voucherEntryId: individual && voucherTyped !== '' ? Number(voucherTyped) : null,
      workshopTitle: individual || title === '' ? null : title,
      workshopLevel: individual ? null : workshopLevel,
      workshopDateId: individual || workshopDateTyped === '' ? null : workshopDateTyped.toLowerCase(),
      participants,
    },
  };
}

/** The day after which an identified beneficiary is erased: the last accompaniment + the retention. */
export function beneficiaryRetainUntil(
  lastAccompanied: string,
  months = BENEFICIARY_RETENTION_MONTHS,
): string {
  const [y, m, d] = lastAccompanied.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}
