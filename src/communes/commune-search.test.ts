import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_COMMUNE_POINTS } from '../demo/demo-communes.ts';
import { searchCommunes } from './commune-search.ts';
import { allowedEdits, boundedDistance, SpellingIndex, soundKey, spellingKey } from './commune-spelling.ts';
import { getCommune, resolveTerritory } from './communes.ts';

/** Orléans Métropole, the demonstration's territory. */
const METROPOLE = new Set(resolveTerritory({ kind: 'epci', code: '244500468' }).communes.map((c) => c.code));

/**
 * What people type for the 22 communes of Orléans Métropole (accents and hyphens forgotten, letters
 * doubled or dropped, "St" for "Saint", written as heard) and what "Où ?" must offer first: the commune
 * itself when the text names it, else the first "Vouliez-vous dire … ?" link.
 */
const METROPOLE_TABLE: ReadonlyArray<[typed: string, code: string]> = [
  ['Orleans', '45234'],
  ['orléans', '45234'],
  ['Orlans', '45234'],
  ['Orleant', '45234'],
  ['Olivett', '45232'],
  ['Olivey', '45232'],
  ['St Jean de Braye', '45284'],
  ['Saint Jean de Braie', '45284'],
  ['fleury les aubrais', '45147'],
  ['Fleury les Aubray', '45147'],
  ['Sarran', '45302'],
  ['Sarant', '45302'],
  ['Saint Jean de la Rulle', '45285'],
  ['La Chapele Saint Mesmin', '45075'],
  ['Ingres', '45169'],
  ['St Jean le Blan', '45286'],
  ['Chessy', '45089'],
  ['Checy', '45089'],
  ['Saint Denis en Vals', '45274'],
  ['St Prive St Mesmin', '45298'],
  ['Ormmes', '45235'],
  ['Saint Cyr en Vals', '45272'],
  ['Simoy', '45308'],
  ['Saint Hilaire Saint Mesmain', '45282'],
  ['Mardier', '45194'],
  ['Boigny sur Bionnes', '45034'],
  ['Marigny les Usage', '45197'],
  ['Chantau', '45072'],
  ['Bouu', '45043'],
  ['Conbleux', '45100'],
];

/** Large French towns, misspelt, searched from Orléans Métropole: France's nearest name comes first. */
const FRANCE_TABLE: ReadonlyArray<[typed: string, code: string]> = [
  ['Marseile', '13055'],
  ['Bordeau', '33063'],
  ['Bordaux', '33063'],
  ['Toulousse', '31555'],
  ['Nantess', '44109'],
  ['Strasbourgh', '67482'],
  ['Montpelier', '34172'],
  ['Lile', '59350'],
  ['Lyonn', '69123'],
  ['Rheims', '51454'],
  ['Grenobles', '38185'],
  ['Dijion', '21231'],
  ['Limoge', '87085'],
  ['Clermont Ferrant', '63113'],
  ['Perpignant', '66136'],
  ['Aix en provance', '13001'],
  ['Renne', '35238'],
  ['Pari', '75056'],
  ['Le Havres', '76351'],
  ['Villeurbane', '69266'],
  ['Besanson', '25056'],
];

const first = (text: string) => {
  const found = searchCommunes(text, METROPOLE);
  return found.exact?.code ?? found.candidates[0]?.code ?? null;
};

