/**
 * `groupMetrics`: per-group and overall rates, calibration and disparities of a binary classifier,
 * computed in two phases — one accumulate pass building mergeable summaries, then pure finalize
 * functions — following fairlearn's `MetricFrame` definitions (see `metrics/` for each card).
 *
 * Several sensitive columns are intersected (fairlearn's convention for a multi-column
 * `sensitive_features`); use {@link audit} to get each column separately plus the intersection.
 *
 * @example
 * ```ts
 * import { groupMetrics } from 'fairwatch';
 * const r = groupMetrics({
 *   yTrue: [1, 0, 1, 1, 0, 1],
 *   yPred: [1, 0, 0, 1, 1, 1],
 *   sensitive: ['a', 'a', 'a', 'b', 'b', 'b'],
 *   minGroupSize: 1,
 * });
 * r.value('selectionRate', 'a');   // 1/3
 * r.demographicParityDifference(); // 2/3 - 1/3 = 0.3333
 * ```
 */
import { InputError, messages } from '../errors.js';
import { DEFAULT_MAX_GROUPS, encodeGroups, groupKeyLabel, intersectGroupings, type GroupValue, type Grouping, type MissingPolicy } from '../kernels/groups.js';
import {
  accumulate,
  confusionTotals,
  DEFAULT_FINE_BINS,
  type ConfusionSummary,
  type ScoreBinSummary,
} from '../kernels/summaries.js';
import { aucByGroup, aucFromBins, aucFromBinsBound, calibrationByGroup } from '../calibration/index.js';
import { bootstrapMany, wilsonFromProportion } from '../intervals/index.js';
import { differenceOf, ratioOf } from './disparity.js';
import { resolveInputs, type ResolvedInputs, type RoleInputs } from './inputs.js';
import { RATE_NAMES, rateOf, rateParts, undefinedReason, type Compat } from './rates.js';
import {
  GroupMetricsResult,
  NAMED_DISPARITIES,
  type CalibrationDetail,
  type GroupRow,
  type MetricName,
  type MetricValue,
  type ResultOptions,
} from './result.js';

/** Interval options: Wilson for rates, a seeded bootstrap on counts for disparities. */
export interface CiOptions {
  confidence?: number;
  resamples?: number;
  seed?: number;
}

export interface GroupMetricsOptions extends RoleInputs {
  /** Missing sensitive values: own group `(missing)` (default), dropped with a count, or an error. */
  missing?: MissingPolicy;
  /** Maximum distinct values of one sensitive column (default 1000). */
  maxGroups?: number;
  /** Groups with fewer rows are `insufficient` (default 30). */
  minGroupSize?: number;
  /** `'fairlearn'` reproduces fairlearn's 0 for 0/0 rates; default `'fairwatch'` gives null + reason. */
  compat?: Compat;
  /** Reference group for `to_reference` and disparate impact: a value, a key, or `{ column: value }`. */
  reference?: GroupValue | readonly GroupValue[] | Readonly<Record<string, GroupValue>>;
  /** `true` or options: Wilson intervals on rates and bootstrap intervals on disparities. */
  ci?: boolean | CiOptions;
  /** Calibration bins (default 10) and strategy (default 'uniform'). */
  nBins?: number;
  binStrategy?: 'uniform' | 'quantile';
  /** Fine bins of the score summary (default 3000). */
  fineBins?: number;
  /**
   * ROC AUC per group: `'exact'` (default; sorts the scores, allocating ~12 bytes per row) or
   * `'binned'` (from the fine score bins, no allocation per row; ties within a fine bin count
   * one half, so the error is at most the share of positive-negative pairs sharing a bin).
   */
  auc?: 'exact' | 'binned';
}

/**
 * Defaults in one place.
 *
 * @example
 * ```ts
 * DEFAULTS; // { minGroupSize: 30, nBins: 10, confidence: 0.95, resamples: 1000, seed: 0 }
 * ```
 */
export const DEFAULTS = { minGroupSize: 30, nBins: 10, confidence: 0.95, resamples: 1000, seed: 0 } as const;

