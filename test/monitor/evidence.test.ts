/**
 * A monitoring job's records in an evidence pack: after a backfill with a drift alert, a re-run
 * (version 2), `fairwatch evidence export` writes `monitoring/windows.json`
 * (every stored window version) and `monitoring/alerts.json` (events with their per-sink
 * deliveries) equal to what the store holds, the windows' run lines are in the audit extract, and
 * the pack verifies; with a period that holds none of them, no monitoring files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/store/index.js';
import { capture } from '../cli/capture.js';
import { makeJob, makeRows } from './fixtures.js';

const RULES = ['alerts:', '  rules:', '    - { id: psi-x, metric: psi, column: x }', '  sinks:', '    - { type: file, path: alerts.jsonl }'].join('\n');

describe('evidence packs of a store with monitoring jobs', () => {
  it("include the window versions and the alert events with their deliveries, as stored; the windows' run lines are in the audit extract", async () => {
    const job = makeJob(makeRows(4, 100, 2), RULES);
    const run = (...a: string[]) => main(['monitor', 'run', '--config', job.config, ...a], capture());
    expect(await run('--now', '2026-03-05T01:00:00Z')).toBe(3);
    expect(await run('--window', '2026-03-02', '--now', '2026-03-05T01:00:00Z')).toBe(0);
    const out = join(job.dir, 'pack');
    const io = capture();
    expect(await main(['evidence', 'export', '--store', job.store, '--out', out], io), io.err).toBe(0);

    const windows = JSON.parse(readFileSync(join(out, 'monitoring/windows.json'), 'utf8'));
    const alerts = JSON.parse(readFileSync(join(out, 'monitoring/alerts.json'), 'utf8'));
    const store = await openStore(job.store);
    try {
      const stored = await store.monitorHistory('loans-daily', { allVersions: true });
      expect(windows.windows).toEqual(stored.map(({ findings: _f, ...w }) => w));
      expect(windows.windows.map((w: { window: { id: string }; version: number }) => `${w.window.id} v${w.version}`)).toEqual([
        'day:2026-03-01 v1',
        'day:2026-03-02 v1',
        'day:2026-03-02 v2',
        'day:2026-03-03 v1',
        'day:2026-03-04 v1',
      ]);
      // every window version's runs are in the pack
      for (const w of stored) for (const id of Object.values(w.runIds)) expect(readFileSync(join(out, `runs/${id}.json`)).length).toBeGreaterThan(0);
      const events = await store.monitorAlertEvents('loans-daily');
      expect(alerts.events.map((e: { id: string; type: string }) => `${e.type} ${e.id}`)).toEqual(events.map((e) => `${e.type} ${e.id}`));
      expect(alerts.events.map((e: { id: string }) => e.id)).toEqual(['loans-daily/psi-x/day:2026-03-03/fired', 'loans-daily/psi-x/day:2026-03-04/recovered']);
      const deliveries = await store.monitorAlertDeliveries('loans-daily');
      for (const e of alerts.events) {
        expect(e.deliveries).toEqual(deliveries.filter((d) => d.eventId === e.id).map(({ sink, deliveredAt }) => ({ sink, deliveredAt })));
        expect(e.deliveries.map((d: { sink: string }) => d.sink)).toEqual([`file:${join(job.dir, 'alerts.jsonl')}`]);
        expect(e.sentAt).not.toBeNull();
      }
    } finally {
      await store.close();
    }
    const extract = readFileSync(join(out, 'audit/audit-log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string; details?: { runId?: string; monitor?: { window: string } } });
    for (const w of windows.windows as { window: { id: string }; runIds: Record<string, string> }[]) {
      for (const id of Object.values(w.runIds)) expect(extract.find((e) => e.details?.runId === id)?.details?.monitor?.window).toBe(w.window.id);
    }
    const v = capture();
    expect(await main(['evidence', 'verify', out], v), v.out).toBe(0);

    // a period that ends before the day-3 alert: the first windows only, no alert
    const early = join(job.dir, 'pack-early');
    const computed = (windows.windows as { computedAt: string }[]).map((w) => w.computedAt).sort();
    const io2 = capture();
    expect(await main(['evidence', 'export', '--store', job.store, '--out', early, '--period', '2026-01-01..2026-01-02'], io2), io2.err).toBe(0);
    expect(computed.every((t) => t > '2026-01-02')).toBe(true);
    expect(() => readFileSync(join(early, 'monitoring/windows.json'))).toThrow(/ENOENT/);
  });
});
