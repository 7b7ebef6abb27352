import { z } from 'zod';

/**
 * The needs diagnostic, pure: the questionnaire document (questions, levels per domain and
 * rules are data, in the manner of score stages and triggers), its validation with French messages
 * naming the path, the engine that turns answers into a result, and the compact token that carries the
 * answers in the page (they are never stored on the server).
 *
 * Points measure ease: each answer gives points to its question's domain; a domain's stages map score
 * ranges to a sentence in words (never a grade). Triggers are conditions on answers and scores that add a
 * message for the person, a message for the professional, recommended needs (slugs of the public
 * search's everyday needs) and, for gentle signals of difficulty with reading or writing, `lecture`.
 */

/** Ids of domains, questions, answers and triggers: lowercase, digits and hyphens (URL- and token-safe). */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** The answer recorded for a question the person chose to pass. */
export const SKIPPED = '_';
/** Longest document accepted (characters): the default questionnaire is about a tenth of it. */
export const MAX_DOCUMENT_CHARS = 200_000;
/** The longest "Où ?" answer read: a commune's name or a postcode, not an address. */
export const MAX_WHERE = 100;
export const MAX_QUESTIONS = 30;
/** Most answers a question offers, and so most a multiple-answer question can record. */
export const MAX_ANSWERS = 12;
/**
 * Needs, tips and place lists shown first on the result page (the rest behind "Voir tout"). The needs
 * shown first get their nearest places, and so do all the needs the person asked for herself.
 */
export const SHOWN_FIRST = 5;
/** Highest `priorite` a question can have (1 comes first). */
export const MAX_PRIORITY = 9;
/** Longest token accepted (characters), far above what MAX_QUESTIONS answers need. */
export const MAX_TOKEN_CHARS = 3_000;

const registry = z.registry<{ id?: string; title?: string; description?: string }>();

/** A copy of the schema with a description in the JSON Schema (the shared one stays bare). */
function note<T extends z.ZodType>(schema: T, description: string): T {
  const copy = schema.clone() as T;
  registry.add(copy, { description });
  return copy;
}

const identifier = z.string().regex(ID_PATTERN);
const points = z.number().int().min(-100).max(100);

const text = z.strictObject({
  courant: note(z.string().min(1).max(600), 'Le texte en français courant.'),
  falc: note(z.string().min(1).max(600), 'La variante Facile à lire et à comprendre (phrases courtes).'),
});
registry.add(text, { id: 'texte', description: 'Un texte, en français courant et en variante FALC.' });

export type Condition =
  | { type: 'reponse'; question: string; parmi: string[] }
  | { type: 'score'; domaine: string; min?: number | undefined; max?: number | undefined }
  | { type: 'tous'; conditions: Condition[] }
  | { type: 'auMoinsUn'; conditions: Condition[] };

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('reponse'),
      question: note(identifier, 'L’identifiant d’une question.'),
      parmi: note(z.array(identifier).min(1).max(20), 'Vraie si la réponse choisie est l’une de celles-ci.'),
    }),
    z.strictObject({
      type: z.literal('score'),
      domaine: note(identifier, 'L’identifiant d’un domaine.'),
      min: note(z.number().int(), 'Vraie si le score du domaine est au moins min…').optional(),
      max: note(z.number().int(), '… et au plus max.').optional(),
    }),
    z.strictObject({ type: z.literal('tous'), conditions: z.array(condition).min(1).max(20) }),
    z.strictObject({ type: z.literal('auMoinsUn'), conditions: z.array(condition).min(1).max(20) }),
  ]),
);
registry.add(condition, {
  id: 'condition',
  description:
    'Une condition sur les réponses ou les scores : reponse, score, tous (toutes vraies) ou auMoinsUn.',
});

