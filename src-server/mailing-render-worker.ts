// A worker thread of the mailing's PDF pool (mailing-render.ts): renders breakdowns with the same
// shared renderer and fonts as the process itself would, and hands the bytes back.
import { parentPort, workerData } from 'node:worker_threads';
import { renderBreakdownPdf } from '../src-shared/pdf';
import { readPdfFonts } from '../src-shared/node/pdf-fonts';
import type { RenderJob, RenderReply } from './mailing-render';

const fonts = readPdfFonts((workerData as { fontsDir: string }).fontsDir);
parentPort!.on('message', (job: RenderJob) => {
  let reply: RenderReply;
  try {
    const bytes = renderBreakdownPdf(job.model, { fonts, language: job.language, printedAt: job.printedAt });
    reply = { id: job.id, bytes };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply, 'bytes' in reply ? [reply.bytes.buffer as ArrayBuffer] : []);
});
parentPort!.postMessage({ id: 0, ready: true });
