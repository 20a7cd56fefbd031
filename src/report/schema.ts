/**
 * The report document's schema as zod, and the JSON Schema generated from it
 * (`reports/schema/report.schema.json`, written by {@link reportJSONSchema}; a test checks the
 * file equals the generated schema and that reports validate against it).
 *
 * @example
 * ```ts
 * reportSchema.parse(JSON.parse(reportToJSON(model))); // passes
 * writeFileSync('reports/schema/report.schema.json', JSON.stringify(reportJSONSchema(), null, 2) + '\n');
 * ```
 */
import { z } from 'zod';

const num = z.number().nullable();
const status = z.enum(['pass', 'warn', 'fail', 'insufficient']);
const system = z.object({ id: z.string(), version: z.string(), owner: z.string() });
const value = z.object({ value: num, low: num, high: num, reason: z.string().optional() });

const finding = z.looseObject({
  id: z.string(),
  kind: z.enum(['fairness', 'drift', 'data-quality']),
  metric: z.string(),
  scope: z.looseObject({ attributes: z.array(z.string()), groups: z.array(z.string()), column: z.string().optional() }),
  value: num,
  threshold: z.looseObject({ warn: z.number().optional(), fail: z.number().optional(), direction: z.enum(['above', 'below']) }),
  status,
  reason: z.string(),
  controls: z.array(z.string()),
  runId: z.string().nullable(),
  time: z.string().nullable(),
});

const risk = z.looseObject({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  system,
  metric: z.string(),
  attributes: z.array(z.string()),
  likelihood: z.number().int(),
  severity: z.number().int(),
  inherentLevel: z.enum(['low', 'medium', 'high', 'critical']),
  treatment: z.enum(['avoid', 'modify', 'share', 'retain']),
  controls: z.array(z.string()),
  owner: z.string(),
  status: z.enum(['open', 'treating', 'monitoring', 'accepted', 'closed']),
  reviewDate: z.string(),
  changedAt: z.string(),
});

/**
 * The zod schema of a {@link ReportModel} document.
 *
 * @example
 * ```ts
 * reportSchema.safeParse({ kind: 'fairwatch.report' }).success; // false
 * ```
 */
export const reportSchema = z.object({
  kind: z.literal('fairwatch.report'),
  version: z.literal(1),
  title: z.string(),
  generatedAt: z.string(),
  period: z.object({ from: z.string(), to: z.string() }).nullable(),
  filter: z.object({ run: z.string().nullable(), control: z.string().nullable() }),
  system: system.nullable(),
  summary: z.object({
    verdict: z.enum(['pass', 'warn', 'fail', 'insufficient', 'not-evaluated']),
    headline: z.string(),
    counts: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int(), insufficient: z.number().int() }),
    runs: z.number().int(),
    datasetDrift: z.boolean().nullable(),
    openRisks: z.number().int(),
  }),
  attributes: z.array(
    z.object({
      runId: z.string().nullable(),
      attributes: z.array(z.string()),
      rows: z.number().int(),
      reference: z.string().nullable(),
      minGroupSize: z.number(),
      metrics: z.array(z.string()),
      groups: z.array(z.object({ label: z.string(), count: z.number().int(), status: z.enum(['ok', 'insufficient']), values: z.record(z.string(), value) })),
      insufficient: z.array(z.string()),
      disparities: z.array(z.object({ name: z.string(), value: num, low: num, high: num, status: z.string(), groups: z.array(z.string()) })),
      charts: z.array(z.string()),
    }),
  ),
  drift: z.array(
    z.object({
      runId: z.string().nullable(),
      referenceRows: z.number().int(),
      currentRows: z.number().int(),
      datasetDrift: z.boolean(),
      driftShare: num,
      driftShareThreshold: z.number(),
      driftedColumns: z.array(z.string()),
      columns: z.array(
        z.object({
          column: z.string(),
          type: z.string(),
          test: z.string().nullable(),
          statistic: num,
          threshold: num,
          pValue: num,
          drifted: z.boolean().nullable(),
          status: z.enum(['ok', 'insufficient']),
          reason: z.string(),
        }),
      ),
      charts: z.array(z.string()),
    }),
  ),
  trends: z.array(
    z.object({
      metric: z.string(),
      scope: z.string(),
      kind: z.enum(['fairness', 'drift', 'data-quality']),
      points: z.array(z.object({ runId: z.string(), time: z.string(), value: z.number(), status })),
    }),
  ),
  charts: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['rates', 'reliability', 'drift-histogram', 'trend']),
      title: z.string(),
      description: z.string(),
      spec: z.record(z.string(), z.unknown()),
    }),
  ),
  findings: z.array(finding),
  risks: z.array(risk),
  controls: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      coverage: z.enum(['direct', 'partial', 'none']),
      implementation: z.string(),
      evidence: z.number().int(),
      latest: z.string().nullable(),
      note: z.string(),
    }),
  ),
  fingerprints: z.array(
    z.object({ runId: z.string().nullable(), name: z.string(), file: z.string().nullable(), sha256: z.string().nullable(), rows: num, at: z.string().nullable() }),
  ),
  manifest: z.object({
    tool: z.object({ name: z.literal('fairwatch'), version: z.string() }),
    node: z.string(),
    platform: z.string(),
    host: z.string(),
    generatedAt: z.string(),
    libraries: z.record(z.string(), z.string().nullable()),
    policyHashes: z.array(z.string()),
    seeds: z.array(z.number()),
    runs: z.array(
      z.object({ id: z.string(), kind: z.string(), time: z.string().nullable(), actor: z.string().nullable(), policyHash: z.string().nullable(), resultDigest: z.string(), seed: num }),
    ),
    store: z.string().nullable(),
    auditTrail: z.object({ ok: z.boolean(), lines: z.number().int(), problem: z.string().nullable() }).nullable(),
  }),
  definitions: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      kind: z.string(),
      definition: z.string(),
      formula: z.string(),
      range: z.tuple([num, num]),
      ideal: num,
      direction: z.string(),
      controls: z.array(z.string()),
      notes: z.array(z.string()),
    }),
  ),
  notes: z.array(z.string()),
});

/**
 * The JSON Schema (draft 2020-12) of the report document, generated from {@link reportSchema}.
 *
 * @example
 * ```ts
 * reportJSONSchema().properties.kind; // { type: 'string', const: 'fairwatch.report' }
 * ```
 */
export function reportJSONSchema(): Record<string, unknown> & { properties: Record<string, unknown> } {
  const schema = z.toJSONSchema(reportSchema) as Record<string, unknown> & { properties: Record<string, unknown> };
  return { ...schema, $id: 'urn:fairwatch:schema:report', title: 'fairwatch report', description: 'The report model written by reportToJSON (src/report/).' };
}
