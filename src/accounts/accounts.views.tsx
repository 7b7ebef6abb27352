import type { Child } from 'hono/jsx';
import type { OutboxEntry } from '../mail/mail.service.ts';
import { Csrf, ErrorSummary, Field as SharedField, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { InvitationView } from './accounts.service.ts';
import { ROLE_LABELS } from './accounts.ts';
import type { Person } from './sessions.service.ts';

/** Pages of accounts: sign-in, links, invitation, my account. French text lives here. */
export type Errors = Partial<Record<string, string>>;

const FIELD_LABELS: Record<string, string> = {
  email: 'Adresse e-mail',
  password: 'Mot de passe',
  confirmation: 'Confirmation du mot de passe',
  displayName: 'Votre nom',
  code: 'Code',
  form: '',
};

/** A field of the account pages: its label from FIELD_LABELS, its error from the page's errors. */
function Field(props: {
  name: string;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  value?: string;
  hint?: string;
  errors: Errors;
  inputmode?: 'numeric' | 'email' | 'text';
}) {
  return (
    <SharedField
      id={props.name}
      label={FIELD_LABELS[props.name] ?? props.name}
      type={props.type}
      autocomplete={props.autocomplete}
      value={props.value ?? ''}
      hint={props.hint}
      error={props.errors[props.name]}
      inputmode={props.inputmode}
      required
    />
  );
}

/** The form of a code from the authenticator app: the field phones fill from a one-time code. */
function CodeForm(props: { action: string; csrf: string; hint: string; button: string; errors: Errors }) {
  return (
    <form method="post" action={props.action} novalidate>
      <Csrf token={props.csrf} />
      <Field
        name="code"
        autocomplete="one-time-code"
        inputmode="numeric"
        hint={props.hint}
        errors={props.errors}
      />
      <button type="submit">{props.button}</button>
    </form>
  );
}

function Page(props: { ctx: PageContext; title: string; errors?: Errors; children: Child }) {
  const hasErrors = props.errors && Object.values(props.errors).some(Boolean);
  return (
    <Layout title={hasErrors ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      <h1>{props.title}</h1>
      {props.errors ? <ErrorSummary autofocus items={summaryItems(props.errors)} /> : null}
      {props.children}
    </Layout>
  );
}

export function SignInPage(props: {
  ctx: PageContext;
  csrf: string;
  email?: string;
  errors: Errors;
  notice?: string;
}) {
  return (
    <Page ctx={props.ctx} title="Se connecter" errors={props.errors}>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <form method="post" action="/connexion" novalidate>
        <Csrf token={props.csrf} />
        <Field
          name="email"
          type="email"
          autocomplete="username"
          value={props.email ?? ''}
          errors={props.errors}
        />
        <Field name="password" type="password" autocomplete="current-password" errors={props.errors} />
        <button type="submit">Se connecter</button>
      </form>
      <p>
        <a href="/mot-de-passe-oublie">Mot de passe oublié ?</a>
      </p>
      <h2>Se connecter sans mot de passe</h2>
      <p>Recevez par e-mail un lien qui vous connecte une seule fois, pendant 15 minutes.</p>
      <form method="post" action="/connexion/lien" novalidate>
        <Csrf token={props.csrf} />
        <div class="field">
          <label for="lien-email">Adresse e-mail</label>
          <input id="lien-email" name="email" type="email" autocomplete="username" required />
        </div>
        <button type="submit" class="secondary">
          Recevoir un lien de connexion
        </button>
      </form>
    </Page>
  );
}

export function SecondFactorPage(props: { ctx: PageContext; csrf: string; errors: Errors }) {
  return (
    <Page ctx={props.ctx} title="Code de vérification" errors={props.errors}>
      <p>
        Ouvrez votre application d'authentification et saisissez le code à 6 chiffres affiché pour Maillage.
      </p>
      <CodeForm
        action="/connexion/code"
        csrf={props.csrf}
        hint="Par exemple 123456. Vous pouvez aussi saisir un de vos codes de secours."
        button="Valider le code"
        errors={props.errors}
      />
    </Page>
  );
}

export function MessagePage(props: { ctx: PageContext; title: string; children: Child }) {
  return (
    <Page ctx={props.ctx} title={props.title}>
      {props.children}
    </Page>
  );
}

export function ConfirmPage(props: {
  ctx: PageContext;
  csrf: string;
  title: string;
  text: string;
  action: string;
  button: string;
}) {
  return (
    <Page ctx={props.ctx} title={props.title}>
      <p>{props.text}</p>
      <form method="post" action={props.action}>
        <Csrf token={props.csrf} />
        <button type="submit">{props.button}</button>
      </form>
    </Page>
  );
}

export function EmailRequestPage(props: {
  ctx: PageContext;
  csrf: string;
  title: string;
  intro: string;
  action: string;
  button: string;
  email?: string;
  errors: Errors;
}) {
  return (
    <Page ctx={props.ctx} title={props.title} errors={props.errors}>
      <p>{props.intro}</p>
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrf} />
        <Field
          name="email"
          type="email"
          autocomplete="username"
          value={props.email ?? ''}
          errors={props.errors}
        />
        <button type="submit">{props.button}</button>
      </form>
    </Page>
  );
}

const PASSWORD_HINT =
  'Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir, par exemple « le train de 8 h part du quai 3 ».';

export function NewPasswordPage(props: {
  ctx: PageContext;
  csrf: string;
  action: string;
  title: string;
  errors: Errors;
  invitation?: InvitationView;
  displayName?: string;
}) {
  const inv = props.invitation;
  return (
    <Page ctx={props.ctx} title={props.title} errors={props.errors}>
      {inv ? (
        <p>
          Compte : <strong>{inv.email}</strong>
          {inv.structureName && inv.role ? (
            <>
              {' '}
              — vous rejoignez « {inv.structureName} » comme {ROLE_LABELS[inv.role]}.
            </>
          ) : null}
          {inv.funderName ? <> — vous rejoignez le financeur « {inv.funderName} ».</> : null}
          {inv.networkRole ? <> — rôle : {ROLE_LABELS[inv.networkRole]}.</> : null}
        </p>
      ) : null}
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrf} />
        {!inv || inv.needsPassword ? (
          <>
            {inv ? (
              <Field
                name="displayName"
                autocomplete="name"
                value={props.displayName ?? ''}
                errors={props.errors}
              />
            ) : null}
            <Field
              name="password"
              type="password"
              autocomplete="new-password"
              hint={PASSWORD_HINT}
              errors={props.errors}
            />
            <Field name="confirmation" type="password" autocomplete="new-password" errors={props.errors} />
          </>
        ) : null}
        <button type="submit">
          {inv
            ? inv.needsPassword
              ? 'Créer mon compte'
              : 'Rejoindre la structure'
            : 'Enregistrer le mot de passe'}
        </button>
      </form>
    </Page>
  );
}

