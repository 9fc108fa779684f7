// Settings rows: one JSON value per top-level key of the settings schema.
import type { Db } from '../db';

export function createSettingsRepo(db: Db) {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  return {
    readAll(): Map<string, string> {
      return new Map(all.all().map((row) => [row.key, row.value]));
    },
    writeMany: db.transaction((entries: [string, unknown][]) => {
      for (const [key, value] of entries) upsert.run(key, JSON.stringify(value));
    }),
  };
}
