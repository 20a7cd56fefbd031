/**
 * The evidence pack's `manifest.json`: what the pack is (created, tool version, period, control
 * filter, store with passwords hidden, signing key fingerprint, the audit-log extract's chain
 * anchors) and every other file with its size and sha256. `manifest.sig` signs its exact bytes;
 * neither file lists itself.
 *
 * The bytes are `JSON.stringify(manifest, null, 2) + '\n'` with files sorted by path, so the same
 * pack content gives the same manifest.
 *
 * @example
 * ```ts
 * const m = buildManifest(files, { created: '2026-04-01T00:00:00.000Z', period: null, control: null, store: { kind: 'duckdb', target: '/w/.fairwatch' } });
 * m.files[0]; // { path: 'audit/audit-log.jsonl', size: 1834, sha256: '…' }
 * ```
 */
import { z } from 'zod';
import { sha256Hex } from '../governance/digest.js';
import { VERSION } from '../version.js';
import { unsafePathReason } from './zip.js';

/**
 * The pack's own file names: never listed in the manifest.
 *
 * @example
 * ```ts
 * PACK_FILES.manifest; // 'manifest.json'
 * ```
 */
export const PACK_FILES = { manifest: 'manifest.json', signature: 'manifest.sig' } as const;

/** One file of the pack. */
export interface EvidenceFile {
  /** Relative path with `/` separators (checked by `unsafePathReason`). */
  path: string;
  data: Uint8Array;
}

/** One line of the manifest's file list. */
export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

/** What the manifest says about the audit-log extract (so that its chain can be re-verified). */
export interface ManifestAudit {
  /** Path of the extract in the pack. */
  file: string;
  /** Lines in the extract. */
  lines: number;
  /** seq of the first and last line (0 when empty). */
  firstSeq: number;
  lastSeq: number;
  /** `prev` of the first line: sha256 of the log line before the extract (64 zeros from the log's start). */
  prev: string;
  /** sha256 of the last line (64 zeros when empty). */
  head: string;
  /** Where the trail lives in the store (passwords hidden). */
  location: string;
  /** The store's own verification of its whole trail at export time. */
  storeVerification: { ok: boolean; lines: number; problem?: { line: number; kind: string; message: string } };
}

/** The pack's metadata and file list. */
export interface EvidenceManifest {
  kind: 'fairwatch.evidence-manifest';
  version: 1;
  created: string;
  tool: { name: 'fairwatch'; version: string };
  /** The period exported (`[from, to]`, ISO-8601), or null for everything. */
  period: { from: string; to: string } | null;
  /** The clause or Annex A control the pack was filtered to, or null. */
  control: string | null;
  /** The store exported from (URL passwords replaced by ***). */
  store: { kind: string; target: string };
  /** The key that signs `manifest.sig`, or null for an unsigned pack. */
  signing: { algorithm: 'Ed25519'; publicKeySha256: string } | null;
  audit: ManifestAudit | null;
  /** How many records of each kind the pack holds. */
  counts: Record<string, number>;
  files: ManifestFile[];
}

/**
 * The manifest of `files` with the given metadata (files sorted by path; sizes and sha256
 * computed here).
 *
 * @example
 * ```ts
 * buildManifest([{ path: 'b', data: new Uint8Array() }], meta).files; // [{ path: 'b', size: 0, sha256: 'e3b0c442…' }]
 * ```
 */
export function buildManifest(
  files: readonly EvidenceFile[],
  meta: Omit<EvidenceManifest, 'kind' | 'version' | 'tool' | 'files' | 'signing' | 'audit' | 'counts'> & Partial<Pick<EvidenceManifest, 'signing' | 'audit' | 'counts'>>,
): EvidenceManifest {
  const list = files.map((f) => ({ path: f.path, size: f.data.byteLength, sha256: sha256Hex(f.data) })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    kind: 'fairwatch.evidence-manifest',
    version: 1,
    created: meta.created,
    tool: { name: 'fairwatch', version: VERSION },
    period: meta.period,
    control: meta.control,
    store: meta.store,
    signing: meta.signing ?? null,
    audit: meta.audit ?? null,
    counts: meta.counts ?? {},
    files: list,
  };
}

/**
 * The exact bytes of `manifest.json` (pretty JSON and a newline, UTF-8).
 *
 * @example
 * ```ts
 * new TextDecoder().decode(manifestBytes(m)).startsWith('{\n  "kind": "fairwatch.evidence-manifest"'); // true
 * ```
 */
export function manifestBytes(manifest: EvidenceManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n');
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');
const safePath = z.string().superRefine((p, ctx) => {
  const reason = unsafePathReason(p);
  if (reason) ctx.addIssue({ code: 'custom', message: `unsafe path ${JSON.stringify(p)}: ${reason}` });
  else if (p === PACK_FILES.manifest || p === PACK_FILES.signature) ctx.addIssue({ code: 'custom', message: `${p} cannot list itself` });
});
const manifestSchema = z.object({
  kind: z.literal('fairwatch.evidence-manifest'),
  version: z.literal(1),
  created: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  period: z.object({ from: z.string(), to: z.string() }).nullable(),
  control: z.string().nullable(),
  store: z.object({ kind: z.string(), target: z.string() }),
  signing: z.object({ algorithm: z.literal('Ed25519'), publicKeySha256: hex64 }).nullable(),
  audit: z
    .object({
      file: safePath,
      lines: z.number().int().nonnegative(),
      firstSeq: z.number().int().nonnegative(),
      lastSeq: z.number().int().nonnegative(),
      prev: hex64,
      head: hex64,
      location: z.string(),
      storeVerification: z.object({ ok: z.boolean(), lines: z.number(), problem: z.object({ line: z.number(), kind: z.string(), message: z.string() }).optional() }),
    })
    .nullable(),
  counts: z.record(z.string(), z.number()),
  files: z.array(z.object({ path: safePath, size: z.number().int().nonnegative(), sha256: hex64 })),
});

/**
 * Parse and validate `manifest.json` bytes; returns the manifest or the first problem as
 * `{ field, problem }` (never throws: the pack is someone else's).
 *
 * @example
 * ```ts
 * parseManifest(manifestBytes(m)).manifest!.files.length; // m.files.length
 * parseManifest(new TextEncoder().encode('{}')).error;    // { field: 'kind', problem: 'Invalid input: expected "fairwatch.evidence-manifest"' }
 * ```
 */
export function parseManifest(bytes: Uint8Array): { manifest?: EvidenceManifest; error?: { field: string; problem: string } } {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return { error: { field: '', problem: `not UTF-8 JSON (${(e as Error).message})` } };
  }
  const r = manifestSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { error: { field: issue.path.map(String).join('.'), problem: issue.message } };
  }
  const seen = new Set<string>();
  for (const [i, f] of r.data.files.entries()) {
    if (seen.has(f.path)) return { error: { field: `files.${i}.path`, problem: `${JSON.stringify(f.path)} is listed twice` } };
    seen.add(f.path);
  }
  return { manifest: r.data as EvidenceManifest };
}
