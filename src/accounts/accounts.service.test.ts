import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { ACCOUNTS_CONFIG, PASSWORD, runLinkJobs, tokenOf } from '../../test/support/accounts.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { listAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { listRecentMessages } from '../mail/mail.service.ts';
import {
  acceptInvitation,
  createCoordinator,
  deleteMyAccount,
  exportMyData,
  inviteToStructure,
} from './accounts.service.ts';
import { ANONYMOUS } from './policy.ts';
import { confirmTotpEnrolment, startTotpEnrolment, verifySecondFactor } from './second-factor.service.ts';
import { argon2Hasher, type PasswordHasher, resolveSession, signOutEverywhere } from './sessions.service.ts';
import {
  requestPasswordReset,
  requestSignInLink,
  resetPassword,
  signInWithLink,
  signInWithPassword,
} from './sign-in.service.ts';

after(closeTestTemplate);

const config = ACCOUNTS_CONFIG;
const T0 = new Date('2026-05-04T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const CLIENT = '192.0.2.1';

/** Creates a structure and a staff member who accepted the invitation; returns their ids. */
async function memberWithPassword(db: Db, email = 'sam@example.org') {
  const structure = await db
    .insertInto('structure')
    .values({ pivot: `pivot-${email}`, nom: 'Médiathèque de Test' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const invited = await inviteToStructure(
    db,
    { kind: 'system' },
    { email, structureId: structure.id, role: 'staff' },
    { config, now: T0 },
  );
  const accepted = await acceptInvitation(
    db,
    ANONYMOUS,
    { token: tokenOf(invited.link), displayName: 'Sam', password: PASSWORD, confirmation: PASSWORD },
    { config, now: T0 },
  );
  assert.equal(accepted.ok, true);
  return { personId: invited.personId, structureId: structure.id, invitation: tokenOf(invited.link) };
}

describe('accounts service', () => {
  it('invites by a single-use emailed link; the link cannot be reused or tampered with', async () => {
    const t = await createTestDb();
    try {
      const { personId, structureId, invitation } = await memberWithPassword(t.db);
      const mails = await listRecentMessages(t.db);
      assert.equal(mails.length, 1);
      assert.equal(mails[0]?.to, 'sam@example.org');
      assert.match(
        mails[0]?.text ?? '',
        new RegExp(`https://maillage\\.example\\.org/invitation/${invitation}`),
      );
      const again = await acceptInvitation(
        t.db,
        ANONYMOUS,
        { token: invitation, displayName: 'X', password: PASSWORD, confirmation: PASSWORD },
        { config, now: T0 },
      );
      assert.deepEqual(again, { ok: false, reason: 'invalid_link' });
      const tampered = `${invitation.slice(0, -1)}${invitation.endsWith('A') ? 'B' : 'A'}`;
      assert.deepEqual(
        await acceptInvitation(
          t.db,
          ANONYMOUS,
          { token: tampered, displayName: 'X', password: PASSWORD, confirmation: PASSWORD },
          { config, now: T0 },
        ),
        { ok: false, reason: 'invalid_link' },
      );
      const session = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'SAM@example.org', password: PASSWORD, client: CLIENT },
        { config, now: T0 },
      );
      assert.equal(session.ok, true);
      if (!session.ok) return;
      assert.equal(session.stage, 'full');
      const current = await resolveSession(
        t.db,
        ANONYMOUS,
        { token: session.sessionToken },
        { config, now: T0 },
      );
      assert.equal(current?.person.id, personId);
      assert.deepEqual(
        current?.person.memberships.map((m) => [m.structureId, m.role]),
        [[structureId, 'staff']],
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a weak password without using up the invitation', async () => {
    const t = await createTestDb();
    try {
      const structure = await t.db
        .insertInto('structure')
        .values({ pivot: 'p1', nom: 'CCAS' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { link } = await inviteToStructure(
        t.db,
        { kind: 'system' },
        { email: 'a@example.org', structureId: structure.id, role: 'structure_admin' },
        { config, now: T0 },
      );
      const weak = await acceptInvitation(
        t.db,
        ANONYMOUS,
        { token: tokenOf(link), displayName: 'A', password: 'azertyuiop123', confirmation: 'azertyuiop123' },
        { config, now: T0 },
      );
      assert.equal(weak.ok, false);
      assert.equal(!weak.ok && weak.reason === 'invalid_input' && typeof weak.errors.password, 'string');
      const good = await acceptInvitation(
        t.db,
        ANONYMOUS,
        { token: tokenOf(link), displayName: 'A', password: PASSWORD, confirmation: PASSWORD },
        { config, now: T0 },
      );
      assert.equal(good.ok, true);
    } finally {
      await t.close();
    }
  });

  it('locks the account after 10 failures: the 11th attempt is refused without checking the hash, even with the right password', async () => {
    const t = await createTestDb();
    try {
      await memberWithPassword(t.db);
      let verifications = 0;
      const counting: PasswordHasher = {
        hash: argon2Hasher.hash,
        verify: (hash, password) => {
          verifications++;
          return argon2Hasher.verify(hash, password);
        },
      };
      const opts = { config, now: at(1), hasher: counting };
      for (let i = 1; i <= 10; i++) {
        const r = await signInWithPassword(
          t.db,
          ANONYMOUS,
          { email: 'sam@example.org', password: `mauvais ${i}`, client: CLIENT },
          opts,
        );
        assert.deepEqual(r, { ok: false, reason: 'invalid_credentials' });
      }
      assert.equal(verifications, 10);
      const eleventh = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'sam@example.org', password: PASSWORD, client: CLIENT },
        opts,
      );
      assert.deepEqual(eleventh, { ok: false, reason: 'locked', scope: 'account_and_address' });
      assert.equal(verifications, 10, 'the 11th attempt must not check the hash');
      assert.equal((await listAudit(t.db, { action: 'sign_in.locked' })).length, 1);
      assert.equal((await listAudit(t.db, { action: 'sign_in.failed' })).length, 10);
      // The lock is temporary: after the window the right password works again.
      const later = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'sam@example.org', password: PASSWORD, client: CLIENT },
        { config, now: at(17), hasher: counting },
      );
      assert.equal(later.ok, true);
    } finally {
      await t.close();
    }
  });

  it('ends sessions after the idle timeout, after the absolute lifetime, and everywhere on request', async () => {
    const t = await createTestDb();
    try {
      await memberWithPassword(t.db);
      const signIn = async (now: Date) => {
        const r = await signInWithPassword(
          t.db,
          ANONYMOUS,
          { email: 'sam@example.org', password: PASSWORD, client: CLIENT },
          { config, now },
        );
        assert.ok(r.ok);
        return r.sessionToken;
      };
      const idle = await signIn(T0);
      assert.ok(await resolveSession(t.db, ANONYMOUS, { token: idle }, { config, now: at(29) }));
      assert.ok(
        await resolveSession(t.db, ANONYMOUS, { token: idle }, { config, now: at(58) }),
        'activity at 29 min extends it',
      );
      assert.equal(await resolveSession(t.db, ANONYMOUS, { token: idle }, { config, now: at(89) }), null);

      const busy = await signIn(T0);
      for (let m = 20; m < 12 * 60; m += 20)
        assert.ok(await resolveSession(t.db, ANONYMOUS, { token: busy }, { config, now: at(m) }));
      assert.equal(
        await resolveSession(t.db, ANONYMOUS, { token: busy }, { config, now: at(12 * 60) }),
        null,
        'absolute lifetime',
      );

      const a = await signIn(at(800));
      const b = await signIn(at(800));
      const current = await resolveSession(t.db, ANONYMOUS, { token: a }, { config, now: at(801) });
      assert.ok(current);
      // 3: the two sessions above, and the (stale) one opened when the invitation was accepted.
      assert.equal(await signOutEverywhere(t.db, current.actor, { now: at(801) }), 3);
      assert.equal(await resolveSession(t.db, ANONYMOUS, { token: a }, { config, now: at(802) }), null);
      assert.equal(await resolveSession(t.db, ANONYMOUS, { token: b }, { config, now: at(802) }), null);
    } finally {
      await t.close();
    }
  });

  it('resets a password by a single-use link valid 1 hour, ending every session', async () => {
    const t = await createTestDb();
    try {
      await memberWithPassword(t.db);
      const before = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'sam@example.org', password: PASSWORD, client: CLIENT },
        { config, now: T0 },
      );
      assert.ok(before.ok);
      assert.deepEqual(
        await requestPasswordReset(t.db, ANONYMOUS, { email: 'sam@example.org' }, { now: T0 }),
        {
          status: 'sent',
        },
      );
      assert.deepEqual(
        await requestPasswordReset(t.db, ANONYMOUS, { email: 'nobody@example.org' }, { now: T0 }),
        {
          status: 'sent',
        },
      );
      await runLinkJobs(t.db, T0);
      const resetMails = (await listRecentMessages(t.db)).filter((m) => m.subject.includes('mot de passe'));
      assert.equal(resetMails.length, 1, 'no mail to an unknown address');
      const token = /\/mot-de-passe\/([\w-]{43})/.exec(resetMails[0]?.text ?? '')?.[1] as string;
      const NEW = 'un autre mot de passe long';
      const expired = await resetPassword(
        t.db,
        ANONYMOUS,
        { token, password: NEW, confirmation: NEW },
        { config, now: at(61) },
      );
      assert.deepEqual(expired, { ok: false, reason: 'invalid_link' });
      const done = await resetPassword(
        t.db,
        ANONYMOUS,
        { token, password: NEW, confirmation: NEW },
        { config, now: at(30) },
      );
      assert.deepEqual(done, { ok: true });
      const reused = await resetPassword(
        t.db,
        ANONYMOUS,
        { token, password: NEW, confirmation: NEW },
        { config, now: at(31) },
      );
      assert.deepEqual(reused, { ok: false, reason: 'invalid_link' });
      assert.equal(
        await resolveSession(t.db, ANONYMOUS, { token: before.sessionToken }, { config, now: at(31) }),
        null,
      );
      const after = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'sam@example.org', password: NEW, client: CLIENT },
        { config, now: at(32) },
      );
      assert.equal(after.ok, true);
      // Rate limit: at most 5 requests per hour per address.
      for (let i = 0; i < 4; i++)
        await requestPasswordReset(t.db, ANONYMOUS, { email: 'sam@example.org' }, { now: at(40) });
      assert.deepEqual(
        await requestPasswordReset(t.db, ANONYMOUS, { email: 'sam@example.org' }, { now: at(41) }),
        {
          status: 'rate_limited',
        },
      );
    } finally {
      await t.close();
    }
  });

  it('signs in by a single-use email link that expires after 15 minutes', async () => {
    const t = await createTestDb();
    try {
      await memberWithPassword(t.db);
      const link = async (now: Date) => {
        await requestSignInLink(t.db, ANONYMOUS, { email: 'sam@example.org' }, { now });
        await runLinkJobs(t.db, now);
        const mail = (await listRecentMessages(t.db)).find((m) => m.subject.includes('lien de connexion'));
        return /\/connexion\/lien\/([\w-]{43})/.exec(mail?.text ?? '')?.[1] as string;
      };
      const first = await link(T0);
      assert.deepEqual(await signInWithLink(t.db, ANONYMOUS, { token: first }, { config, now: at(16) }), {
        ok: false,
        reason: 'invalid_link',
      });
      const second = await link(at(20));
      assert.notEqual(second, first);
      assert.equal(
        (await signInWithLink(t.db, ANONYMOUS, { token: second }, { config, now: at(21) })).ok,
        true,
      );
      assert.deepEqual(await signInWithLink(t.db, ANONYMOUS, { token: second }, { config, now: at(22) }), {
        ok: false,
        reason: 'invalid_link',
      });
      assert.deepEqual(
        await signInWithLink(t.db, ANONYMOUS, { token: 'not-a-token' }, { config, now: at(22) }),
        {
          ok: false,
          reason: 'invalid_link',
        },
      );
    } finally {
      await t.close();
    }
  });

  it('makes coordinators enrol TOTP, then asks for a code once per sign-in, refusing reused codes; recovery codes work once', async () => {
    const t = await createTestDb();
    try {
      const { link } = await createCoordinator(
        t.db,
        { kind: 'system' },
        { email: 'Coord@Example.org' },
        { config, now: T0 },
      );
      assert.match(link, /^https:\/\/maillage\.example\.org\/invitation\/[\w-]{43}$/);
      const accepted = await acceptInvitation(
        t.db,
        ANONYMOUS,
        { token: tokenOf(link), displayName: 'Camille', password: PASSWORD, confirmation: PASSWORD },
        { config, now: T0 },
      );
      assert.ok(accepted.ok);
      assert.equal(accepted.stage, 'totp_enrolment');
      const current = await resolveSession(
        t.db,
        ANONYMOUS,
        { token: accepted.sessionToken },
        { config, now: T0 },
      );
      assert.ok(current);
      const { secret } = await startTotpEnrolment(t.db, current.actor);
      const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
      assert.deepEqual(await confirmTotpEnrolment(t.db, current.actor, { code: '000000' }, { now: at(1) }), {
        ok: false,
      });
      const enrolled = await confirmTotpEnrolment(
        t.db,
        current.actor,
        { code: totp.generate({ timestamp: at(1).getTime() }), sessionId: current.sessionId },
        { now: at(1) },
      );
      assert.ok(enrolled.ok);
      assert.equal(enrolled.recoveryCodes.length, 10);
      // The session that waited for the enrolment is complete: the journal records a sign-in with it.
      assert.deepEqual(
        (await listAudit(t.db, { action: 'sign_in.completed' })).map((e) => e.details),
        [{ how: 'totp_enrolment', secondFactor: true }],
      );

      const signIn = async (now: Date) => {
        const r = await signInWithPassword(
          t.db,
          ANONYMOUS,
          { email: 'coord@example.org', password: PASSWORD, client: CLIENT },
          { config, now },
        );
        assert.ok(r.ok);
        assert.equal(r.stage, 'second_factor');
        assert.equal(
          (await resolveSession(t.db, ANONYMOUS, { token: r.sessionToken }, { config, now }))?.stage,
          'second_factor',
        );
        return r.sessionToken;
      };
      const s1 = await signIn(at(5));
      const code = totp.generate({ timestamp: at(5).getTime() });
      assert.deepEqual(
        await verifySecondFactor(
          t.db,
          ANONYMOUS,
          { sessionToken: s1, code: '123 456' },
          { config, now: at(5) },
        ),
        {
          ok: false,
          reason: 'invalid_code',
        },
      );
      assert.equal(
        (await verifySecondFactor(t.db, ANONYMOUS, { sessionToken: s1, code }, { config, now: at(5) })).ok,
        true,
      );
      assert.equal(
        (await resolveSession(t.db, ANONYMOUS, { token: s1 }, { config, now: at(5) }))?.stage,
        'full',
      );
      const s2 = await signIn(at(5));
      assert.deepEqual(
        await verifySecondFactor(t.db, ANONYMOUS, { sessionToken: s2, code }, { config, now: at(5) }),
        {
          ok: false,
          reason: 'invalid_code',
        },
      );
      const recovery = enrolled.recoveryCodes[0] as string;
      const viaRecovery = await verifySecondFactor(
        t.db,
        ANONYMOUS,
        { sessionToken: s2, code: recovery.toUpperCase() },
        { config, now: at(6) },
      );
      assert.deepEqual(viaRecovery, { ok: true, recoveryCodesLeft: 9 });
      const s3 = await signIn(at(7));
      assert.deepEqual(
        await verifySecondFactor(
          t.db,
          ANONYMOUS,
          { sessionToken: s3, code: recovery },
          { config, now: at(7) },
        ),
        {
          ok: false,
          reason: 'invalid_code',
        },
      );
    } finally {
      await t.close();
    }
  });

  it('exports the account data as JSON without secrets, and deletes the account while the audit log stays', async () => {
    const t = await createTestDb();
    try {
      const { personId } = await memberWithPassword(t.db);
      const r = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'sam@example.org', password: PASSWORD, client: CLIENT },
        { config, now: T0 },
      );
      assert.ok(r.ok);
      const current = await resolveSession(t.db, ANONYMOUS, { token: r.sessionToken }, { config, now: T0 });
      assert.ok(current);
      const data = await exportMyData(t.db, current.actor, { now: T0 });
      const text = JSON.stringify(data);
      assert.match(text, /sam@example\.org/);
      assert.match(text, /Médiathèque de Test/);
      assert.doesNotMatch(text, /argon2|password_hash|totp_secret/);
      await deleteMyAccount(t.db, current.actor, { now: T0 });
      assert.equal(
        await resolveSession(t.db, ANONYMOUS, { token: r.sessionToken }, { config, now: T0 }),
        null,
      );
      const audit = await listAudit(t.db, { actorId: personId });
      assert.ok(audit.some((e) => e.action === 'account.deleted'));
      assert.ok(audit.some((e) => e.action === 'personal_data.exported'));
      await assert.rejects(() => exportMyData(t.db, { kind: 'anonymous' }), { code: 'forbidden' });
    } finally {
      await t.close();
    }
  });
});
