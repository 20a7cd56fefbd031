/**
 * The bootstrap on counts, not rows: percentile intervals for any statistic of per-group
 * confusion cells, by resampling each group's cells from a multinomial.
 *
 * Resampling n_g rows with replacement from a group and tallying them into its four confusion
 * cells gives exactly Multinomial(n_g, n_cells / n_g) counts, so the row bootstrap (stratified by
 * group, as fairlearn/AIF360-style bootstraps resample within groups) can be done in O(cells)
 * per resample without touching rows. With weights, the cells are drawn with probabilities
 * w_cells / W_g and the drawn counts are scaled by W_g / n_g, so a resample keeps the group's
 * total weight and weighted statistics keep their scale. (This treats each row's weight as
 * exchangeable within its cell; without weights it is exactly the stratified row bootstrap.)
 *
 * Interval: the percentile method (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993,
 * ch. 13) with numpy's default `linear` interpolation (Hyndman & Fan type 7) at α/2 and 1 − α/2
 * of the finite statistic values. Resamples where the statistic is NaN or ±∞ (e.g. a rate whose
 * denominator was resampled to 0) are left out and counted: `valid` says how many remained; when
 * fewer than half remain, both bounds are NaN.
 *
 * Deterministic: the same seed, cells and statistics give the same interval on every run
 * (generator: {@link Random}, xoshiro128**).
 *
 * @example
 * ```ts
 * // one group: 300 tn, 100 fp, 200 fn, 400 tp; selection rate = (fp + tp) / n = 0.5
 * const n = new Float64Array([300, 100, 200, 400]);
 * const sel = (c: Float64Array) => (c[1]! + c[3]!) / (c[0]! + c[1]! + c[2]! + c[3]!);
 * bootstrapCells(n, n, sel, { seed: 1 });
 * // { low: 0.468, high: 0.532, resamples: 1000, valid: 1000, seed: 1, confidence: 0.95, method: 'percentile' }
 * // (normal approximation: 0.5 ± 1.96·√(0.25/1000) = [0.469, 0.531])
 * ```
 */
import { InputError, messages } from '../errors.js';
import { multinomial, Random } from './random.js';
import { checkConfidence } from './wilson.js';

export interface BootstrapOptions {
  /** Number of resamples, a positive integer; default 1000. */
  resamples?: number;
  /** Integer seed of the generator; default 0. */
  seed?: number;
  /** Confidence level in (0, 1); default 0.95. */
  confidence?: number;
}

export interface BootstrapInterval {
  low: number;
  high: number;
  /** Resamples drawn. */
  resamples: number;
  /** Resamples where the statistic was finite (the ones the percentiles are taken over). */
  valid: number;
  seed: number;
  confidence: number;
  method: 'percentile';
}

/** A statistic of per-group cells (layout of `ConfusionSummary.w`: group g, cell c at g·4 + c). */
export type CellStatistic = (cells: Float64Array) => number;

