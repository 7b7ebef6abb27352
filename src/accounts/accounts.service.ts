import { createHash, randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import { listAudit, recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail, listRecentMessages, type StoredMail } from '../mail/mail.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import {
  acceptTotpStep,
  clearRateLimit,
  consumeRecoveryCode,
  consumeToken,
  deleteDemoPersons,
  deleteOldRateLimits,
  deleteOldTokens,
  deletePerson,
  deleteSession,
  deleteSessionsOf,
  deleteStaleSessions,
  findPersonByEmail,
  findPersonById,
  findSession,
  findStructure,
  findUsableToken,
  firstStructures,
  hitRateLimit,
  insertPerson,
  insertSession,
  insertToken,
  listMembershipsOf,
  listPersons,
  type PersonRow,
  readOrCreateSecret,
  readRateLimit,
  revokeTokensOf,
  setSessionStage,
  structureNames,
  touchSession,
  updatePerson,
  upsertMembership,
} from './accounts.repository.ts';
import {
  checkPasswordPolicy,
  INVITATION_DAYS,
  isWellFormedToken,
  LOCKOUT_MINUTES,
  looksLikeTotpCode,
  MAX_FAILED_SIGN_INS,
  MAX_LINK_REQUESTS_PER_HOUR,
  MESSAGES,
  type NetworkRole,
  normalizeEmail,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  RESET_LINK_MINUTES,
  ROLE_LABELS,
  SIGN_IN_LINK_MINUTES,
  type StructureRole,
} from './accounts.ts';
import { type Actor, authorize } from './policy.ts';

/**
 * Accounts: people, their roles, sign-in (password or single-use link, then TOTP), sessions, links and
 * personal data. Every function that needs a decision calls `authorize` (policy.ts) first.
 */

/** What the accounts rules need from the configuration, and the clock (injected by tests). */
export interface AccountsOptions {
  config: { publicUrl: string; sessionIdleMinutes: number; sessionMaxHours: number };
  now?: Date;
  /** The password hasher (argon2id); tests count its calls. */
  hasher?: PasswordHasher;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id with the library's defaults (m = 19 MiB, t = 2, p = 1: OWASP's recommended minimum). */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => argon2Hash(password),
  verify: async (hash, password) => {
    try {
      return await argon2Verify(hash, password);
    } catch {
      return false;
    }
  },
};

export interface Person {
  id: string;
  email: string;
  displayName: string;
  networkRole: NetworkRole | null;
  totpEnabled: boolean;
  isDemo: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
  memberships: { structureId: string; structureName: string; role: StructureRole }[];
}

export type SessionStage = 'second_factor' | 'totp_enrolment' | 'full';

export type SignInResult =
  | { ok: true; sessionToken: string; stage: SessionStage; maxAgeSeconds: number; personId: string }
  | { ok: false; reason: 'invalid_credentials' | 'locked' | 'invalid_link' };

export interface CurrentSession {
  sessionId: string;
  stage: SessionStage;
  person: Person;
  actor: Actor;
}

const DEMO_PASSWORD = 'demonstration-maillage';
/** The demonstration coordinator's TOTP secret (base32), published in the README. */
export const DEMO_TOTP_SECRET = 'MAILLAGEDEMOTOTPSECRETAAAAAAAAAA';
const SESSION_TOUCH_MS = 60_000;

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const hasherOf = (opts: { hasher?: PasswordHasher }) => opts.hasher ?? argon2Hasher;
const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function linkTo(opts: AccountsOptions, path: string): string {
  return `${opts.config.publicUrl}${path}`;
}

function actorLabel(actor: Actor): string {
  return actor.kind === 'person' ? 'personne' : actor.kind === 'system' ? 'cli' : 'anonyme';
}

function actorId(actor: Actor): string | null {
  return actor.kind === 'person' ? actor.personId : null;
}

