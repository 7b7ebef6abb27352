import * as statisticsService from '../../src/activities/statistics.service.ts';
import { COORDINATOR, type DomainAccess, type Role, STRUCTURE_MEMBERS } from './roles.ts';

/** Coordinators, and the demo funder account (a person of the demo funder, decision 0024). */
const FUNDER_MEMBERS: readonly Role[] = ['coordinator', 'funder'];

/**
 * Authorisation expectations of the activity statistics (decision 0052): aggregates only. A structure's
 * figures for its staff and the coordinators (who are sent to the network's page filtered on it), the
 * network's for the coordinators, a funder's for its own people and the coordinators — never another
 * structure's staff, never a funder for a structure or the network.
 */
export const access: DomainAccess = {
  routes: {
    'GET /activites/statistiques': {
      who: STRUCTURE_MEMBERS,
      sample: '/activites/statistiques?structure=:structure',
    },
    'GET /activites/statistiques/export': {
      who: STRUCTURE_MEMBERS,
      sample: '/activites/statistiques/export?structure=:structure&format=csv',
    },
    'GET /activites/statistiques/reseau': { who: COORDINATOR },
    'GET /activites/statistiques/reseau/export': {
      who: COORDINATOR,
      sample: '/activites/statistiques/reseau/export?format=xlsx',
    },
    'GET /activites/statistiques/financeur/:id': {
      who: FUNDER_MEMBERS,
      sample: '/activites/statistiques/financeur/:funder',
    },
    'GET /activites/statistiques/financeur/:id/export': {
      who: FUNDER_MEMBERS,
      sample: '/activites/statistiques/financeur/:funder/export?format=csv',
    },
  },
  functions: {
    structureStatistics: STRUCTURE_MEMBERS,
    networkStatistics: COORDINATOR,
    funderStatistics: FUNDER_MEMBERS,
  },
  services: [statisticsService],
};
