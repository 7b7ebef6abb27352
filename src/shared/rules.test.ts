import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInseeCode, isPostcode, normalizeInseeCode, normalizePostcode } from './commune-codes.ts';
import { emailKey, parseEmail } from './email.ts';
import { isUuid, uuidOrNull } from './ids.ts';
import { formatPhone, normalizePhone, phoneHref } from './phone.ts';
import { compactPivot, schemaPivot, siretOrRna } from './pivot.ts';
import { cleanLine, cleanMultiline, cleanRawText } from './text.ts';

/** The rules written once for the whole product (src/shared), with their one set of tests. */
describe('identifiers', () => {
  it('accepts a UUID in any case and gives it lowercased; anything else is no id', () => {
    assert.equal(isUuid('0B9E3C2A-1234-4ABC-8DEF-0123456789AB'), true);
    assert.equal(uuidOrNull('0B9E3C2A-1234-4ABC-8DEF-0123456789AB'), '0b9e3c2a-1234-4abc-8def-0123456789ab');
    for (const bad of [
      '',
      'inconnu',
      '0b9e3c2a-1234-4abc-8def-0123456789a',
      '0b9e3c2a12344abc8def0123456789ab',
      '\u0000',
    ])
      assert.equal(uuidOrNull(bad), null, JSON.stringify(bad));
  });
});

describe('text', () => {
  it('removes NUL and other controls but tab and line breaks, and replaces lone surrogates, nothing else', () => {
    assert.equal(cleanRawText('a\u0000b\u0007c\u007f\u0085d'), 'abcd');
    assert.equal(cleanRawText('ligne 1\r\nligne\t2'), 'ligne 1\r\nligne\t2');
    assert.equal(cleanRawText('x\ud800y'), 'x\ufffdy');
    assert.equal(cleanRawText('😀 e\u0301'), '😀 e\u0301', 'emoji pairs and combining accents stay');
    const password = '  Mot de passe   avec espaces ';
    assert.equal(cleanRawText(password), password);
  });

  it('makes one line of a field, and keeps the lines of a text area (two breaks at most)', () => {
    assert.equal(cleanLine('  Me\u0301diathe\u0300que\n  du\u200b\tcentre \u202e'), 'Médiathèque du centre');
    assert.equal(
      cleanMultiline('Bonjour,\r\n\r\n\r\n\r\nMerci   beaucoup.  \n Au revoir'),
      'Bonjour,\n\nMerci beaucoup.\nAu revoir',
    );
  });
});

describe('phone numbers', () => {
  it('reads every usual French writing into the schema’s form, overseas included', () => {
    const cases: [string, string | null][] = [
      ['02 38 00 00 00', '+33238000000'],
      ['02.38.00.00.00', '+33238000000'],
      ['+33 (0)2 38 00 00 00', '+33238000000'],
      ['0033238000000', '+33238000000'],
      ['238000000', '+33238000000'],
      ['06 92 12 34 56', '+262692123456'],
      ['+262 692 12 34 56', '+262692123456'],
      ['0590 12 34 56', '+590590123456'],
      ['+44 20 7946 0000', null],
      ['12', null],
      ['numéro', null],
    ];
    for (const [text, expected] of cases) assert.equal(normalizePhone(text), expected, text);
  });

  it('shows a number grouped by two, overseas in its national writing, and links it', () => {
    assert.equal(formatPhone('+33238000000'), '02 38 00 00 00');
    assert.equal(formatPhone('+262692123456'), '06 92 12 34 56');
    assert.equal(formatPhone('+687123456'), '+687 12 34 56');
    assert.equal(formatPhone('0238000000'), '02 38 00 00 00');
    assert.equal(formatPhone('inconnu'), 'inconnu');
    assert.equal(phoneHref('+33 2 38 00 00 00'), 'tel:+33238000000');
  });
});

describe('e-mail addresses', () => {
  it('reads an address as people paste it, lowercasing the domain only', () => {
    assert.equal(parseEmail(' Nom <Contact@Mairie-Saran.FR> '), 'Contact@mairie-saran.fr');
    assert.equal(parseEmail('mailto:accueil@example.org.'), 'accueil@example.org');
    for (const bad of ['', 'pas-une-adresse', 'a@b', '@example.org', 'a b@example.org'])
      assert.equal(parseEmail(bad), null, bad);
  });

  it('keys an account by its lowercased address', () => {
    assert.equal(emailKey('  Camille@Example.ORG '), 'camille@example.org');
  });
});

describe('SIRET and RNA', () => {
  it('reads the pivot as typed, and checks the schema’s shape and the strict one of structures', () => {
    assert.equal(compactPivot('214 503 027 00019'), '21450302700019');
    assert.equal(schemaPivot('214.503.027'), '214503027');
    assert.equal(schemaPivot('12'), null);
    assert.equal(siretOrRna('w452001234'), 'W452001234');
    assert.equal(siretOrRna('214503027'), null, 'a SIREN is not enough for a structure');
  });
});

describe('commune codes', () => {
  it('reads postcodes and INSEE codes as spreadsheets write them', () => {
    assert.equal(normalizePostcode('45 000'), '45000');
    assert.equal(normalizePostcode('1000'), '01000');
    assert.equal(normalizePostcode('45000.0'), '45000');
    assert.equal(normalizePostcode('4500'), '04500');
    assert.equal(normalizePostcode('ABCDE'), null);
    assert.equal(normalizeInseeCode('2a004'), '2A004');
    assert.equal(normalizeInseeCode('1053'), '01053');
    assert.equal(isInseeCode('2C004'), false);
    assert.equal(isPostcode('45000'), true);
  });
});
