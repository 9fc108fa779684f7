// `npm run server -- [--data DIR] [--demo N] [--port PORT]`: the central service. With DATABASE_URL it
// uses PostgreSQL, else an embedded PGlite in DIR (default ~/.aquadesk-central). On first start with
// --demo it seeds the deterministic demo city and prints the demo office's key.
// `npm run server -- mailing [--period YYYY-MM]`: the monthly mailing of the breakdown PDFs, by hand.
// `npm run server -- office add|list|revoke|districts …`: the utility's offices (see USAGE).
// This file reads the command line and runs the command; each command is a module of its own
// (cli-serve.ts, cli-mailing.ts, cli-office.ts), what they share is in cli-common.ts.
import { parseArgs } from 'node:util';
import { AppError } from '../src-shared/errors';
import { fail, USAGE } from './cli-common';
import { mailing } from './cli-mailing';
import { office } from './cli-office';
import { serve } from './cli-serve';

let doing = 'start';

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
