import { createHash } from 'node:crypto';
import { personName } from '../accounts/accounts.service.ts';
import { type Actor, actorId, actorLabel, authorize, can } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueMails, mailDelivery } from '../mail/mail.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { uuidOrNull } from '../shared/ids.ts';
import {
  type AudienceChoices,
  type AudienceMembership,
  audienceChoices,
  networkAudience,
} from '../structures/structures-audience.service.ts';
import {
  findMessage,
  findMessageByToken,
  insertMessageOnce,
  insertRecipients,
  listMessages,
  listMessagesToPurge,
  mailIdsOf,
  purgeRecipients,
} from './messages.repository.ts';
import {
  describeAudience,
  EMPTY_FORM,
  type Errors,
  MAX_RECIPIENTS,
  MESSAGES,
  type MessageDraft,
  type MessageForm,
  mailText,
  parseMessageForm,
  reasonLine,
  SUGGESTED_SUBJECTS,
} from './messages.ts';

/**
 * The coordination writes to the members of the network (decision 0030): a form, a preview that says
 * how many people will receive the message and from which structures, then one mail per person through
 * the outbox, saying who wrote and why the person receives it. The message and, for as long as the
 * outbox keeps the mails, the list of its recipients are stored; every send is in the journal.
 */

/** What the mails need of the installation's configuration. */
export interface MessageSettings {
  networkName: string;
  publicUrl: string;
  /** The coordination's address for answers (NETWORK_CONTACT), or null. */
  replyTo: string | null;
  now?: Date;
}

/** The form's page: values (prefilled or as typed), problems, and what may be chosen. */
export interface ComposeView {
  values: MessageForm;
  errors: Errors;
  choices: AudienceChoices;
}

/** What the preview shows, and what the send form carries. */
export interface Preview {
  values: MessageForm;
  draft: MessageDraft;
  audienceText: string;
  recipients: number;
  /** People of the audience left out because they never activated their account. */
  excluded: number;
  /** The structures concerned, by name, with how many recipients each brings (a person may count twice). */
  structures: { id: string; name: string; recipients: number }[];
  /** The single-use token of this send (a second submission sends nothing). */
  token: string;
  /** Who the preview counted, as a fingerprint: the send goes out only to these very people. */
  audienceKey: string;
}

/** The count and a fingerprint of the people of an audience (the same count with other people differs). */
function audienceKeyOf(people: readonly { personId: string }[]): string {
  const ids = people.map((p) => p.personId).sort();
  return `${ids.length}.${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16)}`;
}

export type PrepareResult = { ok: true; preview: Preview } | { ok: false; view: ComposeView };

interface Resolved {
  audienceText: string;
  /** One entry per person who will receive the message, with the memberships that brought them in. */
  people: { personId: string; email: string; displayName: string; memberships: AudienceMembership[] }[];
  excluded: number;
  structures: Preview['structures'];
}

/** The audience of a checked draft: each person once, accounts never activated left out. */
async function resolveAudience(
  db: Db,
  draft: MessageDraft,
  choices: AudienceChoices,
): Promise<{ ok: true; resolved: Resolved } | { ok: false; errors: Errors }> {
  const errors: Errors = {};
  const names = new Map(choices.structures.map((s) => [s.id, s.name]));
  const kind = draft.kind ? choices.kinds.find((k) => k.code === draft.kind) : undefined;
  const commune = draft.commune ? choices.communes.find((c) => c.code === draft.commune) : undefined;
  const unknown = draft.structureIds.find((id) => !names.has(id));
  if (unknown) errors.structures = MESSAGES.structureUnknown(unknown);
  if (draft.scope === 'kind' && !kind) errors.kind = MESSAGES.kindUnknown(draft.kind ?? '');
  if (draft.scope === 'commune' && !commune) errors.commune = MESSAGES.communeUnknown(draft.commune ?? '');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const memberships = await networkAudience(db, {
    structureIds: draft.scope === 'structures' ? draft.structureIds : null,
    kind: draft.scope === 'kind' ? draft.kind : null,
    communeCode: draft.scope === 'commune' ? draft.commune : null,
    adminsOnly: draft.role === 'admins',
  });
  const active = memberships.filter((m) => m.activated);
  if (draft.scope === 'structures') {
    const empty = draft.structureIds.find((id) => !active.some((m) => m.structureId === id));
    if (empty)
      return {
        ok: false,
        errors: {
          structures: MESSAGES.structureWithoutMember(names.get(empty) ?? '', draft.role === 'admins'),
        },
      };
  }
  const byPerson = new Map<string, Resolved['people'][number]>();
  for (const m of active) {
    const person = byPerson.get(m.personId) ?? {
      personId: m.personId,
      email: m.email,
      displayName: m.displayName,
      memberships: [],
    };
    person.memberships.push(m);
    byPerson.set(m.personId, person);
  }
  const inactive = new Set(memberships.filter((m) => !m.activated).map((m) => m.personId));
  const structures = new Map<string, Preview['structures'][number]>();
  for (const m of active) {
    const s = structures.get(m.structureId) ?? { id: m.structureId, name: m.structureName, recipients: 0 };
    s.recipients++;
    structures.set(m.structureId, s);
  }
  if (byPerson.size === 0) return { ok: false, errors: { scope: MESSAGES.nobody } };
  if (byPerson.size > MAX_RECIPIENTS)
    return { ok: false, errors: { scope: MESSAGES.tooMany(byPerson.size) } };
  const audienceText = describeAudience(draft, {
    structureNames: draft.structureIds.map((id) => names.get(id) ?? ''),
    ...(kind ? { kindLabel: kind.label } : {}),
    ...(commune ? { communeName: commune.name } : {}),
  });
  return {
    ok: true,
    resolved: {
      audienceText,
      people: [...byPerson.values()],
      excluded: inactive.size,
      structures: [...structures.values()],
    },
  };
}

