import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { thresholdScores, toBinary, toScores, toWeights } from '../../src/io/index.js';

const bits = (c: { values: Uint8Array }) => Array.from(c.values);

describe('toBinary(values)', () => {
  it('toBinary(values) maps 0/1 numbers, booleans and CSV strings directly', () => {
    expect(toBinary([1, 0, 1], { column: 'y' })).toEqual({ values: new Uint8Array([1, 0, 1]), positive: 1, negative: 0 });
    expect(toBinary([false, true], { column: 'y' })).toEqual({ values: new Uint8Array([0, 1]), positive: true, negative: false });
    expect(bits(toBinary(['1', '0', '0'], { column: 'y' }))).toEqual([1, 0, 0]);
    expect(bits(toBinary(['true', 'false'], { column: 'y' }))).toEqual([1, 0]);
    expect(bits(toBinary(['False', 'True'], { column: 'y' }))).toEqual([0, 1]);
    expect(bits(toBinary([1n, 0n], { column: 'y' }))).toEqual([1, 0]);
  });

  it('toBinary(typed array of 0/1) takes the fast path for every typed array type', () => {
    for (const T of [Uint8Array, Int8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array]) {
      expect(toBinary(new T([0, 1, 1]), { column: 'y' })).toEqual({ values: new Uint8Array([0, 1, 1]), positive: 1, negative: 0 });
    }
  });

  it('toBinary(Uint8Array of 0/1) returns the same array, zero-copy', () => {
    const y = new Uint8Array([1, 0, 1]);
    expect(toBinary(y, { column: 'y' }).values).toBe(y);
  });

  it('toBinary(values) accepts a column with one distinct 0/1 or boolean value', () => {
    expect(toBinary([1, 1], { column: 'y' })).toEqual({ values: new Uint8Array([1, 1]), positive: 1, negative: 0 });
    expect(toBinary([false, false], { column: 'y' })).toEqual({ values: new Uint8Array([0, 0]), positive: true, negative: false });
    expect(toBinary(['0'], { column: 'y' })).toEqual({ values: new Uint8Array([0]), positive: '1', negative: '0' });
  });

  it('toBinary(values, { positiveLabel }) maps the positive label to 1 and the other value to 0', () => {
    expect(toBinary(['no', 'yes', 'no'], { column: 'y', positiveLabel: 'yes' })).toEqual({
      values: new Uint8Array([0, 1, 0]),
      positive: 'yes',
      negative: 'no',
    });
    expect(bits(toBinary([2, 4, 2], { column: 'y', positiveLabel: 4 }))).toEqual([0, 1, 0]);
  });

  it('toBinary(values, { positiveLabel }) also matches by String() equality (CLI strings)', () => {
    expect(bits(toBinary([2, 4, 2], { column: 'y', positiveLabel: '4' }))).toEqual([0, 1, 0]);
    expect(bits(toBinary(['a', 'b'], { column: 'y', positiveLabel: 'b' }))).toEqual([0, 1]);
    expect(toBinary([1, 0], { column: 'y', positiveLabel: '1' })).toEqual({ values: new Uint8Array([1, 0]), positive: 1, negative: 0 });
  });

  it('toBinary(0/1 values, { positiveLabel: 0 }) makes 0 the positive value', () => {
    expect(toBinary(new Int32Array([1, 0, 0]), { column: 'y', positiveLabel: 0 })).toEqual({
      values: new Uint8Array([0, 1, 1]),
      positive: 0,
      negative: 1,
    });
    expect(bits(toBinary([1, 0, 0], { column: 'y', positiveLabel: 0 }))).toEqual([0, 1, 1]);
    expect(bits(toBinary([1, 1], { column: 'y', positiveLabel: 0 }))).toEqual([0, 0]);
    expect(bits(toBinary(new Uint8Array([1, 0]), { column: 'y', positiveLabel: '0' }))).toEqual([0, 1]);
  });

  it('toBinary(values, { positiveLabel }) accepts one distinct value: all positive or all negative', () => {
    expect(toBinary(['yes', 'yes'], { column: 'y', positiveLabel: 'yes' })).toEqual({
      values: new Uint8Array([1, 1]),
      positive: 'yes',
      negative: undefined,
    });
    expect(toBinary(['no', 'no'], { column: 'y', positiveLabel: 'yes' })).toEqual({
      values: new Uint8Array([0, 0]),
      positive: 'yes',
      negative: 'no',
    });
  });

  it('toBinary(0/1 values, { positiveLabel }) uses the 0/1 meaning when the label is absent', () => {
    expect(bits(toBinary([1, 0], { column: 'yPred', positiveLabel: 'yes' }))).toEqual([1, 0]);
    expect(bits(toBinary([true, false], { column: 'yPred', positiveLabel: 1 }))).toEqual([1, 0]);
  });

  it('toBinary(values) throws InputError naming the column and row for NaN', () => {
    expect(() => toBinary([1, 0, NaN], { column: 'y', fn: 'f' })).toThrow(messages.missingLabel('f', 'y', 2, NaN));
    expect(() => toBinary(new Float64Array([1, 0, NaN]), { column: 'y', fn: 'f' })).toThrow(messages.missingLabel('f', 'y', 2, NaN));
  });

  it('toBinary(values) throws missingLabel for null, undefined and empty string, with details', () => {
    expect(() => toBinary([1, null], { column: 'y', fn: 'f' })).toThrow(messages.missingLabel('f', 'y', 1, null));
    expect(() => toBinary([undefined, 1], { column: 'y', fn: 'f' })).toThrow(messages.missingLabel('f', 'y', 0, undefined));
    expect(() => toBinary(['yes', ''], { column: 'y', fn: 'f', positiveLabel: 'yes' })).toThrow(
      messages.missingLabel('f', 'y', 1, ''),
    );
    try {
      toBinary([1, 0, null], { column: 'y', fn: 'f' });
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).details).toEqual({ column: 'y', row: 2, value: null });
    }
  });

  it('toBinary(values) throws tooManyLabelValues naming the first row of the third value', () => {
    expect(() => toBinary([0, 1, 1, 2, 3], { column: 'y', fn: 'f' })).toThrow(messages.tooManyLabelValues('f', 'y', [0, 1, 2], 3));
    expect(() => toBinary(new Int32Array([0, 1, 2]), { column: 'y', fn: 'f' })).toThrow(
      messages.tooManyLabelValues('f', 'y', [0, 1, 2], 2),
    );
    expect(() => toBinary(['a', 'b', 'c'], { column: 'y', fn: 'f', positiveLabel: 'a' })).toThrow(
      messages.tooManyLabelValues('f', 'y', ['a', 'b', 'c'], 2),
    );
  });

  it('toBinary(values) throws notBinary for two values that are not 0/1 without positiveLabel', () => {
    expect(() => toBinary(['no', 'yes'], { column: 'y', fn: 'f' })).toThrow(messages.notBinary('f', 'y', ['no', 'yes']));
    expect(() => toBinary([1, 2], { column: 'y', fn: 'f' })).toThrow(messages.notBinary('f', 'y', [1, 2]));
    expect(() => toBinary(new Float64Array([0, 0.5]), { column: 'y', fn: 'f' })).toThrow(messages.notBinary('f', 'y', [0, 0.5]));
  });

  it('toBinary(values) throws singleLabelValue for one value that is not 0/1 without positiveLabel', () => {
    expect(() => toBinary(['yes', 'yes'], { column: 'y', fn: 'f' })).toThrow(messages.singleLabelValue('f', 'y', 'yes'));
  });

  it('toBinary(values, { positiveLabel }) throws positiveLabelAbsent when the label is absent and values are not 0/1', () => {
    expect(() => toBinary(['no', 'yes'], { column: 'y', fn: 'f', positiveLabel: 'Y' })).toThrow(
      messages.positiveLabelAbsent('f', 'y', 'Y', ['no', 'yes']),
    );
  });

  it('toBinary([]) gives an empty column', () => {
    expect(toBinary([], { column: 'y' })).toEqual({ values: new Uint8Array(0), positive: 1, negative: 0 });
  });

  it('toBinary(values) agrees with a row-by-row reference for every representation of 0/1 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 50 }), fc.constantFrom(0, 1, 2, 3, 4), (raw, kind) => {
        const expected = raw.map((b) => (b ? 1 : 0));
        const input =
          kind === 0
            ? raw
            : kind === 1
              ? expected
              : kind === 2
                ? new Float64Array(expected)
                : kind === 3
                  ? expected.map(String)
                  : raw.map(String);
        expect(bits(toBinary(input, { column: 'y' }))).toEqual(expected);
      }),
    );
  });
});

