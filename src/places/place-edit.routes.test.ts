import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { currentForm, demoPlaceApp, isoInDays, postedForm } from '../../test/support/place-edit-fixtures.ts';
import { closeTestTemplate } from '../../test/support/test-db.ts';
import { localToday } from './place-dates.ts';
import { closureFieldId, gridFieldId } from './place-edit-form.ts';
import { placesVersion } from './places.service.ts';

after(closeTestTemplate);

describe('editing a place by its structure', () => {
  it('records a proposal without changing anything public but its closure, shows it pending, and a newer one replaces it', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      const page = await staff.request(`/lieux/${place.id}/modifier`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<h1>Modifier la fiche de Bibliothèque de Boigny-sur-Bionne<\/h1>/);
      assert.match(
        html,
        /id="nom"[^>]*value="Bibliothèque de Boigny-sur-Bionne"|value="Bibliothèque de Boigny-sur-Bionne"[^>]*id="nom"/,
      );
      assert.match(html, /Les informations sont toujours à jour/);
      const before = await (await app.request(`/api/v1/lieux/${place.id}`)).json();

      const form = await currentForm(t, place.id);
      form.text.telephone = '02 38 11 22 33';
      form.closures[0] = { debut: isoInDays(10), fin: isoInDays(20), motif: 'Congés', retirer: false };
      const sent = await staff.request(`/lieux/${place.id}/modifier`, {
        form: postedForm(form, staff.csrfOf(html)),
      });
      assert.equal(sent.status, 303);
      // The closure only reduces the offer: it is public at once; the phone number waits.
      assert.match(sent.headers.get('Location') ?? '', /\/modifier\?fait=fermeture-publiee/);

      const pending = await (await staff.request(sent.headers.get('Location') ?? '')).text();
      assert.match(pending, /En attente de validation par la coordination/);
      assert.match(pending, /La fermeture temporaire est publique dès maintenant/);
      assert.match(pending, /Les fermetures temporaires sont déjà publiques/);
      assert.match(pending, /\+33238112233/);
      assert.doesNotMatch(pending, /Les informations sont toujours à jour/, 'no confirmation while pending');

      const after1 = await (await app.request(`/api/v1/lieux/${place.id}`)).json();
      assert.deepEqual(after1, before, 'the public record is unchanged');
      const sheet = await (await app.request(`/lieux/${place.id}`)).text();
      assert.doesNotMatch(sheet, /38 11 22 33/);
      assert.equal(
        (await t.db.selectFrom('place_closure').select('id').where('place_id', '=', place.id).execute())
          .length,
        1,
      );

      // A second proposal replaces the first.
      const form2 = await currentForm(t, place.id);
      assert.equal(form2.text.telephone, '+33238112233', 'the form starts from the pending proposal');
      form2.text.presentation_resume = 'Accueil le mercredi et le samedi.';
      const again = await staff.request(`/lieux/${place.id}/modifier`, {
        form: postedForm(form2, await staff.csrf(`/lieux/${place.id}/modifier`)),
      });
      assert.equal(again.status, 303);
      const changes = await t.db
        .selectFrom('place_change')
        .select(['status', 'proposed_by_label'])
        .where('place_id', '=', place.id)
        .orderBy('proposed_at')
        .execute();
      assert.deepEqual(
        changes.map((c) => c.status),
        ['superseded', 'pending'],
      );
      assert.equal(changes[1]?.proposed_by_label, 'Sam (médiation)');
      const audit = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject_id', '=', place.id)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['place_change.proposed', 'place_change.proposed'],
      );

      const confirm = await staff.request(`/lieux/${place.id}/a-jour`, {
        form: { _csrf: await staff.csrf(`/lieux/${place.id}/modifier`) },
      });
      assert.equal(confirm.status, 409, '"still up to date" waits for the pending change');
      assert.match(await confirm.text(), /attend la validation de la coordination/);
    } finally {
      await t.close();
    }
  });

  it('refuses bad input with French messages naming the field, keeps what was typed, and leaves HTML inert', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const admin = cookieBrowser(app);
      await admin.signIn('admin.demo@example.org');
      const csrf = await admin.csrf(`/lieux/${place.id}/modifier`);
      const script = '<script>alert("x")</script>';
      const form = await currentForm(t, place.id);
      for (const field of [
        'nom',
        'adresse',
        'complement_adresse',
        'presentation_detail',
        'structure_parente',
        'autres_formations_labels',
      ] as const)
        form.text[field] = `${field} ${script}`;
      form.text.presentation_resume = 'x'.repeat(5000);
      form.text.latitude = 'nord';
      form.text.longitude = '1000';
      form.text.courriels = 'contact@@exemple';
      form.text.telephone = '<b>12</b>';
      form.text.site_web = 'javascript:alert(1)';
      form.grid[2] = ['15:00', '14:00', '', ''];
      form.closures[0] = { debut: isoInDays(20), fin: isoInDays(10), motif: script, retirer: false };
      const res = await admin.request(`/lieux/${place.id}/modifier`, { form: postedForm(form, csrf) });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /<title>Erreur : Modifier la fiche/);
      assert.match(html, /class="error-summary"/);
      for (const [anchor, words] of [
        ['presentation_resume', 'Présentation courte : 5000 caractères'],
        ['latitude', 'Latitude : « nord » n&#39;est pas un nombre'],
        ['longitude', 'Longitude : « 1000 » est hors limites'],
        ['courriels', 'Adresses e-mail : « contact@@exemple »'],
        ['telephone', 'Téléphone : « &lt;b&gt;12&lt;/b&gt; »'],
        ['site_web', 'Sites web : « javascript:alert(1) »'],
        [
          gridFieldId(2, 1),
          'Mercredi, 1re plage : la fermeture (14:00) doit être après l&#39;ouverture (15:00)',
        ],
        [closureFieldId(0, 'fin'), 'Fermeture n° 1 : le dernier jour'],
      ] as const) {
        assert.ok(html.includes(`<a href="#${anchor}">${words}`), `summary links ${anchor}: ${words}`);
      }
      assert.doesNotMatch(html, /<script>alert/, 'typed HTML is escaped');
      assert.match(
        html,
        /value="nom &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;"/,
        'typed values kept',
      );
      assert.match(html, /value="nord"/);
      assert.match(html, /value="15:00"/);
      assert.equal(
        (await t.db.selectFrom('place_change').select('id').execute()).length,
        0,
        'nothing recorded',
      );

      // With the mistakes fixed, the same HTML is accepted as text (and stays inert everywhere).
      form.text.presentation_resume = script;
      form.text.latitude = '';
      form.text.longitude = '';
      form.text.courriels = '';
      form.text.telephone = '';
      form.text.site_web = '';
      form.grid[2] = ['', '', '', ''];
      form.closures[0] = { debut: isoInDays(10), fin: isoInDays(20), motif: script, retirer: false };
      const ok = await admin.request(`/lieux/${place.id}/modifier`, { form: postedForm(form, csrf) });
      assert.equal(ok.status, 303);
      const shown = await (await admin.request(`/lieux/${place.id}/modifier`)).text();
      assert.doesNotMatch(shown, /<script>alert/);
      assert.match(shown, /nom &lt;script&gt;/);
    } finally {
      await t.close();
    }
  });

  it('refuses a form identical to the public record, and a closure already over', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      const csrf = await staff.csrf(`/lieux/${place.id}/modifier`);
      const same = await staff.request(`/lieux/${place.id}/modifier`, {
        form: postedForm(await currentForm(t, place.id), csrf),
      });
      assert.equal(same.status, 400);
      assert.match(await same.text(), /Vous n&#39;avez rien changé/);
      const form = await currentForm(t, place.id);
      form.closures[0] = { debut: isoInDays(-10), fin: isoInDays(-3), motif: '', retirer: false };
      const past = await staff.request(`/lieux/${place.id}/modifier`, { form: postedForm(form, csrf) });
      assert.equal(past.status, 400);
      assert.match(await past.text(), /Fermeture n° 1 : elle se termine le .*, une date déjà passée/);
    } finally {
      await t.close();
    }
  });

  it('"Les informations sont toujours à jour" dates the record today at once, and the index notices', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const admin = cookieBrowser(app);
      await admin.signIn('admin.demo@example.org');
      const version = await placesVersion(t.db);
      const res = await admin.request(`/lieux/${place.id}/a-jour`, {
        form: { _csrf: await admin.csrf(`/lieux/${place.id}/modifier`) },
      });
      assert.equal(res.status, 303);
      assert.match(await (await admin.request(res.headers.get('Location') ?? '')).text(), /Merci/);
      const row = await t.db
        .selectFrom('place')
        .select(['date_maj', 'content_hash'])
        .where('id', '=', place.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.date_maj, localToday(new Date()));
      assert.notEqual(await placesVersion(t.db), version);
      const change = await t.db
        .selectFrom('place_change')
        .select(['status', 'decision_message'])
        .where('place_id', '=', place.id)
        .executeTakeFirstOrThrow();
      assert.equal(change.status, 'approved');
      const audit = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject_id', '=', place.id)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['place.confirmed_up_to_date'],
      );
    } finally {
      await t.close();
    }
  });

  it('lets only members of the place’s structure (and coordinators) edit it', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      const other = cookieBrowser(app);
      await other.signIn('autre-structure.demo@example.org');
      assert.equal((await other.request(`/lieux/${place.id}/modifier`)).status, 403);
      const form = await currentForm(t, place.id);
      form.text.nom = 'Pris par une autre structure';
      const csrf = await other.csrf('/mes-lieux');
      const posted = await other.request(`/lieux/${place.id}/modifier`, { form: postedForm(form, csrf) });
      assert.equal(posted.status, 403);
      assert.equal((await other.request(`/lieux/${place.id}/a-jour`, { form: { _csrf: csrf } })).status, 403);
      assert.equal((await t.db.selectFrom('place_change').select('id').execute()).length, 0);
      const mine = await (await other.request('/mes-lieux')).text();
      assert.match(mine, /Modifier la fiche de Bibliothèque de Mardié/);
      assert.doesNotMatch(mine, /Boigny/);

      const funder = cookieBrowser(app);
      await funder.signIn('financeur.demo@example.org');
      assert.equal((await funder.request(`/lieux/${place.id}/modifier`)).status, 403);
      const anonymous = cookieBrowser(app);
      const res = await anonymous.request(`/lieux/${place.id}/modifier`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('Location'), '/connexion');

      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      assert.equal((await coordinator.request(`/lieux/${place.id}/modifier`)).status, 200);
      assert.equal((await coordinator.request('/lieux/pas-un-lieu/modifier')).status, 404);
    } finally {
      await t.close();
    }
  });
});

