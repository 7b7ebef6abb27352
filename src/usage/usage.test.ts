import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysBefore, franceDay } from './usage.ts';
import { countUsage, restorePendingUsage, setUsageCounting, takePendingUsage } from './usage-counter.ts';

describe('the in-memory counter of uses', () => {
  it('counts per day in France and kind, and empties itself when the counts are taken', () => {
    takePendingUsage();
    // 23:30 UTC on 31 March 2026 is already 1 April in France (summer time, UTC+2).
    const lateEvening = Date.parse('2026-03-31T23:30:00Z');
    countUsage('search', lateEvening);
    countUsage('search', lateEvening + 10);
    countUsage('place_view', lateEvening + 20);
    const taken = takePendingUsage().sort((a, b) => a.kind.localeCompare(b.kind));
    assert.deepEqual(taken, [
      { day: '2026-04-01', kind: 'place_view', count: 1 },
      { day: '2026-04-01', kind: 'search', count: 2 },
    ]);
    assert.deepEqual(takePendingUsage(), []);
  });

  it('counts nothing when turned off, and gives back counts that could not be written', () => {
    takePendingUsage();
    setUsageCounting(false);
    countUsage('search');
    assert.deepEqual(takePendingUsage(), []);
    setUsageCounting(true);
    countUsage('search', Date.parse('2026-06-01T10:00:00Z'));
    const taken = takePendingUsage();
    countUsage('search', Date.parse('2026-06-01T10:00:05Z'));
    restorePendingUsage(taken);
    assert.deepEqual(takePendingUsage(), [{ day: '2026-06-01', kind: 'search', count: 2 }]);
  });
});

describe('days in France', () => {
  it('names the day of an instant in France and counts days back across months and years', () => {
    assert.equal(franceDay(new Date('2026-12-31T23:30:00Z')), '2027-01-01');
    assert.equal(franceDay(new Date('2026-07-14T21:59:00Z')), '2026-07-14');
    assert.equal(daysBefore('2027-01-03', 6), '2026-12-28');
    assert.equal(daysBefore('2028-03-01', 1), '2028-02-29');
  });
});
