/**
 * Role conversion of raw columns: binary labels and predictions, scores, sample weights.
 *
 * Every metric reads its columns through these functions, so every metric accepts the same
 * inputs and rejects bad ones with the same messages (from `messages` in `errors.ts`, with
 * `details` `{ column, row, value }`). Nothing is ever dropped: a missing label is an error here,
 * never a silently shorter column.
 *
 * Costs: one pass over the column, no per-row allocation. Typed arrays take a fast path without
 * any `Map` or string comparison, and already-right arrays are returned as they are (zero-copy):
 * a `Uint8Array` of 0/1 from `toBinary`, an all-finite `Float64Array` from `toScores` and
 * `toWeights`. Do not mutate the input afterwards if you keep the result.
 *
 * @example
 * ```ts
 * toBinary(['yes', 'no', 'yes'], { column: 'approved', positiveLabel: 'yes' }).values; // Uint8Array [1, 0, 1]
 * toScores(['0.2', '0.9'], { column: 'score' });    // Float64Array [0.2, 0.9]
 * thresholdScores(new Float64Array([0.2, 0.5]), 0.5); // Uint8Array [0, 1]
 * toWeights([1, 2.5], { column: 'w' });             // Float64Array [1, 2.5]
 * ```
 */
import { InputError, messages } from '../errors.js';

/** A binary column: `values` are 0/1; `positive`/`negative` are the raw values mapped to 1/0. */
export interface BinaryColumn {
  values: Uint8Array;
  /** The raw value mapped to 1 (for 0/1-like data that lacks it: its counterpart, e.g. 1, true, "1"). */
  positive: unknown;
  /** The raw value mapped to 0; `undefined` when it is unknown (one value, given as positiveLabel). */
  negative: unknown | undefined;
}

type TypedNumbers =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

const isTypedNumbers = (v: unknown): v is TypedNumbers =>
  ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);

/** 1 or 0 for values that are binary by themselves (0/1, booleans, "0"/"1"/"true"/"false"), else -1. */
function naturalBit(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return v === 1 ? 1 : v === 0 ? 0 : -1;
    case 'boolean':
      return v ? 1 : 0;
    case 'bigint':
      return v === 1n ? 1 : v === 0n ? 0 : -1;
    case 'string': {
      if (v === '1') return 1;
      if (v === '0') return 0;
      const l = v.length === 4 || v.length === 5 ? v.toLowerCase() : '';
      return l === 'true' ? 1 : l === 'false' ? 0 : -1;
    }
    default:
      return -1;
  }
}

/** The other value of a 0/1-like value, in the same type and spelling. */
function counterpart(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      return v === 1 ? 0 : 1;
    case 'boolean':
      return !v;
    case 'bigint':
      return v === 1n ? 0n : 1n;
    case 'string': {
      const map: Record<string, string> = { '0': '1', '1': '0', true: 'false', false: 'true', True: 'False', False: 'True', TRUE: 'FALSE', FALSE: 'TRUE' };
      return map[v] ?? (naturalBit(v) === 1 ? 'false' : 'true');
    }
    default:
      return undefined;
  }
}

const isMissingLabel = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (typeof v === 'number' && v !== v);

function missingLabelError(fn: string, column: string, row: number, value: unknown): InputError {
  return new InputError(messages.missingLabel(fn, column, row, value), 'missingLabel', { column, row, value });
}

/** Sentinel for "no value seen yet" (never `===` to any user value). */
const NONE: unique symbol = Symbol('none');

/**
 * Labels or predictions to 0/1.
 *
 * 0/1 numbers (including typed arrays and bigints), booleans, and the strings "0"/"1"/"true"/
 * "false" (any case; as CSV readers give them) map directly. Any other two distinct values need
 * `positiveLabel`, compared with `===` and also by `String()` equality, so that a CLI string
 * "yes" or "1" matches. With `positiveLabel`, a column holding one distinct value is fine (all
 * positive if it is the label, else all negative); if `positiveLabel` is not among the values but they are 0/1-like, the
 * 0/1 meaning is used (when `positiveLabel` itself is 0/1-like, e.g. 0, rows equal to it are
 * positive). Distinct values are compared with `===` (1 and "1" are two values).
 *
 * Errors (`InputError`, `details` `{ column, row, value }`): a null, undefined, NaN or '' at row
 * i -> `messages.missingLabel`; a third distinct value -> `messages.tooManyLabelValues` (naming its
 * first row); two values that are not 0/1/boolean without `positiveLabel` ->
 * `messages.notBinary` (one such value -> `messages.singleLabelValue`); `positiveLabel` absent
 * from two values that are not 0/1 -> `messages.positiveLabelAbsent`.
 *
 * Cost: one pass. Typed arrays of 0/1 take a fast path (no Map, no comparisons beyond 0/1); a
 * `Uint8Array` of 0/1 is returned as `values` itself, zero-copy.
 *
 * @example
 * ```ts
 * toBinary([true, false], { column: 'y' });                                  // { values: Uint8Array [1, 0], positive: true, negative: false }
 * toBinary(['no', 'yes'], { column: 'y', positiveLabel: 'yes' }).values;      // Uint8Array [0, 1]
 * toBinary(new Int32Array([1, 0]), { column: 'y', positiveLabel: 0 }).values; // Uint8Array [0, 1]
 * toBinary([1, NaN], { column: 'y', fn: 'f' }); // throws InputError: messages.missingLabel('f', 'y', 1, NaN)
 * ```
 */
