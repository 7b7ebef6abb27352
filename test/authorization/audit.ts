import type { DomainAccess } from './roles.ts';

/** Authorisation expectations of this domain's routes and policy functions (see roles.ts). */
export const access: DomainAccess = {
  routes: {},
  functions: {},
  services: [],
};