/**
 * Compute group metrics from columns (arrays or names in `data`). See the module doc.
 *
 * @example
 * ```ts
 * const r = groupMetrics({ data: rows, yTrue: 'label', yScore: 'score', threshold: 0.5, sensitive: 'sex' });
 * r.groups.map((g) => [g.label, g.metrics.selectionRate?.value]);
 * ```
 */
export function groupMetrics(options: GroupMetricsOptions): GroupMetricsResult {
  const fn = 'groupMetrics';
  checkOptions(fn, options);
  const inputs = resolveInputs(options, fn);
  return groupMetricsFromInputs(inputs, inputs.sensitive.map((_, i) => i), options, fn);
}

/**
 * The accumulate and finalize phases over already resolved columns, for the sensitive columns
 * numbered in `attributes` (intersected when several). {@link audit} calls it once per attribute
 * set without converting the label columns again.
 *
 * @example
 * ```ts
 * const inputs = resolveInputs({ yTrue, yPred, sensitive: { sex, race } }, 'audit');
 * groupMetricsFromInputs(inputs, [1], {}, 'audit').columns; // ['race']
 * ```
 */
export function groupMetricsFromInputs(
  inputs: ResolvedInputs,
  attributes: readonly number[],
  options: Omit<GroupMetricsOptions, keyof RoleInputs> & Partial<RoleInputs>,
  fn: string,
): GroupMetricsResult {
  const { grouping, ...acc } = summariesFromInputs(inputs, attributes, options, fn);
  let auc: Float64Array | undefined;
  if (inputs.yScore && options.auc !== 'binned') auc = aucByGroup(grouping.codes, grouping.keys.length, inputs.yTrue, inputs.yScore, inputs.weights);
  return groupMetricsFromSummaries({
    confusion: acc.confusion,
    ...(acc.scoreBins ? { scoreBins: acc.scoreBins } : {}),
    ...(auc ? { auc } : {}),
    rows: inputs.rows,
    dropped: grouping.dropped,
    options: { ...options, ...(inputs.threshold !== undefined ? { threshold: inputs.threshold } : {}) },
    columns: { ...inputs.names },
    positiveLabel: inputs.positiveLabel,
  });
}

/**
 * The accumulate phase alone over resolved columns: group codes for the sensitive columns numbered
 * in `attributes` (intersected), then one pass building the summaries. Shared by
 * {@link groupMetricsFromInputs} and the memory engine.
 *
 * @example
 * ```ts
 * const inputs = resolveInputs({ yTrue: [1, 0], yPred: [1, 1], sensitive: ['a', 'b'] }, 'f');
 * summariesFromInputs(inputs, [0], {}, 'f').confusion.n; // Float64Array [0, 0, 0, 1, 0, 1, 0, 0]
 * ```
 */
export function summariesFromInputs(
  inputs: ResolvedInputs,
  attributes: readonly number[],
  options: { missing?: MissingPolicy; maxGroups?: number; fineBins?: number },
  fn: string,
): { grouping: Grouping; confusion: ConfusionSummary; scoreBins?: ScoreBinSummary } {
  const grouping = intersectGroupings(
    attributes.map((i) => {
      const s = inputs.sensitive[i]!;
      return encodeGroups(s.values, { column: s.name, missing: options.missing ?? 'group', maxGroups: options.maxGroups ?? DEFAULT_MAX_GROUPS, fn });
    }),
  );
  if (grouping.dropped === inputs.rows) {
    throw new InputError(messages.emptyInput(fn, `rows after dropping ${grouping.dropped} rows with missing sensitive values`), 'emptyInput');
  }
  const acc = accumulate({
    grouping,
    yTrue: inputs.yTrue,
    yPred: inputs.yPred,
    ...(inputs.yScore ? { yScore: inputs.yScore, scoreColumn: inputs.names.yScore ?? 'yScore' } : {}),
    ...(inputs.weights ? { weights: inputs.weights } : {}),
    bins: options.fineBins ?? DEFAULT_FINE_BINS,
  });
  return { grouping, ...acc };
}

