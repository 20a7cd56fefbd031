/**
 * `scoreCells`: the fine score-bin cells of one group of a {@link ScoreBinSummary}, or of all
 * groups pooled, laid out as `b * BIN_STRIDE + BIN.x` for fine bin `b`. Also the option checks
 * every calibration finaliser shares.
 *
 * Cost: a group's cells are a zero-copy `subarray`; `'overall'` sums the groups, O(groups × bins).
 *
 * @example
 * ```ts
 * const cells = scoreCells(summary, 0, 'reliabilityCurve');
 * cells[7 * BIN_STRIDE + BIN.n]; // rows of group 0 in fine bin 7
 * ```
 */
import { InputError, messages } from '../errors.js';
import { groupKeyLabel } from '../kernels/groups.js';
import { BIN_STRIDE, type ScoreBinSummary } from '../kernels/summaries.js';
import type { BinStrategy, GroupSelector } from './types.js';

/**
 * The fine cells of `group` (a group index, or `'overall'` for the sum over groups).
 * Throws {@link InputError} (`unknownGroup`) for an index that is not a group of the summary.
 *
 * @example
 * ```ts
 * scoreCells(summary, 'overall', 'calibrationStats').length === summary.bins * BIN_STRIDE; // true
 * ```
 */
export function scoreCells(summary: ScoreBinSummary, group: GroupSelector, fn: string): Float64Array {
  const G = summary.groups.length;
  const size = summary.bins * BIN_STRIDE;
  if (group === 'overall') {
    const out = new Float64Array(size);
    const cells = summary.cells;
    for (let g = 0; g < G; g++) {
      const o = g * size;
      for (let k = 0; k < size; k++) out[k]! += cells[o + k]!;
    }
    return out;
  }
  if (typeof group !== 'number' || !Number.isInteger(group) || group < 0 || group >= G) {
    throw new InputError(
      messages.unknownGroup(fn, 'group', group, [...summary.groups.map(groupKeyLabel), 'overall']),
      'unknownGroup',
      { argument: 'group', value: group },
    );
  }
  return summary.cells.subarray(group * size, (group + 1) * size);
}

/** Check `nBins` (a positive integer) and return it. @example `checkNBins('f', undefined) // 10` */
export function checkNBins(fn: string, nBins: unknown): number {
  const n = nBins ?? 10;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InputError(messages.badOption(fn, 'nBins', n, 'a positive integer'), 'badOption', { option: 'nBins', value: n });
  }
  return n;
}

/** Check `nBins` divides the summary's fine bins (uniform bins are exact merges). @example `checkDivides('f', 10, 3000)` */
export function checkDivides(fn: string, nBins: number, bins: number): void {
  if (bins % nBins !== 0) {
    throw new InputError(messages.binsNotDivisor(fn, nBins, bins), 'binsNotDivisor', { nBins, bins });
  }
}

/** Check the strategy option and return it. @example `checkStrategy('f', undefined) // 'uniform'` */
export function checkStrategy(fn: string, strategy: unknown): BinStrategy {
  const s = strategy ?? 'uniform';
  if (s !== 'uniform' && s !== 'quantile') {
    throw new InputError(messages.badOption(fn, 'strategy', s, "'uniform' or 'quantile'"), 'badOption', {
      option: 'strategy',
      value: s,
    });
  }
  return s;
}
