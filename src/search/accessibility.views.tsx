import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Csrf } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import { Checkbox, stringsOf } from './search.views.tsx';

/** The display preferences (larger text, contrast, spacing, FALC) and the accessibility statement. */
export function PreferencesPage(props: { ctx: PageContext; saved: boolean; csrf: string }) {
  const s = stringsOf(props.ctx);
  const prefs = props.ctx.prefs ?? DEFAULT_PREFS;
  return (
    <Layout title={s.prefsTitle} ctx={props.ctx}>
      <h1>{s.prefsTitle}</h1>
      {props.saved ? (
        <p class="notice" role="status">
          {s.prefsSaved}
        </p>
      ) : null}
      <p>{s.prefsIntro}</p>
      <form method="post" action="/preferences">
        <Csrf token={props.csrf} />
        <fieldset>
          <legend>{s.prefsLegend}</legend>
          <Checkbox
            name="grand"
            value="1"
            id="pref-grand"
            label={s.prefLargeText}
            checked={prefs.largeText}
          />
          <Checkbox
            name="contraste"
            value="1"
            id="pref-contraste"
            label={s.prefContrast}
            checked={prefs.highContrast}
          />
          <Checkbox name="espace" value="1" id="pref-espace" label={s.prefSpacing} checked={prefs.spacing} />
          <Checkbox name="falc" value="1" id="pref-falc" label={s.prefFalc} checked={prefs.falc} />
        </fieldset>
        <p class="hint">{s.prefFalcNote}</p>
        <p>
          <button type="submit">{s.prefsSave}</button>
        </p>
      </form>
    </Layout>
  );
}

export function AccessibilityPage(props: { ctx: PageContext }) {
  const s = stringsOf(props.ctx);
  const { phone, email } = props.ctx.networkContact;
  return (
    <Layout title={s.a11yTitle} ctx={props.ctx}>
      <h1>{s.a11yTitle}</h1>
      <p>
        <strong>{s.a11yStatus}</strong>
      </p>
      <h2>{s.a11yHowHeading}</h2>
      <p>{s.a11yHow}</p>
      <p>{s.a11yNoAudit}</p>
      <h2>{s.a11yLimitsHeading}</h2>
      <ul>
        <li>{s.a11yLimitMap}</li>
        <li>{s.a11yLimitFalc}</li>
        <li>{s.a11yLimitData}</li>
        <li>{s.a11yLimitPdf}</li>
      </ul>
      <h2>{s.a11yContactHeading}</h2>
      <p>{s.a11yContact}</p>
      <ul>
        {phone ? (
          <li>
            {s.a11yPhone('')}
            <a href={phoneHref(phone)}>{formatPhone(phone)}</a>
          </li>
        ) : null}
        {email ? (
          <li>
            {s.a11yEmail('')}
            <a href={`mailto:${email}`}>{email}</a>
          </li>
        ) : null}
      </ul>
      <p>{s.a11yDefender}</p>
    </Layout>
  );
}
