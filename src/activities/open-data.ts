import { spreadsheetCsv } from '../shared/spreadsheet.ts';
import { cellKey, type GeoNode, SMALL_COUNT, suppressSmallCounts } from './open-data-suppression.ts';
import { keysOf, THEME_LABELS } from './vocabulary.ts';

/**
 * The open data of activity records (decision 0053): accompaniments counted by commune of the place,
 * EPCI and the whole territory, by month and by year, and by theme and year — CSV files where every
 * count under 5 is secret and enough others are secret too that no published total gives one back.
 * Pure: the service reads the counts and the territory's communes, this module makes the files.
 */

/** Where a commune stands in the territory, or null when it is outside (it goes to « autre »). */
export interface CommunePlace {
  nom: string;
  epci: { code: string; nom: string } | null;
}

export interface OpenDataInput {
  /** Accompaniments by commune of the place (null: not given) and month ('YYYY-MM'). */
  counts: readonly { communeCode: string | null; month: string; accompaniments: number }[];
  /** Accompaniments by year and theme (a record counts once under each of its themes). */
  themes: readonly { year: string; theme: string; accompaniments: number }[];
  /** The commune's place in the territory, null outside it. */
  placeOf: (communeCode: string) => CommunePlace | null;
  /** The last month published ('YYYY-MM'): the last complete one. */
  lastMonth: string;
}

export type CsvCell = string | number | null;

export interface OpenDataFile {
  name: string;
  title: string;
  description: string;
  header: string[];
  rows: CsvCell[][];
}

export interface OpenDataSet {
  files: OpenDataFile[];
  /** Cells published in the files (a cell shown in two files counts once), and how many are secret. */
  cells: number;
  masked: number;
  primary: number;
  /** The months covered, first and last ('YYYY-MM'), null when nothing is published yet. */
  period: { from: string; to: string } | null;
}

/** A year's themes are published only when the year counts at least this many accompaniments. */
export const THEMES_MIN_YEAR_TOTAL = 10;

const ROOT = 'territoire';
const OTHER = 'autre';
const NO_EPCI = 'epci:aucun';
export const OTHER_LABEL = 'Hors territoire ou commune non renseignée';
const NO_EPCI_LABEL = 'Communes sans EPCI';

const SECRET_NOTE =
  'Un nombre inférieur à 5 est secret (colonne « secret » à « oui », nombre vide), ainsi que ceux qui permettraient de le retrouver par différence avec les totaux publiés dans les autres fichiers. Les zéros sont publiés.';

/** The files' names, titles and descriptions (what the `/donnees` page lists). */
export const OPEN_DATA_FILES = {
  'accompagnements-communes-mois': {
    title: 'Accompagnements par commune et par mois',
    description: `Nombre d’accompagnements par commune du lieu de l’activité et par mois ; une ligne « ${OTHER_LABEL} » pour le reste. ${SECRET_NOTE}`,
  },
  'accompagnements-communes-annees': {
    title: 'Accompagnements par commune et par année',
    description: `Nombre d’accompagnements par commune du lieu de l’activité et par année (l’année en cours : ses mois complets). ${SECRET_NOTE}`,
  },
  'accompagnements-epci-mois': {
    title: 'Accompagnements par intercommunalité (EPCI) et par mois',
    description: `Nombre d’accompagnements par EPCI (la part des communes du territoire) et par mois. ${SECRET_NOTE}`,
  },
  'accompagnements-epci-annees': {
    title: 'Accompagnements par intercommunalité (EPCI) et par année',
    description: `Nombre d’accompagnements par EPCI et par année. ${SECRET_NOTE}`,
  },
  'accompagnements-territoire-mois': {
    title: 'Accompagnements du territoire par mois',
    description: `Nombre d’accompagnements de tout le territoire (y compris hors territoire et commune non renseignée) par mois. ${SECRET_NOTE}`,
  },
  'accompagnements-territoire-annees': {
    title: 'Accompagnements du territoire par année',
    description: `Nombre d’accompagnements de tout le territoire par année. ${SECRET_NOTE}`,
  },
  'accompagnements-thematiques-annees': {
    title: 'Accompagnements par thématique et par année',
    description: `Nombre d’accompagnements par thématique de La Coop et par année ; un accompagnement compte sous chacune de ses thématiques, la somme dépasse donc le total. Une année de moins de ${THEMES_MIN_YEAR_TOTAL} accompagnements n’est pas publiée. ${SECRET_NOTE}`,
  },
} as const;

