import { type Actor, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { beneficiaryRetainUntil, type FieldErrors } from './activities.ts';
import {
  type BeneficiaryRow,
  deleteBeneficiariesRetainedBefore,
  deleteBeneficiaryRow,
  deleteLink,
  findActivityScope,
  findBeneficiary,
  insertBeneficiary,
  insertLink,
  type LinkedActivityRow,
  lastLinkedDate,
  listBeneficiariesOf,
  listLinkableActivities,
  listLinkedActivities,
  setRetainUntil,
} from './beneficiaries.repository.ts';
import {
  type BeneficiaryFields,
  type BeneficiaryValues,
  checkBeneficiary,
  BENEFICIARY_MESSAGES as M,
} from './beneficiaries.ts';

/**
 * Identified beneficiaries ("personnes suivies", decision 0038): a structure names a person only when a
 * follow-up needs it, with her consent, and links its records to her. They are the structure's alone
 * (`structure_member_only`: not a coordinator, not a funder, not another structure; an unknown id is
 * refused as another structure's). Kept until the last accompaniment + 24 months, then erased by the
 * privacy purge; erased sooner on request. The records and their anonymous counts stay.
 */

export type FormResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

export interface Beneficiary extends BeneficiaryFields {
  id: string;
  structureId: string;
  consentAt: Date;
  createdAt: Date;
  retainUntil: string;
}

export interface BeneficiarySummary extends Beneficiary {
  links: number;
  lastDate: string | null;
}

export type LinkedActivity = Omit<LinkedActivityRow, 'duration_minutes' | 'workshop_title' | 'first_time'> & {
  durationMinutes: number;
  workshopTitle: string | null;
  firstTime: boolean;
};

export interface BeneficiaryDetail {
  beneficiary: Beneficiary;
  linked: LinkedActivity[];
  /** The structure's latest records not linked to her yet, for the link form. */
  linkable: Omit<LinkedActivity, 'firstTime'>[];
}

/** How many followed persons a list shows, and how many records the link form offers. */
export const BENEFICIARY_LIST_LIMIT = 500;
export const LINKABLE_LIMIT = 30;

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const idOf = (v: string) => (isUuid(v) ? v.toLowerCase() : null);

function toBeneficiary(r: BeneficiaryRow): Beneficiary {
  return {
    id: r.id,
    structureId: r.structure_id,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    email: r.email,
    gender: r.gender,
    ageBand: r.age_band,
    socialStatus: r.social_status,
    communeCode: r.commune_code,
    consentAt: r.consent_at,
    createdAt: r.created_at,
    retainUntil: r.retain_until,
  };
}

const toLinked = (r: LinkedActivityRow): LinkedActivity => ({
  id: r.id,
  kind: r.kind,
  date: r.date,
  themes: r.themes,
  durationMinutes: r.duration_minutes,
  workshopTitle: r.workshop_title,
  firstTime: r.first_time,
});

/**
 * The person, for the staff of her structure only: an unknown or malformed id is refused exactly as
 * another structure's (forbidden), so nobody learns which ids exist; the command line gets "not found".
 */
async function scoped(db: Db, actor: Actor, fn: Parameters<typeof authorize>[1], beneficiaryId: string) {
  const id = idOf(beneficiaryId);
  const row = id ? await findBeneficiary(db, id) : undefined;
  authorize(actor, fn, row ? { structureId: row.structure_id } : {});
  if (!row)
    throw new DomainError('not_found', M.unknownBeneficiary, { beneficiaryId: beneficiaryId.slice(0, 40) });
  return row;
}

/** The retention's end from the day she was named and her last linked record, whichever is later. */
async function refreshRetention(db: Db, row: BeneficiaryRow, at: Date): Promise<string> {
  const named = localToday(row.consent_at);
  const last = await lastLinkedDate(db, row.id);
  const until = beneficiaryRetainUntil(last !== null && last > named ? last : named);
  await setRetainUntil(db, row.id, until, at);
  return until;
}

/**
 * Names a followed person for a structure, by one of its staff, with her consent recorded at `now`.
 * Checked whole first (first name required; the rest optional; the Coop's values): a refusal writes
 * nothing. Kept until today + the retention period, moved by each record linked to her.
 */
export async function createBeneficiary(
  db: Db,
  actor: Actor,
  input: { structureId: string; values: Partial<BeneficiaryValues> },
  opts: { now?: Date } = {},
): Promise<FormResult<{ beneficiaryId: string }>> {
  const structureId = idOf(input.structureId) ?? input.structureId;
  authorize(actor, 'createBeneficiary', { structureId });
  if (!isUuid(structureId)) throw new DomainError('not_found', M.noStructure);
  const checked = checkBeneficiary(input.values);
  if (!checked.ok) return checked;
  const f = checked.fields;
  const now = nowOf(opts);
  const beneficiaryId = await insertBeneficiary(db, {
    structure_id: structureId,
    first_name: f.firstName,
    last_name: f.lastName,
    phone: f.phone,
    email: f.email,
    gender: f.gender,
    age_band: f.ageBand,
    social_status: f.socialStatus,
    commune_code: f.communeCode,
    consent_at: now,
    created_by: actor.kind === 'person' ? actor.personId : null,
    created_at: now,
    updated_at: now,
    retain_until: beneficiaryRetainUntil(localToday(now)),
  });
  return { ok: true, beneficiaryId };
}

/** A structure's followed persons, by first name, for its own staff only. */
export async function listBeneficiaries(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<BeneficiarySummary[]> {
  const structureId = idOf(input.structureId) ?? input.structureId;
  authorize(actor, 'listBeneficiaries', { structureId });
  if (!isUuid(structureId)) return [];
  const rows = await listBeneficiariesOf(db, structureId, BENEFICIARY_LIST_LIMIT);
  return rows.map((r) => ({ ...toBeneficiary(r), links: r.links, lastDate: r.last_date }));
}

/** One followed person with her records, and the structure's records that could be linked to her. */
export async function getBeneficiary(
  db: Db,
  actor: Actor,
  input: { beneficiaryId: string },
): Promise<BeneficiaryDetail> {
  const row = await scoped(db, actor, 'getBeneficiary', input.beneficiaryId);
  const linked = (await listLinkedActivities(db, row.id)).map(toLinked);
  const linkable = (await listLinkableActivities(db, row.structure_id, row.id, LINKABLE_LIMIT)).map((r) => {
    const { firstTime: _, ...rest } = toLinked({ ...r, first_time: false });
    return rest;
  });
  return { beneficiary: toBeneficiary(row), linked, linkable };
}

/**
 * Links one of the structure's records to the person (`firstTime`: the Coop's premierAccompagnement),
 * and moves her retention's end to the last record + the retention period. A record of another
 * structure is refused as an unknown one.
 */
export async function linkBeneficiaryActivity(
  db: Db,
  actor: Actor,
  input: { beneficiaryId: string; activityId: string; firstTime: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ retainUntil: string }>> {
  const row = await scoped(db, actor, 'linkBeneficiaryActivity', input.beneficiaryId);
  const errors: FieldErrors = {};
  const activityId = idOf(input.activityId.trim());
  const scope = activityId ? await findActivityScope(db, activityId) : undefined;
  if (input.activityId.trim() === '') errors.activityId = M.activityRequired;
  else if (!scope || scope.structure_id !== row.structure_id) errors.activityId = M.activityNotOurs;
  const first = input.firstTime.trim();
  if (first !== '' && first !== 'oui' && first !== 'non') errors.firstTime = M.firstTimeInvalid;
  if (Object.keys(errors).length > 0 || !activityId) return { ok: false, errors };
  const now = nowOf(opts);
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const added = await insertLink(tx, {
      activity_id: activityId,
      beneficiary_id: row.id,
      first_time: first === 'oui',
    });
    if (!added) return { ok: false as const, errors: { activityId: M.alreadyLinked } };
    return { ok: true as const, retainUntil: await refreshRetention(tx, row, now) };
  });
}

/** Unlinks a record from the person; her retention's end follows her last record still linked. */
export async function unlinkBeneficiaryActivity(
  db: Db,
  actor: Actor,
  input: { beneficiaryId: string; activityId: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ retainUntil: string }>> {
  const row = await scoped(db, actor, 'unlinkBeneficiaryActivity', input.beneficiaryId);
  const activityId = idOf(input.activityId.trim());
  const now = nowOf(opts);
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    if (!activityId || !(await deleteLink(tx, row.id, activityId)))
      return { ok: false as const, errors: { activityId: M.notLinked } };
    return { ok: true as const, retainUntil: await refreshRetention(tx, row, now) };
  });
}

