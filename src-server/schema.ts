// The central schema: the frozen migrations (src-server/migrations/), how they are applied, and the
// version lock every writer of replicated rows takes. What is replicated, and to whom, is the
// replication model (src-shared/replication/model.ts); the migrations build exactly its columns.
import type { ServerDb, Sql } from './db';
import { SERVER_MIGRATIONS } from './migrations';

export { SERVER_MIGRATIONS };

/**
 * The version lock: row versions are handed out in commit order, so a pull that has passed a version
 * never misses a row committed later with a smaller one. The trigger that gives a row its version
 * takes it (migration 6), so every writer does, whoever it is; the service's own code takes it
 * explicitly just before its replicated writes, after its reads and row locks, and never holds it over
 * anything slow (a letter, a password hash): it serialises those writers across offices.
 */
export async function lockVersions(sql: Sql): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(7261)');
}

/** Applies pending migrations (all, or up to `target`) in one transaction each; safe from several processes at once. */
export async function migrateServer(db: ServerDb, target = SERVER_MIGRATIONS.length): Promise<number> {
  await db.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  );
  for (let v = 1; v <= target; v++) {
    await db.tx(async (sql) => {
      await sql.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
      const done = await sql.query('SELECT 1 FROM schema_migrations WHERE version = $1', [v]);
      if (done.length) return;
      for (const statement of SERVER_MIGRATIONS[v - 1]!) await sql.query(statement);
      await sql.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
    });
  }
  const newest = (await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'))[0]?.v ?? 0;
  if (newest > SERVER_MIGRATIONS.length) {
    throw new Error(
      `The central database has schema version ${newest}, newer than this service knows (${SERVER_MIGRATIONS.length}): run a newer AquaDesk service`,
    );
  }
  return target;
}
