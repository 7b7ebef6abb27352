import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addWorkingDays,
  easterSunday,
  frenchPublicHolidays,
  isIsoDay,
  isWorkingDay,
  parisDay,
} from './working-days.ts';

describe('French working days', () => {
  it('finds Easter Sunday of known years', () => {
    assert.equal(easterSunday(2024), '2024-03-31');
    assert.equal(easterSunday(2026), '2026-04-05');
    assert.equal(easterSunday(2027), '2027-03-28');
  });

  it('lists the eleven national public holidays, movable ones from Easter', () => {
    const h = [...frenchPublicHolidays(2026)].sort();
    assert.deepEqual(h, [
      '2026-01-01',
      '2026-04-06', // lundi de Pâques
      '2026-05-01',
      '2026-05-08',
      '2026-05-14', // Ascension
      '2026-05-25', // lundi de Pentecôte
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('skips weekends and public holidays when counting working days', () => {
    assert.equal(addWorkingDays('2026-12-04', 2), '2026-12-08'); // Friday → Tuesday
    assert.equal(addWorkingDays('2026-12-07', 2), '2026-12-09'); // Monday → Wednesday
    assert.equal(addWorkingDays('2026-12-23', 2), '2026-12-28'); // Christmas on Friday
    assert.equal(addWorkingDays('2026-05-13', 1), '2026-05-15'); // Ascension Thursday
    assert.equal(isWorkingDay('2026-12-05'), false);
    assert.equal(isWorkingDay('2026-11-11'), false);
    assert.equal(isWorkingDay('2026-11-12'), true);
  });

  it('reads the day in France, not in UTC, around midnight', () => {
    assert.equal(parisDay(new Date('2026-12-06T23:30:00Z')), '2026-12-07'); // 00:30 in Paris
    assert.equal(parisDay(new Date('2026-07-06T22:30:00Z')), '2026-07-07'); // summer time
    assert.equal(parisDay(new Date('2026-12-06T22:30:00Z')), '2026-12-06');
  });

  it('accepts only real days written YYYY-MM-DD', () => {
    assert.equal(isIsoDay('2026-02-28'), true);
    assert.equal(isIsoDay('2026-02-30'), false);
    assert.equal(isIsoDay('07/12/2026'), false);
    assert.equal(isIsoDay('2026-12-07<script>'), false);
  });
});
