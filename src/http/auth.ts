import type { Context, ContextVariableMap } from 'hono';
import type { AppEnv } from './app-env.ts';

/** The session set by the accounts middleware (its type is declared by accounts.routes.tsx). */
type Auth = NonNullable<ContextVariableMap['auth']>;

/**
 * The signed-in person with a complete session, or a redirect to the step still due (sign-in, second
 * factor, mandatory TOTP enrolment). Every page behind sign-in starts with it; the service then decides
 * with the policy module whether this person may do what the page does.
 */
export function requireSession(c: Context<AppEnv>): Auth | Response {
  const auth = c.get('auth');
  if (!auth) return c.redirect('/connexion', 303);
  if (auth.stage === 'second_factor') return c.redirect('/connexion/code', 303);
  if (auth.stage === 'totp_enrolment' && c.req.path !== '/compte/double-authentification')
    return c.redirect('/compte/double-authentification', 303);
  return auth;
}

/**
 * Who acts on a public page: the signed-in person (complete session only), or an anonymous visitor. The
 * service decides with the policy module; public functions let anyone in.
 */
export function actorOf(c: Context<AppEnv>): Auth['actor'] {
  const auth = c.get('auth');
  return auth?.stage === 'full' ? auth.actor : { kind: 'anonymous' };
}
