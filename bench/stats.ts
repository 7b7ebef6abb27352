import '../src/shared/utc.ts';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Actor } from '../src/accounts/policy.ts';
import { recordActivity } from '../src/activities/activities.service.ts';
import {
  daySumRows,
  identifiedRows,
  monthSumRows,
  peopleRows,
  type StatisticsScope,
  statisticsRows,
} from '../src/activities/statistics.repository.ts';
import {
  funderStatistics,
  narrowed,
  networkStatistics,
  type StatisticsView,
  structureStatistics,
} from '../src/activities/statistics.service.ts';
import { type Share, splitMonths } from '../src/activities/statistics.ts';
import { kyselyOverPostgres } from '../src/db/create-db.ts';
import type { Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { benchDatabase } from './support/postgres.ts';

/**
 * bench:stats — the activity statistics (decision 0052) on 1,000,000 generated records on PostgreSQL.
 * Records are generated set-based in SQL (INSERT … SELECT generate_series) over 60 structures of
 * uneven sizes, 120 places, three years of days, every kind, duration, place kind, theme, equipment,
 * commune, anonymous counts and 18,000 identified people linked to some records. The bulk load runs
 * with the triggers off (session_replication_role = replica), then the monthly sums are rebuilt by the
 * statements migrations 0042 and 0046 themselves run for the records already there (read from the files).
 * Then 200 distinct dashboard requests (a structure, the network, a funder; presets and chosen days
 * with edges inside months; kind, theme, structure and place filters; month, quarter, year) go through
 * the statistics service the pages call, with no cache; every 10th request, one new record is written
 * first through `recordActivity` (the triggers run) and the request must count it. In the same run,
 * the baseline: the same figures by plain GROUP BY over the raw tables (same indexes), on every
 * BENCH_BASELINE_EVERY-th request, compared figure by figure with the service's.
 * Logs to stderr; the last line of stdout is one JSON object.
 */
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const BASELINE_EVERY = Number(process.env.BENCH_BASELINE_EVERY ?? 10);
const STRUCTURES = 60;
const PEOPLE_PER_STRUCTURE = 300;
const FUNDERS = 4;
const NOW = new Date('2026-12-07T12:00:00Z');
const FIRST_DAY = '2024-01-01';
const LAST_DAY = '2026-12-06';
const TARGETS = { dashboardP95Ms: 200, ratioVsBaseline: 10 };

const COMMUNES = [
  '45234',
  '45075',
  '45208',
  '18033',
  '45147',
  '45302',
  '45284',
  '45272',
  '41018',
  '37261',
  '28085',
  '36044',
  '45155',
  '45100',
  '45285',
];
const DIGITAL = [
  'diagnostic_numerique',
  'prendre_en_main_du_materiel',
  'maintenance_de_materiel',
  'gere_ses_contenus_numeriques',
  'navigation_sur_internet',
  'email',
  'bureautique',
  'reseaux_sociaux',
  'sante',
  'banque_et_achats_en_ligne',
  'entrepreneuriat',
  'insertion_professionnelle',
  'securite_numerique',
  'parentalite',
  'scolarite_et_numerique',
  'creer_avec_le_numerique',
  'culture_numerique',
  'intelligence_artificielle',
];
const ADMINISTRATIVE = [
  'papiers_elections_citoyennete',
  'famille_scolarite',
  'social_sante',
  'travail_formation',
  'logement',
  'transports_mobilite',
  'argent_impots',
  'justice',
  'etrangers_europe',
  'loisirs_sports_culture',
  'associations',
];
const REDIRECTIONS = [
  'administration',
  'mediation_numerique',
  'operateur_ou_organisme_en_charge',
  'aide_sociale',
  'insertion_professionnelle',
  'aide_aux_demarches_administratives',
  'autre',
];

const log = (text: string) => process.stderr.write(`${text}\n`);
const benchDb = benchDatabase('maillage_bench_stats');
const textArray = (xs: readonly string[]) => `array[${xs.map((x) => `'${x}'`).join(',')}]::text[]`;
const percentile = (xs: readonly number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 10) / 10;
};
const elapsed = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

// --- generation (set-based SQL, one connection) ---------------------------------------------------

