import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../../src/errors.js';
import { ksTwoSample, sortedCopy } from '../../../src/drift/stats/ks.js';
import { grid, naiveKsStatistic, normalSample, sorted, subsets } from './helpers.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('sortedCopy', () => {
  it('sortedCopy(values) sorts numerically, keeps duplicates and leaves the input alone', () => {
    const input = [10, 9, 1, -2, 9];
    const out = sortedCopy(input);
    expect(Array.from(out)).toEqual([-2, 1, 9, 9, 10]);
    expect(out).toBeInstanceOf(Float64Array);
    expect(input).toEqual([10, 9, 1, -2, 9]);
  });
});

describe('ksTwoSample — hand-worked exact cases', () => {
  it('ksTwoSample([1,2,3], [4,5,6]) is D = 1 with exact p = 2 / C(6,3) = 0.1', () => {
    // Under H0 the 20 ways to choose which 3 of 6 ranks belong to a are equally likely; D = 1
    // only for the two complete separations. scipy 1.17.1: statistic 1.0, pvalue 0.09999999999999999.
    const r = ksTwoSample(f64([1, 2, 3]), f64([4, 5, 6]));
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeCloseTo(0.1, 15);
    expect(r.method).toBe('exact');
  });

  it('ksTwoSample([1], [2,3]) is D = 1 with exact p = 2/3 (a lowest or highest of 3 ranks)', () => {
    const r = ksTwoSample(f64([1]), f64([2, 3]));
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeCloseTo(2 / 3, 15);
  });

  it('ksTwoSample([1,2], [3,4,5]) is D = 1 with exact p = 2 / C(5,2) = 0.2', () => {
    const r = ksTwoSample(f64([1, 2]), f64([3, 4, 5]));
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeCloseTo(0.2, 15);
  });

  it('ksTwoSample(a, b) evaluates both ECDFs after all ties at a value (scipy side="right")', () => {
    // a = [1, 2, 2, 3], b = [2, 2, 2, 4]: at x = 2, F_a = 3/4 and F_b = 3/4 (not 1/4 vs 0 mid-tie);
    // the largest gap is at x = 1 (1/4 − 0) and x = 3 (1 − 3/4): D = 1/4.
    const r = ksTwoSample(f64([1, 2, 2, 3]), f64([2, 2, 2, 4]));
    expect(r.statistic).toBe(0.25);
  });

  it('ksTwoSample(a, b) matches scipy 1.17.1 ks_2samp([0.1,0.5,0.9,1.3], [0.2,0.3,0.4,0.6,0.7]) = (0.5, 0.5634920634920635)', () => {
    const r = ksTwoSample(sortedCopy([0.1, 0.5, 0.9, 1.3]), sortedCopy([0.2, 0.3, 0.4, 0.6, 0.7]));
    expect(r.statistic).toBe(0.5);
    expect(r.pValue).toBeCloseTo(0.5634920634920635, 14);
  });
});

describe('ksTwoSample — exact p-value against full enumeration of rank assignments', () => {
  // For continuous data the exact null distribution of D is that of the C(n1 + n2, n1) equally
  // likely ways to give ranks to sample a. Enumerate them all, and for every attainable value of
  // D compare P(D' >= D) with ksTwoSample on a sample that attains it.
  const sizes: [number, number][] = [
    [3, 3],
    [4, 6],
    [5, 7],
    [6, 6],
    [2, 9],
    [7, 8],
    [8, 8],
  ];
  for (const [n1, n2] of sizes) {
    it(`ksTwoSample(a, b, { method: 'exact' }) equals the enumerated null distribution for n1 = ${n1}, n2 = ${n2}`, () => {
      const N = n1 + n2;
      const all: { d: number; a: number[] }[] = [];
      for (const s of subsets(N, n1)) {
        const inA = new Uint8Array(N);
        for (const i of s) inA[i] = 1;
        let i = 0;
        let j = 0;
        let d = 0;
        for (let r = 0; r < N; r++) {
          if (inA[r]) i++;
          else j++;
          d = Math.max(d, Math.abs(i * n2 - j * n1)); // D · n1 · n2, an integer
        }
        all.push({ d, a: s });
      }
      const levels = new Map<number, number[]>();
      for (const { d, a } of all) if (!levels.has(d)) levels.set(d, a);
      expect(levels.size).toBeGreaterThan(1);
      for (const [d, a] of levels) {
        const pEnum = all.filter((x) => x.d >= d).length / all.length;
        const b = [...Array(N).keys()].filter((r) => !a.includes(r));
        const r = ksTwoSample(f64(a), f64(b), { method: 'exact' });
        expect(r.statistic).toBeCloseTo(d / (n1 * n2), 15);
        expect(r.pValue).toBeCloseTo(pEnum, 13);
        // ... and the same with the samples swapped
        expect(ksTwoSample(f64(b), f64(a), { method: 'exact' }).pValue).toBeCloseTo(pEnum, 13);
      }
    });
  }
});

