/**
 * `fairwatch risk list|show|update|export`: the risk register in the store (`--store <path|
 * postgres://...>`, `FAIRWATCH_STORE`, default `.fairwatch/`). Updates and exports append an
 * audit-log line (`risk.update`, `risk.export`) with the digests of what changed or was written.
 *
 * Exit codes: 0 done; 2 bad arguments or an unknown id; 1 store failure.
 *
 * @example
 * ```sh
 * fairwatch risk list --status open --format csv
 * fairwatch risk update R-1a2b3c4d5e6f --status treating --owner ml-lead --residual 2,3 --note "reweighing planned" --by ann
 * fairwatch risk export --format md --out evidence/risks.md
 * ```
 */
import { basename } from 'node:path';
import { InputError, messages } from '../errors.js';
import { defaultActor } from '../governance/audit-log.js';
import { digestJSON, sha256Hex } from '../governance/digest.js';
import { RISK_STATUSES, riskToCSV, riskToJSON, riskToMarkdown, riskToText, TREATMENTS, updateEntry, type RiskUpdate } from '../governance/risk.js';
import type { Rating, RiskEntry, RiskStatus, Treatment } from '../governance/types.js';
import { writeFileAtomic } from '../io/atomic.js';
import { openStore } from '../store/index.js';
import { EXIT, type CliIO } from './main.js';

/**
 * Output formats of `risk list` and `risk export`.
 *
 * @example
 * ```ts
 * RISK_FORMATS; // ['text', 'json', 'csv', 'md']
 * ```
 */
export const RISK_FORMATS = ['text', 'json', 'csv', 'md'] as const;
export type RiskFormat = (typeof RISK_FORMATS)[number];

/** Typed arguments of `fairwatch risk list`. */
export interface RiskListArgs {
  store?: string;
  status?: RiskStatus[];
  format?: RiskFormat;
}

/** Typed arguments of `fairwatch risk show`. */
export interface RiskShowArgs {
  id: string;
  store?: string;
  format?: 'text' | 'json' | 'md';
}

/** Typed arguments of `fairwatch risk update`. */
export interface RiskUpdateArgs extends Omit<RiskUpdate, 'by'> {
  id: string;
  store?: string;
  /** Default `defaultActor()` (FAIRWATCH_ACTOR or the OS user). */
  by?: string;
  format?: 'text' | 'json';
}

/** Typed arguments of `fairwatch risk export`. */
export interface RiskExportArgs {
  store?: string;
  format: 'csv' | 'json' | 'md';
  /** File to write atomically; stdout when absent. */
  out?: string;
  status?: RiskStatus[];
}

/**
 * `risk list`: the latest version of each entry, optionally filtered by status.
 *
 * @example
 * ```ts
 * await runRiskList({ status: ['open'], format: 'json' }, io); // 0; stdout: a fairwatch.risk-register document
 * ```
 */
