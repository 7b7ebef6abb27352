import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formFields } from '../../test/support/place-edit-fixtures.ts';
import { gridToOsm, osmToGrid, parseTimeInput } from './hours-grid.ts';
import { formatClosurePeriod, parseDateInput } from './place-dates.ts';
import { changedKeys, closuresOnlyReduceOffer, mergeProposal, type PlaceValues } from './place-edit.ts';
import { diffRows } from './place-edit-diff.ts';
import { checkEditForm, closureFieldId, formOfValues, gridFieldId, readEditForm } from './place-edit-form.ts';

const TODAY = '2025-06-10';

function values(overrides: Partial<PlaceValues> = {}): PlaceValues {
  return {
    nom: 'Médiathèque Madeleine',
    pivot: '21450234500017',
    commune: 'Orléans',
    code_postal: '45000',
    code_insee: '45234',
    adresse: '1 place Gambetta',
    complement_adresse: null,
    latitude: 47.9029,
    longitude: 1.9039,
    position_approximate: false,
    typologie: ['BIB'],
    telephone: '+33238000000',
    courriels: ['contact@exemple.fr'],
    site_web: ['https://exemple.fr'],
    horaires: 'Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00',
    presentation_resume: 'Aide au numérique.',
    presentation_detail: null,
    itinerance: ['Fixe'],
    structure_parente: null,
    services: ['Aide aux démarches administratives'],
    publics_specifiquement_adresses: [],
    prise_en_charge_specifique: [],
    frais_a_charge: ['Gratuit'],
    dispositif_programmes_nationaux: [],
    formations_labels: [],
    autres_formations_labels: [],
    modalites_acces: ['Se présenter'],
    modalites_accompagnement: ['Accompagnement individuel'],
    fiche_acces_libre: null,
    prise_rdv: null,
    closures: [],
    ...overrides,
  };
}

describe('the weekly grid of opening hours', () => {
  it('writes OSM hours grouping the days that share their hours, with PH off', () => {
    const grid = [
      [
        ['09:00', '12:00'],
        ['14:00', '17:00'],
      ],
      [
        ['09:00', '12:00'],
        ['14:00', '17:00'],
      ],
      [],
      [
        ['09:00', '12:00'],
        ['14:00', '17:00'],
      ],
      [
        ['09:00', '12:00'],
        ['14:00', '17:00'],
      ],
      [['10:00', '12:00']],
      [],
    ] as [string, string][][];
    assert.equal(
      gridToOsm({ grid, holidaysClosed: true }),
      'Mo-Tu,Th-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off',
    );
    assert.equal(gridToOsm({ grid: [[], [], [], [], [], [], []], holidaysClosed: false }), null);
  });

  it('reads back the hours it writes, and ordinary hours with overriding rules', () => {
    for (const osm of ['Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00', 'Mo,We,Fr 14:00-18:00; PH off']) {
      const grid = osmToGrid(osm);
      assert.ok(grid, osm);
      assert.equal(gridToOsm(grid), osm);
    }
    // Written differently, the same week: Tuesday, Thursday and Friday share their hours.
    const other = osmToGrid('Tu 14:00-18:00; We 10:00-12:00,14:00-18:00; Th-Fr 14:00-18:00; Sa 10:00-17:00');
    assert.ok(other);
    assert.equal(gridToOsm(other), 'Tu,Th-Fr 14:00-18:00; We 10:00-12:00,14:00-18:00; Sa 10:00-17:00');
    // A later rule replaces an earlier one for its days: Wednesday is only the morning.
    const g = osmToGrid('Tu-Fr 13:30-18:00; We 09:30-12:00');
    assert.deepEqual(g?.grid[2], [['09:30', '12:00']]);
    assert.deepEqual(g?.grid[1], [['13:30', '18:00']]);
  });

  it('keeps hours the grid cannot say (alternating weeks, months, comments, 3 ranges)', () => {
    for (const osm of [
      'week 1-53/2 Tu 09:00-12:00',
      'Jan-Jun Mo 09:00-12:00',
      'Mo 09:00-12:00 "sur rendez-vous"',
      'Mo 08:00-10:00,11:00-12:00,14:00-16:00',
      '24/7',
      'PH off; Mo 09:00-12:00',
    ]) {
      assert.equal(osmToGrid(osm), null, osm);
    }
  });

  it('reads times as people write them', () => {
    assert.equal(parseTimeInput('9'), '09:00');
    assert.equal(parseTimeInput('9h30'), '09:30');
    assert.equal(parseTimeInput('9 h 30'), '09:30');
    assert.equal(parseTimeInput('14:05'), '14:05');
    assert.equal(parseTimeInput('24:00'), '24:00');
    assert.equal(parseTimeInput('25h'), null);
    assert.equal(parseTimeInput('midi'), null);
    assert.equal(parseTimeInput('24:30'), null);
  });
});

