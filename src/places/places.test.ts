import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  type NormalizedRow,
  type PlaceData,
  placeContentHash,
  placeToSchemaRow,
  SCHEMA_FIELDS,
} from './places.ts';
import { normalizePlaceRow } from './places-row.ts';
import {
  DISPOSITIFS,
  describeTypology,
  ETAPES_NUMERIQUES,
  ETAPES_NUMERIQUES_EXPORT,
  FORMATIONS_LABELS,
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PIVOT_PLACEHOLDER,
  PRISE_EN_CHARGE,
  PUBLICS,
  SERVICES,
  TYPOLOGIES,
  TYPOLOGY_LABELS,
} from './schema-values.ts';

const NOW = new Date('2025-06-01T12:00:00Z');

/** A minimal valid record; tests override what they are about. */
function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'lieu-1',
    pivot: '43493312300029',
    nom: 'Médiathèque Jean-Zay',
    adresse: '1 rue de la République',
    commune: 'Orléans',
    code_postal: '45000',
    date_maj: '2024-04-02',
    ...overrides,
  };
}

function normalize(overrides: Record<string, unknown> = {}, row = 2): NormalizedRow {
  return normalizePlaceRow(record(overrides), row, NOW);
}

/** The place of a row that must be accepted. */
function accepted(overrides: Record<string, unknown> = {}): { place: PlaceData; result: NormalizedRow } {
  const result = normalize(overrides);
  assert.deepEqual(result.errors, [], 'the row should be accepted');
  assert.ok(result.place);
  return { place: result.place, result };
}

function warningsOn(result: NormalizedRow, field: string) {
  return result.warnings.filter((warning) => warning.field === field);
}

describe('normalizePlaceRow: refusals', () => {
  it('rejects a row without nom, naming row, field and value', () => {
    const result = normalize({ nom: '   ' }, 7);
    assert.equal(result.place, null);
    assert.equal(result.errors.length, 1);
    const [error] = result.errors;
    assert.equal(error?.row, 7);
    assert.equal(error?.id, 'lieu-1');
    assert.equal(error?.field, 'nom');
    assert.equal(error?.value, '   ');
    assert.match(error?.message ?? '', /nom du lieu.*« nom ».*obligatoire/);
  });

  it('rejects a row with one error per missing required field, all at once', () => {
    const result = normalizePlaceRow({ pivot: '43493312300029' }, 3, NOW);
    assert.equal(result.place, null);
    assert.deepEqual(result.errors.map((error) => error.field).sort(), [
      'adresse',
      'code_postal',
      'commune',
      'id',
      'nom',
    ]);
    for (const error of result.errors) {
      assert.equal(error.row, 3);
      assert.equal(error.id, null);
      assert.equal(error.value, null);
    }
  });

  it('treats an empty string, whitespace and null as absent', () => {
    const result = normalize({ adresse: '', commune: null, nom: '\t' });
    assert.deepEqual(result.errors.map((error) => error.field).sort(), ['adresse', 'commune', 'nom']);
  });

  it('rejects a postcode that is not 5 digits once normalised, saying the expected form', () => {
    const result = normalize({ code_postal: '450' });
    assert.equal(result.place, null);
    assert.equal(result.errors[0]?.field, 'code_postal');
    assert.equal(result.errors[0]?.value, '450');
    assert.match(result.errors[0]?.message ?? '', /« 450 ».*5 chiffres.*45000/);
    assert.equal(normalize({ code_postal: 'ABCDE' }).errors[0]?.field, 'code_postal');
  });

  it('rejects a latitude that is not a number, naming it in plain French', () => {
    const result = normalize({ latitude: 'abc', longitude: '1.9' });
    assert.equal(result.place, null);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]?.field, 'latitude');
    assert.equal(result.errors[0]?.value, 'abc');
    assert.match(result.errors[0]?.message ?? '', /^La latitude « abc » n'est pas un nombre\./);
  });

  it('rejects latitude and longitude out of range, one error each', () => {
    const result = normalize({ latitude: '91', longitude: '-180.5' });
    assert.equal(result.place, null);
    assert.deepEqual(
      result.errors.map((error) => [error.field, error.value]),
      [
        ['latitude', '91'],
        ['longitude', '-180.5'],
      ],
    );
    assert.match(result.errors[0]?.message ?? '', /entre -90 et 90/);
    assert.match(result.errors[1]?.message ?? '', /entre -180 et 180/);
  });

  it('accepts the limits of the ranges', () => {
    const { place } = accepted({ latitude: -90, longitude: 180 });
    assert.equal(place.latitude, -90);
    assert.equal(place.longitude, 180);
  });

  it('rejects a latitude without longitude, and a longitude without latitude', () => {
    const onlyLatitude = normalize({ latitude: '47.9' });
    assert.equal(onlyLatitude.place, null);
    assert.equal(onlyLatitude.errors[0]?.field, 'longitude');
    assert.match(
      onlyLatitude.errors[0]?.message ?? '',
      /longitude est vide alors que la latitude est renseignée/,
    );
    const onlyLongitude = normalize({ longitude: '1.9', latitude: ' ' });
    assert.equal(onlyLongitude.errors[0]?.field, 'latitude');
  });

  it('reports required fields and position errors of the same row together', () => {
    const result = normalize({ nom: '', commune: '', latitude: 'nord', longitude: '' });
    assert.deepEqual(result.errors.map((error) => error.field).sort(), [
      'commune',
      'latitude',
      'longitude',
      'nom',
    ]);
  });

  it('keeps the warnings of a refused row for the report', () => {
    const result = normalize({ nom: '', pivot: '' });
    assert.equal(result.place, null);
    assert.equal(warningsOn(result, 'pivot').length, 1);
  });
});