async function loadPerson(db: Db, row: PersonRow): Promise<Person> {
  const memberships = await listMembershipsOf(db, row.id);
  const names = await structureNames(
    db,
    memberships.map((m) => m.structure_id),
  );
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    networkRole: row.network_role,
    totpEnabled: row.totp_enabled,
    isDemo: row.is_demo,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
    memberships: memberships.map((m) => ({
      structureId: m.structure_id,
      structureName: names.get(m.structure_id) ?? '',
      role: m.role,
    })),
  };
}

function actorOf(person: Person): Actor {
  return {
    kind: 'person',
    personId: person.id,
    networkRole: person.networkRole,
    memberships: person.memberships.map((m) => ({ structureId: m.structureId, role: m.role })),
  };
}

// Sessions

async function openSession(
  db: Db,
  person: PersonRow,
  opts: AccountsOptions,
  how: string,
): Promise<SignInResult & { ok: true }> {
  const now = nowOf(opts);
  const stage: SessionStage = person.totp_enabled
    ? 'second_factor'
    : person.network_role === 'coordinator'
      ? 'totp_enrolment'
      : 'full';
  const token = newToken();
  await insertSession(db, {
    id: hashToken(token),
    person_id: person.id,
    stage,
    created_at: now,
    last_seen_at: now,
    expires_at: addMinutes(now, opts.config.sessionMaxHours * 60),
  });
  await updatePerson(db, person.id, { last_sign_in_at: now, inactivity_warned_at: null });
  await recordAudit(db, {
    actorId: person.id,
    actorLabel: 'personne',
    action: 'sign_in.first_factor',
    details: { how, stage },
    at: now,
  });
  return {
    ok: true,
    sessionToken: token,
    stage,
    maxAgeSeconds: opts.config.sessionMaxHours * 3600,
    personId: person.id,
  };
}

/**
 * Finds the session of a cookie's token. A session ends after `sessionIdleMinutes` without a request
 * and at the latest `sessionMaxHours` after sign-in; an ended session is deleted. Returns null when
 * there is none.
 */
export async function resolveSession(
  db: Db,
  token: string,
  opts: AccountsOptions,
): Promise<CurrentSession | null> {
  if (!isWellFormedToken(token)) return null;
  const now = nowOf(opts);
  const id = hashToken(token);
  const session = await findSession(db, id);
  if (!session) return null;
  const idleLimit = addMinutes(session.last_seen_at, opts.config.sessionIdleMinutes);
  if (session.expires_at <= now || idleLimit <= now) {
    await deleteSession(db, id);
    return null;
  }
  const row = await findPersonById(db, session.person_id);
  if (!row) return null;
  if (now.getTime() - session.last_seen_at.getTime() > SESSION_TOUCH_MS) await touchSession(db, id, now);
  const person = await loadPerson(db, row);
  return { sessionId: id, stage: session.stage, person, actor: actorOf(person) };
}

/** Ends this session (sign out). */
export async function signOut(db: Db, token: string): Promise<void> {
  if (isWellFormedToken(token)) await deleteSession(db, hashToken(token));
}

/** Ends every session of the person, on every device ("sign out everywhere"). */
export async function signOutEverywhere(db: Db, actor: Actor, opts: { now?: Date } = {}): Promise<number> {
  authorize(actor, 'signOutEverywhere');
  if (actor.kind !== 'person') return 0;
  const count = await deleteSessionsOf(db, actor.personId);
  await recordAudit(db, {
    actorId: actor.personId,
    actorLabel: 'personne',
    action: 'sign_out.everywhere',
    details: { sessions: count },
    at: nowOf(opts),
  });
  return count;
}

// Sign-in

const signInKey = (email: string) => `sign_in:${email}`;
let dummyHash: Promise<string> | null = null;