/**
 * The q-quantile of ascending sorted values with linear interpolation between order statistics
 * (Hyndman & Fan type 7; numpy's default `method='linear'`): h = (m − 1)·q,
 * Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]), over the first `length` values (default all).
 * NaN for no values.
 *
 * @example
 * ```ts
 * quantileSorted(new Float64Array([1, 2, 3, 4]), 0.25); // 1.75  (numpy.percentile([1,2,3,4], 25))
 * quantileSorted(new Float64Array([1, 2, 3, 4]), 1);    // 4
 * ```
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number, length: number = sorted.length): number {
  if (length === 0) return NaN;
  const h = (length - 1) * q;
  const lo = Math.floor(h);
  if (lo >= length - 1) return sorted[length - 1]!;
  if (lo < 0) return sorted[0]!;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const t = h - lo;
  // numpy's lerp: symmetric form, exact at both ends and monotone.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}

interface Checked {
  resamples: number;
  seed: number;
  confidence: number;
}

function checkOptions(fn: string, options: BootstrapOptions | undefined): Checked {
  const o = options ?? {};
  const resamples = o.resamples === undefined ? 1000 : o.resamples;
  if (typeof resamples !== 'number' || !Number.isSafeInteger(resamples) || resamples < 1) {
    throw new InputError(messages.badOption(fn, 'resamples', resamples, 'a positive integer'), 'badOption', {
      option: 'resamples',
      value: resamples,
    });
  }
  const seed = o.seed === undefined ? 0 : o.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new InputError(messages.badOption(fn, 'seed', seed, 'an integer'), 'badOption', { option: 'seed', value: seed });
  }
  return { resamples, seed, confidence: checkConfidence(fn, o.confidence) };
}

function checkCells(fn: string, n: Float64Array, w: Float64Array): void {
  if (!(n instanceof Float64Array)) {
    throw new InputError(messages.badArgument(fn, 'n', n, 'a Float64Array of confusion counts (4 per group)'), 'badArgument');
  }
  if (!(w instanceof Float64Array)) {
    throw new InputError(messages.badArgument(fn, 'w', w, 'a Float64Array of confusion weights (4 per group)'), 'badArgument');
  }
  if (n.length % 4 !== 0) {
    throw new InputError(
      messages.badArgument(fn, 'n.length', n.length, 'a multiple of 4 (cells tn, fp, fn, tp per group)'),
      'badArgument',
    );
  }
  if (w.length !== n.length) {
    throw new InputError(messages.lengthMismatch(fn, 'w', n.length, w.length), 'lengthMismatch');
  }
  for (let i = 0; i < n.length; i++) {
    const c = n[i]!;
    if (!(c >= 0 && Number.isSafeInteger(c))) {
      throw new InputError(messages.badArgument(fn, `n[${i}]`, c, 'a non-negative integer count'), 'badArgument', {
        index: i,
        value: c,
      });
    }
    const x = w[i]!;
    if (!(x >= 0 && x < Infinity)) {
      throw new InputError(messages.badArgument(fn, `w[${i}]`, x, 'a finite non-negative weight'), 'badArgument', {
        index: i,
        value: x,
      });
    }
  }
}

/**
 * Percentile bootstrap intervals of several statistics of per-group confusion cells, all computed
 * on the same resamples (one pass of draws; see the module doc for the resampling scheme).
 *
 * For each of `resamples` resamples, each group g independently gets cells
 * `Multinomial(n_g, w_g,· / W_g) · W_g / n_g` (n_g = Σ of the group's raw counts `n`, W_g = Σ of
 * its weights `w`; a group with n_g = 0 or W_g = 0 gets zero cells), written into one reused
 * `Float64Array` of length G·4 that every statistic is then called with. Statistics must not keep
 * a reference to that buffer or depend on call order; they may return NaN when undefined.
 * The interval of each statistic is the type-7 percentiles at (1 − c)/2 and 1 − (1 − c)/2 of its
 * finite values; NaN bounds when fewer than half of the resamples are finite.
 *
 * The result for a statistic does not depend on which other statistics are evaluated with it:
 * `bootstrapMany(n, w, { a, b }).a` equals `bootstrapCells(n, w, a)` for the same options.
 * Throws {@link InputError} for invalid options (`messages.badOption`) or cells (negative or
 * non-integer counts, negative or non-finite weights, length not a multiple of 4, n/w length
 * mismatch).
 *
 * @example
 * ```ts
 * const n = new Float64Array([40, 10, 10, 40,   30, 20, 20, 30]); // groups a, b
 * const sel = (c: Float64Array, g: number) => (c[g * 4 + 1]! + c[g * 4 + 3]!) / (c[g * 4]! + c[g * 4 + 1]! + c[g * 4 + 2]! + c[g * 4 + 3]!);
 * const r = bootstrapMany(n, n, { diff: (c) => sel(c, 0) - sel(c, 1), ratio: (c) => sel(c, 1) / sel(c, 0) }, { seed: 3 });
 * r.diff;  // { low: -0.12025, high: 0.16, valid: 1000, ... }  (observed 0; normal approx. ±0.139)
 * ```
 */
export function bootstrapMany<K extends string>(
  n: Float64Array,
  w: Float64Array,
  statistics: Record<K, CellStatistic>,
  options?: BootstrapOptions,
): Record<K, BootstrapInterval> {
  return run('bootstrapMany', n, w, statistics, options);
}

