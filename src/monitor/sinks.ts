/**
 * Alert sinks (issue 7): where {@link AlertEvent}s go once `evaluateAlerts` produced them.
 *
 * - `stdout`: one JSON line per event, through an injected writer (default `process.stdout`).
 * - `file`: JSON lines appended to a file (folders created), fsync'd before the call returns.
 *   Events whose id is already in the file are skipped, so a re-run of a window does not write
 *   the same alert twice; a partial last line left by a crash is ended before appending.
 * - `webhook`: one `POST` per event with the event as JSON (`content-type: application/json`,
 *   `x-fairwatch-event-id: <id>` for the receiver to de-duplicate), a timeout per attempt
 *   (`timeoutMs`, default 10 s, through `AbortSignal`), and retries (`retries`, default 3) with
 *   exponential backoff (`backoffMs` · 2^attempt, default 500 ms) on network errors, timeouts,
 *   HTTP 5xx and 429 — never on another 4xx, which a retry cannot fix. Once an event has used up
 *   its retries on such an error the endpoint is taken as down: the events after it are not tried
 *   in this call (failures with 0 attempts), so a backfill does not wait out every event's
 *   retries, and the receiver still gets them in order on the next run. A 4xx concerns that one
 *   event, and the next events are still sent.
 *
 * `alreadyDelivered(eventId, sinkIndex)` lets the caller skip what a sink already has (the
 * monitor keeps one delivery record per event and sink, keyed by {@link sinkKey}); those are
 * `skipped: 'delivered'`.
 *
 * `sendAlerts` never throws because a sink fails: it returns one delivery per event and sink,
 * and the failures, for the caller to log and to choose the exit code. Messages name a webhook
 * by {@link describeSink}, which hides credentials, query values and token-like path segments;
 * headers (e.g. `authorization`) are never printed.
 *
 * @example
 * ```ts
 * const { failures } = await sendAlerts(events, [{ type: 'stdout' }, { type: 'webhook', url: 'https://hooks.example.org/fw' }]);
 * for (const f of failures) console.error(f.error);
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactText, redactUrl } from '../engines/redact.js';
import { messages } from '../errors.js';
import { fsyncDir } from '../io/atomic.js';
import type { AlertEvent, AlertSinkConfig } from './types.js';

/** Options of {@link sendAlerts}; the injections are for tests and embedding. */
export interface SendAlertsOptions {
  /** `fetch` to use for webhooks (default `globalThis.fetch`). */
  fetchImpl?: typeof fetch;
  /** Wait between webhook retries (default `setTimeout`). */
  sleep?: (ms: number) => Promise<void>;
  /** Writer of the `stdout` sink (default `process.stdout.write`). */
  stdout?: (text: string) => void;
  /** First backoff of webhook retries in ms when the sink sets none (default 500; then ×2 per attempt). */
  backoffMs?: number;
  /** Whether a sink (by index) already has an event: such deliveries are skipped, not sent again. */
  alreadyDelivered?: (eventId: string, sinkIndex: number) => boolean;
}

/** The outcome of one event at one sink. */
export interface AlertDelivery {
  eventId: string;
  /** The sink as named in messages: 'stdout', 'file <path>', 'webhook <redacted url>'. */
  sink: string;
  /** Index of the sink in the list given. */
  sinkIndex: number;
  ok: boolean;
  /** Attempts made (webhooks may retry; 0 when the sink was not tried). */
  attempts: number;
  /**
   * `duplicate`: the event id is already in the sink's file, or came twice in one call;
   * `delivered`: `alreadyDelivered` said the sink has it.
   */
  skipped?: 'duplicate' | 'delivered';
  /** Last HTTP status of a webhook. */
  status?: number;
  /** Why it failed (from the message catalogue; no credentials). */
  error?: string;
}

/** What {@link sendAlerts} returns. */
export interface SendAlertsResult {
  /** One per event and sink, sinks in the order given, events in order within a sink. */
  deliveries: AlertDelivery[];
  failures: AlertDelivery[];
  ok: boolean;
}