/**
 * Validate the non-column options (typed errors naming the option).
 *
 * @example
 * ```ts
 * checkOptions('groupMetrics', { minGroupSize: 5, compat: 'fairlearn' }); // undefined (valid)
 * checkOptions('groupMetrics', { minGroupSize: -1 });
 * // throws InputError: 'groupMetrics: option minGroupSize = -1 is invalid; expected an integer >= 0'
 * ```
 */
export function checkOptions(fn: string, o: Omit<GroupMetricsOptions, keyof RoleInputs>): void {
  const bad = (option: string, value: unknown, expected: string) =>
    new InputError(messages.badOption(fn, option, value, expected), 'badOption', { option, value });
  if (o.minGroupSize !== undefined && !(Number.isInteger(o.minGroupSize) && o.minGroupSize >= 0)) throw bad('minGroupSize', o.minGroupSize, 'an integer >= 0');
  if (o.compat !== undefined && o.compat !== 'fairwatch' && o.compat !== 'fairlearn') throw bad('compat', o.compat, "'fairwatch' or 'fairlearn'");
  if (o.nBins !== undefined && !(Number.isInteger(o.nBins) && o.nBins >= 1)) throw bad('nBins', o.nBins, 'a positive integer');
  if (o.binStrategy !== undefined && o.binStrategy !== 'uniform' && o.binStrategy !== 'quantile') throw bad('binStrategy', o.binStrategy, "'uniform' or 'quantile'");
  if (o.fineBins !== undefined && !(Number.isInteger(o.fineBins) && o.fineBins >= 1)) throw bad('fineBins', o.fineBins, 'a positive integer');
  if (o.auc !== undefined && o.auc !== 'exact' && o.auc !== 'binned') throw bad('auc', o.auc, "'exact' or 'binned'");
  if (typeof o.ci === 'object' && o.ci !== null) {
    const c = o.ci;
    if (c.confidence !== undefined && !(c.confidence > 0 && c.confidence < 1)) throw bad('ci.confidence', c.confidence, 'a number in (0, 1)');
    if (c.resamples !== undefined && !(Number.isInteger(c.resamples) && c.resamples >= 1)) throw bad('ci.resamples', c.resamples, 'a positive integer');
    if (c.seed !== undefined && !Number.isInteger(c.seed)) throw bad('ci.seed', c.seed, 'an integer');
  }
}

export interface FromSummariesInput {
  confusion: ConfusionSummary;
  scoreBins?: ScoreBinSummary;
  /** Exact AUC per group plus overall last (from raw rows); without it AUC comes from the fine bins. */
  auc?: Float64Array;
  rows?: number;
  dropped?: number;
  options?: Omit<GroupMetricsOptions, 'yTrue' | 'sensitive'> & Partial<Pick<GroupMetricsOptions, 'yTrue' | 'sensitive'>>;
  columns?: ResultOptions['columns'];
  positiveLabel?: unknown;
}

/**
 * Finalize: turn summaries (from one pass, merged chunks, or a SQL engine) into a result.
 *
 * @example
 * ```ts
 * const merged = mergeConfusion(partA, partB);
 * groupMetricsFromSummaries({ confusion: merged }).demographicParityDifference();
 * ```
 */
