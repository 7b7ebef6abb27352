import { formatDay, localToday } from '../places/place-dates.ts';
import { Csrf, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { ForwardedReport } from './error-report-forwarding.service.ts';

/** The pages where a structure's members answer the error reports forwarded to them. French text lives here. */

const day = (d: Date) => formatDay(localToday(d));

const STATUS_WORDS: Record<ForwardedReport['status'], string> = {
  waiting: 'à vérifier',
  done: 'corrigé',
  rejected: 'pas une erreur',
};

function Message({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n+/).map((line) => (
        <p>{line}</p>
      ))}
    </>
  );
}

export function ForwardedReportsPage(props: {
  ctx: PageContext;
  reports: ForwardedReport[];
  done: string | null;
}) {
  const waiting = props.reports.filter((r) => r.status === 'waiting');
  const answered = props.reports.filter((r) => r.status !== 'waiting');
  const title = 'Signalements transmis à votre structure';
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      {props.done === 'repondu' ? (
        <p class="notice" role="status">
          Merci, votre réponse est enregistrée. La coordination la voit ; si la personne a laissé son adresse
          e-mail et que l'erreur est corrigée, elle est prévenue.
        </p>
      ) : null}
      <p>
        Des personnes ont signalé une erreur sur la fiche publique d'un de vos lieux. La coordination vous les
        transmet : vérifiez, corrigez la fiche si besoin, puis répondez.
      </p>
      <h2>À vérifier ({waiting.length})</h2>
      {waiting.length === 0 ? (
        <p>Rien à faire : aucun signalement n'attend votre réponse.</p>
      ) : (
        <ul class="cards">
          {waiting.map((r) => (
            <li>
              <a href={`/signalements/${r.id}`}>
                Répondre au signalement sur {r.placeName} ({r.commune})
              </a>
              <p>
                Reçu le {day(r.createdAt)}
                {r.forwardedAt ? `, transmis le ${day(r.forwardedAt)}` : ''} — {r.structureName}
              </p>
            </li>
          ))}
        </ul>
      )}
      {answered.length > 0 ? (
        <>
          <h2>Déjà répondus</h2>
          <ul>
            {answered.map((r) => (
              <li>
                <a href={`/signalements/${r.id}`}>
                  {r.placeName} ({r.commune})
                </a>{' '}
                : {STATUS_WORDS[r.status]}
                {r.answeredAt ? `, le ${day(r.answeredAt)}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

export function ForwardedReportPage(props: {
  ctx: PageContext;
  csrf: string;
  report: ForwardedReport;
  errors: Record<string, string>;
  answer: string;
  note: string;
}) {
  const r = props.report;
  const title = `Signalement sur ${r.placeName}`;
  const hasErrors = Object.keys(props.errors).length > 0;
  const answerError = props.errors.reponse;
  const noteError = props.errors.note;
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(props.errors, { reponse: 'reponse-done' })} />
      <dl class="facts">
        <dt>Lieu</dt>
        <dd>
          {r.placeName} ({r.commune}) — {r.structureName}
        </dd>
        <dt>Reçu le</dt>
        <dd>{day(r.createdAt)}</dd>
        <dt>État</dt>
        <dd>
          {STATUS_WORDS[r.status]}
          {r.answeredAt && r.status !== 'waiting' ? `, le ${day(r.answeredAt)}` : ''}
        </dd>
        <dt>Ce que la personne a écrit</dt>
        <dd>
          <Message text={r.message} />
        </dd>
        {r.note ? (
          <>
            <dt>Votre réponse</dt>
            <dd>{r.note}</dd>
          </>
        ) : null}
      </dl>
      <ul class="actions">
        <li>
          <a href={`/lieux/${r.placeId}`}>Voir la fiche publique de {r.placeName}</a>
        </li>
        <li>
          <a href={`/lieux/${r.placeId}/modifier`}>Corriger la fiche de {r.placeName}</a>
        </li>
        <li>
          <a href="/signalements">Retour aux signalements</a>
        </li>
      </ul>
      {r.status === 'waiting' ? (
        <>
          <h2>Votre réponse</h2>
          <form method="post" action={`/signalements/${r.id}`} novalidate>
            <Csrf token={props.csrf} />
            <div class={answerError ? 'field has-error' : 'field'}>
              <fieldset aria-describedby={answerError ? 'reponse-erreur' : undefined}>
                <legend>Ce signalement</legend>
                <FieldError id="reponse" message={answerError} />
                <div class="choice">
                  <input
                    type="radio"
                    id="reponse-done"
                    name="reponse"
                    value="done"
                    checked={props.answer === 'done'}
                  />
                  <label for="reponse-done">L'erreur est corrigée</label>
                </div>
                <div class="choice">
                  <input
                    type="radio"
                    id="reponse-rejected"
                    name="reponse"
                    value="rejected"
                    checked={props.answer === 'rejected'}
                  />
                  <label for="reponse-rejected">Ce n'est pas une erreur</label>
                </div>
              </fieldset>
            </div>
            <div class={noteError ? 'field has-error' : 'field'}>
              <label for="note">Note</label>
              <p class="hint" id="note-aide">
                En une ou deux phrases : ce qui a été fait, ou pourquoi ce n'est pas une erreur. Si l'erreur
                est corrigée et que la personne a laissé son adresse e-mail, elle reçoit cette note.
              </p>
              <FieldError id="note" message={noteError} />
              <textarea
                id="note"
                name="note"
                rows={4}
                aria-describedby={noteError ? 'note-aide note-erreur' : 'note-aide'}
                aria-invalid={noteError ? 'true' : undefined}
              >
                {props.note}
              </textarea>
            </div>
            <p class="actions">
              <button type="submit">Envoyer la réponse</button>
            </p>
          </form>
        </>
      ) : null}
    </Layout>
  );
}
