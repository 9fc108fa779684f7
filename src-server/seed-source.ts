// The reading side of the seed (seed.ts): a demo database file's replicated tables as COPY text, in
// chunks. SQLite itself makes each row's line (one string per row, not a JavaScript value per cell);
// this side adds the row's version and the scope the service keeps beside the row (the districts a
// street, building, premise or owner serves; an operator's office), as the row triggers would.
// Runs in a worker thread for a large file (seed-worker.ts), so the text of the next chunks is made
// while the database takes the last one; in the loader's own thread for a small one.
import type Database from 'better-sqlite3';
import { columnsOf, REPLICATION, scopeColumn, type ColumnType, type TableName } from '../src-shared/replication/model';

export const ROWS_PER_CHUNK = 10_000;

/** What the worker is given (and the loader's thread, for a small file). */
export interface SourceJob {
  file: string;
  /** the row version before the first row (the service's `row_version`) */
  version: number;
  /** the offices' ids in the order made (the demo operators' offices) */
  officeIds: number[];
}

/** The columns a table's COPY lines carry, in their order: the version first, then the row, then its scope. */
export function copyColumns(name: TableName): string[] {
  const table = REPLICATION.find((t) => t.name === name)!;
  // The server-only scope column, where the table has one beside its replicated columns.
  const scope = table.scope.kind === 'district' ? null : scopeColumn(table.scope);
  return ['version', ...columnsOf(name), ...(scope ? [scope] : [])];
}

/**
 * Demo operators by office: the administrator works for the whole utility; the others for the first
 * office, except that with several offices the second counter and call-center operators work for the
 * second (so each office has someone to sign in).
 */
function demoOperatorOffice(login: string, officeIds: number[]): number | null {
  if (login === 'admin') return null;
  if (officeIds.length > 1 && (login === 'kassa2' || login === 'call2')) return officeIds[1]!;
  return officeIds[0]!;
}

/** The districts each served row serves, from the source file (what the triggers keep on the service). */
function servedDistricts(source: Database.Database): Map<TableName, Map<number, number[]>> {
  const add = (map: Map<number, Set<number>>, id: number, districts: Iterable<number>) => {
    let set = map.get(id);
    if (!set) map.set(id, (set = new Set()));
    for (const d of districts) set.add(d);
  };
  const owners = new Map<number, Set<number>>();
  const premises = new Map<number, Set<number>>();
  for (const [owner, premise, district] of source
    .prepare('SELECT owner_id, premise_id, district_id FROM accounts WHERE district_id IS NOT NULL')
    .raw()
    .iterate() as Iterable<[number, number, number]>) {
    add(owners, owner, [district]);
    add(premises, premise, [district]);
  }
  const buildings = new Map<number, Set<number>>();
  for (const [id, building] of source.prepare('SELECT id, building_id FROM premises').raw().iterate() as Iterable<
    [number, number]
  >) {
    const d = premises.get(id);
    if (d) add(buildings, building, d);
  }
  const streets = new Map<number, Set<number>>();
  for (const [id, street] of source.prepare('SELECT id, street_id FROM buildings').raw().iterate() as Iterable<
    [number, number]
  >) {
    const d = buildings.get(id);
    if (d) add(streets, street, d);
  }
  const sorted = (map: Map<number, Set<number>>) =>
    new Map([...map].map(([id, set]) => [id, [...set].sort((a, b) => a - b)]));
  return new Map<TableName, Map<number, number[]>>([
    ['owners', sorted(owners)],
    ['premises', sorted(premises)],
    ['buildings', sorted(buildings)],
    ['streets', sorted(streets)],
  ]);
}

/** A column as COPY text (what `copyLine` in db.ts writes), made by SQLite: NULL as \N; backslash, tab and line breaks escaped. */
function copyText(expression: string, type: ColumnType): string {
  const nullText = String.raw`'\N'`;
  if (type === 'int') return `coalesce(CAST(${expression} AS TEXT), ${nullText})`;
  const escaped = String.raw`replace(replace(replace(replace(${expression}, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r')`;
  return `coalesce(${escaped}, ${nullText})`;
}

