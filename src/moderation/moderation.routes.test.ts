import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { currentForm, demoPlaceApp, isoInDays, postedForm } from '../../test/support/place-edit-fixtures.ts';
import { closeTestTemplate } from '../../test/support/test-db.ts';
import { localToday } from '../places/place-dates.ts';
import { placesVersion } from '../places/places.service.ts';
import { REFRESH_MS } from '../search/search.service.ts';

after(closeTestTemplate);

/** Waits until every app server's index has checked the directory's version again. */
const indexRefresh = () => sleep(REFRESH_MS + 200);

/** A unique marker in every free-text field of the national schema (and in a closure's reason). */
const MARKERS = {
  nom: 'Bibliothèque zq7nom',
  adresse: '12 rue zq7adresse',
  complement_adresse: 'Bâtiment zq7complement',
  presentation_resume: 'Résumé zq7resume.',
  presentation_detail: 'Détail zq7detail.',
  structure_parente: 'Réseau zq7parente',
  autres_formations_labels: 'Label zq7label',
  courriels: 'zq7courriel@exemple.fr',
  site_web: 'https://zq7site.exemple.fr',
  prise_rdv: 'https://rdv.exemple.fr/zq7rdv',
  fiche_acces_libre: 'https://acceslibre.beta.gouv.fr/zq7acces',
  horaires_osm: 'We 15:00-18:00; Sa 10:00-12:00 "zq7horaires"',
  telephone: '02 38 77 66 55',
  latitude: '47.931234',
  longitude: '2.016789',
} as const;
const CLOSURE_REASON = 'Travaux zq7fermeture';
/** Each marker as it may be written in a page or an answer. */
const TRACES: Record<string, RegExp> = {
  nom: /zq7nom/,
  adresse: /zq7adresse/,
  complement_adresse: /zq7complement/,
  presentation_resume: /zq7resume/,
  presentation_detail: /zq7detail/,
  structure_parente: /zq7parente/,
  autres_formations_labels: /zq7label/,
  courriels: /zq7courriel/,
  site_web: /zq7site/,
  prise_rdv: /zq7rdv/,
  fiche_acces_libre: /zq7acces/,
  horaires: /zq7horaires/,
  telephone: /38 77 66 55|238776655/,
  latitude: /47\.931234/,
  longitude: /2\.016789/,
  closure: /zq7fermeture/,
};

