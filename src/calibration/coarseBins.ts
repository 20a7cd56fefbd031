/**
 * Coarse bins as runs of a summary's fine score bins: the cut points of uniform and of
 * weighted-quantile bins, and the merge of fine cells into {@link CalibrationBin}s. A coarse bin
 * `k` is the run of fine bins `[cuts[k], cuts[k+1])`.
 *
 * @example
 * ```ts
 * mergeRuns(cells, uniformCuts(10, 3000), 3000, 10); // the 10-bin uniform reliability curve
 * ```
 */
import { BIN, BIN_STRIDE } from '../kernels/summaries.js';
import type { CalibrationBin } from './types.js';

/** Fine-bin cut points of uniform coarse bins: coarse bin k = fine bins [k·B/n, (k+1)·B/n). @example `uniformCuts(2, 10) // Int32Array [0, 5, 10]` */
export function uniformCuts(nBins: number, bins: number): Int32Array {
  const cuts = new Int32Array(nBins + 1);
  const f = bins / nBins;
  for (let k = 0; k <= nBins; k++) cuts[k] = k * f;
  return cuts;
}

/**
 * Fine-bin cut points of weighted-quantile coarse bins (see the module doc), or `null` when the
 * cells hold no weight. @example `quantileCuts(cells, 3000, 10)`
 */
export function quantileCuts(cells: Float64Array, bins: number, nBins: number): Int32Array | null {
  let total = 0;
  let first = -1;
  let last = -1;
  for (let b = 0; b < bins; b++) {
    const w = cells[b * BIN_STRIDE + BIN.w]!;
    if (w > 0) {
      total += w;
      if (first < 0) first = b;
      last = b;
    }
  }
  if (first < 0) return null;
  const cuts = new Int32Array(nBins + 1);
  cuts[0] = first;
  cuts[nBins] = last + 1;
  let b = first;
  let cum = cells[first * BIN_STRIDE + BIN.w]!;
  for (let k = 1; k < nBins; k++) {
    const target = (total * k) / nBins;
    while (cum < target && b < last) {
      b++;
      cum += cells[b * BIN_STRIDE + BIN.w]!;
    }
    cuts[k] = b + 1;
  }
  return cuts;
}

/**
 * Merge fine bins `[cuts[k], cuts[k+1])` into coarse bins, dropping those without weight. Edges
 * are `k / nBins` when `nBins > 0` (uniform: exact decimal edges), else `cuts[k] / bins`.
 *
 * @example `mergeRuns(cells, new Int32Array([0, 5, 10]), 10, 2) // two bins [0, 0.5), [0.5, 1]`
 */
export function mergeRuns(cells: Float64Array, cuts: Int32Array, bins: number, nBins: number): CalibrationBin[] {
  const out: CalibrationBin[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    let n = 0;
    let w = 0;
    let wy = 0;
    let wp = 0;
    for (let b = cuts[k]!; b < cuts[k + 1]!; b++) {
      const o = b * BIN_STRIDE;
      n += cells[o + BIN.n]!;
      w += cells[o + BIN.w]!;
      wy += cells[o + BIN.wy]!;
      wp += cells[o + BIN.wp]!;
    }
    if (!(w > 0)) continue;
    out.push({
      lower: nBins > 0 ? k / nBins : cuts[k]! / bins,
      upper: nBins > 0 ? (k + 1) / nBins : cuts[k + 1]! / bins,
      count: n,
      weight: w,
      meanPredicted: wp / w,
      fractionPositive: wy / w,
    });
  }
  return out;
}
