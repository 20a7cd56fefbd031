/**
 * Shared machinery of summaries whose data is laid out per group: a list of group keys and
 * several `Float64Array`s with a fixed number of cells per group. Merging aligns groups by key
 * (so chunks that saw different groups merge correctly) and keeps canonical key order, which
 * makes merge commutative and associative, with the empty summary as its neutral element.
 */
import { SchemaError, messages } from '../errors.js';
import { compareGroupKeys, groupKeyId, type GroupKey } from './groups.js';

/** Per-group arrays of a keyed summary: `arrays[name]` holds `stride[name]` cells per group. */
export interface KeyedData {
  columns: string[];
  groups: GroupKey[];
  arrays: Record<string, Float64Array>;
}

/**
 * Merge two keyed summaries cell by cell. `strides` gives the cells per group for each array.
 *
 * @example
 * ```ts
 * mergeKeyed({ columns: ['g'], groups: [['a']], arrays: { n: new Float64Array([1]) } },
 *            { columns: ['g'], groups: [['b']], arrays: { n: new Float64Array([2]) } }, { n: 1 }, 'merge');
 * // -> groups [['a'], ['b']], n [1, 2]
 * ```
 */
export function mergeKeyed(a: KeyedData, b: KeyedData, strides: Record<string, number>, fn: string): KeyedData {
  // The empty summary (no groups) is neutral whatever its column names.
  if (a.groups.length === 0 && b.groups.length === 0) return { ...a, columns: a.columns.length ? a.columns : b.columns };
  if (a.groups.length === 0) return cloneKeyed(b);
  if (b.groups.length === 0) return cloneKeyed(a);
  if (groupKeyId(a.columns) !== groupKeyId(b.columns)) {
    throw new SchemaError(messages.summaryMismatch(fn, 'sensitive columns', a.columns, b.columns), 'summaryMismatch');
  }
  const ids = new Map<string, GroupKey>();
  for (const k of a.groups) ids.set(groupKeyId(k), k);
  for (const k of b.groups) ids.set(groupKeyId(k), k);
  const groups = [...ids.values()].sort(compareGroupKeys);
  const pos = new Map<string, number>();
  groups.forEach((k, i) => pos.set(groupKeyId(k), i));
  const arrays: Record<string, Float64Array> = {};
  for (const [name, stride] of Object.entries(strides)) {
    const out = new Float64Array(groups.length * stride);
    for (const src of [a, b]) {
      const arr = src.arrays[name];
      if (!arr) throw new SchemaError(messages.badSummary(fn, name, undefined), 'badSummary');
      src.groups.forEach((k, g) => {
        const to = pos.get(groupKeyId(k))! * stride;
        const from = g * stride;
        for (let c = 0; c < stride; c++) out[to + c]! += arr[from + c]!;
      });
    }
    arrays[name] = out;
  }
  return { columns: [...a.columns], groups, arrays };
}

/**
 * Deep copy of keyed data.
 *
 * @example
 * ```ts
 * const a = { columns: ['g'], groups: [['a']], arrays: { n: new Float64Array([1, 2]) } };
 * const b = cloneKeyed(a);
 * b.arrays.n![0] = 9;
 * a.arrays.n![0]; // 1 (the original is untouched)
 * ```
 */
export function cloneKeyed(a: KeyedData): KeyedData {
  const arrays: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(a.arrays)) arrays[k] = v.slice();
  return { columns: [...a.columns], groups: a.groups.map((g) => [...g]), arrays };
}

/**
 * Sum the per-group cells of one array over all groups (the overall cells).
 *
 * @example
 * ```ts
 * totalCells(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]), 4); // Float64Array [6, 8, 10, 12]
 * ```
 */
export function totalCells(arr: Float64Array, stride: number): Float64Array {
  const out = new Float64Array(stride);
  for (let i = 0; i < arr.length; i++) out[i % stride]! += arr[i]!;
  return out;
}

/**
 * Validate and read a keyed summary's JSON fields.
 *
 * @example
 * ```ts
 * keyedFromJSON({ kind: 'confusion', columns: ['g'], groups: [['a']], n: [1, 0, 0, 2] }, 'confusion', { n: 4 }, 'read').arrays.n;
 * // Float64Array [1, 0, 0, 2]
 * keyedFromJSON({ kind: 'confusion', columns: ['g'], groups: [['a']], n: [1] }, 'confusion', { n: 4 }, 'read');
 * // throws SchemaError: 'read: summary JSON field n is invalid ([1])'
 * ```
 */
export function keyedFromJSON(
  json: unknown,
  kind: string,
  strides: Record<string, number>,
  fn: string,
): KeyedData & { raw: Record<string, unknown> } {
  if (typeof json !== 'object' || json === null) throw new SchemaError(messages.badSummary(fn, 'root', json), 'badSummary');
  const o = json as Record<string, unknown>;
  if (o.kind !== kind) throw new SchemaError(messages.badSummary(fn, 'kind', o.kind), 'badSummary');
  if (!Array.isArray(o.columns) || !o.columns.every((c) => typeof c === 'string')) {
    throw new SchemaError(messages.badSummary(fn, 'columns', o.columns), 'badSummary');
  }
  if (!Array.isArray(o.groups) || !o.groups.every((g) => Array.isArray(g) && g.length === (o.columns as unknown[]).length)) {
    throw new SchemaError(messages.badSummary(fn, 'groups', o.groups), 'badSummary');
  }
  const arrays: Record<string, Float64Array> = {};
  for (const [name, stride] of Object.entries(strides)) {
    const v = o[name];
    if (!Array.isArray(v) || v.length !== o.groups.length * stride || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new SchemaError(messages.badSummary(fn, name, v), 'badSummary');
    }
    arrays[name] = Float64Array.from(v as number[]);
  }
  return { columns: o.columns as string[], groups: o.groups as GroupKey[], arrays, raw: o };
}
