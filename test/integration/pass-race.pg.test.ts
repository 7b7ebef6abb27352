import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kyselyOverPostgres } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import { redeemVoucher } from '../../src/vouchers/redemptions.service.ts';
import { pageText, passClient } from '../support/pass-client.ts';
import {
  inParallel,
  liveRedemptionsPerCode,
  type RedemptionLoad,
  setUpRedemptionLoad,
} from '../support/pass-load-fixtures.ts';
import { type ServerProcess, startServer, tempDir } from '../support/processes.ts';
import { createPgTestDatabase, databaseUrlFor, dropPgTestDatabase } from '../support/test-db.ts';

/**
 * Two places racing for one voucher: on PostgreSQL, 64 concurrent clients redeem overlapping codes
 * (each code asked by several clients at once, each with its own request key). Exactly one of them gets
 * "Chèque encaissé" per voucher, every other one "déjà été encaissé", and the ledger holds at most one
 * live redemption per voucher — the unique indexes decide, not the application's read before the insert.
 */
const CLIENTS = 64;
const CODES = 48;
const ASKS_PER_CODE = 8;

/** Each code asked ASKS_PER_CODE times in a row: the 64 clients pull them out nearly together. */
const requestsFor = (codes: readonly string[]) =>
  codes.flatMap((code) => Array.from({ length: ASKS_PER_CODE }, () => code));

const key = () => `race-${randomBytes(9).toString('base64url')}`;

function checkAnswers(
  codes: readonly string[],
  answers: readonly { code: string; ok: boolean; message: string }[],
  live: Map<string, number>,
) {
  const successes = new Map<string, number>();
  for (const a of answers) if (a.ok) successes.set(a.code, (successes.get(a.code) ?? 0) + 1);
  for (const code of codes) {
    assert.equal(successes.get(code), 1, `exactly one success for ${code}`);
    assert.equal(live.get(code), 1, `exactly one live redemption row for ${code}`);
  }
  const refused = answers.filter((a) => !a.ok);
  assert.equal(refused.length, codes.length * (ASKS_PER_CODE - 1));
  for (const r of refused) assert.match(r.message, /déjà été encaissé/, `refusal for ${r.code}`);
  assert.ok(
    [...live.values()].every((n) => n <= 1),
    'no voucher has more than one live redemption',
  );
}

describe('redeeming overlapping codes from 64 concurrent clients on PostgreSQL', () => {
  let name = '';
  let db: Db;
  let fixture: RedemptionLoad;
  const work = tempDir();
  let server: ServerProcess | undefined;
  before(async () => {
    name = await createPgTestDatabase();
    db = kyselyOverPostgres(databaseUrlFor(name), 16);
    fixture = await setUpRedemptionLoad(db, { booklets: 20, bookletSize: 10, sessions: CLIENTS });
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    await db?.destroy();
    if (name) await dropPgTestDatabase(name);
  });

  it('gives one success per voucher through the service, over a pool of 16 connections', async () => {
    const codes = fixture.codes.slice(0, CODES);
    const requests = requestsFor(codes);
    const answers: { code: string; ok: boolean; message: string }[] = [];
    await inParallel(requests, CLIENTS, async (code) => {
      const r = await redeemVoucher(db, fixture.staff, {
        placeId: fixture.placeId,
        code,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: key(),
      });
      if (!r.ok) assert.equal(r.refusal, 'already_redeemed', JSON.stringify(r));
      answers.push({ code, ok: r.ok, message: r.ok ? '' : (r.errors.code ?? '') });
    });
    checkAnswers(codes, answers, await liveRedemptionsPerCode(db, fixture.programmeId));
  });

  it('answers a request sent 8 times at once (a double click) with its first answer, redeeming once', async () => {
    const codes = fixture.codes.slice(2 * CODES, 2 * CODES + 8);
    const requests = codes.flatMap((code) => Array.from({ length: 8 }, () => ({ code, key: `dbl-${code}` })));
    const answers: { code: string; ok: boolean; id: number }[] = [];
    await inParallel(requests, CLIENTS, async ({ code, key: sameKey }) => {
      const r = await redeemVoucher(db, fixture.staff, {
        placeId: fixture.placeId,
        code,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: sameKey,
      });
      assert.ok(r.ok, JSON.stringify(r));
      answers.push({ code, ok: r.ok, id: r.redemption.id });
    });
    const live = await liveRedemptionsPerCode(db, fixture.programmeId);
    for (const code of codes) {
      const ids = new Set(answers.filter((a) => a.code === code).map((a) => a.id));
      assert.equal(ids.size, 1, `every answer for ${code} names the same redemption`);
      assert.equal(live.get(code), 1, `one live redemption row for ${code}`);
    }
  });

  it('gives one success per voucher to 64 HTTP clients of a real server process', async () => {
    server = await startServer({ DATABASE_URL: databaseUrlFor(name), DATA_DIR: path.join(work, 'unused') });
    const clients = fixture.sessionTokens.map((token) => passClient(server?.url as string, token));
    await Promise.all(clients.map((c) => c.open()));
    const codes = fixture.codes.slice(CODES, 2 * CODES);
    const requests = requestsFor(codes);
    const answers: { code: string; ok: boolean; message: string }[] = [];
    let next = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < requests.length) {
          const code = requests[next++] as string;
          const answer = await client.redeem({ placeId: fixture.placeId, code, key: key() });
          if (!answer.ok) assert.equal(answer.status, 422, pageText(answer.body).slice(0, 500));
          answers.push({ code, ok: answer.ok, message: answer.ok ? '' : pageText(answer.body) });
        }
      }),
    );
    for (const c of clients) c.close();
    checkAnswers(codes, answers, await liveRedemptionsPerCode(db, fixture.programmeId));
  });
});
