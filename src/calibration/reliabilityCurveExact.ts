/**
 * `reliabilityCurveExact`: the reliability diagram on raw rows, reproducing
 * `sklearn.calibration.calibration_curve(y_true, y_prob, n_bins=n, strategy=...)` exactly
 * (bit for bit on unweighted data), with the bin edges and counts sklearn does not return.
 *
 * sklearn's conventions, followed here:
 * - edges: `uniform` → `np.linspace(0, 1, n + 1)`, i.e. `k · (1/n)` with the last edge exactly 1
 *   (so the inner edges can sit one ulp off `k/n`, e.g. 0.30000000000000004 for n = 10);
 *   `quantile` → `np.percentile(y_prob, np.linspace(0, 1, n + 1) * 100)`, numpy's default
 *   `linear` method: virtual index (N − 1)·q between the sorted scores, interpolated as numpy's
 *   `_lerp` does (from the upper neighbour when the fraction is ≥ ½).
 * - assignment: `np.searchsorted(bins[1:-1], y_prob)` (side `left`): a row's bin is the number of
 *   inner edges strictly below its score, so bins are right-closed `(e_k, e_{k+1}]` and the first
 *   bin also holds its lower edge; a score exactly on an inner edge goes to the lower bin.
 * - `prob_true = Σy / count`, `prob_pred = Σp / count` per bin (sums in row order, as
 *   `np.bincount`), and the bins with `count == 0` are dropped (duplicate quantile edges give
 *   such empty bins).
 * - scores outside [0, 1] are rejected (sklearn: `ValueError`), as are labels other than 0/1.
 *
 * Extension: `weights` (sklearn's `calibration_curve` takes none) give weighted means
 * Σw·y / Σw and Σw·p / Σw; bins whose rows all have zero weight are dropped too. Quantile edges
 * are then weighted quantiles as `np.percentile(y_prob, q, weights=w, method='inverted_cdf')`
 * (the smallest score whose cumulative weight share reaches q; numpy supports only this method
 * with weights).
 *
 * Returned edges are the edges actually used (`bins[k]`, `bins[k+1]`). No rows → `[]`.
 *
 * @example
 * ```ts
 * // sklearn's docstring example: prob_true [0, 0.5, 1], prob_pred [0.2, 0.525, 0.85]
 * reliabilityCurveExact(new Uint8Array([0, 0, 0, 0, 1, 1, 1, 1, 1]),
 *   new Float64Array([0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0]), { nBins: 3 })
 *   .map((b) => [b.fractionPositive, b.meanPredicted]);
 * // [[0, 0.20000000000000004], [0.5, 0.525], [1, 0.85]]   (numpy prints the first as 0.2)
 * ```
 */
import { InputError, messages } from '../errors.js';
import { argsortScores } from '../kernels/argsort.js';
import { checkNBins, checkStrategy } from './scoreCells.js';
import type { CalibrationBin, CurveOptions } from './types.js';

const FN = 'reliabilityCurveExact';

/** Options of {@link reliabilityCurveExact}. */
export interface ExactCurveOptions extends CurveOptions {
  /** Non-negative finite row weights (optional extension; sklearn has none). */
  weights?: Float64Array;
}

/**
 * Reliability curve on raw rows, as sklearn's `calibration_curve` (see the module doc).
 *
 * @example
 * ```ts
 * reliabilityCurveExact(new Uint8Array([0, 1, 1]), new Float64Array([0.1, 0.5, 0.9]), { nBins: 2 });
 * // [{ lower: 0, upper: 0.5, count: 2, weight: 2, meanPredicted: 0.3, fractionPositive: 0.5 },
 * //  { lower: 0.5, upper: 1, count: 1, weight: 1, meanPredicted: 0.9, fractionPositive: 1 }]
 * ```
 */
export function reliabilityCurveExact(
  yTrue: Uint8Array,
  yScore: Float64Array,
  options: ExactCurveOptions = {},
): CalibrationBin[] {
  const nBins = checkNBins(FN, options.nBins);
  const strategy = checkStrategy(FN, options.strategy);
  const weights = options.weights;
  const n = yScore.length;
  validate(yTrue, yScore, weights);
  if (n === 0) return [];
  let edges: Float64Array;
  if (strategy === 'uniform') edges = linspaceEdges(nBins);
  else if (weights) {
    const e = weightedQuantileEdges(yScore, weights, nBins);
    if (!e) return [];
    edges = e;
  } else edges = percentileEdges(yScore, nBins);

  const count = new Float64Array(nBins);
  const wSum = new Float64Array(nBins);
  const ySum = new Float64Array(nBins);
  const pSum = new Float64Array(nBins);
  if (weights) {
    for (let i = 0; i < n; i++) {
      const p = yScore[i]!;
      const b = binOf(edges, nBins, p);
      const w = weights[i]!;
      count[b]!++;
      wSum[b]! += w;
      ySum[b]! += w * yTrue[i]!;
      pSum[b]! += w * p;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = yScore[i]!;
      const b = binOf(edges, nBins, p);
      count[b]!++;
      ySum[b]! += yTrue[i]!;
      pSum[b]! += p;
    }
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const c = count[b]!;
    const w = weights ? wSum[b]! : c;
    if (c === 0 || !(w > 0)) continue;
    out.push({
      lower: edges[b]!,
      upper: edges[b + 1]!,
      count: c,
      weight: w,
      meanPredicted: pSum[b]! / w,
      fractionPositive: ySum[b]! / w,
    });
  }
  return out;
}

