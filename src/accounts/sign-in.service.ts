import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueJob } from '../jobs/job-queue.service.ts';
import { countEvent, readCounts, resetCount, withinLimit } from '../limits/limits.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { emailKey } from '../shared/email.ts';
import {
  consumeToken,
  deleteSessionsOf,
  findPersonByEmail,
  findPersonById,
  findUsableToken,
  updatePerson,
} from './accounts.repository.ts';
import {
  checkPasswordPolicy,
  isWellFormedToken,
  LOCKOUT_MINUTES,
  MAX_LINK_REQUESTS_PER_HOUR,
  MESSAGES,
  RESET_LINK_MINUTES,
  SIGN_IN_LINK_MINUTES,
} from './accounts.ts';
import { type Actor, authorize } from './policy.ts';
import {
  type AccountsOptions,
  addMinutes,
  argon2Hasher,
  hasherOf,
  hashToken,
  issueToken,
  type LockScope,
  linkTo,
  newToken,
  nowOf,
  openSession,
  type SignInResult,
} from './sessions.service.ts';

/**
 * Signing in: with a password (abuse limits per account and address, per address, per account), with a
 * single-use link received by e-mail, and the password reset. The second factor follows in
 * second-factor.service.ts.
 */

export type FieldErrors = Partial<Record<'displayName' | 'password' | 'confirmation', string>>;

/** The three counters of failed password sign-ins, and their windows. */
function signInCounters(email: string, client: string, limits: AccountsOptions['config']['limits']) {
  return [
    {
      scope: 'account_and_address' as LockScope,
      key: `sign_in:pair:${client}|${email}`,
      minutes: LOCKOUT_MINUTES,
      max: limits.signInFailuresPerAccountAndAddress,
    },
    {
      scope: 'address' as LockScope,
      key: `sign_in:address:${client}`,
      minutes: 60,
      max: limits.signInFailuresPerAddressPerHour,
    },
    {
      scope: 'account' as LockScope,
      key: `sign_in:account:${email}`,
      minutes: LOCKOUT_MINUTES,
      max: limits.signInFailuresPerAccount,
    },
  ];
}

let dummyHash: Promise<string> | null = null;

/**
 * Signs in with email and password. Failures are counted for this account from this address (locked
 * after 10 within 15 minutes), for this address over all accounts (30 within an hour: password
 * spraying) and for this account from all addresses (50 within 15 minutes). Once a limit is reached,
 * attempts are refused WITHOUT checking the password (no oracle, no CPU spent); a correct password
 * clears only its own (account, address) count, so nobody can reset a lock by succeeding elsewhere. The
 * counters live in the database: the limits hold across app servers. Unknown addresses cost the same
 * time as known ones and fail the same way.
 */
export async function signInWithPassword(
  db: Db,
  actor: Actor,
  input: { email: string; password: string; client: string },
  opts: AccountsOptions,
): Promise<SignInResult> {
  authorize(actor, 'signInWithPassword');
  const now = nowOf(opts);
  const email = emailKey(input.email);
  const counters = signInCounters(email, input.client, opts.config.limits);
  const counts = await readCounts(db, counters, now);
  const full = counters.find((c, i) => (counts[i] ?? 0) >= c.max);
  if (full) {
    await recordAudit(db, {
      actorId: null,
      actorLabel: 'anonyme',
      action: 'sign_in.locked',
      details: { email, scope: full.scope },
      at: now,
    });
    return { ok: false, reason: 'locked', scope: full.scope };
  }
  const hasher = hasherOf(opts);
  const person = await findPersonByEmail(db, email);
  let valid = false;
  if (person?.password_hash) valid = await hasher.verify(person.password_hash, input.password);
  else {
    dummyHash ??= argon2Hasher.hash(newToken());
    await argon2Hasher.verify(await dummyHash, input.password);
  }
  if (!valid || !person) {
    let reached: LockScope | null = null;
    const failures: number[] = [];
    for (const counter of counters) {
      const count = await countEvent(db, counter.key, { minutes: counter.minutes, now });
      failures.push(count);
      if (count > counter.max) reached ??= counter.scope;
    }
    await recordAudit(db, {
      actorId: person?.id ?? null,
      actorLabel: 'anonyme',
      action: 'sign_in.failed',
      details: { email, failures: failures[0] },
      at: now,
    });
    return reached
      ? { ok: false, reason: 'locked', scope: reached }
      : { ok: false, reason: 'invalid_credentials' };
  }
  await resetCount(db, counters[0]?.key ?? '');
  return openSession(db, person, opts, 'password');
}

