/**
 * `GroupMetricsResult`: the finalized metrics of one attribute set (one sensitive column, or the
 * intersection of several), with disparities, intervals, calibration and provenance.
 *
 * It is computed purely from summaries (see {@link groupMetricsFromSummaries}), so the same result
 * comes from one in-memory pass, from merged chunks, or from a SQL engine.
 *
 * In memory an undefined value is `NaN` and its reason is kept; `toJSON()` writes `null` and the
 * reason. Results print as a table (`toString()`), as Markdown, and display themselves in
 * notebooks through `[Symbol.for('Jupyter.display')]()`.
 *
 * @example
 * ```ts
 * const r = groupMetrics({ yTrue, yPred, sensitive: sex });
 * r.value('selectionRate', 'female');           // 0.31
 * r.difference('selectionRate').value;          // 0.12
 * r.demographicParityRatio();                   // 0.72
 * console.log(String(r));                       // a readable table
 * ```
 */
import { InputError, messages } from '../errors.js';
import { groupKeyId, groupKeyLabel, type GroupKey, type GroupValue } from '../kernels/groups.js';
import { confusionToJSON, scoreBinsToJSON, type ConfusionSummary, type ScoreBinSummary } from '../kernels/summaries.js';
import type { BootstrapInterval } from '../intervals/bootstrap.js';
import { differenceOf, ratioOf, DISPARITY_METHODS, type DisparityMethod, type DisparityValue } from './disparity.js';
import { metricChartSpec } from './chart.js';
import { jupyterDisplay, type JupyterBundle } from './display.js';
import { formatResultHTML, formatResultMarkdown, formatResultText } from './format.js';
import { RATE_NAMES, type Compat, type RateName } from './rates.js';

/**
 * Metrics available per group when scores are given.
 *
 * @example
 * ```ts
 * SCORE_METRIC_NAMES; // ['auc', 'brier', 'ece', 'mce', 'calibrationInTheLarge']
 * ```
 */
export const SCORE_METRIC_NAMES = ['auc', 'brier', 'ece', 'mce', 'calibrationInTheLarge'] as const;
export type ScoreMetricName = (typeof SCORE_METRIC_NAMES)[number];
/** Every per-group metric name. */
export type MetricName = RateName | ScoreMetricName;

/** A group's or the overall value of one metric. `value` is NaN when undefined, with `reason`. */
export interface MetricValue {
  value: number;
  reason?: string;
  /** Wilson score interval for rates (when intervals were asked for). */
  interval?: { low: number; high: number; method: 'wilson'; confidence: number };
}

/** One group: its key, sizes, status and metric values. */
export interface GroupRow {
  key: GroupKey;
  /** Sensitive column -> the group's value (null = missing). */
  group: Record<string, GroupValue>;
  label: string;
  /** Raw rows in the group. */
  count: number;
  /** Sum of weights (= count without weights). */
  weight: number;
  /** `insufficient` when count < minGroupSize: values are shown but give no verdict. */
  status: 'ok' | 'insufficient';
  metrics: Partial<Record<MetricName, MetricValue>>;
}

/** A disparity with its provenance. `value` is NaN when undefined. */
export interface Disparity {
  metric: string;
  kind: 'difference' | 'ratio';
  method: DisparityMethod;
  value: number;
  reason?: string;
  /** Labels of the groups that attain the value (min and max, or the group and the reference). */
  groups: string[];
  /** `insufficient` when a group it rests on is below the minimum size. */
  status: 'ok' | 'insufficient' | 'undefined';
  interval?: BootstrapInterval;
  /** For equalized odds: the components it aggregates. */
  components?: Record<string, number>;
  agg?: 'worst_case' | 'mean';
}

export interface DisparityOptions {
  method?: DisparityMethod;
  /** Reference group for `to_reference`: a value, a key, or `{ column: value }`. Defaults to the result's reference. */
  reference?: GroupValue | readonly GroupValue[] | Readonly<Record<string, GroupValue>>;
}

