import { stringify } from 'csv-stringify/sync';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { inertCell } from '../shared/spreadsheet.ts';
import {
  type AuditRowWithEmail,
  type AuditSearch,
  countAuditEntries,
  insertAuditEntry,
  listAuditActions,
  listAuditEntries,
  searchAuditEntries,
  subjectNames,
} from './audit.repository.ts';
import {
  AUDIT_EXPORT_MAX,
  AUDIT_PAGE_SIZE,
  type AuditFilter,
  actionLabel,
  authorWords,
  SUBJECT_KINDS,
  subjectWords,
} from './audit.ts';

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

/**
 * An entry of the coordinator's page: with the author's current address and name when the account still
 * exists, and the subject's current name (a place's, a structure's, a person's) when it still exists.
 */
export interface AuditLogEntry extends AuditEntry {
  actorEmail: string | null;
  actorName: string | null;
  subjectName: string | null;
}

export interface AuditLogPage {
  entries: AuditLogEntry[];
  total: number;
  page: number;
  pageCount: number;
  /** Actions found in the log, for the filter's list. */
  actions: string[];
}

const TIME_ZONE = 'Europe/Paris';

/** The instant a day starts in France ('2026-03-29' → 2026-03-28T23:00:00Z). */
export function startOfFrenchDay(day: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  const offsetOf = (instant: Date) => {
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' })
        .formatToParts(instant)
        .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  };
  // The offset at the guessed instant, then checked again (days when the clocks change).
  let guess = new Date(utcMidnight.getTime() - offsetOf(utcMidnight));
  guess = new Date(utcMidnight.getTime() - offsetOf(guess));
  return guess;
}

/** The names of the subjects of some entries (places, structures, people), by identifier. */
function namesOf(db: Db, rows: AuditRowWithEmail[]): Promise<Map<string, string>> {
  const of = (type: string) =>
    rows.flatMap((r) => (r.subject_type === type && r.subject_id ? [r.subject_id] : []));
  return subjectNames(db, {
    place: of('place'),
    structure: of('structure'),
    person: of('person'),
    voucher_programme: of('voucher_programme'),
  });
}

function toSearch(filter: AuditFilter): AuditSearch {
  let toAt: Date | null = null;
  if (filter.to) {
    const next = new Date(`${filter.to}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    toAt = startOfFrenchDay(next.toISOString().slice(0, 10));
  }
  return {
    action: filter.action,
    actor: filter.actor,
    // "lieu", "compte"… mean a kind of subject; anything else is an identifier (or a kind's code).
    subject: filter.subject ? (SUBJECT_KINDS[filter.subject.toLowerCase()] ?? filter.subject) : null,
    fromAt: filter.from ? startOfFrenchDay(filter.from) : null,
    toAt,
  };
}

function toLogEntry(r: AuditRowWithEmail, names: Map<string, string>): AuditLogEntry {
  return {
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    actorEmail: r.actor_email,
    actorName: r.actor_name,
    subjectName: r.subject_id ? (names.get(r.subject_id.toLowerCase()) ?? null) : null,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    details: (r.details ?? {}) as Record<string, unknown>,
  };
}

/**
 * The coordinator's audit log page: entries matching the filters (action, author's address or label,
 * subject, dates in France, both included), newest first, 50 a page. Coordinators only.
 */
export async function listAuditLog(
  db: Db,
  actor: Actor,
  input: { filter: AuditFilter; page: number },
): Promise<AuditLogPage> {
  authorize(actor, 'listAuditLog');
  const search = toSearch(input.filter);
  const [total, actions] = await Promise.all([countAuditEntries(db, search), listAuditActions(db)]);
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(input.page) || 1), pageCount);
  const rows = await searchAuditEntries(db, search, {
    limit: AUDIT_PAGE_SIZE,
    offset: (page - 1) * AUDIT_PAGE_SIZE,
  });
  const names = await namesOf(db, rows);
  return { entries: rows.map((r) => toLogEntry(r, names)), total, page, pageCount, actions };
}

const CSV_DATE = new Intl.DateTimeFormat('fr-FR', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * The audit log as CSV for spreadsheets (semicolon, BOM, French headers, formula-looking texts made
 * inert), with the same filters as the page. Coordinators only; the export itself is written to the log
 * (it holds people's addresses).
 */
export async function exportAuditLog(
  db: Db,
  actor: Actor,
  input: { filter: AuditFilter },
  opts: { now?: Date } = {},
): Promise<{ csv: string; rows: number }> {
  authorize(actor, 'exportAuditLog');
  const rows = await searchAuditEntries(db, toSearch(input.filter), { limit: AUDIT_EXPORT_MAX, offset: 0 });
  const names = await namesOf(db, rows);
  const lines = rows
    .map((r) => toLogEntry(r, names))
    .map((e) =>
      [
        CSV_DATE.format(e.at),
        e.action,
        actionLabel(e.action),
        authorWords(e),
        e.actorEmail ?? '',
        e.actorLabel,
        e.actorId ?? '',
        subjectWords(e),
        e.subjectType ?? '',
        e.subjectId ?? '',
        JSON.stringify(e.details),
      ].map(inertCell),
    );
  const header = [
    'Date (heure de Paris)',
    'Action',
    'Action (en clair)',
    'Auteur',
    "Adresse e-mail de l'auteur",
    "Type d'auteur",
    "Identifiant de l'auteur",
    'Sujet',
    'Type de sujet',
    'Identifiant du sujet',
    'Détails',
  ];
  const csv = `\uFEFF${stringify([header, ...lines], { delimiter: ';', record_delimiter: '\r\n' })}`;
  await recordAudit(db, {
    actorId: actor.kind === 'person' ? actor.personId : null,
    actorLabel: actor.kind === 'person' ? 'personne' : 'cli',
    action: 'audit_log.exported',
    subjectType: 'audit_log',
    details: {
      filter: Object.fromEntries(Object.entries(input.filter).filter(([, v]) => v)),
      rows: rows.length,
    },
    ...(opts.now ? { at: opts.now } : {}),
  });
  return { csv, rows: rows.length };
}
