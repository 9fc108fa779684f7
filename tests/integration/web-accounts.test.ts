// Customer web accounts end to end over HTTP: the operator's actions on the central service, every
// letter received by a real SMTP server on 127.0.0.1, its link followed like a browser would.
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import type { WebActionOutput, WebAccountState } from '../../src-shared/schemas/web';
import { PG_ABSENT, postgresReachable, startCentral, type Central } from '../helpers/central';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { scryptCostFor } from '../../src-shared/node/secrets';

const pgUp = await postgresReachable();
if (!pgUp) console.log(`[skipped] web account tests on PostgreSQL: ${PG_ABSENT} (they run on PGlite only)`);
const SUPERVISOR = 6; // demo operators: 4 = call-center agent, 6 = supervisor
const AGENT = 4;

/** A cookie-keeping client of the customer pages. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value) this.cookies.set(name!, value);
      else this.cookies.delete(name!);
    }
  }
  private headers(): Record<string, string> {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }
  async get(path: string) {
    const response = await fetch(new URL(path, this.base), { headers: this.headers(), redirect: 'manual' });
    this.remember(response);
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
      headers: response.headers,
    };
  }
  async post(path: string, form: Record<string, string>) {
    const response = await fetch(new URL(path, this.base), {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
      setCookie: response.headers.getSetCookie(),
    };
  }
  /** The hidden anti-forgery field of a signed-in page. */
  static csrf(html: string): string {
    return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  }
}

