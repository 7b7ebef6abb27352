import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * SQL of freshness: places whose date_maj is missing or older than a date, with their
 * structure, and the reminders sent to structures. Merged duplicates are left out, as on every list.
 */
const SHOWN = sql<boolean>`not exists (select 1 from place_merge_hidden h where h.id = place.id)`;

export interface StalePlaceRow {
  id: string;
  nom: string;
  commune: string;
  date_maj: string | null;
  structure_id: string | null;
  structure_nom: string | null;
}

/** What the freshness pages and reminders show of a stale place, with its structure's name. */
const STALE_PLACE_COLUMNS = [
  'place.id',
  'place.nom',
  'place.commune',
  'place.date_maj',
  'place.structure_id',
  'structure.nom as structure_nom',
] as const;

const staleWhere = (before: string) =>
  sql<boolean>`(place.date_maj is null or place.date_maj < ${before}::date) and ${SHOWN}`;

/** Stale places with their structure, by structure then place name. */
export async function listStalePlaces(db: Db, before: string, limit: number): Promise<StalePlaceRow[]> {
  return db
    .selectFrom('place')
    .leftJoin('structure', 'structure.id', 'place.structure_id')
    .select(STALE_PLACE_COLUMNS)
    .where(staleWhere(before))
    .orderBy(sql`lower(structure.nom) nulls last`)
    .orderBy(sql`lower(place.nom)`)
    .orderBy('place.id')
    .limit(limit)
    .execute();
}

export async function countStalePlaces(db: Db, before: string): Promise<number> {
  const row = await db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(staleWhere(before))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Stale places of structures to remind: places with a structure, without a change already waiting for
 * the coordinator (the structure did its part), of structures not reminded since `remindedBefore`.
 */
export async function listPlacesToRemind(
  db: Db,
  before: string,
  remindedBefore: Date,
): Promise<(StalePlaceRow & { structure_id: string; structure_nom: string })[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('structure', 'structure.id', 'place.structure_id')
    .select(STALE_PLACE_COLUMNS)
    .where(staleWhere(before))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('place_change')
            .select('place_change.id')
            .whereRef('place_change.place_id', '=', 'place.id')
            .where('place_change.status', '=', 'pending'),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('freshness_reminder')
            .select('freshness_reminder.id')
            .whereRef('freshness_reminder.structure_id', '=', 'place.structure_id')
            .where('freshness_reminder.sent_at', '>', remindedBefore),
        ),
      ),
    )
    .orderBy('structure.nom')
    .orderBy('place.structure_id')
    .orderBy(sql`lower(place.nom)`)
    .execute();
  return rows as (StalePlaceRow & { structure_id: string; structure_nom: string })[];
}

/** Administrators of the given structures (who receive the reminders). */
export async function listStructureAdmins(
  db: Db,
  structureIds: string[],
): Promise<{ structure_id: string; email: string; display_name: string }[]> {
  if (structureIds.length === 0) return [];
  return db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select(['membership.structure_id', 'person.email', 'person.display_name'])
    .where('membership.structure_id', 'in', structureIds)
    .where('membership.role', '=', 'structure_admin')
    .orderBy('person.email')
    .execute();
}

export async function insertFreshnessReminder(
  db: Db,
  row: { structure_id: string; place_ids: string[]; sent_at: Date },
): Promise<void> {
  await db.insertInto('freshness_reminder').values(row).execute();
}
