import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distanceMeters, matchPlaces } from './places-match.ts';

const at = (
  nom: string,
  adresse: string,
  latitude: number | null = null,
  longitude: number | null = null,
) => ({
  nom,
  adresse,
  latitude,
  longitude,
});

describe('places matcher', () => {
  it('matches the same place written differently (case, accents, abbreviations, plurals)', () => {
    assert.ok(
      matchPlaces(
        at('Centre social de la Source', '12 rue des Lilas'),
        at('CENTRE SOCIAL LA SOURCE', '12 r. des lilas'),
      ).match,
    );
    assert.ok(
      matchPlaces(
        at('Utop Lab', '9 Traverse des Pénitents Noirs'),
        at('Utoplab Factory', '9 traverses des penitents noirs'),
      ).match,
    );
  });

  it('matches a France services with the structure hosting it at the same numbered address', () => {
    assert.ok(
      matchPlaces(
        at('MEDIANCE 13', '25 BD LAROUSSE'),
        at('France services Marseille 14ème - Massalia', '25 Boulevard Larousse'),
      ).match,
    );
  });

  it('keeps apart two services of one building with unrelated names', () => {
    assert.equal(
      matchPlaces(
        at('Ligue de l’enseignement', '68 avenue Victor Agostini'),
        at("Alternativ'", '68 avenue victor agostini'),
      ).match,
      false,
    );
  });

  it('keeps apart different house numbers, and positions over 150 m apart when addresses differ', () => {
    assert.equal(
      matchPlaces(at('CCAS de Pégomas', '169 avenue de Grasse'), at('CCAS Pégomas', '25 avenue de Grasse'))
        .match,
      false,
    );
    const near = at('Médiathèque', 'rue de la Mairie', 47.9005, 1.9);
    assert.ok(matchPlaces(at('Médiathèque', '1 place de la Mairie', 47.9, 1.9), near).match);
    const far = matchPlaces(
      at('Médiathèque', '1 place de la Mairie', 47.9, 1.9),
      at('Médiathèque', 'rue de la Mairie', 47.903, 1.9),
    );
    assert.equal(far.match, false);
    assert.ok((far.distance ?? 0) > 300);
    // Publishers geocode differently: the same written address wins over distant positions.
    assert.ok(
      matchPlaces(
        at('CS Capelette', '221 avenue de la Capelette', 43.28, 5.4097),
        at('Centre social de la Capelette', '221 av. de la Capelette', 43.2792, 5.4117),
      ).match,
    );
  });

  it('reads words that are names of object properties as words (a "constructor" once broke the import)', () => {
    const result = matchPlaces(
      at('Espace Constructor', '12 rue Valueof', 47.9, 1.9),
      at('Espace constructor', '12 rue valueOf', 47.9, 1.9),
    );
    assert.equal(result.match, true);
  });

  it('measures great-circle distances', () => {
    assert.ok(Math.abs(distanceMeters(48.8566, 2.3522, 45.764, 4.8357) - 392_000) < 2_000);
  });
});
