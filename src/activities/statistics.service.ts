import { sql, type Transaction } from 'kysely';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { Database, Db } from '../db/database.ts';
import { fundedPeriods } from '../funders/funders.service.ts';
import { localToday } from '../places/place-dates.ts';
import { isUuid } from '../shared/ids.ts';
import { communeLabel } from './activity-links.service.ts';
import {
  type AnonymousRow,
  daySumRows,
  emptyTotals,
  monthSumRows,
  namesOf,
  peopleRows,
  placeChoices,
  type Segment,
  type StatisticsRows,
  type StatisticsScope,
  segmentsOf,
  statisticsRows,
  structureChoices,
} from './statistics.repository.ts';
import {
  bucketLabel,
  bucketOf,
  checkStatisticsQuery,
  type FieldErrors,
  LABELS,
  NOT_GIVEN,
  periodBuckets,
  type Share,
  STATISTICS_MESSAGES,
  type StatisticsFigures,
  type StatisticsQuery,
  shares,
  sharesOf,
  splitMonths,
} from './statistics.ts';
import {
  ACTIVITY_KIND_LABELS,
  ADMINISTRATIVE_THEME_LABELS,
  AGE_BAND_LABELS,
  DIGITAL_THEME_LABELS,
  GENDER_LABELS,
  SOCIAL_STATUS_LABELS,
} from './vocabulary.ts';

/**
 * Statistics of activity records (decision 0052), for three perimeters: a structure (its staff's
 * records), the network (the coordinators, who may narrow it to a structure) and a funder organisation
 * (the records of the structures it funds, on the days of each funding). The definitions are the Coop's:
 * the page says what each figure counts. Aggregates only: no record, no name.
 */

export interface StatisticsView {
  perimeter: { kind: 'structure' | 'network' | 'funder'; id: string | null; name: string };
  /** What was asked, as typed (the form shows it back). */
  asked: Record<string, string>;
  errors: FieldErrors;
  query: StatisticsQuery;
  figures: StatisticsFigures;
  structures: { id: string; name: string }[];
  places: { id: string; name: string }[];
}

type Input = Record<string, string | undefined>;
type Executor = Db | Transaction<Database>;
const todayOf = (opts: { now?: Date }) => localToday(opts.now ?? new Date());

/**
 * A structure's statistics: its records, for its staff and the coordinators. A period or a filter
 * refused comes back with its French message (and the figures of the last 12 months); a place of
 * another structure is refused naming the field.
 */
export async function structureStatistics(
  db: Db,
  actor: Actor,
  input: { structureId: string; structureName: string; query: Input },
  opts: { now?: Date } = {},
): Promise<StatisticsView> {
  const structureId = isUuid(input.structureId) ? input.structureId.toLowerCase() : input.structureId;
  authorize(actor, 'structureStatistics', { structureId });
  const places = (await placeChoices(db, [structureId])).map(({ id, name }) => ({ id, name }));
  return build(db, {
    perimeter: { kind: 'structure', id: structureId, name: input.structureName },
    scope: { kind: 'structures', ids: [structureId] },
    structures: [],
    places,
    input: { ...input.query, structure: '' },
    today: todayOf(opts),
  });
}

/** The network's statistics (all structures), for the coordinators; `structure` narrows it to one. */
export async function networkStatistics(
  db: Db,
  actor: Actor,
  input: { query: Input },
  opts: { now?: Date } = {},
): Promise<StatisticsView> {
  authorize(actor, 'networkStatistics');
  const structures = await structureChoices(db, null);
  const chosen = (input.query.structure ?? '').toLowerCase();
  const places = chosen !== '' && isUuid(chosen) ? await placeChoices(db, [chosen]) : [];
  return build(db, {
    perimeter: { kind: 'network', id: null, name: 'Tout le réseau' },
    scope: { kind: 'network' },
    structures,
    places: places.map(({ id, name }) => ({ id, name })),
    input: input.query,
    today: todayOf(opts),
  });
}

