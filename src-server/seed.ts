// Fills an empty central database from the project's deterministic demo generator: the city is written
// to a temporary SQLite file by the same fast generator the desktop uses (or an existing demo file is
// read, as `npm run web` does), then loaded table by table with COPY (PostgreSQL's bulk load; PGlite
// takes the same text) with the row triggers off: the loader itself gives each row its version and
// its scope (district, districts served, office), as the triggers would. The COPY text is made by
// SQLite, a line per row (seed-source.ts), and for a large file in a worker thread while this one
// loads (seed-worker.ts). Measured on the 20 000-account demo (2.7 M rows into PGlite): the seed
// took about 30 s of CPU in one thread when JavaScript made a value per cell and the text; now the
// loading thread spends about 17 s (COPY 12, indexes 4, ANALYZE 2) while the worker makes the text
// beside it (about 6 s). Offices are created first; their keys are returned (the service keeps only
// their hashes).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoDatabaseSync } from '../src-main/demo/generate';
import { startWorker } from '../src-main/workers';
import { REPLICATION } from '../src-shared/replication/model';
import type { ServerDb } from './db';
import { addOffice } from './office-admin';
import { seedOperatorPasswords } from './operators';
import { copyColumns, sourceCounts, sourcePieces, type SourceJob, type SourcePiece } from './seed-source';
import type { SeedWorkerData, SeedWorkerMessage } from './seed-worker';

export interface SeedOffice {
  name: string;
  /** null: the whole city */
  districtIds: number[] | null;
}

export interface SeedOptions {
  accounts: number;
  months?: number;
  seed?: number;
  today?: Date;
  /** the offices to create (default: one for the whole city); `demoOffices(n)` splits the districts */
  offices?: SeedOffice[];
  /** as the load goes (after each chunk of about 10 000 rows and each table): the rows loaded so far, of `totalRows` in all */
  onProgress?: (table: string, rows: number, totalRows: number) => void;
  /** where the COPY text is made: a worker thread or this one (default: a worker from WORKER_ROWS rows on) */
  reader?: 'worker' | 'thread';
}

export interface SeedResult {
  rows: number;
  /** each office's key, in the order given */
  offices: { id: number; name: string; key: string; districtIds: number[] | null }[];
  /** the first office's key (the demo's one office) */
  officeKey: string;
}

/** n offices, the city's districts split among them in order (1–4 and 5–8 for two). */
export function demoOffices(n: number, districts = 8): SeedOffice[] {
  if (n <= 1) return [{ name: 'Демо-отделение', districtIds: null }];
  const per = Math.ceil(districts / n);
  return Array.from({ length: n }, (_, i) => ({
    name: `Отделение ${i + 1}`,
    districtIds: Array.from({ length: districts }, (_, d) => d + 1).filter((d) => Math.floor((d - 1) / per) === i),
  }));
}

