// Worker-thread entry that applies pull pages with its own connection to the store, so a page of
// tens of thousands of rows never holds up the window or the web shell. Messages: { id, text } with
// the page's JSON text; answers { id, ok, cursor, rows, hasMore, latest } or { id, ok: false, message }.
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../store/db';
import { checkPage, createPageApplier } from './sync';

const db = openDb((workerData as { file: string }).file, { migrate: false });
const apply = createPageApplier(db);

parentPort!.on('message', (message: { id: number; text?: string; close?: boolean }) => {
  if (message.close) {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    const body = JSON.parse(message.text!) as { ok?: boolean; result?: unknown };
    const page = checkPage(body.ok ? body.result : body);
    if (page.rows > 0 || Object.keys(page.deleted).length) apply(page);
    parentPort!.postMessage({ id: message.id, ok: true, cursor: page.cursor, rows: page.rows, hasMore: page.hasMore, latest: page.latest });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
