import { cleanLine } from '../shared/text.ts';
import { checkActivityDate, type FieldErrors } from './activities.ts';
import {
  ANIMATION_THEME_LABELS,
  ANIMATION_TYPE_LABELS,
  type AnimationTheme,
  type AnimationType,
  COORDINATION_KIND_LABELS,
  type CoordinationKind,
  EVENT_TYPE_LABELS,
  type EventType,
  INITIATIVE_LABELS,
  type Initiative,
  isOf,
  MAX_DURATION_MINUTES,
  ORGANISER_LABELS,
  type Organiser,
  PARTNER_TYPE_LABELS,
  PARTNERSHIP_NATURE_LABELS,
  type PartnershipNature,
  type PartnerType,
  TERRITORIAL_LEVEL_LABELS,
  type TerritorialLevel,
} from './vocabulary.ts';

/**
 * The Coop's coordination activities, pure (decision 0038): an animation (a meeting the coordinator
 * led, with how many mediators, structures and other actors), an event (with its participants and
 * organisers; `nec_local` is the network's local day) or a partnership (its natures and partner
 * structures). The Coop's rules, each refusal a French message under the field's name.
 */

export const COORDINATION_TEXT_MAX_LENGTH = 200;
export const MAX_COUNT = 100_000;

export const COORDINATION_MESSAGES = {
  kindRequired: 'Choisissez le type d’activité de coordination : animation, évènement ou partenariat.',
  kindUnknown: (v: string) => `Le type d’activité de coordination « ${v} » n’existe pas.`,
  durationRequired: 'Indiquez la durée de l’animation en minutes, par exemple 90.',
  durationInvalid: (v: string) =>
    `La durée « ${v} » n’est pas valide : de 1 à ${MAX_DURATION_MINUTES} minutes (23 h 59).`,
  countInvalid: (field: string, v: string) => `${field} : « ${v} » n’est pas un nombre entier positif.`,
  nobodyAnimated: 'Indiquez au moins un médiateur, une structure ou un autre acteur.',
  required: (field: string) => `Indiquez ${field}.`,
  unknown: (field: string, v: string) => `${field} : la valeur « ${v} » n’existe pas.`,
  otherRequired: (field: string) => `Vous avez choisi « Autre » : précisez ${field}.`,
  tooLong: (field: string) => `${field} doit avoir au plus ${COORDINATION_TEXT_MAX_LENGTH} caractères.`,
  notForKind: (field: string) => `${field} ne s’indique pas pour ce type d’activité de coordination.`,
} as const;

export interface PartnerValues {
  name: string;
  type: string;
  typeOther: string;
}

export interface CoordinationValues {
  kind: string;
  date: string;
  duration: string;
  name: string;
  territorialLevel: string;
  mediatorsCount: string;
  structuresCount: string;
  otherActorsCount: string;
  animationType: string;
  animationTypeOther: string;
  initiative: string;
  animationThemes: readonly string[];
  animationThemeOther: string;
  participants: string;
  eventType: string;
  eventTypeOther: string;
  organisers: readonly string[];
  organiserOther: string;
  partnershipNatures: readonly string[];
  partnershipNatureOther: string;
  partners: readonly Partial<PartnerValues>[];
}

export interface CoordinationFields {
  kind: CoordinationKind;
  date: string;
  durationMinutes: number | null;
  name: string | null;
  territorialLevel: TerritorialLevel | null;
  mediatorsCount: number | null;
  structuresCount: number | null;
  otherActorsCount: number | null;
  animationType: AnimationType | null;
  animationTypeOther: string | null;
  initiative: Initiative | null;
  animationThemes: AnimationTheme[];
  animationThemeOther: string | null;
  participants: number | null;
  eventType: EventType | null;
  eventTypeOther: string | null;
  organisers: Organiser[];
  organiserOther: string | null;
  partnershipNatures: PartnershipNature[];
  partnershipNatureOther: string | null;
  partners: { name: string; type: PartnerType; typeOther: string | null }[];
}

const M = COORDINATION_MESSAGES;
const text = (v: string | undefined) => cleanLine(v ?? '');
const short = (v: string) => v.slice(0, 60);

