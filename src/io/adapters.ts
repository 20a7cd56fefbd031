/**
 * The built-in table adapters, registered in the order `toColumnTable` tries them:
 *
 * | id | accepts | `column(name)` costs |
 * | --- | --- | --- |
 * | `columnTable` | an object that already is a ColumnTable | returned unchanged |
 * | `arrow` | Apache Arrow tables from `apache-arrow` or `@uwdata/flechette` (duck-typed: `numRows`, `schema.fields[].name`, `getChild(name)`) | Int/Float/Bool columns without nulls: `toArray()`, zero-copy for a single record batch (a concatenating copy for several); Int64 -> numbers (one pass, see `bigints.ts`); anything else (nulls, dictionary strings, timestamps as epoch ms, decimals): one pass materialising a plain array with `null` for nulls |
 * | `arquero` | arquero tables (duck-typed: `columnNames()`, `numRows()`, `array(name)`) | unfiltered, unordered table whose column is an array or typed array: that array, zero-copy; otherwise `table.array(name)`, a copy that respects filters and order |
 * | `danfo` | danfo.js-style DataFrames (duck-typed: `columns`, `shape`, `column(name).values` or `df[name].values`) | the Series' `values` array, zero-copy |
 * | `rows` | an array of plain objects (row records); column names are the union of keys in first-seen order | one pass over the rows per column, on first access; a missing key is `undefined` (missing) |
 * | `columns` | a plain object of equal-length arrays or typed arrays, `{ y: [...], sex: [...] }` | the given array, zero-copy |
 *
 * Every column is built once and cached. A plain array of numbers is one column, not a table, and
 * is rejected by `toColumnTable`.
 *
 * @example
 * ```ts
 * toColumnTable([{ y: 1, sex: 'f' }, { y: 0 }]).column('sex');   // ['f', undefined]
 * toColumnTable({ y: new Uint8Array([1, 0]) }).column('y');       // the same Uint8Array
 * toColumnTable(tableFromArrays({ y: new Float64Array([1, 0]) })).source; // 'arrow'
 * ```
 */
