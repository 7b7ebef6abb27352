import * as dashboardService from '../../src/vouchers/dashboard.service.ts';
import { ANY_MEMBER, type DomainAccess, NETWORK_PEOPLE, type Role } from './roles.ts';

/** Coordinators, and the people of a funder (the demo funder account), for their own programmes. */
const FUNDER_MEMBERS: readonly Role[] = ['coordinator', 'funder'];

/**
 * The pass numérique's dashboard (decision 0051): the page is open to the network's people, each seeing
 * the sections of their roles (a person with none is told so); the programmes' figures are the
 * coordinators' and the funders' (their own programmes); a prescriber's booklets and a place's
 * redemptions are their structure's members' (each sees only their own structures').
 */
export const access: DomainAccess = {
  routes: {
    'GET /pass/tableau-de-bord': { who: NETWORK_PEOPLE },
    'GET /pass/tableau-de-bord/programmes.csv': { who: FUNDER_MEMBERS },
    'GET /pass/tableau-de-bord/carnets.csv': { who: ANY_MEMBER },
    'GET /pass/tableau-de-bord/encaissements.csv': { who: ANY_MEMBER },
  },
  functions: {
    passDashboard: NETWORK_PEOPLE,
    programmeDashboard: FUNDER_MEMBERS,
    prescriberDashboard: ANY_MEMBER,
    placeDashboard: ANY_MEMBER,
  },
  services: [dashboardService],
};
