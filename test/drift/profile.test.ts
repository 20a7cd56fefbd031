import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { InputError, SchemaError, messages } from '../../src/errors.js';
import { Random } from '../../src/intervals/random.js';
import {
  emptyProfile,
  inferColumnKind,
  mergeProfiles,
  numericQuantiles,
  profile,
  profileFromJSON,
  profileToJSON,
  type CategoricalProfile,
  type NumericProfile,
  type Profile,
} from '../../src/drift/profile.js';
import { rowPriorities } from '../../src/drift/sketch.js';
import { binCounts, quantileEdges } from '../../src/drift/stats/binning.js';

const num = (p: Profile, c: string) => p.columns.find((x) => x.column === c) as NumericProfile;
const cat = (p: Profile, c: string) => p.columns.find((x) => x.column === c) as CategoricalProfile;

/** Naive two-pass mean and Σ(x − mean)² over the finite numbers. */
function twoPass(xs: number[]): { mean: number; m2: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let m2 = 0;
  for (const x of xs) m2 += (x - mean) ** 2;
  return { mean, m2 };
}

describe('profile', () => {
  it('profile(data) summarises a numeric column like a naive two-pass reference', () => {
    const rng = new Random(5);
    const xs = Array.from({ length: 5000 }, () => 1e6 + rng.uniform() * 10);
    const raw: unknown[] = xs.map((x, i) => (i % 97 === 0 ? null : i % 89 === 0 ? NaN : x));
    const kept = xs.filter((_, i) => i % 97 !== 0 && i % 89 !== 0);
    const c = num(profile({ x: raw }), 'x');
    const ref = twoPass(kept);
    expect([c.rows, c.count, c.nulls]).toEqual([5000, kept.length, 5000 - kept.length]);
    expect(c.mean).toBeCloseTo(ref.mean, 7);
    expect(Math.abs(c.m2 - ref.m2) / ref.m2).toBeLessThan(1e-9);
    expect(c.min).toBe(Math.min(...kept));
    expect(c.max).toBe(Math.max(...kept));
    // exact sample: every non-null value, sorted, each with its row's priority
    expect(c.sample.exact).toBe(true);
    expect(Array.from(c.sample.values)).toEqual([...kept].sort((a, b) => a - b));
    const pri = rowPriorities(0, 0, 5000);
    const byValue = new Map(xs.map((x, i) => [x, pri[i]!]));
    expect(Array.from(c.sample.priorities!)).toEqual(Array.from(c.sample.values, (v) => byValue.get(v)));
  });

  it('profile counts null, undefined, NaN, empty strings and ±Infinity as missing in numeric columns', () => {
    const c = num(profile({ x: [1, null, undefined, NaN, '', Infinity, -Infinity, '2', 3n, true, new Date(5)] }, { types: { x: 'numeric' } }), 'x');
    expect([c.rows, c.nulls, c.count]).toEqual([11, 6, 5]);
    expect(Array.from(c.sample.values)).toEqual([1, 1, 2, 3, 5]); // true -> 1, '2' -> 2, 3n -> 3, Date(5) -> 5
  });

  it('profile reads typed arrays, Arrow tables with nulls and row objects alike', () => {
    const values = [3, 1, 2, 2, 7];
    const fromTyped = num(profile({ x: new Int32Array(values) }), 'x');
    const fromRows = num(profile(values.map((x) => ({ x }))), 'x');
    const fromArrow = num(profile(tableFromArrays({ x: Float64Array.from(values) })), 'x');
    expect(fromRows).toEqual(fromTyped);
    expect(fromArrow).toEqual(fromTyped);
    const withNull = num(profile(tableFromArrays({ x: [1, null, 3] as (number | null)[] }) as unknown), 'x');
    expect([withNull.nulls, withNull.count, withNull.mean]).toEqual([1, 2, 2]);
  });

  it('profile counts categories like a Map loop, sorted by value, missing values apart', () => {
    const rng = new Random(3);
    const pool = ['b', 'a', 'c', '', null, 'd', 7, true];
    const vals = Array.from({ length: 3000 }, () => pool[Math.floor(rng.uniform() * pool.length)]);
    const c = cat(profile({ c: vals }), 'c');
    const ref = new Map<string, number>();
    let nulls = 0;
    for (const v of vals) {
      if (v === null || v === '') nulls++;
      else ref.set(String(v), (ref.get(String(v)) ?? 0) + 1);
    }
    expect(c.kind).toBe('categorical');
    expect(c.nulls).toBe(nulls);
    expect(c.count).toBe(3000 - nulls);
    expect(c.categories).toEqual([...ref].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    expect(c.other).toBe(0);
  });

  it('profile keeps the first maxCategories categories in sorted order and counts the rest as other', () => {
    const c = cat(profile({ c: ['d', 'a', 'c', 'b', 'a', 'd', 'd'] }, { maxCategories: 2 }), 'c');
    expect(c.categories).toEqual([['a', 2], ['b', 1]]);
    expect(c.other).toBe(4);
    expect(c.maxCategories).toBe(2);
  });

  it('profile labels boolean columns false/true whatever their spelling', () => {
    const p = profile({ a: [0, 1, 1, null], b: [true, false, true, true], s: ['TRUE', '0', 'false', ''] }, { types: { s: 'boolean' } });
    expect(p.columns.map((c) => c.kind)).toEqual(['boolean', 'boolean', 'boolean']);
    expect(cat(p, 'a').categories).toEqual([['false', 1], ['true', 2]]);
    expect(cat(p, 'b').categories).toEqual([['false', 1], ['true', 3]]);
    expect(cat(p, 's').categories).toEqual([['false', 2], ['true', 1]]);
  });

  it('profile gives reference PSI edges at the quantiles and exact counts while the sample is exact', () => {
    const rng = new Random(11);
    const xs = Float64Array.from({ length: 2000 }, () => Math.round(rng.uniform() * 50));
    const c = num(profile({ x: xs }), 'x');
    const sorted = xs.slice().sort();
    expect(c.edges).toEqual(Array.from(quantileEdges(sorted, 10)));
    expect(c.binCounts).toEqual(Array.from(binCounts(xs, c.edges)));
    expect(c.binCounts.reduce((a, b) => a + b, 0)).toBe(2000);
    // hand-worked: 1..10 in 4 bins -> edges 3.25, 5.5, 7.75 (right-closed bins)
    const small = num(profile({ x: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1] }, { bins: 4 }), 'x');
    expect(small.edges).toEqual([3.25, 5.5, 7.75]);
    expect(small.binCounts).toEqual([3, 2, 2, 3]);
  });

  it('profile scales the bin counts of a sample to the column count and states the sample error bound', () => {
    const rng = new Random(12);
    const xs = Float64Array.from({ length: 50_000 }, () => rng.uniform());
    const c = num(profile({ x: xs }, { sampleCapacity: 5000 }), 'x');
    expect(c.sample.exact).toBe(false);
    expect(c.sample.values.length).toBe(5000);
    expect(c.sample.epsilon).toBeCloseTo(Math.sqrt(Math.log(40) / 10_000), 15);
    expect(c.binCounts.reduce((a, b) => a + b, 0)).toBeCloseTo(50_000, 6);
    const scaled = Array.from(binCounts(c.sample.values, c.edges), (k) => k * 10);
    expect(c.binCounts).toEqual(scaled);
    // the edges estimate the true deciles of U(0, 1) within the sample's CDF error
    c.edges.forEach((e, i) => expect(Math.abs(e - (i + 1) / 10)).toBeLessThan(c.sample.epsilon!));
    // moments use every value, not the sample
    expect(c.count).toBe(50_000);
    expect(c.mean).toBeCloseTo(twoPass(Array.from(xs)).mean, 12);
  });

  it('profile is deterministic for a seed and samples differently for another', () => {
    const rng = new Random(4);
    const data = { x: Float64Array.from({ length: 1000 }, () => rng.uniform()) };
    const a = num(profile(data, { sampleCapacity: 50, seed: 1 }), 'x');
    expect(num(profile(data, { sampleCapacity: 50, seed: 1 }), 'x')).toEqual(a);
    expect(num(profile(data, { sampleCapacity: 50, seed: 2 }), 'x').sample.values).not.toEqual(a.sample.values);
  });

  it('numericQuantiles reads quantiles off the sample (exact when the sample is)', () => {
    const c = num(profile({ x: [5, 1, 4, 2, 3] }), 'x');
    expect(numericQuantiles(c, [0, 0.25, 0.5, 1])).toEqual([1, 2, 3, 5]);
    expect(numericQuantiles(c.sample, [0.1])).toEqual([1.4]);
  });

  it('profile throws typed errors for unknown columns, empty data, bad values and bad options', () => {
    const data = { x: [1, 2], y: ['a', 'b'] };
    expect(() => profile(data, { columns: ['z'] })).toThrow(messages.missingColumn('profile', 'z', ['x', 'y']));
    expect(() => profile(data, { types: { z: 'numeric' } })).toThrow(messages.missingColumn('profile', 'z', ['x', 'y']));
    expect(() => profile({ x: [] })).toThrow(messages.emptyInput('profile', 'data'));
    expect(() => profile([])).toThrow(InputError);
    expect(() => profile(data, { columns: [] })).toThrow(messages.emptyInput('profile', 'columns'));
    expect(() => profile(data, { columns: ['x', 'x'] })).toThrow(messages.badOption('profile', 'columns', 'x', 'distinct column names'));
    expect(() => profile(data, { types: { y: 'numeric' } })).toThrow(messages.notNumeric('profile', 'y', 0, 'a'));
    expect(() => profile(data, { types: { x: 'text' as 'numeric' } })).toThrow(
      messages.badOption('profile', 'types.x', 'text', "'numeric', 'categorical' or 'boolean'"),
    );
    expect(() => profile(data, { bins: 0 })).toThrow(messages.badOption('profile', 'bins', 0, 'an integer >= 1'));
    expect(() => profile(data, { sampleCapacity: 1.5 })).toThrow(messages.badOption('profile', 'sampleCapacity', 1.5, 'an integer >= 1'));
    expect(() => profile(data, { seed: 0.5 })).toThrow(messages.badOption('profile', 'seed', 0.5, 'a safe integer'));
    expect(() => profile(data, { rowOffset: -1 })).toThrow(messages.badOption('profile', 'rowOffset', -1, 'an integer >= 0'));
  });
});

