import { type Actor, authorize } from '../accounts/policy.ts';
import { recordCoordinationActivity } from '../activities/activities.service.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { findPlaceWithStructure, listStructuresPlaces } from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { listStructures, structureNames } from '../structures/structures.service.ts';
import {
  deleteDemoNetworkEvents,
  findNetworkEvent,
  findSession,
  insertNetworkEvent,
  insertSession,
  insertTrack,
  listNetworkEventRows,
  listRecentNetworkEventRows,
  listSessionsOf,
  listSessionWorkshops,
  listTracksOf,
  lockNetworkEvent,
  type NetworkEventRow,
  updateNetworkEventRow,
  updateSessionRow,
} from './network-days.repository.ts';
import {
  checkNetworkDay,
  checkSession,
  checkTrackName,
  NETWORK_DAY_MESSAGES as M,
  NETWORK_DAY_LIMITS,
  type NetworkDayInput,
  type SessionInput,
  type Speaker,
} from './network-days.ts';
import { mailChange } from './seats.service.ts';
import {
  countRegistrationsOf,
  findWorkshop,
  insertOccurrences,
  insertWorkshop,
  listOccurrencesOf,
  liveRegistrationsOf,
  lockOccurrence,
  updateOccurrenceRow,
  updateWorkshopRow,
} from './workshops.repository.ts';
import { type DateView, toDateView } from './workshops.service.ts';
import type { FieldErrors, WorkshopStatus } from './workshops.ts';

/**
 * The network's days (decision 0043): a coordinator puts a day of the network in the agenda (its place,
 * its organising structure), its tracks and its sessions — each session a workshop of the organising
 * structure with one date, so people register to a session as to any workshop, and the structure's staff
 * take attendance. Anybody reads the programme (counts, never a person); replay and slides links show
 * once the session has ended. After the day, the coordinator records it once as a Coop coordination
 * activity ("évènement", `nec_local`). Bad input: French messages under each field, nothing written.
 */

export type FormResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

export interface SessionView {
  /** The session's workshop (its page has the registration form). */
  workshopId: string;
  title: string;
  description: string;
  theme: string | null;
  trackId: string;
  room: string;
  speakers: Speaker[];
  /** Shown once the session has ended (null before, on the public programme). */
  replayUrl: string | null;
  slidesUrl: string | null;
  capacity: number;
  status: WorkshopStatus;
  /** The workshop's one date: times, counts (registered, waiting, present), seats left. */
  date: DateView;
  ended: boolean;
}

export interface NetworkDayView {
  id: string;
  structureId: string;
  structureName: string | null;
  title: string;
  description: string;
  day: string;
  placeId: string | null;
  placeName: string;
  communeCode: string | null;
  status: 'tentative' | 'confirmed' | 'cancelled';
  isDemo: boolean;
  tracks: { id: string; name: string; position: number; sessions: SessionView[] }[];
  /** Every session, the earliest first. */
  sessions: SessionView[];
  /** People marked present, all sessions together. */
  attended: number;
  /** The day is over (Paris calendar). */
  past: boolean;
}

export type NetworkDaySummary = Omit<NetworkDayView, 'tracks' | 'sessions' | 'attended'>;

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const COMMUNE_CODE = /^([013-9][0-9]|2[AB1-9])[0-9]{3}$/;

function summaryOf(e: NetworkEventRow, names: Map<string, string>, now: Date): NetworkDaySummary {
  return {
    id: e.id,
    structureId: e.structure_id,
    structureName: names.get(e.structure_id) ?? null,
    title: e.title,
    description: e.description,
    day: e.day,
    placeId: e.place_id,
    placeName: e.place_name,
    communeCode: e.commune_code,
    status: e.status,
    isDemo: e.is_demo,
    past: e.day < localToday(now),
  };
}

