import type { Child } from 'hono/jsx';
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

/** The ids a field's `aria-describedby` names: its hint (`-aide`) and its error (`-erreur`), if any. */
export const describedBy = (id: string, hint: boolean, error: boolean) =>
  [hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;

function Hint(props: { id: string; hint: string | undefined }) {
  if (!props.hint) return null;
  return (
    <p class="hint" id={`${props.id}-aide`}>
      {props.hint}
    </p>
  );
}

/**
 * A one-line field with its label, hint and error, the one every form uses; `name` defaults to the id.
 * `autocomplete` is off unless a value is given (a browser's memory helps only with one's own details).
 */
export function Field(props: {
  id: string;
  name?: string;
  label: Child;
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'password' | 'date' | 'number' | 'search' | 'url' | undefined;
  autocomplete?: string | undefined;
  inputmode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel' | undefined;
  maxlength?: number | undefined;
  required?: boolean | undefined;
  size?: number;
  /** A number, or a day (`YYYY-MM-DD`) for a date field. */
  min?: number | string | undefined;
  max?: number | string | undefined;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <Hint id={props.id} hint={props.hint} />
      <FieldError id={props.id} message={props.error} />
      <input
        id={props.id}
        name={props.name ?? props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete ?? 'off'}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        required={props.required}
        size={props.size}
        min={props.min}
        max={props.max}
        spellcheck={props.type === 'email' ? false : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
      />
    </div>
  );
}

/** A list to choose from; with `empty`, a first empty choice that says what to do. */
export function Select(props: {
  id: string;
  name?: string;
  label: string;
  empty?: string;
  options: readonly { value: string; label: string }[];
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <Hint id={props.id} hint={props.hint} />
      <FieldError id={props.id} message={props.error} />
      <select
        id={props.id}
        name={props.name ?? props.id}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
      >
        {props.empty === undefined ? null : <option value="">{props.empty}</option>}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
