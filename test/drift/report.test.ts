import { describe, expect, it } from 'vitest';
import { messages } from '../../src/errors.js';
import { profile, profileFromJSON } from '../../src/drift/profile.js';
import { driftReport } from '../../src/drift/report.js';
import { Random } from '../../src/intervals/random.js';
import { normals } from './helpers.js';

const pick = (rng: Random, n: number, cats: string[], p: number[]) =>
  Array.from({ length: n }, () => {
    let u = rng.uniform();
    for (let i = 0; i < cats.length; i++) if ((u -= p[i]!) < 0) return cats[i]!;
    return cats[cats.length - 1]!;
  });

function data(seed: number, n: number, shift: { x?: number; color?: number[] } = {}) {
  const rng = new Random(seed);
  return {
    x: normals(rng, n, shift.x ?? 0),
    stable: normals(rng, n),
    color: pick(rng, n, ['red', 'green', 'blue'], shift.color ?? [0.5, 0.3, 0.2]),
    flag: Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0)),
  };
}

describe('driftReport', () => {
  it('driftReport finds a known mean shift and a known category shift and leaves stable columns alone', () => {
    const r = driftReport({ reference: data(1, 5000), current: data(2, 5000, { x: 0.5, color: [0.2, 0.3, 0.5] }) });
    const col = (c: string) => r.columns.find((x) => x.column === c)!;
    expect(col('x').test).toBe('wassersteinNormed');
    expect(col('x').drifted).toBe(true);
    expect(col('x').wasserstein!).toBeGreaterThan(0.4);
    expect(col('x').wasserstein!).toBeLessThan(0.6);
    expect(col('stable').drifted).toBe(false);
    expect(col('color').test).toBe('jensenShannon');
    expect(col('color').drifted).toBe(true);
    expect(col('flag').drifted).toBe(false);
    // every applicable statistic is reported, the others are null
    expect(col('x').ksPValue).not.toBeNull();
    expect(col('x').chiSquare).toBeNull();
    expect(col('color').ksStatistic).toBeNull();
    expect(col('color').chiSquarePValue).not.toBeNull();
    expect(r.json.driftShare).toBe(0.5);
    expect(r.datasetDrift).toBe(true);
    expect(r.json.driftedColumns).toEqual(['x', 'color']);
  });

  it('driftReport chooses tests as Evidently does for small references', () => {
    const r = driftReport({ reference: data(3, 800), current: data(4, 800) });
    const tests = Object.fromEntries(r.columns.map((c) => [c.column, c.test]));
    expect(tests).toEqual({ x: 'ks', stable: 'ks', color: 'chiSquare', flag: 'zTest' });
    expect(r.columns.every((c) => c.alpha === 0.05)).toBe(true);
  });

  it('driftReport needs the effect size as well as a small p-value', () => {
    // 200k rows each, a tiny shift: KS p-value is small but D is far below 0.1
    const r = driftReport({ reference: { x: data(5, 200_000).x }, current: { x: data(6, 200_000, { x: 0.03 }).x }, tests: { x: 'ks' } });
    const c = r.columns[0]!;
    expect(c.ksPValue!).toBeLessThan(0.05);
    expect(c.ksStatistic!).toBeLessThan(0.1);
    expect(c.drifted).toBe(false);
    expect(c.reason).toContain('KS statistic');
  });

  it('driftReport reports missing shares and the share of unseen categories', () => {
    const ref = { c: [...Array(60).fill('a'), ...Array(40).fill('b')] };
    const cur = { c: [...Array(50).fill('a'), ...Array(30).fill('b'), ...Array(10).fill('new'), ...Array(10).fill(null)] };
    const r = driftReport({ reference: ref, current: cur });
    const c = r.columns[0]!;
    expect(c.missingShareReference).toBe(0);
    expect(c.missingShareCurrent).toBe(0.1);
    expect(c.unseenShare).toBeCloseTo(10 / 90, 15);
    expect(c.chiSquare).not.toBeNull();
  });

  it('driftReport marks tiny, constant and all-null columns insufficient with a reason', () => {
    const r = driftReport({
      reference: { tiny: [1, 2, 3, ...Array(97).fill(null)], constant: Array(100).fill(7), empty: Array(100).fill(null) },
      current: { tiny: [4, 5, 6, ...Array(97).fill(null)], constant: Array(100).fill(7), empty: Array(100).fill(null) },
    });
    for (const c of r.columns) {
      expect(c.status).toBe('insufficient');
      expect(c.drifted).toBeNull();
      expect(c.reason.length).toBeGreaterThan(0);
    }
    expect(r.json.driftShare).toBeNull();
    expect(r.datasetDrift).toBe(false);
  });

  it('driftReport from a saved profile gives the same numbers as from the reference data', () => {
    const ref = data(7, 3000);
    const cur = data(8, 3000, { x: 0.2 });
    const a = driftReport({ reference: ref, current: cur });
    const saved = JSON.parse(JSON.stringify(profile(ref)));
    const b = driftReport({ profile: profileFromJSON(saved), current: cur });
    expect(b.columns).toEqual(a.columns);
  });

  it('driftReport --by shows a shift that hits one group only', () => {
    const rng = new Random(9);
    const n = 4000;
    const group = Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b'));
    const refX = normals(rng, n);
    const curX = normals(rng, n).map((v, i) => (group[i] === 'b' ? v + 1 : v));
    const r = driftReport({ reference: { x: refX, g: group }, current: { x: curX, g: group }, by: 'g', columns: ['x'] });
    const byGroup = Object.fromEntries(r.json.by!.groups.map((g) => [g.group, g.report.columns[0]!.drifted]));
    expect(byGroup).toEqual({ a: false, b: true });
  });

  it('driftReport applies Bonferroni and Benjamini–Hochberg corrections to p-value tests', () => {
    const ref = data(10, 500);
    const cur = data(11, 500, { x: 0.4 });
    const bonf = driftReport({ reference: ref, current: cur, correction: 'bonferroni' });
    const tested = bonf.columns.filter((c) => c.alpha !== null && c.status === 'ok');
    expect(tested.length).toBe(4);
    for (const c of tested) expect(c.alphaApplied).toBeCloseTo(0.05 / 4, 15);
    const bh = driftReport({ reference: ref, current: cur, correction: 'benjamini-hochberg' });
    expect(bh.columns.find((c) => c.column === 'x')!.drifted).toBe(true);
  });

  it('driftReport rejects bad options and missing columns with typed errors', () => {
    const d = data(12, 100);
    expect(() => driftReport({ reference: d, current: d, alpha: 2 })).toThrow(messages.badOption('driftReport', 'alpha', 2, 'a number in (0, 1)'));
    expect(() => driftReport({ reference: d, current: { x: d.x } })).toThrow(messages.missingColumn('driftReport', 'stable', ['x']));
    expect(() => driftReport({ current: d })).toThrow(/exactly one of reference or profile/);
  });

  it('a drift report serialises, prints, and gives vega-lite specs', () => {
    const r = driftReport({ reference: data(13, 2000), current: data(14, 2000, { x: 1 }) });
    const json = JSON.parse(JSON.stringify(r));
    expect(json.columns[0].column).toBe('x');
    expect(String(r)).toContain('DRIFT');
    expect(r.toMarkdown()).toContain('| column |');
    expect((r.histogramChart('x') as { data: { values: unknown[] } }).data.values.length).toBe(2 * r.columns[0]!.histogram.bins.length);
    expect((r.scoreChart() as { $schema: string }).$schema).toContain('vega-lite/v6');
  });
});

describe('profile(withPriorities: false)', () => {
  it('gives the same sorted values, edges and bin counts as a mergeable profile', () => {
    const d = data(20, 3000);
    const a = profile(d, { columns: ['x'] }).columns[0]!;
    const b = profile(d, { columns: ['x'], withPriorities: false }).columns[0]!;
    if (a.kind !== 'numeric' || b.kind !== 'numeric') throw new Error('expected numeric columns');
    expect(Array.from(b.sample.values)).toEqual(Array.from(a.sample.values));
    expect(b.edges).toEqual(a.edges);
    expect(b.binCounts).toEqual(a.binCounts);
    expect(b.sample.priorities).toBeUndefined();
  });
});