async function generate(client: pg.Client): Promise<void> {
  const q = async (label: string, text: string) => {
    const t0 = performance.now();
    const r = await client.query(text);
    log(`  ${label}: ${r.rowCount ?? ''} rows in ${elapsed(t0)}`);
  };
  await client.query('select setseed(0.2026)');
  // The bulk load: no trigger, no foreign key check (the rows are consistent by construction).
  await client.query('set session_replication_role = replica');
  await q(
    'structures',
    `insert into structure (pivot, nom)
     select lpad((90000000000000 + g)::text, 14, '0'), 'Structure ' || g from generate_series(1, ${STRUCTURES}) g`,
  );
  await q(
    'structure numbers',
    `create table bench_structure as
     select (row_number() over (order by pivot) - 1)::int as n, id, pivot from structure`,
  );
  await q(
    'places',
    `insert into place (source, source_id, pivot, nom, commune, code_postal, adresse, code_insee, structure_id, content_hash)
     select 'bench', 'bench-' || s.n || '-' || k, s.pivot, 'Lieu ' || s.n || '-' || k, 'Commune', '45000',
       '1 rue de l''essai', (${textArray(COMMUNES)})[1 + (s.n * 2 + k) % ${COMMUNES.length}], s.id, md5(s.n || '-' || k)
     from bench_structure s cross join generate_series(0, 1) k`,
  );
  await q(
    'place numbers',
    `create table bench_place as
     select s.n as sn, substr(p.source_id, length(p.source_id))::int as k, p.id, p.nom, p.code_insee
     from place p join bench_structure s on s.id = p.structure_id where p.source = 'bench'`,
  );
  await q(
    'identified people',
    `insert into activity_beneficiary (structure_id, first_name, gender, age_band, social_status, commune_code,
       consent_at, retain_until)
     select s.id, 'Personne ' || k,
       (array['masculin','feminin','non_communique'])[1 + k % 3],
       (array['moins_de_douze','douze_dix_huit','dix_huit_vingt_quatre','vingt_cinq_trente_neuf',
         'quarante_cinquante_neuf','soixante_soixante_neuf','soixante_dix_plus','non_communique'])[1 + (k * 7) % 8],
       (array['scolarise','sans_emploi','en_emploi','retraite','non_communique'])[1 + (k * 3) % 5],
       case when k % 10 = 0 then null else (${textArray(COMMUNES)})[1 + (k + s.n) % ${COMMUNES.length}] end,
       now(), date '2029-01-01'
     from bench_structure s cross join generate_series(0, ${PEOPLE_PER_STRUCTURE - 1}) k`,
  );
  await q(
    'people numbers',
    `create table bench_person as
     select s.n as sn, (row_number() over (partition by b.structure_id order by b.id) - 1)::int as k, b.id
     from activity_beneficiary b join bench_structure s on s.id = b.structure_id`,
  );
  // Structures of uneven sizes (a few big ones), days spread over three years, 80 % individual.
  await q(
    'activity records',
    `insert into activity (structure_id, kind, date, duration_minutes, place_kind, place_id, place_name,
       commune_code, postal_code, themes, equipment, autonomy, oriented, redirection, beneficiary_commune_code,
       workshop_title, workshop_level)
     select s.id, x.kind, x.day,
       (array[10, 15, 20, 30, 45, 60, 90, 120, 150, 180])[1 + floor(x.du * 10)::int],
       x.place_kind,
       case when x.place_kind = 'lieu_activite' then p.id end,
       case when x.place_kind = 'lieu_activite' then p.nom end,
       case when x.place_kind = 'lieu_activite' then p.code_insee
         when x.place_kind in ('domicile', 'autre') then (${textArray(COMMUNES)})[1 + floor(x.c * ${COMMUNES.length})::int] end,
       case when x.place_kind in ('lieu_activite', 'domicile', 'autre') then '45000' end,
       case when x.t2 < 0.25 then array[(${textArray(DIGITAL)})[1 + floor(x.th * ${DIGITAL.length})::int],
           'aide_aux_demarches_administratives', (${textArray(ADMINISTRATIVE)})[1 + floor(x.t2 * 4 * ${ADMINISTRATIVE.length})::int]]
         when x.t2 < 0.5 then array[(${textArray(DIGITAL)})[1 + floor(x.th * ${DIGITAL.length})::int],
           (${textArray(DIGITAL)})[1 + floor((x.t2 - 0.25) * 4 * ${DIGITAL.length})::int]]
         else array[(${textArray(DIGITAL)})[1 + floor(x.th * ${DIGITAL.length})::int]] end,
       case when x.eq < 0.3 then '{ordinateur}' when x.eq < 0.6 then '{telephone}' when x.eq < 0.7 then '{tablette}'
         when x.eq < 0.75 then '{ordinateur,telephone}' else '{}' end::text[],
       case when x.kind = 'individuel' then
         case when x.au < 0.3 then 'entierement_accompagne' when x.au < 0.6 then 'partiellement_autonome'
           when x.au < 0.8 then 'autonome' end end,
       case when x.kind = 'individuel' then case when x.orr < 0.5 then null when x.orr < 0.8 then false else true end end,
       case when x.kind = 'individuel' and x.orr >= 0.8 then (${textArray(REDIRECTIONS)})[1 + floor((x.orr - 0.8) * 35)::int] end,
       case when x.kind = 'individuel' and x.c < 0.9 then (${textArray(COMMUNES)})[1 + floor(x.c / 0.9 * ${COMMUNES.length})::int] end,
       case when x.kind = 'collectif' then 'Atelier ' || (1 + floor(x.th * 40)::int) end,
       case when x.kind = 'collectif' then (array['debutant','intermediaire','avance'])[1 + floor(x.au * 3)::int] end
     from (
       select g, least(${STRUCTURES - 1}, floor(power(random(), 1.6) * ${STRUCTURES}))::int as sn,
         case when random() < 0.8 then 'individuel' else 'collectif' end as kind,
         date '${FIRST_DAY}' + floor(random() * (date '${LAST_DAY}' - date '${FIRST_DAY}' + 1))::int as day,
         random() as du, random() as c, random() as th, random() as t2, random() as eq, random() as au,
         random() as orr,
         (array['lieu_activite','lieu_activite','lieu_activite','lieu_activite','lieu_activite','lieu_activite',
           'lieu_activite','domicile','a_distance','autre'])[1 + floor(random() * 10)::int] as place_kind,
         floor(random() * 2)::int as pk
       from generate_series(1, ${RECORDS}) g
     ) x
     join bench_structure s on s.n = x.sn
     join bench_place p on p.sn = x.sn and p.k = x.pk`,
  );
  await q(
    'anonymous counts (individual: one person)',
    `insert into activity_participants (activity_id, total, already_accompanied, gender_masculin, gender_feminin,
       gender_non_communique, age_moins_de_douze, age_douze_dix_huit, age_dix_huit_vingt_quatre,
       age_vingt_cinq_trente_neuf, age_quarante_cinquante_neuf, age_soixante_soixante_neuf, age_soixante_dix_plus,
       age_non_communique, status_scolarise, status_sans_emploi, status_en_emploi, status_retraite,
       status_non_communique)
     select id, 1, (r3 < 0.4)::int, (r1 < 0.45)::int, (r1 >= 0.45 and r1 < 0.9)::int, (r1 >= 0.9)::int,
       (a = 0)::int, (a = 1)::int, (a = 2)::int, (a = 3)::int, (a = 4)::int, (a = 5)::int, (a = 6)::int, (a = 7)::int,
       (st = 0)::int, (st = 1)::int, (st = 2)::int, (st = 3)::int, (st = 4)::int
     from (select id, random() as r1, floor(random() * 8)::int as a, floor(random() * 5)::int as st, random() as r3
       from activity where kind = 'individuel') x`,
  );
  await q(
    'anonymous counts (workshops: 2 to 12)',
    `insert into activity_participants (activity_id, total, already_accompanied, gender_masculin, gender_feminin,
       gender_non_communique, age_vingt_cinq_trente_neuf, age_soixante_soixante_neuf, age_non_communique,
       status_retraite, status_non_communique)
     select id, t, floor(t * r3)::int, m, floor((t - m) * r2)::int, t - m - floor((t - m) * r2)::int,
       floor(t * r2)::int, floor((t - floor(t * r2)::int) * r3)::int,
       t - floor(t * r2)::int - floor((t - floor(t * r2)::int) * r3)::int,
       floor(t * r3)::int, t - floor(t * r3)::int
     from (select id, t, r2, r3, floor(t * r1)::int as m
       from (select id, 2 + floor(random() * 11)::int as t, random() as r1, random() as r2, random() as r3
         from activity where kind = 'collectif') y) x`,
  );
  await q(
    'links to identified people (8 % of individual records)',
    `insert into activity_beneficiary_link (activity_id, beneficiary_id, first_time)
     select x.id, b.id, x.f < 0.3
     from (select a.id, s.n as sn, floor(random() * ${PEOPLE_PER_STRUCTURE})::int as k, random() as f
       from activity a join bench_structure s on s.id = a.structure_id
       where a.kind = 'individuel' and random() < 0.08) x
     join bench_person b on b.sn = x.sn and b.k = x.k`,
  );
  await q(
    'links to identified people (10 % of workshops, two each)',
    `insert into activity_beneficiary_link (activity_id, beneficiary_id, first_time)
     select x.id, b.id, x.f < 0.2
     from (select a.id, s.n as sn, floor(random() * ${PEOPLE_PER_STRUCTURE - 1})::int as k, random() as f
       from activity a join bench_structure s on s.id = a.structure_id
       where a.kind = 'collectif' and random() < 0.1) x
     join bench_person b on b.sn = x.sn and b.k in (x.k, x.k + 1)`,
  );
  await q(
    'funders',
    `insert into funder (name) select 'Financeur ' || f from generate_series(1, ${FUNDERS}) f`,
  );
  // Each funder funds a quarter of the structures, from a day of 2024 to a day of 2026 or still.
  await q(
    'fundings',
    `insert into funding (funder_id, structure_id, starts_on, ends_on)
     select f.id, s.id, date '2024-01-01' + (s.n * 37) % 300,
       case when s.n % 3 = 0 then date '2026-01-01' + (s.n * 53) % 300 end
     from (select id, (row_number() over (order by name) - 1)::int as fn from funder) f
     join bench_structure s on s.n % ${FUNDERS} = f.fn`,
  );
  await client.query('set session_replication_role = origin');
  // The sums as migrations 0042 and 0046 build them for the records already there (every sum table):
  // their own statements.
  for (const file of ['0042_activity_statistics_coarser.sql', '0046_activity_statistics_structure_day.sql']) {
    const migration = fs.readFileSync(path.join(import.meta.dirname, '../src/db/migrations', file), 'utf8');
    const rebuild = migration.slice(migration.indexOf('-- The records already there'));
    await q(`sums rebuilt by the statements of ${file.slice(0, 4)}`, rebuild);
  }
  const t0 = performance.now();
  await client.query('vacuum analyze');
  log(`  vacuum analyze in ${elapsed(t0)}`);
}

