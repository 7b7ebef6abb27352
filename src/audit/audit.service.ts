import type { Db } from '../db/database.ts';
import { insertAuditEntry, listAuditEntries } from './audit.repository.ts';

/**
 * The audit log: sensitive actions (sign-ins and failures, role and membership changes, exports of
 * personal data…) leave a trace that nobody can rewrite. The table refuses UPDATE, DELETE and TRUNCATE
 * (trigger in migration 0003); corrections are new entries.
 */
export interface AuditEntry {
  id: number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
}

export interface AuditInput {
  /** A person's id, or null for the command line, the system or an anonymous visitor. */
  actorId: string | null;
  /** "personne", "cli", "système", "anonyme". */
  actorLabel: string;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
  at?: Date;
}

/** Appends one entry to the audit log (inside the caller's transaction when given one). */
export async function recordAudit(db: Db, input: AuditInput): Promise<void> {
  await insertAuditEntry(db, {
    actor_id: input.actorId,
    actor_label: input.actorLabel,
    action: input.action,
    subject_type: input.subjectType ?? null,
    subject_id: input.subjectId ?? null,
    details: JSON.stringify(input.details ?? {}),
    ...(input.at ? { at: input.at } : {}),
  });
}

/** The latest entries, newest first, optionally for one action or one actor. */
export async function listAudit(
  db: Db,
  filter: { action?: string; actorId?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  const rows = await listAuditEntries(db, {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    limit: Math.min(filter.limit ?? 100, 1000),
  });
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    details: (r.details ?? {}) as Record<string, unknown>,
  }));
}