describe('normalizePlaceRow: position', () => {
  it('reads numbers from JSON, strings with a point or a French comma, and an exponent', () => {
    assert.equal(accepted({ latitude: 47.9029, longitude: 1.9039 }).place.latitude, 47.9029);
    const comma = accepted({ latitude: '47,9029', longitude: ' 1,9039 ' }).place;
    assert.deepEqual([comma.latitude, comma.longitude], [47.9029, 1.9039]);
    assert.equal(accepted({ latitude: '4.79029e1', longitude: '1e-7' }).place.longitude, 1e-7);
  });

  it('accepts a place without position, not approximate', () => {
    const { place } = accepted();
    assert.equal(place.latitude, null);
    assert.equal(place.longitude, null);
    assert.equal(place.positionApproximate, false);
  });
});

describe('normalizePlaceRow: identity and plain text', () => {
  it('keeps the id as given, only trimmed, as sourceId', () => {
    assert.equal(accepted({ id: '  Lieu 01  ' }).place.sourceId, 'Lieu 01');
    assert.equal(accepted({ id: 42 }).place.sourceId, '42');
  });

  it('puts the row source in NormalizedRow.source, and null when absent', () => {
    assert.equal(normalize({ source: ' Hubik ' }).source, 'Hubik');
    assert.equal(normalize().source, null);
  });

  it('keeps HTML as plain text, escaping being the views’ job', () => {
    const { place, result } = accepted({
      nom: '<script>alert(1)</script> Médiathèque',
      presentation_detail: '<b>Bienvenue</b> & bonjour',
    });
    assert.equal(place.nom, '<script>alert(1)</script> Médiathèque');
    assert.equal(place.presentationDetail, '<b>Bienvenue</b> & bonjour');
    assert.deepEqual(result.warnings, []);
  });

  it('trims every value and joins the lines of one-line fields', () => {
    const { place } = accepted({ nom: '  Espace\n  numérique ', complement_adresse: '  2e étage ' });
    assert.equal(place.nom, 'Espace numérique');
    assert.equal(place.complementAdresse, '2e étage');
  });

  it('warns about a structured value where a text is expected, and ignores it', () => {
    const { place, result } = accepted({ structure_parente: { nom: 'Ville' } });
    assert.equal(place.structureParente, null);
    assert.equal(warningsOn(result, 'structure_parente').length, 1);
  });
});