/**
 * A funder's statistics: the records of the structures it funds, on the days each funding covers, for
 * its own people and the coordinators — aggregates only. An unknown funder is a 404 (after the rule, so
 * a funder's person learns nothing of other funders).
 */
export async function funderStatistics(
  db: Db,
  actor: Actor,
  input: { funderId: string; query: Input },
  opts: { now?: Date } = {},
): Promise<StatisticsView> {
  const funderId = isUuid(input.funderId) ? input.funderId.toLowerCase() : input.funderId;
  authorize(actor, 'funderStatistics', { funderId });
  const funded = await fundedPeriods(db, funderId);
  const structures = [...new Map(funded.fundings.map((f) => [f.structureId, f.structureName])).entries()]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  const chosen = (input.query.structure ?? '').toLowerCase();
  const places = structures.some((s) => s.id === chosen) ? await placeChoices(db, [chosen]) : [];
  return build(db, {
    perimeter: { kind: 'funder', id: funderId, name: funded.name },
    scope: {
      kind: 'fundings',
      fundings: funded.fundings.map((f) => ({ structureId: f.structureId, from: f.from, to: f.to })),
    },
    structures,
    places: places.map(({ id, name }) => ({ id, name })),
    input: input.query,
    today: todayOf(opts),
  });
}

async function build(
  db: Db,
  o: {
    perimeter: StatisticsView['perimeter'];
    scope: StatisticsScope;
    structures: { id: string; name: string }[];
    places: { id: string; name: string }[];
    input: Input;
    today: string;
  },
): Promise<StatisticsView> {
  const asked = Object.fromEntries(
    ['periode', 'du', 'au', 'par', 'type', 'thematique', 'structure', 'lieu'].map((k) => [
      k,
      (o.input[k] ?? '').slice(0, 60),
    ]),
  );
  let checked = checkStatisticsQuery(asked, o.today);
  const errors: FieldErrors = checked.ok ? {} : { ...checked.errors };
  if (checked.ok) {
    const q = checked.query;
    // A structure or a place outside the perimeter is refused naming its field, never read.
    if (
      q.structureId !== null &&
      o.perimeter.kind !== 'structure' &&
      !o.structures.some((s) => s.id === q.structureId)
    )
      errors.structure = STATISTICS_MESSAGES.structure;
    if (q.placeId !== null && !o.places.some((p) => p.id === q.placeId))
      errors.lieu = STATISTICS_MESSAGES.place;
  }
  if (Object.keys(errors).length > 0) checked = checkStatisticsQuery({}, o.today);
  if (!checked.ok) throw new Error('the default period is always valid');
  const query = checked.query;
  const rows = await rowsOf(db, o.scope, query);
  return {
    perimeter: o.perimeter,
    asked,
    errors,
    query,
    figures: await figuresOf(db, rows, query),
    structures: o.structures,
    places: o.places,
  };
}

/** Dimensions of the sums that are breakdowns by value as they are. */
const SUMMED_DIMS = new Set([
  'duration',
  'place_kind',
  'autonomy',
  'orientation',
  'redirection',
  'commune',
  'theme',
  'equipment',
  'structure',
  'place',
]);
const ANONYMOUS_PREFIX: Record<string, string> = { gender: 'gender_', age: 'age_', status: 'status_' };

/**
 * The segments to read: the structure filter narrows the network (or a funder's fundings) to that
 * structure's segments, so that its sums and records are read by structure.
 */
export function narrowed(scope: StatisticsScope, q: StatisticsQuery): Segment[] {
  const segments = segmentsOf(scope, q.from, q.to);
  const id = q.structureId;
  if (id === null) return segments;
  return segments.filter((g) => g.ids === null || g.ids.includes(id)).map((g) => ({ ...g, ids: [id] }));
}

/**
 * The rows of the figures: whole months from the sums kept by the database (migrations 0036, 0042),
 * the days before and after them from the daily sums (the network's or the structures', migration 0046;
 * a place's records under the place filter),
 * the identified people from the people kept per day (a distinct count does not add up). A theme filter crosses two dimensions the sums do not keep: the records then.
 */
