/**
 * Wilson score intervals for a proportion (without continuity correction).
 *
 * With p̂ = x / n, z = Φ⁻¹(1 − α/2) and α = 1 − confidence:
 *
 *   centre    = (p̂ + z²/(2n)) / (1 + z²/n)
 *   halfWidth = z · √(p̂(1 − p̂)/n + z²/(4n²)) / (1 + z²/n)
 *   [low, high] = centre ∓ halfWidth
 *
 * Reference: E. B. Wilson, "Probable inference, the law of succession, and statistical
 * inference", JASA 22 (1927), 209–212; the same arithmetic as statsmodels
 * `proportion_confint(count, nobs, alpha, method='wilson')`. Where we differ: bounds are clamped
 * to [0, 1] and are exactly 0 at x = 0 and exactly 1 at x = n (the formula's subtraction leaves
 * about ±1e-17 of rounding there), and n = 0 gives NaN bounds (statsmodels divides by zero).
 *
 * @example
 * ```ts
 * wilsonInterval(8, 10);                        // { low: 0.49016247..., high: 0.94331785... }
 * wilsonFromProportion(0.8, 10);                // the same interval
 * wilsonInterval(8, 10, { confidence: 0.9 });   // { low: 0.5407928..., high: 0.9314420... }
 * ```
 */
import { InputError, messages } from '../errors.js';
import { normalQuantile } from './normal.js';

export interface WilsonOptions {
  /** Confidence level in (0, 1); default 0.95. */
  confidence?: number;
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * Validated confidence level (default 0.95); throws InputError via messages.badOption.
 *
 * @example
 * ```ts
 * checkConfidence('wilsonInterval', undefined); // 0.95
 * checkConfidence('wilsonInterval', 0.9);       // 0.9
 * checkConfidence('wilsonInterval', 1.5);
 * // throws InputError: 'wilsonInterval: option confidence = 1.5 is invalid; expected a number strictly between 0 and 1'
 * ```
 */
export function checkConfidence(fn: string, confidence: unknown): number {
  const c = confidence === undefined ? 0.95 : confidence;
  if (typeof c !== 'number' || !(c > 0 && c < 1)) {
    throw new InputError(messages.badOption(fn, 'confidence', c, 'a number strictly between 0 and 1'), 'badOption', {
      option: 'confidence',
      value: c,
    });
  }
  return c;
}

/**
 * Wilson score interval of a proportion given as p̂ and a sample size n (formula in the module
 * doc). For a weighted rate pass the weighted proportion as `p` and the raw row count as `n`.
 * Returns NaN bounds when n = 0. Throws {@link InputError} when p is not in [0, 1], n is negative
 * or not finite, or the confidence is not in (0, 1).
 *
 * @example
 * ```ts
 * wilsonFromProportion(0.8, 10);  // { low: 0.4901625..., high: 0.9433178... }
 * wilsonFromProportion(0.5, 0);   // { low: NaN, high: NaN }
 * ```
 */
export function wilsonFromProportion(p: number, n: number, options: WilsonOptions = {}): Interval {
  const fn = 'wilsonFromProportion';
  const confidence = checkConfidence(fn, options.confidence);
  if (!(n >= 0 && n < Infinity)) {
    throw new InputError(messages.badArgument(fn, 'n', n, 'a finite number >= 0'), 'badArgument', { n });
  }
  if (n === 0) return { low: NaN, high: NaN };
  if (!(p >= 0 && p <= 1)) {
    throw new InputError(messages.badArgument(fn, 'p', p, 'a proportion in [0, 1]'), 'badArgument', { p });
  }
  return wilsonCore(p, n, zFor(confidence));
}

/**
 * Wilson score interval for `successes` out of `n` trials (formula in the module doc; matches
 * statsmodels `proportion_confint(method='wilson')`). `successes` may be fractional (e.g. a
 * weighted count scaled to n) but must lie in [0, n]. Returns NaN bounds when n = 0.
 *
 * @example
 * ```ts
 * wilsonInterval(8, 10);   // { low: 0.4901625..., high: 0.9433178... }  (statsmodels: [0.4901625, 0.9433178])
 * wilsonInterval(0, 10);   // { low: 0, high: 0.2775328... }
 * wilsonInterval(0, 0);    // { low: NaN, high: NaN }
 * ```
 */
export function wilsonInterval(successes: number, n: number, options: WilsonOptions = {}): Interval {
  const fn = 'wilsonInterval';
  const confidence = checkConfidence(fn, options.confidence);
  if (!(n >= 0 && n < Infinity)) {
    throw new InputError(messages.badArgument(fn, 'n', n, 'a finite number >= 0'), 'badArgument', { n });
  }
  if (!(successes >= 0 && successes <= n)) {
    throw new InputError(messages.badArgument(fn, 'successes', successes, `a number in [0, n = ${n}]`), 'badArgument', {
      successes,
      n,
    });
  }
  if (n === 0) return { low: NaN, high: NaN };
  return wilsonCore(successes / n, n, zFor(confidence));
}

/** z = Φ⁻¹(1 − α/2) = −Φ⁻¹(α/2) (statsmodels: `norm.isf(alpha / 2)`), taken in the lower tail for precision. */
function zFor(confidence: number): number {
  return -normalQuantile((1 - confidence) / 2);
}

function wilsonCore(p: number, n: number, z: number): Interval {
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At p̂ = 0 (1) the exact lower (upper) bound is 0 (1); the subtraction leaves ±1e-17 of rounding.
  return { low: p === 0 ? 0 : Math.max(0, centre - half), high: p === 1 ? 1 : Math.min(1, centre + half) };
}
