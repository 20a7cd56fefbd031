/**
 * `fairwatch evidence export` and `fairwatch evidence verify` (see `src/evidence/`).
 *
 * Exit codes: export 0 written, 2 bad arguments (the target exists, a bad key, period or
 * control), 1 store failure. Verify **0 the pack is intact**, **3 at least one problem** (each is
 * listed), 2 the pack cannot be opened at all or the public key is unreadable. Verify writes
 * nothing: not to the store, not to disk (zips are read in memory).
 *
 * @example
 * ```sh
 * fairwatch evidence export --out evidence-2026Q1.zip --period 2026-01-01..2026-03-31 --sign-key keys/ci
 * fairwatch evidence verify evidence-2026Q1.zip --public-key keys/ci.pub
 * ```
 */
import { exportEvidencePack, type ExportOptions } from '../evidence/pack.js';
import { formatPackVerification, verifyEvidencePack } from '../evidence/verify.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch evidence export`. */
export interface EvidenceExportArgs extends Pick<ExportOptions, 'out' | 'period' | 'control' | 'signKey' | 'policy' | 'applicability' | 'now' | 'extraFiles' | 'actor'> {
  store?: string;
  format?: 'text' | 'json';
}

/** Typed arguments of `fairwatch evidence verify`. */
export interface EvidenceVerifyArgs {
  pack: string;
  publicKey?: string;
  format?: 'text' | 'json';
}

/**
 * Export a pack; prints what was written (stderr for text, one JSON document on stdout with
 * `--format json`).
 *
 * @example
 * ```ts
 * await runEvidenceExport({ out: 'pack.zip', signKey: 'keys/ci' }, io); // 0; stderr 'wrote pack.zip: 17 files …'
 * ```
 */
export async function runEvidenceExport(args: EvidenceExportArgs, io: CliIO): Promise<number> {
  const { store, format, ...rest } = args;
  const r = await exportEvidencePack({ ...rest, ...(store !== undefined ? { store } : {}) });
  if (format === 'json') {
    io.stdout(JSON.stringify({ kind: 'fairwatch.evidence-export', out: r.out, format: r.format, files: r.files, manifestSha256: r.manifestSha256, signed: r.signed, publicKeySha256: r.publicKeySha256, counts: r.manifest.counts, audit: { seq: r.audit.seq, action: r.audit.action } }, null, 2) + '\n');
    return EXIT.ok;
  }
  const c = r.manifest.counts;
  const p = r.manifest.period;
  io.stderr(
    [
      `wrote ${r.out} (${r.format === 'zip' ? 'zip' : 'folder'}): ${r.files} files + manifest.json${r.signed ? ' + manifest.sig' : ''}`,
      `  period ${p ? `${p.from} .. ${p.to}` : 'everything'}${r.manifest.control ? `; control ${r.manifest.control}` : ''}; store ${r.manifest.store.target}`,
      `  ${c.runs} run(s), ${c.findings} finding(s), ${c.riskEntries} risk entr${c.riskEntries === 1 ? 'y' : 'ies'} (${c.riskVersions} version(s) in the period), ${c.auditLines} audit-log line(s), ${c.evidenceItems} evidence item(s)`,
      `  manifest.json sha256 ${r.manifestSha256}`,
      r.signed ? `  signed with Ed25519 key sha256 ${r.publicKeySha256}` : '  NOT SIGNED (give --sign-key to sign the manifest)',
      `  recorded as audit-log line ${r.audit.seq} (evidence.export)`,
    ].join('\n') + '\n',
  );
  return EXIT.ok;
}

/**
 * Verify a pack; prints every problem; exit 0 when intact, 3 when not.
 *
 * @example
 * ```ts
 * await runEvidenceVerify({ pack: 'pack.zip', publicKey: 'keys/ci.pub' }, io); // 0; stdout 'evidence pack pack.zip: OK — …'
 * ```
 */
export async function runEvidenceVerify(args: EvidenceVerifyArgs, io: CliIO): Promise<number> {
  const v = await verifyEvidencePack(args.pack, args.publicKey !== undefined ? { publicKey: args.publicKey } : {});
  io.stdout(args.format === 'json' ? JSON.stringify(v, null, 2) + '\n' : formatPackVerification(v));
  return v.ok ? EXIT.ok : EXIT.policyFailed;
}