/** The day with its tracks and sessions; `links` false hides the links of sessions not yet ended. */
async function viewOf(
  db: Db,
  e: NetworkEventRow,
  now: Date,
  links: 'always' | 'after',
): Promise<NetworkDayView> {
  const [tracks, sessions, workshops, names] = await Promise.all([
    listTracksOf(db, e.id),
    listSessionsOf(db, e.id),
    listSessionWorkshops(db, e.id),
    structureNames(db, [e.structure_id]),
  ]);
  const occurrences = await listOccurrencesOf(
    db,
    workshops.map((w) => w.id),
  );
  const counts = await countRegistrationsOf(
    db,
    occurrences.map((o) => o.id),
  );
  const views: SessionView[] = [];
  for (const s of sessions) {
    const w = workshops.find((x) => x.id === s.workshop_id);
    const o = occurrences.find((x) => x.workshop_id === s.workshop_id);
    if (!w || !o) continue;
    const ended = o.ends_at <= now;
    const show = links === 'always' || ended;
    views.push({
      workshopId: w.id,
      title: w.title,
      description: w.description,
      theme: w.themes[0] ?? null,
      trackId: s.track_id,
      room: s.room,
      speakers: s.speakers,
      replayUrl: show ? s.replay_url : null,
      slidesUrl: show ? s.slides_url : null,
      capacity: w.capacity,
      status: toDateView(w, o, counts.get(o.id), now).status,
      date: toDateView(w, o, counts.get(o.id), now),
      ended,
    });
  }
  views.sort(
    (a, b) => a.date.startsAt.getTime() - b.date.startsAt.getTime() || a.title.localeCompare(b.title, 'fr'),
  );
  return {
    ...summaryOf(e, names, now),
    tracks: tracks.map((t) => ({
      id: t.id,
      name: t.name,
      position: t.position,
      sessions: views.filter((v) => v.trackId === t.id),
    })),
    sessions: views,
    attended: views.reduce((n, v) => n + v.date.attended, 0),
  };
}

/** A day by id (unknown or malformed: `not_found`, after the policy said yes). */
async function eventFor(db: Db, actor: Actor, fn: Parameters<typeof authorize>[1], id: string) {
  authorize(actor, fn);
  const row = isUuid(id) ? await findNetworkEvent(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', M.unknownDay, { id });
  return row;
}

/** The place's columns copied from the directory, or the field's message. */
async function placeOf(db: Db, placeId: string) {
  const found = await findPlaceWithStructure(db, placeId);
  if (!found) return null;
  return {
    place_id: found.place.id,
    place_name: [...found.place.nom].slice(0, 300).join(''),
    commune_code: COMMUNE_CODE.test(found.place.codeInsee ?? '') ? found.place.codeInsee : null,
  };
}

/**
 * Puts a day of the network in the agenda, by a coordinator: its title, calendar day, place of the
 * directory, organising structure (whose staff will see the sessions' registrations), description and
 * its first tracks (one name a line). Everything is checked first; the day and its tracks are written
 * together.
 */
export async function createNetworkDay(
  db: Db,
  actor: Actor,
  input: { day: NetworkDayInput; tracks?: readonly string[] },
  opts: { now?: Date; isDemo?: boolean } = {},
): Promise<FormResult<{ day: NetworkDayView }>> {
  authorize(actor, 'createNetworkDay');
  const now = nowOf(opts);
  const checked = checkNetworkDay(input.day);
  const errors: FieldErrors = checked.ok ? {} : { ...checked.errors };
  const names: string[] = [];
  for (const line of input.tracks ?? []) {
    if (line.trim() === '') continue;
    const t = checkTrackName(line);
    if ('error' in t) errors.tracks ??= t.error;
    else if (names.includes(t.name)) errors.tracks ??= M.trackTaken(t.name.slice(0, 60));
    else names.push(t.name);
  }
  if (names.length > NETWORK_DAY_LIMITS.tracks) errors.tracks = M.tracksTooMany;
  if (!checked.ok || Object.keys(errors).length) return { ok: false, errors };
  const f = checked.value;
  if (!(await structureNames(db, [f.structureId])).has(f.structureId))
    return { ok: false, errors: { structureId: M.unknownStructure } };
  const place = await placeOf(db, f.placeId);
  if (!place) return { ok: false, errors: { placeId: M.placeUnknown } };
  const row = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const e = await insertNetworkEvent(tx, {
      structure_id: f.structureId,
      title: f.title,
      description: f.description,
      day: f.day,
      ...place,
      status: f.status,
      created_by: actor.kind === 'person' ? actor.personId : null,
      is_demo: opts.isDemo ?? false,
      created_at: now,
      updated_at: now,
    });
    for (const [i, name] of names.entries())
      await insertTrack(tx, { event_id: e.id, name, position: i + 1, created_at: now });
    return e;
  });
  return { ok: true, day: await viewOf(db, row, now, 'always') };
}

/**
 * Changes a day's title, description, place, status or calendar day, by a coordinator. The day does not
 * move once a session is on it (the sessions' times would fall outside it); the organising structure
 * stays (the sessions are its workshops). A cancelled day no longer changes.
 */
