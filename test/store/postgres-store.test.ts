import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect } from 'vitest';
import { EngineError, messages } from '../../src/errors.js';
import { applyFindings, updateEntry } from '../../src/governance/risk.js';
import { openStore, PostgresStore } from '../../src/store/index.js';
import { itWithServer, pgReachable, pgUrl } from '../engines/servers.js';
import { diFinding, doc } from '../governance/risk-fixtures.js';
import { runWriters } from './concurrency.js';

const reason = await pgReachable();
const schema = `fw_store_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const withSchema = (s: string) => `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${s}`;

afterAll(async () => {
  if (reason) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  for (const s of [schema, `${schema}_c`, `${schema}_r`]) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await c.end();
});

describe('PostgresStore', () => {
  itWithServer(reason, 'recordRunWithRisks(run, apply) is one transaction on PostgreSQL; readAudit returns the rows in seq order', async () => {
    const store = await openStore(withSchema(`${schema}_r`));
    const d = doc([diFinding('fail', 0.62)]);
    const run = { id: 'run-1', kind: 'audit', time: '2026-03-01T00:00:00Z', actor: 'ci', resultDigest: 'c'.repeat(64), result: { rows: 8 }, findings: d };
    const apply = (latest: Parameters<typeof applyFindings>[0]) => applyFindings(latest, d, { runId: 'run-1', actor: 'ci', now: '2026-03-01T00:00:00Z' });
    const failed = await store.recordRunWithRisks({ ...run, id: 'run-0' }, () => {
      throw new Error('boom');
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(EngineError);
    expect(await store.listRuns()).toEqual([]);
    const first = await store.recordRunWithRisks(run, apply);
    expect(first.versions.map((v) => v.version)).toEqual([1]);
    expect(await store.recordRunWithRisks(run, apply)).toEqual({ run: first.run, versions: first.versions, existing: true });
    const a = await store.appendAudit({ action: 'audit.run', actor: 'ci', details: { runId: 'run-1' } });
    expect(await store.readAudit()).toEqual([a]);
    await store.close();
  });

  itWithServer(reason, 'openStore(postgres URL ?schema=) creates the tables; runs, findings, risk versions and the audit trail round-trip', async () => {
    const store = await openStore(withSchema(schema));
    expect(store).toBeInstanceOf(PostgresStore);
    const d = doc([diFinding('fail', 0.62)]);
    await store.recordRun({ id: 'run-1', kind: 'audit', time: '2026-01-10T00:00:00Z', actor: 'ci', resultDigest: 'c'.repeat(64), result: { rows: 8 }, findings: d });
    expect((await store.listRuns({ from: '2026-01-01', to: '2026-02-01' })).map((r) => [r.id, r.time, r.system?.id])).toEqual([['run-1', '2026-01-10T00:00:00.000Z', 'loan-model']]);
    expect((await store.findings()).map((f) => f.finding)).toEqual(d.findings);
    const [v1] = applyFindings([], d, { runId: 'run-1', actor: 'ci', now: '2026-03-01T00:00:00Z' });
    await store.appendRiskVersions([v1!]);
    const stale = updateEntry(v1!, { status: 'accepted', by: 'bob' });
    await store.modifyRisks((latest) => [updateEntry(latest[0]!, { status: 'treating', by: 'ann' })]);
    const err = await store.appendRiskVersions([stale]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toBe(messages.riskVersionConflict('Store.appendRiskVersions', v1!.id, 2, 2));
    expect((await store.riskHistory(v1!.id)).map((e) => [e.version, e.status])).toEqual([[1, 'open'], [2, 'treating']]);
    expect((await store.latestRisks({ status: 'treating' })).map((e) => e.version)).toEqual([2]);
    const a = await store.appendAudit({ action: 'a', actor: 'x' });
    const b = await store.appendAudit({ action: 'b', actor: 'x' });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(await store.verifyAudit()).toMatchObject({ ok: true, lines: 2 });
    // tamper with the first row: the second row's prev no longer matches
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`UPDATE "${schema}".audit_log SET line = replace(line, '"actor":"x"', '"actor":"y"') WHERE seq = 1`);
    await c.end();
    expect((await store.verifyAudit()).problem).toEqual({ line: 1, kind: 'hash-mismatch', message: messages.auditEdited(1, 2) });
    await store.close();
  });

  itWithServer(reason, 'modifyRisks and appendAudit from 3 processes at once on PostgreSQL: no version lost or duplicated, the chain verifies', async () => {
    const s = `${schema}_c`;
    const store = await openStore(pgUrl, { schema: s });
    const [v1] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'r1', actor: 'ci' });
    await store.appendRiskVersions([v1!]);
    await store.close();
    const results = await runWriters(3, pgUrl, v1!.id, 5, s);
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const after = await openStore(pgUrl, { schema: s });
    expect((await after.riskHistory(v1!.id)).map((e) => e.version)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(await after.verifyAudit()).toMatchObject({ ok: true, lines: 15 });
    await after.close();
  }, 120_000);
});
