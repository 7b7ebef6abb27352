import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { findPlaceWithStructure } from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureNames } from '../structures/structures.service.ts';
import { fillFreedSeats, mailChange, seated } from './seats.service.ts';
import {
  clearReminders,
  countRegistrations,
  countRegistrationsOf,
  findOccurrence,
  findWorkshop,
  insertOccurrences,
  insertWorkshop,
  listOccurrencesOf,
  listUpcomingRows,
  listWorkshopsOf,
  liveRegistrationsOf,
  lockOccurrence,
  lockWorkshop,
  type OccurrenceRow,
  type SeatCounts,
  updateOccurrenceRow,
  updateWorkshopRow,
  type WorkshopRow,
} from './workshops.repository.ts';
import {
  checkDates,
  checkWorkshop,
  type DateInput,
  type FieldErrors,
  MESSAGES,
  type WorkshopFields,
  type WorkshopInput,
  type WorkshopStatus,
} from './workshops.ts';

/**
 * The agenda's workshops (decision 0041): a structure's staff create a workshop with its dates (one or
 * a series), change it, move, add or cancel a date, cancel it; anybody reads the agenda (no personal
 * data: counts only). Each change people's calendars must follow raises an iCal sequence. Bad input is
 * refused with French messages under each field's name, nothing written.
 */

export type FormResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

/** One date as the agenda shows it. */
export interface DateView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  /** The date's own status. */
  dateStatus: 'scheduled' | 'cancelled';
  /** What a calendar shows: cancelled when the date or the workshop is. */
  status: WorkshopStatus;
  /** iCal SEQUENCE of the date's event: the workshop's plus the date's own (both only grow). */
  sequence: number;
  capacity: number;
  registered: number;
  waiting: number;
  attended: number;
  absent: number;
  seatsLeft: number;
  past: boolean;
}

/** A workshop as the agenda shows it (no personal data). */
export interface WorkshopView {
  id: string;
  structureId: string;
  structureName: string | null;
  title: string;
  description: string;
  needs: string[];
  themes: string[];
  level: 'debutant' | 'intermediaire' | 'avance' | null;
  mode: 'place' | 'online';
  placeId: string | null;
  placeName: string | null;
  communeCode: string | null;
  onlineUrl: string | null;
  audience: string;
  accessibility: string;
  capacity: number;
  priceCents: number;
  status: WorkshopStatus;
  sequence: number;
  isDemo: boolean;
  createdAt: Date;
  updatedAt: Date;
  dates: DateView[];
}

const NO_COUNTS: SeatCounts = {
  registered: 0,
  waiting: 0,
  cancelled: 0,
  attended: 0,
  absent: 0,
  lastPosition: 0,
};

export function toDateView(
  w: WorkshopRow,
  o: OccurrenceRow,
  counts: SeatCounts | undefined,
  now: Date,
): DateView {
  const c = counts ?? NO_COUNTS;
  const cancelled = o.status === 'cancelled' || w.status === 'cancelled';
  return {
    id: o.id,
    startsAt: o.starts_at,
    endsAt: o.ends_at,
    dateStatus: o.status,
    status: cancelled ? 'cancelled' : w.status,
    sequence: w.sequence + o.sequence,
    capacity: w.capacity,
    registered: c.registered,
    waiting: c.waiting,
    attended: c.attended,
    absent: c.absent,
    seatsLeft: Math.max(0, w.capacity - seated(c)),
    past: o.starts_at <= now,
  };
}

function toView(w: WorkshopRow, dates: DateView[], names: Map<string, string>): WorkshopView {
  return {
    id: w.id,
    structureId: w.structure_id,
    structureName: names.get(w.structure_id) ?? null,
    title: w.title,
    description: w.description,
    needs: w.needs,
    themes: w.themes,
    level: w.level,
    mode: w.mode,
    placeId: w.place_id,
    placeName: w.place_name,
    communeCode: w.commune_code,
    onlineUrl: w.online_url,
    audience: w.audience,
    accessibility: w.accessibility,
    capacity: w.capacity,
    priceCents: w.price_cents,
    status: w.status,
    sequence: w.sequence,
    isDemo: w.is_demo,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    dates,
  };
}

async function viewsOf(db: Db, workshops: readonly WorkshopRow[], now: Date): Promise<WorkshopView[]> {
  const occurrences = await listOccurrencesOf(
    db,
    workshops.map((w) => w.id),
  );
  const counts = await countRegistrationsOf(
    db,
    occurrences.map((o) => o.id),
  );
  const names = await structureNames(
    db,
    workshops.map((w) => w.structure_id),
  );
  return workshops.map((w) =>
    toView(
      w,
      occurrences.filter((o) => o.workshop_id === w.id).map((o) => toDateView(w, o, counts.get(o.id), now)),
      names,
    ),
  );
}