export async function updateNetworkDay(
  db: Db,
  actor: Actor,
  input: { dayId: string; day: NetworkDayInput },
  opts: { now?: Date } = {},
): Promise<FormResult<{ day: NetworkDayView }>> {
  const existing = await eventFor(db, actor, 'updateNetworkDay', input.dayId);
  const now = nowOf(opts);
  if (existing.status === 'cancelled') throw new DomainError('conflict', M.dayCancelled);
  const checked = checkNetworkDay({ ...input.day, structureId: existing.structure_id });
  if (!checked.ok) return checked;
  const f = checked.value;
  const place = f.placeId === existing.place_id ? null : await placeOf(db, f.placeId);
  if (f.placeId !== existing.place_id && !place) return { ok: false, errors: { placeId: M.placeUnknown } };
  const result = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const e = await lockNetworkEvent(tx, existing.id);
    if (!e) throw new DomainError('not_found', M.unknownDay);
    if (f.day !== e.day) {
      const sessions = await listSessionsOf(tx, e.id);
      if (sessions.length > 0)
        return { ok: false as const, errors: { day: M.dayHasSessionsElsewhere(sessions.length) } };
    }
    const row = await updateNetworkEventRow(
      tx,
      e.id,
      { title: f.title, description: f.description, day: f.day, status: f.status, ...(place ?? {}) },
      now,
    );
    return { ok: true as const, row };
  });
  if (!result.ok) return result;
  return { ok: true, day: await viewOf(db, result.row, now, 'always') };
}

/** Adds a track at the end of a day's programme, by a coordinator; its name is unique in the day. */
export async function addNetworkTrack(
  db: Db,
  actor: Actor,
  input: { dayId: string; name: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ trackId: string }>> {
  const existing = await eventFor(db, actor, 'addNetworkTrack', input.dayId);
  if (existing.status === 'cancelled') throw new DomainError('conflict', M.dayCancelled);
  const t = checkTrackName(input.name);
  if ('error' in t) return { ok: false, errors: { name: t.error } };
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    await lockNetworkEvent(tx, existing.id);
    const tracks = await listTracksOf(tx, existing.id);
    if (tracks.some((x) => x.name === t.name))
      return { ok: false as const, errors: { name: M.trackTaken(t.name.slice(0, 60)) } };
    if (tracks.length >= NETWORK_DAY_LIMITS.tracks)
      return { ok: false as const, errors: { name: M.tracksTooMany } };
    const position = Math.max(0, ...tracks.map((x) => x.position)) + 1;
    const row = await insertTrack(tx, {
      event_id: existing.id,
      name: t.name,
      position,
      created_at: nowOf(opts),
    });
    return { ok: true as const, trackId: row.id };
  });
}

/**
 * Adds a session to a day, by a coordinator: a workshop of the organising structure at the day's place,
 * with one date on the day (registration, waiting list and attendance as for any workshop), and its
 * track, room, speakers and links. Written in one transaction: the workshop, its date and the session.
 */
export async function addNetworkSession(
  db: Db,
  actor: Actor,
  input: { dayId: string; session: SessionInput },
  opts: { now?: Date; isDemo?: boolean } = {},
): Promise<FormResult<{ workshopId: string }>> {
  const existing = await eventFor(db, actor, 'addNetworkSession', input.dayId);
  if (existing.status === 'cancelled') throw new DomainError('conflict', M.dayCancelled);
  const now = nowOf(opts);
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const e = await lockNetworkEvent(tx, existing.id);
    if (!e) throw new DomainError('not_found', M.unknownDay);
    const tracks = await listTracksOf(tx, e.id);
    const checked = checkSession(input.session, {
      day: e.day,
      trackIds: tracks.map((t) => t.id),
      now,
      isNew: true,
    });
    if (!checked.ok) return checked;
    const s = checked.value;
    const w = await insertWorkshop(tx, {
      structure_id: e.structure_id,
      title: s.title,
      description: s.description,
      needs: [],
      themes: [s.theme],
      level: null,
      mode: 'place',
      place_id: e.place_id,
      place_name: e.place_name,
      commune_code: e.commune_code,
      online_url: null,
      capacity: s.capacity,
      status: e.status === 'tentative' ? 'tentative' : 'confirmed',
      created_by: actor.kind === 'person' ? actor.personId : null,
      is_demo: opts.isDemo ?? e.is_demo,
      created_at: now,
      updated_at: now,
    });
    await insertOccurrences(tx, [
      { workshop_id: w.id, starts_at: s.startsAt, ends_at: s.endsAt, created_at: now, updated_at: now },
    ]);
    await insertSession(tx, {
      workshop_id: w.id,
      event_id: e.id,
      track_id: s.trackId,
      room: s.room,
      speakers: JSON.stringify(s.speakers),
      replay_url: s.replayUrl,
      slides_url: s.slidesUrl,
      created_at: now,
      updated_at: now,
    });
    return { ok: true as const, workshopId: w.id };
  });
}