/** Options the result was computed with (recorded in JSON for provenance). */
export interface ResultOptions {
  compat: Compat;
  minGroupSize: number;
  missing: 'group' | 'drop' | 'error';
  nBins: number;
  binStrategy: 'uniform' | 'quantile';
  positiveLabel: unknown;
  threshold?: number;
  columns: { yTrue: string; yPred: string; yScore?: string; weights?: string };
  ci: { confidence: number; resamples: number; seed: number } | null;
  aucMethod?: 'exact' | 'binned';
}

/** Calibration details per group (reliability curve and statistics). */
export interface CalibrationDetail {
  nBins: number;
  strategy: 'uniform' | 'quantile';
  groups: { label: string; curve: CurvePoint[] }[];
  overall: { curve: CurvePoint[] };
  gaps: Record<string, { value: number; groups: string[] }>;
  /**
   * Only when AUC came from the fine score bins (`aucMethod: 'binned'`, e.g. pushed down to an
   * engine): the largest possible |AUC_binned − AUC_exact| per group and overall
   * (`aucFromBinsBound`: half the tied positive/negative pairs within fine bins).
   */
  aucBound?: { groups: { label: string; bound: number | null }[]; overall: number | null };
}
export interface CurvePoint {
  lower: number;
  upper: number;
  count: number;
  weight: number;
  meanPredicted: number;
  fractionPositive: number;
}

/**
 * The named disparities: each is a (metric, kind) composition; they are generated, not hand-written.
 *
 * @example
 * ```ts
 * NAMED_DISPARITIES.equalOpportunityRatio;       // { metric: 'tpr', kind: 'ratio' }
 * NAMED_DISPARITIES.demographicParityDifference; // { metric: 'selectionRate', kind: 'difference' }
 * ```
 */
export const NAMED_DISPARITIES = {
  demographicParityDifference: { metric: 'selectionRate', kind: 'difference' },
  demographicParityRatio: { metric: 'selectionRate', kind: 'ratio' },
  equalizedOddsDifference: { metric: 'equalizedOdds', kind: 'difference' },
  equalizedOddsRatio: { metric: 'equalizedOdds', kind: 'ratio' },
  equalOpportunityDifference: { metric: 'tpr', kind: 'difference' },
  equalOpportunityRatio: { metric: 'tpr', kind: 'ratio' },
  predictiveParityDifference: { metric: 'precision', kind: 'difference' },
  predictiveParityRatio: { metric: 'precision', kind: 'ratio' },
  falseNegativeRateDifference: { metric: 'fnr', kind: 'difference' },
  falseNegativeRateRatio: { metric: 'fnr', kind: 'ratio' },
  accuracyDifference: { metric: 'accuracy', kind: 'difference' },
  accuracyRatio: { metric: 'accuracy', kind: 'ratio' },
} as const satisfies Record<string, { metric: string; kind: 'difference' | 'ratio' }>;
export type NamedDisparity = keyof typeof NAMED_DISPARITIES | 'disparateImpact';
/**
 * Names of all standard disparities, in report order.
 *
 * @example
 * ```ts
 * NAMED_DISPARITY_NAMES.length; // 13
 * NAMED_DISPARITY_NAMES[0];     // 'demographicParityDifference'
 * NAMED_DISPARITY_NAMES.at(-1); // 'disparateImpact'
 * ```
 */
export const NAMED_DISPARITY_NAMES = [...(Object.keys(NAMED_DISPARITIES) as (keyof typeof NAMED_DISPARITIES)[]), 'disparateImpact'] as const;

export interface ResultInit {
  columns: string[];
  rows: number;
  dropped: number;
  groups: GroupRow[];
  overall: { count: number; weight: number; metrics: Partial<Record<MetricName, MetricValue>> };
  options: ResultOptions;
  /** Index of the reference group, or -1. */
  reference: number;
  confusion: ConfusionSummary;
  scoreBins?: ScoreBinSummary;
  calibration?: CalibrationDetail;
  /** Bootstrap intervals of the named disparities (keyed by name), when asked for. */
  intervals?: Record<string, BootstrapInterval>;
  warnings: string[];
}

