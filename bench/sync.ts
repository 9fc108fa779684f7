// `npm run bench -- sync [--accounts N] [--offices K] [--months M] [--mutations K] [--json FILE]`:
// a city of N accounts split among K offices (default 200 000 and 2: a 100 000-account office each).
// - sync.initial: the first office's initial sync over loopback (rows/s), against the floor of inserting
//   the very rows it received straight into an empty SQLite store in batched transactions;
// - sync.push.readings: real `readings.submit` mutations (one per meter, keyed in as an operator does)
//   queued at a desk of each office, then both offices pushing at once (mutations/s over both), against
//   the floor of plain batched INSERTs into the same database.
// PostgreSQL on 127.0.0.1:5432 when it answers (the service then runs as its own process, as in
// production), else PGlite (the results say which).
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, type Core } from '../src-main/core';
import { openDb } from '../src-main/store/db';
import { setOfficeDistricts } from '../src-server/office-admin';
import { demoOffices } from '../src-server/seed';
import { formatReading } from '../src-shared/readings/format';
import { REPLICATION, columnsOf } from '../src-shared/replication/model';
import { DEMO_OPERATOR_PASSWORD } from '../src-shared/schemas/operators';
import type { ReadingsList } from '../src-shared/schemas/readings';
import { PG_URL, postgresReachable, startCentral } from '../tests/helpers/central';
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

