import { describe, expect, it } from 'vitest';
import { reliabilityCurveExact, type CalibrationBin } from '../../src/calibration/index.js';
import { InputError, messages } from '../../src/errors.js';
import { randomRows } from './helpers.js';

// A straightforward port of sklearn.calibration.calibration_curve (numpy semantics spelled out):
//   uniform:  bins = np.linspace(0, 1, n + 1)                      -> k * (1 / n), last = 1
//   quantile: bins = np.percentile(y_prob, np.linspace(0, 1, n + 1) * 100)   (method 'linear')
//   binids = np.searchsorted(bins[1:-1], y_prob)                    -> #inner edges < p
//   prob_true = bincount(y) / bincount, prob_pred = bincount(p) / bincount, empty bins dropped.
// Weighted (our extension): weighted sums; quantile edges as numpy's 'inverted_cdf' with weights.

function linspace01(n: number): number[] {
  const step = 1 / n;
  return Array.from({ length: n + 1 }, (_, k) => (k === n ? 1 : k * step));
}

/** numpy.percentile(a, q) with the default 'linear' method, including numpy's _lerp. */
function npPercentile(a: number[], q100: number): number {
  const s = [...a].sort((x, y) => x - y);
  const N = s.length;
  const q = q100 / 100;
  const v = (N - 1) * q;
  if (v >= N - 1) return s[N - 1]!;
  if (v < 0) return s[0]!;
  const lo = Math.floor(v);
  const t = v - lo;
  const diff = s[lo + 1]! - s[lo]!;
  return t >= 0.5 ? s[lo + 1]! - diff * (1 - t) : s[lo]! + diff * t;
}

/** numpy.percentile(a, q, weights=w, method='inverted_cdf'). */
function npWeightedPercentile(a: number[], w: number[], q100: number): number {
  const ids = a.map((_, i) => i).sort((x, y) => a[x]! - a[y]!);
  const total = w.reduce((s, x) => s + x, 0);
  let cum = 0;
  const q = q100 / 100;
  for (const i of ids) {
    cum += w[i]!;
    const cdf = cum === 0 ? -1 : cum / total;
    if (cdf >= q) return a[i]!;
  }
  return a[ids[ids.length - 1]!]!;
}

function naiveCalibrationCurve(y: number[], p: number[], nBins: number, strategy: 'uniform' | 'quantile', w?: number[]): CalibrationBin[] {
  const quantiles = linspace01(nBins);
  const bins =
    strategy === 'uniform'
      ? quantiles
      : quantiles.map((q) => (w ? npWeightedPercentile(p, w, q * 100) : npPercentile(p, q * 100)));
  const inner = bins.slice(1, -1);
  const count = new Array(nBins).fill(0);
  const weight = new Array(nBins).fill(0);
  const sumY = new Array(nBins).fill(0);
  const sumP = new Array(nBins).fill(0);
  p.forEach((pi, i) => {
    const b = inner.filter((e) => e < pi).length;
    const wi = w ? w[i]! : 1;
    count[b]++;
    weight[b] += wi;
    sumY[b] += w ? wi * y[i]! : y[i]!;
    sumP[b] += w ? wi * pi : pi;
  });
  const out: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (count[b] === 0 || !(weight[b] > 0)) continue;
    out.push({
      lower: bins[b]!,
      upper: bins[b + 1]!,
      count: count[b],
      weight: weight[b],
      meanPredicted: sumP[b] / weight[b],
      fractionPositive: sumY[b] / weight[b],
    });
  }
  return out;
}

const curve = (y: number[], p: number[], opts: Parameters<typeof reliabilityCurveExact>[2] = {}) =>
  reliabilityCurveExact(Uint8Array.from(y), Float64Array.from(p), opts);

