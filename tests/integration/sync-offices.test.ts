// Several offices on one central service, each limited to its districts: what each receives, an
// account moving between them, an office's districts changing, a revoked key, and the office commands.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src-server/app';
import { openPglite, openPostgres, type ServerDb } from '../../src-server/db';
import { revokeOffice, setOfficeDistricts } from '../../src-server/office-admin';
import { migrateServer } from '../../src-server/schema';
import { demoOffices, seedDemo } from '../../src-server/seed';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, TABLE_NAMES, type TableName } from '../../src-shared/replication/model';
import { PG_ABSENT, PG_URL, postgresReachable, startCentral, type Central } from '../helpers/central';
import { openDesk, type Desk, type DeskOptions } from '../helpers/desk';
import { makeTempDir } from '../helpers/tmp';

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] office tests on PostgreSQL: ${PG_ABSENT} (they run on PGlite only)`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * What an office with these districts must hold, table by table, from the central tables alone (joins
 * written here independently of the service's scope columns and triggers).
 */
async function expectedCounts(db: ServerDb, districts: number[], officeId: number): Promise<Record<TableName, number>> {
  const d = `(${districts.join(',')})`;
  const account = (alias: string) =>
    `EXISTS (SELECT 1 FROM accounts a WHERE a.id = ${alias}.account_id AND a.district_id IN ${d})`;
  const sql: Record<TableName, string> = {
    districts: 'SELECT count(*) FROM districts',
    street_aliases: 'SELECT count(*) FROM street_aliases',
    tariffs: 'SELECT count(*) FROM tariffs',
    norms: 'SELECT count(*) FROM norms',
    utility: 'SELECT count(*) FROM utility',
    operators: `SELECT count(*) FROM operators WHERE office_id IS NULL OR office_id = ${officeId}`,
    accounts: `SELECT count(*) FROM accounts WHERE district_id IN ${d}`,
    owners: `SELECT count(*) FROM owners o WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.owner_id = o.id AND a.district_id IN ${d})`,
    premises: `SELECT count(*) FROM premises p WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.premise_id = p.id AND a.district_id IN ${d})`,
    buildings: `SELECT count(*) FROM buildings b WHERE EXISTS (SELECT 1 FROM premises p JOIN accounts a ON a.premise_id = p.id WHERE p.building_id = b.id AND a.district_id IN ${d})`,
    streets: `SELECT count(*) FROM streets s WHERE EXISTS (SELECT 1 FROM buildings b JOIN premises p ON p.building_id = b.id JOIN accounts a ON a.premise_id = p.id WHERE b.street_id = s.id AND a.district_id IN ${d})`,
    phones: `SELECT count(*) FROM phones t WHERE ${account('t')}`,
    meters: `SELECT count(*) FROM meters t WHERE ${account('t')}`,
    readings: `SELECT count(*) FROM readings r WHERE EXISTS (SELECT 1 FROM meters m JOIN accounts a ON a.id = m.account_id WHERE m.id = r.meter_id AND a.district_id IN ${d})`,
    charges: `SELECT count(*) FROM charges t WHERE ${account('t')}`,
    recalculations: `SELECT count(*) FROM recalculations t WHERE ${account('t')}`,
    payments: `SELECT count(*) FROM payments t WHERE ${account('t')}`,
    balances: `SELECT count(*) FROM balances t WHERE ${account('t')}`,
    subscriptions: `SELECT count(*) FROM subscriptions t WHERE ${account('t')}`,
    web_accounts: `SELECT count(*) FROM web_accounts t WHERE ${account('t')}`,
    account_notes: `SELECT count(*) FROM account_notes t WHERE ${account('t')}`,
    contacts: `SELECT count(*) FROM contacts WHERE office_id = ${officeId}`,
    contact_topics: 'SELECT count(*) FROM contact_topics',
  };
  const out = {} as Record<TableName, number>;
  for (const table of TABLE_NAMES) out[table] = Number((await db.query<{ count: number }>(sql[table]))[0]!.count);
  return out;
}

function deskCounts(desk: Desk): Record<TableName, number> {
  const out = {} as Record<TableName, number>;
  for (const table of TABLE_NAMES)
    out[table] = desk.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return out;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !pgUp)(`offices on ${kind}`, () => {
    let central: Central;
    const start = async () => {
      central = await startCentral(kind, { accounts: 240, months: 3, offices: demoOffices(2) });
      cleanups.push(() => central.close());
      return central;
    };
    // Office 1 serves districts 1–4 (call1 works there), office 2 districts 5–8 (call2).
    const deskOf = (office: 0 | 1, options: DeskOptions = {}) =>
      openDesk(
        central,
        { officeKey: central.offices[office]!.key, login: office === 0 ? 'call1' : 'call2', ...options },
        cleanups,
      );
    const officeDistricts = (office: 0 | 1) => central.offices[office]!.districtIds!;

    it('two offices pulling at once each get exactly the rows of their districts, table by table', async () => {
      await start();
      const [a, b] = await Promise.all([
        deskOf(0, { pullPageSize: 700 }),
        deskOf(1, { pullPageSize: 700, worker: true }),
      ]);
      const [sa, sb] = await Promise.all([a.sync(), b.sync()]);
      expect(sa).toMatchObject({ state: 'online', resyncing: false });
      expect(sb).toMatchObject({ state: 'online', resyncing: false });
      for (const [desk, office] of [
        [a, 0],
        [b, 1],
      ] as const) {
        const expected = await expectedCounts(central.db, officeDistricts(office), central.offices[office]!.id);
        expect(deskCounts(desk)).toEqual(expected);
        expect(expected.accounts).toBeGreaterThan(40); // each office has a real share of the city
        const others = desk.db
          .prepare(`SELECT count(*) FROM accounts WHERE district_id NOT IN (${officeDistricts(office).join(',')})`)
          .pluck()
          .get();
        expect(others).toBe(0);
      }
      // Nobody's personal data crosses: no owner of office 2's accounts is on office 1's desk.
      const foreignOwners = await central.db.query<{ id: number }>(
        `SELECT o.id FROM owners o WHERE NOT EXISTS (SELECT 1 FROM accounts x WHERE x.owner_id = o.id AND x.district_id IN (${officeDistricts(0).join(',')}))`,
      );
      const onA = a.db
        .prepare(`SELECT count(*) FROM owners WHERE id IN (${foreignOwners.map((o) => o.id).join(',') || 0})`)
        .pluck()
        .get();
      expect(onA).toBe(0);
      // And office 1 cannot change office 2's accounts, even by a hand-made push.
      const foreign = (
        await central.db.query<{ id: number }>(
          `SELECT id FROM accounts WHERE district_id IN (${officeDistricts(1).join(',')}) LIMIT 1`,
        )
      )[0]!.id;
      await a.call('subscriptions.set', {
        accountId: a.db.prepare('SELECT id FROM accounts LIMIT 1').pluck().get(),
        subscribed: true,
        email: 'x@y.kz',
      });
      a.db
        .prepare(
          "UPDATE outbox SET args = json_set(args, '$.accountId', ?), account_id = ? WHERE name = 'subscriptions.set'",
        )
        .run(foreign, foreign);
      const after = await a.sync();
      expect(after.rejected).toBe(1);
      expect(a.db.prepare("SELECT error_code FROM outbox WHERE name = 'subscriptions.set'").pluck().get()).toBe(
        'sync.notYourOffice',
      );
    });

    it('an account moved to another district leaves the old office and arrives whole at the new one', async () => {
      await start();
      const [a, b] = await Promise.all([deskOf(0), deskOf(1)]);
      await Promise.all([a.sync(), b.sync()]);
      // An account of office 1 with meters, readings and payments, moved by a direct SQL write (no service code).
      const moved = (
        await central.db.query<{ id: number; owner_id: number; premise_id: number }>(
          `SELECT a.id, a.owner_id, a.premise_id FROM accounts a WHERE a.district_id = $1
             AND EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id)
             AND EXISTS (SELECT 1 FROM payments p WHERE p.account_id = a.id) ORDER BY a.id LIMIT 1`,
          [officeDistricts(0)[0]],
        )
      )[0]!;
      const rowsOf = async (table: string, where: string) =>
        Number(
          (
            await central.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [moved.id])
          )[0]!.n,
        );
      const children = {
        meters: await rowsOf('meters', 'account_id = $1'),
        readings: await rowsOf('readings', 'meter_id IN (SELECT id FROM meters WHERE account_id = $1)'),
        charges: await rowsOf('charges', 'account_id = $1'),
        payments: await rowsOf('payments', 'account_id = $1'),
        balances: await rowsOf('balances', 'account_id = $1'),
      };
      expect(children.readings).toBeGreaterThan(0);
      await central.db.query('UPDATE accounts SET district_id = $2 WHERE id = $1', [moved.id, officeDistricts(1)[0]]);
      await Promise.all([a.sync(), b.sync()]);
      const on = (desk: Desk, table: string, where: string) =>
        desk.db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get(moved.id);
      expect(on(a, 'accounts', 'id = ?')).toBe(0);
      for (const table of ['meters', 'charges', 'payments', 'balances']) expect(on(a, table, 'account_id = ?')).toBe(0);
      expect(on(b, 'accounts', 'id = ?')).toBe(1);
      expect(on(b, 'meters', 'account_id = ?')).toBe(children.meters);
      expect(on(b, 'readings', 'meter_id IN (SELECT id FROM meters WHERE account_id = ?)')).toBe(children.readings);
      expect(on(b, 'charges', 'account_id = ?')).toBe(children.charges);
      expect(on(b, 'payments', 'account_id = ?')).toBe(children.payments);
      expect(on(b, 'balances', 'account_id = ?')).toBe(children.balances);
      expect(b.db.prepare('SELECT count(*) FROM owners WHERE id = ?').pluck().get(moved.owner_id)).toBe(1);
      expect(b.db.prepare('SELECT count(*) FROM premises WHERE id = ?').pluck().get(moved.premise_id)).toBe(1);
      // Both offices hold exactly their districts' rows again, counted against SQL.
      expect(deskCounts(a)).toEqual(await expectedCounts(central.db, officeDistricts(0), central.offices[0]!.id));
      expect(deskCounts(b)).toEqual(await expectedCounts(central.db, officeDistricts(1), central.offices[1]!.id));
      // The new office finds the customer and can take a reading for them.
      const found = await b.call<{ hits: { accountId: number }[] }>('lookup.search', {
        text: b.db.prepare('SELECT number FROM accounts WHERE id = ?').pluck().get(moved.id),
      });
      expect(found.hits.map((h) => h.accountId)).toEqual([moved.id]);
    });

    it("an office's new districts apply at its desks' next sync: pulled anew in full, what is no longer theirs removed, nothing typed lost", async () => {
      await start();
      const a = await deskOf(0);
      await a.sync();
      const account = a.db
        .prepare<[], number>(
          'SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.email IS NOT NULL LIMIT 1',
        )
        .pluck()
        .get()!;
      await a.call('subscriptions.set', { accountId: account, subscribed: true });
      const key = central.offices[0]!.key;
      await setOfficeDistricts(central.db, key, [1, 2, 5]); // gains 5, loses 3 and 4
      const status = await a.sync();
      expect(status).toMatchObject({ state: 'online', resyncing: false, pending: 0 });
      expect(deskCounts(a)).toEqual(await expectedCounts(central.db, [1, 2, 5], central.offices[0]!.id));
      const events = await a.call<{ events: { operation: string; details: { reason: string } }[] }>('sync.events', {});
      expect(events.events[0]).toMatchObject({ operation: 'sync.resync', details: { reason: 'scopeChanged' } });
      await setOfficeDistricts(central.db, key, [5]);
      await a.sync();
      expect(deskCounts(a)).toEqual(await expectedCounts(central.db, [5], central.offices[0]!.id));
    });

    it('a revoked office key is refused at the next request of every service process; the desk says so and keeps everything', async () => {
      await start();
      const a = await deskOf(0);
      await a.sync();
      const accounts = a.db.prepare('SELECT count(*) FROM accounts').pluck().get();
      const account = a.db.prepare('SELECT id FROM accounts LIMIT 1').pluck().get() as number;
      await a.call('subscriptions.set', { accountId: account, subscribed: false, email: 'a@b.kz' });
      // A second service process on the same database (PostgreSQL), or the same one (PGlite).
      let otherUrl = central.url;
      if (kind === 'postgres') {
        const other = await openPostgres(PG_URL, { schema: central.schema });
        const app = buildServer({ db: other, now: () => central.now.value });
        otherUrl = await app.listen({ port: 0, host: '127.0.0.1' });
        cleanups.push(async () => {
          await app.close();
          await other.close();
        });
        const hello = await fetch(`${otherUrl}/v1/hello`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${central.offices[0]!.key}`,
            [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ clientId: null, ackedThrough: 0, cursor: 0 }),
        });
        expect(hello.status).toBe(200); // it has read the office before the revocation
      }
      await revokeOffice(central.db, central.offices[0]!.key);
      await a.call('settings.set', { central: { url: otherUrl, officeKey: central.offices[0]!.key } });
      const status = await a.sync();
      expect(status).toMatchObject({
        state: 'refused',
        problem: { kind: 'revoked', reason: 'auth.officeRevoked' },
        pending: 1,
      });
      expect(a.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(accounts);
      const direct = await fetch(`${otherUrl}/v1/pull?cursor=0`, {
        headers: { Authorization: `Bearer ${central.offices[0]!.key}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      });
      expect(direct.status).toBe(401);
    });
  });
}

describe('office commands', () => {
  const run = promisify(execFile);
  it('add prints the key alone on its last line; list, districts and revoke work on it', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    const folder = `${temp.dir}/central`;
    const db = await openPglite(folder);
    await migrateServer(db);
    await seedDemo(db, { accounts: 30, months: 1 });
    await db.close();
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src-server/cli.ts', ...args, '--data', folder], {
        env: { ...process.env, DATABASE_URL: '' },
      });
    const added = await cli('office', 'add', '--name', 'Отделение Алатау', '--districts', '1,2');
    const lines = added.stdout.trim().split('\n');
    const key = lines[lines.length - 1]!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(added.stdout).toContain('Отделение Алатау');
    const listed = await cli('office', 'list');
    expect(listed.stdout).toMatch(new RegExp(`Отделение Алатау · districts 1,2 · key ${key.slice(0, 4)}…`));
    expect(listed.stdout).not.toContain(key); // the key itself is shown once, at its making
    await cli('office', 'districts', key, '3');
    expect((await cli('office', 'list')).stdout).toContain('Отделение Алатау · districts 3');
    // A one-time enrolment code for one desk of the office, alone on its last line.
    const enrol = await cli('office', 'enroll', key);
    expect(enrol.stdout).toContain('valid until');
    expect(enrol.stdout.trim().split('\n').pop()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    await expect(cli('office', 'revoke-desk', 'not-a-desk')).rejects.toMatchObject({
      stderr: expect.stringContaining('A desk is named by its id'),
    });
    await expect(cli('office', 'districts', key, '99')).rejects.toMatchObject({
      stderr: expect.stringContaining('No such district: 99'),
    });
    await expect(cli('office', 'add', '--districts', '1')).rejects.toMatchObject({
      stderr: expect.stringContaining('office add needs --name NAME'),
    });
    await cli('office', 'revoke', key);
    expect((await cli('office', 'list')).stdout).toMatch(/Отделение Алатау · districts 3 .* REVOKED/);
    await expect(cli('office', 'revoke', 'no-such-key-123')).rejects.toMatchObject({
      stderr: expect.stringContaining('No office has this key'),
    });
  }, 180_000);
});
