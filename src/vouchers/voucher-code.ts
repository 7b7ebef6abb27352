import { randomBytes } from 'node:crypto';

/**
 * Voucher codes (decision 0037): 13 characters of Douglas Crockford's base 32 (65 random bits) and his
 * check character (the number modulo 37), 14 characters in all, printed in groups of 4-4-3-3 to be read
 * aloud. Crockford's check character catches every single wrong character and every swap of two
 * neighbours. Its five extra symbols (* ~ $ = U) are hard to read on the phone, so codes whose check
 * would be one are drawn again: 32 of 37 draws are kept, about 64.8 bits of chance per code.
 * Typing is forgiving as Crockford's spec says: any case, O read as 0, I and L as 1, spaces and dashes
 * ignored.
 */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DATA_LENGTH = 13;
export const CODE_LENGTH = DATA_LENGTH + 1;
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;

const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

function checkValue(data: string): number {
  let mod = 0;
  for (const c of data) mod = (mod * 32 + (VALUE.get(c) ?? 0)) % 37;
  return mod;
}

/** The check character of 13 data characters (one of the 37 symbols). */
export function checkCharacter(data: string): string {
  return CHECK_SYMBOLS[checkValue(data)] as string;
}

/** A new code, from the operating system's random source. */
export function newVoucherCode(random: (n: number) => Uint8Array = randomBytes): string {
  for (;;) {
    // 65 bits: 9 bytes give 72, the last 7 are dropped.
    const bytes = random(9);
    let bits = 0n;
    for (const b of bytes) bits = (bits << 8n) | BigInt(b);
    bits >>= 7n;
    let data = '';
    for (let i = 0; i < DATA_LENGTH; i++) {
      data = ALPHABET[Number(bits & 31n)] + data;
      bits >>= 5n;
    }
    const check = checkValue(data);
    if (check < 32) return data + ALPHABET[check];
  }
}

/** How a code is printed and read aloud: 4-4-3-3. */
export function formatVoucherCode(code: string): string {
  return [code.slice(0, 4), code.slice(4, 8), code.slice(8, 11), code.slice(11)].filter(Boolean).join('-');
}

export type CodeReading =
  | { ok: true; code: string }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'character'; character: string; position: number }
  | { ok: false; reason: 'length'; length: number }
  | { ok: false; reason: 'check' };

/** Reads a typed code: tolerant of case, separators and look-alike letters; checked before any lookup. */
export function readVoucherCode(typed: string): CodeReading {
  const compact = typed.replace(/[\s\-–—_.]+/g, '').toUpperCase();
  if (compact === '') return { ok: false, reason: 'missing' };
  let code = '';
  for (const [i, raw] of [...compact].entries()) {
    const c = raw === 'O' ? '0' : raw === 'I' || raw === 'L' ? '1' : raw;
    if (!VALUE.has(c)) return { ok: false, reason: 'character', character: raw, position: i + 1 };
    code += c;
  }
  if (code.length !== CODE_LENGTH) return { ok: false, reason: 'length', length: code.length };
  const data = code.slice(0, DATA_LENGTH);
  if (checkCharacter(data) !== code.slice(DATA_LENGTH)) return { ok: false, reason: 'check' };
  return { ok: true, code };
}
