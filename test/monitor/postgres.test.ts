/**
 * `fairwatch monitor` with its store in PostgreSQL (`store: postgres://...?schema=<unique>` in the
 * job file): a backfill, an idempotent re-run (version 2, no duplicate runs), history and status.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadMonitorConfig } from '../../src/monitor/config.js';
import { runMonitor } from '../../src/monitor/run.js';
import { openStore } from '../../src/store/index.js';
import { itWithServer, pgReachable, pgUrl } from '../engines/servers.js';
import { makeJob, makeRows } from './fixtures.js';

const reason = await pgReachable();
const schema = `fw_mon_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const storeUrl = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
const NOW = '2026-03-05T01:00:00Z';

afterAll(async () => {
  if (reason) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  for (const s of [schema, `${schema}_2`]) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await c.end();
});

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }).then((code) => ({ code, out: out.join(''), err: err.join('') }));
}

describe('fairwatch monitor with a PostgreSQL store', () => {
  itWithServer(reason, 'backfill, idempotent re-run (version 2, same runs), history and status in a fresh schema', async () => {
    const rows = makeRows(4, 100, 2);
    const job = makeJob(rows);
    writeFileSync(job.config, readFileSync(job.config, 'utf8').replace('store: store', `store: "${storeUrl}"`));

    const r = await cli(['monitor', 'run', '--config', job.config, '--now', NOW]);
    expect([r.code, r.err]).toEqual([3, '']);
    expect(r.out.match(/day:2026-03-0\d {2}v1/g)).toEqual(['day:2026-03-01  v1', 'day:2026-03-02  v1', 'day:2026-03-03  v1', 'day:2026-03-04  v1']);

    const store = await openStore(storeUrl);
    try {
      expect(store.kind).toBe('postgres');
      const latest = await store.monitorHistory('loans-daily');
      // naive counts per day from the generated rows
      expect(latest.map((o) => o.rows)).toEqual(latest.map((o) => rows.filter((x) => x.ts >= o.window.start && x.ts < o.window.end).length));
      const runs = (await store.listRuns()).map((x) => x.id).sort();
      expect(runs).toHaveLength(8); // audit + drift per window

      const again = await cli(['monitor', 'run', '--config', job.config, '--window', 'day:2026-03-03', '--now', NOW]);
      expect(again.code).toBe(3);
      expect(again.out).toMatch(/day:2026-03-03\s+v2/);
      expect((await store.monitorHistory('loans-daily', { windowId: 'day:2026-03-03' })).map((o) => o.version)).toEqual([1, 2]);
      expect((await store.listRuns()).map((x) => x.id).sort()).toEqual(runs); // same data: the same runs
      const v2 = (await store.monitorHistory('loans-daily', { windowId: 'day:2026-03-03' }))[1]!;
      expect(v2.changed).toEqual([]); // nothing moved

      const h = await cli(['monitor', 'history', '--config', job.config, '--metric', 'psi', '--attribute', 'x', '--format', 'json']);
      const hist = JSON.parse(h.out) as { rows: { window: string; status: string; version: number; versions: number }[] };
      expect(hist.rows.map((x) => [x.window, x.status, x.version, x.versions])).toEqual([
        ['day:2026-03-01', 'pass', 1, 1],
        ['day:2026-03-02', 'pass', 1, 1],
        ['day:2026-03-03', 'fail', 2, 2],
        ['day:2026-03-04', 'pass', 1, 1],
      ]);
      const st = await cli(['monitor', 'status', '--config', job.config, '--format', 'json']);
      expect(JSON.parse(st.out).jobs[0]).toMatchObject({ job: 'loans-daily', windows: 4, last: { window: 'day:2026-03-04', version: 1 }, lock: null });
      expect(await store.unauditedMonitorWindows('loans-daily')).toEqual([]);
      expect((await store.verifyAudit()).ok).toBe(true);
      const lines = (await store.readAudit()).filter((e) => e.action === 'audit.run' || e.action === 'drift.run').map((e) => String(e.details?.runId));
      expect(lines.sort()).toEqual(runs);
    } finally {
      await store.close();
    }
  });

  itWithServer(reason, 'two runs started together on one PostgreSQL store: one computes each window, the other is refused naming the holder', async () => {
    const job = makeJob(makeRows(3, 60, -1));
    const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}_2`;
    writeFileSync(job.config, readFileSync(job.config, 'utf8').replace('store: store', `store: "${url}"`));
    const cfg = loadMonitorConfig(job.config);
    const runs = await Promise.allSettled(['one', 'two'].map((actor) => runMonitor(cfg, { now: '2026-03-04T00:00:00Z', actor, lockTimeoutMs: 0 })));
    const ok = runs.filter((r) => r.status === 'fulfilled');
    const refused = runs.filter((r) => r.status === 'rejected');
    expect([ok.length, refused.length]).toEqual([1, 1]);
    expect(ok[0]!.value.windows.map((o) => `${o.window.id} v${o.version}`)).toEqual(['day:2026-03-01 v1', 'day:2026-03-02 v1', 'day:2026-03-03 v1']);
    expect((refused[0]!.reason as { code?: string }).code).toBe('monitorLocked');
    expect((refused[0]!.reason as Error).message).toMatch(/is being run by (one|two) \(pid \d+ on /);
    const store = await openStore(url);
    try {
      expect((await store.monitorHistory('loans-daily', { allVersions: true })).map((o) => o.version)).toEqual([1, 1, 1]);
      const ids = (await store.listRuns()).map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await store.monitorLocks()).toEqual([]);
      expect((await store.verifyAudit()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
