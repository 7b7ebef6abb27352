import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser, csrfOf } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { removeDemo } from '../demo/demo.service.ts';
import { showHome } from '../home/home.service.ts';

after(closeTestTemplate);

const SYSTEM = { kind: 'system' } as const;
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');
/** 20 KB: RESOURCE_MAX_MB is set to this in these tests. */
const LIMIT_MB = '0.02';

const FIELDS = {
  titre: 'Guide : la carte Vitale sur le téléphone',
  resume: 'Installer l’application carte Vitale, pas à pas, avec une personne accompagnée.',
  genre: 'guide',
  themes: ['sante', 'demarches'],
  licence: 'etalab_2_0',
  public: 'professionals',
};

/** A multipart share form as a browser sends it, with `file` (or none) and the fields. */
function shareBody(
  csrf: string,
  file: { name: string; bytes: Uint8Array; type?: string } | null,
  fields: Record<string, string | string[]> = FIELDS,
): FormData {
  const body = new FormData();
  body.append('_csrf', csrf);
  for (const [k, v] of Object.entries(fields))
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  if (file)
    body.append(
      'fichier',
      new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, {
        type: file.type ?? 'application/octet-stream',
      }),
    );
  else body.append('fichier', new File([], ''));
  return body;
}

describe('the resource bank over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let mediator: CookieBrowser;
  let other: CookieBrowser;
  let funder: CookieBrowser;
  const share = async (
    b: CookieBrowser,
    file: { name: string; bytes: Uint8Array; type?: string } | null,
    fields: Record<string, string | string[]> = FIELDS,
  ) => {
    const csrf = await b.csrf('/ressources/partager');
    const res = await b.request('/ressources/partager', { body: shareBody(csrf, file, fields) });
    return { res, html: await res.text() };
  };
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { RESOURCE_MAX_MB: LIMIT_MB });
    mediator = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    other = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
  });
  after(async () => {
    await t.close();
  });

  it('shares a PDF, which a member of another structure finds by words and theme and downloads', async () => {
    const { res } = await share(mediator, { name: 'carte-vitale.pdf', bytes: PDF, type: 'application/pdf' });
    assert.equal(res.status, 303);
    const location = res.headers.get('Location') ?? '';
    assert.match(location, /^\/ressources\/[0-9a-f-]{36}\?fait=partagee$/);
    const id = location.split('/')[2]?.split('?')[0] as string;
    const page = await other.page('/ressources?q=CARTE+vitale&theme=sante');
    assert.equal(page.res.status, 200);
    assert.ok(page.html.includes(`href="/ressources/${id}"`), 'found by words (case and accents ignored)');
    const wrongTheme = await other.page('/ressources?q=vitale&theme=emploi');
    assert.ok(!wrongTheme.html.includes(`/ressources/${id}`), 'another theme does not find it');
    const sheet = await other.page(`/ressources/${id}`);
    assert.ok(sheet.html.includes('Télécharger « carte-vitale.pdf »'));
    const file = await other.request(`/ressources/${id}/fichier`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('Content-Type'), 'application/pdf');
    assert.match(file.headers.get('Content-Disposition') ?? '', /^attachment; filename="carte-vitale\.pdf"/);
    assert.equal(file.headers.get('X-Content-Type-Options'), 'nosniff');
    assert.match(file.headers.get('Content-Security-Policy') ?? '', /^sandbox/);
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), PDF);
  });

  it('shows the public only public resources, and hides the others as unknown', async () => {
    const visitor = cookieBrowser(app);
    const { res } = await share(
      mediator,
      { name: 'interne.pdf', bytes: PDF },
      { ...FIELDS, titre: 'Procédure interne' },
    );
    const id = (res.headers.get('Location') ?? '').split('/')[2]?.split('?')[0] as string;
    const list = await visitor.page('/ressources');
    assert.ok(!list.html.includes('Procédure interne'));
    assert.ok(list.html.includes('Repérer un message d’arnaque'), 'a public demo link is listed');
    assert.equal((await visitor.request(`/ressources/${id}`)).status, 404);
    assert.equal((await visitor.request(`/ressources/${id}/fichier`)).status, 404);
    // A funder's person belongs to no structure: the public's view.
    assert.equal((await funder.request(`/ressources/${id}/fichier`)).status, 404);
    const made = await share(
      mediator,
      { name: 'ouvert.pdf', bytes: PDF },
      { ...FIELDS, titre: 'Guide ouvert', visible: 'oui' },
    );
    const open = (made.res.headers.get('Location') ?? '').split('/')[2]?.split('?')[0] as string;
    assert.equal((await visitor.request(`/ressources/${open}/fichier`)).status, 200);
  });

  it('refuses bad files and links with a French message naming the field, writing nothing', async () => {
    const before = await t.db
      .selectFrom('resource')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const cases: {
      file: { name: string; bytes: Uint8Array } | null;
      fields?: Record<string, string | string[]>;
      status: number;
      says: RegExp;
    }[] = [
      {
        file: { name: 'gros.pdf', bytes: new Uint8Array(30 * 1024).fill(0x25) },
        status: 413,
        says: /Fichier : .*dépasse 20 ko/,
      },
      {
        file: {
          name: 'page.html',
          bytes: new TextEncoder().encode('<html><script>alert(1)</script></html>'),
        },
        status: 400,
        says: /Fichier : .*pages web \(HTML\), les images SVG et les programmes/,
      },
      {
        file: {
          name: 'dessin.svg',
          bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        },
        status: 400,
        says: /Fichier : « dessin\.svg » refusé/,
      },
      {
        file: { name: 'page-renommee.pdf', bytes: new TextEncoder().encode('<!DOCTYPE html><p>hi</p>') },
        status: 400,
        says: /son contenu est celui d’une page web/,
      },
      {
        file: { name: 'image.png', bytes: new TextEncoder().encode('<svg onload="alert(1)"></svg>') },
        status: 400,
        says: /son contenu est celui d’une page web/,
      },
      {
        file: { name: 'setup.pdf', bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]) },
        status: 400,
        says: /programme/,
      },
      {
        file: { name: 'outil.exe', bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]) },
        status: 400,
        says: /Fichier : « outil\.exe » refusé/,
      },
      {
        file: { name: 'faux.pdf', bytes: new Uint8Array([1, 2, 3, 4, 5]) },
        status: 400,
        says: /n’est pas un vrai fichier PDF/,
      },
      {
        file: { name: 'archive.zip', bytes: new Uint8Array([0x50, 0x4b, 3, 4]) },
        status: 400,
        says: /le type de « archive\.zip » n’est pas accepté/,
      },
      {
        file: { name: 'vide.pdf', bytes: new Uint8Array() },
        status: 400,
        says: /Fichier : « vide\.pdf » est vide/,
      },
      {
        file: null,
        fields: { ...FIELDS, lien: 'javascript:alert(1)' },
        status: 400,
        says: /Lien : donnez une adresse web complète/,
      },
      {
        file: null,
        fields: { ...FIELDS, lien: 'ftp://example.org/guide.pdf' },
        status: 400,
        says: /Lien : /,
      },
      { file: null, status: 400, says: /Fichier ou lien : choisissez un fichier/ },
      {
        file: { name: 'a.pdf', bytes: PDF },
        fields: { ...FIELDS, titre: '   ' },
        status: 400,
        says: /Titre : donnez un titre/,
      },
      {
        file: { name: 'a.pdf', bytes: PDF },
        fields: { ...FIELDS, themes: [] },
        status: 400,
        says: /Thèmes : choisissez au moins un thème/,
      },
      {
        file: { name: 'a.pdf', bytes: PDF },
        fields: { ...FIELDS, themes: ['inconnu'] },
        status: 400,
        says: /Thèmes : un des thèmes/,
      },
      {
        file: { name: 'a.pdf', bytes: PDF },
        fields: { ...FIELDS, licence: 'gpl' },
        status: 400,
        says: /Licence : /,
      },
    ];
    for (const c of cases) {
      const { res, html } = await share(mediator, c.file, c.fields);
      assert.equal(res.status, c.status, `${c.file?.name ?? c.fields?.lien}: ${html.slice(0, 200)}`);
      assert.match(html.replaceAll('&#39;', "'"), c.says, c.file?.name ?? String(c.says));
    }
    // Over the body limit itself (the file far larger): a French 413 before anything is read.
    const huge = await share(mediator, { name: 'enorme.pdf', bytes: new Uint8Array(200 * 1024).fill(0x25) });
    assert.equal(huge.res.status, 413);
    assert.match(huge.html, /Fichier : le fichier dépasse 20 ko/);
    const afterCount = await t.db
      .selectFrom('resource')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n, 'nothing written');
  });

  it('shares an http(s) link, which the page opens, and refuses sharing to people without a structure', async () => {
    const { res } = await share(mediator, null, {
      ...FIELDS,
      genre: 'link',
      lien: 'https://www.ameli.fr/assure',
      titre: 'Le site ameli',
    });
    assert.equal(res.status, 303);
    const id = (res.headers.get('Location') ?? '').split('/')[2]?.split('?')[0] as string;
    const page = await other.page(`/ressources/${id}`);
    assert.ok(page.html.includes('href="https://www.ameli.fr/assure"'));
    assert.equal((await other.request(`/ressources/${id}/fichier`)).status, 404);
    const form = await funder.page('/ressources/partager');
    assert.match(form.html, /il faut faire partie d’une structure/);
    const refused = await funder.request('/ressources/partager', {
      body: shareBody(csrfOf(form.html), null, { ...FIELDS, lien: 'https://example.org' }),
    });
    assert.equal(refused.status, 403);
  });

  it('answers malformed ids with 404, never 500', async () => {
    for (const path of [
      '/ressources/pas-un-id',
      '/ressources/pas-un-id/fichier',
      "/ressources/'%20or%201=1/fichier",
      '/ressources/collections/xyz',
      `/ressources/${'0'.repeat(8)}-0000-0000-0000-000000000000`,
    ]) {
      const res = await mediator.request(path);
      assert.equal(res.status, 404, path);
    }
    const csrf = await mediator.csrf('/ressources');
    for (const path of [
      '/ressources/xyz/modifier',
      '/ressources/xyz/supprimer',
      '/ressources/xyz/signaler',
      '/ressources/signalements/xyz',
      '/ressources/collections/xyz',
    ]) {
      const res = await mediator.request(path, { form: { _csrf: csrf } });
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
    }
  });

  it('lets the sharing structure edit and delete, not another structure', async () => {
    const { res } = await share(
      mediator,
      { name: 'brouillon.pdf', bytes: PDF },
      { ...FIELDS, titre: 'Brouillon' },
    );
    const id = (res.headers.get('Location') ?? '').split('/')[2]?.split('?')[0] as string;
    assert.equal((await other.request(`/ressources/${id}/modifier`)).status, 403);
    const edit = await mediator.page(`/ressources/${id}/modifier`);
    assert.equal(edit.res.status, 200);
    const saved = await mediator.request(`/ressources/${id}/modifier`, {
      form: { _csrf: csrfOf(edit.html), ...FIELDS, titre: 'Guide relu' },
    });
    assert.equal(saved.status, 303);
    assert.ok((await other.page(`/ressources/${id}`)).html.includes('<h1>Guide relu</h1>'));
    const empty = await mediator.request(`/ressources/${id}/modifier`, {
      form: { _csrf: csrfOf(edit.html), ...FIELDS, titre: '' },
    });
    assert.equal(empty.status, 400);
    const otherCsrf = await other.csrf(`/ressources/${id}`);
    assert.equal(
      (await other.request(`/ressources/${id}/supprimer`, { form: { _csrf: otherCsrf, confirmer: 'oui' } }))
        .status,
      403,
    );
    const csrf = await mediator.csrf(`/ressources/${id}`);
    const unconfirmed = await mediator.request(`/ressources/${id}/supprimer`, { form: { _csrf: csrf } });
    assert.equal(unconfirmed.status, 400);
    assert.match(await unconfirmed.text(), /Confirmation : cochez la case/);
    const deleted = await mediator.request(`/ressources/${id}/supprimer`, {
      form: { _csrf: csrf, confirmer: 'oui' },
    });
    assert.equal(deleted.status, 303);
    assert.equal((await mediator.request(`/ressources/${id}`)).status, 404);
  });

  it('brings an "obsolète / erreur" report to the sharing structure’s home until it is closed', async () => {
    const { res } = await share(
      mediator,
      { name: 'ancien.pdf', bytes: PDF },
      { ...FIELDS, titre: 'Ancien guide' },
    );
    const id = (res.headers.get('Location') ?? '').split('/')[2]?.split('?')[0] as string;
    const csrf = await other.csrf(`/ressources/${id}`);
    const bad = await other.request(`/ressources/${id}/signaler`, {
      form: { _csrf: csrf, motif: 'autre', precision: '' },
    });
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /Motif : choisissez/);
    assert.match(badHtml, /Précision : dites ce qui n’est plus juste/);
    const sent = await other.request(`/ressources/${id}/signaler`, {
      form: { _csrf: csrf, motif: 'outdated', precision: 'La procédure a changé en mars.' },
    });
    assert.equal(sent.status, 303);
    const home = await mediator.page('/espace');
    assert.ok(home.html.includes('Ressources signalées'));
    assert.ok(home.html.includes('Ancien guide'));
    const reports = await mediator.page('/ressources/signalements');
    assert.ok(reports.html.includes('La procédure a changé en mars.'));
    const card = reports.html.slice(reports.html.indexOf('Ancien guide'));
    const rid = /action="\/ressources\/signalements\/([0-9a-f-]{36})"/.exec(card)?.[1];
    assert.ok(rid);
    // Another structure may not close it.
    const otherCsrf = await other.csrf('/ressources/signalements');
    assert.equal(
      (await other.request(`/ressources/signalements/${rid}`, { form: { _csrf: otherCsrf } })).status,
      403,
    );
    // "Traité" needs a short answer, which the resource's page then shows to the network.
    const silent = await mediator.request(`/ressources/signalements/${rid}`, {
      form: { _csrf: csrfOf(reports.html), reponse: '  ' },
    });
    assert.equal(silent.status, 400);
    assert.match(await silent.text(), /Réponse sur « Ancien guide » : dites en quelques mots/);
    const closed = await mediator.request(`/ressources/signalements/${rid}`, {
      form: { _csrf: csrfOf(reports.html), reponse: 'Captures refaites avec la nouvelle procédure.' },
    });
    assert.equal(closed.status, 303);
    const answered = await other.page(`/ressources/${id}`);
    assert.match(answered.html, /Signalements traités/);
    assert.match(answered.html, /Captures refaites avec la nouvelle procédure\./);
    // The reporter's own words were sent to the sharing structure only: the network sees the answer.
    assert.ok(!answered.html.includes('La procédure a changé en mars.'), 'the report’s text stays private');
    const own = await mediator.page(`/ressources/${id}`);
    assert.ok(own.html.includes('La procédure a changé en mars.'), 'the sharing structure reads it');
    const again = await mediator.request(`/ressources/signalements/${rid}`, {
      form: { _csrf: csrfOf(reports.html), reponse: 'Encore.' },
    });
    assert.equal(again.status, 409);
    assert.ok(!(await mediator.page('/espace')).html.includes('Ancien guide'));
  });

  it('makes a collection, adds, orders and removes resources', async () => {
    const page = await mediator.page('/ressources/collections');
    const empty = await mediator.request('/ressources/collections', {
      form: { _csrf: csrfOf(page.html), nom: ' ' },
    });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /Nom : donnez un nom/);
    const made = await mediator.request('/ressources/collections', {
      form: { _csrf: csrfOf(page.html), nom: 'Santé en ligne' },
    });
    assert.equal(made.status, 303);
    const path = (made.headers.get('Location') ?? '').split('?')[0] as string;
    const ids = (
      await t.db
        .selectFrom('resource')
        .select('id')
        .where('is_demo', '=', true)
        .orderBy('created_at')
        .execute()
    ).map((r) => r.id);
    const csrf = csrfOf((await mediator.page(path)).html);
    for (const id of ids.slice(0, 3)) {
      const res = await mediator.request(path, { form: { _csrf: csrf, action: 'ajouter', ressource: id } });
      assert.equal(res.status, 303);
    }
    const twice = await mediator.request(path, {
      form: { _csrf: csrf, action: 'ajouter', ressource: ids[0] as string },
    });
    assert.equal(twice.status, 409);
    await mediator.request(path, { form: { _csrf: csrf, action: 'descendre', ressource: ids[0] as string } });
    await mediator.request(path, { form: { _csrf: csrf, action: 'retirer', ressource: ids[2] as string } });
    const items = await t.db
      .selectFrom('resource_collection_item')
      .select(['resource_id', 'position'])
      .where('collection_id', '=', path.split('/')[3] as string)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      items.map((i) => i.resource_id),
      [ids[1], ids[0]],
    );
    const otherCsrf = await other.csrf(path);
    assert.equal(
      (
        await other.request(path, {
          form: { _csrf: otherCsrf, action: 'retirer', ressource: ids[0] as string },
        })
      ).status,
      403,
    );
    const badAction = await mediator.request(path, {
      form: { _csrf: csrf, action: 'voler', ressource: ids[0] as string },
    });
    assert.equal(badAction.status, 400);
  });

  it('shows the sharing structure’s home block, and `demo remove` deletes the demonstration resources', async () => {
    const person = await t.db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'admin.demo@example.org')
      .executeTakeFirstOrThrow();
    const m = await t.db
      .selectFrom('membership')
      .select(['structure_id', 'role'])
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow();
    const blocks = await showHome(
      t.db,
      {
        kind: 'person',
        personId: person.id,
        networkRole: null,
        memberships: [{ structureId: m.structure_id, role: m.role }],
      },
      { reminderDays: 5, passGuessAlertPerHour: 100 },
    );
    const block = blocks.find((b) => b.id === 'resources.reported');
    assert.ok(block && block.count >= 1, 'the demo report shows');
    await removeDemo(t.db, SYSTEM);
    const left = await t.db.selectFrom('resource').select('id').where('is_demo', '=', true).execute();
    assert.deepEqual(left, []);
  });
});
