import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conflictingFields,
  correctionsCsv,
  correctionsFileName,
  editedFields,
  isPlausibleSource,
} from './source-quality.ts';

describe('sources one by one, pure rules (decision 0059)', () => {
  it('lists the fields an accepted edit changed, with their French names, lists joined; closures and unchanged fields left out', () => {
    const base = {
      nom: 'Lieu',
      telephone: '+33238000000',
      services: ['A'],
      closures: [],
      position_approximate: true,
    };
    const proposed = {
      nom: 'Lieu',
      telephone: '+33238000001',
      services: ['A', 'B'],
      closures: [{ starts_on: '2026-01-01', ends_on: '2026-01-02', reason: null }],
      position_approximate: false,
    };
    assert.deepEqual(editedFields(base, proposed), [
      { field: 'position_approximate', label: 'Position approximative', before: 'oui', after: 'non' },
      { field: 'telephone', label: 'Téléphone', before: '+33238000000', after: '+33238000001' },
      { field: 'services', label: 'Services', before: 'A', after: 'A ; B' },
    ]);
    assert.deepEqual(editedFields(base, base), [], 'a confirmation without change gives no line');
    assert.deepEqual(editedFields(null, 'not an object'), []);
  });

  it('sees a conflict only when both records give a value and they differ beyond spaces', () => {
    const record = (telephone: string | null, horaires: string | null) => ({ telephone, horaires });
    assert.deepEqual(
      conflictingFields(record('02 38 00 00 00', 'Mo 09:00-12:00'), record('0238000000', 'Mo 09:00-12:00')),
      [],
    );
    assert.deepEqual(conflictingFields(record(null, 'Mo 09:00-12:00'), record('0238000000', null)), []);
    assert.deepEqual(
      conflictingFields(record('0238000000', 'Mo 09:00-12:00'), record('0238000001', 'Tu 09:00-12:00')),
      ['telephone', 'horaires'],
    );
  });

  it('writes the CSV for spreadsheets, formulas inert, and names the file after the source', () => {
    const csv = correctionsCsv(
      [
        {
          kind: 'report',
          recordId: 'r1',
          date: new Date('2026-03-04T10:00:00Z'),
          placeId: 'p1',
          placeName: '@Lieu',
          commune: 'Orléans',
          source: 'dora',
          sourceId: 'd-1',
          change: null,
          message: '-1 horaires',
          status: 'nouveau',
        },
      ],
      (id) => `https://annuaire.example.org/lieux/${id}`,
    );
    const [header, line] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.match(header ?? '', /^source;identifiant_dans_la_source;fiche_maillage;lieu;/);
    assert.equal(
      line,
      "dora;d-1;https://annuaire.example.org/lieux/p1;'@Lieu;Orléans;2026-03-04;Signalement d'erreur;;;;'-1 horaires;nouveau",
    );
    assert.equal(
      correctionsFileName('Data·inclusion / DORA', '2026-12-07'),
      'corrections-data-inclusion-dora-2026-12-07.csv',
    );
    assert.equal(correctionsFileName('???', '2026-12-07'), 'corrections-source-2026-12-07.csv');
  });

  it('takes a source name from an address only when it could be one: 1 to 500 characters, clean text', () => {
    assert.equal(isPlausibleSource('dora'), true);
    for (const bad of [undefined, '', 'x'.repeat(501), 'a\u0000b', 'a\uFFFDb', 'a\uD800b'])
      assert.equal(isPlausibleSource(bad), false, JSON.stringify(bad));
  });
});
