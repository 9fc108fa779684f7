// A fresh install enrols with the central service by a one-time code (`office enroll KEY`), as an
// installer's first user does it: nothing to sign in with before, the first-run screen's call through
// the access gate, its own credentials after (no office key on the desk), the first sync, an online
// sign-in. Wrong, used and expired codes, an address that is not AquaDesk's and a revoked desk are said
// in words and store nothing half-way; a revoked desk stops syncing and keeps what it saved.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { startSyncLoop } from '../../src-main/services/sync';
import { createEnrolment, listDesks, revokeDesk } from '../../src-server/desks';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { normaliseEnrolmentCode } from '../../src-shared/schemas/sync';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { reasonsFor } from '../helpers/reasons';
import { formatReading } from '../../src-shared/readings/format';
import { startCentral, type Central } from '../helpers/central';
import { makeTempDir } from '../helpers/tmp';

let central: Central;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  central = await startCentral('pglite', { accounts: 60, months: 2 });
}, 120_000);
afterAll(async () => central?.close());
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A desk as installed: an empty data folder, no demo, no settings. */
function freshDesk(): Core {
  const temp = makeTempDir();
  const core = openCore({ dataDir: temp.dir, shell: 'web', now: () => central.now.value });
  cleanups.push(() => {
    core.close();
    temp.cleanup();
  });
  return core;
}

type Outcome =
  | { ok: true; result: never }
  | { ok: false; error: { code: string; details?: { reason?: string; fields?: { path: string; code: string }[] } } };
const gate = (core: Core, name: string, input: unknown) =>
  core.services.gate(name, input, 'window:1') as Promise<Outcome>;
const fieldOf = (outcome: Outcome) => (outcome.ok ? null : outcome.error.details?.fields?.[0]);
const codeFor = async () => (await createEnrolment(central.db, central.officeKey, central.now.value)).code;

