/**
 * Distances between two discrete distributions given as counts on the same bins or categories
 * (reference r, current c). Each function normalises the counts to proportions
 * pᵢ = rᵢ / Σr and qᵢ = cᵢ / Σc, and returns NaN when either total is 0.
 *
 * | function | formula | range | reference |
 * | --- | --- | --- | --- |
 * | {@link psi} | Σ (qᵢ − pᵢ) ln(qᵢ / pᵢ), zero proportions replaced by ε = 1e-4 | 0..∞ | Evidently `psi.py` |
 * | {@link jensenShannon} | √(½ KL(p‖m) + ½ KL(q‖m)) / √ln(base), m = (p + q)/2, base 2 | 0..1 | scipy `spatial.distance.jensenshannon` |
 * | {@link hellinger} | √(1 − Σ √(pᵢ qᵢ)) = (1/√2)·‖√p − √q‖₂ | 0..1 | Evidently `hellinger_distance.py` |
 * | {@link kl} | Σ qᵢ ln(qᵢ / pᵢ) = KL(current ‖ reference), zeros replaced by ε | 0..∞ | see below |
 * | {@link tvd} | ½ Σ \|pᵢ − qᵢ\| | 0..1 | Evidently `tvd_stattest.py` |
 *
 * Where fairwatch differs from Evidently (legacy stattests, evidentlyai/evidently
 * `src/evidently/legacy/calculations/stattests/`):
 * - PSI/KL zero handling: Evidently's `get_binned_data` replaces a zero proportion by 0.0001,
 *   unless the smallest non-zero proportion of that row is ≤ 0.0001, in which case it uses
 *   that minimum / 1e6. fairwatch always uses ε (default 1e-4), per DESIGN. Neither renormalises
 *   for PSI; for KL both renormalise (scipy's `entropy`).
 * - KL direction: Evidently's "kl_div" is `scipy.stats.entropy(reference, current)` =
 *   KL(reference ‖ current). fairwatch's default is KL(current ‖ reference) (how surprising the
 *   current data is under the reference model); `{ direction: 'referenceToCurrent' }` gives
 *   Evidently's direction.
 * - Jensen–Shannon base: scipy and Evidently default to the natural log (range 0..√ln 2);
 *   fairwatch defaults to base 2 (range 0..1) and the caller records the base used.
 * - Hellinger: the same normalisation as Evidently's categorical branch (Bhattacharyya
 *   coefficient clipped to [0, 1]); Evidently's numeric branch uses density histograms on
 *   Sturges bins instead.
 * - TVD: Evidently reports a permutation-test p-value of TVD; this is the distance itself.
 *
 * @example
 * ```ts
 * psi([50, 50], [25, 75]);            // 0.2746530721670274  (= ¼·ln 3)
 * jensenShannon([1, 0], [0, 1]);      // 1
 * hellinger([1, 0], [0, 1]);          // 1
 * kl([50, 50], [25, 75]);             // 0.13081203594113697 (= 0.25 ln 0.5 + 0.75 ln 1.5)
 * tvd([50, 50], [25, 75]);            // 0.25
 * ```
 */
import { InputError, messages } from '../../errors.js';
import { checkCounts } from './validate.js';

type Counts = ArrayLike<number>;

/** Σ of the counts (validated non-negative and finite beforehand). */
function total(counts: Counts): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i]!;
  return s;
}

function checkEpsilon(fn: string, epsilon: number): void {
  if (!(epsilon > 0 && epsilon < 1)) {
    throw new InputError(messages.badOption(fn, 'epsilon', epsilon, 'a number strictly between 0 and 1'), 'badOption', { option: 'epsilon', value: epsilon });
  }
}

/**
 * Population stability index Σ (qᵢ − pᵢ) · ln(qᵢ / pᵢ) over proportions, a zero proportion replaced
 * by `epsilon` (default 1e-4). Symmetric in reference and current; 0 for equal proportions.
 * Rule of thumb (Evidently's default threshold): ≥ 0.1 drift, ≥ 0.25 major drift.
 *
 * @example
 * ```ts
 * psi([50, 50], [25, 75]);         // 0.2746530721670274
 * psi([10, 0], [5, 5]);            // 4.60431846666895  (= (0.5 − 1)·ln 0.5 + (0.5 − 1e-4)·ln(0.5 / 1e-4))
 * psi([0, 0], [1, 2]);             // NaN (no reference rows)
 * ```
 */
export function psi(ref: Counts, cur: Counts, options: { epsilon?: number } = {}): number {
  const epsilon = options.epsilon ?? 1e-4;
  checkEpsilon('psi', epsilon);
  const k = checkCounts('psi', ref, cur);
  const R = total(ref);
  const C = total(cur);
  if (R === 0 || C === 0) return NaN;
  let s = 0;
  for (let i = 0; i < k; i++) {
    const p = ref[i]! === 0 ? epsilon : ref[i]! / R;
    const q = cur[i]! === 0 ? epsilon : cur[i]! / C;
    s += (q - p) * Math.log(q / p);
  }
  return s;
}

