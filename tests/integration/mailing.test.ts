// The central service's monthly mailing of the breakdown PDF: every letter received by a real SMTP
// server on 127.0.0.1, its attachment compared byte for byte with the desktop's own PDF of the same
// account-month; reruns, refused recipients, a dead relay and two runs at once never make a customer
// receive the same month twice; a send interrupted after the relay may have accepted it (a run that
// stopped mid-send, a connection or a process that died between DATA and the reply) is sent again with
// the same Message-ID and marked as a possible duplicate, so the receiver sees one Message-ID; the
// schedule (MAILING_DAY) runs it from its day on, once per month, under the delivery policy.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatementsService, type StatementsService } from '../../src-main/services/statements';
import { lockPgliteFolder, openPglite, openPostgres } from '../../src-server/db';
import { runMonthlyMailing, type MailingOptions, type MailingReport } from '../../src-server/mailing';
import { readStoredBreakdown } from '../../src-server/mailing-rows';
import { SENDING_LEASE_MS } from '../../src-shared/mail/policy';
import { createServerMailer, type ServerMailer } from '../../src-server/mailer';
import { scheduleMonthlyMailing } from '../../src-server/mailing-schedule';
import { migrateServer } from '../../src-server/schema';
import { demoOffices, seedDemo } from '../../src-server/seed';
import type { MailingJob, MailingStatus } from '../../src-shared/schemas/mailing';
import { settingsDefaults } from '../../src-shared/schemas/settings';
import { defaultRequisites, utilityFor } from '../../src-shared/schemas/utility';
import { breakdownRowsFromStored, buildBreakdown } from '../../src-shared/statements';
import { FIXTURE_SEED, FIXTURE_TODAY, openDemoCore, type DemoCore } from '../fixtures/demo';
import { PG_ABSENT, PG_URL, postgresReachable, startCentral, type Central } from '../helpers/central';
import { pdfText } from '../helpers/pdf';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { makeTempDir } from '../helpers/tmp';
import { openCore } from '../../src-main/core';

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] mailing tests on PostgreSQL: ${PG_ABSENT} (they run on PGlite only)`);

const ACCOUNTS = 150;
const MONTHS = 3; // 2026-08 … 2026-10, today 20.11.2026
const squash = (text: string) => text.replace(/\s+/g, ' ');
const attachmentOf = (mail: ParsedMail) => mail.attachments.find((a) => a.contentType === 'application/pdf');
const recipient = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : '');

interface Subscriber {
  account_id: number;
  email: string;
  number: string;
  language: string;
}

/** A port on 127.0.0.1 nothing listens on (a relay that is down). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function balanced(
  report: Pick<
    MailingReport,
    'sent' | 'failed' | 'alreadySent' | 'inProgress' | 'waiting' | 'givenUp' | 'cancelled' | 'subscribed'
  >,
) {
  expect(
    report.sent +
      report.failed +
      report.alreadySent +
      report.inProgress +
      report.waiting +
      report.givenUp +
      report.cancelled,
  ).toBe(report.subscribed);
}

/** The Message-IDs of letters, each once. */
const messageIds = (letters: ParsedMail[]) => new Set(letters.map((m) => m.messageId));

// The same tests on PGlite and, when it answers, on PostgreSQL (else reported as skipped, with the reason above).
function monthlyMailing(kind: 'pglite' | 'postgres') {
  let central: Central;
  let smtp: TestSmtp;
  let mailer: ServerMailer;
  let desktop: DemoCore;
  let statements: StatementsService;
  let subscribers: Subscriber[];
  const rejected = new Set<string>();

  beforeAll(async () => {
    [smtp, central, desktop] = await Promise.all([
      startSmtp(0, [], { rejectRecipient: (address) => rejected.has(address) }),
      startCentral(kind, { accounts: ACCOUNTS, months: MONTHS, today: FIXTURE_TODAY }),
      openDemoCore(ACCOUNTS, MONTHS),
    ]);
    mailer = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
    statements = createStatementsService(desktop.core.ctx, desktop.core.services.settings);
    const query = `SELECT s.account_id, s.email, a.number, o.language, a.owner_id
      FROM subscriptions s JOIN accounts a ON a.id = s.account_id JOIN owners o ON o.id = a.owner_id
     WHERE s.subscribed = 1 AND a.closed_on IS NULL ORDER BY s.account_id`;
    const rows = await central.db.query<Subscriber & { owner_id: number }>(query);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // One Kazakh reader and one English one (who gets Russian): in both stores, so the PDFs still match.
    for (const [row, language] of [
      [rows[0]!, 'kk'],
      [rows[1]!, 'en'],
    ] as const) {
      await central.db.query('UPDATE owners SET language = $1 WHERE id = $2', [language, row.owner_id]);
      desktop.core.db.prepare('UPDATE owners SET language = ? WHERE id = ?').run(language, row.owner_id);
    }
    subscribers = await central.db.query<Subscriber>(query);
  });
  afterAll(async () => {
    mailer?.close();
    await central?.close();
    await smtp?.close();
    desktop?.cleanup();
  });

  const run = (period: string, options: Partial<MailingOptions> = {}, via: ServerMailer = mailer) =>
    runMonthlyMailing(central.db, via, {
      period,
      now: () => central.now.value,
      concurrency: 3,
      publicUrl: central.url,
      ...options,
    });
  const lettersOf = (period: string) =>
    smtp.received.filter((m) => attachmentOf(m)?.filename?.endsWith(`_${period}.pdf`));
  const lettersTo = (period: string, s: Subscriber) =>
    lettersOf(period).filter((m) => m.subject?.includes(s.number) && recipient(m) === s.email);
  const statusOf = async (period: string) =>
    new Map(
      (
        await central.db.query<{
          account_id: number;
          status: string;
          attempts: number;
          message_id: string;
          possible_duplicate: boolean;
          next_attempt_at: Date | null;
          error_kind: string | null;
        }>(
          'SELECT account_id, status, attempts, message_id, possible_duplicate, next_attempt_at, error_kind FROM mailings WHERE period = $1',
          [period],
        )
      ).map((r) => [r.account_id, r]),
    );

  it('reads the same rows as the desktop: every account and month builds the same breakdown', async () => {
    const accounts = await central.db.query<{ id: number; opened_on: string }>(
      'SELECT id, opened_on FROM accounts ORDER BY id',
    );
    let compared = 0;
    for (const period of ['2026-08', '2026-09', '2026-10']) {
      const norm =
        (
          await central.db.query<{ litres: number }>(
            "SELECT litres_per_resident_month AS litres FROM norms WHERE service = 'water' AND valid_from <= $1 ORDER BY valid_from DESC LIMIT 1",
            [`${period}-31`],
          )
        )[0]?.litres ?? null;
      for (const account of accounts) {
        if (account.opened_on.slice(0, 7) > period) continue;
        const server = buildBreakdown(
          breakdownRowsFromStored(
            await readStoredBreakdown(central.db, account.id, period, utilityFor(defaultRequisites, 'ru'), norm),
          ),
        );
        expect(server).toEqual(statements.breakdown({ accountId: account.id, period }));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(ACCOUNTS * 2);
  });

  it('sends each subscriber one letter with the desktop’s PDF; a refused recipient fails and goes out on the next run; a rerun sends nothing', async () => {
    const period = '2026-10';
    const counts = new Map<string, number>();
    for (const s of subscribers) counts.set(s.email, (counts.get(s.email) ?? 0) + 1);
    const victim = subscribers.find((s) => s.language === 'ru' && counts.get(s.email) === 1)!;
    rejected.add(victim.email);

    const first = await run(period);
    expect(first).toMatchObject({
      period,
      subscribed: subscribers.length,
      sent: subscribers.length - 1,
      failed: 1,
      alreadySent: 0,
      inProgress: 0,
      possibleDuplicates: 0,
    });
    expect(first.failures).toEqual([
      {
        accountId: victim.account_id,
        number: victim.number,
        email: victim.email,
        error: expect.stringMatching(/refused the recipient.*550/),
        kind: 'recipientRefused',
        messageId: expect.stringMatching(/^<.+@aquadesk\.local>$/),
      },
    ]);
    expect(lettersOf(period)).toHaveLength(subscribers.length - 1);
    for (const s of subscribers) {
      const letters = lettersTo(period, s);
      expect(letters, s.number).toHaveLength(s === victim ? 0 : 1);
      if (s === victim) continue;
      const [mail] = letters as [ParsedMail];
      const pdf = attachmentOf(mail)!;
      const desktopPdf = statements.breakdownPdfBytes({ accountId: s.account_id, period });
      expect(pdf.filename).toBe(desktopPdf.fileName);
      expect(
        Buffer.compare(pdf.content, Buffer.from(desktopPdf.bytes)),
        `${s.number}: the same bytes as the desktop prints`,
      ).toBe(0);
      const text = squash(pdfText(pdf.content));
      expect(text).toContain(s.number);
      // From the utility's name in the letter's language (as the desk signs its letters), at the mailer's address.
      expect(mail.from?.value, s.number).toEqual([
        {
          name: s.language === 'kk' ? defaultRequisites.words.kk.name : defaultRequisites.words.ru.name,
          address: 'noreply@aquadesk.local',
        },
      ]);
      if (s.language === 'kk') {
        expect(text).toContain('2026 ж. қазан үшін');
        expect(mail.subject).toBe(
          `${defaultRequisites.words.kk.name}: 2026\u00a0ж. қазан үшін есептеулер, дербес шот ${s.number}`,
        );
        expect(mail.text).toContain('Сәлеметсіз бе!');
      } else {
        expect(text).toContain('за октябрь 2026 г.');
        expect(mail.subject).toBe(
          `${settingsDefaults.utility.name}: расшифровка начислений за октябрь 2026\u00a0г., лицевой счёт ${s.number}`,
        );
        expect(mail.text).toContain('Здравствуйте!');
        expect(mail.text).toContain(`К оплате: `);
      }
      expect(mail.text).toContain(central.url);
    }
    let status = await statusOf(period);
    // Refused by the relay for good (5xx): the schedule would leave it (next_attempt_at NULL); a run by hand sends it.
    expect(status.get(victim.account_id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      next_attempt_at: null,
      error_kind: 'recipientRefused',
    });
    expect([...status.values()].filter((r) => r.status === 'sent')).toHaveLength(subscribers.length - 1);

    rejected.clear();
    const second = await run(period);
    expect(second).toMatchObject({ sent: 1, failed: 0, alreadySent: subscribers.length - 1, failures: [] });
    expect(lettersTo(period, victim)).toHaveLength(1);
    status = await statusOf(period);
    expect(status.get(victim.account_id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      message_id: first.failures[0]!.messageId,
    });
    expect(lettersTo(period, victim)[0]!.messageId).toBe(first.failures[0]!.messageId);

    const third = await run(period);
    expect(third).toMatchObject({
      subscribed: subscribers.length,
      sent: 0,
      failed: 0,
      alreadySent: subscribers.length,
    });
    expect(lettersOf(period)).toHaveLength(subscribers.length);
    for (const report of [first, second, third]) balanced(report);
  });

  it('a relay that is down fails every letter; the next run sends each once', async () => {
    const period = '2026-09';
    const down = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
    try {
      const failed = await run(period, {}, down);
      expect(failed).toMatchObject({ sent: 0, failed: subscribers.length, alreadySent: 0 });
      expect(
        failed.failures.every(
          (f) => f.kind === 'connectionRefused' && /refused the connection \(ECONNREFUSED\)/.test(f.error),
        ),
      ).toBe(true);
    } finally {
      down.close();
    }
    expect(lettersOf(period)).toHaveLength(0);
    const afterDown = [...(await statusOf(period)).values()];
    // Failed, with the policy's next attempt 30 s on (the schedule waits for it; a run by hand does not).
    expect(
      afterDown.every(
        (r) =>
          r.status === 'failed' &&
          r.error_kind === 'connectionRefused' &&
          r.next_attempt_at!.getTime() === central.now.value.getTime() + 30_000,
      ),
    ).toBe(true);
    const retried = await run(period);
    expect(retried).toMatchObject({ sent: subscribers.length, failed: 0 });
    for (const s of subscribers) expect(lettersTo(period, s), s.number).toHaveLength(1);
    expect([...(await statusOf(period)).values()].every((r) => r.status === 'sent' && r.attempts === 2)).toBe(true);
  });

  it('two runs at once send each letter once; a letter a stopped run left is sent again once, with its Message-ID, as a possible duplicate', async () => {
    const period = '2026-08';
    const [stopped, busy] = subscribers as [Subscriber, Subscriber];
    const now = central.now.value.getTime();
    await central.db.query(
      "INSERT INTO mailings (period, account_id, email, status, updated_at, message_id) VALUES ($1, $2, $3, 'sending', $4, '<stopped-run@su.kz>'), ($1, $5, $6, 'sending', $7, '<busy-run@su.kz>')",
      [
        period,
        stopped.account_id,
        stopped.email,
        new Date(now - 2 * 3600_000), // a run that died two hours ago, the letter perhaps with the relay
        busy.account_id,
        busy.email,
        new Date(now - 60_000), // another run, sending right now (its claim is younger than the lease)
      ],
    );
    const [a, b] = await Promise.all([run(period, { concurrency: 2 }), run(period, { concurrency: 2 })]);
    expect(a.sent + b.sent).toBe(subscribers.length - 1);
    expect(a.failed + b.failed).toBe(0);
    expect(a.possibleDuplicates + b.possibleDuplicates).toBe(1);
    expect([...a.duplicates, ...b.duplicates]).toEqual([
      {
        accountId: stopped.account_id,
        number: stopped.number,
        email: stopped.email,
        error: expect.stringContaining('may have arrived'),
        kind: 'interrupted',
        messageId: '<stopped-run@su.kz>',
      },
    ]);
    for (const report of [a, b]) {
      balanced(report);
      expect(report.inProgress).toBeGreaterThanOrEqual(1);
    }
    for (const s of subscribers) expect(lettersTo(period, s), s.number).toHaveLength(s === busy ? 0 : 1);
    expect(lettersTo(period, stopped)[0]!.messageId).toBe('<stopped-run@su.kz>');
    expect((await statusOf(period)).get(stopped.account_id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      possible_duplicate: true,
      message_id: '<stopped-run@su.kz>',
    });

    const again = await run(period);
    expect(again).toMatchObject({ sent: 0, possibleDuplicates: 0, inProgress: 1, alreadySent: subscribers.length - 1 });
    expect(lettersTo(period, busy)).toHaveLength(0);
  });

  it('refuses a period that is not a month that is over, and writes nothing', async () => {
    for (const period of ['2026-13', '2026-1', 'октябрь', '', '2026-11', '2027-01']) {
      await expect(run(period), period).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { fields: [{ path: '' }] },
      });
    }
    const rows = await central.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM mailings WHERE period NOT IN ('2026-08', '2026-09', '2026-10')",
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('a connection that dies after the whole letter went out, before the reply: sent again with the same Message-ID, marked as a possible duplicate', async () => {
    const period = '2026-10';
    // A customer who subscribes after the month's letters went out gets the next run's only letter.
    const [late] = await central.db.query<{ id: number; number: string }>(
      `SELECT a.id, a.number FROM accounts a WHERE a.closed_on IS NULL AND a.opened_on <= '2026-10-01'
          AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = a.id AND s.subscribed = 1) ORDER BY a.id LIMIT 1`,
    );
    const email = `late.${kind}@example.kz`;
    await central.db.query(
      "INSERT INTO subscriptions (account_id, email, subscribed, updated_at) VALUES ($1, $2, 1, '2026-11-01') ON CONFLICT (account_id) DO UPDATE SET email = $2, subscribed = 1",
      [late!.id, email],
    );
    const toLate = () => lettersOf(period).filter((m) => recipient(m) === email);

    const dropped = smtp.dropNext();
    const first = await run(period);
    await dropped.arrived;
    expect(first).toMatchObject({ sent: 0, failed: 1, possibleDuplicates: 1, alreadySent: subscribers.length });
    expect(first.failures[0]).toMatchObject({ accountId: late!.id, kind: 'interrupted' });
    const row = (await statusOf(period)).get(late!.id)!;
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 1,
      possible_duplicate: true,
      error_kind: 'interrupted',
      message_id: first.failures[0]!.messageId,
    });
    expect(toLate()).toHaveLength(1); // the relay has it; we could not know

    const second = await run(period);
    expect(second).toMatchObject({ sent: 1, failed: 0, possibleDuplicates: 1 });
    expect(toLate()).toHaveLength(2);
    expect(messageIds(toLate())).toEqual(new Set([row.message_id])); // one letter to a receiver that deduplicates
    expect((await statusOf(period)).get(late!.id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      possible_duplicate: true,
    });
    expect(await run(period)).toMatchObject({ sent: 0, alreadySent: subscribers.length + 1 });
  });
}
describe('monthly mailing on pglite', () => monthlyMailing('pglite'));
describe.skipIf(!pgUp)('monthly mailing on postgres', () => monthlyMailing('postgres'));

describe('npm run server -- mailing', () => {
  const exec = promisify(execFile);
  const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
  const cli = (args: string[], extraEnv: Record<string, string> = {}) => {
    const env: Record<string, string | undefined> = { ...process.env, ...extraEnv };
    for (const name of ['DATABASE_URL', 'SMTP_URL', 'PUBLIC_URL', 'AQUADESK_UTILITY'])
      if (!(name in extraEnv)) delete env[name];
    return exec(tsx, ['src-server/cli.ts', ...args], { env, timeout: 60_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? -1,
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? '',
      }),
    );
  };
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    temp = makeTempDir();
  });
  afterAll(() => temp?.cleanup());

  it('a PGlite folder is opened by one process at a time; a lock left by a process that is gone is taken over', async () => {
    const dir = join(temp.dir, 'locked');
    mkdirSync(dir);
    const release = lockPgliteFolder(dir);
    expect(() => lockPgliteFolder(dir)).toThrow('in use by this process');
    release();
    writeFileSync(join(dir, 'aquadesk-central.lock'), '999999999'); // no such process
    lockPgliteFolder(dir)();
    expect(existsSync(join(dir, 'aquadesk-central.lock'))).toBe(false);
    // Another live process (say, the running service) holds it: refused before PGlite touches the folder.
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'PG_VERSION'), '17\n');
      writeFileSync(join(dir, 'aquadesk-central.lock'), String(other.pid));
      await expect(openPglite(dir)).rejects.toThrow(`in use by process ${other.pid}`);
      expect(readdirSync(dir).sort()).toEqual(['PG_VERSION', 'aquadesk-central.lock']);
    } finally {
      other.kill();
    }
  });

  // On PostgreSQL when it answers (PGlite takes seconds to open a folder in each process).
  it(`writes the letters as .eml into <data>/mail without SMTP, once; refuses a bad period (${pgUp ? 'postgres' : 'pglite'})`, async () => {
    const dataDir = join(temp.dir, 'central');
    const schema = `t_${process.pid}_cli`;
    const open = () => (pgUp ? openPostgres(PG_URL, { schema }) : openPglite(dataDir));
    let db = await open();
    const env: Record<string, string> = pgUp ? { DATABASE_URL: PG_URL } : {};
    const where = ['--data', dataDir, ...(pgUp ? ['--schema', schema] : [])];
    try {
      await migrateServer(db);
      await seedDemo(db, { accounts: 80, months: 2, seed: FIXTURE_SEED, today: FIXTURE_TODAY });
      const sql =
        "SELECT count(*)::int AS n FROM subscriptions s JOIN accounts a ON a.id = s.account_id WHERE s.subscribed = 1 AND a.opened_on <= '2026-10-31' AND (a.closed_on IS NULL OR a.closed_on >= '2026-10-01')";
      const expected = (await db.query<{ n: number }>(sql))[0]!.n;
      expect(expected).toBeGreaterThan(0);
      if (!pgUp) await db.close(); // one process at a time

      const [first, badPeriod] = await Promise.all([
        cli(['mailing', '--period', '2026-10', ...where], env),
        cli(['mailing', '--period', '2026-13', ...where], env),
      ]);
      expect(first.stdout).toContain(
        `Mailing 2026-10: ${expected} subscribed · ${expected} sent · 0 failed · 0 already sent`,
      );
      expect(first.code).toBe(0);
      expect(badPeriod.code).toBe(2);
      expect(badPeriod.stderr).toContain('A period is written YYYY-MM');
      const files = readdirSync(join(dataDir, 'mail'));
      expect(files).toHaveLength(expected);
      const mail = await simpleParser(readFileSync(join(dataDir, 'mail', files[0]!)));
      expect(attachmentOf(mail)?.filename).toMatch(/_2026-10\.pdf$/);

      // The rerun (in process, to keep the test short) finds every letter sent.
      if (!pgUp) db = await open();
      const folder = createServerMailer({ folder: join(dataDir, 'mail') });
      const again = await runMonthlyMailing(db, folder, { period: '2026-10', now: () => FIXTURE_TODAY });
      folder.close();
      expect(again).toMatchObject({ subscribed: expected, sent: 0, alreadySent: expected });
      expect(readdirSync(join(dataDir, 'mail'))).toHaveLength(expected);
    } finally {
      if (pgUp) await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    }
  }, 60_000);

  // A crash between SMTP DATA and the reply: the relay has taken the whole letter when the mailing's
  // process dies (SIGKILL), before it could hear the relay's answer and record it.
  it(`a run killed between DATA and the relay's reply: the next run sends that letter again with the same Message-ID, as a possible duplicate; the receiver sees one Message-ID per customer (${pgUp ? 'postgres' : 'pglite'})`, async () => {
    const dataDir = join(temp.dir, 'crash');
    const schema = `t_${process.pid}_crash`;
    const open = () => (pgUp ? openPostgres(PG_URL, { schema }) : openPglite(dataDir));
    const smtp = await startSmtp();
    let db = await open();
    const where = ['--data', dataDir, ...(pgUp ? ['--schema', schema] : [])];
    const env: Record<string, string | undefined> = {
      ...process.env,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      DATABASE_URL: pgUp ? PG_URL : undefined,
    };
    for (const name of ['PUBLIC_URL', 'AQUADESK_UTILITY', 'SMTP_TRUST_RELAY_CERTIFICATE']) delete env[name];
    if (!pgUp) delete env['DATABASE_URL'];
    const mailer = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
    let closed = false;
    try {
      await migrateServer(db);
      await seedDemo(db, { accounts: 40, months: 2, seed: FIXTURE_SEED, today: FIXTURE_TODAY });
      if (!pgUp) {
        await db.close(); // one process at a time
        closed = true;
      }

      // node itself, not the tsx wrapper: SIGKILL must reach the process that talks to the relay.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src-server/cli.ts', 'mailing', '--period', '2026-10', ...where],
        { env, stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      const dropped = smtp.dropNext(async () => {
        child.kill('SIGKILL');
        await exited;
      });
      await dropped.arrived;
      expect(await exited).toBe('SIGKILL');
      const [crashed] = smtp.received as [ParsedMail];
      expect(crashed.messageId).toMatch(/^<.+@aquadesk\.local>$/);

      if (!pgUp) {
        db = await open(); // its lock file names a process that is gone: taken over
        closed = false;
      }
      const claims = await db.query<{ account_id: number; email: string; message_id: string }>(
        "SELECT account_id, email, message_id FROM mailings WHERE period = '2026-10' AND status = 'sending'",
      );
      const victim = claims.find((c) => c.message_id === crashed.messageId)!;
      expect(victim, 'the dropped letter is still claimed by the dead run').toBeTruthy();

      // Within the lease the claim may still be a live run's: left alone.
      const early = await runMonthlyMailing(db, mailer, { period: '2026-10' });
      expect(early.inProgress).toBe(claims.length);
      expect(smtp.received.filter((m) => m.messageId === crashed.messageId)).toHaveLength(1);

      // Past the lease it is an interrupted attempt: sent again, with its Message-ID.
      const later = new Date(Date.now() + SENDING_LEASE_MS + 60_000);
      const rerun = await runMonthlyMailing(db, mailer, { period: '2026-10', now: () => later });
      expect(rerun).toMatchObject({ failed: 0, inProgress: 0, possibleDuplicates: claims.length });
      expect(rerun.duplicates.map((d) => d.messageId).sort()).toEqual(claims.map((c) => c.message_id).sort());
      const again = smtp.received.filter((m) => m.messageId === crashed.messageId);
      expect(again).toHaveLength(2);
      expect(again.map(recipient)).toEqual([victim.email, victim.email]);
      const [row] = await db.query<{ status: string; possible_duplicate: boolean; attempts: number }>(
        "SELECT status, possible_duplicate, attempts FROM mailings WHERE period = '2026-10' AND account_id = $1",
        [victim.account_id],
      );
      expect(row).toEqual({ status: 'sent', possible_duplicate: true, attempts: 2 });
      // Every customer has this month's letter, each under one Message-ID however often it came.
      const rows = await db.query<{ email: string; message_id: string; status: string }>(
        "SELECT email, message_id, status FROM mailings WHERE period = '2026-10'",
      );
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      for (const r of rows) {
        const letters = smtp.received.filter((m) => m.messageId === r.message_id);
        expect(letters.length, r.email).toBeGreaterThanOrEqual(1);
        expect(new Set(letters.map(recipient)), r.email).toEqual(new Set([r.email]));
      }
      expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(rows.length);
    } finally {
      mailer.close();
      await smtp.close();
      if (pgUp) await db.query(`DROP SCHEMA ${schema} CASCADE`);
      if (!closed) await db.close();
    }
  }, 90_000);
});