export const questionnaireSchema = z.strictObject({
  $schema: z.string().max(500).optional(),
  version: note(z.number().int().min(1).max(999_999), 'Le numéro de la version, unique.'),
  titre: z.string().min(1).max(200),
  domaines: z
    .array(
      z.strictObject({
        id: identifier,
        libelle: text,
        paliers: note(
          z
            .array(
              z.strictObject({
                min: note(points, 'Le plus petit score de ce palier.'),
                max: note(points, 'Le plus grand score de ce palier.'),
                profil: note(text, 'La phrase qui décrit la personne à ce palier, en mots.'),
                professionnel: note(
                  text,
                  'La même chose dite au professionnel qui reçoit une orientation (« La personne… »).',
                ).optional(),
              }),
            )
            .min(1)
            .max(10),
          'Du score le plus bas au plus haut, sans trou ni chevauchement.',
        ),
      }),
    )
    .min(1)
    .max(10),
  questions: note(
    z
      .array(
        z.strictObject({
          id: identifier,
          domaine: note(identifier, 'Le domaine auquel les points des réponses sont comptés.'),
          intitule: text,
          aide: text.optional(),
          multiple: note(
            z.boolean(),
            'Plusieurs réponses possibles (cases à cocher). Ses réponses ne donnent pas de points.',
          ).optional(),
          priorite: note(
            z.number().int().min(1).max(MAX_PRIORITY),
            'La personne y dit ce qu’elle veut faire : les besoins que sa réponse déclenche viennent en tête du résultat (1 avant 2), avec leurs lieux.',
          ).optional(),
          reponses: z
            .array(
              z.strictObject({
                id: identifier,
                libelle: text,
                points,
                seule: note(
                  z.boolean(),
                  'Dans une question à plusieurs réponses, cette réponse ne se coche pas avec une autre (par exemple « Aucune »).',
                ).optional(),
              }),
            )
            .min(2)
            .max(MAX_ANSWERS),
        }),
      )
      .min(1)
      .max(MAX_QUESTIONS),
    'Une question par page, dans cet ordre.',
  ),
  declencheurs: z
    .array(
      z.strictObject({
        id: identifier,
        si: condition,
        personne: note(text, 'Le message pour la personne.').optional(),
        professionnel: note(text, 'Le message pour le professionnel connecté.').optional(),
        besoins: note(
          z.array(identifier).max(10),
          'Des besoins du vocabulaire de la recherche (src/search/needs.ts).',
        ).optional(),
        lecture: note(
          z.boolean(),
          'Un signal de difficulté avec la lecture ou l’écriture : oriente vers l’offre illettrisme.',
        ).optional(),
      }),
    )
    .max(100),
});
registry.add(questionnaireSchema, {
  title: 'Questionnaire du diagnostic des besoins (Maillage)',
  description:
    'Les questions, les paliers par domaine et les déclencheurs du diagnostic. Chaque texte a une variante FALC.',
});

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Text = z.infer<typeof text>;
export type Question = Questionnaire['questions'][number];
export type Domain = Questionnaire['domaines'][number];
export type Trigger = Questionnaire['declencheurs'][number];

/** The JSON Schema of the document (committed as questionnaire.schema.json; a test keeps them equal). */
export function questionnaireJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(questionnaireSchema, { metadata: registry, target: 'draft-2020-12' }),
    $id: 'https://maillage.example.org/schemas/diagnostic-questionnaire.schema.json',
  };
}

export function pick(t: Text, falc: boolean): string {
  return falc ? t.falc : t.courant;
}

// --- Validation with French messages naming the path ---

export interface DocumentIssue {
  /** « questions[3].reponses[1].points » (positions counted from 0), or « document ». */
  path: string;
  message: string;
}

