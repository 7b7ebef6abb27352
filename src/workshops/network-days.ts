import { THEME_LABELS, type Theme } from '../activities/vocabulary.ts';
import { cleanLine, cleanMultiline } from '../shared/text.ts';
import { isIsoDay } from '../shared/working-days.ts';
import { type FieldErrors, parisInstant, parisLocal } from './workshops.ts';

/**
 * The network's days, pure (decision 0043): a day of the network (its programme: tracks, sessions with
 * their times, rooms and speakers, replay and slides links after the session), and the checks of what a
 * coordinator types, each refusal a French message under the field's name. A session is a workshop of
 * the agenda with one date (decision 0041): its registrations, waiting list and attendance are the
 * workshop's.
 */

export const NETWORK_DAY_LIMITS = {
  title: 150,
  description: 5000,
  trackName: 150,
  tracks: 20,
  room: 100,
  speakers: 10,
  speakerName: 100,
  speakerRole: 150,
  url: 2000,
  capacity: 10_000,
} as const;

const L = NETWORK_DAY_LIMITS;

export const NETWORK_DAY_MESSAGES = {
  unknownDay: 'Cette journée du réseau n’existe pas ou a été supprimée.',
  unknownSession: 'Cette séance n’existe pas ou a été supprimée.',
  unknownStructure: 'Structure organisatrice : cette structure n’existe pas.',
  structureRequired: 'Structure organisatrice : choisissez la structure qui organise la journée.',
  titleRequired: 'Titre : donnez un titre.',
  titleTooLong: `Titre : ${L.title} caractères au plus.`,
  descriptionTooLong: `Description : ${L.description} caractères au plus.`,
  dayRequired: 'Date : donnez le jour de la journée, comme 2027-01-12.',
  dayInvalid: (v: string) => `Date : « ${v} » n’est pas un jour, écrivez-le comme 2027-01-12.`,
  placeRequired: 'Lieu : choisissez le lieu de la journée dans l’annuaire.',
  placeUnknown: 'Lieu : ce lieu n’est pas dans l’annuaire.',
  statusUnknown: 'Statut : choisissez à confirmer ou confirmée.',
  dayCancelled: 'Cette journée est annulée : son programme ne change plus.',
  dayHasSessionsElsewhere: (n: number) =>
    `Date : ${n} ${n > 1 ? 'séances ont' : 'séance a'} déjà lieu à une autre date ; le jour de la journée ne change plus.`,
  trackRequired: 'Parcours : donnez le nom du parcours.',
  trackTooLong: `Parcours : ${L.trackName} caractères au plus.`,
  trackTaken: (v: string) => `Parcours : « ${v} » existe déjà dans cette journée.`,
  tracksTooMany: `Parcours : au plus ${L.tracks} parcours par journée.`,
  trackUnknown: 'Parcours : choisissez un parcours de cette journée.',
  startRequired: 'Début : donnez l’heure de début, comme 14:00.',
  startInvalid: (v: string) => `Début : « ${v} » n’est pas une heure, écrivez-la comme 14:00.`,
  endRequired: 'Fin : donnez l’heure de fin, comme 15:30.',
  endInvalid: (v: string) => `Fin : « ${v} » n’est pas une heure, écrivez-la comme 15:30.`,
  endBeforeStart: 'Fin : la fin doit venir après le début.',
  outsideDay: (day: string) => `Début : la séance doit avoir lieu le jour de la journée (${day}).`,
  inThePast: 'Début : ce moment est déjà passé.',
  roomTooLong: `Salle : ${L.room} caractères au plus.`,
  speakersTooMany: `Intervenants : au plus ${L.speakers} personnes.`,
  speakerTooLong: (row: number) =>
    `Intervenants, ligne ${row} : le nom tient en ${L.speakerName} caractères, le rôle en ${L.speakerRole}.`,
  themeUnknown: 'Thème : choisissez un thème de la liste.',
  capacityInvalid: `Places : écrivez un nombre de 1 à ${L.capacity} (par exemple 30).`,
  linkNotHttp: (field: string) =>
    `${field} : le lien doit commencer par http:// ou https:// (par exemple https://video.exemple.fr/seance).`,
  linkTooLong: (field: string) => `${field} : ${L.url} caractères au plus.`,
  alreadyRecorded: 'Cette journée est déjà enregistrée dans les activités de coordination.',
  notYet: 'La journée n’a pas encore eu lieu : enregistrez-la dans les activités le jour même ou après.',
  noSession: 'Cette journée n’a aucune séance : il n’y a rien à enregistrer.',
} as const;

