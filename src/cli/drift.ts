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
import { DRIFT_TESTS, driftReport, type DriftOptions, type DriftTest, type DriftTestChoice } from '../drift/report.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readTableFile } from '../io/files.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch drift`. */
export interface DriftArgs {
  reference: string;
  current: string;
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
  const args: DriftArgs = { reference: String(o.reference), current: String(o.current) };
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
  const wanted = args.columns ? [...args.columns, ...(args.by ? [args.by] : [])] : undefined;
  const current = await readTableFile(args.current, { fn: 'drift', ...(wanted ? { columns: wanted } : {}) });
  const options: DriftOptions = { current };
  if (args.reference.endsWith('.json') && !args.reference.endsWith('.jsonl')) {
    const text = await readFile(args.reference, 'utf8').catch(() => null);
    const looksLikeProfile = text !== null && text.includes('"fairwatch.profile"');
    if (looksLikeProfile) options.profile = await readProfileFile(args.reference);
  }
  if (!options.profile) options.reference = await readTableFile(args.reference, { fn: 'drift', ...(wanted ? { columns: wanted } : {}) });
  if (args.columns) options.columns = args.columns;
  if (args.by !== undefined) options.by = args.by;
  if (args.alpha !== undefined) options.alpha = args.alpha;
  if (args.driftShare !== undefined) options.driftShare = args.driftShare;
  if (args.correction !== undefined) options.correction = args.correction;
  if (args.minRows !== undefined) options.minRows = args.minRows;
  if (args.types) options.types = args.types;
  if (args.tests) options.tests = args.tests;
  const report = driftReport(options);
  const format = args.format ?? 'text';
  if (format === 'json') io.stdout(JSON.stringify({ reference: args.reference, current: args.current, ...report.toJSON() }, null, 2) + '\n');
  else if (format === 'md') io.stdout(report.toMarkdown());
  else io.stdout(String(report) + '\n');
  return args.failOnDrift && report.datasetDrift ? EXIT.policyFailed : EXIT.ok;
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
