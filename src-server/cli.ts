// `npm run server -- [--data DIR] [--demo N] [--port PORT]`: the central service. With DATABASE_URL it
// uses PostgreSQL, else an embedded PGlite in DIR (default ~/.aquadesk-central). On first start with
// --demo it seeds the deterministic demo city and prints the demo office's key.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from './app';
import { openServerDb } from './db';
import { migrateServer } from './schema';
import { seedDemo, seedFromFile } from './seed';

const USAGE = `Usage: npm run server -- [--data DIR] [--demo N] [--port PORT]
  DATABASE_URL  PostgreSQL connection string (without it: embedded PGlite in --data)
  --data DIR    PGlite data folder (default ~/.aquadesk-central)
  --demo N      seed N demo accounts with 24 months of history when the database is empty (default 0)
  --seed-from F seed from an existing demo database file instead (what npm run web does)
  --port PORT   port on 127.0.0.1 (default 8787; 0 = any free port)
  --host HOST   address to listen on (default 127.0.0.1)
  --schema S    PostgreSQL schema to work in (tests and benchmarks keep apart this way)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: { data: { type: 'string' }, demo: { type: 'string' }, 'seed-from': { type: 'string' }, schema: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const demo = Number(values.demo ?? 0);
  const port = Number(values.port ?? 8787);
  if (!Number.isInteger(demo) || demo < 0 || demo > 2_000_000) fail('--demo must be a whole number from 0 to 2000000');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be a port number');
  const url = process.env['DATABASE_URL'];
  const db = await openServerDb({ url, schema: url ? values.schema : undefined, dataDir: url ? undefined : resolve(values.data ?? join(homedir(), '.aquadesk-central')) });
  await migrateServer(db);
  const offices = await db.query<{ key: string }>('SELECT key FROM offices ORDER BY key LIMIT 1');
  let officeKey = offices[0]?.key;
  if (!officeKey && values['seed-from']) {
    process.stderr.write(`Seeding from ${values['seed-from']}…\n`);
    officeKey = (await seedFromFile(db, resolve(values['seed-from']))).officeKey;
  } else if (!officeKey && demo > 0) {
    process.stderr.write(`Seeding ${demo} demo accounts…\n`);
    officeKey = (await seedDemo(db, { accounts: demo })).officeKey;
  }
  const version = (await db.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]?.v ?? 0;
  const app = buildServer({ db, logger: { level: process.env['LOG_LEVEL'] ?? 'info' } });
  const address = await app.listen({ port, host: values.host ?? '127.0.0.1' });
  process.stdout.write(`AquaDesk central service: ${address} (${db.kind})${officeKey ? ` · office key ${officeKey}` : ''} · version ${version}\n`);
  const stop = async () => {
    await app.close(); // finishes requests in flight
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The central service could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