// The same tests on PGlite and, when it answers, on PostgreSQL (else reported as skipped, with the reason above).
function webAccounts(kind: 'pglite' | 'postgres') {
  let central: Central;
  let smtp: TestSmtp;
  let individual: { id: number; number: string; iin: string; language: string };
  let legal: { id: number; contract: string; bin: string; organisation: string };

  beforeAll(async () => {
    smtp = await startSmtp();
    central = await startCentral(kind, { accounts: 120, months: 2, smtpPort: smtp.port });
    const free = `FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN web_accounts w ON w.account_id = a.id WHERE w.account_id IS NULL AND a.closed_on IS NULL`;
    individual = (
      await central.db.query<typeof individual>(
        `SELECT a.id, a.number, o.iin_bin AS iin, o.language ${free} AND a.kind = 'individual' AND o.language = 'ru' ORDER BY a.id LIMIT 1`,
      )
    )[0]!;
    legal = (
      await central.db.query<typeof legal>(
        `SELECT a.id, a.contract_number AS contract, o.iin_bin AS bin, o.organisation ${free} AND a.kind = 'legal' ORDER BY a.id LIMIT 1`,
      )
    )[0]!;
  }, 120_000);
  afterAll(async () => {
    await central?.close();
    await smtp?.close();
  });

  async function operator<T = WebActionOutput>(
    action: string,
    input: unknown,
    operatorId = 2,
  ): Promise<{
    status: number;
    body: { ok: boolean; result?: T; error?: { code: string; details?: { reason?: string } } };
  }> {
    const response = await fetch(`${central.url}/v1/web/${action}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${central.officeKey}`,
        'x-aquadesk-protocol': '2',
        'content-type': 'application/json',
        'x-operator-session': await central.sessionOf(operatorId),
      },
      body: JSON.stringify({ input }),
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  /** The newest letter to `to` after `since` letters, and the link in it. */
  async function letterTo(to: string, since: number): Promise<{ mail: ParsedMail; link: string | null }> {
    for (let i = 0; i < 100; i++) {
      const mail = smtp.received.slice(since).find((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === to);
      if (mail) return { mail, link: /https?:\/\/\S+/.exec(mail.text ?? '')?.[0] ?? null };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no letter to ${to}`);
  }
  const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;
  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

  it('register → confirm by the first link → set password → sign in; the link works once', async () => {
    const email = `ivan.${kind}@example.kz`;
    const before = smtp.received.length;
    const wrongIin = await operator('register', {
      kind: 'individual',
      accountId: individual.id,
      iinBin: '000101500011',
      email,
      phone: '+7 701 123 45 67',
    });
    // (a well-formed IIN that is not this owner's: refused, nothing written)
    expect(wrongIin.status).toBe(422);
    expect(wrongIin.body.error).toMatchObject({ code: 'VALIDATION', details: { reason: 'web.iinMismatch' } });
    expect((await operator<WebAccountState>('status', { accountId: individual.id })).body.result!.status).toBe('none');

    const registered = await operator('register', {
      kind: 'individual',
      accountId: individual.id,
      iinBin: individual.iin,
      email,
      phone: '8 (701) 123-45-67',
    });
    expect(registered.status).toBe(200);
    expect(registered.body.result!.state).toMatchObject({
      status: 'pending',
      login: individual.number,
      email,
      hasPassword: false,
    });
    expect(registered.body.result!.sentTo).toBe(email);
    const duplicate = await operator('register', {
      kind: 'individual',
      accountId: individual.id,
      iinBin: individual.iin,
      email: 'other@example.kz',
      phone: '87011234567',
    });
    expect(duplicate.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'web.alreadyRegistered' } });

    const { mail, link } = await letterTo(email, before);
    expect(mail.subject).toBe('Подтверждение регистрации в личном кабинете');
    expect(mail.text).toContain(`Логин: ${individual.number}`);
    expect(link).toMatch(new RegExp(`^${central.url}/web/confirm\\?token=[A-Za-z0-9_-]{43}&lang=ru$`));
    // The token is kept only as its hash.
    const stored = await central.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM web_tokens WHERE account_id = $1',
      [individual.id],
    );
    expect(stored.some((r) => r.token_hash === tokenOf(link!))).toBe(false);

    const browser = new Browser(central.url);
    const form = await browser.get(pathOf(link!));
    expect(form.status).toBe(200);
    expect(form.html).toContain(`Логин: ${individual.number}`);
    expect(form.html).toContain('Требования к паролю');
    expect(form.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(form.headers.get('referrer-policy')).toBe('no-referrer');
    expect(form.html).not.toContain('<script');
    const mismatch = await browser.post('/web/confirm', {
      token: tokenOf(link!),
      password: 'Vodokanal2026',
      password2: 'Vodokanal2027',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.html).toContain('Пароли не совпадают.');
    const weak = await browser.post('/web/confirm', { token: tokenOf(link!), password: 'short1', password2: 'short1' });
    expect(weak.html).toContain('Пароль короче 8 символов.');
    const done = await browser.post('/web/confirm', {
      token: tokenOf(link!),
      password: 'Vodokanal2026',
      password2: 'Vodokanal2026',
    });
    expect(done).toMatchObject({ status: 303, location: '/web/login?notice=confirmed' });
    expect((await browser.get('/web/login?notice=confirmed')).html).toContain('Регистрация подтверждена');

    const hash = (
      await central.db.query<{ password_hash: string }>(
        'SELECT password_hash FROM web_credentials WHERE account_id = $1',
        [individual.id],
      )
    )[0]!.password_hash;
    expect(hash).toMatch(new RegExp(`^scrypt\\$${scryptCostFor(process.env).N}\\$8\\$1\\$`)); // the cost in force (production's: tests/unit/password-cost.test.ts)
    expect(hash).not.toContain('Vodokanal2026');

    const reused = await browser.get(pathOf(link!));
    expect(reused.status).toBe(400);
    expect(reused.html).toContain('Ссылка недействительна или уже использована');

    const signIn = await browser.post('/web/login', { login: individual.number, password: 'Vodokanal2026' });
    expect(signIn).toMatchObject({ status: 303, location: '/web/account' });
    const cookie = signIn.setCookie.find((c) => c.startsWith('aq_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const account = await browser.get('/web/account');
    expect(account.html).toContain(individual.number);
    const state = (await operator<WebAccountState>('status', { accountId: individual.id })).body.result!;
    expect(state).toMatchObject({ status: 'active', hasPassword: true });
    expect(state.lastSignInAt).not.toBeNull();

    const audit = await central.db.query<{ operation: string; result: string }>(
      'SELECT operation, result FROM server_audit WHERE account_id = $1 ORDER BY id',
      [individual.id],
    );
    expect(audit.map((a) => `${a.operation}:${a.result}`)).toEqual([
      'web.register:refused',
      'web.register:ok',
      'web.register:refused',
      'web.confirm:ok',
      'web.signIn:ok',
    ]);
  });

  it('a legal entity registers with its contract number as login, and a wrong BIN is refused', async () => {
    const email = `buh.${kind}@firm.kz`;
    const wrongBin = await operator('register', {
      kind: 'legal',
      accountId: legal.id,
      iinBin: '000101500011',
      email,
      organisation: legal.organisation,
    });
    expect(wrongBin.body.error).toMatchObject({ code: 'VALIDATION', details: { reason: 'web.iinMismatch' } });
    const asIndividual = await operator('register', {
      kind: 'individual',
      accountId: legal.id,
      iinBin: legal.bin,
      email,
      phone: '87011234567',
    });
    expect(asIndividual.body.error).toMatchObject({ details: { reason: 'web.kindMismatch' } });
    const before = smtp.received.length;
    const done = await operator('register', {
      kind: 'legal',
      accountId: legal.id,
      iinBin: legal.bin,
      email,
      organisation: legal.organisation,
    });
    expect(done.body.result!.state).toMatchObject({ status: 'pending', login: legal.contract, customerKind: 'legal' });
    const first = await letterTo(email, before);
    // Resend: a new link, and the earlier one stops working.
    const resent = await operator('resend', { accountId: legal.id });
    expect(resent.body.result!.sentTo).toBe(email);
    const second = await letterTo(email, before + 1);
    expect(second.link).not.toBe(first.link);
    const browser = new Browser(central.url);
    expect((await browser.get(pathOf(first.link!))).status).toBe(400);
    expect((await browser.get(pathOf(second.link!))).status).toBe(200);
  });

  it('password reset: the link asks IIN and account number; wrong refused, right accepted, reused and expired refused', async () => {
    const browser = new Browser(central.url);
    let before = smtp.received.length;
    const sent = await operator('reset', { accountId: individual.id, by: 'login' });
    expect(sent.status).toBe(200);
    const { mail, link } = await letterTo(sent.body.result!.sentTo!, before);
    expect(mail.subject).toBe('Восстановление пароля личного кабинета');
    expect(link).toContain('/web/reset?token=');
    const form = await browser.get(pathOf(link!));
    expect(form.html).toContain('ИИН / БИН');
    expect(form.html).toContain('Лицевой счёт / Номер договора');
    const wrong = await browser.post('/web/reset', {
      token: tokenOf(link!),
      iinBin: '000101500011',
      number: individual.number,
      password: 'NewPass2026',
      password2: 'NewPass2026',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('не совпадают с данными учётной записи');
    const right = await browser.post('/web/reset', {
      token: tokenOf(link!),
      iinBin: individual.iin,
      number: individual.number,
      password: 'NewPass2026',
      password2: 'NewPass2026',
    });
    expect(right).toMatchObject({ status: 303, location: '/web/login?notice=resetDone' });
    const reused = await browser.post('/web/reset', {
      token: tokenOf(link!),
      iinBin: individual.iin,
      number: individual.number,
      password: 'Other2026x',
      password2: 'Other2026x',
    });
    expect(reused.status).toBe(400);
    expect((await browser.post('/web/login', { login: individual.number, password: 'Vodokanal2026' })).status).toBe(
      401,
    );
    expect((await browser.post('/web/login', { login: individual.number, password: 'NewPass2026' })).status).toBe(303);

    // The customer's own "forgot password" by email: the same answer for an unknown address, a letter only for a real one.
    before = smtp.received.length;
    const unknown = await new Browser(central.url).post('/web/forgot', { identifier: 'nobody@nowhere.kz' });
    const known = await new Browser(central.url).post('/web/forgot', { identifier: `ivan.${kind}@example.kz` });
    expect(unknown.status).toBe(known.status);
    expect(unknown.html.replace(/<nav>.*<\/nav>/, '')).toBe(known.html.replace(/<nav>.*<\/nav>/, ''));
    const forgotLetter = await letterTo(`ivan.${kind}@example.kz`, before);
    expect(smtp.received.length - before).toBe(1);

    // An hour and a minute later the link has expired.
    const saved = central.now.value;
    central.now.value = new Date(saved.getTime() + 61 * 60_000);
    try {
      const expired = await browser.get(pathOf(forgotLetter.link!));
      expect(expired.status).toBe(410);
      expect(expired.html).toContain('Срок действия ссылки истёк');
    } finally {
      central.now.value = saved;
    }
  });

  it('change email: the new address confirms by its link, then the old one is told; the customer can also do it signed in', async () => {
    const oldEmail = `ivan.${kind}@example.kz`;
    const newEmail = `ivan.new.${kind}@example.kz`;
    let before = smtp.received.length;
    const asked = await operator('changeEmail', { accountId: individual.id, email: newEmail });
    expect(asked.body.result!.state).toMatchObject({ email: oldEmail, pendingEmail: newEmail });
    // A desk before 0.2 names the action 'email': still understood.
    const same = await operator('email', { accountId: individual.id, email: oldEmail });
    expect(same.body.error).toMatchObject({ details: { reason: 'web.sameEmail' } });
    const { link } = await letterTo(newEmail, before);
    expect(link).toContain('/web/email/confirm?token=');
    const browser = new Browser(central.url);
    expect((await browser.get(pathOf(link!))).html).toContain(newEmail);
    before = smtp.received.length;
    const confirmed = await browser.post('/web/email/confirm', { token: tokenOf(link!) });
    expect(confirmed.html).toContain('Адрес электронной почты изменён.');
    const notice = await letterTo(oldEmail, before);
    expect(notice.mail.subject).toBe('Адрес электронной почты изменён');
    expect(notice.mail.text).toContain(newEmail);
    expect((await operator<WebAccountState>('status', { accountId: individual.id })).body.result).toMatchObject({
      email: newEmail,
      pendingEmail: null,
    });

    // Signed in: change password (current + new) and ask for another address.
    const customer = new Browser(central.url);
    await customer.post('/web/login', { login: individual.number, password: 'NewPass2026' });
    const page = await customer.get('/web/password');
    const wrongCurrent = await customer.post('/web/password', {
      csrf: Browser.csrf(page.html),
      current: 'nope12345',
      password: 'Third2026pass',
      password2: 'Third2026pass',
    });
    expect(wrongCurrent.html).toContain('Текущий пароль указан неверно.');
    const forged = await customer.post('/web/password', {
      csrf: 'x'.repeat(43),
      current: 'NewPass2026',
      password: 'Third2026pass',
      password2: 'Third2026pass',
    });
    expect(forged.status).toBe(303); // no anti-forgery value: back to sign in, nothing changed
    const changed = await customer.post('/web/password', {
      csrf: Browser.csrf(page.html),
      current: 'NewPass2026',
      password: 'Third2026pass',
      password2: 'Third2026pass',
    });
    expect(changed.html).toContain('Пароль изменён.');
    const emailPage = await customer.get('/web/email');
    before = smtp.received.length;
    const third = `ivan.third.${kind}@example.kz`;
    const requested = await customer.post('/web/email', {
      csrf: Browser.csrf(emailPage.html),
      email: third,
      current: 'Third2026pass',
    });
    expect(requested.html).toContain(`На новый адрес ${third} отправлена ссылка`);
    expect((await letterTo(third, before)).link).toContain('/web/email/confirm');
    const bad = await customer.post('/web/email', {
      csrf: Browser.csrf(emailPage.html),
      email: 'not-an-email',
      current: 'Third2026pass',
    });
    expect(bad.html).toContain('Укажите правильный адрес электронной почты.');
    expect(
      (await new Browser(central.url).post('/web/login', { login: individual.number, password: 'Third2026pass' }))
        .status,
    ).toBe(303);
  });

  it('five wrong passwords from one address close sign-in from there for 15 minutes, even for the right one', async () => {
    const browser = new Browser(central.url);
    for (let i = 0; i < 5; i++)
      expect(
        (await browser.post('/web/login', { login: individual.number, password: `wrong${i}pass` })).html,
      ).toContain('Неверный логин или пароль.');
    const locked = await browser.post('/web/login', { login: individual.number, password: 'Third2026pass' });
    expect(locked.status).toBe(429);
    expect(locked.html).toContain('Отсюда вход временно закрыт');
    const saved = central.now.value;
    central.now.value = new Date(saved.getTime() + 16 * 60_000);
    try {
      expect((await browser.post('/web/login', { login: individual.number, password: 'Third2026pass' })).status).toBe(
        303,
      );
    } finally {
      central.now.value = saved;
    }
  });

  it('block is for supervisors: an agent is refused and audited; a blocked customer cannot sign in; unblock restores', async () => {
    const denied = await operator('block', { accountId: individual.id, reason: 'Заявление абонента' }, AGENT);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'web.supervisorOnly' } });
    const audit = await central.db.query<{ result: string; operator_id: number }>(
      "SELECT result, operator_id FROM server_audit WHERE account_id = $1 AND operation = 'web.block' ORDER BY id",
      [individual.id],
    );
    expect(audit).toEqual([{ result: 'denied', operator_id: AGENT }]);
    const blocked = await operator('block', { accountId: individual.id, reason: 'Заявление абонента' }, SUPERVISOR);
    expect(blocked.body.result!.state.status).toBe('blocked');
    const browser = new Browser(central.url);
    expect((await browser.post('/web/login', { login: individual.number, password: 'Third2026pass' })).html).toContain(
      'Учётная запись заблокирована',
    );
    expect((await operator('reset', { accountId: individual.id, by: 'email' })).body.error).toMatchObject({
      details: { reason: 'web.blocked' },
    });
    const unblocked = await operator('unblock', { accountId: individual.id }, SUPERVISOR);
    expect(unblocked.body.result!.state.status).toBe('active');
    expect((await browser.post('/web/login', { login: individual.number, password: 'Third2026pass' })).status).toBe(
      303,
    );
  });

  // On PGlite every transaction shares one connection, so there a slow relay delays everything alike.
  if (kind === 'postgres') {
    it('a letter waiting on a slow relay holds up no other office: a push goes through meanwhile', async () => {
      const target = (
        await central.db.query<{ id: number; iin: string }>(
          `SELECT a.id, o.iin_bin AS iin FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN web_accounts w ON w.account_id = a.id
          WHERE w.account_id IS NULL AND a.closed_on IS NULL AND a.kind = 'individual' AND a.id <> $1 ORDER BY a.id DESC LIMIT 1`,
          [individual.id],
        )
      )[0]!;
      // Another desk, with kassa1 signed in there, so its push really writes.
      const json = { 'x-aquadesk-protocol': '2', 'content-type': 'application/json' };
      const desk = (
        (await (
          await fetch(`${central.url}/v1/clients`, {
            method: 'POST',
            headers: { authorization: `Bearer ${central.officeKey}`, ...json },
            body: JSON.stringify({ firstSeq: 1 }),
          })
        ).json()) as { result: { clientId: string; token: string } }
      ).result;
      const signedIn = await fetch(`${central.url}/v1/auth/sign-in`, {
        method: 'POST',
        headers: { authorization: `Bearer ${desk.token}`, ...json },
        body: JSON.stringify({ login: 'kassa1', password: DEMO_OPERATOR_PASSWORD }),
      });
      expect(signedIn.status).toBe(200);
      const held = smtp.holdNext();
      const registering = operator('register', {
        kind: 'individual',
        accountId: target.id,
        iinBin: target.iin,
        email: 'slow.relay@example.kz',
        phone: '87011234567',
      });
      await held.arrived;
      try {
        const push = fetch(`${central.url}/v1/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${desk.token}`, ...json },
          body: JSON.stringify({
            clientId: desk.clientId,
            ackedThrough: 0,
            mutations: [
              {
                seq: 1,
                name: 'subscriptions.set',
                args: { accountId: target.id, subscribed: true, email: 'slow.relay@example.kz' },
                operatorId: 2,
                createdAt: '2026-11-20T06:00:00Z',
              },
            ],
          }),
        }).then(async (r) => ({
          status: r.status,
          results: ((await r.json()) as { result: { results: { status: string }[] } }).result.results,
        }));
        const outcome = await Promise.race([
          push,
          new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000)),
        ]);
        expect(outcome).toEqual({ status: 200, results: [expect.objectContaining({ status: 'applied' })] });
      } finally {
        held.release();
      }
      const registered = await registering;
      expect(registered.status).toBe(200);
      expect(registered.body.result!.state).toMatchObject({ status: 'pending', email: 'slow.relay@example.kz' });
    });
  }

  it('bad input changes nothing: malformed requests, a foreign token, an unknown action', async () => {
    expect(
      (
        await operator('register', {
          kind: 'individual',
          accountId: individual.id,
          iinBin: '123',
          email: 'x',
          phone: '1',
        })
      ).body.error,
    ).toMatchObject({ code: 'VALIDATION' });
    expect((await operator('drop', { accountId: 1 })).status).toBe(404);
    const noKey = await fetch(`${central.url}/v1/web/status`, {
      method: 'POST',
      headers: { 'x-aquadesk-protocol': '2', 'content-type': 'application/json' },
      body: JSON.stringify({ input: { accountId: 1 } }),
    });
    expect(noKey.status).toBe(401);
    // The office key alone is not enough: an operator must be signed in.
    const noOperator = await fetch(`${central.url}/v1/web/status`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${central.officeKey}`,
        'x-aquadesk-protocol': '2',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ input: { accountId: 1 } }),
    });
    expect(noOperator.status).toBe(401);
    expect(((await noOperator.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe(
      'auth.sessionRequired',
    );
    const browser = new Browser(central.url);
    expect((await browser.get("/web/confirm?token=';DROP TABLE web_tokens;--")).status).toBe(400);
    expect((await browser.get(`/web/reset?token=${'A'.repeat(43)}`)).status).toBe(400);
    expect((await browser.get('/web/account')).location).toBe('/web/login');
    expect((await central.db.query('SELECT count(*)::int AS n FROM web_tokens'))[0]).toBeTruthy();
  });
}
describe('web accounts on pglite', () => webAccounts('pglite'));
describe.skipIf(!pgUp)('web accounts on postgres', () => webAccounts('postgres'));

describe('customer pages: language and limits', () => {
  let central: Central;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
    central = await startCentral('pglite', {
      accounts: 120,
      months: 1,
      smtpPort: smtp.port,
      pageLimits: { perIp: 3, perAccount: 1, windowSeconds: 60 },
    });
  }, 120_000);
  afterAll(async () => {
    await central?.close();
    await smtp?.close();
  });

  it('a Kazakh-speaking owner gets the letter and the page in Kazakh', async () => {
    const target = (
      await central.db.query<{ id: number; number: string; iin: string }>(
        `SELECT a.id, a.number, o.iin_bin AS iin FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN web_accounts w ON w.account_id = a.id
        WHERE w.account_id IS NULL AND a.closed_on IS NULL AND a.kind = 'individual' AND o.language = 'kk' ORDER BY a.id LIMIT 1`,
      )
    )[0]!;
    const response = await fetch(`${central.url}/v1/web/register`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${central.officeKey}`,
        'x-aquadesk-protocol': '2',
        'content-type': 'application/json',
        'x-operator-session': await central.sessionOf(2),
      },
      body: JSON.stringify({
        input: {
          kind: 'individual',
          accountId: target.id,
          iinBin: target.iin,
          email: 'aigul@example.kz',
          phone: '87071234567',
        },
      }),
    });
    expect(response.status).toBe(200);
    await expect.poll(() => smtp.received.length).toBe(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe('Жеке кабинетте тіркелуді растау');
    const link = /https?:\/\/\S+/.exec(mail.text ?? '')![0];
    expect(link).toContain('lang=kk');
    const page = await new Browser(central.url).get(new URL(link).pathname + new URL(link).search);
    expect(page.html).toContain('<html lang="kk">');
    expect(page.html).toContain('Құпиясөзге қойылатын талаптар');
  });

  it('form posts beyond the per-IP limit are refused with a clear page and do nothing', async () => {
    const browser = new Browser(central.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await browser.post('/web/login', { login: 'nobody', password: 'whatever1' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await browser.post('/web/forgot', { identifier: 'x' })).html).toContain('Слишком много запросов');
  });
});
