import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { type Actor, authorize, can } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Commune } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { NEEDS, needBySlug } from '../search/needs.ts';
import { type SearchOrigin, searchPlaces } from '../search/search.service.ts';
import type { SearchHit } from '../search/search.ts';
import type { SearchInput } from '../search/search-query.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import type { PublicScope } from '../shared/territory.ts';
import {
  anyVersionChosenByPerson,
  countVersions,
  findActiveVersion,
  findVersion,
  highestVersion,
  insertVersion,
  listVersions,
  markActivated,
} from './diagnostic.repository.ts';
import { answerProblemText, diagnosticStrings } from './diagnostic.strings.ts';
import {
  type Answers,
  type DiagnosticResult,
  type DocumentIssue,
  evaluate,
  type ProfessionalLine,
  professionalSummary,
  type Questionnaire,
  questionnaireSchema,
  SHOWN_FIRST,
  validateQuestionnaireText,
} from './diagnostic.ts';
import {
  checkAnswers,
  type DiagnosticState,
  decodeDiagnosticToken,
  encodeDiagnosticToken,
  normalizeAnswers,
  type StateProblem,
} from './diagnostic-answers.ts';

export type { DiagnosticResult } from './diagnostic.ts';
export type { DiagnosticState } from './diagnostic-answers.ts';
export { decodeDiagnosticToken, encodeDiagnosticToken };

/**
 * The needs diagnostic's use cases: the questionnaire versions (data, uploaded and
 * activated by the coordinator, never changed once written), the evaluation of answers carried in a
 * token, and the result page's recommendations and nearby places. Answers are never stored.
 */

/** The value of the national schema's `prise_en_charge_specifique` for the illiteracy offer. */
export const ILLITERACY_SUPPORT = 'Illettrisme';
export const PLACES_PER_NEED = 3;

const STRINGS = diagnosticStrings(false);
const NEED_SLUGS: ReadonlySet<string> = new Set(NEEDS.map((n) => n.slug));
/** The questionnaires shipped with Maillage, oldest first: the last one is the one new installations use. */
const SHIPPED = [1, 2] as const;
const shippedFile = (version: number) => new URL(`./questionnaire.v${version}.json`, import.meta.url);
/**
 * Version 1 was shipped before questions could carry a `priorite`: its two questions where the person
 * says what she wants are known, and its results get the same order as later versions
 * (docs/decisions/0036). Only the shipped document, byte for byte, is read this way (readShippedV1).
 */
const SHIPPED_V1_PRIORITIES: Readonly<Record<string, number>> = { envie: 1, organisme: 2 };

const parsedCache = new WeakMap<Db, Map<number, Questionnaire>>();
const seeded = new WeakSet<Db>();

function actorId(actor: Actor): string | null {
  return actor.kind === 'person' ? actor.personId : null;
}