describe('the mailing on its own schedule (MAILING_DAY)', () => {
  let central: Central;
  let smtp: TestSmtp;
  let mailer: ServerMailer;
  /** address → the relay's reply code at RCPT TO */
  const rejected = new Map<string, number>();
  const clock = { value: new Date('2026-11-03T06:00:00Z') }; // 3 November in Almaty

  beforeAll(async () => {
    [smtp, central] = await Promise.all([
      startSmtp(0, [], { rejectRecipient: (address) => rejected.get(address) ?? false }),
      startCentral('pglite', { accounts: 60, months: 2, today: FIXTURE_TODAY }),
    ]);
    mailer = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  });
  afterAll(async () => {
    mailer?.close();
    await central?.close();
    await smtp?.close();
  });

  it('mails the previous month from the set day, once; a letter the relay asked to retry goes out at a later look, one refused for good waits for a run by hand; a stopped schedule does nothing', async () => {
    const subscribers = await central.db.query<{ email: string }>(
      "SELECT s.email FROM subscriptions s JOIN accounts a ON a.id = s.account_id WHERE s.subscribed = 1 AND a.opened_on <= '2026-10-31' AND (a.closed_on IS NULL OR a.closed_on >= '2026-10-01') ORDER BY s.account_id",
    );
    expect(subscribers.length).toBeGreaterThan(2);
    const single = subscribers
      .filter((s) => subscribers.filter((o) => o.email === s.email).length === 1)
      .map((s) => s.email);
    const [later, refused] = single as [string, string];
    rejected.set(later, 451); // try again later
    rejected.set(refused, 550); // no such mailbox: permanent
    const reports: MailingReport[] = [];
    const schedule = scheduleMonthlyMailing(central.db, mailer, {
      day: 5,
      now: () => clock.value,
      manual: true,
      onReport: (r) => reports.push(r),
    });
    const october = () => smtp.received.filter((m) => attachmentOf(m)?.filename?.endsWith('_2026-10.pdf'));

    expect(await schedule.check()).toBeNull(); // the 3rd: not yet
    expect(smtp.received).toHaveLength(0);

    clock.value = new Date('2026-11-05T03:00:00Z'); // the 5th, 08:00 in Almaty
    const [first, meanwhile] = await Promise.all([schedule.check(), schedule.check()]);
    expect(meanwhile).toBeNull(); // a look while a run is going sends nothing of its own
    expect(first).toMatchObject({
      period: '2026-10',
      subscribed: subscribers.length,
      sent: subscribers.length - 2,
      failed: 2,
    });
    expect(Object.fromEntries(first!.failures.map((f) => [f.email, f.kind]))).toEqual({
      [later]: 'relayBusy',
      [refused]: 'recipientRefused',
    });
    expect(october()).toHaveLength(subscribers.length - 2);

    // 10 s later the retry is not due yet (the policy waits 30 s after a first failure).
    rejected.delete(later);
    clock.value = new Date('2026-11-05T03:00:10Z');
    expect(await schedule.check()).toMatchObject({ sent: 0, failed: 0, waiting: 1, givenUp: 1 });

    // The next look sends the letter the relay asked to retry; the refused one is left: the month is done.
    clock.value = new Date('2026-11-05T04:00:00Z');
    expect(await schedule.check()).toMatchObject({
      period: '2026-10',
      sent: 1,
      failed: 0,
      waiting: 0,
      givenUp: 1,
      alreadySent: subscribers.length - 2,
    });
    clock.value = new Date('2026-11-06T04:00:00Z');
    expect(await schedule.check()).toBeNull();
    expect(october()).toHaveLength(subscribers.length - 1);
    expect(reports).toHaveLength(3);

    // A run by hand sends the one refused for good, once its address is right.
    rejected.clear();
    expect(await runMonthlyMailing(central.db, mailer, { period: '2026-10', now: () => clock.value })).toMatchObject({
      sent: 1,
      failed: 0,
      alreadySent: subscribers.length - 1,
    });
    expect(october()).toHaveLength(subscribers.length);
    expect(new Set(october().map(recipient)).size).toBe(new Set(subscribers.map((s) => s.email)).size);

    await schedule.stop();
    clock.value = new Date('2026-12-07T04:00:00Z');
    expect(await schedule.check()).toBeNull();
  });
});

