/**
 * Export an evidence pack: collect (`collect.ts`), make the files (`producers.ts` plus any
 * `extraFiles`), list them in `manifest.json`, sign its bytes when a key is given, write the pack
 * atomically as a folder or a `.zip`, then record `evidence.export` in the store's audit trail.
 *
 * Atomic writes: the pack is built in a temporary folder (or file) next to the target, every file
 * fsync'd, then moved into place in one step — `rename` for a folder, `link` + `unlink` for a zip
 * (which fails instead of replacing a file that appeared meanwhile). The target must not exist:
 * a pack is never written over anything. If the audit line cannot be appended, the pack is
 * removed again and the error raised, so no pack exists without its audit line.
 *
 * @example
 * ```ts
 * const r = await exportEvidencePack({ store: '.fairwatch', out: 'evidence-2026Q1.zip', period: '2026-01-01..2026-03-31', signKey: 'keys/ci' });
 * [r.files, r.signed, r.audit.seq]; // [23, true, 12]
 * ```
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { link, mkdir, mkdtemp, open, rm, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, messages } from '../errors.js';
import { sha256Hex } from '../governance/digest.js';
import type { AuditEvent } from '../governance/types.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { collectEvidence, type CollectOptions, type EvidenceContext } from './collect.js';
import { buildManifest, manifestBytes, PACK_FILES, type EvidenceFile, type EvidenceManifest } from './manifest.js';
import { AUDIT_EXTRACT_PATH, EVIDENCE_PRODUCERS, type EvidenceFileProducer } from './producers.js';
import { privateSigningKey, publicKeyFingerprint, signManifest } from './signing.js';
import { unsafePathReason, writeZip } from './zip.js';
import { fsyncDir } from '../io/atomic.js';

/** Options of {@link exportEvidencePack}. */
export interface ExportOptions extends CollectOptions {
  /** An open store, or its location (default `FAIRWATCH_STORE` or `.fairwatch`). */
  store?: Store | string;
  /** Target folder, or a file ending in `.zip`; must not exist. */
  out: string;
  /** Ed25519 private key (PKCS#8 PEM file) to sign manifest.json with. */
  signKey?: string;
  /** Producers to use instead of {@link EVIDENCE_PRODUCERS}. */
  producers?: readonly EvidenceFileProducer[];
  /** More files (or producers of files) for this pack, e.g. reports made by the caller. */
  extraFiles?: readonly (EvidenceFile | EvidenceFileProducer)[];
  /** Who exports (audit line actor; default `defaultActor()`). */
  actor?: string;
}

/** What {@link exportEvidencePack} wrote. */
export interface ExportResult {
  out: string;
  format: 'dir' | 'zip';
  /** Files listed in the manifest (manifest.json and manifest.sig not counted). */
  files: number;
  manifest: EvidenceManifest;
  manifestSha256: string;
  signed: boolean;
  /** Fingerprint of the signing key (sha256 of its SPKI DER). */
  publicKeySha256: string | null;
  audit: AuditEvent;
}

/**
 * Make a pack's files and manifest in memory (no writing): run the producers, add `extraFiles`,
 * check paths are safe and unique, build and optionally sign the manifest.
 *
 * @example
 * ```ts
 * const pack = await buildEvidencePack(ctx, { signKeyPem });
 * pack.files.at(-1)!.path; // 'manifest.sig'
 * ```
 */
export async function buildEvidencePack(
  ctx: EvidenceContext,
  options: { producers?: readonly EvidenceFileProducer[]; extraFiles?: readonly (EvidenceFile | EvidenceFileProducer)[]; signKeyPem?: string; signKeySource?: string } = {},
): Promise<{ files: EvidenceFile[]; manifest: EvidenceManifest; manifestBytes: Uint8Array }> {
  const fn = 'buildEvidencePack';
  const files: EvidenceFile[] = [];
  for (const p of [...(options.producers ?? EVIDENCE_PRODUCERS), ...(options.extraFiles ?? [])]) files.push(...(typeof p === 'function' ? await p(ctx) : [p]));
  const seen = new Set<string>();
  for (const f of files) {
    const reason = unsafePathReason(f.path) ?? (f.path === PACK_FILES.manifest || f.path === PACK_FILES.signature ? 'it is reserved for the manifest and its signature' : null);
    if (reason) throw new InputError(messages.evidenceBadPath(fn, f.path, reason), 'evidenceBadPath');
    if (seen.has(f.path)) throw new InputError(messages.evidenceDuplicatePath(fn, f.path), 'evidenceDuplicatePath');
    seen.add(f.path);
  }
  const key = options.signKeyPem === undefined ? undefined : privateSigningKey(options.signKeyPem, options.signKeySource);
  const lines = ctx.audit.lines;
  const v = ctx.audit.verification;
  const manifest = buildManifest(files, {
    created: ctx.created,
    period: ctx.period,
    control: ctx.control,
    store: { kind: ctx.store.kind, target: ctx.store.target },
    signing: key ? { algorithm: 'Ed25519', publicKeySha256: publicKeyFingerprint(key) } : null,
    audit: {
      file: AUDIT_EXTRACT_PATH,
      lines: lines.length,
      firstSeq: lines[0]?.event?.seq ?? 0,
      lastSeq: lines.at(-1)?.event?.seq ?? 0,
      prev: ctx.audit.prev,
      head: lines.length ? sha256Hex(lines.at(-1)!.text) : '0'.repeat(64),
      location: ctx.audit.location,
      storeVerification: { ok: v.ok, lines: v.lines, ...(v.problem ? { problem: { ...v.problem } } : {}) },
    },
    counts: {
      runs: ctx.runs.length,
      findings: ctx.findings.length,
      riskEntries: ctx.risks.latest.length,
      riskVersions: ctx.risks.history.length,
      auditLines: lines.length,
      evidenceItems: ctx.items.length,
    },
  });
  const bytes = manifestBytes(manifest);
  const out = [...files, { path: PACK_FILES.manifest, data: bytes }];
  if (key) out.push({ path: PACK_FILES.signature, data: new TextEncoder().encode(signManifest(bytes, key)) });
  return { files: out, manifest, manifestBytes: bytes };
}

