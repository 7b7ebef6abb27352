import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileHours, describeWeek, groupWeek, rewriteFrenchHours } from './hours.ts';

describe('rewriteFrenchHours', () => {
  const cases: [string, string][] = [
    ['lundi 9h-12h et 14h-17h', 'Mo 09:00-12:00,14:00-17:00'],
    ['9h-12h et 14h-17h du lundi au vendredi', 'Mo-Fr 09:00-12:00,14:00-17:00'],
    ['du lundi au vendredi de 9h à 12h', 'Mo-Fr 09:00-12:00'],
    ['Du Mardi au Samedi : 9h30 à 13h', 'Tu-Sa 09:30-13:00'],
    ['Mardi : 15h à18h30 Mercredi : 9h30 à 12h30', 'Tu 15:00-18:30; We 09:30-12:30'],
    [
      'Lundi, mercredi, jeudi : 10h -12h30 / 14h - 18h Mardi, vendredi : 14h - 18h',
      'Mo,We,Th 10:00-12:30,14:00-18:00; Tu,Fr 14:00-18:00',
    ],
    [
      'Lundi, Mercredi, Jeudi et Vendredi de 9 à 12h et de 14 à 18h30 Mardi de 14 à 18h30',
      'Mo,We-Fr 09:00-12:00,14:00-18:30; Tu 14:00-18:30',
    ],
    [
      'Lundi au jeudi : 9h à 12h et 14h à 17h, vendredi : 9h à 12h',
      'Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00',
    ],
    ['samedi 09:00-12:00', 'Sa 09:00-12:00'],
    ['Dimanche de 20h à 0h', 'Su 20:00-24:00'],
  ];
  for (const [french, osm] of cases) {
    it(`rewrites « ${french} » as « ${osm} », which opening_hours accepts`, () => {
      assert.equal(rewriteFrenchHours(french), osm);
      assert.ok(compileHours(osm));
    });
  }

  const failures = [
    'Du lundi au vendredi, de 8h30 à 17h, sur rendez-vous uniquement',
    '9h à 12h / 13h à 17h (17h30 le mercredi)',
    '9h à 12h, 14h à 17h',
    'Lundi et Jeudi : 14h à 17h30 Vendredi : 9h à 12h30 à 14h à 16h30',
    'Lundi au vendredi : 9h à 18h Lundi : 14h à 16h',
    'Vendredi au lundi 9h-12h',
    'Lundi 12h-9h',
    'Lundi 25h-26h',
    'Ligne Irigo N° 6, 11 - arrêt les Deniers',
    '',
  ];
  for (const text of failures) {
    it(`does not rewrite « ${text} » (says more than days and times, or pairs them unclearly)`, () => {
      assert.equal(rewriteFrenchHours(text), null);
    });
  }
});

describe('an ordinary week with days of the same hours said once', () => {
  const grouped = (osm: string) =>
    groupWeek(describeWeek(osm)?.days ?? []).map((g) => `${g.days} : ${g.ranges.join(' et ') || 'fermé'}`);

  it('groups days next to each other that share their hours', () => {
    assert.deepEqual(grouped('Mo-Th 09:30-12:00,14:00-17:00; Fr 09:30-12:00'), [
      'du lundi au jeudi : 9 h 30 – 12 h et 14 h – 17 h',
      'vendredi : 9 h 30 – 12 h',
      'samedi et dimanche : fermé',
    ]);
    assert.deepEqual(grouped('Mo,We,Fr 10:00-12:00'), [
      'lundi : 10 h – 12 h',
      'mardi : fermé',
      'mercredi : 10 h – 12 h',
      'jeudi : fermé',
      'vendredi : 10 h – 12 h',
      'samedi et dimanche : fermé',
    ]);
    assert.deepEqual(grouped('Mo-Su 00:00-24:00'), ['du lundi au dimanche : 0 h – 24 h']);
  });
});