describe('inferColumnKind', () => {
  it('inferColumnKind follows the documented rule', () => {
    const cases: [unknown[] | ArrayLike<unknown>, string][] = [
      [[1.5, 2, null], 'numeric'],
      [new Float64Array([0.5, NaN]), 'numeric'],
      [new Uint8Array([0, 1, 1]), 'boolean'],
      [new BigInt64Array([0n, 1n]), 'boolean'],
      [new BigInt64Array([0n, 5n]), 'numeric'],
      [[0, 1, null, NaN], 'boolean'],
      [[true, false, null], 'boolean'],
      [[true, 0, 1], 'boolean'],
      [[true, 5], 'categorical'],
      [['3', '4.5', '-1e3', ' 7 '], 'numeric'],
      [['0', '1'], 'boolean'],
      [['02134', '10001'], 'categorical'],
      [['1,000'], 'categorical'],
      [[1, 'a'], 'categorical'],
      [[2n, 3], 'numeric'],
      [[new Date(0), new Date(1e12)], 'numeric'],
      [[1, Infinity], 'numeric'],
      [[null, '', undefined, NaN], 'categorical'],
      [[], 'categorical'],
      [new Float64Array([NaN]), 'categorical'],
      [[{ a: 1 }], 'categorical'],
    ];
    for (const [values, kind] of cases) expect([values, inferColumnKind(values)]).toEqual([values, kind]);
  });
});

