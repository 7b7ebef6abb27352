import { formatDay, localToday } from '../places/place-dates.ts';
import { formatPhone } from '../shared/phone.ts';
import { Csrf, ErrorSummary, FieldError, Notice, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { FieldErrors } from './activities.ts';
import type { BeneficiaryDetail, BeneficiarySummary, LinkedActivity } from './beneficiaries.service.ts';
import { type BeneficiaryValues, NAME_MAX_LENGTH, RETENTION_WORDS } from './beneficiaries.ts';
import { ChoiceField, describedBy, firstChoiceId, SelectField, TextField } from './form-fields.views.tsx';
import {
  ACTIVITY_KIND_LABELS,
  AGE_BAND_LABELS,
  durationLabel,
  GENDER_LABELS,
  SOCIAL_STATUS_LABELS,
  THEME_LABELS,
} from './vocabulary.ts';

/**
 * The pages of followed persons ("personnes suivies", decision 0038), for the staff of their structure:
 * the list, the form that names one (saying plainly why the name is kept and for how long), and one
 * person with her records, the form linking another of the structure's records, and her erasure.
 */

export interface StructureChoice {
  id: string;
  name: string;
}

export const BENEFICIARY_NOTICES: Record<string, string> = {
  cree: 'La personne suivie est enregistrée. Vous pouvez maintenant lier ses accompagnements.',
  lie: 'L’activité est liée à la personne.',
  retire: 'L’activité n’est plus liée à la personne.',
  efface: 'La personne suivie est effacée. Ses activités restent, sans son nom.',
};

const fullName = (b: { firstName: string; lastName: string | null }) =>
  b.lastName ? `${b.firstName} ${b.lastName}` : b.firstName;

/** "12 juin 2026 — Accompagnement individuel — 30 min — E-mail, Bureautique". */
export const activityWords = (a: Omit<LinkedActivity, 'firstTime'>) =>
  [
    formatDay(a.date),
    a.workshopTitle ? `${ACTIVITY_KIND_LABELS[a.kind]} « ${a.workshopTitle} »` : ACTIVITY_KIND_LABELS[a.kind],
    durationLabel(a.durationMinutes),
    a.themes
      .slice(0, 3)
      .map((t) => THEME_LABELS[t as keyof typeof THEME_LABELS] ?? t)
      .join(', ') + (a.themes.length > 3 ? '…' : ''),
  ].join(' — ');

/** The structure the page is about, and links to the others when the person belongs to several. */
function StructureLine(props: { structure: StructureChoice; others: StructureChoice[] }) {
  return (
    <>
      <p>
        Structure : <strong>{props.structure.name}</strong>
      </p>
      {props.others.length > 0 ? (
        <p>
          Voir aussi :{' '}
          {props.others.map((s, i) => (
            <>
              {i > 0 ? ', ' : null}
              <a href={`/activites/personnes?structure=${s.id}`}>{s.name}</a>
            </>
          ))}
        </p>
      ) : null}
    </>
  );
}

export function BeneficiariesPage(props: {
  ctx: PageContext;
  structure: StructureChoice;
  others: StructureChoice[];
  beneficiaries: BeneficiarySummary[];
  notice?: string | undefined;
}) {
  const title = 'Personnes suivies';
  return (
    <Layout title={title} ctx={props.ctx}>
      <p>
        <a href="/activites">Retour aux activités</a>
      </p>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <StructureLine structure={props.structure} others={props.others} />
      <p>
        Par défaut, les activités ne nomment personne. Nommez une personne seulement si son suivi le demande
        (plusieurs accompagnements), et avec son accord.
      </p>
      <p>
        <a class="button" href={`/activites/personnes/nouvelle?structure=${props.structure.id}`}>
          Ajouter une personne suivie
        </a>
      </p>
      {props.beneficiaries.length === 0 ? (
        <p>Aucune personne suivie pour le moment.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Personnes suivies par {props.structure.name}</caption>
            <thead>
              <tr>
                <th scope="col">Personne</th>
                <th scope="col">Activités liées</th>
                <th scope="col">Dernière activité</th>
                <th scope="col">Gardée jusqu’au</th>
              </tr>
            </thead>
            <tbody>
              {props.beneficiaries.map((b) => (
                <tr>
                  <th scope="row">
                    <a href={`/activites/personnes/${b.id}`}>{fullName(b)}</a>
                  </th>
                  <td>{b.links}</td>
                  <td>{b.lastDate ? formatDay(b.lastDate) : 'Aucune'}</td>
                  <td>{formatDay(b.retainUntil)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export const emptyBeneficiaryForm = (): BeneficiaryValues => ({
  firstName: '',
  lastName: '',
  phone: '',
  email: '',
  gender: '',
  ageBand: '',
  socialStatus: '',
  communeCode: '',
  consent: '',
});

export function NewBeneficiaryPage(props: {
  ctx: PageContext;
  csrf: string;
  structure: StructureChoice;
  values: BeneficiaryValues;
  errors: FieldErrors;
}) {
  const { values: v, errors: e } = props;
  const title = 'Ajouter une personne suivie';
  const failed = Object.keys(e).length > 0;
  return (
    <Layout title={failed ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <p>
        <a href={`/activites/personnes?structure=${props.structure.id}`}>Retour aux personnes suivies</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary
        items={summaryItems(e, {
          gender: firstChoiceId('gender', GENDER_LABELS, ''),
          socialStatus: firstChoiceId('socialStatus', SOCIAL_STATUS_LABELS, ''),
        })}
        autofocus
      />
      <p>
        Structure : <strong>{props.structure.name}</strong>
      </p>
      <p class="notice" id="pourquoi">
        {RETENTION_WORDS}
      </p>
      <form method="post" action="/activites/personnes/nouvelle" novalidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="structure" value={props.structure.id} />
        <TextField
          name="firstName"
          label="Prénom"
          value={v.firstName}
          error={e.firstName}
          required
          maxlength={NAME_MAX_LENGTH}
          autocomplete="off"
        />
        <TextField
          name="lastName"
          label="Nom (facultatif)"
          value={v.lastName}
          error={e.lastName}
          maxlength={NAME_MAX_LENGTH}
          autocomplete="off"
        />
        <TextField
          name="phone"
          label="Téléphone (facultatif)"
          hint="Par exemple 06 12 34 56 78."
          type="tel"
          value={v.phone}
          error={e.phone}
          maxlength={30}
          autocomplete="off"
        />
        <TextField
          name="email"
          label="Adresse e-mail (facultatif)"
          type="email"
          value={v.email}
          error={e.email}
          maxlength={254}
          autocomplete="off"
        />
        <ChoiceField
          name="gender"
          legend="Genre (facultatif)"
          labels={{ masculin: GENDER_LABELS.masculin, feminin: GENDER_LABELS.feminin }}
          values={[v.gender]}
          error={e.gender}
          none={GENDER_LABELS.non_communique}
        />
        <SelectField
          name="ageBand"
          label="Tranche d’âge (facultatif)"
          labels={(({ non_communique: _, ...rest }) => rest)(AGE_BAND_LABELS)}
          value={v.ageBand}
          empty={AGE_BAND_LABELS.non_communique}
          error={e.ageBand}
        />
        <ChoiceField
          name="socialStatus"
          legend="Statut (facultatif)"
          labels={(({ non_communique: _, ...rest }) => rest)(SOCIAL_STATUS_LABELS)}
          values={[v.socialStatus]}
          error={e.socialStatus}
          none={SOCIAL_STATUS_LABELS.non_communique}
        />
        <TextField
          name="communeCode"
          label="Commune de résidence : code INSEE (facultatif)"
          hint="Par exemple 45234 pour Orléans."
          value={v.communeCode}
          error={e.communeCode}
          inputmode="numeric"
          maxlength={10}
        />
        <div class={e.consent ? 'field has-error' : 'field'}>
          <FieldError id="consent" message={e.consent} />
          <div class="choice">
            <input
              type="checkbox"
              id="consent"
              name="consent"
              value="oui"
              checked={v.consent === 'oui'}
              aria-invalid={e.consent ? 'true' : undefined}
              aria-describedby={describedBy('pourquoi', e.consent && 'consent-erreur')}
            />
            <label for="consent">
              La personne est d’accord pour que son prénom et ses coordonnées soient gardés pour son suivi.
            </label>
          </div>
        </div>
        <p>
          <button type="submit">Enregistrer la personne suivie</button>
        </p>
      </form>
    </Layout>
  );
}

export interface DetailErrors {
  link?: FieldErrors;
  unlink?: FieldErrors;
  erase?: FieldErrors;
}

export function BeneficiaryPage(props: {
  ctx: PageContext;
  csrf: string;
  detail: BeneficiaryDetail;
  errors?: DetailErrors;
  linkValues?: { activityId: string; firstTime: string };
  notice?: string | undefined;
}) {
  const { beneficiary: b, linked, linkable } = props.detail;
  const errors = props.errors ?? {};
  const all = { ...errors.link, ...errors.unlink, ...errors.erase };
  const failed = Object.keys(all).length > 0;
  const title = fullName(b);
  const base = `/activites/personnes/${b.id}`;
  const lv = props.linkValues ?? { activityId: '', firstTime: '' };
  return (
    <Layout title={failed ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <p>
        <a href={`/activites/personnes?structure=${b.structureId}`}>Retour aux personnes suivies</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary
        items={summaryItems(all, { activityId: errors.unlink ? 'liees' : 'activityId', confirm: 'confirm' })}
        autofocus
      />
      <Notice text={props.notice} />
      <dl class="facts">
        <dt>Téléphone</dt>
        <dd>{b.phone ? formatPhone(b.phone) : 'Non indiqué'}</dd>
        <dt>Adresse e-mail</dt>
        <dd>{b.email ?? 'Non indiquée'}</dd>
        <dt>Genre</dt>
        <dd>{GENDER_LABELS[b.gender]}</dd>
        <dt>Tranche d’âge</dt>
        <dd>{AGE_BAND_LABELS[b.ageBand]}</dd>
        <dt>Statut</dt>
        <dd>{SOCIAL_STATUS_LABELS[b.socialStatus]}</dd>
        <dt>Commune (code INSEE)</dt>
        <dd>{b.communeCode ?? 'Non indiquée'}</dd>
        <dt>Accord donné le</dt>
        <dd>{formatDay(localToday(b.consentAt))}</dd>
        <dt>Gardée jusqu’au</dt>
        <dd>{formatDay(b.retainUntil)}, 24 mois après son dernier accompagnement</dd>
      </dl>

      <h2 id="liees" tabindex={-1}>
        Ses activités
      </h2>
      {linked.length === 0 ? (
        <p>Aucune activité n’est encore liée à cette personne.</p>
      ) : (
        <ul class="cards">
          {linked.map((a) => (
            <li class="card">
              <p>
                {activityWords(a)}
                {a.firstTime ? <strong> — premier accompagnement</strong> : null}
              </p>
              <form method="post" action={`${base}/activites/${a.id}/retirer`} class="inline">
                <Csrf token={props.csrf} />
                <button type="submit" class="button secondary">
                  Retirer le lien avec l’activité du {formatDay(a.date)}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}

      <h2>Lier une activité de la structure</h2>
      {linkable.length === 0 ? (
        <p>
          Toutes les activités récentes de la structure sont déjà liées.{' '}
          <a href="/activites">Enregistrer une activité</a>
        </p>
      ) : (
        <form method="post" action={`${base}/activites`} novalidate>
          <Csrf token={props.csrf} />
          <SelectField
            name="activityId"
            label="Activité"
            labels={Object.fromEntries(linkable.map((a) => [a.id, activityWords(a)]))}
            value={lv.activityId}
            empty="Choisissez une activité récente"
            error={errors.link?.activityId}
          />
          <div class={errors.link?.firstTime ? 'field has-error' : 'field'}>
            <FieldError id="firstTime" message={errors.link?.firstTime} />
            <div class="choice">
              <input
                type="checkbox"
                id="firstTime"
                name="firstTime"
                value="oui"
                checked={lv.firstTime === 'oui'}
                aria-describedby={describedBy(errors.link?.firstTime && 'firstTime-erreur')}
              />
              <label for="firstTime">C’était son premier accompagnement</label>
            </div>
          </div>
          <p>
            <button type="submit">Lier l’activité</button>
          </p>
        </form>
      )}

      <h2>Effacer cette personne</h2>
      <p>
        À sa demande, ou quand son suivi est fini : son nom et ses coordonnées sont effacés tout de suite. Ses
        activités restent, sans son nom.
      </p>
      <form method="post" action={`${base}/effacer`} novalidate>
        <Csrf token={props.csrf} />
        <div class={errors.erase?.confirm ? 'field has-error' : 'field'}>
          <FieldError id="confirm" message={errors.erase?.confirm} />
          <div class="choice">
            <input
              type="checkbox"
              id="confirm"
              name="confirm"
              value="oui"
              aria-invalid={errors.erase?.confirm ? 'true' : undefined}
              aria-describedby={describedBy(errors.erase?.confirm && 'confirm-erreur')}
            />
            <label for="confirm">Je confirme l’effacement de {title}</label>
          </div>
        </div>
        <p>
          <button type="submit" class="button secondary">
            Effacer la personne
          </button>
        </p>
      </form>
    </Layout>
  );
}