describe('moderation of place changes', () => {
  it('shows no unapproved value on any public page or API but the closure, then every approved one', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const before = (await (await app.request(`/api/v1/lieux/${place.id}`)).json()) as Record<
        string,
        string
      >;
      const service = String(before.services).split('|')[0] ?? '';
      assert.ok(service, 'the demo place offers a national service');
      const where = `besoin=${encodeURIComponent(service)}&ou=${encodeURIComponent(before.commune ?? '')}`;
      const pages = async (): Promise<Map<string, string>> => {
        const paths = [
          '/',
          `/recherche?${where}`,
          `/recherche?${where}&vue=carte`,
          `/recherche/filtres?${where}`,
          `/embed?${where}`,
          `/lieux/${place.id}`,
          `/lieux/${place.id}/signaler`,
          ...[1, 2, 3, 4].map((n) => `/lieux?page=${n}`),
          `/api/v1/lieux?commune=${before.code_insee}&limit=100`,
          `/api/v1/lieux?near=47.93,2.01&limit=100`,
          `/api/v1/lieux?limit=100`,
          `/api/v1/lieux/${place.id}`,
          '/api/v1/lieux/export?format=json',
          '/api/v1/lieux/export?format=csv',
          '/api/v1/lieux/export?format=csv-excel',
          '/couverture',
          '/couverture.csv',
          '/couverture.geojson',
        ];
        const out = new Map<string, string>();
        for (const path of paths) {
          const res = await app.request(path);
          assert.equal(res.status, 200, path);
          out.set(path, await res.text());
        }
        return out;
      };
      const wherePlaceIs = (outputs: Map<string, string>, name: RegExp) =>
        [...outputs].filter(([, text]) => name.test(text)).map(([path]) => path);

      // The place is on the pages checked (the right need and commune), with its public name.
      const start = await pages();
      for (const path of [`/recherche?${where}`, `/embed?${where}`, `/lieux/${place.id}`])
        assert.match(start.get(path) ?? '', /Bibliothèque de Boigny-sur-Bionne/, path);

      // A member proposes a marker in every free-text field, and a closure.
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      const form = await currentForm(t, place.id);
      Object.assign(form.text, MARKERS);
      form.hoursMode = 'avance';
      form.closures[0] = { debut: isoInDays(20), fin: isoInDays(30), motif: CLOSURE_REASON, retirer: false };
      const sent = await staff.request(`/lieux/${place.id}/modifier`, {
        form: postedForm(form, await staff.csrf(`/lieux/${place.id}/modifier`)),
      });
      assert.equal(sent.status, 303, await sent.text());
      await indexRefresh();

      const pending = await pages();
      for (const [field, trace] of Object.entries(TRACES))
        if (field !== 'closure')
          assert.deepEqual(wherePlaceIs(pending, trace), [], `no page shows the unapproved ${field}`);
      // The closure only reduces the offer: it is public at once, so nobody is sent to a closed door.
      assert.match(pending.get(`/lieux/${place.id}`) ?? '', TRACES.closure as RegExp);

      // The coordinator sees the change in the queue, beside the public record, and approves it.
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const queue = await (await coordinator.request('/moderation')).text();
      assert.match(queue, /1 modification à valider/);
      const link = /href="(\/moderation\/modifications\/[0-9a-f-]+)"/.exec(queue)?.[1];
      assert.ok(link, 'the queue links to the change');
      const review = await (await coordinator.request(link)).text();
      assert.match(review, /<th scope="row">Nom du lieu<\/th><td><strong>Modifié<\/strong><\/td>/);
      assert.match(review, /<th scope="row">Identifiant<\/th><td>Identique<\/td>/);
      for (const trace of Object.values(TRACES)) assert.match(review, trace);
      assert.match(review, /Bibliothèque de Boigny-sur-Bionne/, 'the current value is shown beside');
      const approved = await coordinator.request(link, {
        form: {
          _csrf: coordinator.csrfOf(review),
          decision: 'approve',
          message: 'Merci pour la mise à jour.',
        },
      });
      assert.equal(approved.status, 303);
      assert.equal(approved.headers.get('Location'), '/moderation?fait=valide');
      await indexRefresh();

      const published = await pages();
      const everywhere = (trace: RegExp, paths: string[]) => {
        for (const path of paths) assert.match(published.get(path) ?? '', trace, `${trace} on ${path}`);
      };
      const api = [
        `/api/v1/lieux/${place.id}`,
        '/api/v1/lieux/export?format=json',
        '/api/v1/lieux/export?format=csv',
      ];
      for (const field of Object.keys(MARKERS)) {
        const trace = TRACES[field === 'horaires_osm' ? 'horaires' : field] as RegExp;
        everywhere(trace, api);
      }
      const sheet = `/lieux/${place.id}`;
      for (const field of [
        'nom',
        'adresse',
        'complement_adresse',
        'presentation_resume',
        'presentation_detail',
        'courriels',
        'site_web',
        'prise_rdv',
        'telephone',
        'closure',
      ])
        everywhere(TRACES[field] as RegExp, [sheet]);
      for (const path of [`/recherche?${where}`, `/embed?${where}`])
        everywhere(
          /zq7nom[\s\S]*12 rue zq7adresse[\s\S]*Fermé temporairement du .* \(Travaux zq7fermeture\)/,
          [path],
        );
      assert.match(published.get(sheet) ?? '', /Fermé temporairement du/);
      assert.ok(wherePlaceIs(published, /zq7nom/).some((p) => p.startsWith('/lieux?page=')));

      // The record is dated today, its hash recomputed, the proposer and the administrators told.
      const row = await t.db
        .selectFrom('place')
        .select(['date_maj', 'content_hash', 'nom'])
        .where('id', '=', place.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.date_maj, localToday(new Date()));
      assert.equal(row.nom, MARKERS.nom);
      const mails = await t.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'subject', 'text_body'])
        .execute();
      assert.deepEqual(mails.map((m) => m.to_address).sort(), [
        'admin.demo@example.org',
        'mediation.demo@example.org',
      ]);
      for (const mail of mails) {
        assert.match(mail.subject, /^Modification validée : /);
        assert.match(mail.text_body, /Merci pour la mise à jour\./);
        assert.match(mail.text_body, new RegExp(`/lieux/${place.id}`));
      }
      const audit = await t.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('subject_id', '=', place.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['place_change.proposed', 'place_change.approved'],
      );
      const details = audit[1]?.details as { fields?: string[] } | undefined;
      assert.ok(details?.fields?.includes('nom'), 'the audit entry lists the fields changed');
      // The closures were already public since the proposal: approving keeps them as they are.
      assert.ok(!details?.fields?.includes('closures'));
      assert.equal(
        (audit[0]?.details as { closuresPublished?: boolean } | undefined)?.closuresPublished,
        true,
      );
      assert.match(
        await (await coordinator.request('/moderation?fait=valide')).text(),
        /La modification est validée[\s\S]*0 modification à valider/,
      );
      // Deciding twice is refused.
      const twice = await coordinator.request(link, {
        form: {
          _csrf: await coordinator.csrf(`/lieux/${place.id}/modifier`),
          decision: 'reject',
          message: 'Non.',
        },
      });
      assert.equal(twice.status, 409);
    } finally {
      await t.close();
    }
  });

  it('closes a place inside an approved closure for "open now", and opens it again once removed', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const staff = cookieBrowser(app);
      await staff.signIn('admin.demo@example.org');
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const propose = async (change: (form: Awaited<ReturnType<typeof currentForm>>) => void) => {
        const form = await currentForm(t, place.id);
        change(form);
        const res = await staff.request(`/lieux/${place.id}/modifier`, {
          form: postedForm(form, await staff.csrf(`/lieux/${place.id}/modifier`)),
        });
        assert.equal(res.status, 303, await res.text());
        const { id } = await t.db
          .selectFrom('place_change')
          .select('id')
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow();
        const path = `/moderation/modifications/${id}`;
        const ok = await coordinator.request(path, {
          form: { _csrf: await coordinator.csrf(path), decision: 'approve', message: '' },
        });
        assert.equal(ok.status, 303);
        await indexRefresh();
      };
      const openNow = async () =>
        ((await (await app.request(`/api/v1/lieux/${place.id}`)).json()) as { open_now: boolean }).open_now;

      // Open every day, all day (from the grid), and closed from yesterday to the day after tomorrow.
      await propose((form) => {
        form.hoursMode = 'grille';
        form.grid = form.grid.map(() => ['00:00', '24:00', '', '']);
        form.closures[0] = { debut: isoInDays(-1), fin: isoInDays(2), motif: '', retirer: false };
      });
      assert.equal(
        (
          await t.db
            .selectFrom('place')
            .select('horaires')
            .where('id', '=', place.id)
            .executeTakeFirstOrThrow()
        ).horaires,
        'Mo-Su 00:00-24:00',
      );
      assert.equal(await openNow(), false, 'inside the closure');
      const sheet = await (await app.request(`/lieux/${place.id}`)).text();
      assert.match(sheet, /<strong class="closed">Fermé en ce moment<\/strong> · rouvre /);
      assert.match(sheet, /Fermé temporairement/);
      const open = await (
        await app.request('/api/v1/lieux?commune=45034&ouvert_maintenant=oui&limit=100')
      ).json();
      assert.ok(!(open as { data: { id: string }[] }).data.some((p) => p.id === place.id));

      await propose((form) => {
        (form.closures[0] as { retirer: boolean }).retirer = true;
      });
      assert.equal(await openNow(), true, 'the closure removed');
      assert.doesNotMatch(await (await app.request(`/lieux/${place.id}`)).text(), /Fermé temporairement/);
    } finally {
      await t.close();
    }
  });

  it('refuses a change only with a message, mailed to the structure, and changes nothing public', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      const form = await currentForm(t, place.id);
      form.text.nom = 'Nom refusé';
      await staff.request(`/lieux/${place.id}/modifier`, {
        form: postedForm(form, await staff.csrf(`/lieux/${place.id}/modifier`)),
      });
      const { id } = await t.db.selectFrom('place_change').select('id').executeTakeFirstOrThrow();
      const version = await placesVersion(t.db);
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const path = `/moderation/modifications/${id}`;
      const noMessage = await coordinator.request(path, {
        form: { _csrf: await coordinator.csrf(path), decision: 'reject', message: '  ' },
      });
      assert.equal(noMessage.status, 400);
      assert.match(
        await noMessage.text(),
        /href="#message">Message : expliquez pourquoi la modification est refusée/,
      );
      const tooLong = await coordinator.request(path, {
        form: { _csrf: await coordinator.csrf(path), decision: 'reject', message: 'x'.repeat(2001) },
      });
      assert.equal(tooLong.status, 400);
      const refused = await coordinator.request(path, {
        form: {
          _csrf: await coordinator.csrf(path),
          decision: 'reject',
          message: 'Le nom officiel reste <b>celui de la commune</b>.',
        },
      });
      assert.equal(refused.status, 303);
      assert.equal(await placesVersion(t.db), version, 'nothing public changed');
      const mails = await t.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'subject', 'text_body'])
        .execute();
      assert.equal(mails.length, 2);
      for (const mail of mails) {
        assert.match(mail.subject, /^Modification refusée : Bibliothèque de Boigny-sur-Bionne/);
        assert.match(mail.text_body, /Le nom officiel reste <b>celui de la commune<\/b>\./);
        assert.match(mail.text_body, /\/modifier/);
      }
      const decided = await (await coordinator.request(path)).text();
      assert.match(decided, /État : <strong>refusée<\/strong>/);
      assert.match(decided, /&lt;b&gt;celui de la commune&lt;\/b&gt;/);
      assert.doesNotMatch(decided, /Valider la modification/);
      const actions = await t.db.selectFrom('audit_log').select('action').orderBy('id').execute();
      assert.deepEqual(
        actions.map((a) => a.action).filter((a) => a.startsWith('place_change')),
        ['place_change.proposed', 'place_change.rejected'],
      );
    } finally {
      await t.close();
    }
  });
});

