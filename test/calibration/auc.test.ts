import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aucByGroup, aucFromBins, aucFromBinsBound, aucUndefinedReason, rocAuc } from '../../src/calibration/index.js';
import { InputError, messages } from '../../src/errors.js';
import { encodeGroups } from '../../src/kernels/groups.js';
import { naiveAuc, randomRows, rowsOf, summarize, trapezoidAuc } from './helpers.js';

describe('rocAuc', () => {
  it('rocAuc(sklearn docstring case) is 0.75', () => {
    // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    expect(rocAuc(new Uint8Array([0, 0, 1, 1]), new Float64Array([0.1, 0.4, 0.35, 0.8]))).toBe(0.75);
  });

  it('rocAuc(tied positive and negative) counts the tie one half', () => {
    // pairs: (0.2 vs 0.2) = ½, (0.2 vs 0.1) = 1, (0.9 vs both) = 2 → 3.5 / 4
    expect(rocAuc(new Uint8Array([0, 1, 0, 1]), new Float64Array([0.2, 0.2, 0.1, 0.9]))).toBe(0.875);
    // everything tied → ½
    expect(rocAuc(new Uint8Array([0, 1, 1, 0, 1]), new Float64Array(5).fill(0.3))).toBe(0.5);
  });

  it('rocAuc(weights) weighs each pair by w_i·w_j', () => {
    // pos 0.8 (w 2), pos 0.3 (w 1); neg 0.5 (w 3), neg 0.1 (w 1)
    // num = 2·3 + 2·1 + 0 + 1·1 = 9; den = 3 · 4 = 12
    const auc = rocAuc(new Uint8Array([1, 1, 0, 0]), new Float64Array([0.8, 0.3, 0.5, 0.1]), new Float64Array([2, 1, 3, 1]));
    expect(auc).toBe(0.75);
  });

  it('rocAuc(negative scores, -0 and 0) sorts numerically and ties -0 with 0', () => {
    expect(rocAuc(new Uint8Array([1, 0, 1, 0]), new Float64Array([-0, 0, -5, -1]))).toBe(naiveAuc([1, 0, 1, 0], [0, 0, -5, -1]));
    expect(rocAuc(new Uint8Array([1, 0]), new Float64Array([-0, 0]))).toBe(0.5);
  });

  it('rocAuc(one class) is NaN and aucUndefinedReason says which class is missing', () => {
    const y = new Uint8Array([1, 1, 1]);
    expect(rocAuc(y, new Float64Array([0.1, 0.5, 0.9]))).toBeNaN();
    expect(aucUndefinedReason(y)).toBe(messages.aucUndefined(3, 0));
    expect(aucUndefinedReason(new Uint8Array([0, 0]))).toBe(messages.aucUndefined(0, 2));
    expect(aucUndefinedReason(new Uint8Array([0, 1]))).toBeUndefined();
    // zero-weight positives count as absent
    expect(rocAuc(new Uint8Array([0, 1]), new Float64Array([0.1, 0.9]), new Float64Array([1, 0]))).toBeNaN();
    expect(aucUndefinedReason(new Uint8Array([0, 1]), new Float64Array([1, 0]))).toBe(messages.aucUndefined(0, 1));
    expect(aucUndefinedReason(5, 0)).toBe(messages.aucUndefined(5, 0));
  });

  it('rocAuc(empty input) is NaN', () => {
    expect(rocAuc(new Uint8Array(0), new Float64Array(0))).toBeNaN();
  });

  it('rocAuc(random data with ties and weights) equals the naive O(n²) pair count and the trapezoidal ROC area', () => {
    for (const [seed, grid, weighted] of [
      [1, 0, false],
      [2, 10, false],
      [3, 20, true],
      [4, 0, true],
      [5, 3, true],
    ] as const) {
      const rows = randomRows(seed, 400, { grid, weighted });
      const expected = naiveAuc(rows.yTrue, rows.yScore, rows.weights);
      const got = rocAuc(rows.yTrue, rows.yScore, rows.weights);
      expect(got).toBeCloseTo(expected, 12);
      expect(trapezoidAuc(rows.yTrue, rows.yScore, rows.weights)).toBeCloseTo(expected, 12);
    }
  });

  it('rocAuc(property) equals the naive pair count for arbitrary finite scores', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            y: fc.integer({ min: 0, max: 1 }),
            s: fc.oneof(fc.constantFrom(0, -0, 1, 0.5, -3, 1e-300), fc.double({ noNaN: true, noDefaultInfinity: true })),
            w: fc.constantFrom(0, 0.5, 1, 2, 3.25),
          }),
          { maxLength: 80 },
        ),
        fc.boolean(),
        (data, weighted) => {
          const y = Uint8Array.from(data.map((d) => d.y));
          const s = Float64Array.from(data.map((d) => d.s));
          const w = weighted ? Float64Array.from(data.map((d) => d.w)) : undefined;
          const expected = naiveAuc(y, s, w);
          const got = rocAuc(y, s, w);
          if (Number.isNaN(expected)) expect(got).toBeNaN();
          else expect(got).toBeCloseTo(expected, 10);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('rocAuc(bad input) throws InputError from the catalogue', () => {
    expect(() => rocAuc(new Uint8Array([0, 2]), new Float64Array([0.1, 0.2]))).toThrow(messages.labelNotBinary('rocAuc', 'yTrue', 1, 2));
    expect(() => rocAuc(new Uint8Array([0, 1]), new Float64Array([0.1, NaN]))).toThrow(messages.notFiniteScore('rocAuc', 'yScore', 1, NaN));
    expect(() => rocAuc(new Uint8Array([0, 1]), new Float64Array([Infinity, 0]))).toThrow(InputError);
    expect(() => rocAuc(new Uint8Array([0]), new Float64Array([0.1, 0.2]))).toThrow(messages.lengthMismatch('rocAuc', 'yTrue', 2, 1));
    expect(() => rocAuc(new Uint8Array([0, 1]), new Float64Array([0.1, 0.2]), new Float64Array([1, -1]))).toThrow(
      messages.badWeight('rocAuc', 'weights', 1, -1),
    );
  });
});

