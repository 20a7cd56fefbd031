/**
 * Alerts end to end through the CLI: `main(['monitor', 'run', '--config', file, '--now', t])` run
 * once per day as a scheduler would, over generated daily data whose feature x drifts (+3) on
 * 2026-03-03 and 2026-03-04 only, with three sinks at once — JSON lines on stdout, a file, and a
 * webhook to a real `node:http` server on 127.0.0.1 that records every POST.
 *
 * Rules (hand-worked from the drift days, F = PSI of x fails, P = passes):
 *   day     1 2 3 4 5 6
 *   psi(x)  P P F F P P
 *   psi-x       (1 of 1, reminderEvery 1): fired day 3, reminder day 4, recovered day 5
 *   psi-x-2of3  (2 of 3):                  fired day 4 ([P,F,F]), holds day 5 ([F,F,P]), recovered day 6 ([F,P,P])
 *   di-sex      (1 of 1): both groups' predictions come from the same process: never fires
 *
 * Both tests run on each store: a DuckDB folder, and PostgreSQL (a fresh schema; `.ci/run` starts
 * the server, and under CI an unreachable one fails the test).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, describe, it, type TestContext } from 'vitest';
import { main } from '../../src/cli/main.js';
import { messages } from '../../src/errors.js';
import type { AlertEvent } from '../../src/monitor/types.js';
import { openStore } from '../../src/store/index.js';
import { itWithServer, pgReachable, pgUrl } from '../engines/servers.js';
import { makeJob, makeRows, type Row } from './fixtures.js';

const JOB = 'loans-daily';
const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}`;
/** The scheduler's clock for the daily run of day d: 01:00 on the next day. */
const nowAfter = (d: number) => `${day(d + 1)}T01:00:00Z`;
const id = (rule: string, d: number, type: AlertEvent['type']) => `${JOB}/${rule}/day:${day(d)}/${type}`;

/** 6 days x 200 rows; x shifted by +3 on days 3 and 4 (0-based 2 and 3). */
function driftRows(): Row[] {
  const rows = makeRows(6, 200, -1);
  for (const r of rows) if (r.ts >= `${day(3)}T` && r.ts < `${day(5)}T`) r.x += 3;
  return rows;
}

/**
 * The fixture job over the drift rows, its data rewritten from data.csv to data.parquet (DuckDB
 * `COPY`): every window runs several engine queries, and sniffing the CSV costs ~0.3 s per query.
 */
async function makeDriftJob(alerts: string, storeUrl: string | null): Promise<{ dir: string; config: string; store: string }> {
  const job = makeJob(driftRows(), alerts);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (SELECT * FROM read_csv('${join(job.dir, 'data.csv')}')) TO '${join(job.dir, 'data.parquet')}' (FORMAT PARQUET)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  let yaml = readFileSync(job.config, 'utf8').replace('file: data.csv', 'file: data.parquet');
  if (storeUrl) yaml = yaml.replace('store: store', `store: "${storeUrl}"`);
  writeFileSync(job.config, yaml);
  return storeUrl ? { ...job, store: storeUrl } : job;
}

interface Recorder {
  url: string;
  /** Every request received, in order (failed attempts included). */
  posts: { eventId: string; status: number; body: AlertEvent }[];
  /** The status the server answers with from now on (unless `answerFor` says otherwise for an event). */
  answer: number;
  answerFor?: (eventId: string) => number | undefined;
}

