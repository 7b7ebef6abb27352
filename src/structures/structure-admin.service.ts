import { countPendingInvitations } from '../accounts/invitations.service.ts';
import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { parseEmail } from '../shared/email.ts';
import { isUuid } from '../shared/ids.ts';
import { normalizePhone } from '../shared/phone.ts';
import { cleanLine, foldForSearch, searchWords } from '../shared/text.ts';
import {
  communesOfStructures,
  type StructureSort,
  searchStructureList,
  updateStructureRow,
} from './structure-list.repository.ts';
import { findStructureSummary } from './structures.repository.ts';
import {
  KINDS,
  kindChoices,
  MESSAGES,
  pivotSchema,
  SEARCH_MAX_LENGTH,
  structureNameSchema,
} from './structures.ts';

/**
 * The coordinator's work on the structures of the network: the list searched, filtered (kind, commune,
 * without administrator, something waiting) and sorted, by pages; a structure's name, kind, SIRET/RNA
 * and contact edited. Every filter is checked: a value that is not one of the choices is named in
 * French, never a 500.
 */

export const LIST_PAGE_SIZE = 50;
export const SORTS: readonly { code: StructureSort; label: string }[] = [
  { code: 'nom', label: 'Nom (A à Z)' },
  { code: 'recent', label: 'Les plus récentes' },
  { code: 'lieux', label: 'Le plus de lieux' },
  { code: 'membres', label: 'Le plus de membres' },
];

export interface ListQuery {
  q?: string | undefined;
  type?: string | undefined;
  commune?: string | undefined;
  admin?: string | undefined;
  attente?: string | undefined;
  tri?: string | undefined;
  page?: string | undefined;
}

export interface ListedStructure {
  id: string;
  name: string;
  pivot: string;
  kinds: string[];
  contactEmail: string | null;
  contactPhone: string | null;
  members: number;
  admins: number;
  places: number;
  pendingRequests: number;
  pendingInvitations: number;
}

export interface StructureList {
  /** The filters as understood (an invalid one is dropped and named in `errors`). */
  filters: {
    q: string;
    kind: string;
    commune: string;
    withoutAdmin: boolean;
    pending: boolean;
    sort: StructureSort;
    page: number;
  };
  errors: Record<string, string>;
  structures: ListedStructure[];
  total: number;
  pages: number;
  choices: { kinds: { code: string; label: string }[]; communes: { code: string; name: string }[] };
}

/**
 * The network's structures for the coordinator: search by name (any order, accents ignored) or the
 * start of a SIRET/RNA; filters by kind, by commune (of its places), without administrator, with a join
 * request or an invitation waiting; sorted by name, newest, most places or members; 50 a page. `total`
 * counts every structure matching, not only the page.
 */
export async function searchNetworkStructures(
  db: Db,
  actor: Actor,
  input: ListQuery,
): Promise<StructureList> {
  authorize(actor, 'searchNetworkStructures');
  const errors: Record<string, string> = {};
  const communes = await communesOfStructures(db);
  const q = cleanLine(input.q ?? '').slice(0, 200);
  let words: string[] = [];
  let pivotPrefix: string | null = null;
  if (Array.from(q).length > SEARCH_MAX_LENGTH) errors.q = `Nom ou SIRET : ${MESSAGES.searchTooLong}`;
  else if (q !== '') {
    const compact = q.replace(/[\s.]/g, '').toUpperCase();
    pivotPrefix = /^(\d{3,14}|W\d{2,9})$/.test(compact) ? compact : null;
    words = pivotPrefix ? [] : searchWords(foldForSearch(q));
  }
  let kind = input.type ?? '';
  if (kind !== '' && !KINDS.includes(kind)) {
    errors.type = 'Type de structure : ce type n’existe pas. Choisissez un type dans la liste.';
    kind = '';
  }
  let commune = input.commune ?? '';
  if (commune !== '' && !communes.some((c) => c.code === commune)) {
    errors.commune = `Commune : « ${commune.slice(0, 40)} » n’est pas une commune des lieux des structures. Choisissez une commune dans la liste.`;
    commune = '';
  }
  const sortCode = input.tri ?? 'nom';
  const sort = SORTS.find((s) => s.code === sortCode)?.code ?? 'nom';
  if (sort !== sortCode) errors.tri = 'Trier par : choisissez un ordre dans la liste.';
  let page = 1;
  if (input.page !== undefined && input.page !== '') {
    page = /^\d{1,4}$/.test(input.page) ? Number(input.page) : 0;
    if (page < 1) {
      errors.page = 'Page : le numéro de page doit être un nombre entier, 1 ou plus.';
      page = 1;
    }
  }
  const withoutAdmin = input.admin === 'sans';
  const pending = input.attente === 'oui';
  const invitations = pending ? await countPendingInvitations(db) : new Map<string, number>();
  const { rows, total } = await searchStructureList(db, {
    words,
    pivotPrefix,
    kind: kind || null,
    communeCode: commune || null,
    withoutAdmin,
    pending: pending ? { ids: [...invitations.keys()] } : null,
    sort,
    limit: LIST_PAGE_SIZE,
    offset: (page - 1) * LIST_PAGE_SIZE,
  });
  const counts = pending
    ? invitations
    : await countPendingInvitations(
        db,
        rows.map((r) => r.id),
      );
  return {
    filters: { q, kind, commune, withoutAdmin, pending, sort, page },
    errors,
    structures: rows.map((r) => ({
      id: r.id,
      name: r.nom,
      pivot: r.pivot,
      kinds: r.typologie,
      contactEmail: r.contact_email,
      contactPhone: r.contact_phone,
      members: r.members,
      admins: r.admins,
      places: r.places,
      pendingRequests: r.pending_requests,
      pendingInvitations: counts.get(r.id) ?? 0,
    })),
    total,
    pages: Math.max(1, Math.ceil(total / LIST_PAGE_SIZE)),
    choices: { kinds: kindChoices(), communes },
  };
}

