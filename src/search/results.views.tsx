import type { CommuneOutline } from '../communes/basemap.tsx';
import type { CommuneSearch } from '../communes/commune-search.ts';
import { type Commune, departementName } from '../communes/communes.ts';
import { formatInteger } from '../shared/format.ts';
import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Need } from './needs.ts';
import type { SearchOrigin } from './search.service.ts';
import type { SearchHit } from './search.ts';
import {
  addressOf,
  Checkbox,
  ClosureLines,
  type FieldIssue,
  FORM_FIELDS,
  kindOf,
  NeedSelect,
  OpenLine,
  type Params,
  ResultsMap,
  SearchErrorSummary,
  SearchForm,
  stringsOf,
  WhereField,
} from './search.views.tsx';
import type { SearchStrings } from './strings.ts';
import { ACCOMPANIMENT_VALUES, PUBLIC_VALUES, SUPPORT_VALUES } from './vocabulary.ts';

/**
 * The search's answers and how to refine them: the results (list and map), the choice of a commune,
 * the errors, and the filters (a separate step, so that the results page stays light).
 */
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

function needText(s: SearchStrings, need: Need | null): string | null {
  return need ? s.needLabel(need) : null;
}

function HitCard(props: { s: SearchStrings; hit: SearchHit; n: number; embed: boolean }) {
  const { s, hit } = props;
  const p = hit.place;
  const kind = kindOf(p, s);
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
      <OpenLine s={s} status={hit} itinerant={hit.itinerant} address={addressOf(p)} closures={hit.closures} />
      <ClosureLines s={s} closures={hit.closures.slice(0, 1)} />
      {p.telephone ? (
        <p>
          {s.phoneLabel} <a href={phoneHref(p.telephone)}>{formatPhone(p.telephone)}</a>
        </p>
      ) : null}
      <p>
        {s.feesLabel} {fees}
      </p>
      {p.modalitesAccompagnement.length ? (
        <p>{s.helpSentences(p.modalitesAccompagnement).join(' ')}</p>
      ) : null}
    </li>
  );
}

