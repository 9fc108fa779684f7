// Worker-thread entry that applies pull pages with its own connection to the store, so a page of
// tens of thousands of rows never holds up the window or the web shell. Messages: { id, text, gen }
// with the page's JSON text and the sync generation, answered { id, ok, cursor, rows, hasMore,
// latest, scope }; { id, purge: gen } after a full pull, answered { id, ok, removed }; errors as
// { id, ok: false, message }.
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../store/db';
import { applyPageText } from './sync/pages';
import { createPageApplier } from './sync/applier';

const db = openDb((workerData as { file: string }).file, { migrate: false });
const apply = createPageApplier(db);

parentPort!.on('message', (message: { id: number; text?: string; gen?: number; purge?: number; close?: boolean }) => {
  if (message.close) {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    if (message.purge !== undefined) {
      parentPort!.postMessage({ id: message.id, ok: true, removed: apply.purge(message.purge) });
      return;
    }
    parentPort!.postMessage({ id: message.id, ok: true, ...applyPageText(apply, message.text!, message.gen ?? 0) });
  } catch (error) {
    parentPort!.postMessage({
      id: message.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
