/**
 * The EcoIndex score (cnumr/ecoindex_reference): a page's DOM elements, HTTP requests and transferred
 * kilobytes placed in quantiles of the HTTP Archive, weighted 3/2/1, on a 0–100 scale, then graded A–G.
 * Used by the browser suite on the results page.
 */
const DOM = [
  0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601,
];
const REQUESTS = [0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920];
const SIZE_KB = [
  0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27, 1876.08,
  2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26,
];
const GRADES: [string, number][] = [
  ['A', 80],
  ['B', 70],
  ['C', 55],
  ['D', 40],
  ['E', 25],
  ['F', 10],
];

/** Position of a value in a quantile table, 0–20, interpolated linearly inside its interval. */
export function quantilePosition(table: readonly number[], value: number): number {
  for (let i = 1; i < table.length; i++) {
    const upper = table[i] as number;
    const lower = table[i - 1] as number;
    if (value < upper) return i - 1 + (value - lower) / (upper - lower);
  }
  return table.length - 1;
}

export function ecoIndex(page: { elements: number; requests: number; kilobytes: number }): {
  score: number;
  grade: string;
} {
  const score = Math.round(
    100 -
      (5 *
        (3 * quantilePosition(DOM, page.elements) +
          2 * quantilePosition(REQUESTS, page.requests) +
          quantilePosition(SIZE_KB, page.kilobytes))) /
        6,
  );
  const grade = GRADES.find(([, min]) => score > min)?.[0] ?? 'G';
  return { score, grade };
}
