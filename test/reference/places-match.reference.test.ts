import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type MatchInput, matchPlaces } from '../../src/places/places-match.ts';
import { isValidSiret } from '../../src/shared/siret.ts';
import { readReference } from '../support/reference-data.ts';

/**
 * Hand-labelled pairs of the shared PACA file (ids only): are they the same place? The same-SIRET pairs
 * give both records one made-up SIRET (the file carries only 00000000000000: see the fixture's note).
 */
interface Labels {
  file: string;
  pairs: { a: string; b: string; same: boolean; siret?: string }[];
}

type Row = Record<string, unknown>;

function readLabels(name: string): { labels: Labels; byId: Map<string, Row> } {
  const labels = JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8'),
  ) as Labels;
  const rows = JSON.parse(readReference(...labels.file.split('/')).toString('utf8')) as Row[];
  return { labels, byId: new Map(rows.map((r) => [String(r.id), r])) };
}

function input(r: Row, siret: string | undefined): MatchInput {
  return {
    nom: String(r.nom ?? ''),
    adresse: String(r.adresse ?? ''),
    latitude: typeof r.latitude === 'number' ? r.latitude : null,
    longitude: typeof r.longitude === 'number' ? r.longitude : null,
    pivot: siret ?? String(r.pivot ?? ''),
  };
}

interface Counts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  pairs: number;
}

function measure(name: string, { labels, byId }: ReturnType<typeof readLabels>, counts: Counts): void {
  for (const pair of labels.pairs) {
    const a = byId.get(pair.a);
    const b = byId.get(pair.b);
    assert.ok(a && b, `labelled ids exist: ${pair.a}, ${pair.b}`);
    const { match } = matchPlaces(input(a, pair.siret), input(b, pair.siret));
    counts.pairs++;
    if (match && pair.same) counts.truePositives++;
    else if (match) {
      counts.falsePositives++;
      process.stderr.write(`${name} FP ${pair.a} ${pair.b}\n`);
    } else if (pair.same) {
      counts.falseNegatives++;
      process.stderr.write(`${name} FN ${pair.a} ${pair.b}\n`);
    }
  }
}

function report(name: string, c: Counts): { precision: number; recall: number } {
  const precision = c.truePositives / Math.max(1, c.truePositives + c.falsePositives);
  const recall = c.truePositives / Math.max(1, c.truePositives + c.falseNegatives);
  process.stderr.write(
    `matcher on ${c.pairs} ${name}: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${c.truePositives}, fp ${c.falsePositives}, fn ${c.falseNegatives})\n`,
  );
  return { precision, recall };
}

const empty = (): Counts => ({ truePositives: 0, falsePositives: 0, falseNegatives: 0, pairs: 0 });

describe('duplicate matcher on hand-labelled PACA pairs', () => {
  it('reaches precision ≥ 0.95 and recall ≥ 0.85, on the PACA pairs and with the same-SIRET pairs', () => {
    const paca = readLabels('paca-duplicate-labels.json');
    assert.ok(paca.labels.pairs.length >= 50, 'at least 50 labelled pairs');
    for (const pair of paca.labels.pairs) {
      const [a, b] = [paca.byId.get(pair.a), paca.byId.get(pair.b)];
      assert.notEqual(a?.source, b?.source, 'pairs are across sources');
    }
    const siret = readLabels('paca-same-siret-labels.json');
    const kinds = siret.labels.pairs.map((p) => p.same);
    assert.ok(kinds.filter((same) => same).length >= 10, 'at least 10 same-SIRET pairs of one place');
    assert.ok(kinds.filter((same) => !same).length >= 10, 'at least 10 same-SIRET pairs of two places');
    for (const pair of siret.labels.pairs)
      assert.ok(isValidSiret(pair.siret ?? ''), `valid SIRET ${pair.siret}`);

    const pacaCounts = empty();
    measure('PACA', paca, pacaCounts);
    const siretCounts = empty();
    measure('SIRET', siret, siretCounts);
    const all: Counts = {
      truePositives: pacaCounts.truePositives + siretCounts.truePositives,
      falsePositives: pacaCounts.falsePositives + siretCounts.falsePositives,
      falseNegatives: pacaCounts.falseNegatives + siretCounts.falseNegatives,
      pairs: pacaCounts.pairs + siretCounts.pairs,
    };
    for (const [name, counts] of [
      ['PACA pairs', pacaCounts],
      ['same-SIRET pairs', siretCounts],
      ['pairs in all', all],
    ] as const) {
      const { precision, recall } = report(name, counts);
      assert.ok(precision >= 0.95, `${name}: precision ${precision}`);
      assert.ok(recall >= 0.85, `${name}: recall ${recall}`);
    }
  });
});