/** The form's values from a draft: what the preview carries to the send, cleaned once. */
function formOf(draft: MessageDraft): MessageForm {
  return {
    subject: draft.subject,
    body: draft.body,
    scope: draft.scope,
    role: draft.role,
    structures: draft.structureIds,
    kind: draft.kind ?? '',
    commune: draft.commune ?? '',
  };
}

async function check(
  db: Db,
  form: MessageForm,
): Promise<
  | { ok: true; draft: MessageDraft; resolved: Resolved; choices: AudienceChoices }
  | { ok: false; view: ComposeView }
> {
  const choices = await audienceChoices(db);
  const parsed = parseMessageForm(form);
  if (!parsed.ok) return { ok: false, view: { values: form, errors: parsed.errors, choices } };
  const resolved = await resolveAudience(db, parsed.draft, choices);
  if (!resolved.ok) return { ok: false, view: { values: form, errors: resolved.errors, choices } };
  return { ok: true, draft: parsed.draft, resolved: resolved.resolved, choices };
}

/**
 * The form to write to the network (coordinators): empty, or prefilled from a link (`?structure=` one
 * or more structures, `?motif=` a suggested subject), or with the values of a preview to modify. A
 * structure of the link that does not exist is left out and named in the problems.
 */
export async function composeNetworkMessage(
  db: Db,
  actor: Actor,
  input: { structures?: string[]; motif?: string; form?: MessageForm } = {},
): Promise<ComposeView> {
  authorize(actor, 'composeNetworkMessage');
  const choices = await audienceChoices(db);
  if (input.form) return { values: input.form, errors: {}, choices };
  const errors: Errors = {};
  const known = new Set(choices.structures.map((s) => s.id));
  const structures: string[] = [];
  for (const raw of input.structures ?? []) {
    const id = uuidOrNull(raw.trim());
    if (id && known.has(id)) {
      if (!structures.includes(id)) structures.push(id);
    } else errors.structures = MESSAGES.prefillUnknownStructure(raw);
  }
  const subject = (input.motif && SUGGESTED_SUBJECTS[input.motif]) || '';
  return {
    values: { ...EMPTY_FORM, subject, ...(structures.length > 0 ? { scope: 'structures', structures } : {}) },
    errors,
    choices,
  };
}

/**
 * The preview of a message (coordinators): the text checked (subject up to 150 characters, text up to
 * 10,000), the audience resolved — each person once, however many of the chosen structures they belong
 * to; accounts never activated left out and counted; at most 5,000 people — and a single-use token for
 * the send. Nothing is written.
 */
export async function prepareNetworkMessage(db: Db, actor: Actor, form: MessageForm): Promise<PrepareResult> {
  authorize(actor, 'prepareNetworkMessage');
  const checked = await check(db, form);
  if (!checked.ok) return checked;
  const { draft, resolved } = checked;
  return {
    ok: true,
    preview: {
      values: formOf(draft),
      draft,
      audienceText: resolved.audienceText,
      recipients: resolved.people.length,
      audienceKey: audienceKeyOf(resolved.people),
      excluded: resolved.excluded,
      structures: resolved.structures,
      token: crypto.randomUUID(),
    },
  };
}

export type SendResult =
  | { ok: true; messageId: string; duplicate: boolean; recipients: number }
  | { ok: false; view: ComposeView }
  /** Back to the preview: the token was not valid, or the audience changed since the preview. */
  | { ok: false; preview: Preview; problem: string };

