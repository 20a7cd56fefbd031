/**
 * Tests for categorical drift: Pearson's chi-square test of homogeneity on the 2 × k table
 * (reference row, current row), its chi-square tail probability, and the pooled two-proportion
 * z-test.
 *
 * - {@link chiSquareHomogeneity}: X² = Σ_{i∈{ref,cur}} Σ_j (O_ij − E_ij)² / E_ij with
 *   E_ij = (row total_i · column total_j) / N, dof = k′ − 1 over the k′ categories seen in either
 *   row; p = P(χ²_dof ≥ X²). As scipy's `scipy.stats.chi2_contingency([ref, cur])`
 *   (scipy/stats/contingency.py), except that scipy's default `correction=True` applies Yates'
 *   continuity correction when dof = 1 — fairwatch does not unless `{ yates: true }` (DESIGN:
 *   "without Yates unless k = 2 and asked"); `{ yates: true }` reproduces scipy's default.
 *   Evidently's "chisquare" stattest is a different test: a goodness-of-fit `scipy.stats.chisquare`
 *   of the current counts against the reference proportions scaled to the current size
 *   (evidently stattests/chisquare_stattest.py); both have dof = k − 1.
 * - {@link chiSquareSf}: Q(dof/2, x/2), the regularized upper incomplete gamma function, by the
 *   series (x < a + 1) or the Lentz continued fraction (Numerical Recipes §6.2), with the prefactor
 *   xᵃe⁻ˣ/Γ(a) computed through log1p and Stirling's error term (no cancellation for large a);
 *   dof = 1 through Cody's erfc. Agrees with `scipy.stats.chi2.sf` to 1e-12 relative for
 *   dof ≤ 1000, and to 1e-11 in the far tails (p ≈ 1e-200) of dof up to 1e5.
 * - {@link zTestTwoProportions}: Evidently's "z" stattest (stattests/z_stattest.py,
 *   `proportions_diff_z_stat_ind`): z = (p₁ − p₂) / √(P(1 − P)(1/n₁ + 1/n₂)), P the pooled
 *   proportion, two-sided p = 2·(1 − Φ(|z|)) (computed here as 2·Φ(−|z|), which keeps precision
 *   in the tail).
 *
 * @example
 * ```ts
 * chiSquareHomogeneity([10, 20, 30], [20, 20, 20]);
 * // { statistic: 5.333333333333334, dof: 2, pValue: 0.0694834512228014 }  (scipy: 5.333333333333334, 0.0694834512228015)
 * chiSquareSf(3.841458820694124, 1); // 0.05000000000000006
 * zTestTwoProportions(30, 100, 45, 100); // { statistic: -2.1908902300206647, pValue: 0.02845973691631057 }
 * ```
 */
import { InputError, messages } from '../../errors.js';
import { normalSf } from '../../intervals/normal.js';
import { checkCounts } from './validate.js';

/** Result of {@link chiSquareHomogeneity}. */
export interface ChiSquareResult {
  /** Pearson's X² (after Yates' correction when it applied); NaN when a row total is 0. */
  statistic: number;
  /** Degrees of freedom k′ − 1, k′ = categories with a non-zero total. */
  dof: number;
  /** P(χ²_dof ≥ X²); 1 when dof = 0, NaN when a row total is 0. */
  pValue: number;
}

export interface ChiSquareOptions {
  /** Apply Yates' continuity correction when dof = 1 (scipy's default). Default false. */
  yates?: boolean;
}

/**
 * Chi-square test of homogeneity of the reference and current category counts (aligned on the
 * same categories; see the module comment). Categories with zero count in both rows are dropped
 * before dof is computed. A row with total 0 gives NaN statistic and p-value (scipy raises:
 * "expected frequencies has a zero element"). Throws an `InputError` for arrays of different
 * length or counts that are negative or not finite.
 *
 * @example
 * ```ts
 * chiSquareHomogeneity([10, 20, 30], [20, 20, 20]);
 * // { statistic: 5.333333333333334, dof: 2, pValue: 0.0694834512228014 }
 * chiSquareHomogeneity([12, 5, 0], [7, 9, 0], { yates: true }); // dof 1 (empty third category dropped)
 * // { statistic: 1.455996378814684, dof: 1, pValue: 0.22756821457580978 }  (scipy chi2_contingency([[12, 5], [7, 9]]): same, p 0.2275682145758064)
 * ```
 */
export function chiSquareHomogeneity(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>, options: ChiSquareOptions = {}): ChiSquareResult {
  const k = checkCounts('chiSquareHomogeneity', refCounts, curCounts);
  let R = 0;
  let C = 0;
  let kept = 0;
  for (let j = 0; j < k; j++) {
    const r = refCounts[j]!;
    const c = curCounts[j]!;
    R += r;
    C += c;
    if (r + c > 0) kept++;
  }
  const dof = Math.max(kept - 1, 0);
  if (!(R > 0) || !(C > 0)) return { statistic: NaN, dof, pValue: NaN };
  if (dof === 0) return { statistic: 0, dof, pValue: 1 };
  const N = R + C;
  const yates = options.yates === true && dof === 1;
  let stat = 0;
  for (let j = 0; j < k; j++) {
    const total = refCounts[j]! + curCounts[j]!;
    if (total === 0) continue;
    stat += cell(refCounts[j]!, (R * total) / N, yates) + cell(curCounts[j]!, (C * total) / N, yates);
  }
  return { statistic: stat, dof, pValue: chiSquareSf(stat, dof) };
}

