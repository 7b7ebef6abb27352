import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { check, type KeyboardJourney, keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * Imports on the web, in a browser: the coordinator brings a regional hub's own file (its own columns,
 * the address in two columns, the position in one) through the column mapping, with the keyboard only:
 * upload, mapping, the dry run's report, confirmation, the history. Axe on every page, on a phone and on
 * a desktop; the CSP enforced by the page guard. SCREENSHOTS=<folder> keeps a picture of each page.
 */
const HUB_CSV = [
  'Numéro;Structure;Rue;CP;Ville;GPS;Offre',
  'e1;Médiathèque de Saran;12 rue de la Mairie;45770;Saran;47.9500,1.8760;Démarches en ligne',
  'e2;Maison de quartier Argonne;3 rue Rolland;45000;Orléans;47.9070,1.9330;Démarches en ligne, Ateliers',
].join('\n');

async function shot(page: Page, name: string) {
  const folder = process.env.SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
  // The first screen as the person sees it, readable at full size.
  await page.screenshot({ path: path.join(folder, `${name}-ecran.png`) });
}

/** data·inclusion's two files (schema v1): two structures of Orléans Métropole, their services, one orphan. */
function dataInclusionFiles(source: string) {
  const structure = (id: string, nom: string, adresse: string, latitude: number, longitude: number) => ({
    source,
    id,
    nom,
    date_maj: '2026-05-02',
    siret: null,
    telephone: '0238000000',
    horaires_accueil: 'Mo-Fr 09:00-12:00',
    reseaux_porteurs: null,
    commune: 'Orléans',
    code_postal: '45000',
    code_insee: '45234',
    adresse,
    latitude,
    longitude,
  });
  const service = (structureId: string, id: string, thematiques: string[], type: string) => ({
    source,
    structure_id: structureId,
    id,
    nom: 'Service',
    description: 'Un service de la structure',
    date_maj: '2026-05-02',
    type,
    thematiques,
  });
  return {
    structures: JSON.stringify([
      structure('di-1', 'Espace public numérique Blossières', '8 rue des Blossières', 47.918, 1.896),
      structure('di-2', 'Point numérique La Source', '2 place Ernest-Renan', 47.84, 1.935),
    ]),
    services: JSON.stringify([
      service('di-1', 'di-1--s1', ['numerique--acceder-a-une-connexion-internet'], 'aide-materielle'),
      service('di-2', 'di-2--s1', ['numerique--maitriser-les-fondamentaux-du-numerique'], 'atelier'),
      service('di-9', 'di-9--s1', ['numerique--acquerir-un-equipement'], 'aide-materielle'),
    ]),
  };
}

/** Focuses a field by its id with Tab, then chooses an option by typing its first letters. */
async function choose(journey: KeyboardJourney, id: string, typed: string) {
  await journey.tabTo((f) => f.id === id, 800);
  await journey.type(typed);
}

