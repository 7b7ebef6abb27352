import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerritoryShape } from './territory-shape.ts';

const square = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

const SARAN = { code: '45302', point: { lat: 47.95, lon: 1.876 }, outline: square(1.82, 47.92, 1.93, 47.98) };
const at = (lat: number, lon: number, codeInsee: string | null = '45062') => ({
  codeInsee,
  codePostal: '45520',
  latitude: lat,
  longitude: lon,
});

describe('the territory and its border', () => {
  const shape = new TerritoryShape({ whole: false, label: 'Saran', marginKm: 10, communes: [SARAN] });

  it('keeps a place of a commune of the territory, with or without a position', () => {
    assert.deepEqual(shape.placement({ ...at(0, 0, '45302') }), { inside: true });
    assert.deepEqual(
      shape.placement({ codeInsee: '45302', codePostal: '45770', latitude: null, longitude: null }),
      {
        inside: true,
      },
    );
  });

  it('measures the distance to the outline: 5 km across is kept, 15 km is not', () => {
    const near = shape.placement(at(48.025, 1.89));
    assert.equal(near.inside, false);
    assert.ok(!near.inside && near.kept && Math.abs((near.km ?? 0) - 5) < 0.1, JSON.stringify(near));
    const far = shape.placement(at(48.115, 1.89));
    assert.ok(!far.inside && !far.kept && (far.km ?? 0) > 10, JSON.stringify(far));
  });

  it('takes a position inside the outline for inside, whatever its code says', () => {
    const p = shape.placement(at(47.95, 1.87, '45062'));
    assert.deepEqual(p, { inside: false, km: 0, kept: true });
  });

  it('estimates a far distance from the reference points, for messages', () => {
    const p = shape.placement(at(43.6045, 1.444, '31555'));
    assert.ok(!p.inside && !p.kept && Math.round(p.km ?? 0) === 484, JSON.stringify(p));
  });

  it('falls back to the reference point of a commune without outline (a conservative distance)', () => {
    const points = new TerritoryShape({
      whole: false,
      label: 'Saran',
      marginKm: 10,
      communes: [{ ...SARAN, outline: null }],
    });
    const p = points.placement(at(48.025, 1.89));
    assert.ok(!p.inside && p.kept && (p.km ?? 0) > 8, JSON.stringify(p));
  });

  it('keeps nothing outside when nothing of the territory is loaded, and a place without position', () => {
    const none = new TerritoryShape({
      whole: false,
      label: 'Saran',
      marginKm: 10,
      communes: [{ code: '45302', point: null, outline: null }],
    });
    assert.deepEqual(none.placement(at(48.025, 1.89)), { inside: false, km: null, kept: false });
    assert.deepEqual(
      shape.placement({ codeInsee: '31555', codePostal: '31000', latitude: null, longitude: null }),
      {
        inside: false,
        km: null,
        kept: false,
      },
    );
  });

  it('reads the postcode of a place whose commune is unknown', () => {
    const withPostcodes = new TerritoryShape({
      whole: false,
      label: 'Saran',
      marginKm: 10,
      communes: [SARAN],
      postcodes: ['45770'],
    });
    assert.ok(withPostcodes.keeps({ codeInsee: null, codePostal: '45770', latitude: null, longitude: null }));
  });

  it('keeps every place of the whole country', () => {
    const fr = new TerritoryShape({ whole: true, label: 'France', marginKm: 10, communes: [] });
    assert.ok(fr.keeps(at(43.6045, 1.444, '31555')));
    assert.ok(fr.keeps({ codeInsee: null, codePostal: '31000', latitude: null, longitude: null }));
  });
});
