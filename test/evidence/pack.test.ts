/**
 * Evidence packs end to end through the CLI: keygen, export (folder and zip), verify, and every
 * kind of tampering the issue names. Expected digests and signatures are computed here with
 * node:crypto directly; crafted zips are built by a small independent writer below.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { crc32 as zcrc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { exportEvidencePack } from '../../src/evidence/pack.js';
import { readZip } from '../../src/evidence/zip.js';
import { messages } from '../../src/errors.js';
import { evaluate } from '../../src/governance/findings.js';
import { recordEvaluation } from '../../src/governance/pipeline.js';
import { openStore } from '../../src/store/index.js';
import { handAudit, handDrift, policy, POLICY_YAML } from '../governance/evaluation-fixtures.js';
import { capture } from '../cli/capture.js';

const sha = (b: string | Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const AUDIT_TIME = '2026-03-01T10:00:00.000Z';
const DRIFT_TIME = '2026-05-10T10:00:00.000Z';

/** Every file under `dir` as relative '/'-paths. */
function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** A minimal stored-only zip writer, independent of src/evidence/zip.ts: names and modes as given. */
function craftZip(entries: { name: string; data: string; mode?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.from(e.data, 'utf8');
    const crc = zcrc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(10, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 10, 4);
    ch.writeUInt16LE(10, 6);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, data);
    centrals.push(ch, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

let dir: string;
let storeDir: string;
let key: string;
let signedDir: string;
let signedZip: string;
let unsignedDir: string;
let auditRunId: string;
let auditResultDigest: string;
const policyFile = () => join(dir, 'policy.yaml');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-evidence-'));
  storeDir = join(dir, 'store');
  writeFileSync(policyFile(), POLICY_YAML);
  const store = await openStore(storeDir);
  const a = handAudit('failing');
  const rec = await recordEvaluation({ store, result: a, findings: evaluate(a, policy(), { now: AUDIT_TIME }), kind: 'audit', now: AUDIT_TIME, inputs: { data: 'd'.repeat(64), 'policy-file': sha(POLICY_YAML) }, details: { files: { data: 'loans.csv' } } });
  auditRunId = rec.runId;
  auditResultDigest = rec.resultDigest;
  const d = handDrift('drifted');
  await recordEvaluation({ store, result: d, findings: evaluate(d, policy(), { now: DRIFT_TIME }), kind: 'drift', now: DRIFT_TIME, inputs: { reference: 'r'.repeat(64), current: 'c'.repeat(64) } });
  await store.close();
  key = join(dir, 'ci-key');
  expect(await main(['keygen', '--out', key], capture())).toBe(0);
  signedDir = join(dir, 'signed');
  signedZip = join(dir, 'signed.zip');
  unsignedDir = join(dir, 'unsigned');
  for (const [out, extra] of [
    [signedDir, ['--sign-key', key]],
    [signedZip, ['--sign-key', key]],
    [unsignedDir, []],
  ] as const) {
    const io = capture();
    expect(await main(['evidence', 'export', '--store', storeDir, '--out', out, '--policy', policyFile(), ...extra], io), io.err).toBe(0);
  }
});

/** A fresh copy of a pack folder to tamper with. */
function copyPack(src: string): string {
  const to = mkdtempSync(join(dir, 'copy-'));
  rmSync(to, { recursive: true });
  cpSync(src, to, { recursive: true });
  return to;
}

async function verifyCli(args: string[]) {
  const io = capture();
  const code = await main(['evidence', 'verify', ...args], io);
  return { code, out: io.out, err: io.err };
}

async function verifyJson(args: string[]) {
  const io = capture();
  const code = await main(['evidence', 'verify', ...args, '--format', 'json'], io);
  return { code, v: JSON.parse(io.out) as { ok: boolean; signature: string; problems: { kind: string; path?: string; message: string }[]; notices: string[] } };
}

