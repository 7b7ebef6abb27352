import { searchCommunes } from '../src/communes/commune-search.ts';
import { resolveTerritory } from '../src/communes/communes.ts';

/**
 * The cost of "Où ?" for a misspelt commune (docs/decisions/0034): building the name index, then the
 * spelling index, of every French commune once (on the first search, the first misspelt search), then
 * each search against them, from Orléans Métropole. Baseline in the same run: an
 * exact name (a map lookup and a prefix scan). Run with `npx tsx bench/commune-suggestions.ts`; the last
 * line of stdout is one JSON object.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const MISSPELT = [
  'Sarran',
  'Olivett',
  'Chessy',
  'Marseile',
  'Toulousse',
  'Clermont Ferrant',
  'Saint Jean de la Rulle',
  'Zzyzxville',
  'x'.repeat(200),
];
const EXACT = ['Saran', 'Orléans', 'Saint-Jean-de-Braye', 'Marseille'];

const preferred = new Set(resolveTerritory({ kind: 'epci', code: '244500468' }).communes.map((c) => c.code));

function timeEach(words: string[]): number[] {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const word of words) {
      const start = performance.now();
      searchCommunes(word, preferred);
      times.push(performance.now() - start);
    }
  }
  return times.sort((a, b) => a - b);
}

const at = (sorted: number[], q: number) =>
  Number((sorted[Math.floor((sorted.length - 1) * q)] ?? 0).toFixed(2));

let start = performance.now();
searchCommunes('Saran', preferred);
const indexMs = Math.round(performance.now() - start);
start = performance.now();
searchCommunes('Sarran', preferred);
const spellingIndexMs = Math.round(performance.now() - start);
const misspelt = timeEach(MISSPELT);
const exact = timeEach(EXACT);
const report = {
  indexMs,
  spellingIndexMs,
  misspelt: { medianMs: at(misspelt, 0.5), p90Ms: at(misspelt, 0.9), maxMs: at(misspelt, 1) },
  exact: { medianMs: at(exact, 0.5), p90Ms: at(exact, 0.9) },
  rounds: ROUNDS,
};
process.stderr.write(
  `indexes built in ${indexMs} + ${spellingIndexMs} ms; misspelt: median ${report.misspelt.medianMs} ms\n`,
);
process.stdout.write(`${JSON.stringify(report)}\n`);
