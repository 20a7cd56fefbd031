/**
 * `MemoryEngine`: the in-memory accumulate pass behind the engine contract, so callers can switch
 * between memory and SQL engines without changing code. A `'table'` source is the table given to
 * the constructor (anything `toColumnTable` accepts: row objects, column objects, Arrow, arquero,
 * danfo; `source.text` is only a label); a `'file'` source is read with `readTableFile` (only the
 * columns the query needs); a `'query'` source is an `InputError` (there is no SQL here).
 *
 * Cost: the in-memory pass (typed arrays, one pass); `bytesReturned` is 0 (nothing crosses a wire).
 *
 * @example
 * ```ts
 * const engine = new MemoryEngine({ y: [1, 0, 1], p: [1, 1, 0], sex: ['f', 'm', 'f'] });
 * const s = await engine.fairnessSummaries({ source: { kind: 'table', text: 'data' }, label: 'y', prediction: 'p', sensitive: ['sex'] });
 * s.confusion.n; // Float64Array [0, 0, 1, 1,  0, 1, 0, 0]
 * ```
 */
import { EngineError, InputError, messages } from '../errors.js';
import { summariesFromInputs } from '../fairness/group-metrics.js';
import { resolveInputs } from '../fairness/inputs.js';
import { readTableFile } from '../io/files.js';
import { toColumnTable, type ColumnTable } from '../io/table.js';
import { fairnessColumns, validateFairnessQuery } from './sql.js';
import { driftCountsInMemory, type DriftCounts, type DriftQuery } from './drift-sql.js';
import type { Engine, FairnessQuery, FairnessSummaries } from './types.js';

/**
 * An {@link Engine} running the in-memory pass.
 * @example `await new MemoryEngine(rows).fairnessSummaries(query)`
 */
export class MemoryEngine implements Engine {
  readonly id = 'memory' as const;
  readonly dialect = null;
  readonly #data: unknown;
  #closed = false;

  /**
   * An engine over one table (optional when every query reads a file).
   *
   * @example
   * ```ts
   * const engine = new MemoryEngine(rows);
   * ```
   */
  constructor(data?: unknown) {
    this.#data = data;
  }

  /**
   * Summaries of the table or file, with the in-memory semantics (`resolveInputs`, `encodeGroups`,
   * `accumulate`).
   *
   * @example
   * ```ts
   * const s = await new MemoryEngine().fairnessSummaries({ source: { kind: 'file', text: 'preds.csv' }, label: 'y', prediction: 'p', sensitive: ['sex'] });
   * ```
   */
  async fairnessSummaries(query: FairnessQuery): Promise<FairnessSummaries> {
    const fn = 'MemoryEngine.fairnessSummaries';
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'memory'), 'engineClosed');
    validateFairnessQuery(query, null, fn);
    const table = await this.#table(query, fn);
    const inputs = resolveInputs(
      {
        data: table,
        yTrue: query.label,
        ...(query.prediction !== undefined ? { yPred: query.prediction } : {}),
        ...(query.score !== undefined ? { yScore: query.score } : {}),
        ...(query.threshold !== undefined ? { threshold: query.threshold } : {}),
        ...(query.weights !== undefined ? { weights: query.weights } : {}),
        ...(query.positiveLabel !== undefined ? { positiveLabel: query.positiveLabel } : {}),
        sensitive: [...query.sensitive],
      },
      fn,
    );
    const { grouping, ...acc } = summariesFromInputs(
      inputs,
      inputs.sensitive.map((_, i) => i),
      {
        ...(query.missing !== undefined ? { missing: query.missing } : {}),
        ...(query.maxGroups !== undefined ? { maxGroups: query.maxGroups } : {}),
        ...(query.fineBins !== undefined ? { fineBins: query.fineBins } : {}),
      },
      fn,
    );
    query.onProgress?.({ step: `fairness by ${query.sensitive.join(' × ')}`, rowsDone: inputs.rows, rowsTotal: inputs.rows, done: true });
    return { ...acc, rows: inputs.rows, bytesReturned: 0, dropped: grouping.dropped };
  }

  /**
   * Drift counts of the table or file (`driftCountsInMemory`), the reference for the SQL engines.
   *
   * @example
   * ```ts
   * const [x] = await new MemoryEngine({ x: [1, 2, 3] }).driftCounts({ source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [2] }] });
   * x.binCounts; // [2, 1]
   * ```
   */
  async driftCounts(query: DriftQuery): Promise<DriftCounts[]> {
    const fn = 'MemoryEngine.driftCounts';
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'memory'), 'engineClosed');
    const table = await this.#table(query, fn, [...new Set(query.columns.map((c) => c.column))]);
    const out = driftCountsInMemory(table, query.columns);
    for (const c of out) query.onProgress?.({ step: `drift ${c.column}`, rowsDone: c.rows, rowsTotal: c.rows, done: true });
    return out;
  }

  async #table(query: FairnessQuery | DriftQuery, fn: string, columns = fairnessColumns(query as FairnessQuery)): Promise<ColumnTable> {
    // a SQL condition cannot be applied without SQL: refuse it rather than ignore it
    if (query.source.where !== undefined) {
      throw new InputError(messages.engineSourceUnsupported(fn, 'memory', 'where'), 'engineSourceUnsupported', { kind: 'where' });
    }
    switch (query.source.kind) {
      case 'file':
        return readTableFile(query.source.text, { columns, fn });
      case 'table':
        if (this.#data === undefined || this.#data === null) {
          throw new InputError(messages.badOption(fn, 'data', this.#data, 'a table given to the memory engine'), 'badOption', { option: 'data' });
        }
        return toColumnTable(this.#data, fn);
      default:
        throw new InputError(messages.engineSourceUnsupported(fn, 'memory', query.source.kind), 'engineSourceUnsupported', {
          kind: query.source.kind,
        });
    }
  }

  /**
   * Release the table; later calls throw `EngineError` 'engineClosed'.
   *
   * @example
   * ```ts
   * await engine.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
  }
}