/**
 * A coordination activity, checked: a date not in the future; an animation has a duration, a type and
 * at least one person or structure animated; an event its participants, type and organisers; a
 * partnership its natures and partner structures; "Autre" always with its precision; fields of
 * another kind refused.
 */
export function checkCoordinationActivity(
  values: Partial<CoordinationValues>,
  today: string,
): { ok: true; fields: CoordinationFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const kindTyped = text(values.kind);
  let kind: CoordinationKind | null = null;
  if (kindTyped === '') errors.kind = M.kindRequired;
  else if (isOf(COORDINATION_KIND_LABELS, kindTyped)) kind = kindTyped;
  else errors.kind = M.kindUnknown(short(kindTyped));
  const date = checkActivityDate(values.date ?? '', today);
  if (typeof date !== 'string') errors.date = date.error;

  const free = (key: keyof CoordinationValues, field: string): string | null => {
    const t = text(values[key] as string | undefined);
    if (Array.from(t).length > COORDINATION_TEXT_MAX_LENGTH) errors[key] = M.tooLong(field);
    return t === '' ? null : t;
  };
  const number = (key: keyof CoordinationValues, field: string): number | null => {
    const t = text(values[key] as string | undefined);
    if (t === '') return null;
    if (!/^\d{1,6}$/.test(t) || Number(t) > MAX_COUNT) {
      errors[key] = M.countInvalid(field, short(t));
      return null;
    }
    return Number(t);
  };
  const one = <T extends Record<string, string>>(
    key: keyof CoordinationValues,
    labels: T,
    field: string,
  ): (keyof T & string) | null => {
    const t = text(values[key] as string | undefined);
    if (t === '') return null;
    if (isOf(labels, t)) return t;
    errors[key] = M.unknown(field, short(t));
    return null;
  };
  const many = <T extends Record<string, string>>(
    key: keyof CoordinationValues,
    labels: T,
    field: string,
  ) => {
    const out: (keyof T & string)[] = [];
    for (const v of ((values[key] as readonly string[] | undefined) ?? [])
      .map((x) => cleanLine(x))
      .filter(Boolean)) {
      if (!isOf(labels, v)) errors[key] = M.unknown(field, short(v));
      else if (!out.includes(v)) out.push(v);
    }
    return out;
  };
  const other = (chosen: boolean, key: keyof CoordinationValues, field: string): string | null => {
    const t = free(key, field);
    if (chosen && t === null) errors[key] ??= M.otherRequired(field.toLowerCase());
    return chosen ? t : null;
  };

  const name = free('name', 'Le nom');
  const territorialLevel = one('territorialLevel', TERRITORIAL_LEVEL_LABELS, 'Échelon territorial');

  // Animation.
  let durationMinutes: number | null = null;
  const durationTyped = text(values.duration);
  if (durationTyped !== '') {
    if (
      /^\d{1,4}$/.test(durationTyped) &&
      Number(durationTyped) >= 1 &&
      Number(durationTyped) <= MAX_DURATION_MINUTES
    )
      durationMinutes = Number(durationTyped);
    else errors.duration = M.durationInvalid(short(durationTyped));
  }
  const mediatorsCount = number('mediatorsCount', 'Médiateurs');
  const structuresCount = number('structuresCount', 'Structures');
  const otherActorsCount = number('otherActorsCount', 'Autres acteurs');
  const animationType = one('animationType', ANIMATION_TYPE_LABELS, 'Type d’animation');
  const animationTypeOther = other(animationType === 'autre', 'animationTypeOther', 'Le type d’animation');
  const initiative = one('initiative', INITIATIVE_LABELS, 'Initiative');
  const animationThemes = many('animationThemes', ANIMATION_THEME_LABELS, 'Thématique d’animation');
  const animationThemeOther = other(
    animationThemes.includes('autre'),
    'animationThemeOther',
    'La thématique d’animation',
  );
  // Event.
  const participants = number('participants', 'Participants');
  const eventType = one('eventType', EVENT_TYPE_LABELS, 'Type d’évènement');
  const eventTypeOther = other(eventType === 'autre', 'eventTypeOther', 'Le type d’évènement');
  const organisers = many('organisers', ORGANISER_LABELS, 'Organisateur');
  const organiserOther = other(organisers.includes('autre'), 'organiserOther', 'L’organisateur');
  // Partnership.
  const partnershipNatures = many('partnershipNatures', PARTNERSHIP_NATURE_LABELS, 'Nature du partenariat');
  const partnershipNatureOther = other(
    partnershipNatures.includes('autre'),
    'partnershipNatureOther',
    'La nature du partenariat',
  );
  const partners: CoordinationFields['partners'] = [];
  (values.partners ?? []).forEach((p, i) => {
    const key = `partners.${i}`;
    const pname = text(p.name);
    const ptype = text(p.type);
    const ptypeOther = text(p.typeOther);
    if (pname === '' && ptype === '' && ptypeOther === '') return;
    if (pname === '') errors[key] = M.required(`le nom de la structure partenaire n° ${i + 1}`);
    else if (Array.from(pname).length > COORDINATION_TEXT_MAX_LENGTH)
      errors[key] = M.tooLong('Le nom du partenaire');
    else if (!isOf(PARTNER_TYPE_LABELS, ptype))
      errors[key] =
        ptype === ''
          ? M.required(`le type de la structure partenaire « ${pname} »`)
          : M.unknown('Type de structure partenaire', short(ptype));
    else if (ptype === 'autre' && ptypeOther === '')
      errors[key] = M.otherRequired(`le type de la structure partenaire « ${pname} »`);
    else partners.push({ name: pname, type: ptype, typeOther: ptype === 'autre' ? ptypeOther : null });
  });

  const present = {
    duration: durationTyped !== '',
    animation:
      mediatorsCount !== null ||
      structuresCount !== null ||
      otherActorsCount !== null ||
      animationType !== null ||
      initiative !== null ||
      animationThemes.length > 0,
    event: participants !== null || eventType !== null || organisers.length > 0,
    partnership: partnershipNatures.length > 0 || partners.length > 0,
  };
  if (kind === 'animation') {
    if (!present.duration) errors.duration = M.durationRequired;
    if (animationType === null && !errors.animationType)
      errors.animationType = M.required('le type d’animation');
    if (
      !errors.mediatorsCount &&
      !((mediatorsCount ?? 0) + (structuresCount ?? 0) + (otherActorsCount ?? 0) > 0)
    )
      errors.mediatorsCount = M.nobodyAnimated;
  } else if (kind !== null && present.duration) errors.duration = M.notForKind('La durée');
  if (kind === 'evenement') {
    if (participants === null && !errors.participants)
      errors.participants = M.required('le nombre de participants');
    if (eventType === null && !errors.eventType) errors.eventType = M.required('le type d’évènement');
    if (organisers.length === 0 && !errors.organisers)
      errors.organisers = M.required('au moins un organisateur');
  }
  if (kind === 'partenariat') {
    if (partnershipNatures.length === 0 && !errors.partnershipNatures)
      errors.partnershipNatures = M.required('au moins une nature de partenariat');
    if (partners.length === 0 && !Object.keys(errors).some((k) => k.startsWith('partners')))
      errors.partners = M.required('au moins une structure partenaire');
  }
  if (kind !== null) {
    if (kind !== 'animation' && present.animation) errors.animationType ??= M.notForKind('L’animation');
    if (kind !== 'evenement' && present.event) errors.eventType ??= M.notForKind('L’évènement');
    if (kind !== 'partenariat' && present.partnership)
      errors.partnershipNatures ??= M.notForKind('Le partenariat');
    if (kind === 'animation' && territorialLevel !== null)
      errors.territorialLevel = M.notForKind('L’échelon territorial');
  }

  if (Object.keys(errors).length > 0 || kind === null || typeof date !== 'string')
    return { ok: false, errors };
  return {
    ok: true,
    fields: {
      kind,
      date,
      durationMinutes,
      name,
      territorialLevel,
      mediatorsCount,
      structuresCount,
      otherActorsCount,
      animationType,
      animationTypeOther,
      initiative,
      animationThemes,
      animationThemeOther,
      participants,
      eventType,
      eventTypeOther,
      organisers,
      organiserOther,
      partnershipNatures,
      partnershipNatureOther,
      partners,
    },
  };
}
