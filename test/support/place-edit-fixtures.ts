import type { Db } from '../../src/db/database.ts';
import { getPlaceEditor } from '../../src/places/place-edit.service.ts';
import {
  closureFieldId,
  type EditForm,
  formOfValues,
  gridFieldId,
} from '../../src/places/place-edit-form.ts';
import { testApp } from './app.ts';
import type { FormFields } from './cookie-browser.ts';
import { createDemoTestDb, type TestDb } from './test-db.ts';

/**
 * Helpers of the place-editing and moderation tests: the body a browser sends for an edit form, the
 * demo place of the demo structure 0 and the form its edit page fills.
 */

/** The fields a browser sends for an edit form in this state (every field, checked boxes only). */
export function formFields(form: EditForm): FormFields {
  const body: FormFields = { ...form.text };
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

/** What a browser posts for an edit form in this state, with its CSRF token. */
export function postedForm(form: EditForm, csrf: string): FormFields {
  return { _csrf: csrf, ...formFields(form) };
}

/** A demonstration database, its app, and the demo place of the demo structure 0. */
export async function demoPlaceApp(env: Record<string, string> = {}) {
  const t = await createDemoTestDb();
  const app = testApp(t.db, env);
  const place = await demoStructurePlace(t.db);
  return { t, app, place };
}

/** The form as the edit page fills it now (the pending proposal, else the public values). */
export async function currentForm(t: TestDb, placeId: string) {
  const editor = await getPlaceEditor(t.db, { kind: 'system' }, { placeId });
  return formOfValues(editor.start, editor.today);
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
