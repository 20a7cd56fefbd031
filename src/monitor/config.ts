/**
 * The monitoring job file (issue 7): one YAML document naming the job, where the predictions are
 * (engine, URL, a file glob, table or query), the roles of their columns, an optional separate
 * labels source joined by id (late labels), the window, the drift baseline, the policy, the store
 * and the alerts. Validated with zod; errors are `PolicyError`s naming the file, the line and the
 * field (the same helper as policy files, `parseYamlWith`). Relative paths (files, profile,
 * policy, DuckDB store, file sinks) are resolved against the job file's folder.
 *
 * ```yaml
 * job: credit-daily
 * source: { engine: duckdb, file: preds/*.parquet }      # or table: / query:, url: for servers
 * columns: { time: ts, label: repaid, prediction: approved, score: p, sensitive: [sex], features: [income, region], id: loan_id }
 * labels: { file: labels/*.csv }                          # optional: labels arriving later, joined by id
 * window: day                                             # hour | day | week | month | { rows: 100000 }
 * baseline: { profile: reference.profile.json, audit: validation.audit.json }  # or { from: 2026-01-01, to: 2026-02-01 } or { previous: 7 }
 * policy: policy.yaml                                     # default: the shipped policy
 * store: .fairwatch                                       # or postgres://...
 * alerts:
 *   rules: [{ id: di, metric: disparateImpact, n: 2, m: 3 }]
 *   sinks:
 *     - { type: stdout }
 *     - { type: file, path: alerts.jsonl }
 *     - { type: webhook, url: https://hooks.example.org/fw, timeoutMs: 10000, retries: 3, backoffMs: 500 }
 * ```
 *
 * @example
 * ```ts
 * import { loadMonitorConfig } from 'fairwatch';
 * const job = loadMonitorConfig('monitor.yaml');
 * job.window;  // { unit: 'day' }
 * job.baseline; // { kind: 'profile', path: '/abs/reference.profile.json' }
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { PolicyError, messages } from '../errors.js';
import { parseYamlWith } from '../governance/policy.js';
import type { AlertRule, AlertSinkConfig } from './types.js';

/** Calendar window units (UTC; weeks are ISO weeks starting on Monday). */
export type WindowUnit = 'hour' | 'day' | 'week' | 'month';

/** A job's window: a calendar unit, or a fixed number of rows in time (then id) order. */
export type WindowSpec = { unit: WindowUnit } | { unit: 'rows'; rows: number };

/** Where rows come from: a table, a query, or (DuckDB) a file or glob. */
export interface JobSource {
  kind: 'file' | 'table' | 'query';
  text: string;
}

/** The drift (and fairness-over-time) baseline. */
export type BaselineSpec =
  /**
   * Files made before deployment: a drift profile (`fairwatch profile`) and/or a fairness audit of
   * the validation data (`fairwatch audit --format json`), whose values `maxChange` compares with.
   */
  | { kind: 'profile'; path?: string; audit?: string }
  | { kind: 'window'; from: string; to: string }
  | { kind: 'previous'; windows: number };

/** A validated monitoring job. */
export interface MonitorConfig {
  /** Job id (letters, digits, `.`, `_`, `-`). */
  job: string;
  /** The job file (absolute), or '(text)'. */
  file: string;
  engine: 'duckdb' | 'postgres' | 'clickhouse';
  url?: string;
  source: JobSource;
  columns: {
    time?: string;
    label: string;
    prediction?: string;
    score?: string;
    /** Predictions are `score >= threshold` when `prediction` is not given. */
    threshold?: number;
    positiveLabel?: string;
    sensitive: string[];
    features: string[];
    id?: string;
  };
  /** Labels from another source, joined by `id` (late labels). */
  labels?: { source: JobSource; id: string; label: string };
  window: WindowSpec;
  baseline?: BaselineSpec;
  /** Policy file (absolute), or undefined for the shipped default. */
  policy?: string;
  /** Store location (absolute folder / file, or a postgres URL), or undefined for the default. */
  store?: string;
  alerts: { rules: AlertRule[]; sinks: AlertSinkConfig[] };
}