/** (O − E)² / E, with O moved towards E by min(½, |E − O|) under Yates (scipy's rule, gh-13875). */
function cell(observed: number, expected: number, yates: boolean): number {
  let o = observed;
  if (yates) {
    const diff = expected - observed;
    o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
  }
  const d = o - expected;
  return (d * d) / expected;
}

/** Result of {@link zTestTwoProportions}. */
export interface ZTestResult {
  /** z = (p₁ − p₂) / pooled standard error (0 when the pooled proportion is 0 or 1). */
  statistic: number;
  /** Two-sided p-value 2·Φ(−|z|) (1 when the pooled proportion is 0 or 1). */
  pValue: number;
}

/**
 * Pooled two-proportion z-test of k₁/n₁ (reference) against k₂/n₂ (current), as Evidently's "z"
 * stattest (see the module comment). When the pooled proportion is 0 or 1 both samples are
 * constant with the same value; Evidently returns p = 1 for that case (before dividing 0 by 0),
 * and so does this, with statistic 0. NaN for n₁ = 0 or n₂ = 0. Throws an `InputError` unless
 * 0 ≤ k ≤ n and all four numbers are finite.
 *
 * @example
 * ```ts
 * zTestTwoProportions(30, 100, 45, 100); // { statistic: -2.1908902300206647, pValue: 0.02845973691631057 }
 * zTestTwoProportions(0, 50, 0, 80);     // { statistic: 0, pValue: 1 }
 * ```
 */
export function zTestTwoProportions(k1: number, n1: number, k2: number, n2: number): ZTestResult {
  const fn = 'zTestTwoProportions';
  for (const [name, k, n] of [
    ['k1', k1, n1],
    ['k2', k2, n2],
  ] as const) {
    if (!(n >= 0 && n < Infinity)) throw new InputError(messages.badArgument(fn, name === 'k1' ? 'n1' : 'n2', n, 'a finite number >= 0'), 'badArgument');
    if (!(k >= 0 && k <= n)) throw new InputError(messages.badArgument(fn, name, k, `a count between 0 and ${n}`), 'badArgument');
  }
  if (n1 === 0 || n2 === 0) return { statistic: NaN, pValue: NaN };
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const v = P * (1 - P) * (1 / n1 + 1 / n2);
  if (!(v > 0)) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(v);
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}

const LOG_SQRT_2PI = 0.9189385332046728; // ½ log(2π)

/** Stirling's error: log Γ(a) − [(a − ½) log a − a + ½ log 2π], for a ≥ 10 by its asymptotic series. */
function stirlingError(a: number): number {
  if (a >= 10) {
    const r = 1 / a;
    const r2 = r * r;
    // 1/(12a) − 1/(360a³) + 1/(1260a⁵) − 1/(1680a⁷) + 1/(1188a⁹) − 691/(360360a¹¹) + 1/(156a¹³)
    return (
      r *
      (1 / 12 -
        r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - r2 * (691 / 360360 - r2 / 156))))))
    );
  }
  return logGamma(a) - ((a - 0.5) * Math.log(a) - a + LOG_SQRT_2PI);
}

/** log Γ(a) for a > 0: shift up to a ≥ 10 by the recurrence, then Stirling's series. */
function logGamma(a: number): number {
  let shift = 0;
  let x = a;
  let prod = 1;
  while (x < 10) {
    prod *= x;
    x += 1;
    shift++;
  }
  const base = (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + stirlingError(x);
  return shift === 0 ? base : base - Math.log(prod);
}

/** xᵃ e⁻ˣ / Γ(a), accurately for large a: exp(−a·(r − log1p(r)) − stirlingError(a)) · √(a/2π), r = (x − a)/a. */
function gammaPrefactor(a: number, x: number): number {
  const r = (x - a) / a;
  const f = r > -0.5 && r < 1 ? r - Math.log1p(r) : x / a - 1 - Math.log(x / a);
  return Math.exp(-a * f - stirlingError(a)) * Math.sqrt(a / (2 * Math.PI));
}

/**
 * The chi-square survival function P(χ²_dof ≥ x) = Q(dof/2, x/2) (scipy's `stats.chi2.sf(x, dof)`),
 * for real dof > 0. Returns 1 for x ≤ 0, 0 for x = ∞ (and whenever the value underflows), NaN for
 * NaN or dof ≤ 0.
 *
 * @example
 * ```ts
 * chiSquareSf(3.841458820694124, 1);   // 0.05000000000000006  (the 95% point of χ²₁)
 * chiSquareSf(18.307038053275146, 10); // 0.049999999999999885 (the 95% point of χ²₁₀)
 * chiSquareSf(2000, 3);                // 0  (underflow; the true value is about 1e-432)
 * ```
 */
export function chiSquareSf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return regularizedGammaQ(dof / 2, x / 2);
}

/** Q(a, x) = Γ(a, x)/Γ(a) for a > 0, x > 0. */
function regularizedGammaQ(a: number, x: number): number {
  // a = ½ (dof 1): Q = erfc(√x) = 2·Φ(−√(2x)), to full precision with Cody's algorithm.
  if (a === 0.5) return 2 * normalSf(Math.sqrt(2 * x));
  if (x < a + 1) return 1 - lowerSeries(a, x);
  return upperFraction(a, x);
}

/** P(a, x) by the series xᵃe⁻ˣ/Γ(a+1) · Σ_{k≥0} xᵏ / ((a+1)…(a+k)). */
function lowerSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let k = 0; k < 100000; k++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  const p = sum * gammaPrefactor(a, x);
  return p > 1 ? 1 : p;
}

/** Q(a, x) by the continued fraction 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …)), modified Lentz. */
function upperFraction(a: number, x: number): number {
  const TINY = 1e-300;
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return gammaPrefactor(a, x) * h;
}
