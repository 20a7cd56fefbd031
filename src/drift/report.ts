/**
 * `driftReport`: does the current data differ from the reference, column by column, and for the
 * dataset as a whole? Every applicable statistic is reported for every column; one test per
 * column (Evidently's default choice, or the one asked for) decides, and a column drifts only when
 * its effect size passes the threshold (and, for p-value tests, the p-value is below alpha —
 * large samples make p-values vanish on their own).
 *
 * Default test per column (after Evidently's `get_default_stattest`): a numeric column with more
 * than 5 distinct values uses KS when the reference has at most 1000 rows, else the normed
 * Wasserstein distance (threshold 0.1); other columns use chi-square (more than 2 values) or the
 * two-proportion z-test (2 values) up to 1000 reference rows, else Jensen–Shannon (0.1).
 * Effect thresholds of the p-value tests: KS statistic ≥ 0.1, Cramér's V ≥ 0.1, Cohen's h ≥ 0.2.
 *
 * @example
 * ```ts
 * const r = driftReport({ reference: lastMonth, current: thisWeek, columns: ['income', 'age_band'] });
 * r.datasetDrift;                         // false
 * r.columns.find((c) => c.column === 'income')!.psi;
 * console.log(String(r));
 * ```
 */
import { InputError, messages } from '../errors.js';
import { toColumnTable, type ColumnTable } from '../io/table.js';
import { toGroupValue } from '../kernels/groups.js';
import type { DriftColumnSpec, DriftCounts, NumericDriftCounts } from '../engines/drift-sql.js';
import { sampleQuantiles } from './sketch.js';
import { driftHistogramSpec, driftScoreSpec, formatDriftMarkdown, formatDriftText } from './format.js';
import { profile as buildProfile, type CategoricalProfile, type ColumnKind, type ColumnProfile, type NumericProfile, type Profile } from './profile.js';
import {
  binCounts,
  chiSquareHomogeneity,
  hellinger,
  jensenShannon,
  kl,
  binnedComparison,
  ksAsymptoticPValue,
  ksTwoSample,
  psi,
  tvd,
  wasserstein1,
  zTestTwoProportions,
} from './stats/index.js';

/**
 * Tests that can decide whether a column drifted.
 * @example `DRIFT_TESTS.includes('psi') // true`
 */
export const DRIFT_TESTS = ['ks', 'wassersteinNormed', 'chiSquare', 'zTest', 'jensenShannon', 'psi', 'hellinger', 'kl', 'tvd'] as const;
export type DriftTest = (typeof DRIFT_TESTS)[number];
const P_VALUE_TESTS: readonly DriftTest[] = ['ks', 'chiSquare', 'zTest'];

/**
 * Default thresholds: distance tests compare the distance; p-value tests compare an effect size.
 * @example `DEFAULT_DRIFT_THRESHOLDS.wassersteinNormed // 0.1`
 */
export const DEFAULT_DRIFT_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.1, // KS statistic D
  chiSquare: 0.1, // Cramér's V
  zTest: 0.2, // Cohen's h
  wassersteinNormed: 0.1,
  jensenShannon: 0.1,
  psi: 0.1,
  hellinger: 0.1,
  kl: 0.1,
  tvd: 0.1,
};

export interface DriftTestChoice {
  test: DriftTest;
  /** Distance threshold, or effect-size threshold for p-value tests. */
  threshold?: number;
}

export interface DriftOptions {
  /** Reference data (any table fairwatch reads) — or give `profile`. */
  reference?: unknown;
  /** A saved reference profile (from `profile()` / `fairwatch profile`). */
  profile?: Profile;
  /** Current data. */
  current: unknown;
  /** Columns to compare (default: every column of the profile / reference, except `by`). */
  columns?: string[];
  /** Column kinds, overriding inference. */
  types?: Record<string, ColumnKind>;
  /** Test per column: an id, or `{ test, threshold }`. */
  tests?: Record<string, DriftTest | DriftTestChoice>;
  /** Significance level of p-value tests (default 0.05). */
  alpha?: number;
  /** Multiple-testing correction across columns' p-values (default 'none'). */
  correction?: 'none' | 'bonferroni' | 'benjamini-hochberg';
  /** Share of drifted columns that makes dataset drift (default 0.5). */
  driftShare?: number;
  /** Minimum non-null rows on each side (default 30); fewer gives `insufficient`. */
  minRows?: number;
  /** Reference quantile bins of numeric columns (default 10). */
  bins?: number;
  /** Logarithm base of the Jensen–Shannon distance (default 2, range 0..1). */
  jsBase?: number;
  /** Also compare within each group of this column (a sensitive attribute). */
  by?: string;
  /** Seed of the reference sample when the reference exceeds the sample capacity. */
  seed?: number;
}

