/**
 * The store's contract (DESIGN.md, "Engines and scale"): the history of runs and their findings,
 * the append-only risk register, and the audit trail, behind one interface implemented on an
 * embedded DuckDB file (`DuckDBStore`) and on PostgreSQL (`PostgresStore`).
 *
 * Tables (both back ends, all text columns hold JSON or ISO-8601 UTC times):
 * - `runs (id PK, kind, time, actor, system_id, system_json, policy_hash, result_digest, result_json)`
 * - `findings (run_id, finding_id, time, system_id, kind, metric, status, value, json; PK (run_id, finding_id))`
 * - `risk_versions (id, version, status, json, changed_at, changed_by; PK (id, version))` — append-only:
 *   the primary key makes a lost update impossible (two writers of version n+1: one fails).
 *
 * @example
 * ```ts
 * import { openStore } from './index.js';
 * const store = await openStore();            // .fairwatch/ in the working directory
 * await store.recordRun({ id: 'run-1', kind: 'audit', resultDigest, result, findings: doc });
 * await store.modifyRisks((latest) => applyFindings(latest, doc, { runId: 'run-1', actor: 'ci' }));
 * (await store.latestRisks({ status: 'open' })).length; // 1
 * await store.close();
 * ```
 */
import type { AuditInput, AuditVerification } from '../governance/audit-log.js';
import type { AISystem, AuditEvent, Finding, FindingsDocument, RiskEntry, RiskStatus } from '../governance/types.js';
import type { AlertEvent, AlertRuleState, WindowOutcome } from '../monitor/types.js';

/** A monitoring job's lock, held in the store while a run computes its windows. */
export interface MonitorLock {
  jobId: string;
  /** Random per acquisition; release only deletes the row with this token. */
  token: string;
  /** Who: actor, e.g. 'cron'. */
  holder: string;
  host: string;
  pid: number;
  acquiredAt: string;
  /** After this time the lock counts as stale (a crashed holder on another host). */
  expiresAt: string;
}

/**
 * One event received by one alert sink (the sink by `sinkKey`: 'stdout', 'file:<path>', 'webhook:<hash>').
 *
 * @example
 * ```ts
 * const rec: AlertDeliveryRecord = { eventId: 'loans/psi-x/day:2026-03-03/fired', sink: 'stdout', deliveredAt: '2026-03-04T01:00:02.000Z' };
 * ```
 */
export interface AlertDeliveryRecord {
  eventId: string;
  sink: string;
  deliveredAt: string;
}

/** What {@link Store.recordMonitorWindow} writes in one transaction. */
export interface MonitorWindowWrite {
  jobId: string;
  windowId: string;
  /** The window's runs (audit, drift) and how each changes the risk register (as `recordRunWithRisks`). */
  runs: { run: RunRecord; apply: (latest: RiskEntry[]) => RiskEntry[] | Promise<RiskEntry[]> }[];
  /**
   * Called inside the transaction after the runs are written, with the next version number, the
   * window's previous version, the job's history (latest version per window) and the alert state:
   * returns the outcome to store, and the new alert state and events (events already stored are skipped).
   */
  complete(ctx: { written: RunWithRisks[]; version: number; previous: WindowOutcome | null; history: WindowOutcome[]; alertState: AlertRuleState[] }):
    | { outcome: WindowOutcome; alertState?: AlertRuleState[]; events?: AlertEvent[] }
    | Promise<{ outcome: WindowOutcome; alertState?: AlertRuleState[]; events?: AlertEvent[] }>;
}

/** What {@link Store.recordMonitorWindow} wrote. */
export interface MonitorWindowRecord {
  written: RunWithRisks[];
  outcome: WindowOutcome;
  /** Alert events stored now (not seen before). */
  events: AlertEvent[];
}

/** One run to record (an audit, a drift comparison, ...). */
export interface RunRecord {
  /** Unique id (e.g. a UUID or `audit-<time>`). */
  id: string;
  /** 'audit', 'drift', ... */
  kind: string;
  /** ISO-8601; default now. */
  time?: string;
  /** Default `defaultActor()`. */
  actor?: string;
  system?: AISystem;
  policyHash?: string;
  /** sha256 of the result's canonical JSON. */
  resultDigest: string;
  /** The result JSON (stored as text). */
  result: unknown;
  /** The findings of the run, stored row by row in `findings`. */
  findings?: FindingsDocument;
}

/** A run as read back (times normalised, result parsed). */
export interface StoredRun {
  id: string;
  kind: string;
  time: string;
  actor: string;
  system: AISystem | null;
  policyHash: string | null;
  resultDigest: string;
  result: unknown;
}

/** What {@link Store.recordRunWithRisks} wrote, or found already written. */
export interface RunWithRisks {
  run: StoredRun;
  /** Risk versions appended by this run (now, or by the earlier attempt when `existing`). */
  versions: RiskEntry[];
  /** True when the run was already stored (nothing was written this time). */
  existing: boolean;
}

/** A finding as read back, with the run it came from. */
export interface StoredFinding {
  runId: string;
  time: string;
  systemId: string | null;
  finding: Finding;
}

/** A time range `[from, to)`; either end may be omitted (ISO-8601 times or YYYY-MM-DD dates). */
export interface TimeRange {
  from?: string;
  to?: string;
}

