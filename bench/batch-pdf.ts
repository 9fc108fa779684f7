// The district PDF of `npm run bench -- batch` (#20.4): a 1 000-customer district's breakdowns as one
// PDF through debts.batchPdf (the worker thread, chunks appended to one file), in pages/s, against the
// floor of the same breakdowns rendered one by one in the same run (statements.breakdownPdfBytes, a
// jsPDF document each, as the account card prints them); and a 5 000-page batch of debt notices for
// the memory goal (< 300 MB). The city is made here; the batches run in a fresh process of their own
// (bench/batch-pdf-run.ts), whose peak resident set (the worker included: a thread of it) is the
// kernel's maxRSS, read before and after each batch — not blurred by the round's figures before it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseFileIn } from '../src-main/core';
import { generateDemoDatabase } from '../src-main/demo/generate';
import type { BenchResult } from './report';

export async function benchDistrictPdf(args: string[]): Promise<BenchResult[]> {
  const arg = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] ?? 0) || fallback;
  const customers = arg('--customers', 1000);
  const bigPages = arg('--big-pages', 5000);
  const accounts = arg('--pdf-accounts', Math.max(20_000, Math.ceil(bigPages * 2.4)));
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-pdf-'));
  try {
    const city = join(dir, 'city.db');
    await generateDemoDatabase({ file: city, accounts, months: 13, seed: 7, today: new Date('2026-11-20T06:00:00Z') });
    copyFileSync(city, databaseFileIn(dir));
    rmSync(city);
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'batch-pdf-run.ts'), dir, String(customers), String(bigPages)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 10 * 1024 * 1024 },
    );
    return JSON.parse(out.trim().split('\n').at(-1)!) as BenchResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
