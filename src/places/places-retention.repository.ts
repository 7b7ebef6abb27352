import type { Db } from '../db/database.ts';

/**
 * SQL of the retention of personal data left on places' public pages: error reports may
 * carry a way to reach their author.
 */

/** Blanks the contact of reports made before `before`; returns how many were blanked. */
export async function blankErrorReportContacts(db: Db, before: Date): Promise<number> {
  const rows = await db
    .updateTable('error_report')
    .set({ contact: null })
    .where('contact', 'is not', null)
    .where('created_at', '<', before)
    .returning('id')
    .execute();
  return rows.length;
}

/** Deletes reports handled (done or rejected) before `before` (by their decision, else their creation). */
export async function deleteHandledErrorReports(db: Db, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('error_report')
    .where('status', 'in', ['done', 'rejected'])
    .where((eb) =>
      eb.or([
        eb('decided_at', '<', before),
        eb.and([eb('decided_at', 'is', null), eb('created_at', '<', before)]),
      ]),
    )
    .returning('id')
    .execute();
  return rows.length;
}
