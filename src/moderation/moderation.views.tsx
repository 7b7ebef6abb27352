import { formatClosurePeriod, formatDay, localToday } from '../places/place-dates.ts';
import { HoursInWords } from '../places/place-edit.views.tsx';
import { SCHEMA_LABELS } from '../places/place-edit-diff.ts';
import { ownEntry } from '../shared/own.ts';
import { Csrf, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { ChangeReview, ModerationQueue, ReportReview } from './moderation.service.ts';
import { PLACE_REQUEST_NOTICES, PlaceRequestsSections } from './place-requests.views.tsx';

/** Pages of the coordinator's moderation queue. French text lives here. */
export type Errors = Record<string, string>;

const day = (d: Date) => formatDay(localToday(d));

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

const DONE_NOTICES: Record<string, string> = {
  valide: 'La modification est validée : elle est publique. La structure a été prévenue par e-mail.',
  refuse: 'La modification est refusée. La structure a été prévenue par e-mail.',
  traite: 'Le signalement est marqué comme traité.',
  rejete: 'Le signalement est rejeté.',
  transmis:
    'Le signalement est transmis à la structure du lieu : ses membres ont reçu un e-mail et y répondront depuis leur espace.',
};

export function QueuePage(props: { ctx: PageContext; queue: ModerationQueue; done: string | null }) {
  const { changes, reports, counts } = props.queue;
  const notice = ownEntry(DONE_NOTICES, props.done) ?? ownEntry(PLACE_REQUEST_NOTICES, props.done);
  return (
    <Layout title="Modération" ctx={props.ctx}>
      <h1>Modération</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>
        {counts.changes} modification{counts.changes > 1 ? 's' : ''} à valider, {counts.reports} signalement
        {counts.reports > 1 ? 's' : ''} à traiter. Les plus anciens d'abord. Rien de ce qui est proposé n'est
        public avant votre validation, sauf les fermetures temporaires : elles sont publiques tout de suite
        (les habitants ne trouvent pas porte close) et refuser la modification les retire.
      </p>
      <h2>Modifications à valider ({counts.changes})</h2>
      {changes.length === 0 ? (
        <p>Aucune modification n'attend.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">
              Modifications proposées par les structures, les plus anciennes d'abord
            </caption>
            <thead>
              <tr>
                <th scope="col">Lieu</th>
                <th scope="col">Structure</th>
                <th scope="col">Proposée par</th>
                <th scope="col">Le</th>
                <th scope="col">Champs modifiés</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr>
                  <td>
                    <a href={`/moderation/modifications/${c.id}`}>
                      Examiner la modification de {c.placeName} ({c.commune})
                    </a>
                  </td>
                  <td>{c.structureName ?? 'aucune'}</td>
                  <td>{c.proposedBy}</td>
                  <td>{day(c.proposedAt)}</td>
                  <td>
                    {c.changedCount}
                    {c.closuresPublic ? ' (fermeture déjà publique)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PlaceRequestsSections queue={props.queue.placeRequests} />
      <h2>Signalements d'erreur ({counts.reports})</h2>
      {reports.length === 0 ? (
        <p>Aucun signalement n'attend.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">
              Signalements laissés sur les fiches publiques, les plus anciens d'abord
            </caption>
            <thead>
              <tr>
                <th scope="col">Lieu</th>
                <th scope="col">Le</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr>
                  <td>
                    <a href={`/moderation/signalements/${r.id}`}>
                      Traiter le signalement sur {r.placeName} ({r.commune})
                    </a>
                  </td>
                  <td>{day(r.createdAt)}</td>
                  <td>{r.message.length > 200 ? `${r.message.slice(0, 200)}…` : r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Signalements transmis aux structures ({counts.forwarded})</h2>
      {props.queue.forwarded.length === 0 ? (
        <p>Aucun signalement n'attend la réponse d'une structure.</p>
      ) : (
        <ul>
          {props.queue.forwarded.map((r) => (
            <li>
              <a href={`/moderation/signalements/${r.id}`}>
                Signalement sur {r.placeName} ({r.commune})
              </a>
              , transmis à {r.structureName}
              {r.forwardedAt ? ` le ${day(r.forwardedAt)}` : ''}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

const STATUS_WORDS = {
  pending: 'en attente',
  approved: 'validée',
  rejected: 'refusée',
  superseded: 'remplacée par une proposition plus récente',
} as const;

function Items({ items, added }: { items: string[]; added?: string[] }) {
  if (items.length === 0) return <span>(vide)</span>;
  if (items.length === 1 && !added) return <span class="value">{items[0]}</span>;
  return (
    <ul class="value">
      {items.map((item) => (
        <li>
          {item}
          {added?.includes(item) ? <strong> (ajouté)</strong> : null}
        </li>
      ))}
    </ul>
  );
}

export function ChangeReviewPage(props: {
  ctx: PageContext;
  csrf: string;
  review: ChangeReview;
  errors: Errors;
  message: string;
}) {
  const r = props.review;
  const p = r.place;
  const changedRows = r.rows.filter((row) => row.changed && row.field !== 'date_maj');
  const title = `Modification de ${p.nom}`;
  const hasErrors = Object.keys(props.errors).length > 0;
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(props.errors)} />
      <p>
        Proposée le {day(r.proposedAt)} par {r.proposedBy}. État : <strong>{STATUS_WORDS[r.status]}</strong>
        {r.decidedAt && r.status !== 'pending' ? `, le ${day(r.decidedAt)}` : ''}.
      </p>
      {r.decisionMessage ? <p>Message de la décision : {r.decisionMessage}</p> : null}
      <ul class="actions">
        <li>
          <a href={`/lieux/${p.id}`}>Voir la fiche publique de {p.nom}</a>
        </li>
        <li>
          <a href={`/lieux/${p.id}/modifier`}>Modifier la fiche de {p.nom}</a>
        </li>
        <li>
          <a href="/moderation">Retour à la modération</a>
        </li>
      </ul>
      <p>
        {changedRows.length + (r.closures.changed ? 1 : 0)} changement
        {changedRows.length + (r.closures.changed ? 1 : 0) > 1 ? 's' : ''} :{' '}
        {[
          ...changedRows.map((row) => row.label),
          ...(r.closures.changed ? ['Fermetures temporaires'] : []),
        ].join(', ') || 'aucun (confirmation sans changement)'}
        .
      </p>
      {r.changedSinceProposal.length > 0 ? (
        <p class="notice">
          La fiche publique a changé depuis la proposition pour :{' '}
          {r.changedSinceProposal
            .map((k) => (k === 'closures' ? 'fermetures temporaires' : SCHEMA_LABELS[k]))
            .join(', ')}
          . Ces champs ne sont pas touchés par la proposition : ils gardent leur valeur actuelle.
        </p>
      ) : null}
      <h2>Tous les champs</h2>
      <div class="table-scroll">
        <table class="diff">
          <caption>
            Chaque champ du schéma national : la valeur publique actuelle et la valeur après validation
          </caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">Changement</th>
              <th scope="col">Actuel</th>
              <th scope="col">Proposé</th>
            </tr>
          </thead>
          <tbody>
            {r.rows.map((row) => (
              <tr class={row.changed ? 'changed' : undefined}>
                <th scope="row">{row.label}</th>
                <td>{row.changed ? <strong>Modifié</strong> : 'Identique'}</td>
                <td>
                  <Items items={row.current} />
                  {row.removed.length ? <p>Retiré : {row.removed.join(', ')}</p> : null}
                  {row.field === 'horaires' && row.changed ? (
                    <HoursInWords osm={row.current[0] ?? null} />
                  ) : null}
                </td>
                <td>
                  <Items items={row.proposed} {...(row.list ? { added: row.added } : {})} />
                  {row.added.length ? <p>Ajouté : {row.added.join(', ')}</p> : null}
                  {row.field === 'horaires' && row.changed ? (
                    <HoursInWords osm={row.proposed[0] ?? null} />
                  ) : null}
                  {row.field === 'date_maj' && r.status === 'pending' ? <p>(date de la validation)</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Fermetures temporaires</h2>
      <p>{r.closures.changed ? <strong>Modifiées.</strong> : 'Identiques.'}</p>
      {r.closures.appliedAt ? (
        <p class="notice">
          Ces fermetures sont publiques depuis le {day(r.closures.appliedAt)} : elles ne font que réduire
          l'offre, alors elles n'attendent pas la validation. Valider les garde ; refuser remet les fermetures
          d'avant (
          {r.closures.before.length === 0
            ? 'aucune'
            : r.closures.before
                .map((c) => `fermé ${formatClosurePeriod(c.starts_on, c.ends_on, r.today)}`)
                .join(', ')}
          ).
        </p>
      ) : null}
      <div class="table-scroll">
        <table class="diff">
          <caption class="visually-hidden">Fermetures temporaires : actuelles et proposées</caption>
          <thead>
            <tr>
              <th scope="col">{r.closures.appliedAt ? 'Avant la proposition' : 'Actuelles'}</th>
              <th scope="col">Proposées</th>
            </tr>
          </thead>
          <tbody>
            <tr class={r.closures.changed ? 'changed' : undefined}>
              {[r.closures.appliedAt ? r.closures.before : r.closures.current, r.closures.proposed].map(
                (list) => (
                  <td>
                    {list.length === 0 ? (
                      'aucune'
                    ) : (
                      <ul>
                        {list.map((c) => (
                          <li>
                            Fermé {formatClosurePeriod(c.starts_on, c.ends_on, r.today)}
                            {c.reason ? ` (motif : ${c.reason})` : ''}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                ),
              )}
            </tr>
          </tbody>
        </table>
      </div>
      {r.status === 'pending' ? (
        <>
          <h2>Décision</h2>
          <form method="post" action={`/moderation/modifications/${r.id}`} novalidate>
            <Csrf token={props.csrf} />
            <MessageField
              errors={props.errors}
              value={props.message}
              hint="Obligatoire pour refuser. Il est envoyé par e-mail à la personne qui a proposé et aux administrateurs de la structure."
            />
            <p class="actions">
              <button type="submit" name="decision" value="approve">
                Valider la modification
              </button>
              <button type="submit" name="decision" value="reject" class="button secondary">
                {r.closures.appliedAt ? 'Refuser et retirer la fermeture' : 'Refuser la modification'}
              </button>
            </p>
          </form>
        </>
      ) : null}
    </Layout>
  );
}

const REPORT_STATUS = {
  new: 'à traiter',
  forwarded: 'transmis à la structure, en attente de sa réponse',
  done: 'traité',
  rejected: 'rejeté',
} as const;

export function ReportReviewPage(props: {
  ctx: PageContext;
  csrf: string;
  review: ReportReview;
  errors: Errors;
  message: string;
}) {
  const r = props.review;
  const p = r.place;
  const title = `Signalement sur ${p.nom}`;
  const hasErrors = Object.keys(props.errors).length > 0;
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(props.errors)} />
      <dl class="facts">
        <dt>Reçu le</dt>
        <dd>{day(r.createdAt)}</dd>
        <dt>État</dt>
        <dd>
          {REPORT_STATUS[r.status]}
          {r.decidedAt && r.status !== 'new' ? `, le ${day(r.decidedAt)}` : ''}
        </dd>
        <dt>Message</dt>
        <dd>
          {r.message.split(/\n+/).map((line) => (
            <p>{line}</p>
          ))}
        </dd>
        <dt>Contact laissé</dt>
        <dd>
          {r.contact ?? 'aucun'}
          {r.reporterNotifiedAt ? ` (prévenu par e-mail le ${day(r.reporterNotifiedAt)})` : ''}
        </dd>
        {r.forwarded ? (
          <>
            <dt>Transmis</dt>
            <dd>
              à {r.forwarded.structureName ?? 'une structure supprimée depuis'}, le {day(r.forwarded.at)}
            </dd>
          </>
        ) : null}
        {r.decisionMessage ? (
          <>
            <dt>Message de la décision</dt>
            <dd>{r.decisionMessage}</dd>
          </>
        ) : null}
      </dl>
      <ul class="actions">
        <li>
          <a href={`/lieux/${p.id}`}>Voir la fiche publique de {p.nom}</a>
        </li>
        <li>
          <a href={`/lieux/${p.id}/modifier`}>Modifier la fiche de {p.nom}</a>
        </li>
        <li>
          <a href="/moderation">Retour à la modération</a>
        </li>
      </ul>
      {r.status === 'new' && r.structure ? (
        <>
          <h2>Transmettre à la structure</h2>
          <form method="post" action={`/moderation/signalements/${r.id}`}>
            <Csrf token={props.csrf} />
            <p>
              {r.structure.name} connaît ce lieu : ses membres verront le signalement dans leur espace et y
              répondront (corrigé, ou pas une erreur). Le contact laissé ne leur est pas montré.
            </p>
            <p class="actions">
              <button type="submit" name="decision" value="forward">
                Transmettre à la structure {r.structure.name}
              </button>
            </p>
          </form>
        </>
      ) : null}
      {r.status === 'new' || r.status === 'forwarded' ? (
        <>
          <h2>Décision</h2>
          <form method="post" action={`/moderation/signalements/${r.id}`} novalidate>
            <Csrf token={props.csrf} />
            <MessageField
              errors={props.errors}
              value={props.message}
              hint="Obligatoire pour rejeter. Il reste avec le signalement. Si l'erreur est traitée et que la personne a laissé son adresse e-mail, elle reçoit ce message."
            />
            <p class="actions">
              <button type="submit" name="decision" value="done">
                Marquer comme traité
              </button>
              <button type="submit" name="decision" value="rejected" class="button secondary">
                Rejeter le signalement
              </button>
            </p>
          </form>
        </>
      ) : null}
    </Layout>
  );
}
