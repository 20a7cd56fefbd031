/**
 * Statement of applicability and gap assessment, as pure functions over the control catalogue,
 * the organisation's small YAML files and a typed list of evidence items (findings, risk
 * entries, reports, with digests and dates). The store and the CLI collect the evidence; these
 * functions only compute and format.
 *
 * - {@link statementOfApplicability}: every Annex A control with its applicability and
 *   justification (from `reports/policies/applicability.default.yaml` or the organisation's
 *   copy: every control applicable unless stated), its implementation status (stated, or derived
 *   from the evidence), and the evidence supporting it. Organisational controls (coverage `none`)
 *   say "not evidenced by this toolkit" and never list toolkit evidence.
 * - {@link gapAssessment}: for every clause 4–10 (and sub-clause) and Annex A control, the
 *   evidence dated in the period, whether it is missing or stale (newest item older than
 *   `maxAgeDays` at `now`), and a readiness summary. Organisational entries become questions
 *   (`reports/policies/gap-questions.default.yaml` is the template); their answers are shown as
 *   answers, never counted as toolkit evidence.
 *
 * @example
 * ```ts
 * import { statementOfApplicability, gapAssessment, loadCatalogue, loadApplicability, loadGapAnswers, evidenceFromFindings } from 'fairwatch';
 * const evidence = evidenceFromFindings(findingsDoc);
 * const soa = statementOfApplicability({ catalogue: loadCatalogue(), applicability: loadApplicability(), evidence });
 * soa.controls.length; // 38
 * const gap = gapAssessment({ catalogue: loadCatalogue(), evidence, answers: loadGapAnswers(), period: '2026-01-01..2026-03-31', now: '2026-04-01' });
 * gap.summary.all.readyPercent; // e.g. 12.3
 * ```
 */
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { InputError, PolicyError, messages } from '../errors.js';
import { isAnnexAControl } from '../metrics/annex-a-ids.js';
import { NOT_EVIDENCED, packageFile, type ControlCatalogue, type Coverage, type EvidenceKind } from './catalogue.js';
import { digestJSON } from './digest.js';
import { parseYamlWith } from './policy.js';
import type { FindingStatus, FindingsDocument, RiskEntry } from './types.js';

/** What an evidence item is. Other kinds are allowed (strings). */
export type EvidenceItemKind = 'finding' | 'risk-entry' | 'report' | 'run' | 'policy' | 'audit-log' | 'evidence-pack' | (string & {});

/** One piece of evidence: a finding, a risk-register entry version, a report, ... */
export interface EvidenceItem {
  kind: EvidenceItemKind;
  /** Its id (finding id, risk id with version, report file name, ...). */
  id: string;
  /** sha256 of the document it is or comes from. */
  digest?: string;
  /** When it was produced (ISO-8601). */
  at: string;
  /** Clause and Annex A control ids it evidences. */
  controls: string[];
  /** Optional one-line description. */
  title?: string;
  /** For findings: their status. */
  status?: FindingStatus;
}

/**
 * Evidence items from a findings document: one per finding, dated at the document's
 * `createdAt`, with the digest of the document (or the one given).
 *
 * @example
 * ```ts
 * evidenceFromFindings(doc)[0]; // { kind: 'finding', id: 'fairness:disparateImpact:sex', digest: '…', at: doc.createdAt, controls: ['A.5.4', 'A.6.2.4'], status: 'fail', title: '…' }
 * ```
 */
export function evidenceFromFindings(doc: FindingsDocument, options: { digest?: string } = {}): EvidenceItem[] {
  const digest = options.digest ?? digestJSON(doc);
  return doc.findings.map((f) => ({ kind: 'finding', id: f.id, digest, at: doc.createdAt, controls: [...f.controls], status: f.status, title: f.reason }));
}

