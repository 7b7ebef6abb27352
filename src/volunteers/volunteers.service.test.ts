import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { ACCOUNTS_CONFIG, PASSWORD } from '../../test/support/accounts.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { type TwoStructures, twoStructures } from '../../test/support/two-structures.ts';
import { deleteMyAccount } from '../accounts/accounts.service.ts';
import { type Actor, ANONYMOUS } from '../accounts/policy.ts';
import type { PasswordHasher } from '../accounts/sessions.service.ts';
import { ensureReferencePoints } from '../communes/communes.service.ts';
import type { DomainError } from '../shared/domain-error.ts';
import { answerApplication, endParticipation, matchVolunteers, proposeMission } from './matching.service.ts';
import {
  closeMission,
  createMission,
  getMission,
  listMissions,
  validateMission,
} from './missions.service.ts';
import {
  answerProposal,
  applyToMission,
  homeBlocks,
  listVolunteers,
  myVolunteering,
  signUpVolunteer,
  validateVolunteer,
  withdrawFromMission,
} from './volunteers.service.ts';
import type { MissionForm, SignUpForm } from './volunteers.ts';

after(closeTestTemplate);

/** A hasher as fast as a test needs (argon2 is the production one). */
const HASHER: PasswordHasher = { hash: async (p) => `test:${p}`, verify: async (h, p) => h === `test:${p}` };
const TERRITORY = new Set(['45234', '45302', '45147', '45075', '45284', '45232']);
const NOW = new Date('2026-12-07T09:00:00Z');
const OPTS = { config: ACCOUNTS_CONFIG, hasher: HASHER, territory: TERRITORY, now: NOW };

export const signUpForm = (overrides: Partial<SignUpForm> = {}): SignUpForm => ({
  displayName: 'Nina Bénévole',
  email: 'nina@example.org',
  phone: '06 12 34 56 78',
  password: PASSWORD,
  confirmation: PASSWORD,
  skills: ['demarches', 'accueil'],
  availability: ['mar_matin', 'jeu_apres_midi'],
  communes: 'Orléans, Saran',
  charter: true,
  ...overrides,
});

export const missionForm = (structureId: string, placeId: string, overrides: Partial<MissionForm> = {}) => ({
  structureId,
  placeId,
  title: 'Aider aux démarches en ligne',
  description: 'Accompagner les personnes qui déclarent leurs revenus.',
  startsOn: '2027-01-10',
  endsOn: '2027-03-31',
  slots: ['mar_matin'],
  skills: ['demarches'],
  commitment: 'weekly',
  hoursPerWeek: '3',
  audience: 'tous',
  seats: '1',
  ...overrides,
});

const volunteerActor = (personId: string): Actor => ({
  kind: 'person',
  personId,
  networkRole: 'volunteer',
  memberships: [],
});

async function signUp(t: TestDb, email: string, overrides: Partial<SignUpForm> = {}) {
  const result = await signUpVolunteer(t.db, ANONYMOUS, signUpForm({ email, ...overrides }), OPTS);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
  return volunteerActor(result.session.personId);
}

