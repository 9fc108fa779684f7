import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, SCHEMA_VERSION } from '../../src-main/store/db';
import { makeTempDir } from '../helpers/tmp';

let temp: ReturnType<typeof makeTempDir>;
afterEach(() => temp?.cleanup());

describe('local store', () => {
  it('opens with WAL, foreign keys and full synchronous writes, and applies every migration', () => {
    temp = makeTempDir();
    const db = openDb(join(temp.dir, 'a.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const table of [
      'districts',
      'streets',
      'buildings',
      'premises',
      'owners',
      'accounts',
      'phones',
      'meters',
      'readings',
      'tariffs',
      'charges',
      'recalculations',
      'payments',
      'balances',
      'subscriptions',
      'web_accounts',
      'operators',
      'outbox',
      'mail_outbox',
      'audit_log',
      'settings',
      'sync_state',
    ]) {
      expect(tables).toContain(table);
    }
    db.close();
  });

  it('keeps data across reopening and does not re-run migrations', () => {
    temp = makeTempDir();
    const file = join(temp.dir, 'a.db');
    const db = openDb(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('language', '\"kk\"')").run();
    db.close();
    const again = openDb(file);
    expect(again.prepare("SELECT value FROM settings WHERE key = 'language'").pluck().get()).toBe('"kk"');
    again.close();
  });

  it('refuses a database written by a newer version instead of migrating it downward', () => {
    temp = makeTempDir();
    const file = join(temp.dir, 'newer.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDb(file)).toThrowError(expect.objectContaining({ code: 'DB_TOO_NEW' }));
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(check.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(0);
    check.close();
  });

  it('rejects a row that breaks a foreign key', () => {
    temp = makeTempDir();
    const db = openDb(join(temp.dir, 'fk.db'));
    expect(() => db.prepare("INSERT INTO phones (account_id, number) VALUES (999, '77011234567')").run()).toThrow(
      /FOREIGN KEY/,
    );
    db.close();
  });
});
