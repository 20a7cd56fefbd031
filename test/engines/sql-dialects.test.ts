/**
 * The compiled fairness SQL itself on each dialect's server (PostgreSQL, ClickHouse 18.16) and
 * on DuckDB, on both compile paths (typed with column kinds, and text), against the in-memory
 * pass over the same rows. Read-only: the sources are queries over generated series, no tables
 * are created. Servers: see `servers.ts` (skipped, visibly, when they do not answer).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../src/engines/duckdb.js';
import { clickhouseOutputName, compileFairnessSQL } from '../../src/engines/sql.js';
import { summariesFromSqlRecords } from '../../src/engines/summaries-from-rows.js';
import type { Dialect, FairnessQuery } from '../../src/engines/types.js';
import { groupMetrics, type GroupMetricsOptions } from '../../src/fairness/group-metrics.js';
import { expectSameSummaries } from './helpers.js';
import { chUrl, itWithServer, pgUrl, reachable } from './servers.js';

const N = 5000;

/** The same rows in every dialect, from integer arithmetic on n = 0 .. N − 1. */
function dataSql(dialect: Dialect): string {
  const n = dialect === 'clickhouse' ? 'number' : 'n';
  const dbl = (x: string) => (dialect === 'postgres' ? `CAST(${x} AS double precision)` : dialect === 'clickhouse' ? `toFloat64(${x})` : `CAST(${x} AS DOUBLE)`);
  const cols = [
    `CASE WHEN ${n} % 7 = 6 THEN '' WHEN ${n} % 3 = 0 THEN 'f' WHEN ${n} % 3 = 1 THEN 'm' ELSE NULL END AS sex`,
    `(${n} % 5) * 7 AS region`,
    `CASE WHEN (${n} * 37) % 10 < 4 THEN 1 ELSE 0 END AS y`,
    `CASE WHEN (${n} * 37) % 10 < 4 THEN 'repaid' ELSE 'default' END AS y_txt`,
    `(${n} * 53) % 2 AS p`,
    `${dbl(`(${n} * 7919) % 1001`)} / 1000 AS score`,
    `0.5 + ${dbl(`${n} % 4`)} * 0.25 AS wt`,
  ].join(', ');
  if (dialect === 'clickhouse') return `SELECT ${cols} FROM system.numbers LIMIT ${N}`;
  if (dialect === 'postgres') return `SELECT ${cols} FROM generate_series(0, ${N - 1}) AS g(n)`;
  return `SELECT ${cols} FROM range(${N}) AS g(n)`;
}

function memoryData() {
  const sex: (string | null)[] = [];
  const region = new Int32Array(N);
  const y = new Uint8Array(N);
  const yTxt: string[] = [];
  const p = new Uint8Array(N);
  const score = new Float64Array(N);
  const wt = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    sex.push(n % 7 === 6 ? '' : n % 3 === 0 ? 'f' : n % 3 === 1 ? 'm' : null);
    region[n] = (n % 5) * 7;
    y[n] = (n * 37) % 10 < 4 ? 1 : 0;
    yTxt.push(y[n] ? 'repaid' : 'default');
    p[n] = (n * 53) % 2;
    score[n] = ((n * 7919) % 1001) / 1000;
    wt[n] = 0.5 + (n % 4) * 0.25;
  }
  return { sex, region, y, y_txt: yTxt, p, score, wt };
}

const chHttp = () => {
  const u = new URL(chUrl);
  return `http://${u.hostname}:${u.port || 8123}/`;
};

async function runClickHouse(sql: string): Promise<Record<string, unknown>[]> {
  const u = new URL(chUrl);
  const res = await fetch(`http://${u.hostname}:${u.port || 8123}/`, { method: 'POST', body: `${sql} FORMAT JSON` });
  const text = await res.text();
  if (!res.ok) throw new Error(text.slice(0, 500));
  return (JSON.parse(text) as { data: Record<string, unknown>[] }).data;
}

async function runPostgres(sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

const cases: [string, Omit<FairnessQuery, 'source'>, Omit<GroupMetricsOptions, 'data'>][] = [
  [
    'scores, predictions, string × integer sensitive columns with NULL and empty values',
    { label: 'y', prediction: 'p', score: 'score', sensitive: ['sex', 'region'] },
    { yTrue: 'y', yPred: 'p', yScore: 'score', sensitive: ['sex', 'region'] },
  ],
  [
    'weights, threshold predictions, text labels with positiveLabel',
    { label: 'y_txt', score: 'score', threshold: 0.5, weights: 'wt', positiveLabel: 'repaid', sensitive: ['region'] },
    { yTrue: 'y_txt', yScore: 'score', threshold: 0.5, weights: 'wt', positiveLabel: 'repaid', sensitive: ['region'] },
  ],
];
const kinds = { region: 'number', y: 'number', p: 'number', score: 'number', wt: 'number' } as const;
const servers = await reachable();

describe.each([
  ['postgres' as const, servers.pg, runPostgres],
  ['clickhouse' as const, servers.ch, runClickHouse],
])('compileFairnessSQL(query, %s) on the server', (dialect, reason, run) => {
  for (const [name, q, m] of cases) {
    itWithServer(reason, `${name}: summaries equal the in-memory pass on the typed and text paths`, async () => {
      const query: FairnessQuery = { ...q, source: { kind: 'query', text: dataSql(dialect) } };
      const expected = groupMetrics({ ...m, data: memoryData(), minGroupSize: 0 });
      for (const options of [{ kinds }, {}]) {
        const records = await run(compileFairnessSQL(query, dialect, options));
        expectSameSummaries(summariesFromSqlRecords(records, query, { kinds }), expected);
      }
    });
  }
});

describe('compileFairnessSQL(query, clickhouse) on a table: the one-level form', () => {
  for (const [name, q, m] of cases) {
    itWithServer(servers.ch, `${name}: summaries equal the in-memory pass on the typed and text paths`, async () => {
      const table = 'fw_dialects_flat';
      await fetch(chHttp(), { method: 'POST', body: `DROP TABLE IF EXISTS ${table}` });
      await fetch(chHttp(), { method: 'POST', body: `CREATE TABLE ${table} ENGINE = Memory AS ${dataSql('clickhouse')}` }).then(async (r) => {
        if (!r.ok) throw new Error(await r.text());
      });
      const query: FairnessQuery = { ...q, source: { kind: 'table', text: table } };
      const expected = groupMetrics({ ...m, data: memoryData(), minGroupSize: 0 });
      for (const options of [{ kinds }, {}]) {
        const sql = compileFairnessSQL(query, 'clickhouse', options);
        expect(sql.startsWith('WITH ')).toBe(true);
        const records = (await runClickHouse(sql)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [clickhouseOutputName(k), v])));
        expectSameSummaries(summariesFromSqlRecords(records, query, { kinds }), expected);
      }
    });
  }
});

describe('compileFairnessSQL(query, duckdb) on the same generated rows', () => {
  it.each(cases)('%s: summaries equal the in-memory pass', async (_name, q, m) => {
    const engine = await DuckDBEngine.open();
    try {
      const s = await engine.fairnessSummaries({ ...q, source: { kind: 'query', text: dataSql('duckdb') } });
      expectSameSummaries(s, groupMetrics({ ...m, data: memoryData(), minGroupSize: 0 }));
    } finally {
      await engine.close();
    }
  });
});
