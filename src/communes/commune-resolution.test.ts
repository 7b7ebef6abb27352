import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCommuneCode, communeNameKey, resolveCommune } from './commune-resolution.ts';

describe('resolveCommune', () => {
  it('finds the commune of a postcode whatever the case, accents, hyphens or ST/SAINT', () => {
    assert.deepEqual(resolveCommune('45000', 'ORLEANS'), { status: 'found', code: '45234', nom: 'Orléans' });
    assert.deepEqual(resolveCommune('04160', 'CHATEAU ARNOUX ST AUBAN'), {
      status: 'found',
      code: '04049',
      nom: 'Château-Arnoux-Saint-Auban',
    });
    assert.equal(resolveCommune('04190', 'LES MEES').status, 'found');
  });

  it('reads a CEDEX code no commune owns through the département’s communes, by name', () => {
    assert.deepEqual(resolveCommune('13692', 'Martigues'), {
      status: 'found',
      code: '13056',
      nom: 'Martigues',
    });
    assert.deepEqual(resolveCommune('13616', 'MARTIGUES CEDEX 1'), {
      status: 'found',
      code: '13056',
      nom: 'Martigues',
    });
  });

  it('gives Paris, Lyon and Marseille arrondissements the commune’s code', () => {
    assert.equal(resolveCommune('75016', 'Paris 16e Arrondissement').status, 'found');
    assert.equal((resolveCommune('75016', 'Paris 16e Arrondissement') as { code: string }).code, '75056');
    assert.equal((resolveCommune('69003', 'LYON 3EME') as { code: string }).code, '69123');
    assert.equal((resolveCommune('13015', 'Marseille') as { code: string }).code, '13055');
  });

  it('says when a locality that is no commune leaves several communes possible, or none', () => {
    const ambiguous = resolveCommune('04600', 'SAINT AUBAN');
    assert.equal(ambiguous.status, 'ambiguous');
    assert.ok(ambiguous.status === 'ambiguous' && ambiguous.candidates.some((c) => c.code === '04049'));
    assert.deepEqual(resolveCommune('99999', 'Nulle part'), { status: 'impossible' });
  });

  it('tells a postcode of another commune of the département from a match', () => {
    assert.equal(resolveCommune('45000', 'Saint-Jean-de-Braye').status, 'name-only');
  });
});

describe('checkCommuneCode', () => {
  it('accepts a code agreeing with postcode or name, replaces an arrondissement code, flags a mismatch', () => {
    assert.deepEqual(checkCommuneCode('13056', '13692', 'Martigues'), { status: 'consistent' });
    assert.deepEqual(checkCommuneCode('13215', '13015', 'Marseille'), {
      status: 'arrondissement',
      code: '13055',
      nom: 'Marseille',
    });
    assert.equal(checkCommuneCode('45234', '13015', 'Marseille').status, 'mismatch');
    assert.equal(checkCommuneCode('45999', '45000', 'Orléans').status, 'unknown');
  });
});

describe('communeNameKey', () => {
  it('reads "MANS (LE)" as Le Mans and drops apostrophes and CEDEX', () => {
    assert.equal(communeNameKey('MANS (LE)'), communeNameKey('Le Mans'));
    assert.equal(communeNameKey("L'Isle-sur-la-Sorgue"), communeNameKey('L ISLE SUR LA SORGUE'));
    assert.equal(communeNameKey('Orléans Cedex 2'), 'orleans');
  });
});
