import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import {
  closeTestTemplate,
  createDemoTestDb,
  createTestDb,
  type TestDb,
} from '../../test/support/test-db.ts';
import { listAudit } from '../audit/audit.service.ts';
import {
  decodeDiagnosticToken,
  defaultQuestionnaireText,
  encodeDiagnosticToken,
  ensureDiagnosticVersion,
  evaluateDiagnostic,
  getActiveQuestionnaire,
  shippedQuestionnaireText,
} from './diagnostic.service.ts';
import { type Answers, SKIPPED } from './diagnostic.ts';

after(closeTestTemplate);

type App = ReturnType<typeof testApp>;

/** Whoever opens the diagnostic: a visitor without an account. */
const ANYBODY = { kind: 'anonymous' } as const;

const decode = (html: string) =>
  html
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<');

/** Submits the question page's GET form with answers (or the skip button), as a browser would. */
function answerUrl(html: string, choice: string | readonly string[] | 'passer'): string {
  const form = /<form method="get" action="\/diagnostic\/repondre">([\s\S]*?)<\/form>/.exec(html)?.[1];
  assert.ok(form, 'the question page has a GET form to /diagnostic/repondre');
  const q = new URLSearchParams();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    q.append(m[1] as string, decode(m[2] as string));
  if (choice === 'passer') q.append('passer', '1');
  else for (const r of typeof choice === 'string' ? [choice] : choice) q.append('r', r);
  return `/diagnostic/repondre?${q.toString()}`;
}