export async function seedDemo(db: ServerDb, options: SeedOptions): Promise<SeedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-seed-'));
  try {
    const file = join(dir, 'city.db');
    generateDemoDatabaseSync({
      file,
      accounts: options.accounts,
      months: options.months,
      seed: options.seed,
      today: options.today,
    });
    return await seedFromFile(db, file, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** From this many rows on, the file is read in a worker thread while this one loads (below, the worker's start costs more than it saves). */
const WORKER_ROWS = 200_000;
/** Chunks (about 1 MB of text each) the worker may have made ahead of the loader. */
const CHUNKS_AHEAD = 8;

/** The file's COPY text as it is made: by a worker thread for a large file, else here, chunk by chunk. */
async function* piecesOf(job: SourceJob, inWorker: boolean): AsyncGenerator<SourcePiece> {
  if (!inWorker) {
    const source = new Database(job.file, { readonly: true });
    try {
      yield* sourcePieces(source, job);
    } finally {
      source.close();
    }
    return;
  }
  const inFlight = new SharedArrayBuffer(4);
  const counter = new Int32Array(inFlight);
  const worker = startWorker(new URL('./seed-worker.ts', import.meta.url), {
    ...job,
    inFlight,
    limit: CHUNKS_AHEAD,
  } satisfies SeedWorkerData);
  const queue: SeedWorkerMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  worker.on('message', (message: SeedWorkerMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure ??= error;
    wake?.();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the seed's reader stopped (code ${code})`);
    wake?.();
  });
  try {
    for (;;) {
      while (!queue.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = queue.shift();
      if (!message) throw failure!;
      if ('error' in message) throw new Error(message.error);
      if ('done' in message) return;
      Atomics.sub(counter, 0, 1);
      Atomics.notify(counter, 0);
      yield message.piece;
    }
  } finally {
    await worker.terminate();
  }
}

/** Copies the replicated tables of a demo database file (e.g. the one `npm run web` generated) into an empty central database. */
export async function seedFromFile(
  db: ServerDb,
  file: string,
  options: Pick<SeedOptions, 'offices' | 'onProgress' | 'reader'> = {},
): Promise<SeedResult> {
  const officeSpecs = options.offices ?? demoOffices(1);
  // The offices first (their ids give the operators their office); their keys are shown once.
  const offices: SeedResult['offices'] = [];
  for (const spec of officeSpecs) {
    const { office, key } = await addOffice(db, { name: spec.name, districtIds: null });
    offices.push({ id: office.id, name: office.name, key, districtIds: spec.districtIds });
  }
  let version = (await db.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]!.v;
  const counts = (() => {
    const source = new Database(file, { readonly: true });
    try {
      return sourceCounts(source);
    } finally {
      source.close();
    }
  })();
  const totalRows = [...counts.values()].reduce((a, b) => a + b, 0);
  let rows = 0;
  const pieces = piecesOf(
    { file, version, officeIds: offices.map((o) => o.id) },
    (options.reader ?? (totalRows >= WORKER_ROWS ? 'worker' : 'thread')) === 'worker',
  );
  try {
    for (const table of REPLICATION) {
      const columns = copyColumns(table.name);
      await db.tx(async (sql) => {
        // The loader does what the row triggers would (versions, scopes), in bulk: COPY, triggers off,
        // and the table's secondary indexes built once after the load instead of row by row.
        await sql.query(`ALTER TABLE ${table.name} DISABLE TRIGGER USER`);
        await sql.query('SET LOCAL synchronous_commit = off');
        // Rows the service's migrations wrote (the built-in contact topics): the file's own replace them.
        if (counts.get(table.name)) await sql.query(`DELETE FROM ${table.name}`);
        const indexes = await sql.query<{ name: string; definition: string }>(
          `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
          [table.name],
        );
        for (const index of indexes) await sql.query(`DROP INDEX ${index.name}`);
        let loaded = rows;
        for (;;) {
          const next = await pieces.next();
          if (next.done || next.value.table !== table.name)
            throw new Error(`The seed's reader lost its place at ${table.name}`);
          const piece = next.value;
          if ('end' in piece) {
            rows += piece.rows;
            version = piece.version;
            break;
          }
          await sql.copy(table.name, columns, [piece.text]);
          options.onProgress?.(table.name, (loaded += piece.rows), totalRows);
        }
        for (const index of indexes) await sql.query(index.definition);
        await sql.query(`ALTER TABLE ${table.name} ENABLE TRIGGER USER`);
      });
      options.onProgress?.(table.name, rows, totalRows);
    }
  } finally {
    await pieces.return(undefined);
  }
  await db.query("SELECT setval('row_version', $1)", [version]);
  // The offices' districts last: the loaded rows are theirs from the first pull on.
  for (const office of offices)
    await db.query('UPDATE offices SET district_ids = $2 WHERE id = $1', [office.id, office.districtIds]);
  await seedOperatorPasswords(db);
  // After a bulk load, as PostgreSQL's own advice goes: statistics for the planner, and the visibility
  // map and hint bits set now rather than by the first requests (measured: the first pushes after a
  // 13.7 M-row seed ran at half speed until this was done). PGlite (`npm run web`'s one demo desk)
  // gets the statistics only: the VACUUM took another 2 s of the 20 000-account start, waited for by
  // the desk's first sign-in, for pushes of one desk.
  await db.query(db.kind === 'postgres' ? 'VACUUM (ANALYZE)' : 'ANALYZE');
  return { rows, offices, officeKey: offices[0]!.key };
}