describe('profile JSON', () => {
  const sample = () => {
    const rng = new Random(21);
    return {
      x: Array.from({ length: 300 }, (_, i) => (i % 50 === 0 ? null : rng.uniform() * 100 - 50)),
      c: Array.from({ length: 300 }, (_, i) => ['u', 'v', 'w', null][i % 4]),
      b: Array.from({ length: 300 }, (_, i) => i % 3 === 0),
      empty: Array.from({ length: 300 }, () => null),
    };
  };

  it('profileFromJSON(profileToJSON(p)) round-trips through JSON text exactly, exact or sampled', () => {
    for (const capacity of [1000, 40]) {
      const p = profile(sample(), { sampleCapacity: capacity, maxCategories: 2, types: { empty: 'numeric' } });
      const text = JSON.stringify(profileToJSON(p));
      const back = profileFromJSON(JSON.parse(text));
      expect(back).toEqual(p);
      expect(JSON.stringify(profileToJSON(back))).toBe(text);
      // JSON.stringify(profile) gives the same text (non-enumerable toJSON)
      expect(JSON.stringify(p)).toBe(text);
    }
    const json = profileToJSON(profile(sample(), { types: { empty: 'numeric' } }));
    const emptyCol = json.columns.find((c) => c.column === 'empty')!;
    expect(emptyCol).toMatchObject({ min: null, max: null, mean: null, m2: 0, edges: [], binCounts: [0] });
    expect(Array.isArray((json.columns[0] as { sample: { values: unknown } }).sample.values)).toBe(true);
  });

  it('profileFromJSON accepts typed arrays serialised as index-keyed objects', () => {
    const p = profile({ x: [3, 1, 2] });
    const json = JSON.parse(JSON.stringify({ ...p, columns: p.columns.map((c) => ({ ...c })) }));
    expect(json.columns[0].sample.values).toEqual({ 0: 1, 1: 2, 2: 3 });
    expect(profileFromJSON(json)).toEqual(p);
  });

  it('profileFromJSON names the offending field in a SchemaError', () => {
    const good = () => profileToJSON(profile({ x: [1, 2, 3], c: ['a', 'b', 'a'] })) as unknown as {
      columns: Record<string, unknown>[];
    } & Record<string, unknown>;
    const bad = (edit: (j: ReturnType<typeof good>) => void) => {
      const j = good();
      edit(j);
      return () => profileFromJSON(j);
    };
    expect(() => profileFromJSON({ kind: 'x' })).toThrow(messages.badSummary('profileFromJSON', 'kind', 'x'));
    expect(() => profileFromJSON(null)).toThrow(SchemaError);
    expect(bad((j) => (j.version = 2))).toThrow(messages.badSummary('profileFromJSON', 'version', 2));
    expect(bad((j) => (j.columns[0]!.count = 2))).toThrow(messages.badSummary('profileFromJSON', 'columns["x"].count', 2));
    expect(bad((j) => ((j.columns[0]!.sample as { values: number[] }).values = [1, 3, 2]))).toThrow(
      messages.badSummary('profileFromJSON', 'columns["x"].sample.values[2]', 2),
    );
    expect(bad((j) => ((j.columns[0]!.sample as { priorities: number[] }).priorities[0] = 1.5))).toThrow(
      messages.badSummary('profileFromJSON', 'columns["x"].sample.priorities[0]', 1.5),
    );
    expect(bad((j) => ((j.columns[0]!.sample as { values: unknown[] }).values[0] = 'a'))).toThrow(
      messages.badSummary('profileFromJSON', 'columns["x"].sample.values[0]', 'a'),
    );
    expect(bad((j) => (j.columns[0]!.edges = [2, 1]))).toThrow(messages.badSummary('profileFromJSON', 'columns["x"].edges[1]', 1));
    expect(bad((j) => (j.columns[1]!.other = 1))).toThrow(messages.badSummary('profileFromJSON', 'columns["c"].other', 1));
    expect(bad((j) => (j.columns[1]!.categories = [['b', 1], ['a', 2]]))).toThrow(
      messages.badSummary('profileFromJSON', 'columns["c"].categories[1][0]', 'a'),
    );
    expect(bad((j) => (j.columns[1]!.kind = 'text'))).toThrow(messages.badSummary('profileFromJSON', 'columns["c"].kind', 'text'));
    expect(bad((j) => (j.columns[1]!.column = 'x'))).toThrow(messages.badSummary('profileFromJSON', 'columns[1].column', 'x'));
  });
});

