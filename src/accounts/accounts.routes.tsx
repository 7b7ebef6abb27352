import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { clientOf } from '../http/client-address.ts';
import { csrfProtection } from '../http/csrf.ts';
import { formFields } from '../http/input.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../http/session.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { renderPage } from '../web/render.ts';
import {
  acceptInvitation,
  deleteMyAccount,
  describeInvitation,
  exportMyData,
  type InvitationView,
  installationSecret,
  listOutbox,
} from './accounts.service.ts';
import { emailSchema, MESSAGES } from './accounts.ts';
import {
  AccountPage,
  ConfirmPage,
  EmailRequestPage,
  type Errors,
  MessagePage,
  NewPasswordPage,
  OutboxPage,
  RecoveryCodesPage,
  SecondFactorPage,
  SignInPage,
  TotpEnrolmentPage,
} from './accounts.views.tsx';
import { ANONYMOUS } from './policy.ts';
import { confirmTotpEnrolment, startTotpEnrolment, verifySecondFactor } from './second-factor.service.ts';
import {
  type CurrentSession,
  type LockScope,
  resolveSession,
  type SignInResult,
  signOut,
  signOutEverywhere,
} from './sessions.service.ts';
import {
  isResetLinkValid,
  requestPasswordReset,
  requestSignInLink,
  resetPassword,
  signInWithLink,
  signInWithPassword,
} from './sign-in.service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in person's session (any stage), or null. */
    auth: CurrentSession | null;
  }
}

const https = (config: Config) => config.publicUrl.startsWith('https://');

/** Session resolution and CSRF protection for every request (registered once in app.tsx). */
export function accountsMiddleware(deps: { db: Db; config: Config }): MiddlewareHandler<AppEnv>[] {
  const secure = https(deps.config);
  let secret: Promise<Buffer> | null = null;
  const resolve: MiddlewareHandler<AppEnv> = async (c, next) => {
    const token = c.req.path.startsWith('/static/') ? undefined : readSessionCookie(c, secure);
    // Before its session is resolved, the request is nobody's: the cookie's token is the key.
    const auth = token ? await resolveSession(deps.db, ANONYMOUS, { token }, { config: deps.config }) : null;
    c.set('auth', auth);
    const page = c.get('page');
    if (auth?.stage === 'full' && page) {
      page.account = { name: auth.person.displayName };
      if (auth.person.networkRole === 'coordinator' && !deps.config.smtpUrl && !deps.config.demoMode)
        page.mailUndelivered = true;
    }
    await next();
  };
  const csrf = csrfProtection({
    https: secure,
    secret: () => {
      // The server checks its own forms: it reads its secret as the system, whoever sent the request.
      secret ??= installationSecret(deps.db, { kind: 'system' }, { name: 'csrf' }).catch((error) => {
        secret = null;
        throw error;
      });
      return secret;
    },
    reject: (c) =>
      renderPage(
        c,
        <ErrorPage
          ctx={c.get('page')}
          status={403}
          message="Ce formulaire a expiré ou ne vient pas de Maillage. Rechargez la page, puis recommencez."
        />,
        403,
      ),
  });
  return [resolve, csrf as MiddlewareHandler<AppEnv>];
}

function afterSignIn(c: Context<AppEnv>, result: SignInResult & { ok: true }): Response {
  setSessionCookie(c, result.sessionToken, result.maxAgeSeconds, https(c.get('config')));
  c.header('Cache-Control', 'no-store');
  return c.redirect(
    result.stage === 'second_factor'
      ? '/connexion/code'
      : result.stage === 'totp_enrolment'
        ? '/compte/double-authentification'
        : '/espace',
    303,
  );
}

const signedIn = requireSession;

const LOCK_MESSAGES: Record<LockScope, string> = {
  account_and_address: MESSAGES.locked,
  address: MESSAGES.lockedAddress,
  account: MESSAGES.lockedAccount,
};

/** The answer to a request for a single-use link: too many requests (429), or "look at your e-mails". */
function linkRequested(c: Context<AppEnv>, result: { status: 'sent' | 'rate_limited' }, sent: string) {
  if (result.status === 'rate_limited')
    return renderPage(
      c,
      <MessagePage ctx={c.get('page')} title="Trop de demandes">
        <p>{MESSAGES.tooManyLinks}</p>
      </MessagePage>,
      429,
    );
  return renderPage(
    c,
    <MessagePage ctx={c.get('page')} title="Regardez vos e-mails">
      <p>{sent}</p>
    </MessagePage>,
  );
}

