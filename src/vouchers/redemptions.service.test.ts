import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import {
  bookletsAt,
  DAY,
  HOUR,
  ledgerCounts,
  NOW,
  type PassNetwork,
  passNetwork,
  readyProgramme,
} from '../../test/support/vouchers-fixtures.ts';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { cancelBooklet } from './booklets.service.ts';
import {
  cancelRedemption,
  describeVoucher,
  type GuessLimits,
  homeBlocks,
  listRedemptions,
  myRedemptionPlaces,
  redeemVoucher,
} from './redemptions.service.ts';
import { ALPHABET, checkCharacter, formatVoucherCode } from './voucher-code.ts';
import { viewProgramme } from './vouchers.service.ts';
import { MESSAGES } from './vouchers.ts';

after(closeTestTemplate);

const forbidden = { name: 'DomainError', code: 'forbidden' };
let keys = 0;
const key = () => `test-key-${String(++keys).padStart(6, '0')}`;

const redeem = (
  db: Db,
  actor: Actor,
  placeId: string,
  code: string,
  opts: {
    now?: Date;
    limits?: GuessLimits;
    servedOn?: string;
    needs?: string[];
    idempotencyKey?: string;
  } = {},
) =>
  redeemVoucher(
    db,
    actor,
    {
      placeId,
      code,
      needs: opts.needs ?? ['caf'],
      servedOn: opts.servedOn ?? '',
      idempotencyKey: opts.idempotencyKey ?? key(),
    },
    { now: opts.now ?? NOW, ...(opts.limits ? { limits: opts.limits } : {}) },
  );

/** A code of the right form (its check character right) that no voucher has. */
function unknownCode(n: number): string {
  for (let i = n * 100; ; i++) {
    const data = `ZZZZ${String(i).padStart(9, '0')}`;
    if (ALPHABET.includes(checkCharacter(data))) return data + checkCharacter(data);
  }
}

/** The same code with its last data character changed: the check character catches it. */
function typo(code: string): string {
  const c = code[12] === '0' ? '1' : '0';
  return code.slice(0, 12) + c + code.slice(13);
}

async function setUp(db: Db) {
  const net = await passNetwork(db);
  const id = await readyProgramme(db, net);
  const { codes } = await bookletsAt(db, net, id, { booklets: 2 });
  return { net, id, codes: codes.flat() };
}