export function groupMetricsFromSummaries(input: FromSummariesInput): GroupMetricsResult {
  const o = input.options ?? {};
  const compat: Compat = o.compat ?? 'fairwatch';
  const minGroupSize = o.minGroupSize ?? DEFAULTS.minGroupSize;
  const nBins = o.nBins ?? DEFAULTS.nBins;
  const binStrategy = o.binStrategy ?? 'uniform';
  const ci = o.ci ? { confidence: DEFAULTS.confidence, resamples: DEFAULTS.resamples, seed: DEFAULTS.seed, ...(o.ci === true ? {} : o.ci) } : null;
  const { confusion, scoreBins } = input;
  const G = confusion.groups.length;
  const totals = confusionTotals(confusion);
  const warnings: string[] = [];

  const rateValue = (name: (typeof RATE_NAMES)[number], w: ArrayLike<number>, n: ArrayLike<number>, g: number): MetricValue => {
    const value = rateOf(name, w, g, compat);
    const mv: MetricValue = { value };
    if (Number.isNaN(value)) mv.reason = undefinedReason(name);
    if (ci && !Number.isNaN(value)) {
      const trials = rateParts(name, n, g).den;
      const wi = wilsonFromProportion(value, trials, { confidence: ci.confidence });
      mv.interval = { low: wi.low, high: wi.high, method: 'wilson', confidence: ci.confidence };
    }
    return mv;
  };

  const groups: GroupRow[] = confusion.groups.map((key, g) => {
    const count = sum4(confusion.n, g);
    const weight = sum4(confusion.w, g);
    const metrics: Partial<Record<MetricName, MetricValue>> = {};
    for (const name of RATE_NAMES) metrics[name] = rateValue(name, confusion.w, confusion.n, g);
    return {
      key,
      group: Object.fromEntries(confusion.columns.map((c, j) => [c, key[j] ?? null])),
      label: groupKeyLabel(key),
      count,
      weight,
      status: count < minGroupSize ? 'insufficient' : 'ok',
      metrics,
    };
  });
  const overallMetrics: Partial<Record<MetricName, MetricValue>> = {};
  for (const name of RATE_NAMES) overallMetrics[name] = rateValue(name, totals.w, totals.n, 0);
  const overall = { count: sum4(totals.n, 0), weight: sum4(totals.w, 0), metrics: overallMetrics };

  let calibration: CalibrationDetail | undefined;
  let aucMethod: 'exact' | 'binned' | undefined;
  if (scoreBins) {
    const cal = calibrationByGroup(scoreBins, { nBins, strategy: binStrategy });
    const setScore = (target: Partial<Record<MetricName, MetricValue>>, name: MetricName, value: number, reason: string) => {
      target[name] = Number.isNaN(value) ? { value, reason } : { value };
    };
    aucMethod = input.auc ? 'exact' : 'binned';
    const aucReason = 'AUC needs both classes: the group has only positive or only negative labels';
    const calReason = 'the group has no rows with scores';
    const fill = (target: Partial<Record<MetricName, MetricValue>>, stats: typeof cal.overall.stats, aucValue: number) => {
      setScore(target, 'auc', aucValue, aucReason);
      setScore(target, 'brier', stats.brier, calReason);
      setScore(target, 'ece', stats.ece, calReason);
      setScore(target, 'mce', stats.mce, calReason);
      setScore(target, 'calibrationInTheLarge', stats.calibrationInTheLarge, calReason);
    };
    cal.groups.forEach((cg, g) => fill(groups[g]!.metrics, cg.stats, input.auc ? input.auc[g]! : aucFromBins(scoreBins, g)));
    fill(overallMetrics, cal.overall.stats, input.auc ? input.auc[G]! : aucFromBins(scoreBins, 'overall'));
    calibration = {
      nBins,
      strategy: binStrategy,
      groups: cal.groups.map((cg, g) => ({ label: groups[g]!.label, curve: cg.curve })),
      overall: { curve: cal.overall.curve },
      gaps: Object.fromEntries(
        Object.entries(cal.gaps).map(([k, v]) => [k, { value: v.value, groups: v.groups.map((i: number) => groups[i]?.label ?? String(i)) }]),
      ),
    };
    if (!input.auc) {
      const finite = (x: number) => (Number.isFinite(x) ? x : null);
      calibration.aucBound = {
        groups: groups.map((gr, g) => ({ label: gr.label, bound: finite(aucFromBinsBound(scoreBins, g)) })),
        overall: finite(aucFromBinsBound(scoreBins, 'overall')),
      };
    }
  }

  let reference = -1;
  if (o.reference !== undefined) {
    const probe = new GroupMetricsResult({
      columns: confusion.columns, rows: 0, dropped: 0, groups, overall, options: {} as ResultOptions,
      reference: -1, confusion, warnings: [],
    });
    reference = probe.groupIndex(o.reference, 'groupMetrics');
  }

  const small = groups.filter((g) => g.status === 'insufficient');
  if (small.length) {
    warnings.push(`${small.length} group(s) have fewer than ${minGroupSize} rows and give no verdict: ${small.map((g) => g.label).join(', ')}`);
  }
  if ((input.dropped ?? 0) > 0) warnings.push(`${input.dropped} row(s) dropped because a sensitive value was missing (missing: 'drop')`);

  let intervals: Record<string, import('../intervals/bootstrap.js').BootstrapInterval> | undefined;
  if (ci) {
    intervals = bootstrapMany(confusion.n, confusion.w, disparityStatistics(G, compat, reference), {
      resamples: ci.resamples,
      seed: ci.seed,
      confidence: ci.confidence,
    });
  }

  const options: ResultOptions = {
    compat,
    minGroupSize,
    missing: o.missing ?? 'group',
    nBins,
    binStrategy,
    positiveLabel: input.positiveLabel ?? 1,
    columns: input.columns ?? { yTrue: 'yTrue', yPred: 'yPred' },
    ci,
  };
  if (o.threshold !== undefined) options.threshold = o.threshold;
  if (aucMethod) options.aucMethod = aucMethod;
  return new GroupMetricsResult({
    columns: [...confusion.columns],
    rows: input.rows ?? overall.count + (input.dropped ?? 0),
    dropped: input.dropped ?? 0,
    groups,
    overall,
    options,
    reference,
    confusion,
    ...(scoreBins ? { scoreBins } : {}),
    ...(calibration ? { calibration } : {}),
    ...(intervals ? { intervals } : {}),
    warnings,
  });
}

