/**
 * `npm run bench:engines`: the fairness accumulate step and drift counts pushed down to SQL
 * engines, on data that never enters JavaScript.
 *
 * 1. A Parquet file of N rows (default 50M, `--rows n`) is generated once inside DuckDB
 *    (`COPY (SELECT ... FROM range(N)) TO ...`, in a child process so that its memory is not
 *    counted below) and cached under `os.tmpdir()/fairwatch-bench/`. Columns: label, prediction
 *    (0/1), score in [0, 1] (the label is Bernoulli(score)), sex (2 values) and region (6 values)
 *    with a few NULLs, features f0..f9; every value is a deterministic function of `hash(row)`.
 *    In the second half of the file f0 is shifted and f1 widened (drift to detect).
 * 2. DuckDB engine (`memory_limit` set through `exec`): `fairnessSummaries` by sex, region and
 *    sex × region, each finalised by `groupMetricsFromSummaries`; then drift of f0..f9: a profile
 *    of the first 1M rows (read into JS via DuckDB) and `driftCounts` on `driftPushdownColumns`
 *    of it for the whole file, compared by `driftReportFromCounts`. Time, rows/s and the peak RSS of the process (sampled every 50 ms; RSS includes
 *    DuckDB's native memory), checked against 1 GiB.
 * 3. ClickHouse, when reachable: a smaller table (default 10M rows, `--ch-rows n`) generated inside
 *    ClickHouse, half on each shard of cluster `fairwatch`, read through a Distributed table with
 *    the same fairness queries and drift counts against the same profile. Time and bytes returned.
 * Results print as a table and are written to `benchmarks/results/engines-latest.json`.
 *
 * @example
 * ```sh
 * npm run build && npm run bench:engines -- --rows 5000000
 * ```
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBEngine } from '../src/engines/duckdb.js';
import { ClickHouseEngine } from '../src/engines/clickhouse.js';
import type { FairnessQuery, FairnessSummaries } from '../src/engines/types.js';
import { driftPushdownColumns, driftReportFromCounts } from '../src/drift/report.js';
import { groupMetricsFromSummaries } from '../src/fairness/group-metrics.js';
import { profile, type Profile } from '../src/drift/profile.js';

const FEATURES = Array.from({ length: 10 }, (_, k) => `f${k}`);
const REFERENCE_ROWS = 1_000_000;
const MEMORY_LIMIT = '512MB';
const GIB = 2 ** 30;
const SENSITIVE: string[][] = [['sex'], ['region'], ['sex', 'region']];

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 2) throw new Error(`${name} expects an integer >= 2, got ${process.argv[i + 1]}`);
  return v;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The generating SELECT, shared by DuckDB and ClickHouse: `u(j, k)` is the k-th 20-bit slice of
 * hash j of the row, a uniform in [0, 1).
 */