/**
 * The source query of a table, in key order (the order the versions are given in): each row's
 * replicated columns, then (where it has one) the account's district, as one line of COPY text; and
 * the key of the scope added here (the row's id; the operator's login).
 */
export function sourceQuery(name: TableName): string {
  const table = REPLICATION.find((t) => t.name === name)!;
  const types = table.columns as Readonly<Record<string, ColumnType>>;
  const cells = columnsOf(name).map((c) => copyText(`t.${c}`, types[c]!));
  const kind = table.scope.kind;
  if (kind === 'account' || kind === 'meter') cells.push(copyText('a.district_id', 'int'));
  // An office's row: the demo operators' office by their login; rows an office makes (contacts) have none in a demo file.
  const extra = kind === 'served' ? ', t.id' : kind === 'office' ? ('login' in types ? ', t.login' : ', NULL') : '';
  const from =
    kind === 'account'
      ? `${name} t LEFT JOIN accounts a ON a.id = t.account_id`
      : kind === 'meter'
        ? `${name} t LEFT JOIN meters m ON m.id = t.meter_id LEFT JOIN accounts a ON a.id = m.account_id`
        : `${name} t`;
  return `SELECT ${cells.join(' || char(9) || ')}${extra} FROM ${from} ORDER BY ${table.key.map((k) => `t.${k}`).join(', ')}`;
}

/** Rows of each replicated table in the file (for progress in per cent). */
export function sourceCounts(source: Database.Database): Map<TableName, number> {
  return new Map(
    REPLICATION.map((table) => [
      table.name,
      source.prepare(`SELECT count(*) FROM ${table.name}`).pluck().get() as number,
    ]),
  );
}

/** A chunk of one table's COPY text (and its rows), or the end of a table (its rows, and the last version given). */
export type SourcePiece =
  { table: TableName; text: string; rows: number } | { table: TableName; end: true; rows: number; version: number };

/** Every replicated table of the file, parents first, as COPY text chunks of `copyColumns(table)`. */
export function* sourcePieces(source: Database.Database, job: Omit<SourceJob, 'file'>): Generator<SourcePiece> {
  let version = job.version;
  const served = servedDistricts(source);
  for (const table of REPLICATION) {
    const name = table.name;
    const servedBy = served.get(name);
    // What is added after the line SQLite made: the districts served, or the operator's office.
    const tail: ((key: unknown) => string) | null =
      table.scope.kind === 'served'
        ? (id) => `\t{${(servedBy?.get(id as number) ?? []).join(',')}}`
        : table.scope.kind === 'office'
          ? (login) =>
              `\t${login === null ? String.raw`\N` : (demoOperatorOffice(String(login), job.officeIds) ?? String.raw`\N`)}`
          : null;
    let text = '';
    let inChunk = 0;
    let rows = 0;
    if (tail) {
      for (const [line, key] of source.prepare(sourceQuery(name)).raw().iterate() as Iterable<[string, unknown]>) {
        text += `${++version}\t${line}${tail(key)}\n`;
        if (++inChunk === ROWS_PER_CHUNK) {
          yield { table: name, text, rows: inChunk };
          rows += inChunk;
          text = '';
          inChunk = 0;
        }
      }
    } else {
      for (const line of source.prepare(sourceQuery(name)).pluck().iterate() as Iterable<string>) {
        text += `${++version}\t${line}\n`;
        if (++inChunk === ROWS_PER_CHUNK) {
          yield { table: name, text, rows: inChunk };
          rows += inChunk;
          text = '';
          inChunk = 0;
        }
      }
    }
    if (inChunk) yield { table: name, text, rows: inChunk };
    yield { table: name, end: true, rows: rows + inChunk, version };
  }
}
