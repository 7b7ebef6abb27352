import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ActivityValues, beneficiaryRetainUntil, checkActivity } from './activities.ts';
import { checkCoordinationActivity } from './coordination.ts';
import { durationLabel, MAX_DURATION_MINUTES } from './vocabulary.ts';

const TODAY = '2026-06-15';
const PLACE = '3f1b6c2e-8d4a-4c5e-9b7a-0a1b2c3d4e5f';

/** The common case: an accompaniment at one of the structure's places. */
const individual = (over: Partial<ActivityValues> = {}): Partial<ActivityValues> => ({
  kind: 'individuel',
  date: '15/06/2026',
  duration: '30',
  placeKind: 'lieu_activite',
  placeId: PLACE,
  themes: ['email'],
  ...over,
});

const workshop = (over: Partial<ActivityValues> = {}): Partial<ActivityValues> => ({
  kind: 'collectif',
  date: '2026-06-10',
  duration: '90',
  placeKind: 'lieu_activite',
  placeId: PLACE,
  themes: ['securite_numerique'],
  workshopTitle: 'Se protéger des arnaques',
  participantsTotal: '8',
  ...over,
});

const errorsOf = (r: ReturnType<typeof checkActivity>) => (r.ok ? {} : r.errors);

describe('an activity record', () => {
  it('accepts the common accompaniment with an anonymous beneficiary counted once', () => {
    const r = checkActivity(individual(), TODAY);
    assert.ok(r.ok, JSON.stringify(errorsOf(r)));
    assert.equal(r.fields.date, '2026-06-15');
    assert.equal(r.fields.durationMinutes, 30);
    assert.equal(r.fields.placeId, PLACE);
    assert.deepEqual(r.fields.themes, ['email']);
    assert.equal(r.fields.participants.total, 1);
    assert.equal(r.fields.participants.gender.non_communique, 1);
    assert.equal(r.fields.participants.alreadyAccompanied, 0);
    assert.equal(r.fields.workshopTitle, null);
  });

  it('refuses a duration of 0, over 23 h 59, or not a number, naming the duration', () => {
    assert.match(
      errorsOf(checkActivity(individual({ duration: '0' }), TODAY)).duration ?? '',
      /au moins 1 minute/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ duration: String(MAX_DURATION_MINUTES + 1) }), TODAY)).duration ??
        '',
      /dépasse 23 h 59/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ duration: 'une heure' }), TODAY)).duration ?? '',
      /« une heure »/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ duration: '' }), TODAY)).duration ?? '',
      /Indiquez la durée/,
    );
  });

  it('takes a custom duration in hours and minutes, up to 23 h 59 and never 0', () => {
    const r = checkActivity(
      individual({ duration: 'personnaliser', durationHours: '23', durationMinutes: '59' }),
      TODAY,
    );
    assert.ok(r.ok);
    assert.equal(r.fields.durationMinutes, 1439);
    assert.match(
      errorsOf(checkActivity(individual({ duration: 'personnaliser', durationHours: '24' }), TODAY))
        .duration ?? '',
      /de 0 à 23/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ duration: 'personnaliser', durationMinutes: '60' }), TODAY))
        .duration ?? '',
      /de 0 à 59/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ duration: 'personnaliser' }), TODAY)).duration ?? '',
      /au moins 1/,
    );
  });

  it('refuses a date in the future, before 17/11/2020, or that is no date', () => {
    assert.match(
      errorsOf(checkActivity(individual({ date: '16/06/2026' }), TODAY)).date ?? '',
      /dans le futur/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ date: '16/11/2020' }), TODAY)).date ?? '',
      /17\/11\/2020/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ date: '31/02/2026' }), TODAY)).date ?? '',
      /n’est pas une date/,
    );
    assert.match(errorsOf(checkActivity(individual({ date: '' }), TODAY)).date ?? '', /Indiquez la date/);
  });

  it('refuses administrative themes without "aide aux démarches administratives", naming them', () => {
    const e = errorsOf(checkActivity(individual({ themes: ['email', 'logement', 'justice'] }), TODAY));
    assert.match(
      e.themes ?? '',
      /« Logement », « Justice » ne vont qu’avec « Aide aux démarches administratives »/,
    );
    const r = checkActivity(
      individual({
        themes: ['aide_aux_demarches_administratives', 'logement'],
        procedureDetails: 'Dossier APL',
      }),
      TODAY,
    );
    assert.ok(r.ok);
    assert.equal(r.fields.procedureDetails, 'Dossier APL');
    assert.match(
      errorsOf(checkActivity(individual({ procedureDetails: 'Dossier APL' }), TODAY)).procedureDetails ?? '',
      /qu’avec la thématique/,
    );
  });

  it('refuses no theme, an unknown theme, unknown equipment and "pas de matériel" with another', () => {
    assert.match(errorsOf(checkActivity(individual({ themes: [] }), TODAY)).themes ?? '', /au moins une/);
    assert.match(
      errorsOf(checkActivity(individual({ themes: ['cuisine'] }), TODAY)).themes ?? '',
      /« cuisine »/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ equipment: ['fax'] }), TODAY)).equipment ?? '',
      /« fax »/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ equipment: ['aucun', 'tablette'] }), TODAY)).equipment ?? '',
      /Pas de matériel/,
    );
  });

  it('maps the old type `demarche` to an individual record with "aide aux démarches administratives"', () => {
    const r = checkActivity(individual({ kind: 'demarche', themes: ['logement'] }), TODAY);
    assert.ok(r.ok, JSON.stringify(errorsOf(r)));
    assert.equal(r.fields.kind, 'individuel');
    assert.deepEqual(r.fields.themes, ['logement', 'aide_aux_demarches_administratives']);
  });

  it('requires the place by its kind: a place of the structure, a commune at home or elsewhere', () => {
    assert.match(
      errorsOf(checkActivity(individual({ placeId: '' }), TODAY)).placeId ?? '',
      /lieu d’activité/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ placeId: 'salle-3' }), TODAY)).placeId ?? '',
      /n’existe pas/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ placeKind: 'domicile', placeId: '' }), TODAY)).communeCode ?? '',
      /commune/,
    );
    assert.match(
      errorsOf(checkActivity(individual({ placeKind: 'autre', communeCode: 'Orléans' }), TODAY))
        .communeCode ?? '',
      /INSEE/,
    );
    const home = checkActivity(
      individual({ placeKind: 'domicile', placeId: '', communeCode: '45234' }),
      TODAY,
    );
    assert.ok(home.ok);
    assert.equal(home.fields.placeId, null);
    assert.ok(checkActivity(individual({ placeKind: 'a_distance', placeId: '' }), TODAY).ok);
    assert.match(
      errorsOf(checkActivity(individual({ placeKind: '' }), TODAY)).placeKind ?? '',
      /Choisissez le lieu/,
    );
  });

  it('keeps the redirection only when the person was oriented', () => {
    assert.match(
      errorsOf(checkActivity(individual({ redirection: 'aide_sociale' }), TODAY)).redirection ?? '',
      /répondez « oui »/,
    );
    const r = checkActivity(
      individual({ oriented: 'oui', redirection: 'aide_sociale', autonomy: 'autonome' }),
      TODAY,
    );
    assert.ok(r.ok);
    assert.equal(r.fields.oriented, true);
    assert.equal(r.fields.redirection, 'aide_sociale');
    assert.equal(r.fields.autonomy, 'autonome');
    assert.match(
      errorsOf(checkActivity(individual({ oriented: 'peut-être' }), TODAY)).oriented ?? '',
      /oui ou non/,
    );
  });

  it("describes the individual's anonymous beneficiary by the Coop's values", () => {
    const r = checkActivity(
      individual({
        gender: 'feminin',
        ageBand: 'soixante_dix_plus',
        socialStatus: 'retraite',
        alreadyAccompanied: 'oui',
      }),
      TODAY,
    );
    assert.ok(r.ok);
    assert.equal(r.fields.participants.gender.feminin, 1);
    assert.equal(r.fields.participants.ageBand.soixante_dix_plus, 1);
    assert.equal(r.fields.participants.socialStatus.retraite, 1);
    assert.equal(r.fields.participants.alreadyAccompanied, 1);
    assert.match(errorsOf(checkActivity(individual({ gender: 'autre' }), TODAY)).gender ?? '', /Genre/);
  });

  it('refuses the fields of a workshop on an accompaniment, and the reverse', () => {
    assert.match(
      errorsOf(checkActivity(individual({ workshopTitle: 'Atelier' }), TODAY)).workshopTitle ?? '',
      /atelier collectif/,
    );
    assert.match(
      errorsOf(checkActivity(workshop({ autonomy: 'autonome' }), TODAY)).autonomy ?? '',
      /accompagnement individuel/,
    );
    assert.match(
      errorsOf(checkActivity(workshop({ orientationId: PLACE }), TODAY)).orientationId ?? '',
      /accompagnement individuel/,
    );
  });

  it('counts a workshop’s anonymous participants, the rest of each breakdown being "non communiqué"', () => {
    const r = checkActivity(
      workshop({
        workshopLevel: 'debutant',
        participantsAlreadyAccompanied: '3',
        participantsGender: { feminin: '5', masculin: '2' },
        participantsAgeBand: { soixante_dix_plus: '8' },
      }),
      TODAY,
    );
    assert.ok(r.ok, JSON.stringify(errorsOf(r)));
    assert.equal(r.fields.participants.total, 8);
    assert.equal(r.fields.participants.gender.non_communique, 1);
    assert.equal(r.fields.participants.ageBand.non_communique, 0);
    assert.equal(r.fields.participants.socialStatus.non_communique, 8);
    assert.equal(r.fields.workshopLevel, 'debutant');
    assert.equal(r.fields.workshopTitle, 'Se protéger des arnaques');
  });

  it('refuses participant counts that do not add up, naming the breakdown', () => {
    const over = errorsOf(
      checkActivity(workshop({ participantsGender: { feminin: '6', masculin: '3' } }), TODAY),
    );
    assert.match(
      over.participantsGender ?? '',
      /Genre : la somme \(9\) dépasse le nombre de participants \(8\)/,
    );
    const notTotal = errorsOf(
      checkActivity(workshop({ participantsSocialStatus: { retraite: '2', non_communique: '2' } }), TODAY),
    );
    assert.match(
      notTotal.participantsSocialStatus ?? '',
      /ne correspond pas au nombre de participants \(8\)/,
    );
    const already = errorsOf(checkActivity(workshop({ participantsAlreadyAccompanied: '9' }), TODAY));
    assert.match(already.participantsAlreadyAccompanied ?? '', /plus que le nombre de participants/);
    assert.match(
      errorsOf(checkActivity(workshop({ participantsTotal: '0' }), TODAY)).participantsTotal ?? '',
      /au moins 1/,
    );
    assert.match(
      errorsOf(checkActivity(workshop({ participantsTotal: 'dix' }), TODAY)).participantsTotal ?? '',
      /« dix » n’est pas un nombre entier/,
    );
    assert.match(
      errorsOf(checkActivity(workshop({ participantsAgeBand: { centenaire: '1' } }), TODAY))
        .participantsAgeBand ?? '',
      /« centenaire »/,
    );
  });

  it('requires a kind it knows', () => {
    assert.match(errorsOf(checkActivity(individual({ kind: '' }), TODAY)).kind ?? '', /Choisissez le type/);
    assert.match(errorsOf(checkActivity(individual({ kind: 'visite' }), TODAY)).kind ?? '', /« visite »/);
  });
});

