import { geoMercator } from 'd3-geo';
import {
  type Box,
  CommuneNames,
  type CommuneOutline,
  NorthArrow,
  nameCandidates,
  outlinePath,
  type Project,
  placeLabels,
  roundScale,
  ScaleBar,
  scaleWords,
} from '../communes/basemap.tsx';
import type { Geometry } from '../communes/geometry.ts';
import type { CommuneCoverage, CoverageAnalysis } from './coverage.ts';

/**
 * The coverage choropleth, one SVG that stands on its own: a title with the threshold and the date, the
 * communes coloured and patterned by distance class and named where they fit, the proposed sites, a
 * legend with the class bounds, a scale, the north and the sources. The page shows it and
 * `/couverture.svg` downloads the very same drawing (docs/decisions/0033-maps-outlines-and-labels.md).
 */

/** Distance classes of the map and the table: each has a colour, a pattern and a words label. */
export type DistanceClass = 'near' | 'within' | 'beyond' | 'none';

export interface ClassStyle {
  label: (radius: number) => string;
  fill: string;
  /** A pattern drawn over the colour, so that colour is not the only cue. */
  pattern: string | null;
  short: string;
}

export const CLASSES: Record<DistanceClass, ClassStyle> = {
  near: {
    label: (r) => `lieu le plus proche à moins de ${fmtKm(r / 2)} km`,
    fill: '#b7dfa5',
    pattern: null,
    short: 'A',
  },
  within: {
    label: (r) => `lieu le plus proche de ${fmtKm(r / 2)} à ${fmtKm(r)} km`,
    fill: '#f2e394',
    pattern: 'motif-points',
    short: 'B',
  },
  beyond: {
    label: (r) => `lieu le plus proche au-delà de ${fmtKm(r)} km`,
    fill: '#f0a050',
    pattern: 'motif-hachures',
    short: 'C',
  },
  none: {
    label: () => 'aucun lieu ne propose ce service',
    fill: '#b42318',
    pattern: 'motif-croisillons',
    short: 'D',
  },
};

export function distanceClass(c: CommuneCoverage, radius: number): DistanceClass {
  if (c.nearestKm === null) return 'none';
  if (c.beyond) return 'beyond';
  return c.nearestKm <= radius / 2 ? 'near' : 'within';
}

export function fmtKm(km: number): string {
  return new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(km);
}

export const COVERAGE_MAP = { width: 960, height: 700 } as const;
const MAP_BOX: Box = { x0: 10, y0: 84, x1: 680, y1: 660 };
const FONT = 13;
const SANS = 'Arial, Helvetica, sans-serif';

export const OUTLINES_SOURCE = 'Contours des communes : IGN – ADMIN EXPRESS, Licence Ouverte 2.0';

export interface CoverageMapInput {
  label: string;
  analysis: CoverageAnalysis;
  outlines: ReadonlyMap<string, Geometry>;
  service: string | null;
  /** The day the figures were computed, in words ("6 décembre 2026"). */
  date: string;
  /** The SVG's element ids are prefixed so that it can stand in a page or alone. */
  idPrefix?: string;
}

/** Rewinds rings to d3-geo's spherical convention (exterior clockwise), whatever the file's order. */
function rewind(geometry: Geometry): GeoJSON.Geometry {
  const area = (ring: [number, number][]) => {
    let sum = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j] as [number, number];
      const b = ring[i] as [number, number];
      sum += a[0] * b[1] - b[0] * a[1];
    }
    return sum;
  };
  const fix = (rings: [number, number][][]) =>
    rings.map((ring, i) => ((i === 0) === area(ring) < 0 ? ring : [...ring].reverse()));
  if (geometry.type === 'Polygon')
    return { type: 'Polygon', coordinates: fix(geometry.coordinates as [number, number][][]) };
  return { type: 'MultiPolygon', coordinates: (geometry.coordinates as [number, number][][][]).map(fix) };
}

