import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../../src/errors.js';
import { hellinger, jensenShannon, kl, psi, tvd } from '../../../src/drift/stats/distances.js';

const counts = (k: number) => fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: k, maxLength: k });
/** Two count vectors of the same length (2..12 bins), each with a non-zero total. */
const pair = fc
  .integer({ min: 2, max: 12 })
  .chain((k) => fc.tuple(counts(k), counts(k)))
  .filter(([r, c]) => r.some((v) => v > 0) && c.some((v) => v > 0));

describe('psi', () => {
  it('psi([50,50], [25,75]) = (−¼)·ln ½ + ¼·ln(3/2) = ¼·ln 3, worked by hand', () => {
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(3), 15);
  });

  it('psi([10,0], [5,5]) replaces the empty reference bin by ε = 1e-4: (0.5 − 1)·ln 0.5 + (0.5 − 1e-4)·ln(0.5/1e-4)', () => {
    const expected = (0.5 - 1) * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expect(psi([10, 0], [5, 5])).toBeCloseTo(expected, 14);
    const e3 = (0.5 - 1) * Math.log(0.5) + (0.5 - 1e-3) * Math.log(0.5 / 1e-3);
    expect(psi([10, 0], [5, 5], { epsilon: 1e-3 })).toBeCloseTo(e3, 14);
  });

  it('psi is symmetric, zero on equal proportions and invariant to scaling the counts (fast-check)', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 1, max: 9 }), ([r, c], m) => {
        expect(psi(r, c)).toBeCloseTo(psi(c, r), 10);
        expect(psi(r, r.map((v) => v * m))).toBeCloseTo(0, 12);
        expect(psi(r, c)).toBeGreaterThanOrEqual(-1e-12);
      }),
      { numRuns: 300, seed: 21 },
    );
  });

  it('psi returns NaN when a total is 0 and throws InputError on bad input', () => {
    expect(psi([0, 0], [1, 2])).toBeNaN();
    expect(() => psi([1], [1, 2])).toThrow(messages.countsLengthMismatch('psi', 1, 2));
    expect(() => psi([1, -1], [1, 2])).toThrow(messages.badCount('psi', 'reference', 1, -1));
    expect(() => psi([1, 1], [1, 2], { epsilon: 0 })).toThrow(InputError);
  });
});

describe('jensenShannon', () => {
  it('jensenShannon([1,0], [1,1]) = √((ln(4/3) + ½ln(2/3) + ½ln 2) / (2 ln 2)) = 0.5579230452841438 (scipy base=2: same)', () => {
    const js = (Math.log(4 / 3) + 0.5 * Math.log(2 / 3) + 0.5 * Math.log(2)) / Math.log(2);
    expect(jensenShannon([1, 0], [1, 1])).toBeCloseTo(Math.sqrt(js / 2), 15);
    expect(jensenShannon([1, 0], [1, 1])).toBeCloseTo(0.5579230452841438, 15);
  });

  it('jensenShannon of disjoint distributions is 1 in base 2 and √ln 2 in base e (scipy default)', () => {
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(1, 15);
    expect(jensenShannon([3, 0, 0], [0, 2, 5], { base: Math.E })).toBeCloseTo(Math.sqrt(Math.log(2)), 15);
  });

  it('jensenShannon is symmetric, in [0, 1], and 0 for equal proportions (fast-check)', () => {
    fc.assert(
      fc.property(pair, ([r, c]) => {
        const v = jensenShannon(r, c);
        expect(v).toBeCloseTo(jensenShannon(c, r), 12);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
        expect(jensenShannon(r, r.map((x) => 2 * x))).toBeLessThan(1e-7);
      }),
      { numRuns: 300, seed: 22 },
    );
  });

  it('jensenShannon throws InputError for a base ≤ 0 or equal to 1, and is NaN for an empty row', () => {
    expect(() => jensenShannon([1], [1], { base: 1 })).toThrow(messages.badOption('jensenShannon', 'base', 1, 'a finite number > 0 other than 1'));
    expect(jensenShannon([1, 2], [0, 0])).toBeNaN();
  });
});

