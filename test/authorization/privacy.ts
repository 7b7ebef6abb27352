import * as privacyService from '../../src/accounts/privacy.service.ts';
import { type DomainAccess, EVERYONE, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of privacy: the legal notice and the personal-data page for everybody; the
 * purge is the daily job's and the command line's (`privacy purge`), no person's.
 */
export const access: DomainAccess = {
  routes: {
    'GET /mentions-legales': { who: EVERYONE },
    'GET /donnees-personnelles': { who: EVERYONE },
  },
  functions: {
    purgePersonalData: NOBODY,
  },
  services: [privacyService],
};
