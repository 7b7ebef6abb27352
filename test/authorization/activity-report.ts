import * as reportService from '../../src/activities/report.service.ts';
import { COORDINATOR, type DomainAccess } from './roles.ts';

/**
 * Authorisation expectations of the annual evaluation report (decision 0056): the coordinators alone
 * print it, for the network or one structure — never a structure's staff, never a funder.
 */
export const access: DomainAccess = {
  routes: {
    'GET /activites/rapport-annuel': { who: COORDINATOR },
  },
  functions: {
    annualReport: COORDINATOR,
  },
  services: [reportService],
};
