import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFairnessSQL, compileProbeSQL, sqlTypeKind } from '../../src/engines/sql.js';
import { summariesFromSqlRecords } from '../../src/engines/summaries-from-rows.js';
import type { FairnessQuery } from '../../src/engines/types.js';
import { InputError } from '../../src/errors.js';
import { groupMetrics } from '../../src/fairness/group-metrics.js';
import { expectSameSummaries } from './helpers.js';

type Cell = string | number | boolean | null;
const POOLS: Record<string, { sqlType: string; values: Cell[] }> = {
  VARCHAR: { sqlType: 'VARCHAR', values: ['0', '1', 'yes', 'no', 'true', 'FALSE', 'maybe', '', null] },
  DOUBLE: { sqlType: 'DOUBLE', values: [0, 1, 2, 0.5, NaN, null] },
  INTEGER: { sqlType: 'INTEGER', values: [0, 1, 3, null] },
  BOOLEAN: { sqlType: 'BOOLEAN', values: [true, false, null] },
};

const literal = (v: Cell, sqlType: string): string => {
  if (v === null) return `CAST(NULL AS ${sqlType})`;
  if (typeof v === 'number') return Number.isNaN(v) ? `CAST('nan' AS ${sqlType})` : `CAST(${v} AS ${sqlType})`;
  if (typeof v === 'boolean') return String(v);
  return `CAST('${v.replaceAll("'", "''")}' AS ${sqlType})`;
};

let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

/** Summaries through DuckDB, typed (probe + kinds) or text path; an InputError is returned, not thrown. */
async function viaSql(q: FairnessQuery, typed: boolean): Promise<unknown> {
  const probe = await connection.runAndReadAll(compileProbeSQL(q.source, 'duckdb'));
  const kinds = Object.fromEntries(probe.columnNames().map((c, i) => [c, sqlTypeKind(String(probe.columnTypes()[i]))]));
  const records = (await connection.runAndReadAll(compileFairnessSQL(q, 'duckdb', typed ? { kinds } : {}))).getRowObjects();
  try {
    return summariesFromSqlRecords(records as Record<string, unknown>[], q, { kinds });
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

describe('label semantics in SQL equal toBinary in memory', () => {
  it('random label and prediction columns (text, double, integer, boolean; NULL, NaN, \'\'; positiveLabel) give the same summaries or both an InputError', async () => {
    const column = fc.constantFrom(...Object.keys(POOLS)).chain((type) =>
      fc.array(fc.constantFrom(...POOLS[type]!.values), { minLength: 1, maxLength: 12 }).map((values) => ({ type, values })),
    );
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.tuple(
            column.map((c) => ({ ...c, values: Array.from({ length: n }, (_, i) => c.values[i % c.values.length]!) })),
            column.map((c) => ({ ...c, values: Array.from({ length: n }, (_, i) => c.values[i % c.values.length]!) })),
            fc.array(fc.constantFrom('a', 'b'), { minLength: n, maxLength: n }),
          ),
        ),
        fc.option(fc.constantFrom('yes', '1', '0', 'true', 'True', 'maybe', '2'), { nil: undefined }),
        async ([y, p, g], positiveLabel) => {
          const n = g.length;
          const rows = g.map((gi, i) => `(${literal(y.values[i]!, POOLS[y.type]!.sqlType)}, ${literal(p.values[i]!, POOLS[p.type]!.sqlType)}, '${gi}')`);
          await connection.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM (VALUES ${rows.join(', ')}) v(y, p, g)`);
          const q: FairnessQuery = { source: { kind: 'table', text: 't' }, label: 'y', prediction: 'p', sensitive: ['g'], ...(positiveLabel !== undefined ? { positiveLabel } : {}) };
          let expected: unknown;
          try {
            expected = groupMetrics({ yTrue: y.values.slice(0, n), yPred: p.values.slice(0, n), sensitive: { g }, minGroupSize: 0, ...(positiveLabel !== undefined ? { positiveLabel } : {}) });
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            expected = e;
          }
          for (const typed of [true, false]) {
            const actual = await viaSql(q, typed);
            if (expected instanceof InputError) expect(actual, `${typed ? 'typed' : 'text'}: ${(expected as Error).message}`).toBeInstanceOf(InputError);
            else {
              expect(actual, `${typed ? 'typed' : 'text'}: ${(actual as Error).message}`).not.toBeInstanceOf(InputError);
              expectSameSummaries(actual as Parameters<typeof expectSameSummaries>[0], expected as Parameters<typeof expectSameSummaries>[1]);
              compared++;
            }
          }
        },
      ),
      { numRuns: 150, seed: 20240601 },
    );
    expect(compared).toBeGreaterThan(20);
  });
});
