import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Actor } from '../accounts/policy.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor, requireSession } from '../http/auth.ts';
import { mapError } from '../http/errors.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { countUsage } from '../usage/usage-counter.ts';
import type { PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import { renderPage } from '../web/render.ts';
import {
  activateDiagnosticVersion,
  exportDiagnosticVersion,
  getActiveQuestionnaire,
  listDiagnosticVersions,
  openDiagnostic,
  showDiagnosticResult,
  uploadDiagnosticVersion,
} from './diagnostic.service.ts';
import { answerProblemText, diagnosticStrings } from './diagnostic.strings.ts';
import {
  type DocumentIssue,
  MAX_DOCUMENT_CHARS,
  MAX_WHERE,
  type Question,
  questionnaireJsonSchema,
} from './diagnostic.ts';
import {
  DiagnosticProblemPage,
  type Flow,
  flowHref,
  QuestionPage,
  ResultPage,
  StartPage,
  VersionsPage,
  WherePage,
} from './diagnostic.views.tsx';
import { answerQuestion, encodeDiagnosticToken, type StateProblem, stepAfter } from './diagnostic-answers.ts';

type C = Context<AppEnv>;
type AnsweredQuestion = Pick<Question, 'multiple' | 'reponses'>;

/** The diagnostic's query string: everything optional, each value bounded. */
const flowQuery = z.object({
  d: z.string().max(5000).optional(),
  retour: z.string().max(20).optional(),
  ou: z.string().max(1000).optional(),
  commune: z.string().max(20).optional(),
  falc: z.string().max(5).optional(),
  n: z.string().max(10).optional(),
  passer: z.string().max(10).optional(),
});
type FlowQuery = z.infer<typeof flowQuery>;
type Opened = Awaited<ReturnType<typeof openDiagnostic>>;

function readQuery(c: C): FlowQuery {
  const parsed = flowQuery.safeParse(c.req.query());
  // An address too long to be ours: read nothing from it (the pages then say the link is damaged).
  return parsed.success ? parsed.data : { d: '!' };
}

function flowOf(q: FlowQuery, d: string): Flow {
  const ou = q.ou?.trim() ?? '';
  const commune = q.commune?.trim().toUpperCase() ?? '';
  return {
    d,
    retour: q.retour === 'resultat',
    ou: ou !== '' && ou.length <= MAX_WHERE ? ou : null,
    commune: /^(\d{5}|2[AB]\d{3})$/.test(commune) ? commune : null,
    falc: q.falc === '1',
  };
}

/** `falc=1` in the address shows the page in FALC wording, whatever the cookie says (as the search). */
function contextOf(c: C, q: FlowQuery): PageContext {
  const ctx = c.get('page');
  if (q.falc !== '1') return ctx;
  return { ...ctx, prefs: { ...(ctx.prefs ?? DEFAULT_PREFS), falc: true } };
}

/** Answers live in the address: never kept by a shared cache. */
function noStore(c: C): void {
  c.header('Cache-Control', 'no-store');
}

const stringsOf = (ctx: PageContext) => diagnosticStrings((ctx.prefs ?? DEFAULT_PREFS).falc);

/** A page of the diagnostic in progress: not cached, its address read once, in the reader's variant. */
function flowPage(c: C): { q: FlowQuery; ctx: PageContext } {
  noStore(c);
  const q = readQuery(c);
  return { q, ctx: contextOf(c, q) };
}

/** A damaged token or an unknown version: a French page and a way to restart. */
async function problem(c: C, ctx: PageContext, error: unknown): Promise<Response> {
  if (!isDomainError(error)) throw error;
  const s = stringsOf(ctx);
  const details = (error.details ?? {}) as {
    reason?: string;
    version?: number;
    problem?: StateProblem;
    question?: AnsweredQuestion | null;
  };
  const message =
    details.reason === 'bad_token'
      ? s.badToken
      : details.reason === 'unknown_version' && typeof details.version === 'number'
        ? s.unknownVersion(details.version)
        : details.reason === 'bad_answers' && details.problem
          ? badAnswersText(ctx, details.problem, details.question ?? null)
          : error.message;
  const { status } = mapError(error);
  return renderPage(c, <DiagnosticProblemPage ctx={ctx} status={status} message={message} />, status);
}

/** The reader's words for answers in an address that do not fit their version. */
function badAnswersText(ctx: PageContext, problem: StateProblem, question: AnsweredQuestion | null): string {
  const falc = (ctx.prefs ?? DEFAULT_PREFS).falc;
  const s = diagnosticStrings(falc);
  if (problem.n === null || problem.reason === 'unknown_question' || !question) return s.badAnswers(null, '');
  return s.badAnswers(problem.n, answerProblemText(s, problem, question, falc));
}

/** The diagnostic in the address, or the page that says its link is damaged. */
async function openFromAddress(c: C, ctx: PageContext, q: FlowQuery): Promise<Opened | Response> {
  try {
    return await openDiagnostic(c.get('db'), publicActor(c), { token: q.d ?? null });
  } catch (error) {
    return problem(c, ctx, error);
  }
}

/** The number of a question of this questionnaire, or null when it has no such question. */
function questionNumber(raw: string | undefined, questionnaire: Opened['questionnaire']): number | null {
  if (raw === undefined || !/^[1-9]\d{0,2}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= questionnaire.questions.length ? n : null;
}

function unknownQuestion(c: C, ctx: PageContext): Response | Promise<Response> {
  const message = stringsOf(ctx).unknownQuestion;
  return renderPage(c, <DiagnosticProblemPage ctx={ctx} status={404} message={message} />, 404);
}

function versionNumber(raw: string | undefined): number | null {
  return raw !== undefined && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : null;
}

/** The needs diagnostic and its versions. */
export function diagnosticRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let preferred: ReadonlySet<string> | null = null;
  const preferredCommunes = (c: C) => {
    preferred ??= new Set(resolveTerritory(c.get('config').territory).communes.map((x) => x.code));
    return preferred;
  };

  app.get('/diagnostic', async (c) => {
    const q = readQuery(c);
    const ctx = contextOf(c, q);
    const questionnaire = await getActiveQuestionnaire(c.get('db'), publicActor(c));
    const d = encodeDiagnosticToken({ version: questionnaire.version, answers: {} });
    const flow = flowOf(q, d);
    return renderPage(
      c,
      <StartPage
        ctx={ctx}
        questionnaire={questionnaire}
        startHref={flowHref('/diagnostic/question/1', flow)}
        falcHref={(ctx.prefs ?? DEFAULT_PREFS).falc ? null : '/diagnostic?falc=1'}
      />,
    );
  });

  app.get('/diagnostic/question/:n', async (c) => {
    const { q, ctx } = flowPage(c);
    const opened = await openFromAddress(c, ctx, q);
    if (opened instanceof Response) return opened;
    const { questionnaire, state } = opened;
    const n = questionNumber(c.req.param('n'), questionnaire);
    if (n === null) return unknownQuestion(c, ctx);
    return renderPage(
      c,
      <QuestionPage
        ctx={ctx}
        questionnaire={questionnaire}
        n={n}
        answers={state.answers}
        flow={flowOf(q, encodeDiagnosticToken(state))}
        error={null}
      />,
    );
  });

  app.get('/diagnostic/repondre', async (c) => {
    const { q, ctx } = flowPage(c);
    const opened = await openFromAddress(c, ctx, q);
    if (opened instanceof Response) return opened;
    const { questionnaire, state } = opened;
    const n = questionNumber(q.n, questionnaire);
    if (n === null) return unknownQuestion(c, ctx);
    const flow = flowOf(q, encodeDiagnosticToken(state));
    // Every "r" sent (the boxes ticked), each cut to a length that can be shown back.
    const sent = (c.req.queries('r') ?? []).map((v) => (v.length > 60 ? `${v.slice(0, 60)}…` : v));
    const next = answerQuestion(
      questionnaire,
      state,
      n,
      q.passer === '1' ? { skip: true } : { answers: sent },
    );
    if (!next.ok) {
      const falc = (ctx.prefs ?? DEFAULT_PREFS).falc;
      const question = questionnaire.questions[n - 1];
      const message = question
        ? answerProblemText(stringsOf(ctx), next.problem, question, falc)
        : stringsOf(ctx).chooseAnswer;
      return renderPage(
        c,
        <QuestionPage
          ctx={ctx}
          questionnaire={questionnaire}
          n={n}
          answers={state.answers}
          flow={flow}
          error={message}
        />,
        400,
      );
    }
    const moved = { ...flow, d: encodeDiagnosticToken(next.state) };
    const step = stepAfter(questionnaire, n, flow.retour);
    const target =
      step.kind === 'question'
        ? flowHref(`/diagnostic/question/${step.n}`, moved)
        : step.kind === 'where'
          ? flowHref('/diagnostic/lieu', moved)
          : flowHref('/diagnostic/resultat', { ...moved, retour: false }, {}, '#resultat');
    return c.redirect(target, 303);
  });

  app.get('/diagnostic/lieu', async (c) => {
    const { q, ctx } = flowPage(c);
    const opened = await openFromAddress(c, ctx, q);
    if (opened instanceof Response) return opened;
    const flow = flowOf(q, encodeDiagnosticToken(opened.state));
    return renderPage(
      c,
      <WherePage ctx={ctx} questionnaire={opened.questionnaire} flow={flow} value={flow.ou} error={null} />,
    );
  });

  app.get('/diagnostic/resultat', async (c) => {
    const { q, ctx } = flowPage(c);
    const falc = (ctx.prefs ?? DEFAULT_PREFS).falc;
    const typed = q.ou?.trim() ?? '';
    try {
      if (typed.length > MAX_WHERE) {
        const opened = await openDiagnostic(c.get('db'), publicActor(c), { token: q.d ?? null });
        const flow = flowOf(q, encodeDiagnosticToken(opened.state));
        return renderPage(
          c,
          <WherePage
            ctx={ctx}
            questionnaire={opened.questionnaire}
            flow={flow}
            value={typed.slice(0, MAX_WHERE)}
            error={diagnosticStrings(falc).whereTooLong}
          />,
          400,
        );
      }
      const flow = flowOf(q, '');
      const view = await showDiagnosticResult(c.get('db'), publicActor(c), {
        token: q.d ?? null,
        where: flow.commune ? null : flow.ou,
        commune: flow.commune,
        falc,
        preferredCommunes: preferredCommunes(c),
        scope: c.get('config').publicScope,
      });
      countUsage('diagnostic_finished');
      return renderPage(
        c,
        <ResultPage ctx={ctx} view={view} flow={{ ...flow, d: view.token }} now={new Date()} />,
      );
    } catch (error) {
      return problem(c, ctx, error);
    }
  });

  app.get('/diagnostic/questionnaire.schema.json', (c) => {
    c.header('Content-Type', 'application/schema+json; charset=utf-8');
    return c.body(`${JSON.stringify(questionnaireJsonSchema(), null, 2)}\n`);
  });

  // --- Versions (the coordinator) ---

  const versionsPage = async (
    c: C,
    actor: Actor,
    extra: { issues?: DocumentIssue[]; text?: string; notice?: string | null },
    status: 200 | 422 = 200,
  ) => {
    const versions = await listDiagnosticVersions(c.get('db'), actor);
    noStore(c);
    return renderPage(
      c,
      <VersionsPage
        ctx={c.get('page')}
        versions={versions}
        csrf={c.get('csrfToken')()}
        issues={extra.issues ?? []}
        text={extra.text ?? ''}
        notice={extra.notice ?? null}
        maxChars={MAX_DOCUMENT_CHARS}
      />,
      status,
    );
  };

  app.get('/diagnostic/versions', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const saved = versionNumber(c.req.query('enregistree'));
    const activated = versionNumber(c.req.query('activee'));
    const notice =
      saved !== null
        ? `La version ${saved} est enregistrée. Elle n’est pas encore active : activez-la quand vous êtes prête ou prêt.`
        : activated !== null
          ? `La version ${activated} est active : les nouveaux diagnostics l’utilisent.`
          : null;
    return versionsPage(c, auth.actor, { notice });
  });

  app.get('/diagnostic/versions/:version', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const version = versionNumber(c.req.param('version')) ?? 0;
    const { document } = await exportDiagnosticVersion(c.get('db'), auth.actor, version);
    c.header('Content-Type', 'application/json; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="diagnostic-version-${version}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.body(document);
  });

  app.post('/diagnostic/versions', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const file = body.fichier;
    let text: string;
    if (file instanceof File && file.size > 0) {
      // Characters take up to 4 bytes: a file far above the limit is refused before being read.
      if (file.size > MAX_DOCUMENT_CHARS * 4) {
        return versionsPage(
          c,
          auth.actor,
          {
            issues: [
              {
                path: 'fichier',
                message: `est trop gros : ${Math.round(file.size / 1000)} ko, ${Math.round(MAX_DOCUMENT_CHARS / 1000)} ko au plus`,
              },
            ],
          },
          422,
        );
      }
      text = await file.text();
    } else text = typeof body.document === 'string' ? body.document : '';
    const outcome = await uploadDiagnosticVersion(c.get('db'), auth.actor, { text });
    if (outcome.ok) return c.redirect(`/diagnostic/versions?enregistree=${outcome.version}`, 303);
    return versionsPage(
      c,
      auth.actor,
      { issues: outcome.issues, text: text.slice(0, MAX_DOCUMENT_CHARS) },
      422,
    );
  });

  app.post('/diagnostic/versions/:version/activer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const version = versionNumber(c.req.param('version')) ?? 0;
    await activateDiagnosticVersion(c.get('db'), auth.actor, version);
    return c.redirect(`/diagnostic/versions?activee=${version}`, 303);
  });

  return app;
}
