import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { messages } from '../../src/errors.js';
import { applyFindings } from '../../src/governance/risk.js';
import type { RiskEntry } from '../../src/governance/types.js';
import { openStore } from '../../src/store/index.js';
import { diFinding, doc } from './risk-fixtures.js';
import { capture } from '../cli/capture.js';


let dir: string;
let entry: RiskEntry;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-cli-risk-'));
  const store = await openStore(dir);
  [entry] = (await store.modifyRisks((latest) => applyFindings(latest, doc([diFinding('fail', 0.62)]), { runId: 'run-1', actor: 'ci', now: '2026-03-01T00:00:00Z' }))) as [RiskEntry];
  await store.close();
});

describe('fairwatch risk', () => {
  it('fairwatch risk list --format json prints the latest versions; --status filters', async () => {
    let io = capture();
    expect(await main(['risk', 'list', '--store', dir, '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out).entries).toEqual([entry]);
    io = capture();
    expect(await main(['risk', 'list', '--store', dir, '--status', 'closed', '--format', 'csv'], io)).toBe(0);
    expect(io.out.split('\r\n').filter(Boolean)).toHaveLength(1); // header only
  });

  it('fairwatch risk update appends a version and an audit line; risk show prints the full history', async () => {
    let io = capture();
    const code = await main(['risk', 'update', entry.id, '--store', dir, '--status', 'closed', '--residual', '1,4', '--note', 'retrained', '--by', 'ann', '--format', 'json'], io);
    expect(code, io.err).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ version: 2, status: 'closed', changedBy: 'ann', residual: { likelihood: 1, severity: 4, level: 'low' } });
    io = capture();
    expect(await main(['risk', 'show', entry.id, '--store', dir, '--format', 'json'], io)).toBe(0);
    const shown = JSON.parse(io.out);
    expect(shown.history.map((e: RiskEntry) => [e.version, e.status, e.changedBy])).toEqual([[1, 'open', 'ci'], [2, 'closed', 'ann']]);
    const log = readFileSync(join(dir, 'audit.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ seq: 1, actor: 'ann', action: 'risk.update', details: { id: entry.id, version: 2, status: 'closed' } });
  });

  it('fairwatch risk update with a bad status or an unknown id exits 2 with the catalogue message', async () => {
    let io = capture();
    expect(await main(['risk', 'update', entry.id, '--store', dir, '--status', 'done', '--by', 'ann'], io)).toBe(2);
    expect(io.err).toBe(`fairwatch: ${messages.badOption('risk update', '--status', 'done', 'one of open, treating, monitoring, accepted, closed')}\n`);
    io = capture();
    expect(await main(['risk', 'show', 'R-000000000000', '--store', dir], io)).toBe(2);
    expect(io.err).toBe(`fairwatch: ${messages.riskNotFound('risk show', 'R-000000000000')}\n`);
    io = capture();
    expect(await main(['risk', 'update', 'R-000000000000', '--store', dir, '--note', 'x', '--by', 'ann'], io)).toBe(2);
  });

  it('fairwatch risk export --format csv --out writes the file atomically and logs its sha256', async () => {
    const out = join(dir, 'evidence', 'risks.csv');
    const io = capture();
    expect(await main(['risk', 'export', '--store', dir, '--format', 'csv', '--out', out], io)).toBe(0);
    expect(existsSync(out)).toBe(true);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n')[1]!.startsWith(entry.id + ',1,')).toBe(true);
    const [line] = readFileSync(join(dir, 'audit.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const { createHash } = await import('node:crypto');
    expect(line.outputs).toEqual({ 'risks.csv': createHash('sha256').update(text).digest('hex') });
  });
});

describe('fairwatch log', () => {
  it('fairwatch log verify exits 0 on an intact log and 3 on an edited one', async () => {
    for (const note of ['a', 'b', 'c']) await main(['risk', 'update', entry.id, '--store', dir, '--note', note, '--by', 'ann'], capture());
    let io = capture();
    expect(await main(['log', 'verify', '--store', dir], io)).toBe(0);
    expect(io.out).toMatch(/: 3 lines, intact/);
    const path = join(dir, 'audit.log.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"actor":"ann"', '"actor":"eve"'));
    io = capture();
    expect(await main(['log', 'verify', '--store', dir, '--format', 'json'], io)).toBe(3);
    expect(JSON.parse(io.out).problem).toMatchObject({ line: 1, kind: 'hash-mismatch' });
  });

  it('fairwatch log repair moves a partial last line aside and logs the repair', async () => {
    await main(['risk', 'update', entry.id, '--store', dir, '--note', 'a', '--by', 'ann'], capture());
    const path = join(dir, 'audit.log.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8') + '{"half');
    expect(await main(['log', 'verify', '--store', dir], capture())).toBe(3);
    const io = capture();
    expect(await main(['log', 'repair', '--store', dir], io)).toBe(0);
    expect(io.out).toMatch(/^moved 6 partial bytes to /);
    expect(await main(['log', 'verify', '--store', dir], capture())).toBe(0);
  });
});
