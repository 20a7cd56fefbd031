/**
 * `fairwatch monitor run | history | status | alerts`: the scheduled monitoring job (src/monitor/).
 * Exit codes: 0 ran and nothing failed; 3 a finding of a window failed; 2 bad configuration or
 * input (including another run holding the job's lock); 1 unexpected, or alerts that could not be
 * delivered (when no finding failed; they are retried by the next run).
 *
 * @example
 * ```sh
 * fairwatch monitor run --config monitor.yaml                       # the due windows
 * fairwatch monitor run --config monitor.yaml --window 2026-03-01   # one window again (a new version)
 * fairwatch monitor history --config monitor.yaml --metric disparateImpact --format csv
 * fairwatch monitor alerts --config monitor.yaml --undelivered      # what a sink has not received
 * ```
 */
import { InputError, messages } from '../errors.js';
import { defaultActor } from '../governance/audit-log.js';
import { loadMonitorConfig } from '../monitor/config.js';
import { describeSink, sinkKey } from '../monitor/sinks.js';
import { dueWindows } from '../monitor/windows.js';
import { describeLockHolder, runMonitor } from '../monitor/run.js';
import type { WindowOutcome } from '../monitor/types.js';
import { openStore } from '../store/index.js';
import { EXIT, type CliIO } from './main.js';

/** Arguments of {@link runMonitorRun}. */
export interface MonitorRunArgs {
  config: string;
  window?: string;
  from?: string;
  to?: string;
  now?: string;
  lockTimeoutMs?: number;
  /** Recompute a fixed baseline window even when its cached profile still matches. */
  refreshBaseline?: boolean;
  format?: 'text' | 'json';
}

/**
 * `fairwatch monitor run`.
 *
 * @example
 * ```ts
 * await runMonitorRun({ config: 'monitor.yaml', from: '2026-03-01', to: '2026-03-08' }, io); // 0 or 3
 * ```
 */
export async function runMonitorRun(args: MonitorRunArgs, io: CliIO): Promise<number> {
  const job = loadMonitorConfig(args.config);
  const r = await runMonitor(job, {
    ...(args.window !== undefined ? { window: args.window } : {}),
    ...(args.from !== undefined ? { from: args.from } : {}),
    ...(args.to !== undefined ? { to: args.to } : {}),
    ...(args.now !== undefined ? { now: args.now } : {}),
    ...(args.lockTimeoutMs !== undefined ? { lockTimeoutMs: args.lockTimeoutMs } : {}),
    ...(args.refreshBaseline ? { refreshBaseline: true } : {}),
    sinks: { stdout: args.format === 'json' ? (t) => io.stderr(t) : io.stdout },
    // text: each window's line as soon as it is committed (a long backfill shows its progress,
    // and a run that fails later still shows what it stored)
    ...(args.format === 'json' ? {} : { onWindow: (w: WindowOutcome) => io.stdout(outcomeLine(w) + '\n') }),
  });
  if (args.format === 'json') io.stdout(JSON.stringify(r, null, 2) + '\n');
  else {
    for (const w of r.resumed) io.stderr(`monitor: completed the audit trail of ${w} (an interrupted run)\n`);
    if (r.windows.length === 0) io.stdout(`${r.jobId}: no window is due\n`);
    if (r.alertFailures > 0) {
      io.stderr(`monitor: ${r.alertFailures} alert deliveries failed; they are retried on the next run\n`);
      for (const e of r.alertErrors) io.stderr(`  ${e}\n`);
    }
  }
  // 3 when a finding failed (its alerts are what the scheduler should not hide); otherwise an
  // alert that could not be delivered is an error the on-call engineer must see: 1
  if (r.status === 'fail') return EXIT.policyFailed;
  return r.alertFailures > 0 ? EXIT.unexpected : EXIT.ok;
}

