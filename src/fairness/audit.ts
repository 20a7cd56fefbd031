/**
 * `audit`: the fairness audit of a model's decisions over one or more sensitive attributes —
 * each attribute on its own, or (with `intersect`) their intersection — as one document.
 * It is what `fairwatch audit` prints.
 *
 * @example
 * ```ts
 * import { audit } from 'fairwatch';
 * const a = audit({ data: rows, yTrue: 'repaid', yPred: 'approved', yScore: 'score', sensitive: ['sex', 'age_band'] });
 * a.results.map((r) => [r.columns, r.demographicParityRatio()]);
 * console.log(String(a));
 * ```
 */
import { InputError, messages } from '../errors.js';
import type { GroupValue } from '../kernels/groups.js';
import { jupyterDisplay, type JupyterBundle } from './display.js';
import { formatResultMarkdown, formatResultText } from './format.js';
import { checkOptions, groupMetricsFromInputs, type GroupMetricsOptions } from './group-metrics.js';
import { resolveInputs } from './inputs.js';
import { type GroupJSON, type GroupMetricsJSON, type GroupMetricsResult, type NamedDisparity } from './result.js';

export interface AuditOptions extends Omit<GroupMetricsOptions, 'reference'> {
  /** Audit the intersection of all sensitive columns instead of each column on its own. */
  intersect?: boolean;
  /** Reference groups by column, e.g. `{ sex: 'male' }` (with `intersect`, all columns at once). */
  reference?: Readonly<Record<string, GroupValue>>;
}

/** The JSON document of an audit (also `fairwatch audit --format json`). */
export interface AuditJSON {
  kind: 'fairwatch.audit';
  version: 1;
  rows: number;
  attributeSets: string[][];
  /** Every group of every attribute set; `group` maps each of the set's columns to the value. */
  groups: (GroupJSON & { attributes: string[] })[];
  /** One entry per attribute set with the named disparities (null where undefined). */
  disparities: ({ attributes: string[] } & Record<NamedDisparity, number | null>)[];
  /** The full result of each attribute set (details, intervals, calibration, summaries). */
  results: GroupMetricsJSON[];
  warnings: string[];
}

/**
 * An audit: one {@link GroupMetricsResult} per attribute set.
 *
 * @example
 * ```ts
 * const a = audit({ yTrue: [1, 0, 1, 0], yPred: [1, 0, 0, 0],
 *   sensitive: { sex: ['f', 'f', 'm', 'm'], age: ['y', 'o', 'y', 'o'] }, minGroupSize: 1 });
 * a instanceof AuditResult;  // true
 * a.rows;                    // 4
 * a.toJSON().attributeSets;  // [['sex'], ['age']]
 * ```
 */
export class AuditResult {
  constructor(
    readonly rows: number,
    readonly results: GroupMetricsResult[],
  ) {}

  /** The audit document. @example `JSON.stringify(audit(...))` */
  toJSON(): AuditJSON {
    const results = this.results.map((r) => r.toJSON());
    return {
      kind: 'fairwatch.audit',
      version: 1,
      rows: this.rows,
      attributeSets: results.map((r) => r.attributes),
      groups: results.flatMap((r) => r.groups.map((g) => ({ attributes: r.attributes, ...g }))),
      disparities: results.map((r) => r.disparities),
      results,
      warnings: results.flatMap((r) => r.warnings.map((w) => `${r.attributes.join(' × ')}: ${w}`)),
    };
  }

  /** Readable text: one table per attribute set. @example `console.log(String(audit(...)))` */
  toString(): string {
    return this.results.map((r) => formatResultText(r.toJSON())).join('\n\n');
  }

  /**
   * Notebook display: every attribute set's HTML table, the selection-rate chart of the first one,
   * and the text tables.
   * @example `audit({ ... }) // as the last expression of a notebook cell`
   */
  [Symbol.for('Jupyter.display')](): JupyterBundle {
    const first = jupyterDisplay(this.results[0]!.toJSON());
    return {
      ...first,
      'text/html': this.results.map((r) => r.toHTML()).join('\n'),
      'text/plain': this.toString(),
    };
  }

  /** Markdown: one section per attribute set. @example `fs.writeFileSync('audit.md', a.toMarkdown())` */
  toMarkdown(): string {
    return this.results.map((r) => formatResultMarkdown(r.toJSON())).join('\n\n');
  }
}

/**
 * Run the audit. Labels and predictions are converted once and shared by every attribute set.
 *
 * @example
 * ```ts
 * audit({ yTrue, yPred, sensitive: { sex, race }, intersect: true }).results[0].columns; // ['sex', 'race']
 * ```
 */
export function audit(options: AuditOptions): AuditResult {
  const fn = 'audit';
  const { reference, intersect, ...rest } = options;
  checkOptions(fn, rest);
  const inputs = resolveInputs(rest, fn);
  const names = inputs.sensitive.map((s) => s.name);
  if (reference) {
    for (const col of Object.keys(reference)) {
      if (!names.includes(col)) {
        throw new InputError(messages.missingColumn(fn, col, names) + ' (in reference)', 'missingColumn', { column: col });
      }
    }
  }
  const sets = intersect ? [names.map((_, i) => i)] : names.map((_, i) => [i]);
  const results = sets.map((set) => {
    const cols = set.map((i) => names[i]!);
    let ref: Record<string, GroupValue> | undefined;
    if (reference && cols.every((c) => c in reference)) ref = Object.fromEntries(cols.map((c) => [c, reference[c]!]));
    return groupMetricsFromInputs(inputs, set, { ...rest, ...(ref ? { reference: ref } : {}) }, fn);
  });
  return new AuditResult(inputs.rows, results);
}
