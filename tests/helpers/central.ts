// A central service for tests: PGlite in memory, or PostgreSQL on 127.0.0.1:5432 in a schema of its
// own (dropped afterwards), seeded from the deterministic demo generator, listening on a free port.
import pg from 'pg';
import { buildServer, type ServerOptions } from '../../src-server/app';
import type { MailingJobs } from '../../src-server/mailing-jobs';
import { openPglite, openPostgres, type ServerDb } from '../../src-server/db';
import { migrateServer } from '../../src-server/schema';
import { seedDemo, type SeedOffice, type SeedResult } from '../../src-server/seed';
import { createServerMailer } from '../../src-server/mailer';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import type { PageLimits } from '../../src-server/web/pages';
import type { WebAccounts } from '../../src-server/web/accounts';

export const PG_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';

/** Why the PostgreSQL variants are skipped when `postgresReachable()` is false (the `[skipped]` lines say it). */
export const PG_ABSENT = `nothing answers on ${new URL(PG_URL).hostname}:${new URL(PG_URL).port || '5432'}`;

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface Central {
  db: ServerDb;
  kind: 'pglite' | 'postgres';
  /** the PostgreSQL schema (postgres only) */
  schema: string;
  url: string;
  /** the first office's key (the whole city unless `offices` was given) */
  officeKey: string;
  offices: SeedResult['offices'];
  now: { value: Date };
  web: WebAccounts;
  /** the desk-started mailing jobs of this service (tests wait for them to end) */
  mailingJobs: MailingJobs;
  /** A signed-in session of a demo operator (1 admin, 2–3 counter, 4–5 call center, 6 supervisor). */
  sessionOf(operatorId: number): Promise<string>;
  close(): Promise<void>;
}

export async function startCentral(
  kind: 'pglite' | 'postgres',
  options: {
    accounts?: number;
    months?: number;
    today?: Date;
    smtpPort?: number;
    pageLimits?: PageLimits;
    offices?: SeedOffice[];
    mailing?: ServerOptions['mailing'];
  } = {},
): Promise<Central> {
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const db = kind === 'postgres' ? await openPostgres(PG_URL, { schema }) : await openPglite();
  await migrateServer(db);
  const today = options.today ?? new Date('2026-11-20T06:00:00Z');
  const { officeKey, offices } = await seedDemo(db, {
    accounts: options.accounts ?? 150,
    months: options.months ?? 3,
    seed: 20261120,
    today,
    offices: options.offices,
  });
  const now = { value: today };
  let url = '';
  const mailer = options.smtpPort ? createServerMailer({ smtpUrl: `smtp://127.0.0.1:${options.smtpPort}` }) : undefined;
  const app = buildServer({
    db,
    now: () => now.value,
    mailer,
    publicUrl: () => url,
    pageLimits: options.pageLimits,
    mailing: options.mailing,
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  const sessions = new Map<number, string>();
  return {
    db,
    kind,
    schema,
    url,
    officeKey,
    offices,
    now,
    web: app.web,
    mailingJobs: app.mailingJobs,
    async sessionOf(operatorId: number) {
      let session = sessions.get(operatorId);
      if (!session) {
        const login = (await db.query<{ login: string }>('SELECT login FROM operators WHERE id = $1', [operatorId]))[0]!
          .login;
        const office = { id: offices[0]!.id, name: offices[0]!.name, districtIds: offices[0]!.districtIds };
        session = (await app.operators.signIn({ office, clientId: null }, login, DEMO_OPERATOR_PASSWORD)).session;
        sessions.set(operatorId, session);
      }
      return session;
    },
    async close() {
      await app.close();
      mailer?.close();
      if (kind === 'postgres') await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  };
}
