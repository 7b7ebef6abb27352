import { normalizeInseeCode } from '../shared/commune-codes.ts';
import { parseEmail } from '../shared/email.ts';
import { normalizePhone } from '../shared/phone.ts';
import { cleanLine } from '../shared/text.ts';
import type { FieldErrors } from './activities.ts';
import {
  AGE_BAND_LABELS,
  type AgeBand,
  BENEFICIARY_RETENTION_MONTHS,
  GENDER_LABELS,
  type Gender,
  isOf,
  SOCIAL_STATUS_LABELS,
  type SocialStatus,
} from './vocabulary.ts';

/**
 * Identified beneficiaries ("personnes suivies"), pure (decision 0038): only when a follow-up needs a
 * name, with the least it needs, the person's consent recorded, kept until the last accompaniment +
 * BENEFICIARY_RETENTION_MONTHS. The form's rules and every French message; no database.
 */

export const NAME_MAX_LENGTH = 60;

/** What the form says plainly, next to the consent box: why the name is kept, and for how long. */
export const RETENTION_WORDS = `Le prénom et les coordonnées servent seulement à retrouver la personne d’un accompagnement à l’autre, dans votre structure. Personne d’autre ne les voit : ni la coordination du réseau, ni les financeurs, ni les autres structures. Ils sont effacés ${BENEFICIARY_RETENTION_MONTHS} mois après le dernier accompagnement, ou plus tôt si la personne le demande.`;

export const BENEFICIARY_MESSAGES = {
  firstNameRequired: 'Indiquez le prénom de la personne.',
  nameTooLong: (field: string) => `${field} doit avoir au plus ${NAME_MAX_LENGTH} caractères.`,
  phoneInvalid: (v: string) =>
    `Le numéro « ${v} » n’est pas un numéro français à 10 chiffres, par exemple 06 12 34 56 78.`,
  emailInvalid: (v: string) => `L’adresse « ${v} » n’est pas une adresse e-mail, par exemple nom@exemple.fr.`,
  valueUnknown: (field: string, v: string) => `${field} : la valeur « ${v} » n’existe pas.`,
  communeInvalid: (v: string) => `Le code de commune « ${v} » n’est pas un code INSEE, par exemple 45234.`,
  consentRequired:
    'Cochez la case du consentement : la personne doit avoir accepté que son prénom soit gardé pour son suivi.',
  unknownBeneficiary: 'Cette personne suivie n’existe pas.',
  activityRequired: 'Choisissez une activité de votre structure dans la liste.',
  activityNotOurs:
    'Cette activité n’est pas une activité de votre structure. Choisissez-en une dans la liste.',
  alreadyLinked: 'Cette activité est déjà liée à cette personne.',
  notLinked: 'Cette activité n’est pas liée à cette personne.',
  firstTimeInvalid: 'Indiquez si c’était son premier accompagnement : oui ou non.',
  confirmRequired: 'Cochez la case pour confirmer l’effacement de cette personne.',
  noStructure:
    'Vous ne faites partie d’aucune structure : les personnes suivies sont celles d’une structure.',
} as const;

export interface BeneficiaryValues {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  gender: string;
  ageBand: string;
  socialStatus: string;
  communeCode: string;
  /** 'oui' when the box is ticked. */
  consent: string;
}

export interface BeneficiaryFields {
  firstName: string;
  lastName: string | null;
  phone: string | null;
  email: string | null;
  gender: Gender;
  ageBand: AgeBand;
  socialStatus: SocialStatus;
  communeCode: string | null;
}

const M = BENEFICIARY_MESSAGES;
const short = (v: string) => v.slice(0, 60);

/** A followed person of the form, checked whole: each refusal a French message under its field. */
export function checkBeneficiary(
  values: Partial<BeneficiaryValues>,
): { ok: true; fields: BeneficiaryFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const firstName = cleanLine(values.firstName ?? '');
  if (firstName === '') errors.firstName = M.firstNameRequired;
  else if (Array.from(firstName).length > NAME_MAX_LENGTH) errors.firstName = M.nameTooLong('Le prénom');
  const lastName = cleanLine(values.lastName ?? '');
  if (Array.from(lastName).length > NAME_MAX_LENGTH) errors.lastName = M.nameTooLong('Le nom');
  const phoneTyped = cleanLine(values.phone ?? '');
  const phone = phoneTyped === '' || phoneTyped.length > 30 ? null : normalizePhone(phoneTyped);
  if (phoneTyped !== '' && phone === null) errors.phone = M.phoneInvalid(short(phoneTyped));
  const emailTyped = cleanLine(values.email ?? '').toLowerCase();
  const email = emailTyped === '' || emailTyped.length > 254 ? null : parseEmail(emailTyped);
  if (emailTyped !== '' && email === null) errors.email = M.emailInvalid(short(emailTyped));
  const pick = <T extends Record<string, string>>(
    labels: T,
    key: keyof BeneficiaryValues,
    field: string,
  ): keyof T & string => {
    const t = cleanLine(values[key] ?? '');
    if (t === '') return 'non_communique' as keyof T & string;
    if (isOf(labels, t)) return t;
    errors[key] = M.valueUnknown(field, short(t));
    return 'non_communique' as keyof T & string;
  };
  const gender = pick(GENDER_LABELS, 'gender', 'Genre');
  const ageBand = pick(AGE_BAND_LABELS, 'ageBand', 'Tranche d’âge');
  const socialStatus = pick(SOCIAL_STATUS_LABELS, 'socialStatus', 'Statut');
  const communeTyped = cleanLine(values.communeCode ?? '');
  const communeCode = communeTyped === '' ? null : normalizeInseeCode(communeTyped);
  if (communeTyped !== '' && communeCode === null) errors.communeCode = M.communeInvalid(short(communeTyped));
  if (cleanLine(values.consent ?? '') !== 'oui') errors.consent = M.consentRequired;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      firstName,
      lastName: lastName === '' ? null : lastName,
      phone,
      email,
      gender,
      ageBand,
      socialStatus,
      communeCode,
    },
  };
}
