import {
  buildOpenData,
  type CommunePlace,
  monthsBetween,
  type OpenDataInput,
  openDataCsv,
} from '../../src/activities/open-data.ts';
import { keysOf, THEME_LABELS } from '../../src/activities/vocabulary.ts';
import { seededRandom } from './seeded-random.ts';

/** Generated counts for the open data's tests (decision 0053): shapes of territories, seeded. */
const THEMES = keysOf(THEME_LABELS);

export interface Shape {
  name: string;
  /** Communes per EPCI (an EPCI of one commune: the small commune alone). */
  epcis: number[];
  /** Communes of the territory without EPCI. */
  withoutEpci: number;
  months: number;
  /** Mean accompaniments of a commune in a month, drawn per commune (small means: many small cells). */
  mean: (r: () => number, commune: number) => number;
  /** A month (index) where the whole territory counts a single accompaniment. */
  singleMonth?: number;
  /** Share of records outside the territory or without a commune. */
  other: number;
}

export const SHAPES: Shape[] = [
  { name: 'many small cells', epcis: [6, 5, 4], withoutEpci: 0, months: 18, mean: () => 1.5, other: 0.05 },
  {
    name: 'one small commune alone in its EPCI',
    epcis: [8, 1, 5],
    withoutEpci: 1,
    months: 14,
    mean: (r, i) => (i === 8 ? 0.3 : 3 + r() * 10),
    other: 0.02,
  },
  {
    name: 'a month with a single activity',
    epcis: [5, 4],
    withoutEpci: 0,
    months: 13,
    mean: (r) => 2 + r() * 8,
    singleMonth: 4,
    other: 0.03,
  },
  {
    name: 'a busy territory',
    epcis: [10, 7, 3],
    withoutEpci: 0,
    months: 24,
    mean: (r) => 4 + r() * 30,
    other: 0.1,
  },
];

function poisson(r: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k += 1;
    p *= r();
  } while (p > l);
  return k - 1;
}

/** Generated counts of one shape: communes, EPCIs, months, themes (records drawn one by one). */
export function generate(shape: Shape, seed: number): OpenDataInput {
  const r = seededRandom(seed);
  const places = new Map<string, CommunePlace>();
  let n = 0;
  shape.epcis.forEach((size, e) => {
    for (let i = 0; i < size; i++)
      places.set(`45${String(100 + n++).padStart(3, '0')}`, {
        nom: `Commune ${n}`,
        epci: { code: `2000000${String(e).padStart(2, '0')}`, nom: `Communauté ${e}` },
      });
  });
  for (let i = 0; i < shape.withoutEpci; i++)
    places.set(`45${String(100 + n++).padStart(3, '0')}`, { nom: `Commune ${n}`, epci: null });
  const codes = [...places.keys()];
  const means = codes.map((_, i) => shape.mean(r, i));
  const months = monthsBetween('2024-03', '2030-12')
    .flatMap((y) => y.months)
    .slice(0, shape.months);
  const counts: OpenDataInput['counts'][number][] = [];
  const themes = new Map<string, number>();
  const record = (communeCode: string | null, month: string, accompaniments: number) => {
    counts.push({ communeCode, month, accompaniments });
    const year = month.slice(0, 4);
    const own = new Set([THEMES[Math.floor(r() * 4)] as string]);
    if (r() < 0.3) own.add(THEMES[Math.floor(r() * THEMES.length)] as string);
    for (const t of own) themes.set(`${year}|${t}`, (themes.get(`${year}|${t}`) ?? 0) + accompaniments);
  };
  months.forEach((month, mi) => {
    if (mi === shape.singleMonth) {
      record(codes[0] as string, month, 1);
      return;
    }
    codes.forEach((code, ci) => {
      const k = poisson(r, means[ci] as number);
      for (let j = 0; j < k; j++) {
        const where = r() < shape.other ? (r() < 0.5 ? null : '75056') : code;
        // A workshop now and then: several accompaniments in one record.
        record(where, month, r() < 0.1 ? 2 + Math.floor(r() * 8) : 1);
      }
    });
  });
  return {
    counts,
    themes: [...themes].map(([k, accompaniments]) => {
      const [year, theme] = k.split('|') as [string, string];
      return { year, theme, accompaniments };
    }),
    placeOf: (code) => places.get(code) ?? null,
    lastMonth: months[months.length - 1] as string,
  };
}

export const csvFiles = (input: OpenDataInput, options: { secondary?: boolean } = {}) => {
  const set = buildOpenData(input, options);
  return { set, files: Object.fromEntries(set.files.map((f) => [f.name, openDataCsv(f)])) };
};
