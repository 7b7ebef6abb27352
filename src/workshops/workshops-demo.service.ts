import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import type { DemoWorkshop } from './workshop-batch.ts';
import {
  deleteDemoWorkshops,
  insertOccurrences,
  insertRegistration,
  insertWorkshop,
} from './workshops.repository.ts';

/**
 * The demonstration's agenda (decision 0041, addendum "demo and activity records"): a month of
 * workshops of demo structures, drawn by src/demo/demo-workshops.ts, written here through the
 * workshops' repository in one transaction, flagged `is_demo`, deleted by `demo remove` and nothing
 * else. Past dates are written as they would be after the day (attendance taken), which the services
 * refuse on purpose (a workshop is created for coming dates): hence the repository, as the
 * demonstration's activity records do.
 */

export async function seedDemoWorkshops(
  db: Db,
  actor: Actor,
  input: { workshops: readonly DemoWorkshop[] },
): Promise<{ workshops: number; dates: number; registrations: number }> {
  authorize(actor, 'seedDemoWorkshops');
  let dates = 0;
  let registrations = 0;
  await db.transaction().execute(async (tx) => {
    for (const demo of input.workshops) {
      const w = await insertWorkshop(tx, { ...demo.workshop, is_demo: true });
      const rows = await insertOccurrences(
        tx,
        demo.dates.map((d) => ({
          workshop_id: w.id,
          starts_at: d.startsAt,
          ends_at: d.endsAt,
          status: d.cancelled ? ('cancelled' as const) : ('scheduled' as const),
          sequence: d.cancelled ? 1 : 0,
          created_at: demo.workshop.created_at,
          updated_at: demo.workshop.updated_at,
        })),
      );
      // Matched by their start (a workshop's dates never start at the same time).
      const byStart = new Map(rows.map((o) => [o.starts_at.getTime(), o.id]));
      for (const d of demo.dates) {
        const occurrenceId = byStart.get(d.startsAt.getTime());
        if (!occurrenceId) continue;
        dates++;
        for (const r of d.registrations) {
          await insertRegistration(tx, { ...r, occurrence_id: occurrenceId });
          registrations++;
        }
      }
    }
  });
  return { workshops: input.workshops.length, dates, registrations };
}

/** Deletes the demonstration's workshops (their dates and registrations go with them). */
export async function removeDemoWorkshops(db: Db, actor: Actor): Promise<number> {
  authorize(actor, 'removeDemoWorkshops');
  return deleteDemoWorkshops(db);
}