/** Tuning shared by the back ends. */
export interface StoreOptions {
  /** DuckDB: how long to wait for another process's file lock (default 30,000 ms). */
  lockTimeoutMs?: number;
  /** Read-modify-append attempts before giving up on conflicts (default 20). */
  maxRetries?: number;
  /** PostgreSQL: schema holding the tables (default 'public'; created if missing). */
  schema?: string;
  /** Where the audit log lives, for back ends that keep it in a file (DuckDB). */
  auditLogPath?: string;
}

/** The history store. */
export interface Store {
  readonly kind: 'duckdb' | 'postgres';
  /** Where it is (passwords redacted). */
  readonly target: string;
  /** Record a run and its findings in one transaction. Throws if the run id exists. */
  recordRun(run: RunRecord): Promise<StoredRun>;
  /**
   * Append risk versions in one transaction; each must be the latest stored version of its id + 1
   * (1 for a new id), else `EngineError` 'riskVersionConflict' and nothing is written.
   */
  appendRiskVersions(versions: readonly RiskEntry[]): Promise<void>;
  /**
   * Read-modify-append in one transaction: `fn` gets the latest versions (of `ids`, or all) and
   * returns new versions to append; on a version conflict the whole step is retried with fresh data.
   */
  modifyRisks(fn: (latest: RiskEntry[]) => RiskEntry[] | Promise<RiskEntry[]>, options?: { ids?: readonly string[] }): Promise<RiskEntry[]>;
  /** The latest version of each entry, optionally only those with a status; ordered by id. */
  latestRisks(filter?: { status?: RiskStatus | readonly RiskStatus[] }): Promise<RiskEntry[]>;
  /** Every version of one entry, oldest first ([] when unknown). */
  riskHistory(id: string): Promise<RiskEntry[]>;
  /** Runs in a time range, oldest first. */
  listRuns(range?: TimeRange): Promise<StoredRun[]>;
  /** Findings of the runs in a time range, oldest first. */
  findings(range?: TimeRange): Promise<StoredFinding[]>;
  /**
   * Record a run, its findings and the risk versions `apply` derives from the latest register, in
   * ONE transaction (all or nothing). When the run id is already stored with the same result
   * digest, nothing is written and the stored run comes back with `existing: true` and the risk
   * versions that run appended; with another digest it throws `InputError` 'runIdConflict'.
   * Version conflicts with other writers retry the whole step with fresh data (as `modifyRisks`).
   */
  recordRunWithRisks(run: RunRecord, apply: (latest: RiskEntry[]) => RiskEntry[] | Promise<RiskEntry[]>): Promise<RunWithRisks>;
  /**
   * Monitoring: the window's runs with their findings and risk versions, the window outcome's next
   * version, the alert state and the new alert events, in ONE transaction (all or nothing).
   */
  recordMonitorWindow(input: MonitorWindowWrite): Promise<MonitorWindowRecord>;
  /** Latest version of each window (with `versions`), oldest first; every version with `allVersions` or `windowId`. */
  monitorHistory(jobId?: string, options?: { windowId?: string; allVersions?: boolean }): Promise<WindowOutcome[]>;
  /** Mark a window version's audit-trail lines as written. */
  markMonitorAudited(jobId: string, windowId: string, version: number): Promise<void>;
  /** Window versions whose audit-trail lines are not written yet (a crash after the commit). */
  unauditedMonitorWindows(jobId: string): Promise<WindowOutcome[]>;
  monitorAlertState(jobId: string): Promise<AlertRuleState[]>;
  monitorAlertEvents(jobId?: string, options?: { unsent?: boolean }): Promise<(AlertEvent & { sentAt: string | null })[]>;
  /** A job's cached baseline (JSON text) under `key`, or null. */
  monitorBaseline(jobId: string, key: string): Promise<string | null>;
  /** Cache a job's baseline under `key`, replacing the job's earlier one. */
  saveMonitorBaseline(jobId: string, key: string, json: string, at: string): Promise<void>;
  /** Which sinks (by `sinkKey`) have received which of the job's events; `unsent`: only events some sink still lacks. */
  monitorAlertDeliveries(jobId: string, options?: { unsent?: boolean }): Promise<AlertDeliveryRecord[]>;
  /**
   * In one transaction: record that sinks received events (kept once per event and sink), and
   * mark events sent (every configured sink has them).
   */
  recordAlertDeliveries(input: { delivered: readonly { eventId: string; sink: string }[]; sent: readonly string[]; at: string }): Promise<void>;
  /** Take the job lock unless a holder that `isStale` does not dismiss has it. */
  acquireMonitorLock(lock: MonitorLock, isStale: (held: MonitorLock) => boolean): Promise<{ acquired: true } | { acquired: false; holder: MonitorLock }>;
  releaseMonitorLock(jobId: string, token: string): Promise<void>;
  monitorLocks(): Promise<MonitorLock[]>;
  /** Append one event to the store's audit trail. */
  appendAudit(input: AuditInput): Promise<AuditEvent>;
  /** Every parseable event of the audit trail, in order (verify with `verifyAudit` before trusting them). */
  readAudit(): Promise<AuditEvent[]>;
  /** Verify the store's audit trail. */
  verifyAudit(): Promise<AuditVerification>;
  /** Where the audit trail is (a file path, or `<schema>.audit_log`). */
  readonly auditLocation: string;
  close(): Promise<void>;
}
