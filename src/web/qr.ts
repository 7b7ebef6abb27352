/**
 * A small QR code encoder (ISO/IEC 18004), enough for a printed sheet's link: byte mode, versions 1 to 6,
 * error correction level M (15 % of the symbol can be damaged — a folded or stained sheet still scans).
 * No dependency; the SVG is drawn on the server, so the page needs no script. Follows the structure of
 * Project Nayuki's reference implementation (MIT), cut down to what we use.
 */

/** Per version 1..6 at level M: error correction codewords per block, number of blocks, total codewords. */
const VERSIONS_M: ReadonlyArray<{ ecPerBlock: number; blocks: number; total: number }> = [
  { ecPerBlock: 10, blocks: 1, total: 26 },
  { ecPerBlock: 16, blocks: 1, total: 44 },
  { ecPerBlock: 26, blocks: 1, total: 70 },
  { ecPerBlock: 18, blocks: 2, total: 100 },
  { ecPerBlock: 24, blocks: 2, total: 134 },
  { ecPerBlock: 16, blocks: 4, total: 172 },
];
/** The centre of the one alignment pattern of versions 2..6 (row and column). */
const ALIGNMENT = [0, 18, 22, 26, 30, 34];
/** Level M's two format bits. */
const EC_LEVEL_M = 0;

export const QR_MAX_BYTES = 106;

/** Data codewords available at level M for a version. */
export function dataCodewords(version: number): number {
  const v = VERSIONS_M[version - 1];
  if (!v) throw new RangeError(`QR version ${version} is not supported (1 to 6)`);
  return v.total - v.ecPerBlock * v.blocks;
}

// --- Reed–Solomon over GF(2^8), polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) ---

function gfMultiply(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

/** The generator polynomial of the given degree (coefficients from the highest power, leading 1 dropped). */
export function reedSolomonDivisor(degree: number): number[] {
  const result = new Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < result.length; j++) {
      result[j] = gfMultiply(result[j] as number, root);
      if (j + 1 < result.length) result[j] = (result[j] as number) ^ (result[j + 1] as number);
    }
    root = gfMultiply(root, 0x02);
  }
  return result;
}

/** The error correction codewords of a block of data. */
export function reedSolomonRemainder(data: readonly number[], degree: number): number[] {
  const divisor = reedSolomonDivisor(degree);
  const result = new Array<number>(degree).fill(0);
  for (const b of data) {
    const factor = b ^ (result.shift() as number);
    result.push(0);
    for (let i = 0; i < divisor.length; i++)
      result[i] = (result[i] as number) ^ gfMultiply(divisor[i] as number, factor);
  }
  return result;
}

// --- Codewords ---

/** Byte-mode data codewords, with terminator and pad bytes, for a version. */
export function encodeData(bytes: Uint8Array, version: number): number[] {
  const capacity = dataCodewords(version) * 8;
  const bits: number[] = [];
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4); // byte mode
  push(bytes.length, 8); // character count (8 bits for versions 1..9)
  for (const b of bytes) push(b, 8);
  if (bits.length > capacity) throw new RangeError('data too long for this version');
  push(0, Math.min(4, capacity - bits.length)); // terminator
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) push(pad, 8);
  const codewords: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    let b = 0;
    for (let j = 0; j < 8; j++) b = (b << 1) | (bits[i + j] as number);
    codewords.push(b);
  }
  return codewords;
}

/** Splits into blocks, adds each block's error correction, and interleaves (all blocks are equal here). */
export function addErrorCorrection(data: readonly number[], version: number): number[] {
  const v = VERSIONS_M[version - 1];
  if (!v) throw new RangeError(`QR version ${version} is not supported (1 to 6)`);
  const size = data.length / v.blocks;
  const blocks: number[][] = [];
  const ecc: number[][] = [];
  for (let i = 0; i < v.blocks; i++) {
    const block = data.slice(i * size, (i + 1) * size);
    blocks.push(block);
    ecc.push(reedSolomonRemainder(block, v.ecPerBlock));
  }
  const out: number[] = [];
  for (let i = 0; i < size; i++) for (const block of blocks) out.push(block[i] as number);
  for (let i = 0; i < v.ecPerBlock; i++) for (const block of ecc) out.push(block[i] as number);
  return out;
}

// --- Matrix ---

