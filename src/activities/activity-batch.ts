import type { Insertable } from 'kysely';
import type { ActivityParticipantsTable, ActivityTable } from '../db/activity-rows.ts';

/** A record and its anonymous counts, written in a batch (the demonstration's year, decision 0040). */
export interface DemoActivity {
  activity: Omit<Insertable<ActivityTable>, 'id' | 'is_demo'>;
  participants: Omit<Insertable<ActivityParticipantsTable>, 'activity_id'>;
}
