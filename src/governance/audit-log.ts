/**
 * The hash-chained audit trail (DESIGN.md, "Governance model"): an append-only file of JSON lines,
 * one {@link AuditEvent} per line, each carrying `prev` = sha256 of the previous line's exact text
 * (64 zeros for the first line) and a 1-based `seq`. {@link verifyAuditLog} reports the first
 * edited, removed or reordered line.
 *
 * How appends stay safe:
 * - **Concurrent writers.** An append takes an exclusive lock file `<log>.lock`, created with
 *   `open(..., 'wx')` (fails if it exists) and holding `{ pid, host, time }`. Waiters retry every
 *   5–25 ms up to `lockTimeoutMs` (10 s), then throw `EngineError` `messages.auditLogLocked`. A
 *   lock is stale when its process is gone (same host, `kill(pid, 0)` fails with ESRCH) or it is
 *   older than `staleLockMs` (60 s; an append takes milliseconds); a stale lock is broken under a
 *   second lock (`<log>.lock.break`, itself stale after 10 s) so that two waiters never both
 *   break it. Under the lock the writer reads the last line, so two processes never chain to the
 *   same `prev`.
 * - **Durability.** The line and its newline go out in one `write` on an `O_APPEND` handle, then
 *   `fsync`; a new log's folder is fsync'd too. After each append the head anchor `<log>.head`
 *   (`{ seq, sha256 }` of the last line) is replaced atomically; verify uses it to notice an
 *   edited last line or removed trailing lines, which a chain alone cannot see.
 * - **Half lines.** A crash mid-write can leave a last line without its newline. Verify reports it
 *   (`partial-line`); the next append **refuses** (`messages.auditLogPartialLine`) instead of
 *   guessing, and {@link repairAuditLog} (`fairwatch log repair`) explicitly moves the partial bytes
 *   to `<log>.partial-<time>` and truncates the log to its last complete line.
 *
 * The chain shows tampering by anyone who does not rewrite every later line and the head anchor
 * too; against that, anchor the digest elsewhere (the evidence pack signs it).
 *
 * @example
 * ```ts
 * await appendAuditEvent('.fairwatch/audit.log.jsonl', { action: 'risk.update', inputs: { entry: digest } });
 * const v = await verifyAuditLog('.fairwatch/audit.log.jsonl');
 * v.ok;    // true
 * v.lines; // 1
 * ```
 */
import { hostname, userInfo } from 'node:os';
import { mkdir, open, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EngineError, messages } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { canonicalJSON, sha256Hex, ZERO_DIGEST } from './digest.js';
import type { AuditEvent } from './types.js';
import { fsyncDir } from '../io/atomic.js';

/** What a caller gives to append: `seq`, `prev` are computed; time and actor have defaults. */
export interface AuditInput {
  action: string;
  inputs?: Record<string, string>;
  outputs?: Record<string, string>;
  details?: Record<string, unknown>;
  /** Default {@link defaultActor}(). */
  actor?: string;
  /** ISO-8601; default now. */
  time?: string;
}

/** Lock tuning for {@link appendAuditEvent}. */
export interface AuditAppendOptions {
  /** How long to wait for the lock before giving up (default 10,000 ms). */
  lockTimeoutMs?: number;
  /** A lock older than this is stale (default 60,000 ms). */
  staleLockMs?: number;
}

/**
 * The kinds of problem {@link verifyAuditLines} reports.
 *
 * @example
 * ```ts
 * AUDIT_PROBLEMS.includes(verifyAuditText(text).problem!.kind); // true
 * ```
 */
export const AUDIT_PROBLEMS = ['malformed', 'hash-mismatch', 'seq-gap', 'seq-out-of-order', 'partial-line', 'truncated'] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEMS)[number];

/** The first problem of a log: where (1-based line), what, and a sentence from the catalogue. */
export interface AuditProblem {
  line: number;
  kind: AuditProblemKind;
  message: string;
}

/** Result of verifying a log. */
export interface AuditVerification {
  ok: boolean;
  /** Complete lines read. */
  lines: number;
  /** seq of the last complete, parseable line (0 when empty). */
  lastSeq: number;
  /** sha256 of the last complete line's text (64 zeros when empty). */
  head: string;
  /** The first problem, when not ok. */
  problem?: AuditProblem;
}

