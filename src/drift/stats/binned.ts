/**
 * KS statistic and Wasserstein-1 distance between a reference known value by value (a profile's
 * sorted sample) and a current side known only through bin counts — what a SQL engine returns
 * when drift is pushed down (`driftCounts`: per bin of stored edges, the count and the smallest
 * and largest value). The result is an estimate with guaranteed bounds on the value that the
 * current's exact values would give (`ksTwoSample` / `wasserstein1` on the same reference).
 *
 * What is known of the current ECDF F_c, with N values and B_k the share at or below bin k:
 * below a bin's smallest value mₖ it equals B_{k−1}; from its largest value Mₖ on it equals Bₖ;
 * on [mₖ, Mₖ) it is unknown but within [B_{k−1} + 1/N, Bₖ − 1/N] (at least one value is at or
 * below x, at least one above). The reference ECDF F_r is exact everywhere. On every segment
 * between consecutive breakpoints (reference values, mₖ, Mₖ) F_r is constant (a), and F_c is
 * either exact (b) or in an interval [L, U]:
 * - KS = sup |F_r − F_c| lies in [max over segments of |a − b| or dist(a, [L, U]),
 *   max of |a − b| or max(a − L, U − a)];
 * - W₁ = ∫ |F_r − F_c| dx lies in [Σ len·(|a − b| or dist(a, [L, U])), Σ len·(|a − b| or
 *   max(a − L, U − a))].
 * With each bin's sum Sₖ of values, ∫ F_c over [mₖ, Mₖ) is exact (B_{k−1}(Mₖ − mₖ) + (cₖMₖ − Sₖ)/N),
 * so the Wasserstein part of a bin is exact where F_r stays on one side of F_c (e.g. current
 * values beyond the reference's range) and at least |∫ (F_r − F_c)| elsewhere.
 * The estimates take F_c on each [mₖ, Mₖ] shaped like the reference there (the current's values
 * spread within the bin as the reference's are; linear where the reference has no values),
 * clamped to the bounds. The width of the bounds shrinks with finer bins: with edges at reference quantiles
 * k/K it is at most about the largest current bin share for KS.
 *
 * @example
 * ```ts
 * // reference 0..9; current {0.5, 1.5} in bin (−∞, 5] and {7} in (5, ∞)
 * const r = binnedComparison(new Float64Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
 *   { edges: [5], binCounts: [2, 1], binMin: [0.5, 7], binMax: [1.5, 7] });
 * [r.ks.lower <= r.ks.estimate, r.ks.estimate <= r.ks.upper]; // [true, true]
 * ```
 */
import { InputError, messages } from '../../errors.js';
import { lowerBound } from '../sketch.js';
import { checkSorted } from './validate.js';

/** The current side as bin counts (see `NumericDriftCounts`). */
export interface BinnedSide {
  edges: readonly number[];
  binCounts: readonly number[];
  binMin: readonly (number | null)[];
  binMax: readonly (number | null)[];
  /** Sum of the values in each bin (tightens Wasserstein: exact where the ECDFs cannot cross). */
  binSum?: readonly number[];
}

/** An estimate with guaranteed bounds on the exact value. */
export interface Bounded {
  estimate: number;
  lower: number;
  upper: number;
}

/** KS statistic and Wasserstein-1 of a reference sample against a binned current side. */
export interface BinnedComparison {
  ks: Bounded;
  wasserstein: Bounded;
}

interface Segment {
  /** Start of the segment (the ECDFs are constant, or F_c linear, on [x, next x)). */
  x: number;
  /** F_c exact at x (NaN when unknown). */
  b: number;
  /** Bounds and linear model of F_c on an unknown stretch [m, M). */
  lo: number;
  hi: number;
  m: number;
  M: number;
  g0: number;
  g1: number;
  /** ∫ F_c over [m, M) from the bin's sum (NaN without sums). */
  integral: number;
  /** Reference shares below m and below M (the shape model of F_c on [m, M)). */
  a0: number;
  a1: number;
}

/**
 * Bounds and estimates of KS and Wasserstein-1 (see the module doc). `reference` is sorted and
 * finite; the bins hold at least one value.
 *
 * @example
 * ```ts
 * binnedComparison(new Float64Array([0, 1]), { edges: [], binCounts: [2], binMin: [0], binMax: [1] }).ks;
 * // { estimate: 0, lower: 0, upper: 0 }   (two values with minimum 0 and maximum 1 are exactly {0, 1})
 * ```
 */
