import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Commune } from '../communes/communes.ts';
import { describeWeek } from '../places/hours.ts';
import { formatClosurePeriod, localToday } from '../places/place-edit.ts';
import type { Place } from '../places/places.service.ts';
import { describeTypology } from '../places/places.ts';
import { formatInteger, formatIsoDate } from '../shared/format.ts';
import { formatPhone, phoneHref } from '../shared/phone.ts';
import { MAP_SCRIPT, MAP_STYLE } from '../web/assets.ts';
import { Csrf, ErrorSummary } from '../web/forms.tsx';
import { Layout, NetworkContactLine, type PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import { qrSvg } from '../web/qr.ts';
import { NEED_GROUPS, NEEDS, type Need } from './needs.ts';
import type { OpeningStatus } from './opening.ts';
import type { SearchOrigin } from './search.service.ts';
import type { PlaceClosure, SearchHit } from './search.ts';
import { type SearchStrings, searchStrings } from './strings.ts';
import { ACCOMPANIMENT_VALUES, PUBLIC_VALUES, SUPPORT_VALUES } from './vocabulary.ts';

/**
 * The public pages of the search: home, results (list and map), choice of a commune, errors, filters,
 * a place's sheet, error report, preferences, accessibility statement. Every word comes from
 * strings.ts, in the reader's variant (ordinary or FALC).
 */
export type Params = Record<string, string[]>;

export interface DayHours {
  day: string;
  ranges: string[];
}

function stringsOf(ctx: PageContext): SearchStrings {
  return searchStrings((ctx.prefs ?? DEFAULT_PREFS).falc);
}

/** A link to `path` with the current query, some parameters replaced (null removes them). */
export function withParams(
  path: string,
  params: Params,
  overrides: Record<string, string | null>,
  hash = '',
): string {
  const q = new URLSearchParams();
  for (const [k, list] of Object.entries(params)) {
    if (k in overrides) continue;
    for (const v of list) if (v !== '') q.append(k, v);
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== null && v !== '') q.append(k, v);
  const text = q.toString();
  return `${path}${text ? `?${text}` : ''}${hash}`;
}

const kindOf = (place: Place): string | null => {
  const code = place.typologie[0];
  return code ? describeTypology(code) : null;
};

const addressOf = (p: Place) =>
  `${p.adresse}${p.complementAdresse ? `, ${p.complementAdresse}` : ''}, ${p.codePostal} ${p.commune}`;

function needText(s: SearchStrings, need: Need | null): string | null {
  return need ? s.needLabel(need) : null;
}

// --- Forms ---

function NearMe(props: { s: SearchStrings }) {
  const { s } = props;
  return (
    <p class="near-me" hidden>
      <button
        type="button"
        class="button secondary"
        data-near-me=""
        data-wait={s.nearMeWait}
        data-failed={s.nearMeFailed}
        aria-describedby="autour-statut"
        hidden
      >
        {s.nearMe}
      </button>{' '}
      <span class="hint">{s.nearMeHint}</span>
      <span id="autour-statut" class="hint" role="status" />
    </p>
  );
}

function WhereField(props: { s: SearchStrings; value?: string | null; error?: string | null }) {
  const { s } = props;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="ou">{s.whereLabel}</label>
      <p class="hint" id="ou-aide">
        {s.whereHint}
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
        maxlength={200}
        aria-describedby={props.error ? 'ou-aide ou-erreur' : 'ou-aide'}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </div>
  );
}

