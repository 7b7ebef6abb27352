import * as accountsService from '../../src/accounts/accounts.service.ts';
import * as fundersService from '../../src/funders/funders.service.ts';
import { COORDINATOR, type DomainAccess, type Role, SIGNED_IN } from './roles.ts';

/** Coordinators, and the demo funder account (a person of the demo funder, decision 0024). */
const FUNDER_MEMBERS: readonly Role[] = ['coordinator', 'funder'];
const UNKNOWN_PERSON = '00000000-0000-4000-8000-000000000000';

/** Authorisation expectations of funder organisations (see roles.ts). */
export const access: DomainAccess = {
  routes: {
    'GET /financeurs': { who: COORDINATOR },
    'POST /financeurs': { who: COORDINATOR },
    // Anyone signed in: a person without a funder is told to ask the coordination.
    'GET /financeur': { who: SIGNED_IN },
    // A funder's page and its CSV: its own people and coordinators, never another funder's people.
    'GET /financeurs/:id': { who: FUNDER_MEMBERS, sample: '/financeurs/:funder' },
    'GET /financeurs/:id/chiffres.csv': { who: FUNDER_MEMBERS, sample: '/financeurs/:funder/chiffres.csv' },
    'GET /financeurs/:id/modifier': { who: COORDINATOR, sample: '/financeurs/:funder/modifier' },
    'POST /financeurs/:id/modifier': { who: COORDINATOR, sample: '/financeurs/:funder/modifier' },
    'POST /financeurs/:id/invitations': { who: COORDINATOR, sample: '/financeurs/:funder/invitations' },
    'POST /financeurs/:id/membres/:person/retirer': {
      who: COORDINATOR,
      sample: `/financeurs/:funder/membres/${UNKNOWN_PERSON}/retirer`,
    },
    'POST /financeurs/:id/financements': { who: COORDINATOR, sample: '/financeurs/:funder/financements' },
    'POST /financeurs/:id/financements/:funding/fin': {
      who: COORDINATOR,
      sample: '/financeurs/:funder/financements/:funding/fin',
    },
  },
  functions: {
    listFunders: COORDINATOR,
    createFunder: COORDINATOR,
    getFunder: COORDINATOR,
    updateFunder: COORDINATOR,
    inviteFunderMember: COORDINATOR,
    inviteToFunder: COORDINATOR,
    removeFunderMember: COORDINATOR,
    recordFunding: COORDINATOR,
    endFunding: COORDINATOR,
    listMyFunders: SIGNED_IN,
    viewFunder: FUNDER_MEMBERS,
    funderFigures: FUNDER_MEMBERS,
  },
  services: [fundersService, accountsService],
  samples: async (db) => {
    const funding = await db
      .selectFrom('funding')
      .innerJoin('funder', 'funder.id', 'funding.funder_id')
      .select(['funder.id as funder', 'funding.id as funding'])
      .where('funder.is_demo', '=', true)
      .orderBy('funding.starts_on')
      .executeTakeFirstOrThrow();
    return { ':funder': funding.funder, ':funding': funding.funding };
  },
};