describe('normalizePlaceRow: pivot, dates and codes', () => {
  it('replaces a missing pivot by 00000000000000, with a warning', () => {
    const { place, result } = accepted({ pivot: '' });
    assert.equal(place.pivot, PIVOT_PLACEHOLDER);
    assert.equal(warningsOn(result, 'pivot').length, 1);
  });

  it('replaces an invalid pivot by 00000000000000, with a warning naming the value', () => {
    const { place, result } = accepted({ pivot: '4.34933E+13' });
    assert.equal(place.pivot, PIVOT_PLACEHOLDER);
    const [warning] = warningsOn(result, 'pivot');
    assert.equal(warning?.value, '4.34933E+13');
    assert.match(warning?.message ?? '', /« 4\.34933E\+13 »/);
  });

  it('accepts a SIRET written with spaces and an RNA number without warning', () => {
    assert.equal(accepted({ pivot: '434 933 123 00029' }).place.pivot, '43493312300029');
    const rna = accepted({ pivot: 'W123456789' });
    assert.equal(rna.place.pivot, 'W123456789');
    assert.deepEqual(rna.result.warnings, []);
  });

  it('normalises ISO dates, ISO timestamps and DD/MM/YYYY to YYYY-MM-DD', () => {
    assert.equal(accepted({ date_maj: '2024-04-02' }).place.dateMaj, '2024-04-02');
    assert.equal(accepted({ date_maj: '2024-04-02T23:30:00+02:00' }).place.dateMaj, '2024-04-02');
    assert.equal(accepted({ date_maj: '2024-04-02T08:00:00.000Z' }).place.dateMaj, '2024-04-02');
    assert.equal(accepted({ date_maj: '02/04/2024' }).place.dateMaj, '2024-04-02');
    assert.equal(accepted({ date_maj: '2/4/2024' }).place.dateMaj, '2024-04-02');
  });

  it('warns and keeps no date when date_maj is missing or unparsable', () => {
    for (const value of ['', 'hier', '2024-02-30', '31/13/2024', 45383]) {
      const { place, result } = accepted({ date_maj: value });
      assert.equal(place.dateMaj, null, String(value));
      assert.equal(warningsOn(result, 'date_maj').length, 1, String(value));
    }
  });

  it('warns and keeps no date when date_maj is before 2000 or in the future', () => {
    for (const value of ['1999-12-31', '2025-06-10', '01/01/2099']) {
      const { place, result } = accepted({ date_maj: value });
      assert.equal(place.dateMaj, null, value);
      assert.match(warningsOn(result, 'date_maj')[0]?.message ?? '', /invraisemblable/, value);
    }
    assert.equal(accepted({ date_maj: '2000-01-01' }).place.dateMaj, '2000-01-01');
    assert.equal(accepted({ date_maj: '2025-06-01' }).place.dateMaj, '2025-06-01');
  });

  it('normalises postcodes: spaces removed, leading zero restored, numbers read', () => {
    assert.equal(accepted({ code_postal: '45 000' }).place.codePostal, '45000');
    assert.equal(accepted({ code_postal: '1000' }).place.codePostal, '01000');
    assert.equal(accepted({ code_postal: 1000 }).place.codePostal, '01000');
    assert.equal(accepted({ code_postal: '97200' }).place.codePostal, '97200');
  });

  it('normalises INSEE codes, and warns and drops one not matching the schema', () => {
    assert.equal(accepted({ code_insee: '2a004' }).place.codeInsee, '2A004');
    assert.equal(accepted({ code_insee: '1001' }).place.codeInsee, '01001');
    const { place, result } = accepted({ code_insee: '20000' });
    // Dropped, then derived from postcode and commune like an absent code.
    assert.equal(place.codeInsee, '45234');
    assert.equal(warningsOn(result, 'code_insee')[0]?.value, '20000');
  });
});

