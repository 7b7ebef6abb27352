import { createHash } from 'node:crypto';
import { type Actor, authorize, can } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { isUuid } from '../shared/ids.ts';
import { structureNames } from '../structures/structures.service.ts';
import { DEMO_RESOURCES } from './demo-resources.ts';
import {
  closeReport,
  collectionsOf,
  countAllOpenReports,
  countOpenReports,
  countResources,
  deleteDemoResources,
  deleteResourceRow,
  findReport,
  findResource,
  insertCollection,
  insertReport,
  insertResource,
  listClosedReports,
  listOpenReports,
  type ReportRow,
  type ResourceRow,
  readResourceFile,
  replaceFileRow,
  searchResources,
  updateResourceRow,
  writeCollectionItems,
} from './resources.repository.ts';
import {
  checkFile,
  checkResourceForm,
  formatBytes,
  REPORT_ANSWER_MAX,
  REPORT_REASONS,
  REPORT_TEXT_MAX,
  RESOURCE_THEMES,
  type ReportReason,
  type ResourceForm,
  type ResourceIssue,
  type ResourceValues,
  searchTextOf,
  searchWords,
} from './resources.ts';

/**
 * The resource bank (decision 0042): the network's structures share tutorials, guides, videos, files
 * (kept in the database) and links; the network's members see them all, the public those marked public.
 * Members report a resource "obsolète / erreur"; the sharing structure sees the report on its home page
 * until it closes it. Structures gather resources in ordered collections.
 */

export const NOT_FOUND = 'Cette ressource n’existe pas ou a été retirée.';
const LIST_MAX = 100;

/** Members of the network (a structure's staff, coordinators, the command line) see every resource. */
export function isMember(actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  return actor.kind === 'person' && (actor.networkRole === 'coordinator' || actor.memberships.length > 0);
}

