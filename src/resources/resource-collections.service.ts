import { type Actor, authorize, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureNames } from '../structures/structures.service.ts';
import {
  type CollectionRow,
  collectionItems,
  deleteCollectionRow,
  findCollection,
  findResource,
  insertCollection,
  listCollectionRows,
  lockCollection,
  renameCollectionRow,
  searchResources,
  writeCollectionItems,
} from './resources.repository.ts';
import { chosenStructure, isMember, ownScope, type Resource, toResources } from './resources.service.ts';
import { COLLECTION_NAME_MAX, type ResourceIssue } from './resources.ts';

/**
 * A structure's collections of resources (decision 0042): a name and an ordered list. Everybody sees
 * them, each person the resources in them that they may see; the structure's members and the
 * coordinators rename them, order them and delete them (the resources stay).
 */

const UNKNOWN = 'Cette collection n’existe pas.';

export interface Collection {
  id: string;
  structureId: string;
  structureName: string;
  name: string;
  count: number;
}

async function toCollections(db: Db, rows: CollectionRow[]): Promise<Collection[]> {
  const names = await structureNames(
    db,
    rows.map((r) => r.structure_id),
  );
  return rows.map((r) => ({
    id: r.id,
    structureId: r.structure_id,
    structureName: names.get(r.structure_id) ?? 'Structure',
    name: r.name,
    count: r.count,
  }));
}

/** Every collection (their resources are filtered by what the actor may see on each page). */
export async function listCollections(db: Db, actor: Actor): Promise<{ collections: Collection[] }> {
  authorize(actor, 'listCollections');
  return { collections: await toCollections(db, await listCollectionRows(db)) };
}

/**
 * A collection's page: its resources in order (those the actor may see), and for its structure's
 * members the resources that may be added.
 */
export async function getCollection(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ collection: Collection; resources: Resource[]; canEdit: boolean; addable: Resource[] }> {
  authorize(actor, 'getCollection');
  const key = input.id.toLowerCase();
  const row = isUuid(key) ? await findCollection(db, key) : undefined;
  if (!row) throw new DomainError('not_found', UNKNOWN, { id: input.id });
  const [collection] = await toCollections(db, [row]);
  if (!collection) throw new DomainError('not_found', UNKNOWN, { id: input.id });
  const ids = await collectionItems(db, row.id);
  const found = await searchResources(db, {
    words: [],
    theme: null,
    publicOnly: !isMember(actor),
    limit: 1000,
    ids,
  });
  const byId = new Map((await toResources(db, found)).map((r) => [r.id, r]));
  const resources = ids.flatMap((id) => byId.get(id) ?? []);
  const canEdit = can(actor, 'changeCollection', { structureId: row.structure_id });
  const addable = canEdit
    ? (
        await toResources(
          db,
          await searchResources(db, { words: [], theme: null, publicOnly: false, limit: 300 }),
        )
      ).filter((r) => !ids.includes(r.id))
    : [];
  return { collection, resources, canEdit, addable };
}

/** A collection's name: spaces tidied, 1 to 120 characters. */
function checkName(raw: string): { ok: true; value: string } | { ok: false; issues: ResourceIssue[] } {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name)
    return { ok: false, issues: [{ field: 'nom', message: 'Nom : donnez un nom à la collection.' }] };
  if ([...name].length > COLLECTION_NAME_MAX)
    return {
      ok: false,
      issues: [{ field: 'nom', message: `Nom : ${COLLECTION_NAME_MAX} caractères au plus.` }],
    };
  return { ok: true, value: name };
}

/** A new, empty collection of one of the person's structures. */
export async function createCollection(
  db: Db,
  actor: Actor,
  input: { structureId: string; name: string },
): Promise<{ ok: true; id: string } | { ok: false; issues: ResourceIssue[] }> {
  const structureId = chosenStructure(actor, input.structureId);
  authorize(actor, 'createCollection', isUuid(structureId) ? { structureId } : {});
  const name = checkName(input.name);
  if (!name.ok) return name;
  return { ok: true, id: await insertCollection(db, { structure_id: structureId, name: name.value }) };
}