/** The place's columns: its name and commune copied from the directory; an unknown place is an error. */
async function placeColumns(
  db: Db,
  f: WorkshopFields,
): Promise<
  | { ok: true; cols: { place_id: string | null; place_name: string | null; commune_code: string | null } }
  | { ok: false; errors: FieldErrors }
> {
  if (f.mode === 'online')
    return { ok: true, cols: { place_id: null, place_name: null, commune_code: null } };
  const found = f.placeId ? await findPlaceWithStructure(db, f.placeId) : null;
  if (!found) return { ok: false, errors: { placeId: MESSAGES.placeUnknown } };
  return {
    ok: true,
    cols: {
      place_id: found.place.id,
      place_name: [...found.place.nom].slice(0, 300).join(''),
      // An imported code the column would refuse is left out rather than failing the write.
      commune_code: COMMUNE_CODE.test(found.place.codeInsee ?? '') ? found.place.codeInsee : null,
    },
  };
}

function workshopColumns(f: WorkshopFields) {
  return {
    title: f.title,
    description: f.description,
    needs: f.needs,
    themes: f.themes,
    level: f.level,
    mode: f.mode,
    online_url: f.onlineUrl,
    audience: f.audience,
    accessibility: f.accessibility,
    capacity: f.capacity,
    price_cents: f.priceCents,
    status: f.status,
  };
}

const COMMUNE_CODE = /^([013-9][0-9]|2[AB1-9])[0-9]{3}$/;

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

/** A workshop by id, authorised for `fn` on its structure; unknown ids learn nothing. */
async function workshopFor(
  db: Db,
  actor: Actor,
  fn: 'updateWorkshop' | 'cancelWorkshop' | 'addWorkshopDates',
  id: string,
) {
  const row = isUuid(id) ? await findWorkshop(db, id.toLowerCase()) : undefined;
  if (!row) {
    authorize(actor, fn, {});
    throw new DomainError('not_found', MESSAGES.unknownWorkshop, { id });
  }
  authorize(actor, fn, { structureId: row.structure_id });
  return row;
}

/** A date and its workshop by the date's id, authorised for `fn` on the workshop's structure. */
async function occurrenceFor(
  db: Db,
  actor: Actor,
  fn: 'moveWorkshopDate' | 'cancelWorkshopDate',
  id: string,
) {
  const o = isUuid(id) ? await findOccurrence(db, id.toLowerCase()) : undefined;
  const w = o ? await findWorkshop(db, o.workshop_id) : undefined;
  if (!o || !w) {
    authorize(actor, fn, {});
    throw new DomainError('not_found', MESSAGES.unknownDate, { id });
  }
  authorize(actor, fn, { structureId: w.structure_id });
  return { occurrence: o, workshop: w };
}

/**
 * Creates a workshop of a structure with its dates (one for a one-off workshop, several for a series),
 * by the structure's own staff. Everything is checked first (the workshop's fields, the place in the
 * directory, each date); the workshop and its dates are written in one transaction.
 */
export async function createWorkshop(
  db: Db,
  actor: Actor,
  input: { structureId: string; workshop: WorkshopInput; dates: readonly DateInput[] },
  opts: { now?: Date; isDemo?: boolean } = {},
): Promise<FormResult<{ workshop: WorkshopView }>> {
  const structureId = isUuid(input.structureId) ? input.structureId.toLowerCase() : input.structureId;
  authorize(actor, 'createWorkshop', { structureId });
  if (!isUuid(structureId)) throw new DomainError('not_found', MESSAGES.unknownStructure, { structureId });
  const now = nowOf(opts);
  const checked = checkWorkshop(input.workshop);
  const dates = checkDates(input.dates, now);
  const errors: FieldErrors = { ...(checked.ok ? {} : checked.errors), ...(dates.ok ? {} : dates.errors) };
  if (!checked.ok || !dates.ok) return { ok: false, errors };
  const place = await placeColumns(db, checked.value);
  if (!place.ok) return place;
  try {
    const row = await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      const w = await insertWorkshop(tx, {
        ...workshopColumns(checked.value),
        ...place.cols,
        structure_id: structureId,
        created_by: actor.kind === 'person' ? actor.personId : null,
        is_demo: opts.isDemo ?? false,
        created_at: now,
        updated_at: now,
      });
      await insertOccurrences(
        tx,
        dates.value.map((d) => ({
          workshop_id: w.id,
          starts_at: d.startsAt,
          ends_at: d.endsAt,
          created_at: now,
          updated_at: now,
        })),
      );
      return w;
    });
    return { ok: true, workshop: (await viewsOf(db, [row], now))[0] as WorkshopView };
  } catch (error) {
    if ((error as { code?: string }).code === '23503')
      throw new DomainError('not_found', MESSAGES.unknownStructure, { structureId });
    throw error;
  }
}

