import { Csrf, ErrorSummary, Field, Notice, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { seatWords, whenWords } from './agenda.views.tsx';
import { workshopPath } from './ical.ts';
import type { RegistrationView } from './registrations.service.ts';
import type { SeatCounts } from './workshops.repository.ts';
import type { WorkshopView } from './workshops.service.ts';
import {
  dateWords,
  type FieldErrors,
  REGISTRATION_STATE_LABELS,
  WORKSHOP_STATUS_LABELS,
} from './workshops.ts';

/** The structure's staff pages of the agenda: its workshops, a date's registrations and attendance. */

export const datePath = (dateId: string) => `/agenda/gestion/dates/${dateId}`;

/** `/agenda/gestion`: the workshops of the person's structures, each date linking to its list. */
export function StaffWorkshopsPage(props: {
  ctx: PageContext;
  csrf: string;
  workshops: WorkshopView[];
  notice?: string | undefined;
}) {
  return (
    <Layout title="Mes ateliers" ctx={props.ctx}>
      <Notice text={props.notice} />
      <h1>Mes ateliers</h1>
      <p>
        <a href="/agenda/gestion/nouveau" class="button">
          Nouvel atelier
        </a>
      </p>
      {props.workshops.length === 0 ? (
        <p>Votre structure n’a pas encore d’atelier dans l’agenda.</p>
      ) : (
        <ul class="cards">
          {props.workshops.map((w) => (
            <li class="card">
              <h2>
                <a href={workshopPath(w.id)}>{w.title}</a>
              </h2>
              <p class="meta">
                {WORKSHOP_STATUS_LABELS[w.status]} · {w.structureName} · {w.capacity} places
              </p>
              <ul>
                {w.dates.map((d) => (
                  <li>
                    <a href={datePath(d.id)}>{whenWords(d)}</a> : {seatWords(d)} ·{' '}
                    {d.registered + d.attended + d.absent} inscrit(s), {d.waiting} en attente
                  </li>
                ))}
              </ul>
              {w.status !== 'cancelled' ? (
                <p>
                  <a href={`/agenda/gestion/ateliers/${w.id}/modifier`}>Modifier « {w.title} »</a> ·{' '}
                  <a href={`/agenda/gestion/ateliers/${w.id}/dates`}>Ajouter des dates à « {w.title} »</a>
                </p>
              ) : null}
              {w.status !== 'cancelled' ? (
                <form method="post" action={`/agenda/gestion/ateliers/${w.id}/annuler`}>
                  <Csrf token={props.csrf} />
                  <button type="submit" class="button secondary">
                    Annuler l’atelier « {w.title} »
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface DateRegistrations {
  workshopId: string;
  structureId: string;
  title: string;
  startsAt: Date;
  capacity: number;
  over: boolean;
  activityId: string | null;
  counts: SeatCounts;
  registrations: RegistrationView[];
}

/**
 * Once the date is over and attendance taken: the link to record it in the activities (the collective
 * record's form, filled from the workshop), or to the record already written for it.
 */
function ActivityRecordLink(props: { date: DateRegistrations; dateId: string }) {
  const d = props.date;
  if (d.activityId)
    return (
      <p>
        <a href={`/activites/${d.activityId}`}>Voir l’atelier enregistré dans les activités</a>
      </p>
    );
  if (!d.over) return null;
  if (d.counts.attended + d.counts.absent === 0)
    return <p>Prenez les présences : l’atelier pourra ensuite être enregistré dans les activités.</p>;
  const query = `type=collectif&structure=${d.structureId}&atelier=${props.dateId}`;
  return (
    <p>
      <a href={`/activites/nouveau?${query}`} class="button">
        Enregistrer l’atelier dans les activités
      </a>
    </p>
  );
}

const contactOf = (r: RegistrationView) =>
  [r.phone, r.email].filter(Boolean).join(' · ') || (r.byMediator ? 'Inscrit par un médiateur' : '');

/**
 * A date's list for the facilitator (works on a phone): the seated people with present/absent, one
 * button to save; the waiting list; remove a registration; register someone without contact.
 */
export function DateRegistrationsPage(props: {
  ctx: PageContext;
  date: DateRegistrations;
  dateId: string;
  csrf: string;
  notice?: string | undefined;
  errors?: FieldErrors;
  values?: { prenom: string; telephone: string; courriel: string } | undefined;
}) {
  const d = props.date;
  const e = props.errors ?? {};
  const v = props.values ?? { prenom: '', telephone: '', courriel: '' };
  const seated = d.registrations.filter((r) => ['registered', 'attended', 'absent'].includes(r.state));
  const waiting = d.registrations.filter((r) => r.state === 'waiting');
  const title = `${d.title} — ${dateWords(d.startsAt)}`;
  return (
    <Layout title={title} ctx={props.ctx}>
      <ErrorSummary
        items={summaryItems(e, { firstName: 'prenom', phone: 'telephone', email: 'courriel' })}
        autofocus
      />
      <Notice text={props.notice} />
      <h1>{d.title}</h1>
      <p class="meta">
        {dateWords(d.startsAt)} · {seated.length} inscrit(s) sur {d.capacity} places · {waiting.length} en
        attente
      </p>
      <ul>
        <li>
          <a href={`${datePath(props.dateId)}/emargement`}>Feuille d’émargement à imprimer</a>
        </li>
        <li>
          <a href={`${datePath(props.dateId)}/participants.csv`} download>
            Liste des participants (tableur CSV)
          </a>
        </li>
        {d.startsAt > new Date() ? (
          <li>
            <a href={`${datePath(props.dateId)}/deplacer`}>Déplacer cette date</a>
          </li>
        ) : null}
      </ul>
      <ActivityRecordLink date={d} dateId={props.dateId} />
      <form method="post" action={`${datePath(props.dateId)}/annuler`}>
        <Csrf token={props.csrf} />
        <button type="submit" class="button secondary">
          Annuler cette date
        </button>
      </form>
      <h2>Présences</h2>
      {seated.length === 0 ? (
        <p>Personne n’est inscrit.</p>
      ) : (
        <form method="post" action={`${datePath(props.dateId)}/presences`}>
          <Csrf token={props.csrf} />
          {seated.map((r) => (
            <fieldset>
              <legend>
                {r.firstName ?? '(effacé)'} <span class="meta">{contactOf(r)}</span>
              </legend>
              <div class="choices">
                {(['present', 'absent'] as const).map((mark) => (
                  <div class="choice">
                    <input
                      type="radio"
                      id={`presence-${r.id}-${mark}`}
                      name={`presence-${r.id}`}
                      value={mark}
                      checked={
                        (mark === 'present' && r.state === 'attended') ||
                        (mark === 'absent' && r.state === 'absent')
                      }
                    />
                    <label for={`presence-${r.id}-${mark}`}>
                      {mark === 'present' ? 'Présent' : 'Absent'}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
          <button type="submit" class="button">
            Enregistrer les présences
          </button>
        </form>
      )}
      {waiting.length ? (
        <>
          <h2>Liste d’attente</h2>
          <ol>
            {waiting.map((r) => (
              <li>
                {r.firstName} <span class="meta">{contactOf(r)}</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <h2>Retirer une inscription</h2>
      <ul>
        {[...seated.filter((r) => r.state === 'registered'), ...waiting].map((r) => (
          <li>
            <form method="post" action={`/agenda/gestion/inscriptions/${r.id}/retirer`}>
              <Csrf token={props.csrf} />
              {r.firstName} ({REGISTRATION_STATE_LABELS[r.state]}){' '}
              <button type="submit" class="button secondary">
                Retirer {r.firstName}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>Inscrire quelqu’un</h2>
      <form method="post" action={`${datePath(props.dateId)}/inscrire`} novalidate>
        <Csrf token={props.csrf} />
        <p class="hint">
          Le téléphone et l’e-mail sont facultatifs : la personne peut n’avoir ni l’un ni l’autre.
        </p>
        <Field id="prenom" label="Prénom" value={v.prenom} error={e.firstName} maxlength={60} required />
        <Field
          id="telephone"
          label="Téléphone (facultatif)"
          value={v.telephone}
          error={e.phone}
          type="tel"
          maxlength={30}
        />
        <Field
          id="courriel"
          label="Adresse e-mail (facultatif)"
          value={v.courriel}
          error={e.email}
          type="email"
          maxlength={254}
        />
        <button type="submit" class="button">
          Inscrire
        </button>
      </form>
      <p>
        <a href="/agenda/gestion">Mes ateliers</a>
      </p>
    </Layout>
  );
}

/** The attendance sheet (feuille d'émargement): one line per seated person, a column to sign. */
export function AttendanceSheetPage(props: { ctx: PageContext; date: DateRegistrations; dateId: string }) {
  const d = props.date;
  const seated = d.registrations.filter((r) => ['registered', 'attended', 'absent'].includes(r.state));
  const blank = Math.max(0, Math.min(d.capacity, 30) - seated.length);
  return (
    <Layout title={`Feuille d’émargement — ${d.title}`} ctx={props.ctx}>
      <h1>Feuille d’émargement</h1>
      <p>
        <strong>{d.title}</strong> — {dateWords(d.startsAt)}
      </p>
      <table class="attendance-sheet">
        <caption>Personnes inscrites ({seated.length})</caption>
        <thead>
          <tr>
            <th scope="col">N°</th>
            <th scope="col">Prénom</th>
            <th scope="col">Signature</th>
          </tr>
        </thead>
        <tbody>
          {seated.map((r, i) => (
            <tr>
              <td>{i + 1}</td>
              <td>{r.firstName ?? ''}</td>
              <td />
            </tr>
          ))}
          {Array.from({ length: blank }, (_, i) => (
            <tr>
              <td>{seated.length + i + 1}</td>
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <p class="no-print">
        <a href={datePath(props.dateId)}>Retour à la liste</a>
      </p>
    </Layout>
  );
}

/** Before cancelling (a workshop or one date): what it does, and the button that does it. */
export function ConfirmCancelPage(props: {
  ctx: PageContext;
  csrf: string;
  title: string;
  what: string;
  action: string;
  people: number;
}) {
  return (
    <Layout title={props.title} ctx={props.ctx}>
      <h1>{props.title}</h1>
      <p>{props.what}</p>
      <p>
        {props.people === 0
          ? 'Personne n’est inscrit.'
          : `Les personnes inscrites qui ont donné une adresse e-mail sont prévenues (${props.people} inscription(s)). Appelez les autres.`}
      </p>
      <p>Les calendriers abonnés verront la séance annulée.</p>
      <form method="post" action={props.action}>
        <Csrf token={props.csrf} />
        <input type="hidden" name="confirme" value="oui" />
        <button type="submit" class="button">
          Oui, annuler
        </button>
      </form>
      <p>
        <a href="/agenda/gestion">Ne rien annuler</a>
      </p>
    </Layout>
  );
}
