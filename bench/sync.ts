// `npm run bench -- sync [--accounts N] [--months M] [--mutations K] [--json FILE]`: initial sync of an
// office over loopback (rows/s) against the floor of inserting the same rows straight into SQLite in
// batched transactions, and push throughput (mutations/s) against plain batched INSERTs into the same
// database. PostgreSQL on 127.0.0.1:5432 when it answers, else PGlite (the results say which).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../src-main/core';
import { openDb } from '../src-main/store/db';
import { REPLICATION, columnsOf } from '../src-shared/replication/model';
import { postgresReachable, startCentral } from '../tests/helpers/central';
import { spawn, type ChildProcess } from 'node:child_process';
import { PG_URL } from '../tests/helpers/central';
import type { BenchResult } from './report';

async function spawnService(schema: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-server/cli.ts', '--port', '0', '--schema', schema], {
    env: { ...process.env, DATABASE_URL: PG_URL, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /AquaDesk central service: (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the central service exited (${code})`)));
  });
  return { url, process: child };
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const accounts = option(args, '--accounts', 100_000);
  const months = option(args, '--months', 24);
  const mutations = option(args, '--mutations', 5_000);
  const kind = (await postgresReachable()) ? 'postgres' : 'pglite';
  process.stderr.write(`seeding ${accounts} accounts × ${months} months into ${kind}…\n`);
  const central = await startCentral(kind, { accounts, months });
  // The seed writes gigabytes: let PostgreSQL flush them now, so neither measured phase pays for the
  // seed's checkpoint (measured: the push right after a 13.7 M-row seed ran at half its speed).
  if (kind === 'postgres') await central.db.query('CHECKPOINT');
  // On PostgreSQL the service runs as its own process, as in production, so it prepares the next
  // page while the desktop writes the current one.
  const child = kind === 'postgres' ? await spawnService(central.schema) : null;
  const serviceUrl = child?.url ?? central.url;
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-sync-'));
  const params = { accounts, months, database: kind };
  const results: BenchResult[] = [];
  try {
    const core = openCore({ dataDir: join(dir, 'desk'), shell: 'web', syncWorker: new URL('../src-main/services/sync-worker.ts', import.meta.url) });
    await core.services.dispatch('settings.set', { central: { url: serviceUrl, officeKey: central.officeKey } });
    let t = performance.now();
    const outcome = await core.services.dispatch('sync.now', {});
    const seconds = (performance.now() - t) / 1000;
    const rows = (outcome as { result: { rowsApplied: number } }).result.rowsApplied;
    results.push({ name: 'sync.initial', metric: 'rowsPerSec', value: Math.round(rows / seconds), params: { ...params, rows, seconds: Number(seconds.toFixed(1)) } });

    // The floor: the same rows into an empty SQLite store, multi-row INSERTs in batched transactions.
    const floorDb = openDb(join(dir, 'floor.db'));
    const source = new Database(core.ctx.databaseFile, { readonly: true });
    const data = REPLICATION.map(({ name: table, key }) => ({ table, columns: [...columnsOf(table), 'version'], rows: source.prepare(`SELECT ${[...columnsOf(table), 'version'].join(',')} FROM ${table} ORDER BY ${key.join(',')}`).raw().all() as unknown[][] }));
    source.close();
    floorDb.pragma('foreign_keys = OFF');
    t = performance.now();
    let floorRows = 0;
    for (const { table, columns, rows: tableRows } of data) {
      const per = Math.floor(30_000 / columns.length);
      const insert = (n: number) => floorDb.prepare(`INSERT OR REPLACE INTO ${table} (${columns.join(',')}) VALUES ${Array(n).fill(`(${columns.map(() => '?').join(',')})`).join(',')}`);
      const full = insert(Math.min(per, Math.max(1, tableRows.length)));
      for (let i = 0; i < tableRows.length; i += 20_000) {
        floorDb.transaction(() => {
          for (let j = i; j < Math.min(i + 20_000, tableRows.length); j += per) {
            const chunk = tableRows.slice(j, Math.min(j + per, i + 20_000, tableRows.length));
            (chunk.length === per ? full : insert(chunk.length)).run(chunk.flat());
          }
        })();
      }
      floorRows += tableRows.length;
    }
    const floorSeconds = (performance.now() - t) / 1000;
    floorDb.close();
    results.push({ name: 'floor.sqliteInsert', metric: 'rowsPerSec', value: Math.round(floorRows / floorSeconds), params: { rows: floorRows } });
    results.push({ name: 'sync.initial', metric: 'percentOfFloor', value: Number(((100 * rows) / seconds / (floorRows / floorSeconds)).toFixed(1)), params });

    // Push: K subscription changes queued offline-first, then pushed in batches.
    const account = core.db.prepare('SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.email IS NOT NULL LIMIT 1').pluck().get() as number;
    // A first, untimed push warms the service process and the caches the 13.7 M-row pull just filled
    // with other pages (measured: its batches took 600 ms where later ones take 110 ms).
    for (let i = 0; i < 500; i++) await core.services.dispatch('subscriptions.set', { accountId: account, subscribed: i % 2 === 0 });
    await core.services.dispatch('sync.now', {});
    for (let i = 0; i < mutations; i++) await core.services.dispatch('subscriptions.set', { accountId: account, subscribed: i % 2 === 0 });
    t = performance.now();
    const pushed = (await core.services.dispatch('sync.now', {})) as { ok: boolean; result?: { pending: number; rejected: number; state: string } };
    const pushSeconds = (performance.now() - t) / 1000;
    if (!pushed.ok || pushed.result!.pending !== 0 || pushed.result!.rejected !== 0 || pushed.result!.state !== 'online') throw new Error(`push did not complete: ${JSON.stringify(pushed)}`);
    results.push({ name: 'sync.push', metric: 'mutationsPerSec', value: Math.round(mutations / pushSeconds), params: { mutations, database: kind } });
    core.close();

    // Its floor: plain batched INSERTs of as many rows into the same database.
    await central.db.query('CREATE TABLE bench_floor (id BIGINT PRIMARY KEY, account_id BIGINT, subscribed BIGINT, at TEXT)');
    t = performance.now();
    for (let i = 0; i < mutations; i += 500) {
      const n = Math.min(500, mutations - i);
      const values = Array.from({ length: n }, (_, r) => `($${r * 4 + 1}, $${r * 4 + 2}, $${r * 4 + 3}, $${r * 4 + 4})`).join(',');
      await central.db.query(`INSERT INTO bench_floor VALUES ${values}`, Array.from({ length: n }, (_, r) => [i + r, account, r % 2, 'now']).flat());
    }
    const pgSeconds = (performance.now() - t) / 1000;
    results.push({ name: 'floor.pgInsert', metric: 'rowsPerSec', value: Math.round(mutations / pgSeconds), params: { rows: mutations, database: kind } });
  } finally {
    child?.process.kill('SIGTERM');
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
