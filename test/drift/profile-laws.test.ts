import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyProfile, mergeProfiles, profile, profileToJSON, type ColumnKind, type Profile } from '../../src/drift/profile.js';

/**
 * Law tests: the profile of concatenated data equals the merge of the parts' profiles (parts
 * profiled with their row offsets), merging is associative, and the empty profile is neutral.
 * Counts, min, max, categories, samples (values and priorities), edges and bin counts must be
 * equal exactly; mean and m2 within 1e-9 relative, plus the rounding floor of their scale
 * (1e-15 · Σx² for m2, 1e-15 · max|x| for the mean, and 1e-300 where squares are subnormal),
 * since a sum of squares cannot be reproduced more exactly than it can be computed.
 */

interface Row {
  v: number | string | null;
  c: string | null;
  b: boolean | number | null;
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  v: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }) },
    { weight: 4, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(null, NaN, '', '2.5', Infinity) },
  ),
  c: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e') }, { weight: 1, arbitrary: fc.constant(null) }),
  b: fc.constantFrom(true, false, 0, 1, null),
});

const types: Record<string, ColumnKind> = { v: 'numeric', c: 'categorical', b: 'boolean' };
const optionsArb = fc.record({
  sampleCapacity: fc.integer({ min: 1, max: 8 }),
  maxCategories: fc.integer({ min: 1, max: 4 }),
  bins: fc.integer({ min: 1, max: 5 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});
type Opts = { sampleCapacity: number; maxCategories: number; bins: number; seed: number };

const columnsOf = (rows: Row[]) => ({ v: rows.map((r) => r.v), c: rows.map((r) => r.c), b: rows.map((r) => r.b) });
const prof = (rows: Row[], o: Opts, rowOffset = 0) => profile(columnsOf(rows), { ...o, types, rowOffset });

/** Exact equality except the moments, which are compared with the tolerance above. */
function expectSameProfile(actual: Profile, expected: Profile): void {
  const strip = (p: Profile) => {
    const j = profileToJSON(p);
    const moments: [number | null, number][] = [];
    for (const c of j.columns) {
      if (c.kind === 'numeric') {
        moments.push([c.mean, c.m2]);
        c.mean = 0;
        c.m2 = 0;
      }
    }
    return { j, moments };
  };
  const a = strip(actual);
  const e = strip(expected);
  expect(a.j).toEqual(e.j);
  e.moments.forEach(([mean, m2], i) => {
    const [am, am2] = a.moments[i]!;
    if (mean === null) {
      expect(am).toBeNull();
      return;
    }
    const col = expected.columns.filter((c) => c.kind === 'numeric')[i]!;
    const scale = col.kind === 'numeric' ? Math.max(Math.abs(col.min), Math.abs(col.max)) : 0;
    const sumSq = m2 + (col.kind === 'numeric' ? col.count : 0) * mean * mean;
    expect(Math.abs(am! - mean)).toBeLessThanOrEqual(1e-9 * Math.abs(mean) + 1e-15 * scale + 1e-300);
    expect(Math.abs(am2 - m2)).toBeLessThanOrEqual(1e-9 * Math.abs(m2) + 1e-15 * sumSq + 1e-300);
  });
}

describe('profile merge laws', () => {
  it('mergeProfiles of two parts (with rowOffset) equals profile of the whole', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 2, maxLength: 40 }), fc.nat(), optionsArb, (rows, cut, o) => {
        const s = 1 + (cut % (rows.length - 1));
        const merged = mergeProfiles(prof(rows.slice(0, s), o), prof(rows.slice(s), o, s));
        expectSameProfile(merged, prof(rows, o));
        expect(merged.rows).toBe(rows.length);
      }),
      { numRuns: 300 },
    );
  });

  it('mergeProfiles is associative and its counts and samples do not depend on the order of the parts', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 3, maxLength: 45 }), fc.nat(), fc.nat(), optionsArb, (rows, c1, c2, o) => {
        const i = 1 + (c1 % (rows.length - 2));
        const j = i + 1 + (c2 % (rows.length - i - 1));
        const a = prof(rows.slice(0, i), o);
        const b = prof(rows.slice(i, j), o, i);
        const c = prof(rows.slice(j), o, j);
        const left = mergeProfiles(mergeProfiles(a, b), c);
        expectSameProfile(mergeProfiles(a, mergeProfiles(b, c)), left);
        expectSameProfile(mergeProfiles(c, mergeProfiles(a, b)), left);
        expectSameProfile(left, prof(rows, o));
      }),
      { numRuns: 200 },
    );
  });

  it('emptyProfile(p) is a neutral element on both sides, exactly', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 30 }), optionsArb, (rows, o) => {
        const p = prof(rows, o);
        expect(mergeProfiles(emptyProfile(p), p)).toEqual(p);
        expect(mergeProfiles(p, emptyProfile(p))).toEqual(p);
        const e = emptyProfile(types, o);
        expect(mergeProfiles(e, p)).toEqual(p);
        expect(mergeProfiles(e, e)).toEqual(e);
      }),
      { numRuns: 200 },
    );
  });

  it('merging many exact parts into a sampled whole equals profiling the whole at once', () => {
    const rows: Row[] = Array.from({ length: 2000 }, (_, i) => ({ v: (i * 7919) % 1009, c: 'abcdefg'[i % 7]!, b: i % 3 === 0 }));
    const o = { sampleCapacity: 300, maxCategories: 5, bins: 10, seed: 17 };
    let acc = emptyProfile(types, o);
    for (let s = 0; s < rows.length; s += 128) acc = mergeProfiles(acc, prof(rows.slice(s, s + 128), o, s));
    const whole = prof(rows, o);
    expectSameProfile(acc, whole);
    const v = whole.columns[0]!;
    expect(v.kind === 'numeric' && !v.sample.exact && v.sample.values.length === 300).toBe(true);
  });
});
