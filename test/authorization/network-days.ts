import type { Db } from '../../src/db/database.ts';
import * as demoNetworkDay from '../../src/demo/demo-network-day.service.ts';
import * as networkDaysService from '../../src/workshops/network-days.service.ts';
import { COORDINATOR, type DomainAccess, EVERYONE, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of the network's days (decision 0043): the coordinators run them (the
 * day, its tracks and sessions, the record in the coordination activities); the programme and its A4
 * sheet are public (counts, never a person). The sessions' registrations are the organising structure's,
 * as for any workshop (workshops.ts).
 */
export const access: DomainAccess = {
  routes: {
    'GET /agenda/journees/:id': { who: EVERYONE, sample: '/agenda/journees/:netday' },
    'GET /agenda/journees/:id/programme': { who: EVERYONE, sample: '/agenda/journees/:netday/programme' },
    'GET /agenda/gestion/journees': { who: COORDINATOR },
    'GET /agenda/gestion/journees/nouvelle': { who: COORDINATOR },
    'POST /agenda/gestion/journees/nouvelle': { who: COORDINATOR },
    'GET /agenda/gestion/journees/:id': { who: COORDINATOR, sample: '/agenda/gestion/journees/:netday' },
    'POST /agenda/gestion/journees/:id': { who: COORDINATOR, sample: '/agenda/gestion/journees/:netday' },
    'POST /agenda/gestion/journees/:id/parcours': {
      who: COORDINATOR,
      sample: '/agenda/gestion/journees/:netday/parcours',
    },
    'POST /agenda/gestion/journees/:id/seances': {
      who: COORDINATOR,
      sample: '/agenda/gestion/journees/:netday/seances',
    },
    // The demo day is next month: the coordinator is told it has not taken place yet (409).
    'POST /agenda/gestion/journees/:id/activite': {
      who: COORDINATOR,
      sample: '/agenda/gestion/journees/:netday/activite',
    },
    'GET /agenda/gestion/journees/seances/:id': {
      who: COORDINATOR,
      sample: '/agenda/gestion/journees/seances/:netsession',
    },
    'POST /agenda/gestion/journees/seances/:id': {
      who: COORDINATOR,
      sample: '/agenda/gestion/journees/seances/:netsession',
    },
  },
  functions: {
    createNetworkDay: COORDINATOR,
    updateNetworkDay: COORDINATOR,
    addNetworkTrack: COORDINATOR,
    addNetworkSession: COORDINATOR,
    updateNetworkSession: COORDINATOR,
    getNetworkSessionForEdit: COORDINATOR,
    getNetworkDayForEdit: COORDINATOR,
    listNetworkDays: COORDINATOR,
    networkDayFormChoices: COORDINATOR,
    recordNetworkDayActivity: COORDINATOR,
    getNetworkDay: EVERYONE,
    listUpcomingNetworkDays: EVERYONE,
    seedDemoNetworkDay: NOBODY,
    removeDemoNetworkDays: NOBODY,
  },
  services: [networkDaysService, demoNetworkDay],
  // The demonstration's day and one of its sessions.
  samples: async (db: Db) => {
    const day = await db.selectFrom('network_event').select('id').executeTakeFirstOrThrow();
    const session = await db
      .selectFrom('network_session')
      .select('workshop_id')
      .where('event_id', '=', day.id)
      .executeTakeFirstOrThrow();
    return { ':netday': day.id, ':netsession': session.workshop_id };
  },
};
