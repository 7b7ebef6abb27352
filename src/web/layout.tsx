import type { Child } from 'hono/jsx';
import type { NetworkContact } from '../config.ts';
import { keepUnits } from '../shared/format.ts';
import { formatPhone, phoneHref } from '../shared/phone.ts';
import { SCRIPT, STYLE } from './assets.ts';
import { DEFAULT_PREFS, type Prefs, prefsClasses } from './prefs.ts';
import { LAYOUT_STRINGS } from './strings.ts';

/** What every page needs to know besides its own content. */
export interface PageContext {
  networkContact: NetworkContact;
  /** Demonstration records exist: every page says so. */
  demo: boolean;
  /** Display preferences (cookie `prefs`); defaults when absent. */
  prefs?: Prefs;
  /** The signed-in person (complete session): the menu shows "Mon espace" instead of "Se connecter". */
  account?: { name: string };
  /** A tile server is configured (TILE_SERVER_URL): the results map is drawn with Leaflet over it. */
  tiles?: { url: string; attribution: string };
  /** Shown to coordinators when no SMTP server is configured outside demonstration mode. */
  mailUndelivered?: boolean;
}

/** The layout's words in the reader's variant (ordinary or FALC). */
export function layoutStrings(ctx: PageContext) {
  return LAYOUT_STRINGS.pick((ctx.prefs ?? DEFAULT_PREFS).falc);
}

export function NetworkContactLine({ contact, falc = false }: { contact: NetworkContact; falc?: boolean }) {
  const s = LAYOUT_STRINGS.pick(falc);
  return (
    <p class="contact">
      {s.contactLead}
      {contact.phone ? (
        <>
          {' '}
          {s.contactAt}{' '}
          <a href={phoneHref(contact.phone)}>
            <strong>{formatPhone(contact.phone)}</strong>
          </a>
        </>
      ) : null}
      {contact.hours ? <> ({keepUnits(contact.hours)})</> : null}
      {contact.email ? (
        <>
          {contact.phone ? s.contactOrWrite : s.contactWrite}
          <a href={`mailto:${contact.email}`}>{contact.email}</a>
        </>
      ) : null}
      .
    </p>
  );
}

export function Layout(props: {
  title: string;
  ctx: PageContext;
  children: Child;
  /** The search inside a partner's page (/embed): no menu, a short footer. */
  embed?: boolean;
}) {
  const prefs = props.ctx.prefs ?? DEFAULT_PREFS;
  const s = LAYOUT_STRINGS.pick(prefs.falc);
  const classes = prefsClasses(prefs);
  return (
    <html lang="fr" class={classes || undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Maillage`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={STYLE.url} />
        <script src={SCRIPT.url} defer />
      </head>
      <body class={props.embed ? 'embed' : undefined}>
        <a class="skip-link" href="#contenu">
          {s.skipLink}
        </a>
        <header class="site">
          {props.embed ? null : (
            <div class="wrap">
              <a class="brand" href="/">
                Maillage
              </a>
              {/* Display preferences from the top of every page (larger text, contrast, plain words). */}
              <a class="prefs-link" href="/preferences">
                {s.displayShort}
                <span class="visually-hidden">{s.displayMore}</span>
              </a>
              <nav aria-label={s.mainMenu}>
                <ul>
                  <li>
                    <a href="/">{s.home}</a>
                  </li>
                  <li>
                    <a href="/lieux">{s.allPlaces}</a>
                  </li>
                  <li>
                    <a href="/agenda">{s.agenda}</a>
                  </li>
                  <li>
                    <a href="/diagnostic">{s.diagnostic}</a>
                  </li>
                  <li>
                    {props.ctx.account ? (
                      <a href="/espace">Mon espace</a>
                    ) : (
                      <a href="/connexion">Se connecter</a>
                    )}
                  </li>
                </ul>
              </nav>
            </div>
          )}
          {/* Inside the header (banner landmark): no content of the page lies outside a landmark. */}
          {props.ctx.demo ? (
            <div class="demo-banner" role="note">
              <div class="wrap">
                <p>
                  <strong>{s.demoLead}</strong> {s.demoText}
                </p>
              </div>
            </div>
          ) : null}
          {props.ctx.mailUndelivered ? (
            <div class="demo-banner" role="note">
              <div class="wrap">
                <p>
                  {s.mailUndelivered} <a href="/compte/courriels">{s.mailUndeliveredLink}</a>
                </p>
              </div>
            </div>
          ) : null}
        </header>
        <main id="contenu" tabindex={-1}>
          <div class="wrap">{props.children}</div>
        </main>
        <footer class="site">
          <div class="wrap">
            <NetworkContactLine contact={props.ctx.networkContact} falc={prefs.falc} />
            <ul>
              {props.embed ? (
                <li>
                  <a href="/" target="_top">
                    {s.embedFullSite}
                  </a>
                </li>
              ) : (
                <>
                  <li>
                    <a href="/lieux">{s.allPlaces}</a>
                  </li>
                  <li>
                    <a href="/agenda">{s.agenda}</a>
                  </li>
                  <li>
                    <a href="/diagnostic">{s.diagnostic}</a>
                  </li>
                  <li>
                    <a href="/ressources">Ressources du réseau</a>
                  </li>
                  <li>
                    <a href="/benevolat">Devenir bénévole</a>
                  </li>
                  <li>
                    <a href="/preferences">{s.preferences}</a>
                  </li>
                  <li>
                    {/* The open-data page lists the spreadsheet file for people beside the schema-exact
                    files for machines (docs/decisions/0054). */}
                    <a href="/donnees">{s.openData}</a>
                  </li>
                </>
              )}
              <li>
                <a href="/accessibilite" target={props.embed ? '_top' : undefined}>
                  {s.accessibility}
                </a>
              </li>
              <li>
                <a href="/mentions-legales" target={props.embed ? '_top' : undefined}>
                  Mentions légales
                </a>
              </li>
              <li>
                <a href="/donnees-personnelles" target={props.embed ? '_top' : undefined}>
                  Données personnelles
                </a>
              </li>
            </ul>
            {props.embed ? null : <p>{s.credits}</p>}
          </div>
        </footer>
      </body>
    </html>
  );
}
