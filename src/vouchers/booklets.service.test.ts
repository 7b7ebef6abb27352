import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import {
  bookletsAt,
  DAY,
  ledgerCounts,
  NOW,
  noCommune,
  passNetwork,
  readyProgramme,
} from '../../test/support/vouchers-fixtures.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import {
  allocateBooklets,
  cancelBooklet,
  distributeBooklet,
  getBooklet,
  listMyBooklets,
  printBooklets,
} from './booklets.service.ts';
import { CLOSING_MESSAGES } from './closing.ts';
import { redeemVoucher } from './redemptions.service.ts';
import { emitBooklets, viewProgramme } from './vouchers.service.ts';
import { MESSAGES } from './vouchers.ts';

after(closeTestTemplate);

const forbidden = { name: 'DomainError', code: 'forbidden' };
const distribute = (over: { declared?: boolean; ageBand?: string; commune?: string } = {}) => ({
  declared: true,
  ageBand: '',
  commune: '',
  ...over,
});
const saran = (text: string) => (/saran|45770/i.test(text) ? { code: '45302', name: 'Saran' } : null);
const tours = () => ({ code: '37261', name: 'Tours' });

describe('allocation', () => {
  it('allocates the next booklets in stock to a prescriber, and refuses more than the stock, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      await bookletsAt(t.db, net, id, { booklets: 3, allocated: false });
      const a = await allocateBooklets(t.db, net.coordinator, {
        programmeId: id,
        structureId: net.structures.prescriber,
        count: '2',
      });
      assert.ok(a.ok);
      assert.deepEqual(
        a.booklets.map((b) => b.number),
        [1, 2],
      );
      const before = await ledgerCounts(t.db);
      assert.deepEqual(
        await allocateBooklets(t.db, net.coordinator, {
          programmeId: id,
          structureId: net.structures.prescriber,
          count: '2',
        }),
        { ok: false, errors: { count: MESSAGES.notEnoughInStock(2, 1) } },
      );
      for (const v of ['0', 'deux', ''])
        assert.deepEqual(
          await allocateBooklets(t.db, net.coordinator, {
            programmeId: id,
            structureId: net.structures.prescriber,
            count: v,
          }),
          { ok: false, errors: { count: MESSAGES.bookletsToAllocateInvalid(v) } },
        );
      assert.deepEqual(await ledgerCounts(t.db), before);
      const mine = await listMyBooklets(t.db, net.prescriber);
      assert.deepEqual(
        mine.map((b) => [b.number, b.allocatedTo?.name]),
        [
          [1, 'CCAS de Saran'],
          [2, 'CCAS de Saran'],
        ],
      );
      assert.deepEqual(await listMyBooklets(t.db, net.staffA), []);
    } finally {
      await t.close();
    }
  });

  it('refuses a booklet allocated twice, naming who holds it, whether asked by number or in one request', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const { bookletIds } = await bookletsAt(t.db, net, id, {
        booklets: 2,
        allocated: true,
        distributed: false,
      });
      const before = await ledgerCounts(t.db);
      const input = { programmeId: id, structureId: net.structures.prescriber };
      assert.deepEqual(
        await allocateBooklets(t.db, net.coordinator, { ...input, bookletIds: [bookletIds[0] as string] }),
        {
          ok: false,
          errors: { bookletIds: MESSAGES.bookletAlreadyAllocated('CCAS de Saran') },
        },
      );
      assert.deepEqual(await ledgerCounts(t.db), before);
      // The same booklet twice in one request: the database's unique index refuses the second row.
      const other = await emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: '1' });
      assert.ok(other.ok);
      const fresh = (await listMyBooklets(t.db, net.coordinator)).length;
      const [third] = (
        await t.db.selectFrom('voucher_booklet').select('id').where('number', '=', 3).execute()
      ).map((b) => b.id);
      const twice = await allocateBooklets(t.db, net.coordinator, {
        ...input,
        bookletIds: [third as string, third as string],
      });
      assert.deepEqual(twice, {
        ok: false,
        errors: { bookletIds: MESSAGES.bookletAlreadyAllocated('CCAS de Saran') },
      });
      assert.equal((await listMyBooklets(t.db, net.coordinator)).length, fresh, 'nothing partial written');
    } finally {
      await t.close();
    }
  });

  it('refuses a structure that is not a prescriber, a booklet of another programme and a cancelled one', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const other = await readyProgramme(t.db, net, { name: 'Autre programme' });
      const mine = await bookletsAt(t.db, net, id, { booklets: 2, allocated: false });
      const theirs = await bookletsAt(t.db, net, other, { booklets: 1, allocated: false });
      const input = { programmeId: id, structureId: net.structures.prescriber };
      assert.deepEqual(
        await allocateBooklets(t.db, net.coordinator, {
          programmeId: id,
          structureId: net.structures.a,
          count: '1',
        }),
        { ok: false, errors: { structureId: MESSAGES.bookletNotPrescriber } },
      );
      assert.deepEqual(
        await allocateBooklets(t.db, net.coordinator, { programmeId: id, structureId: ' ', count: '1' }),
        { ok: false, errors: { structureId: MESSAGES.structureRequired } },
      );
      assert.deepEqual(
        await allocateBooklets(t.db, net.coordinator, { ...input, bookletIds: theirs.bookletIds }),
        { ok: false, errors: { bookletIds: MESSAGES.unknownBooklet } },
      );
      const lost = mine.bookletIds[1] as string;
      assert.ok(
        (await cancelBooklet(t.db, net.coordinator, { bookletId: lost, reason: 'Perdu' }, { now: NOW })).ok,
      );
      assert.deepEqual(await allocateBooklets(t.db, net.coordinator, { ...input, bookletIds: [lost] }), {
        ok: false,
        errors: { bookletIds: MESSAGES.bookletCancelled(frenchDate(localToday(NOW))) },
      });
      // Counted allocation skips the cancelled booklet.
      const a = await allocateBooklets(t.db, net.coordinator, { ...input, count: '1' });
      assert.ok(a.ok);
      assert.equal(a.booklets[0]?.id, mine.bookletIds[0]);
      await assert.rejects(allocateBooklets(t.db, net.prescriber, { ...input, count: '1' }), forbidden);
    } finally {
      await t.close();
    }
  });
});

