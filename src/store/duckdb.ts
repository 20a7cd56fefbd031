/**
 * The store on an embedded DuckDB file (default `.fairwatch/store.duckdb`), with the audit trail
 * in a JSON-lines file beside it (`.fairwatch/audit.log.jsonl`).
 *
 * Concurrency: DuckDB lets one process at a time open a database file for writing (it takes an
 * OS lock on the file). So every operation opens the file, runs one transaction, and closes it
 * again; a process that finds the file locked ("Could not set lock on file") waits 10–60 ms and
 * retries, up to `lockTimeoutMs` (30 s), then throws `EngineError` `messages.storeLocked`. Within
 * one process, operations on the same file are queued. Because the whole read-modify-append of
 * {@link DuckDBStore.modifyRisks} runs while this process holds the file, two processes updating the
 * same risk entry are serialised; the `(id, version)` primary key is the backstop. A crash mid-
 * transaction is rolled back by DuckDB's write-ahead log on the next open.
 *
 * @example
 * ```ts
 * const store = await DuckDBStore.open('.fairwatch');
 * await store.latestRisks();
 * await store.close();
 * ```
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { EngineError, FairwatchError, messages } from '../errors.js';
import { appendAuditEvent, verifyAuditLog, type AuditInput, type AuditVerification } from '../governance/audit-log.js';
import type { AuditEvent } from '../governance/types.js';
import { parseAuditLines, SqlStore, storeDDL, VersionConflict, type SqlTx } from './sql-store.js';
import type { StoreOptions } from './types.js';

/** Per-file queue of operations within this process. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Files whose tables this process has created (or found): their DDL is not re-run on every
 * operation (about 20 ms each). A table missing later (the file replaced behind our back) makes
 * the operation run the DDL and try once more.
 */
const schemaReady = new Set<string>();

/** The body failed on a missing table while the DDL had been skipped. */
class SchemaMissing extends Error {}

/**
 * A {@link Store} on a DuckDB file; see the module comment for concurrency.
 *
 * @example
 * ```ts
 * const store = await DuckDBStore.open('/tmp/fw');
 * await store.appendRiskVersions(versions);
 * ```
 */
export class DuckDBStore extends SqlStore {
  readonly kind = 'duckdb' as const;
  readonly target: string;
  readonly auditLocation: string;
  /** The database file. */
  readonly path: string;
  protected readonly q = '';
  readonly #lockTimeoutMs: number;
  #closed = false;

  /**
   * A store on `dbPath` with its audit log at `auditLogPath` (default `audit.log.jsonl` beside the
   * database file). Nothing is opened until the first operation; use {@link DuckDBStore.open} to
   * create the tables now.
   *
   * @example
   * ```ts
   * const store = new DuckDBStore('/data/fw/store.duckdb');
   * store.auditLocation; // '/data/fw/audit.log.jsonl'
   * ```
   */
  constructor(dbPath: string, options: StoreOptions = {}) {
    super(options.maxRetries);
    this.path = dbPath;
    this.target = dbPath;
    this.auditLocation = options.auditLogPath ?? join(dirname(dbPath), 'audit.log.jsonl');
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  }

  /**
   * Open (create if missing) the store folder `dir` holding `store.duckdb` and `audit.log.jsonl`,
   * or a database file when `dir` ends in `.duckdb` / `.db`; creates the tables.
   *
   * @example
   * ```ts
   * const store = await DuckDBStore.open('.fairwatch');
   * store.path; // '.fairwatch/store.duckdb'
   * ```
   */
  static async open(dir: string, options: StoreOptions = {}): Promise<DuckDBStore> {
    const dbPath = /\.(duckdb|db)$/i.test(dir) ? dir : join(dir, 'store.duckdb');
    const store = new DuckDBStore(dbPath, options);
    await store.transaction('DuckDBStore.open', async () => undefined, { write: true });
    return store;
  }