function Patterns(props: { id: (s: string) => string }) {
  return (
    <defs>
      <pattern id={props.id('motif-points')} width="7" height="7" patternUnits="userSpaceOnUse">
        <circle cx="3.5" cy="3.5" r="1.4" fill="#1f2328" />
      </pattern>
      <pattern id={props.id('motif-hachures')} width="7" height="7" patternUnits="userSpaceOnUse">
        <path d="M0,7L7,0M-1,1L1,-1M6,8L8,6" stroke="#1f2328" stroke-width="1.3" />
      </pattern>
      <pattern id={props.id('motif-croisillons')} width="7" height="7" patternUnits="userSpaceOnUse">
        <path d="M0,7L7,0M0,0L7,7" stroke="#ffffff" stroke-width="1.4" />
      </pattern>
    </defs>
  );
}

/** The words of the map for screen readers and for the page: title, and what the colours say. */
export function coverageMapWords(input: CoverageMapInput): { title: string; subtitle: string; desc: string } {
  const { analysis } = input;
  const radius = analysis.radiusKm;
  const counts = countByClass(analysis.communes, radius);
  const title = `Distance au lieu d'aide au numérique le plus proche : ${input.label}`;
  const subtitle = `Seuil : ${fmtKm(radius)} km à vol d'oiseau · ${input.service ? `service « ${input.service} »` : 'tous les services'} · chiffres du ${input.date}`;
  const desc =
    `${analysis.communes.length} communes. ` +
    (Object.keys(CLASSES) as DistanceClass[])
      .filter((k) => counts[k] > 0)
      .map((k) => `${counts[k]} commune${counts[k] > 1 ? 's' : ''} : ${CLASSES[k].label(radius)}`)
      .join(' ; ') +
    '. ' +
    (analysis.suggestions.length
      ? `Communes où ouvrir un lieu en priorité : ${analysis.suggestions.map((s) => s.nom).join(', ')}. `
      : '') +
    'Le tableau des communes, sur la page, donne les mêmes informations.';
  return { title, subtitle, desc };
}

function countByClass(communes: readonly CommuneCoverage[], radius: number): Record<DistanceClass, number> {
  const counts: Record<DistanceClass, number> = { near: 0, within: 0, beyond: 0, none: 0 };
  for (const c of communes) counts[distanceClass(c, radius)]++;
  return counts;
}

