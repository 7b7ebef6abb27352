import * as activitiesService from '../../src/activities/activities.service.ts';
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
 */
export const access: DomainAccess = {
  routes: {
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
    recordCoordinationActivity: COORDINATOR,
    listCoordinationActivities: COORDINATOR,
    createBeneficiary: MEMBERS_ONLY,
    listBeneficiaries: MEMBERS_ONLY,
    getBeneficiary: MEMBERS_ONLY,
    linkBeneficiaryActivity: MEMBERS_ONLY,
    unlinkBeneficiaryActivity: MEMBERS_ONLY,
    deleteBeneficiary: MEMBERS_ONLY,
  },
  services: [activitiesService, beneficiariesService, coopExchangeService],
  /** A followed person of the demo structure (the demonstration data has none: one is named here). */
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
    return { ':beneficiary': r.beneficiaryId };
  },
};