/**
 * Evidence items from risk-register entry versions: controls as listed on the entry plus the
 * risk clauses 6.1.2, 6.1.3, 8.2 and 8.3; dated at `changedAt`; digest of the entry version.
 *
 * @example
 * ```ts
 * evidenceFromRiskEntries([entry])[0].id;       // 'R-1a2b3c4d5e6f@v2'
 * evidenceFromRiskEntries([entry])[0].controls; // ['A.5.4', 'A.6.2.4', '6.1.2', '6.1.3', '8.2', '8.3']
 * ```
 */
export function evidenceFromRiskEntries(entries: readonly RiskEntry[]): EvidenceItem[] {
  return entries.map((e) => ({
    kind: 'risk-entry',
    id: `${e.id}@v${e.version}`,
    digest: digestJSON(e),
    at: e.changedAt,
    controls: [...new Set([...e.controls, ...RISK_CLAUSES, ...(e.owner ? RISK_OWNER_CONTROLS : [])])],
    title: e.title,
  }));
}
/**
 * The counts of a statement of applicability's controls.
 *
 * @example
 * ```ts
 * soaSummary(soa.controls); // { controls: 38, applicable: 38, notApplicable: 0, withEvidence: 7, organisational: 9 }
 * ```
 */
export function soaSummary(controls: readonly SoaEntry[]): StatementOfApplicability['summary'] {
  return {
    controls: controls.length,
    applicable: controls.filter((c) => c.applicable).length,
    notApplicable: controls.filter((c) => !c.applicable).length,
    withEvidence: controls.filter((c) => c.evidence.length > 0).length,
    organisational: controls.filter((c) => c.coverage === 'none').length,
  };
}

const RISK_CLAUSES = ['6.1.2', '6.1.3', '8.2', '8.3'] as const;
/** An entry with a named owner evidences assigned roles and responsibilities (A.3.2, clause 5.3). */
const RISK_OWNER_CONTROLS = ['A.3.2', '5.3'] as const;

// ---------------------------------------------------------------------------------------------
// Applicability

/**
 * Implementation status a person states for a control (in the applicability file).
 *
 * @example
 * ```ts
 * STATED_IMPLEMENTATION; // ['implemented', 'partially-implemented', 'planned', 'not-implemented']
 * ```
 */
export const STATED_IMPLEMENTATION = ['implemented', 'partially-implemented', 'planned', 'not-implemented'] as const;
/**
 * Implementation status in the SoA: stated by the organisation, or derived — `evidenced` (the
 * toolkit holds evidence), `no-evidence`, `not-stated` (organisational, nothing stated),
 * `not-applicable`.
 */
export type ImplementationStatus = (typeof STATED_IMPLEMENTATION)[number] | 'evidenced' | 'no-evidence' | 'not-stated' | 'not-applicable';

/** One control's line in the applicability file. */
export interface ApplicabilityEntry {
  applicable?: boolean;
  justification?: string;
  implementation?: (typeof STATED_IMPLEMENTATION)[number];
  note?: string;
}

/** The organisation's applicability file (validated). */
export interface Applicability {
  version: 1;
  defaults: { applicable: boolean; justification: string };
  controls: Record<string, ApplicabilityEntry>;
}

const text = z.string().trim().min(1);
const applicabilitySchema = z.strictObject({
  version: z.literal(1).default(1),
  defaults: z
    .strictObject({ applicable: z.boolean().default(true), justification: text })
    .default({ applicable: true, justification: 'Applies to the AI systems in the scope of the management system.' }),
  controls: z
    .record(
      z.string(),
      z
        .strictObject({
          applicable: z.boolean().optional(),
          justification: text.optional(),
          implementation: z.enum(STATED_IMPLEMENTATION).optional(),
          note: text.optional(),
        })
        .superRefine((e, ctx) => {
          if (e.applicable === false && e.justification === undefined) {
            ctx.addIssue({ code: 'custom', path: ['justification'], message: 'a control that is not applicable needs a justification' });
          }
        }),
    )
    .nullish()
    .transform((c) => c ?? {})
    .superRefine((c, ctx) => {
      for (const id of Object.keys(c)) if (!isAnnexAControl(id)) ctx.addIssue({ code: 'custom', path: [id], message: `${id} is not an Annex A control id (A.2.2 ... A.10.4)` });
    }),
});