/**
 * Changes a workshop's fields (not its dates), by its structure's staff; raises its iCal sequence.
 * Capacity may not go below the people already seated on a coming date; more capacity promotes the
 * waiting lists at once (each promoted person is told). A cancelled workshop no longer changes.
 */
export async function updateWorkshop(
  db: Db,
  actor: Actor,
  input: { workshopId: string; workshop: WorkshopInput },
  opts: { now?: Date; publicUrl: string },
): Promise<FormResult<{ workshop: WorkshopView; promoted: number }>> {
  const existing = await workshopFor(db, actor, 'updateWorkshop', input.workshopId);
  const now = nowOf(opts);
  if (existing.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
  const checked = checkWorkshop(input.workshop);
  if (!checked.ok) return checked;
  const place = await placeColumns(db, checked.value);
  if (!place.ok) return place;
  const result = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const w = await lockWorkshop(tx, existing.id);
    if (!w) throw new DomainError('not_found', MESSAGES.unknownWorkshop);
    if (w.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
    // Every coming date is locked (in one order) before the capacity is read against its seats.
    const coming = (await listOccurrencesOf(tx, [w.id]))
      .filter((o) => o.starts_at > now)
      .sort((a, b) => a.id.localeCompare(b.id));
    let most = 0;
    for (const o of coming) {
      await lockOccurrence(tx, o.id);
      most = Math.max(most, seated(await countRegistrations(tx, o.id)));
    }
    if (checked.value.capacity < most)
      return { ok: false as const, errors: { capacity: MESSAGES.capacityBelowRegistered(most) } };
    const updated = await updateWorkshopRow(
      tx,
      w.id,
      { ...workshopColumns(checked.value), ...place.cols },
      now,
    );
    let promoted = 0;
    for (const o of coming)
      promoted += (
        await fillFreedSeats(tx, { occurrence: o, workshop: updated, now, publicUrl: opts.publicUrl })
      ).length;
    return { ok: true as const, row: updated, promoted };
  });
  if (!result.ok) return result;
  return {
    ok: true,
    workshop: (await viewsOf(db, [result.row], now))[0] as WorkshopView,
    promoted: result.promoted,
  };
}

/**
 * Cancels a workshop, every date with it, by its structure's staff; raises its iCal sequence (calendars
 * show it cancelled). The people registered to a coming date who gave an address are told. Cancelling
 * twice is a `conflict`.
 */
export async function cancelWorkshop(
  db: Db,
  actor: Actor,
  input: { workshopId: string },
  opts: { now?: Date } = {},
): Promise<{ workshop: WorkshopView; told: number }> {
  const existing = await workshopFor(db, actor, 'cancelWorkshop', input.workshopId);
  const now = nowOf(opts);
  const result = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const w = await lockWorkshop(tx, existing.id);
    if (!w) throw new DomainError('not_found', MESSAGES.unknownWorkshop);
    if (w.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
    const coming = (await listOccurrencesOf(tx, [w.id]))
      .filter((o) => o.starts_at > now && o.status === 'scheduled')
      .sort((a, b) => a.id.localeCompare(b.id));
    for (const o of coming) await lockOccurrence(tx, o.id);
    const updated = await updateWorkshopRow(tx, w.id, { status: 'cancelled' }, now);
    const told = await mailChange(tx, {
      registrations: await liveRegistrationsOf(
        tx,
        coming.map((o) => o.id),
      ),
      occurrences: new Map(coming.map((o) => [o.id, o])),
      workshop: updated,
      kind: 'cancelled',
      now,
    });
    return { row: updated, told };
  });
  return { workshop: (await viewsOf(db, [result.row], now))[0] as WorkshopView, told: result.told };
}

