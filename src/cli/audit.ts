/**
 * `fairwatch audit`: read a file, run {@link audit}, print text, Markdown or one JSON document.
 *
 * @example
 * ```ts
 * await runAudit({ file: 'loans.csv', label: 'repaid', prediction: 'approved', sensitive: ['sex'], format: 'json' }, io);
 * ```
 */
import { InputError, messages } from '../errors.js';
import { groupMetricsFromEngine, openEngine, type FairnessQuery } from '../engines/index.js';
import { audit, AuditResult, type AuditOptions } from '../fairness/audit.js';
import { readTableFile } from '../io/files.js';
import type { GroupValue } from '../kernels/groups.js';
import { checkEngineArgs, engineSource, engineWhere, largeFileReason } from './engine-source.js';
import { EXIT, type CliIO } from './main.js';
import { scanProgress } from './progress.js';

/** Typed arguments of `fairwatch audit`. */
export interface AuditArgs {
  /** Input file (in-memory audit, or DuckDB pushdown with `engine: 'duckdb'`). */
  file?: string;
  /** Push the accumulate step down to an engine instead of reading rows into memory. */
  engine?: 'duckdb' | 'postgres' | 'clickhouse';
  /** Connection URL of postgres / clickhouse (or a DuckDB database path). */
  url?: string;
  /** A table name (or, with duckdb, a file path or glob). */
  source?: string;
  /** A SQL query whose rows are audited. */
  query?: string;
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
  /** Fine score bins of the summaries (default 3000); fewer bins return less from an engine. */
  fineBins?: number;
  binStrategy?: 'uniform' | 'quantile';
  compat?: 'fairwatch' | 'fairlearn';
  ci?: boolean;
  resamples?: number;
  seed?: number;
  format?: 'text' | 'json' | 'md';
  /** Evaluate the result against this policy file and record the run in the store (exit 3 when a finding fails). */
  policy?: string;
  /** Store of the run with --policy: folder, .duckdb file or postgres:// URL (default $FAIRWATCH_STORE or .fairwatch). */
  store?: string;
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
export function auditArgsFromCli(file: string | undefined, o: Record<string, unknown>): AuditArgs {
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
  const args: AuditArgs = { label: String(o.label), sensitive };
  if (file !== undefined) args.file = file;
  if (o.engine !== undefined) args.engine = o.engine as AuditArgs['engine'];
  if (o.url !== undefined) args.url = String(o.url);
  if (o.source !== undefined) args.source = String(o.source);
  if (o.query !== undefined) args.query = String(o.query);
  checkEngineArgs('audit', args);
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
  if (o.fineBins !== undefined) args.fineBins = integer('fine-bins', o.fineBins, 1);
  if (o.binStrategy !== undefined) args.binStrategy = o.binStrategy as AuditArgs['binStrategy'];
  if (o.compat !== undefined) args.compat = o.compat as AuditArgs['compat'];
  if (o.ci) args.ci = true;
  if (o.resamples !== undefined) args.resamples = integer('resamples', o.resamples, 1);
  if (o.seed !== undefined) args.seed = integer('seed', o.seed);
  if (o.format !== undefined) args.format = o.format as AuditArgs['format'];
  if (o.policy !== undefined) args.policy = String(o.policy);
  if (o.store !== undefined) args.store = String(o.store);
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
  if (args.engine !== undefined) return runAuditOnEngine(args, io);
  const large = largeFileReason(args.file!);
  if (large !== null) {
    io.stderr(`audit: ${args.file} is ${large}: scanning it in DuckDB (--engine duckdb; AUC from the fine score bins)\n`);
    return runAuditOnEngine({ ...args, engine: 'duckdb' }, io);
  }
  const file = args.file!;
  const columns = [args.label, args.prediction, args.score, args.weights, ...args.sensitive].filter((c): c is string => c !== undefined);
  const table = await readTableFile(file, { columns: [...new Set(columns)], fn: 'audit' });
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
    ...(args.fineBins !== undefined ? { fineBins: args.fineBins } : {}),
    ...(args.binStrategy !== undefined ? { binStrategy: args.binStrategy } : {}),
    ...(args.compat !== undefined ? { compat: args.compat } : {}),
    ...(args.ci ? { ci: { resamples: args.resamples ?? 1000, seed: args.seed ?? 0 } } : {}),
  };
  return print(audit(options), { file }, args, io);
}

