import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { currentForm, demoPlaceApp, isoInDays, postedForm } from '../../test/support/place-edit-fixtures.ts';
import { closeTestTemplate } from '../../test/support/test-db.ts';
import { REFRESH_MS } from '../search/search.service.ts';

after(closeTestTemplate);

const COORDINATOR = 'coordination.demo@example.org';
const ADMIN = 'admin.demo@example.org';
const STAFF = 'mediation.demo@example.org';
const OTHER = 'autre-structure.demo@example.org';

type App = Awaited<ReturnType<typeof demoPlaceApp>>;

/** A visitor's report on a place, through the public form; returns its id. */
async function leaveReport(
  { t, app }: Pick<App, 't' | 'app'>,
  placeId: string,
  message: string,
  contact: string,
): Promise<string> {
  const visitor = cookieBrowser(app);
  const path = `/lieux/${placeId}/signaler`;
  const res = await visitor.request(path, { form: { _csrf: await visitor.csrf(path), message, contact } });
  assert.equal(res.status, 200);
  const row = await t.db
    .selectFrom('error_report')
    .select('id')
    .where('message', '=', message)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Everything a refused request must leave as it was. */
async function snapshot(t: App['t']) {
  const [reports, mails, audit] = await Promise.all([
    t.db.selectFrom('error_report').selectAll().orderBy('id').execute(),
    t.db.selectFrom('mail_outbox').select('id').execute(),
    t.db.selectFrom('audit_log').select('id').execute(),
  ]);
  return JSON.stringify({ reports, mails: mails.length, audit: audit.length });
}

describe('error reports forwarded to the structure that owns the place', () => {
  it('forwards, lets the structure answer, and mails the reporter that it is resolved', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const reportId = await leaveReport(
        { t, app },
        place.id,
        'Le numéro de téléphone ne répond plus.',
        'Habitante <Habitante@Exemple.FR>',
      );
      const coordinator = await demoSessionBrowser(app, t.db, COORDINATOR);
      const review = await (await coordinator.request(`/moderation/signalements/${reportId}`)).text();
      assert.match(review, /Transmettre à la structure/);
      const forwarded = await coordinator.request(`/moderation/signalements/${reportId}`, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'forward' },
      });
      assert.equal(forwarded.status, 303);
      assert.equal(forwarded.headers.get('Location'), '/moderation?fait=transmis');
      const queue = await (await coordinator.request('/moderation?fait=transmis')).text();
      assert.match(queue, /0 signalement à traiter/);
      assert.match(queue, /Signalements transmis aux structures \(1\)/);

      // The structure's members were mailed, with a link to answer; the contact is not theirs to see.
      const told = await t.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'kind', 'text_body'])
        .where('kind', '=', 'error_report_forwarded')
        .execute();
      assert.deepEqual(told.map((m) => m.to_address).sort(), [ADMIN, STAFF]);
      for (const m of told) assert.match(m.text_body, new RegExp(`/signalements/${reportId}`));

      const staff = await demoSessionBrowser(app, t.db, STAFF);
      const list = await (await staff.request('/signalements')).text();
      assert.match(list, /À vérifier \(1\)/);
      assert.match(list, new RegExp(`href="/signalements/${reportId}"`));
      const page = await (await staff.request(`/signalements/${reportId}`)).text();
      assert.match(page, /Le numéro de téléphone ne répond plus\./);
      assert.doesNotMatch(page, /Habitante/i, 'the reporter’s contact stays with the coordinator');

      const answered = await staff.request(`/signalements/${reportId}`, {
        form: {
          _csrf: staff.csrfOf(page),
          reponse: 'done',
          note: 'Le nouveau numéro est sur la fiche.',
        },
      });
      assert.equal(answered.status, 303);
      assert.equal(answered.headers.get('Location'), '/signalements?fait=repondu');
      const row = await t.db
        .selectFrom('error_report')
        .selectAll()
        .where('id', '=', reportId)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'done');
      assert.equal(row.decision_message, 'Le nouveau numéro est sur la fiche.');
      assert.ok(row.reporter_notified_at, 'the reporter was told');

      const [mail, ...more] = await t.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'kind', 'subject', 'text_body'])
        .where('kind', '=', 'error_report_resolved')
        .execute();
      assert.equal(more.length, 0);
      assert.ok(mail);
      assert.equal(mail.to_address, 'Habitante@exemple.fr');
      assert.equal(mail.subject, 'Votre signalement est corrigé : Bibliothèque de Boigny-sur-Bionne');
      assert.match(mail.text_body, /vous avez signalé une erreur sur la fiche de « Bibliothèque de Boigny/);
      assert.match(mail.text_body, /Le nouveau numéro est sur la fiche\./);
      assert.match(mail.text_body, new RegExp(`/lieux/${place.id}`));
      assert.doesNotMatch(mail.text_body, /numéro de téléphone ne répond plus/, 'no need to quote it back');

      const actions = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'error_report.%')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        actions.map((a) => a.action),
        ['error_report.forwarded', 'error_report.resolved_by_structure'],
      );
      assert.match(
        await (await staff.request('/signalements')).text(),
        /À vérifier \(0\)[\s\S]*Rien à faire/,
      );

      // Answering again, or the coordinator forwarding again: the report is no longer waiting.
      const before = await snapshot(t);
      const again = await staff.request(`/signalements/${reportId}`, {
        form: { _csrf: staff.csrfOf(page), reponse: 'rejected', note: 'Finalement non.' },
      });
      assert.equal(again.status, 409);
      assert.match(await again.text(), /Ce signalement a déjà reçu une réponse\./);
      const forwardAgain = await coordinator.request(`/moderation/signalements/${reportId}`, {
        form: { _csrf: coordinator.csrfOf(review), decision: 'forward' },
      });
      assert.equal(forwardAgain.status, 409);
      assert.equal(await snapshot(t), before, 'nothing written');
    } finally {
      await t.close();
    }
  });

  it("hides a structure's forwarded reports from another structure, and mails nobody without an address", async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const reportId = await leaveReport({ t, app }, place.id, 'Fermé le mardi matin.', '06 12 34 56 78');
      const coordinator = await demoSessionBrowser(app, t.db, COORDINATOR);
      const path = `/moderation/signalements/${reportId}`;
      const res = await coordinator.request(path, {
        form: { _csrf: await coordinator.csrf(path), decision: 'forward' },
      });
      assert.equal(res.status, 303);

      const other = await demoSessionBrowser(app, t.db, OTHER);
      const list = await (await other.request('/signalements')).text();
      assert.match(list, /À vérifier \(0\)/);
      assert.doesNotMatch(list, new RegExp(reportId));
      assert.equal((await other.request(`/signalements/${reportId}`)).status, 403);
      const before = await snapshot(t);
      const refused = await other.request(`/signalements/${reportId}`, {
        form: { _csrf: await other.csrf('/signalements'), reponse: 'done', note: 'Corrigé.' },
      });
      assert.equal(refused.status, 403);
      assert.equal(await snapshot(t), before, 'nothing written');

      // The structure answers "not an error": no mail to the reporter (a phone number is no address).
      const admin = await demoSessionBrowser(app, t.db, ADMIN);
      const ok = await admin.request(`/signalements/${reportId}`, {
        form: {
          _csrf: await admin.csrf(`/signalements/${reportId}`),
          reponse: 'rejected',
          note: 'Ouvert le mardi matin depuis janvier.',
        },
      });
      assert.equal(ok.status, 303);
      const resolved = await t.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('kind', '=', 'error_report_resolved')
        .execute();
      assert.equal(resolved.length, 0);
      const review = await (await coordinator.request(path)).text();
      assert.match(review, /rejeté/);
      assert.match(review, /Ouvert le mardi matin depuis janvier\./);
    } finally {
      await t.close();
    }
  });

  it('refuses bad answers in French naming the field, an unknown report, and writes nothing', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const reportId = await leaveReport({ t, app }, place.id, 'Adresse fausse.', 'a@exemple.fr');
      const coordinator = await demoSessionBrowser(app, t.db, COORDINATOR);
      const path = `/moderation/signalements/${reportId}`;
      await coordinator.request(path, { form: { _csrf: await coordinator.csrf(path), decision: 'forward' } });
      const staff = await demoSessionBrowser(app, t.db, STAFF);
      const csrf = await staff.csrf(`/signalements/${reportId}`);
      const before = await snapshot(t);

      const empty = await staff.request(`/signalements/${reportId}`, {
        form: { _csrf: csrf, reponse: 'done', note: '   ' },
      });
      assert.equal(empty.status, 400);
      const emptyPage = await empty.text();
      assert.match(emptyPage, /<title>Erreur : /);
      assert.match(emptyPage, /href="#note">Note : écrivez en une phrase ce qui a été fait/);

      const noChoice = await staff.request(`/signalements/${reportId}`, {
        form: { _csrf: csrf, reponse: 'peut-être', note: 'Vu.' },
      });
      assert.equal(noChoice.status, 400);
      assert.match(await noChoice.text(), /href="#reponse-done">Réponse : choisissez/);

      const tooLong = await staff.request(`/signalements/${reportId}`, {
        form: { _csrf: csrf, reponse: 'done', note: 'x'.repeat(1001) },
      });
      assert.equal(tooLong.status, 400);
      assert.match(
        await tooLong.text(),
        /Note : 1001 caractères, c&#39;est trop\. 1000 caractères au plus\./,
      );

      for (const id of ['00000000-0000-4000-8000-000000000000', 'pas-un-identifiant']) {
        const unknown = await staff.request(`/signalements/${id}`, {
          form: { _csrf: csrf, reponse: 'done', note: 'Vu.' },
        });
        assert.equal(unknown.status, 404, id);
        assert.match(await unknown.text(), /Ce signalement n(&#39;|')existe pas\./);
        assert.equal((await staff.request(`/signalements/${id}`)).status, 404);
      }
      assert.equal(await snapshot(t), before, 'nothing written');

      // A place without a structure cannot be forwarded: the coordinator handles it.
      const orphan = await t.db
        .selectFrom('place')
        .select('id')
        .where('id', '!=', place.id)
        .orderBy('nom')
        .executeTakeFirstOrThrow();
      await t.db.updateTable('place').set({ structure_id: null }).where('id', '=', orphan.id).execute();
      const orphanReport = await leaveReport({ t, app }, orphan.id, 'Lieu déménagé.', '');
      const orphanPath = `/moderation/signalements/${orphanReport}`;
      const orphanPage = await (await coordinator.request(orphanPath)).text();
      assert.doesNotMatch(orphanPage, /Transmettre à la structure/);
      const beforeOrphan = await snapshot(t);
      const refused = await coordinator.request(orphanPath, {
        form: { _csrf: coordinator.csrfOf(orphanPage), decision: 'forward' },
      });
      assert.equal(refused.status, 409);
      assert.match(await refused.text(), /rattaché à aucune structure : traitez ce signalement vous-même/);
      assert.equal(await snapshot(t), beforeOrphan, 'nothing written');
    } finally {
      await t.close();
    }
  });

  it('tells the reporter when the coordinator marks the report handled', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const reportId = await leaveReport({ t, app }, place.id, 'Horaires faux.', 'voisin@exemple.fr');
      const coordinator = await demoSessionBrowser(app, t.db, COORDINATOR);
      const path = `/moderation/signalements/${reportId}`;
      const res = await coordinator.request(path, {
        form: { _csrf: await coordinator.csrf(path), decision: 'done', message: 'Horaires corrigés.' },
      });
      assert.equal(res.status, 303);
      const mails = await t.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'text_body'])
        .where('kind', '=', 'error_report_resolved')
        .execute();
      assert.deepEqual(
        mails.map((m) => m.to_address),
        ['voisin@exemple.fr'],
      );
      assert.match(mails[0]?.text_body ?? '', /Horaires corrigés\./);
    } finally {
      await t.close();
    }
  });
});

