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
      assert.match(html, /Le géocodage n(&#39;|')est pas activé/);

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

  it('lists every retention period from the configuration, and says when place addresses go to the geocoder', async () => {
    const t = await createTestDb();
    try {
      const app = testApp(t.db, {
        RETENTION_SENT_MAIL_DAYS: '17',
        RETENTION_ERROR_REPORT_DAYS: '203',
        RETENTION_JOIN_REQUEST_DAYS: '41',
        RETENTION_INACTIVE_ACCOUNT_MONTHS: '19',
        RETENTION_ORIENTATION_MONTHS: '13',
        RETENTION_ORIENTATION_UNANSWERED_MONTHS: '5',
        RETENTION_REGISTRATION_DAYS: '23',
        GEOCODER_URL: 'https://data.geopf.fr/geocodage',
      });
      const html = (await (await app.request('/donnees-personnelles')).text()).replace(/\s+/g, ' ');
      for (const words of [
        /gardés 17 jours après leur envoi/,
        /effacé 203 jours après le signalement/,
        /gardées 41 jours après la décision/,
        /depuis 19 mois est supprimé/,
        /effacées 13 mois après la fin/,
        /ou 5 mois après un refus/,
        /Les inscriptions aux ateliers<\/strong> \(votre prénom, votre numéro de téléphone ou votre adresse e-mail\)[^<]*Effacées 23 jours après l’atelier/,
        /Les demandes « Être rappelé »<\/strong> [^<]*; elles ne sont jamais envoyées par courriel/,
        /son adresse \(jamais celle d(&#39;|')une personne\) est envoyée au service national de géocodage/,
      ])
        assert.match(html, words);
    } finally {
      await t.close();
    }
  });
});