describe('normalizePlaceRow: contacts', () => {
  it('normalises French phone numbers to the schema form', () => {
    const cases: [unknown, string][] = [
      ['02 38 00 00 00', '+33238000000'],
      ['0238000000', '+33238000000'],
      ['02.38.00.00.00', '+33238000000'],
      ['02-38-00-00-00', '+33238000000'],
      ['+33 2 38 00 00 00', '+33238000000'],
      ['+33 (0)2 38 00 00 00', '+33238000000'],
      ['+33 02 38 00 00 00', '+33238000000'],
      ['0033 2 38 00 00 00', '+33238000000'],
      ['238000000', '+33238000000'],
      [238000000, '+33238000000'],
      ['06 12 34 56 78', '+33612345678'],
    ];
    for (const [input, expected] of cases) {
      const { place, result } = accepted({ telephone: input });
      assert.equal(place.telephone, expected, String(input));
      assert.deepEqual(result.warnings, [], String(input));
    }
  });

  it('keeps overseas country codes, and gives overseas national numbers theirs', () => {
    assert.equal(accepted({ telephone: '+590 590 12 34 56' }).place.telephone, '+590590123456');
    assert.equal(accepted({ telephone: '+262 262 12 34 56' }).place.telephone, '+262262123456');
    assert.equal(accepted({ telephone: '+687 12 34 56' }).place.telephone, '+687123456');
    assert.equal(accepted({ telephone: '0590 12 34 56' }).place.telephone, '+590590123456');
    assert.equal(accepted({ telephone: '0692 12 34 56' }).place.telephone, '+262692123456');
  });

  it('warns and keeps no phone when it cannot be read', () => {
    for (const value of ['3949', 'voir site', '+44 20 7946 0958', '02 38 00']) {
      const { place, result } = accepted({ telephone: value });
      assert.equal(place.telephone, null, value);
      assert.equal(warningsOn(result, 'telephone')[0]?.value, value);
    }
  });

  it('keeps the first of several numbers, with a warning', () => {
    const { place, result } = accepted({ telephone: '02 38 00 00 00 / 06 12 34 56 78' });
    assert.equal(place.telephone, '+33238000000');
    assert.match(warningsOn(result, 'telephone')[0]?.message ?? '', /seul le numéro \+33238000000/);
    assert.equal(accepted({ telephone: '02 38 00 00 00 (accueil)' }).result.warnings.length, 1);
  });

  it('splits e-mails on |, ; and , and lowercases their domain only', () => {
    const { place, result } = accepted({
      courriels: 'Contact@Exemple.FR; accueil@mairie.fr, x@y.org|contact@exemple.fr',
    });
    assert.deepEqual(place.courriels, [
      'Contact@exemple.fr',
      'accueil@mairie.fr',
      'x@y.org',
      'contact@exemple.fr',
    ]);
    assert.deepEqual(result.warnings, []);
  });

  it('reads e-mails written with a name, mailto: or in an array', () => {
    assert.deepEqual(accepted({ courriels: 'Accueil <accueil@mairie.fr>' }).place.courriels, [
      'accueil@mairie.fr',
    ]);
    assert.deepEqual(accepted({ courriels: 'mailto:a@b.fr' }).place.courriels, ['a@b.fr']);
    assert.deepEqual(accepted({ courriels: ['a@b.fr', 'c@d.fr'] }).place.courriels, ['a@b.fr', 'c@d.fr']);
  });

  it('drops invalid e-mails, one warning each', () => {
    const { place, result } = accepted({ courriels: 'a@b.fr|pas-une-adresse|x@@y.fr|z@localhost' });
    assert.deepEqual(place.courriels, ['a@b.fr']);
    assert.deepEqual(
      warningsOn(result, 'courriels').map((warning) => warning.value),
      ['pas-une-adresse', 'x@@y.fr', 'z@localhost'],
    );
  });

  it('adds https:// to web addresses without a scheme and splits them on |, ; and spaces', () => {
    const { place, result } = accepted({
      site_web: 'www.exemple.fr|http://a.fr/x ; https://b.fr/?q=1 c.org',
    });
    assert.deepEqual(place.siteWeb, [
      'https://www.exemple.fr',
      'http://a.fr/x',
      'https://b.fr/?q=1',
      'https://c.org',
    ]);
    assert.deepEqual(result.warnings, []);
  });

  it('drops invalid web addresses, one warning each, including dangerous schemes', () => {
    const { place, result } = accepted({
      site_web: 'https://ok.fr|javascript:alert(1)|pasunsite|mailto:a@b.fr',
    });
    assert.deepEqual(place.siteWeb, ['https://ok.fr']);
    assert.deepEqual(
      warningsOn(result, 'site_web').map((warning) => warning.value),
      ['javascript:alert(1)', 'pasunsite', 'mailto:a@b.fr'],
    );
  });

  it('normalises the acceslibre and appointment links the same way', () => {
    const { place, result } = accepted({
      fiche_acces_libre: 'acceslibre.beta.gouv.fr/app/x',
      prise_rdv: 'rdv ici',
    });
    assert.equal(place.ficheAccesLibre, 'https://acceslibre.beta.gouv.fr/app/x');
    assert.equal(place.priseRdv, null);
    assert.equal(warningsOn(result, 'prise_rdv').length, 1);
  });
});

