import * as activitiesService from '../../src/activities/activities.service.ts';
import * as coopExchangeService from '../../src/activities/coop-exchange.service.ts';
import { COORDINATOR, type DomainAccess, MEMBERS_ONLY } from './roles.ts';

/**
 * Authorisation expectations of activity records (decision 0038): a structure's records are its staff's
 * alone — not the coordinators', not a funder's, not another structure's; coordination activities are
 * the coordinators'. No route yet.
 */
export const access: DomainAccess = {
  routes: {},
  functions: {
    recordActivity: MEMBERS_ONLY,
    listActivities: MEMBERS_ONLY,
    getActivity: MEMBERS_ONLY,
    lastActivityDefaults: MEMBERS_ONLY,
    importCoopExport: MEMBERS_ONLY,
    exportCoop: MEMBERS_ONLY,
    recordCoordinationActivity: COORDINATOR,
    listCoordinationActivities: COORDINATOR,
  },
  services: [activitiesService, coopExchangeService],
};
