import { createHash, createPublicKey, verify } from 'node:crypto';
import { crc32 as zcrc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { generateSigningKeys, signManifest, verifyManifestSignature } from '../../src/evidence/signing.js';
import { verifyAuditExtract } from '../../src/evidence/verify.js';
import { crc32, readZip, unsafePathReason, writeZip } from '../../src/evidence/zip.js';
import { nextAuditLine } from '../../src/governance/audit-log.js';

const enc = new TextEncoder();

describe('crc32 / writeZip / readZip', () => {
  it('crc32("123456789") is the IEEE check value cbf43926 and agrees with zlib.crc32', () => {
    expect(crc32(enc.encode('123456789')).toString(16)).toBe('cbf43926');
    const b = enc.encode('fairwatch evidence '.repeat(50));
    expect(crc32(b)).toBe(zcrc32(b));
  });

  it('writeZip entries read back byte for byte; the first entry parses with zlib independently', () => {
    const files = [
      { path: 'manifest.json', data: enc.encode('{"a":1}\n'.repeat(100)) },
      { path: 'runs/x.json', data: new Uint8Array(0) },
      { path: 'bin/noise', data: Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) % 251) },
    ];
    const zip = Buffer.from(writeZip(files, { mtime: new Date('2026-03-01T12:00:00Z') }));
    const { files: back, refused } = readZip(zip);
    expect(refused).toEqual([]);
    expect([...back.keys()]).toEqual(files.map((f) => f.path));
    for (const f of files) expect(Buffer.from(back.get(f.path)!).equals(Buffer.from(f.data))).toBe(true);
    // local header: signature, method 8 (deflate, since it is smaller), then the raw deflate stream
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(8)).toBe(8);
    const start = 30 + zip.readUInt16LE(26);
    expect(inflateRawSync(zip.subarray(start, start + zip.readUInt32LE(18))).toString()).toBe('{"a":1}\n'.repeat(100));
  });

  it('writeZip refuses an unsafe or duplicate path with InputError', () => {
    expect(() => writeZip([{ path: '../x', data: new Uint8Array() }])).toThrow(InputError);
    expect(() => writeZip([{ path: 'a', data: new Uint8Array() }, { path: 'a', data: new Uint8Array() }])).toThrow(messages.evidenceDuplicatePath('writeZip', 'a'));
  });

  it('unsafePathReason accepts plain relative paths and names why others are refused', () => {
    expect(['a', 'a/b.json', 'reports/x-1_2.html'].map(unsafePathReason)).toEqual([null, null, null]);
    expect(['', '/a', '\\a', 'C:/a', 'c:a', 'a\\b', 'a/../b', '..', 'a//b', './a', 'a\u0000b'].map((p) => unsafePathReason(p) !== null)).toEqual(Array(11).fill(true));
  });

  it('readZip refuses two entries with the same name (neither is read)', () => {
    const zip = Buffer.from(writeZip([{ path: 'aa', data: enc.encode('1') }, { path: 'ab', data: enc.encode('2') }]));
    // rename the second entry 'ab' -> 'aa' in its local and central headers
    let i = -1;
    while ((i = zip.indexOf('ab', i + 1)) >= 0) zip.write('aa', i);
    const { files, refused } = readZip(zip);
    expect(files.has('aa')).toBe(false);
    expect(refused.map((r) => [r.entry, r.kind])).toEqual([['aa', 'unsafe-entry']]);
  });
});

describe('signManifest / verifyManifestSignature', () => {
  it('signManifest output is an Ed25519 signature node:crypto verifies with the public key', () => {
    const k = generateSigningKeys();
    const bytes = enc.encode('{"kind":"fairwatch.evidence-manifest"}\n');
    const sig = signManifest(bytes, k.privateKeyPem);
    expect(verify(null, bytes, createPublicKey(k.publicKeyPem), Buffer.from(sig.trim(), 'base64'))).toBe(true);
    expect(verifyManifestSignature(bytes, sig, k.publicKeyPem)).toBe(true);
    expect(verifyManifestSignature(enc.encode('other'), sig, k.publicKeyPem)).toBe(false);
    expect(verifyManifestSignature(bytes, sig, generateSigningKeys().publicKeyPem)).toBe(false);
    expect(() => verifyManifestSignature(bytes, 'not base64!', k.publicKeyPem)).toThrow(InputError);
  });
});

describe('verifyAuditExtract(text, expected)', () => {
  const l1 = nextAuditLine(null, { action: 'a', actor: 'x', time: 't1' }).text;
  const l2 = nextAuditLine(l1, { action: 'b', actor: 'x', time: 't2' }).text;
  const l3 = nextAuditLine(l2, { action: 'c', actor: 'x', time: 't3' }).text;

  it('verifyAuditExtract accepts an extract that starts mid-log when its first prev is the one expected', () => {
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const r = verifyAuditExtract(`${l2}\n${l3}\n`, { file: 'x', lines: 2, firstSeq: 2, lastSeq: 3, prev: sha(l1), head: sha(l3), location: '', storeVerification: { ok: true, lines: 3 } });
    expect(r).toEqual({ lines: 2, firstSeq: 2, lastSeq: 3, problems: [] });
  });

  it('verifyAuditExtract reports every problem: reordered lines and a partial last line', () => {
    const r = verifyAuditExtract(`${l1}\n${l3}\n${l2}\npartial`);
    expect(r.problems).toEqual([
      messages.packAuditChain(4, 'a partial line of 7 bytes without a newline'),
      messages.packAuditChain(2, 'seq 3 follows seq 1: lines were removed'),
      messages.packAuditChain(1, "its sha256 does not match the prev of line 2 (line 1 was edited, or line 2's prev)"),
      messages.packAuditChain(3, 'seq 2 follows seq 3: lines were reordered or repeated'),
      messages.packAuditChain(2, "its sha256 does not match the prev of line 3 (line 2 was edited, or line 3's prev)"),
    ]);
  });
});
