import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../shared/domain-error.ts';
import {
  applyMapping,
  type ColumnRule,
  checkLayout,
  checkMapping,
  type PlacesMapping,
  type RawFile,
  readRawPlacesFile,
  suggestMapping,
  valueCandidates,
} from './places-mapping.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

function rawOf(rows: Record<string, unknown>[]): RawFile {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return {
    format: 'json',
    columns,
    records: rows.map((data, index) => ({ row: index + 1, data })),
    fileIssues: [],
  };
}

function mappingOf(fields: PlacesMapping['fields'], more: Partial<PlacesMapping> = {}): PlacesMapping {
  return { version: 1, fields, values: {}, ...more };
}

/** The one record a rule gives for one field of a one-row file. */
function applyOne(
  rule: ColumnRule,
  row: Record<string, unknown>,
  field: 'adresse' | 'latitude' = 'adresse',
): unknown {
  const { records } = applyMapping(
    rawOf([row]),
    mappingOf({ id: { kind: 'fixed', value: 'x' }, [field]: rule }),
  );
  return records[0]?.data[field];
}

describe('readRawPlacesFile', () => {
  it('keeps the columns as written (trimmed), requires none, and reads numbers of JSON as they are', () => {
    const csv = readRawPlacesFile(
      utf8('\uFEFF Nom du lieu ;CP Ville;Coordonnées\nA;45000 Orléans;"47.9,1.9"\n'),
      'hub.csv',
    );
    assert.deepEqual(csv.columns, ['Nom du lieu', 'CP Ville', 'Coordonnées']);
    assert.deepEqual(csv.records[0], {
      row: 2,
      data: { 'Nom du lieu': 'A', 'CP Ville': '45000 Orléans', Coordonnées: '47.9,1.9' },
    });
    assert.deepEqual(csv.fileIssues, [], 'no warning for columns the schema does not know');
    const json = readRawPlacesFile(utf8('[{"TYPO_UID": 43, "LAT": 47.4}]'), 'angers.json');
    assert.deepEqual(json.records[0]?.data, { TYPO_UID: 43, LAT: 47.4 });
  });

  it('gives the same file-level refusals as the schema reading', () => {
    assert.throws(
      () => readRawPlacesFile(new Uint8Array(), 'vide.csv'),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'invalid_file' && /est vide/.test(error.message),
    );
    assert.throws(
      () => readRawPlacesFile(utf8('[{"a": 1},'), 'casse.json'),
      (error: unknown) => error instanceof DomainError && /JSON est mal formé/.test(error.message),
    );
  });
});

describe('checkLayout and suggestMapping', () => {
  it('says whether columns follow the schema, names retyped by hand included, and which required ones miss', () => {
    assert.deepEqual(checkLayout(['id', 'Nom', 'adresse', 'Commune', 'Code postal', 'services']), {
      onSchema: true,
      missing: [],
    });
    assert.deepEqual(checkLayout(['Nom du lieu', 'code_postal', 'commune']), {
      onSchema: false,
      missing: ['id', 'nom', 'adresse'],
    });
  });

  it('maps columns named like schema fields (case, accents, spaces), old v0 names and common names; the rest is left out', () => {
    const mapping = suggestMapping([
      'NOM',
      'Code Postal',
      'Commune',
      'Courriel',
      'Lat',
      'LNG',
      'Adresse',
      'nom',
      'Divers',
    ]);
    assert.deepEqual(mapping.fields, {
      nom: { kind: 'column', column: 'NOM' },
      code_postal: { kind: 'column', column: 'Code Postal' },
      commune: { kind: 'column', column: 'Commune' },
      courriels: { kind: 'column', column: 'Courriel' },
      latitude: { kind: 'column', column: 'Lat' },
      longitude: { kind: 'column', column: 'LNG' },
      adresse: { kind: 'column', column: 'Adresse' },
    });
    assert.deepEqual(mapping.values, {});
  });
});

