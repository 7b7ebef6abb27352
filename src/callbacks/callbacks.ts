import { createHmac, randomInt } from 'node:crypto';
import type { CallbackSlotPart, CallbackState } from '../db/database.ts';
import { compileOpeningHours, regionOf } from '../search/opening.ts';
import { normalizePhone } from '../shared/phone.ts';
import { cleanLine } from '../shared/text.ts';
import {
  addCalendarDays,
  addWorkingDays,
  isIsoDay,
  isPublicHoliday,
  isWorkingDay,
} from '../shared/working-days.ts';

/**
 * "Être rappelé", pure rules: which days and half-days a person may choose, what the form accepts, the
 * short reference, the states and their moves (docs/decisions/0032-callbacks.md).
 */

export type { CallbackSlotPart, CallbackState };

/** A day may be chosen from tomorrow up to this many days ahead. */
export const MAX_DAYS_AHEAD = 14;
/** A request not done within so many working days (after the request, or after the day chosen) is late. */
export const WORKING_DAYS_TO_CALL = 2;
export const FIRST_NAME_MAX = 40;
export const PHONE_INPUT_MAX = 30;

export const OPEN_STATES: readonly CallbackState[] = ['to_call', 'retry'];
/** What the person who called records: called, no answer (tried again later), or unreachable (closed). */
export const OUTCOMES = ['done', 'retry', 'unreachable'] as const;
export type CallbackOutcome = (typeof OUTCOMES)[number];

/** References are read out on the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B. */
export const REFERENCE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const REFERENCE_PATTERN = /^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/;

export function newReference(): string {
  let ref = '';
  for (let i = 0; i < 6; i++) ref += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return ref;
}

/**
 * A phone number as a limit key: an HMAC under the installation's secret, so the counters table never
 * holds the number, and its key cannot be reversed by hashing the few hundred million French numbers.
 */
export function phoneKey(secret: Buffer, phone: string): string {
  return createHmac('sha256', secret).update(`callback-phone:${phone}`).digest('hex').slice(0, 32);
}

/** One day a person may choose, and which of its half-days. */
export interface OfferedDay {
  date: string;
  morning: boolean;
  afternoon: boolean;
}

/**
 * A half-day (morning: before noon; afternoon: from noon) is offered only when the place is open at
 * least this long within it: a place closing at 12:30 is not "open in the afternoon".
 */
export const MIN_OPEN_MINUTES_PER_HALF_DAY = 60;

/** Which half-days a place is open on a day; null when its hours are unknown or unreadable. */
export type OpeningOf = (date: string) => { morning: boolean; afternoon: boolean };

/**
 * The half-days a place is open, from its OSM hours where it is (its own holidays and time zone), or
 * null when the hours are unknown, unreadable, or open on no day of the coming weeks (then working days
 * are offered instead: the structure still answers its phone).
 */
export function openingOf(
  hours: string | null,
  codeInsee: string | null,
  codePostal: string | null,
  today: string,
): OpeningOf | null {
  if (!hours) return null;
  const oh = compileOpeningHours(hours, regionOf(codeInsee, codePostal));
  if (!oh) return null;
  const wall = (iso: string, hour: number) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d, hour);
  };
  let intervals: [Date, Date, ...unknown[]][];
  try {
    intervals = oh.getOpenIntervals(wall(today, 0), wall(addCalendarDays(today, MAX_DAYS_AHEAD + 1), 0));
  } catch {
    return null;
  }
  // "Sur rendez-vous" and the like are read as open at unknown times: they say nothing of the days.
  intervals = intervals.filter((i) => i[2] !== true);
  if (intervals.length === 0) return null;
  return (date) => {
    const start = wall(date, 0).getTime();
    const noon = wall(date, 12).getTime();
    const end = wall(addCalendarDays(date, 1), 0).getTime();
    // Minutes open between a and b (intervals do not overlap one another).
    const openFor = (a: number, b: number) =>
      intervals.reduce(
        (sum, [from, to]) => sum + Math.max(0, Math.min(to.getTime(), b) - Math.max(from.getTime(), a)),
        0,
      ) / 60_000;
    return {
      morning: openFor(start, noon) >= MIN_OPEN_MINUTES_PER_HALF_DAY,
      afternoon: openFor(noon, end) >= MIN_OPEN_MINUTES_PER_HALF_DAY,
    };
  };
}

/**
 * The days a person may choose: from tomorrow to MAX_DAYS_AHEAD days ahead, never a public holiday; the
 * place's open half-days when its hours are known, otherwise working days (both half-days); never a day
 * of a temporary closure (both days included). "As soon as possible" is always offered besides (no day).
 */
export function offeredDays(
  today: string,
  opening: OpeningOf | null,
  closures: readonly { startsOn: string; endsOn: string }[] = [],
): OfferedDay[] {
  const days: OfferedDay[] = [];
  for (let n = 1; n <= MAX_DAYS_AHEAD; n++) {
    const date = addCalendarDays(today, n);
    if (isPublicHoliday(date)) continue;
    if (closures.some((c) => c.startsOn <= date && date <= c.endsOn)) continue;
    if (opening) {
      const open = opening(date);
      if (open.morning || open.afternoon) days.push({ date, ...open });
    } else if (isWorkingDay(date)) days.push({ date, morning: true, afternoon: true });
  }
  return days;
}

