import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../../src/errors.js';
import { populationStd, wasserstein1, wassersteinNormed } from '../../../src/drift/stats/wasserstein.js';
import { ecdf, grid, naiveWasserstein, normalSample, sorted } from './helpers.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('wasserstein1', () => {
  it('wasserstein1([0,1,3], [5,6,8]) = 5 (scipy docs: wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0)', () => {
    expect(wasserstein1(f64([0, 1, 3]), f64([5, 6, 8]))).toBe(5);
  });

  it('wasserstein1([0,1], [0,1,2]) = 0.5 worked by hand (|F_a − F_b| = 1/6 on [0,1), 1/3 on [1,2))', () => {
    expect(wasserstein1(f64([0, 1]), f64([0, 1, 2]))).toBeCloseTo(1 / 6 + 1 / 3, 15);
  });

  it('wasserstein1(a, b) for equal sizes equals the mean absolute difference of the order statistics (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) =>
          fc.tuple(
            fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
            fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
          ),
        ),
        ([xs, ys]) => {
          const a = sorted(xs);
          const b = sorted(ys);
          let s = 0;
          for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
          const expected = s / a.length;
          expect(Math.abs(wasserstein1(a, b) - expected)).toBeLessThanOrEqual(1e-9 * (1 + expected));
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('wasserstein1(a, b) equals the exact piecewise integral of |F_a − F_b| for unequal sizes with ties (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 45 }),
        (xs, ys) => {
          const expected = naiveWasserstein(xs, ys);
          expect(Math.abs(wasserstein1(sorted(xs), sorted(ys)) - expected)).toBeLessThan(1e-12 * (1 + expected));
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  });

  it('wasserstein1(a, b) agrees with a midpoint-rule integral over a fine grid', () => {
    const a = normalSample(1, 50);
    const b = normalSample(2, 70, 0.3);
    const lo = Math.min(...a, ...b);
    const hi = Math.max(...a, ...b);
    const steps = 100_000;
    const h = (hi - lo) / steps;
    let integral = 0;
    for (let k = 0; k < steps; k++) {
      const x = lo + (k + 0.5) * h;
      integral += Math.abs(ecdf(a, x) - ecdf(b, x)) * h;
    }
    expect(wasserstein1(sorted(a), sorted(b))).toBeCloseTo(integral, 3);
  });

  it('wasserstein1 is symmetric, zero on identical samples and |c| for a shift by c (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -50, max: 50 }),
        (xs, ys, c) => {
          const a = sorted(xs);
          const b = sorted(ys);
          expect(wasserstein1(a, a.slice())).toBe(0);
          expect(wasserstein1(a, b)).toBeCloseTo(wasserstein1(b, a), 10);
          expect(wasserstein1(a, sorted(xs.map((x) => x + c)))).toBeCloseTo(Math.abs(c), 10);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });

  it('wasserstein1(N(0,1), N(0.5,1)), 2000 each seeded, is within 0.1 of the true shift 0.5', () => {
    const w = wasserstein1(sorted(normalSample(11, 2000)), sorted(normalSample(12, 2000, 0.5)));
    expect(Math.abs(w - 0.5)).toBeLessThan(0.1);
  });

  it('wasserstein1 on 1e6 vs 1e6 sorted values takes tens of ms and equals the analytic grid value', () => {
    const a = grid(1_000_000);
    const b = grid(1_000_000, 1, 0.25);
    wasserstein1(a, b); // warm up
    const t0 = performance.now();
    const w = wasserstein1(a, b);
    const ms = performance.now() - t0;
    expect(w).toBeCloseTo(0.25, 9); // equal sizes: every order statistic moves by 0.25
    expect(ms).toBeLessThan(1000); // about 25 ms on the project machine
  });

  it('wasserstein1 throws InputError for an empty or unsorted sample', () => {
    expect(() => wasserstein1(f64([]), f64([1]))).toThrow(messages.emptyInput('wasserstein1', 'aSorted'));
    expect(() => wasserstein1(f64([1]), f64([2, 1]))).toThrow(InputError);
    expect(() => wasserstein1(f64([1]), f64([2, 1]))).toThrow(messages.notSortedAscending('wasserstein1', 'bSorted', 1, 1));
  });
});

describe('wassersteinNormed and populationStd', () => {
  it('populationStd([0,1,3]) = √(14/9) (np.std, ddof = 0)', () => {
    expect(populationStd([0, 1, 3])).toBeCloseTo(Math.sqrt(14 / 9), 15);
    expect(populationStd([2, 2])).toBe(0);
    expect(populationStd([])).toBeNaN();
  });

  it('wassersteinNormed(a, b, σ) = wasserstein1(a, b) / σ and NaN when σ is 0 or not finite', () => {
    const a = f64([0, 1, 3]);
    const b = f64([5, 6, 8]);
    expect(wassersteinNormed(a, b, 2)).toBe(2.5);
    expect(wassersteinNormed(a, b, populationStd(a))).toBeCloseTo(5 / Math.sqrt(14 / 9), 14);
    expect(wassersteinNormed(a, b, 0)).toBeNaN();
    expect(wassersteinNormed(a, b, Infinity)).toBeNaN();
    expect(wassersteinNormed(a, b, NaN)).toBeNaN();
  });
});
