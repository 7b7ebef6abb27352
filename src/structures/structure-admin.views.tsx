import { ROLE_LABELS } from '../accounts/accounts.ts';
import type { PendingInvitation } from '../accounts/invitations.service.ts';
import { formatPhone } from '../shared/phone.ts';
import { Csrf, ErrorSummary, Field, Select, summaryItems } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import { SORTS, type StructureEditValues, type StructureList } from './structure-admin.service.ts';
import { formatPivot, kindChoices, NAME_MAX_LENGTH } from './structures.ts';
import {
  CreateStructureSection,
  EMPTY_NEW_STRUCTURE,
  type Errors,
  formatDate,
  hasAny,
  kindsText,
  type NewStructureValues,
  Notice,
  Page,
} from './structures.views.tsx';

/**
 * The coordinator's pages of structures: the list with its search, filters, sort and pages; editing a
 * structure; and the invitations not yet accepted (shown on a structure's page to those who invite).
 */

/** The address of the list with these filters (pages and sort keep the others). */
export function listHref(
  f: StructureList['filters'],
  change: Partial<StructureList['filters']> = {},
): string {
  const v = { ...f, ...change };
  const params = new URLSearchParams();
  if (v.q) params.set('q', v.q);
  if (v.kind) params.set('type', v.kind);
  if (v.commune) params.set('commune', v.commune);
  if (v.withoutAdmin) params.set('admin', 'sans');
  if (v.pending) params.set('attente', 'oui');
  if (v.sort !== 'nom') params.set('tri', v.sort);
  if (v.page > 1) params.set('page', String(v.page));
  const query = params.toString();
  return query ? `/structures?${query}` : '/structures';
}