/** Print the audit; with `--policy` / `--store`, evaluate and record it (`runPolicy`: exit 3 when a finding fails). */
async function print(result: AuditResult, where: Record<string, unknown>, args: AuditArgs, io: CliIO): Promise<number> {
  const json = result.toJSON();
  const format = args.format ?? 'text';
  const governed = args.policy !== undefined || args.store !== undefined;
  if (format === 'json') {
    if (!governed) io.stdout(JSON.stringify({ ...where, ...json }, null, 2) + '\n');
  } else if (format === 'md') io.stdout(result.toMarkdown() + '\n');
  else io.stdout(String(result) + '\n');
  for (const w of json.warnings) io.stderr(`warning: ${w}\n`);
  if (!governed) return EXIT.ok;
  const { runPolicy } = await import('./policy-run.js');
  const inputs: Parameters<typeof runPolicy>[1]['inputs'] =
    args.query !== undefined ? { query: { text: args.query } } : args.file !== undefined ? { data: args.file } : { source: { text: `${args.engine}:${args.source}` } };
  return runPolicy(io, { result, kind: 'audit', policy: args.policy, store: args.store, format, document: { ...where, ...json }, inputs });
}

/**
 * The audit with the accumulate step pushed down to an engine: only summaries come back (one
 * query per attribute set); AUC then comes from the fine score bins (`aucMethod: 'binned'`).
 *
 * @example
 * ```ts
 * await runAudit({ engine: 'postgres', url: 'postgres://u@127.0.0.1/db', source: 'preds', label: 'y', prediction: 'p', sensitive: ['sex'] }, io);
 * ```
 */
async function runAuditOnEngine(args: AuditArgs, io: CliIO): Promise<number> {
  const source = engineSource(args);
  const engine = await openEngine({ engine: args.engine!, ...(args.url !== undefined ? { url: args.url } : {}) });
  const progress = scanProgress(io.progressStream);
  try {
    const sets = args.intersect ? [args.sensitive] : args.sensitive.map((c) => [c]);
    const options = {
      ...(args.minGroupSize !== undefined ? { minGroupSize: args.minGroupSize } : {}),
      ...(args.missing !== undefined ? { missing: args.missing } : {}),
      ...(args.bins !== undefined ? { nBins: args.bins } : {}),
      ...(args.binStrategy !== undefined ? { binStrategy: args.binStrategy } : {}),
      ...(args.compat !== undefined ? { compat: args.compat } : {}),
      ...(args.ci ? { ci: { resamples: args.resamples ?? 1000, seed: args.seed ?? 0 } } : {}),
    };
    let rows = 0;
    let bytes = 0;
    const results = [];
    for (const sensitive of sets) {
      const q: FairnessQuery = {
        source,
        label: args.label,
        sensitive,
        ...(args.prediction !== undefined ? { prediction: args.prediction } : {}),
        ...(args.score !== undefined ? { score: args.score } : {}),
        ...(args.threshold !== undefined && args.prediction === undefined ? { threshold: args.threshold } : {}),
        ...(args.weights !== undefined ? { weights: args.weights } : {}),
        ...(args.positiveLabel !== undefined ? { positiveLabel: args.positiveLabel } : {}),
        ...(args.missing !== undefined ? { missing: args.missing } : {}),
        ...(args.maxGroups !== undefined ? { maxGroups: args.maxGroups } : {}),
        ...(args.fineBins !== undefined ? { fineBins: args.fineBins } : {}),
        onProgress: progress.update,
      };
      const s = await engine.fairnessSummaries(q);
      rows = s.rows;
      bytes += s.bytesReturned;
      let reference: Record<string, GroupValue> | undefined;
      if (args.reference && sensitive.every((c) => c in args.reference!)) reference = Object.fromEntries(sensitive.map((c) => [c, args.reference![c]!]));
      results.push(groupMetricsFromEngine(s, q, { ...options, ...(reference ? { reference } : {}) }));
    }
    progress.stop();
    return await print(new AuditResult(rows, results), engineWhere(args, source, bytes), args, io);
  } finally {
    progress.stop();
    await engine.close();
  }
}
