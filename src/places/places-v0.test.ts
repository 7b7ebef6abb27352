import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NormalizedRow, PlaceData } from './places.ts';
import { parsePlacesFile } from './places-file.ts';
import { normalizePlaceRow } from './places-row.ts';
import { findV0Value, V0_VALUE_MAPPING, type V1ListField } from './places-v0.ts';
import {
  DISPOSITIFS,
  FORMATIONS_LABELS,
  FRAIS,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE,
  PUBLICS,
  SERVICES,
} from './schema-values.ts';

const NOW = new Date('2025-06-01T12:00:00Z');

const V1_VALUES: Record<V1ListField, readonly string[]> = {
  services: SERVICES,
  publics_specifiquement_adresses: PUBLICS,
  prise_en_charge_specifique: PRISE_EN_CHARGE,
  frais_a_charge: FRAIS,
  dispositif_programmes_nationaux: DISPOSITIFS,
  formations_labels: FORMATIONS_LABELS,
  modalites_accompagnement: MODALITES_ACCOMPAGNEMENT,
};

function normalize(overrides: Record<string, unknown>): NormalizedRow {
  return normalizePlaceRow(
    {
      id: 'v0-1',
      pivot: '43493312300029',
      nom: 'Espace numérique',
      adresse: '1 rue de la Mairie',
      commune: 'Orléans',
      code_postal: '45000',
      date_maj: '2024-04-02',
      ...overrides,
    },
    4,
    NOW,
  );
}

function accepted(overrides: Record<string, unknown>): { place: PlaceData; result: NormalizedRow } {
  const result = normalize(overrides);
  assert.deepEqual(result.errors, []);
  assert.ok(result.place);
  return { place: result.place, result };
}

describe('the v0 → v1 mapping table', () => {
  it('has the 15 old services and every value of the other v0 lists', () => {
    assert.equal(Object.keys(V0_VALUE_MAPPING.services).length, 15);
    assert.equal(Object.keys(V0_VALUE_MAPPING.publics_accueillis).length, 11);
    assert.equal(Object.keys(V0_VALUE_MAPPING.conditions_acces).length, 5);
    assert.equal(Object.keys(V0_VALUE_MAPPING.labels_nationaux).length, 11);
    assert.equal(Object.keys(V0_VALUE_MAPPING.modalites_accompagnement).length, 4);
  });

  it('only targets values of the v1 lists, spelled as v1 spells them', () => {
    for (const values of Object.values(V0_VALUE_MAPPING)) {
      for (const [v0Value, target] of Object.entries(values)) {
        if ('kept' in target) continue;
        assert.ok(target.values.length > 0, v0Value);
        for (const value of target.values)
          assert.ok(V1_VALUES[target.field].includes(value), `${v0Value} → ${value}`);
      }
    }
  });

  it('finds v0 values retyped without accents, in another case or with another explanation', () => {
    assert.equal(findV0Value('prendre en main un ordinateur')?.field, 'services');
    assert.equal(findV0Value('Seniors (+65 ans)')?.value, 'Seniors (+ 65 ans)');
    assert.equal(findV0Value('Gratuit : accès libre')?.value.startsWith('Gratuit :'), true);
    assert.equal(findV0Value('Rien à voir'), null);
  });
});

