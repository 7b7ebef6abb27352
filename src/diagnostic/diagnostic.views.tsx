import type { Commune } from '../communes/communes.ts';
import { needBySlug } from '../search/needs.ts';
import type { SearchHit } from '../search/search.ts';
import { WhereInput } from '../search/search.views.tsx';
import { searchStrings } from '../search/strings.ts';
import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Csrf, ErrorSummary } from '../web/forms.tsx';
import { Layout, NetworkContactLine, type PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import type { DiagnosticResultView, DiagnosticVersionSummary, NeedPlaces } from './diagnostic.service.ts';
import { type DiagnosticStrings, diagnosticStrings } from './diagnostic.strings.ts';
import {
  type Answers,
  answerOf,
  chosenOf,
  type DocumentIssue,
  MAX_WHERE,
  pick,
  type Questionnaire,
  SHOWN_FIRST,
  SKIPPED,
} from './diagnostic.ts';
import { encodeDiagnosticToken } from './diagnostic-answers.ts';

/**
 * The diagnostic's pages: start, one question per page (GET forms: no cookie, no script), the optional
 * commune, the result (printable), and the coordinator's versions. Every word comes from
 * diagnostic.strings.ts or from the questionnaire, in the reader's variant.
 */

const falcOf = (ctx: PageContext) => (ctx.prefs ?? DEFAULT_PREFS).falc;
const stringsOf = (ctx: PageContext): DiagnosticStrings => diagnosticStrings(falcOf(ctx));

/** What travels from page to page in the address: the answers' token, and where to go back. */
export interface Flow {
  d: string;
  /** Came from the result page to change an answer: go back there after it. */
  retour: boolean;
  ou: string | null;
  commune: string | null;
  /** `falc=1` in the address: FALC wording whatever the cookie says. */
  falc: boolean;
}

export function flowHref(
  path: string,
  flow: Flow,
  extra: Record<string, string | null> = {},
  hash = '',
): string {
  const q = new URLSearchParams();
  q.set('d', flow.d);
  if (flow.retour) q.set('retour', 'resultat');
  if (flow.ou) q.set('ou', flow.ou);
  if (flow.commune) q.set('commune', flow.commune);
  if (flow.falc) q.set('falc', '1');
  for (const [k, v] of Object.entries(extra)) if (v !== null) q.set(k, v);
  return `${path}?${q.toString()}${hash}`;
}

function FlowFields(props: { flow: Flow; skip?: readonly string[] }) {
  const skip = new Set(props.skip ?? []);
  const fields: [string, string][] = [['d', props.flow.d]];
  if (props.flow.retour) fields.push(['retour', 'resultat']);
  if (props.flow.ou && !skip.has('ou')) fields.push(['ou', props.flow.ou]);
  if (props.flow.commune && !skip.has('commune')) fields.push(['commune', props.flow.commune]);
  if (props.flow.falc) fields.push(['falc', '1']);
  return (
    <>
      {fields.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

// --- Start ---

export function StartPage(props: {
  ctx: PageContext;
  questionnaire: Questionnaire;
  startHref: string;
  falcHref: string | null;
}) {
  const s = stringsOf(props.ctx);
  const n = props.questionnaire.questions.length;
  return (
    <Layout title={s.startTitle} ctx={props.ctx}>
      <div class="diagnostic">
        <h1>{s.startTitle}</h1>
        <p>{s.startIntro(n)}</p>
        <p>{s.startWho}</p>
        <p>{s.startNotATest}</p>
        <p>{s.startPrivacy}</p>
        <p>
          <a class="button" href={props.startHref}>
            {s.startButton}
          </a>
        </p>
        {props.falcHref ? (
          <p>
            <a href={props.falcHref}>{s.startFalc}</a>
          </p>
        ) : (
          <p class="hint">{s.falcNotice}</p>
        )}
      </div>
    </Layout>
  );
}

// --- One question ---

export function QuestionPage(props: {
  ctx: PageContext;
  questionnaire: Questionnaire;
  /** 1-based position. */
  n: number;
  answers: Answers;
  flow: Flow;
  error: string | null;
}) {
  const s = stringsOf(props.ctx);
  const falc = falcOf(props.ctx);
  const { questionnaire, n, flow } = props;
  const total = questionnaire.questions.length;
  const question = questionnaire.questions[n - 1];
  if (!question) throw new Error(`question ${n} out of range`);
  const chosen = chosenOf(props.answers, question.id);
  const label = pick(question.intitule, falc);
  const multiple = question.multiple === true;
  const described = [
    question.aide ? 'question-aide' : null,
    multiple ? 'question-plusieurs' : null,
    props.error ? 'question-erreur' : null,
  ]
    .filter(Boolean)
    .join(' ');
  const firstId = `r-${question.reponses[0]?.id ?? ''}`;
  const previousHref =
    n > 1
      ? flowHref(`/diagnostic/question/${n - 1}`, flow)
      : props.flow.falc
        ? '/diagnostic?falc=1'
        : '/diagnostic';
  return (
    <Layout
      title={`${props.error ? `${s.errorPrefix} : ` : ''}${s.questionTitle(n, total, label)}`}
      ctx={props.ctx}
    >
      <div class="diagnostic">
        <p class="diagnostic-back">
          <a href={previousHref}>
            {s.previous}
            <span class="visually-hidden">{n > 1 ? s.previousTo(n - 1) : s.previousToStart}</span>
          </a>
        </p>
        {props.error ? (
          <ErrorSummary title={s.errorTitle} items={[{ href: `#${firstId}`, message: props.error }]} />
        ) : null}
        <p class="diagnostic-progress" id="progression">
          {s.progress(n, total)}
        </p>
        <form method="get" action="/diagnostic/repondre">
          <FlowFields flow={flow} />
          <input type="hidden" name="n" value={String(n)} />
          <fieldset
            class={props.error ? 'has-error' : undefined}
            aria-describedby={described ? `progression ${described}` : 'progression'}
          >
            <legend>
              <h1 class="diagnostic-question">{label}</h1>
            </legend>
            {question.aide ? (
              <p class="hint" id="question-aide">
                {pick(question.aide, falc)}
              </p>
            ) : null}
            {multiple ? (
              <p class="hint" id="question-plusieurs">
                {s.multipleHint}
              </p>
            ) : null}
            {props.error ? (
              <p class="field-error" id="question-erreur">
                {props.error}
              </p>
            ) : null}
            <div class="choices diagnostic-answers">
              {question.reponses.map((r) => (
                <div class="choice">
                  <input
                    type={multiple ? 'checkbox' : 'radio'}
                    name="r"
                    id={`r-${r.id}`}
                    value={r.id}
                    checked={chosen.includes(r.id)}
                  />
                  <label for={`r-${r.id}`}>{pick(r.libelle, falc)}</label>
                </div>
              ))}
            </div>
          </fieldset>
          <p class="actions">
            <button type="submit">{s.next}</button>
            <button type="submit" class="button secondary" name="passer" value="1">
              {s.skip}
            </button>
          </p>
        </form>
        {flow.retour ? (
          <p>
            <a href={flowHref('/diagnostic/resultat', { ...flow, retour: false }, {}, '#resultat')}>
              {s.backToResult}
            </a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}

// --- Where (optional) ---

export function WherePage(props: {
  ctx: PageContext;
  questionnaire: Questionnaire;
  flow: Flow;
  value: string | null;
  error: string | null;
}) {
  const s = stringsOf(props.ctx);
  const total = props.questionnaire.questions.length;
  const withoutPlace = { ...props.flow, ou: null, commune: null };
  return (
    <Layout title={`${props.error ? `${s.errorPrefix} : ` : ''}${s.whereTitle}`} ctx={props.ctx}>
      <div class="diagnostic">
        <p class="diagnostic-back">
          <a href={flowHref(`/diagnostic/question/${total}`, withoutPlace)}>
            {s.previous}
            <span class="visually-hidden">{s.previousTo(total)}</span>
          </a>
        </p>
        {props.error ? (
          <ErrorSummary title={s.errorTitle} items={[{ href: '#ou', message: props.error }]} />
        ) : null}
        <h1>{s.whereTitle}</h1>
        <p>{s.whereIntro}</p>
        <form method="get" action="/diagnostic/resultat#resultat">
          <FlowFields flow={withoutPlace} />
          <WhereInput
            label={s.whereLabel}
            hint={s.whereHint}
            value={props.value}
            error={props.error}
            maxlength={MAX_WHERE}
          />
          <p>
            <button type="submit">{s.seeResult}</button>
          </p>
        </form>
        <p>
          <a href={flowHref('/diagnostic/resultat', withoutPlace, {}, '#resultat')}>{s.seeResultWithout}</a>
        </p>
      </div>
    </Layout>
  );
}

// --- Result ---

function PlaceCard(props: {
  s: DiagnosticStrings;
  hit: SearchHit;
  falc: boolean;
  orientHref: string | null;
}) {
  const { s, hit } = props;
  const p = hit.place;
  const words = searchStrings(props.falc);
  // The kind as the place's page says it ("CCAS"; everyday words in FALC).
  const kind = p.typologie[0] ? words.kind(p.typologie[0]) : null;
  const meta = [kind, hit.distanceM !== null ? words.distance(hit.distanceM) : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <li class="card">
      <h4>
        <a href={`/lieux/${p.id}`}>{p.nom}</a>
      </h4>
      {meta ? <p class="meta">{meta}</p> : null}
      <p>
        {p.adresse}
        {p.complementAdresse ? `, ${p.complementAdresse}` : ''}, {p.codePostal} {p.commune}
      </p>
      {p.telephone ? (
        <p>
          {s.phone} <a href={phoneHref(p.telephone)}>{formatPhone(p.telephone)}</a>
        </p>
      ) : null}
      {props.orientHref ? (
        <p class="no-print">
          <a href={props.orientHref}>
            {s.orient}
            <span class="visually-hidden"> : {p.nom}</span>
          </a>
        </p>
      ) : null}
    </li>
  );
}

function NeedBlock(props: {
  s: DiagnosticStrings;
  label: string;
  need: NeedPlaces;
  falc: boolean;
  orientation: Record<string, string> | null;
}) {
  const { s, need } = props;
  if (!need.places) return null;
  return (
    <section class="diagnostic-need">
      <h3>{s.placesFor(props.label)}</h3>
      {need.places.length ? (
        <ul class="cards">
          {need.places.map((p) => (
            <PlaceCard
              s={s}
              hit={p.hit}
              falc={props.falc}
              orientHref={props.orientation?.[p.hit.place.id] ?? null}
            />
          ))}
        </ul>
      ) : (
        <p>{s.placesNone}</p>
      )}
      <p class="no-print">
        <a href={need.searchHref}>{s.seeMorePlaces(props.label)}</a>
      </p>
    </section>
  );
}

function CommuneChoice(props: { s: DiagnosticStrings; flow: Flow; text: string; candidates: Commune[] }) {
  return (
    <>
      <p>{props.s.chooseCommune(props.text)}</p>
      <ul>
        {props.candidates.map((c) => (
          <li>
            <a
              href={flowHref(
                '/diagnostic/resultat',
                { ...props.flow, ou: null, commune: c.code, retour: false },
                {},
                '#lieux',
              )}
            >
              {c.nom} ({c.codesPostaux.slice(0, 3).join(', ')})
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

function dateText(at: Date): string {
  return new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  }).format(at);
}

/** The first SHOWN_FIRST items, then the others behind "Voir tout" (works without a script). */
function FirstThenMore<T>(props: {
  items: readonly T[];
  more: (n: number) => string;
  render: (items: readonly T[]) => unknown;
  class?: string;
}) {
  const first = props.items.slice(0, SHOWN_FIRST);
  const rest = props.items.slice(SHOWN_FIRST);
  return (
    <>
      {props.render(first)}
      {rest.length ? (
        <details class={props.class ? `diagnostic-more ${props.class}` : 'diagnostic-more'}>
          <summary>{props.more(rest.length)}</summary>
          {props.render(rest)}
        </details>
      ) : null}
    </>
  );
}

export function ResultPage(props: { ctx: PageContext; view: DiagnosticResultView; flow: Flow; now: Date }) {
  const s = stringsOf(props.ctx);
  const falc = falcOf(props.ctx);
  const { view, flow } = props;
  const { result, questionnaire } = view;
  const needLabel = (slug: string) => {
    const need = needBySlug(slug);
    return need ? (falc ? need.falc : need.label) : slug;
  };
  const orientation = view.advice?.orientationLinks ?? null;
  const noPlace = { ...flow, ou: null, commune: null, retour: false };
  // What the person asked for first, then the reading offer (a gentle signal), then the other needs.
  const entries: { need: NeedPlaces; label: string }[] = [
    ...view.needs.filter((n) => n.asked).map((need) => ({ need, label: needLabel(need.slug) })),
    ...(view.reading ? [{ need: view.reading, label: s.readingNeed }] : []),
    ...view.needs.filter((n) => !n.asked).map((need) => ({ need, label: needLabel(need.slug) })),
  ];
  const withPlaces = entries.filter((e) => e.need.places);
  return (
    <Layout title={`${s.resultTitle} — ${questionnaire.titre}`} ctx={props.ctx}>
      <div class="diagnostic diagnostic-result">
        <h1 id="resultat" tabindex={-1}>
          {s.resultTitle}
        </h1>
        <p>{s.resultLead(result.answered, result.questionCount)}</p>
        <p class="meta">{s.versionLine(result.version, dateText(props.now))}</p>
        <ul class="actions no-print">
          <li>
            <button type="button" class="button secondary" data-print="" hidden>
              {s.print}
            </button>
          </li>
          <li>
            <a href={flow.falc ? '/diagnostic?falc=1' : '/diagnostic'}>{s.restart}</a>
          </li>
        </ul>

        <h2>{s.needsHeading}</h2>
        {entries.length ? (
          <FirstThenMore
            items={entries}
            more={s.moreNeeds}
            render={(items) => (
              <ul class="diagnostic-needs">
                {items.map((e) => (
                  <li>
                    <a href={e.need.searchHref}>{e.label}</a>
                    {e.need.asked ? <span class="meta">{s.askedMark}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          />
        ) : (
          <p>
            {s.needsNone} <a href="/lieux">{s.seeAllPlaces}</a>
          </p>
        )}

        {entries.length ? (
          <>
            <h2 id="lieux" tabindex={-1}>
              {s.placesHeading}
            </h2>
            {view.origin && withPlaces.length ? <p>{s.placesNear(view.origin.label)}</p> : null}
            {view.communeChoice ? (
              <CommuneChoice
                s={s}
                flow={flow}
                text={view.communeChoice.text}
                candidates={view.communeChoice.candidates}
              />
            ) : null}
            {view.origin ? null : (
              <form method="get" action="/diagnostic/resultat#lieux" class="no-print">
                <FlowFields flow={noPlace} />
                <WhereInput
                  label={s.whereLabel}
                  hint={
                    <>
                      {view.communeNotFound ? null : `${s.placesAsk} `}
                      {s.whereHint}
                    </>
                  }
                  value={view.communeNotFound}
                  error={view.communeNotFound ? s.communeNotFound(view.communeNotFound) : null}
                  maxlength={MAX_WHERE}
                />
                <p>
                  <button type="submit">{s.showPlaces}</button>
                </p>
              </form>
            )}
            <FirstThenMore
              items={withPlaces}
              more={s.morePlaces}
              render={(items) =>
                items.map((e) => (
                  <NeedBlock s={s} label={e.label} need={e.need} falc={falc} orientation={orientation} />
                ))
              }
            />
          </>
        ) : null}

        {result.personMessages.length ? (
          <>
            <h2>{s.messagesHeading}</h2>
            <FirstThenMore
              items={result.personMessages}
              more={s.moreMessages}
              render={(items) => (
                <ul class="diagnostic-messages">
                  {items.map((m) => (
                    <li>{m}</li>
                  ))}
                </ul>
              )}
            />
          </>
        ) : null}

        <h2>{s.profilesHeading}</h2>
        <dl class="facts diagnostic-profiles">
          {result.domains.map((d) => (
            <>
              <dt>{d.label}</dt>
              <dd>{d.profile}</dd>
            </>
          ))}
        </dl>

        {view.advice ? (
          <section class="notice no-print" aria-labelledby="pour-le-professionnel">
            <h2 id="pour-le-professionnel">{s.professionalHeading}</h2>
            <p class="hint">{s.professionalNote}</p>
            {view.advice.messages.length ? (
              <ul>
                {view.advice.messages.map((m) => (
                  <li>{m}</li>
                ))}
              </ul>
            ) : null}
          </section>
        ) : null}

        <section class="no-print" aria-labelledby="vos-reponses">
          <h2 id="vos-reponses">{s.answersHeading}</h2>
          <p>{s.answersIntro}</p>
          <ol class="diagnostic-answers-list">
            {questionnaire.questions.map((q, i) => {
              const answer = answerOf(view.state.answers, q.id);
              const chosen = q.reponses.filter((r) => chosenOf(view.state.answers, q.id).includes(r.id));
              return (
                <li>
                  <strong>{pick(q.intitule, falc)}</strong>{' '}
                  {chosen.length
                    ? chosen.map((r) => pick(r.libelle, falc)).join(', ')
                    : answer === SKIPPED
                      ? s.skipped
                      : s.notAnswered}{' '}
                  <a href={flowHref(`/diagnostic/question/${i + 1}`, { ...flow, retour: true })}>
                    {s.change}
                    <span class="visually-hidden">{s.changeWhat(i + 1)}</span>
                  </a>
                </li>
              );
            })}
          </ol>
        </section>
        <p class="print-only">{s.printedFrom}</p>
        <div class="print-only">
          <NetworkContactLine contact={props.ctx.networkContact} falc={falc} />
        </div>
      </div>
    </Layout>
  );
}

export function DiagnosticProblemPage(props: { ctx: PageContext; status: number; message: string }) {
  const s = stringsOf(props.ctx);
  return (
    <Layout title={s.errorTitle} ctx={props.ctx}>
      <h1>{s.errorTitle}</h1>
      <p>{props.message}</p>
      <p>
        <a class="button" href="/diagnostic">
          {s.restart}
        </a>
      </p>
    </Layout>
  );
}

// --- Versions (the coordinator) ---

function dateTimeText(at: Date): string {
  return new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(at);
}

export function VersionsPage(props: {
  ctx: PageContext;
  versions: DiagnosticVersionSummary[];
  csrf: string;
  issues: DocumentIssue[];
  text: string;
  notice: string | null;
  maxChars: number;
}) {
  const { versions } = props;
  const shown = props.issues.slice(0, 50);
  return (
    <Layout title={`${props.issues.length ? 'Erreur : ' : ''}Versions du diagnostic`} ctx={props.ctx}>
      <h1>Versions du diagnostic</h1>
      {props.issues.length ? (
        <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="erreurs-titre">
          <h2 id="erreurs-titre">
            Le document n’est pas enregistré : {props.issues.length} erreur
            {props.issues.length > 1 ? 's' : ''}
          </h2>
          <ul>
            {shown.map((i) => (
              <li>
                <a href="#document">
                  « {i.path} » : {i.message}
                </a>
              </li>
            ))}
          </ul>
          {props.issues.length > shown.length ? (
            <p>Et {props.issues.length - shown.length} autres : corrigez d’abord celles-ci.</p>
          ) : null}
        </div>
      ) : null}
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        Les questions, les paliers et les déclencheurs du diagnostic sont un document JSON. Chaque résultat
        indique la version utilisée ; un diagnostic commencé garde sa version, même après une activation.
      </p>
      <div class="table-scroll">
        <table>
          <caption>Versions enregistrées, de la plus récente à la plus ancienne</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Titre</th>
              <th scope="col">Questions</th>
              <th scope="col">Enregistrée</th>
              <th scope="col">État</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <th scope="row">{v.version}</th>
                <td>{v.title}</td>
                <td>{v.questionCount}</td>
                <td>
                  {dateTimeText(v.createdAt)} ({v.createdByLabel})
                </td>
                <td>
                  {v.active ? (
                    <strong>Active</strong>
                  ) : v.activatedAt ? (
                    'Inactive (déjà utilisée)'
                  ) : (
                    'Jamais activée'
                  )}
                </td>
                <td>
                  <ul class="actions">
                    <li>
                      <a href={`/diagnostic/versions/${v.version}`}>
                        Télécharger la version {v.version} (JSON)
                      </a>
                    </li>
                    <li>
                      <a
                        href={`/diagnostic/question/1?d=${encodeDiagnosticToken({ version: v.version, answers: {} })}`}
                      >
                        Essayer la version {v.version}
                      </a>
                    </li>
                    {v.active ? null : (
                      <li>
                        <form method="post" action={`/diagnostic/versions/${v.version}/activer`}>
                          <Csrf token={props.csrf} />
                          <button type="submit" class="button secondary">
                            Activer la version {v.version}
                          </button>
                        </form>
                      </li>
                    )}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Déposer une nouvelle version</h2>
      <p>
        Partez de la version active (téléchargez-la), changez le numéro de version, puis déposez le fichier ou
        collez le document. Il est vérifié avec le{' '}
        <a href="/diagnostic/questionnaire.schema.json">schéma JSON du questionnaire</a> et des contrôles de
        cohérence. Une nouvelle version n’est utilisée qu’une fois activée.
      </p>
      <p class="hint">
        Dans les messages d’erreur, les positions sont comptées à partir de 0 : « questions[0] » est la
        première question.
      </p>
      <form method="post" action="/diagnostic/versions" enctype="multipart/form-data">
        <Csrf token={props.csrf} />
        <div class="field">
          <label for="fichier">Fichier JSON</label>
          <p class="hint" id="fichier-aide">
            {Math.round(props.maxChars / 1000)} ko au plus.
          </p>
          <input
            id="fichier"
            name="fichier"
            type="file"
            accept="application/json,.json"
            aria-describedby="fichier-aide"
          />
        </div>
        <div class={props.issues.length ? 'field has-error' : 'field'}>
          <label for="document">Ou collez le document JSON</label>
          <p class="hint" id="document-aide">
            Utilisé seulement si aucun fichier n’est choisi.
          </p>
          <textarea
            id="document"
            name="document"
            rows={12}
            maxlength={props.maxChars}
            spellcheck={false}
            aria-describedby="document-aide"
            aria-invalid={props.issues.length ? 'true' : undefined}
          >
            {props.text}
          </textarea>
        </div>
        <p>
          <button type="submit">Vérifier et enregistrer</button>
        </p>
      </form>
    </Layout>
  );
}
