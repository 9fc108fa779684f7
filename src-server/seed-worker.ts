// Worker-thread side of the seed (seed.ts): reads the demo file and makes its COPY text while the
// loader's thread hands the previous chunks to the database. At most `inFlight.limit` chunks wait in
// the loader's queue: past that, this thread sleeps until the loader takes one (a shared counter).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { sourcePieces, type SourceJob } from './seed-source';

export interface SeedWorkerData extends SourceJob {
  /** Int32Array over a SharedArrayBuffer: [chunks posted and not yet taken by the loader] */
  inFlight: SharedArrayBuffer;
  limit: number;
}

export type SeedWorkerMessage = { piece: import('./seed-source').SourcePiece } | { error: string } | { done: true };

const data = workerData as SeedWorkerData;
const inFlight = new Int32Array(data.inFlight);
const post = (message: SeedWorkerMessage) => parentPort!.postMessage(message);
const source = new Database(data.file, { readonly: true });
try {
  for (const piece of sourcePieces(source, data)) {
    for (let waiting = Atomics.load(inFlight, 0); waiting >= data.limit; waiting = Atomics.load(inFlight, 0))
      Atomics.wait(inFlight, 0, waiting);
    Atomics.add(inFlight, 0, 1);
    post({ piece });
  }
  post({ done: true });
} catch (error) {
  post({ error: error instanceof Error ? error.message : String(error) });
} finally {
  source.close();
}
