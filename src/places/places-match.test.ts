import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distanceMeters, explainMatch, formatDistance, matchPlaces } from './places-match.ts';

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

describe('why two records match, in plain French', () => {
  const record = (
    nom: string,
    adresse: string,
    latitude: number | null,
    longitude: number | null,
    telephone: string | null = null,
  ) => ({ nom, adresse, latitude, longitude, telephone });

  it('names the name words in common as written, the same address, the same phone and the distance', () => {
    const { result, reasons } = explainMatch(
      record('Médiathèque de La Source', '4 place Sainte-Beuve', 47.84067, 1.94103, '+33261910102'),
      record('Médiathèque La Source', '4 pl. Sainte Beuve', 47.84075, 1.94112, '02 61 91 01 02'),
    );
    assert.ok(result.match);
    assert.deepEqual(reasons, [
      'Noms proches (100 %) : mots en commun « Médiathèque », « Source ».',
      'Même adresse (100 %).',
      'Même numéro de téléphone.',
      'Positions à 10 m l’une de l’autre.',
    ]);
  });

  it('says when only the France services label and the address bring two records together', () => {
    const { result, reasons } = explainMatch(
      record('Centre social de La Source', '6 place Albert-Camus', 47.83832, 1.93812),
      record('France services Orléans Sud', '6 pl. Albert Camus', 47.8385, 1.9383),
    );
    assert.deepEqual([result.match, result.score], [true, 0.6]);
    assert.equal(reasons[0], 'Noms sans rien en commun.');
    assert.match(reasons[1] ?? '', /espace France Services : ce label est souvent donné à un lieu/);
  });

  it('says when positions are far apart but the written addresses agree, and when a position is missing', () => {
    const far = explainMatch(
      record('Espace numérique', '8 rue Charles Péguy', 47.92, 1.91),
      record('Espace numérique', '8 rue Charles Peguy', 47.93, 1.91),
    );
    assert.ok(far.result.match);
    assert.ok(
      far.reasons.includes(
        'Positions à 1,1 km l’une de l’autre, plus que les 150 m admis, mais les adresses écrites concordent.',
      ),
    );
    const unknown = explainMatch(
      record('Espace numérique', '8 rue Charles Péguy', null, null),
      record('Espace numérique', '8 rue Charles Peguy', 47.93, 1.91),
    );
    assert.ok(unknown.reasons.includes('Distance inconnue : une des fiches n’a pas de position.'));
  });

  it('says first when the records as stored now would no longer match, and why', () => {
    const { result, reasons } = explainMatch(
      record('Médiathèque', '12 rue des Lilas', 47.9, 1.9),
      record('Médiathèque', '14 rue des Lilas', 47.9, 1.9),
    );
    assert.equal(result.match, false);
    assert.match(reasons[0] ?? '', /ne seraient plus rapprochés/);
    assert.ok(reasons.includes('Numéros différents dans la rue (12 et 14).'));
  });

  it('writes distances as people read them', () => {
    assert.equal(formatDistance(4), '4 m');
    assert.equal(formatDistance(38), '40 m');
    assert.equal(formatDistance(1234), '1,2 km');
  });
});
