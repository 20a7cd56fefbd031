/**
 * Robustness of `fairwatch monitor run` with real processes and files: SIGKILL inside the window
 * transaction and between the commit and the audit line (the `FAIRWATCH_TEST_PAUSE_AT` hook of
 * src/monitor/run.ts), two runs started together, fairness over time (`maxChange`), row windows,
 * the `{ previous: N }` baseline, `--from/--to`, and the exit codes schedulers see.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { messages } from '../../src/errors.js';
import { loadMonitorConfig } from '../../src/monitor/config.js';
import { runMonitor } from '../../src/monitor/run.js';
import type { WindowOutcome } from '../../src/monitor/types.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { makeJob, makeRows, toCSV, type Row } from './fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const register = fileURLToPath(new URL('../helpers/ts-register.mjs', import.meta.url));
const mainTs = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const NOW = '2026-03-05T01:00:00Z';
const JOB = 'loans-daily';

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }).then((code) => ({ code, out: out.join(''), err: err.join('') }));
}

/** `fairwatch <argv>` in a real child process (the TypeScript sources, no build). */
function spawnCli(argv: string[], env: Record<string, string> = {}) {
  const code = `import { main } from ${JSON.stringify(mainTs)}; process.exitCode = await main(process.argv.slice(1));`;
  const p = spawn(process.execPath, ['--import', register, '--input-type=module', '-e', code, '--', ...argv], {
    cwd: root,
    env: { ...process.env, FAIRWATCH_TEST_PAUSE_AT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiters.splice(0)) (w.re.test(out + err) ? w.resolve : () => waiters.push(w))();
  };
  p.stdout.on('data', (d: Buffer) => ((out += d.toString()), check()));
  p.stderr.on('data', (d: Buffer) => ((err += d.toString()), check()));
  const exited = new Promise<number | null>((r) => p.on('close', (c) => r(c)));
  return {
    p,
    exited,
    out: () => out,
    err: () => err,
    /** Resolves when stdout or stderr matches `re` (rejects if the process ends first). */
    waitFor: (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ re, resolve });
        check();
        void exited.then((c) => reject(new Error(`child exited ${c} before ${re}: ${out}${err}`)));
      }),
  };
}

/** Kill a paused child and wait until it is gone. */
async function kill(c: ReturnType<typeof spawnCli>): Promise<void> {
  c.p.kill('SIGKILL');
  await c.exited;
}

/**
 * The store invariants after any interruption: unique runs, each run's audit line exactly once,
 * a verifying audit trail, no window version twice, no two risk versions from one run, nothing
 * left unaudited and no lock.
 */
async function expectConsistent(store: Store, jobId: string): Promise<void> {
  const runs = await store.listRuns();
  const ids = runs.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  const lines = (await store.readAudit()).filter((e) => e.action === 'audit.run' || e.action === 'drift.run');
  const perRun = new Map<string, number>();
  for (const e of lines) perRun.set(String(e.details?.runId), (perRun.get(String(e.details?.runId)) ?? 0) + 1);
  expect([...perRun.keys()].sort()).toEqual([...ids].sort());
  expect([...perRun.values()].every((n) => n === 1)).toBe(true);
  expect((await store.verifyAudit()).ok).toBe(true);
  const versions = (await store.monitorHistory(jobId, { allVersions: true })).map((o) => `${o.window.id} v${o.version}`);
  expect(new Set(versions).size).toBe(versions.length);
  for (const risk of await store.latestRisks()) {
    const h = await store.riskHistory(risk.id);
    expect(h.map((v) => v.version)).toEqual(h.map((_, i) => i + 1));
    const byRun = h.map((v) => v.findings.at(-1)?.runId);
    expect(new Set(byRun).size).toBe(byRun.length);
  }
  expect(await store.unauditedMonitorWindows(jobId)).toEqual([]);
  expect(await store.monitorLocks()).toEqual([]);
}

