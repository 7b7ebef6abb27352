import type { Db } from '../db/database.ts';

/** SQL of the error reports left on places' public pages. */
export interface ErrorReportRow {
  id: string;
  place_id: string;
  message: string;
  contact: string | null;
  created_at: Date;
  status: 'new' | 'forwarded' | 'done' | 'rejected';
}

export async function insertErrorReport(
  db: Db,
  report: { place_id: string; message: string; contact: string | null },
): Promise<string> {
  const row = await db.insertInto('error_report').values(report).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function listErrorReports(
  db: Db,
  status: ErrorReportRow['status'] = 'new',
): Promise<ErrorReportRow[]> {
  return db
    .selectFrom('error_report')
    .selectAll()
    .where('status', '=', status)
    .orderBy('created_at')
    .execute();
}
