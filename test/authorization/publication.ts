import * as publicationService from '../../src/publication/publication.service.ts';
import { type DomainAccess, EVERYONE, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of the open-data files (decision 0054): the page and the files are for
 * everybody (decision record 0023 lists their functions as public); only the system generates them. The
 * matrix's database has never generated them: every file answers 503 (Retry-After) to everybody.
 */
export const access: DomainAccess = {
  routes: {
    'GET /donnees': { who: EVERYONE },
    'GET /donnees/:file': { who: EVERYONE, sample: '/donnees/lieux.csv', status: 503 },
    'GET /donnees/data-inclusion/:file': {
      who: EVERYONE,
      sample: '/donnees/data-inclusion/structures.json',
      status: 503,
    },
  },
  functions: {
    listPublicationFiles: EVERYONE,
    getPublicationFile: EVERYONE,
    generatePublicationFiles: NOBODY,
  },
  services: [publicationService],
};
