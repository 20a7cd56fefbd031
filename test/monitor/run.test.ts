import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { messages } from '../../src/errors.js';
import { loadMonitorConfig } from '../../src/monitor/config.js';
import { runMonitor } from '../../src/monitor/run.js';
import { openStore } from '../../src/store/index.js';
import { makeJob, makeRows } from './fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const register = fileURLToPath(new URL('../helpers/ts-register.mjs', import.meta.url));
const child = fileURLToPath(new URL('./child-run.ts', import.meta.url));
const NOW = '2026-03-05T01:00:00Z';

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }).then((code) => ({ code, out: out.join(''), err: err.join('') }));
}

describe('fairwatch monitor (DuckDB store, real files)', () => {
  it('backfills daily windows: the drift day fails, a re-run appends version 2 without duplicate runs', async () => {
    const rows = makeRows(4, 200, 2);
    const job = makeJob(rows);
    const r = await cli(['monitor', 'run', '--config', job.config, '--now', NOW]);
    expect(r.err).toBe('');
    expect(r.code).toBe(3);
    const h = await cli(['monitor', 'history', '--config', job.config, '--metric', 'psi', '--attribute', 'x', '--format', 'json']);
    const hist = JSON.parse(h.out) as { rows: { window: string; status: string; version: number; versions: number }[] };
    expect(hist.rows.map((x) => [x.window, x.status])).toEqual([
      ['day:2026-03-01', 'pass'],
      ['day:2026-03-02', 'pass'],
      ['day:2026-03-03', 'fail'],
      ['day:2026-03-04', 'pass'],
    ]);
    const store = await openStore(job.store);
    const latest = await store.monitorHistory('loans-daily');
    // naive counts per day from the generated rows
    const perDay = latest.map((o) => rows.filter((x) => x.ts >= o.window.start && x.ts < o.window.end).length);
    expect(latest.map((o) => o.rows)).toEqual(perDay);
    const runsBefore = (await store.listRuns()).length;
    const again = await cli(['monitor', 'run', '--config', job.config, '--window', '2026-03-03', '--now', NOW]);
    expect(again.code).toBe(3);
    expect(again.out).toMatch(/day:2026-03-03\s+v2/);
    expect((await store.monitorHistory('loans-daily', { windowId: 'day:2026-03-03' })).map((o) => o.version)).toEqual([1, 2]);
    expect((await store.listRuns()).length).toBe(runsBefore); // same data: the same runs, no duplicates
    const csv = await cli(['monitor', 'history', '--config', job.config, '--metric', 'psi', '--attribute', 'x', '--format', 'csv']);
    expect(csv.out.split('\n')[3]).toMatch(/^loans-daily,day:2026-03-03,.*,2,2,psi,drift:psi:x,/);
    // nothing due now: exit 0
    expect((await cli(['monitor', 'run', '--config', job.config, '--now', NOW])).out).toMatch(/no window is due/);
    const st = await cli(['monitor', 'status', '--config', job.config, '--format', 'json']);
    expect(JSON.parse(st.out).jobs[0]).toMatchObject({ job: 'loans-daily', windows: 4, last: { window: 'day:2026-03-04', version: 1 }, lock: null });
    // two days later nobody ran the job: status names the complete windows not computed
    const late = await cli(['monitor', 'status', '--config', job.config, '--now', '2026-03-07T01:00:00Z', '--format', 'json']);
    expect(JSON.parse(late.out).jobs[0].due).toEqual(['day:2026-03-05', 'day:2026-03-06']);
    expect((await cli(['monitor', 'status', '--config', job.config, '--now', '2026-03-07T01:00:00Z'])).out).toMatch(/ {2}due: 2 window\(s\) from day:2026-03-05\n$/);
    expect((await cli(['monitor', 'status', '--config', job.config, '--now', NOW])).out).toMatch(/ {2}due: \(none\)\n$/);
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
  });

  it('exit 2 for a bad job file, naming file and line', async () => {
    const job = makeJob(makeRows(1, 10, -1), 'window: fortnight');
    const r = await cli(['monitor', 'run', '--config', job.config]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/monitor\.yaml:\d+: /);
  });

  it('late labels: a re-run recomputes label-dependent metrics and records what changed', async () => {
    const rows = makeRows(2, 200, -1);
    const half = rows.map((x, i) => (i % 2 === 0 ? x : { ...x, y: null }));
    const job = makeJob(rows, '', { labels: half });
    const cfg = loadMonitorConfig(job.config);
    const first = await runMonitor(cfg, { window: '2026-03-02', now: NOW, actor: 't' });
    const day = rows.filter((x) => x.ts >= '2026-03-02');
    expect(first.windows[0]!.labelledRows).toBe(half.filter((x) => x.ts >= '2026-03-02' && x.y !== null).length);
    writeFileSync(join(job.dir, 'labels.csv'), 'id,y\n' + rows.map((x) => `${x.id},${x.y}`).join('\n') + '\n');
    const second = await runMonitor(cfg, { window: '2026-03-02', now: NOW, actor: 't' });
    const o = second.windows[0]!;
    expect([o.version, o.rows, o.labelledRows]).toEqual([2, day.length, day.length]);
    expect(o.changed).toContainEqual({ metric: 'labelledRows', from: day.length / 2, to: day.length });
    expect(o.changed!.some((c) => c.metric.startsWith('fairness:'))).toBe(true);
  });

  it('a labels source with an id on two rows is refused (exit 2, naming the column and how many ids) rather than counting those predictions twice', async () => {
    const rows = makeRows(2, 50, -1);
    const job = makeJob(rows, '', { labels: rows });
    writeFileSync(join(job.dir, 'labels.csv'), 'id,y\n' + rows.map((x) => `${x.id},${x.y}`).join('\n') + `\n3,1\n7,0\n7,1\n`);
    const r = await cli(['monitor', 'run', '--config', job.config, '--now', NOW]);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain(messages.monitorDuplicateLabels('runMonitor', 'loans-daily', 'id', 2));
    const store = await openStore(job.store);
    expect(await store.monitorHistory('loans-daily')).toEqual([]);
    await store.close();
  });

  it('a process SIGKILLed mid-backfill leaves a consistent store; the next run completes, and a held lock exits 2 naming the holder', async () => {
    const rows = makeRows(4, 100, 2);
    const job = makeJob(rows);
    const p = spawn(process.execPath, ['--import', register, child, job.config, NOW, '1', '60000'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => p.stdout.on('data', (d: Buffer) => d.toString().includes('window ') && resolve()));
    // while it holds the lock, another run is refused with the holder's name
    const cfg = loadMonitorConfig(job.config);
    await expect(runMonitor(cfg, { now: NOW, actor: 'second', lockTimeoutMs: 300 })).rejects.toThrow(new RegExp(`being run by child-${p.pid} \\(pid ${p.pid}`));
    p.kill('SIGKILL');
    await new Promise((r) => p.on('close', r));
    const store = await openStore(job.store);
    expect((await store.monitorHistory('loans-daily')).map((o) => o.window.id)).toEqual(['day:2026-03-01']);
    expect((await store.monitorLocks()).map((l) => l.pid)).toEqual([p.pid]); // left behind by the killed process
    const r = await runMonitor(cfg, { now: NOW, actor: 'next' });
    expect(r.windows.map((o) => o.window.id)).toEqual(['day:2026-03-02', 'day:2026-03-03', 'day:2026-03-04']);
    const all = await store.monitorHistory('loans-daily', { allVersions: true });
    expect(all.map((o) => `${o.window.id} v${o.version}`)).toEqual(['day:2026-03-01 v1', 'day:2026-03-02 v1', 'day:2026-03-03 v1', 'day:2026-03-04 v1']);
    expect(await store.monitorLocks()).toEqual([]);
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
  });
});
