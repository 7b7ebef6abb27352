import { keepUnits } from '../shared/format.ts';
import { Csrf, describedBy, ErrorSummary, Field, FieldError, Notice } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { VolunteerCard } from './matching.service.ts';
import { Checkboxes, commitmentText, errorsOf, VolunteerFacts, whenText } from './missions.views.tsx';
import type { MyProposal } from './volunteers.service.ts';
import {
  CHARTER,
  CHARTER_VERSION,
  distanceText,
  type Issue,
  MATCH_STATE_LABELS,
  SKILLS,
  SLOTS,
} from './volunteers.ts';

/** The volunteers' pages: sign-up (with the charter), the coordinator's list, the volunteer's own page. */

const DAY = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

export interface SignUpValues {
  nom: string;
  email: string;
  telephone: string;
  competences: string[];
  disponibilites: string[];
  communes: string;
  charte: boolean;
}

export const EMPTY_SIGN_UP: SignUpValues = {
  nom: '',
  email: '',
  telephone: '',
  competences: [],
  disponibilites: [],
  communes: '',
  charte: false,
};

/** `/benevolat/inscription`: the account, skills, half-days, communes and the charter. */
export function SignUpPage(props: { ctx: PageContext; csrf: string; values: SignUpValues; issues: Issue[] }) {
  const e = errorsOf(props.issues);
  const v = props.values;
  const title = 'Devenir bénévole';
  return (
    <Layout title={props.issues.length ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        items={props.issues.map((i) => ({ href: `#${i.field}`, message: i.message }))}
        autofocus
      />
      <p>
        Inscrivez-vous pour aider les habitants au numérique dans un lieu du réseau. La coordination du réseau
        valide chaque inscription. Votre nom, vos coordonnées et vos disponibilités ne sont vus que par la
        coordination et par les structures qui vous proposent une mission, ou à qui vous proposez votre aide.
      </p>
      <form method="post" action="/benevolat/inscription">
        <Csrf token={props.csrf} />
        <Field
          id="nom"
          label="Nom et prénom"
          value={v.nom}
          error={e.nom}
          autocomplete="name"
          maxlength={120}
        />
        <Field
          id="email"
          label="Adresse e-mail"
          type="email"
          value={v.email}
          error={e.email}
          autocomplete="email"
          maxlength={254}
        />
        <Field
          id="telephone"
          label="Téléphone (facultatif)"
          type="tel"
          value={v.telephone}
          error={e.telephone}
          autocomplete="tel"
          maxlength={30}
        />
        <Field
          id="mot-de-passe"
          name="mot_de_passe"
          label="Mot de passe"
          type="password"
          hint="12 caractères au moins. Une phrase de plusieurs mots est facile à retenir."
          value=""
          error={e['mot-de-passe']}
          autocomplete="new-password"
        />
        <Field
          id="confirmation"
          label="Le même mot de passe, encore une fois"
          type="password"
          value=""
          error={e.confirmation}
          autocomplete="new-password"
        />
        <Checkboxes
          id="disponibilites"
          legend="Vos disponibilités"
          hint="Cochez au moins une demi-journée de la semaine."
          options={SLOTS}
          values={v.disponibilites}
          error={e.disponibilites}
        />
        <Checkboxes
          id="competences"
          legend="Ce que vous savez faire (facultatif)"
          options={SKILLS}
          values={v.competences}
          error={e.competences}
        />
        <div class={e.communes ? 'field has-error' : 'field'}>
          <label for="communes">Communes où vous pouvez aller</label>
          <p class="hint" id="communes-aide">
            Leur nom ou leur code postal, séparés par des virgules. Par exemple : Orléans, Saran.
          </p>
          <FieldError id="communes" message={e.communes} />
          <input
            id="communes"
            name="communes"
            type="text"
            value={v.communes}
            maxlength={500}
            autocomplete="off"
            aria-invalid={e.communes ? 'true' : undefined}
            aria-describedby={describedBy('communes', true, Boolean(e.communes))}
          />
        </div>
        <fieldset
          class={e.charte ? 'field has-error' : 'field'}
          aria-describedby={describedBy('charte', false, Boolean(e.charte))}
        >
          <legend>La charte du réseau (version {CHARTER_VERSION})</legend>
          <ol>
            {CHARTER.map((line) => (
              <li>{line}</li>
            ))}
          </ol>
          <FieldError id="charte" message={e.charte} />
          <div class="choice">
            <input type="checkbox" id="charte" name="charte" value="oui" checked={v.charte} />
            <label for="charte">J’ai lu la charte et je l’accepte</label>
          </div>
        </fieldset>
        <button type="submit">M’inscrire comme bénévole</button>
      </form>
      <p>
        Déjà inscrit·e ? <a href="/connexion">Se connecter</a>
      </p>
    </Layout>
  );
}

/** `/benevolat/benevoles`: the coordinator's list, those to validate first. */
export function VolunteersPage(props: {
  ctx: PageContext;
  csrf: string;
  pending: VolunteerCard[];
  validated: VolunteerCard[];
  notice?: string | undefined;
}) {
  const card = (v: VolunteerCard, validate: boolean) => (
    <li class="card">
      <h3>{v.name}</h3>
      <p class="meta">
        Inscrit·e le {DAY.format(v.createdAt)} · charte version {v.charterVersion} acceptée le{' '}
        {DAY.format(v.charterAcceptedAt)}
      </p>
      <VolunteerFacts v={v} />
      {validate ? (
        <form method="post" action={`/benevolat/benevoles/${v.id}/valider`} class="inline">
          <Csrf token={props.csrf} />
          <button type="submit">
            Valider<span class="visually-hidden"> {v.name}</span>
          </button>
        </form>
      ) : null}
    </li>
  );
  return (
    <Layout title="Les bénévoles du réseau" ctx={props.ctx}>
      <h1>Les bénévoles du réseau</h1>
      <Notice text={props.notice} />
      <h2>À valider ({props.pending.length})</h2>
      {props.pending.length === 0 ? <p>Aucune inscription à valider.</p> : null}
      <ul class="results">{props.pending.map((v) => card(v, true))}</ul>
      <h2>Validés ({props.validated.length})</h2>
      <ul class="results">{props.validated.map((v) => card(v, false))}</ul>
      <p>
        <a href="/benevolat">Revenir au bénévolat</a>
      </p>
    </Layout>
  );
}

/** `/benevolat/mon-espace`: the volunteer's proposals and the missions ranked for them. */
export function MyVolunteeringPage(props: {
  ctx: PageContext;
  csrf: string;
  profile: VolunteerCard;
  proposals: MyProposal[];
  suggestions: (MyProposal['mission'] & { distanceKm: number | null })[];
  notice?: string | undefined;
}) {
  const toAnswer = props.proposals.filter((p) => p.origin === 'structure' && p.state === 'proposed');
  const others = props.proposals.filter((p) => !(p.origin === 'structure' && p.state === 'proposed'));
  return (
    <Layout title="Mes missions de bénévolat" ctx={props.ctx}>
      <h1>Mes missions de bénévolat</h1>
      <Notice text={props.notice} />
      {props.profile.state === 'pending' ? (
        <p class="notice">
          Votre inscription attend la validation de la coordination du réseau. Vous pourrez ensuite proposer
          votre aide pour une mission.
        </p>
      ) : null}
      <h2>Missions qui vous sont proposées ({toAnswer.length})</h2>
      {toAnswer.length === 0 ? <p>Aucune proposition à répondre.</p> : null}
      <ul class="results">
        {toAnswer.map((p) => (
          <li class="card">
            <h3>
              <a href={`/benevolat/missions/${p.mission.id}`}>{p.mission.title}</a>
            </h3>
            <p class="meta">
              {p.mission.structureName} · {p.mission.placeName} · {whenText(p.mission)} ·{' '}
              {commitmentText(p.mission)}
            </p>
            <form method="post" action={`/benevolat/propositions/${p.id}/repondre`} class="inline">
              <Csrf token={props.csrf} />
              <button type="submit" name="reponse" value="accepter">
                Accepter<span class="visually-hidden"> la mission {p.mission.title}</span>
              </button>{' '}
              <button type="submit" name="reponse" value="refuser" class="secondary">
                Refuser<span class="visually-hidden"> la mission {p.mission.title}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>Mes missions et mes demandes ({others.length})</h2>
      {others.length === 0 ? <p>Aucune pour le moment.</p> : null}
      <ul class="results">
        {others.map((p) => (
          <li class="card">
            <h3>
              <a href={`/benevolat/missions/${p.mission.id}`}>{p.mission.title}</a>
            </h3>
            <p class="meta">
              {p.origin === 'volunteer' ? 'Votre demande' : 'Proposée par la structure'} :{' '}
              {MATCH_STATE_LABELS[p.state]} · {p.mission.structureName}
            </p>
            {p.state === 'accepted' || p.state === 'waiting' ? (
              <form method="post" action={`/benevolat/propositions/${p.id}/retirer`} class="inline">
                <Csrf token={props.csrf} />
                <button type="submit" class="secondary">
                  Me retirer<span class="visually-hidden"> de la mission {p.mission.title}</span>
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>Missions pour vous ({props.suggestions.length})</h2>
      <p>Les plus proches de vos communes d’abord, puis celles qui vous correspondent le mieux.</p>
      <ul class="results">
        {props.suggestions.slice(0, 20).map((m) => (
          <li class="card">
            <h3>
              <a href={`/benevolat/missions/${m.id}`}>{m.title}</a>
            </h3>
            <p class="meta">
              {m.placeName}
              {m.placeCommune ? `, ${m.placeCommune}` : ''} · {keepUnits(distanceText(m.distanceKm))} ·{' '}
              {whenText(m)}
            </p>
          </li>
        ))}
      </ul>
      <h2>Mon profil</h2>
      <VolunteerFacts v={props.profile} />
      <p>
        Pour supprimer votre compte et toutes ces données :{' '}
        <a href="/compte/supprimer">supprimer mon compte</a>.
      </p>
    </Layout>
  );
}
