import * as openDataService from '../../src/activities/open-data.service.ts';
import { type DomainAccess, EVERYONE } from './roles.ts';

/**
 * Authorisation expectations of the open data of activity records (decision 0053): aggregates only,
 * small counts secret, so the files and their list are for everybody, signed in or not.
 */
export const access: DomainAccess = {
  routes: {
    'GET /donnees/activites/:file{[^/]+\\.csv}': {
      who: EVERYONE,
      sample: '/donnees/activites/accompagnements-communes-mois.csv',
    },
  },
  functions: {
    listOpenActivityData: EVERYONE,
    readOpenActivityData: EVERYONE,
  },
  services: [openDataService],
};