async function ok<T>(core: Core, op: string, input: unknown, operatorId: number | null = null): Promise<T> {
  const outcome = await core.services.dispatch(op as never, input as never, { operatorId, role: null });
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

/** A desk of an office, with its operator signed in online (the service records them at this desk). */
async function desk(dir: string, url: string, key: string, login: string): Promise<{ core: Core; operatorId: number }> {
  const core = openCore({
    dataDir: dir,
    shell: 'web',
    syncWorker: new URL('../src-main/services/sync-worker.ts', import.meta.url),
  });
  await ok(core, 'settings.set', { central: { url, officeKey: key } });
  const state = await core.services.session.signIn(login, DEMO_OPERATOR_PASSWORD);
  if (state.mode !== 'online') throw new Error(`${login} signed in ${state.mode}`);
  return { core, operatorId: state.operator!.id };
}

/** Keys in one reading per meter (previous + the expected month, so no check asks for a reason), `count` meters. */
async function queueReadings(core: Core, operatorId: number, count: number): Promise<number> {
  const accounts = core.db
    .prepare<[], number>(
      'SELECT DISTINCT m.account_id FROM meters m WHERE m.removed_on IS NULL AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id) ORDER BY m.account_id',
    )
    .pluck()
    .all();
  let queued = 0;
  for (const accountId of accounts) {
    if (queued >= count) break;
    const list = await ok<ReadingsList>(core, 'readings.list', { accountId }, operatorId);
    const entries = list.meters
      .filter((m) => m.previous && !m.current)
      .slice(0, count - queued)
      .map((m) => {
        const month = (m.expectedLitres ?? 3_000) - ((m.expectedLitres ?? 3_000) % 10);
        return { meterId: m.meterId, value: formatReading(m.previous!.litres + month, m.format), reasons: {} };
      });
    if (!entries.length) continue;
    const outcome = await core.services.dispatch(
      'readings.submit',
      { accountId, entries, partialConfirmed: true },
      { operatorId, role: null },
    );
    if (outcome.ok) queued += entries.length;
  }
  return queued;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const accounts = option(args, '--accounts', 200_000);
  const offices = option(args, '--offices', 2);
  const months = option(args, '--months', 24);
  const mutations = option(args, '--mutations', 5_000);
  const kind = (await postgresReachable()) ? 'postgres' : 'pglite';
  process.stderr.write(`seeding ${accounts} accounts × ${months} months in ${offices} offices into ${kind}…\n`);
  let t = performance.now();
  const central = await startCentral(kind, { accounts, months, offices: demoOffices(offices), today: new Date() });
  process.stderr.write(`seeded in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
  // Half the city each (or a K-th): the districts shared out by their accounts, largest first.
  const perDistrict = await central.db.query<{ d: number; n: number }>(
    'SELECT district_id AS d, count(*)::int AS n FROM accounts GROUP BY district_id ORDER BY n DESC',
  );
  const shares = central.offices.map(() => ({ districts: [] as number[], accounts: 0 }));
  for (const { d, n } of perDistrict) {
    const least = shares.reduce((a, b) => (b.accounts < a.accounts ? b : a));
    least.districts.push(Number(d));
    least.accounts += n;
  }
  for (const [i, office] of central.offices.entries())
    await setOfficeDistricts(
      central.db,
      office.key,
      shares[i]!.districts.sort((a, b) => a - b),
    );
  // The seed writes gigabytes: let PostgreSQL flush them now, so neither measured phase pays for the
  // seed's checkpoint (measured: the push right after a 13.7 M-row seed ran at half its speed).
  if (kind === 'postgres') await central.db.query('CHECKPOINT');
  const child = kind === 'postgres' ? await spawnService(central.schema) : null;
  const serviceUrl = child?.url ?? central.url;
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-sync-'));
  const params = { accounts, offices, months, database: kind };
  const results: BenchResult[] = [];
  const cores: Core[] = [];
  try {
    const a = await desk(join(dir, 'desk-a'), serviceUrl, central.offices[0]!.key, 'call1');
    cores.push(a.core);
    process.stderr.write('initial sync of office 1…\n');
    t = performance.now();
    const outcome = await ok<{ rowsApplied: number; state: string }>(a.core, 'sync.now', {});
    const seconds = (performance.now() - t) / 1000;
    if (outcome.state !== 'online') throw new Error(`initial sync did not complete: ${JSON.stringify(outcome)}`);
    const rows = outcome.rowsApplied;
    const officeAccounts = a.core.db.prepare('SELECT count(*) FROM accounts').pluck().get() as number;
    results.push({
      name: 'sync.initial',
      metric: 'rowsPerSec',
      value: Math.round(rows / seconds),
      params: { ...params, officeAccounts, rows, seconds: Number(seconds.toFixed(1)) },
    });

    // The floor: the same rows into an empty SQLite store, multi-row INSERTs in batched transactions.
    const floorDb = openDb(join(dir, 'floor.db'));
    const source = new Database(a.core.ctx.databaseFile, { readonly: true });
    const data = REPLICATION.map(({ name: table, key }) => ({
      table,
      columns: [...columnsOf(table), 'version'],
      rows: source
        .prepare(`SELECT ${[...columnsOf(table), 'version'].join(',')} FROM ${table} ORDER BY ${key.join(',')}`)
        .raw()
        .all() as unknown[][],
    }));
    source.close();
    floorDb.pragma('foreign_keys = OFF');
    t = performance.now();
    let floorRows = 0;
    for (const { table, columns, rows: tableRows } of data) {
      const per = Math.floor(30_000 / columns.length);
      const insert = (n: number) =>
        floorDb.prepare(
          `INSERT OR REPLACE INTO ${table} (${columns.join(',')}) VALUES ${Array(n)
            .fill(`(${columns.map(() => '?').join(',')})`)
            .join(',')}`,
        );
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
    results.push({
      name: 'floor.sqliteInsert',
      metric: 'rowsPerSec',
      value: Math.round(floorRows / floorSeconds),
      params: { rows: floorRows },
    });
    results.push({
      name: 'sync.initial',
      metric: 'percentOfFloor',
      value: Number(((100 * rows) / seconds / (floorRows / floorSeconds)).toFixed(1)),
      params,
    });

    // A desk of the second office (its own initial sync, not timed), then real readings at both.
    const desks = [a];
    if (offices > 1) {
      const b = await desk(join(dir, 'desk-b'), serviceUrl, central.offices[1]!.key, 'call2');
      cores.push(b.core);
      process.stderr.write('initial sync of office 2 (not timed)…\n');
      await ok(b.core, 'sync.now', {});
      desks.push(b);
    }
    process.stderr.write(`keying in ${mutations} readings at each desk…\n`);
    const queued: number[] = [];
    for (const d of desks) queued.push(await queueReadings(d.core, d.operatorId, mutations));
    t = performance.now();
    const pushed = await Promise.all(
      desks.map((d) => ok<{ pending: number; rejected: number; state: string }>(d.core, 'sync.now', {})),
    );
    const pushSeconds = (performance.now() - t) / 1000;
    for (const p of pushed)
      if (p.pending !== 0 || p.rejected !== 0 || p.state !== 'online')
        throw new Error(`push did not complete: ${JSON.stringify(p)}`);
    const total = queued.reduce((x, y) => x + y, 0);
    results.push({
      name: 'sync.push.readings',
      metric: 'mutationsPerSec',
      value: Math.round(total / pushSeconds),
      params: {
        mutations: total,
        perOffice: queued.join('+'),
        offices: desks.length,
        database: kind,
        seconds: Number(pushSeconds.toFixed(2)),
      },
    });

    // Its floor: plain batched INSERTs of as many rows into the same database.
    await central.db.query(
      'CREATE TABLE bench_floor (id BIGINT PRIMARY KEY, meter_id BIGINT, value_litres BIGINT, read_on TEXT)',
    );
    t = performance.now();
    for (let i = 0; i < total; i += 500) {
      const n = Math.min(500, total - i);
      const values = Array.from(
        { length: n },
        (_, r) => `($${r * 4 + 1}, $${r * 4 + 2}, $${r * 4 + 3}, $${r * 4 + 4})`,
      ).join(',');
      await central.db.query(
        `INSERT INTO bench_floor VALUES ${values}`,
        Array.from({ length: n }, (_, r) => [i + r, r, 1000 * r, 'now']).flat(),
      );
    }
    const pgSeconds = (performance.now() - t) / 1000;
    results.push({
      name: 'floor.pgInsert',
      metric: 'rowsPerSec',
      value: Math.round(total / pgSeconds),
      params: { rows: total, database: kind },
    });
  } finally {
    for (const core of cores) core.close();
    child?.process.kill('SIGTERM');
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
