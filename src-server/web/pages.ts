// The customer's pages for the links in the letters and the signed-in "change password" / "change
// email": plain server-rendered HTML in Russian, Kazakh or English, no script at all, a strict CSP,
// tokens never sent on as a Referer, session cookies HttpOnly + Secure + SameSite=Strict, per-IP
// limits. No page tells whether a login or an address exists: "forgot password" answers before it
// looks anything up (the letter is sent after the reply), sign-in is throttled by counters that never
// ask the database (guard.ts), and letters are limited per account, however the customer named it.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { emailSchema } from '../../src-shared/schemas/mail';
import { CustomerError, SESSION_LIFETIME_MS, type CustomerErrorKey, type WebAccounts } from './accounts';
import { csrfOf, sameSecret } from '../../src-shared/node/secrets';
import { fill, pageLanguageOf, webLanguages, webTexts, type WebLanguage, type WebTexts } from './texts';
import { DEFAULT_SIGN_IN_POLICY, createSignInGuard, type SignInPolicy } from './guard';

export const SESSION_COOKIE = 'aq_session';
const LANG_COOKIE = 'aq_lang';

export const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface PageLimits {
  /** form posts per IP per window */
  perIp: number;
  /** letters a customer asks for (reset links, a new address's link) per account per window */
  perAccount: number;
  windowSeconds: number;
  /** sign-in throttling (guard.ts); default DEFAULT_SIGN_IN_POLICY */
  signIn?: Partial<SignInPolicy>;
}
export const DEFAULT_PAGE_LIMITS: PageLimits = { perIp: 30, perAccount: 3, windowSeconds: 15 * 60 };

const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2d3d;background:#eef3f8}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 24px;background:#0b5cad;color:#fff}header a{color:#fff;margin-left:12px}
.brand{font-weight:600}main{max-width:520px;margin:32px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 16px}label{display:block;margin:12px 0 4px;font-weight:500}input{width:100%;padding:8px 10px;font:inherit;border:1px solid #b8c4d0;border-radius:4px}
input:focus{outline:2px solid #0b5cad;border-color:#0b5cad}.hint{color:#5b6b7b;font-size:14px;margin:2px 0}button{margin-top:18px;padding:9px 18px;font:inherit;background:#0b5cad;color:#fff;border:0;border-radius:4px;cursor:pointer}
.notice{background:#e6f4ea;border:1px solid #9ccaa7;padding:10px 12px;border-radius:4px}.error{background:#fdecea;border:1px solid #e6a39d;padding:10px 12px;border-radius:4px}
.rules{font-size:14px;color:#5b6b7b}dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px}dt{color:#5b6b7b}dd{margin:0}.links a{margin-right:16px}`;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** HTML from a template: interpolated values are escaped unless they are already `Html`. */
class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}
function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const text = Array.isArray(value) ? value.map((v) => (v instanceof Html ? v.text : escapeHtml(String(v ?? '')))).join('') : value instanceof Html ? value.text : escapeHtml(String(value ?? ''));
    out += text + strings[i + 1]!;
  });
  return new Html(out);
}

interface PageParts {
  title: string;
  notice?: string | null;
  error?: string | null;
  body: Html;
}

