import { NEED_GROUPS, type Need } from '../search/needs.ts';
import { formatPhone } from '../shared/phone.ts';
import { Csrf, Field, FieldError } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import type { OrientationDraft } from './orientation-form.service.ts';
import {
  CONTACT_LABELS,
  CONTACT_PREFERENCES,
  consentText,
  type Delivery,
  type FormErrors,
  MESSAGE_MAX,
  type OrientationFormValues,
  URGENCIES,
  URGENCY_LABELS,
} from './referrals.ts';
import { describedBy, Page, Radios } from './referrals.views.tsx';

/** The orientation form: finding the place, the needs, the person and her consent. */

const DELIVERY_TEXT: Record<Delivery, string> = {
  inbox: 'Ce lieu reçoit l’orientation dans sa boîte Maillage. Vous recevrez un e-mail quand il répond.',
  email:
    'Ce lieu n’a pas de compte Maillage : il reçoit un lien par e-mail, à son adresse pour les orientations, pour répondre. Vous recevrez un e-mail quand il répond.',
  sheet:
    'Ce lieu ne peut pas recevoir d’orientation : il n’a ni compte Maillage ni adresse pour les orientations, ou il n’en accepte pas. L’orientation est seulement enregistrée ici : imprimez la fiche, la personne y va d’elle-même avec la fiche.',
};

