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

/**
 * Deep equality where numbers at paths `tolerant` accepts may differ by 1e-9 relative
 * (floating-point sums in another order); everything else must be identical.
 */
export function expectDeepClose(actual: unknown, expected: unknown, tolerant: (path: string) => boolean = () => true, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (tolerant(path) ? !closeRel(actual, expected) : !Object.is(actual, expected)) expect(actual, path).toBe(expected);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    expect(actual.length, `${path}.length`).toBe(expected.length);
    expected.forEach((v, i) => expectDeepClose(actual[i], v, tolerant, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    expect(Object.keys(actual).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expectDeepClose((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], tolerant, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** Drift counts: counts, minima and maxima exactly; bin sums within 1e-9 relative. */
export function expectSameDriftCounts(actual: unknown, expected: unknown): void {
  expectDeepClose(actual, expected, (path) => path.includes('.binSum['));
}