export type OpenDataFileName = keyof typeof OPEN_DATA_FILES;

export function isOpenDataFileName(name: string): name is OpenDataFileName {
  return Object.hasOwn(OPEN_DATA_FILES, name);
}

/** Months from `first` to `last` included ('YYYY-MM'), grouped by year. */
export function monthsBetween(first: string, last: string): { year: string; months: string[] }[] {
  const years: { year: string; months: string[] }[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    const year = String(y);
    const month = `${year}-${String(m).padStart(2, '0')}`;
    const last = years[years.length - 1];
    if (last?.year === year) last.months.push(month);
    else years.push({ year, months: [month] });
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return years;
}

/** The month before the one of `today` ('YYYY-MM-DD' → 'YYYY-MM'): the last complete month. */
export function lastCompleteMonth(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Builds every file from the counts, with the same cells secret wherever they appear. */
export function buildOpenData(input: OpenDataInput, options: { secondary?: boolean } = {}): OpenDataSet {
  const counts = input.counts.filter((c) => c.month <= input.lastMonth && c.accompaniments > 0);
  const first = counts.reduce<string | null>((a, c) => (a === null || c.month < a ? c.month : a), null);
  const years = first === null ? [] : monthsBetween(first, input.lastMonth);

  // The place tree: territory → EPCI (or « sans EPCI ») → commune, and « autre » under the territory.
  const communes = new Map<string, CommunePlace & { code: string }>();
  const leafCounts = new Map<string, number>();
  for (const c of counts) {
    const place = c.communeCode === null ? null : input.placeOf(c.communeCode);
    let leaf = OTHER;
    if (place !== null && c.communeCode !== null) {
      leaf = `com:${c.communeCode}`;
      communes.set(c.communeCode, { ...place, code: c.communeCode });
    }
    const key = cellKey(leaf, c.month);
    leafCounts.set(key, (leafCounts.get(key) ?? 0) + c.accompaniments);
  }
  const sortedCommunes = [...communes.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  const epcis = new Map<string, string>();
  for (const c of sortedCommunes) epcis.set(epciId(c), c.epci?.nom ?? NO_EPCI_LABEL);
  const epciIds = [...epcis.keys()].sort((a, b) => (a === NO_EPCI ? 1 : b === NO_EPCI ? -1 : a < b ? -1 : 1));
  const geo: GeoNode[] = [
    { id: ROOT, parent: null },
    ...epciIds.map((id) => ({ id, parent: ROOT })),
    ...sortedCommunes.map((c) => ({ id: `com:${c.code}`, parent: epciId(c) })),
    { id: OTHER, parent: ROOT },
  ];
  // The territory's months are published by the activities API too (decision 0040, network-wide figures
  // of the last twelve months): a secret there could be read from it, so they are kept out of secondary
  // suppression whenever another cycle protects the cell.
  const yearIds0 = new Set(years.map((y) => y.year));
  const s = suppressSmallCounts(
    { geo, years, leafCounts },
    { ...options, keep: (key) => key.startsWith(`${ROOT}|`) && !yearIds0.has(key.slice(ROOT.length + 1)) },
  );
  const published = new Set<string>();
  const cell = (geoId: string, time: string): [CsvCell, string] => {
    const key = cellKey(geoId, time);
    published.add(key);
    return s.masked.has(key) ? [null, 'oui'] : [s.values.get(key) ?? 0, 'non'];
  };
  const months = years.flatMap((y) => y.months);
  const yearIds = years.map((y) => y.year);

  const communeRows = (times: string[]) =>
    times.flatMap((t) => [
      ...sortedCommunes.map((c) => [
        t,
        c.code,
        c.nom,
        c.epci?.code ?? '',
        c.epci?.nom ?? '',
        ...cell(`com:${c.code}`, t),
      ]),
      [t, '', OTHER_LABEL, '', '', ...cell(OTHER, t)],
    ]);
  const epciRows = (times: string[]) =>
    times.flatMap((t) => [
      ...epciIds.map((id) => [t, id === NO_EPCI ? '' : id.slice(5), epcis.get(id) ?? '', ...cell(id, t)]),
      [t, '', OTHER_LABEL, ...cell(OTHER, t)],
    ]);
  const totalRows = (times: string[]) => times.map((t) => [t, ...cell(ROOT, t)]);

  let themeCells = 0;
  let themeMasked = 0;
  const themeRows: CsvCell[][] = [];
  for (const year of yearIds) {
    if ((s.values.get(cellKey(ROOT, year)) ?? 0) < THEMES_MIN_YEAR_TOTAL) continue;
    for (const theme of keysOf(THEME_LABELS)) {
      const n = input.themes
        .filter((t) => t.year === year && t.theme === theme)
        .reduce((a, t) => a + t.accompaniments, 0);
      const secret = n > 0 && n < SMALL_COUNT;
      themeCells += 1;
      if (secret) themeMasked += 1;
      themeRows.push([year, theme, THEME_LABELS[theme], secret ? null : n, secret ? 'oui' : 'non']);
    }
  }

  const file = (name: OpenDataFileName, header: string[], rows: CsvCell[][]): OpenDataFile => ({
    name,
    ...OPEN_DATA_FILES[name],
    header,
    rows,
  });
  const communeHeader = ['code_commune', 'commune', 'code_epci', 'epci', 'accompagnements', 'secret'];
  const epciHeader = ['code_epci', 'epci', 'accompagnements', 'secret'];
  const files = [
    file('accompagnements-communes-mois', ['mois', ...communeHeader], communeRows(months)),
    file('accompagnements-communes-annees', ['annee', ...communeHeader], communeRows(yearIds)),
    file('accompagnements-epci-mois', ['mois', ...epciHeader], epciRows(months)),
    file('accompagnements-epci-annees', ['annee', ...epciHeader], epciRows(yearIds)),
    file('accompagnements-territoire-mois', ['mois', 'accompagnements', 'secret'], totalRows(months)),
    file('accompagnements-territoire-annees', ['annee', 'accompagnements', 'secret'], totalRows(yearIds)),
    file(
      'accompagnements-thematiques-annees',
      ['annee', 'thematique', 'libelle', 'accompagnements', 'secret'],
      themeRows,
    ),
  ];
  const maskedPublished = [...published].filter((k) => s.masked.has(k)).length;
  const primaryPublished = [...published].filter((k) => s.primary.has(k)).length;
  return {
    files,
    cells: published.size + themeCells,
    masked: maskedPublished + themeMasked,
    primary: primaryPublished + themeMasked,
    period: first === null ? null : { from: first, to: input.lastMonth },
  };
}

function epciId(c: CommunePlace): string {
  return c.epci === null ? NO_EPCI : `epci:${c.epci.code}`;
}

/**
 * A file as published: semicolons, UTF-8 with a BOM, one header line, cells made inert for spreadsheets
 * (the product's one CSV rule, decision 0004); a secret count is an empty cell with « secret » at « oui ».
 */
export function openDataCsv(file: OpenDataFile): string {
  return spreadsheetCsv([file.header, ...file.rows]);
}
