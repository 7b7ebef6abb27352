import type { Child } from 'hono/jsx';
import { formatPhone } from '../shared/phone.ts';
import { formatSiren } from '../shared/siren.ts';
import { Csrf, ErrorSummary, Field, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { FunderSummary } from './funders.service.ts';
import { FUNDER_NAME_MAX_LENGTH, type FunderValues } from './funders.ts';

/**
 * Pages of funders: the coordinator's list with the creation form, the edit form, the page of a person
 * without a funder, and what the funder's page (funder-page.views.tsx) shares: the frame and the fields.
 */
export type Errors = Partial<Record<string, string>>;

/** Messages shown after an action (`?fait=` once redirected: refreshing the page repeats nothing). */
export const NOTICES: Record<string, string> = {
  cree: 'Le financeur est créé. Invitez maintenant ses personnes et enregistrez les structures financées.',
  modifie: 'Le financeur est modifié.',
  invitation:
    "L'invitation est envoyée par e-mail. Elle est valable 7 jours. La personne apparaîtra dans la liste quand elle l'aura acceptée.",
  retire: 'La personne ne fait plus partie de ce financeur. Son compte existe toujours.',
  financement: 'Le financement est enregistré.',
  fin: 'La date de fin du financement est enregistrée.',
};

export const EMPTY_FUNDER: FunderValues = { name: '', siren: '', contactEmail: '', contactPhone: '' };

export const hasAny = (errors: Errors | undefined) => Boolean(errors && Object.values(errors).some(Boolean));

export function Page(props: { ctx: PageContext; title: string; errors?: Errors; children: Child }) {
  const failed = hasAny(props.errors);
  return (
    <Layout title={failed ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      {props.children}
    </Layout>
  );
}

export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}

export function ErrorsAtTop(props: { errors: Errors | undefined }) {
  return <ErrorSummary items={summaryItems(props.errors ?? {})} autofocus />;
}

/** The fields of a funder, for its creation and its edit. */
export function FunderFields(props: { values: FunderValues; errors: Errors }) {
  const { values, errors } = props;
  return (
    <>
      <Field
        id="name"
        label="Nom du financeur"
        hint="Par exemple « Département du Loiret » ou « CAF du Loiret »."
        value={values.name}
        error={errors.name}
        maxlength={FUNDER_NAME_MAX_LENGTH}
        autocomplete="organization"
        required
      />
      <Field
        id="siren"
        label="SIREN (facultatif)"
        hint="9 chiffres, par exemple 214 502 346."
        value={values.siren}
        error={errors.siren}
        inputmode="numeric"
        maxlength={20}
      />
      <Field
        id="contactEmail"
        label="Adresse e-mail de contact (facultatif)"
        type="email"
        value={values.contactEmail}
        error={errors.contactEmail}
        maxlength={254}
        autocomplete="email"
      />
      <Field
        id="contactPhone"
        label="Téléphone de contact (facultatif)"
        hint="Par exemple 02 38 00 00 00."
        type="tel"
        value={values.contactPhone}
        error={errors.contactPhone}
        maxlength={30}
        autocomplete="tel"
      />
    </>
  );
}

export const sirenText = (siren: string | null) => (siren ? formatSiren(siren) : 'Non précisé');
export const phoneText = (phone: string | null) => (phone ? formatPhone(phone) : null);

/** The coordinator's list of funders, and the form to create one. */
export function FundersPage(props: {
  ctx: PageContext;
  csrf: string;
  funders: FunderSummary[];
  values: FunderValues;
  errors: Errors;
  notice?: string | undefined;
}) {
  return (
    <Page ctx={props.ctx} title="Financeurs" errors={props.errors}>
      <ErrorsAtTop errors={props.errors} />
      <h1>Financeurs</h1>
      <Notice text={props.notice} />
      <p>
        Un financeur voit les structures qu'il finance et les chiffres du réseau : couverture du territoire,
        orientations par besoin et par commune. Jamais de donnée personnelle.
      </p>
      {props.funders.length === 0 ? (
        <p>Aucun financeur n'est encore enregistré.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Financeurs du réseau</caption>
            <thead>
              <tr>
                <th scope="col">Financeur</th>
                <th scope="col">SIREN</th>
                <th scope="col" class="num">
                  Personnes
                </th>
                <th scope="col" class="num">
                  Structures financées aujourd'hui
                </th>
              </tr>
            </thead>
            <tbody>
              {props.funders.map((f) => (
                <tr>
                  <th scope="row">
                    <a href={`/financeurs/${f.id}`}>{f.name}</a>
                  </th>
                  <td>{sirenText(f.siren)}</td>
                  <td class="num">{f.members}</td>
                  <td class="num">{f.fundedNow}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="creer">
        <h2 id="creer">Créer un financeur</h2>
        <form method="post" action="/financeurs" novalidate>
          <Csrf token={props.csrf} />
          <FunderFields values={props.values} errors={props.errors} />
          <button type="submit">Créer le financeur</button>
        </form>
      </section>
    </Page>
  );
}

/** The coordinator's form to change a funder's name, SIREN and contact. */
export function EditFunderPage(props: {
  ctx: PageContext;
  csrf: string;
  funderId: string;
  funderName: string;
  values: FunderValues;
  errors: Errors;
}) {
  const title = `Modifier ${props.funderName}`;
  return (
    <Page ctx={props.ctx} title={title} errors={props.errors}>
      <ErrorsAtTop errors={props.errors} />
      <h1>{title}</h1>
      <form method="post" action={`/financeurs/${props.funderId}/modifier`} novalidate>
        <Csrf token={props.csrf} />
        <FunderFields values={props.values} errors={props.errors} />
        <p class="actions">
          <button type="submit">Enregistrer</button> <a href={`/financeurs/${props.funderId}`}>Annuler</a>
        </p>
      </form>
    </Page>
  );
}

/** `/financeur` for a person attached to no funder, or to several (a link to each). */
export function MyFundersPage(props: {
  ctx: PageContext;
  funders: { id: string; name: string }[];
  message: string;
}) {
  return (
    <Page ctx={props.ctx} title="Mon organisation de financement">
      <h1>Mon organisation de financement</h1>
      {props.funders.length === 0 ? (
        <p>{props.message}</p>
      ) : (
        <ul>
          {props.funders.map((f) => (
            <li>
              <a href={`/financeurs/${f.id}`}>{f.name}</a>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
