// `npm run bench -- demo [--small]`: time and file size of the two demo sizes issue 3 sets targets
// for (100 000 accounts × 24 months ≤ 60 s; 1 000 000 accounts, no history ≤ 120 s), generated in
// the worker exactly as `npm run demo` does. `--small` runs a tenth of each (a quick look).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoDatabaseInWorker } from '../src-main/demo/generate';
import type { BenchResult } from './report';

export async function run(args: string[]): Promise<BenchResult[]> {
  const scale = args.includes('--small') ? 0.1 : 1;
  const sizes = [
    { name: 'demo.history', accounts: 100_000 * scale, months: 24, targetSeconds: 60 },
    { name: 'demo.accountsOnly', accounts: 1_000_000 * scale, months: 0, targetSeconds: 120 },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-demo-'));
  const results: BenchResult[] = [];
  try {
    for (const size of sizes) {
      const file = join(dir, `${size.name}.db`);
      const result = await generateDemoDatabaseInWorker({
        file,
        accounts: size.accounts,
        months: size.months,
        seed: 1,
      });
      const params = { accounts: size.accounts, months: size.months, targetSeconds: size.targetSeconds };
      results.push({ name: size.name, metric: 'seconds', value: Number(result.seconds.toFixed(1)), params });
      results.push({ name: size.name, metric: 'MiB', value: Number((result.bytes / 1024 / 1024).toFixed(1)), params });
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