export function NetworkStructuresPage(props: {
  ctx: PageContext;
  csrf: string;
  list: StructureList;
  values?: NewStructureValues;
  errors?: Errors;
  notice?: string;
}) {
  const { list } = props;
  const f = list.filters;
  const createErrors = props.errors ?? {};
  const allErrors = { ...list.errors, ...createErrors };
  const title = 'Les structures du réseau';
  const filtered = Boolean(f.q || f.kind || f.commune || f.withoutAdmin || f.pending);
  return (
    <Page ctx={props.ctx} title={title} hasErrors={hasAny(allErrors)}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(allErrors)} />
      <Notice text={props.notice} />
      <form method="get" action="/structures" class="filters">
        <h2>Chercher et filtrer</h2>
        <Field
          id="q"
          label="Nom ou SIRET"
          type="search"
          value={f.q}
          error={list.errors.q}
          hint="Des mots du nom, dans n'importe quel ordre, ou le début du SIRET."
        />
        <Select
          id="type"
          label="Type de structure"
          value={f.kind}
          error={list.errors.type}
          options={[
            { value: '', label: 'Tous les types' },
            ...list.choices.kinds.map((k) => ({ value: k.code, label: k.label })),
          ]}
        />
        <Select
          id="commune"
          label="Commune (d'un de ses lieux)"
          value={f.commune}
          error={list.errors.commune}
          options={[
            { value: '', label: 'Toutes les communes' },
            ...list.choices.communes.map((c) => ({ value: c.code, label: c.name })),
          ]}
        />
        <fieldset>
          <legend>Seulement</legend>
          <div class="choice">
            <input type="checkbox" id="admin" name="admin" value="sans" checked={f.withoutAdmin} />
            <label for="admin">Les structures sans administrateur ni administratrice</label>
          </div>
          <div class="choice">
            <input type="checkbox" id="attente" name="attente" value="oui" checked={f.pending} />
            <label for="attente">Les structures avec une invitation ou une demande en attente</label>
          </div>
        </fieldset>
        <Select
          id="tri"
          label="Trier par"
          value={f.sort}
          error={list.errors.tri}
          options={SORTS.map((s) => ({ value: s.code, label: s.label }))}
        />
        <p class="actions">
          <button type="submit">Afficher</button>
          {filtered ? <a href="/structures">Retirer les filtres</a> : null}
        </p>
      </form>
      <h2 id="liste">
        {list.total === 0
          ? 'Aucune structure'
          : list.total === 1
            ? '1 structure'
            : `${list.total.toLocaleString('fr-FR')} structures`}
        {filtered ? ' correspondent' : ''}
      </h2>
      {list.structures.length === 0 ? (
        <p>{filtered ? 'Essayez avec moins de filtres.' : "Aucune structure pour l'instant."}</p>
      ) : (
        <div class="table-scroll structures-table">
          <table>
            <caption class="visually-hidden">
              {title}, page {f.page} sur {list.pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">Structure</th>
                <th scope="col">SIRET ou RNA</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Lieux
                </th>
                <th scope="col" class="num">
                  Membres
                </th>
                <th scope="col">En attente</th>
              </tr>
            </thead>
            <tbody>
              {list.structures.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={`/structures/${s.id}`}>{s.name}</a>
                  </th>
                  <td>{formatPivot(s.pivot)}</td>
                  <td>{kindsText(s.kinds)}</td>
                  <td class="num">{s.places}</td>
                  <td class="num">
                    {s.members}
                    {s.admins === 0 ? (
                      <>
                        <br />
                        sans administrateur
                      </>
                    ) : null}
                  </td>
                  <td>
                    {[
                      s.pendingInvitations
                        ? `${s.pendingInvitations} invitation${s.pendingInvitations > 1 ? 's' : ''}`
                        : '',
                      s.pendingRequests
                        ? `${s.pendingRequests} demande${s.pendingRequests > 1 ? 's' : ''}`
                        : '',
                    ]
                      .filter(Boolean)
                      .join(', ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.pages > 1 ? (
        <nav aria-label="Pages de la liste">
          <p>
            Page {f.page} sur {list.pages}.{' '}
            {f.page > 1 ? <a href={listHref(f, { page: f.page - 1 })}>Page précédente</a> : null}{' '}
            {f.page < list.pages ? <a href={listHref(f, { page: f.page + 1 })}>Page suivante</a> : null}
          </p>
        </nav>
      ) : null}
      <CreateStructureSection
        csrf={props.csrf}
        values={props.values ?? EMPTY_NEW_STRUCTURE}
        errors={createErrors}
      />
    </Page>
  );
}

export function StructureEditPage(props: {
  ctx: PageContext;
  csrf: string;
  structure: { id: string; name: string };
  values: StructureEditValues;
  errors: Errors;
}) {
  const { structure, values, errors } = props;
  const title = `Modifier la structure ${structure.name}`;
  return (
    <Page ctx={props.ctx} title={title} hasErrors={hasAny(errors)}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(errors)} />
      <form method="post" action={`/structures/${structure.id}/modifier`} novalidate>
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
        <Select
          id="kind"
          label="Type de structure"
          value={values.kind}
          error={errors.kind}
          options={[
            { value: '', label: 'Choisissez un type' },
            ...kindChoices().map((k) => ({ value: k.code, label: k.label })),
          ]}
        />
        <Field
          id="pivot"
          label="SIRET ou numéro RNA"
          hint="SIRET : 14 chiffres, par exemple 214 503 021 00013. Numéro RNA (associations) : W suivi de 9 chiffres."
          value={values.pivot}
          error={errors.pivot}
          maxlength={40}
          required
        />
        <Field
          id="contactEmail"
          label="E-mail de contact (facultatif)"
          type="email"
          value={values.contactEmail}
          error={errors.contactEmail}
          maxlength={254}
          autocomplete="off"
        />
        <Field
          id="contactPhone"
          label="Téléphone de contact (facultatif)"
          hint="Par exemple 02 38 00 00 00."
          value={values.contactPhone.startsWith('+') ? formatPhone(values.contactPhone) : values.contactPhone}
          error={errors.contactPhone}
          maxlength={30}
          autocomplete="off"
        />
        <p class="actions">
          <button type="submit">Enregistrer</button>
          <a href={`/structures/${structure.id}`}>Annuler et revenir à la structure</a>
        </p>
      </form>
    </Page>
  );
}

/** Invitations not yet accepted, each sent again or withdrawn (on the structure's page). */
export function InvitationsSection(props: {
  structureId: string;
  invitations: PendingInvitation[];
  csrf: string;
}) {
  const base = `/structures/${props.structureId}/invitations`;
  return (
    <section aria-labelledby="invitations">
      <h2 id="invitations">Invitations en attente</h2>
      {props.invitations.length === 0 ? (
        <p>Aucune invitation en attente.</p>
      ) : (
        <ul class="cards">
          {props.invitations.map((i) => (
            <li class="card">
              <p>
                <strong>{i.name}</strong> ({i.email}), {ROLE_LABELS[i.role]}. Envoyée le{' '}
                {formatDate(i.sentAt)}
                {i.expired
                  ? ' : expirée, le lien ne marche plus.'
                  : `, valable jusqu'au ${formatDate(i.expiresAt)}.`}
              </p>
              <form method="post" action={`${base}/${i.id}/renvoyer`} class="inline">
                <Csrf token={props.csrf} />
                <button type="submit" class="secondary">
                  Envoyer un nouveau lien<span class="visually-hidden"> à {i.email}</span>
                </button>
              </form>{' '}
              <form method="post" action={`${base}/${i.id}/retirer`} class="inline">
                <Csrf token={props.csrf} />
                <button type="submit" class="secondary">
                  Retirer l'invitation<span class="visually-hidden"> de {i.email}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
