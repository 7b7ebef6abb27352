import { ensurePerson, inviteToStructure } from '../accounts/accounts.service.ts';
import type { StructureRole } from '../accounts/accounts.ts';
import { listStructureInvitations, type PendingInvitation } from '../accounts/invitations.service.ts';
import { type Actor, actorId, actorLabel, authorize, can } from '../accounts/policy.ts';
import type { AccountsOptions } from '../accounts/sessions.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { withinLimit } from '../limits/limits.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { publicDirectory } from '../places/public-places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import type { PublicScope } from '../shared/territory.ts';
import { foldForSearch, searchWords } from '../shared/text.ts';
import {
  addMemberIfAbsent,
  adminAddresses,
  coordinatorAddresses,
  countAdmins,
  countMembers,
  decideRequest,
  deleteMember,
  findJoinRequest,
  findMember,
  findStructureByPivot,
  findStructureSummary,
  hasPendingRequest,
  insertJoinRequest,
  insertStructure,
  isMember,
  listMembers,
  listPendingRequests,
  listStructurePlaces,
  listStructureSummaries,
  lockStructure,
  type MemberRow,
  memberAddresses,
  type StructureSummaryRow,
  searchStructures,
  setMemberRole,
} from './structures.repository.ts';
import {
  decisionSchema,
  fieldErrors,
  invitationSchema,
  JOIN_REQUESTS_PER_CLIENT_PER_HOUR,
  JOIN_REQUESTS_PER_EMAIL_PER_HOUR,
  joinRequestSchema,
  MESSAGES,
  memberJoinRequestSchema,
  type NewStructureInput,
  newStructureSchema,
  ROLE_SHORT,
  roleChangeSchema,
  SEARCH_LIMIT,
  searchSchema,
} from './structures.ts';

/**
 * Structures of the network and their people: the coordinator creates a structure and invites its
 * first administrator; administrators invite members, change roles, remove members (never the last
 * administrator) and answer join requests; anybody asks to join. Every function that needs a decision
 * calls `authorize` (accounts/policy.ts) first; every membership or role change leaves an audit entry.
 */

export type StructuresOptions = AccountsOptions;
export type FormErrors = Record<string, string>;
export type FormResult<T> = ({ ok: true } & T) | { ok: false; errors: FormErrors };

export interface StructureSummary {
  id: string;
  name: string;
  pivot: string;
  kinds: string[];
  createdAt: Date;
  members: number;
  admins: number;
  places: number;
  pendingRequests: number;
}

export interface Member {
  personId: string;
  name: string;
  email: string;
  role: StructureRole;
  since: Date;
}

export interface PendingJoinRequest {
  id: string;
  personId: string;
  name: string;
  email: string;
  /** False: the person has no Maillage account yet (they get an invitation once accepted). */
  hasAccount: boolean;
  message: string | null;
  createdAt: Date;
}

export interface StructurePlace {
  id: string;
  name: string;
  commune: string;
  address: string;
  updatedOn: string | null;
  /** Whether the public sees it (inside the territory or its margin); a link to it leads somewhere. */
  isPublic: boolean;
}

