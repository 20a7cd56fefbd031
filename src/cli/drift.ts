/**
 * `fairwatch drift` and `fairwatch profile`: compare a current file with a reference file or a
 * saved reference profile; save a reference profile as JSON.
 *
 * @example
 * ```ts
 * await runProfile({ file: 'train.csv', out: 'profile.json' }, io);
 * await runDrift({ reference: 'profile.json', current: 'today.csv', format: 'json', failOnDrift: true }, io); // 0 or 3
 * ```
 */
import { readFile } from 'node:fs/promises';
import { InputError, SchemaError, messages } from '../errors.js';
import { profile, profileFromJSON, profileToJSON, type ColumnKind } from '../drift/profile.js';
import { DRIFT_TESTS, driftPushdownColumns, driftReport, driftReportFromCounts, type DriftOptions, type DriftReport, type DriftTest, type DriftTestChoice } from '../drift/report.js';
import { openEngine, type DriftCounts } from '../engines/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readTableFile } from '../io/files.js';
import { checkEngineArgs, engineSource, engineWhere, largeFileReason, type EngineSourceArgs } from './engine-source.js';
import { EXIT, type CliIO } from './main.js';
import { scanProgress } from './progress.js';

/** Typed arguments of `fairwatch drift`. */
export interface DriftArgs extends Omit<EngineSourceArgs, 'file'> {
  reference: string;
  /** Current data file (in memory); or give `engine` with `source` / `query`. */
  current?: string;
  /** Reference-quantile bins of numeric columns counted by the engine (default 100). */
  pushdownBins?: number;
  columns?: string[];
  by?: string;
  alpha?: number;
  driftShare?: number;
  correction?: 'none' | 'bonferroni' | 'benjamini-hochberg';
  minRows?: number;
  failOnDrift?: boolean;
  format?: 'text' | 'json' | 'md';
  /** Column kinds overriding inference, e.g. `{ zip: 'categorical' }`. */
  types?: Record<string, ColumnKind>;
  /** Test (and threshold) per column, e.g. `{ income: { test: 'psi', threshold: 0.2 } }`. */
  tests?: Record<string, DriftTestChoice>;
  /** Evaluate the report against this policy file and record the run in the store (exit 3 when a finding fails). */
  policy?: string;
  /** Store of the run with --policy: folder, .duckdb file or postgres:// URL (default $FAIRWATCH_STORE or .fairwatch). */
  store?: string;
}

/** Typed arguments of `fairwatch profile`. */
export interface ProfileArgs {
  file: string;
  out: string;
  columns?: string[];
  bins?: number;
  seed?: number;
  types?: Record<string, ColumnKind>;
}

const KINDS: readonly ColumnKind[] = ['numeric', 'categorical', 'boolean'];

/** Parse `col=kind,col=kind`. */
function typesOption(fn: string, v: unknown): Record<string, ColumnKind> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, ColumnKind> = {};
  for (const pair of String(v).split(',').map((x) => x.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const kind = pair.slice(eq + 1) as ColumnKind;
    if (eq <= 0 || !KINDS.includes(kind)) {
      throw new InputError(messages.badOption(fn, '--types', pair, 'column=numeric|categorical|boolean'), 'badOption');
    }
    out[pair.slice(0, eq)] = kind;
  }
  return out;
}

/** Parse `col=test[:threshold],...`. */
function testsOption(v: unknown): Record<string, DriftTestChoice> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, DriftTestChoice> = {};
  for (const pair of String(v).split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^=]+)=([A-Za-z]+)(?::(.+))?$/.exec(pair);
    const test = m?.[2] as DriftTest | undefined;
    const threshold = m?.[3] === undefined ? undefined : Number(m[3]);
    if (!m || !test || !DRIFT_TESTS.includes(test) || (threshold !== undefined && !(Number.isFinite(threshold) && threshold > 0))) {
      throw new InputError(messages.badOption('drift', '--tests', pair, `column=test[:threshold] with test one of ${DRIFT_TESTS.join(', ')}`), 'badOption');
    }
    out[m[1]!] = threshold === undefined ? { test } : { test, threshold };
  }
  return out;
}

const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : String(v).split(',').map((s) => s.trim()).filter(Boolean);

function numberOption(fn: string, name: string, v: unknown, check: (x: number) => boolean, expected: string): number {
  const x = Number(v);
  if (String(v).trim() === '' || !Number.isFinite(x) || !check(x)) throw new InputError(messages.badOption(fn, `--${name}`, v, expected), 'badOption');
  return x;
}

