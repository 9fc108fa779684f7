// debts.batchPdf: one PDF of many customers' breakdowns or debt notices, rendered by a worker thread
// (batch-worker.ts) so the window never waits; one batch at a time per desk. start resolves whom it
// is for (the accounts picked, each still a debtor here, or every account the filter matches, in
// address order), records it in the audit trail and answers at once; progress reports the customers
// and pages done and the time left at the pace so far; cancel stops the worker at its next chunk and
// removes the unfinished file (it is written as `.part` and renamed only when whole, so no half file
// is ever left); part hands the finished file to the window in 4 MiB pieces (a 5 000-page PDF is
// never one answer), print hands it to the shell's printer. Files live in <data>/batches and go at
// the next start.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { almatyDate } from '../../../src-shared/domain/period';
import { FONT_FILES, noticeLabels, pdfLabels } from '../../../src-shared/pdf';
import {
  BATCH_PART_BYTES,
  type BatchPdfInput,
  type BatchPdfOutput,
  type DebtTarget,
} from '../../../src-shared/schemas/debts';
import { createAuditRepo } from '../../store/repos/audit';
import { startWorker } from '../../workers';
import type { CallContext, ServiceContext } from '../context';
import type { StatementPrinter } from '../printing';
import type { createSettingsService } from '../settings';
import { fontDirectoryCandidates } from '../statements/fonts';
import type { BatchResult } from './batch-render';
import type { DebtList } from './list';

export type InternalSettingsView = ReturnType<ReturnType<typeof createSettingsService>['get']>;

interface Job {
  id: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  total: number;
  done: number;
  pages: number;
  startedAt: number;
  finishedAt: number | null;
  file: string;
  fileName: string;
  sizeBytes: number | null;
  reason: string | null;
  skipped: string[];
  stop: Int32Array;
  settled: Promise<void>;
}

export interface BatchPdfOptions {
  printer?: StatementPrinter;
  /** the built worker (Electron: `?modulePath`); by default the source file, run through tsx */
  worker?: string | URL;
}

/** The worker's old generation, MB: one part of 40 customers needs a fraction of it. */
const WORKER_HEAP_MB = 96;

const gone = () => new AppError('NOT_FOUND', 'No such batch', { reason: 'debts.gone' });

