import { Csrf, ErrorSummary, Field, Notice, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { TokenFormValues } from './api-tokens.ts';
import type { FunderLink } from './funder-links.service.ts';
import { LINK_STATE_LABELS } from './funder-links.ts';

/**
 * The read-only links of a funder (decision 0056): the list with their states and revocation buttons,
 * the creation form, the link shown once; and the page a dead link answers.
 */

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});
const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

export const LINK_NOTICES: Record<string, string> = {
  revoque: 'Le lien est révoqué : il n’ouvre plus rien.',
  'deja-revoque': 'Ce lien était déjà révoqué.',
};

export function FunderLinksPage(props: {
  ctx: PageContext;
  csrf: string;
  funder: { id: string; name: string };
  links: FunderLink[];
  values: TokenFormValues;
  errors: Record<string, string>;
  latest: string;
  created?: { url: string; name: string } | undefined;
  notice?: string | undefined;
}) {
  const { funder, values, errors } = props;
  const base = `/activites/statistiques/financeur/${funder.id}`;
  return (
    <Layout title={`Liens de consultation — ${funder.name}`} ctx={props.ctx}>
      <p>
        <a href={base}>Retour aux statistiques du financeur {funder.name}</a>
      </p>
      <h1>Liens de consultation — {funder.name}</h1>
      <ErrorSummary items={summaryItems(errors, { expiresOn: 'expiresOn' })} autofocus />
      <Notice text={props.notice} />
      {props.created ? (
        <section class="notice" aria-labelledby="lien-cree" tabindex={-1} autofocus>
          <h2 id="lien-cree">Lien « {props.created.name} » créé</h2>
          <p>
            Copiez-le maintenant et transmettez-le au financeur : il ne sera plus jamais affiché. Perdu, il
            faut le révoquer et en créer un autre.
          </p>
          <label for="lien">Lien</label>
          <input id="lien" type="text" readonly value={props.created.url} spellcheck={false} />
        </section>
      ) : null}
      <p>
        Un lien de consultation ouvre les statistiques de ce financeur (des totaux seulement, aucune activité
        ni personne) sans compte, jusqu’à sa date d’expiration ou sa révocation. Chaque ouverture est notée
        dans le journal.
      </p>
      <h2 id="liste">Liens du financeur</h2>
      {props.links.length === 0 ? (
        <p>Aucun lien n’a été créé.</p>
      ) : (
        <table>
          <caption>Liens de consultation de {funder.name}</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Début du lien</th>
              <th scope="col">Expiration</th>
              <th scope="col">Dernière ouverture</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {props.links.map((l) => (
              <tr>
                <th scope="row">{l.name}</th>
                <td>
                  <code>{l.prefix}…</code>
                </td>
                <td>{day.format(l.expiresAt)}</td>
                <td>{l.lastOpenedAt ? dateTime.format(l.lastOpenedAt) : 'Jamais'}</td>
                <td>
                  {LINK_STATE_LABELS[l.state]}
                  {l.state === 'active' ? (
                    <form method="post" action={`${base}/liens/${l.id}/revoquer`}>
                      <Csrf token={props.csrf} />
                      <button type="submit" class="secondary">
                        Révoquer<span class="visually-hidden"> le lien « {l.name} »</span>
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="creer">Créer un lien</h2>
      <form method="post" action={`${base}/liens`} novalidate>
        <Csrf token={props.csrf} />
        <Field
          id="name"
          label="Nom du lien"
          hint="Pour le reconnaître, par exemple « Comité de suivi 2026 »."
          value={values.name}
          error={errors.name}
          maxlength={100}
          required
        />
        <Field
          id="expiresOn"
          type="date"
          label="Date d'expiration"
          hint="Au plus dans un an. Le lien marche jusqu'à la fin de ce jour."
          value={values.expiresOn}
          error={errors.expiresOn}
          max={props.latest}
          required
        />
        <button type="submit">Créer le lien</button>
      </form>
    </Layout>
  );
}

export function DeadLinkPage(props: { ctx: PageContext; message: string }) {
  return (
    <Layout title="Lien de consultation indisponible" ctx={props.ctx}>
      <h1>Lien de consultation indisponible</h1>
      <p>{props.message}</p>
    </Layout>
  );
}
