import * as activitiesService from '../../src/activities/activities.service.ts';
import { recordActivity } from '../../src/activities/activities.service.ts';
import * as activityPagesService from '../../src/activities/activity-pages.service.ts';
import * as beneficiariesService from '../../src/activities/beneficiaries.service.ts';
import { createBeneficiary } from '../../src/activities/beneficiaries.service.ts';
import * as coopExchangeService from '../../src/activities/coop-exchange.service.ts';
import type { Db } from '../../src/db/database.ts';
import { COORDINATOR, type DomainAccess, MEMBERS_ONLY, type Role } from './roles.ts';

/** Members of any structure, for pages about their own structure (a coordinator or a funder has none). */
const ANY_STRUCTURE_MEMBER: readonly Role[] = ['structure_admin', 'staff', 'other_structure'];

/**
 * Authorisation expectations of activity records (decision 0038): a structure's records are its staff's
 * alone — not the coordinators', not a funder's, not another structure's; coordination activities are
 * the coordinators'. The exchange with La Coop (decision 0039) is the structure's staff's too.
 * Followed persons ("personnes suivies") are their structure's staff's alone: the list and the new form are each member's own structure's (another structure's staff see their own),
 * one person's page and actions only the demo structure's staff (sample: a person of the demo structure).
 * The records' list and form open on the person's own structure, so the staff of another structure
 * reach them too (their own records); one record is its structure's staff's only.
 */
export const access: DomainAccess = {
  routes: {
    'GET /activites': { who: ANY_STRUCTURE_MEMBER },
    'GET /activites/nouveau': { who: ANY_STRUCTURE_MEMBER },
    // An empty form: refused with French messages (422), which is being let in.
    'POST /activites/nouveau': { who: ANY_STRUCTURE_MEMBER },
    'GET /activites/:id{[0-9a-fA-F-]{36}}': { who: MEMBERS_ONLY, sample: '/activites/:activity' },
    'GET /activites/coordination': { who: COORDINATOR },
    'GET /activites/coordination/nouvelle/:kind': {
      who: COORDINATOR,
      sample: '/activites/coordination/nouvelle/animation',
    },
    'POST /activites/coordination/nouvelle/:kind': {
      who: COORDINATOR,
      sample: '/activites/coordination/nouvelle/evenement',
    },
    'GET /activites/personnes': { who: ANY_STRUCTURE_MEMBER },
    'GET /activites/personnes/nouvelle': { who: ANY_STRUCTURE_MEMBER },
    'POST /activites/personnes/nouvelle': { who: ANY_STRUCTURE_MEMBER },
    'GET /activites/personnes/:id': { who: MEMBERS_ONLY, sample: '/activites/personnes/:beneficiary' },
    'POST /activites/personnes/:id/activites': {
      who: MEMBERS_ONLY,
      sample: '/activites/personnes/:beneficiary/activites',
    },
    'POST /activites/personnes/:id/activites/:activity/retirer': {
      who: MEMBERS_ONLY,
      sample: '/activites/personnes/:beneficiary/activites/00000000-0000-4000-8000-000000000000/retirer',
    },
    'POST /activites/personnes/:id/effacer': {
      who: MEMBERS_ONLY,
      sample: '/activites/personnes/:beneficiary/effacer',
    },
    // In and out of La Coop (decision 0039): the demo structure's staff only.
    'GET /activites/import': { who: MEMBERS_ONLY, sample: '/activites/import?structure=:structure' },
    'POST /activites/import': { who: MEMBERS_ONLY, sample: '/activites/import?structure=:structure' },
    'GET /activites/export': {
      who: MEMBERS_ONLY,
      sample: '/activites/export?structure=:structure&format=csv',
    },
  },
  functions: {
    recordActivity: MEMBERS_ONLY,
    listActivities: MEMBERS_ONLY,
    getActivity: MEMBERS_ONLY,
    lastActivityDefaults: MEMBERS_ONLY,
    describeCoopExchange: MEMBERS_ONLY,
    importCoopExport: MEMBERS_ONLY,
    exportCoop: MEMBERS_ONLY,
    activityForm: MEMBERS_ONLY,
    recordCoordinationActivity: COORDINATOR,
    listCoordinationActivities: COORDINATOR,
    createBeneficiary: MEMBERS_ONLY,
    listBeneficiaries: MEMBERS_ONLY,
    getBeneficiary: MEMBERS_ONLY,
    linkBeneficiaryActivity: MEMBERS_ONLY,
    unlinkBeneficiaryActivity: MEMBERS_ONLY,
    deleteBeneficiary: MEMBERS_ONLY,
  },
  services: [activitiesService, beneficiariesService, coopExchangeService, activityPagesService],
  /**
   * A followed person of the demo structure (the demonstration data has none: one is named here), and
   * one accompaniment of it, written as the command line would.
   */
  samples: async (db: Db) => {
    const structure = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'mediation.demo@example.org')
      .executeTakeFirstOrThrow();
    const r = await createBeneficiary(
      db,
      { kind: 'system' },
      { structureId: structure.structure_id, values: { firstName: 'Exemple', consent: 'oui' } },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const recorded = await recordActivity(
      db,
      { kind: 'system' },
      {
        structureId: structure.structure_id,
        values: {
          kind: 'individuel',
          date: '2026-01-15',
          duration: '30',
          placeKind: 'a_distance',
          themes: ['email'],
        },
      },
    );
    if (!recorded.ok) throw new Error(`the matrix activity: ${JSON.stringify(recorded.errors)}`);
    return { ':beneficiary': r.beneficiaryId, ':activity': recorded.activityId };
  },
};
