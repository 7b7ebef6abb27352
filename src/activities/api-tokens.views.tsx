import { Page } from '../structures/structures.views.tsx';
import { Csrf, ErrorSummary, Field, Notice, summaryItems } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import type { ApiToken } from './api-tokens.service.ts';
import { NAME_MAX, SCOPE_LABELS, STATE_LABELS, type TokenFormValues } from './api-tokens.ts';

/** The structure's API tokens page (decision 0040): the list, the creation form, the secret shown once. */

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});
const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

export const NOTICES: Record<string, string> = {
  revoque: 'Le jeton est révoqué : il ne marche plus.',
  'deja-revoque': 'Ce jeton était déjà révoqué.',
};

function TokensTable(props: { structureId: string; tokens: ApiToken[]; csrf: string }) {
  if (props.tokens.length === 0) return <p>La structure n'a pas encore de jeton.</p>;
  return (
    <section class="table-scroll" tabindex={0} aria-label="Jetons d'API de la structure">
      <table>
        <caption class="visually-hidden">Jetons d'API de la structure</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Début du jeton</th>
            <th scope="col">Expire le</th>
            <th scope="col">Dernière utilisation</th>
            <th scope="col">État</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((t) => (
            <tr>
              <th scope="row">{t.name}</th>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{day.format(t.expiresAt)}</td>
              <td>{t.lastUsedAt ? dateTime.format(t.lastUsedAt) : 'Jamais'}</td>
              <td>
                {STATE_LABELS[t.state]}
                {t.revokedAt ? ` le ${day.format(t.revokedAt)}` : ''}
              </td>
              <td>
                {t.state === 'revoked' ? (
                  '—'
                ) : (
                  <form
                    method="post"
                    action={`/structures/${props.structureId}/jetons/${t.id}/revoquer`}
                    class="inline"
                  >
                    <Csrf token={props.csrf} />
                    <button type="submit" class="secondary">
                      Révoquer<span class="visually-hidden"> le jeton « {t.name} »</span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ApiTokensPage(props: {
  ctx: PageContext;
  csrf: string;
  structure: { id: string; name: string };
  tokens: ApiToken[];
  values: TokenFormValues;
  errors: Record<string, string>;
  latest: string;
  created?: { secret: string; name: string } | undefined;
  notice?: string | undefined;
}) {
  const { structure, values, errors } = props;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Page ctx={props.ctx} title={`Jetons d'API — ${structure.name}`} hasErrors={hasErrors}>
      <p>
        <a href={`/structures/${structure.id}`}>Retour à la structure {structure.name}</a>
      </p>
      <h1>Jetons d'API</h1>
      <ErrorSummary items={summaryItems(errors, { expiresOn: 'expiresOn' })} autofocus />
      <Notice text={props.notice} />
      {props.created ? (
        <section class="notice" aria-labelledby="jeton-cree" tabindex={-1} autofocus>
          <h2 id="jeton-cree">Jeton « {props.created.name} » créé</h2>
          <p>
            Copiez-le maintenant et gardez-le dans l'outil qui l'utilise : il ne sera plus jamais affiché.
            Perdu, il faut le révoquer et en créer un autre.
          </p>
          <label for="secret">Jeton</label>
          <input id="secret" type="text" readonly value={props.created.secret} spellcheck={false} />
        </section>
      ) : null}
      <p>
        Un jeton permet à un outil de la structure (un tableur, un tableau de bord, son logiciel) de lire les
        activités de la structure, et seulement elles, avec <code>GET /api/v1/activites</code> et l'en-tête{' '}
        <code>Authorization: Bearer</code> suivi du jeton. Chaque utilisation est notée dans le journal. La{' '}
        <a href="/api/v1/openapi.json">documentation de l'API</a> décrit les réponses.
      </p>
      <h2 id="liste">Jetons de la structure</h2>
      <p>Chaque jeton donne un seul accès : {SCOPE_LABELS['activites:lecture'].toLowerCase()}.</p>
      <TokensTable structureId={structure.id} tokens={props.tokens} csrf={props.csrf} />
      <h2 id="creer">Créer un jeton</h2>
      <form method="post" action={`/structures/${structure.id}/jetons`} novalidate>
        <Csrf token={props.csrf} />
        <Field
          id="name"
          label="Nom du jeton"
          hint="Pour le reconnaître, par exemple « Tableau de bord de l'accueil »."
          value={values.name}
          error={errors.name}
          maxlength={NAME_MAX}
          required
        />
        <Field
          id="expiresOn"
          type="date"
          label="Date d'expiration"
          hint="Au plus dans un an. Le jeton marche jusqu'à la fin de ce jour."
          value={values.expiresOn}
          error={errors.expiresOn}
          max={props.latest}
          required
        />
        <p>Accès donné : {SCOPE_LABELS['activites:lecture']}.</p>
        <button type="submit">Créer le jeton</button>
      </form>
    </Page>
  );
}
