// Worker-thread entry that renders a batch PDF (batch-render.ts) with its own read connection to the
// store, so thousands of pages never hold up the window or the web shell. workerData: the store's
// file, the fonts' folder, the desk's settings (for the requisites it prints when the service has sent
// none), the request and the output file. Posts { progress: [done, pages] } as it goes, then
// { done: BatchResult }, { stopped: true } when the desk set the shared stop flag (checked between
// chunks), or { failed: { code, message, reason } }.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../src-shared/errors';
import { readPdfFonts } from '../../../src-shared/node/pdf-fonts';
import type { InternalSettingsView } from './batch';
import { openDb } from '../../store/db';
import { EventBus } from '../events';
import { createStatementsService } from '../statements';
import { renderBatchToFile, type BatchRequest } from './batch-render';

const data = workerData as {
  databaseFile: string;
  fontsDir: string;
  settings: InternalSettingsView;
  request: Omit<BatchRequest, 'printedAt'> & { printedAt: string };
  file: string;
  /** [0] set to 1 by the desk: stop at the next chunk */
  stop: Int32Array;
};
const db = openDb(data.databaseFile, { migrate: false });
try {
  const printedAt = new Date(data.request.printedAt);
  const ctx = {
    db,
    dataDir: '',
    databaseFile: data.databaseFile,
    logDir: '',
    shell: 'web' as const,
    version: '',
    events: new EventBus(),
    now: () => printedAt,
  };
  const statements = createStatementsService(ctx, { get: () => data.settings });
  const result = renderBatchToFile(
    statements,
    readPdfFonts(data.fontsDir),
    { ...data.request, printedAt },
    data.file,
    (done, pages) => parentPort!.postMessage({ progress: [done, pages] }),
    () => Atomics.load(data.stop, 0) === 1,
  );
  parentPort!.postMessage(result === 'stopped' ? { stopped: true } : { done: result });
} catch (error) {
  const failure = AppError.from(error);
  parentPort!.postMessage({
    failed: { code: failure.code, message: failure.message, reason: (failure.details as { reason?: string })?.reason },
  });
} finally {
  db.close();
}
