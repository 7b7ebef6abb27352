import type { Child } from 'hono/jsx';
import { describeWeek } from '../places/hours.ts';
import { NEED_GROUPS, type Need } from '../search/needs.ts';
import { ResultsMap, whatToBring } from '../search/search.views.tsx';
import { searchStrings } from '../search/strings.ts';
import { formatPhone } from '../shared/phone.ts';
import { Csrf, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import type { Inbox, OrientationView, ReferralSheet } from './inbox.service.ts';
import type { LinkFailure } from './mailed-links.service.ts';
import type { OrientationDraft } from './orientation-form.service.ts';
import type { ParcoursStep } from './parcours.service.ts';
import type { Orientation } from './referrals.service.ts';
import {
  CONTACT_LABELS,
  CONTACT_PREFERENCES,
  consentText,
  type Delivery,
  type FormErrors,
  formatDate,
  formatDateTime,
  formatDuration,
  type LinkPurpose,
  MESSAGE_MAX,
  type OrientationFormValues,
  OUTCOME_LABELS,
  REFUSAL_LABELS,
  REFUSAL_REASONS,
  STATE_LABELS,
  STATES,
  URGENCIES,
  URGENCY_LABELS,
} from './referrals.ts';
import type { OrientationStatistics } from './statistics.service.ts';

/** Pages of orientations: form, inbox, one orientation, sheet, parcours, statistics, mailed links. */

type Errors = Partial<Record<string, string>>;

function Page(props: { ctx: PageContext; title: string; errors?: Errors; children: Child }) {
  const hasErrors = props.errors && Object.values(props.errors).some(Boolean);
  return (
    <Layout title={hasErrors ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      <h1>{props.title}</h1>
      {props.errors ? <ErrorSummary items={summaryItems(props.errors)} /> : null}
      {props.children}
    </Layout>
  );
}

const describedBy = (...ids: (string | false | null | undefined)[]) =>
  ids.filter(Boolean).join(' ') || undefined;

const DELIVERY_TEXT: Record<Delivery, string> = {
  inbox: 'Ce lieu reçoit l’orientation dans sa boîte Maillage. Vous recevrez un e-mail quand il répond.',
  email:
    'Ce lieu n’a pas de compte Maillage : il reçoit un lien par e-mail, à son adresse pour les orientations, pour répondre. Vous recevrez un e-mail quand il répond.',
  sheet:
    'Ce lieu ne peut pas recevoir d’orientation : il n’a ni compte Maillage ni adresse pour les orientations, ou il n’en accepte pas. L’orientation est seulement enregistrée ici : imprimez la fiche, la personne y va d’elle-même avec la fiche.',
};

// --- The form ---

function PlaceSearch(props: { draft: OrientationDraft; text: string; hidden: Record<string, string[]> }) {
  return (
    <>
      <h2 id="choisir-lieu">1. Choisir le lieu</h2>
      <form method="get" action="/orientations/nouvelle">
        {Object.entries(props.hidden).flatMap(([k, vs]) =>
          vs.map((v) => <input type="hidden" name={k} value={v} />),
        )}
        <div class="field">
          <label for="q">Nom du lieu ou commune</label>
          <p class="hint" id="q-aide">
            Par exemple : médiathèque, ou Saran.
          </p>
          <input id="q" name="q" type="text" value={props.text} maxlength={200} aria-describedby="q-aide" />
        </div>
        <button type="submit">Chercher le lieu</button>
      </form>
      {props.text ? (
        props.draft.candidates.length ? (
          <>
            <h3>Lieux trouvés</h3>
            <ul>
              {props.draft.candidates.map((p) => (
                <li>
                  <a
                    href={`/orientations/nouvelle?${new URLSearchParams([
                      ['lieu', p.id],
                      ...Object.entries(props.hidden).flatMap(([k, vs]) =>
                        vs.map((v) => [k, v] as [string, string]),
                      ),
                    ]).toString()}`}
                  >
                    Orienter vers {p.nom}, {p.commune}
                  </a>{' '}
                  <span class="hint">({p.adresse})</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p role="status">
            Aucun lieu ne correspond à « {props.text} ». Essayez un autre mot, ou cherchez depuis la recherche
            publique.
          </p>
        )
      ) : (
        <p>
          Vous pouvez aussi chercher dans la <a href="/">recherche des lieux</a>, puis choisir « Orienter vers
          ce lieu ».
        </p>
      )}
    </>
  );
}

function Radios(props: {
  name: string;
  legend: string;
  options: readonly string[];
  labels: Record<string, string>;
  value: string;
  error?: string | undefined;
  hint?: string;
}) {
  return (
    <fieldset
      class={props.error ? 'has-error' : undefined}
      aria-describedby={describedBy(
        props.hint && `${props.name}-aide`,
        props.error && `${props.name}-erreur`,
      )}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={`${props.name}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.name} message={props.error} />
      <div class="choices">
        {props.options.map((o, i) => (
          <div class="choice">
            <input
              type="radio"
              id={i === 0 ? props.name : `${props.name}-${o}`}
              name={props.name}
              value={o}
              checked={props.value === o}
            />
            <label for={i === 0 ? props.name : `${props.name}-${o}`}>{props.labels[o]}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function TextField(props: {
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  type?: string;
  autocomplete?: string;
  maxlength: number;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.name} message={props.error} />
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete ?? 'off'}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(
          props.hint && `${props.name}-aide`,
          props.error && `${props.name}-erreur`,
        )}
      />
    </div>
  );
}

export function NewOrientationPage(props: {
  ctx: PageContext;
  csrf: string;
  draft: OrientationDraft;
  values: OrientationFormValues;
  errors: FormErrors;
  text: string;
}) {
  const { draft, values: v, errors } = props;
  const place = draft.place;
  const title = place ? `Orienter une personne vers ${place.nom}` : 'Orienter une personne';
  const hidden: Record<string, string[]> = {};
  if (v.besoin.length) hidden.besoin = v.besoin;
  if (v.diagnostic) hidden.diagnostic = [v.diagnostic];
  if (v.suite) hidden.suite = [v.suite];
  const groups = Object.keys(NEED_GROUPS) as Need['group'][];
  const withDiagnostic = draft.diagnostic?.readable === true;
  const consent = consentText({
    placeName: place?.nom ?? 'ce lieu',
    senderStructure:
      draft.structures.find((s) => s.id === v.structure)?.name ?? draft.structures[0]?.name ?? '',
    months: draft.consentTerms.months,
    unansweredMonths: draft.consentTerms.unansweredMonths,
    withDiagnostic,
  });
  return (
    <Page ctx={props.ctx} title={title} errors={errors}>
      {draft.previous ? (
        <p class="notice">
          Vous orientez ailleurs une personne reçue à {draft.previous.placeName}. L’orientation précédente
          sera close comme « orientée ailleurs » quand vous enverrez celle-ci.
        </p>
      ) : null}
      {draft.diagnostic && !draft.diagnostic.readable ? (
        <p class="notice">Le résultat du diagnostic n’est pas lisible : il ne sera pas joint.</p>
      ) : null}
      {!place ? (
        <PlaceSearch draft={draft} text={props.text} hidden={hidden} />
      ) : (
        <>
          <h2>Le lieu</h2>
          <p>
            <strong>{place.nom}</strong>, {place.adresse}, {place.codePostal} {place.commune}.{' '}
            <a
              href={`/orientations/nouvelle?${new URLSearchParams(Object.entries(hidden).flatMap(([k, vs]) => vs.map((x) => [k, x] as [string, string]))).toString()}`}
            >
              Choisir un autre lieu
            </a>
          </p>
          <h2>Comment le lieu reçoit l’orientation</h2>
          <p class="notice" id="envoi">
            {DELIVERY_TEXT[draft.delivery ?? 'sheet']}
          </p>
          {draft.contact?.instructions ? (
            <p>
              Consignes du lieu : <q>{draft.contact.instructions}</q>
            </p>
          ) : null}
          {draft.contact?.directPhone ? (
            <p>Ligne directe du lieu (pour les professionnels) : {formatPhone(draft.contact.directPhone)}</p>
          ) : null}
          {draft.notOffered.length ? (
            <p class="notice">
              Ce lieu ne propose pas : {draft.notOffered.map((n) => n.label).join(', ')}. Pour ce besoin,
              choisissez un autre lieu.
            </p>
          ) : null}
          <form method="post" action="/orientations/nouvelle" novalidate>
            <Csrf token={props.csrf} />
            <input type="hidden" name="lieu" value={place.id} />
            {v.diagnostic ? <input type="hidden" name="diagnostic" value={v.diagnostic} /> : null}
            {v.suite ? <input type="hidden" name="suite" value={v.suite} /> : null}
            {draft.structures.length > 1 ? (
              <div class={errors.structure ? 'field has-error' : 'field'}>
                <label for="structure">Votre structure (celle qui oriente)</label>
                <FieldError id="structure" message={errors.structure} />
                <select
                  id="structure"
                  name="structure"
                  aria-describedby={errors.structure ? 'structure-erreur' : undefined}
                >
                  {draft.structures.map((s) => (
                    <option value={s.id} selected={v.structure === s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <>
                <input type="hidden" name="structure" value={draft.structures[0]?.id ?? ''} />
                <p id="structure">Vous orientez pour : {draft.structures[0]?.name}.</p>
                <FieldError id="structure" message={errors.structure} />
              </>
            )}
            <h2>2. Les besoins de la personne</h2>
            <fieldset
              class={errors.besoin ? 'has-error' : undefined}
              aria-describedby={describedBy('besoin-aide', errors.besoin && 'besoin-erreur')}
            >
              <legend>Ce que la personne veut faire (ce lieu le propose)</legend>
              <p class="hint" id="besoin-aide">
                Cochez un ou plusieurs besoins.
              </p>
              <FieldError id="besoin" message={errors.besoin} />
              {groups.map((g) => {
                const needs = draft.offeredNeeds.filter((n) => n.group === g);
                if (needs.length === 0) return null;
                return (
                  <>
                    <p class="legend-title">{NEED_GROUPS[g]}</p>
                    <div class="choices">
                      {needs.map((n) => {
                        const first = draft.offeredNeeds[0]?.slug === n.slug;
                        return (
                          <div class="choice">
                            <input
                              type="checkbox"
                              id={first ? 'besoin' : `besoin-${n.slug}`}
                              name="besoin"
                              value={n.slug}
                              checked={v.besoin.includes(n.slug)}
                            />
                            <label for={first ? 'besoin' : `besoin-${n.slug}`}>{n.label}</label>
                          </div>
                        );
                      })}
                    </div>
                  </>
                );
              })}
            </fieldset>
            <div class={errors.message ? 'field has-error' : 'field'}>
              <label for="message">Message pour le lieu</label>
              <p class="hint" id="message-aide">
                Ce que la personne veut faire, ce qui l’aide. {MESSAGE_MAX} caractères au plus. N’écrivez pas
                de détails de santé ni de situation qui ne servent pas au lieu.
              </p>
              <FieldError id="message" message={errors.message} />
              <textarea
                id="message"
                name="message"
                rows={5}
                maxlength={MESSAGE_MAX}
                aria-invalid={errors.message ? 'true' : undefined}
                aria-describedby={describedBy('message-aide', errors.message && 'message-erreur')}
              >
                {v.message}
              </textarea>
            </div>
            <Radios
              name="urgence"
              legend="Est-ce urgent ?"
              options={URGENCIES}
              labels={URGENCY_LABELS}
              value={v.urgence || 'normal'}
              error={errors.urgence}
            />
            <h2>3. Comment joindre la personne</h2>
            <Radios
              name="contact"
              legend="Comment la personne préfère-t-elle être contactée ?"
              options={CONTACT_PREFERENCES}
              labels={CONTACT_LABELS}
              value={v.contact}
              error={errors.contact}
            />
            <p class="hint">Remplissez seulement ce qui sert à la contacter : rien d’autre n’est gardé.</p>
            <TextField
              name="nom"
              label="Nom de la personne (si besoin)"
              value={v.nom}
              error={errors.nom}
              maxlength={120}
              hint="Le prénom suffit souvent. Obligatoire si le lieu doit la contacter."
            />
            <TextField
              name="telephone"
              label="Téléphone de la personne (si besoin)"
              value={v.telephone}
              error={errors.telephone}
              type="tel"
              maxlength={30}
              hint="Par exemple 06 12 34 56 78."
            />
            <TextField
              name="courriel"
              label="E-mail de la personne (si besoin)"
              value={v.courriel}
              error={errors.courriel}
              type="email"
              maxlength={254}
            />
            <TextField
              name="contact_orienteur"
              label="Comment vous joindre (vous, qui orientez)"
              value={v.contact_orienteur}
              error={errors.contact_orienteur}
              maxlength={200}
              hint="Téléphone ou e-mail. Il est écrit sur la fiche donnée à la personne."
            />
            <h2>4. L’accord de la personne</h2>
            <fieldset
              class={errors.consentement ? 'has-error' : undefined}
              aria-describedby={describedBy(
                'consentement-texte',
                errors.consentement && 'consentement-erreur',
              )}
            >
              <legend>Consentement de la personne</legend>
              <div id="consentement-texte">
                {consent.map((line) => (
                  <p>{line}</p>
                ))}
              </div>
              <FieldError id="consentement" message={errors.consentement} />
              <div class="choice">
                <input
                  type="checkbox"
                  id="consentement"
                  name="consentement"
                  value="oui"
                  checked={v.consentement}
                />
                <label for="consentement">J’ai lu ce texte à la personne et elle est d’accord.</label>
              </div>
              {withDiagnostic ? (
                <div class="choice">
                  <input
                    type="checkbox"
                    id="consentement_diagnostic"
                    name="consentement_diagnostic"
                    value="oui"
                    checked={v.consentement_diagnostic}
                  />
                  <label for="consentement_diagnostic">
                    La personne est d’accord pour joindre le résultat de son diagnostic.
                  </label>
                </div>
              ) : null}
            </fieldset>
            <button type="submit" aria-describedby="envoi">
              {draft.delivery === 'sheet'
                ? 'Enregistrer l’orientation et préparer la fiche'
                : 'Envoyer l’orientation'}
            </button>
          </form>
        </>
      )}
    </Page>
  );
}

// --- Inbox ---

const BOX_LABELS = { received: 'Reçues', sent: 'Envoyées' } as const;

export function InboxPage(props: { ctx: PageContext; inbox: Inbox }) {
  const { inbox } = props;
  const base = (over: Record<string, string | null>) => {
    const q = new URLSearchParams();
    const params: Record<string, string | null> = {
      structure: inbox.structures.length > 1 ? inbox.structure.id : null,
      boite: inbox.box === 'sent' ? 'envoyees' : null,
      etat: inbox.state,
      ...over,
    };
    for (const [k, val] of Object.entries(params)) if (val) q.set(k, val);
    const s = q.toString();
    return `/orientations${s ? `?${s}` : ''}`;
  };
  const total = Object.values(inbox.counts).reduce((a, n) => a + (n ?? 0), 0);
  return (
    <Page
      ctx={props.ctx}
      title={`Orientations ${BOX_LABELS[inbox.box].toLowerCase()} — ${inbox.structure.name}`}
    >
      <p>
        <a class="button" href="/orientations/nouvelle">
          Orienter une personne
        </a>
      </p>
      {inbox.structures.length > 1 ? (
        <nav aria-label="Vos structures">
          <ul class="actions">
            {inbox.structures.map((s) => (
              <li>
                <a
                  href={base({ structure: s.id, etat: null })}
                  aria-current={s.id === inbox.structure.id ? 'page' : undefined}
                >
                  {s.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <nav aria-label="Reçues ou envoyées">
        <ul class="actions">
          <li>
            <a
              href={base({ boite: null, etat: null })}
              aria-current={inbox.box === 'received' ? 'page' : undefined}
            >
              Orientations reçues
            </a>
          </li>
          <li>
            <a
              href={base({ boite: 'envoyees', etat: null })}
              aria-current={inbox.box === 'sent' ? 'page' : undefined}
            >
              Orientations envoyées
            </a>
          </li>
        </ul>
      </nav>
      <h2>Par situation</h2>
      <ul class="actions">
        <li>
          <a href={base({ etat: null })} aria-current={inbox.state === null ? 'page' : undefined}>
            Toutes ({total})
          </a>
        </li>
        {STATES.map((s) => (
          <li>
            <a href={base({ etat: s })} aria-current={inbox.state === s ? 'page' : undefined}>
              {STATE_LABELS[s]} ({inbox.counts[s] ?? 0})
            </a>
          </li>
        ))}
      </ul>
      <h2>{inbox.state ? STATE_LABELS[inbox.state] : 'Toutes les orientations'}</h2>
      {inbox.entries.length === 0 ? (
        <p>Aucune orientation ici.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Orientations, les plus récentes d’abord</caption>
            <thead>
              <tr>
                <th scope="col">Envoyée le</th>
                <th scope="col">{inbox.box === 'received' ? 'Envoyée par' : 'Vers'}</th>
                <th scope="col">Besoins</th>
                <th scope="col">Urgence</th>
                <th scope="col">Situation</th>
              </tr>
            </thead>
            <tbody>
              {inbox.entries.map((e) => (
                <tr>
                  <td>
                    <a href={`/orientations/${e.id}`}>
                      {formatDate(e.sentAt)}
                      <span class="visually-hidden">
                        {' '}
                        : orientation{' '}
                        {inbox.box === 'received' ? `de ${e.senderStructureName}` : `vers ${e.placeName}`}
                      </span>
                    </a>
                  </td>
                  <td>{inbox.box === 'received' ? e.senderStructureName : e.placeName}</td>
                  <td>{e.needs.join(', ')}</td>
                  <td>{URGENCY_LABELS[e.urgency]}</td>
                  <td>{STATE_LABELS[e.state]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

// --- One orientation ---

function Details(props: { o: Orientation; showPerson: boolean }) {
  const { o } = props;
  return (
    <dl class="facts">
      <dt>Situation</dt>
      <dd>
        {STATE_LABELS[o.state]}
        {o.refusalReason ? ` : ${REFUSAL_LABELS[o.refusalReason]}` : ''}
      </dd>
      {o.stateMessage ? (
        <>
          <dt>Message du lieu</dt>
          <dd>{o.stateMessage}</dd>
        </>
      ) : null}
      <dt>Envoyée le</dt>
      <dd>{formatDateTime(o.sentAt)}</dd>
      <dt>Par</dt>
      <dd>
        {o.sender.name}, {o.sender.structureName} ({o.sender.contact})
      </dd>
      <dt>Vers</dt>
      <dd>{o.place.name}</dd>
      <dt>Besoins</dt>
      <dd>{o.needs.map((n) => n.label).join(', ')}</dd>
      <dt>Urgence</dt>
      <dd>{URGENCY_LABELS[o.urgency]}</dd>
      <dt>Contact</dt>
      <dd>{CONTACT_LABELS[o.contactPreference]}</dd>
      {props.showPerson ? (
        o.erasedAt ? (
          <>
            <dt>Données de la personne</dt>
            <dd>Effacées le {formatDate(o.erasedAt)}.</dd>
          </>
        ) : (
          <>
            {o.person.name ? (
              <>
                <dt>Nom</dt>
                <dd>{o.person.name}</dd>
              </>
            ) : null}
            {o.person.phone ? (
              <>
                <dt>Téléphone</dt>
                <dd>{formatPhone(o.person.phone)}</dd>
              </>
            ) : null}
            {o.person.email ? (
              <>
                <dt>E-mail</dt>
                <dd>{o.person.email}</dd>
              </>
            ) : null}
            {o.message ? (
              <>
                <dt>Message</dt>
                <dd class="pre-line">{o.message}</dd>
              </>
            ) : null}
          </>
        )
      ) : null}
    </dl>
  );
}

function DiagnosticBlock({ o }: { o: Orientation }) {
  if (!o.diagnostic) return null;
  return (
    <>
      <h2>Résultat du diagnostic (joint avec l’accord de la personne)</h2>
      <ul>
        {o.diagnostic.domains.map((d) => (
          <li>
            {d.label} : {d.profile}
          </li>
        ))}
      </ul>
    </>
  );
}

function AnswerForm(props: {
  action: string;
  csrf: string;
  errors: Errors;
  values?: { reason: string; message: string };
}) {
  const { errors } = props;
  return (
    <>
      <h2>Répondre</h2>
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="decision" value="accept" />
        <button type="submit">Accepter l’orientation</button>
      </form>
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="decision" value="refuse" />
        <h3>Ou refuser</h3>
        <Radios
          name="reason"
          legend="Raison du refus"
          options={REFUSAL_REASONS}
          labels={REFUSAL_LABELS}
          value={props.values?.reason ?? ''}
          error={errors.reason}
        />
        <div class={errors.message ? 'field has-error' : 'field'}>
          <label for="message">Message pour la structure qui oriente (facultatif)</label>
          <FieldError id="message" message={errors.message} />
          <textarea
            id="message"
            name="message"
            rows={3}
            maxlength={1000}
            aria-describedby={errors.message ? 'message-erreur' : undefined}
          >
            {props.values?.message ?? ''}
          </textarea>
        </div>
        <button type="submit" class="button secondary">
          Refuser l’orientation
        </button>
      </form>
    </>
  );
}

function CloseForm(props: {
  action: string;
  csrf: string;
  withRedirect: boolean;
  error?: string | undefined;
}) {
  const outcomes = props.withRedirect
    ? (['came', 'did_not_come', 'redirected'] as const)
    : (['came', 'did_not_come'] as const);
  return (
    <>
      <h2>Clôturer</h2>
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrf} />
        <Radios
          name="outcome"
          legend="Après le rendez-vous"
          options={outcomes}
          labels={OUTCOME_LABELS}
          value=""
          error={props.error}
        />
        <button type="submit">Clôturer l’orientation</button>
      </form>
    </>
  );
}

export function OrientationPage(props: {
  ctx: PageContext;
  csrf: string;
  view: OrientationView;
  notice?: string | null;
  errors?: Errors;
  values?: { reason: string; message: string };
}) {
  const { orientation: o, events, involvement } = props.view;
  const errors = props.errors ?? {};
  return (
    <Page ctx={props.ctx} title={`Orientation vers ${o.place.name}`} errors={errors}>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <ul class="actions">
        <li>
          <a href={`/orientations/${o.id}/fiche`}>Imprimer la fiche de liaison</a>
        </li>
        <li>
          <a href={`/orientations/parcours/${o.parcoursId}`}>
            Voir le parcours de la personne ({props.view.parcoursLength} orientation
            {props.view.parcoursLength > 1 ? 's' : ''})
          </a>
        </li>
        <li>
          <a href="/orientations">Retour aux orientations</a>
        </li>
      </ul>
      {o.delivery === 'sheet' ? (
        <p class="notice">
          Ce lieu ne reçoit pas les orientations : la personne y va avec la fiche. La structure qui oriente
          note la suite ici.
        </p>
      ) : null}
      <h2>L’orientation</h2>
      <Details o={o} showPerson />
      <DiagnosticBlock o={o} />
      {involvement.actsAsReceiver && o.state === 'sent' ? (
        <AnswerForm
          action={`/orientations/${o.id}/reponse`}
          csrf={props.csrf}
          errors={errors}
          {...(props.values ? { values: props.values } : {})}
        />
      ) : null}
      {involvement.actsAsReceiver && o.state === 'accepted' ? (
        <CloseForm
          action={`/orientations/${o.id}/cloture`}
          csrf={props.csrf}
          withRedirect
          error={errors.outcome}
        />
      ) : null}
      <h2>Historique</h2>
      <ol>
        {events.map((e) => (
          <li>
            {formatDateTime(e.at)} : {STATE_LABELS[e.to]}
            {e.reason && e.to === 'refused'
              ? ` (${REFUSAL_LABELS[e.reason as keyof typeof REFUSAL_LABELS] ?? e.reason})`
              : ''}{' '}
            — {e.actorLabel}
          </li>
        ))}
      </ol>
      <h2>Consentement</h2>
      <p>
        Recueilli le {formatDateTime(o.consent.at)} (texte version {o.consent.version}) :
      </p>
      <blockquote>{o.consent.text}</blockquote>
    </Page>
  );
}

// --- Sheet ---

export function SheetPage(props: { ctx: PageContext; sheet: ReferralSheet }) {
  const { orientation: o, place, status, origin } = props.sheet;
  const s = searchStrings((props.ctx.prefs ?? DEFAULT_PREFS).falc);
  const week = place?.horaires ? describeWeek(place.horaires) : null;
  return (
    <Page ctx={props.ctx} title={`Fiche de liaison : ${o.place.name}`}>
      <p class="no-print">
        <button type="button" class="button" data-print="" hidden>
          Imprimer la fiche
        </button>{' '}
        <a href={`/orientations/${o.id}`}>Retour à l’orientation</a>
      </p>
      <p>
        {o.person.name && !o.erasedAt ? `${o.person.name}, vous` : 'Vous'} êtes attendu·e à{' '}
        <strong>{o.place.name}</strong> pour : {o.needs.map((n) => n.label.toLowerCase()).join(', ')}.
      </p>
      {o.delivery === 'sheet' ? (
        <p>Le lieu n’est pas prévenu : montrez-lui cette fiche en arrivant.</p>
      ) : null}
      {o.contactPreference === 'self' || o.delivery === 'sheet' ? (
        <p>Allez-y quand il est ouvert, avec cette fiche.</p>
      ) : (
        <p>Le lieu va vous contacter ({CONTACT_LABELS[o.contactPreference].toLowerCase()}).</p>
      )}
      <h2>Adresse</h2>
      {place ? (
        <p>
          {place.adresse}
          {place.complementAdresse ? `, ${place.complementAdresse}` : ''}
          <br />
          {place.codePostal} {place.commune}
          {place.telephone ? (
            <>
              <br />
              Téléphone : {formatPhone(place.telephone)}
            </>
          ) : null}
        </p>
      ) : (
        <p>Ce lieu n’est plus dans l’annuaire : appelez la personne qui vous oriente.</p>
      )}
      <h2>Horaires</h2>
      {week ? (
        <table>
          <caption class="visually-hidden">Horaires de la semaine</caption>
          <tbody>
            {week.days.map((d) => (
              <tr>
                <th scope="row">{d.day}</th>
                <td>{d.ranges.length ? d.ranges.join(' et ') : 'Fermé'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Horaires non connus : appelez avant d’y aller.</p>
      )}
      {status?.nextOpening ? <p>Prochaine ouverture : {status.nextOpening}.</p> : null}
      {place && place.latitude !== null && place.longitude !== null ? (
        <>
          <h2>Plan</h2>
          <p>Le lieu porte le numéro 1{origin ? ` ; la croix montre ${origin.label}` : ''}.</p>
          <ResultsMap
            s={s}
            hits={[
              {
                place,
                distanceM: null,
                itinerant: false,
                openNow: null,
                today: null,
                nextOpening: null,
                saturday: null,
                closures: [],
              },
            ]}
            first={1}
            origin={origin ? { label: origin.label, lat: origin.lat, lon: origin.lon, commune: null } : null}
          />
        </>
      ) : null}
      {place ? (
        <>
          <h2>Ce que vous devez apporter</h2>
          <ul>
            {whatToBring(s, place).map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Qui vous oriente</h2>
      <p>
        {o.sender.name}, {o.sender.structureName}. Pour la joindre : {o.sender.contact}.
      </p>
      <p class="meta">Orientation du {formatDate(o.sentAt)}.</p>
    </Page>
  );
}

// --- Parcours ---

export function ParcoursPage(props: {
  ctx: PageContext;
  csrf: string;
  id: string;
  steps: ParcoursStep[];
  notice?: string | null;
}) {
  return (
    <Page ctx={props.ctx} title="Parcours de la personne">
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        Les orientations de la personne, dans l’ordre. Seules les structures qui y ont pris part voient ce
        parcours ; vous ouvrez les étapes de votre structure.
      </p>
      <ol>
        {props.steps.map((s) => (
          <li>
            <p>
              {s.visible ? (
                <a href={`/orientations/${s.id}`}>
                  {formatDate(s.sentAt)} : de {s.senderStructureName} vers {s.placeName}
                </a>
              ) : (
                <>
                  {formatDate(s.sentAt)} : de {s.senderStructureName} vers {s.placeName}
                </>
              )}
            </p>
            <p>
              {s.needs.join(', ')}. Situation : {STATE_LABELS[s.state]}.
            </p>
          </li>
        ))}
      </ol>
      <h2>Les données de la personne</h2>
      <p>La personne peut demander à voir ses données, ou à les effacer.</p>
      <ul class="actions">
        <li>
          <a href={`/orientations/parcours/${props.id}/donnees`}>Télécharger ses données (JSON)</a>
        </li>
        <li>
          <a href={`/orientations/parcours/${props.id}/effacer`}>Effacer ses données</a>
        </li>
      </ul>
    </Page>
  );
}

export function EraseConfirmPage(props: { ctx: PageContext; csrf: string; id: string }) {
  return (
    <Page ctx={props.ctx} title="Effacer les données de la personne">
      <p>
        Le nom, les moyens de contact, les messages et le diagnostic de la personne seront effacés de toutes
        les orientations de son parcours, définitivement. Les lieux, les besoins et les dates restent, sans
        rien de personnel.
      </p>
      <form method="post" action={`/orientations/parcours/${props.id}/effacer`}>
        <Csrf token={props.csrf} />
        <button type="submit">Effacer définitivement ses données</button>
      </form>
      <p>
        <a href={`/orientations/parcours/${props.id}`}>Revenir au parcours sans rien effacer</a>
      </p>
    </Page>
  );
}

// --- Statistics ---

function CountTable(props: { caption: string; head: string; rows: { label: string; n: number }[] }) {
  return (
    <div class="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            <th scope="col">Orientations</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td>{r.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatisticsPage(props: { ctx: PageContext; stats: OrientationStatistics; months: number }) {
  const st = props.stats;
  return (
    <Page ctx={props.ctx} title="Statistiques des orientations">
      <p>
        Depuis le {formatDate(st.since)} ({props.months} mois) : {st.total} orientation
        {st.total > 1 ? 's' : ''}. Seuls des totaux sont montrés : aucune orientation ni personne n’est
        visible ici.
      </p>
      <form method="get" action="/orientations/statistiques">
        <label for="mois">Période (en mois)</label>
        <select id="mois" name="mois">
          {[3, 6, 12, 24].map((m) => (
            <option value={String(m)} selected={m === props.months}>
              {m} mois
            </option>
          ))}
        </select>{' '}
        <button type="submit">Afficher</button>
      </form>
      <h2>Temps de réponse</h2>
      <p>
        {st.medianAnswerMs === null
          ? 'Aucune réponse sur la période.'
          : `La moitié des lieux répondent en moins de ${formatDuration(st.medianAnswerMs)} (médiane de ${st.answered} réponse${st.answered > 1 ? 's' : ''}).`}
      </p>
      <h2>Détail</h2>
      <CountTable caption="Par situation" head="Situation" rows={st.byState} />
      <CountTable caption="Par besoin" head="Besoin" rows={st.byNeed} />
      <CountTable caption="Par structure qui oriente" head="Structure" rows={st.bySender} />
      <CountTable caption="Par lieu qui reçoit" head="Lieu" rows={st.byReceiver} />
    </Page>
  );
}

// --- Mailed links ---

const LINK_FAILURES: Record<LinkFailure, { title: string; text: string }> = {
  tampered: {
    title: 'Lien modifié',
    text: 'Ce lien a été modifié : il ne marche pas. Ouvrez le lien exact reçu par e-mail, sans le changer.',
  },
  invalid: {
    title: 'Lien non valable',
    text: 'Ce lien n’est pas valable. Vérifiez que vous avez copié tout le lien reçu par e-mail.',
  },
  used: {
    title: 'Lien déjà utilisé',
    text: 'Ce lien a déjà servi : il marche une seule fois. La réponse est enregistrée.',
  },
  expired: {
    title: 'Lien expiré',
    text: 'Ce lien a expiré. Si la personne a encore besoin d’aide, appelez la structure qui l’a orientée.',
  },
  done: {
    title: 'Orientation déjà traitée',
    text: 'Cette orientation a déjà une réponse ou elle est close : ce lien ne sert plus.',
  },
};

export function LinkFailurePage(props: { ctx: PageContext; reason: LinkFailure }) {
  const f = LINK_FAILURES[props.reason];
  return (
    <Page ctx={props.ctx} title={f.title}>
      <p>{f.text}</p>
    </Page>
  );
}

export function LinkPage(props: {
  ctx: PageContext;
  csrf: string;
  token: string;
  purpose: LinkPurpose;
  orientation: Orientation;
  errors?: Errors;
  values?: { reason: string; message: string };
}) {
  const o = props.orientation;
  const action = `/orientations/lien/${props.token}`;
  const errors = props.errors ?? {};
  return (
    <Page ctx={props.ctx} title={`Orientation vers ${o.place.name}`} errors={errors}>
      <p>
        « {o.sender.structureName} » oriente une personne vers votre lieu. Vous n’avez pas besoin de compte :
        ce lien marche une seule fois.
      </p>
      <Details o={o} showPerson />
      <DiagnosticBlock o={o} />
      {props.purpose === 'answer' ? (
        <AnswerForm
          action={action}
          csrf={props.csrf}
          errors={errors}
          {...(props.values ? { values: props.values } : {})}
        />
      ) : (
        <CloseForm action={action} csrf={props.csrf} withRedirect={false} error={errors.outcome} />
      )}
    </Page>
  );
}

export function LinkDonePage(props: { ctx: PageContext; orientation: Orientation; closeUrl: string | null }) {
  const o = props.orientation;
  return (
    <Page ctx={props.ctx} title={`Réponse enregistrée : ${STATE_LABELS[o.state].toLowerCase()}`}>
      <p role="status">
        Merci. La structure qui oriente la personne ({o.sender.structureName}) est prévenue.
      </p>
      {props.closeUrl ? (
        <>
          <p>
            Après le rendez-vous, dites-nous si la personne est venue. Ce lien vous est aussi envoyé par
            e-mail ; il marche une seule fois.
          </p>
          <p>
            <a href={props.closeUrl}>Dire si la personne est venue</a>
          </p>
        </>
      ) : null}
    </Page>
  );
}
