/**
 * An evidence pack exported from a PostgreSQL store (a fresh schema): the same files as from a
 * DuckDB store, the run results byte-equal to what the store holds, the audit extract equal to
 * the store's `audit_log` lines, the export itself logged there, the signature and digests
 * verified, a tampered copy refused, and the connection's password nowhere in the pack.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { evaluate } from '../../src/governance/findings.js';
import { recordEvaluation } from '../../src/governance/pipeline.js';
import { openStore } from '../../src/store/index.js';
import { capture } from '../cli/capture.js';
import { itWithServer, pgReachable, pgUrl } from '../engines/servers.js';
import { handAudit, handDrift, policy, POLICY_YAML } from '../governance/evaluation-fixtures.js';

const reason = await pgReachable();
const schema = `fw_evidence_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
// the server trusts loopback connections, so a password in the URL is accepted and ignored: it
// stands for a real credential that must never reach the pack
const withPassword = (() => {
  const u = new URL(pgUrl);
  u.password = 'pw-s3cret-42';
  u.searchParams.set('schema', schema);
  return u.toString();
})();
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

afterAll(async () => {
  if (reason) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

describe('fairwatch evidence export from a PostgreSQL store', () => {
  itWithServer(reason, 'exports the runs, findings, register and audit extract the schema holds; verify passes, a tampered copy fails; no password in the pack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairwatch-evidence-pg-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY_YAML);
    const store = await openStore(withPassword);
    let runIds: string[];
    try {
      expect(store.kind).toBe('postgres');
      const a = handAudit('failing');
      const d = handDrift('drifted');
      const r1 = await recordEvaluation({ store, result: a, findings: evaluate(a, policy(), { now: '2026-03-01T10:00:00.000Z' }), kind: 'audit', now: '2026-03-01T10:00:00.000Z', inputs: { data: 'd'.repeat(64) } });
      const r2 = await recordEvaluation({ store, result: d, findings: evaluate(d, policy(), { now: '2026-05-10T10:00:00.000Z' }), kind: 'drift', now: '2026-05-10T10:00:00.000Z', inputs: { reference: 'r'.repeat(64), current: 'c'.repeat(64) } });
      runIds = [r1.runId, r2.runId].sort();
    } finally {
      await store.close();
    }

    const key = join(dir, 'key');
    expect(await main(['keygen', '--out', key], capture())).toBe(0);
    const out = join(dir, 'pack');
    const io = capture();
    expect(await main(['evidence', 'export', '--store', withPassword, '--out', out, '--policy', join(dir, 'policy.yaml'), '--sign-key', key], io), io.err).toBe(0);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ kind: 'fairwatch.evidence-manifest', store: { kind: 'postgres' }, counts: { runs: 2 } });
    expect(walk(out)).toEqual(expect.arrayContaining([...runIds.map((id) => `runs/${id}.json`), 'findings/findings.json', 'risk-register/latest.json', 'audit/audit-log.jsonl', 'manifest.sig']));
    // nothing in the pack carries the password (manifest, run manifests, reports, extract)
    for (const f of walk(out)) expect(readFileSync(join(out, f)).includes('pw-s3cret-42'), f).toBe(false);

    const check = await openStore(withPassword);
    try {
      const runs = await check.listRuns();
      for (const r of runs) expect(JSON.parse(readFileSync(join(out, `runs/${r.id}.json`), 'utf8'))).toEqual(r.result);
      // the extract holds the two run lines exactly as the store's audit_log holds them
      const events = await check.readAudit();
      const extract = readFileSync(join(out, 'audit/audit-log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(extract).toEqual(events.slice(0, 2));
      // the export is itself in the store's trail, naming the manifest's digest; the chain holds
      const exp = events.filter((e) => e.action === 'evidence.export');
      expect(exp.map((e) => e.outputs)).toEqual([{ 'manifest.json': sha(readFileSync(join(out, 'manifest.json'))) }]);
      expect((await check.verifyAudit()).ok).toBe(true);
    } finally {
      await check.close();
    }

    const verify = capture();
    expect(await main(['evidence', 'verify', out, '--public-key', `${key}.pub`], verify), verify.out + verify.err).toBe(0);
    const copy = join(dir, 'tampered');
    cpSync(out, copy, { recursive: true });
    const f = join(copy, `runs/${runIds[0]}.json`);
    writeFileSync(f, readFileSync(f, 'utf8').replace(/"rows":\s*\d+/, '"rows": 1'));
    const bad = capture();
    expect(await main(['evidence', 'verify', copy, '--public-key', `${key}.pub`], bad)).not.toBe(0);
    expect(bad.out + bad.err).toContain(`runs/${runIds[0]}.json`);
  });
});
