import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { countEvent, withinLimit } from '../limits/limits.service.ts';
import { addDays, localToday } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import {
  type ActiviteResource,
  type ApiQuery,
  encodeCursor,
  listHref,
  MIN_RECORDS,
  MIN_STRUCTURES,
  shown,
  toResource,
} from './activities-api.ts';
import {
  aggregateByMonth,
  aggregateByTheme,
  findApiToken,
  findApiTokenByHash,
  insertApiToken,
  listApiActivities,
  listApiTokenRows,
  lockAndFindActiveTokenNamed,
  revokeApiTokenRow,
  touchApiToken,
} from './api-tokens.repository.ts';
import {
  API_MESSAGES,
  checkTokenForm,
  endOfParisDay,
  hashSecret,
  nameTaken,
  newSecret,
  parseBearer,
  type Scope,
  type TokenFormValues,
  type TokenState,
  tokenState,
} from './api-tokens.ts';

/**
 * API tokens of a structure (decision 0040): its administrators — not its other staff, not a
 * coordinator, not a funder — create, list and revoke the tokens that let the structure's own tools
 * read its activity records through `GET /api/v1/activites`. The secret is shown once; every creation,
 * revocation and use is written in the audit log. Callers without a token get the network's figures,
 * never a record.
 */

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scope: Scope;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  state: TokenState;
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const UNKNOWN_STRUCTURE = "Cette structure n'existe pas.";
const UNKNOWN_TOKEN = "Ce jeton n'existe pas (ou plus) pour cette structure.";

function structureOf(input: { structureId: string }): string {
  return isUuid(input.structureId) ? input.structureId.toLowerCase() : input.structureId;
}

/** A structure's tokens, the newest first, with their state (actif, expiré, révoqué). */
export async function listApiTokens(
  db: Db,
  actor: Actor,
  input: { structureId: string },
  opts: { now?: Date } = {},
): Promise<ApiToken[]> {
  const structureId = structureOf(input);
  authorize(actor, 'listApiTokens', { structureId });
  if (!isUuid(structureId)) throw new DomainError('not_found', UNKNOWN_STRUCTURE, { structureId });
  const now = nowOf(opts);
  return (await listApiTokenRows(db, structureId)).map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scope: r.scope,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    state: tokenState(r, now),
  }));
}

/**
 * Creates a token for the structure: a name and an expiry day (after today, at most a year ahead),
 * the scope "read the activities". Returns the secret, to be shown once: only its hash is kept.
 */
export async function createApiToken(
  db: Db,
  actor: Actor,
  input: { structureId: string; values: Partial<TokenFormValues> },
  opts: { now?: Date } = {},
): Promise<
  | { ok: true; tokenId: string; secret: string; name: string; expiresOn: string }
  | { ok: false; errors: Record<string, string> }
> {
  const structureId = structureOf(input);
  authorize(actor, 'createApiToken', { structureId });
  if (!isUuid(structureId)) throw new DomainError('not_found', UNKNOWN_STRUCTURE, { structureId });
  const now = nowOf(opts);
  const checked = checkTokenForm(input.values, localToday(now));
  if (!checked.ok) return checked;
  const { secret, hash, prefix } = newSecret();
  const tokenId = await db.transaction().execute(async (tx) => {
    // A second token of the same name would be a reloaded page (the form sent twice) more often than a
    // wish: names are how people tell their tokens apart in the list.
    if (await lockAndFindActiveTokenNamed(tx, { structureId, name: checked.name, now })) return null;
    const id = await insertApiToken(tx, {
      structure_id: structureId,
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
      action: 'api_token.created',
      subjectType: 'structure',
      subjectId: structureId,
      details: {
        // French keys: the journal shows them as they are (only identifiers are left out).
        tokenId: id,
        jeton: `« ${checked.name} » (${prefix}…)`,
        accès: 'activites:lecture',
        expiration: checked.expiresOn,
      },
      at: now,
    });
    return id;
  });
  if (tokenId === null) return { ok: false, errors: { name: nameTaken(checked.name) } };
  return { ok: true, tokenId, secret, name: checked.name, expiresOn: checked.expiresOn };
}

/** Revokes one of the structure's tokens: it stops working at once. Revoking twice changes nothing. */
export async function revokeApiToken(
  db: Db,
  actor: Actor,
  input: { structureId: string; tokenId: string },
  opts: { now?: Date } = {},
): Promise<{ revoked: boolean }> {
  const structureId = structureOf(input);
  authorize(actor, 'revokeApiToken', { structureId });
  const token = isUuid(input.tokenId) ? await findApiToken(db, input.tokenId.toLowerCase()) : undefined;
  // Another structure's token is refused like an unknown one: nobody learns which ids exist.
  if (!token || token.structure_id !== structureId)
    throw new DomainError('not_found', UNKNOWN_TOKEN, { tokenId: input.tokenId });
  const now = nowOf(opts);
  return db.transaction().execute(async (tx) => {
    const revoked = await revokeApiTokenRow(tx, token.id, actorId(actor), now);
    if (revoked)
      await recordAudit(tx, {
        actorId: actorId(actor),
        actorLabel: actorLabel(actor),
        action: 'api_token.revoked',
        subjectType: 'structure',
        subjectId: structureId,
        details: { tokenId: token.id, jeton: `« ${token.name} » (${token.prefix}…)` },
        at: now,
      });
    return { revoked };
  });
}

