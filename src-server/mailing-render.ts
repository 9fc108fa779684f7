// The mailing's PDFs rendered in worker threads, so the process's own thread keeps reading rows,
// taking claims and talking to the relay while the next letters are drawn (rendering is the largest
// part of a letter's CPU). The same renderer and fonts as in the process: the bytes are the same.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../src-main/workers';
import type { PdfLanguage } from '../src-shared/schemas/statements';
import type { renderBreakdownPdf } from '../src-shared/pdf';

type Model = Parameters<typeof renderBreakdownPdf>[0];
export interface RenderJob {
  id: number;
  model: Model;
  language: PdfLanguage;
  printedAt: Date;
}
export type RenderReply = { id: number; bytes: Uint8Array } | { id: number; error: string } | { id: 0; ready: true };

export interface RenderPool {
  render(model: Model, language: PdfLanguage, printedAt: Date): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function startRenderPool(size: number, fontsDir: string): Promise<RenderPool> {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  const load = new Map<Worker, number>();
  const workers = await Promise.all(
    Array.from({ length: size }, async () => {
      const worker = startWorker(new URL('./mailing-render-worker.ts', import.meta.url), { fontsDir });
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.on('message', (reply: RenderReply) => {
          if ('ready' in reply) return resolve();
          const pending = waiting.get(reply.id);
          waiting.delete(reply.id);
          load.set(worker, (load.get(worker) ?? 1) - 1);
          if ('bytes' in reply) pending?.resolve(reply.bytes);
          else pending?.reject(new Error(reply.error));
        });
      });
      worker.on('error', (error) => {
        for (const pending of waiting.values()) pending.reject(error);
        waiting.clear();
      });
      load.set(worker, 0);
      return worker;
    }),
  );
  return {
    render(model, language, printedAt) {
      const worker = workers.reduce((a, b) => (load.get(b)! < load.get(a)! ? b : a));
      const id = nextId++;
      load.set(worker, load.get(worker)! + 1);
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, model, language, printedAt } satisfies RenderJob);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
