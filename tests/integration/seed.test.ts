// The central service's seed from a demo file (src-server/seed.ts): COPY text made by SQLite, in this
// thread or a worker thread, gives the service exactly the file's rows (text with tabs, line breaks,
// backslashes and a literal \N included), each with its own version, the account's district where
// the table keeps one, and progress up to every row.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDatabaseSync } from '../../src-main/demo/generate';
import { openPglite, type ServerDb } from '../../src-server/db';
import { migrateServer } from '../../src-server/schema';
import { demoOffices, seedFromFile } from '../../src-server/seed';
import { columnsOf, REPLICATION } from '../../src-shared/replication/model';
import { makeTempDir } from '../helpers/tmp';

let temp: ReturnType<typeof makeTempDir>;
let file: string;
const AWKWARD = 'Tab\there, line\nbreak, CR\rend, back\\slash, \\N and \\t literally';

beforeAll(() => {
  temp = makeTempDir();
  file = join(temp.dir, 'city.db');
  generateDemoDatabaseSync({ file, accounts: 40, months: 2, seed: 7, today: new Date('2026-11-20T06:00:00Z') });
  const db = new Database(file);
  db.prepare('UPDATE owners SET surname = ?, patronymic = ?, email = NULL WHERE id = (SELECT min(id) FROM owners)').run(
    AWKWARD,
    '\\N',
  );
  db.prepare('UPDATE readings SET review_note = ? WHERE id = (SELECT min(id) FROM readings)').run(AWKWARD);
  db.close();
});
afterAll(() => temp.cleanup());

describe.each(['thread', 'worker'] as const)('seed from a demo file, COPY text made in a %s', (reader) => {
  let db: ServerDb;
  const progress: [string, number, number][] = [];
  let seeded: Awaited<ReturnType<typeof seedFromFile>>;
  beforeAll(async () => {
    db = await openPglite();
    await migrateServer(db);
    seeded = await seedFromFile(db, file, {
      offices: demoOffices(2),
      reader,
      onProgress: (table, rows, total) => progress.push([table, rows, total]),
    });
  });
  afterAll(() => db.close());

  it('holds every replicated row of the file as it is there', async () => {
    const source = new Database(file, { readonly: true });
    try {
      for (const table of REPLICATION) {
        const columns = columnsOf(table.name).join(', ');
        const order = table.key.join(', ');
        const expected = source.prepare(`SELECT ${columns} FROM ${table.name} ORDER BY ${order}`).raw().all();
        const actual = await db.rows(`SELECT ${columns} FROM ${table.name} ORDER BY ${order}`);
        expect(actual, table.name).toEqual(expected);
      }
      expect(
        (
          await db.query<{ surname: string; patronymic: string; email: string | null }>(
            'SELECT surname, patronymic, email FROM owners ORDER BY id LIMIT 1',
          )
        )[0],
      ).toEqual({ surname: AWKWARD, patronymic: '\\N', email: null });
    } finally {
      source.close();
    }
  });

  it('gives each row a version of its own, and the sequence the last one', async () => {
    const versions: number[] = [];
    for (const table of REPLICATION)
      versions.push(...(await db.query<{ v: number }>(`SELECT version AS v FROM ${table.name}`)).map((r) => r.v));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.length).toBe(seeded.rows);
    const last = (await db.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]!.v;
    expect(Math.max(...versions)).toBe(last);
  });

  it("keeps beside each reading its account's district, and beside each operator its office", async () => {
    const wrong = await db.query(
      'SELECT r.id FROM readings r JOIN meters m ON m.id = r.meter_id JOIN accounts a ON a.id = m.account_id WHERE r.district_id IS DISTINCT FROM a.district_id',
    );
    expect(wrong).toEqual([]);
    const operators = await db.query<{ login: string; office_id: number | null }>(
      'SELECT login, office_id FROM operators ORDER BY id',
    );
    const [first, second] = seeded.offices;
    expect(operators.find((o) => o.login === 'admin')?.office_id).toBeNull();
    expect(operators.find((o) => o.login === 'kassa2')?.office_id).toBe(second!.id);
    expect(operators.find((o) => o.login === 'kassa1')?.office_id).toBe(first!.id);
  });

  it('tells its progress as it goes, up to every row', () => {
    const rows = progress.map(([, n]) => n);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual([REPLICATION.at(-1)!.name, seeded.rows, seeded.rows]);
  });
});
