/**
 * Child process for the concurrency tests (run with `node --import ./test/helpers/ts-register.mjs`):
 * `child-writer.ts <store location> <risk id> <iterations> <tag> [schema]` — each iteration updates
 * the same risk entry (read-modify-append) and appends one audit-log line, as `fairwatch risk update` does.
 */
import { digestJSON } from '../../src/governance/digest.js';
import { updateEntry } from '../../src/governance/risk.js';
import { openStore } from '../../src/store/index.js';

const [location, id, iterations, tag, schema] = process.argv.slice(2);
const store = await openStore(location, schema ? { schema } : {});
try {
  for (let i = 0; i < Number(iterations); i++) {
    const note = `${tag}#${i}`;
    const [next] = await store.modifyRisks((latest) => [updateEntry(latest.find((e) => e.id === id)!, { note, by: tag! })], { ids: [id!] });
    await store.appendAudit({ action: 'risk.update', actor: tag, outputs: { entry: digestJSON(next) }, details: { note, version: next!.version } });
  }
} finally {
  await store.close();
}
