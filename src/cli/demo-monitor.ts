/**
 * The demo's monitoring step: five days of synthetic production predictions (one file with a
 * timestamp column), a daily monitoring job over them (`monitor.yaml`, DuckDB engine, the first
 * day as the baseline, the shipped default policy), and a short backfill in which income drifts
 * on days 3 and 4 and comes back on day 5 — so the drift alert fires once, is not repeated while
 * the breach persists, and recovers. Written under `<out>/monitor/` (replaced on every demo run).
 *
 * @example
 * ```ts
 * const m = await demoMonitoring('demo-output', 42);
 * m.events.map((e) => [e.type, e.window.id]); // [['fired', 'day:2026-11-03'], ['recovered', 'day:2026-11-05']]
 * ```
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLoans } from '../datasets/loans.js';
import { defaultPolicyPath } from '../governance/policy.js';
import { writeFileAtomic } from '../io/atomic.js';
import { loadMonitorConfig } from '../monitor/config.js';
import { runMonitor, type MonitorRunResult } from '../monitor/run.js';
import { buildReport } from '../report/build.js';
import { reportToHTML } from '../report/writers.js';
import { openStore } from '../store/index.js';

/**
 * First day of the demo's production data (UTC).
 * @example `DEMO_MONITOR_START // '2026-11-01'`
 */
export const DEMO_MONITOR_START = '2026-11-01';
/**
 * Days of production data, and the log-income shift of each (days 3 and 4 drift).
 * @example `DEMO_MONITOR_SHIFTS.length // 5`
 */
export const DEMO_MONITOR_SHIFTS = [0, 0, 0.4, 0.4, 0] as const;
/**
 * Predictions per day.
 * @example `DEMO_MONITOR_ROWS // 4000`
 */
export const DEMO_MONITOR_ROWS = 4000;

const DAY_MS = 86_400_000;

/** What the demo's backfill did, with the files it wrote. */
export interface DemoMonitoring {
  dir: string;
  config: string;
  alertsFile: string;
  store: string;
  /** HTML report of the job's store (metric trends over the windows). */
  report: string;
  result: MonitorRunResult;
  text: string;
}

/**
 * Write the data and job, run the backfill, and describe it (see the module doc).
 *
 * @example
 * ```ts
 * (await demoMonitoring('/tmp/fw-demo', 1)).result.windows.length; // 5
 * ```
 */
export async function demoMonitoring(out: string, seed: number): Promise<DemoMonitoring> {
  const dir = join(out, 'monitor');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const start = Date.parse(`${DEMO_MONITOR_START}T00:00:00Z`);
  const lines = ['id,ts,sex,age_band,income,score,approved,repaid'];
  DEMO_MONITOR_SHIFTS.forEach((shift, d) => {
    const day = generateLoans({ rows: DEMO_MONITOR_ROWS, seed: seed * 100 + d, incomeShift: shift }).columns;
    for (let i = 0; i < DEMO_MONITOR_ROWS; i++) {
      const ts = new Date(start + d * DAY_MS + Math.floor((i * DAY_MS) / DEMO_MONITOR_ROWS)).toISOString();
      lines.push([d * DEMO_MONITOR_ROWS + i + 1, ts, day.sex[i], day.age_band[i] ?? '', day.income[i], day.score[i], day.approved[i], day.repaid[i]].join(','));
    }
  });
  await writeFileAtomic(join(dir, 'predictions.csv'), lines.join('\n') + '\n');
  const end = new Date(start + DEMO_MONITOR_SHIFTS.length * DAY_MS);
  const config = join(dir, 'monitor.yaml');
  await writeFileAtomic(
    config,
    [
      '# fairwatch monitoring job of the demo: daily windows over synthetic production predictions',
      'job: loans-daily',
      'source: { engine: duckdb, file: predictions.csv }',
      'columns: { time: ts, label: repaid, prediction: approved, score: score, sensitive: [sex], features: [income, score], id: id }',
      'window: day',
      `baseline: { from: ${DEMO_MONITOR_START}, to: ${new Date(start + DAY_MS).toISOString().slice(0, 10)} }`,
      `policy: ${JSON.stringify(defaultPolicyPath())}`,
      'store: store',
      'alerts:',
      '  rules:',
      '    - { id: income-drift, metric: psi, column: income, n: 1, m: 1, severity: 4 }',
      '  sinks:',
      '    - { type: file, path: alerts.jsonl }',
      '',
    ].join('\n'),
  );
  const result = await runMonitor(loadMonitorConfig(config), {
    from: DEMO_MONITOR_START,
    to: end.toISOString(),
    now: new Date(end.getTime() + 3_600_000).toISOString(),
    actor: 'fairwatch demo',
  });
  const alertsFile = join(dir, 'alerts.jsonl');
  // the HTML report of the job's store: metric trends over the five windows
  const store = await openStore(join(dir, 'store'));
  let reportPath: string;
  try {
    reportPath = join(dir, 'report.html');
    await writeFileAtomic(reportPath, await reportToHTML(await buildReport({ store, title: 'fairwatch monitoring: loans-daily' })));
  } finally {
    await store.close();
  }
  const text = [
    `Monitoring: ${DEMO_MONITOR_SHIFTS.length} days of production predictions (${DEMO_MONITOR_ROWS} a day; log-income +0.4 on days 3 and 4), daily windows, job ${config}`,
    ...result.windows.map((w) => {
      const psi = Object.entries(w.metrics).find(([k]) => k === 'income-drift')?.[1];
      return `  ${w.window.id}  v${w.version}  ${w.status.toUpperCase().padEnd(12)} rows ${w.rows}${psi ? `  income PSI ${psi.value === null ? '—' : psi.value.toFixed(3)} (${psi.status})` : ''}`;
    }),
    `  alerts (${alertsFile}):`,
    ...(result.events.length
      ? result.events.map((e) => `    ${e.type.padEnd(9)} ${e.rule} on ${e.window.id}: ${e.metric} ${e.value === null ? '—' : e.value.toFixed(3)}${e.threshold ? ` (fail ${e.threshold.direction} ${e.threshold.fail})` : ''}${e.riskId ? `, risk ${e.riskId}` : ''}`)
      : ['    (none)']),
    `  trends: ${reportPath} (HTML report of the job's store)`,
    `  history: npx fairwatch monitor history --config ${config}    status: npx fairwatch monitor status --config ${config}`,
  ].join('\n');
  return { dir, config, alertsFile, store: join(dir, 'store'), report: reportPath, result, text };
}