/** The head anchor written after every append. */
export interface AuditHead {
  seq: number;
  sha256: string;
}

/**
 * The actor recorded when none is given: `FAIRWATCH_ACTOR`, else the OS user name, else 'unknown'.
 *
 * @example
 * ```ts
 * process.env.FAIRWATCH_ACTOR = 'alice@example.org';
 * defaultActor(); // 'alice@example.org'
 * ```
 */
export function defaultActor(): string {
  const env = process.env.FAIRWATCH_ACTOR?.trim();
  if (env) return env;
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry (some containers)
  }
  return process.env.USER || process.env.USERNAME || 'unknown';
}

/**
 * The exact text (without newline) of the audit line that follows `prevLine` (null for the first
 * line): canonical JSON of the event with `seq` = previous seq + 1 and `prev` = sha256(prevLine).
 * Pure; the file and PostgreSQL logs both build their lines here.
 *
 * @example
 * ```ts
 * const first = nextAuditLine(null, { action: 'policy.load', actor: 'ann', time: '2026-01-01T00:00:00.000Z' });
 * JSON.parse(first.text).prev; // '0000…0000' (64 zeros)
 * const second = nextAuditLine(first.text, { action: 'audit.run', actor: 'ann', time: '2026-01-01T00:01:00.000Z' });
 * second.event.seq;                              // 2
 * second.event.prev === sha256Hex(first.text);  // true
 * ```
 */
export function nextAuditLine(prevLine: string | null, input: AuditInput): { text: string; event: AuditEvent } {
  let seq = 1;
  if (prevLine !== null) {
    const parsed = parseEvent(prevLine);
    if (typeof parsed === 'string') throw new EngineError(messages.auditLogBadTail('nextAuditLine', '(log)', 0, parsed), 'auditLogBadTail');
    seq = parsed.seq + 1;
  }
  const event: AuditEvent = {
    seq,
    time: input.time ?? new Date().toISOString(),
    actor: input.actor ?? defaultActor(),
    action: input.action,
    inputs: { ...(input.inputs ?? {}) },
    outputs: { ...(input.outputs ?? {}) },
    prev: prevLine === null ? ZERO_DIGEST : sha256Hex(prevLine),
  };
  if (input.details !== undefined) event.details = input.details;
  const text = canonicalJSON(event);
  return { text, event };
}

/**
 * Append one event to the log at `path` (created with its folder if missing), under the lock
 * described in the module comment; returns the event as written.
 *
 * @example
 * ```ts
 * const e = await appendAuditEvent('/tmp/log.jsonl', { action: 'risk.update', actor: 'bob', inputs: { entry: 'ab12…' } });
 * e.seq;  // 1 for a new log
 * e.prev; // 64 zeros
 * ```
 */