describe('aucByGroup', () => {
  it('aucByGroup(hand case) gives each group and the overall, ignoring dropped rows', () => {
    const out = aucByGroup(
      new Uint32Array([0, 0, 1, 1, 2]),
      2,
      new Uint8Array([0, 1, 1, 0, 1]),
      new Float64Array([0.2, 0.7, 0.4, 0.6, 0.1]),
    );
    // group 0: 0.7 > 0.2 → 1; group 1: 0.4 < 0.6 → 0; overall of rows 0..3: 3 of 4 pairs
    expect(Array.from(out)).toEqual([1, 0, 0.75]);
  });

  it('aucByGroup(a group with one class) is NaN for that group only', () => {
    const out = aucByGroup(new Uint32Array([0, 0, 1, 1]), 2, new Uint8Array([1, 1, 0, 1]), new Float64Array([0.1, 0.2, 0.3, 0.4]));
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(1);
    expect(out[2]).toBe(naiveAuc([1, 1, 0, 1], [0.1, 0.2, 0.3, 0.4]));
  });

  it('aucByGroup(random groups, ties, weights, dropped rows) equals the naive pair count per group', () => {
    for (const [seed, grid, weighted] of [
      [11, 0, false],
      [12, 8, false],
      [13, 8, true],
      [14, 0, true],
    ] as const) {
      const rows = randomRows(seed, 600, { nGroups: 4, grid, weighted });
      // g3 is dropped: the grouping marks its rows with code keys.length
      const values = rows.groups.map((g) => (g === 'g3' ? null : g));
      const grouping = encodeGroups(values, { column: 'g', missing: 'drop' });
      const G = grouping.keys.length;
      expect(G).toBe(3);
      const got = aucByGroup(grouping.codes, G, rows.yTrue, rows.yScore, rows.weights);
      for (let g = 0; g < G; g++) {
        const idx = rowsOf(rows, `g${g}`);
        expect(got[g]).toBeCloseTo(naiveAuc(rows.yTrue, rows.yScore, rows.weights, idx), 12);
      }
      const kept = rows.groups.flatMap((g, i) => (g === 'g3' ? [] : [i]));
      expect(got[G]).toBeCloseTo(naiveAuc(rows.yTrue, rows.yScore, rows.weights, kept), 12);
    }
  });

  it('aucByGroup(each group) equals rocAuc on that group alone', () => {
    const rows = randomRows(21, 2000, { nGroups: 5, grid: 50 });
    const grouping = encodeGroups(rows.groups, { column: 'g' });
    const got = aucByGroup(grouping.codes, grouping.keys.length, rows.yTrue, rows.yScore);
    grouping.keys.forEach((key, g) => {
      const idx = rowsOf(rows, String(key[0]));
      const y = Uint8Array.from(idx.map((i) => rows.yTrue[i]!));
      const s = Float64Array.from(idx.map((i) => rows.yScore[i]!));
      expect(got[g]).toBeCloseTo(rocAuc(y, s), 12);
    });
    expect(got[grouping.keys.length]).toBeCloseTo(rocAuc(rows.yTrue, rows.yScore), 12);
  });

  it('aucByGroup(large input) sorts once and matches a sort-based reference', () => {
    // 200k rows, many ties and exact duplicates: reference = midrank Mann–Whitney via a comparator sort
    const rows = randomRows(31, 200_000, { nGroups: 2, grid: 1000 });
    const grouping = encodeGroups(rows.groups, { column: 'g' });
    const got = aucByGroup(grouping.codes, 2, rows.yTrue, rows.yScore);
    const idx = Array.from({ length: rows.yScore.length }, (_, i) => i).sort((a, b) => rows.yScore[a]! - rows.yScore[b]!);
    const ranks = new Float64Array(idx.length);
    for (let a = 0; a < idx.length; ) {
      let e = a + 1;
      while (e < idx.length && rows.yScore[idx[e]!] === rows.yScore[idx[a]!]) e++;
      for (let k = a; k < e; k++) ranks[idx[k]!] = (a + e + 1) / 2; // midrank, 1-based
      a = e;
    }
    let rankSum = 0;
    let p = 0;
    for (let i = 0; i < ranks.length; i++) if (rows.yTrue[i] === 1) {
      rankSum += ranks[i]!;
      p++;
    }
    const q = ranks.length - p;
    expect(got[2]).toBeCloseTo((rankSum - (p * (p + 1)) / 2) / (p * q), 12);
  });

  it('aucByGroup(bad codes or nGroups) throws InputError', () => {
    const y = new Uint8Array([0, 1]);
    const s = new Float64Array([0.1, 0.2]);
    expect(() => aucByGroup(new Uint32Array([0, 3]), 2, y, s)).toThrow(InputError);
    expect(() => aucByGroup(new Uint32Array([0, 1]), -1, y, s)).toThrow(InputError);
    expect(() => aucByGroup(new Uint32Array([0]), 2, y, s)).toThrow(messages.lengthMismatch('aucByGroup', 'codes', 2, 1));
  });
});