describe('ksTwoSample — statistic against the naive O(n·m) ECDF scan', () => {
  it('ksTwoSample(a, b).statistic equals max |F_a − F_b| over pooled values for random samples with ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }),
        (xs0, ys0) => {
          // ±5 stand for ±Infinity, which are legitimate sorted values
          const inf = (v: number) => (v === 5 ? Infinity : v === -5 ? -Infinity : v);
          const xs = xs0.map(inf);
          const ys = ys0.map(inf);
          const r = ksTwoSample(sorted(xs), sorted(ys), { method: 'asymp' });
          expect(Math.abs(r.statistic - naiveKsStatistic(xs, ys))).toBeLessThan(1e-15);
        },
      ),
      { numRuns: 300, seed: 20240601 },
    );
  });

  it('ksTwoSample(a, b) agrees with the naive statistic on seeded normal samples of 300 and 457', () => {
    const a = normalSample(1, 300);
    const b = normalSample(2, 457, 0.2);
    const r = ksTwoSample(sorted(a), sorted(b));
    expect(r.statistic).toBeCloseTo(naiveKsStatistic(a, b), 14);
  });
});

describe('ksTwoSample — scipy 1.17.1 reference values (asymptotic and large exact cases)', () => {
  // Samples are uniform grids (j + 0.5)/n · scale + shift, built with the same double operations
  // in numpy; expected values from scipy.stats.ks_2samp(a, b, method=...) in scipy 1.17.1.
  // The comment names the branch of scipy's kstwo.sf(d, round(n1·n2/(n1+n2))) that is exercised.
  const cases: { n1: number; n2: number; s: number; t: number; method: 'auto' | 'exact' | 'asymp'; d: number; p: number; branch: string }[] = [
    { n1: 12000, n2: 12000, s: 1, t: 0.002, method: 'auto', d: 0.0020833333333333814, p: 1, branch: 'Durbin matrix, n = 6000' },
    { n1: 12000, n2: 12000, s: 1, t: 0.01, method: 'auto', d: 0.010083333333333389, p: 0.5717149480626742, branch: 'Pelz–Good, n = 6000' },
    { n1: 12000, n2: 12000, s: 1, t: 0.03, method: 'auto', d: 0.03008333333333335, p: 3.758972314069517e-5, branch: '2·smirnov, n = 6000' },
    { n1: 12000, n2: 12000, s: 1, t: 0.3, method: 'auto', d: 0.30008333333333337, p: 0, branch: 'n·d² ≥ 370' },
    { n1: 10001, n2: 60, s: 1, t: 0, method: 'auto', d: 0.008382495083824937, p: 1, branch: 'Ruben–Gambino d ≤ 1/n, n = 60' },
    { n1: 10001, n2: 60, s: 1, t: 0.08, method: 'auto', d: 0.08838282838382822, p: 0.7032701345079857, branch: 'Durbin matrix, n = 60' },
    { n1: 10001, n2: 60, s: 1, t: 0.2, method: 'auto', d: 0.208382495083825, p: 0.009187593088001322, branch: 'Pomeranz, n = 60' },
    { n1: 10001, n2: 60, s: 1.1, t: 0.35, method: 'auto', d: 0.41666666666666663, p: 5.990097237476125e-10, branch: 'Miller 2·smirnov, n = 60' },
    { n1: 10001, n2: 60, s: 0.5, t: 0.6, method: 'auto', d: 0.6041395860413958, p: 1.6635677266506071e-21, branch: 'exact 2·smirnov, d ≥ ½' },
    { n1: 20000, n2: 150000, s: 1, t: 0.004, method: 'auto', d: 0.004026666666666734, p: 0.9360325370713833, branch: 'Pelz–Good, n = 17647' },
    { n1: 30, n2: 40, s: 1.2, t: 0.1, method: 'asymp', d: 0.275, p: 0.12559309065719104, branch: 'forced asymp, n = 17' },
    { n1: 300, n2: 200, s: 1, t: 0.05, method: 'asymp', d: 0.053333333333333344, p: 0.8661515000141586, branch: 'forced asymp, n = 120' },
    { n1: 30, n2: 40, s: 1.2, t: 0.1, method: 'exact', d: 0.275, p: 0.12755887464860563, branch: 'exact, inside method' },
    { n1: 700, n2: 300, s: 1.05, t: 0.02, method: 'auto', d: 0.06857142857142857, p: 0.2653525853375073, branch: 'exact, inside method' },
  ];
  for (const c of cases) {
    it(`ksTwoSample(${c.n1} vs ${c.n2}, { method: '${c.method}' }) gives scipy's p = ${c.p} (${c.branch})`, () => {
      const r = ksTwoSample(grid(c.n1), grid(c.n2, c.s, c.t), { method: c.method });
      expect(r.statistic).toBe(c.d);
      if (c.p === 0) expect(r.pValue).toBe(0);
      else expect(Math.abs(r.pValue - c.p) / c.p).toBeLessThan(1e-9);
      expect(r.method).toBe(c.method === 'exact' || (c.method === 'auto' && Math.max(c.n1, c.n2) <= 10000) ? 'exact' : 'asymp');
    });
  }

  it("ksTwoSample(1e6 vs 1e6 sorted) matches scipy's asymptotic p = 0.00024484908596748666 in tens of ms", () => {
    const a = grid(1_000_000);
    const b = grid(1_000_000, 1, 0.003);
    ksTwoSample(a, b); // warm up the JIT
    const t0 = performance.now();
    const r = ksTwoSample(a, b);
    const ms = performance.now() - t0;
    expect(r.statistic).toBe(0.0030010000000000314);
    expect(r.method).toBe('asymp');
    // the slowest asymptotic branch: 2·smirnov(500000, d), a sum of ~5e5 terms
    expect(Math.abs(r.pValue - 0.00024484908596748666) / 0.00024484908596748666).toBeLessThan(1e-9);
    expect(ms).toBeLessThan(1000); // about 60 ms on the project machine; generous for loaded CI
  });

  it('ksTwoSample(n1, n2 = 1, 1, { method: "asymp" }) is NaN like scipy (round(0.5) = 0 gives kstwo(n = 0))', () => {
    expect(ksTwoSample(f64([0]), f64([1]), { method: 'asymp' }).pValue).toBeNaN();
    expect(ksTwoSample(f64([0]), f64([1])).pValue).toBe(1); // exact: D = 1 is the only value
  });
});

