/**
 * The policy file: the organisation's risk appetite for one AI system, as YAML. It names the
 * system (id, version, owner), which fairness disparities to check for which sensitive
 * attributes with warn and fail thresholds, the minimum group size, alpha, drift and
 * data-quality limits, the likelihood and severity (1–5) each breach maps to, and owners.
 * `evaluate()` (findings.ts) applies it; `policyHash(policy)` is recorded in every findings
 * document. The documented default ships as `reports/policies/default.yaml`.
 *
 * Threshold semantics (strict inequalities, so a value exactly at a threshold does not breach it):
 * - direction `below` (ratios, disparate impact): warn when value < warn, fail when value < fail
 *   (so warn ≥ fail); the four-fifths rule is `fail: 0.8`.
 * - direction `above` (differences, drift statistics, shares): warn when value > warn, fail when
 *   value > fail (so warn ≤ fail).
 * - The direction defaults from the metric: ratios (and disparate impact) `below`, differences
 *   `above`; drift and data-quality limits are always `above`.
 * - `interval: whole` (fairness checks): a limit is breached only when the whole confidence
 *   interval is past it — for `below` the interval's upper end must be below the limit, for
 *   `above` its lower end above it. Without an interval in the result (no `ci`), the point value
 *   decides and the finding's reason says so. `interval: ignore` (default) uses the point value.
 *
 * Errors are {@link PolicyError}s naming the file, the line and the field, e.g.
 * `parsePolicy: policy.yaml:7: fairness.checks.0.warn: Invalid input: expected number, received string`.
 *
 * @example
 * ```ts
 * import { loadPolicy, parsePolicy, policyHash } from 'fairwatch';
 * const p = loadPolicy();                         // the shipped default policy
 * p.fairness.checks[0];                           // { metric: 'disparateImpact', attributes: 'all', warn: 0.9, fail: 0.8, direction: 'below', interval: 'ignore' }
 * policyHash(p).length;                           // 64
 * parsePolicy('system: { id: s, version: "1", owner: o }\n', { file: 'p.yaml' }).minGroupSize; // 30
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { PolicyError, messages } from '../errors.js';
import { NAMED_DISPARITIES, NAMED_DISPARITY_NAMES, type NamedDisparity } from '../fairness/result.js';
import { packageFile } from './catalogue.js';
import { digestJSON } from './digest.js';
import type { AISystem, Rating } from './types.js';

/**
 * Drift statistics a policy can put limits on (per column, reference vs current). The p-value
 * tests (chi-square, z-test) are judged through the report's own decision (`columnDrifted`);
 * `ks` here limits the KS statistic D.
 *
 * @example
 * ```ts
 * POLICY_DRIFT_STATISTICS.includes('psi'); // true
 * ```
 */
export const POLICY_DRIFT_STATISTICS = ['psi', 'jensenShannon', 'ks', 'wasserstein', 'wassersteinNormed', 'hellinger', 'kl', 'tvd'] as const;
/** A drift statistic with policy limits. */
export type PolicyDriftStatistic = (typeof POLICY_DRIFT_STATISTICS)[number];

/** Likelihood and severity (1–5) a breach maps to. */
export interface BreachRating {
  likelihood: Rating;
  severity: Rating;
}

/** Ratings per outcome; `insufficient` is optional (then insufficient findings carry no rating). */
export interface BreachMapping {
  warn: BreachRating;
  fail: BreachRating;
  insufficient?: BreachRating;
}

/** Warn / fail limits on a value that breaches when it is above them. */
export interface UpperLimits {
  warn?: number;
  fail?: number;
}

/** One fairness check: a named disparity, for some or all attribute sets. */
export interface FairnessCheck {
  metric: NamedDisparity;
  /** `'all'`, or attribute sets: `'sex'` is the set `['sex']`, `['sex', 'race']` their intersection. */
  attributes: 'all' | (string | string[])[];
  warn?: number;
  fail?: number;
  direction: 'above' | 'below';
  /** `ignore`: judge the point value; `whole`: breach only when the whole interval is past the limit. */
  interval: 'ignore' | 'whole';
  /** Overrides the policy's `breaches` for this check. */
  breach?: Partial<BreachMapping>;
  owner?: string;
  /**
   * Monitoring (fairness over time): the largest allowed change |window − baseline| of the
   * disparity; a larger change fails the check's `<metric>Change` finding even when the
   * absolute thresholds pass. Absent: changes are not judged.
   */
  maxChange?: number;
}