/** One column's comparison. Statistics that do not apply are `null`. */
export interface ColumnDrift {
  column: string;
  type: ColumnKind;
  test: DriftTest | null;
  /** The threshold actually applied (distance, or effect size for p-value tests). */
  threshold: number | null;
  alpha: number | null;
  /** alpha after the correction (Bonferroni: alpha/m; Benjamini–Hochberg: the step-up cut-off). */
  alphaApplied: number | null;
  drifted: boolean | null;
  status: 'ok' | 'insufficient';
  reason: string;
  referenceRows: number;
  currentRows: number;
  psi: number | null;
  jensenShannon: number | null;
  ksStatistic: number | null;
  ksPValue: number | null;
  ksMethod: string | null;
  wasserstein: number | null;
  wassersteinNormed: number | null;
  chiSquare: number | null;
  chiSquareDof: number | null;
  chiSquarePValue: number | null;
  cramersV: number | null;
  zTest: number | null;
  zTestPValue: number | null;
  cohensH: number | null;
  hellinger: number | null;
  kl: number | null;
  tvd: number | null;
  missingShareReference: number;
  missingShareCurrent: number;
  unseenShare: number | null;
  /** Whether the reference was a sample (its ECDF error bound) rather than every value. */
  referenceSample: { exact: boolean; size: number; epsilon: number | null };
  /** For charts: reference and current counts on the same bins or categories. */
  histogram: { bins: string[]; reference: number[]; current: number[] };
  jsBase: number;
  /**
   * Only when the current side came as bin counts from an engine (`driftReportFromCounts`):
   * guaranteed bounds on the values the current's exact values would give (see
   * `binnedComparison`); the reported statistics are the estimates.
   */
  approximation?: ColumnApproximation;
}

/** Bounds of the statistics of a column compared from bin counts. */
export interface ColumnApproximation {
  method: string;
  /** Bins of the current side. */
  bins: number;
  ksStatistic: { lower: number; upper: number } | null;
  ksPValue: { lower: number; upper: number } | null;
  wasserstein: { lower: number; upper: number } | null;
  wassersteinNormed: { lower: number; upper: number } | null;
  /** Current values outside the reference's values that could not be told apart (few-valued columns). */
  lumpedCategories: string[];
}

export interface DriftReportJSON {
  kind: 'fairwatch.drift';
  version: 1;
  referenceRows: number;
  currentRows: number;
  columns: ColumnDrift[];
  driftShare: number | null;
  driftShareThreshold: number;
  datasetDrift: boolean;
  evaluatedColumns: number;
  driftedColumns: string[];
  correction: 'none' | 'bonferroni' | 'benjamini-hochberg';
  alpha: number;
  by?: { column: string; groups: { group: string; report: Omit<DriftReportJSON, 'by'> }[] };
}

const n = (v: number | undefined | null): number | null => (v === undefined || v === null || !Number.isFinite(v) ? null : v);

/**
 * The result of {@link driftReport}.
 * @example `driftReport({ reference, current }).driftShare // 0.25`
 */
export class DriftReport {
  constructor(readonly json: DriftReportJSON) {}
  get columns(): ColumnDrift[] {
    return this.json.columns;
  }
  get datasetDrift(): boolean {
    return this.json.datasetDrift;
  }
  get driftShare(): number | null {
    return this.json.driftShare;
  }
  /** The report document. @example `JSON.stringify(driftReport(...))` */
  toJSON(): DriftReportJSON {
    return this.json;
  }
  /** A readable table. @example `console.log(String(r))` */
  toString(): string {
    return formatDriftText(this.json);
  }
  /** Markdown tables. @example `r.toMarkdown()` */
  toMarkdown(): string {
    return formatDriftMarkdown(this.json);
  }
  /** vega-lite: reference vs current histogram of one column. @example `r.histogramChart('income')` */
  histogramChart(column: string): object {
    return driftHistogramSpec(this.json, column);
  }
  /** vega-lite: the deciding statistic per column against its threshold. @example `r.scoreChart()` */
  scoreChart(): object {
    return driftScoreSpec(this.json);
  }
  /** Notebook display: the table as text and HTML-escaped `<pre>`, and the score chart. */
  [Symbol.for('Jupyter.display')](): Record<string, unknown> {
    const text = this.toString();
    return {
      'text/plain': text,
      'text/html': `<pre>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>`,
      'application/vnd.vegalite.v6+json': this.scoreChart(),
    };
  }
}

/**
 * Compare current data with a reference (data or saved profile). See the module doc.
 *
 * @example
 * ```ts
 * driftReport({ profile: saved, current: rows, by: 'sex' }).json.by?.groups.length; // 2
 * ```
 */