/**
 * Signs in with email and password. After MAX_FAILED_SIGN_INS (10) failures within LOCKOUT_MINUTES,
 * the account is locked for the rest of that window: further attempts are refused WITHOUT checking the
 * password (no oracle, no CPU spent). The counter lives in the database, so the limit holds across app
 * servers. Unknown addresses cost the same time as known ones and fail the same way.
 */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string },
  opts: AccountsOptions,
): Promise<SignInResult> {
  const now = nowOf(opts);
  const email = normalizeEmail(input.email);
  const key = signInKey(email);
  const windowStart = addMinutes(now, -LOCKOUT_MINUTES);
  if ((await readRateLimit(db, key, windowStart)) >= MAX_FAILED_SIGN_INS) {
    await recordAudit(db, {
      actorId: null,
      actorLabel: 'anonyme',
      action: 'sign_in.locked',
      details: { email },
      at: now,
    });
    return { ok: false, reason: 'locked' };
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
    const count = await hitRateLimit(db, key, now, windowStart);
    await recordAudit(db, {
      actorId: person?.id ?? null,
      actorLabel: 'anonyme',
      action: 'sign_in.failed',
      details: { email, failures: count },
      at: now,
    });
    return { ok: false, reason: count > MAX_FAILED_SIGN_INS ? 'locked' : 'invalid_credentials' };
  }
  await clearRateLimit(db, key);
  return openSession(db, person, opts, 'password');
}

async function rateLimitLinks(db: Db, kind: string, email: string, now: Date): Promise<boolean> {
  const count = await hitRateLimit(db, `${kind}:${email}`, now, addMinutes(now, -60));
  return count <= MAX_LINK_REQUESTS_PER_HOUR;
}

async function issueToken(
  db: Db,
  personId: string,
  purpose: 'invitation' | 'password_reset' | 'sign_in_link',
  expiresAt: Date,
  now: Date,
  grant?: { structureId: string; role: StructureRole },
): Promise<string> {
  if (purpose !== 'invitation') await revokeTokensOf(db, personId, purpose, now);
  const token = newToken();
  await insertToken(db, {
    token_hash: hashToken(token),
    purpose,
    person_id: personId,
    structure_id: grant?.structureId ?? null,
    role: grant?.role ?? null,
    created_at: now,
    expires_at: expiresAt,
  });
  return token;
}

/**
 * Sends a single-use sign-in link (valid 15 minutes) to an existing account. The answer is the same
 * whether the address has an account or not; at most 5 requests per address per hour.
 */
export async function requestSignInLink(
  db: Db,
  input: { email: string },
  opts: AccountsOptions,
): Promise<{ status: 'sent' | 'rate_limited' }> {
  return mailSingleUseLink(db, input.email, opts, {
    purpose: 'sign_in_link',
    minutes: SIGN_IN_LINK_MINUTES,
    path: (token) => `/connexion/lien/${token}`,
    subject: 'Votre lien de connexion à Maillage',
    intro: 'Pour vous connecter à Maillage, ouvrez ce lien :',
    validity: `Ce lien marche une seule fois, pendant ${SIGN_IN_LINK_MINUTES} minutes.`,
    ignore: "Si vous n'avez rien demandé, ignorez ce message : personne ne peut se connecter sans ce lien.",
  });
}

/**
 * The shared steps of the emailed single-use links (sign-in, password reset): rate limit per address,
 * then a token and a mail only when the address has an account — the answer is the same either way.
 */
async function mailSingleUseLink(
  db: Db,
  rawEmail: string,
  opts: AccountsOptions,
  link: {
    purpose: 'sign_in_link' | 'password_reset';
    minutes: number;
    path: (token: string) => string;
    subject: string;
    intro: string;
    validity: string;
    ignore: string;
  },
): Promise<{ status: 'sent' | 'rate_limited' }> {
  const now = nowOf(opts);
  const email = normalizeEmail(rawEmail);
  if (!(await rateLimitLinks(db, link.purpose, email, now))) return { status: 'rate_limited' };
  const person = await findPersonByEmail(db, email);
  if (person?.password_hash) {
    const token = await issueToken(db, person.id, link.purpose, addMinutes(now, link.minutes), now);
    await enqueueMail(
      db,
      {
        to: email,
        subject: link.subject,
        text: [
          'Bonjour,',
          '',
          link.intro,
          linkTo(opts, link.path(token)),
          '',
          link.validity,
          link.ignore,
        ].join('\n'),
      },
      now,
    );
  }
  return { status: 'sent' };
}