/**
 * The result of {@link groupMetrics}. See the module doc for an example.
 *
 * @example
 * ```ts
 * const r = groupMetrics({ yTrue: [1, 0, 1, 0], yPred: [1, 0, 0, 0], sensitive: ['a', 'a', 'b', 'b'], minGroupSize: 1 });
 * r instanceof GroupMetricsResult;  // true
 * r.value('selectionRate', 'a');    // 0.5
 * r.values('tpr');                  // Float64Array [1, 0]
 * r.demographicParityDifference();  // 0.5
 * ```
 */
export class GroupMetricsResult {
  readonly columns: string[];
  readonly rows: number;
  readonly dropped: number;
  readonly groups: GroupRow[];
  readonly overall: ResultInit['overall'];
  readonly options: ResultOptions;
  readonly reference: number;
  readonly confusion: ConfusionSummary;
  readonly scoreBins: ScoreBinSummary | undefined;
  readonly calibration: CalibrationDetail | undefined;
  readonly warnings: string[];
  private readonly intervals: Record<string, BootstrapInterval>;

  constructor(init: ResultInit) {
    this.columns = init.columns;
    this.rows = init.rows;
    this.dropped = init.dropped;
    this.groups = init.groups;
    this.overall = init.overall;
    this.options = init.options;
    this.reference = init.reference;
    this.confusion = init.confusion;
    this.scoreBins = init.scoreBins;
    this.calibration = init.calibration;
    this.warnings = init.warnings;
    this.intervals = init.intervals ?? {};
  }

  /** Metric names present in this result (rates, plus score metrics when scores were given). */
  get metricNames(): MetricName[] {
    return [...RATE_NAMES, ...(this.scoreBins ? SCORE_METRIC_NAMES : [])];
  }

  private checkMetric(fn: string, metric: string): MetricName {
    if (!(this.metricNames as string[]).includes(metric)) {
      throw new InputError(messages.unknownMetric(fn, metric, this.metricNames), 'unknownMetric', { metric });
    }
    return metric as MetricName;
  }

  /** Index of a group given as a value, key array or `{ column: value }` object. @example `r.groupIndex('female')` */
  groupIndex(group: GroupValue | readonly GroupValue[] | Readonly<Record<string, GroupValue>>, fn = 'groupIndex'): number {
    let key: GroupValue[];
    if (Array.isArray(group)) key = [...(group as GroupValue[])];
    else if (group !== null && typeof group === 'object') key = this.columns.map((c) => (group as Record<string, GroupValue>)[c] ?? null);
    else key = [group as GroupValue];
    const id = groupKeyId(key);
    let i = this.groups.findIndex((g) => groupKeyId(g.key) === id);
    // Accept string forms of numeric groups (e.g. "1" for 1) as the CLI passes strings.
    if (i < 0) i = this.groups.findIndex((g) => g.key.length === key.length && g.key.every((v, j) => String(v) === String(key[j])));
    if (i < 0) {
      throw new InputError(
        messages.unknownGroup(fn, 'group', group, this.groups.map((g) => g.label)),
        'unknownGroup',
        { group },
      );
    }
    return i;
  }

  /** Per-group values of a metric (NaN where undefined). @example `r.values('tpr') // Float64Array` */
  values(metric: MetricName): Float64Array {
    this.checkMetric('values', metric);
    return Float64Array.from(this.groups, (g) => g.metrics[metric]?.value ?? NaN);
  }

  /** One group's value (NaN if undefined). @example `r.value('tpr', 'female')` */
  value(metric: MetricName, group: GroupValue | readonly GroupValue[] | Readonly<Record<string, GroupValue>>): number {
    this.checkMetric('value', metric);
    return this.groups[this.groupIndex(group, 'value')]!.metrics[metric]?.value ?? NaN;
  }

  /** The overall value (all groups pooled). @example `r.overallValue('selectionRate')` */
  overallValue(metric: MetricName): number {
    this.checkMetric('overallValue', metric);
    return this.overall.metrics[metric]?.value ?? NaN;
  }

  private resolveReference(fn: string, options: DisparityOptions): number {
    if (options.reference !== undefined) return this.groupIndex(options.reference, fn);
    return this.reference;
  }

