import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Csrf, ErrorSummary, FieldError, Notice } from '../web/forms.tsx';
import { Layout, NetworkContactLine, type PageContext } from '../web/layout.tsx';
import type { Callback, CallbackConfirmation, CallbackTarget } from './callbacks.service.ts';
import {
  dayWords,
  issueMessage,
  OUTCOME_LABELS,
  PUBLIC_STRINGS,
  type PublicStrings,
  STATE_LABELS,
  slotWords,
} from './callbacks.strings.ts';
import { type CallbackIssue, FIRST_NAME_MAX, OUTCOMES, PART_VALUES, PHONE_INPUT_MAX } from './callbacks.ts';

/** "Être rappelé": the public form, its answer, the refusal at a limit, and the list of those who call. */

export interface CallbackFormValues {
  prenom: string;
  telephone: string;
  jour: string;
  moment: string;
  accord: boolean;
}

export const EMPTY_FORM: CallbackFormValues = {
  prenom: '',
  telephone: '',
  jour: '',
  moment: 'indifferent',
  accord: false,
};

/** The form's address: a place's, or the network's. */
export const formAction = (target: CallbackTarget) =>
  target.place ? `/lieux/${target.place.id}/rappel` : '/rappel';

/** The public pages' words in the reader's variant (ordinary or FALC). */
const wordsOf = (ctx: PageContext): PublicStrings => PUBLIC_STRINGS.pick(ctx.prefs?.falc ?? false);

function CallInstead(props: { target: CallbackTarget; ctx: PageContext; lead: string }) {
  const phone = props.target.callInstead;
  if (!phone)
    return <NetworkContactLine contact={props.ctx.networkContact} falc={props.ctx.prefs?.falc ?? false} />;
  return (
    <p>
      {props.lead}{' '}
      <a href={phoneHref(phone)} class="callback-phone">
        <strong>{formatPhone(phone)}</strong>
      </a>
      {props.target.place?.phone ? ` (${props.target.place.name})` : ` (${wordsOf(props.ctx).theNetwork})`}.
    </p>
  );
}

function titleOf(s: PublicStrings, target: CallbackTarget): string {
  return target.place ? s.titlePlace(target.place.name) : s.titleNetwork;
}

function BackLink({ s, target }: { s: PublicStrings; target: CallbackTarget }) {
  return target.place ? (
    <a href={`/lieux/${target.place.id}`}>{s.backToPlace}</a>
  ) : (
    <a href="/">{s.backHome}</a>
  );
}