describe('reliabilityCurveExact', () => {
  it("reliabilityCurveExact(sklearn's docstring example) gives prob_true [0, 0.5, 1] and prob_pred [0.2, 0.525, 0.85]", () => {
    const bins = curve([0, 0, 0, 0, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0], { nBins: 3 });
    expect(bins.map((b) => b.fractionPositive)).toEqual([0, 0.5, 1]);
    const pred = bins.map((b) => b.meanPredicted);
    [0.2, 0.525, 0.85].forEach((v, i) => expect(pred[i]).toBeCloseTo(v, 15));
    expect(bins.map((b) => b.count)).toEqual([3, 2, 4]); // (0, ⅓]: 0.1–0.3; (⅓, ⅔]: 0.4, 0.65; (⅔, 1]: 0.7–1.0
  });

  it('reliabilityCurveExact(scores exactly on uniform edges) puts them in the lower, right-closed bin', () => {
    // np.linspace(0, 1, 11) inner edges: 0.1, 0.2, 0.30000000000000004, ..., 0.5, ..., 0.7000000000000001, ...
    const bins = curve([0, 1, 0, 1, 1, 0, 1], [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0], { nBins: 10 });
    expect(bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.1, 2], // 0 and 0.1 (0.1 <= edge 0.1)
      [0.1, 0.2, 1], // 0.2
      [0.2, 0.30000000000000004, 1], // 0.3 <= 3 * 0.1
      [0.4, 0.5, 1], // 0.5
      [0.6000000000000001, 0.7000000000000001, 1], // 0.7
      [0.9, 1, 1], // 1.0
    ]);
    expect(bins[0]!.fractionPositive).toBe(0.5);
  });

  it('reliabilityCurveExact(quantile) uses np.percentile edges with linear interpolation', () => {
    // median of [0, 0.2, 0.6, 1] at virtual index 1.5 → 0.4
    const bins = curve([0, 0, 1, 1], [0, 0.2, 0.6, 1], { nBins: 2, strategy: 'quantile' });
    expect(bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.4, 2],
      [0.4, 1, 2],
    ]);
    // a quantile edge on a data value keeps that value in the lower bin
    const b2 = curve([0, 0, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5], { nBins: 2, strategy: 'quantile' });
    expect(b2.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0.1, 0.3, 3],
      [0.3, 0.5, 2],
    ]);
  });

  it('reliabilityCurveExact(quantile, duplicate edges) drops the empty bins between them', () => {
    const bins = curve([0, 1, 0, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.9], { nBins: 4, strategy: 'quantile' });
    expect(bins.map((b) => [b.lower, b.upper, b.count, b.fractionPositive])).toEqual([
      [0.5, 0.5, 4, 0.5],
      [0.5, 0.9, 1, 1],
    ]);
  });

  it('reliabilityCurveExact(weights) gives weighted means and drops bins of zero weight', () => {
    const bins = curve([0, 1, 1], [0.1, 0.2, 0.9], { nBins: 2, weights: Float64Array.from([1, 3, 0]) });
    expect(bins).toHaveLength(1);
    expect(bins[0]!.count).toBe(2);
    expect(bins[0]!.weight).toBe(4);
    expect(bins[0]!.fractionPositive).toBe(0.75);
    expect(bins[0]!.meanPredicted).toBeCloseTo(0.175, 15);
  });

  it("reliabilityCurveExact(weights, quantile) takes edges as np.percentile(weights=w, method='inverted_cdf')", () => {
    // cdf over sorted scores: [0.6, 0.8, 0.8, 1] → edges q=0: 0.1, q=0.5: 0.1, q=1: 0.4
    const bins = curve([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], { nBins: 2, strategy: 'quantile', weights: Float64Array.from([3, 1, 0, 1]) });
    expect(bins.map((b) => [b.lower, b.upper, b.count, b.weight])).toEqual([
      [0.1, 0.1, 1, 3],
      [0.1, 0.4, 3, 2],
    ]);
  });

  it('reliabilityCurveExact(random data) equals the naive sklearn port for both strategies, with and without weights', () => {
    const cases = [
      { seed: 1, grid: 0, weighted: false },
      { seed: 2, grid: 10, weighted: false }, // many scores exactly on the uniform edges
      { seed: 3, grid: 20, weighted: false },
      { seed: 4, grid: 7, weighted: false },
      { seed: 5, grid: 10, weighted: true },
      { seed: 6, grid: 0, weighted: true },
    ];
    for (const { seed, grid, weighted } of cases) {
      for (const n of [1, 2, 7, 250]) {
        const r = randomRows(seed, n, { grid, weighted });
        const y = Array.from(r.yTrue);
        const p = Array.from(r.yScore);
        const w = r.weights ? Array.from(r.weights) : undefined;
        for (const nBins of [1, 3, 5, 10]) {
          for (const strategy of ['uniform', 'quantile'] as const) {
            const got = reliabilityCurveExact(r.yTrue, r.yScore, { nBins, strategy, ...(r.weights ? { weights: r.weights } : {}) });
            expect(got).toEqual(naiveCalibrationCurve(y, p, nBins, strategy, w));
          }
        }
      }
    }
  });

  it('reliabilityCurveExact(no rows) returns no bins', () => {
    expect(curve([], [])).toEqual([]);
    expect(curve([], [], { strategy: 'quantile' })).toEqual([]);
    expect(curve([1], [0.5], { weights: Float64Array.from([0]), strategy: 'quantile' })).toEqual([]);
  });

  it('reliabilityCurveExact(bad input) throws InputError from the catalogue', () => {
    const fn = 'reliabilityCurveExact';
    expect(() => curve([0, 1], [0.1, 1.5])).toThrow(messages.scoreOutOfRange(fn, 'yScore', 1, 1.5));
    expect(() => curve([0, 1], [-0.1, 0.5])).toThrow(messages.scoreOutOfRange(fn, 'yScore', 0, -0.1));
    expect(() => curve([0, 1], [0.1, NaN])).toThrow(messages.notFiniteScore(fn, 'yScore', 1, NaN));
    expect(() => curve([0, 3], [0.1, 0.2])).toThrow(messages.labelNotBinary(fn, 'yTrue', 1, 3));
    expect(() => curve([0], [0.1, 0.2])).toThrow(messages.lengthMismatch(fn, 'yTrue', 2, 1));
    expect(() => curve([0, 1], [0.1, 0.2], { nBins: 0 })).toThrow(messages.badOption(fn, 'nBins', 0, 'a positive integer'));
    expect(() => curve([0, 1], [0.1, 0.2], { strategy: 'kmeans' as 'uniform' })).toThrow(InputError);
    expect(() => curve([0, 1], [0.1, 0.2], { weights: Float64Array.from([1, NaN]) })).toThrow(messages.badWeight(fn, 'weights', 1, NaN));
  });
});
