import { Csrf, describedBy, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { DateRows } from './agenda-form.views.tsx';
import { datePath } from './agenda-staff.views.tsx';
import { dateWords, type FieldErrors } from './workshops.ts';

/** The structure's pages to move one date of a workshop and to add dates to it (a series grows). */

/** `/agenda/gestion/dates/:id/deplacer`: new times for one coming date; its people are told. */
export function MoveDatePage(props: {
  ctx: PageContext;
  csrf: string;
  dateId: string;
  title: string;
  startsAt: Date;
  /** Seated and waiting people of the date (told by e-mail when they gave an address). */
  people: number;
  values: { debut: string; fin: string };
  errors: FieldErrors;
}) {
  const e = props.errors;
  const v = props.values;
  return (
    <Layout title={`Déplacer une date — ${props.title}`} ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e, { date: 'debut', dateEnd: 'fin' })} autofocus />
      <h1>Déplacer une date</h1>
      <p>
        <strong>{props.title}</strong> — aujourd’hui le {dateWords(props.startsAt)}.
      </p>
      <p>
        {props.people === 0
          ? 'Personne n’est inscrit à cette date.'
          : `Les personnes inscrites qui ont donné une adresse e-mail reçoivent la nouvelle heure (${props.people} inscription(s)). Appelez les autres.`}{' '}
        Les calendriers abonnés verront le changement.
      </p>
      <form method="post" action={`${datePath(props.dateId)}/deplacer`} novalidate>
        <Csrf token={props.csrf} />
        <div class={e.date ? 'field has-error' : 'field'}>
          <label for="debut">Nouveau début (jour et heure)</label>
          <FieldError id="date" message={e.date} />
          <input
            id="debut"
            name="debut"
            type="datetime-local"
            value={v.debut}
            required
            aria-describedby={describedBy('date', false, Boolean(e.date))}
          />
        </div>
        <div class={e.dateEnd ? 'field has-error' : 'field'}>
          <label for="fin">Nouvelle fin (l’heure, le même jour)</label>
          <FieldError id="dateEnd" message={e.dateEnd} />
          <input
            id="fin"
            name="fin"
            type="time"
            value={v.fin}
            required
            aria-describedby={describedBy('dateEnd', false, Boolean(e.dateEnd))}
          />
        </div>
        <button type="submit" class="button">
          Déplacer la date
        </button>
      </form>
      <p>
        <a href={datePath(props.dateId)}>Ne rien changer</a>
      </p>
    </Layout>
  );
}

/** `/agenda/gestion/ateliers/:id/dates`: more dates for a workshop, each checked like at creation. */
export function AddDatesPage(props: {
  ctx: PageContext;
  csrf: string;
  workshopId: string;
  title: string;
  /** The workshop's coming dates, to see what is already there. */
  coming: Date[];
  values: { start: string; end: string }[];
  errors: FieldErrors;
}) {
  const e = props.errors;
  return (
    <Layout title={`Ajouter des dates — ${props.title}`} ctx={props.ctx}>
      <ErrorSummary items={summaryItems(e, { dates: 'date-1-debut' })} autofocus />
      <h1>Ajouter des dates</h1>
      <p>
        <strong>{props.title}</strong>
      </p>
      {props.coming.length ? (
        <>
          <h2>Dates à venir</h2>
          <ul>
            {props.coming.map((d) => (
              <li>{dateWords(d)}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>Cet atelier n’a plus de date à venir.</p>
      )}
      <form method="post" action={`/agenda/gestion/ateliers/${props.workshopId}/dates`} novalidate>
        <Csrf token={props.csrf} />
        <DateRows values={props.values} error={e.dates} legend="Nouvelles dates" />
        <button type="submit" class="button">
          Ajouter les dates
        </button>
      </form>
      <p>
        <a href="/agenda/gestion">Ne rien ajouter</a>
      </p>
    </Layout>
  );
}
