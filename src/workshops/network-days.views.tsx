import { Layout, type PageContext } from '../web/layout.tsx';
import type { NetworkDaySummary, NetworkDayView, SessionView } from './network-days.service.ts';
import { parisLocal } from './workshops.ts';

/** The network's days as everybody sees them (decision 0043): the programme, its printable A4 sheet. */

export const networkDayPath = (id: string) => `/agenda/journees/${id}`;
const workshopPath = (id: string) => `/agenda/ateliers/${id}`;

/** '2027-01-12' → 'mardi 12 janvier 2027'. */
export function dayWords(day: string): string {
  return new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${day}T12:00:00Z`));
}

/** An instant → '9 h 30' (Paris). */
export function hourWords(instant: Date): string {
  const [h, m] = parisLocal(instant).slice(11).split(':');
  return `${Number(h)} h ${m}`;
}

const timeWords = (s: SessionView) => `${hourWords(s.date.startsAt)} – ${hourWords(s.date.endsAt)}`;

function seatsWords(s: SessionView): string {
  if (s.status === 'cancelled') return 'Séance annulée';
  if (s.ended)
    return s.date.attended === 1 ? '1 personne présente' : `${s.date.attended} personnes présentes`;
  if (s.date.seatsLeft === 0) return `Complet (${s.date.waiting} en liste d’attente)`;
  return s.date.seatsLeft === 1 ? '1 place libre' : `${s.date.seatsLeft} places libres`;
}

function Speakers({ s }: { s: SessionView }) {
  if (s.speakers.length === 0) return null;
  return (
    <p>
      Avec{' '}
      {s.speakers.map((p, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <strong>{p.name}</strong>
          {p.role ? ` (${p.role})` : ''}
        </>
      ))}
    </p>
  );
}

function SessionCard({ s }: { s: SessionView }) {
  return (
    <li class="card">
      <h3>
        <a href={workshopPath(s.workshopId)}>{s.title}</a>
      </h3>
      <p class="meta">
        {timeWords(s)}
        {s.room ? ` · ${s.room}` : ''}
      </p>
      <Speakers s={s} />
      {s.description ? <p>{s.description}</p> : null}
      <p>
        <strong>{seatsWords(s)}</strong>
        {!s.ended && s.status !== 'cancelled' ? (
          <>
            {' · '}
            <a href={workshopPath(s.workshopId)}>
              S’inscrire<span class="visually-hidden"> à « {s.title} »</span>
            </a>
          </>
        ) : null}
      </p>
      {s.replayUrl || s.slidesUrl ? (
        <ul class="session-links">
          {s.replayUrl ? (
            <li>
              <a href={s.replayUrl}>
                Revoir la séance<span class="visually-hidden"> « {s.title} »</span> (vidéo)
              </a>
            </li>
          ) : null}
          {s.slidesUrl ? (
            <li>
              <a href={s.slidesUrl}>
                Supports<span class="visually-hidden"> de « {s.title} »</span>
              </a>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

/** `/agenda/journees/:id`: the programme by track and time, with registration links and counts. */
export function NetworkDayPage(props: { ctx: PageContext; day: NetworkDayView }) {
  const d = props.day;
  return (
    <Layout title={d.title} ctx={props.ctx}>
      <h1>{d.title}</h1>
      <p class="meta">
        {d.status === 'cancelled' ? <span class="tag">Annulée</span> : null}
        {d.status === 'tentative' ? <span class="tag">À confirmer</span> : null} {dayWords(d.day)} ·{' '}
        {d.placeName}
        {d.structureName ? ` · organisée par ${d.structureName}` : ''}
      </p>
      {d.description ? <p>{d.description}</p> : null}
      <p class="no-print">
        <a href={`${networkDayPath(d.id)}/programme`}>Programme à imprimer (A4)</a>
        {d.past ? null : ' · Inscription gratuite à chaque séance, sans compte.'}
      </p>
      {d.past && d.sessions.length > 0 ? (
        <p>
          {d.attended === 1
            ? '1 présence notée sur la journée.'
            : `${d.attended} présences notées sur la journée, toutes séances comprises.`}
        </p>
      ) : null}
      {d.tracks.length === 0 || d.sessions.length === 0 ? <p>Le programme sera bientôt publié.</p> : null}
      {d.tracks
        .filter((t) => t.sessions.length > 0)
        .map((t) => (
          <section aria-labelledby={`parcours-${t.position}`}>
            <h2 id={`parcours-${t.position}`}>
              Parcours {t.position} : {t.name}
            </h2>
            <ul class="cards">
              {t.sessions.map((s) => (
                <SessionCard s={s} />
              ))}
            </ul>
          </section>
        ))}
      <p class="no-print">
        <a href="/agenda">Tout l’agenda</a>
      </p>
    </Layout>
  );
}

/** `/agenda/journees/:id/programme`: one A4 sheet, the sessions by time, for the day's welcome desk. */
export function NetworkDayProgrammePage(props: { ctx: PageContext; day: NetworkDayView; publicUrl: string }) {
  const d = props.day;
  const track = new Map(d.tracks.map((t) => [t.id, t]));
  return (
    <Layout title={`Programme — ${d.title}`} ctx={props.ctx}>
      <div class="programme">
        <h1>{d.title}</h1>
        <p>
          <strong>{dayWords(d.day)}</strong> · {d.placeName}
          {d.structureName ? ` · organisée par ${d.structureName}` : ''}
        </p>
        <section class="table-scroll" aria-label="Programme de la journée" tabindex={0}>
          <table class="programme-table">
            <caption>Programme ({d.sessions.length} séances)</caption>
            <thead>
              <tr>
                <th scope="col">Horaire</th>
                <th scope="col">Séance</th>
                <th scope="col">Parcours</th>
                <th scope="col">Salle</th>
              </tr>
            </thead>
            <tbody>
              {d.sessions.map((s) => (
                <tr>
                  <td>{timeWords(s)}</td>
                  <td>
                    <strong>{s.title}</strong>
                    {s.status === 'cancelled' ? ' (annulée)' : ''}
                    {s.speakers.length > 0 ? (
                      <>
                        <br />
                        {s.speakers.map((p) => (p.role ? `${p.name} (${p.role})` : p.name)).join(', ')}
                      </>
                    ) : null}
                  </td>
                  <td>{track.get(s.trackId)?.name ?? ''}</td>
                  <td>{s.room}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <p class="programme-url">
          Inscription gratuite à chaque séance :{' '}
          {`${props.publicUrl.replace(/\/+$/, '')}${networkDayPath(d.id)}`}
        </p>
      </div>
      <p class="no-print">
        <a href={networkDayPath(d.id)}>Retour au programme</a>
      </p>
    </Layout>
  );
}

/** The coming days, for `/agenda`. */
export function NetworkDaysList(props: { days: readonly NetworkDaySummary[] }) {
  if (props.days.length === 0) return null;
  return (
    <section aria-labelledby="journees-reseau">
      <h2 id="journees-reseau">Journées du réseau</h2>
      <ul class="cards">
        {props.days.map((d) => (
          <li class="card">
            <h3>
              <a href={networkDayPath(d.id)}>{d.title}</a>
            </h3>
            <p class="meta">
              {d.status === 'cancelled' ? <span class="tag">Annulée</span> : null} {dayWords(d.day)} ·{' '}
              {d.placeName}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
