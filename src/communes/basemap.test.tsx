import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Box,
  CommuneLayer,
  clipRing,
  labelBox,
  nameCandidates,
  outlinePath,
  type Point,
  type Project,
  placeLabels,
  ringPath,
  roundScale,
  simplifyLine,
} from './basemap.tsx';
import type { Geometry } from './geometry.ts';

const FRAME: Box = { x0: 0, y0: 0, x1: 600, y1: 400 };
/** A plain projection for tests: one degree is 100 px, y downwards. */
const project: Project = (lon, lat) => [lon * 100, 400 - lat * 100];

/** A square commune of `size` degrees whose south-west corner is (lon, lat), with many points on each side. */
function square(lon: number, lat: number, size: number, perSide = 50): Geometry {
  const ring: [number, number][] = [];
  const corners: [number, number][] = [
    [lon, lat],
    [lon + size, lat],
    [lon + size, lat + size],
    [lon, lat + size],
  ];
  for (let c = 0; c < 4; c++) {
    const [ax, ay] = corners[c] as [number, number];
    const [bx, by] = corners[(c + 1) % 4] as [number, number];
    for (let i = 0; i < perSide; i++)
      ring.push([ax + ((bx - ax) * i) / perSide, ay + ((by - ay) * i) / perSide + (i % 2 ? 1e-4 : 0)]);
  }
  ring.push(ring[0] as [number, number]);
  return { type: 'Polygon', coordinates: [ring] };
}

describe('the map background: outlines simplified to the pixel and clipped to the frame', () => {
  it('keeps only the points that matter at the given tolerance (Douglas–Peucker)', () => {
    const line: Point[] = [
      [0, 0],
      [1, 0.1],
      [2, -0.1],
      [3, 5],
      [4, 6],
      [5, 7],
      [6, 8.05],
    ];
    assert.deepEqual(simplifyLine(line, 0.5), [
      [0, 0],
      [2, -0.1],
      [3, 5],
      [6, 8.05],
    ]);
    // At zero tolerance, only a point exactly on the line between its neighbours goes: (4, 6).
    assert.deepEqual(
      simplifyLine(line, 0),
      line.filter(([x]) => x !== 4),
    );
  });

  it('clips a ring to the frame and drops a ring outside it', () => {
    const ring: Point[] = [
      [-50, 100],
      [100, 100],
      [100, 200],
      [-50, 200],
    ];
    const clipped = clipRing(ring, FRAME);
    assert.ok(clipped.every(([x, y]) => x >= 0 && x <= 600 && y >= 0 && y <= 400));
    assert.deepEqual(
      clipped.map(([x]) => x).sort((a, b) => a - b),
      [0, 0, 100, 100],
    );
    assert.deepEqual(
      clipRing(
        [
          [700, 10],
          [800, 10],
          [800, 50],
        ],
        FRAME,
      ),
      [],
    );
  });

  it('writes short path data: whole pixels, relative moves, closed', () => {
    assert.equal(
      ringPath([
        [10.2, 20.4],
        [14, 18],
        [14.1, 18.2],
        [9, 25],
      ]),
      'M10 20l4-2-5 7z',
    );
  });

  it('makes a 200-point commune cost a few bytes, and nothing when outside the frame', () => {
    const commune = square(1, 1, 1);
    const d = outlinePath(commune, project, FRAME, 1);
    assert.match(d, /^M\d+ \d+l[-\d ]+z$/);
    assert.ok(d.length < 40, `${d.length} characters: ${d}`);
    assert.equal(outlinePath(square(20, 20, 1), project, FRAME), '');
  });
});

describe('commune names: placed where they fit, never on top of each other', () => {
  it('places names in the order given and skips one that would overlap or leave the frame', () => {
    const placed = placeLabels(
      [
        { text: 'Orléans', at: [{ x: 100, y: 100 }] },
        { text: 'Olivet', at: [{ x: 110, y: 104 }] },
        {
          text: 'Saran',
          at: [
            { x: 110, y: 104 },
            { x: 110, y: 150 },
          ],
        },
        { text: 'Saint-Jean-de-la-Ruelle', at: [{ x: 595, y: 200 }] },
      ],
      12,
      FRAME,
    );
    assert.deepEqual(placed, [
      { text: 'Orléans', x: 100, y: 100 },
      { text: 'Saran', x: 110, y: 150 },
    ]);
  });

  it('keeps clear of obstacles (markers, scale, legend)', () => {
    const marker = { x0: 90, y0: 90, x1: 110, y1: 110 };
    assert.deepEqual(placeLabels([{ text: 'Ingré', at: [{ x: 100, y: 100 }] }], 12, FRAME, [marker]), []);
  });

  it('names the most populated commune first, at a point inside the part the frame shows', () => {
    const outlines = [
      { code: '1', nom: 'Petite', population: 100, geometry: square(1, 1, 1) },
      { code: '2', nom: 'Grande', population: 5000, geometry: square(2, 1, 1) },
      // Half outside the frame: its name goes in the visible half.
      { code: '3', nom: 'Coupée', population: 50, geometry: square(5.5, 1, 1) },
    ];
    const candidates = nameCandidates(outlines, project, FRAME, 12);
    assert.deepEqual(
      candidates.map((c) => c.text),
      ['Grande', 'Petite', 'Coupée'],
    );
    const first = candidates[0]?.at[0];
    assert.ok(first && first.x > 200 && first.x < 300 && first.y > 200 && first.y < 300);
    const cut = candidates[2]?.at[0];
    assert.ok(cut && cut.x >= 550 && cut.x <= 600, JSON.stringify(cut));
    const box = labelBox('Grande', first.x, first.y, 12);
    assert.ok(box.x1 - box.x0 < 100);
  });

  it('draws all outlines in one path and the names at 12 px in the layer', () => {
    const html = String(
      <CommuneLayer
        outlines={[
          { code: '1', nom: 'Petite', population: 100, geometry: square(1, 1, 1) },
          { code: '2', nom: 'Grande', population: 5000, geometry: square(2, 1, 1) },
        ]}
        project={project}
        frame={FRAME}
        fontSize={12}
      />,
    );
    assert.equal((html.match(/<path /g) ?? []).length, 1);
    assert.match(html, /font-size="12"/);
    assert.match(html, />Grande<\/text>/);
    assert.match(html, />Petite<\/text>/);
  });

  it('gives a round scale length under the allowed width', () => {
    assert.deepEqual(roundScale(10, 160), { metres: 1000, px: 100 });
    assert.deepEqual(roundScale(100, 150), { metres: 10_000, px: 100 });
  });
});
