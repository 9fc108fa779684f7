import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TABLES } from '../../src-shared/demo/tables';
import { isValidIinBin } from '../../src-shared/domain/iin';
import { databaseFileIn } from '../../src-main/core';
import { generateDemoDatabase } from '../../src-main/demo/generate';
import { ensureDemoData } from '../../src-main/demo-setup';
import { FIXTURE_SEED, FIXTURE_TODAY } from '../fixtures/demo';
import { makeTempDir } from '../helpers/tmp';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

/** A digest of every generated table's rows in id order: equal digests = identical data. */
function digest(file: string): string {
  const db = new Database(file, { readonly: true });
  const hash = createHash('sha256');
  for (const [table, columns] of Object.entries(DEMO_TABLES)) {
    for (const row of db
      .prepare(`SELECT ${columns.join(',')} FROM ${table} ORDER BY ${columns[0]}, ${columns[1]}`)
      .raw()
      .iterate()) {
      hash.update(JSON.stringify(row));
    }
  }
  db.close();
  return hash.digest('hex');
}

async function city(name: string, seed = FIXTURE_SEED, accounts = 2_000, months = 24) {
  const file = join(temp.dir, name);
  await generateDemoDatabase({ file, accounts, months, seed, today: FIXTURE_TODAY });
  return file;
}

