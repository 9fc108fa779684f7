// The signed-in customer's pages: the account (login, email, registration date), a new password and
// a new email, each asking for the current password again (throttled and counted like a sign-in), and
// sign-out. Every signed-in form carries an anti-forgery field bound to the session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { emailSchema } from '../../src-shared/schemas/mail';
import { sameSecret } from '../../src-shared/node/secrets';
import { CustomerError, type CustomerErrorKey, type WebAccounts } from './accounts';
import { field, hidden, html, newPasswordFields } from './html';
import { sleep, str, SESSION_COOKIE, type PageKit } from './page-kit';
import { fill, webTexts, type WebTexts } from './texts';

export function registerAccountPages(app: FastifyInstance, web: WebAccounts, kit: PageKit) {
  const { guard, letterAllowed, languageOf, render, limited, errorText, signedIn } = kit;

  const accountPage = async (request: FastifyRequest, reply: FastifyReply, notice: string | null = null) => {
    const me = await signedIn(request);
    if (!me) return reply.redirect('/web/login', 303);
    return render(request, reply, 200, (t) => ({
      title: t.myAccount,
      notice,
      body: html`<dl>
          <dt>${t.login}</dt>
          <dd data-test="login">${me.login}</dd>
          <dt>${t.email}</dt>
          <dd data-test="email">${me.email}</dd>
          ${
            me.registeredAt
              ? html`<dt>${t.registeredAt}</dt>
                  <dd>${me.registeredAt.slice(0, 10)}</dd>`
              : ''
          }
        </dl>
        <p class="links"><a href="/web/password">${t.changePassword}</a><a href="/web/email">${t.changeEmail}</a></p>
        <form method="post" action="/web/logout">
          ${hidden('csrf', me.csrf)}<button type="submit">${t.signOut}</button>
        </form>`,
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
    html`<form method="post" action="/web/password">
      ${hidden('csrf', csrf)}${field('current', t.currentPassword, 'password', { autocomplete: 'current-password' })}${newPasswordFields(t)}<button
        type="submit"
      >
        ${t.changePassword}
      </button>
    </form>`;
  app.get('/web/password', async (request, reply) => {
    const me = await signedIn(request);
    if (!me) return reply.redirect('/web/login', 303);
    return render(request, reply, 200, (t) => ({ title: t.changePassword, body: passwordForm(t, me.csrf) }));
  });
  /**
   * The current password asked again on a signed-in form: throttled and counted like a sign-in (a
   * stolen session does not make a faster guessing machine). Null when right; else the error to show.
   */
  async function currentPasswordProblem(
    request: FastifyRequest,
    login: string,
    check: () => Promise<unknown>,
  ): Promise<CustomerErrorKey | null> {
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
      const problem = await currentPasswordProblem(request, me.login, () =>
        web.customer.changePassword(
          me.accountId,
          me.token,
          str(request.body, 'current'),
          str(request.body, 'password'),
          str(request.body, 'password2'),
        ),
      );
      if (problem)
        return render(request, reply, 429, () => ({
          title: t.changePassword,
          error: t.errors[problem],
          body: passwordForm(t, me.csrf),
        }));
      return accountPage(request, reply, t.passwordChangedElsewhere);
    } catch (error) {
      return render(request, reply, 422, () => ({
        title: t.changePassword,
        error: errorText(t, error),
        body: passwordForm(t, me.csrf),
      }));
    }
  });

  const emailForm = (t: WebTexts, csrf: string, value = '') =>
    html`<form method="post" action="/web/email">
      ${hidden('csrf', csrf)}${field('email', t.newEmail, 'email', { value, autocomplete: 'email' })}${field('current', t.currentPassword, 'password', { autocomplete: 'current-password', hint: t.emailPasswordHint })}<button
        type="submit"
      >
        ${t.changeEmail}
      </button>
    </form>`;
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
    if (!parsed.success)
      return render(request, reply, 422, () => ({
        title: t.changeEmail,
        error: t.errors.badEmail,
        body: emailForm(t, me.csrf, str(request.body, 'email')),
      }));
    const current = str(request.body, 'current');
    if (!current)
      return render(request, reply, 422, () => ({
        title: t.changeEmail,
        error: t.errors.currentRequired,
        body: emailForm(t, me.csrf, parsed.data),
      }));
    try {
      let sentTo = '';
      // The current password first (nothing changes without it), then the letter limit of the account.
      const problem = await currentPasswordProblem(request, me.login, async () => {
        sentTo = await web.customer.changeEmail(me.accountId, current, parsed.data, () => letterAllowed(me.accountId));
      });
      if (problem)
        return render(request, reply, 429, () => ({
          title: t.changeEmail,
          error: t.errors[problem],
          body: emailForm(t, me.csrf, parsed.data),
        }));
      return accountPage(request, reply, fill(t.emailChangeSent, { email: sentTo }));
    } catch (error) {
      return render(request, reply, 422, () => ({
        title: t.changeEmail,
        error: errorText(t, error),
        body: emailForm(t, me.csrf, parsed.data),
      }));
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
