import { type Geometry, geometryContains, interiorPoint, type Polygon, polygonsOf } from './geometry.ts';

/**
 * The background of every map drawn on the server: the communes' outlines and names, a scale bar and a
 * north arrow. Pure. Outlines are projected first, then simplified to the pixel (Douglas–Peucker, so a
 * commune costs a few hundred bytes whatever the file's detail) and clipped to the frame; names are
 * placed greedily, largest commune first, where their box overlaps nothing already drawn
 * (docs/decisions/0033-maps-outlines-and-labels.md).
 */
export type Point = [number, number];
/** Longitude, latitude → SVG x, y. */
export type Project = (lon: number, lat: number) => Point;
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A commune to draw: its outline (GeoJSON, lon/lat) and its name; larger ones get their name first. */
export interface CommuneOutline {
  code: string;
  nom: string;
  population: number;
  geometry: Geometry;
}

function segmentDistance2(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return x * x + y * y;
}

/** Douglas–Peucker: the fewest points that stay within `tolerance` of the line (iterative, no recursion). */
export function simplifyLine(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  const tol2 = tolerance * tolerance;
  while (stack.length) {
    const [first, last] = stack.pop() as [number, number];
    let worst = -1;
    let worstD = tol2;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(points[i] as Point, points[first] as Point, points[last] as Point);
      if (d > worstD) {
        worst = i;
        worstD = d;
      }
    }
    if (worst > 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** Sutherland–Hodgman: the part of a closed ring inside the box (a ring outside gives none). */
export function clipRing(ring: readonly Point[], box: Box): Point[] {
  const edges: [(p: Point) => boolean, (a: Point, b: Point) => Point][] = [
    [(p) => p[0] >= box.x0, (a, b) => cut(a, b, 0, box.x0)],
    [(p) => p[0] <= box.x1, (a, b) => cut(a, b, 0, box.x1)],
    [(p) => p[1] >= box.y0, (a, b) => cut(a, b, 1, box.y0)],
    [(p) => p[1] <= box.y1, (a, b) => cut(a, b, 1, box.y1)],
  ];
  let out: Point[] = [...ring];
  for (const [inside, intersect] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i] as Point;
      const prev = input[(i + input.length - 1) % input.length] as Point;
      if (inside(cur)) {
        if (!inside(prev)) out.push(intersect(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(intersect(prev, cur));
    }
    if (out.length === 0) return [];
  }
  return out;
}

function cut(a: Point, b: Point, axis: 0 | 1, value: number): Point {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  return axis === 0 ? [value, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), value];
}

/** A ring as SVG path data, whole pixels, relative moves (short: "M12 30l4-2 3 5z"). */
export function ringPath(ring: readonly Point[]): string {
  const pts = ring.map(([x, y]) => [Math.round(x), Math.round(y)] as const);
  const deduped = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1]?.[0] || p[1] !== pts[i - 1]?.[1]);
  if (deduped.length < 3) return '';
  const [x0, y0] = deduped[0] as readonly [number, number];
  let d = `M${x0} ${y0}l`;
  let px = x0;
  let py = y0;
  const parts: string[] = [];
  for (const [x, y] of deduped.slice(1)) {
    parts.push(`${x - px} ${y - py}`.replace(/ -/g, '-'));
    px = x;
    py = y;
  }
  d += parts.join(' ').replace(/ -/g, '-');
  return `${d}z`;
}

/**
 * An outline as SVG path data in the frame: projected, simplified to `tolerance` pixels, clipped to the
 * box (with a margin so that clipped edges fall outside the visible frame). Empty when nothing shows.
 */
export function outlinePath(geometry: Geometry, project: Project, box: Box, tolerance = 1): string {
  const margin = { x0: box.x0 - 4, y0: box.y0 - 4, x1: box.x1 + 4, y1: box.y1 + 4 };
  const parts: string[] = [];
  for (const polygon of polygonsOf(geometry))
    for (const ring of polygon) {
      const projected = ring.map(([lon, lat]) => project(lon, lat));
      const simplified = simplifyLine(projected, tolerance);
      if (simplified.length < 4) continue;
      const clipped = clipRing(simplified.slice(0, -1), margin);
      const d = clipped.length >= 3 ? ringPath(clipped) : '';
      if (d) parts.push(d);
    }
  return parts.join('');
}

