import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { acceptInvitation } from '../accounts/accounts.service.ts';
import { type Actor, ANONYMOUS } from '../accounts/policy.ts';
import { listAudit } from '../audit/audit.service.ts';
import { DEFAULT_LIMITS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { listRecentMessages } from '../mail/mail.service.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { siretOrRna } from '../shared/pivot.ts';
import { foldForSearch } from '../shared/text.ts';
import {
  changeStructureMemberRole,
  createStructure,
  decideJoinRequest,
  findStructuresByName,
  inviteStructureMember,
  listJoinRequests,
  listMyStructures,
  listStructureMembers,
  listStructures,
  removeStructureMember,
  requestToJoinStructure,
  viewStructure,
} from './structures.service.ts';

after(closeTestTemplate);

const config = {
  publicUrl: 'https://maillage.example.org',
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  limits: DEFAULT_LIMITS,
};
const T0 = new Date('2026-05-04T08:00:00Z');
const opts = { config, now: T0 };
const PASSWORD = 'une phrase de passe solide';
const COORDINATOR: Actor = {
  kind: 'person',
  personId: '00000000-0000-4000-8000-0000000000c0',
  networkRole: 'coordinator',
  memberships: [],
};

async function withDb(run: (db: Db) => Promise<void>): Promise<void> {
  const t: TestDb = await createTestDb();
  try {
    await run(t.db);
  } finally {
    await t.close();
  }
}

async function insertStructure(db: Db, nom: string, pivot: string): Promise<string> {
  const row = await db
    .insertInto('structure')
    .values({ nom, pivot })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A person with a password (or not) and, optionally, a membership; returns their actor. */
async function person(
  db: Db,
  email: string,
  membership?: { structureId: string; role: 'structure_admin' | 'staff' },
  withPassword = true,
): Promise<Actor & { kind: 'person' }> {
  const row = await db
    .insertInto('person')
    .values({
      email,
      display_name: email.split('@')[0] ?? email,
      password_hash: withPassword ? 'argon2-hash' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (membership)
    await db
      .insertInto('membership')
      .values({ person_id: row.id, structure_id: membership.structureId, role: membership.role })
      .execute();
  return {
    kind: 'person',
    personId: row.id,
    networkRole: null,
    memberships: membership ? [{ structureId: membership.structureId, role: membership.role }] : [],
  };
}

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isDomainError(error), `a DomainError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

const tokenOf = (text: string) => /\/invitation\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? '';

describe('structures: pure rules', () => {
  it('accepts a SIRET of 14 digits (spaces and dots allowed) or an RNA number W + 9 digits, nothing else', () => {
    assert.equal(siretOrRna('214 503 021 00013'), '21450302100013');
    assert.equal(siretOrRna('214.503.021.00013'), '21450302100013');
    assert.equal(siretOrRna('w452001234'), 'W452001234');
    for (const bad of [
      '123',
      '2145030270001',
      '214503021000130',
      'W45200123',
      'X452001234',
      'W45200123A',
      '',
    ])
      assert.equal(siretOrRna(bad), null, bad);
  });

  it('folds names without case, accents, hyphens or apostrophes', () => {
    assert.equal(foldForSearch('Médiathèque  Saint-Jean d’Œuvre'), 'mediatheque saint jean d oeuvre');
  });
});

describe('creating structures', () => {
  it('lets a coordinator create a structure and invites its first administrator by a single-use link', async () => {
    await withDb(async (db) => {
      const result = await createStructure(
        db,
        COORDINATOR,
        {
          name: '  Médiathèque de Saran ',
          pivot: '214 503 021 00013',
          kind: 'BIB',
          adminEmail: 'Alex@Example.org',
          adminName: 'Alex Martin',
        },
        opts,
      );
      assert.ok(result.ok);
      const [summary] = await listStructures(db, COORDINATOR);
      assert.equal(summary?.name, 'Médiathèque de Saran');
      assert.equal(summary?.pivot, '21450302100013');
      assert.deepEqual(summary?.kinds, ['BIB']);
      assert.equal(summary?.members, 0, 'the administrator becomes a member when they accept');
      const mails = await listRecentMessages(db);
      assert.equal(mails.length, 1);
      assert.equal(mails[0]?.to, 'alex@example.org');
      const token = tokenOf(mails[0]?.text ?? '');
      assert.ok(token);
      const invitee = await db
        .selectFrom('person')
        .select('display_name')
        .where('email', '=', 'alex@example.org')
        .executeTakeFirstOrThrow();
      assert.equal(invitee.display_name, 'Alex Martin');
      const accepted = await acceptInvitation(
        db,
        ANONYMOUS,
        { token, displayName: 'Alex', password: PASSWORD, confirmation: PASSWORD },
        opts,
      );
      assert.equal(accepted.ok, true);
      const members = await listStructureMembers(db, COORDINATOR, { structureId: result.structureId });
      assert.deepEqual(
        members.map((m) => [m.email, m.role]),
        [['alex@example.org', 'structure_admin']],
      );
      const actions = (await listAudit(db)).map((e) => e.action);
      for (const a of ['structure.created', 'membership.invited', 'membership.accepted'])
        assert.ok(actions.includes(a), a);
    });
  });

  it('refuses creation to anyone but a coordinator', async () => {
    await withDb(async (db) => {
      const id = await insertStructure(db, 'Centre social', '11111111111111');
      const admin = await person(db, 'admin@example.org', { structureId: id, role: 'structure_admin' });
      const input = {
        name: 'X',
        pivot: '21450302100013',
        kind: 'BIB',
        adminEmail: 'a@example.org',
        adminName: '',
      };
      await rejects(createStructure(db, admin, input, opts), 'forbidden');
      await rejects(createStructure(db, ANONYMOUS, input, opts), 'forbidden');
      await rejects(listStructures(db, admin), 'forbidden');
    });
  });

  it('names the field and the value of every bad input, in French', async () => {
    await withDb(async (db) => {
      await insertStructure(db, 'Centre social des Blossières', '21450302100013');
      const bad = await createStructure(
        db,
        COORDINATOR,
        { name: '', pivot: '12345', kind: '', adminEmail: 'pas-une-adresse', adminName: 'x'.repeat(121) },
        opts,
      );
      assert.ok(!bad.ok);
      assert.match(bad.errors.name ?? '', /Indiquez le nom de la structure/);
      assert.match(bad.errors.pivot ?? '', /« 12345 » n'est ni un SIRET ni un numéro RNA/);
      assert.match(bad.errors.kind ?? '', /Choisissez le type/);
      assert.match(bad.errors.adminEmail ?? '', /n'est pas valide/);
      assert.match(bad.errors.adminName ?? '', /120 caractères/);
      const taken = await createStructure(
        db,
        COORDINATOR,
        { name: 'Autre', pivot: '214 503 021 00013', kind: 'CS', adminEmail: 'a@example.org', adminName: '' },
        opts,
      );
      assert.ok(!taken.ok);
      assert.match(taken.errors.pivot ?? '', /déjà ce SIRET.*Centre social des Blossières/);
      const zeros = await createStructure(
        db,
        COORDINATOR,
        { name: 'Autre', pivot: '00000000000000', kind: 'CS', adminEmail: 'a@example.org', adminName: '' },
        opts,
      );
      assert.ok(!zeros.ok);
      assert.match(zeros.errors.pivot ?? '', /que des zéros/);
      const long = await createStructure(
        db,
        COORDINATOR,
        {
          name: 'a'.repeat(201),
          pivot: 'W452001234',
          kind: 'Inconnu',
          adminEmail: 'a@example.org',
          adminName: '',
        },
        opts,
      );
      assert.ok(!long.ok);
      assert.match(long.errors.name ?? '', /au plus 200 caractères \(il en a 201\)/);
      assert.match(long.errors.kind ?? '', /n'existe pas/);
      assert.equal((await listRecentMessages(db)).length, 0, 'nothing is sent for a refused form');
    });
  });

  it('keeps HTML in a name as text and strips invisible characters (bidirectional overrides, zero-width)', async () => {
    await withDb(async (db) => {
      const result = await createStructure(
        db,
        COORDINATOR,
        {
          name: '<script>alert(1)</script>\u202Eevil\u200B Café',
          pivot: 'W452001234',
          kind: 'ASSO',
          adminEmail: 'a@example.org',
          adminName: '\u202Ebob',
        },
        opts,
      );
      assert.ok(result.ok);
      const view = await viewStructure(db, COORDINATOR, { structureId: result.structureId });
      assert.equal(view.structure.name, '<script>alert(1)</script>evil Café');
      assert.equal(view.structure.pivot, 'W452001234');
    });
  });
});

describe('members of a structure', () => {
  it('shows members to members and coordinators only, and lists a person’s own structures', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const s1 = await insertStructure(db, 'Structure un', '10000000000001');
      const admin = await person(db, 'admin@example.org', { structureId: s0, role: 'structure_admin' });
      const staff = await person(db, 'staff@example.org', { structureId: s0, role: 'staff' });
      const other = await person(db, 'other@example.org', { structureId: s1, role: 'structure_admin' });
      assert.equal((await listStructureMembers(db, staff, { structureId: s0 })).length, 2);
      await rejects(listStructureMembers(db, other, { structureId: s0 }), 'forbidden');
      await rejects(listStructureMembers(db, ANONYMOUS, { structureId: s0 }), 'forbidden');
      await rejects(listJoinRequests(db, staff, { structureId: s0 }), 'forbidden');
      const mine = await listMyStructures(db, admin);
      assert.deepEqual(
        mine.map((s) => [s.name, s.role, s.members]),
        [['Structure zéro', 'structure_admin', 2]],
      );
      const asOther = await viewStructure(db, other, { structureId: s0 });
      assert.equal(asOther.members, null);
      assert.equal(asOther.joinRequests, null);
      assert.equal(asOther.viewer.canAskToJoin, true);
      const asStaff = await viewStructure(db, staff, { structureId: s0 });
      assert.equal(asStaff.members?.length, 2);
      assert.equal(asStaff.joinRequests, null);
      assert.equal(asStaff.viewer.canManage, false);
      await rejects(viewStructure(db, ANONYMOUS, { structureId: 'pas-un-id' }), 'not_found');
    });
  });

  it('never lets the last administrator be demoted or removed, and records every change', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const admin = await person(db, 'admin@example.org', { structureId: s0, role: 'structure_admin' });
      const staff = await person(db, 'staff@example.org', { structureId: s0, role: 'staff' });
      await rejects(
        changeStructureMemberRole(
          db,
          admin,
          { structureId: s0, personId: admin.personId, role: 'staff' },
          opts,
        ),
        'conflict',
        /dernière administratrice ou le dernier administrateur/,
      );
      await rejects(
        removeStructureMember(db, COORDINATOR, { structureId: s0, personId: admin.personId }, opts),
        'conflict',
        /au moins une/,
      );
      await rejects(
        changeStructureMemberRole(
          db,
          staff,
          { structureId: s0, personId: staff.personId, role: 'structure_admin' },
          opts,
        ),
        'forbidden',
      );
      await rejects(
        changeStructureMemberRole(
          db,
          admin,
          { structureId: s0, personId: staff.personId, role: 'owner' },
          opts,
        ),
        'invalid_input',
      );
      const promoted = await changeStructureMemberRole(
        db,
        admin,
        { structureId: s0, personId: staff.personId, role: 'structure_admin' },
        opts,
      );
      assert.equal(promoted.role, 'structure_admin');
      // Two administrators now: the first may step down, then the second is the last one.
      await changeStructureMemberRole(
        db,
        admin,
        { structureId: s0, personId: admin.personId, role: 'staff' },
        opts,
      );
      await rejects(
        removeStructureMember(db, COORDINATOR, { structureId: s0, personId: staff.personId }, opts),
        'conflict',
      );
      await removeStructureMember(db, COORDINATOR, { structureId: s0, personId: admin.personId }, opts);
      await rejects(
        removeStructureMember(db, COORDINATOR, { structureId: s0, personId: admin.personId }, opts),
        'not_found',
        /n'est pas membre/,
      );
      const entries = await listAudit(db);
      assert.deepEqual(
        entries
          .filter((e) => e.action.startsWith('membership.'))
          .map((e) => [e.action, e.details.from ?? e.details.role, e.details.to ?? null])
          .reverse(),
        [
          ['membership.role_changed', 'staff', 'structure_admin'],
          ['membership.role_changed', 'structure_admin', 'staff'],
          ['membership.removed', 'staff', null],
        ],
      );
    });
  });

  it('invites a member with a name and a role, but not someone already a member', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const admin = await person(db, 'admin@example.org', { structureId: s0, role: 'structure_admin' });
      const staff = await person(db, 'staff@example.org', { structureId: s0, role: 'staff' });
      await rejects(
        inviteStructureMember(
          db,
          staff,
          { structureId: s0, email: 'new@example.org', name: '', role: 'staff' },
          opts,
        ),
        'forbidden',
      );
      const bad = await inviteStructureMember(
        db,
        admin,
        { structureId: s0, email: 'new@@example', name: '', role: 'chef' },
        opts,
      );
      assert.ok(!bad.ok);
      assert.ok(bad.errors.email && bad.errors.role);
      const already = await inviteStructureMember(
        db,
        admin,
        { structureId: s0, email: 'STAFF@example.org', name: '', role: 'structure_admin' },
        opts,
      );
      assert.ok(!already.ok);
      assert.match(already.errors.email ?? '', /déjà membre/);
      const ok = await inviteStructureMember(
        db,
        admin,
        { structureId: s0, email: 'New@Example.org', name: 'Nour', role: 'structure_admin' },
        opts,
      );
      assert.ok(ok.ok);
      const [mail] = await listRecentMessages(db);
      assert.equal(mail?.to, 'new@example.org');
      assert.match(mail?.text ?? '', /administrateur·rice de structure/);
    });
  });
});

describe('join requests', () => {
  it('creates an account without password for an unknown address and tells the administrators', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Médiathèque de Saran', '10000000000000');
      await person(db, 'admin@example.org', { structureId: s0, role: 'structure_admin' });
      const result = await requestToJoinStructure(
        db,
        ANONYMOUS,
        {
          structureId: s0,
          name: '<b>Zoé</b>\u202E',
          email: ' Zoe@Example.ORG ',
          message: 'Bonjour,\r\nje suis médiatrice.',
          client: '203.0.113.1',
        },
        opts,
      );
      assert.deepEqual(result, { ok: true });
      const created = await db
        .selectFrom('person')
        .selectAll()
        .where('email', '=', 'zoe@example.org')
        .executeTakeFirstOrThrow();
      assert.equal(created.password_hash, null);
      assert.equal(created.display_name, '<b>Zoé</b>');
      const [mail] = await listRecentMessages(db);
      assert.equal(mail?.to, 'admin@example.org');
      assert.match(
        mail?.text ?? '',
        /<b>Zoé<\/b> \(zoe@example\.org\) demande à rejoindre « Médiathèque de Saran »/,
      );
      assert.match(mail?.text ?? '', /Bonjour,\nje suis médiatrice\./);
      assert.match(
        mail?.text ?? '',
        new RegExp(`https://maillage\\.example\\.org/structures/${s0}#demandes`),
      );
      const audit = await listAudit(db, { action: 'join_request.created' });
      assert.equal(audit.length, 1);
    });
  });

  it('answers the same whether the address has an account, is a member or already asked', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      await person(db, 'admin@example.org', { structureId: s0, role: 'structure_admin' });
      await person(db, 'member@example.org', { structureId: s0, role: 'staff' });
      await person(db, 'known@example.org');
      const ask = (email: string, client: string) =>
        requestToJoinStructure(
          db,
          ANONYMOUS,
          { structureId: s0, name: 'X', email, message: '', client },
          opts,
        );
      for (const [email, client] of [
        ['known@example.org', 'a'],
        ['unknown@example.org', 'b'],
        ['member@example.org', 'c'],
        ['known@example.org', 'd'],
      ] as const)
        assert.deepEqual(await ask(email, client), { ok: true }, email);
      const requests = await listJoinRequests(db, COORDINATOR, { structureId: s0 });
      assert.deepEqual(requests.map((r) => r.email).sort(), ['known@example.org', 'unknown@example.org']);
      assert.equal((await listRecentMessages(db)).length, 2, 'one mail per new request, none for a repeat');
      const known = requests.find((r) => r.email === 'known@example.org');
      assert.equal(known?.name, 'known', 'an existing account keeps its name');
    });
  });

  it('refuses a malformed address and an oversized message, naming them', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const result = await requestToJoinStructure(
        db,
        ANONYMOUS,
        { structureId: s0, name: '', email: 'zoe@', message: 'é'.repeat(1001), client: 'a' },
        opts,
      );
      assert.ok(!result.ok && result.reason === 'invalid_input');
      assert.match(result.errors.email ?? '', /n'est pas valide/);
      assert.match(result.errors.name ?? '', /Indiquez votre nom/);
      assert.match(result.errors.message ?? '', /au plus 1\u202f000 caractères \(il en a 1\u202f001\)/);
      assert.equal(await db.selectFrom('person').select('id').executeTakeFirst(), undefined);
      await rejects(
        requestToJoinStructure(
          db,
          ANONYMOUS,
          { structureId: 'inconnue', name: 'X', email: 'x@example.org', client: 'a' },
          opts,
        ),
        'not_found',
      );
    });
  });

  it('limits requests per address and per client, in the database', async () => {
    await withDb(async (db) => {
      const ids = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          insertStructure(db, `Structure ${i}`, `1000000000000${i}`.slice(-14)),
        ),
      );
      const ask = (structureId: string, email: string, client: string) =>
        requestToJoinStructure(db, ANONYMOUS, { structureId, name: 'X', email, message: '', client }, opts);
      for (let i = 0; i < 3; i++)
        assert.deepEqual(await ask(ids[i] ?? '', 'same@example.org', `c${i}`), { ok: true });
      assert.deepEqual(await ask(ids[3] ?? '', 'same@example.org', 'c3'), {
        ok: false,
        reason: 'rate_limited',
      });
      for (let i = 0; i < 10; i++)
        assert.deepEqual(
          await ask(ids[i] ?? '', `p${i}@example.org`, '198.51.100.7'),
          { ok: true },
          `request ${i}`,
        );
      assert.deepEqual(await ask(ids[10] ?? '', 'p10@example.org', '198.51.100.7'), {
        ok: false,
        reason: 'rate_limited',
      });
      // An hour later the window has passed.
      const later = { config, now: new Date(T0.getTime() + 61 * 60_000) };
      assert.deepEqual(
        await requestToJoinStructure(
          db,
          ANONYMOUS,
          { structureId: ids[11] ?? '', name: 'X', email: 'p11@example.org', client: '198.51.100.7' },
          later,
        ),
        { ok: true },
      );
    });
  });

  it('lets a signed-in person ask once, and not when already a member', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const s1 = await insertStructure(db, 'Structure un', '10000000000001');
      const member = await person(db, 'member@example.org', { structureId: s0, role: 'staff' });
      const first = await requestToJoinStructure(
        db,
        member,
        { structureId: s1, message: 'Bonjour', client: 'a' },
        opts,
      );
      assert.deepEqual(first, { ok: true });
      const again = await requestToJoinStructure(
        db,
        member,
        { structureId: s1, message: '', client: 'a' },
        opts,
      );
      assert.ok(!again.ok && again.reason === 'invalid_input');
      assert.match(again.errors.form ?? '', /attend une réponse/);
      const own = await requestToJoinStructure(
        db,
        member,
        { structureId: s0, message: '', client: 'a' },
        opts,
      );
      assert.ok(!own.ok && own.reason === 'invalid_input');
      assert.match(own.errors.form ?? '', /déjà membre/);
      // No administrator yet: the coordinators are told.
      const coordinator = await db
        .insertInto('person')
        .values({ email: 'coord@example.org', display_name: 'Coord', network_role: 'coordinator' })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.ok(coordinator.id);
      const s2 = await insertStructure(db, 'Structure deux', '10000000000002');
      await requestToJoinStructure(db, member, { structureId: s2, message: '', client: 'a' }, opts);
      const [mail] = await listRecentMessages(db);
      assert.equal(mail?.to, 'coord@example.org');
      assert.equal((await viewStructure(db, member, { structureId: s1 })).viewer.hasPendingRequest, true);
    });
  });

  it('accepts a person with an account at once, mailing them; a request is answered once', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const s1 = await insertStructure(db, 'Structure un', '10000000000001');
      const admin = await person(db, 'admin@example.org', { structureId: s0, role: 'structure_admin' });
      const staff = await person(db, 'staff@example.org', { structureId: s0, role: 'staff' });
      const otherAdmin = await person(db, 'other@example.org', { structureId: s1, role: 'structure_admin' });
      const asker = await person(db, 'asker@example.org');
      await requestToJoinStructure(db, asker, { structureId: s0, message: '', client: 'a' }, opts);
      const [request] = await listJoinRequests(db, admin, { structureId: s0 });
      assert.ok(request);
      const input = { structureId: s0, requestId: request.id, decision: 'accept', message: 'Bienvenue !' };
      await rejects(decideJoinRequest(db, staff, input, opts), 'forbidden');
      await rejects(decideJoinRequest(db, otherAdmin, input, opts), 'forbidden');
      await rejects(decideJoinRequest(db, otherAdmin, { ...input, structureId: s1 }, opts), 'not_found');
      const tooLong = await decideJoinRequest(db, admin, { ...input, message: 'x'.repeat(1001) }, opts);
      assert.ok(!tooLong.ok);
      assert.match(tooLong.errors.message ?? '', /1\u202f000/);
      const result = await decideJoinRequest(db, admin, input, opts);
      assert.deepEqual(result, { ok: true, decision: 'accept', name: 'asker', invited: false });
      const members = await listStructureMembers(db, admin, { structureId: s0 });
      assert.ok(members.some((m) => m.email === 'asker@example.org' && m.role === 'staff'));
      const [mail] = await listRecentMessages(db);
      assert.equal(mail?.to, 'asker@example.org');
      assert.match(mail?.text ?? '', /est acceptée/);
      assert.match(mail?.text ?? '', /Bienvenue !/);
      await rejects(
        decideJoinRequest(db, admin, { ...input, decision: 'refuse' }, opts),
        'conflict',
        /déjà reçu une réponse/,
      );
      assert.equal((await listAudit(db, { action: 'membership.join_accepted' })).length, 1);
    });
  });

  it('sends an invitation to a person without an account, who becomes a member once their password is set', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const admin = await person(db, 'admin@example.org', { structureId: s0, role: 'structure_admin' });
      await requestToJoinStructure(
        db,
        ANONYMOUS,
        { structureId: s0, name: 'Zoé', email: 'zoe@example.org', message: '', client: 'a' },
        opts,
      );
      const [request] = await listJoinRequests(db, admin, { structureId: s0 });
      assert.equal(request?.hasAccount, false);
      const result = await decideJoinRequest(
        db,
        admin,
        { structureId: s0, requestId: request?.id ?? '', decision: 'accept', message: '' },
        opts,
      );
      assert.ok(result.ok && result.invited);
      const mails = (await listRecentMessages(db)).filter((m) => m.to === 'zoe@example.org');
      assert.equal(mails.length, 2, 'the answer, then the invitation');
      const invitation = mails.find((m) => tokenOf(m.text));
      assert.ok(invitation);
      assert.equal(
        (await listStructureMembers(db, admin, { structureId: s0 })).length,
        1,
        'not a member yet',
      );
      const accepted = await acceptInvitation(
        db,
        ANONYMOUS,
        { token: tokenOf(invitation.text), displayName: 'Zoé', password: PASSWORD, confirmation: PASSWORD },
        opts,
      );
      assert.equal(accepted.ok, true);
      const members = await listStructureMembers(db, admin, { structureId: s0 });
      assert.ok(members.some((m) => m.email === 'zoe@example.org' && m.role === 'staff'));
    });
  });

  it('refuses a request with a message mailed to the requester', async () => {
    await withDb(async (db) => {
      const s0 = await insertStructure(db, 'Structure zéro', '10000000000000');
      const asker = await person(db, 'asker@example.org');
      await requestToJoinStructure(db, asker, { structureId: s0, message: '', client: 'a' }, opts);
      const [request] = await listJoinRequests(db, COORDINATOR, { structureId: s0 });
      const result = await decideJoinRequest(
        db,
        COORDINATOR,
        {
          structureId: s0,
          requestId: request?.id ?? '',
          decision: 'refuse',
          message: 'Nous ne recrutons pas.',
        },
        opts,
      );
      assert.ok(result.ok && result.decision === 'refuse');
      const mail = (await listRecentMessages(db)).find((m) => m.to === 'asker@example.org');
      assert.match(mail?.text ?? '', /n'est pas acceptée/);
      assert.match(mail?.text ?? '', /Nous ne recrutons pas\./);
      assert.equal((await listStructureMembers(db, COORDINATOR, { structureId: s0 })).length, 0);
      assert.equal((await listAudit(db, { action: 'join_request.refused' })).length, 1);
      const bad = await decideJoinRequest(
        db,
        COORDINATOR,
        { structureId: s0, requestId: request?.id ?? '', decision: 'peut-être' },
        opts,
      );
      assert.ok(!bad.ok);
      assert.match(bad.errors.decision ?? '', /Accepter/);
    });
  });
});

