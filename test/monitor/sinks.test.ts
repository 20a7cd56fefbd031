/**
 * sendAlerts against real sinks: a JSON-lines file in a temp folder and a local HTTP server on
 * 127.0.0.1 (node:http) that answers as each test scripts it.
 */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messages } from '../../src/errors.js';
import { alertEventId } from '../../src/monitor/alerts.js';
import { describeSink, safeUrl, sendAlerts, sinkKey } from '../../src/monitor/sinks.js';
import type { AlertEvent } from '../../src/monitor/types.js';

function event(window: string, type: AlertEvent['type'] = 'fired'): AlertEvent {
  const w = { id: `day:${window}`, start: `${window}T00:00:00.000Z`, end: `${window}T23:59:59.999Z` };
  return {
    kind: 'fairwatch.alert',
    version: 1,
    type,
    jobId: 'loans',
    rule: 'di-sex',
    metric: 'disparateImpact',
    value: 0.62,
    threshold: { warn: 0.9, fail: 0.8, direction: 'below' },
    window: w,
    severity: 4,
    riskId: 'R-0123456789ab',
    breaches: { n: 1, m: 1 },
    time: '2026-03-02T06:00:00.000Z',
    id: alertEventId('loans', 'di-sex', w.id, type),
  };
}
const E1 = event('2026-03-01');
const E2 = event('2026-03-02', 'recovered');

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
});

/** A server on 127.0.0.1 whose k-th request (0-based) is answered by `script(k, res)`. */
async function server(script: (k: number, res: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      script(received.length - 1, res);
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, received };
}

const reply = (status: number) => (_k: number, res: ServerResponse) => res.writeHead(status).end('{"ok":false,"secret":"echo"}');
const noSleep = { sleep: async (ms: number) => void sleeps.push(ms) };
let sleeps: number[] = [];
afterEach(() => {
  sleeps = [];
});

