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
