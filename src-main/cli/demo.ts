// `npm run demo -- --accounts N [--months M] [--seed S] --out FILE`: writes a demo city database file.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_DEFAULT_SEED, generateDemoDatabaseInWorker } from '../demo/generate';
import { progressBar } from '../demo-setup';

const USAGE = `Usage: npm run demo -- --accounts N [--months M] [--seed S] [--today YYYY-MM-DD] --out FILE [--force]
  --accounts N   accounts to generate (1 to 2000000)
  --months M     complete months of history before today (0 to 60, default 24)
  --seed S       PRNG seed; the same seed and today give the same data (default ${DEMO_DEFAULT_SEED})
  --today DATE   pretend today is DATE in Almaty (default: today)
  --out FILE     the database file to write
  --force        overwrite FILE if it exists`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function wholeNumber(text: string | undefined, name: string, min: number, max: number, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) fail(`${name} is required`);
    return fallback;
  }
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) fail(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        accounts: { type: 'string' },
        months: { type: 'string' },
        seed: { type: 'string' },
        today: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const accounts = wholeNumber(values.accounts, '--accounts', 1, 2_000_000);
  const months = wholeNumber(values.months, '--months', 0, 60, 24);
  const seed = wholeNumber(values.seed, '--seed', 0, 4_294_967_295, DEMO_DEFAULT_SEED);
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) fail('--today must be YYYY-MM-DD');
  const today = values.today ? new Date(`${values.today}T06:00:00Z`) : undefined;
  if (today && Number.isNaN(today.getTime())) fail('--today must be a real date');
  if (!values.out) fail('--out is required');
  const out = resolve(values.out);
  if (existsSync(out) && !values.force) fail(`${out} exists; pass --force to overwrite it`);

  const bar = progressBar('Accounts');
  bar.start(accounts, 0);
  try {
    const result = await generateDemoDatabaseInWorker({ file: out, accounts, months, seed, today }, (done) =>
      bar.update(done),
    );
    bar.stop();
    const mib = (result.bytes / 1024 / 1024).toFixed(1);
    process.stdout.write(
      `Wrote ${out}: ${accounts} accounts, ${months} months, seed ${seed}, ${mib} MiB in ${result.seconds.toFixed(1)} s\n`,
    );
  } catch (error) {
    bar.stop();
    process.stderr.write(`Demo generation failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

void main();
