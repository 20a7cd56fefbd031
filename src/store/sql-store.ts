/**
 * The SQL shared by the DuckDB and PostgreSQL stores: table definitions, and every operation of
 * {@link Store} written once against a tiny transaction interface ({@link SqlTx}: `$1`-style
 * parameters, rows as objects). Each back end supplies `transaction()` (how it serialises writers)
 * and the audit trail.
 *
 * @example
 * ```ts
 * class MyStore extends SqlStore { ... protected transaction(fn, body) { ... } }
 * ```
 */
import { EngineError, InputError, messages } from '../errors.js';
import { defaultActor, type AuditInput, type AuditVerification } from '../governance/audit-log.js';
import type { AuditEvent, RiskEntry, RiskStatus } from '../governance/types.js';
import type { AlertEvent, AlertRuleState, WindowOutcome } from '../monitor/types.js';
import type { AlertDeliveryRecord, MonitorLock, MonitorWindowRecord, MonitorWindowWrite, RunRecord, RunWithRisks, Store, StoredFinding, StoredRun, TimeRange } from './types.js';

/** One statement inside a transaction: `$1`, `$2`, ... parameters; rows as plain objects. */
export interface SqlTx {
  query(sql: string, params?: readonly (string | number | null)[]): Promise<Record<string, unknown>[]>;
}

/**
 * Thrown inside a transaction body to ask for a retry with fresh data (internal to the stores;
 * callers see `EngineError` 'riskVersionConflict').
 *
 * @example
 * ```ts
 * throw new VersionConflict(JSON.stringify({ id, version, latest }));
 * ```
 */
export class VersionConflict extends Error {}

/**
 * The DDL of the three tables, with the table-name prefix `q` (e.g. `"fw_test".` or '').
 *
 * @example
 * ```ts
 * storeDDL('', 'DOUBLE')[2]; // 'CREATE TABLE IF NOT EXISTS risk_versions (...)'
 * ```
 */