export function binnedComparison(reference: Float64Array, current: BinnedSide): BinnedComparison {
  const fn = 'binnedComparison';
  checkSorted(fn, 'reference', reference);
  const n = reference.length;
  const k = current.binCounts.length;
  if (n === 0) throw new InputError(messages.emptyInput(fn, 'reference'), 'emptyInput');
  if (k !== current.edges.length + 1 || current.binMin.length !== k || current.binMax.length !== k) {
    throw new InputError(messages.badArgument(fn, 'current', `${k} bins`, 'edges.length + 1 counts, minima and maxima'), 'badArgument');
  }
  let total = 0;
  for (const c of current.binCounts) {
    if (!(Number.isInteger(c) && c >= 0)) throw new InputError(messages.badArgument(fn, 'current.binCounts', c, 'non-negative integers'), 'badArgument');
    total += c;
  }
  if (total === 0) throw new InputError(messages.emptyInput(fn, 'current'), 'emptyInput');

  // Current breakpoints: where F_c is known exactly and where it is only bounded.
  const events: Segment[] = [];
  let before = 0;
  for (let j = 0; j < k; j++) {
    const c = current.binCounts[j]!;
    if (c === 0) continue;
    const m = current.binMin[j]!;
    const M = current.binMax[j]!;
    if (m === null || M === null || !(m <= M)) {
      throw new InputError(messages.badArgument(fn, `current.binMin[${j}]`, m, `a number <= binMax[${j}] (${M}) for a non-empty bin`), 'badArgument');
    }
    const b0 = before / total;
    const b1 = (before + c) / total;
    if (m < M) {
      // [m, M): F_c unknown in [b0 + 1/N, b1 − 1/N]; linear model from b0 to b1;
      // ∫ F_c = b0 (M − m) + Σ (M − xᵢ) / N = b0 (M − m) + (c M − S) / N
      const sum = current.binSum?.[j];
      const integral = sum === undefined ? NaN : b0 * (M - m) + (c * M - sum) / total;
      const a0 = lowerBound(reference, m) / n;
      const a1 = lowerBound(reference, M) / n;
      events.push({ x: m, b: NaN, lo: (before + 1) / total, hi: (before + c - 1) / total, m, M, g0: b0, g1: b1, integral, a0, a1 });
    }
    events.push({ x: M, b: b1, lo: NaN, hi: NaN, m: NaN, M: NaN, g0: NaN, g1: NaN, integral: NaN, a0: NaN, a1: NaN });
    before += c;
  }

  // Merge reference values and current events into segments, in order.
  let ksLo = 0;
  let ksHi = 0;
  let ksEst = 0;
  let wLo = 0;
  let wHi = 0;
  let wEst = 0;
  let i = 0; // reference values consumed (F_r = i / n)
  let e = 0; // current events consumed
  let fc: Segment | null = null; // current state (null: F_c = 0 before the first value)
  // per unknown stretch [m, M): Σ len·dist, Σ len·max gap, Σ len·|a − linear|, Σ a·len, and
  // whether F_r stays above (or below) every value F_c can take there
  let sLo = 0;
  let sHi = 0;
  let sEst = 0;
  let sA = 0;
  let above = true;
  let below = true;
  const flush = (stretch: Segment) => {
    let lo = sLo;
    let hi = sHi;
    let est = sEst;
    if (!Number.isNaN(stretch.integral)) {
      const signed = sA - stretch.integral; // ∫ (F_r − F_c), exact
      if (above || below) lo = hi = est = Math.abs(signed);
      else lo = Math.max(lo, Math.abs(signed));
    }
    hi = Math.max(hi, lo);
    wLo += lo;
    wHi += hi;
    wEst += Math.min(hi, Math.max(lo, est));
    sLo = sHi = sEst = sA = 0;
    above = below = true;
  };
  let x = Math.min(reference[0]!, events[0]!.x);
  while (i < n || e < events.length) {
    // consume everything at x
    while (i < n && reference[i]! <= x) i++;
    while (e < events.length && events[e]!.x <= x) {
      if (fc !== null && Number.isNaN(fc.b)) flush(fc);
      fc = events[e++]!;
    }
    const next = Math.min(i < n ? reference[i]! : Infinity, e < events.length ? events[e]!.x : Infinity);
    const a = i / n;
    const len = next === Infinity ? 0 : next - x;
    if (fc === null || !Number.isNaN(fc.b)) {
      const b = fc === null ? 0 : fc.b;
      const d = Math.abs(a - b);
      if (d > ksLo) ksLo = d;
      if (d > ksHi) ksHi = d;
      if (d > ksEst) ksEst = d;
      wLo += d * len;
      wHi += d * len;
      wEst += d * len;
    } else {
      const dLo = Math.max(0, fc.lo - a, a - fc.hi);
      const dHi = Math.max(a - fc.lo, fc.hi - a);
      if (dLo > ksLo) ksLo = dLo;
      if (dHi > ksHi) ksHi = dHi;
      // model of F_c on [x, next): the reference's shape within [m, M) when the reference has
      // values there (G = g0 + (g1 − g0)(F_r − a0)/(a1 − a0), constant on the segment), else linear
      let dEst: number;
      let wEstPart: number;
      if (fc.a1 - fc.a0 >= 2 / n) {
        const g = fc.g0 + ((fc.g1 - fc.g0) * (a - fc.a0)) / (fc.a1 - fc.a0);
        dEst = Math.abs(a - g);
        wEstPart = dEst * len;
      } else {
        const slope = (fc.g1 - fc.g0) / (fc.M - fc.m);
        const gx = fc.g0 + slope * (x - fc.m);
        const gn = fc.g0 + slope * ((next === Infinity ? fc.M : next) - fc.m);
        dEst = Math.max(Math.abs(a - gx), Math.abs(a - gn));
        wEstPart = absLinearIntegral(a, gx, gn, len);
      }
      if (dEst > ksEst) ksEst = dEst;
      sLo += dLo * len;
      sHi += dHi * len;
      sEst += wEstPart;
      sA += a * len;
      if (a < fc.hi) above = false;
      if (a > fc.lo) below = false;
    }
    x = next;
  }
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    ks: { estimate: clamp(ksEst, ksLo, ksHi), lower: ksLo, upper: ksHi },
    wasserstein: { estimate: clamp(wEst, wLo, wHi), lower: wLo, upper: wHi },
  };
}

/** ∫₀^len |a − g(t)| dt for g linear from g0 to g1. */
function absLinearIntegral(a: number, g0: number, g1: number, len: number): number {
  if (len <= 0) return 0;
  const lo = Math.min(g0, g1);
  const hi = Math.max(g0, g1);
  if (a <= lo || a >= hi) return len * Math.abs(a - (g0 + g1) / 2);
  // g crosses a: two triangles
  return (len * ((a - lo) ** 2 + (hi - a) ** 2)) / (2 * (hi - lo));
}
