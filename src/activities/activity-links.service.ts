import { searchCommunes } from '../communes/commune-search.ts';
import { getCommune } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { findOrientation } from '../referrals/referrals.repository.ts';
import { findRedemption } from '../vouchers/vouchers.repository.ts';
import { countRegistrations, findOccurrence, findWorkshop } from '../workshops/workshops.repository.ts';
import { findActivityIdByVoucherEntry, findActivityIdByWorkshopDay } from './activities.repository.ts';
import { type ActivityFields, type FieldErrors, MESSAGES } from './activities.ts';

/**
 * What a record links to, checked with the other domains' own reading functions (decision 0038, "Pages
 * and links"): the orientation that brought the person must have been received by the recording
 * structure and closed as "came"; the pass numérique redemption must be one of the structure's places',
 * not cancelled, and not already recorded; a workshop's date of the agenda must be one of the
 * structure's, not cancelled, over, recorded on its own day and not already recorded; a commune must
 * exist. No SQL here: the referrals, vouchers and workshops repositories read their own tables.
 */

export const LINK_MESSAGES = {
  orientationNotOurs:
    'Cette orientation n’existe pas ou n’a pas été reçue par votre structure : l’accompagnement ne peut pas y être lié.',
  orientationNotCame:
    'Cette orientation n’est pas clôturée avec « la personne est venue » : clôturez-la d’abord, puis enregistrez l’accompagnement.',
  voucherEntryNotOurs:
    'Cet encaissement de pass numérique n’existe pas ou n’a pas été fait dans un lieu de votre structure.',
  voucherEntryCancelled:
    'Cet encaissement de pass numérique a été annulé : l’accompagnement ne peut pas y être lié.',
  workshopDateNotOurs:
    'Cette date d’atelier n’existe pas ou n’est pas celle d’un atelier de votre structure : l’atelier ne peut pas y être lié.',
  workshopDateCancelled: 'Cette date d’atelier a été annulée : elle ne s’enregistre pas dans les activités.',
  workshopDateNotOver: 'Cet atelier n’est pas encore terminé : enregistrez-le après la séance.',
  workshopDateDay: (day: string) =>
    `La date doit être celle de l’atelier, le ${day} : une date d’atelier s’enregistre à son jour.`,
  communeUnknown: (v: string) =>
    `La commune « ${v} » est introuvable. Écrivez son nom, son code postal ou son code INSEE, par exemple Orléans ou 45000.`,
  communeAmbiguous: (v: string, names: string) =>
    `« ${v} » désigne plusieurs communes (${names}) : écrivez le nom avec le code postal, par exemple « Orléans 45000 ».`,
} as const;

const INSEE = /^(\d{5}|2[AB]\d{3})$/;

/**
 * A commune as typed (a name, a postcode, an INSEE code): its INSEE code, '' when nothing was typed, or a
 * French message when it is unknown or names several communes.
 */
export function resolveCommuneTyped(typed: string | undefined): { code: string } | { error: string } {
  const t = (typed ?? '').trim().slice(0, 100);
  if (t === '') return { code: '' };
  const upper = t.toUpperCase();
  if (INSEE.test(upper) && getCommune(upper)) return { code: upper };
  const found = searchCommunes(t);
  if (found.exact) return { code: found.exact.code };
  if (found.candidates.length > 1)
    return {
      error: LINK_MESSAGES.communeAmbiguous(
        t.slice(0, 60),
        found.candidates
          .slice(0, 4)
          .map((c) => `${c.nom} ${c.codesPostaux[0] ?? c.code}`)
          .join(', '),
      ),
    };
  if (found.candidates.length === 1 && found.candidates[0]) return { code: found.candidates[0].code };
  return { error: LINK_MESSAGES.communeUnknown(t.slice(0, 60)) };
}

/** A commune's name for a page ("Orléans (45234)"), or the code alone. */
export function communeLabel(code: string | null): string | null {
  if (!code) return null;
  const c = getCommune(code);
  return c ? `${c.nom} (${code})` : code;
}

/**
 * The links of a checked record, against the structure recording it: French messages under the fields'
 * names, and the record already written for the same redemption, if any (the page links to it).
 */
