import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDates,
  checkRegistration,
  checkUrl,
  checkWorkshop,
  parsePrice,
  priceWords,
} from './workshops.ts';

const NOW = new Date('2026-12-07T09:00:00Z');

describe('the agenda’s checks (pure)', () => {
  it('reads prices as people write them, free by default', () => {
    assert.deepEqual(
      ['', 'gratuit', '0', '5', '2,50 €', '2.5', '10 euros', '-2', 'cinq', '1,999'].map(parsePrice),
      [0, 0, 0, 500, 250, 250, 1000, null, null, null],
    );
    assert.deepEqual([priceWords(0), priceWords(250), priceWords(500)], ['Gratuit', '2,50 €', '5 €']);
  });

  it('accepts http(s) links only', () => {
    assert.deepEqual(checkUrl('https://visio.example.org/atelier?x=1'), {
      url: 'https://visio.example.org/atelier?x=1',
    });
    assert.deepEqual(checkUrl('HTTP://Example.org'), { url: 'http://example.org/' });
    for (const bad of [
      'mailto:a@example.org',
      'javascript:alert(1)',
      'data:text/html,x',
      '//example.org',
      'https://',
      '',
    ])
      assert.ok('error' in checkUrl(bad), bad);
  });

  it('never throws on malformed input: every odd value becomes a message', () => {
    const odd = {
      title: 42,
      needs: 'caf',
      themes: [null],
      capacity: { n: 3 },
      price: {},
      mode: 'place',
      placeId: 7,
      level: {},
    } as never;
    const r = checkWorkshop(odd);
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['capacity', 'level', 'price', 'themes']);
    assert.deepEqual(checkDates('2027-01-01' as never, NOW), {
      ok: false,
      errors: { dates: 'Ajoutez au moins une date.' },
    });
    assert.ok(!checkDates([null, { startsAt: 3 }] as never, NOW).ok);
    assert.ok(
      !checkRegistration({ firstName: [] as never, phone: {} as never }, { contactOptional: false }).ok,
    );
    const long = checkRegistration(
      { firstName: 'Ana', email: `${'a'.repeat(250)}@example.org` },
      { contactOptional: false },
    );
    assert.ok(!long.ok && long.errors.email);
  });

  it('takes a series whatever the order typed, refusing the same start twice', () => {
    const r = checkDates(
      [
        { startsAt: '2027-01-12 14h00', endsAt: '16h00' },
        { startsAt: '2027-01-05T14:00', endsAt: '2027-01-05T16:30' },
      ],
      NOW,
    );
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.map((d) => d.startsAt.toISOString()),
      ['2027-01-05T13:00:00.000Z', '2027-01-12T13:00:00.000Z'],
    );
    const twice = checkDates(
      [
        { startsAt: '2027-01-05T14:00', endsAt: '16:00' },
        { startsAt: '2027-01-05 14:00', endsAt: '17:00' },
      ],
      NOW,
    );
    assert.ok(!twice.ok && /Date 2 : cette date est déjà/.test(twice.errors.dates ?? ''));
    const long = checkDates([{ startsAt: '2027-01-05T14:00', endsAt: '2027-01-06T15:00' }], NOW);
    assert.ok(!long.ok && /24 heures/.test(long.errors.dates ?? ''));
  });
});