/** The last day to call before the request is late: 2 working days after the request or the day chosen. */
export function dueOn(requestDay: string, slotDate: string | null): string {
  const from = slotDate !== null && slotDate > requestDay ? slotDate : requestDay;
  return addWorkingDays(from, WORKING_DAYS_TO_CALL);
}

/** The form as posted (French field names: prenom, telephone, jour, moment, accord). */
export interface CallbackForm {
  firstName: string;
  phone: string;
  day: string;
  part: string;
  consent: boolean;
}

export type CallbackField = 'prenom' | 'telephone' | 'jour' | 'moment' | 'accord';

/** Why a field is refused, with what the words need (the value as typed, the day…). */
export type CallbackIssue =
  | { field: 'prenom'; code: 'missing' | 'too_long' | 'not_a_name'; value: string }
  | { field: 'telephone'; code: 'missing' | 'too_long' | 'not_french'; value: string }
  | {
      field: 'jour';
      code: 'not_a_date' | 'past' | 'today' | 'too_far' | 'holiday' | 'closed';
      value: string;
    }
  | { field: 'moment'; code: 'unknown' | 'closed'; value: string; day?: string }
  | { field: 'accord'; code: 'missing'; value: string };

export interface CheckedCallback {
  firstName: string;
  phone: string;
  slotDate: string | null;
  slotPart: CallbackSlotPart;
}

const PARTS: Readonly<Record<string, CallbackSlotPart>> = {
  matin: 'morning',
  'apres-midi': 'afternoon',
  indifferent: 'any',
};
export const PART_VALUES: Readonly<Record<CallbackSlotPart, string>> = {
  morning: 'matin',
  afternoon: 'apres-midi',
  any: 'indifferent',
};

/** Letters of any alphabet, spaces, hyphens, apostrophes and dots: a first name, nothing to run. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u;

/**
 * The form checked against the days offered: a first name (40 characters, letters), a French number,
 * a day among those offered (or none: the first possible), a half-day open that day, the consent ticked.
 * Every problem is returned, by field, with the value as typed.
 */
export function checkCallbackForm(
  form: CallbackForm,
  today: string,
  offered: readonly OfferedDay[],
): { ok: true; value: CheckedCallback } | { ok: false; issues: CallbackIssue[] } {
  const issues: CallbackIssue[] = [];
  const firstName = cleanLine(form.firstName);
  if (firstName === '') issues.push({ field: 'prenom', code: 'missing', value: '' });
  else if (firstName.length > FIRST_NAME_MAX)
    issues.push({ field: 'prenom', code: 'too_long', value: firstName.slice(0, 60) });
  else if (!NAME.test(firstName)) issues.push({ field: 'prenom', code: 'not_a_name', value: firstName });

  const typed = cleanLine(form.phone);
  const phone = typed.length > PHONE_INPUT_MAX ? null : normalizePhone(typed);
  if (typed === '') issues.push({ field: 'telephone', code: 'missing', value: '' });
  else if (typed.length > PHONE_INPUT_MAX)
    issues.push({ field: 'telephone', code: 'too_long', value: typed.slice(0, PHONE_INPUT_MAX) });
  else if (phone === null) issues.push({ field: 'telephone', code: 'not_french', value: typed });

  const dayText = cleanLine(form.day).slice(0, 40);
  let slotDate: string | null = null;
  let offeredDay: OfferedDay | undefined;
  if (dayText !== '') {
    offeredDay = offered.find((d) => d.date === dayText);
    if (offeredDay) slotDate = dayText;
    else if (!isIsoDay(dayText)) issues.push({ field: 'jour', code: 'not_a_date', value: dayText });
    else if (dayText < today) issues.push({ field: 'jour', code: 'past', value: dayText });
    else if (dayText === today) issues.push({ field: 'jour', code: 'today', value: dayText });
    else if (dayText > addCalendarDays(today, MAX_DAYS_AHEAD))
      issues.push({ field: 'jour', code: 'too_far', value: dayText });
    else if (isPublicHoliday(dayText)) issues.push({ field: 'jour', code: 'holiday', value: dayText });
    else issues.push({ field: 'jour', code: 'closed', value: dayText });
  }

  const partText = cleanLine(form.part).slice(0, 40);
  const slotPart = Object.hasOwn(PARTS, partText) ? (PARTS[partText] as CallbackSlotPart) : null;
  if (slotPart === null) issues.push({ field: 'moment', code: 'unknown', value: partText });
  else if (offeredDay && slotPart !== 'any' && !offeredDay[slotPart])
    issues.push({ field: 'moment', code: 'closed', value: partText, day: offeredDay.date });

  if (!form.consent) issues.push({ field: 'accord', code: 'missing', value: '' });
  if (issues.length > 0 || phone === null || slotPart === null) return { ok: false, issues };
  return { ok: true, value: { firstName, phone, slotDate, slotPart } };
}