describe('normalizePlaceRow: presentation and hours', () => {
  const longResume = `${'Un accompagnement gratuit pour vos démarches en ligne. '.repeat(6)}Fin.`;

  it('cuts a resume over 280 characters at a word boundary, ending with …, with a warning', () => {
    assert.ok(longResume.length > 280);
    const { place, result } = accepted({ presentation_resume: longResume });
    const resume = place.presentationResume ?? '';
    assert.ok(Array.from(resume).length <= 280);
    assert.ok(resume.endsWith('…'));
    const kept = resume.slice(0, -1);
    assert.ok(longResume.startsWith(kept));
    assert.match(longResume.slice(kept.length), /^[\s.,;:]/, 'the cut falls between words');
    assert.equal(warningsOn(result, 'presentation_resume').length, 1);
  });

  it('keeps the full resume at the head of the detail, separated by a blank line', () => {
    assert.equal(accepted({ presentation_resume: longResume }).place.presentationDetail, longResume);
    const withDetail = accepted({ presentation_resume: longResume, presentation_detail: 'Sur rendez-vous.' });
    assert.equal(withDetail.place.presentationDetail, `${longResume}\n\nSur rendez-vous.`);
    const already = accepted({
      presentation_resume: longResume,
      presentation_detail: `${longResume} Et plus.`,
    });
    assert.equal(already.place.presentationDetail, `${longResume} Et plus.`);
  });

  it('counts characters, not UTF-16 units, and leaves a resume of exactly 280 untouched', () => {
    const exact = 'é'.repeat(270) + ' '.repeat(1) + '😀'.repeat(9);
    assert.equal(Array.from(exact).length, 280);
    const { place, result } = accepted({ presentation_resume: exact });
    assert.equal(place.presentationResume, exact);
    assert.deepEqual(result.warnings, []);
  });

  it('hard-cuts a resume made of one endless word', () => {
    const { place } = accepted({ presentation_resume: 'a'.repeat(400) });
    assert.equal(place.presentationResume, `${'a'.repeat(279)}…`);
  });

  it('keeps OpenStreetMap hours as written, rewrites French ones with a warning naming the rewrite', () => {
    const valid = accepted({ horaires: 'Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00' });
    assert.equal(valid.place.horaires, 'Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00');
    assert.deepEqual(valid.result.warnings, []);
    for (let attempt = 0; attempt < 2; attempt++) {
      const french = accepted({ horaires: 'Lundi au vendredi de 9h à 12h' });
      assert.equal(french.place.horaires, 'Mo-Fr 09:00-12:00');
      const [warning] = warningsOn(french.result, 'horaires');
      assert.equal(warningsOn(french.result, 'horaires').length, 1, 'the memoised result warns too');
      assert.equal(warning?.row, 2);
      assert.match(
        warning?.message ?? '',
        /« Lundi au vendredi de 9h à 12h » ont été réécrits .*« Mo-Fr 09:00-12:00 »/,
      );
    }
  });

  it('leaves out hours it cannot understand, with a warning naming them', () => {
    const vague = accepted({ horaires: 'Lundi au vendredi 9h à 12h (sauf vacances scolaires)' });
    assert.equal(vague.place.horaires, null);
    assert.match(
      warningsOn(vague.result, 'horaires')[0]?.message ?? '',
      /« Lundi au vendredi 9h à 12h \(sauf vacances scolaires\) ».*ne sont pas enregistrés/,
    );
  });
});

