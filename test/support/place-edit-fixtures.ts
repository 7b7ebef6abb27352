import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { DEMO_TOTP_SECRET } from '../../src/accounts/accounts.service.ts';
import type { Db } from '../../src/db/database.ts';
import { closureFieldId, type EditForm, gridFieldId } from '../../src/places/place-edit.ts';
import type { testApp } from './app.ts';

/**
 * Helpers of the place-editing and moderation tests: a browser whose forms may repeat a field (the
 * checkboxes of a list), the body a browser sends for an edit form, and the demo place of the demo
 * structure 0.
 */
export type FormBody = Record<string, string | string[]>;

export function formBrowser(app: ReturnType<typeof testApp>) {
  const jar = new Map<string, string>();
  const request = async (path: string, init: { form?: FormBody } = {}) => {
    const headers: Record<string, string> = {};
    if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form))
        for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
      body = params.toString();
    }
    const res = await app.request(path, {
      method: init.form ? 'POST' : 'GET',
      headers,
      ...(body ? { body } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [name, value] = (cookie.split(';')[0] ?? '').split('=') as [string, string];
      if (/Max-Age=0/i.test(cookie) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const csrf = async (path: string) => csrfOf(await (await request(path)).text());
  const signIn = async (email: string) => {
    const res = await request('/connexion', {
      form: { _csrf: await csrf('/connexion'), email, password: 'demonstration-maillage' },
    });
    assert.equal(res.status, 303, `${email} signs in`);
    if (res.headers.get('Location') === '/connexion/code') {
      const code = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
      const ok = await request('/connexion/code', { form: { _csrf: await csrf('/connexion/code'), code } });
      assert.equal(ok.headers.get('Location'), '/compte');
    }
  };
  return { request, csrf, csrfOf, signIn };
}

/** What a browser posts for an edit form in this state (every field, checked boxes only). */
export function postedForm(form: EditForm, csrf: string): FormBody {
  const body: FormBody = { _csrf: csrf, ...form.text };
  for (const [field, list] of Object.entries(form.choices)) body[field] = list;
  body.horaires_mode = form.hoursMode;
  form.grid.forEach((slots, d) => {
    slots.forEach((v, slot) => {
      body[gridFieldId(d, slot)] = v;
    });
  });
  if (form.holidaysClosed) body.feries_fermes = 'oui';
  body.fermetures = String(form.closures.length);
  form.closures.forEach((c, i) => {
    body[closureFieldId(i, 'debut')] = c.debut;
    body[closureFieldId(i, 'fin')] = c.fin;
    body[closureFieldId(i, 'motif')] = c.motif;
    if (c.retirer) body[closureFieldId(i, 'retirer')] = 'oui';
  });
  return body;
}

/** The demo place of the demo structure 0 (admin.demo and mediation.demo are its members). */
export async function demoStructurePlace(db: Db): Promise<{ id: string; structureId: string }> {
  const row = await db
    .selectFrom('place')
    .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select(['place.id', 'membership.structure_id'])
    .where('person.email', '=', 'admin.demo@example.org')
    .orderBy('place.nom')
    .executeTakeFirstOrThrow();
  return { id: row.id, structureId: row.structure_id };
}

/** 'YYYY-MM-DD', `days` from today (UTC). */
export function isoInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