/** Adds dates to a workshop (a series grows), by its structure's staff; each is checked like at creation. */
export async function addWorkshopDates(
  db: Db,
  actor: Actor,
  input: { workshopId: string; dates: readonly DateInput[] },
  opts: { now?: Date } = {},
): Promise<FormResult<{ workshop: WorkshopView }>> {
  const existing = await workshopFor(db, actor, 'addWorkshopDates', input.workshopId);
  const now = nowOf(opts);
  if (existing.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
  const dates = checkDates(input.dates, now);
  if (!dates.ok) return dates;
  const result = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const w = await lockWorkshop(tx, existing.id);
    if (!w) throw new DomainError('not_found', MESSAGES.unknownWorkshop);
    if (w.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
    const taken = (await listOccurrencesOf(tx, [w.id])).filter((o) => o.status === 'scheduled');
    const clash = dates.value.findIndex((d) =>
      taken.some((o) => o.starts_at.getTime() === d.startsAt.getTime()),
    );
    if (clash >= 0) {
      const row = dates.value[clash]?.row ?? clash + 1; // its row on the form, not its rank once sorted
      return { ok: false as const, errors: { dates: MESSAGES.sameDate(row) } };
    }
    await insertOccurrences(
      tx,
      dates.value.map((d) => ({
        workshop_id: w.id,
        starts_at: d.startsAt,
        ends_at: d.endsAt,
        created_at: now,
        updated_at: now,
      })),
    );
    return { ok: true as const, row: w };
  });
  if (!result.ok) return result;
  return { ok: true, workshop: (await viewsOf(db, [result.row], now))[0] as WorkshopView };
}

/**
 * Moves one coming date to new times, by its structure's staff; raises the date's iCal sequence and
 * tells its registered people who gave an address.
 */
export async function moveWorkshopDate(
  db: Db,
  actor: Actor,
  input: { occurrenceId: string; date: DateInput },
  opts: { now?: Date } = {},
): Promise<FormResult<{ date: DateView; told: number }>> {
  const { occurrence, workshop } = await occurrenceFor(db, actor, 'moveWorkshopDate', input.occurrenceId);
  const now = nowOf(opts);
  if (workshop.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
  if (occurrence.status === 'cancelled') throw new DomainError('conflict', MESSAGES.dateCancelled);
  if (occurrence.starts_at <= now) throw new DomainError('conflict', MESSAGES.datePastChange);
  const dates = checkDates([input.date], now, { field: 'date', endField: 'dateEnd' });
  if (!dates.ok) return dates;
  const d = dates.value[0] as { startsAt: Date; endsAt: Date };
  const result = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    // The workshop first (as adding or cancelling dates does): two moves, or a move and an addition,
    // cannot both pass the check below, and a workshop cancelled meanwhile is not moved.
    const w = await lockWorkshop(tx, workshop.id);
    if (!w) throw new DomainError('not_found', MESSAGES.unknownDate);
    if (w.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
    const o = await lockOccurrence(tx, occurrence.id);
    if (!o || o.status === 'cancelled') throw new DomainError('conflict', MESSAGES.dateCancelled);
    // Not onto another scheduled date of the series (as when dates are added).
    const clash = (await listOccurrencesOf(tx, [workshop.id])).some(
      (x) => x.id !== o.id && x.status === 'scheduled' && x.starts_at.getTime() === d.startsAt.getTime(),
    );
    if (clash) return { ok: false as const, errors: { date: MESSAGES.sameDate(1) } };
    const updated = await updateOccurrenceRow(tx, o.id, { starts_at: d.startsAt, ends_at: d.endsAt }, now);
    await clearReminders(tx, o.id);
    const told = await mailChange(tx, {
      registrations: await liveRegistrationsOf(tx, [o.id]),
      occurrences: new Map([[o.id, updated]]),
      workshop,
      kind: 'moved',
      now,
    });
    return { ok: true as const, row: updated, told, counts: await countRegistrations(tx, o.id) };
  });
  if (!result.ok) return result;
  return { ok: true, date: toDateView(workshop, result.row, result.counts, now), told: result.told };
}

/**
 * Cancels one coming date of a series, by its structure's staff: the date stays in the agenda and the
 * feeds as cancelled (its own iCal sequence raised), the others go on. The people registered to it who
 * gave an address are told. The only scheduled date of a workshop is not cancelled alone: the workshop
 * is.
 */