/** Signs in with a single-use link: it works once, before it expires; the second factor still applies. */
export async function signInWithLink(
  db: Db,
  input: { token: string },
  opts: AccountsOptions,
): Promise<SignInResult> {
  if (!isWellFormedToken(input.token)) return { ok: false, reason: 'invalid_link' };
  const now = nowOf(opts);
  const token = await consumeToken(db, hashToken(input.token), 'sign_in_link', now);
  const person = token ? await findPersonById(db, token.person_id) : undefined;
  if (!person) return { ok: false, reason: 'invalid_link' };
  return openSession(db, person, opts, 'email_link');
}

// Second factor

function totpFor(email: string, secret: string): TOTP {
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

/**
 * Completes a sign-in with the second factor: a TOTP code (each code works once) or one of the
 * recovery codes (each works once). Wrong codes count towards the same lockout as wrong passwords.
 */
export async function verifySecondFactor(
  db: Db,
  input: { sessionToken: string; code: string },
  opts: AccountsOptions,
): Promise<{ ok: true; recoveryCodesLeft: number } | { ok: false; reason: 'invalid_code' | 'locked' }> {
  const now = nowOf(opts);
  const current = await resolveSession(db, input.sessionToken, opts);
  if (current?.stage !== 'second_factor') return { ok: false, reason: 'invalid_code' };
  const person = await findPersonById(db, current.person.id);
  if (!person?.totp_secret) return { ok: false, reason: 'invalid_code' };
  const key = signInKey(person.email);
  const windowStart = addMinutes(now, -LOCKOUT_MINUTES);
  if ((await readRateLimit(db, key, windowStart)) >= MAX_FAILED_SIGN_INS)
    return { ok: false, reason: 'locked' };
  let ok = await checkTotp(db, person, person.totp_secret, input.code, now);
  let how = 'totp';
  if (!ok && !looksLikeTotpCode(input.code)) {
    ok = await consumeRecoveryCode(db, person.id, hashToken(normalizeRecoveryCode(input.code)));
    how = 'recovery_code';
  }
  if (!ok) {
    await hitRateLimit(db, key, now, windowStart);
    await recordAudit(db, {
      actorId: person.id,
      actorLabel: 'personne',
      action: 'sign_in.second_factor_failed',
      at: now,
    });
    return { ok: false, reason: 'invalid_code' };
  }
  await clearRateLimit(db, key);
  await setSessionStage(db, current.sessionId, 'full');
  await recordAudit(db, {
    actorId: person.id,
    actorLabel: 'personne',
    action: 'sign_in.completed',
    details: { how },
    at: now,
  });
  const fresh = await findPersonById(db, person.id);
  return { ok: true, recoveryCodesLeft: fresh?.recovery_code_hashes.length ?? 0 };
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
  if (input.sessionId) await setSessionStage(db, input.sessionId, 'full');
  await recordAudit(db, { actorId: person.id, actorLabel: 'personne', action: 'totp.enabled', at: now });
  return { ok: true, recoveryCodes: codes };
}

// Invitations and coordinators

async function findOrCreatePerson(
  db: Db,
  email: string,
  values: { networkRole?: NetworkRole; isDemo?: boolean; displayName?: string } = {},
): Promise<PersonRow> {
  const existing = await findPersonByEmail(db, email);
  if (existing) {
    if (values.networkRole && existing.network_role !== values.networkRole)
      await updatePerson(db, existing.id, { network_role: values.networkRole });
    return (await findPersonById(db, existing.id)) ?? existing;
  }
  return insertPerson(db, {
    email,
    // An existing account keeps its name: only a new one takes the name typed by someone else.
    display_name: values.displayName || (email.split('@')[0] ?? email),
    network_role: values.networkRole ?? null,
    is_demo: values.isDemo ?? false,
  });
}

/**
 * Creates a network coordinator (command line only) and returns a single-use absolute link, valid
 * 7 days, where they choose their password and then enrol their second factor (mandatory for
 * coordinators).
 */
export async function createCoordinator(
  db: Db,
  actor: Actor,
  input: { email: string },
  opts: AccountsOptions,
): Promise<{ personId: string; link: string }> {
  authorize(actor, 'createCoordinator');
  const now = nowOf(opts);
  const email = normalizeEmail(input.email);
  return db.transaction().execute(async (tx) => {
    const person = await findOrCreatePerson(tx, email, { networkRole: 'coordinator' });
    const token = await issueToken(
      tx,
      person.id,
      'invitation',
      addMinutes(now, INVITATION_DAYS * 24 * 60),
      now,
    );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'role.coordinator_granted',
      subjectType: 'person',
      subjectId: person.id,
      at: now,
    });
    return { personId: person.id, link: linkTo(opts, `/invitation/${token}`) };
  });
}