// --- requests ---------------------------------------------------------------------------------------

interface Setup {
  structures: { id: string; places: string[] }[];
  funders: { id: string; fundings: { structureId: string; from: string; to: string | null }[] }[];
}

type Perimeter =
  | { kind: 'structure'; structureId: string }
  | { kind: 'network' }
  | { kind: 'funder'; funderId: string };

interface Request {
  perimeter: Perimeter;
  query: Record<string, string>;
}

const iso = (dayNumber: number) => new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
const dayOf = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const french = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

function requests(setup: Setup): Request[] {
  const r = seededRandom(20_261_207);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: Request[] = [];
  const seen = new Set<string>();
  while (out.length < REQUESTS) {
    const roll = r();
    const query: Record<string, string> = {};
    let perimeter: Perimeter;
    let structure: Setup['structures'][number] | null = null;
    if (roll < 0.35) {
      structure = pick(setup.structures);
      perimeter = { kind: 'structure', structureId: structure.id };
    } else if (roll < 0.7) {
      perimeter = { kind: 'network' };
      if (r() < 0.4) structure = pick(setup.structures);
    } else {
      const funder = pick(setup.funders);
      perimeter = { kind: 'funder', funderId: funder.id };
      if (r() < 0.3) {
        const id = pick(funder.fundings).structureId;
        structure = setup.structures.find((s) => s.id === id) ?? null;
      }
    }
    if (structure !== null && perimeter.kind !== 'structure') query.structure = structure.id;
    if (structure !== null && r() < 0.25) query.lieu = pick(structure.places);
    if (r() < 0.3) query.periode = pick(['mois', 'trimestre', 'annee', 'annee-precedente', '12mois']);
    else {
      // Chosen days: edges anywhere in a month, from a week to three years.
      const from = dayOf(FIRST_DAY) + Math.floor(r() * (dayOf(LAST_DAY) - dayOf(FIRST_DAY) - 7));
      const length = pick([7, 20, 45, 92, 200, 365, 500, 800, 1090]);
      const to = Math.min(from + length, dayOf(LAST_DAY));
      query.du = r() < 0.5 ? french(iso(from)) : iso(from);
      query.au = french(iso(to));
    }
    query.par = pick(['mois', 'mois', 'trimestre', 'annee']);
    const kindRoll = r();
    if (kindRoll < 0.2) query.type = 'individuel';
    else if (kindRoll < 0.3) query.type = 'collectif';
    if (r() < 0.1) query.thematique = pick(DIGITAL);
    const key = JSON.stringify([perimeter, Object.entries(query).sort()]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ perimeter, query });
  }
  return out;
}

