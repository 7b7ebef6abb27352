import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { craftedZip } from '../../test/support/crafted-zip.ts';
import {
  attachmentHeader,
  checkFile,
  checkLink,
  cleanFileName,
  RESOURCE_THEMES,
  searchWords,
} from './resources.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const MB = 1024 * 1024;

describe('the resource bank’s file check', () => {
  it('accepts files whose bytes say what their name says, and serves its own type', () => {
    const odt = bytes(`PK\u0003\u0004${'x'.repeat(26)}mimetypeapplication/vnd.oasis.opendocument.text...`);
    assert.deepEqual(checkFile('compte-rendu.odt', odt, MB), {
      ok: true,
      fileName: 'compte-rendu.odt',
      contentType: 'application/vnd.oasis.opendocument.text',
    });
    const docx = bytes('PK\u0003\u0004....[Content_Types].xml....word/document.xml');
    assert.equal(checkFile('Guide.DOCX', docx, MB).ok, true);
    assert.equal(checkFile('notes.md', bytes('# Titre\n\nÉtapes à suivre.'), MB).ok, true);
    assert.equal(checkFile('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]), MB).ok, true);
  });

  it('refuses an ODT whose zip names another type, a text that is not UTF-8, and text holding a page', () => {
    const ods = bytes(
      `PK\u0003\u0004${'x'.repeat(26)}mimetypeapplication/vnd.oasis.opendocument.spreadsheet`,
    );
    assert.match(
      String((checkFile('texte.odt', ods, MB) as { message: string }).message),
      /n’est pas un vrai fichier texte OpenDocument/,
    );
    assert.equal(checkFile('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), MB).ok, false);
    assert.equal(checkFile('notes.txt', bytes('Bonjour\n<script>alert(1)</script>'), MB).ok, false);
    assert.equal(checkFile('script.txt', bytes('#!/bin/sh\nrm -rf /'), MB).ok, false);
    assert.equal(checkFile('linux.mp4', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]), MB).ok, false);
  });

  it('keeps a safe file name and sends it as an attachment in ASCII and UTF-8', () => {
    assert.equal(cleanFileName('C:\\Users\\sam\\Bureau\\guide.pdf'), 'guide.pdf');
    assert.equal(cleanFileName('../../etc/"passwd"\u0000.txt'), 'passwd.txt');
    assert.equal(
      attachmentHeader('Démarches été.pdf'),
      'attachment; filename="Demarches ete.pdf"; filename*=UTF-8\'\'D%C3%A9marches%20%C3%A9t%C3%A9.pdf',
    );
  });
});

describe('links, search words and themes', () => {
  it('takes only absolute http(s) addresses without credentials', () => {
    assert.deepEqual(checkLink(' https://www.ameli.fr/assure '), {
      ok: true,
      url: 'https://www.ameli.fr/assure',
    });
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://a.fr',
      'www.ameli.fr',
      'https://',
      'https://u:p@a.fr',
    ])
      assert.equal(checkLink(bad).ok, false, bad);
  });

  it('folds search words and ignores one-letter ones', () => {
    assert.deepEqual(searchWords('  Démarches À la CAF  '), ['demarches', 'la', 'caf']);
  });

  it('maps every theme to a distinct value of La Base’s Theme enum', () => {
    const laBase = RESOURCE_THEMES.map((t) => t.laBase);
    assert.equal(new Set(laBase).size, laBase.length);
    for (const value of laBase) assert.match(value, /^[a-z_]+$/);
  });
});

describe('office files (zip containers) in the bank', () => {
  it('are checked by their first bytes only: nothing in the bank unzips them', () => {
    // A small OOXML-looking zip declaring 3 GB once decompressed is only looked at, never inflated: the
    // check reads its signature and part names, the file is stored and served as it came.
    const bomb = craftedZip(3_000_000_000, '[Content_Types].xml', 'word/document.xml');
    const started = Date.now();
    assert.equal(checkFile('rapport.docx', bomb, MB).ok, true);
    assert.ok(Date.now() - started < 1000);
    for (const file of fs.readdirSync(import.meta.dirname).filter((f) => !f.endsWith('.test.ts'))) {
      const text = fs.readFileSync(path.join(import.meta.dirname, file), 'utf8');
      assert.doesNotMatch(text, /from '(@e965\/xlsx|node:zlib|zlib|jszip|yauzl|adm-zip)'/, file);
    }
  });
});
