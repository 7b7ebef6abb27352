/**
 * Server-drawn charts: plain SVG (no script, no third-party library), each followed by the table of
 * the same figures so that a screen reader, a keyboard user or a printout loses nothing. The SVG is
 * `role="img"` with a title and a description that states the largest value; the table is the
 * reference. Presentation attributes only (no inline style): the CSP forbids `style=""`.
 */

/** A chart's row; `short` is an abbreviation for the columns' axis only (the table keeps `label`). */
export type ChartRow = { label: string; value: number; short?: string | undefined };

/** How a value is written in French (thousands with a narrow space, decimals with a comma). */
export function formatChartValue(value: number, unit?: 'euros' | 'percent'): string {
  const digits = unit === 'euros' && !Number.isInteger(value) ? 2 : Number.isInteger(value) ? 0 : 1;
  const text = value.toLocaleString('fr-FR', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  if (unit === 'euros') return `${text} €`;
  if (unit === 'percent') return `${text} %`;
  return text;
}

let chartSequence = 0;
/** A unique id per chart within a page (title and description are referenced by id). */
function chartId(prefix: string): string {
  chartSequence = (chartSequence + 1) % 1_000_000;
  return `${prefix}-${chartSequence}`;
}

function describeMax(rows: ChartRow[], unit?: 'euros' | 'percent'): string {
  if (rows.length === 0) return 'Aucune donnée.';
  const top = rows.reduce((a, b) => (b.value > a.value ? b : a));
  const total = rows.reduce((sum, r) => sum + r.value, 0);
  return `${rows.length} valeurs, total ${formatChartValue(total, unit)}. La plus grande : ${top.label}, ${formatChartValue(top.value, unit)}.`;
}

function shorten(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/**
 * A column's label on at most two lines of 8 characters: "janv. 2026" as "janv." over "2026" instead
 * of "janv. 2…" (the columns are 54 px apart; longer words are cut, the table gives them whole).
 * `split` also puts a short label with a space on two lines ("mai" over "2026"), so that the labels of
 * one chart look alike.
 */
export function axisLines(label: string, split = false): string[] {
  const cut = label.lastIndexOf(' ');
  if (label.length <= 8 && !(split && cut > 0)) return [label];
  if (cut <= 0) return [shorten(label, 8)];
  return [shorten(label.slice(0, cut), 8), shorten(label.slice(cut + 1), 8)];
}

/** The table that carries the chart's figures. */
export function ChartTable(props: {
  caption: string;
  head: string;
  valueHead: string;
  rows: ChartRow[];
  unit?: 'euros' | 'percent' | undefined;
  total?: boolean | undefined;
}) {
  const total = props.rows.reduce((sum, r) => sum + r.value, 0);
  return (
    <div class="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            <th scope="col">{props.valueHead}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td>{formatChartValue(r.value, props.unit)}</td>
            </tr>
          ))}
        </tbody>
        {props.total && props.rows.length > 0 ? (
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>{formatChartValue(total, props.unit)}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

/** What every chart takes: its title, its figures, and the heads of its table's two columns. */
type ChartProps = {
  title: string;
  head: string;
  valueHead: string;
  rows: ChartRow[];
  unit?: 'euros' | 'percent' | undefined;
  total?: boolean | undefined;
};

/** The frame of every chart: an SVG image named by its title and described, then the table. */
function ChartFigure(props: ChartProps & { width: number; height: number; children: unknown }) {
  const id = chartId('chart');
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${props.width} ${props.height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        class="chart-svg"
      >
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{describeMax(props.rows, props.unit)}</desc>
        {props.children}
      </svg>
      <ChartTable
        caption={props.title}
        head={props.head}
        valueHead={props.valueHead}
        rows={props.rows}
        unit={props.unit}
        total={props.total}
      />
    </figure>
  );
}

/**
 * Horizontal bars, one per category (a place, a commune, a theme), then the table.
 * `head` names the categories' column and `valueHead` the values' column.
 */
export function BarChart(props: ChartProps) {
  const rows = props.rows;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const barHeight = 22;
  const gap = 8;
  const labelWidth = 220;
  const barArea = 360;
  const valueWidth = 110;
  const width = labelWidth + barArea + valueWidth;
  const height = Math.max(1, rows.length) * (barHeight + gap) + gap;
  return (
    <ChartFigure {...props} width={width} height={height}>
      {rows.map((r, i) => {
        const y = gap + i * (barHeight + gap);
        const w = max > 0 ? Math.max(r.value > 0 ? 2 : 0, Math.round((r.value / max) * barArea)) : 0;
        return (
          <g>
            <text x={labelWidth - 8} y={y + barHeight * 0.7} text-anchor="end" font-size="14" fill="#1e1e1e">
              {shorten(r.label, 28)}
            </text>
            <rect x={labelWidth} y={y} width={w} height={barHeight} fill="#000091" />
            <text x={labelWidth + w + 6} y={y + barHeight * 0.7} font-size="14" fill="#1e1e1e">
              {formatChartValue(r.value, props.unit)}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}

/** Vertical columns over time (months, quarters, years), then the table. */
export function ColumnChart(props: ChartProps) {
  const rows = props.rows;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const plotHeight = 180;
  const top = 24;
  const bottom = 40;
  const colWidth = 40;
  const gap = 14;
  const left = 10;
  const width = Math.max(200, left + rows.length * (colWidth + gap) + gap);
  const height = top + plotHeight + bottom;
  const split = rows.some((r) => axisLines(r.short ?? r.label).length > 1);
  return (
    <ChartFigure {...props} width={width} height={height}>
      <line x1={left} y1={top + plotHeight} x2={width - gap} y2={top + plotHeight} stroke="#3a3a3a" />
      {rows.map((r, i) => {
        const x = left + gap + i * (colWidth + gap);
        const h = max > 0 ? Math.max(r.value > 0 ? 2 : 0, Math.round((r.value / max) * plotHeight)) : 0;
        return (
          <g>
            <rect x={x} y={top + plotHeight - h} width={colWidth} height={h} fill="#000091" />
            <text
              x={x + colWidth / 2}
              y={top + plotHeight - h - 6}
              text-anchor="middle"
              font-size="12"
              fill="#1e1e1e"
            >
              {formatChartValue(r.value, props.unit)}
            </text>
            <text
              x={x + colWidth / 2}
              y={top + plotHeight + 18}
              text-anchor="middle"
              font-size="12"
              fill="#1e1e1e"
            >
              {axisLines(r.short ?? r.label, split).map((line, n) => (
                <tspan x={x + colWidth / 2} dy={n === 0 ? 0 : 15}>
                  {line}
                </tspan>
              ))}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}
