/**
 * `npm run bench:monitor` (issue 7): a month of daily windows, 1M predictions per day, run the way
 * a scheduler runs it — a job file and `runMonitor` — timing the whole backfill and one daily run,
 * with the peak memory and the size of the store.
 *
 * 1. Data, once: a Parquet file of `days + 1` days × `rows` predictions, generated inside DuckDB
 *    (`COPY (SELECT ... FROM range(N)) TO ...`, in a child process so that its memory is not
 *    counted) and cached under `os.tmpdir()/fairwatch-bench/`. Columns: id, ts (evenly spread over
 *    the day, in time order), sex (f/m), age_band (3 values), score in [0, 1), label ~
 *    Bernoulli(score), prediction = score ≥ 0.5 (0.53 for f: disparate impact ≈ 0.94, a pass),
 *    features income, tenure, region; every value a deterministic function of `hash(row)`. On
 *    days ⌊days/3⌋ and ⌊days/3⌋ + 1 income shifts by 1.2 standard deviations (PSI ≫ 0.25: a
 *    failing drift that then clears).
 * 2. A job file in a temp folder: DuckDB engine over the file, daily windows, the first day as the
 *    baseline (`{ from, to }`), the shipped default policy, a DuckDB store, three alert rules
 *    (`psi-income` 1 of 1 with a weekly reminder, `di-sex` and `drift-share` 2 of 3) and a file sink.
 * 3. `runMonitor(job, { from: day 0, to: day days })`: the backfill of `days` windows (timed, with
 *    each window's time); then `runMonitor(job, { now })` on the next day: one daily run of the
 *    due window (timed).
 *
 * Reported: both times; peak RSS sampled every 50 ms by a worker thread (RSS includes DuckDB's
 * native memory) and the kernel's maxRSS; the store's size on disk; the alerts fired, reminded and
 * recovered. Written to `benchmarks/results/monitor-latest.json`.
 *
 * @example
 * ```sh
 * npm run build && npm run bench:monitor                               # 30 days x 1M rows
 * node dist/benchmarks/monitor.js --days 3 --rows 100000               # a quick run
 * ```
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadMonitorConfig } from '../src/monitor/config.js';
import { runMonitor } from '../src/monitor/run.js';
import type { AlertEvent, WindowOutcome } from '../src/monitor/types.js';

const JOB = 'loans-bench';
const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 2, 1);
const DATA_VERSION = 'v1';

function argNumber(name: string, fallback: number, min: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < min) throw new Error(`${name} expects an integer >= ${min}, got ${process.argv[i + 1]}`);
  return v;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const isoDay = (d: number) => new Date(START + d * DAY_MS).toISOString().slice(0, 10);

/** The drifting days (0-based): ⌊days/3⌋ and the next one. */
function driftDays(days: number): [number, number] {
  const first = Math.max(1, Math.floor(days / 3));
  return [first, first + 1];
}

/**
 * The generating SELECT: `u(j, k)` is the k-th 20-bit slice of hash j of the row, a uniform in [0, 1).
 * Row i is on day ⌊i / rows⌋, at (i mod rows) / rows of the day.
 */
function generatorSQL(totalDays: number, rows: number, drift: [number, number]): string {
  const n = totalDays * rows;
  const u = (j: number, k: number) => `(((h${j} >> ${20 * k}) & 1048575)::DOUBLE / 1048576.0)`;
  const day = `(i // ${rows})`;
  const drifting = `(${day} BETWEEN ${drift[0]} AND ${drift[1]})::INTEGER`;
  const score = u(0, 0);
  const cols = [
    `i AS id`,
    `epoch_ms(${START}::BIGINT + ${day} * ${DAY_MS} + ((i % ${rows}) * ${DAY_MS}) // ${rows}) AS ts`,
    `CASE WHEN ${u(1, 0)} < 0.5 THEN 'f' ELSE 'm' END AS sex`,
    `CASE WHEN ${u(1, 1)} < 0.3 THEN '18-29' WHEN ${u(1, 1)} < 0.75 THEN '30-49' ELSE '50+' END AS age_band`,
    `${score} AS score`,
    `CAST(${u(0, 1)} < ${score} AS TINYINT) AS label`,
    `CAST(${score} >= CASE WHEN ${u(1, 0)} < 0.5 THEN 0.53 ELSE 0.5 END AS TINYINT) AS prediction`,
    // triangular on [30, 70] (sd 8.2), +10 on the drifting days
    `50.0 + 20.0 * (${u(2, 0)} + ${u(3, 0)} - 1.0) + 10.0 * ${drifting} AS income`,
    `24.0 * (${u(2, 1)} + ${u(3, 1)}) AS tenure`,
    `concat('r', CAST(floor(${u(2, 2)} * 5) AS INTEGER)) AS region`,
  ];
  const hashes = Array.from({ length: 4 }, (_, j) => `hash(i * 4 + ${j}) AS h${j}`).join(', ');
  return `SELECT ${cols.join(', ')} FROM (SELECT i, ${hashes} FROM range(${n}) AS t(i)) AS s`;
}

