// The customer pages tell nobody whether a login or an address exists, and let no stranger lock a
// customer out (issue 16, point 6). Everything over real HTTP against the central service seeded from
// the demo generator; requests come from several loopback addresses (127.0.0.x), each a "client IP".
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src-server/app';
import { PG_ABSENT, postgresReachable, startCentral, type Central } from '../helpers/central';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] customer page oracle tests on PostgreSQL: ${PG_ABSENT} (they run on PGlite only)`);

interface Answer {
  status: number;
  location: string | null;
  html: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/** A browser at one client address (127.0.0.x): keeps its cookies, follows no redirect. */
class Client {
  cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly address = '127.0.0.1',
  ) {}
  request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Answer> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(path, this.base), { method, headers, localAddress: this.address }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = performance.now() - started;
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';');
            const [name, value] = pair!.split('=');
            if (value) this.cookies.set(name!, value);
            else this.cookies.delete(name!);
          }
          resolve({
            status: res.statusCode!,
            location: res.headers.location ?? null,
            html: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            ms,
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  get = (path: string) => this.request('GET', path);
  post = (path: string, form: Record<string, string>) => this.request('POST', path, form);
  static csrf(html: string): string {
    return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Customer {
  id: number;
  login: string;
  email: string;
  iin: string;
}

/** Active web accounts of the demo city with an address of their own, Russian-speaking owners. */
async function customers(central: Central): Promise<Customer[]> {
  return central.db.query<Customer>(
    `SELECT w.account_id AS id, w.login, w.email, o.iin_bin AS iin FROM web_accounts w JOIN accounts a ON a.id = w.account_id JOIN owners o ON o.id = a.owner_id
      WHERE w.status = 'active' AND a.kind = 'individual' AND o.language = 'ru' AND o.iin_bin IS NOT NULL
        AND (SELECT count(*) FROM web_accounts x WHERE lower(x.email) = lower(w.email)) = 1
      ORDER BY w.account_id`,
  );
}

/** A login of the same shape as a real one that belongs to nobody. */
async function strangerLogin(central: Central, like: string): Promise<string> {
  for (let i = 1; ; i++) {
    const candidate = (BigInt(like) + BigInt(i * 7919)).toString().padStart(like.length, '0').slice(-like.length);
    if (!(await central.db.query('SELECT 1 FROM web_accounts WHERE lower(login) = lower($1)', [candidate])).length)
      return candidate;
  }
}

function mailbox(smtp: TestSmtp) {
  const to = (address: string) =>
    smtp.received.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === address);
  return {
    count: (address: string) => to(address).length,
    /** The link of the newest letter to `address` once there are more than `since` of them. */
    async link(address: string, since: number): Promise<string> {
      for (let i = 0; i < 200; i++) {
        const letters = to(address);
        if (letters.length > since) return /https?:\/\/\S+/.exec(letters.at(-1)!.text ?? '')![0];
        await sleep(25);
      }
      throw new Error(`no letter to ${address}`);
    },
  };
}

const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

// The same tests on PGlite and, when it answers, on PostgreSQL (else reported as skipped, with the reason above).
function customerPages(kind: 'pglite' | 'postgres') {
  let central: Central;
  let smtp: TestSmtp;
  let pool: Customer[];
  let mail: ReturnType<typeof mailbox>;
  /** Each test takes customers of its own, so that any one of them can run alone. */
  const take = (index: number) => pool[index]!;

  beforeAll(async () => {
    smtp = await startSmtp();
    mail = mailbox(smtp);
    // Per-IP limits out of the way (all of this comes from a few addresses); three letters per account.
    central = await startCentral(kind, {
      accounts: 160,
      months: 1,
      smtpPort: smtp.port,
      pageLimits: { perIp: 10_000, perAccount: 3, windowSeconds: 15 * 60 },
    });
    pool = await customers(central);
    expect(pool.length).toBeGreaterThanOrEqual(8);
  }, 120_000);
  afterAll(async () => {
    await central?.close();
    await smtp?.close();
  });

  /** The customer sets a password the public way: "forgot password" by login, then the reset link. */
  async function givePassword(customer: Customer, password: string, address = '127.0.0.250') {
    const client = new Client(central.url, address);
    const since = mail.count(customer.email);
    expect((await client.post('/web/forgot', { identifier: customer.login })).status).toBe(200);
    const link = await mail.link(customer.email, since);
    expect((await client.get(pathOf(link))).status).toBe(200);
    const done = await client.post('/web/reset', {
      token: tokenOf(link),
      iinBin: customer.iin,
      number: customer.login,
      password,
      password2: password,
    });
    expect(done).toMatchObject({ status: 303, location: '/web/login?notice=resetDone' });
  }

  async function signedIn(customer: Customer, password: string, address: string): Promise<Client> {
    const client = new Client(central.url, address);
    expect(await client.post('/web/login', { login: customer.login, password })).toMatchObject({
      status: 303,
      location: '/web/account',
    });
    return client;
  }

  it('alternating the login and the address gives no more letters than the account limit', async () => {
    const customer = take(0);
    const client = new Client(central.url, '127.0.0.51');
    const since = mail.count(customer.email);
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const answer = await client.post('/web/forgot', {
        identifier: i % 2 ? customer.email.toUpperCase() : ` ${customer.login} `,
      });
      expect(answer.status).toBe(200);
      answers.add(answer.html);
    }
    expect(answers.size).toBe(1); // the same page every time, the limit reached or not
    await expect.poll(() => mail.count(customer.email) - since, { timeout: 5_000 }).toBe(3);
    await sleep(1_000); // letters go after the reply: give any extra one the time to arrive
    expect(mail.count(customer.email) - since).toBe(3);
  });

  it('the sixth wrong password gets the same answer for a real login and for one that does not exist', async () => {
    const real = take(1).login;
    const fake = await strangerLogin(central, real);
    const tryLogin = async (login: string, address: string) => {
      const client = new Client(central.url, address);
      const answers: Answer[] = [];
      for (let i = 0; i < 6; i++) answers.push(await client.post('/web/login', { login, password: `Wrong${i}pass` }));
      return answers;
    };
    const forReal = await tryLogin(real, '127.0.0.21');
    const forFake = await tryLogin(fake, '127.0.0.22');
    for (let i = 0; i < 6; i++)
      expect(forFake[i]!.html.replaceAll(fake, 'LOGIN')).toBe(forReal[i]!.html.replaceAll(real, 'LOGIN'));
    expect(forFake.map((a) => a.status)).toEqual(forReal.map((a) => a.status));
    expect(forReal.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(forReal[4]!.html).toContain('Неверный логин или пароль.');
    expect(forReal[5]!.html).toContain('Слишком много неудачных попыток входа с этого устройства или из этой сети.');
    expect(forReal[5]!.html).not.toContain('Неверный логин или пароль.');
  });

  it("a stranger's wrong passwords close sign-in only to the stranger and slow every try; the customer still gets in from elsewhere", async () => {
    const customer = take(2);
    await givePassword(customer, 'Customer2026');
    const stranger = new Client(central.url, '127.0.0.31');
    const misses: number[] = [];
    for (let i = 0; i < 5; i++)
      misses.push((await stranger.post('/web/login', { login: customer.login, password: `Guess${i}word` })).status);
    // The stranger moving to another address is slowed down (1 s now, doubling with each miss) ...
    const elsewhere = await new Client(central.url, '127.0.0.33').post('/web/login', {
      login: customer.login,
      password: 'Guess5word',
    });
    // ... and so is the customer at theirs, who gets in with the right password all the same.
    const home = new Client(central.url, '127.0.0.32');
    const signIn = await home.post('/web/login', { login: customer.login, password: 'Customer2026' });
    // From the stranger's own address the login stays closed, even with the right password.
    const closed = await stranger.post('/web/login', { login: customer.login, password: 'Customer2026' });
    // The customer's success lifts the slow-down for everyone else.
    const after = await new Client(central.url, '127.0.0.34').post('/web/login', {
      login: customer.login,
      password: 'Guess6word',
    });

    expect(signIn).toMatchObject({ status: 303, location: '/web/account' });
    expect((await home.get('/web/account')).html).toContain(customer.login);
    expect(signIn.ms).toBeGreaterThanOrEqual(1_900);
    expect(misses).toEqual([401, 401, 401, 401, 401]);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.ms).toBeGreaterThanOrEqual(950);
    expect(closed.status).toBe(429);
    expect(closed.html).toContain('Отсюда вход временно закрыт');
    expect(after.status).toBe(401);
    expect(after.ms).toBeLessThan(900);
  });

  it("the customer's own typos close sign-in only where they were made, and a reset by its link opens it there again", async () => {
    const customer = take(3);
    await givePassword(customer, 'Customer2026');
    const desk = new Client(central.url, '127.0.0.41');
    for (let i = 0; i < 5; i++) await desk.post('/web/login', { login: customer.login, password: `Typo${i}word` });
    const phone = await new Client(central.url, '127.0.0.42').post('/web/login', {
      login: customer.login,
      password: 'Customer2026',
    });
    const closed = await desk.post('/web/login', { login: customer.login, password: 'Customer2026' });
    await givePassword(customer, 'Renewed2026', '127.0.0.41');
    const reopened = await desk.post('/web/login', { login: customer.login, password: 'Renewed2026' });

    expect(phone).toMatchObject({ status: 303, location: '/web/account' });
    expect(closed.status).toBe(429);
    expect(reopened).toMatchObject({ status: 303, location: '/web/account' });
  });

  it('a password change ends every other session of the account and keeps the current one', async () => {
    const customer = take(4);
    await givePassword(customer, 'Customer2026');
    const laptop = await signedIn(customer, 'Customer2026', '127.0.0.61');
    const phone = await signedIn(customer, 'Customer2026', '127.0.0.62');
    expect((await phone.get('/web/account')).status).toBe(200);
    const form = await laptop.get('/web/password');
    const changed = await laptop.post('/web/password', {
      csrf: Client.csrf(form.html),
      current: 'Customer2026',
      password: 'Changed2026',
      password2: 'Changed2026',
    });
    expect(changed.status).toBe(200);
    expect(await phone.get('/web/account')).toMatchObject({ status: 303, location: '/web/login' });
    const still = await laptop.get('/web/account');
    expect(still.status).toBe(200);
    expect(still.html).toContain(customer.login);
    expect(changed.html).toContain('Пароль изменён. На других устройствах');
    const sessions = await central.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM web_sessions WHERE account_id = $1',
      [customer.id],
    );
    expect(sessions[0]!.n).toBe(1);
  });

  it('an email change asks for the current password: missing or wrong, nothing changes and nothing is sent', async () => {
    const customer = take(5);
    await givePassword(customer, 'Customer2026');
    const client = await signedIn(customer, 'Customer2026', '127.0.0.71');
    const form = await client.get('/web/email');
    const newEmail = `new.${kind}.${customer.id}@example.kz`;
    const csrf = Client.csrf(form.html);
    const missing = await client.post('/web/email', { csrf, email: newEmail });
    expect(missing.status).toBe(422);
    expect(form.html).toContain('name="current"');
    expect(missing.html).toContain('Введите текущий пароль.');
    const wrong = await client.post('/web/email', { csrf, email: newEmail, current: 'NotMine2026' });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('Текущий пароль указан неверно.');
    const english = await client.post('/web/email?lang=en', { csrf, email: newEmail, current: 'NotMine2026' });
    expect(english.html).toContain('The current password is wrong.');
    await sleep(300);
    expect(mail.count(newEmail)).toBe(0);
    const unchanged = await central.db.query<{ email: string; pending_email: string | null }>(
      'SELECT w.email, c.pending_email FROM web_accounts w LEFT JOIN web_credentials c ON c.account_id = w.account_id WHERE w.account_id = $1',
      [customer.id],
    );
    expect(unchanged).toEqual([{ email: customer.email, pending_email: null }]);
    // With it, the change goes ahead as before: a link to the new address.
    const right = await client.post('/web/email?lang=ru', { csrf, email: newEmail, current: 'Customer2026' });
    expect(right.status).toBe(200);
    expect(right.html).toContain(`На новый адрес ${newEmail} отправлена ссылка`);
    expect(await mail.link(newEmail, 0)).toContain('/web/email/confirm?token=');
  });
}
describe('customer pages without oracles on pglite', () => customerPages('pglite'));
describe.skipIf(!pgUp)('customer pages without oracles on postgres', () => customerPages('postgres'));

/**
 * A client on a thread of its own, timing the answer as a remote one would: on the test's own thread
 * its reading would wait for whatever the service does after replying (the letter), which a client
 * elsewhere never sees.
 */
const REMOTE_CLIENT = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const agent = new http.Agent({ keepAlive: true });
parentPort.on('message', ({ url, form, localAddress }) => {
  const body = new URLSearchParams(form).toString();
  const started = performance.now();
  const req = http.request(url, { method: 'POST', agent, localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('end', () => parentPort.postMessage({ status: res.statusCode, html: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
  });
  req.on('error', (error) => parentPort.postMessage({ error: String(error) }));
  req.end(body);
});`;

