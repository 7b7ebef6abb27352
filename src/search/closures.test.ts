import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Place } from '../places/places.service.ts';
import { compileOpeningHours, openingStatus, regionOf } from './opening.ts';
import { PlaceIndex } from './search.ts';

// Tests run with TZ=UTC (set by the runner), like the server: instants below are real UTC instants.
const paris = regionOf('45234', '45000');
const HOURS = 'Mo-Fr 09:00-12:00,14:00-17:00';
const AUGUST = [{ startsOn: '2025-08-01', endsOn: '2025-08-15' }];
const at = (iso: string, closures = AUGUST, hours: string | null = HOURS) =>
  openingStatus(hours ? compileOpeningHours(hours, paris) : null, paris.timeZone, new Date(iso), closures);

function place(id: string, horaires: string | null): Place {
  return {
    id,
    source: 'test',
    updatedAt: new Date(0),
    sourceId: id,
    pivot: '00000000000000',
    nom: `Lieu ${id}`,
    commune: 'Orléans',
    codePostal: '45000',
    codeInsee: '45234',
    adresse: '1 rue du Test',
    complementAdresse: null,
    latitude: 47.9,
    longitude: 1.9,
    positionApproximate: false,
    typologie: [],
    telephone: null,
    courriels: [],
    siteWeb: [],
    horaires,
    presentationResume: null,
    presentationDetail: null,
    itinerance: [],
    structureParente: null,
    dateMaj: null,
    services: [],
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
  };
}

describe('temporary closures in "open now"', () => {
  it('closes a place on every day of its closure, both ends included, whatever its weekly hours', () => {
    // Friday 1 August 2025, 10 h in Paris (08:00 UTC): a weekday the place is normally open.
    assert.equal(at('2025-08-01T08:00:00Z').openNow, false, 'first day');
    assert.deepEqual(at('2025-08-01T08:00:00Z').today, [], 'closed all day');
    assert.equal(at('2025-08-15T08:00:00Z').openNow, false, 'last day');
    assert.equal(at('2025-07-31T08:00:00Z').openNow, true, 'the day before');
    assert.equal(at('2025-08-18T08:00:00Z').openNow, true, 'the Monday after');
  });

  it('says when the place opens again after the closure', () => {
    // Tuesday 5 August: the next opening is Monday 18 August (the 16th and 17th are a weekend).
    assert.equal(at('2025-08-05T08:00:00Z').nextOpening, 'lundi 18 août à 9 h');
  });

  it('closes a place without known hours during its closure, and leaves it unknown otherwise', () => {
    assert.equal(at('2025-08-05T08:00:00Z', AUGUST, null).openNow, false);
    assert.equal(at('2025-09-05T08:00:00Z', AUGUST, null).openNow, null);
  });

  it('keeps closed places out of the "open now" filter and lists the closures still to come', () => {
    const index = new PlaceIndex(
      [place('a', HOURS), place('b', HOURS)],
      new Map([['a', [{ startsOn: '2025-08-01', endsOn: '2025-08-15', reason: 'Congés' }]]]),
    );
    const during = new Date('2025-08-05T08:00:00Z');
    const open = index.search({ filters: { openNow: true }, offset: 0, limit: 10 }, during);
    assert.deepEqual(
      open.hits.map((h) => h.place.id),
      ['b'],
    );
    const all = index.search({ offset: 0, limit: 10 }, new Date('2025-07-20T08:00:00Z'));
    assert.deepEqual(all.hits.find((h) => h.place.id === 'a')?.closures, [
      { startsOn: '2025-08-01', endsOn: '2025-08-15', reason: 'Congés' },
    ]);
    assert.deepEqual(index.closures('a', new Date('2025-08-20T08:00:00Z')), [], 'over: no longer shown');
  });
});