/**
 * Jensen–Shannon distance √JSD: with m = (p + q)/2,
 * √((Σ p ln(p/m) + Σ q ln(q/m)) / (2 ln base)), terms with a zero proportion contributing 0
 * (scipy's `rel_entr`). Base 2 by default (range 0..1); scipy's `jensenshannon(p, q, base=2)`.
 * A rounding-negative divergence is clamped to 0 before the square root.
 *
 * @example
 * ```ts
 * jensenShannon([1, 0], [0, 1]);                      // 1
 * jensenShannon([1, 2, 3], [1, 2, 3]);                // 0
 * jensenShannon([1, 0], [1, 1]);                      // 0.5579230452841438 (scipy, base=2: same)
 * jensenShannon([1, 0], [0, 1], { base: Math.E });    // 0.8325546111576977 (√ln 2)
 * ```
 */
export function jensenShannon(ref: Counts, cur: Counts, options: { base?: number } = {}): number {
  const base = options.base ?? 2;
  if (!(base > 0 && base !== 1 && base < Infinity)) {
    throw new InputError(messages.badOption('jensenShannon', 'base', base, 'a finite number > 0 other than 1'), 'badOption', { option: 'base', value: base });
  }
  const k = checkCounts('jensenShannon', ref, cur);
  const R = total(ref);
  const C = total(cur);
  if (R === 0 || C === 0) return NaN;
  let left = 0;
  let right = 0;
  for (let i = 0; i < k; i++) {
    const p = ref[i]! / R;
    const q = cur[i]! / C;
    const m = (p + q) / 2;
    if (p > 0) left += p * Math.log(p / m);
    if (q > 0) right += q * Math.log(q / m);
  }
  const js = (left + right) / Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}

/**
 * Hellinger distance √(1 − BC), BC = Σ √(pᵢ qᵢ) the Bhattacharyya coefficient (clipped to
 * [0, 1]). Equals (1/√2)·‖√p − √q‖₂; range 0..1 (1 for disjoint supports).
 *
 * @example
 * ```ts
 * hellinger([1, 0], [0, 1]);     // 1
 * hellinger([50, 50], [25, 75]); // 0.18459191128251476  (= √(1 − √0.125 − √0.375))
 * ```
 */
export function hellinger(ref: Counts, cur: Counts): number {
  const k = checkCounts('hellinger', ref, cur);
  const R = total(ref);
  const C = total(cur);
  if (R === 0 || C === 0) return NaN;
  let bc = 0;
  for (let i = 0; i < k; i++) bc += Math.sqrt((ref[i]! / R) * (cur[i]! / C));
  return Math.sqrt(1 - Math.min(1, Math.max(0, bc)));
}

export interface KlOptions {
  /** Replacement for a zero proportion (default 1e-4, as PSI). */
  epsilon?: number;
  /**
   * 'currentToReference' (default): KL(current ‖ reference) = Σ q ln(q/p).
   * 'referenceToCurrent': KL(reference ‖ current) = Σ p ln(p/q), Evidently's "kl_div".
   */
  direction?: 'currentToReference' | 'referenceToCurrent';
}

/**
 * Kullback–Leibler divergence, by default KL(current ‖ reference) = Σ qᵢ ln(qᵢ / pᵢ) in nats. A
 * zero proportion is replaced by `epsilon` (1e-4) in either row so that the value stays finite,
 * and each row is then renormalised to sum 1 — as `scipy.stats.entropy`, which Evidently's
 * "kl_div" calls, does — so the result is ≥ 0. Not symmetric; 0 for equal proportions.
 *
 * @example
 * ```ts
 * kl([50, 50], [25, 75]);                                        // 0.13081203594113697
 * kl([50, 50], [25, 75], { direction: 'referenceToCurrent' });   // 0.14384103622589042 (= 0.5 ln 2 + 0.5 ln(2/3))
 * ```
 */
export function kl(ref: Counts, cur: Counts, options: KlOptions = {}): number {
  const epsilon = options.epsilon ?? 1e-4;
  checkEpsilon('kl', epsilon);
  const direction = options.direction ?? 'currentToReference';
  if (direction !== 'currentToReference' && direction !== 'referenceToCurrent') {
    throw new InputError(messages.badOption('kl', 'direction', direction, "'currentToReference' or 'referenceToCurrent'"), 'badOption', {
      option: 'direction',
      value: direction,
    });
  }
  const k = checkCounts('kl', ref, cur);
  const R = total(ref);
  const C = total(cur);
  if (R === 0 || C === 0) return NaN;
  const forward = direction === 'currentToReference';
  // totals after the ε replacement, for renormalisation
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < k; i++) {
    sp += ref[i]! === 0 ? epsilon : ref[i]! / R;
    sq += cur[i]! === 0 ? epsilon : cur[i]! / C;
  }
  let s = 0;
  for (let i = 0; i < k; i++) {
    const p = (ref[i]! === 0 ? epsilon : ref[i]! / R) / sp;
    const q = (cur[i]! === 0 ? epsilon : cur[i]! / C) / sq;
    s += forward ? q * Math.log(q / p) : p * Math.log(p / q);
  }
  return s;
}

/**
 * Total variation distance ½ Σ |pᵢ − qᵢ| (the largest difference in probability the two
 * distributions assign to any set of bins); range 0..1.
 *
 * @example
 * ```ts
 * tvd([50, 50], [25, 75]); // 0.25
 * tvd([1, 0], [0, 1]);     // 1
 * ```
 */
export function tvd(ref: Counts, cur: Counts): number {
  const k = checkCounts('tvd', ref, cur);
  const R = total(ref);
  const C = total(cur);
  if (R === 0 || C === 0) return NaN;
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.abs(ref[i]! / R - cur[i]! / C);
  return s / 2;
}
