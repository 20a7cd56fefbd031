/**
 * `fairwatch log verify` and `fairwatch log repair`: check the store's hash-chained audit trail,
 * and move aside the partial last line an interrupted append left behind.
 *
 * Exit codes of `log verify`: 0 the chain is intact; **3 verification failed** (an edited,
 * removed or reordered line, or a partial last line) — the same code as "a finding failed the
 * policy", since a broken trail is an audit finding, not a usage error; 1 the store could not be
 * read.
 *
 * @example
 * ```sh
 * fairwatch log verify                 # 'audit log .fairwatch/audit.log.jsonl: 42 lines, intact'
 * fairwatch log verify --format json   # { ok, lines, lastSeq, head, problem? }
 * ```
 */
import { InputError, messages } from '../errors.js';
import { repairAuditLog } from '../governance/audit-log.js';
import { DuckDBStore, openStore } from '../store/index.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch log verify`. */
export interface LogVerifyArgs {
  store?: string;
  format?: 'text' | 'json';
}

/**
 * Verify the audit trail of the store; exit 0 when intact, 3 when not.
 *
 * @example
 * ```ts
 * await runLogVerify({ format: 'json' }, io); // 0, stdout '{"ok":true,"lines":3,...}'
 * ```
 */
export async function runLogVerify(args: LogVerifyArgs, io: CliIO): Promise<number> {
  const store = await openStore(args.store);
  try {
    const v = await store.verifyAudit();
    if (args.format === 'json') io.stdout(JSON.stringify({ log: store.auditLocation, ...v }, null, 2) + '\n');
    else if (v.ok) io.stdout(`audit log ${store.auditLocation}: ${v.lines} line${v.lines === 1 ? '' : 's'}, intact (last seq ${v.lastSeq}, head ${v.head.slice(0, 12)})\n`);
    else io.stdout(`audit log ${store.auditLocation}: TAMPERED OR DAMAGED: ${v.problem!.kind} at line ${v.problem!.line}: ${v.problem!.message}\n`);
    return v.ok ? EXIT.ok : EXIT.policyFailed;
  } finally {
    await store.close();
  }
}

/**
 * Repair an interrupted append of a file audit log (see `repairAuditLog`); the repair itself is
 * logged as `log.repair` with the number of bytes moved aside.
 *
 * @example
 * ```ts
 * await runLogRepair({}, io); // 0; stdout 'moved 37 partial bytes to .fairwatch/audit.log.jsonl.partial-…'
 * ```
 */
export async function runLogRepair(args: { store?: string }, io: CliIO): Promise<number> {
  const store = await openStore(args.store);
  try {
    if (!(store instanceof DuckDBStore)) {
      throw new InputError(messages.badOption('log repair', '--store', store.target, 'a folder store: a PostgreSQL audit log is written in transactions and has no partial lines'), 'badOption');
    }
    const r = await repairAuditLog(store.auditLocation);
    if (r.removedBytes === 0) {
      io.stdout(`audit log ${store.auditLocation}: no partial line, nothing to repair\n`);
      return EXIT.ok;
    }
    await store.appendAudit({ action: 'log.repair', details: { removedBytes: r.removedBytes, savedTo: r.savedTo } });
    io.stdout(`moved ${r.removedBytes} partial bytes to ${r.savedTo}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
