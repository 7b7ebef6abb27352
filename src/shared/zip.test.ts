import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import { craftedZip, deflatedZip } from '../../test/support/crafted-zip.ts';
import { zipDeclaration, zipInflatesAsDeclared } from './zip.ts';

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

describe('a zip’s entries, inflated under their declared size', () => {
  const content = new Uint8Array(2_000_000).fill(65);

  it('accepts entries that inflate to what the directory says, a real workbook among them', () => {
    assert.equal(zipInflatesAsDeclared(deflatedZip(content, content.length, content.length)), true);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([
        ['Date', 'Thématiques'],
        ['2026-11-02', 'Email'],
      ]),
    );
    const xlsx = new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    assert.equal(zipInflatesAsDeclared(xlsx), true);
  });

  it('refuses a directory that declares less than the data holds, whatever the local header says', () => {
    // 2 MB of data declared as 1,000 bytes, the local header saying 0 (as with a data descriptor):
    // the case where a library trusting the local header inflates without bound.
    const lying = deflatedZip(content, 1000, 0);
    assert.ok(lying.length < 10_000, `a small file (${lying.length} bytes)`);
    assert.deepEqual(zipDeclaration(lying), { ok: true, entries: 1, uncompressedBytes: 1000 });
    assert.equal(zipInflatesAsDeclared(lying), false);
    assert.equal(
      zipInflatesAsDeclared(deflatedZip(content, content.length + 1, 0)),
      false,
      'more than it holds',
    );
    const corrupt = deflatedZip(content, content.length, content.length);
    corrupt.fill(0xff, 60, 80);
    assert.equal(zipInflatesAsDeclared(corrupt), false, 'corrupt data');
    assert.equal(zipInflatesAsDeclared(craftedZip(5)), false, 'a stored entry of 1 byte declared as 5');
  });
});