export function CallbackFormPage(props: {
  ctx: PageContext;
  target: CallbackTarget;
  values: CallbackFormValues;
  issues: CallbackIssue[];
  csrf: string;
  retentionDays: number;
}) {
  const s = wordsOf(props.ctx);
  const falc = props.ctx.prefs?.falc ?? false;
  const t = props.target;
  const v = props.values;
  const errors: Partial<Record<string, string>> = {};
  for (const issue of props.issues) errors[issue.field] ??= issueMessage(issue, falc);
  const title = titleOf(s, t);
  const described = (field: string, hint: boolean) =>
    [hint ? `${field}-aide` : '', errors[field] ? `${field}-erreur` : ''].filter(Boolean).join(' ') ||
    undefined;
  const parts = { morning: s.partMorning, afternoon: s.partAfternoon, any: s.partAny } as const;
  return (
    <Layout title={props.issues.length ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        items={props.issues.map((i) => ({
          href: `#${i.field === 'moment' ? `moment-${v.moment || 'matin'}` : i.field}`,
          message: issueMessage(i, falc),
        }))}
        autofocus
      />
      <p>{s.intro(t.whoCalls)}</p>
      <form method="post" action={formAction(t)} class="callback-form" novalidate>
        <Csrf token={props.csrf} />
        <div class={errors.prenom ? 'field has-error' : 'field'}>
          <label for="prenom">{s.firstNameLabel}</label>
          <FieldError id="prenom" message={errors.prenom} />
          <input
            id="prenom"
            name="prenom"
            type="text"
            autocomplete="given-name"
            maxlength={FIRST_NAME_MAX}
            required
            value={v.prenom}
            aria-describedby={described('prenom', false)}
            aria-invalid={errors.prenom ? 'true' : undefined}
          />
        </div>
        <div class={errors.telephone ? 'field has-error' : 'field'}>
          <label for="telephone">{s.phoneLabel}</label>
          <p class="hint" id="telephone-aide">
            {s.phoneHint}
          </p>
          <FieldError id="telephone" message={errors.telephone} />
          <input
            id="telephone"
            name="telephone"
            type="tel"
            autocomplete="tel"
            inputmode="tel"
            maxlength={PHONE_INPUT_MAX}
            required
            value={v.telephone}
            aria-describedby={described('telephone', true)}
            aria-invalid={errors.telephone ? 'true' : undefined}
          />
        </div>
        <div class={errors.jour ? 'field has-error' : 'field'}>
          <label for="jour">{s.dayLabel}</label>
          <p class="hint" id="jour-aide">
            {t.place ? s.dayHintPlace : s.dayHintNetwork}
          </p>
          <FieldError id="jour" message={errors.jour} />
          <select
            id="jour"
            name="jour"
            aria-describedby={described('jour', true)}
            aria-invalid={errors.jour ? 'true' : undefined}
          >
            <option value="" selected={v.jour === ''}>
              {s.asap}
            </option>
            {t.days.map((d) => (
              <option value={d.date} selected={v.jour === d.date}>
                {dayWords(d.date)}
                {d.morning && !d.afternoon ? s.morningOnly : ''}
                {!d.morning && d.afternoon ? s.afternoonOnly : ''}
              </option>
            ))}
          </select>
        </div>
        <fieldset class={errors.moment ? 'has-error' : undefined}>
          <legend>{s.momentLabel}</legend>
          <FieldError id="moment" message={errors.moment} />
          <div class="choices">
            {(['morning', 'afternoon', 'any'] as const).map((part) => (
              <div class="choice">
                <input
                  type="radio"
                  id={`moment-${PART_VALUES[part]}`}
                  name="moment"
                  value={PART_VALUES[part]}
                  checked={v.moment === PART_VALUES[part]}
                  aria-describedby={errors.moment ? 'moment-erreur' : undefined}
                />
                <label for={`moment-${PART_VALUES[part]}`}>{parts[part]}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class={errors.accord ? 'field has-error' : 'field'}>
          <FieldError id="accord" message={errors.accord} />
          <div class="choice">
            <input
              type="checkbox"
              id="accord"
              name="accord"
              value="oui"
              checked={v.accord}
              required
              aria-describedby={described('accord', false)}
              aria-invalid={errors.accord ? 'true' : undefined}
            />
            <label for="accord">{s.consent}</label>
          </div>
        </div>
        <h2>{s.whyHeading}</h2>
        <ul class="callback-why">
          <li>{s.whyName}</li>
          <li>{s.whyPhone}</li>
          <li>{s.whoSees(t.whoCalls)}</li>
          <li>{s.erasedAfter(props.retentionDays)}</li>
        </ul>
        <p>
          <button type="submit">{s.submit}</button>
        </p>
      </form>
      <CallInstead target={t} ctx={props.ctx} lead={s.callYourself} />
      <p>
        <a href="/donnees-personnelles">{s.privacyLink}</a>
        {t.place ? (
          <>
            {' · '}
            <BackLink s={s} target={t} />
          </>
        ) : null}
      </p>
    </Layout>
  );
}

export function CallbackDonePage(props: {
  ctx: PageContext;
  done: CallbackConfirmation;
  target: CallbackTarget;
}) {
  const s = wordsOf(props.ctx);
  const d = props.done;
  return (
    <Layout title={s.doneTitle} ctx={props.ctx}>
      <h1>{s.doneHeading}</h1>
      <p class="callback-ref-line">
        {s.referenceLabel} <strong class="callback-ref">{d.reference}</strong>
      </p>
      <p class="hint">{s.referenceHint}</p>
      <h2>{s.nextHeading}</h2>
      <ul>
        <li>
          {s.nextCall(d.whoCalls, slotWords(d.slotDate, d.slotPart))}{' '}
          <strong class="callback-phone">{d.phone}</strong>.
        </li>
        <li>{s.nextOnce}</li>
        <li>
          {d.callInstead ? (
            <>
              {s.nextIfNobody(dayWords(d.dueOn))}{' '}
              <a href={phoneHref(d.callInstead)} class="callback-phone">
                <strong>{formatPhone(d.callInstead)}</strong>
              </a>
              .
            </>
          ) : (
            s.nextIfNobodyNetwork(dayWords(d.dueOn))
          )}
        </li>
      </ul>
      <p>
        <BackLink s={s} target={props.target} />
      </p>
    </Layout>
  );
}

export function CallbackLimitedPage(props: {
  ctx: PageContext;
  target: CallbackTarget;
  reason: 'too_many_from_client' | 'too_many_for_phone';
  /** The configured limit reached (requests per number in 24 hours, or per device in an hour). */
  max: number;
}) {
  const s = wordsOf(props.ctx);
  return (
    <Layout title={s.limitedTitle} ctx={props.ctx}>
      <h1>{s.limitedTitle}</h1>
      <p>{props.reason === 'too_many_for_phone' ? s.limitedPhone(props.max) : s.limitedClient(props.max)}</p>
      <CallInstead target={props.target} ctx={props.ctx} lead={s.urgent} />
      <p>
        <BackLink s={s} target={props.target} />
      </p>
    </Layout>
  );
}

const DAY_MONTH = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  timeZone: 'Europe/Paris',
});
const CLOCK = new Intl.DateTimeFormat('fr-FR', {
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/Paris',
});

/** "6 décembre à 18 h 07", in France's time (the house style for times). */
const DATE_TIME = {
  format(at: Date): string {
    const [h = '0', m = '00'] = CLOCK.format(at).split(':');
    return `${DAY_MONTH.format(at)} à ${Number(h)} h${m === '00' ? '' : ` ${m}`}`;
  },
};

function whereOf(c: Callback): string {
  const place = c.placeName ? `Lieu : ${c.placeName}` : 'Demande faite au réseau';
  return c.structureName && c.structureName !== c.placeName ? `${place} · ${c.structureName}` : place;
}

function OpenCallback({ c, csrf }: { c: Callback; csrf: string }) {
  const id = `rappel-${c.reference}`;
  return (
    <li class={c.late ? 'card callback late' : 'card callback'} id={id}>
      <h3>
        {c.firstName} —{' '}
        <a href={c.phoneHref} class="callback-phone">
          {c.phone}
        </a>
      </h3>
      <p class="meta">{whereOf(c)}</p>
      <dl class="facts">
        <dt>Quand</dt>
        <dd>{slotWords(c.slotDate, c.slotPart)}</dd>
        <dt>Demandé le</dt>
        <dd>
          {DATE_TIME.format(c.createdAt)} (référence {c.reference})
        </dd>
        <dt>État</dt>
        <dd>
          {STATE_LABELS[c.state]}
          {c.attempts ? ` · ${c.attempts} essai${c.attempts > 1 ? 's' : ''}` : ''}
        </dd>
        <dt>À appeler au plus tard</dt>
        <dd>
          le {dayWords(c.dueOn)}
          {c.late ? <strong class="callback-late"> — en retard</strong> : null}
        </dd>
      </dl>
      <form method="post" action={`/rappels/${c.id}`}>
        <Csrf token={csrf} />
        <fieldset>
          <legend>Après votre appel à {c.firstName}</legend>
          <div class="choices">
            {OUTCOMES.map((o) => (
              <div class="choice">
                <input type="radio" id={`${id}-${o}`} name="issue" value={o} required />
                <label for={`${id}-${o}`}>{OUTCOME_LABELS[o]}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit">Enregistrer pour {c.firstName}</button>
      </form>
    </li>
  );
}

export const CALLBACK_NOTICES: Readonly<Record<string, string>> = {
  done: 'C’est noté : la personne a été rappelée. La demande est close.',
  retry: 'C’est noté : pas de réponse. La demande reste dans la liste pour réessayer.',
  unreachable: 'C’est noté : personne n’est joignable à ce numéro. La demande est close.',
};

/** `/rappels`: the people to call back, then those called in the last 7 days. */
export function CallbacksPage(props: {
  ctx: PageContext;
  csrf: string;
  open: Callback[];
  closed: Callback[];
  notice?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <Layout title={props.error ? 'Erreur : Personnes à rappeler' : 'Personnes à rappeler'} ctx={props.ctx}>
      <h1>Personnes à rappeler</h1>
      <Notice text={props.notice} />
      <ErrorSummary items={props.error ? [{ message: props.error }] : []} autofocus />
      <p>
        Chaque personne a accepté d’être appelée une fois. Appelez-la au moment qu’elle a choisi, puis notez
        ce qui s’est passé. Son prénom et son numéro sont effacés automatiquement après quelques semaines.
      </p>
      <h2>À rappeler ({props.open.length})</h2>
      {props.open.length === 0 ? (
        <p>Personne n’attend d’appel pour le moment.</p>
      ) : (
        <ul class="cards callbacks">
          {props.open.map((c) => (
            <OpenCallback c={c} csrf={props.csrf} />
          ))}
        </ul>
      )}
      {props.closed.length ? (
        <>
          <h2>Traités ces 7 derniers jours</h2>
          <ul class="callbacks-closed">
            {props.closed.map((c) => (
              <li>
                <strong>{c.firstName}</strong> : {STATE_LABELS[c.state]}
                {` (${c.attempts} essai${c.attempts > 1 ? 's' : ''})`}
                {c.closedAt ? `, le ${DATE_TIME.format(c.closedAt)}` : ''}
                <span class="meta"> — {whereOf(c)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href="/espace">Revenir à mon espace</a>
      </p>
    </Layout>
  );
}
