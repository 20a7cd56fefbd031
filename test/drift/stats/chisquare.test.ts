import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../../src/errors.js';
import { chiSquareHomogeneity, chiSquareSf, zTestTwoProportions } from '../../../src/drift/stats/chisquare.js';
import { normalSf } from '../../../src/intervals/normal.js';

/** Closed form for even dof = 2m: Q = e^{−x/2} Σ_{k<m} (x/2)^k / k!. */
function sfEvenDof(x: number, dof: number): number {
  let term = 1;
  let s = 1;
  for (let k = 1; k < dof / 2; k++) {
    term *= x / 2 / k;
    s += term;
  }
  return Math.exp(-x / 2) * s;
}

/** Textbook Pearson statistic on the 2 × k table (all categories must have a non-zero total). */
function textbookChi2(ref: number[], cur: number[]): number {
  const rows = [ref, cur];
  const rowTot = rows.map((r) => r.reduce((s, v) => s + v, 0));
  const n = rowTot[0]! + rowTot[1]!;
  let x2 = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < ref.length; j++) {
      const e = (rowTot[i]! * (ref[j]! + cur[j]!)) / n;
      x2 += (rows[i]![j]! - e) ** 2 / e;
    }
  }
  return x2;
}

describe('chiSquareSf', () => {
  it('chiSquareSf(x, dof) returns 0.05 at the tabulated 95% points 3.841458820694124 (dof 1) and 18.307038053275146 (dof 10)', () => {
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
    expect(chiSquareSf(18.307038053275146, 10)).toBeCloseTo(0.05, 14);
    expect(chiSquareSf(5.991464547107979, 2)).toBeCloseTo(0.05, 14);
    expect(chiSquareSf(6.6348966010212145, 1)).toBeCloseTo(0.01, 14);
  });

  it('chiSquareSf(x, 2m) equals the closed form e^{−x/2} Σ (x/2)^k/k! to 1e-12 relative', () => {
    for (const dof of [2, 4, 6, 10, 20, 50, 100]) {
      for (const x of [1e-8, 0.01, 0.5, 1, 3, dof - 1, dof, dof + 2, 2 * dof, 5 * dof, 200, 600]) {
        const expected = sfEvenDof(x, dof);
        expect(Math.abs(chiSquareSf(x, dof) - expected) / expected).toBeLessThan(1e-12);
      }
    }
  });

  it('chiSquareSf(x, 1) = 2Φ(−√x) and chiSquareSf(x, 3) = 2Φ(−√x) + √(2x/π)e^{−x/2}', () => {
    for (const x of [1e-6, 0.3, 1, 4, 10, 50, 300]) {
      const q1 = 2 * normalSf(Math.sqrt(x));
      expect(Math.abs(chiSquareSf(x, 1) - q1) / q1).toBeLessThan(1e-12);
      const q3 = q1 + Math.sqrt((2 * x) / Math.PI) * Math.exp(-x / 2);
      expect(Math.abs(chiSquareSf(x, 3) - q3) / q3).toBeLessThan(1e-12);
    }
  });

  it('chiSquareSf matches scipy.stats.chi2.sf for large dof and far tails (scipy 1.17.1 values)', () => {
    // [x, dof, scipy.stats.chi2.sf(x, dof)]
    const cases: [number, number, number][] = [
      [1000, 1000, 0.49405285382923964],
      [1100, 1000, 0.014614408126295192],
      [8079.705771836794, 5000, 2.666194052403098e-150],
      [12.5, 33, 0.9995316560896127],
      [2.7, 2.7, 0.38585952635444093],
    ];
    for (const [x, dof, sf] of cases) expect(Math.abs(chiSquareSf(x, dof) - sf) / sf).toBeLessThan(1e-10);
  });

  it('chiSquareSf handles the edges: 1 at x ≤ 0, 0 at ∞ and on underflow, NaN for NaN or dof ≤ 0', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(-1, 3)).toBe(1);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    expect(chiSquareSf(1e6, 3)).toBe(0);
    expect(chiSquareSf(NaN, 3)).toBeNaN();
    expect(chiSquareSf(1, 0)).toBeNaN();
    expect(chiSquareSf(1, -2)).toBeNaN();
  });

  it('chiSquareSf(x, dof) decreases in x and increases in dof (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.integer({ min: 1, max: 200 }), (x, dx, dof) => {
        expect(chiSquareSf(x + dx, dof)).toBeLessThanOrEqual(chiSquareSf(x, dof) + 1e-15);
        expect(chiSquareSf(x, dof + 1)).toBeGreaterThanOrEqual(chiSquareSf(x, dof) - 1e-15);
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});

