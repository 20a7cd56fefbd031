import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../src/cli/main.js';
import { generateLoans, loansToCSV } from '../../src/datasets/loans.js';
import { ClickHouseEngine } from '../../src/engines/clickhouse.js';
import { PostgresEngine } from '../../src/engines/postgres.js';
import { chReachable, chUrl, chUrl2, itWithServer, pgReachable, pgUrl } from '../engines/servers.js';

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const ROWS = 3000;
const data = generateLoans({ rows: ROWS, seed: 11 });
const C = data.columns;
const AUDIT = ['--label', 'repaid', '--prediction', 'approved', '--score', 'score', '--sensitive', 'sex,age_band', '--format', 'json'];
const RATES = ['count', 'selectionRate', 'baseRate', 'tpr', 'fpr', 'fnr', 'tnr', 'precision', 'npv', 'accuracy', 'brier', 'ece', 'mce', 'calibrationInTheLarge'];

let dir: string;
let csv: string;
let parquet: string;
let inMemory: { groups: Record<string, unknown>[]; disparities: Record<string, unknown>[] };

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
});