describe('normalizePlaceRow: lists of values', () => {
  it('splits |-joined strings and accepts JSON arrays, without duplicates', () => {
    const fromString = accepted({
      services: 'Aide aux démarches administratives | Loisirs et créations numériques',
    });
    const fromArray = accepted({
      services: [
        'Aide aux démarches administratives',
        'Loisirs et créations numériques',
        'Loisirs et créations numériques',
      ],
    });
    assert.deepEqual(fromString.place.services, [
      'Aide aux démarches administratives',
      'Loisirs et créations numériques',
    ]);
    assert.deepEqual(fromArray.place.services, fromString.place.services);
  });

  it('also splits listed values on ;, as the schema README writes them', () => {
    const { place, result } = accepted({
      frais_a_charge: 'Gratuit;Payant',
      modalites_acces: ['Se présenter; Téléphoner'],
    });
    assert.deepEqual(place.fraisACharge, ['Gratuit', 'Payant']);
    assert.deepEqual(place.modalitesAcces, ['Se présenter', 'Téléphoner']);
    assert.deepEqual(result.warnings, []);
  });

  it('has no listed value containing a separator', () => {
    const all = [
      SERVICES,
      TYPOLOGIES,
      PUBLICS,
      PRISE_EN_CHARGE,
      FRAIS,
      DISPOSITIFS,
      FORMATIONS_LABELS,
      MODALITES_ACCES,
      MODALITES_ACCOMPAGNEMENT,
      ITINERANCE,
    ].flat();
    for (const value of all) assert.doesNotMatch(value, /[|;]/, value);
  });

  it('drops unknown values with a warning naming field and value, keeping the others', () => {
    const { place, result } = accepted({ frais_a_charge: 'Gratuit|Sur devis', typologie: 'ASSO|XYZ' });
    assert.deepEqual(place.fraisACharge, ['Gratuit']);
    assert.deepEqual(place.typologie, ['ASSO']);
    const [frais] = warningsOn(result, 'frais_a_charge');
    assert.equal(frais?.value, 'Sur devis');
    assert.match(frais?.message ?? '', /« Sur devis ».*« frais_a_charge »/);
    assert.equal(warningsOn(result, 'typologie')[0]?.value, 'XYZ');
  });

  it('recognises values whatever their case, accents or typographic apostrophes', () => {
    const { place, result } = accepted({
      frais_a_charge: 'gratuit',
      publics_specifiquement_adresses: 'Etudiants',
      services: 'Comprehension du monde numérique',
      dispositif_programmes_nationaux: 'Point d’accès numérique CAF',
      typologie: 'autre|tiers_lieux',
    });
    assert.deepEqual(place.fraisACharge, ['Gratuit']);
    assert.deepEqual(place.publicsSpecifiquementAdresses, ['Étudiants']);
    assert.deepEqual(place.services, ['Compréhension du monde numérique']);
    assert.deepEqual(place.dispositifProgrammesNationaux, ["Point d'accès numérique CAF"]);
    assert.deepEqual(place.typologie, ['Autre', 'TIERS_LIEUX']);
    assert.deepEqual(result.warnings, []);
  });

  it('recognises every value of every list as itself', () => {
    const lists: [string, readonly string[], keyof PlaceData][] = [
      ['services', SERVICES, 'services'],
      ['typologie', TYPOLOGIES, 'typologie'],
      ['publics_specifiquement_adresses', PUBLICS, 'publicsSpecifiquementAdresses'],
      ['prise_en_charge_specifique', PRISE_EN_CHARGE, 'priseEnChargeSpecifique'],
      ['frais_a_charge', FRAIS, 'fraisACharge'],
      ['dispositif_programmes_nationaux', DISPOSITIFS, 'dispositifProgrammesNationaux'],
      ['formations_labels', FORMATIONS_LABELS, 'formationsLabels'],
      ['modalites_acces', MODALITES_ACCES, 'modalitesAcces'],
      ['modalites_accompagnement', MODALITES_ACCOMPAGNEMENT, 'modalitesAccompagnement'],
      ['itinerance', ITINERANCE, 'itinerance'],
    ];
    for (const [field, values, key] of lists) {
      const { place, result } = accepted({ [field]: values.join('|') });
      assert.deepEqual(place[key], [...values], field);
      assert.deepEqual(result.warnings, [], field);
    }
  });

  it('has the official numbers of values', () => {
    assert.equal(SERVICES.length, 9);
    assert.equal(TYPOLOGIES.length, 92);
    assert.equal(FORMATIONS_LABELS.length, 10);
    assert.equal(DISPOSITIFS.length, 11);
    assert.equal(ITINERANCE.length, 2);
  });

  it('moves unknown formations into autres_formations_labels, with a warning', () => {
    const { place, result } = accepted({
      formations_labels: 'ORDI 3.0|Label Numérique Inclusif',
      autres_formations_labels: 'Label et la bête',
    });
    assert.deepEqual(place.formationsLabels, ['ORDI 3.0']);
    assert.deepEqual(place.autresFormationsLabels, ['Label et la bête', 'Label Numérique Inclusif']);
    const [warning] = warningsOn(result, 'formations_labels');
    assert.equal(warning?.value, 'Label Numérique Inclusif');
    assert.match(warning?.message ?? '', /autres_formations_labels/);
  });

  it('accepts both spellings of Étapes numériques and stores the spaced one', () => {
    for (const spelling of [
      'Étapes numériques (La Poste)',
      'Étapes numériques(La Poste)',
      'etapes numeriques ( la poste )',
    ]) {
      const { place, result } = accepted({ formations_labels: spelling });
      assert.deepEqual(place.formationsLabels, [ETAPES_NUMERIQUES], spelling);
      assert.deepEqual(result.warnings, [], spelling);
    }
  });
});

