/**
 * Governance (ISO/IEC 42001): control catalogue, policy, findings, statement of applicability,
 * gap assessment, risk register and the hash-chained audit trail.
 *
 * @example
 * ```ts
 * import { evaluate, loadPolicy } from 'fairwatch';
 * const findings = evaluate(auditResult, loadPolicy());
 * findings.status; // 'fail'
 * ```
 */
export * from './types.js';
export { canonicalJSON, digestJSON, sha256Hex, ZERO_DIGEST } from './digest.js';
export {
  appendAuditEvent, verifyAuditLog, verifyAuditText, verifyAuditLines, nextAuditLine, repairAuditLog, defaultActor, AUDIT_PROBLEMS,
  type AuditInput, type AuditVerification, type AuditProblem, type AuditProblemKind, type AuditHead, type AuditAppendOptions,
} from './audit-log.js';
export {
  riskId, riskAttributes, riskLevel, applyFindings, updateEntry, riskToJSON, riskToCSV, riskToMarkdown, riskToText, neutraliseCell,
  RISK_STATUSES, TREATMENTS, RISK_LEVELS, RISK_CSV_COLUMNS, type ApplyFindingsOptions, type RiskUpdate, type RiskRegisterDocument,
} from './risk.js';
export {
  COVERAGES, EVIDENCE_KINDS, NOT_EVIDENCED, loadCatalogue, parseCatalogue, cataloguePath, controlsFor, clausesFor, catalogueEntries, formatCatalogue,
  type Coverage, type EvidenceKind, type CatalogueClause, type CatalogueControl, type ControlCatalogue, type CatalogueEntry, type CatalogueFilter,
} from './catalogue.js';
export {
  loadPolicy, parsePolicy, policyHash, defaultPolicyPath, breachRating, POLICY_DRIFT_STATISTICS,
  type Policy, type FairnessCheck, type DriftStatisticCheck, type BreachMapping, type BreachRating, type UpperLimits,
} from './policy.js';
export {
  evaluate, formatFindings, resultDigest, judge, worstStatus, findingControls, FINDING_CONTROLS, INSUFFICIENT_CONTROLS,
  type Evaluable, type EvaluateOptions, type Stage,
} from './findings.js';
export {
  statementOfApplicability, gapAssessment, formatSoa, formatGap, evidenceFromFindings, evidenceFromRiskEntries,
  loadApplicability, parseApplicability, loadGapAnswers, parseGapAnswers, parsePeriod, STATED_IMPLEMENTATION,
  type EvidenceItem, type Applicability, type StatementOfApplicability, type SoaEntry, type GapAssessment, type GapEntry, type GapAnswers, type Readiness,
} from './soa.js';
export {
  recordEvaluation, defaultRunId, formatRiskChanges, RUN_ACTIONS,
  type RecordEvaluationOptions, type EvaluationRecord, type EvaluationStore, type RiskChange, type RiskChangeKind,
} from './pipeline.js';
export { evidenceFromStore, STORE_EVIDENCE_CONTROLS, POLICY_INPUTS, type StoreRecords } from './evidence.js';