const text = z.string().trim().min(1);
const names = z.array(text).min(1);
const sourceFields = {
  file: text.optional(),
  table: text.optional(),
  query: text.optional(),
};
const oneSource = (s: { file?: string | undefined; table?: string | undefined; query?: string | undefined }, ctx: z.RefinementCtx) => {
  const n = [s.file, s.table, s.query].filter((x) => x !== undefined).length;
  if (n !== 1) ctx.addIssue({ code: 'custom', path: ['file'], message: `give exactly one of file, table or query (got ${n})` });
};
const timeText = z.union([text, z.date().transform((d) => d.toISOString())]).refine((t) => !Number.isNaN(new Date(t).getTime()), 'must be an ISO-8601 date or time');
const statuses = z.array(z.enum(['pass', 'warn', 'fail', 'insufficient']));
const rating = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], { error: 'must be an integer from 1 to 5' });
const positiveInt = z.number().int('must be an integer').min(1);

const ruleSchema = z
  .strictObject({
    id: text,
    metric: text,
    attribute: text.optional(),
    column: text.optional(),
    on: statuses.min(1).optional(),
    n: positiveInt.optional(),
    m: positiveInt.optional(),
    reminderEvery: positiveInt.optional(),
    severity: rating.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.n !== undefined && r.m !== undefined && r.n > r.m) ctx.addIssue({ code: 'custom', path: ['n'], message: `n ${r.n} must not exceed m ${r.m}` });
  });
const sinkSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('stdout') }),
  z.strictObject({ type: z.literal('file'), path: text }),
  z.strictObject({
    type: z.literal('webhook'),
    url: z.string().url('must be a URL'),
    timeoutMs: positiveInt.optional(),
    retries: z.number().int().min(0).max(10).optional(),
    backoffMs: z.number().int().min(0).max(600_000).optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
]);

const jobSchema = z
  .strictObject({
    job: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit'),
    source: z.strictObject({ engine: z.enum(['duckdb', 'postgres', 'clickhouse']).default('duckdb'), url: text.optional(), ...sourceFields }).superRefine((s, ctx) => {
      oneSource(s, ctx);
      if (s.file !== undefined && s.engine !== 'duckdb') ctx.addIssue({ code: 'custom', path: ['file'], message: `files are read by engine duckdb, not ${s.engine}; use table or query` });
      if (s.engine !== 'duckdb' && s.url === undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: `engine ${s.engine} needs a connection url` });
    }),
    columns: z.strictObject({
      time: text.optional(),
      label: text,
      prediction: text.optional(),
      score: text.optional(),
      threshold: z.number().finite().optional(),
      positiveLabel: z.union([text, z.number().transform(String), z.boolean().transform(String)]).optional(),
      sensitive: names,
      features: z.array(text).default([]),
      id: text.optional(),
    }).superRefine((c, ctx) => {
      if (c.prediction === undefined && (c.score === undefined || c.threshold === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['prediction'], message: 'give prediction, or score with threshold' });
      }
    }),
    labels: z.strictObject({ ...sourceFields, id: text.optional(), label: text.optional() }).superRefine(oneSource).optional(),
    window: z.union([z.enum(['hour', 'day', 'week', 'month']), z.strictObject({ rows: positiveInt })], { error: "must be hour, day, week, month or { rows: N }" }),
    baseline: z
      .union(
        [
          z
            .strictObject({ profile: text.optional(), audit: text.optional() })
            .refine((b) => b.profile !== undefined || b.audit !== undefined, { message: 'give profile, audit or both' }),
          z.strictObject({ from: timeText, to: timeText }).refine((b) => new Date(b.from) < new Date(b.to), { message: 'from must be before to', path: ['to'] }),
          z.strictObject({ previous: positiveInt }),
        ],
        { error: 'must be { profile: <file>, audit: <file> } (either or both), { from: <time>, to: <time> } or { previous: N }' },
      )
      .optional(),
    metrics: z.strictObject({ policy: text.optional() }).optional(),
    policy: text.optional(),
    store: text.optional(),
    alerts: z.strictObject({ rules: z.array(ruleSchema).default([]), sinks: z.array(sinkSchema).default([]) }).default({ rules: [], sinks: [] }),
  })
  .superRefine((j, ctx) => {
    if (j.labels !== undefined && j.columns.id === undefined) ctx.addIssue({ code: 'custom', path: ['columns', 'id'], message: 'a labels source is joined by id: give columns.id' });
    if (typeof j.window === 'object' && j.columns.time === undefined && j.columns.id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['window'], message: 'row windows need columns.time or columns.id to order the rows' });
    }
    if (typeof j.window === 'string' && j.columns.time === undefined) ctx.addIssue({ code: 'custom', path: ['columns', 'time'], message: `window ${j.window} needs a time column` });
    if (j.baseline && 'previous' in j.baseline && typeof j.window === 'object') {
      ctx.addIssue({ code: 'custom', path: ['baseline', 'previous'], message: 'previous windows need a calendar window (hour, day, week, month)' });
    }
    const ids = new Set<string>();
    j.alerts.rules.forEach((r, i) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['alerts', 'rules', i, 'id'], message: `duplicate rule id ${JSON.stringify(r.id)}` });
      ids.add(r.id);
    });
  });

