import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Network-wide counts of orientations over a period of days, for the figures of funders (decision 0024):
 * no personal field is read, only needs, the receiving place and the sending day.
 */

export interface KeyCount {
  key: string | null;
  n: number;
}

const FROM = (day: string) => sql`sent_at >= (${day}::date::timestamp at time zone 'Europe/Paris')`;
const TO = (day: string) => sql`sent_at < ((${day}::date + 1)::timestamp at time zone 'Europe/Paris')`;

/** Orientations sent between two days (both included, Paris time), by need (one per need listed). */
export async function countNeedsBetween(db: Db, from: string, to: string): Promise<KeyCount[]> {
  const r = await sql<KeyCount>`select need as key, count(*)::int as n
    from orientation, unnest(needs) as need where ${FROM(from)} and ${TO(to)}
    group by need order by n desc, need`.execute(db);
  return r.rows;
}

/** Orientations sent between two days (both included), by receiving place (null: the place is gone). */
export async function countPlacesBetween(db: Db, from: string, to: string): Promise<KeyCount[]> {
  const r = await sql<KeyCount>`select place_id::text as key, count(*)::int as n
    from orientation where ${FROM(from)} and ${TO(to)}
    group by place_id order by n desc`.execute(db);
  return r.rows;
}

/** Orientations sent between two days (both included). */
export async function countOrientationsBetween(db: Db, from: string, to: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n
    from orientation where ${FROM(from)} and ${TO(to)}`.execute(db);
  return r.rows[0]?.n ?? 0;
}
