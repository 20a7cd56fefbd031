/**
 * Verify an evidence pack someone else made, reporting EACH problem (not only the first):
 *
 * 1. entries that are unsafe to read (`../`, absolute paths, drive letters, symlinks, other
 *    non-regular files) are refused and never read; a zip is read in memory and nothing is
 *    written anywhere; a folder is walked without following links;
 * 2. `manifest.json` parses and validates;
 * 3. every listed file is present with the listed size and sha256; files not listed are reported;
 * 4. the signature: `manifest.sig` checked against `--public-key` (and against the key
 *    fingerprint the manifest names); an unsigned pack, or a signed one checked without a key,
 *    is stated plainly (a notice: nothing proves who made the pack);
 * 5. the audit-log extract's chain: each line's `prev` is the sha256 of the line before, seq is
 *    contiguous, the first line's `prev` and the last line's sha256 match the manifest.
 *
 * @example
 * ```ts
 * const v = await verifyEvidencePack('evidence-2026Q1.zip', { publicKey: 'keys/ci.pub' });
 * v.ok;        // true
 * v.signature; // 'valid'
 * ```
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { FairwatchError, InputError, messages } from '../errors.js';
import { sha256Hex, ZERO_DIGEST } from '../governance/digest.js';
import { PACK_FILES, parseManifest, type EvidenceManifest, type ManifestAudit } from './manifest.js';
import { publicKeyFingerprint, publicSigningKey, verifyManifestSignature } from './signing.js';
import { readZip, type ZipProblem } from './zip.js';

/**
 * The kinds of problem {@link verifyEvidencePack} reports.
 *
 * @example
 * ```ts
 * PACK_PROBLEMS.includes('digest-mismatch'); // true
 * ```
 */
export const PACK_PROBLEMS = [
  'unsafe-entry',
  'corrupt-entry',
  'manifest-missing',
  'manifest-invalid',
  'missing-file',
  'extra-file',
  'size-mismatch',
  'digest-mismatch',
  'signature-invalid',
  'signature-malformed',
  'signature-missing',
  'key-mismatch',
  'audit-chain',
] as const;
export type PackProblemKind = (typeof PACK_PROBLEMS)[number];

/** One problem found, with the file it concerns. */
export interface PackProblem {
  kind: PackProblemKind;
  path?: string;
  message: string;
}

/** The signature's state: checked and good or bad; absent; present but not checked (no key). */
export type SignatureState = 'valid' | 'invalid' | 'unsigned' | 'not-checked';

/** What {@link verifyEvidencePack} found. */
export interface PackVerification {
  kind: 'fairwatch.evidence-verification';
  ok: boolean;
  pack: string;
  format: 'dir' | 'zip';
  /** Files listed in the manifest, and how many of them matched. */
  listed: number;
  matched: number;
  signature: SignatureState;
  /** Fingerprint (sha256 of SPKI DER) of the key the signature was checked with. */
  publicKeySha256: string | null;
  manifest: Pick<EvidenceManifest, 'created' | 'tool' | 'period' | 'control' | 'store' | 'signing' | 'counts'> | null;
  audit: { lines: number; firstSeq: number; lastSeq: number; chainOk: boolean; storeVerifiedAtExport: boolean | null } | null;
  problems: PackProblem[];
  /** Plain statements an auditor must see (unsigned pack, signature not checked). */
  notices: string[];
}

/**
 * Verify the pack at `path` (a folder or a `.zip`; see the module comment). `publicKey` is a PEM
 * file path or a key object. Throws `InputError` only when the pack cannot be opened at all (no
 * such path, not a zip) or the public key is unreadable; every problem inside the pack is
 * reported in the result.
 *
 * @example
 * ```ts
 * const v = await verifyEvidencePack('pack/');
 * v.signature; // 'unsigned'
 * v.notices;   // ['the pack is NOT SIGNED: nothing shows who made it, or that manifest.json is the one they made']
 * ```
 */
export async function verifyEvidencePack(path: string, options: { publicKey?: string | KeyObject } = {}): Promise<PackVerification> {
  const fn = 'verifyEvidencePack';
  const key = loadPublicKey(options.publicKey);
  let st;
  try {
    st = await stat(path); // the pack's own path is the user's choice; links inside it are never followed
  } catch {
    throw new InputError(messages.packNotFound(fn, path), 'packNotFound', { path });
  }
  if (st.isDirectory()) {
    const { files, refused } = await readPackFolder(path);
    return verifyPackFiles(files, { refused, pack: path, format: 'dir', publicKey: key });
  }
  if (!st.isFile()) throw new InputError(messages.archiveInvalid(fn, path, 'it is neither a folder nor a regular file'), 'archiveInvalid', { path });
  const { files, refused } = readZip(await readFile(path), { source: path });
  return verifyPackFiles(files, { refused, pack: path, format: 'zip', publicKey: key });
}