/** The choropleth as one standalone SVG element (also valid inside a page). */
export function CoverageMapSvg(props: CoverageMapInput) {
  const { analysis, outlines } = props;
  const id = (s: string) => `${props.idPrefix ?? ''}${s}`;
  const radius = analysis.radiusKm;
  const { width: W, height: H } = COVERAGE_MAP;
  const words = coverageMapWords(props);
  const useOutlines = analysis.communes.length > 0 && analysis.communes.every((c) => outlines.has(c.code));
  const features = useOutlines
    ? analysis.communes.map((c) => ({
        type: 'Feature' as const,
        properties: {},
        geometry: rewind(outlines.get(c.code) as Geometry),
      }))
    : [
        {
          type: 'Feature' as const,
          properties: {},
          geometry: {
            type: 'MultiPoint' as const,
            coordinates: analysis.communes.map((c) => [c.lon, c.lat]),
          },
        },
      ];
  const projection = geoMercator().fitExtent(
    [
      [MAP_BOX.x0 + 10, MAP_BOX.y0 + 10],
      [MAP_BOX.x1 - 10, MAP_BOX.y1 - 30],
    ],
    { type: 'FeatureCollection', features },
  );
  const project: Project = (lon, lat) => projection([lon, lat]) ?? [0, 0];
  // Metres a pixel, measured along the parallel through the middle of the map.
  const [midLon, midLat] = projection.invert?.([
    (MAP_BOX.x0 + MAP_BOX.x1) / 2,
    (MAP_BOX.y0 + MAP_BOX.y1) / 2,
  ]) ?? [0, 0];
  const [ax] = project(midLon, midLat);
  const [bx] = project(midLon + 0.1, midLat);
  const metresPerPx = (0.1 * 111_320 * Math.cos((midLat * Math.PI) / 180)) / Math.max(1e-9, bx - ax);
  const scale = roundScale(metresPerPx, 150);
  const byClass = new Map<DistanceClass, string[]>();
  const maxPop = Math.max(1, ...analysis.communes.map((c) => c.population));
  for (const c of analysis.communes) {
    const k = distanceClass(c, radius);
    let d: string;
    if (useOutlines) d = outlinePath(outlines.get(c.code) as Geometry, project, MAP_BOX, 0.7);
    else {
      const [x, y] = project(c.lon, c.lat);
      const r = Math.round(4 + 22 * Math.sqrt(c.population / maxPop));
      d = `M${Math.round(x - r)} ${Math.round(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0z`;
    }
    byClass.set(k, [...(byClass.get(k) ?? []), d]);
  }
  const sites = analysis.suggestions.map((s, i) => {
    const [x, y] = project(s.lon, s.lat);
    return { n: i + 1, x: Math.round(x), y: Math.round(y) };
  });
  const siteBoxes = sites.map((s) => ({ x0: s.x - 10, y0: s.y - 40, x1: s.x + 80, y1: s.y + 2 }));
  const communeShapes: CommuneOutline[] = useOutlines
    ? analysis.communes.map((c) => ({
        code: c.code,
        nom: c.nom,
        population: c.population,
        geometry: outlines.get(c.code) as Geometry,
      }))
    : [];
  const labels = useOutlines
    ? placeLabels(nameCandidates(communeShapes, project, MAP_BOX, FONT), FONT, MAP_BOX, [
        ...siteBoxes,
        { x0: MAP_BOX.x0, y0: MAP_BOX.y1 - 34, x1: MAP_BOX.x0 + 240, y1: MAP_BOX.y1 },
        { x0: MAP_BOX.x1 - 40, y0: MAP_BOX.y0, x1: MAP_BOX.x1, y1: MAP_BOX.y0 + 60 },
      ])
    : [];
  const counts = countByClass(analysis.communes, radius);
  const legendX = 700;
  const swatch = (k: DistanceClass, x: number, y: number) => (
    <>
      <rect x={String(x)} y={String(y)} width="34" height="22" fill={CLASSES[k].fill} stroke="#1f2328" />
      {CLASSES[k].pattern ? (
        <rect
          x={String(x)}
          y={String(y)}
          width="34"
          height="22"
          fill={`url(#${id(CLASSES[k].pattern as string)})`}
          stroke="#1f2328"
        />
      ) : null}
    </>
  );
  const legendBounds: Record<DistanceClass, string> = {
    near: `moins de ${fmtKm(radius / 2)} km`,
    within: `de ${fmtKm(radius / 2)} à ${fmtKm(radius)} km`,
    beyond: `plus de ${fmtKm(radius)} km`,
    none: 'aucun lieu',
  };
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${W} ${H}`}
      width={String(W)}
      height={String(H)}
      role="img"
      aria-labelledby={`${id('carte-titre')} ${id('carte-desc')}`}
      class="coverage-map"
      font-family={SANS}
    >
      <title id={id('carte-titre')}>{`${words.title}. ${words.subtitle}`}</title>
      <desc id={id('carte-desc')}>{words.desc}</desc>
      <Patterns id={id} />
      <rect width={String(W)} height={String(H)} fill="#ffffff" />
      <text x="16" y="34" font-size="22" font-weight="700" fill="#1b1b1f">
        {words.title}
      </text>
      <text x="16" y="62" font-size="16" fill="#1b1b1f">
        {words.subtitle}
      </text>
      <rect
        x={String(MAP_BOX.x0)}
        y={String(MAP_BOX.y0)}
        width={String(MAP_BOX.x1 - MAP_BOX.x0)}
        height={String(MAP_BOX.y1 - MAP_BOX.y0)}
        fill="#f3f4f7"
      />
      {(Object.keys(CLASSES) as DistanceClass[]).map((k) => {
        const d = (byClass.get(k) ?? []).join('');
        if (!d) return null;
        const pattern = CLASSES[k].pattern;
        return (
          <>
            <path d={d} fill={CLASSES[k].fill} stroke="#ffffff" stroke-width="1" stroke-linejoin="round" />
            {pattern ? <path d={d} fill={`url(#${id(pattern)})`} /> : null}
          </>
        );
      })}
      <CommuneNames labels={labels} fontSize={FONT} />
      {sites.map((s) => (
        <g>
          <path d={`M${s.x} ${s.y}l-9-16h18z`} fill="#1b1b1f" stroke="#ffffff" stroke-width="1.5" />
          <text
            x={String(s.x + 12)}
            y={String(s.y - 20)}
            font-size="15"
            font-weight="700"
            fill="#1b1b1f"
            stroke="#ffffff"
            stroke-width="3.5"
            paint-order="stroke"
          >
            {`Proposition ${s.n}`}
          </text>
        </g>
      ))}
      <ScaleBar x={MAP_BOX.x0 + 14} y={MAP_BOX.y1 - 14} px={scale.px} label={scaleWords(scale.metres)} />
      <NorthArrow x={MAP_BOX.x1 - 22} y={MAP_BOX.y0 + 10} />
      <rect
        x={String(MAP_BOX.x0)}
        y={String(MAP_BOX.y0)}
        width={String(MAP_BOX.x1 - MAP_BOX.x0)}
        height={String(MAP_BOX.y1 - MAP_BOX.y0)}
        fill="none"
        stroke="#4a4a55"
      />
      <g font-size="15" fill="#1b1b1f">
        <text x={String(legendX)} y="108" font-size="17" font-weight="700">
          Distance au lieu le plus proche
        </text>
        {(Object.keys(CLASSES) as DistanceClass[]).map((k, i) => {
          const y = 126 + i * 44;
          return (
            <>
              {swatch(k, legendX, y)}
              <text x={String(legendX + 44)} y={String(y + 11)}>
                {`${CLASSES[k].short} : ${legendBounds[k]}`}
              </text>
              <text x={String(legendX + 44)} y={String(y + 29)} font-size="13" fill="#3d3d47">
                {counts[k] === 0 ? 'aucune commune' : `${counts[k]} commune${counts[k] > 1 ? 's' : ''}`}
              </text>
            </>
          );
        })}
        {sites.length ? (
          <>
            <path d={`M${legendX + 17} 330l-9-16h18z`} fill="#1b1b1f" />
            <text x={String(legendX + 44)} y="322">
              Proposition : où ouvrir
            </text>
            <text x={String(legendX + 44)} y="340">
              un lieu en priorité
            </text>
          </>
        ) : null}
        <text x={String(legendX)} y="378" font-size="13" fill="#3d3d47">
          {useOutlines ? 'Distances mesurées depuis le point' : 'Cercles proportionnels à la population ;'}
        </text>
        <text x={String(legendX)} y="396" font-size="13" fill="#3d3d47">
          {useOutlines ? 'de référence de chaque commune.' : 'contours des communes non chargés.'}
        </text>
      </g>
      <text x="16" y={String(H - 28)} font-size="12" fill="#3d3d47">
        {`Sources : ${useOutlines ? `${OUTLINES_SOURCE} ; ` : ''}lieux : annuaire du réseau (Maillage), ${props.date}.`}
      </text>
      <text x="16" y={String(H - 10)} font-size="12" fill="#3d3d47">
        Distances à vol d'oiseau entre le point de référence de la commune et le lieu le plus proche.
      </text>
    </svg>
  );
}
