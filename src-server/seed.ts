// Fills the central database from the project's deterministic demo generator: the city is written
// to a temporary SQLite file by the same fast generator the desktop uses, then copied table by table
// in multi-row INSERT batches. The office key of the demo office is returned.
import { seedOperatorPasswords } from './operators';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoDatabaseSync } from '../src-main/demo/generate';
import type { ServerDb } from './db';
import { columnsOf, REPLICATED } from './schema';

export interface SeedOptions {
  accounts: number;
  months?: number;
  seed?: number;
  today?: Date;
  officeKey?: string;
  onProgress?: (table: string, rows: number) => void;
}

const MAX_PARAMS = 30_000;

export async function seedDemo(db: ServerDb, options: SeedOptions): Promise<{ officeKey: string; rows: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-seed-'));
  try {
    const file = join(dir, 'city.db');
    generateDemoDatabaseSync({ file, accounts: options.accounts, months: options.months, seed: options.seed, today: options.today });
    return await seedFromFile(db, file, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies the replicated tables of a demo database file (e.g. the one `npm run web` generated) into the central database. */
export async function seedFromFile(db: ServerDb, file: string, options: Pick<SeedOptions, 'officeKey' | 'onProgress'> = {}): Promise<{ officeKey: string; rows: number }> {
  let rows = 0;
  {
    const source = new Database(file, { readonly: true });
    try {
      for (const { table, key } of REPLICATED) {
        const columns = columnsOf(table);
        const perBatch = Math.floor(MAX_PARAMS / columns.length);
        let batch: unknown[][] = [];
        const flush = async () => {
          if (!batch.length) return;
          const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(',')})`).join(',');
          await db.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`, batch.flat());
          rows += batch.length;
          batch = [];
        };
        for (const row of source.prepare(`SELECT ${columns.join(',')} FROM ${table} ORDER BY ${key.join(', ')}`).raw().iterate() as Iterable<unknown[]>) {
          batch.push(row);
          if (batch.length >= perBatch) await flush();
        }
        await flush();
        options.onProgress?.(table, rows);
      }
    } finally {
      source.close();
    }
  }
  const officeKey = options.officeKey ?? randomBytes(18).toString('base64url');
  await db.query('INSERT INTO offices (key, name, district_ids) VALUES ($1, $2, NULL) ON CONFLICT (key) DO NOTHING', [officeKey, 'Демо-отделение']);
  await seedOperatorPasswords(db);
  // After a bulk load, as PostgreSQL's own advice goes: statistics for the planner, and the visibility
  // map and hint bits set now rather than by the first requests (measured: the first pushes after a
  // 13.7 M-row seed ran at half speed until this was done).
  await db.query('VACUUM (ANALYZE)');
  return { officeKey, rows };
}
