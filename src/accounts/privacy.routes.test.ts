import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';

after(closeTestTemplate);

describe('the legal notice and personal-data pages', () => {
  it('say in French what is kept, why, how long and whom to ask, linked from every footer', async () => {
    const t = await createTestDb();
    try {
      const app = testApp(t.db, { NETWORK_CONTACT: '02 38 00 00 00|contact@reseau.example' });
      const data = await app.request('/donnees-personnelles');
      assert.equal(data.status, 200);
      const html = await data.text();
      for (const words of [
        /Les comptes/,
        /Les sessions de connexion/,
        /30 minutes sans activité/,
        /Les signalements d(&#39;|')erreur/,
        /Le journal des actions sensibles/,
        /href="mailto:contact@reseau.example"/,
        /CNIL/,
      ])
        assert.match(html, words);
      assert.match(html, /<footer[\s\S]*href="\/mentions-legales"[\s\S]*href="\/donnees-personnelles"/);

      const legal = await app.request('/mentions-legales');
      assert.equal(legal.status, 200);
      const notice = await legal.text();
      assert.match(notice, /<h1>Mentions légales<\/h1>/);
      assert.match(notice, /contact@reseau.example/);
      assert.match(await (await app.request('/')).text(), /href="\/donnees-personnelles"/);
    } finally {
      await t.close();
    }
  });
});