// The mailing as a supervised job (issue 19.5): started from the desk by a supervisor for the office's
// districts, paused, resumed and cancelled through the service's API; a hand run at the same time
// shares the per-account claims, so every letter still goes out once.
describe('the mailing as a job started from the desk (PGlite)', () => {
  let central: Central;
  let smtp: TestSmtp;
  let mailer: ServerMailer;
  const SUPERVISOR = 6;
  const COUNTER = 2;

  beforeAll(async () => {
    smtp = await startSmtp(0);
    central = await startCentral('pglite', {
      accounts: ACCOUNTS,
      months: MONTHS,
      today: FIXTURE_TODAY,
      smtpPort: smtp.port,
      offices: demoOffices(2),
      mailing: { concurrency: 1 },
    });
    mailer = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  });
  afterAll(async () => {
    mailer?.close();
    await central?.close();
    await smtp?.close();
  });

  const office = () => central.offices[0]!;
  async function call(
    operatorId: number,
    path: string,
    body?: unknown,
  ): Promise<{
    status: number;
    body: { ok: boolean; result?: MailingJob & MailingStatus; error?: { code: string; details?: { reason?: string } } };
  }> {
    const response = await fetch(`${central.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${central.officeKey}`,
        'x-aquadesk-protocol': '2',
        'x-operator-session': await central.sessionOf(operatorId),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as never };
  }
  const status = async () => (await call(SUPERVISOR, '/v1/mailing')).body.result!.job!;
  async function until(check: () => Promise<boolean>, ms = 20_000) {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const inScope = (period: string) =>
    central.db.query<{ number: string; email: string }>(
      `SELECT a.number, s.email FROM subscriptions s JOIN accounts a ON a.id = s.account_id
        WHERE s.subscribed = 1 AND a.opened_on <= $2 AND (a.closed_on IS NULL OR a.closed_on >= $1) AND a.district_id = ANY($3::bigint[]) ORDER BY a.id`,
      [`${period}-01`, `${period}-31`, office().districtIds],
    );
  const lettersOf = (period: string) =>
    smtp.received.filter((m) => attachmentOf(m)?.filename?.endsWith(`_${period}.pdf`));

  it('paused and resumed, with a hand run at the same time, sends each letter of the office’s districts once', async () => {
    const period = '2026-10';
    const expected = await inScope(period);
    expect(expected.length).toBeGreaterThan(5);
    const hold = smtp.holdNext();
    const started = await call(SUPERVISOR, '/v1/mailing/start', { period });
    expect(started.status).toBe(200);
    // Answered with its letters counted: the screen has the total and what is left from the start.
    expect(started.body.result).toMatchObject({
      period,
      state: 'running',
      districtIds: office().districtIds,
      startedBy: 'senior',
      startedByName: 'Ахметов Ерлан Болатович',
      total: expected.length,
      left: expected.length,
      sent: 0,
    });
    expect((await call(SUPERVISOR, '/v1/mailing/start', { period })).body.error).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'mailing.alreadyRunning' },
    });

    await hold.arrived;
    expect((await call(SUPERVISOR, '/v1/mailing/pause', {})).body.result).toMatchObject({ state: 'paused' });
    hold.release();
    await until(async () => (await status()).sent === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const paused = await status();
    expect(paused).toMatchObject({
      state: 'paused',
      sent: 1,
      failed: 0,
      total: expected.length,
      left: expected.length - 1,
    });
    expect(lettersOf(period)).toHaveLength(1); // nothing taken while paused

    // Resumed, while a hand run of the same districts goes at once: the claims share the letters out.
    expect((await call(SUPERVISOR, '/v1/mailing/resume', {})).body.result).toMatchObject({ state: 'running' });
    const [hand, job] = await Promise.all([
      runMonthlyMailing(central.db, mailer, {
        period,
        now: () => central.now.value,
        concurrency: 2,
        districtIds: office().districtIds,
      }),
      until(async () => (await status()).state === 'done').then(status),
    ]);
    expect(job.report!.failed + hand.failed).toBe(0);
    expect(job.report!.sent + hand.sent).toBe(expected.length);
    expect(job).toMatchObject({ left: 0, secondsLeft: null });
    expect(job.ratePerSecond).toBeGreaterThan(0);
    const letters = lettersOf(period);
    expect(letters).toHaveLength(expected.length);
    expect(messageIds(letters).size).toBe(expected.length);
    for (const s of expected)
      expect(letters.filter((m) => m.subject?.includes(s.number) && recipient(m) === s.email)).toHaveLength(1);
    // A second job for the month sends nothing more.
    await call(SUPERVISOR, '/v1/mailing/start', { period });
    const again = await central.mailingJobs.settled(office());
    expect(again!.report).toMatchObject({ sent: 0, failed: 0, alreadySent: expected.length });
    expect(lettersOf(period)).toHaveLength(expected.length);
  });

  it('cancel stops taking letters and ends with the report of what was sent and who the cancel left without the letter; a new job sends those once', async () => {
    const period = '2026-09';
    const expected = await inScope(period);
    const hold = smtp.holdNext();
    expect((await call(SUPERVISOR, '/v1/mailing/start', { period })).status).toBe(200);
    await hold.arrived;
    const cancelling = call(SUPERVISOR, '/v1/mailing/cancel', {});
    await until(async () => (await status()).state === 'cancelling');
    hold.release(); // the letter with the relay finishes and is recorded
    const cancelled = (await cancelling).body.result!;
    const untaken = expected.length - 1;
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      total: expected.length,
      sent: 1,
      left: 0,
      cancelled: untaken,
      report: { period, sent: 1, failed: 0, cancelled: untaken, subscribed: expected.length },
    });
    balanced(cancelled.report!);
    // Who they are: every untaken letter of the office's districts (all of them here, fewer than 100).
    expect(untaken).toBeLessThan(100);
    const got = (s: { number: string; email: string }) =>
      lettersOf(period).filter((m) => m.subject?.includes(s.number) && recipient(m) === s.email);
    expect(cancelled.report!.cancelledLetters.map((c) => c.number).sort()).toEqual(
      expected
        .filter((s) => got(s).length === 0)
        .map((s) => s.number)
        .sort(),
    );
    expect(cancelled.finishedAt).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lettersOf(period)).toHaveLength(1);
    expect(await status()).toMatchObject({ state: 'cancelled', cancelled: untaken, left: 0 });
    expect((await call(SUPERVISOR, '/v1/mailing/pause', {})).body.error).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'mailing.notRunning' },
    });

    // The month started again: the letters the cancel left go out, each once.
    expect((await call(SUPERVISOR, '/v1/mailing/start', { period })).body.result).toMatchObject({
      total: untaken,
      left: untaken,
    });
    const again = (await central.mailingJobs.settled(office()))!;
    expect(again).toMatchObject({ state: 'done', sent: untaken, cancelled: 0 });
    expect(again.report).toMatchObject({ sent: untaken, alreadySent: 1, failed: 0, cancelled: 0 });
    const letters = lettersOf(period);
    expect(letters).toHaveLength(expected.length);
    for (const s of expected) expect(got(s), s.number).toHaveLength(1);
  });

  it('on a desk without the service, every mailing operation says the service is needed (mailing.offline)', async () => {
    const temp = makeTempDir();
    const core = openCore({ dataDir: temp.dir, shell: 'web' });
    try {
      for (const name of [
        'mailing.start',
        'mailing.status',
        'mailing.pause',
        'mailing.resume',
        'mailing.cancel',
      ] as const) {
        const outcome = await core.services.dispatch(name, {});
        expect(outcome, name).toMatchObject({
          ok: false,
          error: { code: 'UNAVAILABLE', details: { reason: 'mailing.offline' } },
        });
      }
    } finally {
      core.close();
      temp.cleanup();
    }
  });

  it('a counter operator can neither start nor watch it', async () => {
    const before = await status();
    const refused = await call(COUNTER, '/v1/mailing/start', { period: '2026-08' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'auth.role' } });
    expect((await call(COUNTER, '/v1/mailing')).status).toBe(403);
    expect((await call(COUNTER, '/v1/mailing/cancel', {})).status).toBe(403);
    expect((await status()).id).toBe(before.id);
    expect(lettersOf('2026-08')).toHaveLength(0);
  });
});