function loadPublicKey(k: string | KeyObject | undefined): KeyObject | undefined {
  if (k === undefined || typeof k !== 'string') return k;
  let pem: string;
  try {
    pem = readFileSync(k, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(messages.fileNotFound('verifyEvidencePack', k), 'fileNotFound', { path: k });
    throw new InputError(messages.badSigningKey('verifyEvidencePack', k, `public key unreadable: ${(e as Error).message}`), 'badSigningKey');
  }
  return publicSigningKey(pem, k);
}

/**
 * Read a pack folder's regular files into memory without following links: symlinks and other
 * non-regular entries are refused (reported, not read).
 *
 * @example
 * ```ts
 * const { files, refused } = await readPackFolder('pack/');
 * [...files.keys()]; // ['audit/audit-log.jsonl', 'manifest.json', …]
 * ```
 */
export async function readPackFolder(root: string): Promise<{ files: Map<string, Uint8Array>; refused: ZipProblem[] }> {
  const files = new Map<string, Uint8Array>();
  const refused: ZipProblem[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(rel ? join(root, ...rel.split('/')) : root, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(name);
      else if (e.isFile()) files.set(name, new Uint8Array(await readFile(join(root, ...name.split('/')))));
      else refused.push({ entry: name, kind: 'unsafe-entry', message: messages.unsafeEntry(name, e.isSymbolicLink() ? 'it is a symbolic link' : 'it is not a regular file') });
    }
  };
  await walk('');
  return { files, refused };
}

/**
 * Verify a pack's files given in memory (path → bytes), with entries already refused by the
 * reader. Pure: used by {@link verifyEvidencePack} for folders and zips alike.
 *
 * @example
 * ```ts
 * const v = verifyPackFiles(new Map([['manifest.json', bytes], ['a.txt', a]]), { pack: 'mem', format: 'dir' });
 * v.problems; // []
 * ```
 */
export function verifyPackFiles(
  files: ReadonlyMap<string, Uint8Array>,
  options: { refused?: readonly ZipProblem[]; pack: string; format: 'dir' | 'zip'; publicKey?: KeyObject | undefined },
): PackVerification {
  const problems: PackProblem[] = (options.refused ?? []).map((r) => ({ kind: r.kind, path: r.entry, message: r.message }));
  const notices: string[] = [];
  const result = (over: Partial<PackVerification>): PackVerification => ({
    kind: 'fairwatch.evidence-verification',
    ok: problems.length === 0,
    pack: options.pack,
    format: options.format,
    listed: 0,
    matched: 0,
    signature: 'unsigned',
    publicKeySha256: options.publicKey ? publicKeyFingerprint(options.publicKey) : null,
    manifest: null,
    audit: null,
    problems,
    notices,
    ...over,
  });
  const manifestData = files.get(PACK_FILES.manifest);
  if (manifestData === undefined) {
    problems.push({ kind: 'manifest-missing', path: PACK_FILES.manifest, message: messages.packManifestMissing() });
    return result({ ok: false });
  }
  const parsed = parseManifest(manifestData);

  // signature (over the exact bytes, whatever they parse to)
  const sigData = files.get(PACK_FILES.signature);
  let signature: SignatureState;
  const given = options.publicKey ? publicKeyFingerprint(options.publicKey) : null;
  if (sigData === undefined) {
    signature = 'unsigned';
    if (options.publicKey) problems.push({ kind: 'signature-missing', path: PACK_FILES.signature, message: messages.packSignatureExpected() });
    else notices.push('the pack is NOT SIGNED: nothing shows who made it, or that manifest.json is the one they made');
  } else if (!options.publicKey) {
    signature = 'not-checked';
    const declared = parsed.manifest?.signing?.publicKeySha256;
    notices.push(`the signature was NOT CHECKED: no public key given (the manifest names the key with sha256 ${declared ?? 'unknown'}); pass --public-key`);
  } else {
    const declared = parsed.manifest?.signing?.publicKeySha256;
    if (declared !== undefined && declared !== given) problems.push({ kind: 'key-mismatch', path: PACK_FILES.manifest, message: messages.packKeyMismatch(declared, given!) });
    try {
      signature = verifyManifestSignature(manifestData, new TextDecoder().decode(sigData), options.publicKey) ? 'valid' : 'invalid';
      if (signature === 'invalid') problems.push({ kind: 'signature-invalid', path: PACK_FILES.signature, message: messages.packSignatureInvalid(given!) });
    } catch (e) {
      if (!(e instanceof FairwatchError)) throw e;
      signature = 'invalid';
      problems.push({ kind: 'signature-malformed', path: PACK_FILES.signature, message: e.message });
    }
  }

  if (!parsed.manifest) {
    problems.push({ kind: 'manifest-invalid', path: PACK_FILES.manifest, message: messages.packManifestInvalid(parsed.error!.field, parsed.error!.problem) });
    return result({ ok: false, signature });
  }
  const m = parsed.manifest;
  if (m.signing === null && sigData !== undefined) notices.push('manifest.sig is present but manifest.json names no signing key');

  // files against the manifest
  let matched = 0;
  const listed = new Set<string>();
  for (const f of m.files) {
    listed.add(f.path);
    const data = files.get(f.path);
    if (data === undefined) {
      // a refused entry is already reported; say it is missing too, since its content was not checked
      problems.push({ kind: 'missing-file', path: f.path, message: messages.packFileMissing(f.path) });
      continue;
    }
    let good = true;
    if (data.byteLength !== f.size) {
      problems.push({ kind: 'size-mismatch', path: f.path, message: messages.packSizeMismatch(f.path, f.size, data.byteLength) });
      good = false;
    }
    const digest = sha256Hex(data);
    if (digest !== f.sha256) {
      problems.push({ kind: 'digest-mismatch', path: f.path, message: messages.packDigestMismatch(f.path, f.sha256, digest) });
      good = false;
    }
    if (good) matched++;
  }
  for (const path of files.keys()) {
    if (path === PACK_FILES.manifest || path === PACK_FILES.signature || listed.has(path)) continue;
    problems.push({ kind: 'extra-file', path, message: messages.packFileExtra(path) });
  }

  // the audit-log extract's chain
  let audit: PackVerification['audit'] = null;
  if (m.audit !== null) {
    const data = files.get(m.audit.file);
    if (data !== undefined) {
      const chain = verifyAuditExtract(new TextDecoder().decode(data), m.audit);
      for (const p of chain.problems) problems.push({ kind: 'audit-chain', path: m.audit.file, message: p });
      audit = { lines: chain.lines, firstSeq: chain.firstSeq, lastSeq: chain.lastSeq, chainOk: chain.problems.length === 0, storeVerifiedAtExport: m.audit.storeVerification.ok };
      if (!m.audit.storeVerification.ok) {
        const p = m.audit.storeVerification.problem;
        notices.push(`at export the store's audit trail FAILED verification${p ? ` (${p.kind} at line ${p.line}: ${p.message})` : ''}`);
      }
    }
  }
  const { created, tool, period, control, store, signing, counts } = m;
  return result({ ok: problems.length === 0, listed: m.files.length, matched, signature, manifest: { created, tool, period, control, store, signing, counts }, audit });
}

/**
 * Check an audit-log extract (JSON lines, each ending in a newline) on its own: every line is an
 * audit event, seq goes up by one, every `prev` is the sha256 of the line before; with the
 * manifest's record, the first line's `prev`, the line count, the first and last seq and the
 * last line's sha256 must match it. Returns every problem as a sentence.
 *
 * @example
 * ```ts
 * verifyAuditExtract(lines.map((l) => l + '\n').join(''), manifest.audit).problems; // []
 * verifyAuditExtract(edited, manifest.audit).problems[0]; // 'audit-log extract line 1: its sha256 does not match the prev of line 2 (line 1 was edited, or line 2's prev)'
 * ```
 */
export function verifyAuditExtract(text: string, expected?: ManifestAudit | null): { lines: number; firstSeq: number; lastSeq: number; problems: string[] } {
  const problems: string[] = [];
  const parts = text === '' ? [''] : text.split('\n');
  const partial = parts.pop()!;
  if (partial !== '') problems.push(messages.packAuditChain(parts.length + 1, `a partial line of ${Buffer.byteLength(partial)} bytes without a newline`));
  const lines = parts;
  let prevSeq: number | null = null;
  let firstSeq = 0;
  let lastSeq = 0;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    let e: { seq?: unknown; prev?: unknown } | null = null;
    try {
      const v = JSON.parse(lines[i]!) as unknown;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) e = v as { seq?: unknown; prev?: unknown };
    } catch {
      e = null;
    }
    const seq = e && Number.isInteger(e.seq) && (e.seq as number) >= 1 ? (e.seq as number) : null;
    const prev = e && typeof e.prev === 'string' && /^[0-9a-f]{64}$/.test(e.prev) ? e.prev : null;
    if (e === null) problems.push(messages.packAuditChain(n, 'not a JSON object'));
    else if (seq === null) problems.push(messages.packAuditChain(n, `seq ${JSON.stringify(e.seq)} is not a positive integer`));
    else if (prev === null) problems.push(messages.packAuditChain(n, 'prev is not a sha256 hex digest'));
    if (i === 0) {
      if (seq !== null) firstSeq = seq;
      if (expected && prev !== null && prev !== expected.prev) problems.push(messages.packAuditChain(n, `its prev ${prev.slice(0, 16)}… is not the manifest's ${expected.prev.slice(0, 16)}… (the line before the extract)`));
      if (seq === 1 && prev !== null && prev !== ZERO_DIGEST) problems.push(messages.packAuditChain(n, 'it has seq 1 but its prev is not 64 zeros'));
    } else {
      if (seq !== null && prevSeq !== null && seq !== prevSeq + 1) {
        problems.push(messages.packAuditChain(n, `seq ${seq} follows seq ${prevSeq}: ${seq > prevSeq + 1 ? 'lines were removed' : 'lines were reordered or repeated'}`));
      }
      if (prev !== null && prev !== sha256Hex(lines[i - 1]!)) {
        problems.push(messages.packAuditChain(i, `its sha256 does not match the prev of line ${n} (line ${i} was edited, or line ${n}'s prev)`));
      }
    }
    if (seq !== null) {
      prevSeq = seq;
      lastSeq = seq;
    } else prevSeq = null;
  }
  if (expected) {
    const head = lines.length ? sha256Hex(lines[lines.length - 1]!) : ZERO_DIGEST;
    if (expected.lines !== lines.length) problems.push(messages.packAuditSummary('lines', expected.lines, lines.length));
    if (lines.length && expected.firstSeq !== firstSeq) problems.push(messages.packAuditSummary('firstSeq', expected.firstSeq, firstSeq));
    if (lines.length && expected.lastSeq !== lastSeq) problems.push(messages.packAuditSummary('lastSeq', expected.lastSeq, lastSeq));
    if (expected.head !== head) problems.push(messages.packAuditSummary('the sha256 of the last line', expected.head.slice(0, 16) + '…', head.slice(0, 16) + '…'));
  }
  return { lines: lines.length, firstSeq, lastSeq, problems };
}

