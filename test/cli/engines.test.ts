import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generateLoans, loansToCSV } from '../../src/datasets/loans.js';
import { ClickHouseEngine } from '../../src/engines/clickhouse.js';
import { PostgresEngine } from '../../src/engines/postgres.js';
import { chReachable, chUrl, chUrl2, itWithServer, pgReachable, pgUrl } from '../engines/servers.js';
import { capture } from './capture.js';


const ROWS = 3000;
const data = generateLoans({ rows: ROWS, seed: 11 });
const C = data.columns;
const AUDIT = ['--label', 'repaid', '--prediction', 'approved', '--score', 'score', '--sensitive', 'sex,age_band', '--format', 'json'];
const RATES = ['count', 'selectionRate', 'baseRate', 'tpr', 'fpr', 'fnr', 'tnr', 'precision', 'npv', 'accuracy', 'brier', 'ece', 'mce', 'calibrationInTheLarge'];

let dir: string;
let csv: string;
let parquet: string;
let inMemory: { groups: Record<string, unknown>[]; disparities: Record<string, unknown>[] };
let profileJson: string;
let driftInMemory: DriftDoc;
const DRIFT_COLUMNS = 'income,score,sex,age_band';

interface DriftDoc {
  currentRows: number;
  driftedColumns: string[];
  columns: { column: string; psi: number | null; jensenShannon: number | null; ksStatistic: number | null; wasserstein: number | null; histogram: unknown; approximation?: { ksStatistic: { lower: number; upper: number } | null; wasserstein: { lower: number; upper: number } | null } }[];
}

/** The engine drift report against the saved profile must match the in-memory one (KS and W within the bounds it states). */
function expectSameDrift(doc: DriftDoc): void {
  expect(doc.currentRows).toBe(ROWS);
  expect(doc.driftedColumns).toEqual(driftInMemory.driftedColumns);
  expect(doc.driftedColumns).toContain('income');
  doc.columns.forEach((c, i) => {
    const m = driftInMemory.columns[i]!;
    expect(c.column).toBe(m.column);
    for (const k of ['psi', 'jensenShannon'] as const) {
      if (m[k] === null) expect(c[k]).toBeNull();
      else expect(Math.abs(c[k]! - m[k]!)).toBeLessThanOrEqual(1e-12);
    }
    expect(c.histogram).toEqual(m.histogram);
    if (c.approximation?.ksStatistic) {
      expect(c.approximation.ksStatistic.lower).toBeLessThanOrEqual(m.ksStatistic! + 1e-12);
      expect(c.approximation.ksStatistic.upper).toBeGreaterThanOrEqual(m.ksStatistic! - 1e-12);
      expect(c.approximation.wasserstein!.lower).toBeLessThanOrEqual(m.wasserstein! * (1 + 1e-9));
      expect(c.approximation.wasserstein!.upper).toBeGreaterThanOrEqual(m.wasserstein! * (1 - 1e-9));
    }
  });
}

