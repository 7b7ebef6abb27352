import * as activitiesService from '../../src/activities/activities.service.ts';
import * as coopExchangeService from '../../src/activities/coop-exchange.service.ts';
import { COORDINATOR, type DomainAccess, MEMBERS_ONLY } from './roles.ts';

/**
 * Authorisation expectations of activity records (decision 0038): a structure's records are its staff's
 * alone — not the coordinators', not a funder's, not another structure's; coordination activities are
 * the coordinators'. The exchange with La Coop (decision 0039) is the structure's staff's too.
 */
export const access: DomainAccess = {
  routes: {
    // In and out of La Coop (decision 0039): the demo structure's staff only.
    'GET /activites/import': { who: MEMBERS_ONLY, sample: '/activites/import?structure=:structure' },
    'POST /activites/import': { who: MEMBERS_ONLY, sample: '/activites/import?structure=:structure' },
    'GET /activites/export': {
      who: MEMBERS_ONLY,
      sample: '/activites/export?structure=:structure&format=csv',
    },
  },
  functions: {
    recordActivity: MEMBERS_ONLY,
    listActivities: MEMBERS_ONLY,
    getActivity: MEMBERS_ONLY,
    lastActivityDefaults: MEMBERS_ONLY,
    describeCoopExchange: MEMBERS_ONLY,
    importCoopExport: MEMBERS_ONLY,
    exportCoop: MEMBERS_ONLY,
    recordCoordinationActivity: COORDINATOR,
    listCoordinationActivities: COORDINATOR,
  },
  services: [activitiesService, coopExchangeService],
};
