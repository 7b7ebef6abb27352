import { frenchDate } from '../places/place-dates.ts';
import { BarChart, ColumnChart, formatChartValue } from '../web/charts.tsx';
import { ErrorSummary, Field, Select, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { StatisticsView } from './statistics.service.ts';
import {
  bucketShort,
  COUNT_HEADS,
  GROUPINGS,
  METHOD,
  PERIOD_PRESETS,
  SECTIONS,
  type Share,
} from './statistics.ts';
import { ACTIVITY_KIND_LABELS, THEME_LABELS } from './vocabulary.ts';

/**
 * The statistics page of activity records (decision 0052), the same for the three perimeters: a form
 * of period and filters that works without JavaScript (GET), the key figures each saying what it
 * counts, then each breakdown as a server-drawn chart followed by its table, and the exports.
 */

const n = (v: number) => formatChartValue(v);

function Figure(props: { value: number; label: string; hint: string }) {
  return (
    <div class="figure">
      <dt>{props.label}</dt>
      <dd>
        <strong>{n(props.value)}</strong> <span class="hint">{props.hint}</span>
      </dd>
    </div>
  );
}

export function StatisticsPage(props: {
  ctx: PageContext;
  view: StatisticsView;
  action: string;
  hidden?: Record<string, string>;
}) {
  const v = props.view;
  const f = v.figures;
  const a = v.asked;
  const e = v.errors;
  const title =
    v.perimeter.kind === 'network'
      ? 'Statistiques des activités du réseau'
      : v.perimeter.kind === 'funder'
        ? `Statistiques des activités financées — ${v.perimeter.name}`
        : `Statistiques des activités — ${v.perimeter.name}`;
  const exportQuery = new URLSearchParams({
    ...(props.hidden ?? {}),
    du: f.from,
    au: f.to,
    par: v.query.grouping,
    ...(v.query.kind ? { type: v.query.kind } : {}),
    ...(v.query.theme ? { thematique: v.query.theme } : {}),
    ...(v.query.structureId && v.perimeter.kind !== 'structure' ? { structure: v.query.structureId } : {}),
    ...(v.query.placeId ? { lieu: v.query.placeId } : {}),
  });
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary items={summaryItems(e)} autofocus />
      {v.perimeter.kind === 'funder' ? (
        <p>
          Les activités des structures que ce financeur finance, pendant les jours de chaque financement.
          Seuls des totaux sont montrés : aucune activité ni personne n’est visible ici.
        </p>
      ) : (
        <p>Seuls des totaux sont montrés : aucune activité ni personne n’est visible ici.</p>
      )}
      <form method="get" action={props.action} class="filters">
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <fieldset>
          <legend>Période étudiée</legend>
          <Select
            id="periode"
            label="Période"
            empty="Des dates de mon choix (ci-dessous)"
            options={Object.entries(PERIOD_PRESETS).map(([value, label]) => ({ value, label }))}
            value={a.du || a.au ? '' : a.periode || '12mois'}
            hint="Ou choisissez « Des dates de mon choix » et remplissez Du et Au (jours inclus)."
            error={e.periode}
          />
          <Field
            id="du"
            label="Du"
            size={12}
            maxlength={30}
            value={a.du ?? ''}
            hint="Par exemple : 01/01/2026."
            error={e.du}
          />
          <Field
            id="au"
            label="Au"
            size={12}
            maxlength={30}
            value={a.au ?? ''}
            hint="Par exemple : 31/03/2026."
            error={e.au}
          />
          <Select
            id="par"
            label="Regrouper dans le temps"
            options={Object.entries(GROUPINGS).map(([value, label]) => ({ value, label }))}
            value={a.par || 'mois'}
            error={e.par}
          />
        </fieldset>
        <fieldset>
          <legend>Filtres</legend>
          {v.perimeter.kind !== 'structure' ? (
            <Select
              id="structure"
              label="Structure"
              empty="Toutes les structures"
              options={v.structures.map((s) => ({ value: s.id, label: s.name }))}
              value={a.structure ?? ''}
              error={e.structure}
            />
          ) : null}
          {v.places.length > 0 || e.lieu ? (
            <Select
              id="lieu"
              label="Lieu d’activité"
              empty="Tous les lieux"
              options={v.places.map((p) => ({ value: p.id, label: p.name }))}
              value={a.lieu ?? ''}
              {...(v.perimeter.kind !== 'structure'
                ? { hint: 'Choisissez d’abord une structure pour voir ses lieux.' }
                : {})}
              error={e.lieu}
            />
          ) : null}
          <Select
            id="type"
            label="Type d’activité"
            empty="Tous les types"
            options={Object.entries(ACTIVITY_KIND_LABELS).map(([value, label]) => ({ value, label }))}
            value={a.type ?? ''}
            error={e.type}
          />
          <Select
            id="thematique"
            label="Thématique"
            empty="Toutes les thématiques"
            options={Object.entries(THEME_LABELS).map(([value, label]) => ({ value, label }))}
            value={a.thematique ?? ''}
            error={e.thematique}
          />
        </fieldset>
        <button type="submit">Voir les statistiques</button>
      </form>

      <h2>
        Du {frenchDate(f.from)} au {frenchDate(f.to)}
      </h2>
      {Object.keys(e).length > 0 ? (
        <p>La demande n’a pas pu être lue : voici les chiffres des 12 derniers mois, sans filtre.</p>
      ) : null}
      <p>
        Télécharger ces chiffres :{' '}
        <a href={`${props.action}/export?${exportQuery}&format=csv`}>fichier CSV</a> ·{' '}
        <a href={`${props.action}/export?${exportQuery}&format=xlsx`}>classeur Excel (XLSX)</a>
      </p>
      <dl class="figures">
        <Figure
          value={f.activities.total}
          label="Activités"
          hint={`${n(f.activities.individuel)} accompagnements individuels, ${n(f.activities.collectif)} ateliers collectifs.`}
        />
        <Figure
          value={f.accompaniments.total}
          label="Accompagnements"
          hint={`Une personne accompagnée par une activité : ${n(f.accompaniments.individuel)} en individuel, ${n(f.accompaniments.collectif)} participants d’ateliers.`}
        />
        <Figure
          value={f.people}
          label="Personnes suivies"
          hint="Personnes identifiées (avec une fiche), comptées une seule fois."
        />
        <Figure
          value={f.anonymousParticipants}
          label="Participants anonymes"
          hint="Comptés une fois par activité : une personne venue trois fois sans fiche compte trois fois."
        />
        <Figure
          value={f.firstTimeAccompaniments}
          label="Premiers accompagnements"
          hint="Personnes accompagnées pour la première fois."
        />
        <Figure
          value={f.vouchers}
          label="Activités avec un pass numérique"
          hint="Accompagnements liés à l’encaissement d’un pass."
        />
        <Figure
          value={f.workshops}
          label="Activités d’un atelier de l’agenda"
          hint="Ateliers enregistrés depuis l’agenda."
        />
      </dl>
      <details>
        <summary>Ce que comptent ces chiffres</summary>
        <ul>
          {METHOD.map((m) => (
            <li>{m}</li>
          ))}
        </ul>
      </details>
      {SECTIONS.map((s) => {
        const rows = (f[s.key] as Share[]).map((r) => ({
          label: r.label,
          value: r.count,
          short: s.key === 'overTime' ? bucketShort(r.key) : undefined,
        }));
        const Chart = s.key === 'overTime' ? ColumnChart : BarChart;
        return (
          <section>
            <h2>{s.title}</h2>
            {rows.length === 0 ? (
              <p>Aucune donnée sur cette période.</p>
            ) : (
              <Chart title={s.title} head={s.head} valueHead={COUNT_HEADS[s.counts]} rows={rows} />
            )}
          </section>
        );
      })}
    </Layout>
  );
}
