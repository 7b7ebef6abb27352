import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { diService, diStructure } from '../../test/support/data-inclusion-rows.ts';
import { closeTestTemplate, createDemoTestDb } from '../../test/support/test-db.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { DataInclusionService, DataInclusionStructure } from '../publication/data-inclusion.ts';
import { runImportUploads } from './import-uploads.service.ts';
import { exportPlaces } from './places.service.ts';
import { importPlacesFile } from './places-import.service.ts';

const SYSTEM = { kind: 'system' } as const;
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir' });
const scope = config.publicScope;

after(closeTestTemplate);

/** The background work as the job runner of any server does it (schedule.service.ts's options). */
const work = (db: Db) =>
  runImportUploads(db, SYSTEM, {
    now: new Date(),
    scope,
    mergeReviewBelow: config.mergeReviewBelow,
    networkName: config.networkName,
  });

// The reading-back tests' rows (test/support), published in 2026 under another name.
const structure = (over: Partial<DataInclusionStructure> = {}) =>
  diStructure({ nom: 'Espace numérique de la Source', date_maj: '2026-05-02', ...over });
const service = (over: Partial<DataInclusionService> = {}) => diService({ date_maj: '2026-05-02', ...over });

const STRUCTURES = [
  structure(),
  structure({
    id: 'dora-2',
    nom: 'Atelier numérique de Saran',
    commune: 'Saran',
    code_postal: '45770',
    code_insee: '45302',
    adresse: '12 rue de la Mairie',
    latitude: 47.95,
    longitude: 1.876,
  }),
  // No service of the national list: imported without services, as by the command line.
  structure({ id: 'dora-3', nom: 'Maison sans service', adresse: '3 rue Rolland' }),
];
const SERVICES = [
  service(),
  service({
    id: 'dora-2--s1',
    structure_id: 'dora-2',
    nom: 'Démarches en ligne',
    type: 'accompagnement',
    thematiques: [
      'numerique--acceder-a-des-services-en-ligne',
      'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives',
    ],
    publics: ['seniors'],
    frais: 'gratuit',
  }),
  // Points at a structure the structures file does not have: counted and named, ignored.
  service({ id: 'dora-9--s1', structure_id: 'dora-9' }),
];
const json = (records: unknown) => `${JSON.stringify(records, null, 2)}\n`;

