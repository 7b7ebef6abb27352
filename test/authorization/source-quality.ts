import * as sourceQualityService from '../../src/places/source-quality.service.ts';
import { COORDINATOR, type DomainAccess } from './roles.ts';

/**
 * Authorisation expectations of the corrections sent back to the sources (decision 0059): coordinators
 * only, like the data-quality page they come from.
 */
export const access: DomainAccess = {
  routes: {
    'GET /qualite/corrections': { who: COORDINATOR },
    // The demonstration's second publisher: a source other than the site's own.
    'GET /qualite/corrections.csv': {
      who: COORDINATOR,
      sample: '/qualite/corrections.csv?source=demo-cartographie',
    },
  },
  functions: {
    listSourceCorrections: COORDINATOR,
    downloadSourceCorrections: COORDINATOR,
  },
  services: [sourceQualityService],
};
