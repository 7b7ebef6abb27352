import type { Child } from 'hono/jsx';
import {
  CommuneLayer,
  type CommuneOutline,
  labelBox,
  NorthArrow,
  placeLabels,
  ScaleBar,
  touchesBox,
} from '../communes/basemap.tsx';
import { formatClosurePeriod, localToday } from '../places/place-edit.ts';
import type { Place } from '../places/places.service.ts';
import { MAP_SCRIPT, MAP_STYLE } from '../web/assets.ts';
import { ErrorSummary } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import { frameMap, type LatLon, MAP_HEIGHT, MAP_WIDTH } from './map-frame.ts';
import { NEED_GROUPS, NEEDS, type Need } from './needs.ts';
import type { OpeningStatus } from './opening.ts';
import { describeOpening, whenWords } from './opening-words.ts';
import type { SearchOrigin } from './search.service.ts';
import type { PlaceClosure, SearchHit } from './search.ts';
import { type SearchStrings, searchStrings } from './strings.ts';

/**
 * The pieces the public pages of the search share: the fields of the search forms, a place's opening
 * and closure lines, the error summary, the results map (the referral sheet draws it too) and what to
 * bring. The pages themselves are in home, results, place-sheet, error-report and accessibility
 * .views.tsx. Every word comes from strings.ts, in the reader's variant (ordinary or FALC).
 */
export type Params = Record<string, string[]>;

export function stringsOf(ctx: PageContext): SearchStrings {
  return searchStrings((ctx.prefs ?? DEFAULT_PREFS).falc);
}

/** One place's kind in the words people use ("CCAS"; everyday words in FALC). */
export const kindOf = (place: Place, s: SearchStrings): string | null => {
  const code = place.typologie[0];
  return code ? s.kind(code) : null;
};

export const addressOf = (p: Place) =>
  `${p.adresse}${p.complementAdresse ? `, ${p.complementAdresse}` : ''}, ${p.codePostal} ${p.commune}`;

/**
 * The "Où ?" field (a commune, a postcode, an INSEE code) with its hint and the error named beside it:
 * the search's forms and the diagnostic ask the same question, each in its own words.
 */
export function WhereInput(props: {
  label: string;
  hint: Child;
  value: string | null | undefined;
  error: Child | null | undefined;
  maxlength: number;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="ou">{props.label}</label>
      <p class="hint" id="ou-aide">
        {props.hint}
      </p>
      {props.error ? (
        <p class="field-error" id="ou-erreur">
          {props.error}
        </p>
      ) : null}
      <input
        id="ou"
        name="ou"
        type="text"
        autocomplete="address-level2"
        value={props.value ?? ''}
        maxlength={props.maxlength}
        aria-describedby={props.error ? 'ou-aide ou-erreur' : 'ou-aide'}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </div>
  );
}

export function WhereField(props: { s: SearchStrings; value?: string | null; error?: string | null }) {
  const { s } = props;
  return (
    <WhereInput
      label={s.whereLabel}
      hint={s.whereHint}
      value={props.value}
      error={props.error}
      maxlength={200}
    />
  );
}

