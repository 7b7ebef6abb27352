import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeData, encodeQr, formatBits, qrSvg, reedSolomonRemainder } from './qr.ts';

/**
 * An independent reader of our symbols (written from the standard, not from the encoder): it finds the
 * function patterns, reads the format bits, removes the mask, reads the codewords in zigzag order,
 * checks every block's Reed–Solomon syndromes and parses byte mode. A matrix that passes is decodable.
 */
const EC = [10, 16, 26, 18, 24, 16];
const BLOCKS = [1, 1, 1, 2, 2, 4];
const ALIGN = [0, 18, 22, 26, 30, 34];

function gfMul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x11d;
    b >>= 1;
  }
  return r;
}

function isFunctionModule(x: number, y: number, size: number, version: number): boolean {
  if (x <= 8 && y <= 8) return true; // top-left finder, separator and format
  if (x >= size - 8 && y <= 8) return true;
  if (x <= 8 && y >= size - 8) return true;
  if (x === 6 || y === 6) return true;
  const c = ALIGN[version - 1] ?? 0;
  return c > 0 && Math.abs(x - c) <= 2 && Math.abs(y - c) <= 2;
}

function readSymbol(modules: boolean[][]): string {
  const size = modules.length;
  const version = (size - 17) / 4;
  const at = (x: number, y: number) => modules[y]?.[x] === true;
  // Finder pattern centres are dark, their rings light then dark.
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    assert.ok(at(cx, cy) && !at(cx + 2, cy) && at(cx + 3, cy) && !at(cx, cy + 2), `finder at ${cx},${cy}`);
  }
  for (let i = 8; i < size - 8; i++) assert.equal(at(i, 6), i % 2 === 0, `timing at ${i}`);
  assert.ok(at(8, size - 8), 'the dark module');
  // Format bits, first copy, most significant first: (8,0..5), (8,7), (8,8), (7,8), (5..0,8).
  const firstCopy: boolean[] = [];
  for (let i = 0; i <= 5; i++) firstCopy.push(at(8, i));
  firstCopy.push(at(8, 7), at(8, 8), at(7, 8));
  for (let x = 5; x >= 0; x--) firstCopy.push(at(x, 8));
  const format = firstCopy.reduce((acc, b, i) => acc | (Number(b) << i), 0) ^ 0x5412;
  assert.equal(format >>> 13, 0, 'error correction level M');
  const mask = (format >>> 10) & 7;
  const maskFn = [
    (x: number, y: number) => (x + y) % 2 === 0,
    (_x: number, y: number) => y % 2 === 0,
    (x: number) => x % 3 === 0,
    (x: number, y: number) => (x + y) % 3 === 0,
    (x: number, y: number) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
    (x: number, y: number) => ((x * y) % 2) + ((x * y) % 3) === 0,
    (x: number, y: number) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
    (x: number, y: number) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
  ][mask] as (x: number, y: number) => boolean;
  // Zigzag: two-column strips from the right, alternately upward and downward, skipping column 6.
  const bits: number[] = [];
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    const col = right <= 6 ? right - 1 : right;
    for (let k = 0; k < size; k++) {
      const y = upward ? size - 1 - k : k;
      for (const x of [col, col - 1]) {
        if (isFunctionModule(x, y, size, version)) continue;
        bits.push(Number(at(x, y) !== maskFn(x, y)));
      }
    }
    upward = !upward;
  }
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8)
    codewords.push(Number.parseInt(bits.slice(i, i + 8).join(''), 2));
  const ec = EC[version - 1] as number;
  const blocks = BLOCKS[version - 1] as number;
  const total = codewords.length;
  const dataLen = (total - ec * blocks) / blocks;
  const data: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const block: number[] = [];
    for (let i = 0; i < dataLen; i++) block.push(codewords[i * blocks + b] as number);
    for (let i = 0; i < ec; i++) block.push(codewords[dataLen * blocks + i * blocks + b] as number);
    // Every syndrome S_j = c(α^j), j = 0..ec-1, is zero for a valid codeword.
    let alpha = 1;
    for (let j = 0; j < ec; j++) {
      let s = 0;
      for (const c of block) s = gfMul(s, alpha) ^ c;
      assert.equal(s, 0, `syndrome ${j} of block ${b} is not zero`);
      alpha = gfMul(alpha, 2);
    }
    data.push(...block.slice(0, dataLen));
  }
  assert.equal(data[0] !== undefined && data[0] >>> 4, 0b0100, 'byte mode');
  const length = (((data[0] as number) & 0xf) << 4) | ((data[1] as number) >>> 4);
  const bytes: number[] = [];
  for (let i = 0; i < length; i++)
    bytes.push((((data[1 + i] as number) & 0xf) << 4) | ((data[2 + i] as number) >>> 4));
  return new TextDecoder().decode(new Uint8Array(bytes));
}

describe('QR code encoder (byte mode, versions 1–6, level M)', () => {
  it("computes the Reed–Solomon codewords of the standard's worked example (1-M, « 01234567 »)", () => {
    const data = [
      0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11,
    ];
    assert.deepEqual(
      reedSolomonRemainder(data, 10),
      [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55],
    );
  });

  it('writes the format bits of the standard’s table for level M', () => {
    const table = [
      '101010000010010',
      '101000100100101',
      '101111001111100',
      '101101101001011',
      '100010111111001',
      '100000011001110',
      '100111110010111',
      '100101010100000',
    ];
    for (const [mask, bits] of table.entries()) {
      assert.equal(formatBits(mask).toString(2).padStart(15, '0'), bits);
    }
  });

  it('pads byte-mode data with the terminator and 0xEC 0x11', () => {
    assert.deepEqual(
      encodeData(new TextEncoder().encode('A'), 1),
      [0x40, 0x14, 0x10, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec],
    );
  });

  it('encodes a place URL in the smallest version and reads back the same text, with every mask', () => {
    const cases = [
      ['https://a.fr', 1],
      ['https://ex.org/lieux/12', 2],
      ['http://127.0.0.1:3000/lieux/1', 3],
      ['https://m.fr/lieux/0b5a1e2c-1111-4a4a-9c9c-123456789abc', 4],
      ['http://127.0.0.1:3000/lieux/0b5a1e2c-1111-4a4a-9c9c-123456789abc', 5],
      ['https://maillage.example.org/lieux/0b5a1e2c-1111-4a4a-9c9c-123456789abc?x=ééé', 5],
      [`https://www.reseau-inclusion-numerique.example.org/lieux/${'a'.repeat(40)}`, 6],
    ] as const;
    for (const [url, version] of cases) {
      const best = encodeQr(url);
      assert.equal(best.version, version, url);
      assert.equal(best.size, 17 + 4 * version);
      assert.equal(readSymbol(best.modules), url);
      for (let mask = 0; mask < 8; mask++)
        assert.equal(readSymbol(encodeQr(url, mask).modules), url, `mask ${mask}`);
    }
  });

  it('refuses text longer than version 6 holds, and draws an SVG with a quiet zone and a label', () => {
    assert.throws(() => encodeQr('x'.repeat(107)), RangeError);
    const svg = qrSvg('https://a.fr', 'Code QR <de> la fiche');
    assert.match(svg, /^<svg [^>]*viewBox="0 0 29 29"[^>]*role="img" aria-label="Code QR &lt;de> la fiche"/);
  });
});
