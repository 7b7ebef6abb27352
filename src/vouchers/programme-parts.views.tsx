import type { Child } from 'hono/jsx';
import { ErrorSummary, FieldError, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { Booklet } from './vouchers.service.ts';

/**
 * What the pass numérique's pages share: the frame (a refused form says "Erreur" in the title), the
 * fields with their hint and error, the notices after an action, amounts as typed in a form.
 */

export type Errors = Partial<Record<string, string>>;

export const hasAny = (errors: Errors | undefined) => Boolean(errors && Object.values(errors).some(Boolean));

/** Messages shown after an action (`?fait=` once redirected: refreshing the page repeats nothing). */
export const NOTICES: Record<string, string> = {
  cree: 'Le programme est créé. Les personnes du financeur doivent maintenant confirmer son budget et sa validité.',
  confirme:
    'Le programme est confirmé : son budget et sa validité ne changent plus. La coordination peut émettre les carnets.',
  lieu: 'Le lieu est qualifié : son équipe peut encaisser les chèques de ce programme.',
  prescripteur: 'La structure est prescriptrice : elle peut recevoir des carnets et les remettre.',
  emission:
    'Les carnets sont émis. Imprimez-les, puis enregistrez le paiement du financeur : il active les chèques.',
  paiement: 'Le paiement est enregistré : les chèques de ce lot sont activés.',
  attribution: 'Les carnets sont confiés au prescripteur.',
};

export function Page(props: { ctx: PageContext; title: string; errors?: Errors; children: Child }) {
  return (
    <Layout title={hasAny(props.errors) ? `Erreur : ${props.title}` : props.title} ctx={props.ctx}>
      {props.children}
    </Layout>
  );
}

/** The error summary at the top, each message linking to its field (`anchors`: ids that are not names). */
export function ErrorsAtTop(props: { errors: Errors; anchors?: Partial<Record<string, string>> }) {
  return <ErrorSummary items={summaryItems(props.errors, props.anchors)} autofocus />;
}

const describedBy = (id: string, hint: boolean, error: boolean) =>
  [hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;

/** A text field with its label, hint and error; `name` defaults to the id. */
export function Field(props: {
  id: string;
  name?: string;
  label: Child;
  value: string;
  hint?: string;
  error?: string | undefined;
  inputmode?: 'text' | 'numeric' | 'decimal';
  maxlength?: number;
  required?: boolean;
  size?: number;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.id} message={props.error} />
      <input
        id={props.id}
        name={props.name ?? props.id}
        type="text"
        value={props.value}
        autocomplete="off"
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        required={props.required}
        size={props.size}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
      />
    </div>
  );
}

/** A list to choose from, with a first empty choice that says what to do. */
export function Select(props: {
  id: string;
  name?: string;
  label: string;
  empty: string;
  options: { value: string; label: string }[];
  value: string;
  hint?: string;
  error?: string | undefined;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.id} message={props.error} />
      <select
        id={props.id}
        name={props.name ?? props.id}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(props.error))}
      >
        <option value="">{props.empty}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Cents as a form shows them to be typed again: 20000 → "200,00" (parseEuros reads it back). */
export function typedEuros(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

/** Where a booklet is along the chain of hands, in words. */
export function bookletStage(b: Booklet): string {
  if (b.cancelledAt) return 'Annulé';
  if (b.distributedAt) return 'Remis à une personne';
  if (b.allocatedTo) return `Confié à ${b.allocatedTo.name}`;
  return 'En stock';
}

/** "1 carnet", "2 carnets". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n > 1 ? many : one}`;
