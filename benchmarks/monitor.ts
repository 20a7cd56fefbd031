/**
 * `npm run bench:monitor` (issue 7): a month of daily windows, 1M predictions per day — time for
 * the whole backfill and for one daily run, peak memory, and the size of the store.
 *
 * Built on the APIs a monitor run uses, window by window (the run loop of `src/monitor/run.ts`
 * does the same steps): for each day d = 0..days-1,
 * 1. generate the day's predictions: `generateLoans({ rows, seed: 1000 + d, incomeShift: d · 0.02 })`
 *    (log-income drifts slowly; the loans generator also carries its injected unfairness);
 * 2. `audit` by sex and age band; on day 0 `profile` the day as the reference, then every day a
 *    `driftReport` of the day against that profile;
 * 3. `evaluate` both against the shipped default policy (window given: monitoring stage) and
 *    `recordEvaluation` both into a DuckDB store in a temp folder (one run id per window and kind);
 * 4. `evaluateAlerts` over the history so far (2 of 3 windows, with a weekly reminder).
 *
 * Reported: the backfill's total time; one daily run (median over days, generation excluded, as a
 * production run reads its data instead) and its phases; generation time; peak RSS, sampled every
 * 50 ms by a worker thread (the main thread is busy in synchronous loops) and the kernel's maxRSS;
 * the store's size on disk; the alerts. Written to `benchmarks/results/monitor-latest.json`.
 *
 * @example
 * ```sh
 * npm run build && npm run bench:monitor                               # 30 days x 1M rows
 * node dist/benchmarks/monitor.js --days 3 --rows 100000               # a quick run
 * ```
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generateLoans } from '../src/datasets/loans.js';
import { profile, type Profile } from '../src/drift/profile.js';
import { driftReport } from '../src/drift/report.js';
import { audit } from '../src/fairness/audit.js';
import { evaluate, worstStatus } from '../src/governance/findings.js';
import { recordEvaluation } from '../src/governance/pipeline.js';
import { loadPolicy } from '../src/governance/policy.js';
import { evaluateAlerts } from '../src/monitor/alerts.js';
import type { AlertEvent, AlertRule, AlertRuleState, WindowOutcome } from '../src/monitor/types.js';
import { openStore } from '../src/store/index.js';

const JOB = 'loans-bench';
const DRIFT_COLUMNS = ['income', 'score', 'sex', 'age_band'];
const RULES: AlertRule[] = [
  { id: 'di-sex', metric: 'disparateImpact', attribute: 'sex', n: 2, m: 3, reminderEvery: 7 },
  { id: 'psi-income', metric: 'psi', column: 'income', n: 2, m: 3, reminderEvery: 7 },
  { id: 'dataset-drift', metric: 'driftShare', n: 2, m: 3 },
];

function argNumber(name: string, fallback: number, min: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < min) throw new Error(`${name} expects an integer >= ${min}, got ${process.argv[i + 1]}`);
  return v;
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
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const MiB = 2 ** 20;

async function main(): Promise<void> {
  const days = argNumber('--days', 30, 1);
  const rows = argNumber('--rows', 1_000_000, 100);
  const sampler = rssSampler();
  const baselineRss = process.memoryUsage.rss();
  const dir = mkdtempSync(join(tmpdir(), 'fairwatch-bench-monitor-'));
  const storeDir = join(dir, 'store');
  const policy = loadPolicy();
  const store = await openStore(storeDir);
  const history: WindowOutcome[] = [];
  let state: AlertRuleState[] = [];
  const events: AlertEvent[] = [];
  const phases = { generate: [] as number[], audit: [] as number[], drift: [] as number[], record: [] as number[], alerts: [] as number[], run: [] as number[] };
  let reference: Profile | null = null;
  const start = Date.UTC(2026, 2, 1);
  console.log(`monitor backfill: ${days} daily windows x ${rows.toLocaleString('en')} predictions, store ${storeDir}`);
  const tBackfill = performance.now();
  try {
    for (let d = 0; d < days; d++) {
      const from = new Date(start + d * 86_400_000).toISOString();
      const to = new Date(start + (d + 1) * 86_400_000).toISOString();
      const window = { id: `day:${from.slice(0, 10)}`, start: from, end: to };
      const computedAt = new Date(start + (d + 1) * 86_400_000 + 6 * 3_600_000).toISOString();
      let t = performance.now();
      const data = generateLoans({ rows, seed: 1000 + d, incomeShift: d * 0.02 });
      phases.generate.push(performance.now() - t);

      const tRun = performance.now();
      t = tRun;
      const table = data.columns as unknown as Record<string, ArrayLike<unknown>>;
      const result = audit({
        data: table,
        yTrue: 'repaid',
        yPred: 'approved',
        yScore: 'score',
        sensitive: ['sex', 'age_band'],
        reference: { sex: 'male', age_band: '30-49' },
      });
      phases.audit.push(performance.now() - t);
      t = performance.now();
      if (reference === null) reference = profile(table, { columns: DRIFT_COLUMNS, seed: 1 });
      const drift = driftReport({ profile: reference, current: table, columns: DRIFT_COLUMNS });
      phases.drift.push(performance.now() - t);
      t = performance.now();
      const findings = [evaluate(result, policy, { now: computedAt, window: { start: from, end: to } }), evaluate(drift, policy, { now: computedAt, window: { start: from, end: to } })];
      const inputs = { window: window.id };
      const recA = await recordEvaluation({ store, result, findings: findings[0]!, kind: 'audit', runId: `${JOB}/${window.id}/audit/v1`, now: computedAt, inputs, actor: 'bench:monitor' });
      const recD = await recordEvaluation({ store, result: drift, findings: findings[1]!, kind: 'drift', runId: `${JOB}/${window.id}/drift/v1`, now: computedAt, inputs, actor: 'bench:monitor' });
      phases.record.push(performance.now() - t);
      t = performance.now();
      history.push({
        jobId: JOB,
        window,
        version: 1,
        computedAt,
        runIds: { audit: recA.runId, drift: recD.runId },
        rows: data.rows,
        labelledRows: data.rows,
        findings,
        status: worstStatus(findings.map((f) => f.status)),
        metrics: {},
        risks: [...recA.risks, ...recD.risks].map((c) => ({ findingId: c.entry.findings.at(-1)!.findingId, riskId: c.entry.id })),
      });
      const alerts = evaluateAlerts({ jobId: JOB, rules: RULES, history, state, now: computedAt });
      state = alerts.state;
      events.push(...alerts.events);
      phases.alerts.push(performance.now() - t);
      phases.run.push(performance.now() - tRun);
      const psi = findings[1]!.findings.find((f) => f.metric === 'psi' && f.scope.column === 'income');
      console.log(
        `  ${window.id}  run ${phases.run.at(-1)!.toFixed(0).padStart(6)} ms  (generate ${phases.generate.at(-1)!.toFixed(0)} ms)  audit ${findings[0]!.status.padEnd(5)} drift ${findings[1]!.status.padEnd(5)} psi(income) ${psi?.value?.toFixed(3) ?? '-'}  ${alerts.events.map((e) => `${e.type}:${e.rule}`).join(' ')}`,
      );
    }
  } finally {
    await store.close();
  }
  const backfillMs = performance.now() - tBackfill;
  const peakRss = sampler.peak();
  await sampler.stop();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const size = folderBytes(storeDir);
  rmSync(dir, { recursive: true, force: true });

  const count = (type: AlertEvent['type']) => events.filter((e) => e.type === type).length;
  const figures = {
    kind: 'fairwatch.bench.monitor',
    date: new Date().toISOString(),
    node: process.version,
    days,
    rowsPerDay: rows,
    backfillMs,
    backfillExcludingGenerationMs: backfillMs - phases.generate.reduce((a, b) => a + b, 0),
    dailyRunMedianMs: median(phases.run),
    dailyRunMaxMs: Math.max(...phases.run),
    dailyRunPhasesMedianMs: { audit: median(phases.audit), drift: median(phases.drift), evaluateAndRecord: median(phases.record), alerts: median(phases.alerts) },
    generateMedianMs: median(phases.generate),
    peakRssMiB: peakRss / MiB,
    kernelMaxRssMiB: maxRss / MiB,
    baselineRssMiB: baselineRss / MiB,
    storeBytes: size.bytes,
    storeFiles: size.files,
    storeBytesPerWindow: size.bytes / days,
    alerts: { fired: count('fired'), reminder: count('reminder'), recovered: count('recovered'), events: events.map((e) => e.id) },
  };
  console.log('');
  console.log(`  backfill (${days} windows)            ${(backfillMs / 1000).toFixed(1).padStart(8)} s   (${(figures.backfillExcludingGenerationMs / 1000).toFixed(1)} s without generating the data)`);
  console.log(`  one daily run (median)            ${figures.dailyRunMedianMs.toFixed(0).padStart(8)} ms  audit ${figures.dailyRunPhasesMedianMs.audit.toFixed(0)} / drift ${figures.dailyRunPhasesMedianMs.drift.toFixed(0)} / evaluate+record ${figures.dailyRunPhasesMedianMs.evaluateAndRecord.toFixed(0)} / alerts ${figures.dailyRunPhasesMedianMs.alerts.toFixed(1)} ms`);
  console.log(`  generating one day (median)       ${figures.generateMedianMs.toFixed(0).padStart(8)} ms`);
  console.log(`  peak RSS (sampled every 50 ms)    ${figures.peakRssMiB.toFixed(0).padStart(8)} MiB (kernel maxRSS ${figures.kernelMaxRssMiB.toFixed(0)} MiB; at start ${figures.baselineRssMiB.toFixed(0)} MiB)`);
  console.log(`  store on disk                     ${(size.bytes / MiB).toFixed(2).padStart(8)} MiB (${(figures.storeBytesPerWindow / 1024).toFixed(0)} KiB per window; ${Object.entries(size.files).map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KiB`).join(', ')})`);
  console.log(`  alerts                            ${String(events.length).padStart(8)}     fired ${figures.alerts.fired}, reminders ${figures.alerts.reminder}, recovered ${figures.alerts.recovered}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'benchmarks', 'results', 'monitor-latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
  console.log(`\nwrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
