/**
 * Test helpers for the drift statistics: seeded samples and naive references that the fast code
 * is compared against (each written the slow, obvious way).
 */
import { Random } from '../../../src/intervals/random.js';

/** n draws from N(mean, 1) by Box–Muller on a seeded xoshiro128** stream. */
export function normalSample(seed: number, n: number, mean = 0, sd = 1): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - rng.uniform(); // (0, 1]
    const v = rng.uniform();
    out[i] = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

/** A sorted copy by a comparator (independent of the code under test). */
export const sorted = (values: ArrayLike<number>): Float64Array => Float64Array.from(Array.from(values).sort((x, y) => x - y));

/** The uniform grid (j + ½)/n · scale + shift, j = 0..n−1 (the same doubles in numpy). */
export function grid(n: number, scale = 1, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = ((j + 0.5) / n) * scale + shift;
  return out;
}

/** ECDF #{v ≤ x}/n by a full scan. */
export function ecdf(values: ArrayLike<number>, x: number): number {
  let c = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! <= x) c++;
  return c / values.length;
}

/** max |F_a − F_b| over the pooled values, O((n + m)²). */
export function naiveKsStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (const x of [...Array.from(a), ...Array.from(b)]) d = Math.max(d, Math.abs(ecdf(a, x) - ecdf(b, x)));
  return d;
}

/** ∫ |F_a − F_b| dx, integrating the step functions exactly between consecutive pooled values. */
export function naiveWasserstein(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const xs = [...Array.from(a), ...Array.from(b)].sort((x, y) => x - y);
  let w = 0;
  for (let k = 0; k + 1 < xs.length; k++) w += Math.abs(ecdf(a, xs[k]!) - ecdf(b, xs[k]!)) * (xs[k + 1]! - xs[k]!);
  return w;
}

/** All k-subsets of {0, …, n−1} as index arrays. */
export function* subsets(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}
