// Pull: every replicated row changed after the client's cursor, in pages, oldest version first,
// scoped to the office's districts. Read in one repeatable-read snapshot so a page is consistent.
import type { PullResponse } from '../src-shared/schemas/sync';
import type { ServerDb } from './db';
import type { Office } from './push';
import { columnsOf, REPLICATED } from './schema';

function scopeClause(scope: (typeof REPLICATED)[number]['scope'], param: string): string {
  switch (scope) {
    case 'self':
      return ` AND district_id = ANY(${param})`;
    case 'account':
      return ` AND account_id IN (SELECT id FROM accounts WHERE district_id = ANY(${param}))`;
    case 'meter':
      return ` AND meter_id IN (SELECT m.id FROM meters m JOIN accounts a ON a.id = m.account_id WHERE a.district_id = ANY(${param}))`;
    default:
      return '';
  }
}

/**
 * One page as the JSON text of the response's `result`. The database writes each table's rows as a
 * JSON array itself (json_agg of json_build_array), so no row is turned into JavaScript values and
 * back on the server: for an initial sync of millions of rows that was most of the server's time.
 */
export async function pullPageJson(db: ServerDb, office: Office, cursor: number, limit: number): Promise<string> {
  return db.tx(async (sql) => {
    if (db.kind === 'postgres') await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const params: unknown[] = [cursor, limit];
    if (office.districtIds) params.push(office.districtIds);
    const where = (scope: (typeof REPLICATED)[number]['scope']) => `version > $1${office.districtIds ? scopeClause(scope, '$3') : ''}`;
    // The page ends at the limit-th smallest version over all tables (index-only scans of `version`),
    // so each table is then read for exactly its rows of the page, nothing fetched twice.
    const versions = [
      ...REPLICATED.map(({ table, scope }) => `(SELECT version FROM ${table} WHERE ${where(scope)} ORDER BY version LIMIT $2)`),
      '(SELECT version FROM tombstones WHERE version > $1 ORDER BY version LIMIT $2)',
    ].join(' UNION ALL ');
    const bounds = await sql.query<{ last: number | null; n: number }>(`SELECT max(version) AS last, count(*)::int AS n FROM (SELECT version FROM (${versions}) v ORDER BY version LIMIT $2) p`, params);
    const last = bounds[0]?.last ?? null;
    const latest = (await sql.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]?.v ?? 0;
    if (last === null) return JSON.stringify({ cursor, hasMore: false, rows: 0, latest, tables: {}, deleted: {} });
    const parts: string[] = [];
    let rows = 0;
    for (const { table, scope } of REPLICATED) {
      const columns = [...columnsOf(table), 'version'];
      const found = await sql.query<{ n: number; rows: string | null }>(
        `SELECT count(*)::int AS n, json_agg(json_build_array(${columns.join(', ')}) ORDER BY version)::text AS rows
           FROM ${table} WHERE ${where(scope)} AND version <= $2`,
        [cursor, last, ...params.slice(2)],
      );
      const n = found[0]?.n ?? 0;
      if (!n) continue;
      parts.push(`${JSON.stringify(table)}:{"columns":${JSON.stringify(columns)},"rows":${found[0]!.rows}}`);
      rows += n;
    }
    // Deletes: the keys of rows removed in this page's range, applied after the upserts.
    const gone = await sql.query<{ n: number; deleted: string | null }>(
      `SELECT count(*)::int AS n, json_object_agg(table_name, keys)::text AS deleted FROM (
         SELECT table_name, json_agg(key ORDER BY version) AS keys FROM tombstones WHERE version > $1 AND version <= $2 GROUP BY table_name) t`,
      [cursor, last],
    );
    const deleted = gone[0]?.deleted ?? '{}';
    return `{"cursor":${last},"hasMore":${bounds[0]!.n >= limit},"rows":${rows},"latest":${latest},"tables":{${parts.join(',')}},"deleted":${deleted}}`;
  });
}

/** The same page parsed (for callers in this process). */
export async function pullPage(db: ServerDb, office: Office, cursor: number, limit: number): Promise<PullResponse> {
  return JSON.parse(await pullPageJson(db, office, cursor, limit)) as PullResponse;
}
