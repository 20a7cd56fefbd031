import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../../src/errors.js';
import { binCounts, quantileEdges } from '../../../src/drift/stats/binning.js';
import { normalSample, sorted } from './helpers.js';

/** Hyndman & Fan type 7 quantile, textbook form: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)p. */
function type7(x: Float64Array, p: number): number {
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < x.length ? x[lo]! + (h - lo) * (x[lo + 1]! - x[lo]!) : x[lo]!;
}

/** Bin index = number of edges strictly below v, by a linear scan. */
function naiveCounts(values: number[], edges: Float64Array): number[] {
  const out = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let k = 0;
    while (k < edges.length && edges[k]! < v) k++;
    out[k]!++;
  }
  return out;
}

describe('quantileEdges', () => {
  it('quantileEdges(1..10, 4) = [3.25, 5.5, 7.75] (np.quantile(range(1, 11), [.25, .5, .75]))', () => {
    expect(Array.from(quantileEdges(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 4))).toEqual([3.25, 5.5, 7.75]);
  });

  it('quantileEdges(ref, bins) equals the textbook type-7 quantiles at k/bins, deduplicated (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (xs, bins) => {
        const ref = sorted(xs);
        const expected: number[] = [];
        for (let k = 1; k < bins; k++) {
          const q = type7(ref, k / bins);
          if (expected.length === 0 || q > expected[expected.length - 1]! + 1e-9) expected.push(q);
        }
        const got = Array.from(quantileEdges(ref, bins));
        expect(got.length).toBe(expected.length);
        got.forEach((e, i) => expect(e).toBeCloseTo(expected[i]!, 9));
        for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!);
      }),
      { numRuns: 300, seed: 31 },
    );
  });

  it('quantileEdges(ref with ties) drops duplicate edges: [0,0,0,0,1] with 10 bins keeps 0, 0.2, 0.6', () => {
    const e = quantileEdges(Float64Array.from([0, 0, 0, 0, 1]), 10);
    expect(e.length).toBe(3);
    expect(e[0]).toBe(0);
    expect(e[1]).toBeCloseTo(0.2, 15);
    expect(e[2]).toBeCloseTo(0.6, 15);
  });

  it('quantileEdges(ref, 1) is empty (one bin), and a constant reference gives one edge', () => {
    expect(quantileEdges(Float64Array.from([1, 2, 3]), 1).length).toBe(0);
    expect(Array.from(quantileEdges(Float64Array.from([4, 4, 4]), 10))).toEqual([4]);
  });

  it('quantileEdges throws InputError for bins that are not an integer ≥ 1 and for an unsorted reference', () => {
    expect(() => quantileEdges(Float64Array.from([1, 2]), 0)).toThrow(messages.badOption('quantileEdges', 'bins', 0, 'an integer >= 1'));
    expect(() => quantileEdges(Float64Array.from([1, 2]), 2.5)).toThrow(InputError);
    expect(() => quantileEdges(Float64Array.from([2, 1]), 4)).toThrow(messages.notSortedAscending('quantileEdges', 'sortedRef', 1, 1));
  });
});

describe('binCounts', () => {
  it('binCounts puts a value equal to an edge in the bin that edge closes (right-closed bins)', () => {
    const edges = Float64Array.from([3.25, 5.5, 7.75]);
    expect(Array.from(binCounts([0, 3.25, 3.3, 5.5, 100], edges))).toEqual([2, 2, 0, 1]);
    expect(Array.from(binCounts([-Infinity, Infinity], edges))).toEqual([1, 0, 0, 1]);
  });

  it('binCounts(values, edges) equals a linear-scan count for sorted and unsorted values (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 100 }),
        fc.uniqueArray(fc.integer({ min: -20, max: 20 }), { maxLength: 8 }),
        (values, rawEdges) => {
          const edges = sorted(rawEdges.map((e) => e + 0.5 * (Math.abs(e) % 2)));
          const expected = naiveCounts(values, edges);
          expect(Array.from(binCounts(values, edges))).toEqual(expected);
          expect(Array.from(binCounts(sorted(values), edges))).toEqual(expected);
        },
      ),
      { numRuns: 300, seed: 32 },
    );
  });

  it('binCounts(ref, quantileEdges(ref)) gives about n/10 per bin for a continuous seeded sample', () => {
    const ref = sorted(normalSample(41, 10_000));
    const c = binCounts(ref, quantileEdges(ref));
    expect(c.length).toBe(10);
    expect(c.reduce((s, v) => s + v, 0)).toBe(10_000);
    for (const v of c) expect(Math.abs(v - 1000)).toBeLessThanOrEqual(1);
  });

  it('binCounts throws InputError for a NaN value or edges that are not strictly increasing', () => {
    expect(() => binCounts([1, NaN], Float64Array.from([0]))).toThrow(messages.nanValue('binCounts', 'values', 1));
    expect(() => binCounts([1], Float64Array.from([1, 1]))).toThrow(InputError);
    expect(() => binCounts([1], [0, NaN])).toThrow(InputError);
  });
});