export function driftReport(options: DriftOptions): DriftReport {
  const fn = 'driftReport';
  const { alpha, share, minRows, jsBase, correction } = checkedSettings(options, fn);
  if ((options.reference === undefined) === (options.profile === undefined)) {
    throw new InputError(messages.badOption(fn, 'reference', options.reference === undefined ? undefined : 'both', 'exactly one of reference or profile'), 'badOption');
  }
  const current = toColumnTable(options.current, fn);
  if (current.numRows === 0) throw new InputError(messages.emptyInput(fn, 'current'), 'emptyInput');
  const refTable = options.reference !== undefined ? toColumnTable(options.reference, fn) : undefined;
  if (refTable && refTable.numRows === 0) throw new InputError(messages.emptyInput(fn, 'reference'), 'emptyInput');
  const names =
    options.columns ??
    (options.profile ? options.profile.columns.map((c) => c.column) : [...refTable!.columnNames]).filter((c) => c !== options.by);
  if (names.length === 0) throw new InputError(messages.emptyInput(fn, 'columns'), 'emptyInput');
  for (const c of names) current.column(c); // missing column -> typed error naming it

  const bins = options.bins ?? options.profile?.createdWith.bins ?? 10;
  const refProfile =
    options.profile ?? buildProfile(refTable!, { columns: names, bins, seed: options.seed ?? 0, ...(options.types ? { types: options.types } : {}) });
  const settings = { alpha, share, minRows, jsBase, correction, bins, tests: options.tests ?? {}, types: options.types };
  const main = compare(refProfile, current, names, settings, fn);
  const json: DriftReportJSON = main;
  if (options.by !== undefined) {
    if (!refTable) {
      throw new InputError(messages.badOption(fn, 'by', options.by, 'reference data (a saved profile has no per-group split)'), 'badOption');
    }
    json.by = { column: options.by, groups: byGroup(refTable, current, options.by, names, settings, fn) };
  }
  return new DriftReport(json);
}

/** The decision options with their defaults, checked (typed `InputError` naming the option). */
function checkedSettings(options: Pick<DriftOptions, 'alpha' | 'driftShare' | 'minRows' | 'jsBase' | 'correction'>, fn: string) {
  const alpha = options.alpha ?? 0.05;
  const share = options.driftShare ?? 0.5;
  const minRows = options.minRows ?? 30;
  const jsBase = options.jsBase ?? 2;
  const correction = options.correction ?? 'none';
  if (!(alpha > 0 && alpha < 1)) throw new InputError(messages.badOption(fn, 'alpha', alpha, 'a number in (0, 1)'), 'badOption');
  if (!(share > 0 && share <= 1)) throw new InputError(messages.badOption(fn, 'driftShare', share, 'a number in (0, 1]'), 'badOption');
  if (!(Number.isInteger(minRows) && minRows >= 1)) throw new InputError(messages.badOption(fn, 'minRows', minRows, 'a positive integer'), 'badOption');
  if (!(jsBase > 1)) throw new InputError(messages.badOption(fn, 'jsBase', jsBase, 'a number > 1'), 'badOption');
  if (!['none', 'bonferroni', 'benjamini-hochberg'].includes(correction)) {
    throw new InputError(messages.badOption(fn, 'correction', correction, "'none', 'bonferroni' or 'benjamini-hochberg'"), 'badOption');
  }
  return { alpha, share, minRows, jsBase, correction };
}

interface Settings {
  alpha: number;
  share: number;
  minRows: number;
  jsBase: number;
  correction: 'none' | 'bonferroni' | 'benjamini-hochberg';
  bins: number;
  tests: Record<string, DriftTest | DriftTestChoice>;
  types: Record<string, ColumnKind> | undefined;
}

function compare(refProfile: Profile, current: ColumnTable, names: string[], s: Settings, fn: string): Omit<DriftReportJSON, 'by'> {
  const curProfile = buildProfile(current, {
    columns: names,
    bins: s.bins,
    sampleCapacity: Math.max(current.numRows, 1),
    withPriorities: false,
    types: Object.fromEntries(names.map((c) => [c, refKind(refProfile, c, fn)])),
  });
  const columns = names.map((c) => compareColumn(refColumn(refProfile, c, fn), curColumnOf(curProfile, c), s));
  return decidedReport(columns, refProfile.rows, current.numRows, s);
}

/** Apply the decisions to the compared columns and assemble the report. */
function decidedReport(columns: ColumnDrift[], referenceRows: number, currentRows: number, s: Settings): Omit<DriftReportJSON, 'by'> {
  applyDecisions(columns, s);
  const evaluated = columns.filter((c) => c.status === 'ok');
  const drifted = evaluated.filter((c) => c.drifted);
  const driftShare = evaluated.length ? drifted.length / evaluated.length : null;
  return {
    kind: 'fairwatch.drift',
    version: 1,
    referenceRows,
    currentRows,
    columns,
    driftShare,
    driftShareThreshold: s.share,
    datasetDrift: driftShare !== null && driftShare >= s.share,
    evaluatedColumns: evaluated.length,
    driftedColumns: drifted.map((c) => c.column),
    correction: s.correction,
    alpha: s.alpha,
  };
}

function refColumn(p: Profile, column: string, fn: string): ColumnProfile {
  const c = p.columns.find((x) => x.column === column);
  if (!c) throw new InputError(messages.missingColumn(fn, column, p.columns.map((x) => x.column)) + ' (in the reference profile)', 'missingColumn', { column });
  return c;
}
const refKind = (p: Profile, column: string, fn: string): ColumnKind => refColumn(p, column, fn).kind;
const curColumnOf = (p: Profile, column: string): ColumnProfile => p.columns.find((x) => x.column === column)!;