/** A resource as the pages show it. */
export interface Resource {
  id: string;
  structureId: string;
  structureName: string;
  title: string;
  summary: string;
  kind: ResourceRow['kind'];
  themes: string[];
  licence: ResourceRow['licence'];
  audience: ResourceRow['audience'];
  isPublic: boolean;
  url: string | null;
  file: { name: string; contentType: string; size: number; sha256: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

function toResource(row: ResourceRow, names: Map<string, string>): Resource {
  return {
    id: row.id,
    structureId: row.structure_id,
    structureName: names.get(row.structure_id) ?? 'Structure',
    title: row.title,
    summary: row.summary,
    kind: row.kind,
    themes: row.themes,
    licence: row.licence,
    audience: row.audience,
    isPublic: row.is_public,
    url: row.url,
    file:
      row.file_name && row.content_type && row.size_bytes !== null && row.sha256
        ? { name: row.file_name, contentType: row.content_type, size: row.size_bytes, sha256: row.sha256 }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function toResources(db: Db, rows: ResourceRow[]): Promise<Resource[]> {
  const names = await structureNames(
    db,
    rows.map((r) => r.structure_id),
  );
  return rows.map((r) => toResource(r, names));
}

/** The resource if the actor may see it; `not_found` otherwise (nobody learns a hidden one exists). */
async function visibleResource(db: Db, actor: Actor, id: string): Promise<ResourceRow> {
  const key = id.toLowerCase();
  const row = isUuid(key) ? await findResource(db, key) : undefined;
  if (!row || (!row.is_public && !isMember(actor))) throw new DomainError('not_found', NOT_FOUND, { id });
  return row;
}

export interface ResourceSearch {
  query: string;
  theme: string;
}

/**
 * `/ressources`: the newest first, filtered by words (every word in the title or the summary, accents
 * and case ignored) and a theme; members see every resource, others the public ones. At most 100.
 */
export async function listResources(
  db: Db,
  actor: Actor,
  input: ResourceSearch,
): Promise<{ items: Resource[]; total: number; member: boolean; theme: string }> {
  authorize(actor, 'listResources');
  const member = isMember(actor);
  const theme = RESOURCE_THEMES.some((t) => t.value === input.theme) ? input.theme : '';
  const filter = { words: searchWords(input.query), theme: theme || null, publicOnly: !member };
  const rows = await searchResources(db, { ...filter, limit: LIST_MAX });
  const total = rows.length < LIST_MAX ? rows.length : await countResources(db, filter);
  return { items: await toResources(db, rows), total, member, theme };
}

/** A resource's page: the resource, its collections, and what the actor may do with it. */
export async function getResource(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{
  resource: Resource;
  collections: { id: string; name: string }[];
  canEdit: boolean;
  canReport: boolean;
  /** `text`, the reporter's own words, only for the structure that shares the resource (it was told so). */
  answered: { reason: ReportRow['reason']; text: string | null; answer: string; closedAt: Date }[];
}> {
  authorize(actor, 'getResource');
  const row = await visibleResource(db, actor, input.id);
  const [resource] = await toResources(db, [row]);
  if (!resource) throw new DomainError('not_found', NOT_FOUND, { id: input.id });
  const canEdit = can(actor, 'updateResource', { structureId: row.structure_id });
  return {
    resource,
    collections: await collectionsOf(db, row.id),
    canEdit,
    canReport: can(actor, 'reportResource'),
    // What the structure answered to the network's reports: for the network's members only.
    answered: isMember(actor)
      ? (await listClosedReports(db, row.id, 5)).flatMap((r) =>
          r.answer && r.closed_at
            ? [{ reason: r.reason, text: canEdit ? r.text : null, answer: r.answer, closedAt: r.closed_at }]
            : [],
        )
      : [],
  };
}

/** A resource's file, to be served as an attachment (the type is Maillage's own, never the uploader's). */
export async function downloadResourceFile(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ fileName: string; contentType: string; sha256: string; bytes: Uint8Array; isPublic: boolean }> {
  authorize(actor, 'downloadResourceFile');
  const row = await visibleResource(db, actor, input.id);
  const file = await readResourceFile(db, row.id);
  if (!file)
    throw new DomainError('not_found', 'Cette ressource n’a pas de fichier : c’est un lien.', { id: row.id });
  return {
    fileName: file.file_name,
    contentType: file.content_type,
    sha256: file.sha256,
    bytes: file.bytes,
    isPublic: row.is_public,
  };
}

/** The structures a person may share for (their own); none for people without a structure. */
export async function prepareResourceShare(
  db: Db,
  actor: Actor,
): Promise<{ structures: { id: string; name: string }[] }> {
  authorize(actor, 'prepareResourceShare');
  if (actor.kind !== 'person') return { structures: [] };
  const ids = actor.memberships.map((m) => m.structureId);
  const names = await structureNames(db, ids);
  return { structures: ids.map((id) => ({ id, name: names.get(id) ?? 'Ma structure' })) };
}

export type ShareResult = { ok: true; id: string } | { ok: false; issues: ResourceIssue[] };

/** The structure a form names, or the person's first one when it names none. */
export function chosenStructure(actor: Actor, structureId: string): string {
  const id = structureId.trim().toLowerCase();
  if (id) return id;
  return actor.kind === 'person' ? (actor.memberships[0]?.structureId ?? '') : '';
}

/**
 * Shares a resource for one of the person's structures: a file (checked by `checkFile`: size, type,
 * bytes) or an http(s) link, exactly one. Every problem is returned at once, naming its field; nothing is
 * written unless all is right. The resource and its file are written in one transaction.
 */
export async function shareResource(
  db: Db,
  actor: Actor,
  input: { structureId: string; form: ResourceForm; file: { name: string; bytes: Uint8Array } | null },
  opts: { maxBytes: number; now?: Date },
): Promise<ShareResult> {
  const structureId = chosenStructure(actor, input.structureId);
  authorize(actor, 'shareResource', isUuid(structureId) ? { structureId } : {});
  const hasFile = input.file !== null && input.file.bytes.byteLength + input.file.name.length > 0;
  const hasLink = input.form.url.trim() !== '';
  const checked = checkResourceForm(input.form, hasLink ? 'link' : 'file');
  const issues: ResourceIssue[] = checked.ok ? [] : [...checked.issues];
  let file: { name: string; contentType: string; bytes: Uint8Array } | null = null;
  if (hasFile && hasLink)
    issues.push({
      field: 'fichier',
      message:
        'Fichier ou lien : donnez l’un ou l’autre, pas les deux (videz le champ « Lien » pour envoyer le fichier).',
    });
  else if (!hasFile && !hasLink)
    issues.push({
      field: 'fichier',
      message: 'Fichier ou lien : choisissez un fichier à envoyer, ou donnez un lien.',
    });
  else if (hasFile && input.file) {
    const f = checkFile(input.file.name, input.file.bytes, opts.maxBytes);
    if (f.ok) file = { name: f.fileName, contentType: f.contentType, bytes: input.file.bytes };
    else issues.push({ field: 'fichier', message: f.message });
  }
  if (!checked.ok || issues.length) return { ok: false, issues };
  const v = checked.value;
  const now = opts.now ?? new Date();
  const id = await db.transaction().execute((trx) =>
    insertResource(
      trx as unknown as Db,
      {
        ...rowValues(v),
        structure_id: structureId,
        author_id: actor.kind === 'person' ? actor.personId : null,
        created_at: now,
        updated_at: now,
      },
      file
        ? {
            file_name: file.name,
            content_type: file.contentType,
            size_bytes: file.bytes.byteLength,
            sha256: createHash('sha256').update(file.bytes).digest('hex'),
            bytes: file.bytes,
          }
        : null,
    ),
  );
  return { ok: true, id };
}

const rowValues = (v: ResourceValues) => ({
  title: v.title,
  summary: v.summary,
  kind: v.kind,
  themes: v.themes,
  licence: v.licence,
  audience: v.audience,
  is_public: v.isPublic,
  url: v.url,
  search_text: searchTextOf(v.title, v.summary),
});

/** The scope of the actor's own (first) structure: an unknown id is judged as if it were theirs. */
export function ownScope(actor: Actor): { structureId?: string } {
  const first = actor.kind === 'person' ? actor.memberships[0] : undefined;
  return first ? { structureId: first.structureId } : {};
}

/** A resource of the actor's structure (or any, for a coordinator); unknown ids say nothing to others. */
async function ownResource(
  db: Db,
  actor: Actor,
  fn: 'getResourceForEdit' | 'updateResource' | 'replaceResourceFile' | 'deleteResource',
  id: string,
): Promise<ResourceRow> {
  const key = id.toLowerCase();
  const row = isUuid(key) ? await findResource(db, key) : undefined;
  if (!row) {
    // Those who may change their own structure's resources learn it does not exist; others are refused.
    authorize(actor, fn, ownScope(actor));
    throw new DomainError('not_found', NOT_FOUND, { id });
  }
  authorize(actor, fn, { structureId: row.structure_id });
  return row;
}

/** The edit form's resource: its structure's members (and coordinators). */
export async function getResourceForEdit(db: Db, actor: Actor, input: { id: string }): Promise<Resource> {
  const row = await ownResource(db, actor, 'getResourceForEdit', input.id);
  authorize(actor, 'getResourceForEdit', { structureId: row.structure_id });
  const [resource] = await toResources(db, [row]);
  if (!resource) throw new DomainError('not_found', NOT_FOUND, { id: input.id });
  return resource;
}

/**
 * Changes a resource's description (and a link's address): the sharing structure's members and the
 * coordinators. A file is not replaced here: share the new one and delete the old.
 */
export async function updateResource(
  db: Db,
  actor: Actor,
  input: { id: string; form: ResourceForm },
  opts: { now?: Date } = {},
): Promise<ShareResult> {
  const row = await ownResource(db, actor, 'updateResource', input.id);
  authorize(actor, 'updateResource', { structureId: row.structure_id });
  const checked = checkResourceForm(input.form, row.url !== null ? 'link' : 'file');
  if (!checked.ok) return checked;
  const v = checked.value;
  await updateResourceRow(db, row.id, {
    ...rowValues(v),
    url: row.url !== null ? v.url : null,
    updated_at: opts.now ?? new Date(),
  });
  return { ok: true, id: row.id };
}

/**
 * Replaces a file resource's file with a new version (the same checks as sharing: size, type, bytes):
 * the old bytes are overwritten in the same row, the date of change and the ETag (its SHA-256) move on,
 * and the audit log keeps who replaced which file by which. A link's resource has no file to replace.
 */
export async function replaceResourceFile(
  db: Db,
  actor: Actor,
  input: { id: string; file: { name: string; bytes: Uint8Array } | null },
  opts: { maxBytes: number; now?: Date },
): Promise<ShareResult> {
  const row = await ownResource(db, actor, 'replaceResourceFile', input.id);
  authorize(actor, 'replaceResourceFile', { structureId: row.structure_id });
  if (row.url !== null || !row.file_name)
    throw new DomainError(
      'invalid_input',
      'Fichier : cette ressource est un lien, elle n’a pas de fichier.',
      {
        field: 'fichier',
      },
    );
  const given = input.file;
  if (!given || given.bytes.byteLength + given.name.length === 0)
    return { ok: false, issues: [{ field: 'fichier', message: 'Fichier : choisissez le nouveau fichier.' }] };
  const f = checkFile(given.name, given.bytes, opts.maxBytes);
  if (!f.ok) return { ok: false, issues: [{ field: 'fichier', message: f.message }] };
  const sha256 = createHash('sha256').update(given.bytes).digest('hex');
  const now = opts.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const file = {
      file_name: f.fileName,
      content_type: f.contentType,
      size_bytes: given.bytes.byteLength,
      sha256,
      bytes: given.bytes,
    };
    if (!(await replaceFileRow(tx, row.id, file, now)))
      throw new DomainError('not_found', NOT_FOUND, { id: row.id });
    await recordAudit(tx, {
      actorId: actor.kind === 'person' ? actor.personId : null,
      actorLabel: actor.kind === 'person' ? 'personne' : 'cli',
      action: 'resource.file_replaced',
      subjectType: 'resource',
      subjectId: row.id,
      details: {
        title: row.title,
        newFile: `${f.fileName} (${formatBytes(given.bytes.byteLength)})`,
        oldFile: row.file_name,
        sha256,
        previousSha256: row.sha256,
      },
      at: now,
    });
  });
  return { ok: true, id: row.id };
}

/** Deletes a resource with its file, reports and places in collections, once confirmed. */
export async function deleteResource(
  db: Db,
  actor: Actor,
  input: { id: string; confirmed: boolean },
): Promise<{ title: string }> {
  const row = await ownResource(db, actor, 'deleteResource', input.id);
  authorize(actor, 'deleteResource', { structureId: row.structure_id });
  if (!input.confirmed)
    throw new DomainError(
      'invalid_input',
      'Confirmation : cochez la case « Je confirme la suppression » pour supprimer la ressource.',
      { field: 'confirmer' },
    );
  await deleteResourceRow(db, row.id);
  return { title: row.title };
}

/**
 * "Obsolète / erreur": a signed-in member of the network says what is wrong; the sharing structure sees
 * it on its home page until it closes it.
 */
export async function reportResource(
  db: Db,
  actor: Actor,
  input: { id: string; reason: string; text: string },
  opts: { now?: Date } = {},
): Promise<{ ok: true } | { ok: false; issues: ResourceIssue[] }> {
  authorize(actor, 'reportResource');
  const row = await visibleResource(db, actor, input.id);
  const issues: ResourceIssue[] = [];
  const reason = REPORT_REASONS.find((r) => r.value === input.reason)?.value;
  if (!reason) issues.push({ field: 'motif', message: 'Motif : choisissez « obsolète » ou « erreur ».' });
  const text = input.text.trim();
  if (!text) issues.push({ field: 'precision', message: 'Précision : dites ce qui n’est plus juste.' });
  else if ([...text].length > REPORT_TEXT_MAX)
    issues.push({ field: 'precision', message: `Précision : ${REPORT_TEXT_MAX} caractères au plus.` });
  if (!reason || issues.length) return { ok: false, issues };
  await insertReport(db, {
    resource_id: row.id,
    reporter_id: actor.kind === 'person' ? actor.personId : null,
    reason: reason as ReportReason,
    text,
    created_at: opts.now ?? new Date(),
  });
  return { ok: true };
}

export interface ResourceReport {
  id: string;
  resourceId: string;
  title: string;
  structureName: string;
  reason: ReportRow['reason'];
  text: string;
  createdAt: Date;
}

/** The open reports of the person's structures' resources (every structure's, for a coordinator). */
export async function listResourceReports(db: Db, actor: Actor): Promise<ResourceReport[]> {
  authorize(actor, 'listResourceReports');
  const coordinator =
    actor.kind === 'system' || (actor.kind === 'person' && actor.networkRole === 'coordinator');
  const rows = await listOpenReports(
    db,
    coordinator ? null : actor.kind === 'person' ? actor.memberships.map((m) => m.structureId) : [],
  );
  const names = await structureNames(
    db,
    rows.map((r) => r.structure_id),
  );
  return rows.map((r) => ({
    id: r.id,
    resourceId: r.resource_id,
    title: r.title,
    structureName: names.get(r.structure_id) ?? 'Structure',
    reason: r.reason,
    text: r.text,
    createdAt: r.created_at,
  }));
}

/**
 * Marks a report "traité" with a short answer (what was fixed, or why nothing needed to be): the
 * sharing structure's members (and the coordinators). The answer shows on the resource's page.
 */
export async function closeResourceReport(
  db: Db,
  actor: Actor,
  input: { id: string; answer: string },
  opts: { now?: Date } = {},
): Promise<{ ok: true; title: string } | { ok: false; issues: ResourceIssue[] }> {
  const key = input.id.toLowerCase();
  const row = isUuid(key) ? await findReport(db, key) : undefined;
  if (!row) {
    authorize(actor, 'closeResourceReport', ownScope(actor));
    throw new DomainError('not_found', 'Ce signalement n’existe pas.', { id: input.id });
  }
  authorize(actor, 'closeResourceReport', { structureId: row.structure_id });
  const answer = input.answer.trim();
  const field = `reponse-${row.id}`;
  if (!answer)
    return {
      ok: false,
      issues: [
        { field, message: `Réponse sur « ${row.title} » : dites en quelques mots ce qui a été fait.` },
      ],
    };
  if ([...answer].length > REPORT_ANSWER_MAX)
    return {
      ok: false,
      issues: [{ field, message: `Réponse sur « ${row.title} » : ${REPORT_ANSWER_MAX} caractères au plus.` }],
    };
  const closed = await closeReport(db, row.id, {
    now: opts.now ?? new Date(),
    answer,
    closedBy: actor.kind === 'person' ? actor.personId : null,
  });
  if (!closed) throw new DomainError('conflict', 'Ce signalement est déjà traité.', { id: row.id });
  return { ok: true, title: row.title };
}

// --- demonstration and home page ---

/**
 * The demonstration's resources (demo-resources.ts: text files written for it and links to public
 * pages), shared by demo structures 0 and 1, a collection of structure 0, and one open report on a
 * resource of structure 0 (its home page shows it). The server's first start only.
 */
export async function seedDemoResources(
  db: Db,
  actor: Actor,
  input: {
    first: { structureId: string; personId: string };
    second: { structureId: string; personId: string };
  },
  opts: { now?: Date } = {},
): Promise<number> {
  authorize(actor, 'seedDemoResources');
  const now = opts.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const ids: string[] = [];
    for (const [i, demo] of DEMO_RESOURCES.entries()) {
      const owner = demo.structure === 0 ? input.first : input.second;
      const bytes = demo.file ? new TextEncoder().encode(demo.file.text) : null;
      const at = new Date(now.getTime() - (DEMO_RESOURCES.length - i) * 86_400_000);
      ids.push(
        await insertResource(
          tx,
          {
            ...rowValues({ ...demo.values, url: demo.values.url ?? null }),
            structure_id: owner.structureId,
            author_id: owner.personId,
            is_demo: true,
            created_at: at,
            updated_at: at,
          },
          demo.file && bytes
            ? {
                file_name: demo.file.name,
                content_type: 'text/plain; charset=utf-8',
                size_bytes: bytes.byteLength,
                sha256: createHash('sha256').update(bytes).digest('hex'),
                bytes,
              }
            : null,
        ),
      );
    }
    const collection = await insertCollection(tx, {
      structure_id: input.first.structureId,
      name: 'Premiers pas pour les nouveaux médiateurs',
      is_demo: true,
    });
    await writeCollectionItems(
      tx,
      collection,
      ids.filter((_, i) => DEMO_RESOURCES[i]?.structure === 0),
    );
    const reported = ids.find((_, i) => DEMO_RESOURCES[i]?.reported);
    if (reported)
      await insertReport(tx, {
        resource_id: reported,
        reporter_id: input.second.personId,
        reason: 'outdated',
        text: 'Le site des impôts a changé sa page d’accueil : les captures ne correspondent plus.',
        created_at: now,
      });
    return ids.length;
  });
}

/** Deletes the demonstration's resources and collections (`demo remove`). */
export async function removeDemoResources(db: Db, actor: Actor): Promise<number> {
  authorize(actor, 'removeDemoResources');
  return deleteDemoResources(db);
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * For each structure of the person: its resources reported obsolete or wrong, until it answers. For a
 * coordinator: the open reports of the whole network (who has not answered yet), to follow up.
 */
export async function homeBlocks(db: Db, actor: Actor): Promise<HomeBlock[]> {
  if (actor.kind !== 'person' || !can(actor, 'listResourceReports')) return [];
  const blocks: HomeBlock[] = [];
  const ids = actor.memberships.map((m) => m.structureId);
  if (ids.length) {
    const counts = await countOpenReports(db, ids);
    const open = await listOpenReports(db, ids);
    const names = await structureNames(db, ids);
    for (const structureId of ids) {
      const n = counts.find((c) => c.structure_id === structureId)?.n ?? 0;
      blocks.push({
        id: 'resources.reported',
        audience: 'structure' as const,
        structureName: names.get(structureId) ?? 'Ma structure',
        title: 'Ressources signalées',
        count: n,
        summary: `${plural(n, 'signalement attend', 'signalements attendent')} votre réponse : ressource obsolète ou erreur.`,
        href: '/ressources/signalements',
        linkLabel: 'Voir les signalements',
        items: open
          .filter((r) => r.structure_id === structureId)
          .slice(0, 5)
          .map((r) => ({
            label: r.title,
            detail: r.reason === 'outdated' ? 'obsolète' : 'erreur',
            href: `/ressources/${r.resource_id}`,
          })),
        more: { href: '/ressources', label: 'Voir la banque de ressources' },
      });
    }
  }
  if (actor.networkRole === 'coordinator') {
    const n = await countAllOpenReports(db);
    const oldest = n ? (await listOpenReports(db, null)).slice(0, 5) : [];
    const names = await structureNames(
      db,
      oldest.map((r) => r.structure_id),
    );
    blocks.push({
      id: 'resources.reported_network',
      audience: 'coordinator',
      title: 'Ressources signalées dans le réseau',
      count: n,
      summary: `${plural(n, 'signalement attend', 'signalements attendent')} la réponse de la structure qui a partagé la ressource.`,
      href: '/ressources/signalements',
      linkLabel: 'Voir les signalements du réseau',
      items: oldest.map((r) => ({
        label: r.title,
        detail: `${r.reason === 'outdated' ? 'obsolète' : 'erreur'} · ${names.get(r.structure_id) ?? 'Structure'}`,
        href: `/ressources/${r.resource_id}`,
      })),
    });
  }
  return blocks;
}
