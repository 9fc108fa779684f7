// The sync engine's own small facts (cursor, this desk's identity, generations), one row per key.
import type { Db } from '../db';

export type SyncStateKey =
  | 'cursor'
  | 'lastSyncAt'
  | 'clientId'
  | 'clientKeyHash'
  | 'ackedThrough'
  | 'auditBase'
  | 'scope'
  | 'gen'
  | 'resyncGen'
  | 'resyncReason'
  | 'demo'
  | 'demoSeed';

export function createSyncStateRepo(db: Db) {
  const get = db.prepare<[string], string>('SELECT value FROM sync_state WHERE key = ?').pluck();
  const set = db.prepare<[string, string]>(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM sync_state WHERE key = ?');
  return {
    get: (key: SyncStateKey): string | null => get.get(key) ?? null,
    number: (key: SyncStateKey, fallback = 0): number => {
      const value = get.get(key);
      return value === undefined ? fallback : Number(value);
    },
    set: (key: SyncStateKey, value: string | number) => void set.run(key, String(value)),
    remove: (key: SyncStateKey) => void remove.run(key),
  };
}

// The identity the service issued this desk, read once per store and kept in memory: every queued
// change is stamped with it. The identity service forgets it when it registers a new one.
const clientIds = new WeakMap<Db, string | null>();

export function clientIdOf(db: Db): string | null {
  if (!clientIds.has(db))
    clientIds.set(
      db,
      db.prepare<[], string>("SELECT value FROM sync_state WHERE key = 'clientId'").pluck().get() ?? null,
    );
  return clientIds.get(db)!;
}

export function forgetClientId(db: Db): void {
  clientIds.delete(db);
}