function emptyColumn(ref: ColumnProfile, cur: Pick<ColumnProfile, 'rows' | 'nulls'>, jsBase: number): ColumnDrift {
  const sample = ref.kind === 'numeric' ? ref.sample : undefined;
  return {
    column: ref.column,
    type: ref.kind,
    test: null,
    threshold: null,
    alpha: null,
    alphaApplied: null,
    drifted: null,
    status: 'ok',
    reason: '',
    referenceRows: ref.rows,
    currentRows: cur.rows,
    psi: null,
    jensenShannon: null,
    ksStatistic: null,
    ksPValue: null,
    ksMethod: null,
    wasserstein: null,
    wassersteinNormed: null,
    chiSquare: null,
    chiSquareDof: null,
    chiSquarePValue: null,
    cramersV: null,
    zTest: null,
    zTestPValue: null,
    cohensH: null,
    hellinger: null,
    kl: null,
    tvd: null,
    missingShareReference: ref.rows ? ref.nulls / ref.rows : 0,
    missingShareCurrent: cur.rows ? cur.nulls / cur.rows : 0,
    unseenShare: null,
    referenceSample: sample
      ? { exact: sample.exact, size: sample.values.length, epsilon: n(sample.epsilon) }
      : { exact: true, size: ref.count, epsilon: null },
    histogram: { bins: [], reference: [], current: [] },
    jsBase,
  };
}

function distances(out: ColumnDrift, refCounts: ArrayLike<number>, curCounts: ArrayLike<number>, jsBase: number): void {
  const r = Array.from(refCounts);
  const c = Array.from(curCounts);
  out.psi = n(psi(r, c));
  out.jensenShannon = n(jensenShannon(r, c, { base: jsBase }));
  out.hellinger = n(hellinger(r, c));
  out.kl = n(kl(r, c));
  out.tvd = n(tvd(r, c));
}

function distinctNumeric(sorted: Float64Array, limit: number): number {
  let k = 0;
  for (let i = 0; i < sorted.length && k <= limit; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) k++;
  return k;
}

/** A column's result before its statistics: the test asked for, and `insufficient` for too few values. */
function startColumn(ref: ColumnProfile, cur: Pick<ColumnProfile, 'rows' | 'nulls' | 'count'>, s: Settings): { out: ColumnDrift; asked: DriftTestChoice | undefined } {
  const out = emptyColumn(ref, cur, s.jsBase);
  const choice = s.tests[ref.column];
  const asked: DriftTestChoice | undefined = choice === undefined ? undefined : typeof choice === 'string' ? { test: choice } : choice;
  if (asked && !DRIFT_TESTS.includes(asked.test)) {
    throw new InputError(messages.badOption('driftReport', `tests.${ref.column}`, asked.test, DRIFT_TESTS.join(', ')), 'badOption');
  }
  if (ref.count < s.minRows || cur.count < s.minRows) {
    out.status = 'insufficient';
    out.reason =
      ref.count === 0 || cur.count === 0
        ? `the ${ref.count === 0 ? 'reference' : 'current'} column has no non-missing values`
        : `fewer than ${s.minRows} non-missing values (reference ${ref.count}, current ${cur.count})`;
  }
  return { out, asked };
}

function compareColumn(ref: ColumnProfile, cur: ColumnProfile, s: Settings): ColumnDrift {
  const { out, asked } = startColumn(ref, cur, s);
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    numericStats(out, ref, cur);
    if (out.status === 'ok' && ref.min === ref.max) {
      out.status = 'insufficient';
      out.reason = `the reference column is constant (${ref.min}): no spread to compare against`;
    }
    const test: DriftTest = asked?.test ?? numericDefaultTest(ref);
    if (test === 'chiSquare' || test === 'zTest') categoricalFromNumeric(out, ref, cur);
    decide(out, test, asked?.threshold, s);
  } else {
    const refC = ref as CategoricalProfile;
    const curC = cur as CategoricalProfile;
    categoricalStats(out, refC, curC);
    if (out.status === 'ok' && refC.categories.length + (refC.other > 0 ? 1 : 0) <= 1) {
      out.status = 'insufficient';
      out.reason = 'the reference column is constant: a single category';
    }
    const k = new Set([...refC.categories.map((c) => c[0]), ...curC.categories.map((c) => c[0])]).size;
    const test: DriftTest = asked?.test ?? (ref.count <= 1000 ? (k > 2 ? 'chiSquare' : 'zTest') : 'jensenShannon');
    decide(out, test, asked?.threshold, s);
  }
  return out;
}

/** Evidently's default test of a numeric column: by its distinct values (> 5) and reference size. */
function numericDefaultTest(ref: NumericProfile): DriftTest {
  const nValues = distinctNumeric(ref.sample.values, 5);
  return nValues > 5 ? (ref.count <= 1000 ? 'ks' : 'wassersteinNormed') : ref.count <= 1000 ? (nValues > 2 ? 'chiSquare' : 'zTest') : 'jensenShannon';
}