function PlaceSearch(props: { draft: OrientationDraft; text: string; hidden: Record<string, string[]> }) {
  return (
    <>
      <h2 id="choisir-lieu">1. Choisir le lieu</h2>
      <form method="get" action="/orientations/nouvelle">
        {Object.entries(props.hidden).flatMap(([k, vs]) =>
          vs.map((v) => <input type="hidden" name={k} value={v} />),
        )}
        <div class="field">
          <label for="q">Nom du lieu ou commune</label>
          <p class="hint" id="q-aide">
            Un ou plusieurs mots, dans n’importe quel ordre : par exemple « CCAS Saran » ou « médiathèque
            Olivet ».
          </p>
          <input id="q" name="q" type="text" value={props.text} maxlength={200} aria-describedby="q-aide" />
        </div>
        <button type="submit">Chercher le lieu</button>
      </form>
      {props.text ? (
        props.draft.candidates.length ? (
          <>
            <h3>Lieux trouvés</h3>
            <ul>
              {props.draft.candidates.map((p) => (
                <li>
                  <a
                    href={`/orientations/nouvelle?${new URLSearchParams([
                      ['lieu', p.id],
                      ...Object.entries(props.hidden).flatMap(([k, vs]) =>
                        vs.map((v) => [k, v] as [string, string]),
                      ),
                    ]).toString()}`}
                  >
                    Orienter vers {p.nom}, {p.commune}
                  </a>{' '}
                  <span class="hint">({p.adresse})</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p role="status">
            Aucun lieu ne correspond à « {props.text} ». Essayez un autre mot, ou cherchez depuis la recherche
            publique.
          </p>
        )
      ) : (
        <p>
          Vous pouvez aussi chercher dans la <a href="/">recherche des lieux</a>, puis choisir « Orienter vers
          ce lieu ».
        </p>
      )}
    </>
  );
}

export function NewOrientationPage(props: {
  ctx: PageContext;
  csrf: string;
  draft: OrientationDraft;
  values: OrientationFormValues;
  errors: FormErrors;
  text: string;
}) {
  const { draft, values: v, errors } = props;
  const place = draft.place;
  const title = place ? `Orienter une personne vers ${place.nom}` : 'Orienter une personne';
  const hidden: Record<string, string[]> = {};
  if (v.besoin.length) hidden.besoin = v.besoin;
  if (v.diagnostic) hidden.diagnostic = [v.diagnostic];
  if (v.suite) hidden.suite = [v.suite];
  const groups = Object.keys(NEED_GROUPS) as Need['group'][];
  const withDiagnostic = draft.diagnostic?.readable === true;
  const consent = consentText({
    placeName: place?.nom ?? 'ce lieu',
    senderStructure:
      draft.structures.find((s) => s.id === v.structure)?.name ?? draft.structures[0]?.name ?? '',
    months: draft.consentTerms.months,
    unansweredMonths: draft.consentTerms.unansweredMonths,
    withDiagnostic,
  });
  return (
    <Page ctx={props.ctx} title={title} errors={errors}>
      {draft.previous ? (
        <p class="notice">
          Vous orientez ailleurs une personne reçue à {draft.previous.placeName}. L’orientation précédente
          sera close comme « orientée ailleurs » quand vous enverrez celle-ci.
        </p>
      ) : null}
      {draft.diagnostic && !draft.diagnostic.readable ? (
        <p class="notice">Le résultat du diagnostic n’est pas lisible : il ne sera pas joint.</p>
      ) : null}
      {!place ? (
        <PlaceSearch draft={draft} text={props.text} hidden={hidden} />
      ) : (
        <>
          <h2>Le lieu</h2>
          <p>
            <strong>{place.nom}</strong>, {place.adresse}, {place.codePostal} {place.commune}.{' '}
            <a
              href={`/orientations/nouvelle?${new URLSearchParams(Object.entries(hidden).flatMap(([k, vs]) => vs.map((x) => [k, x] as [string, string]))).toString()}`}
            >
              Choisir un autre lieu
            </a>
          </p>
          <h2>Comment le lieu reçoit l’orientation</h2>
          <p class="notice" id="envoi">
            {DELIVERY_TEXT[draft.delivery ?? 'sheet']}
          </p>
          {draft.contact?.instructions ? (
            <p>
              Consignes du lieu : <q>{draft.contact.instructions}</q>
            </p>
          ) : null}
          {draft.contact?.directPhone ? (
            <p>Ligne directe du lieu (pour les professionnels) : {formatPhone(draft.contact.directPhone)}</p>
          ) : null}
          {draft.notOffered.length ? (
            <p class="notice">
              Ce lieu ne propose pas : {draft.notOffered.map((n) => n.label).join(', ')}. Pour ce besoin,
              choisissez un autre lieu.
            </p>
          ) : null}
          <form method="post" action="/orientations/nouvelle" novalidate>
            <Csrf token={props.csrf} />
            <input type="hidden" name="lieu" value={place.id} />
            {v.diagnostic ? <input type="hidden" name="diagnostic" value={v.diagnostic} /> : null}
            {v.suite ? <input type="hidden" name="suite" value={v.suite} /> : null}
            {draft.structures.length > 1 ? (
              <div class={errors.structure ? 'field has-error' : 'field'}>
                <label for="structure">Votre structure (celle qui oriente)</label>
                <FieldError id="structure" message={errors.structure} />
                <select
                  id="structure"
                  name="structure"
                  aria-describedby={errors.structure ? 'structure-erreur' : undefined}
                >
                  {draft.structures.map((s) => (
                    <option value={s.id} selected={v.structure === s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <>
                <input type="hidden" name="structure" value={draft.structures[0]?.id ?? ''} />
                <p id="structure">Vous orientez pour : {draft.structures[0]?.name}.</p>
                <FieldError id="structure" message={errors.structure} />
              </>
            )}
            <h2>2. Les besoins de la personne</h2>
            <fieldset
              class={errors.besoin ? 'has-error' : undefined}
              aria-describedby={describedBy('besoin-aide', errors.besoin && 'besoin-erreur')}
            >
              <legend>Ce que la personne veut faire (ce lieu le propose)</legend>
              <p class="hint" id="besoin-aide">
                Cochez un ou plusieurs besoins.
              </p>
              <FieldError id="besoin" message={errors.besoin} />
              {groups.map((g) => {
                const needs = draft.offeredNeeds.filter((n) => n.group === g);
                if (needs.length === 0) return null;
                return (
                  <>
                    <p class="legend-title">{NEED_GROUPS[g]}</p>
                    <div class="choices">
                      {needs.map((n) => {
                        const first = draft.offeredNeeds[0]?.slug === n.slug;
                        return (
                          <div class="choice">
                            <input
                              type="checkbox"
                              id={first ? 'besoin' : `besoin-${n.slug}`}
                              name="besoin"
                              value={n.slug}
                              checked={v.besoin.includes(n.slug)}
                            />
                            <label for={first ? 'besoin' : `besoin-${n.slug}`}>{n.label}</label>
                          </div>
                        );
                      })}
                    </div>
                  </>
                );
              })}
            </fieldset>
            <div class={errors.message ? 'field has-error' : 'field'}>
              <label for="message">Message pour le lieu</label>
              <p class="hint" id="message-aide">
                Ce que la personne veut faire, ce qui l’aide. {MESSAGE_MAX} caractères au plus. N’écrivez pas
                de détails de santé ni de situation qui ne servent pas au lieu.
              </p>
              <FieldError id="message" message={errors.message} />
              <textarea
                id="message"
                name="message"
                rows={5}
                maxlength={MESSAGE_MAX}
                aria-invalid={errors.message ? 'true' : undefined}
                aria-describedby={describedBy('message-aide', errors.message && 'message-erreur')}
              >
                {v.message}
              </textarea>
            </div>
            <Radios
              name="urgence"
              legend="Est-ce urgent ?"
              options={URGENCIES}
              labels={URGENCY_LABELS}
              value={v.urgence || 'normal'}
              error={errors.urgence}
            />
            <h2>3. Comment joindre la personne</h2>
            <Radios
              name="contact"
              legend="Comment la personne préfère-t-elle être contactée ?"
              options={CONTACT_PREFERENCES}
              labels={CONTACT_LABELS}
              value={v.contact}
              error={errors.contact}
            />
            <p class="hint">Remplissez seulement ce qui sert à la contacter : rien d’autre n’est gardé.</p>
            <Field
              id="nom"
              label="Nom de la personne (si besoin)"
              value={v.nom}
              error={errors.nom}
              maxlength={120}
              hint="Le prénom suffit souvent. Obligatoire si le lieu doit la contacter."
            />
            <Field
              id="telephone"
              label="Téléphone de la personne (si besoin)"
              value={v.telephone}
              error={errors.telephone}
              type="tel"
              maxlength={30}
              hint="Par exemple 06 12 34 56 78."
            />
            <Field
              id="courriel"
              label="E-mail de la personne (si besoin)"
              value={v.courriel}
              error={errors.courriel}
              type="email"
              maxlength={254}
            />
            <Field
              id="contact_orienteur"
              label="Comment vous joindre (vous, qui orientez)"
              value={v.contact_orienteur}
              error={errors.contact_orienteur}
              maxlength={200}
              hint="Téléphone ou e-mail. Il est écrit sur la fiche donnée à la personne."
            />
            <h2>4. L’accord de la personne</h2>
            <fieldset
              class={errors.consentement ? 'has-error' : undefined}
              aria-describedby={describedBy(
                'consentement-texte',
                errors.consentement && 'consentement-erreur',
              )}
            >
              <legend>Consentement de la personne</legend>
              <div id="consentement-texte">
                {consent.map((line) => (
                  <p>{line}</p>
                ))}
              </div>
              <FieldError id="consentement" message={errors.consentement} />
              <div class="choice">
                <input
                  type="checkbox"
                  id="consentement"
                  name="consentement"
                  value="oui"
                  checked={v.consentement}
                />
                <label for="consentement">J’ai lu ce texte à la personne et elle est d’accord.</label>
              </div>
              {withDiagnostic ? (
                <div class="choice">
                  <input
                    type="checkbox"
                    id="consentement_diagnostic"
                    name="consentement_diagnostic"
                    value="oui"
                    checked={v.consentement_diagnostic}
                  />
                  <label for="consentement_diagnostic">
                    La personne est d’accord pour joindre le résultat de son diagnostic.
                  </label>
                </div>
              ) : null}
            </fieldset>
            <button type="submit" aria-describedby="envoi">
              {draft.delivery === 'sheet'
                ? 'Enregistrer l’orientation et préparer la fiche'
                : 'Envoyer l’orientation'}
            </button>
          </form>
        </>
      )}
    </Page>
  );
}
