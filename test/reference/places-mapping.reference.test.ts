import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { seedDemoIfFresh } from '../../src/demo/demo.service.ts';
import { runImportUploads } from '../../src/places/import-uploads.service.ts';
import { exportPlaces } from '../../src/places/places.service.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { parseMappingJson } from '../../src/places/places-mapping.ts';
import { testApp } from '../support/app.ts';
import { cookieBrowser } from '../support/cookie-browser.ts';
import { ANGERS_RAW_FILE, ANGERS_TRANSFORMER_CONFIG, readReference } from '../support/reference-data.ts';
import { validateAgainstSchema } from '../support/schema-validator.ts';
import { closeTestTemplate, createTestDb } from '../support/test-db.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

/**
 * A real regional file in its own layout (Angers) imported through the national transformer's real
 * configuration for it, under the Maine-et-Loire territory, through to an export the official schema accepts.
 */

after(closeTestTemplate);

const readJson = (...parts: string[]) => JSON.parse(readReference(...parts).toString('utf8')) as unknown;

describe('Angers through the transformer configuration (dep:49)', () => {
  it('keeps every row that has a name and a position, and exports what the national schema accepts', async () => {
    const rows = readJson(...ANGERS_RAW_FILE) as Record<string, unknown>[];
    // Counted from the raw JSON, independently of the mapping engine.
    const filled = (value: unknown) => value !== null && value !== undefined && String(value).trim() !== '';
    const withNameAndPosition = rows.filter(
      (row) => filled(row.USER_NOM) && filled(row.LAT) && filled(row.LNG),
    );
    assert.ok(withNameAndPosition.length > 50, 'the reference file has its rows');

    const parsed = parseMappingJson(readJson(...ANGERS_TRANSFORMER_CONFIG));
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.equal(parsed.format, 'transformer');

    const scope = loadConfig({ TERRITORY: 'dep:49' }).publicScope;
    const { db, close } = await createTestDb();
    try {
      const report = await importPlacesFile(db, SYSTEM, readReference(...ANGERS_RAW_FILE), {
        fileName: 'angers.json',
        source: 'angers',
        scope,
        mapping: parsed.mapping,
      });
      const hoursRewritten = report.warnings.filter((issue) =>
        /réécrits au format OpenStreetMap/.test(issue.message),
      );
      const hoursLeftOut = report.warnings.filter((issue) =>
        /n'ont pas pu être réécrits/.test(issue.message),
      );
      console.log(
        JSON.stringify({
          rows: rows.length,
          withNameAndPosition: withNameAndPosition.length,
          read: report.read,
          kept: report.imported + report.updated + report.unchanged + report.merged,
          imported: report.imported,
          merged: report.merged,
          rejected: report.rejected,
          warnings: report.warnings.length,
          hoursRewritten: hoursRewritten.length,
          hoursLeftOut: hoursLeftOut.length,
          warningsByField: Object.fromEntries(
            [...new Set(report.warnings.map((issue) => issue.field))].map((field) => [
              field ?? 'fichier',
              report.warnings.filter((issue) => issue.field === field).length,
            ]),
          ),
        }),
      );
      assert.equal(report.read, rows.length);
      assert.deepEqual(report.errors, []);
      assert.equal(report.imported + report.merged, withNameAndPosition.length);
      assert.ok(hoursRewritten.length >= 30, `${hoursRewritten.length} hours rewritten`);

      const exported = parse(await exportPlaces(db, SYSTEM, { format: 'csv' }), {
        columns: true,
        bom: true,
      }) as Record<string, string>[];
      assert.equal(exported.length, withNameAndPosition.length);
      assert.deepEqual(
        validateAgainstSchema(readJson('lieux-schema', 'schema.json'), exported).slice(0, 20),
        [],
      );
      const json = JSON.parse(await exportPlaces(db, SYSTEM, { format: 'json' })) as Record<
        string,
        unknown
      >[];
      assert.equal(json.length, withNameAndPosition.length);

      const library = exported.find((place) => place.typologie === 'BIB');
      assert.ok(library, 'the « Bibliotheque » pictogram gives the BIB typology');
      const aideAccueil = exported.find((place) => place.nom === 'Aide Accueil');
      assert.equal(aideAccueil?.horaires, 'Mo-Fr 09:00-12:00,14:00-17:00');
      assert.match(aideAccueil?.services ?? '', /Aide aux démarches administratives/);
    } finally {
      await close();
    }
  });

  it('gives through the web pages (upload with the transformer file, dry run, confirmation) what the command line gives', async () => {
    const config = loadConfig({ TERRITORY: 'dep:49', DATA_DIR: '/nonexistent-test-dir' });
    const parsed = parseMappingJson(readJson(...ANGERS_TRANSFORMER_CONFIG));
    assert.ok(parsed.ok);
    const cli = await createTestDb();
    const web = await createTestDb();
    try {
      await importPlacesFile(cli.db, SYSTEM, readReference(...ANGERS_RAW_FILE), {
        fileName: 'angers.json',
        source: 'angers',
        scope: config.publicScope,
        mapping: parsed.mapping,
        mergeReviewBelow: config.mergeReviewBelow,
      });

      await seedDemoIfFresh(web.db, SYSTEM);
      const b = cookieBrowser(testApp(web.db, { TERRITORY: 'dep:49' }));
      await b.signIn('coordination.demo@example.org');
      const form = new FormData();
      form.append('_csrf', await b.csrf('/imports/nouveau'));
      form.append('source', 'angers');
      form.append('fichier', new File([new Uint8Array(readReference(...ANGERS_RAW_FILE))], 'angers.json'));
      form.append(
        'correspondance',
        new File([new Uint8Array(readReference(...ANGERS_TRANSFORMER_CONFIG))], 'angers.config.json'),
      );
      const sent = await b.request('/imports/nouveau', { body: form });
      assert.equal(sent.status, 303, await sent.clone().text());
      const page = sent.headers.get('location') ?? '';
      const work = () =>
        runImportUploads(web.db, SYSTEM, {
          now: new Date(),
          scope: config.publicScope,
          mergeReviewBelow: config.mergeReviewBelow,
        });
      assert.equal(await work(), 1);
      const previewed = await (await b.request(page)).text();
      assert.match(previewed, /63 lignes lues/);
      assert.match(previewed, /0 ligne refusée/);
      const sha = /name="empreinte" value="([0-9a-f]{64})"/.exec(previewed)?.[1] ?? '';
      assert.equal(
        (
          await b.post(page, `${page}/confirmer`, {
            empreinte: sha,
            version: /name="version" value="(\d+)"/.exec(previewed)?.[1] ?? '',
          })
        ).status,
        303,
      );
      assert.equal(await work(), 1);
      assert.match(await (await b.request(page)).text(), /Import terminé/);

      const angers = async (db: Db) =>
        (JSON.parse(await exportPlaces(db, SYSTEM, { format: 'json' })) as Record<string, unknown>[])
          .filter((r) => r.source === 'angers')
          .map(({ id: _id, ...rest }) => rest)
          .sort(
            (x, y) =>
              String(x.nom).localeCompare(String(y.nom)) ||
              String(x.adresse).localeCompare(String(y.adresse)),
          );
      const fromWeb = await angers(web.db);
      assert.equal(fromWeb.length, 63);
      assert.deepEqual(fromWeb, await angers(cli.db), 'the page and the command line give the same places');
    } finally {
      await cli.close();
      await web.close();
    }
  });
});