  private disparity(fn: string, metric: string, kind: 'difference' | 'ratio', options: DisparityOptions): Disparity {
    const method = options.method ?? 'between_groups';
    if (!DISPARITY_METHODS.includes(method)) {
      throw new InputError(messages.badOption(fn, 'method', method, DISPARITY_METHODS.join(', ')), 'badOption', { option: 'method' });
    }
    const m = this.checkMetric(fn, metric);
    let ref = -1;
    if (method === 'to_reference') {
      ref = this.resolveReference(fn, options);
      if (ref < 0) ref = this.defaultReference(m);
    }
    const values = this.values(m);
    const overall = this.overallValue(m);
    const dv: DisparityValue = kind === 'difference' ? differenceOf(values, overall, method, ref) : ratioOf(values, overall, method, ref);
    return this.describe(m, kind, method, dv);
  }

  /** Without an explicit reference, the group with the highest value serves as reference. */
  private defaultReference(metric: MetricName): number {
    const v = this.values(metric);
    let best = -1;
    for (let g = 0; g < v.length; g++) if (!Number.isNaN(v[g]!) && (best < 0 || v[g]! > v[best]!)) best = g;
    return best;
  }

  private describe(metric: string, kind: 'difference' | 'ratio', method: DisparityMethod, dv: DisparityValue): Disparity {
    const labels = dv.groups.filter((g) => g >= 0).map((g) => this.groups[g]!.label);
    const small = dv.groups.some((g) => g >= 0 && this.groups[g]!.status === 'insufficient');
    const d: Disparity = {
      metric,
      kind,
      method,
      value: dv.value,
      groups: labels,
      status: Number.isNaN(dv.value) ? 'undefined' : small ? 'insufficient' : 'ok',
    };
    if (Number.isNaN(dv.value)) {
      d.reason =
        dv.groups.length === 0
          ? `${metric} is undefined in every group`
          : `${metric} is undefined for the reference group or the comparison divides by zero`;
    } else if (small) {
      d.reason = `rests on a group with fewer than ${this.options.minGroupSize} rows`;
    }
    return d;
  }

  /**
   * Difference of a metric across groups (`between_groups` max − min by default).
   * @example `r.difference('tpr', { method: 'to_overall' }).value`
   */
  difference(metric: MetricName, options: DisparityOptions = {}): Disparity {
    return this.disparity('difference', metric, 'difference', options);
  }

  /**
   * Ratio of a metric across groups (`between_groups` min / max by default).
   * @example `r.ratio('selectionRate').value`
   */
  ratio(metric: MetricName, options: DisparityOptions = {}): Disparity {
    return this.disparity('ratio', metric, 'ratio', options);
  }

  /** Smallest group value and its group. @example `r.groupMin('tpr') // { value: 0.61, group: 'B' }` */
  groupMin(metric: MetricName): { value: number; group: string | null } {
    return this.extreme(metric, -1);
  }

  /** Largest group value and its group. @example `r.groupMax('tpr') // { value: 0.83, group: 'A' }` */
  groupMax(metric: MetricName): { value: number; group: string | null } {
    return this.extreme(metric, 1);
  }

  private extreme(metric: MetricName, sign: 1 | -1): { value: number; group: string | null } {
    const v = this.values(metric);
    let best = -1;
    for (let g = 0; g < v.length; g++) if (!Number.isNaN(v[g]!) && (best < 0 || sign * (v[g]! - v[best]!) > 0)) best = g;
    return best < 0 ? { value: NaN, group: null } : { value: v[best]!, group: this.groups[best]!.label };
  }

