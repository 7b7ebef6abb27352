import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Place } from '../places/places.ts';
import {
  producerId,
  STRUCTURE_FIELDS,
  serializeRecordsCsv,
  toServices,
  toStructure,
} from './data-inclusion.ts';

const OPTIONS = { source: 'reseau-du-loiret', publicUrl: 'https://annuaire.example.org/' };

function place(overrides: Partial<Place> = {}): Place {
  return {
    id: '0b9f7b0e-4c55-4a54-8d8e-2f1f6f3a5e10',
    source: 'demo',
    updatedAt: new Date('2026-04-02T09:00:00Z'),
    sourceId: 'lieu-1',
    pivot: '13003013300016',
    nom: 'Médiathèque Maurice Genevoix',
    commune: 'Orléans',
    codePostal: '45000',
    codeInsee: '45234',
    adresse: '1 place Gambetta',
    complementAdresse: null,
    latitude: 47.9,
    longitude: 1.9,
    positionApproximate: false,
    typologie: ['BIB'],
    telephone: '02 38 00 00 01',
    courriels: ['contact@example.org'],
    siteWeb: ['https://example.org/mediatheque'],
    horaires: 'Tu-Sa 10:00-18:00',
    presentationResume: 'Des postes en accès libre.',
    presentationDetail: null,
    itinerance: ['Fixe'],
    structureParente: null,
    dateMaj: '2026-03-01',
    services: ['Aide aux démarches administratives', 'Accès internet et matériel informatique'],
    publicsSpecifiquementAdresses: ['Seniors'],
    priseEnChargeSpecifique: ['Handicaps moteurs', 'Illettrisme'],
    fraisACharge: ['Gratuit'],
    dispositifProgrammesNationaux: ['France Services', 'Certification PIX'],
    formationsLabels: [],
    autresFormationsLabels: [],
    modalitesAcces: ['Se présenter', 'Téléphoner', 'Prendre un RDV en ligne'],
    modalitesAccompagnement: ['Accompagnement individuel'],
    ficheAccesLibre: null,
    priseRdv: 'https://rdv.example.org/mediatheque',
    ...overrides,
  };
}

describe('Maillage’s places as data·inclusion records', () => {
  it('makes a place a structure: producer-qualified id, link to its public sheet, SIRET, E.164 phone, networks', () => {
    const s = toStructure({ place: place(), exportId: 'lieu-1' }, OPTIONS);
    assert.equal(s.id, 'reseau-du-loiret--lieu-1');
    assert.equal(s.source, 'reseau-du-loiret');
    assert.equal(s.lien_source, 'https://annuaire.example.org/lieux/0b9f7b0e-4c55-4a54-8d8e-2f1f6f3a5e10');
    assert.equal(s.siret, '13003013300016');
    assert.equal(s.telephone, '+33238000001');
    assert.deepEqual(s.reseaux_porteurs, ['france-service']);
    assert.equal(s.description, 'Des postes en accès libre.');
    assert.equal(s.date_maj, '2026-03-01');
  });

  it('leaves out the zero SIRET and a SIRET with a bad checksum, and dates a record without date_maj by our copy', () => {
    for (const pivot of ['00000000000000', '13003013300017'])
      assert.equal(toStructure({ place: place({ pivot }), exportId: 'x' }, OPTIONS).siret, null, pivot);
    assert.equal(
      toStructure({ place: place({ dateMaj: null }), exportId: 'x' }, OPTIONS).date_maj,
      '2026-04-02',
    );
  });

  it('makes one service per national service, typed and themed, with the place’s publics, fees and ways in', () => {
    const services = toServices({ place: place(), exportId: 'lieu-1' }, OPTIONS);
    assert.deepEqual(
      services.map((s) => [s.id, s.type, s.thematiques]),
      [
        [
          'reseau-du-loiret--lieu-1--demarches-administratives',
          'accompagnement',
          [
            'numerique--acceder-a-des-services-en-ligne',
            'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives',
          ],
        ],
        [
          'reseau-du-loiret--lieu-1--acces-internet-materiel',
          'aide-materielle',
          ['numerique--acceder-a-une-connexion-internet'],
        ],
      ],
    );
    const [first] = services;
    assert.ok(first);
    assert.equal(first.structure_id, 'reseau-du-loiret--lieu-1');
    assert.deepEqual(first.publics, ['seniors', 'personnes-en-situation-de-handicap']);
    assert.equal(first.publics_precisions, 'Prise en charge spécifique : Handicaps moteurs, Illettrisme.');
    assert.equal(first.frais, 'gratuit');
    assert.equal(first.frais_precisions, null);
    assert.deepEqual(first.modes_mobilisation, ['se-presenter', 'telephoner', 'utiliser-lien-mobilisation']);
    assert.equal(first.lien_mobilisation, 'https://rdv.example.org/mediatheque');
    assert.deepEqual(first.mobilisable_par, ['usagers']);
    assert.deepEqual(first.modes_accueil, ['en-presentiel']);
    assert.equal(first.contact_nom_prenom, null);
    assert.match(first.description, /Proposé par Médiathèque Maurice Genevoix \(Orléans\)\.$/);
  });

  it('says "payant" only when nothing is free, and keeps "sous condition" in the precisions', () => {
    const fees = (fraisACharge: string[]) => {
      const [s] = toServices({ place: place({ fraisACharge }), exportId: 'x' }, OPTIONS);
      return [s?.frais, s?.frais_precisions];
    };
    assert.deepEqual(fees(['Payant']), ['payant', 'Payant']);
    assert.deepEqual(fees(['Gratuit sous condition']), ['gratuit', 'Gratuit sous condition']);
    assert.deepEqual(fees([]), [null, null]);
  });

  it('names the producer from the network’s name, and writes lists with | in the CSV', () => {
    assert.equal(producerId('Réseau numérique du Loiret'), 'reseau-numerique-du-loiret');
    assert.equal(producerId('   '), 'maillage');
    const csv = serializeRecordsCsv(
      [toStructure({ place: place(), exportId: 'x' }, OPTIONS)],
      STRUCTURE_FIELDS,
    );
    const [header, row] = csv.trim().split('\n');
    assert.equal(header, STRUCTURE_FIELDS.join(','));
    assert.match(row ?? '', /,france-service,/);
  });
});