export async function checkActivityLinks(
  db: Db,
  structureId: string,
  f: Pick<
    ActivityFields,
    'orientationId' | 'voucherEntryId' | 'communeCode' | 'beneficiaryCommuneCode' | 'workshopDateId' | 'date'
  >,
  now: Date = new Date(),
): Promise<{ errors: FieldErrors; existingActivityId?: string; workshopId?: string }> {
  const errors: FieldErrors = {};
  let existingActivityId: string | undefined;
  let workshopId: string | undefined;
  if (f.communeCode !== null && !getCommune(f.communeCode))
    errors.communeCode = LINK_MESSAGES.communeUnknown(f.communeCode);
  if (f.beneficiaryCommuneCode !== null && !getCommune(f.beneficiaryCommuneCode))
    errors.beneficiaryCommuneCode = LINK_MESSAGES.communeUnknown(f.beneficiaryCommuneCode);
  if (f.orientationId !== null) {
    const o = await findOrientation(db, f.orientationId);
    // Unknown and another structure's orientation are refused alike: nobody learns which ids exist.
    if (!o || o.receiver_structure_id !== structureId)
      errors.orientationId = LINK_MESSAGES.orientationNotOurs;
    else if (o.state !== 'came') errors.orientationId = LINK_MESSAGES.orientationNotCame;
  }
  if (f.voucherEntryId !== null) {
    const r = await findRedemption(db, f.voucherEntryId);
    if (!r || r.structure_id !== structureId) errors.voucherEntryId = LINK_MESSAGES.voucherEntryNotOurs;
    else if (r.cancelled_at !== null) errors.voucherEntryId = LINK_MESSAGES.voucherEntryCancelled;
    else {
      existingActivityId = await findActivityIdByVoucherEntry(db, f.voucherEntryId);
      if (existingActivityId) errors.voucherEntryId = MESSAGES.voucherEntryTaken;
    }
  }
  if (f.workshopDateId !== null) {
    const d = await workshopDateOf(db, structureId, f.workshopDateId);
    if (!d) errors.workshopDateId = LINK_MESSAGES.workshopDateNotOurs;
    else if (d.cancelled) errors.workshopDateId = LINK_MESSAGES.workshopDateCancelled;
    else if (d.endsAt > now) errors.workshopDateId = LINK_MESSAGES.workshopDateNotOver;
    else if (f.date !== d.day) errors.date = LINK_MESSAGES.workshopDateDay(frenchDate(d.day));
    else {
      workshopId = d.workshopId;
      existingActivityId = await findActivityIdByWorkshopDay(db, d.workshopId, d.day);
      if (existingActivityId) errors.workshopDateId = MESSAGES.workshopDateTaken;
    }
  }
  return {
    errors,
    ...(existingActivityId ? { existingActivityId } : {}),
    ...(workshopId ? { workshopId } : {}),
  };
}

/** A date of one of the structure's workshops (any state: the record's check says what is wrong). */
async function workshopDateOf(db: Db, structureId: string, occurrenceId: string) {
  const o = await findOccurrence(db, occurrenceId);
  const w = o ? await findWorkshop(db, o.workshop_id) : undefined;
  // Unknown and another structure's date are refused alike: nobody learns which ids exist.
  if (!o || !w || w.structure_id !== structureId) return null;
  return {
    id: o.id,
    workshop: w,
    workshopId: w.id,
    day: localToday(o.starts_at),
    startsAt: o.starts_at,
    endsAt: o.ends_at,
    cancelled: o.status === 'cancelled' || w.status === 'cancelled',
  };
}

/**
 * A date of one of the structure's workshops, for the form: the workshop's fields, its day and length,
 * how many people came, and the record already written for that day, if any.
 */
export async function workshopDateForForm(db: Db, structureId: string, occurrenceId: string) {
  const d = await workshopDateOf(db, structureId, occurrenceId);
  if (!d) return null;
  const counts = await countRegistrations(db, d.id);
  return {
    ...d,
    attended: counts.attended,
    minutes: Math.round((d.endsAt.getTime() - d.startsAt.getTime()) / 60_000),
    existingActivityId: await findActivityIdByWorkshopDay(db, d.workshopId, d.day),
  };
}

/** What an orientation and a redemption bring to the form, for the structure that received them. */
export interface LinkPrefill {
  /** The orientation's needs, said in words, for the page to recall. */
  orientation?: { id: string; needs: string[]; placeId: string | null };
  voucherEntry?: { id: number; placeId: string; servedOn: string | null; needs: string[] };
}

/** An orientation received by the structure (any state: the record's check says what is wrong). */
export async function orientationForForm(db: Db, structureId: string, id: string) {
  const o = await findOrientation(db, id);
  if (!o || o.receiver_structure_id !== structureId) return null;
  return { id: o.id, needs: [...o.needs], placeId: o.place_id, state: o.state };
}

/** A redemption at one of the structure's places, not cancelled. */
export async function redemptionForForm(db: Db, structureId: string, id: number) {
  const r = await findRedemption(db, id);
  if (!r || r.structure_id !== structureId || r.cancelled_at !== null) return null;
  const d = r.details;
  return {
    id: Number(r.id),
    placeId: r.place_id,
    servedOn: typeof d.servedOn === 'string' ? d.servedOn : null,
    needs: Array.isArray(d.needs) ? (d.needs as string[]) : [],
  };
}