/**
 * Webhook defaults: timeout per attempt, retries after the first attempt, first backoff.
 *
 * @example
 * ```ts
 * WEBHOOK_DEFAULTS; // { timeoutMs: 10000, retries: 3, backoffMs: 500 }
 * ```
 */
export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, retries: 3, backoffMs: 500 } as const;

/**
 * A URL fit for messages and logs: `redactUrl`'s password masking, plus any other user info
 * (a token before `@`), every query value, and token-like path segments (16+ characters mixing
 * letters and digits, or 24+ characters) replaced by `***`.
 *
 * @example
 * ```ts
 * safeUrl('https://user:pw@hooks.example.org/a/b?token=abc&x=1');            // 'https://user:***@hooks.example.org/a/b?token=***&x=***'
 * safeUrl('https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX').includes('XXXX'); // false (the segment is masked)
 * safeUrl('http://tok3n@127.0.0.1:8080/alerts').includes('tok3n');                            // false (user info masked)
 * ```
 */
export function safeUrl(url: string): string {
  let s = redactUrl(String(url));
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(s);
  if (!m) return s;
  let authority = m[2]!;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const info = authority.slice(0, at);
    authority = (info.includes(':') ? info.slice(0, info.indexOf(':')) + ':***' : '***') + authority.slice(at);
  }
  const path = m[3]!
    .split('/')
    .map((seg) => (seg.length >= 24 || (seg.length >= 16 && /[a-z]/i.test(seg) && /\d/.test(seg)) ? '***' : seg))
    .join('/');
  const query = m[4] ? '?' + m[4].slice(1).split('&').map((kv) => (kv.includes('=') ? kv.slice(0, kv.indexOf('=')) + '=***' : kv === '' ? kv : '***')).join('&') : '';
  s = m[1]! + authority + path + query + (m[5] ? '#***' : '');
  return s;
}

/**
 * How a sink is named in messages and deliveries (webhook URLs through {@link safeUrl}).
 *
 * @example
 * ```ts
 * describeSink({ type: 'file', path: 'alerts.jsonl' });                  // 'file "alerts.jsonl"'
 * describeSink({ type: 'webhook', url: 'https://h.example/x?key=s3cret' }); // 'webhook https://h.example/x?key=***'
 * ```
 */
export function describeSink(sink: AlertSinkConfig): string {
  switch (sink?.type) {
    case 'stdout':
      return 'stdout';
    case 'file':
      return `file ${JSON.stringify(String(sink.path))}`;
    case 'webhook':
      return `webhook ${safeUrl(String(sink.url))}`;
    default:
      return `sink of type ${JSON.stringify((sink as { type?: unknown } | null)?.type ?? null)}`;
  }
}

/**
 * Send alert events to every sink; resolves with one delivery per event and sink and never
 * rejects because a sink failed (see the module comment).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const r = await sendAlerts(events, [{ type: 'stdout' }, { type: 'file', path: '.fairwatch/alerts.jsonl' }], { stdout: (t) => lines.push(t) });
 * [r.ok, r.deliveries.length, lines.length]; // [true, 2 * events.length, events.length]
 * ```
 */
export async function sendAlerts(events: readonly AlertEvent[], sinks: readonly AlertSinkConfig[], options: SendAlertsOptions = {}): Promise<SendAlertsResult> {
  const perSink = await Promise.all(sinks.map((sink, i) => sendToSink(events, sink, i, options)));
  const deliveries = perSink.flat();
  const failures = deliveries.filter((d) => !d.ok);
  return { deliveries, failures, ok: failures.length === 0 };
}

/**
 * The identity of a sink in delivery records: `stdout`, `file:<path>`, or `webhook:<hash>` — a
 * SHA-256 prefix of the URL, so a token in the URL is never stored. Two sinks with the same key
 * are one destination.
 *
 * @example
 * ```ts
 * sinkKey({ type: 'file', path: '/srv/fw/alerts.jsonl' });       // 'file:/srv/fw/alerts.jsonl'
 * sinkKey({ type: 'webhook', url: 'https://h.example/x?k=s3cret' }); // 'webhook:' + 16 hex digits
 * ```
 */
