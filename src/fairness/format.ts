/**
 * Formatters of a group-metrics result: a fixed-width text table for terminals, GitHub Markdown
 * and an HTML fragment. Each is a pure function of the result's JSON document
 * ({@link GroupMetricsJSON}, from `result.toJSON()` or a saved file); nothing is printed.
 *
 * Two phases: {@link resultTables} turns the document into display rows (formatted numbers,
 * undefined cells with their reasons, footnotes), then one renderer per format lays them out.
 * So the three formats always carry the same content:
 *
 * - a header (attributes, rows, dropped rows, compat mode, reference group, minimum group size);
 * - one row per group and an `(overall)` row: label, count, a `*` flag for groups with fewer than
 *   `minGroupSize` rows, and the metrics (default: selectionRate, baseRate, tpr, fpr, precision,
 *   accuracy, and auc, brier, ece when scores were given). An undefined value prints as `—` and
 *   its reason is listed under the table;
 * - the named disparities in document order: value, bootstrap interval, method, status and the
 *   groups the value rests on; reasons of non-`ok` statuses are listed under the table;
 * - the warnings.
 *
 * Numbers are rounded to `digits` decimals (default 3) with `toFixed`.
 *
 * @example
 * ```ts
 * import { formatResultText } from 'fairwatch';
 * console.log(formatResultText(result.toJSON(), { metrics: ['selectionRate', 'tpr'], digits: 2 }));
 * // Group metrics by sex: 120 rows (2 dropped), compat fairwatch, reference group male,
 * //   min group size 30
 * //
 * // group        n     selectionRate   tpr
 * // ---------  ---  -  -------------  ----
 * // female      60              0.25  0.50
 * // male        50              0.50  0.80
 * // other        8  *           0.50     —
 * // ---------  ---  -  -------------  ----
 * // (overall)  118              0.37  0.67
 * //
 * // * fewer than 30 rows (minGroupSize): values are shown but give no verdict
 * // — tpr undefined for group other: the group has no positive labels
 * // (then the Disparities table and the warnings)
 * ```
 */
import { InputError, messages } from '../errors.js';
import { RATES } from './rates.js';
import type { DisparityJSON, GroupJSON, GroupMetricsJSON } from './result.js';

/** Options shared by the three formatters. */
export interface FormatOptions {
  /** Metrics to show, in order (default: selectionRate, baseRate, tpr, fpr, precision, accuracy, then auc, brier, ece when present). */
  metrics?: string[];
  /** Decimals of every metric value (default 3). */
  digits?: number;
  /**
   * Intervals. Disparity (bootstrap) intervals are shown unless `false`. Per-group (Wilson)
   * intervals are shown in HTML unless `false`, and in text and Markdown only when `true` (they
   * double the width of each metric column).
   */
  intervals?: boolean;
  /** Target line width of the text table (default 100). Labels are cut with `…` to fit. */
  width?: number;
}

/**
 * The default metric columns; the score metrics appear only when the result has them.
 *
 * @example
 * ```ts
 * DEFAULT_TABLE_METRICS; // ['selectionRate', 'baseRate', 'tpr', 'fpr', 'precision', 'accuracy']
 * ```
 */
export const DEFAULT_TABLE_METRICS = ['selectionRate', 'baseRate', 'tpr', 'fpr', 'precision', 'accuracy'] as const;
const DEFAULT_SCORE_METRICS = ['auc', 'brier', 'ece'] as const;

/** Keys of a group (or overall) JSON object that are not metrics. */
const NON_METRIC_KEYS = new Set(['group', 'label', 'count', 'weight', 'status', 'undefinedReasons', 'intervals']);

/** Short column headers, used in text when the full names do not fit. */
const SHORT_NAMES: Record<string, string> = {
  selectionRate: 'select',
  baseRate: 'base',
  precision: 'prec',
  accuracy: 'acc',
  calibrationInTheLarge: 'citl',
};

const SCORE_TITLES: Record<string, string> = {
  auc: 'AUC (area under the ROC curve)',
  brier: 'Brier score',
  ece: 'Expected calibration error',
  mce: 'Maximum calibration error',
  calibrationInTheLarge: 'Calibration in the large (mean score − base rate)',
};

