// Sync between desktops and the central service, on embedded PGlite and on PostgreSQL alike.
import { afterEach, describe, expect, it } from 'vitest';
import { reasonsFor } from '../helpers/reasons';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import type { SyncStatus } from '../../src-shared/schemas/sync';
import type { Fetch } from '../../src-main/services/sync';
import { buildServer } from '../../src-server/app';
import { openPostgres } from '../../src-server/db';
import { migrateServer } from '../../src-server/schema';
import { PG_ABSENT, PG_URL, postgresReachable, startCentral, type Central } from '../helpers/central';
import { credentialsOf, openDesk, type Desk, type DeskOptions } from '../helpers/desk';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/replication/model';

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] sync tests on PostgreSQL: ${PG_ABSENT} (they run on PGlite only)`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A desk with an empty store, configured for the central service, call1 signed in online. */
const desktop = (central: Central, options: DeskOptions = {}) => openDesk(central, options, cleanups);
const ok = <T>(desk: Desk, op: string, input: unknown) => desk.call<T>(op, input);
const sync = (desk: Desk) => desk.sync();

/** A meter with a previous reading and none this month, and a plausible next value for it. */
function meterToRead(desk: Desk, skip = 0): { accountId: number; meterId: number } {
  return desk.db
    .prepare<[number], { accountId: number; meterId: number }>(
      `SELECT m.account_id AS accountId, m.id AS meterId FROM meters m
        WHERE m.removed_on IS NULL AND (SELECT count(*) FROM meters x WHERE x.account_id = m.account_id AND x.removed_on IS NULL) = 1
          AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id)
          AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-11')
        ORDER BY m.id LIMIT 1 OFFSET ?`,
    )
    .get(skip)!;
}

async function submitReading(desk: Desk, target: { accountId: number; meterId: number }, extraLitres = 2_000) {
  const list = await ok<ReadingsList>(desk, 'readings.list', { accountId: target.accountId });
  const meter = list.meters[0]!;
  const litres = meter.previous!.litres + extraLitres;
  await ok(desk, 'readings.submit', {
    accountId: target.accountId,
    entries: [
      {
        meterId: target.meterId,
        value: formatReading(litres, meter.format),
        reasons: reasonsFor(list, target.meterId, litres),
      },
    ],
  });
  return meter.previous!.litres + extraLitres;
}

const serverReadings = (central: Central, meterId: number) =>
  central.db.query<{ value_litres: number }>(
    "SELECT value_litres FROM readings WHERE meter_id = $1 AND period = '2026-11'",
    [meterId],
  );

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !pgUp)(`sync on ${kind}`, () => {
    let central: Central;
    const start = async (options?: Parameters<typeof startCentral>[1]) => {
      central = await startCentral(kind, options);
      cleanups.push(() => central.close());
      return central;
    };

    it('an empty desktop gets the office by initial sync, then only what changed', async () => {
      await start();
      const desk = await desktop(central);
      const first = await sync(desk);
      expect(first.state).toBe('online');
      expect(desk.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(150);
      expect(first.rowsApplied).toBeGreaterThan(2_000);
      const found = await ok<{ hits: unknown[] }>(desk, 'lookup.search', {
        text: desk.db.prepare('SELECT number FROM accounts LIMIT 1').pluck().get(),
      });
      expect(found.hits).toHaveLength(1);
      const again = await sync(desk);
      expect(again.rowsApplied).toBe(0);
    });

    it('with the page worker (as the app runs it) the same office arrives, applied off the main thread', async () => {
      await start();
      const desk = await desktop(central, { worker: true, pullPageSize: 1_000 });
      const first = await sync(desk);
      expect(first).toMatchObject({ state: 'online' });
      expect(desk.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(150);
      const serverReadingCount = (await central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM readings'))[0]!
        .n;
      expect(desk.db.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(serverReadingCount);
      expect(desk.db.pragma('foreign_key_check')).toEqual([]);
    });

    it('a reading saved offline-first is pushed, applied once, and leaves the pending overlay after the pull', async () => {
      await start();
      const desk = await desktop(central);
      await sync(desk);
      const target = meterToRead(desk);
      const litres = await submitReading(desk, target);
      let list = await ok<ReadingsList>(desk, 'readings.list', { accountId: target.accountId });
      expect(list.meters[0]!.current).toMatchObject({ litres, state: 'pending' });
      const status = await sync(desk);
      expect(status).toMatchObject({ state: 'online', pending: 0, rejected: 0 });
      expect(await serverReadings(central, target.meterId)).toEqual([{ value_litres: litres }]);
      list = await ok<ReadingsList>(desk, 'readings.list', { accountId: target.accountId });
      expect(list.meters[0]!.current).toMatchObject({ litres, state: 'applied' });
    });

    it('a response lost after the commit: the batch is sent again and answered from the record, applied once', async () => {
      await start();
      let loseNextPushResponse = true;
      let pushes = 0;
      const lossy: Fetch = async (url, init) => {
        const response = await fetch(url, init as RequestInit);
        if (url.endsWith('/v1/push')) pushes++;
        if (url.endsWith('/v1/push') && loseNextPushResponse) {
          loseNextPushResponse = false;
          throw new Error('connection reset after the server committed');
        }
        return response;
      };
      const desk = await desktop(central, { fetch: lossy });
      await sync(desk); // the initial pull (no pushes yet)
      const a = meterToRead(desk, 0);
      const b = meterToRead(desk, 1);
      const la = await submitReading(desk, a);
      const lb = await submitReading(desk, b);
      // The engine sends the batch again at once (safe: the server answers it from its record).
      const after = await sync(desk);
      expect(after).toMatchObject({ state: 'online', pending: 0 });
      expect(pushes).toBe(2);
      expect(await serverReadings(central, a.meterId)).toEqual([{ value_litres: la }]);
      expect(await serverReadings(central, b.meterId)).toEqual([{ value_litres: lb }]);
      const results = await central.db.query<{ seq: number }>('SELECT seq FROM mutation_results ORDER BY seq');
      expect(results.map((r) => r.seq)).toEqual([1, 2]);
    });

    it('the server failing mid-batch rolls the whole batch back; the retry applies each mutation once, in order', async () => {
      await start();
      const desk = await desktop(central);
      await sync(desk);
      const targets = [0, 1, 2].map((i) => meterToRead(desk, i));
      const litres = [];
      for (const t of targets) litres.push(await submitReading(desk, t));
      // Fault: the process dies after the batch's writes, before its commit (both tries of this push).
      const realTx = central.db.tx.bind(central.db);
      let kills = 2;
      central.db.tx = (fn) =>
        realTx((sql) =>
          fn({
            query: async (text, params) => {
              if (kills > 0 && text.startsWith('UPDATE clients SET last_seq')) {
                kills--;
                throw new Error('killed mid-batch');
              }
              return sql.query(text, params);
            },
            rows: (text, params) => sql.rows(text, params),
            exec: (text) => sql.exec(text),
            copy: (table, columns, text) => sql.copy(table, columns, text),
          }),
        );
      // The service answered with its internal error: told apart from no answer at all.
      expect(await sync(desk)).toMatchObject({ state: 'refused', problem: { kind: 'refused', code: 'INTERNAL' } });
      expect(await serverReadings(central, targets[0]!.meterId)).toEqual([]); // nothing half-applied
      const done = await sync(desk);
      expect(done).toMatchObject({ state: 'online', pending: 0 });
      for (let i = 0; i < 3; i++)
        expect(await serverReadings(central, targets[i]!.meterId)).toEqual([{ value_litres: litres[i] }]);
      expect((await central.db.query<{ last_seq: number }>('SELECT last_seq FROM clients'))[0]!.last_seq).toBe(3);
    });

    it('a mutation whose write fails in the database is refused alone; the ones behind it are applied', async () => {
      await start();
      const desk = await desktop(central);
      await sync(desk);
      const targets = [0, 1, 2].map((i) => meterToRead(desk, i));
      const litres = [];
      for (const t of targets) litres.push(await submitReading(desk, t));
      const realTx = central.db.tx.bind(central.db);
      central.db.tx = (fn) =>
        realTx((sql) =>
          fn({
            query: async (text, params) => {
              // The batch's insert (all meters at once, then each alone behind its savepoint) fails for this meter.
              if (
                text.trimStart().startsWith('INSERT INTO readings') &&
                Array.isArray(params?.[1]) &&
                (params[1] as number[]).includes(targets[1]!.meterId)
              )
                throw new Error('value out of range');
              return sql.query(text, params);
            },
            rows: (text, params) => sql.rows(text, params),
            exec: (text) => sql.exec(text),
            copy: (table, columns, text) => sql.copy(table, columns, text),
          }),
        );
      const status = await sync(desk);
      expect(status).toMatchObject({ state: 'online', pending: 0, rejected: 1 });
      expect(await serverReadings(central, targets[0]!.meterId)).toEqual([{ value_litres: litres[0] }]);
      expect(await serverReadings(central, targets[1]!.meterId)).toEqual([]);
      expect(await serverReadings(central, targets[2]!.meterId)).toEqual([{ value_litres: litres[2] }]);
      const { changes } = await ok<{ changes: { code: string }[] }>(desk, 'sync.rejected', {});
      expect(changes.map((c) => c.code)).toEqual(['sync.writeFailed']);
    });

    it('a rejection in the middle does not block the rest; it stays visible with its reason', async () => {
      await start();
      const october = { value: new Date('2026-10-31T10:00:00Z') };
      const desk = await desktop(central, { now: () => october.value });
      await sync(desk);
      const target = desk.db
        .prepare<[], { accountId: number; meterId: number }>(
          `SELECT m.account_id AS accountId, m.id AS meterId FROM meters m WHERE m.removed_on IS NULL
           AND (SELECT count(*) FROM meters x WHERE x.account_id = m.account_id AND x.removed_on IS NULL) = 1
           AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-09')
           AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-11') LIMIT 1`,
        )
        .get()!;
      expect(target).toBeDefined();
      const subscriber = desk.db
        .prepare<[], number>(
          'SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.email IS NOT NULL LIMIT 1',
        )
        .pluck()
        .get()!;
      await submitReading(desk, target); // an October reading (a correction), pushed only in November
      await ok(desk, 'subscriptions.set', { accountId: subscriber, subscribed: true });
      october.value = new Date('2026-11-20T06:00:00Z'); // the desktop comes back online in November
      const status = await sync(desk);
      expect(status.pending).toBe(0);
      expect(status.rejected).toBe(1);
      const row = desk.db
        .prepare<[], { state: string; error_code: string }>(
          "SELECT state, error_code FROM outbox WHERE name = 'readings.submit'",
        )
        .get()!;
      expect(row).toEqual({ state: 'rejected', error_code: 'reading.periodClosed' });
      // It stays in the list of rejected changes, with the reading as typed and the reason.
      const { changes } = await ok<{
        changes: { name: string; accountId: number; code: string; args: { meterId: number } }[];
      }>(desk, 'sync.rejected', {});
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        name: 'readings.submit',
        accountId: target.accountId,
        code: 'reading.periodClosed',
        args: { meterId: target.meterId },
      });
      const subscription = await central.db.query<{ subscribed: number }>(
        'SELECT subscribed FROM subscriptions WHERE account_id = $1',
        [subscriber],
      );
      expect(subscription).toEqual([{ subscribed: 1 }]);
    });

    it('offline with 1 000 queued changes, then back: all delivered, none lost, order kept', async () => {
      await start();
      let online = true;
      const switchable: Fetch = (url, init) =>
        online ? fetch(url, init as RequestInit) : Promise.reject(new Error('network down'));
      const desk = await desktop(central, { fetch: switchable });
      await sync(desk);
      online = false;
      const account = desk.db
        .prepare<[], number>(
          'SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.email IS NOT NULL LIMIT 1',
        )
        .pluck()
        .get()!;
      for (let i = 0; i < 1_000; i++)
        await ok(desk, 'subscriptions.set', { accountId: account, subscribed: i % 2 === 0 });
      const offline = await sync(desk);
      expect(offline).toMatchObject({ state: 'offline', pending: 1_000 });
      online = true;
      const back = await sync(desk);
      expect(back).toMatchObject({ state: 'online', pending: 0, rejected: 0 });
      const recorded = await central.db.query<{ n: number; last: number }>(
        'SELECT count(*)::int AS n, max(seq)::int AS last FROM mutation_results',
      );
      expect(recorded[0]).toEqual({ n: 1_000, last: 1_000 });
      // The last change wins (i = 999 → unsubscribed), and the desktop shows the server's state.
      expect(
        (
          await central.db.query<{ subscribed: number }>('SELECT subscribed FROM subscriptions WHERE account_id = $1', [
            account,
          ])
        )[0]!.subscribed,
      ).toBe(0);
      expect(
        await ok<{ subscribed: boolean; pending: boolean }>(desk, 'subscriptions.get', { accountId: account }),
      ).toMatchObject({ subscribed: false, pending: false });
    });

    it('two desktops converge to the server: a reading from one reaches the other', async () => {
      await start();
      const a = await desktop(central);
      const b = await desktop(central);
      await sync(a);
      await sync(b);
      const target = meterToRead(a);
      const litres = await submitReading(a, target);
      await sync(a);
      await sync(b);
      const list = await ok<ReadingsList>(b, 'readings.list', { accountId: target.accountId });
      expect(list.meters[0]!.current).toMatchObject({ litres, state: 'applied' });
    });

    // Only PostgreSQL has several processes on one database; PGlite is one process's own file.
    if (kind === 'postgres')
      it('two service processes on one database: a client moves between them, still exactly once and in order', async () => {
        await start();
        const other = await openPostgres(PG_URL, { schema: central.schema });
        await migrateServer(other); // a second process starting: migrations already applied, nothing done twice
        const app = buildServer({ db: other, now: () => central.now.value });
        const otherUrl = await app.listen({ port: 0, host: '127.0.0.1' });
        cleanups.push(async () => {
          await app.close();
          await other.close();
        });
        const desk = await desktop(central);
        await sync(desk);
        const account = desk.db
          .prepare<[], number>(
            'SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.email IS NOT NULL LIMIT 1',
          )
          .pluck()
          .get()!;
        for (let i = 0; i < 10; i++)
          await ok(desk, 'subscriptions.set', { accountId: account, subscribed: i % 2 === 0 });
        await sync(desk);
        await ok(desk, 'settings.set', { central: { url: otherUrl, officeKey: central.officeKey } });
        for (let i = 0; i < 11; i++)
          await ok(desk, 'subscriptions.set', { accountId: account, subscribed: i % 2 === 1 });
        expect(await sync(desk)).toMatchObject({ state: 'online', pending: 0 });
        const seqs = await central.db.query<{ seq: number }>('SELECT seq FROM mutation_results ORDER BY seq');
        expect(seqs.map((r) => r.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
        expect(
          (
            await central.db.query<{ subscribed: number }>(
              'SELECT subscribed FROM subscriptions WHERE account_id = $1',
              [account],
            )
          )[0]!.subscribed,
        ).toBe(0);
      });

    it('changes made on the server by others arrive by pull: a reading from the web site, a deleted phone', async () => {
      await start();
      const desk = await desktop(central);
      await sync(desk);
      const target = meterToRead(desk);
      // The customers' web site writes to the central database (as any writer: under the version lock).
      await central.db.tx(async (sql) => {
        await sql.query('SELECT pg_advisory_xact_lock(7261)');
        await sql.query(
          "INSERT INTO readings (id, meter_id, period, value_litres, read_on, source, kind) VALUES (nextval('readings_id'), $1, '2026-11', 99000000, '2026-11-19', 'web', 'normal')",
          [target.meterId],
        );
      });
      const phone = desk.db
        .prepare<[], { id: number; account_id: number }>('SELECT id, account_id FROM phones ORDER BY id LIMIT 1')
        .get()!;
      await central.db.query('DELETE FROM phones WHERE id = $1', [phone.id]);
      await sync(desk);
      const list = await ok<ReadingsList>(desk, 'readings.list', { accountId: target.accountId });
      expect(list.meters[0]!.current).toMatchObject({ litres: 99_000_000, source: 'web', state: 'applied' });
      expect(desk.db.prepare('SELECT count(*) FROM phones WHERE id = ?').pluck().get(phone.id)).toBe(0);
    });

    it('bad pushes get typed errors or per-mutation rejections and change nothing else', async () => {
      await start();
      const desk = await desktop(central);
      await sync(desk);
      const { clientId, token } = credentialsOf(desk);
      const post = (body: unknown, auth = token, protocol: string | null = String(PROTOCOL_VERSION)) =>
        fetch(`${central.url}/v1/push`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${auth}`,
            'Content-Type': 'application/json',
            ...(protocol ? { [PROTOCOL_HEADER]: protocol } : {}),
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const account = desk.db
        .prepare<[], number>(
          'SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.email IS NOT NULL LIMIT 1',
        )
        .pluck()
        .get()!;
      const m = (
        seq: number,
        name = 'subscriptions.set',
        args: unknown = { accountId: account, subscribed: true, email: 'a@b.kz' },
        operatorId: number | null = desk.operatorId,
      ) => ({ seq, name, args, operatorId, createdAt: '2026-11-20T06:00:00Z' });
      const envelope = (mutations: unknown[], ackedThrough = 0) => ({ clientId, ackedThrough, mutations });
      expect((await post(envelope([m(1)]), token, null)).status).toBe(426); // a desk too old for the service
      expect((await post({ mutations: [m(1)] })).status).toBe(422); // no clientId
      expect((await post(envelope([m(1)]), 'desk.00000000-0000-4000-8000-000000000000.' + 'A'.repeat(43))).status).toBe(
        401,
      );
      expect((await post(envelope([m(1)]), central.officeKey)).status).toBe(401); // the office key registers, it does not push
      expect((await post('{"clientId": "x", "mutations": [')).status).toBe(400);
      expect((await post({ ...envelope([m(1)]), clientId: '00000000-0000-4000-8000-000000000000' })).status).toBe(403); // another desk's changes
      expect((await post(envelope([m(2), m(1)]))).status).toBe(400); // out of order
      expect((await post(envelope([m(1)], 5))).status).toBe(409); // acknowledged more than the service holds
      const mixed = await post(
        envelope([
          m(1, 'nope.unknown'),
          m(2, 'subscriptions.set', { accountId: 'x' }),
          m(3, 'subscriptions.set', { accountId: account, subscribed: true, email: 'a\u0000@b.kz' }),
          m(4, 'subscriptions.set', undefined, 5), // an operator who never signed in at this desk
          m(5, 'subscriptions.set', undefined, null),
          m(6),
        ]),
      );
      expect(mixed.status).toBe(200);
      const results = ((await mixed.json()) as { result: { results: { status: string; code: string | null }[] } })
        .result.results;
      expect(results.map((r) => [r.status, r.code])).toEqual([
        ['rejected', 'sync.unknownMutation'],
        ['rejected', 'sync.malformed'],
        ['rejected', 'sync.malformed'],
        ['rejected', 'sync.operatorUnverified'],
        ['rejected', 'sync.operatorUnverified'],
        ['applied', null],
      ]);
      const big = await post(envelope([m(7, 'subscriptions.set', { pad: 'x'.repeat(50 * 1024 * 1024) })], 6));
      expect(big.status).toBe(413);
      expect(
        (
          await central.db.query<{ last_seq: number }>('SELECT last_seq FROM clients WHERE client_id = $1', [clientId])
        )[0]!.last_seq,
      ).toBe(6);
      expect((await fetch(`${central.url}/health`)).status).toBe(200); // still standing
    });
  });
}

describe('initial sync interrupted', () => {
  it('stops at a page boundary with a consistent cache, reports progress, and resumes where it stopped', async () => {
    const central = await startCentral('pglite', { accounts: 400, months: 12 });
    cleanups.push(() => central.close());
    let pulls = 0;
    let cutAfter = 2;
    const flaky: Fetch = async (url, init) => {
      if (url.includes('/v1/pull') && ++pulls > cutAfter) throw new Error('the desktop lost the network mid-pull');
      return fetch(url, init as RequestInit);
    };
    const desk = await desktop(central, { fetch: flaky, pullPageSize: 4_000 });
    const seen: SyncStatus[] = [];
    desk.ctx.events.subscribe((name, payload) => name === 'sync.changed' && seen.push(payload as SyncStatus));
    const first = await sync(desk);
    expect(first.state).toBe('offline');
    const cursor = Number(desk.db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get());
    expect(cursor).toBeGreaterThan(0);
    expect(desk.db.pragma('foreign_key_check')).toEqual(expect.any(Array));
    expect(desk.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const partial = desk.db.prepare('SELECT count(*) FROM readings').pluck().get() as number;
    expect(seen.some((s) => s.state === 'syncing' && s.progressPercent !== null && s.progressPercent > 0)).toBe(true);
    cutAfter = Infinity;
    const resumed = await sync(desk);
    expect(resumed.state).toBe('online');
    expect(desk.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(400);
    const total = (await central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM readings'))[0]!.n;
    expect(desk.db.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(total);
    expect(partial).toBeLessThan(total);
    expect(desk.db.pragma('foreign_key_check')).toEqual([]);
  });
});
