import { parse } from 'csv-parse/sync';
import highsModule from 'highs';

// The package's types are read as CommonJS (a `default` property); its ES build exports the loader itself.
const highs = highsModule as unknown as typeof import('highs')['default'];

/**
 * An attacker of the activity open data (decision 0053): it reads only the published CSV files, writes
 * down every relation they imply — a commune's months add up to its year, the communes of an EPCI add up
 * to the EPCI, the EPCIs and « autre » to the territory, a theme's count is at most the year's total and
 * the themes together at least that total — and, by linear programming (HiGHS), computes the tightest
 * bounds of every secret cell. The rules are public, so it also knows that a secret count is at least 1
 * (zeros are published); `lowerBound: 0` weakens that.
 */
export interface AttackResult {
  secrets: number;
  /** Secret cells whose bounds are narrower than `minWidth` (value pinned: width 0). */
  exposed: { cell: string; min: number; max: number }[];
  /** The narrowest width found (Infinity: every secret unbounded above). */
  narrowest: number;
  /** Published relations that do not add up (the files contradict each other). */
  inconsistent: string[];
}

type Files = Record<string, string>;
type Row = Record<string, string>;

const read = (text: string): Row[] =>
  parse(text, { delimiter: ';', columns: true, bom: true, skip_empty_lines: true }) as Row[];

const CEILING = 1_000_000;

let solverPromise: ReturnType<typeof highs> | null = null;