/** Requests a token may make per minute, and requests per minute from one address without a token. */
export const TOKEN_REQUESTS_PER_MINUTE = 60;
export const ANONYMOUS_REQUESTS_PER_MINUTE = 30;
/** Requests carrying a token, known or not, from one address: each costs a lookup, so they are counted. */
export const BEARER_REQUESTS_PER_ADDRESS_PER_MINUTE = 120;

export interface ActiviteList {
  data: ActiviteResource[];
  links: { self: { href: string }; next?: { href: string } };
  meta: {
    total_count: number;
    items_per_page: number;
    total_pages: number;
    has_next_page: boolean;
    has_prev_page: boolean;
  };
}

export type TokenOutcome =
  | { kind: 'ok'; body: ActiviteList }
  | { kind: 'unauthorized'; message: string; error: 'invalid_token' | 'invalid_request' }
  | { kind: 'forbidden'; message: string }
  | { kind: 'too_many'; message: string };

/**
 * The records of a token's structure, in the Coop's API shape, by pages (a cursor of the last day and
 * id), between two days when given. An unknown, malformed, expired or revoked token is refused
 * (unauthorized), a token without the scope too (forbidden); each use of a known token — served or
 * refused — is written in the audit log, and its last use is kept.
 */
export async function listActivitiesWithToken(
  db: Db,
  actor: Actor,
  input: { authorization: string; query: ApiQuery; client: string },
  opts: { now?: Date } = {},
): Promise<TokenOutcome> {
  authorize(actor, 'listActivitiesWithToken');
  const now = nowOf(opts);
  const perAddress = { minutes: 1, now, max: BEARER_REQUESTS_PER_ADDRESS_PER_MINUTE };
  if (!(await withinLimit(db, `api:activites:bearer:${input.client}`, perAddress)))
    return { kind: 'too_many', message: API_MESSAGES.tooMany };
  const bearer = parseBearer(input.authorization);
  if (bearer.kind === 'none')
    return { kind: 'unauthorized', message: API_MESSAGES.malformedHeader, error: 'invalid_request' };
  if (bearer.kind === 'malformed')
    return { kind: 'unauthorized', message: bearer.message, error: 'invalid_token' };
  const token = await findApiTokenByHash(db, hashSecret(bearer.secret));
  if (!token) return { kind: 'unauthorized', message: API_MESSAGES.unknownToken, error: 'invalid_token' };
  const state = tokenState(token, now);
  const audit = (outcome: string, extra: Record<string, unknown> = {}) =>
    recordAudit(db, {
      actorId: null,
      actorLabel: 'jeton',
      action: 'api_token.used',
      subjectType: 'structure',
      subjectId: token.structure_id,
      details: {
        tokenId: token.id,
        jeton: `« ${token.name} » (${token.prefix}…)`,
        résultat: outcome,
        ...extra,
      },
      at: now,
    });
  // Counted per token whatever its state, before anything else: a forgotten job polling with a
  // revoked token is limited like a live one. A refusal is written in the audit log once a minute (the
  // first of its window), not once a request.
  const used = await countEvent(db, `api:activites:token:${token.id}`, { minutes: 1, now });
  const firstRefusal = async () =>
    (await countEvent(db, `api:activites:token-refused:${token.id}`, { minutes: 1, now })) === 1;
  if (state !== 'active') {
    if (await firstRefusal()) await audit(state === 'revoked' ? 'refusé : révoqué' : 'refusé : expiré');
    return {
      kind: 'unauthorized',
      message: state === 'revoked' ? API_MESSAGES.revokedToken : API_MESSAGES.expiredToken,
      error: 'invalid_token',
    };
  }
  if (token.scope !== 'activites:lecture') {
    if (await firstRefusal()) await audit('refusé : portée');
    return { kind: 'forbidden', message: API_MESSAGES.wrongScope };
  }
  if (used > TOKEN_REQUESTS_PER_MINUTE) {
    if (await firstRefusal()) await audit('refusé : trop de requêtes');
    return { kind: 'too_many', message: API_MESSAGES.tooMany };
  }
  const q = input.query;
  const { rows, total } = await listApiActivities(db, token.structure_id, {
    from: q.from,
    to: q.to,
    after: q.after,
    limit: q.size + 1,
  });
  const page = rows.slice(0, q.size);
  const last = page.at(-1);
  const next = rows.length > q.size && last ? encodeCursor(last.date, last.id) : null;
  await touchApiToken(db, token.id, now);
  await audit('servi', {
    activités: page.length,
    ...(q.from ? { du: q.from } : {}),
    ...(q.to ? { au: q.to } : {}),
  });
  return {
    kind: 'ok',
    body: {
      data: page.map(toResource),
      links: {
        self: { href: listHref(q, q.after ? encodeCursor(q.after.date, q.after.id) : null) },
        ...(next ? { next: { href: listHref(q, next) } } : {}),
      },
      meta: {
        total_count: total,
        items_per_page: q.size,
        total_pages: Math.ceil(total / q.size),
        has_next_page: next !== null,
        has_prev_page: q.after !== null,
      },
    },
  };
}

