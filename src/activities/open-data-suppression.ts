/**
 * Small-cell suppression of counts published in linked tables (decision 0053). The counts form one
 * lattice: a place hierarchy (territory → EPCI → commune, the leaves at any depth) crossed with a time
 * hierarchy (year → month; years are not added together). Every published table is a slice of it
 * (commune × month, EPCI × year, territory × month…), so one suppression over the lattice is consistent
 * across all the files.
 *
 * Primary: a count from 1 to 4 is masked. Zeros are published (nobody to protect), so a masked cell is
 * known to be at least 1, and a zero is never masked (that would make the rule lie).
 *
 * Secondary: every masked cell gets a **cycle** — a set of masked cells with signs ± such that adding
 * +t to the "+" cells and −t to the "−" cells keeps every sum of the lattice true (rows, columns,
 * subtotals). The published figures cannot tell the true values from the moved ones, so the cycle is a
 * proof that the cell's value ranges over at least `width` = (min of + cells − 1) + (min of − cells − 1)
 * (every masked cell stays ≥ 1); a cycle without − cells moves up without bound. A cell is protected
 * when one of its cycles is at least `threshold` wide; the cheapest such cycle (fewest new counts
 * hidden) is chosen, deterministically. The cycles are built from two leaves (communes) and two months:
 * the leaf rectangle (c, m)+ (c, m')− (c', m)− (c', m')+ and its induced subtotals below the two
 * communes' common ancestor; a missing second commune or month carries the change up to the territory
 * or to the year.
 */

export interface GeoNode {
  id: string;
  parent: string | null;
}

export interface LatticeInput {
  /** The place tree: one root (parent null); a node without children is a leaf. */
  geo: readonly GeoNode[];
  /** Each year and its months, the months in order ('2025', ['2025-01', …]). */
  years: readonly { year: string; months: readonly string[] }[];
  /** Counts of leaves by month: key `leaf|month`; a missing key is 0. */
  leafCounts: ReadonlyMap<string, number>;
}

export interface Suppressed {
  /** Every cell of the lattice (`geo|time`, time a month or a year) and its count. */
  values: Map<string, number>;
  /** Cells masked (primary and secondary). */
  masked: Set<string>;
  /** Cells masked because they are under the threshold. */
  primary: Set<string>;
  /** For each masked cell, the width of the widest cycle found for it (Infinity: unbounded). */
  widths: Map<string, number>;
  /** The cycles chosen (each a list of [cell, sign]); kept for the tests' independent check. */
  cycles: [string, 1 | -1][][];
}

export const SMALL_COUNT = 5;

export const cellKey = (geo: string, time: string): string => `${geo}|${time}`;

interface Tree {
  parentOf: Map<string, string | null>;
  childrenOf: Map<string, string[]>;
  /** Leaves below each node (itself when a leaf), in id order. */
  leavesBelow: Map<string, string[]>;
  /** Each node and its ancestors up to the root, the node first. */
  pathUp: Map<string, string[]>;
  leaves: string[];
  root: string;
}

function buildTree(geo: readonly GeoNode[]): Tree {
  const parentOf = new Map<string, string | null>();
  const childrenOf = new Map<string, string[]>();
  for (const n of geo) {
    parentOf.set(n.id, n.parent);
    childrenOf.set(n.id, childrenOf.get(n.id) ?? []);
  }
  const roots = geo.filter((n) => n.parent === null);
  if (roots.length !== 1) throw new Error('the place tree needs exactly one root');
  for (const n of geo) {
    if (n.parent === null) continue;
    const siblings = childrenOf.get(n.parent);
    if (!siblings) throw new Error(`unknown parent ${n.parent}`);
    siblings.push(n.id);
  }
  const pathUp = new Map<string, string[]>();
  for (const n of geo) {
    const path: string[] = [];
    let at: string | null = n.id;
    while (at !== null) {
      path.push(at);
      at = parentOf.get(at) ?? null;
      if (path.length > geo.length) throw new Error('the place tree has a cycle');
    }
    pathUp.set(n.id, path);
  }
  const leaves = geo
    .filter((n) => (childrenOf.get(n.id) ?? []).length === 0)
    .map((n) => n.id)
    .sort();
  const leavesBelow = new Map<string, string[]>(geo.map((n) => [n.id, [] as string[]]));
  for (const leaf of leaves) for (const a of pathUp.get(leaf) ?? []) leavesBelow.get(a)?.push(leaf);
  return { parentOf, childrenOf, leavesBelow, pathUp, leaves, root: (roots[0] as GeoNode).id };
}

