/**
 * Monitoring jobs whose predictions live in a database: the same generated rows as a PostgreSQL
 * table, and as a ClickHouse `Distributed` table over the two shards of `.ci/run`'s cluster, with
 * the labels arriving late in a separate table joined by id. Every window's row counts, labelled
 * rows, finding statuses and values must equal those of the same job on DuckDB over CSV files
 * (whose numbers the other monitor tests check against naive references), and after the missing
 * labels are inserted a re-run must record version 2 with the changes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { ClickHouseEngine } from '../../src/engines/clickhouse.js';
import { PostgresEngine } from '../../src/engines/postgres.js';
import { loadMonitorConfig } from '../../src/monitor/config.js';
import { runMonitor } from '../../src/monitor/run.js';
import type { WindowOutcome } from '../../src/monitor/types.js';
import { chReachable, chUrl, chUrl2, itWithServer, pgReachable, pgUrl } from '../engines/servers.js';
import { makeJob, makeRows, type Row } from './fixtures.js';

const NOW = '2026-03-05T01:00:00Z';
const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const rows = makeRows(4, 200, 2);
/** Labels known at first: every third row (the rest arrive later). */
const early = rows.filter((r) => r.id % 3 === 0);
const late = rows.filter((r) => r.id % 3 !== 0);

/** What a window's outcome says, for comparison across engines. */
function summary(o: WindowOutcome) {
  const findings = o.findings
    .flatMap((d) => d.findings)
    .map((f) => [f.id, f.status, f.value === null || f.value === undefined ? null : Number(f.value.toFixed(9))] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  return { window: o.window.id, version: o.version, rows: o.rows, labelledRows: o.labelledRows, status: o.status, findings };
}

/** The reference: the same job on DuckDB over CSV files, before and after the late labels. */
async function reference() {
  const job = makeJob(rows, '', { labels: early });
  const cfg = loadMonitorConfig(job.config);
  const first = await runMonitor(cfg, { now: NOW, actor: 't' });
  writeFileSync(join(job.dir, 'labels.csv'), 'id,y\n' + rows.map((r) => `${r.id},${r.y}`).join('\n') + '\n');
  const second = await runMonitor(cfg, { window: '2026-03-03', now: NOW, actor: 't' });
  return { first: first.windows.map(summary), second: second.windows.map(summary), changed: second.windows[0]!.changed };
}
const expected = reference();

/** A job over database tables, its store a DuckDB folder; `insertLate` adds the late labels. */
async function runOn(source: string, labels: string, insertLate: () => Promise<void>) {
  const job = makeJob(rows, '', { labels: early });
  const yaml = readFileSync(job.config, 'utf8').replace('source: { engine: duckdb, file: data.csv }', source).replace('labels: { file: labels.csv }', labels);
  writeFileSync(job.config, yaml);
  const cfg = loadMonitorConfig(job.config);
  const first = await runMonitor(cfg, { now: NOW, actor: 't' });
  await insertLate();
  const second = await runMonitor(cfg, { window: '2026-03-03', now: NOW, actor: 't' });
  return { first: first.windows.map(summary), second: second.windows.map(summary), changed: second.windows[0]!.changed };
}

const sqlTime = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, '');