const M = NETWORK_DAY_MESSAGES;
const short = (v: string) => v.slice(0, 60);

export const NETWORK_DAY_STATUS_LABELS = {
  tentative: 'À confirmer',
  confirmed: 'Confirmée',
  cancelled: 'Annulée',
} as const;

export interface Speaker {
  name: string;
  role: string;
}

// ---------------------------------------------------------------------------------------------------
// A day.
// ---------------------------------------------------------------------------------------------------

export interface NetworkDayInput {
  structureId?: string;
  title?: string;
  description?: string;
  day?: string;
  placeId?: string;
  status?: string;
}

export interface NetworkDayFields {
  structureId: string;
  title: string;
  description: string;
  day: string;
  placeId: string;
  status: 'tentative' | 'confirmed';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A day's fields checked: a title, a real calendar day, a place and an organising structure picked. */
export function checkNetworkDay(
  input: NetworkDayInput,
): { ok: true; value: NetworkDayFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const structureId = cleanLine(input.structureId ?? '').toLowerCase();
  if (structureId === '') errors.structureId = M.structureRequired;
  else if (!UUID.test(structureId)) errors.structureId = M.unknownStructure;
  const title = cleanLine(input.title ?? '');
  if (title === '') errors.title = M.titleRequired;
  else if ([...title].length > L.title) errors.title = M.titleTooLong;
  const description = cleanMultiline(input.description ?? '');
  if ([...description].length > L.description) errors.description = M.descriptionTooLong;
  const day = cleanLine(input.day ?? '');
  if (day === '') errors.day = M.dayRequired;
  else if (!isIsoDay(day)) errors.day = M.dayInvalid(short(day));
  const placeId = cleanLine(input.placeId ?? '').toLowerCase();
  if (placeId === '') errors.placeId = M.placeRequired;
  else if (!UUID.test(placeId)) errors.placeId = M.placeUnknown;
  const status = cleanLine(input.status ?? 'confirmed') || 'confirmed';
  if (status !== 'tentative' && status !== 'confirmed') errors.status = M.statusUnknown;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: { structureId, title, description, day, placeId, status: status as 'tentative' | 'confirmed' },
  };
}

/** A track's name, checked. */
export function checkTrackName(text: string | undefined): { name: string } | { error: string } {
  const name = cleanLine(text ?? '');
  if (name === '') return { error: M.trackRequired };
  if ([...name].length > L.trackName) return { error: M.trackTooLong };
  return { name };
}

// ---------------------------------------------------------------------------------------------------
// A session.
// ---------------------------------------------------------------------------------------------------

export interface SessionInput {
  title?: string;
  description?: string;
  trackId?: string;
  /** '14:00' on the day, or '2027-01-12 14:00'. */
  start?: string;
  end?: string;
  room?: string;
  /** One person a line: 'Name, role'. */
  speakers?: string;
  theme?: string;
  capacity?: string;
  replayUrl?: string;
  slidesUrl?: string;
}

export interface SessionFields {
  title: string;
  description: string;
  trackId: string;
  startsAt: Date;
  endsAt: Date;
  room: string;
  speakers: Speaker[];
  theme: Theme;
  capacity: number;
  replayUrl: string | null;
  slidesUrl: string | null;
}

/** The speakers' lines ('Name, role', one a line) → speakers; a message naming the line when too long. */
export function parseSpeakers(text: string): { speakers: Speaker[] } | { error: string } {
  const lines = cleanMultiline(text)
    .split('\n')
    .map((l) => cleanLine(l))
    .filter(Boolean);
  if (lines.length > L.speakers) return { error: M.speakersTooMany };
  const speakers: Speaker[] = [];
  for (const [i, line] of lines.entries()) {
    const comma = line.indexOf(',');
    const name = cleanLine(comma < 0 ? line : line.slice(0, comma));
    const role = comma < 0 ? '' : cleanLine(line.slice(comma + 1));
    if ([...name].length > L.speakerName || [...role].length > L.speakerRole)
      return { error: M.speakerTooLong(i + 1) };
    speakers.push({ name, role });
  }
  return { speakers };
}

/** The speakers as the form shows them back. */
export function speakersText(speakers: readonly Speaker[]): string {
  return speakers.map((s) => (s.role ? `${s.name}, ${s.role}` : s.name)).join('\n');
}

