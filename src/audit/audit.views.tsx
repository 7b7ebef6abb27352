import { ErrorSummary, Field } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { AuditLogEntry, AuditLogPage } from './audit.service.ts';
import {
  type AuditFilter,
  type AuditFilterField,
  type AuditFilterForm,
  type AuditFilterIssues,
  actionLabel,
  authorWords,
  detailLines,
  filterQuery,
  subjectWords,
} from './audit.ts';

/** The coordinator's audit log page. French text lives here. */

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'medium',
  timeZone: 'Europe/Paris',
});

const FIELDS: AuditFilterField[] = ['action', 'actor', 'subject', 'from', 'to'];

function Details({ details }: { details: Record<string, unknown> }) {
  const lines = detailLines(details);
  if (lines.length === 0) return null;
  return (
    <ul>
      {lines.map((line) => (
        <li>{line}</li>
      ))}
    </ul>
  );
}

function Author({ entry }: { entry: AuditLogEntry }) {
  const words = authorWords(entry);
  if (entry.actorEmail && entry.actorName)
    return (
      <>
        {words}
        <br />
        <span class="hint">{entry.actorEmail}</span>
      </>
    );
  return <>{words}</>;
}

export function AuditLogPageView(props: {
  ctx: PageContext;
  form: AuditFilterForm;
  issues: AuditFilterIssues;
  /** The filters applied (null when the form has problems: nothing is listed). */
  filter: AuditFilter | null;
  log: AuditLogPage | null;
  actions: string[];
}) {
  const { form, issues, log, filter } = props;
  const hasIssues = Object.values(issues).some(Boolean);
  const title = 'Journal des actions sensibles';
  return (
    <Layout title={hasIssues ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <p>
        Le journal garde une trace des connexions, des changements de rôle, des décisions de modération, des
        exports et des imports. Personne ne peut le modifier ni l'effacer.
      </p>
      {hasIssues ? (
        <ErrorSummary
          items={FIELDS.filter((f) => issues[f]).map((f) => ({ href: `#${f}`, message: issues[f] ?? '' }))}
        />
      ) : null}
      <form method="get" action="/journal">
        <fieldset>
          <legend>Filtrer le journal</legend>
          <div class="field">
            <label for="action">Action</label>
            <select id="action" name="action">
              <option value="">Toutes les actions</option>
              {props.actions.map((a) => (
                <option value={a} selected={form.action === a}>
                  {actionLabel(a)}
                </option>
              ))}
            </select>
          </div>
          <Field
            id="actor"
            label="Auteur"
            hint="Une partie de son adresse e-mail, ou « cli » (ligne de commande), « anonyme » (visiteur non connecté)."
            value={form.actor}
            error={issues.actor}
          />
          <Field
            id="subject"
            label="Sujet"
            hint="Un type : « lieu », « structure », « compte », « import », « orientation »… ou l'identifiant exact d'un sujet."
            value={form.subject}
            error={issues.subject}
          />
          <Field
            id="from"
            label="Du"
            hint="Date incluse."
            type="date"
            value={form.from}
            error={issues.from}
          />
          <Field id="to" label="Au" hint="Date incluse." type="date" value={form.to} error={issues.to} />
        </fieldset>
        <p>
          <button type="submit">Filtrer</button> <a href="/journal">Tout afficher</a>
        </p>
      </form>
      {log && filter ? (
        <>
          <h2>
            {log.total === 0
              ? 'Aucune entrée'
              : log.total === 1
                ? '1 entrée'
                : `${log.total.toLocaleString('fr-FR').replace(/\u202f/g, ' ')} entrées`}
          </h2>
          {log.total > 0 ? (
            <p>
              <a href={`/journal.csv${filterQuery(filter)}`} download>
                Télécharger ces entrées (CSV)
              </a>{' '}
              — le téléchargement est lui aussi écrit dans le journal.
            </p>
          ) : null}
          {log.entries.length > 0 ? (
            <table>
              <caption>
                Entrées du journal, des plus récentes aux plus anciennes (page {log.page} sur {log.pageCount})
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Action</th>
                  <th scope="col">Auteur</th>
                  <th scope="col">Sujet</th>
                  <th scope="col">Détails</th>
                </tr>
              </thead>
              <tbody>
                {log.entries.map((e) => (
                  <tr>
                    <td>
                      <time datetime={e.at.toISOString()}>{DATE_TIME.format(e.at)}</time>
                    </td>
                    <th scope="row">{actionLabel(e.action)}</th>
                    <td>
                      <Author entry={e} />
                    </td>
                    <td>{subjectWords(e)}</td>
                    <td>
                      <Details details={e.details} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {log.pageCount > 1 ? (
            <nav class="pager" aria-label="Pages du journal">
              {log.page > 1 ? (
                <a href={`/journal${filterQuery(filter, { page: String(log.page - 1) })}`}>Page précédente</a>
              ) : null}
              {log.page < log.pageCount ? (
                <a href={`/journal${filterQuery(filter, { page: String(log.page + 1) })}`}>Page suivante</a>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}
