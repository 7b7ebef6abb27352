import { formatIsoDate, keepUnits } from '../shared/format.ts';
import { Csrf, describedBy, ErrorSummary, Field, FieldError, Notice, Select } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Candidate, Proposal, VolunteerCard } from './matching.service.ts';
import type { Mission } from './missions.service.ts';
import {
  AUDIENCES,
  COMMITMENTS,
  distanceText,
  type Issue,
  labelOf,
  MATCH_STATE_LABELS,
  MISSION_STATE_LABELS,
  SKILLS,
  SLOTS,
} from './volunteers.ts';

/** The missions' pages: the public list, a mission (with its matching for its structure), the form. */

export const NOTICES: Record<string, string> = {
  publiee: 'La mission est enregistrée. La coordination du réseau va la valider avant qu’elle soit visible.',
  validee: 'La mission est validée : elle est visible par les bénévoles.',
  terminee: 'La mission est terminée : elle ne prend plus de bénévoles.',
  proposee: 'La mission est proposée au bénévole. Il ou elle va vous répondre.',
  demandee: 'Votre demande est envoyée à la structure. Elle va vous répondre.',
  acceptee: 'C’est accepté : la place est réservée.',
  attente: 'C’est accepté, mais la mission est complète : la demande est sur liste d’attente.',
  refusee: 'La proposition est refusée.',
  fin: 'La participation est terminée. Si quelqu’un attendait, sa place lui est donnée.',
  inscrit: 'Votre inscription est enregistrée, merci.',
  benevole: 'Le bénévole est validé.',
};

export const errorsOf = (issues: readonly Issue[]) => {
  const out: Partial<Record<string, string>> = {};
  for (const i of issues) out[i.field] ??= i.message;
  return out;
};

export function whenText(m: Pick<Mission, 'startsOn' | 'endsOn' | 'slots'>): string {
  const dates =
    m.startsOn === m.endsOn
      ? `le ${formatIsoDate(m.startsOn)}`
      : `du ${formatIsoDate(m.startsOn)} au ${formatIsoDate(m.endsOn)}`;
  const slots = m.slots.map((s) => labelOf(SLOTS, s).toLowerCase()).join(', ');
  return slots ? `${dates}, ${slots}` : `${dates}, dates à convenir`;
}

export function commitmentText(m: Pick<Mission, 'commitment' | 'hoursPerWeek'>): string {
  return m.commitment === 'weekly' ? keepUnits(`${m.hoursPerWeek ?? 1} h par semaine`) : 'ponctuelle';
}

function MissionFacts({ m }: { m: Mission }) {
  return (
    <dl class="facts">
      <dt>Où</dt>
      <dd>
        {m.placeName}
        {m.placeCommune ? `, ${m.placeCommune}` : ''} — {m.structureName}
      </dd>
      <dt>Quand</dt>
      <dd>{whenText(m)}</dd>
      <dt>Engagement</dt>
      <dd>{commitmentText(m)}</dd>
      <dt>Compétences</dt>
      <dd>{m.skills.map((s) => labelOf(SKILLS, s)).join(', ')}</dd>
      <dt>Public</dt>
      <dd>{labelOf(AUDIENCES, m.audience)}</dd>
      <dt>Bénévoles</dt>
      <dd>
        {m.taken} sur {m.seats}
        {m.waiting > 0 ? `, ${m.waiting} en liste d’attente` : ''}
      </dd>
      <dt>État</dt>
      <dd>{MISSION_STATE_LABELS[m.state]}</dd>
    </dl>
  );
}

