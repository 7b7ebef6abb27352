import { Csrf, ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { PlaceFields } from './place-edit.views.tsx';
import type { EditForm, FieldErrors } from './place-edit-form.ts';
import type { AttachSearch } from './place-requests.service.ts';
import { ATTACH_MESSAGE_MAX_LENGTH } from './place-requests.service.ts';

/** A structure's new place (the edit form, empty) and its request to attach a place of the directory. */

export function NewPlacePage(props: {
  ctx: PageContext;
  csrf: string;
  structure: { id: string; name: string };
  form: EditForm;
  errors: FieldErrors;
  today: string;
}) {
  const { structure, form, errors } = props;
  const hasErrors = Object.keys(errors).length > 0;
  const title = `Ajouter un lieu à ${structure.name}`;
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary autofocus items={summaryItems(errors)} />
      <p>
        Décrivez le nouveau lieu. La coordination du réseau le vérifie : il devient public quand elle l'a
        validé. Les champs marqués « obligatoire » doivent être remplis.
      </p>
      <p>
        Le lieu est déjà dans l'annuaire ?{' '}
        <a href={`/structures/${structure.id}/lieux/rattacher`}>Demandez plutôt à le rattacher</a>.
      </p>
      <form method="post" action={`/structures/${structure.id}/lieux/nouveau`} novalidate>
        <Csrf token={props.csrf} />
        <PlaceFields form={form} errors={errors} today={props.today} gridable approximate={false} />
        <p>
          <button type="submit">Envoyer le lieu pour validation</button>
        </p>
      </form>
      <p>
        <a href="/mes-lieux">Retour à mes lieux</a>
      </p>
    </Layout>
  );
}

export function AttachPlacePage(props: {
  ctx: PageContext;
  csrf: string;
  structure: { id: string; name: string };
  search: AttachSearch | null;
  errors: FieldErrors;
  chosen: string;
  message: string;
}) {
  const { structure, search, errors } = props;
  const all: FieldErrors = { ...(search && !search.ok ? { nom: search.error } : {}), ...errors };
  const hasErrors = Object.keys(all).length > 0;
  const title = `Rattacher un lieu existant à ${structure.name}`;
  const base = `/structures/${structure.id}/lieux/rattacher`;
  const results = search?.ok ? search.results : [];
  return (
    <Layout title={hasErrors ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        autofocus
        items={summaryItems(all, { lieu: results[0] ? `lieu-${results[0].place.id}` : 'nom' })}
      />
      <p>
        Un lieu de votre structure est déjà dans l'annuaire, mais pas rattaché à elle ? Cherchez-le, puis
        demandez à le rattacher. La coordination du réseau vérifie la demande : une fois acceptée, votre
        structure tient sa fiche à jour.
      </p>
      <form method="get" action={base}>
        <div class={all.nom ? 'field has-error' : 'field'}>
          <label for="nom">Nom du lieu ou commune</label>
          <p class="hint" id="nom-aide">
            Par exemple « médiathèque saran ». Les mots peuvent être dans n'importe quel ordre.
          </p>
          <FieldError id="nom" message={all.nom} />
          <input
            id="nom"
            name="nom"
            type="search"
            value={search?.query ?? ''}
            maxlength={100}
            aria-describedby={all.nom ? 'nom-aide nom-erreur' : 'nom-aide'}
            aria-invalid={all.nom ? 'true' : undefined}
          />
        </div>
        <button type="submit" class="secondary">
          Chercher
        </button>
      </form>
      {search?.ok ? (
        results.length === 0 ? (
          <p role="status">
            Aucun lieu ne correspond à « {search.query} ».{' '}
            <a href={`/structures/${structure.id}/lieux/nouveau`}>Ajouter un nouveau lieu</a>
          </p>
        ) : (
          <form method="post" action={base} novalidate>
            <Csrf token={props.csrf} />
            <input type="hidden" name="nom" value={search.query} />
            <fieldset
              class={all.lieu ? 'has-error' : undefined}
              aria-describedby={all.lieu ? 'lieu-erreur' : undefined}
            >
              <legend>
                {results.length} lieu{results.length > 1 ? 'x' : ''} trouvé{results.length > 1 ? 's' : ''}
                {search.more ? ' (les 20 premiers : précisez votre recherche)' : ''}. Lequel rattacher ?
              </legend>
              <FieldError id="lieu" message={all.lieu} />
              <div class="choices">
                {results.map((r) => (
                  <div class="choice">
                    <input
                      type="radio"
                      name="lieu"
                      value={r.place.id}
                      id={`lieu-${r.place.id}`}
                      checked={props.chosen === r.place.id}
                    />
                    <label for={`lieu-${r.place.id}`}>
                      {r.place.nom} — {r.place.adresse}, {r.place.codePostal} {r.place.commune}
                      {r.attachedHere
                        ? ' (déjà rattaché à votre structure)'
                        : r.structureName
                          ? ` (aujourd'hui : ${r.structureName})`
                          : ' (sans structure)'}
                      {r.pending ? ' — une demande de rattachement attend déjà' : ''}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <div class={all.message ? 'field has-error' : 'field'}>
              <label for="message">Message pour la coordination (facultatif)</label>
              <p class="hint" id="message-aide">
                Par exemple pourquoi ce lieu est le vôtre. {ATTACH_MESSAGE_MAX_LENGTH} caractères au plus.
              </p>
              <FieldError id="message" message={all.message} />
              <textarea
                id="message"
                name="message"
                rows={4}
                aria-describedby={all.message ? 'message-aide message-erreur' : 'message-aide'}
                aria-invalid={all.message ? 'true' : undefined}
              >
                {props.message}
              </textarea>
            </div>
            <button type="submit">Demander le rattachement</button>
          </form>
        )
      ) : null}
      <p>
        <a href="/mes-lieux">Retour à mes lieux</a>
      </p>
    </Layout>
  );
}
