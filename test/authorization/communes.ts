import * as communesService from '../../src/communes/communes.service.ts';
import { type DomainAccess, NOBODY } from './roles.ts';

/** Authorisation expectations of the communes: loading their outlines is the command line's (`geo import`). */
export const access: DomainAccess = {
  routes: {},
  functions: {
    importCommuneGeometry: NOBODY,
  },
  services: [communesService],
};