/** A place with every field filled, as normalizePlaceRow produces it. */
function fullPlace(): PlaceData {
  return {
    sourceId: 'lieu-42',
    pivot: '43493312300029',
    nom: 'Médiathèque <Jean-Zay>',
    commune: 'Saint-Jean-de-Braye',
    codePostal: '45800',
    codeInsee: '45284',
    adresse: '12 bis rue de la Paix',
    complementAdresse: '2e étage, porte "B"',
    latitude: 47.91234,
    longitude: 1.0000001,
    positionApproximate: false,
    typologie: ['BIB', 'MUNI'],
    telephone: '+33238000000',
    courriels: ['accueil@mairie.fr', 'Jean.Dupont@exemple.fr'],
    siteWeb: ['https://www.exemple.fr/', 'https://m.facebook.com/x/'],
    horaires: 'Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00',
    presentationResume: 'Aide gratuite, avec ou sans rendez-vous.',
    presentationDetail: 'Première ligne.\n\nDeuxième paragraphe ; avec, des | séparateurs.',
    itinerance: ['Fixe'],
    structureParente: 'Ville de Saint-Jean-de-Braye',
    dateMaj: '2024-04-02',
    services: [...SERVICES],
    publicsSpecifiquementAdresses: [...PUBLICS],
    priseEnChargeSpecifique: [...PRISE_EN_CHARGE],
    fraisACharge: [...FRAIS],
    dispositifProgrammesNationaux: [...DISPOSITIFS],
    formationsLabels: [...FORMATIONS_LABELS],
    autresFormationsLabels: ['Label et la bête', 'Autre label'],
    modalitesAcces: [...MODALITES_ACCES],
    modalitesAccompagnement: [...MODALITES_ACCOMPAGNEMENT],
    ficheAccesLibre: 'https://acceslibre.beta.gouv.fr/app/45/erp/mediatheque/',
    priseRdv: 'https://www.rdv-solidarites.fr/',
  };
}

describe('placeToSchemaRow', () => {
  it('writes every schema field as a string, lists joined with |', () => {
    const row = placeToSchemaRow(fullPlace(), 'export-1', 'Réseau 45');
    assert.deepEqual(Object.keys(row), [...SCHEMA_FIELDS]);
    for (const field of SCHEMA_FIELDS) assert.equal(typeof row[field], 'string', field);
    assert.equal(row.id, 'export-1');
    assert.equal(row.source, 'Réseau 45');
    assert.equal(row.typologie, 'BIB|MUNI');
    assert.equal(row.courriels, 'accueil@mairie.fr|Jean.Dupont@exemple.fr');
    assert.equal(row.latitude, '47.91234');
  });

  it('writes numbers as plain decimals, never with an exponent', () => {
    const row = placeToSchemaRow({ ...fullPlace(), latitude: 1e-7, longitude: -1.5e-9 }, 'x', 's');
    assert.equal(row.latitude, '0.0000001');
    assert.equal(row.longitude, '-0.0000000015');
    assert.equal(placeToSchemaRow({ ...fullPlace(), latitude: 0, longitude: -90 }, 'x', 's').latitude, '0');
  });

  it('writes absent values as empty strings', () => {
    // A commune that cannot be found leaves the INSEE code absent too.
    const { place } = accepted({ commune: 'Nulle-Part', code_postal: '99999' });
    const row = placeToSchemaRow(place, 'x', 's');
    for (const field of [
      'code_insee',
      'latitude',
      'longitude',
      'telephone',
      'services',
      'horaires',
      'prise_rdv',
    ] as const) {
      assert.equal(row[field], '', field);
    }
  });

  it('writes Étapes numériques without the space, as the schema pattern demands', () => {
    const row = placeToSchemaRow(
      { ...fullPlace(), formationsLabels: [ETAPES_NUMERIQUES, 'ORDI 3.0'] },
      'x',
      's',
    );
    assert.equal(row.formations_labels, `${ETAPES_NUMERIQUES_EXPORT}|ORDI 3.0`);
  });

  it('cuts a long resume at export and keeps its full text in the detail', () => {
    const resume = 'mot '.repeat(100).trim();
    const row = placeToSchemaRow(
      { ...fullPlace(), presentationResume: resume, presentationDetail: 'Détail.' },
      'x',
      's',
    );
    assert.ok(Array.from(row.presentation_resume).length <= 280);
    assert.ok(row.presentation_resume.endsWith('mot…'));
    assert.equal(row.presentation_detail, `${resume}\n\nDétail.`);
  });

  it('leaves out values the schema would refuse', () => {
    const row = placeToSchemaRow(
      {
        ...fullPlace(),
        services: ['Inventé', 'Loisirs et créations numériques'],
        pivot: 'x',
        telephone: 'n/a',
        codeInsee: '99',
      },
      'x',
      's',
    );
    assert.equal(row.services, 'Loisirs et créations numériques');
    assert.equal(row.pivot, PIVOT_PLACEHOLDER);
    assert.equal(row.telephone, '');
    assert.equal(row.code_insee, '');
  });

  it('gives the place back when its export is imported again (round trip)', () => {
    const place = fullPlace();
    const row = placeToSchemaRow(place, place.sourceId, 'Réseau 45');
    const result = normalizePlaceRow(row, 2, NOW);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.place, place);
    assert.equal(result.source, 'Réseau 45');
  });
});

