import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortScores, sortByScore } from '../../src/kernels/argsort.js';
import { rng } from '../calibration/helpers.js';

/** True when `order` is a permutation of 0..n-1 that lists `scores` in non-decreasing numeric order. */
function isSortedPermutation(scores: Float64Array, order: Uint32Array): boolean {
  if (order.length !== scores.length) return false;
  const seen = new Uint8Array(scores.length);
  for (let i = 0; i < order.length; i++) {
    if (seen[order[i]!]) return false;
    seen[order[i]!] = 1;
    if (i > 0 && scores[order[i]!]! < scores[order[i - 1]!]!) return false;
  }
  return true;
}

describe('argsortScores', () => {
  it('argsortScores(small mixed-sign input) returns the ascending order', () => {
    const s = new Float64Array([0.3, -1, 2, -0, 0, -Infinity, Infinity, 1e-310, -1e-310]);
    const { order } = argsortScores(s);
    expect(Array.from(order).map((i) => s[i])).toEqual([-Infinity, -1, -1e-310, -0, 0, 1e-310, 0.3, 2, Infinity].map((v) => (v === 0 ? expect.anything() : v)));
    expect(isSortedPermutation(s, order)).toBe(true);
  });

  it('argsortScores(rows) sorts only the given rows', () => {
    const { order } = argsortScores(new Float64Array([0.5, 0.1, 0.9, 0.0]), new Uint32Array([2, 0, 1]));
    expect(Array.from(order)).toEqual([1, 0, 2]);
  });

  it('argsortScores(keys) are equal exactly for equal scores, -0 included', () => {
    const s = new Float64Array([0, -0, 0.5, 0.5]);
    const { order, keys } = argsortScores(s);
    expect(keys[0]).toBe(keys[2]);
    expect(keys[1]).toBe(keys[3]);
    expect(s[order[2]!]).toBe(0.5);
    expect(keys[4]).toBe(keys[6]);
    expect(keys[5]).toBe(keys[7]);
  });

  it('argsortScores(property) is a sorted permutation for arbitrary doubles, ties and lengths past the radix cutoff', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 0.5, 1, 0.1, -2)), { maxLength: 700 }),
        (values) => {
          const s = Float64Array.from(values);
          expect(isSortedPermutation(s, argsortScores(s).order)).toBe(true);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('argsortScores(200k scores of several shapes) is a sorted permutation', () => {
    const r = rng(3);
    const shapes: ((u: number) => number)[] = [
      (u) => u,
      (u) => Math.round(u * 100) / 100,
      (u) => u ** 8,
      (u) => 10 ** (-300 * u),
      (u) => (u - 0.5) * 1e6,
      (u) => Math.fround(u),
    ];
    for (const f of shapes) {
      const s = new Float64Array(200_000);
      for (let i = 0; i < s.length; i++) s[i] = f(r());
      expect(isSortedPermutation(s, argsortScores(s).order)).toBe(true);
    }
  });
});

describe('sortByScore', () => {
  it('sortByScore(payload, carry) permutes both with the scores', () => {
    const r = rng(5);
    const n = 5000;
    const vals = new Float64Array(n);
    const payload = new Uint32Array(n);
    const carry = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      vals[i] = Math.round(r() * 300) / 300;
      payload[i] = i;
      carry[i] = vals[i]! * 2;
    }
    const original = vals.slice();
    sortByScore(vals, payload, carry);
    for (let i = 0; i < n; i++) {
      expect(carry[i]).toBe(original[payload[i]!]! * 2);
      if (i > 0) expect(original[payload[i]!]!).toBeGreaterThanOrEqual(original[payload[i - 1]!]!);
    }
  });
});
