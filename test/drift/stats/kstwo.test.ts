import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kstwoSf, smirnovSf } from '../../../src/drift/stats/kstwo.js';

/** Birnbaum–Tingey sum written out directly (plain powers; fine for small n). */
function naiveSmirnov(n: number, d: number): number {
  let s = 0;
  let binom = 1;
  for (let v = 0; v <= Math.floor(n * (1 - d)); v++) {
    if (1 - d - v / n > 0) s += binom * (d + v / n) ** (v - 1) * (1 - d - v / n) ** (n - v);
    binom = (binom * (n - v)) / (v + 1);
  }
  return d * s;
}

/** Kolmogorov's limit P(√n·D_n ≥ z) → 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²z²}. */
function kolmogorovLimit(z: number): number {
  let s = 0;
  for (let k = 1; k < 100; k++) s += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * z * z);
  return s;
}

// [n, d, scipy.stats.kstwo.sf(d, n), scipy.special.smirnov(n, d)] from scipy 1.17.1.
const SCIPY: [number, number, number, number][] = [
  [1, 0.7, 0.6000000000000001, 0.30000000000000004],
  [2, 0.3, 0.98, 0.61],
  [2, 0.8, 0.07999999999999996, 0.03999999999999998],
  [5, 0.15, 0.9988, 0.7376490625000001],
  [5, 0.5, 0.112, 0.056],
  [10, 0.3, 0.27053557479999946, 0.1354635556],
  [10, 0.12, 0.9948566839762616, 0.695350374250032],
  [50, 0.1, 0.6623112704658186, 0.34490701996888],
  [50, 0.2, 0.03143877776953241, 0.01571942744940561],
  [50, 0.35, 5.573523514803185e-6, 2.7867617574015925e-6],
  [140, 0.05, 0.8576480297656114, 0.4806544721283515],
  [141, 0.05, 0.854845693009663, 0.47825576606563275],
  [141, 0.2, 2.0276784223976912e-5, 1.0138392111988456e-5],
  [1000, 0.02, 0.8108971656895577, 0.44342498843949424],
  [1000, 0.05, 0.013012074781090332, 0.006506037390545166],
  [1000, 0.3, 2.590715705736845e-80, 1.2953578528684224e-80],
  [20000, 0.004, 0.9048968240702959, 0.525890729063143],
  [20000, 0.012, 0.006251252284121751, 0.0031256261420608755],
  [100000, 0.0004, 1.0, 0.9682484161722771],
  [100001, 0.002, 0.8178361459744294, 0.4487271468866548],
  [500000, 0.003, 0.00024632301239186754, 0.00012316150619593377],
  [2000000, 0.0015, 0.00024657290508461606, 0.00012328645254230803],
  [2000000, 0.05, 0, 0],
];

describe('kstwoSf', () => {
  it('kstwoSf(d, n) matches scipy.stats.kstwo.sf to 1e-9 relative across every method region', () => {
    for (const [n, d, sf] of SCIPY) {
      const v = kstwoSf(d, n);
      if (sf === 0) expect(v).toBe(0);
      else expect(Math.abs(v - sf) / sf).toBeLessThan(1e-9);
    }
  });

  it('kstwoSf(d, 1) = 2(1 − d) on [½, 1] (D₁ = max(U, 1 − U)), 1 below ½ and 0 at 1', () => {
    for (const d of [0.5, 0.55, 0.7, 0.99]) expect(kstwoSf(d, 1)).toBeCloseTo(2 * (1 - d), 14);
    expect(kstwoSf(0.3, 1)).toBe(1);
    expect(kstwoSf(1, 1)).toBe(0);
  });

  it('kstwoSf(d, 2) equals the Ruben–Gambino closed forms: 1 − ½(4d − 1)² for d ≤ ½ and 2(1 − d)² beyond', () => {
    // n!/nⁿ (2nd − 1)ⁿ = ½(4d − 1)² for 1/4 ≤ d ≤ 1/2; P = 2(1 − d)ⁿ for nd ≥ n − 1
    for (const d of [0.26, 0.3, 0.45, 0.5]) expect(kstwoSf(d, 2)).toBeCloseTo(1 - 0.5 * (4 * d - 1) ** 2, 14);
    for (const d of [0.5, 0.6, 0.9]) expect(kstwoSf(d, 2)).toBeCloseTo(2 * (1 - d) ** 2, 14);
  });

  it('kstwoSf(z/√n, n) approaches Kolmogorov’s limit for n = 1e6 (error O(1/√n))', () => {
    for (const z of [0.6, 1, 1.36, 2]) expect(Math.abs(kstwoSf(z / 1000, 1e6) - kolmogorovLimit(z))).toBeLessThan(3e-3);
  });

  it('kstwoSf(d, n) is non-increasing in d and within [0, 1] (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n, x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        const a = kstwoSf(lo, n);
        const b = kstwoSf(hi, n);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(b).toBeLessThanOrEqual(a + 1e-12);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('kstwoSf(d, n) is NaN for NaN d or a non-integer or non-positive n', () => {
    expect(kstwoSf(NaN, 5)).toBeNaN();
    expect(kstwoSf(0.3, 2.5)).toBeNaN();
    expect(kstwoSf(0.3, 0)).toBeNaN();
  });
});

describe('smirnovSf', () => {
  it('smirnovSf(n, d) matches scipy.special.smirnov to 1e-9 relative', () => {
    for (const [n, d, , sm] of SCIPY) {
      const v = smirnovSf(n, d);
      if (sm === 0) expect(v).toBe(0);
      else expect(Math.abs(v - sm) / sm).toBeLessThan(1e-9);
    }
  });

  it('smirnovSf(5, 0.5) = ½ · (0.5⁵/0.5 + 5·0.3⁴ + 10·0.9·0.1³) = 0.056 worked by hand', () => {
    expect(smirnovSf(5, 0.5)).toBeCloseTo(0.056, 15);
  });

  it('smirnovSf(n, d) equals the directly summed Birnbaum–Tingey formula for n ≤ 40', () => {
    for (let n = 2; n <= 40; n += 3) {
      for (const d of [0.03, 0.1, 0.17, 0.33, 0.5, 0.71, 0.9]) {
        const expected = naiveSmirnov(n, d);
        expect(Math.abs(smirnovSf(n, d) - expected)).toBeLessThan(1e-13 + 1e-11 * expected);
      }
    }
  });

  it('smirnovSf(1, d) = 1 − d, smirnovSf(n, 0) = 1 and smirnovSf(n, 1) = 0', () => {
    expect(smirnovSf(1, 0.25)).toBe(0.75);
    expect(smirnovSf(7, 0)).toBe(1);
    expect(smirnovSf(7, 1)).toBe(0);
    expect(smirnovSf(7, 1.5)).toBeNaN();
  });
});
