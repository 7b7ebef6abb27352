import * as placeEditService from '../../src/places/place-edit.service.ts';
import { ANY_MEMBER, type DomainAccess, STRUCTURE_MEMBERS } from './roles.ts';

/**
 * Authorisation expectations of place editing by structures: members of the place's
 * structure and coordinators edit it; `other_structure` (staff of another structure) and funders do not.
 */
export const access: DomainAccess = {
  routes: {
    'GET /mes-lieux': { who: ANY_MEMBER },
    'GET /lieux/:id/modifier': { who: STRUCTURE_MEMBERS, sample: '/lieux/:editable/modifier' },
    'POST /lieux/:id/modifier': { who: STRUCTURE_MEMBERS, sample: '/lieux/:editable/modifier' },
    'POST /lieux/:id/a-jour': { who: STRUCTURE_MEMBERS, sample: '/lieux/:editable/a-jour' },
  },
  functions: {
    listEditablePlaces: ANY_MEMBER,
    getPlaceEditor: STRUCTURE_MEMBERS,
    proposePlaceChange: STRUCTURE_MEMBERS,
    confirmPlaceUpToDate: STRUCTURE_MEMBERS,
  },
  services: [placeEditService],
  async samples(db) {
    // A demo place of the demo structure 0 (where structure_admin and staff are members): the demo
    // structures are made from the demo places' SIRET, so each has at least one place.
    const place = await db
      .selectFrom('place')
      .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('place.id')
      .where('person.email', '=', 'admin.demo@example.org')
      .orderBy('place.nom')
      .executeTakeFirstOrThrow();
    return { ':editable': place.id };
  },
};
