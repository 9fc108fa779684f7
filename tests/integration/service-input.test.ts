// Every string a desk sends the central service, with a NUL or a lone surrogate in it: refused with a
// clear 422 (or, inside a batch of changes or audit entries, that one item refused and reported), and
// nothing stored. Table-driven over the service's requests: each string of a valid body is spoiled in turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/replication/model';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { startCentral, type Central } from '../helpers/central';

let central: Central;
let desk: { clientId: string; token: string };
let sessions: Record<'counter' | 'supervisor' | 'admin', string>;
let target: { accountId: number; iin: string };

const json = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'content-type': 'application/json' };
async function post(path: string, body: unknown, auth: string, session?: string) {
  const response = await fetch(`${central.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth}`, ...json, ...(session ? { 'x-operator-session': session } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; result?: Record<string, unknown>; error?: { code: string } },
  };
}

beforeAll(async () => {
  central = await startCentral('pglite', { accounts: 60, months: 1 });
  desk = (await post('/v1/clients', { firstSeq: 1 }, central.officeKey)).body.result as typeof desk;
  const signIn = async (login: string) =>
    (
      (await post('/v1/auth/sign-in', { login, password: DEMO_OPERATOR_PASSWORD }, desk.token)).body.result as {
        session: string;
      }
    ).session;
  sessions = { counter: await signIn('kassa1'), supervisor: await signIn('senior'), admin: await signIn('admin') };
  target = (
    await central.db.query<{ accountId: number; iin: string }>(
      `SELECT a.id AS "accountId", o.iin_bin AS iin FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN web_accounts w ON w.account_id = a.id
      WHERE w.account_id IS NULL AND a.closed_on IS NULL AND a.kind = 'individual' ORDER BY a.id LIMIT 1`,
    )
  )[0]!;
}, 120_000);
afterAll(() => central?.close());

/** Every path to a string in a JSON value. */
function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}
function spoiled(value: unknown, path: (string | number)[], bad: string): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = `${String(node[path[path.length - 1]!])}${bad}`;
  return copy;
}

interface Case {
  name: string;
  path: string;
  body: () => unknown;
  auth: () => string;
  session?: () => string;
  before?: () => Promise<void>;
  /** inside a batch the one item is refused (and the request answered 200) */
  item?: (result: Record<string, unknown>) => boolean;
}

let pushes = 0;
const cases: Case[] = [
  {
    name: 'hello',
    path: '/v1/hello',
    body: () => ({ clientId: desk.clientId, ackedThrough: 0, cursor: 0 }),
    auth: () => desk.token,
  },
  {
    name: 'a desk registering',
    path: '/v1/clients',
    body: () => ({ firstSeq: 5, previousClientId: desk.clientId, reason: 'diverged' }),
    auth: () => central.officeKey,
  },
  {
    name: 'a push',
    path: '/v1/push',
    // Each try a new seq (a refusal is recorded, exactly once, like any answer).
    before: async () => {
      pushes = Number(
        (
          await central.db.query<{ n: number }>('SELECT last_seq AS n FROM clients WHERE client_id = $1', [
            desk.clientId,
          ])
        )[0]!.n,
      );
    },
    body: () => ({
      clientId: desk.clientId,
      ackedThrough: pushes,
      mutations: [
        {
          seq: pushes + 1,
          name: 'subscriptions.set',
          args: { accountId: target.accountId, subscribed: true, email: 'a@b.kz' },
          operatorId: 2,
          createdAt: '2026-11-20T06:00:00Z',
        },
      ],
    }),
    auth: () => desk.token,
    item: (result) => (result['results'] as { status: string }[])[0]!.status === 'rejected',
  },
  {
    name: 'an audit upload',
    path: '/v1/audit',
    body: () => ({
      clientId: desk.clientId,
      entries: [
        {
          localId: 1,
          at: '2026-11-20T06:00:00Z',
          operatorId: null,
          accountId: null,
          operation: 'session.signIn',
          result: 'denied',
          details: '{"login":"call9"}',
        },
      ],
    }),
    auth: () => desk.token,
    item: (result) => result['stored'] === 0 && (result['refused'] as unknown[]).length === 1,
  },
  {
    name: 'a sign-in',
    path: '/v1/auth/sign-in',
    body: () => ({ login: 'kassa1', password: 'Wrong2026' }),
    auth: () => desk.token,
  },
  {
    name: 'a web-account registration',
    path: '/v1/web/register',
    body: () => ({
      input: {
        kind: 'individual',
        accountId: target.accountId,
        iinBin: target.iin,
        email: 'new.customer@example.kz',
        phone: '87011234567',
      },
    }),
    auth: () => desk.token,
    session: () => sessions.counter,
  },
  {
    name: 'a web-account block',
    path: '/v1/web/block',
    body: () => ({ input: { accountId: target.accountId, reason: 'Обращение абонента' } }),
    auth: () => desk.token,
    session: () => sessions.supervisor,
  },
  {
    name: 'a new operator',
    path: '/v1/operators',
    body: () => ({ login: 'kassa7', fullName: 'Новый Оператор', role: 'counter', password: 'Start2026' }),
    auth: () => desk.token,
    session: () => sessions.admin,
  },
];

const stored = async () =>
  (
    await central.db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM subscriptions) || '/' || (SELECT count(*) FROM web_accounts) || '/' || (SELECT count(*) FROM operators) || '/' ||
            (SELECT count(*) FROM server_audit WHERE local_id IS NOT NULL) || '/' || (SELECT count(*) FROM clients) || '/' ||
            (SELECT count(*) FROM mutation_results WHERE status = 'applied') AS n`,
    )
  )[0]!.n;

describe('the central service refuses what no person typed', () => {
  for (const c of cases) {
    it(`${c.name}: a NUL or a lone surrogate in any of its strings is refused and stores nothing`, async () => {
      const before = await stored();
      const paths = stringPaths(c.body());
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        for (const bad of ['\u0000', '\ud800']) {
          await c.before?.();
          const answer = await post(c.path, spoiled(c.body(), path, bad), c.auth(), c.session?.());
          const where = `${c.path} ${path.join('.')} ${JSON.stringify(bad)}`;
          if (c.item && answer.status === 200) expect(c.item(answer.body.result!), where).toBe(true);
          else expect([answer.status, answer.body.error?.code], where).toEqual([422, 'VALIDATION']);
        }
      }
      expect(await stored()).toBe(before);
      expect((await fetch(`${central.url}/health`)).status).toBe(200);
    });
  }

  it('a pull with a NUL in its cursor is refused', async () => {
    const response = await fetch(`${central.url}/v1/pull?cursor=1%00`, {
      headers: { authorization: `Bearer ${desk.token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(response.status).toBe(422);
  });
});
