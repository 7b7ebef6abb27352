import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { findPlaceWithStructure } from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { findRedemption } from '../vouchers/vouchers.repository.ts';
import {
  type ActivityRow,
  findActivity,
  findActivityIdByVoucherEntry,
  findActivityIdByWorkshopDay,
  findLastActivityBy,
  findParticipants,
  insertActivity,
  insertCoordinationActivity,
  insertParticipants,
  listActivitiesOf,
  listCoordinationActivityRows,
  lockWorkshopDay,
  type ParticipantsRow,
  participantsRow,
  refusedBy,
} from './activities.repository.ts';
import {
  type ActivityFields,
  type ActivityValues,
  checkActivity,
  type FieldErrors,
  MESSAGES,
  type ParticipantCounts,
} from './activities.ts';
import { checkActivityLinks, resolveCommuneTyped } from './activity-links.service.ts';
import {
  type CoordinationFields,
  type CoordinationValues,
  checkCoordinationActivity,
} from './coordination.ts';
import {
  type ActivityKind,
  AGE_BAND_LABELS,
  type AgeBand,
  type Autonomy,
  type Equipment,
  GENDER_LABELS,
  type Gender,
  keysOf,
  type PlaceKind,
  type Redirection,
  SOCIAL_STATUS_LABELS,
  type SocialStatus,
  type Theme,
  type WorkshopLevel,
} from './vocabulary.ts';

/**
 * Activity records (decision 0038): a structure's staff record what they did — an accompaniment or a
 * workshop — in La Coop's vocabulary; the records are the structure's alone (a coordinator or a funder
 * sees figures, never a record). Anonymous by default: an individual record counts one anonymous
 * person, a workshop its anonymous participants. Network coordinators record the Coop's coordination
 * activities. Every entry point calls `authorize` first and refuses bad input with French messages
 * under each field's name, writing nothing.
 */

export type FormResult<T> =
  | ({ ok: true } & T)
  | {
      ok: false;
      errors: FieldErrors;
      /** The record already linked to the same pass numérique redemption (the page links to it). */
      existingActivityId?: string;
    };

