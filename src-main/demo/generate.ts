// Writes the deterministic demo city (src-shared/demo) into a SQLite file, fast: rows are batched into
// multi-row INSERTs inside transactions of a few thousand accounts, secondary indexes are built once at
// the end, and the file is written under a temporary name and renamed into place only when complete,
// so an interrupted run never leaves a half-filled database behind.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { generateDemoCity } from '../../src-shared/demo/city';
import { DEMO_COLUMNS, type Cell, type DemoTable } from '../../src-shared/demo/tables';
import { almatyDate } from '../../src-shared/domain/period';
import { openDb, type Db } from '../store/db';
import { startWorker } from '../workers';

export const DEMO_DEFAULT_SEED = 20_240_601;

export interface DemoOptions {
  file: string;
  accounts: number;
  months?: number;
  seed?: number;
  today?: Date;
}

export interface DemoResult {
  file: string;
  accounts: number;
  months: number;
  seed: number;
  seconds: number;
  bytes: number;
}

export type ProgressListener = (done: number, total: number) => void;

const ROWS_PER_STATEMENT = 200;

class TableWriter {
  private full: ReturnType<Db['prepare']> | null = null;
  private readonly buffer: Cell[] = [];
  private rows = 0;
  /** the model's columns the generator fills, in the order of its values (the rest keep their defaults) */
  private columns: readonly string[] = [];

  constructor(
    private readonly db: Db,
    private readonly table: DemoTable,
  ) {}

  private sql(rows: number): string {
    const tuple = `(${this.columns.map(() => '?').join(',')})`;
    return `INSERT INTO ${this.table} (${this.columns.join(',')}) VALUES ${Array(rows).fill(tuple).join(',')}`;
  }

  push(values: Cell[]): void {
    if (!this.full) {
      this.columns = DEMO_COLUMNS[this.table];
      this.full = this.db.prepare(this.sql(ROWS_PER_STATEMENT));
    }
    for (const v of values) this.buffer.push(v);
    if (++this.rows === ROWS_PER_STATEMENT) {
      this.full.run(this.buffer);
      this.buffer.length = 0;
      this.rows = 0;
    }
  }

  flush(): void {
    if (this.rows === 0) return;
    this.db.prepare(this.sql(this.rows)).run(this.buffer);
    this.buffer.length = 0;
    this.rows = 0;
  }
}

/** Generates the demo database synchronously in this thread (tests; the worker calls it too). */
export function generateDemoDatabaseSync(options: DemoOptions, onProgress?: ProgressListener): DemoResult {
  const started = performance.now();
  const months = options.months ?? 24;
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const today = almatyDate(options.today ?? new Date());
  const temp = `${options.file}.generating`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${temp}${suffix}`, { force: true });
  const db = openDb(temp, { synchronous: 'OFF' });
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('locking_mode = EXCLUSIVE');
    const indexes = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
      )
      .all();
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);

    const writers = new Map<DemoTable, TableWriter>();
    const writer = (table: DemoTable) => {
      let w = writers.get(table);
      if (!w) writers.set(table, (w = new TableWriter(db, table)));
      return w;
    };
    db.exec('BEGIN');
    generateDemoCity(
      { accounts: options.accounts, months, seed, today },
      {
        row: (table, values) => writer(table).push(values),
        progress: (done, total) => {
          for (const w of writers.values()) w.flush();
          db.exec('COMMIT');
          onProgress?.(done, total);
          db.exec('BEGIN');
        },
      },
    );
    for (const w of writers.values()) w.flush();
    db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)').run(
      'demo',
      JSON.stringify({ seed, accounts: options.accounts, months, today }),
    );
    db.exec('COMMIT');
    for (const index of indexes) db.exec(index.sql);
    db.pragma('analysis_limit = 1000');
    db.exec('ANALYZE');
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  renameSync(temp, options.file);
  for (const suffix of ['-wal', '-shm']) rmSync(`${options.file}${suffix}`, { force: true });
  return {
    file: options.file,
    accounts: options.accounts,
    months,
    seed,
    seconds: (performance.now() - started) / 1000,
    bytes: statSync(options.file).size,
  };
}

/** Same, as a promise (the test fixture's entry point). */
export async function generateDemoDatabase(options: DemoOptions, onProgress?: ProgressListener): Promise<DemoResult> {
  return generateDemoDatabaseSync(options, onProgress);
}

export interface WorkerMessage {
  type: 'progress' | 'done' | 'error';
  done?: number;
  total?: number;
  result?: DemoResult;
  message?: string;
}

/**
 * Generates in a worker thread so the caller's event loop (a server, a window, a progress bar) stays
 * live. `workerFile` is the built worker script (electron-vite's `?modulePath`) or, under tsx, the
 * TypeScript source next to this file.
 */
export function generateDemoDatabaseInWorker(
  options: DemoOptions,
  onProgress?: ProgressListener,
  workerFile: string | URL = new URL('./worker.ts', import.meta.url),
): Promise<DemoResult> {
  return new Promise((resolvePromise, reject) => {
    const worker = startWorker(workerFile, { ...options, today: options.today?.toISOString() });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.done!, message.total!);
      else if (message.type === 'done') {
        settled = true;
        resolvePromise(message.result!);
      } else if (message.type === 'error') {
        settled = true;
        reject(new Error(message.message));
      }
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the demo generator stopped with code ${code}`));
    });
  });
}

export function demoFileExists(file: string): boolean {
  return existsSync(file);
}
