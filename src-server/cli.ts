// `npm run server -- [--data DIR] [--demo N] [--port PORT]`: the central service. With DATABASE_URL it
// uses PostgreSQL, else an embedded PGlite in DIR (default ~/.aquadesk-central). On first start with
// --demo it seeds the deterministic demo city and prints the demo office's key.
// `npm run server -- mailing [--period YYYY-MM]`: the monthly mailing of the breakdown PDFs, by hand.
// `npm run server -- office add|list|revoke|districts …`: the utility's offices (see USAGE).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from './app';
import { AppError } from '../src-shared/errors';
import { defaultBreakdownPeriod } from '../src-shared/statements';
import { openServerDb, type ServerDb } from './db';
import { createServerMailer, parseTrustRelayCertificate } from './mailer';
import { formatMailingReport, parseMailingPeriod, runMonthlyMailing, utilityFromFile } from './mailing';
import { parseMailingDay, scheduleMonthlyMailing, type MailingSchedule } from './mailing-schedule';
import { migrateServer } from './schema';
import { scopeId } from './pull';
import { demoOffices, seedDemo, seedFromFile } from './seed';
import { registerClient } from './offices';
import { createEnrolment, listDesks, revokeDesk } from './desks';
import { addOffice, listOffices, parseDistrictList, revokeOffice, setOfficeDistricts } from './office-admin';

const USAGE = `Usage: npm run server -- [--data DIR] [--demo N] [--offices N] [--port PORT]
       npm run server -- mailing [--period YYYY-MM] [--data DIR]
       npm run server -- office add --name NAME [--districts 1,2] [--data DIR]
       npm run server -- office list [--data DIR]
       npm run server -- office enroll KEY [--data DIR]
       npm run server -- office revoke-desk DESK_ID [--data DIR]
       npm run server -- office revoke KEY [--data DIR]
       npm run server -- office districts KEY 1,3|all [--data DIR]
  DATABASE_URL  PostgreSQL connection string (without it: embedded PGlite in --data)
  SMTP_URL      outgoing mail, e.g. smtp://user:pass@relay:587 (without it: .eml files in DIR/mail)
  SMTP_TRUST_RELAY_CERTIFICATE  1: accept the relay's own (self-signed) certificate unchecked; unset or 0:
                refuse a certificate the system does not trust (as the desk does by default)
  MAIL_FROM     the letters' sender (default AquaDesk <noreply@aquadesk.local>)
  PUBLIC_URL    base URL of the customer pages in letters (default: the address the service listens on)
  AQUADESK_UTILITY  JSON file with the requisites printed until an administrator sets them from a desk
                    (src-shared/schemas/utility.ts, or the one-language form; default: the built-in ones)
  MAILING_DAY   1–28: from this day of each month (Asia/Almaty) the service mails the previous month's
                breakdowns by itself, checking hourly; unset: only by hand (npm run server -- mailing)
  --data DIR    PGlite data folder, and the mail folder's parent (default ~/.aquadesk-central)
  --demo N      seed N demo accounts with 24 months of history when the database is empty (default 0)
  --offices N   with --demo: N offices sharing the city's districts (default 1, the whole city)
  --seed-from F seed from an existing demo database file instead (what npm run web does)
  --seed-wait   with --seed-from: open the database first and wait for F to appear (npm run web
                starts the service while it generates the desk's demo file, renamed into place whole)
  --port PORT   port on 127.0.0.1 (default 8787; 0 = any free port)
  --host HOST   address to listen on (default 127.0.0.1)
  --schema S    PostgreSQL schema to work in (tests and benchmarks keep apart this way)
mailing: sends every subscribed customer the breakdown of --period (default: the previous month in
  Asia/Almaty) once; a rerun sends only what failed, each letter with its one Message-ID. A letter a
  stopped run left with delivery unknown is sent again with that Message-ID and reported as a possible
  duplicate. Exit code 0 when nothing failed, 1 otherwise.
office: the offices of the utility, each limited to its districts (none given: the whole city).
  add prints the new office's key alone on its last line: give it to the office's desks (Settings →
  central service); the service keeps only its hash. enroll prints a one-time code for one new desk of
  the office (valid 24 hours, used once): typed on the desk's first-run screen with this service's
  address, it gives that PC credentials of its own, so the office key never goes to a desk. list shows
  each office and its desks (id, name, since, last seen, revoked); revoke-desk refuses one desk from
  its next request (nothing on it is lost; it says it was disconnected). revoke refuses the key and
  every desk of the office at their next request; districts changes what the office sees (its desks
  pull it anew).
  With PGlite (no DATABASE_URL), stop the service first: one process per folder.`;

