/**
 * `fairwatch soa`: the statement of applicability — every Annex A control with its applicability
 * and justification (from `--applicability file.yaml`, else the shipped default: every control
 * applicable), implementation status, and the evidence the store holds for it (findings, risk
 * entries, policies, data fingerprints, audit-trail lines, exported reports, each with its
 * sha256; see `governance/evidence.ts`). Organisational controls say "not evidenced by this
 * toolkit".
 *
 * With `--out file` the statement is written atomically and the export is logged in the audit
 * trail (`soa.export`, inputs: digests of the applicability and of the evidence; outputs: the
 * file's sha256). Printing to stdout is a view and is not logged.
 *
 * @example
 * ```sh
 * fairwatch soa --applicability applicability.yaml --format md --out evidence/soa.md
 * ```
 */
import { basename } from 'node:path';
import { loadCatalogue } from '../governance/catalogue.js';
import { digestJSON, sha256Hex } from '../governance/digest.js';
import { formatSoa, loadApplicability, statementOfApplicability, type StatementOfApplicability } from '../governance/soa.js';
import { writeFileAtomic } from '../io/atomic.js';
import { storeEvidence, type StoreEvidence } from '../store/evidence.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch soa`. */
export interface SoaArgs {
  /** The organisation's applicability file (default: the shipped one). */
  applicability?: string;
  store?: string;
  format?: 'text' | 'json' | 'md';
  /** Write here atomically (and log the export) instead of printing. */
  out?: string;
  /** Time of the statement (default now). */
  now?: Date | string;
}

/**
 * Build the statement from an open store: its evidence, the applicability file, the catalogue.
 *
 * @example
 * ```ts
 * const { soa, evidence } = await soaFromStore(store, { now: '2026-04-01T00:00:00Z' });
 * soa.controls.length; // 38
 * ```
 */
export async function soaFromStore(store: Store, args: Pick<SoaArgs, 'applicability' | 'now'> = {}): Promise<{ soa: StatementOfApplicability; evidence: StoreEvidence; applicabilityDigest: string }> {
  const applicability = loadApplicability(args.applicability);
  const evidence = await storeEvidence(store);
  const soa = statementOfApplicability({ catalogue: loadCatalogue(), applicability, evidence: evidence.items, now: args.now ?? new Date() });
  return { soa, evidence, applicabilityDigest: digestJSON(applicability) };
}

/**
 * Render the statement with a line saying where its evidence came from (text and Markdown), or
 * as JSON with `store` and `evidenceCounts` added.
 *
 * @example
 * ```ts
 * renderSoa(soa, evidence, store.target, 'md').split('\n')[0]; // '## Statement of applicability (ISO/IEC 42001:2023)'
 * ```
 */
export function renderSoa(soa: StatementOfApplicability, evidence: StoreEvidence, target: string, format: 'text' | 'json' | 'md'): string {
  if (format === 'json') return JSON.stringify({ ...soa, store: target, evidenceCounts: evidence.counts, auditTrail: evidence.audit }, null, 2) + '\n';
  const c = evidence.counts;
  const source = `Evidence from the store ${target}: ${c.runs} run(s), ${c.findings} finding(s), ${c.riskVersions} risk-register version(s), ${c.auditEvents} audit-trail line(s)${evidence.audit.ok ? '' : ` — the audit trail FAILS verification (${evidence.audit.problem?.kind} at line ${evidence.audit.problem?.line}), so its lines are not used as evidence`}.`;
  const text = formatSoa(soa, format);
  if (format === 'md') {
    const [title, ...rest] = text.split('\n');
    return [title, '', source, ...rest].join('\n') + '\n';
  }
  const [title, ...rest] = text.split('\n');
  return [title, source, ...rest].join('\n') + '\n';
}

/**
 * Run `fairwatch soa`; returns the exit code (0).
 *
 * @example
 * ```ts
 * await runSoa({ store: '.fairwatch', format: 'md', out: 'evidence/soa.md' }, io); // 0; stderr 'wrote evidence/soa.md (38 controls, 6 with toolkit evidence)'
 * ```
 */
export async function runSoa(args: SoaArgs, io: CliIO): Promise<number> {
  const format = args.format ?? 'text';
  const store = await openStore(args.store);
  try {
    const { soa, evidence, applicabilityDigest } = await soaFromStore(store, args);
    const text = renderSoa(soa, evidence, store.target, format);
    if (args.out === undefined) {
      io.stdout(text);
      return EXIT.ok;
    }
    await writeFileAtomic(args.out, text);
    await store.appendAudit({
      action: 'soa.export',
      inputs: { applicability: applicabilityDigest, evidence: digestJSON(evidence.items) },
      outputs: { [basename(args.out)]: sha256Hex(text) },
      details: { format, file: args.out, controls: soa.summary.controls, withEvidence: soa.summary.withEvidence },
    });
    io.stderr(`wrote ${args.out} (${soa.summary.controls} controls, ${soa.summary.withEvidence} with toolkit evidence)\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