describe('applyMapping: rules of one field', () => {
  it('column: the cell as it is', () => {
    assert.equal(applyOne({ kind: 'column', column: 'Voie' }, { Voie: '1 rue Mirabeau' }), '1 rue Mirabeau');
  });

  it('join: the cells joined with the separator, empty cells skipped', () => {
    const rule: ColumnRule = { kind: 'join', columns: ['Numéro', 'Bis', 'Voie'], separator: ' ' };
    assert.equal(applyOne(rule, { Numéro: 3, Bis: '', Voie: 'rue Mirabeau' }), '3 rue Mirabeau');
    assert.equal(applyOne(rule, { Numéro: '', Bis: ' ', Voie: '' }), undefined);
  });

  it('split: the 1-based part, -1 the last one, empty parts dropped; a coordinate cleaned of letters first', () => {
    const row = { Adresse: '1 rue Mirabeau, , 45000 Orléans' };
    assert.equal(
      applyOne({ kind: 'split', column: 'Adresse', separator: ',', part: 1 }, row),
      '1 rue Mirabeau',
    );
    assert.equal(
      applyOne({ kind: 'split', column: 'Adresse', separator: ',', part: 2 }, row),
      '45000 Orléans',
    );
    assert.equal(
      applyOne({ kind: 'split', column: 'Adresse', separator: ',', part: -1 }, row),
      '45000 Orléans',
    );
    assert.equal(applyOne({ kind: 'split', column: 'Adresse', separator: ',', part: 5 }, row), undefined);
    const point = { Geo: 'POINT(1.9039 47.9029)' };
    assert.equal(
      applyOne({ kind: 'split', column: 'Geo', separator: ' ', part: 2 }, point, 'latitude'),
      '47.9029',
    );
  });

  it('pattern: the first capture group, or the whole match; nothing when it does not match', () => {
    const row = { Lieu: 'Orléans (45000)' };
    assert.equal(applyOne({ kind: 'pattern', column: 'Lieu', pattern: '\\((\\d{5})\\)' }, row), '45000');
    assert.equal(applyOne({ kind: 'pattern', column: 'Lieu', pattern: '\\d{5}' }, row), '45000');
    assert.equal(applyOne({ kind: 'pattern', column: 'Lieu', pattern: '^\\d{5}' }, row), undefined);
  });

  it('fixed gives its value to every row; none gives nothing', () => {
    assert.equal(applyOne({ kind: 'fixed', value: 'Orléans' }, {}), 'Orléans');
    assert.equal(applyOne({ kind: 'none' }, { adresse: 'ignorée' }), undefined);
  });

  it('uses the row number as id when the mapping gives none, and says so once', () => {
    const { records, issues } = applyMapping(
      rawOf([{ N: 'A' }, { N: 'B' }]),
      mappingOf({ nom: { kind: 'column', column: 'N' } }),
    );
    assert.deepEqual(
      records.map((record) => record.data.id),
      ['1', '2'],
    );
    assert.equal(issues.filter((issue) => issue.field === 'id').length, 1);
  });
});