export async function appendAuditEvent(path: string, input: AuditInput, options: AuditAppendOptions = {}): Promise<AuditEvent> {
  const fn = 'appendAuditEvent';
  await mkdir(dirname(path), { recursive: true });
  const release = await acquireLock(path, fn, options);
  try {
    const tail = await readTail(path);
    if (tail.partialBytes > 0) throw new EngineError(messages.auditLogPartialLine(fn, path, tail.partialBytes), 'auditLogPartialLine', { path });
    if (tail.lastLine !== null) {
      const parsed = parseEvent(tail.lastLine);
      if (typeof parsed === 'string') {
        const lines = (await readFile(path, 'utf8')).split('\n').length - 1;
        throw new EngineError(messages.auditLogBadTail(fn, path, lines, parsed), 'auditLogBadTail', { path });
      }
    }
    const next = nextAuditLine(tail.lastLine, input);
    const created = tail.size === 0;
    const fh = await open(path, 'a');
    try {
      await fh.write(next.text + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (created) await fsyncDir(dirname(path));
    await writeFileAtomic(headPath(path), JSON.stringify({ seq: next.event.seq, sha256: sha256Hex(next.text) } satisfies AuditHead) + '\n');
    return next.event;
  } finally {
    await release();
  }
}

/**
 * Check a whole log file; the first problem (see {@link verifyAuditLines}), then the head anchor
 * `<log>.head` when present. A missing log verifies as empty (ok, 0 lines) unless a head anchor
 * says lines existed.
 *
 * @example
 * ```ts
 * const v = await verifyAuditLog('.fairwatch/audit.log.jsonl');
 * v.ok ? 'intact' : `${v.problem!.kind} at line ${v.problem!.line}: ${v.problem!.message}`;
 * ```
 */
export async function verifyAuditLog(path: string): Promise<AuditVerification> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let head: AuditHead | undefined;
  try {
    const h = JSON.parse(await readFile(headPath(path), 'utf8')) as AuditHead;
    if (Number.isInteger(h.seq) && typeof h.sha256 === 'string') head = h;
  } catch {
    head = undefined;
  }
  return verifyAuditText(text, head);
}

/**
 * Verify a log given as text (lines separated by '\n'; a last line without '\n' is partial), and
 * optionally its head anchor. See {@link verifyAuditLines}.
 *
 * @example
 * ```ts
 * const a = nextAuditLine(null, { action: 'x', actor: 'a', time: 't' }).text;
 * verifyAuditText(a + '\n').ok;       // true
 * verifyAuditText(a).problem!.kind;   // 'partial-line'
 * ```
 */
export function verifyAuditText(text: string, head?: AuditHead): AuditVerification {
  if (text === '') return verifyAuditLines([], { head });
  const parts = text.split('\n');
  const last = parts.pop()!; // '' when the text ends with '\n'
  return verifyAuditLines(parts, { partial: last === '' ? undefined : last, head });
}

/**
 * Verify complete lines in order and report the FIRST problem by line number:
 * - `malformed`: not JSON, or not an audit event (missing seq/prev/...);
 * - `seq-gap`: seq jumps forward and the missing seqs appear nowhere later (lines removed);
 * - `seq-out-of-order`: seq is not previous + 1 and the expected seq appears elsewhere (reordered);
 * - `hash-mismatch`: `prev` of line i+1 ≠ sha256(line i): line i was edited (reported at line i);
 *   also a first line whose prev is not 64 zeros;
 * - `partial-line`: trailing bytes without a newline (`options.partial`);
 * - with a head anchor: `truncated` (the log ends before the anchored seq) or `hash-mismatch` (the
 *   anchored line differs, e.g. the last line was edited).
 *
 * @example
 * ```ts
 * const l1 = nextAuditLine(null, { action: 'a', actor: 'x', time: 't1' }).text;
 * const l2 = nextAuditLine(l1, { action: 'b', actor: 'x', time: 't2' }).text;
 * const l3 = nextAuditLine(l2, { action: 'c', actor: 'x', time: 't3' }).text;
 * verifyAuditLines([l1, l2, l3]).ok;                                        // true
 * verifyAuditLines([l1, l2.replace('"b"', '"B"'), l3]).problem;             // { line: 2, kind: 'hash-mismatch', ... }
 * verifyAuditLines([l1, l3]).problem!.kind;                                 // 'seq-gap'
 * verifyAuditLines([l1, l3, l2]).problem!.kind;                             // 'seq-out-of-order'
 * ```
 */
export function verifyAuditLines(lines: readonly string[], options: { partial?: string | undefined; head?: AuditHead | undefined } = {}): AuditVerification {
  const parsed = lines.map((l) => parseEvent(l));
  const seqs = parsed.map((p) => (typeof p === 'string' ? NaN : p.seq));
  const fail = (line: number, kind: AuditProblemKind, message: string): AuditVerification => ({
    ok: false,
    lines: lines.length,
    lastSeq: lastGood(parsed),
    head: lines.length ? sha256Hex(lines[lines.length - 1]!) : ZERO_DIGEST,
    problem: { line, kind, message },
  });
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const p = parsed[i]!;
    if (typeof p === 'string') return fail(line, 'malformed', messages.auditMalformed(line, p));
    const expected = i === 0 ? 1 : seqs[i - 1]! + 1;
    if (p.seq !== expected) {
      // Is the expected seq (or, for a jump back, this seq's rightful place) somewhere else?
      const elsewhere = p.seq < expected || seqs.some((s, j) => j > i && s >= expected && s < p.seq);
      return elsewhere
        ? fail(line, 'seq-out-of-order', messages.auditReordered(line, expected, p.seq))
        : fail(line, 'seq-gap', messages.auditSeqGap(line, expected, p.seq));
    }
    if (i === 0) {
      if (p.prev !== ZERO_DIGEST) return fail(line, 'hash-mismatch', messages.auditFirstPrev(line));
    } else if (p.prev !== sha256Hex(lines[i - 1]!)) {
      return fail(line - 1, 'hash-mismatch', messages.auditEdited(line - 1, line));
    }
  }
  if (options.partial !== undefined) {
    const bytes = Buffer.byteLength(options.partial, 'utf8');
    return fail(lines.length + 1, 'partial-line', messages.auditPartialLine(lines.length + 1, bytes));
  }
  const lastSeq = lastGood(parsed);
  const head = options.head;
  if (head && head.seq > 0) {
    if (lastSeq < head.seq) return fail(lines.length, 'truncated', messages.auditTruncated(lastSeq, head.seq));
    const index = seqs.indexOf(head.seq);
    if (index >= 0 && sha256Hex(lines[index]!) !== head.sha256) return fail(index + 1, 'hash-mismatch', messages.auditHeadMismatch(index + 1, head.seq));
  }
  return { ok: true, lines: lines.length, lastSeq, head: lines.length ? sha256Hex(lines[lines.length - 1]!) : ZERO_DIGEST };
}