export interface ActivityAggregates {
  data: {
    type: 'statistiques_activites';
    attributes: {
      du: string;
      au: string;
      activites: { total: number | null; individuel: number | null; collectif: number | null };
      beneficiaires: { total: number | null; individuel: number | null; collectif: number | null };
      par_mois: {
        mois: string;
        individuel: number | null;
        collectif: number | null;
        beneficiaires: number | null;
      }[];
      thematiques: { thematique: string; activites: number | null }[];
    };
  };
  meta: { seuil_activites: number; seuil_structures: number; note: string };
}

/**
 * The network's figures for callers without a token: records and anonymous beneficiaries by kind and by
 * month, and records by theme, over the last twelve complete months — a fixed window, so that two
 * answers cannot be subtracted to isolate a day or a structure. Network-wide only, never by structure;
 * a month's figure counting fewer than MIN_RECORDS records or MIN_STRUCTURES structures is null, a
 * month's beneficiaries are null when either kind is, and every total adds up only the figures shown
 * (a total never gives back a hidden figure).
 */
export async function activityAggregates(
  db: Db,
  actor: Actor,
  input: { client: string },
  opts: { now?: Date } = {},
): Promise<ActivityAggregates | { kind: 'too_many'; message: string }> {
  authorize(actor, 'activityAggregates');
  const now = nowOf(opts);
  const limit = { minutes: 1, now, max: ANONYMOUS_REQUESTS_PER_MINUTE };
  if (!(await withinLimit(db, `api:activites:client:${input.client}`, limit)))
    return { kind: 'too_many', message: API_MESSAGES.tooMany };
  const to = addDays(`${localToday(now).slice(0, 7)}-01`, -1);
  const from = `${addDays(`${to.slice(0, 7)}-01`, -320).slice(0, 7)}-01`;
  const months = await aggregateByMonth(db, from, to);
  const themes = await aggregateByTheme(db, from, to);
  const monthKeys = [...new Set(months.map((m) => m.month))].sort();
  const perMonth = monthKeys.map((mois) => {
    const of = (k: string) => months.find((m) => m.month === mois && m.kind === k);
    const cell = (k: string) => {
      const r = of(k);
      if (!r) return { records: 0 as number | null, participants: 0 };
      const records = shown(r.activities, r.structures, r.activities);
      return { records, participants: records === null ? 0 : r.participants };
    };
    const i = cell('individuel');
    const c = cell('collectif');
    const hidden = i.records === null || c.records === null;
    return { mois, i, c, beneficiaires: hidden ? null : i.participants + c.participants };
  });
  const sum = (pick: (m: (typeof perMonth)[number]) => number | null) =>
    perMonth.reduce((n, m) => n + (pick(m) ?? 0), 0);
  const individuel = sum((m) => m.i.records);
  const collectif = sum((m) => m.c.records);
  const beneficiariesIndividual = sum((m) => (m.i.records === null ? 0 : m.i.participants));
  const beneficiariesCollective = sum((m) => (m.c.records === null ? 0 : m.c.participants));
  return {
    data: {
      type: 'statistiques_activites',
      attributes: {
        du: from,
        au: to,
        activites: { total: individuel + collectif, individuel, collectif },
        beneficiaires: {
          total: beneficiariesIndividual + beneficiariesCollective,
          individuel: beneficiariesIndividual,
          collectif: beneficiariesCollective,
        },
        par_mois: perMonth.map((m) => ({
          mois: m.mois,
          individuel: m.i.records,
          collectif: m.c.records,
          beneficiaires: m.beneficiaires,
        })),
        thematiques: themes.map((t) => ({
          thematique: t.theme,
          activites: shown(t.activities, t.structures, t.activities),
        })),
      },
    },
    meta: {
      seuil_activites: MIN_RECORDS,
      seuil_structures: MIN_STRUCTURES,
      note: `Chiffres de tout le réseau sur les douze derniers mois complets, jamais par structure ni par personne. Un chiffre d'un mois qui compte moins de ${MIN_RECORDS} activités ou moins de ${MIN_STRUCTURES} structures vaut null ; les totaux n'additionnent que les chiffres montrés. Les activités d'une structure, et d'autres dates : jeton de la structure (Authorization: Bearer).`,
    },
  };
}