export async function runRiskList(args: RiskListArgs, io: CliIO): Promise<number> {
  const store = await openStore(args.store);
  try {
    const entries = await store.latestRisks(args.status ? { status: args.status } : {});
    io.stdout(render(entries, args.format ?? 'text'));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/**
 * `risk show <id>`: the latest version and every earlier one.
 *
 * @example
 * ```ts
 * await runRiskShow({ id: 'R-1a2b3c4d5e6f', format: 'json' }, io); // stdout: { latest, history: [v1, v2, ...] }
 * ```
 */
export async function runRiskShow(args: RiskShowArgs, io: CliIO): Promise<number> {
  const store = await openStore(args.store);
  try {
    const history = await store.riskHistory(args.id);
    if (history.length === 0) throw new InputError(messages.riskNotFound('risk show', args.id), 'riskNotFound', { id: args.id });
    const latest = history[history.length - 1]!;
    const format = args.format ?? 'text';
    if (format === 'json') io.stdout(JSON.stringify({ latest, history }, null, 2) + '\n');
    else if (format === 'md') io.stdout(riskToMarkdown([latest], { history: { [latest.id]: history }, title: `Risk ${latest.id}` }));
    else {
      const lines = [riskToText([latest]).trimEnd(), `  source: ${latest.riskSource}`, `  event: ${latest.event}`, `  consequence: ${latest.consequence}`];
      lines.push(`  affected groups: ${latest.affectedGroups.join(', ') || '-'}`, `  controls: ${latest.controls.join(', ') || '-'}`, '  history:');
      for (const v of history) lines.push(`    v${v.version}  ${v.changedAt}  ${v.changedBy}  ${v.status}  ${v.reason}`);
      io.stdout(lines.join('\n') + '\n');
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/**
 * `risk update <id>`: a person's change (validated by `updateEntry`), appended as a new version
 * in one read-modify-append transaction, then logged in the audit trail.
 *
 * @example
 * ```ts
 * await runRiskUpdate({ id: 'R-1a2b3c4d5e6f', status: 'closed', note: 'fixed in v2', by: 'ann' }, io); // 0
 * ```
 */
export async function runRiskUpdate(args: RiskUpdateArgs, io: CliIO): Promise<number> {
  const by = args.by ?? defaultActor();
  const update: RiskUpdate = { by };
  if (args.status !== undefined) update.status = args.status;
  if (args.owner !== undefined) update.owner = args.owner;
  if (args.treatment !== undefined) update.treatment = args.treatment;
  if (args.residual !== undefined) update.residual = args.residual;
  if (args.reviewDate !== undefined) update.reviewDate = args.reviewDate;
  if (args.note !== undefined) update.note = args.note;
  const store = await openStore(args.store);
  try {
    let previous: RiskEntry | undefined;
    const [next] = await store.modifyRisks(
      (latest) => {
        previous = latest.find((e) => e.id === args.id);
        if (!previous) throw new InputError(messages.riskNotFound('risk update', args.id), 'riskNotFound', { id: args.id });
        return [updateEntry(previous, update)];
      },
      { ids: [args.id] },
    );
    await store.appendAudit({
      action: 'risk.update',
      actor: by,
      inputs: { previous: digestJSON(previous) },
      outputs: { entry: digestJSON(next) },
      details: { id: next!.id, version: next!.version, status: next!.status, reason: next!.reason },
    });
    io.stdout(args.format === 'json' ? JSON.stringify(next, null, 2) + '\n' : riskToText([next!]) + `  reason: ${next!.reason}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/**
 * `risk export`: the register (latest versions; Markdown adds each entry's history) as CSV, JSON
 * or Markdown, written atomically to `--out` or printed; logged as `risk.export` with the sha256
 * of the text.
 *
 * @example
 * ```ts
 * await runRiskExport({ format: 'csv', out: 'evidence/risks.csv' }, io); // 0; stderr: 'wrote evidence/risks.csv (3 entries)'
 * ```
 */
export async function runRiskExport(args: RiskExportArgs, io: CliIO): Promise<number> {
  const store = await openStore(args.store);
  try {
    const entries = await store.latestRisks(args.status ? { status: args.status } : {});
    let text: string;
    if (args.format === 'md') {
      const history: Record<string, RiskEntry[]> = {};
      for (const e of entries) history[e.id] = await store.riskHistory(e.id);
      text = riskToMarkdown(entries, { history });
    } else text = render(entries, args.format);
    if (args.out !== undefined) {
      await writeFileAtomic(args.out, text);
      io.stderr(`wrote ${args.out} (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'})\n`);
    } else io.stdout(text);
    await store.appendAudit({
      action: 'risk.export',
      inputs: { register: digestJSON(entries) },
      outputs: { [args.out !== undefined ? basename(args.out) : `stdout.${args.format}`]: sha256Hex(text) },
      details: { format: args.format, entries: entries.length },
    });
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/**
 * Parse `--residual L,S` (each 1–5).
 *
 * @example
 * ```ts
 * parseResidual('2,3'); // { likelihood: 2, severity: 3 }
 * parseResidual('2x9'); // throws InputError: risk update: option --residual = "2x9" is invalid; ...
 * ```
 */
export function parseResidual(text: string): { likelihood: Rating; severity: Rating } {
  const m = /^\s*([1-5])\s*[,x×]\s*([1-5])\s*$/.exec(text);
  if (!m) throw new InputError(messages.badOption('risk update', '--residual', text, 'likelihood,severity with each an integer 1–5 (e.g. 2,3)'), 'badOption');
  return { likelihood: Number(m[1]) as Rating, severity: Number(m[2]) as Rating };
}

/**
 * Parse `--status a,b` against the risk statuses.
 *
 * @example
 * ```ts
 * parseStatuses('open,treating'); // ['open', 'treating']
 * ```
 */
export function parseStatuses(text: string, command = 'risk list'): RiskStatus[] {
  const out = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of out) {
    if (!(RISK_STATUSES as readonly string[]).includes(s)) throw new InputError(messages.badOption(command, '--status', s, `one of ${RISK_STATUSES.join(', ')}`), 'badOption');
  }
  if (out.length === 0) throw new InputError(messages.badOption(command, '--status', text, `one of ${RISK_STATUSES.join(', ')}`), 'badOption');
  return out as RiskStatus[];
}

/**
 * Commander's option bag for `risk update` as typed {@link RiskUpdateArgs}.
 *
 * @example
 * ```ts
 * riskUpdateArgsFromCli('R-1a2b3c4d5e6f', { status: 'treating', residual: '2,3', by: 'ann' }).residual; // { likelihood: 2, severity: 3 }
 * ```
 */
export function riskUpdateArgsFromCli(id: string, o: Record<string, unknown>): RiskUpdateArgs {
  const args: RiskUpdateArgs = { id };
  if (o.store !== undefined) args.store = String(o.store);
  if (o.status !== undefined) {
    const [s] = parseStatuses(String(o.status), 'risk update');
    args.status = s;
  }
  if (o.treatment !== undefined) {
    const t = String(o.treatment);
    if (!(TREATMENTS as readonly string[]).includes(t)) throw new InputError(messages.badOption('risk update', '--treatment', t, `one of ${TREATMENTS.join(', ')}`), 'badOption');
    args.treatment = t as Treatment;
  }
  if (o.owner !== undefined) args.owner = String(o.owner);
  if (o.residual !== undefined) args.residual = parseResidual(String(o.residual));
  if (o.reviewDate !== undefined) args.reviewDate = String(o.reviewDate);
  if (o.note !== undefined) args.note = String(o.note);
  if (o.by !== undefined) args.by = String(o.by);
  if (o.format !== undefined) args.format = o.format as 'text' | 'json';
  return args;
}

function render(entries: readonly RiskEntry[], format: RiskFormat): string {
  switch (format) {
    case 'json':
      return riskToJSON(entries);
    case 'csv':
      return riskToCSV(entries);
    case 'md':
      return riskToMarkdown(entries);
    default:
      return riskToText(entries);
  }
}
