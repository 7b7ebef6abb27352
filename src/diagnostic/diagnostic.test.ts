import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { validateJson } from '../../test/support/json-schema-lite.ts';
import { NEEDS } from '../search/needs.ts';
import { DIAGNOSTIC_STRINGS } from './diagnostic.strings.ts';
import {
  type Answers,
  evaluate,
  MAX_ANSWERS,
  MAX_TOKEN_CHARS,
  NO_ANSWER,
  professionalSummary,
  type Questionnaire,
  questionnaireJsonSchema,
  SKIPPED,
  scoreRange,
  validateQuestionnaire,
  validateQuestionnaireText,
} from './diagnostic.ts';
import {
  answerQuestion,
  checkAnswers,
  decodeDiagnosticToken,
  encodeDiagnosticToken,
  normalizeAnswers,
  stepAfter,
} from './diagnostic-answers.ts';

const NEED_SLUGS = new Set(NEEDS.map((n) => n.slug));
const DEFAULT_TEXT = fs.readFileSync(new URL('./questionnaire.v1.json', import.meta.url), 'utf8');
const V2_TEXT = fs.readFileSync(new URL('./questionnaire.v2.json', import.meta.url), 'utf8');
const SCHEMA_FILE = JSON.parse(
  fs.readFileSync(new URL('./questionnaire.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function defaultQuestionnaire(): Questionnaire {
  return questionnaireOf(DEFAULT_TEXT);
}

function questionnaireOf(text: string): Questionnaire {
  const checked = validateQuestionnaireText(text, NEED_SLUGS);
  if (!checked.ok) assert.fail(checked.issues.map((i) => `${i.path} : ${i.message}`).join('\n'));
  return checked.questionnaire;
}

/** A small questionnaire for the engine's rules: two domains, three questions. */
function tiny(): Questionnaire {
  const t = (s: string) => ({ courant: s, falc: `${s} (falc)` });
  return {
    version: 7,
    titre: 'Petit',
    domaines: [
      {
        id: 'a',
        libelle: t('Domaine A'),
        paliers: [
          { min: 0, max: 2, profil: t('A bas') },
          { min: 3, max: 4, profil: t('A moyen') },
          { min: 5, max: 6, profil: t('A haut') },
        ],
      },
      { id: 'b', libelle: t('Domaine B'), paliers: [{ min: 0, max: 3, profil: t('B seul palier') }] },
    ],
    questions: [
      {
        id: 'q1',
        domaine: 'a',
        intitule: t('Q1'),
        reponses: [
          { id: 'zero', libelle: t('0'), points: 0 },
          { id: 'trois', libelle: t('3'), points: 3 },
        ],
      },
      {
        id: 'q2',
        domaine: 'a',
        intitule: t('Q2'),
        reponses: [
          { id: 'zero', libelle: t('0'), points: 0 },
          { id: 'deux', libelle: t('2'), points: 2 },
          { id: 'trois', libelle: t('3'), points: 3 },
        ],
      },
      {
        id: 'constructor',
        domaine: 'b',
        intitule: t('Une question au nom piégeux'),
        reponses: [
          { id: 'non', libelle: t('non'), points: 0 },
          { id: 'oui', libelle: t('oui'), points: 3 },
        ],
      },
    ],
    declencheurs: [
      {
        id: 'a-bas',
        si: { type: 'score', domaine: 'a', max: 2 },
        personne: t('message A bas'),
        professionnel: t('note A bas'),
        besoins: ['caf', 'smartphone'],
      },
      {
        id: 'q1-et-q2',
        si: {
          type: 'tous',
          conditions: [
            { type: 'reponse', question: 'q1', parmi: ['trois'] },
            { type: 'reponse', question: 'q2', parmi: ['deux', 'trois'] },
          ],
        },
        personne: t('message q1 et q2'),
        besoins: ['pix', 'caf'],
      },
      {
        id: 'lecture',
        si: {
          type: 'auMoinsUn',
          conditions: [
            { type: 'reponse', question: 'constructor', parmi: ['non'] },
            { type: 'score', domaine: 'a', min: 6 },
          ],
        },
        lecture: true,
        professionnel: t('note lecture'),
      },
    ],
  };
}

describe('the default questionnaire (version 1)', () => {
  it('is valid, has 10 to 15 questions of every domain asked for, and recommends only known needs', () => {
    const q = defaultQuestionnaire();
    assert.equal(q.version, 1);
    assert.ok(q.questions.length >= 10 && q.questions.length <= 15, `${q.questions.length} questions`);
    assert.deepEqual(
      q.domaines.map((d) => d.id),
      ['acces', 'usages', 'demarches', 'securite', 'lecture'],
    );
    const all = DEFAULT_TEXT;
    for (const word of ['CAF', 'impôts', 'ameli', 'France Travail', 'FranceConnect', 'smartphone', 'mail'])
      assert.ok(all.includes(word), `the questionnaire speaks of ${word}`);
    assert.match(all, /Lire un courrier administratif, c'est…/);
    assert.match(all, /Vous préférez qu'on vous lise les questions \?/);
    for (const t of q.declencheurs)
      for (const slug of t.besoins ?? []) assert.ok(NEED_SLUGS.has(slug), `${t.id}: ${slug}`);
    assert.ok(q.declencheurs.some((t) => t.lecture));
  });

  it('writes FALC sentences of 15 words at most and ordinary ones of 25, without unexplained abbreviations (versions 1 and 2)', () => {
    // As in the search's catalogue test; « m’aide » is a word, not a metre.
    const ABBREVIATIONS = /(?<![\p{L}])(EPN|CCAS|CNFS|RDV|SMS|INSEE|ANTS|ANCT|km|m|etc)(?![\p{L}'’])/u;
    const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w)).length;
    const sentences = (s: string) =>
      s
        .split(/(?<=[.!?])\s+/)
        .map((x) => x.trim())
        .filter(Boolean);
    const problems: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) visit(v, `${path}[${i}]`);
      } else if (value && typeof value === 'object') {
        const o = value as Record<string, unknown>;
        if (typeof o.courant === 'string' && typeof o.falc === 'string') {
          for (const s of sentences(o.courant)) if (words(s) > 25) problems.push(`${path} (courant): ${s}`);
          for (const s of sentences(o.falc)) if (words(s) > 15) problems.push(`${path} (falc): ${s}`);
          if (ABBREVIATIONS.test(o.falc)) problems.push(`${path} (falc) abbreviation: ${o.falc}`);
          for (const text of [o.courant, o.falc])
            if (/simplement|il suffit/i.test(text)) problems.push(`${path}: ${text}`);
        } else for (const [k, v] of Object.entries(o)) visit(v, `${path}.${k}`);
      }
    };
    visit(JSON.parse(DEFAULT_TEXT), 'v1');
    visit(JSON.parse(V2_TEXT), 'v2');
    assert.deepEqual(problems, []);
  });

  it('has stages covering every score a domain can reach (versions 1 and 2)', () => {
    for (const q of [defaultQuestionnaire(), questionnaireOf(V2_TEXT)])
      for (const d of q.domaines) {
        const range = scoreRange(q, d.id);
        for (let score = range.min; score <= range.max; score++)
          assert.equal(
            d.paliers.filter((p) => score >= p.min && score <= p.max).length,
            1,
            `${d.id}: score ${score}`,
          );
      }
  });

  it('points a difficulty with reading to the illiteracy offer, gently, and not an ease with it', () => {
    const q = defaultQuestionnaire();
    const hard = evaluate(q, { courrier: 'difficile' });
    assert.equal(hard.readingSignal, true);
    assert.ok(hard.personMessages.some((m) => /lire ou écrire/.test(m)));
    assert.ok(hard.professionalMessages.some((m) => /illettrisme/.test(m)));
    assert.equal(evaluate(q, { 'lecture-voix': 'oui' }).readingSignal, true);
    assert.equal(evaluate(q, { ecrire: 'pour-moi' }).readingSignal, true);
    assert.equal(evaluate(q, { courrier: 'parfois', ecrire: 'accompagne' }).readingSignal, true);
    const easy = evaluate(q, { 'lecture-voix': 'non', courrier: 'facile', ecrire: 'seul' });
    assert.equal(easy.readingSignal, false);
    assert.equal(evaluate(q, { courrier: 'parfois' }).readingSignal, false);
  });

  it('recommends the needs of a person without a device, with a CAF procedure and an old mailbox', () => {
    const q = defaultQuestionnaire();
    const result = evaluate(q, { appareil: 'aucun', organisme: 'caf', mail: 'oubli', connexion: 'non' });
    assert.deepEqual(result.needs, [
      'caf',
      'ordinateur-pas-cher',
      'ordinateur',
      'forfait-solidaire',
      'wifi',
      'adresse-mail',
    ]);
    assert.equal(result.domains.find((d) => d.id === 'acces')?.score, 0);
    // "Which procedure now?" gives no points: it says nothing of how at ease the person is.
    assert.equal(result.domains.find((d) => d.id === 'demarches')?.score, null);
    assert.equal(result.domains.find((d) => d.id === 'demarches')?.profile, NO_ANSWER.courant);
  });

  it('sees a person at ease everywhere and suggests Pix', () => {
    const q = defaultQuestionnaire();
    const answers: Answers = {};
    for (const question of q.questions) {
      const best = [...question.reponses].sort((a, b) => b.points - a.points)[0];
      if (best) answers[question.id] = best.id;
    }
    const result = evaluate(q, answers);
    assert.ok(result.triggers.includes('a-l-aise'));
    assert.ok(result.needs.includes('pix'));
    assert.equal(result.readingSignal, false);
    assert.equal(result.answered, q.questions.length);
  });
});

describe('the shipped questionnaire version 2', () => {
  it('asks question 8 (organisations) with several answers, "Aucune" alone, and gives each one its need', () => {
    const q = questionnaireOf(V2_TEXT);
    assert.equal(q.version, 2);
    const organisme = q.questions[7];
    assert.equal(organisme?.id, 'organisme');
    assert.equal(organisme?.multiple, true);
    assert.equal(organisme?.reponses.find((r) => r.id === 'aucune')?.seule, true);
    const all = ['caf', 'impots', 'sante', 'france-travail', 'retraite', 'papiers'];
    const result = evaluate(q, { organisme: all });
    assert.deepEqual(result.askedNeeds, ['caf', 'impots', 'ameli', 'france-travail', 'retraite', 'ants']);
    // Same questions, answers and rules as version 1 otherwise: a v1 answer means the same in v2.
    const v1 = defaultQuestionnaire();
    assert.deepEqual(
      q.questions.map((x) => [x.id, x.reponses.map((r) => [r.id, r.points])]),
      v1.questions.map((x) => [x.id, x.reponses.map((r) => [r.id, r.points])]),
    );
    assert.deepEqual(q.declencheurs, v1.declencheurs);
  });

  it('puts what the person wants to do first before the organisations, and both before her difficulties', () => {
    const q = questionnaireOf(V2_TEXT);
    const result = evaluate(q, {
      appareil: 'aucun',
      connexion: 'non',
      mail: 'non',
      document: 'difficile',
      organisme: ['caf', 'sante'],
      envie: 'emploi',
    });
    assert.deepEqual(result.needs.slice(0, 4), ['cv', 'emploi', 'caf', 'ameli']);
    assert.deepEqual(result.askedNeeds, ['cv', 'emploi', 'caf', 'ameli']);
    assert.ok(result.needs.length > 5, `${result.needs.length} needs in all`);
  });
});

describe('the diagnostic engine', () => {
  it('maps each domain score to its stage sentence, at the edges of the ranges', () => {
    const q = tiny();
    const profile = (answers: Answers) => evaluate(q, answers).domains.find((d) => d.id === 'a')?.profile;
    assert.equal(profile({ q1: 'zero', q2: 'deux' }), 'A bas');
    assert.equal(profile({ q1: 'trois', q2: 'zero' }), 'A moyen');
    assert.equal(profile({ q1: 'zero', q2: 'trois' }), 'A moyen');
    assert.equal(profile({ q1: 'trois', q2: 'deux' }), 'A haut');
    assert.equal(profile({ q1: 'trois', q2: 'trois' }), 'A haut');
    // One question answered is enough for a profile; none gives the "no answer" sentence.
    assert.equal(profile({ q1: 'trois' }), 'A moyen');
    assert.equal(profile({}), NO_ANSWER.courant);
    assert.equal(profile({ q1: SKIPPED, q2: SKIPPED }), NO_ANSWER.courant);
  });

  it('fires score, answer, "tous" and "auMoinsUn" triggers, in order, without repeating a need', () => {
    const q = tiny();
    const low = evaluate(q, { q1: 'zero', q2: 'zero', constructor: 'oui' });
    assert.deepEqual(low.triggers, ['a-bas']);
    assert.deepEqual(low.needs, ['caf', 'smartphone']);
    assert.deepEqual(low.personMessages, ['message A bas']);
    assert.deepEqual(low.professionalMessages, ['note A bas']);
    assert.equal(low.readingSignal, false);

    const high = evaluate(q, { q1: 'trois', q2: 'trois', constructor: 'oui' });
    assert.deepEqual(high.triggers, ['q1-et-q2', 'lecture']);
    assert.deepEqual(high.needs, ['pix', 'caf']);
    assert.equal(high.readingSignal, true);

    const both = evaluate(q, { q1: 'zero', q2: 'deux', constructor: 'non' });
    assert.deepEqual(both.triggers, ['a-bas', 'lecture']);
    assert.deepEqual(both.needs, ['caf', 'smartphone']);
    assert.deepEqual(both.professionalMessages, ['note A bas', 'note lecture']);
  });

  it('does not fire a score condition on a domain without answers, nor an answer condition on a skip', () => {
    const q = tiny();
    const none = evaluate(q, { constructor: SKIPPED });
    assert.deepEqual(none.triggers, []);
    assert.equal(none.answered, 0);
  });

  it('ignores unknown questions and answers, and question ids that are Object.prototype names', () => {
    const q = tiny();
    const result = evaluate(q, { q1: 'quatre', inconnue: 'oui' });
    assert.equal(result.answered, 0);
    assert.equal(result.domains.find((d) => d.id === 'b')?.score, null, '"constructor" is not answered');
    assert.equal(evaluate(q, { constructor: 'oui' }).domains.find((d) => d.id === 'b')?.score, 3);
  });

  it('speaks FALC when asked', () => {
    const q = tiny();
    const result = evaluate(q, { q1: 'zero' }, true);
    assert.equal(result.domains[0]?.label, 'Domaine A (falc)');
    assert.equal(result.domains[0]?.profile, 'A bas (falc)');
    assert.deepEqual(result.personMessages, ['message A bas (falc)']);
    assert.equal(result.domains[1]?.profile, NO_ANSWER.falc);
  });

  it('records an answer or a skip, refuses what is not an answer, and goes on to the next step', () => {
    const q = tiny();
    const state = { version: 7, answers: {} };
    const recorded = (n: number, choice: Parameters<typeof answerQuestion>[3]) => {
      const outcome = answerQuestion(q, state, n, choice);
      return outcome.ok ? outcome.state.answers : outcome.problem;
    };
    assert.deepEqual(recorded(1, { answers: ['trois'] }), { q1: 'trois' });
    assert.deepEqual(recorded(2, { skip: true }), { q2: SKIPPED });
    assert.deepEqual(recorded(1, { answers: [] }), { reason: 'none' });
    assert.deepEqual(recorded(1, { answers: ['deux'] }), { reason: 'unknown_answer', value: 'deux' });
    assert.deepEqual(recorded(1, { answers: ['trois', 'zero'] }), { reason: 'several', count: 2 });
    assert.deepEqual(recorded(1, { answers: ['trois', 'trois'] }), { reason: 'several', count: 2 });
    assert.deepEqual(recorded(4, { answers: ['oui'] }), { reason: 'none' });
    assert.deepEqual(stepAfter(q, 1, false), { kind: 'question', n: 2 });
    assert.deepEqual(stepAfter(q, 3, false), { kind: 'where' });
    assert.deepEqual(stepAfter(q, 1, true), { kind: 'result' });
  });
});

/** The tiny questionnaire with a multiple-answer question of its own choices, and a priority. */
function withChoices(): Questionnaire {
  const q = tiny();
  const t = (s: string) => ({ courant: s, falc: `${s} (falc)` });
  q.questions.push(
    {
      id: 'organismes',
      domaine: 'b',
      intitule: t('Quels organismes ?'),
      multiple: true,
      priorite: 2,
      reponses: [
        { id: 'caf', libelle: t('La CAF'), points: 0 },
        { id: 'impots', libelle: t('Les impôts'), points: 0 },
        { id: 'sante', libelle: t('La santé'), points: 0 },
        { id: 'aucun', libelle: t('Aucun'), points: 0, seule: true },
      ],
    },
    {
      id: 'envie',
      domaine: 'b',
      intitule: t('Que voulez-vous faire en premier ?'),
      priorite: 1,
      reponses: [
        { id: 'emploi', libelle: t('Un emploi'), points: 0 },
        { id: 'rien', libelle: t('Rien'), points: 0 },
      ],
    },
  );
  const on = (question: string, answer: string, besoins: string[], personne?: string) => ({
    id: `${question}-${answer}`,
    si: { type: 'reponse' as const, question, parmi: [answer] },
    besoins,
    ...(personne ? { personne: t(personne) } : {}),
  });
  q.declencheurs.push(
    on('organismes', 'caf', ['caf']),
    on('organismes', 'impots', ['impots'], 'conseil impôts'),
    on('organismes', 'sante', ['ameli']),
    on('envie', 'emploi', ['cv', 'emploi'], 'conseil emploi'),
  );
  return q;
}

describe("multiple-answer questions and the person's own choices", () => {
  it("records the boxes ticked as a list, in the questionnaire's order, and refuses forged ones", () => {
    const q = withChoices();
    const state = { version: 7, answers: {} };
    const n = q.questions.findIndex((x) => x.id === 'organismes') + 1;
    const outcome = answerQuestion(q, state, n, { answers: ['sante', 'caf'] });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.state.answers, { organismes: ['caf', 'sante'] });
    const one = answerQuestion(q, state, n, { answers: ['impots'] });
    assert.deepEqual(one.ok && one.state.answers, { organismes: ['impots'] }, 'a list even of one');
    const problem = (answers: string[]) => {
      const o = answerQuestion(q, state, n, { answers });
      return o.ok ? null : o.problem;
    };
    assert.deepEqual(problem([]), { reason: 'none' });
    assert.deepEqual(problem(['caf', 'velo']), { reason: 'unknown_answer', value: 'velo' });
    assert.deepEqual(problem(['caf', 'caf']), { reason: 'duplicate', value: 'caf' });
    assert.deepEqual(problem(['caf', 'impots', 'sante', 'aucun', 'caf']), {
      reason: 'too_many',
      count: 5,
      max: 4,
    });
    assert.deepEqual(problem(['caf', 'aucun']), { reason: 'exclusive', value: 'aucun' });
    assert.equal(problem(['aucun']), null);
  });

  it("puts the needs and tips of the person's own choices first (priority 1, then 2), then the others", () => {
    const q = withChoices();
    const result = evaluate(q, {
      q1: 'zero',
      q2: 'zero',
      organismes: ['caf', 'impots'],
      envie: 'emploi',
    });
    // "a-bas" (a score) comes first in the document, but the person asked for the others.
    assert.deepEqual(result.needs, ['cv', 'emploi', 'caf', 'impots', 'smartphone']);
    assert.deepEqual(result.askedNeeds, ['cv', 'emploi', 'caf', 'impots']);
    assert.deepEqual(result.personMessages, ['conseil emploi', 'conseil impôts', 'message A bas']);
    assert.deepEqual(result.triggers.slice(0, 2), ['envie-emploi', 'organismes-caf']);
    // Without choices, the document's order, as before.
    assert.deepEqual(evaluate(q, { q1: 'zero', q2: 'zero' }).needs, ['caf', 'smartphone']);
    assert.deepEqual(evaluate(q, { q1: 'zero', q2: 'zero' }).askedNeeds, []);
  });

  it('counts a choice as asked only when its own answer fires the trigger', () => {
    const q = withChoices();
    q.declencheurs.push({
      id: 'mixte',
      si: {
        type: 'auMoinsUn',
        conditions: [
          { type: 'score', domaine: 'a', max: 2 },
          { type: 'reponse', question: 'envie', parmi: ['rien'] },
        ],
      },
      besoins: ['pix'],
    });
    assert.deepEqual(evaluate(q, { q1: 'zero' }).askedNeeds, [], 'fired by the score alone');
    assert.deepEqual(evaluate(q, { q1: 'zero', envie: 'rien' }).askedNeeds, ['pix']);
  });

  it('gives no points for a multiple-answer question, and a question passed stays passed', () => {
    const q = withChoices();
    const result = evaluate(q, { organismes: ['caf', 'sante'], constructor: SKIPPED });
    assert.equal(result.domains.find((d) => d.id === 'b')?.score, null);
    assert.equal(result.answered, 1);
  });

  it('checks the answers a token carries against their version, and lists a lone answer', () => {
    const q = withChoices();
    assert.equal(checkAnswers(q, { organismes: ['caf', 'impots'], q1: 'trois', q2: SKIPPED }), null);
    assert.deepEqual(checkAnswers(q, { q1: ['trois', 'zero'] }), {
      n: 1,
      questionId: 'q1',
      reason: 'several',
      count: 2,
    });
    assert.deepEqual(checkAnswers(q, { organismes: ['caf', 'velo'] }), {
      n: 4,
      questionId: 'organismes',
      reason: 'unknown_answer',
      value: 'velo',
    });
    assert.deepEqual(checkAnswers(q, { q1: 'quatre' }), {
      n: 1,
      questionId: 'q1',
      reason: 'unknown_answer',
      value: 'quatre',
    });
    assert.deepEqual(checkAnswers(q, { inconnue: 'oui' }), {
      n: null,
      questionId: 'inconnue',
      reason: 'unknown_question',
    });
    assert.deepEqual(normalizeAnswers(q, { organismes: 'caf', q1: 'trois', q2: SKIPPED }), {
      organismes: ['caf'],
      q1: 'trois',
      q2: SKIPPED,
    });
  });

  it('tells the receiving professional about the person, never "vous", and quotes answers when a version has no such sentence', () => {
    const q = withChoices();
    const answers = { q1: 'trois', q2: 'deux', organismes: ['caf', 'sante'], envie: 'emploi' };
    const lines = professionalSummary(q, answers);
    assert.deepEqual(lines.slice(0, 2), [
      {
        label: 'Ce que la personne a demandé',
        text: 'À la question « Que voulez-vous faire en premier ? », la personne a répondu : « Un emploi ».',
      },
      {
        label: 'Ce que la personne a demandé',
        text: 'À la question « Quels organismes ? », la personne a répondu : « La CAF », « La santé ».',
      },
    ]);
    // The tiny questionnaire has no professional sentence: the answers are quoted.
    assert.deepEqual(lines[2], {
      label: 'Domaine A',
      text: 'Réponses de la personne : « Q1 » : « 3 » ; « Q2 » : « 2 ».',
    });
    assert.deepEqual(lines[3], {
      label: 'Domaine B',
      text: 'La personne n’a pas répondu aux questions de ce thème.',
    });
    const withSentence = withChoices();
    const stage = withSentence.domaines[0]?.paliers[2];
    assert.ok(stage);
    stage.professionnel = { courant: 'La personne est à l’aise.', falc: 'À l’aise.' };
    assert.equal(professionalSummary(withSentence, answers)[2]?.text, 'La personne est à l’aise.');
  });

  it('speaks of "la personne" in every sentence of the shipped version 2 summary, whatever the answers', () => {
    const q = questionnaireOf(V2_TEXT);
    fc.assert(
      fc.property(
        fc.array(fc.nat(11), { minLength: q.questions.length, maxLength: q.questions.length }),
        (picks) => {
          const answers: Answers = {};
          q.questions.forEach((question, i) => {
            const r = question.reponses[(picks[i] ?? 0) % question.reponses.length];
            if (r) answers[question.id] = question.multiple ? [r.id] : r.id;
          });
          for (const line of professionalSummary(q, answers)) {
            assert.doesNotMatch(line.text, /(^|[\s'’])(vous|votre|vos)\b/i, line.text);
            assert.match(line.text, /la personne|Réponses de la personne/i, line.text);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the diagnostic token', () => {
  it('round-trips a version and its answers, compactly', () => {
    const state = {
      version: 12,
      answers: { appareil: 'smartphone', courrier: SKIPPED, 'lecture-voix': 'oui' },
    };
    const token = encodeDiagnosticToken(state);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeDiagnosticToken(token), state);
    assert.deepEqual(decodeDiagnosticToken(encodeDiagnosticToken({ version: 1, answers: {} })), {
      version: 1,
      answers: {},
    });
    const q = defaultQuestionnaire();
    const full: Answers = Object.fromEntries(q.questions.map((x) => [x.id, x.reponses[0]?.id ?? '']));
    assert.ok(
      encodeDiagnosticToken({ version: 1, answers: full }).length < 400,
      'a full diagnostic stays short',
    );
  });

  it('carries the boxes ticked as a list ("caf+impots"), and old single answers unchanged', () => {
    const state = { version: 2, answers: { organisme: ['caf', 'impots'], appareil: 'aucun' } };
    const token = encodeDiagnosticToken(state);
    assert.equal(Buffer.from(token, 'base64url').toString(), '2.organisme~caf+impots.appareil~aucun');
    assert.deepEqual(decodeDiagnosticToken(token), state);
    // A list of one is written as that answer: the questionnaire says the question takes several.
    assert.equal(
      Buffer.from(
        encodeDiagnosticToken({ version: 2, answers: { organisme: ['caf'] } }),
        'base64url',
      ).toString(),
      '2.organisme~caf',
    );
    assert.throws(() => encodeDiagnosticToken({ version: 2, answers: { organisme: [] } }), RangeError);
    assert.throws(
      () => encodeDiagnosticToken({ version: 2, answers: { organisme: ['_', 'caf'] } }),
      RangeError,
    );
  });

  it('round-trips any valid state (property)', () => {
    const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/);
    const list = fc.uniqueArray(id, { minLength: 2, maxLength: MAX_ANSWERS });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999 }),
        fc.dictionary(id, fc.oneof(id, fc.constant(SKIPPED), list), { maxKeys: 30 }),
        (version, answers) => {
          // fast-check's dictionaries have no prototype; the decoded answers are a plain object.
          assert.deepEqual(decodeDiagnosticToken(encodeDiagnosticToken({ version, answers })), {
            version,
            answers: { ...answers },
          });
        },
      ),
    );
  });

  it('gives null, never an exception, for anything malformed or oversized', () => {
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
    const bad: unknown[] = [
      '',
      null,
      undefined,
      42,
      { version: 1 },
      'not base64!',
      'MQ==',
      `${b64('1')}A`,
      b64('0'),
      b64('01'),
      b64('abc'),
      b64('1234567'),
      b64('1.'),
      b64('1.q1'),
      b64('1.q1~'),
      b64('1.q1~a~b'),
      b64('1.Q1~a'),
      b64('1.q1~a.q1~b'),
      b64('1.q1~a b'),
      b64('1.__proto__~a'),
      b64('1.q1~é'),
      b64('1.q1~a+a'),
      b64('1.q1~a+'),
      b64('1.q1~+a'),
      b64('1.q1~a+_'),
      b64('1.q1~a+B'),
      b64(`1.q1~${Array.from({ length: 13 }, (_, i) => `a${i}`).join('+')}`),
      b64(`1${'.q~a'.repeat(61)}`),
      'A'.repeat(MAX_TOKEN_CHARS + 4),
    ];
    for (const token of bad) assert.equal(decodeDiagnosticToken(token), null, JSON.stringify(token));
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const decoded = decodeDiagnosticToken(s);
        if (decoded) assert.equal(encodeDiagnosticToken(decoded), s);
      }),
    );
  });
});