/** A session and its day by the session's workshop id, authorised for `fn`. */
async function sessionFor(
  db: Db,
  actor: Actor,
  fn: 'updateNetworkSession' | 'getNetworkSessionForEdit',
  id: string,
) {
  authorize(actor, fn);
  const s = isUuid(id) ? await findSession(db, id.toLowerCase()) : undefined;
  const e = s ? await findNetworkEvent(db, s.event_id) : undefined;
  const w = s ? await findWorkshop(db, s.workshop_id) : undefined;
  if (!s || !e || !w) throw new DomainError('not_found', M.unknownSession, { id });
  return { session: s, event: e, workshop: w };
}

/** A session as its edit form shows it (links included), with its day, for a coordinator. */
export async function getNetworkSessionForEdit(
  db: Db,
  actor: Actor,
  input: { sessionId: string },
  opts: { now?: Date } = {},
): Promise<{ day: NetworkDayView; session: SessionView }> {
  const found = await sessionFor(db, actor, 'getNetworkSessionForEdit', input.sessionId);
  const day = await viewOf(db, found.event, nowOf(opts), 'always');
  const session = day.sessions.find((x) => x.workshopId === found.workshop.id);
  if (!session) throw new DomainError('not_found', M.unknownSession);
  return { day, session };
}

/**
 * Changes a session, by a coordinator: title, description, theme, track, room, speakers, and the replay
 * and slides links (added after the day). New times (on the day, before the session starts) raise the
 * date's iCal sequence and tell the registered people, as moving a workshop's date does; the seats stay
 * (the organising structure changes them on its workshop).
 */
export async function updateNetworkSession(
  db: Db,
  actor: Actor,
  input: { sessionId: string; session: SessionInput },
  opts: { now?: Date } = {},
): Promise<FormResult<{ workshopId: string }>> {
  const found = await sessionFor(db, actor, 'updateNetworkSession', input.sessionId);
  const now = nowOf(opts);
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const e = await lockNetworkEvent(tx, found.event.id);
    if (!e) throw new DomainError('not_found', M.unknownDay);
    const [o] = await listOccurrencesOf(tx, [found.workshop.id]);
    if (!o) throw new DomainError('not_found', M.unknownSession);
    const tracks = await listTracksOf(tx, e.id);
    const checked = checkSession(
      { ...input.session, capacity: String(found.workshop.capacity) },
      { day: e.day, trackIds: tracks.map((t) => t.id), now, isNew: false },
    );
    if (!checked.ok) return checked;
    const s = checked.value;
    const moved =
      s.startsAt.getTime() !== o.starts_at.getTime() || s.endsAt.getTime() !== o.ends_at.getTime();
    if (moved && o.starts_at <= now)
      return {
        ok: false as const,
        errors: { start: 'Début : la séance a commencé, ses horaires ne changent plus.' },
      };
    if (moved && s.startsAt <= now) return { ok: false as const, errors: { start: M.inThePast } };
    const w = await updateWorkshopRow(
      tx,
      found.workshop.id,
      { title: s.title, description: s.description, themes: [s.theme] },
      now,
    );
    if (moved) {
      const locked = await lockOccurrence(tx, o.id);
      if (!locked) throw new DomainError('not_found', M.unknownSession);
      const updated = await updateOccurrenceRow(tx, o.id, { starts_at: s.startsAt, ends_at: s.endsAt }, now);
      await mailChange(tx, {
        registrations: await liveRegistrationsOf(tx, [o.id]),
        occurrences: new Map([[o.id, updated]]),
        workshop: w,
        kind: 'moved',
        now,
      });
    }
    await updateSessionRow(
      tx,
      found.workshop.id,
      {
        track_id: s.trackId,
        room: s.room,
        speakers: JSON.stringify(s.speakers),
        replay_url: s.replayUrl,
        slides_url: s.slidesUrl,
      },
      now,
    );
    return { ok: true as const, workshopId: found.workshop.id };
  });
}

/**
 * A day's programme as anybody reads it: tracks, sessions with times, rooms, speakers and counts
 * (registered, waiting, present — never a person); a session's replay and slides once it has ended.
 */
