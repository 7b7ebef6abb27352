import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendSampleOrientation } from '../../test/authorization/referrals.ts';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { encodeDiagnosticToken, ensureDiagnosticVersion } from '../diagnostic/diagnostic.service.ts';
import { listRecentMessages } from '../mail/mail.service.ts';

after(closeTestTemplate);

describe('orientation pages (HTTP)', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let sample: Awaited<ReturnType<typeof sendSampleOrientation>>;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
    sample = await sendSampleOrientation(t.db);
  });
  after(async () => {
    await t.close();
  });

  it('refuses a form without consent, with an empty or huge message, keeping what was typed and leaving script inert', async () => {
    const b = cookieBrowser(app);
    await b.signIn('autre-structure.demo@example.org');
    const formPage = `/orientations/nouvelle?lieu=${sample.placeId}`;
    const page = await (await b.request(formPage)).text();
    assert.match(page, /Comment le lieu reçoit l’orientation/);
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const structure = /name="structure" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const need = /name="besoin" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const script = '<script>alert(1)</script>';
    const base = {
      _csrf: token,
      lieu: sample.placeId,
      structure,
      besoin: need,
      urgence: 'normal',
      contact: 'self',
      nom: script,
      contact_orienteur: `${script}@x`,
    };
    const noConsent = await b.request('/orientations/nouvelle', { form: { ...base, message: script } });
    assert.equal(noConsent.status, 422);
    const html = await noConsent.text();
    assert.match(html, /Cochez la case du consentement/);
    assert.ok(!html.includes(script), 'script is escaped');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'what was typed is shown again, inert');
    const empty = await b.request('/orientations/nouvelle', {
      form: { ...base, message: '  ', consentement: 'oui' },
    });
    assert.equal(empty.status, 422);
    assert.match(await empty.text(), /Écrivez un court message/);
    const huge = await b.request('/orientations/nouvelle', {
      form: { ...base, message: 'é'.repeat(1500), consentement: 'oui' },
    });
    assert.match(await huge.text(), /1500 caractères/);
    const sent = await b.request('/orientations/nouvelle', {
      form: { ...base, message: script, consentement: 'oui' },
    });
    assert.equal(sent.status, 303);
    const location = sent.headers.get('Location') ?? '';
    const shown = await (await b.request(location)).text();
    assert.ok(!shown.includes(script) && shown.includes('&lt;script&gt;'));
  });

  it('attaches the diagnostic only when the person agrees to it', async () => {
    await ensureDiagnosticVersion(t.db);
    const token = encodeDiagnosticToken({ version: 1, answers: {} });
    const b = cookieBrowser(app);
    await b.signIn('autre-structure.demo@example.org');
    const page = await (
      await b.request(`/orientations/nouvelle?lieu=${sample.placeId}&diagnostic=${token}`)
    ).text();
    assert.match(page, /joindre le résultat de son diagnostic/);
    const fields = {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '',
      lieu: sample.placeId,
      structure: /name="structure" value="([^"]+)"/.exec(page)?.[1] ?? '',
      besoin: /name="besoin" value="([^"]+)"/.exec(page)?.[1] ?? '',
      urgence: 'normal',
      contact: 'self',
      message: 'Diagnostic fait ensemble.',
      contact_orienteur: '02 38 00 00 01',
      consentement: 'oui',
      diagnostic: token,
    };
    const without = await b.request('/orientations/nouvelle', { form: fields });
    const withIt = await b.request('/orientations/nouvelle', {
      form: { ...fields, consentement_diagnostic: 'oui' },
    });
    const idOf = (res: Response) =>
      /\/orientations\/([0-9a-f-]{36})/.exec(res.headers.get('Location') ?? '')?.[1] ?? '';
    const rows = await t.db
      .selectFrom('orientation')
      .select(['id', 'diagnostic', 'consent_diagnostic'])
      .where('id', 'in', [idOf(without), idOf(withIt)])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get(idOf(without))?.diagnostic, null);
    assert.equal(byId.get(idOf(without))?.consent_diagnostic, false);
    assert.ok(byId.get(idOf(withIt))?.diagnostic);
    assert.equal(byId.get(idOf(withIt))?.consent_diagnostic, true);
  });

  it('says a diagnostic link that does not fit its questionnaire is unreadable on the form, as the sending would', async () => {
    await ensureDiagnosticVersion(t.db);
    const b = cookieBrowser(app);
    await b.signIn('autre-structure.demo@example.org');
    // Two organisations on version 1, where that question takes one answer: forged or damaged.
    const token = encodeDiagnosticToken({ version: 1, answers: { organisme: ['caf', 'impots'] } });
    const page = await (
      await b.request(`/orientations/nouvelle?lieu=${sample.placeId}&diagnostic=${token}`)
    ).text();
    assert.match(page, /Le résultat du diagnostic n’est pas lisible : il ne sera pas joint\./);
    assert.doesNotMatch(page, /joindre le résultat de son diagnostic/);
  });

  it('sends the diagnostic to the receiving professional in the third person, version 1 or 2', async () => {
    await ensureDiagnosticVersion(t.db);
    const b = cookieBrowser(app);
    await b.signIn('autre-structure.demo@example.org');
    const answers = { appareil: 'aucun', connexion: 'non', courrier: 'difficile', envie: 'emploi' };
    for (const token of [
      encodeDiagnosticToken({ version: 2, answers: { ...answers, organisme: ['caf', 'impots'] } }),
      encodeDiagnosticToken({ version: 1, answers: { ...answers, organisme: 'caf' } }),
    ]) {
      const page = await (
        await b.request(`/orientations/nouvelle?lieu=${sample.placeId}&diagnostic=${token}`)
      ).text();
      const sent = await b.request('/orientations/nouvelle', {
        form: {
          _csrf: /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '',
          lieu: sample.placeId,
          structure: /name="structure" value="([^"]+)"/.exec(page)?.[1] ?? '',
          besoin: /name="besoin" value="([^"]+)"/.exec(page)?.[1] ?? '',
          urgence: 'normal',
          contact: 'self',
          message: 'Diagnostic fait ensemble.',
          contact_orienteur: '02 38 00 00 01',
          consentement: 'oui',
          consentement_diagnostic: 'oui',
          diagnostic: token,
        },
      });
      assert.equal(sent.status, 303, await sent.clone().text());
      const id = /\/orientations\/([0-9a-f-]{36})/.exec(sent.headers.get('Location') ?? '')?.[1] ?? '';
      const row = await t.db
        .selectFrom('orientation')
        .select('diagnostic')
        .where('id', '=', id)
        .executeTakeFirst();
      const attached = row?.diagnostic as { domains: { label: string; profile: string }[] } | null;
      assert.ok(attached, 'the diagnostic is attached');
      // Quoted questions are the questionnaire's words; every other word speaks of the person.
      for (const d of attached.domains)
        assert.doesNotMatch(d.profile.replace(/« [^»]* »/g, ''), /\b(vous|votre|vos)\b/i, d.profile);
      assert.ok(
        attached.domains.some((d) => d.profile.startsWith('La personne n')),
        'a stage said to the professional',
      );
      const asked = attached.domains.filter((d) => d.label === 'Ce que la personne a demandé');
      assert.equal(asked.length, 2);
      assert.match(asked[0]?.profile ?? '', /la personne a répondu : « Chercher un emploi ou faire un CV »/);
      assert.match(asked[1]?.profile ?? '', /« La CAF \(allocations, APL, RSA, prime d'activité\) »/);
      const shown = await (await b.request(`/orientations/${id}`)).text();
      assert.match(shown, /Résultat du diagnostic/);
      assert.match(shown, /La personne n(&#39;|')a pas encore ce qu|Réponses de la personne/);
      assert.doesNotMatch(shown, /Vous n(&#39;|')avez pas encore ce qu/);
    }
  });

  it('answers a mailed link once (403 when altered, 410 when used or unknown), without an account', async () => {
    const mail = (await listRecentMessages(t.db, 50))
      .filter((m) => /\/orientations\/lien\//.test(m.text))
      .at(-1);
    assert.ok(mail, 'the sample orientation sent a link (its place has no member)');
    const path = /\/orientations\/lien\/[A-Za-z0-9._-]+/.exec(mail.text)?.[0] ?? '';
    const b = cookieBrowser(app);
    const page = await b.request(path);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Martine Exemple/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const altered = `${path.slice(0, -1)}${path.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await b.request(altered)).status, 403);
    assert.equal((await b.request(altered, { form: { _csrf: csrf, decision: 'accept' } })).status, 403);
    assert.equal((await b.request('/orientations/lien/jeton-inconnu')).status, 410);
    const refusedNoReason = await b.request(path, { form: { _csrf: csrf, decision: 'refuse', reason: '' } });
    assert.equal(refusedNoReason.status, 422);
    const accepted = await b.request(path, { form: { _csrf: csrf, decision: 'accept' } });
    assert.equal(accepted.status, 200);
    const done = await accepted.text();
    const closePath = /href="(\/orientations\/lien\/[^"]+)"/.exec(done)?.[1] ?? '';
    assert.ok(closePath, 'the closing link is shown');
    const reused = await b.request(path, { form: { _csrf: csrf, decision: 'accept' } });
    assert.equal(reused.status, 410);
    assert.match(await reused.text(), /déjà servi/);
    const came = await b.request(closePath, { form: { _csrf: csrf, outcome: 'came' } });
    assert.equal(came.status, 200);
    assert.equal((await b.request(closePath)).status, 410);
  });

  it('shows an orientation by page and API to the structures involved only, as every demo role, and by no guessed id', async () => {
    const roles: [string, string | null, boolean][] = [
      ['anonymous', null, false],
      ['coordinator', 'coordination.demo@example.org', false],
      ['funder', 'financeur.demo@example.org', false],
      ['structure_admin', 'admin.demo@example.org', true],
      ['staff', 'mediation.demo@example.org', true],
      ['other_structure', 'autre-structure.demo@example.org', false],
    ];
    const guessed = 'c0ffee00-0000-4000-8000-000000000000';
    for (const [role, email, allowed] of roles) {
      const b = cookieBrowser(app);
      if (email) await b.signIn(email);
      for (const path of [
        `/orientations/${sample.orientationId}`,
        `/orientations/${sample.orientationId}/fiche`,
        `/orientations/parcours/${sample.parcoursId}`,
        `/api/v1/orientations/${sample.orientationId}`,
      ]) {
        const res = await b.request(path);
        const ok = res.status === 200;
        assert.equal(ok, allowed, `${path} as ${role}: ${res.status}`);
        if (!allowed)
          assert.ok(
            [401, 403].includes(res.status) || res.headers.get('Location')?.startsWith('/connexion'),
            `${path} as ${role}: ${res.status}`,
          );
      }
      for (const path of [
        `/orientations/${guessed}`,
        `/api/v1/orientations/${guessed}`,
        `/orientations/parcours/${guessed}`,
      ]) {
        const res = await b.request(path);
        assert.notEqual(res.status, 200, `${path} as ${role}`);
        assert.notEqual(res.status, 500, `${path} as ${role}`);
      }
    }
  });

  it('offers "Orienter une personne vers ce lieu" on a place page to members of a structure only, never kept by shared caches', async () => {
    const placePath = `/lieux/${sample.placeId}`;
    const link = `href="/orientations/nouvelle?lieu=${sample.placeId}"`;
    const anonymous = await cookieBrowser(app).request(placePath);
    assert.equal(anonymous.status, 200);
    assert.ok(!(await anonymous.text()).includes('Orienter une personne vers ce lieu'));
    assert.notEqual(anonymous.headers.get('Cache-Control'), 'private, no-store');

    const coordinator = cookieBrowser(app);
    await coordinator.signIn('coordination.demo@example.org');
    const seenByCoordinator = await coordinator.request(placePath);
    assert.ok(
      !(await seenByCoordinator.text()).includes('Orienter une personne'),
      'the coordinator does not orient',
    );
    assert.equal(seenByCoordinator.headers.get('Cache-Control'), 'private, no-store');

    const member = cookieBrowser(app);
    await member.signIn('mediation.demo@example.org');
    const seen = await member.request(placePath);
    assert.equal(seen.status, 200);
    assert.equal(seen.headers.get('Cache-Control'), 'private, no-store');
    const html = await seen.text();
    assert.ok(html.includes(link), 'the link to the orientation form');
    assert.match(html, /Orienter une personne vers ce lieu<\/a>/);
    // A route's own choice stands: pages with personal data keep their stricter header.
    assert.equal((await member.request('/orientations')).headers.get('Cache-Control'), 'no-store');
    const form = await (await member.request(`/orientations/nouvelle?lieu=${sample.placeId}`)).text();
    assert.ok(form.includes(`name="lieu" value="${sample.placeId}"`), 'the form is for that place');
  });

  it('follows "Orienter vers ce lieu" from a diagnostic result to a form with the place, the needs and the diagnostic', async () => {
    await ensureDiagnosticVersion(t.db);
    const d = encodeDiagnosticToken({ version: 1, answers: { courrier: 'difficile', organisme: 'caf' } });
    const b = cookieBrowser(app);
    await b.signIn('mediation.demo@example.org');
    const result = await (await b.request(`/diagnostic/resultat?d=${d}&ou=Orl%C3%A9ans`)).text();
    const links = [...result.matchAll(/href="(\/orientations\/nouvelle\?[^"]+)"/g)].map((m) =>
      (m[1] as string).replaceAll('&amp;', '&'),
    );
    const caf = links.find((l) => new URL(l, 'http://x').searchParams.getAll('besoin').includes('caf'));
    assert.ok(caf, `a link for the CAF procedure among ${links.length}`);
    const placeId = new URL(caf, 'http://x').searchParams.get('lieu') ?? '';
    const form = await b.request(caf);
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.ok(html.includes(`name="lieu" value="${placeId}"`), 'the place is chosen');
    assert.ok(html.includes(`name="diagnostic" value="${d}"`), 'the diagnostic comes along');
    assert.match(html, /<input[^>]*name="besoin" value="caf" checked=""/, 'the need is ticked');
    assert.match(html, /joindre le résultat de son diagnostic/);
  });

  it('prints a sheet with the place, its hours, a map and who referred her, without her phone', async () => {
    const b = cookieBrowser(app);
    await b.signIn('mediation.demo@example.org');
    const html = await (await b.request(`/orientations/${sample.orientationId}/fiche`)).text();
    assert.match(html, /Fiche de liaison/);
    assert.match(html, /<svg[^>]+role="img"/);
    assert.match(html, /Qui vous oriente/);
    assert.match(html, /Ce que vous devez apporter/);
    assert.ok(!html.includes('06 12 34 56 78') && !html.includes('0612345678'), 'her phone is not printed');
  });
});