export async function attackOpenData(
  files: Files,
  options: { minWidth?: number; lowerBound?: 0 | 1; integer?: boolean } = {},
): Promise<AttackResult> {
  const minWidth = options.minWidth ?? 5;
  const lowerBound = options.lowerBound ?? 1;
  solverPromise ??= highs();
  const solver = await solverPromise;
  const known = new Map<string, number>();
  const secret = new Map<string, string>(); // cell → variable name
  const setCell = (cell: string, row: Row) => {
    if (row.secret === 'oui') {
      if (row.accompagnements !== '') throw new Error(`a secret cell shows a figure: ${cell}`);
      if (!secret.has(cell)) secret.set(cell, `x${secret.size}`);
    } else {
      const v = Number(row.accompagnements);
      if (!Number.isInteger(v) || v < 0) throw new Error(`not a count: ${cell} ${row.accompagnements}`);
      known.set(cell, v);
    }
  };
  const term = (cell: string): { v: string } | { c: number } => {
    const name = secret.get(cell);
    if (name !== undefined) return { v: name };
    const c = known.get(cell);
    if (c === undefined) throw new Error(`a relation names a cell no file publishes: ${cell}`);
    return { c };
  };

  // Cells, named by place and period; the place tree and the years as the files show them.
  const epciOfCommune = new Map<string, string>();
  const communesOfEpci = new Map<string, Set<string>>();
  const epcis = new Set<string>();
  const monthsOfYear = new Map<string, Set<string>>();
  const places = new Set<string>(['territoire']);
  const times = new Set<string>();
  const communeGeo = (r: Row) => (r.code_commune === '' ? 'autre' : `com:${r.code_commune}`);
  const epciGeo = (r: Row) =>
    r.code_epci !== '' ? `epci:${r.code_epci}` : r.epci === 'Communes sans EPCI' ? 'epci:aucun' : 'autre';
  for (const [name, text] of Object.entries(files)) {
    const rows = read(text);
    for (const r of rows) {
      const time = r.mois ?? r.annee ?? '';
      times.add(time);
      if (r.mois) {
        const y = r.mois.slice(0, 4);
        if (!monthsOfYear.has(y)) monthsOfYear.set(y, new Set());
        monthsOfYear.get(y)?.add(r.mois);
      }
      if (name.includes('-communes-')) {
        const g = communeGeo(r);
        places.add(g);
        if (g !== 'autre') {
          const e = r.code_epci === '' ? 'epci:aucun' : `epci:${r.code_epci}`;
          epciOfCommune.set(g, e);
          epcis.add(e);
          if (!communesOfEpci.has(e)) communesOfEpci.set(e, new Set());
          communesOfEpci.get(e)?.add(g);
        }
        setCell(`${g}|${time}`, r);
      } else if (name.includes('-epci-')) {
        const g = epciGeo(r);
        places.add(g);
        if (g !== 'autre') epcis.add(g);
        setCell(`${g}|${time}`, r);
      } else if (name.includes('-territoire-')) {
        setCell(`territoire|${time}`, r);
      } else if (name.includes('-thematiques-')) {
        setCell(`theme:${r.thematique}|${r.annee}`, r);
      }
    }
  }

  // Relations: equalities (sum of parts − whole = 0) and the themes' inequalities.
  const equalities: { terms: [string, 1 | -1][]; label: string }[] = [];
  const inequalities: { terms: [string, 1 | -1][]; op: '>=' | '<='; label: string }[] = [];
  for (const time of times) {
    if (!known.has(`territoire|${time}`) && !secret.has(`territoire|${time}`)) continue;
    for (const e of epcis) {
      const parts = [...(communesOfEpci.get(e) ?? [])].map((c): [string, 1 | -1] => [`${c}|${time}`, 1]);
      equalities.push({ terms: [...parts, [`${e}|${time}`, -1]], label: `${e} ${time}` });
    }
    const parts = [...epcis, 'autre'].map((e): [string, 1 | -1] => [`${e}|${time}`, 1]);
    equalities.push({ terms: [...parts, [`territoire|${time}`, -1]], label: `territoire ${time}` });
  }
  for (const [year, months] of monthsOfYear)
    for (const g of places) {
      const parts = [...months].map((m): [string, 1 | -1] => [`${g}|${m}`, 1]);
      equalities.push({ terms: [...parts, [`${g}|${year}`, -1]], label: `${g} ${year}` });
    }
  const themeYears = new Map<string, string[]>();
  for (const cell of [...known.keys(), ...secret.keys()])
    if (cell.startsWith('theme:')) {
      const year = cell.split('|')[1] as string;
      themeYears.set(year, [...(themeYears.get(year) ?? []), cell]);
    }
  for (const [year, cells] of themeYears) {
    for (const t of cells)
      inequalities.push({
        terms: [
          [t, 1],
          [`territoire|${year}`, -1],
        ],
        op: '<=',
        label: `${t} ≤ total`,
      });
    inequalities.push({
      terms: [...cells.map((t): [string, 1 | -1] => [t, 1]), [`territoire|${year}`, -1]],
      op: '>=',
      label: `themes ≥ total ${year}`,
    });
  }

  const inconsistent: string[] = [];
  const rows: string[] = [];
  const writeRow = (terms: [string, 1 | -1][], op: string, label: string) => {
    let constant = 0;
    const vars: string[] = [];
    for (const [cell, sign] of terms) {
      const t = term(cell);
      if ('v' in t) vars.push(`${sign === 1 ? '+' : '-'} ${t.v}`);
      else constant += sign * t.c;
    }
    if (vars.length === 0) {
      const ok = op === '=' ? constant === 0 : op === '<=' ? constant <= 0 : constant >= 0;
      if (!ok) inconsistent.push(label);
      return;
    }
    // Short lines: LP readers may cut long ones.
    rows.push(` c${rows.length}: ${wrap(vars)} ${op} ${-constant}`);
  };
  for (const e of equalities) writeRow(e.terms, '=', e.label);
  for (const i of inequalities) writeRow(i.terms, i.op, i.label);

  const names = [...secret.values()];
  // A finite ceiling far above any count: HiGHS's presolve misreports some unbounded problems (an
  // unbounded whole-number maximum came back "Optimal" at the true value), a bounded one it solves.
  const bounds = names.map((v) => ` ${lowerBound} <= ${v} <= ${CEILING}`).join('\n');
  const generals = options.integer ? `\nGenerals\n ${wrap(names)}` : '';
  const exposed: AttackResult['exposed'] = [];
  let narrowest = Number.POSITIVE_INFINITY;
  for (const [cell, v] of secret) {
    const bound = (sense: 'Minimize' | 'Maximize'): number => {
      const lp = `${sense}\n obj: ${v}\nSubject To\n${rows.length > 0 ? rows.join('\n') : ` c0: ${v} >= 0`}\nBounds\n${bounds}${generals}\nEnd`;
      const r = solver.solve(lp, { output_flag: false });
      if (r.Status === 'Unbounded' || r.Status === 'Primal infeasible or unbounded')
        return sense === 'Maximize' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      if (r.Status !== 'Optimal') throw new Error(`LP ${sense} ${cell}: ${r.Status}`);
      if (sense === 'Maximize' && r.ObjectiveValue >= CEILING - 1) return Number.POSITIVE_INFINITY;
      return r.ObjectiveValue;
    };
    const min = bound('Minimize');
    const max = bound('Maximize');
    const width = max - min;
    narrowest = Math.min(narrowest, width);
    if (width < minWidth - 1e-6) exposed.push({ cell, min, max });
  }
  return { secrets: secret.size, exposed, narrowest, inconsistent };
}

function wrap(tokens: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < tokens.length; i += 8) lines.push(tokens.slice(i, i + 8).join(' '));
  return lines.join('\n   ');
}
