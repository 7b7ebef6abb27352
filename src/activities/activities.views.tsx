import { formatDay, localToday } from '../places/place-dates.ts';
import { Notice } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { ActivityDetail, ActivitySummary } from './activities.service.ts';
import { communeLabel } from './activity-links.service.ts';
import {
  ACTIVITY_KIND_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_LABELS,
  durationLabel,
  EQUIPMENT_LABELS,
  GENDER_LABELS,
  keysOf,
  PLACE_KIND_LABELS,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
  THEME_LABELS,
  WORKSHOP_LEVEL_LABELS,
} from './vocabulary.ts';

/**
 * The pages of a structure's activity records (decision 0038): the list, newest first, with filters by
 * month and kind and pages of PAGE_SIZE; one record in full. Forms are in activity-form.views.tsx.
 */

export const PAGE_SIZE = 20;

export const ACTIVITY_NOTICES: Record<string, string> = {
  individuel: 'L’accompagnement est enregistré.',
  collectif: 'L’atelier est enregistré.',
};

export interface ListFilters {
  /** 'YYYY-MM' or ''. */
  month: string;
  /** 'individuel', 'collectif' or ''. */
  kind: string;
  page: number;
}

const themesOf = (a: { themes: readonly string[] }) =>
  a.themes.map((t) => THEME_LABELS[t as keyof typeof THEME_LABELS] ?? t).join(', ');

/** "Lieu d'activité : Médiathèque", "À domicile : Saran (45302)", "À distance". */
export function whereOf(a: {
  placeKind: keyof typeof PLACE_KIND_LABELS;
  placeName: string | null;
  communeCode: string | null;
}): string {
  if (a.placeKind === 'a_distance') return PLACE_KIND_LABELS.a_distance;
  if (a.placeKind === 'lieu_activite') return a.placeName ?? PLACE_KIND_LABELS.lieu_activite;
  const commune = communeLabel(a.communeCode);
  return commune ? `${PLACE_KIND_LABELS[a.placeKind]} : ${commune}` : PLACE_KIND_LABELS[a.placeKind];
}

const participantsOf = (a: ActivitySummary) =>
  a.kind === 'individuel'
    ? '1 personne'
    : `${a.participantsTotal} participant${a.participantsTotal > 1 ? 's' : ''}`;