describe('mergeProfiles errors and emptyProfile', () => {
  it('mergeProfiles throws SchemaError naming the column when columns or kinds differ', () => {
    const a = profile({ x: [1, 2], c: ['a', 'b'] });
    expect(() => mergeProfiles(a, profile({ x: [1, 2] }))).toThrow(messages.profileColumnAbsent('mergeProfiles', 'c', 'first'));
    expect(() => mergeProfiles(profile({ x: [1, 2] }), a)).toThrow(messages.profileColumnAbsent('mergeProfiles', 'c', 'second'));
    expect(() => mergeProfiles(a, profile({ x: ['u', 'v'], c: ['a', 'b'] }))).toThrow(
      messages.profileKindMismatch('mergeProfiles', 'x', 'numeric', 'categorical'),
    );
    expect(() => mergeProfiles(a, profile({ x: [1, 2], c: ['a', 'b'] }, { bins: 4 }))).toThrow(messages.summaryMismatch('mergeProfiles', 'bins', 10, 4));
    expect(() => mergeProfiles(a, profile({ x: [1, 2], c: ['a', 'b'] }, { seed: 3 }))).toThrow(messages.summaryMismatch('mergeProfiles', 'seeds', 0, 3));
    expect(() => mergeProfiles(a, profile({ x: [1, 2], c: ['a', 'b'] }))).not.toThrow();
    try {
      mergeProfiles(a, profile({ x: [1, 2] }));
    } catch (e) {
      expect(e).toBeInstanceOf(SchemaError);
      expect((e as SchemaError).details).toEqual({ column: 'c' });
    }
  });

  it('emptyProfile(kinds) is the profile of no rows and neutral for profiles made with the same options', () => {
    const e = emptyProfile({ x: 'numeric', c: 'categorical', b: 'boolean' }, { sampleCapacity: 10, maxCategories: 3, bins: 4 });
    expect(e.rows).toBe(0);
    expect(num(e, 'x')).toMatchObject({ count: 0, nulls: 0, m2: 0, edges: [], binCounts: [0] });
    expect(num(e, 'x').mean).toBeNaN();
    const p = profile({ x: [1, 5, 2], c: ['a', 'b', 'z'], b: [1, 0, 0] }, { sampleCapacity: 10, maxCategories: 3, bins: 4 });
    expect(mergeProfiles(e, p)).toEqual(p);
    expect(mergeProfiles(p, e)).toEqual(p);
    expect(() => emptyProfile({ x: 'text' as 'numeric' })).toThrow(
      messages.badOption('emptyProfile', 'columns.x', 'text', "'numeric', 'categorical' or 'boolean'"),
    );
  });
});
