import { createHash, randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { recordAudit } from '../audit/audit.service.ts';
import type { Limits } from '../config.ts';
import type { Db } from '../db/database.ts';
import {
  deleteSession,
  deleteSessionsOf,
  findSessionWithPerson,
  insertSession,
  insertToken,
  listFunderIdsOf,
  listMembershipsOf,
  type PersonRow,
  revokeTokensOf,
  structureNames,
  touchSession,
  updatePerson,
} from './accounts.repository.ts';
import { isWellFormedToken, type NetworkRole, type StructureRole } from './accounts.ts';
import { type Actor, authorize } from './policy.ts';

/**
 * Sessions and what every accounts service shares: a person as the domain sees her, her actor, opening
 * and resolving sessions, single-use tokens. Sign-in lives in sign-in.service.ts, the second factor in
 * second-factor.service.ts, invitations and personal data in accounts.service.ts. The helpers exported
 * here without `authorize` are the domain's own plumbing: no route, API or other domain calls them.
 */

/** What the accounts rules need from the configuration, and the clock (injected by tests). */
export interface AccountsOptions {
  config: { publicUrl: string; sessionIdleMinutes: number; sessionMaxHours: number; limits: Limits };
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
  /** The funder organisations the person's account is attached to (decision 0024). */
  funderIds: string[];
}

export type SessionStage = 'second_factor' | 'totp_enrolment' | 'full';

export type SignInResult =
  | { ok: true; sessionToken: string; stage: SessionStage; maxAgeSeconds: number; personId: string }
  | { ok: false; reason: 'invalid_credentials' | 'invalid_link' }
  | { ok: false; reason: 'locked'; scope: LockScope };

/**
 * What a password sign-in lock covers: this account from this address (after 10 failures), this address
 * for every account (password spraying, 30 in an hour), or this account from everywhere (50; a sign-in
 * link still works then).
 */
export type LockScope = 'account_and_address' | 'address' | 'account';

export interface CurrentSession {
  sessionId: string;
  stage: SessionStage;
  person: Person;
  actor: Actor;
}

const SESSION_TOUCH_MS = 60_000;

export const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
export const hasherOf = (opts: { hasher?: PasswordHasher }) => opts.hasher ?? argon2Hasher;
export const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function linkTo(opts: AccountsOptions, path: string): string {
  return `${opts.config.publicUrl}${path}`;
}

export async function loadPerson(db: Db, row: PersonRow): Promise<Person> {
  const memberships = await listMembershipsOf(db, row.id);
  const names = await structureNames(
    db,
    memberships.map((m) => m.structure_id),
  );
  return personOf(
    row,
    memberships.map((m) => ({ ...m, structure_name: names.get(m.structure_id) ?? '' })),
    await listFunderIdsOf(db, row.id),
  );
}

function personOf(
  row: PersonRow,
  memberships: readonly { structure_id: string; role: StructureRole; structure_name: string }[],
  funderIds: string[],
): Person {
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
      structureName: m.structure_name,
      role: m.role,
    })),
    funderIds,
  };
}

export function actorOf(person: Person): Actor {
  return {
    kind: 'person',
    personId: person.id,
    networkRole: person.networkRole,
    memberships: person.memberships.map((m) => ({ structureId: m.structureId, role: m.role })),
    funderIds: person.funderIds,
  };
}

// Sessions

export async function openSession(
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
  // Without a second factor to come, this is the whole sign-in: the journal records it as completed.
  await recordAudit(db, {
    actorId: person.id,
    actorLabel: 'personne',
    action: stage === 'full' ? 'sign_in.completed' : 'sign_in.first_factor',
    details: stage === 'full' ? { how, secondFactor: false } : { how, stage },
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
  actor: Actor,
  input: { token: string },
  opts: AccountsOptions,
): Promise<CurrentSession | null> {
  authorize(actor, 'resolveSession');
  const token = input.token;
  if (!isWellFormedToken(token)) return null;
  const now = nowOf(opts);
  const id = hashToken(token);
  const found = await findSessionWithPerson(db, id);
  if (!found) return null;
  const { session } = found;
  const idleLimit = addMinutes(session.last_seen_at, opts.config.sessionIdleMinutes);
  if (session.expires_at <= now || idleLimit <= now) {
    await deleteSession(db, id);
    return null;
  }
  if (now.getTime() - session.last_seen_at.getTime() > SESSION_TOUCH_MS) await touchSession(db, id, now);
  const person = personOf(found.person, found.memberships, found.funderIds);
  return { sessionId: id, stage: session.stage, person, actor: actorOf(person) };
}

/** Ends this session (sign out): whoever holds the session's cookie may end it. */
export async function signOut(db: Db, actor: Actor, input: { token: string }): Promise<void> {
  authorize(actor, 'signOut');
  if (isWellFormedToken(input.token)) await deleteSession(db, hashToken(input.token));
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

/**
 * A new single-use token of that purpose for the person (its hash stored); a new sign-in or reset link
 * revokes the person's previous ones of the same purpose, invitations add up.
 */
export async function issueToken(
  db: Db,
  personId: string,
  purpose: 'invitation' | 'password_reset' | 'sign_in_link',
  expiresAt: Date,
  now: Date,
  grant?: { structureId: string; role: StructureRole } | { funderId: string },
): Promise<string> {
  if (purpose !== 'invitation') await revokeTokensOf(db, personId, purpose, now);
  const token = newToken();
  await insertToken(db, {
    token_hash: hashToken(token),
    purpose,
    person_id: personId,
    structure_id: grant && 'structureId' in grant ? grant.structureId : null,
    role: grant && 'role' in grant ? grant.role : null,
    funder_id: grant && 'funderId' in grant ? grant.funderId : null,
    created_at: now,
    expires_at: expiresAt,
  });
  return token;
}