export interface StructureView {
  structure: {
    id: string;
    name: string;
    pivot: string;
    kinds: string[];
    contactEmail: string | null;
    contactPhone: string | null;
  };
  places: StructurePlace[];
  viewer: {
    /** The viewer's role in this structure, or null. */
    role: StructureRole | null;
    /** Members and coordinators: see the members, edit the places. */
    isMemberOrCoordinator: boolean;
    /** Administrators and coordinators: invite, change roles, remove, answer requests. */
    canManage: boolean;
    /** A signed-in person who is not a member may ask to join (unless a request is pending). */
    canAskToJoin: boolean;
    hasPendingRequest: boolean;
  };
  /** Null when the viewer may not see them. */
  members: Member[] | null;
  joinRequests: PendingJoinRequest[] | null;
  /** Invitations not yet accepted (administrators and coordinators), null for others. */
  invitations: PendingInvitation[] | null;
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

function toSummary(row: StructureSummaryRow): StructureSummary {
  return {
    id: row.id,
    name: row.nom,
    pivot: row.pivot,
    kinds: row.typologie,
    createdAt: row.created_at,
    members: row.members,
    admins: row.admins,
    places: row.places,
    pendingRequests: row.pending_requests,
  };
}

function toMember(row: MemberRow): Member {
  return {
    personId: row.person_id,
    name: row.display_name,
    email: row.email,
    role: row.role,
    since: row.created_at,
  };
}

async function structureOrThrow(db: Db, structureId: string): Promise<StructureSummaryRow> {
  const row = isUuid(structureId) ? await findStructureSummary(db, structureId.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.unknownStructure, { structureId });
  return row;
}

function checkId(id: string, message: string): string {
  if (!isUuid(id)) throw new DomainError('not_found', message, { id });
  return id.toLowerCase();
}

// Lists

/** Every structure of the network with its numbers of members, places and pending join requests. */
export async function listStructures(db: Db, actor: Actor): Promise<StructureSummary[]> {
  authorize(actor, 'listStructures');
  return (await listStructureSummaries(db)).map(toSummary);
}

/** The structures the signed-in person belongs to, with their role in each. */
export async function listMyStructures(
  db: Db,
  actor: Actor,
): Promise<(StructureSummary & { role: StructureRole })[]> {
  authorize(actor, 'listMyStructures');
  if (actor.kind !== 'person') return [];
  const roles = new Map(actor.memberships.map((m) => [m.structureId, m.role]));
  const rows = await listStructureSummaries(db, [...roles.keys()]);
  return rows.map((r) => ({ ...toSummary(r), role: roles.get(r.id) ?? 'staff' }));
}

/**
 * Structures whose name contains the words typed, without regard to case, accents, hyphens or
 * apostrophes ("saint jean" finds "Médiathèque de Saint-Jean"), or whose SIRET/RNA starts with the
 * digits typed. Public: only names, SIRET/RNA and kinds, which are open data.
 */
export async function findStructuresByName(
  db: Db,
  actor: Actor,
  input: { query: string },
): Promise<
  | {
      ok: true;
      query: string;
      results: { id: string; name: string; pivot: string; kinds: string[] }[];
      more: boolean;
    }
  | { ok: false; query: string; error: string }
> {
  authorize(actor, 'findStructuresByName');
  const parsed = searchSchema.safeParse(input.query);
  const typed = input.query.slice(0, 200);
  if (!parsed.success) return { ok: false, query: typed, error: parsed.error.issues[0]?.message ?? '' };
  const compact = parsed.data.replace(/[\s.]/g, '').toUpperCase();
  const pivotPrefix = /^(\d{3,14}|W\d{2,9})$/.test(compact) ? compact : null;
  const rows = await searchStructures(
    db,
    searchWords(foldForSearch(parsed.data)),
    pivotPrefix,
    SEARCH_LIMIT + 1,
  );
  return {
    ok: true,
    query: parsed.data,
    results: rows
      .slice(0, SEARCH_LIMIT)
      .map((r) => ({ id: r.id, name: r.nom, pivot: r.pivot, kinds: r.typologie })),
    more: rows.length > SEARCH_LIMIT,
  };
}

// One structure

/**
 * A structure's page. Its name, SIRET/RNA, kinds and places are public; its members are shown to its
 * members and to coordinators (`listStructureMembers`), its pending join requests to its administrators
 * and to coordinators (`listJoinRequests`).
 */
export async function viewStructure(
  db: Db,
  actor: Actor,
  input: { structureId: string; scope?: PublicScope },
): Promise<StructureView> {
  authorize(actor, 'viewStructure');
  const row = await structureOrThrow(db, input.structureId);
  const scope = { structureId: row.id };
  const role =
    actor.kind === 'person' ? (actor.memberships.find((m) => m.structureId === row.id)?.role ?? null) : null;
  const seesMembers = can(actor, 'listStructureMembers', scope);
  const canManage = can(actor, 'listJoinRequests', scope);
  const pending =
    actor.kind === 'person' && role === null ? await hasPendingRequest(db, row.id, actor.personId) : false;
  const places = await listStructurePlaces(db, row.id);
  const shown = input.scope
    ? new Set((await publicDirectory(db, input.scope)).places.map((p) => p.id))
    : null;
  return {
    structure: {
      id: row.id,
      name: row.nom,
      pivot: row.pivot,
      kinds: row.typologie,
      contactEmail: row.contact_email,
      contactPhone: row.contact_phone,
    },
    places: places.map((p) => ({
      isPublic: shown === null || shown.has(p.id),
      id: p.id,
      name: p.nom,
      commune: p.commune,
      address: p.adresse,
      updatedOn: p.date_maj,
    })),
    viewer: {
      role,
      isMemberOrCoordinator: seesMembers,
      canManage,
      canAskToJoin: actor.kind === 'person' && role === null && !pending,
      hasPendingRequest: pending,
    },
    members: seesMembers ? await listStructureMembers(db, actor, scope) : null,
    joinRequests: canManage ? await listJoinRequests(db, actor, scope) : null,
    invitations: canManage ? await listStructureInvitations(db, actor, scope) : null,
  };
}

/** The members of a structure with their roles (its members and coordinators). */
export async function listStructureMembers(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<Member[]> {
  authorize(actor, 'listStructureMembers', { structureId: input.structureId });
  const id = checkId(input.structureId, MESSAGES.unknownStructure);
  return (await listMembers(db, id)).map(toMember);
}

/** The join requests waiting for an answer, oldest first (administrators and coordinators). */
export async function listJoinRequests(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<PendingJoinRequest[]> {
  authorize(actor, 'listJoinRequests', { structureId: input.structureId });
  const id = checkId(input.structureId, MESSAGES.unknownStructure);
  return (await listPendingRequests(db, id)).map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: r.display_name,
    email: r.email,
    hasAccount: r.has_password,
    message: r.message,
    createdAt: r.created_at,
  }));
}

