import type { ColumnType } from 'kysely';

/**
 * Row types of the publication files' tables (migration 0038, decision 0054), beside database.ts which
 * names them in `Database`. Keep them in step with the SQL.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** The files' names (publication.ts says what each is). */
export type PublicationFileNameColumn =
  | 'lieux.csv'
  | 'lieux.json'
  | 'lieux-tableur.csv'
  | 'data-inclusion/structures.json'
  | 'data-inclusion/structures.csv'
  | 'data-inclusion/services.json'
  | 'data-inclusion/services.csv'
  | 'metadonnees.json';

export interface PublicationFileTable {
  name: PublicationFileNameColumn;
  content_type: string;
  content: Uint8Array;
  content_gzip: Uint8Array;
  content_br: Uint8Array;
  etag: string;
  record_count: number;
  generated_at: Timestamp;
}

export interface PublicationRunTable {
  id: ColumnType<boolean, boolean | undefined, boolean>;
  source_version: string;
  ran_at: Timestamp;
}
