import { formatInteger } from '../shared/format.ts';
import { Csrf, Field, FieldError } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import type { FunderView, Funding } from './funders.service.ts';
import { type FunderFiguresData, frenchDay } from './funders.ts';
import { type Errors, ErrorsAtTop, Notice, Page, phoneText, sirenText } from './funders.views.tsx';

/**
 * One funder's page: its organisation, the structures it funds and their dates, the network's figures
 * (aggregates only) with their CSV; for coordinators, its people and the forms to invite, record and
 * end fundings.
 */

export interface FundingValues {
  structureId: string;
  startsOn: string;
  endsOn: string;
}

export const EMPTY_FUNDING: FundingValues = { structureId: '', startsOn: '', endsOn: '' };

/** What the page shows again after a refused form: which form, what was typed, the messages. */
export interface FormState {
  invite?: { email: string; errors: Errors };
  funding?: { values: FundingValues; errors: Errors };
  end?: { fundingId: string; endsOn: string; errors: Errors };
}

function state(f: Funding, today: string): string {
  if (f.current) return 'En cours';
  return f.startsOn > today ? 'À venir' : 'Terminé';
}

function FundingsSection(props: { view: FunderView; csrf: string; form: FormState; today: string }) {
  const { view, form } = props;
  const manage = view.management !== null;
  return (
    <section aria-labelledby="structures-financees">
      <h2 id="structures-financees">Structures financées</h2>
      {view.fundings.length === 0 ? null : (
        <p>
          <a href={`/activites/statistiques/financeur/${view.funder.id}`}>
            Statistiques des activités des structures financées
          </a>{' '}
          (accompagnements, personnes suivies, participants anonymes, pendant chaque financement).
          {manage ? (
            <>
              {' '}
              <a href={`/activites/statistiques/financeur/${view.funder.id}/liens`}>
                Liens de consultation sans compte
              </a>{' '}
              pour transmettre ces statistiques au financeur.
            </>
          ) : null}
        </p>
      )}
      {view.fundings.length === 0 ? (
        <p>Aucun financement n'est enregistré pour ce financeur.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Structures financées par {view.funder.name}</caption>
            <thead>
              <tr>
                <th scope="col">Structure</th>
                <th scope="col">Début</th>
                <th scope="col">Fin</th>
                <th scope="col">État</th>
                {manage ? <th scope="col">Terminer ou changer la fin</th> : null}
              </tr>
            </thead>
            <tbody>
              {view.fundings.map((f) => {
                const mine = form.end?.fundingId === f.id ? form.end : undefined;
                const id = `fin-${f.id}`;
                return (
                  <tr>
                    <th scope="row">
                      <a href={`/structures/${f.structureId}`}>{f.structureName}</a>
                    </th>
                    <td>{frenchDay(f.startsOn)}</td>
                    <td>{f.endsOn ? frenchDay(f.endsOn) : 'Sans date de fin'}</td>
                    <td>{state(f, props.today)}</td>
                    {manage ? (
                      <td>
                        <form
                          method="post"
                          action={`/financeurs/${view.funder.id}/financements/${f.id}/fin`}
                          class="inline"
                          novalidate
                        >
                          <Csrf token={props.csrf} />
                          <label for={id}>
                            Date de fin
                            <span class="visually-hidden"> du financement de {f.structureName}</span>
                          </label>
                          <FieldError id={id} message={mine?.errors.endsOn} />
                          <input
                            id={id}
                            name="endsOn"
                            type="date"
                            value={mine?.endsOn ?? f.endsOn ?? ''}
                            aria-invalid={mine?.errors.endsOn ? 'true' : undefined}
                            aria-describedby={mine?.errors.endsOn ? `${id}-erreur` : undefined}
                          />{' '}
                          <button type="submit" class="secondary">
                            Enregistrer la fin<span class="visually-hidden"> : {f.structureName}</span>
                          </button>
                        </form>
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

function NewFundingSection(props: {
  view: FunderView;
  structures: { id: string; name: string }[];
  csrf: string;
  form: FormState;
}) {
  const values = props.form.funding?.values ?? { structureId: '', startsOn: '', endsOn: '' };
  const errors = props.form.funding?.errors ?? {};
  return (
    <section aria-labelledby="nouveau-financement">
      <h2 id="nouveau-financement">Enregistrer un financement</h2>
      <form method="post" action={`/financeurs/${props.view.funder.id}/financements`} novalidate>
        <Csrf token={props.csrf} />
        <div class={errors.structureId ? 'field has-error' : 'field'}>
          <label for="structureId">Structure financée</label>
          <FieldError id="structureId" message={errors.structureId} />
          <select
            id="structureId"
            name="structureId"
            aria-invalid={errors.structureId ? 'true' : undefined}
            aria-describedby={errors.structureId ? 'structureId-erreur' : undefined}
          >
            <option value="">Choisissez une structure</option>
            {props.structures.map((s) => (
              <option value={s.id} selected={values.structureId === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="startsOn"
          label="Date de début"
          hint="Par exemple 01/01/2026."
          type="date"
          value={values.startsOn}
          error={errors.startsOn}
          required
        />
        <Field
          id="endsOn"
          label="Date de fin (facultatif)"
          hint="Laissez vide si le financement n'a pas encore de fin."
          type="date"
          value={values.endsOn}
          error={errors.endsOn}
        />
        <button type="submit">Enregistrer le financement</button>
      </form>
    </section>
  );
}

function CountTable(props: { caption: string; head: string; rows: { label: string; n: number }[] }) {
  if (props.rows.length === 0) return <p>Aucune orientation sur la période.</p>;
  return (
    <div class="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            <th scope="col" class="num">
              Orientations
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td class="num">{formatInteger(r.n)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FiguresSection(props: {
  funderId: string;
  figures: FunderFiguresData;
  period: FunderView['period'];
}) {
  const f = props.figures;
  const errors = props.period.errors;
  const refused = Object.keys(errors).length > 0;
  return (
    <section aria-labelledby="chiffres">
      <h2 id="chiffres">Chiffres du réseau</h2>
      <p>
        Du {frenchDay(f.from)} au {frenchDay(f.to)}, pour tout le réseau. Ce sont des totaux : aucune donnée
        sur une personne.
      </p>
      <form method="get" action={`/financeurs/${props.funderId}`} novalidate>
        <fieldset>
          <legend>Choisir la période</legend>
          <Field
            id="du"
            label="Du"
            hint="Par exemple 01/01/2026. Vide : il y a 12 mois."
            type="date"
            value={refused ? props.period.from : f.from}
            error={errors.du}
          />
          <Field
            id="au"
            label="Au"
            hint="Par exemple 31/12/2026. Vide : aujourd'hui."
            type="date"
            value={refused ? props.period.to : f.to}
            error={errors.au}
          />
          <button type="submit" class="secondary">
            Afficher les chiffres de cette période
          </button>
        </fieldset>
      </form>
      <p>
        <a href={`/financeurs/${props.funderId}/chiffres.csv?du=${f.from}&au=${f.to}`} download>
          Télécharger ces chiffres (CSV, tableur)
        </a>
      </p>
      <h3>Recherches de lieux</h3>
      <p>
        {f.searches === null
          ? 'Pas encore comptées.'
          : `${formatInteger(f.searches)} recherche${f.searches > 1 ? 's' : ''} de lieux sur la période (comptées sans aucune donnée personnelle, depuis la mise en place du compteur).`}
      </p>
      <h3>Couverture du territoire</h3>
      {f.coverage ? (
        <dl>
          <dt>Territoire</dt>
          <dd>{f.coverage.territory}</dd>
          <dt>Lieux de l'annuaire</dt>
          <dd>{formatInteger(f.coverage.places)}</dd>
          <dt>Habitants</dt>
          <dd>{formatInteger(f.coverage.population)}</dd>
          <dt>Habitants à plus de {formatInteger(f.coverage.radiusKm)} km d'un lieu</dt>
          <dd>{formatInteger(f.coverage.populationBeyond)}</dd>
        </dl>
      ) : (
        <p>Pas encore disponible : l'annuaire n'a aucun lieu situé.</p>
      )}
      <p>
        <a href="/couverture">Voir la carte de la couverture</a>
      </p>
      <h3>Orientations</h3>
      <p>
        {f.orientations.total === 0
          ? 'Aucune orientation envoyée sur la période.'
          : `${formatInteger(f.orientations.total)} orientation${f.orientations.total > 1 ? 's' : ''} envoyée${f.orientations.total > 1 ? 's' : ''} sur la période.`}
      </p>
      {f.orientations.total > 0 ? (
        <>
          <CountTable caption="Orientations par besoin" head="Besoin" rows={f.orientations.byNeed} />
          <CountTable
            caption="Orientations par commune du lieu qui reçoit"
            head="Commune"
            rows={f.orientations.byCommune}
          />
        </>
      ) : null}
    </section>
  );
}

function PeopleSection(props: {
  view: FunderView;
  members: NonNullable<FunderView['management']>['members'];
  csrf: string;
  form: FormState;
}) {
  const base = `/financeurs/${props.view.funder.id}`;
  const errors = props.form.invite?.errors ?? {};
  return (
    <section aria-labelledby="personnes">
      <h2 id="personnes">Personnes du financeur</h2>
      {props.members.length === 0 ? (
        <p>Personne n'a encore rejoint ce financeur.</p>
      ) : (
        <ul>
          {props.members.map((m) => (
            <li>
              {m.name} ({m.email}){' '}
              <form method="post" action={`${base}/membres/${m.personId}/retirer`} class="inline">
                <Csrf token={props.csrf} />
                <button type="submit" class="secondary">
                  Retirer<span class="visually-hidden"> {m.name}</span> du financeur
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h3>Inviter une personne</h3>
      <p>
        La personne reçoit un lien par e-mail, valable 7 jours. Elle verra cette page, sans les formulaires.
      </p>
      <form method="post" action={`${base}/invitations`} novalidate>
        <Csrf token={props.csrf} />
        <Field
          id="email"
          label="Adresse e-mail"
          type="email"
          value={props.form.invite?.email ?? ''}
          error={errors.email}
          maxlength={254}
          required
        />
        <button type="submit">Envoyer l'invitation</button>
      </form>
    </section>
  );
}

export function FunderPage(props: {
  ctx: PageContext;
  csrf: string;
  view: FunderView;
  today: string;
  form?: FormState;
  notice?: string | undefined;
}) {
  const { view } = props;
  const form = props.form ?? {};
  const errors: Errors = {
    ...view.period.errors,
    ...form.invite?.errors,
    ...form.funding?.errors,
    ...(form.end ? { [`fin-${form.end.fundingId}`]: form.end.errors.endsOn } : {}),
  };
  const phone = phoneText(view.funder.contactPhone);
  return (
    <Page ctx={props.ctx} title={view.funder.name} errors={errors}>
      <ErrorsAtTop errors={errors} />
      <h1>{view.funder.name}</h1>
      <Notice text={props.notice} />
      <dl>
        <dt>SIREN</dt>
        <dd>{sirenText(view.funder.siren)}</dd>
        <dt>Contact</dt>
        <dd>
          {view.funder.contactEmail ?? (phone ? null : 'Non précisé')}
          {view.funder.contactEmail && phone ? ' — ' : null}
          {phone}
        </dd>
      </dl>
      {view.management ? (
        <p>
          <a href={`/financeurs/${view.funder.id}/modifier`}>Modifier le nom, le SIREN ou le contact</a> ·{' '}
          <a href="/financeurs">Tous les financeurs</a>
        </p>
      ) : null}
      <FundingsSection view={view} csrf={props.csrf} form={form} today={props.today} />
      {view.management ? (
        <NewFundingSection
          view={view}
          structures={view.management.structures}
          csrf={props.csrf}
          form={form}
        />
      ) : null}
      <FiguresSection funderId={view.funder.id} figures={view.figures} period={view.period} />
      {view.management ? (
        <PeopleSection view={view} members={view.management.members} csrf={props.csrf} form={form} />
      ) : null}
    </Page>
  );
}
