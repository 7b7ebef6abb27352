import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attackOpenData } from '../../test/support/open-data-attacker.ts';
import { csvFiles, generate, SHAPES, type Shape } from '../../test/support/open-data-generator.ts';
import { buildOpenData, lastCompleteMonth, monthsBetween, openDataCsv } from './open-data.ts';
import { cellKey, suppressSmallCounts } from './open-data-suppression.ts';

describe('open data of activity records: small counts secret in every file together', () => {
  it('counts the last complete month and the months between two months, by year', () => {
    assert.equal(lastCompleteMonth('2026-01-15'), '2025-12');
    assert.equal(lastCompleteMonth('2026-10-01'), '2026-09');
    assert.deepEqual(monthsBetween('2025-11', '2026-02'), [
      { year: '2025', months: ['2025-11', '2025-12'] },
      { year: '2026', months: ['2026-01', '2026-02'] },
    ]);
  });

  it('gives every secret cell a cycle of secret cells that keeps every published sum true and moves it by 5 or more', () => {
    // A small lattice written out by hand; each cycle is checked against its sums.
    const geo = [{ id: 'T', parent: null }, ...['a', 'b'].map((id) => ({ id, parent: 'T' }))];
    const s = suppressSmallCounts({
      geo,
      years: [{ year: '2025', months: ['2025-01', '2025-02', '2025-03'] }],
      leafCounts: new Map([
        [cellKey('a', '2025-01'), 2],
        [cellKey('a', '2025-02'), 9],
        [cellKey('a', '2025-03'), 30],
        [cellKey('b', '2025-01'), 7],
        [cellKey('b', '2025-02'), 8],
        [cellKey('b', '2025-03'), 1],
      ]),
    });
    for (const cycle of s.cycles) {
      const delta = new Map(cycle);
      for (const [cell] of cycle) assert.ok(s.masked.has(cell), `${cell} in a cycle is secret`);
      // Every sum: leaves of T by period, months of each place.
      for (const t of ['2025-01', '2025-02', '2025-03', '2025'])
        assert.equal(
          (delta.get(`a|${t}`) ?? 0) + (delta.get(`b|${t}`) ?? 0),
          delta.get(`T|${t}`) ?? 0,
          `T ${t}`,
        );
      for (const g of ['a', 'b', 'T'])
        assert.equal(
          ['2025-01', '2025-02', '2025-03'].reduce((a, m) => a + (delta.get(`${g}|${m}`) ?? 0), 0),
          delta.get(`${g}|2025`) ?? 0,
          `${g} 2025`,
        );
    }
    for (const cell of s.masked) assert.ok((s.widths.get(cell) ?? 0) >= 5, `${cell} protected`);
    assert.ok(s.primary.has('a|2025-01') && s.primary.has('b|2025-03'));
  });

  it('keeps the territory’s months (published by the activities API too) out of secondary suppression, unless every commune’s month is small', () => {
    // With many small cells a 1 can only be covered through the territory's months: said in decision 0053.
    for (const shape of SHAPES.filter((s) => s.name !== 'many small cells'))
      for (const seed of [11, 12, 13]) {
        const input = generate(shape, seed);
        const totals = new Map<string, number>();
        for (const c of input.counts) totals.set(c.month, (totals.get(c.month) ?? 0) + c.accompaniments);
        const months = buildOpenData(input).files.find((f) => f.name === 'accompagnements-territoire-mois');
        for (const row of months?.rows ?? [])
          if (row[2] === 'oui')
            assert.ok(
              (totals.get(String(row[0])) ?? 0) < 5,
              `${shape.name} #${seed}: ${row[0]} secret though not small`,
            );
      }
  });

  it('keeps zeros published and never shows a figure under 5', () => {
    const input = generate(SHAPES[0] as Shape, 3);
    const set = buildOpenData(input);
    let zeros = 0;
    for (const f of set.files)
      for (const row of f.rows) {
        const value = row[row.length - 2];
        const secret = row[row.length - 1];
        if (secret === 'oui') assert.equal(value, null);
        else {
          assert.equal(typeof value, 'number');
          assert.ok(value === 0 || (value as number) >= 5, `${f.name}: ${row.join(';')}`);
          if (value === 0) zeros++;
        }
      }
    assert.ok(zeros > 0, 'some zeros are published');
  });

  it('withstands a linear-programming attacker on all the files together, for several seeds and shapes', async () => {
    const lines: string[] = [];
    for (const shape of SHAPES)
      for (const seed of [11, 12, 13]) {
        const { set, files } = csvFiles(generate(shape, seed));
        const attack = await attackOpenData(files);
        assert.deepEqual(attack.inconsistent, [], `${shape.name} #${seed}: the files add up`);
        assert.deepEqual(attack.exposed, [], `${shape.name} #${seed}: no secret narrower than 5`);
        lines.push(
          `${shape.name} #${seed}: ${set.cells} cells, ${set.primary} under 5 (${pct(set.primary, set.cells)}), ${set.masked} secret (${pct(set.masked, set.cells)}), narrowest LP width ${attack.narrowest}`,
        );
      }
    console.log(lines.join('\n'));
  });

  it('withstands the attacker with whole numbers and with bounds at 0', async () => {
    for (const shape of SHAPES.slice(1, 3)) {
      const { files } = csvFiles(generate(shape, 21));
      const integer = await attackOpenData(files, { integer: true });
      assert.deepEqual(integer.exposed, [], `${shape.name}: integer attack`);
      const zero = await attackOpenData(files, { lowerBound: 0 });
      assert.deepEqual(zero.exposed, [], `${shape.name}: bounds at 0`);
    }
  });

  it('is caught by the attacker when only the counts under 5 are hidden (the test can fail)', async () => {
    for (const shape of SHAPES.slice(0, 3)) {
      const { files } = csvFiles(generate(shape, 11), { secondary: false });
      const attack = await attackOpenData(files);
      assert.ok(attack.exposed.length > 0, `${shape.name}: primary suppression alone leaks`);
      assert.ok(
        attack.exposed.some((e) => e.min === e.max),
        `${shape.name}: some secret is recomputed exactly`,
      );
    }
  });

  it('publishes nothing but headers before the first record, and the same files for the same records', () => {
    const empty = buildOpenData({ counts: [], themes: [], placeOf: () => null, lastMonth: '2026-01' });
    assert.equal(empty.period, null);
    for (const f of empty.files) assert.deepEqual(f.rows, []);
    const input = generate(SHAPES[1] as Shape, 5);
    assert.deepEqual(
      buildOpenData(input).files.map(openDataCsv),
      buildOpenData({ ...input, counts: [...input.counts].reverse() }).files.map(openDataCsv),
    );
  });
});

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