export function TotpEnrolmentPage(props: {
  ctx: PageContext;
  csrf: string;
  secret: string;
  uri: string;
  mandatory: boolean;
  errors: Errors;
}) {
  return (
    <Page ctx={props.ctx} title="Activer la double authentification" errors={props.errors}>
      {props.mandatory ? (
        <p>Les coordinateurs doivent protéger leur compte par un code à usage unique avant de continuer.</p>
      ) : null}
      <ol>
        <li>
          Installez une application d'authentification sur votre téléphone (par exemple FreeOTP ou Aegis).
        </li>
        <li>
          Dans l'application, ajoutez un compte et saisissez cette clé :{' '}
          <code class="secret">{props.secret}</code>
        </li>
        <li>Saisissez ci-dessous le code à 6 chiffres que l'application affiche.</li>
      </ol>
      <details>
        <summary>Adresse complète de la clé (pour les applications qui l'acceptent)</summary>
        <p>
          <code class="secret">{props.uri}</code>
        </p>
      </details>
      <CodeForm
        action="/compte/double-authentification"
        csrf={props.csrf}
        hint="Par exemple 123456."
        button="Activer"
        errors={props.errors}
      />
    </Page>
  );
}

export function RecoveryCodesPage(props: { ctx: PageContext; codes: string[] }) {
  return (
    <Page ctx={props.ctx} title="Vos codes de secours">
      <p>
        La double authentification est activée. Notez ces 10 codes et gardez-les en lieu sûr : chacun remplace
        une seule fois le code de l'application si vous perdez votre téléphone. Ils ne seront plus affichés.
      </p>
      <ul class="codes">
        {props.codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <a href="/espace">Aller à mon espace</a>
      </p>
    </Page>
  );
}

/** "Mon travail": the pages each role works with (coordinator, members of structures, funders). */
export function AccountPage(props: {
  ctx: PageContext;
  csrf: string;
  person: Person;
  smtpConfigured: boolean;
  notice?: string;
}) {
  const p = props.person;
  return (
    <Page ctx={props.ctx} title="Mon compte">
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <dl>
        <dt>Nom</dt>
        <dd>{p.displayName}</dd>
        <dt>Adresse e-mail</dt>
        <dd>{p.email}</dd>
        {p.networkRole ? (
          <>
            <dt>Rôle dans le réseau</dt>
            <dd>{ROLE_LABELS[p.networkRole]}</dd>
          </>
        ) : null}
        <dt>Structures</dt>
        <dd>
          {p.memberships.length === 0 ? (
            'Aucune'
          ) : (
            <ul>
              {p.memberships.map((m) => (
                <li>
                  {m.structureName} ({ROLE_LABELS[m.role]})
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Double authentification</dt>
        <dd>
          {p.totpEnabled ? (
            'Activée'
          ) : (
            <>
              Désactivée. <a href="/compte/double-authentification">Activer la double authentification</a>
            </>
          )}
        </dd>
      </dl>
      <p>
        <a href="/espace">Mon espace : ce qui m'attend et les liens de mon travail</a>
      </p>
      <h2>Vos données</h2>
      <p>
        <a href="/compte/donnees" download="mes-donnees-maillage.json">
          Télécharger mes données (fichier JSON)
        </a>
      </p>
      <h2>Sécurité</h2>
      <form method="post" action="/deconnexion">
        <Csrf token={props.csrf} />
        <button type="submit" class="secondary">
          Me déconnecter
        </button>
      </form>
      <form method="post" action="/compte/deconnexion-partout">
        <Csrf token={props.csrf} />
        <button type="submit" class="secondary">
          Me déconnecter sur tous mes appareils
        </button>
      </form>
      <h2>Supprimer mon compte</h2>
      <p>
        <a href="/compte/supprimer">Supprimer mon compte</a>
      </p>
    </Page>
  );
}

const dateTime = (d: Date) =>
  d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

const STATUS_WORDS: Record<OutboxEntry['status'], string> = {
  pending: 'en attente',
  sent: 'envoyé',
  failed: 'échec',
};

/**
 * The outbox for coordinators: who was mailed what kind of message and when. The messages themselves
 * (links, codes, personal data) appear only in demonstration mode, for the demonstration accounts.
 */
export function OutboxPage(props: {
  ctx: PageContext;
  messages: OutboxEntry[];
  demoMode: boolean;
  smtpConfigured: boolean;
}) {
  return (
    <Page ctx={props.ctx} title="Courriels envoyés">
      {props.smtpConfigured ? (
        <p>Les messages partent par le serveur de courriel configuré. Voici les 100 derniers.</p>
      ) : props.demoMode ? (
        <p>
          Démonstration : aucun serveur de courriel n'est configuré. Les messages restent ici, en entier, pour
          que vous puissiez suivre les liens envoyés aux comptes de démonstration.
        </p>
      ) : (
        <p class="notice" role="status">
          Attention : aucun serveur de courriel n'est configuré (SMTP_URL). Les messages ne partent pas.
          Demandez à la personne qui gère le serveur de le configurer.
        </p>
      )}
      {props.demoMode ? null : (
        <p>
          Pour protéger les comptes et les personnes, cette page ne montre pas le contenu des messages : ils
          contiennent des liens personnels.
        </p>
      )}
      {props.messages.length === 0 ? (
        <p>Aucun message.</p>
      ) : props.demoMode ? (
        props.messages.map((m) => (
          <article class="mail">
            <h2>{m.content?.subject ?? m.kindLabel}</h2>
            <p>
              À : {m.to} — {dateTime(m.createdAt)} — {STATUS_WORDS[m.status]}
            </p>
            <pre>{m.content?.text ?? ''}</pre>
          </article>
        ))
      ) : (
        <table>
          <caption class="visually-hidden">Les derniers messages, du plus récent au plus ancien</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Destinataire</th>
              <th scope="col">Message</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {props.messages.map((m) => (
              <tr>
                <td>{dateTime(m.createdAt)}</td>
                <td>{m.to}</td>
                <td>{m.kindLabel}</td>
                <td>
                  {STATUS_WORDS[m.status]}
                  {m.status !== 'sent' && m.attempts > 0 ? ` (${m.attempts} essais)` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
