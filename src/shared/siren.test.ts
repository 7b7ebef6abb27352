import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactSiren, formatSiren, isValidSiren, luhnValid } from './siren.ts';

describe('SIREN numbers', () => {
  it('accepts real SIRENs, typed with spaces or dots', () => {
    // Commune d'Orléans, La Poste, INSEE itself.
    for (const siren of ['214502346', '356000000', '120027016', '214 502 346', '214.502.346'])
      assert.equal(isValidSiren(siren), true, siren);
  });

  it('refuses a wrong checksum, a wrong length, letters and the "unknown" zeros', () => {
    for (const siren of ['214502347', '21450234', '2145023460', '21450234A', '000000000', '', '   '])
      assert.equal(isValidSiren(siren), false, siren);
  });

  it('checks Luhn from the right whatever the length (a SIRET is 14 digits)', () => {
    assert.equal(luhnValid('21450234600015'), true);
    assert.equal(luhnValid('21450234600017'), false);
    assert.equal(luhnValid('12a'), false);
  });

  it('compacts and formats as printed', () => {
    assert.equal(compactSiren(' 214\u00a0502 346 '), '214502346');
    assert.equal(formatSiren('214502346'), '214 502 346');
    assert.equal(formatSiren('abc'), 'abc');
  });
});
