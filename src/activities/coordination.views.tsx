import { formatDay } from '../places/place-dates.ts';
import { Csrf, ErrorSummary, FieldError, Notice, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { CoordinationActivity } from './activities.service.ts';
import type { FieldErrors } from './activities.ts';
import { COORDINATION_TEXT_MAX_LENGTH, type CoordinationValues, type PartnerValues } from './coordination.ts';
import { ChoiceField, firstChoiceId, idOf, SelectField, TextField } from './form-fields.views.tsx';
import {
  ANIMATION_THEME_LABELS,
  ANIMATION_TYPE_LABELS,
  COORDINATION_KIND_LABELS,
  type CoordinationKind,
  durationLabel,
  EVENT_TYPE_LABELS,
  INITIATIVE_LABELS,
  ORGANISER_LABELS,
  PARTNER_TYPE_LABELS,
  PARTNERSHIP_NATURE_LABELS,
  TERRITORIAL_LEVEL_LABELS,
} from './vocabulary.ts';

/**
 * The network coordinators' pages of the Coop's coordination activities (decision 0038): the list, the
 * latest first, and one form for each kind — animation, évènement (the network's local day is « NEC
 * local »), partenariat — with the Coop's fields and labels. Plain HTML forms: no script needed.
 */

export type CoordinationForm = Omit<CoordinationValues, 'partners'> & { partners: PartnerValues[] };

/** How many partner rows the partnership form offers (empty rows are left out). */
export const PARTNER_ROWS = 3;

export const COORDINATION_NOTICES: Record<string, string> = {
  animation: 'L’animation est enregistrée.',
  evenement: 'L’évènement est enregistré.',
  partenariat: 'Le partenariat est enregistré.',
};

/** "une animation", "un évènement", "un partenariat". */
export const KIND_WORDS: Record<CoordinationKind, string> = {
  animation: 'une animation',
  evenement: 'un évènement',
  partenariat: 'un partenariat',
};

const NAME_LABELS: Record<CoordinationKind, string> = {
  animation: 'Nom de l’animation (facultatif)',
  evenement: 'Nom de l’évènement (facultatif)',
  partenariat: 'Nom du partenariat (facultatif)',
};

export function emptyCoordinationForm(kind: CoordinationKind, today: string): CoordinationForm {
  return {
    kind,
    date: today,
    duration: '',
    name: '',
    territorialLevel: '',
    mediatorsCount: '',
    structuresCount: '',
    otherActorsCount: '',
    animationType: '',
    animationTypeOther: '',
    initiative: '',
    animationThemes: [],
    animationThemeOther: '',
    participants: '',
    eventType: '',
    eventTypeOther: '',
    organisers: [],
    organiserOther: '',
    partnershipNatures: [],
    partnershipNatureOther: '',
    partners: Array.from({ length: PARTNER_ROWS }, () => ({ name: '', type: '', typeOther: '' })),
  };
}

/** Where each error of the summary leads: the first input of a group, a partner's name. */
function anchors(errors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {
    animationType: firstChoiceId('animationType', ANIMATION_TYPE_LABELS),
    initiative: firstChoiceId('initiative', INITIATIVE_LABELS, ''),
    animationThemes: firstChoiceId('animationThemes', ANIMATION_THEME_LABELS),
    eventType: firstChoiceId('eventType', EVENT_TYPE_LABELS),
    organisers: firstChoiceId('organisers', ORGANISER_LABELS),
    partnershipNatures: firstChoiceId('partnershipNatures', PARTNERSHIP_NATURE_LABELS),
    territorialLevel: firstChoiceId('territorialLevel', TERRITORIAL_LEVEL_LABELS, ''),
    partners: 'partners-0-name',
  };
  for (const key of Object.keys(errors)) if (/^partners\.\d+$/.test(key)) out[key] = `${idOf(key)}-name`;
  return out;
}

function PartnerRow(props: { i: number; p: PartnerValues; error: string | undefined }) {
  const { i, p } = props;
  const base = `partners.${i}`;
  return (
    <fieldset class={props.error ? 'has-error card' : 'card'} id={idOf(base)}>
      <legend>Structure partenaire n° {i + 1}</legend>
      <FieldError id={idOf(base)} message={props.error} />
      <TextField
        name={`${base}.name`}
        label="Nom de la structure"
        value={p.name}
        maxlength={COORDINATION_TEXT_MAX_LENGTH}
      />
      <SelectField
        name={`${base}.type`}
        label="Type de structure"
        labels={PARTNER_TYPE_LABELS}
        value={p.type}
        empty="Choisissez le type"
      />
      <TextField
        name={`${base}.typeOther`}
        label="Si « Autre » : précisez le type"
        value={p.typeOther}
        maxlength={COORDINATION_TEXT_MAX_LENGTH}
      />
    </fieldset>
  );
}

function AnimationFields({ v, e }: { v: CoordinationForm; e: FieldErrors }) {
  return (
    <>
      <TextField
        name="duration"
        label="Durée, en minutes"
        hint="Par exemple 90 pour 1 h 30 (au plus 23 h 59)."
        value={v.duration}
        error={e.duration}
        inputmode="numeric"
        required
      />
      <fieldset class={e.mediatorsCount ? 'has-error' : undefined} id="participants-animes">
        <legend>Participants (au moins un nombre)</legend>
        <TextField
          name="mediatorsCount"
          label="Médiateurs numériques"
          value={v.mediatorsCount}
          error={e.mediatorsCount}
          inputmode="numeric"
        />
        <TextField
          name="structuresCount"
          label="Structures"
          value={v.structuresCount}
          error={e.structuresCount}
          inputmode="numeric"
        />
        <TextField
          name="otherActorsCount"
          label="Autres acteurs"
          value={v.otherActorsCount}
          error={e.otherActorsCount}
          inputmode="numeric"
        />
      </fieldset>
      <ChoiceField
        name="animationType"
        legend="Type d’animation"
        labels={ANIMATION_TYPE_LABELS}
        values={[v.animationType]}
        error={e.animationType}
      />
      <TextField
        name="animationTypeOther"
        label="Si « Autre » : précisez le type d’animation"
        value={v.animationTypeOther}
        error={e.animationTypeOther}
        maxlength={COORDINATION_TEXT_MAX_LENGTH}
      />
      <ChoiceField
        name="initiative"
        legend="Initiative (facultatif)"
        labels={INITIATIVE_LABELS}
        values={[v.initiative]}
        error={e.initiative}
        none="Non précisé"
      />
      <ChoiceField
        name="animationThemes"
        legend="Thématiques de l’animation (facultatif)"
        labels={ANIMATION_THEME_LABELS}
        values={v.animationThemes}
        error={e.animationThemes}
        multiple
      />
      <TextField
        name="animationThemeOther"
        label="Si « Autre thématique » : précisez"
        value={v.animationThemeOther}
        error={e.animationThemeOther}
        maxlength={COORDINATION_TEXT_MAX_LENGTH}
      />
    </>
  );
}

function TerritorialLevelField({ v, e }: { v: CoordinationForm; e: FieldErrors }) {
  return (
    <ChoiceField
      name="territorialLevel"
      legend="Échelon territorial (facultatif)"
      labels={TERRITORIAL_LEVEL_LABELS}
      values={[v.territorialLevel]}
      error={e.territorialLevel}
      none="Non précisé"
    />
  );
}

function EventFields({ v, e }: { v: CoordinationForm; e: FieldErrors }) {
  return (
    <>
      <TextField
        name="participants"
        label="Nombre de participants"
        value={v.participants}
        error={e.participants}
        inputmode="numeric"
        required
      />
      <ChoiceField
        name="eventType"
        legend="Type d’évènement"
        hint="« NEC local » : la journée locale du numérique en commun du réseau."
        labels={EVENT_TYPE_LABELS}
        values={[v.eventType]}
        error={e.eventType}
      />
      <TextField
        name="eventTypeOther"
        label="Si « Autre » : précisez le type d’évènement"
        value={v.eventTypeOther}
        error={e.eventTypeOther}
        maxlength={COORDINATION_TEXT_MAX_LENGTH}
      />
      <ChoiceField
        name="organisers"
        legend="Organisateurs (au moins un)"
        labels={ORGANISER_LABELS}
        values={v.organisers}
        error={e.organisers}
        multiple
      />
      <TextField
        name="organiserOther"
        label="Si « Autre » : précisez l’organisateur"
        value={v.organiserOther}
        error={e.organiserOther}
        maxlength={COORDINATION_TEXT_MAX_LENGTH}
      />
      <TerritorialLevelField v={v} e={e} />
    </>
  );
}

function PartnershipFields({ v, e }: { v: CoordinationForm; e: FieldErrors }) {
  return (
    <>
      <ChoiceField
        name="partnershipNatures"
        legend="Nature du partenariat (au moins une)"
        labels={PARTNERSHIP_NATURE_LABELS}
        values={v.partnershipNatures}
        error={e.partnershipNatures}
        multiple
      />
      <TextField
        name="partnershipNatureOther"
        label="Si « Autre » : précisez la nature du partenariat"
        value={v.partnershipNatureOther}
        error={e.partnershipNatureOther}
        maxlength={COORDINATION_TEXT_MAX_LENGTH}
      />
      <fieldset id="partners" class={e.partners ? 'has-error' : undefined}>
        <legend>Structures partenaires (au moins une)</legend>
        <p class="hint">Laissez vides les lignes inutiles.</p>
        <FieldError id="partners" message={e.partners} />
        {v.partners.map((p, i) => (
          <PartnerRow i={i} p={p} error={e[`partners.${i}`]} />
        ))}
      </fieldset>
      <TerritorialLevelField v={v} e={e} />
    </>
  );
}

export function CoordinationFormPage(props: {
  ctx: PageContext;
  csrf: string;
  kind: CoordinationKind;
  values: CoordinationForm;
  errors: FieldErrors;
}) {
  const { kind, values: v, errors: e } = props;
  const title = `Enregistrer ${KIND_WORDS[kind]}`;
  const failed = Object.keys(e).length > 0;
  return (
    <Layout title={failed ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <p>
        <a href="/activites/coordination">Retour aux activités de coordination</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary items={summaryItems(e, anchors(e))} autofocus />
      <p class="hint">Activité de coordination du réseau, comme dans La Coop de la médiation numérique.</p>
      <form method="post" action={`/activites/coordination/nouvelle/${kind}`} novalidate>
        <Csrf token={props.csrf} />
        {e.kind ? <FieldError id="kind" message={e.kind} /> : null}
        <TextField name="date" label="Date" type="date" value={v.date} error={e.date} required />
        <TextField
          name="name"
          label={NAME_LABELS[kind]}
          value={v.name}
          error={e.name}
          maxlength={COORDINATION_TEXT_MAX_LENGTH}
        />
        {kind === 'animation' ? <AnimationFields v={v} e={e} /> : null}
        {kind === 'evenement' ? <EventFields v={v} e={e} /> : null}
        {kind === 'partenariat' ? <PartnershipFields v={v} e={e} /> : null}
        <p>
          <button type="submit">Enregistrer {KIND_WORDS[kind]}</button>
        </p>
      </form>
    </Layout>
  );
}

const labelsOf = (labels: Readonly<Record<string, string>>, values: readonly string[]) =>
  values.map((x) => labels[x] ?? x).join(', ');

function withOther(label: string | undefined, other: string | null): string {
  return other ? `${label ?? ''} : ${other}` : (label ?? '');
}

function CoordinationCard({ a }: { a: CoordinationActivity }) {
  const kind = COORDINATION_KIND_LABELS[a.kind];
  return (
    <li class="card">
      <h2>
        {kind} du {formatDay(a.date)}
        {a.name ? <> — {a.name}</> : null}
      </h2>
      <dl class="facts">
        {a.kind === 'animation' ? (
          <>
            <dt>Durée</dt>
            <dd>{durationLabel(a.durationMinutes ?? 0)}</dd>
            <dt>Type</dt>
            <dd>
              {withOther(a.animationType ? ANIMATION_TYPE_LABELS[a.animationType] : '', a.animationTypeOther)}
            </dd>
            <dt>Participants</dt>
            <dd>
              {a.mediatorsCount ?? 0} médiateur(s), {a.structuresCount ?? 0} structure(s),{' '}
              {a.otherActorsCount ?? 0} autre(s) acteur(s)
            </dd>
            {a.animationThemes.length > 0 ? (
              <>
                <dt>Thématiques</dt>
                <dd>
                  {withOther(labelsOf(ANIMATION_THEME_LABELS, a.animationThemes), a.animationThemeOther)}
                </dd>
              </>
            ) : null}
          </>
        ) : null}
        {a.kind === 'evenement' ? (
          <>
            <dt>Type</dt>
            <dd>{withOther(a.eventType ? EVENT_TYPE_LABELS[a.eventType] : '', a.eventTypeOther)}</dd>
            <dt>Participants</dt>
            <dd>{a.participants ?? 0}</dd>
            <dt>Organisateurs</dt>
            <dd>{withOther(labelsOf(ORGANISER_LABELS, a.organisers), a.organiserOther)}</dd>
          </>
        ) : null}
        {a.kind === 'partenariat' ? (
          <>
            <dt>Nature</dt>
            <dd>
              {withOther(labelsOf(PARTNERSHIP_NATURE_LABELS, a.partnershipNatures), a.partnershipNatureOther)}
            </dd>
            <dt>Partenaires</dt>
            <dd>
              {a.partners
                .map((p) => `${p.name} (${p.typeOther ?? PARTNER_TYPE_LABELS[p.type] ?? p.type})`)
                .join(', ')}
            </dd>
          </>
        ) : null}
        {a.territorialLevel ? (
          <>
            <dt>Échelon</dt>
            <dd>{TERRITORIAL_LEVEL_LABELS[a.territorialLevel]}</dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}

export function CoordinationListPage(props: {
  ctx: PageContext;
  activities: CoordinationActivity[];
  notice?: string | undefined;
}) {
  const title = 'Activités de coordination';
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <p>
        Les animations, évènements et partenariats du réseau, comme dans La Coop de la médiation numérique.
      </p>
      <p>
        <a href="/activites/statistiques/reseau">Statistiques des activités du réseau</a> (accompagnements des
        structures, par période, structure, lieu, thématique…) et{' '}
        <a href="/activites/rapport-annuel">rapport d’évaluation annuel</a> à imprimer pour les financeurs.
      </p>
      <div class="pager">
        {(Object.keys(KIND_WORDS) as CoordinationKind[]).map((k) => (
          <a class="button secondary" href={`/activites/coordination/nouvelle/${k}`}>
            Enregistrer {KIND_WORDS[k]}
          </a>
        ))}
      </div>
      {props.activities.length === 0 ? (
        <p>Aucune activité de coordination n’est encore enregistrée.</p>
      ) : (
        <ul class="cards">
          {props.activities.map((a) => (
            <CoordinationCard a={a} />
          ))}
        </ul>
      )}
    </Layout>
  );
}