describe('redemption', () => {
  it('redeems a paid voucher handed to a person, once, at a qualified place of the staff’s structure', async () => {
    const t = await createTestDb();
    try {
      const { net, id, codes } = await setUp(t.db);
      const code = codes[0] as string;
      const described = await describeVoucher(
        t.db,
        net.staffA,
        { placeId: net.places.a1, code: formatVoucherCode(code) },
        { now: NOW },
      );
      assert.ok(described.ok);
      assert.equal(described.voucher.state, 'distributed');
      assert.equal(described.voucher.faceValueCents, 1000);
      const r = await redeem(t.db, net.staffA, net.places.a1, code.toLowerCase(), {
        needs: ['caf', 'ameli'],
      });
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.redemption.placeName, 'Médiathèque Nord');
      assert.deepEqual(r.redemption.needs, ['caf', 'ameli']);
      assert.equal(r.redemption.servedOn, localToday(NOW));
      assert.deepEqual(
        (await myRedemptionPlaces(t.db, net.staffA)).map((p) => p.place_id).sort(),
        [net.places.a1, net.places.a2].sort(),
      );
      assert.equal((await listRedemptions(t.db, net.staffA, {}, { now: NOW })).length, 1);
      assert.equal((await listRedemptions(t.db, net.staffB, {}, { now: NOW })).length, 0);
      assert.equal((await listRedemptions(t.db, net.coordinator, {}, { now: NOW })).length, 1);
      assert.equal(
        (await viewProgramme(t.db, net.coordinator, { programmeId: id })).totals.redeemedCents,
        1000,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a voucher already redeemed, naming where and when', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const code = codes[0] as string;
      assert.ok((await redeem(t.db, net.staffA, net.places.a1, code)).ok);
      const before = await ledgerCounts(t.db);
      const later = new Date(NOW.getTime() + 2 * DAY);
      const again = await redeem(t.db, net.staffB, net.places.b1, code, { now: later });
      assert.ok(!again.ok);
      assert.equal(again.refusal, 'already_redeemed');
      assert.equal(
        again.errors.code,
        MESSAGES.alreadyRedeemed(frenchDate(localToday(NOW)), 'Médiathèque Nord'),
      );
      assert.deepEqual(await ledgerCounts(t.db), before);
    } finally {
      await t.close();
    }
  });

  it('gives one success when two places race for one voucher, and the other "already redeemed"', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const code = codes[1] as string;
      const results = await Promise.all([
        redeem(t.db, net.staffA, net.places.a1, code),
        redeem(t.db, net.staffB, net.places.b1, code),
        redeem(t.db, net.staffA, net.places.a2, code),
      ]);
      assert.equal(results.filter((r) => r.ok).length, 1);
      for (const r of results.filter((x) => !x.ok)) assert.equal(!r.ok && r.refusal, 'already_redeemed');
      const rows = await t.db
        .selectFrom('voucher_entry')
        .select('id')
        .where('kind', '=', 'redemption')
        .execute();
      assert.equal(rows.length, 1);
    } finally {
      await t.close();
    }
  });

  it('answers a retried request with the first answer, and refuses its key for another voucher', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const idempotencyKey = key();
      const first = await redeem(t.db, net.staffA, net.places.a1, codes[0] as string, { idempotencyKey });
      assert.ok(first.ok && !first.replayed);
      const retried = await redeem(t.db, net.staffA, net.places.a1, codes[0] as string, { idempotencyKey });
      assert.ok(retried.ok && retried.replayed);
      assert.equal(retried.redemption.id, first.redemption.id);
      assert.deepEqual(
        await redeem(t.db, net.staffA, net.places.a1, codes[1] as string, { idempotencyKey }),
        {
          ok: false,
          refusal: 'form',
          errors: { code: MESSAGES.keyReusedForOtherVoucher },
        },
      );
      // The same key from another place, or with an unreadable code, is not the same request.
      for (const [place, code] of [
        [net.places.a2, codes[0] as string],
        [net.places.a1, '!!!'],
      ] as const)
        assert.deepEqual(await redeem(t.db, net.staffA, place, code, { idempotencyKey }), {
          ok: false,
          refusal: 'form',
          errors: { code: MESSAGES.keyReusedForOtherVoucher },
        });
      assert.equal(
        (await t.db.selectFrom('voucher_entry').select('id').where('kind', '=', 'redemption').execute())
          .length,
        1,
      );
      // Once cancelled, the first answer is never shown again as a success.
      const c = await cancelRedemption(
        t.db,
        net.staffA,
        { redemptionId: String(first.redemption.id), reason: '' },
        { now: NOW },
      );
      assert.ok(c.ok);
      const after = await redeem(t.db, net.staffA, net.places.a1, codes[0] as string, { idempotencyKey });
      assert.ok(!after.ok && after.refusal === 'form');
      assert.equal(after.errors.code, MESSAGES.replayOfCancelled(frenchDate(localToday(NOW))));
    } finally {
      await t.close();
    }
  });

  it('answers a double click (two requests with one key at once) with one success, twice', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const idempotencyKey = key();
      const both = await Promise.all([
        redeem(t.db, net.staffA, net.places.a1, codes[0] as string, { idempotencyKey }),
        redeem(t.db, net.staffA, net.places.a1, codes[0] as string, { idempotencyKey }),
      ]);
      assert.ok(
        both.every((r) => r.ok),
        JSON.stringify(both),
      );
      assert.equal(new Set(both.map((r) => (r.ok ? r.redemption.id : 0))).size, 1);
    } finally {
      await t.close();
    }
  });

  it('refuses code typos before any lookup, naming what is wrong', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const code = codes[0] as string;
      const before = await ledgerCounts(t.db);
      const cases: [string, string, string][] = [
        ['', 'code', MESSAGES.codeMissing],
        [code.slice(0, 10), 'code', MESSAGES.codeLength(10)],
        [`${code.slice(0, 5)}U${code.slice(6)}`, 'code', MESSAGES.codeCharacter('U', 6)],
        [typo(code), 'check', MESSAGES.codeCheck],
        [unknownCode(1), 'unknown', MESSAGES.unknownCode],
      ];
      for (const [typed, refusal, message] of cases) {
        const r = await redeem(t.db, net.staffA, net.places.a1, typed);
        assert.deepEqual(r, { ok: false, refusal, errors: { code: message } }, typed);
      }
      assert.deepEqual(await ledgerCounts(t.db), before);
      assert.ok(ALPHABET.includes(code[13] as string));
    } finally {
      await t.close();
    }
  });

  it('refuses a voucher of another programme at a place qualified only for that other one', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const one = await readyProgramme(t.db, net, { name: 'Pass Orléans' }, { placeB: false });
      const { codes } = await bookletsAt(t.db, net, one, { booklets: 1 });
      const two = await readyProgramme(t.db, net, { name: 'Pass Saran' });
      assert.ok(two);
      const r = await redeem(t.db, net.staffB, net.places.b1, codes[0]?.[0] as string);
      assert.ok(!r.ok);
      assert.equal(r.refusal, 'not_for_this_place');
      assert.equal(r.errors.code, MESSAGES.notForThisPlace('Pass Orléans'));
    } finally {
      await t.close();
    }
  });

  it('refuses a voucher not paid, not handed to a person, of a cancelled booklet, expired or not yet valid', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net, {
        validFrom: '01/06/2026',
        validUntil: '30/06/2026',
        graceDays: '10',
      });
      // Handed out before distribution stops, 15 days before the end (decision 0050).
      const handed = new Date('2026-06-05T08:00:00Z');
      const unpaid = await bookletsAt(t.db, net, id, { booklets: 1, paid: false, now: handed });
      const held = await bookletsAt(t.db, net, id, { booklets: 1, distributed: false, now: handed });
      const lost = await bookletsAt(t.db, net, id, { booklets: 1, now: handed });
      const good = await bookletsAt(t.db, net, id, { booklets: 1, now: handed });
      assert.ok(
        (
          await cancelBooklet(
            t.db,
            net.prescriber,
            { bookletId: lost.bookletIds[0] as string, reason: 'Volé' },
            { now: NOW },
          )
        ).ok,
      );
      const before = await ledgerCounts(t.db);
      const expect = async (code: string, refusal: string, message: string, now = NOW) => {
        const r = await redeem(t.db, net.staffA, net.places.a1, code, { now });
        assert.ok(!r.ok, code);
        assert.equal(r.refusal, refusal);
        assert.equal(r.errors.code, message);
      };
      await expect(unpaid.codes[0]?.[0] as string, 'not_paid', MESSAGES.voucherNotPaid);
      await expect(held.codes[0]?.[0] as string, 'not_distributed', MESSAGES.voucherNotDistributed);
      await expect(
        lost.codes[0]?.[0] as string,
        'cancelled',
        MESSAGES.voucherCancelled(frenchDate(localToday(NOW))),
      );
      // Recorded until 30 June + 10 days; refused the day after.
      const lastDay = new Date('2026-07-10T20:00:00Z');
      const dayAfter = new Date('2026-07-10T22:30:00Z'); // 11 July in Paris
      await expect(good.codes[0]?.[0] as string, 'expired', MESSAGES.voucherExpired('10/07/2026'), dayAfter);
      await expect(
        good.codes[0]?.[0] as string,
        'not_yet_valid',
        MESSAGES.voucherNotYetValid('01/06/2026'),
        new Date('2026-05-31T12:00:00Z'),
      );
      assert.deepEqual(await ledgerCounts(t.db), before);
      // Within the grace days, for help given by the end of validity.
      const late = await redeem(t.db, net.staffA, net.places.a1, good.codes[0]?.[1] as string, {
        now: lastDay,
        servedOn: '30/06/2026',
      });
      assert.ok(late.ok, JSON.stringify(late));
      const tooLate = await redeem(t.db, net.staffA, net.places.a1, good.codes[0]?.[2] as string, {
        now: lastDay,
        servedOn: '01/07/2026',
      });
      assert.deepEqual(!tooLate.ok && tooLate.errors, {
        servedOn: MESSAGES.servedAfterValidity('30/06/2026'),
      });
      const tooEarly = await redeem(t.db, net.staffA, net.places.a1, good.codes[0]?.[2] as string, {
        servedOn: '31/05/2026',
      });
      assert.deepEqual(!tooEarly.ok && tooEarly.errors, {
        servedOn: MESSAGES.servedBeforeValidity('01/06/2026'),
      });
    } finally {
      await t.close();
    }
  });

  it('refuses a redemption without the help it paid for or with a date of help in the future, naming the field', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const code = codes[0] as string;
      const before = await ledgerCounts(t.db);
      const e = async (opts: { needs?: string[]; servedOn?: string }) => {
        const r = await redeem(t.db, net.staffA, net.places.a1, code, opts);
        assert.ok(!r.ok);
        assert.equal(r.refusal, 'form');
        return r.errors;
      };
      assert.deepEqual(await e({ needs: [] }), { needs: MESSAGES.needsRequired });
      assert.deepEqual(await e({ needs: ['astrologie'] }), { needs: MESSAGES.needUnknown('astrologie') });
      assert.deepEqual(await e({ servedOn: 'hier' }), { servedOn: MESSAGES.servedOnInvalid('hier') });
      assert.deepEqual(await e({ servedOn: '16/06/2026' }), { servedOn: MESSAGES.servedOnFuture });
      assert.deepEqual(await ledgerCounts(t.db), before);
    } finally {
      await t.close();
    }
  });

  it('is the qualified place’s staff’s alone: not a coordinator, not another structure, not an unqualified place', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const code = codes[0] as string;
      await assert.rejects(redeem(t.db, net.coordinator, net.places.a1, code), forbidden);
      await assert.rejects(redeem(t.db, net.staffB, net.places.a1, code), forbidden);
      await assert.rejects(redeem(t.db, net.prescriber, net.places.a1, code), forbidden);
      await assert.rejects(redeem(t.db, net.staffA, '00000000-0000-4000-8000-000000000009', code), forbidden);
      await assert.rejects(
        describeVoucher(t.db, net.staffB, { placeId: net.places.a1, code }, { now: NOW }),
        forbidden,
      );
      const redemptions = await t.db
        .selectFrom('voucher_entry')
        .select('id')
        .where('kind', '=', 'redemption')
        .execute();
      assert.equal(redemptions.length, 0);
    } finally {
      await t.close();
    }
  });
});