export interface ResultsView {
  ctx: PageContext;
  params: Params;
  need: Need | null;
  origin: SearchOrigin | null;
  hits: SearchHit[];
  nearestAnyway: SearchHit[];
  /** The farthest a result may be from the person (docs/decisions/0025). */
  maxKm: number;
  /** The territory's name when the person's commune lies outside it (the page says so). */
  outside: string | null;
  hasMore: boolean;
  offset: number;
  page: number;
  map: boolean;
  /** The communes drawn under the map (none when no outline is loaded). */
  outlines: readonly CommuneOutline[];
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
  // Nothing at all within reach of the person: no "nearest places" either, the network's phone instead.
  const noneNearby =
    empty && v.nearestAnyway.length === 0 && v.origin !== null && v.offset === 0 && Number.isFinite(v.maxKm);
  return (
    <Layout title={s.resultsTitle(heading, v.page)} ctx={v.ctx} embed={v.embed}>
      <h1 id="resultats" tabindex={-1}>
        {noneNearby ? s.nearbyNoneTitle : empty ? s.emptyTitle : heading}
      </h1>
      {empty ? null : (
        <p>{v.origin ? s.resultsOrder(v.offset + 1, v.offset + v.hits.length) : s.resultsByName}</p>
      )}
      {v.outside && v.origin ? <p class="notice">{s.outsideNotice(v.origin.label, v.outside)}</p> : null}
      {filterWords.length ? <p>{s.resultsFilters(filterWords.join(', '))}</p> : null}
      {/* Nothing within reach: filters cannot help, the network's phone can. */}
      <ul class="actions no-print" hidden={noneNearby}>
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
          <p>
            {noneNearby && v.origin ? s.nearbyNoneText(formatInteger(v.maxKm), v.origin.label) : s.emptyText}
          </p>
          <CallNetwork s={s} ctx={v.ctx} />
          {v.embed ? null : (
            <p class="no-print callback-link">
              <a href="/rappel">{s.callbackNetworkLink}</a>
              {s.callbackNetworkLead}
            </p>
          )}
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
              outlines={v.outlines}
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

/** Links that rerun the search from each commune, keeping the need and the filters. */
function CommuneLinks(props: {
  s: SearchStrings;
  path: string;
  params: Params;
  communes: Commune[];
  /** The first link is the likely answer ("Vouliez-vous dire Saran ?"): drawn as a button. */
  firstIsAnswer?: boolean;
}) {
  return (
    <ul class="communes">
      {props.communes.map((c, i) => (
        <li>
          <a
            class={props.firstIsAnswer && i === 0 ? 'button' : undefined}
            href={withParams(
              props.path,
              props.params,
              { ou: null, commune: c.code, page: null },
              '#resultats',
            )}
          >
            {props.s.communeOption(
              c.nom,
              c.codesPostaux.slice(0, 3).join(', '),
              departementName(c.departement),
            )}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * What "Où ?" could not settle alone (docs/decisions/0034): communes sharing a name or a postcode
 * ("Quelle commune ?"), names spelt close to what was typed ("Vouliez-vous dire Saran ?", the territory's
 * first, then France's), a commune outside the territory (said plainly, with the network's phone), or
 * nothing at all. Never a dead end: the form again and the network's phone.
 */
export function ChooseCommunePage(props: {
  ctx: PageContext;
  params: Params;
  text: string;
  candidates: Commune[];
  match: CommuneSearch['match'];
  /** A commune outside the territory, whose position is unknown. */
  outside: Commune | null;
  /** The territory's communes (their codes) and name. */
  territory: { codes: ReadonlySet<string>; label: string };
  embed: boolean;
  /** A French message when what was typed cannot be a place (postcode with letters). */
  problem: string | null;
}) {
  const s = stringsOf(props.ctx);
  const path = props.embed ? '/embed' : '/recherche';
  const none = props.candidates.length === 0;
  const spelling = props.match === 'spelling' && !none;
  const first = props.candidates[0];
  const title = props.outside
    ? s.outsideTitle(props.outside.nom)
    : none
      ? s.noCommuneTitle
      : spelling && first
        ? s.suggestTitle(first.nom)
        : s.chooseTitle;
  const local = props.candidates.filter((c) => props.territory.codes.has(c.code));
  const france = props.candidates.filter((c) => !props.territory.codes.has(c.code));
  const besoin = props.params.besoin?.[0] ?? null;
  return (
    <Layout
      title={props.outside ? title : `${title} : « ${props.text} »`}
      ctx={props.ctx}
      embed={props.embed}
    >
      <h1>{title}</h1>
      {props.problem ? <SearchErrorSummary s={s} issues={[{ field: 'ou', message: props.problem }]} /> : null}
      {props.outside ? (
        <>
          <p>{s.outsideText(props.outside.nom, props.territory.label)}</p>
          <CallNetwork s={s} ctx={props.ctx} />
        </>
      ) : none ? (
        <p>{props.problem ?? s.noCommune(props.text)}</p>
      ) : spelling && local.length > 0 && france.length > 0 ? (
        <>
          <p>{s.suggestText(props.text)}</p>
          <h2>{s.suggestLocal(props.territory.label)}</h2>
          <CommuneLinks s={s} path={path} params={props.params} communes={local} firstIsAnswer />
          <h2>{s.suggestFrance}</h2>
          <p>{s.suggestFranceText}</p>
          <CommuneLinks s={s} path={path} params={props.params} communes={france} />
        </>
      ) : (
        <>
          <p>{spelling ? s.suggestText(props.text) : s.chooseText(props.text)}</p>
          <CommuneLinks
            s={s}
            path={path}
            params={props.params}
            communes={props.candidates}
            firstIsAnswer={spelling}
          />
        </>
      )}
      {props.outside ? <h2>{s.otherCommune}</h2> : none ? null : <h2>{s.chooseAgain}</h2>}
      <SearchForm
        s={s}
        action={path}
        params={props.params}
        besoin={besoin}
        where={props.outside ? null : props.text}
        whereError={props.problem}
      />
      {props.outside ? null : <CallNetwork s={s} ctx={props.ctx} />}
    </Layout>
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