/**
 * Invites a person to a structure with a role (coordinators, and the structure's administrators). The
 * person receives a single-use link, valid 7 days; the membership exists once they accept.
 */
export async function inviteToStructure(
  db: Db,
  actor: Actor,
  input: { email: string; structureId: string; role: StructureRole; displayName?: string },
  opts: AccountsOptions,
): Promise<{ personId: string; link: string }> {
  authorize(actor, 'inviteToStructure', { structureId: input.structureId });
  const now = nowOf(opts);
  const email = normalizeEmail(input.email);
  const structure = await findStructure(db, input.structureId);
  if (!structure) throw new DomainError('not_found', MESSAGES.unknownStructure);
  return db.transaction().execute(async (tx) => {
    const person = await findOrCreatePerson(
      tx,
      email,
      input.displayName ? { displayName: input.displayName } : {},
    );
    const token = await issueToken(
      tx,
      person.id,
      'invitation',
      addMinutes(now, INVITATION_DAYS * 24 * 60),
      now,
      {
        structureId: structure.id,
        role: input.role,
      },
    );
    const link = linkTo(opts, `/invitation/${token}`);
    await enqueueMail(
      tx,
      {
        to: email,
        subject: `Invitation à rejoindre ${structure.nom} sur Maillage`,
        text: [
          'Bonjour,',
          '',
          `Vous êtes invité·e à rejoindre « ${structure.nom} » sur Maillage, comme ${ROLE_LABELS[input.role]}.`,
          'Pour accepter, ouvrez ce lien :',
          link,
          '',
          `Ce lien marche une seule fois, pendant ${INVITATION_DAYS} jours.`,
        ].join('\n'),
      },
      now,
    );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'membership.invited',
      subjectType: 'person',
      subjectId: person.id,
      details: { structureId: structure.id, role: input.role },
      at: now,
    });
    return { personId: person.id, link };
  });
}

/**
 * The account of an address, created without a password when the address is unknown (a join request
 * from someone without an account: they choose a password only once a structure accepts them). An
 * existing account is returned unchanged, its name included. Not a policy function: the caller's own
 * rule (e.g. `requestToJoinStructure`, anyone) has decided.
 */
export async function ensurePerson(
  db: Db,
  input: { email: string; displayName: string },
): Promise<{ id: string; email: string; displayName: string; hasPassword: boolean }> {
  const row = await findOrCreatePerson(db, normalizeEmail(input.email), { displayName: input.displayName });
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    hasPassword: row.password_hash !== null,
  };
}

/**
 * Counts one event under `key` in a fixed window shared by every app server (the `rate_limit` table,
 * as for sign-in and links) and says whether it is still within `max` events per window.
 */
export async function withinRateLimit(
  db: Db,
  key: string,
  limit: { max: number; windowMinutes: number; now?: Date },
): Promise<boolean> {
  const now = limit.now ?? new Date();
  return (await hitRateLimit(db, key, now, addMinutes(now, -limit.windowMinutes))) <= limit.max;
}