let doing = 'start';

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function mailerFor(dataDir: string) {
  return createServerMailer({
    smtpUrl: process.env['SMTP_URL'] || undefined,
    folder: join(dataDir, 'mail'),
    from: process.env['MAIL_FROM'] || undefined,
    trustRelayCertificate: parseTrustRelayCertificate(process.env['SMTP_TRUST_RELAY_CERTIFICATE']),
  });
}

async function openDb(dataDir: string, schema: string | undefined): Promise<ServerDb> {
  const url = process.env['DATABASE_URL'];
  const db = await openServerDb({ url, schema: url ? schema : undefined, dataDir: url ? undefined : dataDir });
  try {
    await migrateServer(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

async function mailing(values: { data?: string; schema?: string; period?: string }): Promise<number> {
  const dataDir = resolve(values.data ?? join(homedir(), '.aquadesk-central'));
  const period = parseMailingPeriod(values.period ?? defaultBreakdownPeriod(new Date()), new Date()); // refused before anything opens
  const utility = utilityFromFile(process.env['AQUADESK_UTILITY'] || undefined);
  const db = await openDb(dataDir, values.schema);
  const mailer = mailerFor(dataDir);
  try {
    const interactive = process.stderr.isTTY;
    const report = await runMonthlyMailing(db, mailer, {
      period,
      utility,
      publicUrl: process.env['PUBLIC_URL'] || undefined,
      onProgress: interactive ? (done, total) => process.stderr.write(`\r${done} / ${total}`) : undefined,
    });
    if (interactive && report.subscribed > 0) process.stderr.write('\n');
    process.stdout.write(`${formatMailingReport(report)}\n`);
    if (!process.env['SMTP_URL'] && report.sent > 0)
      process.stdout.write(`No SMTP_URL: the letters are in ${join(dataDir, 'mail')}\n`);
    return report.failed > 0 ? 1 : 0;
  } finally {
    mailer.close();
    await db.close();
  }
}

async function office(
  args: string[],
  values: { data?: string; schema?: string; name?: string; districts?: string },
): Promise<number> {
  const [action, ...rest] = args;
  const dataDir = resolve(values.data ?? join(homedir(), '.aquadesk-central'));
  const need = (n: number, usage: string) => {
    if (rest.length !== n) fail(`office ${action} takes ${usage}`);
  };
  if (action === 'add') need(0, '--name NAME [--districts 1,2]');
  else if (action === 'list') need(0, 'nothing more');
  else if (action === 'enroll') need(1, 'the office key');
  else if (action === 'revoke-desk') need(1, 'the desk id (as office list shows it)');
  else if (action === 'revoke') need(1, 'the office key');
  else if (action === 'districts') need(2, 'the office key and the districts (1,3 or all)');
  else fail(`Unknown office command: ${action ?? ''}`);
  if (action === 'add' && !values.name) fail('office add needs --name NAME');
  const districtIds =
    action === 'add'
      ? values.districts
        ? parseDistrictList(values.districts)
        : null
      : action === 'districts'
        ? parseDistrictList(rest[1]!)
        : null;
  const db = await openDb(dataDir, values.schema);
  try {
    const show = (o: { id: number; name: string; districtIds: number[] | null }) =>
      `#${o.id} ${o.name} · districts ${o.districtIds?.join(',') ?? 'all'}`;
    if (action === 'add') {
      const { office: made, key } = await addOffice(db, { name: values.name!, districtIds });
      process.stdout.write(`Office ${show(made)}. Its key (shown once; the service keeps only its hash):\n${key}\n`);
    } else if (action === 'list') {
      const offices = await listOffices(db);
      if (!offices.length)
        process.stdout.write('No offices yet: npm run server -- office add --name NAME --districts 1,2\n');
      for (const o of offices) {
        process.stdout.write(
          `${show(o)} · key ${o.keyHint}… · desks ${o.desks} · since ${o.createdAt.slice(0, 10)}${o.revokedAt ? ` · REVOKED ${o.revokedAt.slice(0, 16)}` : ''}\n`,
        );
        for (const d of await listDesks(db, o.id)) {
          process.stdout.write(
            `  desk ${d.clientId}${d.label ? ` «${d.label}»` : ''} · ${d.enrolled ? 'enrolled' : 'by key'} ${d.registeredAt.slice(0, 16)} · seen ${d.seenAt?.slice(0, 16) ?? 'never'}${d.revokedAt ? ` · REVOKED ${d.revokedAt.slice(0, 16)}` : ''}\n`,
          );
        }
      }
    } else if (action === 'enroll') {
      const made = await createEnrolment(db, rest[0]!);
      process.stdout.write(
        `Enrolment code for one desk of ${show(made.office)}, valid until ${made.expiresAt.slice(0, 16)}Z, used once:\n${made.code}\n`,
      );
    } else if (action === 'revoke-desk') {
      const desk = await revokeDesk(db, rest[0]!);
      process.stdout.write(
        `Revoked desk ${desk.clientId}${desk.label ? ` «${desk.label}»` : ''}: it is refused from its next request.\n`,
      );
    } else if (action === 'revoke') {
      process.stdout.write(
        `Revoked: ${show(await revokeOffice(db, rest[0]!))}. Its desks are refused from their next request.\n`,
      );
    } else {
      process.stdout.write(
        `Now: ${show(await setOfficeDistricts(db, rest[0]!, districtIds))}. Its desks pull their office anew at their next sync.\n`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}

async function serve(values: {
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
  const dataDir = resolve(values.data ?? join(homedir(), '.aquadesk-central'));
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
    mailing: { utility: utilityFromFile(process.env['AQUADESK_UTILITY'] || undefined) },
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

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        demo: { type: 'string' },
        'seed-from': { type: 'string' },
        'seed-wait': { type: 'boolean' },
        schema: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        period: { type: 'string' },
        offices: { type: 'string' },
        name: { type: 'string' },
        districts: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const [command, ...rest] = positionals;
  if (command === 'office') {
    doing = 'change the offices';
    process.exitCode = await office(rest, values);
    return;
  }
  for (const officeOnly of ['name', 'districts'] as const)
    if (values[officeOnly] !== undefined) fail(`--${officeOnly} is an option of office add`);
  if (rest.length > 0 || (command !== undefined && command !== 'mailing'))
    fail(`Unknown command: ${positionals.join(' ')}`);
  if (command === 'mailing') {
    doing = 'send the mailing';
    for (const serveOnly of ['demo', 'seed-from', 'seed-wait', 'port', 'host'] as const)
      if (values[serveOnly] !== undefined) fail(`--${serveOnly} is not an option of mailing`);
    process.exitCode = await mailing(values);
    return;
  }
  for (const mailingOnly of ['period'] as const)
    if (values[mailingOnly] !== undefined) fail(`--${mailingOnly} is an option of mailing`);
  await serve(values);
}

main().catch((error: unknown) => {
  if (error instanceof AppError && error.code === 'VALIDATION') {
    const fields = (error.details as { fields?: { path: string; message: string }[] } | undefined)?.fields ?? [];
    fail(fields.length ? fields.map((f) => f.message).join('\n') : error.message);
  }
  if (error instanceof AppError && error.code === 'NOT_FOUND') {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `The central service could not ${doing}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
