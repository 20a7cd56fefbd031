import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/errors.js';
import { encodeGroups } from '../../src/kernels/groups.js';
import {
  accumulate,
  BIN,
  BIN_STRIDE,
  confusionFromJSON,
  confusionToJSON,
  confusionZero,
  mergeConfusion,
  mergeScoreBins,
  scoreBinsFromJSON,
  scoreBinsToJSON,
  scoreBinsZero,
  type ConfusionSummary,
  type ScoreBinSummary,
} from '../../src/kernels/summaries.js';

interface Row {
  g: string;
  y: 0 | 1;
  p: 0 | 1;
  s: number;
  w: number;
}

const rowArb = fc.record({
  g: fc.constantFrom('a', 'b', 'c', 'd'),
  y: fc.constantFrom(0 as const, 1 as const),
  p: fc.constantFrom(0 as const, 1 as const),
  // multiples of 1/64 keep sums exact in binary floating point, so merges compare with toEqual
  s: fc.integer({ min: 0, max: 64 }).map((k) => k / 64),
  w: fc.integer({ min: 0, max: 8 }).map((k) => k / 4),
});

function summarise(rows: Row[], weighted: boolean, bins = 16): { confusion: ConfusionSummary; scoreBins: ScoreBinSummary } {
  const grouping = encodeGroups(rows.map((r) => r.g), { column: 'g' });
  const out = accumulate({
    grouping,
    yTrue: Uint8Array.from(rows, (r) => r.y),
    yPred: Uint8Array.from(rows, (r) => r.p),
    yScore: Float64Array.from(rows, (r) => r.s),
    ...(weighted ? { weights: Float64Array.from(rows, (r) => r.w) } : {}),
    bins,
  });
  return { confusion: out.confusion, scoreBins: out.scoreBins! };
}

/** Naive row-by-row reference of the confusion cells. */
function naiveConfusion(rows: Row[], weighted: boolean): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of rows) {
    const cells = m.get(r.g) ?? [0, 0, 0, 0, 0, 0, 0, 0];
    const c = r.y * 2 + r.p;
    cells[c]! += 1;
    cells[4 + c]! += weighted ? r.w : 1;
    m.set(r.g, cells);
  }
  return m;
}

describe('accumulate', () => {
  it('accumulate(rows) gives the same confusion cells as a naive row loop', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 200 }), fc.boolean(), (rows, weighted) => {
        const { confusion } = summarise(rows, weighted);
        const ref = naiveConfusion(rows, weighted);
        const groups = [...ref.keys()].sort();
        expect(confusion.groups).toEqual(groups.map((g) => [g]));
        groups.forEach((g, i) => {
          expect(Array.from(confusion.n.slice(i * 4, i * 4 + 4))).toEqual(ref.get(g)!.slice(0, 4));
          expect(Array.from(confusion.w.slice(i * 4, i * 4 + 4))).toEqual(ref.get(g)!.slice(4));
        });
      }),
    );
  });

  it('accumulate(scores) puts a score in bin floor(s * B) and 1.0 in the last bin', () => {
    const grouping = encodeGroups(['a', 'a', 'a', 'a'], { column: 'g' });
    const { scoreBins } = accumulate({
      grouping,
      yTrue: new Uint8Array([1, 0, 1, 1]),
      yPred: new Uint8Array([1, 0, 1, 1]),
      yScore: new Float64Array([0, 0.25, 0.5, 1]),
      bins: 4,
    });
    const n = (b: number) => scoreBins!.cells[b * BIN_STRIDE + BIN.n];
    expect([n(0), n(1), n(2), n(3)]).toEqual([1, 1, 1, 1]);
    // bin 3 holds the score 1.0 with label 1 and prediction 1: every sum is 1
    expect(Array.from(scoreBins!.cells.slice(3 * BIN_STRIDE, 4 * BIN_STRIDE))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // bin 1 holds 0.25 with label 0, prediction 0: n = w = 1, wp = 0.25, wp2 = 0.0625, the rest 0
    expect(Array.from(scoreBins!.cells.slice(1 * BIN_STRIDE, 2 * BIN_STRIDE))).toEqual([1, 1, 0, 0.25, 0, 0.0625, 0, 0]);
  });

  it('accumulate(scores outside [0, 1]) throws naming the column and the first offending row', () => {
    const grouping = encodeGroups(['a', 'b', 'a'], { column: 'g' });
    expect(() =>
      accumulate({ grouping, yTrue: new Uint8Array(3), yPred: new Uint8Array(3), yScore: new Float64Array([0.2, 1.5, -1]), scoreColumn: 'score' }),
    ).toThrow(messages.scoreOutOfRange('accumulate', 'score', 1, 1.5));
  });

  it('accumulate ignores dropped rows, including their out-of-range scores', () => {
    const grouping = encodeGroups(['a', null, 'a'], { column: 'g', missing: 'drop' });
    const { confusion, scoreBins } = accumulate({
      grouping,
      yTrue: new Uint8Array([1, 1, 0]),
      yPred: new Uint8Array([1, 1, 0]),
      yScore: new Float64Array([0.9, 7, 0.1]),
      bins: 10,
    });
    expect(Array.from(confusion.n)).toEqual([1, 0, 0, 1]);
    let total = 0;
    for (let b = 0; b < 10; b++) total += scoreBins!.cells[b * BIN_STRIDE + BIN.n]!;
    expect(total).toBe(2);
  });
});