describe('temporary closures proposed by a structure', () => {
  it('are public at once, and the coordinator refusing the change takes them off', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const api = async () =>
        (await (await app.request(`/api/v1/lieux/${place.id}`)).json()) as Record<string, unknown>;
      const before = await api();
      const service = String(before.services).split('|')[0] ?? '';
      const search = `/recherche?besoin=${encodeURIComponent(service)}&ou=${encodeURIComponent(String(before.commune))}`;
      const shownClosed = async () => {
        const html = await (await app.request(search)).text();
        assert.match(html, /Bibliothèque de Boigny-sur-Bionne/, 'the place is in the results');
        return /Boigny-sur-Bionne[\s\S]{0,3000}Fermé temporairement du [^<]*\(Inventaire zq8\)/.test(html);
      };
      assert.equal(await shownClosed(), false);

      const staff = await demoSessionBrowser(app, t.db, STAFF);
      const form = await currentForm(t, place.id);
      form.closures[0] = { debut: isoInDays(3), fin: isoInDays(10), motif: 'Inventaire zq8', retirer: false };
      const sent = await staff.request(`/lieux/${place.id}/modifier`, {
        form: postedForm(form, await staff.csrf(`/lieux/${place.id}/modifier`)),
      });
      assert.equal(sent.status, 303);
      assert.match(sent.headers.get('Location') ?? '', /fait=fermeture-publiee/);
      assert.match(
        await (await staff.request(sent.headers.get('Location') ?? '')).text(),
        /La fermeture temporaire est publique dès maintenant/,
      );
      await sleep(REFRESH_MS + 200);
      assert.equal(await shownClosed(), true, 'closed in the search results without waiting');
      assert.match(await (await app.request(`/lieux/${place.id}`)).text(), /Fermé temporairement du/);

      // The change still waits in the queue, marked, and refusing it puts the closures back.
      const coordinator = await demoSessionBrowser(app, t.db, COORDINATOR);
      const queue = await (await coordinator.request('/moderation')).text();
      assert.match(queue, /1 modification à valider/);
      assert.match(queue, /fermeture déjà publique/);
      const { id } = await t.db
        .selectFrom('place_change')
        .select('id')
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      const path = `/moderation/modifications/${id}`;
      const review = await (await coordinator.request(path)).text();
      assert.match(review, /Ces fermetures sont publiques depuis le/);
      assert.match(review, /Refuser et retirer la fermeture/);
      const refused = await coordinator.request(path, {
        form: {
          _csrf: coordinator.csrfOf(review),
          decision: 'reject',
          message: 'Le lieu reste ouvert pendant l’inventaire.',
        },
      });
      assert.equal(refused.status, 303);
      await sleep(REFRESH_MS + 200);
      assert.equal(await shownClosed(), false, 'the revert reached the search');
      assert.doesNotMatch(await (await app.request(`/lieux/${place.id}`)).text(), /Inventaire zq8/);
      const mails = await t.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('kind', '=', 'moderation_decision')
        .execute();
      assert.ok(mails.length > 0);
      for (const m of mails) assert.match(m.text_body, /La fermeture temporaire annoncée est retirée/);
      const audit = await t.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('subject_id', '=', place.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.action, (a.details as Record<string, unknown>).closuresPublished ?? null]),
        [
          ['place_change.proposed', true],
          ['place_change.rejected', null],
        ],
      );
      assert.equal((audit[1]?.details as Record<string, unknown> | undefined)?.closuresReverted, true);
    } finally {
      await t.close();
    }
  });

  it('keeps a shortened or removed closure waiting for the coordinator (it opens days again)', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const staff = await demoSessionBrowser(app, t.db, ADMIN);
      const edit = async (change: (form: Awaited<ReturnType<typeof currentForm>>) => void) => {
        const form = await currentForm(t, place.id);
        change(form);
        const res = await staff.request(`/lieux/${place.id}/modifier`, {
          form: postedForm(form, await staff.csrf(`/lieux/${place.id}/modifier`)),
        });
        assert.equal(res.status, 303);
        return res.headers.get('Location') ?? '';
      };
      const publicClosures = () =>
        t.db
          .selectFrom('place_closure')
          .select(['starts_on', 'ends_on'])
          .where('place_id', '=', place.id)
          .orderBy('starts_on')
          .execute();
      assert.match(
        await edit((f) => {
          f.closures[0] = { debut: isoInDays(3), fin: isoInDays(10), motif: '', retirer: false };
        }),
        /fermeture-publiee/,
      );
      assert.deepEqual(await publicClosures(), [{ starts_on: isoInDays(3), ends_on: isoInDays(10) }]);
      // Shortening it waits: the longer closure stays public.
      assert.match(
        await edit((f) => {
          (f.closures[0] as { fin: string }).fin = isoInDays(5);
        }),
        /fait=envoye/,
      );
      assert.deepEqual(await publicClosures(), [{ starts_on: isoInDays(3), ends_on: isoInDays(10) }]);
      // Then removing it altogether (back to no closure, as before the first proposal) waits too.
      assert.match(
        await edit((f) => {
          (f.closures[0] as { retirer: boolean }).retirer = true;
        }),
        /fait=envoye/,
      );
      assert.deepEqual(await publicClosures(), [{ starts_on: isoInDays(3), ends_on: isoInDays(10) }]);
      // The newest proposal still carries the closure made public.
      const pending = await t.db
        .selectFrom('place_change')
        .select(['id', 'closures_applied_at'])
        .where('status', '=', 'pending')
        .execute();
      assert.equal(pending.length, 1);
      assert.ok(pending[0]?.closures_applied_at);
      // Approving it gives what the structure asked last: no closure.
      const coordinator = await demoSessionBrowser(app, t.db, COORDINATOR);
      const path = `/moderation/modifications/${pending[0]?.id}`;
      const approved = await coordinator.request(path, {
        form: { _csrf: await coordinator.csrf(path), decision: 'approve', message: '' },
      });
      assert.equal(approved.status, 303);
      assert.deepEqual(await publicClosures(), []);
    } finally {
      await t.close();
    }
  });
});
