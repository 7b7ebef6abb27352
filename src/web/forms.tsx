import { CSRF_FIELD } from '../http/csrf.ts';

/** Pieces every form of the app shares: the CSRF field, the error summary, a field's error message. */

/** The hidden field every POST form carries (the CSRF middleware refuses a POST without it). */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** One line of an error summary: a link to the field when `href` is given, else plain text. */
export interface SummaryItem {
  href?: string;
  message: string;
}

/**
 * The entries of an errors record as summary lines, in order: `form` (about the whole form) as plain
 * text, any other linking to its field (`anchors` gives the id of fields whose id is not their name).
 */
export function summaryItems(
  errors: Partial<Record<string, string>>,
  anchors: Partial<Record<string, string>> = {},
): SummaryItem[] {
  return Object.entries(errors)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([field, message]) =>
      field === 'form' ? { message } : { href: `#${anchors[field] ?? field}`, message },
    );
}

/**
 * The error summary at the top of a page: each message links to its field. Nothing when there is no
 * message. With `autofocus`, focus goes there when the page loads.
 */
export function ErrorSummary(props: { items: SummaryItem[]; title?: string; autofocus?: boolean }) {
  if (props.items.length === 0) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      tabindex={-1}
      autofocus={props.autofocus}
      aria-labelledby="erreurs-titre"
    >
      <h2 id="erreurs-titre">{props.title ?? 'Il y a un problème'}</h2>
      <ul>
        {props.items.map((i) => (
          <li>{i.href === undefined ? i.message : <a href={i.href}>{i.message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

/** A field's error message, `${id}-erreur` for the field's aria-describedby; nothing without a message. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`${id}-erreur`}>
      <span class="visually-hidden">Erreur : </span>
      {message}
    </p>
  );
}

/** The message after an action (`?fait=` once redirected: refreshing the page repeats nothing). */
export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}