/** `np.searchsorted(edges[1:-1], p)`: the number of inner edges strictly below p. */
function binOf(edges: Float64Array, nBins: number, p: number): number {
  let lo = 1;
  let hi = nBins; // search the inner edges edges[1 .. nBins-1] for the first edge >= p
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** `np.linspace(0, 1, n + 1)`: k · (1/n), last edge exactly 1. */
function linspaceEdges(nBins: number): Float64Array {
  const edges = new Float64Array(nBins + 1);
  const step = 1 / nBins;
  for (let k = 0; k < nBins; k++) edges[k] = k * step;
  edges[nBins] = 1;
  return edges;
}

/** `np.percentile(y_prob, np.linspace(0, 1, n + 1) * 100)` with numpy's default `linear` method. */
function percentileEdges(yScore: Float64Array, nBins: number): Float64Array {
  const sorted = Float64Array.from(yScore).sort();
  const N = sorted.length;
  const quantiles = linspaceEdges(nBins);
  const edges = new Float64Array(nBins + 1);
  for (let k = 0; k <= nBins; k++) {
    const q = (quantiles[k]! * 100) / 100; // percentile multiplies by 100, numpy divides back
    const v = (N - 1) * q; // numpy's `linear`: virtual index (n - 1) * q
    if (v >= N - 1) edges[k] = sorted[N - 1]!;
    else if (v < 0) edges[k] = sorted[0]!;
    else {
      const prev = Math.floor(v);
      const gamma = v - prev;
      const a = sorted[prev]!;
      const b = sorted[prev + 1]!;
      const diff = b - a;
      // numpy `_lerp`: a + diff·t, recomputed as b − diff·(1 − t) where t >= 0.5
      edges[k] = gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
  }
  return edges;
}

/**
 * `np.percentile(y_prob, q, weights=w, method='inverted_cdf')`: cdf = cumsum(w) / Σw over the
 * sorted scores (zero entries set to −1 as numpy does), edge = score at the first cdf ≥ q.
 * `null` when all weights are zero.
 */
function weightedQuantileEdges(yScore: Float64Array, weights: Float64Array, nBins: number): Float64Array | null {
  const { order } = argsortScores(yScore);
  const N = order.length;
  const cdf = new Float64Array(N);
  let cum = 0;
  for (let i = 0; i < N; i++) {
    cum += weights[order[i]!]!;
    cdf[i] = cum;
  }
  if (!(cum > 0)) return null;
  for (let i = 0; i < N; i++) cdf[i] = cdf[i]! === 0 ? -1 : cdf[i]! / cum;
  const quantiles = linspaceEdges(nBins);
  const edges = new Float64Array(nBins + 1);
  let i = 0;
  for (let k = 0; k <= nBins; k++) {
    const q = (quantiles[k]! * 100) / 100;
    while (i < N && cdf[i]! < q) i++;
    edges[k] = yScore[order[Math.min(i, N - 1)]!]!;
  }
  return edges;
}

function validate(yTrue: Uint8Array, yScore: Float64Array, weights: Float64Array | undefined): void {
  const n = yScore.length;
  if (yTrue.length !== n) {
    throw new InputError(messages.lengthMismatch(FN, 'yTrue', n, yTrue.length), 'lengthMismatch', { argument: 'yTrue' });
  }
  if (weights && weights.length !== n) {
    throw new InputError(messages.lengthMismatch(FN, 'weights', n, weights.length), 'lengthMismatch', { argument: 'weights' });
  }
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    if (y > 1) throw new InputError(messages.labelNotBinary(FN, 'yTrue', i, y), 'labelNotBinary', { row: i, value: y });
    const s = yScore[i]!;
    if (Number.isNaN(s)) {
      throw new InputError(messages.notFiniteScore(FN, 'yScore', i, s), 'notFiniteScore', { column: 'yScore', row: i, value: s });
    }
    if (!(s >= 0 && s <= 1)) {
      throw new InputError(messages.scoreOutOfRange(FN, 'yScore', i, s), 'scoreOutOfRange', { column: 'yScore', row: i, value: s });
    }
    if (weights) {
      const w = weights[i]!;
      if (!(w >= 0 && w < Infinity)) {
        throw new InputError(messages.badWeight(FN, 'weights', i, w), 'badWeight', { column: 'weights', row: i, value: w });
      }
    }
  }
}
