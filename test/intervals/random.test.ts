import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { Random, binomial, createRandom, multinomial } from '../../src/intervals/random.js';

// An independent BigInt implementation of the documented seeding (splitmix32 finaliser) and of
// xoshiro128** (Blackman & Vigna's reference C code), used as the oracle for the class.
const M = 0xffffffffn;
const GAMMA = 0x9e3779b9n;
const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
function mixRef(x: bigint): bigint {
  let z = (x + GAMMA) & M;
  z ^= z >> 16n;
  z = (z * 0x21f0aaadn) & M;
  z ^= z >> 15n;
  z = (z * 0x735a2d97n) & M;
  z ^= z >> 15n;
  return z;
}
function xoshiroRef(state: bigint[]) {
  const s = [...state];
  return () => {
    const result = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
    return Number(result);
  };
}
function seededRef(seed: number) {
  const big = BigInt(seed);
  const lo = ((big % 2n ** 32n) + 2n ** 32n) % 2n ** 32n;
  const hi = (((big >= 0n ? big / 2n ** 32n : (big - 2n ** 32n + 1n) / 2n ** 32n) % 2n ** 32n) + 2n ** 32n) % 2n ** 32n;
  const a = mixRef(lo);
  const b = mixRef(hi ^ 0x5bd1e995n);
  return xoshiroRef([a, mixRef(a ^ rotl(b, 16n)), b, mixRef(b ^ rotl(a, 16n) ^ 0x6a09e667n)]);
}

const mean = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
};
const variance = (a: ArrayLike<number>) => {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return s / (a.length - 1);
};

