import { THEME_LABELS } from '../activities/vocabulary.ts';
import type { Commune } from '../communes/communes.ts';
import { NEEDS } from '../search/needs.ts';
import { Csrf, ErrorSummary, Field, FieldError, Select, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { AgendaSearch } from './agenda.service.ts';
import { workshopPath } from './ical.ts';
import type { NetworkDaySummary } from './network-days.service.ts';
import { NetworkDaysList } from './network-days.views.tsx';
import type { RegistrationByLink } from './registrations.service.ts';
import type { AgendaEntry, DateView, WorkshopView } from './workshops.service.ts';
import { dateWords, type FieldErrors, priceWords, WORKSHOP_STATUS_LABELS } from './workshops.ts';

/** The public agenda's pages: the list, a workshop with its registration form, its answers, the cancel link. */

const LEVEL_LABELS = { debutant: 'Débutant', intermediaire: 'Intermédiaire', avance: 'Avancé' } as const;

const TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  hour: '2-digit',
  minute: '2-digit',
});
const endWords = (d: { endsAt: Date }) => TIME.format(d.endsAt).replace(':', ' h ');

/** "mardi 12 janvier 2027 à 14 h 00 – 16 h 00". */
export const whenWords = (d: { startsAt: Date; endsAt: Date }) => `${dateWords(d.startsAt)} – ${endWords(d)}`;

/** What a date offers now, in plain words. */
export function seatWords(d: DateView): string {
  if (d.status === 'cancelled') return 'Annulé';
  if (d.past) return 'Passé';
  if (d.seatsLeft === 0) return 'Complet : inscription sur liste d’attente';
  return d.seatsLeft === 1 ? '1 place libre' : `${d.seatsLeft} places libres`;
}

const topicsOf = (w: { needs: string[]; themes: string[] }) => [
  ...w.needs.map((n) => NEEDS.find((x) => x.slug === n)?.label ?? n),
  ...w.themes.map((t) => THEME_LABELS[t as keyof typeof THEME_LABELS] ?? t),
];

const whereWords = (w: { mode: 'place' | 'online'; placeName: string | null }) =>
  w.mode === 'online' ? 'En ligne' : (w.placeName ?? 'Lieu à préciser');

function EntryCard({ e }: { e: AgendaEntry }) {
  const w = e.workshop;
  return (
    <li class="card">
      <h3>
        <a href={workshopPath(w.id)}>{w.title}</a>
      </h3>
      <p class="meta">
        {whenWords(e.date)} · {whereWords(w)}
      </p>
      <p>
        {e.date.status === 'tentative' ? <span class="tag">À confirmer</span> : null}{' '}
        <strong>{seatWords(e.date)}</strong> · {priceWords(w.priceCents)}
        {w.structureName && w.structureName !== w.placeName ? ` · ${w.structureName}` : ''}
      </p>
    </li>
  );
}

/** `/agenda`: the search form (works without JavaScript) and the coming dates. */
export function AgendaPage(props: {
  ctx: PageContext;
  search: AgendaSearch;
  days?: readonly NetworkDaySummary[];
}) {
  const s = props.search;
  const title = s.commune ? `Ateliers près de ${s.commune.nom}` : 'Agenda des ateliers';
  const needOptions = NEEDS.map((n) => ({ value: n.slug, label: n.label }));
  const feed = s.need ? `/agenda/themes/${s.need.slug}.ics` : '/agenda.ics';
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <p>Des ateliers gratuits ou à petit prix pour apprendre le numérique, près de chez vous.</p>
      <form method="get" action="/agenda" class="agenda-search">
        <Field
          id="ou"
          label="Où ?"
          value={s.where}
          hint="Votre commune ou son code postal, par exemple Saran ou 45770."
          autocomplete="address-level2"
          maxlength={200}
        />
        <Select
          id="besoin"
          label="Pour quoi faire ?"
          empty="Tous les ateliers"
          options={needOptions}
          value={s.need?.slug ?? ''}
          error={s.unknownNeed ? 'Ce besoin n’est pas dans la liste : choisissez-en un.' : undefined}
        />
        <button type="submit" class="button">
          Chercher
        </button>
      </form>
      {s.candidates.length > 0 ? <Candidates search={s} /> : null}
      <NetworkDaysList days={props.days ?? []} />
      <h2>
        {s.entries.length === 0
          ? 'Aucun atelier à venir'
          : s.entries.length === 1
            ? '1 séance à venir'
            : `${s.entries.length} séances à venir`}
      </h2>
      {s.entries.length === 0 ? (
        <p>
          {s.commune || s.need
            ? 'Aucun atelier ne correspond pour le moment. Essayez une autre commune ou tous les ateliers.'
            : 'Aucun atelier n’est prévu pour le moment.'}
        </p>
      ) : (
        <ul class="cards">
          {s.entries.map((e) => (
            <EntryCard e={e} />
          ))}
        </ul>
      )}
      <p>
        <a href={feed}>Ajouter cet agenda à mon calendrier</a> (format iCal).
      </p>
    </Layout>
  );
}

