import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { emailKey } from '../shared/email.ts';
import {
  acceptTotpStep,
  consumeRecoveryCode,
  findPersonByEmail,
  findPersonById,
  findSession,
  lockPerson,
  type PersonRow,
  setSessionStage,
  updatePerson,
} from './accounts.repository.ts';
import {
  looksLikeTotpCode,
  MESSAGES,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  SECOND_FACTOR_BLOCK_AFTER_LOCKS,
  SECOND_FACTOR_LOCK_MINUTES,
  SECOND_FACTOR_MAX_FAILURES,
} from './accounts.ts';
import { type Actor, authorize } from './policy.ts';
import {
  type AccountsOptions,
  addMinutes,
  hashToken,
  linkTo,
  nowOf,
  resolveSession,
} from './sessions.service.ts';

/**
 * The second factor: TOTP codes from an app (FreeOTP, Aegis…) and single-use recovery codes, their
 * enrolment, and their own guard. Wrong codes — TOTP and recovery codes together — are counted per
 * account, in the database (so across app servers), and only a correct code clears the count: a correct
 * password or a sign-in link never does, since whoever knows the password is the one guessing. After 10
 * wrong codes the second step is locked 15 minutes (the right code is refused too) and the holder is
 * mailed at the first lock; after 3 locks in 24 hours it stays blocked until the holder resets the
 * password by an e-mailed link.
 */