function outcomeLine(w: WindowOutcome): string {
  const failed = w.findings.flatMap((d) => d.findings).filter((f) => f.status === 'fail').map((f) => f.id);
  const changed = w.changed?.length ? `  changed: ${w.changed.map((c) => c.metric).join(', ')}` : '';
  const notes = w.notes?.length ? `  (${w.notes.join('; ')})` : '';
  return `${w.jobId}  ${w.window.id}  v${w.version}  ${w.status.padEnd(12)}  rows ${w.rows} (labelled ${w.labelledRows})${failed.length ? `  failed: ${failed.join(', ')}` : ''}${changed}${notes}`;
}

/** Arguments of {@link runMonitorHistory}. */
export interface MonitorHistoryArgs {
  config?: string;
  store?: string;
  job?: string;
  metric?: string;
  attribute?: string;
  format?: 'text' | 'json' | 'csv';
}

/** One row of the history: one finding of the latest version of one window. */
interface HistoryRow {
  job: string;
  window: string;
  start: string;
  end: string;
  version: number;
  versions: number;
  metric: string;
  finding: string;
  attributes: string;
  column: string;
  value: number | null;
  status: string;
}

/**
 * `fairwatch monitor history`: the trend of each metric per window (latest version, with the
 * number of versions), optionally only one metric or attribute.
 *
 * @example
 * ```ts
 * await runMonitorHistory({ config: 'monitor.yaml', metric: 'psi', format: 'csv' }, io);
 * // job,window,start,end,version,versions,metric,finding,attributes,column,value,status
 * ```
 */