export function storeDDL(q: string, doubleType: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${q}runs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, time TEXT NOT NULL, actor TEXT NOT NULL, system_id TEXT, system_json TEXT, policy_hash TEXT, result_digest TEXT NOT NULL, result_json TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${q}findings (run_id TEXT NOT NULL, finding_id TEXT NOT NULL, time TEXT NOT NULL, system_id TEXT, kind TEXT NOT NULL, metric TEXT NOT NULL, status TEXT NOT NULL, value ${doubleType}, json TEXT NOT NULL, PRIMARY KEY (run_id, finding_id))`,
    `CREATE TABLE IF NOT EXISTS ${q}risk_versions (id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, json TEXT NOT NULL, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, PRIMARY KEY (id, version))`,
    // monitoring (src/monitor/): window outcome versions, alert state, events and their deliveries per sink, job locks
    `CREATE TABLE IF NOT EXISTS ${q}monitor_windows (job_id TEXT NOT NULL, window_id TEXT NOT NULL, version INTEGER NOT NULL, window_start TEXT NOT NULL, window_end TEXT NOT NULL, row_from ${doubleType}, computed_at TEXT NOT NULL, status TEXT NOT NULL, audited INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (job_id, window_id, version))`,
    `CREATE TABLE IF NOT EXISTS ${q}monitor_alert_state (job_id TEXT NOT NULL, rule TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (job_id, rule))`,
    `CREATE TABLE IF NOT EXISTS ${q}monitor_alert_events (id TEXT PRIMARY KEY, job_id TEXT NOT NULL, time TEXT NOT NULL, type TEXT NOT NULL, sent_at TEXT, json TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${q}monitor_alert_deliveries (event_id TEXT NOT NULL, sink TEXT NOT NULL, delivered_at TEXT NOT NULL, PRIMARY KEY (event_id, sink))`,
    `CREATE TABLE IF NOT EXISTS ${q}monitor_baselines (job_id TEXT NOT NULL, key TEXT NOT NULL, created_at TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (job_id, key))`,
    `CREATE TABLE IF NOT EXISTS ${q}monitor_locks (job_id TEXT PRIMARY KEY, token TEXT NOT NULL, holder TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL)`,
  ];
}

/**
 * Base class of the SQL stores: every operation but the transaction and the audit trail.
 *
 * @example
 * ```ts
 * const store: SqlStore = await DuckDBStore.open('.fairwatch');
 * await store.riskHistory('R-1a2b3c4d5e6f');
 * ```
 */
export abstract class SqlStore implements Store {
  abstract readonly kind: 'duckdb' | 'postgres';
  abstract readonly target: string;
  abstract readonly auditLocation: string;
  /** Table-name prefix, e.g. `"schema".` (PostgreSQL) or '' (DuckDB). */
  protected abstract readonly q: string;
  protected readonly maxRetries: number;

  constructor(maxRetries = 20) {
    this.maxRetries = maxRetries;
  }

  /** Run `body` in one transaction (committed if it resolves, rolled back if it throws). */
  protected abstract transaction<T>(fn: string, body: (tx: SqlTx) => Promise<T>, options?: { write: boolean; lockRisks?: boolean }): Promise<T>;
  /** Is `e` the database's unique/primary-key violation? */
  protected abstract isUniqueViolation(e: unknown): boolean;
  abstract appendAudit(input: AuditInput): Promise<AuditEvent>;
  abstract verifyAudit(): Promise<AuditVerification>;
  abstract readAudit(): Promise<AuditEvent[]>;
  abstract close(): Promise<void>;

  async recordRun(run: RunRecord): Promise<StoredRun> {
    const stored = this.#storedRun('Store.recordRun', run);
    await this.transaction('Store.recordRun', (tx) => this.#insertRun(tx, stored, run), { write: true });
    return stored;
  }

  async recordRunWithRisks(run: RunRecord, apply: (latest: RiskEntry[]) => RiskEntry[] | Promise<RiskEntry[]>): Promise<RunWithRisks> {
    const name = 'Store.recordRunWithRisks';
    const stored = this.#storedRun(name, run);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(
          name,
          async (tx): Promise<RunWithRisks> => this.#recordOne(tx, name, stored, run, apply),
          { write: true, lockRisks: true },
        );
      } catch (e) {
        if (!(e instanceof VersionConflict)) throw e;
        if (attempt >= this.maxRetries) throw new EngineError(messages.riskRetriesExhausted(name, attempt), 'riskRetriesExhausted');
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  async recordMonitorWindow(input: MonitorWindowWrite): Promise<MonitorWindowRecord> {
    const name = 'Store.recordMonitorWindow';
    const stored = input.runs.map((r) => this.#storedRun(name, r.run));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(
          name,
          async (tx): Promise<MonitorWindowRecord> => {
            const written: RunWithRisks[] = [];
            for (let i = 0; i < input.runs.length; i++) written.push(await this.#recordOne(tx, name, stored[i]!, input.runs[i]!.run, input.runs[i]!.apply));
            const prevRows = await tx.query(
              `SELECT json FROM ${this.q}monitor_windows WHERE job_id = $1 AND window_id = $2 ORDER BY version DESC LIMIT 1`,
              [input.jobId, input.windowId],
            );
            const previous = prevRows.length ? (JSON.parse(String(prevRows[0]!.json)) as WindowOutcome) : null;
            const history = await this.#history(tx, input.jobId);
            const stateRows = await tx.query(`SELECT json FROM ${this.q}monitor_alert_state WHERE job_id = $1 ORDER BY rule`, [input.jobId]);
            const alertState = stateRows.map((r) => JSON.parse(String(r.json)) as AlertRuleState);
            const done = await input.complete({ written, version: (previous?.version ?? 0) + 1, previous, history, alertState });
            const o = done.outcome;
            await tx.query(
              `INSERT INTO ${this.q}monitor_windows (job_id, window_id, version, window_start, window_end, row_from, computed_at, status, audited, json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)`,
              [o.jobId, o.window.id, o.version, o.window.start, o.window.end, o.window.rows?.from ?? null, o.computedAt, o.status, JSON.stringify(o)],
            );
            if (done.alertState) {
              await tx.query(`DELETE FROM ${this.q}monitor_alert_state WHERE job_id = $1`, [input.jobId]);
              for (const st of done.alertState) await tx.query(`INSERT INTO ${this.q}monitor_alert_state (job_id, rule, json) VALUES ($1, $2, $3)`, [input.jobId, st.rule, JSON.stringify(st)]);
            }
            const fresh: AlertEvent[] = [];
            for (const ev of done.events ?? []) {
              const seen = await tx.query(`SELECT id FROM ${this.q}monitor_alert_events WHERE id = $1`, [ev.id]);
              if (seen.length) continue; // de-duplicated by event id
              await tx.query(`INSERT INTO ${this.q}monitor_alert_events (id, job_id, time, type, sent_at, json) VALUES ($1, $2, $3, $4, NULL, $5)`, [ev.id, ev.jobId, ev.time, ev.type, JSON.stringify(ev)]);
              fresh.push(ev);
            }
            return { written, outcome: o, events: fresh };
          },
          { write: true, lockRisks: true },
        );
      } catch (e) {
        if (!(e instanceof VersionConflict)) throw e;
        if (attempt >= this.maxRetries) throw new EngineError(messages.riskRetriesExhausted(name, attempt), 'riskRetriesExhausted');
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  async monitorHistory(jobId?: string, options: { windowId?: string; allVersions?: boolean } = {}): Promise<WindowOutcome[]> {
    return this.transaction(
      'Store.monitorHistory',
      async (tx) => {
        if (options.allVersions || options.windowId !== undefined) {
          const conds: string[] = [];
          const params: string[] = [];
          if (jobId !== undefined) conds.push(`job_id = $${params.push(jobId)}`);
          if (options.windowId !== undefined) conds.push(`window_id = $${params.push(options.windowId)}`);
          const rows = await tx.query(
            `SELECT json FROM ${this.q}monitor_windows${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY job_id, row_from, window_start, window_id, version`,
            params,
          );
          return rows.map((r) => JSON.parse(String(r.json)) as WindowOutcome);
        }
        return this.#history(tx, jobId);
      },
      { write: false },
    );
  }

  async markMonitorAudited(jobId: string, windowId: string, version: number): Promise<void> {
    await this.transaction(
      'Store.markMonitorAudited',
      (tx) => tx.query(`UPDATE ${this.q}monitor_windows SET audited = 1 WHERE job_id = $1 AND window_id = $2 AND version = $3`, [jobId, windowId, version]),
      { write: true },
    );
  }

  async unauditedMonitorWindows(jobId: string): Promise<WindowOutcome[]> {
    const rows = await this.transaction(
      'Store.unauditedMonitorWindows',
      (tx) => tx.query(`SELECT json FROM ${this.q}monitor_windows WHERE job_id = $1 AND audited = 0 ORDER BY computed_at, window_id, version`, [jobId]),
      { write: false },
    );
    return rows.map((r) => JSON.parse(String(r.json)) as WindowOutcome);
  }

  async monitorAlertState(jobId: string): Promise<AlertRuleState[]> {
    const rows = await this.transaction('Store.monitorAlertState', (tx) => tx.query(`SELECT json FROM ${this.q}monitor_alert_state WHERE job_id = $1 ORDER BY rule`, [jobId]), { write: false });
    return rows.map((r) => JSON.parse(String(r.json)) as AlertRuleState);
  }

  async monitorAlertEvents(jobId?: string, options: { unsent?: boolean } = {}): Promise<(AlertEvent & { sentAt: string | null })[]> {
    const conds: string[] = [];
    const params: string[] = [];
    if (jobId !== undefined) conds.push(`job_id = $${params.push(jobId)}`);
    if (options.unsent) conds.push('sent_at IS NULL');
    const rows = await this.transaction(
      'Store.monitorAlertEvents',
      (tx) => tx.query(`SELECT json, sent_at FROM ${this.q}monitor_alert_events${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY time, id`, params),
      { write: false },
    );
    return rows.map((r) => ({ ...(JSON.parse(String(r.json)) as AlertEvent), sentAt: r.sent_at === null || r.sent_at === undefined ? null : String(r.sent_at) }));
  }

  async monitorBaseline(jobId: string, key: string): Promise<string | null> {
    const rows = await this.transaction('Store.monitorBaseline', (tx) => tx.query(`SELECT json FROM ${this.q}monitor_baselines WHERE job_id = $1 AND key = $2`, [jobId, key]), {
      write: false,
    });
    return rows.length ? String(rows[0]!.json) : null;
  }

  async saveMonitorBaseline(jobId: string, key: string, json: string, at: string): Promise<void> {
    await this.transaction(
      'Store.saveMonitorBaseline',
      async (tx) => {
        // one cached baseline per job: the one its current job file and data give
        await tx.query(`DELETE FROM ${this.q}monitor_baselines WHERE job_id = $1`, [jobId]);
        await tx.query(`INSERT INTO ${this.q}monitor_baselines (job_id, key, created_at, json) VALUES ($1, $2, $3, $4)`, [jobId, key, at, json]);
      },
      { write: true },
    );
  }

  async monitorAlertDeliveries(jobId: string, options: { unsent?: boolean } = {}): Promise<AlertDeliveryRecord[]> {
    const rows = await this.transaction(
      'Store.monitorAlertDeliveries',
      (tx) =>
        tx.query(
          `SELECT d.event_id, d.sink, d.delivered_at FROM ${this.q}monitor_alert_deliveries d JOIN ${this.q}monitor_alert_events e ON e.id = d.event_id WHERE e.job_id = $1${options.unsent ? ' AND e.sent_at IS NULL' : ''} ORDER BY d.delivered_at, d.event_id, d.sink`,
          [jobId],
        ),
      { write: false },
    );
    return rows.map((r) => ({ eventId: String(r.event_id), sink: String(r.sink), deliveredAt: String(r.delivered_at) }));
  }

  async recordAlertDeliveries(input: { delivered: readonly { eventId: string; sink: string }[]; sent: readonly string[]; at: string }): Promise<void> {
    if (input.delivered.length === 0 && input.sent.length === 0) return;
    await this.transaction(
      'Store.recordAlertDeliveries',
      async (tx) => {
        for (const d of input.delivered) {
          const seen = await tx.query(`SELECT 1 AS x FROM ${this.q}monitor_alert_deliveries WHERE event_id = $1 AND sink = $2`, [d.eventId, d.sink]);
          if (seen.length === 0) await tx.query(`INSERT INTO ${this.q}monitor_alert_deliveries (event_id, sink, delivered_at) VALUES ($1, $2, $3)`, [d.eventId, d.sink, input.at]);
        }
        for (const id of input.sent) await tx.query(`UPDATE ${this.q}monitor_alert_events SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL`, [input.at, id]);
      },
      { write: true },
    );
  }

  async acquireMonitorLock(lock: MonitorLock, isStale: (held: MonitorLock) => boolean): Promise<{ acquired: true } | { acquired: false; holder: MonitorLock }> {
    try {
      return await this.transaction(
        'Store.acquireMonitorLock',
        async (tx) => {
          const rows = await tx.query(`SELECT * FROM ${this.q}monitor_locks WHERE job_id = $1`, [lock.jobId]);
          if (rows.length) {
            const held = lockFromRow(rows[0]!);
            if (!isStale(held)) return { acquired: false as const, holder: held };
            await tx.query(`DELETE FROM ${this.q}monitor_locks WHERE job_id = $1 AND token = $2`, [lock.jobId, held.token]);
          }
          await tx.query(`INSERT INTO ${this.q}monitor_locks (job_id, token, holder, host, pid, acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
            lock.jobId,
            lock.token,
            lock.holder,
            lock.host,
            lock.pid,
            lock.acquiredAt,
            lock.expiresAt,
          ]);
          return { acquired: true as const };
        },
        { write: true },
      );
    } catch (e) {
      // another writer inserted the lock row first (PostgreSQL): report it as held
      if (this.isUniqueViolation(e) || this.isUniqueViolation((e as { details?: { reason?: unknown } })?.details?.reason)) {
        const held = (await this.monitorLocks()).find((l) => l.jobId === lock.jobId);
        if (held) return { acquired: false, holder: held };
      }
      throw e;
    }
  }

  async releaseMonitorLock(jobId: string, token: string): Promise<void> {
    await this.transaction('Store.releaseMonitorLock', (tx) => tx.query(`DELETE FROM ${this.q}monitor_locks WHERE job_id = $1 AND token = $2`, [jobId, token]), { write: true });
  }

  async monitorLocks(): Promise<MonitorLock[]> {
    const rows = await this.transaction('Store.monitorLocks', (tx) => tx.query(`SELECT * FROM ${this.q}monitor_locks ORDER BY job_id`), { write: false });
    return rows.map(lockFromRow);
  }

  /** Latest version of each window of a job (or of every job), with the version count; in window order. */
  async #history(tx: SqlTx, jobId: string | undefined): Promise<WindowOutcome[]> {
    const rows = await tx.query(
      `SELECT w.json, m.n FROM ${this.q}monitor_windows w JOIN (SELECT job_id, window_id, max(version) AS v, count(*) AS n FROM ${this.q}monitor_windows GROUP BY job_id, window_id) m ` +
        `ON w.job_id = m.job_id AND w.window_id = m.window_id AND w.version = m.v${jobId !== undefined ? ' WHERE w.job_id = $1' : ''} ORDER BY w.job_id, w.row_from, w.window_start, w.window_id`,
      jobId !== undefined ? [jobId] : [],
    );
    return rows.map((r) => ({ ...(JSON.parse(String(r.json)) as WindowOutcome), versions: Number(r.n) }));
  }

  /** Insert one run (or find it stored) and append the risk versions `apply` derives, inside `tx`. */
  async #recordOne(tx: SqlTx, name: string, stored: StoredRun, run: RunRecord, apply: (latest: RiskEntry[]) => RiskEntry[] | Promise<RiskEntry[]>): Promise<RunWithRisks> {
    const found = await tx.query(`SELECT * FROM ${this.q}runs WHERE id = $1`, [stored.id]);
    if (found.length > 0) {
      const existing = runFromRow(found[0]!);
      if (existing.resultDigest !== stored.resultDigest) {
        throw new InputError(messages.runIdConflict(name, stored.id, existing.resultDigest, stored.resultDigest), 'runIdConflict', { runId: stored.id });
      }
      const rows = await tx.query(`SELECT json FROM ${this.q}risk_versions ORDER BY id, version`);
      const versions = rows
        .map((r) => JSON.parse(String(r.json)) as RiskEntry)
        .filter((v) => {
          const last = v.findings.at(-1);
          return last !== undefined && last.runId === stored.id && last.at === v.changedAt;
        });
      return { run: existing, versions, existing: true };
    }
    try {
      await this.#insertRun(tx, stored, run);
    } catch (e) {
      if (this.isUniqueViolation(e)) throw new VersionConflict(JSON.stringify({ id: stored.id, version: 0, latest: 0 }));
      throw e;
    }
    const next = await apply(await this.#latest(tx, undefined));
    await this.#append(tx, next, name);
    return { run: stored, versions: next, existing: false };
  }

  #storedRun(fn: string, run: RunRecord): StoredRun {
    if (typeof run.id !== 'string' || run.id === '') throw new InputError(messages.badArgument(fn, 'run.id', run.id, 'a non-empty string'), 'badArgument');
    if (typeof run.kind !== 'string' || run.kind === '') throw new InputError(messages.badArgument(fn, 'run.kind', run.kind, 'a non-empty string'), 'badArgument');
    const time = normTime(fn, 'run.time', run.time) ?? new Date().toISOString();
    return {
      id: run.id,
      kind: run.kind,
      time,
      actor: run.actor ?? defaultActor(),
      system: run.system ?? run.findings?.system ?? null,
      policyHash: run.policyHash ?? run.findings?.policyHash ?? null,
      resultDigest: run.resultDigest,
      result: run.result,
    };
  }

  async #insertRun(tx: SqlTx, stored: StoredRun, run: RunRecord): Promise<void> {
    const resultJson = JSON.stringify(run.result ?? null);
    await tx.query(
      `INSERT INTO ${this.q}runs (id, kind, time, actor, system_id, system_json, policy_hash, result_digest, result_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [stored.id, stored.kind, stored.time, stored.actor, stored.system?.id ?? null, stored.system ? JSON.stringify(stored.system) : null, stored.policyHash, stored.resultDigest, resultJson],
    );
    for (const f of run.findings?.findings ?? []) {
      await tx.query(
        `INSERT INTO ${this.q}findings (run_id, finding_id, time, system_id, kind, metric, status, value, json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [stored.id, f.id, stored.time, stored.system?.id ?? null, f.kind, f.metric, f.status, f.value !== null && Number.isFinite(f.value) ? f.value : null, JSON.stringify(f)],
      );
    }
  }

  async appendRiskVersions(versions: readonly RiskEntry[]): Promise<void> {
    const fn = 'Store.appendRiskVersions';
    if (versions.length === 0) return;
    try {
      await this.transaction(fn, (tx) => this.#append(tx, versions, fn), { write: true, lockRisks: true });
    } catch (e) {
      if (e instanceof VersionConflict) throw conflictError(fn, e);
      throw e;
    }
  }

  async modifyRisks(fn: (latest: RiskEntry[]) => RiskEntry[] | Promise<RiskEntry[]>, options: { ids?: readonly string[] } = {}): Promise<RiskEntry[]> {
    const name = 'Store.modifyRisks';
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(
          name,
          async (tx) => {
            const latest = await this.#latest(tx, options.ids);
            const next = await fn(latest);
            await this.#append(tx, next, name);
            return next;
          },
          { write: true, lockRisks: true },
        );
      } catch (e) {
        if (!(e instanceof VersionConflict)) throw e;
        if (attempt >= this.maxRetries) throw new EngineError(messages.riskRetriesExhausted(name, attempt), 'riskRetriesExhausted');
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  async latestRisks(filter: { status?: RiskStatus | readonly RiskStatus[] } = {}): Promise<RiskEntry[]> {
    const statuses = filter.status === undefined ? undefined : typeof filter.status === 'string' ? [filter.status] : [...filter.status];
    const all = await this.transaction('Store.latestRisks', (tx) => this.#latest(tx, undefined), { write: false });
    return statuses ? all.filter((e) => statuses.includes(e.status)) : all;
  }

  async riskHistory(id: string): Promise<RiskEntry[]> {
    const rows = await this.transaction('Store.riskHistory', (tx) => tx.query(`SELECT json FROM ${this.q}risk_versions WHERE id = $1 ORDER BY version`, [id]), { write: false });
    return rows.map((r) => JSON.parse(String(r.json)) as RiskEntry);
  }

  async listRuns(range: TimeRange = {}): Promise<StoredRun[]> {
    const fn = 'Store.listRuns';
    const { where, params } = rangeWhere(fn, range);
    const rows = await this.transaction(fn, (tx) => tx.query(`SELECT * FROM ${this.q}runs${where} ORDER BY time, id`, params), { write: false });
    return rows.map(runFromRow);
  }

  async findings(range: TimeRange = {}): Promise<StoredFinding[]> {
    const fn = 'Store.findings';
    const { where, params } = rangeWhere(fn, range);
    const rows = await this.transaction(fn, (tx) => tx.query(`SELECT run_id, time, system_id, json FROM ${this.q}findings${where} ORDER BY time, run_id, finding_id`, params), { write: false });
    return rows.map((r) => ({
      runId: String(r.run_id),
      time: String(r.time),
      systemId: r.system_id === null || r.system_id === undefined ? null : String(r.system_id),
      finding: JSON.parse(String(r.json)),
    }));
  }

  async #latest(tx: SqlTx, ids: readonly string[] | undefined): Promise<RiskEntry[]> {
    const rows = await tx.query(
      `SELECT r.json FROM ${this.q}risk_versions r JOIN (SELECT id, max(version) AS v FROM ${this.q}risk_versions GROUP BY id) m ON r.id = m.id AND r.version = m.v ORDER BY r.id`,
    );
    const all = rows.map((r) => JSON.parse(String(r.json)) as RiskEntry);
    return ids ? all.filter((e) => ids.includes(e.id)) : all;
  }

  async #append(tx: SqlTx, versions: readonly RiskEntry[], fn: string): Promise<void> {
    const known = new Map<string, number>();
    for (const v of versions) {
      if (typeof v?.id !== 'string' || !/^R-[0-9a-f]{12}$/.test(v.id)) throw new InputError(messages.badRiskField(fn, 'id', v?.id, 'R- followed by 12 hex digits'), 'badRiskField');
      if (!Number.isInteger(v.version) || v.version < 1) throw new InputError(messages.badRiskField(fn, 'version', v.version, 'an integer >= 1'), 'badRiskField');
      let latest = known.get(v.id);
      if (latest === undefined) {
        const rows = await tx.query(`SELECT max(version) AS v FROM ${this.q}risk_versions WHERE id = $1`, [v.id]);
        const m = rows[0]?.v;
        latest = m === null || m === undefined ? 0 : Number(m);
      }
      if (v.version !== latest + 1) throw new VersionConflict(JSON.stringify({ id: v.id, version: v.version, latest }));
      try {
        await tx.query(`INSERT INTO ${this.q}risk_versions (id, version, status, json, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
          v.id,
          v.version,
          v.status,
          JSON.stringify(v),
          v.changedAt,
          v.changedBy,
        ]);
      } catch (e) {
        // another writer inserted this version first: the primary key refused ours
        if (this.isUniqueViolation(e)) throw new VersionConflict(JSON.stringify({ id: v.id, version: v.version, latest: v.version }));
        throw e;
      }
      known.set(v.id, v.version);
    }
  }
}

/**
 * Audit events from log lines: each line that parses as a JSON object with a numeric `seq` and an
 * `action`; anything else is skipped (verification reports it).
 *
 * @example
 * ```ts
 * parseAuditLines(['{"seq":1,"action":"a","time":"t","actor":"x","inputs":{},"outputs":{},"prev":"00"}', 'garbage']).length; // 1
 * ```
 */
export function parseAuditLines(lines: readonly string[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const line of lines) {
    try {
      const v = JSON.parse(line) as AuditEvent;
      if (v !== null && typeof v === 'object' && typeof v.seq === 'number' && typeof v.action === 'string') out.push(v);
    } catch {
      // not JSON: verification reports it
    }
  }
  return out;
}

function runFromRow(r: Record<string, unknown>): StoredRun {
  return {
    id: String(r.id),
    kind: String(r.kind),
    time: String(r.time),
    actor: String(r.actor),
    system: r.system_json === null || r.system_json === undefined ? null : JSON.parse(String(r.system_json)),
    policyHash: r.policy_hash === null || r.policy_hash === undefined ? null : String(r.policy_hash),
    resultDigest: String(r.result_digest),
    result: JSON.parse(String(r.result_json)),
  };
}

function lockFromRow(r: Record<string, unknown>): MonitorLock {
  return {
    jobId: String(r.job_id),
    token: String(r.token),
    holder: String(r.holder),
    host: String(r.host),
    pid: Number(r.pid),
    acquiredAt: String(r.acquired_at),
    expiresAt: String(r.expires_at),
  };
}

function conflictError(fn: string, e: VersionConflict): EngineError {
  const { id, version, latest } = JSON.parse(e.message) as { id: string; version: number; latest: number };
  return new EngineError(messages.riskVersionConflict(fn, id, version, latest), 'riskVersionConflict', { id, version, latest });
}

/**
 * A time as a normalised ISO-8601 UTC string (`toISOString()`), so stored times compare as text.
 *
 * @example
 * ```ts
 * normTime('f', 'from', '2026-01-02');          // '2026-01-02T00:00:00.000Z'
 * normTime('f', 'from', undefined);             // undefined
 * ```
 */
export function normTime(fn: string, field: string, t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const d = new Date(t);
  if (typeof t !== 'string' || Number.isNaN(d.getTime())) throw new InputError(messages.badArgument(fn, field, t, 'an ISO-8601 time or a YYYY-MM-DD date'), 'badArgument');
  return d.toISOString();
}

function rangeWhere(fn: string, range: TimeRange): { where: string; params: string[] } {
  const from = normTime(fn, 'from', range.from);
  const to = normTime(fn, 'to', range.to);
  const conds: string[] = [];
  const params: string[] = [];
  if (from !== undefined) {
    params.push(from);
    conds.push(`time >= $${params.length}`);
  }
  if (to !== undefined) {
    params.push(to);
    conds.push(`time < $${params.length}`);
  }
  return { where: conds.length ? ` WHERE ${conds.join(' AND ')}` : '', params };
}
