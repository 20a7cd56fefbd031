/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, as scipy's
 * `scipy.stats.ks_2samp(a, b, alternative='two-sided', method='auto')` (scipy/stats/_stats_py.py).
 *
 * Statistic: D = max over the pooled values x of |F_a(x) − F_b(x)|, with the empirical CDFs
 * F(x) = #{values ≤ x} / n evaluated at every pooled value (searchsorted side='right'), so ties
 * within and across samples count as scipy counts them. One linear merge of the two sorted arrays.
 *
 * p-value (method 'auto': exact when max(n₁, n₂) ≤ 10000, scipy's MAX_AUTO_N, else asymptotic):
 * - exact: D is snapped to the lattice, h = round(D · lcm(n₁, n₂)), D = h / lcm; then
 *   P(D_{n₁,n₂} ≥ D) under H₀ by Hodges' lattice-path counting — for n₁ = n₂ = n the alternating
 *   series 2 Σ_k (−1)^{k+1} C(2n, n − kh)/C(2n, n) in Horner form (scipy `_compute_prob_outside_square`),
 *   otherwise the "inside method" recursion over the (n₁ + 1) × (n₂ + 1) lattice computing the
 *   outside probability directly (Viehmann 2021; scipy `_compute_outer_prob_inside_method`), O(n₁ · window).
 *   If that result is not a probability (rounding), scipy falls back to asymptotic, and so does this.
 *   With method 'exact' and lcm too large for a 32-bit integer, scipy switches to asymptotic; so does this.
 * - asymptotic: `kstwoSf(D, round(n₁n₂/(n₁+n₂)))`, the finite-n two-sided Kolmogorov distribution
 *   (scipy `distributions.kstwo.sf(d, np.round(en))`; `np.round` is round-half-to-even).
 *
 * The returned statistic is the lattice-snapped D when the exact method ran (as scipy returns it).
 * Agreement with scipy 1.17.1 (129 random cases with ties, n up to 150000): statistic identical,
 * p-value within 3e-13 relative.
 *
 * Cost: the statistic and the asymptotic p-value take about 20–50 ms for 1e6 vs 1e6 values (the
 * slowest asymptotic branch, 2·smirnov(n ≈ 5e5), sums ~n terms). The exact p-value for unequal
 * sizes costs O(max(n₁, n₂) · band), up to ~0.7 s at 10000 vs 9999 with a large D; equal sizes are O(n).
 *
 * @example
 * ```ts
 * ksTwoSample(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]));
 * // { statistic: 1, pValue: 0.09999999999999999, method: 'exact' }   (2 / C(6, 3) = 0.1; scipy: same)
 * ksTwoSample(sortedCopy([0.1, 0.5, 0.9, 1.3]), sortedCopy([0.2, 0.3, 0.4, 0.6, 0.7]));
 * // { statistic: 0.5, pValue: 0.5634920634920635, method: 'exact' }  (scipy: same)
 * ```
 */
import { InputError, messages } from '../../errors.js';
import { kstwoSf } from './kstwo.js';
import { checkSorted } from './validate.js';

/** Result of {@link ksTwoSample}. */
export interface KsResult {
  /** D = max |F_a − F_b| (lattice-snapped when `method` is 'exact'). */
  statistic: number;
  /** Two-sided p-value P(D' ≥ D) under H₀: both samples come from one continuous distribution. */
  pValue: number;
  /** How the p-value was computed ('exact' may have fallen back to 'asymp', as in scipy). */
  method: 'exact' | 'asymp';
}

export interface KsOptions {
  /** 'auto' (default): exact when max(n₁, n₂) ≤ 10000, else asymptotic (scipy's rule). */
  method?: 'auto' | 'exact' | 'asymp';
}

/**
 * scipy's MAX_AUTO_N: 'auto' attempts the exact p-value when both sizes are at most this.
 * @example `KS_MAX_AUTO_N // 10000`
 */
export const KS_MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

/**
 * A sorted copy of `values` as a `Float64Array` (numeric ascending order; NaN, if any, last —
 * remove missing values first). Nothing is dropped.
 *
 * @example
 * ```ts
 * sortedCopy([3, -1, 2, 2]); // Float64Array [-1, 2, 2, 3]
 * ```
 */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Two-sided two-sample Kolmogorov–Smirnov test on two ascending-sorted samples (see the module
 * comment for the formula and scipy's algorithm). Throws an `InputError` when a sample is empty,
 * unsorted or holds NaN, or when `method` is not 'auto' | 'exact' | 'asymp'.
 *
 * @example
 * ```ts
 * ksTwoSample(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]));
 * // { statistic: 1, pValue: 0.09999999999999999, method: 'exact' }
 * ksTwoSample(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]), { method: 'asymp' });
 * // { statistic: 1, pValue: 0, method: 'asymp' }   (kstwo.sf(1, round(1.5) = 2) = 0, as scipy)
 * ```
 */
export function ksTwoSample(a: Float64Array, b: Float64Array, options: KsOptions = {}): KsResult {
  const requested = options.method ?? 'auto';
  if (requested !== 'auto' && requested !== 'exact' && requested !== 'asymp') {
    throw new InputError(messages.badOption('ksTwoSample', 'method', requested, "'auto', 'exact' or 'asymp'"), 'badOption', {
      option: 'method',
      value: requested,
    });
  }
  checkSorted('ksTwoSample', 'a', a);
  checkSorted('ksTwoSample', 'b', b);
  const n1 = a.length;
  const n2 = b.length;
  let d = ksStatistic(a, b);

  let method: 'exact' | 'asymp';
  if (requested === 'auto') method = Math.max(n1, n2) <= KS_MAX_AUTO_N ? 'exact' : 'asymp';
  else method = requested;
  const g = gcd(n1, n2);
  if (requested === 'exact' && n1 / g >= INT32_MAX / (n2 / g)) method = 'asymp';

  if (method === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, method };
    method = 'asymp';
  }
  return { statistic: d, pValue: ksAsymptoticPValue(d, n1, n2), method: 'asymp' };
}

/**
 * max |F_a(x) − F_b(x)| over the pooled values, by one merge. F is evaluated as scipy does
 * (count / n, a division, so the value is bit-identical), once per distinct pooled value: after
 * the last copy of a tied value has been consumed from both samples.
 */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  let ai = a[0]!;
  let bj = b[0]!;
  let x = NaN;
  while (i < n1 && j < n2) {
    if (ai < bj) {
      x = ai;
      ai = ++i < n1 ? a[i]! : Infinity;
    } else if (bj < ai) {
      x = bj;
      bj = ++j < n2 ? b[j]! : Infinity;
    } else {
      x = ai;
      ai = ++i < n1 ? a[i]! : Infinity;
      bj = ++j < n2 ? b[j]! : Infinity;
    }
    if (ai === x || bj === x) continue; // more copies of x to come
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    else if (diff < minDiff) minDiff = diff;
  }
  // One sample is exhausted. Finish the copies of the last value x still left in the other and
  // evaluate there; beyond it the exhausted ECDF is 1 and the other only rises towards 1, so
  // |diff| only shrinks.
  while (i < n1 && a[i] === x) i++;
  while (j < n2 && b[j] === x) j++;
  const diff = i / n1 - j / n2;
  if (diff > maxDiff) maxDiff = diff;
  else if (diff < minDiff) minDiff = diff;
  return maxDiff >= -minDiff ? maxDiff : -minDiff;
}

