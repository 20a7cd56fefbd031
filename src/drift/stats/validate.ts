/**
 * Argument checks shared by the drift statistics (internal; not re-exported). Each check is one
 * plain pass over a typed array and throws an {@link InputError} built from the message catalogue.
 *
 * @example
 * ```ts
 * checkSorted('ksTwoSample', 'a', new Float64Array([1, 2, 2])); // ok
 * checkSorted('ksTwoSample', 'a', new Float64Array([2, 1]));    // throws InputError (notSortedAscending)
 * checkCounts('psi', [1, 2], [3, 4]);                            // returns 2 (the number of bins)
 * ```
 */
import { InputError, messages } from '../../errors.js';

/**
 * Throws unless `values` is non-empty, ascending (ties allowed) and free of NaN.
 * @example `checkSorted('ksTwoSample', 'a', new Float64Array([2, 1])) // throws InputError notSortedAscending`
 */
export function checkSorted(fn: string, argument: string, values: ArrayLike<number>): void {
  const n = values.length;
  if (n === 0) throw new InputError(messages.emptyInput(fn, argument), 'emptyInput', { argument });
  let prev = values[0]!;
  if (prev !== prev) throw notSorted(fn, argument, 0, prev);
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    // `!(v >= prev)` is true for a descent and for NaN
    if (!(v >= prev)) throw notSorted(fn, argument, i, v);
    prev = v;
  }
}

function notSorted(fn: string, argument: string, index: number, value: number): InputError {
  return new InputError(messages.notSortedAscending(fn, argument, index, value), 'notSortedAscending', { argument, index, value });
}

/**
 * Throws unless both count vectors have the same length and hold finite non-negative numbers; returns the length.
 * @example `checkCounts('psi', [1, 2], [3, 4]) // 2`
 */
export function checkCounts(fn: string, reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) {
    throw new InputError(messages.countsLengthMismatch(fn, reference.length, current.length), 'countsLengthMismatch', {
      referenceLength: reference.length,
      currentLength: current.length,
    });
  }
  checkCountValues(fn, 'reference', reference);
  checkCountValues(fn, 'current', current);
  return reference.length;
}

function checkCountValues(fn: string, argument: string, counts: ArrayLike<number>): void {
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i]!;
    if (!(v >= 0 && v < Infinity)) {
      throw new InputError(messages.badCount(fn, argument, i, v), 'badCount', { argument, index: i, value: v });
    }
  }
}