export interface StructureEditValues {
  name: string;
  kind: string;
  pivot: string;
  contactEmail: string;
  contactPhone: string;
}

/** A structure's form values as stored (coordinators). */
export async function getStructureForEdit(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<{ id: string; name: string; values: StructureEditValues; otherKinds: string[] }> {
  authorize(actor, 'getStructureForEdit');
  const row = isUuid(input.structureId)
    ? await findStructureSummary(db, input.structureId.toLowerCase())
    : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.unknownStructure, { structureId: input.structureId });
  return {
    id: row.id,
    name: row.nom,
    values: {
      name: row.nom,
      kind: row.typologie[0] ?? '',
      pivot: row.pivot,
      contactEmail: row.contact_email ?? '',
      contactPhone: row.contact_phone ?? '',
    },
    otherKinds: row.typologie.slice(1),
  };
}

export type UpdateResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * Changes a structure's name, kind, SIRET/RNA and contact (coordinators). Each field is checked with a
 * French message naming it; nothing is written unless all are right. A new SIRET must pass the check
 * (Luhn, La Poste's rule, never all zeros) and belong to no other structure; an unchanged one is kept
 * as imported even when it fails the check. The kind chosen comes first, other imported kinds stay.
 */
export async function updateStructure(
  db: Db,
  actor: Actor,
  input: { structureId: string } & StructureEditValues,
  opts: { now?: Date } = {},
): Promise<UpdateResult> {
  authorize(actor, 'updateStructure');
  const current = await getStructureForEdit(db, actor, { structureId: input.structureId });
  const errors: Record<string, string> = {};
  const name = structureNameSchema.safeParse(input.name);
  if (!name.success) errors.name = `Nom : ${name.error.issues[0]?.message ?? ''}`;
  if (input.kind === '') errors.kind = `Type de structure : ${MESSAGES.kindRequired}`;
  else if (!KINDS.includes(input.kind)) errors.kind = `Type de structure : ${MESSAGES.kindUnknown}`;
  const typedPivot = input.pivot.replace(/[\s.]/g, '').toUpperCase();
  let pivot = current.values.pivot;
  if (typedPivot !== current.values.pivot) {
    const parsed = pivotSchema.safeParse(input.pivot);
    if (parsed.success) pivot = parsed.data;
    else errors.pivot = parsed.error.issues[0]?.message ?? MESSAGES.pivotRequired;
  }
  const emailText = cleanLine(input.contactEmail);
  const email = emailText === '' ? null : parseEmail(emailText);
  if (emailText !== '' && (email === null || email.length > 254))
    errors.contactEmail = `E-mail de contact : « ${emailText.slice(0, 80)} » n'est pas une adresse valide. Elle doit ressembler à nom@exemple.fr.`;
  const phoneText = cleanLine(input.contactPhone);
  const phone = phoneText === '' ? null : normalizePhone(phoneText);
  if (phoneText !== '' && phone === null)
    errors.contactPhone = `Téléphone de contact : « ${phoneText.slice(0, 40)} » n'est pas un numéro de téléphone. Écrivez par exemple 02 38 00 00 00.`;
  if (Object.keys(errors).length > 0 || !name.success) return { ok: false, errors };
  const typologie = [input.kind, ...current.otherKinds.filter((k) => k !== input.kind)];
  const now = opts.now ?? new Date();
  const outcome = await db.transaction().execute(async (tx) => {
    const result = await updateStructureRow(tx, current.id, {
      nom: name.data,
      typologie,
      pivot,
      contact_email: email,
      contact_phone: phone,
    });
    if (result !== 'updated') return result;
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'structure.updated',
      subjectType: 'structure',
      subjectId: current.id,
      details: {
        name: name.data,
        kinds: typologie,
        pivot,
        ...(pivot !== current.values.pivot ? { previousPivot: current.values.pivot } : {}),
      },
      at: now,
    });
    return result;
  });
  if (outcome === 'pivot_taken')
    return {
      ok: false,
      errors: { pivot: 'SIRET ou RNA : une autre structure a déjà ce SIRET ou ce numéro RNA.' },
    };
  if (outcome === 'missing') throw new DomainError('not_found', MESSAGES.unknownStructure);
  return { ok: true };
}
