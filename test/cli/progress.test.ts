import { describe, expect, it } from 'vitest';
import { scanProgress } from '../../src/cli/progress.js';
import { DuckDBEngine } from '../../src/engines/duckdb.js';
import type { ScanProgress } from '../../src/engines/types.js';

function stream(isTTY: boolean) {
  const s = { isTTY, written: '', columns: 100, write: (t: string) => ((s.written += t), true), cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
  return s;
}

describe('scanProgress', () => {
  it('scanProgress draws nothing when stderr is not a terminal', () => {
    const s = stream(false);
    const p = scanProgress(s);
    expect(p.active).toBe(false);
    p.update({ step: 'fairness by sex', rowsDone: 10, rowsTotal: 100, done: false });
    p.update({ step: 'fairness by sex', rowsDone: 100, rowsTotal: 100, done: true });
    p.stop();
    expect(s.written).toBe('');
  });

  it('scanProgress on a terminal draws each step with rows done of rows to do', () => {
    const s = stream(true);
    const p = scanProgress(s);
    expect(p.active).toBe(true);
    p.update({ step: 'drift income', rowsDone: 2_500_000, rowsTotal: 10_000_000, done: false });
    p.update({ step: 'drift income', rowsDone: 10_000_000, rowsTotal: 10_000_000, done: true });
    p.stop();
    expect(s.written).toContain('drift income');
    expect(s.written).toContain('10,000,000/10,000,000 rows');
  });
});

describe('engine progress callbacks', () => {
  it('DuckDBEngine reports the end of every step with the rows it scanned', async () => {
    const engine = await DuckDBEngine.open();
    const seen: ScanProgress[] = [];
    try {
      await engine.exec("CREATE TABLE t AS SELECT i % 2 AS y, (i * 7) % 2 AS p, CASE WHEN i % 3 = 0 THEN 'f' ELSE 'm' END AS sex, i / 1000.0 AS x FROM range(5000) r(i)");
      await engine.fairnessSummaries({ source: { kind: 'table', text: 't' }, label: 'y', prediction: 'p', sensitive: ['sex'], onProgress: (p) => seen.push(p) });
      await engine.driftCounts({ source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [1, 2] }], onProgress: (p) => seen.push(p) });
    } finally {
      await engine.close();
    }
    const ends = seen.filter((p) => p.done);
    expect(ends).toEqual([
      { step: 'fairness by sex', rowsDone: 5000, rowsTotal: 5000, done: true },
      { step: 'drift x', rowsDone: 5000, rowsTotal: 5000, done: true },
    ]);
  });
});