export async function runMonitorHistory(args: MonitorHistoryArgs, io: CliIO): Promise<number> {
  const job = args.config ? loadMonitorConfig(args.config) : null;
  const store = await openStore(args.store ?? job?.store);
  try {
    const history = await store.monitorHistory(args.job ?? job?.job);
    const rows: HistoryRow[] = [];
    for (const o of history) {
      for (const f of o.findings.flatMap((d) => d.findings)) {
        if (args.metric !== undefined && f.metric !== args.metric) continue;
        if (args.attribute !== undefined && !f.scope.attributes.includes(args.attribute) && f.scope.column !== args.attribute) continue;
        rows.push({
          job: o.jobId,
          window: o.window.id,
          start: o.window.start,
          end: o.window.end,
          version: o.version,
          versions: o.versions ?? 1,
          metric: f.metric,
          finding: f.id,
          attributes: f.scope.attributes.join(' × '),
          column: f.scope.column ?? '',
          value: f.value,
          status: f.status,
        });
      }
    }
    const format = args.format ?? 'text';
    if (format === 'json') io.stdout(JSON.stringify({ kind: 'fairwatch.monitorHistory', version: 1, windows: history.length, rows }, null, 2) + '\n');
    else if (format === 'csv') {
      const keys = ['job', 'window', 'start', 'end', 'version', 'versions', 'metric', 'finding', 'attributes', 'column', 'value', 'status'] as const;
      const cell = (v: unknown) => {
        const s = v === null || v === undefined ? '' : String(v);
        return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
      };
      io.stdout([keys.join(','), ...rows.map((r) => keys.map((k) => cell(r[k])).join(','))].join('\n') + '\n');
    } else {
      if (rows.length === 0) io.stdout('(no monitoring history)\n');
      for (const r of rows) {
        io.stdout(`${r.window.padEnd(18)} v${r.version}/${r.versions}  ${r.finding.padEnd(48)} ${r.value === null ? 'null' : Number(r.value.toPrecision(4))}  ${r.status}\n`);
      }
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Arguments of {@link runMonitorStatus}. */
export interface MonitorStatusArgs {
  /** The current time for the due-window count (default now). */
  now?: string;
  config?: string;
  store?: string;
  format?: 'text' | 'json';
}

/**
 * `fairwatch monitor status`: per job, the last window (version, status), the open alerts (rules
 * firing), who holds the job's lock, the calendar windows complete but not yet computed (with
 * `--config`; a stopped scheduler shows here), and the alert events some sink has not received
 * yet (with `--format json`: their ids and the sinks that do have them).
 *
 * @example
 * ```ts
 * await runMonitorStatus({ config: 'monitor.yaml' }, io);
 * // credit-daily  last day:2026-03-07 v1 pass  windows 7  firing: (none)  lock: (free)  due: (none)
 * ```
 */
export async function runMonitorStatus(args: MonitorStatusArgs, io: CliIO): Promise<number> {
  const job = args.config ? loadMonitorConfig(args.config) : null;
  const store = await openStore(args.store ?? job?.store);
  try {
    const history = await store.monitorHistory(job?.job);
    const locks = await store.monitorLocks();
    const jobs = [...new Set([...history.map((h) => h.jobId), ...locks.map((l) => l.jobId), ...(job ? [job.job] : [])])].sort();
    const out = [];
    for (const id of jobs) {
      const last = history.filter((h) => h.jobId === id).at(-1) ?? null;
      const state = await store.monitorAlertState(id);
      const lock = locks.find((l) => l.jobId === id) ?? null;
      const pending = await store.monitorAlertEvents(id, { unsent: true });
      const reached = await store.monitorAlertDeliveries(id, { unsent: true });
      out.push({
        job: id,
        windows: history.filter((h) => h.jobId === id).length,
        last: last ? { window: last.window.id, version: last.version, status: last.status, computedAt: last.computedAt } : null,
        firing: state.filter((s) => s.state === 'firing').map((s) => s.rule),
        lock: lock ? { holder: describeLockHolder(lock), expiresAt: lock.expiresAt } : null,
        // events some sink has not received yet (the next run sends them), and the sinks that have them
        undelivered: pending.map((e) => ({ id: e.id, deliveredTo: reached.filter((d) => d.eventId === e.id).map((d) => d.sink) })),
        // calendar windows complete by now but not computed: a scheduler that stopped shows here
        ...(job && id === job.job && job.window.unit !== 'rows' && last ? { due: dueWindows(job.window, { lastCompleted: last.window, now: args.now ?? new Date() }).map((w) => w.id) } : {}),
      });
    }
    if (args.format === 'json') io.stdout(JSON.stringify({ kind: 'fairwatch.monitorStatus', version: 1, jobs: out }, null, 2) + '\n');
    else {
      if (out.length === 0) io.stdout('(no monitoring jobs in the store)\n');
      for (const j of out) {
        const last = j.last ? `last ${j.last.window} v${j.last.version} ${j.last.status}` : 'no window yet';
        const undelivered = j.undelivered.length ? `  undelivered alerts: ${j.undelivered.length}` : '';
        const due = j.due ? `  due: ${j.due.length ? `${j.due.length} window(s) from ${j.due[0]}` : '(none)'}` : '';
        io.stdout(`${j.job}  ${last}  windows ${j.windows}  firing: ${j.firing.length ? j.firing.join(', ') : '(none)'}  lock: ${j.lock ? j.lock.holder : '(free)'}${due}${undelivered}\n`);
      }
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Arguments of {@link runMonitorAlerts}. */
export interface MonitorAlertsArgs {
  /** The job file: its job, store and sinks. */
  config: string;
  /** Only events some configured sink has not received. */
  undelivered?: boolean;
  /** Stop re-sending this event: count it delivered to the sinks that lack it (logged in the audit trail). */
  discard?: string;
  /** Why (recorded with a discard). */
  reason?: string;
  /** Who (default `defaultActor()`). */
  actor?: string;
  format?: 'text' | 'json';
}

/**
 * `fairwatch monitor alerts`: the job's alert events with where each was delivered and which
 * configured sinks still lack it; `--discard <event id>` stops re-sending an event that a sink
 * keeps refusing (e.g. a webhook answering 400), after an audit-trail line
 * (`monitor.alert.discard`, with the sinks and the reason) — the only way an event is marked
 * delivered without being delivered.
 *
 * @example
 * ```ts
 * await runMonitorAlerts({ config: 'monitor.yaml', undelivered: true }, io);
 * // 2026-03-04T01:00:00.000Z  fired      psi-x  day:2026-03-03  psi 0.865  pending: webhook https://hooks.example.org/fw
 * await runMonitorAlerts({ config: 'monitor.yaml', discard: 'loans/psi-x/day:2026-03-03/fired', reason: 'receiver rejects it (400)' }, io); // 0
 * ```
 */
export async function runMonitorAlerts(args: MonitorAlertsArgs, io: CliIO): Promise<number> {
  const fn = 'monitor alerts';
  const job = loadMonitorConfig(args.config);
  const store = await openStore(job.store);
  try {
    const sinks = job.alerts.sinks.map((s) => ({ key: sinkKey(s), name: describeSink(s) }));
    const nameOf = (key: string) => sinks.find((s) => s.key === key)?.name ?? key;
    const events = await store.monitorAlertEvents(job.job);
    const deliveries = await store.monitorAlertDeliveries(job.job);
    const rows = events.map((e) => {
      const got = deliveries.filter((d) => d.eventId === e.id);
      // a sent event lacks nothing (a sink added to the job file later does not get old events)
      const pending = e.sentAt !== null ? [] : sinks.filter((s) => !got.some((d) => d.sink === s.key));
      return { event: e, deliveredTo: got.map((d) => ({ sink: d.sink, name: nameOf(d.sink), at: d.deliveredAt })), pending };
    });
    if (args.discard !== undefined) {
      const row = rows.find((r) => r.event.id === args.discard);
      if (!row) throw new InputError(messages.monitorUnknownAlert(fn, job.job, args.discard), 'monitorUnknownAlert', { eventId: args.discard });
      if (row.event.sentAt !== null) throw new InputError(messages.monitorAlertDelivered(fn, args.discard), 'monitorAlertDelivered', { eventId: args.discard });
      const at = new Date().toISOString();
      // the trail first: a discard the store then records is always accounted for
      const line = await store.appendAudit({
        action: 'monitor.alert.discard',
        actor: args.actor ?? defaultActor(),
        time: at,
        details: { job: job.job, eventId: row.event.id, sinks: row.pending.map((s) => s.key), reason: args.reason ?? null },
      });
      await store.recordAlertDeliveries({ delivered: row.pending.map((s) => ({ eventId: row.event.id, sink: s.key })), sent: [row.event.id], at });
      io.stdout(`discarded ${row.event.id} for ${row.pending.length ? row.pending.map((s) => s.name).join(', ') : 'no sink'} (audit-log line ${line.seq}); it is no longer re-sent\n`);
      return EXIT.ok;
    }
    const shown = args.undelivered ? rows.filter((r) => r.event.sentAt === null) : rows;
    if (args.format === 'json') {
      io.stdout(
        JSON.stringify(
          { kind: 'fairwatch.monitorAlerts', version: 1, job: job.job, events: shown.map((r) => ({ ...r.event, deliveredTo: r.deliveredTo, pending: r.pending.map((s) => s.key) })) },
          null,
          2,
        ) + '\n',
      );
      return EXIT.ok;
    }
    if (shown.length === 0) io.stdout(args.undelivered ? '(every alert has been delivered)\n' : '(no alerts)\n');
    for (const { event: e, pending } of shown) {
      const value = e.value === null ? 'null' : String(Number(e.value.toPrecision(4)));
      const state = e.sentAt !== null ? `sent ${e.sentAt}` : `pending: ${pending.map((s) => s.name).join(', ')}`;
      io.stdout(`${e.time}  ${e.type.padEnd(9)}  ${e.rule}  ${e.window.id}  ${e.metric} ${value}  ${state}  (${e.id})\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
