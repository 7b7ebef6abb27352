import type { Db } from '../../src/db/database.ts';

/**
 * Shared vocabulary of the authorisation matrix (src/accounts/authorization-matrix.test.ts). Each domain
 * added later keeps its own expectations in a file of this folder, merged by the matrix test, so
 * that domains do not all edit one table.
 */
export const ROLES = [
  'anonymous',
  'coordinator',
  'funder',
  'structure_admin',
  'staff',
  'other_structure',
  'volunteer',
] as const;
export type Role = (typeof ROLES)[number];
export const EVERYONE: readonly Role[] = ROLES;
export const SIGNED_IN: readonly Role[] = ROLES.filter((r) => r !== 'anonymous');
/** Signed-in people of the network: everybody signed in but a volunteer (rule `network_person`). */
export const NETWORK_PEOPLE: readonly Role[] = SIGNED_IN.filter((r) => r !== 'volunteer');
/** A volunteer only (rule `volunteer`, decision 0044). */
export const VOLUNTEER: readonly Role[] = ['volunteer'];
export const COORDINATOR: readonly Role[] = ['coordinator'];
/** Coordinators and administrators of the demo structure (other_structure is staff of another one). */
export const STRUCTURE_ADMINS: readonly Role[] = ['coordinator', 'structure_admin'];
/** Coordinators and members of the demo structure. */
export const STRUCTURE_MEMBERS: readonly Role[] = ['coordinator', 'structure_admin', 'staff'];
/** Members of the demo structure only, not coordinators (rule `structure_member_only`). */
export const MEMBERS_ONLY: readonly Role[] = ['structure_admin', 'staff'];
/** Administrators of the demo structure only, not coordinators (rule `structure_admin_only`). */
export const ADMINS_ONLY: readonly Role[] = ['structure_admin'];
/** Members of any structure, and coordinators (rule `any_member`). */
export const ANY_MEMBER: readonly Role[] = ['coordinator', 'structure_admin', 'staff', 'other_structure'];
export const NOBODY: readonly Role[] = [];

export interface Expectation {
  /** Who gets the page (the others get 401/403 or are sent to /connexion). */
  who: readonly Role[];
  /**
   * The path to request when the pattern has parameters. `:name` words are replaced by samples: the
   * built-in `:place`, `:import`, `:asset`, `:structure` (the demo structure of structure_admin and
   * staff), and those a domain's `samples` returns.
   */
  sample?: string;
  /** The status the allowed roles get, when not 2xx/3xx (a dead single-use link: 410). */
  status?: number;
}

export interface DomainAccess {
  /** 'METHOD /pattern' → expectation, for every route the domain registers. */
  routes: Record<string, Expectation>;
  /** Policy function → who may call it (for the demo structure), for the domain's POLICY entries. */
  functions: Record<string, readonly Role[]>;
  /** The domain's service modules (`import * as x from …service.ts`), to check the names exist. */
  services: Record<string, unknown>[];
  /** Sample ids for the `:name` words of the domain's sample paths, read from the demo database. */
  samples?: (db: Db) => Promise<Record<string, string>>;
}