describe('Random', () => {
  it('the reference xoshiro128** oracle reproduces the published outputs for state {1, 2, 3, 4}', () => {
    const next = xoshiroRef([1n, 2n, 3n, 4n]);
    expect([next(), next(), next(), next()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('new Random(seed).nextUint32() matches the BigInt reference of the documented seeding and generator', () => {
    for (const seed of [0, 1, 42, -1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 123, -(2 ** 45), Number.MAX_SAFE_INTEGER]) {
      const rng = new Random(seed);
      const ref = seededRef(seed);
      for (let i = 0; i < 200; i++) expect(rng.nextUint32(), `seed ${seed} draw ${i}`).toBe(ref());
    }
  });

  it('new Random(seed) is deterministic: the same seed gives the same stream, another seed another', () => {
    const a = new Random(7);
    const b = createRandom(7);
    const c = new Random(8);
    const xa = Array.from({ length: 100 }, () => a.uniform());
    const xb = Array.from({ length: 100 }, () => b.uniform());
    const xc = Array.from({ length: 100 }, () => c.uniform());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    expect(new Random().seed).toBe(0);
    // seeds that share their low 32 bits still differ from the first draw on
    expect(new Random(2 ** 32).nextUint32()).not.toBe(new Random(0).nextUint32());
    expect(new Random(-1).nextUint32()).not.toBe(new Random(2 ** 32 - 1).nextUint32());
  });

  it('Random.uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Random(123);
    const N = 200_000;
    const u = new Float64Array(N);
    for (let i = 0; i < N; i++) u[i] = rng.uniform();
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < N; i++) {
      lo = Math.min(lo, u[i]!);
      hi = Math.max(hi, u[i]!);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.01 / 12);
  });

  it('new Random(seed) throws InputError for a seed that is not a safe integer', () => {
    expect(() => new Random(0.5)).toThrow(InputError);
    expect(() => new Random(NaN)).toThrow(messages.badArgument('Random', 'seed', NaN, 'a safe integer'));
  });
});

describe('binomial', () => {
  const cases: [number, number][] = [
    [10, 0.3], // inversion
    [1000, 0.005], // inversion, n·p = 5
    [1e8, 1e-8], // inversion at huge n
    [50, 0.9], // symmetry + inversion
    [20, 0.5], // BTRS at its smallest n·p = 10
    [100, 0.3], // BTRS
    [1e7, 0.3], // BTRS, large n
    [1e8, 0.5], // BTRS, largest n
    [1e6, 0.999], // symmetry + inversion (n(1-p) = 1000 -> BTRS)
  ];
  for (const [n, p] of cases) {
    it(`binomial(rng, ${n}, ${p}) has mean n·p and variance n·p·(1−p) over many draws`, () => {
      const rng = new Random(n + Math.round(p * 1000));
      const N = 100_000;
      const x = new Float64Array(N);
      for (let i = 0; i < N; i++) x[i] = binomial(rng, n, p);
      const mu = n * p;
      const v = n * p * (1 - p);
      let bad = 0;
      for (let i = 0; i < N; i++) if (!(Number.isInteger(x[i]) && x[i]! >= 0 && x[i]! <= n)) bad++;
      expect(bad).toBe(0);
      expect(Math.abs(mean(x) - mu)).toBeLessThan(5 * Math.sqrt(v / N));
      // sd of the sample variance ≈ v·√(2/N) (normal-like); 6 sd plus a small-count allowance
      expect(Math.abs(variance(x) / v - 1)).toBeLessThan(6 * Math.sqrt(2 / N) + 0.01);
    });
  }

  // Pearson chi-square of N draws against the exact pmf, bins with expected < 5 pooled. The pmf is
  // built by the ratio recurrence f(k+1)/f(k) = (n−k)/(k+1)·p/(1−p) outwards from the mode over
  // mode ± 12 sd (clamped to [0, n]) and normalised; the mass outside is < 1e-30.
  function chiSquare(n: number, p: number, seed: number, N: number): { stat: number; df: number; outside: number } {
    const sd = Math.sqrt(n * p * (1 - p));
    const mode = Math.floor((n + 1) * p);
    const from = Math.max(0, Math.floor(mode - 12 * sd - 12));
    const to = Math.min(n, Math.ceil(mode + 12 * sd + 12));
    const f = new Float64Array(to - from + 1);
    const r = p / (1 - p);
    f[mode - from] = 1;
    for (let k = mode; k < to; k++) f[k + 1 - from] = (f[k - from]! * (n - k) * r) / (k + 1);
    for (let k = mode; k > from; k--) f[k - 1 - from] = (f[k - from]! * k) / ((n - k + 1) * r);
    let total = 0;
    for (let i = 0; i < f.length; i++) total += f[i]!;
    const counts = new Float64Array(f.length);
    const rng = new Random(seed);
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const x = binomial(rng, n, p);
      if (x < from || x > to) outside++;
      else counts[x - from]! += 1;
    }
    let stat = 0;
    let df = -1;
    let e = 0;
    let o = 0;
    for (let i = 0; i < f.length; i++) {
      e += (f[i]! / total) * N;
      o += counts[i]!;
      if (e >= 5 || i === f.length - 1) {
        stat += (o - e) ** 2 / e;
        df++;
        e = 0;
        o = 0;
      }
    }
    return { stat, df, outside };
  }
  for (const [n, p] of [
    [30, 0.2],
    [20, 0.5],
    [200, 0.3],
    [1000, 0.05],
    [60, 0.75],
    [1e5, 1e-4],
    [1e7, 0.3],
    [1e8, 0.02],
  ] as const) {
    it(`binomial(rng, ${n}, ${p}) follows the exact pmf (chi-square goodness of fit)`, () => {
      const { stat, df, outside } = chiSquare(n, p, 99, 200_000);
      expect(outside).toBe(0);
      // mean df, sd √(2df): 5 sd is far beyond any plausible statistic of a correct sampler
      expect(stat).toBeLessThan(df + 5 * Math.sqrt(2 * df));
    });
  }

  it('binomial(rng, n, 0) is 0, binomial(rng, n, 1) is n and binomial(rng, 0, p) is 0', () => {
    const rng = new Random(1);
    for (const n of [1, 10, 1e7, 1e8]) {
      expect(binomial(rng, n, 0)).toBe(0);
      expect(binomial(rng, n, 1)).toBe(n);
    }
    expect(binomial(rng, 0, 0.4)).toBe(0);
  });

  it('binomial throws InputError for a negative or fractional n and for p outside [0, 1]', () => {
    const rng = new Random(1);
    expect(() => binomial(rng, -1, 0.5)).toThrow(messages.badArgument('binomial', 'n', -1, 'a non-negative integer'));
    expect(() => binomial(rng, 2.5, 0.5)).toThrow(InputError);
    expect(() => binomial(rng, 10, 1.2)).toThrow(messages.badArgument('binomial', 'p', 1.2, 'a probability in [0, 1]'));
    expect(() => binomial(rng, 10, NaN)).toThrow(InputError);
  });

  it('binomial(rng, 1e8, p) is fast: 100000 draws well under a second', () => {
    const rng = new Random(5);
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < 100_000; i++) s += binomial(rng, 1e8, 0.3);
    expect(s / 100_000).toBeCloseTo(3e7, -2);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('multinomial', () => {
  it('multinomial(rng, n, weights, out) sums to n, leaves zero-weight cells at 0 and has mean n·π', () => {
    const rng = new Random(11);
    const weights = [0.5, 0, 0.2, 0.3, 0];
    const out = new Float64Array(5);
    const N = 20_000;
    const n = 1000;
    const sums = new Float64Array(5);
    for (let i = 0; i < N; i++) {
      multinomial(rng, n, weights, out);
      const total = out[0]! + out[1]! + out[2]! + out[3]! + out[4]!;
      if (total !== n || out[1] !== 0 || out[4] !== 0) expect.unreachable(`bad draw ${Array.from(out)}`);
      for (let k = 0; k < 5; k++) sums[k]! += out[k]!;
    }
    for (let k = 0; k < 5; k++) {
      const pi = weights[k]!;
      const sd = Math.sqrt((n * pi * (1 - pi)) / N);
      expect(Math.abs(sums[k]! / N - n * pi)).toBeLessThanOrEqual(5 * sd);
    }
  });

  it('multinomial accepts unnormalised weights and huge n (1e8) and still sums exactly to n', () => {
    const rng = new Random(3);
    const out = new Float64Array(4);
    for (let i = 0; i < 100; i++) {
      multinomial(rng, 1e8, [3, 1e-9, 7, 12], out);
      expect(out[0]! + out[1]! + out[2]! + out[3]!).toBe(1e8);
    }
    expect(Math.abs(out[3]! / 1e8 - 12 / 22)).toBeLessThan(1e-3);
  });

  it('multinomial with offset and k writes only its slice and reads weights at the same offset', () => {
    const rng = new Random(4);
    const weights = new Float64Array([9, 9, 9, 9, 1, 2, 3, 4, 9, 9, 9, 9]);
    const out = new Float64Array(12).fill(-1);
    multinomial(rng, 50, weights, out, 4, 4);
    expect(Array.from(out.subarray(0, 4))).toEqual([-1, -1, -1, -1]);
    expect(Array.from(out.subarray(8))).toEqual([-1, -1, -1, -1]);
    expect(out[4]! + out[5]! + out[6]! + out[7]!).toBe(50);
  });

  it('multinomial(rng, 0, ...) is all zeros; it throws for negative weights or all-zero weights with n > 0', () => {
    const rng = new Random(4);
    const out = new Float64Array(3).fill(7);
    multinomial(rng, 0, [0, 0, 0], out);
    expect(Array.from(out)).toEqual([0, 0, 0]);
    expect(() => multinomial(rng, 5, [0, 0, 0], out)).toThrow(InputError);
    expect(() => multinomial(rng, 5, [1, -1, 0], out)).toThrow(
      messages.badArgument('multinomial', 'weights[1]', -1, 'a finite non-negative number'),
    );
  });

  it('multinomial is deterministic for a seed', () => {
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    multinomial(new Random(9), 12345, [1, 2, 3, 4], a);
    multinomial(new Random(9), 12345, [1, 2, 3, 4], b);
    expect(a).toEqual(b);
  });
});
