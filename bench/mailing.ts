// `npm run bench -- mailing [--accounts N] [--concurrency C] [--runs R] [--db postgres|pglite]`: the monthly mailing's
// throughput to a real SMTP server on 127.0.0.1 (smtp-server in a process of its own, as a relay is:
// it takes every letter whole and counts it) against the floor of the same run: the same letters of the same period —
// rows read, claims taken and settled, PDFs rendered — handed to a mailer that sends nothing. Floor
// and real runs alternate (the period's claims cleared between runs) so load on the machine hits both
// alike. Issue 19.5 asks ≥ 20 letters/s to the local relay. The database is PostgreSQL on 127.0.0.1
// (TEST_DATABASE_URL) when it answers, as the service runs in production, else embedded PGlite (whose
// queries take the mailing's own thread); --db chooses.
import { spawn } from 'node:child_process';
import { once as eventOnce } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createServerMailer, type ServerMailer } from '../src-server/mailer';
import { DEFAULT_MAILING_CONCURRENCY, runMonthlyMailing } from '../src-server/mailing';
import { postgresReachable, startCentral } from '../tests/helpers/central';

// The relay: accepts every letter (reads its data to the end) and prints the count on each line of stdin.
const RELAY = `
const { SMTPServer } = require('smtp-server');
let received = 0;
const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], onData(stream, _s, done) { stream.on('data', () => {}); stream.on('end', () => { received++; done(); }); } });
server.listen(0, '127.0.0.1', () => console.log(server.server.address().port));
process.stdin.on('data', () => console.log(received));
`;

async function startRelay() {
  const child = spawn(process.execPath, ['-e', RELAY], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => Number((await lines.next()).value);
  const port = await next();
  return {
    port,
    async received() {
      child.stdin!.write('\n');
      return next();
    },
    async close() {
      child.kill();
      await eventOnce(child, 'exit');
    },
  };
}
import type { BenchResult } from './report';

const option = (args: string[], name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const PERIOD = '2026-10';
const TODAY = new Date('2026-11-20T06:00:00Z');

export async function run(args: string[]): Promise<BenchResult[]> {
  const accounts = option(args, '--accounts', 600);
  const concurrency = option(args, '--concurrency', DEFAULT_MAILING_CONCURRENCY);
  const runs = option(args, '--runs', 3);
  const at = args.indexOf('--db');
  const kind =
    at >= 0 ? (args[at + 1] === 'pglite' ? 'pglite' : 'postgres') : (await postgresReachable()) ? 'postgres' : 'pglite';
  const [central, smtp] = await Promise.all([startCentral(kind, { accounts, months: 2, today: TODAY }), startRelay()]);
  // Every open account subscribed (with an address), so the run is as large as the demo allows.
  await central.db
    .query(
      `INSERT INTO subscriptions (account_id, subscribed, email)
       SELECT a.id, 1, 'bench' || a.id || '@example.kz' FROM accounts a
        WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = a.id)`,
    )
    .catch(() => undefined);
  await central.db.query(
    "UPDATE subscriptions SET subscribed = 1, email = coalesce(nullif(email, ''), 'bench' || account_id || '@example.kz')",
  );
  const relay = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  const nowhere: ServerMailer = { from: relay.from, send: async () => undefined, close: () => undefined };
  const once = async (mailer: ServerMailer) => {
    await central.db.query('DELETE FROM mailings WHERE period = $1', [PERIOD]);
    const started = performance.now();
    const report = await runMonthlyMailing(central.db, mailer, { period: PERIOD, now: () => TODAY, concurrency });
    const seconds = (performance.now() - started) / 1000;
    if (report.failed) throw new Error(`${report.failed} letters failed: ${report.failures[0]?.error}`);
    return { letters: report.sent, seconds };
  };
  try {
    await once(nowhere); // warm-up: fonts, JIT, the database's caches
    const sent: { letters: number; seconds: number }[] = [];
    const floor: { letters: number; seconds: number }[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(await once(nowhere));
      const before = await smtp.received();
      sent.push(await once(relay));
      if ((await smtp.received()) - before !== sent.at(-1)!.letters)
        throw new Error('the relay did not receive every letter');
    }
    const rate = (list: { letters: number; seconds: number }[]) =>
      list.reduce((n, r) => n + r.letters, 0) / list.reduce((s, r) => s + r.seconds, 0);
    const params = { accounts, letters: sent[0]!.letters, runs, concurrency, period: PERIOD, db: kind };
    const toSmtp = rate(sent);
    const rendered = rate(floor);
    return [
      {
        name: 'mailing.smtp',
        metric: 'lettersPerSecond',
        value: Number(toSmtp.toFixed(1)),
        params: { ...params, goal: 20 },
      },
      { name: 'floor.renderOnly', metric: 'lettersPerSecond', value: Number(rendered.toFixed(1)), params },
      { name: 'mailing.smtp', metric: 'ofFloor', value: Number((toSmtp / rendered).toFixed(2)), params },
    ];
  } finally {
    relay.close();
    await central.close();
    await smtp.close();
  }
}
