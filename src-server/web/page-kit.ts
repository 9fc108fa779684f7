// What every customer page uses: the limits (form posts per IP, letters per account, sign-in throttling
// by guard.ts), the visitor's language (`?lang=`, then a cookie), the answer with its security headers
// (a strict CSP, no Referer, no framing, no caching), the signed-in customer behind the session cookie,
// and work done after the reply. pages.ts and account-pages.ts register the routes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { csrfOf } from '../../src-shared/node/secrets';
import { CustomerError, type CustomerErrorKey, type WebAccounts } from './accounts';
import { DEFAULT_SIGN_IN_POLICY, createSignInGuard, type SignInPolicy } from './guard';
import { html, page, type PageParts } from './html';
import { pageLanguageOf, webLanguages, webTexts, type WebLanguage, type WebTexts } from './texts';

export const SESSION_COOKIE = 'aq_session';
const LANG_COOKIE = 'aq_lang';

export const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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

export type Body = Record<string, string | undefined>;
/** A form field as text (at most 300 characters; missing → ''). */
export const str = (body: unknown, key: string): string => {
  const value = (body as Body | null)?.[key];
  return typeof value === 'string' ? value.slice(0, 300) : '';
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPageKit(app: FastifyInstance, web: WebAccounts, limits: PageLimits, now: () => Date) {
  const perIp = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perIp, duration: limits.windowSeconds });
  // Keyed by the account's id, never by what was typed: a login and an address of one account share it.
  const perAccount = new RateLimiterMemory({
    keyPrefix: 'acct',
    points: limits.perAccount,
    duration: limits.windowSeconds,
  });
  const letterAllowed = (accountId: number) =>
    perAccount.consume(String(accountId)).then(
      () => true,
      () => false,
    );
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

  const languageOf = (request: FastifyRequest, reply: FastifyReply): WebLanguage => {
    const query = (request.query as Body).lang;
    if (query && webLanguages.includes(query as WebLanguage)) {
      reply.setCookie(LANG_COOKIE, query, {
        path: '/web',
        sameSite: 'lax',
        httpOnly: true,
        secure: true,
        maxAge: 365 * 86_400,
      });
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

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    parts: (t: WebTexts, language: WebLanguage) => PageParts,
  ) => {
    const language = languageOf(request, reply);
    return send(reply, status, page(request, language, parts(webTexts[language], language)));
  };

  /** A form post beyond the per-IP limit gets a page saying so, and does nothing. */
  async function limited(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    try {
      await perIp.consume(request.ip);
      return false;
    } catch {
      void render(request, reply, 429, (t) => ({
        title: t.siteTitle,
        error: t.errors.tooMany,
        body: html`<p class="links"><a href="/web/login">${t.signIn}</a></p>`,
      }));
      return true;
    }
  }

  const errorText = (t: WebTexts, error: unknown): string => {
    if (error instanceof CustomerError) return t.errors[error.key];
    if (error instanceof Error && (error as { details?: { reason?: string } }).details?.reason === 'web.mailFailed')
      return t.errors.mailFailed;
    throw error;
  };
  const linkDead = (key: CustomerErrorKey) => key === 'linkInvalid' || key === 'linkExpired';

  async function signedIn(request: FastifyRequest) {
    const token = request.cookies[SESSION_COOKIE];
    const session = await web.customer.session(token);
    return session && token ? { ...session, token, csrf: csrfOf(token) } : null;
  }

  return { guard, letterAllowed, afterReply, languageOf, render, limited, errorText, linkDead, signedIn };
}

export type PageKit = ReturnType<typeof createPageKit>;
