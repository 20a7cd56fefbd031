/**
 * The input layer: any table -> {@link ColumnTable}; raw columns -> typed columns by role; files
 * -> ColumnTable through DuckDB.
 *
 * @example
 * ```ts
 * import { toColumnTable, toBinary, readTableFile } from './io/index.js';
 * const t = toColumnTable([{ y: 'yes' }, { y: 'no' }]);
 * toBinary(t.column('y'), { column: 'y', positiveLabel: 'yes' }).values; // Uint8Array [1, 0]
 * ```
 */
export { toColumnTable, type ColumnTable } from './table.js';
export { registerTableAdapter, unregisterTableAdapter, getTableAdapters, type TableAdapter } from './registry.js';
export { builtinTableAdapters, isColumnTable, arrowColumnValues, type ArrowColumnLike } from './adapters.js';
export { lazyTable, type LazyTableOptions } from './lazyTable.js';
export { toBinary, toScores, thresholdScores, toWeights, type BinaryColumn } from './columns.js';
export { readTableFile, fileReaderSql, sqlString, sqlIdentifier, type ReadTableFileOptions } from './files.js';
export { bigintToNumber, bigintsToNumbers } from './bigints.js';