/**
 * The verification as text: a verdict line, the signature line, notices, and one line per problem.
 *
 * @example
 * ```ts
 * formatPackVerification(v).split('\n')[0]; // 'evidence pack pack.zip: OK — 23 of 23 files match manifest.json'
 * ```
 */
export function formatPackVerification(v: PackVerification): string {
  const lines: string[] = [];
  lines.push(`evidence pack ${v.pack}: ${v.ok ? 'OK' : `${v.problems.length} PROBLEM${v.problems.length === 1 ? '' : 'S'}`} — ${v.matched} of ${v.listed} files match manifest.json`);
  if (v.manifest) {
    const p = v.manifest.period;
    lines.push(`  created ${v.manifest.created} by fairwatch ${v.manifest.tool.version} from ${v.manifest.store.kind} store ${v.manifest.store.target}; period ${p ? `${p.from} .. ${p.to}` : 'everything'}${v.manifest.control ? `; control ${v.manifest.control}` : ''}`);
  }
  const sig: Record<SignatureState, string> = {
    valid: `signature: VALID (Ed25519, key sha256 ${v.publicKeySha256})`,
    invalid: `signature: INVALID (checked with key sha256 ${v.publicKeySha256})`,
    unsigned: 'signature: NONE — the pack is unsigned',
    'not-checked': 'signature: present, NOT CHECKED (no --public-key given)',
  };
  lines.push(`  ${sig[v.signature]}`);
  if (v.audit) lines.push(`  audit-log extract: ${v.audit.lines} line(s), seq ${v.audit.firstSeq}..${v.audit.lastSeq}, chain ${v.audit.chainOk ? 'intact' : 'BROKEN'}`);
  for (const n of v.notices) lines.push(`  note: ${n}`);
  for (const p of v.problems) lines.push(`  ${p.kind}: ${p.message}`);
  return lines.join('\n') + '\n';
}
