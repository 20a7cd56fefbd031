/**
 * Where the test database servers are, and whether they answer.
 *
 * `.ci/services.sh` starts them and writes their URLs to /tmp/fairwatch-services.env; the
 * environment variables FAIRWATCH_PG_URL, FAIRWATCH_CH_URL and FAIRWATCH_CH_URL2 override the file,
 * and the defaults are the ports that script uses.
 *
 * A test that needs a server calls {@link requireServer}: under CI (`process.env.CI` set) an
 * unreachable server fails the test with the reason; elsewhere the test is skipped, visibly, with
 * the reason in its name and on stderr.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { it, type TestContext } from 'vitest';

export const SERVICES_ENV_FILE = '/tmp/fairwatch-services.env';

function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

const fileEnv = readEnvFile(SERVICES_ENV_FILE);
const pick = (name: string, fallback: string): string => process.env[name] || fileEnv[name] || fallback;

/** PostgreSQL test database. */
export const pgUrl = pick('FAIRWATCH_PG_URL', 'postgres://postgres@127.0.0.1:55432/fairwatch');
/** ClickHouse shard 1 (holds the Distributed table). */
export const chUrl = pick('FAIRWATCH_CH_URL', 'clickhouse://127.0.0.1:58123/default');
/** ClickHouse shard 2. */
export const chUrl2 = pick('FAIRWATCH_CH_URL2', 'clickhouse://127.0.0.1:58124/default');

/** The URL without its password, for messages. */
function safe(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : defaultPort };
}

/** Resolves to null when a TCP connection to host:port opens, else to the reason. */
function tcpReachable(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (e) => done(e.message));
  });
}

/** null when PostgreSQL accepts TCP connections at {@link pgUrl}, else why not. */
export async function pgReachable(timeoutMs = 2000): Promise<string | null> {
  const { host, port } = hostPort(pgUrl, 5432);
  const reason = await tcpReachable(host, port, timeoutMs);
  return reason && `PostgreSQL at ${safe(pgUrl)} is not reachable (${reason})`;
}

/** null when the ClickHouse server at `url` answers `SELECT 1` over HTTP, else why not. */
export async function chReachable(url = chUrl, timeoutMs = 2000): Promise<string | null> {
  const { host, port } = hostPort(url, 8123);
  try {
    const res = await fetch(`http://${host}:${port}/?query=SELECT%201`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.text()).trim();
    return res.ok && body === '1' ? null : `ClickHouse at ${safe(url)} answered HTTP ${res.status}: ${body.slice(0, 200)}`;
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return `ClickHouse at ${safe(url)} is not reachable (${cause ?? (e as Error).message})`;
  }
}

/** Reasons why each server is unreachable (null when it answers). */
export async function reachable(): Promise<{ pg: string | null; ch: string | null; ch2: string | null }> {
  const [pg, ch, ch2] = await Promise.all([pgReachable(), chReachable(chUrl), chReachable(chUrl2)]);
  return { pg, ch, ch2 };
}

const announced = new Set<string>();
const HINT = 'start the servers with `bash .ci/services.sh`';

/**
 * `it` for a test that needs a server. `reason` is null when the server answers. Under CI an
 * unreachable server is a failing test with the reason; otherwise a skipped test whose name says why.
 */
export function itWithServer(reason: string | null, name: string, fn: (ctx: TestContext) => Promise<void>, timeout?: number): void {
  if (reason === null) {
    it(name, fn, timeout);
  } else if (process.env.CI) {
    it(name, () => {
      throw new Error(`${reason}; ${HINT} (CI is set, so this is a failure, not a skip)`);
    });
  } else {
    if (!announced.has(reason)) {
      announced.add(reason);
      process.stderr.write(`[servers] skipping the tests that need it: ${reason}; ${HINT}\n`);
    }
    it.skip(`${name} [skipped: ${reason}]`, fn);
  }
}

/** Reason text for several servers at once: null when all answer. */
export function anyUnreachable(...reasons: (string | null)[]): string | null {
  const r = reasons.filter((x): x is string => x !== null);
  return r.length ? r.join('; ') : null;
}
