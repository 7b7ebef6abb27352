import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMappingJson } from './places-mapping.ts';

function problemsOf(value: unknown): string[] {
  const parsed = parseMappingJson(value);
  assert.equal(parsed.ok, false, 'the mapping should be refused');
  return parsed.ok ? [] : parsed.problems.map((problem) => `${problem.field}: ${problem.message}`);
}

function mappingOf(value: unknown) {
  const parsed = parseMappingJson(value);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  return parsed;
}

describe('parseMappingJson: our format', () => {
  it('reads every rule kind, values, hours and contains rules', () => {
    const value = {
      version: 1,
      source: 'hub',
      fields: {
        id: { kind: 'column', column: 'Réf' },
        adresse: { kind: 'join', columns: ['N', 'Voie'], separator: ' ' },
        latitude: { kind: 'split', column: 'Geo', separator: ',', part: 1 },
        commune: { kind: 'pattern', column: 'CP Ville', pattern: '\\d{5} (.+)' },
        date_maj: { kind: 'fixed', value: '2024-01-01' },
        pivot: { kind: 'none' },
      },
      values: {
        services: { démarches: ['Aide aux démarches administratives'], café: [] },
        frais_a_charge: { libre: 'Gratuit' },
      },
      hours: {
        osm: 'OSM',
        days: { Mo: 'Lundi', Tu: ['Mardi', 'Mardi soir'] },
        text: 'Horaires',
        weekParity: 'Semaine',
      },
      contains: { typologie: [{ columns: ['Type'], terms: ['biblio'], except: ['privée'], value: 'BIB' }] },
    };
    const parsed = mappingOf(value);
    assert.equal(parsed.format, 'maillage');
    assert.deepEqual(parsed.mapping, {
      ...value,
      values: { ...value.values, frais_a_charge: { libre: ['Gratuit'] } },
      hours: { ...value.hours, days: { Mo: ['Lundi'], Tu: ['Mardi', 'Mardi soir'] } },
      contains: { typologie: [{ ...value.contains.typologie[0], whenModalite: undefined }] },
    });
  });

  it('names an unknown key, an unknown rule kind, a wrong type, a field outside the schema and a wrong version', () => {
    const problems = problemsOf({
      version: 2,
      colonnes: {},
      fields: {
        nom: { kind: 'colonne', column: 'Nom' },
        adresse: { kind: 'column', column: 3 },
        latitude: { kind: 'split', column: 'Geo', separator: ',', part: '1' },
        commune: { kind: 'column', column: 'Ville', extra: true },
        ville: { kind: 'column', column: 'Ville' },
      },
    });
    const text = problems.join('\n');
    assert.match(text, /La clé « version » doit valoir 1/);
    assert.match(text, /null: La clé « colonnes » n'est pas connue/);
    assert.match(text, /nom: La règle « fields\.nom » a un type « colonne » inconnu/);
    assert.match(text, /adresse: La clé « fields\.adresse\.column » doit être un texte/);
    assert.match(text, /latitude: La clé « fields\.latitude\.part » doit être un nombre entier/);
    assert.match(text, /commune: La clé « fields\.commune\.extra » n'est pas connue/);
    assert.match(text, /ville: « ville » n'est pas un champ du schéma national des lieux/);
  });

  it('refuses what is not an object', () => {
    assert.match(problemsOf([1, 2])[0] ?? '', /doit être un objet JSON/);
  });
});

describe('parseMappingJson: the national transformer format', () => {
  it('reads colonne, joindre, dissocier (parts from 0), valeur, and the old names courriel and accessibilite', () => {
    const parsed = mappingOf({
      id: { colonne: 'ID' },
      nom: { colonne: 'NOM' },
      adresse: { joindre: { colonnes: ['NUM', 'VOIE'], séparateur: ' ' } },
      code_postal: { colonne: 'CP' },
      commune: { colonne: 'VILLE' },
      latitude: { dissocier: { colonne: 'GEO', séparateur: ',', partie: 0 } },
      longitude: { dissocier: { colonne: 'GEO', séparateur: ',', partie: 1 } },
      date_maj: { valeur: '2024-01-01' },
      courriel: { colonne: 'MAIL' },
      accessibilite: { colonne: 'ACCES' },
      source: { colonne: 'SRC' },
    });
    assert.equal(parsed.format, 'transformer');
    assert.deepEqual(parsed.mapping.fields, {
      id: { kind: 'column', column: 'ID' },
      nom: { kind: 'column', column: 'NOM' },
      adresse: { kind: 'join', columns: ['NUM', 'VOIE'], separator: ' ' },
      code_postal: { kind: 'column', column: 'CP' },
      commune: { kind: 'column', column: 'VILLE' },
      latitude: { kind: 'split', column: 'GEO', separator: ',', part: 1 },
      longitude: { kind: 'split', column: 'GEO', separator: ',', part: 2 },
      date_maj: { kind: 'fixed', value: '2024-01-01' },
      courriels: { kind: 'column', column: 'MAIL' },
      fiche_acces_libre: { kind: 'column', column: 'ACCES' },
      source: { kind: 'column', column: 'SRC' },
    });
  });

  it('reads "inAdresse" as the five digits of the address', () => {
    const parsed = mappingOf({ adresse: { colonne: 'ADR' }, code_postal: { colonne: 'inAdresse' } });
    assert.deepEqual(parsed.mapping.fields.code_postal, {
      kind: 'pattern',
      column: 'ADR',
      pattern: '\\b(\\d{5})\\b',
    });
    assert.match(
      problemsOf({
        adresse: { joindre: { colonnes: ['A'], séparateur: ' ' } },
        code_postal: { colonne: 'inAdresse' },
      })[0] ?? '',
      /« code_postal\.colonne « inAdresse » » n'est pas prise en charge/,
    );
  });

  it('reads list choices (colonnes, termes, sauf, cible, modalitesAccompagnement) as contains rules, labels_autres as other labels', () => {
    const parsed = mappingOf({
      typologie: [{ colonnes: ['PICTO'], termes: ['Bibliotheque'], cible: 'BIB' }],
      services: [
        {
          colonnes: ['Q1', 'Q2'],
          termes: ['Initiation'],
          sauf: ['payant'],
          cible: 'Maîtrise des outils numériques du quotidien',
        },
        { cible: 'Loisirs et créations numériques', modalitesAccompagnement: 'Dans un atelier collectif' },
      ],
      frais_a_charge: [{ colonnes: ['GRATUIT'], cible: 'Gratuit' }],
      labels_autres: [{ colonnes: ['LABEL'], termes: ['QPV'], cible: 'QPV' }],
      autres_formations_labels: [{ colonnes: ['AUTRE1', 'AUTRE2'] }],
    });
    assert.deepEqual(parsed.mapping.contains, {
      typologie: [
        { columns: ['PICTO'], terms: ['Bibliotheque'], except: [], value: 'BIB', whenModalite: undefined },
      ],
      services: [
        {
          columns: ['Q1', 'Q2'],
          terms: ['Initiation'],
          except: ['payant'],
          value: 'Maîtrise des outils numériques du quotidien',
          whenModalite: undefined,
        },
        {
          columns: null,
          terms: null,
          except: [],
          value: 'Loisirs et créations numériques',
          whenModalite: 'Dans un atelier collectif',
        },
      ],
      frais_a_charge: [
        { columns: ['GRATUIT'], terms: null, except: [], value: 'Gratuit', whenModalite: undefined },
      ],
      autres_formations_labels: [
        { columns: ['LABEL'], terms: ['QPV'], except: [], value: 'QPV', whenModalite: undefined },
      ],
    });
    assert.deepEqual(parsed.mapping.fields.autres_formations_labels, {
      kind: 'join',
      columns: ['AUTRE1', 'AUTRE2'],
      separator: '|',
    });
  });

  it('reads horaires (jours, semaine, osm) and semaine_ouverture', () => {
    const parsed = mappingOf({
      horaires: {
        jours: [
          { colonne: 'LUNDI', osm: 'Mo' },
          { colonne: ['MARDI_MATIN', 'MARDI_APREM'], osm: 'Tu' },
        ],
        semaine: 'HORAIRE',
        osm: 'OSM',
      },
      semaine_ouverture: { colonne: 'PARITE' },
    });
    assert.deepEqual(parsed.mapping.hours, {
      osm: 'OSM',
      text: 'HORAIRE',
      days: { Mo: ['LUNDI'], Tu: ['MARDI_MATIN', 'MARDI_APREM'] },
      weekParity: 'PARITE',
    });
  });

  it('refuses unknown keys and sub-keys, old v0 keys, a bad day and a choice without cible, naming each', () => {
    const problems = problemsOf({
      nom: { colonne: 'NOM', majuscules: true },
      telephones: { colonne: 'TEL' },
      publics_accueillis: [{ colonnes: ['P'], termes: ['Jeune'], cible: 'Jeunes' }],
      services: [{ colonnes: ['S'], termes: ['x'] }],
      horaires: { jours: [{ colonne: 'L', osm: 'Lu' }] },
      latitude: { dissocier: { colonne: 'GEO', séparateur: ',', partie: -1 } },
    });
    const text = problems.join('\n');
    assert.match(text, /nom: La clé « nom\.majuscules » n'est pas connue/);
    assert.match(text, /telephones: La clé « telephones » n'est pas connue/);
    assert.match(
      text,
      /publics_accueillis: La clé « publics_accueillis » est celle de l'ancien schéma \(v0\).*« publics_specifiquement_adresses »/,
    );
    assert.match(text, /services: La clé « services\[0\]\.cible » doit être une valeur du schéma/);
    assert.match(text, /horaires: .*le jour « Lu »/);
    assert.match(
      text,
      /latitude: La clé « latitude\.dissocier\.partie » doit être un nombre entier à partir de 0/,
    );
  });
});
