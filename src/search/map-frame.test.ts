import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameMap, MAP_HEIGHT, MAP_WIDTH } from './map-frame.ts';

/** Places of Orléans Métropole, a few kilometres apart. */
const ORLEANS = [
  { lat: 47.9029, lon: 1.9093 },
  { lat: 47.8667, lon: 1.9167 },
  { lat: 47.9333, lon: 1.85 },
  { lat: 47.8833, lon: 2.0 },
];

describe('the results map’s frame', () => {
  it('has nothing to frame without a position', () => {
    assert.equal(frameMap([]), null);
  });

  it('draws every position inside the box, off its margins and above the scale bar', () => {
    const frame = frameMap(ORLEANS);
    assert.ok(frame);
    for (const p of ORLEANS) {
      const { x, y } = frame.project(p.lat, p.lon);
      assert.ok(x >= 27.9 && x <= MAP_WIDTH - 27.9, `x = ${x}`);
      assert.ok(y >= 27.9 && y <= MAP_HEIGHT - 57.9, `y = ${y}`);
    }
    // North is up, east is right.
    assert.ok(frame.project(47.9333, 1.85).y < frame.project(47.8667, 1.9167).y);
    assert.ok(frame.project(47.8833, 2.0).x > frame.project(47.9333, 1.85).x);
  });

  it('centres a lone position and does not zoom to a street corner', () => {
    const frame = frameMap([{ lat: 47.9, lon: 1.9 }]);
    assert.ok(frame);
    assert.deepEqual(frame.project(47.9, 1.9), { x: MAP_WIDTH / 2, y: MAP_HEIGHT / 2 - 15 });
    assert.ok(frame.scaleM >= 50, `scale of ${frame.scaleM} m`);
  });

  it('gives the scale bar a round length of at most 160 pixels', () => {
    const frame = frameMap(ORLEANS);
    assert.ok(frame);
    assert.ok([1000, 2000, 5000].includes(frame.scaleM), `${frame.scaleM} m`);
    assert.ok(frame.scalePx > 0 && frame.scalePx <= 160, `${frame.scalePx} px`);
  });
});