describe('normalizePlaceRow: v0 rows', () => {
  it('maps the old services to the 9 new ones, one warning per old label naming field and value', () => {
    const { place, result } = accepted({
      services:
        'Prendre en main un ordinateur;Utiliser le numérique au quotidien;Accéder à du matériel;Accompagner les démarches de santé',
    });
    assert.deepEqual(place.services, [
      'Maîtrise des outils numériques du quotidien',
      'Accès internet et matériel informatique',
      'Aide aux démarches administratives',
    ]);
    const warnings = result.warnings.filter((warning) => warning.field === 'services');
    assert.equal(warnings.length, 4);
    assert.equal(warnings[0]?.value, 'Prendre en main un ordinateur');
    assert.equal(warnings[0]?.row, 4);
    assert.match(warnings[0]?.message ?? '', /ancien schéma.*Maîtrise des outils numériques du quotidien/);
  });

  it('splits publics_accueillis into specific publics and specific support, keeping what has no equivalent', () => {
    const { place, result } = accepted({
      publics_accueillis:
        "Adultes;Seniors (+ 65 ans);Jeunes (16-26 ans);Surdité;Personnes en situation d'illettrisme;Public langues étrangères",
      presentation_detail: 'Un lieu accueillant.',
    });
    assert.deepEqual(place.publicsSpecifiquementAdresses, ['Seniors', 'Jeunes']);
    assert.deepEqual(place.priseEnChargeSpecifique, ['Surdité', 'Illettrisme']);
    assert.equal(
      place.presentationDetail,
      'Un lieu accueillant.\n\nPublics accueillis : Adultes, Public langues étrangères.',
    );
    const warnings = result.warnings.filter((warning) => warning.field === 'publics_accueillis');
    assert.equal(warnings.length, 6);
    assert.match(
      warnings.find((warning) => warning.value === 'Adultes')?.message ?? '',
      /pas d'équivalent.*présentation détaillée/,
    );
  });

  it('maps conditions_acces to frais_a_charge, keeping membership and Pass numérique in the detail', () => {
    const { place } = accepted({
      conditions_acces:
        "Gratuit : Je peux accéder gratuitement au lieu et à ses services;Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer;Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu",
    });
    assert.deepEqual(place.fraisACharge, ['Gratuit']);
    assert.match(
      place.presentationDetail ?? '',
      /^Conditions d'accès : Adhésion : .*, Accepte le Pass numérique : /,
    );
  });

  it('splits labels_nationaux into programmes and labels, other labels going to autres_formations_labels', () => {
    const { place } = accepted({
      labels_nationaux: 'CNFS;France Services;Fabriques de Territoire;APTIC;Point relais CAF',
      labels_autres: 'Label local;Pix',
    });
    assert.deepEqual(place.dispositifProgrammesNationaux, [
      'Conseillers numériques',
      'France Services',
      "Point d'accès numérique CAF",
    ]);
    assert.deepEqual(place.formationsLabels, ['Fabriques de Territoire']);
    assert.deepEqual(place.autresFormationsLabels, ['Label local', 'Pix', 'APTIC']);
  });

  it('maps the old long modalites_accompagnement labels', () => {
    const { place } = accepted({
      modalites_accompagnement:
        "Seul : j'ai accès à du matériel et une connexion;Dans un atelier : j'apprends collectivement à utiliser le numérique",
    });
    assert.deepEqual(place.modalitesAccompagnement, ['En autonomie', 'Dans un atelier collectif']);
  });

  it('reads courriel as courriels and accessibilite as fiche_acces_libre, and drops cle_ban, with warnings', () => {
    const { place, result } = accepted({
      courriel: 'contact@exemple.fr;accueil@exemple.fr',
      accessibilite: 'https://acceslibre.beta.gouv.fr/app/45-orleans/a/bibliotheque/erp/exemple/',
      cle_ban: '45234_1234_00001',
    });
    assert.deepEqual(place.courriels, ['contact@exemple.fr', 'accueil@exemple.fr']);
    assert.equal(
      place.ficheAccesLibre,
      'https://acceslibre.beta.gouv.fr/app/45-orleans/a/bibliotheque/erp/exemple/',
    );
    assert.deepEqual(result.warnings.map((warning) => warning.field).sort(), [
      'accessibilite',
      'cle_ban',
      'courriel',
    ]);
    assert.equal(result.warnings.find((warning) => warning.field === 'cle_ban')?.value, '45234_1234_00001');
  });

  it('handles a row mixing v0 and v1 keys and values, field by field', () => {
    const { place, result } = accepted({
      services: 'Aide aux démarches administratives|Prendre en main un ordinateur',
      frais_a_charge: 'Gratuit',
      conditions_acces: "Payant : L'accès au lieu et/ou à ses services est payant",
      publics_specifiquement_adresses: 'Jeunes|Seniors (+ 65 ans)',
      publics_accueillis: 'Familles/enfants',
      dispositif_programmes_nationaux: 'CNFS',
      labels_nationaux: 'France Services',
      courriels: 'a@exemple.fr',
      courriel: 'b@exemple.fr',
      modalites_accompagnement:
        'Accompagnement individuel|A ma place : une personne habilitée fait les démarches à ma place',
    });
    assert.deepEqual(place.services, [
      'Aide aux démarches administratives',
      'Maîtrise des outils numériques du quotidien',
    ]);
    assert.deepEqual(place.fraisACharge, ['Gratuit', 'Payant']);
    assert.deepEqual(place.publicsSpecifiquementAdresses, ['Jeunes', 'Seniors', 'Familles et/ou enfants']);
    assert.deepEqual(place.dispositifProgrammesNationaux, ['Conseillers numériques', 'France Services']);
    assert.deepEqual(place.courriels, ['a@exemple.fr', 'b@exemple.fr']);
    assert.deepEqual(place.modalitesAccompagnement, ['Accompagnement individuel']);
    // v1 values in v1 keys say nothing; every v0 value or key does.
    const warned = result.warnings.map((warning) => `${warning.field}=${warning.value}`);
    assert.ok(warned.includes('services=Prendre en main un ordinateur'));
    assert.ok(warned.includes('dispositif_programmes_nationaux=CNFS'));
    assert.ok(warned.includes('labels_nationaux=France Services'));
    assert.ok(!warned.some((warning) => warning.startsWith('frais_a_charge=')));
  });

  it('keeps the v1 value of a single field when the row also has a different v0 one, with a warning', () => {
    const { place, result } = accepted({
      fiche_acces_libre: 'https://acceslibre.beta.gouv.fr/a',
      accessibilite: 'https://acceslibre.beta.gouv.fr/b',
    });
    assert.equal(place.ficheAccesLibre, 'https://acceslibre.beta.gouv.fr/a');
    assert.match(result.warnings[0]?.message ?? '', /« accessibilite ».*ignorée/);
  });

  it('keeps an unknown value of a v0-only list in the detail rather than losing it', () => {
    const { place, result } = accepted({ publics_accueillis: 'Personnes sans domicile' });
    assert.equal(place.presentationDetail, 'Publics accueillis : Personnes sans domicile.');
    assert.equal(result.warnings[0]?.field, 'publics_accueillis');
  });

  it('does not warn about v0 columns as unknown columns when reading a file', () => {
    const parsed = parsePlacesFile(
      new TextEncoder().encode(
        JSON.stringify([
          { id: '1', nom: 'Lieu', publics_accueillis: 'Adultes', courriel: 'a@b.fr', cle_ban: 'x' },
        ]),
      ),
      'v0.json',
    );
    assert.deepEqual(parsed.fileIssues, []);
  });
});