/**
 * Erases the person on request (right to erasure): her name, contacts and links; the records and their
 * anonymous counts stay. Asks for a confirmation ('oui'). The audit log keeps the id, never the name.
 */
export async function deleteBeneficiary(
  db: Db,
  actor: Actor,
  input: { beneficiaryId: string; confirm: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ structureId: string }>> {
  const row = await scoped(db, actor, 'deleteBeneficiary', input.beneficiaryId);
  if (input.confirm.trim() !== 'oui') return { ok: false, errors: { confirm: M.confirmRequired } };
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    if (!(await deleteBeneficiaryRow(tx, row.id))) return;
    await recordAudit(tx, {
      actorId: actor.kind === 'person' ? actor.personId : null,
      actorLabel: actor.kind === 'person' ? 'personne' : 'cli',
      action: 'activity_beneficiary.erased',
      subjectType: 'structure',
      subjectId: row.structure_id,
      details: { beneficiary: row.id },
      at: nowOf(opts),
    });
  });
  return { ok: true, structureId: row.structure_id };
}

/**
 * The privacy purge's part (called by `purgePersonalData`, which authorizes the system): erases the
 * followed persons whose `retain_until` is before today. Idempotent.
 */
export async function purgeExpiredBeneficiaries(
  db: Db,
  opts: { now: Date },
): Promise<{ beneficiaries: number }> {
  const beneficiaries = await deleteBeneficiariesRetainedBefore(db, localToday(opts.now));
  if (beneficiaries > 0)
    await recordAudit(db, {
      actorId: null,
      actorLabel: 'système',
      action: 'activity_beneficiary.purged',
      details: { beneficiaries },
      at: opts.now,
    });
  return { beneficiaries };
}