function generatorSQL(dialect: 'duckdb' | 'clickhouse', n: number, offset = 0, driftFrom = Math.floor(n / 2)): string {
  const duck = dialect === 'duckdb';
  const h = (j: number) => (duck ? `hash(i * 8 + ${j})` : `cityHash64(i * 8 + ${j})`);
  const u = (j: number, k: number) =>
    duck ? `(((h${j} >> ${20 * k}) & 1048575)::DOUBLE / 1048576.0)` : `(bitAnd(bitShiftRight(h${j}, ${20 * k}), 1048575) / 1048576.0)`;
  const second = duck ? `(i >= ${driftFrom})::INTEGER` : `toInt32(i >= ${driftFrom})`;
  const features = FEATURES.map((f, k) => {
    // triangular on [k - (k+1), k + (k+1)]: two uniforms from different hashes
    const a = u(2 + (k % 6), Math.floor(k / 6));
    const b = u(2 + ((k + 3) % 6), 2 - Math.floor(k / 6));
    const base = `(${k} + ${k + 1} * (${a} + ${b} - 1.0))`;
    if (k === 0) return `${base} + 0.3 * ${second} AS ${f}`;
    if (k === 1) return `${base} * (1.0 + 0.5 * ${second}) AS ${f}`;
    return `${base} AS ${f}`;
  });
  const score = u(0, 0);
  const text = (x: string) => (duck ? `CAST(${x} AS VARCHAR)` : `toString(${x})`);
  const regionIndex = duck ? `CAST(floor(${u(1, 1)} * 6) AS INTEGER)` : `toInt32(floor(${u(1, 1)} * 6))`;
  const nullable = (cond: string, value: string) => (duck ? `CASE WHEN ${cond} THEN NULL ELSE ${value} END` : `if(${cond}, NULL, ${value})`);
  const cols = [
    duck ? `CAST(${u(0, 1)} < ${score} AS TINYINT) AS label` : `toUInt8(${u(0, 1)} < ${score}) AS label`,
    duck
      ? `CAST(${score} >= 0.45 + 0.02 * ${regionIndex} AS TINYINT) AS prediction`
      : `toUInt8(${score} >= 0.45 + 0.02 * ${regionIndex}) AS prediction`,
    `${score} AS score`,
    `${nullable(`${u(1, 0)} < 0.001`, duck ? `CASE WHEN ${u(1, 2)} < 0.5 THEN 'f' ELSE 'm' END` : `if(${u(1, 2)} < 0.5, 'f', 'm')`)} AS sex`,
    `${nullable(`${u(0, 2)} < 0.002`, `concat('r', ${text(regionIndex)})`)} AS region`,
    ...features,
  ];
  const hashes = Array.from({ length: 8 }, (_, j) => `${h(j)} AS h${j}`).join(', ');
  return duck
    ? `SELECT ${cols.join(', ')} FROM (SELECT i, ${hashes} FROM range(${n}) AS t(i)) AS s`
    : `SELECT ${cols.join(', ')} FROM (SELECT number + ${offset} AS i, ${hashes} FROM numbers(${n}))`;
}

