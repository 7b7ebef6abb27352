import { THEME_LABELS } from '../activities/vocabulary.ts';
import { Csrf, ErrorSummary, Field, FieldError, Notice, Select, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { NetworkDaySummary, NetworkDayView } from './network-days.service.ts';
import { dayWords, hourWords, networkDayPath } from './network-days.views.tsx';
import type { FieldErrors } from './workshops.ts';

/** The coordinator's pages of the network's days (decision 0043): the list, a day's programme to run. */

export const STAFF_DAYS = '/agenda/gestion/journees';
export const staffDayPath = (id: string) => `${STAFF_DAYS}/${id}`;
export const staffSessionPath = (id: string) => `${STAFF_DAYS}/seances/${id}`;

export interface DayFormValues {
  structureId: string;
  title: string;
  day: string;
  placeId: string;
  description: string;
  status: string;
  tracks: string;
}

export interface SessionFormValues {
  title: string;
  description: string;
  trackId: string;
  start: string;
  end: string;
  room: string;
  speakers: string;
  theme: string;
  capacity: string;
  replayUrl: string;
  slidesUrl: string;
}

export const EMPTY_SESSION: SessionFormValues = {
  title: '',
  description: '',
  trackId: '',
  start: '',
  end: '',
  room: '',
  speakers: '',
  theme: 'culture_numerique',
  capacity: '30',
  replayUrl: '',
  slidesUrl: '',
};

const THEMES = Object.entries(THEME_LABELS).map(([value, label]) => ({ value, label }));
const STATUSES = [
  { value: 'confirmed', label: 'Confirmée' },
  { value: 'tentative', label: 'À confirmer' },
];

function TextArea(props: {
  id: string;
  label: string;
  value: string;
  hint?: string;
  error?: string | undefined;
  rows?: number;
}) {
  const described = [props.hint ? `${props.id}-aide` : '', props.error ? `${props.id}-erreur` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.id} message={props.error} />
      <textarea
        id={props.id}
        name={props.id}
        rows={props.rows ?? 4}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      >
        {props.value}
      </textarea>
    </div>
  );
}