/** Every cell's count: leaves by month as given, summed up the place tree and over each year's months. */
export function latticeValues(input: LatticeInput): Map<string, number> {
  const tree = buildTree(input.geo);
  const values = new Map<string, number>();
  for (const n of input.geo)
    for (const y of input.years) {
      values.set(cellKey(n.id, y.year), 0);
      for (const m of y.months) values.set(cellKey(n.id, m), 0);
    }
  for (const [key, count] of input.leafCounts) {
    const [leaf, month] = key.split('|') as [string, string];
    const year = input.years.find((y) => y.months.includes(month));
    if (!year || !tree.leaves.includes(leaf)) throw new Error(`count outside the lattice: ${key}`);
    for (const a of tree.pathUp.get(leaf) ?? []) {
      for (const time of [month, year.year]) {
        const k = cellKey(a, time);
        values.set(k, (values.get(k) ?? 0) + count);
      }
    }
  }
  return values;
}

/** A cycle: its cells (index in the lattice, sign), how far it moves them up and down, what it hides anew. */
interface Candidate {
  cells: [number, 1 | -1][];
  up: number;
  down: number;
  cost: number;
}

/**
 * Masks the counts under `threshold` and, for each masked cell, enough others that the published
 * figures leave it at least `threshold` wide (see the file's comment). Deterministic: the same input
 * gives the same cells masked.
 */
