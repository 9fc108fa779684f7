// The customer's pages for the links in the letters and the signed-in "change password" / "change
// email": plain server-rendered HTML in Russian, Kazakh or English, no script at all, a strict CSP,
// tokens never sent on as a Referer, session cookies HttpOnly + Secure + SameSite=Strict, per-IP
// limits. No page tells whether a login or an address exists: "forgot password" answers before it
// looks anything up (the letter is sent after the reply), sign-in is throttled by counters that never
// ask the database (guard.ts), and letters are limited per account, however the customer named it.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CustomerError, SESSION_LIFETIME_MS, type CustomerErrorKey, type WebAccounts } from './accounts';
import { registerAccountPages } from './account-pages';
import { field, hidden, html, newPasswordFields, STYLE } from './html';
import { createPageKit, DEFAULT_PAGE_LIMITS, sleep, str, SESSION_COOKIE, type Body, type PageLimits } from './page-kit';
import { fill, webTexts, type WebTexts } from './texts';

export { CSP, DEFAULT_PAGE_LIMITS, SESSION_COOKIE, type PageLimits } from './page-kit';

/** The customer pages: sign in, "forgot password" and the letters' links here, the signed-in ones in account-pages.ts. */
export function registerCustomerPages(
  app: FastifyInstance,
  web: WebAccounts,
  limits: PageLimits = DEFAULT_PAGE_LIMITS,
  now: () => Date = () => new Date(),
) {
  const kit = createPageKit(app, web, limits, now);
  const { guard, letterAllowed, afterReply, languageOf, render, limited, errorText, linkDead, signedIn } = kit;

  void app.register(cookie);
  void app.register(formbody, { bodyLimit: 16 * 1024 });

  app.get('/web/style.css', (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLE),
  );

  app.get('/web', async (request, reply) =>
    reply.redirect((await signedIn(request)) ? '/web/account' : '/web/login', 303),
  );

  // ----- sign in -----
  const NOTICES = ['confirmed', 'resetDone', 'signedOut', 'passwordChanged'] as const;
  const loginPage = (request: FastifyRequest, reply: FastifyReply, status: number, error: string | null, login = '') =>
    render(request, reply, status, (t) => {
      const notice = (request.query as Body).notice;
      return {
        title: t.signIn,
        notice: NOTICES.includes(notice as never) ? t[notice as (typeof NOTICES)[number]] : null,
        error,
        body: html`<form method="post" action="/web/login">
            ${field('login', t.login, 'text', { value: login, hint: t.loginHint, autocomplete: 'username' })}${field('password', t.password, 'password', { autocomplete: 'current-password' })}<button
              type="submit"
            >
              ${t.signIn}
            </button>
          </form>
          <p class="links"><a href="/web/forgot">${t.forgot}</a></p>`,
      };
    });
  app.get('/web/login', (request, reply) => loginPage(request, reply, 200, null));
  // Throttled by guard.ts before the password is looked at, the same way for any login typed.
  app.post('/web/login', async (request, reply) => {
    if (await limited(request, reply)) return reply;
    const login = str(request.body, 'login');
    const t = webTexts[languageOf(request, reply)];
    const verdict = guard.admit(request.ip, login);
    if (verdict.kind !== 'go') return loginPage(request, reply, 429, t.errors[verdict.kind], login);
    if (verdict.waitMs) await sleep(verdict.waitMs);
    try {
      const { session } = await web.customer.signIn(login, str(request.body, 'password'));
      guard.succeeded(request.ip, login);
      reply.setCookie(SESSION_COOKIE, session, {
        path: '/web',
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        maxAge: SESSION_LIFETIME_MS / 1000,
      });
      return reply.redirect('/web/account', 303);
    } catch (error) {
      if (error instanceof CustomerError && error.key === 'badCredentials') guard.failed(request.ip, login);
      return loginPage(request, reply, 401, errorText(t, error), login);
    }
  });

  // ----- forgot password (seed, figure 8) -----
  const forgotForm = (t: WebTexts) =>
    html`<p>${t.forgotLead}</p>
      <form method="post" action="/web/forgot">
        ${field('identifier', t.loginOrEmail, 'text', { autocomplete: 'username' })}<button type="submit">
          ${t.sendLink}
        </button>
      </form>`;
  app.get('/web/forgot', (request, reply) =>
    render(request, reply, 200, (t) => ({ title: t.forgotTitle, body: forgotForm(t) })),
  );
  app.post('/web/forgot', async (request, reply) => {
    if (await limited(request, reply)) return reply;
    const identifier = str(request.body, 'identifier');
    if (!identifier.trim())
      return render(request, reply, 422, (t) => ({
        title: t.forgotTitle,
        error: t.errors.required,
        body: forgotForm(t),
      }));
    // The answer comes first, the same whether or not such an account exists, before anything is looked
    // up; the account, its letter limit and the letter are seen to after the reply.
    afterReply(request, reply, 'reset letter not sent', () => web.customer.forgot(identifier, letterAllowed));
    return render(request, reply, 200, (t) => ({
      title: t.forgotTitle,
      notice: t.forgotSent,
      body: html`<p class="links"><a href="/web/login">${t.signIn}</a></p>`,
    }));
  });

  const deadLink = (request: FastifyRequest, reply: FastifyReply, key: CustomerErrorKey) =>
    render(request, reply, key === 'linkExpired' ? 410 : 400, (t) => ({
      title: t.siteTitle,
      error: t.errors[key],
      body: html`<p class="links"><a href="/web/login">${t.signIn}</a><a href="/web/forgot">${t.forgot}</a></p>`,
    }));

  // ----- confirm registration: the first click; the customer sets the password -----
  const confirmForm = (t: WebTexts, token: string, login: string) =>
    html`<p>${fill(t.confirmLead, { login })}</p>
      <form method="post" action="/web/confirm">
        ${hidden('token', token)}${newPasswordFields(t)}<button type="submit">${t.setPassword}</button>
      </form>`;
  app.get('/web/confirm', async (request, reply) => {
    const token = (request.query as Body).token ?? '';
    try {
      const { login } = await web.customer.peek(token, 'confirm');
      return render(request, reply, 200, (t) => ({ title: t.confirmTitle, body: confirmForm(t, token, login) }));
    } catch (error) {
      if (error instanceof CustomerError) return deadLink(request, reply, error.key);
      throw error;
    }
  });
  app.post('/web/confirm', async (request, reply) => {
    if (await limited(request, reply)) return reply;
    const token = str(request.body, 'token');
    try {
      await web.customer.confirm(token, str(request.body, 'password'), str(request.body, 'password2'));
      return reply.redirect('/web/login?notice=confirmed', 303);
    } catch (error) {
      if (!(error instanceof CustomerError)) throw error;
      if (linkDead(error.key)) return deadLink(request, reply, error.key);
      const { login } = await web.customer.peek(token, 'confirm');
      return render(request, reply, 422, (t) => ({
        title: t.confirmTitle,
        error: t.errors[error.key],
        body: confirmForm(t, token, login),
      }));
    }
  });

  // ----- reset password (seed, figure 10) -----
  const resetForm = (t: WebTexts, token: string, values: { iinBin?: string; number?: string } = {}) =>
    html`<p>${t.resetLead}</p>
      <form method="post" action="/web/reset">
        ${hidden('token', token)}${field('iinBin', t.iinBin, 'text', { value: values.iinBin })}${field('number', t.accountOrContract, 'text', { value: values.number })}${newPasswordFields(t)}<button
          type="submit"
        >
          ${t.changePassword}
        </button>
      </form>`;
  app.get('/web/reset', async (request, reply) => {
    const token = (request.query as Body).token ?? '';
    try {
      await web.customer.peek(token, 'reset');
      return render(request, reply, 200, (t) => ({ title: t.resetTitle, body: resetForm(t, token) }));
    } catch (error) {
      if (error instanceof CustomerError) return deadLink(request, reply, error.key);
      throw error;
    }
  });
  app.post('/web/reset', async (request, reply) => {
    if (await limited(request, reply)) return reply;
    const token = str(request.body, 'token');
    const values = { iinBin: str(request.body, 'iinBin'), number: str(request.body, 'number') };
    try {
      const { login } = await web.customer.reset(
        token,
        values.iinBin,
        values.number,
        str(request.body, 'password'),
        str(request.body, 'password2'),
      );
      guard.reset(login); // mailbox and IIN/BIN proven: sign-in throttling of this login starts afresh
      return reply.redirect('/web/login?notice=resetDone', 303);
    } catch (error) {
      if (!(error instanceof CustomerError)) throw error;
      if (linkDead(error.key)) return deadLink(request, reply, error.key);
      const stillLive = await web.customer.peek(token, 'reset').then(
        () => true,
        () => false,
      );
      if (!stillLive) return deadLink(request, reply, 'linkInvalid'); // too many wrong answers burned it
      return render(request, reply, 422, (t) => ({
        title: t.resetTitle,
        error: t.errors[error.key],
        body: resetForm(t, token, values),
      }));
    }
  });

  // ----- confirm a new email -----
  app.get('/web/email/confirm', async (request, reply) => {
    const token = (request.query as Body).token ?? '';
    try {
      const { email } = await web.customer.peek(token, 'email');
      return render(request, reply, 200, (t) => ({
        title: t.emailConfirmTitle,
        body: html`<p>${fill(t.emailConfirmLead, { email })}</p>
          <form method="post" action="/web/email/confirm">
            ${hidden('token', token)}<button type="submit">${t.confirmEmail}</button>
          </form>`,
      }));
    } catch (error) {
      if (error instanceof CustomerError) return deadLink(request, reply, error.key);
      throw error;
    }
  });
  app.post('/web/email/confirm', async (request, reply) => {
    if (await limited(request, reply)) return reply;
    try {
      await web.customer.confirmEmail(str(request.body, 'token'));
      return render(request, reply, 200, (t) => ({
        title: t.emailConfirmTitle,
        notice: t.emailChanged,
        body: html`<p class="links"><a href="/web/account">${t.myAccount}</a></p>`,
      }));
    } catch (error) {
      if (error instanceof CustomerError) return deadLink(request, reply, error.key);
      throw error;
    }
  });

  registerAccountPages(app, web, kit);
}
