import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ecoIndex, quantilePosition } from '../support/ecoindex.ts';

describe('the EcoIndex score used by the browser suite', () => {
  it('places values in the quantiles, interpolating inside an interval', () => {
    assert.equal(quantilePosition([0, 10, 30], 0), 0);
    assert.equal(quantilePosition([0, 10, 30], 10), 1);
    assert.equal(quantilePosition([0, 10, 30], 20), 1.5);
    assert.equal(quantilePosition([0, 10, 30], 99), 2);
  });

  it('gives 100 to an empty page and 95 to a page on the first boundary of each table', () => {
    assert.deepEqual(ecoIndex({ elements: 0, requests: 0, kilobytes: 0 }), { score: 100, grade: 'A' });
    // 47 elements, 2 requests and 1.37 KB are each at position 1: 100 − 5 × (3 + 2 + 1) / 6 = 95.
    assert.deepEqual(ecoIndex({ elements: 47, requests: 2, kilobytes: 1.37 }), { score: 95, grade: 'A' });
  });

  it('grades a heavy page low (the national map embed: 2.7 MB in 29 requests)', () => {
    const heavy = ecoIndex({ elements: 1500, requests: 29, kilobytes: 2700 });
    assert.ok(heavy.score < 55, String(heavy.score));
    assert.notEqual(heavy.grade, 'A');
    // 80 exactly is a B: grade A needs more than 80.
    assert.equal(ecoIndex({ elements: 358, requests: 15, kilobytes: 144.7 }).grade, 'B');
  });

  it('explains the paged coverage table: the Loiret with its 325 rows is a D, in pages of 25 a B', () => {
    // Measured in the reference suite (test/reference/maps.reference.test.ts), cache off.
    assert.equal(ecoIndex({ elements: 2522, requests: 3, kilobytes: 31.6 }).grade, 'D');
    assert.equal(ecoIndex({ elements: 426, requests: 3, kilobytes: 25.2 }).grade, 'B');
    // Within the coverage budget (100 KB, 5 requests), a B allows about 640 elements and no more.
    assert.equal(ecoIndex({ elements: 620, requests: 5, kilobytes: 100 }).grade, 'B');
    assert.equal(ecoIndex({ elements: 700, requests: 5, kilobytes: 100 }).grade, 'C');
  });
});
