import { frenchDate } from '../places/place-dates.ts';
import { Csrf, Field, FieldError, Notice, Select } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import { type Errors, ErrorsAtTop, Page } from './programme-parts.views.tsx';
import type { Programme } from './vouchers.service.ts';
import { BOOKLET_SIZES, euros, type ProgrammeValues } from './vouchers.ts';

/**
 * The pass numérique's hub (`/pass`): the coordinators' programmes and the form to create one, a
 * funder's people's own programmes, and for the members of a structure the way to their booklets and
 * to the redemption of a voucher.
 */

/** The fields of the creation form whose id is not their name (the summary links to the first choice). */
export const PROGRAMME_ANCHORS: Partial<Record<string, string>> = {
  bookletSize: 'bookletSize-10',
  publics: 'publics-0',
};

export interface HubCreate {
  funders: { id: string; name: string }[];
  publics: readonly string[];
  values: ProgrammeValues;
  errors: Errors;
}

function ProgrammesTable(props: { programmes: Programme[]; showFunder: boolean }) {
  // Three columns, so that the table reads on a phone without scrolling sideways.
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">Programmes du pass numérique</caption>
        <thead>
          <tr>
            <th scope="col">Programme</th>
            <th scope="col">État</th>
            <th scope="col" class="num">
              Budget
            </th>
          </tr>
        </thead>
        <tbody>
          {props.programmes.map((p) => (
            <tr>
              <th scope="row">
                <a href={`/pass/programmes/${p.id}`}>{p.name}</a>
                <span class="meta row-detail">
                  {props.showFunder ? `${p.funderName}, valable` : 'Valable'} jusqu'au{' '}
                  {frenchDate(p.validUntil)}
                </span>
              </th>
              <td>{p.confirmedAt ? 'Confirmé' : 'À confirmer par le financeur'}</td>
              <td class="num">{euros(p.budgetCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateForm({ create, csrf }: { create: HubCreate; csrf: string }) {
  const { values, errors } = create;
  const chosen = new Set(values.publics);
  return (
    <section aria-labelledby="creer">
      <h2 id="creer">Créer un programme</h2>
      <p>
        Le financeur confirmera ensuite le budget et la validité. Aucun carnet ne peut être émis avant sa
        confirmation ; après, ces conditions ne changent plus.
      </p>
      <form method="post" action="/pass" novalidate>
        <Csrf token={csrf} />
        <Select
          id="funderId"
          label="Financeur"
          empty="Choisissez le financeur"
          options={create.funders.map((f) => ({ value: f.id, label: f.name }))}
          value={values.funderId}
          error={errors.funderId}
          {...(create.funders.length === 0
            ? { hint: "Aucun financeur n'est enregistré : créez-le d'abord dans la page Financeurs." }
            : {})}
        />
        <Field
          id="name"
          label="Nom du programme"
          hint="Par exemple « Pass numérique 2027 »."
          value={values.name}
          error={errors.name}
          maxlength={200}
          required
        />
        <Field
          id="faceValue"
          label="Valeur d'un chèque, en euros"
          hint="Par exemple 10 ou 10,50."
          value={values.faceValue}
          error={errors.faceValue}
          inputmode="decimal"
          maxlength={20}
          size={10}
          required
        />
        <fieldset
          class={errors.bookletSize ? 'spaced has-error' : 'spaced'}
          aria-describedby={errors.bookletSize ? 'bookletSize-erreur' : undefined}
        >
          <legend>Nombre de chèques par carnet</legend>
          <FieldError id="bookletSize" message={errors.bookletSize} />
          <div class="choices">
            {[...BOOKLET_SIZES].reverse().map((n) => (
              <div class="choice">
                <input
                  type="radio"
                  name="bookletSize"
                  id={`bookletSize-${n}`}
                  value={String(n)}
                  checked={values.bookletSize === String(n)}
                />
                <label for={`bookletSize-${n}`}>{n} chèques</label>
              </div>
            ))}
          </div>
        </fieldset>
        <Field
          id="validFrom"
          label="Date de début de validité"
          hint="Par exemple 01/01/2027."
          value={values.validFrom}
          error={errors.validFrom}
          maxlength={20}
          size={12}
          required
        />
        <Field
          id="validUntil"
          label="Date de fin de validité"
          hint="Le dernier jour où une aide peut être payée par un chèque. Par exemple 31/12/2027."
          value={values.validUntil}
          error={errors.validUntil}
          maxlength={20}
          size={12}
          required
        />
        <Field
          id="graceDays"
          label="Délai de grâce, en jours"
          hint="Les lieux peuvent encore enregistrer un chèque pendant ce nombre de jours après la fin de validité. Par exemple 31."
          value={values.graceDays}
          error={errors.graceDays}
          inputmode="numeric"
          maxlength={3}
          size={5}
          required
        />
        <Field
          id="perimeter"
          label="Périmètre : où vivent les personnes qui peuvent recevoir un chèque"
          hint="Un code de territoire, d'abord celui du réseau : epci:244500468 (une intercommunalité), com:45234 ou com:45234,45302 (des communes), dep:45 (un département)."
          value={values.perimeter}
          error={errors.perimeter}
          maxlength={400}
          required
        />
        <Field
          id="budget"
          label="Budget, en euros"
          hint="Le total que le financeur consacre aux chèques. Par exemple 5000 ou 5 000,00."
          value={values.budget}
          error={errors.budget}
          inputmode="decimal"
          maxlength={20}
          size={14}
          required
        />
        <fieldset
          class={errors.publics ? 'spaced has-error' : 'spaced'}
          aria-describedby={errors.publics ? 'publics-erreur publics-aide' : 'publics-aide'}
        >
          <legend>Publics visés (facultatif)</legend>
          <p class="hint" id="publics-aide">
            Cochez les publics auxquels le programme s'adresse en priorité. Sans case cochée : tout le monde.
          </p>
          <FieldError id="publics" message={errors.publics} />
          <div class="choices">
            {create.publics.map((p, i) => (
              <div class="choice">
                <input type="checkbox" name="publics" id={`publics-${i}`} value={p} checked={chosen.has(p)} />
                <label for={`publics-${i}`}>{p}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit">Créer le programme</button>
      </form>
    </section>
  );
}

export function ProgrammesHubPage(props: {
  ctx: PageContext;
  csrf: string;
  programmes: Programme[];
  /** The coordinator's creation form; null for everyone else. */
  create: HubCreate | null;
  /** The person is a member of a structure: her booklets and the redemption of a voucher. */
  member: boolean;
  /** The person belongs to a funder: her funder's programmes are listed. */
  funder: boolean;
  notice?: string | undefined;
}) {
  const errors = props.create?.errors ?? {};
  const coordinator = props.create !== null;
  return (
    <Page ctx={props.ctx} title="Pass numérique" errors={errors}>
      <ErrorsAtTop errors={errors} anchors={PROGRAMME_ANCHORS} />
      <h1>Pass numérique</h1>
      <Notice text={props.notice} />
      <p>
        Un financeur achète des carnets de chèques. Des prescripteurs les remettent aux personnes qui ont
        besoin d'aide avec le numérique. Les lieux qualifiés les encaissent quand ils les aident.
      </p>
      {props.member ? (
        <section aria-labelledby="ma-structure">
          <h2 id="ma-structure">Pour ma structure</h2>
          <ul>
            <li>
              <a href="/pass/carnets">Mes carnets</a> : les carnets confiés à ma structure, à remettre aux
              personnes.
            </li>
            <li>
              <a href="/pass/encaisser">Encaisser un chèque</a> : taper ou scanner le code d'un chèque reçu.
            </li>
            <li>
              <a href="/pass/releves">Relevés de ma structure</a> : chaque mois, ce que le financeur doit pour
              les chèques encaissés.
            </li>
            <li>
              <a href="/pass/tableau-de-bord">Tableau de bord</a> : mes carnets et mes encaissements, mois par
              mois.
            </li>
          </ul>
        </section>
      ) : null}
      {coordinator || props.funder ? (
        <section aria-labelledby="programmes">
          <h2 id="programmes">{coordinator ? 'Programmes' : 'Les programmes de mon financeur'}</h2>
          <p>
            <a href="/pass/tableau-de-bord">Tableau de bord</a> : les chiffres des programmes, mois par mois,
            par commune, lieu, prescripteur et besoin.
          </p>
          {props.programmes.length === 0 ? (
            <p>Aucun programme pour le moment.</p>
          ) : (
            <ProgrammesTable programmes={props.programmes} showFunder={coordinator} />
          )}
        </section>
      ) : null}
      {!coordinator && !props.funder && !props.member ? (
        <p>
          Le pass numérique concerne les structures du réseau et les financeurs. Votre compte n'est rattaché à
          aucun des deux : demandez à la coordination du réseau.
        </p>
      ) : null}
      {props.create ? <CreateForm create={props.create} csrf={props.csrf} /> : null}
    </Page>
  );
}
