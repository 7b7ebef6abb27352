import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { ACCOUNTS_CONFIG, PASSWORD, runLinkJobs, tokenOf } from '../../test/support/accounts.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { listAudit } from '../audit/audit.service.ts';
import { DEFAULT_LIMITS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { listRecentMessages } from '../mail/mail.service.ts';
import {
  acceptInvitation,
  createCoordinator,
  deleteMyAccount,
  inviteToStructure,
} from './accounts.service.ts';
import { ANONYMOUS } from './policy.ts';
import { confirmTotpEnrolment, startTotpEnrolment, verifySecondFactor } from './second-factor.service.ts';
import { resolveSession } from './sessions.service.ts';
import {
  requestPasswordReset,
  requestSignInLink,
  resetPassword,
  signInWithLink,
  signInWithPassword,
} from './sign-in.service.ts';

/**
 * The guards around signing in: the second factor's own lockout (which no other success clears), and
 * the password limits per (address, account), per address and per account.
 */
after(closeTestTemplate);

const config = ACCOUNTS_CONFIG;
const T0 = new Date('2026-05-04T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const A = '192.0.2.1';
const B = '198.51.100.7';

/** A coordinator with a password and an active second factor; returns her TOTP generator. */
async function coordinatorWithTotp(db: Db, email = 'coord@example.org') {
  const { link } = await createCoordinator(db, { kind: 'system' }, { email }, { config, now: T0 });
  const accepted = await acceptInvitation(
    db,
    ANONYMOUS,
    { token: tokenOf(link), displayName: 'Camille', password: PASSWORD, confirmation: PASSWORD },
    { config, now: T0 },
  );
  assert.ok(accepted.ok);
  const current = await resolveSession(db, ANONYMOUS, { token: accepted.sessionToken }, { config, now: T0 });
  assert.ok(current);
  const { secret } = await startTotpEnrolment(db, current.actor);
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  const enrolled = await confirmTotpEnrolment(
    db,
    current.actor,
    { code: totp.generate({ timestamp: T0.getTime() }) },
    { now: T0 },
  );
  assert.ok(enrolled.ok);
  return { email, code: (now: Date) => totp.generate({ timestamp: now.getTime() }) };
}

async function passwordStep(db: Db, email: string, now: Date, client = A): Promise<string> {
  const r = await signInWithPassword(db, ANONYMOUS, { email, password: PASSWORD, client }, { config, now });
  assert.ok(r.ok, `password accepted at ${now.toISOString()}`);
  assert.equal(r.stage, 'second_factor');
  return r.sessionToken;
}

/** A wrong 6-digit code for that moment (never the right one). */
function wrongCode(right: string, i: number): string {
  const code = String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
  return code === right ? String((Number(right) + 500_000) % 1_000_000).padStart(6, '0') : code;
}

describe('the second factor guard', () => {
  it('counts wrong codes across password sign-ins and sign-in links, locks after 10 (the right code too) and mails the holder once', async () => {
    const t = await createTestDb();
    try {
      const coord = await coordinatorWithTotp(t.db);
      const now = at(1);
      // "Password, then 9 wrong codes", then the password again: the count goes on.
      let session = await passwordStep(t.db, coord.email, now);
      for (let i = 0; i < 9; i++) {
        const r = await verifySecondFactor(
          t.db,
          ANONYMOUS,
          { sessionToken: session, code: wrongCode(coord.code(now), i) },
          { config, now },
        );
        assert.deepEqual(r, { ok: false, reason: 'invalid_code' });
      }
      session = await passwordStep(t.db, coord.email, now);
      const tenth = await verifySecondFactor(
        t.db,
        ANONYMOUS,
        { sessionToken: session, code: 'abcde-fghij' }, // a wrong recovery code counts too
        { config, now },
      );
      assert.equal(tenth.ok, false);
      assert.equal(!tenth.ok && tenth.reason, 'locked');
      // Locked: the right code is refused, also after a fresh password step or a sign-in link.
      const right = await verifySecondFactor(
        t.db,
        ANONYMOUS,
        { sessionToken: session, code: coord.code(now) },
        { config, now },
      );
      assert.equal(!right.ok && right.reason, 'locked');
      await requestSignInLink(t.db, ANONYMOUS, { email: coord.email }, { now });
      await runLinkJobs(t.db, now);
      const mails = await listRecentMessages(t.db);
      const linkToken = /\/connexion\/lien\/([\w-]{43})/.exec(
        mails.find((m) => m.kind === 'sign_in_link')?.text ?? '',
      )?.[1] as string;
      const byLink = await signInWithLink(t.db, ANONYMOUS, { token: linkToken }, { config, now: at(2) });
      assert.ok(byLink.ok);
      const viaLink = await verifySecondFactor(
        t.db,
        ANONYMOUS,
        { sessionToken: byLink.sessionToken, code: coord.code(at(2)) },
        { config, now: at(2) },
      );
      assert.equal(!viaLink.ok && viaLink.reason, 'locked');
      // The holder is told once, with what to do.
      const alerts = mails.filter((m) => m.kind === 'second_factor_locked');
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]?.to, coord.email);
      assert.match(alerts[0]?.text ?? '', /connaît votre mot de passe/);
      assert.match(alerts[0]?.text ?? '', /mot-de-passe-oublie/);
      assert.equal((await listAudit(t.db, { action: 'sign_in.second_factor_failed' })).length, 10);
      // After 15 minutes the right code works again.
      const later = await passwordStep(t.db, coord.email, at(17));
      const ok = await verifySecondFactor(
        t.db,
        ANONYMOUS,
        { sessionToken: later, code: coord.code(at(17)) },
        { config, now: at(17) },
      );
      assert.equal(ok.ok, true);
    } finally {
      await t.close();
    }
  });

  it('blocks the second step after 3 locks in 24 hours until the password is reset by an e-mailed link', async () => {
    const t = await createTestDb();
    try {
      const coord = await coordinatorWithTotp(t.db);
      const tenWrong = async (minute: number) => {
        const now = at(minute);
        const session = await passwordStep(t.db, coord.email, now);
        let last: Awaited<ReturnType<typeof verifySecondFactor>> | undefined;
        for (let i = 0; i < 10; i++)
          last = await verifySecondFactor(
            t.db,
            ANONYMOUS,
            { sessionToken: session, code: wrongCode(coord.code(now), i) },
            { config, now },
          );
        return last;
      };
      const first = await tenWrong(1);
      assert.equal(first?.ok === false && first.reason, 'locked');
      const second = await tenWrong(20);
      assert.equal(second?.ok === false && second.reason, 'locked');
      const third = await tenWrong(40);
      assert.deepEqual(third, { ok: false, reason: 'blocked' });
      // A day later, still blocked, whatever the code.
      const session = await passwordStep(t.db, coord.email, at(26 * 60));
      const stillBlocked = await verifySecondFactor(
        t.db,
        ANONYMOUS,
        { sessionToken: session, code: coord.code(at(26 * 60)) },
        { config, now: at(26 * 60) },
      );
      assert.deepEqual(stillBlocked, { ok: false, reason: 'blocked' });
      const alerts = (await listRecentMessages(t.db)).filter((m) => m.kind.startsWith('second_factor_'));
      assert.deepEqual(alerts.map((m) => m.kind).sort(), ['second_factor_blocked', 'second_factor_locked']);
      // The holder resets the password by the e-mailed link: the second step opens again.
      await requestPasswordReset(t.db, ANONYMOUS, { email: coord.email }, { now: at(26 * 60) });
      await runLinkJobs(t.db, at(26 * 60));
      const reset = /\/mot-de-passe\/([\w-]{43})/.exec(
        (await listRecentMessages(t.db)).find((m) => m.kind === 'password_reset')?.text ?? '',
      )?.[1] as string;
      const NEW = 'un tout nouveau mot de passe';
      assert.deepEqual(
        await resetPassword(
          t.db,
          ANONYMOUS,
          { token: reset, password: NEW, confirmation: NEW },
          { config, now: at(26 * 60 + 1) },
        ),
        { ok: true },
      );
      const fresh = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: coord.email, password: NEW, client: A },
        { config, now: at(26 * 60 + 2) },
      );
      assert.ok(fresh.ok);
      const open = await verifySecondFactor(
        t.db,
        ANONYMOUS,
        { sessionToken: fresh.sessionToken, code: coord.code(at(26 * 60 + 2)) },
        { config, now: at(26 * 60 + 2) },
      );
      assert.equal(open.ok, true);
    } finally {
      await t.close();
    }
  });

  it('counts parallel guesses one after the other: never more than 10 wrong codes before the lock', async () => {
    const t = await createTestDb();
    try {
      const coord = await coordinatorWithTotp(t.db);
      const now = at(1);
      const session = await passwordStep(t.db, coord.email, now);
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          verifySecondFactor(
            t.db,
            ANONYMOUS,
            { sessionToken: session, code: wrongCode(coord.code(now), i) },
            { config, now },
          ),
        ),
      );
      assert.equal(results.filter((r) => !r.ok && r.reason === 'invalid_code').length, 9);
      assert.equal(results.filter((r) => !r.ok && r.reason === 'locked').length, 16);
      assert.equal((await listAudit(t.db, { action: 'sign_in.second_factor_failed' })).length, 10);
    } finally {
      await t.close();
    }
  });
});