/** A webhook receiver on 127.0.0.1, closed when the test ends. */
async function webhook(answer: number, onTestFinished: (fn: () => Promise<void>) => void): Promise<Recorder> {
  const rec: Recorder = { url: '', posts: [], answer };
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const eventId = String(req.headers['x-fairwatch-event-id']);
      const status = rec.answerFor?.(eventId) ?? rec.answer;
      rec.posts.push({ eventId, status, body: JSON.parse(body) as AlertEvent });
      res.writeHead(status).end();
    });
  });
  onTestFinished(async () => {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  rec.url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/hooks/fairwatch`;
  return rec;
}

function alertsYaml(url: string, retries: number): string {
  return [
    'alerts:',
    '  rules:',
    '    - { id: psi-x, metric: psi, column: x, reminderEvery: 1 }',
    '    - { id: psi-x-2of3, metric: psi, column: x, n: 2, m: 3 }',
    '    - { id: di-sex, metric: disparateImpact, attribute: sex }',
    '  sinks:',
    '    - { type: stdout }',
    '    - { type: file, path: alerts.jsonl }',
    `    - { type: webhook, url: "${url}", retries: ${retries}, timeoutMs: 5000 }`,
  ].join('\n');
}

/** One CLI run; the stdout sink's JSON lines are split from the outcome lines. */
async function run(config: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['monitor', 'run', '--config', config, ...args], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  const lines = out.join('').split('\n').filter(Boolean);
  const events = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as AlertEvent);
  return { code, err: err.join(''), events, ids: events.map((e) => e.id), outcomes: lines.filter((l) => !l.startsWith('{')) };
}

const fileEvents = (dir: string) =>
  readFileSync(join(dir, 'alerts.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AlertEvent);

const pgReason = await pgReachable();
const pgSchemas: string[] = [];
afterAll(async () => {
  if (pgReason || pgSchemas.length === 0) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  for (const sch of pgSchemas) await c.query(`DROP SCHEMA IF EXISTS "${sch}" CASCADE`);
  await c.end();
});

/** The store of one test: a DuckDB folder in the job's folder, or a fresh PostgreSQL schema. */
function storeFor(backend: 'duckdb' | 'postgres'): string | null {
  if (backend === 'duckdb') return null;
  const sch = `fw_alerts_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  pgSchemas.push(sch);
  return `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${sch}`;
}

describe.each(['duckdb', 'postgres'] as const)('fairwatch monitor run: alerts end to end (stdout, file, webhook on 127.0.0.1), %s store', (backend) => {
  const test = backend === 'duckdb' ? (name: string, fn: (ctx: TestContext) => Promise<void>) => it(name, fn) : (name: string, fn: (ctx: TestContext) => Promise<void>) => itWithServer(pgReason, name, fn);

  test('main(monitor run) day by day fires once, reminds after the cool-down, recovers, and sends the same events to all three sinks', async ({ expect, onTestFinished }) => {
    const storeUrl = storeFor(backend);
    const hook = await webhook(200, onTestFinished);
    const job = await makeDriftJob(alertsYaml(hook.url, 1), storeUrl);
    // days 1-3 as a backfill, then one run per day as a scheduler would
    const runs = [await run(job.config, '--from', day(1), '--to', day(4), '--now', nowAfter(3))];
    // re-running the window that fired (the newest one: a new version, same data) sends no second fired alert
    const again = await run(job.config, '--window', day(3), '--now', nowAfter(3));
    expect([again.code, again.err, again.ids, again.outcomes]).toEqual([3, '', [], [expect.stringMatching(new RegExp(`^${JOB}  day:2026-03-03  v2  fail`))]]);
    for (let d = 4; d <= 6; d++) runs.push(await run(job.config, '--now', nowAfter(d)));
    expect(runs.map((r) => r.err)).toEqual(['', '', '', '']);
    // exit 3 while a finding fails (the drift days), else 0
    expect(runs.map((r) => r.code)).toEqual([3, 3, 0, 0]);
    expect(runs.map((r) => r.outcomes.map((l) => l.split(/\s+/)[1]))).toEqual([['day:2026-03-01', 'day:2026-03-02', 'day:2026-03-03'], ['day:2026-03-04'], ['day:2026-03-05'], ['day:2026-03-06']]);
    // stdout: per run, the new events in the order they happened (window, then rule order, then type)
    expect(runs.map((r) => r.ids)).toEqual([
      [id('psi-x', 3, 'fired')],
      [id('psi-x', 4, 'reminder'), id('psi-x-2of3', 4, 'fired')],
      [id('psi-x', 5, 'recovered')],
      [id('psi-x-2of3', 6, 'recovered')],
    ]);
    const stdoutEvents = runs.flatMap((r) => r.events);

    // the file and the webhook got exactly the same events, once each
    expect(fileEvents(job.dir)).toEqual(stdoutEvents);
    expect(hook.posts.map((p) => p.body)).toEqual(stdoutEvents);
    expect(hook.posts.map((p) => [p.eventId, p.status])).toEqual(stdoutEvents.map((e) => [e.id, 200]));

    // what each event names
    const store = await openStore(job.store);
    try {
      expect(store.kind).toBe(backend);
      const history = await store.monitorHistory(JOB);
      const psiOf = (d: number) => history.find((o) => o.window.id === `day:${day(d)}`)!.findings.flatMap((x) => x.findings).find((f) => f.id === 'drift:psi:x')!;
      expect([1, 2, 3, 4, 5, 6].map((d) => psiOf(d).status)).toEqual(['pass', 'pass', 'fail', 'fail', 'pass', 'pass']);
      const fired = stdoutEvents[0]!;
      expect(fired).toMatchObject({
        kind: 'fairwatch.alert',
        type: 'fired',
        jobId: JOB,
        rule: 'psi-x',
        metric: 'psi',
        value: psiOf(3).value,
        threshold: { fail: 0.25, direction: 'above' }, // the fixture policy's psi limit
        window: { id: 'day:2026-03-03', start: '2026-03-03T00:00:00.000Z', end: '2026-03-04T00:00:00.000Z' },
        breaches: { n: 1, m: 1 },
        time: '2026-03-04T01:00:00.000Z',
        findingId: 'drift:psi:x',
        status: 'fail',
      });
      expect(fired.value).toBeGreaterThan(0.25);
      expect(fired.severity).toBe(4); // the fixture policy names no breaches: the default fail rating { likelihood: 4, severity: 4 }
      // the risk entry it updated: opened by the day-3 drift run for this finding
      expect(fired.riskId).toMatch(/^R-[0-9a-f]{12}$/);
      const risk = await store.riskHistory(fired.riskId!);
      const day3Run = history.find((o) => o.window.id === 'day:2026-03-03')!.runIds.drift!;
      expect(risk.some((v) => v.findings.some((f) => f.runId === day3Run && f.findingId === 'drift:psi:x' && f.status === 'fail'))).toBe(true);
      expect(risk.at(-1)!.severity).toBe(fired.severity);
      // reminder and recovery name the same rule, severity and risk entry; the recovery carries the passing value
      const reminder = stdoutEvents.find((e) => e.id === id('psi-x', 4, 'reminder'))!;
      const recovered = stdoutEvents.find((e) => e.id === id('psi-x', 5, 'recovered'))!;
      expect([reminder.value, reminder.status, reminder.severity, reminder.riskId]).toEqual([psiOf(4).value, 'fail', fired.severity, fired.riskId]);
      expect([recovered.value, recovered.status, recovered.severity, recovered.riskId, recovered.breaches]).toEqual([psiOf(5).value, 'pass', fired.severity, fired.riskId, { n: 0, m: 1 }]);
      // the 2-of-3 rule names the same finding's risk entry (updated by day 4's failing run, then by day 5's pass)
      const fired2 = stdoutEvents.find((e) => e.id === id('psi-x-2of3', 4, 'fired'))!;
      const recovered2 = stdoutEvents.find((e) => e.id === id('psi-x-2of3', 6, 'recovered'))!;
      expect([fired2.breaches, fired2.value, fired2.riskId, fired2.severity]).toEqual([{ n: 2, m: 3 }, psiOf(4).value, fired.riskId, fired.severity]);
      expect([recovered2.breaches, recovered2.value, recovered2.riskId, recovered2.status]).toEqual([{ n: 1, m: 3 }, psiOf(6).value, fired.riskId, 'pass']);
      // di-sex never breached: no event names it
      expect(stdoutEvents.filter((e) => e.rule === 'di-sex')).toEqual([]);

      // re-running an older window (day 3 again, after day 6) sends nothing: alerts follow the newest window
      const older = await run(job.config, '--window', day(3), '--now', nowAfter(6));
      expect([older.code, older.err, older.ids]).toEqual([3, '', []]);
      expect(fileEvents(job.dir)).toEqual(stdoutEvents);
      expect(hook.posts).toHaveLength(5);

      const stored = await store.monitorAlertEvents(JOB);
      // the store keeps each event once, every one marked sent
      expect(new Set(stored.map((e) => e.id))).toEqual(new Set(stdoutEvents.map((e) => e.id)));
      expect(stored.every((e) => e.sentAt !== null)).toBe(true);
    } finally {
      await store.close();
    }
  });

  test('main(monitor run) with a webhook answering 500: stops trying it after the first event, exits 1 when no finding failed, and the next runs send each sink only what it lacks, in order', async ({ expect, onTestFinished }) => {
    const storeUrl = storeFor(backend);
    const hook = await webhook(500, onTestFinished);
    const job = await makeDriftJob(alertsYaml(hook.url, 1), storeUrl);
    const hookName = `webhook ${hook.url}`;
    // backfill days 1-5 while the webhook fails: exit 3 from the failing drift findings
    const a = await run(job.config, '--from', day(1), '--to', day(6), '--now', nowAfter(5));
    // one run: events are sent in the order they happened (window, then the job file's rule order, then type)
    const aIds = [id('psi-x', 3, 'fired'), id('psi-x', 4, 'reminder'), id('psi-x-2of3', 4, 'fired'), id('psi-x', 5, 'recovered')];
    expect([a.code, a.ids]).toEqual([3, aIds]);
    // retries: 1 -> two attempts for the first event, both answered 500; the endpoint is then taken
    // as down and the three later events are not tried (4 failed deliveries, the first one's reason shown)
    expect(hook.posts.map((p) => [p.eventId, p.status])).toEqual([[aIds[0], 500], [aIds[0], 500]]);
    expect(a.err).toBe(
      'monitor: 4 alert deliveries failed; they are retried on the next run\n' + `  ${messages.alertSinkFailed('sendAlerts', hookName, aIds[0]!, 2, 'HTTP 500 Internal Server Error')}\n`,
    );
    expect(fileEvents(job.dir).map((e) => e.id)).toEqual(aIds);
    let store = await openStore(job.store);
    try {
      // one delivery record per event and sink: stdout and the file have all four, the webhook none
      const reached = await store.monitorAlertDeliveries(JOB);
      const fileKey = `file:${join(job.dir, 'alerts.jsonl')}`;
      expect(reached.map((d) => [d.eventId, d.sink]).sort()).toEqual(aIds.flatMap((e) => [[e, fileKey], [e, 'stdout']]).sort());
      expect(JSON.stringify(reached)).not.toContain('hooks/fairwatch');
      // status names what is undelivered and where it did arrive
      const status: string[] = [];
      expect(await main(['monitor', 'status', '--config', job.config, '--format', 'json'], { stdout: (t) => status.push(t), stderr: () => undefined })).toBe(0);
      const s = JSON.parse(status.join('')) as { jobs: { undelivered: { id: string; deliveredTo: string[] }[] }[] };
      expect([...s.jobs[0]!.undelivered].sort((x, y) => x.id.localeCompare(y.id))).toEqual([...aIds].sort().map((e) => ({ id: e, deliveredTo: [fileKey, 'stdout'].sort() })));
    } finally {
      await store.close();
    }

    // day 6: every finding passes, the webhook still fails -> exit 1 (undelivered alerts), the failures on stderr;
    // stdout and the file get only the new event (they have the others); the webhook again stops after the first
    hook.posts.length = 0;
    const b = await run(job.config, '--now', nowAfter(6));
    const bIds = [...aIds, id('psi-x-2of3', 6, 'recovered')];
    expect([b.code, b.ids]).toEqual([1, [bIds[4]]]);
    expect(b.err.split('\n')[0]).toBe('monitor: 5 alert deliveries failed; they are retried on the next run');
    expect(hook.posts.map((p) => p.eventId)).toEqual([aIds[0], aIds[0]]);
    expect(fileEvents(job.dir).map((e) => e.id)).toEqual(bIds);
    const text: string[] = [];
    await main(['monitor', 'status', '--config', job.config], { stdout: (t) => text.push(t), stderr: () => undefined });
    expect(text.join('')).toMatch(/ {2}undelivered alerts: 5\n$/);

    // the webhook is back: the next run (here a re-run of day 6, no new event) sends the webhook
    // every event it lacks, once each and in order, and prints nothing again on stdout
    hook.posts.length = 0;
    hook.answer = 200;
    const c = await run(job.config, '--window', day(6), '--now', nowAfter(6));
    expect([c.code, c.err, c.ids]).toEqual([0, '', []]);
    expect(hook.posts.map((p) => [p.eventId, p.status])).toEqual(bIds.map((e) => [e, 200]));
    // the webhook now has what the file has, and the store has marked every event sent
    expect(hook.posts.map((p) => p.body)).toEqual(fileEvents(job.dir));
    store = await openStore(job.store);
    try {
      expect(await store.monitorAlertEvents(JOB, { unsent: true })).toEqual([]);
      expect((await store.monitorAlertEvents(JOB)).map((e) => e.id).sort()).toEqual([...bIds].sort());
      expect((await store.monitorAlertDeliveries(JOB)).filter((d) => d.sink.startsWith('webhook:')).map((d) => d.eventId).sort()).toEqual([...bIds].sort());
    } finally {
      await store.close();
    }
    // and the run after that has nothing due and nothing to re-send
    hook.posts.length = 0;
    const d = await run(job.config, '--now', nowAfter(6));
    expect([d.code, d.err, d.ids, d.outcomes, hook.posts]).toEqual([0, '', [], [`${JOB}: no window is due`], []]);
  });

  test('main(monitor alerts): an event the webhook keeps refusing (400) is listed as pending, and --discard stops re-sending it, logged in the audit trail', async ({ expect, onTestFinished }) => {
    const storeUrl = storeFor(backend);
    const hook = await webhook(200, onTestFinished);
    const poison = id('psi-x', 3, 'fired');
    hook.answerFor = (e) => (e === poison ? 400 : undefined);
    const job = await makeDriftJob(alertsYaml(hook.url, 1), storeUrl);
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['monitor', 'alerts', '--config', job.config, ...args], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
      return { code, out: out.join(''), err: err.join('') };
    };
    // a 400 concerns that event only: the later events still reach the webhook
    const a = await run(job.config, '--from', day(1), '--to', day(6), '--now', nowAfter(5));
    expect(a.code).toBe(3);
    expect(hook.posts.map((p) => [p.eventId, p.status])).toEqual([
      [poison, 400],
      [id('psi-x', 4, 'reminder'), 200],
      [id('psi-x-2of3', 4, 'fired'), 200],
      [id('psi-x', 5, 'recovered'), 200],
    ]);
    const pending = await cli('--undelivered');
    expect(pending.code).toBe(0);
    expect(pending.out.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`  fired  {4} psi-x  day:2026-03-03  psi [0-9.]+  pending: webhook ${hook.url.replaceAll('.', '\\.')}  \\(${poison}\\)$`))]);
    const listed = JSON.parse((await cli('--format', 'json')).out) as { events: { id: string; pending: string[]; deliveredTo: { sink: string }[] }[] };
    expect(listed.events.map((e) => [e.id, e.pending.length, e.deliveredTo.length]).sort()).toEqual(
      [[poison, 1, 2], ...[id('psi-x', 4, 'reminder'), id('psi-x-2of3', 4, 'fired'), id('psi-x', 5, 'recovered')].map((e) => [e, 0, 3])].sort(),
    );

    // every later run sends it again and exits 1 once no finding fails
    hook.posts.length = 0;
    const b = await run(job.config, '--now', nowAfter(6));
    expect(b.code).toBe(1);
    expect(hook.posts.map((p) => p.eventId)).toEqual([poison, id('psi-x-2of3', 6, 'recovered')]);

    // the on-call engineer discards it, with a reason; the trail records who, what, where and why
    const d = await cli('--discard', poison, '--reason', 'receiver rejects the payload (400)');
    expect([d.code, d.err]).toEqual([0, '']);
    expect(d.out).toMatch(new RegExp(`^discarded ${poison} for webhook .* \\(audit-log line \\d+\\); it is no longer re-sent\n$`));
    const store = await openStore(job.store);
    try {
      const line = (await store.readAudit()).filter((e) => e.action === 'monitor.alert.discard');
      expect(line).toHaveLength(1);
      expect(line[0]!.details).toEqual({ job: JOB, eventId: poison, sinks: [expect.stringMatching(/^webhook:[0-9a-f]{16}$/)], reason: 'receiver rejects the payload (400)' });
      expect((await store.verifyAudit()).ok).toBe(true);
      expect(await store.monitorAlertEvents(JOB, { unsent: true })).toEqual([]);
    } finally {
      await store.close();
    }
    expect((await cli('--undelivered')).out).toBe('(every alert has been delivered)\n');
    hook.posts.length = 0;
    const c = await run(job.config, '--window', day(6), '--now', nowAfter(6));
    expect([c.code, c.err, hook.posts]).toEqual([0, '', []]);
    // a second discard, or an unknown id, is refused (exit 2) and writes nothing
    expect((await cli('--discard', poison)).err).toContain(messages.monitorAlertDelivered('monitor alerts', poison));
    const unknown = await cli('--discard', 'no/such/event');
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining(messages.monitorUnknownAlert('monitor alerts', JOB, 'no/such/event'))]);
  });
});