/** A local server speaking the Géoplateforme geocoder's format, counting the requests it answers. */
async function geocoder(answer: { lat: number; lon: number } | null) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        type: 'FeatureCollection',
        features: answer
          ? [
              {
                type: 'Feature',
                geometry: { type: 'Point', coordinates: [answer.lon, answer.lat] },
                properties: {
                  label: `${url.searchParams.get('q')}`,
                  score: 0.93,
                  postcode: url.searchParams.get('postcode'),
                  citycode: '45034',
                },
              },
            ]
          : [],
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => server.close() };
}

describe('the position of an edited place', () => {
  async function propose(
    env: Record<string, string>,
    change: (form: Awaited<ReturnType<typeof currentForm>>) => void,
  ) {
    const { t, app, place } = await demoPlaceApp(env);
    const staff = cookieBrowser(app);
    await staff.signIn('mediation.demo@example.org');
    const form = await currentForm(t, place.id);
    change(form);
    const res = await staff.request(`/lieux/${place.id}/modifier`, {
      form: postedForm(form, await staff.csrf(`/lieux/${place.id}/modifier`)),
    });
    assert.equal(res.status, 303, await res.text());
    const row = await t.db
      .selectFrom('place_change')
      .select('proposed')
      .where('place_id', '=', place.id)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    await t.close();
    return { proposed: row.proposed as Record<string, unknown>, location: res.headers.get('Location') ?? '' };
  }

  it('asks the configured geocoder when the address changes', async () => {
    const server = await geocoder({ lat: 47.9333, lon: 2.0111 });
    try {
      const { proposed, location } = await propose({ GEOCODER_URL: server.url }, (form) => {
        form.text.adresse = '3 rue de la Mairie';
      });
      assert.equal(server.seen.length, 1);
      assert.match(server.seen[0] ?? '', /q=3\+rue\+de\+la\+Mairie\+45760/);
      assert.equal(proposed.latitude, 47.9333);
      assert.equal(proposed.longitude, 2.0111);
      assert.equal(proposed.position_approximate, false);
      assert.match(location, /position=geocoder/);
    } finally {
      server.close();
    }
  });

  it("falls back to the commune's reference point, marked approximate, without a geocoder answer", async () => {
    const server = await geocoder(null);
    try {
      const { proposed, location } = await propose({ GEOCODER_URL: server.url }, (form) => {
        form.text.adresse = '3 rue de la Mairie';
      });
      assert.equal(server.seen.length, 1);
      assert.equal(proposed.position_approximate, true);
      assert.equal(typeof proposed.latitude, 'number');
      assert.notEqual(proposed.latitude, 47.93205);
      assert.match(location, /position=commune/);
    } finally {
      server.close();
    }
  });

  it('keeps a position corrected by hand, and asks no geocoder', async () => {
    const server = await geocoder({ lat: 1, lon: 1 });
    try {
      const { proposed, location } = await propose({ GEOCODER_URL: server.url }, (form) => {
        form.text.adresse = '3 rue de la Mairie';
        form.text.latitude = '47,9321';
        form.text.longitude = '2.0149';
      });
      assert.equal(server.seen.length, 0);
      assert.equal(proposed.latitude, 47.9321);
      assert.equal(proposed.longitude, 2.0149);
      assert.equal(proposed.position_approximate, false);
      assert.match(location, /position=manual/);
    } finally {
      server.close();
    }
  });
});