describe('hellinger', () => {
  it('hellinger([50,50], [25,75]) = √(1 − √0.125 − √0.375), worked by hand', () => {
    expect(hellinger([50, 50], [25, 75])).toBeCloseTo(Math.sqrt(1 - Math.sqrt(0.125) - Math.sqrt(0.375)), 15);
  });

  it('hellinger equals (1/√2)·‖√p − √q‖₂, is symmetric, in [0, 1] and 1 for disjoint supports (fast-check)', () => {
    fc.assert(
      fc.property(pair, ([r, c]) => {
        const R = r.reduce((s, v) => s + v, 0);
        const C = c.reduce((s, v) => s + v, 0);
        let ss = 0;
        for (let i = 0; i < r.length; i++) ss += (Math.sqrt(r[i]! / R) - Math.sqrt(c[i]! / C)) ** 2;
        const h = hellinger(r, c);
        expect(h).toBeCloseTo(Math.sqrt(ss / 2), 7);
        expect(h).toBeCloseTo(hellinger(c, r), 12);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300, seed: 23 },
    );
    expect(hellinger([1, 0], [0, 1])).toBe(1);
    expect(hellinger([4, 6], [2, 3])).toBeLessThan(1e-7);
  });
});

describe('kl', () => {
  it('kl([50,50], [25,75]) = KL(current ‖ reference) = ¼ ln ½ + ¾ ln(3/2), worked by hand', () => {
    expect(kl([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), 15);
  });

  it('kl(…, { direction: "referenceToCurrent" }) = ½ ln 2 + ½ ln(2/3), Evidently’s scipy.stats.entropy(ref, cur)', () => {
    expect(kl([50, 50], [25, 75], { direction: 'referenceToCurrent' })).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 15);
  });

  it('kl replaces zero proportions by ε and renormalises (scipy.stats.entropy semantics), staying ≥ 0', () => {
    // reference (1, 0) → (1, 1e-4)/(1 + 1e-4); current (0.99999, 1e-5)
    const p = [1 / (1 + 1e-4), 1e-4 / (1 + 1e-4)];
    const q = [0.99999, 0.00001];
    const expected = q[0]! * Math.log(q[0]! / p[0]!) + q[1]! * Math.log(q[1]! / p[1]!);
    expect(kl([100000, 0], [99999, 1])).toBeCloseTo(expected, 15);
    expect(kl([100000, 0], [99999, 1])).toBeGreaterThanOrEqual(0);
  });

  it('kl is ≥ 0 and 0 for equal proportions (fast-check)', () => {
    fc.assert(
      fc.property(pair, ([r, c]) => {
        expect(kl(r, c)).toBeGreaterThanOrEqual(-1e-12);
        expect(kl(r, c, { direction: 'referenceToCurrent' })).toBeGreaterThanOrEqual(-1e-12);
        expect(kl(r, r.map((x) => 3 * x))).toBeCloseTo(0, 12);
      }),
      { numRuns: 300, seed: 24 },
    );
  });

  it('kl throws InputError for an unknown direction', () => {
    // @ts-expect-error invalid on purpose
    expect(() => kl([1], [1], { direction: 'both' })).toThrow(InputError);
  });
});

describe('tvd', () => {
  it('tvd([50,50], [25,75]) = ½(¼ + ¼) = ¼ and tvd of disjoint distributions is 1', () => {
    expect(tvd([50, 50], [25, 75])).toBe(0.25);
    expect(tvd([1, 0], [0, 1])).toBe(1);
  });

  it('tvd is symmetric, in [0, 1], 0 for equal proportions, and bounds Hellinger: H² ≤ TVD ≤ √2·H (fast-check)', () => {
    fc.assert(
      fc.property(pair, ([r, c]) => {
        const t = tvd(r, c);
        const h = hellinger(r, c);
        expect(t).toBeCloseTo(tvd(c, r), 12);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(1 + 1e-12);
        expect(h * h).toBeLessThanOrEqual(t + 1e-9);
        expect(t).toBeLessThanOrEqual(Math.SQRT2 * h + 1e-9);
        expect(tvd(r, r.map((x) => 5 * x))).toBeCloseTo(0, 12);
      }),
      { numRuns: 300, seed: 25 },
    );
  });

  it('tvd accepts Float64Array counts and returns NaN when a total is 0', () => {
    expect(tvd(Float64Array.from([1, 3]), Float64Array.from([3, 1]))).toBe(0.5);
    expect(tvd([0, 0], [0, 0])).toBeNaN();
  });
});
