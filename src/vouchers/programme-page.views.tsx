import { frenchDate, localToday } from '../places/place-dates.ts';
import { formatInteger } from '../shared/format.ts';
import { Csrf, Field, FieldError, Notice, Select } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import type { ClosingView } from './closing.service.ts';
import { ClosingBlock } from './closing.views.tsx';
import {
  bookletStage,
  type Errors,
  ErrorsAtTop,
  Page,
  plural,
  typedEuros,
} from './programme-parts.views.tsx';
import type { Emission, ProgrammeView } from './vouchers.service.ts';
import { euros } from './vouchers.ts';

/**
 * One programme's page: its terms, its figures, the funder's confirmation, the qualified places and the
 * prescribers, the emissions and their payments, the allocation of booklets and a page of booklets.
 * The forms are the coordinators' (the confirmation, the funder's people's); a funder's people see the
 * rest without them.
 */

export type ProgrammeFormName = 'confirm' | 'place' | 'prescriber' | 'emission' | 'payment' | 'allocation';

/** What the page shows again after a refused form: which form, what was typed, the messages. */
export interface ProgrammeForm {
  form: ProgrammeFormName;
  values: Record<string, string>;
  errors: Errors;
}

const day = (d: Date) => frenchDate(localToday(d));

/** The ids of the fields of a refused form, for the error summary's links. */
function anchorsOf(state: ProgrammeForm | undefined, unpaid: Emission[]): Partial<Record<string, string>> {
  if (!state) return {};
  switch (state.form) {
    case 'prescriber':
      return { structureId: 'prescriberId' };
    case 'allocation':
      return {
        structureId: 'allocationStructureId',
        count: 'allocationCount',
        bookletIds: 'allocationCount',
      };
    case 'payment': {
      const id = state.values.emissionId ?? '';
      return unpaid.some((e) => String(e.id) === id)
        ? {
            emissionId: `paiement-${id}-amount`,
            amount: `paiement-${id}-amount`,
            reference: `paiement-${id}-reference`,
          }
        : {};
    }
    default:
      return {};
  }
}

function Terms({ view }: { view: ProgrammeView }) {
  const p = view.programme;
  return (
    <section aria-labelledby="conditions">
      <h2 id="conditions">Conditions</h2>
      <dl class="facts">
        <dt>Valeur d'un chèque</dt>
        <dd>{euros(p.faceValueCents)}</dd>
        <dt>Chèques par carnet</dt>
        <dd>{p.bookletSize}</dd>
        <dt>Validité</dt>
        <dd>
          Pour une aide donnée du {frenchDate(p.validFrom)} au {frenchDate(p.validUntil)}
        </dd>
        <dt>Dernier jour pour encaisser un chèque</dt>
        <dd>
          {frenchDate(p.lastRecordingDay)} ({plural(p.graceDays, 'jour')} de grâce)
        </dd>
        <dt>Périmètre des personnes</dt>
        <dd>{p.perimeterLabel}</dd>
        <dt>Publics visés</dt>
        <dd>{p.publics.length > 0 ? p.publics.join(', ') : 'Tout le monde'}</dd>
        <dt>Budget</dt>
        <dd>{euros(p.budgetCents)}</dd>
      </dl>
    </section>
  );
}

function Confirmation(props: { view: ProgrammeView; csrf: string; state: ProgrammeForm | undefined }) {
  const p = props.view.programme;
  if (p.confirmedAt)
    return (
      <p>
        <strong>Confirmé par le financeur le {day(p.confirmedAt)}.</strong> Le budget et la validité ne
        changent plus.
      </p>
    );
  if (!props.view.may.confirm)
    return (
      <p>
        <strong>En attente de la confirmation du financeur.</strong> Aucun carnet ne peut être émis avant.
      </p>
    );
  const error = props.state?.form === 'confirm' ? props.state.errors.confirmed : undefined;
  return (
    <section aria-labelledby="confirmer">
      <h2 id="confirmer">Confirmer le programme</h2>
      <p>
        Vérifiez le budget et la validité ci-dessus. Une fois confirmés, ils ne pourront plus changer, et la
        coordination pourra émettre les carnets.
      </p>
      <form method="post" action={`/pass/programmes/${p.id}/confirmer`} novalidate>
        <Csrf token={props.csrf} />
        <div class={error ? 'field has-error' : 'field'}>
          <FieldError id="confirmed" message={error} />
          <div class="choice">
            <input
              type="checkbox"
              id="confirmed"
              name="confirmed"
              value="oui"
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'confirmed-erreur' : undefined}
            />
            <label for="confirmed">
              Pour {p.funderName}, je confirme le budget de {euros(p.budgetCents)} et la validité du{' '}
              {frenchDate(p.validFrom)} au {frenchDate(p.validUntil)}.
            </label>
          </div>
        </div>
        <button type="submit">Confirmer le programme</button>
      </form>
    </section>
  );
}