/** Human title of a metric (its name when unknown). @example `metricTitle('tpr') // 'True positive rate (recall)'` */
export function metricTitle(metric: string): string {
  return (RATES as Record<string, { title: string }>)[metric]?.title ?? SCORE_TITLES[metric] ?? metric;
}

/**
 * The undefined-value mark.
 *
 * @example
 * ```ts
 * UNDEFINED_MARK;            // '—'
 * formatNumber(null, 3);     // '—'
 * ```
 */
export const UNDEFINED_MARK = '—';

/**
 * A number to `digits` decimals; `null` (undefined) as `—`; never `-0.000`.
 * @example `formatNumber(1 / 7, 3) // '0.143'`, `formatNumber(null, 3) // '—'`
 */
export function formatNumber(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return UNDEFINED_MARK;
  const s = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * Metric names present in a result document, in order of first appearance (overall, then groups).
 * @example `resultMetricNames(r.toJSON()) // ['selectionRate', 'baseRate', 'tpr', ...]`
 */
export function resultMetricNames(json: GroupMetricsJSON): string[] {
  const seen = new Set<string>();
  for (const row of [json.overall, ...json.groups] as Record<string, unknown>[]) {
    for (const key of Object.keys(row)) if (!NON_METRIC_KEYS.has(key)) seen.add(key);
  }
  return [...seen];
}

/**
 * A group or the overall row. (`GroupMetricsJSON['overall']` is an `Omit` of `GroupJSON`, which
 * keeps only its index signature; this names the fields both rows have.)
 */
type RowJSON = Pick<GroupJSON, 'count' | 'weight' | 'undefinedReasons' | 'intervals'> & Record<string, unknown>;

/** A metric value of a row: a finite number or null. */
function metricValue(row: RowJSON, metric: string): number | null {
  const v = (row as Record<string, unknown>)[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

// ---------------------------------------------------------------------------------------------
// Phase 1: the document -> display tables
// ---------------------------------------------------------------------------------------------

/** One metric cell. */
export interface MetricCell {
  value: number | null;
  /** Formatted value (`—` when undefined). */
  text: string;
  /** Formatted interval, e.g. `[0.180, 0.330]`, when the value has one. */
  interval?: string;
  /** Why the value is undefined. */
  reason?: string;
}

/** One row of the group table. */
export interface GroupTableRow {
  label: string;
  count: number;
  weight: number;
  insufficient: boolean;
  overall: boolean;
  cells: MetricCell[];
}

/** One named disparity. */
export interface DisparityTableRow {
  name: string;
  metric: string;
  kind: 'difference' | 'ratio';
  method: string;
  value: number | null;
  text: string;
  interval?: string;
  groups: string[];
  status: string;
  reason?: string;
  /** For equalized odds: the component disparities, formatted. */
  components?: string;
}

/** The display tables of a result: what every format shows. */
export interface ResultTables {
  /** Header facts, in order, e.g. `['120 rows (2 dropped)', 'compat fairwatch', ...]`. */
  title: string;
  facts: string[];
  metrics: string[];
  weighted: boolean;
  minGroupSize: number;
  rows: GroupTableRow[];
  /** Notes on undefined values: `tpr, fnr undefined for group b: the group has no positive labels`. */
  undefinedNotes: string[];
  disparities: DisparityTableRow[];
  /** Interval header, e.g. `95% CI`, or null when no disparity has an interval shown. */
  intervalHeader: string | null;
  /** How the disparity intervals were computed, e.g. `95% CI: percentile bootstrap, 200 resamples, seed 7`. */
  intervalNotes: string[];
  /** Notes on disparities that are not `ok`. */
  disparityNotes: string[];
  warnings: string[];
  /** Whether any shown group value has an interval. */
  groupIntervals: boolean;
}

function checkOptions(fn: string, json: GroupMetricsJSON, options: FormatOptions): { metrics: string[]; digits: number } {
  const digits = options.digits ?? 3;
  if (!Number.isInteger(digits) || digits < 0 || digits > 12) {
    throw new InputError(messages.badOption(fn, 'digits', digits, 'an integer from 0 to 12'), 'badOption', { option: 'digits' });
  }
  if (options.width !== undefined && !(Number.isInteger(options.width) && options.width >= 40)) {
    throw new InputError(messages.badOption(fn, 'width', options.width, 'an integer >= 40'), 'badOption', { option: 'width' });
  }
  const available = resultMetricNames(json);
  let metrics: string[];
  if (options.metrics) {
    for (const m of options.metrics) {
      if (!available.includes(m)) throw new InputError(messages.unknownMetric(fn, m, available), 'unknownMetric', { metric: m });
    }
    metrics = [...options.metrics];
  } else {
    metrics = [...DEFAULT_TABLE_METRICS, ...DEFAULT_SCORE_METRICS].filter((m) => available.includes(m));
  }
  return { metrics, digits };
}

const percent = (confidence: number): string => `${+(confidence * 100).toFixed(2)}%`;

/**
 * Labels a disparity rests on: `a vs b` (min and max, or group and reference), or one label.
 *
 * @example
 * ```ts
 * joinGroups(['a', 'b']); // 'a vs b'
 * joinGroups(['a']);      // 'a'
 * joinGroups([]);         // '—'
 * ```
 */
export const joinGroups = (groups: readonly string[]): string => (groups.length ? groups.join(' vs ') : UNDEFINED_MARK);

/**
 * Phase 1 of every formatter: the display tables of a result document (numbers formatted,
 * undefined values with their reasons, notes collected). Throws `InputError` on an unknown metric
 * or bad `digits`.
 *
 * @example
 * ```ts
 * const t = resultTables(r.toJSON(), { metrics: ['tpr'] });
 * t.rows[0].cells[0].text; // '0.500'
 * t.undefinedNotes;        // ['tpr undefined for group other: the group has no positive labels']
 * ```
 */
export function resultTables(json: GroupMetricsJSON, options: FormatOptions = {}, fn = 'resultTables'): ResultTables {
  const { metrics, digits } = checkOptions(fn, json, options);
  const showIntervals = options.intervals !== false;
  const o = json.options;
  const minGroupSize = o?.minGroupSize ?? 0;

  const facts: string[] = [];
  facts.push(`${json.rows} rows${json.dropped ? ` (${json.dropped} dropped)` : ''}`);
  if (o?.compat) facts.push(`compat ${o.compat}`);
  facts.push(json.reference === null || json.reference === undefined ? 'no reference group' : `reference group ${json.reference}`);
  if (minGroupSize) facts.push(`min group size ${minGroupSize}`);
  if (o?.threshold !== undefined) facts.push(`threshold ${o.threshold}`);
  if (o?.columns?.weights) facts.push(`weighted by ${o.columns.weights}`);
  const attributes = json.attributes?.length ? json.attributes.join(' × ') : '(no attributes)';

  const undefinedNotes: string[] = [];
  let groupIntervals = false;
  const makeRow = (
    src: RowJSON,
    label: string,
    insufficient: boolean,
    overall: boolean,
  ): GroupTableRow => {
    const byReason = new Map<string, string[]>();
    const cells = metrics.map((m): MetricCell => {
      const value = metricValue(src, m);
      const cell: MetricCell = { value, text: formatNumber(value, digits) };
      const iv = src.intervals?.[m];
      if (showIntervals && iv && value !== null) {
        cell.interval = `[${formatNumber(iv.low, digits)}, ${formatNumber(iv.high, digits)}]`;
        groupIntervals = true;
      }
      if (value === null) {
        cell.reason = src.undefinedReasons?.[m] ?? ((src as Record<string, unknown>)[m] === undefined ? 'not computed' : 'no reason recorded');
        const list = byReason.get(cell.reason);
        if (list) list.push(m);
        else byReason.set(cell.reason, [m]);
      }
      return cell;
    });
    for (const [reason, ms] of byReason) {
      undefinedNotes.push(`${ms.join(', ')} undefined ${overall ? 'overall' : `for group ${label}`}: ${reason}`);
    }
    return { label, count: src.count, weight: src.weight, insufficient, overall, cells };
  };
  const rows = json.groups.map((g) => makeRow(g, g.label, g.status === 'insufficient', false));
  rows.push(makeRow(json.overall as RowJSON, '(overall)', false, true));

  const disparities: DisparityTableRow[] = [];
  const intervalKinds = new Map<string, string>();
  const confidences = new Set<number>();
  const byReason = new Map<string, string[]>();
  for (const [name, d] of Object.entries(json.disparityDetails ?? {}) as [string, DisparityJSON][]) {
    const row: DisparityTableRow = {
      name,
      metric: d.metric,
      kind: d.kind,
      method: d.method,
      value: d.value,
      text: formatNumber(d.value, digits),
      groups: d.groups ?? [],
      status: d.status,
    };
    if (d.reason) row.reason = d.reason;
    if (d.components) {
      row.components = Object.entries(d.components)
        .map(([k, v]) => `${k} ${formatNumber(v, digits)}`)
        .join(', ');
      if (d.agg) row.components = `${d.agg === 'mean' ? 'mean' : 'worst'} of ${row.components}`;
    }
    const iv = d.interval;
    if (showIntervals && iv) {
      row.interval = `[${formatNumber(iv.low, digits)}, ${formatNumber(iv.high, digits)}]`;
      confidences.add(iv.confidence);
      const how = `${percent(iv.confidence)} CI: ${iv.method} bootstrap, ${iv.resamples} resamples, seed ${iv.seed}`;
      intervalKinds.set(how, how);
      if (iv.valid < iv.resamples) {
        const why = `${name} interval from ${iv.valid} of ${iv.resamples} resamples (the others left it undefined)`;
        intervalKinds.set(why, why);
      }
    }
    if (d.status !== 'ok') {
      const why = `${d.status}: ${d.reason ?? 'no reason recorded'}`;
      const list = byReason.get(why);
      if (list) list.push(name);
      else byReason.set(why, [name]);
    }
    disparities.push(row);
  }
  const disparityNotes = [...byReason].map(([why, names]) => `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} ${why}`);
  const intervalHeader = intervalKinds.size === 0 ? null : confidences.size === 1 ? `${percent([...confidences][0]!)} CI` : 'CI';

  return {
    title: `Group metrics by ${attributes}`,
    facts,
    metrics,
    weighted: Boolean(o?.columns?.weights),
    minGroupSize,
    rows,
    undefinedNotes,
    disparities,
    intervalHeader,
    intervalNotes: [...intervalKinds.keys()],
    disparityNotes,
    warnings: json.warnings ?? [],
    groupIntervals,
  };
}

const insufficientNote = (n: number): string => `fewer than ${n} rows (minGroupSize): values are shown but give no verdict`;

// ---------------------------------------------------------------------------------------------
// Phase 2a: text
// ---------------------------------------------------------------------------------------------

/** Display width of a string (code points; combining and wide characters are not special-cased). */
const len = (s: string): number => [...s].length;
const cut = (s: string, w: number): string => (len(s) <= w ? s : [...s].slice(0, Math.max(0, w - 1)).join('') + '…');
const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - len(s)));
const padStart = (s: string, w: number): string => ' '.repeat(Math.max(0, w - len(s))) + s;

interface TextColumn {
  header: string;
  align: 'left' | 'right';
  cells: string[];
  /** Maximum width; longer cells are cut with `…` (or wrapped, with `wrap`). */
  max?: number;
  /** Wrap long cells at spaces onto continuation lines instead of cutting them. */
  wrap?: boolean;
}

const GAP = '  ';
const columnWidth = (c: TextColumn): number => Math.min(c.max ?? Infinity, Math.max(len(c.header), ...c.cells.map(len)));
const tableWidth = (cols: TextColumn[]): number => cols.reduce((s, c) => s + columnWidth(c), 0) + GAP.length * (cols.length - 1);

/** Lays out columns; a rule line under the header and before row indices in `ruleBefore`. */
function renderColumns(cols: TextColumn[], ruleBefore: ReadonlySet<number> = new Set()): string[] {
  const widths = cols.map(columnWidth);
  const line = (cells: string[]): string =>
    cells
      .map((s, j) => {
        const t = cols[j]!.wrap ? s : cut(s, widths[j]!);
        return cols[j]!.align === 'left' ? padEnd(t, widths[j]!) : padStart(t, widths[j]!);
      })
      .join(GAP)
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join(GAP).trimEnd();
  const out = [line(cols.map((c) => c.header)), rule];
  const n = cols[0]?.cells.length ?? 0;
  for (let i = 0; i < n; i++) {
    if (ruleBefore.has(i)) out.push(rule);
    const parts = cols.map((c, j) => (c.wrap ? wrap(c.cells[i]!, widths[j]!, 0) : [c.cells[i]!]));
    const height = Math.max(...parts.map((p) => p.length));
    for (let k = 0; k < height; k++) out.push(line(parts.map((p) => p[k] ?? '')));
  }
  return out;
}

/** Greedy word wrap; continuation lines are indented by `indent` spaces; over-long words are broken. */
function wrap(text: string, width: number, indent = 2): string[] {
  const out: string[] = [];
  let line = '';
  const room = Math.max(1, width - indent);
  const words = text.split(' ').flatMap((w) => {
    // A word longer than a line is broken into line-sized pieces.
    const cp = [...w];
    if (cp.length <= room) return [w];
    const pieces: string[] = [];
    for (let i = 0; i < cp.length; i += room) pieces.push(cp.slice(i, i + room).join(''));
    return pieces;
  });
  for (const word of words) {
    if (line && len(line) + 1 + len(word) > width) {
      out.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || !out.length) out.push(line);
  return out;
}

/** Joins parts with `, `, breaking lines only between parts (continuations indented by 2). */
function wrapParts(parts: readonly string[], width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const [i, part] of parts.entries()) {
    const piece = i < parts.length - 1 ? `${part},` : part;
    if (line.trim() && len(line) + 1 + len(piece) > width) {
      out.push(line);
      line = `  ${piece}`;
    } else {
      line = line ? `${line} ${piece}` : piece;
    }
  }
  out.push(line);
  return out;
}

const MIN_LABEL_WIDTH = 12;
const MIN_GROUPS_WIDTH = 16;

function groupColumns(t: ResultTables, short: boolean, withIntervals: boolean): TextColumn[] {
  const cols: TextColumn[] = [
    { header: 'group', align: 'left', cells: t.rows.map((r) => r.label) },
    { header: 'n', align: 'right', cells: t.rows.map((r) => String(r.count)) },
  ];
  if (t.weighted) cols.push({ header: 'weight', align: 'right', cells: t.rows.map((r) => formatNumber(r.weight, Number.isInteger(r.weight) ? 0 : 1)) });
  cols.push({ header: '', align: 'left', cells: t.rows.map((r) => (r.insufficient ? '*' : '')) });
  t.metrics.forEach((m, j) => {
    cols.push({
      header: short ? (SHORT_NAMES[m] ?? m) : m,
      align: 'right',
      cells: t.rows.map((r) => {
        const c = r.cells[j]!;
        return withIntervals && c.interval ? `${c.text} ${c.interval}` : c.text;
      }),
    });
  });
  return cols;
}

/**
 * The result as a fixed-width text table for terminals: a header line, the group table with an
 * `(overall)` row, footnotes (`*` insufficient groups, reasons of `—` values), the disparities
 * with their intervals and notes, and the warnings. Column widths come from the content; when the
 * full metric names do not fit in `width` (default 100) short ones are used (and listed), then
 * labels are cut with `…`. Per-group intervals are shown with `intervals: true`.
 *
 * @example
 * ```ts
 * formatResultText(r.toJSON(), { metrics: ['tpr'] });
 * // Group metrics by sex: 120 rows (2 dropped), compat fairwatch, reference group male, ...
 * //
 * // group        n       tpr
 * // ---------  ---  -  -----
 * // female      60     0.500
 * // other        8  *      —
 * // ...
 * ```
 */
export function formatResultText(json: GroupMetricsJSON, options: FormatOptions = {}): string {
  const t = resultTables(json, options, 'formatResultText');
  const width = options.width ?? 100;
  const lines: string[] = [];
  lines.push(...wrapParts([`${t.title}: ${t.facts[0]}`, ...t.facts.slice(1)], width), '');

  // Group table: full metric names if they fit, else short ones; then labels are cut to fit.
  const withIntervals = t.groupIntervals && options.intervals === true;
  const candidates: [boolean, boolean][] = [
    [false, withIntervals],
    [true, withIntervals],
  ];
  let cols = groupColumns(t, true, candidates[candidates.length - 1]![1]);
  let short = true;
  for (const [s, iv] of candidates) {
    const c = groupColumns(t, s, iv);
    if (tableWidth(c) <= width) {
      cols = c;
      short = s;
      break;
    }
  }
  const excess = tableWidth(cols) - width;
  if (excess > 0) cols[0]!.max = Math.max(MIN_LABEL_WIDTH, columnWidth(cols[0]!) - excess);
  lines.push(...renderColumns(cols, new Set([t.rows.length - 1])));

  const notes: string[] = [];
  if (t.rows.some((r) => r.insufficient)) notes.push(`* ${insufficientNote(t.minGroupSize)}`);
  for (const n of t.undefinedNotes) notes.push(`${UNDEFINED_MARK} ${n}`);
  if (short) {
    const abbreviated = t.metrics.filter((m) => SHORT_NAMES[m]).map((m) => `${SHORT_NAMES[m]} = ${m}`);
    if (abbreviated.length) notes.push(`columns: ${abbreviated.join(', ')}`);
  }
  if (notes.length) lines.push('', ...notes.flatMap((n) => wrap(n, width)));

  if (t.disparities.length) {
    const d = t.disparities;
    const dcols: TextColumn[] = [
      { header: 'disparity', align: 'left', cells: d.map((r) => r.name) },
      { header: 'value', align: 'right', cells: d.map((r) => r.text) },
    ];
    if (t.intervalHeader) dcols.push({ header: t.intervalHeader, align: 'left', cells: d.map((r) => r.interval ?? '') });
    dcols.push(
      { header: 'method', align: 'left', cells: d.map((r) => r.method) },
      { header: 'status', align: 'left', cells: d.map((r) => r.status) },
      { header: 'groups', align: 'left', cells: d.map((r) => joinGroups(r.groups)), wrap: true },
    );
    const last = dcols[dcols.length - 1]!;
    last.max = Math.max(MIN_GROUPS_WIDTH, width - (tableWidth(dcols) - columnWidth(last)));
    lines.push('', 'Disparities', '', ...renderColumns(dcols));
    const dnotes = [
      ...t.intervalNotes,
      ...t.disparityNotes,
      ...d.filter((r) => r.components).map((r) => `${r.name} = ${r.components}`),
    ];
    if (dnotes.length) lines.push('', ...dnotes.flatMap((n) => wrap(n, width)));
  }
  if (t.warnings.length) lines.push('', 'Warnings', ...t.warnings.flatMap((w) => wrap(`- ${w}`, width)));
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Phase 2b: Markdown
// ---------------------------------------------------------------------------------------------

/**
 * Escapes text for a GitHub Markdown table cell: backslash-escapes `\ | * _ ` [ ] < > ~` and turns
 * line breaks into spaces.
 * @example `escapeMarkdown('a|b') // 'a\\|b'`
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\|*_`[\]<>~]/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, ' ');
}

/**
 * The result as GitHub Markdown: the same content as {@link formatResultText}, as two tables
 * (groups, disparities) with lists of notes. Labels and strings are escaped with
 * {@link escapeMarkdown}. Per-group intervals are shown with `intervals: true`.
 *
 * @example
 * ```ts
 * formatResultMarkdown(r.toJSON(), { metrics: ['tpr'] });
 * // **Group metrics by sex**: 120 rows (2 dropped), compat fairwatch, ...
 * //
 * // | group | n | | tpr |
 * // | :--- | ---: | :---: | ---: |
 * // | female | 60 | | 0.500 |
 * // | a\|b | 8 | \* | — |
 * ```
 */
export function formatResultMarkdown(json: GroupMetricsJSON, options: FormatOptions = {}): string {
  const t = resultTables(json, options, 'formatResultMarkdown');
  const e = escapeMarkdown;
  const withIntervals = t.groupIntervals && options.intervals === true;
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const lines: string[] = [`**${e(t.title)}**: ${t.facts.map(e).join(', ')}`, ''];

  const head = ['group', 'n', ...(t.weighted ? ['weight'] : []), ' ', ...t.metrics.map(e)];
  lines.push(row(head), row([':---', '---:', ...(t.weighted ? ['---:'] : []), ':---:', ...t.metrics.map(() => '---:')]));
  for (const r of t.rows) {
    const label = r.overall ? `**${e(r.label)}**` : e(r.label);
    const cells = r.cells.map((c) => (withIntervals && c.interval ? `${c.text} ${c.interval}` : c.text));
    const weight = t.weighted ? [formatNumber(r.weight, Number.isInteger(r.weight) ? 0 : 1)] : [];
    lines.push(row([label, String(r.count), ...weight, r.insufficient ? '\\*' : ' ', ...cells]));
  }
  const notes: string[] = [];
  if (t.rows.some((r) => r.insufficient)) notes.push(`\\* ${e(insufficientNote(t.minGroupSize))}`);
  for (const n of t.undefinedNotes) notes.push(`${UNDEFINED_MARK} ${e(n)}`);
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));

  if (t.disparities.length) {
    lines.push('', '**Disparities**', '');
    const dh = ['disparity', 'value', ...(t.intervalHeader ? [t.intervalHeader] : []), 'method', 'status', 'groups'];
    lines.push(row(dh), row([':---', '---:', ...(t.intervalHeader ? [':---'] : []), ':---', ':---', ':---']));
    for (const d of t.disparities) {
      const iv = t.intervalHeader ? [d.interval ?? ' '] : [];
      lines.push(row([e(d.name), d.text, ...iv, e(d.method), e(d.status), e(joinGroups(d.groups))]));
    }
    const dnotes = [
      ...t.intervalNotes,
      ...t.disparityNotes,
      ...t.disparities.filter((d) => d.components).map((d) => `${d.name} = ${d.components}`),
    ];
    if (dnotes.length) lines.push('', ...dnotes.map((n) => `- ${e(n)}`));
  }
  if (t.warnings.length) lines.push('', '**Warnings**', '', ...t.warnings.map((w) => `- ${e(w)}`));
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Phase 2c: HTML
// ---------------------------------------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML content and attribute values.
 * @example `escapeHTML('<script>') // '&lt;script&gt;'`
 */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const STYLE = `<style>
.fairwatch-result table { border-collapse: collapse; margin: 0.5em 0; font-variant-numeric: tabular-nums; }
.fairwatch-result caption { text-align: left; padding-bottom: 0.3em; }
.fairwatch-result th, .fairwatch-result td { padding: 0.15em 0.6em; text-align: right; }
.fairwatch-result th:first-child, .fairwatch-result td.fw-text { text-align: left; }
.fairwatch-result thead th { border-bottom: 1px solid currentColor; }
.fairwatch-result tr.fw-overall { border-top: 1px solid currentColor; font-weight: bold; }
.fairwatch-result tr.fw-insufficient { opacity: 0.6; font-style: italic; }
.fairwatch-result td.fw-undefined { opacity: 0.6; cursor: help; }
.fairwatch-result .fw-interval { opacity: 0.7; font-size: 0.85em; }
.fairwatch-result ul.fw-notes { margin: 0.2em 0 0.8em 0; font-size: 0.9em; }
</style>`;

/**
 * The result as a self-contained HTML fragment (for notebooks and reports): a `<div
 * class="fairwatch-result">` with a scoped `<style>`, the group table (a `<caption>` with the
 * header facts; rows of insufficient groups have class `fw-insufficient`, undefined cells class
 * `fw-undefined` and their reason in `title`), the disparity table, and the notes. Every label and
 * string is HTML-escaped.
 *
 * @example
 * ```ts
 * formatResultHTML(r.toJSON(), { metrics: ['tpr'] });
 * // <div class="fairwatch-result">...<table class="fw-groups"><caption>Group metrics by sex: ...
 * // <tr class="fw-insufficient" title="fewer than 30 rows ..."><th scope="row">other<sup>*</sup></th>
 * // <td>8</td><td class="fw-undefined" title="tpr undefined: the group has no positive labels">—</td></tr>
 * ```
 */
export function formatResultHTML(json: GroupMetricsJSON, options: FormatOptions = {}): string {
  const t = resultTables(json, options, 'formatResultHTML');
  const h = escapeHTML;
  const out: string[] = ['<div class="fairwatch-result">', STYLE, '<table class="fw-groups">'];
  out.push(`<caption><strong>${h(t.title)}</strong>: ${h(t.facts.join(', '))}</caption>`);
  out.push(
    '<thead><tr><th scope="col">group</th><th scope="col">n</th>' +
      (t.weighted ? '<th scope="col">weight</th>' : '') +
      t.metrics.map((m) => `<th scope="col" title="${h(metricTitle(m))}">${h(m)}</th>`).join('') +
      '</tr></thead>',
  );
  const insufficient = insufficientNote(t.minGroupSize);
  const bodyRow = (r: GroupTableRow): string => {
    const cls = r.overall ? ' class="fw-overall"' : r.insufficient ? ` class="fw-insufficient" title="${h(insufficient)}"` : '';
    const mark = r.insufficient ? '<sup>*</sup>' : '';
    const weight = t.weighted ? `<td>${formatNumber(r.weight, Number.isInteger(r.weight) ? 0 : 1)}</td>` : '';
    const cells = r.cells
      .map((c, j) => {
        if (c.value === null) return `<td class="fw-undefined" title="${h(`${t.metrics[j]} undefined: ${c.reason}`)}">${UNDEFINED_MARK}</td>`;
        const iv = c.interval ? ` <span class="fw-interval">${h(c.interval)}</span>` : '';
        return `<td>${h(c.text)}${iv}</td>`;
      })
      .join('');
    return `<tr${cls}><th scope="row">${h(r.label)}${mark}</th><td>${r.count}</td>${weight}${cells}</tr>`;
  };
  out.push('<tbody>', ...t.rows.filter((r) => !r.overall).map(bodyRow), '</tbody>');
  out.push('<tfoot>', ...t.rows.filter((r) => r.overall).map(bodyRow), '</tfoot>', '</table>');
  const notes: string[] = [];
  if (t.rows.some((r) => r.insufficient)) notes.push(`* ${insufficient}`);
  for (const n of t.undefinedNotes) notes.push(`${UNDEFINED_MARK} ${n}`);
  if (notes.length) out.push('<ul class="fw-notes">', ...notes.map((n) => `<li>${h(n)}</li>`), '</ul>');

  if (t.disparities.length) {
    out.push('<table class="fw-disparities">', '<caption><strong>Disparities</strong></caption>');
    out.push(
      '<thead><tr><th scope="col">disparity</th><th scope="col">value</th>' +
        (t.intervalHeader ? `<th scope="col">${h(t.intervalHeader)}</th>` : '') +
        '<th scope="col">method</th><th scope="col">status</th><th scope="col">groups</th></tr></thead>',
      '<tbody>',
    );
    for (const d of t.disparities) {
      const cls = d.status === 'ok' ? '' : ` class="fw-${h(d.status)}"`;
      const tip = d.reason ? ` title="${h(d.reason)}"` : '';
      const nameTip = d.components ? ` title="${h(d.components)}"` : '';
      const value = d.value === null ? `<td class="fw-undefined"${tip}>${UNDEFINED_MARK}</td>` : `<td>${h(d.text)}</td>`;
      const iv = t.intervalHeader ? `<td class="fw-text">${h(d.interval ?? '')}</td>` : '';
      out.push(
        `<tr${cls}><th scope="row"${nameTip}>${h(d.name)}</th>${value}${iv}<td class="fw-text">${h(d.method)}</td>` +
          `<td class="fw-text"${tip}>${h(d.status)}</td><td class="fw-text">${h(joinGroups(d.groups))}</td></tr>`,
      );
    }
    out.push('</tbody>', '</table>');
    const dnotes = [...t.intervalNotes, ...t.disparityNotes];
    if (dnotes.length) out.push('<ul class="fw-notes">', ...dnotes.map((n) => `<li>${h(n)}</li>`), '</ul>');
  }
  if (t.warnings.length) {
    out.push('<p><strong>Warnings</strong></p>', '<ul class="fw-warnings">', ...t.warnings.map((w) => `<li>${h(w)}</li>`), '</ul>');
  }
  out.push('</div>');
  return out.join('\n');
}
