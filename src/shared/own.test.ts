import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ownEntry } from './own.ts';

describe('ownEntry', () => {
  const table: Record<string, string> = { ajoute: 'Ajouté.' };
  it("finds the table's own entries only", () => {
    assert.equal(ownEntry(table, 'ajoute'), 'Ajouté.');
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', null, undefined])
      assert.equal(ownEntry(table, key), undefined, String(key));
  });
});
