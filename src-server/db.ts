// The central database: PostgreSQL through a `pg` pool when DATABASE_URL is given, otherwise an
// embedded PGlite in a data folder. Both speak the same SQL; the rest of the server sees `ServerDb`.
import { PGlite } from '@electric-sql/pglite';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters in one round trip (e.g. savepoint bookkeeping). */
  exec(text: string): Promise<void>;
  /** Rows as arrays in column order (no object per row: what pull pages are made of). */
  rows(text: string, params?: unknown[]): Promise<unknown[][]>;
  /**
   * Bulk load: `COPY table (columns) FROM` the chunks of text (PostgreSQL's text format, see
   * `copyLine`). PostgreSQL gets one stream, so the database loads a chunk while the next is made.
   */
  copy(table: string, columns: readonly string[], chunks: Iterable<string>): Promise<void>;
}

/** One row in COPY's text format: tab-separated, \N for NULL, backslash, tab and line breaks escaped. */
export function copyLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) line += '\t';
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'number') line += String(v);
    else
      line += String(v).replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      );
  }
  return `${line}\n`;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const copySql = (table: string, columns: readonly string[]) => {
  if (!IDENTIFIER.test(table) || !columns.every((c) => IDENTIFIER.test(c))) throw new Error(`Bad COPY target ${table}`);
  return `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
};

async function copyThrough(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  chunks: Iterable<string>,
): Promise<void> {
  const stream = client.query(copyFrom(copySql(table, columns)));
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    stream.on('error', (error) => {
      failed = true;
      reject(error);
    });
    stream.on('finish', resolve);
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      try {
        for (;;) {
          if (failed) return;
          const next = iterator.next();
          if (next.done) return void stream.end();
          if (!stream.write(next.value)) return void stream.once('drain', pump);
        }
      } catch (error) {
        stream.destroy(error as Error);
      }
    };
    pump();
  });
}

const pgliteCopy =
  (run: (text: string, blob: Blob) => Promise<unknown>) =>
  async (table: string, columns: readonly string[], chunks: Iterable<string>) => {
    const sql = copySql(table, columns).replace('STDIN', "'/dev/blob'");
    for (const chunk of chunks) await run(sql, new Blob([chunk]));
  };

export interface ServerDb extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const INT8 = 20;
const toNumber = (value: string) => Number(value); // our integers (tiyn, litres, ids, versions) stay below 2^53

export async function openPostgres(url: string, options: { schema?: string; max?: number } = {}): Promise<ServerDb> {
  if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema))
    throw new Error(`Bad schema name ${options.schema}`);
  if (options.schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 8,
    // Every connection of the pool works in the schema (tests give each run its own).
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? toNumber : pg.types.getTypeParser(oid, format),
    } as never,
  });
  const wrap = (
    run: (config: pg.QueryConfig | string, params?: unknown[]) => Promise<pg.QueryResult>,
    copy: Sql['copy'],
  ): Sql => ({
    query: async <T>(text: string, params?: unknown[]) => (await run(text, params)).rows as T[],
    exec: async (text: string) => void (await run(text)),
    rows: async (text: string, params?: unknown[]) =>
      (await run({ text, values: params, rowMode: 'array' } as never)).rows as unknown[][],
    copy,
  });
  const poolCopy: Sql['copy'] = async (table, columns, text) => {
    const client = await pool.connect();
    try {
      await copyThrough(client, table, columns, text);
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    ...wrap(
      (config, params) => (typeof config === 'string' ? pool.query(config, params) : pool.query(config)),
      poolCopy,
    ),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(
          wrap(
            (config, params) => (typeof config === 'string' ? client.query(config, params) : client.query(config)),
            (table, columns, text) => copyThrough(client, table, columns, text),
          ),
        );
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

const LOCK_FILE = 'aquadesk-central.lock';
const ownLocks = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same folder (say, `npm run server
 * -- mailing` while the service runs) opens it without a word and both write to it. A lock file with
 * the owner's pid refuses that; one left by a process that is gone is taken over.
 */
export function lockPgliteFolder(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      ownLocks.add(file);
      return () => {
        if (!ownLocks.delete(file)) return;
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      const held = ownLocks.has(file) || (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid));
      if (held)
        throw new Error(
          `The PGlite folder ${dataDir} is in use by ${ownLocks.has(file) ? 'this process' : `process ${pid}`}; stop it first (or use PostgreSQL through DATABASE_URL)`,
        );
      unlinkSync(file); // left by a process that is gone
    }
  }
}

export async function openPglite(dataDir?: string): Promise<ServerDb> {
  // A new folder must be empty for initdb, so it is locked right after; an existing one before opening.
  const fresh = dataDir !== undefined && !existsSync(join(dataDir, 'PG_VERSION'));
  let unlock = dataDir !== undefined && !fresh ? lockPgliteFolder(dataDir) : undefined;
  let db: PGlite;
  try {
    db = new PGlite(dataDir, { parsers: { [INT8]: toNumber } });
    await db.waitReady;
    if (dataDir !== undefined && fresh) unlock = lockPgliteFolder(dataDir);
  } catch (error) {
    unlock?.();
    throw error;
  }
  return {
    kind: 'pglite',
    query: async <T>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows,
    exec: async (text: string) => void (await db.exec(text)),
    rows: async (text: string, params?: unknown[]) =>
      (await db.query<unknown[]>(text, params, { rowMode: 'array' })).rows,
    copy: pgliteCopy((text, blob) => db.query(text, [], { blob })),
    tx: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
          exec: async (text: string) => void (await tx.exec(text)),
          rows: async (text: string, params?: unknown[]) =>
            (await tx.query<unknown[]>(text, params, { rowMode: 'array' })).rows,
          copy: pgliteCopy((text, blob) => tx.query(text, [], { blob })),
        }),
      ),
    async close() {
      try {
        await db.close();
      } finally {
        unlock?.();
      }
    },
  };
}

export function openServerDb(options: { url?: string; dataDir?: string; schema?: string }): Promise<ServerDb> {
  return options.url ? openPostgres(options.url, { schema: options.schema }) : openPglite(options.dataDir);
}