describe('summary monoid laws', () => {
  const split = fc.array(rowArb, { minLength: 0, maxLength: 120 }).chain((rows) =>
    fc.tuple(fc.constant(rows), fc.integer({ min: 0, max: rows.length })),
  );

  it('merge(summary(first half), summary(second half)) equals summary(whole)', () => {
    fc.assert(
      fc.property(split, fc.boolean(), ([rows, cut], weighted) => {
        const whole = rows.length ? summarise(rows, weighted) : null;
        const a = rows.slice(0, cut).length ? summarise(rows.slice(0, cut), weighted) : null;
        const b = rows.slice(cut).length ? summarise(rows.slice(cut), weighted) : null;
        const conf = mergeConfusion(a?.confusion ?? confusionZero(['g']), b?.confusion ?? confusionZero(['g']));
        const bins = mergeScoreBins(a?.scoreBins ?? scoreBinsZero(['g'], 16), b?.scoreBins ?? scoreBinsZero(['g'], 16));
        if (whole) {
          expect(conf).toEqual(whole.confusion);
          expect(bins).toEqual(whole.scoreBins);
        } else {
          expect(conf.groups).toEqual([]);
        }
      }),
    );
  });

  it('merge is associative and commutative, and zero is neutral', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 40 }), fc.array(rowArb, { minLength: 1, maxLength: 40 }), fc.array(rowArb, { minLength: 1, maxLength: 40 }), (r1, r2, r3) => {
        const [a, b, c] = [summarise(r1, true), summarise(r2, true), summarise(r3, true)];
        expect(mergeConfusion(mergeConfusion(a.confusion, b.confusion), c.confusion)).toEqual(
          mergeConfusion(a.confusion, mergeConfusion(b.confusion, c.confusion)),
        );
        expect(mergeScoreBins(mergeScoreBins(a.scoreBins, b.scoreBins), c.scoreBins)).toEqual(
          mergeScoreBins(a.scoreBins, mergeScoreBins(b.scoreBins, c.scoreBins)),
        );
        expect(mergeConfusion(a.confusion, b.confusion)).toEqual(mergeConfusion(b.confusion, a.confusion));
        expect(mergeConfusion(a.confusion, confusionZero())).toEqual(a.confusion);
        expect(mergeConfusion(confusionZero(), a.confusion)).toEqual(a.confusion);
        expect(mergeScoreBins(scoreBinsZero(['g'], 16), a.scoreBins)).toEqual(a.scoreBins);
      }),
    );
  });

  it('toJSON / fromJSON round-trips through JSON text', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), (rows) => {
        const s = summarise(rows, true);
        expect(confusionFromJSON(JSON.parse(JSON.stringify(confusionToJSON(s.confusion))))).toEqual(s.confusion);
        expect(scoreBinsFromJSON(JSON.parse(JSON.stringify(scoreBinsToJSON(s.scoreBins))))).toEqual(s.scoreBins);
      }),
    );
  });

  it('merge refuses summaries over different sensitive columns or bin counts', () => {
    const a = summarise([{ g: 'a', y: 1, p: 1, s: 0.5, w: 1 }], false);
    const other = { ...a.confusion, columns: ['race'] };
    expect(() => mergeConfusion(a.confusion, other)).toThrow(messages.summaryMismatch('mergeConfusion', 'sensitive columns', ['g'], ['race']));
    const b = summarise([{ g: 'a', y: 1, p: 1, s: 0.5, w: 1 }], false, 8);
    expect(() => mergeScoreBins(a.scoreBins, b.scoreBins)).toThrow(messages.summaryMismatch('mergeScoreBins', 'bin counts', 16, 8));
  });

  it('fromJSON rejects a malformed summary naming the field', () => {
    const json = confusionToJSON(summarise([{ g: 'a', y: 1, p: 1, s: 0.5, w: 1 }], false).confusion);
    expect(() => confusionFromJSON({ ...json, n: [1, 2] })).toThrow(messages.badSummary('confusionFromJSON', 'n', [1, 2]));
  });
});