describe('a request sent twice (a double click)', () => {
  it('emits once and allocates once for one request key, also when both arrive at the same time', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const emit = (key: string) =>
        emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: '2', idempotencyKey: key });
      const first = await emit('emission-key-1');
      assert.ok(first.ok);
      const counts = await ledgerCounts(t.db);
      assert.deepEqual(await emit('emission-key-1'), first);
      assert.deepEqual(await ledgerCounts(t.db), counts);
      // Two identical requests at once: one emission, both answers the same.
      const [a, b] = await Promise.all([emit('emission-key-2'), emit('emission-key-2')]);
      assert.ok(a.ok && b.ok);
      assert.equal(a.emissionId, b.emissionId);
      assert.notEqual(a.emissionId, first.emissionId);
      const emissions = await t.db
        .selectFrom('voucher_entry')
        .select('id')
        .where('kind', '=', 'emission')
        .where('programme_id', '=', id)
        .execute();
      assert.equal(emissions.length, 2);
      // A key that is not one the server draws is ignored: each request is its own.
      assert.ok((await emit('bad key!')).ok);
      assert.ok((await emit('bad key!')).ok);

      const allocate = (key: string) =>
        allocateBooklets(t.db, net.coordinator, {
          programmeId: id,
          structureId: net.structures.prescriber,
          count: '2',
          idempotencyKey: key,
        });
      const given = await allocate('allocation-key-1');
      assert.ok(given.ok);
      assert.deepEqual(
        given.booklets.map((x) => x.number),
        [1, 2],
      );
      const before = await ledgerCounts(t.db);
      assert.deepEqual(await allocate('allocation-key-1'), given);
      assert.deepEqual(await ledgerCounts(t.db), before);
      const [c, d] = await Promise.all([allocate('allocation-key-2'), allocate('allocation-key-2')]);
      assert.ok(c.ok && d.ok);
      assert.deepEqual(c.booklets, d.booklets);
      assert.deepEqual(
        c.booklets.map((x) => x.number),
        [3, 4],
      );
      const allocations = await t.db
        .selectFrom('voucher_entry')
        .select('id')
        .where('kind', '=', 'allocation')
        .where('programme_id', '=', id)
        .execute();
      assert.equal(allocations.length, 4);
      // An emission's key sent with an allocation is not that allocation's: not replayed as one.
      const other = await allocate('emission-key-1');
      assert.ok(other.ok);
      assert.deepEqual(
        other.booklets.map((x) => x.number),
        [5, 6],
      );
    } finally {
      await t.close();
    }
  });
});

