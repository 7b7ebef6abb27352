import type { Db } from '../db/database.ts';
import { communesOfStructures } from './structure-list.repository.ts';
import {
  type AudienceFilter,
  listAudienceMemberships,
  listStructureSummaries,
} from './structures.repository.ts';
import { describeKind } from './structures.ts';

/**
 * Who belongs to which structure, for a message of the coordination to the network (messages/): the
 * memberships matching a choice of structures, and the choices themselves. Neither is a policy
 * function: the messages service's own rule (coordinators) has decided before calling.
 */

export type { AudienceFilter } from './structures.repository.ts';

export interface AudienceMembership {
  personId: string;
  email: string;
  displayName: string;
  /** Whether the person has chosen a password: an account never activated is not written to. */
  activated: boolean;
  structureId: string;
  structureName: string;
  role: 'structure_admin' | 'staff';
}

/**
 * The memberships matching the filter (structures chosen, of a kind, with a place in a commune;
 * administrators only or every member), one per person and structure, by structure name.
 */
export async function networkAudience(db: Db, filter: AudienceFilter): Promise<AudienceMembership[]> {
  return (await listAudienceMemberships(db, filter)).map((r) => ({
    personId: r.person_id,
    email: r.email,
    displayName: r.display_name,
    activated: r.has_password,
    structureId: r.structure_id,
    structureName: r.structure_name,
    role: r.role,
  }));
}

export interface AudienceChoices {
  structures: { id: string; name: string; members: number; admins: number }[];
  /** The kinds at least one structure has, by label. */
  kinds: { code: string; label: string }[];
  /** The communes of the structures' places, by name. */
  communes: { code: string; name: string }[];
}

/** What the coordinator may choose from: the structures with their member counts, kinds, communes. */
export async function audienceChoices(db: Db): Promise<AudienceChoices> {
  const [structures, communes] = await Promise.all([listStructureSummaries(db), communesOfStructures(db)]);
  const kinds = [...new Set(structures.flatMap((s) => s.typologie))]
    .map((code) => ({ code, label: describeKind(code) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  return {
    structures: structures.map((s) => ({ id: s.id, name: s.nom, members: s.members, admins: s.admins })),
    kinds,
    communes,
  };
}
