import { addDays, frenchDate, parseDateInput } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { spreadsheetCsv } from '../shared/spreadsheet.ts';
import { cleanLine } from '../shared/text.ts';
import {
  ACTIVITY_KIND_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_LABELS,
  EQUIPMENT_LABELS,
  FIRST_RECORD_DAY,
  GENDER_LABELS,
  PLACE_KIND_LABELS,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
  THEME_LABELS,
} from './vocabulary.ts';

/**
 * Statistics of activity records, pure (decision 0052): the period asked, the Coop's duration bands, the
 * French words of each figure and the rows of the exports. The definitions are the Coop's
 * (`mes-statistiques/_queries`, pinned): a figure by category counts accompaniments (one per person
 * accompanied by a record — an identified person or an anonymous participant); "personnes" counts
 * identified people, each once; anonymous participants are counted per record.
 */

/** The Coop's duration bands (`dureeAccompagnementStatisticsRanges`): [min, max) in minutes. */
export const DURATION_BANDS = [
  { key: '30', min: 0, max: 30, label: 'Moins de 30 min' },
  { key: '60', min: 30, max: 60, label: '30 min à 1 h' },
  { key: '120', min: 60, max: 120, label: '1 h à 2 h' },
  { key: 'more', min: 120, max: null, label: '2 h et plus' },
] as const;
export type DurationBand = (typeof DURATION_BANDS)[number]['key'];

export const GROUPINGS = { mois: 'Par mois', trimestre: 'Par trimestre', annee: 'Par année' } as const;
export type Grouping = keyof typeof GROUPINGS;

export const PERIOD_PRESETS = {
  mois: 'Ce mois-ci',
  trimestre: 'Ce trimestre',
  annee: 'Cette année civile',
  'annee-precedente': 'L’année civile précédente',
  '12mois': 'Les 12 derniers mois',
} as const;
export type PeriodPreset = keyof typeof PERIOD_PRESETS;

/** At most ten years in one view, as the funders' figures. */
export const PERIOD_MAX_DAYS = 3660;

export const STATISTICS_MESSAGES = {
  duInvalid: (v: string) =>
    `La date « ${v} » du champ « Du » n'est pas une date. Écrivez-la comme 01/01/2026.`,
  auInvalid: (v: string) =>
    `La date « ${v} » du champ « Au » n'est pas une date. Écrivez-la comme 31/12/2026.`,
  order: (from: string, to: string) =>
    `La fin de la période (champ « Au », ${frenchDate(to)}) est avant son début (champ « Du », ${frenchDate(from)}). Choisissez une fin le même jour ou après.`,
  future: (field: 'Du' | 'Au', day: string, today: string) =>
    `La date du champ « ${field} » (${frenchDate(day)}) est dans le futur : les statistiques s'arrêtent à aujourd'hui (${frenchDate(today)}).`,
  tooOld: (day: string) =>
    `La date du champ « Du » (${frenchDate(day)}) est avant le premier jour possible d'une activité (${frenchDate(FIRST_RECORD_DAY)}).`,
  tooLong: 'La période doit durer au plus dix ans (champ « Du ») : choisissez un début plus récent.',
  preset: (v: string) =>
    `La période « ${v} » n'existe pas (champ « Période »). Choisissez-en une dans la liste.`,
  grouping: (v: string) =>
    `Le regroupement « ${v} » n'existe pas (champ « Regrouper »). Choisissez mois, trimestre ou année.`,
  theme: (v: string) =>
    `La thématique « ${v} » n'existe pas (champ « Thématique »). Choisissez-en une dans la liste.`,
  kind: (v: string) => `Le type « ${v} » n'existe pas (champ « Type »). Choisissez individuel ou collectif.`,
  structure:
    "Cette structure n'est pas dans votre périmètre (champ « Structure »). Choisissez-en une dans la liste.",
  place: "Ce lieu n'est pas dans votre périmètre (champ « Lieu »). Choisissez-en un dans la liste.",
  noStructure:
    "Votre compte n'est rattaché à aucune structure : les statistiques d'une structure sont celles de son équipe.",
  format: (v: string) => `Le format « ${v} » n'existe pas : choisissez csv ou xlsx.`,
} as const;