  /**
   * Equalized odds: the worse (`worst_case`, default) or the mean of the TPR and FPR disparities.
   * @example `r.equalizedOdds('difference').value`
   */
  equalizedOdds(kind: 'difference' | 'ratio', options: DisparityOptions & { agg?: 'worst_case' | 'mean' } = {}): Disparity {
    const agg = options.agg ?? 'worst_case';
    if (agg !== 'worst_case' && agg !== 'mean') {
      throw new InputError(messages.badOption('equalizedOdds', 'agg', agg, "'worst_case' or 'mean'"), 'badOption', { option: 'agg' });
    }
    const a = kind === 'difference' ? this.difference('tpr', options) : this.ratio('tpr', options);
    const b = kind === 'difference' ? this.difference('fpr', options) : this.ratio('fpr', options);
    let value: number;
    let pick: Disparity;
    if (agg === 'mean') {
      value = (a.value + b.value) / 2;
      pick = a.status === 'insufficient' ? a : b;
    } else {
      const worstA = kind === 'difference' ? a.value >= b.value : a.value <= b.value;
      pick = worstA ? a : b;
      value = Number.isNaN(a.value) || Number.isNaN(b.value) ? NaN : pick.value;
    }
    const status: Disparity['status'] = Number.isNaN(value)
      ? 'undefined'
      : a.status === 'insufficient' || b.status === 'insufficient'
        ? 'insufficient'
        : 'ok';
    const d: Disparity = {
      metric: 'equalizedOdds',
      kind,
      method: a.method,
      value,
      groups: agg === 'mean' ? [...new Set([...a.groups, ...b.groups])] : pick.groups,
      status,
      components: { tpr: a.value, fpr: b.value },
      agg,
    };
    if (status === 'undefined') d.reason = 'the TPR or FPR disparity is undefined (a class is absent from every group)';
    else if (status === 'insufficient') d.reason = `rests on a group with fewer than ${this.options.minGroupSize} rows`;
    return d;
  }

  /** A named disparity by name, with its bootstrap interval when intervals were computed. @example `r.named('equalOpportunityRatio')` */
  named(name: NamedDisparity, options: DisparityOptions & { agg?: 'worst_case' | 'mean' } = {}): Disparity {
    let d: Disparity;
    if (name === 'disparateImpact') {
      d = this.ratio('selectionRate', { ...options, method: 'to_reference' });
    } else {
      const spec = NAMED_DISPARITIES[name];
      if (!spec) {
        throw new InputError(messages.unknownMetric('named', name, NAMED_DISPARITY_NAMES as unknown as string[]), 'unknownMetric');
      }
      d =
        spec.metric === 'equalizedOdds'
          ? this.equalizedOdds(spec.kind, options)
          : spec.kind === 'difference'
            ? this.difference(spec.metric, options)
            : this.ratio(spec.metric, options);
    }
    const defaults = options.method === undefined && options.reference === undefined && options.agg === undefined;
    const interval = this.intervals[name];
    if (interval && defaults) d.interval = interval;
    return d;
  }

  /** All standard disparities with default options. @example `r.disparities().demographicParityDifference.value` */
  disparities(): Record<NamedDisparity, Disparity> {
    const out = {} as Record<NamedDisparity, Disparity>;
    for (const name of NAMED_DISPARITY_NAMES) out[name] = this.named(name);
    return out;
  }

