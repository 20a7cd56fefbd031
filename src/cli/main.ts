/**
 * The `fairwatch` command line: a thin shell over the library. Each command is a typed function
 * (`runAudit`, `runDemo`) that tests call directly; this module only parses arguments, imports
 * the command lazily, and maps errors to exit codes in one place.
 *
 * Exit codes: 0 success; 1 unexpected error; 2 bad usage or bad input; 3 a finding failed the
 * policy (later commands).
 *
 * @example
 * ```sh
 * fairwatch audit loans.csv --label repaid --prediction approved --sensitive sex,age_band --format json
 * ```
 */
import { Command, CommanderError, Option } from 'commander';
import { FairwatchError, EngineError } from '../errors.js';
import { VERSION } from '../version.js';

/** Where a command writes: stdout for results, stderr for logs. Tests pass buffers. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Where progress bars draw (only when it is a terminal); default `process.stderr`. */
  progressStream?: import('./progress.js').ProgressStream;
}

/**
 * Exit codes, in one place.
 *
 * @example
 * ```ts
 * EXIT; // { ok: 0, unexpected: 1, usage: 2, policyFailed: 3 }
 * ```
 */
export const EXIT = { ok: 0, unexpected: 1, usage: 2, policyFailed: 3 } as const;

const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/**
 * Run the CLI with `argv` (without `node` and the script) and return the exit code.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const code = await main(['audit', 'loans.csv', '--label', 'y', '--prediction', 'p', '--sensitive', 'sex', '--format', 'json'],
 *   { stdout: (t) => out.push(t), stderr: () => {} });
 * ```
 */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('fairwatch')
    .description('Fairness metrics, calibration and drift for AI models, with ISO/IEC 42001 evidence.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError(false);

  program
    .command('audit')
    .description('Fairness audit of a model\'s decisions in a CSV, TSV, Parquet or JSON(L) file')
    .argument('[file]', 'input file (.csv, .tsv, .parquet, .json, .jsonl); or use --engine with --source/--query')
    .addOption(new Option('--engine <engine>', 'push the accumulate step down to an engine (only summaries come back)').choices(['duckdb', 'postgres', 'clickhouse']))
    .option('--url <url>', 'connection URL: postgres://user@host:port/db or clickhouse://host:port/db (passwords are never printed)')
    .option('--source <table|file>', 'a table name (or, with duckdb, a file path or glob)')
    .option('--query <sql>', 'a SQL query whose rows are audited')
    .requiredOption('--label <col>', 'column of true labels')
    .option('--prediction <col>', 'column of predicted labels')
    .option('--score <col>', 'column of scores (probabilities): calibration and AUC; predictions when --threshold is given')
    .option('--threshold <t>', 'predictions are score >= t (when --prediction is not given)')
    .requiredOption('--sensitive <cols>', 'sensitive column(s), comma-separated')
    .option('--intersect', 'audit the intersection of the sensitive columns instead of each one')
    .option('--reference <col=value...>', 'reference group(s) for disparate impact and to_reference comparisons')
    .option('--positive-label <v>', 'the positive value of labels and predictions (when not 0/1 or true/false)')
    .option('--weights <col>', 'column of sample weights')
    .option('--min-group-size <n>', 'groups with fewer rows are insufficient', '30')
    .addOption(new Option('--missing <how>', 'missing sensitive values').choices(['group', 'drop', 'error']).default('group'))
    .option('--max-groups <n>', 'maximum distinct values of a sensitive column', '1000')
    .option('--bins <n>', 'calibration bins', '10')
    .option('--fine-bins <n>', 'fine score bins of the summaries (default 3000; with --engine, fewer bins return less data)')
    .addOption(new Option('--bin-strategy <s>', 'calibration bin strategy').choices(['uniform', 'quantile']).default('uniform'))
    .addOption(new Option('--compat <mode>', "undefined rates: null with a reason, or fairlearn's 0").choices(['fairwatch', 'fairlearn']).default('fairwatch'))
    .option('--ci', 'Wilson intervals on rates and bootstrap intervals on disparities')
    .option('--resamples <n>', 'bootstrap resamples', '1000')
    .option('--seed <n>', 'bootstrap seed', '0')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .option('--policy <file>', 'evaluate against this policy (YAML), record the run, findings and risks in the store; exit 3 when a finding fails')
    .option('--store <path|url>', 'store for --policy: folder, .duckdb file or postgres:// URL (default $FAIRWATCH_STORE or .fairwatch)')
    .action(async (file: string | undefined, opts: Record<string, unknown>) => {
      const { runAudit, auditArgsFromCli } = await import('./audit.js');
      code = await runAudit(auditArgsFromCli(file, opts), io);
    });

  program
    .command('drift')
    .description('Compare current data with a reference file or saved profile, column by column')
    .requiredOption('--reference <file>', 'reference data file, or a profile.json from `fairwatch profile`')
    .option('--current <file>', 'current data file (or use --engine with --source/--query)')
    .addOption(new Option('--engine <engine>', 'count the current side where it lives (only counts come back)').choices(['duckdb', 'postgres', 'clickhouse']))
    .option('--url <url>', 'connection URL: postgres://user@host:port/db or clickhouse://host:port/db (passwords are never printed)')
    .option('--source <table|file>', 'a table name (or, with duckdb, a file path or glob) holding the current data')
    .option('--query <sql>', 'a SQL query whose rows are the current data')
    .option('--pushdown-bins <n>', 'with --engine: reference-quantile bins per numeric column (KS/Wasserstein bounds tighten with more)', '100')
    .option('--columns <cols>', 'columns to compare, comma-separated (default: all)')
    .option('--by <col>', 'also compare within each group of this column')
    .option('--alpha <a>', 'significance level of p-value tests', '0.05')
    .option('--drift-share <s>', 'share of drifted columns that makes dataset drift', '0.5')
    .addOption(new Option('--correction <c>', 'multiple-testing correction').choices(['none', 'bonferroni', 'benjamini-hochberg']).default('none'))
    .option('--min-rows <n>', 'minimum non-missing rows per side', '30')
    .option('--fail-on-drift', 'exit 3 when the dataset drifted')
    .option('--types <col=kind,...>', 'override inferred column kinds (numeric, categorical, boolean)')
    .option('--tests <col=test[:threshold],...>', 'deciding test per column (ks, wassersteinNormed, chiSquare, zTest, jensenShannon, psi, hellinger, kl, tvd)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .option('--policy <file>', 'evaluate against this policy (YAML), record the run, findings and risks in the store; exit 3 when a finding fails')
    .option('--store <path|url>', 'store for --policy: folder, .duckdb file or postgres:// URL (default $FAIRWATCH_STORE or .fairwatch)')
    .action(async (opts: Record<string, unknown>) => {
      const { runDrift, driftArgsFromCli } = await import('./drift.js');
      code = await runDrift(driftArgsFromCli(opts), io);
    });

  program
    .command('profile')
    .description('Save the reference profile of a data file (for later drift comparisons)')
    .argument('<file>', 'input file (.csv, .tsv, .parquet, .json, .jsonl)')
    .requiredOption('--out <file>', 'where to write the profile JSON')
    .option('--columns <cols>', 'columns to profile, comma-separated (default: all)')
    .option('--bins <n>', 'reference quantile bins of numeric columns', '10')
    .option('--seed <n>', 'seed of the reference sample of large columns', '0')
    .option('--types <col=kind,...>', 'override inferred column kinds (numeric, categorical, boolean)')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { runProfile, profileArgsFromCli } = await import('./drift.js');
      code = await runProfile(profileArgsFromCli(file, opts), io);
    });

  program
    .command('controls')
    .description('List the ISO/IEC 42001 clauses and Annex A controls with the evidence the toolkit produces for each')
    .addOption(new Option('--coverage <coverage>', 'only entries with this coverage').choices(['direct', 'partial', 'none']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .action(async (opts: Record<string, unknown>) => {
      const { runControls, controlsArgsFromCli } = await import('./controls.js');
      code = await runControls(controlsArgsFromCli(opts), io);
    });

  program
    .command('demo')
    .description('Generate the seeded synthetic loan data set and print its audit (no server needed)')
    .option('--rows <n>', 'rows to generate', '100000')
    .option('--seed <n>', 'generator seed', '42')
    .option('--out <dir>', 'where to write the data and the audit', 'demo-output')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .action(async (opts: Record<string, unknown>) => {
      const { runDemo, demoArgsFromCli } = await import('./demo.js');
      code = await runDemo(demoArgsFromCli(opts), io);
    });

  // governance: risk register and audit log (src/cli/risk.ts, src/cli/log.ts)
  const storeOpt = '--store <path|url>';
  const storeHelp = 'store folder, .duckdb file or postgres:// URL (default $FAIRWATCH_STORE or .fairwatch)';
  const risk = program.command('risk').description('The versioned risk register in the store');
  risk
    .command('list')
    .description('Latest version of each risk entry')
    .option(storeOpt, storeHelp)
    .option('--status <s,...>', 'only entries with these statuses (open, treating, monitoring, accepted, closed)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'md']).default('text'))
    .action(async (o: Record<string, unknown>) => {
      const r = await import('./risk.js');
      code = await r.runRiskList({ store: o.store as string | undefined, status: o.status === undefined ? undefined : r.parseStatuses(String(o.status)), format: o.format as 'text' }, io);
    });
  risk
    .command('show')
    .description('One risk entry with its full history')
    .argument('<id>', 'risk id (R-...)')
    .option(storeOpt, storeHelp)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .action(async (id: string, o: Record<string, unknown>) => {
      const { runRiskShow } = await import('./risk.js');
      code = await runRiskShow({ id, store: o.store as string | undefined, format: o.format as 'text' }, io);
    });
  risk
    .command('update')
    .description('A person changes a risk entry (appends a new version and an audit-log line)')
    .argument('<id>', 'risk id (R-...)')
    .option(storeOpt, storeHelp)
    .option('--status <s>', 'open, treating, monitoring, accepted or closed')
    .option('--owner <name>', 'new owner')
    .option('--treatment <t>', 'avoid, modify, share or retain')
    .option('--residual <L,S>', 'residual likelihood and severity, each 1-5')
    .option('--review-date <YYYY-MM-DD>', 'next review date')
    .option('--note <text>', 'why')
    .option('--by <name>', 'who makes the change (default $FAIRWATCH_ACTOR or the OS user)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id: string, o: Record<string, unknown>) => {
      const { runRiskUpdate, riskUpdateArgsFromCli } = await import('./risk.js');
      code = await runRiskUpdate(riskUpdateArgsFromCli(id, o), io);
    });
  risk
    .command('export')
    .description('Export the register as CSV, JSON or Markdown (atomic write with --out)')
    .option(storeOpt, storeHelp)
    .addOption(new Option('--format <format>', 'export format').choices(['csv', 'json', 'md']).makeOptionMandatory())
    .option('--out <file>', 'file to write (default stdout)')
    .option('--status <s,...>', 'only entries with these statuses')
    .action(async (o: Record<string, unknown>) => {
      const r = await import('./risk.js');
      code = await r.runRiskExport({ store: o.store as string | undefined, format: o.format as 'csv', out: o.out as string | undefined, status: o.status === undefined ? undefined : r.parseStatuses(String(o.status), 'risk export') }, io);
    });
  const log = program.command('log').description('The hash-chained audit trail');
  log
    .command('verify')
    .description('Check the audit trail; exit 3 at the first edited, removed or reordered line')
    .option(storeOpt, storeHelp)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o: Record<string, unknown>) => {
      const { runLogVerify } = await import('./log.js');
      code = await runLogVerify({ store: o.store as string | undefined, format: o.format as 'text' }, io);
    });
  log
    .command('repair')
    .description('Move aside a partial last line left by an interrupted append')
    .option(storeOpt, storeHelp)
    .action(async (o: Record<string, unknown>) => {
      const { runLogRepair } = await import('./log.js');
      code = await runLogRepair({ store: o.store as string | undefined }, io);
    });

  // governance: statement of applicability and gap assessment (src/cli/soa.ts, src/cli/gap.ts)
  program
    .command('soa')
    .description('Statement of applicability: every Annex A control with applicability, implementation and the evidence in the store')
    .option('--applicability <file>', "the organisation's applicability YAML (default: every control applicable)")
    .option(storeOpt, storeHelp)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .option('--out <file>', 'write the statement here (atomically; logged in the audit trail)')
    .action(async (o: Record<string, unknown>) => {
      const { runSoa } = await import('./soa.js');
      code = await runSoa({ ...(o.applicability !== undefined ? { applicability: String(o.applicability) } : {}), ...(o.store !== undefined ? { store: String(o.store) } : {}), format: o.format as 'text', ...(o.out !== undefined ? { out: String(o.out) } : {}) }, io);
    });
  program
    .command('gap')
    .description('Gap assessment: evidence per clause and Annex A control for a period, what is missing or stale, readiness')
    .option('--period <from..to>', 'evidence dated in this period (default: the twelve months up to today)')
    .option('--answers <file>', "the organisation's answers to the organisational questions (YAML)")
    .option('--applicability <file>', 'controls stated not applicable are reported as such')
    .option('--max-age <days>', 'newest evidence older than this is stale', '90')
    .option(storeOpt, storeHelp)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .option('--out <file>', 'write the assessment here (atomically; logged in the audit trail)')
    .action(async (o: Record<string, unknown>) => {
      const { runGap, gapArgsFromCli } = await import('./gap.js');
      code = await runGap(gapArgsFromCli(o), io);
    });

  // reports and the management review (src/cli/report.ts)
  program
    .command('report')
    .description('Report of the runs in the store (summary, group tables, charts, findings, risks, coverage, manifest) as HTML, Markdown or JSON')
    .option(storeOpt, storeHelp)
    .option('--period <from..to>', 'runs in this period (ISO dates or times; default: every run)')
    .option('--run <id>', 'only this run')
    .option('--control <id>', 'only findings, risks and coverage of this control (e.g. A.6.2.4)')
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'md', 'json']).default('html'))
    .option('--out <file>', 'write the report here (atomically; logged in the audit trail)')
    .option('--pdf <file>', 'also print the HTML report to PDF with Chromium (FAIRWATCH_CHROMIUM or /usr/bin/chromium)')
    .action(async (o: Record<string, unknown>) => {
      const { runReport, reportArgsFromCli } = await import('./report.js');
      code = await runReport(reportArgsFromCli(o), io);
    });
  program
    .command('review')
    .description('Management-review summary (ISO/IEC 42001 clause 9.3): changes since the last review, trends, open risks, alerts, decisions needed')
    .option(storeOpt, storeHelp)
    .option('--period <from..to>', 'the review period (default: the 90 days up to today)')
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'md', 'json']).default('html'))
    .option('--out <file>', 'write the review here (atomically; logged in the audit trail)')
    .action(async (o: Record<string, unknown>) => {
      const { runReview, reviewArgsFromCli } = await import('./report.js');
      code = await runReview(reviewArgsFromCli(o), io);
    });

  // monitoring jobs (src/cli/monitor.ts)
  const monitor = program.command('monitor').description('Scheduled monitoring: windows over production predictions, history, alerts');
  monitor
    .command('run')
    .description('Compute the due windows (or --window / --from --to); exit 3 when a finding failed, 2 on bad configuration or a held lock')
    .requiredOption('--config <file>', 'the job file (YAML)')
    .option('--window <start>', 'one window: its id or a time inside it (re-running appends a new version)')
    .option('--from <t>', 'first window of a range (with --to)')
    .option('--to <t>', 'end of the range (complete windows before it)')
    .option('--now <t>', 'the current time (windows ending after it are not due)')
    .option('--lock-timeout <ms>', 'how long to wait for another run of the job', '10000')
    .option('--refresh-baseline', 'recompute a fixed baseline window even when its cached profile still matches')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o: Record<string, unknown>) => {
      const { runMonitorRun } = await import('./monitor.js');
      const s = (k: string) => (o[k] !== undefined ? { [k]: String(o[k]) } : {});
      code = await runMonitorRun(
        { config: String(o.config), ...s('window'), ...s('from'), ...s('to'), ...s('now'), lockTimeoutMs: Number(o.lockTimeout), ...(o.refreshBaseline ? { refreshBaseline: true } : {}), format: o.format as 'text' },
        io,
      );
    });
  monitor
    .command('history')
    .description('Trends per window (latest version, with the number of versions)')
    .option('--config <file>', 'the job file (its job and store)')
    .option(storeOpt, storeHelp)
    .option('--job <id>', 'only this job')
    .option('--metric <m>', 'only this metric')
    .option('--attribute <a>', 'only this attribute (or drift column)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv']).default('text'))
    .action(async (o: Record<string, unknown>) => {
      const { runMonitorHistory } = await import('./monitor.js');
      const s = (k: string) => (o[k] !== undefined ? { [k]: String(o[k]) } : {});
      code = await runMonitorHistory({ ...s('config'), ...s('store'), ...s('job'), ...s('metric'), ...s('attribute'), format: o.format as 'text' }, io);
    });
  monitor
    .command('status')
    .description('Last window per job, windows due, open alerts, undelivered alerts and the lock holder')
    .option('--config <file>', 'the job file (its job and store)')
    .option('--now <t>', 'the current time for the windows due (default now)')
    .option(storeOpt, storeHelp)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o: Record<string, unknown>) => {
      const { runMonitorStatus } = await import('./monitor.js');
      const s = (k: string) => (o[k] !== undefined ? { [k]: String(o[k]) } : {});
      code = await runMonitorStatus({ ...s('config'), ...s('store'), ...s('now'), format: o.format as 'text' }, io);
    });

  monitor
    .command('alerts')
    .description("The job's alert events and their delivery per sink; --discard stops re-sending one (logged)")
    .requiredOption('--config <file>', 'the job file (its job, store and sinks)')
    .option('--undelivered', 'only events some sink has not received')
    .option('--discard <event-id>', 'count this event delivered to the sinks that lack it (an audit-trail line records it)')
    .option('--reason <text>', 'why the event is discarded (recorded)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o: Record<string, unknown>) => {
      const { runMonitorAlerts } = await import('./monitor.js');
      const s = (k: string) => (o[k] !== undefined ? { [k]: String(o[k]) } : {});
      code = await runMonitorAlerts({ config: String(o.config), ...(o.undelivered ? { undelivered: true } : {}), ...s('discard'), ...s('reason'), format: o.format as 'text' }, io);
    });

  // evidence packs and signing keys (src/cli/evidence.ts, src/cli/keygen.ts)
  const evidence = program.command('evidence').description('Evidence packs: export (hash manifest, optional Ed25519 signature) and verify');
  evidence
    .command('export')
    .description('Write an evidence pack (folder, or .zip) for a period; logged in the audit trail')
    .requiredOption('--out <dir|file.zip>', 'target folder or .zip file (must not exist)')
    .option(storeOpt, storeHelp)
    .option('--period <from..to>', 'only runs, findings, risk versions and audit lines in this period (default: everything)')
    .option('--control <id>', 'only the evidence of this clause or Annex A control (e.g. A.6.2.6)')
    .option('--sign-key <key.pem>', 'Ed25519 private key (from `fairwatch keygen`) to sign manifest.json')
    .option('--policy <file>', 'policy file to include (default: the shipped default policy)')
    .option('--applicability <file>', 'applicability YAML for the statement of applicability')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o: Record<string, unknown>) => {
      const { runEvidenceExport } = await import('./evidence.js');
      const s = (k: string) => (o[k] !== undefined ? { [k]: String(o[k]) } : {});
      code = await runEvidenceExport({ out: String(o.out), ...s('store'), ...s('period'), ...s('control'), ...s('signKey'), ...s('policy'), ...s('applicability'), format: o.format as 'text' }, io);
    });
  evidence
    .command('verify')
    .description('Check an evidence pack: every sha256, the signature, the audit-log chain; exit 3 on any problem')
    .argument('<pack>', 'pack folder or .zip')
    .option('--public-key <key.pub>', 'Ed25519 public key to check manifest.sig with')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (pack: string, o: Record<string, unknown>) => {
      const { runEvidenceVerify } = await import('./evidence.js');
      code = await runEvidenceVerify({ pack, ...(o.publicKey !== undefined ? { publicKey: String(o.publicKey) } : {}), format: o.format as 'text' }, io);
    });
  program
    .command('keygen')
    .description('Make an Ed25519 key pair for signing evidence packs: <name> (private, 0600) and <name>.pub')
    .requiredOption('--out <name>', 'private key file; the public key goes to <name>.pub')
    .action(async (o: Record<string, unknown>) => {
      const { runKeygen } = await import('./keygen.js');
      code = await runKeygen({ out: String(o.out) }, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return handleError(err, io);
  }
}

/**
 * Map any thrown value to an exit code, printing one clear line on stderr.
 *
 * @example
 * ```ts
 * const err: string[] = [];
 * const io = { stdout: () => {}, stderr: (t: string) => err.push(t) };
 * handleError(new InputError('groupMetrics: bad', 'badOption'), io); // 2 (EXIT.usage)
 * err[0];                                                            // 'fairwatch: groupMetrics: bad\n'
 * handleError(new EngineError('duckdb failed', 'engine'), io);       // 1 (EXIT.unexpected)
 * handleError(new Error('oops'), io);                                // 1, stderr 'fairwatch: unexpected error: Error: oops ...'
 * ```
 */
export function handleError(err: unknown, io: CliIO): number {
  if (err instanceof CommanderError) {
    // help and version exit 0; everything else commander rejects is bad usage
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof FairwatchError) {
    io.stderr(`fairwatch: ${err.message}\n`);
    return err instanceof EngineError ? EXIT.unexpected : EXIT.usage;
  }
  const e = err as Error;
  io.stderr(`fairwatch: unexpected error: ${e?.stack ?? String(err)}\n`);
  return EXIT.unexpected;
}