// Creating a structure

/**
 * Creates a structure (coordinators) from its name, SIRET (14 digits) or RNA number (W and 9 digits)
 * and kind, and invites its first administrator by a single-use emailed link. One structure per
 * SIRET/RNA. Places imported with the same pivot are linked to it by the next import.
 */
export async function createStructure(
  db: Db,
  actor: Actor,
  input: NewStructureInput,
  opts: StructuresOptions,
): Promise<FormResult<{ structureId: string; adminId: string }>> {
  authorize(actor, 'createStructure');
  const parsed = newStructureSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const value = parsed.data;
  const now = nowOf(opts);
  const taken = await findStructureByPivot(db, value.pivot);
  if (taken) return { ok: false, errors: { pivot: MESSAGES.pivotTaken(taken.nom) } };
  const structureId = await db.transaction().execute(async (tx) => {
    const id = await insertStructure(tx, { pivot: value.pivot, nom: value.name, typologie: [value.kind] });
    if (!id) return undefined;
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'structure.created',
      subjectType: 'structure',
      subjectId: id,
      details: { pivot: value.pivot, name: value.name, kind: value.kind },
      at: now,
    });
    return id;
  });
  if (!structureId) {
    const other = await findStructureByPivot(db, value.pivot);
    return { ok: false, errors: { pivot: MESSAGES.pivotTaken(other?.nom ?? value.pivot) } };
  }
  // inviteToStructure opens its own transaction (Kysely does not nest them): the structure exists even
  // if the invitation failed, and the coordinator can invite again from its page.
  const invited = await inviteToStructure(
    db,
    actor,
    {
      email: value.adminEmail,
      structureId,
      role: 'structure_admin',
      ...(value.adminName ? { displayName: value.adminName } : {}),
    },
    opts,
  );
  return { ok: true, structureId, adminId: invited.personId };
}

// Members

/**
 * Invites a person to the structure with a role (its administrators and coordinators), through the
 * accounts' single-use invitation (valid 7 days); the membership exists once they accept. A person who
 * is already a member is not invited again: their role is changed in the list of members instead (an
 * invitation must not bypass the last-administrator rule).
 */
export async function inviteStructureMember(
  db: Db,
  actor: Actor,
  input: { structureId: string; email: string; name: string; role: string },
  opts: StructuresOptions,
): Promise<FormResult<{ personId: string }>> {
  authorize(actor, 'inviteStructureMember', { structureId: input.structureId });
  const structure = await structureOrThrow(db, input.structureId);
  const parsed = invitationSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const existing = (await listMembers(db, structure.id)).find((m) => m.email === parsed.data.email);
  if (existing)
    return {
      ok: false,
      errors: {
        email: `${existing.display_name} (${existing.email}) est déjà membre de la structure. Pour changer son rôle, utilisez la liste des membres.`,
      },
    };
  const invited = await inviteToStructure(
    db,
    actor,
    {
      email: parsed.data.email,
      structureId: structure.id,
      role: parsed.data.role,
      ...(parsed.data.name ? { displayName: parsed.data.name } : {}),
    },
    opts,
  );
  return { ok: true, personId: invited.personId };
}

