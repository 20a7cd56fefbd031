/**
 * Wasserstein-1 (earth mover's) distance between two empirical distributions, and Evidently's
 * normed variant.
 *
 * W₁(a, b) = ∫ |F_a(x) − F_b(x)| dx, which for samples is the finite sum over the merged sorted
 * values x₍₁₎ ≤ … ≤ x₍ₙ₁₊ₙ₂₎ of |F_a(x₍ₖ₎) − F_b(x₍ₖ₎)| · (x₍ₖ₊₁₎ − x₍ₖ₎), the ECDFs taken just
 * after x₍ₖ₎ (count ≤ x / n). This is scipy's `scipy.stats.wasserstein_distance(a, b)` without
 * weights (`_cdf_distance(1, …)`, scipy/stats/_stats_py.py), computed by one linear merge of the
 * two sorted arrays instead of a sort and two searchsorted calls. Units are those of the data.
 *
 * Normed (Evidently `wasserstein_distance_norm.py`): W₁ / σ_ref, where Evidently takes
 * σ_ref = `np.std(reference)` — the population standard deviation (ddof = 0) — floored at 0.001
 * (`max(np.std(reference_data), 0.001)`). fairwatch takes σ_ref from the caller and returns NaN
 * when it is 0 or not finite, instead of dividing by 0.001; {@link populationStd} gives Evidently's σ.
 *
 * @example
 * ```ts
 * wasserstein1(new Float64Array([0, 1, 3]), new Float64Array([5, 6, 8])); // 5
 * wasserstein1(new Float64Array([0, 1]), new Float64Array([0, 1, 2]));    // 0.5 (scipy: 0.5)
 * wassersteinNormed(new Float64Array([0, 1, 3]), new Float64Array([5, 6, 8]), 2); // 2.5
 * ```
 */
import { checkSorted } from './validate.js';

/**
 * W₁ between two ascending-sorted samples (see the module comment). Throws an `InputError` when a
 * sample is empty, unsorted or holds NaN. ±Infinity values give NaN or Infinity as in scipy.
 *
 * @example
 * ```ts
 * wasserstein1(new Float64Array([0, 1, 3]), new Float64Array([5, 6, 8])); // 5
 * wasserstein1(new Float64Array([1, 2]), new Float64Array([1, 2]));       // 0
 * ```
 */
export function wasserstein1(aSorted: Float64Array, bSorted: Float64Array): number {
  checkSorted('wasserstein1', 'aSorted', aSorted);
  checkSorted('wasserstein1', 'bSorted', bSorted);
  return mergeIntegral(aSorted, bSorted);
}

/** The merge loop of {@link wasserstein1} (its own function: V8 optimises the hot loop better alone). */
function mergeIntegral(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let ai = a[0]!;
  let bj = b[0]!;
  let prev = ai < bj ? ai : bj;
  let fa = 0; // F_a = i / n1 (a division, as scipy's searchsorted(...) / n)
  let fb = 0; // F_b = j / n2
  let sum = 0;
  // Walk the merged order one value at a time. Before consuming the next value x the ECDFs stand
  // at F_a and F_b on [prev, x) (ties give zero-width steps, as scipy's np.diff does).
  while (i < n1 && j < n2) {
    const d = fa - fb;
    if (ai <= bj) {
      sum += (d < 0 ? -d : d) * (ai - prev);
      prev = ai;
      fa = ++i / n1;
      if (i < n1) ai = a[i]!;
    } else {
      sum += (d < 0 ? -d : d) * (bj - prev);
      prev = bj;
      fb = ++j / n2;
      if (j < n2) bj = b[j]!;
    }
  }
  // one sample is exhausted (its ECDF is 1): the rest of the other
  for (; i < n1; i++) {
    const x = a[i]!;
    sum += (1 - i / n1) * (x - prev);
    prev = x;
  }
  for (; j < n2; j++) {
    const x = b[j]!;
    sum += (1 - j / n2) * (x - prev);
    prev = x;
  }
  return sum;
}

/**
 * W₁ / σ_ref (Evidently's "Wasserstein distance (normed)"; threshold 0.1 by default there).
 * NaN when `referenceStd` is 0, negative or not finite. Pass the reference's population standard
 * deviation ({@link populationStd}) to reproduce Evidently (which floors σ at 0.001).
 *
 * @example
 * ```ts
 * const ref = new Float64Array([0, 1, 3]);
 * wassersteinNormed(ref, new Float64Array([5, 6, 8]), populationStd(ref)); // 4.0089186286863665 (5 / √(14/9))
 * wassersteinNormed(ref, ref, 0); // NaN
 * ```
 */
export function wassersteinNormed(aSorted: Float64Array, bSorted: Float64Array, referenceStd: number): number {
  const w = wasserstein1(aSorted, bSorted);
  return referenceStd > 0 && referenceStd < Infinity ? w / referenceStd : NaN;
}

/**
 * Population standard deviation √(Σ (x − x̄)² / n) (numpy's `np.std`, ddof = 0), two passes.
 * NaN for an empty input.
 *
 * @example
 * ```ts
 * populationStd([0, 1, 3]); // 1.247219128924647  (√(14/9))
 * populationStd([2, 2]);    // 0
 * ```
 */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}
