import type { Child } from 'hono/jsx';
import { Csrf, ErrorSummary, FieldError, Notice, Select, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import {
  type ComposeView,
  deliveryWords,
  frenchDate,
  type Preview,
  type SentMessage,
} from './messages.service.ts';
import {
  BODY_MAX_LENGTH,
  type Errors,
  MAX_RECIPIENTS,
  type MessageForm,
  ROLE_LABELS,
  ROLES,
  SCOPE_LABELS,
  SCOPES,
  SUBJECT_MAX_LENGTH,
} from './messages.ts';

/**
 * Pages of the coordination's messages to the network: the list of sent messages, the form, the
 * preview (a second page: no script needed) and a sent message. Phone first: cards, not tables.
 */

/** Messages shown after an action (`?fait=` once redirected: refreshing the page repeats nothing). */
export const NOTICES: Record<string, string> = {
  envoye:
    'Le message est envoyé : chaque personne le recevra dans les prochaines minutes. Le nombre de messages remis se met à jour ici.',
  deja: 'Ce message était déjà envoyé : il n’a pas été envoyé une seconde fois.',
};

const hasAny = (errors: Errors | undefined) => Boolean(errors && Object.values(errors).some(Boolean));
const people = (n: number) => `${n.toLocaleString('fr-FR')} ${n > 1 ? 'personnes' : 'personne'}`;

function Page(props: { ctx: PageContext; title: string; failed?: boolean; children: Child }) {
  return (
    <Layout title={props.failed ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      {props.children}
    </Layout>
  );
}

/** The coordinator's list of the messages sent to the network, newest first. */
export function MessagesPage(props: {
  ctx: PageContext;
  messages: SentMessage[];
  total: number;
  notice?: string | undefined;
}) {
  return (
    <Page ctx={props.ctx} title="Messages au réseau">
      <h1>Messages au réseau</h1>
      <Notice text={props.notice} />
      <p>
        Écrivez aux membres des structures du réseau : toutes, certaines, celles d’un type ou d’une commune.
        Chaque personne reçoit un seul e-mail, qui dit qui l’envoie et pourquoi elle le reçoit.
      </p>
      <p>
        <a class="button" href="/messages/nouveau">
          Écrire aux membres du réseau
        </a>
      </p>
      <h2>Messages envoyés</h2>
      {props.messages.length === 0 ? (
        <p>Aucun message envoyé pour le moment.</p>
      ) : (
        <>
          {props.total > props.messages.length ? (
            <p>
              Les {props.messages.length} derniers messages, sur {props.total}.
            </p>
          ) : null}
          <ul class="cards">
            {props.messages.map((m) => (
              <li class="card">
                <h3>
                  <a href={`/messages/${m.id}`}>{m.subject}</a>
                </h3>
                <p class="meta">
                  Envoyé le {frenchDate(m.sentAt)} par {m.senderName}
                </p>
                <p>{m.audienceText}.</p>
                <p>
                  {people(m.recipients)} : {deliveryWords(m)}.
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}

const ANCHORS: Record<string, string> = {
  scope: 'scope-network',
  role: 'role-all',
  structures: 'structures-choix',
};

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  return [hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;
}

function Radios(props: {
  name: string;
  legend: string;
  value: string;
  choices: readonly string[];
  labels: Record<string, string>;
  error: string | undefined;
}) {
  return (
    <fieldset
      class={props.error ? 'has-error' : undefined}
      aria-describedby={props.error ? `${props.name}-erreur` : undefined}
    >
      <legend>{props.legend}</legend>
      <FieldError id={props.name} message={props.error} />
      <div class="choices">
        {props.choices.map((c) => (
          <div class="choice">
            <input
              type="radio"
              id={`${props.name}-${c}`}
              name={props.name}
              value={c}
              checked={props.value === c}
            />
            <label for={`${props.name}-${c}`}>{props.labels[c]}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** The form: subject, text, who receives it; the preview comes next, on its own page. */
export function ComposePage(props: { ctx: PageContext; csrf: string; view: ComposeView }) {
  const { values, errors, choices } = props.view;
  const failed = hasAny(errors);
  return (
    <Page ctx={props.ctx} title="Écrire aux membres du réseau" failed={failed}>
      <ErrorSummary items={summaryItems(errors, ANCHORS)} autofocus />
      <h1>Écrire aux membres du réseau</h1>
      <p>
        Le message part par e-mail. Avant l’envoi, une page vous montre combien de personnes le recevront.
      </p>
      <form method="post" action="/messages/nouveau" novalidate>
        <Csrf token={props.csrf} />
        <div class={errors.subject ? 'field has-error' : 'field'}>
          <label for="subject">Objet</label>
          <p class="hint" id="subject-aide">
            {SUBJECT_MAX_LENGTH} caractères au plus.
          </p>
          <FieldError id="subject" message={errors.subject} />
          <input
            type="text"
            id="subject"
            name="subject"
            value={values.subject}
            maxlength={SUBJECT_MAX_LENGTH}
            autocomplete="off"
            required
            aria-invalid={errors.subject ? 'true' : undefined}
            aria-describedby={describedBy('subject', true, Boolean(errors.subject))}
          />
        </div>
        <div class={errors.body ? 'field has-error' : 'field'}>
          <label for="body">Message</label>
          <p class="hint" id="body-aide">
            Texte simple, sans mise en forme, {BODY_MAX_LENGTH.toLocaleString('fr-FR')} caractères au plus.
            Maillage ajoute « Bonjour » et le nom de la personne au début, votre nom et la raison de l’envoi à
            la fin.
          </p>
          <FieldError id="body" message={errors.body} />
          <textarea
            id="body"
            name="body"
            rows={10}
            maxlength={BODY_MAX_LENGTH}
            required
            aria-invalid={errors.body ? 'true' : undefined}
            aria-describedby={describedBy('body', true, Boolean(errors.body))}
          >
            {values.body}
          </textarea>
        </div>
        <h2>Destinataires</h2>
        <Radios
          name="scope"
          legend="À quelles structures écrire ?"
          value={values.scope}
          choices={SCOPES}
          labels={SCOPE_LABELS}
          error={errors.scope}
        />
        <fieldset
          id="structures-choix"
          tabindex={-1}
          class={errors.structures ? 'has-error' : undefined}
          aria-describedby={errors.structures ? 'structures-erreur' : 'structures-aide'}
        >
          <legend>Structures choisies</legend>
          <p class="hint" id="structures-aide">
            Pour « des structures choisies dans la liste ». Le nombre de membres est entre parenthèses.
          </p>
          <FieldError id="structures" message={errors.structures} />
          {choices.structures.length === 0 ? (
            <p>Le réseau n’a pas encore de structure.</p>
          ) : (
            <div class="choices">
              {choices.structures.map((s, k) => (
                <div class="choice">
                  <input
                    type="checkbox"
                    id={`structure-${k}`}
                    name="structures"
                    value={s.id}
                    checked={values.structures.includes(s.id)}
                  />
                  <label for={`structure-${k}`}>
                    {s.name} ({s.members} {s.members > 1 ? 'membres' : 'membre'})
                  </label>
                </div>
              ))}
            </div>
          )}
        </fieldset>
        <Select
          id="kind"
          label="Type de structure"
          hint="Pour « les structures d’un type »."
          value={values.kind}
          options={choices.kinds.map((k) => ({ value: k.code, label: k.label }))}
          error={errors.kind}
          empty="— Choisir —"
        />
        <Select
          id="commune"
          label="Commune"
          hint="Pour « les structures qui ont un lieu dans une commune » : les communes des lieux des structures."
          value={values.commune}
          options={choices.communes.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))}
          error={errors.commune}
          empty="— Choisir —"
        />
        <Radios
          name="role"
          legend="Parmi leurs membres, qui reçoit le message ?"
          value={values.role}
          choices={ROLES}
          labels={ROLE_LABELS}
          error={errors.role}
        />
        <p class="hint">
          Une personne membre de plusieurs structures reçoit un seul e-mail. Les comptes jamais activés ne
          reçoivent rien. Un envoi va à {MAX_RECIPIENTS.toLocaleString('fr-FR')} personnes au plus.
        </p>
        <button type="submit">Voir l’aperçu avant l’envoi</button>
      </form>
      <p>
        <a href="/messages">Retour aux messages envoyés</a>
      </p>
    </Page>
  );
}

/** The form's values as hidden fields: the preview carries them to the send, the server checks them again. */
function HiddenValues({ values }: { values: MessageForm }) {
  return (
    <>
      <input type="hidden" name="subject" value={values.subject} />
      <input type="hidden" name="body" value={values.body} />
      <input type="hidden" name="scope" value={values.scope} />
      <input type="hidden" name="role" value={values.role} />
      {values.structures.map((id) => (
        <input type="hidden" name="structures" value={id} />
      ))}
      <input type="hidden" name="kind" value={values.kind} />
      <input type="hidden" name="commune" value={values.commune} />
    </>
  );
}

/** The second page: how many people, which structures, the text; « Envoyer » or back to the form. */
export function PreviewPage(props: {
  ctx: PageContext;
  csrf: string;
  preview: Preview;
  problem?: string | undefined;
}) {
  const p = props.preview;
  const many = p.structures.length > 10;
  const list = (
    <ul>
      {p.structures.map((s) => (
        <li>
          {s.name} : {people(s.recipients)}
        </li>
      ))}
    </ul>
  );
  return (
    <Page ctx={props.ctx} title="Vérifier le message avant l’envoi" failed={Boolean(props.problem)}>
      <ErrorSummary items={props.problem ? [{ message: props.problem }] : []} autofocus />
      <h1>Vérifier le message avant l’envoi</h1>
      <p class="notice" role="status">
        <strong>Ce message sera envoyé à {people(p.recipients)}.</strong>
      </p>
      <p>{p.audienceText}.</p>
      {p.excluded > 0 ? (
        <p>
          {people(p.excluded)} {p.excluded > 1 ? 'ne recevront' : 'ne recevra'} pas le message :{' '}
          {p.excluded > 1 ? 'leur compte n’a jamais été activé' : 'son compte n’a jamais été activé'} (mot de
          passe jamais choisi).
        </p>
      ) : null}
      <h2>
        {p.structures.length > 1 ? `${p.structures.length} structures concernées` : '1 structure concernée'}
      </h2>
      {many ? (
        <details>
          <summary>Voir les {p.structures.length} structures et leur nombre de destinataires</summary>
          {list}
        </details>
      ) : (
        list
      )}
      <h2>Le message</h2>
      <p>
        <strong>Objet :</strong> {p.values.subject}
      </p>
      <blockquote class="pre-line">{p.values.body}</blockquote>
      <p class="hint">
        Chaque e-mail commence par « Bonjour » et le nom de la personne, et finit par votre nom, le nom du
        réseau et la raison de l’envoi, par exemple « Vous recevez ce message car vous êtes membre de la
        structure … ».
      </p>
      <form method="post" action="/messages/envoyer">
        <Csrf token={props.csrf} />
        <HiddenValues values={p.values} />
        <input type="hidden" name="jeton" value={p.token} />
        <input type="hidden" name="attendus" value={p.audienceKey} />
        <ul class="actions">
          <li>
            <button type="submit">Envoyer à {people(p.recipients)}</button>
          </li>
          <li>
            <button type="submit" class="secondary" formaction="/messages/modifier">
              Modifier le message ou les destinataires
            </button>
          </li>
        </ul>
      </form>
    </Page>
  );
}

/** One sent message: its text, who it went to, what the outbox says of it. */
export function MessagePage(props: { ctx: PageContext; message: SentMessage; notice?: string | undefined }) {
  const m = props.message;
  return (
    <Page ctx={props.ctx} title={`Message au réseau : ${m.subject}`}>
      <h1>{m.subject}</h1>
      <Notice text={props.notice} />
      <p class="meta">
        Envoyé le {frenchDate(m.sentAt)} par {m.senderName}
      </p>
      <h2>Destinataires</h2>
      <p>
        {m.audienceText} : {people(m.recipients)}.
        {m.excluded > 0 ? ` ${people(m.excluded)} laissées de côté (compte jamais activé).` : ''}
      </p>
      <p>
        E-mails : {deliveryWords(m)}.
        {m.delivery.final
          ? ' La liste des destinataires est effacée (durée de conservation) : ces nombres ne changent plus.'
          : ''}
      </p>
      <h2>Le message</h2>
      <blockquote class="pre-line">{m.body}</blockquote>
      <ul class="actions">
        <li>
          <a href="/messages">Tous les messages envoyés au réseau</a>
        </li>
        <li>
          <a href="/messages/nouveau">Écrire un autre message</a>
        </li>
      </ul>
    </Page>
  );
}