describe('ksTwoSample — properties', () => {
  it('ksTwoSample(a, a) is D = 0 and p = 1 for any sample (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), (xs) => {
        const s = sorted(xs);
        const r = ksTwoSample(s, s.slice());
        expect(r.statistic).toBe(0);
        expect(r.pValue).toBe(1);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('ksTwoSample(a, b) equals ksTwoSample(b, a) and is invariant under a strictly increasing transform (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 30 }),
        (xs, ys) => {
          const ab = ksTwoSample(sorted(xs), sorted(ys));
          const ba = ksTwoSample(sorted(ys), sorted(xs));
          expect(ba.statistic).toBe(ab.statistic);
          expect(Math.abs(ba.pValue - ab.pValue)).toBeLessThan(1e-12);
          const t = (v: number) => Math.exp(v / 10) * 3 - 1;
          const tr = ksTwoSample(sorted(xs.map(t)), sorted(ys.map(t)));
          expect(tr.statistic).toBe(ab.statistic);
          expect(tr.pValue).toBe(ab.pValue);
          expect(ab.pValue).toBeGreaterThanOrEqual(0);
          expect(ab.pValue).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('ksTwoSample(N(0,1) vs N(0.5,1), 2000 each, seeded) rejects with p < 1e-6, exactly and asymptotically', () => {
    const a = sorted(normalSample(101, 2000));
    const b = sorted(normalSample(202, 2000, 0.5));
    const exact = ksTwoSample(a, b);
    expect(exact.method).toBe('exact');
    expect(exact.pValue).toBeLessThan(1e-6);
    // population D = 2Φ(0.25) − 1 = 0.197; the sample D is within a few 1/√1000 of it
    expect(exact.statistic).toBeGreaterThan(0.12);
    expect(exact.statistic).toBeLessThan(0.28);
    expect(ksTwoSample(a, b, { method: 'asymp' }).pValue).toBeLessThan(1e-6);
  });

  it('ksTwoSample(N(0,1) vs N(0,1), 2000 each, seeded) does not reject at 0.01', () => {
    const r = ksTwoSample(sorted(normalSample(303, 2000)), sorted(normalSample(404, 2000)));
    expect(r.pValue).toBeGreaterThan(0.01);
  });
});

describe('ksTwoSample — invalid input', () => {
  it('ksTwoSample(a, []) throws InputError emptyInput', () => {
    expect(() => ksTwoSample(f64([1]), f64([]))).toThrow(InputError);
    expect(() => ksTwoSample(f64([1]), f64([]))).toThrow(messages.emptyInput('ksTwoSample', 'b'));
  });

  it('ksTwoSample(unsorted, b) throws InputError notSortedAscending naming the index', () => {
    expect(() => ksTwoSample(f64([1, 3, 2]), f64([1]))).toThrow(messages.notSortedAscending('ksTwoSample', 'a', 2, 2));
    expect(() => ksTwoSample(f64([1, NaN]), f64([1]))).toThrow(messages.notSortedAscending('ksTwoSample', 'a', 1, NaN));
  });

  it('ksTwoSample(a, b, { method: "fast" }) throws InputError badOption', () => {
    // @ts-expect-error invalid on purpose
    expect(() => ksTwoSample(f64([1]), f64([2]), { method: 'fast' })).toThrow(InputError);
  });
});
