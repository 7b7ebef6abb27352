import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { listAllPlaces } from '../../src/places/places.service.ts';
import * as inboxService from '../../src/referrals/inbox.service.ts';
import * as mailedLinksService from '../../src/referrals/mailed-links.service.ts';
import * as formService from '../../src/referrals/orientation-form.service.ts';
import * as parcoursService from '../../src/referrals/parcours.service.ts';
import { placeOffersNeed } from '../../src/referrals/referrals.ts';
import * as homeService from '../../src/referrals/referrals-home.service.ts';
import * as statisticsService from '../../src/referrals/statistics.service.ts';
import { NEEDS } from '../../src/search/needs.ts';
import { COORDINATOR, type DomainAccess, EVERYONE, MEMBERS_ONLY, type Role } from './roles.ts';

/**
 * Orientations. One orientation concerns the structures that send and receive it, and
 * nobody else: not the coordinator (aggregates only), not another structure. The sample orientation is
 * sent by the demo structure (structure_admin and staff) to a place of a third structure, so
 * `other_structure` is a structure not involved.
 */
const ANY_STRUCTURE_MEMBER: readonly Role[] = ['structure_admin', 'staff', 'other_structure'];

export const access: DomainAccess = {
  routes: {
    'GET /orientations/nouvelle': { who: ANY_STRUCTURE_MEMBER },
    'POST /orientations/nouvelle': { who: ANY_STRUCTURE_MEMBER },
    'GET /orientations': { who: ANY_STRUCTURE_MEMBER },
    'GET /orientations/statistiques': { who: COORDINATOR },
    'GET /orientations/statistiques.csv': { who: COORDINATOR },
    'GET /orientations/parcours/:id': { who: MEMBERS_ONLY, sample: '/orientations/parcours/:parcours' },
    'GET /orientations/parcours/:id/donnees': {
      who: MEMBERS_ONLY,
      sample: '/orientations/parcours/:parcours/donnees',
    },
    'GET /orientations/parcours/:id/effacer': {
      who: MEMBERS_ONLY,
      sample: '/orientations/parcours/:parcours/effacer',
    },
    'POST /orientations/parcours/:id/effacer': {
      who: MEMBERS_ONLY,
      sample: '/orientations/parcours/:parcours/effacer',
    },
    // The mailed link is the key: anyone holding it; an unknown one is dead (410).
    'GET /orientations/lien/:token': {
      who: EVERYONE,
      sample: '/orientations/lien/jeton-inconnu',
      status: 410,
    },
    'POST /orientations/lien/:token': { who: EVERYONE, sample: '/orientations/lien/jeton-inconnu' },
    'GET /orientations/:id': { who: MEMBERS_ONLY, sample: '/orientations/:orientation' },
    // Answered and closed by the receiving structure: the sample sent to the demo structure.
    'POST /orientations/:id/reponse': { who: MEMBERS_ONLY, sample: '/orientations/:received/reponse' },
    'POST /orientations/:id/cloture': { who: MEMBERS_ONLY, sample: '/orientations/:received/cloture' },
    'GET /orientations/:id/fiche': { who: MEMBERS_ONLY, sample: '/orientations/:orientation/fiche' },
    'GET /api/v1/orientations': { who: ANY_STRUCTURE_MEMBER },
    'GET /api/v1/orientations/:id': { who: MEMBERS_ONLY, sample: '/api/v1/orientations/:orientation' },
  },
  functions: {
    prepareOrientation: MEMBERS_ONLY,
    createOrientation: MEMBERS_ONLY,
    listOrientations: MEMBERS_ONLY,
    getOrientation: MEMBERS_ONLY,
    answerOrientation: MEMBERS_ONLY,
    closeOrientation: MEMBERS_ONLY,
    getReferralSheet: MEMBERS_ONLY,
    getParcours: MEMBERS_ONLY,
    exportParcoursData: MEMBERS_ONLY,
    eraseParcoursData: MEMBERS_ONLY,
    orientationStatistics: COORDINATOR,
    exportOrientationStatistics: COORDINATOR,
    orientationsToAnswer: MEMBERS_ONLY,
    sentOrientationsWaiting: MEMBERS_ONLY,
    unansweredOrientationsByStructure: COORDINATOR,
    viewOrientationByLink: EVERYONE,
    answerOrientationByLink: EVERYONE,
    closeOrientationByLink: EVERYONE,
  },
  services: [formService, inboxService, mailedLinksService, parcoursService, statisticsService, homeService],
  samples: async (db: Db) => {
    const sample = await sendSampleOrientation(db);
    const received = await sendSampleOrientationToDemoStructure(db);
    return {
      ':orientation': sample.orientationId,
      ':parcours': sample.parcoursId,
      ':received': received.orientationId,
    };
  },
};

