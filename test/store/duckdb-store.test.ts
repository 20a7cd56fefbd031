import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EngineError, messages } from '../../src/errors.js';
import { applyFindings, updateEntry } from '../../src/governance/risk.js';
import { DuckDBStore, openStore, resolveStoreLocation } from '../../src/store/index.js';
import { diFinding, doc } from '../governance/risk-fixtures.js';
import { runWriters } from './concurrency.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-store-'));
});

describe('DuckDBStore', () => {
  it('recordRunWithRisks(run, apply) writes run, findings and risk versions in one transaction; a second call with the same id returns them', async () => {
    const store = await openStore(dir);
    const d = doc([diFinding('fail', 0.62)]);
    const run = { id: 'run-1', kind: 'audit', time: '2026-03-01T00:00:00Z', actor: 'ci', resultDigest: 'c'.repeat(64), result: { rows: 8 }, findings: d };
    const apply = (latest: Parameters<typeof applyFindings>[0]) => applyFindings(latest, d, { runId: 'run-1', actor: 'ci', now: '2026-03-01T00:00:00Z' });
    const first = await store.recordRunWithRisks(run, apply);
    expect(first.existing).toBe(false);
    expect(first.versions.map((v) => [v.version, v.status])).toEqual([[1, 'open']]);
    const again = await store.recordRunWithRisks(run, () => {
      throw new Error('apply must not run for a stored run');
    });
    expect(again).toEqual({ run: first.run, versions: first.versions, existing: true });
    // the same id for another result is refused
    const err = await store.recordRunWithRisks({ ...run, resultDigest: 'e'.repeat(64) }, apply).catch((e: unknown) => e);
    expect((err as Error).message).toBe(messages.runIdConflict('Store.recordRunWithRisks', 'run-1', 'c'.repeat(64), 'e'.repeat(64)));
    // a failure inside apply rolls the run back too
    const failed = await store.recordRunWithRisks({ ...run, id: 'run-2' }, () => {
      throw new Error('boom');
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(EngineError);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['run-1']);
    expect(await store.findings()).toHaveLength(1);
    await store.close();
  });

  it('readAudit() returns the events of the log file in order and skips a partial last line', async () => {
    const store = await openStore(dir);
    expect(await store.readAudit()).toEqual([]);
    const a = await store.appendAudit({ action: 'a', actor: 'x' });
    const b = await store.appendAudit({ action: 'b', actor: 'x' });
    const { appendFileSync } = await import('node:fs');
    appendFileSync(store.auditLocation, '{"seq":3,');
    expect(await store.readAudit()).toEqual([a, b]);
    await store.close();
  });

  it('openStore(folder) creates store.duckdb and keeps the audit log beside it; FAIRWATCH_STORE is the default', async () => {
    const store = await openStore(join(dir, 'fw'));
    expect(store).toBeInstanceOf(DuckDBStore);
    expect(existsSync(join(dir, 'fw', 'store.duckdb'))).toBe(true);
    expect(store.auditLocation).toBe(join(dir, 'fw', 'audit.log.jsonl'));
    await store.close();
    const old = process.env.FAIRWATCH_STORE;
    process.env.FAIRWATCH_STORE = 'postgres://u@h/db';
    try {
      expect(resolveStoreLocation()).toEqual({ kind: 'postgres', location: 'postgres://u@h/db' });
      expect(resolveStoreLocation(join(dir, 'x'))).toEqual({ kind: 'duckdb', location: join(dir, 'x') });
    } finally {
      if (old === undefined) delete process.env.FAIRWATCH_STORE;
      else process.env.FAIRWATCH_STORE = old;
    }
  });

  it('a store file replaced by an empty one between operations gets its tables again (the DDL is not re-run on every operation)', async () => {
    const store = await openStore(join(dir, 'fw'));
    expect(await store.listRuns()).toEqual([]);
    // another process deletes the database; the next operation of this one finds no table
    for (const f of ['store.duckdb', 'store.duckdb.wal']) rmSync(join(dir, 'fw', f), { force: true });
    expect(await store.listRuns()).toEqual([]);
    expect(await store.latestRisks()).toEqual([]);
    await store.close();
  });

  it('recordRun(run) stores the run and its findings; listRuns and findings filter by [from, to)', async () => {
    const store = await openStore(dir);
    const d1 = doc([diFinding('fail', 0.62)]);
    await store.recordRun({ id: 'run-1', kind: 'audit', time: '2026-01-10T00:00:00Z', actor: 'ci', resultDigest: 'c'.repeat(64), result: { rows: 8 }, findings: d1 });
    await store.recordRun({ id: 'run-2', kind: 'drift', time: '2026-02-10T00:00:00Z', actor: 'ci', resultDigest: 'd'.repeat(64), result: { drift: false } });
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['run-1', 'run-2']);
    const [r1] = await store.listRuns({ to: '2026-02-01' });
    expect(r1).toEqual({ id: 'run-1', kind: 'audit', time: '2026-01-10T00:00:00.000Z', actor: 'ci', system: d1.system, policyHash: d1.policyHash, resultDigest: 'c'.repeat(64), result: { rows: 8 } });
    expect((await store.listRuns({ from: '2026-02-01' })).map((r) => r.id)).toEqual(['run-2']);
    const fs = await store.findings({ from: '2026-01-01', to: '2026-01-11' });
    expect(fs).toEqual([{ runId: 'run-1', time: '2026-01-10T00:00:00.000Z', systemId: 'loan-model', finding: d1.findings[0] }]);
    // the same run id twice: refused, nothing half-written
    const err = await store.recordRun({ id: 'run-1', kind: 'audit', resultDigest: 'e', result: {}, findings: d1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(await store.findings()).toHaveLength(1);
    await store.close();
  });

  it('appendRiskVersions(versions) keeps every version; latestRisks, status filter and riskHistory read them back', async () => {
    const store = await openStore(dir);
    const [v1] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'r1', actor: 'ci', now: '2026-03-01T00:00:00Z' });
    const v2 = updateEntry(v1!, { status: 'treating', by: 'ann', now: '2026-03-02T00:00:00Z' });
    await store.appendRiskVersions([v1!, v2]);
    expect(await store.latestRisks()).toEqual([v2]);
    expect(await store.latestRisks({ status: 'open' })).toEqual([]);
    expect(await store.latestRisks({ status: ['treating', 'closed'] })).toEqual([v2]);
    expect(await store.riskHistory(v1!.id)).toEqual([v1, v2]);
    expect(await store.riskHistory('R-000000000000')).toEqual([]);
    await store.close();
  });

  it('appendRiskVersions(stale version) throws riskVersionConflict and writes nothing of the batch', async () => {
    const store = await openStore(dir);
    const [v1] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'r1', actor: 'ci', now: '2026-03-01T00:00:00Z' });
    await store.appendRiskVersions([v1!]);
    const mine = updateEntry(v1!, { status: 'treating', by: 'ann' });
    const theirs = updateEntry(v1!, { status: 'accepted', by: 'bob' });
    await store.appendRiskVersions([mine]);
    const err = await store.appendRiskVersions([theirs]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toBe(messages.riskVersionConflict('Store.appendRiskVersions', v1!.id, 2, 2));
    expect((await store.riskHistory(v1!.id)).map((e) => e.changedBy)).toEqual(['ci', 'ann']);
    // modifyRisks re-reads: bob's change lands as version 3 on top of ann's
    const [v3] = await store.modifyRisks((latest) => [updateEntry(latest[0]!, { status: 'accepted', by: 'bob' })]);
    expect(v3).toMatchObject({ version: 3, status: 'accepted' });
    expect(v3!.reason).toBe('status treating → accepted');
    await store.close();
  });

  it('modifyRisks and appendAudit from 4 processes at once: no risk version lost or duplicated, the chain verifies', async () => {
    const location = join(dir, 'shared');
    const store = await openStore(location);
    const [v1] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'r1', actor: 'ci' });
    await store.appendRiskVersions([v1!]);
    await store.close();
    const writers = 4;
    const iterations = 5;
    const results = await runWriters(writers, location, v1!.id, iterations);
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const after = await openStore(location);
    const history = await after.riskHistory(v1!.id);
    expect(history.map((e) => e.version)).toEqual(Array.from({ length: 1 + writers * iterations }, (_, i) => i + 1));
    const notes = history.slice(1).map((e) => e.reason).sort();
    const expected = Array.from({ length: writers }, (_, k) => Array.from({ length: iterations }, (_, i) => `writer${k}#${i}`)).flat().sort();
    expect(notes).toEqual(expected);
    const v = await after.verifyAudit();
    expect(v).toMatchObject({ ok: true, lines: writers * iterations });
    const logged = readFileSync(after.auditLocation, 'utf8').trim().split('\n').map((l) => JSON.parse(l).details.note).sort();
    expect(logged).toEqual(expected);
    await after.close();
  }, 120_000);

  it('DuckDBStore.latestRisks() waits while another process holds the file, then fails with storeLocked (or succeeds once it is released)', async () => {
    const require = createRequire(import.meta.url);
    const store = await openStore(dir);
    await store.close();
    const db = join(dir, 'store.duckdb');
    const holder = spawn(process.execPath, ['-e', `const {DuckDBInstance}=require(${JSON.stringify(require.resolve('@duckdb/node-api'))});DuckDBInstance.create(${JSON.stringify(db)}).then(async i=>{await i.connect();process.stdout.write('held\\n');setTimeout(()=>process.exit(0),4000)})`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => holder.stdout!.once('data', () => r()));
    const blocked = new DuckDBStore(db, { lockTimeoutMs: 300 });
    const err = await blocked.latestRisks().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('storeLocked');
    // waiting long enough succeeds once the holder exits
    const patient = new DuckDBStore(db, { lockTimeoutMs: 20_000 });
    expect(await patient.latestRisks()).toEqual([]);
  }, 30_000);
});
