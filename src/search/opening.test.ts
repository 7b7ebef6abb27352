import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileOpeningHours, openingStatus, regionOf } from './opening.ts';

// Tests run with TZ=UTC (set by the runner), like the server: instants below are real UTC instants.
const paris = regionOf('45234', '45000');
const reunion = regionOf('97411', '97400');
const status = (hours: string, region: typeof paris, iso: string) =>
  openingStatus(compileOpeningHours(hours, region), region.timeZone, new Date(iso));

describe('open now, at fixed instants, where the place is', () => {
  it('is closed on a French public holiday with PH off, and open the next day', () => {
    const hours = 'Mo-Fr 09:00-17:00; PH off';
    assert.equal(status(hours, paris, '2025-07-14T08:00:00Z').openNow, false, '14 juillet, 10 h à Paris');
    assert.equal(status(hours, paris, '2025-07-15T08:00:00Z').openNow, true);
    assert.equal(status(hours, paris, '2025-12-25T10:00:00Z').openNow, false, 'Noël');
  });

  it('follows alternating weeks (week 1-53/2)', () => {
    const hours = 'week 1-53/2 Tu 09:00-12:00';
    // 2025-01-07 is a Tuesday of ISO week 2; 2025-01-14 of ISO week 3.
    assert.equal(status(hours, paris, '2025-01-07T09:00:00Z').openNow, false, 'even week');
    assert.equal(status(hours, paris, '2025-01-14T09:00:00Z').openNow, true, 'odd week');
  });

  it('turns from 23:59 to 00:00 on the right day', () => {
    const hours = 'Mo 20:00-24:00; Tu 00:00-01:00';
    // Monday 2025-02-03 23:59 in Paris = 22:59 UTC; Tuesday 00:00 = 23:00 UTC.
    assert.equal(status(hours, paris, '2025-02-03T22:59:00Z').openNow, true);
    assert.equal(status(hours, paris, '2025-02-03T23:00:00Z').openNow, true);
    assert.equal(status(hours, paris, '2025-02-04T00:00:00Z').openNow, false, 'Tuesday 01:00');
    const late = 'Mo 09:00-23:59';
    assert.equal(status(late, paris, '2025-02-03T22:58:00Z').openNow, true, 'Monday 23:58');
    assert.equal(status(late, paris, '2025-02-03T23:00:00Z').openNow, false, 'Tuesday 00:00');
  });

  it('keeps the right hours on both daylight-saving change days', () => {
    const hours = 'Su 09:00-12:00';
    // 2025-03-30: clocks go forward at 02:00 → 09:00 Paris is 07:00 UTC (summer time).
    assert.equal(status(hours, paris, '2025-03-30T07:00:00Z').openNow, true, 'spring 09:00 CEST');
    assert.equal(status(hours, paris, '2025-03-30T06:59:00Z').openNow, false, 'spring 08:59 CEST');
    // 2025-10-26: clocks go back at 03:00 → 09:00 Paris is 08:00 UTC (winter time).
    assert.equal(status(hours, paris, '2025-10-26T08:00:00Z').openNow, true, 'autumn 09:00 CET');
    assert.equal(status(hours, paris, '2025-10-26T07:59:00Z').openNow, false, 'autumn 08:59 CET');
    assert.deepEqual(status(hours, paris, '2025-03-30T10:00:00Z').today, ['9 h – 12 h']);
  });

  it('evaluates a place in La Réunion in its own time zone and holidays', () => {
    assert.equal(reunion.timeZone, 'Indian/Reunion');
    const hours = 'Mo-Fr 08:00-12:00; PH off';
    // 08:30 in La Réunion (UTC+4) is 04:30 UTC, when Paris places are still closed.
    assert.equal(status(hours, reunion, '2025-02-03T04:30:00Z').openNow, true);
    assert.equal(status(hours, paris, '2025-02-03T04:30:00Z').openNow, false);
    // 20 December: abolition of slavery, a public holiday in La Réunion only.
    assert.equal(status(hours, reunion, '2024-12-20T05:00:00Z').openNow, false);
    assert.equal(status(hours, paris, '2024-12-20T09:00:00Z').openNow, true);
  });

  it("says today's hours, when it opens next and whether it opens on Saturday", () => {
    const s = status('Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00', paris, '2025-02-03T11:30:00Z');
    assert.equal(s.openNow, false, '12 h 30 Paris, lunch break');
    assert.deepEqual(s.today, ['9 h – 12 h', '14 h – 18 h']);
    assert.equal(s.nextOpening, "aujourd'hui à 14 h");
    assert.equal(s.saturday, true);
    const friday = status('Mo-Fr 09:00-17:00', paris, '2025-02-07T17:30:00Z');
    assert.equal(friday.nextOpening, 'lundi 10 février à 9 h');
    assert.equal(friday.saturday, false);
    const unknown = openingStatus(null, 'Europe/Paris', new Date());
    assert.deepEqual(unknown, { openNow: null, today: null, nextOpening: null, saturday: null });
  });
});
