import { DomainError } from '../shared/domain-error.ts';
import { MESSAGES, type NetworkRole, type StructureRole } from './accounts.ts';

/**
 * The one policy module: every service function that needs a decision is listed here with who may call
 * it. Services call `authorize` before doing anything; routes only redirect anonymous visitors to the
 * sign-in page. The authorisation matrix test iterates over POLICY, so a function missing here is a
 * failing test, not a hole.
 */
export type Actor =
  | { kind: 'anonymous' }
  /** The command line on the server: whoever can run it already holds the database. */
  | { kind: 'system' }
  | {
      kind: 'person';
      personId: string;
      networkRole: NetworkRole | null;
      memberships: readonly { structureId: string; role: StructureRole }[];
    };

export type Rule =
  /** Anybody, signed in or not (sign-in, link requests, token holders). */
  | 'anyone'
  /** The command line only. */
  | 'system'
  /** A signed-in person acting on their own account. */
  | 'self'
  /** The network's coordinators (and the command line). */
  | 'coordinator'
  /** Coordinators, and administrators of the structure concerned. */
  | 'structure_admin'
  /** Coordinators, and any member of the structure concerned. */
  | 'structure_member';

export const POLICY = {
  createCoordinator: 'system',
  listAccounts: 'coordinator',
  inviteToStructure: 'structure_admin',
  acceptInvitation: 'anyone',
  signInWithPassword: 'anyone',
  requestSignInLink: 'anyone',
  signInWithLink: 'anyone',
  verifySecondFactor: 'anyone',
  requestPasswordReset: 'anyone',
  resetPassword: 'anyone',
  startTotpEnrolment: 'self',
  confirmTotpEnrolment: 'self',
  signOutEverywhere: 'self',
  exportMyData: 'self',
  deleteMyAccount: 'self',
  listDemoOutbox: 'coordinator',
  demoTotpCode: 'system',
  listStructureMembers: 'structure_member',
  analyseNetworkCoverage: 'coordinator',
  importCoverageWeights: 'coordinator',
} as const satisfies Record<string, Rule>;

export type PolicyFunction = keyof typeof POLICY;

/** Whether the actor may call the function (for a structure, when the rule concerns one). */
export function can(actor: Actor, fn: PolicyFunction, scope: { structureId?: string } = {}): boolean {
  const rule: Rule = POLICY[fn];
  if (rule === 'anyone') return true;
  if (actor.kind === 'system') return rule !== 'self';
  if (rule === 'system' || actor.kind !== 'person') return false;
  if (rule === 'self') return true;
  if (actor.networkRole === 'coordinator') return true;
  if (rule === 'coordinator') return false;
  const membership = actor.memberships.find((m) => m.structureId === scope.structureId);
  if (!membership) return false;
  return rule === 'structure_member' || membership.role === 'structure_admin';
}

/** Throws `forbidden` unless the actor may call the function. */
export function authorize(actor: Actor, fn: PolicyFunction, scope: { structureId?: string } = {}): void {
  if (!can(actor, fn, scope)) throw new DomainError('forbidden', MESSAGES.forbidden, { function: fn });
}