describe('applyMapping: list fields and their words', () => {
  const raw = rawOf([
    { Activités: 'Démarches, initiation ; Café', Public: 'Jeunes|Séniors' },
    { Activités: 'DEMARCHES\nCafé', Public: '' },
    { Activités: 'Café', Public: 'Tout public' },
  ]);
  const mapping = mappingOf(
    {
      id: { kind: 'fixed', value: 'x' },
      services: { kind: 'column', column: 'Activités' },
      publics_specifiquement_adresses: { kind: 'column', column: 'Public' },
    },
    {
      values: {
        services: {
          démarches: ['Aide aux démarches administratives'],
          Initiation: ['Maîtrise des outils numériques du quotidien', 'Compréhension du monde numérique'],
        },
        publics_specifiquement_adresses: { 'tout public': [], seniors: ['Seniors'] },
      },
    },
  );

  it('splits cells into words, maps each (case, accents, spaces aside), keeps schema values, ignores words mapped to []', () => {
    const { records } = applyMapping(raw, mapping);
    assert.equal(
      records[0]?.data.services,
      'Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|Compréhension du monde numérique',
    );
    assert.equal(records[1]?.data.services, 'Aide aux démarches administratives');
    assert.equal(records[0]?.data.publics_specifiquement_adresses, 'Jeunes|Seniors');
    assert.equal(records[2]?.data.publics_specifiquement_adresses, undefined);
  });

  it('counts an unmapped word once per field, with one summary issue naming its count and first rows', () => {
    const { unmapped, issues } = applyMapping(raw, mapping);
    assert.deepEqual(unmapped, [{ field: 'services', word: 'Café', count: 3 }]);
    const summary = issues.filter((issue) => issue.value === 'Café');
    assert.equal(summary.length, 1);
    assert.equal(summary[0]?.row, null);
    assert.equal(summary[0]?.field, 'services');
    assert.match(summary[0]?.message ?? '', /le mot « Café » .* ignoré sur 3 lignes \(lignes 1, 2, 3\)/);
  });

  it('lists the distinct words of each mapped list field with their counts and what they give', () => {
    const candidates = valueCandidates(raw, mapping);
    const services = candidates.find((candidate) => candidate.field === 'services');
    assert.deepEqual(services?.words, [
      { word: 'Café', count: 3, mappedTo: null },
      { word: 'DEMARCHES', count: 1, mappedTo: ['Aide aux démarches administratives'] },
      { word: 'Démarches', count: 1, mappedTo: ['Aide aux démarches administratives'] },
      {
        word: 'initiation',
        count: 1,
        mappedTo: ['Maîtrise des outils numériques du quotidien', 'Compréhension du monde numérique'],
      },
    ]);
    const publics = candidates.find((candidate) => candidate.field === 'publics_specifiquement_adresses');
    assert.deepEqual(
      publics?.words.map((word) => [word.word, word.mappedTo]),
      [
        ['Jeunes', ['Jeunes']],
        ['Séniors', ['Seniors']],
        ['Tout public', []],
      ],
    );
  });

  it('applies contains rules: folded substring of a term, except words, any non-empty cell, every row, modalité condition', () => {
    const rows = rawOf([
      { Type: 'Médiathèque municipale', Aide: 'oui', Mode: 'Atelier' },
      { Type: 'Mediatheque privée', Aide: '', Mode: '' },
    ]);
    const { records } = applyMapping(rows, {
      version: 1,
      fields: {
        id: { kind: 'fixed', value: 'x' },
        modalites_accompagnement: { kind: 'column', column: 'Mode' },
      },
      values: { modalites_accompagnement: { atelier: ['Dans un atelier collectif'] } },
      contains: {
        typologie: [{ columns: ['Type'], terms: ['MEDIATHEQUE'], except: ['privée'], value: 'BIB' }],
        frais_a_charge: [{ columns: null, terms: null, except: [], value: 'Gratuit' }],
        services: [
          { columns: ['Aide'], terms: null, except: [], value: 'Aide aux démarches administratives' },
          {
            columns: null,
            terms: null,
            except: [],
            value: 'Loisirs et créations numériques',
            whenModalite: 'Dans un atelier collectif',
          },
        ],
      },
    });
    assert.equal(records[0]?.data.typologie, 'BIB');
    assert.equal(records[1]?.data.typologie, undefined);
    assert.equal(records[1]?.data.frais_a_charge, 'Gratuit');
    assert.equal(
      records[0]?.data.services,
      'Aide aux démarches administratives|Loisirs et créations numériques',
    );
    assert.equal(records[1]?.data.services, undefined);
  });
});

describe('applyMapping: hours', () => {
  it('reads one column per weekday into OpenStreetMap form, a closed day left out', () => {
    const raw = rawOf([{ L: '9h-12h / 14h-17h', M: 'fermé', J: '09:00-12:00' }]);
    const { records } = applyMapping(raw, {
      version: 1,
      fields: { id: { kind: 'fixed', value: 'x' } },
      values: {},
      hours: { days: { Mo: ['L'], Tu: ['M'], Th: ['J'] } },
    });
    assert.equal(records[0]?.data.horaires, 'Mo 09:00-12:00,14:00-17:00; Th 09:00-12:00');
  });

  it('prefers a valid OSM column, falls back to free text, and applies the week parity', () => {
    const hours = { osm: 'OSM', text: 'Texte', weekParity: 'Semaine' };
    const raw = rawOf([
      { OSM: 'Mo 10:00-12:00', Texte: 'lundi 9h-12h', Semaine: '' },
      { OSM: 'pas osm', Texte: 'mardi 9h-12h', Semaine: '' },
      { OSM: '', Texte: 'mardi 9h-12h', Semaine: 'Semaine paire' },
    ]);
    const { records } = applyMapping(raw, {
      version: 1,
      fields: { id: { kind: 'fixed', value: 'x' } },
      values: {},
      hours,
    });
    assert.equal(records[0]?.data.horaires, 'Mo 10:00-12:00');
    assert.equal(
      records[1]?.data.horaires,
      'mardi 9h-12h',
      'free text goes on, normalizePlaceRow rewrites it',
    );
    assert.equal(records[2]?.data.horaires, 'week 2-52/2 Tu 09:00-12:00');
  });
});