export function totpFor(email: string, secret: string): TOTP {
  return new TOTP({
    issuer: 'Maillage',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/** Checks a TOTP code (±30 s), refusing a code already used. */
async function checkTotp(
  db: Db,
  person: PersonRow,
  secret: string,
  code: string,
  now: Date,
): Promise<boolean> {
  const cleaned = code.replace(/\s/g, '');
  if (!looksLikeTotpCode(cleaned)) return false;
  const delta = totpFor(person.email, secret).validate({
    token: cleaned,
    timestamp: now.getTime(),
    window: 1,
  });
  if (delta === null) return false;
  return acceptTotpStep(db, person.id, Math.floor(now.getTime() / 30_000) + delta);
}

export type SecondFactorResult =
  | { ok: true; recoveryCodesLeft: number }
  | { ok: false; reason: 'invalid_code' }
  /** Locked for a while: `until` says when it opens again. */
  | { ok: false; reason: 'locked'; until: Date }
  /** Blocked until the password is reset by an e-mailed link. */
  | { ok: false; reason: 'blocked' };

/** What a wrong code does to the guard: the new count, and a lock (and a block) when it is reached. */
function afterFailure(person: PersonRow, now: Date) {
  const failures = person.second_factor_failures + 1;
  if (failures < SECOND_FACTOR_MAX_FAILURES) return { failures, lock: null };
  const dayAgo = addMinutes(now, -24 * 60);
  const locks = [...person.second_factor_locks.filter((at) => at > dayAgo), now];
  return {
    failures: 0,
    lock: {
      until: addMinutes(now, SECOND_FACTOR_LOCK_MINUTES),
      locks,
      blocked: locks.length >= SECOND_FACTOR_BLOCK_AFTER_LOCKS,
    },
  };
}

function lockMail(to: string, blocked: boolean, opts: AccountsOptions) {
  const lines = blocked
    ? [
        'Bonjour,',
        '',
        'Quelqu’un connaît votre mot de passe Maillage et essaie de deviner votre code de double authentification.',
        'Pour vous protéger, la connexion à votre compte est bloquée.',
        '',
        'Pour la débloquer, changez votre mot de passe avec le lien « Mot de passe oublié » :',
        linkTo(opts, '/mot-de-passe-oublie'),
        '',
        'Si vous avez besoin d’aide, appelez la coordination du réseau.',
      ]
    : [
        'Bonjour,',
        '',
        'Quelqu’un connaît votre mot de passe Maillage : il a saisi votre mot de passe, puis 10 codes de double authentification faux.',
        `Pour vous protéger, la connexion est bloquée pendant ${SECOND_FACTOR_LOCK_MINUTES} minutes.`,
        '',
        'Si ce n’était pas vous, changez votre mot de passe dès maintenant avec le lien « Mot de passe oublié » :',
        linkTo(opts, '/mot-de-passe-oublie'),
        '',
        'Si c’était vous, attendez 15 minutes, puis saisissez le code affiché par votre application.',
      ];
  return {
    to,
    kind: blocked ? ('second_factor_blocked' as const) : ('second_factor_locked' as const),
    subject: blocked
      ? 'Connexion bloquée : changez votre mot de passe Maillage'
      : 'Quelqu’un connaît votre mot de passe Maillage',
    text: lines.join('\n'),
  };
}

/**
 * Completes a sign-in with the second factor: a TOTP code (each code works once) or one of the recovery
 * codes (each works once), under the guard described above. The person's row is locked for the check,
 * so parallel guesses are counted one after the other.
 */
export async function verifySecondFactor(
  db: Db,
  actor: Actor,
  input: { sessionToken: string; code: string },
  opts: AccountsOptions,
): Promise<SecondFactorResult> {
  authorize(actor, 'verifySecondFactor');
  const now = nowOf(opts);
  const current = await resolveSession(db, actor, { token: input.sessionToken }, opts);
  if (current?.stage !== 'second_factor') return { ok: false, reason: 'invalid_code' };
  return db.transaction().execute(async (tx): Promise<SecondFactorResult> => {
    const person = await lockPerson(tx, current.person.id);
    if (!person?.totp_secret) return { ok: false, reason: 'invalid_code' };
    if (person.second_factor_blocked_at) return { ok: false, reason: 'blocked' };
    if (person.second_factor_locked_until && person.second_factor_locked_until > now)
      return { ok: false, reason: 'locked', until: person.second_factor_locked_until };
    let ok = await checkTotp(tx, person, person.totp_secret, input.code, now);
    let how = 'totp';
    if (!ok && !looksLikeTotpCode(input.code)) {
      ok = await consumeRecoveryCode(tx, person.id, hashToken(normalizeRecoveryCode(input.code)));
      how = 'recovery_code';
    }
    if (!ok) {
      const next = afterFailure(person, now);
      await updatePerson(tx, person.id, {
        second_factor_failures: next.failures,
        ...(next.lock
          ? {
              second_factor_locked_until: next.lock.until,
              second_factor_locks: next.lock.locks,
              second_factor_blocked_at: next.lock.blocked ? now : null,
            }
          : {}),
      });
      await recordAudit(tx, {
        actorId: person.id,
        actorLabel: 'personne',
        action: 'sign_in.second_factor_failed',
        details: { how },
        at: now,
      });
      if (!next.lock) return { ok: false, reason: 'invalid_code' };
      await recordAudit(tx, {
        actorId: person.id,
        actorLabel: 'personne',
        action: next.lock.blocked ? 'sign_in.second_factor_blocked' : 'sign_in.second_factor_locked',
        details: { locks_in_24h: next.lock.locks.length },
        at: now,
      });
      // The holder hears of it at the first lock of a day, and when the account is blocked.
      if (next.lock.blocked || next.lock.locks.length === 1)
        await enqueueMail(tx, lockMail(person.email, next.lock.blocked, opts), now);
      return next.lock.blocked
        ? { ok: false, reason: 'blocked' }
        : { ok: false, reason: 'locked', until: next.lock.until };
    }
    await updatePerson(tx, person.id, { second_factor_failures: 0 });
    await setSessionStage(tx, current.sessionId, 'full');
    await recordAudit(tx, {
      actorId: person.id,
      actorLabel: 'personne',
      action: 'sign_in.completed',
      details: { how, secondFactor: true },
      at: now,
    });
    const fresh = await findPersonById(tx, person.id);
    return { ok: true, recoveryCodesLeft: fresh?.recovery_code_hashes.length ?? 0 };
  });
}

/**
 * Starts TOTP enrolment: a new secret, stored but not active until a code from the app confirms it.
 * Returns the secret (to type) and the otpauth:// address (for a QR code).
 */
export async function startTotpEnrolment(db: Db, actor: Actor): Promise<{ secret: string; uri: string }> {
  authorize(actor, 'startTotpEnrolment');
  if (actor.kind !== 'person') throw new DomainError('forbidden', MESSAGES.forbidden);
  const person = await findPersonById(db, actor.personId);
  if (!person) throw new DomainError('not_found', "Ce compte n'existe plus.");
  if (person.totp_enabled)
    throw new DomainError('conflict', 'La double authentification est déjà activée sur ce compte.');
  const secret = person.totp_secret ?? new Secret({ size: 20 }).base32;
  if (!person.totp_secret) await updatePerson(db, person.id, { totp_secret: secret });
  return { secret, uri: totpFor(person.email, secret).toString() };
}

/**
 * Confirms TOTP enrolment with a code from the app, activates the second factor and returns 10 recovery
 * codes, shown once (only their hashes are kept). The current session becomes complete.
 */
export async function confirmTotpEnrolment(
  db: Db,
  actor: Actor,
  input: { code: string; sessionId?: string },
  opts: { now?: Date } = {},
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  authorize(actor, 'confirmTotpEnrolment');
  if (actor.kind !== 'person') throw new DomainError('forbidden', MESSAGES.forbidden);
  const now = nowOf(opts);
  const person = await findPersonById(db, actor.personId);
  if (!person?.totp_secret || person.totp_enabled) return { ok: false };
  if (!(await checkTotp(db, person, person.totp_secret, input.code, now))) return { ok: false };
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(8).toString('hex').slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await updatePerson(db, person.id, {
    totp_enabled: true,
    recovery_code_hashes: codes.map((c) => hashToken(normalizeRecoveryCode(c))),
  });
  const session = input.sessionId ? await findSession(db, input.sessionId) : undefined;
  if (input.sessionId) await setSessionStage(db, input.sessionId, 'full');
  await recordAudit(db, { actorId: person.id, actorLabel: 'personne', action: 'totp.enabled', at: now });
  // A session that waited for this enrolment is now complete: a sign-in with the second factor.
  if (session?.stage === 'totp_enrolment')
    await recordAudit(db, {
      actorId: person.id,
      actorLabel: 'personne',
      action: 'sign_in.completed',
      details: { how: 'totp_enrolment', secondFactor: true },
      at: now,
    });
  return { ok: true, recoveryCodes: codes };
}

/** The current TOTP code of a demonstration account (command line, demonstration accounts only). */
export async function demoTotpCode(
  db: Db,
  actor: Actor,
  input: { email: string },
  opts: { now?: Date } = {},
): Promise<string> {
  authorize(actor, 'demoTotpCode');
  const person = await findPersonByEmail(db, emailKey(input.email));
  if (!person?.is_demo || !person.totp_secret)
    throw new DomainError(
      'forbidden',
      'Cette commande ne donne les codes que des comptes de démonstration avec double authentification.',
    );
  return totpFor(person.email, person.totp_secret).generate({ timestamp: nowOf(opts).getTime() });
}