function page(request: FastifyRequest, language: WebLanguage, parts: PageParts): string {
  const t = webTexts[language];
  const switchTo = (lang: WebLanguage) => {
    const url = new URL(request.url, 'http://x');
    url.searchParams.set('lang', lang);
    return `${url.pathname}${url.search}`;
  };
  return html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${parts.title} — ${t.siteTitle}</title><link rel="stylesheet" href="/web/style.css"></head>
<body><header><span class="brand">${t.siteTitle}</span><nav>${webLanguages.filter((lang) => lang !== language).map((lang) => html`<a href="${switchTo(lang)}" hreflang="${lang}" lang="${lang}">${webTexts[lang].languageName}</a>`)}</nav></header>
<main><h1>${parts.title}</h1>${parts.notice ? html`<p class="notice" role="status">${parts.notice}</p>` : ''}${parts.error ? html`<p class="error" role="alert">${parts.error}</p>` : ''}${parts.body}</main></body></html>`.text;
}

const field = (name: string, label: string, type = 'text', extra: { value?: string; hint?: string; autocomplete?: string } = {}) =>
  html`<label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${extra.value ?? ''}" autocomplete="${extra.autocomplete ?? 'off'}" required>${extra.hint ? html`<p class="hint">${extra.hint}</p>` : ''}`;
const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;
const rules = (t: WebTexts) => html`<div class="rules"><p>${t.rulesTitle}:</p><ul>${t.rules.map((r) => html`<li>${r}</li>`)}</ul></div>`;
const newPasswordFields = (t: WebTexts) => html`${field('password', t.newPassword, 'password', { autocomplete: 'new-password' })}${field('password2', t.newPasswordAgain, 'password', { autocomplete: 'new-password' })}${rules(t)}`;

type Body = Record<string, string | undefined>;
const str = (body: unknown, key: string): string => {
  const value = (body as Body | null)?.[key];
  return typeof value === 'string' ? value.slice(0, 300) : '';
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function registerCustomerPages(app: FastifyInstance, web: WebAccounts, limits: PageLimits = DEFAULT_PAGE_LIMITS, now: () => Date = () => new Date()) {
  const perIp = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perIp, duration: limits.windowSeconds });
  // Keyed by the account's id, never by what was typed: a login and an address of one account share it.
  const perAccount = new RateLimiterMemory({ keyPrefix: 'acct', points: limits.perAccount, duration: limits.windowSeconds });
  const letterAllowed = (accountId: number) => perAccount.consume(String(accountId)).then(() => true, () => false);
  const guard = createSignInGuard({ ...DEFAULT_SIGN_IN_POLICY, ...limits.signIn }, now);

  // Work done after the reply (the "forgot password" letter): its errors go to the log only, and the
  // service waits for it before it closes.
  const pending = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });
  function afterReply(request: FastifyRequest, reply: FastifyReply, what: string, job: () => Promise<unknown>) {
    reply.raw.once('close', () => {
      const run = job().then(
        () => undefined,
        (error: unknown) => request.log.warn({ err: error }, what),
      );
      pending.add(run);
      void run.finally(() => pending.delete(run));
    });
  }

  void app.register(cookie);
  void app.register(formbody, { bodyLimit: 16 * 1024 });

  const languageOf = (request: FastifyRequest, reply: FastifyReply): WebLanguage => {
    const query = (request.query as Body).lang;
    if (query && webLanguages.includes(query as WebLanguage)) {
      reply.setCookie(LANG_COOKIE, query, { path: '/web', sameSite: 'lax', httpOnly: true, secure: true, maxAge: 365 * 86_400 });
      return query as WebLanguage;
    }
    return pageLanguageOf(request.cookies[LANG_COOKIE]);
  };

  const send = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(body);

  const render = (request: FastifyRequest, reply: FastifyReply, status: number, parts: (t: WebTexts, language: WebLanguage) => PageParts) => {
    const language = languageOf(request, reply);
    return send(reply, status, page(request, language, parts(webTexts[language], language)));
  };

  /** A form post beyond the per-IP limit gets a page saying so, and does nothing. */
  async function limited(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    try {
      await perIp.consume(request.ip);
      return false;
    } catch {
      void render(request, reply, 429, (t) => ({ title: t.siteTitle, error: t.errors.tooMany, body: html`<p class="links"><a href="/web/login">${t.signIn}</a></p>` }));
      return true;
    }
  }

  const errorText = (t: WebTexts, error: unknown): string => {
    if (error instanceof CustomerError) return t.errors[error.key];
    if (error instanceof Error && (error as { details?: { reason?: string } }).details?.reason === 'web.mailFailed') return t.errors.mailFailed;
    throw error;
  };
  const linkDead = (key: CustomerErrorKey) => key === 'linkInvalid' || key === 'linkExpired';

  async function signedIn(request: FastifyRequest) {
    const token = request.cookies[SESSION_COOKIE];
    const session = await web.customer.session(token);
    return session && token ? { ...session, token, csrf: csrfOf(token) } : null;
  }

  app.get('/web/style.css', (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLE));

  app.get('/web', async (request, reply) => reply.redirect((await signedIn(request)) ? '/web/account' : '/web/login', 303));

  // ----- sign in -----
  const NOTICES = ['confirmed', 'resetDone', 'signedOut', 'passwordChanged'] as const;
  const loginPage = (request: FastifyRequest, reply: FastifyReply, status: number, error: string | null, login = '') =>
    render(request, reply, status, (t) => {
      const notice = (request.query as Body).notice;
      return {
        title: t.signIn,
        notice: NOTICES.includes(notice as never) ? t[notice as (typeof NOTICES)[number]] : null,
        error,
        body: html`<form method="post" action="/web/login">${field('login', t.login, 'text', { value: login, hint: t.loginHint, autocomplete: 'username' })}${field('password', t.password, 'password', { autocomplete: 'current-password' })}<button type="submit">${t.signIn}</button></form><p class="links"><a href="/web/forgot">${t.forgot}</a></p>`,
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
      reply.setCookie(SESSION_COOKIE, session, { path: '/web', httpOnly: true, secure: true, sameSite: 'strict', maxAge: SESSION_LIFETIME_MS / 1000 });
      return reply.redirect('/web/account', 303);
    } catch (error) {
      if (error instanceof CustomerError && error.key === 'badCredentials') guard.failed(request.ip, login);
      return loginPage(request, reply, 401, errorText(t, error), login);
    }
  });

  // ----- forgot password (seed, figure 8) -----
  const forgotForm = (t: WebTexts) => html`<p>${t.forgotLead}</p><form method="post" action="/web/forgot">${field('identifier', t.loginOrEmail, 'text', { autocomplete: 'username' })}<button type="submit">${t.sendLink}</button></form>`;
  app.get('/web/forgot', (request, reply) => render(request, reply, 200, (t) => ({ title: t.forgotTitle, body: forgotForm(t) })));
  app.post('/web/forgot', async (request, reply) => {
    if (await limited(request, reply)) return reply;
    const identifier = str(request.body, 'identifier');
    if (!identifier.trim()) return render(request, reply, 422, (t) => ({ title: t.forgotTitle, error: t.errors.required, body: forgotForm(t) }));
    // The answer comes first, the same whether or not such an account exists, before anything is looked
    // up; the account, its letter limit and the letter are seen to after the reply.
    afterReply(request, reply, 'reset letter not sent', () => web.customer.forgot(identifier, letterAllowed));
    return render(request, reply, 200, (t) => ({ title: t.forgotTitle, notice: t.forgotSent, body: html`<p class="links"><a href="/web/login">${t.signIn}</a></p>` }));
  });

  const deadLink = (request: FastifyRequest, reply: FastifyReply, key: CustomerErrorKey) =>
    render(request, reply, key === 'linkExpired' ? 410 : 400, (t) => ({ title: t.siteTitle, error: t.errors[key], body: html`<p class="links"><a href="/web/login">${t.signIn}</a><a href="/web/forgot">${t.forgot}</a></p>` }));

  // ----- confirm registration: the first click; the customer sets the password -----
  const confirmForm = (t: WebTexts, token: string, login: string) =>
    html`<p>${fill(t.confirmLead, { login })}</p><form method="post" action="/web/confirm">${hidden('token', token)}${newPasswordFields(t)}<button type="submit">${t.setPassword}</button></form>`;
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
      return render(request, reply, 422, (t) => ({ title: t.confirmTitle, error: t.errors[error.key], body: confirmForm(t, token, login) }));
    }
  });

  // ----- reset password (seed, figure 10) -----
  const resetForm = (t: WebTexts, token: string, values: { iinBin?: string; number?: string } = {}) =>
    html`<p>${t.resetLead}</p><form method="post" action="/web/reset">${hidden('token', token)}${field('iinBin', t.iinBin, 'text', { value: values.iinBin })}${field('number', t.accountOrContract, 'text', { value: values.number })}${newPasswordFields(t)}<button type="submit">${t.changePassword}</button></form>`;
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
      const { login } = await web.customer.reset(token, values.iinBin, values.number, str(request.body, 'password'), str(request.body, 'password2'));
      guard.reset(login); // mailbox and IIN/BIN proven: sign-in throttling of this login starts afresh
      return reply.redirect('/web/login?notice=resetDone', 303);
    } catch (error) {
      if (!(error instanceof CustomerError)) throw error;
      if (linkDead(error.key)) return deadLink(request, reply, error.key);
      const stillLive = await web.customer.peek(token, 'reset').then(() => true, () => false);
      if (!stillLive) return deadLink(request, reply, 'linkInvalid'); // too many wrong answers burned it
      return render(request, reply, 422, (t) => ({ title: t.resetTitle, error: t.errors[error.key], body: resetForm(t, token, values) }));
    }
  });

  // ----- confirm a new email -----
  app.get('/web/email/confirm', async (request, reply) => {
    const token = (request.query as Body).token ?? '';
    try {
      const { email } = await web.customer.peek(token, 'email');
      return render(request, reply, 200, (t) => ({
        title: t.emailConfirmTitle,
        body: html`<p>${fill(t.emailConfirmLead, { email })}</p><form method="post" action="/web/email/confirm">${hidden('token', token)}<button type="submit">${t.confirmEmail}</button></form>`,
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
      return render(request, reply, 200, (t) => ({ title: t.emailConfirmTitle, notice: t.emailChanged, body: html`<p class="links"><a href="/web/account">${t.myAccount}</a></p>` }));
    } catch (error) {
      if (error instanceof CustomerError) return deadLink(request, reply, error.key);
      throw error;
    }
  });

  // ----- signed in -----
  const accountPage = async (request: FastifyRequest, reply: FastifyReply, notice: string | null = null) => {
    const me = await signedIn(request);
    if (!me) return reply.redirect('/web/login', 303);
    return render(request, reply, 200, (t) => ({
      title: t.myAccount,
      notice,
      body: html`<dl><dt>${t.login}</dt><dd data-test="login">${me.login}</dd><dt>${t.email}</dt><dd data-test="email">${me.email}</dd>${me.registeredAt ? html`<dt>${t.registeredAt}</dt><dd>${me.registeredAt.slice(0, 10)}</dd>` : ''}</dl>
<p class="links"><a href="/web/password">${t.changePassword}</a><a href="/web/email">${t.changeEmail}</a></p><form method="post" action="/web/logout">${hidden('csrf', me.csrf)}<button type="submit">${t.signOut}</button></form>`,
    }));
  };
  app.get('/web/account', (request, reply) => accountPage(request, reply));

  /** A signed-in form post: session alive and the anti-forgery field matching it. */
  async function signedInPost(request: FastifyRequest, reply: FastifyReply) {
    if (await limited(request, reply)) return null;
    const me = await signedIn(request);
    if (!me || !sameSecret(str(request.body, 'csrf'), me.csrf)) {
      void reply.redirect('/web/login', 303);
      return null;
    }
    return me;
  }

  const passwordForm = (t: WebTexts, csrf: string) =>
    html`<form method="post" action="/web/password">${hidden('csrf', csrf)}${field('current', t.currentPassword, 'password', { autocomplete: 'current-password' })}${newPasswordFields(t)}<button type="submit">${t.changePassword}</button></form>`;
  app.get('/web/password', async (request, reply) => {
    const me = await signedIn(request);
    if (!me) return reply.redirect('/web/login', 303);
    return render(request, reply, 200, (t) => ({ title: t.changePassword, body: passwordForm(t, me.csrf) }));
  });
  /**
   * The current password asked again on a signed-in form: throttled and counted like a sign-in (a
   * stolen session does not make a faster guessing machine). Null when right; else the error to show.
   */
  async function currentPasswordProblem(request: FastifyRequest, login: string, check: () => Promise<unknown>): Promise<CustomerErrorKey | null> {
    const verdict = guard.admit(request.ip, login);
    if (verdict.kind !== 'go') return verdict.kind;
    if (verdict.waitMs) await sleep(verdict.waitMs);
    try {
      await check();
      guard.succeeded(request.ip, login);
      return null;
    } catch (error) {
      if (error instanceof CustomerError && error.key === 'wrongCurrent') guard.failed(request.ip, login);
      throw error;
    }
  }

  app.post('/web/password', async (request, reply) => {
    const me = await signedInPost(request, reply);
    if (!me) return reply;
    const t = webTexts[languageOf(request, reply)];
    try {
      // Every other session of the account ends; this one goes on.
      const problem = await currentPasswordProblem(request, me.login, () => web.customer.changePassword(me.accountId, me.token, str(request.body, 'current'), str(request.body, 'password'), str(request.body, 'password2')));
      if (problem) return render(request, reply, 429, () => ({ title: t.changePassword, error: t.errors[problem], body: passwordForm(t, me.csrf) }));
      return accountPage(request, reply, t.passwordChangedElsewhere);
    } catch (error) {
      return render(request, reply, 422, () => ({ title: t.changePassword, error: errorText(t, error), body: passwordForm(t, me.csrf) }));
    }
  });

  const emailForm = (t: WebTexts, csrf: string, value = '') =>
    html`<form method="post" action="/web/email">${hidden('csrf', csrf)}${field('email', t.newEmail, 'email', { value, autocomplete: 'email' })}${field('current', t.currentPassword, 'password', { autocomplete: 'current-password', hint: t.emailPasswordHint })}<button type="submit">${t.changeEmail}</button></form>`;
  app.get('/web/email', async (request, reply) => {
    const me = await signedIn(request);
    if (!me) return reply.redirect('/web/login', 303);
    return render(request, reply, 200, (t) => ({ title: t.changeEmail, body: emailForm(t, me.csrf) }));
  });
  app.post('/web/email', async (request, reply) => {
    const me = await signedInPost(request, reply);
    if (!me) return reply;
    const t = webTexts[languageOf(request, reply)];
    const parsed = emailSchema.safeParse(str(request.body, 'email').trim());
    if (!parsed.success) return render(request, reply, 422, () => ({ title: t.changeEmail, error: t.errors.badEmail, body: emailForm(t, me.csrf, str(request.body, 'email')) }));
    const current = str(request.body, 'current');
    if (!current) return render(request, reply, 422, () => ({ title: t.changeEmail, error: t.errors.currentRequired, body: emailForm(t, me.csrf, parsed.data) }));
    try {
      let sentTo = '';
      // The current password first (nothing changes without it), then the letter limit of the account.
      const problem = await currentPasswordProblem(request, me.login, async () => {
        sentTo = await web.customer.changeEmail(me.accountId, current, parsed.data, () => letterAllowed(me.accountId));
      });
      if (problem) return render(request, reply, 429, () => ({ title: t.changeEmail, error: t.errors[problem], body: emailForm(t, me.csrf, parsed.data) }));
      return accountPage(request, reply, fill(t.emailChangeSent, { email: sentTo }));
    } catch (error) {
      return render(request, reply, 422, () => ({ title: t.changeEmail, error: errorText(t, error), body: emailForm(t, me.csrf, parsed.data) }));
    }
  });

  app.post('/web/logout', async (request, reply) => {
    const me = await signedInPost(request, reply);
    if (!me) return reply;
    await web.customer.signOut(me.token);
    reply.clearCookie(SESSION_COOKIE, { path: '/web' });
    return reply.redirect('/web/login?notice=signedOut', 303);
  });
}