async function membershipOf(db: Db, email: string) {
  return db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .innerJoin('structure', 'structure.id', 'membership.structure_id')
    .select([
      'person.id as personId',
      'person.display_name as name',
      'membership.structure_id as structureId',
      'structure.nom as structureName',
    ])
    .where('person.email', '=', email)
    .executeTakeFirstOrThrow();
}

/**
 * Sends an orientation from the demo structure (as mediation.demo@example.org) to a place of a structure
 * that is neither the demo structure nor the other one. Used by the matrix and the referrals tests.
 */
export async function sendSampleOrientation(
  db: Db,
): Promise<{ orientationId: string; parcoursId: string; placeId: string }> {
  const staff = await membershipOf(db, 'mediation.demo@example.org');
  const other = await membershipOf(db, 'autre-structure.demo@example.org');
  return sendOrientation(
    db,
    'mediation.demo@example.org',
    (s) => s !== staff.structureId && s !== other.structureId,
  );
}

/**
 * Sends an orientation from the other structure (as autre-structure.demo@example.org) to a place of the
 * demo structure: one that structure_admin and staff receive, and may answer and close.
 */
export async function sendSampleOrientationToDemoStructure(
  db: Db,
): Promise<{ orientationId: string; parcoursId: string; placeId: string }> {
  const staff = await membershipOf(db, 'mediation.demo@example.org');
  return sendOrientation(db, 'autre-structure.demo@example.org', (s) => s === staff.structureId);
}

async function sendOrientation(
  db: Db,
  fromEmail: string,
  toStructure: (structureId: string | null | undefined) => boolean,
): Promise<{ orientationId: string; parcoursId: string; placeId: string }> {
  const from = await membershipOf(db, fromEmail);
  const structures = await db.selectFrom('place').select(['id', 'structure_id']).execute();
  const structureOf = new Map(structures.map((r) => [r.id, r.structure_id]));
  const places = (await listAllPlaces(db)).filter((p) => toStructure(structureOf.get(p.id)));
  for (const place of places) {
    const need = NEEDS.find((n) => placeOffersNeed(place, n));
    if (!need) continue;
    const result = await formService.createOrientation(
      db,
      {
        kind: 'person',
        personId: from.personId,
        networkRole: null,
        memberships: [{ structureId: from.structureId, role: 'staff' }],
      },
      {
        form: {
          placeId: place.id,
          senderStructureId: from.structureId,
          needs: [need.slug],
          message: 'Madame souhaite être aidée pour sa démarche.',
          urgency: 'normal',
          contactPreference: 'phone',
          personName: 'Martine Exemple',
          personPhone: '0612345678',
          personEmail: null,
          senderContact: '02 38 00 00 00',
          consent: true,
          attachDiagnostic: false,
          diagnosticToken: null,
          previousId: null,
        },
        sender: {
          name: from.name,
          email: fromEmail,
          structures: [{ id: from.structureId, name: from.structureName }],
        },
      },
      { config: loadConfig({ DATA_DIR: '/nonexistent-test-dir' }) },
    );
    if (!result.ok) throw new Error(`sample orientation refused: ${JSON.stringify(result.errors)}`);
    return {
      orientationId: result.orientation.id,
      parcoursId: result.orientation.parcoursId,
      placeId: place.id,
    };
  }
  throw new Error('no demo place of the structure asked for offers a need');
}
