import type { Db } from '../../src/db/database.ts';
import * as letterService from '../../src/vouchers/letter.service.ts';
import { redeemVoucher } from '../../src/vouchers/redemptions.service.ts';
import { actorOf, handOver, setUpPassProgramme } from '../support/pass-fixtures.ts';
import { ANY_MEMBER, type DomainAccess, MEMBERS_ONLY, STRUCTURE_MEMBERS } from './roles.ts';

/**
 * The pass numérique's pages for prescribers and qualified places. A prescriber's booklets are seen,
 * printed and cancelled by its members and the coordinators; only its members hand one to a person.
 * The redemption page is for anyone of a structure (each sees only their own structure's qualified
 * places; the service refuses any other place); the list shows each their own places' redemptions, the
 * coordinators all; a redemption is cancelled by its place's members or a coordinator. The policy
 * functions are listed with the programmes' pages (vouchers.ts).
 */
export const access: DomainAccess = {
  routes: {
    'GET /pass/carnets': { who: ANY_MEMBER },
    'GET /pass/carnets/:id': { who: STRUCTURE_MEMBERS, sample: '/pass/carnets/:carnet' },
    'POST /pass/carnets/:id/remise': { who: MEMBERS_ONLY, sample: '/pass/carnets/:carnet/remise' },
    'POST /pass/carnets/:id/annuler': { who: STRUCTURE_MEMBERS, sample: '/pass/carnets/:carnet/annuler' },
    'GET /pass/carnets/:id/imprimer': { who: STRUCTURE_MEMBERS, sample: '/pass/carnets/:carnet/imprimer' },
    'GET /pass/carnets/:id/lettre': { who: STRUCTURE_MEMBERS, sample: '/pass/carnets/:carnet/lettre' },
    'GET /pass/encaisser': { who: ANY_MEMBER },
    'POST /pass/encaisser': { who: ANY_MEMBER },
    'GET /pass/encaissements': { who: ANY_MEMBER },
    'POST /pass/encaissements/:id/annuler': {
      who: STRUCTURE_MEMBERS,
      sample: '/pass/encaissements/:encaissement/annuler',
    },
  },
  functions: {},
  services: [letterService],
  // A programme whose prescriber and qualified place are the demo structure's: a booklet handed to a
  // person, one of its vouchers redeemed at the place.
  samples: async (db: Db) => {
    const pass = await setUpPassProgramme(db, { name: 'Pass numérique de la matrice', booklets: 2 });
    const booklet = pass.booklets[0];
    if (!booklet) throw new Error('the matrix programme has no booklet');
    const [code] = await handOver(db, booklet.id);
    const staff = await actorOf(db, 'mediation.demo@example.org');
    const redeemed = await redeemVoucher(db, staff, {
      placeId: pass.placeId,
      code: code as string,
      needs: ['caf'],
      servedOn: '',
      idempotencyKey: 'matrice-encaissement-1',
    });
    if (!redeemed.ok) throw new Error(`the matrix redemption: ${JSON.stringify(redeemed.errors)}`);
    return { ':carnet': booklet.id, ':encaissement': String(redeemed.redemption.id) };
  },
};
