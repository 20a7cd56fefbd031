/**
 * The engine contract: an accumulate step run where the data lives, returning only summaries.
 * The same summaries come out of every engine (counts exactly, sums within 1e-9 relative), so
 * everything downstream (finalize, policy, reports) is engine-agnostic.
 *
 * @example
 * ```ts
 * const engine = await openEngine({ engine: 'duckdb' });
 * const { confusion, scoreBins } = await engine.fairnessSummaries({ source: { kind: 'file', text: 'preds/*.parquet' }, label: 'y', prediction: 'p', score: 's', sensitive: ['sex'] });
 * await engine.close();
 * ```
 */
import type { ConfusionSummary, ScoreBinSummary } from '../kernels/summaries.js';
import type { DriftCounts, DriftQuery } from './drift-sql.js';

/** SQL dialects the accumulate step compiles to. */
export type Dialect = 'duckdb' | 'postgres' | 'clickhouse';

/** Where the rows are: a table name, a SQL query, or (DuckDB) a file path or glob. */
export interface SqlSource {
  kind: 'table' | 'query' | 'file';
  text: string;
  /**
   * A SQL condition on the source's columns that restricts its rows (e.g. a monitoring window's
   * time range). SQL text, trusted as `query` is. On a ClickHouse table it stays in the one-level
   * aggregate (`FROM t WHERE ... GROUP BY`), so the shards of a Distributed table still aggregate.
   */
  where?: string;
}

/**
 * Progress of a long scan, reported while it runs (where the engine can tell: DuckDB's query
 * progress, ClickHouse's `system.processes`) and once when each step is done (every engine).
 */
export interface ScanProgress {
  /** What is being scanned, e.g. 'fairness by sex' or 'drift income'. */
  step: string;
  /** Rows read so far in this step (when known). */
  rowsDone?: number;
  /** Rows this step will read (when known). */
  rowsTotal?: number;
  /** True for the report at the end of the step. */
  done: boolean;
}

/** A progress callback (engines call it at most every 200 ms per step, plus once at its end). */
export type ProgressCallback = (progress: ScanProgress) => void;

/** What to accumulate for a fairness audit. Column names are quoted by the compiler. */
export interface FairnessQuery {
  source: SqlSource;
  label: string;
  /** Predicted label column; or give `score` and `threshold`. */
  prediction?: string;
  score?: string;
  threshold?: number;
  sensitive: string[];
  weights?: string;
  /** The positive value of label and prediction when they are not 0/1 or booleans (compared as text). */
  positiveLabel?: string;
  /** Fine score bins (default 3000, as in memory). */
  fineBins?: number;
  /** Missing sensitive values: own group (default), dropped with a count, or an error (as in memory). */
  missing?: 'group' | 'drop' | 'error';
  /** Maximum distinct values of one sensitive column (default 1000, as in memory). */
  maxGroups?: number;
  /** Progress of the scan (see {@link ScanProgress}). */
  onProgress?: ProgressCallback;
}

/** Result of a pushed-down accumulate step. */
export interface FairnessSummaries {
  confusion: ConfusionSummary;
  scoreBins?: ScoreBinSummary;
  /** Rows scanned. */
  rows: number;
  /** Bytes of the result returned to the client (summaries only). */
  bytesReturned: number;
  /** Rows dropped because a sensitive value was missing and `missing` was 'drop'. */
  dropped?: number;
}

/** An engine: memory, duckdb, postgres or clickhouse. */
export interface Engine {
  readonly id: 'memory' | 'duckdb' | 'postgres' | 'clickhouse';
  readonly dialect: Dialect | null;
  fairnessSummaries(query: FairnessQuery): Promise<FairnessSummaries>;
  /** Drift counts on stored edges / categories (`drift-sql.ts`), where the engine supports it. */
  driftCounts?(query: DriftQuery): Promise<DriftCounts[]>;
  /**
   * Read the named columns of a query's rows into memory, numbers as JS numbers (64-bit integers
   * and decimals included) and NULL as null: for reference profiles (a monitoring job's baseline
   * window), which need the values themselves. Not for large scans: every row comes back.
   */
  readColumns?(sql: string, columns: readonly string[]): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}