/**
 * Write files as a pack at `out` (a folder, or a zip when `out` ends in `.zip`), atomically (see
 * the module comment). Throws `InputError` 'evidenceOutExists' when `out` exists.
 *
 * @example
 * ```ts
 * await writeEvidencePack('evidence/2026Q1', pack.files); // 'dir'
 * ```
 */
export async function writeEvidencePack(out: string, files: readonly EvidenceFile[], options: { mtime?: Date } = {}): Promise<'dir' | 'zip'> {
  const fn = 'writeEvidencePack';
  const target = resolve(out);
  if (existsSync(target)) throw new InputError(messages.evidenceOutExists(fn, out), 'evidenceOutExists', { out });
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  if (/\.zip$/i.test(target)) {
    const bytes = writeZip(files, options);
    const tmp = join(parent, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeSynced(tmp, bytes, 'wx');
      try {
        await link(tmp, target); // fails (EEXIST) rather than replace a file created meanwhile
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new InputError(messages.evidenceOutExists(fn, out), 'evidenceOutExists', { out });
        throw e;
      }
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    await fsyncDir(parent);
    return 'zip';
  }
  const tmp = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
  try {
    const dirs = new Set<string>([tmp]);
    for (const f of files) {
      const p = join(tmp, ...f.path.split('/'));
      await mkdir(dirname(p), { recursive: true });
      dirs.add(dirname(p));
      await writeSynced(p, f.data, 'wx');
    }
    for (const d of dirs) await fsyncDir(d);
    if (existsSync(target)) throw new InputError(messages.evidenceOutExists(fn, out), 'evidenceOutExists', { out });
    await rename(tmp, target);
    await fsyncDir(parent);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return 'dir';
}

/**
 * `fairwatch evidence export` as a function: collect from the store, build, sign, write, and
 * append `evidence.export` (outputs: sha256 of manifest.json; details: out path, file count,
 * period, control, signing key) to the audit trail.
 *
 * @example
 * ```ts
 * const r = await exportEvidencePack({ store, out: '/tmp/pack', now: '2026-04-01T00:00:00Z' });
 * r.audit.outputs['manifest.json'] === r.manifestSha256; // true
 * ```
 */
export async function exportEvidencePack(options: ExportOptions): Promise<ExportResult> {
  const fn = 'exportEvidencePack';
  if (existsSync(resolve(options.out))) throw new InputError(messages.evidenceOutExists(fn, options.out), 'evidenceOutExists', { out: options.out });
  let signKeyPem: string | undefined;
  if (options.signKey !== undefined) {
    try {
      signKeyPem = readFileSync(options.signKey, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(messages.fileNotFound(fn, options.signKey), 'fileNotFound', { path: options.signKey });
      throw new InputError(messages.badSigningKey(fn, options.signKey, `private key unreadable: ${(e as Error).message}`), 'badSigningKey');
    }
    privateSigningKey(signKeyPem, options.signKey); // fail before reading the store
  }
  const store = typeof options.store === 'object' ? options.store : await openStore(options.store);
  try {
    const ctx = await collectEvidence(store, options);
    const pack = await buildEvidencePack(ctx, {
      ...(options.producers ? { producers: options.producers } : {}),
      ...(options.extraFiles ? { extraFiles: options.extraFiles } : {}),
      ...(signKeyPem !== undefined ? { signKeyPem, signKeySource: options.signKey } : {}),
    });
    const format = await writeEvidencePack(options.out, pack.files, { mtime: new Date(ctx.created) });
    const manifestSha256 = sha256Hex(pack.manifestBytes);
    let audit: AuditEvent;
    try {
      audit = await store.appendAudit({
        action: 'evidence.export',
        ...(options.actor !== undefined ? { actor: options.actor } : {}),
        inputs: {},
        outputs: { 'manifest.json': manifestSha256 },
        details: {
          out: resolve(options.out),
          format,
          files: pack.manifest.files.length,
          period: ctx.period,
          control: ctx.control,
          signed: pack.manifest.signing !== null,
          publicKeySha256: pack.manifest.signing?.publicKeySha256 ?? null,
          auditExtract: { firstSeq: pack.manifest.audit!.firstSeq, lastSeq: pack.manifest.audit!.lastSeq },
        },
      });
    } catch (e) {
      await rm(resolve(options.out), { recursive: true, force: true });
      throw e;
    }
    return {
      out: options.out,
      format,
      files: pack.manifest.files.length,
      manifest: pack.manifest,
      manifestSha256,
      signed: pack.manifest.signing !== null,
      publicKeySha256: pack.manifest.signing?.publicKeySha256 ?? null,
      audit,
    };
  } finally {
    if (typeof options.store !== 'object') await store.close();
  }
}

async function writeSynced(path: string, data: Uint8Array, flags: 'wx'): Promise<void> {
  const fh = await open(path, flags, 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