const count = async (t: TestDb, table: 'volunteer' | 'mission' | 'mission_match' | 'person') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('volunteers and missions', () => {
  let t: TestDb;
  let n: TwoStructures;
  beforeEach(async () => {
    t = await createTestDb();
    n = await twoStructures(t.db);
  });
  afterEach(async () => t?.close());

  it('signs a volunteer up with the charter’s version and date, signed in and waiting for validation', async () => {
    const nina = await signUp(t, 'nina@example.org');
    const row = await t.db.selectFrom('volunteer').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.person_id, nina.kind === 'person' ? nina.personId : '');
    assert.equal(row.state, 'pending');
    assert.equal(row.charter_version, '2026-12');
    assert.equal(row.charter_accepted_at.toISOString(), NOW.toISOString());
    assert.deepEqual(row.communes, ['45234', '45302']);
    assert.deepEqual(row.availability, ['mar_matin', 'jeu_apres_midi']);
    assert.equal(row.phone, '+33612345678');
    const person = await t.db
      .selectFrom('person')
      .selectAll()
      .where('email', '=', 'nina@example.org')
      .executeTakeFirstOrThrow();
    assert.equal(person.network_role, 'volunteer');
  });

  it('refuses a second sign-up with the same address (any case), in French, writing nothing', async () => {
    await signUp(t, 'nina@example.org');
    const people = await count(t, 'person');
    const again = await signUpVolunteer(t.db, ANONYMOUS, signUpForm({ email: 'Nina@Example.org' }), OPTS);
    assert.equal(again.ok, false);
    assert.match(JSON.stringify(!again.ok && again.issues), /Adresse e-mail : un compte existe déjà/);
    assert.equal(await count(t, 'person'), people);
    assert.equal(await count(t, 'volunteer'), 1);
  });

  it('refuses a volunteer without availability, without the charter, or with an unknown commune, naming each field', async () => {
    const result = await signUpVolunteer(
      t.db,
      ANONYMOUS,
      signUpForm({ availability: [], charter: false, communes: 'Orléans, Paris, Zzzzkville' }),
      OPTS,
    );
    assert.equal(result.ok, false);
    const issues = result.ok ? [] : result.issues;
    assert.deepEqual([...new Set(issues.map((i) => i.field))].sort(), [
      'charte',
      'communes',
      'disponibilites',
    ]);
    assert.match(
      issues.find((i) => i.field === 'disponibilites')?.message ?? '',
      /^Disponibilités : cochez au moins une demi-journée/,
    );
    assert.match(
      issues.map((i) => i.message).join('\n'),
      /« Paris » \(Paris\) n’est pas une commune du territoire/,
    );
    assert.equal(await count(t, 'person'), 5);
    assert.equal(await count(t, 'volunteer'), 0);
  });

  it('refuses a mission without a place, with an end before its start or at another structure’s place, writing nothing', async () => {
    const noPlace = await createMission(t.db, n.mediator, missionForm(n.a, ''));
    assert.equal(noPlace.ok, false);
    assert.match(JSON.stringify(!noPlace.ok && noPlace.issues), /Lieu : choisissez le lieu/);
    const reversed = await createMission(
      t.db,
      n.mediator,
      missionForm(n.a, n.placeA, { startsOn: '2027-03-01', endsOn: '2027-02-01' }),
    );
    assert.deepEqual(!reversed.ok && reversed.issues, [
      {
        field: 'fin',
        message:
          'Date de fin : la fin (2027-02-01) est avant le début (2027-03-01). Indiquez une fin le même jour ou après.',
      },
    ]);
    const elsewhere = await createMission(t.db, n.mediator, missionForm(n.a, n.placeB));
    assert.match(
      JSON.stringify(!elsewhere.ok && elsewhere.issues),
      /Lieu : ce lieu n’est pas un lieu de votre structure/,
    );
    await assert.rejects(createMission(t.db, n.other, missionForm(n.a, n.placeA)), { code: 'forbidden' });
    assert.equal(await count(t, 'mission'), 0);
  });

  it('keeps a draft hidden until the coordinator validates it', async () => {
    const created = await createMission(t.db, n.mediator, missionForm(n.a, n.placeA));
    assert.ok(created.ok);
    assert.deepEqual(await listMissions(t.db, ANONYMOUS), []);
    await assert.rejects(getMission(t.db, ANONYMOUS, { id: created.id }), { code: 'not_found' });
    assert.equal((await getMission(t.db, n.coordinator, { id: created.id })).validate, true);
    await assert.rejects(validateMission(t.db, n.mediator, { id: created.id }), { code: 'forbidden' });
    await validateMission(t.db, n.coordinator, { id: created.id });
    assert.deepEqual(
      (await listMissions(t.db, ANONYMOUS)).map((m) => [m.title, m.state, m.placeName]),
      [['Aider aux démarches en ligne', 'validated', 'Médiathèque Sud']],
    );
    await assert.rejects(getMission(t.db, ANONYMOUS, { id: 'pas-un-id' }), { code: 'not_found' });
  });

  it('fills the seat, puts the next ones in line and promotes them in order when a seat frees', async () => {
    const created = await createMission(t.db, n.mediator, missionForm(n.a, n.placeA, { seats: '1' }));
    assert.ok(created.ok);
    await validateMission(t.db, n.coordinator, { id: created.id });
    const nina = await signUp(t, 'nina@example.org');
    const omar = await signUp(t, 'omar@example.org');
    const lea = await signUp(t, 'lea@example.org');
    await assert.rejects(applyToMission(t.db, nina, { missionId: created.id }), (e: DomainError) =>
      /attend la validation/.test(e.message),
    );
    for (const v of [nina, omar, lea])
      await validateVolunteer(t.db, n.coordinator, { id: v.kind === 'person' ? v.personId : '' });
    // Nina asks, the structure accepts: the seat is hers, the mission is full.
    const asked = await applyToMission(t.db, nina, { missionId: created.id });
    assert.equal(
      await answerApplication(t.db, n.mediator, { matchId: asked, answer: 'accepter' }),
      'accepted',
    );
    assert.equal((await getMission(t.db, ANONYMOUS, { id: created.id })).mission.state, 'full');
    // The structure proposes to Omar, then Léa: both accept and wait in line, in that order.
    const toOmar = await proposeMission(t.db, n.mediator, { missionId: created.id, volunteerId: ids(omar) });
    const toLea = await proposeMission(t.db, n.mediator, { missionId: created.id, volunteerId: ids(lea) });
    assert.equal(
      await answerProposal(t.db, omar, { matchId: toOmar, answer: 'accepter' }, { now: at(1) }),
      'waiting',
    );
    assert.equal(
      await answerProposal(t.db, lea, { matchId: toLea, answer: 'accepter' }, { now: at(2) }),
      'waiting',
    );
    await assert.rejects(answerProposal(t.db, lea, { matchId: toLea, answer: 'accepter' }), {
      code: 'conflict',
    });
    await assert.rejects(answerProposal(t.db, nina, { matchId: toLea, answer: 'accepter' }), {
      code: 'not_found',
    });
    // Nina leaves: Omar, first in line, takes the seat; the mission stays full with Léa in line.
    assert.deepEqual(await withdrawFromMission(t.db, nina, { matchId: asked }), { promoted: toOmar });
    const mission = (await getMission(t.db, ANONYMOUS, { id: created.id })).mission;
    assert.deepEqual([mission.state, mission.taken, mission.waiting], ['full', 1, 1]);
    // The structure ends Omar's participation: Léa's turn; then hers: the mission opens again.
    assert.deepEqual(await endParticipation(t.db, n.mediator, { matchId: toOmar }), { promoted: toLea });
    assert.deepEqual(await endParticipation(t.db, n.mediator, { matchId: toLea }), { promoted: null });
    assert.equal((await getMission(t.db, ANONYMOUS, { id: created.id })).mission.state, 'validated');
    await assert.rejects(endParticipation(t.db, n.other, { matchId: toLea }), { code: 'forbidden' });
    await closeMission(t.db, n.mediator, { id: created.id });
    await assert.rejects(applyToMission(t.db, lea, { missionId: created.id }), { code: 'conflict' });
  });

  it('ranks candidates by distance band, then skills, then half-days in common, the same on the same data', async () => {
    await ensureReferencePoints(t.db, [
      { code: '45234', lat: 47.9029, lon: 1.9039 }, // Orléans, the place's commune
      { code: '45302', lat: 47.9469, lon: 1.8717 }, // Saran, ~5.5 km
      { code: '45147', lat: 47.9272, lon: 1.9188 }, // Fleury-les-Aubrais, ~3 km
    ]);
    const created = await createMission(
      t.db,
      n.mediator,
      missionForm(n.a, n.placeA, { skills: ['demarches', 'accueil'], slots: ['mar_matin', 'jeu_matin'] }),
    );
    assert.ok(created.ok);
    await validateMission(t.db, n.coordinator, { id: created.id });
    const people = {
      // Near, one skill, one half-day.
      near: await signUp(t, 'near@example.org', {
        communes: 'Fleury-les-Aubrais',
        skills: ['demarches'],
        availability: ['mar_matin'],
      }),
      // Near too, two skills: before `near`.
      nearSkilled: await signUp(t, 'skilled@example.org', {
        communes: 'Orléans',
        skills: ['demarches', 'accueil'],
        availability: ['lun_matin'],
      }),
      // Same band and skills as `near`, two half-days: before `near`.
      nearFree: await signUp(t, 'free@example.org', {
        communes: 'Fleury-les-Aubrais',
        skills: ['demarches'],
        availability: ['mar_matin', 'jeu_matin'],
      }),
      // Farther band, every skill and half-day: after all the near ones.
      far: await signUp(t, 'far@example.org', {
        communes: 'Saran',
        skills: ['demarches', 'accueil'],
        availability: ['mar_matin', 'jeu_matin'],
      }),
      // Unknown distance (no reference point): last.
      unknown: await signUp(t, 'unknown@example.org', {
        communes: 'Olivet',
        skills: ['demarches', 'accueil'],
        availability: ['mar_matin', 'jeu_matin'],
      }),
    };
    for (const v of Object.values(people)) await validateVolunteer(t.db, n.coordinator, { id: ids(v) });
    const order = async () =>
      (await matchVolunteers(t.db, n.mediator, { missionId: created.id })).candidates.map((c) => c.id);
    const expected = ['nearSkilled', 'nearFree', 'near', 'far', 'unknown'].map((k) =>
      ids(people[k as keyof typeof people]),
    );
    assert.deepEqual(await order(), expected);
    assert.deepEqual(await order(), expected);
    // Candidates are unnamed; the proposals name them to the structure.
    const page = await matchVolunteers(t.db, n.mediator, { missionId: created.id });
    assert.doesNotMatch(JSON.stringify(page.candidates), /example\.org|near|Nina/);
    await proposeMission(t.db, n.mediator, { missionId: created.id, volunteerId: ids(people.far) });
    const after = await matchVolunteers(t.db, n.mediator, { missionId: created.id });
    assert.equal(after.proposals[0]?.volunteer.email, 'far@example.org');
    assert.equal(after.candidates.length, 4);
    await assert.rejects(matchVolunteers(t.db, n.other, { missionId: created.id }), { code: 'forbidden' });
  });

  it('shows volunteers’ personal data to the coordinator only, and deletes it with the account', async () => {
    const nina = await signUp(t, 'nina@example.org');
    await assert.rejects(listVolunteers(t.db, n.mediator), { code: 'forbidden' });
    const list = await listVolunteers(t.db, n.coordinator);
    assert.deepEqual(
      list.pending.map((v) => [v.name, v.email]),
      [['Nina Bénévole', 'nina@example.org']],
    );
    const created = await createMission(t.db, n.mediator, missionForm(n.a, n.placeA));
    assert.ok(created.ok);
    await validateMission(t.db, n.coordinator, { id: created.id });
    await validateVolunteer(t.db, n.coordinator, { id: ids(nina) });
    await applyToMission(t.db, nina, { missionId: created.id });
    assert.equal((await myVolunteering(t.db, nina)).proposals.length, 1);
    await deleteMyAccount(t.db, nina);
    assert.equal(await count(t, 'volunteer'), 0);
    assert.equal(await count(t, 'mission_match'), 0);
  });

  it('gives each role its home blocks: to validate, requests to answer, proposals to answer', async () => {
    const nina = await signUp(t, 'nina@example.org');
    const created = await createMission(t.db, n.mediator, missionForm(n.a, n.placeA));
    assert.ok(created.ok);
    const coordination = await homeBlocks(t.db, n.coordinator);
    assert.deepEqual(
      coordination.map((b) => [b.id, b.count]),
      [
        ['volunteers.missions_to_validate', 1],
        ['volunteers.volunteers_to_validate', 1],
      ],
    );
    await validateMission(t.db, n.coordinator, { id: created.id });
    await validateVolunteer(t.db, n.coordinator, { id: ids(nina) });
    await applyToMission(t.db, nina, { missionId: created.id });
    assert.deepEqual(
      (await homeBlocks(t.db, n.mediator)).map((b) => [b.id, b.count]),
      [['volunteers.requests', 1]],
    );
    assert.deepEqual(
      (await homeBlocks(t.db, nina)).map((b) => [b.id, b.count]),
      [['volunteers.proposals', 0]],
    );
    assert.deepEqual(await homeBlocks(t.db, n.funder), []);
  });
});

const ids = (actor: Actor) => (actor.kind === 'person' ? actor.personId : '');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