describe('"forgot password" takes the same time for a known and an unknown login', () => {
  let central: Central;
  let smtp: TestSmtp;
  let remote: Worker;
  beforeAll(async () => {
    remote = new Worker(REMOTE_CLIENT, { eval: true });
    smtp = await startSmtp();
    // Letters without limit, so that every known try really sends one.
    central = await startCentral('pglite', {
      accounts: 120,
      months: 1,
      smtpPort: smtp.port,
      pageLimits: { perIp: 10_000, perAccount: 10_000, windowSeconds: 60 },
    });
  }, 120_000);
  afterAll(async () => {
    await remote?.terminate();
    await central?.close();
    await smtp?.close();
  });

  const post = (path: string, form: Record<string, string>) =>
    new Promise<{ status: number; html: string; ms: number; error?: string }>((resolve) => {
      remote.once('message', resolve);
      remote.postMessage({ url: `${central.url}${path}`, form, localAddress: '127.0.0.81' });
    });

  it('median difference within 10 ms over 50 tries each, the same page for both', async () => {
    const known = (await customers(central))[0]!;
    const unknown = await strangerLogin(central, known.login);
    const mail = mailbox(smtp);
    const times = { known: [] as number[], unknown: [] as number[] };
    const pages = new Set<string>();
    const once = async (which: 'known' | 'unknown') => {
      const answer = await post('/web/forgot', { identifier: which === 'known' ? known.login : unknown });
      expect(answer.error).toBeUndefined();
      expect(answer.status).toBe(200);
      pages.add(answer.html);
      return answer.ms;
    };
    for (let i = 0; i < 3; i++) await once(i % 2 ? 'known' : 'unknown'); // warm-up
    await mail.link(known.email, 0);
    for (let i = 0; i < 50; i++) {
      const before = mail.count(known.email);
      // Alternate which goes first; wait for the known one's letter so that no try meets another's work.
      for (const which of i % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const))
        times[which].push(await once(which));
      await mail.link(known.email, before);
    }
    const figures = { known: median(times.known), unknown: median(times.unknown) };
    console.log(
      `forgot password, median of 50: known ${figures.known.toFixed(2)} ms, unknown ${figures.unknown.toFixed(2)} ms, difference ${Math.abs(figures.known - figures.unknown).toFixed(2)} ms`,
    );
    expect(Math.abs(figures.known - figures.unknown)).toBeLessThanOrEqual(10);
    expect(pages.size).toBe(1);
    expect(mail.count(known.email)).toBe(51); // and the known login did get its letters
  }, 120_000);
});

