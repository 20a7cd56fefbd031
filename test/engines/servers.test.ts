/**
 * The server engines against real servers (started by `.ci/services.sh`): PostgreSQL, and
 * ClickHouse as two shards behind a `Distributed` table. The same seeded loan data (20k rows,
 * `generateLoans`) is loaded into each; the summaries each engine computes where the data lives
 * must equal the in-memory pass (`groupMetrics(...).confusion` / `.scoreBins`): counts exactly,
 * sums within 1e-9 relative; and the metrics finalized from them (`groupMetricsFromSummaries`)
 * must equal those finalized from the in-memory summaries.
 *
 * Without reachable servers these tests are skipped with the reason, or fail under CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLoans } from '../../src/datasets/loans.js';
import { ClickHouseEngine } from '../../src/engines/clickhouse.js';
import { openEngine } from '../../src/engines/index.js';
import { PostgresEngine } from '../../src/engines/postgres.js';
import type { FairnessQuery, FairnessSummaries } from '../../src/engines/types.js';
import { EngineError, InputError, messages } from '../../src/errors.js';
import { groupMetrics, groupMetricsFromSummaries } from '../../src/fairness/group-metrics.js';
import { BIN, BIN_STRIDE, mergeConfusion, mergeScoreBins, type ConfusionSummary, type ScoreBinSummary } from '../../src/kernels/summaries.js';
import { chUrl, chUrl2, itWithServer, pgUrl, reachable } from './servers.js';
import { profile } from '../../src/drift/profile.js';
import { driftPushdownColumns, driftReportFromCounts } from '../../src/drift/report.js';
import { driftCountsInMemory, type DriftCounts } from '../../src/engines/drift-sql.js';
import { expectDeepClose, expectSameDriftCounts } from './helpers.js';

const status = await reachable();
const ROWS = 20_000;
const DATA = generateLoans({ rows: ROWS, seed: 7 });
const C = DATA.columns;
const REL = 1e-9;

// ---------------------------------------------------------------------------------------------
// Cases: each is an engine query and the in-memory call that must give the same summaries.

interface Case {
  name: string;
  query: Omit<FairnessQuery, 'source'>;
  expected: () => { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary };
  weighted: boolean;
}

const sensitiveColumns = (names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, n === 'sex' ? C.sex : C.age_band])) as Record<string, ArrayLike<unknown>>;

const CASES: Case[] = [
  {
    name: 'sex; label, prediction and score',
    query: { label: 'repaid', prediction: 'approved', score: 'score', sensitive: ['sex'] },
    expected: () => groupMetrics({ yTrue: C.repaid, yPred: C.approved, yScore: C.score, sensitive: sensitiveColumns(['sex']) }),
    weighted: false,
  },
  {
    name: 'sex × age_band (with a missing group); label, prediction and score',
    query: { label: 'repaid', prediction: 'approved', score: 'score', sensitive: ['sex', 'age_band'] },
    expected: () => groupMetrics({ yTrue: C.repaid, yPred: C.approved, yScore: C.score, sensitive: sensitiveColumns(['sex', 'age_band']) }),
    weighted: false,
  },
  {
    name: 'age_band; predictions from score >= 0.6, weighted by income, 100 fine bins',
    query: { label: 'repaid', score: 'score', threshold: 0.6, weights: 'income', sensitive: ['age_band'], fineBins: 100 },
    expected: () =>
      groupMetrics({ yTrue: C.repaid, yScore: C.score, threshold: 0.6, weights: C.income, sensitive: sensitiveColumns(['age_band']), fineBins: 100 }),
    weighted: true,
  },
  {
    name: 'age_band with missing dropped; label and prediction only',
    query: { label: 'repaid', prediction: 'approved', sensitive: ['age_band'], missing: 'drop' },
    expected: () => groupMetrics({ yTrue: C.repaid, yPred: C.approved, sensitive: sensitiveColumns(['age_band']), missing: 'drop' }),
    weighted: false,
  },
];

// ---------------------------------------------------------------------------------------------
// Comparison: counts exactly, sums within REL relative; a list of mismatches so one failure says it all.

const close = (a: number, b: number) => a === b || Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b));

function mismatches(actual: ArrayLike<number>, expected: ArrayLike<number>, exact: (i: number) => boolean, what: string): string[] {
  if (actual.length !== expected.length) return [`${what}: length ${actual.length} vs ${expected.length}`];
  const out: string[] = [];
  for (let i = 0; i < actual.length && out.length < 10; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (exact(i) ? a !== e : !close(a, e)) out.push(`${what}[${i}]: ${a} vs ${e}`);
  }
  return out;
}

function expectSameSummaries(actual: FairnessSummaries, expected: { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary }, weighted: boolean) {
  expect(actual.confusion.columns).toEqual(expected.confusion.columns);
  expect(actual.confusion.groups).toEqual(expected.confusion.groups);
  expect(mismatches(actual.confusion.n, expected.confusion.n, () => true, 'confusion.n')).toEqual([]);
  expect(mismatches(actual.confusion.w, expected.confusion.w, () => !weighted, 'confusion.w')).toEqual([]);
  expect(actual.scoreBins === undefined).toBe(expected.scoreBins === undefined);
  if (actual.scoreBins && expected.scoreBins) {
    expect(actual.scoreBins.groups).toEqual(expected.scoreBins.groups);
    expect(actual.scoreBins.bins).toBe(expected.scoreBins.bins);
    const exact = (i: number) => i % BIN_STRIDE === BIN.n || (!weighted && i % BIN_STRIDE === BIN.w);
    expect(mismatches(actual.scoreBins.cells, expected.scoreBins.cells, exact, 'scoreBins.cells')).toEqual([]);
  }
}

/** Paths where two JSON values differ (numbers within REL relative; null/NaN equal). */
function jsonDiff(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(close(a, b) || (Number.isNaN(a) && Number.isNaN(b)))) out.push(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    else a.forEach((x, i) => jsonDiff(x, b[i], `${path}[${i}]`, out));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

function expectSameFinalized(actual: FairnessSummaries, expected: { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary }) {
  const fromEngine = groupMetricsFromSummaries({ confusion: actual.confusion, ...(actual.scoreBins ? { scoreBins: actual.scoreBins } : {}) });
  const fromMemory = groupMetricsFromSummaries({ confusion: expected.confusion, ...(expected.scoreBins ? { scoreBins: expected.scoreBins } : {}) });
  const a = JSON.parse(JSON.stringify(fromEngine.toJSON())) as unknown;
  const e = JSON.parse(JSON.stringify(fromMemory.toJSON())) as unknown;
  expect(jsonDiff(a, e)).toEqual([]);
  expect(fromEngine.demographicParityDifference()).toBeCloseTo(fromMemory.demographicParityDifference(), 12);
}

function checkCase(c: Case, s: FairnessSummaries) {
  const expected = c.expected();
  expectSameSummaries(s, expected, c.weighted);
  expectSameFinalized(s, expected);
  const dropped = c.query.missing === 'drop' ? C.age_band.filter((v) => v === null).length : 0;
  expect(s.rows).toBe(ROWS);
  expect(s.dropped ?? 0).toBe(dropped);
  expect(s.bytesReturned).toBeGreaterThan(0);
}

// ---------------------------------------------------------------------------------------------
// Drift: a reference profile of other seeded loans; the engines count the loaded rows against it.

const DRIFT_REFERENCE = profile(generateLoans({ rows: 5000, seed: 8, incomeShift: 0.2 }).columns, {
  columns: ['income', 'score', 'sex', 'age_band', 'approved'],
});
const DRIFT_SPECS = driftPushdownColumns(DRIFT_REFERENCE);
const DRIFT_EXPECTED = driftCountsInMemory(C, DRIFT_SPECS);

function checkDrift(counts: DriftCounts[]) {
  expectSameDriftCounts(counts, DRIFT_EXPECTED);
  const report = driftReportFromCounts({ profile: DRIFT_REFERENCE, counts }).toJSON();
  expectDeepClose(report, driftReportFromCounts({ profile: DRIFT_REFERENCE, counts: DRIFT_EXPECTED }).toJSON());
  expect(report.currentRows).toBe(ROWS);
  expect(report.driftedColumns).toContain('income');
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

describe('PostgresEngine on PostgreSQL (20k seeded loans)', () => {
  const TABLE = 'fw_test_loans';
  let engine: PostgresEngine;

  beforeAll(async () => {
    if (status.pg) return;
    engine = new PostgresEngine(pgUrl);
    await engine.exec(`DROP TABLE IF EXISTS ${TABLE}`);
    await engine.exec(
      `CREATE TABLE ${TABLE} (applicant_id integer, sex text, age_band text, income double precision, ` +
        `score double precision, approved smallint, repaid smallint)`,
    );
    // One statement: arrays as parameters, unnest()ed into rows (numbers travel as shortest round-trip text).
    await engine.exec(
      `INSERT INTO ${TABLE} SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::double precision[], ` +
        `$5::double precision[], $6::smallint[], $7::smallint[])`,
      [Array.from(C.applicant_id), C.sex, C.age_band, Array.from(C.income), Array.from(C.score), Array.from(C.approved), Array.from(C.repaid)],
    );
  });
  afterAll(async () => {
    await engine?.close();
  });

  itWithServer(status.pg, 'the loaded table holds exactly the generated doubles', async () => {
    const rows = await engine.exec(`SELECT applicant_id, score, income FROM ${TABLE} ORDER BY applicant_id`);
    expect(rows.length).toBe(ROWS);
    const bad = rows.filter((r, i) => r.score !== C.score[i] || r.income !== C.income[i]);
    expect(bad).toEqual([]);
  });

  for (const c of CASES) {
    itWithServer(status.pg, `fairnessSummaries(${c.name}) equals the in-memory summaries and finalized metrics`, async () => {
      checkCase(c, await engine.fairnessSummaries({ source: { kind: 'table', text: TABLE }, ...c.query }));
    });
  }

  itWithServer(status.pg, 'fairnessSummaries on a query source equals the table source', async () => {
    const q = CASES[0]!.query;
    const fromQuery = await engine.fairnessSummaries({ source: { kind: 'query', text: `SELECT * FROM ${TABLE} WHERE applicant_id > 0;` }, ...q });
    checkCase(CASES[0]!, fromQuery);
  });

  itWithServer(status.pg, "openEngine({ engine: 'postgres' }) loads PostgresEngine lazily and it works", async () => {
    const e = await openEngine({ engine: 'postgres', url: pgUrl });
    try {
      expect(e.id).toBe('postgres');
      const s = await e.fairnessSummaries({ source: { kind: 'table', text: TABLE }, ...CASES[0]!.query });
      checkCase(CASES[0]!, s);
    } finally {
      await e.close();
    }
  });

  itWithServer(status.pg, 'driftCounts against a saved profile equal the in-memory counts, and so does the drift report', async () => {
    checkDrift(await engine.driftCounts({ source: { kind: 'table', text: TABLE }, columns: DRIFT_SPECS }));
  });

  itWithServer(status.pg, 'fairnessSummaries on an absent table is InputError engineSourceNotFound', async () => {
    const err = await engine.fairnessSummaries({ source: { kind: 'table', text: 'fw_no_such_table' }, ...CASES[0]!.query }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('engineSourceNotFound');
    expect((err as InputError).message.startsWith(messages.engineSourceNotFound('PostgresEngine.fairnessSummaries', 'postgres', 'fw_no_such_table', ''))).toBe(true);
  });

  itWithServer(status.pg, 'fairnessSummaries with an absent column is InputError missingColumn', async () => {
    const err = await engine
      .fairnessSummaries({ source: { kind: 'table', text: TABLE }, label: 'repaid', prediction: 'approved', sensitive: ['race'] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('missingColumn');
  });
});

// ---------------------------------------------------------------------------------------------
// ClickHouse: two shards, a MergeTree table on each (half the rows each), a Distributed table on shard 1.

describe('ClickHouseEngine on a two-shard ClickHouse cluster (20k seeded loans)', () => {
  const reason = status.ch ?? status.ch2;
  const COLUMNS =
    '(applicant_id Int32, sex String, age_band Nullable(String), income Float64, score Float64, approved UInt8, repaid UInt8)';
  let shard1: ClickHouseEngine;
  let shard2: ClickHouseEngine;

  const jsonRows = (from: number, to: number) => {
    const lines: string[] = [];
    for (let i = from; i < to; i++) {
      lines.push(
        JSON.stringify({
          applicant_id: C.applicant_id[i],
          sex: C.sex[i],
          age_band: C.age_band[i],
          income: C.income[i],
          score: C.score[i],
          approved: C.approved[i],
          repaid: C.repaid[i],
        }),
      );
    }
    return lines.join('\n');
  };

  beforeAll(async () => {
    if (reason) return;
    shard1 = new ClickHouseEngine(chUrl);
    shard2 = new ClickHouseEngine(chUrl2);
    const half = ROWS / 2;
    await shard1.exec('DROP TABLE IF EXISTS loans_dist');
    for (const [shard, from, to] of [
      [shard1, 0, half],
      [shard2, half, ROWS],
    ] as const) {
      await shard.exec('DROP TABLE IF EXISTS loans_local');
      await shard.exec(`CREATE TABLE loans_local ${COLUMNS} ENGINE = MergeTree() ORDER BY applicant_id`);
      await shard.exec(`INSERT INTO loans_local FORMAT JSONEachRow\n${jsonRows(from, to)}`);
    }
    await shard1.exec(`CREATE TABLE loans_dist ${COLUMNS} ENGINE = Distributed(fairwatch, default, loans_local)`);
  });
  afterAll(async () => {
    await shard1?.close();
    await shard2?.close();
  });

  itWithServer(reason, 'the Distributed table holds exactly the generated rows, half on each shard', async () => {
    const counts = await Promise.all([shard1.query('SELECT count() FROM loans_local'), shard2.query('SELECT count() FROM loans_local')]);
    expect(counts.map((r) => Number(r.data[0]![0]))).toEqual([ROWS / 2, ROWS / 2]);
    const back = await shard1.query('SELECT applicant_id, score, income, age_band FROM loans_dist ORDER BY applicant_id');
    expect(back.data.length).toBe(ROWS);
    const bad = back.data.filter(([id, score, income, band]) => {
      const i = Number(id) - 1;
      return score !== C.score[i] || income !== C.income[i] || band !== C.age_band[i];
    });
    expect(bad).toEqual([]);
  });

  for (const c of CASES) {
    itWithServer(reason, `fairnessSummaries(${c.name}) on the Distributed table equals the in-memory summaries and finalized metrics`, async () => {
      checkCase(c, await shard1.fairnessSummaries({ source: { kind: 'table', text: 'loans_dist' }, ...c.query }));
    });
  }

  itWithServer(reason, 'merging the two shards’ own summaries equals the Distributed table’s (the summaries are a monoid)', async () => {
    const c = CASES[1]!;
    const [a, b] = await Promise.all([
      shard1.fairnessSummaries({ source: { kind: 'table', text: 'loans_local' }, ...c.query }),
      shard2.fairnessSummaries({ source: { kind: 'table', text: 'default.loans_local' }, ...c.query }),
    ]);
    expect(a.rows + b.rows).toBe(ROWS);
    const merged: FairnessSummaries = {
      confusion: mergeConfusion(a.confusion, b.confusion),
      scoreBins: mergeScoreBins(a.scoreBins!, b.scoreBins!),
      rows: a.rows + b.rows,
      bytesReturned: a.bytesReturned + b.bytesReturned,
    };
    checkCase(c, merged);
  });

  itWithServer(reason, 'driftCounts on the Distributed table equal the in-memory counts, and so does the drift report', async () => {
    checkDrift(await shard1.driftCounts({ source: { kind: 'table', text: 'loans_dist' }, columns: DRIFT_SPECS }));
    expect(shard1.lastBytesReturned).toBeGreaterThan(0);
    expect(shard1.lastBytesReturned).toBeLessThan(64 * 1024);
  });

  itWithServer(reason, 'over the Distributed table each shard aggregates its own rows: shard 2 returns partial aggregates, not its 10k rows', async () => {
    const marker = `fw_${process.pid}_${Date.now()}`;
    const logged = new ClickHouseEngine(`${chUrl}${chUrl.includes('?') ? '&' : '?'}log_queries=1&query_id=${marker}`);
    await logged.fairnessSummaries({ source: { kind: 'table', text: 'loans_dist' }, ...CASES[0]!.query, sensitive: ['sex'], fineBins: 10 });
    // the shard logs its part when it finishes; poll briefly for the line
    let r = { data: [] as unknown[][] };
    for (let attempt = 0; attempt < 25 && r.data.length === 0; attempt++) {
      if (attempt > 0) await new Promise((done) => setTimeout(done, 200));
      await shard2.exec('SYSTEM FLUSH LOGS');
      r = await shard2.query(
        `SELECT query, read_rows, result_rows FROM system.query_log WHERE is_initial_query = 0 AND type = 2 AND initial_query_id = '${marker}' AND query LIKE '%GROUP BY%'`,
      );
    }
    expect(r.data.length).toBeGreaterThan(0);
    const [query, readRows, resultRows] = r.data[0]! as [string, string, string];
    expect(query).toMatch(/GROUP BY/);
    expect(Number(readRows)).toBe(ROWS / 2);
    // groups (2) × label codes × prediction codes × 10 bins at most, not rows
    expect(Number(resultRows)).toBeLessThanOrEqual(2 * 2 * 2 * 10);
  });

  itWithServer(reason, 'driftCounts over the Distributed table: each shard bins its own rows and returns per-bin rows, not its 10k rows', async () => {
    const marker = `fw_drift_${process.pid}_${Date.now()}`;
    const logged = new ClickHouseEngine(`${chUrl}${chUrl.includes('?') ? '&' : '?'}log_queries=1&query_id=${marker}`);
    checkDrift(await logged.driftCounts({ source: { kind: 'table', text: 'loans_dist' }, columns: DRIFT_SPECS }));
    await logged.close();
    // every column's query ran under the same query id; the shard logs its part of each
    let r = { data: [] as unknown[][] };
    for (let attempt = 0; attempt < 25 && r.data.length < DRIFT_SPECS.length; attempt++) {
      if (attempt > 0) await new Promise((done) => setTimeout(done, 200));
      await shard2.exec('SYSTEM FLUSH LOGS');
      r = await shard2.query(
        `SELECT query, read_rows, result_rows FROM system.query_log WHERE is_initial_query = 0 AND type = 2 AND initial_query_id = '${marker}' AND query LIKE '%GROUP BY%'`,
      );
    }
    expect(r.data.length).toBe(DRIFT_SPECS.length);
    for (const [query, readRows, resultRows] of r.data as [string, string, string][]) {
      expect(query).toMatch(/GROUP BY/);
      expect(Number(readRows)).toBe(ROWS / 2);
      // at most one row per bin (edges + 1, and the missing/non-finite bin) or per category
      expect(Number(resultRows)).toBeLessThanOrEqual(Math.max(...DRIFT_SPECS.map((c) => (c.kind === 'numeric' ? c.edges.length + 2 : 10))));
    }
  });

  itWithServer(reason, 'fairnessSummaries on a query source over the Distributed table equals the table source', async () => {
    const s = await shard1.fairnessSummaries({ source: { kind: 'query', text: 'SELECT * FROM loans_dist WHERE applicant_id > 0' }, ...CASES[0]!.query });
    checkCase(CASES[0]!, s);
  });

  itWithServer(reason, "openEngine({ engine: 'clickhouse' }) loads ClickHouseEngine lazily and it works", async () => {
    const e = await openEngine({ engine: 'clickhouse', url: chUrl });
    try {
      expect(e.id).toBe('clickhouse');
      checkCase(CASES[0]!, await e.fairnessSummaries({ source: { kind: 'table', text: 'loans_dist' }, ...CASES[0]!.query }));
    } finally {
      await e.close();
    }
  });

  itWithServer(reason, 'fairnessSummaries on an absent table is InputError engineSourceNotFound', async () => {
    const err = await shard1.fairnessSummaries({ source: { kind: 'table', text: 'fw_no_such_table' }, ...CASES[0]!.query }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('engineSourceNotFound');
    expect((err as InputError).message.startsWith(messages.engineSourceNotFound('ClickHouseEngine.fairnessSummaries', 'clickhouse', 'fw_no_such_table', ''))).toBe(true);
  });

  itWithServer(reason, 'a wrong password is EngineError engineConnectFailed and the message hides the password', async () => {
    const u = new URL(chUrl);
    const bad = new ClickHouseEngine(`clickhouse://default:s3cret-pw@${u.host}/default`);
    const err = await bad.query('SELECT 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('engineConnectFailed');
    expect((err as EngineError).message).not.toContain('s3cret-pw');
    expect((err as EngineError).message).toContain(`clickhouse://default:***@${u.host}/default`);
  });
});

// ---------------------------------------------------------------------------------------------
// No server needed: URLs, unreachable servers, closed engines.

describe('server engines without a server', () => {
  it('PostgresEngine on a closed port is EngineError engineConnectFailed with the password hidden', async () => {
    const url = 'postgres://me:s3cret-pw@127.0.0.1:1/db';
    const engine = new PostgresEngine(url, { connectTimeoutMs: 2000 });
    const err = await engine.fairnessSummaries({ source: { kind: 'table', text: 't' }, ...CASES[0]!.query }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('engineConnectFailed');
    const prefix = messages.engineConnectFailed('PostgresEngine.fairnessSummaries', 'postgres', 'postgres://me:***@127.0.0.1:1/db', '');
    expect((err as EngineError).message.startsWith(prefix)).toBe(true);
    expect((err as EngineError).message).not.toContain('s3cret-pw');
    await engine.close();
  });

  it('ClickHouseEngine on a closed port is EngineError engineConnectFailed with the password hidden', async () => {
    const engine = new ClickHouseEngine('clickhouse://me:s3cret-pw@127.0.0.1:1/db');
    const err = await engine.fairnessSummaries({ source: { kind: 'table', text: 't' }, ...CASES[0]!.query }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('engineConnectFailed');
    const prefix = messages.engineConnectFailed('ClickHouseEngine.fairnessSummaries', 'clickhouse', 'clickhouse://me:***@127.0.0.1:1/db', '');
    expect((err as EngineError).message.startsWith(prefix)).toBe(true);
    expect((err as EngineError).message).not.toContain('s3cret-pw');
  });

  it('constructors reject URLs of another kind with InputError badEngineUrl, password hidden', () => {
    for (const make of [() => new PostgresEngine('mysql://u:s3cret-pw@h/db'), () => new ClickHouseEngine('ftp://u:s3cret-pw@h/db')]) {
      let err: unknown;
      try {
        make();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe('badEngineUrl');
      expect((err as InputError).message).not.toContain('s3cret-pw');
    }
  });

  it('a closed engine throws EngineError engineClosed', async () => {
    for (const engine of [new PostgresEngine('postgres://127.0.0.1:1/db'), new ClickHouseEngine('clickhouse://127.0.0.1:1/db')]) {
      await engine.close();
      const err = await engine.fairnessSummaries({ source: { kind: 'table', text: 't' }, ...CASES[0]!.query }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe('engineClosed');
    }
  });
});
