import { describe, expect, it } from 'vitest';
import { profile } from '../../src/drift/profile.js';
import { driftPushdownColumns, driftReport, driftReportFromCounts, type ColumnDrift } from '../../src/drift/report.js';
import { binnedComparison } from '../../src/drift/stats/binned.js';
import { ksTwoSample, wasserstein1 } from '../../src/drift/stats/index.js';
import type { NumericProfile } from '../../src/drift/types.js';
import { driftCountsInMemory, type DriftColumnSpec } from '../../src/engines/drift-sql.js';
import { DuckDBEngine } from '../../src/engines/duckdb.js';
import { Random } from '../../src/intervals/random.js';
import { normals } from './helpers.js';
import { expectDeepClose, expectSameDriftCounts } from '../engines/helpers.js';


/** Naive binning written for the test: per right-closed bin the count, min and max. */
function naiveBins(values: number[], edges: number[]) {
  const k = edges.length + 1;
  const binCounts = new Array<number>(k).fill(0);
  const binMin = new Array<number | null>(k).fill(null);
  const binMax = new Array<number | null>(k).fill(null);
  const binSum = new Array<number>(k).fill(0);
  for (const x of values) {
    let j = 0;
    while (j < edges.length && x > edges[j]!) j++;
    binCounts[j]++;
    binMin[j] = binMin[j] === null ? x : Math.min(binMin[j]!, x);
    binMax[j] = binMax[j] === null ? x : Math.max(binMax[j]!, x);
    binSum[j] += x;
  }
  return { edges, binCounts, binMin, binMax, binSum };
}

const sorted = (v: number[]) => Float64Array.from(v).sort();

describe('binnedComparison', () => {
  it('binnedComparison is exact when every bin holds one value (hand-worked)', () => {
    // reference {0, 1, 2, 3}; current {1, 1, 3}: F_r − F_c on [0,1): .25 − 0; [1,2): .5 − 2/3; [2,3): .75 − 2/3
    // KS = 0.25; W = 0.25 + 1/6 + 1/12 = 0.5
    const r = binnedComparison(sorted([0, 1, 2, 3]), naiveBins([1, 1, 3], [1.5]));
    expect(r.ks.lower).toBeCloseTo(0.25, 12);
    expect(r.ks.upper).toBeCloseTo(0.25, 12);
    expect(r.wasserstein.lower).toBeCloseTo(0.5, 12);
    expect(r.wasserstein.upper).toBeCloseTo(0.5, 12);
    expect(r.wasserstein.estimate).toBeCloseTo(0.5, 12);
  });

  it('binnedComparison bounds contain the exact KS statistic and Wasserstein distance (seeded shifts, several bin counts)', () => {
    const rng = new Random(11);
    for (const [shift, scale, bins] of [[0, 1, 10], [0.3, 1, 20], [1, 2, 100], [-0.1, 0.5, 50], [3, 1, 100]] as const) {
      const ref = normals(rng, 3000);
      const cur = normals(rng, 5000, shift, scale);
      const refSorted = sorted(ref);
      const edges = [refSorted[0]!, ...Array.from({ length: bins - 1 }, (_, i) => refSorted[Math.floor(((i + 1) * ref.length) / bins)]!), refSorted[ref.length - 1]!];
      const b = binnedComparison(refSorted, naiveBins(cur, [...new Set(edges)]));
      const ks = ksTwoSample(refSorted, sorted(cur)).statistic;
      const w = wasserstein1(refSorted, sorted(cur));
      expect(b.ks.lower).toBeLessThanOrEqual(ks + 1e-12);
      expect(b.ks.upper).toBeGreaterThanOrEqual(ks - 1e-12);
      expect(b.wasserstein.lower).toBeLessThanOrEqual(w + 1e-9);
      expect(b.wasserstein.upper).toBeGreaterThanOrEqual(w - 1e-9);
      // the estimate is within the bounds and, with 100 bins, close to the exact value
      expect(b.ks.estimate).toBeGreaterThanOrEqual(b.ks.lower);
      expect(b.ks.estimate).toBeLessThanOrEqual(b.ks.upper);
      if (bins === 100) {
        expect(Math.abs(b.ks.estimate - ks)).toBeLessThan(0.02);
        expect(Math.abs(b.wasserstein.estimate - w) / Math.max(w, 0.05)).toBeLessThan(0.05);
      }
    }
  });
});