/** The job schema's input (the YAML as written). */
type JobInput = z.output<typeof jobSchema>;

function toSource(s: { file?: string | undefined; table?: string | undefined; query?: string | undefined }, base: string): JobSource {
  if (s.file !== undefined) return { kind: 'file', text: isAbsolute(s.file) ? s.file : resolve(base, s.file) };
  if (s.table !== undefined) return { kind: 'table', text: s.table };
  return { kind: 'query', text: s.query! };
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/**
 * Parse and validate a job file's YAML text; `file` names it in errors and is the base of
 * relative paths (default: the working directory).
 *
 * @example
 * ```ts
 * const job = parseMonitorConfig([
 *   'job: credit-daily',
 *   'source: { file: preds.csv }',
 *   'columns: { time: ts, label: y, prediction: p, sensitive: [sex], features: [x] }',
 *   'window: day',
 * ].join('\n'), { file: '/jobs/monitor.yaml' });
 * [job.engine, job.source.text, job.window]; // ['duckdb', '/jobs/preds.csv', { unit: 'day' }]
 * parseMonitorConfig('job: x\nwindow: fortnight\n', { file: 'm.yaml' });
 * // throws PolicyError 'parseMonitorConfig: m.yaml:1: source: ...'
 * ```
 */
export function parseMonitorConfig(yamlText: string, options: { file?: string } = {}): MonitorConfig {
  const file = options.file ?? '(text)';
  const j: JobInput = parseYamlWith(jobSchema, yamlText, file, 'parseMonitorConfig');
  const base = options.file ? dirname(resolve(options.file)) : process.cwd();
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const columns: MonitorConfig['columns'] = { label: j.columns.label, sensitive: j.columns.sensitive, features: j.columns.features };
  for (const k of ['time', 'prediction', 'score', 'threshold', 'positiveLabel', 'id'] as const) {
    if (j.columns[k] !== undefined) (columns as unknown as Record<string, unknown>)[k] = j.columns[k];
  }
  const policy = j.policy ?? j.metrics?.policy;
  const out: MonitorConfig = {
    job: j.job,
    file: options.file ? resolve(options.file) : file,
    engine: j.source.engine,
    source: toSource(j.source, base),
    columns,
    window: typeof j.window === 'string' ? { unit: j.window } : { unit: 'rows', rows: j.window.rows },
    alerts: {
      rules: j.alerts.rules as AlertRule[],
      sinks: j.alerts.sinks.map((s) => (s.type === 'file' ? { type: 'file', path: abs(s.path) } : s)) as AlertSinkConfig[],
    },
  };
  if (j.source.url !== undefined) out.url = j.source.url;
  if (j.labels) out.labels = { source: toSource(j.labels, base), id: j.labels.id ?? j.columns.id!, label: j.labels.label ?? j.columns.label };
  if (j.baseline) {
    if ('profile' in j.baseline || 'audit' in j.baseline) {
      const b = j.baseline as { profile?: string; audit?: string };
      out.baseline = { kind: 'profile', ...(b.profile !== undefined ? { path: abs(b.profile) } : {}), ...(b.audit !== undefined ? { audit: abs(b.audit) } : {}) };
    }
    else if ('previous' in j.baseline) out.baseline = { kind: 'previous', windows: j.baseline.previous };
    else {
      const b = j.baseline as { from: string; to: string };
      out.baseline = { kind: 'window', from: new Date(b.from).toISOString(), to: new Date(b.to).toISOString() };
    }
  }
  if (policy !== undefined) out.policy = abs(policy);
  if (j.store !== undefined) out.store = isUrl(j.store) ? j.store : abs(j.store);
  return out;
}

/**
 * Read and validate a job file (see {@link parseMonitorConfig}).
 *
 * @example
 * ```ts
 * loadMonitorConfig('monitor.yaml').job;  // 'credit-daily'
 * loadMonitorConfig('missing.yaml');      // throws PolicyError 'loadMonitorConfig: monitoring job file "missing.yaml" does not exist'
 * ```
 */
export function loadMonitorConfig(path: string): MonitorConfig {
  if (!existsSync(path)) throw new PolicyError(messages.monitorConfigNotFound('loadMonitorConfig', path), 'monitorConfigNotFound', { file: path });
  return parseMonitorConfig(readFileSync(path, 'utf8'), { file: path });
}
