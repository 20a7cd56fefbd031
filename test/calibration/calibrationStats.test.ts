import { describe, expect, it } from 'vitest';
import { calibrationStats } from '../../src/calibration/index.js';
import { messages } from '../../src/errors.js';
import { randomRows, rowsOf, summarize, type Rows } from './helpers.js';

/** Naive row-by-row reference over uniform left-closed bins (bin = min(n − 1, ⌊p·n⌋)). */
function naiveStats(rows: Rows, idx: number[], nBins: number) {
  const w = (i: number) => (rows.weights ? rows.weights[i]! : 1);
  let W = 0;
  let sq = 0;
  let sp = 0;
  let sy = 0;
  for (const i of idx) {
    const p = rows.yScore[i]!;
    const y = rows.yTrue[i]!;
    W += w(i);
    sq += w(i) * (p - y) ** 2;
    sp += w(i) * p;
    sy += w(i) * y;
  }
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < nBins; b++) {
    const members = idx.filter((i) => Math.min(nBins - 1, Math.floor(rows.yScore[i]! * nBins)) === b);
    const wb = members.reduce((t, i) => t + w(i), 0);
    if (!(wb > 0)) continue;
    const meanY = members.reduce((t, i) => t + w(i) * rows.yTrue[i]!, 0) / wb;
    const meanP = members.reduce((t, i) => t + w(i) * rows.yScore[i]!, 0) / wb;
    ece += (wb / W) * Math.abs(meanY - meanP);
    mce = Math.max(mce, Math.abs(meanY - meanP));
  }
  return { count: idx.length, weight: W, ece, mce, brier: sq / W, citl: (sp - sy) / W, meanPredicted: sp / W, observedRate: sy / W };
}

describe('calibrationStats', () => {
  it('calibrationStats(hand case, 2 bins) gives ECE, MCE, Brier and calibration-in-the-large', () => {
    // bins [0, 0.5): p 0.1 (y 0), 0.15 (y 1) → |0.5 − 0.125| = 0.375; [0.5, 1]: 0.8 (0), 1.0 (1) → |0.5 − 0.9| = 0.4
    const s = summarize({ groups: ['a', 'a', 'a', 'a'], yTrue: new Uint8Array([0, 1, 0, 1]), yScore: new Float64Array([0.1, 0.15, 0.8, 1.0]) });
    const st = calibrationStats(s, 0, { nBins: 2 });
    expect(st.count).toBe(4);
    expect(st.weight).toBe(4);
    expect(st.nBins).toBe(2);
    expect(st.ece).toBeCloseTo((2 / 4) * 0.375 + (2 / 4) * 0.4, 15); // 0.3875
    expect(st.mce).toBeCloseTo(0.4, 15);
    expect(st.brier).toBeCloseTo((0.01 + 0.7225 + 0.64 + 0) / 4, 15); // 0.343125
    expect(st.calibrationInTheLarge).toBeCloseTo(0.5125 - 0.5, 15);
    expect(st.meanPredicted).toBeCloseTo(0.5125, 15);
    expect(st.observedRate).toBe(0.5);
    expect(st.reason).toBeUndefined();
  });

  it('calibrationStats(random rows, weights, several bin counts) equals the naive row-by-row loop', () => {
    for (const [seed, weighted, grid] of [
      [71, false, 0],
      [72, true, 0],
      [73, false, 20], // scores exactly on edges
      [74, true, 10],
    ] as const) {
      const rows = randomRows(seed, 700, { weighted, grid });
      const s = summarize(rows);
      for (const nBins of [5, 10, 20]) {
        for (const g of [0, 1, 2, 'overall'] as const) {
          const idx = rowsOf(rows, g === 'overall' ? 'overall' : `g${g}`);
          const e = naiveStats(rows, idx, nBins);
          const st = calibrationStats(s, g, { nBins });
          expect(st.count).toBe(e.count);
          expect(st.weight).toBeCloseTo(e.weight, 10);
          expect(st.ece).toBeCloseTo(e.ece, 12);
          expect(st.mce).toBeCloseTo(e.mce, 12);
          expect(st.brier).toBeCloseTo(e.brier, 12);
          expect(st.calibrationInTheLarge).toBeCloseTo(e.citl, 12);
          expect(st.meanPredicted).toBeCloseTo(e.meanPredicted, 12);
          expect(st.observedRate).toBeCloseTo(e.observedRate, 12);
        }
      }
    }
  });

  it('calibrationStats(default options) uses 10 bins', () => {
    const rows = randomRows(75, 300);
    const s = summarize(rows);
    expect(calibrationStats(s, 'overall')).toEqual(calibrationStats(s, 'overall', { nBins: 10 }));
    expect(calibrationStats(s, 'overall').ece).toBeCloseTo(naiveStats(rows, rowsOf(rows, 'overall'), 10).ece, 12);
  });

  it('calibrationStats(perfect 0/1 scores) has Brier 0 and ECE 0, never negative', () => {
    const s = summarize({ groups: ['a', 'a', 'a'], yTrue: new Uint8Array([1, 0, 1]), yScore: new Float64Array([1, 0, 1]) });
    const st = calibrationStats(s, 0);
    expect(st.brier).toBe(0);
    expect(st.ece).toBe(0);
    expect(st.mce).toBe(0);
    expect(st.calibrationInTheLarge).toBe(0);
  });

  it('calibrationStats(group with zero total weight) is NaN with a reason, keeping the raw count', () => {
    const s = summarize({
      groups: ['a', 'b', 'b'],
      yTrue: new Uint8Array([1, 0, 1]),
      yScore: new Float64Array([0.3, 0.6, 0.2]),
      weights: new Float64Array([1, 0, 0]),
    });
    const st = calibrationStats(s, 1);
    expect(st.count).toBe(2);
    expect(st.weight).toBe(0);
    for (const v of [st.ece, st.mce, st.brier, st.calibrationInTheLarge, st.meanPredicted, st.observedRate]) expect(v).toBeNaN();
    expect(st.reason).toBe(messages.calibrationUndefined());
  });

  it('calibrationStats(nBins not dividing the fine bins) throws binsNotDivisor', () => {
    const s = summarize({ groups: ['a'], yTrue: new Uint8Array([1]), yScore: new Float64Array([0.3]) }, 100);
    expect(() => calibrationStats(s, 0, { nBins: 30 })).toThrow(messages.binsNotDivisor('calibrationStats', 30, 100));
    expect(calibrationStats(s, 0, { nBins: 25 }).count).toBe(1);
  });
});