function numericStats(out: ColumnDrift, ref: NumericProfile, cur: NumericProfile): void {
  const edges = ref.edges;
  const refCounts = ref.binCounts;
  const curCounts = binCounts(cur.sample.values, edges);
  distances(out, refCounts, curCounts, out.jsBase);
  out.histogram = {
    bins: binLabels(edges),
    reference: Array.from(refCounts),
    current: Array.from(curCounts),
  };
  if (ref.count > 0 && cur.count > 0) {
    const ks = ksTwoSample(ref.sample.values, cur.sample.values);
    out.ksStatistic = n(ks.statistic);
    out.ksPValue = n(ks.pValue);
    out.ksMethod = ref.sample.exact ? ks.method : `${ks.method} on a reference sample of ${ref.sample.values.length}`;
    const w = wasserstein1(ref.sample.values, cur.sample.values);
    out.wasserstein = n(w);
    const sd = Math.sqrt(ref.m2 / ref.count); // population standard deviation, as Evidently (np.std)
    out.wassersteinNormed = sd > 0 ? n(w / sd) : null;
  }
}

function binLabels(edges: ArrayLike<number>): string[] {
  const e = Array.from(edges);
  if (e.length === 0) return ['all'];
  const f = (x: number) => String(Number(x.toPrecision(4)));
  return [`≤ ${f(e[0]!)}`, ...e.slice(1).map((x, i) => `(${f(e[i]!)}, ${f(x)}]`), `> ${f(e[e.length - 1]!)}`];
}

function aligned(refC: CategoricalProfile, curC: CategoricalProfile): { labels: string[]; ref: number[]; cur: number[]; unseen: number } {
  const refMap = new Map(refC.categories);
  const curMap = new Map(curC.categories);
  const labels = [...new Set([...refMap.keys(), ...curMap.keys()])].sort();
  const ref = labels.map((l) => refMap.get(l) ?? 0);
  const cur = labels.map((l) => curMap.get(l) ?? 0);
  let unseen = 0;
  for (const [l, c] of curMap) if (!refMap.has(l)) unseen += c;
  if (refC.other > 0 || curC.other > 0) {
    labels.push('(other)');
    ref.push(refC.other);
    cur.push(curC.other);
  }
  return { labels, ref, cur, unseen };
}

function categoricalStats(out: ColumnDrift, refC: CategoricalProfile, curC: CategoricalProfile): void {
  const a = aligned(refC, curC);
  distances(out, a.ref, a.cur, out.jsBase);
  out.unseenShare = curC.count ? a.unseen / curC.count : null;
  out.histogram = { bins: a.labels, reference: a.ref, current: a.cur };
  tests(out, a.ref, a.cur);
}

/** Chi-square and z-test for a numeric column with few distinct values, on its exact values. */
function categoricalFromNumeric(out: ColumnDrift, ref: NumericProfile, cur: NumericProfile): void {
  const count = (v: Float64Array) => {
    const m = new Map<number, number>();
    for (const x of v) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const r = count(ref.sample.values);
  const c = count(cur.sample.values);
  const keys = [...new Set([...r.keys(), ...c.keys()])].sort((x, y) => x - y);
  const rc = keys.map((k) => r.get(k) ?? 0);
  const cc = keys.map((k) => c.get(k) ?? 0);
  let unseen = 0;
  for (const [k, v] of c) if (!r.has(k)) unseen += v;
  out.unseenShare = cur.count ? unseen / cur.count : null;
  distances(out, rc, cc, out.jsBase);
  out.histogram = { bins: keys.map(String), reference: rc, current: cc };
  tests(out, rc, cc);
}

function tests(out: ColumnDrift, ref: number[], cur: number[]): void {
  const kept = ref.map((r, i) => [r, cur[i]!] as const).filter(([r, c]) => r + c > 0);
  if (kept.length >= 2) {
    const chi = chiSquareHomogeneity(kept.map((x) => x[0]), kept.map((x) => x[1]));
    out.chiSquare = n(chi.statistic);
    out.chiSquareDof = chi.dof;
    out.chiSquarePValue = n(chi.pValue);
    const N = kept.reduce((s, [r, c]) => s + r + c, 0);
    out.cramersV = n(Math.sqrt(chi.statistic / N)); // 2 × k table: min(r − 1, c − 1) = 1
  }
  if (kept.length === 2) {
    const nR = kept[0]![0] + kept[1]![0];
    const nC = kept[0]![1] + kept[1]![1];
    // proportion of the second (larger-sorted) value, e.g. 1 of {0, 1} or "true" of {false, true}
    const z = zTestTwoProportions(kept[1]![0], nR, kept[1]![1], nC);
    out.zTest = n(z.statistic);
    out.zTestPValue = n(z.pValue);
    const p1 = nR ? kept[1]![0] / nR : NaN;
    const p2 = nC ? kept[1]![1] / nC : NaN;
    out.cohensH = n(Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2))));
  }
}

const effectOf = (c: ColumnDrift, test: DriftTest): number | null =>
  test === 'ks' ? c.ksStatistic : test === 'chiSquare' ? c.cramersV : test === 'zTest' ? c.cohensH : (c[test] as number | null);
const pValueOf = (c: ColumnDrift, test: DriftTest): number | null =>
  test === 'ks' ? c.ksPValue : test === 'chiSquare' ? c.chiSquarePValue : test === 'zTest' ? c.zTestPValue : null;

