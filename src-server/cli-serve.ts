// `npm run server -- [--data DIR] [--demo N] [--port PORT]`: the central service itself — the demo
// seeded on first start (its keys shown once), the app listening, the monthly mailing on its day, and
// a clean stop on SIGINT/SIGTERM. A command module of cli.ts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildServer } from './app';
import { formatMailingReport, utilityFromFile } from './mailing';
import { parseMailingDay, scheduleMonthlyMailing, type MailingSchedule } from './mailing-schedule';
import { scopeId } from './pull';
import { demoOffices, seedDemo, seedFromFile } from './seed';
import { registerClient } from './offices';
import { dataDirOf, fail, mailerFor, openDb } from './cli-common';

export async function serve(values: {
  data?: string;
  demo?: string;
  offices?: string;
  'seed-from'?: string;
  'seed-wait'?: boolean;
  schema?: string;
  port?: string;
  host?: string;
}) {
  const demo = Number(values.demo ?? 0);
  const port = Number(values.port ?? 8787);
  if (!Number.isInteger(demo) || demo < 0 || demo > 2_000_000) fail('--demo must be a whole number from 0 to 2000000');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be a port number');
  let mailingDay: number | null = null;
  try {
    mailingDay = parseMailingDay(process.env['MAILING_DAY']);
  } catch (error) {
    fail((error as Error).message);
  }
  const dataDir = dataDirOf(values.data);
  const db = await openDb(dataDir, values.schema);
  // Keys are shown once, when made (the service keeps only their hashes): here, when a demo is seeded.
  const empty = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM offices'))[0]!.n === 0;
  let officeKey: string | undefined;
  let officeScope = '';
  let deskToken = '';
  if (empty && (values['seed-from'] || demo > 0)) {
    const officeCount = Number(values.offices ?? 1);
    if (!Number.isInteger(officeCount) || officeCount < 1 || officeCount > 8)
      fail('--offices must be a whole number from 1 to 8');
    const seedFile = values['seed-from'] ? resolve(values['seed-from']) : null;
    if (seedFile && values['seed-wait']) while (!existsSync(seedFile)) await new Promise((r) => setTimeout(r, 100));
    process.stderr.write(seedFile ? `Seeding from ${values['seed-from']}…\n` : `Seeding ${demo} demo accounts…\n`);
    // Progress as whole lines (readable in a log or a pipe, as npm run web relays them): every 10 %.
    const started = performance.now();
    let tenths = 0;
    const onProgress = (_table: string, rows: number, total: number) => {
      const now = total ? Math.floor((rows * 10) / total) : 10;
      if (now > tenths && now < 10) process.stderr.write(`Seeding: ${now * 10}% (${rows} of ${total} rows)\n`);
      tenths = Math.max(tenths, now);
    };
    const offices = demoOffices(officeCount);
    const seeded = seedFile
      ? await seedFromFile(db, seedFile, { offices, onProgress })
      : await seedDemo(db, { accounts: demo, offices, onProgress });
    process.stderr.write(`Seeded ${seeded.rows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    officeKey = seeded.officeKey;
    const first = {
      id: seeded.offices[0]!.id,
      name: seeded.offices[0]!.name,
      districtIds: seeded.offices[0]!.districtIds,
    };
    officeScope = scopeId(first);
    if (values['seed-from']) {
      // The desk whose demo file this is: its demo operators have offline verifiers there (as if they
      // had signed in at that PC before), so the service records them at that desk too.
      const desk = await registerClient(db, first, { firstSeq: 1, reason: 'first' });
      await db.query(
        'INSERT INTO client_operators (client_id, operator_id) SELECT $1, id FROM operators WHERE office_id IS NULL OR office_id = $2',
        [desk.clientId, first.id],
      );
      deskToken = desk.token;
    }
    for (const office of seeded.offices.slice(1))
      process.stderr.write(
        `office ${office.name} (districts ${office.districtIds?.join(',') ?? 'all'}): key ${office.key}\n`,
      );
  }
  const version = (await db.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]?.v ?? 0;
  const mailer = mailerFor(dataDir);
  let address = '';
  const publicUrl = process.env['PUBLIC_URL'] || undefined;
  const app = buildServer({
    db,
    logger: { level: process.env['LOG_LEVEL'] ?? 'info' },
    mailer,
    publicUrl: () => publicUrl ?? address,
    mailing: {
      utility: utilityFromFile(process.env['AQUADESK_UTILITY'] || undefined),
      minLetterMs: Number(process.env['MAILING_MIN_LETTER_MS'] ?? 0) || 0,
    },
  });
  address = await app.listen({ port, host: values.host ?? '127.0.0.1' });
  process.stdout.write(
    `AquaDesk central service: ${address} (${db.kind})${officeKey ? ` · office key ${officeKey} · scope ${officeScope}${deskToken ? ` · desk ${deskToken}` : ''}` : ''} · version ${version}\n`,
  );
  let schedule: MailingSchedule | null = null;
  if (mailingDay !== null) {
    const utility = utilityFromFile(process.env['AQUADESK_UTILITY'] || undefined);
    schedule = scheduleMonthlyMailing(db, mailer, {
      day: mailingDay,
      mailing: { utility, publicUrl: publicUrl ?? address },
      onReport: (report) =>
        app.log[report.failed + report.givenUp + report.possibleDuplicates > 0 ? 'warn' : 'info'](
          {
            mailing: { ...report, failures: report.failures.slice(0, 20), duplicates: report.duplicates.slice(0, 20) },
          },
          formatMailingReport(report),
        ),
      onError: (error) => app.log.error({ err: error }, 'the monthly mailing could not run'),
    });
  }
  const stop = async () => {
    await schedule?.stop(); // a mailing in progress takes no more letters
    await app.close(); // finishes requests in flight
    mailer.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
