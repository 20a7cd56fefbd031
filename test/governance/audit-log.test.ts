import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EngineError, messages } from '../../src/errors.js';
import { appendAuditEvent, defaultActor, nextAuditLine, repairAuditLog, verifyAuditLog, verifyAuditText } from '../../src/governance/audit-log.js';
import { sha256Hex, ZERO_DIGEST } from '../../src/governance/digest.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-audit-'));
  log = join(dir, 'audit.log.jsonl');
});

async function writeFive(): Promise<string[]> {
  for (let i = 1; i <= 5; i++) {
    await appendAuditEvent(log, { action: `test.${i}`, actor: 'tester', time: `2026-01-0${i}T00:00:00.000Z`, inputs: { data: sha256Hex(String(i)) } });
  }
  return readFileSync(log, 'utf8').split('\n').slice(0, -1);
}

const lines = () => readFileSync(log, 'utf8');
const setLines = (ls: string[]) => writeFileSync(log, ls.map((l) => l + '\n').join(''));

describe('appendAuditEvent', () => {
  it('appendAuditEvent(path, input) chains seq 1..n with prev = sha256 of the previous line text (64 zeros first)', async () => {
    const ls = await writeFive();
    expect(ls).toHaveLength(5);
    const events = ls.map((l) => JSON.parse(l));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0].prev).toBe(ZERO_DIGEST);
    for (let i = 1; i < 5; i++) expect(events[i].prev).toBe(sha256Hex(ls[i - 1]!));
    expect(events[2]).toMatchObject({ action: 'test.3', actor: 'tester', time: '2026-01-03T00:00:00.000Z', inputs: { data: sha256Hex('3') }, outputs: {} });
    expect(JSON.parse(readFileSync(log + '.head', 'utf8'))).toEqual({ seq: 5, sha256: sha256Hex(ls[4]!) });
    expect(await verifyAuditLog(log)).toEqual({ ok: true, lines: 5, lastSeq: 5, head: sha256Hex(ls[4]!) });
    expect(existsSync(log + '.lock')).toBe(false);
  });

  it('appendAuditEvent(path) from 20 concurrent calls in one process keeps one chain of 20 lines', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEvent(log, { action: 'p', actor: 'x', details: { i } })));
    const v = await verifyAuditLog(log);
    expect(v).toMatchObject({ ok: true, lines: 20, lastSeq: 20 });
    const seen = lines().split('\n').slice(0, -1).map((l) => JSON.parse(l).details.i).sort((a: number, b: number) => a - b);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('defaultActor() reads FAIRWATCH_ACTOR, and the actor defaults to it', async () => {
    const old = process.env.FAIRWATCH_ACTOR;
    process.env.FAIRWATCH_ACTOR = 'auditor@example.org';
    try {
      expect(defaultActor()).toBe('auditor@example.org');
      const e = await appendAuditEvent(log, { action: 'a' });
      expect(e.actor).toBe('auditor@example.org');
    } finally {
      if (old === undefined) delete process.env.FAIRWATCH_ACTOR;
      else process.env.FAIRWATCH_ACTOR = old;
    }
  });

  it('appendAuditEvent(path) breaks a stale lock left by a dead process and times out on a live one', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    writeFileSync(log + '.lock', JSON.stringify({ pid: deadPid, host: hostname(), time: new Date().toISOString(), token: 'dead' }));
    await appendAuditEvent(log, { action: 'after-stale', actor: 'x' });
    expect(existsSync(log + '.lock')).toBe(false);
    // a live holder (this very process, a different token): wait, then a clear error
    writeFileSync(log + '.lock', JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString(), token: 'live' }));
    const err = await appendAuditEvent(log, { action: 'blocked', actor: 'x' }, { lockTimeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('auditLogLocked');
    expect((err as Error).message).toMatch(/^appendAuditEvent: the audit log .* stayed locked for \d+ ms \(lock held by pid \d+ on /);
    expect(lines().split('\n')).toHaveLength(2); // one line + ''
  });
});