/** Child-process mode: write the Parquet file and exit. */
async function generate(path: string, totalDays: number, rows: number, drift: [number, number]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET preserve_insertion_order = true`);
  const tmp = `${path}.partial`;
  await connection.run(`COPY (${generatorSQL(totalDays, rows, drift)}) TO ${sqlString(tmp)} (FORMAT PARQUET, ROW_GROUP_SIZE 122880)`);
  connection.closeSync();
  instance.closeSync();
  renameSync(tmp, path);
}

/** Peak RSS of the whole process, sampled every 50 ms by a worker thread (RSS is per process). */
function rssSampler(): { peak: () => number; stop: () => Promise<void> } {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const kb = () => Math.round(process.memoryUsage.rss() / 1024);
     const tick = () => { const v = kb(); if (v > Atomics.load(workerData, 0)) Atomics.store(workerData, 0, v); };
     tick(); setInterval(tick, 50);`,
    { eval: true, workerData: shared },
  );
  worker.unref();
  return {
    peak: () => Math.max(Atomics.load(shared, 0) * 1024, process.memoryUsage.rss()),
    stop: async () => void (await worker.terminate()),
  };
}

function folderBytes(dir: string): { bytes: number; files: Record<string, number> } {
  const files: Record<string, number> = {};
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    const size = statSync(p).size;
    files[p.slice(dir.length + 1)] = size;
    bytes += size;
  }
  return { bytes, files };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const MiB = 2 ** 20;

