import { insertCallback } from '../../src/callbacks/callbacks.repository.ts';
import * as callbacksService from '../../src/callbacks/callbacks.service.ts';
import type { Db } from '../../src/db/database.ts';
import { ANY_MEMBER, type DomainAccess, EVERYONE, NOBODY, STRUCTURE_MEMBERS } from './roles.ts';

/**
 * "Être rappelé": anybody asks, without an account; the list is for members of a structure and
 * coordinators (each sees their own structures' requests); recording a call is for the members of the
 * structure concerned and the coordinators — a member of another structure is refused.
 */
export const access: DomainAccess = {
  routes: {
    'GET /rappel': { who: EVERYONE },
    'POST /rappel': { who: EVERYONE },
    'GET /lieux/:id/rappel': { who: EVERYONE, sample: '/lieux/:place/rappel' },
    'POST /lieux/:id/rappel': { who: EVERYONE, sample: '/lieux/:place/rappel' },
    'GET /rappels': { who: ANY_MEMBER },
    'POST /rappels/:id': { who: STRUCTURE_MEMBERS, sample: '/rappels/:callback' },
  },
  functions: {
    prepareCallback: EVERYONE,
    requestCallback: EVERYONE,
    listCallbacks: ANY_MEMBER,
    markCallback: STRUCTURE_MEMBERS,
    runCallbackReminders: NOBODY,
  },
  services: [callbacksService],
  // A request to the demo structure (that of structure_admin and staff), written as the public form would.
  samples: async (db: Db) => {
    const structure = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'admin.demo@example.org')
      .executeTakeFirstOrThrow();
    const now = new Date();
    const row = await insertCallback(db, {
      reference: 'MATRX4',
      place_id: null,
      place_name: null,
      structure_id: structure.structure_id,
      first_name: 'Dominique',
      phone: '+33612345678',
      slot_date: null,
      slot_part: 'any',
      consent_at: now,
      created_at: now,
      due_on: '2099-01-01',
    });
    if (!row) throw new Error('the matrix call-back could not be written');
    return { ':callback': row.id };
  },
};