export type Validated = { ok: true; questionnaire: Questionnaire } | { ok: false; issues: DocumentIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'document' : out;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'doit être un nombre',
  int: 'doit être un nombre entier',
  string: 'doit être un texte entre guillemets',
  array: 'doit être une liste [ … ]',
  object: 'doit être un objet { … }',
  boolean: 'doit valoir true ou false',
};

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;
const quoteList = (values: readonly unknown[]) => {
  const quoted = values.map((v) => `« ${String(v)} »`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} ou ${quoted.at(-1)}` : (quoted[0] ?? '');
};

function frenchMessage(issue: z.core.$ZodIssue): string {
  const hasInput = 'input' in issue && issue.input !== undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (!hasInput) return 'est obligatoire';
      return TYPE_WORDS[issue.expected] ?? `doit être de type ${issue.expected}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1 ? 'ne doit pas être vide' : `doit avoir au moins ${plural(min, 'caractère')}`;
      if (issue.origin === 'array') return `doit contenir au moins ${plural(min, 'élément')}`;
      return `doit être supérieur ou égal à ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') {
        const length = typeof issue.input === 'string' ? ` (il en a ${issue.input.length})` : '';
        return `doit avoir au plus ${plural(max, 'caractère')}${length}`;
      }
      if (issue.origin === 'array') return `doit contenir au plus ${plural(max, 'élément')}`;
      return `doit être inférieur ou égal à ${max}`;
    }
    case 'invalid_format':
      return 'doit être un identifiant : lettres minuscules sans accent, chiffres et tirets, 40 caractères au plus (par exemple « acces-internet »)';
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options))
        return hasInput
          ? `doit valoir ${quoteList(issue.options as unknown[])}`
          : `est obligatoire : ${quoteList(issue.options as unknown[])}`;
      return 'ne correspond à aucune forme permise';
    case 'invalid_value':
      return `doit valoir ${quoteList(issue.values)}`;
    case 'not_multiple_of':
      return `doit être un multiple de ${String(issue.divisor)}`;
    default:
      return 'valeur invalide';
  }
}

/** French issues for what zod found; an unknown key is named in the path. */
function schemaIssues(error: z.ZodError, value: unknown): DocumentIssue[] {
  const out: DocumentIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({
          path: formatPath([...issue.path, key]),
          message: 'champ inconnu (vérifiez son orthographe ; les champs permis sont dans le schéma)',
        });
    } else out.push({ path: formatPath(issue.path), message: frenchMessage(issue) });
  }
  return out.map((i) => ({ ...i, message: i.message + questionHint(i.path, value) }));
}

/** « (question « courrier ») » after a path inside a question, to find it in a long document. */
function questionHint(path: string, value: unknown): string {
  const m = /^(questions|domaines|declencheurs)\[(\d+)\]\./.exec(path);
  if (!m) return '';
  const list = (value as Record<string, unknown> | null)?.[m[1] as string];
  const item = Array.isArray(list) ? (list[Number(m[2])] as { id?: unknown } | undefined) : undefined;
  const word = { questions: 'question', domaines: 'domaine', declencheurs: 'déclencheur' }[
    m[1] as 'questions'
  ];
  return typeof item?.id === 'string' && ID_PATTERN.test(item.id) ? ` (${word} « ${item.id} »)` : '';
}

/** Lowest and highest score a domain can reach (a passed question counts 0). */
export function scoreRange(q: Questionnaire, domainId: string): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const question of q.questions) {
    if (question.domaine !== domainId) continue;
    const values = question.reponses.map((r) => r.points);
    min += Math.min(0, ...values);
    max += Math.max(0, ...values);
  }
  return { min, max };
}

/** What the schema cannot say: unique ids, references that exist, stages without gap or overlap. */
function consistencyIssues(q: Questionnaire, knownNeeds: ReadonlySet<string>): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const duplicates = (list: { id: string }[], name: string) => {
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first !== undefined)
        add(`${name}[${i}].id`, `l’identifiant « ${item.id} » est déjà utilisé par ${name}[${first}]`);
      else seen.set(item.id, i);
    });
  };
  duplicates(q.domaines, 'domaines');
  duplicates(q.questions, 'questions');
  duplicates(q.declencheurs, 'declencheurs');
  const domains = new Set(q.domaines.map((d) => d.id));
  const domainList = [...domains].join(', ');
  const questions = new Map(q.questions.map((question) => [question.id, question]));

  q.questions.forEach((question, i) => {
    if (!domains.has(question.domaine))
      add(
        `questions[${i}].domaine`,
        `le domaine « ${question.domaine} » n’existe pas (domaines : ${domainList}) (question « ${question.id} »)`,
      );
    if (question.multiple && isScoring(question))
      add(
        `questions[${i}]`,
        `une question à plusieurs réponses ne donne pas de points : mettez 0 à chaque réponse (question « ${question.id} »)`,
      );
    const seen = new Map<string, number>();
    question.reponses.forEach((r, j) => {
      if (r.seule && !question.multiple)
        add(
          `questions[${i}].reponses[${j}].seule`,
          `n’a de sens que dans une question à plusieurs réponses (« multiple »: true) (question « ${question.id} »)`,
        );
      const first = seen.get(r.id);
      if (first !== undefined)
        add(
          `questions[${i}].reponses[${j}].id`,
          `l’identifiant « ${r.id} » est déjà utilisé par reponses[${first}] (question « ${question.id} »)`,
        );
      else seen.set(r.id, j);
    });
  });

  q.domaines.forEach((domain, i) => {
    if (!q.questions.some((question) => question.domaine === domain.id && isScoring(question))) {
      add(`domaines[${i}]`, `aucune question avec des points ne compte pour le domaine « ${domain.id} »`);
      return;
    }
    const range = scoreRange(q, domain.id);
    let previous: { max: number; j: number } | null = null;
    domain.paliers.forEach((stage, j) => {
      const path = `domaines[${i}].paliers[${j}]`;
      if (stage.min > stage.max) {
        add(path, `min (${stage.min}) est plus grand que max (${stage.max}) (domaine « ${domain.id} »)`);
      }
      if (previous === null) {
        if (stage.min > range.min)
          add(
            `${path}.min`,
            `doit être ${range.min} ou moins : le score le plus bas possible du domaine « ${domain.id} » est ${range.min}`,
          );
      } else if (stage.min !== previous.max + 1) {
        add(
          `${path}.min`,
          `doit être ${previous.max + 1}, juste après le palier précédent qui finit à ${previous.max} (domaine « ${domain.id} » : ni trou ni chevauchement)`,
        );
      }
      previous = { max: stage.max, j };
    });
    const last = domain.paliers.at(-1);
    if (last && last.max < range.max)
      add(
        `domaines[${i}].paliers[${domain.paliers.length - 1}].max`,
        `doit être ${range.max} ou plus : le score le plus haut possible du domaine « ${domain.id} » est ${range.max}`,
      );
  });

  const checkCondition = (c: Condition, path: string) => {
    if (c.type === 'reponse') {
      const question = questions.get(c.question);
      if (!question) {
        add(`${path}.question`, `la question « ${c.question} » n’existe pas`);
        return;
      }
      c.parmi.forEach((answer, k) => {
        if (!question.reponses.some((r) => r.id === answer))
          add(
            `${path}.parmi[${k}]`,
            `la question « ${c.question} » n’a pas de réponse « ${answer} » (réponses : ${question.reponses.map((r) => r.id).join(', ')})`,
          );
      });
    } else if (c.type === 'score') {
      if (!domains.has(c.domaine))
        add(`${path}.domaine`, `le domaine « ${c.domaine} » n’existe pas (domaines : ${domainList})`);
      if (c.min === undefined && c.max === undefined) add(path, 'doit avoir min, max ou les deux');
      if (c.min !== undefined && c.max !== undefined && c.min > c.max)
        add(path, `min (${c.min}) est plus grand que max (${c.max})`);
    } else {
      c.conditions.forEach((inner, k) => {
        checkCondition(inner, `${path}.conditions[${k}]`);
      });
    }
  };
  q.declencheurs.forEach((trigger, i) => {
    const path = `declencheurs[${i}]`;
    checkCondition(trigger.si, `${path}.si`);
    trigger.besoins?.forEach((slug, k) => {
      if (!knownNeeds.has(slug))
        add(
          `${path}.besoins[${k}]`,
          `le besoin « ${slug} » n’existe pas dans le vocabulaire de la recherche (déclencheur « ${trigger.id} »)`,
        );
    });
    if (!trigger.personne && !trigger.professionnel && !trigger.besoins?.length && !trigger.lecture)
      add(
        path,
        `ne produit rien : donnez personne, professionnel, besoins ou lecture (déclencheur « ${trigger.id} »)`,
      );
  });
  return issues;
}

/**
 * Where a JSON text stops being JSON (offset), or -1. JSON.parse does not always say (Node 20 often
 * gives a snippet only), and a coordinator fixing a file by hand needs the line and column.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') i += 2;
      else if (c < ' ') fail();
      else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') {
      string();
      return;
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number) {
      i += number[0].length;
      return;
    }
    for (const literal of ['true', 'false', 'null'])
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (at) {
    return typeof at === 'number' ? at : -1;
  }
}

/** « (ligne 3, colonne 5 : « } » inattendu) » for a JSON text that JSON.parse refused. */
function jsonPosition(text: string): string {
  const at = jsonErrorOffset(text);
  if (at < 0) return '';
  const lines = text.slice(0, at).split('\n');
  const where = `ligne ${lines.length}, colonne ${(lines.at(-1)?.length ?? 0) + 1}`;
  const found = text[at];
  return found === undefined
    ? ` (${where} : le texte s’arrête trop tôt)`
    : ` (${where} : « ${found} » inattendu)`;
}

/** How deeply objects and arrays nest (conditions inside conditions), without recursion. */
function nesting(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}
export const MAX_NESTING = 30;

/**
 * Validates a questionnaire given as JSON text: size, JSON syntax, the schema, then consistency (ids
 * unique, references to existing questions, answers, domains and needs, stages covering every score).
 * Every issue names its path.
 */
export function validateQuestionnaireText(text: string, knownNeeds: ReadonlySet<string>): Validated {
  if (text.length > MAX_DOCUMENT_CHARS)
    return {
      ok: false,
      issues: [
        {
          path: 'document',
          message: `est trop long : ${text.length} caractères, ${MAX_DOCUMENT_CHARS} au plus`,
        },
      ],
    };
  if (text.trim() === '') return { ok: false, issues: [{ path: 'document', message: 'est vide' }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      issues: [{ path: 'document', message: `n’est pas du JSON valide${jsonPosition(text)}` }],
    };
  }
  return validateQuestionnaire(value, knownNeeds);
}

export function validateQuestionnaire(value: unknown, knownNeeds: ReadonlySet<string>): Validated {
  if (nesting(value) > MAX_NESTING)
    return {
      ok: false,
      issues: [{ path: 'document', message: `est trop imbriqué : ${MAX_NESTING} niveaux au plus` }],
    };
  const parsed = questionnaireSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error, value) };
  const issues = consistencyIssues(parsed.data, knownNeeds);
  return issues.length ? { ok: false, issues } : { ok: true, questionnaire: parsed.data };
}

// --- The engine ---

/** One question's answer: an answer's id, SKIPPED, or the ids ticked in a multiple-answer question. */
export type Answer = string | readonly string[];
export type Answers = Record<string, Answer>;

/** The answer to a question, or null (own properties only: ids like "constructor" stay plain words). */
export function answerOf(answers: Answers, questionId: string): Answer | null {
  return Object.hasOwn(answers, questionId) ? (answers[questionId] ?? null) : null;
}

/** The answers' ids chosen for a question: none when it was not answered or was passed. */
export function chosenOf(answers: Answers, questionId: string): readonly string[] {
  const answer = answerOf(answers, questionId);
  if (answer === null || answer === SKIPPED) return [];
  return typeof answer === 'string' ? [answer] : answer;
}

export interface DomainProfile {
  id: string;
  label: string;
  /** The stage's sentence (or NO_ANSWER's when no question of the domain was answered). */
  profile: string;
  /** Null when no question of the domain was answered. */
  score: number | null;
}

/** The profile of a domain whose questions were all passed. */
export const NO_ANSWER: Text = {
  courant: 'Vous n’avez pas répondu aux questions de ce thème.',
  falc: 'Pas de réponse pour ce thème.',
};

export interface DiagnosticResult {
  version: number;
  title: string;
  domains: DomainProfile[];
  /** Tips for the person: those of the person's own choices first, then in the document's order. */
  personMessages: string[];
  professionalMessages: string[];
  /**
   * Slugs of the public search's everyday needs: first those the person asked for (answers to the
   * questions with a `priorite`, 1 before 2), then the others in the order of the triggers.
   */
  needs: string[];
  /** The needs the person asked for herself (the first ones of `needs`): they always get places. */
  askedNeeds: string[];
  /** Some answers gently signal a difficulty with reading or writing. */
  readingSignal: boolean;
  /** Ids of the triggers that fired, in the result's order. */
  triggers: string[];
  answered: number;
  questionCount: number;
}

/** Whether a question scores (some answer gives points): the others only inform triggers. */
export function isScoring(question: Question): boolean {
  return question.reponses.some((r) => r.points !== 0);
}

/**
 * Each domain's score: the points of the answers chosen. Null when none of its scoring questions was
 * answered (a question whose answers all give 0 points, "which démarche now?", says nothing of ease).
 * A multiple-answer question never scores (the document's checks refuse points on it).
 */
export function domainScores(q: Questionnaire, answers: Answers): Map<string, number | null> {
  const scores = new Map<string, number | null>(q.domaines.map((d) => [d.id, null]));
  for (const question of q.questions) {
    if (!isScoring(question) || question.multiple) continue;
    const answer = answerOf(answers, question.id);
    const chosen = question.reponses.find((r) => r.id === answer);
    if (!chosen) continue;
    scores.set(question.domaine, (scores.get(question.domaine) ?? 0) + chosen.points);
  }
  return scores;
}

export function holds(c: Condition, answers: Answers, scores: Map<string, number | null>): boolean {
  switch (c.type) {
    case 'reponse':
      return chosenOf(answers, c.question).some((answer) => c.parmi.includes(answer));
    case 'score': {
      const score = scores.get(c.domaine);
      if (score === null || score === undefined) return false;
      return (c.min === undefined || score >= c.min) && (c.max === undefined || score <= c.max);
    }
    case 'tous':
      return c.conditions.every((inner) => holds(inner, answers, scores));
    case 'auMoinsUn':
      return c.conditions.some((inner) => holds(inner, answers, scores));
  }
}

/**
 * How much a condition that holds comes from the person's own choices: the smallest `priorite` of the
 * questions whose answer makes it true, or Infinity when none does (a difficulty, a score).
 */
function askedRank(
  c: Condition,
  answers: Answers,
  scores: Map<string, number | null>,
  priorities: ReadonlyMap<string, number>,
): number {
  if (!holds(c, answers, scores)) return Number.POSITIVE_INFINITY;
  if (c.type === 'reponse') return priorities.get(c.question) ?? Number.POSITIVE_INFINITY;
  if (c.type === 'score') return Number.POSITIVE_INFINITY;
  return Math.min(...c.conditions.map((inner) => askedRank(inner, answers, scores, priorities)));
}

/**
 * Turns answers into a result: a profile per domain in words (the stage its score falls in), then every
 * trigger whose condition holds adds its messages and needs without repeats — first the triggers fired
 * by the person's own choices (questions with a `priorite`, 1 before 2), then the others, each group in
 * the document's order. Answers to unknown questions, or unknown answers, count as not given.
 */
export function evaluate(q: Questionnaire, answers: Answers, falc = false): DiagnosticResult {
  const scores = domainScores(q, answers);
  const domains = q.domaines.map((d) => {
    const score = scores.get(d.id) ?? null;
    const stage = score === null ? null : d.paliers.find((p) => score >= p.min && score <= p.max);
    return { id: d.id, label: pick(d.libelle, falc), profile: pick(stage?.profil ?? NO_ANSWER, falc), score };
  });
  const priorities = new Map<string, number>();
  for (const question of q.questions)
    if (question.priorite !== undefined) priorities.set(question.id, question.priorite);
  const fired = q.declencheurs
    .map((trigger, order) => ({ trigger, order, rank: askedRank(trigger.si, answers, scores, priorities) }))
    .filter((f) => holds(f.trigger.si, answers, scores))
    .sort((a, b) => a.rank - b.rank || a.order - b.order);
  const personMessages: string[] = [];
  const professionalMessages: string[] = [];
  const needs: string[] = [];
  const askedNeeds: string[] = [];
  const triggers: string[] = [];
  let readingSignal = false;
  for (const { trigger, rank } of fired) {
    triggers.push(trigger.id);
    if (trigger.personne) personMessages.push(pick(trigger.personne, falc));
    if (trigger.professionnel) professionalMessages.push(pick(trigger.professionnel, falc));
    for (const slug of trigger.besoins ?? []) {
      if (needs.includes(slug)) continue;
      needs.push(slug);
      if (rank !== Number.POSITIVE_INFINITY) askedNeeds.push(slug);
    }
    if (trigger.lecture) readingSignal = true;
  }
  const answered = q.questions.filter((question) =>
    question.reponses.some((r) => chosenOf(answers, question.id).includes(r.id)),
  ).length;
  return {
    version: q.version,
    title: q.titre,
    domains,
    personMessages,
    professionalMessages,
    needs,
    askedNeeds,
    readingSignal,
    triggers,
    answered,
    questionCount: q.questions.length,
  };
}

/** A line of the summary sent to a professional with an orientation. */
export interface ProfessionalLine {
  label: string;
  text: string;
}

const quoted = (s: string) => `« ${s} »`;

/**
 * The diagnostic told to the professional who receives the person (an orientation), in ordinary French
 * and in the third person: what the person asked for (answers to the questions with a `priorite`), then
 * each domain with its stage's `professionnel` sentence — or, for a document without one, the person's
 * answers quoted, never the sentences written to the person ("Vous…").
 */
export function professionalSummary(q: Questionnaire, answers: Answers): ProfessionalLine[] {
  const lines: ProfessionalLine[] = [];
  const answerText = (question: Question) =>
    question.reponses
      .filter((r) => chosenOf(answers, question.id).includes(r.id))
      .map((r) => quoted(r.libelle.courant))
      .join(', ');
  const asked = q.questions
    .filter((question) => question.priorite !== undefined && answerText(question) !== '')
    .sort((a, b) => (a.priorite ?? 0) - (b.priorite ?? 0));
  for (const question of asked)
    lines.push({
      label: 'Ce que la personne a demandé',
      text: `À la question ${quoted(question.intitule.courant)}, la personne a répondu : ${answerText(question)}.`,
    });
  const scores = domainScores(q, answers);
  for (const d of q.domaines) {
    const score = scores.get(d.id) ?? null;
    const stage = score === null ? null : d.paliers.find((p) => score >= p.min && score <= p.max);
    let text: string;
    if (score === null) text = 'La personne n’a pas répondu aux questions de ce thème.';
    else if (stage?.professionnel) text = stage.professionnel.courant;
    else {
      const given = q.questions
        .filter((question) => question.domaine === d.id && isScoring(question) && answerText(question))
        .map((question) => `${quoted(question.intitule.courant)} : ${answerText(question)}`);
      text = `Réponses de la personne : ${given.join(' ; ')}.`;
    }
    lines.push({ label: d.libelle.courant, text });
  }
  return lines;
}