/**
 * Changes a member's role (administrators and coordinators). The last administrator of a structure
 * cannot become a mere member: a structure always keeps one. Changes of one structure are serialised
 * (row lock), so two administrators demoting each other at once cannot leave it without one.
 */
export async function changeStructureMemberRole(
  db: Db,
  actor: Actor,
  input: { structureId: string; personId: string; role: string },
  opts: { now?: Date } = {},
): Promise<Member> {
  authorize(actor, 'changeStructureMemberRole', { structureId: input.structureId });
  const structureId = checkId(input.structureId, MESSAGES.unknownStructure);
  const personId = checkId(input.personId, MESSAGES.notMember);
  const parsed = roleChangeSchema.safeParse({ role: input.role });
  if (!parsed.success) throw new DomainError('invalid_input', MESSAGES.roleUnknown, { role: input.role });
  const role = parsed.data.role;
  return db.transaction().execute(async (tx) => {
    if (!(await lockStructure(tx, structureId)))
      throw new DomainError('not_found', MESSAGES.unknownStructure);
    const member = await findMember(tx, structureId, personId);
    if (!member) throw new DomainError('not_found', MESSAGES.notMember);
    if (member.role === role) return toMember(member);
    if (member.role === 'structure_admin' && (await countAdmins(tx, structureId)) <= 1)
      throw new DomainError('conflict', MESSAGES.lastAdmin, { personId });
    await setMemberRole(tx, structureId, personId, role);
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'membership.role_changed',
      subjectType: 'person',
      subjectId: personId,
      details: { structureId, from: member.role, to: role },
      at: nowOf(opts),
    });
    return { ...toMember(member), role };
  });
}

/** What the removal page shows before confirming (same rule as the removal). */
export async function describeMemberRemoval(
  db: Db,
  actor: Actor,
  input: { structureId: string; personId: string },
): Promise<{ structure: { id: string; name: string }; member: Member; isLastAdmin: boolean }> {
  authorize(actor, 'describeMemberRemoval', { structureId: input.structureId });
  const structure = await structureOrThrow(db, input.structureId);
  const member = await findMember(db, structure.id, checkId(input.personId, MESSAGES.notMember));
  if (!member) throw new DomainError('not_found', MESSAGES.notMember);
  return {
    structure: { id: structure.id, name: structure.nom },
    member: toMember(member),
    isLastAdmin: member.role === 'structure_admin' && structure.admins <= 1,
  };
}

/**
 * Removes a member from the structure (administrators and coordinators), never its last
 * administrator. The person keeps their account and their other structures.
 */
export async function removeStructureMember(
  db: Db,
  actor: Actor,
  input: { structureId: string; personId: string },
  opts: { now?: Date } = {},
): Promise<Member> {
  authorize(actor, 'removeStructureMember', { structureId: input.structureId });
  const structureId = checkId(input.structureId, MESSAGES.unknownStructure);
  const personId = checkId(input.personId, MESSAGES.notMember);
  return db.transaction().execute(async (tx) => {
    if (!(await lockStructure(tx, structureId)))
      throw new DomainError('not_found', MESSAGES.unknownStructure);
    const member = await findMember(tx, structureId, personId);
    if (!member) throw new DomainError('not_found', MESSAGES.notMember);
    if (member.role === 'structure_admin' && (await countAdmins(tx, structureId)) <= 1)
      throw new DomainError('conflict', MESSAGES.lastAdmin, { personId });
    await deleteMember(tx, structureId, personId);
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'membership.removed',
      subjectType: 'person',
      subjectId: personId,
      details: { structureId, role: member.role },
      at: nowOf(opts),
    });
    return toMember(member);
  });
}

// Join requests

export type JoinResult =
  | { ok: true }
  | { ok: false; reason: 'invalid_input'; errors: FormErrors }
  | { ok: false; reason: 'rate_limited' };

/**
 * Asks to join a structure. Without an account: name, address and an optional message; an unknown
 * address becomes an account without password (it gets an invitation link once accepted). The answer is
 * the same whether the address has an account, is already a member or already asked: nothing tells a
 * visitor who is registered. Signed in: the person's own account and a message. Limits: a few requests
 * per address and per client (network address) per hour, counted in the database (all app servers).
 * The structure's administrators are told by mail (its coordinators when it has none yet).
 */
