import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PUBLIC_VALUES } from '../search/vocabulary.ts';
import {
  checkProgramme,
  defaultProgrammeValues,
  euros,
  lastRecordingDay,
  MESSAGES,
  type ProgrammeValues,
  parseEuros,
  type VoucherFacts,
  voucherState,
} from './vouchers.ts';

const facts = (over: Partial<VoucherFacts> = {}): VoucherFacts => ({
  paid: true,
  allocated: false,
  distributed: false,
  bookletCancelled: false,
  redeemed: false,
  lastRecordingDay: '2027-01-31',
  ...over,
});

describe("a voucher's state", () => {
  it('follows the booklet along the chain of hands: in stock, allocated, distributed', () => {
    assert.equal(voucherState(facts(), '2026-06-01'), 'in_stock');
    assert.equal(voucherState(facts({ allocated: true }), '2026-06-01'), 'allocated');
    assert.equal(voucherState(facts({ allocated: true, distributed: true }), '2026-06-01'), 'distributed');
  });

  it('is redeemed when a redemption stands, even if its booklet was cancelled later or the date passed', () => {
    const redeemed = facts({ allocated: true, distributed: true, redeemed: true });
    assert.equal(voucherState(redeemed, '2026-06-01'), 'redeemed');
    assert.equal(voucherState({ ...redeemed, bookletCancelled: true }, '2026-06-01'), 'redeemed');
    assert.equal(voucherState(redeemed, '2030-01-01'), 'redeemed');
  });

  it('is cancelled with its booklet, before it would have expired', () => {
    assert.equal(voucherState(facts({ allocated: true, bookletCancelled: true }), '2030-01-01'), 'cancelled');
  });

  it('expires the day after the last recording day, not on it', () => {
    const f = facts({ allocated: true, distributed: true });
    assert.equal(voucherState(f, '2027-01-31'), 'distributed');
    assert.equal(voucherState(f, '2027-02-01'), 'expired');
  });

  it('does not depend on payment: payment activates, it is not a state', () => {
    assert.equal(voucherState(facts({ paid: false, allocated: true }), '2026-06-01'), 'allocated');
  });

  it('lets places record redemptions until the end of validity plus the grace days', () => {
    assert.equal(lastRecordingDay('2026-12-31', 31), '2027-01-31');
    assert.equal(lastRecordingDay('2026-12-31', 0), '2026-12-31');
    assert.equal(lastRecordingDay('2028-02-28', 1), '2028-02-29');
  });
});

describe('amounts in euros', () => {
  it('reads typed amounts in cents: whole euros, a comma or a point, spaces and the euro sign', () => {
    assert.equal(parseEuros('10'), 1000);
    assert.equal(parseEuros('10,5'), 1050);
    assert.equal(parseEuros('10.50'), 1050);
    assert.equal(parseEuros('1 000,00 €'), 100000);
    assert.equal(parseEuros('1\u202f000\u00a0€'), 100000);
    assert.equal(parseEuros('0'), 0);
  });

  it('refuses what is not an amount: empty, negative, letters, three decimals, two separators', () => {
    for (const bad of ['', '-10', '−10', 'dix', '10,505', '1.000,00', '10 €50', '1e3', '12345678901'])
      assert.equal(parseEuros(bad), null, bad);
  });

  it('writes cents as French euros, with a narrow space between thousands and a minus sign', () => {
    assert.equal(euros(1000), '10,00\u00a0€');
    assert.equal(euros(5), '0,05\u00a0€');
    assert.equal(euros(123456789), '1\u202f234\u202f567,89\u00a0€');
    assert.equal(euros(-1050), '−10,50\u00a0€');
    for (const cents of [0, 1, 99, 100, 1050, 100000, 999999999])
      assert.equal(parseEuros(euros(cents)), cents, String(cents));
  });
});

const valid = (over: Partial<ProgrammeValues> = {}): ProgrammeValues => ({
  ...defaultProgrammeValues('2026-03-01'),
  funderId: '00000000-0000-4000-8000-000000000001',
  name: 'Pass numérique 2026',
  perimeter: 'epci:244500468',
  budget: '5 000',
  ...over,
});

const refusal = (over: Partial<ProgrammeValues>) => {
  const r = checkProgramme(valid(over), PUBLIC_VALUES);
  assert.ok(!r.ok, JSON.stringify(over));
  return r.errors;
};

