/**
 * `fairwatch controls`: list the ISO/IEC 42001 clauses and Annex A controls with the evidence
 * kinds the toolkit produces for each and its coverage (direct, partial, none), optionally only
 * one coverage, as text, Markdown or one JSON document.
 *
 * @example
 * ```ts
 * await runControls({ coverage: 'direct', format: 'json' }, io); // 0; stdout: { "kind": "fairwatch.controls", ... }
 * ```
 */
import { InputError, messages } from '../errors.js';
import { catalogueEntries, COVERAGES, formatCatalogue, loadCatalogue, type Coverage } from '../governance/catalogue.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch controls`. */
export interface ControlsArgs {
  coverage?: Coverage;
  format?: 'text' | 'json' | 'md';
}

/**
 * Convert commander's option bag into typed {@link ControlsArgs}.
 *
 * @example
 * ```ts
 * controlsArgsFromCli({ coverage: 'none', format: 'md' }); // { coverage: 'none', format: 'md' }
 * controlsArgsFromCli({ coverage: 'some' });               // throws InputError (bad option)
 * ```
 */
export function controlsArgsFromCli(o: Record<string, unknown>): ControlsArgs {
  const args: ControlsArgs = {};
  if (o.coverage !== undefined) {
    if (!(COVERAGES as readonly unknown[]).includes(o.coverage)) {
      throw new InputError(messages.badOption('controls', '--coverage', o.coverage, COVERAGES.join(', ')), 'badOption', { option: 'coverage' });
    }
    args.coverage = o.coverage as Coverage;
  }
  if (o.format !== undefined) {
    if (!['text', 'json', 'md'].includes(String(o.format))) {
      throw new InputError(messages.badOption('controls', '--format', o.format, 'text, json, md'), 'badOption', { option: 'format' });
    }
    args.format = o.format as ControlsArgs['format'];
  }
  return args;
}

/**
 * Run the controls command: print the catalogue entries; returns the exit code (0).
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * await runControls({ coverage: 'none' }, { stdout: (t) => out.push(t), stderr: () => {} }); // 0
 * out.join('').includes('not evidenced by this toolkit'); // true
 * ```
 */
export async function runControls(args: ControlsArgs, io: CliIO): Promise<number> {
  const entries = catalogueEntries(args.coverage ? { coverage: args.coverage } : {}, loadCatalogue());
  io.stdout(formatCatalogue(entries, args.format ?? 'text') + '\n');
  return EXIT.ok;
}
