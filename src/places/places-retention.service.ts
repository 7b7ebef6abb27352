import type { Db } from '../db/database.ts';
import { blankErrorReportContacts, deleteHandledErrorReports } from './places-retention.repository.ts';

/**
 * Error reports are kept `days` days (RETENTION_ERROR_REPORT_DAYS): after that, the way to reach the
 * author is blanked (the message stays while the report waits for the coordinator), and reports already
 * handled are deleted. Idempotent. Called by the privacy purge.
 */
export async function purgeOldErrorReports(
  db: Db,
  input: { now: Date; days: number },
): Promise<{ errorReportContacts: number; errorReports: number }> {
  const before = new Date(input.now.getTime() - input.days * 24 * 3_600_000);
  const errorReports = await deleteHandledErrorReports(db, before);
  const errorReportContacts = await blankErrorReportContacts(db, before);
  return { errorReportContacts, errorReports };
}
