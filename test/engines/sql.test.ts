import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import {
  checkFairnessColumns,
  compileFairnessSQL,
  compileProbeSQL,
  doubleLiteral,
  fairnessColumns,
  oneLevelFrom,
  quoteIdentifier,
  quoteString,
  sourceSQL,
  sqlTypeKind,
} from '../../src/engines/sql.js';
import type { FairnessQuery } from '../../src/engines/types.js';
import { MemoryEngine } from '../../src/engines/memory.js';

const base: FairnessQuery = {
  source: { kind: 'table', text: 'ml.preds' },
  label: 'repaid',
  prediction: 'approved',
  score: 'score',
  sensitive: ['sex', 'age_band'],
};

describe('compileFairnessSQL', () => {
  it('compileFairnessSQL(query, dialect) matches the golden SQL of each dialect', async () => {
    await expect(compileFairnessSQL(base, 'duckdb')).toMatchFileSnapshot('./golden/fairness-duckdb.sql');
    await expect(compileFairnessSQL(base, 'postgres')).toMatchFileSnapshot('./golden/fairness-postgres.sql');
    await expect(compileFairnessSQL(base, 'clickhouse')).toMatchFileSnapshot('./golden/fairness-clickhouse.sql');
    const typed = { kinds: { repaid: 'number', approved: 'number' } } as const;
    const q: FairnessQuery = { ...base, prediction: undefined, threshold: 0.5, weights: 'w', positiveLabel: 'yes' };
    await expect(compileFairnessSQL(q, 'duckdb', typed)).toMatchFileSnapshot('./golden/fairness-duckdb-typed-weighted.sql');
    await expect(compileFairnessSQL(q, 'clickhouse', typed)).toMatchFileSnapshot('./golden/fairness-clickhouse-typed-weighted.sql');
  });

  it('compileFairnessSQL groups by the raw sensitive values, the codes and the bin', () => {
    const sql = compileFairnessSQL(base, 'duckdb');
    expect(sql.endsWith('GROUP BY "_fw_s0", "_fw_s1", "_fw_y", "_fw_p", "_fw_bin"')).toBe(true);
    expect(sql).toContain(`NULLIF(CAST("_fw_s0" AS VARCHAR), '') AS "s0"`);
    expect(sql).toContain('CAST(least(floor("_fw_sc" * 3000), 2999) AS INTEGER)');
    expect(sql).not.toMatch(/OVER\s*\(/i);
  });

  it('compileFairnessSQL without a score has no bin and no score sums', () => {
    const sql = compileFairnessSQL({ ...base, score: undefined }, 'postgres');
    expect(sql).not.toContain('"bin"');
    expect(sql).not.toContain('"wp"');
    expect(sql.endsWith('GROUP BY "_fw_s0", "_fw_s1", "_fw_y", "_fw_p"')).toBe(true);
  });

  it('compileFairnessSQL for clickhouse uses only 18.16 functions and backquoted identifiers', () => {
    const sql = compileFairnessSQL({ ...base, weights: 'w', positiveLabel: "it's" }, 'clickhouse');
    expect(sql).toContain('count()');
    expect(sql).toContain("toString(`_fw_s0`)");
    expect(sql).toContain('toFloat64(`score`)');
    expect(sql).toContain("= 'it\\'s' THEN 2");
    expect(sql).toContain('FROM `ml`.`preds`');
    expect(sql).not.toMatch(/TRY_CAST|::|NULLIF\(|IS NULL/);
  });

  it('compileFairnessSQL writes the threshold as an exact double', () => {
    const q = { ...base, prediction: undefined, threshold: 0.30000000000000004 };
    expect(compileFairnessSQL(q, 'duckdb')).toContain(`"_fw_sc" >= CAST('0.30000000000000004' AS DOUBLE)`);
    expect(compileFairnessSQL(q, 'postgres')).toContain(`>= CAST('0.30000000000000004' AS double precision)`);
  });

  it('compileFairnessSQL throws InputError naming the bad option', () => {
    const f = 'compileFairnessSQL';
    expect(() => compileFairnessSQL({ ...base, sensitive: [] }, 'duckdb')).toThrow(
      messages.badOption(f, 'sensitive', [], 'a non-empty array of column names'),
    );
    expect(() => compileFairnessSQL({ ...base, prediction: undefined }, 'duckdb')).toThrow(
      messages.badOption(f, 'prediction', undefined, 'a prediction column, or score together with threshold'),
    );
    expect(() => compileFairnessSQL({ ...base, threshold: NaN }, 'duckdb')).toThrow(messages.badOption(f, 'threshold', NaN, 'a finite number'));
    expect(() => compileFairnessSQL({ ...base, fineBins: 0 }, 'duckdb')).toThrow(messages.badOption(f, 'fineBins', 0, 'an integer from 1 to 1000000'));
    expect(() => compileFairnessSQL({ ...base, label: '' }, 'duckdb')).toThrow(messages.badOption(f, 'label', '', 'a column name'));
    expect(() => compileFairnessSQL({ ...base, missing: 'x' as 'drop' }, 'duckdb')).toThrow(InputError);
    expect(() => compileFairnessSQL({ ...base, source: { kind: 'table', text: 'a..b' } }, 'duckdb')).toThrow(InputError);
    expect(() => compileFairnessSQL({ ...base, source: { kind: 'file', text: 'p.parquet' } }, 'postgres')).toThrow(
      messages.engineSourceUnsupported(f, 'postgres', 'file'),
    );
    expect(() => compileFairnessSQL({ ...base, source: { kind: 'file', text: 'p.xlsx' } }, 'duckdb')).toThrow(messages.unsupportedFile(f, 'p.xlsx'));
    expect(() => compileFairnessSQL(base, 'mysql' as 'duckdb')).toThrow(InputError);
  });
});

describe('sources and quoting', () => {
  it('sourceSQL quotes tables, wraps queries and reads files by extension', () => {
    expect(sourceSQL({ kind: 'table', text: 'ml.preds' }, 'postgres')).toBe('"ml"."preds"');
    expect(sourceSQL({ kind: 'table', text: 'my "t"' }, 'duckdb')).toBe('"my ""t"""');
    expect(sourceSQL({ kind: 'table', text: 'db.t`x' }, 'clickhouse')).toBe('`db`.`t\\`x`');
    expect(sourceSQL({ kind: 'query', text: 'SELECT * FROM t ;\n' }, 'duckdb')).toBe('(SELECT * FROM t) AS "_fw_src"');
    expect(sourceSQL({ kind: 'file', text: 'd/*.parquet' }, 'duckdb')).toBe("read_parquet('d/*.parquet')");
    expect(sourceSQL({ kind: 'file', text: "it's.csv" }, 'duckdb')).toBe("read_csv('it''s.csv', header = true, auto_detect = true, delim = ',', skip = 0)");
    expect(compileProbeSQL({ kind: 'table', text: 'preds' }, 'clickhouse')).toBe('SELECT * FROM `preds` LIMIT 0');
  });

  it('a source where restricts its rows: a subquery in general, inside the one level on a ClickHouse table; a semicolon is refused', () => {
    expect(sourceSQL({ kind: 'table', text: 'ml.preds', where: '"x" > 0' }, 'postgres')).toBe('(SELECT * FROM "ml"."preds" WHERE "x" > 0) AS "_fw_src"');
    expect(sourceSQL({ kind: 'query', text: 'SELECT * FROM t', where: '"x" > 0' }, 'duckdb')).toBe('(SELECT * FROM (SELECT * FROM t) AS "_fw_src" WHERE "x" > 0) AS "_fw_src"');
    expect(oneLevelFrom({ kind: 'table', text: 'preds', where: '`x` > 0' })).toBe('`preds` WHERE `x` > 0');
    const q: FairnessQuery = { source: { kind: 'table', text: 'preds', where: '`x` > 0' }, label: 'y', prediction: 'p', sensitive: ['sex'] };
    expect(compileFairnessSQL(q, 'clickhouse')).toMatch(/ FROM `preds` WHERE `x` > 0 GROUP BY /);
    expect(compileFairnessSQL(q, 'postgres')).toContain('FROM (SELECT * FROM "preds" WHERE `x` > 0) AS "_fw_src"');
    for (const where of ['x > 0; DROP TABLE t', '  ']) {
      expect(() => sourceSQL({ kind: 'table', text: 't', where }, 'duckdb')).toThrow(InputError);
    }
  });

  it('the memory engine refuses a where (it has no SQL to apply it) rather than ignoring it', async () => {
    const e = new MemoryEngine({ y: [1, 0], p: [1, 1], sex: ['a', 'b'] });
    await expect(e.fairnessSummaries({ source: { kind: 'table', text: 't', where: 'y = 1' }, label: 'y', prediction: 'p', sensitive: ['sex'] })).rejects.toThrow(
      messages.engineSourceUnsupported('MemoryEngine.fairnessSummaries', 'memory', 'where'),
    );
  });

  it('quoteIdentifier and quoteString escape per dialect', () => {
    expect(quoteIdentifier('a"b', 'postgres')).toBe('"a""b"');
    expect(quoteIdentifier('a\\b', 'clickhouse')).toBe('`a\\\\b`');
    expect(quoteString("it's", 'duckdb')).toBe("'it''s'");
    expect(quoteString("a\\'", 'clickhouse')).toBe("'a\\\\\\''");
  });

  it('doubleLiteral writes the shortest round-trip text', () => {
    expect(doubleLiteral(0.1, 'duckdb')).toBe("CAST('0.1' AS DOUBLE)");
    expect(doubleLiteral(-0, 'postgres')).toBe("CAST('-0' AS double precision)");
    expect(doubleLiteral(1e-7, 'clickhouse')).toBe("toFloat64('1e-7')");
  });

  it('fairnessColumns and checkFairnessColumns name the absent column', () => {
    expect(fairnessColumns({ ...base, weights: 'w' })).toEqual(['sex', 'age_band', 'repaid', 'approved', 'score', 'w']);
    expect(() => checkFairnessColumns(base, ['sex', 'repaid', 'approved', 'score'], 'f')).toThrow(
      messages.missingColumn('f', 'age_band', ['sex', 'repaid', 'approved', 'score']),
    );
  });

  it('sqlTypeKind reads DuckDB, PostgreSQL and ClickHouse type names', () => {
    const cases: [string, string][] = [
      ['BIGINT', 'number'], ['INTEGER', 'number'], ['DOUBLE', 'number'], ['DECIMAL(18,3)', 'number'], ['HUGEINT', 'number'], ['UTINYINT', 'number'],
      ['int4', 'number'], ['double precision', 'number'], ['numeric', 'number'], ['numeric(10,2)', 'number'], ['real', 'number'],
      ['Int8', 'number'], ['UInt64', 'number'], ['Nullable(Float64)', 'number'], ['Decimal(9, 2)', 'number'], ['Decimal64(3)', 'number'],
      ['BOOLEAN', 'boolean'], ['bool', 'boolean'],
      ['VARCHAR', 'string'], ['text', 'string'], ['LowCardinality(Nullable(String))', 'string'], ['DATE', 'string'], ["Enum8('a' = 1)", 'string'],
    ];
    for (const [t, kind] of cases) expect([t, sqlTypeKind(t)]).toEqual([t, kind]);
  });
});
