/**
 * The ISO/IEC 42001 control catalogue: clauses 4–10 with their sub-clauses and the 38 Annex A
 * controls, each with a short title in fairwatch's own words, the evidence kinds the toolkit
 * produces for it, and a coverage:
 *
 * - `direct`: the toolkit produces evidence that addresses the requirement;
 * - `partial`: it produces part of the evidence; the organisation supplies the rest;
 * - `none`: organisational; reports say "not evidenced by this toolkit", and the gap assessment
 *   turns it into a question (`question`) the organisation answers.
 *
 * The catalogue is data, `reports/iso42001/catalogue.json` in the package; this module finds it
 * relative to the package root (from `src/` and from `dist/src/`), validates it with zod and
 * caches it. A parent clause carries the union of its sub-clauses' evidence kinds.
 *
 * @example
 * ```ts
 * import { loadCatalogue, controlsFor } from 'fairwatch';
 * const c = loadCatalogue();
 * c.controls.length;                                       // 38
 * controlsFor({ coverage: 'direct' }).map((x) => x.id);    // ['A.5.4', 'A.6.2.4', 'A.6.2.6', 'A.6.2.8', 'A.7.4', 'A.7.5']
 * controlsFor({ evidence: 'drift-monitoring' }).map((x) => x.id); // ['A.6.2.6', 'A.9.4']
 * ```
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SchemaError, messages } from '../errors.js';
import { ANNEX_A_IDS, type AnnexAControlId } from '../metrics/annex-a-ids.js';

/**
 * Coverage values, from most to least covered by the toolkit.
 *
 * @example
 * ```ts
 * COVERAGES; // ['direct', 'partial', 'none']
 * ```
 */
export const COVERAGES = ['direct', 'partial', 'none'] as const;
/** How much of a requirement the toolkit's evidence addresses. */
export type Coverage = (typeof COVERAGES)[number];

/**
 * The evidence kinds the toolkit can produce (descriptions are in the catalogue file).
 *
 * @example
 * ```ts
 * EVIDENCE_KINDS.includes('drift-monitoring'); // true
 * EVIDENCE_KINDS.length;                       // 15
 * ```
 */
export const EVIDENCE_KINDS = [
  'fairness-metrics',
  'performance-metrics',
  'fairness-monitoring',
  'drift-monitoring',
  'monitoring-alerts',
  'data-quality-checks',
  'acceptance-criteria',
  'validation-results',
  'risk-register-entries',
  'audit-trail',
  'run-manifest',
  'dataset-fingerprint',
  'evidence-bundle',
  'model-documentation',
  'incident-records',
] as const;
/** One kind of evidence the toolkit produces. */
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** A clause (4–10) or sub-clause of the management-system requirements. */
export interface CatalogueClause {
  id: string;
  /** The parent clause id, or null for a top-level clause (4 ... 10). */
  parent: string | null;
  /** Short title in fairwatch's words. */
  title: string;
  evidence: EvidenceKind[];
  coverage: Coverage;
  /** For organisational (coverage none) leaf clauses: the question the gap assessment asks. */
  question?: string;
}

/** An Annex A control. */
export interface CatalogueControl {
  id: AnnexAControlId;
  /** The control objective it belongs to (e.g. 'A.6'). */
  objective: string;
  /** The sub-objective, for A.6 (e.g. 'A.6.2'). */
  subObjective?: string;
  /** Short title in fairwatch's words (the same as `ANNEX_A_CONTROLS`). */
  title: string;
  evidence: EvidenceKind[];
  coverage: Coverage;
  /** For organisational (coverage none) controls: the question the gap assessment asks. */
  question?: string;
}

/** The catalogue document (`reports/iso42001/catalogue.json`). */
export interface ControlCatalogue {
  kind: 'fairwatch.controlCatalogue';
  version: 1;
  standard: string;
  note: string;
  evidenceKinds: Record<EvidenceKind, string>;
  objectives: { id: string; title: string }[];
  clauses: CatalogueClause[];
  controls: CatalogueControl[];
}

