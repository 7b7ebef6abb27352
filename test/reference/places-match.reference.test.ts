import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { matchPlaces } from '../../src/places/places-match.ts';
import { readReference } from '../support/reference-data.ts';

/** Hand-labelled pairs of the shared PACA file (ids only): are they the same place? */
interface Labels {
  file: string;
  pairs: { a: string; b: string; same: boolean }[];
}

describe('duplicate matcher on hand-labelled PACA pairs', () => {
  it('reaches precision ≥ 0.9 and recall ≥ 0.7', () => {
    const labels = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, 'fixtures/paca-duplicate-labels.json'), 'utf8'),
    ) as Labels;
    const rows = JSON.parse(readReference(...labels.file.split('/')).toString('utf8')) as Record<
      string,
      unknown
    >[];
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    assert.ok(labels.pairs.length >= 50, 'at least 50 labelled pairs');
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const pair of labels.pairs) {
      const a = byId.get(pair.a);
      const b = byId.get(pair.b);
      assert.ok(a && b, `labelled ids exist: ${pair.a}, ${pair.b}`);
      assert.notEqual(a.source, b.source, 'pairs are across sources');
      const input = (r: Record<string, unknown>) => ({
        nom: String(r.nom ?? ''),
        adresse: String(r.adresse ?? ''),
        latitude: typeof r.latitude === 'number' ? r.latitude : null,
        longitude: typeof r.longitude === 'number' ? r.longitude : null,
      });
      const { match } = matchPlaces(input(a), input(b));
      if (match && pair.same) truePositives++;
      else if (match) falsePositives++;
      else if (pair.same) {
        falseNegatives++;
        process.stderr.write(`FN ${JSON.stringify(input(a))} ${JSON.stringify(input(b))}\n`);
      }
    }
    const precision = truePositives / Math.max(1, truePositives + falsePositives);
    const recall = truePositives / Math.max(1, truePositives + falseNegatives);
    process.stderr.write(
      `matcher on ${labels.pairs.length} PACA pairs: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${truePositives}, fp ${falsePositives}, fn ${falseNegatives})\n`,
    );
    assert.ok(precision >= 0.9, `precision ${precision}`);
    assert.ok(recall >= 0.7, `recall ${recall}`);
  });
});