export function sinkKey(sink: AlertSinkConfig): string {
  switch (sink?.type) {
    case 'file':
      return `file:${String(sink.path)}`;
    case 'webhook':
      return `webhook:${createHash('sha256').update(String(sink.url)).digest('hex').slice(0, 16)}`;
    default:
      return String((sink as { type?: unknown } | null)?.type ?? 'unknown');
  }
}

const FN = 'sendAlerts';

async function sendToSink(events: readonly AlertEvent[], sink: AlertSinkConfig, sinkIndex: number, options: SendAlertsOptions): Promise<AlertDelivery[]> {
  const name = describeSink(sink);
  const has = options.alreadyDelivered;
  const unique = [...new Map(events.filter((e) => !has?.(e.id, sinkIndex)).map((e) => [e.id, e])).values()];
  const byId = new Map((await deliverUnique(unique, sink, name, sinkIndex, options)).map((d) => [d.eventId, d]));
  // back in the order given; a second occurrence of an id in one call is a skipped duplicate
  const seen = new Set<string>();
  return events.map((e) => {
    if (!byId.has(e.id)) return { eventId: e.id, sink: name, sinkIndex, ok: true, attempts: 0, skipped: 'delivered' as const };
    if (seen.has(e.id)) return { eventId: e.id, sink: name, sinkIndex, ok: true, attempts: 0, skipped: 'duplicate' as const };
    seen.add(e.id);
    return byId.get(e.id)!;
  });
}

async function deliverUnique(unique: readonly AlertEvent[], sink: AlertSinkConfig, name: string, sinkIndex: number, options: SendAlertsOptions): Promise<AlertDelivery[]> {
  const out: AlertDelivery[] = [];
  const fail = (e: AlertEvent, attempts: number, reason: string, status?: number): AlertDelivery => ({
    eventId: e.id,
    sink: name,
    sinkIndex,
    ok: false,
    attempts,
    ...(status !== undefined ? { status } : {}),
    error: messages.alertSinkFailed(FN, name, e.id, attempts, redactText(reason)),
  });
  try {
    switch (sink?.type) {
      case 'stdout': {
        const write = options.stdout ?? ((t: string) => void process.stdout.write(t));
        for (const e of unique) {
          try {
            write(JSON.stringify(e) + '\n');
            out.push({ eventId: e.id, sink: name, sinkIndex, ok: true, attempts: 1 });
          } catch (err) {
            out.push(fail(e, 1, errorText(err)));
          }
        }
        return out;
      }
      case 'file':
        return out.concat(await appendToFile(unique, sink.path, name, sinkIndex, fail));
      case 'webhook': {
        let down: string | null = null;
        for (const e of unique) {
          if (down !== null) {
            out.push({ eventId: e.id, sink: name, sinkIndex, ok: false, attempts: 0, error: messages.alertSinkNotTried(FN, name, e.id, down) });
            continue;
          }
          const d = await postEvent(e, sink, name, sinkIndex, options, fail);
          out.push(d);
          if (!d.ok && d.attempts > 0 && unavailable(d.status)) down = e.id;
        }
        return out;
      }
      default:
        return out.concat(unique.map((e) => fail(e, 0, messages.badAlertSink(FN, sinkIndex, "type must be 'stdout', 'file' or 'webhook'"))));
    }
  } catch (err) {
    // a sink must never take the others down: anything unexpected is a failure of this sink
    const done = new Set(out.map((d) => d.eventId));
    return out.concat(unique.filter((e) => !done.has(e.id)).map((e) => fail(e, 0, errorText(err))));
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const code = (cause as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown }).code;
    const causeText = cause instanceof Error ? cause.message : '';
    return [err.message, causeText && causeText !== err.message ? causeText : '', typeof code === 'string' && !causeText.includes(code) && !err.message.includes(code) ? `(${code})` : '']
      .filter(Boolean)
      .join(': ');
  }
  return String(err);
}

/** A failure that says the endpoint is down or overloaded (no answer, 5xx, 429), not that the event was refused. */
function unavailable(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 429;
}

type Fail = (e: AlertEvent, attempts: number, reason: string, status?: number) => AlertDelivery;