export interface InvitationView {
  email: string;
  structureName: string | null;
  role: StructureRole | null;
  networkRole: NetworkRole | null;
  /** False when the person already has a password (joining another structure). */
  needsPassword: boolean;
}

/** What an invitation link grants, for its page; null when the link is not (or no longer) valid. */
export async function describeInvitation(
  db: Db,
  token: string,
  opts: { now?: Date } = {},
): Promise<InvitationView | null> {
  if (!isWellFormedToken(token)) return null;
  const row = await findUsableToken(db, hashToken(token), 'invitation', nowOf(opts));
  const person = row ? await findPersonById(db, row.person_id) : undefined;
  if (!row || !person) return null;
  const structure = row.structure_id ? await findStructure(db, row.structure_id) : undefined;
  return {
    email: person.email,
    structureName: structure?.nom ?? null,
    role: row.role,
    networkRole: person.network_role,
    needsPassword: person.password_hash === null,
  };
}

export type FieldErrors = Partial<Record<'displayName' | 'password' | 'confirmation', string>>;

/**
 * Accepts an invitation: sets the name and password (a first account) and grants the membership. The
 * link works once; a refused password does not use it up. Signs the person in.
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; displayName: string; password: string; confirmation: string },
  opts: AccountsOptions,
): Promise<SignInResult | { ok: false; reason: 'invalid_input'; errors: FieldErrors }> {
  const now = nowOf(opts);
  const view = await describeInvitation(db, input.token, opts);
  if (!view) return { ok: false, reason: 'invalid_link' };
  const errors: FieldErrors = {};
  const displayName = input.displayName
    .normalize('NFC')
    .replace(/\p{Cc}|\p{Cf}/gu, '')
    .trim();
  if (view.needsPassword) {
    if (displayName === '') errors.displayName = MESSAGES.displayNameRequired;
    else if (displayName.length > 120) errors.displayName = 'Le nom doit avoir au plus 120 caractères.';
    const policy = checkPasswordPolicy(input.password, view.email);
    if (policy) errors.password = policy;
    else if (input.password !== input.confirmation) errors.confirmation = MESSAGES.passwordsDiffer;
  }
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid_input', errors };
  const passwordHash = view.needsPassword ? await hasherOf(opts).hash(input.password) : null;
  return db.transaction().execute(async (tx) => {
    const token = await consumeToken(tx, hashToken(input.token), 'invitation', now);
    const person = token ? await findPersonById(tx, token.person_id) : undefined;
    if (!token || !person) return { ok: false, reason: 'invalid_link' } as const;
    if (passwordHash)
      await updatePerson(tx, person.id, { password_hash: passwordHash, display_name: displayName });
    if (token.structure_id && token.role) {
      await upsertMembership(tx, {
        person_id: person.id,
        structure_id: token.structure_id,
        role: token.role,
      });
      await recordAudit(tx, {
        actorId: person.id,
        actorLabel: 'personne',
        action: 'membership.accepted',
        subjectType: 'structure',
        subjectId: token.structure_id,
        details: { role: token.role },
        at: now,
      });
    }
    const fresh = (await findPersonById(tx, person.id)) ?? person;
    return openSession(tx, fresh, opts, 'invitation');
  });
}

// Password reset

/**
 * Sends a single-use password-reset link valid 1 hour. Same answer whether the address has an account
 * or not; at most 5 requests per address per hour.
 */
export async function requestPasswordReset(
  db: Db,
  input: { email: string },
  opts: AccountsOptions,
): Promise<{ status: 'sent' | 'rate_limited' }> {
  return mailSingleUseLink(db, input.email, opts, {
    purpose: 'password_reset',
    minutes: RESET_LINK_MINUTES,
    path: (token) => `/mot-de-passe/${token}`,
    subject: 'Changer votre mot de passe Maillage',
    intro: 'Pour choisir un nouveau mot de passe, ouvrez ce lien :',
    validity: 'Ce lien marche une seule fois, pendant 1 heure.',
    ignore: "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
  });
}

