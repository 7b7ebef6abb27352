import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Actor, ANONYMOUS } from '../../src/accounts/policy.ts';
import type { PasswordHasher } from '../../src/accounts/sessions.service.ts';
import { kyselyOverPostgres } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import { answerApplication, endParticipation } from '../../src/volunteers/matching.service.ts';
import { createMission, validateMission } from '../../src/volunteers/missions.service.ts';
import {
  applyToMission,
  signUpVolunteer,
  validateVolunteer,
  withdrawFromMission,
} from '../../src/volunteers/volunteers.service.ts';
import { ACCOUNTS_CONFIG, PASSWORD } from '../support/accounts.ts';
import { inParallel } from '../support/pass-load-fixtures.ts';
import { createPgTestDatabase, databaseUrlFor, dropPgTestDatabase } from '../support/test-db.ts';
import { type TwoStructures, twoStructures } from '../support/two-structures.ts';

/**
 * A mission's seats under concurrency, on PostgreSQL over a pool of 16 connections (decision 0044): 30
 * requests accepted at once for 3 seats give exactly 3 seats and 27 places in line; withdrawals and
 * endings at once promote the first in line in their order, never more than the seats. The mission's
 * row lock decides, not a read before the write.
 */
const HASHER: PasswordHasher = { hash: async (p) => `test:${p}`, verify: async (h, p) => h === `test:${p}` };
const OPTS = { config: ACCOUNTS_CONFIG, hasher: HASHER, territory: new Set(['45234']) };

describe('a mission’s waiting list under concurrency on PostgreSQL', () => {
  let name = '';
  let db: Db;
  let n: TwoStructures;
  before(async () => {
    name = await createPgTestDatabase();
    db = kyselyOverPostgres(databaseUrlFor(name), 16);
    n = await twoStructures(db);
  });
  after(async () => {
    await db?.destroy();
    if (name) await dropPgTestDatabase(name);
  });

  const matches = (missionId: string) =>
    db
      .selectFrom('mission_match')
      .select(['id', 'volunteer_id', 'state', 'waiting_since'])
      .where('mission_id', '=', missionId)
      .orderBy('waiting_since')
      .orderBy('id')
      .execute();

  it('gives 3 seats to 30 concurrent accepts and promotes the line in its order when seats free', async () => {
    const created = await createMission(db, n.mediator, {
      structureId: n.a,
      placeId: n.placeA,
      title: 'Accueillir au point numérique',
      description: 'Accueillir et orienter.',
      startsOn: '2027-01-10',
      endsOn: '2027-03-31',
      slots: ['mar_matin'],
      skills: ['accueil'],
      commitment: 'one_off',
      hoursPerWeek: '',
      audience: 'tous',
      seats: '3',
    });
    assert.ok(created.ok);
    await validateMission(db, n.coordinator, { id: created.id });
    const volunteers: Actor[] = [];
    for (let i = 0; i < 30; i++) {
      const result = await signUpVolunteer(
        db,
        ANONYMOUS,
        {
          displayName: `Bénévole ${i}`,
          email: `benevole${i}@example.org`,
          phone: '',
          password: PASSWORD,
          confirmation: PASSWORD,
          skills: ['accueil'],
          availability: ['mar_matin'],
          communes: 'Orléans',
          charter: true,
        },
        OPTS,
      );
      assert.ok(result.ok);
      const actor: Actor = {
        kind: 'person',
        personId: result.session.personId,
        networkRole: 'volunteer',
        memberships: [],
      };
      await validateVolunteer(db, n.coordinator, { id: result.session.personId });
      volunteers.push(actor);
    }
    const requests: string[] = [];
    for (const v of volunteers) requests.push(await applyToMission(db, v, { missionId: created.id }));

    const answers: string[] = [];
    await inParallel(requests, 30, async (matchId, i) => {
      answers.push(
        await answerApplication(
          db,
          i % 2 ? n.mediator : n.colleague,
          { matchId, answer: 'accepter' },
          { now: new Date(Date.UTC(2026, 11, 7, 9, 0, i)) },
        ),
      );
    });
    assert.equal(answers.filter((a) => a === 'accepted').length, 3);
    assert.equal(answers.filter((a) => a === 'waiting').length, 27);
    const mission = await db
      .selectFrom('mission')
      .select('state')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(mission.state, 'full');

    // The three seated leave at once (two withdraw, the structure ends one): the first three in line
    // (oldest waiting_since, then id) take their seats; never more than three seated.
    const before = await matches(created.id);
    const seated = before.filter((m) => m.state === 'accepted');
    const line = before.filter((m) => m.state === 'waiting').map((m) => m.id);
    const byVolunteer = new Map(volunteers.map((v) => [v.kind === 'person' ? v.personId : '', v]));
    await inParallel(seated, 3, async (m, i) => {
      if (i === 0) await endParticipation(db, n.mediator, { matchId: m.id });
      else await withdrawFromMission(db, byVolunteer.get(m.volunteer_id) as Actor, { matchId: m.id });
    });
    const afterLeaving = await matches(created.id);
    assert.deepEqual(
      afterLeaving
        .filter((m) => m.state === 'accepted')
        .map((m) => m.id)
        .sort(),
      line.slice(0, 3).sort(),
    );
    assert.equal(afterLeaving.filter((m) => m.state === 'waiting').length, 24);

    // Everybody left withdraws at once (3 seated, 24 in line): each seat freed goes to someone still in
    // line, and once nobody is left the mission opens again.
    const rest = afterLeaving.filter((m) => m.state === 'accepted' || m.state === 'waiting');
    await inParallel(rest, 16, async (m) => {
      await withdrawFromMission(db, byVolunteer.get(m.volunteer_id) as Actor, { matchId: m.id });
    });
    const final = await matches(created.id);
    assert.deepEqual(
      final.filter((m) => m.state !== 'withdrawn'),
      [],
    );
    const reopened = await db
      .selectFrom('mission')
      .select('state')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(reopened.state, 'validated');
  });
});