describe('fairwatch keygen', () => {
  it('keygen --out writes a 0600 PKCS#8 private key and an SPKI public key that sign and verify with node:crypto', () => {
    const priv = readFileSync(key, 'utf8');
    const pub = readFileSync(`${key}.pub`, 'utf8');
    expect(priv.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(pub.startsWith('-----BEGIN PUBLIC KEY-----')).toBe(true);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(createPrivateKey(priv).asymmetricKeyType).toBe('ed25519');
    const msg = Buffer.from('hello');
    expect(verify(null, msg, createPublicKey(pub), sign(null, msg, createPrivateKey(priv)))).toBe(true);
  });

  it('keygen refuses to overwrite an existing key (exit 2) and leaves both files unchanged', async () => {
    const before = [readFileSync(key, 'utf8'), readFileSync(`${key}.pub`, 'utf8')];
    const io = capture();
    expect(await main(['keygen', '--out', key], io)).toBe(2);
    expect(io.err).toBe(`fairwatch: ${messages.keyFileExists('keygen', key)}\n`);
    expect([readFileSync(key, 'utf8'), readFileSync(`${key}.pub`, 'utf8')]).toEqual(before);
    // only the .pub exists: still refused, and the private key is not left behind
    const other = join(dir, 'half');
    writeFileSync(`${other}.pub`, 'x');
    expect(await main(['keygen', '--out', other], capture())).toBe(2);
    expect(existsSync(other)).toBe(false);
  });
});

describe('fairwatch evidence export', () => {
  it('evidence export writes every promised file, and manifest.json lists each with its size and sha256', () => {
    const files = walk(signedDir);
    const manifestText = readFileSync(join(signedDir, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText);
    expect(files.filter((f) => f !== 'manifest.json' && f !== 'manifest.sig')).toEqual(manifest.files.map((f: { path: string }) => f.path));
    for (const f of manifest.files) {
      const bytes = readFileSync(join(signedDir, f.path));
      expect([f.path, f.size, f.sha256]).toEqual([f.path, bytes.length, sha(bytes)]);
    }
    expect(files).toEqual(
      expect.arrayContaining([
        `runs/${auditRunId}.json`,
        `run-manifests/${auditRunId}.json`,
        'datasets/fingerprints.json',
        'findings/findings.json',
        'risk-register/latest.json',
        'risk-register/latest.csv',
        'risk-register/history.json',
        'risk-register/history.csv',
        'soa/statement.json',
        'soa/statement.md',
        'policy/policy.yaml',
        'policy/hashes.json',
        'audit/audit-log.jsonl',
        'manifest.json',
        'manifest.sig',
      ]),
    );
    expect(manifest).toMatchObject({ kind: 'fairwatch.evidence-manifest', period: null, control: null, store: { kind: 'duckdb', target: join(storeDir, 'store.duckdb') }, counts: { runs: 2 } });
    // a store without monitoring jobs gives no monitoring/ files
    expect(files.filter((f) => f.startsWith('monitoring/'))).toEqual([]);
    // the policy file is included byte for byte
    expect(readFileSync(join(signedDir, 'policy/policy.yaml'), 'utf8')).toBe(POLICY_YAML);
  });

  it('evidence export --sign-key writes manifest.sig, an Ed25519 signature of the exact manifest bytes that node:crypto verifies', () => {
    const bytes = readFileSync(join(signedDir, 'manifest.json'));
    const sig = Buffer.from(readFileSync(join(signedDir, 'manifest.sig'), 'utf8').trim(), 'base64');
    const pub = createPublicKey(readFileSync(`${key}.pub`));
    expect(sig.length).toBe(64);
    expect(verify(null, bytes, pub, sig)).toBe(true);
    expect(verify(null, Buffer.concat([bytes, Buffer.from(' ')]), pub, sig)).toBe(false);
    // the manifest names the key by the sha256 of its SPKI DER
    expect(JSON.parse(bytes.toString('utf8')).signing).toEqual({ algorithm: 'Ed25519', publicKeySha256: sha(pub.export({ type: 'spki', format: 'der' })) });
  });

  it('evidence export copies the run result, run manifest and fingerprints the store and audit line recorded', async () => {
    const result = JSON.parse(readFileSync(join(signedDir, `runs/${auditRunId}.json`), 'utf8'));
    const store = await openStore(storeDir);
    const [run] = (await store.listRuns()).filter((r) => r.id === auditRunId);
    await store.close();
    expect(result).toEqual(run!.result);
    const rm = JSON.parse(readFileSync(join(signedDir, `run-manifests/${auditRunId}.json`), 'utf8'));
    expect(rm).toMatchObject({ runId: auditRunId, runKind: 'audit', time: AUDIT_TIME, policyHash: run!.policyHash, result: { digest: auditResultDigest, rows: { rows: 80 } } });
    expect(rm.auditLine.inputs.data).toBe('d'.repeat(64));
    // the environment recorded in the run's audit line when it ran (not the exporting one)
    const store2 = await openStore(storeDir);
    const line = (await store2.readAudit()).find((e) => e.action === 'audit.run' && e.details?.runId === auditRunId)!;
    await store2.close();
    expect(line.details!.environment).toMatchObject({ tool: { name: 'fairwatch' }, node: process.version, platform: `${process.platform}-${process.arch}` });
    expect(rm.environment).toEqual({ source: 'run', ...(line.details!.environment as object) });
    expect(rm.environment.libraries.vega).toBe(JSON.parse(readFileSync('node_modules/vega/package.json', 'utf8')).version);
    expect(rm.environment.libraries['vega-lite']).toBe(JSON.parse(readFileSync('node_modules/vega-lite/package.json', 'utf8')).version);
    expect(rm.environment.libraries['@duckdb/node-api']).toBe(JSON.parse(readFileSync('node_modules/@duckdb/node-api/package.json', 'utf8')).version);
    const fp = JSON.parse(readFileSync(join(signedDir, 'datasets/fingerprints.json'), 'utf8'));
    expect(fp.runs.find((r: { runId: string }) => r.runId === auditRunId)).toMatchObject({ inputs: [{ name: 'data', sha256: 'd'.repeat(64), file: 'loans.csv' }], rows: { rows: 80 } });
    const drift = fp.runs.find((r: { kind: string }) => r.kind === 'drift');
    expect(drift.inputs.map((i: { name: string }) => i.name).sort()).toEqual(['current', 'reference']);
    const hashes = JSON.parse(readFileSync(join(signedDir, 'policy/hashes.json'), 'utf8'));
    expect(hashes.file.sha256).toBe(sha(POLICY_YAML));
    expect(hashes.runs.find((r: { runId: string }) => r.runId === auditRunId)).toMatchObject({ policyHash: run!.policyHash, policyFileSha256: sha(POLICY_YAML), matchesFile: true });
  });

  it('evidence export puts the exact audit-log lines in the extract and logs evidence.export with the sha256 of manifest.json', async () => {
    const log = readFileSync(join(storeDir, 'audit.log.jsonl'), 'utf8').split('\n');
    const extract = readFileSync(join(signedDir, 'audit/audit-log.jsonl'), 'utf8');
    // the first pack saw the two run lines (and the export lines of earlier packs are after it)
    expect(extract).toBe(log.slice(0, 2).map((l) => l + '\n').join(''));
    const store = await openStore(storeDir);
    const events = await store.readAudit();
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
    const exports = events.filter((e) => e.action === 'evidence.export');
    expect(exports).toHaveLength(3);
    expect(exports[0]!.outputs).toEqual({ 'manifest.json': sha(readFileSync(join(signedDir, 'manifest.json'))) });
    expect(exports[0]!.details).toMatchObject({ out: signedDir, files: JSON.parse(readFileSync(join(signedDir, 'manifest.json'), 'utf8')).files.length, signed: true });
    // the zip was exported second: its extract already holds the first export's line
    const inZip = readZip(readFileSync(signedZip)).files.get('manifest.json')!;
    expect(exports[1]!.outputs).toEqual({ 'manifest.json': sha(inZip) });
    expect(exports[1]!.details).toMatchObject({ out: signedZip, format: 'zip' });
    expect(JSON.parse(Buffer.from(inZip).toString('utf8')).audit).toMatchObject({ lines: 3, firstSeq: 1, lastSeq: 3 });
  });

  it('evidence export refuses an existing --out (exit 2) and writes nothing, not even an audit line', async () => {
    const before = readFileSync(join(storeDir, 'audit.log.jsonl'), 'utf8');
    const io = capture();
    expect(await main(['evidence', 'export', '--store', storeDir, '--out', signedDir], io)).toBe(2);
    expect(io.err).toBe(`fairwatch: ${messages.evidenceOutExists('exportEvidencePack', signedDir)}\n`);
    expect(readFileSync(join(storeDir, 'audit.log.jsonl'), 'utf8')).toBe(before);
    // no temporary folder left beside the target
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('evidence export --period keeps only the runs, findings and audit lines dated in it', async () => {
    const out = join(dir, 'may');
    expect(await main(['evidence', 'export', '--store', storeDir, '--out', out, '--period', '2026-05-01..2026-05-31', '--policy', policyFile()], capture())).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.period).toEqual({ from: '2026-05-01T00:00:00.000Z', to: '2026-05-31T23:59:59.999Z' });
    expect(walk(out).filter((f) => f.startsWith('runs/'))).toHaveLength(1);
    const lines = readFileSync(join(out, 'audit/audit-log.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).action)).toEqual(['drift.run']);
    // its prev is the sha256 of the line before it in the store's log, recorded in the manifest
    const log = readFileSync(join(storeDir, 'audit.log.jsonl'), 'utf8').split('\n');
    expect(m.audit).toMatchObject({ firstSeq: 2, lastSeq: 2, prev: sha(log[0]!), head: sha(lines[0]!) });
    expect((await verifyCli([out])).code).toBe(0);
  });

  it('evidence export --control A.7.5 keeps only the dataset-fingerprint evidence and that control in the SoA', async () => {
    const out = join(dir, 'a75');
    expect(await main(['evidence', 'export', '--store', storeDir, '--out', out, '--control', 'A.7.5', '--policy', policyFile()], capture())).toBe(0);
    const items = JSON.parse(readFileSync(join(out, 'evidence-items.json'), 'utf8')).items;
    expect(new Set(items.map((i: { kind: string }) => i.kind))).toEqual(new Set(['dataset-fingerprint']));
    expect(items.map((i: { id: string }) => i.id)).toContain(`${auditRunId}/data`);
    expect(JSON.parse(readFileSync(join(out, 'soa/statement.json'), 'utf8')).controls.map((c: { id: string }) => c.id)).toEqual(['A.7.5']);
    expect(JSON.parse(readFileSync(join(out, 'findings/findings.json'), 'utf8')).findings).toEqual([]);
    const io = capture();
    expect(await main(['evidence', 'export', '--store', storeDir, '--out', join(dir, 'bad'), '--control', 'A.99'], io)).toBe(2);
    expect(io.err).toBe(`fairwatch: ${messages.unknownControl('collectEvidence', 'A.99')}\n`);
  });

  it('exportEvidencePack({ extraFiles }) adds files to the pack and its manifest; the built-in reports are there too', async () => {
    const out = join(dir, 'extra');
    const html = new TextEncoder().encode('<html>notes</html>');
    const r = await exportEvidencePack({ store: storeDir, out, policy: policyFile(), extraFiles: [{ path: 'notes/notes.html', data: html }, () => [{ path: 'notes/notes.md', data: new TextEncoder().encode('# r') }]] });
    expect(r.manifest.files.find((f) => f.path === 'notes/notes.html')).toEqual({ path: 'notes/notes.html', size: html.length, sha256: sha(html) });
    expect(readFileSync(join(out, 'notes/notes.md'), 'utf8')).toBe('# r');
    expect(r.manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['reports/report.html', 'reports/report.md', 'reports/report.json', 'reports/management-review.html']));
    await expect(exportEvidencePack({ store: storeDir, out: join(dir, 'dup'), extraFiles: [{ path: 'reports/report.html', data: html }] })).rejects.toThrow('two evidence files have the path "reports/report.html"');
    expect((await verifyCli([out])).code).toBe(0);
  });
});

describe('fairwatch evidence verify', () => {
  it('evidence verify of an untouched signed folder and zip with the public key: exit 0, signature VALID', async () => {
    for (const pack of [signedDir, signedZip]) {
      const r = await verifyCli([pack, '--public-key', `${key}.pub`]);
      expect([r.code, r.out.split('\n')[0]]).toEqual([0, expect.stringMatching(/: OK — (\d+) of \1 files match manifest\.json$/)]);
      expect(r.out).toContain('signature: VALID');
    }
  });

  it('evidence verify says plainly when the pack is unsigned or the signature is not checked', async () => {
    const unsigned = await verifyJson([unsignedDir]);
    expect([unsigned.code, unsigned.v.signature]).toEqual([0, 'unsigned']);
    expect(unsigned.v.notices.join(' ')).toMatch(/NOT SIGNED/);
    const unchecked = await verifyCli([signedDir]);
    expect(unchecked.code).toBe(0);
    expect(unchecked.out).toContain('signature: present, NOT CHECKED (no --public-key given)');
    // a key was given but the pack has no signature: a problem
    const expected = await verifyJson([unsignedDir, '--public-key', `${key}.pub`]);
    expect([expected.code, expected.v.problems.map((p) => p.kind)]).toEqual([3, ['signature-missing']]);
  });

  it('evidence verify catches a changed byte, a removed file and an added file, and reports each (exit 3)', async () => {
    const pack = copyPack(signedDir);
    const changed = join(pack, 'risk-register/latest.csv');
    const bytes = readFileSync(changed);
    bytes[bytes.length - 2] ^= 0x01;
    writeFileSync(changed, bytes);
    rmSync(join(pack, 'soa/statement.md'));
    writeFileSync(join(pack, 'runs/extra.json'), '{}');
    const { code, v } = await verifyJson([pack, '--public-key', `${key}.pub`]);
    expect(code).toBe(3);
    expect(v.problems.map((p) => [p.kind, p.path])).toEqual([
      ['digest-mismatch', 'risk-register/latest.csv'],
      ['missing-file', 'soa/statement.md'],
      ['extra-file', 'runs/extra.json'],
    ]);
    expect(v.signature).toBe('valid'); // the manifest itself is intact
  });

  it('evidence verify catches a signature made with another key', async () => {
    const pack = copyPack(signedDir);
    const other = generateKeyPairSync('ed25519');
    const bytes = readFileSync(join(pack, 'manifest.json'));
    writeFileSync(join(pack, 'manifest.sig'), sign(null, bytes, other.privateKey).toString('base64') + '\n');
    const withOurs = await verifyJson([pack, '--public-key', `${key}.pub`]);
    expect([withOurs.code, withOurs.v.signature, withOurs.v.problems.map((p) => p.kind)]).toEqual([3, 'invalid', ['signature-invalid']]);
    // with the other key the signature checks, but the manifest names our key
    const otherPub = join(dir, 'other.pub');
    writeFileSync(otherPub, other.publicKey.export({ type: 'spki', format: 'pem' }));
    const withOther = await verifyJson([pack, '--public-key', otherPub]);
    expect([withOther.code, withOther.v.problems.map((p) => p.kind)]).toEqual([3, ['key-mismatch']]);
  });

  it('evidence verify catches an edited manifest under a valid-looking signature', async () => {
    const pack = copyPack(signedDir);
    const m = readFileSync(join(pack, 'manifest.json'), 'utf8');
    writeFileSync(join(pack, 'manifest.json'), m.replace('"control": null', '"control": "A.5.4"'));
    const { code, v } = await verifyJson([pack, '--public-key', `${key}.pub`]);
    expect([code, v.problems.map((p) => p.kind)]).toEqual([3, ['signature-invalid']]);
  });

  it('evidence verify catches an edited audit line by its chain even when the manifest digest was updated to match', async () => {
    const pack = copyPack(unsignedDir);
    const path = join(pack, 'audit/audit-log.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[0] = lines[0]!.replace('"actor":"', '"actor":"mallory-');
    const edited = lines.join('\n');
    writeFileSync(path, edited);
    // without touching the manifest: the digest and the chain both say so
    const first = await verifyJson([pack]);
    expect([first.code, first.v.problems.map((p) => p.kind)]).toEqual([3, ['size-mismatch', 'digest-mismatch', 'audit-chain']]);
    expect(first.v.problems[2]!.message).toBe(messages.packAuditChain(1, "its sha256 does not match the prev of line 2 (line 1 was edited, or line 2's prev)"));
    // an unsigned manifest rewritten to match the edited file: the chain still breaks
    const mPath = join(pack, 'manifest.json');
    const m = JSON.parse(readFileSync(mPath, 'utf8'));
    const entry = m.files.find((f: { path: string }) => f.path === 'audit/audit-log.jsonl');
    entry.size = Buffer.byteLength(edited);
    entry.sha256 = sha(edited);
    writeFileSync(mPath, JSON.stringify(m, null, 2) + '\n');
    const second = await verifyJson([pack]);
    expect([second.code, second.v.problems.map((p) => p.kind)]).toEqual([3, ['audit-chain']]);
  });

  it('evidence verify catches a removed audit line (seq gap) in the extract', async () => {
    const pack = copyPack(unsignedDir);
    const path = join(pack, 'audit/audit-log.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    const n = lines.length - 1; // lines, then the final ''
    expect(n).toBeGreaterThanOrEqual(3);
    // drop line 2 (seq 2): line 3 now follows line 1
    writeFileSync(path, [lines[0], ...lines.slice(2)].join('\n'));
    const { code, v } = await verifyJson([pack]);
    expect(code).toBe(3);
    expect(v.problems.filter((p) => p.kind === 'audit-chain').map((p) => p.message)).toEqual([
      messages.packAuditChain(2, 'seq 3 follows seq 1: lines were removed'),
      messages.packAuditChain(1, "its sha256 does not match the prev of line 2 (line 1 was edited, or line 2's prev)"),
      messages.packAuditSummary('lines', n, n - 1),
    ]);
  });

  it('evidence verify refuses zip entries that would escape (../, absolute, drive letter, symlink) and names each; nothing is written', async () => {
    const zip = join(dir, 'evil.zip');
    const manifest = readFileSync(join(signedDir, 'manifest.json'), 'utf8');
    writeFileSync(
      zip,
      craftZip([
        { name: 'manifest.json', data: manifest },
        { name: '../evil', data: 'pwned' },
        { name: '/tmp/fairwatch-abs-evil', data: 'pwned' },
        { name: 'C:/evil.txt', data: 'pwned' },
        { name: 'link', data: '/etc/passwd', mode: 0o120777 },
      ]),
    );
    const { code, v } = await verifyJson([zip]);
    expect(code).toBe(3);
    const refused = v.problems.filter((p) => p.kind === 'unsafe-entry');
    expect(refused.map((p) => p.path)).toEqual(['../evil', '/tmp/fairwatch-abs-evil', 'C:/evil.txt', 'link']);
    expect(refused[0]!.message).toBe(messages.unsafeEntry('../evil', 'it climbs out of the pack with "..", so it would escape the folder it is read into'));
    expect(refused[1]!.message).toContain('absolute path');
    expect(refused[2]!.message).toContain('drive letter');
    expect(refused[3]!.message).toBe(messages.unsafeEntry('link', 'it is a symbolic link'));
    expect(existsSync(join(dir, '..', 'evil'))).toBe(false);
    expect(existsSync('/tmp/fairwatch-abs-evil')).toBe(false);
    expect(existsSync(join(process.cwd(), '..', 'evil'))).toBe(false);
    // the manifest's files are missing too (only manifest.json was packed), and reported
    expect(v.problems.filter((p) => p.kind === 'missing-file').length).toBe(JSON.parse(manifest).files.length);
  });

  it('evidence verify of a folder does not follow a symbolic link, and reports it', async () => {
    const pack = copyPack(unsignedDir);
    symlinkSync('/etc/hostname', join(pack, 'link.txt'));
    const { code, v } = await verifyJson([pack]);
    expect([code, v.problems.map((p) => [p.kind, p.path])]).toEqual([3, [['unsafe-entry', 'link.txt']]]);
  });

  it('evidence verify of a zip whose entry was changed (CRC mismatch) reports it as corrupt and the file as missing', async () => {
    const bytes = readFileSync(signedZip);
    const copy = join(dir, 'corrupt.zip');
    // the first entry's data starts after its 30-byte header and name; flip a byte there
    const nameLen = bytes.readUInt16LE(26);
    const firstName = bytes.subarray(30, 30 + nameLen).toString('utf8');
    bytes[30 + nameLen + 5] ^= 0xff;
    writeFileSync(copy, bytes);
    const { code, v } = await verifyJson([copy, '--public-key', `${key}.pub`]);
    expect(code).toBe(3);
    expect(v.problems.map((p) => [p.kind, p.path])).toEqual([
      ['corrupt-entry', firstName],
      ['missing-file', firstName],
    ]);
  });

  it('evidence verify of a path that does not exist or is not a zip exits 2 with a clear message', async () => {
    const missing = await verifyCli([join(dir, 'nope.zip')]);
    expect([missing.code, missing.err]).toEqual([2, `fairwatch: ${messages.packNotFound('verifyEvidencePack', join(dir, 'nope.zip'))}\n`]);
    const junk = join(dir, 'junk.zip');
    writeFileSync(junk, 'not a zip at all');
    const r = await verifyCli([junk]);
    expect([r.code, r.err]).toEqual([2, `fairwatch: ${messages.archiveInvalid('readZip', junk, 'no end-of-central-directory record')}\n`]);
  });

  it('evidence verify writes nothing to the store', async () => {
    const before = readFileSync(join(storeDir, 'audit.log.jsonl'), 'utf8');
    await verifyCli([signedZip, '--public-key', `${key}.pub`]);
    expect(readFileSync(join(storeDir, 'audit.log.jsonl'), 'utf8')).toBe(before);
  });
});

describe('run manifests of runs recorded without an environment', () => {
  it('fall back to the exporting installation and say so (source: export)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'fairwatch-evidence-old-'));
    const store = await openStore(join(d, 'store'));
    const a = handAudit('failing');
    const resultDigest = sha(JSON.stringify(a.toJSON()));
    // as a store written before runs recorded their environment: the run, then a run line without one
    await store.recordRunWithRisks({ id: 'audit-old-1', kind: 'audit', time: AUDIT_TIME, resultDigest, result: a.toJSON() }, (latest) => latest);
    await store.appendAudit({ action: 'audit.run', time: AUDIT_TIME, outputs: { result: resultDigest }, details: { runId: 'audit-old-1' } });
    await store.close();
    const out = join(d, 'pack');
    const io = capture();
    expect(await main(['evidence', 'export', '--store', join(d, 'store'), '--out', out], io), io.err).toBe(0);
    const rm = JSON.parse(readFileSync(join(out, 'run-manifests/audit-old-1.json'), 'utf8'));
    expect(rm.environment).toMatchObject({ source: 'export', node: process.version, tool: { name: 'fairwatch' } });
  });
});
