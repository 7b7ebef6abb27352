import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb, type createTestDb } from '../../test/support/test-db.ts';
import { listPlaceErrorReports } from '../places/error-reports.service.ts';
import { countAllPlaces } from '../places/places.service.ts';

after(closeTestTemplate);

type T = Awaited<ReturnType<typeof createTestDb>>;

describe('public search pages over HTTP (demonstration data)', () => {
  let t: T;
  let app: ReturnType<typeof testApp>;
  before(async () => {
    t = await createDemoTestDb();
    assert.ok((await countAllPlaces(t.db, { kind: 'system' })) >= 60);
    app = testApp(t.db, { EMBED_ORIGINS: 'https://www.mairie-saran.example.org' });
  });
  after(() => t.close());

  const get = async (path: string, init?: RequestInit) => {
    const res = await app.request(path, init);
    return { res, html: await res.text() };
  };
  /** A form page's CSRF token and the cookie it is bound to (http/csrf.ts). */
  const csrfOf = async (path: string) => {
    const res = await app.request(path);
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.ok(token && cookie, `no CSRF token on ${path}`);
    return { token, cookie, html, status: res.status };
  };
  const firstPlace = async () => {
    const { html } = await get('/recherche?ou=Saran');
    const id = /href="\/lieux\/([0-9a-f-]{36})"/.exec(html)?.[1];
    assert.ok(id);
    return id;
  };

  it('the home page asks "Où ?" first, then the needs as radio choices folded by group, in a GET form to /recherche#resultats', async () => {
    const { res, html } = await get('/');
    assert.equal(res.status, 200);
    assert.match(html, /De quoi avez-vous besoin \?/);
    assert.match(html, /<form method="get" action="\/recherche#resultats"/);
    assert.ok(html.indexOf('id="ou"') < html.indexOf('name="besoin"'), '"Où ?" comes before the needs');
    // Every group folds in a <details> (no script needed); only online procedures are open at first.
    assert.equal((html.match(/<details class="need-group"/g) ?? []).length, 5);
    assert.deepEqual(
      [...html.matchAll(/<details class="need-group" open="">\s*<summary>([^<]+)</g)].map((m) => m[1]),
      ['Démarches en ligne'],
    );
    assert.equal((html.match(/type="radio" name="besoin"/g) ?? []).length, 27);
    assert.match(html, /<label for="ou">Où \?<\/label>/);
    assert.match(html, /data-near-me=""[^>]*hidden/);
    assert.match(html, /<script src="\/static\/enhance\.[0-9a-f]{12}\.js" defer/);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /href="\/accessibilite"/);
  });

  it('lists 10 places nearest first, with distance, hours in words, phone by two, fees and help, and "Voir plus"', async () => {
    const { res, html } = await get('/recherche?besoin=caf&ou=Saran');
    assert.equal(res.status, 200);
    assert.match(html, /<h1 id="resultats" tabindex="-1">Faire une démarche CAF : lieux près de Saran<\/h1>/);
    assert.match(html, /<title>Résultats : Faire une démarche CAF : lieux près de Saran — Maillage<\/title>/);
    assert.equal((html.match(/<li class="card"/g) ?? []).length, 10);
    const distances = [...html.matchAll(/ · à ([\d,]+)\u00a0(m|km)</g)].map(
      (m) => Number((m[1] ?? '').replace(',', '.')) * (m[2] === 'km' ? 1000 : 1),
    );
    assert.equal(distances.length, 10);
    assert.deepEqual(
      [...distances].sort((a, b) => a - b),
      distances,
    );
    assert.match(html, /<strong class="(open|closed)">(Ouvert maintenant|Fermé [^<]+)<\/strong>/);
    assert.match(html, /href="tel:\+33\d{9}">0\d( \d\d){4}</);
    assert.match(html, /Prix : gratuit/);
    // What happens there, in the place page's sentences, not the schema's "Aide : en autonomie".
    assert.match(
      html,
      /<p>(On vous montre, vous faites vous-même\.|Une personne vous aide en tête-à-tête\.|Vous apprenez en petit groupe|On peut vous aider à distance)/,
    );
    assert.doesNotMatch(html, /Aide : |en autonomie/);
    assert.match(
      html,
      /href="\/recherche\?besoin=caf&amp;ou=Saran&amp;page=2#resultats">Voir plus de lieux</,
    );
    const page2 = await get('/recherche?besoin=caf&ou=Saran&page=2');
    assert.equal(page2.res.status, 200);
    assert.match(page2.html, /<ol class="cards results" start="11">/);
  });

  it('shows an itinerant service with its next stop', async () => {
    const { html } = await get('/recherche?ou=Ormes&page=1');
    assert.match(
      html,
      /(Prochain passage : (aujourd&#39;hui|demain|[a-z]+ \d{1,2} [a-zéû]+|[a-z]+) à \d{1,2}\u00a0h|Présent maintenant : )/,
    );
  });

  it('lists communes to choose from for an ambiguous or misspelt place, and says when none matches', async () => {
    const { res, html } = await get('/recherche?besoin=imprimer&ou=st%20jean%20de');
    assert.equal(res.status, 200);
    assert.match(html, /<h1>Quelle commune \?<\/h1>/);
    assert.match(
      html,
      /href="\/recherche\?besoin=imprimer&amp;commune=45\d{3}#resultats">Saint-Jean-de-Braye/,
    );
    const none = await get('/recherche?ou=Zzyzxville');
    assert.equal(none.res.status, 404);
    assert.match(none.html, /Nous ne trouvons pas de commune « Zzyzxville »/);
    const chosen = await get('/recherche?besoin=imprimer&commune=45284');
    assert.equal(chosen.res.status, 200);
    assert.match(chosen.html, /lieux près de Saint-Jean-de-Braye/);
  });

  it('asks "Vouliez-vous dire Saran ?" for "Sarran", the territory first, and each link keeps the need', async () => {
    const { res, html } = await get('/recherche?besoin=caf&ou=Sarran');
    assert.equal(res.status, 200);
    assert.match(html, /<h1>Vouliez-vous dire Saran \?<\/h1>/);
    assert.match(html, /<h2>Dans le territoire du réseau \(Orléans Métropole\)<\/h2>/);
    assert.match(html, /href="\/recherche\?besoin=caf&amp;commune=45302#resultats">Saran \(45770, Loiret\)</);
    // The real Sarran, in Corrèze, comes after, said to be outside the territory.
    assert.ok(html.indexOf('Saran (45770') < html.indexOf('Sarran (19800, Corrèze)'));
    assert.match(html, /<h2>Ailleurs en France<\/h2>\s*<p>Ces communes sont hors du territoire du réseau/);
    assert.match(html, /href="tel:0261910000"/);
    const chosen = await get('/recherche?besoin=caf&commune=45302');
    assert.equal(chosen.res.status, 200);
    assert.match(chosen.html, /Faire une démarche CAF : lieux près de Saran/);
    const chessy = await get('/recherche?ou=Chessy');
    assert.match(chessy.html, /<h1>Vouliez-vous dire Chécy \?<\/h1>/);
    const marseile = await get('/recherche?ou=Marseile&falc=1');
    assert.match(marseile.html, /<h1>Vouliez-vous dire Marseille \?<\/h1>/);
    assert.match(marseile.html, /Ces villes ont un nom proche de «\sMarseile\s»/);
  });

  it('says plainly that a commune is outside the territory, with the network phone, never "Recherche impossible"', async () => {
    for (const path of ['/recherche?besoin=caf&ou=Marseille', '/recherche?commune=19251']) {
      const { res, html } = await get(path);
      assert.equal(res.status, 200, path);
      assert.match(html, /<h1>(Marseille|Sarran) est hors du territoire du réseau<\/h1>/, path);
      assert.match(
        html,
        /<title>(Marseille|Sarran) est hors du territoire du réseau — Maillage<\/title>/,
        path,
      );
      assert.match(html, /Ce site montre les lieux d&#39;aide de ce territoire : Orléans Métropole\./, path);
      assert.match(
        html,
        /Appelez le réseau au <a href="tel:0261910000"><strong>02 61 91 00 00<\/strong><\/a>/,
      );
      assert.doesNotMatch(html, /Recherche impossible/);
      assert.match(html, /<h2>Chercher une autre commune<\/h2>/);
    }
    const falc = await get('/recherche?ou=Marseille&falc=1');
    assert.match(falc.html, /<h1>Marseille est loin de nos lieux<\/h1>/);
  });

  it('offers the choice of the communes that share a postcode', async () => {
    const { res, html } = await get('/recherche?besoin=wifi&ou=45140');
    assert.equal(res.status, 200);
    assert.match(html, /<h1>Quelle commune \?<\/h1>/);
    for (const code of ['45169', '45235', '45285'])
      assert.match(html, new RegExp(`href="/recherche\\?besoin=wifi&amp;commune=${code}#resultats"`));
  });

  it('keeps odd text in "Où ?" inert: a page with the form, 4xx at worst, never a 500', async () => {
    const texts = [
      '   ',
      '<img src=x onerror=alert(1)>',
      "' OR 1=1 --",
      '☃☃☃',
      '%',
      '\u0000',
      '-',
      'é'.repeat(200),
    ];
    for (const text of texts) {
      const { res, html } = await get(`/recherche?ou=${encodeURIComponent(text)}`);
      assert.ok(res.status < 500, `${JSON.stringify(text.slice(0, 20))} answered ${res.status}`);
      assert.doesNotMatch(html, /<img src=x/);
    }
  });

  it('links the display preferences from the top of every page, before the menu', async () => {
    for (const path of ['/', '/recherche?ou=Saran', '/lieux', '/accessibilite', '/connexion']) {
      const { html } = await get(path);
      const link = html.indexOf(
        '<a class="prefs-link" href="/preferences">Affichage<span class="visually-hidden">',
      );
      assert.ok(link > 0 && link < html.indexOf('<main'), `${path} has no preferences link in its header`);
    }
  });

  it('answers bad inputs with a French 400 and an error summary linked to the field, never a 500', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/recherche?ou=45A00', 400, /Le code postal doit avoir 5 chiffres, par exemple 45000\./],
      ['/recherche?lat=95&lon=1.9', 400, /La latitude doit être un nombre entre -90 et 90/],
      ['/recherche?ou=Saran&couleur=bleu', 400, /Le paramètre « couleur » n&#39;existe pas/],
      ['/recherche?ou=Saran&ou=Orléans', 400, /donné plusieurs fois/],
      ['/recherche?besoin=licorne', 400, /Le besoin « licorne » n&#39;existe pas/],
      ['/recherche?ou=Saran&public=Martiens', 400, /Valeur inconnue/],
      [`/recherche?ou=${'a'.repeat(10_000)}`, 400, /trop long/],
      [`/recherche?${'x'.repeat(10_000)}=1`, 400, /n&#39;existe pas/],
      ['/recherche?commune=99999', 404, /Aucune commune n&#39;a le code 99999/],
      ['/recherche/filtres?ouvert=peut-etre', 400, /attend oui ou non/],
    ];
    for (const [path, status, message] of cases) {
      const { res, html } = await get(path);
      assert.equal(res.status, status, path.slice(0, 80));
      assert.match(html, message, path.slice(0, 80));
      assert.match(
        html,
        /class="error-summary" role="alert"|<h1>Commune introuvable<\/h1>|<h1>Recherche impossible<\/h1>/,
      );
      assert.match(html, /<a href="#(ou|besoin)">/, path.slice(0, 80));
      assert.ok(html.length < 40_000, `${path.slice(0, 40)} echoes too much`);
    }
  });

  it('escapes what people type', async () => {
    const { html } = await get(`/recherche?ou=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('keeps the nearest places and the network phone when nothing matches', async () => {
    const { res, html } = await get(
      '/recherche?besoin=pix&ou=Saran&public=Femmes&accueil=Surdit%C3%A9&ouvert=oui',
    );
    assert.equal(res.status, 200);
    assert.match(html, /<h1 id="resultats" tabindex="-1">Aucun lieu ne correspond<\/h1>/);
    assert.match(html, /Appelez le réseau au <a href="tel:0261910000"><strong>02 61 91 00 00<\/strong><\/a>/);
    assert.match(html, /Les lieux les plus proches, quand même/);
    assert.ok((html.match(/<li class="card"/g) ?? []).length >= 1);
  });

  it('shows the filters on a separate page pre-filled with the search', async () => {
    const { res, html } = await get('/recherche/filtres?besoin=caf&ou=Saran&gratuit=oui&public=Seniors');
    assert.equal(res.status, 200);
    assert.match(html, /<option value="caf" selected="">/);
    assert.match(html, /name="ou"[^>]*value="Saran"|value="Saran"[^>]*name="ou"/);
    assert.match(html, /name="gratuit" value="oui" id="gratuit" checked=""/);
    assert.match(html, /name="public" value="Seniors" id="public-3" checked=""/);
    const filtered = await get('/recherche?besoin=caf&ou=Saran&gratuit=oui');
    assert.match(filtered.html, /Filtres choisis : gratuit\./);
  });

  it('draws the results on an SVG map with numbered markers, the origin, the communes, a scale and the north, above the list', async () => {
    const { res, html } = await get('/recherche?besoin=caf&ou=Saran&vue=carte');
    assert.equal(res.status, 200);
    assert.match(html, /<svg viewBox="0 0 600 400" role="img" aria-labelledby="plan-titre plan-desc"/);
    assert.match(
      html,
      /<desc id="plan-desc">Carte des 10 lieux de la liste[^<]*Communes dessinées : [^<]*Saran/,
    );
    // The demonstration's outlines, one path, and the names where they fit (Saran's at least).
    assert.equal((html.match(/<g class="communes"><path d="M/g) ?? []).length, 1);
    assert.match(html, /<text x="\d+" y="\d+">Saran<\/text>/);
    assert.match(html, />N<\/text>/);
    assert.match(html, /Contours : IGN Admin Express, Licence Ouverte 2\.0/);
    for (let n = 1; n <= 10; n++) assert.match(html, new RegExp(`fill="#ffffff">${n}</text>`));
    assert.match(html, />Départ</);
    assert.match(html, /<text[^>]*>\d+ k?m<\/text>/);
    assert.equal((html.match(/<li class="card"/g) ?? []).length, 10);
    assert.match(html, /Voir la liste sans la carte/);
    assert.doesNotMatch(html, /leaflet/i);
  });

  it("shows a place's sheet: open now, week in words, OSM link, sms link, what to bring, QR code to PUBLIC_URL", async () => {
    const id = await firstPlace();
    const { res, html } = await get(`/lieux/${id}`);
    assert.equal(res.status, 200);
    assert.match(html, /<h2>Horaires<\/h2>/);
    assert.match(html, /<th scope="row">(lundi|lundi et mardi|du lundi au [a-z]+)<\/th>/);
    assert.match(html, /<a href="geo:[\d.-]+,[\d.-]+">/);
    assert.match(
      html,
      /https:\/\/www\.openstreetmap\.org\/\?mlat=[\d.]+&amp;mlon=[\d.]+#map=17\/[\d.]+\/[\d.]+/,
    );
    assert.match(html, /href="sms:\?&amp;body=[^"]+"/);
    assert.match(html, /Ce que vous devez apporter/);
    assert.match(html, /pièce d&#39;identité/);
    assert.match(
      html,
      /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="qr"[^>]*aria-label="Code QR vers la fiche en ligne : http:\/\/127\.0\.0\.1:3000\/lieux\//,
    );
    assert.match(html, new RegExp(`href="/lieux/${id}/signaler"`));
    assert.match(html, /Informations vérifiées le/);
  });

  it('says a place sheet in plain words: the kind, how to come, what happens, no route planner by default', async () => {
    const { html: list } = await get('/recherche?ou=Saran');
    const ccas = /href="\/lieux\/([0-9a-f-]{36})">CCAS de Saran</.exec(list)?.[1];
    assert.ok(ccas, 'the demo CCAS de Saran is listed');
    const { html } = await get(`/lieux/${ccas}`);
    assert.match(html, /<p class="meta">CCAS<\/p>/);
    assert.doesNotMatch(html, /Centres? communa(l|ux)/);
    assert.match(html, /<p>Appelez avant de venir\.<\/p>/);
    assert.doesNotMatch(html, /Pour venir : |Aide : /);
    assert.match(html, /<p>Une personne vous aide en tête-à-tête\.<\/p>/);
    assert.match(
      html,
      /<th scope="row">du lundi au vendredi<\/th><td>8\u00a0h\u00a030\u00a0–\u00a012\u00a0h et 13\u00a0h\u00a030\u00a0–\u00a017\u00a0h<\/td>/,
    );
    assert.doesNotMatch(html, /Accès libre/, 'no Accès libre sheet in the data: no link');
    assert.match(html, /<a href="geo:47\.95106,1\.87704">/);
    assert.doesNotMatch(html, /itinéraire/);
    // A map of the place in its commune (the demo's outlines), said in words: its address and commune.
    assert.match(html, /<svg [^>]*role="img" aria-labelledby="lieu-plan-titre lieu-plan-desc"/);
    assert.match(
      html,
      /<desc id="lieu-plan-desc">CCAS de Saran se trouve à l’adresse [^<]+, 45770 Saran\. Le plan montre le lieu dans sa commune, Saran, et les communes autour\.<\/desc>/,
    );
    assert.match(html, /<g class="communes"><path d="M/);
    assert.match(html, /<text x="\d+" y="\d+">Saran<\/text>/);
    assert.match(html, /<text x="\d+" y="\d+">Ingré<\/text>/, 'a neighbour is named');
    assert.match(html, /IGN Admin Express, Licence Ouverte 2\.0/);
    const falc = await get(`/lieux/${ccas}`, { headers: { Cookie: 'prefs=falc' } });
    assert.match(falc.html, /<p class="meta">Service social de la mairie<\/p>/);
    assert.match(falc.html, /<p>Une personne vous aide\. Elle est seule avec vous\.<\/p>/);
  });

  it('links a route planner only when ROUTE_PLANNER_URL is set, with the same Content-Security-Policy', async () => {
    const withPlanner = testApp(t.db, {
      ROUTE_PLANNER_URL: 'https://itineraire.example.org/?to={lat},{lon}',
    });
    const id = await firstPlace();
    const planned = await withPlanner.request(`/lieux/${id}`);
    const html = await planned.text();
    assert.match(
      html,
      /<a href="https:\/\/itineraire\.example\.org\/\?to=4\d\.\d+,[12]\.\d+">Calculer l’itinéraire jusqu’à /,
    );
    const plain = await app.request(`/lieux/${id}`);
    assert.doesNotMatch(await plain.text(), /itineraire\.example\.org/);
    assert.ok(planned.headers.get('content-security-policy'));
    assert.equal(
      planned.headers.get('content-security-policy'),
      plain.headers.get('content-security-policy'),
    );
  });

  it('stores an error report without an account, and explains what is missing', async () => {
    const id = await firstPlace();
    const form = await csrfOf(`/lieux/${id}/signaler`);
    assert.equal(form.status, 200);
    assert.match(form.html, /<textarea id="message" name="message"/);
    const post = (body: Record<string, string>, path = `/lieux/${id}/signaler`) =>
      app.request(path, {
        method: 'POST',
        headers: { Cookie: form.cookie },
        body: new URLSearchParams({ _csrf: form.token, ...body }),
      });
    const forged = await app.request(`/lieux/${id}/signaler`, {
      method: 'POST',
      body: new URLSearchParams({ message: 'x' }),
    });
    assert.equal(forged.status, 403);
    const empty = await post({ message: '  ', contact: '' });
    assert.equal(empty.status, 400);
    const emptyHtml = await empty.text();
    assert.match(emptyHtml, /<a href="#message">Décrivez l&#39;erreur en quelques mots\.<\/a>/);
    const long = await post({ message: 'x'.repeat(2001), contact: 'y'.repeat(201) });
    assert.equal(long.status, 400);
    assert.match(await long.text(), /trop long/);
    const ok = await post({ message: 'Fermé le lundi désormais.', contact: '' });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /Merci pour votre signalement/);
    const queue = await listPlaceErrorReports(t.db);
    assert.equal(queue.length, 1);
    assert.equal(queue[0]?.message, 'Fermé le lundi désormais.');
    assert.equal(queue[0]?.contact, null);
    assert.equal(queue[0]?.status, 'new');
    const missing = await post({ message: 'x' }, '/lieux/00000000-0000-0000-0000-000000000000/signaler');
    assert.equal(missing.status, 404);
  });

  it('limits anonymous error reports: 5 an hour from one address, 30 a day for one place', async () => {
    const own = await createDemoTestDb();
    try {
      const limited = testApp(own.db, { LIMIT_ERROR_REPORTS_PER_PLACE_PER_DAY: '8' });
      const html = await (await limited.request('/recherche?ou=Saran')).text();
      const id = /href="\/lieux\/([0-9a-f-]{36})"/.exec(html)?.[1];
      assert.ok(id);
      const report = (address: string, i: number) =>
        cookieBrowser(limited, { address }).post(`/lieux/${id}/signaler`, `/lieux/${id}/signaler`, {
          message: `Erreur numéro ${i}`,
          contact: '',
        });
      for (let i = 0; i < 5; i++) assert.equal((await report('192.0.2.10', i)).status, 200);
      const sixth = await report('192.0.2.10', 6);
      assert.equal(sixth.status, 429);
      assert.match(await sixth.text(), /attendez une heure/);
      // Another address may still report, until the place has had its 8 of the day.
      for (let i = 0; i < 3; i++) assert.equal((await report('2001:db8:1:2::1', i)).status, 200);
      const ninth = await report('2001:db8:1:2::2', 9);
      assert.equal(ninth.status, 429);
      assert.match(await ninth.text(), /déjà reçu beaucoup de signalements/);
      assert.equal((await listPlaceErrorReports(own.db)).length, 8);
    } finally {
      await own.close();
    }
  });

  it('links the open-data page from the footer, the spreadsheet and byte-exact national CSVs staying at their address', async () => {
    const { html } = await get('/');
    assert.match(html, /href="\/donnees"/);
    const { html: openData } = await get('/donnees');
    assert.match(openData, /href="\/donnees\/lieux-tableur\.csv"/);
    assert.match(openData, /href="\/donnees\/lieux\.csv"/);
    const excel = await app.request('/api/v1/lieux/export?format=csv-excel');
    assert.ok(
      new Uint8Array(await excel.arrayBuffer()).slice(0, 3).every((b, i) => b === [0xef, 0xbb, 0xbf][i]),
    );
    const national = await (await app.request('/api/v1/lieux/export?format=csv')).text();
    assert.match(national, /^id,/);
  });

  it('keeps display preferences in a cookie and applies them (classes on <html>, FALC wording)', async () => {
    const form = await csrfOf('/preferences');
    const saved = await app.request('/preferences', {
      method: 'POST',
      headers: { Cookie: form.cookie },
      body: new URLSearchParams({ _csrf: form.token, grand: '1', contraste: '1', falc: '1' }),
    });
    assert.equal(saved.status, 303);
    const cookie = saved.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^prefs=grand-contraste-falc; Path=\/; Max-Age=\d+; SameSite=Lax; HttpOnly/);
    const { html } = await get('/recherche?besoin=caf&ou=Saran', {
      headers: { Cookie: 'prefs=grand-contraste-falc' },
    });
    assert.match(html, /<html lang="fr" class="p-grand p-contraste">/);
    assert.match(html, /Faire un papier pour la CAF : les lieux près de Saran/);
    assert.match(html, /à [\d,]+\u00a0(mètres|kilomètres)/);
    const falcParam = await get('/recherche?besoin=caf&ou=Saran&falc=1');
    assert.match(falcParam.html, /<strong class="(open|closed)">(Ouvert en ce moment|Fermé [^<]+)<\/strong>/);
    assert.match(
      falcParam.html,
      /<p>(Une personne vous montre\. Puis vous faites seul\.|Une personne vous aide\. Elle est seule avec vous\.|Vous apprenez avec d’autres personnes|Une personne peut vous aider par téléphone)/,
    );
    assert.doesNotMatch(falcParam.html, /Comment on vous aide :/);
    const page = await get('/preferences', { headers: { Cookie: 'prefs=grand' } });
    assert.match(page.html, /id="pref-grand" checked=""/);
  });

  it('publishes the accessibility statement, linked from every page', async () => {
    const { res, html } = await get('/accessibilite');
    assert.equal(res.status, 200);
    assert.match(html, /partiellement conforme/);
    assert.match(html, /Ce qui n’est pas encore accessible/);
    assert.match(html, /href="tel:0261910000"/);
    for (const path of ['/', '/lieux', '/recherche?ou=Saran'])
      assert.match((await get(path)).html, /href="\/accessibilite"/);
  });

  it('lets only the configured partners frame /embed, and nobody frame other pages', async () => {
    const embed = await get('/embed?besoin=caf&ou=Saran');
    assert.equal(embed.res.status, 200);
    assert.match(
      embed.res.headers.get('content-security-policy') ?? '',
      /frame-ancestors https:\/\/www\.mairie-saran\.example\.org$/,
    );
    assert.equal(embed.res.headers.get('x-frame-options'), null);
    assert.match(embed.html, /<body class="embed">/);
    assert.doesNotMatch(embed.html, /Menu principal/);
    assert.match(embed.html, /target="_top"/);
    const home = await get('/embed');
    assert.match(home.html, /action="\/embed#resultats"/);
    const other = await get('/recherche?ou=Saran');
    assert.match(other.res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(other.res.headers.get('x-frame-options'), 'DENY');
    const closed = testApp(t.db);
    const none = await closed.request('/embed');
    assert.match(none.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });

  it('keeps a results page light: under 12 KB compressed and 400 elements', async () => {
    const res = await app.request('/recherche?besoin=caf&ou=Saran', {
      headers: { 'Accept-Encoding': 'br, gzip' },
    });
    assert.equal(res.headers.get('content-encoding'), 'br');
    const bytes = (await res.arrayBuffer()).byteLength;
    assert.ok(bytes < 12_000, `${bytes} bytes`);
    const { html } = await get('/recherche?besoin=caf&ou=Saran');
    const elements = (html.match(/<[a-z][a-z0-9]*[\s>]/g) ?? []).length;
    assert.ok(elements <= 400, `${elements} elements`);
    const script = /src="(\/static\/enhance\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    assert.ok(script);
    const js = await app.request(script, { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(js.headers.get('content-encoding'), 'br');
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  });
});