export function toBinary(
  values: ArrayLike<unknown>,
  options: { column: string; positiveLabel?: unknown; fn?: string },
): BinaryColumn {
  const { column, positiveLabel } = options;
  const fn = options.fn ?? 'toBinary';
  const hasLabel = positiveLabel !== undefined;
  const n = values.length;

  if (isTypedNumbers(values)) {
    const fast = binaryFromTyped(values, hasLabel ? naturalBit(positiveLabel) : 1, fn, column);
    if (fast) return fast;
  }

  // General path: find at most two distinct values (===), remembering each row's slot (0 or 1).
  const slot = new Uint8Array(n);
  let a: unknown = NONE;
  let b: unknown = NONE;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === a) continue; // slot 0
    if (v === b) {
      slot[i] = 1;
      continue;
    }
    if (isMissingLabel(v)) throw missingLabelError(fn, column, i, v);
    if (a === NONE) a = v;
    else if (b === NONE) {
      b = v;
      slot[i] = 1;
    } else {
      const seen = [a, b, v];
      throw new InputError(messages.tooManyLabelValues(fn, column, seen, i), 'tooManyLabelValues', {
        column,
        row: i,
        value: v,
        values: seen,
      });
    }
  }
  const distinct: unknown[] = a === NONE ? [] : b === NONE ? [a] : [a, b];

  let bits: number[]; // bit of each distinct value
  let natural = false;
  const naturalBits = distinct.map(naturalBit);
  const allNatural = naturalBits.every((x) => x >= 0);
  if (hasLabel) {
    const label = String(positiveLabel);
    const matches = distinct.map((v) => v === positiveLabel || String(v) === label);
    if (matches.some(Boolean)) bits = matches.map((m) => (m ? 1 : 0));
    else if (allNatural) {
      natural = true;
      const p = naturalBit(positiveLabel);
      bits = p === 0 ? naturalBits.map((x) => 1 - x) : naturalBits;
    } else if (distinct.length === 1) {
      bits = [0]; // one value that is not the positive label: every row is negative
    } else {
      throw new InputError(messages.positiveLabelAbsent(fn, column, positiveLabel, distinct), 'positiveLabelAbsent', {
        column,
        positiveLabel,
        values: distinct,
      });
    }
  } else if (allNatural) {
    natural = true;
    bits = naturalBits;
  } else if (distinct.length === 1) {
    throw new InputError(messages.singleLabelValue(fn, column, distinct[0]), 'singleLabelValue', {
      column,
      row: 0,
      value: distinct[0],
    });
  } else {
    throw new InputError(messages.notBinary(fn, column, distinct), 'notBinary', { column, values: distinct });
  }

  // Slots -> bits, in place.
  const bitA = bits[0] ?? 0;
  const bitB = bits[1] ?? 1 - bitA;
  if (bitA === bitB) slot.fill(bitA);
  else if (bitA === 1) for (let i = 0; i < n; i++) slot[i] = slot[i]! ^ 1;

  const posIndex = bits.indexOf(1);
  const negIndex = bits.indexOf(0);
  let positive: unknown = posIndex >= 0 ? distinct[posIndex] : undefined;
  let negative: unknown = negIndex >= 0 ? distinct[negIndex] : undefined;
  if (distinct.length === 0) {
    positive = hasLabel ? positiveLabel : 1;
    negative = hasLabel ? undefined : 0;
  } else if (natural) {
    if (posIndex < 0) positive = counterpart(negative);
    if (negIndex < 0) negative = counterpart(positive);
  } else if (posIndex < 0) {
    positive = positiveLabel;
  }
  return { values: slot, positive, negative };
}