/** The queued job that mails a single-use link when, and only when, the address has an account. */
export const SINGLE_USE_LINK_JOB = 'accounts.single-use-link';

type LinkPurpose = 'sign_in_link' | 'password_reset';

const LINKS: Record<
  LinkPurpose,
  {
    minutes: number;
    path: (token: string) => string;
    subject: string;
    intro: string;
    validity: string;
    ignore: string;
  }
> = {
  sign_in_link: {
    minutes: SIGN_IN_LINK_MINUTES,
    path: (token) => `/connexion/lien/${token}`,
    subject: 'Votre lien de connexion à Maillage',
    intro: 'Pour vous connecter à Maillage, ouvrez ce lien :',
    validity: `Ce lien marche une seule fois, pendant ${SIGN_IN_LINK_MINUTES} minutes.`,
    ignore: "Si vous n'avez rien demandé, ignorez ce message : personne ne peut se connecter sans ce lien.",
  },
  password_reset: {
    minutes: RESET_LINK_MINUTES,
    path: (token) => `/mot-de-passe/${token}`,
    subject: 'Changer votre mot de passe Maillage',
    intro: 'Pour choisir un nouveau mot de passe, ouvrez ce lien :',
    validity: 'Ce lien marche une seule fois, pendant 1 heure.',
    ignore: "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
  },
};

/**
 * The request of a single-use link (sign-in or password reset): at most 5 per address per hour, then
 * one queued job — the same work and the same answer whether the address has an account or not, so
 * neither the answer nor its timing tells who has an account.
 */
async function requestSingleUseLink(
  db: Db,
  purpose: LinkPurpose,
  rawEmail: string,
  opts: { now?: Date },
): Promise<{ status: 'sent' | 'rate_limited' }> {
  const now = nowOf(opts);
  const email = emailKey(rawEmail);
  if (!(await withinLimit(db, `${purpose}:${email}`, { minutes: 60, now, max: MAX_LINK_REQUESTS_PER_HOUR })))
    return { status: 'rate_limited' };
  await enqueueJob(db, SINGLE_USE_LINK_JOB, { purpose, email }, { now });
  return { status: 'sent' };
}

/**
 * Sends a single-use sign-in link (valid 15 minutes) to an existing account, through the queue (see
 * `requestSingleUseLink`). At most 5 requests per address per hour.
 */
export async function requestSignInLink(
  db: Db,
  actor: Actor,
  input: { email: string },
  opts: { now?: Date } = {},
): Promise<{ status: 'sent' | 'rate_limited' }> {
  authorize(actor, 'requestSignInLink');
  return requestSingleUseLink(db, 'sign_in_link', input.email, opts);
}

/**
 * Sends a single-use password-reset link (valid 1 hour) to an existing account, through the queue (see
 * `requestSingleUseLink`). At most 5 requests per address per hour.
 */
export async function requestPasswordReset(
  db: Db,
  actor: Actor,
  input: { email: string },
  opts: { now?: Date } = {},
): Promise<{ status: 'sent' | 'rate_limited' }> {
  authorize(actor, 'requestPasswordReset');
  return requestSingleUseLink(db, 'password_reset', input.email, opts);
}

/**
 * The queued job behind the link requests: when the address has an account with a password, a new token
 * (the previous one of the same purpose revoked) and a mail; otherwise nothing.
 */