  protected async transaction<T>(fn: string, body: (tx: SqlTx) => Promise<T>, options: { write: boolean } = { write: true }): Promise<T> {
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'duckdb store'), 'engineClosed');
    const previous = queues.get(this.path) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#once(fn, body, options.write));
    const tail = run.catch(() => undefined);
    queues.set(this.path, tail);
    try {
      return await run;
    } finally {
      if (queues.get(this.path) === tail) queues.delete(this.path);
    }
  }

  async #once<T>(fn: string, body: (tx: SqlTx) => Promise<T>, write: boolean): Promise<T> {
    try {
      return await this.#attempt(fn, body, write);
    } catch (e) {
      if (!(e instanceof SchemaMissing)) throw e;
      schemaReady.delete(this.path);
      return this.#attempt(fn, body, write);
    }
  }

  async #attempt<T>(fn: string, body: (tx: SqlTx) => Promise<T>, write: boolean): Promise<T> {
    const { instance, connection } = await this.#openLocked(fn);
    const skippedDDL = schemaReady.has(this.path);
    try {
      const tx: SqlTx = {
        query: async (sql, params) => (await connection.runAndReadAll(sql, params ? [...params] : undefined)).getRowObjectsJS() as Record<string, unknown>[],
      };
      if (!skippedDDL) {
        for (const ddl of storeDDL('', 'DOUBLE')) await connection.run(ddl);
        schemaReady.add(this.path);
      }
      void write; // reads also take the file: DuckDB has one read-write process per file
      await connection.run('BEGIN TRANSACTION');
      try {
        const out = await body(tx);
        await connection.run('COMMIT');
        return out;
      } catch (e) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } catch (e) {
      if (skippedDDL && /Catalog Error: Table with name \S+ does not exist/.test(reason(e))) throw new SchemaMissing(reason(e));
      if (e instanceof FairwatchError || e instanceof VersionConflict) throw e;
      throw new EngineError(messages.storeFailed(fn, this.target, reason(e)), 'storeFailed', { reason: reason(e) });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  async #openLocked(fn: string): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    await mkdir(dirname(this.path), { recursive: true });
    const started = Date.now();
    for (;;) {
      let instance: DuckDBInstance | undefined;
      try {
        instance = await DuckDBInstance.create(this.path);
        const connection = await instance.connect();
        return { instance, connection };
      } catch (e) {
        instance?.closeSync();
        const why = reason(e);
        if (!/Could not set lock|Conflicting lock|database is locked/i.test(why)) {
          throw new EngineError(messages.engineConnectFailed(fn, 'duckdb', this.target, why), 'engineConnectFailed');
        }
        const waited = Date.now() - started;
        if (waited > this.#lockTimeoutMs) throw new EngineError(messages.storeLocked(fn, this.path, waited, why), 'storeLocked', { path: this.path });
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 50));
      }
    }
  }

  protected isUniqueViolation(e: unknown): boolean {
    return /Constraint Error: Duplicate key|violates primary key|violates unique/i.test(reason(e));
  }

  /**
   * Append an event to the audit log file (see `appendAuditEvent`).
   *
   * @example
   * ```ts
   * (await store.appendAudit({ action: 'risk.update' })).seq; // 1 on a new store
   * ```
   */
  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    return appendAuditEvent(this.auditLocation, input);
  }

  /**
   * Verify the audit log file (see `verifyAuditLog`).
   *
   * @example
   * ```ts
   * (await store.verifyAudit()).ok; // true
   * ```
   */
  async verifyAudit(): Promise<AuditVerification> {
    return verifyAuditLog(this.auditLocation);
  }

  /**
   * The events of the audit log file, in order: every complete line that parses as JSON (a
   * partial last line is left out; `verifyAudit` reports problems).
   *
   * @example
   * ```ts
   * (await store.readAudit()).map((e) => e.action); // ['audit.run', 'risk.update']
   * ```
   */
  async readAudit(): Promise<AuditEvent[]> {
    let text: string;
    try {
      text = await readFile(this.auditLocation, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return parseAuditLines(text.split('\n').slice(0, -1));
  }

  /**
   * Mark the store closed (the file is only open during operations); waits for queued operations.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
    await (queues.get(this.path) ?? Promise.resolve());
  }
}

function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const one = m.replace(/\s*\n\s*/g, '; ').trim();
  return one.length > 500 ? one.slice(0, 497) + '...' : one;
}