// A self-signed certificate for 127.0.0.1, for this test only (it protects nothing).
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgK4ttkmauVJB6xTPr
wi/HS7zhs1LSOQpRtk3v0rG7egehRANCAAT6F+ByshUM306hkLFCxaHiFjl+6kXf
RFqhFCXIjhGp1gSsA0QKUjNJOYbuzVrer9cHuPoEUGoQ1AZE/8FvLm6S
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUNC44DXzl7dTGvLLgk6MZDXvyrVowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwMTEwMzk0N1oYDzIxMjYxMTA3
MTAzOTQ3WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAT6F+ByshUM306hkLFCxaHiFjl+6kXfRFqhFCXIjhGp1gSsA0QKUjNJ
OYbuzVrer9cHuPoEUGoQ1AZE/8FvLm6So2QwYjAdBgNVHQ4EFgQUsi0/VtJ56IYx
YllLoP4DmDnqa/gwHwYDVR0jBBgwFoAUsi0/VtJ56IYxYllLoP4DmDnqa/gwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQDnbBiwsrYGJLwqZ55lDPNZSaWcdSft/PlUVP/pix3QngIhAP9VogdURuiTSWZX
pdo3borFfToFgl0xpUWXdEwgi79Z
-----END CERTIFICATE-----`;

describe('HSTS only over HTTPS', () => {
  let central: Central;
  beforeAll(async () => {
    central = await startCentral('pglite', { accounts: 20, months: 1 });
  }, 120_000);
  afterAll(async () => {
    await central?.close();
  });

  const HSTS = 'max-age=31536000; includeSubDomains';

  it('served over TLS, every answer has Strict-Transport-Security; over plain HTTP none has', async () => {
    const app = buildServer({ db: central.db, now: () => central.now.value });
    await app.ready();
    const server = https.createServer({ key: TEST_KEY, cert: TEST_CERT }, (req, res) => app.routing(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const over = (path: string) =>
        new Promise<http.IncomingMessage>((resolve, reject) => {
          https
            .get({ host: '127.0.0.1', port, path, rejectUnauthorized: false }, (res) => {
              res.resume();
              resolve(res);
            })
            .on('error', reject);
        });
      for (const path of ['/web/login', '/web', '/health']) {
        const res = await over(path);
        expect(res.statusCode).toBeLessThan(400);
        expect(res.headers['strict-transport-security']).toBe(HSTS);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await app.close();
    }
    const plain = new Client(central.url);
    for (const path of ['/web/login', '/web', '/health'])
      expect((await plain.get(path)).headers['strict-transport-security']).toBeUndefined();
    // A client cannot claim HTTPS itself: X-Forwarded-Proto counts only from a proxy the service trusts.
    const claimed = await fetch(`${central.url}/web/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers.get('strict-transport-security')).toBeNull();
  });

  it('behind a trusted proxy that terminates TLS, X-Forwarded-Proto: https brings it, http does not', async () => {
    const app = buildServer({ db: central.db, now: () => central.now.value, trustProxy: '127.0.0.1' });
    try {
      const viaHttps = await app.inject({
        method: 'GET',
        url: '/web/login',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
      });
      expect(viaHttps.headers['strict-transport-security']).toBe(HSTS);
      const viaHttp = await app.inject({
        method: 'GET',
        url: '/web/login',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.7' },
      });
      expect(viaHttp.headers['strict-transport-security']).toBeUndefined();
      // From anyone else the header is not believed.
      const notTheProxy = await app.inject({
        method: 'GET',
        url: '/web/login',
        remoteAddress: '198.51.100.9',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(notTheProxy.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
