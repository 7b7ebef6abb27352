import {
  CommuneLayer,
  type CommuneOutline,
  labelBox,
  NorthArrow,
  type Project,
  ScaleBar,
  scaleWords,
  touchesBox,
} from '../communes/basemap.tsx';
import { geometryContains, polygonsOf } from '../communes/geometry.ts';
import { frameMap, MAP_HEIGHT, MAP_WIDTH } from './map-frame.ts';
import { straightLineKm } from './search.ts';

/**
 * A map of one place drawn on the server, over the communes' outlines and names, with a scale and the
 * north: with a starting point, both and the straight line between them with its length (the fiche de
 * liaison); without, the place in its commune's outline (the place's page, a fiche without a start).
 * Never an empty frame: the caller shows it only when the place has a position.
 */
export interface PlaceMapProps {
  place: { nom: string; commune: string; lat: number; lon: number };
  origin: { label: string; lat: number; lon: number } | null;
  outlines: readonly CommuneOutline[];
  /** The map's title, and the sentence that says what it shows (its text alternative and caption). */
  title: string;
  words: string;
  /** Prefix of the ids the image's name and description take (unique in the page). */
  id: string;
}

/** Kilometres to one decimal, French style ("5,7"). */
export const km = (v: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(v);

export function PlaceMap(props: PlaceMapProps) {
  const { place, origin, words } = props;
  const W = MAP_WIDTH;
  const H = MAP_HEIGHT;
  const home = props.outlines.find((o) => geometryContains(o.geometry, place.lon, place.lat)) ?? null;
  // Without a start, frame the place's commune (its outline's corners), or the place alone.
  const corners =
    !origin && home
      ? polygonsOf(home.geometry).flatMap((p) => (p[0] ?? []).map(([lon, lat]) => ({ lat, lon })))
      : [];
  const frame = frameMap([place, ...(origin ? [origin] : []), ...corners]);
  if (!frame) return null;
  const px = frame.project;
  const project: Project = (lon, lat) => {
    const p = px(lat, lon);
    return [p.x, p.y];
  };
  const box = { x0: 0, y0: 0, x1: W, y1: H };
  const to = px(place.lat, place.lon);
  const from = origin ? px(origin.lat, origin.lon) : null;
  const shown = props.outlines.filter((o) => touchesBox(o.geometry, project, box));
  // Labels slide sideways to stay whole inside the frame.
  const inside = (x: number, text: string, size: number) => {
    const half = (text.length * size * 0.58) / 2 + 6;
    return Math.round(Math.min(Math.max(x, half), W - half));
  };
  const placeLabel = { x: inside(to.x, place.nom, 15), y: to.y - 20 };
  const startText = origin ? `Départ : ${origin.label}` : '';
  const fromLabel = from && origin ? { x: inside(from.x, startText, 15), y: from.y + 28 } : null;
  const mid = from ? { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 } : null;
  const distanceText = origin ? `${km(straightLineKm(origin, place))} km` : '';
  const obstacles = [
    { x0: to.x - 14, y0: to.y - 14, x1: to.x + 14, y1: to.y + 14 },
    labelBox(place.nom, placeLabel.x, placeLabel.y, 15),
    ...(from && fromLabel
      ? [
          { x0: from.x - 12, y0: from.y - 12, x1: from.x + 12, y1: from.y + 12 },
          labelBox(startText, fromLabel.x, fromLabel.y, 15),
        ]
      : []),
    ...(mid ? [labelBox(distanceText, mid.x, mid.y, 16)] : []),
    { x0: 0, y0: H - 34, x1: 40 + frame.scalePx + 60, y1: H },
    { x0: W - 40, y0: 0, x1: W, y1: 60 },
    { x0: W - 300, y0: H - 18, x1: W, y1: H },
  ];
  const halo = { stroke: '#ffffff', 'stroke-width': '4', 'paint-order': 'stroke' };
  return (
    <figure class="map">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${props.id}-titre ${props.id}-desc`}
        class="map-svg"
        xmlns="http://www.w3.org/2000/svg"
        font-family="Arial, Helvetica, sans-serif"
      >
        <title id={`${props.id}-titre`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{words}</desc>
        <rect width={W} height={H} fill="#f6f7f9" />
        {shown.length ? (
          <CommuneLayer outlines={shown} project={project} frame={box} fontSize={12} obstacles={obstacles} />
        ) : null}
        {from && mid ? (
          <>
            <path
              d={`M${from.x} ${from.y}L${to.x} ${to.y}`}
              stroke="#1b1b1f"
              stroke-width="3"
              stroke-dasharray="8 5"
              fill="none"
            />
            <text
              x={String(Math.round(mid.x))}
              y={String(Math.round(mid.y + 5))}
              font-size="16"
              font-weight="700"
              text-anchor="middle"
              fill="#1b1b1f"
              {...halo}
            >
              {distanceText}
            </text>
            <rect
              x={String(from.x - 8)}
              y={String(from.y - 8)}
              width="16"
              height="16"
              fill="#ffffff"
              stroke="#1b1b1f"
              stroke-width="3"
            />
            <text
              x={String(fromLabel?.x)}
              y={String(fromLabel?.y)}
              font-size="15"
              text-anchor="middle"
              fill="#1b1b1f"
              {...halo}
            >
              {startText}
            </text>
          </>
        ) : null}
        <circle cx={to.x} cy={to.y} r="12" fill="#1d4f91" stroke="#ffffff" stroke-width="2" />
        <text x={to.x} y={to.y + 5} font-size="13" font-weight="700" text-anchor="middle" fill="#ffffff">
          1
        </text>
        <text
          x={String(placeLabel.x)}
          y={String(placeLabel.y)}
          font-size="15"
          font-weight="700"
          text-anchor="middle"
          fill="#1d4f91"
          {...halo}
        >
          {place.nom}
        </text>
        <ScaleBar x={20} y={H - 14} px={frame.scalePx} label={scaleWords(frame.scaleM)} />
        <NorthArrow x={W - 20} y={10} />
        {shown.length ? (
          <text x={W - 6} y={H - 6} font-size="11" text-anchor="end" fill="#3d3d47">
            Contours : IGN Admin Express, Licence Ouverte 2.0
          </text>
        ) : null}
        <rect width={W} height={H} fill="none" stroke="#4a4a55" />
      </svg>
      <figcaption>{words}</figcaption>
    </figure>
  );
}