describe('toScores(values)', () => {
  it('toScores(values) converts numbers, numeric strings and bigints', () => {
    expect(toScores([0.5, ' 0.25', 1n, '1e-3'], { column: 's' })).toEqual(new Float64Array([0.5, 0.25, 1, 0.001]));
    expect(toScores(new Int32Array([1, 2]), { column: 's' })).toEqual(new Float64Array([1, 2]));
    expect(toScores([2.5, -1], { column: 's' })).toEqual(new Float64Array([2.5, -1])); // [0, 1] is not checked here
  });

  it('toScores(Float64Array) returns the same array when all values are finite', () => {
    const s = new Float64Array([0.1, 0.9]);
    expect(toScores(s, { column: 's' })).toBe(s);
  });

  it('toScores(values) throws notFiniteScore naming the column and row', () => {
    expect(() => toScores([0.1, null], { column: 's', fn: 'f' })).toThrow(messages.notFiniteScore('f', 's', 1, null));
    expect(() => toScores([0.1, 'abc'], { column: 's', fn: 'f' })).toThrow(messages.notFiniteScore('f', 's', 1, 'abc'));
    expect(() => toScores(['', 0.1], { column: 's', fn: 'f' })).toThrow(messages.notFiniteScore('f', 's', 0, ''));
    expect(() => toScores(new Float64Array([0, Infinity]), { column: 's', fn: 'f' })).toThrow(
      messages.notFiniteScore('f', 's', 1, Infinity),
    );
    expect(() => toScores(new Float32Array([NaN]), { column: 's', fn: 'f' })).toThrow(messages.notFiniteScore('f', 's', 0, NaN));
    expect(() => toScores([true], { column: 's' })).toThrow(InputError);
  });
});

