/**
 * `Engine.readColumns` (baseline profiles of monitoring jobs) gives the same JS values on every
 * engine for the same literal rows: numbers as numbers whatever the SQL type (64-bit integers and
 * decimals too, which drivers send as strings), NaN/±Infinity kept, NULL as null, text as text.
 */
import { describe, expect, it } from 'vitest';
import { ClickHouseEngine } from '../../src/engines/clickhouse.js';
import { DuckDBEngine } from '../../src/engines/duckdb.js';
import { PostgresEngine } from '../../src/engines/postgres.js';
import { chReachable, chUrl, itWithServer, pgReachable, pgUrl } from './servers.js';

const WANT = {
  big: [9007199254740991, -3, null],
  dec: [1.25, 0, null],
  f: [0.5, Infinity, NaN],
  s: ['a', '', null],
};
const COLS = ['big', 'dec', 'f', 's'];

const [pgWhy, chWhy] = await Promise.all([pgReachable(), chReachable(chUrl)]);

describe('readColumns', () => {
  it('DuckDB: BIGINT, DECIMAL, DOUBLE and VARCHAR with NULLs', async () => {
    const e = await DuckDBEngine.open();
    try {
      const got = await e.readColumns(
        `SELECT * FROM (VALUES (9007199254740991::BIGINT, 1.25::DECIMAL(9,2), 0.5::DOUBLE, 'a', 1), (-3, 0, 'inf'::DOUBLE, '', 2), (NULL, NULL, 'nan'::DOUBLE, NULL, 3)) v(big, dec, f, s, o) ORDER BY o`,
        COLS,
      );
      expect(got).toEqual(WANT);
    } finally {
      await e.close();
    }
  });

  itWithServer(pgWhy, 'PostgreSQL: bigint and numeric (strings from node-postgres) become numbers', async () => {
    const e = await PostgresEngine.open(pgUrl);
    try {
      const got = await e.readColumns(
        `SELECT * FROM (VALUES (9007199254740991::bigint, 1.25::numeric, 0.5::float8, 'a', 1), (-3, 0, 'Infinity'::float8, '', 2), (NULL, NULL, 'NaN'::float8, NULL, 3)) v(big, dec, f, s, o) ORDER BY o`,
        COLS,
      );
      expect(got).toEqual(WANT);
    } finally {
      await e.close();
    }
  });

  itWithServer(chWhy, 'ClickHouse: Int64 and Decimal (JSON strings) and nan/inf become numbers', async () => {
    const e = new ClickHouseEngine(chUrl);
    try {
      const got = await e.readColumns(
        `SELECT * FROM (
           SELECT toNullable(toInt64(9007199254740991)) AS big, toNullable(toDecimal64(1.25, 2)) AS dec, 0.5 AS f, toNullable('a') AS s, 1 AS o
           UNION ALL SELECT toNullable(toInt64(-3)), toNullable(toDecimal64(0, 2)), inf, toNullable(''), 2
           UNION ALL SELECT NULL, NULL, nan, NULL, 3) ORDER BY o`,
        COLS,
      );
      expect(got).toEqual(WANT);
    } finally {
      await e.close();
    }
  });
});
