// Mailing jobs survive the service (#19.5): a job started from the desk runs in a real service process
// (npm run server), which is killed (SIGKILL) in the middle of the job, between a letter's DATA and the
// relay's reply. The service started again on the same database shows the job as interrupted, refuses a
// new one until it is resumed or cancelled, and «Продолжить» takes it over: every account's letter goes
// out, each under one Message-ID (the one the killed run handed over is sent again with its Message-ID,
// as a possible duplicate); after one more restart the supervisor still reads the job's report.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src-server/app';
import { openPglite, openPostgres, type ServerDb } from '../../src-server/db';
import { createServerMailer } from '../../src-server/mailer';
import { migrateServer } from '../../src-server/schema';
import { seedDemo } from '../../src-server/seed';
import type { MailingJob, MailingStatus } from '../../src-shared/schemas/mailing';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { FIXTURE_SEED, FIXTURE_TODAY } from '../fixtures/demo';
import { PG_ABSENT, PG_URL, postgresReachable } from '../helpers/central';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { makeTempDir } from '../helpers/tmp';

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] the restart test on PostgreSQL: ${PG_ABSENT} (it runs on PGlite)`);
const PERIOD = '2026-10';
const recipient = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : '');

type Reply = { ok: boolean; result?: MailingJob & MailingStatus & { session: string }; error?: { details?: unknown } };

describe(`a mailing job across a killed service (${pgUp ? 'postgres' : 'pglite'})`, () => {
  const temp = makeTempDir();
  const schema = `t_${process.pid}_restart`;
  const dataDir = join(temp.dir, 'central');
  const open = () => (pgUp ? openPostgres(PG_URL, { schema }) : openPglite(dataDir));
  let smtp: TestSmtp;
  let db: ServerDb | null = null;
  let officeKey = '';
  let office: { id: number; name: string; districtIds: number[] | null };

  beforeAll(async () => {
    smtp = await startSmtp();
    db = await open();
    await migrateServer(db);
    const seeded = await seedDemo(db, { accounts: 80, months: 2, seed: FIXTURE_SEED, today: FIXTURE_TODAY });
    officeKey = seeded.officeKey;
    office = { id: seeded.offices[0]!.id, name: seeded.offices[0]!.name, districtIds: seeded.offices[0]!.districtIds };
    // Every account open in the month subscribed with an address: a job of some length.
    await db.query(
      `INSERT INTO subscriptions (account_id, subscribed, email, updated_at)
       SELECT a.id, 1, 'restart' || a.id || '@example.kz', '2026-11-01T00:00:00Z' FROM accounts a
        WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = a.id)`,
    );
    await db.query("UPDATE subscriptions SET subscribed = 1, email = 'restart' || account_id || '@example.kz'");
  }, 120_000);
  afterAll(async () => {
    if (db && pgUp) await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db?.close();
    await smtp?.close();
    temp.cleanup();
  });

  async function call(url: string, path: string, session: string, body?: unknown): Promise<Reply> {
    const response = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${officeKey}`,
        'x-aquadesk-protocol': '2',
        'x-operator-session': session,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Reply;
  }
  async function until(check: () => Promise<boolean> | boolean, ms = 60_000) {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  /** The service in this process, on the same database (the killed one's heartbeat is stale after 0.5 s). */
  async function restart() {
    const mailer = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
    const app = buildServer({ db: db!, mailer, mailingJobs: { staleAfterMs: 500, heartbeatMs: 100 } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const { session } = await app.operators.signIn({ office, clientId: null }, 'senior', DEMO_OPERATOR_PASSWORD);
    return {
      url,
      session,
      status: async () => (await call(url, '/v1/mailing', session)).result!.job!,
      async close() {
        await app.close();
        mailer.close();
      },
    };
  }

  it('is interrupted by the kill, resumed after the restart, and every account gets its letter once', async () => {
    const subscribers = await db!.query<{ email: string }>(
      `SELECT s.email FROM subscriptions s JOIN accounts a ON a.id = s.account_id
        WHERE a.opened_on <= '2026-10-31' AND (a.closed_on IS NULL OR a.closed_on >= '2026-10-01')`,
    );
    expect(subscribers.length).toBeGreaterThan(40);
    if (!pgUp) {
      await db!.close(); // a PGlite folder is one process's at a time
      db = null;
    }

    // The service as it runs in production, in a process of its own.
    const env: Record<string, string | undefined> = { ...process.env, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` };
    for (const name of [
      'PUBLIC_URL',
      'AQUADESK_UTILITY',
      'SMTP_TRUST_RELAY_CERTIFICATE',
      'MAILING_DAY',
      'DATABASE_URL',
    ])
      delete env[name];
    if (pgUp) env['DATABASE_URL'] = PG_URL;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src-server/cli.ts', '--data', dataDir, '--port', '0', ...(pgUp ? ['--schema', schema] : [])],
      { env: { ...env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, signal) => resolve(signal)));
    try {
      const banner = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const url = /(http:\/\/[\d.]+:\d+)/.exec(String((await banner.next()).value))![1]!;
      const signIn = await fetch(`${url}/v1/auth/sign-in`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${officeKey}`,
          'x-aquadesk-protocol': '2',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ login: 'senior', password: DEMO_OPERATOR_PASSWORD }),
      });
      const { session } = ((await signIn.json()) as Reply).result!;
      expect((await call(url, '/v1/mailing/start', session, { period: PERIOD })).result).toMatchObject({
        state: 'running',
        period: PERIOD,
      });
      // A few letters in, the relay takes the next one whole and the service dies before its reply.
      await until(() => smtp.received.length >= 8);
      const dropped = smtp.dropNext(() => void child.kill('SIGKILL'));
      await dropped.arrived;
      expect(await exited).toBe('SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
    const crashed = smtp.received.at(-1)!;
    const beforeRestart = smtp.received.length;
    expect(beforeRestart).toBeLessThan(subscribers.length);

    if (!pgUp) db = await open(); // the lock names a process that is gone: taken over
    let service = await restart();
    try {
      await new Promise((resolve) => setTimeout(resolve, 600)); // the killed process's heartbeat goes stale
      const interrupted = await service.status();
      expect(interrupted).toMatchObject({
        state: 'interrupted',
        period: PERIOD,
        startedBy: 'senior',
        startedByName: 'Ахметов Ерлан Болатович',
        cancelled: 0,
      });
      expect(interrupted.left).toBeGreaterThan(0);
      expect((await call(service.url, '/v1/mailing/start', service.session, { period: PERIOD })).error).toMatchObject({
        details: { reason: 'mailing.interrupted' },
      });

      expect((await call(service.url, '/v1/mailing/resume', service.session, {})).result).toMatchObject({
        id: interrupted.id,
        state: 'running',
      });
      await until(async () => (await service.status()).state === 'done');
      const done = await service.status();
      expect(done).toMatchObject({ id: interrupted.id, sent: subscribers.length, failed: 0, left: 0 });
      expect(done.report).toMatchObject({ sent: subscribers.length, failed: 0, inProgress: 0 });
      expect(done.report!.duplicates.map((d) => d.messageId)).toContain(crashed.messageId);
      expect(done.report!.possibleDuplicates).toBeLessThanOrEqual(4); // at most the letters in flight (concurrency 4)

      // Every account's letter, each under one Message-ID; only letters the kill interrupted (with the relay
      // when the process died, recorded as possible duplicates) came twice.
      const possible = new Set(done.report!.duplicates.map((d) => d.messageId));
      const byId = new Map<string, ParsedMail[]>();
      for (const mail of smtp.received) byId.set(mail.messageId!, [...(byId.get(mail.messageId!) ?? []), mail]);
      expect(byId.size).toBe(subscribers.length);
      expect(new Set(smtp.received.map(recipient))).toEqual(new Set(subscribers.map((s) => s.email)));
      expect(byId.get(crashed.messageId!)).toHaveLength(2);
      for (const [id, letters] of byId) {
        expect(new Set(letters.map(recipient)).size, id).toBe(1);
        expect(letters.length, id).toBeLessThanOrEqual(possible.has(id) ? 2 : 1);
      }

      // One more restart: the supervisor still reads the job and its report.
      await service.close();
      service = await restart();
      expect(await service.status()).toMatchObject({ id: interrupted.id, state: 'done', report: done.report });
    } finally {
      await service.close();
    }
  }, 180_000);

  it('a service stopped in the ordinary way keeps its job interrupted; cancelled, a new job sends the rest once', async () => {
    const period = '2026-09';
    let service = await restart();
    try {
      const hold = smtp.holdNext();
      const before = smtp.received.length;
      expect((await call(service.url, '/v1/mailing/start', service.session, { period })).result).toMatchObject({
        state: 'running',
      });
      await hold.arrived;
      await call(service.url, '/v1/mailing/pause', service.session, {});
      hold.release();
      await service.close(); // the letter with the relay finishes and is recorded; nothing more is taken
      service = await restart();
      const stopped = await service.status();
      expect(stopped).toMatchObject({ state: 'interrupted', period, finishedAt: null });
      expect(stopped.sent).toBeLessThanOrEqual(4); // the letters in flight when it paused (concurrency 4)
      // Cancelled where it stands: what it had left is counted as not sent because of the cancel.
      expect(stopped.left).toBeGreaterThan(0);
      expect((await call(service.url, '/v1/mailing/cancel', service.session, {})).result).toMatchObject({
        id: stopped.id,
        state: 'cancelled',
        left: 0,
        cancelled: stopped.left,
        report: { cancelled: stopped.left },
      });
      expect((await call(service.url, '/v1/mailing/start', service.session, { period })).result).toMatchObject({
        state: 'running',
      });
      await until(async () => (await service.status()).state === 'done');
      const done = await service.status();
      const letters = smtp.received.slice(before);
      expect(new Set(letters.map((m) => m.messageId)).size).toBe(letters.length);
      expect(done.report).toMatchObject({ failed: 0, possibleDuplicates: 0 });
      expect(done.report!.sent + done.report!.alreadySent).toBe(letters.length);
    } finally {
      await service.close();
    }
  }, 120_000);
});