describe('verifyAuditLog on tampered files', () => {
  it('verifyAuditLog(path) reports an edited middle line at its own line number (hash mismatch)', async () => {
    const ls = await writeFive();
    ls[2] = ls[2]!.replace('"actor":"tester"', '"actor":"mallory"');
    setLines(ls);
    const v = await verifyAuditLog(log);
    expect(v.ok).toBe(false);
    expect(v.problem).toEqual({ line: 3, kind: 'hash-mismatch', message: messages.auditEdited(3, 4) });
  });

  it('verifyAuditLog(path) reports a removed line as a seq gap at the line that follows it', async () => {
    const ls = await writeFive();
    ls.splice(2, 1);
    setLines(ls);
    expect((await verifyAuditLog(log)).problem).toEqual({ line: 3, kind: 'seq-gap', message: messages.auditSeqGap(3, 3, 4) });
  });

  it('verifyAuditLog(path) reports swapped lines as out of order at the first moved line', async () => {
    const ls = await writeFive();
    [ls[1], ls[2]] = [ls[2]!, ls[1]!];
    setLines(ls);
    expect((await verifyAuditLog(log)).problem).toEqual({ line: 2, kind: 'seq-out-of-order', message: messages.auditReordered(2, 2, 3) });
  });

  it('verifyAuditLog(path) reports a last line cut short as partial-line', async () => {
    const ls = await writeFive();
    const text = lines();
    writeFileSync(log, text.slice(0, text.length - 1 - Math.floor(ls[4]!.length / 2)));
    const v = await verifyAuditLog(log);
    expect(v).toMatchObject({ ok: false, lines: 4, lastSeq: 4 });
    expect(v.problem).toEqual({ line: 5, kind: 'partial-line', message: messages.auditPartialLine(5, ls[4]!.length - Math.floor(ls[4]!.length / 2)) });
  });

  it('verifyAuditLog(path) catches a removed or edited last line through the head anchor', async () => {
    const ls = await writeFive();
    setLines(ls.slice(0, 4));
    expect((await verifyAuditLog(log)).problem).toEqual({ line: 4, kind: 'truncated', message: messages.auditTruncated(4, 5) });
    setLines([...ls.slice(0, 4), ls[4]!.replace('test.5', 'test.X')]);
    expect((await verifyAuditLog(log)).problem).toEqual({ line: 5, kind: 'hash-mismatch', message: messages.auditHeadMismatch(5, 5) });
  });

  it('verifyAuditLog(path) reports a line that is not JSON as malformed, and the first problem wins', async () => {
    const ls = await writeFive();
    ls[1] = '{"seq": 2, oops';
    ls.splice(3, 1); // a later removal is not reported first
    setLines(ls);
    const v = await verifyAuditLog(log);
    expect(v.problem?.line).toBe(2);
    expect(v.problem?.kind).toBe('malformed');
  });

  it('verifyAuditText(text) of a missing or empty log is ok with 0 lines', async () => {
    expect(await verifyAuditLog(join(dir, 'none.jsonl'))).toEqual({ ok: true, lines: 0, lastSeq: 0, head: ZERO_DIGEST });
    expect(verifyAuditText('')).toEqual({ ok: true, lines: 0, lastSeq: 0, head: ZERO_DIGEST });
    const first = nextAuditLine(null, { action: 'a', actor: 'b', time: 't' }).text;
    expect(verifyAuditText(first + '\n').ok).toBe(true);
  });
});

describe('interrupted appends', () => {
  it('appendAuditEvent(path) refuses to append after a partial line; repairAuditLog moves it aside, then appends chain on', async () => {
    const ls = await writeFive();
    const partial = '{"action":"crash","actor":"x","inp';
    appendFileSync(log, partial); // a crash in the middle of writing line 6
    const err = await appendAuditEvent(log, { action: 'next', actor: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toBe(messages.auditLogPartialLine('appendAuditEvent', log, partial.length));
    const r = await repairAuditLog(log);
    expect(r.removedBytes).toBe(partial.length);
    expect(readFileSync(r.savedTo!, 'utf8')).toBe(partial);
    expect(lines()).toBe(ls.map((l) => l + '\n').join(''));
    const e = await appendAuditEvent(log, { action: 'next', actor: 'x' });
    expect(e.seq).toBe(6);
    expect(await verifyAuditLog(log)).toMatchObject({ ok: true, lines: 6 });
    expect(await repairAuditLog(log)).toEqual({ removedBytes: 0 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });
});
