/**
 * One lazily opened `pg` client shared by the PostgreSQL engine and the PostgreSQL store:
 * connects on first use (concurrent callers share the attempt), forgets a client that errors
 * while idle (the next call reconnects; an unhandled 'error' event would crash the process), and
 * reports a failed connection as `EngineError` `messages.engineConnectFailed` with the URL
 * redacted.
 *
 * @example
 * ```ts
 * const conn = new LazyPgConnection('postgres://me:pw@db/ml', 'postgres://me:***@db/ml');
 * const client = await conn.client('PostgresEngine.fairnessSummaries');
 * await conn.end();
 * ```
 */
import pg from 'pg';
import { EngineError, messages } from '../errors.js';
import { redactText } from './redact.js';

/**
 * A driver error on one line (message, then detail and hint), redacted, at most 500 characters.
 *
 * @example
 * ```ts
 * pgReason(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' })); // 'relation "x" does not exist'
 * ```
 */
export function pgReason(e: unknown): string {
  const err = e as { message?: string; code?: string; detail?: string; hint?: string; errors?: { message?: string }[] };
  let text = err?.message || err?.errors?.map((x) => x.message).join('; ') || err?.code || String(e);
  if (err?.detail) text += ` (${err.detail})`;
  if (err?.hint) text += ` hint: ${err.hint}`;
  const r = redactText(text.replace(/\s*\n\s*/g, '; ').trim());
  return r.length > 500 ? r.slice(0, 497) + '...' : r;
}

/**
 * A lazily connected `pg` client (see the module doc).
 * @example `const client = await new LazyPgConnection(url, redactUrl(url)).client('fn')`
 */
export class LazyPgConnection {
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;

  /**
   * @param url the connection URL (with its password; never shown)
   * @param target the URL with its password hidden, for messages
   * @example `new LazyPgConnection(url, redactUrl(url), 10_000)`
   */
  constructor(
    readonly url: string,
    readonly target: string,
    readonly connectTimeoutMs = 10_000,
  ) {}

  /**
   * The connected client, connecting first when there is none.
   *
   * @example `const client = await conn.client('PostgresStore.recordRun')`
   */
  async client(fn: string): Promise<pg.Client> {
    if (this.#client) return this.#client;
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: this.connectTimeoutMs });
      client.on('error', () => {
        if (this.#client === client) this.#client = undefined;
        client.end().catch(() => undefined);
      });
      try {
        await client.connect();
      } catch (e) {
        this.#connecting = undefined;
        client.end().catch(() => undefined);
        throw new EngineError(messages.engineConnectFailed(fn, 'postgres', this.target, pgReason(e)), 'engineConnectFailed', {
          target: this.target,
          code: (e as { code?: string }).code,
        });
      }
      this.#client = client;
      this.#connecting = undefined;
      return client;
    })();
    return this.#connecting;
  }

  /**
   * Forget the client after a connection broke mid-query; the next call reconnects.
   *
   * @example `conn.drop()`
   */
  drop(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.end().catch(() => undefined);
  }

  /**
   * Close the client (waiting for a connection attempt in progress).
   *
   * @example `await conn.end()`
   */
  async end(): Promise<void> {
    if (this.#connecting) await this.#connecting.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
