/**
 * Read a CSV, TSV, Parquet, JSON or JSON-lines file into a {@link ColumnTable} (source `'file'`),
 * with DuckDB embedded (`@duckdb/node-api`, an in-memory instance opened and closed per call).
 *
 * | extension | DuckDB reader |
 * | --- | --- |
 * | `.csv` | `read_csv(path, header = true, auto_detect = true, delim = ',', skip = 0)` |
 * | `.tsv` | the same with `delim = '\t'` |
 * | `.parquet`, `.pq` | `read_parquet(path)` |
 * | `.json` (an array of records, or one record per line) | `read_json_auto(path)` |
 * | `.jsonl`, `.ndjson` | `read_json_auto(path, format = 'newline_delimited')` |
 *
 * A trailing `.gz` (e.g. `data.csv.gz`) is decompressed by DuckDB.
 *
 * Column types, as DuckDB infers them (CSV types are sniffed from a sample of rows; a later value
 * that does not fit is a read error):
 * - numbers without NULLs become typed arrays: DOUBLE -> `Float64Array`, FLOAT -> `Float32Array`,
 *   INTEGER -> `Int32Array`, SMALLINT/TINYINT/unsigned alike; BIGINT (DuckDB's choice for any
 *   integer CSV or JSON column) and HUGEINT -> `Int32Array` when all values fit in 32 bits, else
 *   `Float64Array` when all are safe integers; DECIMAL -> `Float64Array`;
 * - dates and timestamps -> epoch milliseconds (`Float64Array`), as Arrow columns give them;
 * - with NULLs, any of these is a plain array of numbers with `null` (unsafe 64-bit integers stay
 *   `bigint`);
 * - VARCHAR -> strings, BOOLEAN -> booleans (plain arrays, `null` for NULL); other types (lists,
 *   structs, UUIDs, ...) as DuckDB's JS conversion gives them.
 *
 * An empty CSV cell is NULL (a missing value), never dropped. Only `''` is read as NULL; write
 * other missing markers ("NA") as empty cells. The delimiter, header and `skip = 0` are fixed
 * rather than sniffed: left to itself, DuckDB's sniffer reads a CSV with one ragged row as a
 * single column or skips its first lines; fixed, a ragged row is a read error.
 *
 * Cost: DuckDB parses in parallel; the result is read in chunks of 2048 rows (the vectors' public
 * `getItem`) and copied once into the final arrays. About 1.5-2 s per million rows of six columns
 * on two cores, mostly for strings; numeric columns cost far less. Read only the columns you need
 * with `columns`.
 *
 * @example
 * ```ts
 * const t = await readTableFile('predictions.csv', { columns: ['label', 'score', 'sex'] });
 * t.column('score'); // Float64Array [...]
 * t.column('sex');   // ['f', 'm', null, ...]
 * ```
 */
import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  DuckDBInstance,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
} from '@duckdb/node-api';
import { InputError, messages } from '../errors.js';
import { bigintToNumber } from './bigints.js';
import { lazyTable } from './lazyTable.js';
import type { ColumnTable } from './table.js';

/** Options of {@link readTableFile}. */
export interface ReadTableFileOptions {
  /** Read only these columns (in this order); a name absent from the file is an `InputError`. */
  columns?: string[];
  /** Calling function, for error messages (default 'readTableFile'). */
  fn?: string;
}

/**
 * A SQL string literal: single quotes doubled.
 *
 * @example
 * ```ts
 * sqlString("it's.csv"); // 'it''s.csv' (as SQL text)
 * ```
 */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * A SQL identifier: double quotes doubled.
 *
 * @example
 * ```ts
 * sqlIdentifier('my "col"'); // "my ""col""" (as SQL text)
 * ```
 */
