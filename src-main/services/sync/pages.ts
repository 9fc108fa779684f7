// The page side of sync as the engine sees it: a page's text applied (in the worker when there is
// one, else on this thread) and a purge after a full pull, with the same answers either way.
import { AppError } from '../../../src-shared/errors';
import type { Db } from '../../store/db';
import { startWorker } from '../../workers';
import { checkPage, createPageApplier, type ApplyPage } from './applier';

export interface AppliedPage {
  cursor: number;
  rows: number;
  hasMore: boolean;
  latest: number;
  scope: string;
}

/** Parses, checks and applies one page's text (the service's `{ ok, result }` envelope or the page itself). */
export function applyPageText(apply: ApplyPage, text: string, generation: number): AppliedPage {
  const body = JSON.parse(text) as { ok?: boolean; result?: unknown };
  const page = checkPage(body.ok ? body.result : body);
  if (page.rows > 0 || Object.keys(page.deleted).length) apply(page, generation);
  return { cursor: page.cursor, rows: page.rows, hasMore: page.hasMore, latest: page.latest, scope: page.scope };
}

export interface PageSink {
  apply(text: string, generation: number): Promise<AppliedPage>;
  purge(generation: number): Promise<number>;
  close(): void;
}

/** Pages applied by a worker thread with its own connection (`workerFile`), or here when there is none. */
export function createPageSink(db: Db, databaseFile: string, workerFile?: string | URL): PageSink {
  if (!workerFile) {
    const apply = createPageApplier(db);
    return {
      apply: async (text, generation) => applyPageText(apply, text, generation),
      purge: async (generation) => apply.purge(generation),
      close() {},
    };
  }
  let worker: ReturnType<typeof startWorker> | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const started = () => {
    if (worker) return worker;
    const w = startWorker(workerFile, { file: databaseFile });
    w.on('message', (m: { id: number; ok: boolean; message?: string }) => {
      const pending = waiting.get(m.id);
      waiting.delete(m.id);
      if (!pending) return;
      if (m.ok) pending.resolve(m);
      else pending.reject(new AppError('BAD_REQUEST', m.message ?? 'A pull page could not be applied'));
    });
    w.on('error', (error) => {
      for (const p of waiting.values()) p.reject(error);
      waiting.clear();
      worker = null;
    });
    w.unref();
    return (worker = w);
  };
  const ask = <T>(message: Record<string, unknown>) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      started().postMessage({ id, ...message });
    });
  return {
    apply: (text, generation) => ask<AppliedPage>({ text, gen: generation }),
    purge: async (generation) => (await ask<{ removed: number }>({ purge: generation })).removed,
    close() {
      worker?.postMessage({ close: true });
      worker = null;
    },
  };
}
