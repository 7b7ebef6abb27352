import * as structuresService from '../../src/structures/structures.service.ts';
import { COORDINATOR, type DomainAccess, EVERYONE, SIGNED_IN, STRUCTURE_ADMINS } from './roles.ts';

const UNKNOWN_REQUEST = '00000000-0000-4000-8000-000000000000';

/** Authorisation expectations of this domain's routes and policy functions (see roles.ts). */
export const access: DomainAccess = {
  routes: {
    // Coordinators see the whole network, others their own structures (an empty list for a funder).
    'GET /structures': { who: SIGNED_IN },
    'POST /structures': { who: COORDINATOR },
    // Public: finding a structure and asking to join it needs no account.
    'GET /structures/rejoindre': { who: EVERYONE },
    'POST /structures/rejoindre': { who: EVERYONE },
    // Any signed-in person sees the public part (and may ask to join); members and requests by rule.
    'GET /structures/:id': { who: SIGNED_IN, sample: '/structures/:structure' },
    'POST /structures/:id/membres': { who: STRUCTURE_ADMINS, sample: '/structures/:structure/membres' },
    'POST /structures/:id/membres/:person/role': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/membres/:member/role',
    },
    'GET /structures/:id/membres/:person/retirer': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/membres/:member/retirer',
    },
    'POST /structures/:id/membres/:person/retirer': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/membres/:member/retirer',
    },
    'POST /structures/:id/demande': { who: SIGNED_IN, sample: '/structures/:structure/demande' },
    'POST /structures/:id/demandes/:request': {
      who: STRUCTURE_ADMINS,
      sample: `/structures/:structure/demandes/${UNKNOWN_REQUEST}`,
    },
  },
  functions: {
    listStructures: COORDINATOR,
    listMyStructures: SIGNED_IN,
    createStructure: COORDINATOR,
    viewStructure: EVERYONE,
    findStructuresByName: EVERYONE,
    inviteStructureMember: STRUCTURE_ADMINS,
    changeStructureMemberRole: STRUCTURE_ADMINS,
    describeMemberRemoval: STRUCTURE_ADMINS,
    removeStructureMember: STRUCTURE_ADMINS,
    requestToJoinStructure: EVERYONE,
    listJoinRequests: STRUCTURE_ADMINS,
    decideJoinRequest: STRUCTURE_ADMINS,
  },
  services: [structuresService],
  samples: async (db) => {
    // A staff member of the demo structure (mediation.demo), for the member pages.
    const member = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'mediation.demo@example.org')
      .executeTakeFirstOrThrow();
    return { ':member': member.id };
  },
};