export type FieldErrors = Record<string, string>;

/** The refusal of an export: the first field's message as a 400 (the page shows them all). */
export function exportRefusal(errors: FieldErrors): DomainError | null {
  const first = Object.entries(errors)[0];
  return first ? new DomainError('invalid_input', first[1], { field: first[0] }) : null;
}

export interface StatisticsQuery {
  from: string;
  to: string;
  grouping: Grouping;
  kind: 'individuel' | 'collectif' | null;
  theme: string | null;
  structureId: string | null;
  placeId: string | null;
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const quarterStart = (day: string) =>
  `${day.slice(0, 4)}-${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The days of a preset period, today (Europe/Paris) included; the past year is whole. */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  switch (preset) {
    case 'mois':
      return { from: monthStart(today), to: today };
    case 'trimestre':
      return { from: quarterStart(today), to: today };
    case 'annee':
      return { from: `${year}-01-01`, to: today };
    case 'annee-precedente':
      return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
    default: {
      // The current month and the eleven before it.
      const m = year * 12 + Number(today.slice(5, 7)) - 1 - 11;
      return { from: `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`, to: today };
    }
  }
}

/**
 * What a statistics page or export asks, checked: the period (a preset or chosen days, neither in the
 * future nor before the first possible record, the end on or after the start, at most ten years), the
 * grouping over time, and the filters. Every refusal names its field in French.
 */
export function checkStatisticsQuery(
  input: Record<string, string | undefined>,
  today: string,
): { ok: true; query: StatisticsQuery } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const text = (k: string) => cleanLine(input[k] ?? '').slice(0, 60);
  const duTyped = text('du');
  const auTyped = text('au');
  const presetTyped = text('periode');
  let from: string | null = null;
  let to: string | null = null;
  if (duTyped !== '' || auTyped !== '') {
    from = duTyped === '' ? null : parseDateInput(duTyped);
    to = auTyped === '' ? today : parseDateInput(auTyped);
    if (duTyped !== '' && from === null) errors.du = STATISTICS_MESSAGES.duInvalid(duTyped);
    if (auTyped !== '' && to === null) errors.au = STATISTICS_MESSAGES.auInvalid(auTyped);
    if (from === null && duTyped === '' && to !== null) from = monthStart(addDays(to, -335));
  } else {
    const preset = (presetTyped === '' ? '12mois' : presetTyped) as PeriodPreset;
    if (!(preset in PERIOD_PRESETS)) errors.periode = STATISTICS_MESSAGES.preset(presetTyped);
    else ({ from, to } = presetPeriod(preset, today));
  }
  if (from !== null && to !== null) {
    if (from > today) errors.du = STATISTICS_MESSAGES.future('Du', from, today);
    if (to > today) errors.au = STATISTICS_MESSAGES.future('Au', to, today);
    else if (to < from) errors.au = STATISTICS_MESSAGES.order(from, to);
    if (!errors.du && from < FIRST_RECORD_DAY) errors.du = STATISTICS_MESSAGES.tooOld(from);
    if (!errors.du && !errors.au && dayNumber(to) - dayNumber(from) > PERIOD_MAX_DAYS)
      errors.du = STATISTICS_MESSAGES.tooLong;
  }
  const groupingTyped = text('par');
  const grouping = (groupingTyped === '' ? 'mois' : groupingTyped) as Grouping;
  if (!(grouping in GROUPINGS)) errors.par = STATISTICS_MESSAGES.grouping(groupingTyped);
  const kindTyped = text('type');
  if (kindTyped !== '' && !(kindTyped in ACTIVITY_KIND_LABELS))
    errors.type = STATISTICS_MESSAGES.kind(kindTyped);
  const themeTyped = text('thematique');
  if (themeTyped !== '' && !(themeTyped in THEME_LABELS))
    errors.thematique = STATISTICS_MESSAGES.theme(themeTyped);
  const uuidOrNull = (k: string, message: string) => {
    const v = text(k).toLowerCase();
    if (v === '') return null;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) errors[k] = message;
    return v;
  };
  const structureId = uuidOrNull('structure', STATISTICS_MESSAGES.structure);
  const placeId = uuidOrNull('lieu', STATISTICS_MESSAGES.place);
  if (Object.keys(errors).length > 0 || from === null || to === null) return { ok: false, errors };
  return {
    ok: true,
    query: {
      from,
      to,
      grouping,
      kind: kindTyped === '' ? null : (kindTyped as 'individuel' | 'collectif'),
      theme: themeTyped === '' ? null : themeTyped,
      structureId,
      placeId,
    },
  };
}

/** The buckets of the period, in order, for a grouping ('2026-03', '2026-T1', '2026'). */
export function periodBuckets(from: string, to: string, grouping: Grouping): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endKey = bucketOf(to, grouping);
  for (;;) {
    const key = bucketOf(`${y}-${String(m).padStart(2, '0')}-01`, grouping);
    if (out.at(-1) !== key) out.push(key);
    if (key === endKey || out.length > 200) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export function bucketOf(day: string, grouping: Grouping): string {
  if (grouping === 'annee') return day.slice(0, 4);
  if (grouping === 'trimestre')
    return `${day.slice(0, 4)}-T${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
  return day.slice(0, 7);
}

const MONTH_NAMES = [
  'janv.',
  'févr.',
  'mars',
  'avr.',
  'mai',
  'juin',
  'juil.',
  'août',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];
/** A quarter's abbreviation for a chart's axis ("T1 2026"); other buckets' labels are short enough. */
export function bucketShort(key: string): string | undefined {
  return /^\d{4}-T\d$/.test(key) ? `T${key.slice(6)} ${key.slice(0, 4)}` : undefined;
}
export function bucketLabel(key: string): string {
  if (/^\d{4}-\d{2}$/.test(key)) return `${MONTH_NAMES[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
  if (/^\d{4}-T\d$/.test(key)) return `${key.slice(6)}e trimestre ${key.slice(0, 4)}`.replace(/^1e/, '1er');
  return key;
}

/**
 * Days split for the monthly sums (decision 0052): the whole months of each segment (as their first
 * days) are read from the monthly sums, the days before and after them from the daily sums (or, under a
 * place filter, from the records).
 */
export function splitMonths<T extends { from: string; to: string }>(
  segments: readonly T[],
): { whole: T[]; edges: T[] } {
  const whole: T[] = [];
  const edges: T[] = [];
  for (const g of segments) {
    const firstFull = g.from.endsWith('-01') ? g.from : nextMonthStart(g.from);
    const lastFullEnd = addDays(nextMonthStart(g.to), -1) === g.to ? g.to : addDays(monthStart(g.to), -1);
    if (firstFull > lastFullEnd) {
      edges.push(g);
      continue;
    }
    whole.push({ ...g, from: firstFull, to: monthStart(lastFullEnd) });
    if (g.from < firstFull) edges.push({ ...g, to: addDays(firstFull, -1) });
    if (g.to > lastFullEnd) edges.push({ ...g, from: addDays(lastFullEnd, 1) });
  }
  return { whole, edges };
}

function nextMonthStart(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

// ---------------------------------------------------------------------------------------------------
// The figures.
// ---------------------------------------------------------------------------------------------------

export interface Share {
  key: string;
  label: string;
  count: number;
  /** The Coop's `allocatePercentages`: per cent of the breakdown's sum, three decimals. */
  proportion: number;
}

export interface StatisticsFigures {
  from: string;
  to: string;
  /** Records (the Coop's `activites.total`), by kind. */
  activities: { total: number; individuel: number; collectif: number };
  /** Accompaniments: one per person accompanied by a record (the Coop's `accompagnements`). */
  accompaniments: { total: number; individuel: number; collectif: number };
  /** Identified people (followed persons), each once (the Coop's `beneficiaires.suivis`). */
  people: number;
  /** Anonymous participants, counted per record (the Coop's `beneficiaires.anonymes`). */
  anonymousParticipants: number;
  /** Accompaniments that were a first time (the Coop's `nouveaux`). */
  firstTimeAccompaniments: number;
  /** Accompaniments by period bucket. */
  overTime: Share[];
  /** Accompaniments by category (weighted as the Coop does). */
  byKind: Share[];
  byDuration: Share[];
  byPlaceKind: Share[];
  byTheme: Share[];
  byAdministrativeTheme: Share[];
  byEquipment: Share[];
  byAutonomy: Share[];
  byOrientation: Share[];
  byRedirection: Share[];
  byStructure: Share[];
  byPlace: Share[];
  /** Accompaniments by the commune where they took place (the place's, else the record's). */
  byCommune: Share[];
  /** Beneficiaries (people + anonymous participants) by commune of residence, gender, age, status. */
  byResidence: Share[];
  byGender: Share[];
  byAge: Share[];
  bySocialStatus: Share[];
  /** Records linked to a pass numérique redemption, to a workshop of the agenda (counts of records). */
  vouchers: number;
  workshops: number;
}

/** The Coop's `computeProportion`/`allocatePercentages`: three decimals, 0 when the sum is 0. */
export function allocatePercentages(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (total === 0 ? 0 : Math.round(100_000 * (v / total)) / 1000));
}

export function shares(rows: { key: string; label: string; count: number }[]): Share[] {
  const p = allocatePercentages(rows.map((r) => r.count));
  return rows.map((r, i) => ({ ...r, proportion: p[i] ?? 0 }));
}

/** Every value of a vocabulary, in its order, with its count (0 when absent). */
export function sharesOf(
  labels: Readonly<Record<string, string>>,
  counts: ReadonlyMap<string, number>,
): Share[] {
  return shares(Object.entries(labels).map(([key, label]) => ({ key, label, count: counts.get(key) ?? 0 })));
}

export const NOT_GIVEN = 'Non communiqué';

export const LABELS = {
  kind: ACTIVITY_KIND_LABELS,
  placeKind: PLACE_KIND_LABELS,
  theme: THEME_LABELS,
  equipment: EQUIPMENT_LABELS,
  autonomy: AUTONOMY_LABELS,
  redirection: REDIRECTION_LABELS,
  gender: GENDER_LABELS,
  age: AGE_BAND_LABELS,
  status: SOCIAL_STATUS_LABELS,
  duration: Object.fromEntries(DURATION_BANDS.map((b) => [b.key, b.label])) as Record<string, string>,
  orientation: { oui: 'Orienté vers une structure', non: 'Non orienté', non_communique: NOT_GIVEN },
} as const;

/** The sections of the page and of the exports, each saying what it counts. */
export const SECTIONS: readonly {
  key: keyof StatisticsFigures;
  title: string;
  head: string;
  counts: 'accompaniments' | 'beneficiaries';
}[] = [
  { key: 'overTime', title: 'Accompagnements dans le temps', head: 'Période', counts: 'accompaniments' },
  { key: 'byKind', title: 'Accompagnements par type d’activité', head: 'Type', counts: 'accompaniments' },
  { key: 'byDuration', title: 'Accompagnements par durée', head: 'Durée', counts: 'accompaniments' },
  {
    key: 'byPlaceKind',
    title: 'Accompagnements par type de lieu',
    head: 'Type de lieu',
    counts: 'accompaniments',
  },
  { key: 'byTheme', title: 'Accompagnements par thématique', head: 'Thématique', counts: 'accompaniments' },
  {
    key: 'byAdministrativeTheme',
    title: 'Accompagnements par thématique de démarche administrative',
    head: 'Démarche',
    counts: 'accompaniments',
  },
  {
    key: 'byEquipment',
    title: 'Accompagnements par matériel utilisé',
    head: 'Matériel',
    counts: 'accompaniments',
  },
  {
    key: 'byAutonomy',
    title: 'Accompagnements individuels par autonomie',
    head: 'Autonomie',
    counts: 'accompaniments',
  },
  {
    key: 'byOrientation',
    title: 'Accompagnements individuels par orientation',
    head: 'Orientation',
    counts: 'accompaniments',
  },
  {
    key: 'byRedirection',
    title: 'Orientations par structure de redirection',
    head: 'Structure de redirection',
    counts: 'accompaniments',
  },
  { key: 'byStructure', title: 'Accompagnements par structure', head: 'Structure', counts: 'accompaniments' },
  { key: 'byPlace', title: 'Accompagnements par lieu d’activité', head: 'Lieu', counts: 'accompaniments' },
  {
    key: 'byCommune',
    title: 'Accompagnements par commune du lieu',
    head: 'Commune',
    counts: 'accompaniments',
  },
  {
    key: 'byResidence',
    title: 'Bénéficiaires par commune de résidence',
    head: 'Commune',
    counts: 'beneficiaries',
  },
  { key: 'byGender', title: 'Bénéficiaires par genre', head: 'Genre', counts: 'beneficiaries' },
  { key: 'byAge', title: 'Bénéficiaires par tranche d’âge', head: 'Tranche d’âge', counts: 'beneficiaries' },
  { key: 'bySocialStatus', title: 'Bénéficiaires par statut', head: 'Statut', counts: 'beneficiaries' },
];

export const COUNT_HEADS = {
  accompaniments: 'Accompagnements',
  beneficiaries: 'Bénéficiaires (personnes suivies et participants anonymes)',
} as const;

/** What the page and the exports say each figure counts. */
export const METHOD = [
  'Une activité est un accompagnement individuel ou un atelier collectif enregistré.',
  'Un accompagnement est une personne accompagnée par une activité : un atelier de 8 participants compte 8 accompagnements. Les répartitions (durée, lieu, thématique…) comptent des accompagnements, comme La Coop de la médiation numérique.',
  'Les personnes suivies sont comptées une seule fois, quel que soit leur nombre d’accompagnements : seules les personnes identifiées (fiche « personne suivie ») peuvent l’être.',
  'Les participants anonymes ne peuvent pas être reconnus d’une activité à l’autre : ils sont comptés une fois par activité. Une même personne venue trois fois sans fiche compte donc trois fois.',
  'Les bénéficiaires par genre, âge, statut et commune de résidence additionnent les personnes suivies (une fois chacune) et les participants anonymes (une fois par activité).',
] as const;

/** The figures as rows of a spreadsheet: a header block (perimeter, period, method), then each section. */
export function statisticsRows(perimeter: string, f: StatisticsFigures): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [
    ['Statistiques des activités', perimeter],
    ['Période', `du ${frenchDate(f.from)} au ${frenchDate(f.to)}`],
    ...METHOD.map((m) => ['Méthode', m]),
    [],
    ['Indicateur', 'Valeur'],
    ['Activités', f.activities.total],
    ['Activités : accompagnements individuels', f.activities.individuel],
    ['Activités : ateliers collectifs', f.activities.collectif],
    ['Accompagnements', f.accompaniments.total],
    ['Accompagnements individuels', f.accompaniments.individuel],
    ['Accompagnements en atelier collectif (participants)', f.accompaniments.collectif],
    ['Personnes suivies (identifiées, comptées une fois)', f.people],
    ['Participants anonymes (comptés une fois par activité)', f.anonymousParticipants],
    ['Premiers accompagnements', f.firstTimeAccompaniments],
    ['Activités liées à un pass numérique', f.vouchers],
    ['Activités liées à un atelier de l’agenda', f.workshops],
  ];
  for (const s of SECTIONS) {
    rows.push([], [s.title, COUNT_HEADS[s.counts], 'Part (%)']);
    for (const r of f[s.key] as Share[]) rows.push([r.label, r.count, r.proportion]);
  }
  return rows;
}

export function statisticsCsv(perimeter: string, f: StatisticsFigures): string {
  return spreadsheetCsv(statisticsRows(perimeter, f));
}
