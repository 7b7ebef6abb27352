import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amountCell, dashboardCsv, monthsOf, readDashboardPeriod, shortMonth } from './dashboard.ts';

const NOW = new Date('2026-06-15T08:00:00Z');

test('a period covers every month from its first day to its last, across a year end', () => {
  assert.deepEqual(monthsOf({ from: '2025-11-20', to: '2026-02-03' }), [
    '2025-11',
    '2025-12',
    '2026-01',
    '2026-02',
  ]);
  assert.deepEqual(monthsOf({ from: '2026-03-01', to: '2026-03-31' }), ['2026-03']);
  assert.equal(shortMonth('2026-12'), 'déc. 26');
  assert.equal(shortMonth('2026-03'), 'mars 26');
});

test('the period is the statistics’ own, and it may not start in the future', () => {
  const year = readDashboardPeriod({}, NOW);
  assert.ok(year.ok);
  assert.deepEqual([year.period.from, year.period.to], ['2026-01-01', '2026-12-31']);
  // Midnight in Paris (UTC+1 in winter) starts the year.
  assert.equal(year.period.start.toISOString(), '2025-12-31T23:00:00.000Z');
  const next = readDashboardPeriod({ annee: '2027' }, NOW);
  assert.deepEqual(next.ok ? null : Object.keys(next.errors), ['annee']);
  const future = readDashboardPeriod({ du: '16/06/2026', au: '30/06/2026' }, NOW);
  assert.deepEqual(future.ok ? null : Object.keys(future.errors), ['du']);
  const today = readDashboardPeriod({ du: '15/06/2026', au: '30/06/2026' }, NOW);
  assert.ok(today.ok, 'a period starting today is fine');
  const missing = readDashboardPeriod({ du: '01/06/2026' }, NOW);
  assert.deepEqual(missing.ok ? null : Object.keys(missing.errors), ['au']);
});

test('amounts are written for French spreadsheets and text cells are made inert', () => {
  assert.equal(amountCell(1050), '10,50');
  assert.equal(amountCell(-1000), '-10,00');
  const year = readDashboardPeriod({}, NOW);
  assert.ok(year.ok);
  const csv = dashboardCsv('Titre', year.period, [['par lieu', '=HYPERLINK("x")', 'chèques encaissés', 3]]);
  assert.ok(csv.startsWith('\uFEFFTitre\r\npériode;2026-01-01 au 2026-12-31\r\n'));
  assert.match(csv, /par lieu;"'=HYPERLINK\(""x""\)";chèques encaissés;3\r\n/);
});
