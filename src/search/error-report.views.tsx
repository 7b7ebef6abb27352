import type { Place } from '../places/places.service.ts';
import { Csrf } from '../web/forms.tsx';
import { Layout, NetworkContactLine, type PageContext } from '../web/layout.tsx';
import { type FieldIssue, SearchErrorSummary, stringsOf } from './search.views.tsx';

/** "Signaler une erreur" on a place: the form, the thanks, and the refusal when a limit is reached. */
export function ReportPage(props: {
  ctx: PageContext;
  place: Place;
  values: { message: string; contact: string };
  errors: { message?: string; contact?: string };
  csrf: string;
}) {
  const s = stringsOf(props.ctx);
  const p = props.place;
  const issues: FieldIssue[] = [];
  if (props.errors.message) issues.push({ field: 'message', message: props.errors.message });
  if (props.errors.contact) issues.push({ field: 'contact', message: props.errors.contact });
  return (
    <Layout title={s.reportTitle(p.nom)} ctx={props.ctx}>
      <h1>{s.reportTitle(p.nom)}</h1>
      {issues.length ? (
        <SearchErrorSummary s={s} issues={issues} fields={new Set(['message', 'contact'])} />
      ) : null}
      <p>{s.reportIntro}</p>
      <form method="post" action={`/lieux/${p.id}/signaler`}>
        <Csrf token={props.csrf} />
        <div class={props.errors.message ? 'field has-error' : 'field'}>
          <label for="message">{s.reportMessageLabel}</label>
          <p class="hint" id="message-aide">
            {s.reportMessageHint}
          </p>
          {props.errors.message ? (
            <p class="field-error" id="message-erreur">
              {props.errors.message}
            </p>
          ) : null}
          <textarea
            id="message"
            name="message"
            rows={6}
            maxlength={2000}
            required
            aria-describedby={props.errors.message ? 'message-aide message-erreur' : 'message-aide'}
            aria-invalid={props.errors.message ? 'true' : undefined}
          >
            {props.values.message}
          </textarea>
        </div>
        <div class={props.errors.contact ? 'field has-error' : 'field'}>
          <label for="contact">{s.reportContactLabel}</label>
          <p class="hint" id="contact-aide">
            {s.reportContactHint}
          </p>
          {props.errors.contact ? (
            <p class="field-error" id="contact-erreur">
              {props.errors.contact}
            </p>
          ) : null}
          <input
            id="contact"
            name="contact"
            type="text"
            maxlength={200}
            autocomplete="tel"
            value={props.values.contact}
            aria-describedby={props.errors.contact ? 'contact-aide contact-erreur' : 'contact-aide'}
            aria-invalid={props.errors.contact ? 'true' : undefined}
          />
        </div>
        <p>
          <button type="submit">{s.reportSubmit}</button>
        </p>
      </form>
      <p>
        <a href={`/lieux/${p.id}`}>{s.backToPlace(p.nom)}</a>
      </p>
    </Layout>
  );
}

export function ReportThanksPage(props: { ctx: PageContext; place: Place }) {
  const s = stringsOf(props.ctx);
  return (
    <Layout title={s.reportThanksTitle} ctx={props.ctx}>
      <h1>{s.reportThanksTitle}</h1>
      <p>{s.reportThanks}</p>
      <p>
        <a href={`/lieux/${props.place.id}`}>{s.backToPlace(props.place.nom)}</a>
      </p>
    </Layout>
  );
}

/** A report refused by a limit: which one, the network's phone number, the way back. */
export function ReportLimitedPage(props: {
  ctx: PageContext;
  place: Place;
  reason: 'too_many_from_client' | 'too_many_for_place';
}) {
  const s = stringsOf(props.ctx);
  return (
    <Layout title={s.reportLimitedTitle} ctx={props.ctx}>
      <h1>{s.reportLimitedTitle}</h1>
      <p>{props.reason === 'too_many_for_place' ? s.reportTooManyForPlace : s.reportTooManyFromClient}</p>
      <NetworkContactLine contact={props.ctx.networkContact} falc={props.ctx.prefs?.falc ?? false} />
      <p>
        <a href={`/lieux/${props.place.id}`}>{s.backToPlace(props.place.nom)}</a>
      </p>
    </Layout>
  );
}