describe('driftReportFromCounts', () => {
  const rng = new Random(5);
  const n = 4000;
  const reference = {
    x: normals(rng, n),
    y: normals(rng, n, 10, 3),
    color: Array.from({ length: n }, () => ['red', 'green', 'blue'][Math.floor(rng.uniform() * 3)]!),
    level: Array.from({ length: n }, () => [1, 2, 3][Math.floor(rng.uniform() * 3)]!),
  };
  const current = {
    x: normals(rng, 6000, 0.4),
    y: normals(rng, 6000, 10, 3),
    color: Array.from({ length: 6000 }, () => ['red', 'green', 'blue', 'pink'][Math.floor(rng.uniform() * 3.2)]!),
    level: Array.from({ length: 6000 }, () => [1, 2, 3][Math.floor(rng.uniform() * 2.5)]!),
  };
  const saved = profile(reference, { types: { level: 'numeric' } });
  const specs = driftPushdownColumns(saved);
  const fromCounts = driftReportFromCounts({ profile: saved, counts: driftCountsInMemory(current, specs) });
  const exact = driftReport({ profile: saved, current, types: { level: 'numeric' } });
  const col = (r: { columns: ColumnDrift[] }, c: string) => r.columns.find((x) => x.column === c)!;

  it('driftPushdownColumns counts numeric columns on the PSI edges plus quantile edges, and few-valued columns value by value', () => {
    const x = specs.find((s) => s.column === 'x') as Extract<DriftColumnSpec, { kind: 'numeric' }>;
    const px = saved.columns.find((c) => c.column === 'x') as NumericProfile;
    for (const e of px.edges) expect(x.edges).toContain(e);
    expect(x.edges.length).toBeGreaterThanOrEqual(99);
    const level = specs.find((s) => s.column === 'level') as Extract<DriftColumnSpec, { kind: 'numeric' }>;
    for (const v of [1, 2, 3]) expect(level.edges).toContain(v);
    expect(specs.find((s) => s.column === 'color')).toEqual({ column: 'color', kind: 'categorical' });
  });

  it('driftReportFromCounts equals driftReport on categorical columns and on every binned statistic', () => {
    expect(col(fromCounts, 'color')).toEqual(col(exact, 'color'));
    for (const c of ['x', 'y']) {
      const a = col(fromCounts, c);
      const b = col(exact, c);
      for (const k of ['psi', 'jensenShannon', 'hellinger', 'kl', 'tvd', 'missingShareReference', 'missingShareCurrent', 'test', 'threshold', 'histogram'] as const) {
        expect(a[k]).toEqual(b[k]);
      }
      expect(a.approximation!.ksStatistic!.lower).toBeLessThanOrEqual(b.ksStatistic! + 1e-12);
      expect(a.approximation!.ksStatistic!.upper).toBeGreaterThanOrEqual(b.ksStatistic! - 1e-12);
      expect(a.approximation!.wasserstein!.lower).toBeLessThanOrEqual(b.wasserstein! + 1e-9);
      expect(a.approximation!.wasserstein!.upper).toBeGreaterThanOrEqual(b.wasserstein! - 1e-9);
      expect(a.drifted).toBe(b.drifted);
    }
    expect(col(fromCounts, 'x').drifted).toBe(true);
    expect(col(fromCounts, 'y').drifted).toBe(false);
    expect(fromCounts.json.driftedColumns).toEqual(exact.json.driftedColumns);
  });

  it('driftReportFromCounts counts a few-valued numeric column value by value: the same categories, KS and Wasserstein as in memory', () => {
    const a = col(fromCounts, 'level');
    const b = col(exact, 'level');
    for (const k of ['test', 'histogram', 'jensenShannon', 'psi', 'unseenShare', 'drifted'] as const) expect(a[k]).toEqual(b[k]);
    expect(a.approximation!.lumpedCategories).toEqual([]);
    // every bin holds one value: the bounds are tight
    expect(a.approximation!.ksStatistic!.upper - a.approximation!.ksStatistic!.lower).toBeLessThan(1e-12);
    expect(a.ksStatistic!).toBeCloseTo(b.ksStatistic!, 12);
    expect(a.wasserstein!).toBeCloseTo(b.wasserstein!, 9);
  });

  it('DuckDB driftCounts on the same rows give the same report as the in-memory counts', async () => {
    const engine = await DuckDBEngine.open();
    try {
      const values = current.x.map((_, i) => `('${current.x[i]}'::DOUBLE, '${current.y[i]}'::DOUBLE, '${current.color[i]}', ${current.level[i]})`);
      await engine.exec(`CREATE TABLE cur (x DOUBLE, y DOUBLE, color VARCHAR, level INTEGER)`);
      for (let i = 0; i < values.length; i += 1000) await engine.exec(`INSERT INTO cur VALUES ${values.slice(i, i + 1000).join(', ')}`);
      const counts = await engine.driftCounts({ source: { kind: 'table', text: 'cur' }, columns: specs });
      expectSameDriftCounts(counts, driftCountsInMemory(current, specs));
      expectDeepClose(driftReportFromCounts({ profile: saved, counts }).toJSON(), fromCounts.toJSON());
    } finally {
      await engine.close();
    }
  });
});