function decide(out: ColumnDrift, test: DriftTest, threshold: number | undefined, s: Settings): void {
  out.test = test;
  out.threshold = threshold ?? DEFAULT_DRIFT_THRESHOLDS[test];
  if (P_VALUE_TESTS.includes(test)) out.alpha = s.alpha;
  if (out.status !== 'ok') return;
  if (effectOf(out, test) === null || (P_VALUE_TESTS.includes(test) && pValueOf(out, test) === null)) {
    out.status = 'insufficient';
    out.reason = `${test} does not apply to this column (type ${out.type})`;
  }
}

/** Set `drifted` and `reason` for every evaluated column, applying the multiple-testing correction. */
function applyDecisions(columns: ColumnDrift[], s: Settings): void {
  const tested = columns.filter((c) => c.status === 'ok' && c.test && P_VALUE_TESTS.includes(c.test));
  const m = tested.length;
  let cut = s.alpha;
  if (s.correction === 'bonferroni' && m > 0) cut = s.alpha / m;
  if (s.correction === 'benjamini-hochberg' && m > 0) {
    const ps = tested.map((c) => pValueOf(c, c.test!)!).sort((a, b) => a - b);
    cut = 0;
    for (let k = m; k >= 1; k--) {
      if (ps[k - 1]! <= (k / m) * s.alpha) {
        cut = ps[k - 1]!;
        break;
      }
    }
  }
  for (const c of columns) {
    if (c.status !== 'ok' || !c.test) continue;
    const effect = effectOf(c, c.test)!;
    const effectName = c.test === 'ks' ? 'KS statistic' : c.test === 'chiSquare' ? "Cramér's V" : c.test === 'zTest' ? "Cohen's h" : c.test;
    const big = effect >= c.threshold!;
    if (P_VALUE_TESTS.includes(c.test)) {
      c.alphaApplied = s.correction === 'none' ? s.alpha : cut;
      const p = pValueOf(c, c.test)!;
      const significant = s.correction === 'benjamini-hochberg' ? p <= cut : p < c.alphaApplied;
      c.drifted = big && significant;
      c.reason = `${effectName} ${fmt(effect)} ${big ? '≥' : '<'} ${c.threshold}; p = ${fmtP(p)} ${significant ? '<' : '≥'} ${fmtP(c.alphaApplied)}${s.correction !== 'none' ? ` (${s.correction})` : ''}`;
    } else {
      c.drifted = big;
      c.reason = `${effectName} ${fmt(effect)} ${big ? '≥' : '<'} ${c.threshold}`;
    }
  }
}

const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(3) : x.toExponential(2));
const fmtP = (x: number) => (x >= 1e-3 ? x.toFixed(3) : x.toExponential(2));

function byGroup(ref: ColumnTable, cur: ColumnTable, by: string, names: string[], s: Settings, fn: string) {
  const split = (t: ColumnTable) => {
    const key = t.column(by);
    const rowsOf = new Map<string, number[]>();
    for (let i = 0; i < t.numRows; i++) {
      const v = toGroupValue(key[i]);
      const k = v === undefined ? '(missing)' : String(v);
      let list = rowsOf.get(k);
      if (!list) rowsOf.set(k, (list = []));
      list.push(i);
    }
    return rowsOf;
  };
  const take = (t: ColumnTable, rows: number[]) => {
    const cols: Record<string, unknown[]> = {};
    for (const c of names) {
      const src = t.column(c);
      cols[c] = rows.map((i) => src[i]);
    }
    return toColumnTable(cols, fn);
  };
  const refRows = split(ref);
  const curRows = split(cur);
  const groups = [...new Set([...refRows.keys(), ...curRows.keys()])].sort();
  return groups.map((g) => {
    const r = refRows.get(g) ?? [];
    const c = curRows.get(g) ?? [];
    if (r.length === 0 || c.length === 0) {
      return { group: g, report: emptyReport(r.length, c.length, s, `the group is absent from the ${r.length === 0 ? 'reference' : 'current'} data`) };
    }
    const refTable = take(ref, r);
    const profile = buildProfile(refTable, { columns: names, bins: s.bins, ...(s.types ? { types: s.types } : {}) });
    return { group: g, report: compare(profile, take(cur, c), names, s, fn) };
  });
}

function emptyReport(refRows: number, curRows: number, s: Settings, _reason: string): Omit<DriftReportJSON, 'by'> {
  return {
    kind: 'fairwatch.drift',
    version: 1,
    referenceRows: refRows,
    currentRows: curRows,
    columns: [],
    driftShare: null,
    driftShareThreshold: s.share,
    datasetDrift: false,
    evaluatedColumns: 0,
    driftedColumns: [],
    correction: s.correction,
    alpha: s.alpha,
  };
}

// ---------------------------------------------------------------------------------------------
// Drift from bin counts (pushed down to an engine)

/**
 * Default number of reference-quantile bins the current side of a numeric column is counted in.
 * @example `driftPushdownColumns(saved, { bins: DEFAULT_PUSHDOWN_BINS })`
 */
export const DEFAULT_PUSHDOWN_BINS = 100;

/** The largest double below x. */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const u = new BigInt64Array(f.buffer);
  u[0] = u[0]! + (x > 0 ? -1n : 1n);
  return f[0]!;
}

