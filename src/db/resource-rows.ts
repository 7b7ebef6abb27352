import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the resource bank's tables (migration 0028, decision 0042), beside database.ts which
 * names them in `Database`. Keep them in step with the SQL.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ResourceTable {
  id: Generated<string>;
  structure_id: string;
  author_id: string | null;
  title: string;
  summary: string;
  kind: 'tutorial' | 'guide' | 'video' | 'file' | 'link';
  themes: ColumnType<string[], string[], string[]>;
  licence: 'etalab_2_0' | 'cc_by_sa_4_0' | 'cc_by_nc_sa_4_0' | 'no_licence';
  audience: 'professionals' | 'everyone' | 'trainers';
  is_public: boolean;
  url: string | null;
  search_text: string;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ResourceFileTable {
  resource_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  bytes: Uint8Array;
}

export interface ResourceCollectionTable {
  id: Generated<string>;
  structure_id: string;
  name: string;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface ResourceCollectionItemTable {
  collection_id: string;
  resource_id: string;
  position: number;
}

export interface ResourceReportTable {
  id: Generated<string>;
  resource_id: string;
  reporter_id: string | null;
  reason: 'outdated' | 'errors';
  text: string;
  state: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  created_at: Timestamp;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The sharing structure's short answer when it closed the report (migration 0031). */
  answer: ColumnType<string | null, string | null | undefined, string | null>;
  closed_by: ColumnType<string | null, string | null | undefined, string | null>;
}