describe('dates of temporary closures', () => {
  it('says the period in plain French, with the year only when it is not this year', () => {
    assert.equal(formatClosurePeriod('2025-08-01', '2025-08-15', TODAY), 'du 1er au 15 août');
    assert.equal(formatClosurePeriod('2025-07-28', '2025-08-03', TODAY), 'du 28 juillet au 3 août');
    assert.equal(formatClosurePeriod('2025-07-14', '2025-07-14', TODAY), 'le 14 juillet');
    assert.equal(
      formatClosurePeriod('2025-12-20', '2026-01-05', TODAY),
      'du 20 décembre 2025 au 5 janvier 2026',
    );
  });

  it('reads ISO and French dates, and refuses impossible ones', () => {
    assert.equal(parseDateInput('2025-08-01'), '2025-08-01');
    assert.equal(parseDateInput('1/8/2025'), '2025-08-01');
    assert.equal(parseDateInput('31/02/2025'), null);
    assert.equal(parseDateInput('demain'), null);
  });
});

describe('the edit form', () => {
  it('gives back exactly the values it was filled with', () => {
    const v = values({ closures: [{ starts_on: '2025-08-01', ends_on: '2025-08-15', reason: 'Congés' }] });
    const checked = checkEditForm(readEditForm(formFields(formOfValues(v, TODAY))), TODAY);
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    const { latitude, longitude } = checked.position;
    assert.deepEqual(
      changedKeys(v, {
        ...checked.values,
        pivot: v.pivot,
        latitude,
        longitude,
        position_approximate: false,
      }),
      [],
    );
  });

  it('names the field and the value typed for every kind of mistake', () => {
    const form = formOfValues(values(), TODAY);
    form.text.nom = '';
    form.text.presentation_resume = 'x'.repeat(281);
    form.text.code_postal = '45A00';
    form.text.latitude = 'nord';
    form.text.longitude = '200';
    form.text.telephone = '12';
    form.text.courriels = 'contact@exemple.fr, pas-une-adresse';
    form.text.site_web = 'javascript:alert(1)';
    form.grid[0] = ['25h', '12:00', '', ''];
    form.grid[1] = ['14:00', '09:00', '', ''];
    form.grid[2] = ['09:00', '12:00', '11:00', '13:00'];
    form.closures[0] = { debut: '2025-08-15', fin: '2025-08-01', motif: '', retirer: false };
    form.closures[1] = { debut: '2024-01-01', fin: '2024-01-02', motif: '', retirer: false };
    form.choices.services = ['Réparer des vélos'];
    const checked = checkEditForm(form, TODAY);
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    const e = checked.errors;
    assert.match(e.nom ?? '', /Nom du lieu : ce champ est obligatoire/);
    assert.match(e.presentation_resume ?? '', /Présentation courte : 281 caractères.*280/);
    assert.match(e.code_postal ?? '', /« 45A00 ».*5 chiffres/);
    assert.match(e.latitude ?? '', /Latitude : « nord » n'est pas un nombre/);
    assert.match(e.longitude ?? '', /Longitude : « 200 » est hors limites/);
    assert.match(e.telephone ?? '', /Téléphone : « 12 »/);
    assert.match(e.courriels ?? '', /« pas-une-adresse »/);
    assert.match(e.site_web ?? '', /« javascript:alert\(1\) »/);
    assert.match(e[gridFieldId(0, 0)] ?? '', /Lundi, 1re plage : « 25h » n'est pas une heure/);
    assert.match(
      e[gridFieldId(1, 1)] ?? '',
      /Mardi.*fermeture \(09:00\) doit être après l'ouverture \(14:00\)/,
    );
    assert.match(e[gridFieldId(2, 2)] ?? '', /Mercredi, 2e plage.*après la fin de la 1re plage \(12:00\)/);
    assert.match(
      e[closureFieldId(0, 'fin')] ?? '',
      /Fermeture n° 1 : le dernier jour \(1er août 2025\) est avant/,
    );
    assert.match(
      e[closureFieldId(1, 'fin')] ?? '',
      /Fermeture n° 2 : elle se termine le 2 janvier 2024, une date déjà passée/,
    );
    assert.match(e.services ?? '', /« Réparer des vélos »/);
  });

  it('checks advanced OSM hours with the opening_hours library, in French', () => {
    const form = formOfValues(values({ horaires: 'week 1-53/2 Tu 09:00-12:00' }), TODAY);
    assert.equal(form.hoursMode, 'avance', 'hours the grid cannot say are edited as text');
    form.text.horaires_osm = 'lundi 9h-12h';
    const bad = checkEditForm(form, TODAY);
    assert.ok(!bad.ok);
    assert.match(
      bad.errors.horaires_osm ?? '',
      /Horaires au format OpenStreetMap : « lundi 9h-12h » n'est pas valide. Vouliez-vous écrire « Mo 09:00-12:00 » \?/,
    );
    form.text.horaires_osm = 'week 1-53/2 Tu 09:00-12:00; PH off';
    const good = checkEditForm(form, TODAY);
    assert.ok(good.ok);
    assert.equal(good.values.horaires, 'week 1-53/2 Tu 09:00-12:00; PH off');
  });

  it('takes a one-day closure without its last day, and drops a closure marked to remove', () => {
    const form = formOfValues(
      values({ closures: [{ starts_on: '2025-07-01', ends_on: '2025-07-02', reason: null }] }),
      TODAY,
    );
    assert.equal(form.closures.length, 3, 'one closure and two blank rows');
    (form.closures[0] as { retirer: boolean }).retirer = true;
    form.closures[1] = { debut: '14/07/2025', fin: '', motif: 'Fête nationale', retirer: false };
    const checked = checkEditForm(form, TODAY);
    assert.ok(checked.ok);
    assert.deepEqual(checked.values.closures, [
      { starts_on: '2025-07-14', ends_on: '2025-07-14', reason: 'Fête nationale' },
    ]);
  });
});

describe('comparing versions for the coordinator', () => {
  it('applies only what the proposer changed, over what changed meanwhile', () => {
    const base = values();
    const proposed = values({ telephone: '+33238111111' });
    const current = values({ nom: 'Médiathèque Madeleine (renommée par un import)' });
    const merged = mergeProposal(current, base, proposed);
    assert.equal(merged.telephone, '+33238111111');
    assert.equal(merged.nom, 'Médiathèque Madeleine (renommée par un import)');
  });

  it('lists every schema field, marks changes in words and compares lists item by item', () => {
    const current = values();
    const proposed = values({
      services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'],
      frais_a_charge: [],
    });
    const rows = diffRows(current, proposed, {
      id: 'demo-1',
      source: 'demo',
      dateMaj: '2024-01-01',
      proposedDateMaj: TODAY,
    });
    assert.equal(rows.length, 33, '32 schema fields and the position flag');
    const services = rows.find((r) => r.field === 'services');
    assert.deepEqual(services?.added, ['Loisirs et créations numériques']);
    assert.deepEqual(services?.removed, []);
    assert.deepEqual(rows.find((r) => r.field === 'frais_a_charge')?.removed, ['Gratuit']);
    assert.equal(rows.find((r) => r.field === 'nom')?.changed, false);
    assert.equal(rows.find((r) => r.field === 'date_maj')?.changed, true);
    assert.deepEqual(rows.find((r) => r.field === 'typologie')?.current, [
      'Bibliothèque / Médiathèque (BIB)',
    ]);
  });
});

describe('closures that only reduce the offer (public at once)', () => {
  const c = (starts_on: string, ends_on: string, reason: string | null = null) => ({
    starts_on,
    ends_on,
    reason,
  });
  const today = '2026-03-10';
  it('takes a new, a longer or a reworded closure as reducing the offer', () => {
    assert.equal(closuresOnlyReduceOffer([], [c('2026-03-12', '2026-03-15')], today), true);
    assert.equal(
      closuresOnlyReduceOffer([c('2026-03-12', '2026-03-15')], [c('2026-03-11', '2026-03-20')], today),
      true,
    );
    assert.equal(
      closuresOnlyReduceOffer(
        [c('2026-03-12', '2026-03-15')],
        [c('2026-03-12', '2026-03-15', 'Travaux')],
        today,
      ),
      true,
    );
    // Two adjacent closures cover one longer closure.
    assert.equal(
      closuresOnlyReduceOffer(
        [c('2026-03-12', '2026-03-20')],
        [c('2026-03-12', '2026-03-15'), c('2026-03-16', '2026-03-20')],
        today,
      ),
      true,
    );
    // Days already past do not count: a running closure may be cut at its start.
    assert.equal(
      closuresOnlyReduceOffer([c('2026-03-01', '2026-03-15')], [c('2026-03-10', '2026-03-16')], today),
      true,
    );
  });

  it('keeps waiting a closure shortened or removed, and says nothing changed when nothing did', () => {
    assert.equal(
      closuresOnlyReduceOffer([c('2026-03-12', '2026-03-15')], [c('2026-03-12', '2026-03-14')], today),
      false,
    );
    assert.equal(closuresOnlyReduceOffer([c('2026-03-12', '2026-03-15')], [], today), false);
    assert.equal(
      closuresOnlyReduceOffer(
        [c('2026-03-12', '2026-03-20')],
        [c('2026-03-12', '2026-03-15'), c('2026-03-17', '2026-03-20')],
        today,
      ),
      false,
      'a day opened in the middle',
    );
    assert.equal(
      closuresOnlyReduceOffer([c('2026-03-12', '2026-03-15')], [c('2026-03-12', '2026-03-15')], today),
      false,
    );
  });
});
