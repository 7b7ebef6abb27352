import type { Child } from 'hono/jsx';
import { ROLE_LABELS, type StructureRole } from '../accounts/accounts.ts';
import { Csrf, ErrorSummary, Field, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { StructureSummary } from './structures.service.ts';
import {
  describeKind,
  formatPivot,
  kindChoices,
  NAME_MAX_LENGTH,
  PERSON_NAME_MAX_LENGTH,
  ROLE_CHOICES,
  ROLE_WORDS,
} from './structures.ts';

/**
 * Pages of structures: the list here, with what every page of structures shares (the frame, the fields,
 * the messages after an action); one structure with its members and requests in
 * structure-page.views.tsx, the public join pages in join.views.tsx.
 */
export type Errors = Partial<Record<string, string>>;

/** Messages shown after an action (`?fait=` once redirected: refreshing the page repeats nothing). */
export const NOTICES: Record<string, string> = {
  creee:
    'La structure est créée. Son administrateur ou administratrice a reçu une invitation par e-mail, valable 7 jours.',
  invitation:
    "L'invitation est envoyée par e-mail. Elle est valable 7 jours. La personne apparaîtra dans les membres quand elle l'aura acceptée.",
  role: 'Le rôle est changé.',
  modifiee: 'La structure est modifiée.',
  'invitation-renvoyee':
    "Un nouveau lien est envoyé par e-mail, valable 7 jours. L'ancien lien ne marche plus.",
  'invitation-retiree': "L'invitation est retirée : son lien ne marche plus.",
  retire: 'La personne ne fait plus partie de la structure.',
  acceptee:
    'La demande est acceptée. La personne est prévenue par e-mail et fait maintenant partie des membres.',
  'acceptee-invitation':
    "La demande est acceptée. La personne n'avait pas encore de compte : elle a reçu une invitation par e-mail. Elle apparaîtra dans les membres quand elle aura créé son mot de passe.",
  refusee: 'La demande est refusée. La personne est prévenue par e-mail.',
  demande:
    'Votre demande est envoyée. Les administrateurs de la structure vont y répondre : vous recevrez un e-mail.',
};

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
export const formatDate = (d: Date) => dateFormat.format(d);

export function formatIsoDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function kindsText(kinds: string[]): string {
  return kinds.length === 0 ? 'Non précisé' : kinds.map(describeKind).join(', ');
}

export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  return [hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;
}

function FieldShell(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: Child;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.id} message={props.error} />
      {props.children}
    </div>
  );
}

export function MessageField(props: {
  id: string;
  label: string;
  value: string;
  hint?: string;
  error?: string | undefined;
}) {
  return (
    <FieldShell id={props.id} label={props.label} hint={props.hint ?? ''} error={props.error}>
      <textarea
        id={props.id}
        name="message"
        rows={4}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
      >
        {props.value}
      </textarea>
    </FieldShell>
  );
}

