import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareIfMayMatch,
  explainMatch,
  type MatchInput,
  matchKey,
  matchPlaces,
  mayMatch,
  siretOf,
} from './places-match.ts';

/** Saran's town hall (SIREN 214 503 021), a valid SIRET; the same with its last digit wrong. */
const SIRET = '21450302100013';
const BAD_CHECKSUM = '21450302100014';
const ZERO = '00000000000000';

/** About 1 m per 0.000009° of latitude: `north(40)` is 40 m north of the town hall. */
const north = (metres: number) => 47.9501 + metres * 0.000009;

const place = (
  nom: string,
  adresse: string,
  pivot: string,
  latitude: number | null = null,
  telephone: string | null = null,
): MatchInput & { telephone: string | null } => ({
  nom,
  adresse,
  pivot,
  latitude,
  longitude: latitude === null ? null : 1.8651,
  telephone,
});

/** The town hall and its library: unrelated names, one street, 40 m apart. */
const townHall = (pivot: string) => place('Hôtel de ville', 'place de la Liberté', pivot, north(0));
const library = (pivot: string) =>
  place('Médiathèque Jean Quilliet', 'place de la Liberté', pivot, north(40));

describe('the SIRET as evidence (docs/decisions/0058)', () => {
  it('reads a valid SIRET only: not the zero placeholder, a bad checksum, a SIREN or an RNA number', () => {
    assert.equal(siretOf(SIRET), SIRET);
    assert.equal(siretOf('214 503 021 00013'), SIRET, 'as people type it');
    assert.equal(siretOf('35600000049837'), '35600000049837', "La Poste's own rule, not Luhn");
    for (const pivot of [ZERO, BAD_CHECKSUM, '214503021', 'W452001234', '', null, undefined])
      assert.equal(siretOf(pivot), null, String(pivot));
  });

  it('merges two records of the same valid SIRET under 200 m apart, whatever their names', () => {
    const result = matchPlaces(townHall(SIRET), library(SIRET));
    assert.deepEqual([result.match, result.sameSiret], [true, true]);
    assert.ok(mayMatch(matchKey(townHall(SIRET)), matchKey(library(SIRET))));
  });

  it('ignores the zero SIRET and a SIRET with a bad checksum', () => {
    for (const pivot of [ZERO, BAD_CHECKSUM]) {
      const result = matchPlaces(townHall(pivot), library(pivot));
      assert.deepEqual([result.match, result.sameSiret], [false, false], pivot);
    }
  });

  it('does not merge on the SIRET alone two branches far apart', () => {
    const north = place('Mairie annexe Nord', 'avenue de la Trillade', SIRET, 47.96);
    const south = place('Mairie annexe Sud', 'rue François Ier', SIRET, 47.949);
    const result = matchPlaces(north, south);
    assert.deepEqual([result.match, result.sameSiret], [false, true]);
  });

  it('merges the same SIRET at the same address, even without positions or far apart', () => {
    assert.ok(
      matchPlaces(
        place('Avenir 84', '27 avenue de la Trillade', SIRET),
        place('Ateliers numériques gratuits', '27 B av. de la Trillade', SIRET),
      ).match,
    );
    assert.ok(
      matchPlaces(
        place('Avenir 84', '27 avenue de la Trillade', SIRET, north(0)),
        place('Ateliers numériques gratuits', '27 avenue de la Trillade', SIRET, north(900)),
      ).match,
    );
  });

  it('keeps apart the same SIRET at distinct house numbers or on other streets, however close', () => {
    const numbers = matchPlaces(
      place('Hôtel de ville', '1 rue de la Mairie', SIRET, north(0)),
      place('Espace jeunes', '9 rue de la Mairie', SIRET, north(60)),
    );
    assert.equal(numbers.match, false, 'distinct house numbers');
    const streets = matchPlaces(
      place('Mairie', 'place de la Liberté', SIRET, north(0)),
      place('Médiathèque', 'avenue Gabriel Magnino', SIRET, north(100)),
    );
    assert.equal(streets.match, false, 'a commune’s SIRET on its town hall and its library, on two streets');
  });

  it('merges the same name under 200 m apart, the addresses written differently', () => {
    const a = place('France services', '35 rue de l’Hôtel de Ville', ZERO, north(0));
    const b = place('France services Valréas', 'place Aristide Briand', ZERO, north(170));
    assert.ok(matchPlaces(a, b).match);
    assert.ok(compareIfMayMatch(matchKey(a), matchKey(b))?.match, 'the import’s prefilter lets it through');
    const farther = place('France services Valréas', 'place Aristide Briand', ZERO, north(260));
    assert.equal(matchPlaces(a, farther).match, false);
  });
});

describe('what people reviewing a merge read about the SIRET', () => {
  it('says « Même SIRET, à 40 m » for the same SIRET close by', () => {
    const { result, reasons } = explainMatch(townHall(SIRET), library(SIRET));
    assert.ok(result.match);
    assert.ok(reasons.includes('Même SIRET, à 40 m.'), reasons.join('\n'));
  });

  it('says « Même SIRET, à la même adresse » without positions', () => {
    const { reasons } = explainMatch(
      place('Avenir 84', '27 avenue de la Trillade', SIRET),
      place('Ateliers numériques gratuits', '27 av. de la Trillade', SIRET),
    );
    assert.ok(reasons.includes('Même SIRET, à la même adresse.'), reasons.join('\n'));
  });

  it('says why the same SIRET did not bring branches together', () => {
    const far = explainMatch(
      place('Mairie annexe Nord', 'avenue de la Trillade', SIRET, north(0)),
      place('Mairie annexe Sud', 'rue François Ier', SIRET, north(1200)),
    );
    assert.equal(far.result.match, false);
    assert.ok(
      far.reasons.includes(
        'Même SIRET, mais à 1,2 km : un SIRET couvre souvent plusieurs lieux, il ne suffit pas à les rapprocher.',
      ),
      far.reasons.join('\n'),
    );
    const numbers = explainMatch(
      place('Hôtel de ville', '1 rue de la Mairie', SIRET, north(0)),
      place('Espace jeunes', '9 rue de la Mairie', SIRET, north(60)),
    );
    assert.ok(numbers.reasons.some((r) => r.startsWith('Même SIRET, mais numéros différents dans la rue')));
  });

  it('names a SIRET ignored for its checksum, and says nothing of the zero placeholder', () => {
    const { reasons } = explainMatch(townHall(BAD_CHECKSUM), library(ZERO));
    assert.ok(reasons.includes(`SIRET « ${BAD_CHECKSUM} » ignoré : sa clé de contrôle est fausse.`));
    assert.equal(reasons.filter((r) => r.includes('SIRET')).length, 1, reasons.join('\n'));
  });
});