async function rowsOf(db: Db, scope: StatisticsScope, q: StatisticsQuery): Promise<StatisticsRows> {
  // One snapshot so the parts agree; no JIT: compiling a page's statements (estimated costly over a
  // million records) took longer than running them (bench:stats, decision 0052 addendum).
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      await sql`set local jit = off`.execute(tx);
      return readRows(tx, scope, q);
    });
}

async function readRows(db: Executor, scope: StatisticsScope, q: StatisticsQuery): Promise<StatisticsRows> {
  const segments = narrowed(scope, q);
  if (q.theme !== null) return statisticsRows(db, segments, q);
  const { whole, edges } = splitMonths(segments);
  // A place's first and last months from its records (a place's days are few); the others from the
  // daily sums, the network's or the structures'.
  const byPlace = q.placeId !== null;
  const [edgeRows, identified, monthSums, daySums] = await Promise.all([
    edges.length > 0 && byPlace ? statisticsRows(db, edges, q) : null,
    peopleRows(db, segments, q),
    monthSumRows(db, whole, q),
    byPlace ? [] : daySumRows(db, edges, q),
  ]);
  const out: StatisticsRows = edgeRows ?? {
    totals: emptyTotals(),
    breakdowns: [],
    identified: [],
    anonymous: [],
  };
  out.identified = identified;
  const t = out.totals;
  t.people = out.identified.reduce((sum, r) => sum + r.n, 0);
  for (const r of [...monthSums, ...daySums]) {
    if (r.dim === 'total') {
      t.activities += r.records;
      t.accompaniments += r.accompaniments;
      if (r.kind === 'individuel') {
        t.individuel += r.records;
        t.accompaniments_individuel += r.accompaniments;
      } else {
        t.collectif += r.records;
        t.accompaniments_collectif += r.accompaniments;
      }
      out.breakdowns.push(
        { dim: 'kind', key: r.kind, n: r.accompaniments },
        { dim: 'month', key: r.month, n: r.accompaniments },
      );
    } else if (SUMMED_DIMS.has(r.dim)) out.breakdowns.push({ dim: r.dim, key: r.key, n: r.accompaniments });
    else if (r.dim === 'anonymous') t.anonymous += r.accompaniments;
    else if (r.dim === 'first_time') t.first_time += r.accompaniments;
    else if (r.dim === 'voucher') t.vouchers += r.records;
    else if (r.dim === 'workshop') t.workshops += r.records;
    else if (r.dim === 'residence')
      out.anonymous.push({ ...NO_ANONYMOUS, commune: r.key === '' ? null : r.key, n: r.accompaniments });
    else if (ANONYMOUS_PREFIX[r.dim])
      out.anonymous.push({ ...NO_ANONYMOUS, [`${ANONYMOUS_PREFIX[r.dim]}${r.key}`]: r.accompaniments });
  }
  return out;
}

const NO_ANONYMOUS: AnonymousRow = {
  commune: null,
  n: 0,
  gender_masculin: 0,
  gender_feminin: 0,
  gender_non_communique: 0,
  age_moins_de_douze: 0,
  age_douze_dix_huit: 0,
  age_dix_huit_vingt_quatre: 0,
  age_vingt_cinq_trente_neuf: 0,
  age_quarante_cinquante_neuf: 0,
  age_soixante_soixante_neuf: 0,
  age_soixante_dix_plus: 0,
  age_non_communique: 0,
  status_scolarise: 0,
  status_sans_emploi: 0,
  status_en_emploi: 0,
  status_retraite: 0,
  status_non_communique: 0,
};

const byCountDesc = (a: Share, b: Share) => b.count - a.count || a.label.localeCompare(b.label, 'fr');