describe('imports on the web, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const viewport of [undefined, { width: 360, height: 800 }]) {
    const where = viewport ? ' on a phone' : '';
    const tag = viewport ? 'phone' : 'desktop';
    it(`a coordinator imports a hub's own CSV through the column mapping — keyboard only${where}`, async () => {
      const page = await openPage(viewport ? { viewport } : {});
      await signIn(page, 'coordination.demo@example.org');
      const journey = keyboardOnly(page);
      await journey.tabTo('Voir tous les imports, importer un fichier', 200);
      await Promise.all([page.waitForURL('**/imports'), journey.press('Enter')]);
      await scanAxe(page, `the imports page${where}`);
      await shot(page, `${tag}-1-imports`);
      await journey.tabTo('Importer un fichier', 80);
      await Promise.all([page.waitForURL('**/imports/nouveau'), journey.press('Enter')]);
      await scanAxe(page, `the upload form${where}`);
      await shot(page, `${tag}-2-nouveau`);
      // Choosing a file opens the system's dialog: the test hands the file to the input, like the dialog.
      const file = path.join(
        fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-e2e-import-')),
        `hub-${tag}.csv`,
      );
      fs.writeFileSync(file, HUB_CSV);
      await page.locator('#fichier').setInputFiles(file);
      await journey.tabTo((f) => f.id === 'source');
      await journey.type(`hub-loiret-${tag}`);
      await journey.tabTo('Envoyer et vérifier');
      await Promise.all([page.waitForURL('**/imports/envoi/*'), journey.press('Enter')]);
      assert.match((await page.textContent('main')) ?? '', /n'est pas au schéma national/);
      await scanAxe(page, `an upload waiting for its mapping${where}`);
      await journey.tabTo('Faire la correspondance des colonnes');
      await Promise.all([page.waitForURL('**/correspondance'), journey.press('Enter')]);
      await scanAxe(page, `the mapping form${where}`);
      await shot(page, `${tag}-3-correspondance`);

      // The required fields come first; Ville, Rue and the like are not schema names: the coordinator
      // chooses them. Latitude and longitude are the two parts of "GPS".
      await choose(journey, 'mode-id', 'Une c');
      await choose(journey, 'col-id', 'Numéro');
      await choose(journey, 'mode-nom', 'Une c');
      await choose(journey, 'col-nom', 'Structure');
      await choose(journey, 'mode-commune', 'Une c');
      await choose(journey, 'col-commune', 'Ville');
      await choose(journey, 'mode-code_postal', 'Une c');
      await choose(journey, 'col-code_postal', 'CP');
      await choose(journey, 'mode-adresse', 'Une c');
      await choose(journey, 'col-adresse', 'Rue');
      for (const [field, part] of [
        ['latitude', '1'],
        ['longitude', '2'],
      ] as const) {
        await choose(journey, `mode-${field}`, 'Une partie d');
        await choose(journey, `col-${field}`, 'GPS');
        // The settings are folded: open them, then fill the separator and the part.
        await journey.tabTo(
          (f) =>
            f.tag === 'summary' && f.text.includes(`« ${field === 'latitude' ? 'Latitude' : 'Longitude'} »`),
          50,
        );
        await journey.press('Enter');
        await journey.tabTo((f) => f.id === `sep-${field}`, 20);
        await journey.type(',');
        await journey.tabTo((f) => f.id === `part-${field}`, 5);
        await journey.type(part);
      }
      await choose(journey, 'mode-services', 'Une c');
      await choose(journey, 'col-services', 'Offre');
      // The words of "Offre" appear once the columns are saved: "Mettre à jour la liste des mots".
      await journey.tabTo('Mettre à jour la liste des mots', 800);
      await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      const words = (await page.textContent('section[aria-labelledby="valeurs"]')) ?? '';
      assert.match(words, /« Démarches en ligne » \(2 fois\)/);
      await scanAxe(page, `the mapping form with the file's words${where}`);
      const index = await page.locator('input[value="Démarches en ligne"]').getAttribute('name');
      const n = /\.(\d+)$/.exec(index ?? '')?.[1];
      await choose(journey, `val-services-${n}`, 'Aide aux d');
      await shot(page, `${tag}-4-mots`);
      await journey.tabTo('Enregistrer et vérifier le fichier', 800);
      await Promise.all([
        page.waitForURL(/\/imports\/envoi\/[0-9a-f-]+\?fait=correspondance$/),
        journey.press('Enter'),
      ]);
      // The dry run runs in the background; the page reloads itself (Refresh header) until it is done.
      await page.waitForSelector('text=Résultat de la vérification', { timeout: 90_000 });
      const report = (await page.textContent('main')) ?? '';
      assert.match(report, /2 lignes lues/);
      assert.match(report, /0 ligne refusée/);
      // The desktop's journey imported the same places from another source: here they merge.
      assert.match(report, viewport ? /2 lieux fusionnés/ : /2 nouveaux lieux/);
      await scanAxe(page, `the dry run's report${where}`);
      await shot(page, `${tag}-5-verification`);
      await journey.tabTo(/^Importer ce fichier/, 200);
      await Promise.all([page.waitForURL(/fait=confirme/), journey.press('Enter')]);
      await page.waitForSelector('text=Import terminé', { timeout: 90_000 });
      await scanAxe(page, `the finished import${where}`);
      await shot(page, `${tag}-6-termine`);
      await journey.tabTo("l'historique des imports", 80);
      await Promise.all([page.waitForURL('**/imports'), journey.press('Enter')]);
      const history = (await page.textContent('main')) ?? '';
      assert.match(history, new RegExp(`hub-${tag}\\.csv`));
      assert.match(history, new RegExp(`source « hub-loiret-${tag} »`));
      assert.match(history, /Camille \(coordination\)/);
      await scanAxe(page, `the history with the new import${where}`);
      await shot(page, `${tag}-7-historique`);
      if (viewport) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `the imports page scrolls sideways on a phone (${width})`);
      }
      // The merges of the network (the demonstration's, and those this import made): separate one.
      await journey.tabTo('les fusions de lieux', 80);
      await Promise.all([page.waitForURL('**/fusions'), journey.press('Enter')]);
      await scanAxe(page, `the merges to review${where}`);
      await shot(page, `${tag}-8-fusions`);
      const separate = await journey.tabTo((f) => f.tag === 'button' && f.text.startsWith('Séparer'), 200);
      await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      await page.waitForSelector('p.notice[role=status]');
      const notice = (await page.textContent('p.notice[role=status]')) ?? '';
      assert.match(notice, /^Fusion (séparée|refusée)/, `after ${separate.text}`);
      await scanAxe(page, `the merges after a separation${where}`);
      await shot(page, `${tag}-9-separee`);
    });
  }

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
  ]) {
    it(`a coordinator imports data·inclusion's structures and services in one upload — keyboard only, ${viewport.width} px`, async () => {
      const page = await openPage({ viewport });
      await signIn(page, 'coordination.demo@example.org');
      const journey = keyboardOnly(page);
      await journey.tabTo('Voir tous les imports, importer un fichier', 200);
      await Promise.all([page.waitForURL('**/imports'), journey.press('Enter')]);
      await journey.tabTo('Importer un fichier', 80);
      await Promise.all([page.waitForURL('**/imports/nouveau'), journey.press('Enter')]);
      await check(page, `the upload form at ${viewport.width} px`, viewport.width);
      const source = `dora-${viewport.width}`;
      const files = dataInclusionFiles(source);
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-e2e-di-'));
      fs.writeFileSync(path.join(folder, 'structures.json'), files.structures);
      fs.writeFileSync(path.join(folder, 'services.json'), files.services);
      // Choosing a file opens the system's dialog: the test hands each file to its input, like the dialog.
      await page.locator('#fichier').setInputFiles(path.join(folder, 'structures.json'));
      await page.locator('#services').setInputFiles(path.join(folder, 'services.json'));
      await choose(journey, 'forme', 'Structures');
      await journey.tabTo('Envoyer et vérifier');
      await Promise.all([page.waitForURL('**/imports/envoi/*'), journey.press('Enter')]);
      await page.waitForSelector('text=Résultat de la vérification', { timeout: 90_000 });
      const report = (await page.textContent('main')) ?? '';
      assert.match(report, /structures et services data·inclusion/);
      assert.match(report, /services\.json/);
      assert.match(report, /2 lignes lues/);
      assert.match(report, /0 ligne refusée/);
      assert.match(report, /Champ « structure_id » : 1/);
      assert.match(report, /la structure « di-9 »/);
      await check(page, `the dry run of both files at ${viewport.width} px`, viewport.width);
      await shot(page, `di-${viewport.width}-1-verification`);
      await journey.tabTo(/^Importer ce fichier/, 200);
      await Promise.all([page.waitForURL(/fait=confirme/), journey.press('Enter')]);
      await page.waitForSelector('text=Import terminé', { timeout: 90_000 });
      await check(page, `the finished import of both files at ${viewport.width} px`, viewport.width);
      await shot(page, `di-${viewport.width}-2-termine`);
    });
  }
});
