import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { addDays, frenchDate, localToday } from '../places/place-dates.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import {
  allocateBooklets,
  cancelBooklet,
  distributeBooklet,
  getBooklet,
} from '../vouchers/booklets.service.ts';
import { sealLedger } from '../vouchers/ledger.service.ts';
import { cancelRedemption, redeemVoucher } from '../vouchers/redemptions.service.ts';
import {
  issueStatements,
  listProgrammeStatements,
  recordStatementPayment,
} from '../vouchers/statements.service.ts';
import { monthOf, previousMonth } from '../vouchers/statements.ts';
import {
  addPrescriber,
  addQualifiedPlace,
  confirmProgramme,
  createProgramme,
  emitBooklets,
  recordPayment,
  viewProgramme,
} from '../vouchers/vouchers.service.ts';
import type { DemoMember } from './demo-orientations.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const member = (m: DemoMember): Actor => ({
  kind: 'person',
  personId: m.personId,
  networkRole: null,
  memberships: [{ structureId: m.structureId, role: 'staff' }],
});

function ok<T extends { ok: boolean }>(result: T, what: string): asserts result is T & { ok: true } {
  if (!result.ok) throw new Error(`demo pass numérique: ${what} refused: ${JSON.stringify(result)}`);
}

/**
 * Seeds the demonstration's pass numérique (called only by the demo seeding, on the embedded database):
 * a programme of the demo funder flagged as a demonstration (so that `demo remove` may delete its
 * ledger, and nothing else), confirmed by the funder's person, redeemable at places of demo structures
 * 0 and 1, with structure 0 as prescriber. Booklets stand at every stage: two emissions (the first paid,
 * the second not, so in stock), two booklets handed to people, one allocated only, one lost and
 * cancelled; vouchers redeemed at places of both structures, one redemption undone by its place. Every
 * fact goes through the services, dated in the last days before `opts.now`, then the ledger is sealed.
 * Returns the programme's id.
 */