describe('normalizePlaceRow: commune code', () => {
  it('derives the INSEE code silently when postcode and commune agree', () => {
    const { place, result } = accepted({ commune: 'MARTIGUES CEDEX 1', code_postal: '13616' });
    assert.equal(place.codeInsee, '13056');
    assert.deepEqual(result.warnings, []);
  });

  it('replaces an arrondissement code, and warns about an ambiguous or disagreeing commune', () => {
    const marseille = accepted({ commune: 'Marseille', code_postal: '13015', code_insee: '13215' });
    assert.equal(marseille.place.codeInsee, '13055');
    assert.equal(marseille.place.codePostal, '13015');
    assert.equal(marseille.result.warnings[0]?.field, 'code_insee');
    const hamlet = accepted({ commune: 'SAINT AUBAN', code_postal: '04600' });
    assert.equal(hamlet.place.codeInsee, null);
    assert.match(hamlet.result.warnings[0]?.message ?? '', /ambigu/);
    const mismatch = accepted({ code_insee: '13055' });
    assert.equal(mismatch.place.codeInsee, '13055');
    assert.match(mismatch.result.warnings[0]?.message ?? '', /Marseille.*45000.*Orléans/);
  });

  it('keeps the code of a CEDEX postcode, with a warning', () => {
    const { place, result } = accepted({ commune: 'Martigues', code_postal: '13616 CEDEX 1' });
    assert.equal(place.codePostal, '13616');
    assert.equal(place.codeInsee, '13056');
    assert.equal(result.warnings[0]?.field, 'code_postal');
  });
});
