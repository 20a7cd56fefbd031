import { describe, expect, it } from 'vitest';
import { binIndexSQL, compileDriftSQL, driftCountsFromRows, driftCountsInMemory, type DriftQuery } from '../../src/engines/drift-sql.js';
import { MemoryEngine } from '../../src/engines/memory.js';
import { expectSameDriftCounts } from './helpers.js';
import { DuckDBEngine } from '../../src/engines/duckdb.js';
import { profile } from '../../src/drift/profile.js';
import { binCounts } from '../../src/drift/stats/binning.js';
import type { CategoricalProfile, NumericProfile } from '../../src/drift/types.js';
import { InputError, messages } from '../../src/errors.js';

describe('compileDriftSQL', () => {
  it('compileDriftSQL on a ClickHouse table has one level (WITH ... GROUP BY), so that the shards of a Distributed table aggregate', () => {
    const q: DriftQuery = { source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5, 2] }, { column: 'c', kind: 'categorical' }] };
    expect(compileDriftSQL(q, 'clickhouse').queries.map((x) => x.sql)).toEqual([
      'WITH toFloat64(`x`) AS `_fw_x`, CASE WHEN isNull(`_fw_x`) OR NOT (`_fw_x` - `_fw_x` = 0) THEN -1 ' +
        "ELSE CASE WHEN `_fw_x` <= toFloat64('0.5') THEN 0 WHEN `_fw_x` <= toFloat64('2') THEN 1 ELSE 2 END END AS `_fw_b` " +
        'SELECT `_fw_b`, count() AS `_fw_o_n`, min(`_fw_x`) AS `_fw_o_lo`, max(`_fw_x`) AS `_fw_o_hi`, sum(`_fw_x`) AS `_fw_o_s` FROM `t` GROUP BY `_fw_b`',
      "SELECT nullIf(toString(`c`), '') AS `_fw_o_category`, count() AS `_fw_o_n` FROM `t` GROUP BY `c`",
    ]);
  });

  it('compileDriftSQL bins a numeric column with a CASE tree and groups each categorical column (nested form: a ClickHouse query source)', () => {
    const q: DriftQuery = { source: { kind: 'query', text: 'SELECT * FROM t' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5, 2] }, { column: 'c', kind: 'categorical' }] };
    const { queries } = compileDriftSQL(q, 'clickhouse');
    expect(queries).toEqual([
      {
        column: 'x',
        kind: 'numeric',
        sql:
          'SELECT `_fw_b` AS `bin`, count() AS `n`, min(`_fw_x`) AS `lo`, max(`_fw_x`) AS `hi`, sum(`_fw_x`) AS `s` FROM (SELECT CASE WHEN isNull(`_fw_x`) OR NOT (`_fw_x` - `_fw_x` = 0) THEN -1 ' +
          "ELSE CASE WHEN `_fw_x` <= toFloat64('0.5') THEN 0 WHEN `_fw_x` <= toFloat64('2') THEN 1 ELSE 2 END END AS `_fw_b`, `_fw_x` " +
          'FROM (SELECT toFloat64(`x`) AS `_fw_x` FROM (SELECT * FROM t) AS `_fw_src`) AS `_fw_r0`) AS `_fw_r1` GROUP BY `_fw_b`',
      },
      {
        column: 'c',
        kind: 'categorical',
        sql: "SELECT nullIf(toString(`_fw_v`), '') AS `category`, count() AS `n` FROM (SELECT `c` AS `_fw_v` FROM (SELECT * FROM t) AS `_fw_src`) AS `_fw_r0` GROUP BY `_fw_v`",
      },
    ]);
  });

  it('compileDriftSQL bins with a balanced CASE tree in PostgreSQL and DuckDB', () => {
    const q: DriftQuery = { source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5, 2] }] };
    expect(compileDriftSQL(q, 'postgres').queries[0]!.sql).toContain(
      `ELSE CASE WHEN "_fw_x" <= CAST('2' AS double precision) THEN CASE WHEN "_fw_x" <= CAST('0.5' AS double precision) THEN 0 ELSE 1 END ELSE 2 END END`,
    );
  });

  it('binIndexSQL (tree and flat) evaluated by hand gives the right-closed bin of every value', () => {
    const edges = [-1, 0, 2.5, 3, 10];
    const naiveBin = (x: number) => edges.filter((e) => x > e).length;
    const flat = binIndexSQL('x', edges, String, true);
    // flat: the first WHEN x <= e that holds
    const evalFlat = (x: number) => {
      for (const m of flat.matchAll(/WHEN x <= (\S+) THEN (\d+)/g)) if (x <= Number(m[1])) return Number(m[2]);
      return Number(/ELSE (\d+) END$/.exec(flat)![1]);
    };
    for (const x of [-5, -1, -0.5, 0, 1, 2.5, 2.6, 3, 9, 10, 11]) expect(evalFlat(x)).toBe(naiveBin(x));
    const sql = binIndexSQL('x', edges, String);
    // evaluate the CASE text with a tiny interpreter (no eval): 'CASE WHEN x <= e THEN a ELSE b END'
    const evalCase = (text: string, x: number): number => {
      const t = text.trim();
      if (!t.startsWith('CASE')) return Number(t);
      const m = /^CASE WHEN x <= (\S+) THEN /.exec(t)!;
      const rest = t.slice(m[0].length, -' END'.length);
      let depth = 0;
      let split = -1;
      for (let i = 0; i < rest.length; i++) {
        if (rest.startsWith('CASE', i)) depth++;
        else if (rest.startsWith(' END', i)) depth--;
        else if (depth === 0 && rest.startsWith(' ELSE ', i)) {
          split = i;
          break;
        }
      }
      return x <= Number(m[1]) ? evalCase(rest.slice(0, split), x) : evalCase(rest.slice(split + ' ELSE '.length), x);
    };
    const naive = (x: number) => edges.filter((e) => x > e).length; // bins (−∞, e0], (e0, e1], ...
    for (const x of [-5, -1, -0.5, 0, 1, 2.5, 2.6, 3, 9, 10, 11]) expect(evalCase(sql, x)).toBe(naive(x));
    expect(sql.match(/CASE/g)!.length).toBe(edges.length);
  });

  it('compileDriftSQL rejects edges that are not strictly increasing, naming the option', () => {
    const q: DriftQuery = { source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [1, 1] }] };
    expect(() => compileDriftSQL(q, 'duckdb')).toThrow(messages.badOption('compileDriftSQL', 'columns[0].edges', [1, 1], 'finite, strictly increasing numbers'));
  });

  it('driftCountsFromRows places bin rows and counts the missing bin (hand-worked)', () => {
    // x = [0, 0.5, 1, 3, NULL]: (−∞, 0.5] -> 2 (0 .. 0.5), (0.5, 2] -> 1 (1), (2, ∞) -> 1 (3)
    const q: DriftQuery = { source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5, 2] }] };
    const rows = { x: [{ bin: 2, n: '1', lo: 3, hi: 3, s: 3 }, { bin: -1, n: 1n, lo: null, hi: null, s: null }, { bin: 0n, n: 2n, lo: -0, hi: 0.5, s: 0.5 }, { bin: 1, n: 1, lo: 1, hi: 1, s: 1 }] };
    expect(driftCountsFromRows(q, rows, {})).toEqual([
      { column: 'x', kind: 'numeric', rows: 5, nulls: 1, count: 4, edges: [0.5, 2], binCounts: [2, 1, 1], binMin: [0, 1, 3], binMax: [0.5, 1, 3], binSum: [0.5, 1, 3] },
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
      expect(counts[0]).toMatchObject({ column: 'x', kind: 'numeric', rows: 10, nulls: px.nulls, count: px.count, edges, binCounts: Array.from(binCounts(finite, edges)) });
      // finite x by bin: (−∞, 0.5] {0, 0.5, −3}; (0.5, 1.25] {0.5000001, 1.25}; (1.25, 2] {2}; (2, ∞) {7}
      expect(counts[0]).toMatchObject({ binMin: [-3, 0.5000001, 2, 7], binMax: [0.5, 1.25, 2, 7] });
      expectSameDriftCounts((counts[0] as { binSum: number[] }).binSum, [0 + 0.5 - 3, 0.5000001 + 1.25, 2, 7]);
      const columns = [{ column: 'x', kind: 'numeric' as const, edges }, { column: 'c', kind: 'categorical' as const }, { column: 'k', kind: 'categorical' as const }, { column: 'f', kind: 'boolean' as const }];
      expectSameDriftCounts(driftCountsInMemory({ x, c, k, f }, columns), counts);
      expectSameDriftCounts(await new MemoryEngine({ x, c, k, f }).driftCounts({ source: { kind: 'table', text: 't' }, columns }), counts);
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