describe('monitor run over a PostgreSQL table with late labels in another table', async () => {
  const reason = await pgReachable();
  const preds = `fw_mon_preds_${suffix}`;
  const labels = `fw_mon_labels_${suffix}`;
  afterAll(async () => {
    if (reason) return;
    const e = await PostgresEngine.open(pgUrl);
    await e.exec(`DROP TABLE IF EXISTS ${preds}, ${labels}`);
    await e.close();
  });
  const values = (rs: readonly Row[]) => rs.map((r) => `(${r.id}, ${r.y})`).join(', ');

  itWithServer(reason, 'every window equals the DuckDB run over CSV files; the late labels give version 2 with the same changes', async () => {
    const e = await PostgresEngine.open(pgUrl);
    try {
      await e.exec(`CREATE TABLE ${preds} (id integer, ts timestamp, sex text, p integer, x double precision, region text)`);
      await e.exec(`INSERT INTO ${preds} VALUES ${rows.map((r) => `(${r.id}, '${sqlTime(r.ts)}', '${r.sex}', ${r.p}, ${r.x}, '${r.region}')`).join(', ')}`);
      await e.exec(`CREATE TABLE ${labels} (id integer, y integer)`);
      await e.exec(`INSERT INTO ${labels} VALUES ${values(early)}`);
      const got = await runOn(`source: { engine: postgres, url: "${pgUrl}", table: ${preds} }`, `labels: { table: ${labels} }`, () => e.exec(`INSERT INTO ${labels} VALUES ${values(late)}`).then(() => undefined));
      const want = await expected;
      expect(got).toEqual(want);
      // the comparison is not vacuous: labels did arrive, and the drift day fails
      expect(want.second[0]!.labelledRows).toBeGreaterThan(want.first[2]!.labelledRows);
      expect(want.changed).toContainEqual({ metric: 'labelledRows', from: want.first[2]!.labelledRows, to: want.second[0]!.labelledRows });
      expect(want.first.map((w) => w.status)).toContain('fail');
    } finally {
      await e.close();
    }
  });
});

describe('monitor run over a ClickHouse Distributed table (two shards) with late labels in a MergeTree table', async () => {
  const reason = (await chReachable(chUrl)) ?? (await chReachable(chUrl2));
  const local = `fw_mon_local_${suffix}`;
  const dist = `fw_mon_dist_${suffix}`;
  const labels = `fw_mon_labels_${suffix}`;
  const shards = reason ? [] : [new ClickHouseEngine(chUrl), new ClickHouseEngine(chUrl2)];
  afterAll(async () => {
    if (reason) return;
    await shards[0]!.exec(`DROP TABLE IF EXISTS ${dist}`);
    await shards[0]!.exec(`DROP TABLE IF EXISTS ${labels}`);
    for (const s of shards) {
      await s.exec(`DROP TABLE IF EXISTS ${local}`);
      await s.close();
    }
  });
  const COLUMNS = `(id Int32, ts DateTime('UTC'), sex String, p Int32, x Float64, region String)`;
  const tsv = (rs: readonly Row[]) => rs.map((r) => [r.id, sqlTime(r.ts), r.sex, r.p, r.x, r.region].join('\t')).join('\n');
  const labelTsv = (rs: readonly Row[]) => rs.map((r) => `${r.id}\t${r.y}`).join('\n');

  itWithServer(reason, 'every window equals the DuckDB run over CSV files; unlabelled rows stay unlabelled (not 0) through the LEFT JOIN', async () => {
    const half = rows.length / 2;
    for (const [i, s] of shards.entries()) {
      await s.exec(`CREATE TABLE ${local} ${COLUMNS} ENGINE = MergeTree() ORDER BY id`);
      await s.exec(`INSERT INTO ${local} FORMAT TabSeparated\n${tsv(i === 0 ? rows.slice(0, half) : rows.slice(half))}`);
    }
    await shards[0]!.exec(`CREATE TABLE ${dist} ${COLUMNS} ENGINE = Distributed(fairwatch, default, ${local})`);
    // a non-Nullable label column: ClickHouse fills unmatched LEFT JOIN rows with 0 unless told otherwise
    await shards[0]!.exec(`CREATE TABLE ${labels} (id Int32, y Int32) ENGINE = MergeTree() ORDER BY id`);
    await shards[0]!.exec(`INSERT INTO ${labels} FORMAT TabSeparated\n${labelTsv(early)}`);
    const got = await runOn(`source: { engine: clickhouse, url: "${chUrl}", table: ${dist} }`, `labels: { table: ${labels} }`, () =>
      shards[0]!.exec(`INSERT INTO ${labels} FORMAT TabSeparated\n${labelTsv(late)}`).then(() => undefined),
    );
    expect(got).toEqual(await expected);
  });
});