/** Typed drift arguments from commander's options. @example `driftArgsFromCli({ reference: 'a.csv', current: 'b.csv' })` */
export function driftArgsFromCli(o: Record<string, unknown>): DriftArgs {
  const args: DriftArgs = { reference: String(o.reference) };
  if (o.current !== undefined) args.current = String(o.current);
  if (o.engine !== undefined) args.engine = o.engine as DriftArgs['engine'];
  if (o.url !== undefined) args.url = String(o.url);
  if (o.source !== undefined) args.source = String(o.source);
  if (o.query !== undefined) args.query = String(o.query);
  if (o.pushdownBins !== undefined) {
    args.pushdownBins = numberOption('drift', 'pushdown-bins', o.pushdownBins, (x) => Number.isInteger(x) && x >= 1 && x <= 10_000, 'an integer from 1 to 10000');
  }
  checkEngineArgs('drift', { ...args, ...(args.current !== undefined ? { file: args.current } : {}) }, '--current');
  const columns = list(o.columns);
  if (columns) args.columns = columns;
  if (o.by !== undefined) args.by = String(o.by);
  if (o.alpha !== undefined) args.alpha = numberOption('drift', 'alpha', o.alpha, (x) => x > 0 && x < 1, 'a number in (0, 1)');
  if (o.driftShare !== undefined) args.driftShare = numberOption('drift', 'drift-share', o.driftShare, (x) => x > 0 && x <= 1, 'a number in (0, 1]');
  if (o.minRows !== undefined) args.minRows = numberOption('drift', 'min-rows', o.minRows, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  if (o.correction !== undefined) args.correction = o.correction as DriftArgs['correction'];
  if (o.failOnDrift) args.failOnDrift = true;
  const types = typesOption('drift', o.types);
  if (types) args.types = types;
  const tests = testsOption(o.tests);
  if (tests) args.tests = tests;
  if (o.format !== undefined) args.format = o.format as DriftArgs['format'];
  if (o.policy !== undefined) args.policy = String(o.policy);
  if (o.store !== undefined) args.store = String(o.store);
  if (args.engine !== undefined && args.by !== undefined) {
    throw new InputError(messages.badOption('drift', '--by', args.by, 'no --by with --engine (per-group drift needs the reference rows; run it in memory)'), 'badOption');
  }
  return args;
}

/** Typed profile arguments from commander's options. @example `profileArgsFromCli('a.csv', { out: 'p.json' })` */
export function profileArgsFromCli(file: string, o: Record<string, unknown>): ProfileArgs {
  const args: ProfileArgs = { file, out: String(o.out) };
  const columns = list(o.columns);
  if (columns) args.columns = columns;
  if (o.bins !== undefined) args.bins = numberOption('profile', 'bins', o.bins, (x) => Number.isInteger(x) && x >= 2, 'an integer >= 2');
  if (o.seed !== undefined) args.seed = numberOption('profile', 'seed', o.seed, (x) => Number.isInteger(x) && x >= 0, 'an integer >= 0');
  const types = typesOption('profile', o.types);
  if (types) args.types = types;
  return args;
}

async function readProfileFile(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(messages.fileNotFound('drift', path), 'fileNotFound', { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SchemaError(messages.fileReadFailed('drift', path, (e as Error).message), 'badProfile', { path });
  }
  return profileFromJSON(json);
}

/**
 * Run `fairwatch drift`; returns 0, or 3 when `--fail-on-drift` is given and the dataset drifted.
 *
 * @example
 * ```ts
 * await runDrift({ reference: 'ref.csv', current: 'cur.csv', by: 'sex' }, io);
 * ```
 */
export async function runDrift(args: DriftArgs, io: CliIO): Promise<number> {
  if (args.engine !== undefined) return runDriftOnEngine(args, io);
  const large = largeFileReason(args.current!);
  if (large !== null && args.by === undefined) {
    io.stderr(`drift: ${args.current} is ${large}: counting it in DuckDB (--engine duckdb; KS and Wasserstein from bins, with bounds)\n`);
    return runDriftOnEngine({ ...args, engine: 'duckdb' }, io);
  }
  const wanted = args.columns ? [...args.columns, ...(args.by ? [args.by] : [])] : undefined;
  const current = await readTableFile(args.current!, { fn: 'drift', ...(wanted ? { columns: wanted } : {}) });
  const options: DriftOptions = { current };
  const saved = await readProfileIfProfile(args.reference);
  if (saved) options.profile = saved;
  else options.reference = await readTableFile(args.reference, { fn: 'drift', ...(wanted ? { columns: wanted } : {}) });
  Object.assign(options, decisionOptions(args));
  if (args.by !== undefined) options.by = args.by;
  if (args.types) options.types = args.types;
  return printDrift(driftReport(options), { reference: args.reference, current: args.current }, args, io);
}

/** The reference as a saved profile when the file is one (`"kind": "fairwatch.profile"`), else null. */
async function readProfileIfProfile(path: string) {
  if (!path.endsWith('.json') || path.endsWith('.jsonl')) return null;
  const text = await readFile(path, 'utf8').catch(() => null);
  return text !== null && text.includes('"fairwatch.profile"') ? readProfileFile(path) : null;
}

/** The decision options shared by the in-memory and the engine paths. */
function decisionOptions(args: DriftArgs): Pick<DriftOptions, 'columns' | 'alpha' | 'driftShare' | 'correction' | 'minRows' | 'tests'> {
  return {
    ...(args.columns ? { columns: args.columns } : {}),
    ...(args.alpha !== undefined ? { alpha: args.alpha } : {}),
    ...(args.driftShare !== undefined ? { driftShare: args.driftShare } : {}),
    ...(args.correction !== undefined ? { correction: args.correction } : {}),
    ...(args.minRows !== undefined ? { minRows: args.minRows } : {}),
    ...(args.tests ? { tests: args.tests } : {}),
  };
}

/** Print the report; with `--policy` / `--store`, evaluate and record it (`runPolicy`: exit 3 when a finding fails). */
async function printDrift(report: DriftReport, where: Record<string, unknown>, args: DriftArgs, io: CliIO): Promise<number> {
  const format = args.format ?? 'text';
  const governed = args.policy !== undefined || args.store !== undefined;
  if (format === 'json') {
    if (!governed) io.stdout(JSON.stringify({ ...where, ...report.toJSON() }, null, 2) + '\n');
  } else if (format === 'md') io.stdout(report.toMarkdown());
  else io.stdout(String(report) + '\n');
  const code = args.failOnDrift && report.datasetDrift ? EXIT.policyFailed : EXIT.ok;
  if (!governed) return code;
  const { runPolicy } = await import('./policy-run.js');
  const current: Parameters<typeof runPolicy>[1]['inputs'] =
    args.current !== undefined ? { current: args.current } : args.query !== undefined ? { query: { text: args.query } } : { source: { text: `${args.engine}:${args.source}` } };
  const policyCode = await runPolicy(io, {
    result: report,
    kind: 'drift',
    policy: args.policy,
    store: args.store,
    format,
    document: { ...where, ...report.toJSON() },
    inputs: { reference: args.reference, ...current },
  });
  return Math.max(code, policyCode);
}

/**
 * `fairwatch drift --engine ...`: the current side counted where the data lives
 * (`driftPushdownColumns` + `Engine.driftCounts`), compared with the reference profile (a saved
 * profile, or the reference file profiled in memory) by `driftReportFromCounts`. KS and
 * Wasserstein of numeric columns are estimates with bounds (`approximation` in the JSON).
 *
 * @example
 * ```ts
 * await runDrift({ reference: 'profile.json', engine: 'clickhouse', url: 'clickhouse://127.0.0.1:8123/default', source: 'preds_dist' }, io);
 * ```
 */
async function runDriftOnEngine(args: DriftArgs, io: CliIO): Promise<number> {
  const saved =
    (await readProfileIfProfile(args.reference)) ??
    profile(await readTableFile(args.reference, { fn: 'drift', ...(args.columns ? { columns: args.columns } : {}) }), {
      ...(args.columns ? { columns: args.columns } : {}),
      ...(args.types ? { types: args.types } : {}),
    });
  const source = engineSource({ ...args, ...(args.current !== undefined ? { file: args.current } : {}) });
  const columns = driftPushdownColumns(saved, { ...(args.columns ? { columns: args.columns } : {}), ...(args.pushdownBins ? { bins: args.pushdownBins } : {}) });
  const engine = await openEngine({ engine: args.engine!, ...(args.url !== undefined ? { url: args.url } : {}) });
  const progress = scanProgress(io.progressStream);
  try {
    if (!engine.driftCounts) throw new InputError(messages.badOption('drift', '--engine', args.engine, 'an engine that counts drift (memory, duckdb, postgres, clickhouse)'), 'badOption');
    const counts = await engine.driftCounts({ source, columns, onProgress: progress.update });
    progress.stop();
    const report = driftReportFromCounts({ profile: saved, counts, ...decisionOptions(args) });
    const bytes = 'lastBytesReturned' in engine ? Number(engine.lastBytesReturned) : estimateCountsBytes(counts);
    return await printDrift(report, { reference: args.reference, ...engineWhere(args, source, bytes) }, args, io);
  } finally {
    progress.stop();
    await engine.close();
  }
}

/** Approximate bytes of counts (8 per number, the length of each category). */
function estimateCountsBytes(counts: readonly DriftCounts[]): number {
  return counts.reduce((t, c) => t + (c.kind === 'numeric' ? 8 * (4 * c.binCounts.length + 3) : c.categories.reduce((u, [k]) => u + k.length + 8, 24)), 0);
}

/**
 * Run `fairwatch profile`: write the reference profile of a file as JSON (atomically).
 *
 * @example
 * ```ts
 * await runProfile({ file: 'train.parquet', out: 'profile.json', bins: 10 }, io); // 0
 * ```
 */
export async function runProfile(args: ProfileArgs, io: CliIO): Promise<number> {
  const table = await readTableFile(args.file, { fn: 'profile', ...(args.columns ? { columns: args.columns } : {}) });
  const p = profile(table, {
    ...(args.columns ? { columns: args.columns } : {}),
    ...(args.bins ? { bins: args.bins } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.types ? { types: args.types } : {}),
  });
  await writeFileAtomic(args.out, JSON.stringify(profileToJSON(p)) + '\n');
  io.stderr(`profiled ${p.rows} rows, ${p.columns.length} columns -> ${args.out}\n`);
  return EXIT.ok;
}
