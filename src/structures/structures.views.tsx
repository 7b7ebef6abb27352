import type { Child } from 'hono/jsx';
import { ROLE_LABELS, type StructureRole } from '../accounts/accounts.ts';
import { Csrf, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Member, PendingJoinRequest, StructureSummary, StructureView } from './structures.service.ts';
import {
  describeKind,
  formatPivot,
  kindChoices,
  MESSAGE_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PERSON_NAME_MAX_LENGTH,
  ROLE_CHOICES,
  ROLE_WORDS,
  SEARCH_MAX_LENGTH,
} from './structures.ts';

/** Pages of structures: the list, one structure, its members and requests, the public join pages. */
export type Errors = Partial<Record<string, string>>;

/** Messages shown after an action (`?fait=` once redirected: refreshing the page repeats nothing). */
export const NOTICES: Record<string, string> = {
  creee:
    'La structure est créée. Son administrateur ou administratrice a reçu une invitation par e-mail, valable 7 jours.',
  invitation:
    "L'invitation est envoyée par e-mail. Elle est valable 7 jours. La personne apparaîtra dans les membres quand elle l'aura acceptée.",
  role: 'Le rôle est changé.',
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
const formatDate = (d: Date) => dateFormat.format(d);

function formatIsoDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

function kindsText(kinds: string[]): string {
  return kinds.length === 0 ? 'Non précisé' : kinds.map(describeKind).join(', ');
}

function Notice({ text }: { text: string | undefined }) {
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

function TextField(props: {
  id: string;
  name?: string;
  label: string;
  value: string;
  hint?: string;
  error?: string | undefined;
  type?: 'text' | 'email' | 'search';
  autocomplete?: string;
  maxlength?: number;
  required?: boolean;
  inputmode?: 'text' | 'numeric' | 'email';
}) {
  return (
    <FieldShell id={props.id} label={props.label} hint={props.hint ?? ''} error={props.error}>
      <input
        id={props.id}
        name={props.name ?? props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        maxlength={props.maxlength}
        inputmode={props.inputmode}
        required={props.required}
        spellcheck={props.type === 'email' ? false : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
      />
    </FieldShell>
  );
}

function MessageField(props: {
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

function RoleChoice(props: { idPrefix: string; value: string; error?: string | undefined; legend: string }) {
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

function Page(props: { ctx: PageContext; title: string; hasErrors?: boolean; children: Child }) {
  return (
    <Layout title={props.hasErrors ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      {props.children}
    </Layout>
  );
}

const hasAny = (errors: Errors | undefined) => Boolean(errors && Object.values(errors).some(Boolean));

// The list of structures

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
        <>
          <h2 id="creer">Créer une structure</h2>
          <p>
            Indiquez la structure et la personne qui l'administrera. Cette personne reçoit une invitation par
            e-mail : elle pourra ensuite inviter les autres membres.
          </p>
          <form method="post" action="/structures" novalidate>
            <Csrf token={props.csrf} />
            <TextField
              id="name"
              label="Nom de la structure"
              value={values.name}
              error={errors.name}
              maxlength={NAME_MAX_LENGTH}
              autocomplete="organization"
              required
            />
            <TextField
              id="pivot"
              label="SIRET ou numéro RNA"
              hint="SIRET : 14 chiffres, par exemple 214 503 027 00019. Numéro RNA (associations) : W suivi de 9 chiffres, par exemple W452001234."
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
              <TextField
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
              <TextField
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
      ) : (
        <p>
          <a href="/structures/rejoindre">Demander à rejoindre une autre structure</a>
        </p>
      )}
    </Page>
  );
}

// One structure

export interface InviteValues {
  email: string;
  name: string;
  role: string;
}

export const EMPTY_INVITE: InviteValues = { email: '', name: '', role: 'staff' };

function PlacesSection(props: { view: StructureView }) {
  const { places, viewer } = props.view;
  return (
    <section aria-labelledby="lieux">
      <h2 id="lieux">Lieux de la structure</h2>
      {places.length === 0 ? (
        <p>Aucun lieu n'est rattaché à cette structure dans l'annuaire.</p>
      ) : (
        <ul>
          {places.map((p) => (
            <li>
              <a href={`/lieux/${p.id}`}>{p.name}</a> — {p.address}, {p.commune}
              {p.updatedOn ? <> (mis à jour le {formatIsoDay(p.updatedOn)})</> : null}
              {viewer.isMemberOrCoordinator ? (
                <>
                  {' '}
                  — <a href={`/lieux/${p.id}/modifier`}>Modifier la fiche de {p.name}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MembersSection(props: { view: StructureView; members: Member[]; csrf: string }) {
  const { view, members } = props;
  const base = `/structures/${view.structure.id}/membres`;
  const manage = view.viewer.canManage;
  const admins = members.filter((m) => m.role === 'structure_admin').length;
  return (
    <section aria-labelledby="membres">
      <h2 id="membres">Membres</h2>
      {members.length === 0 ? (
        <p>Personne n'a encore rejoint cette structure.</p>
      ) : (
        <div class="table-scroll structures-table">
          <table>
            <caption class="visually-hidden">Membres de {view.structure.name}</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse e-mail</th>
                <th scope="col">Rôle</th>
                {manage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const other: StructureRole = m.role === 'staff' ? 'structure_admin' : 'staff';
                return (
                  <tr>
                    <th scope="row">{m.name}</th>
                    <td>{m.email}</td>
                    <td>{ROLE_LABELS[m.role]}</td>
                    {manage && m.role === 'structure_admin' && admins <= 1 ? (
                      <td>Seule personne administratrice : nommez-en une autre avant de changer son rôle.</td>
                    ) : manage ? (
                      <td>
                        <form method="post" action={`${base}/${m.personId}/role`} class="inline">
                          <Csrf token={props.csrf} />
                          <input type="hidden" name="role" value={other} />
                          <button type="submit" class="secondary">
                            {other === 'structure_admin'
                              ? 'Nommer administrateur·rice'
                              : 'Passer en simple membre'}
                            <span class="visually-hidden"> : {m.name}</span>
                          </button>
                        </form>{' '}
                        <a href={`${base}/${m.personId}/retirer`}>
                          Retirer<span class="visually-hidden"> {m.name}</span> de la structure
                        </a>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InviteSection(props: { view: StructureView; csrf: string; values: InviteValues; errors: Errors }) {
  const { values, errors } = props;
  return (
    <section aria-labelledby="inviter">
      <h2 id="inviter">Inviter une personne</h2>
      <p>La personne reçoit un lien par e-mail, valable 7 jours, pour rejoindre la structure.</p>
      <form method="post" action={`/structures/${props.view.structure.id}/membres`} novalidate>
        <Csrf token={props.csrf} />
        <TextField
          id="email"
          label="Adresse e-mail"
          type="email"
          value={values.email}
          error={errors.email}
          maxlength={254}
          autocomplete="off"
          required
        />
        <TextField
          id="name"
          label="Nom (facultatif)"
          value={values.name}
          error={errors.name}
          maxlength={PERSON_NAME_MAX_LENGTH}
          autocomplete="off"
        />
        <RoleChoice idPrefix="role" legend="Rôle dans la structure" value={values.role} error={errors.role} />
        <button type="submit">Envoyer l'invitation</button>
      </form>
    </section>
  );
}

function RequestsSection(props: {
  view: StructureView;
  requests: PendingJoinRequest[];
  csrf: string;
  decision?: { requestId: string; message: string; errors: Errors };
}) {
  return (
    <section aria-labelledby="demandes">
      <h2 id="demandes">Demandes pour rejoindre la structure</h2>
      {props.requests.length === 0 ? <p>Aucune demande en attente.</p> : null}
      {props.requests.map((r) => {
        const mine = props.decision?.requestId === r.id ? props.decision : undefined;
        const id = `message-${r.id}`;
        return (
          <article class="card" aria-labelledby={`demande-${r.id}`}>
            <h3 id={`demande-${r.id}`}>{r.name}</h3>
            <p>
              {r.email} — demande envoyée le {formatDate(r.createdAt)}.
              {r.hasAccount
                ? null
                : " Cette personne n'a pas encore de compte : si vous acceptez, elle reçoit une invitation pour créer son mot de passe."}
            </p>
            {r.message ? (
              <blockquote class="join-message">
                <p class="pre-line">{r.message}</p>
              </blockquote>
            ) : (
              <p>Pas de message.</p>
            )}
            <form method="post" action={`/structures/${props.view.structure.id}/demandes/${r.id}`} novalidate>
              <Csrf token={props.csrf} />
              <MessageField
                id={id}
                label={`Message pour ${r.name} (facultatif)`}
                hint={`Il est joint à l'e-mail de réponse. ${MESSAGE_MAX_LENGTH.toLocaleString('fr-FR')} caractères au plus.`}
                value={mine?.message ?? ''}
                error={mine?.errors.message}
              />
              <p class="actions">
                <button type="submit" name="decision" value="accept">
                  Accepter<span class="visually-hidden"> la demande de {r.name}</span>
                </button>
                <button type="submit" name="decision" value="refuse" class="secondary">
                  Refuser<span class="visually-hidden"> la demande de {r.name}</span>
                </button>
              </p>
            </form>
          </article>
        );
      })}
    </section>
  );
}

function AskToJoinSection(props: { view: StructureView; csrf: string; message: string; errors: Errors }) {
  const { view } = props;
  if (view.viewer.role || view.viewer.isMemberOrCoordinator) return null;
  return (
    <section aria-labelledby="rejoindre">
      <h2 id="rejoindre">Rejoindre cette structure</h2>
      {view.viewer.hasPendingRequest ? (
        <p>
          Vous avez demandé à rejoindre cette structure. Votre demande attend la réponse de ses
          administrateurs.
        </p>
      ) : (
        <form method="post" action={`/structures/${view.structure.id}/demande`} novalidate>
          <Csrf token={props.csrf} />
          <MessageField
            id="message"
            label="Message pour les administrateurs (facultatif)"
            hint={`Par exemple votre métier et pourquoi vous voulez rejoindre la structure. ${MESSAGE_MAX_LENGTH.toLocaleString('fr-FR')} caractères au plus.`}
            value={props.message}
            error={props.errors.message}
          />
          <button type="submit">Demander à rejoindre {view.structure.name}</button>
        </form>
      )}
    </section>
  );
}

export function StructurePage(props: {
  ctx: PageContext;
  csrf: string;
  view: StructureView;
  notice?: string;
  /** Errors of the invitation form, with what was typed. */
  invite?: { values: InviteValues; errors: Errors };
  /** Errors of one request's decision form. */
  decision?: { requestId: string; message: string; errors: Errors };
  /** Errors of the join request form (signed-in non-member). */
  join?: { message: string; errors: Errors };
  /** An action refused (e.g. the last administrator). */
  problem?: string;
}) {
  const { view } = props;
  const s = view.structure;
  const errors: Errors = {
    ...(props.problem ? { form: props.problem } : {}),
    ...(props.invite?.errors ?? {}),
    ...(props.join?.errors ?? {}),
    ...Object.fromEntries(
      Object.entries(props.decision?.errors ?? {}).map(([k, v]) => [
        k === 'message' ? `message-${props.decision?.requestId}` : k,
        v,
      ]),
    ),
  };
  return (
    <Page ctx={props.ctx} title={s.name} hasErrors={hasAny(errors)}>
      <h1>{s.name}</h1>
      <ErrorSummary autofocus items={summaryItems(errors, { role: 'role-staff' })} />
      <Notice text={props.notice} />
      <dl class="facts">
        <dt>SIRET ou RNA</dt>
        <dd>{formatPivot(s.pivot)}</dd>
        <dt>Type</dt>
        <dd>{kindsText(s.kinds)}</dd>
        {view.viewer.role ? (
          <>
            <dt>Votre rôle</dt>
            <dd>{ROLE_LABELS[view.viewer.role]}</dd>
          </>
        ) : null}
      </dl>
      {view.joinRequests && view.joinRequests.length > 0 ? (
        <p>
          <a href="#demandes">
            {view.joinRequests.length === 1
              ? '1 demande pour rejoindre la structure attend votre réponse'
              : `${view.joinRequests.length} demandes pour rejoindre la structure attendent votre réponse`}
          </a>
        </p>
      ) : null}
      <PlacesSection view={view} />
      {view.members ? <MembersSection view={view} members={view.members} csrf={props.csrf} /> : null}
      {view.viewer.canManage ? (
        <InviteSection
          view={view}
          csrf={props.csrf}
          values={props.invite?.values ?? EMPTY_INVITE}
          errors={props.invite?.errors ?? {}}
        />
      ) : null}
      {view.joinRequests ? (
        <RequestsSection
          view={view}
          requests={view.joinRequests}
          csrf={props.csrf}
          {...(props.decision ? { decision: props.decision } : {})}
        />
      ) : null}
      <AskToJoinSection
        view={view}
        csrf={props.csrf}
        message={props.join?.message ?? ''}
        errors={props.join?.errors ?? {}}
      />
      <p>
        <a href="/structures">Retour à la liste des structures</a>
      </p>
    </Page>
  );
}

export function RemoveMemberPage(props: {
  ctx: PageContext;
  csrf: string;
  structure: { id: string; name: string };
  member: Member;
  isLastAdmin: boolean;
}) {
  const { structure, member } = props;
  const title = `Retirer ${member.name} de ${structure.name}`;
  return (
    <Page ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      {props.isLastAdmin ? (
        <>
          <p class="notice" role="alert">
            {`${member.name} est la dernière personne à administrer la structure. Nommez d'abord une autre personne administratrice.`}
          </p>
          <p>
            <a href={`/structures/${structure.id}#membres`}>Retour aux membres de {structure.name}</a>
          </p>
        </>
      ) : (
        <>
          <p>
            {member.name} ({member.email}) ne fera plus partie de la structure. Son compte et ses autres
            structures ne changent pas. Vous pourrez l'inviter à nouveau plus tard.
          </p>
          <form method="post" action={`/structures/${structure.id}/membres/${member.personId}/retirer`}>
            <Csrf token={props.csrf} />
            <button type="submit">Retirer {member.name} de la structure</button>
          </form>
          <p>
            <a href={`/structures/${structure.id}#membres`}>Annuler et revenir à la structure</a>
          </p>
        </>
      )}
    </Page>
  );
}

// Public join pages (no account needed)

export function JoinSearchPage(props: {
  ctx: PageContext;
  query: string;
  error?: string;
  results?: { id: string; name: string; pivot: string; kinds: string[] }[];
  more?: boolean;
}) {
  const title =
    props.query && !props.error ? `Rejoindre une structure : « ${props.query} »` : 'Rejoindre une structure';
  return (
    <Page ctx={props.ctx} title={title} hasErrors={Boolean(props.error)}>
      <h1>Demander à rejoindre une structure</h1>
      {props.error ? <ErrorSummary autofocus items={summaryItems({ nom: props.error })} /> : null}
      <p>
        Vous travaillez dans une structure du réseau (médiathèque, centre social, mairie…) ? Cherchez-la, puis
        envoyez votre demande. Ses administrateurs vous répondent par e-mail. Vous n'avez pas besoin d'un
        compte pour demander.
      </p>
      <form method="get" action="/structures/rejoindre#resultats">
        <TextField
          id="nom"
          label="Nom de la structure, ou son SIRET"
          type="search"
          hint="Par exemple « médiathèque saran ». Les accents et les majuscules ne comptent pas."
          value={props.query}
          error={props.error}
          maxlength={SEARCH_MAX_LENGTH}
          required
        />
        <button type="submit">Chercher la structure</button>
      </form>
      {props.results ? (
        <section aria-labelledby="resultats">
          <h2 id="resultats" tabindex={-1}>
            {props.results.length === 0
              ? 'Aucune structure trouvée'
              : props.results.length === 1
                ? '1 structure trouvée'
                : `${props.results.length} structures trouvées`}
          </h2>
          {props.results.length === 0 ? (
            <p>
              Vérifiez l'orthographe, ou tapez seulement un mot du nom. Si votre structure n'est pas dans le
              réseau, appelez le réseau.
            </p>
          ) : (
            <ul>
              {props.results.map((r) => (
                <li>
                  <a href={`/structures/rejoindre?structure=${r.id}`}>Rejoindre {r.name}</a> —{' '}
                  {r.kinds.length > 0 ? `${kindsText(r.kinds)}, ` : ''}SIRET ou RNA {formatPivot(r.pivot)}
                </li>
              ))}
            </ul>
          )}
          {props.more ? <p>D'autres structures correspondent : précisez le nom.</p> : null}
        </section>
      ) : null}
    </Page>
  );
}

export interface JoinValues {
  name: string;
  email: string;
  message: string;
}

export const EMPTY_JOIN: JoinValues = { name: '', email: '', message: '' };

export function JoinFormPage(props: {
  ctx: PageContext;
  csrf: string;
  structure: { id: string; name: string; pivot: string; kinds: string[] };
  /** The signed-in person's name: the request uses their account. */
  signedInAs?: string;
  values: JoinValues;
  errors: Errors;
}) {
  const s = props.structure;
  const title = `Rejoindre ${s.name}`;
  const { values, errors } = props;
  return (
    <Page ctx={props.ctx} title={title} hasErrors={hasAny(errors)}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(errors, { message: 'message' })} />
      <p>
        {s.kinds.length > 0 ? `${kindsText(s.kinds)}, ` : ''}SIRET ou RNA {formatPivot(s.pivot)}.
      </p>
      <p>
        Votre demande est envoyée aux administrateurs de la structure. S'ils l'acceptent, vous recevez un
        e-mail
        {props.signedInAs ? '.' : ' avec un lien pour vous connecter ou créer votre mot de passe.'}
      </p>
      <form method="post" action="/structures/rejoindre" novalidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="structure" value={s.id} />
        {props.signedInAs ? (
          <p>Vous faites la demande avec votre compte : {props.signedInAs}.</p>
        ) : (
          <>
            <TextField
              id="name"
              label="Votre nom"
              value={values.name}
              error={errors.name}
              maxlength={PERSON_NAME_MAX_LENGTH}
              autocomplete="name"
              required
            />
            <TextField
              id="email"
              label="Votre adresse e-mail"
              type="email"
              hint="La réponse arrive à cette adresse. Par exemple nom@exemple.fr."
              value={values.email}
              error={errors.email}
              maxlength={254}
              autocomplete="email"
              required
            />
          </>
        )}
        <MessageField
          id="message"
          label="Message pour les administrateurs (facultatif)"
          hint={`Par exemple votre métier et pourquoi vous voulez rejoindre la structure. ${MESSAGE_MAX_LENGTH.toLocaleString('fr-FR')} caractères au plus.`}
          value={values.message}
          error={errors.message}
        />
        <button type="submit">Envoyer ma demande</button>
      </form>
      <p>
        <a href="/structures/rejoindre">Chercher une autre structure</a>
      </p>
    </Page>
  );
}

export function JoinSentPage(props: { ctx: PageContext; structureName: string }) {
  return (
    <Page ctx={props.ctx} title="Demande envoyée">
      <h1>Demande envoyée</h1>
      <p>
        Votre demande pour rejoindre {props.structureName} est enregistrée. Ses administrateurs vont y
        répondre : vous recevrez un e-mail.
      </p>
      <p>
        <a href="/">Revenir à l'accueil</a>
      </p>
    </Page>
  );
}