export function NeedSelect(props: { s: SearchStrings; value: string | null }) {
  const { s } = props;
  const groups = Object.keys(NEED_GROUPS) as Need['group'][];
  return (
    <div class="field">
      <label for="besoin">{s.needSelectLabel}</label>
      <select id="besoin" name="besoin">
        <option value="" selected={!props.value}>
          {s.needAny}
        </option>
        {groups.map((g) => (
          <optgroup label={s.groupLabel(g)}>
            {NEEDS.filter((n) => n.group === g).map((n) => (
              <option value={n.slug} selected={props.value === n.slug}>
                {s.needLabel(n)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/**
 * The opening now, said once ("Fermé aujourd'hui · ouvre lundi à 8 h 30"; opening-words.ts). Class
 * `now`: true only at this moment, so never printed (the sheet prints the week's hours instead).
 */
export function OpenLine(props: {
  s: SearchStrings;
  status: OpeningStatus;
  itinerant: boolean;
  address: string;
  closures?: PlaceClosure[];
}) {
  const { s, status } = props;
  const today = localToday(new Date());
  const inClosure = (props.closures ?? []).some((c) => c.startsOn <= today && today <= c.endsOn);
  const words = describeOpening(s, status, { inClosure });
  if (words.state === 'unknown') return <p class="now">{words.lead}</p>;
  const next = status.next ?? null;
  return (
    <>
      <p class="now">
        <strong class={words.state}>{words.lead}</strong>
        {words.rest && !props.itinerant ? <> · {words.rest}</> : null}
      </p>
      {props.itinerant ? (
        <p class="now">
          {status.openNow
            ? s.hereNow(props.address)
            : next
              ? s.nextStop(whenWords(s, next), props.address)
              : s.itinerantText}
        </p>
      ) : null}
    </>
  );
}

/** "Fermé temporairement du 1er au 15 août", in words (never by colour alone). */
export function ClosureLines(props: { s: SearchStrings; closures: PlaceClosure[] }) {
  if (props.closures.length === 0) return null;
  const today = localToday(new Date());
  return (
    <>
      {props.closures.map((c) => (
        <p class="closure-line">
          <strong>
            {props.s.temporaryClosure(formatClosurePeriod(c.startsOn, c.endsOn, today), c.reason)}
          </strong>
        </p>
      ))}
    </>
  );
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** Fields of the compact search form that an issue can point to; others point to "Où ?". */
export const FORM_FIELDS = new Set(['besoin', 'ou']);

/** The error summary of the search pages: an issue of a field not in `fields` points to "Où ?". */
export function SearchErrorSummary(props: { s: SearchStrings; issues: FieldIssue[]; fields?: Set<string> }) {
  const fields = props.fields ?? FORM_FIELDS;
  const items = props.issues.map((i) => ({
    href: `#${fields.has(i.field) ? i.field : 'ou'}`,
    message: i.message,
  }));
  return <ErrorSummary title={props.s.errorSummary} items={items} />;
}

export function SearchForm(props: {
  s: SearchStrings;
  action: string;
  params: Params;
  besoin: string | null;
  where: string | null;
  whereError?: string | null;
}) {
  const keep = ['lat', 'lon', 'vue', 'falc'].flatMap((k) =>
    (props.params[k] ?? []).slice(0, 1).map((v) => [k, v] as const),
  );
  return (
    <form method="get" action={`${props.action}#resultats`} class="search compact">
      <NeedSelect s={props.s} value={props.besoin} />
      <WhereField s={props.s} value={props.where} error={props.whereError ?? null} />
      {keep.map(([k, v]) =>
        /^[\w.,-]{1,40}$/.test(v) && (k === 'vue' || k === 'falc') ? (
          <input type="hidden" name={k} value={v} />
        ) : null,
      )}
      <p>
        <button type="submit">{props.s.submit}</button>
      </p>
    </form>
  );
}

export function Checkbox(props: {
  name: string;
  value: string;
  label: string;
  checked: boolean;
  id: string;
}) {
  return (
    <div class="choice">
      <input type="checkbox" name={props.name} value={props.value} id={props.id} checked={props.checked} />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}

const DEMARCHES = 'Aide aux démarches administratives';
const QUOTIDIEN = 'Maîtrise des outils numériques du quotidien';
const ACCES = 'Accès internet et matériel informatique';

/** What to bring, adapted to what the place offers (a short, generic list). */
export function whatToBring(s: SearchStrings, place: Place): string[] {
  const list = [s.bringId, s.bringPhone];
  if (place.services.includes(DEMARCHES)) list.push(s.bringLogins, s.bringPapers);
  if (place.services.includes(QUOTIDIEN)) list.push(s.bringDevice);
  if (place.services.includes(ACCES)) list.push(s.bringFiles);
  if (place.fraisACharge.includes('Payant')) list.push(s.bringMoney);
  return list;
}

/** The positions a results map frames: its located places and the origin (the route fetches outlines for them). */
export function mapPositions(hits: readonly SearchHit[], origin: SearchOrigin | null): LatLon[] {
  return [
    ...hits.flatMap((h) =>
      h.place.latitude !== null && h.place.longitude !== null
        ? [{ lat: h.place.latitude, lon: h.place.longitude }]
        : [],
    ),
    ...(origin ? [{ lat: origin.lat, lon: origin.lon }] : []),
  ];
}

/**
 * A server-rendered map: the communes' outlines and names (when loaded), the places as numbered markers
 * (the numbers of the list), the origin, a scale and the north. No tiles, no script (the projection is
 * map-frame.ts's, the background communes/basemap.tsx's).
 *
 * When a tile server is configured (`tiles`, never in the embed), the same SVG also carries what the
 * interactive map needs as data attributes, and one deferred script (Leaflet + web/map-tiles.js, from our
 * origin) replaces it by a Leaflet map over the tiles. Without JavaScript, the SVG stays. Without a tile
 * server, the markup is exactly the SVG alone.
 */
export function ResultsMap(props: {
  s: SearchStrings;
  hits: SearchHit[];
  first: number;
  origin: SearchOrigin | null;
  outlines?: readonly CommuneOutline[] | undefined;
  tiles?: { url: string; attribution: string } | undefined;
}) {
  const { s, tiles } = props;
  const W = MAP_WIDTH;
  const H = MAP_HEIGHT;
  const points = props.hits.flatMap((h, i) =>
    h.place.latitude !== null && h.place.longitude !== null
      ? [{ n: props.first + i, lat: h.place.latitude, lon: h.place.longitude, place: h.place }]
      : [],
  );
  const frame = frameMap([...points, ...(props.origin ? [props.origin] : [])]);
  if (!frame) return <p>{s.mapNoPosition}</p>;
  const { project: px, scaleM: scale, scalePx } = frame;
  const label = s.mapAlt(points.length, props.origin?.label ?? null);
  const origin = props.origin ? px(props.origin.lat, props.origin.lon) : null;
  const box = { x0: 0, y0: 0, x1: W, y1: H };
  const project = (lon: number, lat: number): [number, number] => {
    const p = px(lat, lon);
    return [p.x, p.y];
  };
  const outlines = (props.outlines ?? []).filter((o) => touchesBox(o.geometry, project, box));
  const markers = points.map((p) => {
    const { x, y } = px(p.lat, p.lon);
    return { x0: x - 14, y0: y - 14, x1: x + 14, y1: y + 14 };
  });
  const corners = [
    { x0: 0, y0: H - 34, x1: 40 + scalePx + 60, y1: H },
    { x0: W - 40, y0: 0, x1: W, y1: 60 },
    { x0: W - 300, y0: H - 18, x1: W, y1: H },
  ];
  // The word "Départ" beside its cross where no marker hides it (a place often stands on the spot).
  const wordHalf = (s.mapOrigin.length * 14 * 0.58) / 2 + 2;
  const originWord = origin
    ? (placeLabels(
        [
          {
            text: s.mapOrigin,
            at: [
              { x: origin.x + 14 + wordHalf, y: origin.y - 10 },
              { x: origin.x - 14 - wordHalf, y: origin.y - 10 },
              { x: origin.x, y: origin.y + 24 },
              { x: origin.x, y: origin.y - 24 },
              { x: origin.x + 30 + wordHalf, y: origin.y + 12 },
              { x: origin.x - 30 - wordHalf, y: origin.y + 12 },
            ],
          },
        ],
        14,
        box,
        [...markers, ...corners],
      )[0] ?? { text: s.mapOrigin, x: origin.x + 12 + wordHalf, y: origin.y - 12 })
    : null;
  // Names keep clear of the markers, the origin's cross and word, the scale, the north and the source.
  const obstacles = [
    ...markers,
    ...(origin ? [{ x0: origin.x - 11, y0: origin.y - 11, x1: origin.x + 11, y1: origin.y + 11 }] : []),
    ...(originWord ? [labelBox(originWord.text, originWord.x, originWord.y, 14)] : []),
    ...corners,
  ];
  const desc = [
    label,
    outlines.length ? s.mapCommunes(outlines.map((o) => o.nom).sort((a, b) => a.localeCompare(b, 'fr'))) : '',
  ]
    .filter(Boolean)
    .join(' ');
  // What map-tiles.js reads: the tile server, the words of the controls, each marker's place.
  const mapData = tiles
    ? {
        'data-tiles': tiles.url,
        'data-attribution': tiles.attribution,
        'data-map-style': MAP_STYLE.url,
        'data-label': s.mapHeading,
        'data-hint': s.mapKeyboardHint,
        'data-zoom-in': s.mapZoomIn,
        'data-zoom-out': s.mapZoomOut,
        'data-close': s.mapClosePopup,
      }
    : {};
  const originData =
    tiles && props.origin
      ? { 'data-origin': s.mapOrigin, 'data-lat': props.origin.lat, 'data-lon': props.origin.lon }
      : {};
  const svgMap = (
    <figure class="map" {...mapData}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="plan-titre plan-desc"
        class="map-svg"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="plan-titre">{s.mapHeading}</title>
        <desc id="plan-desc">{desc}</desc>
        <rect width={W} height={H} fill="#f6f7f9" />
        {outlines.length ? (
          <CommuneLayer
            outlines={outlines}
            project={project}
            frame={box}
            fontSize={12}
            obstacles={obstacles}
          />
        ) : null}
        {origin ? (
          <g {...originData}>
            <path
              d={`M${origin.x - 9} ${origin.y - 9}L${origin.x + 9} ${origin.y + 9}M${origin.x - 9} ${origin.y + 9}L${origin.x + 9} ${origin.y - 9}`}
              stroke="#1b1b1f"
              stroke-width="4"
            />
            <text
              x={Math.round(originWord?.x ?? origin.x)}
              y={Math.round((originWord?.y ?? origin.y) + 5)}
              font-size="14"
              text-anchor="middle"
              fill="#1b1b1f"
              stroke="#ffffff"
              stroke-width="3"
              paint-order="stroke"
            >
              {s.mapOrigin}
            </text>
          </g>
        ) : null}
        {points.map((p) => {
          const { x, y } = px(p.lat, p.lon);
          const placeData = tiles
            ? {
                'data-n': p.n,
                'data-lat': p.lat,
                'data-lon': p.lon,
                'data-name': p.place.nom,
                'data-href': `/lieux/${p.place.id}`,
                'data-link': s.mapPlaceLink(p.place.nom),
              }
            : {};
          return (
            <g {...placeData}>
              <circle cx={x} cy={y} r="12" fill="#1d4f91" stroke="#ffffff" stroke-width="2" />
              <text x={x} y={y + 5} font-size="13" font-weight="700" text-anchor="middle" fill="#ffffff">
                {p.n}
              </text>
            </g>
          );
        })}
        <ScaleBar x={20} y={H - 14} px={scalePx} label={s.mapScale(scale)} />
        <NorthArrow x={W - 20} y={10} />
        {outlines.length ? (
          <text x={W - 6} y={H - 6} font-size="11" text-anchor="end" fill="#3d3d47">
            {s.mapSource}
          </text>
        ) : null}
        <rect width={W} height={H} fill="none" stroke="#4a4a55" />
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
  return tiles ? (
    <>
      {svgMap}
      <script src={MAP_SCRIPT.url} defer />
    </>
  ) : (
    svgMap
  );
}
