import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distance } from 'geokdbush';
import type { Place } from '../places/places.service.ts';
import { matchNeeds, NEEDS, needBySlug } from './needs.ts';
import { PlaceIndex } from './search.ts';
import { SERVICE_VALUES } from './vocabulary.ts';

let n = 0;
function place(overrides: Partial<Place>): Place {
  n++;
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    source: 'test',
    sourceId: String(n),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    pivot: '00000000000000',
    nom: `Lieu ${n}`,
    commune: 'Orléans',
    codePostal: '45000',
    codeInsee: '45234',
    adresse: '1 rue A',
    complementAdresse: null,
    latitude: 47.9,
    longitude: 1.9,
    positionApproximate: false,
    typologie: [],
    telephone: null,
    courriels: [],
    siteWeb: [],
    horaires: null,
    presentationResume: null,
    presentationDetail: null,
    itinerance: [],
    structureParente: null,
    dateMaj: '2026-01-01',
    services: ['Accès internet et matériel informatique'],
    publicsSpecifiquementAdresses: [],
    priseEnChargeSpecifique: [],
    fraisACharge: [],
    dispositifProgrammesNationaux: [],
    formationsLabels: [],
    autresFormationsLabels: [],
    modalitesAcces: [],
    modalitesAccompagnement: [],
    ficheAccesLibre: null,
    priseRdv: null,
    ...overrides,
  };
}

const monday10 = new Date('2025-02-03T09:00:00Z'); // Monday 10:00 in Paris

describe('the search index', () => {
  it('returns places nearest first, a page at a time, and says when more follow', () => {
    const places = [0.3, 0.1, 0.2, 0.05, 0.4].map((d, i) =>
      place({ nom: `P${i}`, latitude: 47.9 + d, longitude: 1.9 }),
    );
    const index = new PlaceIndex(places);
    const first = index.search({ origin: { lat: 47.9, lon: 1.9 }, offset: 0, limit: 2 }, monday10);
    assert.deepEqual(
      first.hits.map((h) => h.place.nom),
      ['P3', 'P1'],
    );
    assert.equal(first.hasMore, true);
    assert.ok(
      (first.hits[0]?.distanceM ?? 0) > 5000 && (first.hits[0]?.distanceM ?? 0) < 6000,
      'about 5.6 km',
    );
    const last = index.search({ origin: { lat: 47.9, lon: 1.9 }, offset: 4, limit: 2 }, monday10);
    assert.deepEqual(
      last.hits.map((h) => h.place.nom),
      ['P4'],
    );
    assert.equal(last.hasMore, false);
    const near = index.search(
      { origin: { lat: 47.9, lon: 1.9 }, radiusKm: 12, offset: 0, limit: 10 },
      monday10,
    );
    assert.equal(near.hits.length, 2, 'only within 12 km');
  });

  it('gives the same metres as geokdbush, from mainland France to overseas and across the antimeridian', () => {
    // A seeded spread of places and origins: the index computes distances with cosines kept per place.
    let seed = 20260601;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const spots = [
      { lat: 46, lon: 2, spread: 8 },
      { lat: -21.1, lon: 55.5, spread: 0.5 },
      { lat: -17.6, lon: -179.9, spread: 0.4 },
    ];
    const places = Array.from({ length: 600 }, (_, i) => {
      const spot = spots[i % spots.length] as (typeof spots)[number];
      return place({
        latitude: spot.lat + (random() - 0.5) * spot.spread,
        longitude: spot.lon + (random() - 0.5) * spot.spread,
      });
    });
    const index = new PlaceIndex(places);
    for (let k = 0; k < 60; k++) {
      const spot = spots[k % spots.length] as (typeof spots)[number];
      const origin = {
        lat: spot.lat + (random() - 0.5) * spot.spread,
        lon: spot.lon + (random() - 0.5) * spot.spread,
      };
      for (const hit of index.search({ origin, offset: 0, limit: 25 }, monday10).hits) {
        const expected = Math.round(
          distance(origin.lon, origin.lat, hit.place.longitude as number, hit.place.latitude as number) *
            1000,
        );
        assert.equal(hit.distanceM, expected);
      }
    }
  });

  it('matches a need by its services or its national programmes, and applies every filter', () => {
    const caf = place({
      nom: 'Point CAF',
      services: [],
      dispositifProgrammesNationaux: ["Point d'accès numérique CAF"],
    });
    const demarches = place({
      nom: 'Démarches',
      services: ['Aide aux démarches administratives'],
      fraisACharge: ['Gratuit'],
    });
    const paid = place({
      nom: 'Payant',
      services: ['Aide aux démarches administratives'],
      fraisACharge: ['Payant'],
      publicsSpecifiquementAdresses: ['Seniors'],
    });
    const open = place({
      nom: 'Ouvert',
      horaires: 'Mo-Fr 09:00-17:00',
      priseEnChargeSpecifique: ['Surdité'],
      modalitesAccompagnement: ['Accompagnement individuel'],
    });
    const index = new PlaceIndex([caf, demarches, paid, open]);
    const names = (criteria: Parameters<PlaceIndex['search']>[0]) =>
      index
        .search(criteria, monday10)
        .hits.map((h) => h.place.nom)
        .sort();
    assert.deepEqual(names({ need: needBySlug('caf'), offset: 0, limit: 10 }), [
      'Démarches',
      'Payant',
      'Point CAF',
    ]);
    assert.deepEqual(names({ need: needBySlug('caf'), filters: { free: true }, offset: 0, limit: 10 }), [
      'Démarches',
    ]);
    assert.deepEqual(names({ filters: { publics: ['Seniors'] }, offset: 0, limit: 10 }), ['Payant']);
    assert.deepEqual(names({ filters: { openNow: true }, offset: 0, limit: 10 }), ['Ouvert']);
    assert.deepEqual(
      names({
        filters: { support: ['Surdité'], accompaniment: ['Accompagnement individuel'] },
        offset: 0,
        limit: 10,
      }),
      ['Ouvert'],
    );
    assert.deepEqual(names({ service: 'Aide aux démarches administratives', offset: 0, limit: 10 }), [
      'Démarches',
      'Payant',
    ]);
  });

  it("tells when an itinerant service passes next, and today's hours", () => {
    const bus = place({ nom: 'Bus', itinerance: ['Itinérant'], horaires: 'Tu 09:30-12:00' });
    const [hit] = new PlaceIndex([bus]).search({ offset: 0, limit: 1 }, monday10).hits;
    assert.equal(hit?.itinerant, true);
    assert.equal(hit?.openNow, false);
    assert.deepEqual(hit?.today, []);
    assert.equal(hit?.nextOpening, 'mardi 4 février à 9 h 30');
  });

  it('has about 25 everyday needs, each leading to national services', () => {
    assert.ok(NEEDS.length >= 22 && NEEDS.length <= 30);
    assert.equal(new Set(NEEDS.map((x) => x.slug)).size, NEEDS.length);
    for (const need of NEEDS) {
      assert.ok(need.services.length > 0, need.slug);
      for (const s of need.services) assert.ok(SERVICE_VALUES.includes(s), `${need.slug}: ${s}`);
      assert.ok(need.falc.length > 0 && need.label.length > 0);
    }
    assert.equal(matchNeeds('Pôle emploi')[0]?.slug, 'france-travail');
    assert.ok(matchNeeds('imprimer').some((x) => x.slug === 'imprimer'));
  });
});
