import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTerritory } from '../communes/communes.ts';
import { normalizePlaceRow } from './places-row.ts';
import { postcodeDepartementMismatch } from './places-row-location.ts';

const NOW = new Date('2025-06-01T12:00:00Z');

function normalize(overrides: Record<string, unknown>) {
  return normalizePlaceRow(
    {
      id: 'lieu-1',
      pivot: '43493312300029',
      nom: 'Médiathèque',
      adresse: '1 rue de la République',
      commune: 'Angers',
      code_postal: '49000',
      date_maj: '2024-04-02',
      ...overrides,
    },
    7,
    NOW,
  );
}

describe('postcode and INSEE code of different départements', () => {
  it('warns, naming the row and both values, when the postcode is of another département', () => {
    const result = normalize({ code_postal: '45000', code_insee: '49007' });
    assert.deepEqual(result.errors, []);
    const warning = result.warnings.find((issue) => issue.field === 'code_postal');
    assert.equal(warning?.row, 7);
    assert.match(warning?.message ?? '', /code postal 45000 .* code INSEE 49007 \(département 49\)/);
  });

  it('does not warn for a postcode of the same département, Corsica (20xxx ↔ 2A/2B) or overseas', () => {
    assert.equal(postcodeDepartementMismatch('49100', '49007'), null);
    assert.equal(postcodeDepartementMismatch('20000', '2A004'), null);
    assert.equal(postcodeDepartementMismatch('20200', '2B033'), null);
    assert.equal(postcodeDepartementMismatch('97400', '97411'), null);
    assert.equal(postcodeDepartementMismatch('97300', '97411'), '974');
    assert.equal(postcodeDepartementMismatch('45000', '49007'), '49');
  });

  it('does not warn for a commune served by a post office of the neighbouring département', () => {
    // Official list: some communes use another département's postcode; found from the data, not hard-coded.
    const crossBorder = resolveTerritory({ kind: 'fr' }).communes.find((commune) =>
      commune.codesPostaux.some(
        (postcode) =>
          !postcode.startsWith('20') &&
          !postcode.startsWith('97') &&
          postcode.slice(0, 2) !== commune.departement,
      ),
    );
    assert.ok(crossBorder, 'the official list has communes with a postcode of another département');
    const postcode = crossBorder.codesPostaux.find(
      (code) => code.slice(0, 2) !== crossBorder.departement,
    ) as string;
    assert.equal(postcodeDepartementMismatch(postcode, crossBorder.code), null);
  });

  it('says nothing when the INSEE code is absent', () => {
    const result = normalize({ code_postal: '49000' });
    assert.equal(result.warnings.filter((issue) => issue.field === 'code_postal').length, 0);
  });
});