describe('thresholdScores(scores, threshold)', () => {
  it('thresholdScores(scores, t) predicts 1 where score >= t', () => {
    expect(thresholdScores(new Float64Array([0.2, 0.5, 0.50001, 0.49999]), 0.5)).toEqual(new Uint8Array([0, 1, 1, 0]));
  });

  it('thresholdScores(scores, NaN) throws badOption for threshold', () => {
    expect(() => thresholdScores(new Float64Array([0.2]), NaN, 'f')).toThrow(messages.badOption('f', 'threshold', NaN, 'a finite number'));
    expect(() => thresholdScores(new Float64Array([0.2]), '0.5' as unknown as number)).toThrow(InputError);
  });
});

describe('toWeights(values)', () => {
  it('toWeights(values) accepts finite non-negative numbers and numeric strings', () => {
    expect(toWeights([1, 0, '2.5', 3n], { column: 'w' })).toEqual(new Float64Array([1, 0, 2.5, 3]));
    const w = new Float64Array([1, 2]);
    expect(toWeights(w, { column: 'w' })).toBe(w);
  });

  it('toWeights(values) throws badWeight for negative, infinite, missing or non-numeric weights', () => {
    expect(() => toWeights([1, -1], { column: 'w', fn: 'f' })).toThrow(messages.badWeight('f', 'w', 1, -1));
    expect(() => toWeights([1, null], { column: 'w', fn: 'f' })).toThrow(messages.badWeight('f', 'w', 1, null));
    expect(() => toWeights(new Float64Array([Infinity]), { column: 'w', fn: 'f' })).toThrow(messages.badWeight('f', 'w', 0, Infinity));
    expect(() => toWeights(['x'], { column: 'w', fn: 'f' })).toThrow(messages.badWeight('f', 'w', 0, 'x'));
  });
});