export async function requestToJoinStructure(
  db: Db,
  actor: Actor,
  input: { structureId: string; name?: string; email?: string; message?: string; client: string },
  opts: StructuresOptions,
): Promise<JoinResult> {
  authorize(actor, 'requestToJoinStructure');
  const structure = await structureOrThrow(db, input.structureId);
  const now = nowOf(opts);
  const limit = { minutes: 60, now };
  if (actor.kind === 'person') {
    const parsed = memberJoinRequestSchema.safeParse({ message: input.message ?? '' });
    if (!parsed.success) return { ok: false, reason: 'invalid_input', errors: fieldErrors(parsed.error) };
    if (await isMember(db, structure.id, actor.personId))
      return { ok: false, reason: 'invalid_input', errors: { form: MESSAGES.alreadyMember } };
    if (await hasPendingRequest(db, structure.id, actor.personId))
      return { ok: false, reason: 'invalid_input', errors: { form: MESSAGES.alreadyRequested } };
    if (
      !(await withinLimit(db, `join_request:person:${actor.personId}`, {
        ...limit,
        max: JOIN_REQUESTS_PER_EMAIL_PER_HOUR,
      }))
    )
      return { ok: false, reason: 'rate_limited' };
    await createRequest(db, actor, structure, actor.personId, parsed.data.message, opts);
    return { ok: true };
  }
  const parsed = joinRequestSchema.safeParse({
    name: input.name ?? '',
    email: input.email ?? '',
    message: input.message ?? '',
  });
  if (!parsed.success) return { ok: false, reason: 'invalid_input', errors: fieldErrors(parsed.error) };
  const value = parsed.data;
  if (
    !(await withinLimit(db, `join_request:client:${input.client}`, {
      ...limit,
      max: JOIN_REQUESTS_PER_CLIENT_PER_HOUR,
    }))
  )
    return { ok: false, reason: 'rate_limited' };
  if (
    !(await withinLimit(db, `join_request:email:${value.email}`, {
      ...limit,
      max: JOIN_REQUESTS_PER_EMAIL_PER_HOUR,
    }))
  )
    return { ok: false, reason: 'rate_limited' };
  const person = await ensurePerson(db, { email: value.email, displayName: value.name });
  // Already a member, or already asked: the same answer as a new request (no account enumeration).
  if (await isMember(db, structure.id, person.id)) return { ok: true };
  await createRequest(db, actor, structure, person.id, value.message, opts);
  return { ok: true };
}

async function createRequest(
  db: Db,
  actor: Actor,
  structure: StructureSummaryRow,
  personId: string,
  message: string | null,
  opts: StructuresOptions,
): Promise<void> {
  const now = nowOf(opts);
  await db.transaction().execute(async (tx) => {
    const id = await insertJoinRequest(tx, {
      person_id: personId,
      structure_id: structure.id,
      message,
      created_at: now,
    });
    if (!id) return;
    let recipients = await adminAddresses(tx, structure.id);
    if (recipients.length === 0) recipients = await coordinatorAddresses(tx);
    const request = await findJoinRequest(tx, id);
    // The account's name, not a name typed with someone else's address.
    const who = request?.display_name ?? '';
    for (const to of recipients) {
      await enqueueMail(
        tx,
        {
          to,
          kind: 'join_request',
          subject: `Demande pour rejoindre ${structure.nom} sur Maillage`,
          text: [
            'Bonjour,',
            '',
            `${who} (${request?.email ?? ''}) demande à rejoindre « ${structure.nom} » sur Maillage.`,
            ...(message ? ['', 'Son message :', message] : []),
            '',
            'Pour accepter ou refuser cette demande, ouvrez la page de la structure :',
            `${opts.config.publicUrl}/structures/${structure.id}#demandes`,
          ].join('\n'),
        },
        now,
      );
    }
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'join_request.created',
      subjectType: 'structure',
      subjectId: structure.id,
      details: { requestId: id, personId },
      at: now,
    });
  });
}

/**
 * Accepts or refuses a join request (the structure's administrators and coordinators), with an optional
 * message; the requester is told by mail either way. Accepted with an account: the person becomes a
 * member at once. Accepted without an account: they receive the accounts' single-use invitation and
 * become a member when they have chosen their password. A request is answered once.
 */
