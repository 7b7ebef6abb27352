import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { kyselyOverPostgres } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedDemoIfFresh } from '../../src/demo/demo.service.ts';
import { testApp } from '../support/app.ts';
import { cookieBrowser } from '../support/cookie-browser.ts';
import { demoSessionBrowser } from '../support/demo-sessions.ts';
import { pgQuery } from '../support/fetch-browser.ts';
import { databaseUrlFor, pgTestDatabaseName } from '../support/test-db.ts';

/**
 * The resource bank's files live in PostgreSQL (decision 0042): a file shared through one app server is
 * served, byte for byte, by a second app server with its own connection pool on the same database.
 */
describe('resource files across two app servers sharing one PostgreSQL', () => {
  const name = pgTestDatabaseName(`res_${process.pid}`);
  const url = databaseUrlFor(name);
  let a: Db;
  let b: Db;
  before(async () => {
    await pgQuery(process.env.DATABASE_URL as string, `drop database if exists ${name} with (force)`);
    await pgQuery(process.env.DATABASE_URL as string, `create database ${name}`);
    a = kyselyOverPostgres(url, 4);
    b = kyselyOverPostgres(url, 4);
    await migrate(a);
    await seedDemoIfFresh(a, { kind: 'system' });
  });
  after(async () => {
    await a?.destroy();
    await b?.destroy();
    await pgQuery(process.env.DATABASE_URL as string, `drop database if exists ${name} with (force)`);
  });

  it('stores a file through server A and serves the same bytes from server B', async () => {
    const serverA = testApp(a, { RESOURCE_MAX_MB: '1' });
    const serverB = testApp(b, { RESOURCE_MAX_MB: '1' });
    // A PDF whose body holds every byte value (bytea must not touch them), 600 KB.
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), randomBytes(600 * 1024)]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const mediator = await demoSessionBrowser(serverA, a, 'mediation.demo@example.org');
    const csrf = await mediator.csrf('/ressources/partager');
    const body = new FormData();
    body.append('_csrf', csrf);
    body.append('titre', 'Guide partagé sur le serveur A');
    body.append('resume', 'Un guide pour vérifier que chaque serveur sert les fichiers.');
    body.append('genre', 'guide');
    body.append('themes', 'prise_en_main');
    body.append('licence', 'etalab_2_0');
    body.append('public', 'professionals');
    body.append('visible', 'oui');
    body.append('fichier', new File([bytes], 'guide-serveurs.pdf', { type: 'application/pdf' }));
    const res = await mediator.request('/ressources/partager', { body });
    assert.equal(res.status, 303, await res.text());
    const id = (res.headers.get('Location') ?? '').split('/')[2]?.split('?')[0] as string;

    // Another structure's member, on server B, finds it and downloads it.
    const other = await demoSessionBrowser(serverB, b, 'autre-structure.demo@example.org');
    const list = await other.page('/ressources?q=serveur');
    assert.ok(list.html.includes(`/ressources/${id}`));
    const file = await other.request(`/ressources/${id}/fichier`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('ETag'), `"${sha}"`);
    assert.match(
      file.headers.get('Content-Disposition') ?? '',
      /^attachment; filename="guide-serveurs\.pdf"/,
    );
    const served = Buffer.from(await file.arrayBuffer());
    assert.equal(served.length, bytes.length);
    assert.equal(createHash('sha256').update(served).digest('hex'), sha);
    // A public resource: an anonymous visitor of server B gets it too.
    const visitor = await cookieBrowser(serverB).request(`/ressources/${id}/fichier`);
    assert.equal(visitor.status, 200);
    assert.equal(
      createHash('sha256')
        .update(Buffer.from(await visitor.arrayBuffer()))
        .digest('hex'),
      sha,
    );
  });
});