/** Ids of the events already in a JSON-lines file, and whether the file ends in the middle of a line. */
async function existingIds(path: string): Promise<{ ids: Set<string>; partial: boolean; exists: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return { ids: new Set(), partial: false, exists: false };
    throw err;
  }
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const id = (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id === 'string') ids.add(id);
    } catch {
      // a partial or foreign line: not an event we wrote
    }
  }
  return { ids, partial: text.length > 0 && !text.endsWith('\n'), exists: true };
}

async function appendToFile(events: readonly AlertEvent[], path: string, name: string, sinkIndex: number, fail: Fail): Promise<AlertDelivery[]> {
  if (typeof path !== 'string' || path === '') return events.map((e) => fail(e, 0, messages.badAlertSink(FN, sinkIndex, 'a file sink needs a path')));
  if (events.length === 0) return [];
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
    const before = await existingIds(path);
    const fresh = events.filter((e) => !before.ids.has(e.id));
    const out: AlertDelivery[] = events
      .filter((e) => before.ids.has(e.id))
      .map((e) => ({ eventId: e.id, sink: name, sinkIndex, ok: true, attempts: 0, skipped: 'duplicate' as const }));
    if (fresh.length === 0) return out;
    const text = (before.partial ? '\n' : '') + fresh.map((e) => JSON.stringify(e) + '\n').join('');
    const fh = await open(path, 'a');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (!before.exists) await fsyncDir(dir);
    return out.concat(fresh.map((e) => ({ eventId: e.id, sink: name, sinkIndex, ok: true, attempts: 1 })));
  } catch (err) {
    return events.map((e) => fail(e, 1, errorText(err)));
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function postEvent(
  event: AlertEvent,
  sink: Extract<AlertSinkConfig, { type: 'webhook' }>,
  name: string,
  sinkIndex: number,
  options: SendAlertsOptions,
  fail: Fail,
): Promise<AlertDelivery> {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const backoff = sink.backoffMs ?? options.backoffMs ?? WEBHOOK_DEFAULTS.backoffMs;
  const timeoutMs = sink.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs;
  const retries = sink.retries ?? WEBHOOK_DEFAULTS.retries;
  let url: URL;
  try {
    url = new URL(String(sink.url));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    return fail(event, 0, messages.badAlertSink(FN, sinkIndex, `webhook url ${safeUrl(String(sink.url))} is not an http(s) URL`));
  }
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) return fail(event, 0, messages.badAlertSink(FN, sinkIndex, `timeoutMs ${String(timeoutMs)} must be a positive number`));
  if (!(Number.isInteger(retries) && retries >= 0)) return fail(event, 0, messages.badAlertSink(FN, sinkIndex, `retries ${String(retries)} must be an integer >= 0`));
  if (!(Number.isFinite(backoff) && backoff >= 0)) return fail(event, 0, messages.badAlertSink(FN, sinkIndex, `backoffMs ${String(backoff)} must be a number >= 0`));
  // credentials in the URL's user info go in an Authorization header (fetch refuses them in the URL)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-fairwatch-event-id': event.id };
  if (url.username || url.password) {
    headers.authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
    url.username = '';
    url.password = '';
  }
  Object.assign(headers, sink.headers ?? {});
  const body = JSON.stringify(event);
  let reason = '';
  let status: number | undefined;
  let attempts = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1));
    attempts++;
    status = undefined;
    let retryable: boolean;
    try {
      const res = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      status = res.status;
      // free the connection; the body is not needed (and is not printed: it may echo secrets)
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { eventId: event.id, sink: name, sinkIndex, ok: true, attempts, status };
      reason = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      retryable = unavailable(res.status);
    } catch (err) {
      const n = (err as { name?: unknown })?.name;
      reason = n === 'TimeoutError' || n === 'AbortError' ? `no response within ${timeoutMs} ms (timeout)` : errorText(err);
      retryable = true;
    }
    if (!retryable) break;
  }
  return fail(event, attempts, reason.split(String(sink.url)).join(safeUrl(String(sink.url))), status);
}
