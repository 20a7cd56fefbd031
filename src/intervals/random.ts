/**
 * Seeded random numbers for the bootstrap: a small fast generator, uniforms, and exact binomial
 * and multinomial samplers.
 *
 * - {@link Random}: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 *   generators", ACM TOMS 2021; period 2^128 − 1) on four 32-bit words, seeded from an integer
 *   through the splitmix32 finaliser (Wellons' `lowbias32` constants). Distinct safe-integer seeds
 *   give distinct states (see {@link Random}).
 * - {@link binomial}: exact Binomial(n, p) draws (n a safe integer; tested to 1e8): inversion (chop-down search from
 *   0) when n·min(p, 1 − p) < 10, otherwise Hörmann's BTRS transformed rejection with squeeze
 *   ("The generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993), whose
 *   expected cost is O(1) in n.
 * - {@link multinomial}: Multinomial(n, weights / Σweights) over k cells by sequential conditional
 *   binomials, written into a caller-provided `Float64Array` (nothing is allocated per draw).
 *
 * Every draw is a pure function of the seed and the sequence of calls, so results are
 * reproducible across runs and platforms (only IEEE double arithmetic and `Math.imul` are used;
 * `Math.log`/`Math.exp` may differ in the last bit between engines, which can only move a
 * rejection decision on a boundary of measure ~1e-16).
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform();              // 0.2675905903518687 (the same on every run for seed 42)
 * binomial(rng, 1e7, 0.3);    // 3000245  (mean 3e6, sd 1449)
 * const out = new Float64Array(3);
 * multinomial(rng, 100, [1, 1, 2], out); // Float64Array [32, 21, 47]  (sums to 100)
 * ```
 */
import { InputError, messages } from '../errors.js';

/** splitmix32 step: Weyl increment then the `lowbias32` bijective finaliser. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x21f0aaad);
  z ^= z >>> 15;
  z = Math.imul(z, 0x735a2d97);
  z ^= z >>> 15;
  return z | 0;
}

/**
 * xoshiro128** pseudo-random generator seeded from an integer.
 *
 * Seeding: with `lo = seed mod 2^32`, `hi = floor(seed / 2^32) mod 2^32`, `m` the splitmix32
 * step (`x + 0x9e3779b9` then the `lowbias32` finaliser; a bijection), `a = m(lo)` and
 * `b = m(hi ^ 0x5bd1e995)`, the state is `[a, m(a ^ rot16(b)), b, m(b ^ rot16(a) ^ 0x6a09e667)]`.
 * Words 0 and 2 determine the seed, so distinct seeds give distinct states; word 1 is non-zero
 * when words 0 and 2 are zero, so the state is never all zero; words 1 and 3 (and hence the
 * first output, which reads word 1) depend on both halves.
 * Reference: Blackman & Vigna (2021), <https://prng.di.unimi.it/xoshiro128starstar.c>.
 *
 * @example
 * ```ts
 * const a = new Random(7), b = new Random(7);
 * a.nextUint32() === b.nextUint32(); // true
 * new Random(0).nextUint32();        // 1628385605
 * new Random(7).uniform();           // 0.9223395901391502
 * ```
 */
export class Random {
  /** The integer seed this generator was created with. */
  readonly seed: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed = 0) {
    if (!Number.isSafeInteger(seed)) {
      throw new InputError(messages.badArgument('Random', 'seed', seed, 'a safe integer'), 'badArgument', { seed });
    }
    this.seed = seed;
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const a = mix32(lo);
    const b = mix32(hi ^ 0x5bd1e995);
    this.s0 = a;
    this.s1 = mix32(a ^ ((b << 16) | (b >>> 16)));
    this.s2 = b;
    this.s3 = mix32(b ^ ((a << 16) | (a >>> 16)) ^ 0x6a09e667);
  }

  /**
   * Next 32 random bits as an unsigned integer in [0, 2^32).
   * Output function of xoshiro128**: `rotl(s1 · 5, 7) · 9`.
   * @example `new Random(1).nextUint32() // 2861728935`
   */
  nextUint32(): number {
    const s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    this.s0 = s0 ^ s3;
    this.s1 = s1;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits: `(a >>> 5) · 2^26 + (b >>> 6)` scaled by 2^−53
   * (the construction of `genrand_res53` in Matsumoto & Nishimura's MT19937 reference code).
   * @example `new Random(3).uniform() // 0.7003621406045026`
   */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * 1.1102230246251565e-16;
  }
}

/** The same generator as `new Random(seed)`. @example `createRandom(7).uniform() // 0.9223395901391502` */
export function createRandom(seed = 0): Random {
  return new Random(seed);
}

// log k! − [(k + ½) ln(k + 1) − (k + 1) + ½ ln 2π] for k = 0..9 (Stirling's tail; Hörmann 1993).
const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

/** Error of Stirling's approximation of log k! (table below 10, asymptotic series above). */
function stirlingTail(k: number): number {
  if (k <= 9) return STIRLING_TAIL[k]!;
  const kp1 = k + 1;
  const kp1sq = kp1 * kp1;
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / kp1;
}

/** Inversion by chop-down search from 0; used when n·p < 10 (p <= 0.5). Expected n·p + 1 steps. */
function binomialInversion(rng: Random, n: number, p: number): number {
  const q = 1 - p;
  const qn = Math.exp(n * Math.log1p(-p));
  const np = n * p;
  // Restart beyond mean + 10·sd (+1): a guard against rounding in U -= px; the tail beyond it has
  // probability far below 2^-53 for n·p < 10.
  const bound = Math.min(n, np + 10 * Math.sqrt(np * q + 1));
  const ratio = p / q;
  let x = 0;
  let px = qn;
  let u = rng.uniform();
  while (u > px) {
    x++;
    if (x > bound) {
      x = 0;
      px = qn;
      u = rng.uniform();
    } else {
      u -= px;
      px *= ((n - x + 1) * ratio) / x;
    }
  }
  return x;
}

