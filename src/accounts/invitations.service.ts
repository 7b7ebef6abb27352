import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { findStructure } from './accounts.repository.ts';
import { INVITATION_DAYS, ROLE_LABELS, type StructureRole } from './accounts.ts';
import {
  findUnusedInvitation,
  type InvitationRow,
  listUnusedInvitations,
  pendingInvitationCounts,
  withdrawToken,
} from './invitations.repository.ts';
import { type Actor, actorId, actorLabel, authorize } from './policy.ts';
import { type AccountsOptions, addMinutes, issueToken, linkTo, nowOf } from './sessions.service.ts';

/**
 * Invitations to a structure not yet accepted: those who may invite (the structure's administrators and
 * coordinators) see them, send one again (a new link; the old one stops working) or withdraw one (its
 * link no longer sets any role). An expired invitation sets no role either; it can be sent again.
 */

export interface PendingInvitation {
  id: string;
  personId: string;
  email: string;
  name: string;
  role: StructureRole;
  sentAt: Date;
  expiresAt: Date;
  expired: boolean;
}

const NOT_FOUND = "Cette invitation n'existe pas, a déjà été acceptée ou a été retirée.";

function toInvitation(row: InvitationRow, now: Date): PendingInvitation {
  return {
    id: row.id,
    personId: row.person_id,
    email: row.email,
    name: row.display_name,
    role: row.role,
    sentAt: row.created_at,
    expiresAt: row.expires_at,
    expired: row.expires_at.getTime() <= now.getTime(),
  };
}

/** A structure's invitations not accepted nor withdrawn, newest first, expired ones flagged. */
export async function listStructureInvitations(
  db: Db,
  actor: Actor,
  input: { structureId: string },
  opts: { now?: Date } = {},
): Promise<PendingInvitation[]> {
  authorize(actor, 'listStructureInvitations', { structureId: input.structureId });
  if (!isUuid(input.structureId)) return [];
  const now = nowOf(opts);
  return (await listUnusedInvitations(db, input.structureId.toLowerCase())).map((r) => toInvitation(r, now));
}

async function invitationOf(db: Db, structureId: string, invitationId: string): Promise<InvitationRow> {
  const row = isUuid(invitationId) ? await findUnusedInvitation(db, invitationId.toLowerCase()) : undefined;
  if (!row || row.structure_id !== structureId.toLowerCase())
    throw new DomainError('not_found', NOT_FOUND, { invitationId });
  return row;
}

/**
 * Withdraws an invitation (the structure's administrators and coordinators): its link stops working at
 * once and can no longer set a role. Audited.
 */
export async function withdrawInvitation(
  db: Db,
  actor: Actor,
  input: { structureId: string; invitationId: string },
  opts: { now?: Date } = {},
): Promise<{ email: string }> {
  authorize(actor, 'withdrawInvitation', { structureId: input.structureId });
  const row = await invitationOf(db, input.structureId, input.invitationId);
  const now = nowOf(opts);
  await db.transaction().execute(async (tx) => {
    if (!(await withdrawToken(tx, row.id, now))) throw new DomainError('conflict', NOT_FOUND, { id: row.id });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'invitation.withdrawn',
      subjectType: 'person',
      subjectId: row.person_id,
      details: { structureId: row.structure_id, role: row.role, invitationId: row.id },
      at: now,
    });
  });
  return { email: row.email };
}

/**
 * Sends an invitation again (the structure's administrators and coordinators): a new link, valid
 * INVITATION_DAYS days, with the same role; the old link stops working in the same transaction.
 * Works for an expired invitation too.
 */
export async function resendInvitation(
  db: Db,
  actor: Actor,
  input: { structureId: string; invitationId: string },
  opts: AccountsOptions,
): Promise<{ email: string; link: string }> {
  authorize(actor, 'resendInvitation', { structureId: input.structureId });
  const row = await invitationOf(db, input.structureId, input.invitationId);
  const structure = await findStructure(db, row.structure_id);
  if (!structure) throw new DomainError('not_found', NOT_FOUND, { invitationId: row.id });
  const now = nowOf(opts);
  const link = await db.transaction().execute(async (tx) => {
    if (!(await withdrawToken(tx, row.id, now))) throw new DomainError('conflict', NOT_FOUND, { id: row.id });
    const token = await issueToken(
      tx,
      row.person_id,
      'invitation',
      addMinutes(now, INVITATION_DAYS * 24 * 60),
      now,
      {
        structureId: row.structure_id,
        role: row.role,
      },
    );
    const url = linkTo(opts, `/invitation/${token}`);
    await enqueueMail(
      tx,
      {
        to: row.email,
        kind: 'invitation',
        subject: `Invitation à rejoindre ${structure.nom} sur Maillage`,
        text: [
          'Bonjour,',
          '',
          `Vous êtes invité·e à rejoindre « ${structure.nom} » sur Maillage, comme ${ROLE_LABELS[row.role]}.`,
          'Pour accepter, ouvrez ce lien :',
          url,
          '',
          `Ce lien marche une seule fois, pendant ${INVITATION_DAYS} jours. Il remplace celui du message précédent, qui ne marche plus.`,
        ].join('\n'),
      },
      now,
    );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'invitation.resent',
      subjectType: 'person',
      subjectId: row.person_id,
      details: { structureId: row.structure_id, role: row.role, previous: row.id },
      at: now,
    });
    return url;
  });
  return { email: row.email, link };
}

/**
 * How many invitations wait (sent, not accepted, not expired) per structure. Not a policy function: the
 * caller (the coordinator's list, the home page) has decided who sees the counts.
 */
export async function countPendingInvitations(
  db: Db,
  structureIds?: string[],
  opts: { now?: Date } = {},
): Promise<Map<string, number>> {
  return pendingInvitationCounts(db, nowOf(opts), structureIds);
}