describe('checkMapping', () => {
  const columns = ['Réf', 'Nom', 'Adresse', 'CP', 'Ville', 'Geo', 'Activités'];
  const good = mappingOf({
    id: { kind: 'column', column: 'Réf' },
    nom: { kind: 'column', column: 'Nom' },
    adresse: { kind: 'column', column: 'Adresse' },
    code_postal: { kind: 'column', column: 'CP' },
    commune: { kind: 'column', column: 'Ville' },
    latitude: { kind: 'split', column: 'Geo', separator: ',', part: 1 },
    longitude: { kind: 'split', column: 'Geo', separator: ',', part: 2 },
    services: { kind: 'column', column: 'Activités' },
    typologie: { kind: 'column', column: 'Activités' },
  });
  const messages = (mapping: PlacesMapping, source?: string) =>
    checkMapping(mapping, columns, source === undefined ? {} : { source }).map(
      (problem) => `${problem.field}: ${problem.message}`,
    );

  it('accepts a mapping that fits the file: coordinates split from one column, list fields sharing a column', () => {
    assert.deepEqual(messages(good), []);
  });

  it('names each required field without a rule (the id may be left out)', () => {
    const { nom: _nom, commune: _commune, id: _id, ...fields } = good.fields;
    const problems = messages({ ...good, fields: { ...fields, commune: { kind: 'none' } } });
    assert.equal(problems.length, 2);
    assert.match(
      problems[0] ?? '',
      /^nom: Le champ obligatoire le nom du lieu \(« nom »\) n'a pas de correspondance/,
    );
    assert.match(problems[1] ?? '', /^commune: /);
  });

  it('names a column the file does not have, listing the columns it has', () => {
    const problems = messages({
      ...good,
      fields: { ...good.fields, nom: { kind: 'column', column: 'Nom du lieu' } },
    });
    assert.deepEqual(problems, [
      "nom: La colonne « Nom du lieu » indiquée pour le nom du lieu (« nom ») n'existe pas dans le fichier. Colonnes du fichier : « Réf », « Nom », « Adresse », « CP », « Ville », « Geo », « Activités ».",
    ]);
  });

  it('refuses two fields reading the same whole column', () => {
    const problems = messages({
      ...good,
      fields: { ...good.fields, adresse: { kind: 'column', column: 'Nom' } },
    });
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /La colonne « Nom » entière est donnée à plusieurs champs \(« nom », « adresse »\)/,
    );
  });

  it('names the field, the word and the value mapped outside the schema, listing the valid ones', () => {
    const problems = messages({ ...good, values: { services: { démarches: ['Démarches en ligne'] } } });
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /^services: Pour les services \(« services »\), le mot « démarches » donne « Démarches en ligne », qui n'est pas une valeur du schéma\. Valeurs possibles : « Aide aux démarches administratives », /,
    );
  });

  it('refuses a mapping of another source, an invalid regular expression, a split part 0 and values on a free field', () => {
    assert.match(
      messages({ ...good, source: 'hub-a' }, 'hub-b')[0] ?? '',
      /source « hub-a », pas de « hub-b » : c'est la correspondance d'une autre source/,
    );
    assert.deepEqual(messages({ ...good, source: 'hub-a' }, 'hub-a'), []);
    const bad = messages({
      ...good,
      fields: {
        ...good.fields,
        complement_adresse: { kind: 'pattern', column: 'Adresse', pattern: '(' },
        latitude: { kind: 'split', column: 'Geo', separator: ',', part: 0 },
      },
      values: { nom: { a: ['b'] } },
    });
    assert.equal(bad.length, 3);
    assert.match(bad.join('\n'), /complement_adresse: .*l'expression régulière « \( » est invalide/);
    assert.match(bad.join('\n'), /latitude: .*la partie 0 n'existe pas/);
    assert.match(bad.join('\n'), /nom: .*une correspondance des valeurs ne s'y applique pas/);
  });

  it('checks the targets of contains rules and the columns of hours', () => {
    const problems = messages({
      ...good,
      contains: { typologie: [{ columns: ['Activités'], terms: ['bib'], except: [], value: 'BIBLI' }] },
      hours: { days: { Mo: ['Lundi'] } },
    });
    assert.equal(problems.length, 2);
    assert.match(
      problems[0] ?? '',
      /la règle des termes « bib » donne « BIBLI », qui n'est pas une valeur du schéma/,
    );
    assert.match(problems[1] ?? '', /^horaires: La colonne « Lundi »/);
  });
});