describe('demo city', async () => {
  const a = await city('a.db');

  it('is identical for the same seed and different for another', async () => {
    const b = await city('b.db');
    const c = await city('c.db', FIXTURE_SEED + 1);
    expect(digest(a)).toBe(digest(b));
    expect(digest(c)).not.toBe(digest(a));
  });

  const db = new Database(a, { readonly: true });
  const one = <T>(sql: string) => db.prepare(sql).pluck().get() as T;
  const all = <T>(sql: string) => db.prepare(sql).pluck().all() as T[];

  it('is a consistent, current-schema database', () => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(one<number>('SELECT count(*) FROM accounts')).toBe(2_000);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('has Russian and Kazakh names, with ё and Kazakh letters, valid IINs and BINs', () => {
    const streets = all<string>('SELECT name FROM streets').join(' ');
    expect(streets).toMatch(/ё/);
    expect(streets).toMatch(/[әғқңөұүһі]/);
    const surnames = all<string>("SELECT surname FROM owners WHERE kind = 'individual'");
    expect(surnames.some((s) => /[әғқңөұүһі]/i.test(s))).toBe(true);
    expect(surnames.some((s) => /ё/.test(s))).toBe(true);
    expect(surnames.some((s) => /^(Иванов|Петров|Смирнов)а?$/.test(s))).toBe(true);
    expect(all<string>('SELECT iin_bin FROM owners').every(isValidIinBin)).toBe(true);
  });

  it('has ~3 % legal entities with contract numbers like Д-2019/0457', () => {
    const legal = one<number>("SELECT count(*) FROM accounts WHERE kind = 'legal'");
    expect(legal / 2_000).toBeGreaterThan(0.015);
    expect(legal / 2_000).toBeLessThan(0.05);
    const contracts = all<string>("SELECT contract_number FROM accounts WHERE kind = 'legal'");
    expect(contracts.every((c) => /^Д-\d{4}\/\d{4}$/.test(c))).toBe(true);
    expect(one<number>("SELECT count(*) FROM accounts WHERE kind = 'individual' AND contract_number IS NOT NULL")).toBe(
      0,
    );
  });

  it('has apartment blocks with prefixes and private houses without apartments', () => {
    expect(
      one<number>(
        'SELECT count(*) FROM premises p JOIN buildings b ON b.id = p.building_id WHERE b.is_private = 1 AND p.apartment IS NOT NULL',
      ),
    ).toBe(0);
    expect(one<number>('SELECT count(*) FROM buildings WHERE is_private = 1')).toBeGreaterThan(100);
    expect(one<number>('SELECT count(*) FROM premises WHERE apartment_prefix IS NOT NULL')).toBeGreaterThan(10);
    const houses = all<string>('SELECT house FROM buildings');
    expect(houses.some((h) => /^\d+[А-Я]$/.test(h))).toBe(true);
    expect(houses.some((h) => /^\d+\/\d$/.test(h))).toBe(true);
    expect(houses.some((h) => /корп\./.test(h))).toBe(true);
  });

  it('has 0–3 meters per account, some overdue for verification, with rollovers and replacements', () => {
    const perAccount = all<number>(
      'SELECT (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) FROM accounts a',
    );
    expect(Math.min(...perAccount)).toBe(0);
    expect(Math.max(...perAccount)).toBe(3);
    expect(
      one<number>(`SELECT count(*) FROM meters WHERE removed_on IS NULL AND next_verification_on < '2026-11-20'`),
    ).toBeGreaterThan(20);
    expect(one<number>("SELECT count(*) FROM readings WHERE kind = 'rollover'")).toBeGreaterThan(0);
    expect(one<number>("SELECT count(*) FROM readings WHERE kind = 'replacement'")).toBeGreaterThan(0);
    expect(all<string>('SELECT DISTINCT period FROM readings ORDER BY 1')).toHaveLength(25); // 24 months + this one
  });

  it('keeps every balance: closing = opening + charges + recalculations − payments, chained month to month', () => {
    const broken = one<number>(`
      SELECT count(*) FROM balances b WHERE closing_tiyn != opening_tiyn
        + (SELECT coalesce(sum(amount_tiyn), 0) FROM charges c WHERE c.account_id = b.account_id AND c.period = b.period)
        + (SELECT coalesce(sum(amount_tiyn), 0) FROM recalculations r WHERE r.account_id = b.account_id AND r.period = b.period)
        - (SELECT coalesce(sum(amount_tiyn), 0) FROM payments p WHERE p.account_id = b.account_id AND p.period = b.period)`);
    expect(broken).toBe(0);
    const unchained = one<number>(`
      SELECT count(*) FROM balances x JOIN balances y ON y.account_id = x.account_id
        AND y.period = strftime('%Y-%m', x.period || '-01', '+1 month') WHERE x.closing_tiyn != y.opening_tiyn`);
    expect(unchained).toBe(0);
    // Most pay, some owe, a few prepay.
    const debt = one<number>('SELECT count(*) FROM accounts WHERE balance_tiyn > 0');
    const prepaid = one<number>('SELECT count(*) FROM accounts WHERE balance_tiyn < 0');
    expect(debt).toBeGreaterThan(100);
    expect(prepaid).toBeGreaterThan(20);
    expect(one<number>('SELECT count(DISTINCT account_id) FROM payments')).toBeGreaterThan(1_500);
  });

  it('bills by meter from the readings, by norm without a meter, split on the mid-month tariff change', () => {
    // Metered water volume of a month equals the sum of the meters' reading differences.
    const mismatched = one<number>(`
      WITH r AS (
        SELECT m.account_id, r.period, r.meter_id, r.value_litres, r.kind, m.int_digits,
               lag(r.value_litres) OVER (PARTITION BY r.meter_id ORDER BY r.read_on, r.id) AS prev
          FROM readings r JOIN meters m ON m.id = r.meter_id),
      used AS (
        SELECT account_id, period, sum(CASE WHEN kind = 'replacement' THEN value_litres
                                            WHEN kind = 'rollover' THEN value_litres + power(10, int_digits) * 1000 - prev
                                            ELSE value_litres - prev END) AS litres
          FROM r WHERE prev IS NOT NULL OR kind = 'replacement' GROUP BY account_id, period),
      billed AS (SELECT account_id, period, sum(volume_litres) AS litres FROM charges WHERE service = 'water' AND basis = 'meter' GROUP BY 1, 2)
      SELECT count(*) FROM billed b JOIN used u USING (account_id, period)
       WHERE b.period > '2024-11' AND b.period < '2026-11' AND b.litres != u.litres`);
    expect(mismatched).toBe(0);
    const normMonths = db
      .prepare(
        "SELECT a.residents, sum(c.volume_litres) AS litres FROM charges c JOIN accounts a ON a.id = c.account_id WHERE c.basis = 'norm' AND c.service = 'water' GROUP BY c.account_id, c.period",
      )
      .all() as { residents: number; litres: number }[];
    expect(normMonths.length).toBeGreaterThan(100);
    expect(normMonths.every((m) => m.litres === m.residents * 4_200)).toBe(true);
    // September 2026: the tariff changed on the 16th, so each service has two lines of 15 days.
    const lines = db
      .prepare(
        "SELECT days, price_tiyn_per_m3 FROM charges WHERE account_id = 1 AND period = '2026-09' AND service = 'water' ORDER BY days, price_tiyn_per_m3",
      )
      .all();
    expect(lines).toEqual([
      { days: 15, price_tiyn_per_m3: 9_780 },
      { days: 15, price_tiyn_per_m3: 10_960 },
    ]);
    // Legal entities pay a different tariff.
    expect(
      all<number>(
        "SELECT DISTINCT c.price_tiyn_per_m3 FROM charges c JOIN accounts a ON a.id = c.account_id WHERE a.kind = 'legal' AND c.period = '2026-10' ORDER BY 1",
      ),
    ).toEqual([22_030, 33_820]);
  });

  it('fills a new data folder in a worker on first run and never touches an existing database', async () => {
    const dataDir = join(temp.dir, 'data');
    const seen: number[] = [];
    const result = await ensureDemoData(dataDir, { accounts: 300, months: 3, onProgress: (done) => seen.push(done) });
    expect(result?.accounts).toBe(300);
    expect(seen.at(-1)).toBe(300);
    expect(existsSync(databaseFileIn(dataDir))).toBe(true);
    expect(existsSync(`${databaseFileIn(dataDir)}.generating`)).toBe(false);
    expect(await ensureDemoData(dataDir, { accounts: 300 })).toBeNull();
  });

  it('npm run demo writes a file with a summary line, and refuses bad arguments without writing', () => {
    const out = join(temp.dir, 'cli.db');
    const stdout = execFileSync(
      'npx',
      ['tsx', 'src-main/cli/demo.ts', '--accounts', '200', '--months', '2', '--out', out],
      { encoding: 'utf8' },
    );
    expect(stdout).toMatch(/Wrote .*cli\.db: 200 accounts, 2 months/);
    const bad = spawnSync(
      'npx',
      ['tsx', 'src-main/cli/demo.ts', '--accounts', 'many', '--out', join(temp.dir, 'bad.db')],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--accounts must be a whole number/);
    expect(existsSync(join(temp.dir, 'bad.db'))).toBe(false);
    const exists = spawnSync('npx', ['tsx', 'src-main/cli/demo.ts', '--accounts', '10', '--out', out], {
      encoding: 'utf8',
    });
    expect(exists.status).toBe(2);
    expect(exists.stderr).toMatch(/exists; pass --force/);
  });
});