/** People of one structure with a password each; returns their addresses. */
async function members(db: Db, count: number): Promise<string[]> {
  const structure = await db
    .insertInto('structure')
    .values({ pivot: 'pivot-limites', nom: 'Centre social des Limites' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `membre${i}@example.org`;
    const invited = await inviteToStructure(
      db,
      { kind: 'system' },
      { email, structureId: structure.id, role: i === 0 ? 'structure_admin' : 'staff' },
      { config, now: T0 },
    );
    const accepted = await acceptInvitation(
      db,
      ANONYMOUS,
      {
        token: tokenOf(invited.link),
        displayName: `Membre ${i}`,
        password: PASSWORD,
        confirmation: PASSWORD,
      },
      { config, now: T0 },
    );
    assert.ok(accepted.ok);
    emails.push(email);
  }
  return emails;
}

describe('password sign-in limits', () => {
  const small = { ...DEFAULT_LIMITS }; // the defaults: 10 per (address, account), 30 per address, 50 per account
  const signIn = (db: Db, email: string, password: string, client: string, now = at(1)) =>
    signInWithPassword(
      db,
      ANONYMOUS,
      { email, password, client },
      { config: { ...config, limits: small }, now },
    );

  it('locks one account from one address after 10 failures, not the same account from another address', async () => {
    const t = await createTestDb();
    try {
      const [sam] = (await members(t.db, 1)) as [string];
      for (let i = 0; i < 10; i++)
        assert.deepEqual(await signIn(t.db, sam, `faux ${i}`, A), {
          ok: false,
          reason: 'invalid_credentials',
        });
      assert.deepEqual(await signIn(t.db, sam, PASSWORD, A), {
        ok: false,
        reason: 'locked',
        scope: 'account_and_address',
      });
      assert.equal(
        (await signIn(t.db, sam, PASSWORD, B)).ok,
        true,
        'the owner, elsewhere, is not locked out',
      );
    } finally {
      await t.close();
    }
  });

  it('stops password spraying: 30 failures from one address over many accounts lock that address for an hour', async () => {
    const t = await createTestDb();
    try {
      const emails = await members(t.db, 2);
      for (let i = 0; i < 29; i++) await signIn(t.db, `inconnu${i}@example.org`, 'Printemps2026!', A);
      // A success from that address does not clear its count.
      assert.equal((await signIn(t.db, emails[0] as string, PASSWORD, A)).ok, true);
      assert.deepEqual(await signIn(t.db, 'encore@example.org', 'Printemps2026!', A), {
        ok: false,
        reason: 'invalid_credentials',
      });
      // 30 failures: the 31st attempt from that address is refused, whatever the account and password.
      assert.deepEqual(await signIn(t.db, emails[1] as string, PASSWORD, A), {
        ok: false,
        reason: 'locked',
        scope: 'address',
      });
      assert.equal((await signIn(t.db, emails[1] as string, PASSWORD, B)).ok, true);
      assert.equal((await signIn(t.db, emails[1] as string, PASSWORD, A, at(62))).ok, true, 'an hour later');
    } finally {
      await t.close();
    }
  });

  it('locks an account attacked from 50 addresses, while an e-mailed sign-in link still works', async () => {
    const t = await createTestDb();
    try {
      const [sam] = (await members(t.db, 1)) as [string];
      for (let i = 0; i < 50; i++) await signIn(t.db, sam, `faux ${i}`, `203.0.113.${i}`);
      assert.deepEqual(await signIn(t.db, sam, PASSWORD, B), {
        ok: false,
        reason: 'locked',
        scope: 'account',
      });
      await requestSignInLink(t.db, ANONYMOUS, { email: sam }, { now: at(2) });
      await runLinkJobs(t.db, at(2));
      const token = /\/connexion\/lien\/([\w-]{43})/.exec(
        (await listRecentMessages(t.db)).find((m) => m.kind === 'sign_in_link')?.text ?? '',
      )?.[1] as string;
      assert.equal((await signInWithLink(t.db, ANONYMOUS, { token }, { config, now: at(3) })).ok, true);
    } finally {
      await t.close();
    }
  });

  it('takes its limits from the configuration', async () => {
    const t = await createTestDb();
    try {
      const [sam] = (await members(t.db, 1)) as [string];
      const limits = { ...DEFAULT_LIMITS, signInFailuresPerAccountAndAddress: 3 };
      const opts = { config: { ...config, limits }, now: at(1) };
      for (let i = 0; i < 3; i++)
        await signInWithPassword(t.db, ANONYMOUS, { email: sam, password: 'x', client: A }, opts);
      const fourth = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: sam, password: PASSWORD, client: A },
        opts,
      );
      assert.deepEqual(fourth, { ok: false, reason: 'locked', scope: 'account_and_address' });
    } finally {
      await t.close();
    }
  });
});

