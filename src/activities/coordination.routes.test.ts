import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoWithoutRecords, pageText as text } from '../../test/support/activity-pages.ts';
import type { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, type TestDb } from '../../test/support/test-db.ts';
import { COORDINATION_MESSAGES } from './coordination.ts';

after(closeTestTemplate);

describe('coordination activities over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let coordinator: CookieBrowser;
  before(async () => {
    ({ t, app } = await demoWithoutRecords());
    coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
  });
  after(async () => {
    await t.close();
  });

  const post = async (kind: string, form: Record<string, string | string[]>, who = coordinator) => {
    const csrf = await who.csrf(`/activites/coordination/nouvelle/${kind}`);
    const res = await who.request(`/activites/coordination/nouvelle/${kind}`, {
      form: { _csrf: csrf, ...form },
    });
    return { res, html: text(await res.text()) };
  };

  it('shows the list and one form per kind, with the Coop’s fields, never cached', async () => {
    const list = await coordinator.page('/activites/coordination');
    assert.equal(list.res.status, 200);
    assert.equal(list.res.headers.get('Cache-Control'), 'no-store');
    assert.match(list.html, /Aucune activité de coordination/);
    for (const kind of ['animation', 'evenement', 'partenariat'])
      assert.match(list.html, new RegExp(`href="/activites/coordination/nouvelle/${kind}"`));
    const animation = text((await coordinator.page('/activites/coordination/nouvelle/animation')).html);
    for (const name of ['date', 'duration', 'mediatorsCount', 'structuresCount', 'otherActorsCount'])
      assert.match(animation, new RegExp(`name="${name}"`));
    assert.match(animation, /name="animationType" value="reunion_coordination"/);
    assert.match(animation, /name="animationThemes" value="reseau"/);
    assert.match(animation, /name="initiative" value="demande"/);
    assert.doesNotMatch(animation, /name="territorialLevel"/);
    const event = text((await coordinator.page('/activites/coordination/nouvelle/evenement')).html);
    assert.match(event, /name="eventType" value="nec_local"/);
    assert.match(event, /<label for="eventType-nec_local">NEC local<\/label>/);
    assert.match(event, /name="organisers" value="ma_structure"/);
    assert.match(event, /name="territorialLevel" value="departemental"/);
    const partnership = text((await coordinator.page('/activites/coordination/nouvelle/partenariat')).html);
    assert.match(partnership, /name="partnershipNatures" value="rdv_elu"/);
    assert.match(partnership, /name="partners.2.type"/);
    const unknown = await coordinator.request('/activites/coordination/nouvelle/reunion');
    assert.equal(unknown.status, 404);
  });

  it('refuses an incomplete animation with a French message per field and keeps what was typed', async () => {
    const { res, html } = await post('animation', {
      date: '2026-13-45',
      duration: '0',
      name: 'Réunion des médiateurs du Giennois',
      mediatorsCount: 'douze',
      animationType: 'autre',
      animationThemes: ['reseau', 'inconnu'],
    });
    assert.equal(res.status, 422);
    assert.match(html, /<title>Erreur : Enregistrer une animation/);
    assert.match(html, /La date « 2026-13-45 » n’est pas une date/);
    assert.match(html, /La durée « 0 » n’est pas valide/);
    assert.match(html, /Médiateurs : « douze » n’est pas un nombre entier positif/);
    assert.match(html, /Vous avez choisi « Autre » : précisez le type d’animation/);
    assert.match(html, /Thématique d’animation : la valeur « inconnu » n’existe pas/);
    assert.match(html, /value="Réunion des médiateurs du Giennois"/);
    assert.match(html, /value="douze"/);
    assert.match(html, /id="animationType-autre" name="animationType" value="autre" checked/);
    assert.match(html, /href="#mediatorsCount"/);
    assert.match(html, /href="#animationThemes-partage"/);
    const nobody = await post('animation', {
      date: '2026-01-10',
      duration: '90',
      animationType: 'webinaire',
    });
    assert.equal(nobody.res.status, 422);
    assert.match(nobody.html, new RegExp(COORDINATION_MESSAGES.nobodyAnimated));
    assert.equal(
      Number(
        (
          await t.db
            .selectFrom('coordination_activity')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      0,
    );
  });

  it('records an animation, a local day (nec_local) and a partnership, then lists them the latest day first', async () => {
    const a = await post('animation', {
      date: '2026-01-10',
      duration: '90',
      name: 'Réunion des médiateurs',
      mediatorsCount: '12',
      structuresCount: '4',
      animationType: 'reunion_coordination',
      initiative: 'initiative',
      animationThemes: ['partage', 'reseau'],
    });
    assert.equal(a.res.status, 303, a.html);
    assert.equal(a.res.headers.get('Location'), '/activites/coordination?fait=animation');
    const e = await post('evenement', {
      date: '2026-03-20',
      name: 'Journée locale du numérique',
      participants: '150',
      eventType: 'nec_local',
      organisers: ['ma_structure', 'commune'],
      territorialLevel: 'intercommunal',
    });
    assert.equal(e.res.status, 303, e.html);
    const missingType = await post('partenariat', {
      date: '2026-02-01',
      partnershipNatures: ['parcours_usager'],
      'partners.1.name': 'CAF du Loiret',
    });
    assert.equal(missingType.res.status, 422);
    assert.match(missingType.html, /Indiquez le type de la structure partenaire « CAF du Loiret »/);
    assert.match(missingType.html, /href="#partners-1-name"/);
    assert.match(
      missingType.html,
      /id="partners-1-name" name="partners.1.name" type="text" value="CAF du Loiret"/,
    );
    const p = await post('partenariat', {
      date: '2026-02-01',
      partnershipNatures: ['parcours_usager', 'autre'],
      partnershipNatureOther: 'Convention de prêt de matériel',
      'partners.0.name': 'CAF du Loiret',
      'partners.0.type': 'etat',
      'partners.1.name': 'Collectif des aidants',
      'partners.1.type': 'autre',
      'partners.1.typeOther': 'Collectif citoyen',
    });
    assert.equal(p.res.status, 303, p.html);
    const { html } = await coordinator.page('/activites/coordination?fait=animation');
    const page = text(html);
    assert.match(page, /L’animation est enregistrée/);
    const order = [
      'Évènement du 20 mars 2026',
      'Partenariat du 1er février 2026',
      'Animation du 10 janvier 2026',
    ].map((s) => page.indexOf(s));
    assert.ok(order.every((i) => i > 0) && order[0]! < order[1]! && order[1]! < order[2]!, String(order));
    assert.match(page, /NEC local/);
    assert.match(page, /12 médiateur\(s\), 4 structure\(s\), 0 autre\(s\) acteur\(s\)/);
    assert.match(
      page,
      /CAF du Loiret \(État \(Préfecture, ANCT, Opérateur...\)\), Collectif des aidants \(Collectif citoyen\)/,
    );
    assert.match(page, /Autre : Convention de prêt de matériel/);
  });

  it('gives everyone but coordinators the 403 page, and malformed input a 4xx', async () => {
    for (const email of [
      'mediation.demo@example.org',
      'financeur.demo@example.org',
      'admin.demo@example.org',
    ]) {
      const b = await demoSessionBrowser(app, t.db, email);
      for (const path of ['/activites/coordination', '/activites/coordination/nouvelle/animation']) {
        const res = await b.request(path);
        assert.equal(res.status, 403, `${email} ${path}`);
        assert.match(await res.text(), /<title>[^<]*Maillage<\/title>/);
      }
      const csrf = await b.csrf('/compte');
      const res = await b.request('/activites/coordination/nouvelle/animation', {
        form: {
          _csrf: csrf,
          date: '2026-01-10',
          duration: '90',
          animationType: 'webinaire',
          mediatorsCount: '3',
        },
      });
      assert.equal(res.status, 403, email);
    }
    const anonymous = await app.request('/activites/coordination');
    assert.equal(anonymous.status, 303);
    const weird = await post('animation', {
      date: '\u0000',
      duration: '99999999999',
      animationType: ['x', 'y'],
      animationThemes: Array.from({ length: 30 }, (_, i) => `t${i}`),
      'partners.0.name': 'x',
    });
    assert.equal(weird.res.status, 422);
    const weirdPartner = await post('partenariat', {
      date: '2026-02-01',
      partnershipNatures: 'subvention',
      'partners.0.name': 'y'.repeat(400),
      'partners.0.type': 'inconnu',
    });
    assert.equal(weirdPartner.res.status, 422);
  });
});