/**
 * Parse and validate an applicability file (YAML). Errors name the file, line and field.
 *
 * @example
 * ```ts
 * parseApplicability('controls:\n  A.10.4: { applicable: false, justification: "no external customers" }\n').controls['A.10.4'].applicable; // false
 * parseApplicability('controls:\n  A.1.1: { applicable: true }\n', { file: 'a.yaml' }); // throws PolicyError 'parseApplicability: a.yaml:2: controls.A.1.1: ...'
 * ```
 */
export function parseApplicability(yamlText: string, options: { file?: string } = {}): Applicability {
  return parseYamlWith(applicabilitySchema, yamlText, options.file ?? '(text)', 'parseApplicability') as Applicability;
}

/**
 * Load an applicability file; with no path, the shipped default (every control applicable).
 *
 * @example
 * ```ts
 * loadApplicability().defaults.applicable; // true
 * ```
 */
export function loadApplicability(path?: string): Applicability {
  const file = path ?? packageFile('loadApplicability', 'reports/policies/applicability.default.yaml');
  if (!existsSync(file)) throw new PolicyError(messages.policyNotFound('loadApplicability', file), 'policyNotFound', { file });
  return parseYamlWith(applicabilitySchema, readFileSync(file, 'utf8'), file, 'loadApplicability') as Applicability;
}

// ---------------------------------------------------------------------------------------------
// Statement of applicability

/** One control in the statement of applicability. */
export interface SoaEntry {
  id: string;
  title: string;
  objective: string;
  coverage: Coverage;
  /** Evidence kinds the toolkit can produce for it. */
  evidenceKinds: EvidenceKind[];
  applicable: boolean;
  justification: string;
  justificationSource: 'stated' | 'default';
  implementation: ImplementationStatus;
  implementationSource: 'stated' | 'derived';
  /** Supporting evidence, oldest first (none for organisational controls). */
  evidence: EvidenceItem[];
  /** "not evidenced by this toolkit" for organisational controls, else ''. */
  note: string;
  /** The organisation's note from the applicability file. */
  organisationNote?: string;
}

/** The statement of applicability. */
export interface StatementOfApplicability {
  kind: 'fairwatch.soa';
  version: 1;
  standard: string;
  /** Present when `now` was given. */
  createdAt?: string;
  controls: SoaEntry[];
  summary: { controls: number; applicable: number; notApplicable: number; withEvidence: number; organisational: number };
  /** Evidence items that named an organisational control, or an id the catalogue does not have (not used). */
  ignoredEvidence: { id: string; control: string; reason: string }[];
}

const byDateThenId = (a: EvidenceItem, b: EvidenceItem) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The statement of applicability: every Annex A control with applicability, justification,
 * implementation status and supporting evidence.
 *
 * @example
 * ```ts
 * const soa = statementOfApplicability({ catalogue: loadCatalogue(), applicability: loadApplicability(), evidence });
 * soa.controls.find((c) => c.id === 'A.2.2')!.note;           // 'not evidenced by this toolkit'
 * soa.controls.find((c) => c.id === 'A.5.4')!.implementation; // 'evidenced' (when a finding names A.5.4)
 * ```
 */