export async function cancelWorkshopDate(
  db: Db,
  actor: Actor,
  input: { occurrenceId: string },
  opts: { now?: Date } = {},
): Promise<{ date: DateView; told: number }> {
  const { occurrence, workshop } = await occurrenceFor(db, actor, 'cancelWorkshopDate', input.occurrenceId);
  const now = nowOf(opts);
  if (workshop.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
  if (occurrence.starts_at <= now) throw new DomainError('conflict', MESSAGES.datePastChange);
  const result = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const w = await lockWorkshop(tx, workshop.id);
    const o = await lockOccurrence(tx, occurrence.id);
    if (!w || !o) throw new DomainError('not_found', MESSAGES.unknownDate);
    if (o.status === 'cancelled') throw new DomainError('conflict', MESSAGES.dateAlreadyCancelled);
    const scheduled = (await listOccurrencesOf(tx, [w.id])).filter((x) => x.status === 'scheduled');
    if (scheduled.length <= 1) throw new DomainError('conflict', MESSAGES.lastDate);
    const updated = await updateOccurrenceRow(tx, o.id, { status: 'cancelled' }, now);
    const told = await mailChange(tx, {
      registrations: await liveRegistrationsOf(tx, [o.id]),
      occurrences: new Map([[o.id, updated]]),
      workshop: w,
      kind: 'cancelled',
      now,
    });
    return { row: updated, told, counts: await countRegistrations(tx, o.id) };
  });
  return { date: toDateView(workshop, result.row, result.counts, now), told: result.told };
}

/** A structure's workshops with their dates and counts, for its own staff; the latest created first. */
export async function listStructureWorkshops(
  db: Db,
  actor: Actor,
  input: {
    structureId: string /** Only this one, however old (the staff's pages of one workshop). */;
    workshopId?: string;
  },
  opts: { now?: Date; limit?: number } = {},
): Promise<WorkshopView[]> {
  const structureId = isUuid(input.structureId) ? input.structureId.toLowerCase() : input.structureId;
  authorize(actor, 'listStructureWorkshops', { structureId });
  if (!isUuid(structureId)) return [];
  if (input.workshopId !== undefined && !isUuid(input.workshopId)) return [];
  const limit = Math.max(1, Math.min(opts.limit ?? 200, 500));
  const rows = await listWorkshopsOf(db, structureId, limit, input.workshopId?.toLowerCase());
  return viewsOf(db, rows, nowOf(opts));
}

/** A workshop as the public agenda shows it: fields, dates, counts; never a registered person. */
export async function getWorkshop(
  db: Db,
  actor: Actor,
  input: { workshopId: string },
  opts: { now?: Date } = {},
): Promise<WorkshopView> {
  authorize(actor, 'getWorkshop');
  const row = isUuid(input.workshopId) ? await findWorkshop(db, input.workshopId.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.unknownWorkshop, { id: input.workshopId });
  return (await viewsOf(db, [row], nowOf(opts)))[0] as WorkshopView;
}

/** One line of the agenda: a date and its workshop. */
export interface AgendaEntry {
  workshop: Omit<WorkshopView, 'dates'>;
  date: DateView;
}

/**
 * The agenda: dates not yet ended (cancelled ones included until their end, as calendars keep them),
 * the soonest first, filtered by structure, place, communes, everyday need or activity theme; at most
 * `limit` (500). Anybody: counts, never a person. The pages, the place's sheet and the iCal feeds read
 * it.
 */
export async function listUpcomingWorkshops(
  db: Db,
  actor: Actor,
  input: {
    structureId?: string;
    placeId?: string;
    communeCodes?: readonly string[];
    need?: string;
    theme?: string;
    from?: Date;
    to?: Date;
    limit?: number;
  } = {},
  opts: { now?: Date } = {},
): Promise<AgendaEntry[]> {
  authorize(actor, 'listUpcomingWorkshops');
  const now = nowOf(opts);
  const id = (v: string | undefined) => (v && isUuid(v) ? v.toLowerCase() : v ? 'none' : null);
  const structureId = id(input.structureId);
  const placeId = id(input.placeId);
  if (structureId === 'none' || placeId === 'none') return [];
  const rows = await listUpcomingRows(db, {
    from: input.from ?? now,
    to: input.to ?? null,
    structureId,
    placeId,
    communeCodes: input.communeCodes ?? null,
    need: input.need ?? null,
    theme: input.theme ?? null,
    limit: Math.max(1, Math.min(input.limit ?? 500, 500)),
  });
  const counts = await countRegistrationsOf(
    db,
    rows.map((r) => r.id),
  );
  const names = await structureNames(
    db,
    rows.map((r) => r.w.structure_id),
  );
  return rows.map((r) => {
    const { dates: _dates, ...workshop } = toView(r.w, [], names);
    return { workshop, date: toDateView(r.w, r, counts.get(r.id), now) };
  });
}

/** A structure's name for its agenda feed and page; unknown or malformed: `not_found`. Anybody. */
export async function getAgendaStructure(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<{ id: string; name: string }> {
  authorize(actor, 'getAgendaStructure');
  const id = input.structureId.toLowerCase();
  const name = isUuid(id) ? (await structureNames(db, [id])).get(id) : undefined;
  if (!name) throw new DomainError('not_found', "Cette structure n'existe pas.", { id: input.structureId });
  return { id, name };
}