/** An optional http(s) link (empty: none), or a message naming the field. */
export function checkLink(
  text: string | undefined,
  field: string,
): { url: string | null } | { error: string } {
  const url = (text ?? '').trim();
  if (url === '') return { url: null };
  if (url.length > L.url) return { error: M.linkTooLong(field) };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: M.linkNotHttp(field) };
  }
  if (
    (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
    !/^https?:\/\/[^\s/?#]+/i.test(url) ||
    parsed.username ||
    parsed.password
  )
    return { error: M.linkNotHttp(field) };
  return { url: parsed.href };
}

const TIME = /^(\d{1,2})[:h](\d{2})$/;

/** A time typed on the day ('14:00', '14h00') or a full Paris time; `outside` when on another day. */
function sessionTime(text: string, day: string): Date | 'invalid' | 'outside' {
  const t = cleanLine(text);
  const m = TIME.exec(t);
  if (m) return parisInstant(`${day}T${m[1]?.padStart(2, '0')}:${m[2]}`) ?? 'invalid';
  const instant = parisInstant(t);
  if (!instant) return 'invalid';
  return parisLocal(instant).slice(0, 10) === day ? instant : 'outside';
}

/**
 * A session checked against its day: a title, a track of the day, start and end on the day (the end
 * after the start; a new session not in the past), a room, the speakers, a La Coop theme (the workshop's
 * topic), the seats, and the replay and slides links (http or https only).
 */
export function checkSession(
  input: SessionInput,
  ctx: { day: string; trackIds: readonly string[]; now: Date; isNew: boolean },
): { ok: true; value: SessionFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const title = cleanLine(input.title ?? '');
  if (title === '') errors.title = M.titleRequired;
  else if ([...title].length > L.title) errors.title = M.titleTooLong;
  const description = cleanMultiline(input.description ?? '');
  if ([...description].length > L.description) errors.description = M.descriptionTooLong;
  const trackId = cleanLine(input.trackId ?? '').toLowerCase();
  if (!ctx.trackIds.includes(trackId)) errors.trackId = M.trackUnknown;
  const startText = cleanLine(input.start ?? '');
  const endText = cleanLine(input.end ?? '');
  const start = startText === '' ? 'missing' : sessionTime(startText, ctx.day);
  const end = endText === '' ? 'missing' : sessionTime(endText, ctx.day);
  if (start === 'missing') errors.start = M.startRequired;
  else if (start === 'invalid') errors.start = M.startInvalid(short(startText));
  else if (start === 'outside') errors.start = M.outsideDay(ctx.day);
  if (end === 'missing') errors.end = M.endRequired;
  else if (end === 'invalid') errors.end = M.endInvalid(short(endText));
  else if (end === 'outside') errors.end = M.outsideDay(ctx.day).replace('Début', 'Fin');
  if (start instanceof Date && end instanceof Date) {
    if (end <= start) errors.end = M.endBeforeStart;
    else if (ctx.isNew && start <= ctx.now) errors.start = M.inThePast;
  }
  const room = cleanLine(input.room ?? '');
  if ([...room].length > L.room) errors.room = M.roomTooLong;
  const speakers = parseSpeakers(input.speakers ?? '');
  if ('error' in speakers) errors.speakers = speakers.error;
  const themeText = cleanLine(input.theme ?? '');
  const theme = (Object.hasOwn(THEME_LABELS, themeText) ? themeText : null) as Theme | null;
  if (!theme) errors.theme = M.themeUnknown;
  const capacityText = cleanLine(input.capacity ?? '');
  const capacity = /^\d{1,5}$/.test(capacityText) ? Number(capacityText) : 0;
  if (capacity < 1 || capacity > L.capacity) errors.capacity = M.capacityInvalid;
  const replay = checkLink(input.replayUrl, 'Lien du replay');
  if ('error' in replay) errors.replayUrl = replay.error;
  const slides = checkLink(input.slidesUrl, 'Lien des supports');
  if ('error' in slides) errors.slidesUrl = slides.error;
  if (
    Object.keys(errors).length ||
    !(start instanceof Date) ||
    !(end instanceof Date) ||
    'error' in speakers ||
    'error' in replay ||
    'error' in slides ||
    !theme
  )
    return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      description,
      trackId,
      startsAt: start,
      endsAt: end,
      room,
      speakers: speakers.speakers,
      theme,
      capacity,
      replayUrl: replay.url,
      slidesUrl: slides.url,
    },
  };
}
