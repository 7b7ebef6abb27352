import type { Child } from 'hono/jsx';
import { formatPhone } from '../shared/phone.ts';
import { Csrf, ErrorSummary, Field, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Orientation } from './referrals.service.ts';
import {
  APPOINTMENT_WITH_MAX,
  CONTACT_LABELS,
  describeAppointment,
  formatDate,
  formatDateTime,
  OUTCOME_LABELS,
  REFUSAL_LABELS,
  REFUSAL_REASONS,
  STATE_LABELS,
  URGENCY_LABELS,
} from './referrals.ts';

/**
 * What the pages of orientations share: the page frame, radio buttons, and one orientation's details,
 * answer and closing forms (on its page for members, and on the mailed link's page). The pages live
 * beside it, as the services do: the form, the inbox with one orientation and the sheet, the parcours,
 * the statistics, the mailed links.
 */

export type Errors = Partial<Record<string, string>>;

export function Page(props: {
  ctx: PageContext;
  title: string;
  errors?: Errors;
  /** The id of fields whose id is not their name, for the error summary's links. */
  anchors?: Partial<Record<string, string>>;
  children: Child;
}) {
  const hasErrors = props.errors && Object.values(props.errors).some(Boolean);
  return (
    <Layout title={hasErrors ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      <h1>{props.title}</h1>
      {props.errors ? <ErrorSummary items={summaryItems(props.errors, props.anchors)} /> : null}
      {props.children}
    </Layout>
  );
}

export const describedBy = (...ids: (string | false | null | undefined)[]) =>
  ids.filter(Boolean).join(' ') || undefined;

/** The ids a field's aria-describedby names: its hint and its error, when it has them. */
export const fieldDescribedBy = (field: {
  name: string;
  hint?: string | undefined;
  error?: string | undefined;
}) => describedBy(field.hint && `${field.name}-aide`, field.error && `${field.name}-erreur`);

/** A field's hint and error message, under the ids `fieldDescribedBy` names. */
export function HintAndError(props: { name: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {props.hint ? (
        <p class="hint" id={`${props.name}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.name} message={props.error} />
    </>
  );
}

export function Radios(props: {
  name: string;
  legend: string;
  options: readonly string[];
  labels: Record<string, string>;
  value: string;
  error?: string | undefined;
  hint?: string;
}) {
  return (
    <fieldset class={props.error ? 'has-error' : undefined} aria-describedby={fieldDescribedBy(props)}>
      <legend>{props.legend}</legend>
      <HintAndError name={props.name} hint={props.hint} error={props.error} />
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

export function Details(props: { o: Orientation; showPerson: boolean }) {
  const { o } = props;
  return (
    <dl class="facts">
      <dt>Situation</dt>
      <dd>
        {STATE_LABELS[o.state]}
        {o.refusalReason ? ` : ${REFUSAL_LABELS[o.refusalReason]}` : ''}
      </dd>
      {o.appointment ? (
        <>
          <dt>Rendez-vous</dt>
          <dd>{describeAppointment(o.appointment)}</dd>
        </>
      ) : null}
      {o.stateMessage ? (
        <>
          <dt>Message du lieu</dt>
          <dd class="pre-line">{o.stateMessage}</dd>
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

export function DiagnosticBlock({ o }: { o: Orientation }) {
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

/** What was typed in the answer forms, shown again with the errors. */
export interface AnswerValues {
  decision: string;
  reason: string;
  message: string;
  rdv_date: string;
  rdv_heure: string;
  rdv_avec: string;
}

/** Where the error summary sends each error of the answer: the accept form's message has its own id. */
export const answerAnchors = (values: AnswerValues | undefined): Partial<Record<string, string>> =>
  values?.decision === 'accept' ? { message: 'message-acceptation' } : {};

export function AnswerForm(props: { action: string; csrf: string; errors: Errors; values?: AnswerValues }) {
  const { errors } = props;
  const accepting = props.values?.decision === 'accept';
  const v = props.values;
  const acceptMessageError = accepting ? errors.message : undefined;
  return (
    <>
      <h2>Répondre</h2>
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="decision" value="accept" />
        <h3>Accepter</h3>
        <p>
          Vous pouvez donner un rendez-vous et un message : la structure qui oriente les voit, et la fiche de
          liaison remise à la personne les montre.
        </p>
        <fieldset>
          <legend>Rendez-vous (facultatif)</legend>
          <Field
            id="rdv_date"
            name="rdv_date"
            label="Date du rendez-vous"
            hint="Par exemple : 24/12/2026."
            value={accepting ? (v?.rdv_date ?? '') : ''}
            error={errors.rdv_date}
            maxlength={30}
            size={12}
          />
          <Field
            id="rdv_heure"
            name="rdv_heure"
            label="Heure du rendez-vous"
            hint="Par exemple : 14:30."
            value={accepting ? (v?.rdv_heure ?? '') : ''}
            error={errors.rdv_heure}
            maxlength={20}
            size={6}
          />
          <Field
            id="rdv_avec"
            name="rdv_avec"
            label="Avec qui"
            hint="Par exemple : Mme Durand, conseillère numérique."
            value={accepting ? (v?.rdv_avec ?? '') : ''}
            error={errors.rdv_avec}
            maxlength={APPOINTMENT_WITH_MAX + 50}
          />
        </fieldset>
        <div class={acceptMessageError ? 'field has-error' : 'field'}>
          <label for="message-acceptation">Message pour la structure qui oriente (facultatif)</label>
          <FieldError id="message-acceptation" message={acceptMessageError} />
          <textarea
            id="message-acceptation"
            name="message"
            rows={3}
            maxlength={1000}
            aria-describedby={acceptMessageError ? 'message-acceptation-erreur' : undefined}
          >
            {accepting ? (v?.message ?? '') : ''}
          </textarea>
        </div>
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
          value={accepting ? '' : (v?.reason ?? '')}
          error={errors.reason}
        />
        <div class={!accepting && errors.message ? 'field has-error' : 'field'}>
          <label for="message">Message pour la structure qui oriente (facultatif)</label>
          <FieldError id="message" message={accepting ? undefined : errors.message} />
          <textarea
            id="message"
            name="message"
            rows={3}
            maxlength={1000}
            aria-describedby={!accepting && errors.message ? 'message-erreur' : undefined}
          >
            {accepting ? '' : (v?.message ?? '')}
          </textarea>
        </div>
        <button type="submit" class="button secondary">
          Refuser l’orientation
        </button>
      </form>
    </>
  );
}

export function CloseForm(props: {
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
