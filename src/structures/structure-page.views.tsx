import { ROLE_LABELS, type StructureRole } from '../accounts/accounts.ts';
import { formatPhone } from '../shared/phone.ts';
import { Csrf, ErrorSummary, Field, summaryItems } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import { InvitationsSection } from './structure-admin.views.tsx';
import type { Member, PendingJoinRequest, StructureView } from './structures.service.ts';
import { formatPivot, MESSAGE_MAX_LENGTH, PERSON_NAME_MAX_LENGTH } from './structures.ts';
import {
  type Errors,
  formatDate,
  formatIsoDay,
  hasAny,
  kindsText,
  MessageField,
  Notice,
  Page,
  RoleChoice,
} from './structures.views.tsx';

/** One structure: its public card, places, members, invitations and join requests; removing a member. */

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
              {p.isPublic ? <a href={`/lieux/${p.id}`}>{p.name}</a> : p.name} — {p.address}, {p.commune}
              {p.isPublic ? null : <> (hors du territoire du réseau : pas affiché au public)</>}
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
      {viewer.canManage ? (
        <p>
          <a href={`/structures/${props.view.structure.id}/lieux/nouveau`}>Ajouter un nouveau lieu</a> ou{' '}
          <a href={`/structures/${props.view.structure.id}/lieux/rattacher`}>
            rattacher un lieu déjà dans l'annuaire
          </a>
        </p>
      ) : null}
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
        <Field
          id="email"
          label="Adresse e-mail"
          type="email"
          value={values.email}
          error={errors.email}
          maxlength={254}
          autocomplete="off"
          required
        />
        <Field
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
  /** The viewer is a coordinator: they may edit the structure itself. */
  coordinator?: boolean;
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
        {s.contactEmail || s.contactPhone ? (
          <>
            <dt>Contact</dt>
            <dd>
              {[s.contactEmail, s.contactPhone ? formatPhone(s.contactPhone) : ''].filter(Boolean).join(', ')}
            </dd>
          </>
        ) : null}
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
      {props.coordinator ? (
        <p>
          <a href={`/structures/${s.id}/modifier`}>Modifier le nom, le type, le SIRET ou le contact</a>
        </p>
      ) : null}
      {view.viewer.role === 'structure_admin' ? (
        <p>
          <a href={`/structures/${s.id}/jetons`}>
            Jetons d'API : les outils de la structure lisent ses activités
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
      {view.invitations ? (
        <InvitationsSection structureId={s.id} invitations={view.invitations} csrf={props.csrf} />
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
