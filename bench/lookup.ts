// `npm run bench -- lookup [--accounts N] [--samples N] [--json FILE]`: lookup.search latency through
// the service dispatcher (input parsing, ranking, hydration and output validation included) for each
// kind of query an operator types, drawn from the data, and in the same run the floor: a primary-key
// lookup of an account row. Also the size the search keys and indexes add to the database.
// The database (no history) is built once per seed and size into .bench-cache/ and reused.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { databaseFileIn, openCore } from '../src-main/core';
import { generateDemoDatabaseInWorker } from '../src-main/demo/generate';
import { Rng } from '../src-shared/demo/prng';
import { latencyResults, type BenchResult } from './report';

const SEED = 4242;
const TODAY = new Date('2026-11-20T06:00:00Z');

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
}

interface Row {
  id: number;
  number: string;
  surname: string | null;
  organisation: string | null;
  kind: string;
  iin_bin: string;
  street: string;
  house: string;
  apartment: string | null;
  apartment_prefix: string | null;
  phone: string | null;
}

/** Organisations' names as people say them: the name without its legal form, half of them with it and quotes. */
function legalNames(db: ReturnType<typeof openCore>['db'], n: number, rng: Rng): string[] {
  const names = db
    .prepare<[number], string>("SELECT organisation FROM owners WHERE kind = 'legal' ORDER BY id LIMIT ?")
    .pluck()
    .all(n * 4);
  return Array.from({ length: n }, (_, i) => {
    const full = names[rng.int(0, names.length - 1)]!;
    return i % 2 ? full : full.replace(/^\S+\s+/, '').replace(/[«»]/g, '');
  });
}

/** City numbers (727) by their seven digits, as dictated: 265-36-95. */
function cityPhones(db: ReturnType<typeof openCore>['db'], n: number, rng: Rng): string[] {
  const numbers = db
    .prepare<[number], string>("SELECT number FROM phones WHERE number LIKE '7727%' LIMIT ?")
    .pluck()
    .all(n * 4);
  return Array.from({ length: n }, () => {
    const seven = numbers[rng.int(0, numbers.length - 1)]!.slice(4);
    return `${seven.slice(0, 3)}-${seven.slice(3, 5)}-${seven.slice(5)}`;
  });
}