describe('cancelling a redemption', () => {
  async function redeemed(db: Db) {
    const s = await setUp(db);
    const r = await redeem(db, s.net.staffA, s.net.places.a1, s.codes[0] as string);
    assert.ok(r.ok);
    return { ...s, redemptionId: String(r.redemption.id) };
  }

  it('lets the place undo its own mistake within 24 hours, after which the voucher may be redeemed again', async () => {
    const t = await createTestDb();
    try {
      const { net, codes, redemptionId, id } = await redeemed(t.db);
      const now = new Date(NOW.getTime() + 23 * HOUR);
      await assert.rejects(
        cancelRedemption(t.db, net.staffB, { redemptionId, reason: '' }, { now }),
        forbidden,
      );
      assert.deepEqual(await cancelRedemption(t.db, net.staffA, { redemptionId, reason: '' }, { now }), {
        ok: true,
      });
      assert.deepEqual(await cancelRedemption(t.db, net.staffA, { redemptionId, reason: '' }, { now }), {
        ok: false,
        errors: { reason: MESSAGES.redemptionAlreadyCancelled },
      });
      const second = await redeem(t.db, net.staffB, net.places.b1, codes[0] as string, { now });
      assert.ok(second.ok, JSON.stringify(second));
      const third = await redeem(t.db, net.staffA, net.places.a2, codes[0] as string, { now });
      assert.ok(!third.ok && third.refusal === 'already_redeemed');
      assert.equal(
        (await viewProgramme(t.db, net.coordinator, { programmeId: id })).totals.redeemedCents,
        1000,
      );
    } finally {
      await t.close();
    }
  });

  it('after 24 hours, refuses the place and lets only the coordinator cancel, with a reason', async () => {
    const t = await createTestDb();
    try {
      const { net, redemptionId } = await redeemed(t.db);
      const now = new Date(NOW.getTime() + 24 * HOUR);
      const before = await ledgerCounts(t.db);
      assert.deepEqual(
        await cancelRedemption(t.db, net.staffA, { redemptionId, reason: 'Erreur' }, { now }),
        {
          ok: false,
          errors: { reason: MESSAGES.cancellationTooLate },
        },
      );
      assert.deepEqual(
        await cancelRedemption(t.db, net.coordinator, { redemptionId, reason: ' ' }, { now }),
        {
          ok: false,
          errors: { reason: MESSAGES.reasonRequired },
        },
      );
      assert.deepEqual(await ledgerCounts(t.db), before);
      assert.deepEqual(
        await cancelRedemption(
          t.db,
          net.coordinator,
          { redemptionId, reason: 'Chèque encaissé deux fois par erreur' },
          { now },
        ),
        { ok: true },
      );
      const [row] = await listRedemptions(t.db, net.coordinator, {}, { now });
      assert.equal(row?.cancelReason, 'Chèque encaissé deux fois par erreur');
      await assert.rejects(
        cancelRedemption(t.db, net.staffA, { redemptionId: '999999', reason: '' }, { now }),
        { name: 'DomainError', code: 'not_found' },
      );
    } finally {
      await t.close();
    }
  });
});

