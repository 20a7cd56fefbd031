import { describe, expect, it } from 'vitest';
import { compileDriftSQL, driftCountsFromRows, type DriftQuery } from '../../src/engines/drift-sql.js';
import { DuckDBEngine } from '../../src/engines/duckdb.js';
import { profile } from '../../src/drift/profile.js';
import { binCounts } from '../../src/drift/stats/binning.js';
import type { CategoricalProfile, NumericProfile } from '../../src/drift/types.js';
import { InputError, messages } from '../../src/errors.js';

describe('compileDriftSQL', () => {
  it('compileDriftSQL counts numeric columns in one scan and groups each categorical column', () => {
    const q: DriftQuery = { source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5, 2] }, { column: 'c', kind: 'categorical' }] };
    const { numeric, categorical } = compileDriftSQL(q, 'clickhouse');
    expect(numeric).toBe(
      "SELECT count() AS `rows`, sum(CASE WHEN isNull(`_fw_x0`) OR NOT (`_fw_x0` - `_fw_x0` = 0) THEN 1 ELSE 0 END) AS `c0_nulls`, " +
        "sum(CASE WHEN `_fw_x0` - `_fw_x0` = 0 AND `_fw_x0` <= toFloat64('0.5') THEN 1 ELSE 0 END) AS `c0_le0`, " +
        "sum(CASE WHEN `_fw_x0` - `_fw_x0` = 0 AND `_fw_x0` <= toFloat64('2') THEN 1 ELSE 0 END) AS `c0_le1` " +
        'FROM (SELECT toFloat64(`x`) AS `_fw_x0` FROM `t`) AS `_fw_r0`',
    );
    expect(categorical).toEqual([
      { column: 'c', sql: "SELECT nullIf(toString(`_fw_v`), '') AS `category`, count() AS `n` FROM (SELECT `c` AS `_fw_v` FROM `t`) AS `_fw_r0` GROUP BY `_fw_v`" },
    ]);
  });

  it('compileDriftSQL rejects edges that are not strictly increasing, naming the option', () => {
    const q: DriftQuery = { source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [1, 1] }] };
    expect(() => compileDriftSQL(q, 'duckdb')).toThrow(messages.badOption('compileDriftSQL', 'columns[0].edges', [1, 1], 'finite, strictly increasing numbers'));
  });

  it('driftCountsFromRows turns cumulative counts into right-closed bins (hand-worked)', () => {
    // x = [0, 0.5, 1, 3, NULL]: (−∞, 0.5] -> 2, (0.5, 2] -> 1, (2, ∞) -> 1
    const q: DriftQuery = { source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5, 2] }] };
    expect(driftCountsFromRows(q, { rows: 5n, c0_nulls: 1n, c0_le0: '2', c0_le1: 3 }, {})).toEqual([
      { column: 'x', kind: 'numeric', rows: 5, nulls: 1, count: 4, edges: [0.5, 2], binCounts: [2, 1, 1] },
    ]);
  });
});

describe('DuckDBEngine.driftCounts equals the in-memory profile', () => {
  it('numeric bins on stored edges, categories of text, numbers and booleans, and missing values', async () => {
    const x = [0, 0.5, 0.5000001, 2, 7, -3, null, NaN, Infinity, 1.25];
    const c = ['a', 'b', '', null, 'a', 'c', 'b', 'a', 'b', 'a'];
    const k = [1, 2, 1, null, 1, 2, 2, 1, 3, 1];
    const f = [true, false, null, true, true, false, true, null, false, true];
    const sqlValue = (v: unknown) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v}'` : Number.isNaN(v) ? "'nan'::DOUBLE" : v === Infinity ? "'inf'::DOUBLE" : String(v));
    const rows = x.map((_, i) => `(${sqlValue(x[i])}::DOUBLE, ${sqlValue(c[i])}, ${sqlValue(k[i])}::DOUBLE, ${sqlValue(f[i])}::BOOLEAN)`);
    const engine = await DuckDBEngine.open();
    try {
      await engine.exec(`CREATE TABLE t AS SELECT * FROM (VALUES ${rows.join(', ')}) v(x, c, k, f)`);
      const edges = [0.5, 1.25, 2];
      const counts = await engine.driftCounts({
        source: { kind: 'table', text: 't' },
        columns: [{ column: 'x', kind: 'numeric', edges }, { column: 'c', kind: 'categorical' }, { column: 'k', kind: 'categorical' }, { column: 'f', kind: 'boolean' }],
      });
      const p = profile({ x, c, k, f }, { types: { x: 'numeric', c: 'categorical', k: 'categorical', f: 'boolean' } });
      const px = p.columns.find((col) => col.column === 'x') as NumericProfile;
      const finite = x.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      expect(counts[0]).toEqual({ column: 'x', kind: 'numeric', rows: 10, nulls: px.nulls, count: px.count, edges, binCounts: Array.from(binCounts(finite, edges)) });
      expect((counts[0] as { binCounts: number[] }).binCounts).toEqual([3, 2, 1, 1]);
      for (const [i, name] of [[1, 'c'], [2, 'k'], [3, 'f']] as const) {
        const pc = p.columns.find((col) => col.column === name) as CategoricalProfile;
        expect(counts[i]).toMatchObject({ column: name, rows: 10, nulls: pc.nulls, count: pc.count, categories: pc.categories });
      }
      await expect(engine.driftCounts({ source: { kind: 'table', text: 't' }, columns: [{ column: 'zz', kind: 'categorical' }] })).rejects.toThrow(InputError);
    } finally {
      await engine.close();
    }
  });
});
