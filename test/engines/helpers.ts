import { expect } from 'vitest';
import { BIN, BIN_STRIDE, type ConfusionSummary, type ScoreBinSummary } from '../../src/kernels/summaries.js';

/** |a − b| within 1e-9 relative (exact for zeros). */
export const closeRel = (a: number, b: number, rel = 1e-9): boolean =>
  a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

function expectClose(actual: Float64Array, expected: Float64Array, what: string, exactEvery?: { stride: number; offset: number }): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const exact = exactEvery && i % exactEvery.stride === exactEvery.offset;
    if (exact ? actual[i] !== expected[i] : !closeRel(actual[i]!, expected[i]!)) {
      expect(actual[i], `${what}[${i}]`).toBe(expected[i]);
    }
  }
}

/** Counts exactly equal, sums within 1e-9 relative, same groups in the same order. */
export function expectSameSummaries(
  actual: { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary | undefined },
  expected: { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary | undefined },
): void {
  expect(actual.confusion.columns).toEqual(expected.confusion.columns);
  expect(actual.confusion.groups).toEqual(expected.confusion.groups);
  expect(Array.from(actual.confusion.n)).toEqual(Array.from(expected.confusion.n));
  expectClose(actual.confusion.w, expected.confusion.w, 'confusion.w');
  expect(actual.scoreBins === undefined).toBe(expected.scoreBins === undefined);
  if (actual.scoreBins && expected.scoreBins) {
    expect(actual.scoreBins.groups).toEqual(expected.scoreBins.groups);
    expect(actual.scoreBins.bins).toBe(expected.scoreBins.bins);
    expectClose(actual.scoreBins.cells, expected.scoreBins.cells, 'scoreBins.cells', { stride: BIN_STRIDE, offset: BIN.n });
  }
}
