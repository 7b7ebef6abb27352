import { Csrf, ErrorSummary, Field, summaryItems } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import { formatPivot, MESSAGE_MAX_LENGTH, PERSON_NAME_MAX_LENGTH, SEARCH_MAX_LENGTH } from './structures.ts';
import { type Errors, hasAny, kindsText, MessageField, Page } from './structures.views.tsx';

/** The public join pages: finding a structure and asking to join it, without an account. */

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
        <Field
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
            <Field
              id="name"
              label="Votre nom"
              value={values.name}
              error={errors.name}
              maxlength={PERSON_NAME_MAX_LENGTH}
              autocomplete="name"
              required
            />
            <Field
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
