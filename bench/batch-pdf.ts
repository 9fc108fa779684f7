// The district PDF of `npm run bench -- batch` (#20.4): a 1 000-customer district's breakdowns as one
// PDF through debts.batchPdf (the worker thread, chunks appended to one file), in pages/s, against the
// floor of the same breakdowns rendered one by one in the same run (statements.breakdownPdfBytes, a
// jsPDF document each, as the account card prints them); then a 5 000-page batch of debt notices for
// the memory goal (< 300 MB): the process's peak resident set while each batch runs (the worker
// included: it is a thread of this process).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseFileIn, openCore, type Core } from '../src-main/core';
import { generateDemoDatabase } from '../src-main/demo/generate';
import { createStatementsService } from '../src-main/services/statements';
import { createSettingsService } from '../src-main/services/settings';
import type { BatchPdfOutput, DebtsList } from '../src-shared/schemas/debts';
import type { BenchResult } from './report';

const caller = { operatorId: 6, role: 'supervisor' as const };

async function ok<T>(core: Core, op: string, input: unknown): Promise<T> {
  const outcome = await core.services.dispatch(op as never, input as never, caller);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

/** Runs a batch to its end; the wall time and the peak RSS (sampled every 20 ms) while it ran. */
async function runBatch(core: Core, start: Record<string, unknown>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    let job = await ok<BatchPdfOutput>(core, 'debts.batchPdf', { action: 'start', ...start });
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      job = await ok<BatchPdfOutput>(core, 'debts.batchPdf', { action: 'progress', jobId: job.jobId });
    }
    if (job.state !== 'done') throw new Error(`the batch ended ${job.state}: ${job.reason}`);
    return { job, ms: performance.now() - started, peakMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

export async function benchDistrictPdf(args: string[]): Promise<BenchResult[]> {
  const arg = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] ?? 0) || fallback;
  const customers = arg('--customers', 1000);
  const bigPages = arg('--big-pages', 5000);
  const accounts = arg('--pdf-accounts', Math.max(20_000, Math.ceil(bigPages * 2.4)));
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-pdf-'));
  try {
    const today = new Date('2026-11-20T06:00:00Z');
    const city = join(dir, 'city.db');
    await generateDemoDatabase({ file: city, accounts, months: 13, seed: 7, today });
    copyFileSync(city, databaseFileIn(dir));
    const core = openCore({ dataDir: dir, shell: 'web', now: () => today });
    try {
      // The district with the most debtors; its first `customers` in address order.
      const all = await ok<DebtsList>(core, 'debts.list', { limit: 1 });
      const counts = await Promise.all(
        all.districts.map(async (d) => ({
          d,
          n: (await ok<DebtsList>(core, 'debts.list', { districtId: d.id, limit: 1 })).totals.count,
        })),
      );
      const district = counts.sort((a, b) => b.n - a.n)[0]!;
      const rows = (
        await ok<DebtsList>(core, 'debts.list', {
          districtId: district.d.id,
          sort: 'address',
          order: 'asc',
          limit: customers,
        })
      ).rows;
      if (rows.length < customers) throw new Error(`only ${rows.length} debtors in a district: raise --pdf-accounts`);
      const ids = rows.map((r) => r.accountId);

      const batch = await runBatch(core, { document: 'breakdown', accountIds: ids, language: 'ru' });

      // The floor: the same breakdowns one by one, each a document of its own, on this thread.
      const statements = createStatementsService(core.ctx, createSettingsService(core.ctx));
      const floorStarted = performance.now();
      let floorPages = 0;
      for (const accountId of ids) {
        try {
          const { bytes } = statements.breakdownPdfBytes({ accountId, language: 'ru' });
          floorPages +=
            Buffer.from(bytes)
              .toString('latin1')
              .match(/\/Type \/Page\n/g)?.length ?? 0;
        } catch {
          // the batch leaves out the same accounts (no breakdown for the period)
        }
      }
      const floorMs = performance.now() - floorStarted;

      const big = await runBatch(core, {
        document: 'notice',
        accountIds: (
          await ok<DebtsList>(core, 'debts.list', { sort: 'address', order: 'asc', limit: bigPages })
        ).rows.map((r) => r.accountId),
        language: 'ru',
      });
      const perSecond = (pages: number, ms: number) => Math.round((pages / ms) * 1000);
      return [
        {
          name: 'districtPdf',
          metric: 'pagesPerSecond',
          value: perSecond(batch.job.pages, batch.ms),
          params: {
            customers: batch.job.total,
            pages: batch.job.pages,
            skipped: batch.job.skipped.length,
            ms: Math.round(batch.ms),
            megabytes: Math.round((batch.job.sizeBytes ?? 0) / 1024 / 102.4) / 10,
            includes: 'the worker start',
          },
        },
        {
          name: 'districtPdf.floor.oneByOne',
          metric: 'pagesPerSecond',
          value: perSecond(floorPages, floorMs),
          params: { customers: ids.length, pages: floorPages, ms: Math.round(floorMs) },
        },
        { name: 'districtPdf', metric: 'peakRssMb', value: batch.peakMb, params: { customers: batch.job.total } },
        {
          name: 'districtPdf.notices',
          metric: 'pagesPerSecond',
          value: perSecond(big.job.pages, big.ms),
          params: {
            pages: big.job.pages,
            ms: Math.round(big.ms),
            megabytes: Math.round((big.job.sizeBytes ?? 0) / 1024 / 102.4) / 10,
          },
        },
        {
          name: 'districtPdf.notices',
          metric: 'peakRssMb',
          value: big.peakMb,
          params: { pages: big.job.pages, goalMb: 300 },
        },
      ];
    } finally {
      core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