  /** Demographic parity difference (selection-rate difference). @example `r.demographicParityDifference()` */
  demographicParityDifference(options: DisparityOptions = {}): number {
    return this.named('demographicParityDifference', options).value;
  }
  /** Demographic parity ratio (selection-rate ratio). @example `r.demographicParityRatio()` */
  demographicParityRatio(options: DisparityOptions = {}): number {
    return this.named('demographicParityRatio', options).value;
  }
  /** Equalized odds difference. @example `r.equalizedOddsDifference({ agg: 'mean' })` */
  equalizedOddsDifference(options: DisparityOptions & { agg?: 'worst_case' | 'mean' } = {}): number {
    return this.named('equalizedOddsDifference', options).value;
  }
  /** Equalized odds ratio. @example `r.equalizedOddsRatio()` */
  equalizedOddsRatio(options: DisparityOptions & { agg?: 'worst_case' | 'mean' } = {}): number {
    return this.named('equalizedOddsRatio', options).value;
  }
  /** Equal opportunity difference (TPR difference). @example `r.equalOpportunityDifference()` */
  equalOpportunityDifference(options: DisparityOptions = {}): number {
    return this.named('equalOpportunityDifference', options).value;
  }
  /** Equal opportunity ratio (TPR ratio). @example `r.equalOpportunityRatio()` */
  equalOpportunityRatio(options: DisparityOptions = {}): number {
    return this.named('equalOpportunityRatio', options).value;
  }
  /** Disparate impact: selection-rate ratio of each group to the reference, the smallest. @example `r.disparateImpact({ reference: 'male' })` */
  disparateImpact(options: Pick<DisparityOptions, 'reference'> = {}): number {
    return this.named('disparateImpact', options).value;
  }
  /** Predictive parity difference (PPV difference). @example `r.predictiveParityDifference()` */
  predictiveParityDifference(options: DisparityOptions = {}): number {
    return this.named('predictiveParityDifference', options).value;
  }
  /** Predictive parity ratio (PPV ratio). @example `r.predictiveParityRatio()` */
  predictiveParityRatio(options: DisparityOptions = {}): number {
    return this.named('predictiveParityRatio', options).value;
  }
  /** FNR difference. @example `r.falseNegativeRateDifference()` */
  falseNegativeRateDifference(options: DisparityOptions = {}): number {
    return this.named('falseNegativeRateDifference', options).value;
  }
  /** FNR ratio. @example `r.falseNegativeRateRatio()` */
  falseNegativeRateRatio(options: DisparityOptions = {}): number {
    return this.named('falseNegativeRateRatio', options).value;
  }
  /** Accuracy difference. @example `r.accuracyDifference()` */
  accuracyDifference(options: DisparityOptions = {}): number {
    return this.named('accuracyDifference', options).value;
  }
  /** Accuracy ratio. @example `r.accuracyRatio()` */
  accuracyRatio(options: DisparityOptions = {}): number {
    return this.named('accuracyRatio', options).value;
  }

  /**
   * The mergeable summaries behind this result, as JSON (the score-bin summary can be large:
   * groups × fine bins × 6 numbers).
   * @example `confusionFromJSON(r.summaries().confusion)`
   */
  summaries(): { confusion: Record<string, unknown>; scoreBins?: Record<string, unknown> } {
    const out: { confusion: Record<string, unknown>; scoreBins?: Record<string, unknown> } = { confusion: confusionToJSON(this.confusion) };
    if (this.scoreBins) out.scoreBins = scoreBinsToJSON(this.scoreBins);
    return out;
  }

  /** Plain JSON (undefined values become `null` with their reason). @example `JSON.stringify(r)` */
  toJSON(): GroupMetricsJSON {
    return resultToJSON(this);
  }

  /** A readable fixed-width table. @example `console.log(String(r))` */
  toString(): string {
    return formatResultText(this.toJSON());
  }

  /** GitHub Markdown tables. @example `fs.writeFileSync('audit.md', r.toMarkdown())` */
  toMarkdown(): string {
    return formatResultMarkdown(this.toJSON());
  }

  /** An HTML table fragment (labels escaped). @example `document.body.innerHTML = r.toHTML()` */
  toHTML(): string {
    return formatResultHTML(this.toJSON());
  }

  /**
   * A vega-lite v6 spec of one metric by group, with intervals when computed.
   * @example `vegaEmbed('#chart', r.chart('tpr'))`
   */
  chart(metric: MetricName = 'selectionRate'): object {
    return metricChartSpec(this.toJSON(), metric);
  }

  /**
   * Notebook display (Deno's Jupyter kernel calls this): an HTML table, the selection-rate chart
   * as a vega-lite bundle, and the text table.
   * @example `r // as the last expression of a notebook cell`
   */
  [Symbol.for('Jupyter.display')](): JupyterBundle {
    return jupyterDisplay(this.toJSON());
  }
}

/** JSON form of a metric value map: flat `name: number | null`, reasons and intervals aside. */
export interface FlatMetrics {
  [metric: string]: unknown;
}

export interface GroupJSON extends FlatMetrics {
  group: Record<string, GroupValue>;
  label: string;
  count: number;
  weight: number;
  status: 'ok' | 'insufficient';
  undefinedReasons?: Record<string, string>;
  intervals?: Record<string, { low: number | null; high: number | null; method: string; confidence: number }>;
}