function Candidates({ search }: { search: AgendaSearch }) {
  const link = (c: Commune) =>
    `/agenda?commune=${c.code}&ou=${encodeURIComponent(c.nom)}${search.need ? `&besoin=${search.need.slug}` : ''}`;
  return (
    <div class="notice">
      <h2>Quelle commune ?</h2>
      <ul>
        {search.candidates.map((c) => (
          <li>
            <a href={link(c)}>
              {c.nom} ({c.codesPostaux[0] ?? c.departement})
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface RegistrationValues {
  date: string;
  prenom: string;
  telephone: string;
  courriel: string;
}

export const EMPTY_REGISTRATION: RegistrationValues = { date: '', prenom: '', telephone: '', courriel: '' };

/** The service's error keys → the form's field ids. */
export const REGISTRATION_ANCHORS = {
  firstName: 'prenom',
  phone: 'telephone',
  email: 'courriel',
  date: 'date',
};

/** `/agenda/ateliers/:id`: the workshop, its dates, and the registration form for the open ones. */
export function WorkshopPage(props: {
  ctx: PageContext;
  workshop: WorkshopView;
  csrf: string;
  values: RegistrationValues;
  errors: FieldErrors;
}) {
  const w = props.workshop;
  const open = w.dates.filter((d) => d.status !== 'cancelled' && !d.past);
  const e = props.errors;
  const v = props.values;
  const chosen = v.date || (open.length === 1 ? (open[0]?.id ?? '') : '');
  return (
    <Layout title={w.title} ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e, REGISTRATION_ANCHORS)} autofocus />
      <h1>{w.title}</h1>
      {w.status !== 'confirmed' ? (
        <p class="notice">
          <strong>{WORKSHOP_STATUS_LABELS[w.status]}</strong>
          {w.status === 'cancelled'
            ? ' : cet atelier n’aura pas lieu.'
            : ' : la structure doit encore le confirmer.'}
        </p>
      ) : null}
      {w.description
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p) => (
          <p>{p}</p>
        ))}
      <dl class="facts">
        <dt>Où</dt>
        <dd>
          {w.mode === 'online' ? (
            'En ligne (le lien est donné aux personnes inscrites)'
          ) : w.placeId ? (
            <a href={`/lieux/${w.placeId}`}>{w.placeName}</a>
          ) : (
            (w.placeName ?? 'Lieu à préciser')
          )}
        </dd>
        <dt>Prix</dt>
        <dd>{priceWords(w.priceCents)}</dd>
        <dt>Pour qui</dt>
        <dd>{w.audience || 'Tout le monde'}</dd>
        <dt>Niveau</dt>
        <dd>{w.level ? LEVEL_LABELS[w.level] : 'Tous niveaux'}</dd>
        <dt>Accessibilité</dt>
        <dd>{w.accessibility || 'Non précisée : demandez à la structure'}</dd>
        <dt>Thèmes</dt>
        <dd>{topicsOf(w).join(', ')}</dd>
        <dt>Proposé par</dt>
        <dd>{w.structureName ?? 'Une structure du réseau'}</dd>
        <dt>Places</dt>
        <dd>{w.capacity} par séance</dd>
      </dl>
      <h2>Dates</h2>
      <ul>
        {w.dates.map((d) => (
          <li>
            {whenWords(d)} : <strong>{seatWords(d)}</strong>
          </li>
        ))}
      </ul>
      {open.length === 0 || w.status === 'cancelled' ? (
        <p>Il n’y a pas de date ouverte à l’inscription.</p>
      ) : (
        <form method="post" action={`${workshopPath(w.id)}/inscription`} novalidate>
          <Csrf token={props.csrf} />
          <h2>S’inscrire</h2>
          <p>Sans compte. Vous recevez un lien pour annuler si vous ne pouvez plus venir.</p>
          <fieldset class={e.date ? 'has-error' : undefined}>
            <legend>Quelle date ?</legend>
            <FieldError id="date" message={e.date} />
            <div class="choices" id="date">
              {open.map((d) => (
                <div class="choice">
                  <input
                    type="radio"
                    id={`date-${d.id}`}
                    name="date"
                    value={d.id}
                    checked={chosen === d.id}
                    aria-describedby={e.date ? 'date-erreur' : undefined}
                  />
                  <label for={`date-${d.id}`}>
                    {whenWords(d)} — {seatWords(d)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <Field
            id="prenom"
            label="Prénom"
            value={v.prenom}
            error={e.firstName}
            autocomplete="given-name"
            maxlength={60}
            required
          />
          <p class="hint">Pour être prévenu : un numéro de téléphone ou une adresse e-mail (ou les deux).</p>
          <Field
            id="telephone"
            label="Téléphone"
            value={v.telephone}
            error={e.phone}
            type="tel"
            autocomplete="tel"
            hint="Par exemple 06 12 34 56 78."
            maxlength={30}
          />
          <Field
            id="courriel"
            label="Adresse e-mail"
            value={v.courriel}
            error={e.email}
            type="email"
            autocomplete="email"
            hint="Vous y recevez la confirmation et le rappel la veille."
            maxlength={254}
          />
          <button type="submit" class="button">
            M’inscrire
          </button>
        </form>
      )}
      <p>
        <a href="/agenda">Tous les ateliers</a>
      </p>
    </Layout>
  );
}

/** The answer to a registration: said once, with the cancellation link (never mailed again). */
export function RegisteredPage(props: {
  ctx: PageContext;
  workshop: WorkshopView;
  startsAt: Date;
  state: 'registered' | 'waiting';
  position: number | null;
  cancelUrl: string;
  mailed: boolean;
}) {
  const waiting = props.state === 'waiting';
  const title = waiting ? 'Vous êtes sur la liste d’attente' : 'Vous êtes inscrit';
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <p>
        <strong>{props.workshop.title}</strong>, le {dateWords(props.startsAt)}
        {props.workshop.mode === 'place' && props.workshop.placeName ? `, ${props.workshop.placeName}` : ''}.
      </p>
      {waiting ? (
        <p>
          L’atelier est complet. Vous êtes{' '}
          {props.position === 1 ? 'la première personne' : `n° ${props.position}`} sur la liste d’attente. Si
          une place se libère, elle est pour vous et nous vous prévenons.
        </p>
      ) : (
        <p>Votre place est réservée.</p>
      )}
      {props.mailed ? <p>Nous vous avons aussi envoyé ces informations par e-mail.</p> : null}
      <h2>Si vous ne pouvez plus venir</h2>
      <p>Gardez ce lien : il sert à annuler votre inscription et libérer la place pour quelqu’un d’autre.</p>
      <p class="pre-line">
        <a href={props.cancelUrl}>{props.cancelUrl}</a>
      </p>
      <p>
        <a href={workshopPath(props.workshop.id)}>Retour à l’atelier</a>
      </p>
    </Layout>
  );
}

/** `GET /agenda/annulation/:token`: what the link cancels, and a button (nothing is cancelled on GET). */
export function CancelPage(props: {
  ctx: PageContext;
  registration: RegistrationByLink;
  csrf: string;
  action: string;
}) {
  const r = props.registration;
  const live = r.state === 'registered' || r.state === 'waiting';
  return (
    <Layout title="Annuler mon inscription" ctx={props.ctx}>
      <h1>Annuler mon inscription</h1>
      <p>
        {r.firstName ? `${r.firstName}, vous` : 'Vous'} êtes{' '}
        {r.state === 'waiting' ? 'sur la liste d’attente de' : 'inscrit à'} <strong>{r.workshopTitle}</strong>
        , le {dateWords(r.startsAt)}.
      </p>
      {live ? (
        <form method="post" action={props.action}>
          <Csrf token={props.csrf} />
          <button type="submit" class="button">
            Oui, annuler mon inscription
          </button>
        </form>
      ) : (
        <p>Cette inscription n’est plus active.</p>
      )}
    </Layout>
  );
}

export function CancelledPage(props: { ctx: PageContext; workshopTitle: string; startsAt: Date }) {
  return (
    <Layout title="Inscription annulée" ctx={props.ctx}>
      <h1>Inscription annulée</h1>
      <p>
        Votre inscription à <strong>{props.workshopTitle}</strong> du {dateWords(props.startsAt)} est annulée.
        Merci d’avoir libéré la place.
      </p>
      <p>
        <a href="/agenda">Voir les autres ateliers</a>
      </p>
    </Layout>
  );
}