// --- the baseline: plain GROUP BY over the raw tables ------------------------------------------------

interface Scope {
  segments: { ids: string[] | null; from: string; to: string }[];
  kind: string | null;
  theme: string | null;
  structureId: string | null;
  placeId: string | null;
}

function scopeOf(setup: Setup, req: Request, view: StatisticsView): Scope {
  const q = view.query;
  let segments: Scope['segments'];
  if (req.perimeter.kind === 'network') segments = [{ ids: null, from: q.from, to: q.to }];
  else if (req.perimeter.kind === 'structure')
    segments = [{ ids: [req.perimeter.structureId], from: q.from, to: q.to }];
  else {
    const funderId = req.perimeter.funderId;
    const funder = setup.funders.find((f) => f.id === funderId);
    segments = (funder?.fundings ?? [])
      .map((f) => ({
        ids: [f.structureId],
        from: [f.from, q.from].sort()[1] as string,
        to: f.to !== null && f.to < q.to ? f.to : q.to,
      }))
      .filter((g) => g.from <= g.to);
  }
  return { segments, kind: q.kind, theme: q.theme, structureId: q.structureId, placeId: q.placeId };
}

/** The WHERE clause of a scope, its parameters appended to `params`. */
function whereOf(scope: Scope, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const segments =
    scope.segments.length === 0
      ? 'false'
      : scope.segments
          .map(
            (g) =>
              `(a.date between ${p(g.from)}::date and ${p(g.to)}::date${
                g.ids === null ? '' : ` and a.structure_id = any (${p(g.ids)}::uuid[])`
              })`,
          )
          .join(' or ');
  return `(${segments})${scope.kind === null ? '' : ` and a.kind = ${p(scope.kind)}`}${
    scope.theme === null ? '' : ` and ${p(scope.theme)} = any (a.themes)`
  }${scope.structureId === null ? '' : ` and a.structure_id = ${p(scope.structureId)}::uuid`}${
    scope.placeId === null ? '' : ` and a.place_id = ${p(scope.placeId)}::uuid`
  }`;
}

type Figures = Map<string, number>;