export function suppressSmallCounts(
  input: LatticeInput,
  options: {
    threshold?: number;
    secondary?: boolean;
    /**
     * Cells published elsewhere, to keep out of secondary suppression when any other cycle will do (a
     * secret that another publication gives away would open its cycle).
     */
    keep?: (key: string) => boolean;
  } = {},
): Suppressed {
  const threshold = options.threshold ?? SMALL_COUNT;
  const tree = buildTree(input.geo);
  const values = latticeValues(input);

  // Cells as numbers (place index × period index): the search below visits millions of candidates.
  const geoIds = input.geo.map((n) => n.id);
  const geoIndex = new Map(geoIds.map((id, i) => [id, i]));
  const times: string[] = [];
  const yearIndexOf: number[] = [];
  const monthsOf = new Map<number, number[]>();
  for (const y of input.years) {
    const yi = times.length;
    times.push(y.year);
    yearIndexOf.push(yi);
    const months: number[] = [];
    for (const m of y.months) {
      months.push(times.length);
      times.push(m);
      yearIndexOf.push(yi);
    }
    monthsOf.set(yi, months);
  }
  const T = times.length;
  const n = geoIds.length * T;
  const keyOf = (cell: number) => cellKey(geoIds[Math.floor(cell / T)] as string, times[cell % T] as string);
  const val = new Float64Array(n);
  const masked = new Uint8Array(n);
  const kept = new Uint8Array(n);
  const widths = new Float64Array(n);
  for (let cell = 0; cell < n; cell++) {
    const key = keyOf(cell);
    val[cell] = values.get(key) ?? 0;
    if (options.keep?.(key)) kept[cell] = 1;
  }
  const primaryCells: number[] = [];
  for (let cell = 0; cell < n; cell++)
    if ((val[cell] as number) > 0 && (val[cell] as number) < threshold) {
      masked[cell] = 1;
      primaryCells.push(cell);
    }
  const pathUp = geoIds.map((id) => (tree.pathUp.get(id) ?? []).map((a) => geoIndex.get(a) as number));
  const leaves = tree.leaves.map((id) => geoIndex.get(id) as number);
  const leavesBelow = geoIds.map((id) =>
    (tree.leavesBelow.get(id) ?? []).map((l) => geoIndex.get(l) as number),
  );
  // Leaves with a count in each period: the only partners a cycle can take there.
  const busyLeaves = Array.from({ length: T }, (_, t) =>
    leaves.filter((l) => (val[l * T + t] as number) > 0),
  );
  const cycles: [string, 1 | -1][][] = [];

  const signedCache = new Map<number, [number, 1 | -1][]>();
  const geoSigned = (plus: number, minus: number | null): [number, 1 | -1][] => {
    const key = plus * (geoIds.length + 1) + (minus ?? geoIds.length);
    let found = signedCache.get(key);
    if (!found) {
      found = signedPath(plus, minus);
      signedCache.set(key, found);
    }
    return found;
  };
  const signedPath = (plus: number, minus: number | null): [number, 1 | -1][] => {
    const up = pathUp[plus] as number[];
    if (minus === null) return up.map((a) => [a, 1]);
    const other = pathUp[minus] as number[];
    const lca = up.find((a) => other.includes(a));
    const out: [number, 1 | -1][] = [];
    for (const a of up) {
      if (a === lca) break;
      out.push([a, 1]);
    }
    for (const a of other) {
      if (a === lca) break;
      out.push([a, -1]);
    }
    return out;
  };

  /**
   * A cycle's cells and how far it moves them: `up` for the + cells (the − cells' smallest value − 1,
   * unbounded without − cells), `down` (the + cells' smallest − 1); `cost` is what it hides anew.
   * Null when a cell is 0, published elsewhere (`keeping`), among `excluded`, would go down while it
   * goes up in another cycle (`notMinus`), or when it costs `bestCost` or more.
   */
  const evaluate = (
    geo: [number, 1 | -1][],
    time: [number, 1 | -1][],
    bestCost: number,
    keeping: boolean,
    excluded: ReadonlySet<number> | null,
    notMinus: ReadonlySet<number> | null,
  ): Candidate | null => {
    let minPlus = Number.POSITIVE_INFINITY;
    let minMinus = Number.POSITIVE_INFINITY;
    let cost = 0;
    const cells: [number, 1 | -1][] = [];
    for (const [g, gs] of geo)
      for (const [t, ts] of time) {
        const cell = g * T + t;
        const v = val[cell] as number;
        const sign = (gs * ts) as 1 | -1;
        if (v === 0 || excluded?.has(cell) || (sign === -1 && notMinus?.has(cell))) return null;
        if (sign === 1) minPlus = Math.min(minPlus, v);
        else minMinus = Math.min(minMinus, v);
        if (masked[cell] === 0) {
          if (keeping && kept[cell] === 1) return null;
          cost += v + 1;
          if (cost >= bestCost) return null;
        }
        cells.push([cell, sign]);
      }
    return { cells, up: minMinus - 1, down: minPlus - 1, cost };
  };

  /** Visits every cycle through a cell: a leaf below it and one beside it (or none), two months (or one). */
  const eachCandidate = (
    cell: number,
    visit: (geo: [number, 1 | -1][], time: [number, 1 | -1][]) => void,
  ) => {
    const g = Math.floor(cell / T);
    const t = cell % T;
    const yi = yearIndexOf[t] as number;
    const months = monthsOf.get(yi) ?? [];
    const timeChoices: [number, 1 | -1][][] = [];
    if (t === yi)
      for (const m of months)
        timeChoices.push([
          [m, 1],
          [yi, 1],
        ]);
    else {
      for (const m of months)
        if (m !== t)
          timeChoices.push([
            [t, 1],
            [m, -1],
          ]);
      timeChoices.push([
        [t, 1],
        [yi, 1],
      ]);
    }
    const below = new Set(leavesBelow[g]);
    for (const plus of leavesBelow[g] as number[])
      for (const tc of timeChoices) {
        const tPlus = (tc[0] as [number, 1])[0];
        if ((val[plus * T + tPlus] as number) === 0) continue;
        for (const minus of busyLeaves[tPlus] as number[])
          if (!below.has(minus)) visit(geoSigned(plus, minus), tc);
        visit(geoSigned(plus, null), tc);
      }
  };

  /** The cheapest single cycle moving the cell by `threshold` or more. */
  const single = (cell: number, keeping: boolean): Candidate | null => {
    let best: Candidate | null = null;
    eachCandidate(cell, (geo, time) => {
      const found = evaluate(geo, time, best?.cost ?? Number.POSITIVE_INFINITY, keeping, null, null);
      if (found && found.up + found.down >= threshold && (best === null || found.cost < best.cost))
        best = found;
    });
    return best;
  };

  /**
   * Several cycles through the cell: pushed up together, each by its own `up`, they move it by the sum
   * as long as no cell goes down in two of them or up in one and down in another (a cell going up in
   * several only grows); the first also moves it down by its `down`. Chosen greedily by cost per unit of
   * width still missing; null when they cannot reach `threshold`.
   */
  const several = (cell: number, keeping: boolean): Candidate[] | null => {
    const chosen: Candidate[] = [];
    const usedMinus = new Set<number>();
    const usedPlus = new Set<number>();
    let width = 0;
    while (width < threshold) {
      const missing = threshold - width;
      const first = chosen.length === 0;
      let best: Candidate | null = null;
      let bestRatio = Number.POSITIVE_INFINITY;
      eachCandidate(cell, (geo, time) => {
        const found = evaluate(geo, time, Number.POSITIVE_INFINITY, keeping, usedMinus, usedPlus);
        if (!found) return;
        const gain = Math.min(missing, found.up + (first ? found.down : 0));
        if (gain <= 0) return;
        const ratio = found.cost / gain;
        if (ratio < bestRatio) {
          best = found;
          bestRatio = ratio;
        }
      });
      if (best === null) return null;
      const b: Candidate = best;
      width += b.up + (first ? b.down : 0);
      chosen.push(b);
      for (const [c, sign] of b.cells) (sign === 1 ? usedPlus : usedMinus).add(c);
    }
    return chosen;
  };

  const queue = [...primaryCells].sort(
    (a, b) => (val[a] as number) - (val[b] as number) || (keyOf(a) < keyOf(b) ? -1 : 1),
  );
  const apply = (target: number, chosen: Candidate[]) => {
    let total = 0;
    chosen.forEach((c, i) => {
      total += c.up + (i === 0 ? c.down : 0);
      cycles.push(c.cells.map(([cell, sign]) => [keyOf(cell), sign]));
      for (const [cell] of c.cells) {
        masked[cell] = 1;
        widths[cell] = Math.max(widths[cell] as number, c.up + c.down);
        // A cell of one of several cycles may move less than the threshold: it gets its own turn.
        if (cell !== target && (widths[cell] as number) < threshold) queue.push(cell);
      }
    });
    widths[target] = Math.max(widths[target] as number, total);
  };
  // Without secondary suppression (only to show that the attacker test catches it), stop at the primary.
  while (options.secondary !== false && queue.length > 0) {
    const cell = queue.shift() as number;
    if ((widths[cell] as number) >= threshold) continue;
    const one = single(cell, true);
    const chosen = one ? [one] : (several(cell, true) ?? [single(cell, false)].filter((c) => c !== null));
    if (chosen.length === 0) throw new Error(`no cycle protects ${keyOf(cell)}`);
    apply(cell, chosen);
  }

  const out: Suppressed = { values, masked: new Set(), primary: new Set(), widths: new Map(), cycles };
  for (const cell of primaryCells) out.primary.add(keyOf(cell));
  for (let cell = 0; cell < n; cell++)
    if (masked[cell] === 1) {
      out.masked.add(keyOf(cell));
      out.widths.set(keyOf(cell), widths[cell] as number);
    }
  return out;
}

/** The tree's leaves (exported for the files: which places have a commune-level line). */
export function leavesOf(geo: readonly GeoNode[]): string[] {
  return buildTree(geo).leaves;
}