function NeedSelect(props: { s: SearchStrings; value: string | null }) {
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

export function HomePage(props: { ctx: PageContext; total: number; territoryLabel: string }) {
  const s = stringsOf(props.ctx);
  const groups = Object.keys(NEED_GROUPS) as Need['group'][];
  return (
    <Layout title={s.homeTitle} ctx={props.ctx}>
      <h1>{s.homeTitle}</h1>
      <p>{s.homeIntro(props.territoryLabel)}</p>
      <form method="get" action="/recherche#resultats" class="search">
        <fieldset class="needs">
          <legend>
            <span class="legend-title">{s.needLegend}</span>
          </legend>
          {groups.map((g) => (
            <fieldset class="need-group">
              <legend>{s.groupLabel(g)}</legend>
              <div class="choices">
                {NEEDS.filter((n) => n.group === g).map((n) => (
                  <div class="choice">
                    <input type="radio" name="besoin" id={`besoin-${n.slug}`} value={n.slug} />
                    <label for={`besoin-${n.slug}`}>{s.needLabel(n)}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
          <fieldset class="need-group">
            <legend>{s.needAnyGroup}</legend>
            <div class="choices">
              <div class="choice">
                <input type="radio" name="besoin" id="besoin-autre" value="" />
                <label for="besoin-autre">{s.needAny}</label>
              </div>
            </div>
          </fieldset>
        </fieldset>
        <WhereField s={s} />
        <NearMe s={s} />
        <p>
          <button type="submit">{s.submit}</button>
        </p>
      </form>
      <p>
        {s.browseLead}{' '}
        <a class="button secondary" href="/lieux">
          {s.browseAll(formatInteger(props.total))}
        </a>
      </p>
    </Layout>
  );
}

// --- Results ---

function OpenLine(props: { s: SearchStrings; status: OpeningStatus; itinerant: boolean; address: string }) {
  const { s, status } = props;
  if (status.openNow === null) return <p>{s.hoursUnknown}</p>;
  return (
    <>
      <p>
        <strong class={status.openNow ? 'open' : 'closed'}>{status.openNow ? s.openNow : s.closedNow}</strong>
        {status.today ? <> · {s.today(status.today)}</> : null}
        {!status.openNow && status.nextOpening && !props.itinerant ? (
          <> · {s.nextOpening(status.nextOpening)}</>
        ) : null}
      </p>
      {props.itinerant ? (
        <p>
          {status.openNow
            ? s.hereNow(props.address)
            : status.nextOpening
              ? s.nextStop(status.nextOpening, props.address)
              : s.itinerantText}
        </p>
      ) : null}
    </>
  );
}

function HitCard(props: { s: SearchStrings; hit: SearchHit; n: number; embed: boolean }) {
  const { s, hit } = props;
  const p = hit.place;
  const kind = kindOf(p);
  const meta = [
    kind,
    hit.itinerant ? s.itinerant : null,
    hit.distanceM !== null ? s.distance(hit.distanceM) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const fees = p.fraisACharge.length ? p.fraisACharge.map((f) => s.fee(f)).join(', ') : s.feesUnknown;
  return (
    <li class="card" id={`lieu-${props.n}`}>
      <h2>
        <span class="num">{props.n}.</span>{' '}
        <a href={`/lieux/${p.id}`} target={props.embed ? '_top' : undefined}>
          {p.nom}
        </a>
      </h2>
      {meta ? <p class="meta">{meta}</p> : null}
      <p>{addressOf(p)}</p>
      <OpenLine s={s} status={hit} itinerant={hit.itinerant} address={addressOf(p)} />
      <ClosureLines s={s} closures={hit.closures.slice(0, 1)} />
      {p.telephone ? (
        <p>
          {s.phoneLabel} <a href={phoneHref(p.telephone)}>{formatPhone(p.telephone)}</a>
        </p>
      ) : null}
      <p>
        {s.feesLabel} {fees}
        {p.modalitesAccompagnement.length ? (
          <>
            {' · '}
            {s.helpLabel} {p.modalitesAccompagnement.map((m) => s.accompaniment(m)).join(', ')}
          </>
        ) : null}
      </p>
    </li>
  );
}

/** "Fermé temporairement du 1er au 15 août", in words (never by colour alone). */
function ClosureLines(props: { s: SearchStrings; closures: PlaceClosure[] }) {
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

const SCALES = [50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];

/**
 * A server-rendered map: the places as numbered markers (the numbers of the list), the origin, a scale.
 * An equirectangular projection is exact enough at a town's scale. No tiles, no script.
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
  tiles?: { url: string; attribution: string } | undefined;
}) {
  const { s, tiles } = props;
  const W = 600;
  const H = 400;
  const M = 28;
  const points = props.hits.flatMap((h, i) =>
    h.place.latitude !== null && h.place.longitude !== null
      ? [{ n: props.first + i, lat: h.place.latitude, lon: h.place.longitude, place: h.place }]
      : [],
  );
  const all = [...points, ...(props.origin ? [{ n: 0, lat: props.origin.lat, lon: props.origin.lon }] : [])];
  if (all.length === 0) return <p>{s.mapNoPosition}</p>;
  const lat0 = all.reduce((a, p) => a + p.lat, 0) / all.length;
  const cos = Math.cos((lat0 * Math.PI) / 180);
  const xs = all.map((p) => p.lon * cos);
  const ys = all.map((p) => p.lat);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const spanX = Math.max(maxX - minX, 0.002);
  const spanY = Math.max(maxY - minY, 0.002);
  const k = Math.min((W - 2 * M) / spanX, (H - 2 * M - 30) / spanY); // px per degree of latitude
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const px = (lat: number, lon: number) => ({
    x: Math.round((W / 2 + (lon * cos - cx) * k) * 10) / 10,
    y: Math.round((H / 2 - 15 - (lat - cy) * k) * 10) / 10,
  });
  const metresPerPx = 111_320 / k;
  const scale = [...SCALES].reverse().find((m) => m / metresPerPx <= 160) ?? 50;
  const scalePx = Math.round(scale / metresPerPx);
  const label = s.mapAlt(points.length, props.origin?.label ?? null);
  const origin = props.origin ? px(props.origin.lat, props.origin.lon) : null;
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
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} class="map-svg">
        <rect width={W} height={H} fill="#f3f4f7" stroke="#4a4a55" />
        {origin ? (
          <g {...originData}>
            <path
              d={`M${origin.x - 9} ${origin.y - 9}L${origin.x + 9} ${origin.y + 9}M${origin.x - 9} ${origin.y + 9}L${origin.x + 9} ${origin.y - 9}`}
              stroke="#1b1b1f"
              stroke-width="4"
            />
            <text x={origin.x + 12} y={origin.y - 8} font-size="14" fill="#1b1b1f">
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
        <path d={`M20 ${H - 22}v8h${scalePx}v-8`} fill="none" stroke="#1b1b1f" stroke-width="2" />
        <text x={24 + scalePx} y={H - 14} font-size="14" fill="#1b1b1f">
          {s.mapScale(scale)}
        </text>
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

export interface ResultsView {
  ctx: PageContext;
  params: Params;
  need: Need | null;
  origin: SearchOrigin | null;
  hits: SearchHit[];
  nearestAnyway: SearchHit[];
  hasMore: boolean;
  offset: number;
  page: number;
  map: boolean;
  filters: { openNow: boolean; saturday: boolean; free: boolean; others: string[] };
  embed: boolean;
}

function CallNetwork(props: { s: SearchStrings; ctx: PageContext }) {
  const { phone, email } = props.ctx.networkContact;
  if (phone) {
    const [before, after] = props.s.callNetwork('\u0000').split('\u0000');
    return (
      <p class="notice">
        {before}
        <a href={phoneHref(phone)}>
          <strong>{formatPhone(phone)}</strong>
        </a>
        {after}
      </p>
    );
  }
  return email ? <p class="notice">{props.s.writeNetwork(email)}</p> : null;
}

export function ResultsPage(v: ResultsView) {
  const s = stringsOf(v.ctx);
  const heading = s.resultsHeading(needText(s, v.need), v.origin?.label ?? null);
  const path = v.embed ? '/embed' : '/recherche';
  const filterWords = [
    ...(['openNow', 'saturday', 'free'] as const).filter((k) => v.filters[k]).map((k) => s.filterSummary(k)),
    ...v.filters.others,
  ];
  const empty = v.hits.length === 0;
  return (
    <Layout title={s.resultsTitle(heading, v.page)} ctx={v.ctx} embed={v.embed}>
      <h1 id="resultats" tabindex={-1}>
        {empty ? s.emptyTitle : heading}
      </h1>
      {empty ? null : (
        <p>{v.origin ? s.resultsOrder(v.offset + 1, v.offset + v.hits.length) : s.resultsByName}</p>
      )}
      {filterWords.length ? <p>{s.resultsFilters(filterWords.join(', '))}</p> : null}
      <ul class="actions no-print">
        <li>
          <a href={withParams('/recherche/filtres', v.params, { page: null })}>{s.filtersLink}</a>
        </li>
        {empty ? null : (
          <li>
            {v.map ? (
              <a href={withParams(path, v.params, { vue: null }, '#resultats')}>{s.listLink}</a>
            ) : (
              <a href={withParams(path, v.params, { vue: 'carte' }, '#resultats')}>{s.mapLink}</a>
            )}
          </li>
        )}
        {empty ? null : (
          <li>
            <button type="button" class="button secondary" data-print="" hidden>
              {s.printList}
            </button>
          </li>
        )}
      </ul>
      {empty ? (
        <>
          <p>{s.emptyText}</p>
          <CallNetwork s={s} ctx={v.ctx} />
          {v.nearestAnyway.length ? (
            <>
              <h2>{s.nearestAnyway}</h2>
              <ol class="cards results">
                {v.nearestAnyway.map((hit, i) => (
                  <HitCard s={s} hit={hit} n={i + 1} embed={v.embed} />
                ))}
              </ol>
            </>
          ) : null}
        </>
      ) : (
        <>
          {v.map ? (
            <ResultsMap
              s={s}
              hits={v.hits}
              first={v.offset + 1}
              origin={v.origin}
              tiles={v.embed ? undefined : v.ctx.tiles}
            />
          ) : null}
          <ol class="cards results" start={v.offset + 1}>
            {v.hits.map((hit, i) => (
              <HitCard s={s} hit={hit} n={v.offset + i + 1} embed={v.embed} />
            ))}
          </ol>
          {v.hasMore || v.page > 1 ? (
            <nav class="pager no-print" aria-label={s.pagesNav}>
              {v.page > 1 ? (
                <a
                  href={withParams(
                    path,
                    v.params,
                    { page: v.page > 2 ? String(v.page - 1) : null },
                    '#resultats',
                  )}
                >
                  {s.previous}
                </a>
              ) : null}
              {v.hasMore ? (
                <a
                  class="button"
                  href={withParams(path, v.params, { page: String(v.page + 1) }, '#resultats')}
                >
                  {s.more}
                </a>
              ) : null}
            </nav>
          ) : null}
          <CallNetwork s={s} ctx={v.ctx} />
        </>
      )}
    </Layout>
  );
}

// --- Choose a commune, errors ---

export function ChooseCommunePage(props: {
  ctx: PageContext;
  params: Params;
  text: string;
  candidates: Commune[];
  embed: boolean;
  /** A French message when what was typed cannot be a place (postcode with letters). */
  problem: string | null;
}) {
  const s = stringsOf(props.ctx);
  const path = props.embed ? '/embed' : '/recherche';
  const none = props.candidates.length === 0;
  const title = none ? s.noCommuneTitle : s.chooseTitle;
  const besoin = props.params.besoin?.[0] ?? null;
  return (
    <Layout title={`${title} : « ${props.text} »`} ctx={props.ctx} embed={props.embed}>
      <h1>{title}</h1>
      {props.problem ? <SearchErrorSummary s={s} issues={[{ field: 'ou', message: props.problem }]} /> : null}
      {none ? (
        <p>{props.problem ?? s.noCommune(props.text)}</p>
      ) : (
        <>
          <p>{s.chooseText(props.text)}</p>
          <ul class="communes">
            {props.candidates.map((c) => (
              <li>
                <a
                  href={withParams(
                    path,
                    props.params,
                    { ou: null, commune: c.code, page: null },
                    '#resultats',
                  )}
                >
                  {s.communeOption(c.nom, c.codesPostaux.slice(0, 3).join(', '), c.departement)}
                </a>
              </li>
            ))}
          </ul>
          <h2>{s.chooseAgain}</h2>
        </>
      )}
      <SearchForm
        s={s}
        action={path}
        params={props.params}
        besoin={besoin}
        where={props.text}
        whereError={props.problem}
      />
      <CallNetwork s={s} ctx={props.ctx} />
    </Layout>
  );
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** Fields of the compact search form that an issue can point to; others point to "Où ?". */
const FORM_FIELDS = new Set(['besoin', 'ou']);

/** The error summary of the search pages: an issue of a field not in `fields` points to "Où ?". */
function SearchErrorSummary(props: { s: SearchStrings; issues: FieldIssue[]; fields?: Set<string> }) {
  const fields = props.fields ?? FORM_FIELDS;
  const items = props.issues.map((i) => ({
    href: `#${fields.has(i.field) ? i.field : 'ou'}`,
    message: i.message,
  }));
  return <ErrorSummary title={props.s.errorSummary} items={items} />;
}

function SearchForm(props: {
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

export function SearchErrorPage(props: {
  ctx: PageContext;
  status: number;
  issues: FieldIssue[];
  besoin: string | null;
  where: string | null;
  embed: boolean;
}) {
  const s = stringsOf(props.ctx);
  const title = props.status === 404 ? s.notFoundTitle : s.errorTitle;
  const whereIssue = props.issues.find((i) => !FORM_FIELDS.has(i.field) || i.field === 'ou');
  return (
    <Layout title={title} ctx={props.ctx} embed={props.embed}>
      <h1>{title}</h1>
      <SearchErrorSummary s={s} issues={props.issues} />
      <p>{s.errorFix}</p>
      <SearchForm
        s={s}
        action={props.embed ? '/embed' : '/recherche'}
        params={{}}
        besoin={props.besoin}
        where={props.where}
        whereError={whereIssue?.message ?? null}
      />
      <CallNetwork s={s} ctx={props.ctx} />
    </Layout>
  );
}

// --- Filters (a separate step, so that the results page stays light) ---

function Checkbox(props: { name: string; value: string; label: string; checked: boolean; id: string }) {
  return (
    <div class="choice">
      <input type="checkbox" name={props.name} value={props.value} id={props.id} checked={props.checked} />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}

export function FiltersPage(props: { ctx: PageContext; params: Params }) {
  const s = stringsOf(props.ctx);
  const p = props.params;
  const one = (k: string) => p[k]?.[0] ?? null;
  const on = (k: string) => ['1', 'true', 'oui', 'on', 'maintenant'].includes(one(k) ?? '');
  const has = (k: string, v: string) => (p[k] ?? []).includes(v);
  const hidden = ['commune', 'lat', 'lon', 'rayon', 'vue', 'falc'].flatMap((k) =>
    (p[k] ?? []).slice(0, 1).map((v) => [k, v] as const),
  );
  const group = (legend: string, name: string, values: readonly string[], label = (v: string) => v) => (
    <fieldset>
      <legend>{legend}</legend>
      {values.map((v, i) => (
        <Checkbox name={name} value={v} id={`${name}-${i}`} label={label(v)} checked={has(name, v)} />
      ))}
    </fieldset>
  );
  return (
    <Layout title={s.filtersTitle} ctx={props.ctx}>
      <h1>{s.filtersTitle}</h1>
      <p>{s.filtersIntro}</p>
      <form method="get" action="/recherche#resultats" class="search">
        <NeedSelect s={s} value={one('besoin')} />
        {one('commune') || one('lat') ? null : <WhereField s={s} value={one('ou')} />}
        {hidden.map(([k, v]) => (
          <input type="hidden" name={k} value={v} />
        ))}
        <fieldset>
          <legend>{s.whenLegend}</legend>
          <Checkbox name="ouvert" value="oui" id="ouvert" label={s.openNowFilter} checked={on('ouvert')} />
          <Checkbox name="samedi" value="oui" id="samedi" label={s.saturdayFilter} checked={on('samedi')} />
        </fieldset>
        <fieldset>
          <legend>{s.priceLegend}</legend>
          <Checkbox name="gratuit" value="oui" id="gratuit" label={s.freeFilter} checked={on('gratuit')} />
        </fieldset>
        {group(s.accompanimentLegend, 'accompagnement', ACCOMPANIMENT_VALUES, (v) => s.accompaniment(v))}
        {group(s.publicsLegend, 'public', PUBLIC_VALUES)}
        {group(s.supportLegend, 'accueil', SUPPORT_VALUES)}
        <p>
          <button type="submit">{s.applyFilters}</button>
        </p>
      </form>
    </Layout>
  );
}

// --- A place's sheet ---

function WeekHours(props: {
  s: SearchStrings;
  osm: string | null;
  week: { days: DayHours[]; varies: boolean } | null;
}) {
  const { s } = props;
  if (!props.osm) return <p>{s.hoursUnknown}</p>;
  if (!props.week) return <p>{s.hoursUnreadable(props.osm)}</p>;
  return (
    <>
      <table class="hours">
        <caption class="visually-hidden">{s.hoursCaption}</caption>
        <tbody>
          {props.week.days.map((d) => (
            <tr>
              <th scope="row">{d.day}</th>
              <td>{d.ranges.length ? d.ranges.join(' et ') : s.closedDay}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.week.varies ? <p>{s.hoursVary}</p> : null}
    </>
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

function Facts(props: { children: Child }) {
  return <dl class="facts">{props.children}</dl>;
}

export function PlaceSheetPage(props: {
  ctx: PageContext;
  place: Place;
  status: OpeningStatus;
  publicUrl: string;
  /** Temporary closures running or to come. */
  closures?: PlaceClosure[];
  /** The visitor is a signed-in member of a structure: she may orient a person to this place. */
  canRefer?: boolean;
}) {
  const s = stringsOf(props.ctx);
  const p = props.place;
  const week = p.horaires ? describeWeek(p.horaires) : null;
  const kind = kindOf(p);
  const address = addressOf(p);
  const sheetUrl = `${props.publicUrl}/lieux/${p.id}`;
  let qr: string | null = null;
  try {
    qr = qrSvg(sheetUrl, s.qrLabel(sheetUrl));
  } catch {
    qr = null; // an address too long for a small code: the printed sheet shows it in words only
  }
  const located = p.latitude !== null && p.longitude !== null;
  const osm = located
    ? `https://www.openstreetmap.org/?mlat=${p.latitude}&mlon=${p.longitude}#map=17/${p.latitude}/${p.longitude}`
    : null;
  const itinerant = p.itinerance.includes('Itinérant');
  return (
    <Layout title={s.placeTitle(p.nom, p.commune)} ctx={props.ctx}>
      <h1>{p.nom}</h1>
      {kind ? <p class="meta">{kind}</p> : null}
      <OpenLine s={s} status={props.status} itinerant={itinerant} address={address} />
      <ClosureLines s={s} closures={props.closures ?? []} />
      {p.presentationResume ? <p>{p.presentationResume}</p> : null}
      {props.canRefer ? (
        <p class="no-print">
          <a class="button" href={`/orientations/nouvelle?lieu=${encodeURIComponent(p.id)}`}>
            Orienter une personne vers ce lieu
          </a>
        </p>
      ) : null}
      <p class="no-print">
        <button type="button" class="button secondary" data-print="" hidden>
          {s.printSheet}
        </button>
      </p>
      <h2>{s.addressHeading}</h2>
      <Facts>
        <dt>{s.addressLabel}</dt>
        <dd>
          {p.adresse}
          {p.complementAdresse ? <>, {p.complementAdresse}</> : null}
          <br />
          {p.codePostal} {p.commune}
        </dd>
        {p.telephone ? (
          <>
            <dt>{s.phoneLabel.replace(/\s*:$/, '')}</dt>
            <dd>
              <a href={phoneHref(p.telephone)}>{formatPhone(p.telephone)}</a>
            </dd>
          </>
        ) : null}
        {p.courriels.length ? (
          <>
            <dt>{s.emailLabel}</dt>
            <dd>
              {p.courriels.map((m, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`mailto:${m}`}>{m}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {p.siteWeb.length ? (
          <>
            <dt>{s.websiteLabel}</dt>
            <dd>
              {p.siteWeb.map((u, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={u}>{u.replace(/^https?:\/\//, '').replace(/\/$/, '')}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {p.priseRdv ? (
          <>
            <dt>{s.appointmentLabel}</dt>
            <dd>
              <a href={p.priseRdv}>{s.appointmentLink}</a>
            </dd>
          </>
        ) : null}
      </Facts>
      <h2>{s.hoursHeading}</h2>
      <WeekHours s={s} osm={p.horaires} week={week} />
      <h2>{s.goHeading}</h2>
      <ul class="no-print">
        {osm ? (
          <li>
            <a href={osm}>{s.mapOsm(p.nom)}</a>
          </li>
        ) : null}
        <li>
          <a href={`sms:?&body=${encodeURIComponent(`${p.nom}, ${address}`)}`} aria-describedby="sms-aide">
            {s.smsLink}
          </a>{' '}
          <span class="hint" id="sms-aide">
            {s.smsHint}
          </span>
        </li>
      </ul>
      {p.modalitesAcces.length ? (
        <p>
          {s.accessLabel} : {p.modalitesAcces.join(', ')}
        </p>
      ) : null}
      <h2>{s.bringHeading}</h2>
      <ul>
        {whatToBring(s, p).map((item) => (
          <li>{item}</li>
        ))}
      </ul>
      {p.services.length ? (
        <>
          <h2>{s.servicesHeading}</h2>
          <ul>
            {p.services.map((x) => (
              <li>{x}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{s.howHeading}</h2>
      <Facts>
        {p.modalitesAccompagnement.length ? (
          <>
            <dt>{s.helpLabel.replace(/\s*:$/, '')}</dt>
            <dd>{p.modalitesAccompagnement.map((m) => s.accompaniment(m)).join(', ')}</dd>
          </>
        ) : null}
        <dt>{s.priceLabel}</dt>
        <dd>{p.fraisACharge.length ? p.fraisACharge.map((f) => s.fee(f)).join(', ') : s.feesUnknown}</dd>
        {p.publicsSpecifiquementAdresses.length ? (
          <>
            <dt>{s.publicsLabel}</dt>
            <dd>{p.publicsSpecifiquementAdresses.join(', ')}</dd>
          </>
        ) : null}
        {p.priseEnChargeSpecifique.length ? (
          <>
            <dt>{s.supportLabel}</dt>
            <dd>{p.priseEnChargeSpecifique.join(', ')}</dd>
          </>
        ) : null}
        {itinerant ? (
          <>
            <dt>{s.itinerantLabel}</dt>
            <dd>{s.itinerantText}</dd>
          </>
        ) : null}
      </Facts>
      {p.presentationDetail ? (
        <>
          <h2>{s.presentationHeading}</h2>
          {p.presentationDetail.split(/\n{2,}/).map((para) => (
            <p>{para}</p>
          ))}
        </>
      ) : null}
      <p class="meta">
        {p.dateMaj ? s.checkedOn(formatIsoDate(p.dateMaj)) : s.checkedUnknown}
        {s.sourceLabel(p.source)}
      </p>
      {qr ? (
        <div class="print-only qr-block">
          {raw(qr)}
          <p>
            {s.qrCaption} {sheetUrl}
          </p>
        </div>
      ) : null}
      <p class="no-print">
        <a href={`/lieux/${p.id}/signaler`}>{s.reportLink(p.nom)}</a>
      </p>
      <p class="no-print">
        <a href={`/lieux/${p.id}/contact-pro`}>Contact pour les professionnels (connexion requise)</a>
      </p>
    </Layout>
  );
}

// --- Error report ---

export function ReportPage(props: {
  ctx: PageContext;
  place: Place;
  values: { message: string; contact: string };
  errors: { message?: string; contact?: string };
  csrf: string;
}) {
  const s = stringsOf(props.ctx);
  const p = props.place;
  const issues: FieldIssue[] = [];
  if (props.errors.message) issues.push({ field: 'message', message: props.errors.message });
  if (props.errors.contact) issues.push({ field: 'contact', message: props.errors.contact });
  return (
    <Layout title={s.reportTitle(p.nom)} ctx={props.ctx}>
      <h1>{s.reportTitle(p.nom)}</h1>
      {issues.length ? (
        <SearchErrorSummary s={s} issues={issues} fields={new Set(['message', 'contact'])} />
      ) : null}
      <p>{s.reportIntro}</p>
      <form method="post" action={`/lieux/${p.id}/signaler`}>
        <Csrf token={props.csrf} />
        <div class={props.errors.message ? 'field has-error' : 'field'}>
          <label for="message">{s.reportMessageLabel}</label>
          <p class="hint" id="message-aide">
            {s.reportMessageHint}
          </p>
          {props.errors.message ? (
            <p class="field-error" id="message-erreur">
              {props.errors.message}
            </p>
          ) : null}
          <textarea
            id="message"
            name="message"
            rows={6}
            maxlength={2000}
            required
            aria-describedby={props.errors.message ? 'message-aide message-erreur' : 'message-aide'}
            aria-invalid={props.errors.message ? 'true' : undefined}
          >
            {props.values.message}
          </textarea>
        </div>
        <div class={props.errors.contact ? 'field has-error' : 'field'}>
          <label for="contact">{s.reportContactLabel}</label>
          <p class="hint" id="contact-aide">
            {s.reportContactHint}
          </p>
          {props.errors.contact ? (
            <p class="field-error" id="contact-erreur">
              {props.errors.contact}
            </p>
          ) : null}
          <input
            id="contact"
            name="contact"
            type="text"
            maxlength={200}
            autocomplete="tel"
            value={props.values.contact}
            aria-describedby={props.errors.contact ? 'contact-aide contact-erreur' : 'contact-aide'}
            aria-invalid={props.errors.contact ? 'true' : undefined}
          />
        </div>
        <p>
          <button type="submit">{s.reportSubmit}</button>
        </p>
      </form>
      <p>
        <a href={`/lieux/${p.id}`}>{s.backToPlace(p.nom)}</a>
      </p>
    </Layout>
  );
}

export function ReportThanksPage(props: { ctx: PageContext; place: Place }) {
  const s = stringsOf(props.ctx);
  return (
    <Layout title={s.reportThanksTitle} ctx={props.ctx}>
      <h1>{s.reportThanksTitle}</h1>
      <p>{s.reportThanks}</p>
      <p>
        <a href={`/lieux/${props.place.id}`}>{s.backToPlace(props.place.nom)}</a>
      </p>
    </Layout>
  );
}

/** A report refused by a limit: which one, the network's phone number, the way back. */
export function ReportLimitedPage(props: {
  ctx: PageContext;
  place: Place;
  reason: 'too_many_from_client' | 'too_many_for_place';
}) {
  const s = stringsOf(props.ctx);
  return (
    <Layout title={s.reportLimitedTitle} ctx={props.ctx}>
      <h1>{s.reportLimitedTitle}</h1>
      <p>{props.reason === 'too_many_for_place' ? s.reportTooManyForPlace : s.reportTooManyFromClient}</p>
      <NetworkContactLine contact={props.ctx.networkContact} falc={props.ctx.prefs?.falc ?? false} />
      <p>
        <a href={`/lieux/${props.place.id}`}>{s.backToPlace(props.place.nom)}</a>
      </p>
    </Layout>
  );
}

// --- Preferences, accessibility ---

export function PreferencesPage(props: { ctx: PageContext; saved: boolean; csrf: string }) {
  const s = stringsOf(props.ctx);
  const prefs = props.ctx.prefs ?? DEFAULT_PREFS;
  return (
    <Layout title={s.prefsTitle} ctx={props.ctx}>
      <h1>{s.prefsTitle}</h1>
      {props.saved ? (
        <p class="notice" role="status">
          {s.prefsSaved}
        </p>
      ) : null}
      <p>{s.prefsIntro}</p>
      <form method="post" action="/preferences">
        <Csrf token={props.csrf} />
        <fieldset>
          <legend>{s.prefsLegend}</legend>
          <Checkbox
            name="grand"
            value="1"
            id="pref-grand"
            label={s.prefLargeText}
            checked={prefs.largeText}
          />
          <Checkbox
            name="contraste"
            value="1"
            id="pref-contraste"
            label={s.prefContrast}
            checked={prefs.highContrast}
          />
          <Checkbox name="espace" value="1" id="pref-espace" label={s.prefSpacing} checked={prefs.spacing} />
          <Checkbox name="falc" value="1" id="pref-falc" label={s.prefFalc} checked={prefs.falc} />
        </fieldset>
        <p class="hint">{s.prefFalcNote}</p>
        <p>
          <button type="submit">{s.prefsSave}</button>
        </p>
      </form>
    </Layout>
  );
}

export function AccessibilityPage(props: { ctx: PageContext }) {
  const s = stringsOf(props.ctx);
  const { phone, email } = props.ctx.networkContact;
  return (
    <Layout title={s.a11yTitle} ctx={props.ctx}>
      <h1>{s.a11yTitle}</h1>
      <p>
        <strong>{s.a11yStatus}</strong>
      </p>
      <h2>{s.a11yHowHeading}</h2>
      <p>{s.a11yHow}</p>
      <p>{s.a11yNoAudit}</p>
      <h2>{s.a11yLimitsHeading}</h2>
      <ul>
        <li>{s.a11yLimitMap}</li>
        <li>{s.a11yLimitFalc}</li>
        <li>{s.a11yLimitData}</li>
        <li>{s.a11yLimitPdf}</li>
      </ul>
      <h2>{s.a11yContactHeading}</h2>
      <p>{s.a11yContact}</p>
      <ul>
        {phone ? (
          <li>
            {s.a11yPhone('')}
            <a href={phoneHref(phone)}>{formatPhone(phone)}</a>
          </li>
        ) : null}
        {email ? (
          <li>
            {s.a11yEmail('')}
            <a href={`mailto:${email}`}>{email}</a>
          </li>
        ) : null}
      </ul>
      <p>{s.a11yDefender}</p>
    </Layout>
  );
}

export function EmbedHomePage(props: { ctx: PageContext }) {
  const s = stringsOf(props.ctx);
  return (
    <Layout title={s.embedTitle} ctx={props.ctx} embed>
      <h1>{s.embedTitle}</h1>
      <SearchForm s={s} action="/embed" params={{}} besoin={null} where={null} />
    </Layout>
  );
}
