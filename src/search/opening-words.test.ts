import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepUnits } from '../shared/format.ts';
import { compileOpeningHours, openingStatus, regionOf } from './opening.ts';
import { describeOpening } from './opening-words.ts';
import { searchStrings } from './strings.ts';

// Tests run with TZ=UTC (set by the runner), like the server: instants below are real UTC instants.
const paris = regionOf('45234', '45000');
const NBSP = '\u00a0';
const line = (hours: string | null, iso: string, falc = false, inClosure = false) => {
  const status = openingStatus(
    hours ? compileOpeningHours(hours, paris) : null,
    paris.timeZone,
    new Date(iso),
  );
  const words = describeOpening(searchStrings(falc), status, { inClosure });
  return [words.lead, words.rest].filter(Boolean).join(' · ').replaceAll(NBSP, ' ');
};

const OFFICE = 'Mo-Fr 08:30-12:00,13:30-17:00; PH off';

describe('the opening of a place, said once', () => {
  // Monday 2025-02-03 is an ordinary Monday; Paris is UTC+1 in winter.
  const cases: Array<{ what: string; hours: string | null; at: string; normal: string; falc: string }> = [
    {
      what: 'open now, closing later',
      hours: OFFICE,
      at: '2025-02-03T09:00:00Z', // Monday 10 h
      normal: "Ouvert maintenant · jusqu'à 12 h",
      falc: 'Ouvert en ce moment · ferme à 12 h',
    },
    {
      what: 'closes soon (30 minutes or less)',
      hours: OFFICE,
      at: '2025-02-03T15:40:00Z', // Monday 16 h 40
      normal: 'Ouvert maintenant · ferme bientôt, à 17 h',
      falc: 'Ouvert en ce moment · ferme bientôt, à 17 h',
    },
    {
      what: 'closed for lunch, opens again today',
      hours: OFFICE,
      at: '2025-02-03T11:30:00Z', // Monday 12 h 30
      normal: "Fermé maintenant · ouvre aujourd'hui à 13 h 30",
      falc: "Fermé en ce moment · ouvre aujourd'hui à 13 h 30",
    },
    {
      what: 'closed for the evening, opens tomorrow',
      hours: OFFICE,
      at: '2025-02-03T18:00:00Z', // Monday 19 h
      normal: "Fermé pour aujourd'hui · ouvre demain à 8 h 30",
      falc: "Fermé pour aujourd'hui · ouvre demain à 8 h 30",
    },
    {
      what: 'closed today (Saturday), opens on Monday',
      hours: OFFICE,
      at: '2025-02-08T10:00:00Z', // Saturday 11 h
      normal: "Fermé aujourd'hui · ouvre lundi à 8 h 30",
      falc: "Fermé aujourd'hui · ouvre lundi à 8 h 30",
    },
    {
      what: 'closed on a public holiday, opens the next day',
      hours: OFFICE,
      at: '2025-07-14T08:00:00Z', // Monday 14 July, 10 h
      normal: "Fermé aujourd'hui · ouvre demain à 8 h 30",
      falc: "Fermé aujourd'hui · ouvre demain à 8 h 30",
    },
    {
      what: 'opens in more than a week: the date is said',
      hours: 'Mo 09:00-12:00; 2025 Feb 03-2025 Feb 16 off',
      at: '2025-02-03T09:00:00Z', // Monday 10 h, closed two weeks
      normal: "Fermé aujourd'hui · ouvre lundi 17 février à 9 h",
      falc: "Fermé aujourd'hui · ouvre le lundi 17 février à 9 h",
    },
    {
      what: 'unknown hours',
      hours: null,
      at: '2025-02-03T09:00:00Z',
      normal: 'Horaires non communiqués : appelez avant de venir.',
      falc: 'Nous ne connaissons pas les horaires. Appelez avant de venir.',
    },
    {
      what: 'unreadable hours are unknown hours',
      hours: 'le matin sauf quand il pleut',
      at: '2025-02-03T09:00:00Z',
      normal: 'Horaires non communiqués : appelez avant de venir.',
      falc: 'Nous ne connaissons pas les horaires. Appelez avant de venir.',
    },
  ];
  for (const c of cases) {
    it(`${c.what}: « ${c.normal} »`, () => {
      assert.equal(line(c.hours, c.at), c.normal);
      assert.equal(line(c.hours, c.at, true), c.falc);
    });
  }

  it('says a temporary closure (holidays) as "fermé en ce moment" and when it opens again', () => {
    const hours = OFFICE;
    const closures = [{ startsOn: '2025-08-04', endsOn: '2025-08-15' }];
    const status = openingStatus(
      compileOpeningHours(hours, paris),
      paris.timeZone,
      new Date('2025-08-05T08:00:00Z'),
      closures,
    );
    const said = (falc: boolean) => {
      const w = describeOpening(searchStrings(falc), status, { inClosure: true });
      return `${w.lead} · ${w.rest}`.replaceAll(NBSP, ' ');
    };
    assert.equal(said(false), 'Fermé en ce moment · rouvre lundi 18 août à 8 h 30');
    assert.equal(said(true), 'Fermé en ce moment · ouvre à nouveau le lundi 18 août à 8 h 30');
  });

  it('never says the same thing twice, nor "Fermé toute la journée"', () => {
    for (const c of cases) {
      for (const text of [line(c.hours, c.at), line(c.hours, c.at, true)]) {
        assert.doesNotMatch(text, /toute la journée/);
        const parts = text.split(' · ');
        assert.equal(new Set(parts).size, parts.length, text);
      }
    }
  });

  it('keeps times with their units: no line break inside "8 h 30"', () => {
    const status = openingStatus(
      compileOpeningHours(OFFICE, paris),
      paris.timeZone,
      new Date('2025-02-08T10:00:00Z'),
    );
    const rest = describeOpening(searchStrings(false), status).rest ?? '';
    assert.match(rest, /8\u00a0h\u00a030/);
    assert.doesNotMatch(rest, /\d h|h \d/);
  });
});

describe('numbers kept with their units', () => {
  it('joins a number and its unit with a non-breaking space, and leaves words alone', () => {
    assert.equal(keepUnits('9 h 30 – 12 h'), `9${NBSP}h${NBSP}30${NBSP}–${NBSP}12${NBSP}h`);
    assert.equal(
      keepUnits('9 h – 12 h et 14 h – 17 h'),
      `9${NBSP}h${NBSP}–${NBSP}12${NBSP}h et 14${NBSP}h${NBSP}–${NBSP}17${NBSP}h`,
    );
    assert.equal(keepUnits('à 2 km, 800 m, 5 €'), `à 2${NBSP}km, 800${NBSP}m, 5${NBSP}€`);
    assert.equal(keepUnits('à 3 kilomètres'), `à 3${NBSP}kilomètres`);
    assert.equal(
      keepUnits('Les 10 lieux, 2 marches, 45000 Orléans'),
      'Les 10 lieux, 2 marches, 45000 Orléans',
    );
    assert.equal(keepUnits('24 h sur 24'), `24${NBSP}h sur 24`);
  });
});
