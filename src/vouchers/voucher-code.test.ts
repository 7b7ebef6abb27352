import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { seededRandom } from '../../test/support/seeded-random.ts';
import {
  ALPHABET,
  CODE_LENGTH,
  checkCharacter,
  DATA_LENGTH,
  formatVoucherCode,
  newVoucherCode,
  readVoucherCode,
} from './voucher-code.ts';

/** Deterministic bytes, so that a failure names codes that come back on the next run. */
function seededBytes(seed: number): (n: number) => Uint8Array {
  const next = seededRandom(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

const codes = (n: number, seed = 37): string[] => {
  const random = seededBytes(seed);
  return Array.from({ length: n }, () => newVoucherCode(random));
};

describe('voucher codes', () => {
  it('are 14 characters of the alphabet, the last one the check character of the 13 others', () => {
    for (const code of codes(500)) {
      assert.equal(code.length, CODE_LENGTH);
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{14}$/);
      assert.equal(checkCharacter(code.slice(0, DATA_LENGTH)), code.slice(DATA_LENGTH));
      assert.deepEqual(readVoucherCode(code), { ok: true, code });
    }
  });

  it('never end with a check symbol outside the alphabet (* ~ $ = U), even from the system random source', () => {
    for (let i = 0; i < 3000; i++) {
      const code = newVoucherCode();
      assert.ok(ALPHABET.includes(code.slice(-1)), code);
    }
    // Those data whose check would be an extra symbol exist: the generator draws again for them.
    const extra = codes(200).map((c) => `${c.slice(0, 12)}`);
    const seen = new Set<string>();
    for (const prefix of extra) for (const last of ALPHABET) seen.add(checkCharacter(prefix + last));
    for (const symbol of ['*', '~', '$', '=', 'U']) assert.ok(seen.has(symbol), symbol);
  });

  it('catch every single wrong character of many random codes, before any lookup', () => {
    let tried = 0;
    for (const code of codes(300, 1)) {
      for (let i = 0; i < CODE_LENGTH; i++)
        for (const c of ALPHABET) {
          if (c === code[i]) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          assert.deepEqual(readVoucherCode(typo), { ok: false, reason: 'check' }, `${code} → ${typo}`);
          tried++;
        }
    }
    assert.equal(tried, 300 * CODE_LENGTH * 31);
  });

  it('catch every swap of two neighbouring characters of many random codes, check character included', () => {
    let tried = 0;
    for (const code of codes(2000, 2)) {
      for (let i = 0; i + 1 < CODE_LENGTH; i++) {
        if (code[i] === code[i + 1]) continue;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        assert.deepEqual(readVoucherCode(swapped), { ok: false, reason: 'check' }, `${code} → ${swapped}`);
        tried++;
      }
    }
    assert.ok(tried > 2000 * 12, String(tried));
  });

  it('are read leniently: any case, spaces and dashes, O for zero, I and L for one', () => {
    const [code] = codes(1, 3) as [string];
    const printed = formatVoucherCode(code);
    assert.match(printed, /^\w{4}-\w{4}-\w{3}-\w{3}$/);
    assert.deepEqual(readVoucherCode(printed), { ok: true, code });
    assert.deepEqual(readVoucherCode(` ${printed.toLowerCase()} `), { ok: true, code });
    assert.deepEqual(readVoucherCode(printed.replaceAll('-', ' ')), { ok: true, code });
    assert.deepEqual(readVoucherCode(printed.replaceAll('-', '–')), { ok: true, code });
    const withZeroAndOne = codes(400, 4).find((c) => c.includes('0') && c.includes('1')) as string;
    assert.ok(withZeroAndOne);
    const lookalikes = withZeroAndOne.replaceAll('0', 'o').replace('1', 'I').replaceAll('1', 'l');
    assert.deepEqual(readVoucherCode(lookalikes), { ok: true, code: withZeroAndOne });
  });

  it('refuses an empty code as missing, naming nothing else', () => {
    assert.deepEqual(readVoucherCode(''), { ok: false, reason: 'missing' });
    assert.deepEqual(readVoucherCode('  - - '), { ok: false, reason: 'missing' });
  });

  it('refuses a character outside the alphabet, naming it and its position', () => {
    assert.deepEqual(readVoucherCode('ABCD-EFGH-J*K-MNP'), {
      ok: false,
      reason: 'character',
      character: '*',
      // Counted without the separators, as the check reads the code.
      position: 10,
    });
    assert.deepEqual(readVoucherCode('abcu'), {
      ok: false,
      reason: 'character',
      character: 'U',
      position: 4,
    });
    assert.deepEqual(readVoucherCode('é'), { ok: false, reason: 'character', character: 'É', position: 1 });
  });

  it('refuses a code too short or too long, naming its length', () => {
    const [code] = codes(1, 5) as [string];
    assert.deepEqual(readVoucherCode(code.slice(0, 13)), { ok: false, reason: 'length', length: 13 });
    assert.deepEqual(readVoucherCode(`${code}0`), { ok: false, reason: 'length', length: 15 });
  });

  it('carry at least 60 bits of chance, every one of the 65 bits drawn changing the code', () => {
    // 13 characters of 32 symbols, less the draws thrown away (5 check values out of 37).
    const bits = DATA_LENGTH * Math.log2(ALPHABET.length) - Math.log2(37 / 32);
    assert.ok(bits >= 60, String(bits));
    let fallback = seededBytes(6);
    const draw = (bytes: Uint8Array) => {
      let calls = 0;
      fallback = seededBytes(7);
      const code = newVoucherCode((n) => (calls++ === 0 ? bytes.slice(0, n) : fallback(n)));
      return { code, redrawn: calls > 1 };
    };
    let base = Uint8Array.from(randomBytes(9));
    while (draw(base).redrawn) base = Uint8Array.from(randomBytes(9));
    const first = draw(base);
    let compared = 0;
    for (let bit = 0; bit < 65; bit++) {
      const flipped = Uint8Array.from(base);
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (0x80 >> (bit & 7));
      const other = draw(flipped);
      if (other.redrawn) continue;
      assert.notEqual(other.code.slice(0, DATA_LENGTH), first.code.slice(0, DATA_LENGTH), `bit ${bit}`);
      compared++;
    }
    assert.ok(compared > 40, String(compared));
  });
});