describe('durations and retention', () => {
  it('says durations as people do', () => {
    assert.deepEqual([15, 60, 90, 1439].map(durationLabel), ['15 min', '1 h', '1 h 30', '23 h 59']);
  });

  it('keeps an identified beneficiary 24 months after the last accompaniment, month ends kept', () => {
    assert.equal(beneficiaryRetainUntil('2026-06-15'), '2028-06-15');
    assert.equal(beneficiaryRetainUntil('2026-02-28', 12), '2027-02-28');
    assert.equal(beneficiaryRetainUntil('2027-08-31', 6), '2028-02-29');
  });
});

describe('a coordination activity', () => {
  it('accepts an animation with its duration, type and people animated', () => {
    const r = checkCoordinationActivity(
      {
        kind: 'animation',
        date: '2026-06-01',
        duration: '120',
        animationType: 'reunion_coordination',
        mediatorsCount: '12',
        animationThemes: ['reseau'],
      },
      TODAY,
    );
    assert.ok(r.ok, JSON.stringify(r.ok ? {} : r.errors));
    assert.equal(r.fields.durationMinutes, 120);
    assert.deepEqual(r.fields.animationThemes, ['reseau']);
  });

  it('refuses an animation of nobody, without a duration, or "autre" without its precision', () => {
    const r = checkCoordinationActivity(
      { kind: 'animation', date: '2026-06-01', animationType: 'autre' },
      TODAY,
    );
    assert.ok(!r.ok);
    assert.match(r.errors.duration ?? '', /durée/);
    assert.match(r.errors.mediatorsCount ?? '', /au moins un médiateur/);
    assert.match(r.errors.animationTypeOther ?? '', /précisez le type d’animation/);
  });

  it('accepts the network’s local day as an event (`nec_local`) and refuses a future one', () => {
    const ok = checkCoordinationActivity(
      {
        kind: 'evenement',
        date: '2026-06-12',
        participants: '140',
        eventType: 'nec_local',
        organisers: ['ma_structure', 'epci'],
        territorialLevel: 'intercommunal',
      },
      TODAY,
    );
    assert.ok(ok.ok);
    assert.equal(ok.fields.eventType, 'nec_local');
    const future = checkCoordinationActivity(
      {
        kind: 'evenement',
        date: '2026-07-12',
        participants: '1',
        eventType: 'nec_local',
        organisers: ['hub'],
      },
      TODAY,
    );
    assert.ok(!future.ok);
    assert.match(future.errors.date ?? '', /futur/);
  });

  it('requires a partnership’s natures and partners, each partner with its kind', () => {
    const r = checkCoordinationActivity(
      {
        kind: 'partenariat',
        date: '2026-06-01',
        partnershipNatures: ['subvention'],
        partners: [{ name: 'CCAS', type: '' }],
      },
      TODAY,
    );
    assert.ok(!r.ok);
    assert.match(r.errors['partners.0'] ?? '', /type de la structure partenaire « CCAS »/);
    const ok = checkCoordinationActivity(
      {
        kind: 'partenariat',
        date: '2026-06-01',
        partnershipNatures: ['subvention'],
        partners: [{ name: 'CCAS', type: 'commune' }],
      },
      TODAY,
    );
    assert.ok(ok.ok);
    assert.equal(ok.fields.partners[0]?.type, 'commune');
    const mixed = checkCoordinationActivity(
      {
        kind: 'partenariat',
        date: '2026-06-01',
        duration: '60',
        partnershipNatures: ['rdv_elu'],
        partners: [{ name: 'Mairie', type: 'commune' }],
      },
      TODAY,
    );
    assert.ok(!mixed.ok);
    assert.match(mixed.errors.duration ?? '', /ne s’indique pas/);
  });
});