describe('"Où ?": misspelt communes get the closest names (docs/decisions/0034)', () => {
  it('the table covers every commune of the demonstration territory', () => {
    const covered = new Set(METROPOLE_TABLE.map(([, code]) => code));
    assert.deepEqual(
      DEMO_COMMUNE_POINTS.filter((c) => !covered.has(c.code)).map((c) => c.nom),
      [],
    );
    assert.equal(METROPOLE.size, 22);
  });

  for (const [typed, code] of METROPOLE_TABLE) {
    it(`offers ${getCommune(code)?.nom} first for « ${typed} »`, () => {
      assert.equal(first(typed), code);
    });
  }

  for (const [typed, code] of FRANCE_TABLE) {
    it(`offers ${getCommune(code)?.nom} first for « ${typed} », outside the territory`, () => {
      const found = searchCommunes(typed, METROPOLE);
      assert.equal(found.exact, null, 'a misspelling is never taken for a commune without asking');
      assert.equal(found.candidates[0]?.code, code);
    });
  }

  it('asks "Vouliez-vous dire Saran ?" for « Sarran », a real commune of Corrèze, which comes after', () => {
    const found = searchCommunes('Sarran', METROPOLE);
    assert.equal(found.match, 'spelling');
    assert.equal(found.exact, null);
    assert.deepEqual(
      found.candidates.slice(0, 2).map((c) => `${c.nom} ${c.departement}`),
      ['Saran 45', 'Sarran 19'],
    );
  });

  it('puts the territory before France: Chécy before the two Chessy', () => {
    const names = searchCommunes('Chessy', METROPOLE).candidates.map((c) => `${c.nom} ${c.departement}`);
    assert.deepEqual(names.slice(0, 3), ['Chécy 45', 'Chessy 77', 'Chessy 69']);
  });

  it('takes a correctly spelt commune of the territory at once, whatever its accents, case and hyphens', () => {
    for (const text of ['ORLEANS', 'saint-jean-de-braye', 'St-Jean-de-Braye', 'chécy', 'Saran '])
      assert.ok(searchCommunes(text, METROPOLE).exact, text);
  });

  it('offers the choice for a postcode shared by several communes, the territory first', () => {
    const found = searchCommunes('45140', METROPOLE);
    assert.equal(found.exact, null);
    assert.equal(found.match, 'postcode');
    const codes = found.candidates.map((c) => c.code);
    for (const code of ['45169', '45235', '45285']) assert.ok(codes.includes(code), code);
    const firstOutside = codes.findIndex((code) => !METROPOLE.has(code));
    assert.ok(firstOutside === -1 || codes.slice(firstOutside).every((code) => !METROPOLE.has(code)));
    assert.equal(searchCommunes('45 000', METROPOLE).exact?.code, '45234');
  });

  it("offers the territory's long names for a part of them, before a commune of that exact name far away", () => {
    // People say "Saint-Pryvé" and "Saint-Mesmin"; France has a Saint-Privé and four Saint-Mesmin.
    assert.equal(searchCommunes('Saint Privé', METROPOLE).candidates[0]?.code, '45298');
    const mesmin = searchCommunes('Saint Mesmin', METROPOLE);
    assert.equal(mesmin.exact, null);
    assert.deepEqual(
      mesmin.candidates
        .slice(0, 3)
        .map((c) => c.code)
        .sort(),
      ['45075', '45282', '45298'],
      'the three "…-Saint-Mesmin" of the territory first',
    );
    assert.ok(mesmin.candidates.slice(3).every((c) => !METROPOLE.has(c.code)));
    assert.ok(
      mesmin.candidates.some((c) => c.nom === 'Saint-Mesmin'),
      'then the far ones',
    );
    assert.equal(searchCommunes('chapelle', METROPOLE).candidates[0]?.code, '45075');
    // A whole country is too large to scan for parts of names: the exact name is taken.
    const france = new Set(resolveTerritory({ kind: 'fr' }).communes.map((c) => c.code));
    assert.equal(searchCommunes('Saint Privé', france).candidates[0]?.nom, 'Saint-Privé');
  });

  it('reads a name with its postcode, in either order, and a wrong postcode as the name alone', () => {
    assert.equal(searchCommunes('Orleans 45000', METROPOLE).exact?.code, '45234');
    assert.equal(searchCommunes('45140 Ingré', METROPOLE).exact?.code, '45169');
    assert.equal(searchCommunes('Ingre 45140', METROPOLE).exact?.code, '45169');
    assert.equal(searchCommunes('Orléans 45140', METROPOLE).exact?.code, '45234');
    assert.equal(searchCommunes('Sarran 45770', METROPOLE).candidates[0]?.code, '45302');
  });

  it('finds a commune outside the territory by its exact name (the page then says it is outside)', () => {
    const found = searchCommunes('Marseille', METROPOLE);
    assert.equal(found.exact?.code, '13055');
  });

  it('answers empty, very long, scripted or nonsense text with nothing, quickly, never an exception', () => {
    for (const text of [
      '',
      '   ',
      '-',
      "''",
      '<script>alert(1)</script>',
      'Zzyzxville',
      'x'.repeat(200),
      '☃☃☃',
    ]) {
      const found = searchCommunes(text, METROPOLE);
      assert.equal(found.exact, null, text.slice(0, 20));
      assert.ok(found.candidates.length <= 12);
    }
    assert.equal(searchCommunes('Zzyzxville', METROPOLE).match, 'none');
    assert.equal(searchCommunes('x'.repeat(200), METROPOLE).candidates.length, 0);
  });
});

describe('the spelling distance', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    assert.equal(boundedDistance('saran', 'saran', 2), 0);
    assert.equal(boundedDistance('sarran', 'saran', 2), 1);
    assert.equal(boundedDistance('olievt', 'olivet', 2), 1);
    assert.equal(boundedDistance('kitten', 'sitting', 3), 3);
  });

  it('stops above the bound: a name too far costs a few rows, not the whole table', () => {
    assert.equal(boundedDistance('orleans', 'strasbourg', 2), 3);
    assert.equal(boundedDistance('a', 'abcdef', 2), 3);
  });

  it('folds accents, case, hyphens, apostrophes and "saint"/"st", and hears doubled letters and soft c alike', () => {
    assert.equal(spellingKey('Saint-Jean-de-Braye'), spellingKey('ST JEAN DE BRAYE'));
    assert.equal(spellingKey("L'Île-Bouchard"), spellingKey('l ile bouchard'));
    assert.equal(soundKey(spellingKey('Chessy')), soundKey(spellingKey('Chécy')));
    assert.equal(soundKey(spellingKey('Bordeau')), soundKey(spellingKey('Bordeaux')));
    assert.notEqual(soundKey(spellingKey('Nantes')), soundKey(spellingKey('Chanteau')));
  });

  it('allows no edit under 4 letters, then more as names grow, and compares only names of near length', () => {
    assert.deepEqual([3, 4, 5, 6, 9, 10, 30].map(allowedEdits), [0, 1, 1, 2, 2, 3, 3]);
    const index = new SpellingIndex(
      ['Bou', 'Boue', 'Bouy', 'Boulay-les-Barres'].map((name) => ({ name, item: name })),
    );
    assert.deepEqual(
      index.close('Bouu').map((c) => c.item),
      ['Bou', 'Boue', 'Bouy'],
    );
    assert.deepEqual(index.close('Bo'), []);
  });
});