import { InputError, messages } from '../errors.js';
import { bigintsToNumbers, bigintToNumber } from './bigints.js';
import { lazyTable } from './lazyTable.js';
import { registerTableAdapter, type TableAdapter } from './registry.js';
import type { ColumnTable } from './table.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/** A plain record: `{}` literal, `Object.create(null)`, or a JSON-parsed object. */
function isPlainObject(v: unknown): v is Obj {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An array or a (non-DataView) typed array: a ready column. */
function isColumnArray(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * Whether `v` already implements the ColumnTable protocol (`source`, `numRows`, `columnNames`,
 * `column()`).
 *
 * @example
 * ```ts
 * isColumnTable(toColumnTable({ y: [1] })); // true
 * isColumnTable({ y: [1] });                // false
 * ```
 */
export function isColumnTable(v: unknown): v is ColumnTable {
  return (
    isObject(v) &&
    typeof v.source === 'string' &&
    typeof v.numRows === 'number' &&
    Array.isArray(v.columnNames) &&
    typeof v.column === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Arrow (apache-arrow and flechette)

/** What fairwatch needs of an Arrow column (apache-arrow `Vector`, flechette `Column`). */
export interface ArrowColumnLike extends Iterable<unknown> {
  readonly length: number;
  readonly nullCount: number;
  readonly type?: { typeId?: number; precision?: number; bitWidth?: number };
  toArray(): ArrayLike<unknown>;
}
interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { fields: readonly { name: string }[] };
  getChild(name: string): ArrowColumnLike | null;
}

/** Arrow type ids (the same in apache-arrow and flechette). */
const ArrowType = { Int: 2, Float: 3, Bool: 6 } as const;
const HALF_PRECISION = 0;

function isArrowTable(d: unknown): d is ArrowTableLike {
  return (
    isObject(d) &&
    typeof d.numRows === 'number' &&
    typeof d.getChild === 'function' &&
    isObject(d.schema) &&
    Array.isArray((d.schema as Obj).fields)
  );
}

/**
 * Values of one Arrow column, zero-copy where Arrow holds plain values (see the module table).
 *
 * @example
 * ```ts
 * arrowColumnValues(tableFromArrays({ x: new Float64Array([1, 2]) }).getChild('x')!); // Float64Array [1, 2]
 * ```
 */
export function arrowColumnValues(col: ArrowColumnLike): ArrayLike<unknown> {
  const typeId = col.type?.typeId;
  const plain =
    typeId === ArrowType.Int || typeId === ArrowType.Bool || (typeId === ArrowType.Float && col.type?.precision !== HALF_PRECISION);
  if (plain && col.nullCount === 0) {
    const arr = col.toArray();
    if (arr instanceof BigInt64Array || arr instanceof BigUint64Array) return bigintsToNumbers(arr);
    return arr;
  }
  // Iteration decodes dictionaries, turns timestamps into epoch milliseconds and gives null for nulls.
  const out: unknown[] = new Array(col.length);
  let i = 0;
  for (const v of col) out[i++] = typeof v === 'bigint' ? bigintToNumber(v) : v;
  return out;
}

const arrowAdapter: TableAdapter = {
  id: 'arrow',
  detect: isArrowTable,
  adapt(data, fn) {
    const t = data as ArrowTableLike;
    return lazyTable({
      source: 'arrow',
      columnNames: t.schema.fields.map((f) => f.name),
      numRows: t.numRows,
      load: (name) => arrowColumnValues(t.getChild(name)!),
      fn,
    });
  },
};

// ---------------------------------------------------------------------------------------------
// arquero

interface ArqueroLike {
  columnNames(): string[];
  numRows(): number;
  array(name: string): ArrayLike<unknown>;
  column?(name: string): unknown;
  isFiltered?(): boolean;
  isOrdered?(): boolean;
}

const arqueroAdapter: TableAdapter = {
  id: 'arquero',
  detect: (d) =>
    isObject(d) && typeof d.columnNames === 'function' && typeof d.numRows === 'function' && typeof d.array === 'function',
  adapt(data, fn) {
    const t = data as ArqueroLike;
    const numRows = t.numRows();
    const direct =
      typeof t.column === 'function' && t.isFiltered?.() === false && t.isOrdered?.() === false;
    return lazyTable({
      source: 'arquero',
      columnNames: t.columnNames(),
      numRows,
      load: (name) => {
        if (direct) {
          const c = t.column!(name);
          if (isColumnArray(c) && c.length === numRows && !(c instanceof BigInt64Array || c instanceof BigUint64Array)) return c;
        }
        return t.array(name);
      },
      fn,
    });
  },
};

// ---------------------------------------------------------------------------------------------
// danfo.js DataFrames (duck-typed; danfojs is not a dependency)

interface DanfoLike {
  columns: string[];
  shape: [number, number];
  column?(name: string): { values?: unknown };
}

const danfoAdapter: TableAdapter = {
  id: 'danfo',
  detect: (d) =>
    isObject(d) &&
    !Array.isArray(d) &&
    Array.isArray(d.columns) &&
    Array.isArray(d.shape) &&
    d.shape.length === 2 &&
    typeof d.shape[0] === 'number',
  adapt(data, fn) {
    const df = data as unknown as DanfoLike;
    const numRows = df.shape[0];
    return lazyTable({
      source: 'danfo',
      columnNames: df.columns.map(String),
      numRows,
      load: (name) => {
        const series = typeof df.column === 'function' ? df.column(name) : (df as unknown as Obj)[name];
        const values = isObject(series) ? series.values : undefined;
        if (!isColumnArray(values)) {
          throw new InputError(messages.notArrayLike(fn, `column ${JSON.stringify(name)}`, values), 'notArrayLike', {
            column: name,
          });
        }
        if (values.length !== numRows) throw lengthError(fn, name, numRows, values.length);
        return values;
      },
      fn,
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Row objects

const rowsAdapter: TableAdapter = {
  id: 'rows',
  detect: (d) => Array.isArray(d) && (d.length === 0 || (isObject(d[0]) && !isColumnArray(d[0]) && !(d[0] instanceof Date))),
  adapt(data, fn) {
    const rows = data as readonly unknown[];
    const n = rows.length;
    // Union of keys in first-seen order. Rows usually share the first row's keys in the same
    // order, which is checked without touching the Set.
    const names: string[] = [];
    const seen = new Set<string>();
    let first: string[] = [];
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (!isObject(row) || Array.isArray(row)) {
        throw new InputError(messages.badRow(fn, i, row), 'badRow', { row: i, value: row });
      }
      let j = 0;
      let same = true;
      for (const k in row) {
        if (same && k === first[j]) {
          j++;
          continue;
        }
        same = false;
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
      if (i === 0) first = names.slice();
    }
    return lazyTable({
      source: 'rows',
      columnNames: names,
      numRows: n,
      load: (name) => {
        const out: unknown[] = new Array(n);
        if (name in Object.prototype) {
          for (let i = 0; i < n; i++) {
            const r = rows[i] as Obj;
            out[i] = Object.hasOwn(r, name) ? r[name] : undefined;
          }
        } else {
          for (let i = 0; i < n; i++) out[i] = (rows[i] as Obj)[name];
        }
        return out;
      },
      fn,
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Column objects

const columnsAdapter: TableAdapter = {
  id: 'columns',
  detect: (d) => {
    if (!isPlainObject(d)) return false;
    const values = Object.values(d);
    return values.length === 0 || values.some(isColumnArray);
  },
  adapt(data, fn) {
    const cols = data as Obj;
    const names = Object.keys(cols);
    let numRows = -1;
    for (const name of names) {
      const v = cols[name];
      if (!isColumnArray(v)) {
        throw new InputError(messages.notArrayLike(fn, `column ${JSON.stringify(name)}`, v), 'notArrayLike', { column: name });
      }
      if (numRows < 0) numRows = v.length;
      else if (v.length !== numRows) throw lengthError(fn, name, numRows, v.length);
    }
    return lazyTable({ source: 'columns', columns: cols as Record<string, ArrayLike<unknown>>, numRows: Math.max(numRows, 0), fn });
  },
};

// ---------------------------------------------------------------------------------------------

const columnTableAdapter: TableAdapter = {
  id: 'columnTable',
  detect: isColumnTable,
  adapt: (data) => data as ColumnTable,
};

function lengthError(fn: string, column: string, expected: number, actual: number): InputError {
  return new InputError(messages.lengthMismatch(fn, column, expected, actual), 'lengthMismatch', { column, expected, actual });
}

/**
 * The built-in adapters, in the order they are tried.
 *
 * @example
 * ```ts
 * builtinTableAdapters.map((a) => a.id);                     // ['columnTable', 'arrow', 'arquero', 'danfo', 'rows', 'columns']
 * builtinTableAdapters.find((a) => a.detect([{ x: 1 }]))?.id; // 'rows'
 * ```
 */
export const builtinTableAdapters: readonly TableAdapter[] = [
  columnTableAdapter,
  arrowAdapter,
  arqueroAdapter,
  danfoAdapter,
  rowsAdapter,
  columnsAdapter,
];

for (const a of builtinTableAdapters) registerTableAdapter(a);
