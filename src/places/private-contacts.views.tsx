import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Csrf, ErrorSummary, FieldError } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { PrivateContactView } from './private-contacts.service.ts';
import {
  ACCEPTS_LABELS,
  ACCEPTS_ORIENTATIONS,
  type ContactField,
  type ContactForm,
  type ContactIssues,
  EMAIL_MAX,
  INSTRUCTIONS_MAX,
  PHONE_MAX,
} from './private-contacts.ts';

/** The private contact page of a place, for professionals. French text lives here. */

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

const FIELD_ORDER: ContactField[] = ['directPhone', 'referralEmail', 'acceptsOrientations', 'instructions'];
/** Where each error of the summary leads (the first radio button for the group). */
const FIELD_ANCHOR: Record<ContactField, string> = {
  directPhone: 'directPhone',
  referralEmail: 'referralEmail',
  acceptsOrientations: 'acceptsOrientations-yes',
  instructions: 'instructions',
};

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((x): x is string => typeof x === 'string' && x !== '');
  return list.length ? list.join(' ') : undefined;
}

/** A one-line field of the contact form, its hint and its error read with it by screen readers. */
function ContactInput(props: {
  field: 'directPhone' | 'referralEmail';
  type: 'tel' | 'email';
  label: string;
  hint: string;
  maxlength: number;
  form: ContactForm;
  issues: ContactIssues;
}) {
  const { field } = props;
  const error = props.issues[field];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={field}>{props.label}</label>
      <p class="hint" id={`${field}-aide`}>
        {props.hint}
      </p>
      <FieldError id={field} message={error} />
      <input
        type={props.type}
        id={field}
        name={field}
        autocomplete="off"
        maxlength={props.maxlength}
        value={props.form[field]}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(`${field}-aide`, error && `${field}-erreur`)}
      />
    </div>
  );
}

function ContactFacts({ view }: { view: PrivateContactView }) {
  const c = view.contact;
  if (!c) return <p>Ce lieu n'a pas encore donné de contact pour les professionnels.</p>;
  return (
    <dl class="facts">
      <dt>Accepte les orientations</dt>
      <dd>{ACCEPTS_LABELS[c.acceptsOrientations]}</dd>
      <dt>Ligne directe</dt>
      <dd>
        {c.directPhone ? <a href={phoneHref(c.directPhone)}>{formatPhone(c.directPhone)}</a> : 'Non indiquée'}
      </dd>
      <dt>E-mail pour les orientations</dt>
      <dd>{c.referralEmail ? <a href={`mailto:${c.referralEmail}`}>{c.referralEmail}</a> : 'Non indiqué'}</dd>
      <dt>Comment orienter une personne</dt>
      <dd>
        {c.instructions
          ? c.instructions.split(/\n+/).map((line) => <p>{line}</p>)
          : 'Pas de consigne particulière.'}
      </dd>
      <dt>Mis à jour le</dt>
      <dd>{DATE_TIME.format(c.updatedAt)}</dd>
    </dl>
  );
}

function ContactFormView(props: { placeId: string; form: ContactForm; issues: ContactIssues; csrf: string }) {
  const { form, issues } = props;
  return (
    <form method="post" action={`/lieux/${props.placeId}/contact-pro`} novalidate>
      <Csrf token={props.csrf} />
      <fieldset class={issues.acceptsOrientations ? 'has-error' : undefined}>
        <legend>Le lieu accepte-t-il les orientations ?</legend>
        <FieldError id="acceptsOrientations" message={issues.acceptsOrientations} />
        <div class="choices">
          {ACCEPTS_ORIENTATIONS.map((value) => (
            <div class="choice">
              <input
                type="radio"
                id={`acceptsOrientations-${value}`}
                name="acceptsOrientations"
                value={value}
                checked={form.acceptsOrientations === value}
                aria-describedby={issues.acceptsOrientations ? 'acceptsOrientations-erreur' : undefined}
              />
              <label for={`acceptsOrientations-${value}`}>{ACCEPTS_LABELS[value]}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <ContactInput
        field="directPhone"
        type="tel"
        label="Ligne directe (facultatif)"
        hint="Le numéro que les professionnels appellent, par exemple 02 38 00 00 00."
        maxlength={PHONE_MAX + 10}
        form={form}
        issues={issues}
      />
      <ContactInput
        field="referralEmail"
        type="email"
        label="E-mail pour les orientations (facultatif)"
        hint="L'adresse qui reçoit les orientations, par exemple accueil@exemple.fr."
        maxlength={EMAIL_MAX + 10}
        form={form}
        issues={issues}
      />
      <div class={issues.instructions ? 'field has-error' : 'field'}>
        <label for="instructions">Comment orienter une personne (facultatif)</label>
        <p class="hint" id="instructions-aide">
          Par exemple : les jours où appeler, les documents à demander. {INSTRUCTIONS_MAX} caractères au plus.
          N'écrivez pas le nom d'une personne.
        </p>
        <FieldError id="instructions" message={issues.instructions} />
        <textarea
          id="instructions"
          name="instructions"
          rows={5}
          aria-invalid={issues.instructions ? 'true' : undefined}
          aria-describedby={describedBy('instructions-aide', issues.instructions && 'instructions-erreur')}
        >
          {form.instructions}
        </textarea>
      </div>
      <p>
        <button type="submit">Enregistrer le contact</button>
      </p>
    </form>
  );
}

export function PrivateContactPage(props: {
  ctx: PageContext;
  view: PrivateContactView;
  form: ContactForm;
  issues: ContactIssues;
  csrf: string;
  saved?: boolean;
}) {
  const { view } = props;
  const title = `Contact pour les professionnels : ${view.place.nom}`;
  const hasIssues = Object.values(props.issues).some(Boolean);
  return (
    <Layout title={hasIssues ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      {hasIssues ? (
        <ErrorSummary
          items={FIELD_ORDER.filter((f) => props.issues[f]).map((f) => ({
            href: `#${FIELD_ANCHOR[f]}`,
            message: props.issues[f] ?? '',
          }))}
        />
      ) : null}
      {props.saved ? (
        <p class="notice" role="status">
          Le contact est enregistré.
        </p>
      ) : null}
      <p>
        Ces informations servent aux professionnels du réseau pour orienter une personne. Elles ne sont jamais
        publiées : seules les personnes connectées qui travaillent dans le réseau les voient.
      </p>
      <p>
        <a href={`/lieux/${view.place.id}`}>Voir la fiche publique de {view.place.nom}</a>
        {view.place.structureName ? <> (structure : {view.place.structureName})</> : null}
      </p>
      <h2>Le contact aujourd'hui</h2>
      <ContactFacts view={view} />
      {view.canEdit ? (
        <>
          <h2>Modifier le contact</h2>
          <ContactFormView
            placeId={view.place.id}
            form={props.form}
            issues={props.issues}
            csrf={props.csrf}
          />
        </>
      ) : (
        <p>
          Seuls les membres de la structure de ce lieu et la coordination du réseau peuvent modifier ce
          contact.
        </p>
      )}
    </Layout>
  );
}
