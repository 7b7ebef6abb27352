import type { Child } from 'hono/jsx';
import { ErrorSummary, summaryItems } from '../web/forms.tsx';
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
