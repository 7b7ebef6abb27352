import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../src/accounts/policy.ts';
import { DEFAULT_LIMITS } from '../../src/config.ts';
import { kyselyOverPostgres } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import {
  cancelRegistrationByToken,
  type RegisterResult,
  registerForWorkshop,
  removeRegistration,
} from '../../src/workshops/registrations.service.ts';
import { updateWorkshop } from '../../src/workshops/workshops.service.ts';
import { inParallel } from '../support/pass-load-fixtures.ts';
import { createPgTestDatabase, databaseUrlFor, dropPgTestDatabase } from '../support/test-db.ts';
import {
  aWorkshop,
  type WorkshopNetwork,
  workshopForm,
  workshopNetwork,
} from '../support/workshop-fixtures.ts';

/**
 * Seats under concurrency, on PostgreSQL over a pool of 16 connections: 50 people registering at once
 * for 10 seats get exactly 10 seats and 40 places on the waiting list; cancellations, removals and new
 * registrations at once never overbook a date and always promote the waiting list in its order. The
 * date's row lock decides (decision 0041), not a read before the write.
 */
const ANONYMOUS: Actor = { kind: 'anonymous' };
const URL = 'https://maillage.example.org';
const NOW = new Date('2026-12-07T09:00:00Z');
const LIMITS = { ...DEFAULT_LIMITS, registrationsPerAddressPerHour: 10_000 };