function Figures({ view }: { view: ProgrammeView }) {
  const t = view.totals;
  return (
    <section aria-labelledby="chiffres">
      <h2 id="chiffres">Chiffres</h2>
      <dl class="facts">
        <dt>Chèques émis</dt>
        <dd>{euros(t.emittedCents)}</dd>
        <dt>Payé par le financeur</dt>
        <dd>{euros(t.paidCents)}</dd>
        <dt>Encaissé par les lieux</dt>
        <dd>{euros(t.redeemedCents)}</dd>
        <dt>Reste du budget à émettre</dt>
        <dd>{euros(t.budgetLeftCents)}</dd>
        <dt>Carnets</dt>
        <dd>
          {formatInteger(t.booklets)} émis : {formatInteger(t.bookletsInStock)} en stock,{' '}
          {formatInteger(t.allocated)} {t.allocated > 1 ? 'confiés' : 'confié'} à un prescripteur,{' '}
          {formatInteger(t.distributed)} remis à une personne, {formatInteger(t.cancelled)}{' '}
          {t.cancelled > 1 ? 'annulés' : 'annulé'}
        </dd>
      </dl>
    </section>
  );
}

function Places(props: { view: ProgrammeView; csrf: string; state: ProgrammeForm | undefined }) {
  const { view } = props;
  const state = props.state?.form === 'place' ? props.state : undefined;
  return (
    <section aria-labelledby="lieux">
      <h2 id="lieux">Lieux qualifiés</h2>
      <p>
        Les lieux où les personnes utilisent leurs chèques. L'équipe de la structure du lieu les encaisse.
      </p>
      {view.places.length === 0 ? (
        <p>Aucun lieu qualifié pour le moment.</p>
      ) : (
        <ul>
          {view.places.map((p) => (
            <li>
              <a href={`/lieux/${p.place_id}`}>{p.place_name}</a>, {p.commune} ({p.structure_name})
            </li>
          ))}
        </ul>
      )}
      {view.may.manage ? (
        <form method="post" action={`/pass/programmes/${view.programme.id}/lieux`} novalidate>
          <Csrf token={props.csrf} />
          <Select
            id="placeId"
            label="Lieu à qualifier"
            empty="Choisissez un lieu de l'annuaire"
            options={view.choices.places.map((p) => ({ value: p.id, label: `${p.name} (${p.commune})` }))}
            value={state?.values.placeId ?? ''}
            error={state?.errors.placeId}
          />
          <button type="submit" class="secondary">
            Qualifier ce lieu
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Prescribers(props: { view: ProgrammeView; csrf: string; state: ProgrammeForm | undefined }) {
  const { view } = props;
  const state = props.state?.form === 'prescriber' ? props.state : undefined;
  return (
    <section aria-labelledby="prescripteurs">
      <h2 id="prescripteurs">Prescripteurs</h2>
      <p>
        Les structures qui reçoivent des carnets et les remettent aux personnes (un CCAS, un service social).
      </p>
      {view.prescribers.length === 0 ? (
        <p>Aucun prescripteur pour le moment.</p>
      ) : (
        <ul>
          {view.prescribers.map((s) => (
            <li>
              <a href={`/structures/${s.structure_id}`}>{s.structure_name}</a>
            </li>
          ))}
        </ul>
      )}
      {view.may.manage ? (
        <form method="post" action={`/pass/programmes/${view.programme.id}/prescripteurs`} novalidate>
          <Csrf token={props.csrf} />
          <Select
            id="prescriberId"
            name="structureId"
            label="Structure prescriptrice à ajouter"
            empty="Choisissez une structure"
            options={view.choices.structures.map((s) => ({ value: s.id, label: s.name }))}
            value={state?.values.structureId ?? ''}
            error={state?.errors.structureId}
          />
          <button type="submit" class="secondary">
            Ajouter ce prescripteur
          </button>
        </form>
      ) : null}
    </section>
  );
}

function PaymentForm(props: {
  programmeId: string;
  emission: Emission;
  csrf: string;
  state: ProgrammeForm | undefined;
}) {
  const e = props.emission;
  const mine =
    props.state?.form === 'payment' && props.state.values.emissionId === String(e.id)
      ? props.state
      : undefined;
  const id = `paiement-${e.id}`;
  return (
    <form method="post" action={`/pass/programmes/${props.programmeId}/paiements`} novalidate>
      <Csrf token={props.csrf} />
      <input type="hidden" name="emissionId" value={String(e.id)} />
      <fieldset>
        <legend>
          Enregistrer le paiement des carnets n° {e.firstNumber} à {e.lastNumber} ({euros(e.amountCents)})
        </legend>
        <FieldError id={`${id}-lot`} message={mine?.errors.emissionId} />
        <Field
          id={`${id}-amount`}
          name="amount"
          label="Montant payé, en euros"
          hint="Le montant du lot entier."
          value={mine?.values.amount ?? typedEuros(e.amountCents)}
          error={mine?.errors.amount}
          inputmode="decimal"
          maxlength={20}
          size={14}
        />
        <Field
          id={`${id}-reference`}
          name="reference"
          label="Référence du paiement"
          hint="Le numéro du mandat ou du virement du financeur."
          value={mine?.values.reference ?? ''}
          error={mine?.errors.reference}
          maxlength={100}
        />
        <button type="submit">
          Enregistrer le paiement
          <span class="visually-hidden">
            {' '}
            des carnets n° {e.firstNumber} à {e.lastNumber}
          </span>
        </button>
      </fieldset>
    </form>
  );
}

/** The request keys of the forms that must never run twice for one click (decision 0037). */
export interface FormKeys {
  emission: string;
  allocation: string;
}

function Emissions(props: {
  view: ProgrammeView;
  csrf: string;
  state: ProgrammeForm | undefined;
  requestKey: string;
}) {
  const { view } = props;
  const p = view.programme;
  const state = props.state?.form === 'emission' ? props.state : undefined;
  return (
    <section aria-labelledby="emissions">
      <h2 id="emissions">Lots émis et paiements</h2>
      <p>
        Les chèques d'un lot ne peuvent être encaissés qu'une fois son paiement par le financeur enregistré.
      </p>
      {view.emissions.length === 0 ? (
        <p>Aucun carnet n'a encore été émis.</p>
      ) : (
        view.emissions.map((e) => (
          <div class="lot">
            <h3>
              Lot du {day(e.at)}, carnets n° {e.firstNumber} à {e.lastNumber}
            </h3>
            <dl class="facts">
              <dt>Carnets</dt>
              <dd>
                {plural(e.booklets, 'carnet')}, {plural(e.vouchers, 'chèque')}
              </dd>
              <dt>Montant</dt>
              <dd>{euros(e.amountCents)}</dd>
              <dt>Paiement</dt>
              <dd>
                {e.payment
                  ? `Payé le ${day(e.payment.at)}, référence ${e.payment.reference}`
                  : 'Pas encore payé : les chèques de ce lot ne peuvent pas être encaissés.'}
              </dd>
            </dl>
            {view.may.manage ? (
              <p>
                <a href={`/pass/programmes/${p.id}/emissions/${e.id}/imprimer`}>
                  Imprimer les carnets n° {e.firstNumber} à {e.lastNumber}
                </a>
              </p>
            ) : null}
            {view.may.manage && e.payment === null ? (
              <PaymentForm programmeId={p.id} emission={e} csrf={props.csrf} state={props.state} />
            ) : null}
          </div>
        ))
      )}
      {view.may.manage ? (
        <>
          <h3>Émettre des carnets</h3>
          {p.confirmedAt ? (
            <form method="post" action={`/pass/programmes/${p.id}/emissions`} novalidate>
              <Csrf token={props.csrf} />
              <input type="hidden" name="key" value={props.requestKey} />
              <Field
                id="booklets"
                label="Nombre de carnets à émettre"
                hint={`Un carnet de ${p.bookletSize} chèques vaut ${euros(p.bookletSize * p.faceValueCents)}. Il reste ${euros(view.totals.budgetLeftCents)} dans le budget.`}
                value={state?.values.booklets ?? ''}
                error={state?.errors.booklets}
                inputmode="numeric"
                maxlength={7}
                size={8}
              />
              <button type="submit">Émettre des carnets</button>
            </form>
          ) : (
            <p>Les carnets pourront être émis quand le financeur aura confirmé le programme.</p>
          )}
        </>
      ) : null}
    </section>
  );
}

function Allocation(props: {
  view: ProgrammeView;
  csrf: string;
  state: ProgrammeForm | undefined;
  requestKey: string;
}) {
  const { view } = props;
  const state = props.state?.form === 'allocation' ? props.state : undefined;
  const stock = view.totals.bookletsInStock;
  return (
    <section aria-labelledby="confier">
      <h2 id="confier">Confier des carnets à un prescripteur</h2>
      {view.prescribers.length === 0 ? (
        <p>Ajoutez d'abord un prescripteur.</p>
      ) : stock === 0 && !state ? (
        <p>Aucun carnet en stock : émettez d'abord des carnets.</p>
      ) : (
        <form method="post" action={`/pass/programmes/${view.programme.id}/attributions`} novalidate>
          <Csrf token={props.csrf} />
          <input type="hidden" name="key" value={props.requestKey} />
          <p>{plural(stock, 'carnet')} en stock. Les carnets sont pris dans l'ordre de leurs numéros.</p>
          <Select
            id="allocationStructureId"
            name="structureId"
            label="Prescripteur"
            empty="Choisissez un prescripteur"
            options={view.prescribers.map((s) => ({ value: s.structure_id, label: s.structure_name }))}
            value={state?.values.structureId ?? ''}
            error={state?.errors.structureId}
          />
          <Field
            id="allocationCount"
            name="count"
            label="Nombre de carnets à confier"
            value={state?.values.count ?? ''}
            error={state?.errors.count ?? state?.errors.bookletIds}
            inputmode="numeric"
            maxlength={7}
            size={8}
          />
          <button type="submit">Confier les carnets</button>
        </form>
      )}
    </section>
  );
}

function Booklets({ view }: { view: ProgrammeView }) {
  const { page, pages } = view.bookletPage;
  const base = `/pass/programmes/${view.programme.id}`;
  return (
    <section aria-labelledby="carnets">
      <h2 id="carnets">Carnets</h2>
      {view.booklets.length === 0 ? (
        <p>Aucun carnet.</p>
      ) : (
        <>
          {pages > 1 ? (
            <p>
              Page {page} sur {pages}.
            </p>
          ) : null}
          <div class="table-scroll">
            <table>
              <caption class="visually-hidden">
                Carnets de {view.programme.name}, page {page} sur {pages}
              </caption>
              <thead>
                <tr>
                  <th scope="col">N°</th>
                  <th scope="col">Où en est le carnet</th>
                  <th scope="col">Paiement</th>
                  <th scope="col">Chèques encaissés</th>
                </tr>
              </thead>
              <tbody>
                {view.booklets.map((b) => (
                  <tr>
                    <th scope="row">{b.number}</th>
                    <td>
                      {view.may.manage ? (
                        <a href={`/pass/carnets/${b.id}`}>
                          {bookletStage(b)}
                          <span class="visually-hidden"> : carnet n° {b.number}</span>
                        </a>
                      ) : (
                        bookletStage(b)
                      )}
                    </td>
                    <td>{b.paid ? 'Payé' : 'Pas encore payé'}</td>
                    <td>
                      {b.redeemed} sur {b.vouchers}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 ? (
            <nav class="pager" aria-label="Pages des carnets">
              {page > 1 ? <a href={`${base}?page=${page - 1}#carnets`}>Page précédente</a> : null}
              {page < pages ? <a href={`${base}?page=${page + 1}#carnets`}>Page suivante</a> : null}
            </nav>
          ) : null}
        </>
      )}
    </section>
  );
}

export function ProgrammePage(props: {
  ctx: PageContext;
  csrf: string;
  view: ProgrammeView;
  form?: ProgrammeForm | undefined;
  keys: FormKeys;
  notice?: string | undefined;
  /** The end of validity's block, from 30 days before the end (decision 0050). */
  closing?: ClosingView | null;
}) {
  const { view, form } = props;
  const p = view.programme;
  const errors = form?.errors ?? {};
  const anchors = anchorsOf(
    form,
    view.emissions.filter((e) => e.payment === null),
  );
  // A payment refused for a lot whose form is not on the page (unknown, already paid): said at the top.
  const summaryErrors =
    form?.form === 'payment' && Object.keys(anchors).length === 0
      ? { form: Object.values(errors)[0] }
      : errors;
  return (
    <Page ctx={props.ctx} title={p.name} errors={errors}>
      <ErrorsAtTop errors={summaryErrors} anchors={anchors} />
      <p class="no-print">
        <a href="/pass">Pass numérique</a>
      </p>
      <h1>{p.name}</h1>
      <p class="meta">Financeur : {p.funderName}</p>
      <p class="no-print">
        <a href={`/pass/programmes/${p.id}/releves`}>Relevés mensuels des lieux et du financeur</a>
        {' · '}
        <a href={`/pass/tableau-de-bord?programme=${p.id}`}>Tableau de bord du programme</a>
      </p>
      <Notice text={props.notice} />
      {props.closing ? <ClosingBlock view={props.closing} /> : null}
      <Terms view={view} />
      <Confirmation view={view} csrf={props.csrf} state={form} />
      <Figures view={view} />
      <Places view={view} csrf={props.csrf} state={form} />
      <Prescribers view={view} csrf={props.csrf} state={form} />
      <Emissions view={view} csrf={props.csrf} state={form} requestKey={props.keys.emission} />
      {view.may.manage ? (
        <Allocation view={view} csrf={props.csrf} state={form} requestKey={props.keys.allocation} />
      ) : null}
      <Booklets view={view} />
    </Page>
  );
}
