import { formatDay, localToday } from '../places/place-dates.ts';
import { HoursInWords } from '../places/place-edit.views.tsx';
import { Csrf, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { AttachReview, NewPlaceReview, PlaceRequestsQueue } from './place-requests.service.ts';

/** Pages of the coordinator's decisions on structures' new places and attach requests. */
type Errors = Record<string, string>;

const day = (d: Date) => formatDay(localToday(d));
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export const PLACE_REQUEST_NOTICES: Record<string, string> = {
  'lieu-valide': 'Le nouveau lieu est validé : il est public. La structure a été prévenue par e-mail.',
  'lieu-refuse': 'Le nouveau lieu est refusé. La structure a été prévenue par e-mail.',
  'rattachement-valide':
    'Le lieu est rattaché à la structure. Elle a été prévenue par e-mail et peut maintenant tenir sa fiche à jour.',
  'rattachement-refuse': 'Le rattachement est refusé. La structure a été prévenue par e-mail.',
};

/** The two sections of the queue page: new places, then attach requests. */
export function PlaceRequestsSections({ queue }: { queue: PlaceRequestsQueue }) {
  const { newPlaces, attachRequests, counts } = queue;
  return (
    <>
      <p>{placeRequestsSummary(queue)}</p>
      <h2>Nouveaux lieux à valider ({counts.newPlaces})</h2>
      {newPlaces.length === 0 ? (
        <p>Aucun nouveau lieu n'attend.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">
              Nouveaux lieux proposés par les structures, les plus anciens d'abord
            </caption>
            <thead>
              <tr>
                <th scope="col">Lieu</th>
                <th scope="col">Structure</th>
                <th scope="col">Proposé par</th>
                <th scope="col">Le</th>
              </tr>
            </thead>
            <tbody>
              {newPlaces.map((p) => (
                <tr>
                  <td>
                    <a href={`/moderation/nouveaux-lieux/${p.id}`}>
                      Examiner le nouveau lieu {p.name} ({p.commune})
                    </a>
                  </td>
                  <td>{p.structureName ?? 'aucune'}</td>
                  <td>{p.proposedBy}</td>
                  <td>{day(p.proposedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Demandes de rattachement ({counts.attachRequests})</h2>
      {attachRequests.length === 0 ? (
        <p>Aucune demande de rattachement n'attend.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">
              Lieux que des structures demandent à rattacher, les plus anciennes demandes d'abord
            </caption>
            <thead>
              <tr>
                <th scope="col">Lieu</th>
                <th scope="col">Structure qui le demande</th>
                <th scope="col">Demandé par</th>
                <th scope="col">Le</th>
              </tr>
            </thead>
            <tbody>
              {attachRequests.map((r) => (
                <tr>
                  <td>
                    <a href={`/moderation/rattachements/${r.id}`}>
                      Examiner le rattachement de {r.placeName} ({r.commune})
                    </a>
                    {r.movesFromAnother ? <p>Ce lieu appartient aujourd'hui à une autre structure.</p> : null}
                  </td>
                  <td>{r.structureName}</td>
                  <td>{r.requestedBy}</td>
                  <td>{day(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** How many new places and attach requests wait, in words (the queue's first paragraph). */
export function placeRequestsSummary(queue: PlaceRequestsQueue): string {
  return `${plural(queue.counts.newPlaces, 'nouveau lieu', 'nouveaux lieux')} et ${plural(queue.counts.attachRequests, 'demande de rattachement', 'demandes de rattachement')} à examiner.`;
}

function MessageField(props: { errors: Errors; value: string; hint: string }) {
  const error = props.errors.message;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for="message">Message</label>
      <p class="hint" id="message-aide">
        {props.hint}
      </p>
      <FieldError id="message" message={error} />
      <textarea
        id="message"
        name="message"
        rows={5}
        aria-describedby={error ? 'message-aide message-erreur' : 'message-aide'}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.value}
      </textarea>
    </div>
  );
}

const STATUS_WORDS = {
  pending: 'en attente',
  approved: 'validé',
  rejected: 'refusé',
  superseded: 'remplacé',
} as const;

export function NewPlaceReviewPage(props: {
  ctx: PageContext;
  csrf: string;
  review: NewPlaceReview;
  errors: Errors;
  message: string;
}) {
  const r = props.review;
  const title = `Nouveau lieu : ${r.values.nom}`;
  const hasErrors = Object.keys(props.errors).length > 0;
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(props.errors)} />
      <p>
        Proposé le {day(r.proposedAt)} par {r.proposedBy}, pour la structure {r.structureName ?? '(retirée)'}.
        État : <strong>{STATUS_WORDS[r.status]}</strong>
        {r.decidedAt && r.status !== 'pending' ? `, le ${day(r.decidedAt)}` : ''}.
      </p>
      {r.decisionMessage ? <p>Message de la décision : {r.decisionMessage}</p> : null}
      <ul class="actions">
        {r.placeId ? (
          <li>
            <a href={`/lieux/${r.placeId}`}>Voir la fiche publique de {r.values.nom}</a>
          </li>
        ) : null}
        <li>
          <a href="/moderation">Retour à la modération</a>
        </li>
      </ul>
      <p>
        Rien n'est public avant votre validation. Vérifiez qu'il ne s'agit pas d'un lieu déjà dans l'annuaire.
      </p>
      <h2>La fiche proposée</h2>
      <div class="table-scroll">
        <table class="diff">
          <caption class="visually-hidden">Chaque champ renseigné, tel qu'il sera publié</caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">Valeur</th>
            </tr>
          </thead>
          <tbody>
            {r.rows.map((row) => (
              <tr>
                <th scope="row">{row.label}</th>
                <td>
                  {row.proposed.length === 1 ? (
                    row.proposed[0]
                  ) : (
                    <ul>
                      {row.proposed.map((v) => (
                        <li>{v}</li>
                      ))}
                    </ul>
                  )}
                  {row.field === 'horaires' ? <HoursInWords osm={row.proposed[0] ?? null} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.status === 'pending' ? (
        <>
          <h2>Décision</h2>
          <form method="post" action={`/moderation/nouveaux-lieux/${r.id}`} novalidate>
            <Csrf token={props.csrf} />
            <MessageField
              errors={props.errors}
              value={props.message}
              hint="Obligatoire pour refuser. Il est envoyé par e-mail à la personne qui a proposé le lieu et aux administrateurs de la structure."
            />
            <p class="actions">
              <button type="submit" name="decision" value="approve">
                Valider et publier le lieu
              </button>
              <button type="submit" name="decision" value="reject" class="button secondary">
                Refuser le lieu
              </button>
            </p>
          </form>
        </>
      ) : null}
    </Layout>
  );
}

export function AttachReviewPage(props: {
  ctx: PageContext;
  csrf: string;
  review: AttachReview;
  errors: Errors;
  message: string;
}) {
  const r = props.review;
  const title = `Rattacher ${r.place.name} à ${r.structure.name}`;
  const hasErrors = Object.keys(props.errors).length > 0;
  const elsewhere = r.currentStructureId !== null && r.currentStructureId !== r.structure.id;
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(props.errors)} />
      <dl class="facts">
        <dt>Demandé le</dt>
        <dd>
          {day(r.createdAt)} par {r.requestedBy}
        </dd>
        <dt>État</dt>
        <dd>
          {STATUS_WORDS[r.status]}
          {r.decidedAt && r.status !== 'pending' ? `, le ${day(r.decidedAt)}` : ''}
        </dd>
        <dt>Message de la structure</dt>
        <dd>{r.message ?? 'aucun'}</dd>
        <dt>Structure du lieu aujourd'hui</dt>
        <dd>
          {r.currentStructureId === null ? (
            'aucune'
          ) : (
            <a href={`/structures/${r.currentStructureId}`}>
              {elsewhere ? 'une autre structure (voir sa page)' : r.structure.name}
            </a>
          )}
        </dd>
        {r.decisionMessage ? (
          <>
            <dt>Message de la décision</dt>
            <dd>{r.decisionMessage}</dd>
          </>
        ) : null}
      </dl>
      {elsewhere && r.status === 'pending' ? (
        <p class="notice">
          Ce lieu appartient aujourd'hui à une autre structure. Si vous acceptez, il passe à{' '}
          {r.structure.name} : l'autre structure ne pourra plus modifier sa fiche.
        </p>
      ) : null}
      <ul class="actions">
        <li>
          <a href={`/lieux/${r.place.id}`}>Voir la fiche publique de {r.place.name}</a>
        </li>
        <li>
          <a href={`/structures/${r.structure.id}`}>Voir la structure {r.structure.name}</a>
        </li>
        <li>
          <a href="/moderation">Retour à la modération</a>
        </li>
      </ul>
      {r.status === 'pending' ? (
        <>
          <h2>Décision</h2>
          <form method="post" action={`/moderation/rattachements/${r.id}`} novalidate>
            <Csrf token={props.csrf} />
            <MessageField
              errors={props.errors}
              value={props.message}
              hint="Obligatoire pour refuser. Il est envoyé par e-mail à la personne qui a demandé et aux administrateurs de la structure."
            />
            <p class="actions">
              <button type="submit" name="decision" value="approve">
                Rattacher le lieu
              </button>
              <button type="submit" name="decision" value="reject" class="button secondary">
                Refuser le rattachement
              </button>
            </p>
          </form>
        </>
      ) : null}
    </Layout>
  );
}