/** Limits on one drift statistic, per column. */
export interface DriftStatisticCheck {
  metric: PolicyDriftStatistic;
  columns: 'all' | string[];
  warn?: number;
  fail?: number;
  breach?: Partial<BreachMapping>;
  owner?: string;
}

/** A validated policy (defaults filled in). */
export interface Policy {
  version: 1;
  system: AISystem;
  /** Owners by area; a finding's owner is its check's owner, else its area's, else the system owner. */
  owners: { fairness?: string; drift?: string; dataQuality?: string };
  /** Groups with fewer rows make a finding `insufficient` (default 30). */
  minGroupSize: number;
  /** Significance level for p-value tests (default 0.05); drift reports run with another alpha get a warning. */
  alpha: number;
  breaches: BreachMapping;
  fairness: { checks: FairnessCheck[] };
  drift: {
    /** Limits on the share of drifted columns (dataset drift). */
    share?: UpperLimits;
    /** Status of a column the drift report says drifted (`ignore`: no per-column decision findings). */
    columnDrifted: 'warn' | 'fail' | 'ignore';
    statistics: DriftStatisticCheck[];
  };
  dataQuality: {
    /** Share of rows whose sensitive value is missing (the `(missing)` group plus dropped rows), per attribute set. */
    missingSensitiveShare?: UpperLimits;
    /** Increase of a column's missing share, current minus reference (drift reports). */
    missingShareIncrease?: UpperLimits;
    /** Share of current values in categories the reference never saw (drift reports). */
    unseenShare?: UpperLimits;
  };
}

const text = z.string().trim().min(1);
const rating = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], { error: 'must be an integer from 1 to 5' });
const breachRatingSchema = z.strictObject({ likelihood: rating, severity: rating });
const breachOverride = z.strictObject({ warn: breachRatingSchema.optional(), fail: breachRatingSchema.optional(), insufficient: breachRatingSchema.optional() });
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const upperLimits = z
  .strictObject({ warn: finite.optional(), fail: finite.optional() })
  .superRefine((l, ctx) => {
    if (l.warn === undefined && l.fail === undefined) ctx.addIssue({ code: 'custom', message: 'give warn, fail or both' });
    if (l.warn !== undefined && l.fail !== undefined && l.warn > l.fail) {
      ctx.addIssue({ code: 'custom', path: ['warn'], message: `warn ${l.warn} must not exceed fail ${l.fail} (values above a limit breach it)` });
    }
  });
const attributeSet = z.union([text, z.array(text).min(1)], { error: 'must be a column name or a list of column names (an intersection)' });
const fairnessCheck = z
  .strictObject({
    metric: z.enum(NAMED_DISPARITY_NAMES as unknown as [NamedDisparity, ...NamedDisparity[]], {
      error: `must be one of ${NAMED_DISPARITY_NAMES.join(', ')}`,
    }),
    attributes: z.union([z.literal('all'), z.array(attributeSet).min(1)], { error: "must be 'all' or a list of attributes" }).default('all'),
    warn: finite.optional(),
    fail: finite.optional(),
    direction: z.enum(['above', 'below']).optional(),
    interval: z.enum(['ignore', 'whole']).default('ignore'),
    breach: breachOverride.optional(),
    owner: text.optional(),
    maxChange: finite.refine((x) => x >= 0, 'must be >= 0').optional(),
  })
  .superRefine((c, ctx) => {
    if (c.warn === undefined && c.fail === undefined) ctx.addIssue({ code: 'custom', path: ['fail'], message: 'give warn, fail or both' });
    const direction = c.direction ?? defaultDirection(c.metric);
    if (c.warn !== undefined && c.fail !== undefined) {
      if (direction === 'below' && c.warn < c.fail) {
        ctx.addIssue({ code: 'custom', path: ['warn'], message: `direction below needs warn >= fail, got warn ${c.warn}, fail ${c.fail}` });
      }
      if (direction === 'above' && c.warn > c.fail) {
        ctx.addIssue({ code: 'custom', path: ['warn'], message: `direction above needs warn <= fail, got warn ${c.warn}, fail ${c.fail}` });
      }
    }
  })
  .transform((c) => ({ ...c, direction: c.direction ?? defaultDirection(c.metric) }));