/** A collection its structure may change (or any, for a coordinator); an unknown id tells nobody more. */
async function ownCollection(
  db: Db,
  actor: Actor,
  fn: 'changeCollection' | 'renameCollection' | 'prepareCollectionDelete' | 'deleteCollection',
  id: string,
): Promise<CollectionRow> {
  const key = id.toLowerCase();
  const row = isUuid(key) ? await findCollection(db, key) : undefined;
  if (!row) {
    // Those who may change their own structure's collections learn it does not exist; others are refused.
    authorize(actor, fn, ownScope(actor));
    throw new DomainError('not_found', UNKNOWN, { id });
  }
  authorize(actor, fn, { structureId: row.structure_id });
  return row;
}

/** Renames a collection: its structure's members and the coordinators. */
export async function renameCollection(
  db: Db,
  actor: Actor,
  input: { id: string; name: string },
): Promise<{ ok: true } | { ok: false; issues: ResourceIssue[] }> {
  const row = await ownCollection(db, actor, 'renameCollection', input.id);
  authorize(actor, 'renameCollection', { structureId: row.structure_id });
  const name = checkName(input.name);
  if (!name.ok) return name;
  await renameCollectionRow(db, row.id, name.value);
  return { ok: true };
}

/** The deletion's confirmation page: the collection and how many resources it lists (they stay). */
export async function prepareCollectionDelete(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ collection: Collection }> {
  const row = await ownCollection(db, actor, 'prepareCollectionDelete', input.id);
  authorize(actor, 'prepareCollectionDelete', { structureId: row.structure_id });
  const [collection] = await toCollections(db, [row]);
  if (!collection) throw new DomainError('not_found', UNKNOWN, { id: input.id });
  return { collection };
}

/** Deletes a collection and its list; the resources in it are not deleted. */
export async function deleteCollection(
  db: Db,
  actor: Actor,
  input: { id: string; confirmed: boolean },
): Promise<{ name: string }> {
  const row = await ownCollection(db, actor, 'deleteCollection', input.id);
  authorize(actor, 'deleteCollection', { structureId: row.structure_id });
  if (!input.confirmed)
    throw new DomainError(
      'invalid_input',
      'Confirmation : utilisez le bouton « Supprimer la collection » de la page de confirmation.',
      { field: 'confirmer' },
    );
  await deleteCollectionRow(db, row.id);
  return { name: row.name };
}

const COLLECTION_ACTIONS = ['ajouter', 'retirer', 'monter', 'descendre'] as const;
export type CollectionAction = (typeof COLLECTION_ACTIONS)[number];

/**
 * Adds a resource to a collection (at the end), removes one, or moves one up or down: its structure's
 * members and the coordinators. The order is rewritten in one transaction, the collection locked.
 */
export async function changeCollection(
  db: Db,
  actor: Actor,
  input: { id: string; action: string; resourceId: string },
): Promise<{ action: CollectionAction }> {
  const row = await ownCollection(db, actor, 'changeCollection', input.id);
  authorize(actor, 'changeCollection', { structureId: row.structure_id });
  const action = COLLECTION_ACTIONS.find((a) => a === input.action);
  if (!action)
    throw new DomainError('invalid_input', 'Action : choisissez ajouter, retirer, monter ou descendre.', {
      field: 'action',
    });
  const resourceId = input.resourceId.trim().toLowerCase();
  const resource = isUuid(resourceId) ? await findResource(db, resourceId) : undefined;
  if (!resource)
    throw new DomainError('invalid_input', 'Ressource : choisissez une ressource de la liste.', {
      field: 'ressource',
    });
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    // Deleted between the read above and this lock: said as for an unknown collection, not a 500.
    if (!(await lockCollection(tx, row.id))) throw new DomainError('not_found', UNKNOWN, { id: row.id });
    const ids = await collectionItems(tx, row.id);
    const at = ids.indexOf(resource.id);
    if (action === 'ajouter') {
      if (at >= 0) throw new DomainError('conflict', 'Cette ressource est déjà dans la collection.');
      ids.push(resource.id);
    } else if (at < 0) throw new DomainError('conflict', 'Cette ressource n’est plus dans la collection.');
    else if (action === 'retirer') ids.splice(at, 1);
    else {
      const to = action === 'monter' ? at - 1 : at + 1;
      if (to < 0 || to >= ids.length) return;
      [ids[at], ids[to]] = [ids[to] as string, ids[at] as string];
    }
    await writeCollectionItems(tx, row.id, ids);
  });
  return { action };
}
