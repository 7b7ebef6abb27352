import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the agenda's tables (migration 0025, decision 0041), beside database.ts which names them
 * in `Database` (one file would pass 800 lines). Keep them in step with the SQL.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type WorkshopStatus = 'tentative' | 'confirmed' | 'cancelled';
export type WorkshopMode = 'place' | 'online';
export type OccurrenceStatus = 'scheduled' | 'cancelled';
export type RegistrationState = 'registered' | 'waiting' | 'cancelled' | 'attended' | 'absent';

/** A structure's workshop (0025). */
export interface WorkshopTable {
  id: Generated<string>;
  structure_id: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  needs: TextArray;
  themes: TextArray;
  level: 'debutant' | 'intermediaire' | 'avance' | null;
  mode: WorkshopMode;
  place_id: string | null;
  place_name: string | null;
  commune_code: string | null;
  online_url: string | null;
  audience: ColumnType<string, string | undefined, string>;
  accessibility: ColumnType<string, string | undefined, string>;
  capacity: number;
  price_cents: ColumnType<number, number | undefined, number>;
  status: ColumnType<WorkshopStatus, WorkshopStatus | undefined, WorkshopStatus>;
  sequence: ColumnType<number, number | undefined, number>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One date of a workshop (0025). */
export interface WorkshopOccurrenceTable {
  id: Generated<string>;
  workshop_id: string;
  starts_at: ColumnType<Date, Date | string, Date | string>;
  ends_at: ColumnType<Date, Date | string, Date | string>;
  status: ColumnType<OccurrenceStatus, OccurrenceStatus | undefined, OccurrenceStatus>;
  sequence: ColumnType<number, number | undefined, number>;
  purged_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A person registered to one date (0025); personal fields null once purged. */
export interface WorkshopRegistrationTable {
  id: Generated<string>;
  occurrence_id: string;
  first_name: string | null;
  phone: string | null;
  email: string | null;
  registered_by: ColumnType<string | null, string | null | undefined, string | null>;
  by_mediator: ColumnType<boolean, boolean | undefined, boolean>;
  state: ColumnType<RegistrationState, RegistrationState | undefined, RegistrationState>;
  waiting_position: ColumnType<number | null, number | null | undefined, number | null>;
  cancel_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  promoted_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  cancelled_by: ColumnType<
    'person' | 'structure' | null,
    'person' | 'structure' | null | undefined,
    'person' | 'structure' | null
  >;
  attendance_at: NullableTimestamp;
  purged_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}
