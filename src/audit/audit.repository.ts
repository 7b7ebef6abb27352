import { type ExpressionBuilder, type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { AuditLogTable, Database } from '../db/database.ts';

type Executor = Kysely<Database>;
export type AuditRow = Selectable<AuditLogTable>;
export type AuditRowWithEmail = AuditRow & { actor_email: string | null; actor_name: string | null };

export async function insertAuditEntry(db: Executor, entry: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
}

export async function listAuditEntries(
  db: Executor,
  filter: { action?: string; actorId?: string; limit: number },
): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Filters of the coordinator's page, in SQL terms (instants already computed from the dates). */
export interface AuditSearch {
  action: string | null;
  actor: string | null;
  subject: string | null;
  fromAt: Date | null;
  /** Exclusive. */
  toAt: Date | null;
}

const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function searchWhere(filter: AuditSearch) {
  return (
    eb: ExpressionBuilder<
      Database & { author: { email: string; display_name: string } },
      'audit_log' | 'author'
    >,
  ) => {
    const parts = [];
    if (filter.action) parts.push(eb('audit_log.action', '=', filter.action));
    if (filter.actor) {
      const like = likeText(filter.actor.toLowerCase());
      parts.push(
        eb.or([
          eb('author.email', 'like', like),
          eb(sql`lower(author.display_name)`, 'like', like),
          eb(sql`lower(audit_log.actor_label)`, 'like', like),
        ]),
      );
    }
    if (filter.subject) {
      const s = filter.subject.toLowerCase();
      parts.push(
        eb.or([eb(sql`lower(audit_log.subject_id)`, '=', s), eb(sql`lower(audit_log.subject_type)`, '=', s)]),
      );
    }
    if (filter.fromAt) parts.push(eb('audit_log.at', '>=', filter.fromAt));
    if (filter.toAt) parts.push(eb('audit_log.at', '<', filter.toAt));
    return eb.and(parts);
  };
}

function base(db: Executor) {
  // The author's current address (none once the account is deleted: the entry keeps only an id).
  return db.selectFrom('audit_log').leftJoin('person as author', 'author.id', 'audit_log.actor_id');
}

/** Entries matching the filters, newest first. */
export async function searchAuditEntries(
  db: Executor,
  filter: AuditSearch,
  page: { limit: number; offset: number },
): Promise<AuditRowWithEmail[]> {
  return base(db)
    .selectAll('audit_log')
    .select(['author.email as actor_email', 'author.display_name as actor_name'])
    .where(searchWhere(filter))
    .orderBy('audit_log.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countAuditEntries(db: Executor, filter: AuditSearch): Promise<number> {
  const row = await base(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(searchWhere(filter))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The actions found in the log (for the filter's list). */
export async function listAuditActions(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}

/** Subjects of some entries, by kind: the identifiers to name. */
export interface SubjectRefs {
  place: string[];
  structure: string[];
  person: string[];
  voucher_programme: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The current names of the places, structures, people and pass programmes a page of entries is about (their display
 * name for people), by identifier; a subject deleted since is absent. One query per kind, for a page.
 */
export async function subjectNames(db: Executor, refs: SubjectRefs): Promise<Map<string, string>> {
  const ids = (list: string[]) => [
    ...new Set(list.filter((id) => UUID.test(id)).map((id) => id.toLowerCase())),
  ];
  const [places, structures, people, programmes] = await Promise.all([
    ids(refs.place).length
      ? db.selectFrom('place').select(['id', 'nom as name']).where('id', 'in', ids(refs.place)).execute()
      : [],
    ids(refs.structure).length
      ? db
          .selectFrom('structure')
          .select(['id', 'nom as name'])
          .where('id', 'in', ids(refs.structure))
          .execute()
      : [],
    ids(refs.person).length
      ? db
          .selectFrom('person')
          .select(['id', 'display_name as name'])
          .where('id', 'in', ids(refs.person))
          .execute()
      : [],
    ids(refs.voucher_programme).length
      ? db
          .selectFrom('voucher_programme')
          .select(['id', 'name'])
          .where('id', 'in', ids(refs.voucher_programme))
          .execute()
      : [],
  ]);
  return new Map([...places, ...structures, ...people, ...programmes].map((r) => [r.id, r.name]));
}