describe('hand-over to a person', () => {
  it('records the declaration, an age band and a commune inside the perimeter, never a name', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const { bookletIds } = await bookletsAt(t.db, net, id, { booklets: 1, distributed: false });
      const bookletId = bookletIds[0] as string;
      const d = await distributeBooklet(
        t.db,
        net.prescriber,
        { bookletId, ...distribute({ ageBand: '60_74', commune: '45770' }) },
        { now: NOW, resolveCommune: saran },
      );
      assert.deepEqual(d, { ok: true, bookletId });
      const view = await getBooklet(t.db, net.prescriber, { bookletId });
      assert.deepEqual(view.booklet.distribution, { ageBand: '60_74', commune: 'Saran' });
      assert.equal(view.may.distribute, false);
      assert.deepEqual(
        await distributeBooklet(
          t.db,
          net.prescriber,
          { bookletId, ...distribute() },
          { now: NOW, resolveCommune: noCommune },
        ),
        { ok: false, errors: { booklet: MESSAGES.bookletAlreadyDistributed(frenchDate(localToday(NOW))) } },
      );
    } finally {
      await t.close();
    }
  });

  it('refuses without the declaration, with an unknown age band, an unknown commune or one outside the perimeter, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const { bookletIds } = await bookletsAt(t.db, net, id, { booklets: 1, distributed: false });
      const bookletId = bookletIds[0] as string;
      const before = await ledgerCounts(t.db);
      const go = (values: ReturnType<typeof distribute>, resolveCommune = saran) =>
        distributeBooklet(t.db, net.prescriber, { bookletId, ...values }, { now: NOW, resolveCommune });
      assert.deepEqual(await go(distribute({ declared: false })), {
        ok: false,
        errors: { declared: MESSAGES.declarationRequired },
      });
      assert.deepEqual(await go(distribute({ ageBand: '12_ans' })), {
        ok: false,
        errors: { ageBand: MESSAGES.ageBandUnknown },
      });
      assert.deepEqual(await go(distribute({ commune: 'Atlantide' })), {
        ok: false,
        errors: { commune: MESSAGES.communeUnknown('Atlantide') },
      });
      assert.deepEqual(await go(distribute({ commune: 'Tours' }), tours), {
        ok: false,
        errors: { commune: MESSAGES.communeOutsidePerimeter('Tours') },
      });
      assert.deepEqual(await ledgerCounts(t.db), before);
    } finally {
      await t.close();
    }
  });

  it('is the prescriber’s alone, for an allocated booklet still valid and not cancelled', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net, { validUntil: '15/07/2026', graceDays: '0' });
      const { bookletIds } = await bookletsAt(t.db, net, id, { booklets: 3, distributed: false });
      const stock = await bookletsAt(t.db, net, id, { booklets: 1, allocated: false });
      const [one, two, three] = bookletIds as [string, string, string];
      const go = (bookletId: string, actor = net.prescriber, now = NOW) =>
        distributeBooklet(t.db, actor, { bookletId, ...distribute() }, { now, resolveCommune: noCommune });
      await assert.rejects(go(one, net.coordinator), forbidden);
      await assert.rejects(go(one, net.staffA), forbidden);
      await assert.rejects(go(stock.bookletIds[0] as string), forbidden);
      assert.ok(
        (await cancelBooklet(t.db, net.prescriber, { bookletId: two, reason: 'Volé' }, { now: NOW })).ok,
      );
      assert.deepEqual(await go(two), {
        ok: false,
        errors: { booklet: MESSAGES.bookletCancelled(frenchDate(localToday(NOW))) },
      });
      assert.deepEqual(await go(three, net.prescriber, new Date(NOW.getTime() + 31 * DAY)), {
        ok: false,
        errors: { booklet: MESSAGES.bookletExpired('15/07/2026') },
      });
      // Distribution stops 15 days before the end (decision 0050): from 30 June, nothing is handed out.
      assert.deepEqual(await go(three, net.prescriber, new Date(NOW.getTime() + 15 * DAY)), {
        ok: false,
        errors: { booklet: CLOSING_MESSAGES.distributionClosed('2026-06-30', '2026-07-15') },
      });
      assert.ok((await go(three, net.prescriber, new Date(NOW.getTime() + 14 * DAY))).ok);
    } finally {
      await t.close();
    }
  });
});

