import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNationalSource } from './place-origin.ts';

describe('where a place’s record of truth is', () => {
  it('recognises the national systems’ producers however their name is written', () => {
    for (const source of [
      'data·inclusion',
      'data-inclusion',
      'Data Inclusion',
      'dora',
      'DORA',
      'conseiller-numerique',
      'Conseiller Numérique',
      'France Services',
      'france-services',
      'Cartographie nationale',
      'La Coop',
      'aidants connect',
    ])
      assert.equal(isNationalSource(source), true, source);
  });

  it('keeps the network’s own sources and regional files as the network’s', () => {
    for (const source of [
      'demo',
      'demo-cartographie',
      'maillage',
      'essai',
      'cr93',
      'hinaura',
      'reseau.csv',
      'doranges',
    ])
      assert.equal(isNationalSource(source), false, source);
  });
});