/** The street (with a name of its own) whose account count is nearest to 900: its first page. */
function longStreet(db: ReturnType<typeof openCore>['db']): string {
  const street = db
    .prepare<[], { kind: string; name: string }>(
      `SELECT s.kind, s.name FROM accounts a JOIN premises p ON p.id = a.premise_id JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id
        WHERE (SELECT count(*) FROM streets x WHERE x.name = s.name) = 1 GROUP BY s.id ORDER BY abs(count(*) - 900) LIMIT 1`,
    )
    .get()!;
  return `${street.kind} ${street.name}`;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const accounts = option(args, '--accounts', 1_000_000);
  const samples = option(args, '--samples', 1_000);
  const cacheDir = resolve('.bench-cache');
  mkdirSync(cacheDir, { recursive: true });
  // v2: the schema and demo city of 0.2 (street aliases, phones by their last seven, namesakes' index).
  const cached = join(cacheDir, `lookup-v2-${SEED}-${accounts}.db`);
  if (!existsSync(cached)) {
    process.stderr.write(`building a demo database of ${accounts} accounts (cached in ${cached})…\n`);
    await generateDemoDatabaseInWorker({ file: cached, accounts, months: 0, seed: SEED, today: TODAY });
  }
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-lookup-'));
  copyFileSync(cached, databaseFileIn(dir));
  const core = openCore({ dataDir: dir, shell: 'web', now: () => TODAY });
  try {
    const db = core.db;
    const maxId = db.prepare('SELECT max(id) FROM accounts').pluck().get() as number;
    const rng = new Rng(SEED);
    const rowAt = db.prepare<[number], Row>(
      `SELECT a.id, a.number, o.surname, o.organisation, s.kind, o.iin_bin, s.name AS street, b.house, p.apartment, p.apartment_prefix,
              (SELECT number FROM phones WHERE account_id = a.id ORDER BY id LIMIT 1) AS phone
         FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
         JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id WHERE a.id = ?`,
    );
    const rows: Row[] = [];
    while (rows.length < samples) rows.push(rowAt.get(rng.int(1, maxId))!);
    const individuals = rows.filter((r) => r.surname !== null);
    const cycle = <T>(list: T[]) => Array.from({ length: samples }, (_, i) => list[i % list.length]!);
    const phone = (p: string) => `+7 ${p.slice(1, 4)} ${p.slice(4, 7)} ${p.slice(7, 9)} ${p.slice(9)}`;
    const typo = (s: string) => {
      const i = 1 + (s.length % Math.max(1, s.length - 2));
      return `${s.slice(0, i)}${s[i] === 'о' ? 'а' : 'о'}${s.slice(i + 1)}`;
    };
    const kinds: Record<string, string[]> = {
      account: rows.map((r) => r.number),
      phone: cycle(rows.filter((r) => r.phone).map((r) => phone(r.phone!))),
      iin: rows.map((r) => r.iin_bin),
      addressFull: rows.map((r) =>
        r.apartment
          ? `${r.street.toLowerCase()} ${r.house} кв ${r.apartment}${r.apartment_prefix ?? ''}`
          : `${r.street} ${r.house}`,
      ),
      addressPartial: rows.map((r) => `${r.street} ${r.house}`),
      surnamePrefix: cycle(individuals.map((r) => r.surname!.slice(0, 3 + (r.id % 3)))),
      typo: cycle(individuals.filter((r) => r.surname!.length >= 6).map((r) => typo(r.surname!))),
      // The forms of issue 15: an organisation by its name without the legal form, a city number as
      // dictated, the Kazakh order of house and apartment, and a long street's first page.
      organisation: cycle(legalNames(db, samples, rng)),
      cityPhone: cycle(cityPhones(db, samples, rng)),
      kazakhOrder: cycle(
        rows
          .filter((r) => r.apartment && /^\d+$/.test(r.house))
          .map((r) => `${r.street} ${r.house} үй ${r.apartment} пәтер`),
      ),
      streetOnly: cycle([longStreet(db)]),
    };

    // Warm-up: statements prepared, the street list and typo dictionary built (once per process).
    const warm = performance.now();
    await core.services.dispatch('lookup.search', { text: 'Иванова', limit: 20 });
    await core.services.dispatch('lookup.search', { text: 'Ивонова', limit: 20 });
    const warmupMs = performance.now() - warm;

    const results: BenchResult[] = [];
    const params = { accounts };
    // The floor: the cheapest thing a lookup can be, a primary-key read of one account row.
    const byId = db.prepare('SELECT * FROM accounts WHERE id = ?');
    const floor: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      byId.get(rows[i]!.id);
      floor.push(performance.now() - t);
    }
    results.push(...latencyResults('lookup.floor.primaryKey', floor, params));

    let misses = 0;
    for (const [kind, queries] of Object.entries(kinds)) {
      const timings: number[] = [];
      for (const text of queries) {
        const t = performance.now();
        const outcome = await core.services.dispatch('lookup.search', { text, limit: 20 });
        timings.push(performance.now() - t);
        if (!outcome.ok || (outcome.result as { hits: unknown[] }).hits.length === 0) misses++;
      }
      results.push(...latencyResults(`lookup.${kind}`, timings, params));
    }
    results.push({ name: 'lookup.warmup', metric: 'ms', value: Number(warmupMs.toFixed(1)), params });
    results.push({ name: 'lookup.emptyResults', metric: 'count', value: misses, params });

    // What the search keys and their indexes add to the file.
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = (name: string) =>
      (db.prepare('SELECT count(*) FROM dbstat WHERE name = ?').pluck().get(name) as number) * pageSize;
    const keyBytes = db
      .prepare(
        `SELECT (SELECT coalesce(sum(length(name_key)), 0) FROM owners) + (SELECT coalesce(sum(length(house_key)), 0) FROM buildings)
              + (SELECT coalesce(sum(length(apartment_key)), 0) FROM premises)`,
      )
      .pluck()
      .get() as number;
    const indexBytes = pages('owners_name_first') + pages('buildings_street_house_key') + pages('phones_last7');
    const total = (db.pragma('page_count', { simple: true }) as number) * pageSize;
    const addedBytes = keyBytes + indexBytes;
    results.push({ name: 'lookup.index', metric: 'MiB', value: Number((addedBytes / 1024 / 1024).toFixed(1)), params });
    results.push({
      name: 'lookup.index',
      metric: 'percentOfRest',
      value: Number(((100 * addedBytes) / (total - addedBytes)).toFixed(1)),
      params,
    });
    return results;
  } finally {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