describe('guessing', () => {
  const limits: GuessLimits = {
    passGuessesPerAccountPerHour: 3,
    passGuessesPerPlacePerDay: 5,
    passGuessAlertPerHour: 4,
  };

  async function secondStaff(db: Db, net: PassNetwork): Promise<Actor> {
    const p = await db
      .insertInto('person')
      .values({ email: 'equipe-a2@example.org', display_name: 'A2' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('membership')
      .values({ person_id: p.id, structure_id: net.structures.a, role: 'staff' })
      .execute();
    return {
      kind: 'person',
      personId: p.id,
      networkRole: null,
      memberships: [{ structureId: net.structures.a, role: 'staff' }],
    };
  }

  it('counts unknown codes and wrong check characters per account, then refuses without looking up, even a good code', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const go = (code: string, now = NOW) => redeem(t.db, net.staffA, net.places.a1, code, { limits, now });
      // Form errors are not guesses.
      for (let i = 0; i < 5; i++) assert.equal(((await go('ABC')) as { refusal: string }).refusal, 'code');
      assert.equal(((await go(unknownCode(1))) as { refusal: string }).refusal, 'unknown');
      assert.equal(((await go(typo(codes[0] as string))) as { refusal: string }).refusal, 'check');
      assert.equal(((await go(unknownCode(2))) as { refusal: string }).refusal, 'unknown');
      assert.deepEqual(await go(codes[0] as string), {
        ok: false,
        refusal: 'too_many_guesses',
        errors: { code: MESSAGES.tooManyGuesses },
      });
      // An hour later the account may try again.
      assert.ok((await go(codes[0] as string, new Date(NOW.getTime() + 61 * 60_000))).ok);
    } finally {
      await t.close();
    }
  });

  it('counts guesses per place across accounts, for the day', async () => {
    const t = await createTestDb();
    try {
      const { net, codes } = await setUp(t.db);
      const other = await secondStaff(t.db, net);
      for (let i = 0; i < 3; i++) await redeem(t.db, net.staffA, net.places.a1, unknownCode(i), { limits });
      for (let i = 3; i < 5; i++) await redeem(t.db, other, net.places.a1, unknownCode(i), { limits });
      const refused = await redeem(t.db, other, net.places.a1, codes[0] as string, { limits });
      assert.deepEqual(!refused.ok && refused.refusal, 'too_many_guesses');
      // Another place of the same structure still has its own count.
      assert.ok((await redeem(t.db, other, net.places.a2, codes[0] as string, { limits })).ok);
    } finally {
      await t.close();
    }
  });

  it('shows the coordinators an alert on their home once the network’s guesses in an hour pass the threshold', async () => {
    const t = await createTestDb();
    try {
      const { net } = await setUp(t.db);
      const other = await secondStaff(t.db, net);
      const alert = async (actor: Actor) =>
        (await homeBlocks(t.db, actor, { now: NOW, alertPerHour: limits.passGuessAlertPerHour })).find(
          (b) => b.id === 'vouchers.guessing_alert',
        );
      for (let i = 0; i < 3; i++) await redeem(t.db, net.staffA, net.places.a1, unknownCode(i), { limits });
      await redeem(t.db, net.staffB, net.places.b1, unknownCode(3), { limits });
      assert.equal(await alert(net.coordinator), undefined, 'four is not more than four');
      await redeem(t.db, other, net.places.a2, unknownCode(4), { limits });
      const shown = await alert(net.coordinator);
      assert.equal(shown?.count, 5);
      assert.equal(await alert(net.staffA), undefined);
      assert.equal(
        (
          await homeBlocks(t.db, net.coordinator, {
            now: new Date(NOW.getTime() + 2 * HOUR),
            alertPerHour: limits.passGuessAlertPerHour,
          })
        ).find((b) => b.id === 'vouchers.guessing_alert'),
        undefined,
      );
      assert.ok((await homeBlocks(t.db, net.staffA, { now: NOW })).some((b) => b.id === 'vouchers.redeem'));
    } finally {
      await t.close();
    }
  });
});
