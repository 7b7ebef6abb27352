import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { fileChoosers, keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * The resource bank in a browser, keyboard only: a mediator shares a guide (a PDF chosen through the file
 * chooser opened with the keyboard), a member of another structure finds it by searching words and
 * downloads it, as an attachment. Axe on every page, at 1280 px and 390 px; the page guard fails the
 * journey on a CSP violation or a console error. SCREENSHOTS=<folder> keeps pictures of each page.
 */
const SHOTS = process.env.SCREENSHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

async function noSidewaysScroll(page: Page, width: number, what: string): Promise<void> {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${what} scrolls sideways at ${width} px (${scroll})`);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');

describe('the resource bank, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const width of [1280, 390]) {
    it(`a mediator shares a guide and another structure finds and downloads it — keyboard only, at ${width} px`, async () => {
      const viewport = { width, height: 900 };
      const mediator = await openPage({ viewport });
      const chooseFile = fileChoosers(mediator);
      await signIn(mediator, 'mediation.demo@example.org');
      // From the home page: the block of reported resources links to the bank.
      assert.match((await mediator.textContent('main')) ?? '', /Ressources signalées/);
      const k = keyboardOnly(mediator);
      await k.tabTo((el) => el.href === '/ressources', 250);
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      assert.equal(pathOf(mediator), '/ressources');
      await scanAxe(mediator, `the resource bank, member, ${width} px`);
      await noSidewaysScroll(mediator, width, 'the resource bank');
      await shot(mediator, `bank-${width}`);
      await k.tabTo('Partager une ressource', 120);
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      assert.equal(pathOf(mediator), '/ressources/partager');
      await scanAxe(mediator, `the share form, ${width} px`);
      await shot(mediator, `share-${width}`);

      // Sent once without a title: the error summary names the field.
      const title = `Guide ${width} : sauvegarder ses photos`;
      await k.tabTo((el) => el.id === 'resume', 120);
      await k.type(
        'Les étapes pour copier les photos du téléphone sur une clé, avec une personne accompagnée.',
      );
      await k.tabTo((el) => el.id === 'genre');
      await k.press('ArrowDown');
      await k.press('ArrowDown');
      await k.tabTo((el) => el.id === 'theme-prise_en_main');
      await k.press('Space');
      await k.tabTo((el) => el.id === 'fichier', 80);
      await chooseFile(() => k.press('Space'), {
        name: `sauvegarder-photos-${width}.pdf`,
        mimeType: 'application/pdf',
        buffer: PDF,
      });
      await k.tabTo('Partager la ressource');
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      const refused = (await mediator.textContent('main')) ?? '';
      assert.match(refused, /Titre : donnez un titre à la ressource/);
      await scanAxe(mediator, `the share form with an error, ${width} px`);
      await shot(mediator, `share-error-${width}`);
      // The summary's link leads to the field; the rest of the form kept what was typed.
      assert.equal(await mediator.locator('#genre').inputValue(), 'guide');
      await k.tabTo((el) => el.id === 'titre', 120);
      await k.type(title);
      await k.tabTo((el) => el.id === 'fichier', 80);
      await chooseFile(() => k.press('Space'), {
        name: `sauvegarder-photos-${width}.pdf`,
        mimeType: 'application/pdf',
        buffer: PDF,
      });
      await k.tabTo('Partager la ressource');
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      const shared = (await mediator.textContent('main')) ?? '';
      assert.match(shared, /La ressource est partagée/);
      assert.match(pathOf(mediator), /^\/ressources\/[0-9a-f-]{36}$/);
      const resourcePath = pathOf(mediator);
      await scanAxe(mediator, `a resource just shared, ${width} px`);
      await noSidewaysScroll(mediator, width, "the resource's page");
      await shot(mediator, `shared-${width}`);

      // A member of another structure finds it by words and downloads it.
      const other = await openPage({ viewport, acceptDownloads: true });
      await signIn(other, 'autre-structure.demo@example.org');
      await other.goto('/ressources');
      const o = keyboardOnly(other);
      await o.tabTo((el) => el.id === 'q', 120);
      await o.type(`sauvegarder photos ${width}`);
      await o.tabTo('Chercher');
      await Promise.all([other.waitForNavigation(), o.press('Enter')]);
      const found = (await other.textContent('main')) ?? '';
      assert.match(found, /1 ressource trouvée/);
      await scanAxe(other, `a search of the bank, ${width} px`);
      await shot(other, `found-${width}`);
      await o.tabTo((el) => el.href === resourcePath, 120);
      await Promise.all([other.waitForNavigation(), o.press('Enter')]);
      assert.equal(pathOf(other), resourcePath);
      await scanAxe(other, `a resource of another structure, ${width} px`);
      await shot(other, `resource-${width}`);
      await o.tabTo(/^Télécharger/, 120);
      const [download] = await Promise.all([other.waitForEvent('download'), o.press('Enter')]);
      assert.equal(download.suggestedFilename(), `sauvegarder-photos-${width}.pdf`);
      const saved = await download.path();
      assert.deepEqual(fs.readFileSync(saved), PDF);

      // The other structure reports it obsolete; the sharing structure replaces the file and answers.
      await o.tabTo((el) => el.id === 'motif', 200);
      await o.press('Space');
      await o.tabTo((el) => el.id === 'precision');
      await o.type('La clé USB n’est plus vendue : proposer le câble.');
      await o.tabTo('Envoyer le signalement');
      await Promise.all([other.waitForNavigation(), o.press('Enter')]);
      assert.match((await other.textContent('main')) ?? '', /Merci : votre signalement est transmis/);

      await mediator.goto(`${resourcePath}/modifier`);
      await k.tabTo((el) => el.id === 'fichier', 200);
      const v2 = Buffer.from(`${PDF.toString('latin1')}% version 2\n`, 'latin1');
      await chooseFile(() => k.press('Space'), {
        name: `sauvegarder-photos-${width}-v2.pdf`,
        mimeType: 'application/pdf',
        buffer: v2,
      });
      await scanAxe(mediator, `the edit page with its file to replace, ${width} px`);
      await noSidewaysScroll(mediator, width, 'the edit page');
      await shot(mediator, `replace-${width}`);
      await k.tabTo('Remplacer le fichier');
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      assert.match((await mediator.textContent('main')) ?? '', /Le fichier est remplacé/);
      assert.match(
        (await mediator.textContent('main')) ?? '',
        new RegExp(`sauvegarder-photos-${width}-v2\\.pdf`),
      );

      await mediator.goto('/ressources/signalements');
      // The demonstration's report comes first: this resource's answer field is reached by its id.
      const answerId = await mediator.getByLabel(`Réponse sur « ${title} »`).getAttribute('id');
      await k.tabTo((el) => el.id === answerId, 200);
      await k.type('Fichier remplacé : le câble est proposé à la place de la clé.');
      await scanAxe(mediator, `the reports to answer, ${width} px`);
      await noSidewaysScroll(mediator, width, 'the reports page');
      await shot(mediator, `reports-${width}`);
      await k.tabTo(new RegExp(`^Marquer comme traité : « ${title.replace(/[()]/g, '.')} »$`));
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      assert.match((await mediator.textContent('main')) ?? '', /Le signalement est traité/);
      await other.goto(resourcePath);
      assert.match((await other.textContent('main')) ?? '', /Réponse de .*: Fichier remplacé : le câble/);

      // A collection made, then deleted after its confirmation page (its resources stay).
      await mediator.goto('/ressources/collections');
      await k.tabTo((el) => el.id === 'nom', 200);
      await k.type(`Sauvegardes ${width}`);
      await k.tabTo('Créer la collection');
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      await k.tabTo('Supprimer la collection', 200);
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      assert.match(pathOf(mediator), /\/supprimer$/);
      await scanAxe(mediator, `a collection's deletion, ${width} px`);
      await shot(mediator, `collection-delete-${width}`);
      await k.tabTo('Supprimer la collection');
      await Promise.all([mediator.waitForNavigation(), k.press('Enter')]);
      assert.match((await mediator.textContent('main')) ?? '', /La collection est supprimée/);
    });
  }
});