function jobYaml(file: string): string {
  return [
    `job: ${JOB}`,
    `source: { engine: duckdb, file: ${JSON.stringify(file)} }`,
    'columns: { time: ts, label: label, prediction: prediction, score: score, sensitive: [sex, age_band], features: [income, tenure, region], id: id }',
    'window: day',
    `baseline: { from: ${isoDay(0)}, to: ${isoDay(1)} }`,
    'store: store',
    'alerts:',
    '  rules:',
    '    - { id: psi-income, metric: psi, column: income, reminderEvery: 7, severity: 3 }',
    '    - { id: di-sex, metric: disparateImpact, attribute: sex, n: 2, m: 3 }',
    '    - { id: drift-share, metric: driftShare, on: [warn, fail], n: 2, m: 3 }',
    '  sinks:',
    '    - { type: file, path: alerts.jsonl }',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const genIndex = process.argv.indexOf('--generate-only');
  if (genIndex >= 0) {
    const [path, totalDays, rows, d0, d1] = process.argv.slice(genIndex + 1);
    await generate(path!, Number(totalDays), Number(rows), [Number(d0), Number(d1)]);
    return;
  }
  const days = argNumber('--days', 30, 2);
  const rows = argNumber('--rows', 1_000_000, 100);
  const totalDays = days + 1; // the backfill's days, then the day of the daily run
  const drift = driftDays(days);
  console.log(`fairwatch monitor benchmark — node ${process.version}, ${process.arch}`);

  // 1. data, once
  const cache = join(tmpdir(), 'fairwatch-bench');
  mkdirSync(cache, { recursive: true });
  const file = join(cache, `monitor-${totalDays}x${rows}-${DATA_VERSION}.parquet`);
  let generateMs: number | null = null;
  if (!existsSync(file)) {
    const t = performance.now();
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate-only', file, String(totalDays), String(rows), String(drift[0]), String(drift[1])], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`generating ${file} failed (exit ${child.status ?? child.signal})`);
    generateMs = performance.now() - t;
  }
  const fileBytes = statSync(file).size;
  console.log(
    `data: ${file} — ${totalDays} days x ${rows.toLocaleString('en')} predictions, ${(fileBytes / MiB).toFixed(0)} MiB` +
      (generateMs === null ? ' (cached)' : `, generated in DuckDB in ${(generateMs / 1000).toFixed(1)} s (child process)`) +
      `; income drifts on ${isoDay(drift[0])} and ${isoDay(drift[1])}`,
  );

  // 2. the job
  const dir = mkdtempSync(join(tmpdir(), 'fairwatch-bench-monitor-'));
  const config = join(dir, 'monitor.yaml');
  writeFileSync(config, jobYaml(file));
  const job = loadMonitorConfig(config);
  const storeDir = join(dir, 'store');

  // 3. backfill, then one daily run
  const sampler = rssSampler();
  const baselineRss = process.memoryUsage.rss();
  const perWindow: { window: string; ms: number; status: string; psiIncome: number | null }[] = [];
  let tWindow = performance.now();
  const onWindow = (o: WindowOutcome) => {
    const now = performance.now();
    const psi = o.findings.flatMap((d) => d.findings).find((f) => f.metric === 'psi' && f.scope.column === 'income');
    perWindow.push({ window: o.window.id, ms: now - tWindow, status: o.status, psiIncome: psi?.value ?? null });
    console.log(`  ${o.window.id}  v${o.version}  ${(now - tWindow).toFixed(0).padStart(6)} ms  ${o.status.padEnd(5)} rows ${o.rows}  psi(income) ${psi?.value?.toFixed(3) ?? '-'}`);
    tWindow = now;
  };
  console.log(`\nbackfill: ${days} daily windows ${isoDay(0)} .. ${isoDay(days - 1)} (job ${config})`);
  const tBackfill = performance.now();
  tWindow = tBackfill;
  const backfill = await runMonitor(job, { from: isoDay(0), to: isoDay(days), now: `${isoDay(days)}T01:00:00Z`, actor: 'bench:monitor', onWindow });
  const backfillMs = performance.now() - tBackfill;
  console.log(`\ndaily run: the due window ${isoDay(days)}`);
  const tDaily = performance.now();
  tWindow = tDaily;
  const daily = await runMonitor(job, { now: `${isoDay(days + 1)}T01:00:00Z`, actor: 'bench:monitor', onWindow });
  const dailyMs = performance.now() - tDaily;
  const peakRss = sampler.peak();
  await sampler.stop();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  if (backfill.windows.length !== days || daily.windows.length !== 1) {
    throw new Error(`expected ${days} backfill windows and 1 daily window, got ${backfill.windows.length} and ${daily.windows.length}`);
  }
  const badRows = [...backfill.windows, ...daily.windows].filter((o) => o.rows !== rows);
  if (badRows.length) throw new Error(`windows with a row count other than ${rows}: ${badRows.map((o) => `${o.window.id} ${o.rows}`).join(', ')}`);

  const size = folderBytes(storeDir);
  const events: AlertEvent[] = [...backfill.events, ...daily.events];
  const fileLines = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  rmSync(dir, { recursive: true, force: true });

  const count = (type: AlertEvent['type']) => events.filter((e) => e.type === type).length;
  const backfillWindowMs = perWindow.slice(0, days).map((w) => w.ms);
  const figures = {
    kind: 'fairwatch.bench.monitor',
    date: new Date().toISOString(),
    node: process.version,
    days,
    rowsPerDay: rows,
    data: { file, bytes: fileBytes, days: totalDays, generateMs, cached: generateMs === null, driftDays: drift.map(isoDay) },
    backfillMs,
    backfillWindowMedianMs: median(backfillWindowMs),
    backfillWindowMaxMs: Math.max(...backfillWindowMs),
    dailyRunMs: dailyMs,
    peakRssMiB: peakRss / MiB,
    kernelMaxRssMiB: maxRss / MiB,
    baselineRssMiB: baselineRss / MiB,
    storeBytes: size.bytes,
    storeFiles: size.files,
    storeBytesPerWindow: size.bytes / totalDays,
    statuses: perWindow.map((w) => `${w.window} ${w.status}`),
    alerts: {
      fired: count('fired'),
      reminder: count('reminder'),
      recovered: count('recovered'),
      deliveryFailures: backfill.alertFailures + daily.alertFailures,
      fileLines,
      events: events.map((e) => e.id),
    },
  };
  console.log('');
  console.log(`  backfill (${days} windows)             ${(backfillMs / 1000).toFixed(1).padStart(8)} s   (per window: median ${(figures.backfillWindowMedianMs / 1000).toFixed(2)} s, max ${(figures.backfillWindowMaxMs / 1000).toFixed(2)} s)`);
  console.log(`  one daily run                      ${(dailyMs / 1000).toFixed(2).padStart(8)} s`);
  console.log(`  peak RSS (sampled every 50 ms)     ${figures.peakRssMiB.toFixed(0).padStart(8)} MiB (kernel maxRSS ${figures.kernelMaxRssMiB.toFixed(0)} MiB; at start ${figures.baselineRssMiB.toFixed(0)} MiB; includes DuckDB's native memory)`);
  console.log(
    `  store on disk                      ${(size.bytes / MiB).toFixed(2).padStart(8)} MiB (${(figures.storeBytesPerWindow / 1024).toFixed(0)} KiB per window; ${Object.entries(size.files)
      .map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KiB`)
      .join(', ')})`,
  );
  console.log(`  alerts                             ${String(events.length).padStart(8)}     fired ${figures.alerts.fired}, reminders ${figures.alerts.reminder}, recovered ${figures.alerts.recovered} (${fileLines} lines in the file sink; ${figures.alerts.deliveryFailures} delivery failures)`);
  for (const e of events) console.log(`    ${e.id}  value ${e.value === null ? 'null' : Number(e.value.toPrecision(4))}  severity ${e.severity ?? '-'}  risk ${e.riskId ?? '-'}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'benchmarks', 'results', 'monitor-latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
  console.log(`\nwrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
