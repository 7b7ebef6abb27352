import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the network's days (migration 0029, decision 0043), beside database.ts which names them
 * in `Database`. Keep them in step with the SQL.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type NetworkEventStatus = 'tentative' | 'confirmed' | 'cancelled';

/** A day of the network (0029). */
export interface NetworkEventTable {
  id: Generated<string>;
  structure_id: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  /** The Paris calendar day, 'YYYY-MM-DD'. */
  day: ColumnType<string, string, string>;
  place_id: string | null;
  place_name: string;
  commune_code: string | null;
  status: ColumnType<NetworkEventStatus, NetworkEventStatus | undefined, NetworkEventStatus>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A track of a day (0029). */
export interface NetworkTrackTable {
  id: Generated<string>;
  event_id: string;
  name: string;
  position: number;
  created_at: Timestamp;
}

/** A session of a day: a workshop's programme fields (0029). */
export interface NetworkSessionTable {
  workshop_id: string;
  event_id: string;
  track_id: string;
  room: ColumnType<string, string | undefined, string>;
  speakers: ColumnType<{ name: string; role: string }[], string | undefined, string>;
  replay_url: ColumnType<string | null, string | null | undefined, string | null>;
  slides_url: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