function actorLabel(actor: Actor): string {
  return actor.kind === 'person' ? 'personne' : actor.kind === 'system' ? 'cli' : 'anonyme';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const shippedTexts = new Map<number, string>();

/** A questionnaire shipped with Maillage, exactly as committed. */
export function shippedQuestionnaireText(version: (typeof SHIPPED)[number]): string {
  let text = shippedTexts.get(version);
  if (text === undefined) {
    text = fs.readFileSync(shippedFile(version), 'utf8');
    shippedTexts.set(version, text);
  }
  return text;
}

/** The questionnaire new installations start with (the last one shipped), exactly as committed. */
export function defaultQuestionnaireText(): string {
  return shippedQuestionnaireText(SHIPPED[SHIPPED.length - 1] as (typeof SHIPPED)[number]);
}

/**
 * Loads the questionnaires shipped with Maillage (docs/decisions/0036): each one whose version number is
 * still free is stored, and the last one becomes active when nobody chose otherwise — on a new
 * installation, or where the active version is the shipped one before it, untouched, and no person ever
 * wrote or activated a version (a coordinator who went back to the shipped version chose it). A coordinator's
 * own version is never replaced nor deactivated; a number already taken by one is left to it. Only the
 * process that stores a version activates it, so concurrent first uses load and activate once.
 */
export async function ensureDiagnosticVersion(db: Db, opts: { now?: Date } = {}): Promise<void> {
  if (seeded.has(db)) return;
  const now = opts.now ?? new Date();
  const fresh = (await countVersions(db)) === 0;
  for (const [i, version] of SHIPPED.entries()) {
    if (await findVersion(db, version)) continue;
    const text = shippedQuestionnaireText(version);
    const questionnaire = questionnaireSchema.parse(JSON.parse(text));
    const last = i === SHIPPED.length - 1;
    const previous = i > 0 ? SHIPPED[i - 1] : undefined;
    const active = fresh ? null : await findActiveVersion(db);
    const activate =
      last &&
      (fresh ||
        (previous !== undefined &&
          active?.version === previous &&
          active.document === shippedQuestionnaireText(previous) &&
          !(await anyVersionChosenByPerson(db))));
    // A version never used on an installation that already had diagnostics is not loaded: it would
    // only sit in the list. (A new installation loads them all: links to an older version still work.)
    if (!fresh && !activate) continue;
    await db.transaction().execute(async (tx) => {
      const inserted = await insertVersion(tx, {
        version,
        document: text,
        sha256: sha256(text),
        title: questionnaire.titre,
        question_count: questionnaire.questions.length,
        created_by: null,
        created_by_label: 'système (questionnaire livré avec Maillage)',
        created_at: now,
        activated_at: activate ? now : null,
        activated_by: null,
      });
      if (!inserted) return;
      await recordAudit(tx, {
        actorId: null,
        actorLabel: 'système',
        action: 'diagnostic.version_loaded',
        subjectType: 'diagnostic_version',
        subjectId: String(version),
        details: { version, sha256: sha256(text), activated: activate },
        at: now,
      });
      if (activate && active)
        await recordAudit(tx, {
          actorId: null,
          actorLabel: 'système',
          action: 'diagnostic.version_activated',
          subjectType: 'diagnostic_version',
          subjectId: String(version),
          details: { version, previous: active.version },
          at: now,
        });
    });
  }
  seeded.add(db);
}

/**
 * The shipped version 1 read with what version 2 added to the same questions and stages (version 2 is
 * version 1 with these additions and question 8 made multiple): the questions where the person says
 * what she wants, and the stages' sentences for the receiving professional. Its questions, answers,
 * points and rules are unchanged, so a diagnostic started on it keeps its meaning.
 */
function readShippedV1(v1: Questionnaire): Questionnaire {
  const v2 = questionnaireSchema.parse(JSON.parse(shippedQuestionnaireText(2)));
  return {
    ...v1,
    domaines: v1.domaines.map((d) => ({
      ...d,
      paliers: d.paliers.map((stage) => {
        const same = v2.domaines
          .find((d2) => d2.id === d.id)
          ?.paliers.find((s2) => s2.min === stage.min && s2.max === stage.max);
        return same?.professionnel ? { ...stage, professionnel: same.professionnel } : stage;
      }),
    })),
    questions: v1.questions.map((question) => {
      const priorite = SHIPPED_V1_PRIORITIES[question.id];
      return priorite === undefined ? question : { ...question, priorite };
    }),
  };
}

function parseStored(db: Db, version: number, document: string): Questionnaire {
  let cache = parsedCache.get(db);
  if (!cache) {
    cache = new Map();
    parsedCache.set(db, cache);
  }
  let questionnaire = cache.get(version);
  if (!questionnaire) {
    // Versions never change (trigger in 0007): a parsed version stays right forever.
    questionnaire = questionnaireSchema.parse(JSON.parse(document));
    if (version === 1 && document === shippedQuestionnaireText(1))
      questionnaire = readShippedV1(questionnaire);
    cache.set(version, questionnaire);
  }
  return questionnaire;
}

/** The questionnaire people answer today (the version activated last): anybody may read it. */
export async function getActiveQuestionnaire(db: Db, actor: Actor): Promise<Questionnaire> {
  authorize(actor, 'getActiveQuestionnaire');
  await ensureDiagnosticVersion(db);
  const row = await findActiveVersion(db);
  if (!row) throw new Error('no diagnostic version after loading the default one');
  return parseStored(db, row.version, row.document);
}

/** One version of the questionnaire, or null when that number was never uploaded. */
export async function getQuestionnaire(db: Db, version: number): Promise<Questionnaire | null> {
  await ensureDiagnosticVersion(db);
  const cached = parsedCache.get(db)?.get(version);
  if (cached) return cached;
  const row = await findVersion(db, version);
  return row ? parseStored(db, row.version, row.document) : null;
}

/**
 * The questionnaire and answers of a diagnostic in progress, for anybody (the answers are in the
 * token, never stored). No token starts a new one on the active version; a token that cannot be read,
 * or names a version that does not exist, is refused with a French message (the person restarts:
 * nothing was stored to lose).
 */
export async function openDiagnostic(
  db: Db,
  actor: Actor,
  input: { token: string | null },
): Promise<{ questionnaire: Questionnaire; state: DiagnosticState }> {
  authorize(actor, 'openDiagnostic');
  const { token } = input;
  if (token === null || token === '') {
    const questionnaire = await getActiveQuestionnaire(db, actor);
    return { questionnaire, state: { version: questionnaire.version, answers: {} } };
  }
  const state = decodeDiagnosticToken(token);
  if (!state) throw new DomainError('invalid_input', STRINGS.badToken, { field: 'd', reason: 'bad_token' });
  const questionnaire = await getQuestionnaire(db, state.version);
  if (!questionnaire)
    throw new DomainError('not_found', STRINGS.unknownVersion(state.version), {
      field: 'd',
      reason: 'unknown_version',
      version: state.version,
    });
  const problem = checkAnswers(questionnaire, state.answers);
  if (problem) throw badAnswers(questionnaire, problem);
  return { questionnaire, state: { ...state, answers: normalizeAnswers(questionnaire, state.answers) } };
}

/** A token whose answers do not fit its version: a 400 naming the question and the value. */
function badAnswers(questionnaire: Questionnaire, problem: StateProblem): DomainError {
  const question = problem.n === null ? undefined : questionnaire.questions[problem.n - 1];
  const detail =
    problem.reason === 'unknown_question' || !question
      ? ''
      : answerProblemText(STRINGS, problem, question, false);
  return new DomainError('invalid_input', STRINGS.badAnswers(problem.n, detail), {
    field: 'd',
    reason: 'bad_answers',
    version: questionnaire.version,
    problem,
    // What the page needs to say it in the reader's variant (the questionnaire is public).
    question: question ? { multiple: question.multiple === true, reponses: question.reponses } : null,
  });
}

/**
 * Evaluates answers with the version they were given for (an old token keeps its old questions and
 * rules): a profile per domain in words, messages for the person and for the professional, recommended
 * needs (slugs of the public search) and whether reading or writing seems difficult.
 */
export async function evaluateDiagnostic(
  db: Db,
  state: { version: number; answers: Answers },
  opts: { falc?: boolean } = {},
): Promise<DiagnosticResult> {
  const questionnaire = await getQuestionnaire(db, state.version);
  if (!questionnaire)
    throw new DomainError(
      'not_found',
      `Le questionnaire du diagnostic numéro ${state.version} n’existe pas.`,
      {
        version: state.version,
      },
    );
  const result = evaluate(questionnaire, state.answers, opts.falc ?? false);
  // A version uploaded before a need left the search's vocabulary must not send people to a dead link.
  return {
    ...result,
    needs: result.needs.filter((slug) => NEED_SLUGS.has(slug)),
    askedNeeds: result.askedNeeds.filter((slug) => NEED_SLUGS.has(slug)),
  };
}

/** The diagnostic as attached to an orientation: its version, answers, summary and needs. */
export interface DiagnosticForProfessional {
  version: string;
  answers: Answers;
  /** Said to the professional who receives the person ("La personne…"), in ordinary French. */
  domains: { label: string; profile: string }[];
  needs: string[];
}

/**
 * What a receiving professional reads of a diagnostic sent with an orientation: the person's own
 * choices first, then each domain in the third person ("La personne…", never the "Vous…" written to
 * the person), and the recommended needs. Null when the token cannot be read or does not fit its
 * version (the orientation form then says so).
 */
export async function summarizeDiagnosticForProfessional(
  db: Db,
  token: string,
): Promise<DiagnosticForProfessional | null> {
  const decoded = decodeDiagnosticToken(token);
  if (!decoded) return null;
  const questionnaire = await getQuestionnaire(db, decoded.version);
  if (!questionnaire || checkAnswers(questionnaire, decoded.answers)) return null;
  const answers = normalizeAnswers(questionnaire, decoded.answers);
  const result = await evaluateDiagnostic(db, { version: decoded.version, answers });
  const lines: ProfessionalLine[] = professionalSummary(questionnaire, answers);
  return {
    version: String(result.version),
    answers,
    domains: lines.map((l) => ({ label: l.label, profile: l.text })),
    needs: result.needs,
  };
}

// --- The result page: recommendations, nearby places, the professional's view ---

export interface PlaceSuggestion {
  hit: SearchHit;
  /** The recommended needs this place offers (for an orientation). */
  needs: string[];
}

export interface NeedPlaces {
  slug: string;
  /** The search page for this need (and the commune, when given). */
  searchHref: string;
  /** Nearest places, when a commune was given and the need is shown first or was asked for. */
  places: PlaceSuggestion[] | null;
  /** The person asked for it herself (a question with a `priorite`). */
  asked: boolean;
}

export interface DiagnosticAdvice {
  /** Messages for the professional, in the reader's variant. */
  messages: string[];
  /** "Orienter vers ce lieu" links by place id, for members of a structure (null for others). */
  orientationLinks: Record<string, string> | null;
}

export interface DiagnosticResultView {
  questionnaire: Questionnaire;
  state: DiagnosticState;
  token: string;
  result: DiagnosticResult;
  /** The commune the places are near, when one was given and found. */
  origin: SearchOrigin | null;
  /** What the person typed, when it names several communes: choose one. */
  communeChoice: { text: string; candidates: Commune[] } | null;
  /** What the person typed, when it names no commune. */
  communeNotFound: string | null;
  needs: NeedPlaces[];
  /** The illiteracy offer, when the answers signal a difficulty with reading or writing. */
  reading: NeedPlaces | null;
  advice: DiagnosticAdvice | null;
}

function searchHref(params: Record<string, string | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.append(k, v);
  return `/recherche?${q.toString()}#resultats`;
}

const baseInput = (where: Pick<SearchInput, 'where' | 'commune'>, limit: number): SearchInput => ({
  need: null,
  service: null,
  where: where.where,
  commune: where.commune,
  near: null,
  radiusKm: null,
  filters: {},
  offset: 0,
  limit,
});

/**
 * The result page of a diagnostic: the evaluation, each recommended need with a link to the public
 * search, and, when the person gave a commune, the nearest places for the first needs — and, when
 * reading or writing seems difficult, places that welcome people with illiteracy (the national schema's
 * `prise_en_charge_specifique: Illettrisme`). A signed-in professional also gets the professional
 * messages and, as a member of a structure, links to orient the person to each place. Anybody may see
 * a result; the professional's part is decided by `adviseFromDiagnostic`.
 */
export async function showDiagnosticResult(
  db: Db,
  actor: Actor,
  input: {
    /** Null or empty: a diagnostic without answers on the active version. */
    token: string | null;
    where: string | null;
    commune: string | null;
    falc: boolean;
    preferredCommunes?: ReadonlySet<string>;
    /** The public scope: the places suggested are the search's (docs/decisions/0025). */
    scope?: PublicScope;
  },
  opts: { now?: Date } = {},
): Promise<DiagnosticResultView> {
  authorize(actor, 'showDiagnosticResult');
  const { questionnaire, state } = await openDiagnostic(db, actor, { token: input.token });
  const result = await evaluateDiagnostic(db, state, { falc: input.falc });
  const token = encodeDiagnosticToken(state);
  const view: DiagnosticResultView = {
    questionnaire,
    state,
    token,
    result,
    origin: null,
    communeChoice: null,
    communeNotFound: null,
    needs: [],
    reading: null,
    advice: null,
  };
  const searchOpts = {
    ...(opts.now ? { now: opts.now } : {}),
    ...(input.preferredCommunes ? { preferredCommunes: input.preferredCommunes } : {}),
    ...(input.scope ? { scope: input.scope } : {}),
  };

  // Where: resolved once, then every search uses the commune's code.
  let place: { where: string | null; commune: string | null } | null = null;
  if (input.where || input.commune) {
    try {
      const outcome = await searchPlaces(
        db,
        actor,
        baseInput({ where: input.where, commune: input.commune }, 1),
        searchOpts,
      );
      if (outcome.kind === 'choose-commune') {
        if (outcome.candidates.length)
          view.communeChoice = { text: outcome.text, candidates: outcome.candidates };
        else view.communeNotFound = outcome.text;
      } else if (outcome.origin) {
        view.origin = outcome.origin;
        place = { where: null, commune: outcome.origin.commune?.code ?? input.commune };
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      view.communeNotFound = input.where ?? input.commune;
    }
  }
  // Links to the search keep what the person typed (or the commune chosen from a list).
  const linkWhere = {
    ...(view.origin ? (input.commune ? { commune: input.commune } : { ou: input.where }) : {}),
    falc: input.falc ? '1' : null,
  };

  const findPlaces = async (slug: string | null, support: boolean, limit: number): Promise<SearchHit[]> => {
    if (!place) return [];
    const need = slug ? needBySlug(slug) : null;
    const outcome = await searchPlaces(
      db,
      actor,
      {
        ...baseInput(place, limit),
        need,
        ...(support ? { filters: { support: [ILLITERACY_SUPPORT] } } : {}),
      },
      searchOpts,
    );
    return outcome.kind === 'results' ? outcome.hits : [];
  };

  // The needs asked for come first in result.needs: they all get places, and so do those shown first.
  const withPlacesCount = Math.max(SHOWN_FIRST, result.askedNeeds.length);
  for (const [i, slug] of result.needs.entries()) {
    const withPlaces = place !== null && i < withPlacesCount;
    const hits = withPlaces ? await findPlaces(slug, false, PLACES_PER_NEED) : [];
    view.needs.push({
      slug,
      searchHref: searchHref({ besoin: slug, ...linkWhere }),
      places: withPlaces ? hits.map((hit) => ({ hit, needs: [slug] })) : null,
      asked: result.askedNeeds.includes(slug),
    });
  }
  // A place listed for several needs is oriented to with all of them.
  const byPlace = new Map<string, string[]>();
  for (const n of view.needs)
    for (const p of n.places ?? [])
      byPlace.set(p.hit.place.id, [...(byPlace.get(p.hit.place.id) ?? []), n.slug]);
  for (const n of view.needs)
    for (const p of n.places ?? []) p.needs = byPlace.get(p.hit.place.id) ?? p.needs;

  if (result.readingSignal) {
    const hits = await findPlaces(null, true, PLACES_PER_NEED);
    const places: PlaceSuggestion[] = hits.map((hit) => ({ hit, needs: [] }));
    // Which recommended needs each of these places also offers (the orientation names needs).
    for (const slug of result.needs) {
      const offering = new Set((await findPlaces(slug, true, 50)).map((h) => h.place.id));
      for (const p of places) if (offering.has(p.hit.place.id)) p.needs.push(slug);
    }
    view.reading = {
      slug: ILLITERACY_SUPPORT,
      searchHref: searchHref({ accueil: ILLITERACY_SUPPORT, ...linkWhere }),
      places: place ? places : null,
      asked: false,
    };
  }

  if (can(actor, 'adviseFromDiagnostic')) {
    const suggestions = [...view.needs.flatMap((n) => n.places ?? []), ...(view.reading?.places ?? [])].map(
      (p) => ({ placeId: p.hit.place.id, needs: p.needs }),
    );
    view.advice = await adviseFromDiagnostic(db, actor, {
      result,
      token,
      places: suggestions,
    });
  }
  return view;
}

/**
 * What a professional sees beside a diagnostic's result: the messages written for professionals and,
 * for members of a structure (who may send orientations), a link per suggested place to orient the
 * person there with the needs it offers and the diagnostic attached.
 */
export async function adviseFromDiagnostic(
  _db: Db,
  actor: Actor,
  input: { result: DiagnosticResult; token: string; places: { placeId: string; needs: string[] }[] },
): Promise<DiagnosticAdvice> {
  authorize(actor, 'adviseFromDiagnostic');
  const member = actor.kind === 'person' && actor.memberships.length > 0;
  let orientationLinks: Record<string, string> | null = null;
  if (member) {
    orientationLinks = {};
    for (const p of input.places) {
      const q = new URLSearchParams({ lieu: p.placeId });
      for (const slug of p.needs) q.append('besoin', slug);
      q.append('diagnostic', input.token);
      orientationLinks[p.placeId] = `/orientations/nouvelle?${q.toString()}`;
    }
  }
  return { messages: input.result.professionalMessages, orientationLinks };
}

// --- Versions (the coordinator) ---

export interface DiagnosticVersionSummary {
  version: number;
  title: string;
  questionCount: number;
  sha256: string;
  createdAt: Date;
  createdByLabel: string;
  activatedAt: Date | null;
  active: boolean;
}

/** Every version of the questionnaire, newest first, with the one people answer today. */
export async function listDiagnosticVersions(db: Db, actor: Actor): Promise<DiagnosticVersionSummary[]> {
  authorize(actor, 'listDiagnosticVersions');
  await ensureDiagnosticVersion(db);
  const active = await findActiveVersion(db);
  return (await listVersions(db)).map((r) => ({
    version: r.version,
    title: r.title,
    questionCount: r.question_count,
    sha256: r.sha256,
    createdAt: r.created_at,
    createdByLabel: r.created_by_label,
    activatedAt: r.activated_at,
    active: r.version === active?.version,
  }));
}

/** One version's JSON document, exactly as it was uploaded. */
export async function exportDiagnosticVersion(
  db: Db,
  actor: Actor,
  version: number,
): Promise<{ version: number; document: string }> {
  authorize(actor, 'exportDiagnosticVersion');
  await ensureDiagnosticVersion(db);
  const row = await findVersion(db, version);
  if (!row)
    throw new DomainError('not_found', `La version ${version} du diagnostic n’existe pas.`, { version });
  return { version: row.version, document: row.document };
}

export type UploadOutcome = { ok: true; version: number } | { ok: false; issues: DocumentIssue[] };

/**
 * Records a new version of the questionnaire, not yet active. The document must pass the JSON Schema
 * and the consistency checks (every issue names its path, in French) and carry a version number not
 * used before. The upload is written to the audit log.
 */
export async function uploadDiagnosticVersion(
  db: Db,
  actor: Actor,
  input: { text: string },
  opts: { now?: Date } = {},
): Promise<UploadOutcome> {
  authorize(actor, 'uploadDiagnosticVersion');
  await ensureDiagnosticVersion(db);
  const checked = validateQuestionnaireText(input.text, NEED_SLUGS);
  if (!checked.ok) return checked;
  const q = checked.questionnaire;
  const taken = async (): Promise<UploadOutcome> => {
    const highest = await highestVersion(db);
    return {
      ok: false,
      issues: [
        {
          path: 'version',
          message: `la version ${q.version} existe déjà : donnez un numéro nouveau, par exemple ${highest + 1}`,
        },
      ],
    };
  };
  if (await findVersion(db, q.version)) return taken();
  const now = opts.now ?? new Date();
  const hash = sha256(input.text);
  return db.transaction().execute(async (tx) => {
    const inserted = await insertVersion(tx, {
      version: q.version,
      document: input.text,
      sha256: hash,
      title: q.titre,
      question_count: q.questions.length,
      created_at: now,
      created_by: actorId(actor),
      created_by_label: actorLabel(actor),
      activated_at: null,
      activated_by: null,
    });
    if (!inserted) return taken();
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'diagnostic.version_uploaded',
      subjectType: 'diagnostic_version',
      subjectId: String(q.version),
      details: { version: q.version, sha256: hash, questions: q.questions.length, title: q.titre },
      at: now,
    });
    return { ok: true, version: q.version };
  });
}

/**
 * Makes a version the one people answer from now on. Diagnostics already started keep their version
 * (it is in their token); going back to an older version is an activation like any other. Audited.
 */
export async function activateDiagnosticVersion(
  db: Db,
  actor: Actor,
  version: number,
  opts: { now?: Date } = {},
): Promise<void> {
  authorize(actor, 'activateDiagnosticVersion');
  await ensureDiagnosticVersion(db);
  const now = opts.now ?? new Date();
  await db.transaction().execute(async (tx) => {
    const previous = await findActiveVersion(tx);
    if (!(await markActivated(tx, version, now, actorId(actor))))
      throw new DomainError('not_found', `La version ${version} du diagnostic n’existe pas.`, { version });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'diagnostic.version_activated',
      subjectType: 'diagnostic_version',
      subjectId: String(version),
      details: { version, previous: previous?.version ?? null },
      at: now,
    });
  });
}
