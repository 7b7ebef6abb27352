import type { Db } from '../../src/db/database.ts';
import * as bookletsService from '../../src/vouchers/booklets.service.ts';
import * as closingService from '../../src/vouchers/closing.service.ts';
import * as ledgerService from '../../src/vouchers/ledger.service.ts';
import * as redemptionsService from '../../src/vouchers/redemptions.service.ts';
import * as statementsService from '../../src/vouchers/statements.service.ts';
import * as vouchersService from '../../src/vouchers/vouchers.service.ts';
import { confirmProgramme, createProgramme, emitBooklets } from '../../src/vouchers/vouchers.service.ts';
import {
  ANY_MEMBER,
  COORDINATOR,
  type DomainAccess,
  MEMBERS_ONLY,
  NETWORK_PEOPLE,
  NOBODY,
  type Role,
  STRUCTURE_MEMBERS,
} from './roles.ts';

/** Coordinators, and the people of the programme's funder (the demo funder account). */
const FUNDER_MEMBERS: readonly Role[] = ['coordinator', 'funder'];
/** The funder's own people alone: a coordinator never confirms for them (rule `funder_member_only`). */
const FUNDER_ONLY: readonly Role[] = ['funder'];
/** A place's statement: its structure's members, the programme's funder's people and the coordinators. */
const PLACE_STATEMENT_READERS: readonly Role[] = ['coordinator', 'funder', 'structure_admin', 'staff'];

/**
 * The pass numérique (decision 0037): coordinators run programmes; a funder's people see their
 * programmes and confirm them; a prescriber's members hold their booklets; a qualified place's staff
 * redeem. The routes of the prescribers' and places' pages are listed where they are added.
 */