/** A clause or a control, as the SoA, gap assessment and `fairwatch controls` list them. */
export type CatalogueEntry = (CatalogueClause & { type: 'clause' }) | (CatalogueControl & { type: 'control' });

const text = z.string().trim().min(1);
const evidenceKind = z.enum(EVIDENCE_KINDS);
const coverage = z.enum(COVERAGES);
const catalogueSchema = z
  .strictObject({
    kind: z.literal('fairwatch.controlCatalogue'),
    version: z.literal(1),
    standard: text,
    note: text,
    evidenceKinds: z.record(evidenceKind, text),
    objectives: z.array(z.strictObject({ id: z.string().regex(/^A\.\d+(\.\d+)?$/), title: text })),
    clauses: z.array(
      z.strictObject({
        id: z.string().regex(/^(4|5|6|7|8|9|10)(\.\d+){0,2}$/),
        parent: z.string().nullable(),
        title: text,
        evidence: z.array(evidenceKind),
        coverage,
        question: text.optional(),
      }),
    ),
    controls: z.array(
      z.strictObject({
        id: z.enum(ANNEX_A_IDS as [AnnexAControlId, ...AnnexAControlId[]]),
        objective: z.string().regex(/^A\.\d+$/),
        subObjective: z.string().regex(/^A\.\d+\.\d+$/).optional(),
        title: text,
        evidence: z.array(evidenceKind),
        coverage,
        question: text.optional(),
      }),
    ),
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const clauseIds = new Set<string>();
    c.clauses.forEach((cl, i) => {
      if (clauseIds.has(cl.id)) issue(['clauses', i, 'id'], `duplicate id ${cl.id}`);
      clauseIds.add(cl.id);
      if (cl.parent !== null && !clauseIds.has(cl.parent)) issue(['clauses', i, 'parent'], `parent ${cl.parent} is not listed before ${cl.id}`);
    });
    const objectiveIds = new Set(c.objectives.map((o) => o.id));
    const controlIds = new Set<string>();
    c.controls.forEach((ct, i) => {
      if (controlIds.has(ct.id)) issue(['controls', i, 'id'], `duplicate id ${ct.id}`);
      controlIds.add(ct.id);
      if (!objectiveIds.has(ct.objective)) issue(['controls', i, 'objective'], `objective ${ct.objective} is not in objectives`);
      if (ct.subObjective !== undefined && !objectiveIds.has(ct.subObjective)) issue(['controls', i, 'subObjective'], `${ct.subObjective} is not in objectives`);
    });
    for (const id of ANNEX_A_IDS) if (!controlIds.has(id)) issue(['controls'], `control ${id} is missing`);
    [...c.clauses.map((x, i) => ['clauses', i, x] as const), ...c.controls.map((x, i) => ['controls', i, x] as const)].forEach(([list, i, x]) => {
      if ((x.coverage === 'none') !== (x.evidence.length === 0)) issue([list, i, 'coverage'], `coverage ${x.coverage} does not fit ${x.evidence.length} evidence kinds`);
    });
  });

/**
 * Validate a parsed catalogue document.
 *
 * @example
 * ```ts
 * parseCatalogue(JSON.parse(readFileSync('reports/iso42001/catalogue.json', 'utf8'))).controls.length; // 38
 * parseCatalogue({ kind: 'x' }); // throws SchemaError 'parseCatalogue: control catalogue "(object)" is invalid at kind: ...'
 * ```
 */
