import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the volunteers' tables (migration 0030, decision 0044), beside database.ts which names
 * them in `Database`. Keep them in step with the SQL.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Texts = ColumnType<string[], string[] | undefined, string[]>;
type Day = ColumnType<string, string, string>;

export interface VolunteerTable {
  person_id: string;
  phone: string | null;
  skills: string[];
  availability: string[];
  communes: string[];
  charter_version: string;
  charter_accepted_at: ColumnType<Date, Date | string, Date | string>;
  state: ColumnType<'pending' | 'validated', 'pending' | 'validated' | undefined, 'pending' | 'validated'>;
  validated_at: NullableTimestamp;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export type MissionState = 'draft' | 'validated' | 'full' | 'closed';

export interface MissionTable {
  id: Generated<string>;
  structure_id: string;
  place_id: string;
  author_id: string | null;
  title: string;
  description: string;
  starts_on: Day;
  ends_on: Day;
  slots: Texts;
  skills: string[];
  commitment: 'one_off' | 'weekly';
  hours_per_week: number | null;
  audience: 'tous' | 'seniors' | 'jeunes' | 'familles' | 'allophones' | 'demandeurs_emploi' | 'handicap';
  seats: number;
  state: ColumnType<MissionState, MissionState | undefined, MissionState>;
  validated_at: NullableTimestamp;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type MatchState = 'proposed' | 'accepted' | 'waiting' | 'declined' | 'withdrawn';

export interface MissionMatchTable {
  id: Generated<string>;
  mission_id: string;
  volunteer_id: string;
  origin: 'structure' | 'volunteer';
  state: ColumnType<MatchState, MatchState | undefined, MatchState>;
  waiting_since: NullableTimestamp;
  created_at: Timestamp;
  answered_at: NullableTimestamp;
}
