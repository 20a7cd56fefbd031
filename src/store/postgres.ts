/**
 * The store on PostgreSQL, for a team: the tables of `storeDDL` plus `audit_log (seq PK, line)`
 * in one schema (default `public`; created if missing, under an advisory lock so that two first
 * users do not race on `CREATE TABLE`).
 *
 * Concurrency: every operation is one transaction. Risk-register writes take
 * `pg_advisory_xact_lock(hashtext('fairwatch.risk:<schema>'))`, so read-modify-append is
 * serialised across processes and machines; the `(id, version)` primary key is the backstop (a
 * duplicate version is a conflict, retried with fresh data by `modifyRisks`). Audit appends take
 * `fairwatch.audit:<schema>` the same way, so two writers never chain to the same previous line.
 * The audit lines are the same text as in the file log and verify with the same rules; a table
 * has no head anchor, so an edit of the very last row shows only once another row follows it.
 *
 * The connection URL may carry `?schema=name` (removed before connecting).
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open('postgres://fw@db:5432/governance?schema=fairwatch');
 * await store.latestRisks({ status: 'open' });
 * await store.close();
 * ```
 */
import pg from 'pg';
import { EngineError, FairwatchError, InputError, messages } from '../errors.js';
import { nextAuditLine, verifyAuditLines, type AuditInput, type AuditVerification } from '../governance/audit-log.js';
import type { AuditEvent } from '../governance/types.js';
import { redactUrl } from '../engines/redact.js';
import { LazyPgConnection, pgReason } from '../engines/pg-connection.js';
import { parseAuditLines, SqlStore, storeDDL, VersionConflict, type SqlTx } from './sql-store.js';
import type { StoreOptions } from './types.js';

/**
 * A {@link Store} on PostgreSQL; see the module comment.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open('postgres://fw@db/gov', { schema: 'fairwatch' });
 * await store.verifyAudit();
 * ```
 */
export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  readonly target: string;
  readonly auditLocation: string;
  /** The schema holding the tables. */
  readonly schema: string;
  protected readonly q: string;
  readonly #connection: LazyPgConnection;
  #queue: Promise<unknown> = Promise.resolve();
  #ready = false;
  #closed = false;

  /**
   * A store on a PostgreSQL URL (`?schema=` or `options.schema` selects the schema); connects on
   * first use. Use {@link PostgresStore.open} to connect and create the tables now.
   *
   * @example
   * ```ts
   * new PostgresStore('postgres://u:pw@h/db?schema=fw').target; // 'postgres://u:***@h/db'
   * ```
   */
  constructor(url: string, options: StoreOptions = {}) {
    super(options.maxRetries);
    const fn = 'PostgresStore';
    let schema = options.schema;
    let clean = url;
    try {
      const u = new URL(url);
      const s = u.searchParams.get('schema');
      if (s !== null) {
        schema ??= s;
        u.searchParams.delete('schema');
        clean = u.toString();
      }
    } catch {
      throw new InputError(messages.badEngineUrl(fn, redactUrl(url), 'postgres://user@host:port/database[?schema=name]'), 'badEngineUrl');
    }
    schema ??= 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new InputError(messages.badArgument(fn, 'schema', schema, 'a plain SQL identifier (letters, digits, _)'), 'badArgument');
    this.schema = schema;
    this.q = `"${schema}".`;
    this.target = redactUrl(clean);
    this.#connection = new LazyPgConnection(clean, this.target);
    this.auditLocation = `${this.target} ${schema}.audit_log`;
  }

  /**
   * Connect and create the schema and tables if missing.
   *
   * @example
   * ```ts
   * const store = await PostgresStore.open('postgres://postgres@127.0.0.1:55432/fairwatch', { schema: 'fw_test' });
   * ```
   */
  static async open(url: string, options: StoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    await store.transaction('PostgresStore.open', async () => undefined, { write: true });
    return store;
  }

  async #connect(fn: string): Promise<pg.Client> {
    return this.#connection.client(fn);
  }

  protected async transaction<T>(fn: string, body: (tx: SqlTx) => Promise<T>, options: { write: boolean; lockRisks?: boolean; lockAudit?: boolean } = { write: true }): Promise<T> {
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'postgres store'), 'engineClosed');
    const run = this.#queue.catch(() => undefined).then(() => this.#once(fn, body, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #once<T>(fn: string, body: (tx: SqlTx) => Promise<T>, options: { write: boolean; lockRisks?: boolean; lockAudit?: boolean }): Promise<T> {
    const client = await this.#connect(fn);
    const tx: SqlTx = { query: async (sql, params) => (await client.query(sql, params ? [...params] : undefined)).rows as Record<string, unknown>[] };
    try {
      if (!this.#ready) await this.#setup(client);
      await client.query('BEGIN');
      try {
        if (options.lockRisks) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fairwatch.risk:${this.schema}`]);
        if (options.lockAudit) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fairwatch.audit:${this.schema}`]);
        const out = await body(tx);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } catch (e) {
      if (e instanceof FairwatchError || e instanceof VersionConflict) throw e;
      throw new EngineError(messages.storeFailed(fn, this.target, pgReason(e)), 'storeFailed', { reason: pgReason(e), code: (e as { code?: string }).code });
    }
  }

  async #setup(client: pg.Client): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fairwatch.init:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      for (const ddl of storeDDL(this.q, 'DOUBLE PRECISION')) await client.query(ddl);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.q}audit_log (seq BIGINT PRIMARY KEY, line TEXT NOT NULL)`);
      await client.query('COMMIT');
      this.#ready = true;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  protected isUniqueViolation(e: unknown): boolean {
    return (e as { code?: string })?.code === '23505';
  }

  /**
   * Append an audit event to `<schema>.audit_log` under the audit advisory lock.
   *
   * @example
   * ```ts
   * (await store.appendAudit({ action: 'risk.update' })).prev; // sha256 of the previous row's line
   * ```
   */
  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    return this.transaction(
      'PostgresStore.appendAudit',
      async (tx) => {
        const rows = await tx.query(`SELECT line FROM ${this.q}audit_log ORDER BY seq DESC LIMIT 1`);
        const next = nextAuditLine(rows.length ? String(rows[0]!.line) : null, input);
        await tx.query(`INSERT INTO ${this.q}audit_log (seq, line) VALUES ($1, $2)`, [next.event.seq, next.text]);
        return next.event;
      },
      { write: true, lockAudit: true },
    );
  }

  /**
   * Verify `<schema>.audit_log` (rows in seq order) with the file log's rules.
   *
   * @example
   * ```ts
   * (await store.verifyAudit()).ok; // true
   * ```
   */
  async verifyAudit(): Promise<AuditVerification> {
    const rows = await this.transaction('PostgresStore.verifyAudit', (tx) => tx.query(`SELECT line FROM ${this.q}audit_log ORDER BY seq`), { write: false });
    return verifyAuditLines(rows.map((r) => String(r.line)));
  }

  /**
   * The events of `<schema>.audit_log` in seq order (rows that do not parse are left out;
   * `verifyAudit` reports them).
   *
   * @example
   * ```ts
   * (await store.readAudit()).at(-1)?.action; // 'audit.run'
   * ```
   */
  async readAudit(): Promise<AuditEvent[]> {
    const rows = await this.transaction('PostgresStore.readAudit', (tx) => tx.query(`SELECT line FROM ${this.q}audit_log ORDER BY seq`), { write: false });
    return parseAuditLines(rows.map((r) => String(r.line)));
  }

  /**
   * Close the connection (after queued operations); later calls throw 'engineClosed'.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    this.#closed = true;
    await this.#connection.end();
  }
}
