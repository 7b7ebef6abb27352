import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import {
  bookletsAt,
  ledgerCounts,
  NOW,
  passNetwork,
  programmeValues,
  readyProgramme,
} from '../../test/support/vouchers-fixtures.ts';
import {
  addPrescriber,
  addQualifiedPlace,
  confirmProgramme,
  createProgramme,
  emitBooklets,
  listProgrammes,
  recordPayment,
  viewProgramme,
} from './vouchers.service.ts';
import { euros, MESSAGES } from './vouchers.ts';

after(closeTestTemplate);

const forbidden = { name: 'DomainError', code: 'forbidden' };

describe('programmes', () => {
  it('creates a programme for a funder, which only the funder’s people confirm, once', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net, {}, { confirm: false });
      await assert.rejects(
        confirmProgramme(t.db, net.coordinator, { programmeId: id, confirmed: true }),
        forbidden,
      );
      assert.deepEqual(await confirmProgramme(t.db, net.funder, { programmeId: id, confirmed: false }), {
        ok: false,
        errors: { confirmed: MESSAGES.confirmationRequired },
      });
      assert.deepEqual(await confirmProgramme(t.db, net.funder, { programmeId: id, confirmed: true }), {
        ok: true,
      });
      assert.deepEqual(await confirmProgramme(t.db, net.funder, { programmeId: id, confirmed: true }), {
        ok: false,
        errors: { confirmed: MESSAGES.alreadyConfirmed },
      });
      const view = await viewProgramme(t.db, net.funder, { programmeId: id });
      assert.ok(view.programme.confirmedAt);
      assert.equal(view.programme.lastRecordingDay, '2027-01-31');
      assert.equal(view.places.length, 3);
      assert.equal((await listProgrammes(t.db, net.funder)).length, 1);
      assert.equal((await listProgrammes(t.db, net.staffA)).length, 0);
      await assert.rejects(viewProgramme(t.db, net.staffA, { programmeId: id }), forbidden);
    } finally {
      await t.close();
    }
  });

  it('refuses an unknown funder and an unknown perimeter, naming the fields, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const r = await createProgramme(
        t.db,
        net.coordinator,
        programmeValues(net, { funderId: '00000000-0000-4000-8000-000000000009', perimeter: 'com:99999' }),
      );
      assert.ok(!r.ok);
      assert.equal(r.errors.funderId, MESSAGES.unknownFunder);
      assert.ok(r.errors.perimeter);
      const bad = await createProgramme(
        t.db,
        net.coordinator,
        programmeValues(net, { faceValue: '0', validFrom: '01/06/2026', validUntil: '01/05/2026' }),
      );
      assert.ok(!bad.ok);
      assert.deepEqual(Object.keys(bad.errors).sort(), ['faceValue', 'validUntil']);
      assert.equal(
        (await t.db.selectFrom('voucher_programme').select('id').execute()).length,
        0,
        'nothing written',
      );
      await assert.rejects(createProgramme(t.db, net.staffA, programmeValues(net)), forbidden);
    } finally {
      await t.close();
    }
  });

  it('qualifies a place once, with its structure, and a prescriber once', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      assert.deepEqual(
        await addQualifiedPlace(t.db, net.coordinator, { programmeId: id, placeId: net.places.a1 }),
        {
          ok: false,
          errors: { placeId: MESSAGES.placeAlreadyQualified },
        },
      );
      assert.deepEqual(await addQualifiedPlace(t.db, net.coordinator, { programmeId: id, placeId: 'nope' }), {
        ok: false,
        errors: { placeId: MESSAGES.unknownPlace },
      });
      assert.deepEqual(await addQualifiedPlace(t.db, net.coordinator, { programmeId: id, placeId: '' }), {
        ok: false,
        errors: { placeId: MESSAGES.placeRequired },
      });
      assert.deepEqual(
        await addPrescriber(t.db, net.coordinator, {
          programmeId: id,
          structureId: net.structures.prescriber,
        }),
        { ok: false, errors: { structureId: MESSAGES.prescriberAlready } },
      );
      assert.deepEqual(
        await addPrescriber(t.db, net.coordinator, {
          programmeId: id,
          structureId: '00000000-0000-4000-8000-000000000009',
        }),
        { ok: false, errors: { structureId: MESSAGES.unknownStructure } },
      );
    } finally {
      await t.close();
    }
  });
});