export async function getNetworkDay(
  db: Db,
  actor: Actor,
  input: { dayId: string },
  opts: { now?: Date } = {},
): Promise<NetworkDayView> {
  const row = await eventFor(db, actor, 'getNetworkDay', input.dayId);
  return viewOf(db, row, nowOf(opts), 'after');
}

/** A day with every link, for the coordinator's management page. */
export async function getNetworkDayForEdit(
  db: Db,
  actor: Actor,
  input: { dayId: string },
  opts: { now?: Date } = {},
): Promise<NetworkDayView> {
  const row = await eventFor(db, actor, 'getNetworkDayForEdit', input.dayId);
  return viewOf(db, row, nowOf(opts), 'always');
}

/** The network's days from today on (cancelled ones marked), the soonest first; at most `limit` (50). */
export async function listUpcomingNetworkDays(
  db: Db,
  actor: Actor,
  input: { limit?: number } = {},
  opts: { now?: Date } = {},
): Promise<NetworkDaySummary[]> {
  authorize(actor, 'listUpcomingNetworkDays');
  const now = nowOf(opts);
  const rows = await listNetworkEventRows(db, {
    from: localToday(now),
    limit: Math.max(1, Math.min(input.limit ?? 50, 50)),
    withCancelled: true,
  });
  const names = await structureNames(
    db,
    rows.map((r) => r.structure_id),
  );
  return rows.map((r) => summaryOf(r, names, now));
}

/** Every day of the network, the latest first (at most 200), for the coordinators. */
export async function listNetworkDays(
  db: Db,
  actor: Actor,
  opts: { now?: Date } = {},
): Promise<NetworkDaySummary[]> {
  authorize(actor, 'listNetworkDays');
  const rows = await listRecentNetworkEventRows(db, 200);
  const names = await structureNames(
    db,
    rows.map((r) => r.structure_id),
  );
  return rows.map((r) => summaryOf(r, names, nowOf(opts)));
}

/**
 * Records a day, once it has taken place, as the Coop's coordination activity of kind "évènement" and
 * type `nec_local` (the network's local day), its participants the people marked present, all sessions
 * together; by a coordinator, through the activities' own entry point. Once per day (the database's
 * unique index on the activity's day): a second time is a `conflict` with a French message.
 */
export async function recordNetworkDayActivity(
  db: Db,
  actor: Actor,
  input: { dayId: string },
  opts: { now?: Date } = {},
): Promise<{ activityId: string; participants: number }> {
  const row = await eventFor(db, actor, 'recordNetworkDayActivity', input.dayId);
  const now = nowOf(opts);
  if (row.status === 'cancelled') throw new DomainError('conflict', M.dayCancelled);
  if (row.day > localToday(now)) throw new DomainError('conflict', M.notYet);
  const view = await viewOf(db, row, now, 'always');
  if (view.sessions.length === 0) throw new DomainError('conflict', M.noSession);
  try {
    const result = await recordCoordinationActivity(
      db,
      actor,
      {
        values: {
          kind: 'evenement',
          date: row.day,
          name: row.title,
          participants: String(view.attended),
          eventType: 'nec_local',
          organisers: ['ma_structure'],
        },
        agendaEventId: row.id,
      },
      { now },
    );
    if (!result.ok)
      throw new DomainError('invalid_input', Object.values(result.errors).join(' '), {
        errors: result.errors,
      });
    return { activityId: result.activityId, participants: view.attended };
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'coordination_activity_agenda_event_key')
      throw new DomainError('conflict', M.alreadyRecorded, { id: row.id });
    throw error;
  }
}

/** Deletes the demonstration's days, their tracks and their sessions' workshops (`demo remove`). */
export async function removeDemoNetworkDays(db: Db, actor: Actor): Promise<number> {
  authorize(actor, 'removeDemoNetworkDays');
  return deleteDemoNetworkEvents(db);
}

/**
 * The choices of a day's form, for a coordinator: the network's structures (the organiser) and the
 * places of the directory attached to a structure of the network (where the day takes place).
 */
export async function networkDayFormChoices(
  db: Db,
  actor: Actor,
): Promise<{ structures: { id: string; name: string }[]; places: { id: string; name: string }[] }> {
  authorize(actor, 'networkDayFormChoices');
  const structures = (await listStructures(db, actor)).map((s) => ({ id: s.id, name: s.name }));
  const places = (
    await listStructuresPlaces(
      db,
      structures.map((s) => s.id),
    )
  )
    .map((p) => ({ id: p.id, name: p.commune ? `${p.nom} (${p.commune})` : p.nom }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  return { structures: structures.sort((a, b) => a.name.localeCompare(b.name, 'fr')), places };
}
