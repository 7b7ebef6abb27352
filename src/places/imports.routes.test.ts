import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createDemoTestDb } from '../../test/support/test-db.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { moveUpload } from './import-uploads.repository.ts';
import { runImportUploads } from './import-uploads.service.ts';
import { exportPlaces } from './places.service.ts';
import { importPlacesFile } from './places-import.service.ts';
import type { PlacesMapping } from './places-mapping.ts';

const SYSTEM = { kind: 'system' } as const;
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir' });
const scope = config.publicScope;

after(closeTestTemplate);

/** The background work as the job runner of any server does it. */
const work = (db: Db, now = new Date()) =>
  runImportUploads(db, SYSTEM, { now, scope, mergeReviewBelow: config.mergeReviewBelow });

function fileForm(name: string, text: string, fields: Record<string, string> = {}, mapping?: unknown) {
  const form = new FormData();
  form.append('fichier', new File([text], name, { type: 'text/csv' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (mapping !== undefined)
    form.append(
      'correspondance',
      new File([JSON.stringify(mapping)], 'map.json', { type: 'application/json' }),
    );
  return form;
}

async function coordinator(db: Db, env: Record<string, string> = {}) {
  const b = cookieBrowser(testApp(db, env));
  await b.signIn('coordination.demo@example.org');
  return b;
}

async function upload(b: Awaited<ReturnType<typeof coordinator>>, form: FormData) {
  form.append('_csrf', await b.csrf('/imports/nouveau'));
  return b.request('/imports/nouveau', { body: form });
}

/** The version of the upload its page showed, as its confirmation form sends it back. */
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

const uploadIdOf = (res: Response) => {
  const id = /\/imports\/envoi\/([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')?.[1];
  assert.ok(id, `redirected to the upload's page, not ${res.status} ${res.headers.get('location')}`);
  return id;
};

/** A regional hub's own layout: its own column names, the address split in two, coordinates in one. */
const HUB_COLUMNS = ['Identifiant', 'Structure', 'Numero', 'Voie', 'CP', 'Ville', 'GPS', 'Offre'];
const HUB_CSV = [
  HUB_COLUMNS.join(';'),
  'h1;Médiathèque de Saran;12;rue de la Mairie;45770;Saran;47.9500,1.8760;Démarches en ligne, Ateliers',
  'h2;Centre social Romain Rolland;3;rue Rolland;45100;Orléans;47.8870,1.9130;Démarches en ligne',
  'h3;;1;place X;45000;Orléans;47.9,1.9;Ateliers',
].join('\n');

const HUB_MAPPING: PlacesMapping = {
  version: 1,
  fields: {
    id: { kind: 'column', column: 'Identifiant' },
    nom: { kind: 'column', column: 'Structure' },
    adresse: { kind: 'join', columns: ['Numero', 'Voie'], separator: ' ' },
    code_postal: { kind: 'column', column: 'CP' },
    commune: { kind: 'column', column: 'Ville' },
    latitude: { kind: 'split', column: 'GPS', separator: ',', part: 1 },
    longitude: { kind: 'split', column: 'GPS', separator: ',', part: 2 },
    services: { kind: 'column', column: 'Offre' },
    date_maj: { kind: 'fixed', value: '2026-11-30' },
  },
  values: {
    services: {
      'Démarches en ligne': ['Aide aux démarches administratives'],
      Ateliers: ['Maîtrise des outils numériques du quotidien'],
    },
  },
};

describe('imports on the web (coordinators)', () => {
  it('uploads a national file, shows the dry run, imports only on confirmation, lists it, and undoes it', async () => {
    const t = await createDemoTestDb();
    try {
      const b = await coordinator(t.db);
      const csv = toCsv([
        sampleRow({ id: 'w1', nom: 'Lieu web un', source: 'web-test' }),
        sampleRow({ id: 'w2', nom: 'Lieu web deux', source: 'web-test' }),
        sampleRow({ id: 'w3', nom: '', source: 'web-test' }),
      ]);
      const sent = await upload(b, fileForm('lieux.csv', csv, { source: 'web-test' }));
      assert.equal(sent.status, 303);
      const id = uploadIdOf(sent);
      const waiting = await b.request(`/imports/envoi/${id}`);
      assert.equal(waiting.status, 200);
      assert.equal(
        waiting.headers.get('Refresh'),
        `5; url=/imports/envoi/${id}`,
        'the page reloads itself while the work waits',
      );
      assert.match(await waiting.text(), /vérification en attente/);
      const still = await b.request(`/imports/envoi/${id}?auto=non`);
      assert.equal(still.headers.get('Refresh'), null, 'the person may stop the reloading');

      assert.equal(await work(t.db), 1);
      const previewed = await b.request(`/imports/envoi/${id}`);
      const html = await previewed.text();
      assert.equal(previewed.headers.get('Refresh'), null);
      assert.match(html, /3 lignes lues/);
      assert.match(html, /2 nouveaux lieux/);
      assert.match(html, /1 ligne refusée/);
      assert.match(html, /Champ « nom » : 1/);
      assert.match(html, /Importer ce fichier \(2 lieux\)/);
      const before = await exportPlaces(t.db, SYSTEM, { format: 'json', territory: null });
      assert.doesNotMatch(before, /Lieu web un/, 'the dry run wrote nothing');

      const sha = /name="empreinte" value="([0-9a-f]{64})"/.exec(html)?.[1];
      assert.ok(sha);
      const confirmed = await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
        empreinte: sha,
        version: versionOf(html),
      });
      assert.equal(confirmed.status, 303);
      assert.match(await (await b.request(`/imports/envoi/${id}`)).text(), /import en attente/);
      const again = await b.post('/imports/nouveau', `/imports/envoi/${id}/confirmer`, {
        empreinte: sha,
        version: versionOf(html),
      });
      assert.equal(again.status, 409, 'a second confirmation imports nothing twice');
      assert.equal(await work(t.db), 1);
      const done = await (await b.request(`/imports/envoi/${id}`)).text();
      assert.match(done, /Import terminé/);
      const after = await exportPlaces(t.db, SYSTEM, { format: 'json', territory: null });
      assert.match(after, /Lieu web un/);

      const list = await (await b.request('/imports')).text();
      assert.match(list, /lieux\.csv/);
      assert.match(list, /Camille \(coordination\)/, 'the history names who imported');
      const importId = /\/imports\/([0-9a-f-]{36})\/annuler/.exec(list)?.[1];
      assert.ok(importId);
      const undone = await b.post('/imports', `/imports/${importId}/annuler`, {});
      assert.equal(undone.status, 303);
      assert.doesNotMatch(
        await exportPlaces(t.db, SYSTEM, { format: 'json', territory: null }),
        /Lieu web un/,
      );
      const twice = await b.post('/imports', `/imports/${importId}/annuler`, {});
      assert.equal(twice.status, 409);
      assert.match(await twice.text(), /déjà été annulé/);
    } finally {
      await t.close();
    }
  });

  it('maps a file in its own layout (join, split, fixed value, words), saves the mapping for the source, and gives what the command line gives', async () => {
    const t = await createDemoTestDb();
    const cli = await createDemoTestDb();
    try {
      const b = await coordinator(t.db);
      const sent = await upload(b, fileForm('hub.csv', HUB_CSV, { source: 'hub-loiret' }));
      const id = uploadIdOf(sent);
      const page = await (await b.request(`/imports/envoi/${id}`)).text();
      assert.match(page, /n(&#39;|')est pas au schéma national/);
      const mappingPage = await (await b.request(`/imports/envoi/${id}/correspondance`)).text();
      assert.match(mappingPage, /Il reste à indiquer d(&#39;|')où viennent/);
      for (const column of HUB_COLUMNS) assert.match(mappingPage, new RegExp(`<option value="${column}"`));

      const form: Record<string, string | string[]> = { action: 'valeurs' };
      for (const [field, rule] of Object.entries(HUB_MAPPING.fields)) {
        form[`mode.${field}`] = rule.kind;
        if (rule.kind === 'column') form[`col.${field}`] = rule.column;
        if (rule.kind === 'join') {
          form[`col.${field}`] = rule.columns[0] ?? '';
          form[`col2.${field}`] = rule.columns[1] ?? '';
          form[`sep.${field}`] = rule.separator;
        }
        if (rule.kind === 'split') {
          form[`col.${field}`] = rule.column;
          form[`sep.${field}`] = rule.separator;
          form[`part.${field}`] = String(rule.part);
        }
        if (rule.kind === 'fixed') form[`value.${field}`] = rule.value;
      }
      const refreshed = await b.post(
        `/imports/envoi/${id}/correspondance`,
        `/imports/envoi/${id}/correspondance`,
        form,
      );
      assert.equal(refreshed.status, 200);
      const words = await refreshed.text();
      assert.match(
        words,
        /« Démarches en ligne » \(2 fois\)/,
        'the words of the list column, with their counts',
      );
      const wordIndex = (word: string) =>
        new RegExp(`name="word\\.services\\.(\\d+)" value="${word}"`).exec(words)?.[1];
      const demarches = wordIndex('Démarches en ligne');
      const ateliers = wordIndex('Ateliers');
      assert.ok(demarches !== undefined && ateliers !== undefined);
      const submit = {
        ...form,
        action: 'verifier',
        [`word.services.${demarches}`]: 'Démarches en ligne',
        [`val.services.${demarches}`]: ['Aide aux démarches administratives', ''],
        [`word.services.${ateliers}`]: 'Ateliers',
        [`val.services.${ateliers}`]: ['Maîtrise des outils numériques du quotidien', ''],
      };
      const mapped = await b.post(
        `/imports/envoi/${id}/correspondance`,
        `/imports/envoi/${id}/correspondance`,
        submit,
      );
      assert.equal(mapped.status, 303, await mapped.clone().text());
      assert.equal(await work(t.db), 1);
      const previewed = await (await b.request(`/imports/envoi/${id}`)).text();
      assert.match(previewed, /3 lignes lues/);
      assert.match(previewed, /2 nouveaux lieux/);
      assert.match(previewed, /1 ligne refusée/);
      const sha = /name="empreinte" value="([0-9a-f]{64})"/.exec(previewed)?.[1] ?? '';
      assert.equal(
        (
          await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
            empreinte: sha,
            version: versionOf(previewed),
          })
        ).status,
        303,
      );
      assert.equal(await work(t.db), 1);

      // The command line, on another database, with the same file and the mapping the page offers.
      const json = await b.request(`/imports/envoi/${id}/correspondance.json`);
      assert.equal(json.status, 200);
      const downloaded = (await json.json()) as PlacesMapping;
      const report = await importPlacesFile(cli.db, SYSTEM, new TextEncoder().encode(HUB_CSV), {
        fileName: 'hub.csv',
        source: 'hub-loiret',
        mapping: downloaded,
        scope,
      } as Parameters<typeof importPlacesFile>[3]);
      assert.equal(report.imported, 2);
      const hubRows = async (db: Db) =>
        (
          JSON.parse(await exportPlaces(db, SYSTEM, { format: 'json', territory: null })) as Record<
            string,
            unknown
          >[]
        )
          .filter((r) => r.source === 'hub-loiret')
          .map(({ id: _id, ...rest }) => rest)
          .sort((a, b2) => String(a.nom).localeCompare(String(b2.nom)));
      const web = await hubRows(t.db);
      assert.equal(web.length, 2);
      assert.deepEqual(web, await hubRows(cli.db), 'the page and the command line give the same places');
      const saran = web.find((r) => r.nom === 'Médiathèque de Saran');
      assert.equal(saran?.adresse, '12 rue de la Mairie');
      assert.equal(saran?.latitude, 47.95);

      // Next month: the same source's file goes straight to its dry run with the saved mapping.
      const next = await upload(b, fileForm('hub-decembre.csv', HUB_CSV, { source: 'hub-loiret' }));
      const nextId = uploadIdOf(next);
      assert.match(await (await b.request(`/imports/envoi/${nextId}`)).text(), /vérification en attente/);
    } finally {
      await t.close();
      await cli.close();
    }
  });

  it('refuses bad uploads and bad mappings with French messages naming what is wrong, and writes nothing', async () => {
    const t = await createDemoTestDb();
    try {
      const b = await coordinator(t.db, { IMPORT_UPLOAD_MAX_MB: '1' });
      const empty = await upload(b, fileForm('vide.csv', ''));
      assert.equal(empty.status, 422);
      assert.match(await empty.text(), /Choisissez un fichier|est vide/);
      const binary = await upload(b, fileForm('image.csv', '\u0000\u0001\u0002\u0003'.repeat(200)));
      assert.equal(binary.status, 422);
      assert.match(await binary.text(), /n&#39;est pas un fichier texte|n'est pas un fichier texte/);
      const big = await upload(b, fileForm('gros.csv', 'a'.repeat(1024 * 1024 + 100_000)));
      assert.equal(big.status, 413);
      assert.match(await big.text(), /dépasse 1 Mo/);
      const nothing = await upload(
        b,
        fileForm(
          'hub.csv',
          HUB_CSV,
          { source: 'hub' },
          { version: 1, fields: { telephone: { kind: 'column', column: 'Ville' } }, values: {} },
        ),
      );
      assert.equal(nothing.status, 400);
      assert.match(await nothing.text(), /obligatoire/);
      const other = await upload(
        b,
        fileForm('hub.csv', HUB_CSV, { source: 'hub' }, { ...HUB_MAPPING, source: 'une-autre-source' }),
      );
      assert.equal(other.status, 400);
      assert.match(await other.text(), /une-autre-source/);
      const badValue = await upload(
        b,
        fileForm(
          'hub.csv',
          HUB_CSV,
          { source: 'hub' },
          { ...HUB_MAPPING, values: { services: { Ateliers: ['Cuisine'] } } },
        ),
      );
      assert.equal(badValue.status, 400);
      assert.match(await badValue.text(), /Cuisine/);
      const broken = await upload(b, fileForm('hub.csv', HUB_CSV, { source: 'hub' }, '{ pas du json'));
      assert.equal(broken.status, 400);

      // An upload whose stored content no longer has the hash shown is not imported.
      const sent = await upload(b, fileForm('lieux.csv', toCsv([sampleRow({ id: 'z1', nom: 'Lieu z' })])));
      const id = uploadIdOf(sent);
      await work(t.db);
      const altered = await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
        empreinte: 'f'.repeat(64),
        version: versionOf(await (await b.request(`/imports/envoi/${id}`)).text()),
      });
      assert.equal(altered.status, 409);
      assert.match(await altered.text(), /ne correspond plus/);
      // Past its 24 hours, the upload is gone for good.
      const later = new Date(Date.now() + 25 * 3600_000);
      await moveUpload(t.db, id, ['previewed'], { state: 'previewed' }, later);
      await t.db
        .updateTable('place_import_upload')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .execute();
      const expired = await b.request(`/imports/envoi/${id}`);
      assert.equal(expired.status, 409);
      assert.match(await expired.text(), /plus de 24 heures/);
      assert.equal((await b.request('/imports/envoi/pas-un-id')).status, 404);
      assert.equal((await b.request('/imports/envoi/00000000-0000-0000-0000-000000000000')).status, 404);
      assert.doesNotMatch(await exportPlaces(t.db, SYSTEM, { format: 'json', territory: null }), /Lieu z/);
    } finally {
      await t.close();
    }
  });

  it('runs one import of a source at a time: the second waits for the first, and a stopped server’s work starts again', async () => {
    const t = await createDemoTestDb();
    try {
      const b = await coordinator(t.db);
      const ids: string[] = [];
      for (const n of [1, 2]) {
        const id = uploadIdOf(
          await upload(
            b,
            fileForm(`f${n}.csv`, toCsv([sampleRow({ id: `s${n}`, nom: `Lieu ${n}` })]), {
              source: 'meme-source',
            }),
          ),
        );
        ids.push(id);
      }
      assert.equal(await work(t.db), 2, 'dry runs do not wait');
      for (const id of ids) {
        const html = await (await b.request(`/imports/envoi/${id}`)).text();
        const sha = /name="empreinte" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? '';
        await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
          empreinte: sha,
          version: versionOf(html),
        });
      }
      const [first, second] = ids as [string, string];
      // The first is running on another server (alive): the second waits.
      await moveUpload(t.db, first, ['queued'], { state: 'running', heartbeat_at: new Date() }, new Date());
      assert.equal(await work(t.db), 0);
      assert.match(await (await b.request(`/imports/envoi/${second}`)).text(), /la même source est en cours/);
      // That server stopped: after ten silent minutes, its work goes back to the queue and both run.
      assert.equal(await work(t.db, new Date(Date.now() + 11 * 60_000)), 2);
      for (const id of ids)
        assert.match(await (await b.request(`/imports/envoi/${id}`)).text(), /Import terminé/);
    } finally {
      await t.close();
    }
  });

  it('imports only the dry run the page showed, keeps a confirmed import past 24 hours, and refuses risky patterns', async () => {
    const t = await createDemoTestDb();
    try {
      const b = await coordinator(t.db);
      const id = uploadIdOf(await upload(b, fileForm('hub.csv', HUB_CSV, { source: 'hub-v' }, HUB_MAPPING)));
      await work(t.db);
      const shown = await (await b.request(`/imports/envoi/${id}`)).text();
      const sha = /name="empreinte" value="([0-9a-f]{64})"/.exec(shown)?.[1] ?? '';
      // Another tab changes the mapping (no more services) and its dry run ends: the first page is stale.
      const remapped = await b.post(
        `/imports/envoi/${id}/correspondance`,
        `/imports/envoi/${id}/correspondance`,
        {
          action: 'verifier',
          'mode.id': 'column',
          'col.id': 'Identifiant',
          'mode.nom': 'column',
          'col.nom': 'Structure',
          'mode.adresse': 'column',
          'col.adresse': 'Voie',
          'mode.code_postal': 'column',
          'col.code_postal': 'CP',
          'mode.commune': 'column',
          'col.commune': 'Ville',
        },
      );
      assert.equal(remapped.status, 303);
      await work(t.db);
      const stale = await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
        empreinte: sha,
        version: versionOf(shown),
      });
      assert.equal(stale.status, 409);
      assert.match(await stale.text(), /a changé depuis que cette page a été affichée/);
      const fresh = await (await b.request(`/imports/envoi/${id}`)).text();
      assert.equal(
        (
          await b.post(`/imports/envoi/${id}`, `/imports/envoi/${id}/confirmer`, {
            empreinte: sha,
            version: versionOf(fresh),
          })
        ).status,
        303,
      );
      // Waiting past the upload's first 24 hours: a confirmed import still runs.
      await t.db
        .updateTable('place_import_upload')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .execute();
      assert.match(await (await b.request(`/imports/envoi/${id}`)).text(), /import en attente/);
      assert.equal(await work(t.db), 1);
      assert.match(await (await b.request(`/imports/envoi/${id}`)).text(), /Import terminé/);

      const risky = await upload(
        b,
        fileForm(
          'hub.csv',
          HUB_CSV,
          { source: 'hub-r' },
          {
            ...HUB_MAPPING,
            fields: {
              ...HUB_MAPPING.fields,
              code_postal: { kind: 'pattern', column: 'CP', pattern: '^(\\d+)+$' },
            },
          },
        ),
      );
      assert.equal(risky.status, 400);
      assert.match(await risky.text(), /peut bloquer le serveur/);
      // A file part where a text field is expected is ignored, never a 500.
      const odd = new FormData();
      odd.append('_csrf', await b.csrf(`/imports/envoi/${id}/correspondance`));
      odd.append('mode.nom', new File(['x'], 'x.txt'));
      odd.append('action', 'valeurs');
      assert.equal((await b.request(`/imports/envoi/${id}/correspondance`, { body: odd })).status, 200);
    } finally {
      await t.close();
    }
  });

  it('keeps the pages for coordinators: others are refused or sent to sign in', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const anonymous = await app.request('/imports');
      assert.equal(anonymous.status, 303);
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      assert.equal((await staff.request('/imports')).status, 403);
      assert.equal((await staff.request('/imports/nouveau')).status, 403);
      const form = fileForm('x.csv', toCsv([sampleRow()]));
      form.append('_csrf', await staff.csrf('/espace'));
      assert.equal((await staff.request('/imports/nouveau', { body: form })).status, 403);
      // Nobody but a coordinator makes the server take a large body: the 1 MB limit of every form.
      const large = fileForm('gros.csv', 'a'.repeat(2 * 1024 * 1024));
      large.append('_csrf', await staff.csrf('/espace'));
      assert.equal((await staff.request('/imports/nouveau', { body: large })).status, 413);
    } finally {
      await t.close();
    }
  });
});
