// Applies pull pages to the local store (in the sync worker, or on the caller's thread in tests): one
// transaction per page, the page's cursor saved with it. Upserts and deletions apply in version
// order: a row is removed only by a tombstone newer than the row held (so a row deleted and inserted
// again survives, whatever order they arrive in). Every row written carries the sync generation; after
// a full pull what is left with an older one is no longer this office's and is purged.
import { AppError } from '../../../src-shared/errors';
import {
  columnsOf,
  isReplicatedTable,
  REPLICATION,
  tableSpec,
  type TableName,
} from '../../../src-shared/replication/model';
import { pullResponseSchema, type PullResponse } from '../../../src-shared/schemas/sync';
import type { Db } from '../../store/db';

/** Rows applied by one pull after which the WAL is checkpointed and truncated at its end. */
const LARGE_PULL_ROWS = 100_000;
const PARAMS_PER_STATEMENT = 30_000;

/**
 * A pull page's shape, checked without zod walking every cell (pages carry tens of thousands of
 * rows): every table and column must be the replication model's, every row as long as its columns.
 */
export function checkPage(value: unknown): PullResponse {
  const head = pullResponseSchema
    .pick({ cursor: true, hasMore: true, rows: true, latest: true, scope: true })
    .parse(value);
  const check = (tables: unknown, deleted: boolean): PullResponse['tables'] => {
    if (typeof tables !== 'object' || tables === null) throw new AppError('BAD_REQUEST', 'A malformed pull page');
    for (const [name, t] of Object.entries(tables as Record<string, unknown>)) {
      if (!isReplicatedTable(name))
        throw new AppError('BAD_REQUEST', `Unexpected table ${name.slice(0, 40)} in a pull page`);
      const { columns, rows } = t as { columns?: unknown; rows?: unknown };
      const allowed = new Set([...(deleted ? tableSpec(name).key : columnsOf(name)), 'version']);
      if (
        !Array.isArray(columns) ||
        !columns.every((c) => typeof c === 'string' && allowed.has(c)) ||
        (deleted && columns.length !== allowed.size)
      ) {
        throw new AppError('BAD_REQUEST', `Unexpected columns of ${name} in a pull page`);
      }
      if (
        !columns.includes('version') ||
        !Array.isArray(rows) ||
        !rows.every((r) => Array.isArray(r) && r.length === columns.length)
      ) {
        throw new AppError('BAD_REQUEST', 'A malformed pull page');
      }
    }
    return tables as PullResponse['tables'];
  };
  const raw = value as { tables?: unknown; deleted?: unknown };
  return { ...head, tables: check(raw.tables, false), deleted: check(raw.deleted ?? {}, true) };
}

export interface ApplyPage {
  (page: PullResponse, generation: number): void;
  /** After a full pull: removes every replicated row left with an older generation; returns how many. */
  purge(generation: number): number;
}

export function createPageApplier(db: Db): ApplyPage {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (key: string, sql: () => string) => {
    let s = statements.get(key);
    if (!s) statements.set(key, (s = db.prepare(sql())));
    return s;
  };
  const setCursor = db.prepare(
    "INSERT INTO sync_state (key, value) VALUES ('cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  );
  const upsert = (table: TableName, columns: string[], rows: number) =>
    prepared(`${table}/${columns.join(',')}/${rows}`, () => {
      const tuple = `(${columns.map(() => '?').join(',')},?)`;
      return `INSERT OR REPLACE INTO ${table} (${columns.join(',')},sync_gen) VALUES ${Array(rows).fill(tuple).join(',')}`;
    });
  const remove = (table: TableName) =>
    prepared(
      `delete/${table}`,
      () =>
        `DELETE FROM ${table} WHERE ${tableSpec(table)
          .key.map((k) => `${k} = ?`)
          .join(' AND ')} AND version < ?`,
    );

  const apply = db.transaction((page: PullResponse, generation: number) => {
    for (const table of REPLICATION) {
      const part = page.tables[table.name];
      if (!part) continue;
      const { columns, rows } = part;
      const perStatement = Math.max(1, Math.floor(PARAMS_PER_STATEMENT / (columns.length + 1)));
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        const values: unknown[] = [];
        for (const row of chunk) values.push(...row, generation);
        upsert(table.name, columns, chunk.length).run(values);
      }
    }
    // Deletions after the upserts, each only of a row older than the tombstone: the order of versions holds.
    for (const [name, { rows }] of Object.entries(page.deleted)) {
      const statement = remove(name as TableName);
      for (const row of rows) statement.run(row);
    }
    setCursor.run(String(page.cursor));
  });

  let sinceCheckpoint = 0;
  const applyPage = ((page: PullResponse, generation: number) => {
    // Rows of one page may reference rows of a later one (a parent updated after its children):
    // the server is the source of truth, so foreign keys are not enforced while its pages land.
    db.pragma('foreign_keys = OFF');
    try {
      apply(page, generation);
    } finally {
      db.pragma('foreign_keys = ON');
    }
    // After a large pull (an initial sync writes gigabytes through the WAL) the WAL is copied into the
    // database and truncated here, as part of the pull, instead of by the operator's next small
    // commit (and instead of a WAL file as large as the office staying on disk).
    sinceCheckpoint += page.rows;
    if (!page.hasMore && sinceCheckpoint >= LARGE_PULL_ROWS) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      sinceCheckpoint = 0;
    }
  }) as ApplyPage;

  applyPage.purge = (generation: number) => {
    db.pragma('foreign_keys = OFF');
    try {
      return db.transaction(() => {
        let removed = 0;
        // Children first, parents last: the reverse of the model's order.
        for (const table of [...REPLICATION].reverse())
          removed += db.prepare(`DELETE FROM ${table.name} WHERE sync_gen < ?`).run(generation).changes;
        return removed;
      })();
    } finally {
      db.pragma('foreign_keys = ON');
    }
  };
  return applyPage;
}