export function parseCatalogue(doc: unknown, source = '(object)'): ControlCatalogue {
  const r = catalogueSchema.safeParse(doc);
  if (!r.success) {
    const first = r.error.issues[0]!;
    const field = first.path.map(String).join('.');
    throw new SchemaError(messages.invalidCatalogue('parseCatalogue', source, field, first.message), 'invalidCatalogue', {
      source,
      issues: r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  return r.data as ControlCatalogue;
}

/**
 * Path of the shipped catalogue file, found relative to the package root (works from `src/` and
 * from the compiled `dist/src/`).
 *
 * @example
 * ```ts
 * cataloguePath(); // '/path/to/node_modules/fairwatch/reports/iso42001/catalogue.json'
 * ```
 */
export function cataloguePath(): string {
  return packageFile('cataloguePath', 'reports/iso42001/catalogue.json');
}

/**
 * Resolve a file shipped in the package (`reports/...`) from this module's location, trying the
 * source layout (`src/governance/`) and the compiled one (`dist/src/governance/`).
 *
 * @example
 * ```ts
 * packageFile('loadPolicy', 'reports/policies/default.yaml'); // '/path/to/fairwatch/reports/policies/default.yaml'
 * ```
 */
export function packageFile(fn: string, relative: string): string {
  const tried = ['../../', '../../../'].map((up) => fileURLToPath(new URL(up + relative, import.meta.url)));
  for (const p of tried) if (existsSync(p) && statSync(p).isFile()) return p;
  throw new SchemaError(messages.packageFileNotFound(fn, relative, tried), 'packageFileNotFound', { tried });
}

let cached: ControlCatalogue | undefined;

/**
 * Load and validate the control catalogue (the shipped file by default; cached), or the file at
 * `path`.
 *
 * @example
 * ```ts
 * const c = loadCatalogue();
 * c.clauses.filter((x) => x.parent === null).map((x) => x.id); // ['4', '5', '6', '7', '8', '9', '10']
 * c.controls.find((x) => x.id === 'A.6.2.6')!.coverage;       // 'direct'
 * ```
 */
export function loadCatalogue(path?: string): ControlCatalogue {
  if (path === undefined && cached) return cached;
  const file = path ?? cataloguePath();
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SchemaError(messages.fileReadFailed('loadCatalogue', file, (e as Error).message), 'catalogueUnreadable', { file });
  }
  const c = deepFreeze(parseCatalogue(doc, file));
  if (path === undefined) cached = c;
  return c;
}

/** Filter of {@link controlsFor} and {@link catalogueEntries}. */
export interface CatalogueFilter {
  /** Keep entries with this coverage (or any of these). */
  coverage?: Coverage | readonly Coverage[];
  /** Keep entries the toolkit evidences with this kind. */
  evidence?: EvidenceKind;
  /** Keep controls of this objective or sub-objective (e.g. 'A.6' or 'A.6.2'). Controls only. */
  objective?: string;
}

const matches = (e: { coverage: Coverage; evidence: readonly EvidenceKind[] }, f: CatalogueFilter): boolean => {
  const cov = f.coverage === undefined ? undefined : typeof f.coverage === 'string' ? [f.coverage] : f.coverage;
  if (cov && !cov.includes(e.coverage)) return false;
  if (f.evidence !== undefined && !e.evidence.includes(f.evidence)) return false;
  return true;
};

/**
 * Annex A controls matching a filter, in the standard's order.
 *
 * @example
 * ```ts
 * controlsFor({ coverage: 'none' }).length;                    // 9
 * controlsFor({ coverage: ['direct', 'partial'] }).length;     // 29
 * controlsFor({ objective: 'A.7', coverage: 'direct' }).map((c) => c.id); // ['A.7.4', 'A.7.5']
 * ```
 */
export function controlsFor(filter: CatalogueFilter = {}, catalogue: ControlCatalogue = loadCatalogue()): CatalogueControl[] {
  return catalogue.controls.filter(
    (c) => matches(c, filter) && (filter.objective === undefined || c.objective === filter.objective || c.subObjective === filter.objective),
  );
}

/**
 * Clauses matching a filter (the `objective` filter does not apply to clauses).
 *
 * @example
 * ```ts
 * clausesFor({ coverage: 'direct' }).map((c) => c.id); // ['9.1']
 * ```
 */
export function clausesFor(filter: Omit<CatalogueFilter, 'objective'> = {}, catalogue: ControlCatalogue = loadCatalogue()): CatalogueClause[] {
  return catalogue.clauses.filter((c) => matches(c, filter));
}

/**
 * Clauses then controls, tagged with their type: the list `fairwatch controls` prints.
 *
 * @example
 * ```ts
 * catalogueEntries().length;                              // 81 (43 clauses and sub-clauses + 38 controls)
 * catalogueEntries({ coverage: 'direct' }).map((e) => e.id); // ['9.1', 'A.5.4', 'A.6.2.4', ...]
 * ```
 */
export function catalogueEntries(filter: Omit<CatalogueFilter, 'objective'> = {}, catalogue: ControlCatalogue = loadCatalogue()): CatalogueEntry[] {
  return [
    ...clausesFor(filter, catalogue).map((c) => ({ ...c, type: 'clause' as const })),
    ...controlsFor(filter, catalogue).map((c) => ({ ...c, type: 'control' as const })),
  ];
}

/**
 * Format catalogue entries as a text table, GitHub Markdown or JSON.
 *
 * @example
 * ```ts
 * formatCatalogue(catalogueEntries({ coverage: 'direct' }), 'md').split('\n')[0]; // '## ISO/IEC 42001 clauses'
 * JSON.parse(formatCatalogue(catalogueEntries(), 'json')).controls.length;        // 38
 * ```
 */
export function formatCatalogue(entries: readonly CatalogueEntry[], format: 'text' | 'markdown' | 'md' | 'json'): string {
  const clauses = entries.filter((e) => e.type === 'clause');
  const controls = entries.filter((e) => e.type === 'control');
  const strip = ({ type: _t, ...rest }: CatalogueEntry) => rest;
  if (format === 'json') return JSON.stringify({ kind: 'fairwatch.controls', clauses: clauses.map(strip), controls: controls.map(strip) }, null, 2);
  const evidenceOf = (e: CatalogueEntry) => (e.coverage === 'none' ? NOT_EVIDENCED : e.evidence.join(', '));
  if (format === 'markdown' || format === 'md') {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const table = (list: CatalogueEntry[]) =>
      ['| id | title | coverage | evidence the toolkit produces |', '| --- | --- | --- | --- |', ...list.map((e) => `| ${e.id} | ${esc(e.title)} | ${e.coverage} | ${esc(evidenceOf(e))} |`)].join('\n');
    const parts: string[] = [];
    if (clauses.length) parts.push('## ISO/IEC 42001 clauses\n\n' + table(clauses));
    if (controls.length) parts.push('## Annex A controls\n\n' + table(controls));
    return parts.join('\n\n') || '(no entries)';
  }
  const idWidth = Math.max(2, ...entries.map((e) => e.id.length + (e.type === 'clause' ? depth(e.id) * 2 : 0)));
  const titleWidth = Math.min(60, Math.max(5, ...entries.map((e) => e.title.length)));
  const line = (e: CatalogueEntry) => {
    const id = (e.type === 'clause' ? ' '.repeat(depth(e.id) * 2) : '') + e.id;
    const title = e.title.length > titleWidth ? e.title.slice(0, titleWidth - 1) + '…' : e.title;
    return `${id.padEnd(idWidth)}  ${title.padEnd(titleWidth)}  ${e.coverage.padEnd(8)}  ${evidenceOf(e)}`;
  };
  const head = `${'id'.padEnd(idWidth)}  ${'title'.padEnd(titleWidth)}  ${'coverage'.padEnd(8)}  evidence`;
  const parts: string[] = [];
  if (clauses.length) parts.push(['Clauses', head, ...clauses.map(line)].join('\n'));
  if (controls.length) parts.push(['Annex A controls', head, ...controls.map(line)].join('\n'));
  return parts.join('\n\n') || '(no entries)';
}

const depth = (id: string) => id.split('.').length - 1;

/**
 * The words reports use for an organisational (coverage `none`) control or clause.
 *
 * @example
 * ```ts
 * NOT_EVIDENCED; // 'not evidenced by this toolkit'
 * ```
 */
export const NOT_EVIDENCED = 'not evidenced by this toolkit';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
