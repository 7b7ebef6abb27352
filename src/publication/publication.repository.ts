import type { Insertable, Selectable } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { PublicationFileNameColumn } from '../db/publication-rows.ts';

/** The stored publication files (migration 0038, docs/decisions/0054). */

export type PublicationFileRow = Selectable<Database['publication_file']>;
export type PublicationFileInsert = Insertable<Database['publication_file']>;
export type PublicationFileSummary = Omit<PublicationFileRow, 'content' | 'content_gzip' | 'content_br'>;
export type Encoding = 'identity' | 'gzip' | 'br';

/** Every stored file, without its bytes (the page, the regeneration's comparison). */
export async function listFileSummaries(db: Db): Promise<PublicationFileSummary[]> {
  return db
    .selectFrom('publication_file')
    .select(['name', 'content_type', 'etag', 'record_count', 'generated_at'])
    .orderBy('name')
    .execute();
}

/** One file's headers, and its bytes in one encoding when asked (none for a 304). */
export async function findFile(
  db: Db,
  name: PublicationFileNameColumn,
  encoding: Encoding | null,
): Promise<(PublicationFileSummary & { bytes: Uint8Array | null }) | undefined> {
  const base = db
    .selectFrom('publication_file')
    .select(['name', 'content_type', 'etag', 'record_count', 'generated_at'])
    .where('name', '=', name);
  if (encoding === null) {
    const row = await base.executeTakeFirst();
    return row ? { ...row, bytes: null } : undefined;
  }
  const column = encoding === 'br' ? 'content_br' : encoding === 'gzip' ? 'content_gzip' : 'content';
  const row = await base.select(`${column} as bytes`).executeTakeFirst();
  return row ? { ...row, bytes: row.bytes } : undefined;
}

export async function readRun(db: Db): Promise<{ source_version: string; ran_at: Date } | undefined> {
  return db.selectFrom('publication_run').select(['source_version', 'ran_at']).executeTakeFirst();
}

/**
 * Writes a generation in one transaction: the files whose bytes changed (others untouched, so their
 * ETag and Last-Modified stay) and what they were made from.
 */
export async function writeGeneration(
  db: Db,
  changed: PublicationFileInsert[],
  run: { source_version: string; ran_at: Date },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const file of changed) {
      await tx
        .insertInto('publication_file')
        .values(file)
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({
            content_type: file.content_type,
            content: file.content,
            content_gzip: file.content_gzip,
            content_br: file.content_br,
            etag: file.etag,
            record_count: file.record_count,
            generated_at: file.generated_at,
          }),
        )
        .execute();
    }
    await tx
      .insertInto('publication_run')
      .values({ id: true, ...run })
      .onConflict((oc) => oc.column('id').doUpdateSet(run))
      .execute();
  });
}