/** Every figure of the page by plain GROUP BY over activity, its counts and its links. */
async function baseline(client: pg.Client, scope: Scope): Promise<Figures> {
  const params: unknown[] = [];
  const where = whereOf(scope, params);
  const r = await client.query<{ dim: string; key: string | null; n: number }>(
    `with s as materialized (
       select a.kind, a.date, a.duration_minutes, a.place_kind, a.place_id, a.structure_id, a.themes, a.equipment,
         a.autonomy, a.oriented, a.redirection, a.beneficiary_commune_code, a.voucher_entry_id, a.workshop_id,
         coalesce(pl.code_insee, a.commune_code) as commune, coalesce(l.n, 0) as identified,
         coalesce(l.first, 0) as identified_first,
         case when a.kind = 'individuel' and coalesce(l.n, 0) > 0 then 0 else coalesce(p.total, 0) end as anonymous,
         case when a.kind = 'individuel' and coalesce(l.n, 0) > 0 then 0
           else coalesce(p.total - p.already_accompanied, 0) end as anonymous_first,
         p.gender_masculin, p.gender_feminin, p.gender_non_communique
       from activity a
       left join activity_participants p on p.activity_id = a.id
       left join place pl on pl.id = a.place_id
       left join (select activity_id, count(*)::int as n, count(*) filter (where first_time)::int as first
         from activity_beneficiary_link group by activity_id) l on l.activity_id = a.id
       where ${where}
     )
     select 'activities' as dim, kind as key, count(*)::int as n from s group by kind
     union all select 'accompaniments', kind, sum(identified + anonymous)::int from s group by kind
     union all select 'anonymous', '', coalesce(sum(anonymous), 0)::int from s
     union all select 'first_time', '', coalesce(sum(identified_first + anonymous_first), 0)::int from s
     union all select 'duration', case when duration_minutes < 30 then '30' when duration_minutes < 60 then '60'
       when duration_minutes < 120 then '120' else 'more' end, sum(identified + anonymous)::int from s group by 2
     union all select 'place_kind', place_kind, sum(identified + anonymous)::int from s group by 2
     union all select 'commune', coalesce(commune, ''), sum(identified + anonymous)::int from s group by 2
     union all select 'structure', structure_id::text, sum(identified + anonymous)::int from s group by 2
     union all select 'place', place_id::text, sum(identified + anonymous)::int from s where place_id is not null group by 2
     union all select 'month', to_char(date, 'YYYY-MM'), sum(identified + anonymous)::int from s group by 2
     union all select 'theme', t.v, sum(identified + anonymous)::int from s cross join unnest(s.themes) t(v) group by 2
     union all select 'equipment', e.v, sum(identified + anonymous)::int from s cross join unnest(s.equipment) e(v) group by 2
     union all select 'autonomy', coalesce(autonomy, 'non_communique'), sum(identified + anonymous)::int
       from s where kind = 'individuel' group by 2
     union all select 'gender_anonymous', 'masculin', coalesce(sum(gender_masculin), 0)::int from s where anonymous > 0
     union all select 'residence_anonymous', coalesce(beneficiary_commune_code, ''), sum(anonymous)::int
       from s where anonymous > 0 group by 2
     union all select 'people', '', count(distinct k.beneficiary_id)::int
       from activity a join activity_beneficiary_link k on k.activity_id = a.id where ${where}`,
    params,
  );
  const out: Figures = new Map();
  for (const row of r.rows) out.set(`${row.dim}|${row.key ?? ''}`, row.n);
  return out;
}

/** The service's figures under the baseline's keys (shares by key; empty shares dropped on both sides). */
function figuresOfView(view: StatisticsView): Figures {
  const f = view.figures;
  const out: Figures = new Map();
  out.set('activities|individuel', f.activities.individuel);
  out.set('activities|collectif', f.activities.collectif);
  out.set('accompaniments|individuel', f.accompaniments.individuel);
  out.set('accompaniments|collectif', f.accompaniments.collectif);
  out.set('anonymous|', f.anonymousParticipants);
  out.set('first_time|', f.firstTimeAccompaniments);
  out.set('people|', f.people);
  const add = (dim: string, shares: readonly Share[]) => {
    for (const s of shares) out.set(`${dim}|${s.key}`, (out.get(`${dim}|${s.key}`) ?? 0) + s.count);
  };
  add('duration', f.byDuration);
  add('place_kind', f.byPlaceKind);
  add('commune', f.byCommune);
  add('structure', f.byStructure);
  add('place', f.byPlace);
  add('theme', f.byTheme);
  add('theme', f.byAdministrativeTheme);
  add('equipment', f.byEquipment);
  add('autonomy', f.byAutonomy);
  if (view.query.grouping === 'mois') add('month', f.overTime);
  return out;
}

const COMPARED = new Set([
  'activities',
  'accompaniments',
  'anonymous',
  'first_time',
  'people',
  'duration',
  'place_kind',
  'commune',
  'structure',
  'place',
  'theme',
  'equipment',
  'autonomy',
  'month',
]);

/** The figures on which the two disagree (zero and absent are the same; months when grouped by month). */
function disagreements(service: Figures, base: Figures): string[] {
  const byMonth = [...service.keys()].some((k) => k.startsWith('month|'));
  const out: string[] = [];
  for (const key of new Set([...service.keys(), ...base.keys()])) {
    const dim = key.split('|')[0] as string;
    if (!COMPARED.has(dim) || (dim === 'month' && !byMonth)) continue;
    const a = service.get(key) ?? 0;
    const b = base.get(key) ?? 0;
    if (a !== b) out.push(`${key}: service ${a}, baseline ${b}`);
  }
  return out;
}