function diForm(files: { structures?: string; services?: string; names?: [string, string] }, fields = {}) {
  const [structuresName, servicesName] = files.names ?? ['structures.json', 'services.json'];
  const form = new FormData();
  if (files.structures !== undefined)
    form.append('fichier', new File([files.structures], structuresName, { type: 'application/json' }));
  if (files.services !== undefined)
    form.append('services', new File([files.services], servicesName, { type: 'application/json' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  return form;
}

async function coordinator(db: Db) {
  const b = cookieBrowser(testApp(db));
  await b.signIn('coordination.demo@example.org');
  return b;
}

async function upload(b: Awaited<ReturnType<typeof coordinator>>, form: FormData) {
  form.append('_csrf', await b.csrf('/imports/nouveau'));
  return b.request('/imports/nouveau', { body: form });
}

const uploadIdOf = (res: Response) => {
  const id = /\/imports\/envoi\/([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')?.[1];
  assert.ok(id, `redirected to the upload's page, not ${res.status} ${res.headers.get('location')}`);
  return id;
};
const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
const text = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"');

async function uploadsCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('place_import_upload')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The places of source `dora`, without Maillage's own ids, in a stable order. */
async function doraRows(db: Db) {
  return (
    JSON.parse(await exportPlaces(db, SYSTEM, { format: 'json', territory: null })) as Record<
      string,
      unknown
    >[]
  )
    .filter((r) => r.source === 'dora')
    .map(({ id: _id, ...rest }) => rest)
    .sort((a, b) => String(a.nom).localeCompare(String(b.nom)));
}

describe('data·inclusion on the web import: structures and services in one upload', () => {
  it('offers both files and the layout, labelled and explained, in a form that needs no script', async () => {
    const t = await createDemoTestDb();
    try {
      const b = await coordinator(t.db);
      const html = await (await b.request('/imports/nouveau')).text();
      assert.match(html, /<form method="post" action="\/imports\/nouveau" enctype="multipart\/form-data">/);
      assert.match(html, /<label for="services">Fichier des services data·inclusion \(facultatif\)<\/label>/);
      assert.match(
        html,
        /<input id="services" name="services" type="file"[^>]*aria-describedby="services-aide"/,
      );
      assert.match(html, /<label for="forme">Forme du fichier<\/label>/);
      assert.match(html, /<option value="data-inclusion">Structures et services data·inclusion<\/option>/);
      // The browser sends both files itself: a plain form and its submit button, no script needed.
      assert.match(html, /<button type="submit">Envoyer et vérifier<\/button><\/form>/);
    } finally {
      await t.close();
    }
  });

  it('checks both files, shows the dry run (services without their structure counted and named), imports on confirmation, and gives what the command line gives', async () => {
    const t = await createDemoTestDb();
    const cli = await createDemoTestDb();
    try {
      const b = await coordinator(t.db);
      // The layout is detected: no choice made in the form.
      const sent = await upload(b, diForm({ structures: json(STRUCTURES), services: json(SERVICES) }));
      assert.equal(sent.status, 303, await sent.clone().text());
      const id = uploadIdOf(sent);
      const waiting = text(await (await b.request(`/imports/envoi/${id}`)).text());
      assert.match(waiting, /structures et services data·inclusion/);
      assert.match(waiting, /<dt>Fichier des services<\/dt>\s*<dd>services\.json<\/dd>/);
      assert.equal(await work(t.db), 1);

      const previewed = text(await (await b.request(`/imports/envoi/${id}`)).text());
      assert.match(previewed, /3 lignes lues/);
      assert.match(previewed, /3 nouveaux lieux/);
      assert.match(previewed, /0 ligne refusée/);
      assert.match(previewed, /Champ « structure_id » : 1/, 'the services without their structure, counted');
      assert.match(
        previewed,
        /Service ligne 3 du fichier « services\.json » \(id dora-9--s1\), champ structure_id : la structure « dora-9 »/,
        'and named: file, row, field, value',
      );
      assert.doesNotMatch(previewed, /correspondance des colonnes<\/a>/i, 'no mapping for a known layout');
      assert.equal((await b.request(`/imports/envoi/${id}/correspondance`)).status, 409);

      // A confirmation naming another services file imports nothing.
      const forged = await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
        empreinte: hidden(previewed, 'empreinte'),
        version: hidden(previewed, 'version'),
        empreinte_services: 'f'.repeat(64),
      });
      assert.equal(forged.status, 409);
      assert.match(text(await forged.text()), /ne correspond plus/);
      const confirmed = await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
        empreinte: hidden(previewed, 'empreinte'),
        version: hidden(previewed, 'version'),
        empreinte_services: hidden(previewed, 'empreinte_services'),
      });
      assert.equal(confirmed.status, 303);
      assert.equal(await work(t.db), 1);
      assert.match(await (await b.request(`/imports/envoi/${id}`)).text(), /Import terminé/);

      // The command line, on another database, with the same two files.
      const report = await importPlacesFile(cli.db, SYSTEM, new TextEncoder().encode(json(STRUCTURES)), {
        fileName: 'structures.json',
        services: { bytes: new TextEncoder().encode(json(SERVICES)), fileName: 'services.json' },
        scope,
        mergeReviewBelow: config.mergeReviewBelow,
        networkName: config.networkName,
      });
      const history = await t.db
        .selectFrom('place_import')
        .select(['counts', 'dry_run'])
        // The history names both files.
        .where('file_name', '=', 'structures.json + services.json')
        .where('dry_run', '=', false)
        .executeTakeFirstOrThrow();
      const web = history.counts as Record<string, number>;
      for (const key of ['read', 'imported', 'updated', 'unchanged', 'merged', 'rejected'] as const)
        assert.equal(web[key], report[key], `${key}: the page and the command line count the same`);
      assert.equal(report.read, 3);
      assert.equal(report.imported, 3);
      const webRows = await doraRows(t.db);
      assert.equal(webRows.length, 3);
      assert.deepEqual(webRows, await doraRows(cli.db), 'the page and the command line give the same places');
      const saran = webRows.find((r) => r.nom === 'Atelier numérique de Saran');
      assert.match(String(saran?.services), /Aide aux démarches administratives/);
    } finally {
      await t.close();
      await cli.close();
    }
  });

  it('refuses bad pairs of files in French, naming file, row and field, with a 4xx, and keeps nothing', async () => {
    const t = await createDemoTestDb();
    try {
      const b = await coordinator(t.db);
      const refused = async (form: FormData, status: number, pattern: RegExp, href = '#fichier') => {
        const res = await upload(b, form);
        const html = text(await res.text());
        assert.equal(res.status, status, html.slice(0, 400));
        assert.match(html, pattern);
        assert.match(html, new RegExp(`<a href="${href}">`), `the summary links to ${href}`);
      };
      // The services file alone, in its own input.
      await refused(
        diForm({ services: json(SERVICES) }),
        400,
        /Fichier des structures : il manque\. .*« services\.json » a été donné comme fichier des services/,
      );
      // The services file given as the structures (alone, or the two files swapped).
      await refused(
        diForm({ structures: json(SERVICES), names: ['services.json', ''] }),
        422,
        /Fichier des services : « services\.json » contient des services data·inclusion \(d'après son contenu\)/,
      );
      await refused(
        diForm({
          structures: json(SERVICES),
          services: json(STRUCTURES),
          names: ['services.json', 'structures.json'],
        }),
        422,
        /Le fichier « services\.json », donné comme fichier des structures, contient des services data·inclusion \(d'après son contenu, ligne 1, champ structure_id\)/,
      );
      // The structures file given twice: the second is not services.
      await refused(
        diForm({ structures: json(STRUCTURES), services: json(STRUCTURES), names: ['a.json', 'b.json'] }),
        422,
        /Le fichier « b\.json », donné comme fichier des services, contient des structures data·inclusion/,
        '#services',
      );
      // Truncated mid-file: either file.
      const cut = json(STRUCTURES).slice(0, 400);
      await refused(
        diForm({ structures: cut, services: json(SERVICES) }),
        422,
        /Le fichier « structures\.json » est tronqué .*rien n'a été importé/,
      );
      await refused(
        diForm({ structures: json(STRUCTURES), services: json(SERVICES).slice(0, 300) }),
        422,
        /Le fichier « services\.json » est tronqué/,
        '#services',
      );
      // Another version of the schema, per record or for the whole file.
      await refused(
        diForm({
          structures: json([structure(), { ...structure({ id: 'dora-2' }), schema_version: '2.0' }]),
          services: json(SERVICES),
        }),
        422,
        /Le fichier « structures\.json », ligne 2, champ schema_version, suit la version « 2\.0 » du schéma data·inclusion : seule la version 1 est lue\./,
      );
      await refused(
        diForm({
          structures: json({ schema_version: '0.9', structures: STRUCTURES }),
          services: json(SERVICES),
        }),
        422,
        /suit la version « 0\.9 » du schéma data·inclusion/,
      );
      // Services with the national map's export, or with a mapping: refused by name.
      await refused(
        diForm({ structures: json(STRUCTURES), services: json(SERVICES) }, { forme: 'national' }),
        400,
        /Fichier des services : il ne va qu'avec les structures data·inclusion/,
        '#services',
      );
      assert.equal(await uploadsCount(t.db), 0, 'nothing kept of a refused upload');
      // The form comes back with the layout chosen.
      const again = text(
        await (await upload(b, diForm({ services: json(SERVICES) }, { forme: 'data-inclusion' }))).text(),
      );
      assert.match(again, /<option value="data-inclusion" selected="">/);
    } finally {
      await t.close();
    }
  });
});
