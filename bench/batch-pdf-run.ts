// The district PDF's measurements in a process of their own (started by bench/batch-pdf.ts over a
// prepared data folder): `node --import tsx bench/batch-pdf-run.ts DIR CUSTOMERS BIG_PAGES`; prints
// the figures as one JSON line. Memory is the kernel's peak resident set of this process (maxRSS),
// read before and after each batch; the 5 000-page batch runs first, on a process that has done
// nothing else yet.
import { openCore, type Core } from '../src-main/core';
import { createSettingsService } from '../src-main/services/settings';
import { createStatementsService } from '../src-main/services/statements';
import type { BatchPdfOutput, DebtsList } from '../src-shared/schemas/debts';
import type { BenchResult } from './report';

const caller = { operatorId: 6, role: 'supervisor' as const };
const [dir, customersText, bigPagesText] = process.argv.slice(2);
const customers = Number(customersText);
const bigPages = Number(bigPagesText);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function ok<T>(core: Core, op: string, input: unknown): Promise<T> {
  const outcome = await core.services.dispatch(op as never, input as never, caller);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

async function runBatch(core: Core, start: Record<string, unknown>) {
  const before = maxRssMb();
  const started = performance.now();
  let job = await ok<BatchPdfOutput>(core, 'debts.batchPdf', { action: 'start', ...start });
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, 50));
    job = await ok<BatchPdfOutput>(core, 'debts.batchPdf', { action: 'progress', jobId: job.jobId });
  }
  if (job.state !== 'done') throw new Error(`the batch ended ${job.state}: ${job.reason}`);
  return { job, ms: performance.now() - started, beforeMb: before, peakMb: maxRssMb() };
}

const today = new Date('2026-11-20T06:00:00Z');
const core = openCore({ dataDir: dir!, shell: 'web', now: () => today });
try {
  const perSecond = (pages: number, ms: number) => Math.round((pages / ms) * 1000);
  const megabytes = (job: BatchPdfOutput) => Math.round((job.sizeBytes ?? 0) / 1024 / 102.4) / 10;
  // 5 000 pages of notices first: the memory goal, on a process that has done nothing else yet.
  const everyone = await ok<DebtsList>(core, 'debts.list', { sort: 'address', order: 'asc', limit: bigPages });
  const big = await runBatch(core, { document: 'notice', accountIds: everyone.rows.map((r) => r.accountId) });

  // The district with the most debtors; its first `customers` in address order.
  const counts = await Promise.all(
    everyone.districts.map(async (d) => ({
      id: d.id,
      n: (await ok<DebtsList>(core, 'debts.list', { districtId: d.id, limit: 1 })).totals.count,
    })),
  );
  const district = counts.sort((a, b) => b.n - a.n)[0]!;
  const rows = (
    await ok<DebtsList>(core, 'debts.list', {
      districtId: district.id,
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
      // left out by the batch too (no breakdown for the period)
    }
  }
  const floorMs = performance.now() - floorStarted;
  const results: BenchResult[] = [
    {
      name: 'districtPdf',
      metric: 'pagesPerSecond',
      value: perSecond(batch.job.pages, batch.ms),
      params: {
        customers: batch.job.total,
        pages: batch.job.pages,
        skipped: batch.job.skipped.length,
        ms: Math.round(batch.ms),
        megabytes: megabytes(batch.job),
        includes: 'the worker start',
      },
    },
    {
      name: 'districtPdf.floor.oneByOne',
      metric: 'pagesPerSecond',
      value: perSecond(floorPages, floorMs),
      params: { customers: ids.length, pages: floorPages, ms: Math.round(floorMs) },
    },
    {
      name: 'districtPdf.notices5000',
      metric: 'pagesPerSecond',
      value: perSecond(big.job.pages, big.ms),
      params: { pages: big.job.pages, ms: Math.round(big.ms), megabytes: megabytes(big.job) },
    },
    {
      name: 'districtPdf.notices5000',
      metric: 'peakRssMb',
      value: big.peakMb,
      params: { pages: big.job.pages, beforeBatchMb: big.beforeMb, goalMb: 300 },
    },
    {
      name: 'districtPdf',
      metric: 'peakRssMb',
      value: batch.peakMb,
      params: { customers: batch.job.total, note: 'the process peak so far (after the 5 000 pages)' },
    },
  ];
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  core.close();
}