function gcd(x: number, y: number): number {
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * The asymptotic two-sided p-value of a KS statistic d for samples of n1 and n2 values, as
 * scipy's `ks_2samp(method='asymp')`: `kstwo.sf(d, round(n1·n2 / (n1 + n2)))`.
 *
 * @example
 * ```ts
 * ksAsymptoticPValue(1, 3, 3); // 0 (kstwo.sf(1, 2))
 * ```
 */
export function ksAsymptoticPValue(d: number, n1: number, n2: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const p = kstwoSf(d, roundHalfEven((m * n) / (m + n)));
  return Number.isNaN(p) ? NaN : Math.min(1, Math.max(0, p));
}

/** Round half to even, as numpy's `np.round`. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * P(D_{n,n} ≥ h/n) = 2 Σ_{k≥1} (−1)^{k+1} C(2n, n − kh) / C(2n, n), summed in Horner form
 * 2·A₁(1 − A₂(1 − A₃(…))) where A_k = Π_{j<h} (n − kh − j)/(n + kh + j + 1) (no cancellation).
 */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    const kh = k * h;
    for (let j = 0; j < h; j++) p1 = ((n - kh - j) * p1) / (n + kh + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * The proportion of monotone lattice paths from (0, 0) to (m, n) that leave the band
 * |x/m − y/n| < h/lcm(m, n), computed as 1 − inside directly (Viehmann 2021, arXiv:2102.08037;
 * Hodges 1958): one sliding column of the path table, each entry a probability.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(lenA, maxj - minj + (lastlen - curlen)));
  }
  return A[maxj - minj - 1]!;
}
