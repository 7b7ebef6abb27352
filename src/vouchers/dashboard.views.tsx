import { describePeriod } from '../referrals/statistics.ts';
import { BarChart, ColumnChart } from '../web/charts.tsx';
import { Field, Select } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import type {
  PlaceDashboard,
  PrescriberDashboard,
  ProgrammeChoice,
  ProgrammeDashboard,
  Sections,
} from './dashboard.service.ts';
import {
  amountCell,
  BOOKLET_FIGURES,
  type CsvLine,
  type DashboardErrors,
  type DashboardPeriod,
  dashboardCsv,
  type PeriodQuery,
  shortMonth,
} from './dashboard.ts';
import { ErrorsAtTop, Page } from './programme-parts.views.tsx';
import { monthLabel } from './statements.ts';
import { euros } from './vouchers.ts';

/**
 * The pass numérique's dashboard page (decision 0051) and its CSV files: one section per role the person
 * holds, each with server-drawn charts (each followed by its table) and the tables of its figures.
 * Aggregates only: no person, no voucher code.
 */

type Cell = string | number;

/** A table of several figures per row (the charts' own tables carry one). */
function FiguresTable(props: {
  caption: string;
  head: string;
  columns: readonly string[];
  rows: { label: string; cells: Cell[] }[];
}) {
  return (
    <section class="table-scroll" tabindex={0} aria-label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            {props.columns.map((c) => (
              <th scope="col" class="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              {r.cells.map((c) => (
                <td class="num">{typeof c === 'number' ? c.toLocaleString('fr-FR') : c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The query string of the period and programme shown, for the CSV links. */
export function dashboardQueryString(q: PeriodQuery & { programme?: string | undefined }): string {
  const params = new URLSearchParams(
    Object.entries({
      programme: q.programme ?? '',
      annee: q.annee ?? '',
      du: q.du ?? '',
      au: q.au ?? '',
    }).filter(([, v]) => v !== ''),
  ).toString();
  return params ? `?${params}` : '';
}

// --- the programmes' figures (coordinators, funders) ---

const PROGRAMME_COLUMNS = [
  'Émis',
  'Payés',
  'Confiés',
  'Remis',
  'Carnets entamés',
  'Encaissés',
  'Expirés',
  'Dû aux lieux',
  'Réglé',
] as const;

const programmeCells = (f: ProgrammeDashboard['totals']): Cell[] => [
  f.emitted,
  f.paid,
  f.allocated,
  f.distributed,
  f.started,
  f.redeemed,
  f.expired,
  euros(f.owedCents),
  euros(f.settledCents),
];

function ProgrammeSection(props: { d: ProgrammeDashboard; csv: string }) {
  const d = props.d;
  const t = d.totals;
  return (
    <section aria-labelledby="programmes">
      <h2 id="programmes">Programmes {describePeriod(d.period)}</h2>
      <p>
        {d.programmes.length === 1
          ? `Programme : ${d.programmes[0]?.name ?? ''}.`
          : `${d.programmes.length} programme${d.programmes.length > 1 ? 's' : ''}.`}{' '}
        Chaque chiffre compte ce qui s’est passé pendant la période : un chèque émis en décembre et remis en
        janvier compte dans l’un et l’autre mois.
      </p>
      <p>
        <a href={`/pass/tableau-de-bord/programmes.csv${props.csv}`}>
          Télécharger les chiffres des programmes (fichier CSV)
        </a>
      </p>
      <FiguresTable
        caption="Chiffres de la période"
        head="Chiffre"
        columns={['Nombre', 'Montant']}
        rows={[
          { label: 'Chèques émis', cells: [t.emitted, euros(t.emittedCents)] },
          { label: 'Chèques payés par le financeur', cells: [t.paid, euros(t.paidCents)] },
          { label: 'Chèques confiés aux prescripteurs', cells: [t.allocated, ''] },
          { label: 'Chèques remis à des personnes', cells: [t.distributed, ''] },
          { label: 'Carnets entamés (au moins un chèque encaissé)', cells: [t.started, ''] },
          { label: 'Chèques encaissés', cells: [t.redeemed, euros(t.redeemedCents)] },
          { label: 'Chèques expirés', cells: [t.expired, ''] },
          { label: 'Relevés des lieux (mois de la période)', cells: [t.statements, euros(t.owedCents)] },
          {
            label: 'Relevés payés en entier, et montant réglé',
            cells: [t.paidStatements, euros(t.settledCents)],
          },
        ]}
      />
      <h3>Par mois</h3>
      <ColumnChart
        title="Chèques encaissés par mois"
        head="Mois"
        valueHead="Chèques encaissés"
        rows={d.months.map((m) => ({ label: shortMonth(m.month), value: m.redeemed }))}
        total
      />
      <FiguresTable
        caption="Chiffres par mois (nombre de chèques, sauf carnets entamés et montants)"
        head="Mois"
        columns={PROGRAMME_COLUMNS}
        rows={d.months.map((m) => ({ label: monthLabel(m.month), cells: programmeCells(m) }))}
      />
      <h3>Par commune de résidence</h3>
      <p>La commune que le prescripteur a notée à la remise du carnet, quand la personne l’a donnée.</p>
      <BarChart
        title="Chèques remis par commune de résidence"
        head="Commune"
        valueHead="Chèques remis"
        rows={d.communes.map((c) => ({ label: c.label, value: c.vouchers }))}
        total
      />
      <FiguresTable
        caption="Carnets remis et chèques encaissés par commune de résidence"
        head="Commune"
        columns={['Carnets remis', 'Chèques remis', 'Chèques encaissés']}
        rows={d.communes.map((c) => ({ label: c.label, cells: [c.booklets, c.vouchers, c.redeemed] }))}
      />
      <h3>Par lieu</h3>
      <BarChart
        title="Chèques encaissés par lieu"
        head="Lieu"
        valueHead="Chèques encaissés"
        rows={d.places.map((p) => ({ label: p.label, value: p.redeemed }))}
        total
      />
      <h3>Par prescripteur</h3>
      <BarChart
        title="Carnets remis par prescripteur"
        head="Prescripteur"
        valueHead="Carnets remis"
        rows={d.prescribers.map((p) => ({ label: p.label, value: p.distributed }))}
        total
      />
      <FiguresTable
        caption="Carnets confiés et remis par prescripteur"
        head="Prescripteur"
        columns={['Carnets confiés', 'Carnets remis']}
        rows={d.prescribers.map((p) => ({ label: p.label, cells: [p.allocated, p.distributed] }))}
      />
      <h3>Ce que les chèques ont payé</h3>
      <p>Les besoins que le lieu a cochés à l’encaissement (un encaissement peut en cocher plusieurs).</p>
      <BarChart
        title="Encaissements par besoin"
        head="Besoin"
        valueHead="Encaissements"
        rows={d.needs.map((n) => ({ label: n.label, value: n.n }))}
      />
    </section>
  );
}

// --- a prescriber's booklets ---

function PrescriberSection(props: { d: PrescriberDashboard; csv: string }) {
  const d = props.d;
  return (
    <section aria-labelledby="carnets">
      <h2 id="carnets">Mes carnets {describePeriod(d.period)}</h2>
      <p>
        <a href={`/pass/tableau-de-bord/carnets.csv${props.csv}`}>
          Télécharger les chiffres de mes carnets (fichier CSV)
        </a>
      </p>
      <FiguresTable
        caption="Mes carnets pendant la période"
        head="Chiffre"
        columns={['Carnets']}
        rows={BOOKLET_FIGURES.map((f) => ({ label: f.label, cells: [d.totals[f.key]] }))}
      />
      <ColumnChart
        title="Carnets remis par mois"
        head="Mois"
        valueHead="Carnets remis"
        rows={d.months.map((m) => ({ label: shortMonth(m.month), value: m.distributed }))}
        total
      />
      <FiguresTable
        caption="Mes carnets par mois"
        head="Mois"
        columns={BOOKLET_FIGURES.map((f) => f.label)}
        rows={d.months.map((m) => ({
          label: monthLabel(m.month),
          cells: BOOKLET_FIGURES.map((f) => m[f.key]),
        }))}
      />
      <h3>À remettre aujourd’hui</h3>
      {d.toHandOut.length === 0 ? (
        <p>Aucun carnet en attente : tous les carnets reçus sont remis.</p>
      ) : (
        <FiguresTable
          caption="Carnets à remettre, par programme"
          head="Programme"
          columns={['Carnets', 'À remettre au plus tard le']}
          rows={d.toHandOut.map((h) => ({
            label: h.programmeName,
            cells: [h.booklets, frenchDay(h.lastDay)],
          }))}
        />
      )}
      <p>
        <a href="/pass/carnets">Voir mes carnets</a>
      </p>
    </section>
  );
}

const frenchDay = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

// --- a place's redemptions ---

function PlaceSection(props: { d: PlaceDashboard; csv: string }) {
  const d = props.d;
  return (
    <section aria-labelledby="encaissements">
      <h2 id="encaissements">Mes encaissements {describePeriod(d.period)}</h2>
      <p>
        {d.totals.redeemed} chèque{d.totals.redeemed > 1 ? 's' : ''} encaissé
        {d.totals.redeemed > 1 ? 's' : ''} ({euros(d.totals.redeemedCents)}). En attente d’un relevé :{' '}
        {d.awaiting.n} chèque{d.awaiting.n > 1 ? 's' : ''} ({euros(d.awaiting.cents)}).
      </p>
      <p>
        <a href={`/pass/tableau-de-bord/encaissements.csv${props.csv}`}>
          Télécharger les chiffres de mes encaissements (fichier CSV)
        </a>
      </p>
      <ColumnChart
        title="Chèques encaissés par mois"
        head="Mois"
        valueHead="Chèques encaissés"
        rows={d.months.map((m) => ({ label: shortMonth(m.month), value: m.redeemed }))}
        total
      />
      <FiguresTable
        caption="Encaissements par mois"
        head="Mois"
        columns={['Chèques', 'Montant']}
        rows={d.months.map((m) => ({
          label: monthLabel(m.month),
          cells: [m.redeemed, euros(m.redeemedCents)],
        }))}
      />
      <FiguresTable
        caption="Encaissements par lieu"
        head="Lieu"
        columns={['Chèques', 'Montant']}
        rows={d.places.map((p) => ({ label: p.label, cells: [p.redeemed, euros(p.redeemedCents)] }))}
      />
      <h3>Relevés des mois de la période</h3>
      {d.statements.length === 0 ? (
        <p>Aucun relevé pour les mois de la période.</p>
      ) : (
        <section class="table-scroll" tabindex={0} aria-label="Relevés mensuels de mes lieux">
          <table>
            <caption>Relevés mensuels de mes lieux</caption>
            <thead>
              <tr>
                <th scope="col">Relevé</th>
                <th scope="col">Programme</th>
                <th scope="col" class="num">
                  Montant
                </th>
                <th scope="col" class="num">
                  Réglé
                </th>
              </tr>
            </thead>
            <tbody>
              {d.statements.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={`/pass/releves/${s.id}`}>
                      {s.placeName} — {monthLabel(s.month)}
                    </a>
                  </th>
                  <td>{s.programmeName}</td>
                  <td class="num">{euros(s.totalCents)}</td>
                  <td class="num">{euros(s.settledCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <p>
        <a href="/pass/releves">Tous les relevés de ma structure</a>
      </p>
    </section>
  );
}

// --- the page ---

export function DashboardPage(props: {
  ctx: PageContext;
  query: PeriodQuery & { programme?: string | undefined };
  choices: ProgrammeChoice[];
  sections: Sections | null;
  errors?: DashboardErrors;
  years: number[];
  selectedYear: number;
}) {
  const errors = props.errors ?? {};
  const q = props.query;
  const csv = dashboardQueryString(q);
  const s = props.sections;
  const nothing = s !== null && !s.programmes && !s.prescriber && !s.place;
  return (
    <Page ctx={props.ctx} title="Tableau de bord du pass numérique" errors={errors}>
      <ErrorsAtTop errors={errors} />
      <p>
        <a href="/pass">Pass numérique</a>
      </p>
      <h1>Tableau de bord du pass numérique</h1>
      <p>Seuls des totaux sont montrés : aucune personne, aucun code de chèque n’apparaît ici.</p>
      <form method="get" action="/pass/tableau-de-bord">
        <Select
          id="programme"
          label="Programme"
          empty="Tous mes programmes"
          options={props.choices.map((c) => ({ value: c.id, label: `${c.name} (${c.funderName})` }))}
          value={q.programme ?? ''}
          error={errors.programme}
        />
        <Select
          id="annee"
          label="Année civile"
          options={props.years.map((y) => ({ value: String(y), label: String(y) }))}
          value={String(props.selectedYear)}
          error={errors.annee}
        />
        <fieldset>
          <legend>Ou des dates de votre choix (jours inclus) : elles remplacent l’année</legend>
          <Field
            id="du"
            size={12}
            maxlength={30}
            label="Du"
            hint="Par exemple : 01/01/2026."
            value={q.du ?? ''}
            error={errors.du}
          />
          <Field
            id="au"
            size={12}
            maxlength={30}
            label="Au"
            hint="Par exemple : 31/03/2026."
            value={q.au ?? ''}
            error={errors.au}
          />
        </fieldset>
        <button type="submit">Afficher</button>
      </form>
      {s?.programmes ? <ProgrammeSection d={s.programmes} csv={csv} /> : null}
      {s?.prescriber ? <PrescriberSection d={s.prescriber} csv={csv} /> : null}
      {s?.place ? <PlaceSection d={s.place} csv={csv} /> : null}
      {nothing ? (
        <p>
          Votre compte ne prend part à aucun programme de pass numérique : ni comme financeur, ni comme
          prescripteur, ni comme lieu qualifié.
        </p>
      ) : null}
    </Page>
  );
}

// --- CSV files ---

const money = (cents: number) => amountCell(cents);

/** The programmes' figures as CSV lines: the period's totals, each month, commune, place, prescriber, need. */
export function programmeDashboardCsv(d: ProgrammeDashboard): { csv: string; filename: string } {
  const lines: CsvLine[] = [];
  const figures = (section: string, label: string, f: ProgrammeDashboard['totals']) => {
    lines.push(
      [section, label, 'chèques émis', f.emitted],
      [section, label, 'montant émis (€)', money(f.emittedCents)],
      [section, label, 'chèques payés par le financeur', f.paid],
      [section, label, 'montant payé par le financeur (€)', money(f.paidCents)],
      [section, label, 'chèques confiés aux prescripteurs', f.allocated],
      [section, label, 'chèques remis à des personnes', f.distributed],
      [section, label, 'carnets entamés', f.started],
      [section, label, 'chèques encaissés', f.redeemed],
      [section, label, 'montant encaissé (€)', money(f.redeemedCents)],
      [section, label, 'chèques expirés', f.expired],
      [section, label, 'relevés des lieux', f.statements],
      [section, label, 'relevés payés en entier', f.paidStatements],
      [section, label, 'dû aux lieux (€)', money(f.owedCents)],
      [section, label, 'réglé aux lieux (€)', money(f.settledCents)],
    );
  };
  figures('période', 'total', d.totals);
  for (const m of d.months) figures('par mois', m.month, m);
  for (const c of d.communes)
    lines.push(
      ['par commune de résidence', c.label, 'carnets remis', c.booklets],
      ['par commune de résidence', c.label, 'chèques remis', c.vouchers],
      ['par commune de résidence', c.label, 'chèques encaissés', c.redeemed],
    );
  for (const p of d.places)
    lines.push(
      ['par lieu', p.label, 'chèques encaissés', p.redeemed],
      ['par lieu', p.label, 'montant encaissé (€)', money(p.redeemedCents)],
    );
  for (const p of d.prescribers)
    lines.push(
      ['par prescripteur', p.label, 'carnets confiés', p.allocated],
      ['par prescripteur', p.label, 'carnets remis', p.distributed],
    );
  for (const n of d.needs) lines.push(['par besoin', n.label, 'encaissements', n.n]);
  return {
    csv: dashboardCsv(`Pass numérique : ${d.programmes.map((p) => p.name).join(', ')}`, d.period, lines),
    filename: `pass-programmes-${d.period.from}-${d.period.to}.csv`,
  };
}

export function prescriberDashboardCsv(d: PrescriberDashboard): { csv: string; filename: string } {
  const lines: CsvLine[] = [];
  for (const f of BOOKLET_FIGURES) lines.push(['période', 'total', f.label.toLowerCase(), d.totals[f.key]]);
  for (const m of d.months)
    for (const f of BOOKLET_FIGURES) lines.push(['par mois', m.month, f.label.toLowerCase(), m[f.key]]);
  for (const h of d.toHandOut)
    lines.push([
      'à remettre',
      h.programmeName,
      `carnets à remettre au plus tard le ${frenchDay(h.lastDay)}`,
      h.booklets,
    ]);
  return {
    csv: dashboardCsv('Pass numérique : mes carnets', d.period, lines),
    filename: `pass-carnets-${d.period.from}-${d.period.to}.csv`,
  };
}

export function placeDashboardCsv(d: PlaceDashboard): { csv: string; filename: string } {
  const lines: CsvLine[] = [
    ['période', 'total', 'chèques encaissés', d.totals.redeemed],
    ['période', 'total', 'montant encaissé (€)', money(d.totals.redeemedCents)],
    ['aujourd’hui', 'en attente d’un relevé', 'chèques', d.awaiting.n],
    ['aujourd’hui', 'en attente d’un relevé', 'montant (€)', money(d.awaiting.cents)],
  ];
  for (const m of d.months)
    lines.push(
      ['par mois', m.month, 'chèques encaissés', m.redeemed],
      ['par mois', m.month, 'montant encaissé (€)', money(m.redeemedCents)],
    );
  for (const p of d.places)
    lines.push(
      ['par lieu', p.label, 'chèques encaissés', p.redeemed],
      ['par lieu', p.label, 'montant encaissé (€)', money(p.redeemedCents)],
    );
  for (const s of d.statements)
    lines.push(
      ['relevés', `${s.placeName} ${s.month} (${s.programmeName})`, 'montant (€)', money(s.totalCents)],
      ['relevés', `${s.placeName} ${s.month} (${s.programmeName})`, 'réglé (€)', money(s.settledCents)],
    );
  return {
    csv: dashboardCsv('Pass numérique : mes encaissements', d.period, lines),
    filename: `pass-encaissements-${d.period.from}-${d.period.to}.csv`,
  };
}

export type { DashboardPeriod };