/**
 * Percentile bootstrap interval of one statistic of per-group confusion cells: for each resample,
 * each group's 4 cells are drawn from Multinomial(n_g, w_cells / W_g) (n_g = raw rows of the
 * group) and scaled by W_g / n_g, then `statistic(cells)` is evaluated on the resampled
 * `Float64Array` (same layout as `summary.w`, G·4). Interval = percentiles (numpy `linear`,
 * type 7) of the finite values at (1 − c)/2 and 1 − (1 − c)/2; NaN bounds when fewer than half of
 * the resamples are finite. Same draws, hence same result, as the same key of
 * {@link bootstrapMany}. References: Efron & Tibshirani (1993), ch. 13; Hyndman & Fan (1996).
 *
 * @example
 * ```ts
 * const n = new Float64Array([4e5, 1e5, 1e5, 4e5]); // selection rate 0.5 over 1e6 rows
 * const sel = (c: Float64Array) => (c[1]! + c[3]!) / (c[0]! + c[1]! + c[2]! + c[3]!);
 * bootstrapCells(n, n, sel, { seed: 7 });
 * // { low: 0.4990630, high: 0.5009592, ... }   (0.5 ± 1.96·√(0.25/1e6) = 0.5 ± 0.00098)
 * bootstrapCells(n, n, () => NaN).low; // NaN (valid: 0)
 * ```
 */
export function bootstrapCells(
  n: Float64Array,
  w: Float64Array,
  statistic: CellStatistic,
  options?: BootstrapOptions,
): BootstrapInterval {
  return run('bootstrapCells', n, w, { statistic }, options).statistic;
}

function run<K extends string>(
  fn: string,
  n: Float64Array,
  w: Float64Array,
  statistics: Record<K, CellStatistic>,
  options: BootstrapOptions | undefined,
): Record<K, BootstrapInterval> {
  const { resamples, seed, confidence } = checkOptions(fn, options);
  checkCells(fn, n, w);
  const names = Object.keys(statistics) as K[];
  const fns: CellStatistic[] = [];
  for (const name of names) {
    const f = statistics[name];
    if (typeof f !== 'function') {
      throw new InputError(messages.badArgument(fn, `statistics.${name}`, f, 'a function of the cells'), 'badArgument');
    }
    fns.push(f);
  }

  const G = n.length / 4;
  const rows = new Float64Array(G);
  const scale = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const o = g * 4;
    const ng = n[o]! + n[o + 1]! + n[o + 2]! + n[o + 3]!;
    const wg = w[o]! + w[o + 1]! + w[o + 2]! + w[o + 3]!;
    rows[g] = wg > 0 ? ng : 0; // a group without weight resamples to zero cells
    scale[g] = ng > 0 ? wg / ng : 0;
  }

  const S = fns.length;
  const values: Float64Array[] = fns.map(() => new Float64Array(resamples));
  const cells = new Float64Array(G * 4);
  const rng = new Random(seed);
  for (let r = 0; r < resamples; r++) {
    drawCells(rng, rows, scale, w, cells);
    for (let s = 0; s < S; s++) values[s]![r] = fns[s]!(cells);
  }

  const qLow = (1 - confidence) / 2;
  const qHigh = 1 - qLow;
  const out = {} as Record<K, BootstrapInterval>;
  for (let s = 0; s < S; s++) {
    const v = values[s]!;
    let m = 0;
    for (let r = 0; r < resamples; r++) {
      const x = v[r]!;
      if (Number.isFinite(x)) v[m++] = x;
    }
    const finite = v.subarray(0, m).sort();
    const enough = 2 * m >= resamples;
    out[names[s]!] = {
      low: enough ? quantileSorted(finite, qLow) : NaN,
      high: enough ? quantileSorted(finite, qHigh) : NaN,
      resamples,
      valid: m,
      seed,
      confidence,
      method: 'percentile',
    };
  }
  return out;
}

/** One resample of every group's cells into `cells` (no allocation). */
function drawCells(rng: Random, rows: Float64Array, scale: Float64Array, w: Float64Array, cells: Float64Array): void {
  const G = rows.length;
  for (let g = 0; g < G; g++) {
    const o = g * 4;
    const ng = rows[g]!;
    if (ng === 0) {
      cells[o] = 0;
      cells[o + 1] = 0;
      cells[o + 2] = 0;
      cells[o + 3] = 0;
      continue;
    }
    multinomial(rng, ng, w, cells, o, 4);
    const k = scale[g]!;
    if (k !== 1) {
      cells[o] = cells[o]! * k;
      cells[o + 1] = cells[o + 1]! * k;
      cells[o + 2] = cells[o + 2]! * k;
      cells[o + 3] = cells[o + 3]! * k;
    }
  }
}