describe('chiSquareHomogeneity', () => {
  it('chiSquareHomogeneity([10,20,30], [20,20,20]) is X² = 16/3 on 2 dof with p = e^{−8/3}, worked by hand', () => {
    // expected counts 15, 20, 25 in both rows; X² = 2·(25/15 + 0 + 25/25) = 16/3; χ²₂ sf = e^{−x/2}
    const r = chiSquareHomogeneity([10, 20, 30], [20, 20, 20]);
    expect(r.statistic).toBeCloseTo(16 / 3, 14);
    expect(r.dof).toBe(2);
    expect(r.pValue).toBeCloseTo(Math.exp(-8 / 3), 15); // scipy chi2_contingency: 0.0694834512228015
  });

  it('chiSquareHomogeneity(ref, cur) equals the textbook Pearson statistic and the chi-square tail (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((k) =>
          fc.tuple(fc.array(fc.integer({ min: 1, max: 500 }), { minLength: k, maxLength: k }), fc.array(fc.integer({ min: 1, max: 500 }), { minLength: k, maxLength: k })),
        ),
        ([ref, cur]) => {
          const r = chiSquareHomogeneity(ref, cur);
          const x2 = textbookChi2(ref, cur);
          expect(Math.abs(r.statistic - x2)).toBeLessThan(1e-9 * (1 + x2));
          expect(r.dof).toBe(ref.length - 1);
          expect(r.pValue).toBe(chiSquareSf(r.statistic, r.dof));
        },
      ),
      { numRuns: 200, seed: 10 },
    );
  });

  it('chiSquareHomogeneity drops categories empty in both rows before counting dof', () => {
    const withEmpty = chiSquareHomogeneity([10, 0, 20, 30], [20, 0, 20, 20]);
    const without = chiSquareHomogeneity([10, 20, 30], [20, 20, 20]);
    expect(withEmpty).toEqual(without);
  });

  it('chiSquareHomogeneity with { yates: true } on a 2 × 2 table reproduces scipy chi2_contingency([[12,5],[7,9]]) = (1.455996378814684, p 0.22756821457580642)', () => {
    const r = chiSquareHomogeneity([12, 5], [7, 9], { yates: true });
    expect(r.statistic).toBeCloseTo(1.455996378814684, 13);
    expect(r.dof).toBe(1);
    expect(Math.abs(r.pValue - 0.22756821457580642)).toBeLessThan(1e-13);
    // default: no correction (scipy correction=False gives the textbook statistic)
    expect(chiSquareHomogeneity([12, 5], [7, 9]).statistic).toBeCloseTo(textbookChi2([12, 5], [7, 9]), 13);
  });

  it('chiSquareHomogeneity with { yates: true } leaves dof > 1 tables uncorrected (scipy applies Yates only when dof = 1)', () => {
    expect(chiSquareHomogeneity([10, 20, 30], [20, 20, 20], { yates: true })).toEqual(chiSquareHomogeneity([10, 20, 30], [20, 20, 20]));
  });

  it('chiSquareHomogeneity caps the Yates shift at |O − E| (scipy gh-13875): a table with O = E stays at X² = 0', () => {
    const r = chiSquareHomogeneity([5, 5], [5, 5], { yates: true });
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('chiSquareHomogeneity(ref, ref) is X² = 0 and p = 1; a single category gives dof 0, X² = 0, p = 1', () => {
    expect(chiSquareHomogeneity([3, 4, 5], [3, 4, 5])).toEqual({ statistic: 0, dof: 2, pValue: 1 });
    expect(chiSquareHomogeneity([7, 0], [3, 0])).toEqual({ statistic: 0, dof: 0, pValue: 1 });
  });

  it('chiSquareHomogeneity returns NaN statistic and p-value when a row is empty', () => {
    const r = chiSquareHomogeneity([0, 0, 0], [1, 2, 3]);
    expect(r.statistic).toBeNaN();
    expect(r.pValue).toBeNaN();
    expect(r.dof).toBe(2);
  });

  it('chiSquareHomogeneity throws InputError for mismatched lengths or invalid counts', () => {
    expect(() => chiSquareHomogeneity([1, 2], [1])).toThrow(messages.countsLengthMismatch('chiSquareHomogeneity', 2, 1));
    expect(() => chiSquareHomogeneity([1, -2], [1, 1])).toThrow(messages.badCount('chiSquareHomogeneity', 'reference', 1, -2));
    expect(() => chiSquareHomogeneity([1, 2], [1, NaN])).toThrow(InputError);
  });
});