export async function seedDemoVouchers(
  db: Db,
  actor: Actor,
  input: { funderId: string; funderPersonId: string | null; first: DemoMember; second: DemoMember },
  opts: { now?: Date } = {},
): Promise<string> {
  authorize(actor, 'seedDemoVouchers');
  const now = opts.now ?? new Date();
  const at = (days: number, hours = 0) => new Date(now.getTime() - days * DAY + hours * HOUR);
  const today = localToday(now);
  const year = Number(today.slice(0, 4));
  const coordinator: Actor = { kind: 'system' };
  const funder: Actor = input.funderPersonId
    ? {
        kind: 'person',
        personId: input.funderPersonId,
        networkRole: 'funder',
        memberships: [],
        funderIds: [input.funderId],
      }
    : coordinator;
  const prescriber = member(input.first);

  const created = await createProgramme(
    db,
    coordinator,
    {
      funderId: input.funderId,
      name: `Pass numérique ${year} (démonstration)`,
      faceValue: '10',
      bookletSize: '5',
      validFrom: frenchDate(addDays(today, -60)),
      validUntil: `31/12/${year}`,
      graceDays: '31',
      perimeter: 'epci:244500468',
      budget: '1000',
      publics: [],
    },
    { isDemo: true, now: at(50) },
  );
  ok(created, 'programme');
  const programmeId = created.programmeId;
  ok(await confirmProgramme(db, funder, { programmeId, confirmed: true }, { now: at(49) }), 'confirmation');

  const first = (await listStructuresPlaces(db, [input.first.structureId])).slice(0, 2);
  const second = (await listStructuresPlaces(db, [input.second.structureId])).slice(0, 1);
  for (const place of [...first, ...second])
    ok(await addQualifiedPlace(db, coordinator, { programmeId, placeId: place.id }), 'qualified place');
  // And one more place of the directory, whose structure has nobody in Maillage yet: a letter lists it.
  const qualified = new Set([...first, ...second].map((p) => p.id));
  const view = await viewProgramme(db, coordinator, { programmeId });
  for (const choice of view.choices.places.filter((p) => !qualified.has(p.id)).slice(0, 5))
    if ((await addQualifiedPlace(db, coordinator, { programmeId, placeId: choice.id })).ok) break;
  ok(
    await addPrescriber(db, coordinator, { programmeId, structureId: input.first.structureId }),
    'prescriber',
  );

  const paid = await emitBooklets(db, coordinator, { programmeId, booklets: '4' }, { now: at(48) });
  ok(paid, 'emission');
  ok(
    await recordPayment(
      db,
      coordinator,
      { programmeId, emissionId: String(paid.emissionId), amount: '200', reference: 'DEMO-MANDAT-001' },
      { now: at(47) },
    ),
    'payment',
  );
  ok(await emitBooklets(db, coordinator, { programmeId, booklets: '2' }, { now: at(14) }), 'second emission');

  const allocated = await allocateBooklets(
    db,
    coordinator,
    { programmeId, structureId: input.first.structureId, count: '4' },
    { now: at(46) },
  );
  ok(allocated, 'allocation');
  const [one, two, , lost] = allocated.booklets.map((b) => b.id) as [string, string, string, string];
  for (const [bookletId, ageBand, days] of [
    [one, '60_74', 45],
    [two, '25_59', 6],
  ] as const)
    ok(
      await distributeBooklet(
        db,
        prescriber,
        { bookletId, declared: true, ageBand, commune: '' },
        { now: at(days), resolveCommune: () => null },
      ),
      'hand-over',
    );
  ok(
    await cancelBooklet(
      db,
      prescriber,
      { bookletId: lost, reason: 'Carnet perdu (exemple de démonstration)' },
      { now: at(8) },
    ),
    'cancellation',
  );

  const codes = async (bookletId: string) =>
    (await getBooklet(db, coordinator, { bookletId })).vouchers.map((v) => v.code);
  const [c1, c2, c3, c4, c5] = (await codes(one)) as [string, string, string, string, string];
  const [d1] = (await codes(two)) as [string];
  const placeA = first[0];
  const placeA2 = first[1] ?? first[0];
  const placeB = second[0];
  if (!placeA || !placeA2 || !placeB) throw new Error('demo pass numérique: demo structures without places');
  // Two redeemed last month (in Paris time), for last month's statements.
  const lastMonthEnd = new Date(`${monthOf(now)}-01T10:00:00Z`);
  const redemptions: [Actor, string, string, string[], Date][] = [
    [member(input.first), placeA.id, c4, ['caf'], new Date(lastMonthEnd.getTime() - 8 * DAY)],
    [member(input.second), placeB.id, c5, ['ameli'], new Date(lastMonthEnd.getTime() - 3 * DAY)],
    [member(input.first), placeA.id, c1, ['caf'], at(5)],
    [member(input.first), placeA2.id, c2, ['ameli'], at(3)],
    [member(input.second), placeB.id, c3, ['impots', 'caf'], at(2)],
    [member(input.second), placeB.id, d1, ['ants'], at(1)],
  ];
  const ids: number[] = [];
  for (const [who, placeId, code, needs, when] of redemptions) {
    const r = await redeemVoucher(
      db,
      who,
      { placeId, code, needs, servedOn: '', idempotencyKey: `demo-pass-${code}` },
      { now: when },
    );
    ok(r, 'redemption');
    ids.push(r.redemption.id);
  }
  // The second one was a mistake its place undid within the hour.
  ok(
    await cancelRedemption(
      db,
      member(input.first),
      { redemptionId: String(ids[3]), reason: 'Encaissé par erreur (exemple de démonstration)' },
      { now: at(3, 1) },
    ),
    'redemption cancellation',
  );
  // Last month's statements, issued as on the 1st; the funder paid the first place's.
  await issueStatements(db, coordinator, { month: previousMonth(monthOf(now)) }, { now });
  const statements = await listProgrammeStatements(db, coordinator, { programmeId });
  const toPay = statements.statements.find(
    (s) => s.scope === 'place' && s.structureId === input.first.structureId && s.owedCents > 0,
  );
  if (toPay)
    ok(
      await recordStatementPayment(
        db,
        funder,
        {
          statementId: toPay.id,
          amount: String(toPay.owedCents / 100),
          paidOn: frenchDate(today),
          reference: 'DEMO-VIR-001',
        },
        { now },
      ),
      'statement payment',
    );
  await sealLedger(db, coordinator);
  // A last read through the service, so that a broken seed fails here rather than on a page.
  await viewProgramme(db, coordinator, { programmeId });
  return programmeId;
}
