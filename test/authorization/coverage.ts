import * as coverageService from '../../src/coverage/coverage.service.ts';
import { COORDINATOR, type DomainAccess, EVERYONE } from './roles.ts';

/**
 * Authorisation expectations of the coverage: the public map, table, exports and method for everybody;
 * the version with the nearest places' names and the need weights for the coordinators.
 */
export const access: DomainAccess = {
  routes: {
    'GET /couverture': { who: EVERYONE },
    'GET /couverture/reseau': { who: COORDINATOR },
    'GET /couverture.geojson': { who: EVERYONE },
    'GET /couverture.csv': { who: EVERYONE },
    'GET /couverture.svg': { who: EVERYONE },
    'GET /couverture/methode': { who: EVERYONE },
  },
  functions: {
    analyseTerritoryCoverage: EVERYONE,
    analyseNetworkCoverage: COORDINATOR,
    importCoverageWeights: COORDINATOR,
  },
  services: [coverageService],
};