export interface Activity {
  id: string;
  structureId: string;
  authorId: string | null;
  kind: ActivityKind;
  date: string;
  durationMinutes: number;
  placeKind: PlaceKind;
  placeId: string | null;
  placeName: string | null;
  communeCode: string | null;
  postalCode: string | null;
  themes: Theme[];
  equipment: Equipment[];
  procedureDetails: string | null;
  autonomy: Autonomy | null;
  oriented: boolean | null;
  redirection: Redirection | null;
  beneficiaryCommuneCode: string | null;
  workshopTitle: string | null;
  workshopLevel: WorkshopLevel | null;
  orientationId: string | null;
  voucherEntryId: number | null;
  workshopId: string | null;
  source: 'maillage' | 'coop_import';
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ActivityDetail extends Activity {
  /** Anonymous beneficiaries; null when the record only has identified ones. */
  participants: ParticipantCounts | null;
  /** When the linked pass numérique redemption was cancelled after the record (null: it stands). */
  voucherCancelledAt: Date | null;
}

export interface ActivitySummary extends Activity {
  /** Anonymous participants counted (1 for an anonymous accompaniment). */
  participantsTotal: number;
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

const toActivity = (r: ActivityRow): Activity => ({
  id: r.id,
  structureId: r.structure_id,
  authorId: r.author_id,
  kind: r.kind,
  date: r.date,
  durationMinutes: r.duration_minutes,
  placeKind: r.place_kind,
  placeId: r.place_id,
  placeName: r.place_name,
  communeCode: r.commune_code,
  postalCode: r.postal_code,
  themes: r.themes as Theme[],
  equipment: r.equipment as Equipment[],
  procedureDetails: r.procedure_details,
  autonomy: r.autonomy,
  oriented: r.oriented,
  redirection: r.redirection,
  beneficiaryCommuneCode: r.beneficiary_commune_code,
  workshopTitle: r.workshop_title,
  workshopLevel: r.workshop_level,
  orientationId: r.orientation_id,
  voucherEntryId: r.voucher_entry_id,
  workshopId: r.workshop_id,
  source: r.source,
  externalId: r.external_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function toParticipants(row: ParticipantsRow): ParticipantCounts {
  const r = row as unknown as Record<string, number>;
  const pick = <K extends string>(labels: Record<K, string>, prefix: string) =>
    Object.fromEntries(keysOf(labels).map((k) => [k, r[`${prefix}_${k}`] ?? 0])) as Record<K, number>;
  return {
    total: row.total,
    alreadyAccompanied: row.already_accompanied,
    gender: pick<Gender>(GENDER_LABELS, 'gender'),
    ageBand: pick<AgeBand>(AGE_BAND_LABELS, 'age'),
    socialStatus: pick<SocialStatus>(SOCIAL_STATUS_LABELS, 'status'),
  };
}

/** The structure of an id typed in an address or a form: malformed ids are refused as unknown. */
function structureScope(structureId: string): { structureId: string } {
  return { structureId: isUuid(structureId) ? structureId.toLowerCase() : structureId };
}

/**
 * Records an accompaniment or a workshop for a structure, by one of its staff (not a coordinator: the
 * records are the structure's). The record is checked whole before anything is written (see
 * `checkActivity`); a place must be one of the structure's own; the linked orientation must exist and a
 * voucher's redemption is linked to one record at most. The record and its anonymous counts are written
 * in one transaction: a refusal leaves nothing.
 */
export async function recordActivity(
  db: Db,
  actor: Actor,
  input: { structureId: string; values: Partial<ActivityValues> },
  opts: { now?: Date } = {},
): Promise<FormResult<{ activityId: string }>> {
  const { structureId } = structureScope(input.structureId);
  authorize(actor, 'recordActivity', { structureId });
  if (!isUuid(structureId)) throw new DomainError('not_found', MESSAGES.unknownStructure, { structureId });
  // A commune may be typed by its name or postcode: its INSEE code is what the record keeps.
  const values = { ...input.values };
  const typedErrors: FieldErrors = {};
  for (const key of ['communeCode', 'beneficiaryCommuneCode'] as const) {
    const resolved = resolveCommuneTyped(values[key]);
    if ('code' in resolved) values[key] = resolved.code;
    else typedErrors[key] = resolved.error;
  }
  const checked = checkActivity(values, localToday(nowOf(opts)));
  if (!checked.ok) return { ok: false, errors: { ...checked.errors, ...typedErrors } };
  if (Object.keys(typedErrors).length > 0) return { ok: false, errors: typedErrors };
  const f = checked.fields;
  const links = await checkActivityLinks(db, structureId, f, nowOf(opts));
  if (Object.keys(links.errors).length > 0) {
    const { workshopId: _, ...refusal } = links;
    return { ok: false, ...refusal };
  }
  const workshopId = links.workshopId ?? null;
  let placeName: string | null = null;
  let communeCode = f.communeCode;
  let postalCode = f.postalCode;
  if (f.placeId !== null) {
    const found = await findPlaceWithStructure(db, f.placeId);
    if (!found) return { ok: false, errors: { placeId: MESSAGES.placeInvalid } };
    if (found.structureId !== structureId) return { ok: false, errors: { placeId: MESSAGES.placeNotOurs } };
    // The place's name and commune are copied: the record still says where if the place goes.
    placeName = found.place.nom;
    communeCode ??= found.place.codeInsee;
    postalCode ??= found.place.codePostal || null;
  }
  try {
    const activityId = await db.transaction().execute(async (tx) => {
      if (workshopId !== null) {
        // One record per workshop date: two pages sent at once queue here, the second sees the first.
        await lockWorkshopDay(tx, workshopId, f.date);
        const existing = await findActivityIdByWorkshopDay(tx, workshopId, f.date);
        if (existing) throw new WorkshopDateTaken(existing);
      }
      const id = await insertActivity(tx, {
        ...activityColumns(f),
        workshop_id: workshopId,
        structure_id: structureId,
        author_id: actor.kind === 'person' ? actor.personId : null,
        place_name: placeName,
        commune_code: communeCode,
        postal_code: postalCode,
      });
      await insertParticipants(tx, participantsRow(id, f.participants));
      return id;
    });
    return { ok: true, activityId };
  } catch (error) {
    if (error instanceof WorkshopDateTaken)
      return {
        ok: false,
        errors: { workshopDateId: MESSAGES.workshopDateTaken },
        existingActivityId: error.activityId,
      };
    const refused = refusedBy(error);
    if (refused?.constraint === 'activity_voucher_entry_key' && f.voucherEntryId !== null) {
      // Two pages sent at once: the second gets the first's record.
      const existing = await findActivityIdByVoucherEntry(db, f.voucherEntryId);
      return {
        ok: false,
        errors: { voucherEntryId: MESSAGES.voucherEntryTaken },
        ...(existing ? { existingActivityId: existing } : {}),
      };
    }
    if (refused?.kind === 'foreign_key' && refused.constraint.includes('orientation'))
      return { ok: false, errors: { orientationId: MESSAGES.orientationInvalid } };
    if (refused?.kind === 'foreign_key' && refused.constraint.includes('structure'))
      throw new DomainError('not_found', MESSAGES.unknownStructure, { structureId });
    throw error;
  }
}

/** A workshop's date recorded meanwhile (inside the transaction): nothing is written. */
class WorkshopDateTaken extends Error {
  constructor(readonly activityId: string) {
    super('workshop date already recorded');
  }
}

function activityColumns(f: ActivityFields) {
  return {
    kind: f.kind,
    date: f.date,
    duration_minutes: f.durationMinutes,
    place_kind: f.placeKind,
    place_id: f.placeId,
    themes: f.themes,
    equipment: f.equipment,
    procedure_details: f.procedureDetails,
    autonomy: f.autonomy,
    oriented: f.oriented,
    redirection: f.redirection,
    beneficiary_commune_code: f.beneficiaryCommuneCode,
    workshop_title: f.workshopTitle,
    workshop_level: f.workshopLevel,
    orientation_id: f.orientationId,
    voucher_entry_id: f.voucherEntryId,
  };
}

/** How many records a list shows at most (the pages will page through them). */
export const LIST_LIMIT = 500;
const listLimit = (n: number | undefined) =>
  n !== undefined && Number.isInteger(n) ? Math.max(1, Math.min(n, LIST_LIMIT)) : LIST_LIMIT;

/**
 * A structure's records, for its own staff only, the latest day first: between two days included when
 * given ('YYYY-MM-DD'), at most LIST_LIMIT. A funder or a coordinator is refused: they see figures.
 */
export async function listActivities(
  db: Db,
  actor: Actor,
  input: {
    structureId: string;
    from?: string;
    to?: string;
    limit?: number;
    /** Only this kind ('individuel' or 'collectif'); anything else: both. */
    kind?: string;
    /** Records to skip (pages of a list). */
    offset?: number;
  },
): Promise<ActivitySummary[]> {
  const { structureId } = structureScope(input.structureId);
  authorize(actor, 'listActivities', { structureId });
  if (!isUuid(structureId)) return [];
  const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  const rows = await listActivitiesOf(db, structureId, {
    from: day(input.from),
    to: day(input.to),
    limit: listLimit(input.limit),
    kind: input.kind === 'individuel' || input.kind === 'collectif' ? input.kind : null,
    offset: Number.isInteger(input.offset) && (input.offset ?? 0) > 0 ? Math.min(input.offset ?? 0, 1e6) : 0,
  });
  return rows.map((r) => ({ ...toActivity(r), participantsTotal: Number(r.participants_total) }));
}

/**
 * One record with its anonymous counts, for the staff of its structure only. Another structure's record
 * is refused, and so is an unknown id (to anyone but the command line, which gets "not found"): nobody
 * learns which records exist elsewhere.
 */
export async function getActivity(
  db: Db,
  actor: Actor,
  input: { activityId: string },
): Promise<ActivityDetail> {
  const row = isUuid(input.activityId) ? await findActivity(db, input.activityId.toLowerCase()) : undefined;
  authorize(actor, 'getActivity', row ? { structureId: row.structure_id } : {});
  if (!row) throw new DomainError('not_found', MESSAGES.unknownActivity, { activityId: input.activityId });
  const participants = await findParticipants(db, row.id);
  const redemption =
    row.voucher_entry_id === null ? undefined : await findRedemption(db, Number(row.voucher_entry_id));
  return {
    ...toActivity(row),
    participants: participants ? toParticipants(participants) : null,
    voucherCancelledAt: redemption?.cancelled_at ?? null,
  };
}

/**
 * The form's defaults for fast entry, from the mediator's last record in this structure: the same kind,
 * duration, place, themes and equipment, dated today. Without a last record: an accompaniment of 30
 * minutes at one of the structure's places, dated today. Nothing about a beneficiary is carried over.
 */
export async function lastActivityDefaults(
  db: Db,
  actor: Actor,
  input: { structureId: string },
  opts: { now?: Date } = {},
): Promise<Partial<ActivityValues>> {
  const { structureId } = structureScope(input.structureId);
  authorize(actor, 'lastActivityDefaults', { structureId });
  const today = localToday(nowOf(opts));
  const fallback: Partial<ActivityValues> = {
    kind: 'individuel',
    date: today,
    duration: '30',
    placeKind: 'lieu_activite',
    themes: [],
    equipment: [],
  };
  if (actor.kind !== 'person' || !isUuid(structureId)) return fallback;
  const last = await findLastActivityBy(db, actor.personId, structureId);
  if (!last) return fallback;
  return {
    kind: last.kind,
    date: today,
    duration: String(last.duration_minutes),
    placeKind: last.place_kind,
    placeId: last.place_id ?? '',
    communeCode: last.place_kind === 'lieu_activite' ? '' : (last.commune_code ?? ''),
    themes: [...last.themes],
    equipment: [...last.equipment],
  };
}

// Coordination activities

export interface CoordinationActivity extends CoordinationFields {
  id: string;
  authorId: string | null;
  createdAt: Date;
}

/**
 * Records one of the Coop's coordination activities for the network (an animation, an event such as
 * the network's local day, a partnership), by a coordinator. Checked whole first (see
 * `checkCoordinationActivity`): a refusal writes nothing.
 */
export async function recordCoordinationActivity(
  db: Db,
  actor: Actor,
  /** `agendaEventId`: the agenda's network day it records (one activity per day, the database's index). */
  input: { values: Partial<CoordinationValues>; agendaEventId?: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ activityId: string }>> {
  authorize(actor, 'recordCoordinationActivity');
  const checked = checkCoordinationActivity(input.values, localToday(nowOf(opts)));
  if (!checked.ok) return checked;
  const f = checked.fields;
  const activityId = await insertCoordinationActivity(db, {
    kind: f.kind,
    author_id: actor.kind === 'person' ? actor.personId : null,
    date: f.date,
    duration_minutes: f.durationMinutes,
    name: f.name,
    territorial_level: f.territorialLevel,
    mediators_count: f.mediatorsCount,
    structures_count: f.structuresCount,
    other_actors_count: f.otherActorsCount,
    animation_type: f.animationType,
    animation_type_other: f.animationTypeOther,
    initiative: f.initiative,
    animation_themes: f.animationThemes,
    animation_theme_other: f.animationThemeOther,
    participants: f.participants,
    event_type: f.eventType,
    event_type_other: f.eventTypeOther,
    organisers: f.organisers,
    organiser_other: f.organiserOther,
    partnership_natures: f.partnershipNatures,
    partnership_nature_other: f.partnershipNatureOther,
    partner_structures: JSON.stringify(f.partners),
    agenda_event_id: input.agendaEventId ?? null,
  });
  return { ok: true, activityId };
}

/** The network's coordination activities, the latest day first, for coordinators. */
export async function listCoordinationActivities(
  db: Db,
  actor: Actor,
  input: { from?: string; to?: string; limit?: number } = {},
): Promise<CoordinationActivity[]> {
  authorize(actor, 'listCoordinationActivities');
  const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  const rows = await listCoordinationActivityRows(db, {
    from: day(input.from),
    to: day(input.to),
    limit: listLimit(input.limit),
  });
  return rows.map((r) => ({
    id: r.id,
    authorId: r.author_id,
    createdAt: r.created_at,
    kind: r.kind,
    date: r.date,
    durationMinutes: r.duration_minutes,
    name: r.name,
    territorialLevel: r.territorial_level,
    mediatorsCount: r.mediators_count,
    structuresCount: r.structures_count,
    otherActorsCount: r.other_actors_count,
    animationType: r.animation_type,
    animationTypeOther: r.animation_type_other,
    initiative: r.initiative,
    animationThemes: r.animation_themes as CoordinationFields['animationThemes'],
    animationThemeOther: r.animation_theme_other,
    participants: r.participants,
    eventType: r.event_type,
    eventTypeOther: r.event_type_other,
    organisers: r.organisers as CoordinationFields['organisers'],
    organiserOther: r.organiser_other,
    partnershipNatures: r.partnership_natures as CoordinationFields['partnershipNatures'],
    partnershipNatureOther: r.partnership_nature_other,
    partners: (Array.isArray(r.partner_structures)
      ? r.partner_structures
      : []) as CoordinationFields['partners'],
  }));
}
