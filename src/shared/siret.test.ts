import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidSiren } from './siren.ts';
import { isValidSiret, LA_POSTE_SIREN, siretProblem, UNKNOWN_SIRET } from './siret.ts';

describe('SIRET and SIREN', () => {
  it('accepts a SIRET whose 14 digits and whose SIREN pass the Luhn check', () => {
    assert.equal(isValidSiret('21450302100013'), true, 'Saran (SIREN 214 503 021)');
    assert.equal(isValidSiret('43493312300029'), true);
    assert.equal(isValidSiren('214503021'), true);
    assert.equal(isValidSiren('130025265'), true);
  });

  it('refuses a wrong digit or two digits swapped (Luhn)', () => {
    assert.equal(isValidSiret('21450302100014'), false, 'last digit wrong');
    assert.equal(isValidSiret('21450302100031'), false, 'two digits swapped');
    assert.equal(isValidSiren('214503027'), false);
    // Luhn-valid over 14 digits, but its SIREN is not: not a SIRET INSEE could give.
    assert.equal(isValidSiret('21450302700010'), false);
    assert.match(siretProblem('21450302100014') ?? '', /contient une erreur/);
  });

  it("follows La Poste's own rule: SIREN 356000000, the sum of the 14 digits divisible by 5", () => {
    assert.equal(LA_POSTE_SIREN, '356000000');
    assert.equal(isValidSiret('35600000000001'), true, 'digit sum 15, fails Luhn');
    assert.equal(isValidSiret('35600000000048'), false, 'digit sum 26, although it passes Luhn');
    assert.equal(isValidSiret('35600000049837'), true, 'digit sum 45');
    assert.equal(isValidSiret('35600000049838'), false, 'digit sum 46');
    assert.equal(isValidSiret('35600000049832'), true, 'digit sum 40');
  });

  it('never takes 00000000000000 ("unknown" in the national schema) for a SIRET', () => {
    assert.equal(UNKNOWN_SIRET, '00000000000000');
    assert.equal(isValidSiret('00000000000000'), false, 'although its Luhn sum is 0');
    assert.equal(isValidSiren('000000000'), false);
    assert.match(siretProblem('00000000000000') ?? '', /SIRET inconnu/);
  });

  it('refuses anything but 14 digits (spaces are removed before: compactPivot)', () => {
    for (const text of [
      '',
      '2145030210001',
      '214503021000130',
      '214 503 021 00013',
      'W452001234',
      '2145030210001A',
    ])
      assert.equal(isValidSiret(text), false, text);
    assert.equal(siretProblem('21450302100013'), null);
  });
});