export async function decideJoinRequest(
  db: Db,
  actor: Actor,
  input: { structureId: string; requestId: string; decision: string; message?: string },
  opts: StructuresOptions,
): Promise<FormResult<{ decision: 'accept' | 'refuse'; name: string; invited: boolean }>> {
  authorize(actor, 'decideJoinRequest', { structureId: input.structureId });
  const structure = await structureOrThrow(db, input.structureId);
  const request = await findJoinRequest(db, checkId(input.requestId, MESSAGES.requestUnknown));
  if (!request || request.structure_id !== structure.id)
    throw new DomainError('not_found', MESSAGES.requestUnknown);
  const parsed = decisionSchema.safeParse({ decision: input.decision, message: input.message ?? '' });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { decision, message } = parsed.data;
  const now = nowOf(opts);
  const accept = decision === 'accept';
  await db.transaction().execute(async (tx) => {
    const decided = await decideRequest(tx, request.id, {
      status: accept ? 'accepted' : 'refused',
      decided_by: actorId(actor),
      decided_at: now,
    });
    if (!decided) throw new DomainError('conflict', MESSAGES.requestDecided, { requestId: request.id });
    const joined =
      accept && request.has_password
        ? await addMemberIfAbsent(tx, {
            person_id: request.person_id,
            structure_id: structure.id,
            role: 'staff',
          })
        : false;
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: accept
        ? joined
          ? 'membership.join_accepted'
          : 'join_request.accepted'
        : 'join_request.refused',
      subjectType: 'person',
      subjectId: request.person_id,
      details: { structureId: structure.id, requestId: request.id, ...(joined ? { role: 'staff' } : {}) },
      at: now,
    });
    const lines = accept
      ? [
          `Votre demande pour rejoindre « ${structure.nom} » sur Maillage est acceptée.`,
          request.has_password
            ? `Vous en êtes maintenant ${ROLE_SHORT.staff}. Connectez-vous : ${opts.config.publicUrl}/connexion`
            : 'Vous allez recevoir un second message avec un lien pour créer votre mot de passe.',
        ]
      : [`Votre demande pour rejoindre « ${structure.nom} » sur Maillage n'est pas acceptée.`];
    await enqueueMail(
      tx,
      {
        to: request.email,
        kind: 'join_request_decision',
        subject: accept
          ? `Votre demande pour rejoindre ${structure.nom} est acceptée`
          : `Votre demande pour rejoindre ${structure.nom}`,
        text: [
          'Bonjour,',
          '',
          ...lines,
          ...(message ? ['', 'Message de la structure :', message] : []),
          ...(accept ? [] : ['', 'Pour toute question, contactez la structure ou le réseau.']),
        ].join('\n'),
      },
      now,
    );
  });
  let invited = false;
  if (accept && !request.has_password) {
    await inviteToStructure(
      db,
      actor,
      { email: request.email, structureId: structure.id, role: 'staff' },
      opts,
    );
    invited = true;
  }
  return { ok: true, decision, name: request.display_name, invited };
}

/**
 * The addresses of a structure's administrators, to tell them about a decision on their places (the
 * moderation queue). Not a policy function: the caller's own rule has decided.
 */
export async function structureAdminAddresses(db: Db, structureId: string): Promise<string[]> {
  return adminAddresses(db, structureId);
}

/**
 * The addresses of every member of a structure (administrators and staff), to tell them that an
 * orientation waits in their inbox. Not a policy function: the caller's own rule has decided.
 */
export async function structureMemberAddresses(db: Db, structureId: string): Promise<string[]> {
  return memberAddresses(db, structureId);
}

/**
 * The network's coordinators' addresses, to tell them of what the network answers itself (a call-back
 * asked of the network). Not a policy function: the caller's own rule has decided.
 */
export async function networkCoordinatorAddresses(db: Db): Promise<string[]> {
  return coordinatorAddresses(db);
}

/**
 * How many people belong to a structure: a structure with members has an inbox, so orientations to its
 * places are delivered there. Not a policy function: it tells no one who they are.
 */
export async function countStructureMembers(db: Db, structureId: string): Promise<number> {
  return countMembers(db, structureId);
}

/**
 * A structure's name and SIRET/RNA, or null when the id is unknown: what another domain needs to name
 * the structure it works for (a new place takes its pivot). Not a policy function: names and pivots are
 * open data, and the caller's own rule has decided.
 */
export async function structureBasics(
  db: Db,
  structureId: string,
): Promise<{ id: string; name: string; pivot: string } | null> {
  const row = isUuid(structureId) ? await findStructureSummary(db, structureId.toLowerCase()) : undefined;
  return row ? { id: row.id, name: row.nom, pivot: row.pivot } : null;
}

/** The names of some structures by id (open data; not a policy function). */
export async function structureNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = await listStructureSummaries(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.nom]));
}
