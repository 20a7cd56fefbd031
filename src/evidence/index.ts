/**
 * Evidence packs (DESIGN.md, "Governance model"): export a store's results, findings, risk
 * register, statement of applicability, policy, audit-log extract, run manifests and dataset
 * fingerprints with a sha256 manifest and an optional Ed25519 signature; verify a pack from
 * someone else without writing anything.
 *
 * @example
 * ```ts
 * import { exportEvidencePack, verifyEvidencePack, writeSigningKeys } from 'fairwatch';
 * await writeSigningKeys('keys/ci');
 * await exportEvidencePack({ out: 'evidence.zip', signKey: 'keys/ci' });
 * (await verifyEvidencePack('evidence.zip', { publicKey: 'keys/ci.pub' })).ok; // true
 * ```
 */
export { collectEvidence, storeAuditLines, type CollectOptions, type EvidenceContext, type AuditLine } from './collect.js';
export { environmentInfo, type EnvironmentInfo } from '../environment.js';
export { buildManifest, manifestBytes, parseManifest, PACK_FILES, type EvidenceFile, type EvidenceManifest, type ManifestFile, type ManifestAudit } from './manifest.js';
export { buildEvidencePack, exportEvidencePack, writeEvidencePack, type ExportOptions, type ExportResult } from './pack.js';
export {
  EVIDENCE_PRODUCERS, AUDIT_EXTRACT_PATH, runResultFiles, runManifestFiles, fingerprintFiles, findingsFiles, riskRegisterFiles, soaFiles, policyFiles, auditFiles,
  evidenceItemFiles, monitoringFiles, runManifest, runResultPath, safeFileName, resultSeeds, resultRows, type EvidenceFileProducer,
} from './producers.js';
export { generateSigningKeys, publicKeyFingerprint, privateSigningKey, publicSigningKey, signManifest, verifyManifestSignature, writeSigningKeys } from './signing.js';
export {
  verifyEvidencePack, verifyPackFiles, verifyAuditExtract, readPackFolder, formatPackVerification, PACK_PROBLEMS,
  type PackProblem, type PackProblemKind, type PackVerification, type SignatureState,
} from './verify.js';
export { readZip, writeZip, crc32, unsafePathReason, ZIP_LIMITS, type ZipInput, type ZipContents, type ZipProblem } from './zip.js';