export function RoleChoice(props: {
  idPrefix: string;
  value: string;
  error?: string | undefined;
  legend: string;
}) {
  return (
    <fieldset
      class={props.error ? 'has-error' : undefined}
      aria-describedby={props.error ? `${props.idPrefix}-erreur` : undefined}
    >
      <legend>{props.legend}</legend>
      <FieldError id={props.idPrefix} message={props.error} />
      <div class="choices">
        {ROLE_CHOICES.map((role) => (
          <div class="choice">
            <input
              type="radio"
              id={`${props.idPrefix}-${role}`}
              name="role"
              value={role}
              checked={props.value === role}
            />
            <label for={`${props.idPrefix}-${role}`}>{ROLE_WORDS[role]}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

export function Page(props: { ctx: PageContext; title: string; hasErrors?: boolean; children: Child }) {
  return (
    <Layout title={props.hasErrors ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      {props.children}
    </Layout>
  );
}

export const hasAny = (errors: Errors | undefined) => Boolean(errors && Object.values(errors).some(Boolean));

export interface NewStructureValues {
  name: string;
  pivot: string;
  kind: string;
  adminEmail: string;
  adminName: string;
}

export const EMPTY_NEW_STRUCTURE: NewStructureValues = {
  name: '',
  pivot: '',
  kind: '',
  adminEmail: '',
  adminName: '',
};

function StructuresTable(props: {
  caption: string;
  structures: (StructureSummary & { role?: StructureRole })[];
  showRequests: boolean;
}) {
  return (
    <div class="table-scroll structures-table">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Structure</th>
            <th scope="col">SIRET ou RNA</th>
            <th scope="col">Type</th>
            <th scope="col" class="num">
              Membres
            </th>
            <th scope="col" class="num">
              Lieux
            </th>
            {props.showRequests ? (
              <th scope="col" class="num">
                Demandes en attente
              </th>
            ) : (
              <th scope="col">Mon rôle</th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.structures.map((s) => (
            <tr>
              <th scope="row">
                <a href={`/structures/${s.id}`}>{s.name}</a>
              </th>
              <td>{formatPivot(s.pivot)}</td>
              <td>{kindsText(s.kinds)}</td>
              <td class="num">{s.members}</td>
              <td class="num">{s.places}</td>
              {props.showRequests ? (
                <td class="num">{s.pendingRequests}</td>
              ) : (
                <td>{s.role ? ROLE_LABELS[s.role] : ''}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The coordinator's form: a new structure and its first administrator. */
export function CreateStructureSection(props: { csrf: string; values: NewStructureValues; errors: Errors }) {
  const { values, errors } = props;
  return (
    <>
      <h2 id="creer">Créer une structure</h2>
      <p>
        Indiquez la structure et la personne qui l'administrera. Cette personne reçoit une invitation par
        e-mail : elle pourra ensuite inviter les autres membres.
      </p>
      <form method="post" action="/structures" novalidate>
        <Csrf token={props.csrf} />
        <Field
          id="name"
          label="Nom de la structure"
          value={values.name}
          error={errors.name}
          maxlength={NAME_MAX_LENGTH}
          autocomplete="organization"
          required
        />
        <Field
          id="pivot"
          label="SIRET ou numéro RNA"
          hint="SIRET : 14 chiffres, par exemple 214 503 021 00013. Numéro RNA (associations) : W suivi de 9 chiffres, par exemple W452001234."
          value={values.pivot}
          error={errors.pivot}
          maxlength={40}
          required
        />
        <FieldShell id="kind" label="Type de structure" error={errors.kind}>
          <select
            id="kind"
            name="kind"
            required
            aria-invalid={errors.kind ? 'true' : undefined}
            aria-describedby={errors.kind ? 'kind-erreur' : undefined}
          >
            <option value="">Choisissez un type</option>
            {kindChoices().map((k) => (
              <option value={k.code} selected={values.kind === k.code}>
                {k.label}
              </option>
            ))}
          </select>
        </FieldShell>
        <fieldset>
          <legend>Son administrateur ou administratrice</legend>
          <Field
            id="adminEmail"
            label="Adresse e-mail"
            type="email"
            hint="L'invitation part à cette adresse."
            value={values.adminEmail}
            error={errors.adminEmail}
            maxlength={254}
            autocomplete="off"
            required
          />
          <Field
            id="adminName"
            label="Nom (facultatif)"
            value={values.adminName}
            error={errors.adminName}
            maxlength={PERSON_NAME_MAX_LENGTH}
            autocomplete="off"
          />
        </fieldset>
        <button type="submit">Créer la structure et envoyer l'invitation</button>
      </form>
    </>
  );
}

export function StructuresPage(props: {
  ctx: PageContext;
  csrf: string;
  /** The whole network (coordinators), or the person's own structures. */
  scope: 'network' | 'mine';
  structures: (StructureSummary & { role?: StructureRole })[];
  values?: NewStructureValues;
  errors?: Errors;
  notice?: string;
}) {
  const errors = props.errors ?? {};
  const values = props.values ?? EMPTY_NEW_STRUCTURE;
  const network = props.scope === 'network';
  const title = network ? 'Les structures du réseau' : 'Mes structures';
  return (
    <Page ctx={props.ctx} title={title} hasErrors={hasAny(errors)}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(errors)} />
      <Notice text={props.notice} />
      {props.structures.length === 0 ? (
        <p>{network ? "Aucune structure pour l'instant." : "Vous ne faites partie d'aucune structure."}</p>
      ) : (
        <>
          <p>
            {props.structures.length === 1 ? '1 structure.' : `${props.structures.length} structures.`}
            {network
              ? ' Les demandes en attente sont celles de personnes qui veulent rejoindre la structure.'
              : ''}
          </p>
          <StructuresTable caption={title} structures={props.structures} showRequests={network} />
        </>
      )}
      {network ? (
        <CreateStructureSection csrf={props.csrf} values={values} errors={errors} />
      ) : (
        <p>
          <a href="/structures/rejoindre">Demander à rejoindre une autre structure</a>
        </p>
      )}
    </Page>
  );
}
