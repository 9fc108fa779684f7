// The central service's migrations are frozen once shipped: a database made by every shipped schema,
// with data in it, upgrades to today's, ends up with exactly the schema a new database gets, keeps its
// rows and their versions, and works (offices authenticate, scopes are right, a pull answers).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDatabaseSync } from '../../src-main/demo/generate';
import { openPglite, openPostgres, type ServerDb } from '../../src-server/db';
import { authenticate } from '../../src-server/offices';
import { pullPage } from '../../src-server/pull';
import { migrateServer } from '../../src-server/schema';
import { REPLICATION } from '../../src-shared/replication/model';
import { PG_ABSENT, PG_URL, postgresReachable } from '../helpers/central';

/** The newest schema version a released service wrote. */
const SHIPPED_IN_0_1 = 5;

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] migration tests on PostgreSQL: ${PG_ABSENT} (they run on PGlite only)`);

let demoFile = '';
let demoDir = '';
beforeAll(() => {
  demoDir = mkdtempSync(join(tmpdir(), 'aquadesk-migrations-'));
  demoFile = join(demoDir, 'city.db');
  generateDemoDatabaseSync({
    file: demoFile,
    accounts: 40,
    months: 2,
    seed: 7,
    today: new Date('2026-11-20T06:00:00Z'),
  });
});
afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

/** The schema as the catalog tells it: columns, indexes, triggers and functions, in a stable order. */
async function catalog(db: ServerDb): Promise<Record<string, string[]>> {
  const name = (await db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
  // Each test database lives in a schema of its own: compare without its name.
  const rows = async (sql: string) => (await db.query<{ x: string }>(sql)).map((r) => r.x.split(`${name}.`).join(''));
  const schema = 'current_schema()';
  return {
    columns: await rows(
      `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS x FROM information_schema.columns WHERE table_schema = ${schema} ORDER BY 1`,
    ),
    indexes: await rows(`SELECT indexdef AS x FROM pg_indexes WHERE schemaname = ${schema} ORDER BY 1`),
    triggers: await rows(
      `SELECT event_object_table || ' ' || trigger_name || ' ' || action_timing || ' ' || event_manipulation || ' ' || action_statement AS x FROM information_schema.triggers WHERE trigger_schema = ${schema} ORDER BY 1`,
    ),
    functions: await rows(
      `SELECT p.proname || ' ' || md5(p.prosrc) AS x FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ${schema} ORDER BY 1`,
    ),
    constraints: await rows(
      `SELECT table_name || ' ' || constraint_type || ' ' || constraint_name AS x FROM information_schema.table_constraints WHERE table_schema = ${schema} AND constraint_type <> 'CHECK' ORDER BY 1`,
    ),
  };
}

/** Rows of the demo city as a database of schema version `v` held them (only the columns it had). */
async function fillAsOf(db: ServerDb, v: number): Promise<void> {
  const source = new Database(demoFile, { readonly: true });
  try {
    for (const table of REPLICATION) {
      const existing = new Set(
        (
          await db.query<{ c: string }>(
            'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
            [table.name],
          )
        ).map((r) => r.c),
      );
      const columns = Object.keys(table.columns).filter((c) => existing.has(c));
      if (!columns.length) continue; // a table that schema did not have yet
      const rows = source
        .prepare(`SELECT ${columns.join(', ')} FROM ${table.name}`)
        .raw()
        .all() as unknown[][];
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await db.query(
          `INSERT INTO ${table.name} (${columns.join(', ')}) VALUES ${chunk.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ')}`,
          chunk.flat(),
        );
      }
    }
  } finally {
    source.close();
  }
  // What the service itself had written by then: an office (its key in plain text, as 0.1 kept it) and
  // a desk with a recorded change; later schemas a deleted row's tombstone, a web account's
  // credentials, an operator's password, session and audit entries.
  await db.query(
    "INSERT INTO offices (key, name, district_ids) VALUES ('legacy-office-key-1', 'Отделение 0.1', '{1,2}')",
  );
  await db.query(
    "INSERT INTO clients (client_id, office_key, last_seq) VALUES ('legacy-client', 'legacy-office-key-1', 1)",
  );
  await db.query(
    "INSERT INTO mutation_results (client_id, seq, name, status) VALUES ('legacy-client', 1, 'subscriptions.set', 'applied')",
  );
  if (v >= 2) await db.query('DELETE FROM phones WHERE id = (SELECT min(id) FROM phones)');
  if (v >= 3)
    await db.query(
      "INSERT INTO server_audit (at, office_key, operation, result) VALUES (now(), 'legacy-office-key-1', 'web.register', 'ok')",
    );
  if (v >= 4) {
    await db.query("INSERT INTO operator_credentials (operator_id, password_hash) VALUES (1, 'scrypt$x')");
    await db.query(
      "INSERT INTO operator_sessions (token_hash, operator_id, office_key, created_at, expires_at) VALUES ('h', 1, 'legacy-office-key-1', now(), now() + interval '1 hour')",
    );
  }
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !pgUp)(`server migrations on ${kind}`, () => {
    const open = async (): Promise<{ db: ServerDb; close(): Promise<void> }> => {
      if (kind === 'pglite') {
        const db = await openPglite();
        return { db, close: () => db.close() };
      }
      const schema = `m_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const db = await openPostgres(PG_URL, { schema });
      return {
        db,
        close: async () => {
          await db.query(`DROP SCHEMA ${schema} CASCADE`);
          await db.close();
        },
      };
    };

    let fresh: Record<string, string[]>;
    beforeAll(async () => {
      const { db, close } = await open();
      await migrateServer(db);
      fresh = await catalog(db);
      await close();
    });

    it("today's schema carries exactly the replication model's columns, with their types", async () => {
      const columns = new Set(fresh.columns!.map((c) => c.split(' ').slice(0, 2).join(' ')));
      for (const table of REPLICATION) {
        for (const [column, type] of Object.entries(table.columns))
          expect(
            columns.has(`${table.name}.${column} ${type === 'int' ? 'bigint' : 'text'}`),
            `${table.name}.${column}`,
          ).toBe(true);
      }
    });

    // Schemas 0–5 shipped with 0.1 (and databases exist at each); 6 and later ship with this release.
    // When it ships, fill a database as schema 6 and 7 held it here too.
    for (let shipped = 0; shipped <= SHIPPED_IN_0_1; shipped++) {
      it(`a database made by schema ${shipped} upgrades to today's, keeping its rows, their versions and its office key`, async () => {
        const { db, close } = await open();
        try {
          await migrateServer(db, shipped);
          if (shipped >= 1) await fillAsOf(db, shipped);
          const versions =
            shipped >= 1
              ? await db.query<{ id: number; version: number }>('SELECT id, version FROM readings ORDER BY id')
              : [];
          await migrateServer(db);
          expect(await catalog(db)).toEqual(fresh);
          if (shipped === 0) return;
          // Rows and versions kept: the upgrade does not make every desk pull everything again.
          expect(await db.query('SELECT id, version FROM readings ORDER BY id')).toEqual(versions);
          // The office still signs in with its key, kept now as a hash only.
          const caller = await authenticate(db, 'Bearer legacy-office-key-1');
          expect(caller.office).toMatchObject({ name: 'Отделение 0.1', districtIds: [1, 2] });
          expect(
            (
              await db.query(
                'SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2',
                ['offices', 'key'],
              )
            )[0],
          ).toEqual({ n: 0 });
          // Scopes filled in as the joins say.
          const wrong = await db.query<{ n: number }>(
            `SELECT (SELECT count(*) FROM readings r JOIN meters m ON m.id = r.meter_id JOIN accounts a ON a.id = m.account_id WHERE r.district_id IS DISTINCT FROM a.district_id)
                  + (SELECT count(*) FROM phones p JOIN accounts a ON a.id = p.account_id WHERE p.district_id IS DISTINCT FROM a.district_id)
                  + (SELECT count(*) FROM owners o WHERE o.districts IS DISTINCT FROM coalesce((SELECT array_agg(DISTINCT a.district_id ORDER BY a.district_id) FROM accounts a WHERE a.owner_id = o.id), '{}')) AS n`,
          );
          expect(Number(wrong[0]!.n)).toBe(0);
          // And it serves: a pull of the office's districts, and new writes get versions above every old one.
          const page = await pullPage(db, caller.office, 0, 100_000);
          expect(page.tables['accounts']?.rows.length).toBe(
            Number(
              (await db.query<{ n: number }>('SELECT count(*) AS n FROM accounts WHERE district_id IN (1, 2)'))[0]!.n,
            ),
          );
          await db.query('UPDATE accounts SET residents = residents + 1 WHERE id = (SELECT min(id) FROM accounts)');
          const top = await db.query<{ v: number; max: number }>(
            'SELECT (SELECT version FROM accounts WHERE id = (SELECT min(id) FROM accounts)) AS v, (SELECT max(version) FROM readings) AS max',
          );
          expect(Number(top[0]!.v)).toBeGreaterThan(Number(top[0]!.max));
        } finally {
          await close();
        }
      });
    }
  });
}