/** Whether a reset link is still usable (for its page). */
export async function isResetLinkValid(db: Db, token: string, opts: { now?: Date } = {}): Promise<boolean> {
  if (!isWellFormedToken(token)) return false;
  return (await findUsableToken(db, hashToken(token), 'password_reset', nowOf(opts))) !== undefined;
}

/**
 * Sets a new password from a reset link (once, within 1 hour). Every session of the person ends and
 * the lockout counter is cleared.
 */
export async function resetPassword(
  db: Db,
  input: { token: string; password: string; confirmation: string },
  opts: AccountsOptions,
): Promise<
  | { ok: true }
  | { ok: false; reason: 'invalid_link' }
  | { ok: false; reason: 'invalid_input'; errors: FieldErrors }
> {
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
    await updatePerson(tx, person.id, { password_hash: passwordHash });
    await deleteSessionsOf(tx, person.id);
    await clearRateLimit(tx, signInKey(person.email));
    await recordAudit(tx, { actorId: person.id, actorLabel: 'personne', action: 'password.reset', at: now });
    return { ok: true } as const;
  });
}

// Personal data

/** Everything Maillage keeps about the person (RGPD right of access), as JSON-ready data. */
export async function exportMyData(db: Db, actor: Actor, opts: { now?: Date } = {}): Promise<unknown> {
  authorize(actor, 'exportMyData');
  if (actor.kind !== 'person') throw new DomainError('forbidden', MESSAGES.forbidden);
  const row = await findPersonById(db, actor.personId);
  if (!row) throw new DomainError('not_found', "Ce compte n'existe plus.");
  const person = await loadPerson(db, row);
  const audit = await listAudit(db, { actorId: person.id, limit: 1000 });
  await recordAudit(db, {
    actorId: person.id,
    actorLabel: 'personne',
    action: 'personal_data.exported',
    subjectType: 'person',
    subjectId: person.id,
    at: nowOf(opts),
  });
  return {
    exported_at: nowOf(opts).toISOString(),
    account: {
      email: person.email,
      display_name: person.displayName,
      network_role: person.networkRole,
      two_factor_enabled: person.totpEnabled,
      created_at: person.createdAt.toISOString(),
      last_sign_in_at: person.lastSignInAt?.toISOString() ?? null,
    },
    memberships: person.memberships.map((m) => ({ structure: m.structureName, role: m.role })),
    activity: audit.map((e) => ({ at: e.at.toISOString(), action: e.action, details: e.details })),
  };
}

/**
 * Deletes the person's account, memberships, sessions and links (RGPD right to erasure). Audit entries
 * stay (append-only), keyed by an id that no longer leads to anyone.
 */
export async function deleteMyAccount(db: Db, actor: Actor, opts: { now?: Date } = {}): Promise<void> {
  authorize(actor, 'deleteMyAccount');
  if (actor.kind !== 'person') throw new DomainError('forbidden', MESSAGES.forbidden);
  await db.transaction().execute(async (tx) => {
    await deletePerson(tx, actor.personId);
    await recordAudit(tx, {
      actorId: actor.personId,
      actorLabel: 'personne',
      action: 'account.deleted',
      subjectType: 'person',
      subjectId: actor.personId,
      at: nowOf(opts),
    });
  });
}

// Lists and demonstration

/** Every account with its roles (coordinators and the command line). */
export async function listAccounts(db: Db, actor: Actor): Promise<Person[]> {
  authorize(actor, 'listAccounts');
  const rows = await listPersons(db);
  return Promise.all(rows.map((r) => loadPerson(db, r)));
}

