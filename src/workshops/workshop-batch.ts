import type { Insertable } from 'kysely';
import type { WorkshopRegistrationTable, WorkshopTable } from '../db/workshop-rows.ts';

/** A workshop with its dates and registrations, written as they are (the demonstration's agenda). */
export interface DemoWorkshop {
  workshop: Omit<Insertable<WorkshopTable>, 'id' | 'is_demo' | 'sequence'>;
  dates: {
    startsAt: Date;
    endsAt: Date;
    cancelled?: boolean;
    registrations: Omit<Insertable<WorkshopRegistrationTable>, 'id' | 'occurrence_id'>[];
  }[];
}