/** A numeric reference column with at most 5 distinct values: counted by value, not by quantile bin. */
function distinctValues(ref: NumericProfile): number[] | null {
  const v = ref.sample.values;
  if (distinctNumeric(v, 5) > 5) return null;
  return [...new Set(v)];
}

/**
 * The columns to count with an engine (`driftCounts`) for a comparison against `profile`:
 * categorical and boolean columns by category; numeric columns on the union of the profile's PSI
 * edges, `bins` reference-quantile edges and the reference sample's min and max (so that KS and
 * Wasserstein can be bounded tightly, and exactly where the current leaves the reference's range),
 * or, for columns with at most 5 distinct reference values, on edges that isolate each value
 * (v and the double just below it).
 *
 * @example
 * ```ts
 * const specs = driftPushdownColumns(saved, { columns: ['income', 'sex'] });
 * const counts = await engine.driftCounts({ source: { kind: 'table', text: 'preds' }, columns: specs });
 * const report = driftReportFromCounts({ profile: saved, counts });
 * ```
 */
export function driftPushdownColumns(profile: Profile, options: { columns?: readonly string[]; bins?: number } = {}): DriftColumnSpec[] {
  const fn = 'driftPushdownColumns';
  const bins = options.bins ?? DEFAULT_PUSHDOWN_BINS;
  if (!(Number.isInteger(bins) && bins >= 1 && bins <= 10_000)) throw new InputError(messages.badOption(fn, 'bins', bins, 'an integer from 1 to 10000'), 'badOption');
  const names = options.columns ?? profile.columns.map((c) => c.column);
  return names.map((name): DriftColumnSpec => {
    const ref = refColumn(profile, name, fn);
    if (ref.kind !== 'numeric') return { column: name, kind: ref.kind };
    const values = distinctValues(ref);
    // quantile edges, and the sample's min and max so that the outer bins lie beyond the reference
    const v = ref.sample.values;
    const extra = values
      ? values.flatMap((x) => [nextDown(x), x])
      : v.length
        ? [v[0]!, ...sampleQuantiles(ref.sample, Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins)), v[v.length - 1]!]
        : [];
    const edges = [...new Set([...ref.edges, ...extra].filter((e) => Number.isFinite(e)).map((e) => e + 0))].sort((a, b) => a - b);
    return { column: name, kind: 'numeric', edges };
  });
}

/** Options of {@link driftReportFromCounts}: those of `driftReport` that apply to counts. */
export interface DriftFromCountsOptions extends Pick<DriftOptions, 'columns' | 'tests' | 'alpha' | 'correction' | 'driftShare' | 'minRows' | 'jsBase'> {
  /** The reference profile the counts were made against (`driftPushdownColumns`). */
  profile: Profile;
  /** The current side's counts, from an engine's `driftCounts`. */
  counts: readonly DriftCounts[];
}

/**
 * A drift report whose current side is bin and category counts from an engine (no rows in
 * JavaScript). Categorical and boolean columns, PSI, Jensen–Shannon, Hellinger, KL, TVD,
 * chi-square and the z-test are exactly what `driftReport` gives on the same data; for numeric
 * columns with more than 5 distinct values the KS statistic and the Wasserstein distance are
 * estimates from the bins, with guaranteed bounds in `approximation` (and the KS p-value is the
 * asymptotic one of the estimate, with the p-values of the bounds).
 *
 * @example
 * ```ts
 * const specs = driftPushdownColumns(saved);
 * const report = driftReportFromCounts({ profile: saved, counts: await engine.driftCounts({ source, columns: specs }) });
 * report.columns[0].approximation?.ksStatistic; // { lower: 0.031, upper: 0.037 }
 * ```
 */
export function driftReportFromCounts(options: DriftFromCountsOptions): DriftReport {
  const fn = 'driftReportFromCounts';
  const { alpha, share, minRows, jsBase, correction } = checkedSettings(options, fn);
  const p = options.profile;
  const names = options.columns ?? options.counts.map((c) => c.column);
  if (names.length === 0) throw new InputError(messages.emptyInput(fn, 'columns'), 'emptyInput');
  const s: Settings = { alpha, share, minRows, jsBase, correction, bins: p.createdWith.bins, tests: options.tests ?? {}, types: undefined };
  const columns = names.map((name) => {
    const ref = refColumn(p, name, fn);
    const cur = options.counts.find((c) => c.column === name);
    if (!cur) throw new InputError(messages.missingColumn(fn, name, options.counts.map((c) => c.column)) + ' (in the counts)', 'missingColumn', { column: name });
    if ((ref.kind === 'numeric') !== (cur.kind === 'numeric')) {
      throw new InputError(messages.badOption(fn, `counts.${name}.kind`, cur.kind, `'${ref.kind}' as in the reference profile`), 'badOption');
    }
    if (ref.kind !== 'numeric') {
      const c = cur as Extract<DriftCounts, { categories: unknown }>;
      const keep = c.categories.slice(0, ref.maxCategories);
      const other = c.categories.slice(ref.maxCategories).reduce((t, [, n]) => t + n, 0);
      const curProfile: CategoricalProfile = { kind: ref.kind, column: name, rows: c.rows, nulls: c.nulls, count: c.count, categories: keep, other, maxCategories: ref.maxCategories };
      return compareColumn(ref, curProfile, s);
    }
    return compareNumericCounts(ref, cur as NumericDriftCounts, s);
  });
  const rows = options.counts.reduce((m, c) => Math.max(m, c.rows), 0);
  return new DriftReport(decidedReport(columns, p.rows, rows, s));
}

