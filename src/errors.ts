/**
 * Typed errors and the one catalogue of messages they are built from.
 *
 * Every message names the function, the argument or column, and the offending value, so that a
 * user (or a test) can act on it without reading the source. Tests compare against the factory,
 * not against copied text.
 *
 * @example
 * ```ts
 * import { InputError, messages } from 'fairwatch';
 * try { groupMetrics({ yTrue: [0, 1], yPred: [1], sensitive: ['a', 'b'] }); }
 * catch (e) { e instanceof InputError; // true
 *   e.message === messages.lengthMismatch('groupMetrics', 'yPred', 2, 1); } // true
 * ```
 */

/**
 * Base class of every error fairwatch throws on purpose. `code` is stable and machine-readable.
 *
 * @example
 * ```ts
 * const e = new FairwatchError('boom', 'custom', { x: 1 });
 * [e.name, e.code, e.details, e instanceof Error]; // ['FairwatchError', 'custom', { x: 1 }, true]
 * ```
 */
export class FairwatchError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(message: string, code: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/**
 * Bad input data or arguments: a missing column, a non-binary label, a length mismatch, ... (CLI exit 2).
 *
 * @example
 * ```ts
 * try { checkConfidence('wilsonInterval', 1.5); } catch (e) {
 *   e instanceof InputError;   // true
 *   (e as InputError).code;    // 'badOption'
 *   (e as InputError).message; // 'wilsonInterval: option confidence = 1.5 is invalid; expected a number strictly between 0 and 1'
 * }
 * ```
 */
export class InputError extends FairwatchError {}
/**
 * A document (summary JSON, result JSON, config) does not have the expected shape (CLI exit 2).
 *
 * @example
 * ```ts
 * try { confusionFromJSON({ kind: 'x' }); } catch (e) {
 *   e instanceof SchemaError;   // true
 *   (e as SchemaError).message; // 'confusionFromJSON: summary JSON field kind is invalid ("x")'
 * }
 * ```
 */
export class SchemaError extends FairwatchError {}
/**
 * A policy file is invalid (CLI exit 2).
 *
 * @example
 * ```ts
 * const e = new PolicyError('policy.yaml: thresholds.warn must be a number', 'badPolicy');
 * [e.name, e instanceof FairwatchError]; // ['PolicyError', true]
 * ```
 */
export class PolicyError extends FairwatchError {}
/**
 * A database or file engine failed (CLI exit 1 unless the cause is the user's input).
 *
 * @example
 * ```ts
 * const e = new EngineError('readTableFile: duckdb failed', 'engineFailed');
 * [e.name, e instanceof FairwatchError, e instanceof InputError]; // ['EngineError', true, false]
 * ```
 */
export class EngineError extends FairwatchError {}

/**
 * Short, readable rendering of an offending value for messages (cut to 60 characters).
 *
 * @example
 * ```ts
 * show('abc');    // '"abc"'
 * show(10n);      // '10n'
 * show([1, 2]);   // '[1,2]'
 * show(undefined); // 'undefined'
 * ```
 */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return value.toISOString();
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * The message catalogue. Each factory returns the exact text used in the thrown error.
 *
 * @example
 * ```ts
 * messages.missingColumn('groupMetrics', 'sex', ['age', 'race']);
 * // 'groupMetrics: column "sex" not found; available columns: "age", "race"'
 * messages.emptyInput('groupMetrics', 'yTrue'); // 'groupMetrics: yTrue is empty; at least one row is needed'
 * ```
 */
export const messages = {
  missingColumn: (fn: string, column: string, available: readonly string[]) =>
    `${fn}: column ${show(column)} not found; available columns: ${available.length ? available.map((c) => show(c)).join(', ') : '(none)'}`,
  lengthMismatch: (fn: string, argument: string, expected: number, actual: number) =>
    `${fn}: ${argument} has ${actual} rows but ${expected} were expected (all columns must have the same length)`,
  emptyInput: (fn: string, argument: string) => `${fn}: ${argument} is empty; at least one row is needed`,
  notArrayLike: (fn: string, argument: string, value: unknown) =>
    `${fn}: ${argument} must be an array, a typed array or a column name, got ${show(value)}`,
  unsupportedInput: (fn: string, argument: string, value: unknown) =>
    `${fn}: ${argument} is not a supported table (arrays, row objects, column objects, Arrow, arquero, danfo DataFrame); got ${show(value)}`,
  notBinary: (fn: string, column: string, values: readonly unknown[]) =>
    `${fn}: column ${show(column)} is not binary: it holds ${values.length > 2 ? 'more than two' : 'two'} distinct values (${values.slice(0, 3).map(show).join(', ')}${values.length > 3 ? ', ...' : ''}) that are not 0/1 or booleans; pass positiveLabel to name the positive value`,
  tooManyLabelValues: (fn: string, column: string, values: readonly unknown[], row: number) =>
    `${fn}: column ${show(column)} has more than two distinct values (${values.slice(0, 3).map(show).join(', ')}); first third value at row ${row} (0-based)`,
  positiveLabelAbsent: (fn: string, column: string, positiveLabel: unknown, values: readonly unknown[]) =>
    `${fn}: positiveLabel ${show(positiveLabel)} does not occur in column ${show(column)} and its values (${values.slice(0, 3).map(show).join(', ')}) are not 0/1 either`,
  missingLabel: (fn: string, column: string, row: number, value: unknown) =>
    `${fn}: column ${show(column)} has a missing or NaN value at row ${row} (0-based), value ${show(value)}; labels and predictions must not be missing`,
  notFiniteScore: (fn: string, column: string, row: number, value: unknown) =>
    `${fn}: column ${show(column)} has a non-numeric or missing score at row ${row} (0-based), value ${show(value)}`,
  scoreOutOfRange: (fn: string, column: string, row: number, value: unknown) =>
    `${fn}: column ${show(column)} has a score outside [0, 1] at row ${row} (0-based), value ${show(value)}; calibration needs probabilities`,
  badWeight: (fn: string, column: string, row: number, value: unknown) =>
    `${fn}: column ${show(column)} has an invalid sample weight at row ${row} (0-based), value ${show(value)}; weights must be finite and >= 0`,
  missingSensitive: (fn: string, column: string, row: number) =>
    `${fn}: column ${show(column)} has a missing value at row ${row} (0-based) and missing is 'error'; use missing: 'group' (default) or 'drop'`,
  tooManyGroups: (fn: string, column: string, limit: number, row: number) =>
    `${fn}: column ${show(column)} has more than ${limit} distinct values (exceeded at 0-based row ${row}); is it really a sensitive attribute? Raise maxGroups to allow it`,
  badOption: (fn: string, option: string, value: unknown, expected: string) =>
    `${fn}: option ${option} = ${show(value)} is invalid; expected ${expected}`,
  unknownGroup: (fn: string, argument: string, value: unknown, available: readonly unknown[]) =>
    `${fn}: ${argument} = ${show(value)} is not one of the groups (${available.slice(0, 10).map(show).join(', ')}${available.length > 10 ? ', ...' : ''})`,
  unknownMetric: (fn: string, metric: unknown, available: readonly string[]) =>
    `${fn}: unknown metric ${show(metric)}; available: ${available.join(', ')}`,
  summaryMismatch: (fn: string, what: string, a: unknown, b: unknown) =>
    `${fn}: cannot merge summaries with different ${what} (${show(a)} vs ${show(b)})`,
  badSummary: (fn: string, field: string, value: unknown) =>
    `${fn}: summary JSON field ${field} is invalid (${show(value)})`,
  fileNotFound: (fn: string, path: string) => `${fn}: file ${show(path)} does not exist`,
  unsupportedFile: (fn: string, path: string) =>
    `${fn}: cannot read ${show(path)}: only .csv, .tsv, .parquet, .json and .jsonl/.ndjson files are supported`,
  fileReadFailed: (fn: string, path: string, reason: string) => `${fn}: failed to read ${show(path)}: ${reason}`,
  badArgument: (fn: string, argument: string, value: unknown, expected: string) =>
    `${fn}: argument ${argument} = ${show(value)} is invalid; expected ${expected}`,
  badRow: (fn: string, row: number, value: unknown) =>
    `${fn}: row ${row} (0-based) is not an object (${show(value)}); row-object input must be an array of plain objects`,
  singleLabelValue: (fn: string, column: string, value: unknown) =>
    `${fn}: column ${show(column)} holds only the value ${show(value)}, which is not 0/1 or a boolean; pass positiveLabel to say whether it is the positive value`,
  binsNotDivisor: (fn: string, nBins: number, bins: number) =>
    `${fn}: nBins = ${show(nBins)} does not divide the summary's ${bins} fine score bins; uniform bins must be exact merges of fine bins (choose a divisor of ${bins}, or strategy 'quantile')`,
  labelNotBinary: (fn: string, argument: string, row: number, value: unknown) =>
    `${fn}: ${argument} must hold 0/1 labels; row ${row} (0-based) holds ${show(value)}`,
  aucUndefined: (positiveWeight: number, negativeWeight: number) =>
    `ROC AUC is undefined: ${positiveWeight > 0 ? 'there are no negative labels' : negativeWeight > 0 ? 'there are no positive labels' : 'there are no rows'} (with positive weight); it needs both classes`,
  calibrationUndefined: () => 'calibration is undefined: there are no scored rows with positive weight',
  // metric cards (metrics/*.yaml)
  invalidCard: (fn: string, source: string, field: string, problem: string) =>
    `${fn}: metric card ${show(source)} is invalid at ${field || '(root)'}: ${problem}`,
  unreadableCard: (fn: string, source: string, reason: string) => `${fn}: metric card ${show(source)} is not valid YAML: ${reason}`,
  idMismatch: (fn: string, source: string, id: string) =>
    `${fn}: metric card ${show(source)} has id ${show(id)}; the id must equal the file name`,
  duplicateId: (fn: string, id: string) => `${fn}: more than one metric card has id ${show(id)}`,
  folderNotFound: (fn: string, tried: readonly string[]) =>
    `${fn}: the metric card folder was not found; tried ${tried.map((p) => show(p)).join(', ')}`,
  // drift statistics (src/drift/stats/)
  notSortedAscending: (fn: string, argument: string, index: number, value: unknown) =>
    `${fn}: ${argument} must be sorted ascending and hold no NaN; index ${index} (0-based) holds ${show(value)} (use sortedCopy, and remove missing values first)`,
  countsLengthMismatch: (fn: string, referenceLength: number, currentLength: number) =>
    `${fn}: the reference counts have ${referenceLength} bins or categories but the current counts have ${currentLength}; align both on the same bins or categories`,
  badCount: (fn: string, argument: string, index: number, value: unknown) =>
    `${fn}: ${argument}[${index}] = ${show(value)} is not a valid count; counts must be finite and >= 0`,
  nanValue: (fn: string, argument: string, index: number) =>
    `${fn}: ${argument}[${index}] is NaN; remove missing values before binning`,
  // drift profiles (src/drift/profile.ts, sketch.ts)
  notNumeric: (fn: string, column: string, row: number, value: unknown) =>
    `${fn}: column ${show(column)} holds a non-numeric value at row ${row} (0-based), value ${show(value)}; a numeric column takes numbers, numeric strings, bigints, dates and booleans (type it 'categorical' to count its values instead)`,
  profileColumnAbsent: (fn: string, column: string, presentIn: 'first' | 'second') =>
    `${fn}: column ${show(column)} is in the ${presentIn} profile but not in the ${presentIn === 'first' ? 'second' : 'first'}; profiles merge only over the same columns`,
  profileKindMismatch: (fn: string, column: string, first: string, second: string) =>
    `${fn}: column ${show(column)} is ${first} in the first profile and ${second} in the second; profile the parts with the same types option`,
  samplePrioritiesMissing: (fn: string, column: string, capacity: number) =>
    `${fn}: column ${show(column)}: the merged sample exceeds its capacity ${capacity}, but a sample without priorities cannot be thinned consistently; rebuild that profile with profile()`,
  // server engines (src/engines/postgres.ts, src/engines/clickhouse.ts); URLs are passed redacted
  badEngineUrl: (fn: string, url: string, expected: string) => `${fn}: connection URL ${show(url)} is invalid; expected ${expected}`,
  engineConnectFailed: (fn: string, engine: string, url: string, reason: string) =>
    `${fn}: cannot connect to ${engine} at ${url}: ${reason}`,
  engineQueryFailed: (fn: string, engine: string, url: string, reason: string) => `${fn}: ${engine} query at ${url} failed: ${reason}`,
  engineClosed: (fn: string, engine: string) => `${fn}: the ${engine} engine is closed; open a new one`,
  // engines (src/engines/): summaries computed where the data lives (DuckDB, PostgreSQL, ClickHouse)
  engineMissingLabel: (fn: string, column: string) =>
    `${fn}: column ${show(column)} has missing values (NULL, '' or NaN); labels and predictions must not be missing`,
  engineTooManyLabelValues: (fn: string, column: string, values: readonly unknown[]) =>
    `${fn}: column ${show(column)} has non-binary values: more than two distinct values (${values.slice(0, 3).map(show).join(', ')}${values.length > 3 ? ', ...' : ''})`,
  engineNotFiniteScore: (fn: string, column: string, value: unknown) =>
    `${fn}: column ${show(column)} has a non-numeric, missing or infinite score, value ${show(value)}`,
  engineScoreOutOfRange: (fn: string, column: string, value: unknown) =>
    `${fn}: column ${show(column)} has a score outside [0, 1], value ${show(value)}; calibration needs probabilities`,
  engineBadWeight: (fn: string, column: string, value: unknown) =>
    `${fn}: column ${show(column)} has an invalid sample weight, value ${show(value)}; weights must be finite and >= 0`,
  engineMissingSensitive: (fn: string, column: string) =>
    `${fn}: column ${show(column)} has missing values and missing is 'error'; use missing: 'group' (default) or 'drop'`,
  engineTooManyGroups: (fn: string, column: string, limit: number, found: number) =>
    `${fn}: column ${show(column)} has ${found} distinct values, more than ${limit}; is it really a sensitive attribute? Raise maxGroups to allow it`,
  engineSourceUnsupported: (fn: string, engine: string, kind: string) =>
    `${fn}: engine ${show(engine)} cannot read a source of kind ${show(kind)}`,
  engineSourceNotFound: (fn: string, engine: string, source: string, reason: string) =>
    `${fn}: engine ${show(engine)} cannot find the source ${show(source)}: ${reason}`,
  engineUnavailable: (fn: string, engine: string, target: string, reason: string) =>
    `${fn}: engine ${show(engine)} is not available for ${show(target)}: ${reason}`,
  // governance: policy and findings
  policyInvalid: (fn: string, file: string, line: number | null, field: string, problem: string) =>
    `${fn}: ${file}${line === null ? '' : `:${line}`}: ${field || '(root)'}: ${problem}`,
  policyUnreadable: (fn: string, file: string, line: number | null, reason: string) =>
    `${fn}: ${file}${line === null ? '' : `:${line}`}: not valid YAML: ${reason}`,
  policyNotFound: (fn: string, file: string) => `${fn}: policy file ${show(file)} does not exist`,
  invalidCatalogue: (fn: string, source: string, field: string, problem: string) =>
    `${fn}: control catalogue ${show(source)} is invalid at ${field || '(root)'}: ${problem}`,
  packageFileNotFound: (fn: string, relative: string, tried: readonly string[]) =>
    `${fn}: the package file ${show(relative)} was not found; tried ${tried.map((p) => show(p)).join(', ')}`,
  notAResult: (fn: string, argument: string, value: unknown) =>
    `${fn}: ${argument} is not an audit result, group-metrics result or drift report (object or JSON); got ${show(value)}`,
  unknownControl: (fn: string, id: string) => `${fn}: ${show(id)} is not a clause or Annex A control of the catalogue`,
  badPeriod: (fn: string, value: unknown) => `${fn}: period ${show(value)} is invalid; expected { from, to } ISO dates (or 'from..to') with from <= to`,
  evaluationKindMismatch: (fn: string, kind: string, resultKind: unknown) =>
    `${fn}: kind ${show(kind)} needs ${kind === 'drift' ? 'a drift report' : 'an audit or group-metrics result'}, got a result of kind ${show(resultKind)}`,
  findingsResultMismatch: (fn: string, findingsDigest: string, resultDigest: string) =>
    `${fn}: the findings were computed from a result with digest ${findingsDigest.slice(0, 12)}… but the result given has digest ${resultDigest.slice(0, 12)}…; evaluate this result again`,
  runIdConflict: (fn: string, runId: string, storedDigest: string, digest: string) =>
    `${fn}: run ${show(runId)} is already recorded for a result with digest ${storedDigest.slice(0, 12)}…, not ${digest.slice(0, 12)}…; choose another run id`,
  // governance: store, risk register, audit log
  storeLocked: (fn: string, path: string, waitedMs: number, reason: string) =>
    `${fn}: the store ${show(path)} stayed locked by another process for ${waitedMs} ms (${reason}); retry when the other fairwatch command has finished, or raise lockTimeoutMs`,
  storeFailed: (fn: string, target: string, reason: string) => `${fn}: the store at ${target} failed: ${reason}`,
  riskNotFound: (fn: string, id: string) => `${fn}: no risk-register entry has id ${show(id)}; list them with \`fairwatch risk list\``,
  riskVersionConflict: (fn: string, id: string, version: number, latest: number) =>
    `${fn}: risk ${show(id)} version ${version} conflicts with the stored latest version ${latest} (expected ${latest + 1}); another writer changed it, re-read and retry`,
  riskRetriesExhausted: (fn: string, attempts: number) =>
    `${fn}: risk-register update still conflicted after ${attempts} attempts (other writers kept changing the same entries)`,
  badRiskField: (fn: string, field: string, value: unknown, expected: string) =>
    `${fn}: ${field} = ${show(value)} is invalid; expected ${expected}`,
  riskNothingToUpdate: (fn: string, id: string) =>
    `${fn}: nothing to change for risk ${show(id)}; give at least one of status, owner, treatment, residual, reviewDate or note`,
  auditLogLocked: (fn: string, path: string, waitedMs: number, holder: string) =>
    `${fn}: the audit log ${show(path)} stayed locked for ${waitedMs} ms (lock held by ${holder}); if no fairwatch process is running, delete ${show(path + '.lock')}`,
  auditLogPartialLine: (fn: string, path: string, bytes: number) =>
    `${fn}: the audit log ${show(path)} ends with a partial line of ${bytes} bytes (an interrupted write); run \`fairwatch log repair\` to move it aside before appending`,
  auditLogBadTail: (fn: string, path: string, line: number, reason: string) =>
    `${fn}: the last line (${line}) of the audit log ${show(path)} is not a valid audit event (${reason}); run \`fairwatch log verify\``,
  auditMalformed: (line: number, reason: string) => `line ${line} is not a valid audit event: ${reason}`,
  auditFirstPrev: (line: number) => `line ${line} is the first line but its prev is not 64 zeros (lines before it were removed)`,
  auditEdited: (line: number, detectedAt: number) =>
    `line ${line} was edited: its sha256 does not match the prev recorded in line ${detectedAt} (or line ${detectedAt}'s prev was edited)`,
  auditSeqGap: (line: number, expected: number, found: number) =>
    `line ${line} has seq ${found} but seq ${expected} was expected: ${found - expected === 1 ? `the line with seq ${expected} was` : `the lines with seq ${expected}..${found - 1} were`} removed`,
  auditReordered: (line: number, expected: number, found: number) =>
    `line ${line} has seq ${found} but seq ${expected} was expected: lines were reordered`,
  auditPartialLine: (line: number, bytes: number) =>
    `line ${line} is a partial line of ${bytes} bytes without a newline (an interrupted or truncated write)`,
  auditHeadMismatch: (line: number, seq: number) =>
    `line ${line} (seq ${seq}) does not match the head anchor recorded after the last append: it was edited`,
  auditTruncated: (lastSeq: number, headSeq: number) =>
    `the log ends at seq ${lastSeq} but the head anchor records seq ${headSeq}: the last ${headSeq - lastSeq} line(s) were removed`,
  // monitoring: jobs (src/monitor/config.ts, windows.ts, run.ts, src/cli/monitor.ts)
  monitorConfigNotFound: (fn: string, file: string) => `${fn}: monitoring job file ${show(file)} does not exist`,
  monitorBadWindow: (fn: string, option: string, value: unknown, expected: string) => `${fn}: ${option} = ${show(value)} is not a window; expected ${expected}`,
  monitorBadRange: (fn: string, from: string, to: string) => `${fn}: --from ${show(from)} must be before --to ${show(to)}`,
  monitorLocked: (fn: string, jobId: string, holder: string, waitedMs: number) =>
    `${fn}: monitoring job ${show(jobId)} is being run by ${holder} (waited ${waitedMs} ms for its lock); try again when that run has finished, or raise --lock-timeout`,
  monitorUnknownAlert: (fn: string, jobId: string, eventId: string) =>
    `${fn}: job ${show(jobId)} has no alert event ${show(eventId)}; list them with \`fairwatch monitor alerts --config <job file>\``,
  monitorAlertDelivered: (fn: string, eventId: string) => `${fn}: alert ${show(eventId)} has already been delivered to every sink; nothing to discard`,
  monitorBadBaselineAudit: (fn: string, path: string, kind: unknown) =>
    `${fn}: the baseline audit ${show(path)} is not a fairwatch audit result (kind ${show(kind ?? null)}); write one with \`fairwatch audit <validation data> ... --format json\``,
  monitorDuplicateLabels: (fn: string, jobId: string, column: string, ids: number) =>
    `${fn}: the labels source of job ${show(jobId)} has ${ids} ${show(column)} value(s) with more than one row; each prediction takes at most one label, so joining would count those predictions twice. Keep one row per id (e.g. a view with the latest label per id)`,
  monitorEmptyBaseline: (fn: string, baseline: string) => `${fn}: the baseline ${baseline} has no rows; choose a baseline window with data`,
  monitorNoRows: (fn: string, jobId: string) => `${fn}: the source of job ${show(jobId)} has no rows with a time, so no window is due; pass --window or --from/--to`,
  monitorRowsNeedOrder: (fn: string) => `${fn}: row windows ({ rows: N }) need a time or id column to order the rows by`,
  // evidence pack (src/evidence/, fairwatch evidence export|verify, fairwatch keygen)
  evidenceOutExists: (fn: string, path: string) =>
    `${fn}: ${show(path)} already exists; an evidence pack is never written over another file or folder: choose a new --out`,
  evidenceBadPath: (fn: string, path: string, reason: string) => `${fn}: evidence file path ${show(path)} is invalid: ${reason}`,
  evidenceDuplicatePath: (fn: string, path: string) => `${fn}: two evidence files have the path ${show(path)}`,
  keyFileExists: (fn: string, path: string) => `${fn}: ${show(path)} already exists; keygen never overwrites a key: choose another --out or move the old key`,
  badSigningKey: (fn: string, path: string, reason: string) =>
    `${fn}: ${show(path)} is not an Ed25519 ${reason.startsWith('public') ? 'public' : 'private'} key in PEM (${reason}); make one with \`fairwatch keygen --out <name>\``,
  packNotFound: (fn: string, path: string) => `${fn}: ${show(path)} does not exist (give an evidence pack folder or .zip)`,
  archiveInvalid: (fn: string, path: string, reason: string) => `${fn}: ${show(path)} is not a readable zip archive: ${reason}`,
  unsafeEntry: (entry: string, reason: string) => `refused pack entry ${show(entry)}: ${reason}; it was not read or extracted`,
  corruptEntry: (entry: string, reason: string) => `archive entry ${show(entry)} is corrupt: ${reason}`,
  packManifestMissing: () => 'manifest.json is missing: nothing in the pack can be checked',
  packManifestInvalid: (field: string, problem: string) => `manifest.json is invalid at ${field || '(root)'}: ${problem}`,
  packFileMissing: (path: string) => `${show(path)} is listed in manifest.json but is not in the pack`,
  packFileExtra: (path: string) => `${show(path)} is in the pack but not listed in manifest.json`,
  packSizeMismatch: (path: string, expected: number, actual: number) => `${show(path)} has ${actual} bytes but manifest.json lists ${expected}`,
  packDigestMismatch: (path: string, expected: string, actual: string) =>
    `${show(path)} has sha256 ${actual.slice(0, 16)}… but manifest.json lists ${expected.slice(0, 16)}…: the file was changed`,
  packSignatureInvalid: (fingerprint: string) =>
    `manifest.sig does not verify against the public key (sha256 ${fingerprint.slice(0, 16)}…): manifest.json was changed or signed with another key`,
  packSignatureMalformed: (reason: string) => `manifest.sig is malformed: ${reason}`,
  packKeyMismatch: (declared: string, given: string) =>
    `manifest.json says it was signed by the key with sha256 ${declared.slice(0, 16)}…, but the public key given has sha256 ${given.slice(0, 16)}…`,
  packSignatureExpected: () => 'a public key was given but the pack has no manifest.sig: it is unsigned',
  packAuditChain: (line: number, reason: string) => `audit-log extract line ${line}: ${reason}`,
  packAuditSummary: (field: string, expected: unknown, actual: unknown) =>
    `audit-log extract: manifest.json records ${field} ${show(expected)} but the extract has ${show(actual)}`,
  // reports (src/report/, src/cli/report.ts)
  reportNoSource: (fn: string) => `${fn}: nothing to report; pass a store, results, or both`,
  reportRunNotFound: (fn: string, runId: string, target: string) =>
    `${fn}: no run has id ${show(runId)} in the store ${target}; list runs with \`fairwatch report --format json\` or check the id`,
  reportNotAResult: (fn: string, index: number, kind: unknown) =>
    `${fn}: results[${index}] has kind ${show(kind)}; expected 'fairwatch.audit', 'fairwatch.groupMetrics' or 'fairwatch.drift'`,
  chartRenderFailed: (fn: string, chart: string, reason: string) => `${fn}: chart ${show(chart)} could not be rendered to SVG: ${reason}`,
  chromiumNotFound: (fn: string, path: string) =>
    `${fn}: Chromium was not found at ${show(path)}, so no PDF can be made; install Debian's package (\`apt-get install -y chromium\`, or run .ci/chromium.sh), set FAIRWATCH_CHROMIUM to its path, or open the HTML report (it needs no browser to be written) and print it`,
  playwrightMissing: (fn: string, reason: string) =>
    `${fn}: the package playwright-core is needed to drive Chromium for --pdf but could not be loaded (${reason}); install it with \`npm install playwright-core\``,
  pdfFailed: (fn: string, reason: string) => `${fn}: Chromium failed to print the report to PDF: ${reason}`,
  // monitoring: alerts (src/monitor/alerts.ts, src/monitor/sinks.ts); URLs are passed redacted
  badAlertRule: (fn: string, rule: string, field: string, value: unknown, expected: string) =>
    `${fn}: alert rule ${show(rule)}: ${field} = ${show(value)} is invalid; expected ${expected}`,
  duplicateAlertRule: (fn: string, rule: string) => `${fn}: more than one alert rule has id ${show(rule)}; rule ids must be unique`,
  badAlertSink: (fn: string, index: number, problem: string) => `${fn}: alert sink ${index} (0-based) is invalid: ${problem}`,
  alertSinkFailed: (fn: string, sink: string, eventId: string, attempts: number, reason: string) =>
    `${fn}: alert ${show(eventId)} could not be delivered to ${sink} after ${attempts} attempt(s): ${reason}`,
  alertSinkNotTried: (fn: string, sink: string, eventId: string, earlier: string) =>
    `${fn}: alert ${show(eventId)} was not sent to ${sink}: the earlier alert ${show(earlier)} found it unavailable in this call (sent on the next run, in order)`,
} as const;

export type MessageId = keyof typeof messages;
