import * as homeService from '../../src/home/home.service.ts';
import * as usageService from '../../src/usage/usage.service.ts';
import { COORDINATOR, type DomainAccess, NOBODY, SIGNED_IN } from './roles.ts';

/**
 * Authorisation expectations of the home page (every signed-in person has one; each block decides what
 * it shows) and of the anonymous figures of use (written by each server, read by coordinators).
 */
export const access: DomainAccess = {
  routes: {
    'GET /espace': { who: SIGNED_IN },
  },
  functions: {
    showHome: SIGNED_IN,
    flushUsage: NOBODY,
    networkUsage: COORDINATOR,
  },
  services: [homeService, usageService],
};
