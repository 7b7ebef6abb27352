import type { Child } from 'hono/jsx';
import type { NetworkContact } from '../config.ts';
import { STYLE } from './assets.ts';

/** What every page needs to know besides its own content. */
export interface PageContext {
  networkContact: NetworkContact;
  /** Demonstration records exist: every page says so. */
  demo: boolean;
}

export function phoneHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** "0261910000" or "+33261910000" → "02 61 91 00 00" (French numbers grouped by two). */
export function formatPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  const national = digits.startsWith('+33') ? `0${digits.slice(3)}` : digits;
  if (/^0\d{9}$/.test(national)) return national.replace(/(\d{2})(?=\d)/g, '$1 ');
  return phone;
}

export function NetworkContactLine({ contact }: { contact: NetworkContact }) {
  return (
    <p class="contact">
      Besoin d'aide pour trouver un lieu ? Appelez le réseau
      {contact.phone ? (
        <>
          {' '}
          au{' '}
          <a href={phoneHref(contact.phone)}>
            <strong>{formatPhone(contact.phone)}</strong>
          </a>
        </>
      ) : null}
      {contact.hours ? <> ({contact.hours})</> : null}
      {contact.email ? (
        <>
          {contact.phone ? ' ou écrivez à ' : ' : écrivez à '}
          <a href={`mailto:${contact.email}`}>{contact.email}</a>
        </>
      ) : null}
      .
    </p>
  );
}

export function Layout(props: { title: string; ctx: PageContext; children: Child }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Maillage`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={STYLE.url} />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header class="site">
          <div class="wrap">
            <a class="brand" href="/">
              Maillage
            </a>
            <nav aria-label="Menu principal">
              <ul>
                <li>
                  <a href="/">Accueil</a>
                </li>
                <li>
                  <a href="/lieux">Tous les lieux</a>
                </li>
              </ul>
            </nav>
          </div>
          {/* Inside the header (banner landmark): no content of the page lies outside a landmark. */}
          {props.ctx.demo ? (
            <div class="demo-banner" role="note">
              <div class="wrap">
                <p>
                  <strong>Démonstration :</strong> les lieux affichés sont inventés pour montrer Maillage.
                  Leurs numéros et adresses ne sont pas réels.
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
            <NetworkContactLine contact={props.ctx.networkContact} />
            <ul>
              <li>
                <a href="/lieux">Tous les lieux</a>
              </li>
              <li>
                <a href="/api/v1/lieux/export?format=csv">Données ouvertes (CSV)</a>
              </li>
            </ul>
            <p>
              Données des lieux au format du schéma national (ANCT / La MedNum). Communes : IGN – INSEE.
              Maillage est un logiciel libre.
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