export function statementOfApplicability(input: {
  catalogue: ControlCatalogue;
  applicability: Applicability;
  evidence: readonly EvidenceItem[];
  now?: Date | string;
}): StatementOfApplicability {
  const { catalogue, applicability } = input;
  const known = new Set([...catalogue.controls.map((c) => c.id as string), ...catalogue.clauses.map((c) => c.id)]);
  const ignored: StatementOfApplicability['ignoredEvidence'] = [];
  const organisational = new Set(catalogue.controls.filter((c) => c.coverage === 'none').map((c) => c.id as string));
  const byControl = new Map<string, EvidenceItem[]>();
  for (const item of input.evidence) {
    for (const control of item.controls) {
      if (!known.has(control)) ignored.push({ id: item.id, control, reason: 'not a clause or control of the catalogue' });
      else if (organisational.has(control)) ignored.push({ id: item.id, control, reason: NOT_EVIDENCED });
      else if (isAnnexAControl(control)) {
        let list = byControl.get(control);
        if (!list) byControl.set(control, (list = []));
        list.push(item);
      }
    }
  }
  const controls = catalogue.controls.map((c): SoaEntry => {
    const stated = applicability.controls[c.id] ?? {};
    const applicable = stated.applicable ?? applicability.defaults.applicable;
    const evidence = c.coverage === 'none' ? [] : [...(byControl.get(c.id) ?? [])].sort(byDateThenId);
    let implementation: ImplementationStatus;
    let implementationSource: SoaEntry['implementationSource'] = 'derived';
    if (!applicable) implementation = 'not-applicable';
    else if (stated.implementation !== undefined) {
      implementation = stated.implementation;
      implementationSource = 'stated';
    } else if (c.coverage === 'none') implementation = 'not-stated';
    else implementation = evidence.length > 0 ? 'evidenced' : 'no-evidence';
    const entry: SoaEntry = {
      id: c.id,
      title: c.title,
      objective: c.subObjective ?? c.objective,
      coverage: c.coverage,
      evidenceKinds: [...c.evidence],
      applicable,
      justification: stated.justification ?? applicability.defaults.justification,
      justificationSource: stated.justification !== undefined ? 'stated' : 'default',
      implementation,
      implementationSource,
      evidence,
      note: c.coverage === 'none' ? NOT_EVIDENCED : '',
    };
    if (stated.note !== undefined) entry.organisationNote = stated.note;
    return entry;
  });
  const soa: StatementOfApplicability = {
    kind: 'fairwatch.soa',
    version: 1,
    standard: catalogue.standard,
    controls,
    summary: soaSummary(controls),
    ignoredEvidence: ignored,
  };
  if (input.now !== undefined) soa.createdAt = new Date(input.now).toISOString();
  return soa;
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const evidenceLabel = (e: EvidenceItem) => `${e.kind} ${e.id} (${e.at.slice(0, 10)}${e.digest ? `, sha256 ${e.digest.slice(0, 12)}` : ''})`;

/**
 * Format a statement of applicability as text, GitHub Markdown or JSON.
 *
 * @example
 * ```ts
 * formatSoa(soa, 'markdown').split('\n')[0]; // '## Statement of applicability (ISO/IEC 42001:2023)'
 * JSON.parse(formatSoa(soa, 'json')).controls.length; // 38
 * ```
 */
export function formatSoa(soa: StatementOfApplicability, format: 'text' | 'markdown' | 'md' | 'json'): string {
  if (format === 'json') return JSON.stringify(soa, null, 2);
  const s = soa.summary;
  const summary = `${s.controls} controls: ${s.applicable} applicable, ${s.notApplicable} not applicable, ${s.withEvidence} with toolkit evidence, ${s.organisational} organisational`;
  const evidenceOf = (c: SoaEntry) =>
    c.note ? c.note : c.evidence.length ? `${c.evidence.length} item(s), latest ${evidenceLabel(c.evidence[c.evidence.length - 1]!)}` : 'no evidence yet';
  if (format === 'markdown' || format === 'md') {
    return [
      `## Statement of applicability (${soa.standard})`,
      '',
      summary + '.',
      '',
      '| control | title | applicable | justification | implementation | evidence |',
      '| --- | --- | --- | --- | --- | --- |',
      ...soa.controls.map(
        (c) => `| ${c.id} | ${esc(c.title)} | ${c.applicable ? 'yes' : 'no'} | ${esc(c.justification)} | ${c.implementation}${c.implementationSource === 'stated' ? ' (stated)' : ''} | ${esc(evidenceOf(c))} |`,
      ),
    ].join('\n');
  }
  const w = Math.max(...soa.controls.map((c) => c.title.length), 5);
  return [
    `Statement of applicability (${soa.standard})`,
    summary,
    '',
    ...soa.controls.map(
      (c) =>
        `${c.id.padEnd(7)}  ${c.title.padEnd(w)}  ${(c.applicable ? 'applicable' : 'not applicable').padEnd(14)}  ${c.implementation.padEnd(21)}  ${evidenceOf(c)}` +
        (c.applicable && c.justificationSource === 'default' ? '' : `\n         justification: ${c.justification}`),
    ),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Gap assessment

/** An answer to a gap question. */
export interface GapAnswer {
  answer: 'yes' | 'partial' | 'no' | null;
  note?: string;
  /** Where the organisation keeps its own evidence (document reference). */
  reference?: string;
  answeredBy?: string;
  date?: string;
}

/** The organisation's answers, by clause or control id. */
export interface GapAnswers {
  version: 1;
  answers: Record<string, GapAnswer & { question?: string }>;
}

const gapAnswersSchema = z.strictObject({
  version: z.literal(1).default(1),
  answers: z
    .record(
      z.string(),
      z.strictObject({
        question: text.optional(),
        answer: z.enum(['yes', 'partial', 'no'], { error: "must be yes, partial, no or empty (~)" }).nullish().transform((a) => a ?? null),
        note: text.nullish().transform((v) => v ?? undefined),
        reference: text.nullish().transform((v) => v ?? undefined),
        answeredBy: text.nullish().transform((v) => v ?? undefined),
        date: z
          .union([z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD'), z.date().transform((d) => d.toISOString().slice(0, 10))])
          .nullish()
          .transform((v) => v ?? undefined),
      }),
    )
    .nullish()
    .transform((a) => a ?? {})
    .superRefine((a, ctx) => {
      for (const id of Object.keys(a)) {
        if (!isAnnexAControl(id) && !/^(4|5|6|7|8|9|10)(\.\d+){0,2}$/.test(id)) {
          ctx.addIssue({ code: 'custom', path: [id], message: `${id} is not a clause (4 ... 10.2) or Annex A control id` });
        }
      }
    }),
});

const dropUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Parse and validate a gap-answers file (YAML). Errors name the file, line and field.
 *
 * @example
 * ```ts
 * parseGapAnswers('answers:\n  A.2.2: { answer: yes, reference: "POL-7" }\n').answers['A.2.2'].answer; // 'yes'
 * parseGapAnswers('answers:\n  A.2.2: { answer: maybe }\n', { file: 'g.yaml' }); // throws PolicyError 'parseGapAnswers: g.yaml:2: answers.A.2.2.answer: must be yes, partial, no or empty (~)'
 * ```
 */
export function parseGapAnswers(yamlText: string, options: { file?: string } = {}): GapAnswers {
  const parsed = parseYamlWith(gapAnswersSchema, yamlText, options.file ?? '(text)', 'parseGapAnswers');
  return { version: 1, answers: Object.fromEntries(Object.entries(parsed.answers).map(([id, a]) => [id, dropUndefined(a)])) } as GapAnswers;
}

/**
 * Load a gap-answers file; with no path, the shipped template (every question unanswered).
 *
 * @example
 * ```ts
 * Object.values(loadGapAnswers().answers).every((a) => a.answer === null); // true
 * ```
 */
export function loadGapAnswers(path?: string): GapAnswers {
  const file = path ?? packageFile('loadGapAnswers', 'reports/policies/gap-questions.default.yaml');
  if (!existsSync(file)) throw new PolicyError(messages.policyNotFound('loadGapAnswers', file), 'policyNotFound', { file });
  return parseGapAnswers(readFileSync(file, 'utf8'), { file });
}

/** Status of one entry in the gap assessment. */
export type GapStatus = 'evidenced' | 'stale' | 'missing' | 'answered' | 'unanswered' | 'not-applicable';

/** One clause or control in the gap assessment. */
export interface GapEntry {
  id: string;
  type: 'clause' | 'control';
  title: string;
  coverage: Coverage;
  status: GapStatus;
  /** Evidence dated in the period, newest first. */
  evidence: EvidenceItem[];
  /** Date of the newest item in the period and its age in days at `now`. */
  newest?: string;
  ageDays?: number;
  /** For organisational entries: the question, and the organisation's answer (never toolkit evidence). */
  question?: string;
  answer?: GapAnswer;
  /** One sentence on why this status. */
  reason: string;
}

/** Readiness counts of a list of entries. */
export interface Readiness {
  total: number;
  notApplicable: number;
  toolkit: { total: number; evidenced: number; stale: number; missing: number };
  organisational: { total: number; yes: number; partial: number; no: number; unanswered: number };
  /** (evidenced + answered yes) / applicable entries, in percent (one decimal); null when nothing applies. */
  readyPercent: number | null;
}

/** The gap assessment. */
export interface GapAssessment {
  kind: 'fairwatch.gap';
  version: 1;
  standard: string;
  period: { from: string; to: string };
  now: string;
  maxAgeDays: number;
  entries: GapEntry[];
  summary: { clauses: Readiness; controls: Readiness; all: Readiness };
}

const DAY = 86_400_000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parse a period: `{ from, to }` or `'from..to'` with ISO dates or times. A date-only `to`
 * includes that whole day. Throws `InputError` for an invalid or reversed period.
 *
 * @example
 * ```ts
 * parsePeriod('2026-01-01..2026-03-31'); // { from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' }
 * ```
 */
export function parsePeriod(period: { from: string; to: string } | string): { from: string; to: string } {
  const fn = 'parsePeriod';
  let from: string | undefined;
  let to: string | undefined;
  if (typeof period === 'string') {
    const parts = period.split('..');
    if (parts.length === 2) [from, to] = parts.map((p) => p.trim());
  } else if (period && typeof period === 'object') ({ from, to } = period);
  const f = from ? Date.parse(from) : NaN;
  const t = to ? Date.parse(to) + (dateOnly.test(to) ? DAY - 1 : 0) : NaN;
  if (!Number.isFinite(f) || !Number.isFinite(t) || f > t) throw new InputError(messages.badPeriod(fn, period), 'badPeriod', { period });
  return { from: new Date(f).toISOString(), to: new Date(t).toISOString() };
}

function readiness(entries: readonly GapEntry[]): Readiness {
  const count = (s: GapStatus) => entries.filter((e) => e.status === s).length;
  const org = entries.filter((e) => e.coverage === 'none' && e.status !== 'not-applicable');
  const answered = (a: 'yes' | 'partial' | 'no') => org.filter((e) => e.answer?.answer === a).length;
  const r: Readiness = {
    total: entries.length,
    notApplicable: count('not-applicable'),
    toolkit: { total: entries.filter((e) => e.coverage !== 'none' && e.status !== 'not-applicable').length, evidenced: count('evidenced'), stale: count('stale'), missing: count('missing') },
    organisational: { total: org.length, yes: answered('yes'), partial: answered('partial'), no: answered('no'), unanswered: count('unanswered') },
    readyPercent: null,
  };
  const applicable = r.total - r.notApplicable;
  if (applicable > 0) r.readyPercent = Math.round(((r.toolkit.evidenced + r.organisational.yes) / applicable) * 1000) / 10;
  return r;
}

/**
 * The gap assessment over a period. Toolkit-covered entries (coverage direct / partial) are
 * `evidenced` when their newest evidence in the period is at most `maxAgeDays` (default 90) old
 * at `now`, `stale` when it is older, `missing` when there is none; a clause also counts the
 * evidence of its sub-clauses. Organisational entries are `answered` or `unanswered` from the
 * answers file. With `applicability`, controls stated not applicable are `not-applicable`.
 *
 * @example
 * ```ts
 * const gap = gapAssessment({ catalogue: loadCatalogue(), evidence, answers: loadGapAnswers(),
 *   period: '2026-01-01..2026-03-31', now: '2026-04-01T00:00:00Z', maxAgeDays: 30 });
 * gap.entries.find((e) => e.id === 'A.6.2.6')!.status; // 'stale' when its newest evidence is from January
 * gap.entries.find((e) => e.id === 'A.2.2')!.status;   // 'unanswered'
 * ```
 */
export function gapAssessment(input: {
  catalogue: ControlCatalogue;
  evidence: readonly EvidenceItem[];
  answers?: GapAnswers;
  period: { from: string; to: string } | string;
  now: Date | string;
  maxAgeDays?: number;
  applicability?: Applicability;
}): GapAssessment {
  const fn = 'gapAssessment';
  const { catalogue } = input;
  const period = parsePeriod(input.period);
  const now = new Date(input.now);
  if (!Number.isFinite(now.getTime())) throw new InputError(messages.badArgument(fn, 'now', input.now, 'a date'), 'badArgument');
  const maxAgeDays = input.maxAgeDays ?? 90;
  if (!(maxAgeDays > 0)) throw new InputError(messages.badArgument(fn, 'maxAgeDays', maxAgeDays, 'a number of days > 0'), 'badArgument');
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const inPeriod = input.evidence.filter((e) => {
    const t = Date.parse(e.at);
    return Number.isFinite(t) && t >= from && t <= to;
  });
  const answers = input.answers?.answers ?? {};
  // every clause id -> itself and its descendants
  const descendants = new Map<string, Set<string>>();
  for (const c of catalogue.clauses) descendants.set(c.id, new Set([c.id]));
  for (const c of [...catalogue.clauses].reverse()) if (c.parent !== null) for (const d of descendants.get(c.id)!) descendants.get(c.parent)?.add(d);

  const entry = (
    base: { id: string; title: string; coverage: Coverage; question?: string },
    type: 'clause' | 'control',
    ids: ReadonlySet<string>,
  ): GapEntry => {
    const e: GapEntry = { id: base.id, type, title: base.title, coverage: base.coverage, status: 'missing', evidence: [], reason: '' };
    if (base.question !== undefined) e.question = base.question;
    const answer = answers[base.id];
    if (answer) {
      const { question: _q, ...rest } = answer;
      e.answer = rest;
    }
    if (type === 'control' && input.applicability) {
      const stated = input.applicability.controls[base.id];
      if (!(stated?.applicable ?? input.applicability.defaults.applicable)) {
        e.status = 'not-applicable';
        e.reason = `not applicable: ${stated?.justification ?? input.applicability.defaults.justification}`;
        return e;
      }
    }
    if (base.coverage === 'none') {
      const a = e.answer?.answer ?? null;
      e.status = a === null ? 'unanswered' : 'answered';
      e.reason = a === null ? `organisational (${NOT_EVIDENCED}); the question is not answered yet` : `organisational (${NOT_EVIDENCED}); the organisation answered "${a}"`;
      return e;
    }
    e.evidence = inPeriod.filter((item) => item.controls.some((c) => ids.has(c))).sort((a, b) => byDateThenId(b, a));
    if (e.evidence.length === 0) {
      e.status = 'missing';
      e.reason = `no evidence dated ${period.from.slice(0, 10)}..${period.to.slice(0, 10)}`;
      return e;
    }
    e.newest = e.evidence[0]!.at;
    e.ageDays = Math.floor((now.getTime() - Date.parse(e.newest)) / DAY);
    e.status = e.ageDays > maxAgeDays ? 'stale' : 'evidenced';
    e.reason =
      e.status === 'stale'
        ? `the newest evidence (${e.newest.slice(0, 10)}) is ${e.ageDays} days old, more than ${maxAgeDays}`
        : `${e.evidence.length} item(s) in the period, the newest ${e.ageDays} days old`;
    return e;
  };

  const clauses = catalogue.clauses.map((c) => entry(c, 'clause', descendants.get(c.id)!));
  const controls = catalogue.controls.map((c) => entry(c, 'control', new Set([c.id])));
  const entries = [...clauses, ...controls];
  return {
    kind: 'fairwatch.gap',
    version: 1,
    standard: catalogue.standard,
    period,
    now: now.toISOString(),
    maxAgeDays,
    entries,
    summary: { clauses: readiness(clauses), controls: readiness(controls), all: readiness(entries) },
  };
}

const readinessText = (name: string, r: Readiness) =>
  `${name}: ${r.readyPercent === null ? 'n/a' : `${r.readyPercent}%`} ready — toolkit ${r.toolkit.evidenced} evidenced, ${r.toolkit.stale} stale, ${r.toolkit.missing} missing of ${r.toolkit.total}; organisational ${r.organisational.yes} yes, ${r.organisational.partial} partial, ${r.organisational.no} no, ${r.organisational.unanswered} unanswered of ${r.organisational.total}${r.notApplicable ? `; ${r.notApplicable} not applicable` : ''}`;

const gapDetail = (e: GapEntry) => {
  if (e.answer && e.coverage === 'none') {
    return `answer: ${e.answer.answer ?? '(none)'}${e.answer.reference ? `, see ${e.answer.reference}` : ''}${e.answer.answeredBy ? ` (${e.answer.answeredBy}${e.answer.date ? `, ${e.answer.date}` : ''})` : ''}`;
  }
  if (e.evidence.length) return `${e.evidence.length} item(s); newest ${evidenceLabel(e.evidence[0]!)}`;
  return e.reason;
};

/**
 * Format a gap assessment as text, GitHub Markdown or JSON.
 *
 * @example
 * ```ts
 * formatGap(gap, 'text').split('\n')[0]; // 'Gap assessment (ISO/IEC 42001:2023), 2026-01-01..2026-03-31, at 2026-04-01'
 * formatGap(gap, 'markdown').includes('| A.2.2 |'); // true
 * ```
 */
export function formatGap(gap: GapAssessment, format: 'text' | 'markdown' | 'md' | 'json'): string {
  if (format === 'json') return JSON.stringify(gap, null, 2);
  const title = `Gap assessment (${gap.standard}), ${gap.period.from.slice(0, 10)}..${gap.period.to.slice(0, 10)}, at ${gap.now.slice(0, 10)}`;
  const summary = [readinessText('clauses', gap.summary.clauses), readinessText('Annex A controls', gap.summary.controls), readinessText('all', gap.summary.all)];
  if (format === 'markdown' || format === 'md') {
    const row = (e: GapEntry) => `| ${e.id} | ${esc(e.title)} | ${e.coverage} | ${e.status} | ${esc(gapDetail(e))} | ${esc(e.question ?? '')} |`;
    const table = (list: GapEntry[]) => ['| id | title | coverage | status | evidence or answer | question |', '| --- | --- | --- | --- | --- | --- |', ...list.map(row)].join('\n');
    return [
      `## ${title}`,
      '',
      ...summary.map((s) => `- ${s}`),
      '',
      `Evidence older than ${gap.maxAgeDays} days counts as stale. Answers to organisational questions are the organisation's statements, not toolkit evidence.`,
      '',
      '### Clauses',
      '',
      table(gap.entries.filter((e) => e.type === 'clause')),
      '',
      '### Annex A controls',
      '',
      table(gap.entries.filter((e) => e.type === 'control')),
    ].join('\n');
  }
  const w = Math.min(60, Math.max(...gap.entries.map((e) => e.title.length)));
  const line = (e: GapEntry) => `${e.id.padEnd(7)}  ${(e.title.length > w ? e.title.slice(0, w - 1) + '…' : e.title).padEnd(w)}  ${e.status.padEnd(14)}  ${gapDetail(e)}`;
  return [title, ...summary, '', 'Clauses', ...gap.entries.filter((e) => e.type === 'clause').map(line), '', 'Annex A controls', ...gap.entries.filter((e) => e.type === 'control').map(line)].join('\n');
}