function sum4(a: ArrayLike<number>, g: number): number {
  const o = g * 4;
  return a[o]! + a[o + 1]! + a[o + 2]! + a[o + 3]!;
}

/**
 * The named disparities as statistics of resampled confusion cells (for the bootstrap). They use
 * the same `rateOf` / `differenceOf` / `ratioOf` as the point estimates.
 *
 * @example
 * ```ts
 * const stats = disparityStatistics(2, 'fairwatch', -1);
 * const cells = new Float64Array([1, 0, 0, 1, 1, 0, 1, 0]); // [tn, fp, fn, tp]: a = [1, 0, 0, 1], b = [1, 0, 1, 0]
 * stats.demographicParityDifference(cells); // 0.5
 * stats.equalOpportunityDifference(cells);  // 1
 * stats.disparateImpact(cells);             // 0 (b selects no one; the reference is a, the highest rate)
 * ```
 */
export function disparityStatistics(G: number, compat: Compat, reference: number): Record<string, (cells: Float64Array) => number> {
  const rates = (name: (typeof RATE_NAMES)[number], cells: Float64Array) => {
    const v = new Float64Array(G);
    const total = new Float64Array(4);
    for (let g = 0; g < G; g++) {
      v[g] = rateOf(name, cells, g, compat);
      for (let c = 0; c < 4; c++) total[c]! += cells[g * 4 + c]!;
    }
    return { v, overall: rateOf(name, total, 0, compat) };
  };
  const stat = (metric: (typeof RATE_NAMES)[number], kind: 'difference' | 'ratio') => (cells: Float64Array) => {
    const r = rates(metric, cells);
    return (kind === 'difference' ? differenceOf : ratioOf)(r.v, r.overall, 'between_groups').value;
  };
  const out: Record<string, (cells: Float64Array) => number> = {};
  for (const [name, spec] of Object.entries(NAMED_DISPARITIES)) {
    if (spec.metric === 'equalizedOdds') {
      const a = stat('tpr', spec.kind);
      const b = stat('fpr', spec.kind);
      out[name] = spec.kind === 'difference' ? (c) => Math.max(a(c), b(c)) : (c) => Math.min(a(c), b(c));
    } else {
      out[name] = stat(spec.metric, spec.kind);
    }
  }
  out.disparateImpact = (cells) => {
    const r = rates('selectionRate', cells);
    let ref = reference;
    if (ref < 0) for (let g = 0; g < G; g++) if (!Number.isNaN(r.v[g]!) && (ref < 0 || r.v[g]! > r.v[ref]!)) ref = g;
    return ratioOf(r.v, r.overall, 'to_reference', ref).value;
  };
  return out;
}