/** A link that is unknown, used or expired (410), with a way back to the sign-in page if asked. */
function invalidLink(c: Context<AppEnv>, options: { backToSignIn?: boolean } = {}) {
  return renderPage(
    c,
    <MessagePage ctx={c.get('page')} title="Lien non valable">
      <p>{MESSAGES.invalidLink}</p>
      {options.backToSignIn ? (
        <p>
          <a href="/connexion">Revenir à la connexion</a>
        </p>
      ) : null}
    </MessagePage>,
    410,
  );
}

/** Clears the session cookie, and the menu of the page being answered ("Se connecter" again). */
function endSession(c: Context<AppEnv>): void {
  clearSessionCookie(c, https(c.get('config')));
  delete c.get('page').account;
}

/** Sign-in, links, invitation and "my account" pages. */
export function accountsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const opts = (c: Context<AppEnv>) => ({ config: c.get('config') });
  // Pages with tokens or personal data are never cached (only these paths: this app is mounted at /).
  for (const path of [
    '/connexion',
    '/connexion/*',
    '/deconnexion',
    '/mot-de-passe-oublie',
    '/mot-de-passe/*',
    '/invitation/*',
    '/compte',
    '/compte/*',
    '/espace',
  ]) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/connexion', (c) =>
    renderPage(c, <SignInPage ctx={c.get('page')} csrf={c.get('csrfToken')()} errors={{}} />),
  );

  app.post('/connexion', async (c) => {
    const body = await formFields(c);
    const email = emailSchema.safeParse(body.email ?? '');
    const errors: Errors = {};
    if (!email.success) errors.email = email.error.issues[0]?.message ?? MESSAGES.emailInvalid;
    if (!body.password) errors.password = MESSAGES.passwordRequired;
    const page = (status: 401 | 422 | 429, errs: Errors) =>
      renderPage(
        c,
        <SignInPage ctx={c.get('page')} csrf={c.get('csrfToken')()} email={body.email ?? ''} errors={errs} />,
        status,
      );
    if (!email.success || !body.password) return page(422, errors);
    const result = await signInWithPassword(
      c.get('db'),
      ANONYMOUS,
      { email: email.data, password: body.password, client: clientOf(c) },
      opts(c),
    );
    if (result.ok) return afterSignIn(c, result);
    if (result.reason === 'locked') return page(429, { form: LOCK_MESSAGES[result.scope] });
    return page(401, { email: MESSAGES.invalidCredentials });
  });

  app.get('/connexion/code', (c) => {
    if (c.get('auth')?.stage !== 'second_factor') return c.redirect('/connexion', 303);
    return renderPage(c, <SecondFactorPage ctx={c.get('page')} csrf={c.get('csrfToken')()} errors={{}} />);
  });

  app.post('/connexion/code', async (c) => {
    const token = readSessionCookie(c, https(c.get('config')));
    if (!token || c.get('auth')?.stage !== 'second_factor') return c.redirect('/connexion', 303);
    const body = await formFields(c);
    const result = await verifySecondFactor(
      c.get('db'),
      ANONYMOUS,
      { sessionToken: token, code: body.code ?? '' },
      opts(c),
    );
    if (result.ok) return c.redirect('/espace', 303);
    const message =
      result.reason === 'locked'
        ? MESSAGES.secondFactorLocked(
            result.until.toLocaleTimeString('fr-FR', {
              hour: '2-digit',
              minute: '2-digit',
              timeZone: 'Europe/Paris',
            }),
          )
        : result.reason === 'blocked'
          ? MESSAGES.secondFactorBlocked
          : MESSAGES.invalidCode;
    return renderPage(
      c,
      <SecondFactorPage ctx={c.get('page')} csrf={c.get('csrfToken')()} errors={{ code: message }} />,
      result.reason === 'invalid_code' ? 401 : 429,
    );
  });

  app.post('/connexion/lien', async (c) => {
    const body = await formFields(c);
    const email = emailSchema.safeParse(body.email ?? '');
    if (!email.success)
      return renderPage(
        c,
        <EmailRequestPage
          ctx={c.get('page')}
          csrf={c.get('csrfToken')()}
          title="Recevoir un lien de connexion"
          intro="Indiquez l'adresse de votre compte : nous y envoyons un lien qui vous connecte une seule fois."
          action="/connexion/lien"
          button="Recevoir un lien de connexion"
          email={body.email ?? ''}
          errors={{ email: email.error.issues[0]?.message ?? MESSAGES.emailInvalid }}
        />,
        422,
      );
    const result = await requestSignInLink(c.get('db'), ANONYMOUS, { email: email.data });
    return linkRequested(
      c,
      result,
      "Si un compte existe pour cette adresse, un lien de connexion vient d'y être envoyé. Il marche une seule fois, pendant 15 minutes.",
    );
  });

  // GET shows a button: mail scanners that open links must not use up the single-use link.
  app.get('/connexion/lien/:token', (c) =>
    renderPage(
      c,
      <ConfirmPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        title="Se connecter avec le lien"
        text="Cliquez sur le bouton pour vous connecter à Maillage."
        action={`/connexion/lien/${encodeURIComponent(c.req.param('token'))}`}
        button="Me connecter"
      />,
    ),
  );

  app.post('/connexion/lien/:token', async (c) => {
    const result = await signInWithLink(c.get('db'), ANONYMOUS, { token: c.req.param('token') }, opts(c));
    if (result.ok) return afterSignIn(c, result);
    return invalidLink(c, { backToSignIn: true });
  });

  app.get('/deconnexion', (c) =>
    renderPage(
      c,
      <ConfirmPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        title="Se déconnecter"
        text="Vous allez fermer votre session sur cet appareil."
        action="/deconnexion"
        button="Me déconnecter"
      />,
    ),
  );

  app.post('/deconnexion', async (c) => {
    const token = readSessionCookie(c, https(c.get('config')));
    if (token) await signOut(c.get('db'), ANONYMOUS, { token });
    endSession(c);
    return renderPage(
      c,
      <MessagePage ctx={c.get('page')} title="Vous êtes déconnecté·e">
        <p>
          <a href="/connexion">Se connecter à nouveau</a>
        </p>
      </MessagePage>,
    );
  });

  const forgotPage = (c: Context<AppEnv>, errors: Errors, email = '') => (
    <EmailRequestPage
      ctx={c.get('page')}
      csrf={c.get('csrfToken')()}
      title="Mot de passe oublié"
      intro="Indiquez l'adresse de votre compte : nous y envoyons un lien pour choisir un nouveau mot de passe, valable 1 heure."
      action="/mot-de-passe-oublie"
      button="Recevoir le lien"
      email={email}
      errors={errors}
    />
  );
  app.get('/mot-de-passe-oublie', (c) => renderPage(c, forgotPage(c, {})));
  app.post('/mot-de-passe-oublie', async (c) => {
    const body = await formFields(c);
    const email = emailSchema.safeParse(body.email ?? '');
    if (!email.success)
      return renderPage(
        c,
        forgotPage(c, { email: email.error.issues[0]?.message ?? '' }, body.email ?? ''),
        422,
      );
    const result = await requestPasswordReset(c.get('db'), ANONYMOUS, { email: email.data });
    return linkRequested(
      c,
      result,
      "Si un compte existe pour cette adresse, un lien vient d'y être envoyé. Il est valable 1 heure.",
    );
  });

  const resetPage = (c: Context<AppEnv>, token: string, errors: Errors, status: 200 | 422 = 200) =>
    renderPage(
      c,
      <NewPasswordPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        action={`/mot-de-passe/${token}`}
        title="Choisir un nouveau mot de passe"
        errors={errors}
      />,
      status,
    );
  app.get('/mot-de-passe/:token', async (c) => {
    const token = c.req.param('token');
    if (!(await isResetLinkValid(c.get('db'), ANONYMOUS, { token }))) return invalidLink(c);
    return resetPage(c, token, {});
  });
  app.post('/mot-de-passe/:token', async (c) => {
    const token = c.req.param('token');
    const body = await formFields(c);
    const result = await resetPassword(
      c.get('db'),
      ANONYMOUS,
      { token, password: body.password ?? '', confirmation: body.confirmation ?? '' },
      opts(c),
    );
    if (result.ok) {
      return renderPage(
        c,
        <SignInPage
          ctx={c.get('page')}
          csrf={c.get('csrfToken')()}
          errors={{}}
          notice="Votre mot de passe est changé. Connectez-vous avec le nouveau mot de passe."
        />,
      );
    }
    if (result.reason === 'invalid_link') return invalidLink(c);
    return resetPage(c, token, result.errors, 422);
  });

  const invitationPage = (
    c: Context<AppEnv>,
    token: string,
    invitation: InvitationView,
    form: { displayName?: string; errors: Errors },
    status: 200 | 422 = 200,
  ) =>
    renderPage(
      c,
      <NewPasswordPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        action={`/invitation/${token}`}
        title="Accepter l'invitation"
        invitation={invitation}
        {...form}
      />,
      status,
    );
  app.get('/invitation/:token', async (c) => {
    const token = c.req.param('token');
    const invitation = await describeInvitation(c.get('db'), ANONYMOUS, { token });
    if (!invitation) return invalidLink(c);
    return invitationPage(c, token, invitation, { errors: {} });
  });
  app.post('/invitation/:token', async (c) => {
    const token = c.req.param('token');
    const body = await formFields(c);
    const result = await acceptInvitation(
      c.get('db'),
      ANONYMOUS,
      {
        token,
        displayName: body.displayName ?? '',
        password: body.password ?? '',
        confirmation: body.confirmation ?? '',
      },
      opts(c),
    );
    if (result.ok) return afterSignIn(c, result);
    const invitation = await describeInvitation(c.get('db'), ANONYMOUS, { token });
    if (result.reason !== 'invalid_input' || !invitation) return invalidLink(c);
    return invitationPage(
      c,
      token,
      invitation,
      { displayName: body.displayName ?? '', errors: result.errors },
      422,
    );
  });

  app.get('/compte', (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    return renderPage(
      c,
      <AccountPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        person={auth.person}
        smtpConfigured={c.get('config').smtpUrl !== null}
      />,
    );
  });

  /** The enrolment page: the secret waiting for its first code (a new one if none waits). */
  const enrolmentPage = async (
    c: Context<AppEnv>,
    auth: CurrentSession,
    errors: Errors,
    status: 200 | 422 = 200,
  ) => {
    const { secret, uri } = await startTotpEnrolment(c.get('db'), auth.actor);
    return renderPage(
      c,
      <TotpEnrolmentPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        secret={secret}
        uri={uri}
        mandatory={auth.stage === 'totp_enrolment'}
        errors={errors}
      />,
      status,
    );
  };
  app.get('/compte/double-authentification', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    if (auth.person.totpEnabled) return c.redirect('/compte', 303);
    return enrolmentPage(c, auth, {});
  });
  app.post('/compte/double-authentification', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const result = await confirmTotpEnrolment(c.get('db'), auth.actor, {
      code: body.code ?? '',
      sessionId: auth.sessionId,
    });
    if (result.ok)
      return renderPage(c, <RecoveryCodesPage ctx={c.get('page')} codes={result.recoveryCodes} />);
    return enrolmentPage(c, auth, { code: MESSAGES.invalidCode }, 422);
  });

  app.post('/compte/deconnexion-partout', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    await signOutEverywhere(c.get('db'), auth.actor);
    endSession(c);
    return renderPage(
      c,
      <MessagePage ctx={c.get('page')} title="Vous êtes déconnecté·e partout">
        <p>Toutes vos sessions sont fermées, sur tous vos appareils.</p>
        <p>
          <a href="/connexion">Se connecter à nouveau</a>
        </p>
      </MessagePage>,
    );
  });

  app.get('/compte/donnees', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const data = await exportMyData(c.get('db'), auth.actor);
    c.header('Content-Disposition', 'attachment; filename="mes-donnees-maillage.json"');
    return c.json(data);
  });

  app.get('/compte/supprimer', (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    return renderPage(
      c,
      <ConfirmPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        title="Supprimer mon compte"
        text="Votre compte, vos rattachements aux structures et vos sessions seront supprimés définitivement. Le journal des actions sensibles garde une trace anonyme de vos actions passées."
        action="/compte/supprimer"
        button="Supprimer définitivement mon compte"
      />,
    );
  });
  app.post('/compte/supprimer', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    await deleteMyAccount(c.get('db'), auth.actor);
    endSession(c);
    return renderPage(
      c,
      <MessagePage ctx={c.get('page')} title="Votre compte est supprimé">
        <p>Vos données de compte sont effacées.</p>
      </MessagePage>,
    );
  });

  app.get('/compte/courriels', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const config = c.get('config');
    const messages = await listOutbox(c.get('db'), auth.actor, { demoMode: config.demoMode });
    return renderPage(
      c,
      <OutboxPage
        ctx={c.get('page')}
        messages={messages}
        demoMode={config.demoMode}
        smtpConfigured={config.smtpUrl !== null}
      />,
    );
  });

  return app;
}
