import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allocatePercentages,
  checkStatisticsQuery,
  periodBuckets,
  presetPeriod,
  splitMonths,
} from './statistics.ts';

const TODAY = '2026-12-07';

describe('activity statistics, pure rules', () => {
  it('gives each preset its days, today (Europe/Paris) included, the past year whole', () => {
    assert.deepEqual(presetPeriod('mois', TODAY), { from: '2026-12-01', to: TODAY });
    assert.deepEqual(presetPeriod('trimestre', TODAY), { from: '2026-10-01', to: TODAY });
    assert.deepEqual(presetPeriod('annee', TODAY), { from: '2026-01-01', to: TODAY });
    assert.deepEqual(presetPeriod('annee-precedente', TODAY), { from: '2025-01-01', to: '2025-12-31' });
    assert.deepEqual(presetPeriod('12mois', TODAY), { from: '2026-01-01', to: TODAY });
    assert.deepEqual(presetPeriod('12mois', '2026-03-15'), { from: '2025-04-01', to: '2026-03-15' });
  });

  it('refuses a period in the wrong order, in the future, too old or too long, naming the field', () => {
    const refused = (input: Record<string, string>) => {
      const r = checkStatisticsQuery(input, TODAY);
      assert.ok(!r.ok);
      return r.errors;
    };
    assert.match(refused({ du: '31/03/2026', au: '01/01/2026' }).au ?? '', /champ « Au ».*champ « Du »/);
    assert.match(refused({ du: '2027-01-01' }).du ?? '', /dans le futur/);
    assert.match(refused({ du: '2026-01-01', au: '2026-12-08' }).au ?? '', /dans le futur/);
    assert.match(refused({ du: '01/01/2020' }).du ?? '', /premier jour possible/);
    assert.match(refused({ du: 'hier' }).du ?? '', /« hier » du champ « Du » n'est pas une date/);
    assert.match(refused({ periode: 'x' }).periode ?? '', /champ « Période »/);
    assert.match(refused({ structure: 'abc' }).structure ?? '', /champ « Structure »/);
    const ok = checkStatisticsQuery(
      { du: '15/01/2026', au: '20/02/2026', par: 'trimestre', type: 'collectif' },
      TODAY,
    );
    assert.ok(ok.ok);
    assert.deepEqual(ok.query, {
      from: '2026-01-15',
      to: '2026-02-20',
      grouping: 'trimestre',
      kind: 'collectif',
      theme: null,
      structureId: null,
      placeId: null,
    });
  });

  it('splits days into whole months (from the sums) and the days around them (from the records)', () => {
    assert.deepEqual(splitMonths([{ from: '2026-01-01', to: '2026-03-31' }]), {
      whole: [{ from: '2026-01-01', to: '2026-03-01' }],
      edges: [],
    });
    assert.deepEqual(splitMonths([{ from: '2026-01-15', to: '2026-04-10' }]), {
      whole: [{ from: '2026-02-01', to: '2026-03-01' }],
      edges: [
        { from: '2026-01-15', to: '2026-01-31' },
        { from: '2026-04-01', to: '2026-04-10' },
      ],
    });
    assert.deepEqual(splitMonths([{ from: '2026-02-03', to: '2026-02-27' }]), {
      whole: [],
      edges: [{ from: '2026-02-03', to: '2026-02-27' }],
    });
    assert.deepEqual(splitMonths([{ from: '2024-02-01', to: '2024-02-29' }]).whole, [
      { from: '2024-02-01', to: '2024-02-01' },
    ]);
    assert.deepEqual(splitMonths([{ from: '2025-12-10', to: '2026-01-31' }]), {
      whole: [{ from: '2026-01-01', to: '2026-01-01' }],
      edges: [{ from: '2025-12-10', to: '2025-12-31' }],
    });
  });

  it('lists every bucket of the period and shares as the Coop rounds them', () => {
    assert.deepEqual(periodBuckets('2025-11-15', '2026-02-01', 'mois'), [
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    assert.deepEqual(periodBuckets('2025-11-15', '2026-02-01', 'trimestre'), ['2025-T4', '2026-T1']);
    assert.deepEqual(periodBuckets('2024-06-01', '2026-02-01', 'annee'), ['2024', '2025', '2026']);
    assert.deepEqual(allocatePercentages([1, 2, 0]), [33.333, 66.667, 0]);
    assert.deepEqual(allocatePercentages([0, 0]), [0, 0]);
  });
});
