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
import { runEndOfValidity } from '../vouchers/closing.service.ts';
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
      // To the end of the year, or of the next one in its last weeks: the booklets handed out below must
      // fall before distribution stops, 15 days before the end (decision 0050).
      validUntil: `31/12/${addDays(today, 45) > `${year}-12-31` ? year + 1 : year}`,
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
  // Two more demonstration programmes of the same funder (decision 0050): one ending in 20 days (its page
  // shows the end-of-validity block), one ended with its vouchers left expired and its credit note.
  await seedClosingProgrammes(db, coordinator, funder, input, now);
  await sealLedger(db, coordinator);
  // A last read through the service, so that a broken seed fails here rather than on a page.
  await viewProgramme(db, coordinator, { programmeId });
  return programmeId;
}

async function seedClosingProgrammes(
  db: Db,
  coordinator: Actor,
  funder: Actor,
  input: { funderId: string; first: DemoMember; second: DemoMember },
  now: Date,
): Promise<void> {
  const at = (days: number, hours = 0) => new Date(now.getTime() - days * DAY + hours * HOUR);
  const today = localToday(now);
  const prescriber = member(input.first);
  const placeA = (await listStructuresPlaces(db, [input.first.structureId]))[0];
  const placeB = (await listStructuresPlaces(db, [input.second.structureId]))[0];
  if (!placeA || !placeB) throw new Error('demo pass numérique: demo structures without places');
  const programme = async (
    name: string,
    validFrom: number,
    validUntil: number,
    stages: { redeemedAt: number[]; distributedAt: number },
  ) => {
    const created = await createProgramme(
      db,
      coordinator,
      {
        funderId: input.funderId,
        name,
        faceValue: '10',
        bookletSize: '5',
        validFrom: frenchDate(addDays(today, validFrom)),
        validUntil: frenchDate(addDays(today, validUntil)),
        graceDays: '31',
        perimeter: 'epci:244500468',
        budget: '500',
        publics: [],
      },
      { isDemo: true, now: at(-validFrom + 10) },
    );
    ok(created, 'closing programme');
    const programmeId = created.programmeId;
    const start = -validFrom;
    ok(
      await confirmProgramme(db, funder, { programmeId, confirmed: true }, { now: at(start + 5) }),
      'closing confirmation',
    );
    for (const place of [placeA, placeB])
      ok(await addQualifiedPlace(db, coordinator, { programmeId, placeId: place.id }), 'closing place');
    ok(
      await addPrescriber(db, coordinator, { programmeId, structureId: input.first.structureId }),
      'closing prescriber',
    );
    const emitted = await emitBooklets(db, coordinator, { programmeId, booklets: '3' }, { now: at(start) });
    ok(emitted, 'closing emission');
    ok(
      await recordPayment(
        db,
        coordinator,
        {
          programmeId,
          emissionId: String(emitted.emissionId),
          amount: '150',
          reference: `DEMO-MANDAT-${String(validUntil).replace('-', 'M')}`,
        },
        { now: at(start - 1) },
      ),
      'closing payment',
    );
    const allocated = await allocateBooklets(
      db,
      coordinator,
      { programmeId, structureId: input.first.structureId, count: '3' },
      { now: at(start - 2) },
    );
    ok(allocated, 'closing allocation');
    const [one, two] = allocated.booklets.map((b) => b.id) as [string, string];
    for (const bookletId of [one, two])
      ok(
        await distributeBooklet(
          db,
          prescriber,
          { bookletId, declared: true, ageBand: 'non_communique', commune: '' },
          { now: at(stages.distributedAt), resolveCommune: () => null },
        ),
        'closing hand-over',
      );
    const codes = (await getBooklet(db, coordinator, { bookletId: one })).vouchers.map((v) => v.code);
    for (const [i, days] of stages.redeemedAt.entries()) {
      const place: { id: string } = i % 2 === 0 ? placeA : placeB;
      const who = member(i % 2 === 0 ? input.first : input.second);
      ok(
        await redeemVoucher(
          db,
          who,
          {
            placeId: place.id,
            code: codes[i] as string,
            needs: ['caf'],
            servedOn: '',
            idempotencyKey: `demo-pass-closing-${codes[i]}`,
          },
          { now: at(days) },
        ),
        'closing redemption',
      );
    }
    return programmeId;
  };
  await programme('Pass numérique — fin dans 20 jours (démonstration)', -200, 20, {
    redeemedAt: [50, 10],
    distributedAt: 100,
  });
  // Ended 60 days ago: the grace period (31 days) is over, its statements were issued month by month.
  const ended = await programme('Pass numérique — programme clos (démonstration)', -400, -60, {
    redeemedAt: [200, 150, 100],
    distributedAt: 300,
  });
  const months = [...new Set([200, 150, 100].map((d) => monthOf(at(d))))].sort();
  for (const month of months) await issueStatements(db, coordinator, { month }, { now: at(29) });
  const paidOne = (await listProgrammeStatements(db, coordinator, { programmeId: ended })).statements.find(
    (s) => s.scope === 'place' && s.owedCents > 0,
  );
  if (paidOne)
    ok(
      await recordStatementPayment(
        db,
        funder,
        {
          statementId: paidOne.id,
          amount: String(paidOne.owedCents / 100),
          paidOn: frenchDate(localToday(at(28))),
          reference: 'DEMO-VIR-CLOS-001',
        },
        { now: at(28) },
      ),
      'closing statement payment',
    );
  // The day after the grace period: the vouchers left expire and the credit note is drawn up.
  await runEndOfValidity(db, coordinator, { now: at(27) });
}