/** The outbox, readable by coordinators when no SMTP server is configured (demonstration). */
export async function listDemoOutbox(
  db: Db,
  actor: Actor,
  input: { smtpConfigured: boolean },
): Promise<StoredMail[]> {
  authorize(actor, 'listDemoOutbox');
  if (input.smtpConfigured)
    throw new DomainError('not_found', 'Les messages partent par SMTP : cette page ne sert pas ici.');
  return listRecentMessages(db, 50);
}

/** The current TOTP code of a demonstration account (command line, demonstration accounts only). */
export async function demoTotpCode(
  db: Db,
  actor: Actor,
  input: { email: string },
  opts: { now?: Date } = {},
): Promise<string> {
  authorize(actor, 'demoTotpCode');
  const person = await findPersonByEmail(db, normalizeEmail(input.email));
  if (!person?.is_demo || !person.totp_secret)
    throw new DomainError(
      'forbidden',
      'Cette commande ne donne les codes que des comptes de démonstration avec double authentification.',
    );
  return totpFor(person.email, person.totp_secret).generate({ timestamp: nowOf(opts).getTime() });
}

export const DEMO_ACCOUNTS = [
  { email: 'coordination.demo@example.org', name: 'Camille (coordination)', networkRole: 'coordinator' },
  { email: 'financeur.demo@example.org', name: 'Dominique (financeur)', networkRole: 'funder' },
  { email: 'admin.demo@example.org', name: 'Alex (administration)', structure: 0, role: 'structure_admin' },
  { email: 'mediation.demo@example.org', name: 'Sam (médiation)', structure: 0, role: 'staff' },
  { email: 'autre-structure.demo@example.org', name: 'Lou (autre structure)', structure: 1, role: 'staff' },
] as const;

/**
 * Creates the demonstration accounts (one per role), only with the demonstration data on the embedded
 * database. Same password for all; the coordinator's TOTP secret is DEMO_TOTP_SECRET.
 */
export async function seedDemoAccounts(db: Db): Promise<number> {
  const structures = await firstStructures(db, 2);
  const passwordHash = await argon2Hasher.hash(DEMO_PASSWORD);
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    if (await findPersonByEmail(db, account.email)) continue;
    const coordinator = 'networkRole' in account && account.networkRole === 'coordinator';
    const person = await insertPerson(db, {
      email: account.email,
      display_name: account.name,
      password_hash: passwordHash,
      network_role: 'networkRole' in account ? account.networkRole : null,
      totp_secret: coordinator ? DEMO_TOTP_SECRET : null,
      totp_enabled: coordinator,
      is_demo: true,
    });
    const structure = 'structure' in account ? structures[account.structure] : undefined;
    if (structure && 'role' in account)
      await upsertMembership(db, { person_id: person.id, structure_id: structure.id, role: account.role });
    created++;
  }
  return created;
}

/** Deletes the demonstration accounts (with their sessions, memberships and links). */
export async function removeDemoAccounts(db: Db): Promise<number> {
  return deleteDemoPersons(db);
}

/** Deletes ended sessions, links expired for a week and old rate-limit counters (job). */
export async function purgeExpiredAccountsData(
  db: Db,
  opts: AccountsOptions,
): Promise<{ sessions: number; tokens: number; rateLimits: number }> {
  const now = nowOf(opts);
  return {
    sessions: await deleteStaleSessions(db, now, addMinutes(now, -opts.config.sessionIdleMinutes)),
    tokens: await deleteOldTokens(db, addMinutes(now, -7 * 24 * 60)),
    rateLimits: await deleteOldRateLimits(db, addMinutes(now, -24 * 60)),
  };
}

/** The installation's secret of that name (shared by every app server), created on first use. */
export async function installationSecret(db: Db, name: string): Promise<Buffer> {
  return Buffer.from(await readOrCreateSecret(db, name, randomBytes(32).toString('hex')), 'hex');
}

/**
 * A person's address, to tell them about a decision on something they asked for (null when the account
 * no longer exists). Not a policy function: the caller's own rule has decided.
 */
export async function personAddress(db: Db, personId: string): Promise<string | null> {
  return (await findPersonById(db, personId))?.email ?? null;
}
