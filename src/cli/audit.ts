/**
 * `fairwatch audit`: read a file, run {@link audit}, print text, Markdown or one JSON document.
 *
 * @example
 * ```ts
 * await runAudit({ file: 'loans.csv', label: 'repaid', prediction: 'approved', sensitive: ['sex'], format: 'json' }, io);
 * ```
 */
import { InputError, messages } from '../errors.js';
import { audit, type AuditOptions } from '../fairness/audit.js';
import { readTableFile } from '../io/files.js';
import type { GroupValue } from '../kernels/groups.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch audit`. */
export interface AuditArgs {
  file: string;
  label: string;
  prediction?: string;
  score?: string;
  threshold?: number;
  sensitive: string[];
  intersect?: boolean;
  reference?: Record<string, string>;
  positiveLabel?: string;
  weights?: string;
  minGroupSize?: number;
  missing?: 'group' | 'drop' | 'error';
  maxGroups?: number;
  bins?: number;
  binStrategy?: 'uniform' | 'quantile';
  compat?: 'fairwatch' | 'fairlearn';
  ci?: boolean;
  resamples?: number;
  seed?: number;
  format?: 'text' | 'json' | 'md';
}

const integer = (option: string, value: unknown, min = 0): number => {
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new InputError(messages.badOption('audit', `--${option}`, value, `an integer >= ${min}`), 'badOption', { option, value });
  }
  return n;
};

/**
 * Convert commander's option bag into typed {@link AuditArgs}, checking numbers and pairs.
 *
 * @example
 * ```ts
 * auditArgsFromCli('x.csv', { label: 'y', prediction: 'p', sensitive: 'sex,race', minGroupSize: '30' }).sensitive; // ['sex', 'race']
 * ```
 */
export function auditArgsFromCli(file: string, o: Record<string, unknown>): AuditArgs {
  const sensitive = String(o.sensitive ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (sensitive.length === 0) throw new InputError(messages.badOption('audit', '--sensitive', o.sensitive, 'one or more column names'), 'badOption');
  if (o.prediction === undefined && o.score === undefined) {
    throw new InputError(messages.badOption('audit', '--prediction', undefined, '--prediction <col>, or --score <col> with --threshold <t>'), 'badOption');
  }
  if (o.prediction === undefined && o.threshold === undefined) {
    throw new InputError(messages.badOption('audit', '--threshold', undefined, 'a number when --score gives the predictions'), 'badOption');
  }
  const args: AuditArgs = { file, label: String(o.label), sensitive };
  if (o.prediction !== undefined) args.prediction = String(o.prediction);
  if (o.score !== undefined) args.score = String(o.score);
  if (o.threshold !== undefined) {
    const t = Number(o.threshold);
    if (String(o.threshold).trim() === '' || !Number.isFinite(t)) {
      throw new InputError(messages.badOption('audit', '--threshold', o.threshold, 'a finite number'), 'badOption');
    }
    args.threshold = t;
  }
  if (o.intersect) args.intersect = true;
  if (o.reference !== undefined) {
    const pairs = Array.isArray(o.reference) ? o.reference : [o.reference];
    args.reference = {};
    for (const p of pairs.flatMap((x) => String(x).split(','))) {
      const eq = p.indexOf('=');
      if (eq <= 0) throw new InputError(messages.badOption('audit', '--reference', p, 'column=value'), 'badOption');
      args.reference[p.slice(0, eq)] = p.slice(eq + 1);
    }
  }
  if (o.positiveLabel !== undefined) args.positiveLabel = String(o.positiveLabel);
  if (o.weights !== undefined) args.weights = String(o.weights);
  if (o.minGroupSize !== undefined) args.minGroupSize = integer('min-group-size', o.minGroupSize);
  if (o.missing !== undefined) args.missing = o.missing as AuditArgs['missing'];
  if (o.maxGroups !== undefined) args.maxGroups = integer('max-groups', o.maxGroups, 1);
  if (o.bins !== undefined) args.bins = integer('bins', o.bins, 1);
  if (o.binStrategy !== undefined) args.binStrategy = o.binStrategy as AuditArgs['binStrategy'];
  if (o.compat !== undefined) args.compat = o.compat as AuditArgs['compat'];
  if (o.ci) args.ci = true;
  if (o.resamples !== undefined) args.resamples = integer('resamples', o.resamples, 1);
  if (o.seed !== undefined) args.seed = integer('seed', o.seed);
  if (o.format !== undefined) args.format = o.format as AuditArgs['format'];
  return args;
}

/**
 * Run the audit command; returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runAudit({ file: 'demo-output/loans.csv', label: 'repaid', prediction: 'approved', sensitive: ['sex'] }, io); // 0
 * ```
 */
export async function runAudit(args: AuditArgs, io: CliIO): Promise<number> {
  const columns = [args.label, args.prediction, args.score, args.weights, ...args.sensitive].filter((c): c is string => c !== undefined);
  const table = await readTableFile(args.file, { columns: [...new Set(columns)], fn: 'audit' });
  const options: AuditOptions = {
    data: table,
    yTrue: args.label,
    sensitive: args.sensitive,
    ...(args.prediction !== undefined ? { yPred: args.prediction } : {}),
    ...(args.score !== undefined ? { yScore: args.score } : {}),
    ...(args.threshold !== undefined && args.prediction === undefined ? { threshold: args.threshold } : {}),
    ...(args.weights !== undefined ? { weights: args.weights } : {}),
    ...(args.positiveLabel !== undefined ? { positiveLabel: args.positiveLabel } : {}),
    ...(args.intersect ? { intersect: true } : {}),
    ...(args.reference ? { reference: args.reference as Record<string, GroupValue> } : {}),
    ...(args.minGroupSize !== undefined ? { minGroupSize: args.minGroupSize } : {}),
    ...(args.missing !== undefined ? { missing: args.missing } : {}),
    ...(args.maxGroups !== undefined ? { maxGroups: args.maxGroups } : {}),
    ...(args.bins !== undefined ? { nBins: args.bins } : {}),
    ...(args.binStrategy !== undefined ? { binStrategy: args.binStrategy } : {}),
    ...(args.compat !== undefined ? { compat: args.compat } : {}),
    ...(args.ci ? { ci: { resamples: args.resamples ?? 1000, seed: args.seed ?? 0 } } : {}),
  };
  const result = audit(options);
  const format = args.format ?? 'text';
  if (format === 'json') io.stdout(JSON.stringify({ file: args.file, ...result.toJSON() }, null, 2) + '\n');
  else if (format === 'md') io.stdout(result.toMarkdown() + '\n');
  else io.stdout(String(result) + '\n');
  for (const w of result.toJSON().warnings) io.stderr(`warning: ${w}\n`);
  return EXIT.ok;
}
