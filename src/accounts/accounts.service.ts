import { randomBytes } from 'node:crypto';
import { listAudit, recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { purgeOldCounts } from '../limits/limits.service.ts';
import { enqueueMail, listOutboxEntries, type OutboxEntry } from '../mail/mail.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { emailKey } from '../shared/email.ts';
import { isUuid } from '../shared/ids.ts';
import { cleanLine } from '../shared/text.ts';
import {
  addFunderMember,
  consumeToken,
  countDemoPersons,
  deleteDemoPersons,
  deleteOldTokens,
  deletePerson,
  deleteStaleSessions,
  findFunderName,
  findPersonByEmail,
  findPersonById,
  findStructure,
  findUsableToken,
  firstStructures,
  insertPerson,
  listPersons,
  lockCoordinators,
  type PersonRow,
  personNames,
  readOrCreateSecret,
  soleAdministratorships,
  structureNames,
  updatePerson,
  upsertMembership,
} from './accounts.repository.ts';
import {
  checkPasswordPolicy,
  displayNameSchema,
  emailSchema,
  INVITATION_DAYS,
  isWellFormedToken,
  MESSAGES,
  type NetworkRole,
  ROLE_LABELS,
  type StructureRole,
} from './accounts.ts';
import { type Actor, actorId, actorLabel, authorize } from './policy.ts';
import {
  type AccountsOptions,
  addMinutes,
  argon2Hasher,
  hasherOf,
  hashToken,
  issueToken,
  linkTo,
  loadPerson,
  nowOf,
  openSession,
  type Person,
  type SignInResult,
} from './sessions.service.ts';
import type { FieldErrors } from './sign-in.service.ts';

/**
 * Accounts: invitations, coordinators, personal data (access and erasure), the list of accounts, the
 * outbox page and the demonstration accounts. Sessions are in sessions.service.ts, sign-in in
 * sign-in.service.ts, the second factor in second-factor.service.ts.
 */

const DEMO_PASSWORD = 'demonstration-maillage';
/** The demonstration coordinator's TOTP secret (base32), published in the README. */
export const DEMO_TOTP_SECRET = 'MAILLAGEDEMOTOTPSECRETAAAAAAAAAA';

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

/** A new single-use invitation link for the person, valid INVITATION_DAYS days, granting a membership if given. */
async function invitationLink(
  db: Db,
  personId: string,
  now: Date,
  opts: AccountsOptions,
  grant?: { structureId: string; role: StructureRole } | { funderId: string },
): Promise<string> {
  const token = await issueToken(
    db,
    personId,
    'invitation',
    addMinutes(now, INVITATION_DAYS * 24 * 60),
    now,
    grant,
  );
  return linkTo(opts, `/invitation/${token}`);
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
  const email = emailKey(input.email);
  return db.transaction().execute(async (tx) => {
    const person = await findOrCreatePerson(tx, email, { networkRole: 'coordinator' });
    const link = await invitationLink(tx, person.id, now, opts);
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'role.coordinator_granted',
      subjectType: 'person',
      subjectId: person.id,
      at: now,
    });
    return { personId: person.id, link };
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
  const email = emailKey(input.email);
  const structure = await findStructure(db, input.structureId);
  if (!structure) throw new DomainError('not_found', MESSAGES.unknownStructure);
  return db.transaction().execute(async (tx) => {
    const person = await findOrCreatePerson(
      tx,
      email,
      input.displayName ? { displayName: input.displayName } : {},
    );
    const link = await invitationLink(tx, person.id, now, opts, {
      structureId: structure.id,
      role: input.role,
    });
    await enqueueMail(
      tx,
      {
        to: email,
        kind: 'invitation',
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
 * Invites a person to a funder organisation (coordinators only; the funders service checks the
 * organisation and the address first). The person receives a single-use link, valid 7 days; the
 * attachment exists once they accept, as for a structure (decision 0024).
 */
export async function inviteToFunder(
  db: Db,
  actor: Actor,
  input: { email: string; funderId: string; funderName: string },
  opts: AccountsOptions,
): Promise<{ personId: string; link: string }> {
  authorize(actor, 'inviteToFunder');
  const now = nowOf(opts);
  const email = emailKey(input.email);
  return db.transaction().execute(async (tx) => {
    const person = await findOrCreatePerson(tx, email);
    const link = await invitationLink(tx, person.id, now, opts, { funderId: input.funderId });
    await enqueueMail(
      tx,
      {
        to: email,
        kind: 'invitation',
        subject: `Invitation à suivre ${input.funderName} sur Maillage`,
        text: [
          'Bonjour,',
          '',
          `La coordination du réseau vous invite sur Maillage pour « ${input.funderName} », comme financeur.`,
          'Vous y verrez les structures que vous financez et les chiffres du réseau, sans aucune donnée personnelle.',
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
      action: 'funder_member.invited',
      subjectType: 'person',
      subjectId: person.id,
      details: { funderId: input.funderId },
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
  const row = await findOrCreatePerson(db, emailKey(input.email), { displayName: input.displayName });
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    hasPassword: row.password_hash !== null,
  };
}

export interface InvitationView {
  email: string;
  structureName: string | null;
  role: StructureRole | null;
  /** The funder organisation the invitation attaches the person to, if any. */
  funderName: string | null;
  networkRole: NetworkRole | null;
  /** False when the person already has a password (joining another structure). */
  needsPassword: boolean;
}

/** What an invitation link grants, for its page; null when the link is not (or no longer) valid. */
export async function describeInvitation(
  db: Db,
  actor: Actor,
  input: { token: string },
  opts: { now?: Date } = {},
): Promise<InvitationView | null> {
  authorize(actor, 'describeInvitation');
  const token = input.token;
  if (!isWellFormedToken(token)) return null;
  const row = await findUsableToken(db, hashToken(token), 'invitation', nowOf(opts));
  const person = row ? await findPersonById(db, row.person_id) : undefined;
  if (!row || !person) return null;
  const structure = row.structure_id ? await findStructure(db, row.structure_id) : undefined;
  const funderName = row.funder_id ? await findFunderName(db, row.funder_id) : undefined;
  return {
    email: person.email,
    structureName: structure?.nom ?? null,
    role: row.role,
    funderName: funderName ?? null,
    networkRole: person.network_role,
    needsPassword: person.password_hash === null,
  };
}

/**
 * Accepts an invitation: sets the name and password (a first account) and grants the membership. The
 * link works once; a refused password does not use it up. Signs the person in.
 */
export async function acceptInvitation(
  db: Db,
  actor: Actor,
  input: { token: string; displayName: string; password: string; confirmation: string },
  opts: AccountsOptions,
): Promise<SignInResult | { ok: false; reason: 'invalid_input'; errors: FieldErrors }> {
  authorize(actor, 'acceptInvitation');
  const now = nowOf(opts);
  const view = await describeInvitation(db, actor, { token: input.token }, opts);
  if (!view) return { ok: false, reason: 'invalid_link' };
  const errors: FieldErrors = {};
  const displayName = cleanLine(input.displayName);
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
    if (token.funder_id) {
      await addFunderMember(tx, token.funder_id, person.id);
      // The role's label follows: a person without a network role becomes a funder.
      if (person.network_role === null) await updatePerson(tx, person.id, { network_role: 'funder' });
      await recordAudit(tx, {
        actorId: person.id,
        actorLabel: 'personne',
        action: 'funder_member.accepted',
        subjectType: 'funder',
        subjectId: token.funder_id,
        at: now,
      });
    }
    const fresh = (await findPersonById(tx, person.id)) ?? person;
    return openSession(tx, fresh, opts, 'invitation');
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
    funders: await Promise.all(person.funderIds.map(async (id) => (await findFunderName(db, id)) ?? id)),
    activity: audit.map((e) => ({ at: e.at.toISOString(), action: e.action, details: e.details })),
  };
}

/**
 * Deletes the person's account, memberships, sessions and links (RGPD right to erasure). Audit entries
 * stay (append-only), keyed by an id that no longer leads to anyone. Refused (`conflict`, with the way
 * out) for the last administrator of a structure and for the last coordinator of the network: nobody
 * would be left to manage them.
 */
export async function deleteMyAccount(db: Db, actor: Actor, opts: { now?: Date } = {}): Promise<void> {
  authorize(actor, 'deleteMyAccount');
  if (actor.kind !== 'person') throw new DomainError('forbidden', MESSAGES.forbidden);
  await db.transaction().execute(async (tx) => {
    if (actor.networkRole === 'coordinator') {
      const coordinators = await lockCoordinators(tx);
      if (coordinators.length <= 1 && coordinators.includes(actor.personId))
        throw new DomainError('conflict', MESSAGES.lastCoordinator);
    }
    const sole = await soleAdministratorships(tx, actor.personId);
    if (sole.length > 0) {
      const names = [...(await structureNames(tx, sole)).values()].map((n) => `« ${n} »`).join(', ');
      throw new DomainError('conflict', MESSAGES.lastAdministrator(names), { structures: sole });
    }
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

/**
 * The names of the persons among `ids` that still exist, to say who did what on pages that list
 * actions (imports, messages): a deleted account has no name left. Coordinators only.
 */
export async function personDisplayNames(
  db: Db,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, string>> {
  authorize(actor, 'listAccounts');
  return personNames(db, [...new Set(ids)].filter(isUuid));
}

/** Every account with its roles (coordinators and the command line). */
export async function listAccounts(db: Db, actor: Actor): Promise<Person[]> {
  authorize(actor, 'listAccounts');
  const rows = await listPersons(db);
  return Promise.all(rows.map((r) => loadPerson(db, r)));
}

/**
 * The outbox for coordinators: who was mailed what kind of message, when, and whether it left. Never
 * the message itself (links, tokens, codes, personal data), except in demonstration mode, where the
 * messages are shown whole so that a visitor can follow the links sent to the demonstration accounts.
 * Every view is written in the audit log.
 */
export async function listOutbox(
  db: Db,
  actor: Actor,
  input: { demoMode: boolean },
  opts: { now?: Date } = {},
): Promise<OutboxEntry[]> {
  authorize(actor, 'listOutbox');
  const entries = await listOutboxEntries(db, { limit: 100, withContent: input.demoMode });
  await recordAudit(db, {
    actorId: actorId(actor),
    actorLabel: actorLabel(actor),
    action: 'outbox.viewed',
    details: { messages: entries.length, whole: input.demoMode },
    at: nowOf(opts),
  });
  return entries;
}

export const DEMO_ACCOUNTS = [
  { email: 'coordination.demo@example.org', name: 'Camille (coordination)', networkRole: 'coordinator' },
  { email: 'financeur.demo@example.org', name: 'Dominique (financeur)', networkRole: 'funder' },
  { email: 'admin.demo@example.org', name: 'Alex (administration)', structure: 0, role: 'structure_admin' },
  { email: 'mediation.demo@example.org', name: 'Sam (médiation)', structure: 0, role: 'staff' },
  { email: 'autre-structure.demo@example.org', name: 'Lou (autre structure)', structure: 1, role: 'staff' },
  { email: 'benevole.demo@example.org', name: 'Claude (bénévole)', networkRole: 'volunteer' },
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

/** How many demonstration accounts exist (their password is public: see the server's start). */
export async function countDemoAccounts(db: Db): Promise<number> {
  return countDemoPersons(db);
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
    rateLimits: await purgeOldCounts(db, addMinutes(now, -24 * 60)),
  };
}

/**
 * The installation's secret of that name (shared by every app server), created on first use. Only the
 * server reads it, for itself (its CSRF tokens, the links it signs): it acts as the system.
 */
export async function installationSecret(db: Db, actor: Actor, input: { name: string }): Promise<Buffer> {
  authorize(actor, 'installationSecret');
  return Buffer.from(await readOrCreateSecret(db, input.name, randomBytes(32).toString('hex')), 'hex');
}

/**
 * A person's address, to tell them about a decision on something they asked for (null when the account
 * no longer exists). Not a policy function: the caller's own rule has decided.
 */
export async function personAddress(db: Db, personId: string): Promise<string | null> {
  return (await findPersonById(db, personId))?.email ?? null;
}

/**
 * A person's display name, to sign what they send (null when the account no longer exists). Not a
 * policy function: the caller's own rule has decided.
 */
export async function personName(db: Db, personId: string): Promise<string | null> {
  return (await findPersonById(db, personId))?.display_name ?? null;
}

/**
 * The account fields of a person who signs up alone (a volunteer, decision 0044): the name, an address
 * that no account holds yet, the password policy and its confirmation. Returns the French message of
 * each field in error (none: all is right) and the address as stored. Not a policy function: the
 * caller's own rule (`signUpVolunteer`, anyone) has decided.
 */
export async function checkNewAccount(
  db: Db,
  input: { email: string; displayName: string; password: string; confirmation: string },
): Promise<{
  email: string;
  errors: Partial<Record<'email' | 'displayName' | 'password' | 'confirmation', string>>;
}> {
  const errors: Partial<Record<'email' | 'displayName' | 'password' | 'confirmation', string>> = {};
  const parsed = emailSchema.safeParse(input.email);
  const email = parsed.success ? parsed.data : '';
  if (!parsed.success) errors.email = parsed.error.issues[0]?.message ?? MESSAGES.emailInvalid;
  else if (await findPersonByEmail(db, email)) errors.email = MESSAGES.emailTaken;
  const name = displayNameSchema.safeParse(input.displayName);
  if (!name.success) errors.displayName = name.error.issues[0]?.message ?? MESSAGES.displayNameRequired;
  const policy = checkPasswordPolicy(input.password, email || undefined);
  if (policy) errors.password = policy;
  else if (input.password !== input.confirmation) errors.confirmation = MESSAGES.passwordsDiffer;
  return { email, errors };
}

/**
 * Creates the account of a person who signed up as a volunteer (role `volunteer`, decision 0044) and
 * signs them in. Call it inside the caller's transaction, after `checkNewAccount`: a second sign-up
 * with the same address at the same moment fails on the address's unique key, nothing written. Not a
 * policy function: the caller's own rule (`signUpVolunteer`, anyone) has decided.
 */
export async function createVolunteerAccount(
  db: Db,
  input: { email: string; displayName: string; passwordHash: string; isDemo?: boolean },
  opts: AccountsOptions,
): Promise<SignInResult & { ok: true }> {
  const person = await insertPerson(db, {
    email: input.email,
    display_name: cleanLine(input.displayName),
    password_hash: input.passwordHash,
    network_role: 'volunteer',
    is_demo: input.isDemo ?? false,
  });
  await recordAudit(db, {
    actorId: person.id,
    actorLabel: 'personne',
    action: 'volunteer.signed_up',
    subjectType: 'person',
    subjectId: person.id,
    at: nowOf(opts),
  });
  return openSession(db, person, opts, 'volunteer_sign_up');
}

/** The password's hash for a new account (argon2id; tests give their hasher). */
export async function hashNewPassword(password: string, opts: AccountsOptions) {
  return hasherOf(opts).hash(password);
}

/**
 * The account of a demonstration volunteer (decision 0044): the demo account when it exists (seeded with
 * DEMO_ACCOUNTS), otherwise a demonstration person without a password, who cannot sign in. Not a policy
 * function: the caller (`seedDemoVolunteers`, the system) has decided.
 */
export async function ensureDemoVolunteerPerson(
  db: Db,
  input: { email: string; name: string },
): Promise<string> {
  const existing = await findPersonByEmail(db, input.email);
  if (existing) return existing.id;
  const person = await insertPerson(db, {
    email: input.email,
    display_name: input.name,
    network_role: 'volunteer',
    is_demo: true,
  });
  return person.id;
}
