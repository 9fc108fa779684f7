// What a utility meets beyond the happy path: a desk restored from a backup or copied to another PC, a
// central database restored from a dump, a late-committing transaction of another writer, a row
// deleted and inserted again, two desks entering a reading for one meter, and entries a desk must
// never be able to break sync with.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerDb } from '../../src-server/db';
import { reasonsFor } from '../helpers/reasons';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { PG_ABSENT, PG_URL, postgresReachable, startCentral, type Central } from '../helpers/central';
import { backupOf, credentialsOf, openDesk, type Desk, type DeskOptions } from '../helpers/desk';
import { makeTempDir } from '../helpers/tmp';

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] recovery tests on PostgreSQL: ${PG_ABSENT} (they run on PGlite only)`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Single-meter accounts with a previous reading and none this month (November 2026). */
function metersToRead(desk: Desk, n: number, skip = 0): { accountId: number; meterId: number }[] {
  return desk.db
    .prepare<[number, number], { accountId: number; meterId: number }>(
      `SELECT m.account_id AS accountId, m.id AS meterId FROM meters m
        WHERE m.removed_on IS NULL AND (SELECT count(*) FROM meters x WHERE x.account_id = m.account_id AND x.removed_on IS NULL) = 1
          AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id)
          AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-11')
        ORDER BY m.id LIMIT ? OFFSET ?`,
    )
    .all(n, skip);
}

/** Submits a plausible reading (previous + extra litres) and returns its litres. */
async function submit(
  desk: Desk,
  target: { accountId: number; meterId: number },
  extraLitres = 2_000,
): Promise<number> {
  const list = await desk.call<ReadingsList>('readings.list', { accountId: target.accountId });
  const meter = list.meters[0]!;
  const base = meter.current?.litres ?? meter.previous!.litres;
  const litres = base + extraLitres;
  await desk.call('readings.submit', {
    accountId: target.accountId,
    entries: [
      {
        meterId: target.meterId,
        value: formatReading(litres, meter.format),
        reasons: reasonsFor(list, target.meterId, litres),
      },
    ],
  });
  return litres;
}

/**
 * PGlite's dump and restore, as pg_dump and pg_restore do them: every table's rows and every sequence's
 * value kept aside, later put back with the triggers off (a restore loads data before its triggers).
 */
async function snapshot(central: Central): Promise<void> {
  const db: ServerDb = central.db;
  await db.query('CREATE SCHEMA snap');
  for (const { table_name: t } of await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  )) {
    await db.query(`CREATE TABLE snap.${t} AS TABLE public.${t}`);
  }
  await db.query(
    "CREATE TABLE snap.sequences AS SELECT sequencename AS name, last_value FROM pg_sequences WHERE schemaname = 'public'",
  );
}
async function restoreSnapshot(central: Central): Promise<void> {
  const db: ServerDb = central.db;
  await db.tx(async (sql) => {
    await sql.query('SET LOCAL session_replication_role = replica');
    for (const { table_name: t } of await sql.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'snap' AND table_name <> 'sequences'",
    )) {
      await sql.query(`DELETE FROM public.${t}`);
      await sql.query(`INSERT INTO public.${t} SELECT * FROM snap.${t}`);
    }
    for (const { name, last_value } of await sql.query<{ name: string; last_value: number | null }>(
      'SELECT name, last_value FROM snap.sequences',
    )) {
      if (last_value !== null) await sql.query('SELECT setval($1, $2)', [`public.${name}`, last_value]);
    }
  });
}

const centralReading = async (central: Central, meterId: number) =>
  (
    await central.db.query<{ value_litres: number }>(
      "SELECT value_litres FROM readings WHERE meter_id = $1 AND period = '2026-11' ORDER BY id DESC LIMIT 1",
      [meterId],
    )
  )[0]?.value_litres ?? null;

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !pgUp)(`recovery on ${kind}`, () => {
    let central: Central;
    const start = async () => {
      central = await startCentral(kind, { accounts: 120, months: 2 });
      cleanups.push(() => central.close());
      return central;
    };
    const desk = (options: DeskOptions = {}) => openDesk(central, options, cleanups);

    it("a desk restored from a backup gets a new identity: its new readings reach the service, none is answered from another change's record", async () => {
      await start();
      const a = await desk();
      await a.sync();
      const [m1, m2, m3] = metersToRead(a, 3);
      await submit(a, m1!);
      await a.sync();
      const backup = backupOf(a);
      cleanups.push(backup.cleanup);
      await submit(a, m2!); // pushed after the backup was taken: the backup knows nothing of it
      await a.sync();
      const before = credentialsOf(a);
      a.close();

      const restored = await desk({ dir: backup.dir, login: null });
      restored.operatorId = a.operatorId; // the same operator, signed in offline from the PC's verifier
      const litres = await submit(restored, m3!); // seq 2 again, another change
      const status = await restored.sync();
      expect(status).toMatchObject({ state: 'online', pending: 0, rejected: 0 });
      expect(await centralReading(central, m3!.meterId)).toBe(litres);
      expect(credentialsOf(restored).clientId).not.toBe(before.clientId);
      const events = await restored.call<{
        events: { operation: string; details: { reason: string; previousClientId: string } }[];
      }>('sync.events', {});
      expect(events.events.find((e) => e.operation === 'sync.identityRenewed')).toMatchObject({
        details: { previousClientId: before.clientId },
      });
      // The reading made after the backup is still the service's, and reaches the restored desk by pull.
      expect(
        restored.db
          .prepare("SELECT count(*) FROM readings WHERE meter_id = ? AND period = '2026-11'")
          .pluck()
          .get(m2!.meterId),
      ).toBe(1);
      // From now on it syncs as itself, without renewing again.
      await submit(restored, m1!, 3_000);
      expect(await restored.sync()).toMatchObject({ state: 'online', pending: 0 });
      expect(credentialsOf(restored).clientId).toBe(credentialsOf(restored).clientId);
      expect(
        (await restored.call<{ events: { operation: string }[] }>('sync.events', {})).events.filter(
          (e) => e.operation === 'sync.identityRenewed',
        ),
      ).toHaveLength(1);
    });

    it('a data folder copied to a second PC: both keep working, each change reaches the service once', async () => {
      await start();
      const a = await desk();
      await a.sync();
      const copy = backupOf(a);
      cleanups.push(copy.cleanup);
      const b = await desk({ dir: copy.dir, login: null });
      b.operatorId = a.operatorId;
      const [ma, mb, mc, md] = metersToRead(a, 4);
      const la = await submit(a, ma!);
      const lb = await submit(b, mb!);
      expect(await a.sync()).toMatchObject({ state: 'online', pending: 0 });
      expect(await b.sync()).toMatchObject({ state: 'online', pending: 0 });
      expect(await centralReading(central, ma!.meterId)).toBe(la);
      expect(await centralReading(central, mb!.meterId)).toBe(lb);
      expect(credentialsOf(a).clientId).not.toBe(credentialsOf(b).clientId);
      // Again, now each as itself.
      const lc = await submit(a, mc!);
      const ld = await submit(b, md!);
      await Promise.all([a.sync(), b.sync()]);
      expect(await centralReading(central, mc!.meterId)).toBe(lc);
      expect(await centralReading(central, md!.meterId)).toBe(ld);
      const results = await central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mutation_results');
      expect(results[0]!.n).toBe(4);
    });

    it('a central database restored from a dump: the desk sends again what it lost, pulls the office anew, and is never stuck', async () => {
      await start();
      const a = await desk();
      await a.sync();
      const [m1, m2, m3, m4] = metersToRead(a, 4);
      await submit(a, m1!);
      await a.sync();
      // The dump.
      const dir = makeTempDir();
      cleanups.push(dir.cleanup);
      const dumpFile = join(dir.dir, 'central.dump');
      if (kind === 'postgres')
        execFileSync('pg_dump', [
          '--dbname',
          PG_URL,
          '--schema',
          central.schema,
          '--format',
          'custom',
          '--file',
          dumpFile,
        ]);
      else await snapshot(central);
      // After it: two more readings from the desk, and a payment posted by the billing system.
      const l2 = await submit(a, m2!);
      const l3 = await submit(a, m3!);
      const account = a.db.prepare('SELECT id FROM accounts ORDER BY id LIMIT 1').pluck().get() as number;
      await central.db.query(
        "INSERT INTO payments (id, account_id, paid_on, period, amount_tiyn, channel) VALUES (900000001, $1, '2026-11-19', '2026-11', 123400, 'kaspi')",
        [account],
      );
      await a.sync();
      expect(a.db.prepare('SELECT count(*) FROM payments WHERE id = 900000001').pluck().get()).toBe(1);

      // The restore.
      if (kind === 'postgres') {
        await central.db.query(`DROP SCHEMA ${central.schema} CASCADE`);
        execFileSync('pg_restore', ['--dbname', PG_URL, dumpFile]);
      } else await restoreSnapshot(central);
      const status = await a.sync();
      expect(status.problem).toBeNull();
      expect(status).toMatchObject({ state: 'online', pending: 0, rejected: 0, resyncing: false });
      expect(await centralReading(central, m2!.meterId)).toBe(l2);
      expect(await centralReading(central, m3!.meterId)).toBe(l3);
      expect(
        a.db
          .prepare("SELECT value_litres FROM readings WHERE meter_id = ? AND period = '2026-11'")
          .pluck()
          .get(m3!.meterId),
      ).toBe(l3);
      // The payment the restore lost is gone from the desk too: it holds what the service holds.
      expect(a.db.prepare('SELECT count(*) FROM payments WHERE id = 900000001').pluck().get()).toBe(0);
      const events = await a.call<{ events: { operation: string; details: Record<string, unknown> }[] }>(
        'sync.events',
        {},
      );
      expect(events.events.find((e) => e.operation === 'sync.serviceRestored')).toMatchObject({
        details: { resent: 2, lost: 0 },
      });
      expect(events.events.find((e) => e.operation === 'sync.resync')).toMatchObject({
        details: { reason: 'serviceRestored' },
      });
      // And it goes on: a new reading is applied, one made on the service arrives.
      const l4 = await submit(a, m4!);
      expect(await a.sync()).toMatchObject({ state: 'online', pending: 0 });
      expect(
        a.db
          .prepare("SELECT value_litres FROM readings WHERE meter_id = ? AND period = '2026-11'")
          .pluck()
          .get(m4!.meterId),
      ).toBe(l4);
    });

    it('a row deleted and inserted again (a reload) stays on the desk, with its new content', async () => {
      await start();
      const a = await desk();
      await a.sync();
      const phone = a.db
        .prepare<[], { id: number; account_id: number; number: string }>(
          'SELECT id, account_id, number FROM phones ORDER BY id LIMIT 1',
        )
        .get()!;
      await central.db.query('DELETE FROM phones WHERE id = $1', [phone.id]);
      await central.db.query(
        "INSERT INTO phones (id, account_id, number, kind) VALUES ($1, $2, '77019998877', 'mobile')",
        [phone.id, phone.account_id],
      );
      await a.sync();
      expect(a.db.prepare('SELECT number FROM phones WHERE id = ?').pluck().get(phone.id)).toBe('77019998877');
      // And the other way round in one page: inserted, then deleted.
      await central.db.query(
        "INSERT INTO phones (id, account_id, number, kind) VALUES (900000002, $1, '77010000000', 'home')",
        [phone.account_id],
      );
      await central.db.query('DELETE FROM phones WHERE id = 900000002');
      await a.sync();
      expect(a.db.prepare('SELECT count(*) FROM phones WHERE id = 900000002').pluck().get()).toBe(0);
    });

    it('two desks on one meter: the later reading is a rejection that names the first, shown on the readings tab, and a supervisor settles it', async () => {
      await start();
      const a = await desk({ login: 'call1' });
      const b = await desk({ login: 'call2' });
      await Promise.all([a.sync(), b.sync()]);
      const [m] = metersToRead(a, 1);
      const first = await submit(a, m!, 2_000);
      await a.sync();
      await submit(b, m!, 5_000); // B has not seen A's reading
      const status = await b.sync();
      expect(status).toMatchObject({ state: 'online', rejected: 1 });
      expect(await centralReading(central, m!.meterId)).toBe(first);
      const { changes } = await b.call<{ changes: { seq: number; code: string; details: Record<string, unknown> }[] }>(
        'sync.rejected',
        {},
      );
      expect(changes[0]).toMatchObject({
        code: 'reading.conflict',
        details: { valueLitres: first, operatorName: 'Петрова Анна Сергеевна', intDigits: expect.any(Number) },
      });
      expect(changes[0]!.details['enteredAt']).toEqual(expect.stringMatching(/^2026-11-20T/));
      const list = await b.call<ReadingsList>('readings.list', { accountId: m!.accountId });
      expect(list.meters[0]!.current).toMatchObject({ litres: first, state: 'applied' }); // A's, pulled
      expect(list.meters[0]!.corrections).toEqual(
        expect.arrayContaining([expect.objectContaining({ state: 'rejected', litres: first + 3_000 })]),
      );
      // Having seen A's reading, B may correct it: not a conflict.
      const corrected = await submit(b, m!, 1_000);
      expect(await b.sync()).toMatchObject({ state: 'online', rejected: 1, pending: 0 });
      expect(await centralReading(central, m!.meterId)).toBe(corrected);
      await b.call('sync.resolve', {
        seq: changes[0]!.seq,
        resolution: 'corrected',
        note: 'Показание сверено с абонентом',
      });
      expect((await b.sync()).rejected).toBe(0);
    });

    it('one bad audit entry (a NUL, a lone surrogate) is set aside and reported; sync goes on and the rest arrives', async () => {
      await start();
      const a = await desk();
      await a.sync();
      // Entries as an earlier version could have written them.
      const insert = a.db.prepare(
        "INSERT INTO audit_log (at, operator_id, account_id, operation, result, details) VALUES (?, NULL, NULL, 'session.signIn', 'denied', ?)",
      );
      insert.run('2026-11-20T06:00:00.000Z', JSON.stringify({ reason: 'badPassword', login: 'x\u0000' }));
      insert.run('2026-11-20T06:00:01.000Z', JSON.stringify({ reason: 'badPassword', login: 'y\ud800' }));
      insert.run('2026-11-20T06:00:02.000Z', JSON.stringify({ reason: 'badPassword', login: 'call9' }));
      const [m] = metersToRead(a, 1);
      const litres = await submit(a, m!);
      const status = await a.sync();
      expect(status).toMatchObject({ state: 'online', pending: 0, setAside: 2 });
      expect(await centralReading(central, m!.meterId)).toBe(litres);
      const { clientId } = credentialsOf(a);
      const stored = await central.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM server_audit WHERE client_id = $1 AND details->>'login' = 'call9'",
        [clientId],
      );
      expect(stored[0]!.n).toBe(1);
      expect(a.db.prepare('SELECT count(*) FROM audit_log WHERE sent_at IS NULL').pluck().get()).toBe(0);
      const refused = a.db.prepare<[], string>('SELECT refused FROM audit_log WHERE refused IS NOT NULL').pluck().all();
      expect(refused).toHaveLength(2);
      expect(refused[0]).toMatch(/^audit\.malformed/);
      // And a NUL or a lone surrogate in a login never gets that far now: refused at the door.
      for (const login of ['x\u0000', 'y\ud800']) {
        const outcome = await a.core.services.gate('session.signIn', { login, password: 'Demo2026' });
        expect(outcome).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      }
    });
  });
}

describe.skipIf(!pgUp)('a late-committing writer', () => {
  it('a psql transaction that commits after a desk pulled is not skipped by any cursor; writers wait for it instead', async () => {
    const central = await startCentral('postgres', { accounts: 60, months: 1 });
    cleanups.push(() => central.close());
    const a = await openDesk(central, { login: 'call1' }, cleanups);
    const b = await openDesk(central, { login: 'call2' }, cleanups);
    await Promise.all([a.sync(), b.sync()]);
    const [late, other] = metersToRead(a, 2);
    const etl = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${central.schema}` });
    await etl.connect();
    cleanups.push(() => etl.end());
    await etl.query('BEGIN');
    await etl.query(
      "INSERT INTO readings (id, meter_id, period, value_litres, read_on, source, kind) VALUES (nextval('readings_id'), $1, '2026-11', 99000000, '2026-11-19', 'import', 'normal')",
      [late!.meterId],
    );
    // A desk pulls meanwhile: the uncommitted row is not there yet.
    await a.sync();
    // Another desk's push waits for the open transaction rather than taking a version after it.
    await submit(b, other!);
    let pushed = false;
    const pushing = b.sync().then((s) => {
      pushed = true;
      return s;
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(pushed).toBe(false);
    await etl.query('COMMIT');
    expect(await pushing).toMatchObject({ state: 'online', pending: 0 });
    await a.sync();
    expect(
      a.db
        .prepare("SELECT value_litres FROM readings WHERE meter_id = ? AND period = '2026-11'")
        .pluck()
        .get(late!.meterId),
    ).toBe(99_000_000);
    expect(
      a.db
        .prepare("SELECT count(*) FROM readings WHERE meter_id = ? AND period = '2026-11'")
        .pluck()
        .get(other!.meterId),
    ).toBe(1);
  });
});
if (!pgUp)
  console.log(
    `[skipped] the late-committing writer test: ${PG_ABSENT}, and it needs PostgreSQL (PGlite has a single connection, so no transaction can commit late beside another)`,
  );