describe('aucFromBins', () => {
  it('aucFromBins(rows in one fine bin) treats them as tied, and the bound covers the difference', () => {
    const rows = { groups: ['a', 'a', 'a'], yTrue: new Uint8Array([0, 1, 1]), yScore: new Float64Array([0.1, 0.9, 0.1]) };
    const s = summarize(rows);
    expect(aucFromBins(s, 0)).toBe(0.75);
    expect(aucFromBinsBound(s, 0)).toBe(0.25);
    // exact: positives 0.9 and 0.1 against negative 0.1 → 1 + ½ = 0.75 (here the tie is real)
    expect(rocAuc(rows.yTrue, rows.yScore)).toBe(0.75);
  });

  it('aucFromBins(scores in distinct fine bins) equals the exact AUC, with bound 0', () => {
    const r = randomRows(41, 300, { grid: 100, weighted: true }); // grid 1/100 never shares a fine bin of 1/3000 with another value
    const s = summarize(r);
    expect(aucFromBins(s, 'overall')).toBeCloseTo(rocAuc(r.yTrue, r.yScore, r.weights), 12);
    const rowsTied = randomRows(42, 300, { grid: 100 });
    const s2 = summarize(rowsTied);
    expect(aucFromBins(s2, 1)).toBeCloseTo(naiveAuc(rowsTied.yTrue, rowsTied.yScore, undefined, rowsOf(rowsTied, 'g1')), 12);
  });

  it('aucFromBins(continuous scores, coarse fine bins) stays within its bound of the exact AUC', () => {
    for (const seed of [51, 52, 53]) {
      const r = randomRows(seed, 1500, { weighted: seed === 53 });
      const s = summarize(r, 20);
      for (const g of [0, 1, 2, 'overall'] as const) {
        const idx = rowsOf(r, g === 'overall' ? 'overall' : `g${g}`);
        const exact = naiveAuc(r.yTrue, r.yScore, r.weights, idx);
        const bound = aucFromBinsBound(s, g);
        expect(bound).toBeGreaterThan(0);
        expect(Math.abs(aucFromBins(s, g) - exact)).toBeLessThanOrEqual(bound + 1e-12);
      }
    }
  });

  it('aucFromBins(one class) is NaN', () => {
    const s = summarize({ groups: ['a', 'b'], yTrue: new Uint8Array([1, 0]), yScore: new Float64Array([0.2, 0.4]) });
    expect(aucFromBins(s, 0)).toBeNaN();
    expect(aucFromBinsBound(s, 1)).toBeNaN();
    expect(aucFromBins(s, 'overall')).toBe(0);
  });
});
