// What the service's commands share (cli.ts and cli-*.ts): the usage text, the refusal of a bad
// command line (exit code 2), the data folder, the mailer from the environment, and the database
// opened and migrated. Kept apart so each command's module holds only that command.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { openServerDb, type ServerDb } from './db';
import { createServerMailer, parseTrustRelayCertificate } from './mailer';
import { migrateServer } from './schema';

export const USAGE = `Usage: npm run server -- [--data DIR] [--demo N] [--offices N] [--port PORT]
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
  MAIL_FROM     the letters' sender (default AquaDesk <noreply@aquadesk.local>); the monthly
                mailing's letters show the utility's name (the requisites') at its address
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

export function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/** --data, or ~/.aquadesk-central. */
export const dataDirOf = (data: string | undefined) => resolve(data ?? join(homedir(), '.aquadesk-central'));

export function mailerFor(dataDir: string) {
  return createServerMailer({
    smtpUrl: process.env['SMTP_URL'] || undefined,
    folder: join(dataDir, 'mail'),
    from: process.env['MAIL_FROM'] || undefined,
    trustRelayCertificate: parseTrustRelayCertificate(process.env['SMTP_TRUST_RELAY_CERTIFICATE']),
  });
}

export async function openDb(dataDir: string, schema: string | undefined): Promise<ServerDb> {
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
