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

export async function pullPage(db: ServerDb, office: Office, cursor: number, limit: number): Promise<PullResponse> {
  return db.tx(async (sql) => {
    if (db.kind === 'postgres') await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const params: unknown[] = [cursor, limit];
    if (office.districtIds) params.push(office.districtIds);
    const where = (scope: (typeof REPLICATED)[number]['scope']) => `version > $1${office.districtIds ? scopeClause(scope, '$3') : ''}`;
    // The page ends at the limit-th smallest version over all tables (index-only scans of `version`),
    // so each table is then read for exactly its rows of the page, nothing fetched twice.
    const versions = REPLICATED.map(({ table, scope }) => `(SELECT version FROM ${table} WHERE ${where(scope)} ORDER BY version LIMIT $2)`).join(' UNION ALL ');
    const bounds = await sql.query<{ last: number | null; n: number }>(`SELECT max(version) AS last, count(*)::int AS n FROM (SELECT version FROM (${versions}) v ORDER BY version LIMIT $2) p`, params);
    const last = bounds[0]?.last ?? null;
    const latest = (await sql.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]?.v ?? 0;
    if (last === null) return { cursor, hasMore: false, rows: 0, latest, tables: {} };
    const tables: PullResponse['tables'] = {};
    let rows = 0;
    for (const { table, scope } of REPLICATED) {
      const columns = [...columnsOf(table), 'version'];
      const found = await sql.rows(`SELECT ${columns.join(', ')} FROM ${table} WHERE ${where(scope)} AND version <= $2 ORDER BY version`, [cursor, last, ...params.slice(2)]);
      if (!found.length) continue;
      tables[table] = { columns, rows: found };
      rows += found.length;
    }
    return { cursor: last, hasMore: bounds[0]!.n >= limit, rows, latest, tables };
  });
}
