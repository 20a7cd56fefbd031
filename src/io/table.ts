/**
 * The one small column protocol every input is turned into: a {@link ColumnTable}.
 *
 * `toColumnTable(data)` accepts row objects, column objects, Apache Arrow tables (apache-arrow
 * or flechette), arquero tables, danfo.js DataFrames, or something that already is a
 * ColumnTable, by asking the registered adapters in order (see `adapters.ts` for what each
 * access path costs, and `registry.ts` to add your own). Files are read by `readTableFile`.
 *
 * Columns come back as the source holds them: zero-copy typed arrays where the source has them,
 * otherwise plain arrays in which a missing value is `null` or `undefined`. Role conversion
 * (binary labels, scores, weights) is `columns.ts`'s job. Empty tables (0 rows) are allowed here;
 * callers check emptiness.
 *
 * @example
 * ```ts
 * const t = toColumnTable([{ y: 1, sex: 'f' }, { y: 0, sex: 'm' }]);
 * t.source;        // 'rows'
 * t.numRows;       // 2
 * t.columnNames;   // ['y', 'sex']
 * t.column('y');   // [1, 0]
 * ```
 */
import { InputError, messages } from '../errors.js';
import './adapters.js';
import { getTableAdapters } from './registry.js';

export { registerTableAdapter, unregisterTableAdapter, getTableAdapters, type TableAdapter } from './registry.js';

/** A table as fairwatch reads it: named columns of equal length. */
export interface ColumnTable {
  /** Adapter id that produced it, e.g. 'rows', 'columns', 'arrow', 'arquero', 'danfo', 'file'. */
  readonly source: string;
  readonly numRows: number;
  readonly columnNames: readonly string[];
  /**
   * Values of one column, zero-copy typed arrays where the source holds them; the first call
   * may build the column (its cost depends on the source, see `adapters.ts`), later calls return
   * the cached array. Throws `InputError` with `messages.missingColumn(fn, name, columnNames)`
   * if absent.
   */
  column(name: string): ArrayLike<unknown>;
}

/**
 * Wrap any supported table as a {@link ColumnTable}. Throws `InputError` with
 * `messages.unsupportedInput(fn, 'data', data)` for anything else, including a plain array of
 * numbers (that is one column, not a table).
 *
 * @example
 * ```ts
 * toColumnTable({ y: [1, 0, 1], sex: ['f', 'm', 'f'] }).column('sex'); // ['f', 'm', 'f']
 * toColumnTable([1, 0, 1]); // throws InputError: toColumnTable: data is not a supported table (...); got [1,0,1]
 * ```
 */
export function toColumnTable(data: unknown, fn = 'toColumnTable'): ColumnTable {
  for (const adapter of getTableAdapters()) {
    if (adapter.detect(data)) return adapter.adapt(data, fn);
  }
  throw new InputError(messages.unsupportedInput(fn, 'data', data), 'unsupportedInput', { argument: 'data' });
}