describe('enrolment of a new desk', () => {
  it('a fresh install offers only its first run; the code gives it its own credentials, the first sync and an online sign-in', async () => {
    const desk = freshDesk();
    const before = await gate(desk, 'session.get', {});
    expect(before.ok && (before.result as { setup: string | null }).setup).toBe('enrol');
    // Nothing else works before: there is nobody to sign in.
    const signIn = await gate(desk, 'session.signIn', { login: 'admin', password: DEMO_OPERATOR_PASSWORD });
    expect(signIn.ok).toBe(false);

    const code = await codeFor();
    expect(normaliseEnrolmentCode(code)).not.toBeNull();
    // Typed as people type it: lower case, spaces instead of dashes.
    const typed = code.toLowerCase().replace(/-/g, ' ');
    const enrolled = await gate(desk, 'desk.enroll', { url: `${central.url}/`, code: typed });
    expect(enrolled.ok).toBe(true);
    expect(enrolled.ok && (enrolled.result as { office: { name: string } }).office.name).toBe(central.offices[0]!.name);

    // No office key on the desk: its own credentials only.
    const settings = desk.services.settings.get().settings.central;
    expect(settings.url).toBe(central.url);
    expect(settings.officeKey).toBe('');
    const after = await gate(desk, 'session.get', {});
    expect(after.ok && (after.result as { setup: string | null }).setup).toBeNull();

    const status = await desk.services.sync.syncNow();
    expect(status.state).toBe('online');
    expect(desk.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(60);
    const online = await gate(desk, 'session.signIn', { login: 'admin', password: DEMO_OPERATOR_PASSWORD });
    expect(online.ok && (online.result as { mode: string }).mode).toBe('online');

    // The service lists it as an enrolled desk of the office; the code is spent.
    const desks = await listDesks(central.db, central.offices[0]!.id);
    expect(desks.some((d) => d.enrolled && d.revokedAt === null)).toBe(true);
    const again = await gate(freshDesk(), 'desk.enroll', { url: central.url, code });
    expect(fieldOf(again)).toEqual(expect.objectContaining({ path: 'code', code: 'enrol.codeUsed' }));

    // Once enrolled, enrolling again is the administrator's (after sign-in), never anonymous.
    const anonymous = await desk.services.gate('desk.enroll', { url: central.url, code: await codeFor() }, 'window:2');
    expect(anonymous.ok).toBe(false);
  });

  it('a wrong, expired or malformed code, or an address that is not AquaDesk, is said under its field and stores nothing', async () => {
    const desk = freshDesk();
    const unknown = await gate(desk, 'desk.enroll', { url: central.url, code: 'AAAA-BBBB-CCCC-DDDD' });
    expect(fieldOf(unknown)).toEqual(expect.objectContaining({ path: 'code', code: 'enrol.codeUnknown' }));
    const malformed = await gate(desk, 'desk.enroll', { url: central.url, code: 'abc' });
    expect(fieldOf(malformed)).toEqual(expect.objectContaining({ path: 'code', code: 'enrol.codeFormat' }));
    const withNul = await gate(desk, 'desk.enroll', { url: central.url, code: 'AAAA-BBBB-CCCC-DDD\u0000' });
    expect(withNul.ok).toBe(false);

    const expired = await createEnrolment(
      central.db,
      central.officeKey,
      new Date(central.now.value.getTime() - 25 * 3_600_000),
    );
    const late = await gate(desk, 'desk.enroll', { url: central.url, code: expired.code });
    expect(fieldOf(late)).toEqual(expect.objectContaining({ path: 'code', code: 'enrol.codeExpired' }));

    // Something answers there, but not AquaDesk (a router's page); and nothing answers at all.
    const other = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>router</html>'),
    );
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    cleanups.push(() => new Promise((done) => other.close(done)));
    const port = (other.address() as AddressInfo).port;
    const notOurs = await gate(desk, 'desk.enroll', { url: `http://127.0.0.1:${port}`, code: await codeFor() });
    expect(fieldOf(notOurs)).toEqual(expect.objectContaining({ path: 'url', code: 'enrol.notAquaDesk' }));
    const nobody = await gate(desk, 'desk.enroll', { url: 'http://127.0.0.1:9', code: await codeFor() });
    expect(fieldOf(nobody)).toEqual(expect.objectContaining({ path: 'url', code: 'enrol.unreachable' }));
    const notUrl = await gate(desk, 'desk.enroll', { url: 'javascript:alert(1)', code: await codeFor() });
    expect(fieldOf(notUrl)?.path).toBe('url');

    // Nothing stored: still a first run, no address, no credentials.
    expect(desk.services.settings.get().settings.central.url).toBe('');
    expect(desk.db.prepare("SELECT count(*) FROM secrets WHERE name = 'desk.token'").pluck().get()).toBe(0);
    const state = await gate(desk, 'session.get', {});
    expect(state.ok && (state.result as { setup: string | null }).setup).toBe('enrol');
  });

  it('two desks with one code: one is enrolled, the other told the code was used', async () => {
    const code = await codeFor();
    const [a, b] = await Promise.all([
      gate(freshDesk(), 'desk.enroll', { url: central.url, code }),
      gate(freshDesk(), 'desk.enroll', { url: central.url, code }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const loser = a.ok ? b : a;
    expect(fieldOf(loser)?.code).toBe('enrol.codeUsed');
  });

  it('a revoked desk says so, stops asking, and keeps what was saved', async () => {
    const desk = freshDesk();
    expect((await gate(desk, 'desk.enroll', { url: central.url, code: await codeFor() })).ok).toBe(true);
    await desk.services.sync.syncNow();
    const signIn = await gate(desk, 'session.signIn', { login: 'kassa1', password: DEMO_OPERATOR_PASSWORD });
    expect(signIn.ok).toBe(true);
    const clientId = desk.db.prepare("SELECT value FROM sync_state WHERE key = 'clientId'").pluck().get() as string;
    await revokeDesk(central.db, clientId, central.now.value);

    // A reading saved after the revocation: it must wait here, not vanish.
    const target = desk.db
      .prepare<[], { accountId: number; meterId: number }>(
        `SELECT m.account_id AS accountId, m.id AS meterId FROM meters m
          WHERE m.removed_on IS NULL AND (SELECT count(*) FROM meters x WHERE x.account_id = m.account_id AND x.removed_on IS NULL) = 1
            AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id) AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-11')
          ORDER BY m.id LIMIT 1`,
      )
      .get()!;
    const list = (await gate(desk, 'readings.list', { accountId: target.accountId })) as {
      ok: true;
      result: ReadingsList;
    };
    const meter = list.result.meters[0]!;
    const saved = await gate(desk, 'readings.submit', {
      accountId: target.accountId,
      entries: [
        {
          meterId: target.meterId,
          value: formatReading(meter.previous!.litres + 2_000, meter.format),
          reasons: reasonsFor(list.result, target.meterId, meter.previous!.litres + 2_000),
        },
      ],
    });
    expect(saved.ok).toBe(true);

    let runs = 0;
    const loop = startSyncLoop(
      { syncNow: async () => (runs++, desk.services.sync.syncNow()) },
      { baseMs: 10, maxMs: 20 },
    );
    cleanups.push(() => loop.stop());
    await new Promise((done) => setTimeout(done, 1_600));
    expect(runs).toBe(1); // refused once, then it waits
    const status = desk.services.sync.status();
    expect(status.problem).toEqual(expect.objectContaining({ kind: 'revoked', reason: 'auth.deskRevoked' }));
    // What was saved stays here, still waiting.
    expect(
      desk.db.prepare("SELECT count(*) FROM outbox WHERE name = 'readings.submit' AND state = 'pending'").pluck().get(),
    ).toBe(1);
    // The service never got it.
    expect(
      await central.db.query("SELECT 1 FROM readings WHERE meter_id = $1 AND period = '2026-11'", [target.meterId]),
    ).toHaveLength(0);
  });
});
