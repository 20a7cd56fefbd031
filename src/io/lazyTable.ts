/**
 * Build a {@link ColumnTable} from column names and a loader: each column is loaded on first
 * access and cached, so a table with many columns costs only what the caller reads.
 *
 * Cost: `column(name)` is one `Map` lookup after the first call; the first call costs whatever
 * `load` costs (zero-copy loaders cost nothing). Asking for an absent column throws
 * `InputError` with `messages.missingColumn(fn, name, columnNames)`.
 *
 * @example
 * ```ts
 * const t = lazyTable({ source: 'columns', columns: { y: [0, 1], g: ['a', 'b'] } });
 * t.numRows;        // 2
 * t.column('g');    // ['a', 'b']  (the same array, not a copy)
 * t.column('x');    // throws InputError: lazyTable: column "x" not found; available columns: "y", "g"
 * ```
 */
import { InputError, messages } from '../errors.js';
import type { ColumnTable } from './table.js';

/** Options of {@link lazyTable}: either ready `columns`, or `columnNames` + `numRows` + `load`. */
export type LazyTableOptions =
  | { source: string; columns: Readonly<Record<string, ArrayLike<unknown>>>; numRows?: number; fn?: string }
  | {
      source: string;
      columnNames: readonly string[];
      numRows: number;
      load: (name: string) => ArrayLike<unknown>;
      fn?: string;
    };

/**
 * Make a ColumnTable whose columns are loaded lazily and cached.
 *
 * @example
 * ```ts
 * const t = lazyTable({ source: 'file', columnNames: ['y'], numRows: 3, load: () => new Uint8Array([0, 1, 1]) });
 * t.column('y'); // Uint8Array [0, 1, 1]
 * ```
 */
export function lazyTable(options: LazyTableOptions): ColumnTable {
  const fn = options.fn ?? 'lazyTable';
  let names: readonly string[];
  let numRows: number;
  let load: (name: string) => ArrayLike<unknown>;
  if ('columns' in options) {
    const cols = options.columns;
    names = Object.keys(cols);
    numRows = options.numRows ?? (names.length ? cols[names[0]!]!.length : 0);
    load = (name) => cols[name]!;
  } else {
    names = options.columnNames.slice();
    numRows = options.numRows;
    load = options.load;
  }
  return new LazyTable(options.source, numRows, Object.freeze(names.slice()), load, fn);
}

class LazyTable implements ColumnTable {
  readonly source: string;
  readonly numRows: number;
  readonly columnNames: readonly string[];
  readonly #names: Set<string>;
  readonly #cache = new Map<string, ArrayLike<unknown>>();
  readonly #load: (name: string) => ArrayLike<unknown>;
  readonly #fn: string;

  constructor(source: string, numRows: number, columnNames: readonly string[], load: (name: string) => ArrayLike<unknown>, fn: string) {
    this.source = source;
    this.numRows = numRows;
    this.columnNames = columnNames;
    this.#names = new Set(columnNames);
    this.#load = load;
    this.#fn = fn;
  }

  column(name: string): ArrayLike<unknown> {
    let values = this.#cache.get(name);
    if (values !== undefined) return values;
    if (!this.#names.has(name)) {
      throw new InputError(messages.missingColumn(this.#fn, name, this.columnNames), 'missingColumn', {
        column: name,
        available: this.columnNames,
      });
    }
    values = this.#load(name);
    this.#cache.set(name, values);
    return values;
  }

  /** A short description for `console.log` and JSON. */
  toJSON(): { source: string; numRows: number; columnNames: readonly string[] } {
    return { source: this.source, numRows: this.numRows, columnNames: this.columnNames };
  }
}