describe('placeContentHash', () => {
  it('is a sha1 hex, the same for the same data whatever the key order', () => {
    const place = fullPlace();
    const reordered = Object.fromEntries(Object.entries(place).reverse()) as unknown as PlaceData;
    assert.match(placeContentHash(place), /^[0-9a-f]{40}$/);
    assert.equal(placeContentHash(reordered), placeContentHash(place));
  });

  it('changes when any field changes, and ignores properties that are not PlaceData', () => {
    const place = fullPlace();
    const hash = placeContentHash(place);
    assert.notEqual(placeContentHash({ ...place, nom: 'Autre' }), hash);
    assert.notEqual(placeContentHash({ ...place, positionApproximate: true }), hash);
    assert.notEqual(placeContentHash({ ...place, services: [...place.services].reverse() }), hash);
    assert.equal(placeContentHash({ ...place, extra: 1 } as PlaceData), hash);
  });

  it('is the sha1 of the JSON of every field, keys sorted, absent values as null (stored hashes never change)', () => {
    const sorted = (place: PlaceData) =>
      JSON.stringify(
        Object.fromEntries(
          Object.keys(place)
            .sort()
            .map((key) => [key, place[key as keyof PlaceData] ?? null]),
        ),
      );
    const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
    const full = fullPlace();
    const sparse: PlaceData = {
      ...full,
      codeInsee: null,
      latitude: null,
      longitude: null,
      telephone: null,
      courriels: [],
      horaires: null,
      dateMaj: null,
      nom: 'Quote " backslash \\ tab \t emoji 😀 lone \ud800 accent é',
    };
    for (const place of [full, sparse]) assert.equal(placeContentHash(place), sha1(sorted(place)));
    // Hashes stored by earlier versions (computed by the implementation of 2025, before its rewrite).
    assert.equal(
      placeContentHash({ ...full, nom: 'Médiathèque' }),
      '9f79df97675e5c0a895ea03f83efa98d296b1995',
    );
  });
});

describe('describeTypology', () => {
  it('gives the French label of a code, and the code itself when unknown', () => {
    assert.equal(describeTypology('BIB'), 'Bibliothèque / Médiathèque');
    assert.equal(describeTypology('Autre'), 'Autre');
    assert.equal(describeTypology('ZZZ'), 'ZZZ');
    assert.equal(Object.keys(TYPOLOGY_LABELS).length, TYPOLOGIES.length);
  });
});

describe('the kinds of places and structures in French', () => {
  it('gives every national code one clean label, all different, while exports keep the code', async () => {
    const { TYPOLOGY_FRENCH_LABELS } = await import('./schema-values.ts');
    assert.deepEqual(Object.keys(TYPOLOGY_FRENCH_LABELS).sort(), [...TYPOLOGIES].sort());
    const labels = Object.values(TYPOLOGY_FRENCH_LABELS);
    assert.equal(
      new Set(labels.map((l) => l.toLowerCase())).size,
      labels.length,
      'no two kinds read the same',
    );
    for (const label of labels) {
      assert.doesNotMatch(label, /^[\s\-–—]/, `no stray hyphen: ${label}`);
      assert.doesNotMatch(label, /\bdef\b|publique numérique|de Commune\b/, `no typo: ${label}`);
    }
    // The upstream list has these defects; the labels shown do not.
    assert.match(TYPOLOGY_LABELS.CSAPA ?? '', /^- /);
    assert.equal(TYPOLOGY_LABELS.EA, TYPOLOGY_LABELS.EATT);
    assert.equal(
      describeTypology('CSAPA'),
      'Centre de soins, d’accompagnement et de prévention en addictologie',
    );
    assert.equal(describeTypology('EATT'), 'Entreprise adaptée de travail temporaire');
    assert.equal(describeTypology('ESS'), 'Entreprise de l’économie sociale et solidaire');
    assert.equal(describeTypology('INCONNU'), 'INCONNU');
  });
});