/** Child-process mode: write the Parquet file and exit. */
async function generate(path: string, n: number): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET preserve_insertion_order = true`);
  const tmp = `${path}.partial`;
  await connection.run(`COPY (${generatorSQL('duckdb', n)}) TO ${sqlString(tmp)} (FORMAT PARQUET, ROW_GROUP_SIZE 1000000)`);
  connection.closeSync();
  instance.closeSync();
  renameSync(tmp, path);
}

/** Peak RSS sampler (every 50 ms). */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    peak: () => Math.max(peak, process.memoryUsage().rss),
    stop: () => clearInterval(timer),
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
const fmt = (x: number, d = 1) => x.toFixed(d);
const mib = (b: number) => b / 2 ** 20;

interface AuditFigure {
  sensitive: string;
  groups: number;
  ms: number;
  MRowsPerSec: number;
  bytesReturned: number;
  demographicParityDifference: number;
}

/**
 * The three audits with the default 3000 fine score bins, then sex × region again with 100 fine
 * bins (calibration at 10, 20, 25, 50 or 100 bins stays exact; AUC is binned more coarsely): the
 * returned size scales with groups × bins, never with rows.
 */
async function audit(engine: { fairnessSummaries(q: FairnessQuery): Promise<FairnessSummaries> }, source: FairnessQuery['source']): Promise<AuditFigure[]> {
  const out: AuditFigure[] = [];
  for (const [sensitive, fineBins] of [...SENSITIVE.map((x) => [x, undefined] as const), [SENSITIVE[2]!, 100] as const]) {
    const t = performance.now();
    const s = await engine.fairnessSummaries({ source, label: 'label', prediction: 'prediction', score: 'score', sensitive: [...sensitive], ...(fineBins ? { fineBins } : {}) });
    const result = groupMetricsFromSummaries(s);
    const ms = performance.now() - t;
    out.push({
      sensitive: sensitive.join(' × ') + (fineBins ? ` (${fineBins} bins)` : ''),
      groups: s.confusion.groups.length,
      ms,
      MRowsPerSec: s.rows / ms / 1e3,
      bytesReturned: s.bytesReturned,
      demographicParityDifference: result.demographicParityDifference(),
    });
    // keep the row count for the caller's checks
    (out[out.length - 1] as AuditFigure & { rows?: number }).rows = s.rows;
  }
  return out;
}

function readEnvUrl(): string {
  if (process.env.FAIRWATCH_CH_URL) return process.env.FAIRWATCH_CH_URL;
  try {
    const m = /^FAIRWATCH_CH_URL=(.+)$/m.exec(readFileSync('/tmp/fairwatch-services.env', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // no env file
  }
  return 'clickhouse://127.0.0.1:58123/default';
}

async function clickhouseBenchmark(n: number, saved: Profile): Promise<Record<string, unknown>> {
  const url = readEnvUrl();
  const engine = new ClickHouseEngine(url);
  try {
    await engine.query('SELECT 1 AS one');
  } catch (e) {
    console.log(`\nClickHouse: not reachable at ${engine.target} (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); skipped`);
    await engine.close();
    return { reachable: false, target: engine.target };
  }
  try {
    const shards = (await engine.query("SELECT shard_num, host_address, port FROM system.clusters WHERE cluster = 'fairwatch' ORDER BY shard_num")).data;
    if (shards.length < 1) {
      console.log(`\nClickHouse: cluster 'fairwatch' is not defined on ${engine.target}; skipped`);
      return { reachable: true, skipped: 'no cluster fairwatch', target: engine.target };
    }
    // the HTTP URLs of the shards: the first one is `url`; the second from FAIRWATCH_CH_URL2
    let url2 = process.env.FAIRWATCH_CH_URL2;
    if (!url2) {
      try {
        url2 = /^FAIRWATCH_CH_URL2=(.+)$/m.exec(readFileSync('/tmp/fairwatch-services.env', 'utf8'))?.[1]?.trim();
      } catch {
        url2 = undefined;
      }
    }
    url2 ??= 'clickhouse://127.0.0.1:58124/default';
    const shardEngines = [engine, new ClickHouseEngine(url2)];
    const local = 'fw_bench_local';
    const dist = 'fw_bench_dist';
    const half = Math.floor(n / 2);
    const tLoad = performance.now();
    for (const [k, e] of shardEngines.entries()) {
      await e.exec(`DROP TABLE IF EXISTS ${dist}`);
      await e.exec(`DROP TABLE IF EXISTS ${local}`);
      await e.exec(
        `CREATE TABLE ${local} (label UInt8, prediction UInt8, score Float64, sex Nullable(String), region Nullable(String), ` +
          FEATURES.map((f) => `${f} Float64`).join(', ') +
          `) ENGINE = MergeTree() ORDER BY tuple()`,
      );
      const count = k === 0 ? half : n - half;
      const offset = k === 0 ? 0 : half;
      await e.exec(`INSERT INTO ${local} ${generatorSQL('clickhouse', count, offset, half)}`);
    }
    await engine.exec(`CREATE TABLE ${dist} AS ${local} ENGINE = Distributed(fairwatch, default, ${local})`);
    const loadMs = performance.now() - tLoad;
    const total = Number((await engine.query(`SELECT count() FROM ${dist}`)).data[0]![0]);
    if (total !== n) throw new Error(`ClickHouse: ${dist} has ${total} rows, expected ${n}`);
    const figures = await audit(engine, { kind: 'table', text: dist });
    const tDrift = performance.now();
    const counts = await engine.driftCounts({ source: { kind: 'table', text: dist }, columns: driftPushdownColumns(saved) });
    const drift = driftReportFromCounts({ profile: saved, counts });
    const driftMs = performance.now() - tDrift;
    const driftBytes = engine.lastBytesReturned;
    await shardEngines[1]!.close();
    console.log(`\nClickHouse ${engine.target}: ${n.toLocaleString('en')} rows, ${shards.length} shards via Distributed table (load ${fmt(loadMs / 1e3, 2)} s)`);
    console.log('  sensitive                    groups      time     M rows/s   returned');
    for (const f of figures) {
      console.log(
        `  ${f.sensitive.padEnd(27)} ${String(f.groups).padStart(6)} ${fmt(f.ms, 0).padStart(8)} ms ${fmt(f.MRowsPerSec, 2).padStart(9)}   ${fmt(f.bytesReturned / 1024, 1).padStart(6)} KiB`,
      );
    }
    console.log(
      `  drift f0..f9      ${String(counts.length).padStart(6)} ${fmt(driftMs, 0).padStart(8)} ms ${fmt((FEATURES.length * n) / driftMs / 1e3, 2).padStart(9)}   ${fmt(driftBytes / 1024, 1).padStart(6)} KiB   drifted: ${drift.json.driftedColumns.join(', ') || 'none'}`,
    );
    return { reachable: true, target: engine.target, rows: n, shards: shards.length, loadMs, audits: figures, drift: { ms: driftMs, bytesReturned: driftBytes, driftedColumns: drift.json.driftedColumns } };
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const genIndex = process.argv.indexOf('--generate-only');
  if (genIndex >= 0) {
    await generate(process.argv[genIndex + 1]!, Number(process.argv[genIndex + 2]));
    return;
  }
  const rows = argNumber('--rows', 50_000_000);
  const chRows = argNumber('--ch-rows', 10_000_000);
  if (!gc) console.warn('(run with node --expose-gc; npm run bench:engines does)');
  console.log(`fairwatch engines benchmark — node ${process.version}, ${process.arch}`);

  // 1. data, once
  const dir = join(tmpdir(), 'fairwatch-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `engines-${rows}-v1.parquet`);
  let generateMs: number | null = null;
  if (!existsSync(file)) {
    const t = performance.now();
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate-only', file, String(rows)], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`generating ${file} failed (exit ${child.status ?? child.signal})`);
    generateMs = performance.now() - t;
  }
  const fileBytes = statSync(file).size;
  console.log(
    `data: ${file} — ${rows.toLocaleString('en')} rows, ${fmt(mib(fileBytes), 0)} MiB` +
      (generateMs === null ? ' (cached)' : `, generated in DuckDB in ${fmt(generateMs / 1e3, 2)} s (child process)`),
  );

  // 2. DuckDB: audit + drift, peak RSS sampled throughout
  gc?.();
  const baselineRss = process.memoryUsage().rss;
  const sampler = rssSampler();
  const source = { kind: 'file' as const, text: file };
  const tTotal = performance.now();
  const engine = await DuckDBEngine.open();
  await engine.exec(`SET memory_limit = '${MEMORY_LIMIT}'`);
  await engine.exec(`SET temp_directory = ${sqlString(join(dir, 'duckdb-spill'))}`);
  const audits = await audit(engine, source);
  for (const a of audits) {
    if ((a as AuditFigure & { rows?: number }).rows !== rows) throw new Error(`audit by ${a.sensitive} scanned ${(a as AuditFigure & { rows?: number }).rows} rows, expected ${rows}`);
  }
  const auditMs = audits.slice(0, 3).reduce((s, a) => s + a.ms, 0);

  // reference: the first 1M rows into JS, profiled in memory
  const tRef = performance.now();
  const refRows = Math.min(REFERENCE_ROWS, rows);
  const refInstance = await DuckDBInstance.create(':memory:');
  const refConnection = await refInstance.connect();
  await refConnection.run(`SET memory_limit = '${MEMORY_LIMIT}'`);
  const reader = await refConnection.runAndReadAll(`SELECT ${FEATURES.join(', ')} FROM read_parquet(${sqlString(file)}) LIMIT ${refRows}`);
  const columns = reader.getColumns();
  const refTable: Record<string, Float64Array> = {};
  FEATURES.forEach((f, k) => (refTable[f] = Float64Array.from(columns[k]! as number[])));
  columns.length = 0;
  refConnection.closeSync();
  refInstance.closeSync();
  const saved = profile(refTable);
  const referenceMs = performance.now() - tRef;
  for (const f of FEATURES) delete refTable[f];

  const tDrift = performance.now();
  const specs = driftPushdownColumns(saved);
  const counts = await engine.driftCounts({ source, columns: specs });
  const drift = driftReportFromCounts({ profile: saved, counts });
  const driftMs = performance.now() - tDrift;
  const psis = drift.columns.map((c) => ({
    column: c.column,
    psi: c.psi,
    wassersteinNormed: c.wassersteinNormed,
    bounds: c.approximation?.wassersteinNormed ?? null,
    drifted: c.drifted,
  }));
  await engine.close();
  const totalMs = performance.now() - tTotal;
  sampler.stop();
  const peakRss = sampler.peak();
  const holds = peakRss < GIB;

  console.log(`\nDuckDB engine (memory_limit ${MEMORY_LIMIT}), ${rows.toLocaleString('en')} rows from Parquet`);
  console.log('  step                                    groups      time     M rows/s   returned');
  for (const a of audits) {
    console.log(
      `  fairness by ${a.sensitive.padEnd(27)} ${String(a.groups).padStart(6)} ${fmt(a.ms, 0).padStart(8)} ms ${fmt(a.MRowsPerSec, 2).padStart(9)}   ${fmt(a.bytesReturned / 1024, 1).padStart(6)} KiB   DPD ${fmt(a.demographicParityDifference, 4)}`,
    );
  }
  console.log(`  reference profile (${refRows.toLocaleString('en')} rows into JS) ${fmt(referenceMs, 0).padStart(8)} ms ${fmt(refRows / referenceMs / 1e3, 2).padStart(9)}`);
  console.log(`  drift f0..f9 (one scan per column)   ${fmt(driftMs, 0).padStart(8)} ms ${fmt((FEATURES.length * rows) / driftMs / 1e3, 2).padStart(9)} (column values/s)`);
  console.log(`  drifted: ${drift.json.driftedColumns.join(', ') || 'none'}; W/sd ${psis.map((p) => `${p.column} ${fmt(p.wassersteinNormed ?? NaN, 3)}`).join(', ')}`);
  console.log(`  total ${fmt(totalMs / 1e3, 2)} s; fairness ${fmt((3 * rows) / auditMs / 1e3, 2)} M rows/s over 3 scans`);
  console.log(
    `  peak RSS ${fmt(mib(peakRss), 0)} MiB (baseline before the run ${fmt(mib(baselineRss), 0)} MiB; RSS includes DuckDB's native memory) — ` +
      `1 GiB requirement ${holds ? 'HOLDS' : 'FAILS'}`,
  );

  // 3. ClickHouse
  const clickhouse = await clickhouseBenchmark(chRows, saved);

  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'benchmarks', 'results', 'engines-latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        data: { file, rows, fileBytes, generateMs, cached: generateMs === null },
        duckdb: {
          memoryLimit: MEMORY_LIMIT,
          audits,
          auditMs,
          referenceRows: refRows,
          referenceMs,
          driftMs,
          driftMRowsPerSec: rows / driftMs / 1e3,
          driftedColumns: drift.json.driftedColumns,
          columns: psis,
          totalMs,
          baselineRssBytes: baselineRss,
          peakRssBytes: peakRss,
          peakUnder1GiB: holds,
        },
        clickhouse,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwrote ${out}`);
}

await main();
