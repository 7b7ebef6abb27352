import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODALITES_ACCES, MODALITES_ACCOMPAGNEMENT, SERVICES, TYPOLOGIES } from '../places/schema-values.ts';
import { accessSentences, accompanimentSentences, placeKind, serviceWords } from './vocabulary.ts';

/** Initials most readers do not know (WRITING-AND-ACCESSIBILITY.md): never in FALC. */
const INITIALS = /(?<![\p{L}])(CCAS|CIAS|CAF|CPAM|MSA|MJC|EPN|ENM|RDV|CAARUD|AFPA)(?![\p{L}])/u;
const words = (sentence: string) => sentence.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w)).length;
const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/).filter(Boolean);

describe('the words of a place page', () => {
  it('names one place of a kind in the singular, with the initials people use (and none in FALC)', () => {
    assert.equal(placeKind('CCAS', false), 'CCAS');
    assert.equal(placeKind('CCAS', true), 'Service social de la mairie');
    assert.equal(placeKind('BIB', false), 'Médiathèque');
    assert.equal(placeKind('CS', false), 'Centre social');
    assert.equal(placeKind('ASSO', false), 'Association');
    assert.equal(placeKind('INCONNU', false), 'INCONNU');
    for (const code of TYPOLOGIES) {
      const normal = placeKind(code, false);
      const falc = placeKind(code, true);
      assert.doesNotMatch(
        normal,
        /^(Centres|Associations|Structures|Caisses|Services et|Municipalités)\b/,
        code,
      );
      if (falc !== placeKind(code, false) || !INITIALS.test(normal))
        assert.doesNotMatch(falc, INITIALS, `${code} (FALC): ${falc}`);
    }
  });

  it('says each access mode of the schema as a sentence a person acts on', () => {
    const expected: Record<string, [string, string]> = {
      'Se présenter': [
        'Venez sans rendez-vous, aux heures d’ouverture.',
        'Vous pouvez venir sans rendez-vous.',
      ],
      Téléphoner: ['Appelez avant de venir.', 'Appelez avant de venir.'],
      'Contacter par mail': [
        'Écrivez au lieu par courriel avant de venir.',
        'Envoyez un mail au lieu avant de venir.',
      ],
      'Prendre un RDV en ligne': ['Prenez rendez-vous en ligne.', 'Prenez rendez-vous sur internet.'],
      "Ce lieu n'accueille pas de public": [
        'Ce lieu ne reçoit pas le public sur place.',
        'Vous ne pouvez pas aller dans ce lieu.',
      ],
      'Envoyer un mail avec une fiche de prescription': [
        'Un professionnel qui vous suit écrit d’abord au lieu pour vous y envoyer.',
        'Une personne qui vous aide écrit d’abord au lieu.',
      ],
    };
    assert.deepEqual(Object.keys(expected).sort(), [...MODALITES_ACCES].sort(), 'every value of the schema');
    for (const value of MODALITES_ACCES) {
      const [normal, falc] = expected[value] as [string, string];
      assert.deepEqual(accessSentences([value], false), [normal]);
      assert.deepEqual(accessSentences([value], true), [falc]);
    }
    // Walk in, or phone: the call is offered, not required.
    assert.deepEqual(accessSentences(['Se présenter', 'Téléphoner'], false), [
      'Venez sans rendez-vous, aux heures d’ouverture.',
      'Vous pouvez aussi appeler avant de venir.',
    ]);
  });

  it('says each accompaniment mode of the schema as what happens there', () => {
    const expected: Record<string, [string, string]> = {
      'En autonomie': [
        'On vous montre, vous faites vous-même.',
        'Une personne vous montre. Puis vous faites seul.',
      ],
      'Accompagnement individuel': [
        'Une personne vous aide en tête-à-tête.',
        'Une personne vous aide. Elle est seule avec vous.',
      ],
      'Dans un atelier collectif': [
        'Vous apprenez en petit groupe, pendant un atelier.',
        'Vous apprenez avec d’autres personnes, en groupe.',
      ],
      'À distance': [
        'On peut vous aider à distance, par téléphone ou en vidéo.',
        'Une personne peut vous aider par téléphone ou par internet.',
      ],
    };
    assert.deepEqual(Object.keys(expected).sort(), [...MODALITES_ACCOMPAGNEMENT].sort(), 'every value');
    for (const value of MODALITES_ACCOMPAGNEMENT) {
      const [normal, falc] = expected[value] as [string, string];
      assert.deepEqual(accompanimentSentences([value], false), [normal]);
      assert.deepEqual(accompanimentSentences([value], true), [falc]);
    }
  });

  it('keeps FALC sentences short (15 words at most) and without initials, and never shows the schema word', () => {
    const falc = [
      ...accessSentences(MODALITES_ACCES, true),
      ...accompanimentSentences(MODALITES_ACCOMPAGNEMENT, true),
    ];
    for (const text of falc)
      for (const sentence of sentencesOf(text)) {
        assert.ok(words(sentence) <= 15, `too long for FALC: ${sentence}`);
        assert.doesNotMatch(sentence, INITIALS, sentence);
      }
    const normal = [
      ...accessSentences(MODALITES_ACCES, false),
      ...accompanimentSentences(MODALITES_ACCOMPAGNEMENT, false),
    ];
    for (const text of [...normal, ...falc])
      assert.ok(![...MODALITES_ACCES, ...MODALITES_ACCOMPAGNEMENT].includes(text.replace(/\.$/, '')), text);
  });

  it('says every national service as what a person comes for, short and without initials in FALC', () => {
    assert.equal(
      serviceWords('Accès internet et matériel informatique', false),
      'Ordinateurs, internet et imprimante sur place',
    );
    assert.equal(serviceWords('Aide aux démarches administratives', true), 'Faire vos papiers sur internet');
    for (const value of SERVICES) {
      assert.notEqual(serviceWords(value, false), value, value);
      const falc = serviceWords(value, true);
      assert.ok(words(falc) <= 15, falc);
      assert.doesNotMatch(falc, INITIALS, falc);
    }
    assert.equal(serviceWords('Valeur hors du schéma', false), 'Valeur hors du schéma');
  });
});