/** The same job run once without interruption (another folder): its run ids, window results and risk versions. */
async function reference(rows: readonly Row[], ...runs: string[][]): Promise<{ runs: string[]; windows: string[]; riskVersions: number }> {
  const job = makeJob(rows);
  for (const argv of runs.length ? runs : [[]]) await cli(['monitor', 'run', '--config', job.config, '--now', NOW, ...argv]);
  const store = await openStore(job.store);
  try {
    return await summary(store);
  } finally {
    await store.close();
  }
}

async function summary(store: Store): Promise<{ runs: string[]; windows: string[]; riskVersions: number }> {
  const runs = (await store.listRuns()).map((r) => r.id).sort();
  const windows = (await store.monitorHistory(JOB, { allVersions: true })).map((o) => `${o.window.id} v${o.version} ${o.status} ${o.rows} ${JSON.stringify(o.metrics)}`);
  let riskVersions = 0;
  for (const r of await store.latestRisks()) riskVersions += (await store.riskHistory(r.id)).length;
  return { runs, windows, riskVersions };
}

const rewrite = (config: string, from: string, to: string) => writeFileSync(config, readFileSync(config, 'utf8').replace(from, to));
const findings = (o: WindowOutcome) => o.findings.flatMap((d) => d.findings);

describe('fairwatch monitor run: crash safety with real processes', () => {
  it('SIGKILL inside the window transaction (before-commit) leaves nothing of the window; the next run computes every window once', async () => {
    const rows = makeRows(4, 100, 2);
    const job = makeJob(rows);
    const c = spawnCli(['monitor', 'run', '--config', job.config, '--now', NOW], { FAIRWATCH_TEST_PAUSE_AT: 'before-commit' });
    await c.waitFor(/test pause at before-commit/);
    await kill(c);
    const store = await openStore(job.store);
    try {
      expect(await store.monitorHistory(JOB)).toEqual([]);
      expect(await store.listRuns()).toEqual([]); // the runs were written inside the uncommitted transaction
      expect(await store.latestRisks()).toEqual([]);
      expect((await store.monitorLocks()).map((l) => l.pid)).toEqual([c.p.pid]); // left behind; stale (process gone)
      const r = await cli(['monitor', 'run', '--config', job.config, '--now', NOW]);
      expect(r.code).toBe(3);
      expect(r.err).toBe('');
      expect(r.out.match(/day:2026-03-0\d {2}v1/g)).toEqual(['day:2026-03-01  v1', 'day:2026-03-02  v1', 'day:2026-03-03  v1', 'day:2026-03-04  v1']);
      await expectConsistent(store, JOB);
      const got = await summary(store);
      const want = await reference(rows);
      expect(got.runs).toEqual(want.runs);
      expect(got.windows.map((w) => w.replace(/ \{.*/, ''))).toEqual(want.windows.map((w) => w.replace(/ \{.*/, '')));
      expect(got.riskVersions).toBe(want.riskVersions);
    } finally {
      await store.close();
    }
  });

  it('SIGKILL between the commit and the audit line (after-commit): the next run appends the missing audit lines once (resumed) and completes the backfill', async () => {
    const rows = makeRows(4, 100, 2);
    const job = makeJob(rows);
    // start the backfill at the drift day, so that the killed window has opened risk entries
    const range = ['--from', '2026-03-03', '--to', '2026-03-05'];
    const c = spawnCli(['monitor', 'run', '--config', job.config, '--now', NOW, ...range], { FAIRWATCH_TEST_PAUSE_AT: 'after-commit' });
    await c.waitFor(/test pause at after-commit/);
    await kill(c);
    const store = await openStore(job.store);
    try {
      const pending = await store.unauditedMonitorWindows(JOB);
      expect(pending.map((o) => `${o.window.id} v${o.version}`)).toEqual(['day:2026-03-03 v1']);
      expect(pending[0]!.status).toBe('fail');
      const committed = (await store.listRuns()).map((r) => r.id).sort();
      expect(committed).toEqual(Object.values(pending[0]!.runIds).sort());
      expect((await store.readAudit()).filter((e) => committed.includes(String(e.details?.runId)))).toEqual([]);
      const risksBefore = (await summary(store)).riskVersions;
      expect(risksBefore).toBeGreaterThan(0);

      const r = await cli(['monitor', 'run', '--config', job.config, '--now', NOW]);
      expect(r.code).toBe(0); // the due window day:2026-03-04 passes
      expect(r.err).toContain('completed the audit trail of day:2026-03-03 v1');
      expect(r.out.match(/day:2026-03-0\d {2}v\d/g)).toEqual(['day:2026-03-04  v1']);
      const resumed = (await store.readAudit()).filter((e) => committed.includes(String(e.details?.runId)));
      expect(resumed.map((e) => e.details?.resumed)).toEqual([true, true]);
      await expectConsistent(store, JOB);
      const got = await summary(store);
      const want = await reference(rows, range, []);
      expect(got.runs).toEqual(want.runs);
      expect(got.riskVersions).toBe(want.riskVersions);
      expect(got.windows.map((w) => w.replace(/ \{.*/, ''))).toEqual(want.windows.map((w) => w.replace(/ \{.*/, '')));
    } finally {
      await store.close();
    }
  });
});

describe('fairwatch monitor run: two runs started at the same moment', () => {
  it('with --lock-timeout 0 one run computes every window and the other exits 2 naming the holder', async () => {
    const job = makeJob(makeRows(4, 100, 2));
    // whoever takes the lock holds it 8 s before computing (start-up jitter of the two children stays well below that), so the other finds it held
    const env = { FAIRWATCH_TEST_PAUSE_AT: 'after-lock', FAIRWATCH_TEST_PAUSE_MS: '8000' };
    const a = spawnCli(['monitor', 'run', '--config', job.config, '--now', NOW, '--lock-timeout', '0'], { ...env, FAIRWATCH_ACTOR: 'run-a' });
    const b = spawnCli(['monitor', 'run', '--config', job.config, '--now', NOW, '--lock-timeout', '0'], { ...env, FAIRWATCH_ACTOR: 'run-b' });
    const codes = await Promise.all([a.exited, b.exited]);
    expect([...codes].sort()).toEqual([2, 3]);
    const [winner, loser] = codes[0] === 3 ? [a, b] : [b, a];
    expect(winner.out().match(/day:2026-03-0\d {2}v1/g)).toHaveLength(4);
    expect(loser.out()).toBe('');
    expect(loser.err()).toMatch(new RegExp(`is being run by run-[ab] \\(pid ${winner.p.pid} on `));
    const store = await openStore(job.store);
    try {
      await expectConsistent(store, JOB);
      expect((await store.monitorHistory(JOB, { allVersions: true })).map((o) => `${o.window.id} v${o.version}`)).toEqual(['day:2026-03-01 v1', 'day:2026-03-02 v1', 'day:2026-03-03 v1', 'day:2026-03-04 v1']);
    } finally {
      await store.close();
    }
  });

  it('with a lock timeout the second run waits, then finds nothing due (exit 0); each window is computed once', async () => {
    const job = makeJob(makeRows(4, 100, 2));
    const a = spawnCli(['monitor', 'run', '--config', job.config, '--now', NOW, '--lock-timeout', '60000']);
    const b = spawnCli(['monitor', 'run', '--config', job.config, '--now', NOW, '--lock-timeout', '60000']);
    const codes = await Promise.all([a.exited, b.exited]);
    expect([...codes].sort()).toEqual([0, 3]);
    const [computed, waited] = codes[0] === 3 ? [a, b] : [b, a];
    expect(computed.out().match(/day:2026-03-0\d {2}v1/g)).toHaveLength(4);
    expect(waited.out()).toMatch(/no window is due/);
    const store = await openStore(job.store);
    try {
      await expectConsistent(store, JOB);
      expect((await store.monitorHistory(JOB, { allVersions: true })).map((o) => o.version)).toEqual([1, 1, 1, 1]);
    } finally {
      await store.close();
    }
  });
});

/** Three days, 100 rows per group per day, 50 labelled 1 and 50 labelled 0; group b's TPR is 0.8, 0.4, 0.6 by day, a's 0.8; selection rates all 0.5. */
function fairnessDriftRows(): Row[] {
  const tpB = [40, 20, 30];
  const rows: Row[] = [];
  let id = 0;
  for (let d = 0; d < 3; d++) {
    for (let i = 0; i < 200; i++) {
      const sex = i % 2 === 0 ? 'a' : 'b';
      const k = Math.floor(i / 2); // 0..99 within the group
      const y = k < 50 ? 1 : 0;
      const tp = sex === 'a' ? 40 : tpB[d]!;
      // positives: the first `tp` labelled 1 are predicted 1; negatives: 50 - tp predicted 1 (selection rate 0.5)
      const p = y === 1 ? (k < tp ? 1 : 0) : k - 50 < 50 - tp ? 1 : 0;
      const ts = new Date(Date.UTC(2026, 2, 1 + d) + i * 400_000).toISOString();
      rows.push({ id: id++, ts, sex, y, p, x: (k % 10) / 10, region: k % 2 ? 'n' : 's' });
    }
  }
  return rows;
}

describe('fairness over time (maxChange against the baseline window)', () => {
  it('a window inside the absolute thresholds that moved more than maxChange fails <metric>Change (exit 3); within maxChange it passes', async () => {
    const rows = fairnessDriftRows();
    const job = makeJob(rows); // baseline { from: 2026-03-01, to: 2026-03-02 }; POLICY: equalOpportunityDifference fail 0.5, maxChange 0.3
    // naive TPR difference per day
    const tpr = (d: number, g: string) => {
      const pos = rows.filter((r) => r.ts.startsWith(`2026-03-0${d + 1}`) && r.sex === g && r.y === 1);
      return pos.filter((r) => r.p === 1).length / pos.length;
    };
    const eod = [0, 1, 2].map((d) => Math.abs(tpr(d, 'a') - tpr(d, 'b')));
    expect(eod.map((x) => Number(x.toFixed(10)))).toEqual([0, 0.4, 0.2]);
    const r = await cli(['monitor', 'run', '--config', job.config, '--now', '2026-03-04T00:00:00Z']);
    expect(r.code).toBe(3);
    const store = await openStore(job.store);
    try {
      const hist = await store.monitorHistory(JOB);
      expect(hist.map((o) => o.window.id)).toEqual(['day:2026-03-01', 'day:2026-03-02', 'day:2026-03-03']);
      for (const [d, o] of hist.entries()) {
        const abs = findings(o).find((f) => f.metric === 'equalOpportunityDifference')!;
        const change = findings(o).find((f) => f.metric === 'equalOpportunityDifferenceChange')!;
        expect(Math.abs(abs.value!)).toBeCloseTo(eod[d]!, 10);
        expect(abs.status).toBe('pass'); // below the absolute fail threshold 0.5 every day
        expect(change.value).toBeCloseTo(Math.abs(eod[d]! - eod[0]!), 10);
        expect(change.threshold).toEqual({ fail: 0.3, direction: 'above' });
        expect(change.status).toBe(d === 1 ? 'fail' : 'pass');
        expect(findings(o).find((f) => f.metric === 'disparateImpact')!.value).toBeCloseTo(1, 10); // selection rates equal
      }
      expect(hist.map((o) => o.status)).toEqual(['pass', 'fail', 'pass']);
      expect(r.out).toMatch(/day:2026-03-02 .*failed: fairness:equalOpportunityDifferenceChange:sex/);
    } finally {
      await store.close();
    }
  });
});

describe('fairness over time against a validation audit (baseline: { profile, audit })', () => {
  it('maxChange compares each window with the validation audit; a profile alone says on each window that maxChange was not checked', async () => {
    const rows = fairnessDriftRows();
    // the validation data: day 2's rows (TPR a 0.8, b 0.4: EOD 0.4), profiled and audited before deployment
    const validation = rows.filter((r) => r.ts.startsWith('2026-03-02'));
    const job = makeJob(rows);
    writeFileSync(join(job.dir, 'validation.csv'), toCSV(validation));
    expect((await cli(['profile', join(job.dir, 'validation.csv'), '--out', join(job.dir, 'ref.profile.json'), '--columns', 'x,region'])).code).toBe(0);
    const audit = await cli(['audit', join(job.dir, 'validation.csv'), '--label', 'y', '--prediction', 'p', '--sensitive', 'sex', '--format', 'json']);
    expect(audit.code).toBe(0);
    writeFileSync(join(job.dir, 'validation.audit.json'), audit.out);
    const tpr = (rs: readonly Row[], g: string) => {
      const pos = rs.filter((r) => r.sex === g && r.y === 1);
      return pos.filter((r) => r.p === 1).length / pos.length;
    };
    const eodOf = (rs: readonly Row[]) => Math.abs(tpr(rs, 'a') - tpr(rs, 'b'));
    const base = eodOf(validation);
    expect(Number(base.toFixed(10))).toBe(0.4);

    rewrite(job.config, 'baseline: { from: 2026-03-01, to: 2026-03-02 }', 'baseline: { profile: ref.profile.json, audit: validation.audit.json }');
    const r = await cli(['monitor', 'run', '--config', job.config, '--now', '2026-03-04T00:00:00Z']);
    expect([r.code, r.err]).toEqual([3, '']);
    const store = await openStore(job.store);
    try {
      const hist = await store.monitorHistory(JOB);
      const changes = hist.map((o) => findings(o).find((f) => f.metric === 'equalOpportunityDifferenceChange')!);
      const days = [1, 2, 3].map((d) => rows.filter((x) => x.ts.startsWith(`2026-03-0${d}`)));
      for (const [d, f] of changes.entries()) expect(f.value).toBeCloseTo(Math.abs(eodOf(days[d]!) - base), 10);
      // day 1 (EOD 0) moved 0.4 from the validation audit: fail; days 2 and 3 are within 0.3
      expect(changes.map((f) => f.status)).toEqual(['fail', 'pass', 'pass']);
      expect(hist.every((o) => o.runIds.drift !== undefined)).toBe(true); // the profile still drives drift
    } finally {
      await store.close();
    }

    // the profile alone: no fairness values to compare with, and every window says so
    const only = makeJob(rows);
    writeFileSync(join(only.dir, 'ref.profile.json'), readFileSync(join(job.dir, 'ref.profile.json')));
    rewrite(only.config, 'baseline: { from: 2026-03-01, to: 2026-03-02 }', 'baseline: { profile: ref.profile.json }');
    const o = await cli(['monitor', 'run', '--config', only.config, '--now', '2026-03-04T00:00:00Z']);
    expect(o.code).toBe(0);
    const lines = o.out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toContain('(maxChange not checked: the baseline has no fairness values (add baseline.audit, a fairwatch audit JSON of the validation data))');

    // an audit file that is not an audit result: exit 2 naming it
    writeFileSync(join(only.dir, 'bad.json'), JSON.stringify({ kind: 'fairwatch.drift' }));
    rewrite(only.config, 'baseline: { profile: ref.profile.json }', 'baseline: { audit: bad.json }');
    const bad = await cli(['monitor', 'run', '--config', only.config, '--window', '2026-03-01']);
    expect([bad.code, bad.err]).toEqual([2, `fairwatch: ${messages.monitorBadBaselineAudit('runMonitor', join(only.dir, 'bad.json'), 'fairwatch.drift')}\n`]);
  });
});

describe('a fixed baseline window is cached in the store', () => {
  it('is reused while its rows, labels and time span are unchanged (a value change alone is not seen), recomputed with --refresh-baseline, and recomputed on its own when a row is added', async () => {
    const rows = makeRows(3, 200, -1);
    const job = makeJob(rows); // baseline { from: 2026-03-01, to: 2026-03-02 }
    const psiX = async (...args: string[]) => {
      const r = await cli(['monitor', 'run', '--config', job.config, '--now', '2026-03-04T00:00:00Z', ...args]);
      expect(r.err).toBe('');
      const store = await openStore(job.store);
      try {
        const day2 = (await store.monitorHistory(JOB, { windowId: 'day:2026-03-02' })).at(-1)!;
        return findings(day2).find((f) => f.id === 'drift:psi:x')!.value!;
      } finally {
        await store.close();
      }
    };
    const first = await psiX();
    expect(first).toBeLessThan(0.25);
    // the baseline day's x shifted by +3, its row count, labels and time span unchanged: the cached profile is used
    const shifted = rows.map((r) => (r.ts < '2026-03-02' ? { ...r, x: r.x + 3 } : r));
    writeFileSync(join(job.dir, 'data.csv'), toCSV(shifted));
    expect(await psiX('--window', '2026-03-02')).toBe(first);
    // --refresh-baseline profiles the changed day again: day 2 now differs from it
    const refreshed = await psiX('--window', '2026-03-02', '--refresh-baseline');
    expect(refreshed).toBeGreaterThan(0.25);
    // back to the original values plus one more row on the baseline day: the count changed, so the
    // baseline is recomputed without being asked (and no longer is the shifted one)
    const extra: Row = { ...rows[0]!, id: 100_000, ts: '2026-03-01T23:59:59.000Z' };
    writeFileSync(join(job.dir, 'data.csv'), toCSV([...rows, extra].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id - b.id))));
    const recomputed = await psiX('--window', '2026-03-02');
    expect(recomputed).toBeLessThan(0.25);
    expect(recomputed).not.toBe(refreshed);
  });
});

describe('windows: rows, { previous: N } baseline, --from/--to', () => {
  it('row windows: complete blocks of N rows in time order, their time span read from the rows; new rows make the next block due', async () => {
    const rows = makeRows(2, 125, -1);
    const job = makeJob(rows);
    rewrite(job.config, 'window: day', 'window: { rows: 100 }');
    const cfg = loadMonitorConfig(job.config);
    const first = await runMonitor(cfg, { now: NOW, actor: 't' });
    expect(first.windows.map((o) => o.window.id)).toEqual(['rows:0-99', 'rows:100-199']);
    for (const [k, o] of first.windows.entries()) {
      const block = rows.slice(k * 100, k * 100 + 100); // generated in (ts, id) order
      expect([o.rows, o.labelledRows]).toEqual([100, block.filter((x) => x.y !== null).length]);
      expect([o.window.start, o.window.end]).toEqual([block[0]!.ts, new Date(Date.parse(block[99]!.ts) + 1).toISOString()]);
    }
    expect((await runMonitor(cfg, { now: NOW, actor: 't' })).windows).toEqual([]); // rows 200-249: not a full block
    writeFileSync(join(job.dir, 'data.csv'), toCSV(makeRows(3, 125, -1).slice(0, 300))); // same seed: the first 250 rows are unchanged
    const next = await runMonitor(cfg, { now: NOW, actor: 't' });
    expect(next.windows.map((o) => [o.window.id, o.version, o.rows])).toEqual([['rows:200-299', 1, 100]]);
  });

  it('{ previous: 1 } compares each day with the day before: no baseline on the first day, the drift day and the day after it drift', async () => {
    const job = makeJob(makeRows(4, 100, 2));
    rewrite(job.config, 'baseline: { from: 2026-03-01, to: 2026-03-02 }', 'baseline: { previous: 1 }');
    const r = await runMonitor(loadMonitorConfig(job.config), { now: NOW, actor: 't' });
    const psi = r.windows.map((o) => findings(o).find((f) => f.id === 'drift:psi:x')?.status ?? null);
    expect(psi).toEqual([null, 'pass', 'fail', 'fail']); // 03-04 is compared with the shifted 03-03
    expect(r.windows[0]!.notes).toContainEqual(expect.stringMatching(/^baseline 2026-02-28T00:00:00.000Z\.\.2026-03-01T00:00:00.000Z has no rows: drift not computed/));
  });

  it('--from/--to computes the complete windows in [from, to) only; a reversed range exits 2', async () => {
    const job = makeJob(makeRows(4, 100, 2));
    const r = await cli(['monitor', 'run', '--config', job.config, '--from', '2026-03-02', '--to', '2026-03-04', '--now', NOW]);
    expect(r.code).toBe(3); // 03-03 drifts
    expect(r.out.match(/day:2026-03-0\d/g)).toEqual(['day:2026-03-02', 'day:2026-03-03']);
    const bad = await cli(['monitor', 'run', '--config', job.config, '--from', '2026-03-04', '--to', '2026-03-02', '--now', NOW]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(`fairwatch: ${messages.monitorBadRange('runMonitor', '2026-03-04', '2026-03-02')}\n`);
    const store = await openStore(job.store);
    try {
      expect((await store.monitorHistory(JOB)).map((o) => o.window.id)).toEqual(['day:2026-03-02', 'day:2026-03-03']);
    } finally {
      await store.close();
    }
  });
});

describe('exit codes for schedulers (main([...]))', () => {
  it('0 when nothing failed, 3 when a finding failed, 2 for bad configuration or input, 1 for an engine error mid-run', async () => {
    const calm = makeJob(makeRows(3, 200, -1));
    expect((await cli(['monitor', 'run', '--config', calm.config, '--now', '2026-03-04T00:00:00Z'])).code).toBe(0);
    const drift = makeJob(makeRows(3, 200, 1));
    expect((await cli(['monitor', 'run', '--config', drift.config, '--now', '2026-03-04T00:00:00Z'])).code).toBe(3);
    const missing = await cli(['monitor', 'run', '--config', join(calm.dir, 'nope.yaml')]);
    expect([missing.code, missing.err]).toEqual([2, `fairwatch: ${messages.monitorConfigNotFound('loadMonitorConfig', join(calm.dir, 'nope.yaml'))}\n`]);
    expect((await cli(['monitor', 'run', '--config', calm.config, '--window', 'yesterday'])).code).toBe(2);
    // an engine error in the second window: the first is recorded, the run ends with exit 1 and releases its lock
    const broken = makeJob(makeRows(3, 50, -1));
    rewrite(
      broken.config,
      'source: { engine: duckdb, file: data.csv }',
      `source: { engine: duckdb, query: "SELECT id, ts, sex, y, p, CASE WHEN ts >= TIMESTAMP '2026-03-02' THEN CAST(error('broken row') AS DOUBLE) ELSE x END AS x, region FROM read_csv('${join(broken.dir, 'data.csv')}')" }`,
    );
    const r = await cli(['monitor', 'run', '--config', broken.config, '--from', '2026-03-01', '--to', '2026-03-03', '--now', '2026-03-04T00:00:00Z']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/broken row/);
    // the window stored before the error is printed (lines appear as windows are committed)
    expect(r.out.split('\n').filter(Boolean)).toEqual([expect.stringMatching(new RegExp(`^${JOB}  day:2026-03-01  v1  `))]);
    const store = await openStore(broken.store);
    try {
      expect((await store.monitorHistory(JOB)).map((o) => o.window.id)).toEqual(['day:2026-03-01']);
      expect(await store.monitorLocks()).toEqual([]);
    } finally {
      await store.close();
    }
    // an engine that cannot be reached: exit 1, and the job's lock is released (not left for 6 h)
    const down = makeJob(makeRows(1, 10, -1));
    rewrite(down.config, 'source: { engine: duckdb, file: data.csv }', 'source: { engine: postgres, url: "postgres://fw@127.0.0.1:1/none", table: preds }');
    rewrite(down.config, 'baseline: { from: 2026-03-01, to: 2026-03-02 }', 'baseline: { profile: ref.profile.json }');
    expect((await cli(['monitor', 'run', '--config', down.config, '--now', NOW])).code).toBe(1);
    const downStore = await openStore(down.store);
    try {
      expect(await downStore.monitorLocks()).toEqual([]);
    } finally {
      await downStore.close();
    }
  });
});