describe('moderation of public error reports', () => {
  it('queues a report left on a public page, and closes it handled or rejected with a message', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const visitor = cookieBrowser(app);
      const report = async (message: string) => {
        const res = await visitor.request(`/lieux/${place.id}/signaler`, {
          form: { _csrf: await visitor.csrf(`/lieux/${place.id}/signaler`), message, contact: '' },
        });
        assert.equal(res.status, 200);
      };
      await report('Le lieu est fermé le samedi <script>alert(1)</script>');
      await report('Le téléphone ne répond plus.');
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const queue = await (await coordinator.request('/moderation')).text();
      assert.match(queue, /2 signalements à traiter/);
      assert.doesNotMatch(queue, /<script>alert/);
      const links = [...queue.matchAll(/href="(\/moderation\/signalements\/[0-9a-f-]+)"/g)].map(
        (m) => m[1] as string,
      );
      assert.equal(links.length, 2);
      const [first, second] = links as [string, string];
      const page = await (await coordinator.request(first)).text();
      assert.match(page, /Le lieu est fermé le samedi &lt;script&gt;/, 'oldest first');
      assert.match(page, new RegExp(`href="/lieux/${place.id}/modifier"`));
      assert.match(page, new RegExp(`href="/lieux/${place.id}"`));

      const reject = await coordinator.request(first, {
        form: { _csrf: coordinator.csrfOf(page), decision: 'rejected', message: '' },
      });
      assert.equal(reject.status, 400);
      assert.match(await reject.text(), /Message : expliquez pourquoi le signalement est rejeté/);
      const rejected = await coordinator.request(first, {
        form: {
          _csrf: coordinator.csrfOf(page),
          decision: 'rejected',
          message: 'Horaires vérifiés : ouvert.',
        },
      });
      assert.equal(rejected.headers.get('Location'), '/moderation?fait=rejete');
      const done = await coordinator.request(second, {
        form: { _csrf: await coordinator.csrf(second), decision: 'done', message: '' },
      });
      assert.equal(done.headers.get('Location'), '/moderation?fait=traite');
      const rows = await t.db
        .selectFrom('error_report')
        .select(['status', 'decision_message', 'decided_by'])
        .orderBy('created_at')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.status, r.decision_message]),
        [
          ['rejected', 'Horaires vérifiés : ouvert.'],
          ['done', null],
        ],
      );
      assert.ok(rows.every((r) => r.decided_by !== null));
      const actions = await t.db.selectFrom('audit_log').select('action').orderBy('id').execute();
      assert.deepEqual(
        actions.map((a) => a.action).filter((a) => a.startsWith('error_report')),
        ['error_report.rejected', 'error_report.done'],
      );
      assert.match(await (await coordinator.request('/moderation')).text(), /0 signalement à traiter/);
      const again = await coordinator.request(second, {
        form: { _csrf: await coordinator.csrf(`/lieux/${place.id}/modifier`), decision: 'done', message: '' },
      });
      assert.equal(again.status, 409);

      const staff = cookieBrowser(app);
      await staff.signIn('admin.demo@example.org');
      assert.equal((await staff.request('/moderation')).status, 403);
      assert.equal((await staff.request(first)).status, 403);
    } finally {
      await t.close();
    }
  });
});