describe('emission', () => {
  it('refuses to emit before the funder confirmed, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net, {}, { confirm: false });
      const before = await ledgerCounts(t.db);
      assert.deepEqual(await emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: '2' }), {
        ok: false,
        errors: { booklets: MESSAGES.notConfirmed },
      });
      assert.deepEqual(await ledgerCounts(t.db), before);
    } finally {
      await t.close();
    }
  });

  it('refuses a number of booklets that is not a whole number between 1 and the maximum', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      for (const v of ['0', '-1', '2,5', 'deux', '', '20001'])
        assert.deepEqual(
          await emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: v }),
          { ok: false, errors: { booklets: MESSAGES.bookletsInvalid(v) } },
          v,
        );
      assert.deepEqual(await ledgerCounts(t.db), { entries: 0, booklets: 0, vouchers: 0, seals: 0 });
    } finally {
      await t.close();
    }
  });

  it('emits booklets of unique codes within the budget, and refuses an emission above what is left, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      // 1 000 € of budget, booklets of 5 vouchers of 10 €: 20 booklets at most.
      const id = await readyProgramme(t.db, net);
      const e = await emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: '15' }, { now: NOW });
      assert.ok(e.ok);
      assert.equal(e.vouchers, 75);
      const before = await ledgerCounts(t.db);
      assert.deepEqual(before, { entries: 1, booklets: 15, vouchers: 75, seals: 0 });
      assert.deepEqual(await emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: '6' }), {
        ok: false,
        errors: { booklets: MESSAGES.overBudget(euros(30000), euros(25000)) },
      });
      assert.deepEqual(await ledgerCounts(t.db), before);
      const rest = await emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: '5' });
      assert.ok(rest.ok);
      const view = await viewProgramme(t.db, net.coordinator, { programmeId: id });
      assert.equal(view.totals.budgetLeftCents, 0);
      assert.deepEqual(
        view.emissions.map((x) => [x.firstNumber, x.lastNumber]),
        [
          [1, 15],
          [16, 20],
        ],
      );
      const codes = await t.db.selectFrom('voucher').select('code').execute();
      assert.equal(new Set(codes.map((c) => c.code)).size, 100);
      await assert.rejects(emitBooklets(t.db, net.prescriber, { programmeId: id, booklets: '1' }), forbidden);
    } finally {
      await t.close();
    }
  });
});

describe('payment', () => {
  it('records the funder’s payment of a whole emission, once, with a reference never reused', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const id = await readyProgramme(t.db, net);
      const first = await bookletsAt(t.db, net, id, { booklets: 1 });
      const e = await emitBooklets(t.db, net.coordinator, { programmeId: id, booklets: '2' });
      assert.ok(e.ok);
      const pay = (over: { emissionId?: string; amount?: string; reference?: string }) =>
        recordPayment(t.db, net.coordinator, {
          programmeId: id,
          emissionId: String(e.emissionId),
          amount: '100',
          reference: 'MANDAT-2026-002',
          ...over,
        });
      const before = await ledgerCounts(t.db);
      assert.deepEqual(await pay({ reference: `MANDAT-${first.emissionId}` }), {
        ok: false,
        errors: { reference: MESSAGES.referenceReused(`MANDAT-${first.emissionId}`) },
      });
      assert.deepEqual(await pay({ amount: '50' }), {
        ok: false,
        errors: { amount: MESSAGES.paymentAmountMismatch(euros(5000), euros(10000)) },
      });
      assert.deepEqual(await pay({ amount: 'cent' }), {
        ok: false,
        errors: { amount: MESSAGES.paymentAmountInvalid('cent') },
      });
      assert.deepEqual(await pay({ reference: ' ' }), {
        ok: false,
        errors: { reference: MESSAGES.referenceRequired },
      });
      assert.deepEqual(await pay({ reference: 'x'.repeat(101) }), {
        ok: false,
        errors: { reference: MESSAGES.referenceTooLong },
      });
      assert.deepEqual(await pay({ emissionId: '999999' }), {
        ok: false,
        errors: { emissionId: MESSAGES.unknownEmission },
      });
      assert.deepEqual(await pay({ emissionId: '' }), {
        ok: false,
        errors: { emissionId: MESSAGES.emissionRequired },
      });
      assert.deepEqual(await ledgerCounts(t.db), before, 'no refusal wrote anything');
      assert.ok((await pay({})).ok);
      assert.deepEqual(await pay({ reference: 'MANDAT-2026-003' }), {
        ok: false,
        errors: { emissionId: MESSAGES.emissionAlreadyPaid },
      });
      const view = await viewProgramme(t.db, net.funder, { programmeId: id });
      assert.equal(view.totals.paidCents, 15000);
      await assert.rejects(
        recordPayment(t.db, net.funder, { programmeId: id, emissionId: '1', amount: '50', reference: 'X' }),
        forbidden,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a payment naming an emission of another programme', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const one = await readyProgramme(t.db, net);
      const two = await readyProgramme(t.db, net, { name: 'Pass numérique bis' });
      const e = await emitBooklets(t.db, net.coordinator, { programmeId: one, booklets: '1' });
      assert.ok(e.ok);
      assert.deepEqual(
        await recordPayment(t.db, net.coordinator, {
          programmeId: two,
          emissionId: String(e.emissionId),
          amount: '50',
          reference: 'M-1',
        }),
        { ok: false, errors: { emissionId: MESSAGES.unknownEmission } },
      );
    } finally {
      await t.close();
    }
  });
});