export function createBatchPdf(
  ctx: ServiceContext,
  settings: Pick<ReturnType<typeof createSettingsService>, 'get'>,
  debts: DebtList,
  options: BatchPdfOptions = {},
) {
  const audit = createAuditRepo(ctx.db);
  const dir = join(ctx.dataDir, 'batches');
  const workerFile = options.worker ?? join(import.meta.dirname, 'batch-worker.ts');
  let job: Job | null = null;

  function view(current: Job, extra: Partial<BatchPdfOutput> = {}): BatchPdfOutput {
    const elapsedMs = Math.round((current.finishedAt ?? Date.now()) - current.startedAt);
    const leftMs =
      current.state === 'running' && current.done > 0
        ? Math.round((elapsedMs / current.done) * (current.total - current.done))
        : current.state === 'running'
          ? null
          : 0;
    return {
      jobId: current.id,
      state: current.state,
      total: current.total,
      done: current.done,
      pages: current.pages,
      elapsedMs,
      leftMs,
      fileName: current.fileName,
      sizeBytes: current.sizeBytes,
      reason: current.reason,
      skipped: current.skipped,
      ...extra,
    };
  }

  function clearFiles() {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true });
  }

  function start(target: DebtTarget, call: CallContext): BatchPdfOutput {
    if (job?.state === 'running') throw new AppError('CONFLICT', 'A batch is running', { reason: 'debts.busy' });
    const customers = debts.customersOf(target);
    clearFiles();
    mkdirSync(dir, { recursive: true });
    const id = randomBytes(16).toString('hex');
    const printedAt = ctx.now();
    const language = target.language ?? 'ru';
    const word = target.document === 'notice' ? noticeLabels[language].file : pdfLabels[language].fileBreakdown;
    const file = join(dir, `${id}.pdf`);
    const fontsDir = fontDirectoryCandidates().find((d) => existsSync(join(d, FONT_FILES.normal)));
    if (!fontsDir) throw new AppError('INTERNAL', 'The PDF fonts were not found');
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = startWorker(
      workerFile,
      {
        databaseFile: ctx.databaseFile,
        fontsDir,
        settings: settings.get(),
        request: {
          document: target.document,
          customers,
          language: target.language,
          printedAt: printedAt.toISOString(),
          title: word,
        },
        file: `${file}.part`,
        stop,
      },
      // A part is a few MB: a small heap makes the worker collect often instead of growing to V8's default.
      { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 },
    );
    let settle: () => void = () => undefined;
    const current: Job = {
      id,
      state: 'running',
      total: customers.length,
      done: 0,
      pages: 0,
      startedAt: Date.now(),
      finishedAt: null,
      file,
      fileName: `${word}_${almatyDate(printedAt)}_${customers.length}.pdf`,
      sizeBytes: null,
      reason: null,
      skipped: [],
      stop,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    };
    const end = (state: Job['state'], reason: string | null = null) => {
      if (current.state !== 'running') return;
      current.state = state;
      current.reason = reason;
      current.finishedAt = Date.now();
      if (state !== 'done') rmSync(`${file}.part`, { force: true });
      settle();
    };
    worker.on(
      'message',
      (message: { progress?: [number, number]; done?: BatchResult; stopped?: true; failed?: { reason?: string } }) => {
        if (message.progress) [current.done, current.pages] = message.progress;
        if (message.done) {
          renameSync(`${file}.part`, file);
          Object.assign(current, {
            pages: message.done.pages,
            sizeBytes: message.done.sizeBytes,
            skipped: message.done.skipped,
            done: current.total,
          });
          end('done');
        }
        if (message.stopped) end('cancelled');
        if (message.failed) end('failed', message.failed.reason ?? 'debts.failed');
      },
    );
    worker.on('error', () => end('failed', 'debts.failed'));
    worker.on('exit', () => end(Atomics.load(stop, 0) ? 'cancelled' : 'failed', 'debts.failed'));
    job = current;
    audit.record({
      at: printedAt.toISOString(),
      operatorId: call.operatorId,
      accountId: null,
      operation: 'debts.batchPdf',
      result: 'ok',
      details: {
        document: target.document,
        customers: customers.length,
        jobId: id,
        filter: target.accountIds ? null : target.filter,
      },
    });
    return view(current);
  }

  function jobOf(jobId: string): Job {
    if (!job || job.id !== jobId) throw gone();
    return job;
  }

  async function cancel(jobId: string): Promise<BatchPdfOutput> {
    const current = jobOf(jobId);
    if (current.state === 'running') {
      Atomics.store(current.stop, 0, 1);
      await current.settled;
    }
    return view(current);
  }

  function part(jobId: string, offset: number): BatchPdfOutput {
    const current = jobOf(jobId);
    if (current.state !== 'done' || !existsSync(current.file)) throw gone();
    const size = current.sizeBytes ?? 0;
    const length = Math.max(0, Math.min(BATCH_PART_BYTES, size - offset));
    const buffer = Buffer.alloc(length);
    const fd = openSync(current.file, 'r');
    try {
      readSync(fd, buffer, 0, length, offset);
    } finally {
      closeSync(fd);
    }
    return view(current, { part: { base64: buffer.toString('base64'), offset, end: offset + length >= size } });
  }

  async function print(jobId: string, call: CallContext): Promise<BatchPdfOutput> {
    const current = jobOf(jobId);
    if (current.state !== 'done' || !existsSync(current.file)) throw gone();
    if (!options.printer) return view(current, { printed: 'browser' });
    const status = await options.printer.print({
      fileName: current.fileName,
      bytes: readFileSync(current.file),
      client: call.client,
    });
    return view(current, { printed: status });
  }

  return {
    run(input: BatchPdfInput, call: CallContext): BatchPdfOutput | Promise<BatchPdfOutput> {
      switch (input.action) {
        case 'start':
          return start(input, call);
        case 'progress':
          return view(jobOf(input.jobId));
        case 'cancel':
          return cancel(input.jobId);
        case 'part':
          return part(input.jobId, input.offset);
        case 'print':
          return print(input.jobId, call);
      }
    },
    /** Waits for the running batch to end (tests, the bench). */
    settled: () => job?.settled ?? Promise.resolve(),
  };
}