const driftCheck = z
  .strictObject({
    metric: z.enum(POLICY_DRIFT_STATISTICS, { error: `must be one of ${POLICY_DRIFT_STATISTICS.join(', ')}` }),
    columns: z.union([z.literal('all'), z.array(text).min(1)]).default('all'),
    warn: finite.optional(),
    fail: finite.optional(),
    breach: breachOverride.optional(),
    owner: text.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.warn === undefined && c.fail === undefined) ctx.addIssue({ code: 'custom', path: ['fail'], message: 'give warn, fail or both' });
    if (c.warn !== undefined && c.fail !== undefined && c.warn > c.fail) {
      ctx.addIssue({ code: 'custom', path: ['warn'], message: `warn ${c.warn} must not exceed fail ${c.fail} (values above a limit breach it)` });
    }
  });

const policySchema = z.strictObject({
  version: z.literal(1).default(1),
  system: z.strictObject({
    id: text,
    version: z.union([text, z.number().transform(String)], { error: 'must be a version, e.g. "1.2.0"' }),
    owner: text,
  }),
  owners: z.strictObject({ fairness: text.optional(), drift: text.optional(), dataQuality: text.optional() }).default({}),
  minGroupSize: z.number().int('must be an integer').min(1).default(30),
  alpha: z.number().gt(0).lt(1).default(0.05),
  breaches: z
    .strictObject({ warn: breachRatingSchema, fail: breachRatingSchema, insufficient: breachRatingSchema.optional() })
    .default({ warn: { likelihood: 3, severity: 2 }, fail: { likelihood: 4, severity: 4 } }),
  fairness: z.strictObject({ checks: z.array(fairnessCheck).default([]) }).default({ checks: [] }),
  drift: z
    .strictObject({
      share: upperLimits.optional(),
      columnDrifted: z.enum(['warn', 'fail', 'ignore']).default('warn'),
      statistics: z.array(driftCheck).default([]),
    })
    .default({ columnDrifted: 'warn', statistics: [] }),
  dataQuality: z
    .strictObject({ missingSensitiveShare: upperLimits.optional(), missingShareIncrease: upperLimits.optional(), unseenShare: upperLimits.optional() })
    .default({}),
});

function defaultDirection(metric: NamedDisparity): 'above' | 'below' {
  return metric === 'disparateImpact' || NAMED_DISPARITIES[metric].kind === 'ratio' ? 'below' : 'above';
}

type Path = readonly PropertyKey[];

/**
 * The 1-based line of the node at `path` in a YAML document (the line of its key, for map
 * entries); for a path that does not exist, the line of the deepest part that does.
 */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: Path): number | null {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(key));
      if (!pair) break;
      offset = (pair.key as { range?: [number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
      node = node.items[key];
      offset = (node as { range?: [number] } | null)?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? null : counter.linePos(offset).line;
}

/**
 * Parse YAML text and validate it with a zod schema; errors name the file, the line and the field.
 * Shared by the policy, applicability and gap-answer files.
 *
 * @example
 * ```ts
 * parseYamlWith(z.strictObject({ a: z.number() }), 'a: x\n', 'f.yaml', 'parseThing');
 * // throws PolicyError 'parseThing: f.yaml:1: a: Invalid input: expected number, received string'
 * ```
 */
export function parseYamlWith<S extends z.ZodType>(schema: S, yamlText: string, file: string, fn: string): z.output<S> {
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.pos ? counter.linePos(e.pos[0]).line : null;
    throw new PolicyError(messages.policyUnreadable(fn, file, line, e.message.split('\n')[0]!), 'policyUnreadable', { file, line });
  }
  const r = schema.safeParse(doc.toJS() ?? {});
  if (r.success) return r.data;
  const located = r.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
    const path: PropertyKey[] = keys.length ? [...issue.path, keys[0]!] : [...issue.path];
    return { field: path.map(String).join('.'), line: lineOf(doc, counter, path), message: issue.message };
  });
  const first = located[0]!;
  throw new PolicyError(messages.policyInvalid(fn, file, first.line, first.field, first.message), 'policyInvalid', {
    file,
    line: first.line,
    field: first.field,
    issues: located,
  });
}

