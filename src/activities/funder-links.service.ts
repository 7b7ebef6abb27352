import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { fundedPeriods } from '../funders/funders.service.ts';
import { localToday } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { checkTokenForm, endOfParisDay, type TokenFormValues } from './api-tokens.ts';
import {
  findFunderLink,
  findFunderLinkByHash,
  insertFunderLink,
  listFunderLinkRows,
  revokeFunderLinkRow,
  touchFunderLink,
} from './funder-links.repository.ts';
import {
  hashLinkSecret,
  isLinkSecret,
  LINK_MESSAGES,
  type LinkState,
  linkState,
  newLinkSecret,
} from './funder-links.ts';
import { funderStatistics, type StatisticsView } from './statistics.service.ts';

/**
 * Read-only links to a funder's statistics (decision 0056): a coordinator creates one (a name, an expiry
 * day at most a year ahead), the secret is shown once and only its hash is kept; whoever holds it opens
 * the funder's statistics page — its aggregates only — without an account, until it expires or is
 * revoked. Every creation, revocation, opening and refusal is written in the audit log.
 */

export interface FunderLink {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastOpenedAt: Date | null;
  state: LinkState;
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const funderIdOf = (id: string) => (isUuid(id) ? id.toLowerCase() : id);

/** A funder's links, newest first, with its name (coordinators; an unknown funder is a 404). */
export async function listFunderLinks(
  db: Db,
  actor: Actor,
  input: { funderId: string },
  opts: { now?: Date } = {},
): Promise<{ funderId: string; funderName: string; links: FunderLink[] }> {
  authorize(actor, 'listFunderLinks');
  const funderId = funderIdOf(input.funderId);
  if (!isUuid(funderId)) throw new DomainError('not_found', LINK_MESSAGES.unknownLink);
  const funded = await fundedPeriods(db, funderId);
  const now = nowOf(opts);
  return {
    funderId,
    funderName: funded.name,
    links: (await listFunderLinkRows(db, funderId)).map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastOpenedAt: r.last_opened_at,
      state: linkState(r, now),
    })),
  };
}

/**
 * Creates a link for the funder: a name and an expiry day (after today, at most a year ahead). Returns
 * the secret, shown once; a bad name or day comes back as French messages under each field.
 */
export async function createFunderLink(
  db: Db,
  actor: Actor,
  input: { funderId: string; values: Partial<TokenFormValues> },
  opts: { now?: Date } = {},
): Promise<
  | { ok: true; linkId: string; secret: string; name: string; expiresOn: string }
  | { ok: false; errors: Record<string, string> }
> {
  authorize(actor, 'createFunderLink');
  const funderId = funderIdOf(input.funderId);
  if (!isUuid(funderId)) throw new DomainError('not_found', LINK_MESSAGES.unknownLink);
  await fundedPeriods(db, funderId);
  const now = nowOf(opts);
  const checked = checkTokenForm(input.values, localToday(now));
  if (!checked.ok)
    return {
      ok: false,
      errors: Object.fromEntries(
        Object.entries(checked.errors).map(([k, m]) => [k, m.replace('Nom du jeton', 'Nom du lien')]),
      ),
    };
  const { secret, hash, prefix } = newLinkSecret();
  const linkId = await db.transaction().execute(async (tx) => {
    const id = await insertFunderLink(tx, {
      funder_id: funderId,
      name: checked.name,
      secret_hash: hash,
      prefix,
      created_by: actorId(actor),
      created_at: now,
      expires_at: endOfParisDay(checked.expiresOn),
    });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'funder_link.created',
      subjectType: 'funder',
      subjectId: funderId,
      details: { linkId: id, lien: `« ${checked.name} » (${prefix}…)`, expiration: checked.expiresOn },
      at: now,
    });
    return id;
  });
  return { ok: true, linkId, secret, name: checked.name, expiresOn: checked.expiresOn };
}

/** Revokes one of the funder's links: it stops opening at once. Revoking twice changes nothing. */
export async function revokeFunderLink(
  db: Db,
  actor: Actor,
  input: { funderId: string; linkId: string },
  opts: { now?: Date } = {},
): Promise<{ revoked: boolean }> {
  authorize(actor, 'revokeFunderLink');
  const funderId = funderIdOf(input.funderId);
  const link = isUuid(input.linkId) ? await findFunderLink(db, input.linkId.toLowerCase()) : undefined;
  // Another funder's link is refused like an unknown one.
  if (!link || link.funder_id !== funderId) throw new DomainError('not_found', LINK_MESSAGES.unknownLink);
  const now = nowOf(opts);
  return db.transaction().execute(async (tx) => {
    const revoked = await revokeFunderLinkRow(tx, link.id, actorId(actor), now);
    if (revoked)
      await recordAudit(tx, {
        actorId: actorId(actor),
        actorLabel: actorLabel(actor),
        action: 'funder_link.revoked',
        subjectType: 'funder',
        subjectId: funderId,
        details: { linkId: link.id, lien: `« ${link.name} » (${link.prefix}…)` },
        at: now,
      });
    return { revoked };
  });
}

export type LinkOpening =
  | { state: 'unknown' | 'expired' | 'revoked' }
  | { state: 'active'; view: StatisticsView; expiresAt: Date };

/**
 * Opens a funder's statistics with a link, for anybody holding it: the same page and figures as the
 * funder's people see (aggregates of what it funds), nothing else. Each opening is audited; an expired
 * or revoked link is refused (and audited), an unknown one is answered without a lookup of its form.
 */
export async function openFunderLink(
  db: Db,
  actor: Actor,
  input: { secret: string; query: Record<string, string | undefined>; what: 'page' | 'export' },
  opts: { now?: Date } = {},
): Promise<LinkOpening> {
  authorize(actor, 'openFunderLink');
  if (!isLinkSecret(input.secret)) return { state: 'unknown' };
  const link = await findFunderLinkByHash(db, hashLinkSecret(input.secret));
  if (!link) return { state: 'unknown' };
  const now = nowOf(opts);
  const state = linkState(link, now);
  const audit = (action: 'funder_link.opened' | 'funder_link.refused', extra: Record<string, unknown>) =>
    recordAudit(db, {
      actorId: null,
      actorLabel: 'anonyme',
      action,
      subjectType: 'funder',
      subjectId: link.funder_id,
      details: { linkId: link.id, lien: `« ${link.name} » (${link.prefix}…)`, ...extra },
      at: now,
    });
  if (state !== 'active') {
    await audit('funder_link.refused', { motif: state === 'revoked' ? 'révoqué' : 'expiré' });
    return { state };
  }
  // The link stands for the funder it was made for, and for nothing else: a person of that funder.
  const linkActor: Actor = {
    kind: 'person',
    personId: link.id,
    networkRole: null,
    memberships: [],
    funderIds: [link.funder_id],
  };
  const view = await funderStatistics(db, linkActor, { funderId: link.funder_id, query: input.query }, opts);
  await audit('funder_link.opened', { ouverture: input.what === 'export' ? 'export' : 'page' });
  await touchFunderLink(db, link.id, now);
  return { state: 'active', view, expiresAt: link.expires_at };
}