export function sqlIdentifier(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/**
 * The DuckDB table function reading `path`, chosen by its extension; `null` if unsupported.
 *
 * @example
 * ```ts
 * fileReaderSql("it's.csv"); // "read_csv('it''s.csv', header = true, auto_detect = true, delim = ',', skip = 0)"
 * ```
 */
export function fileReaderSql(path: string): string | null {
  const lower = path.toLowerCase().replace(/\.gz$/, '');
  const p = sqlString(path);
  if (lower.endsWith('.csv')) return `read_csv(${p}, header = true, auto_detect = true, delim = ',', skip = 0)`;
  if (lower.endsWith('.tsv')) return `read_csv(${p}, header = true, auto_detect = true, delim = '\t', skip = 0)`;
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return `read_parquet(${p})`;
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return `read_json_auto(${p}, format = 'newline_delimited')`;
  if (lower.endsWith('.json')) return `read_json_auto(${p})`;
  return null;
}

/**
 * Read a CSV, TSV, Parquet, JSON (array of records) or JSONL/NDJSON file into a ColumnTable
 * (source 'file'); see the module documentation for types and costs.
 *
 * Errors (`InputError`): unsupported extension -> `messages.unsupportedFile(fn, path)`; no such
 * file -> `messages.fileNotFound(fn, path)`; a requested column absent ->
 * `messages.missingColumn(fn, name, fileColumns)`; DuckDB cannot parse it ->
 * `messages.fileReadFailed(fn, path, reason)`.
 *
 * @example
 * ```ts
 * const t = await readTableFile('/data/scored.parquet');
 * t.source;       // 'file'
 * t.columnNames;  // ['label', 'score', 'sex']
 * ```
 */
export async function readTableFile(path: string, options: ReadTableFileOptions = {}): Promise<ColumnTable> {
  const fn = options.fn ?? 'readTableFile';
  const reader = fileReaderSql(path);
  if (reader === null) throw new InputError(messages.unsupportedFile(fn, path), 'unsupportedFile', { path });
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) throw new InputError(messages.fileNotFound(fn, path), 'fileNotFound', { path });
  const from = fileReaderSql(resolve(path))!;

  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    const schema = await connection.runAndReadAll(`SELECT * FROM ${from} LIMIT 0`);
    const available = schema.columnNames();
    let names = available;
    if (options.columns) {
      names = [...new Set(options.columns)];
      for (const name of names) {
        if (!available.includes(name)) {
          throw new InputError(messages.missingColumn(fn, name, available), 'missingColumn', { column: name, available, path });
        }
      }
    }
    const columns = names.length
      ? await readColumns(connection, `SELECT ${names.map(sqlIdentifier).join(', ')} FROM ${from}`)
      : { names: [], values: [], rows: await countRows(connection, from) };
    const byName = new Map(columns.names.map((name, i) => [name, columns.values[i]!]));
    return lazyTable({ source: 'file', columnNames: columns.names, numRows: columns.rows, load: (name) => byName.get(name)!, fn });
  } catch (e) {
    if (e instanceof InputError) throw e;
    const reason = duckdbReason(e);
    throw new InputError(messages.fileReadFailed(fn, path, reason), 'fileReadFailed', { path, reason });
  } finally {
    connection?.closeSync();
    instance?.closeSync();
  }
}

/**
 * Convert a data file to Parquet with DuckDB (`COPY (SELECT * FROM reader) TO ... (FORMAT
 * PARQUET)`), atomically: written next to the target, then renamed.
 *
 * @example
 * ```ts
 * await convertToParquet('demo-output/loans.csv', 'demo-output/loans.parquet');
 * ```
 */