describe('finding a structure by name', () => {
  it('ignores case, accents, hyphens and apostrophes, matches SIRET prefixes, and treats % and _ literally', async () => {
    await withDb(async (db) => {
      await insertStructure(db, 'Médiathèque de Saint-Jean-de-Braye', '21450302100013');
      await insertStructure(db, "L'Œuvre d'ÉCOLE", 'W452001234');
      await insertStructure(db, 'Centre 100_% social', '30000000000000');
      const names = async (query: string) => {
        const found = await findStructuresByName(db, ANONYMOUS, { query });
        assert.ok(found.ok, query);
        return found.results.map((r) => r.name);
      };
      assert.deepEqual(await names('mediatheque saint jean'), ['Médiathèque de Saint-Jean-de-Braye']);
      assert.deepEqual(await names('SAINT–JEAN'.replace('–', '-')), ['Médiathèque de Saint-Jean-de-Braye']);
      assert.deepEqual(await names('oeuvre d ecole'), ["L'Œuvre d'ÉCOLE"]);
      assert.deepEqual(await names('214 503'), ['Médiathèque de Saint-Jean-de-Braye']);
      assert.deepEqual(await names('w4520'), ["L'Œuvre d'ÉCOLE"]);
      assert.deepEqual(await names('0_%'), ['Centre 100_% social']);
      assert.deepEqual(await names('%%'), []);
      const short = await findStructuresByName(db, ANONYMOUS, { query: ' é ' });
      assert.ok(!short.ok);
      assert.match(short.error, /au moins 2 lettres/);
      const long = await findStructuresByName(db, ANONYMOUS, { query: 'a'.repeat(101) });
      assert.ok(!long.ok);
    });
  });
});