function compareNumericCounts(ref: NumericProfile, cur: NumericDriftCounts, s: Settings): ColumnDrift {
  const { out, asked } = startColumn(ref, cur, s);
  for (const e of ref.edges) {
    if (!cur.edges.includes(e)) {
      throw new InputError(messages.badOption('driftReportFromCounts', `counts.${ref.column}.edges`, cur.edges.length, 'edges that include the profile\'s PSI edges (driftPushdownColumns)'), 'badOption');
    }
  }
  // PSI bins: the fine bins summed into the profile's bins
  const psiCounts = new Array<number>(ref.edges.length + 1).fill(0);
  cur.binCounts.forEach((c, k) => {
    const upper = k < cur.edges.length ? cur.edges[k]! : Infinity;
    let j = 0;
    while (j < ref.edges.length && ref.edges[j]! < upper) j++;
    psiCounts[j] += c;
  });
  distances(out, ref.binCounts, psiCounts, s.jsBase);
  out.histogram = { bins: binLabels(ref.edges), reference: Array.from(ref.binCounts), current: psiCounts };
  const approx: ColumnApproximation = {
    method: `current counted in ${cur.binCounts.length} bins of the reference (with each bin's min and max); KS and Wasserstein bounded`,
    bins: cur.binCounts.length,
    ksStatistic: null,
    ksPValue: null,
    wasserstein: null,
    wassersteinNormed: null,
    lumpedCategories: [],
  };
  if (ref.count > 0 && cur.count > 0) {
    const b = binnedComparison(ref.sample.values, cur);
    const nRef = ref.sample.values.length;
    out.ksStatistic = n(b.ks.estimate);
    out.ksPValue = n(ksAsymptoticPValue(b.ks.estimate, nRef, cur.count));
    out.ksMethod = `asymp on the binned current (statistic in [${b.ks.lower.toPrecision(4)}, ${b.ks.upper.toPrecision(4)}])${ref.sample.exact ? '' : ` on a reference sample of ${nRef}`}`;
    approx.ksStatistic = { lower: b.ks.lower, upper: b.ks.upper };
    approx.ksPValue = { lower: ksAsymptoticPValue(b.ks.upper, nRef, cur.count), upper: ksAsymptoticPValue(b.ks.lower, nRef, cur.count) };
    out.wasserstein = n(b.wasserstein.estimate);
    approx.wasserstein = { lower: b.wasserstein.lower, upper: b.wasserstein.upper };
    const sd = Math.sqrt(ref.m2 / ref.count);
    if (sd > 0) {
      out.wassersteinNormed = n(b.wasserstein.estimate / sd);
      approx.wassersteinNormed = { lower: b.wasserstein.lower / sd, upper: b.wasserstein.upper / sd };
    }
  }
  if (out.status === 'ok' && ref.min === ref.max) {
    out.status = 'insufficient';
    out.reason = `the reference column is constant (${ref.min}): no spread to compare against`;
  }
  const test: DriftTest = asked?.test ?? numericDefaultTest(ref);
  if (test === 'chiSquare' || test === 'zTest') {
    // counts by value: the reference's exact values, the current's from bins holding one value
    const r = new Map<number, number>();
    for (const x of ref.sample.values) r.set(x, (r.get(x) ?? 0) + 1);
    const c = new Map<string, number>();
    cur.binCounts.forEach((count, k) => {
      if (count === 0) return;
      const lo = cur.binMin[k]!;
      const hi = cur.binMax[k]!;
      const label = lo === hi ? String(lo) : `[${lo}, ${hi}]`;
      if (lo !== hi) approx.lumpedCategories.push(label);
      c.set(label, (c.get(label) ?? 0) + count);
    });
    const refKeys = [...r.keys()].map(String);
    const keys = [...new Set([...refKeys, ...c.keys()])].sort((x, y) => sortKey(x) - sortKey(y));
    const rc = keys.map((k) => r.get(Number(k)) ?? 0);
    const cc = keys.map((k) => c.get(k) ?? 0);
    let unseen = 0;
    for (const [k, v] of c) if (!refKeys.includes(k)) unseen += v;
    out.unseenShare = cur.count ? unseen / cur.count : null;
    distances(out, rc, cc, out.jsBase);
    out.histogram = { bins: keys, reference: rc, current: cc };
    tests(out, rc, cc);
  }
  out.approximation = approx;
  decide(out, test, asked?.threshold, s);
  return out;
}

/** Order of value labels: numbers by value, a lumped range `[a, b]` by a. */
const sortKey = (label: string): number => Number(label.startsWith('[') ? label.slice(1, label.indexOf(',')) : label);