export async function sendSingleUseLink(db: Db, payload: Record<string, unknown>, opts: AccountsOptions) {
  const purpose = payload.purpose;
  const email = payload.email;
  if ((purpose !== 'sign_in_link' && purpose !== 'password_reset') || typeof email !== 'string')
    throw new Error(`malformed ${SINGLE_USE_LINK_JOB} payload`);
  const now = nowOf(opts);
  const link = LINKS[purpose];
  const person = await findPersonByEmail(db, email);
  if (!person?.password_hash) return;
  const token = await issueToken(db, person.id, purpose, addMinutes(now, link.minutes), now);
  await enqueueMail(
    db,
    {
      to: email,
      kind: purpose,
      subject: link.subject,
      text: ['Bonjour,', '', link.intro, linkTo(opts, link.path(token)), '', link.validity, link.ignore].join(
        '\n',
      ),
    },
    now,
  );
}

/** Signs in with a single-use link: it works once, before it expires; the second factor still applies. */
export async function signInWithLink(
  db: Db,
  actor: Actor,
  input: { token: string },
  opts: AccountsOptions,
): Promise<SignInResult> {
  authorize(actor, 'signInWithLink');
  if (!isWellFormedToken(input.token)) return { ok: false, reason: 'invalid_link' };
  const now = nowOf(opts);
  const token = await consumeToken(db, hashToken(input.token), 'sign_in_link', now);
  const person = token ? await findPersonById(db, token.person_id) : undefined;
  if (!person) return { ok: false, reason: 'invalid_link' };
  return openSession(db, person, opts, 'email_link');
}

/** Whether a reset link is still usable (for its page). */
export async function isResetLinkValid(
  db: Db,
  actor: Actor,
  input: { token: string },
  opts: { now?: Date } = {},
): Promise<boolean> {
  authorize(actor, 'isResetLinkValid');
  if (!isWellFormedToken(input.token)) return false;
  return (await findUsableToken(db, hashToken(input.token), 'password_reset', nowOf(opts))) !== undefined;
}

/**
 * Sets a new password from a reset link (once, within 1 hour). Every session of the person ends, and a
 * second factor blocked after repeated locks is unblocked: whoever holds the mailbox is the holder.
 */
export async function resetPassword(
  db: Db,
  actor: Actor,
  input: { token: string; password: string; confirmation: string },
  opts: AccountsOptions,
): Promise<
  | { ok: true }
  | { ok: false; reason: 'invalid_link' }
  | { ok: false; reason: 'invalid_input'; errors: FieldErrors }
> {
  authorize(actor, 'resetPassword');
  const now = nowOf(opts);
  if (!isWellFormedToken(input.token)) return { ok: false, reason: 'invalid_link' };
  const usable = await findUsableToken(db, hashToken(input.token), 'password_reset', now);
  const person = usable ? await findPersonById(db, usable.person_id) : undefined;
  if (!usable || !person) return { ok: false, reason: 'invalid_link' };
  const policy = checkPasswordPolicy(input.password, person.email);
  if (policy) return { ok: false, reason: 'invalid_input', errors: { password: policy } };
  if (input.password !== input.confirmation)
    return { ok: false, reason: 'invalid_input', errors: { confirmation: MESSAGES.passwordsDiffer } };
  const passwordHash = await hasherOf(opts).hash(input.password);
  return db.transaction().execute(async (tx) => {
    const token = await consumeToken(tx, hashToken(input.token), 'password_reset', now);
    if (!token) return { ok: false, reason: 'invalid_link' } as const;
    await updatePerson(tx, person.id, {
      password_hash: passwordHash,
      second_factor_failures: 0,
      second_factor_locked_until: null,
      second_factor_locks: [],
      second_factor_blocked_at: null,
    });
    await deleteSessionsOf(tx, person.id);
    await recordAudit(tx, { actorId: person.id, actorLabel: 'personne', action: 'password.reset', at: now });
    return { ok: true } as const;
  });
}