/** Fast path for numeric typed arrays of 0/1; `null` when another value needs the general path. */
function binaryFromTyped(values: TypedNumbers, labelBit: number, fn: string, column: string): BinaryColumn | null {
  const n = values.length;
  // A positiveLabel that is not 0/1-like cannot match numbers that are all 0/1: 0/1 meaning is used.
  const p = labelBit === 0 ? 0 : 1;
  if (values instanceof Uint8Array && p === 1) {
    for (let i = 0; i < n; i++) if (values[i]! > 1) return null;
    return { values, positive: 1, negative: 0 };
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === 1) out[i] = p;
    else if (v === 0) out[i] = 1 - p;
    else if (v !== v) throw missingLabelError(fn, column, i, v);
    else return null;
  }
  return { values: out, positive: p, negative: 1 - p };
}

// ---------------------------------------------------------------------------------------------
// Numbers: scores and weights

/** A cell to a number, or NaN when it is missing or not numeric (numbers, numeric strings, bigints). */
function toNumber(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'string': {
      const t = v.trim();
      return t === '' ? NaN : Number(t);
    }
    case 'bigint':
      return Number(v);
    default:
      return NaN;
  }
}

/**
 * Numbers from any column, checked by `ok`; `fail(row, value)` builds the error. An all-valid
 * Float64Array is returned as is.
 */
function toFloat64(
  values: ArrayLike<unknown>,
  ok: (x: number) => boolean,
  fail: (row: number, value: unknown) => InputError,
): Float64Array {
  const n = values.length;
  if (values instanceof Float64Array) {
    for (let i = 0; i < n; i++) if (!ok(values[i]!)) throw fail(i, values[i]);
    return values;
  }
  const out = new Float64Array(n);
  if (isTypedNumbers(values)) {
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (!ok(x)) throw fail(i, x);
      out[i] = x;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const x = typeof v === 'number' ? v : toNumber(v);
    if (!ok(x)) throw fail(i, v);
    out[i] = x;
  }
  return out;
}

const isFiniteNumber = (x: number): boolean => x - x === 0;
const isWeight = (x: number): boolean => x - x === 0 && x >= 0;

/**
 * Scores to a `Float64Array` of finite numbers: numbers, numeric strings (as from CSV) and
 * bigints are accepted. Missing, NaN, infinite or non-numeric at row i -> `InputError`
 * `messages.notFiniteScore(fn, column, i, value)`. Does not check [0, 1] (calibration does).
 *
 * Cost: one pass; an all-finite `Float64Array` is returned as is (zero-copy), other inputs are
 * copied once.
 *
 * @example
 * ```ts
 * toScores([0.1, '0.75', 1n], { column: 'score' });      // Float64Array [0.1, 0.75, 1]
 * toScores([0.1, null], { column: 'score', fn: 'f' });   // throws InputError: messages.notFiniteScore('f', 'score', 1, null)
 * ```
 */
export function toScores(values: ArrayLike<unknown>, options: { column: string; fn?: string }): Float64Array {
  const { column } = options;
  const fn = options.fn ?? 'toScores';
  return toFloat64(values, isFiniteNumber, (row, value) =>
    new InputError(messages.notFiniteScore(fn, column, row, value), 'notFiniteScore', { column, row, value }),
  );
}

/**
 * Predictions from scores: 1 where `score >= threshold`, else 0 (a score equal to the threshold
 * is a positive prediction). `threshold` must be a finite number, else `InputError`
 * `messages.badOption(fn, 'threshold', threshold, 'a finite number')`.
 *
 * @example
 * ```ts
 * thresholdScores(new Float64Array([0.2, 0.5, 0.9]), 0.5); // Uint8Array [0, 1, 1]
 * ```
 */
export function thresholdScores(scores: Float64Array, threshold: number, fn = 'thresholdScores'): Uint8Array {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new InputError(messages.badOption(fn, 'threshold', threshold, 'a finite number'), 'badOption', {
      option: 'threshold',
      value: threshold,
    });
  }
  const n = scores.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = scores[i]! >= threshold ? 1 : 0;
  return out;
}

/**
 * Sample weights to a `Float64Array`: finite and >= 0 (numbers, numeric strings, bigints);
 * anything else at row i -> `InputError` `messages.badWeight(fn, column, i, value)`.
 *
 * Cost: one pass; an all-valid `Float64Array` is returned as is (zero-copy).
 *
 * @example
 * ```ts
 * toWeights([1, 0, '2.5'], { column: 'w' });        // Float64Array [1, 0, 2.5]
 * toWeights([1, -1], { column: 'w', fn: 'f' });     // throws InputError: messages.badWeight('f', 'w', 1, -1)
 * ```
 */
export function toWeights(values: ArrayLike<unknown>, options: { column: string; fn?: string }): Float64Array {
  const { column } = options;
  const fn = options.fn ?? 'toWeights';
  return toFloat64(values, isWeight, (row, value) =>
    new InputError(messages.badWeight(fn, column, row, value), 'badWeight', { column, row, value }),
  );
}