/**
 * Parse and validate policy YAML. `file` names the source in error messages.
 *
 * @example
 * ```ts
 * const p = parsePolicy([
 *   'system: { id: credit, version: "2.1", owner: risk@example.org }',
 *   'fairness:',
 *   '  checks:',
 *   '    - { metric: disparateImpact, warn: 0.9, fail: 0.8 }',
 * ].join('\n'), { file: 'policy.yaml' });
 * p.fairness.checks[0].direction; // 'below'
 * parsePolicy('system: { id: x }', { file: 'bad.yaml' });
 * // throws PolicyError 'parsePolicy: bad.yaml:1: system.version: must be a version, e.g. "1.2.0"'
 * ```
 */
export function parsePolicy(yamlText: string, options: { file?: string } = {}): Policy {
  return parseYamlWith(policySchema, yamlText, options.file ?? '(text)', 'parsePolicy') as Policy;
}

/**
 * Path of the shipped default policy (`reports/policies/default.yaml`).
 *
 * @example
 * ```ts
 * defaultPolicyPath().endsWith('reports/policies/default.yaml'); // true
 * ```
 */
export function defaultPolicyPath(): string {
  return packageFile('loadPolicy', 'reports/policies/default.yaml');
}

/**
 * Load a policy file; with no path, the shipped default policy.
 *
 * @example
 * ```ts
 * loadPolicy().system.id;               // 'example-system'
 * loadPolicy('policy.yaml').minGroupSize; // as written, or 30
 * loadPolicy('missing.yaml');           // throws PolicyError 'loadPolicy: policy file "missing.yaml" does not exist'
 * ```
 */
export function loadPolicy(path?: string): Policy {
  const file = path ?? defaultPolicyPath();
  if (!existsSync(file)) throw new PolicyError(messages.policyNotFound('loadPolicy', file), 'policyNotFound', { file });
  return parseYamlWith(policySchema, readFileSync(file, 'utf8'), file, 'loadPolicy') as Policy;
}

/**
 * sha256 (hex) of the canonical JSON (keys sorted) of a validated policy: the same policy written
 * with other key order, comments or spelled-out defaults has the same hash.
 *
 * @example
 * ```ts
 * policyHash(parsePolicy('system: { id: a, version: "1", owner: o }\nalpha: 0.05')) ===
 *   policyHash(parsePolicy('alpha: 0.05\nsystem: { owner: o, version: "1", id: a }')); // true
 * ```
 */
export function policyHash(policy: Policy): string {
  return digestJSON(policy);
}

/**
 * The likelihood and severity a breach of a check maps to: the check's override, else the
 * policy's mapping; undefined for pass (and for insufficient when the policy has no mapping).
 *
 * @example
 * ```ts
 * breachRating(loadPolicy(), 'fail');           // { likelihood: 4, severity: 4 }
 * breachRating(loadPolicy(), 'pass');           // undefined
 * breachRating(loadPolicy(), 'warn', { warn: { likelihood: 1, severity: 1 } }); // { likelihood: 1, severity: 1 }
 * ```
 */
export function breachRating(policy: Policy, status: 'pass' | 'warn' | 'fail' | 'insufficient', override?: Partial<BreachMapping>): BreachRating | undefined {
  if (status === 'pass') return undefined;
  return override?.[status] ?? policy.breaches[status];
}
