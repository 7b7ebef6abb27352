import { createHash, randomBytes } from 'node:crypto';

/**
 * Read-only links to a funder's statistics (decision 0056), the pure part: the secret (`mfl_` and 32
 * random bytes in base64url), its stored hash (SHA-256, as API tokens, decision 0040), the messages.
 */

export const LINK_PREFIX = 'mfl_';
const LINK_PATTERN = /^mfl_[A-Za-z0-9_-]{43}$/;

export function newLinkSecret(): { secret: string; hash: string; prefix: string } {
  const secret = `${LINK_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashLinkSecret(secret), prefix: secret.slice(0, LINK_PREFIX.length + 6) };
}

export function hashLinkSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether a path's word has the form of a link secret (anything else is unknown without a lookup). */
export const isLinkSecret = (s: string): boolean => LINK_PATTERN.test(s);

export type LinkState = 'active' | 'expired' | 'revoked';
export const LINK_STATE_LABELS: Record<LinkState, string> = {
  active: 'Actif',
  expired: 'Expiré',
  revoked: 'Révoqué',
};

export function linkState(l: { revoked_at: Date | null; expires_at: Date }, now: Date): LinkState {
  if (l.revoked_at !== null) return 'revoked';
  return l.expires_at.getTime() <= now.getTime() ? 'expired' : 'active';
}

export const LINK_MESSAGES = {
  unknown:
    "Ce lien n'existe pas. Vérifiez qu'il a été copié en entier, ou demandez un nouveau lien à la coordination du réseau.",
  expired: 'Ce lien a expiré. Demandez un nouveau lien à la coordination du réseau qui vous l’a transmis.',
  revoked:
    'Ce lien a été révoqué par la coordination du réseau. Demandez-lui un nouveau lien si vous en avez besoin.',
  unknownLink: "Ce lien n'existe pas pour ce financeur.",
} as const;
