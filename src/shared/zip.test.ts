import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import { craftedZip } from '../../test/support/crafted-zip.ts';
import { zipDeclaration } from './zip.ts';

describe('a zip’s declared sizes, read without unzipping', () => {
  it('sums the central directory’s uncompressed sizes', () => {
    assert.deepEqual(zipDeclaration(craftedZip(4_000_000_000)), {
      ok: true,
      entries: 1,
      uncompressedBytes: 4_000_000_000,
    });
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, 'a.txt', Buffer.from('bonjour'));
    XLSX.CFB.utils.cfb_add(cfb, 'b.txt', Buffer.from('au revoir'));
    const real = zipDeclaration(
      new Uint8Array(XLSX.CFB.write(cfb, { fileType: 'zip', type: 'buffer' }) as Buffer),
    );
    assert.ok(real.ok && real.uncompressedBytes === 16 && real.entries >= 2, JSON.stringify(real));
  });

  it('counts ZIP64 markers as too large, and says when it is no zip or a broken one', () => {
    const zip64 = zipDeclaration(craftedZip(0xffffffff));
    assert.ok(zip64.ok && zip64.uncompressedBytes === Number.POSITIVE_INFINITY);
    assert.deepEqual(zipDeclaration(new TextEncoder().encode('Date;ID CRA\n')), {
      ok: false,
      reason: 'not_zip',
    });
    const cut = craftedZip(10);
    assert.deepEqual(zipDeclaration(cut.slice(0, cut.length - 5)), { ok: false, reason: 'broken' });
    const lying = craftedZip(10);
    new DataView(lying.buffer).setUint32(lying.length - 6, 5, true); // directory offset into the data
    assert.deepEqual(zipDeclaration(lying), { ok: false, reason: 'broken' });
  });
});