describe('zTestTwoProportions', () => {
  it('zTestTwoProportions(30, 100, 45, 100) = −0.15 / √(0.375·0.625·0.02) with two-sided p 2Φ(−|z|), worked by hand', () => {
    const z = -0.15 / Math.sqrt(0.375 * 0.625 * 0.02);
    const r = zTestTwoProportions(30, 100, 45, 100);
    expect(r.statistic).toBeCloseTo(z, 13);
    expect(r.statistic).toBeCloseTo(-2.19089023002066, 12);
    // Evidently: 2·(1 − norm.cdf(|z|)) = 0.02845973691631065 (scipy 1.17.1)
    expect(r.pValue).toBeCloseTo(0.02845973691631065, 14);
  });

  it('zTestTwoProportions(k1, n1, k2, n2).statistic² equals the uncorrected 2 × 2 chi-square statistic (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n1, n2, u, v) => {
        const k1 = Math.round(u * n1);
        const k2 = Math.round(v * n2);
        const z = zTestTwoProportions(k1, n1, k2, n2);
        if (k1 + k2 === 0 || k1 + k2 === n1 + n2) {
          expect(z).toEqual({ statistic: 0, pValue: 1 });
          return;
        }
        const chi = chiSquareHomogeneity([k1, n1 - k1], [k2, n2 - k2]);
        expect(Math.abs(z.statistic ** 2 - chi.statistic)).toBeLessThan(1e-9 * (1 + chi.statistic));
        expect(Math.abs(z.pValue - chi.pValue)).toBeLessThan(1e-12);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('zTestTwoProportions returns statistic 0 and p 1 when both samples are constant with one value (Evidently returns p = 1)', () => {
    expect(zTestTwoProportions(0, 50, 0, 80)).toEqual({ statistic: 0, pValue: 1 });
    expect(zTestTwoProportions(50, 50, 80, 80)).toEqual({ statistic: 0, pValue: 1 });
  });

  it('zTestTwoProportions is NaN for an empty sample and throws InputError for k outside [0, n]', () => {
    const r = zTestTwoProportions(0, 0, 3, 10);
    expect(r.statistic).toBeNaN();
    expect(r.pValue).toBeNaN();
    expect(() => zTestTwoProportions(11, 10, 3, 10)).toThrow(messages.badArgument('zTestTwoProportions', 'k1', 11, 'a count between 0 and 10'));
    expect(() => zTestTwoProportions(1, 10, 3, -1)).toThrow(InputError);
  });
});
