import * as activitiesDemoService from '../../src/activities/activities-demo.service.ts';
import * as apiTokensService from '../../src/activities/api-tokens.service.ts';
import { addDays, localToday } from '../../src/places/place-dates.ts';
import { ADMINS_ONLY, type DomainAccess, EVERYONE, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of API tokens and `GET /api/v1/activites` (decision 0040): a structure's
 * tokens are its administrators' alone — not its other staff, not a coordinator, not a funder; the API
 * answers everybody, the token deciding which records (without one: network figures only).
 */
export const access: DomainAccess = {
  routes: {
    'GET /api/v1/activites': { who: EVERYONE },
    'GET /structures/:id/jetons': { who: ADMINS_ONLY, sample: '/structures/:structure/jetons' },
    'POST /structures/:id/jetons': { who: ADMINS_ONLY, sample: '/structures/:structure/jetons' },
    'POST /structures/:id/jetons/:token/revoquer': {
      who: ADMINS_ONLY,
      sample: '/structures/:structure/jetons/:apitoken/revoquer',
    },
  },
  functions: {
    listApiTokens: ADMINS_ONLY,
    createApiToken: ADMINS_ONLY,
    revokeApiToken: ADMINS_ONLY,
    listActivitiesWithToken: EVERYONE,
    activityAggregates: EVERYONE,
    seedDemoActivities: NOBODY,
    removeDemoActivities: NOBODY,
  },
  services: [apiTokensService, activitiesDemoService],
  samples: async (db) => {
    // A token of the demo structure (structure 0, of the demo administrator), to revoke.
    const structure = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'admin.demo@example.org')
      .executeTakeFirstOrThrow();
    const created = await apiTokensService.createApiToken(
      db,
      { kind: 'system' },
      {
        structureId: structure.structure_id,
        values: { name: 'Jeton du test', expiresOn: addDays(localToday(new Date()), 30) },
      },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    return { ':apitoken': created.tokenId };
  },
};