/** `/agenda/gestion/journees`: the network's days, the latest first, and a button for a new one. */
export function StaffNetworkDaysPage(props: { ctx: PageContext; days: readonly NetworkDaySummary[] }) {
  return (
    <Layout title="Journées du réseau" ctx={props.ctx}>
      <h1>Journées du réseau</h1>
      <p>
        <a class="button" href={`${STAFF_DAYS}/nouvelle`}>
          Nouvelle journée
        </a>
      </p>
      {props.days.length === 0 ? (
        <p>Aucune journée pour le moment.</p>
      ) : (
        <ul class="cards">
          {props.days.map((d) => (
            <li class="card">
              <h2>
                <a href={staffDayPath(d.id)}>{d.title}</a>
              </h2>
              <p class="meta">
                {dayWords(d.day)} · {d.placeName}
                {d.structureName ? ` · ${d.structureName}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function DayFields(props: {
  values: DayFormValues;
  errors: FieldErrors;
  places: readonly { id: string; name: string }[];
}) {
  const v = props.values;
  const e = props.errors;
  return (
    <>
      <Field id="title" label="Titre" value={v.title} error={e.title} maxlength={150} />
      <Field
        id="day"
        label="Date"
        type="date"
        value={v.day}
        error={e.day}
        hint="Le jour de la journée, par exemple 2027-01-12."
      />
      <Select
        id="placeId"
        label="Lieu"
        empty="Choisissez le lieu"
        options={props.places.map((p) => ({ value: p.id, label: p.name }))}
        value={v.placeId}
        error={e.placeId}
        hint="Un lieu de l’annuaire."
      />
      <TextArea id="description" label="Description" value={v.description} error={e.description} />
      <Select id="status" label="Statut" options={STATUSES} value={v.status} error={e.status} />
    </>
  );
}

const DAY_ANCHORS = { structureId: 'structureId', tracks: 'tracks' };

/** The new day's form: organising structure, title, date, place, description, first tracks. */
export function NewNetworkDayPage(props: {
  ctx: PageContext;
  csrf: string;
  values: DayFormValues;
  errors: FieldErrors;
  structures: readonly { id: string; name: string }[];
  places: readonly { id: string; name: string }[];
}) {
  const v = props.values;
  const e = props.errors;
  return (
    <Layout title="Nouvelle journée du réseau" ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e, DAY_ANCHORS)} autofocus />
      <h1>Nouvelle journée du réseau</h1>
      <form method="post" action={`${STAFF_DAYS}/nouvelle`} novalidate>
        <Csrf token={props.csrf} />
        <Select
          id="structureId"
          label="Structure organisatrice"
          empty="Choisissez la structure"
          options={props.structures.map((s) => ({ value: s.id, label: s.name }))}
          value={v.structureId}
          error={e.structureId}
          hint="Ses séances sont ses ateliers : son équipe voit les inscriptions et note les présences."
        />
        <DayFields values={v} errors={e} places={props.places} />
        <TextArea
          id="tracks"
          label="Parcours"
          value={v.tracks}
          error={e.tracks}
          hint="Un parcours par ligne, dans l’ordre du programme. Vous pourrez en ajouter ensuite."
        />
        <button type="submit" class="button">
          Créer la journée
        </button>
      </form>
    </Layout>
  );
}

function SessionFields(props: {
  values: SessionFormValues;
  errors: FieldErrors;
  tracks: readonly { id: string; name: string }[];
  withCapacity: boolean;
}) {
  const v = props.values;
  const e = props.errors;
  return (
    <>
      <Field id="title" label="Titre de la séance" value={v.title} error={e.title} maxlength={150} />
      <Select
        id="trackId"
        label="Parcours"
        empty="Choisissez le parcours"
        options={props.tracks.map((t) => ({ value: t.id, label: t.name }))}
        value={v.trackId}
        error={e.trackId}
      />
      <Field id="start" label="Début" value={v.start} error={e.start} hint="Une heure, par exemple 14:00." />
      <Field id="end" label="Fin" value={v.end} error={e.end} hint="Une heure, par exemple 15:30." />
      <Field id="room" label="Salle" value={v.room} error={e.room} maxlength={100} />
      <TextArea
        id="speakers"
        label="Intervenants"
        value={v.speakers}
        error={e.speakers}
        hint="Une personne par ligne : son nom, puis son rôle après une virgule (par exemple : Nadia Benali, centre social). Public."
      />
      <TextArea id="description" label="Description" value={v.description} error={e.description} />
      <Select id="theme" label="Thème" options={THEMES} value={v.theme} error={e.theme} />
      {props.withCapacity ? (
        <Field
          id="capacity"
          label="Places"
          value={v.capacity}
          error={e.capacity}
          inputmode="numeric"
          hint="Le nombre de personnes que la salle accueille."
        />
      ) : null}
      <Field
        id="replayUrl"
        label="Lien du replay"
        type="url"
        value={v.replayUrl}
        error={e.replayUrl}
        hint="Après la séance : la vidéo, en http:// ou https://. Montré une fois la séance finie."
      />
      <Field
        id="slidesUrl"
        label="Lien des supports"
        type="url"
        value={v.slidesUrl}
        error={e.slidesUrl}
        hint="Après la séance : les diapositives ou documents, en http:// ou https://."
      />
    </>
  );
}

/** A day to run: its fields, its tracks, its sessions, a new session, the record in the activities. */
export function ManageNetworkDayPage(props: {
  ctx: PageContext;
  csrf: string;
  day: NetworkDayView;
  places: readonly { id: string; name: string }[];
  dayValues: DayFormValues;
  sessionValues: SessionFormValues;
  trackValue: string;
  errors: FieldErrors;
  /** Which form the errors belong to. */
  form: 'day' | 'track' | 'session' | null;
  notice?: string | undefined;
}) {
  const d = props.day;
  const e = props.errors;
  const path = staffDayPath(d.id);
  return (
    <Layout title={`Journée : ${d.title}`} ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e, {})} autofocus />
      <Notice text={props.notice} />
      <h1>{d.title}</h1>
      <p class="meta">
        {dayWords(d.day)} · {d.placeName}
        {d.structureName ? ` · organisée par ${d.structureName}` : ''}
      </p>
      <p>
        <a href={networkDayPath(d.id)}>Voir le programme public</a> ·{' '}
        <a href={`${networkDayPath(d.id)}/programme`}>Programme à imprimer</a>
      </p>

      <h2>Séances ({d.sessions.length})</h2>
      {d.sessions.length === 0 ? (
        <p>Aucune séance pour le moment.</p>
      ) : (
        <ul class="cards">
          {d.sessions.map((s) => (
            <li class="card">
              <h3>
                <a href={staffSessionPath(s.workshopId)}>{s.title}</a>
              </h3>
              <p class="meta">
                {hourWords(s.date.startsAt)} – {hourWords(s.date.endsAt)}
                {s.room ? ` · ${s.room}` : ''} · {d.tracks.find((t) => t.id === s.trackId)?.name ?? ''}
              </p>
              <p>
                {s.date.registered + s.date.attended + s.date.absent} inscrits sur {s.capacity} ·{' '}
                {s.date.waiting} en attente · {s.date.attended} présents
                {s.replayUrl ? ' · replay ajouté' : ''}
                {s.slidesUrl ? ' · supports ajoutés' : ''}
              </p>
            </li>
          ))}
        </ul>
      )}

      <h2>Enregistrer dans les activités</h2>
      <p>
        Après la journée : une activité de coordination « Évènement », type « NEC local », avec {d.attended}{' '}
        {d.attended > 1 ? 'présences notées' : 'présence notée'} (toutes séances). Une seule fois.
      </p>
      <form method="post" action={`${path}/activite`}>
        <Csrf token={props.csrf} />
        <button type="submit" class="button">
          Enregistrer dans les activités
        </button>
      </form>

      <h2>Ajouter une séance</h2>
      {d.tracks.length === 0 ? (
        <p>Ajoutez d’abord un parcours.</p>
      ) : (
        <form method="post" action={`${path}/seances`} novalidate>
          <Csrf token={props.csrf} />
          <SessionFields
            values={props.sessionValues}
            errors={props.form === 'session' ? e : {}}
            tracks={d.tracks}
            withCapacity
          />
          <button type="submit" class="button">
            Ajouter la séance
          </button>
        </form>
      )}

      <h2>Parcours</h2>
      <ol>
        {d.tracks.map((t) => (
          <li>
            {t.name} ({t.sessions.length} séances)
          </li>
        ))}
      </ol>
      <form method="post" action={`${path}/parcours`} novalidate>
        <Csrf token={props.csrf} />
        <Field
          id="name"
          label="Nouveau parcours"
          value={props.trackValue}
          error={props.form === 'track' ? e.name : undefined}
          maxlength={150}
        />
        <button type="submit" class="button">
          Ajouter le parcours
        </button>
      </form>

      <h2>La journée</h2>
      <form method="post" action={path} novalidate>
        <Csrf token={props.csrf} />
        <DayFields values={props.dayValues} errors={props.form === 'day' ? e : {}} places={props.places} />
        <button type="submit" class="button">
          Enregistrer la journée
        </button>
      </form>
      <p>
        <a href={STAFF_DAYS}>Toutes les journées</a>
      </p>
    </Layout>
  );
}

/** A session's form: its programme fields and, after the day, its replay and slides links. */
export function EditSessionPage(props: {
  ctx: PageContext;
  csrf: string;
  day: NetworkDayView;
  sessionId: string;
  values: SessionFormValues;
  errors: FieldErrors;
}) {
  return (
    <Layout title={`Séance : ${props.values.title || 'modifier'}`} ctx={props.ctx}>
      <ErrorSummary items={summaryItems(props.errors, {})} autofocus />
      <h1>Modifier la séance</h1>
      <p class="meta">
        {props.day.title} · {dayWords(props.day.day)}
      </p>
      <form method="post" action={staffSessionPath(props.sessionId)} novalidate>
        <Csrf token={props.csrf} />
        <SessionFields
          values={props.values}
          errors={props.errors}
          tracks={props.day.tracks}
          withCapacity={false}
        />
        <button type="submit" class="button">
          Enregistrer la séance
        </button>
      </form>
      <p>
        Les inscriptions, la liste d’attente et les présences se gèrent par l’équipe de la structure
        organisatrice, dans ses ateliers. <a href={staffDayPath(props.day.id)}>Retour à la journée</a>
      </p>
    </Layout>
  );
}
