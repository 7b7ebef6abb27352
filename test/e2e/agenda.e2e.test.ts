import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  insertOccurrences,
  insertRegistration,
  insertWorkshop,
} from '../../src/workshops/workshops.repository.ts';
import { parisInstant } from '../../src/workshops/workshops.ts';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { measurePage } from './support/page-budget.ts';
import { signIn } from './support/session.ts';

/**
 * A resident finds a workshop near Saran and registers, with the keyboard only, on a phone (390 × 844)
 * and a desktop (1280 × 900): "Où ?" Saran, the workshop of the Médiathèque de Saran, the form sent
 * without a contact (refused, the summary has the focus), then with an address: "Vous êtes inscrit",
 * the cancellation link shown. The facilitator takes attendance, prints the sheet and records the
 * workshop in the activities from the date's page. Axe on every page, no sideways scrolling, the page
 * guard (CSP, console and page errors); the agenda and a workshop's page within the public budget. The
 * test's workshops are written before the server starts, beside the demonstration's month of workshops.
 * SCREENSHOTS=<folder> keeps them.
 */
const Y = new Date().getUTCFullYear() + 1;

describe('the agenda, in a browser', () => {
  let workshopId = '';
  const suite = demoBrowserSuite('agenda', async (db) => {
    const saran = await db
      .selectFrom('place')
      .select(['id', 'nom', 'code_insee', 'structure_id'])
      .where('nom', '=', 'Médiathèque de Saran')
      .executeTakeFirstOrThrow();
    const structure =
      saran.structure_id ??
      (await db.selectFrom('structure').select('id').orderBy('nom').executeTakeFirstOrThrow()).id;
    const now = new Date();
    const add = async (title: string, needs: string[], dates: [string, string][], capacity: number) => {
      const w = await insertWorkshop(db, {
        structure_id: structure,
        title,
        description:
          'Allumer son téléphone, appeler, envoyer un message et une photo.\n\nApportez votre téléphone.',
        needs,
        themes: [],
        level: 'debutant',
        mode: 'place',
        place_id: saran.id,
        place_name: saran.nom,
        commune_code: saran.code_insee,
        online_url: null,
        audience: 'Adultes',
        accessibility: 'Accès de plain-pied',
        capacity,
        created_at: now,
        updated_at: now,
      });
      await insertOccurrences(
        db,
        dates.map(([s, e]) => ({
          workshop_id: w.id,
          starts_at: parisInstant(s) as Date,
          ends_at: parisInstant(e) as Date,
          created_at: now,
          updated_at: now,
        })),
      );
      return w.id;
    };
    workshopId = await add(
      'Premiers pas sur le smartphone',
      ['smartphone'],
      [
        [`${Y}-01-12T14:00`, `${Y}-01-12T16:00`],
        [`${Y}-07-06T09:30`, `${Y}-07-06T11:00`],
      ],
      8,
    );
    await add('Écrire son CV', ['cv'], [[`${Y}-02-02T10:00`, `${Y}-02-02T12:00`]], 6);
    // The facilitator's workshop of today (an hour, just over), with two people registered.
    const mine = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'mediation.demo@example.org')
      .executeTakeFirstOrThrow();
    const today = await insertWorkshop(db, {
      structure_id: mine.structure_id,
      title: 'Atelier tablette',
      needs: ['smartphone'],
      themes: [],
      level: null,
      mode: 'online',
      place_id: null,
      place_name: null,
      commune_code: null,
      online_url: 'https://visio.example.org/tablette',
      capacity: 6,
      created_at: now,
      updated_at: now,
    });
    const [date] = await insertOccurrences(db, [
      {
        workshop_id: today.id,
        starts_at: new Date(now.getTime() - 3_600_000),
        ends_at: now,
        created_at: now,
        updated_at: now,
      },
    ]);
    // A coming workshop of the facilitator's structure, listed after today's (created earlier): changed,
    // moved and given more dates by its staff.
    const earlier = new Date(now.getTime() - 60_000);
    const coming = await insertWorkshop(db, {
      structure_id: mine.structure_id,
      title: 'Atelier courriel',
      needs: ['adresse-mail'],
      themes: [],
      level: null,
      mode: 'online',
      place_id: null,
      place_name: null,
      commune_code: null,
      online_url: 'https://visio.example.org/courriel',
      capacity: 6,
      created_at: earlier,
      updated_at: earlier,
    });
    const [comingDate] = await insertOccurrences(db, [
      {
        workshop_id: coming.id,
        starts_at: parisInstant(`${Y}-05-04T10:00`) as Date,
        ends_at: parisInstant(`${Y}-05-04T12:00`) as Date,
        created_at: earlier,
        updated_at: earlier,
      },
    ]);
    await insertRegistration(db, {
      occurrence_id: comingDate?.id as string,
      first_name: 'Inès',
      phone: null,
      email: 'ines@example.org',
      created_at: now,
      updated_at: now,
    });
    for (const [first, email] of [
      ['Nadia', 'nadia@example.org'],
      ['Paul', null],
    ] as const)
      await insertRegistration(db, {
        occurrence_id: date?.id as string,
        first_name: first,
        phone: null,
        email,
        by_mediator: email === null,
        created_at: now,
        updated_at: now,
      });
  });
  const openPage = suite.openPage;

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 900 },
  ]) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;
    it(`a resident finds a workshop near Saran and registers, keyboard only, ${size}`, async () => {
      const page = await openPage(viewport);
      await page.goto('/agenda');
      await check(page, `the agenda ${size}`, viewport.width);
      await shot(page, `${tag}-1-agenda`);
      const kb = keyboardOnly(page);
      await kb.tabTo((f) => f.id === 'ou', 80);
      await kb.type('Saran');
      await kb.tabTo('Chercher', 5);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Ateliers près de Saran/);
      assert.match((await page.textContent('main')) ?? '', /Premiers pas sur le smartphone/);
      await check(page, `the agenda near Saran ${size}`, viewport.width);
      await shot(page, `${tag}-2-pres-de-saran`);

      await kb.tabTo('Premiers pas sur le smartphone', 80);
      await Promise.all([page.waitForURL(`**/agenda/ateliers/${workshopId}`), kb.press('Enter')]);
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /Médiathèque de Saran/);
      assert.match(main, /8 places libres/);
      assert.match(main, /Gratuit/);
      await check(page, `the workshop ${size}`, viewport.width);
      await shot(page, `${tag}-3-atelier`);

      // The first date, a first name, no contact: refused, the summary has the focus.
      await kb.tabTo((f) => f.id.startsWith('date-'), 80);
      await kb.press('Space');
      await kb.tabTo((f) => f.id === 'prenom', 10);
      await kb.type('Nadia');
      await kb.tabTo('M’inscrire', 10);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      await page.waitForSelector('.error-summary');
      assert.match(
        (await page.textContent('.error-summary')) ?? '',
        /Donnez un numéro de téléphone ou une adresse/,
      );
      assert.ok((await kb.focused()).text.startsWith('Il y a un problème'), 'the summary has the focus');
      await check(page, `the refusal ${size}`, viewport.width);
      await shot(page, `${tag}-4-refus`);

      await kb.tabTo((f) => f.id === 'courriel', 40);
      await kb.type(`nadia.${tag}@example.org`);
      await kb.tabTo('M’inscrire', 10);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Vous êtes inscrit/);
      assert.match((await page.textContent('main')) ?? '', /\/agenda\/annulation\/[A-Za-z0-9_-]{32}/);
      await check(page, `registered ${size}`, viewport.width);
      await shot(page, `${tag}-5-inscrit`);
    });
  }

  it('the facilitator takes attendance on a phone, opens the attendance sheet and records the workshop in the activities, keyboard only', async () => {
    const viewport = { width: 390, height: 844 };
    const page = await openPage(viewport);
    await signIn(page, 'mediation.demo@example.org');
    await page.goto('/agenda/gestion');
    await check(page, 'the structure’s workshops', viewport.width);
    await shot(page, 'gestion-1-ateliers');
    const kb = keyboardOnly(page);
    await kb.tabTo(/ : .*en attente$|aujourd|\d{4} à/, 120);
    await Promise.all([page.waitForURL('**/agenda/gestion/dates/*'), kb.press('Enter')]);
    assert.match((await page.textContent('h1')) ?? '', /Atelier tablette/);
    await check(page, 'a date’s people', viewport.width);
    await shot(page, 'gestion-2-presences');
    await kb.tabTo((f) => f.id.startsWith('presence-') && f.id.endsWith('-present'), 80);
    await kb.press('Space');
    await kb.tabTo('Enregistrer les présences', 20);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    assert.match((await page.textContent('main')) ?? '', /Les présences sont enregistrées/);
    await check(page, 'attendance saved', viewport.width);
    await shot(page, 'gestion-2b-presences-prises');
    const datePage = page.url();
    await kb.tabTo('Feuille d’émargement à imprimer', 80);
    await Promise.all([page.waitForURL('**/emargement'), kb.press('Enter')]);
    assert.equal(
      await page.locator('table.attendance-sheet tbody tr').count(),
      6,
      'two people, four blank lines',
    );
    await check(page, 'the attendance sheet', viewport.width);
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'gestion-3-emargement-impression');
    await page.emulateMedia({ media: null });

    // The date is over and attendance taken: the facilitator records it in the activities, the form
    // filled from the workshop (its day, length, online, theme, the one person present).
    await page.goto(datePage);
    await kb.tabTo('Enregistrer l’atelier dans les activités', 80);
    await Promise.all([page.waitForURL('**/activites/nouveau?type=collectif*'), kb.press('Enter')]);
    assert.match((await page.textContent('main')) ?? '', /Atelier de l’agenda du .* 1 présent sont repris/);
    assert.equal(await page.inputValue('#workshopTitle'), 'Atelier tablette');
    assert.equal(await page.inputValue('#participantsTotal'), '1');
    assert.ok(await page.isChecked('input[name="lieu"][value="a_distance"]'));
    assert.ok(await page.isChecked('#theme-prendre_en_main_du_materiel'));
    await check(page, 'the workshop’s record, filled', viewport.width);
    await shot(page, 'gestion-5-activite-preremplie');
    await kb.tabTo('Enregistrer l’atelier', 200);
    await Promise.all([page.waitForURL('**/activites?*'), kb.press('Enter')]);
    await page.goto(datePage);
    assert.match((await page.textContent('main')) ?? '', /Voir l’atelier enregistré dans les activités/);
    await check(page, 'the date, recorded', viewport.width);
    await shot(page, 'gestion-6-date-enregistree');
    await page.setViewportSize({ width: 1280, height: 900 });
    await check(page, 'the date, recorded, desktop', 1280);
    await shot(page, 'gestion-6-date-enregistree-1280');
    await page.setViewportSize(viewport);

    await page.goto('/agenda/gestion/nouveau');
    await check(page, 'the new workshop form', viewport.width);
    await shot(page, 'gestion-4-nouvel-atelier');
  });

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 900 },
  ]) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;
    it(`the staff change a workshop, add dates and move a date, keyboard only, ${size}`, async () => {
      const page = await openPage(viewport);
      await signIn(page, 'mediation.demo@example.org');
      await page.goto('/agenda/gestion');
      const kb = keyboardOnly(page);
      await kb.tabTo('Modifier « Atelier courriel »', 120);
      await Promise.all([page.waitForURL('**/modifier'), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Modifier l’atelier/);
      await check(page, `the edit form ${size}`, viewport.width);
      await shot(page, `${tag}-modifier-1-formulaire`);
      // Capacity 0: refused, the summary has the focus; then 8 places, saved.
      await kb.tabTo((f) => f.id === 'capacity', 40);
      await kb.press('ControlOrMeta+A');
      await kb.type('0');
      await kb.tabTo('Enregistrer les changements', 10);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      assert.match((await page.textContent('.error-summary')) ?? '', /Il faut au moins 1 place/);
      assert.ok((await kb.focused()).text.startsWith('Il y a un problème'), 'the summary has the focus');
      await check(page, `the edit refusal ${size}`, viewport.width);
      await shot(page, `${tag}-modifier-2-refus`);
      await kb.tabTo((f) => f.id === 'capacity', 60);
      await kb.press('ControlOrMeta+A');
      await kb.type('8');
      await kb.tabTo('Enregistrer les changements', 10);
      await Promise.all([page.waitForURL('**/agenda/gestion?fait=*'), kb.press('Enter')]);
      assert.match((await page.textContent('main')) ?? '', /Les changements sont enregistrés/);

      await kb.tabTo('Ajouter des dates à « Atelier courriel »', 120);
      await Promise.all([page.waitForURL('**/dates'), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Ajouter des dates/);
      await check(page, `the add-dates form ${size}`, viewport.width);
      await shot(page, `${tag}-modifier-3-ajouter-dates`);

      await page.goto('/agenda/gestion');
      await kb.tabTo(/^[a-z]+ \d+ mai \d{4} à 10 h 00/, 120);
      await Promise.all([page.waitForURL('**/agenda/gestion/dates/*'), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Atelier courriel/);
      assert.match((await page.textContent('main')) ?? '', /Liste des participants \(tableur CSV\)/);
      await kb.tabTo('Déplacer cette date', 40);
      await Promise.all([page.waitForURL('**/deplacer'), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Déplacer une date/);
      await check(page, `the move form ${size}`, viewport.width);
      await shot(page, `${tag}-modifier-4-deplacer`);
      // The times as they are, sent: the date keeps them, the person is told of the change.
      await kb.tabTo('Déplacer la date', 20);
      await Promise.all([page.waitForURL('**?fait=deplacee'), kb.press('Enter')]);
      assert.match((await page.textContent('main')) ?? '', /La date est déplacée/);
      await check(page, `the moved date ${size}`, viewport.width);
      // The home page's block: the next dates with their registrations, a link to the agenda's pages.
      await page.goto('/espace');
      // (The demo's workshops come before this May date: the block shows the next five.)
      assert.match(
        (await page.textContent('main')) ?? '',
        /Prochains ateliers\d+ dates d’atelier à venir[\s\S]*inscrit\(s\) sur[\s\S]*Gérer les ateliers/,
      );
      await check(page, `the home page's workshops ${size}`, viewport.width);
      await shot(page, `${tag}-modifier-5-espace`);
    });
  }

  for (const [label, url] of [
    ['the agenda', () => '/agenda?ou=Saran'],
    ['a workshop', () => `/agenda/ateliers/${workshopId}`],
  ] as const)
    it(`keeps ${label} within the budget: ≤ 30 KB transferred, ≤ 5 requests`, async () => {
      const page = await openPage({ width: 1280, height: 720 });
      const budget = await measurePage(page, suite.url() + url());
      process.stdout.write(`# ${label} budget: ${JSON.stringify(budget)}\n`);
      assert.ok(budget.bytes <= 30 * 1024, `${budget.bytes} bytes transferred`);
      assert.ok(budget.urls.length <= 5, `${budget.urls.length} requests: ${budget.urls.join(', ')}`);
      assert.ok(
        budget.ecoindex >= 80 && budget.grade === 'A',
        `EcoIndex ${budget.ecoindex} (${budget.grade})`,
      );
    });
});
