import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { listMergeReviews } from './places-merges.service.ts';

after(closeTestTemplate);

const SYSTEM = { kind: 'system' } as const;
const COORDINATOR = 'coordination.demo@example.org';
const STAFF = 'mediation.demo@example.org';

/** On the demonstration (one merge applied, one proposed): a coordinator signed in. */
async function demo(t: TestDb) {
  const app = testApp(t.db);
  const coordinator = cookieBrowser(app);
  await coordinator.signIn(COORDINATOR);
  const { merges } = await listMergeReviews(t.db, SYSTEM, { filter: 'a-verifier', page: 1 });
  const [pending, applied] = merges;
  assert.ok(pending && applied, 'the demonstration shows a merge proposed and one applied');
  return { app, coordinator, pending, applied };
}

describe('the review of merges on /fusions', () => {
  it('lists the merges to review, proposed first, both records side by side with the similarity and why they matched', async () => {
    const t = await createDemoTestDb();
    try {
      const { coordinator, pending, applied } = await demo(t);
      assert.deepEqual([pending.status, applied.status], ['pending', 'applied']);
      const { res, html } = await coordinator.page('/fusions');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Cache-Control'), 'no-store');
      assert.match(html, /<title>Fusions à vérifier — Maillage<\/title>/);
      assert.match(html, /<h1>Fusions de lieux<\/h1>/);
      assert.match(html, /<h2>Fusions à vérifier<\/h2>/);
      assert.match(html, /<a href="\/fusions\?etat=a-verifier" aria-current="page">À vérifier \(2\)<\/a>/);
      assert.match(html, /1 fusion proposée attend votre décision/);
      // Proposed first: the France services counter hosted in the social centre, at 60 %.
      const first = html.indexOf('France services Orléans Sud');
      assert.ok(first > 0 && first < html.indexOf('Médiathèque La Source'), 'the proposed merge first');
      assert.match(html, /Proposée, pas encore appliquée/);
      assert.match(html, /Appliquée à l’import, pas encore vérifiée/);
      assert.match(html, /<strong>Similarité : 60 %<\/strong>/);
      assert.match(html, /<li>Même adresse \(100 %\).<\/li>/);
      assert.match(html, /<li>Même numéro de téléphone.<\/li>/);
      assert.match(html, /<th scope="col">Fiche de « demo-cartographie »<\/th>/);
      assert.match(html, /<th scope="row">Téléphone<\/th>/);
      // Both records of the proposed merge are public; of the applied one, only the fresher.
      assert.match(html, new RegExp(`href="/lieux/${pending.merged.id}">Voir la fiche publique`));
      assert.match(html, new RegExp(`href="/lieux/${pending.canonical.id}">Voir la fiche publique`));
      assert.match(html, /Cachée : le public voit l’autre fiche/);
      assert.match(html, new RegExp(`action="/fusions/${pending.id}/confirmer"`));
      assert.match(html, /Confirmer<span class="visually-hidden"> la fusion de « /);
      assert.match(html, new RegExp(`action="/fusions/${applied.id}/separer"`));
      assert.match(html, /<a href="\/fusions\/[0-9a-f-]{36}">Ouvrir la fusion de/);

      const page = await coordinator.page(`/fusions/${pending.id}`);
      assert.equal(page.res.status, 200);
      assert.match(
        page.html,
        /<h1>Fusion de « Centre social de La Source » et « France services Orléans Sud »<\/h1>/,
      );
    } finally {
      await t.close();
    }
  });

  it('filters reviewed and separated merges, and answers a filter or page it does not know with a French message', async () => {
    const t = await createDemoTestDb();
    try {
      const { coordinator } = await demo(t);
      const reviewed = await coordinator.page('/fusions?etat=verifiees');
      assert.equal(reviewed.res.status, 200);
      assert.match(reviewed.html, /<h2>Fusions vérifiées<\/h2>/);
      assert.match(reviewed.html, /Aucune fusion n’a encore été confirmée./);
      const separated = await coordinator.page('/fusions?etat=separees');
      assert.match(separated.html, /Aucune fusion n’a été séparée ni refusée./);
      const far = await coordinator.page('/fusions?page=7');
      assert.equal(far.res.status, 200);
      assert.match(far.html, /Cette page est vide/);
      const badFilter = await coordinator.page('/fusions?etat=toutes');
      assert.equal(badFilter.res.status, 400);
      assert.match(badFilter.html, /Le filtre « toutes » n(&#39;|')existe pas/);
      const badPage = await coordinator.page('/fusions?page=deux');
      assert.equal(badPage.res.status, 400);
      assert.match(badPage.html, /La page « deux » n(&#39;|')existe pas/);
    } finally {
      await t.close();
    }
  });

  it('confirms a proposed merge from the list: back to the list with a message, the merge applied and reviewed by name', async () => {
    const t = await createDemoTestDb();
    try {
      const { app, coordinator, pending } = await demo(t);
      const before = await (await app.request(`/lieux/${pending.merged.id}`)).text();
      assert.match(before, /France services Orléans Sud/);
      const res = await coordinator.post('/fusions', `/fusions/${pending.id}/confirmer`, {
        etat: 'a-verifier',
        page: '1',
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('Location'), '/fusions?etat=a-verifier&fait=appliquee#contenu');
      const after = await coordinator.page('/fusions?etat=a-verifier&fait=appliquee');
      assert.match(after.html, /<p class="notice" role="status">Fusion confirmée et appliquée/);
      assert.match(after.html, /À vérifier \(1\)/);
      const reviewed = await coordinator.page('/fusions?etat=verifiees');
      assert.match(
        reviewed.html,
        /Confirmée le [0-9]+ [a-zéû]+ [0-9]{4} par [^<]+ : le public ne voit qu’un lieu/,
      );
      // The counter's record is older than the social centre's: it is hidden behind it now.
      const shown = await listMergeReviews(t.db, SYSTEM, { filter: 'verifiees', page: 1 });
      assert.deepEqual([shown.merges[0]?.canonical.shown, shown.merges[0]?.merged.shown].sort(), [
        false,
        true,
      ]);
    } finally {
      await t.close();
    }
  });

  it('separates an applied merge from its page, then says clearly that it is already separated', async () => {
    const t = await createDemoTestDb();
    try {
      const { coordinator, applied } = await demo(t);
      const res = await coordinator.post(`/fusions/${applied.id}`, `/fusions/${applied.id}/separer`, {});
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('Location'), `/fusions/${applied.id}?fait=separee`);
      const page = await coordinator.page(`/fusions/${applied.id}?fait=separee`);
      assert.match(page.html, /Fusion séparée : les deux fiches sont de nouveau deux lieux distincts/);
      assert.match(page.html, /Séparée le .* : deux lieux distincts, qui ne seront plus fusionnés./);
      assert.doesNotMatch(page.html, /action="\/fusions\/[^"]+\/(separer|confirmer)"/, 'nothing left to do');
      assert.doesNotMatch(page.html, /Cachée : le public voit l’autre fiche/, 'both records are shown again');

      const again = await coordinator.post('/compte', `/fusions/${applied.id}/separer`, {});
      assert.equal(again.status, 409);
      assert.match(await again.text(), /Cette fusion a déjà été séparée le .* les deux lieux sont distincts/);
      const confirm = await coordinator.post('/compte', `/fusions/${applied.id}/confirmer`, {});
      assert.equal(confirm.status, 409);
      assert.match(await confirm.text(), /Elle ne peut plus être confirmée/);
    } finally {
      await t.close();
    }
  });

  it('refuses a form without its CSRF token, a malformed or unknown id with 404, and everyone but coordinators', async () => {
    const t = await createDemoTestDb();
    try {
      const { app, coordinator, pending } = await demo(t);
      const noToken = await coordinator.request(`/fusions/${pending.id}/separer`, {
        form: { etat: 'a-verifier' },
      });
      assert.equal(noToken.status, 403);
      for (const path of ['/fusions/pas-un-id', '/fusions/00000000-0000-4000-8000-000000000000']) {
        assert.equal((await coordinator.page(path)).res.status, 404, path);
        for (const action of ['confirmer', 'separer']) {
          const res = await coordinator.post('/fusions', `${path}/${action}`, {});
          assert.equal(res.status, 404, `${path}/${action}`);
          assert.match(await res.text(), /Cette fusion n(&#39;|')existe pas/);
        }
      }
      const staff = cookieBrowser(app);
      await staff.signIn(STAFF);
      assert.equal((await staff.page('/fusions')).res.status, 403);
      assert.equal((await staff.page(`/fusions/${pending.id}`)).res.status, 403);
      assert.equal((await staff.post('/compte', `/fusions/${pending.id}/confirmer`, {})).status, 403);
      const anonymous = await app.request('/fusions');
      assert.equal(anonymous.status, 303);
      assert.match(anonymous.headers.get('Location') ?? '', /^\/connexion/);
      const still = await listMergeReviews(t.db, SYSTEM, { filter: 'a-verifier', page: 1 });
      assert.equal(still.counts.pending, 1, 'nothing changed');
    } finally {
      await t.close();
    }
  });

  it('shows the coordinator the merges awaiting a decision on the home page, linking to the list', async () => {
    const t = await createDemoTestDb();
    try {
      const { coordinator } = await demo(t);
      const { html } = await coordinator.page('/espace');
      assert.match(html, /<h3>Fusions à vérifier<\/h3>/);
      assert.match(
        html,
        /<strong>1<\/strong> fusion proposée par un import attend votre décision : les deux lieux restent affichés séparément en attendant. 1 fusion appliquée n’a pas encore été vérifiée./,
      );
      assert.match(html, /<a href="\/fusions\?etat=a-verifier">Vérifier les fusions<\/a>/);
    } finally {
      await t.close();
    }
  });
});