/**
 * Sends a previewed message (coordinators): the audience is resolved again on the server from the
 * choices (never from a list of people sent by the browser); if it no longer has the number of people
 * the preview showed, the preview is shown again. In one transaction: the message, one mail per person
 * in the outbox (in batches), the list of recipients and the journal entry. A second submission of the
 * same preview (refresh, back button, double click) sends nothing and returns the first message.
 */
export async function sendNetworkMessage(
  db: Db,
  actor: Actor,
  input: { form: MessageForm; token: string; expectedRecipients: string },
  settings: MessageSettings,
): Promise<SendResult> {
  authorize(actor, 'sendNetworkMessage');
  const token = uuidOrNull(input.token.trim());
  if (token) {
    const sent = await findMessageByToken(db, token);
    if (sent) return { ok: true, messageId: sent.id, duplicate: true, recipients: sent.recipient_count };
  }
  const checked = await check(db, input.form);
  if (!checked.ok) return checked;
  const { draft, resolved } = checked;
  const preview: Preview = {
    values: formOf(draft),
    draft,
    audienceText: resolved.audienceText,
    recipients: resolved.people.length,
    audienceKey: audienceKeyOf(resolved.people),
    excluded: resolved.excluded,
    structures: resolved.structures,
    token: token ?? crypto.randomUUID(),
  };
  if (!token) return { ok: false, preview, problem: MESSAGES.tokenInvalid };
  const expected = Number(input.expectedRecipients.split('.')[0]);
  if (input.expectedRecipients !== preview.audienceKey)
    return {
      ok: false,
      preview,
      problem: MESSAGES.audienceChanged(Number.isFinite(expected) ? expected : 0, resolved.people.length),
    };
  const now = settings.now ?? new Date();
  const senderName =
    (actor.kind === 'person' ? await personName(db, actor.personId) : null) ?? 'La coordination';
  const outcome = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const messageId = await insertMessageOnce(tx, {
      sent_by: actorId(actor),
      sent_by_name: senderName.slice(0, 200),
      sent_at: now,
      subject: draft.subject,
      body: draft.body,
      audience: JSON.stringify({
        scope: draft.scope,
        role: draft.role,
        structureIds: draft.structureIds,
        kind: draft.kind,
        commune: draft.commune,
      }),
      audience_text: resolved.audienceText.slice(0, 2000),
      recipient_count: resolved.people.length,
      excluded_count: resolved.excluded,
      form_token: token,
    });
    if (!messageId) return null;
    const mailIds = await enqueueMails(
      tx,
      resolved.people.map((p) => ({
        to: p.email,
        kind: 'network_message' as const,
        subject: draft.subject,
        text: mailText({
          displayName: p.displayName,
          body: draft.body,
          senderName,
          networkName: settings.networkName,
          reason: reasonLine(p.memberships, settings.networkName),
          replyTo: settings.replyTo,
          publicUrl: settings.publicUrl,
        }),
      })),
      now,
    );
    await insertRecipients(
      tx,
      messageId,
      resolved.people.map((p, k) => ({ personId: p.personId, mailId: mailIds[k] as string })),
    );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'network_message.sent',
      subjectType: 'network_message',
      subjectId: messageId,
      details: {
        recipients: resolved.people.length,
        excludedAccounts: resolved.excluded,
        audience: resolved.audienceText,
      },
      at: now,
    });
    return messageId;
  });
  if (outcome) return { ok: true, messageId: outcome, duplicate: false, recipients: resolved.people.length };
  // Another submission of the same preview committed first: it is the one that was sent.
  const first = await findMessageByToken(db, token);
  if (!first) throw new DomainError('conflict', MESSAGES.tokenInvalid);
  return { ok: true, messageId: first.id, duplicate: true, recipients: first.recipient_count };
}

/** What the outbox says of a message's mails (kept as figures once the list of recipients is purged). */
export interface Delivery {
  sent: number;
  pending: number;
  failed: number;
  /** True once the list of recipients is purged: the figures no longer change. */
  final: boolean;
}

export interface SentMessage {
  id: string;
  sentAt: Date;
  senderName: string;
  subject: string;
  body: string;
  audienceText: string;
  recipients: number;
  excluded: number;
  delivery: Delivery;
}

