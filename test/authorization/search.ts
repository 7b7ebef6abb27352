import * as searchService from '../../src/search/search.service.ts';
import { type DomainAccess, EVERYONE } from './roles.ts';

/**
 * Authorisation expectations of the public search: its pages, its open-data API and the error report on
 * a place are for everybody, signed in or not (decision record 0023 lists its functions as public).
 */
export const access: DomainAccess = {
  routes: {
    'GET /': { who: EVERYONE },
    'GET /recherche': { who: EVERYONE },
    'GET /recherche/filtres': { who: EVERYONE },
    'GET /embed': { who: EVERYONE },
    'GET /lieux/:id': { who: EVERYONE, sample: '/lieux/:place' },
    'GET /lieux/:id/signaler': { who: EVERYONE, sample: '/lieux/:place/signaler' },
    'POST /lieux/:id/signaler': { who: EVERYONE, sample: '/lieux/:place/signaler' },
    'GET /preferences': { who: EVERYONE },
    'POST /preferences': { who: EVERYONE },
    'GET /accessibilite': { who: EVERYONE },
    'GET /api/v1/openapi.json': { who: EVERYONE },
    'GET /api/v1/lieux': { who: EVERYONE },
    'GET /api/v1/lieux/:id': { who: EVERYONE, sample: '/api/v1/lieux/:place' },
  },
  functions: {
    searchPlaces: EVERYONE,
    findIndexedPlace: EVERYONE,
    mapOutlines: EVERYONE,
  },
  services: [searchService],
};
