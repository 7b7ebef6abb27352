import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inSentence } from './text.ts';

test('a label inside a sentence keeps its acronyms and lowers only an ordinary first letter', () => {
  const cases: Array<[string, string]> = [
    ['Faire une démarche CAF', 'faire une démarche CAF'],
    ['Carte grise, permis, carte d’identité (ANTS)', 'carte grise, permis, carte d’identité (ANTS)'],
    ['CAF', 'CAF'],
    ['ANTS : carte grise', 'ANTS : carte grise'],
    ['Écrire un courriel', 'écrire un courriel'],
    ['À la mairie', 'à la mairie'],
    ['', ''],
  ];
  for (const [label, expected] of cases) assert.equal(inSentence(label), expected, label);
});
