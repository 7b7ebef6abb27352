import { formatInteger } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { NEED_GROUPS, NEEDS, type Need } from './needs.ts';
import { SearchForm, stringsOf, WhereField } from './search.views.tsx';
import type { SearchStrings } from './strings.ts';

/** The search's front pages: the home page with every need, and the search inside a partner's page. */
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
        data-found={s.nearMeFound}
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

/** The group open at first: online procedures are what most people come for. */
const OPEN_GROUP: Need['group'] = 'demarches';

/**
 * The home page puts the town first: on a phone, "Où ?" is on the first screen and the needs follow it,
 * grouped; every group but the most common one is folded in a <details>, which opens without
 * JavaScript, with the keyboard (Enter or Space on its title). The form's GET parameters are the same
 * as ever (`ou`, `besoin`).
 */
export function HomePage(props: { ctx: PageContext; total: number; territoryLabel: string }) {
  const s = stringsOf(props.ctx);
  const groups = Object.keys(NEED_GROUPS) as Need['group'][];
  return (
    <Layout title={s.homeTitle} ctx={props.ctx}>
      <h1>{s.homeTitle}</h1>
      <p>{s.homeIntro(props.territoryLabel)}</p>
      <form method="get" action="/recherche#resultats" class="search home-search">
        <WhereField s={s} />
        <NearMe s={s} />
        <fieldset class="needs">
          <legend>
            <span class="legend-title">{s.needLegend}</span>
          </legend>
          <p class="hint">{s.needHint}</p>
          {groups.map((g) => (
            <details class="need-group" open={g === OPEN_GROUP}>
              <summary>{s.groupLabel(g)}</summary>
              <div class="choices">
                {NEEDS.filter((n) => n.group === g).map((n) => (
                  <div class="choice">
                    <input type="radio" name="besoin" id={`besoin-${n.slug}`} value={n.slug} />
                    <label for={`besoin-${n.slug}`}>{s.needLabel(n)}</label>
                  </div>
                ))}
              </div>
            </details>
          ))}
          <div class="choices need-any">
            <div class="choice">
              <input type="radio" name="besoin" id="besoin-autre" value="" />
              <label for="besoin-autre">{s.needAny}</label>
            </div>
          </div>
        </fieldset>
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

export function EmbedHomePage(props: { ctx: PageContext }) {
  const s = stringsOf(props.ctx);
  return (
    <Layout title={s.embedTitle} ctx={props.ctx} embed>
      <h1>{s.embedTitle}</h1>
      <SearchForm s={s} action="/embed" params={{}} besoin={null} where={null} />
    </Layout>
  );
}
