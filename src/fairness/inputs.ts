/**
 * Resolve the arguments of the metric functions into typed columns by role: labels, predictions,
 * scores, weights and sensitive columns, each either an array or a column name of `data`.
 *
 * This is the only place where user input is checked for shape: lengths agree, the table is not
 * empty, names exist. Conversions (binary labels, scores, weights) come from `io/`.
 *
 * @example
 * ```ts
 * const r = resolveInputs({ data: rows, yTrue: 'approved', yPred: 'decision', sensitive: ['sex', 'race'] }, 'groupMetrics');
 * r.yTrue;               // Uint8Array of 0/1
 * r.sensitive.map((s) => s.name); // ['sex', 'race']
 * ```
 */
import { InputError, messages } from '../errors.js';
import { thresholdScores, toBinary, toScores, toWeights } from '../io/columns.js';
import { toColumnTable, type ColumnTable } from '../io/table.js';

/** A column given directly (array, typed array) or by name in `data`. */
export type ColumnInput = ArrayLike<unknown> | string;
/** One sensitive column, several by name, or several as `{ name: values }`. */
export type SensitiveInput = ColumnInput | readonly string[] | Readonly<Record<string, ArrayLike<unknown>>>;

export interface RoleInputs {
  /** A table holding the named columns (arrays, row objects, column objects, Arrow, arquero, danfo). */
  data?: unknown;
  /** True labels: 0/1, booleans, or two values with `positiveLabel`. */
  yTrue: ColumnInput;
  /** Predicted labels (same conventions as `yTrue`); or give `yScore` and `threshold`. */
  yPred?: ColumnInput;
  /** Scores (probabilities in [0, 1] for calibration). */
  yScore?: ColumnInput;
  /** Predictions are `yScore >= threshold` when `yPred` is not given. */
  threshold?: number;
  /** Sensitive column(s). Several columns are intersected (their cross product). */
  sensitive: SensitiveInput;
  /** Sample weights (finite, >= 0). */
  weights?: ColumnInput;
  /** The positive value of labels and predictions when they are not 0/1 or booleans. */
  positiveLabel?: unknown;
}

export interface ResolvedInputs {
  rows: number;
  yTrue: Uint8Array;
  yPred: Uint8Array;
  yScore?: Float64Array;
  weights?: Float64Array;
  sensitive: { name: string; values: ArrayLike<unknown> }[];
  /** Column names (or argument names) by role, for provenance. */
  names: { yTrue: string; yPred: string; yScore?: string; weights?: string };
  /** The positive label actually used for yTrue (as given, or 1/true). */
  positiveLabel: unknown;
  threshold?: number;
}

const isArrayLike = (v: unknown): v is ArrayLike<unknown> =>
  Array.isArray(v) || ArrayBuffer.isView(v) || (typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number');

/**
 * Check and convert the role arguments.
 *
 * @example
 * ```ts
 * resolveInputs({ yTrue: [1, 0], yPred: [1, 1], sensitive: ['a', 'b'] }, 'groupMetrics').rows; // 2
 * ```
 */
export function resolveInputs(input: RoleInputs, fn: string): ResolvedInputs {
  let table: ColumnTable | undefined;
  if (input.data !== undefined && input.data !== null) table = toColumnTable(input.data, fn);

  const column = (value: ColumnInput, argument: string): { name: string; values: ArrayLike<unknown> } => {
    if (typeof value === 'string') {
      if (!table) {
        throw new InputError(messages.notArrayLike(fn, argument, value) + ' (a column name needs `data`)', 'notArrayLike', {
          argument,
          value,
        });
      }
      return { name: value, values: table.column(value) };
    }
    if (!isArrayLike(value)) {
      throw new InputError(messages.notArrayLike(fn, argument, value), 'notArrayLike', { argument, value });
    }
    return { name: argument, values: value };
  };

  const yTrueCol = column(input.yTrue, 'yTrue');
  const rows = yTrueCol.values.length;
  if (rows === 0) throw new InputError(messages.emptyInput(fn, yTrueCol.name), 'emptyInput', { argument: 'yTrue' });
  const sameLength = (c: { name: string; values: ArrayLike<unknown> }) => {
    if (c.values.length !== rows) {
      throw new InputError(messages.lengthMismatch(fn, c.name, rows, c.values.length), 'lengthMismatch', {
        column: c.name,
        expected: rows,
        actual: c.values.length,
      });
    }
    return c;
  };

  const sensitive: { name: string; values: ArrayLike<unknown> }[] = [];
  const s = input.sensitive;
  if (s === undefined || s === null) {
    throw new InputError(messages.notArrayLike(fn, 'sensitive', s), 'notArrayLike', { argument: 'sensitive' });
  }
  if (typeof s === 'string') sensitive.push(column(s, 'sensitive'));
  else if (Array.isArray(s) && s.length > 0 && s.every((x) => typeof x === 'string') && table) {
    for (const name of s as string[]) sensitive.push(column(name, 'sensitive'));
  } else if (isArrayLike(s)) sensitive.push({ name: 'sensitive', values: s });
  else if (typeof s === 'object') {
    for (const [name, values] of Object.entries(s as Record<string, unknown>)) {
      if (!isArrayLike(values)) throw new InputError(messages.notArrayLike(fn, `sensitive.${name}`, values), 'notArrayLike');
      sensitive.push({ name, values });
    }
    if (sensitive.length === 0) throw new InputError(messages.emptyInput(fn, 'sensitive'), 'emptyInput');
  } else {
    throw new InputError(messages.notArrayLike(fn, 'sensitive', s), 'notArrayLike', { argument: 'sensitive' });
  }
  sensitive.forEach(sameLength);

  const yTrueBin = toBinary(yTrueCol.values, { column: yTrueCol.name, positiveLabel: input.positiveLabel, fn });

  let yScore: Float64Array | undefined;
  let scoreName: string | undefined;
  if (input.yScore !== undefined) {
    const c = sameLength(column(input.yScore, 'yScore'));
    yScore = toScores(c.values, { column: c.name, fn });
    scoreName = c.name;
  }

  let yPred: Uint8Array;
  let predName: string;
  if (input.yPred !== undefined) {
    const c = sameLength(column(input.yPred, 'yPred'));
    yPred = toBinary(c.values, { column: c.name, positiveLabel: input.positiveLabel, fn }).values;
    predName = c.name;
  } else if (yScore && input.threshold !== undefined) {
    yPred = thresholdScores(yScore, input.threshold, fn);
    predName = `${scoreName} >= ${input.threshold}`;
  } else {
    throw new InputError(
      messages.badOption(fn, 'yPred', undefined, 'predictions, or yScore together with threshold'),
      'badOption',
      { option: 'yPred' },
    );
  }

  let weights: Float64Array | undefined;
  let weightName: string | undefined;
  if (input.weights !== undefined) {
    const c = sameLength(column(input.weights, 'weights'));
    weights = toWeights(c.values, { column: c.name, fn });
    weightName = c.name;
  }

  const names: ResolvedInputs['names'] = { yTrue: yTrueCol.name, yPred: predName };
  if (scoreName !== undefined) names.yScore = scoreName;
  if (weightName !== undefined) names.weights = weightName;
  const out: ResolvedInputs = { rows, yTrue: yTrueBin.values, yPred, sensitive, names, positiveLabel: yTrueBin.positive };
  if (yScore) out.yScore = yScore;
  if (weights) out.weights = weights;
  if (input.threshold !== undefined) out.threshold = input.threshold;
  return out;
}