describe('sendAlerts: webhook', () => {
  it('sendAlerts POSTs each event as JSON to the webhook with its event id header (success on the first attempt)', async () => {
    const srv = await server(reply(204));
    const r = await sendAlerts([E1, E2], [{ type: 'webhook', url: `${srv.url}/hooks/fw`, headers: { authorization: 'Bearer t0ken' } }], noSleep);
    expect(r.ok).toBe(true);
    expect(r.deliveries.map((d) => [d.eventId, d.ok, d.attempts, d.status])).toEqual([
      [E1.id, true, 1, 204],
      [E2.id, true, 1, 204],
    ]);
    expect(srv.received.map((q) => [q.method, q.url, q.headers['content-type'], q.headers['x-fairwatch-event-id'], q.headers.authorization])).toEqual([
      ['POST', '/hooks/fw', 'application/json', E1.id, 'Bearer t0ken'],
      ['POST', '/hooks/fw', 'application/json', E2.id, 'Bearer t0ken'],
    ]);
    expect(srv.received.map((q) => JSON.parse(q.body))).toEqual([E1, E2]);
    expect(sleeps).toEqual([]);
  });

  it('sendAlerts retries a 500 with exponential backoff and succeeds on the third attempt; a 429 is retried too', async () => {
    const srv = await server((k, res) => reply(k < 2 ? 500 : 200)(k, res));
    const r = await sendAlerts([E1], [{ type: 'webhook', url: srv.url, retries: 3 }], { ...noSleep, backoffMs: 100 });
    expect(r.deliveries).toEqual([expect.objectContaining({ ok: true, attempts: 3, status: 200 })]);
    expect(srv.received).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    const busy = await server((k, res) => reply(k === 0 ? 429 : 200)(k, res));
    expect((await sendAlerts([E1], [{ type: 'webhook', url: busy.url }], noSleep)).deliveries[0]).toMatchObject({ ok: true, attempts: 2 });
  });

  it('sendAlerts gives up after retries on a persistent 503 and reports the last status', async () => {
    const srv = await server(reply(503));
    const r = await sendAlerts([E1], [{ type: 'webhook', url: srv.url, retries: 2 }], { ...noSleep, backoffMs: 10 });
    expect(srv.received).toHaveLength(3);
    expect(sleeps).toEqual([10, 20]);
    expect(r.failures).toEqual([expect.objectContaining({ ok: false, attempts: 3, status: 503 })]);
    expect(r.failures[0]!.error).toBe(messages.alertSinkFailed('sendAlerts', `webhook ${srv.url}`, E1.id, 3, 'HTTP 503 Service Unavailable'));
  });

  it("sendAlerts takes the webhook's own backoffMs (job file) over the caller's default", async () => {
    const srv = await server(reply(503));
    await sendAlerts([E1], [{ type: 'webhook', url: srv.url, retries: 3, backoffMs: 7 }], { ...noSleep, backoffMs: 100 });
    expect(sleeps).toEqual([7, 14, 28]);
    sleeps = [];
    await sendAlerts([E1], [{ type: 'webhook', url: srv.url, retries: 1, backoffMs: 0 }], noSleep);
    expect(sleeps).toEqual([0]);
    const bad = await sendAlerts([E1], [{ type: 'webhook', url: srv.url, backoffMs: -1 }], noSleep);
    expect(bad.failures[0]!.error).toBe(messages.alertSinkFailed('sendAlerts', `webhook ${srv.url}`, E1.id, 0, messages.badAlertSink('sendAlerts', 0, 'backoffMs -1 must be a number >= 0')));
  });

  it('sendAlerts stops trying a webhook that used up its retries on a 5xx (later events: 0 attempts, named as not tried) but goes on after a 400', async () => {
    const E3 = event('2026-03-03');
    const down = await server(reply(503));
    const r = await sendAlerts([E1, E2, E3], [{ type: 'webhook', url: down.url, retries: 1 }], noSleep);
    expect(down.received.map((q) => q.headers['x-fairwatch-event-id'])).toEqual([E1.id, E1.id]);
    expect(r.deliveries.map((d) => [d.eventId, d.ok, d.attempts, d.status])).toEqual([
      [E1.id, false, 2, 503],
      [E2.id, false, 0, undefined],
      [E3.id, false, 0, undefined],
    ]);
    expect(r.failures[1]!.error).toBe(messages.alertSinkNotTried('sendAlerts', `webhook ${down.url}`, E2.id, E1.id));
    // a refusal is about that event: the next ones are still sent
    const picky = await server((k, res) => reply(k === 0 ? 422 : 200)(k, res));
    const p = await sendAlerts([E1, E2, E3], [{ type: 'webhook', url: picky.url, retries: 1 }], noSleep);
    expect(p.deliveries.map((d) => [d.ok, d.attempts, d.status])).toEqual([
      [false, 1, 422],
      [true, 1, 200],
      [true, 1, 200],
    ]);
  });

  it('sendAlerts skips what alreadyDelivered says a sink has (skipped: delivered) and sends the rest', async () => {
    const srv = await server(reply(200));
    const lines: string[] = [];
    const r = await sendAlerts([E1, E2], [{ type: 'stdout' }, { type: 'webhook', url: srv.url }], {
      stdout: (t) => lines.push(t),
      alreadyDelivered: (id, sink) => sink === 0 && id === E1.id,
    });
    expect(r.deliveries.map((d) => [d.sinkIndex, d.eventId, d.attempts, d.skipped ?? null])).toEqual([
      [0, E1.id, 0, 'delivered'],
      [0, E2.id, 1, null],
      [1, E1.id, 1, null],
      [1, E2.id, 1, null],
    ]);
    expect(lines.map((l) => (JSON.parse(l) as AlertEvent).id)).toEqual([E2.id]);
    expect(srv.received).toHaveLength(2);
  });

  it('sinkKey names a destination without storing the webhook URL', () => {
    expect(sinkKey({ type: 'stdout' })).toBe('stdout');
    expect(sinkKey({ type: 'file', path: '/a/alerts.jsonl' })).toBe('file:/a/alerts.jsonl');
    const k = sinkKey({ type: 'webhook', url: 'https://h.example/x?token=s3cret' });
    expect(k).toMatch(/^webhook:[0-9a-f]{16}$/);
    expect(k).not.toBe(sinkKey({ type: 'webhook', url: 'https://h.example/x?token=other' }));
    expect(k).toBe(sinkKey({ type: 'webhook', url: 'https://h.example/x?token=s3cret', retries: 1 }));
  });

  it('sendAlerts does not retry a 400 and returns the failure without throwing', async () => {
    const srv = await server(reply(400));
    const r = await sendAlerts([E1], [{ type: 'webhook', url: srv.url, retries: 3 }], noSleep);
    expect(srv.received).toHaveLength(1);
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([expect.objectContaining({ eventId: E1.id, ok: false, attempts: 1, status: 400 })]);
    expect(r.failures[0]!.error).toBe(messages.alertSinkFailed('sendAlerts', `webhook ${srv.url}`, E1.id, 1, 'HTTP 400 Bad Request'));
    expect(r.failures[0]!.error).not.toContain('echo');
  });

  it('sendAlerts aborts an attempt after timeoutMs and retries it; a server that never answers gives a timeout failure', async () => {
    // first request hangs, second answers
    const srv = await server((k, res) => (k === 0 ? undefined : res.writeHead(200).end()));
    const t = performance.now();
    const ok = await sendAlerts([E1], [{ type: 'webhook', url: srv.url, timeoutMs: 200, retries: 1 }], noSleep);
    expect(ok.deliveries[0]).toMatchObject({ ok: true, attempts: 2, status: 200 });
    expect(performance.now() - t).toBeGreaterThanOrEqual(190);
    const hang = await server(() => undefined);
    const r = await sendAlerts([E1], [{ type: 'webhook', url: hang.url, timeoutMs: 150, retries: 1 }], noSleep);
    expect(hang.received).toHaveLength(2);
    expect(r.failures[0]).toMatchObject({ ok: false, attempts: 2 });
    expect(r.failures[0]!.error).toBe(messages.alertSinkFailed('sendAlerts', `webhook ${hang.url}`, E1.id, 2, 'no response within 150 ms (timeout)'));
  });

  it('sendAlerts retries a refused connection, reports it, and never shows the URL credentials or token', async () => {
    // a port that was just free: listen, note it, close
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const url = `http://alice:pa55word@127.0.0.1:${port}/hook?token=sup3rs3cret`;
    const r = await sendAlerts([E1], [{ type: 'webhook', url, retries: 2 }], { ...noSleep, backoffMs: 1 });
    expect(r.failures).toHaveLength(1);
    const f = r.failures[0]!;
    expect([f.ok, f.attempts, f.status]).toEqual([false, 3, undefined]);
    expect(f.sink).toBe(`webhook http://alice:***@127.0.0.1:${port}/hook?token=***`);
    expect(f.error).toContain('ECONNREFUSED');
    expect(f.error).toContain(messages.alertSinkFailed('sendAlerts', f.sink, E1.id, 3, '').slice(0, -2));
    for (const secret of ['pa55word', 'sup3rs3cret']) expect(JSON.stringify(r)).not.toContain(secret);
  });

  it('sendAlerts sends user-info credentials as basic auth, not in the URL', async () => {
    const srv = await server(reply(200));
    await sendAlerts([E1], [{ type: 'webhook', url: srv.url.replace('http://', 'http://bob:s3cret@') + '/x' }], noSleep);
    expect([srv.received[0]!.url, srv.received[0]!.headers.authorization]).toEqual(['/x', 'Basic ' + Buffer.from('bob:s3cret').toString('base64')]);
  });
});

