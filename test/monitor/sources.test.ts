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
import { main } from '../../src/cli/main.js';
import { capture } from '../cli/capture.js';
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

/** Half of `data`'s rows in a MergeTree table on each shard, and a Distributed table over both on shard 1. */
async function createDistributed(shards: ClickHouseEngine[], local: string, dist: string, columns: string, tsvOf: (rs: readonly Row[]) => string, data: readonly Row[]): Promise<void> {
  const half = data.length / 2;
  for (const [i, s] of shards.entries()) {
    await s.exec(`CREATE TABLE ${local} ${columns} ENGINE = MergeTree() ORDER BY id`);
    await s.exec(`INSERT INTO ${local} FORMAT TabSeparated\n${tsvOf(i === 0 ? data.slice(0, half) : data.slice(half))}`);
  }
  await shards[0]!.exec(`CREATE TABLE ${dist} ${columns} ENGINE = Distributed(fairwatch, default, ${local})`);
}

/** Drop the tables of {@link createDistributed} and close the shards' engines. */
async function dropDistributed(shards: ClickHouseEngine[], local: string, dist: string, extra: string[] = []): Promise<void> {
  for (const t of [dist, ...extra]) await shards[0]!.exec(`DROP TABLE IF EXISTS ${t}`);
  for (const s of shards) {
    await s.exec(`DROP TABLE IF EXISTS ${local}`);
    await s.close();
  }
}

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
    if (!reason) await dropDistributed(shards, local, dist, [labels]);
  });
  const COLUMNS = `(id Int32, ts DateTime('UTC'), sex String, p Int32, x Float64, region String)`;
  const tsv = (rs: readonly Row[]) => rs.map((r) => [r.id, sqlTime(r.ts), r.sex, r.p, r.x, r.region].join('\t')).join('\n');
  const labelTsv = (rs: readonly Row[]) => rs.map((r) => `${r.id}\t${r.y}`).join('\n');

  itWithServer(reason, 'every window equals the DuckDB run over CSV files; unlabelled rows stay unlabelled (not 0) through the LEFT JOIN', async () => {
    await createDistributed(shards, local, dist, COLUMNS, tsv, rows);
    // a non-Nullable label column: ClickHouse fills unmatched LEFT JOIN rows with 0 unless told otherwise
    await shards[0]!.exec(`CREATE TABLE ${labels} (id Int32, y Int32) ENGINE = MergeTree() ORDER BY id`);
    await shards[0]!.exec(`INSERT INTO ${labels} FORMAT TabSeparated\n${labelTsv(early)}`);
    const got = await runOn(`source: { engine: clickhouse, url: "${chUrl}", table: ${dist} }`, `labels: { table: ${labels} }`, () =>
      shards[0]!.exec(`INSERT INTO ${labels} FORMAT TabSeparated\n${labelTsv(late)}`).then(() => undefined),
    );
    expect(got).toEqual(await expected);
  });
});

describe('monitor run over a ClickHouse Distributed table with the labels in the table (no join)', async () => {
  const reason = (await chReachable(chUrl)) ?? (await chReachable(chUrl2));
  const local = `fw_mon_local2_${suffix}`;
  const dist = `fw_mon_dist2_${suffix}`;
  const shards = reason ? [] : [new ClickHouseEngine(chUrl), new ClickHouseEngine(chUrl2)];
  afterAll(async () => {
    if (!reason) await dropDistributed(shards, local, dist);
  });
  // every fifth label missing (not yet known): counted as unlabelled on both sides
  const withGaps = rows.map((r) => (r.id % 5 === 0 ? { ...r, y: null } : r));
  const COLUMNS = `(id Int32, ts DateTime('UTC'), sex String, y Nullable(Int32), p Int32, x Float64, region String)`;
  const tsv = (rs: readonly Row[]) => rs.map((r) => [r.id, sqlTime(r.ts), r.sex, r.y === null ? '\\N' : r.y, r.p, r.x, r.region].join('\t')).join('\n');

  itWithServer(reason, 'every window equals the DuckDB run over the same rows, and the shards filter and aggregate their own rows (shard 2 returns aggregates, not rows)', async () => {
    const half = rows.length / 2;
    await createDistributed(shards, local, dist, COLUMNS, tsv, withGaps);
    // a profile baseline made from day 1's rows, so that every ClickHouse query of the run is a window's
    const profileJob = makeJob(withGaps.filter((r) => r.ts < '2026-03-02'));
    const ref = join(profileJob.dir, 'ref.profile.json');
    const p = capture();
    expect(await main(['profile', join(profileJob.dir, 'data.csv'), '--columns', 'x,region', '--out', ref], p), p.err).toBe(0);
    const baseline = `baseline: { profile: "${ref}" }`;

    const run = async (source: string | null) => {
      const job = makeJob(withGaps);
      let yaml = readFileSync(job.config, 'utf8').replace('baseline: { from: 2026-03-01, to: 2026-03-02 }', baseline);
      if (source) yaml = yaml.replace('source: { engine: duckdb, file: data.csv }', source);
      writeFileSync(job.config, yaml);
      return (await runMonitor(loadMonitorConfig(job.config), { now: NOW, actor: 't' })).windows.map(summary);
    };
    const want = await run(null);
    const started = Date.now();
    const got = await run(`source: { engine: clickhouse, url: "${chUrl}${chUrl.includes('?') ? '&' : '?'}log_queries=1", table: ${dist} }`);
    expect(got).toEqual(want);
    expect(want.map((w) => w.labelledRows)).toEqual(want.map((w) => withGaps.filter((r) => r.ts >= w.window.slice(4) && r.ts < `2026-03-0${Number(w.window.slice(-1)) + 1}` && r.y !== null).length));
    expect(want.some((w) => w.status === 'fail')).toBe(true); // the drift day

    // shard 2's part of every query that read rows: the windows' queries are aggregates (GROUP BY)
    // with a few rows back; the one exception is the first run's scan of the time column that
    // finds where the source starts (once per job, before any window exists)
    let log = { data: [] as unknown[][] };
    for (let attempt = 0; attempt < 25; attempt++) {
      if (attempt > 0) await new Promise((done) => setTimeout(done, 200));
      await shards[1]!.exec('SYSTEM FLUSH LOGS');
      log = await shards[1]!.query(
        `SELECT query, read_rows, result_rows FROM system.query_log WHERE is_initial_query = 0 AND type = 2 AND read_rows > 0 AND query LIKE '%${local}%' AND event_time >= toDateTime(${Math.floor(started / 1000) - 1})`,
      );
      // per window: label counts, fairness (one attribute), drift of x and region
      if (log.data.length >= want.length * 4 + 2) break;
    }
    const entries = log.data as [string, string, string][];
    const aggregates = entries.filter(([q]) => /GROUP BY/.test(q));
    expect(aggregates.length).toBe(want.length * 4);
    for (const [, readRows, resultRows] of aggregates) {
      expect(Number(readRows)).toBeLessThanOrEqual(half);
      expect(Number(resultRows)).toBeLessThan(Number(readRows));
    }
    expect(entries.filter(([q]) => !/GROUP BY/.test(q)).map(([q]) => /WHERE/.test(q))).toEqual([false, false]); // its row count and its time column
  });
});
