import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileCuts } from '../../src/calibration/coarseBins.js';
import { reliabilityCurve, reliabilityCurveExact } from '../../src/calibration/index.js';
import { scoreCells } from '../../src/calibration/scoreCells.js';
import { InputError, messages } from '../../src/errors.js';
import { mergeScoreBins } from '../../src/kernels/summaries.js';
import { naiveUniformBins, randomRows, rowsOf, summarize, type Rows } from './helpers.js';

describe('reliabilityCurve', () => {
  it('reliabilityCurve(hand case, 2 bins) gives the means of [0, 0.5) and [0.5, 1]', () => {
    const s = summarize({ groups: ['a', 'a', 'a', 'a'], yTrue: new Uint8Array([0, 1, 0, 1]), yScore: new Float64Array([0.1, 0.15, 0.8, 1.0]) });
    expect(reliabilityCurve(s, 0, { nBins: 2 })).toEqual([
      { lower: 0, upper: 0.5, count: 2, weight: 2, meanPredicted: 0.125, fractionPositive: 0.5 },
      { lower: 0.5, upper: 1, count: 2, weight: 2, meanPredicted: 0.9, fractionPositive: 0.5 },
    ]);
  });

  it('reliabilityCurve(scores on inner edges) is left-closed, unlike the right-closed sklearn bins', () => {
    const rows = { groups: ['a', 'a', 'a'], yTrue: new Uint8Array([0, 1, 1]), yScore: new Float64Array([0.1, 0.2, 1.0]) };
    const fromSummary = reliabilityCurve(summarize(rows), 0, { nBins: 10 });
    expect(fromSummary.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0.1, 0.2, 1],
      [0.2, 0.3, 1],
      [0.9, 1, 1], // 1.0 in the last bin
    ]);
    const exact = reliabilityCurveExact(rows.yTrue, rows.yScore, { nBins: 10 });
    expect(exact.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.1, 1],
      [0.1, 0.2, 1],
      [0.9, 1, 1],
    ]);
  });

  it('reliabilityCurve(property, nBins 10) equals a naive left-closed binning of the raw rows', () => {
    const score = fc.oneof(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.95, 0.999, 1),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ g: fc.constantFrom('a', 'b'), y: fc.integer({ min: 0, max: 1 }), s: score, w: fc.constantFrom(0, 0.5, 1, 2.5) }), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.boolean(),
        (data, weighted) => {
          const rows: Rows = {
            groups: data.map((d) => d.g),
            yTrue: Uint8Array.from(data.map((d) => d.y)),
            yScore: Float64Array.from(data.map((d) => d.s)),
            ...(weighted ? { weights: Float64Array.from(data.map((d) => d.w)) } : {}),
          };
          const s = summarize(rows);
          const labels = s.groups.map((k) => String(k[0]));
          const selectors: (number | 'overall')[] = [...labels.map((_, g) => g), 'overall'];
          for (const sel of selectors) {
            const idx = rowsOf(rows, sel === 'overall' ? 'overall' : labels[sel]!);
            const expected = naiveUniformBins(rows, idx, 10).filter((b) => b.weight > 0);
            const got = reliabilityCurve(s, sel, { nBins: 10 });
            expect(got.map((b) => [b.lower, b.upper, b.count])).toEqual(expected.map((b) => [b.k / 10, (b.k + 1) / 10, b.count]));
            got.forEach((b, i) => {
              const e = expected[i]!;
              expect(b.weight).toBeCloseTo(e.weight, 12);
              expect(b.meanPredicted).toBeCloseTo(e.wp / e.weight, 12);
              expect(b.fractionPositive).toBeCloseTo(e.wy / e.weight, 12);
            });
          }
        },
      ),
      { seed: 1234, numRuns: 200 },
    );
  });

  it("reliabilityCurve('overall') pools the groups and a merged summary gives the same curve as the whole", () => {
    const rows = randomRows(7, 500, { weighted: true });
    const s = summarize(rows);
    const half = 250;
    const pick = (from: number, to: number): Rows => ({
      groups: rows.groups.slice(from, to),
      yTrue: rows.yTrue.slice(from, to),
      yScore: rows.yScore.slice(from, to),
      weights: rows.weights!.slice(from, to),
    });
    const merged = mergeScoreBins(summarize(pick(0, half)), summarize(pick(half, 500)));
    for (const strategy of ['uniform', 'quantile'] as const) {
      const whole = reliabilityCurve(s, 'overall', { nBins: 10, strategy });
      const m = reliabilityCurve(merged, 'overall', { nBins: 10, strategy });
      expect(m.map((b) => [b.lower, b.upper, b.count])).toEqual(whole.map((b) => [b.lower, b.upper, b.count]));
      m.forEach((b, i) => expect(b.meanPredicted).toBeCloseTo(whole[i]!.meanPredicted, 12));
    }
  });

  it('reliabilityCurve(quantile, distinct scores) puts equal counts in each bin with edges on fine-bin edges', () => {
    const scores = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
    const s = summarize({ groups: scores.map(() => 'a'), yTrue: new Uint8Array(10), yScore: Float64Array.from(scores) });
    const bins = reliabilityCurve(s, 0, { nBins: 5, strategy: 'quantile' });
    expect(bins.map((b) => b.count)).toEqual([2, 2, 2, 2, 2]);
    // edges: lower edge of the first non-empty fine bin, then the upper edge of the fine bin of every second row
    expect(bins.map((b) => b.lower)).toEqual([150 / 3000, 451 / 3000, 1051 / 3000, 1651 / 3000, 2251 / 3000]);
    expect(bins[4]!.upper).toBe(2851 / 3000);
  });

  it('reliabilityCurve(quantile, heavy ties) drops the merged bins that become empty', () => {
    const scores = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9];
    const s = summarize({ groups: scores.map(() => 'a'), yTrue: new Uint8Array(10), yScore: Float64Array.from(scores) });
    const bins = reliabilityCurve(s, 0, { nBins: 5, strategy: 'quantile' });
    expect(bins.map((b) => b.count)).toEqual([8, 2]);
  });

  it('reliabilityCurve(quantile) snaps each edge at most one fine bin (1/B) above the exact weighted quantile', () => {
    for (const [seed, weighted, B] of [
      [61, false, 3000],
      [62, true, 3000],
      [63, true, 50],
    ] as const) {
      const rows = randomRows(seed, 800, { weighted });
      const s = summarize(rows, B);
      for (const nBins of [4, 10]) {
        const cells = scoreCells(s, 'overall', 'test');
        const cuts = quantileCuts(cells, B, nBins)!;
        // exact weighted quantile (smallest score whose cumulative weight reaches k/n · W)
        const ids = Array.from(rows.yScore.keys()).sort((a, b) => rows.yScore[a]! - rows.yScore[b]!);
        const w = (i: number) => (rows.weights ? rows.weights[i]! : 1);
        const W = ids.reduce((t, i) => t + w(i), 0);
        for (let k = 1; k < nBins; k++) {
          let cum = 0;
          let q = NaN;
          for (const i of ids) {
            cum += w(i);
            if (cum >= (W * k) / nBins - 1e-9) {
              q = rows.yScore[i]!;
              break;
            }
          }
          const edge = cuts[k]! / B;
          expect(edge).toBeGreaterThan(q);
          expect(edge - q).toBeLessThanOrEqual(1 / B + 1e-12);
        }
        // and each bin holds exactly the rows whose fine bin lies between its edges
        for (const b of reliabilityCurve(s, 'overall', { nBins, strategy: 'quantile' })) {
          const lo = Math.round(b.lower * B);
          const hi = Math.round(b.upper * B);
          const inside = Array.from(rows.yScore).filter((p) => {
            const f = Math.min(B - 1, Math.floor(p * B));
            return f >= lo && f < hi;
          }).length;
          expect(b.count).toBe(inside);
        }
      }
    }
  });

  it('reliabilityCurve(nBins not dividing the fine bins) throws binsNotDivisor', () => {
    const s = summarize({ groups: ['a'], yTrue: new Uint8Array([1]), yScore: new Float64Array([0.3]) });
    expect(() => reliabilityCurve(s, 0, { nBins: 7 })).toThrow(messages.binsNotDivisor('reliabilityCurve', 7, 3000));
    expect(() => reliabilityCurve(s, 0, { nBins: 7, strategy: 'quantile' })).not.toThrow();
    expect(() => reliabilityCurve(s, 0, { nBins: 2.5 })).toThrow(messages.badOption('reliabilityCurve', 'nBins', 2.5, 'a positive integer'));
  });

  it('reliabilityCurve(unknown group) throws InputError', () => {
    const s = summarize({ groups: ['a'], yTrue: new Uint8Array([1]), yScore: new Float64Array([0.3]) });
    expect(() => reliabilityCurve(s, 1, {})).toThrow(InputError);
    expect(() => reliabilityCurve(s, 1, {})).toThrow(messages.unknownGroup('reliabilityCurve', 'group', 1, ['a', 'overall']));
  });

  it('reliabilityCurve(group without weight) returns no bins', () => {
    const s = summarize({ groups: ['a', 'b'], yTrue: new Uint8Array([1, 0]), yScore: new Float64Array([0.3, 0.6]), weights: new Float64Array([1, 0]) });
    expect(reliabilityCurve(s, 1)).toEqual([]);
    expect(reliabilityCurve(s, 1, { strategy: 'quantile' })).toEqual([]);
  });
});