describe('sendAlerts: stdout, file, several sinks', () => {
  it('sendAlerts writes one JSON line per event through the injected stdout writer', async () => {
    const lines: string[] = [];
    const r = await sendAlerts([E1, E2, E1], [{ type: 'stdout' }], { stdout: (t) => lines.push(t) });
    expect(lines.map((l) => JSON.parse(l))).toEqual([E1, E2]);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(r.deliveries.map((d) => [d.eventId, d.skipped ?? null])).toEqual([
      [E1.id, null],
      [E2.id, null],
      [E1.id, 'duplicate'],
    ]);
  });

  it('sendAlerts appends JSON lines to a file in folders it creates, skips ids already there, and ends a partial last line first', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fw-sink-')), 'a', 'b', 'alerts.jsonl');
    expect((await sendAlerts([E1], [{ type: 'file', path }])).ok).toBe(true);
    appendFileSync(path, '{"kind":"fairwatch.al'); // a crash mid-line
    const r = await sendAlerts([E1, E2], [{ type: 'file', path }]);
    expect(r.deliveries.map((d) => [d.eventId, d.ok, d.skipped ?? null])).toEqual([
      [E1.id, true, 'duplicate'],
      [E2.id, true, null],
    ]);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect([JSON.parse(lines[0]!), lines[1], JSON.parse(lines[2]!), lines[3]]).toEqual([E1, '{"kind":"fairwatch.al', E2, '']);
  });

  it('sendAlerts reports a failing sink and still delivers to the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-sink-'));
    appendFileSync(join(dir, 'not-a-folder'), 'x');
    const lines: string[] = [];
    const srv = await server(reply(200));
    const r = await sendAlerts(
      [E1],
      [{ type: 'file', path: join(dir, 'not-a-folder', 'alerts.jsonl') }, { type: 'stdout' }, { type: 'webhook', url: srv.url }, { type: 'webhook', url: 'ftp://x/y' }],
      { stdout: (t) => lines.push(t), ...noSleep },
    );
    expect(r.deliveries.map((d) => [d.sinkIndex, d.ok])).toEqual([
      [0, false],
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(r.failures[0]!.error).toMatch(/^sendAlerts: alert "loans\/di-sex\/day:2026-03-01\/fired" could not be delivered to file ".*alerts.jsonl" after 1 attempt\(s\): .*(ENOTDIR|EEXIST)/);
    expect(r.failures[1]!.error).toContain(messages.badAlertSink('sendAlerts', 3, 'webhook url ftp://x/y is not an http(s) URL'));
    expect([lines.length, srv.received.length]).toEqual([1, 1]);
  });

  it('safeUrl and describeSink hide passwords, bare tokens, query values and token-like path segments', () => {
    expect(safeUrl('https://hooks.slack.com/services/T0AB12CD/B0XY34/abcdefghijklmnopqrstuvwx')).toBe('https://hooks.slack.com/services/T0AB12CD/B0XY34/***');
    expect(safeUrl('https://t0ken@example.org/h?api_key=k&debug')).toBe('https://***@example.org/h?api_key=***&***');
    expect(safeUrl('http://127.0.0.1:8080/alerts')).toBe('http://127.0.0.1:8080/alerts');
    expect(describeSink({ type: 'webhook', url: 'https://u:p@h.example/x?key=s3cret' })).toBe('webhook https://u:***@h.example/x?key=***');
    expect(describeSink({ type: 'stdout' })).toBe('stdout');
  });
});
