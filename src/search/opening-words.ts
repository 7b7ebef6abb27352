import { keepUnits } from '../shared/format.ts';
import type { NextOpening, OpeningStatus } from './opening.ts';
import type { SearchStrings } from './strings.ts';

/**
 * A place's opening said once, in the reader's words: "Ouvert maintenant · jusqu'à 17 h", "Fermé
 * aujourd'hui · ouvre lundi à 8 h 30", "Fermé en ce moment · rouvre lundi 5 janvier à 9 h" (a temporary
 * closure running). `lead` is the state (in bold on the page, never by colour alone), `rest` what comes
 * next; numbers and units are kept together by non-breaking spaces.
 */
export interface OpeningWords {
  state: 'open' | 'closed' | 'unknown';
  lead: string;
  rest: string | null;
}

/** "demain à 9 h", "lundi à 8 h 30", "lundi 12 janvier à 9 h", "à 14 h" (today). */
export function whenWords(s: SearchStrings, next: NextOpening): string {
  return keepUnits(s.whenNext(next.inDays, next.weekday, next.date, next.time));
}

export function describeOpening(
  s: SearchStrings,
  status: OpeningStatus,
  opts: { inClosure?: boolean } = {},
): OpeningWords {
  if (status.openNow === null) return { state: 'unknown', lead: s.hoursUnknown, rest: null };
  if (status.openNow) {
    const closes = status.closesAt;
    const rest = closes
      ? keepUnits(closes.inMinutes <= 30 ? s.closesSoon(closes.time) : s.closesAt(closes.time))
      : null;
    return { state: 'open', lead: s.openNow, rest };
  }
  const next = status.next ?? null;
  if (opts.inClosure)
    return { state: 'closed', lead: s.closedForNow, rest: next ? s.reopensWhen(whenWords(s, next)) : null };
  const lead =
    next?.inDays === 0 ? s.closedNow : (status.today ?? []).length === 0 ? s.closedToday : s.closedForToday;
  return { state: 'closed', lead, rest: next ? s.opensWhen(whenWords(s, next)) : null };
}