/** BTRS (Hörmann 1993, transformed rejection with squeeze); requires n·p >= 10 and p <= 0.5. */
function binomialBtrs(rng: Random, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const m = Math.floor((n + 1) * p);
  const pn2 = p * (n + 2);
  // (m+1)/(r(n−m+1)) = 1 + (m + 1 − p(n+2)) / (p(n−m+1)); log1p keeps full precision for huge n.
  const fixed = (m + 0.5) * Math.log1p((m + 1 - pn2) / (p * (n - m + 1))) + stirlingTail(m) + stirlingTail(n - m);
  for (;;) {
    const u = rng.uniform() - 0.5;
    let v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    // log f(k)/f(m) via Stirling with exact tail corrections:
    // (m+½)ln(m+1) + (n−m+½)ln(n−m+1) − (k+½)ln(k+1) − (n−k+½)ln(n−k+1) + (k−m)ln r + Σ tails.
    // Each log is of a ratio near 1, taken with log1p so that n up to 1e8 and beyond keeps full
    // precision (the terms are O(n) but their sum is O(1)).
    const bound =
      fixed +
      (n + 1) * Math.log1p((k - m) / (n - k + 1)) +
      (k + 0.5) * Math.log1p((pn2 - k - 1) / (q * (k + 1))) -
      stirlingTail(k) -
      stirlingTail(n - k);
    if (v <= bound) return k;
  }
}

/**
 * One exact draw from Binomial(n, p): the number of successes in n independent trials of
 * probability p. Uses symmetry (p > ½ draws n − Binomial(n, 1 − p)), inversion when
 * n·min(p, 1 − p) < 10 and BTRS (Hörmann 1993) otherwise; the expected number of uniforms is
 * bounded independently of n, so n = 1e8 costs as little as n = 100. Throws {@link InputError} unless n is a non-negative
 * integer (at most 2^53) and 0 <= p <= 1.
 *
 * Mean n·p, variance n·p·(1 − p).
 *
 * @example
 * ```ts
 * const rng = new Random(0);
 * binomial(rng, 10, 0);      // 0
 * binomial(rng, 10, 1);      // 10
 * binomial(rng, 1e7, 0.3);   // 2999499  (mean 3e6, sd 1449)
 * ```
 */
export function binomial(rng: Random, n: number, p: number): number {
  if (!(n >= 0 && Number.isSafeInteger(n))) {
    throw new InputError(messages.badArgument('binomial', 'n', n, 'a non-negative integer'), 'badArgument', { n });
  }
  if (!(p >= 0 && p <= 1)) {
    throw new InputError(messages.badArgument('binomial', 'p', p, 'a probability in [0, 1]'), 'badArgument', { p });
  }
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  const flip = p > 0.5;
  const pp = flip ? 1 - p : p; // exact for p in [0.5, 1] (Sterbenz)
  const x = n * pp < 10 ? binomialInversion(rng, n, pp) : binomialBtrs(rng, n, pp);
  return flip ? n - x : x;
}

/**
 * One draw from Multinomial(n, π) with π_i = weights[offset + i] / Σ_j weights[offset + j]
 * (i = 0..k−1), written into `out[offset .. offset + k)`. Sequential conditional binomials:
 * X_i ~ Binomial(n − Σ_{j<i} X_j, π_i / (1 − Σ_{j<i} π_j)); the last cell with positive weight
 * takes the remainder, so cells of weight 0 always get 0 and the draw always sums to n.
 * Nothing is allocated. Throws {@link InputError} for a negative or non-finite weight, or when
 * n > 0 and all k weights are 0.
 *
 * Reference: e.g. Devroye, "Non-Uniform Random Variate Generation" (1986), XI.1.
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * multinomial(new Random(1), 1000, [0.5, 0, 0.25, 0.25], out);
 * // Float64Array [508, 0, 233, 259]: sums to 1000, the zero-weight cell stays 0
 * ```
 */
export function multinomial(
  rng: Random,
  n: number,
  weights: ArrayLike<number>,
  out: Float64Array,
  offset = 0,
  k: number = weights.length - offset,
): Float64Array {
  let total = 0;
  let last = -1;
  for (let i = 0; i < k; i++) {
    const wi = weights[offset + i]!;
    if (!(wi >= 0 && wi < Infinity)) {
      throw new InputError(
        messages.badArgument('multinomial', `weights[${offset + i}]`, wi, 'a finite non-negative number'),
        'badArgument',
        { index: offset + i, value: wi },
      );
    }
    total += wi;
    if (wi > 0) last = i;
    out[offset + i] = 0;
  }
  if (n === 0) return out;
  if (last < 0) {
    throw new InputError(
      messages.badArgument('multinomial', 'weights', Array.from({ length: k }, (_, i) => weights[offset + i]), 'at least one positive weight when n > 0'),
      'badArgument',
    );
  }
  let remaining = n;
  let rest = total;
  for (let i = 0; i < last; i++) {
    const wi = weights[offset + i]!;
    if (wi > 0) {
      const p = rest > wi ? wi / rest : 1;
      const x = binomial(rng, remaining, p);
      out[offset + i] = x;
      remaining -= x;
      if (remaining === 0) return out;
    }
    rest -= wi;
  }
  out[offset + last] = remaining;
  return out;
}