async function figuresOf(db: Db, rows: StatisticsRows, q: StatisticsQuery): Promise<StatisticsFigures> {
  const dim = (name: string) => {
    const m = new Map<string, number>();
    for (const r of rows.breakdowns)
      if (r.dim === name && r.key !== null) m.set(r.key, (m.get(r.key) ?? 0) + r.n);
    return m;
  };
  const months = dim('month');
  const buckets = new Map<string, number>();
  for (const [month, n] of months) {
    const key = bucketOf(`${month}-01`, q.grouping);
    buckets.set(key, (buckets.get(key) ?? 0) + n);
  }
  const overTime = shares(
    periodBuckets(q.from, q.to, q.grouping).map((key) => ({
      key,
      label: bucketLabel(key),
      count: buckets.get(key) ?? 0,
    })),
  );
  const structureCounts = dim('structure');
  const placeCounts = dim('place');
  const names = await namesOf(db, [...structureCounts.keys()], [...placeCounts.keys()]);
  const named = (m: Map<string, number>, labels: Map<string, string>, fallback: string) =>
    shares([...m.entries()].map(([key, count]) => ({ key, label: labels.get(key) ?? fallback, count }))).sort(
      byCountDesc,
    );
  const communeCounts = dim('commune');
  const communes = shares(
    [...communeCounts.entries()].map(([key, count]) => ({
      key,
      label: key === '' ? NOT_GIVEN : (communeLabel(key) ?? key),
      count,
    })),
  ).sort(byCountDesc);

  // Beneficiaries: identified people once each, anonymous participants once per record.
  const gender = new Map<string, number>();
  const age = new Map<string, number>();
  const status = new Map<string, number>();
  const residence = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number) => {
    if (n > 0) m.set(k, (m.get(k) ?? 0) + n);
  };
  for (const r of rows.identified) {
    add(gender, r.gender, r.n);
    add(age, r.age_band, r.n);
    add(status, r.social_status, r.n);
    add(residence, r.commune_code ?? '', r.n);
  }
  for (const r of rows.anonymous) {
    const rec = r as unknown as Record<string, number>;
    for (const k of Object.keys(GENDER_LABELS)) add(gender, k, rec[`gender_${k}`] ?? 0);
    for (const k of Object.keys(AGE_BAND_LABELS)) add(age, k, rec[`age_${k}`] ?? 0);
    for (const k of Object.keys(SOCIAL_STATUS_LABELS)) add(status, k, rec[`status_${k}`] ?? 0);
    add(residence, r.commune ?? '', r.n);
  }
  const t = rows.totals;
  const themes = dim('theme');
  return {
    from: q.from,
    to: q.to,
    activities: { total: t.activities, individuel: t.individuel, collectif: t.collectif },
    accompaniments: {
      total: t.accompaniments,
      individuel: t.accompaniments_individuel,
      collectif: t.accompaniments_collectif,
    },
    people: t.people,
    anonymousParticipants: t.anonymous,
    firstTimeAccompaniments: t.first_time,
    overTime,
    byKind: sharesOf(ACTIVITY_KIND_LABELS, dim('kind')),
    byDuration: sharesOf(LABELS.duration, dim('duration')),
    byPlaceKind: sharesOf(LABELS.placeKind, dim('place_kind')),
    byTheme: sharesOf(DIGITAL_THEME_LABELS, themes),
    byAdministrativeTheme: sharesOf(ADMINISTRATIVE_THEME_LABELS, themes),
    byEquipment: sharesOf(LABELS.equipment, dim('equipment')),
    byAutonomy: sharesOf({ ...LABELS.autonomy, non_communique: NOT_GIVEN }, dim('autonomy')),
    byOrientation: sharesOf(LABELS.orientation, dim('orientation')),
    byRedirection: sharesOf(LABELS.redirection, dim('redirection')),
    byStructure: named(structureCounts, names.structures, 'Structure supprimée'),
    byPlace: named(placeCounts, names.places, 'Lieu supprimé'),
    byCommune: communes,
    byResidence: shares(
      [...residence.entries()].map(([key, count]) => ({
        key,
        label: key === '' ? NOT_GIVEN : (communeLabel(key) ?? key),
        count,
      })),
    ).sort(byCountDesc),
    byGender: sharesOf(GENDER_LABELS, gender),
    byAge: sharesOf(AGE_BAND_LABELS, age),
    bySocialStatus: sharesOf(SOCIAL_STATUS_LABELS, status),
    vouchers: t.vouchers,
    workshops: t.workshops,
  };
}