/**
 * Explicit repair of an interrupted append: when the log ends with a partial line, move those
 * bytes to `<log>.partial-<time>` and truncate the log to its last complete line (under the
 * append lock). Returns the number of bytes moved (0 when there was nothing to repair). Edited or
 * reordered lines are never "repaired": they are evidence.
 *
 * @example
 * ```ts
 * await repairAuditLog('.fairwatch/audit.log.jsonl'); // { removedBytes: 37, savedTo: '.fairwatch/audit.log.jsonl.partial-2026…' }
 * ```
 */
export async function repairAuditLog(path: string, options: AuditAppendOptions = {}): Promise<{ removedBytes: number; savedTo?: string }> {
  const release = await acquireLock(path, 'repairAuditLog', options);
  try {
    const tail = await readTail(path);
    if (tail.partialBytes === 0) return { removedBytes: 0 };
    const keep = tail.size - tail.partialBytes;
    const fh = await open(path, 'r');
    const buf = Buffer.alloc(tail.partialBytes);
    try {
      await fh.read(buf, 0, tail.partialBytes, keep);
    } finally {
      await fh.close();
    }
    const savedTo = `${path}.partial-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await writeFileAtomic(savedTo, buf);
    await truncate(path, keep);
    const fh2 = await open(path, 'r+');
    try {
      await fh2.sync();
    } finally {
      await fh2.close();
    }
    return { removedBytes: tail.partialBytes, savedTo };
  } finally {
    await release();
  }
}

// ---------------------------------------------------------------------------------------------
// internals

function headPath(path: string): string {
  return `${path}.head`;
}

function lastGood(parsed: readonly (AuditEvent | string)[]): number {
  for (let i = parsed.length - 1; i >= 0; i--) {
    const p = parsed[i]!;
    if (typeof p !== 'string') return p.seq;
  }
  return 0;
}

/** The event on a line, or why it is not one. */
function parseEvent(line: string): AuditEvent | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (!Number.isInteger(o.seq) || (o.seq as number) < 1) return `seq ${JSON.stringify(o.seq)} is not a positive integer`;
  if (typeof o.prev !== 'string' || !/^[0-9a-f]{64}$/.test(o.prev)) return 'prev is not a sha256 hex digest';
  for (const k of ['time', 'actor', 'action'] as const) if (typeof o[k] !== 'string') return `${k} is not a string`;
  for (const k of ['inputs', 'outputs'] as const) if (o[k] === null || typeof o[k] !== 'object') return `${k} is not an object`;
  return o as unknown as AuditEvent;
}

/** The log's size, its last complete line's text, how many complete lines, and partial bytes. */
async function readTail(path: string): Promise<{ size: number; lastLine: string | null; partialBytes: number }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, lastLine: null, partialBytes: 0 };
    throw e;
  }
  if (size === 0) return { size: 0, lastLine: null, partialBytes: 0 };
  // Read backwards in chunks until the newline that starts the last complete line is found.
  const fh = await open(path, 'r');
  try {
    let pos = size;
    let newlines: number[] = [];
    let all: Buffer = Buffer.alloc(0);
    while (pos > 0) {
      const n = Math.min(65536, pos);
      pos -= n;
      const b = Buffer.alloc(n);
      await fh.read(b, 0, n, pos);
      all = Buffer.concat([b, all]);
      newlines = [];
      for (let i = 0; i < all.length; i++) if (all[i] === 0x0a) newlines.push(i);
      // need: the newline ending the last complete line, and the one before it (or the file start)
      if (newlines.length >= 2) break;
    }
    const lastNl = newlines.length ? newlines[newlines.length - 1]! : -1;
    const partialBytes = all.length - 1 - lastNl;
    if (lastNl < 0) return { size, lastLine: null, partialBytes };
    const start = newlines.length >= 2 ? newlines[newlines.length - 2]! + 1 : 0;
    const lastLine = all.subarray(start, lastNl).toString('utf8');
    return { size, lastLine, partialBytes };
  } finally {
    await fh.close();
  }
}


const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface LockInfo {
  pid: number;
  host: string;
  time: string;
  token: string;
}

/** Take `<path>.lock` (see the module comment); resolves to the release function. */
async function acquireLock(path: string, fn: string, options: AuditAppendOptions): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`;
  const timeout = options.lockTimeoutMs ?? 10_000;
  const staleMs = options.staleLockMs ?? 60_000;
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const info: LockInfo = { pid: process.pid, host: hostname(), time: new Date().toISOString(), token };
  const started = Date.now();
  let holder = 'unknown';
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx');
      try {
        await fh.write(JSON.stringify(info));
      } finally {
        await fh.close();
      }
      return async () => {
        // remove only our own lock
        try {
          const cur = JSON.parse(await readFile(lockPath, 'utf8')) as LockInfo;
          if (cur.token === token) await rm(lockPath, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const current = await readLock(lockPath);
    holder = current.info ? `pid ${current.info.pid} on ${current.info.host} since ${current.info.time}` : 'an unreadable lock file';
    if (isStale(current, staleMs)) await breakLock(lockPath, current.raw, staleMs);
    else if (Date.now() - started > timeout) {
      throw new EngineError(messages.auditLogLocked(fn, path, Date.now() - started, holder), 'auditLogLocked', { path });
    } else await sleep(5 + Math.random() * 20);
  }
}

async function readLock(lockPath: string): Promise<{ raw: string | null; info: LockInfo | null; mtimeMs: number }> {
  try {
    const [raw, st] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    let info: LockInfo | null = null;
    try {
      info = JSON.parse(raw) as LockInfo;
    } catch {
      info = null; // being written right now, or garbage
    }
    return { raw, info, mtimeMs: st.mtimeMs };
  } catch {
    return { raw: null, info: null, mtimeMs: Date.now() };
  }
}

function isStale(lock: { raw: string | null; info: LockInfo | null; mtimeMs: number }, staleMs: number): boolean {
  if (lock.raw === null) return false; // gone: just retry
  if (Date.now() - lock.mtimeMs > staleMs) return true;
  if (lock.info && lock.info.host === hostname() && lock.info.pid !== process.pid) {
    try {
      process.kill(lock.info.pid, 0);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return false;
}

/** Remove a stale lock whose content is still `raw`, under `<lock>.break`. */
async function breakLock(lockPath: string, raw: string | null, staleMs: number): Promise<void> {
  const breakPath = `${lockPath}.break`;
  try {
    const fh = await open(breakPath, 'wx');
    await fh.close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      const st = await stat(breakPath);
      if (Date.now() - st.mtimeMs > Math.min(10_000, staleMs)) await rm(breakPath, { force: true });
    } catch {
      // gone
    }
    await sleep(5);
    return;
  }
  try {
    const again = await readLock(lockPath);
    if (again.raw === raw && raw !== null) {
      const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`;
      await rename(lockPath, aside);
      await rm(aside, { force: true });
    }
  } finally {
    await rm(breakPath, { force: true });
  }
}
