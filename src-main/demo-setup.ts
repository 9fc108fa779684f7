// First-run demo data for `npm run web` and the Electron app: when the data folder has no database
// yet, the demo city is generated (in a worker thread) straight into it. An existing database is
// never touched.
import { SingleBar } from 'cli-progress';
import { existsSync, mkdirSync } from 'node:fs';
import { databaseFileIn } from './core';
import { generateDemoDatabaseInWorker, type DemoResult } from './demo/generate';
import { DEMO_OPERATOR_PASSWORD } from '../src-shared/schemas/operators';
import { seedDemoVerifiers } from './services/session';
import { openDb } from './store/db';

export interface EnsureDemoOptions {
  accounts: number;
  months?: number;
  seed?: number;
  /** 'bar' draws a progress bar on stderr (a terminal); 'none' stays quiet. */
  progress?: 'bar' | 'none';
  onProgress?: (done: number, total: number) => void;
  /** The built worker script where the TypeScript source is not loadable (Electron). */
  workerFile?: string | URL;
}

/** The demo city's size when none is given with a bare `--demo`. */
export const DEFAULT_DEMO_ACCOUNTS = 20_000;

/**
 * How many demo accounts the desktop app is asked for: none unless started with `--demo[=N]` or
 * `AQUADESK_DEMO=N`. An installed desk starts with an empty database and no operators (its first
 * run enrols it with the service); the demo city and its published password are for trying it out.
 */
export function demoAccountsRequested(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): number {
  const flag = argv.find((arg) => arg === '--demo' || arg.startsWith('--demo='));
  const given = flag
    ? flag.includes('=')
      ? flag.slice('--demo='.length)
      : String(DEFAULT_DEMO_ACCOUNTS)
    : env['AQUADESK_DEMO'];
  if (given === undefined || given.trim() === '') return 0;
  const n = Number(given);
  return Number.isInteger(n) && n > 0 && n <= 2_000_000 ? n : 0;
}

export async function ensureDemoData(dataDir: string, options: EnsureDemoOptions): Promise<DemoResult | null> {
  const file = databaseFileIn(dataDir);
  if (options.accounts <= 0 || existsSync(file)) return null;
  mkdirSync(dataDir, { recursive: true });
  const bar = options.progress === 'bar' ? progressBar('Demo data') : null;
  bar?.start(options.accounts, 0);
  let result: DemoResult;
  try {
    result = await generateDemoDatabaseInWorker(
      { file, accounts: options.accounts, months: options.months, seed: options.seed },
      (done, total) => {
        bar?.update(done);
        options.onProgress?.(done, total);
      },
      options.workerFile,
    );
  } finally {
    bar?.stop();
  }
  // The demo's operators may sign in on this PC at once, with the published demo password.
  const db = openDb(file);
  try {
    await seedDemoVerifiers(db, DEMO_OPERATOR_PASSWORD);
    db.prepare("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('demo', '1')").run();
  } finally {
    db.close();
  }
  return result;
}

export function progressBar(label: string): SingleBar {
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    barsize: 30,
  });
}
