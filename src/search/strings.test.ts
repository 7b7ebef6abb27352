import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Catalogue, Variants } from '../web/catalogue.ts';
import { LAYOUT_STRINGS } from '../web/strings.ts';
import { NEEDS } from './needs.ts';
import { SEARCH_STRINGS } from './strings.ts';

const CATALOGUES: Array<[string, Catalogue<Record<string, Variants<unknown>>>]> = [
  ['search', SEARCH_STRINGS],
  ['layout', LAYOUT_STRINGS],
];

/** Abbreviations most readers do not know (WRITING-AND-ACCESSIBILITY.md): never in the FALC variant. */
const ABBREVIATIONS =
  /(?<![\p{L}])(EPN|CCAS|CNFS|RDV|SMS|INSEE|RGAA|WCAG|CSV|ANTS|ANCT|km|m|etc)(?![\p{L}])/u;

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const words = (sentence: string) => sentence.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w)).length;

describe('the strings catalogue of the public pages', () => {
  it('gives every key a FALC variant of the same kind (text or function)', () => {
    const missing: string[] = [];
    for (const [name, catalogue] of CATALOGUES) {
      for (const [key, entry] of Object.entries(catalogue.entries)) {
        if (entry.falc === undefined || entry.falc === '' || typeof entry.falc !== typeof entry.normal) {
          missing.push(`${name}.${key}`);
        }
      }
    }
    assert.deepEqual(missing, [], `keys without a FALC variant: ${missing.join(', ')}`);
    for (const need of NEEDS) assert.ok(need.falc.trim(), `need ${need.slug} has no FALC label`);
  });

  it('keeps FALC sentences to 15 words and ordinary ones to 25, without unexplained abbreviations', () => {
    const problems: string[] = [];
    for (const [name, catalogue] of CATALOGUES) {
      for (const [key, entry] of Object.entries(catalogue.entries)) {
        if (typeof entry.normal === 'string') {
          for (const s of sentences(entry.normal))
            if (words(s) > 25) problems.push(`${name}.${key} (normal): « ${s} »`);
        }
        if (typeof entry.falc === 'string') {
          for (const s of sentences(entry.falc))
            if (words(s) > 15) problems.push(`${name}.${key} (falc): « ${s} »`);
          if (ABBREVIATIONS.test(entry.falc))
            problems.push(`${name}.${key} (falc) has an abbreviation: ${entry.falc}`);
        }
        for (const text of [entry.normal, entry.falc]) {
          if (typeof text === 'string' && /simplement|il suffit/i.test(text))
            problems.push(`${name}.${key}: « ${text} »`);
        }
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('writes distances the house way, spelled out in FALC', () => {
    const normal = SEARCH_STRINGS.pick(false);
    const falc = SEARCH_STRINGS.pick(true);
    assert.equal(normal.distance(780), 'à 800\u00a0m');
    assert.equal(normal.distance(30), 'à 100\u00a0m');
    assert.equal(normal.distance(2490), 'à 2,5\u00a0km');
    assert.equal(normal.distance(980), 'à 1\u00a0km');
    assert.equal(normal.distance(12_400), 'à 12\u00a0km');
    assert.equal(falc.distance(2490), 'à 2,5\u00a0kilomètres');
    assert.equal(falc.distance(800), 'à 800\u00a0mètres');
    assert.equal(falc.mapScale(500), '500 mètres');
    assert.doesNotMatch(falc.distance(1500), ABBREVIATIONS);
  });

  it('switches every key when FALC is chosen', () => {
    assert.equal(SEARCH_STRINGS.pick(true).emptyTitle, 'Nous ne trouvons pas de lieu');
    assert.equal(SEARCH_STRINGS.pick(false).emptyTitle, 'Aucun lieu ne correspond');
    assert.equal(Object.keys(SEARCH_STRINGS.pick(true)).length, Object.keys(SEARCH_STRINGS.entries).length);
  });
});