/** `/benevolat`: the open missions, and the ways in (sign up, publish). */
export function MissionsPage(props: {
  ctx: PageContext;
  missions: Mission[];
  signedIn: boolean;
  member: boolean;
  volunteer: boolean;
  coordinator: boolean;
}) {
  return (
    <Layout title="Bénévolat" ctx={props.ctx}>
      <h1>Bénévolat dans le réseau</h1>
      <p>
        Les structures du réseau cherchent des bénévoles pour accompagner les habitants au numérique. Chaque
        mission a lieu dans un lieu du réseau.
      </p>
      <ul class="actions">
        {props.signedIn ? null : (
          <li>
            <a class="button" href="/benevolat/inscription">
              Devenir bénévole
            </a>
          </li>
        )}
        {props.volunteer ? (
          <li>
            <a class="button" href="/benevolat/mon-espace">
              Mes missions de bénévolat
            </a>
          </li>
        ) : null}
        {props.member ? (
          <li>
            <a href="/benevolat/missions">Les missions de ma structure</a>
          </li>
        ) : null}
        {props.coordinator ? (
          <li>
            <a href="/benevolat/benevoles">Les bénévoles du réseau</a>
          </li>
        ) : null}
      </ul>
      <h2>Missions ouvertes ({props.missions.length})</h2>
      {props.missions.length === 0 ? <p>Aucune mission ouverte pour le moment.</p> : null}
      <ul class="results">
        {props.missions.map((m) => (
          <li class="card">
            <h3>
              <a href={`/benevolat/missions/${m.id}`}>{m.title}</a>
            </h3>
            <p class="meta">
              {m.placeName}
              {m.placeCommune ? `, ${m.placeCommune}` : ''} · {whenText(m)} · {commitmentText(m)}
              {m.state === 'full' ? ' · complète (liste d’attente)' : ''}
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** `/benevolat/missions`: the missions of the person's structures (every mission for a coordinator). */
export function ManagedMissionsPage(props: {
  ctx: PageContext;
  missions: Mission[];
  canCreate: boolean;
  notice?: string | undefined;
}) {
  return (
    <Layout title="Missions de bénévolat de ma structure" ctx={props.ctx}>
      <h1>Missions de bénévolat</h1>
      <Notice text={props.notice} />
      {props.canCreate ? (
        <p>
          <a class="button" href="/benevolat/missions/nouvelle">
            Publier une mission
          </a>
        </p>
      ) : null}
      {props.missions.length === 0 ? <p>Aucune mission pour le moment.</p> : null}
      <ul class="results">
        {props.missions.map((m) => (
          <li class="card">
            <h2>
              <a href={`/benevolat/missions/${m.id}`}>{m.title}</a>
            </h2>
            <p class="meta">
              {m.structureName} · {MISSION_STATE_LABELS[m.state]} · {m.taken} sur {m.seats} bénévoles
            </p>
          </li>
        ))}
      </ul>
      <p>
        <a href="/benevolat">Revenir au bénévolat</a>
      </p>
    </Layout>
  );
}

function Candidates(props: { csrf: string; missionId: string; candidates: Candidate[] }) {
  const shown = props.candidates.slice(0, 20);
  return (
    <section aria-labelledby="candidats">
      <h2 id="candidats">Bénévoles à qui proposer la mission ({props.candidates.length})</h2>
      <p>
        Les plus proches d’abord, puis ceux qui ont le plus de compétences et de demi-journées en commun avec
        la mission. Leur nom et leurs coordonnées vous sont donnés quand vous leur proposez la mission.
      </p>
      {shown.length === 0 ? <p>Aucun bénévole validé à proposer pour le moment.</p> : null}
      <ol class="results">
        {shown.map((c) => (
          <li class="card">
            <h3>Bénévole {c.reference}</h3>
            <p class="meta">
              {keepUnits(distanceText(c.distanceKm))} ·{' '}
              {c.commonSkills.length > 0
                ? `compétences en commun : ${c.commonSkills.map((s) => labelOf(SKILLS, s).toLowerCase()).join(', ')}`
                : 'aucune compétence en commun'}{' '}
              · {c.slotsInCommon} demi-journée{c.slotsInCommon > 1 ? 's' : ''} en commun
            </p>
            <form method="post" action={`/benevolat/missions/${props.missionId}/proposer`} class="inline">
              <Csrf token={props.csrf} />
              <input type="hidden" name="benevole" value={c.id} />
              <button type="submit">
                Proposer la mission<span class="visually-hidden"> au bénévole {c.reference}</span>
              </button>
            </form>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function VolunteerFacts({ v }: { v: VolunteerCard }) {
  return (
    <dl class="facts">
      <dt>Courriel</dt>
      <dd>
        <a href={`mailto:${v.email}`}>{v.email}</a>
      </dd>
      <dt>Téléphone</dt>
      <dd>{v.phone ?? 'non donné'}</dd>
      <dt>Disponibilités</dt>
      <dd>{v.availability.map((s) => labelOf(SLOTS, s)).join(', ')}</dd>
      <dt>Compétences</dt>
      <dd>{v.skills.length ? v.skills.map((s) => labelOf(SKILLS, s)).join(', ') : 'aucune indiquée'}</dd>
      <dt>Communes</dt>
      <dd>{v.communes.map((c) => c.name).join(', ')}</dd>
    </dl>
  );
}

function Proposals(props: { csrf: string; proposals: (Proposal & { volunteer: VolunteerCard })[] }) {
  return (
    <section aria-labelledby="propositions">
      <h2 id="propositions">Propositions et demandes ({props.proposals.length})</h2>
      {props.proposals.length === 0 ? <p>Aucune pour le moment.</p> : null}
      <ul class="results">
        {props.proposals.map((p) => (
          <li class="card">
            <h3>{p.volunteer.name}</h3>
            <p class="meta">
              {p.origin === 'volunteer' ? 'Demande du bénévole' : 'Proposée par la structure'} ·{' '}
              {MATCH_STATE_LABELS[p.state]}
            </p>
            <VolunteerFacts v={p.volunteer} />
            {p.origin === 'volunteer' && p.state === 'proposed' ? (
              <form method="post" action={`/benevolat/candidatures/${p.id}/repondre`} class="inline">
                <Csrf token={props.csrf} />
                <button type="submit" name="reponse" value="accepter">
                  Accepter<span class="visually-hidden"> {p.volunteer.name}</span>
                </button>{' '}
                <button type="submit" name="reponse" value="refuser" class="secondary">
                  Refuser<span class="visually-hidden"> {p.volunteer.name}</span>
                </button>
              </form>
            ) : null}
            {p.state === 'accepted' || p.state === 'waiting' ? (
              <form method="post" action={`/benevolat/candidatures/${p.id}/terminer`} class="inline">
                <Csrf token={props.csrf} />
                <button type="submit" class="secondary">
                  Mettre fin à la participation<span class="visually-hidden"> de {p.volunteer.name}</span>
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `/benevolat/missions/:id`: the mission; for its structure, candidates and proposals. */
export function MissionPage(props: {
  ctx: PageContext;
  csrf: string;
  mission: Mission;
  manage: boolean;
  validate: boolean;
  apply: boolean;
  proposal: { id: string; origin: string; state: keyof typeof MATCH_STATE_LABELS } | null;
  matching: { candidates: Candidate[]; proposals: (Proposal & { volunteer: VolunteerCard })[] } | null;
  notice?: string | undefined;
}) {
  const m = props.mission;
  return (
    <Layout title={m.title} ctx={props.ctx}>
      <h1>{m.title}</h1>
      <Notice text={props.notice} />
      <p class="pre-line">{m.description}</p>
      <MissionFacts m={m} />
      {props.validate ? (
        <form method="post" action={`/benevolat/missions/${m.id}/valider`}>
          <Csrf token={props.csrf} />
          <button type="submit">Valider la mission</button>
        </form>
      ) : null}
      {props.apply ? (
        <form method="post" action={`/benevolat/missions/${m.id}/demander`}>
          <Csrf token={props.csrf} />
          <button type="submit">Proposer mon aide pour cette mission</button>
        </form>
      ) : null}
      {props.proposal ? (
        <p>
          Votre proposition pour cette mission : <strong>{MATCH_STATE_LABELS[props.proposal.state]}</strong>.{' '}
          <a href="/benevolat/mon-espace">Voir mes missions</a>
        </p>
      ) : null}
      {props.matching && m.state !== 'draft' && m.state !== 'closed' ? (
        <Candidates csrf={props.csrf} missionId={m.id} candidates={props.matching.candidates} />
      ) : null}
      {props.matching ? <Proposals csrf={props.csrf} proposals={props.matching.proposals} /> : null}
      {props.manage && m.state !== 'closed' ? (
        <form method="post" action={`/benevolat/missions/${m.id}/terminer`}>
          <Csrf token={props.csrf} />
          <button type="submit" class="secondary">
            Terminer la mission
          </button>
        </form>
      ) : null}
      <p>
        <a href="/benevolat">Revenir au bénévolat</a>
      </p>
    </Layout>
  );
}

/** What the mission form shows back: the values as posted. */
export interface MissionFormValues {
  structure: string;
  lieu: string;
  titre: string;
  description: string;
  debut: string;
  fin: string;
  creneaux: string[];
  competences: string[];
  engagement: string;
  heures: string;
  public: string;
  places: string;
}

export const EMPTY_MISSION: MissionFormValues = {
  structure: '',
  lieu: '',
  titre: '',
  description: '',
  debut: '',
  fin: '',
  creneaux: [],
  competences: [],
  engagement: 'one_off',
  heures: '',
  public: 'tous',
  places: '1',
};

/** Checkboxes of a fixed list in a fieldset, the first box carrying the field's id for the summary. */
export function Checkboxes(props: {
  id: string;
  legend: string;
  hint?: string;
  options: readonly { value: string; label: string }[];
  values: readonly string[];
  error?: string | undefined;
}) {
  return (
    <fieldset
      class={props.error ? 'field has-error' : 'field'}
      aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.id} message={props.error} />
      <div class="choices">
        {props.options.map((o, i) => (
          <div class="choice">
            <input
              type="checkbox"
              id={i === 0 ? props.id : `${props.id}-${o.value}`}
              name={props.id}
              value={o.value}
              checked={props.values.includes(o.value)}
            />
            <label for={i === 0 ? props.id : `${props.id}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** `/benevolat/missions/nouvelle`: what, where, when, skills, commitment, public, how many. */
export function MissionFormPage(props: {
  ctx: PageContext;
  csrf: string;
  structures: { id: string; name: string; places: { id: string; label: string }[] }[];
  values: MissionFormValues;
  issues: Issue[];
}) {
  const e = errorsOf(props.issues);
  const v = props.values;
  const title = 'Publier une mission de bénévolat';
  const places = props.structures.flatMap((s) =>
    s.places.map((p) => ({
      value: p.id,
      label: props.structures.length > 1 ? `${s.name} — ${p.label}` : p.label,
    })),
  );
  return (
    <Layout title={props.issues.length ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        items={props.issues.map((i) => ({ href: `#${i.field}`, message: i.message }))}
        autofocus
      />
      {props.structures.length === 0 ? (
        <p>Pour publier une mission, il faut faire partie d’une structure du réseau.</p>
      ) : (
        <form method="post" action="/benevolat/missions/nouvelle">
          <Csrf token={props.csrf} />
          {props.structures.length > 1 ? (
            <Select
              id="structure"
              label="Structure"
              options={props.structures.map((s) => ({ value: s.id, label: s.name }))}
              value={v.structure}
            />
          ) : null}
          <Field id="titre" label="Titre" value={v.titre} error={e.titre} maxlength={120} />
          <div class={e.description ? 'field has-error' : 'field'}>
            <label for="description">Description</label>
            <p class="hint" id="description-aide">
              Ce que fera le bénévole, en mots simples.
            </p>
            <FieldError id="description" message={e.description} />
            <textarea
              id="description"
              name="description"
              rows={5}
              maxlength={3000}
              aria-invalid={e.description ? 'true' : undefined}
              aria-describedby={describedBy('description', true, Boolean(e.description))}
            >
              {v.description}
            </textarea>
          </div>
          <Select
            id="lieu"
            label="Lieu"
            hint="Un lieu de votre structure, dans l’annuaire du réseau."
            empty="Choisissez le lieu"
            options={places}
            value={v.lieu}
            error={e.lieu}
          />
          <Field id="debut" label="Date de début" type="date" value={v.debut} error={e.debut} />
          <Field id="fin" label="Date de fin" type="date" value={v.fin} error={e.fin} />
          <Checkboxes
            id="creneaux"
            legend="Créneaux réguliers (facultatif)"
            hint="Les demi-journées de la semaine où la mission a lieu. Sans créneau : dates à convenir."
            options={SLOTS}
            values={v.creneaux}
            error={e.creneaux}
          />
          <Checkboxes
            id="competences"
            legend="Compétences recherchées"
            options={SKILLS}
            values={v.competences}
            error={e.competences}
          />
          <Select
            id="engagement"
            label="Engagement"
            options={COMMITMENTS}
            value={v.engagement}
            error={e.engagement}
          />
          <Field
            id="heures"
            label="Heures par semaine (mission régulière)"
            type="number"
            inputmode="numeric"
            min={1}
            max={35}
            value={v.heures}
            error={e.heures}
          />
          <Select id="public" label="Public" options={AUDIENCES} value={v.public} error={e.public} />
          <Field
            id="places"
            label="Nombre de bénévoles recherchés"
            type="number"
            inputmode="numeric"
            min={1}
            max={50}
            value={v.places}
            error={e.places}
          />
          <button type="submit">Enregistrer la mission</button>
        </form>
      )}
      <p>
        <a href="/benevolat/missions">Revenir aux missions</a>
      </p>
    </Layout>
  );
}