async function deliveries(
  db: Db,
  rows: Awaited<ReturnType<typeof listMessages>>['rows'],
): Promise<SentMessage[]> {
  const mailIds = await mailIdsOf(
    db,
    rows.filter((r) => r.recipients_purged_at === null).map((r) => r.id),
  );
  return Promise.all(
    rows.map(async (r) => {
      const delivery: Delivery =
        r.recipients_purged_at === null
          ? { ...(await mailDelivery(db, mailIds.get(r.id) ?? [])), final: false }
          : { sent: r.delivered_count ?? 0, pending: 0, failed: r.failed_count ?? 0, final: true };
      return {
        id: r.id,
        sentAt: r.sent_at,
        senderName: r.sent_by_name,
        subject: r.subject,
        body: r.body,
        audienceText: r.audience_text,
        recipients: r.recipient_count,
        excluded: r.excluded_count,
        delivery,
      };
    }),
  );
}

/** The messages sent to the network, newest first, with what the outbox says of their mails (coordinators). */
export async function listNetworkMessages(
  db: Db,
  actor: Actor,
  input: { limit?: number } = {},
): Promise<{ messages: SentMessage[]; total: number }> {
  authorize(actor, 'listNetworkMessages');
  const { rows, total } = await listMessages(db, Math.min(Math.max(input.limit ?? 100, 1), 500));
  return { messages: await deliveries(db, rows), total };
}

/** One sent message, its text, its audience and its delivery (coordinators); unknown: `not_found`. */
export async function viewNetworkMessage(db: Db, actor: Actor, input: { id: string }): Promise<SentMessage> {
  authorize(actor, 'viewNetworkMessage');
  const id = uuidOrNull(input.id);
  const row = id ? await findMessage(db, id) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.messageUnknown);
  const [message] = await deliveries(db, [row]);
  if (!message) throw new DomainError('not_found', MESSAGES.messageUnknown);
  return message;
}

/**
 * The list of a message's recipients is kept `days` days (RETENTION_SENT_MAIL_DAYS, as long as the
 * outbox keeps their mails), then deleted; what the outbox said of the mails (sent, failed) is kept on
 * the message as two figures. Called by the privacy purge before the outbox's own purge. Idempotent.
 */
export async function purgeNetworkMessageRecipients(
  db: Db,
  input: { now: Date; days: number },
): Promise<{ networkMessageRecipients: number }> {
  const before = new Date(input.now.getTime() - input.days * 24 * 3_600_000);
  let purged = 0;
  for (const { id } of await listMessagesToPurge(db, before)) {
    await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      const ids = (await mailIdsOf(tx, [id])).get(id) ?? [];
      const delivery = await mailDelivery(tx, ids);
      purged += await purgeRecipients(
        tx,
        id,
        { delivered: delivery.sent, failed: delivery.failed },
        input.now,
      );
    });
  }
  return { networkMessageRecipients: purged };
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** A message's delivery in words: « 12 remis sur 14, 2 en attente ». */
export function deliveryWords(m: Pick<SentMessage, 'recipients' | 'delivery'>): string {
  const d = m.delivery;
  const parts = [`${d.sent.toLocaleString('fr-FR')} remis sur ${m.recipients.toLocaleString('fr-FR')}`];
  if (d.pending > 0) parts.push(`${d.pending.toLocaleString('fr-FR')} en attente`);
  if (d.failed > 0) parts.push(`${d.failed.toLocaleString('fr-FR')} en échec`);
  return parts.join(', ');
}

const HOME_ITEMS = 3;

/**
 * The coordinator's block of the home page: the messages sent to the network (the last three, their
 * date, subject, recipients and how many mails were delivered), a link to write one and to the list.
 * Nothing for anyone else.
 */
export async function homeBlocks(db: Db, actor: Actor): Promise<HomeBlock[]> {
  if (!can(actor, 'listNetworkMessages') || actor.kind !== 'person') return [];
  const { messages, total } = await listNetworkMessages(db, actor, { limit: HOME_ITEMS });
  const last = messages[0];
  return [
    {
      id: 'messages.sent',
      audience: 'coordinator',
      kind: 'figures',
      title: 'Messages au réseau',
      count: total,
      summary:
        total === 0 || !last
          ? 'Aucun message envoyé au réseau pour le moment.'
          : `${plural(total, 'message envoyé', 'messages envoyés')} au réseau, le dernier le ${frenchDate(last.sentAt)}.`,
      href: '/messages/nouveau',
      linkLabel: 'Écrire aux membres du réseau',
      items: messages.map((m) => ({
        label: `${m.subject}`,
        detail: `le ${frenchDate(m.sentAt)}, ${plural(m.recipients, 'destinataire', 'destinataires')} : ${deliveryWords(m)}`,
        href: `/messages/${m.id}`,
      })),
      more: { href: '/messages', label: 'Voir tous les messages envoyés au réseau' },
    },
  ];
}

/** « 14 mars 2026 », in France's time. */
export function frenchDate(at: Date): string {
  return at.toLocaleDateString('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  });
}
