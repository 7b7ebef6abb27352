import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser, csrfOf } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';

after(closeTestTemplate);

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\ntrailer << >>\n%%EOF\n`);

const FIELDS: Record<string, string | string[]> = {
  titre: 'Guide : prendre rendez-vous chez le médecin en ligne',
  resume: 'Créer un compte, choisir un créneau, annuler : pas à pas.',
  genre: 'guide',
  themes: ['sante'],
  licence: 'cc_by_sa_4_0',
  public: 'professionals',
};

/** A multipart form as a browser sends it: the fields, and `fichier` (an empty part when none). */
function multipart(
  csrf: string,
  file: { name: string; bytes: Uint8Array } | null,
  fields: Record<string, string | string[]> = {},
): FormData {
  const body = new FormData();
  body.append('_csrf', csrf);
  for (const [k, v] of Object.entries(fields))
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  body.append(
    'fichier',
    file
      ? new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: 'application/octet-stream' })
      : new File([], ''),
  );
  return body;
}

const idOf = (res: Response) => (res.headers.get('Location') ?? '').split('/')[2]?.split('?')[0] as string;

describe('changing shared resources and collections over HTTP (decision 0042, addendum)', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let mediator: CookieBrowser;
  let other: CookieBrowser;
  let coordinator: CookieBrowser;
  const share = async (
    b: CookieBrowser,
    file: { name: string; bytes: Uint8Array } | null,
    fields = FIELDS,
  ) => {
    const csrf = await b.csrf('/ressources/partager');
    return b.request('/ressources/partager', { body: multipart(csrf, file, fields) });
  };
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { RESOURCE_MAX_MB: '0.02' });
    mediator = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    other = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
  });
  after(async () => {
    await t.close();
  });

  it('replaces a file with a new version: same checks, old bytes gone, new ETag, an audit entry', async () => {
    const first = pdf('version 1');
    const id = idOf(await share(mediator, { name: 'rdv-medecin.pdf', bytes: first }));
    const before = await mediator.request(`/ressources/${id}/fichier`);
    const etag = before.headers.get('ETag');
    const edit = await mediator.page(`/ressources/${id}/modifier`);
    assert.match(edit.html, /<h2 id="remplacer">Remplacer le fichier<\/h2>/);
    const csrf = csrfOf(edit.html);
    const send = (b: CookieBrowser, token: string, file: { name: string; bytes: Uint8Array } | null) =>
      b.request(`/ressources/${id}/fichier`, { body: multipart(token, file) });

    // Refused: another structure, no file, a page, a program, a file over the limit.
    assert.equal(
      (await send(other, await other.csrf('/ressources/collections'), { name: 'v2.pdf', bytes: pdf('x') }))
        .status,
      403,
    );
    const bad: [{ name: string; bytes: Uint8Array } | null, number, RegExp][] = [
      [null, 400, /Fichier : choisissez le nouveau fichier/],
      [
        { name: 'v2.html', bytes: new TextEncoder().encode('<html><script>1</script></html>') },
        400,
        /Fichier : /,
      ],
      [
        { name: 'guide.pdf', bytes: new TextEncoder().encode('<svg onload="alert(1)"></svg>') },
        400,
        /Fichier : /,
      ],
      [{ name: 'outil.exe', bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3]) }, 400, /Fichier : /],
      [{ name: 'gros.pdf', bytes: new Uint8Array(30 * 1024).fill(0x25) }, 413, /Fichier : .*dépasse 20 ko/],
    ];
    for (const [file, status, says] of bad) {
      const res = await send(mediator, csrf, file);
      assert.equal(res.status, status, file?.name ?? 'no file');
      assert.match(await res.text(), says, file?.name ?? 'no file');
    }
    const unchanged = await mediator.request(`/ressources/${id}/fichier`);
    assert.deepEqual(new Uint8Array(await unchanged.arrayBuffer()), first, 'nothing written on refusal');

    const second = pdf('version 2, relue');
    const done = await send(mediator, csrf, { name: 'rdv-medecin-v2.pdf', bytes: second });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('Location'), `/ressources/${id}?fait=fichier_remplace`);
    const after = await other.request(`/ressources/${id}/fichier`);
    assert.deepEqual(new Uint8Array(await after.arrayBuffer()), second);
    assert.match(after.headers.get('Content-Disposition') ?? '', /filename="rdv-medecin-v2\.pdf"/);
    assert.notEqual(after.headers.get('ETag'), etag);
    const files = await t.db
      .selectFrom('resource_file')
      .select('sha256')
      .where('resource_id', '=', id)
      .execute();
    assert.equal(files.length, 1, 'one file per resource: the old one is overwritten, not kept');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['subject_id', 'details'])
      .where('action', '=', 'resource.file_replaced')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.subject_id, id);
    assert.match(JSON.stringify(audit[0]?.details), /rdv-medecin\.pdf/);

    // A link has no file to replace.
    const link = idOf(
      await share(mediator, null, { ...FIELDS, titre: 'Un lien', lien: 'https://example.org/guide' }),
    );
    const linkRes = await mediator.request(`/ressources/${link}/fichier`, {
      body: multipart(csrf, { name: 'v2.pdf', bytes: second }),
    });
    assert.equal(linkRes.status, 400);
  });

  it('renames and deletes a collection after a confirmation page, keeping its resources', async () => {
    const page = await mediator.page('/ressources/collections');
    const made = await mediator.request('/ressources/collections', {
      form: { _csrf: csrfOf(page.html), nom: 'Santé' },
    });
    const path = (made.headers.get('Location') ?? '').split('?')[0] as string;
    const collectionId = path.split('/')[3] as string;
    const resource = idOf(await share(mediator, { name: 'a.pdf', bytes: pdf('a') }));
    const view = await mediator.page(path);
    const csrf = csrfOf(view.html);
    assert.equal(
      (await mediator.request(path, { form: { _csrf: csrf, action: 'ajouter', ressource: resource } }))
        .status,
      303,
    );

    const blank = await mediator.request(`${path}/nom`, { form: { _csrf: csrf, nom: '   ' } });
    assert.equal(blank.status, 400);
    assert.match(await blank.text(), /Nom : donnez un nom à la collection/);
    const long = await mediator.request(`${path}/nom`, { form: { _csrf: csrf, nom: 'x'.repeat(121) } });
    assert.equal(long.status, 400);
    const otherCsrf = await other.csrf(path);
    assert.equal(
      (await other.request(`${path}/nom`, { form: { _csrf: otherCsrf, nom: 'Volée' } })).status,
      403,
    );
    const renamed = await mediator.request(`${path}/nom`, {
      form: { _csrf: csrf, nom: '  Santé   en ligne ' },
    });
    assert.equal(renamed.status, 303);
    assert.match((await mediator.page(path)).html, /<h1>Santé en ligne<\/h1>/);

    assert.equal((await other.request(`${path}/supprimer`)).status, 403);
    assert.equal((await other.request(`${path}/supprimer`, { form: { _csrf: otherCsrf } })).status, 403);
    const confirm = await mediator.page(`${path}/supprimer`);
    assert.equal(confirm.res.status, 200);
    assert.match(confirm.html, /Les\s+ressources elles-mêmes restent dans la banque/);
    const unconfirmed = await mediator.request(`${path}/supprimer`, {
      form: { _csrf: csrfOf(confirm.html) },
    });
    assert.equal(unconfirmed.status, 400);
    assert.match(await unconfirmed.text(), /Confirmation : /);
    const deleted = await mediator.request(`${path}/supprimer`, {
      form: { _csrf: csrfOf(confirm.html), confirmer: 'oui' },
    });
    assert.equal(deleted.status, 303);
    assert.equal(deleted.headers.get('Location'), '/ressources/collections?fait=collection_supprimee');
    assert.equal((await mediator.request(path)).status, 404);
    const left = await t.db
      .selectFrom('resource_collection')
      .select('id')
      .where('id', '=', collectionId)
      .execute();
    assert.deepEqual(left, []);
    assert.equal((await mediator.request(`/ressources/${resource}`)).status, 200, 'the resource stays');
  });

  it('shows the coordinator the network’s open reports on /espace, and the answers close them', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('resource_report')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('state', '=', 'open')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const home = await coordinator.page('/espace');
    assert.match(home.html, /Ressources signalées dans le réseau/);
    const n = await count();
    assert.ok(n >= 1, 'the demonstration has an open report');
    // A staff member without the coordinator role has no network block.
    assert.doesNotMatch((await mediator.page('/espace')).html, /Ressources signalées dans le réseau/);
    const list = await coordinator.page('/ressources/signalements');
    const rid = /action="\/ressources\/signalements\/([0-9a-f-]{36})"/.exec(list.html)?.[1] as string;
    const answer = 'x'.repeat(501);
    const tooLong = await coordinator.request(`/ressources/signalements/${rid}`, {
      form: { _csrf: csrfOf(list.html), reponse: answer },
    });
    assert.equal(tooLong.status, 400);
    assert.match(await tooLong.text(), /500 caractères au plus/);
    assert.equal(await count(), n, 'nothing closed on a refused answer');
  });

  it('answers malformed ids on the new routes with 404, never 500', async () => {
    const csrf = await mediator.csrf('/ressources/collections');
    for (const path of [
      '/ressources/collections/xyz/supprimer',
      "/ressources/collections/'%20or%201/supprimer",
    ])
      assert.equal((await mediator.request(path)).status, 404, path);
    for (const path of [
      '/ressources/collections/xyz/nom',
      '/ressources/collections/xyz/supprimer',
      '/ressources/signalements/xyz',
      '/ressources/xyz/modifier',
      '/ressources/xyz/supprimer',
    ])
      assert.equal((await mediator.request(path, { form: { _csrf: csrf, nom: 'x' } })).status, 404, path);
    const upload = await mediator.request('/ressources/xyz/fichier', {
      body: multipart(csrf, { name: 'a.pdf', bytes: pdf('a') }),
    });
    assert.equal(upload.status, 404);
    const visitor = cookieBrowser(app);
    const anonymous = await visitor.request('/ressources/xyz/fichier', {
      body: multipart('nope', { name: 'a.pdf', bytes: pdf('a') }),
    });
    assert.ok(anonymous.status >= 300 && anonymous.status < 500, `anonymous: ${anonymous.status}`);
  });
});