const radios = (html: string) =>
  [...html.matchAll(/type="radio" name="r" id="r-[^"]+" value="([^"]+)"/g)].map((m) => m[1] as string);
const checkboxes = (html: string) =>
  [...html.matchAll(/type="checkbox" name="r" id="r-[^"]+" value="([^"]+)"/g)].map((m) => m[1] as string);
const h1 = (html: string) =>
  decode(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '');

describe('the needs diagnostic over HTTP, without JavaScript (demonstration data)', () => {
  let t: TestDb;
  let app: App;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
  });
  after(() => t.close());

  it('loads the shipped questionnaires 1 and 2 on first use, once, version 2 active', async () => {
    const b = cookieBrowser(app);
    const [first, second] = await Promise.all([b.page('/diagnostic'), b.page('/diagnostic')]);
    assert.equal(first.res.status, 200);
    assert.equal(second.res.status, 200);
    const rows = await t.db.selectFrom('diagnostic_version').selectAll().orderBy('version').execute();
    assert.deepEqual(
      rows.map((r) => [r.version, r.activated_at !== null]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.equal(rows[0]?.document, shippedQuestionnaireText(1));
    assert.equal(rows[1]?.document, defaultQuestionnaireText());
    assert.equal((await listAudit(t.db, { action: 'diagnostic.version_loaded' })).length, 2);
  });

  it('presents itself: 2 minutes, no personal data, alone or with a professional, a link to start', async () => {
    const { res, html } = await cookieBrowser(app).page('/diagnostic');
    assert.equal(res.status, 200);
    assert.match(html, /2 minutes/);
    assert.match(html, /Nous ne demandons ni votre nom ni votre adresse/);
    assert.match(html, /avec un professionnel/);
    assert.match(
      html,
      /<a class="button" href="\/diagnostic\/question\/1\?d=Mg">Commencer le diagnostic<\/a>/,
    );
    assert.match(html, /href="\/diagnostic\?falc=1"/);
  });

  it('reaches every question through GET forms, goes back with "Précédent" keeping the answer, and sets no cookie', async () => {
    const b = cookieBrowser(app);
    const questionnaire = await getActiveQuestionnaire(t.db, ANYBODY);
    const { html } = await b.page('/diagnostic');
    let path = decode(/href="(\/diagnostic\/question\/1[^"]*)"/.exec(html)?.[1] ?? '');
    const chosen: Answers = {};
    for (const [i, question] of questionnaire.questions.entries()) {
      const page = await b.page(path);
      assert.equal(page.res.status, 200, path);
      assert.equal(h1(page.html), question.intitule.courant, `question ${i + 1}`);
      assert.match(page.html, new RegExp(`Question ${i + 1} sur ${questionnaire.questions.length}`));
      assert.deepEqual(
        question.multiple ? checkboxes(page.html) : radios(page.html),
        question.reponses.map((r) => r.id),
      );
      assert.match(page.html, /<legend><h1/);
      // The last answer of each question, except one question passed; the organisations: three boxes.
      const answer = question.multiple
        ? ['caf', 'impots', 'papiers']
        : i === 4
          ? 'passer'
          : (question.reponses.at(-1)?.id as string);
      chosen[question.id] = answer === 'passer' ? SKIPPED : answer;
      const res = await b.request(answerUrl(page.html, answer));
      assert.equal(res.status, 303);
      path = res.headers.get('Location') ?? '';
      if (i === 2) {
        // "Précédent" from question 4 leads to question 3 with its answer checked.
        const next = await b.page(path);
        const back = decode(/<p class="diagnostic-back"><a href="([^"]+)"/.exec(next.html)?.[1] ?? '');
        assert.match(back, /^\/diagnostic\/question\/3\?/);
        const again = await b.page(back);
        assert.match(again.html, new RegExp(`id="r-${question.reponses.at(-1)?.id}" value="[^"]+" checked`));
      }
    }
    assert.match(path, /^\/diagnostic\/lieu\?/);
    const where = await b.page(path);
    assert.equal(where.res.status, 200);
    assert.match(where.html, /<label for="ou">Votre commune ou votre code postal<\/label>/);
    const state = decodeDiagnosticToken(new URL(path, 'http://x').searchParams.get('d'));
    assert.deepEqual(state, { version: 2, answers: chosen });
    assert.equal(questionnaire.questions[7]?.multiple, true, 'question 8 takes several answers');
    const result = await b.page(
      `/diagnostic/resultat?d=${encodeDiagnosticToken(state ?? { version: 1, answers: {} })}`,
    );
    assert.equal(result.res.status, 200);
    assert.match(result.html, /Vous avez répondu à 13 questions sur 14/);
    assert.match(result.html, /Question passée/);
    assert.deepEqual(b.cookiesSet, [], 'the diagnostic needs no cookie');
  });

  it('asks again, with an error summary, when no answer is chosen, and keeps the answers so far', async () => {
    const b = cookieBrowser(app);
    const d = encodeDiagnosticToken({ version: 1, answers: { 'lecture-voix': 'non' } });
    const { res, html } = await b.page(`/diagnostic/repondre?d=${d}&n=2`);
    assert.equal(res.status, 400);
    assert.match(html, /class="error-summary"/);
    assert.match(html, /Choisissez une réponse, ou appuyez sur « Passer cette question »/);
    assert.match(html, /<title>Erreur : Question 2 sur 14/);
    assert.match(html, new RegExp(`name="d" value="${d}"`));
    const forged = await b.page(`/diagnostic/repondre?d=${d}&n=2&r=inconnue`);
    assert.equal(forged.res.status, 400);
  });

  it('goes back to the result after changing an answer from it', async () => {
    const b = cookieBrowser(app);
    const d = encodeDiagnosticToken({ version: 1, answers: { appareil: 'aucun' } });
    const result = await b.page(`/diagnostic/resultat?d=${d}&ou=Saran`);
    const change = decode(
      /href="(\/diagnostic\/question\/2\?[^"]*retour=resultat[^"]*)"/.exec(result.html)?.[1] ?? '',
    );
    assert.ok(change, 'a link to change the answer to question 2');
    const page = await b.page(change);
    assert.match(page.html, /id="r-aucun" value="aucun" checked/);
    assert.match(page.html, /Revenir au résultat sans changer/);
    const res = await b.request(answerUrl(page.html, 'ordinateur-et-telephone'));
    const location = res.headers.get('Location') ?? '';
    assert.match(location, /^\/diagnostic\/resultat\?d=[^&]+&ou=Saran#resultat$/);
    const state = decodeDiagnosticToken(new URL(location, 'http://x').searchParams.get('d'));
    assert.deepEqual(state?.answers, { appareil: 'ordinateur-et-telephone' });
  });

  it('shows profiles in words, messages, needs linked to the search and the nearest places, printable', async () => {
    const d = encodeDiagnosticToken({
      version: 1,
      answers: {
        appareil: 'aucun',
        organisme: 'caf',
        'lecture-voix': 'non',
        courrier: 'facile',
        ecrire: 'seul',
      },
    });
    const { res, html } = await cookieBrowser(app).page(`/diagnostic/resultat?d=${d}&ou=Saran`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.match(html, /Questionnaire version 1/);
    assert.match(html, /<dt>Équipement et connexion<\/dt><dd>Vous n&#39;avez pas encore ce qu&#39;il faut/);
    assert.match(html, /Des associations vendent des ordinateurs/);
    assert.match(html, /href="\/recherche\?besoin=caf&amp;ou=Saran#resultats">Faire une démarche CAF<\/a>/);
    assert.match(html, /href="\/recherche\?besoin=ordinateur-pas-cher&amp;ou=Saran#resultats"/);
    assert.match(
      html,
      /<h3>Lieux pour « Faire une démarche CAF »<\/h3><ul class="cards"><li class="card"><h4><a href="\/lieux\/[0-9a-f-]{36}">/,
    );
    assert.match(html, /data-print=""/);
    // Each place's kind as on its page ("CCAS", "Médiathèque"), not the schema's long names.
    assert.match(html, /<p class="meta">(CCAS|Médiathèque|France services|CAF) · à [\d,]+\u00a0k?m<\/p>/);
    assert.doesNotMatch(html, /Centres? communa|Bibliothèque \/ Médiathèque|Caisse d’allocations/);
    const falc = await cookieBrowser(app).page(`/diagnostic/resultat?d=${d}&ou=Saran&falc=1`);
    assert.match(
      falc.html,
      /<p class="meta">(Service social de la mairie|Bibliothèque|France services : aide pour vos papiers|Caisse d’allocations familiales) · à [\d,]+\u00a0(mètres|kilomètres)<\/p>/,
    );
    assert.doesNotMatch(falc.html, /<p class="meta">(CCAS|Médiathèque) /);
    assert.doesNotMatch(html, /Illettrisme/, 'no reading signal, no illiteracy offer');
    assert.doesNotMatch(html, /Pour le professionnel/, 'no professional notes for an anonymous visitor');
    assert.doesNotMatch(html, /Orienter vers ce lieu/);
    assert.doesNotMatch(html, /<script>/);
  });

  it("puts the person's own priority first, with its nearest places, even after many other needs (version 1)", async () => {
    const d = encodeDiagnosticToken({
      version: 1,
      answers: { appareil: 'aucun', connexion: 'non', mail: 'non', document: 'difficile', envie: 'emploi' },
    });
    const { html } = await cookieBrowser(app).page(`/diagnostic/resultat?d=${d}&ou=Orl%C3%A9ans`);
    const needs = /<ul class="diagnostic-needs">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    const first = /besoin=([a-z-]+)/.exec(needs)?.[1];
    assert.equal(first, 'cv', 'the first need listed is the one the person asked for');
    assert.match(html, /<h3>Lieux pour « Faire un CV/, 'the priority has its places');
    assert.ok(
      html.indexOf('<h3>Lieux pour « Faire un CV') < html.indexOf('<h3>Lieux pour « Acheter un ordinateur'),
    );
  });

  it('asks question 8 of version 2 with checkboxes and gives every organisation ticked its places', async () => {
    const b = cookieBrowser(app);
    const d = encodeDiagnosticToken({ version: 2, answers: { appareil: 'aucun', connexion: 'non' } });
    const page = await b.page(`/diagnostic/question/8?d=${d}`);
    assert.equal(page.res.status, 200);
    assert.deepEqual(checkboxes(page.html), [
      'caf',
      'impots',
      'sante',
      'france-travail',
      'retraite',
      'papiers',
      'aucune',
    ]);
    assert.match(page.html, /Vous pouvez cocher plusieurs réponses\./);
    assert.match(page.html, /aria-describedby="progression question-aide question-plusieurs"/);
    const all = ['caf', 'impots', 'sante', 'france-travail', 'retraite', 'papiers'];
    const res = await b.request(answerUrl(page.html, all));
    assert.equal(res.status, 303);
    const next = decodeDiagnosticToken(
      new URL(res.headers.get('Location') ?? '', 'http://x').searchParams.get('d'),
    );
    assert.deepEqual(next?.answers.organisme, all);
    // Back on question 8, the boxes stay ticked.
    const again = await b.page(
      `/diagnostic/question/8?d=${encodeDiagnosticToken(next ?? { version: 2, answers: {} })}`,
    );
    assert.equal(
      (again.html.match(/type="checkbox" name="r" id="r-[^"]+" value="[^"]+" checked/g) ?? []).length,
      6,
    );

    const withWish = encodeDiagnosticToken({
      version: 2,
      answers: { ...(next?.answers ?? {}), mail: 'non', document: 'difficile', envie: 'emploi' },
    });
    const result = await b.page(`/diagnostic/resultat?d=${withWish}&ou=Orl%C3%A9ans`);
    assert.equal(result.res.status, 200);
    const headings = [
      ...result.html.matchAll(/<h3>Lieux pour « ([^»]+) »<\/h3><ul class="cards"><li class="card">/g),
    ].map((m) => m[1]);
    for (const label of [
      'Faire un CV ou une lettre de motivation',
      'Chercher un emploi ou une formation en ligne',
      'Faire une démarche CAF',
      'Déclarer ses impôts en ligne',
      'Faire une démarche santé (ameli, carte Vitale)',
      'S’inscrire ou actualiser sa situation à France Travail',
      'Préparer ou suivre sa retraite',
      'Carte grise, permis, carte d’identité (ANTS)',
    ])
      assert.ok(headings.includes(label), `places for « ${label} » (got ${headings.join(' | ')})`);
    assert.equal(headings[0], 'Faire un CV ou une lettre de motivation', 'what she wants first comes first');
    // Five needs and five place lists first, the rest behind "Voir tout", in the page (no script).
    const firstNeeds = /<ul class="diagnostic-needs">([\s\S]*?)<\/ul>/.exec(result.html)?.[1] ?? '';
    assert.equal((firstNeeds.match(/<li>/g) ?? []).length, 5);
    assert.match(
      result.html,
      /<details class="diagnostic-more"><summary>Voir tout : \d+ autres aides utiles<\/summary>/,
    );
    assert.match(result.html, /<summary>Voir tout : les lieux pour 3 autres aides<\/summary>/);
    assert.match(result.html, /Vous l’avez demandé|\(vous l’avez demandé\)/);
    const answers = /<ol class="diagnostic-answers-list">([\s\S]*?)<\/ol>/.exec(result.html)?.[1] ?? '';
    assert.match(
      decode(answers),
      /La CAF \(allocations, APL, RSA, prime d'activité\), Les impôts, L'Assurance Maladie/,
    );
  });

  it('refuses forged, doubled or excessive answers and unknown versions with a French page (4xx, never 500)', async () => {
    const b = cookieBrowser(app);
    const d = encodeDiagnosticToken({ version: 2, answers: {} });
    const send = async (n: number, values: string[], falc = false) => {
      const q = new URLSearchParams({ d, n: String(n) });
      for (const v of values) q.append('r', v);
      if (falc) q.append('falc', '1');
      return b.page(`/diagnostic/repondre?${q.toString()}`);
    };
    const cases: [number, string[], RegExp][] = [
      [8, ['caf', 'velo'], /« velo » n’est pas une réponse de cette question/],
      [8, ['caf', 'caf'], /La réponse « caf » a été envoyée deux fois/],
      [
        8,
        Array.from({ length: 13 }, (_, i) => `x${i}`),
        /13 réponses ont été envoyées, mais cette question en propose 7/,
      ],
      [8, ['caf', 'aucune'], /« Aucune en ce moment » ne se coche pas avec une autre réponse/],
      [8, [], /Cochez au moins une réponse/],
      [2, ['aucun', 'smartphone'], /Cette question n’accepte qu’une réponse, et 2 ont été envoyées/],
      [2, ['aucun', 'aucun'], /Cette question n’accepte qu’une réponse, et 2 ont été envoyées/],
      [
        2,
        ['<script>alert(1)</script>'],
        /« &lt;script&gt;alert\(1\)&lt;\/script&gt; » n’est pas une réponse/,
      ],
    ];
    for (const [n, values, message] of cases) {
      const { res, html } = await send(n, values);
      assert.equal(res.status, 400, `${n}: ${values.join(',')}`);
      assert.match(html, message);
      assert.match(html, /class="error-summary"/);
      assert.match(html, new RegExp(`name="d" value="${d}"`), 'the answers so far are kept');
    }
    const long = await send(8, ['a'.repeat(500)]);
    assert.equal(long.res.status, 400);
    assert.match(long.html, /« a{60}… » n’est pas une réponse/);
    assert.match(
      (await send(8, ['caf', 'aucune'], true)).html,
      /« Aucun papier en ce moment » se coche toute seule/,
    );

    const token = (text: string) => Buffer.from(text).toString('base64url');
    const forged: [string, number, RegExp][] = [
      ['2.organisme~caf+velo', 400, /réponse impossible à la question 8\. « velo » n’est pas une réponse/],
      ['2.appareil~aucun+smartphone', 400, /à la question 2\. Cette question n’accepte qu’une réponse/],
      ['2.organisme~caf+aucune', 400, /à la question 8\. « Aucune en ce moment » ne se coche pas/],
      ['2.appareil~velo', 400, /à la question 2\. « velo » n’est pas une réponse/],
      ['2.inconnue~oui', 400, /une réponse à une question qui n’existe pas/],
      ['2.organisme~caf+caf', 400, /Le lien de ce diagnostic est abîmé/],
      [`2.organisme~${Array.from({ length: 13 }, (_, i) => `x${i}`).join('+')}`, 400, /est abîmé/],
      ['9.organisme~caf', 404, /Le questionnaire numéro 9 n’existe pas/],
      ['0', 400, /est abîmé/],
    ];
    for (const [text, status, message] of forged)
      for (const path of ['/diagnostic/resultat', '/diagnostic/question/1', '/diagnostic/lieu']) {
        const { res, html } = await b.page(`${path}?d=${token(text)}`);
        assert.equal(res.status, status, `${path} ${text}`);
        assert.match(html, message, `${path} ${text}`);
      }
    // A version 1 link keeps its single answer to question 8, with radio buttons.
    const v1 = await b.page(`/diagnostic/question/8?d=${token('1.organisme~caf')}`);
    assert.equal(v1.res.status, 200);
    assert.match(v1.html, /type="radio" name="r" id="r-caf" value="caf" checked/);
  });

  it('points a difficulty with reading to the illiteracy resource centre, not only to digital workshops', async () => {
    const d = encodeDiagnosticToken({ version: 1, answers: { courrier: 'difficile', organisme: 'caf' } });
    const { html } = await cookieBrowser(app).page(`/diagnostic/resultat?d=${d}&ou=Orléans`);
    assert.match(html, /href="\/recherche\?accueil=Illettrisme&amp;ou=Orl%C3%A9ans#resultats"/);
    assert.match(html, /Centre de ressources Lire, écrire, compter du Loiret/);
    assert.match(html, /Des lieux accompagnent les personnes pour qui lire ou écrire demande des efforts/);
    // The CAF procedure the person asked for comes first, then the reading offer, before the others.
    assert.ok(html.indexOf('besoin=caf') < html.indexOf('accueil=Illettrisme'));
  });

  it('asks which commune when several match, and says so when none does', async () => {
    const d = encodeDiagnosticToken({ version: 1, answers: { organisme: 'impots' } });
    const b = cookieBrowser(app);
    const unknown = await b.page(`/diagnostic/resultat?d=${d}&ou=Zzzyxville`);
    assert.equal(unknown.res.status, 200);
    assert.match(unknown.html, /Nous ne trouvons pas la commune « Zzzyxville »/);
    assert.match(unknown.html, /aria-invalid="true"/);
    const saint = await b.page(`/diagnostic/resultat?d=${d}&ou=Saint-Jean`);
    assert.match(saint.html, /Plusieurs communes correspondent à « Saint-Jean »/);
    const choice = decode(
      /href="(\/diagnostic\/resultat\?[^"]*commune=\d{5}[^"]*)"/.exec(saint.html)?.[1] ?? '',
    );
    assert.ok(choice);
    const chosen = await b.page(choice);
    assert.match(chosen.html, /href="\/recherche\?besoin=impots&amp;commune=\d{5}#resultats"/);
    assert.match(chosen.html, /<h4><a href="\/lieux\//);
    const long = await b.page(`/diagnostic/resultat?d=${d}&ou=${'x'.repeat(150)}`);
    assert.equal(long.res.status, 400);
    assert.match(long.html, /La commune est trop longue/);
  });

  it('speaks FALC with falc=1 or the display preference, through every page', async () => {
    const b = cookieBrowser(app);
    const start = await b.page('/diagnostic?falc=1');
    assert.match(start.html, /Trouver l’aide qu’il vous faut/);
    assert.match(start.html, /href="\/diagnostic\/question\/1\?d=Mg&amp;falc=1"/);
    const q1 = await b.page('/diagnostic/question/1?d=MQ&falc=1');
    assert.equal(h1(q1.html), "Voulez-vous qu'une personne vous lise les questions ?");
    assert.match(q1.html, /<input type="hidden" name="falc" value="1"\/>/);
    const res = await app.request('/diagnostic/question/12?d=MQ', { headers: { Cookie: 'prefs=falc' } });
    assert.equal(h1(await res.text()), "Lire une lettre d'un service public, c'est…");
    const d = encodeDiagnosticToken({ version: 1, answers: { courrier: 'difficile' } });
    const result = await b.page(`/diagnostic/resultat?d=${d}&falc=1`);
    assert.match(result.html, /Des lieux aident les personnes qui ont du mal à lire ou à écrire/);
    assert.match(result.html, /Avoir de l’aide pour lire et écrire/);
  });

  it('refuses a damaged token, an unknown version and an unknown question with a French page', async () => {
    const b = cookieBrowser(app);
    const damaged = await b.page('/diagnostic/question/1?d=%%%');
    assert.equal(damaged.res.status, 400);
    assert.match(damaged.html, /Le lien de ce diagnostic est abîmé ou incomplet/);
    const v9 = encodeDiagnosticToken({ version: 9, answers: {} });
    const unknown = await b.page(`/diagnostic/resultat?d=${v9}`);
    assert.equal(unknown.res.status, 404);
    assert.match(unknown.html, /Le questionnaire numéro 9 n’existe pas/);
    assert.equal((await b.page('/diagnostic/question/15?d=MQ')).res.status, 404);
    assert.equal((await b.page('/diagnostic/question/abc')).res.status, 404);
    const huge = await b.page(`/diagnostic/lieu?d=${'A'.repeat(6000)}`);
    assert.equal(huge.res.status, 400);
  });

  it('shows the professional notes to a signed-in member, with "Orienter vers ce lieu" links, and not to a funder', async () => {
    const d = encodeDiagnosticToken({ version: 1, answers: { courrier: 'difficile', organisme: 'caf' } });
    const staff = cookieBrowser(app);
    await staff.signIn('mediation.demo@example.org');
    const { html } = await staff.page(`/diagnostic/resultat?d=${d}&ou=Orléans`);
    assert.match(html, /Pour le professionnel/);
    assert.match(
      html,
      /Proposez d&#39;abord un lieu qui accueille les personnes en situation d&#39;illettrisme/,
    );
    const links = [...html.matchAll(/href="(\/orientations\/nouvelle\?[^"]+)"/g)].map((m) =>
      decode(m[1] as string),
    );
    assert.ok(links.length >= 3, `${links.length} orientation links`);
    const caf = links
      .map((l) => new URL(l, 'http://x').searchParams)
      .find((p) => p.getAll('besoin').includes('caf'));
    assert.ok(caf, 'a place for the CAF procedure');
    assert.match(caf.get('lieu') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(caf.get('diagnostic'), d);
    assert.match(
      html,
      /Orienter vers ce lieu<span class="visually-hidden"> : Centre de ressources Lire, écrire, compter du Loiret<\/span>/,
    );

    const funder = cookieBrowser(app);
    await funder.signIn('financeur.demo@example.org');
    const seen = await funder.page(`/diagnostic/resultat?d=${d}&ou=Orléans`);
    assert.doesNotMatch(seen.html, /Pour le professionnel|Orienter vers ce lieu/);
  });

  it('lets the coordinator download, upload (with errors naming their path) and activate versions, audited', async () => {
    const coordinator = cookieBrowser(app);
    await coordinator.signIn('coordination.demo@example.org');
    const list = await coordinator.page('/diagnostic/versions');
    assert.equal(list.res.status, 200);
    assert.match(list.html, /<strong>Active<\/strong>/);
    const download = await coordinator.request('/diagnostic/versions/2');
    assert.equal(download.status, 200);
    assert.match(download.headers.get('Content-Disposition') ?? '', /diagnostic-version-2\.json/);
    const original = await download.text();
    assert.equal(original, defaultQuestionnaireText());

    const post = async (document: string) => {
      const form = new FormData();
      form.append('_csrf', await coordinator.csrf('/diagnostic/versions'));
      form.append('document', document);
      return coordinator.request('/diagnostic/versions', { body: form });
    };
    const bad = JSON.parse(original);
    bad.version = 3;
    bad.questions[3].reponses[1].points = 'deux';
    bad.declencheurs[2].besoins = ['cafe'];
    let res = await post(JSON.stringify(bad));
    assert.equal(res.status, 422);
    let html = decode(await res.text());
    assert.match(html, /« questions\[3\]\.reponses\[1\]\.points » : doit être un nombre/);
    assert.match(html, /<textarea[^>]*aria-invalid="true"[^>]*>\{"\$schema"/);
    const scored = JSON.parse(original);
    scored.version = 3;
    scored.questions[7].reponses[0].points = 1;
    scored.questions[7].reponses[1].seule = 'oui';
    res = await post(JSON.stringify(scored));
    assert.equal(res.status, 422);
    html = decode(await res.text());
    assert.match(
      html,
      /« questions\[7\]\.reponses\[1\]\.seule » : doit valoir true ou false \(question « organisme »\)/,
    );
    scored.questions[7].reponses[1].seule = true;
    res = await post(JSON.stringify(scored));
    html = decode(await res.text());
    assert.match(
      html,
      /« questions\[7\] » : une question à plusieurs réponses ne donne pas de points : mettez 0 à chaque réponse \(question « organisme »\)/,
    );
    res = await post('{"version": 3,');
    html = decode(await res.text());
    assert.match(html, /« document » : n’est pas du JSON valide \(ligne 1/);
    res = await post(original);
    html = decode(await res.text());
    assert.match(html, /« version » : la version 2 existe déjà : donnez un numéro nouveau, par exemple 3/);

    // A valid version 3, with script in a text: stored as is, shown inert.
    const v3 = JSON.parse(original);
    v3.version = 3;
    v3.questions[0].intitule.courant = 'Question changée <script>alert(1)</script>';
    const file = new FormData();
    file.append('_csrf', await coordinator.csrf('/diagnostic/versions'));
    file.append('fichier', new File([JSON.stringify(v3, null, 2)], 'v3.json', { type: 'application/json' }));
    res = await coordinator.request('/diagnostic/versions', { body: file });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('Location'), '/diagnostic/versions?enregistree=3');
    assert.equal((await getActiveQuestionnaire(t.db, ANYBODY)).version, 2, 'not active before activation');

    const csrf = await coordinator.csrf('/diagnostic/versions');
    res = await coordinator.request('/diagnostic/versions/3/activer', { form: { _csrf: csrf } });
    assert.equal(res.status, 303);
    assert.equal((await getActiveQuestionnaire(t.db, ANYBODY)).version, 3);
    const start = await cookieBrowser(app).page('/diagnostic');
    const begin = decode(/href="(\/diagnostic\/question\/1\?[^"]+)"/.exec(start.html)?.[1] ?? '');
    assert.equal(decodeDiagnosticToken(new URL(begin, 'http://x').searchParams.get('d'))?.version, 3);
    const q1 = await cookieBrowser(app).page(begin);
    assert.match(q1.html, /Question changée &lt;script&gt;alert\(1\)&lt;\/script&gt;/);

    // A diagnostic started on version 1 is evaluated with version 1.
    const old = encodeDiagnosticToken({ version: 1, answers: { 'lecture-voix': 'oui' } });
    const result = await cookieBrowser(app).page(`/diagnostic/resultat?d=${old}`);
    assert.match(result.html, /Questionnaire version 1/);
    assert.match(result.html, /Vous préférez qu&#39;on vous lise les questions \?/);
    assert.equal((await evaluateDiagnostic(t.db, { version: 3, answers: {} })).version, 3);

    const uploads = await listAudit(t.db, { action: 'diagnostic.version_uploaded' });
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0]?.subjectId, '3');
    const activations = await listAudit(t.db, { action: 'diagnostic.version_activated' });
    assert.deepEqual(activations[0]?.details, { version: 3, previous: 2 });

    // Back to version 2: an activation like any other.
    res = await coordinator.request('/diagnostic/versions/2/activer', {
      form: { _csrf: await coordinator.csrf('/diagnostic/versions') },
    });
    assert.equal((await getActiveQuestionnaire(t.db, ANYBODY)).version, 2);
    assert.equal((await coordinator.request('/diagnostic/versions/99')).status, 404);
  });

  it('refuses the versions pages to members and funders, and anonymous visitors go to sign-in', async () => {
    const staff = cookieBrowser(app);
    await staff.signIn('admin.demo@example.org');
    assert.equal((await staff.request('/diagnostic/versions')).status, 403);
    assert.equal((await staff.request('/diagnostic/versions/1')).status, 403);
    const form = new FormData();
    form.append('_csrf', await staff.csrf('/diagnostic'));
    form.append('document', defaultQuestionnaireText());
    assert.equal((await staff.request('/diagnostic/versions', { body: form })).status, 403);
    const anonymous = await app.request('/diagnostic/versions');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('Location'), '/connexion');
  });

  it('never changes nor deletes a stored version (the table refuses it)', async () => {
    await assert.rejects(
      t.db.updateTable('diagnostic_version').set({ document: '{}' }).where('version', '=', 1).execute(),
      /never changes/,
    );
    await assert.rejects(
      t.db.deleteFrom('diagnostic_version').where('version', '=', 1).execute(),
      /never removed/,
    );
    await t.db
      .updateTable('diagnostic_version')
      .set({ activated_at: new Date() })
      .where('version', '=', 1)
      .execute();
  });

  it('serves the JSON Schema of the questionnaire', async () => {
    const res = await app.request('/diagnostic/questionnaire.schema.json');
    assert.equal(res.status, 200);
    const schema = (await res.json()) as { title?: string; $defs?: Record<string, unknown> };
    assert.equal(schema.title, 'Questionnaire du diagnostic des besoins (Maillage)');
    assert.ok(schema.$defs?.condition && schema.$defs.texte);
  });
});

describe('the shipped questionnaires on an installation that already had diagnostics', () => {
  const row = (version: number, document: string, activatedAt: Date | null) => ({
    version,
    document,
    sha256: createHash('sha256').update(document).digest('hex'),
    title: 'Diagnostic',
    question_count: 14,
    created_by: null,
    created_by_label: 'test',
    created_at: new Date('2026-01-01T10:00:00Z'),
    activated_at: activatedAt,
    activated_by: null,
  });
  const versions = async (t: TestDb) =>
    (
      await t.db.selectFrom('diagnostic_version').select(['version', 'document']).orderBy('version').execute()
    ).map((r) => r.version);

  it('loads version 2 and makes it active where version 1 was the active one, untouched', async () => {
    const t = await createTestDb();
    try {
      await t.db
        .insertInto('diagnostic_version')
        .values(row(1, shippedQuestionnaireText(1), new Date('2026-01-01')))
        .execute();
      await ensureDiagnosticVersion(t.db);
      assert.deepEqual(await versions(t), [1, 2]);
      assert.equal((await getActiveQuestionnaire(t.db, ANYBODY)).version, 2);
      const activations = await listAudit(t.db, { action: 'diagnostic.version_activated' });
      assert.deepEqual(activations[0]?.details, { version: 2, previous: 1 });
      // A diagnostic started on version 1 finishes on version 1.
      const old = encodeDiagnosticToken({ version: 1, answers: { organisme: 'caf', envie: 'emploi' } });
      const html = await (await testApp(t.db).request(`/diagnostic/resultat?d=${old}`)).text();
      assert.match(html, /Questionnaire version 1/);
      assert.ok(
        html.indexOf('besoin=cv') < html.indexOf('besoin=caf'),
        'its priority first, as in version 2',
      );
    } finally {
      await t.close();
    }
  });

  it('leaves version 1 active where a coordinator went back to it on purpose (after their own version 5)', async () => {
    const t = await createTestDb();
    try {
      const coordinator = randomUUID();
      await t.db
        .insertInto('diagnostic_version')
        .values([
          { ...row(1, shippedQuestionnaireText(1), new Date('2026-03-01')), activated_by: coordinator },
          {
            ...row(
              5,
              shippedQuestionnaireText(1).replace('"version": 1', '"version": 5'),
              new Date('2026-02-01'),
            ),
            created_by: coordinator,
            activated_by: coordinator,
          },
        ])
        .execute();
      await ensureDiagnosticVersion(t.db);
      assert.deepEqual(await versions(t), [1, 5], 'version 2 is not even loaded: nobody would use it');
      assert.equal((await getActiveQuestionnaire(t.db, ANYBODY)).version, 1);
    } finally {
      await t.close();
    }
  });

  it("leaves a coordinator's choice alone: their own version 2, or another version active", async () => {
    const own = await createTestDb();
    try {
      const document = shippedQuestionnaireText(1).replace('"version": 1', '"version": 2');
      await own.db
        .insertInto('diagnostic_version')
        .values([
          row(1, shippedQuestionnaireText(1), new Date('2026-01-01')),
          row(2, document, new Date('2026-02-01')),
        ])
        .execute();
      await ensureDiagnosticVersion(own.db);
      assert.deepEqual(await versions(own), [1, 2]);
      const two = await own.db
        .selectFrom('diagnostic_version')
        .select('document')
        .where('version', '=', 2)
        .executeTakeFirst();
      assert.equal(two?.document, document, 'their version 2 stays theirs');
    } finally {
      await own.close();
    }
    const other = await createTestDb();
    try {
      await other.db
        .insertInto('diagnostic_version')
        .values([
          row(1, shippedQuestionnaireText(1), null),
          row(3, shippedQuestionnaireText(1).replace('"version": 1', '"version": 3'), new Date('2026-02-01')),
        ])
        .execute();
      await ensureDiagnosticVersion(other.db);
      assert.deepEqual(await versions(other), [1, 3]);
      assert.equal((await getActiveQuestionnaire(other.db, ANYBODY)).version, 3);
    } finally {
      await other.close();
    }
  });
});

describe('the diagnostic over a real HTTP connection (node server, PGlite)', () => {
  let t: TestDb;
  let server: ReturnType<typeof serve>;
  let base = '';
  before(async () => {
    t = await createDemoTestDb();
    const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { redirect: 'manual' });
    return { res, html: await res.text() };
  };

  it('ticks several organisations with repeated "r", then shows places for each of them', async () => {
    const d = encodeDiagnosticToken({ version: 2, answers: {} });
    const sent = await get(`/diagnostic/repondre?d=${d}&n=8&r=caf&r=impots&r=papiers`);
    assert.equal(sent.res.status, 303);
    const location = sent.res.headers.get('Location') ?? '';
    assert.match(location, /^\/diagnostic\/question\/9\?d=/);
    const state = decodeDiagnosticToken(new URL(location, base).searchParams.get('d'));
    assert.deepEqual(state, { version: 2, answers: { organisme: ['caf', 'impots', 'papiers'] } });
    const result = await get(`/diagnostic/resultat?${new URL(location, base).searchParams}&ou=Saran`);
    assert.equal(result.res.status, 200);
    for (const label of [
      'Faire une démarche CAF',
      'Déclarer ses impôts en ligne',
      'Carte grise, permis, carte d’identité (ANTS)',
    ])
      assert.match(
        result.html,
        new RegExp(`<h3>Lieux pour « ${label.replace(/[()]/g, '\\$&')} »</h3><ul class="cards">`),
      );
  });

  it('answers bad input with a 4xx and a French page, never a 500', async () => {
    const d = encodeDiagnosticToken({ version: 2, answers: {} });
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const cases: [string, number, RegExp][] = [
      [`/diagnostic/repondre?d=${d}&n=2&r=aucun&r=smartphone`, 400, /n’accepte qu’une réponse/],
      [
        `/diagnostic/repondre?d=${d}&n=8&r=caf&r=${'z'.repeat(300)}`,
        400,
        /n’est pas une réponse de cette question/,
      ],
      [
        `/diagnostic/repondre?d=${d}&n=8&${Array.from({ length: 40 }, () => 'r=caf').join('&')}`,
        400,
        /40 réponses ont été envoyées/,
      ],
      [`/diagnostic/resultat?d=${b64('2.organisme~caf+velo')}`, 400, /question 8\. « velo »/],
      [`/diagnostic/resultat?d=${b64('77.organisme~caf')}`, 404, /Le questionnaire numéro 77 n’existe pas/],
      [`/diagnostic/question/8?d=${b64('2.organisme~caf+caf')}`, 400, /abîmé/],
      [`/diagnostic/resultat?d=${'A'.repeat(4000)}`, 400, /abîmé/],
    ];
    for (const [path, status, message] of cases) {
      const { res, html } = await get(path);
      assert.equal(res.status, status, path.slice(0, 120));
      assert.match(html, message, path.slice(0, 120));
      assert.match(res.headers.get('Content-Type') ?? '', /text\/html/);
    }
  });
});
