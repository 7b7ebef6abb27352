import type { Db } from '../../src/db/database.ts';
import * as demoVolunteersService from '../../src/volunteers/demo-volunteers.service.ts';
import * as matchingService from '../../src/volunteers/matching.service.ts';
import * as missionsService from '../../src/volunteers/missions.service.ts';
import * as volunteersService from '../../src/volunteers/volunteers.service.ts';
import {
  ANY_MEMBER,
  COORDINATOR,
  type DomainAccess,
  EVERYONE,
  MEMBERS_ONLY,
  NOBODY,
  STRUCTURE_MEMBERS,
  VOLUNTEER,
} from './roles.ts';

/**
 * Volunteering (decision 0044): anybody sees the open missions and signs up; a structure's staff publish
 * missions for their structure, its members (and the coordinators) match them and answer; the
 * coordinator validates missions and volunteers and alone sees every volunteer; a volunteer acts on
 * their own page and proposals only.
 */
export const access: DomainAccess = {
  routes: {
    'GET /benevolat': { who: EVERYONE },
    'GET /benevolat/inscription': { who: EVERYONE },
    'POST /benevolat/inscription': { who: EVERYONE },
    'GET /benevolat/missions': { who: ANY_MEMBER },
    'GET /benevolat/missions/nouvelle': { who: ANY_MEMBER },
    'POST /benevolat/missions/nouvelle': { who: ['structure_admin', 'staff', 'other_structure'] },
    'GET /benevolat/missions/:id': { who: EVERYONE, sample: '/benevolat/missions/:mission' },
    'POST /benevolat/missions/:id/valider': {
      who: COORDINATOR,
      sample: '/benevolat/missions/:mission/valider',
    },
    'POST /benevolat/missions/:id/terminer': {
      who: STRUCTURE_MEMBERS,
      sample: '/benevolat/missions/:mission/terminer',
    },
    'POST /benevolat/missions/:id/proposer': {
      who: STRUCTURE_MEMBERS,
      sample: '/benevolat/missions/:mission/proposer',
    },
    'POST /benevolat/missions/:id/demander': {
      who: VOLUNTEER,
      sample: '/benevolat/missions/:mission/demander',
    },
    'POST /benevolat/candidatures/:id/repondre': {
      who: STRUCTURE_MEMBERS,
      sample: '/benevolat/candidatures/:request/repondre',
    },
    'POST /benevolat/candidatures/:id/terminer': {
      who: STRUCTURE_MEMBERS,
      sample: '/benevolat/candidatures/:request/terminer',
    },
    'GET /benevolat/benevoles': { who: COORDINATOR },
    'POST /benevolat/benevoles/:id/valider': {
      who: COORDINATOR,
      sample: '/benevolat/benevoles/:volunteer/valider',
    },
    'GET /benevolat/mon-espace': { who: VOLUNTEER },
    'POST /benevolat/propositions/:id/repondre': {
      who: VOLUNTEER,
      sample: '/benevolat/propositions/:proposal/repondre',
    },
    'POST /benevolat/propositions/:id/retirer': {
      who: VOLUNTEER,
      sample: '/benevolat/propositions/:proposal/retirer',
    },
  },
  functions: {
    listMissions: EVERYONE,
    getMission: EVERYONE,
    signUpVolunteer: EVERYONE,
    missionForm: ANY_MEMBER,
    listManagedMissions: ANY_MEMBER,
    createMission: MEMBERS_ONLY,
    validateMission: COORDINATOR,
    closeMission: STRUCTURE_MEMBERS,
    listVolunteers: COORDINATOR,
    validateVolunteer: COORDINATOR,
    matchVolunteers: STRUCTURE_MEMBERS,
    proposeMission: STRUCTURE_MEMBERS,
    answerApplication: STRUCTURE_MEMBERS,
    endParticipation: STRUCTURE_MEMBERS,
    myVolunteering: VOLUNTEER,
    applyToMission: VOLUNTEER,
    answerProposal: VOLUNTEER,
    withdrawFromMission: VOLUNTEER,
    seedDemoVolunteers: NOBODY,
    removeDemoVolunteers: NOBODY,
  },
  services: [missionsService, matchingService, volunteersService, demoVolunteersService],
  // The demonstration's first mission of the demo structure (validated), the request a volunteer made
  // for it, the proposal made to the demo volunteer, and the volunteer to validate.
  samples: async (db: Db) => {
    const structure = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'admin.demo@example.org')
      .executeTakeFirstOrThrow();
    const request = await db
      .selectFrom('mission_match')
      .innerJoin('mission', 'mission.id', 'mission_match.mission_id')
      .select(['mission_match.id', 'mission.id as mission_id'])
      .where('mission.structure_id', '=', structure.structure_id)
      .where('mission_match.origin', '=', 'volunteer')
      .executeTakeFirstOrThrow();
    const proposal = await db
      .selectFrom('mission_match')
      .innerJoin('person', 'person.id', 'mission_match.volunteer_id')
      .select('mission_match.id')
      .where('person.email', '=', 'benevole.demo@example.org')
      .executeTakeFirstOrThrow();
    const volunteer = await db
      .selectFrom('volunteer')
      .select('person_id')
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return {
      ':mission': request.mission_id,
      ':request': request.id,
      ':proposal': proposal.id,
      ':volunteer': volunteer.person_id,
    };
  },
};
