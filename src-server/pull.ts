// Pull: every replicated row of the office's scope changed after the client's cursor, in pages, oldest
// version first, and the rows that left the scope (deleted, or moved to another office's district) as
// tombstones with their versions. What "the office's scope" is comes from the replication model, table
// by table; the page is read in one repeatable-read snapshot so it is consistent.
import {
  isReplicatedTable,
  MODEL_VERSION,
  REPLICATION,
  type ReplicatedTable,
  type Scope,
} from '../src-shared/replication/model';
import type { PullResponse } from '../src-shared/schemas/sync';
import type { ServerDb } from './db';
import type { Office } from './offices';

/** What an office receives, as a string a desk compares: another value means a full pull. */
export function scopeId(office: Office): string {
  return `m${MODEL_VERSION}.o${office.id}.${office.districtIds ? office.districtIds.join('-') : 'all'}`;
}

/** Builds one statement's parameters as they are used (never a parameter the statement lacks). */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The SQL condition for a row of `scope` (alias `x`) to belong to the office. */
function inScope(scope: Scope, office: Office, p: Params, alias = 'x'): string {
  const districts = office.districtIds;
  switch (scope.kind) {
    case 'global':
      return 'TRUE';
    case 'office':
      return `(${alias}.office_id IS NULL OR ${alias}.office_id = ${p.add(office.id)})`;
    case 'served':
      return districts ? `${alias}.districts && ${p.add(districts)}::bigint[]` : `${alias}.districts <> '{}'`;
    default:
      return districts
        ? `${alias}.district_id = ANY(${p.add(districts)}::bigint[])`
        : `${alias}.district_id IS NOT NULL`;
  }
}

/** The condition for a tombstone (alias `t`) to concern the office. */
function tombstoneInScope(office: Office, p: Params): string {
  const district = office.districtIds
    ? `t.scope = ANY(${p.add(office.districtIds.map((d) => `d${d}`))}::text[])`
    : `t.scope LIKE 'd%'`;
  return `(t.scope = '*' OR ${district} OR t.scope = ${p.add(`o${office.id}`)})`;
}

const keyValue = (table: ReplicatedTable, column: string) =>
  `(t.key->>'${column}')::${table.columns[column] === 'int' ? 'bigint' : 'text'}`;

/**
 * One page as the JSON text of the response's `result`. The database writes each table's rows as a
 * JSON array itself (json_agg of json_build_array), so no row is turned into JavaScript values and
 * back on the server: for an initial sync of millions of rows that was most of the server's time.
 */
export async function pullPageJson(db: ServerDb, office: Office, cursor: number, limit: number): Promise<string> {
  return db.tx(async (sql) => {
    if (db.kind === 'postgres') await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const scope = scopeId(office);
    // The page ends at the limit-th smallest version over all tables (index-only scans of `version`
    // with the scope column beside it), so each table is then read for exactly its rows of the page.
    const bound = new Params();
    const c = bound.add(cursor);
    const n = bound.add(limit);
    const versions = [
      ...REPLICATION.map(
        (table) =>
          `(SELECT x.version FROM ${table.name} x WHERE x.version > ${c} AND ${inScope(table.scope, office, bound)} ORDER BY x.version LIMIT ${n})`,
      ),
      `(SELECT t.version FROM tombstones t WHERE t.version > ${c} AND ${tombstoneInScope(office, bound)} ORDER BY t.version LIMIT ${n})`,
    ].join(' UNION ALL ');
    const bounds = await sql.query<{ last: number | null; n: number }>(
      `SELECT max(version) AS last, count(*)::int AS n FROM (SELECT version FROM (${versions}) v ORDER BY version LIMIT ${n}) p`,
      bound.values,
    );
    const last = bounds[0]?.last ?? null;
    const latest = (await sql.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]?.v ?? 0;
    const head = (at: number, more: boolean, rows: number) =>
      `{"cursor":${at},"hasMore":${more},"rows":${rows},"latest":${latest},"scope":${JSON.stringify(scope)}`;
    if (last === null) return `${head(cursor, false, 0)},"tables":{},"deleted":{}}`;

    const parts: string[] = [];
    let rows = 0;
    for (const table of REPLICATION) {
      const p = new Params();
      const columns = [...Object.keys(table.columns), 'version'];
      const found = await sql.query<{ n: number; rows: string | null }>(
        `SELECT count(*)::int AS n, json_agg(json_build_array(${columns.map((col) => `x.${col}`).join(', ')}) ORDER BY x.version)::text AS rows
           FROM ${table.name} x WHERE x.version > ${p.add(cursor)} AND x.version <= ${p.add(last)} AND ${inScope(table.scope, office, p)}`,
        p.values,
      );
      const count = found[0]?.n ?? 0;
      if (!count) continue;
      parts.push(`${JSON.stringify(table.name)}:{"columns":${JSON.stringify(columns)},"rows":${found[0]!.rows}}`);
      rows += count;
    }

    // Rows that left the office in this page's range: deleted, or now outside its districts. A
    // tombstone of a row the office still has (moved between two of its districts, deleted and
    // inserted again) is not sent: the row's own newer version says all.
    const gone: string[] = [];
    const touched = new Params();
    const tables = await sql.query<{ table_name: string }>(
      `SELECT DISTINCT t.table_name FROM tombstones t WHERE t.version > ${touched.add(cursor)} AND t.version <= ${touched.add(last)} AND ${tombstoneInScope(office, touched)}`,
      touched.values,
    );
    for (const { table_name: name } of tables) {
      if (!isReplicatedTable(name)) continue;
      const table = REPLICATION.find((r) => r.name === name)!;
      const p = new Params();
      const keyColumns = [...table.key, 'version'];
      const keys = table.key.map((k) => keyValue(table, k));
      const found = await sql.query<{ n: number; rows: string | null }>(
        `SELECT count(*)::int AS n, json_agg(json_build_array(${keys.join(', ')}, t.version) ORDER BY t.version)::text AS rows
           FROM tombstones t
          WHERE t.table_name = ${p.add(name)} AND t.version > ${p.add(cursor)} AND t.version <= ${p.add(last)} AND ${tombstoneInScope(office, p)}
            AND NOT EXISTS (SELECT 1 FROM ${name} x WHERE ${table.key.map((k, i) => `x.${k} = ${keys[i]}`).join(' AND ')} AND ${inScope(table.scope, office, p)})`,
        p.values,
      );
      if (!found[0]?.n) continue;
      gone.push(`${JSON.stringify(name)}:{"columns":${JSON.stringify(keyColumns)},"rows":${found[0].rows}}`);
      rows += found[0].n;
    }
    return `${head(last, bounds[0]!.n >= limit, rows)},"tables":{${parts.join(',')}},"deleted":{${gone.join(',')}}}`;
  });
}

/** The same page parsed (for callers in this process). */
export async function pullPage(db: ServerDb, office: Office, cursor: number, limit: number): Promise<PullResponse> {
  return JSON.parse(await pullPageJson(db, office, cursor, limit)) as PullResponse;
}