// --- the run ----------------------------------------------------------------------------------------

async function serve(db: Db, setup: Setup, req: Request, actors: Actors): Promise<StatisticsView> {
  const opts = { now: NOW };
  if (req.perimeter.kind === 'structure')
    return structureStatistics(
      db,
      actors.staff,
      { structureId: req.perimeter.structureId, structureName: 'Structure', query: req.query },
      opts,
    );
  if (req.perimeter.kind === 'network')
    return networkStatistics(db, actors.coordinator, { query: req.query }, opts);
  const funderId = req.perimeter.funderId;
  void setup;
  return funderStatistics(db, actors.funder(funderId), { funderId, query: req.query }, opts);
}

interface Actors {
  staff: Actor;
  coordinator: Actor;
  funder: (id: string) => Actor;
}

/** A day of the scope where a new record counts: mid-month of a whole month when there is one. */
function dayIn(scope: Scope): { structureId: string | null; day: string } | null {
  for (const g of scope.segments) {
    const ids = scope.structureId !== null ? [scope.structureId] : g.ids;
    if (ids !== null && scope.structureId !== null && g.ids !== null && !g.ids.includes(scope.structureId))
      continue;
    let m = `${g.from.slice(0, 7)}-01`;
    if (m < g.from) {
      const [y, mo] = m.split('-').map(Number) as [number, number];
      m = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
    }
    const [y, mo] = m.split('-').map(Number) as [number, number];
    const monthEnd = iso(
      dayOf(mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`) - 1,
    );
    const day = monthEnd <= g.to ? `${m.slice(0, 8)}15` : g.to;
    return { structureId: ids === null ? null : (ids[0] as string), day };
  }
  return null;
}

let opened: Db | undefined;
let client: pg.Client | undefined;
let exitCode = 0;
try {
  const tAll = performance.now();
  await benchDb.create();
  const db = kyselyOverPostgres(benchDb.url, 4);
  opened = db;
  await migrate(db);
  client = new pg.Client({ connectionString: benchDb.url });
  await client.connect();
  log(
    `generating ${RECORDS} activity records (set-based SQL, triggers off, sums rebuilt as migrations 0042 and 0046 do)…`,
  );
  const tLoad = performance.now();
  await generate(client);
  const loadSeconds = Math.round((performance.now() - tLoad) / 100) / 10;
  log(`  loaded in ${loadSeconds} s`);
  const counts = (
    await client.query<{ records: number; links: number; sums: number }>(
      `select (select count(*) from activity)::int as records,
        (select count(*) from activity_beneficiary_link)::int as links,
        (select count(*) from activity_stats_month)::int as sums`,
    )
  ).rows[0] as { records: number; links: number; sums: number };
  log(
    `  ${counts.records} records, ${counts.links} links to identified people, ${counts.sums} monthly-sum rows`,
  );

  const structureRows = (
    await client.query<{ id: string; places: string[] }>(
      `select s.id, array_agg(p.id::text order by p.k) as places
       from bench_structure s join bench_place p on p.sn = s.n group by s.id, s.n order by s.n`,
    )
  ).rows;
  const fundingRows = (
    await client.query<{
      funder_id: string;
      structure_id: string;
      starts_on: string;
      ends_on: string | null;
    }>(
      `select funder_id, structure_id, to_char(starts_on, 'YYYY-MM-DD') as starts_on,
        to_char(ends_on, 'YYYY-MM-DD') as ends_on from funding order by funder_id, structure_id`,
    )
  ).rows;
  const setup: Setup = {
    structures: structureRows,
    funders: [...new Set(fundingRows.map((f) => f.funder_id))].map((id) => ({
      id,
      fundings: fundingRows
        .filter((f) => f.funder_id === id)
        .map((f) => ({ structureId: f.structure_id, from: f.starts_on, to: f.ends_on })),
    })),
  };
  const personId = (
    await client.query<{ id: string }>(
      `insert into person (email, display_name) values ('mediation@example.org', 'mediation') returning id`,
    )
  ).rows[0]?.id as string;
  const actors: Actors = {
    staff: {
      kind: 'person',
      personId,
      networkRole: null,
      memberships: setup.structures.map((s) => ({ structureId: s.id, role: 'staff' as const })),
    },
    coordinator: { kind: 'person', personId, networkRole: 'coordinator', memberships: [] },
    funder: (id) => ({ kind: 'person', personId, networkRole: 'funder', memberships: [], funderIds: [id] }),
  };

  // Warm-up (not measured): the modules and data the first page loads (commune names…), with a period
  // of two days that the generated requests never ask.
  await serve(
    db,
    setup,
    { perimeter: { kind: 'network' }, query: { du: '2025-02-03', au: '2025-02-04' } },
    actors,
  );
  const list = requests(setup);
  log(`${list.length} distinct dashboard requests through the statistics service (no cache)…`);
  const dashboard: number[] = [];
  const dashboardSampled: number[] = [];
  const dashboardTheme: number[] = [];
  const dashboardNoTheme: number[] = [];
  const base: number[] = [];
  const timed: { ms: number; req: Request }[] = [];
  let insertsChecked = 0;
  let comparisons = 0;
  let figuresCompared = 0;
  const mismatches: string[] = [];
  const failures: string[] = [];
  const tRun = performance.now();
  let insertDue = false;
  for (const [i, req] of list.entries()) {
    let expected: number | null = null;
    if (i % 10 === 9) insertDue = true;
    if (insertDue) {
      // One new record through the product's service (the triggers run), inside this request's scope.
      const probe = await serve(db, setup, { ...req, query: { ...req.query } }, actors).catch(() => null);
      if (probe === null) throw new Error(`request ${i} failed`);
      const scope = scopeOf(setup, req, probe);
      const target = dayIn(scope);
      if (target === null) log(`  request ${i}: empty scope, the record goes before the next request`);
      else {
        insertDue = false;
        const structureId =
          target.structureId ?? (setup.structures[i % setup.structures.length]?.id as string);
        const places = setup.structures.find((s) => s.id === structureId)?.places ?? [];
        const params: unknown[] = [];
        const before = (
          await client.query<{ n: number }>(
            `select count(*)::int as n from activity a where ${whereOf(scope, params)}`,
            params,
          )
        ).rows[0]?.n as number;
        const collective = scope.kind === 'collectif';
        const created = await recordActivity(
          db,
          actors.staff,
          {
            structureId,
            values: {
              kind: collective ? 'collectif' : 'individuel',
              date: french(target.day),
              duration: '45',
              placeKind: 'lieu_activite',
              placeId: scope.placeId ?? (places[0] as string),
              themes: [scope.theme ?? 'navigation_sur_internet'],
              equipment: ['telephone'],
              ...(collective
                ? { workshopTitle: 'Atelier du banc', workshopLevel: 'debutant', participantsTotal: '3' }
                : {}),
            },
          },
          { now: NOW },
        );
        if (!created.ok) throw new Error(`recordActivity refused: ${JSON.stringify(created)}`);
        expected = before + 1;
      }
    }
    const t0 = performance.now();
    const view = await serve(db, setup, req, actors);
    const ms = performance.now() - t0;
    dashboard.push(ms);
    timed.push({ ms, req });
    (req.query.thematique ? dashboardTheme : dashboardNoTheme).push(ms);
    if (Object.keys(view.errors).length > 0)
      failures.push(`request ${i} refused: ${JSON.stringify(view.errors)} for ${JSON.stringify(req.query)}`);
    if (expected !== null) {
      if (view.figures.activities.total === expected) insertsChecked++;
      else
        failures.push(
          `request ${i}: ${view.figures.activities.total} records, ${expected} expected after the insert`,
        );
    }
    if (i % BASELINE_EVERY === 0) {
      const scope = scopeOf(setup, req, view);
      const tb = performance.now();
      const figures = await baseline(client, scope);
      base.push(performance.now() - tb);
      dashboardSampled.push(ms);
      const service = figuresOfView(view);
      const diff = disagreements(service, figures);
      comparisons++;
      figuresCompared += service.size;
      if (diff.length > 0)
        mismatches.push(`request ${i} ${JSON.stringify(req)}: ${diff.slice(0, 5).join('; ')}`);
    }
    if (i % 20 === 19)
      log(`  ${i + 1} requests, ${elapsed(tRun)}; dashboard p95 so far ${percentile(dashboard, 0.95)} ms`);
  }
  // The slowest requests, to see which kinds of page make the p95.
  log('slowest requests:');
  for (const { ms, req } of [...timed].sort((a, b) => b.ms - a.ms).slice(0, 15)) {
    const q = req.query;
    const period = q.periode ?? `${q.du} → ${q.au}`;
    const filters = [
      q.structure ? 'structure' : '',
      q.lieu ? 'lieu' : '',
      q.type ?? '',
      q.thematique ? `thématique ${q.thematique}` : '',
    ].filter(Boolean);
    log(
      `  ${ms.toFixed(1)} ms  ${req.perimeter.kind}, ${period}, par ${q.par}${filters.length ? `, ${filters.join(', ')}` : ''}`,
    );
  }
  // Where the service's time goes, on the sampled requests: the sums of whole months (the network's,
  // the structures' or, under a place filter, migration 0036's), the days of the first and last months
  // (the daily sums, or the records under a theme or place filter), the identified people; and how many
  // sum rows come back.
  const parts = {
    sums: [] as number[],
    edges: [] as number[],
    identified: [] as number[],
    sumRows: [] as number[],
  };
  for (const [i, req] of list.entries()) {
    if (i % BASELINE_EVERY !== 0) continue;
    const view = await serve(db, setup, req, actors);
    const q = view.query;
    const scope: StatisticsScope =
      req.perimeter.kind === 'network'
        ? { kind: 'network' }
        : req.perimeter.kind === 'structure'
          ? { kind: 'structures', ids: [req.perimeter.structureId] }
          : {
              kind: 'fundings',
              fundings:
                setup.funders.find((f) => f.id === (req.perimeter as { funderId: string }).funderId)
                  ?.fundings ?? [],
            };
    const segments = narrowed(scope, q);
    const { whole, edges } = q.theme !== null ? { whole: [], edges: segments } : splitMonths(segments);
    const fromRecords = q.theme !== null || q.placeId !== null;
    let t = performance.now();
    const sums = await monthSumRows(db, whole, q);
    parts.sums.push(performance.now() - t);
    parts.sumRows.push(sums.length);
    t = performance.now();
    if (edges.length > 0) await (fromRecords ? statisticsRows(db, edges, q) : daySumRows(db, edges, q));
    parts.edges.push(performance.now() - t);
    t = performance.now();
    await (q.theme === null ? peopleRows(db, segments, q) : identifiedRows(db, segments, q));
    parts.identified.push(performance.now() - t);
  }
  log(
    `service parts on the sampled requests (p95): sums of whole months ${percentile(parts.sums, 0.95)} ms (up to ${percentile(parts.sumRows, 1)} rows returned), first and last months ${percentile(parts.edges, 0.95)} ms, identified people ${percentile(parts.identified, 0.95)} ms`,
  );
  const sizes = (
    await client.query<{ t: string; n: number }>(
      `select 'activity_stats_month' as t, count(*)::int as n from activity_stats_month
       union all select 'activity_stats_structure_month', count(*)::int from activity_stats_structure_month
       union all select 'activity_stats_network_month', count(*)::int from activity_stats_network_month
       union all select 'activity_stats_network_day', count(*)::int from activity_stats_network_day
       union all select 'activity_stats_structure_day', count(*)::int from activity_stats_structure_day
       union all select 'activity_stats_people_day', count(*)::int from activity_stats_people_day`,
    )
  ).rows;
  log(`sum tables: ${sizes.map((r) => `${r.t} ${r.n} rows`).join(', ')}`);
  const density = (
    await client.query<{ cells: number; rows: number }>(
      `select count(distinct (structure_id, month))::int as cells, count(*)::int as rows from activity_stats_month`,
    )
  ).rows[0] as { cells: number; rows: number };
  log(
    `monthly sums: ${density.rows} rows for ${density.cells} (structure, month) cells, ${Math.round(density.rows / Math.max(1, density.cells))} rows per cell`,
  );

  for (const m of mismatches.slice(0, 10)) log(`  MISMATCH ${m}`);
  for (const f of failures.slice(0, 10)) log(`  FAILURE ${f}`);

  const result = {
    records: (await client.query<{ n: number }>('select count(*)::int as n from activity')).rows[0]?.n ?? 0,
    requests: dashboard.length,
    dashboard_median_ms: percentile(dashboard, 0.5),
    dashboard_p95_ms: percentile(dashboard, 0.95),
    dashboard_max_ms: percentile(dashboard, 1),
    dashboard_p95_ms_without_theme_filter: percentile(dashboardNoTheme, 0.95),
    dashboard_p95_ms_theme_filter: percentile(dashboardTheme, 0.95),
    theme_filter_requests: dashboardTheme.length,
    baseline_samples: base.length,
    baseline_median_ms: percentile(base, 0.5),
    baseline_p95_ms: percentile(base, 0.95),
    dashboard_p95_ms_same_sample: percentile(dashboardSampled, 0.95),
    ratio_vs_baseline:
      Math.round((percentile(base, 0.95) / Math.max(0.1, percentile(dashboard, 0.95))) * 10) / 10,
    inserts_checked: insertsChecked,
    baseline_comparisons: comparisons,
    figures_compared: figuresCompared,
    mismatches: mismatches.length,
    failures: failures.length,
    monthly_sum_rows: counts.sums,
    service_sums_p95_ms: percentile(parts.sums, 0.95),
    service_edges_p95_ms: percentile(parts.edges, 0.95),
    service_identified_p95_ms: percentile(parts.identified, 0.95),
    sum_rows_returned_max: percentile(parts.sumRows, 1),
    identified_links: counts.links,
    load_seconds: loadSeconds,
    total_seconds: Math.round((performance.now() - tAll) / 1000),
    targets: TARGETS,
  };
  log(
    `dashboard: median ${result.dashboard_median_ms} ms, p95 ${result.dashboard_p95_ms} ms (theme filter p95 ${result.dashboard_p95_ms_theme_filter} ms); baseline: median ${result.baseline_median_ms} ms, p95 ${result.baseline_p95_ms} ms; ratio ${result.ratio_vs_baseline}`,
  );
  if (
    result.dashboard_p95_ms > TARGETS.dashboardP95Ms ||
    result.ratio_vs_baseline < TARGETS.ratioVsBaseline ||
    mismatches.length > 0 ||
    failures.length > 0
  )
    exitCode = 1;
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  log(`bench:stats failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await client?.end().catch(() => undefined);
  await opened?.destroy().catch(() => undefined);
  // BENCH_KEEP=1 keeps the database to look into (dropped by the next run).
  if (process.env.BENCH_KEEP !== '1')
    await benchDb.drop().catch((e) => log(`dropping the bench database: ${e}`));
}
process.exit(exitCode);
