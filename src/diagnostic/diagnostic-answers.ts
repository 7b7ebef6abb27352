import {
  type Answer,
  type Answers,
  ID_PATTERN,
  MAX_ANSWERS,
  MAX_QUESTIONS,
  MAX_TOKEN_CHARS,
  type Question,
  type Questionnaire,
  SKIPPED,
} from './diagnostic.ts';

/**
 * The answers of a diagnostic in progress, pure: checked against their questionnaire (one answer, or
 * the boxes ticked of a multiple-answer question), carried from page to page in a compact token (they
 * are never stored on the server), and the way through the questions.
 */

// --- Checking answers against their questionnaire ---

/** Why an answer cannot be recorded; `value` is what was sent, when it names something. */
export type AnswerProblem =
  | { reason: 'none' }
  | { reason: 'several'; count: number }
  | { reason: 'too_many'; count: number; max: number }
  | { reason: 'unknown_answer'; value: string }
  | { reason: 'duplicate'; value: string }
  | { reason: 'exclusive'; value: string };

/**
 * The answer ids sent for question n, checked against it: one known answer for a single-answer
 * question; for a multiple one, at least one, each known, none twice, no more than it offers, and an
 * answer marked `seule` ("Aucune") alone.
 */
export function checkChoice(question: Question, values: readonly string[]): AnswerProblem | null {
  if (values.length === 0) return { reason: 'none' };
  if (!question.multiple && values.length > 1) return { reason: 'several', count: values.length };
  if (values.length > question.reponses.length)
    return { reason: 'too_many', count: values.length, max: question.reponses.length };
  const seen = new Set<string>();
  for (const value of values) {
    const found = question.reponses.find((r) => r.id === value);
    if (!found) return { reason: 'unknown_answer', value };
    if (seen.has(value)) return { reason: 'duplicate', value };
    seen.add(value);
    if (found.seule && values.length > 1) return { reason: 'exclusive', value };
  }
  return null;
}

/** What is wrong with the answers a token carries, naming the question (1-based), or null. */
export type StateProblem = { n: number | null; questionId: string } & (
  | AnswerProblem
  | { reason: 'unknown_question' }
);

/**
 * Answers read from a token, checked against the version they were given for: every question exists,
 * every answer is one of its own. The engine forgives unknown ids; the pages do not, so that a forged
 * or truncated address is said to be one instead of giving a result that ignores part of it.
 */
export function checkAnswers(q: Questionnaire, answers: Answers): StateProblem | null {
  for (const [questionId, answer] of Object.entries(answers)) {
    const index = q.questions.findIndex((question) => question.id === questionId);
    const question = q.questions[index];
    if (!question) return { n: null, questionId, reason: 'unknown_question' };
    if (answer === SKIPPED) continue;
    const problem = checkChoice(question, typeof answer === 'string' ? [answer] : answer);
    if (problem) return { n: index + 1, questionId, ...problem };
  }
  return null;
}

/** The answers with each multiple-answer question's answer as a list, even of one. */
export function normalizeAnswers(q: Questionnaire, answers: Answers): Answers {
  const out: Answers = {};
  for (const [questionId, answer] of Object.entries(answers)) {
    const multiple = q.questions.some((question) => question.id === questionId && question.multiple);
    out[questionId] = multiple && typeof answer === 'string' && answer !== SKIPPED ? [answer] : answer;
  }
  return out;
}

// --- The token: answers carried in the page ---

export interface DiagnosticState {
  version: number;
  answers: Answers;
}

const ANSWER_OR_SKIP = /^(?:[a-z0-9][a-z0-9-]{0,39}|_)$/;

/**
 * `{ version, answers }` → a compact base64url token: "1.appareil~smartphone.organisme~caf+impots"
 * encoded. Ids are lowercase words with hyphens, so ".", "~" and "+" never occur inside them; a list of
 * one answer is written as that answer (the questionnaire says which questions take several).
 */
export function encodeDiagnosticToken(state: DiagnosticState): string {
  if (!Number.isInteger(state.version) || state.version < 1 || state.version > 999_999)
    throw new RangeError(`version ${state.version}`);
  const parts = [String(state.version)];
  for (const [question, answer] of Object.entries(state.answers)) {
    const list = typeof answer === 'string' ? [answer] : answer;
    const valid =
      ID_PATTERN.test(question) &&
      list.length >= 1 &&
      list.length <= MAX_ANSWERS &&
      (list.length === 1 ? ANSWER_OR_SKIP.test(list[0] as string) : list.every((a) => ID_PATTERN.test(a)));
    if (!valid) throw new RangeError(`answer ${question}=${list.join('+')}`);
    parts.push(`${question}~${list.join('+')}`);
  }
  return Buffer.from(parts.join('.'), 'utf8').toString('base64url');
}

/** The state in a token, or null for anything malformed or oversized (never throws). */
export function decodeDiagnosticToken(token: unknown): DiagnosticState | null {
  if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_CHARS) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  // Node decodes loosely: only a token that encodes back to itself is ours.
  if (Buffer.from(text, 'utf8').toString('base64url') !== token) return null;
  const [head, ...pairs] = text.split('.');
  if (!head || !/^[1-9]\d{0,5}$/.test(head)) return null;
  if (pairs.length > MAX_QUESTIONS * 2) return null;
  const answers: Answers = {};
  for (const pair of pairs) {
    const [question, answer, extra] = pair.split('~');
    if (extra !== undefined || question === undefined || answer === undefined) return null;
    if (!ID_PATTERN.test(question) || Object.hasOwn(answers, question)) return null;
    if (answer.includes('+')) {
      const list = answer.split('+');
      if (list.length > MAX_ANSWERS || !list.every((a) => ID_PATTERN.test(a))) return null;
      if (new Set(list).size !== list.length) return null;
      answers[question] = list;
    } else {
      if (!ANSWER_OR_SKIP.test(answer)) return null;
      answers[question] = answer;
    }
  }
  return { version: Number(head), answers };
}

// --- Moving through the questions ---

export type Step = { kind: 'question'; n: number } | { kind: 'where' } | { kind: 'result' };

/**
 * Records the answer to question n (1-based): the answers ticked (one for a single-answer question),
 * or SKIPPED when the person passes it. What cannot be recorded comes back as a problem to tell the
 * person (nothing chosen, two answers to a one-answer question, a forged address).
 */
export function answerQuestion(
  q: Questionnaire,
  state: DiagnosticState,
  n: number,
  choice: { skip: true } | { answers: readonly string[] },
): { ok: true; state: DiagnosticState } | { ok: false; problem: AnswerProblem } {
  const question = q.questions[n - 1];
  if (!question) return { ok: false, problem: { reason: 'none' } };
  let answer: Answer;
  if ('skip' in choice) answer = SKIPPED;
  else {
    const problem = checkChoice(question, choice.answers);
    if (problem) return { ok: false, problem };
    // In the questionnaire's order, whatever the order sent.
    const ids = question.reponses.filter((r) => choice.answers.includes(r.id)).map((r) => r.id);
    answer = question.multiple ? ids : (ids[0] as string);
  }
  return {
    ok: true,
    state: { version: state.version, answers: { ...state.answers, [question.id]: answer } },
  };
}

/** Where to go after question n: the next question, then the optional commune; back to the result
 * when the person came from it to change an answer. */
export function stepAfter(q: Questionnaire, n: number, backToResult: boolean): Step {
  if (backToResult) return { kind: 'result' };
  return n < q.questions.length ? { kind: 'question', n: n + 1 } : { kind: 'where' };
}
