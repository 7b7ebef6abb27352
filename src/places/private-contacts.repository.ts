import type { Insertable, Selectable } from 'kysely';
import type { Db, PlacePrivateContactTable } from '../db/database.ts';

/** SQL of the private professional contacts of places (table place_private_contact, migration 0006). */
export type PrivateContactRow = Selectable<PlacePrivateContactTable>;

export function findPrivateContact(db: Db, placeId: string): Promise<PrivateContactRow | undefined> {
  return db
    .selectFrom('place_private_contact')
    .selectAll()
    .where('place_id', '=', placeId)
    .executeTakeFirst();
}

/** Inserts or replaces the contact of a place (one row per place). */
export async function upsertPrivateContact(
  db: Db,
  row: Insertable<PlacePrivateContactTable> & { updated_at: Date | string },
): Promise<void> {
  await db
    .insertInto('place_private_contact')
    .values(row)
    .onConflict((oc) =>
      oc.column('place_id').doUpdateSet({
        direct_phone: row.direct_phone ?? null,
        referral_email: row.referral_email ?? null,
        accepts_orientations: row.accepts_orientations ?? 'unknown',
        orientation_instructions: row.orientation_instructions ?? null,
        updated_at: row.updated_at,
        updated_by: row.updated_by ?? null,
      }),
    )
    .execute();
}

/** Inserts contacts only where a place has none yet (demo seeding never overwrites an edit). */
export async function insertMissingPrivateContacts(
  db: Db,
  rows: Insertable<PlacePrivateContactTable>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('place_private_contact')
    .values(rows)
    .onConflict((oc) => oc.column('place_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** The place a contact page is about, with its structure (the structure decides who edits). */
export function findContactPlace(
  db: Db,
  placeId: string,
): Promise<
  | { id: string; nom: string; commune: string; structure_id: string | null; structure_nom: string | null }
  | undefined
> {
  return db
    .selectFrom('place')
    .leftJoin('structure', 'structure.id', 'place.structure_id')
    .select([
      'place.id',
      'place.nom',
      'place.commune',
      'place.structure_id',
      'structure.nom as structure_nom',
    ])
    .where('place.id', '=', placeId)
    .executeTakeFirst();
}

/**
 * Demonstration places to give a private contact: those of the structures where demonstration accounts
 * are members, and a few of structures without any member.
 */
export async function listDemoContactPlaces(
  db: Db,
  source: string,
  others: number,
): Promise<{ withMembers: { id: string; nom: string }[]; withoutMembers: { id: string; nom: string }[] }> {
  const withMembers = await db
    .selectFrom('place')
    .select(['place.id', 'place.nom'])
    .where('place.source', '=', source)
    .where('place.structure_id', 'in', (eb) =>
      eb
        .selectFrom('membership')
        .innerJoin('person', 'person.id', 'membership.person_id')
        .select('membership.structure_id')
        .where('person.is_demo', '=', true),
    )
    .orderBy('place.nom')
    .orderBy('place.id')
    .execute();
  const withoutMembers = await db
    .selectFrom('place')
    .select(['place.id', 'place.nom'])
    .where('place.source', '=', source)
    .where((eb) =>
      eb.or([
        eb('place.structure_id', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('membership')
              .select('membership.person_id')
              .whereRef('membership.structure_id', '=', 'place.structure_id'),
          ),
        ),
      ]),
    )
    .orderBy('place.nom')
    .orderBy('place.id')
    .limit(others)
    .execute();
  return { withMembers, withoutMembers };
}