export async function convertToParquet(source: string, target: string, fn = 'convertToParquet'): Promise<void> {
  if (fileReaderSql(source) === null) throw new InputError(messages.unsupportedFile(fn, source), 'unsupportedFile', { path: source });
  const isFile = await stat(source).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) throw new InputError(messages.fileNotFound(fn, source), 'fileNotFound', { path: source });
  const tmp = `${target}.${process.pid}.tmp`;
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM ${fileReaderSql(resolve(source))}) TO ${sqlString(resolve(tmp))} (FORMAT PARQUET)`);
    connection.closeSync();
    connection = undefined;
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof InputError) throw e;
    const reason = duckdbReason(e);
    throw new InputError(messages.fileReadFailed(fn, source, reason), 'fileReadFailed', { path: source, reason });
  } finally {
    connection?.closeSync();
    instance?.closeSync();
  }
}

/** DuckDB's message up to its SQL excerpt, on one line. */
function duckdbReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const head = message.split(/\n\s*\nLINE \d+:/)[0]!;
  const oneLine = head.replace(/\s*\n\s*/g, '; ').trim();
  return oneLine.length > 500 ? oneLine.slice(0, 497) + '...' : oneLine;
}

async function countRows(connection: DuckDBConnection, from: string): Promise<number> {
  const r = await connection.runAndReadAll(`SELECT count(*) FROM ${from}`);
  return Number(r.getColumns()[0]![0] as bigint);
}

/**
 * Run a query and copy its result chunk by chunk into one array per column. A materialised
 * result (`run`) lets DuckDB parse in parallel; it measured faster than `stream` here.
 */
async function readColumns(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ names: string[]; values: ArrayLike<unknown>[]; rows: number }> {
  const result = await connection.run(sql);
  const names = result.columnNames();
  const builders = result.columnTypes().map(builderFor);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    for (let c = 0; c < builders.length; c++) builders[c]!.add(chunk.getColumnVector(c), count, rows);
    rows += count;
  }
  return { names, values: builders.map((b) => b.finish(rows)), rows };
}

// ---------------------------------------------------------------------------------------------
// Column builders: one per result column, fed chunk by chunk.

interface ColumnBuilder {
  /** Append `count` values of one chunk's vector; `offset` is the row index of its first value. */
  add(vector: DuckDBVector, count: number, offset: number): void;
  finish(rows: number): ArrayLike<unknown>;
}

type NumberArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;
type NumberArrayConstructor = new (length: number) => NumberArray;

const MS_PER_DAY = 86_400_000;

function builderFor(type: DuckDBType): ColumnBuilder {
  switch (type.typeId) {
    case DuckDBTypeId.DOUBLE:
      return new NumberBuilder(Float64Array, null);
    case DuckDBTypeId.FLOAT:
      return new NumberBuilder(Float32Array, null);
    case DuckDBTypeId.INTEGER:
      return new NumberBuilder(Int32Array, null);
    case DuckDBTypeId.SMALLINT:
      return new NumberBuilder(Int16Array, null);
    case DuckDBTypeId.TINYINT:
      return new NumberBuilder(Int8Array, null);
    case DuckDBTypeId.UINTEGER:
      return new NumberBuilder(Uint32Array, null);
    case DuckDBTypeId.USMALLINT:
      return new NumberBuilder(Uint16Array, null);
    case DuckDBTypeId.UTINYINT:
      return new NumberBuilder(Uint8Array, null);
    case DuckDBTypeId.DECIMAL:
      return new NumberBuilder(Float64Array, (v) => (v as DuckDBDecimalValue).toDouble());
    case DuckDBTypeId.DATE:
      return new NumberBuilder(Float64Array, (v) => (v as DuckDBDateValue).days * MS_PER_DAY);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new NumberBuilder(Float64Array, (v) => Number((v as DuckDBTimestampValue).micros) / 1000);
    case DuckDBTypeId.TIMESTAMP_S:
      return new NumberBuilder(Float64Array, (v) => Number((v as DuckDBTimestampSecondsValue).seconds) * 1000);
    case DuckDBTypeId.TIMESTAMP_MS:
      return new NumberBuilder(Float64Array, (v) => Number((v as DuckDBTimestampMillisecondsValue).millis));
    case DuckDBTypeId.TIMESTAMP_NS:
      return new NumberBuilder(Float64Array, (v) => Number((v as DuckDBTimestampNanosecondsValue).nanos) / 1e6);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return new BigIntBuilder();
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.ENUM:
      return new ValueBuilder(null);
    default:
      return new ValueBuilder((v) => {
        const x = JSDuckDBValueConverter(v, type, JSDuckDBValueConverter);
        return typeof x === 'bigint' ? bigintToNumber(x) : x;
      });
  }
}

/** Numbers into typed-array parts; NULL positions remembered. */
class NumberBuilder implements ColumnBuilder {
  readonly #parts: NumberArray[] = [];
  readonly #nulls: number[] = [];
  constructor(
    readonly ctor: NumberArrayConstructor,
    readonly convert: ((v: DuckDBValue) => number) | null,
  ) {}

  add(vector: DuckDBVector, count: number, offset: number): void {
    const part = new this.ctor(count);
    const convert = this.convert;
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(i);
      if (v === null) this.#nulls.push(offset + i);
      else part[i] = convert ? convert(v) : (v as number);
    }
    this.#parts.push(part);
  }

  finish(rows: number): ArrayLike<unknown> {
    if (this.#nulls.length === 0) return concat(this.#parts, this.ctor, rows);
    const out: (number | null)[] = new Array(rows);
    let k = 0;
    for (const part of this.#parts) for (let i = 0; i < part.length; i++) out[k++] = part[i]!;
    for (const i of this.#nulls) out[i] = null;
    return out;
  }
}

/** 64/128-bit integers: numbers when safe (see `bigints.ts`). */
class BigIntBuilder implements ColumnBuilder {
  readonly #parts: Float64Array[] = [];
  readonly #nulls: number[] = [];
  readonly #unsafe = new Map<number, bigint>();
  #int32 = true;

  add(vector: DuckDBVector, count: number, offset: number): void {
    const part = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(i) as bigint | null;
      if (v === null) {
        this.#nulls.push(offset + i);
        continue;
      }
      const x = bigintToNumber(v);
      if (typeof x === 'bigint') {
        this.#unsafe.set(offset + i, x);
        continue;
      }
      part[i] = x;
      if (x > 2147483647 || x < -2147483648) this.#int32 = false;
    }
    this.#parts.push(part);
  }

  finish(rows: number): ArrayLike<unknown> {
    if (this.#nulls.length === 0 && this.#unsafe.size === 0) return concat(this.#parts, this.#int32 ? Int32Array : Float64Array, rows);
    const out: (number | bigint | null)[] = new Array(rows);
    let k = 0;
    for (const part of this.#parts) for (let i = 0; i < part.length; i++) out[k++] = part[i]!;
    for (const i of this.#nulls) out[i] = null;
    for (const [i, v] of this.#unsafe) out[i] = v;
    return out;
  }
}

/** Any other value type into a plain array (`null` for NULL). */
class ValueBuilder implements ColumnBuilder {
  readonly #values: unknown[] = [];
  constructor(readonly convert: ((v: DuckDBValue) => unknown) | null) {}

  add(vector: DuckDBVector, count: number): void {
    const values = this.#values;
    const convert = this.convert;
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(i);
      values.push(v === null || !convert ? v : convert(v));
    }
  }

  finish(): ArrayLike<unknown> {
    return this.#values;
  }
}

function concat(parts: ArrayLike<number>[], ctor: NumberArrayConstructor, rows: number): NumberArray {
  if (parts.length === 1 && parts[0] instanceof ctor) return parts[0] as NumberArray;
  const out = new ctor(rows);
  let k = 0;
  for (const part of parts) {
    out.set(part, k);
    k += part.length;
  }
  return out;
}