/** The 15 format bits (level M, mask 0..7), BCH-protected and XOR-masked. */
export function formatBits(mask: number): number {
  const data = (EC_LEVEL_M << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

export interface QrMatrix {
  version: number;
  size: number;
  mask: number;
  /** modules[y][x]: true is dark. */
  modules: boolean[][];
}

const MASKS: ReadonlyArray<(x: number, y: number) => boolean> = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

class Builder {
  readonly size: number;
  readonly modules: boolean[][];
  readonly isFunction: boolean[][];

  constructor(readonly version: number) {
    this.size = version * 4 + 17;
    this.modules = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    this.isFunction = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
  }

  set(x: number, y: number, dark: boolean): void {
    (this.modules[y] as boolean[])[x] = dark;
    (this.isFunction[y] as boolean[])[x] = true;
  }

  drawFunctionPatterns(): void {
    const s = this.size;
    for (let i = 0; i < s; i++) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    for (const [cx, cy] of [
      [3, 3],
      [s - 4, 3],
      [3, s - 4],
    ] as const) {
      for (let dy = -4; dy <= 4; dy++) {
        for (let dx = -4; dx <= 4; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || x >= s || y < 0 || y >= s) continue;
          const d = Math.max(Math.abs(dx), Math.abs(dy));
          this.set(x, y, d !== 2 && d !== 4);
        }
      }
    }
    const c = ALIGNMENT[this.version - 1] ?? 0;
    if (c > 0) {
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) this.set(c + dx, c + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
    this.drawFormat(0); // reserves the format areas; redrawn with the chosen mask
  }

  drawFormat(mask: number): void {
    const bits = formatBits(mask);
    const bit = (i: number) => ((bits >>> i) & 1) !== 0;
    const s = this.size;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(s - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, s - 15 + i, bit(i));
    this.set(8, s - 8, true); // the dark module
  }

  drawCodewords(codewords: readonly number[]): void {
    const s = this.size;
    let i = 0;
    for (let right = s - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      for (let vert = 0; vert < s; vert++) {
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          const upward = ((right + 1) & 2) === 0;
          const y = upward ? s - 1 - vert : vert;
          if (!this.isFunction[y]?.[x] && i < codewords.length * 8) {
            (this.modules[y] as boolean[])[x] =
              (((codewords[i >>> 3] as number) >>> (7 - (i & 7))) & 1) !== 0;
            i++;
          }
          // Remainder bits (7 in versions 2..6) stay light.
        }
      }
    }
  }

  applyMask(mask: number): void {
    const fn = MASKS[mask] as (x: number, y: number) => boolean;
    for (let y = 0; y < this.size; y++)
      for (let x = 0; x < this.size; x++) {
        if (!this.isFunction[y]?.[x] && fn(x, y)) {
          const row = this.modules[y] as boolean[];
          row[x] = !row[x];
        }
      }
  }
}

/** The penalty score of a finished matrix (the four rules of ISO/IEC 18004 § 7.8.3). */
export function penalty(modules: readonly boolean[][]): number {
  const s = modules.length;
  const at = (x: number, y: number) => modules[y]?.[x] === true;
  let score = 0;
  // Rule 1: runs of five or more modules of the same colour, in rows and columns.
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < s; a++) {
      let run = 1;
      for (let b = 1; b <= s; b++) {
        const same = b < s && (pass === 0 ? at(b, a) === at(b - 1, a) : at(a, b) === at(a, b - 1));
        if (same) run++;
        else {
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
      }
    }
  }
  // Rule 2: 2×2 blocks of one colour.
  for (let y = 0; y < s - 1; y++)
    for (let x = 0; x < s - 1; x++) {
      const c = at(x, y);
      if (c === at(x + 1, y) && c === at(x, y + 1) && c === at(x + 1, y + 1)) score += 3;
    }
  // Rule 3: finder-like patterns 1:1:3:1:1 with four light modules on one side.
  const patterns = ['10111010000', '00001011101'];
  for (let a = 0; a < s; a++) {
    let row = '';
    let col = '';
    for (let b = 0; b < s; b++) {
      row += at(b, a) ? '1' : '0';
      col += at(a, b) ? '1' : '0';
    }
    for (const line of [row, col])
      for (const p of patterns)
        for (let i = line.indexOf(p); i !== -1; i = line.indexOf(p, i + 1)) score += 40;
  }
  // Rule 4: balance of dark and light modules.
  let dark = 0;
  for (const r of modules) for (const m of r) if (m) dark++;
  const total = s * s;
  score += Math.floor(Math.abs(dark * 20 - total * 10) / total) * 10;
  return score;
}

/**
 * Encodes text (UTF-8) in the smallest version 1..6 at level M, with the mask of lowest penalty (or the
 * one given). Throws a RangeError beyond 106 bytes.
 */
export function encodeQr(text: string, forcedMask?: number): QrMatrix {
  const bytes = new TextEncoder().encode(text);
  let version = 0;
  for (let v = 1; v <= 6; v++) {
    if (12 + bytes.length * 8 <= dataCodewords(v) * 8) {
      version = v;
      break;
    }
  }
  if (version === 0)
    throw new RangeError(
      `too long for a QR code of version 6 (${bytes.length} bytes, ${QR_MAX_BYTES} at most)`,
    );
  const codewords = addErrorCorrection(encodeData(bytes, version), version);
  let best: QrMatrix | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 8; mask++) {
    if (forcedMask !== undefined && mask !== forcedMask) continue;
    const b = new Builder(version);
    b.drawFunctionPatterns();
    b.drawCodewords(codewords);
    b.applyMask(mask);
    b.drawFormat(mask);
    const score = penalty(b.modules);
    if (score < bestScore) {
      bestScore = score;
      best = { version, size: b.size, mask, modules: b.modules };
    }
  }
  return best as QrMatrix;
}

/**
 * An SVG of the code with its four-module quiet zone, one path (small and crisp at any print size).
 * `label` is the accessible name (role="img").
 */
export function qrSvg(text: string, label: string): string {
  const qr = encodeQr(text);
  const quiet = 4;
  const dim = qr.size + quiet * 2;
  let d = '';
  qr.modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    });
  });
  const esc = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 ${dim} ${dim}" role="img" aria-label="${esc}" shape-rendering="crispEdges">` +
    `<rect width="${dim}" height="${dim}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
  );
}