describe('cancellation of a booklet', () => {
  it('needs a reason, happens once, and keeps the redemptions made before owed to their places', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const { bookletIds, codes } = await bookletsAt(t.db, net, id, { booklets: 1 });
      const bookletId = bookletIds[0] as string;
      const [first, second] = codes[0] as [string, string];
      const redeem = (code: string, key: string) =>
        redeemVoucher(
          t.db,
          net.staffA,
          { placeId: net.places.a1, code, needs: ['caf'], servedOn: '', idempotencyKey: key },
          { now: NOW },
        );
      assert.ok((await redeem(first, 'cancel-test-1')).ok);
      assert.deepEqual(await cancelBooklet(t.db, net.prescriber, { bookletId, reason: ' ' }), {
        ok: false,
        errors: { reason: MESSAGES.reasonRequired },
      });
      assert.deepEqual(await cancelBooklet(t.db, net.prescriber, { bookletId, reason: 'x'.repeat(301) }), {
        ok: false,
        errors: { reason: MESSAGES.reasonTooLong },
      });
      await assert.rejects(cancelBooklet(t.db, net.staffA, { bookletId, reason: 'Perdu' }), forbidden);
      assert.ok((await cancelBooklet(t.db, net.prescriber, { bookletId, reason: 'Perdu' }, { now: NOW })).ok);
      assert.deepEqual(await cancelBooklet(t.db, net.coordinator, { bookletId, reason: 'Perdu' }), {
        ok: false,
        errors: { reason: MESSAGES.bookletAlreadyCancelled(frenchDate(localToday(NOW))) },
      });
      const refused = await redeem(second, 'cancel-test-2');
      assert.ok(!refused.ok);
      assert.equal(refused.refusal, 'cancelled');
      assert.equal(refused.errors.code, MESSAGES.voucherCancelled(frenchDate(localToday(NOW))));
      const view = await viewProgramme(t.db, net.coordinator, { programmeId: id });
      assert.equal(view.totals.redeemedCents, 1000);
      assert.equal(view.totals.cancelled, 1);
    } finally {
      await t.close();
    }
  });

  it('lets only the coordinator cancel a booklet still in stock', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const { bookletIds } = await bookletsAt(t.db, net, id, { booklets: 1, allocated: false });
      const bookletId = bookletIds[0] as string;
      await assert.rejects(cancelBooklet(t.db, net.prescriber, { bookletId, reason: 'Perdu' }), forbidden);
      assert.ok((await cancelBooklet(t.db, net.coordinator, { bookletId, reason: 'Perdu' })).ok);
    } finally {
      await t.close();
    }
  });
});

describe('printing', () => {
  it('shows the codes to the coordinator and to the booklet’s prescriber only', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const { emissionId, bookletIds, codes } = await bookletsAt(t.db, net, id, { booklets: 2 });
      const all = await printBooklets(t.db, net.coordinator, {
        programmeId: id,
        emissionId: String(emissionId),
      });
      assert.deepEqual(
        all.booklets.map((b) => b.vouchers.map((v) => v.code)),
        codes,
      );
      const one = await printBooklets(t.db, net.prescriber, {
        programmeId: id,
        bookletId: bookletIds[0] as string,
      });
      assert.deepEqual(
        one.booklets[0]?.vouchers.map((v) => v.code),
        codes[0],
      );
      await assert.rejects(
        printBooklets(t.db, net.prescriber, { programmeId: id, emissionId: String(emissionId) }),
        forbidden,
      );
      await assert.rejects(
        printBooklets(t.db, net.staffA, { programmeId: id, bookletId: bookletIds[0] as string }),
        forbidden,
      );
      await assert.rejects(getBooklet(t.db, net.staffA, { bookletId: bookletIds[0] as string }), forbidden);
    } finally {
      await t.close();
    }
  });
});