function StructureChoice(props: {
  structures: readonly { id: string; name: string }[];
  current: string;
  path: string;
}) {
  if (props.structures.length < 2) return null;
  return (
    <nav aria-label="Choisir la structure">
      <ul class="actions">
        {props.structures.map((s) => (
          <li>
            <a
              href={`${props.path}?structure=${s.id}`}
              aria-current={s.id === props.current ? 'page' : undefined}
            >
              {s.name}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function ActivitiesPage(props: {
  ctx: PageContext;
  structure: { id: string; name: string };
  structures: readonly { id: string; name: string }[];
  activities: ActivitySummary[];
  hasMore: boolean;
  filters: ListFilters;
  notice?: { text: string; activityId: string | null } | undefined;
}) {
  const { filters: f } = props;
  const several = props.structures.length > 1;
  const q = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    if (several) params.set('structure', props.structure.id);
    if (f.month) params.set('mois', f.month);
    if (f.kind) params.set('type', f.kind);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    const s = params.toString();
    return s ? `?${s}` : '';
  };
  const structureQuery = several ? `structure=${props.structure.id}` : '';
  return (
    <Layout title={`Activités : ${props.structure.name}`} ctx={props.ctx}>
      <h1>Activités de {props.structure.name}</h1>
      <StructureChoice structures={props.structures} current={props.structure.id} path="/activites" />
      {props.notice ? (
        <div class="notice" role="status">
          <p>{props.notice.text}</p>
          {props.notice.activityId ? (
            <p>
              <a href={`/activites/${props.notice.activityId}`}>Voir l’activité enregistrée</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <ul class="actions">
        <li>
          <a class="button" href={`/activites/nouveau${structureQuery ? `?${structureQuery}` : ''}`}>
            Enregistrer un accompagnement
          </a>
        </li>
        <li>
          <a
            class="button secondary"
            href={`/activites/nouveau?type=collectif${structureQuery ? `&${structureQuery}` : ''}`}
          >
            Enregistrer un atelier
          </a>
        </li>
      </ul>
      <nav aria-label="Autres pages des activités">
        <ul>
          <li>
            <a href={`/activites/personnes${structureQuery ? `?${structureQuery}` : ''}`}>
              Personnes suivies
            </a>
          </li>
          <li>
            <a href={`/activites/import${structureQuery ? `?${structureQuery}` : ''}`}>
              Échanger avec La Coop : importer ou exporter les activités
            </a>
          </li>
          <li>
            <a href={`/activites/statistiques${structureQuery ? `?${structureQuery}` : ''}`}>
              Statistiques des activités
            </a>
          </li>
        </ul>
      </nav>
      <form method="get" action="/activites" class="filters">
        {several ? <input type="hidden" name="structure" value={props.structure.id} /> : null}
        <div class="field">
          <label for="mois">Mois</label>
          <input type="month" id="mois" name="mois" value={f.month} />
        </div>
        <div class="field">
          <label for="type">Type</label>
          <select id="type" name="type">
            <option value="" selected={f.kind === ''}>
              Tous
            </option>
            {keysOf(ACTIVITY_KIND_LABELS).map((k) => (
              <option value={k} selected={f.kind === k}>
                {ACTIVITY_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <p>
          <button type="submit" class="button secondary">
            Filtrer
          </button>
        </p>
      </form>
      {props.activities.length === 0 ? (
        <p>
          {f.month || f.kind
            ? 'Aucune activité ne correspond à ces filtres.'
            : 'Aucune activité n’est encore enregistrée.'}
        </p>
      ) : (
        <ul class="cards activities">
          {props.activities.map((a) => (
            <li class="card">
              <h2>
                <a href={`/activites/${a.id}`}>
                  {formatDay(a.date)} —{' '}
                  {a.kind === 'collectif' && a.workshopTitle ? a.workshopTitle : ACTIVITY_KIND_LABELS[a.kind]}
                </a>
              </h2>
              <p>
                {ACTIVITY_KIND_LABELS[a.kind]} · {durationLabel(a.durationMinutes)} · {participantsOf(a)}
              </p>
              <p>Lieu : {whereOf(a)}</p>
              <p>Thématiques : {themesOf(a)}</p>
            </li>
          ))}
        </ul>
      )}
      {f.page > 1 || props.hasMore ? (
        <nav class="pager" aria-label="Pages">
          {f.page > 1 ? <a href={`/activites${q({ page: String(f.page - 1) })}`}>Page précédente</a> : null}
          <span>Page {f.page}</span>
          {props.hasMore ? <a href={`/activites${q({ page: String(f.page + 1) })}`}>Page suivante</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}

function Counts<K extends string>(props: {
  title: string;
  labels: Record<K, string>;
  counts: Record<K, number>;
}) {
  const shown = keysOf(props.labels).filter((k) => props.counts[k] > 0);
  return (
    <>
      <dt>{props.title}</dt>
      <dd>{shown.map((k) => `${props.labels[k]} : ${props.counts[k]}`).join(', ') || '—'}</dd>
    </>
  );
}

export function ActivityPage(props: {
  ctx: PageContext;
  activity: ActivityDetail;
  structureQuery: string;
  notice?: string | undefined;
}) {
  const a = props.activity;
  const p = a.participants;
  const title = `${ACTIVITY_KIND_LABELS[a.kind]} du ${formatDay(a.date)}`;
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <dl class="facts">
        {a.workshopTitle ? (
          <>
            <dt>Titre</dt>
            <dd>{a.workshopTitle}</dd>
          </>
        ) : null}
        <dt>Date</dt>
        <dd>{formatDay(a.date)}</dd>
        <dt>Durée</dt>
        <dd>{durationLabel(a.durationMinutes)}</dd>
        <dt>Lieu</dt>
        <dd>{whereOf(a)}</dd>
        <dt>Thématiques</dt>
        <dd>{themesOf(a)}</dd>
        {a.procedureDetails ? (
          <>
            <dt>Démarche</dt>
            <dd>{a.procedureDetails}</dd>
          </>
        ) : null}
        <dt>Matériel</dt>
        <dd>{a.equipment.map((e) => EQUIPMENT_LABELS[e]).join(', ') || '—'}</dd>
        {a.kind === 'individuel' ? (
          <>
            <dt>Autonomie</dt>
            <dd>{a.autonomy ? AUTONOMY_LABELS[a.autonomy] : '—'}</dd>
            <dt>Orientée vers une autre structure</dt>
            <dd>
              {a.oriented === null ? '—' : a.oriented ? 'Oui' : 'Non'}
              {a.redirection ? ` : ${REDIRECTION_LABELS[a.redirection]}` : ''}
            </dd>
            {a.beneficiaryCommuneCode ? (
              <>
                <dt>Commune de la personne</dt>
                <dd>{communeLabel(a.beneficiaryCommuneCode)}</dd>
              </>
            ) : null}
          </>
        ) : (
          <>
            <dt>Niveau</dt>
            <dd>{a.workshopLevel ? WORKSHOP_LEVEL_LABELS[a.workshopLevel] : '—'}</dd>
          </>
        )}
        {p ? (
          <>
            <dt>Participants</dt>
            <dd>
              {p.total}, dont {p.alreadyAccompanied} déjà accompagné{p.alreadyAccompanied > 1 ? 's' : ''}
            </dd>
            <Counts title="Genre" labels={GENDER_LABELS} counts={p.gender} />
            <Counts title="Tranche d’âge" labels={AGE_BAND_LABELS} counts={p.ageBand} />
            <Counts title="Statut" labels={SOCIAL_STATUS_LABELS} counts={p.socialStatus} />
          </>
        ) : null}
        {a.workshopId ? (
          <>
            <dt>Agenda</dt>
            <dd>
              <a href={`/agenda/ateliers/${a.workshopId}`}>Voir l’atelier dans l’agenda</a>
            </dd>
          </>
        ) : null}
        {a.orientationId ? (
          <>
            <dt>Orientation</dt>
            <dd>
              <a href={`/orientations/${a.orientationId}`}>Voir l’orientation qui a amené la personne</a>
            </dd>
          </>
        ) : null}
        {a.voucherEntryId ? (
          <>
            <dt>Pass numérique</dt>
            <dd>
              {a.voucherCancelledAt
                ? `Le chèque pass numérique encaissé pour cette aide (encaissement n° ${a.voucherEntryId}) a été annulé le ${formatDay(localToday(a.voucherCancelledAt))} : cette aide n’est plus payée par ce chèque.`
                : `Payé par un chèque pass numérique (encaissement n° ${a.voucherEntryId})`}
            </dd>
          </>
        ) : null}
      </dl>
      <ul class="actions">
        <li>
          <a href={`/activites${props.structureQuery}`}>Retour aux activités</a>
        </li>
        <li>
          <a href={`/activites/nouveau${props.structureQuery}`}>Enregistrer un autre accompagnement</a>
        </li>
      </ul>
    </Layout>
  );
}