/** Whether a geometry's box meets the frame's (after projection): cheap test before drawing. */
export function touchesBox(geometry: Geometry, project: Project, box: Box): boolean {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const polygon of polygonsOf(geometry))
    for (const [lon, lat] of polygon[0] ?? []) {
      const [x, y] = project(lon, lat);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  return x1 >= box.x0 && x0 <= box.x1 && y1 >= box.y0 && y0 <= box.y1;
}

export interface Label {
  text: string;
  x: number;
  y: number;
}

/** The box a label takes, centred on its point; widths estimated for a sans-serif (0.58 em a letter). */
export function labelBox(text: string, x: number, y: number, fontSize: number): Box {
  const w = text.length * fontSize * 0.58 + 4;
  const h = fontSize * 1.2;
  return { x0: x - w / 2, y0: y - h / 2, x1: x + w / 2, y1: y + h / 2 };
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** A name and the points where it may stand, best first. */
export interface LabelCandidate {
  text: string;
  at: readonly { x: number; y: number }[];
}

/**
 * Names placed greedily in the order given: each one at its first point where its box stays inside the
 * frame and overlaps neither a name already placed nor an obstacle (markers, legend); otherwise skipped
 * (the page's text names every commune anyway).
 */
export function placeLabels(
  candidates: readonly LabelCandidate[],
  fontSize: number,
  frame: Box,
  obstacles: readonly Box[] = [],
): Label[] {
  const taken: Box[] = [...obstacles];
  const placed: Label[] = [];
  for (const c of candidates)
    for (const { x, y } of c.at) {
      const b = labelBox(c.text, x, y, fontSize);
      if (b.x0 < frame.x0 || b.y0 < frame.y0 || b.x1 > frame.x1 || b.y1 > frame.y1) continue;
      if (taken.some((t) => overlaps(t, b))) continue;
      taken.push(b);
      placed.push({ text: c.text, x, y });
      break;
    }
  return placed;
}

/**
 * Each commune's name at points inside the part of it that the frame shows (its interior point there,
 * then a little above, below, left and right of it), largest population first (the order of placement).
 */
export function nameCandidates(
  outlines: readonly CommuneOutline[],
  project: Project,
  frame: Box,
  fontSize: number,
): LabelCandidate[] {
  return [...outlines]
    .sort((a, b) => b.population - a.population || a.nom.localeCompare(b.nom, 'fr'))
    .flatMap((o) => {
      const visible = polygonsOf(o.geometry)
        .map((polygon) =>
          clipRing(
            (polygon[0] ?? []).map(([lon, lat]) => project(lon, lat)),
            frame,
          ),
        )
        .filter((ring) => ring.length >= 3)
        .map((ring) => [[...ring, ring[0] as Point]] as Polygon);
      if (visible.length === 0) return [];
      const shape: Geometry = { type: 'MultiPolygon', coordinates: visible };
      const p = interiorPoint(shape);
      if (!p) return [];
      const dy = fontSize * 1.4;
      const dx = o.nom.length * fontSize * 0.3;
      // Then points of a coarse grid over the visible part, nearest to the interior point first.
      const xs = visible.flatMap((poly) => (poly[0] ?? []).map((q) => q[0]));
      const ys = visible.flatMap((poly) => (poly[0] ?? []).map((q) => q[1]));
      const grid: number[][] = [];
      const step = fontSize * 1.5;
      for (let x = Math.min(...xs); x <= Math.max(...xs); x += step)
        for (let y = Math.min(...ys); y <= Math.max(...ys); y += step) grid.push([x, y]);
      grid.sort(
        (a, b) => Math.hypot(a[0]! - p.lon, a[1]! - p.lat) - Math.hypot(b[0]! - p.lon, b[1]! - p.lat),
      );
      const at = [
        [p.lon, p.lat],
        [p.lon, p.lat - dy],
        [p.lon, p.lat + dy],
        [p.lon - dx, p.lat],
        [p.lon + dx, p.lat],
        ...grid.slice(0, 60),
      ]
        .filter(([x, y]) => geometryContains(shape, x as number, y as number))
        .map(([x, y]) => ({ x: Math.round(x as number), y: Math.round(y as number) }));
      return [{ text: o.nom, at }];
    });
}

/** The outlines (one path: cheap for the page) and names of the communes that show in the frame. */
export function CommuneLayer(props: {
  outlines: readonly CommuneOutline[];
  project: Project;
  frame: Box;
  fontSize: number;
  obstacles?: readonly Box[];
  tolerance?: number;
}) {
  const shown = props.outlines.filter((o) => touchesBox(o.geometry, props.project, props.frame));
  if (shown.length === 0) return null;
  const d = shown.map((o) => outlinePath(o.geometry, props.project, props.frame, props.tolerance)).join('');
  const labels = placeLabels(
    nameCandidates(shown, props.project, props.frame, props.fontSize),
    props.fontSize,
    props.frame,
    props.obstacles,
  );
  return (
    <g class="communes">
      <path d={d} fill="#ffffff" stroke="#8c8c99" stroke-width="1.2" stroke-linejoin="round" />
      <CommuneNames labels={labels} fontSize={props.fontSize} />
    </g>
  );
}

/** Commune names, dark on a white halo (readable over any fill). */
export function CommuneNames(props: { labels: readonly Label[]; fontSize: number }) {
  return (
    <g
      font-size={String(props.fontSize)}
      font-family="Arial, Helvetica, sans-serif"
      fill="#3d3d47"
      stroke="#ffffff"
      stroke-width="3"
      paint-order="stroke"
      stroke-linejoin="round"
      text-anchor="middle"
    >
      {props.labels.map((l) => (
        <text x={String(l.x)} y={String(Math.round(l.y + props.fontSize * 0.35))}>
          {l.text}
        </text>
      ))}
    </g>
  );
}

/** A north arrow whose tip is at (x, y): a filled half and an empty half, and an "N" under it. */
export function NorthArrow(props: { x: number; y: number }) {
  const { x, y } = props;
  return (
    <g>
      <path d={`M${x} ${y}l-8 24 8-6z`} fill="#1b1b1f" />
      <path d={`M${x} ${y}l8 24-8-6z`} fill="#ffffff" stroke="#1b1b1f" stroke-width="1.2" />
      <text
        x={String(x)}
        y={String(y + 40)}
        font-size="14"
        font-weight="700"
        font-family="Arial, Helvetica, sans-serif"
        text-anchor="middle"
        fill="#1b1b1f"
        stroke="#ffffff"
        stroke-width="3"
        paint-order="stroke"
      >
        N
      </text>
    </g>
  );
}

/** A scale bar from (x, y): `px` pixels long, labelled with its length in words ("1 km"). */
export function ScaleBar(props: { x: number; y: number; px: number; label: string }) {
  const { x, y, px } = props;
  return (
    <g>
      <path d={`M${x} ${y - 8}v8h${px}v-8`} fill="none" stroke="#ffffff" stroke-width="5" />
      <path d={`M${x} ${y - 8}v8h${px}v-8`} fill="none" stroke="#1b1b1f" stroke-width="2" />
      <text
        x={String(x + px + 6)}
        y={String(y)}
        font-size="14"
        font-family="Arial, Helvetica, sans-serif"
        fill="#1b1b1f"
        stroke="#ffffff"
        stroke-width="3"
        paint-order="stroke"
      >
        {props.label}
      </text>
    </g>
  );
}

/** A round length for a scale bar of at most `maxPx` pixels at `metresPerPx`. */
export function roundScale(metresPerPx: number, maxPx: number): { metres: number; px: number } {
  const steps = [50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];
  const metres = [...steps].reverse().find((m) => m / metresPerPx <= maxPx) ?? 50;
  return { metres, px: Math.round(metres / metresPerPx) };
}

/** "500 m", "2 km", "1,5 km". */
export function scaleWords(metres: number): string {
  return metres < 1000
    ? `${metres} m`
    : `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(metres / 1000)} km`;
}
