// Fills an empty central database from the project's deterministic demo generator: the city is written
// to a temporary SQLite file by the same fast generator the desktop uses (or an existing demo file is
// read, as `npm run web` does), then loaded table by table with COPY (PostgreSQL's bulk load; PGlite
// takes the same text) with the row triggers off: the loader itself gives each row its version and
// its scope (district, districts served, office), as the triggers would. Offices are
// created at the end; their keys are returned (the service keeps only their hashes).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoDatabaseSync } from '../src-main/demo/generate';
import { columnsOf, REPLICATION, scopeColumn, type TableName } from '../src-shared/replication/model';
import { copyLine, type ServerDb } from './db';
import { addOffice } from './offices';
import { seedOperatorPasswords } from './operators';

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
  onProgress?: (table: string, rows: number) => void;
}

export interface SeedResult {
  rows: number;
  /** each office's key, in the order given */
  offices: { id: number; name: string; key: string; districtIds: number[] | null }[];
  /** the first office's key (the demo's one office) */
  officeKey: string;
}

const ROWS_PER_CHUNK = 10_000;

/** n offices, the city's districts split among them in order (1–4 and 5–8 for two). */
export function demoOffices(n: number, districts = 8): SeedOffice[] {
  if (n <= 1) return [{ name: 'Демо-отделение', districtIds: null }];
  const per = Math.ceil(districts / n);
  return Array.from({ length: n }, (_, i) => ({
    name: `Отделение ${i + 1}`,
    districtIds: Array.from({ length: districts }, (_, d) => d + 1).filter((d) => Math.floor((d - 1) / per) === i),
  }));
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

export async function seedDemo(db: ServerDb, options: SeedOptions): Promise<SeedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-seed-'));
  try {
    const file = join(dir, 'city.db');
    generateDemoDatabaseSync({ file, accounts: options.accounts, months: options.months, seed: options.seed, today: options.today });
    return await seedFromFile(db, file, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  for (const [owner, premise, district] of source.prepare('SELECT owner_id, premise_id, district_id FROM accounts WHERE district_id IS NOT NULL').raw().iterate() as Iterable<[number, number, number]>) {
    add(owners, owner, [district]);
    add(premises, premise, [district]);
  }
  const buildings = new Map<number, Set<number>>();
  for (const [id, building] of source.prepare('SELECT id, building_id FROM premises').raw().iterate() as Iterable<[number, number]>) {
    const d = premises.get(id);
    if (d) add(buildings, building, d);
  }
  const streets = new Map<number, Set<number>>();
  for (const [id, street] of source.prepare('SELECT id, street_id FROM buildings').raw().iterate() as Iterable<[number, number]>) {
    const d = buildings.get(id);
    if (d) add(streets, street, d);
  }
  const sorted = (map: Map<number, Set<number>>) => new Map([...map].map(([id, set]) => [id, [...set].sort((a, b) => a - b)]));
  return new Map<TableName, Map<number, number[]>>([
    ['owners', sorted(owners)],
    ['premises', sorted(premises)],
    ['buildings', sorted(buildings)],
    ['streets', sorted(streets)],
  ]);
}

/** The source query of a table: its replicated columns, then (where it has one) the account's district. */
function sourceQuery(name: TableName): string {
  const table = REPLICATION.find((t) => t.name === name)!;
  const columns = columnsOf(name).map((c) => `t.${c}`).join(', ');
  const order = table.key.map((k) => `t.${k}`).join(', ');
  switch (table.scope.kind) {
    case 'account':
      return `SELECT ${columns}, a.district_id FROM ${name} t LEFT JOIN accounts a ON a.id = t.account_id ORDER BY ${order}`;
    case 'meter':
      return `SELECT ${columns}, a.district_id FROM ${name} t LEFT JOIN meters m ON m.id = t.meter_id LEFT JOIN accounts a ON a.id = m.account_id ORDER BY ${order}`;
    default:
      return `SELECT ${columns} FROM ${name} t ORDER BY ${order}`;
  }
}

/** Copies the replicated tables of a demo database file (e.g. the one `npm run web` generated) into an empty central database. */
export async function seedFromFile(db: ServerDb, file: string, options: Pick<SeedOptions, 'offices' | 'onProgress'> = {}): Promise<SeedResult> {
  const officeSpecs = options.offices ?? demoOffices(1);
  // The offices first (their ids give the operators their office); their keys are shown once.
  const offices: SeedResult['offices'] = [];
  for (const spec of officeSpecs) {
    const { office, key } = await addOffice(db, { name: spec.name, districtIds: null });
    offices.push({ id: office.id, name: office.name, key, districtIds: spec.districtIds });
  }
  const officeIds = offices.map((o) => o.id);
  let rows = 0;
  let version = (await db.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]!.v;
  const source = new Database(file, { readonly: true });
  try {
    const served = servedDistricts(source);
    for (const table of REPLICATION) {
      const columns = columnsOf(table.name);
      // The server-only scope column, where the table has one beside its replicated columns.
      const scope = table.scope.kind === 'district' ? null : scopeColumn(table.scope);
      const all = [...columns, 'version', ...(scope ? [scope] : [])];
      const servedBy = served.get(table.name);
      // The table's rows as COPY text, in chunks made as the database takes them.
      const source_ = source;
      function* chunks(): Generator<string> {
        let chunk = '';
        let inChunk = 0;
        const values: unknown[] = new Array(all.length);
        for (const row of source_.prepare(sourceQuery(table.name)).raw().iterate() as Iterable<unknown[]>) {
          for (let c = 0; c < columns.length; c++) values[c] = row[c];
          values[columns.length] = ++version;
          if (scope === 'districts') values[columns.length + 1] = `{${(servedBy?.get(row[0] as number) ?? []).join(',')}}`;
          else if (scope === 'district_id') values[columns.length + 1] = row[columns.length] ?? null;
          else if (scope === 'office_id') values[columns.length + 1] = demoOperatorOffice(String(row[1]), officeIds);
          chunk += copyLine(values);
          if (++inChunk >= ROWS_PER_CHUNK) {
            rows += inChunk;
            yield chunk;
            chunk = '';
            inChunk = 0;
          }
        }
        rows += inChunk;
        if (inChunk) yield chunk;
      }
      await db.tx(async (sql) => {
        // The loader does what the row triggers would (versions, scopes), in bulk: COPY, triggers off,
        // and the table's secondary indexes built once after the load instead of row by row.
        await sql.query(`ALTER TABLE ${table.name} DISABLE TRIGGER USER`);
        await sql.query('SET LOCAL synchronous_commit = off');
        const indexes = await sql.query<{ name: string; definition: string }>(
          `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
          [table.name],
        );
        for (const index of indexes) await sql.query(`DROP INDEX ${index.name}`);
        await sql.copy(table.name, all, chunks());
        for (const index of indexes) await sql.query(index.definition);
        await sql.query(`ALTER TABLE ${table.name} ENABLE TRIGGER USER`);
      });
      options.onProgress?.(table.name, rows);
    }
  } finally {
    source.close();
  }
  await db.query("SELECT setval('row_version', $1)", [version]);
  // The offices' districts last: the loaded rows are theirs from the first pull on.
  for (const office of offices) await db.query('UPDATE offices SET district_ids = $2 WHERE id = $1', [office.id, office.districtIds]);
  await seedOperatorPasswords(db);
  // After a bulk load, as PostgreSQL's own advice goes: statistics for the planner, and the visibility
  // map and hint bits set now rather than by the first requests (measured: the first pushes after a
  // 13.7 M-row seed ran at half speed until this was done).
  await db.query('VACUUM (ANALYZE)');
  return { rows, offices, officeKey: offices[0]!.key };
}