/** The engine audit must equal the in-memory audit of the same rows (AUC aside: binned there). */
function expectSameAudit(doc: { groups: Record<string, unknown>[]; disparities: Record<string, unknown>[]; rows: number }): void {
  expect(doc.rows).toBe(ROWS);
  expect(doc.groups.map((g) => g.group)).toEqual(inMemory.groups.map((g) => g.group));
  doc.groups.forEach((g, i) => {
    for (const m of RATES) {
      const a = g[m] as number | null;
      const b = inMemory.groups[i]![m] as number | null;
      if (b === null) expect(a).toBeNull();
      else expect(Math.abs(a! - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
    }
  });
  expect(doc.disparities).toEqual(inMemory.disparities);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-engines-cli-'));
  csv = join(dir, 'loans.csv');
  parquet = join(dir, 'loans.parquet');
  writeFileSync(csv, loansToCSV(data));
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, delim = ',')) TO '${parquet}' (FORMAT PARQUET)`);
  con.closeSync();
  const io = capture();
  expect(await main(['audit', csv, ...AUDIT], io)).toBe(0);
  inMemory = JSON.parse(io.out);
  // drift: a saved profile of other loans with shifted income, then the same rows in memory
  const refCsv = join(dir, 'reference.csv');
  writeFileSync(refCsv, loansToCSV(generateLoans({ rows: 4000, seed: 12, incomeShift: 0.3 })));
  profileJson = join(dir, 'profile.json');
  expect(await main(['profile', refCsv, '--columns', DRIFT_COLUMNS, '--out', profileJson], capture())).toBe(0);
  const d = capture();
  expect(await main(['drift', '--reference', profileJson, '--current', csv, '--format', 'json'], d)).toBe(0);
  driftInMemory = JSON.parse(d.out);
});

describe('fairwatch audit --engine', () => {
  it('--engine duckdb --source file.parquet pushes the scan into DuckDB and gives the in-memory numbers', async () => {
    const io = capture();
    expect(await main(['audit', '--engine', 'duckdb', '--source', parquet, ...AUDIT], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expectSameAudit(doc);
    expect(doc.engine).toBe('duckdb');
    expect(doc.results[0].options.aucMethod).toBe('binned');
    expect(doc.bytesReturned).toBeGreaterThan(0);
    // binned AUC is within the bound the result states of the exact in-memory AUC
    const exact = (inMemory as unknown as { results: { groups: { label: string; auc: number }[] }[] }).results[0]!.groups;
    const bound = doc.results[0].calibration.aucBound;
    doc.results[0].groups.forEach((g: { label: string; auc: number }, i: number) => {
      expect(bound.groups[i].label).toBe(g.label);
      expect(bound.groups[i].bound).toBeGreaterThan(0);
      expect(Math.abs(g.auc - exact[i]!.auc)).toBeLessThanOrEqual(bound.groups[i].bound);
    });
  });

  it('--fine-bins 100 returns fewer bytes from the engine and the same rates (calibration at 10 bins stays exact)', async () => {
    const full = capture();
    expect(await main(['audit', '--engine', 'duckdb', '--source', parquet, ...AUDIT], full)).toBe(0);
    const small = capture();
    expect(await main(['audit', '--engine', 'duckdb', '--source', parquet, '--fine-bins', '100', ...AUDIT], small)).toBe(0);
    const a = JSON.parse(full.out);
    const b = JSON.parse(small.out);
    expect(b.bytesReturned).toBeLessThan(a.bytesReturned / 5);
    expectSameAudit(b);
  });

  it('a file over the in-memory limit goes to DuckDB on its own, for audit and drift, and says so on stderr', async () => {
    const saved = process.env.FAIRWATCH_INMEMORY_MAX_BYTES;
    process.env.FAIRWATCH_INMEMORY_MAX_BYTES = '1000';
    try {
      const a = capture();
      expect(await main(['audit', parquet, ...AUDIT], a)).toBe(0);
      expect(a.err).toContain('scanning it in DuckDB');
      const doc = JSON.parse(a.out);
      expect(doc.engine).toBe('duckdb');
      expectSameAudit(doc);
      const d = capture();
      expect(await main(['drift', '--reference', profileJson, '--current', parquet, '--format', 'json'], d)).toBe(0);
      expect(d.err).toContain('counting it in DuckDB');
      expectSameDrift(JSON.parse(d.out));
    } finally {
      if (saved === undefined) delete process.env.FAIRWATCH_INMEMORY_MAX_BYTES;
      else process.env.FAIRWATCH_INMEMORY_MAX_BYTES = saved;
    }
  });

  it('drift --engine duckdb --source file.parquet counts the current side in DuckDB: the in-memory report, KS and W within the stated bounds', async () => {
    const io = capture();
    expect(await main(['drift', '--reference', profileJson, '--engine', 'duckdb', '--source', parquet, '--format', 'json'], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expectSameDrift(doc);
    expect(doc.engine).toBe('duckdb');
    const text = capture();
    expect(await main(['drift', '--reference', profileJson, '--engine', 'duckdb', '--source', parquet], text)).toBe(0);
    expect(text.out).toContain("Estimated from the engine's bin counts");
  });

  it('drift --engine refuses --by, a second input, and a server engine without --url (exit 2, naming the option)', async () => {
    const a = capture();
    expect(await main(['drift', '--reference', profileJson, '--engine', 'duckdb', '--source', parquet, '--by', 'sex'], a)).toBe(2);
    expect(a.err).toContain('--by');
    const b = capture();
    expect(await main(['drift', '--reference', profileJson, '--engine', 'duckdb', '--source', parquet, '--current', csv], b)).toBe(2);
    expect(b.err).toContain('--source');
    const c = capture();
    expect(await main(['drift', '--reference', profileJson, '--engine', 'clickhouse', '--source', 't'], c)).toBe(2);
    expect(c.err).toContain('--url');
    const d = capture();
    expect(await main(['drift', '--reference', profileJson], d)).toBe(2);
  });

  it('--engine requires exactly one input and a URL for servers', async () => {
    const a = capture();
    expect(await main(['audit', '--engine', 'postgres', '--source', 't', '--label', 'y', '--prediction', 'p', '--sensitive', 's'], a)).toBe(2);
    expect(a.err).toContain('--url');
    const b = capture();
    expect(await main(['audit', '--source', 't', '--label', 'y', '--prediction', 'p', '--sensitive', 's'], b)).toBe(2);
    expect(b.err).toContain('--engine');
  });
});

const pgStatus = await pgReachable();
const chStatus = (await chReachable(chUrl)) ?? (await chReachable(chUrl2));

describe('fairwatch audit --engine postgres', () => {
  let engine: PostgresEngine;
  beforeAll(async () => {
    if (pgStatus) return;
    engine = new PostgresEngine(pgUrl);
    await engine.exec('DROP TABLE IF EXISTS fw_cli_loans');
    await engine.exec('CREATE TABLE fw_cli_loans (applicant_id integer, sex text, age_band text, income double precision, score double precision, approved smallint, repaid smallint)');
    await engine.exec(
      'INSERT INTO fw_cli_loans SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::double precision[], $5::double precision[], $6::smallint[], $7::smallint[])',
      [Array.from(C.applicant_id), C.sex, C.age_band, Array.from(C.income), Array.from(C.score), Array.from(C.approved), Array.from(C.repaid)],
    );
  });
  afterAll(async () => {
    await engine?.close();
  });

  itWithServer(pgStatus, '--engine postgres --source <table> gives the in-memory numbers and never prints the password', async () => {
    const io = capture();
    const url = pgUrl.replace('postgres://postgres@', 'postgres://postgres:s3cret@');
    expect(await main(['audit', '--engine', 'postgres', '--url', url, '--source', 'fw_cli_loans', ...AUDIT], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expectSameAudit(doc);
    expect(io.out).not.toContain('s3cret');
    expect(doc.url).toContain('***');
  });

  itWithServer(pgStatus, 'drift --engine postgres --source <table> gives the in-memory drift report, password hidden', async () => {
    const io = capture();
    const url = pgUrl.replace('postgres://postgres@', 'postgres://postgres:s3cret@');
    expect(await main(['drift', '--reference', profileJson, '--engine', 'postgres', '--url', url, '--source', 'fw_cli_loans', '--format', 'json'], io)).toBe(0);
    expectSameDrift(JSON.parse(io.out));
    expect(io.out).not.toContain('s3cret');
  });
});

describe('fairwatch audit --engine clickhouse', () => {
  let shard1: ClickHouseEngine;
  let shard2: ClickHouseEngine;
  const COLUMNS = '(applicant_id Int32, sex String, age_band Nullable(String), income Float64, score Float64, approved UInt8, repaid UInt8)';
  beforeAll(async () => {
    if (chStatus) return;
    shard1 = new ClickHouseEngine(chUrl);
    shard2 = new ClickHouseEngine(chUrl2);
    await shard1.exec('DROP TABLE IF EXISTS fw_cli_dist');
    for (const [shard, from, to] of [
      [shard1, 0, ROWS / 2],
      [shard2, ROWS / 2, ROWS],
    ] as const) {
      await shard.exec('DROP TABLE IF EXISTS fw_cli_local');
      await shard.exec(`CREATE TABLE fw_cli_local ${COLUMNS} ENGINE = MergeTree() ORDER BY applicant_id`);
      const lines: string[] = [];
      for (let i = from; i < to; i++) {
        lines.push(JSON.stringify({ applicant_id: C.applicant_id[i], sex: C.sex[i], age_band: C.age_band[i], income: C.income[i], score: C.score[i], approved: C.approved[i], repaid: C.repaid[i] }));
      }
      await shard.exec(`INSERT INTO fw_cli_local FORMAT JSONEachRow\n${lines.join('\n')}`);
    }
    await shard1.exec(`CREATE TABLE fw_cli_dist ${COLUMNS} ENGINE = Distributed(fairwatch, default, fw_cli_local)`);
  });
  afterAll(async () => {
    await shard1?.close();
    await shard2?.close();
  });

  itWithServer(chStatus, '--engine clickhouse --source <Distributed table> gives the in-memory numbers', async () => {
    const io = capture();
    expect(await main(['audit', '--engine', 'clickhouse', '--url', chUrl, '--source', 'fw_cli_dist', ...AUDIT], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expectSameAudit(doc);
    expect(doc.engine).toBe('clickhouse');
  });

  itWithServer(chStatus, 'drift --engine clickhouse --source <Distributed table> gives the in-memory drift report; kilobytes come back', async () => {
    const io = capture();
    expect(await main(['drift', '--reference', profileJson, '--engine', 'clickhouse', '--url', chUrl, '--source', 'fw_cli_dist', '--format', 'json'], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expectSameDrift(doc);
    expect(doc.bytesReturned).toBeGreaterThan(0);
    expect(doc.bytesReturned).toBeLessThan(64 * 1024);
  });
});
