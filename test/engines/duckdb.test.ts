import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLoans } from '../../src/datasets/loans.js';
import { DuckDBEngine, duckdbPath } from '../../src/engines/duckdb.js';
import { MemoryEngine } from '../../src/engines/memory.js';
import { compileFairnessSQL, compileProbeSQL, sqlTypeKind } from '../../src/engines/sql.js';
import { summariesFromSqlRecords } from '../../src/engines/summaries-from-rows.js';
import type { FairnessQuery } from '../../src/engines/types.js';
import { EngineError, InputError, messages } from '../../src/errors.js';
import { groupMetrics, groupMetricsFromSummaries, type GroupMetricsOptions } from '../../src/fairness/group-metrics.js';
import { closeRel, expectSameSummaries } from './helpers.js';

const ROWS = 20_000;
const REGIONS = [2, 10, 33, 4, 100]; // numeric order differs from text order ('10' < '2')
let dir: string;
let csv: string;
let parquet: string;
let engine: DuckDBEngine;
let data: Record<string, ArrayLike<unknown>>;
const fn = 'DuckDBEngine.fairnessSummaries';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-engines-'));
  const d = generateLoans({ rows: ROWS, seed: 11 });
  const c = d.columns;
  const region = new Int32Array(ROWS);
  const weight = new Float64Array(ROWS);
  const repaidTxt: string[] = new Array(ROWS);
  const lines = ['applicant_id,sex,age_band,income,score,approved,repaid,region,weight,repaid_txt'];
  for (let i = 0; i < ROWS; i++) {
    region[i] = REGIONS[(i * 7) % 5]!;
    weight[i] = 0.25 + ((i * 37) % 11) / 4;
    repaidTxt[i] = c.repaid[i] ? 'repaid' : 'default';
    lines.push(`${c.applicant_id[i]},${c.sex[i]},${c.age_band[i] ?? ''},${c.income[i]},${c.score[i]},${c.approved[i]},${c.repaid[i]},${region[i]},${weight[i]},${repaidTxt[i]}`);
  }
  data = { ...c, region, weight, repaid_txt: repaidTxt };
  const raw = join(dir, 'raw.csv');
  writeFileSync(raw, lines.join('\n') + '\n');
  csv = join(dir, 'loans.csv');
  parquet = join(dir, 'loans.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT * FROM read_csv('${raw}')) TO '${csv}' (HEADER, DELIMITER ',')`);
  await connection.run(`COPY (SELECT * FROM read_csv('${raw}')) TO '${parquet}' (FORMAT PARQUET)`);
  connection.closeSync();
  instance.closeSync();
  engine = await DuckDBEngine.open();
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (path: string) => ({ kind: 'file' as const, text: path });
const memory = (o: Omit<GroupMetricsOptions, 'data'>) => groupMetrics({ ...o, data, minGroupSize: 0 });

/** Every finalized metric of every group and overall, within 1e-9 relative. */
function expectSameMetrics(a: ReturnType<typeof groupMetricsFromSummaries>, b: ReturnType<typeof groupMetricsFromSummaries>) {
  expect(a.groups.map((g) => g.label)).toEqual(b.groups.map((g) => g.label));
  const rows = [...a.groups.map((g, i) => [g.metrics, b.groups[i]!.metrics]), [a.overall.metrics, b.overall.metrics]];
  let checked = 0;
  for (const [ma, mb] of rows) {
    expect(Object.keys(ma!)).toEqual(Object.keys(mb!));
    for (const [name, v] of Object.entries(ma!)) {
      const w = (mb as Record<string, { value: number }>)[name]!.value;
      if (!closeRel(v!.value, w)) expect([name, v!.value]).toEqual([name, w]);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(10);
  expect(a.demographicParityDifference()).toBeCloseTo(b.demographicParityDifference(), 12);
}

describe('DuckDBEngine.fairnessSummaries equals the in-memory pass', () => {
  it('on CSV: string sensitive columns with missing values, predictions and scores', async () => {
    const q: FairnessQuery = { source: file(csv), label: 'repaid', prediction: 'approved', score: 'score', sensitive: ['sex', 'age_band'] };
    const s = await engine.fairnessSummaries(q);
    const m = memory({ yTrue: 'repaid', yPred: 'approved', yScore: 'score', sensitive: ['sex', 'age_band'] });
    expectSameSummaries(s, m);
    expect(s.confusion.groups.at(-1)).toEqual(['male', null]);
    expect(s.rows).toBe(ROWS);
    expect(s.bytesReturned).toBeGreaterThan(0);
    expectSameMetrics(groupMetricsFromSummaries({ confusion: s.confusion, scoreBins: s.scoreBins! }), groupMetricsFromSummaries({ confusion: m.confusion, scoreBins: m.scoreBins! }));
  });

  it('on Parquet: an integer sensitive column comes back as numbers, in numeric order; weights; threshold predictions', async () => {
    const q: FairnessQuery = { source: file(parquet), label: 'repaid', score: 'score', threshold: 0.5, weights: 'weight', sensitive: ['region'] };
    const s = await engine.fairnessSummaries(q);
    const m = memory({ yTrue: 'repaid', yScore: 'score', threshold: 0.5, weights: 'weight', sensitive: ['region'] });
    expect(s.confusion.groups).toEqual([[2], [4], [10], [33], [100]]);
    expectSameSummaries(s, m);
    expectSameMetrics(groupMetricsFromSummaries({ confusion: s.confusion, scoreBins: s.scoreBins! }), groupMetricsFromSummaries({ confusion: m.confusion, scoreBins: m.scoreBins! }));
  });

  it('text labels with positiveLabel; 0/1 predictions keep their meaning; intersected string and integer columns', async () => {
    const q: FairnessQuery = {
      source: file(parquet), label: 'repaid_txt', prediction: 'approved', score: 'score', weights: 'weight', positiveLabel: 'repaid', sensitive: ['sex', 'region'], fineBins: 100,
    };
    const s = await engine.fairnessSummaries(q);
    const m = memory({ yTrue: 'repaid_txt', yPred: 'approved', yScore: 'score', weights: 'weight', positiveLabel: 'repaid', sensitive: ['sex', 'region'], fineBins: 100 });
    expectSameSummaries(s, m);
    // and the same as with 0/1 labels
    expectSameSummaries(s, await engine.fairnessSummaries({ ...q, label: 'repaid', positiveLabel: undefined }));
  });

  it("missing: 'drop' drops rows with a missing sensitive value and reports them", async () => {
    const q: FairnessQuery = { source: file(csv), label: 'repaid', prediction: 'approved', sensitive: ['age_band'], missing: 'drop' };
    const s = await engine.fairnessSummaries(q);
    const m = memory({ yTrue: 'repaid', yPred: 'approved', sensitive: ['age_band'], missing: 'drop' });
    expectSameSummaries(s, m);
    expect(s.dropped).toBe(m.dropped);
    expect(s.dropped).toBeGreaterThan(0);
    await expect(engine.fairnessSummaries({ ...q, missing: 'error' })).rejects.toThrow(messages.engineMissingSensitive(fn, 'age_band'));
  });

  it('the text path (compiled without column kinds) gives the same summaries as the typed path', async () => {
    const q: FairnessQuery = { source: file(parquet), label: 'repaid', prediction: 'approved', score: 'score', weights: 'weight', sensitive: ['sex', 'region'] };
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const probe = await connection.runAndReadAll(compileProbeSQL(q.source, 'duckdb'));
      const kinds = Object.fromEntries(probe.columnNames().map((c, i) => [c, sqlTypeKind(String(probe.columnTypes()[i]))]));
      expect(kinds.region).toBe('number');
      const records = (await connection.runAndReadAll(compileFairnessSQL(q, 'duckdb'))).getRowObjects() as Record<string, unknown>[];
      expectSameSummaries(summariesFromSqlRecords(records, q, { kinds }), await engine.fairnessSummaries(q));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('MemoryEngine on the same file gives the same summaries', async () => {
    const q: FairnessQuery = { source: file(csv), label: 'repaid', prediction: 'approved', score: 'score', sensitive: ['sex', 'region'] };
    const mem = new MemoryEngine();
    expectSameSummaries(await engine.fairnessSummaries(q), await mem.fairnessSummaries(q));
    expectSameSummaries(await new MemoryEngine(data).fairnessSummaries({ ...q, source: { kind: 'table', text: 'loans' } }), await mem.fairnessSummaries(q));
  });

  it("query and table sources; '' and NaN sensitive values are missing, as in memory", async () => {
    const db = new DuckDBEngine();
    try {
      await db.exec(
        `CREATE TABLE odd AS SELECT * FROM (VALUES ('a', 1.5::DOUBLE, 1, 1), ('', 'nan'::DOUBLE, 0, 1), (NULL, NULL, 1, 0), ('a', 2.0, 0, 0), ('b', 1.5, 1, 1)) v(g, x, y, p)`,
      );
      const s = await db.fairnessSummaries({ source: { kind: 'table', text: 'odd' }, label: 'y', prediction: 'p', sensitive: ['g', 'x'] });
      const m = groupMetrics({ yTrue: [1, 0, 1, 0, 1], yPred: [1, 1, 0, 0, 1], sensitive: { g: ['a', '', null, 'a', 'b'], x: [1.5, NaN, null, 2, 1.5] }, minGroupSize: 0 });
      expectSameSummaries(s, m);
      expect(s.confusion.groups).toEqual([['a', 1.5], ['a', 2], ['b', 1.5], [null, null]]);
      const viaQuery = await db.fairnessSummaries({ source: { kind: 'query', text: 'SELECT * FROM odd WHERE g IS NOT NULL;' }, label: 'y', prediction: 'p', sensitive: ['g'] });
      expect(viaQuery.confusion.groups).toEqual([['a'], ['b'], [null]]);
      expect(viaQuery.rows).toBe(4);
    } finally {
      await db.close();
    }
  });
});

describe('DuckDBEngine.fairnessSummaries rejects bad inputs', () => {
  const q: FairnessQuery = { source: { kind: 'file', text: '' }, label: 'repaid', prediction: 'approved', sensitive: ['sex'] };
  const withSource = (o: Partial<FairnessQuery>) => ({ ...q, source: file(parquet), ...o });

  it('a non-binary label column is an InputError naming the column', async () => {
    const e = await engine.fairnessSummaries(withSource({ label: 'income' })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe('tooManyLabelValues');
    expect((e as InputError).details.column).toBe('income');
    expect((e as InputError).message).toMatch(/^DuckDBEngine\.fairnessSummaries: column "income" has non-binary values/);
    // two values that are not 0/1, without positiveLabel
    await expect(engine.fairnessSummaries(withSource({ label: 'repaid_txt' }))).rejects.toThrow(messages.notBinary(fn, 'repaid_txt', ['default', 'repaid']));
    // and a positive label that is absent from two non-0/1 values
    await expect(engine.fairnessSummaries(withSource({ label: 'repaid_txt', positiveLabel: 'Y' }))).rejects.toThrow(
      messages.positiveLabelAbsent(fn, 'repaid_txt', 'Y', ['default', 'repaid']),
    );
  });

  it('missing labels, bad scores and bad weights are InputErrors naming the column and a value', async () => {
    const db = new DuckDBEngine();
    try {
      await db.exec(`CREATE TABLE t AS SELECT * FROM (VALUES (1, 1, 0.5, 1.0, 'f'), (NULL, 0, 1.5, -2.0, 'm'), (0, 1, 'nan'::DOUBLE, 1.0, 'm')) v(y, p, s, w, g)`);
      const t = { kind: 'table' as const, text: 't' };
      await expect(db.fairnessSummaries({ source: t, label: 'y', prediction: 'p', sensitive: ['g'] })).rejects.toThrow(messages.engineMissingLabel(fn, 'y'));
      await db.exec('UPDATE t SET y = 1 WHERE y IS NULL');
      await expect(db.fairnessSummaries({ source: t, label: 'y', prediction: 'p', score: 's', sensitive: ['g'] })).rejects.toThrow(messages.engineNotFiniteScore(fn, 's', NaN));
      await db.exec("UPDATE t SET s = 0.25 WHERE isnan(s)");
      await expect(db.fairnessSummaries({ source: t, label: 'y', prediction: 'p', score: 's', sensitive: ['g'] })).rejects.toThrow(messages.engineScoreOutOfRange(fn, 's', 1.5));
      // an out-of-range score in a dropped row is not checked (as accumulate)
      await db.exec("UPDATE t SET g = NULL WHERE s > 1");
      const ok = await db.fairnessSummaries({ source: t, label: 'y', prediction: 'p', score: 's', sensitive: ['g'], missing: 'drop' });
      expect(ok.dropped).toBe(1);
      await expect(db.fairnessSummaries({ source: t, label: 'y', prediction: 'p', weights: 'w', sensitive: ['g'] })).rejects.toThrow(messages.engineBadWeight(fn, 'w', -2));
    } finally {
      await db.close();
    }
  });

  it('absent columns, files and tables are InputErrors; a closed engine is an EngineError', async () => {
    await expect(engine.fairnessSummaries(withSource({ sensitive: ['gender'] }))).rejects.toThrow(/column "gender" not found; available columns: "applicant_id"/);
    const missingFile = await engine.fairnessSummaries({ ...q, source: file(join(dir, 'nope-*.parquet')) }).catch((x: unknown) => x);
    expect((missingFile as InputError).code).toBe('engineSourceNotFound');
    const missingTable = await engine.fairnessSummaries({ ...q, source: { kind: 'table', text: 'nowhere.t' } }).catch((x: unknown) => x);
    expect(missingTable).toBeInstanceOf(InputError);
    const closed = new DuckDBEngine();
    await closed.close();
    await expect(closed.fairnessSummaries(withSource({}))).rejects.toThrow(EngineError);
  });

  it('duckdbPath reads DuckDB URLs and paths', () => {
    expect([duckdbPath(undefined), duckdbPath('duckdb::memory:'), duckdbPath('duckdb:///data/x.db'), duckdbPath('x.duckdb')]).toEqual([
      ':memory:', ':memory:', '/data/x.db', 'x.duckdb',
    ]);
  });
});