export interface DisparityJSON {
  metric: string;
  kind: 'difference' | 'ratio';
  method: DisparityMethod;
  value: number | null;
  reason?: string;
  groups: string[];
  status: Disparity['status'];
  interval?: { low: number | null; high: number | null; method: string; confidence: number; resamples: number; valid: number; seed: number };
  components?: Record<string, number | null>;
  agg?: 'worst_case' | 'mean';
}

export interface GroupMetricsJSON {
  kind: 'fairwatch.groupMetrics';
  version: 1;
  attributes: string[];
  rows: number;
  dropped: number;
  options: ResultOptions;
  reference: string | null;
  overall: Pick<GroupJSON, 'count' | 'weight' | 'undefinedReasons' | 'intervals'> & FlatMetrics;
  groups: GroupJSON[];
  disparities: { attributes: string[] } & Record<NamedDisparity, number | null>;
  disparityDetails: Record<NamedDisparity, DisparityJSON>;
  calibration?: CalibrationDetail;
  /** The confusion summary (small); the score-bin summary is large and comes from `result.summaries()`. */
  summaries: { confusion: Record<string, unknown> };
  warnings: string[];
}

/**
 * NaN/±Infinity -> null (JSON has no NaN).
 *
 * @example
 * ```ts
 * num(0.5);      // 0.5
 * num(NaN);      // null
 * num(Infinity); // null
 * ```
 */
export const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

function metricsToJSON(metrics: Partial<Record<MetricName, MetricValue>>, target: FlatMetrics): void {
  const reasons: Record<string, string> = {};
  const intervals: Record<string, { low: number | null; high: number | null; method: string; confidence: number }> = {};
  for (const [name, mv] of Object.entries(metrics) as [MetricName, MetricValue][]) {
    target[name] = num(mv.value);
    if (mv.reason) reasons[name] = mv.reason;
    if (mv.interval) intervals[name] = { low: num(mv.interval.low), high: num(mv.interval.high), method: mv.interval.method, confidence: mv.interval.confidence };
  }
  if (Object.keys(reasons).length) target.undefinedReasons = reasons;
  if (Object.keys(intervals).length) target.intervals = intervals;
}

function disparityToJSON(d: Disparity): DisparityJSON {
  const out: DisparityJSON = { metric: d.metric, kind: d.kind, method: d.method, value: num(d.value), groups: d.groups, status: d.status };
  if (d.reason) out.reason = d.reason;
  if (d.agg) out.agg = d.agg;
  if (d.components) out.components = Object.fromEntries(Object.entries(d.components).map(([k, v]) => [k, num(v)]));
  if (d.interval) out.interval = { ...d.interval, low: num(d.interval.low), high: num(d.interval.high) };
  return out;
}

function resultToJSON(r: GroupMetricsResult): GroupMetricsJSON {
  const groups: GroupJSON[] = r.groups.map((g) => {
    const row: GroupJSON = { group: g.group, label: g.label, count: g.count, weight: g.weight, status: g.status };
    metricsToJSON(g.metrics, row);
    return row;
  });
  const overall = { count: r.overall.count, weight: r.overall.weight } as GroupMetricsJSON['overall'];
  metricsToJSON(r.overall.metrics, overall);
  const all = r.disparities();
  const disparities = { attributes: [...r.columns] } as GroupMetricsJSON['disparities'];
  const details = {} as Record<NamedDisparity, DisparityJSON>;
  for (const name of NAMED_DISPARITY_NAMES) {
    disparities[name] = num(all[name].value);
    details[name] = disparityToJSON(all[name]);
  }
  const out: GroupMetricsJSON = {
    kind: 'fairwatch.groupMetrics',
    version: 1,
    attributes: [...r.columns],
    rows: r.rows,
    dropped: r.dropped,
    options: r.options,
    reference: r.reference >= 0 ? r.groups[r.reference]!.label : null,
    overall,
    groups,
    disparities,
    disparityDetails: details,
    summaries: { confusion: confusionToJSON(r.confusion) },
    warnings: r.warnings,
  };
  if (r.calibration) out.calibration = r.calibration;
  return out;
}

/** Label of a group key for display. */
export { groupKeyLabel };
