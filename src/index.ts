/**
 * fairwatch: fairness metrics, calibration and drift for AI models, computed from mergeable
 * summaries, with ISO/IEC 42001 evidence. Named exports only.
 *
 * @example
 * ```ts
 * import { groupMetrics } from 'fairwatch';
 * groupMetrics({ yTrue: [1, 0, 1, 0], yPred: [1, 0, 0, 0], sensitive: ['a', 'a', 'b', 'b'], minGroupSize: 1 })
 *   .demographicParityDifference(); // 0.5
 * ```
 */
export * from './errors.js';
export { VERSION } from './version.js';
export * from './kernels/groups.js';
export * from './kernels/summaries.js';
export * from './io/index.js';
export * from './calibration/index.js';
export * from './intervals/index.js';
export * from './fairness/index.js';
export * from './metrics/index.js';
export * from './drift/index.js';
export * from './engines/index.js';
export * from './governance/index.js';
export {
  openStore, resolveStoreLocation, DEFAULT_STORE_DIR, DuckDBStore, PostgresStore,
  type Store, type StoreOptions, type RunRecord, type StoredRun, type StoredFinding, type TimeRange, type RunWithRisks,
} from './store/index.js';
export { storeEvidence, type StoreEvidence } from './store/evidence.js';
export * from './evidence/index.js';
export * from './report/index.js';
export { generateLoans, loansToCSV, LOAN_PARAMETERS, type LoanDataset, type LoanColumns } from './datasets/loans.js';
export { main as cli } from './cli/main.js';
export * from './monitor/index.js';