describe('deleting one’s own account', () => {
  it('is refused to the last administrator of a structure and to the last coordinator, with the way out', async () => {
    const t = await createTestDb();
    try {
      const [admin, staff] = (await members(t.db, 2)) as [string, string];
      const actorOf = async (email: string) => {
        const r = await signInWithPassword(
          t.db,
          ANONYMOUS,
          { email, password: PASSWORD, client: A },
          { config, now: at(1) },
        );
        assert.ok(r.ok);
        const current = await resolveSession(
          t.db,
          ANONYMOUS,
          { token: r.sessionToken },
          { config, now: at(1) },
        );
        assert.ok(current);
        return current.actor;
      };
      const adminActor = await actorOf(admin);
      await assert.rejects(
        () => deleteMyAccount(t.db, adminActor),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'conflict');
          assert.match(error.message, /seule personne qui administre « Centre social des Limites »/);
          assert.match(error.message, /Nommez d'abord une autre personne administratrice/);
          return true;
        },
      );
      await deleteMyAccount(t.db, await actorOf(staff));
      const coord = await coordinatorWithTotp(t.db);
      const coordRow = await t.db
        .selectFrom('person')
        .select('id')
        .where('email', '=', coord.email)
        .executeTakeFirstOrThrow();
      const coordinator = {
        kind: 'person' as const,
        personId: coordRow.id,
        networkRole: 'coordinator' as const,
        memberships: [],
      };
      await assert.rejects(
        () => deleteMyAccount(t.db, coordinator),
        /seule personne qui coordonne le réseau/,
      );
      await coordinatorWithTotp(t.db, 'coord2@example.org');
      await deleteMyAccount(t.db, coordinator);
      assert.equal(
        (await t.db.selectFrom('person').select('id').where('id', '=', coordRow.id).execute()).length,
        0,
      );
    } finally {
      await t.close();
    }
  });
});
