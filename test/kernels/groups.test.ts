import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { compareGroupKeys, encodeGroups, intersectGroupings, MISSING_LABEL, groupKeyLabel } from '../../src/kernels/groups.js';

describe('encodeGroups', () => {
  it('encodeGroups(strings) assigns codes in sorted order with missing last', () => {
    const g = encodeGroups(['b', 'a', null, 'b', '', undefined, 'c'], { column: 'sex' });
    expect(g.keys).toEqual([['a'], ['b'], ['c'], [null]]);
    expect(Array.from(g.codes)).toEqual([1, 0, 3, 1, 3, 3, 2]);
    expect(g.dropped).toBe(0);
    expect(groupKeyLabel(g.keys[3]!)).toBe(MISSING_LABEL);
  });

  it("encodeGroups(missing: 'drop') marks dropped rows with keys.length and counts them", () => {
    const g = encodeGroups(['x', NaN, 'y', null], { column: 'c', missing: 'drop' });
    expect(g.keys).toEqual([['x'], ['y']]);
    expect(Array.from(g.codes)).toEqual([0, 2, 1, 2]);
    expect(g.dropped).toBe(2);
  });

  it("encodeGroups(missing: 'error') throws InputError naming the column and row", () => {
    const call = () => encodeGroups(['x', 'y', null], { column: 'race', missing: 'error', fn: 'f' });
    expect(call).toThrow(InputError);
    expect(call).toThrow(messages.missingSensitive('f', 'race', 2));
  });

  it('encodeGroups(typed ints) uses numeric order and the same codes as a plain array', () => {
    const typed = encodeGroups(new Int32Array([30, -1, 30, 7]), { column: 'age' });
    const plain = encodeGroups([30, -1, 30, 7], { column: 'age' });
    expect(typed.keys).toEqual([[-1], [7], [30]]);
    expect(Array.from(typed.codes)).toEqual([2, 0, 2, 1]);
    expect(Array.from(plain.codes)).toEqual(Array.from(typed.codes));
  });

  it('encodeGroups(too many values) throws naming the limit and the row', () => {
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    expect(() => encodeGroups(values, { column: 'id', maxGroups: 5, fn: 'f' })).toThrow(messages.tooManyGroups('f', 'id', 5, 5));
    expect(() => encodeGroups(Uint8Array.from({ length: 20 }, (_, i) => i), { column: 'id', maxGroups: 5, fn: 'f' })).toThrow(
      messages.tooManyGroups('f', 'id', 5, 5),
    );
  });

  it('encodeGroups(values) agrees with a naive Map-and-sort reference (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('a', 'b', 'zz', null), fc.integer({ min: -3, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 60 }), (values) => {
        const g = encodeGroups(values, { column: 'c' });
        const norm = values.map((v) => (v === null ? null : v));
        const distinct: (string | number | boolean | null)[] = [];
        for (const v of norm) if (!distinct.some((d) => d === v)) distinct.push(v);
        distinct.sort((a, b) => compareGroupKeys([a], [b]));
        expect(g.keys).toEqual(distinct.map((d) => [d]));
        norm.forEach((v, i) => expect(g.keys[g.codes[i]!]![0]).toBe(v));
      }),
    );
  });
});

describe('intersectGroupings', () => {
  it('intersectGroupings(a, b) lists only combinations that occur, in lexicographic order', () => {
    const a = encodeGroups(['m', 'f', 'f', 'm'], { column: 'sex' });
    const b = encodeGroups(['y', 'x', 'y', 'y'], { column: 'race' });
    const g = intersectGroupings([a, b]);
    expect(g.columns).toEqual(['sex', 'race']);
    expect(g.keys).toEqual([
      ['f', 'x'],
      ['f', 'y'],
      ['m', 'y'],
    ]);
    expect(Array.from(g.codes)).toEqual([2, 0, 1, 2]);
  });

  it('intersectGroupings drops a row when any component dropped it, counting it once', () => {
    const a = encodeGroups(['m', null, 'f', null], { column: 'sex', missing: 'drop' });
    const b = encodeGroups(['y', 'x', null, null], { column: 'race', missing: 'drop' });
    const g = intersectGroupings([a, b]);
    expect(g.keys).toEqual([['m', 'y']]);
    expect(g.dropped).toBe(3);
    expect(Array.from(g.codes)).toEqual([0, 1, 1, 1]);
  });
});