describe('registering to a workshop from many clients at once on PostgreSQL', () => {
  let name = '';
  let db: Db;
  let n: WorkshopNetwork;
  before(async () => {
    name = await createPgTestDatabase();
    db = kyselyOverPostgres(databaseUrlFor(name), 16);
    n = await workshopNetwork(db);
  });
  after(async () => {
    await db?.destroy();
    if (name) await dropPgTestDatabase(name);
  });

  const newDate = async (capacity: number, day: string) => {
    const w = await aWorkshop(
      db,
      n.facilitator,
      n.a,
      workshopForm(n.placeA, { capacity: String(capacity), title: `Atelier du ${day}` }),
      [{ startsAt: `${day}T14:00`, endsAt: '16:00' }],
      NOW,
    );
    return { workshopId: w.id, date: (w.dates[0] as { id: string }).id };
  };

  const register = (date: string, who: string) =>
    registerForWorkshop(
      db,
      ANONYMOUS,
      { occurrenceId: date, form: { firstName: who, email: `${who}@example.org` } },
      { client: `client-${who}`, limits: LIMITS, publicUrl: URL, now: NOW },
    );

  const rows = (date: string) =>
    db
      .selectFrom('workshop_registration')
      .select(['id', 'first_name', 'state', 'waiting_position', 'promoted_at'])
      .where('occurrence_id', '=', date)
      .execute();

  it('gives exactly 10 seats and 40 waiting places to 50 concurrent registrations for 10 seats', async () => {
    const { date } = await newDate(10, '2026-12-15');
    const people = Array.from({ length: 50 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const answers: RegisterResult[] = [];
    await inParallel(people, 50, async (who) => {
      answers.push(await register(date, who));
    });
    assert.ok(
      answers.every((a) => a.ok),
      JSON.stringify(answers.filter((a) => !a.ok)),
    );
    const ok = answers.filter((a): a is Extract<RegisterResult, { ok: true }> => a.ok);
    assert.equal(ok.filter((a) => a.state === 'registered').length, 10);
    assert.equal(ok.filter((a) => a.state === 'waiting').length, 40);
    const stored = await rows(date);
    assert.equal(stored.filter((r) => r.state === 'registered').length, 10);
    const waiting = stored.filter((r) => r.state === 'waiting');
    assert.equal(waiting.length, 40);
    assert.deepEqual(
      waiting.map((r) => r.waiting_position).sort((a, b) => (a ?? 0) - (b ?? 0)),
      Array.from({ length: 40 }, (_, i) => i + 1),
      'the waiting list has positions 1 to 40, each once',
    );
    // Each answer's rank is its place in the line when it was written: 1 to 40, each once.
    assert.deepEqual(
      ok
        .filter((a) => a.state === 'waiting')
        .map((a) => a.position)
        .sort((a, b) => (a ?? 0) - (b ?? 0)),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  it('never overbooks and promotes in order under concurrent cancellations, removals, registrations and a capacity change', async () => {
    const { workshopId, date } = await newDate(10, '2026-12-16');
    const tokens = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      const who = `q${String(i).padStart(2, '0')}`;
      const r = await register(date, who);
      assert.ok(r.ok);
      tokens.set(who, r.token);
    }
    const before = await rows(date);
    const position = new Map(before.map((r) => [r.first_name, r.waiting_position]));
    const seatedBefore = before.filter((r) => r.state === 'registered').map((r) => r.first_name as string);
    const waitingBefore = before
      .filter((r) => r.state === 'waiting')
      .sort((a, b) => (a.waiting_position ?? 0) - (b.waiting_position ?? 0))
      .map((r) => r.first_name as string);
    assert.equal(seatedBefore.length, 10);
    assert.equal(waitingBefore.length, 20);
    // At once: 6 seated people cancel by their link, the structure removes 2 more, the 3 last waiting
    // cancel, 15 newcomers register, and the capacity grows by 2 (two more promotions).
    const cancelSeated = seatedBefore.slice(0, 6);
    const removeSeated = seatedBefore.slice(6, 8);
    const cancelWaiting = waitingBefore.slice(-3);
    const idOf = new Map(before.map((r) => [r.first_name, r.id]));
    const work: (() => Promise<unknown>)[] = [
      ...cancelSeated.map(
        (who) => () =>
          cancelRegistrationByToken(
            db,
            ANONYMOUS,
            { token: tokens.get(who) as string },
            { now: NOW, publicUrl: URL },
          ),
      ),
      ...removeSeated.map(
        (who) => () =>
          removeRegistration(
            db,
            n.facilitator,
            { registrationId: idOf.get(who) as string },
            { now: NOW, publicUrl: URL },
          ),
      ),
      ...cancelWaiting.map(
        (who) => () =>
          cancelRegistrationByToken(
            db,
            ANONYMOUS,
            { token: tokens.get(who) as string },
            { now: NOW, publicUrl: URL },
          ),
      ),
      ...Array.from({ length: 15 }, (_, i) => () => register(date, `new${i}`)),
      async () => {
        const r = await updateWorkshop(
          db,
          n.facilitator,
          {
            workshopId,
            workshop: workshopForm(n.placeA, { capacity: '12', title: 'Atelier du 2026-12-16' }),
          },
          { now: NOW, publicUrl: URL },
        );
        assert.ok(r.ok, JSON.stringify(r));
      },
    ];
    // Shuffled with a fixed order (no randomness in the test), run 16 at a time.
    const order = work.map((_, i) => i).sort((a, b) => ((a * 7919) % 31) - ((b * 7919) % 31));
    await inParallel(order, 16, async (i) => {
      await (work[i] as () => Promise<unknown>)();
    });

    const after = await rows(date);
    const seated = after.filter((r) => r.state === 'registered');
    const waiting = after.filter((r) => r.state === 'waiting');
    assert.equal(seated.length, 12, 'the 12 seats are all taken, never more');
    // 8 seated left and 2 seats were added: the first 10 of the waiting list (without the 3 who
    // cancelled from its end) are promoted, nobody else; every newcomer waits behind them.
    const expectedPromoted = waitingBefore.slice(0, 10);
    const promoted = after.filter((r) => r.promoted_at !== null).map((r) => r.first_name as string);
    assert.deepEqual(promoted.sort(), [...expectedPromoted].sort(), 'promoted in the order of the list');
    const stillWaiting = waiting.map((r) => r.first_name as string);
    assert.deepEqual(
      stillWaiting.filter((w) => !w.startsWith('new')).sort(),
      waitingBefore.slice(10, 17).sort(),
    );
    assert.equal(stillWaiting.filter((w) => w.startsWith('new')).length, 15, 'newcomers all wait');
    const lastPromoted = Math.max(...expectedPromoted.map((w) => position.get(w) ?? 0));
    assert.ok(
      waiting.every((r) => (r.waiting_position ?? 0) > lastPromoted),
      'everyone still waiting came after everyone promoted',
    );
    assert.equal(after.filter((r) => r.state === 'cancelled').length, 11);
  });
});