export const access: DomainAccess = {
  routes: {
    // Everyone signed in: a member of a structure finds her booklets and the redemption page there.
    'GET /pass': { who: NETWORK_PEOPLE },
    'POST /pass': { who: COORDINATOR },
    'GET /pass/programmes/:id': { who: FUNDER_MEMBERS, sample: '/pass/programmes/:programme' },
    'POST /pass/programmes/:id/confirmer': {
      who: FUNDER_ONLY,
      sample: '/pass/programmes/:programme/confirmer',
    },
    'POST /pass/programmes/:id/lieux': { who: COORDINATOR, sample: '/pass/programmes/:programme/lieux' },
    'POST /pass/programmes/:id/prescripteurs': {
      who: COORDINATOR,
      sample: '/pass/programmes/:programme/prescripteurs',
    },
    'POST /pass/programmes/:id/emissions': {
      who: COORDINATOR,
      sample: '/pass/programmes/:programme/emissions',
    },
    'POST /pass/programmes/:id/paiements': {
      who: COORDINATOR,
      sample: '/pass/programmes/:programme/paiements',
    },
    'POST /pass/programmes/:id/attributions': {
      who: COORDINATOR,
      sample: '/pass/programmes/:programme/attributions',
    },
    // Monthly statements (decision 0045): a place's is seen by its structure's members, the funder's
    // people and the coordinators; the funder's people and the coordinators record payments.
    'GET /pass/releves': { who: ANY_MEMBER },
    'GET /pass/programmes/:id/releves': {
      who: FUNDER_MEMBERS,
      sample: '/pass/programmes/:programme/releves',
    },
    'GET /pass/releves/:id': { who: PLACE_STATEMENT_READERS, sample: '/pass/releves/:releve' },
    'GET /pass/releves/:id/csv': { who: PLACE_STATEMENT_READERS, sample: '/pass/releves/:releve/csv' },
    'POST /pass/releves/:id/paiement': { who: FUNDER_MEMBERS, sample: '/pass/releves/:releve/paiement' },
    // The end of validity (decision 0050): the closing page (credit note, reconciliation) and its CSV.
    'GET /pass/programmes/:id/cloture': {
      who: FUNDER_MEMBERS,
      sample: '/pass/programmes/:programme/cloture',
    },
    'GET /pass/programmes/:id/cloture/csv': {
      who: FUNDER_MEMBERS,
      sample: '/pass/programmes/:programme/cloture/csv',
    },
    'GET /pass/programmes/:id/emissions/:emission/imprimer': {
      who: COORDINATOR,
      sample: '/pass/programmes/:programme/emissions/:emission/imprimer',
    },
  },
  functions: {
    programmeFormChoices: COORDINATOR,
    createProgramme: COORDINATOR,
    addQualifiedPlace: COORDINATOR,
    addPrescriber: COORDINATOR,
    emitBooklets: COORDINATOR,
    recordPayment: COORDINATOR,
    allocateBooklets: COORDINATOR,
    listProgrammes: NETWORK_PEOPLE,
    viewProgramme: FUNDER_MEMBERS,
    confirmProgramme: FUNDER_ONLY,
    listMyBooklets: ANY_MEMBER,
    getBooklet: STRUCTURE_MEMBERS,
    printBooklets: STRUCTURE_MEMBERS,
    cancelBooklet: STRUCTURE_MEMBERS,
    distributeBooklet: MEMBERS_ONLY,
    distributionLetter: STRUCTURE_MEMBERS,
    myRedemptionPlaces: ANY_MEMBER,
    describeVoucher: MEMBERS_ONLY,
    redeemVoucher: MEMBERS_ONLY,
    listRedemptions: ANY_MEMBER,
    cancelRedemption: STRUCTURE_MEMBERS,
    sealLedger: NOBODY,
    verifyLedger: NOBODY,
    issueStatements: NOBODY,
    listProgrammeStatements: FUNDER_MEMBERS,
    recordStatementPayment: FUNDER_MEMBERS,
    listMyStatements: ANY_MEMBER,
    viewStatement: STRUCTURE_MEMBERS,
    runEndOfValidity: NOBODY,
    viewProgrammeClosing: FUNDER_MEMBERS,
    programmeClosingBlock: FUNDER_MEMBERS,
    // `demo remove` deletes the demonstration's programme first (the command line only).
    removeDemoVouchers: NOBODY,
  },
  services: [
    vouchersService,
    bookletsService,
    redemptionsService,
    ledgerService,
    statementsService,
    closingService,
  ],
  // A confirmed programme of the demo funder with one emission of one booklet, set up as the command
  // line would (the system actor), so that the pages have something to show.
  samples: async (db: Db) => {
    const system = { kind: 'system' } as const;
    const funder = await db
      .selectFrom('funder')
      .select('id')
      .where('is_demo', '=', true)
      .orderBy('name')
      .executeTakeFirstOrThrow();
    const created = await createProgramme(
      db,
      system,
      {
        funderId: funder.id,
        name: 'Pass numérique (matrice)',
        faceValue: '10',
        bookletSize: '5',
        validFrom: '01/01/2026',
        validUntil: '31/12/2099',
        graceDays: '31',
        perimeter: 'epci:244500468',
        budget: '1000',
        publics: [],
      },
      { isDemo: true },
    );
    if (!created.ok) throw new Error(`the matrix programme: ${JSON.stringify(created.errors)}`);
    const programmeId = created.programmeId;
    const confirmed = await confirmProgramme(db, system, { programmeId, confirmed: true });
    if (!confirmed.ok) throw new Error('the matrix programme could not be confirmed');
    const emitted = await emitBooklets(db, system, { programmeId, booklets: '1' });
    if (!emitted.ok) throw new Error('the matrix emission could not be written');
    // Last month's statement of the demo structure's place (the demonstration's programme, decision 0045).
    const statement = await db
      .selectFrom('voucher_statement')
      .innerJoin('membership', 'membership.structure_id', 'voucher_statement.structure_id')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('voucher_statement.id')
      .where('person.email', '=', 'mediation.demo@example.org')
      .where('voucher_statement.scope', '=', 'place')
      .executeTakeFirstOrThrow();
    return { ':programme': programmeId, ':emission': String(emitted.emissionId), ':releve': statement.id };
  },
};