describe('the questionnaire validation', () => {
  const base = () => JSON.parse(DEFAULT_TEXT) as Record<string, unknown> & Questionnaire;
  const issuesOf = (doc: unknown) => {
    const checked = validateQuestionnaire(doc, NEED_SLUGS);
    assert.equal(checked.ok, false, 'the document should be refused');
    return checked.ok ? [] : checked.issues.map((i) => `${i.path} : ${i.message}`);
  };
  const expectIssue = (doc: unknown, pattern: RegExp) => {
    const issues = issuesOf(doc);
    assert.ok(
      issues.some((i) => pattern.test(i)),
      `expected ${pattern}, got:\n${issues.join('\n')}`,
    );
  };

  it('accepts the default questionnaire, which the committed JSON Schema also accepts', () => {
    assert.equal(validateQuestionnaire(base(), NEED_SLUGS).ok, true);
    assert.deepEqual(validateJson(SCHEMA_FILE, SCHEMA_FILE, base()), []);
  });

  it('accepts the shipped version 2, with its multiple-answer question, which the JSON Schema also accepts', () => {
    const v2 = JSON.parse(V2_TEXT);
    assert.equal(validateQuestionnaire(v2, NEED_SLUGS).ok, true);
    assert.deepEqual(validateJson(SCHEMA_FILE, SCHEMA_FILE, v2), []);
  });

  it('refuses points, "seule" and priorities that a multiple-answer question cannot have, naming the path', () => {
    let doc = JSON.parse(V2_TEXT) as Questionnaire;
    const organisme = doc.questions.findIndex((q) => q.id === 'organisme');
    (doc.questions[organisme]?.reponses[0] as { points: number }).points = 2;
    expectIssue(
      doc,
      new RegExp(
        `^questions\\[${organisme}\\] : une question à plusieurs réponses ne donne pas de points : mettez 0 à chaque réponse \\(question « organisme »\\)$`,
      ),
    );
    doc = JSON.parse(V2_TEXT) as Questionnaire;
    (doc.questions[1]?.reponses[0] as { seule?: boolean }).seule = true;
    expectIssue(
      doc,
      /^questions\[1\]\.reponses\[0\]\.seule : n’a de sens que dans une question à plusieurs réponses/,
    );
    doc = JSON.parse(V2_TEXT) as Questionnaire;
    (doc.questions[1] as unknown as Record<string, unknown>).multiple = 'oui';
    expectIssue(doc, /^questions\[1\]\.multiple : doit valoir true ou false \(question « appareil »\)$/);
    doc = JSON.parse(V2_TEXT) as Questionnaire;
    (doc.questions[1] as unknown as Record<string, unknown>).priorite = 10;
    expectIssue(doc, /^questions\[1\]\.priorite : doit être inférieur ou égal à 9/);
    doc = JSON.parse(V2_TEXT) as Questionnaire;
    (doc.domaines[0]?.paliers[0] as unknown as Record<string, unknown>).professionnel = 'La personne';
    expectIssue(doc, /^domaines\[0\]\.paliers\[0\]\.professionnel : doit être un objet/);
  });

  it('keeps the committed JSON Schema equal to the one the code validates with', () => {
    assert.deepEqual(SCHEMA_FILE, questionnaireJsonSchema());
  });

  it('refuses a dozen bad documents, each error in French and naming its path', () => {
    expectIssue(null, /^document : doit être un objet/);
    expectIssue([], /^document : doit être un objet/);

    let doc = base();
    (doc.questions[3]?.reponses[1] as unknown as Record<string, unknown>).points = 'deux';
    expectIssue(doc, /^questions\[3\]\.reponses\[1\]\.points : doit être un nombre \(question « mail »\)$/);

    doc = base();
    delete (doc.questions[0]?.intitule as Partial<{ falc: string }> | undefined)?.falc;
    expectIssue(doc, /^questions\[0\]\.intitule\.falc : est obligatoire/);

    doc = base();
    (doc.questions[2] as unknown as Record<string, unknown>).reponse = [];
    expectIssue(doc, /^questions\[2\]\.reponse : champ inconnu/);

    doc = base();
    (doc.domaines[0] as { id: string }).id = 'Accès';
    expectIssue(doc, /^domaines\[0\]\.id : doit être un identifiant/);

    doc = base();
    (doc.questions[5] as { id: string }).id = 'appareil';
    expectIssue(doc, /^questions\[5\]\.id : l’identifiant « appareil » est déjà utilisé par questions\[1\]/);

    doc = base();
    (doc.questions[1] as { domaine: string }).domaine = 'materiel';
    expectIssue(doc, /^questions\[1\]\.domaine : le domaine « materiel » n’existe pas/);

    doc = base();
    doc.declencheurs[0] = {
      id: 'x',
      si: { type: 'tous', conditions: [{ type: 'reponse', question: 'inconnue', parmi: ['oui'] }] },
      lecture: true,
    };
    expectIssue(
      doc,
      /^declencheurs\[0\]\.si\.conditions\[0\]\.question : la question « inconnue » n’existe pas/,
    );

    doc = base();
    doc.declencheurs[0] = {
      id: 'x',
      si: { type: 'reponse', question: 'courrier', parmi: ['jamais'] },
      lecture: true,
    };
    expectIssue(
      doc,
      /^declencheurs\[0\]\.si\.parmi\[0\] : la question « courrier » n’a pas de réponse « jamais »/,
    );

    doc = base();
    doc.declencheurs[2] = {
      id: 'caf',
      si: { type: 'reponse', question: 'organisme', parmi: ['caf'] },
      besoins: ['cafe'],
    };
    expectIssue(doc, /^declencheurs\[2\]\.besoins\[0\] : le besoin « cafe » n’existe pas/);

    doc = base();
    (doc.domaines[0]?.paliers[1] as { min: number }).min = 4;
    expectIssue(doc, /^domaines\[0\]\.paliers\[1\]\.min : doit être 3, juste après le palier précédent/);

    doc = base();
    (doc.domaines[0]?.paliers[2] as { max: number }).max = 5;
    expectIssue(doc, /^domaines\[0\]\.paliers\[2\]\.max : doit être 6 ou plus/);

    doc = base();
    (doc.declencheurs[0] as unknown as Record<string, unknown>).si = { type: 'parfois' };
    expectIssue(
      doc,
      /^declencheurs\[0\]\.si\.type : doit valoir « reponse », « score », « tous » ou « auMoinsUn »/,
    );

    doc = base();
    doc.declencheurs[0] = { id: 'x', si: { type: 'score', domaine: 'acces' }, lecture: true };
    expectIssue(doc, /^declencheurs\[0\]\.si : doit avoir min, max ou les deux/);

    doc = base();
    (doc as { version: number }).version = 1.5;
    expectIssue(doc, /^version : doit être un nombre entier/);

    doc = base();
    (doc as { titre: string }).titre = '';
    expectIssue(doc, /^titre : ne doit pas être vide/);

    doc = base();
    doc.declencheurs[0] = { id: 'x', si: { type: 'reponse', question: 'courrier', parmi: ['facile'] } };
    expectIssue(doc, /^declencheurs\[0\] : ne produit rien/);
  });

  it('refuses text that is not JSON, naming the line, and a document too long', () => {
    const checked = validateQuestionnaireText('{\n  "version": 1,\n  "titre": }', NEED_SLUGS);
    assert.equal(checked.ok, false);
    if (!checked.ok)
      assert.equal(
        checked.issues[0]?.message,
        'n’est pas du JSON valide (ligne 3, colonne 12 : « } » inattendu)',
      );
    const cut = validateQuestionnaireText('{"version": 1, "titre": "Diag', NEED_SLUGS);
    assert.match(
      cut.ok ? '' : (cut.issues[0]?.message ?? ''),
      /ligne 1, colonne 30 : le texte s’arrête trop tôt/,
    );
    const deep = `${'{"type":"tous","conditions":['.repeat(5000)}${']}'.repeat(5000)}`;
    const nested = validateQuestionnaireText(deep, NEED_SLUGS);
    assert.match(nested.ok ? '' : (nested.issues[0]?.message ?? ''), /trop imbriqué/);
    const long = validateQuestionnaireText(' '.repeat(200_001), NEED_SLUGS);
    assert.equal(long.ok, false);
    if (!long.ok) assert.match(long.issues[0]?.message ?? '', /est trop long : 200001 caractères/);
    const empty = validateQuestionnaireText('  ', NEED_SLUGS);
    assert.equal(empty.ok ? '' : empty.issues[0]?.message, 'est vide');
  });

  it('is refused by the published JSON Schema too, for the structural mistakes', () => {
    const doc = base();
    (doc.questions[3]?.reponses[1] as unknown as Record<string, unknown>).points = 'deux';
    (doc.domaines[0] as { id: string }).id = 'Accès';
    (doc.questions[2] as unknown as Record<string, unknown>).reponse = [];
    const errors = validateJson(SCHEMA_FILE, SCHEMA_FILE, doc);
    assert.ok(
      errors.some((e) => e.startsWith('$.questions[3].reponses[1].points')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.startsWith('$.domaines[0].id')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.startsWith('$.questions[2].reponse')),
      errors.join('\n'),
    );
  });
});

describe('the diagnostic strings catalogue', () => {
  it('gives every key a FALC variant of the same kind', () => {
    const missing = Object.entries(DIAGNOSTIC_STRINGS.entries)
      .filter(([, e]) => e.falc === undefined || e.falc === '' || typeof e.falc !== typeof e.normal)
      .map(([k]) => k);
    assert.deepEqual(missing, []);
  });

  it('keeps FALC sentences to 15 words and ordinary ones to 25', () => {
    const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w)).length;
    const long: string[] = [];
    for (const [key, entry] of Object.entries(DIAGNOSTIC_STRINGS.entries)) {
      for (const [variant, limit] of [
        ['normal', 25],
        ['falc', 15],
      ] as const) {
        const value: unknown = entry[variant];
        const text =
          typeof value === 'function' ? String(value('Saint-Jean-de-la-Ruelle', 14)) : String(value);
        for (const sentence of text.split(/(?<=[.!?])\s+/))
          if (words(sentence) > limit) long.push(`${key} (${variant}): ${sentence}`);
      }
    }
    assert.deepEqual(long, []);
  });
});
