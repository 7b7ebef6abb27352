import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPeriod, fundedOn, periodsOverlap, periodText } from './funders.ts';

describe('periods of fundings and figures', () => {
  it('tells overlapping periods, ends included, an open end running for ever', () => {
    const year = { startsOn: '2026-01-01', endsOn: '2026-12-31' };
    assert.equal(periodsOverlap(year, { startsOn: '2026-12-31', endsOn: null }), true);
    assert.equal(periodsOverlap(year, { startsOn: '2027-01-01', endsOn: null }), false);
    assert.equal(periodsOverlap({ startsOn: '2020-01-01', endsOn: null }, year), true);
    assert.equal(periodsOverlap(year, { startsOn: '2025-01-01', endsOn: '2025-12-31' }), false);
    assert.equal(fundedOn(year, '2026-12-31'), true);
    assert.equal(fundedOn(year, '2027-01-01'), false);
    assert.equal(periodText(year), 'du 01/01/2026 au 31/12/2026');
    assert.equal(periodText({ startsOn: '2026-01-01', endsOn: null }), 'depuis le 01/01/2026');
  });

  it('takes the last 12 months by default, one day alone, and refuses what is not a period', () => {
    const today = '2026-03-01';
    assert.deepEqual(checkPeriod({}, today), { ok: true, from: '2025-03-02', to: '2026-03-01' });
    assert.deepEqual(checkPeriod({ from: '01/01/2026' }, today), { ok: true, from: '2026-01-01', to: today });
    assert.deepEqual(checkPeriod({ to: '2025-12-31' }, today), {
      ok: true,
      from: '2025-01-01',
      to: '2025-12-31',
    });
    assert.deepEqual(checkPeriod({ from: '2027-01-01' }, today), {
      ok: true,
      from: '2027-01-01',
      to: '2027-01-01',
    });
    const reversed = checkPeriod({ from: '2026-02-01', to: '2026-01-31' }, today);
    assert.equal(reversed.ok, false);
    const long = checkPeriod({ from: '2000-01-01', to: '2026-01-01' }, today);
    assert.deepEqual(long, {
      ok: false,
      errors: { du: 'La période doit durer au plus dix ans. Choisissez un début plus récent.' },
    });
    const notDates = checkPeriod({ from: '30/02/2026', to: 'x' }, today);
    assert.equal(notDates.ok, false);
    if (!notDates.ok) assert.deepEqual(Object.keys(notDates.errors), ['du', 'au']);
  });
});
