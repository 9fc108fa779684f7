// Opens the local SQLite store with the pragmas the product relies on and applies migrations.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { migrations } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  readonly?: boolean;
  /** `FULL` for operator writes (a saved reading survives a power cut); bulk generators may pass `OFF`. */
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
}

export const SCHEMA_VERSION = migrations.length;

export function openDb(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    if (options.migrate ?? true) migrate(db);
    else assertNotNewer(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function assertNotNewer(db: Db): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    // Never "migrate" downward: an older app would corrupt data written by a newer one.
    throw new AppError('DB_TOO_NEW', 'The database was written by a newer version of AquaDesk', {
      databaseVersion: version,
      supportedVersion: SCHEMA_VERSION,
      file: db.name,
    });
  }
  return version;
}

/** Applies every pending migration in one transaction; returns the resulting schema version. */
export function migrate(db: Db): number {
  const current = assertNotNewer(db);
  if (current === SCHEMA_VERSION) return current;
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(migrations[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
  return SCHEMA_VERSION;
}