describe('the programme form', () => {
  it('accepts the defaults: 10 €, booklets of 10, until 31 December, 31 days of grace', () => {
    const r = checkProgramme(valid({ publics: [PUBLIC_VALUES[0] as string] }), PUBLIC_VALUES);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.fields.faceValueCents, 1000);
    assert.equal(r.fields.bookletSize, 10);
    assert.equal(r.fields.validFrom, '2026-03-01');
    assert.equal(r.fields.validUntil, '2026-12-31');
    assert.equal(r.fields.graceDays, 31);
    assert.equal(r.fields.budgetCents, 500000);
  });

  it('proposes 31 December of next year from October on, so that a new programme is not over at once', () => {
    assert.equal(defaultProgrammeValues('2026-09-30').validUntil, '31/12/2026');
    assert.equal(defaultProgrammeValues('2026-10-01').validUntil, '31/12/2027');
    assert.equal(defaultProgrammeValues('2026-12-31').validUntil, '31/12/2027');
    assert.equal(defaultProgrammeValues('2026-12-31').validFrom, '31/12/2026');
  });

  it('refuses a missing or too long name, naming the field', () => {
    assert.deepEqual(refusal({ name: '  ' }), { name: MESSAGES.nameRequired });
    assert.deepEqual(refusal({ name: 'x'.repeat(201) }), { name: MESSAGES.nameTooLong(201) });
  });

  it('refuses a programme without a funder, naming the field', () => {
    assert.deepEqual(refusal({ funderId: '' }), { funderId: MESSAGES.funderRequired });
  });

  it('refuses a face value of 0, negative, not a number or above 1 000 €, naming the field', () => {
    for (const v of ['0', '0,00', '-10', 'dix', ''])
      assert.deepEqual(refusal({ faceValue: v }), { faceValue: MESSAGES.faceValueInvalid(v) }, v);
    assert.deepEqual(refusal({ faceValue: '1000,01' }), { faceValue: MESSAGES.faceValueTooHigh });
  });

  it('refuses booklets of another size than 5 or 10', () => {
    for (const v of ['0', '6', '20', 'dix'])
      assert.deepEqual(refusal({ bookletSize: v }), { bookletSize: MESSAGES.bookletSizeInvalid }, v);
  });

  it('refuses dates that are not dates, and an end before the start, naming the field', () => {
    assert.deepEqual(refusal({ validFrom: '31/02/2026' }), {
      validFrom: MESSAGES.dateInvalid('de début', '31/02/2026'),
    });
    assert.deepEqual(refusal({ validUntil: 'demain' }), {
      validUntil: MESSAGES.dateInvalid('de fin', 'demain'),
    });
    assert.deepEqual(refusal({ validFrom: '01/06/2026', validUntil: '31/05/2026' }), {
      validUntil: MESSAGES.endBeforeStart('31/05/2026', '01/06/2026'),
    });
    assert.ok(checkProgramme(valid({ validFrom: '01/06/2026', validUntil: '01/06/2026' }), PUBLIC_VALUES).ok);
  });

  it('refuses a grace period that is not a number of days between 0 and 366', () => {
    for (const v of ['-1', '367', '3.5', 'un mois', ''])
      assert.deepEqual(refusal({ graceDays: v }), { graceDays: MESSAGES.graceInvalid(v) }, v);
  });

  it('refuses a missing or unreadable perimeter, naming the field', () => {
    assert.deepEqual(refusal({ perimeter: '' }), { perimeter: MESSAGES.perimeterRequired });
    const e = refusal({ perimeter: 'quelque part' });
    assert.deepEqual(Object.keys(e), ['perimeter']);
    assert.ok((e.perimeter ?? '').length > 10);
  });

  it('refuses a budget of 0, negative or not an amount, naming the field', () => {
    for (const v of ['0', '-100', 'beaucoup', ''])
      assert.deepEqual(refusal({ budget: v }), { budget: MESSAGES.budgetInvalid(v) }, v);
  });

  it('refuses a public not in the national list, naming it', () => {
    assert.deepEqual(refusal({ publics: ['Martiens'] }), { publics: MESSAGES.publicUnknown('Martiens') });
  });

  it('names every wrong field at once', () => {
    const e = refusal({ name: '', faceValue: '0', budget: '0', bookletSize: '7' });
    assert.deepEqual(Object.keys(e).sort(), ['bookletSize', 'budget', 'faceValue', 'name']);
  });
});
