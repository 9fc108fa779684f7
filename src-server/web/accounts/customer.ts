// What the customer does through the letters' links and the pages (pages.ts): confirm the
// registration and set a password, reset it after proving IIN/BIN and account / contract number,
// confirm a new address, sign in and out, and, signed in, change the password or the email. A refusal
// is a CustomerError the page shows in the customer's language; every step is audited.
import { passwordProblems } from '../../../src-shared/schemas/web';
import { hashPassword, verifyPassword } from '../../../src-shared/node/secrets';
import type { Sql } from '../../db';
import { lockVersions } from '../../schema';
import { audit, CustomerError, languageOf, type CustomerErrorKey, type WebContext } from './context';
import { requestEmailChange } from './email-change';
import { letter, link } from './letters';
import * as repo from './repo';
import type { WebRow } from './repo';
import {
  closeSession,
  countIdentityMiss,
  endSessions,
  issueToken,
  liveToken,
  openSession,
  sessionAccount,
  spendTokens,
  type Purpose,
} from './tokens';

function checkNewPassword(password: string, again: string, login: string | null) {
  if (password !== again) throw new CustomerError('passwordsDiffer');
  const problem = passwordProblems(password, login)[0];
  if (problem) throw new CustomerError(problem as CustomerErrorKey);
}

/** In the step's transaction: the account as it was when its password was proven (row locked). */
async function stillTheSame(sql: Sql, proven: WebRow) {
  const now = await repo.webRow(sql, proven.account_id, true);
  if (!now || now.status !== 'active' || now.password_hash !== proven.password_hash)
    throw new CustomerError('sessionExpired');
}

export function createCustomerSteps(ctx: WebContext) {
  const { db } = ctx;

  async function customerAudit(
    accountId: number | null,
    operation: string,
    result: string,
    details: Record<string, unknown> = {},
  ) {
    await audit(ctx, { office: null, operatorId: null }, accountId, operation, result, details).catch(() => undefined);
  }

  /** Runs a customer step in a transaction (the step takes the version lock itself, if it writes a replicated row); a refusal is audited and rethrown for the page. */
  async function customerStep<T>(
    operation: string,
    fn: (sql: Sql) => Promise<{ accountId: number; value: T }>,
  ): Promise<T> {
    try {
      const { accountId, value } = await db.tx(fn);
      await customerAudit(accountId, operation, 'ok');
      return value;
    } catch (error) {
      if (error instanceof CustomerError) await customerAudit(null, operation, 'refused', { reason: error.key });
      throw error;
    }
  }

  /**
   * The signed-in customer's current password (and whatever else `check` asks), checked outside any
   * transaction: scrypt takes a while, and PGlite has one connection. A refusal is audited.
   */
  async function proveCurrent(
    accountId: number,
    current: string,
    operation: string,
    check: (row: WebRow) => void = () => undefined,
  ): Promise<WebRow> {
    try {
      const web = await repo.webRow(db, accountId);
      if (!web || web.status !== 'active') throw new CustomerError('sessionExpired');
      if (!(await verifyPassword(current, web.password_hash))) throw new CustomerError('wrongCurrent');
      check(web);
      return web;
    } catch (error) {
      if (error instanceof CustomerError) await customerAudit(accountId, operation, 'refused', { reason: error.key });
      throw error;
    }
  }

  return {
    /** What the confirmation page needs to show (the login), or why the link is no good. */
    peek: (token: unknown, purpose: Purpose) =>
      db.tx(async (sql) => {
        const row = await liveToken(sql, ctx.now, token, purpose);
        const web = await repo.webRow(sql, row.account_id);
        if (!web) throw new CustomerError('linkInvalid');
        return {
          login: web.login,
          email: row.email ?? web.email,
          kind: web.customer_kind ?? 'individual',
          language: languageOf(web),
        };
      }),

    /** The first click's form: confirms the registration and sets the password. */
    confirm: (token: unknown, password: string, again: string) =>
      customerStep('web.confirm', async (sql) => {
        const row = await liveToken(sql, ctx.now, token, 'confirm');
        const web = await repo.webRow(sql, row.account_id, true);
        if (!web || web.status !== 'pending' || (row.email && row.email.toLowerCase() !== web.email.toLowerCase()))
          throw new CustomerError('linkInvalid');
        checkNewPassword(password, again, web.login);
        const hash = await hashPassword(password);
        await lockVersions(sql);
        await repo.setWebStatus(sql, row.account_id, 'active');
        await repo.savePasswordHash(sql, web.account_id, web.customer_kind ?? 'individual', hash);
        await spendTokens(sql, ctx.now, row.account_id, 'confirm');
        return { accountId: row.account_id, value: { login: web.login } };
      }),

    /** The reset form (seed, figure 10): IIN/BIN and account / contract number, then the new password twice. */
    reset: async (token: unknown, iinBin: string, number: string, password: string, again: string) => {
      let failed: { hash: string; accountId: number } | null = null;
      try {
        return await customerStep('web.resetPassword', async (sql) => {
          const row = await liveToken(sql, ctx.now, token, 'reset');
          const owner = await repo.ownerIdentity(sql, row.account_id);
          const expectedNumber = owner?.kind === 'legal' ? owner.contract_number : owner?.number;
          if (
            !owner ||
            owner.iin_bin !== iinBin.trim() ||
            (expectedNumber ?? '').toLowerCase() !== number.trim().toLowerCase()
          ) {
            failed = { hash: row.token_hash, accountId: row.account_id };
            throw new CustomerError('identityMismatch');
          }
          const web = await repo.webRow(sql, row.account_id, true);
          if (!web) throw new CustomerError('linkInvalid');
          if (web.status === 'blocked') throw new CustomerError('blocked');
          checkNewPassword(password, again, web.login);
          const hash = await hashPassword(password);
          await repo.savePasswordHash(sql, web.account_id, web.customer_kind ?? 'individual', hash);
          await spendTokens(sql, ctx.now, row.account_id, 'reset');
          await endSessions(sql, row.account_id); // signed out everywhere
          return { accountId: row.account_id, value: { login: web.login } };
        });
      } finally {
        const miss = failed as { hash: string; accountId: number } | null;
        if (miss) await countIdentityMiss(db, ctx.now, miss.hash);
      }
    },

    /**
     * "Forgot password": by login or email. The page has answered already (the same for any text), so
     * nothing here is seen by the asker; `allowLetter` is the account's letter limit, asked by its id.
     */
    forgot: async (
      identifier: string,
      allowLetter: (accountId: number) => Promise<boolean> = async () => true,
    ): Promise<{ accountId: number; email: string } | null> => {
      const value = identifier.trim();
      if (!value || value.length > 254) return null;
      const ids = await repo.accountIdsByLoginOrEmail(db, value);
      if (ids.length !== 1) return null; // unknown, or an address shared by several accounts: nothing to send
      const accountId = ids[0]!;
      if (!(await allowLetter(accountId))) {
        await customerAudit(accountId, 'web.forgot', 'refused', { reason: 'tooMany' });
        return null;
      }
      const sent = await db.tx(async (sql) => {
        const row = await repo.webRow(sql, accountId, true);
        if (!row || row.status !== 'active') return null;
        const token = await issueToken(sql, ctx.now, accountId, 'reset', row.email);
        await letter(ctx, row.email, languageOf(row), 'resetSubject', 'resetBody', {
          login: row.login,
          link: link(ctx, 'reset', token, languageOf(row)),
        });
        return { accountId, email: row.email };
      });
      // After the transaction: PGlite has one connection, and the audit row needs it.
      if (sent) await customerAudit(accountId, 'web.forgot', 'ok');
      return sent;
    },

    /** Confirms a new address: it takes effect now, and the old one is told. */
    confirmEmail: (token: unknown) =>
      customerStep('web.confirmEmail', async (sql) => {
        const row = await liveToken(sql, ctx.now, token, 'email');
        const web = await repo.webRow(sql, row.account_id, true);
        if (!web || !row.email || web.status === 'blocked') throw new CustomerError('linkInvalid');
        if (await repo.emailInUse(sql, row.email, row.account_id)) throw new CustomerError('emailTaken');
        await repo.clearPendingEmail(sql, row.account_id);
        await spendTokens(sql, ctx.now, row.account_id, 'email');
        await letter(ctx, web.email, languageOf(web), 'emailNoticeSubject', 'emailNoticeBody', {
          login: web.login,
          email: row.email,
        });
        await lockVersions(sql);
        await repo.setWebEmail(sql, row.account_id, row.email);
        return { accountId: row.account_id, value: { email: row.email, login: web.login } };
      }),

    /**
     * Signs in by login. A login that exists and one that does not cost the same: one query, one
     * full-cost scrypt (against a dummy hash when there is no password), one audit row. Throttling is
     * the page's (guard.ts), in memory, so that it is the same for both.
     */
    signIn: async (login: string, password: string): Promise<{ session: string; accountId: number }> => {
      const value = login.trim();
      const row = value && value.length <= 100 ? await repo.webRowByLogin(db, value) : undefined;
      const good = await verifyPassword(password, row?.password_hash ?? null);
      if (!row || !good) {
        await customerAudit(row?.account_id ?? null, 'web.signIn', 'refused', { reason: 'badCredentials' });
        throw new CustomerError('badCredentials');
      }
      if (row.status === 'blocked') throw new CustomerError('blocked');
      if (row.status === 'pending') throw new CustomerError('notConfirmed');
      const session = await db.tx(async (sql) => {
        await repo.webRow(sql, row.account_id, true); // row locks before the version lock, as everywhere
        await lockVersions(sql);
        await repo.setLastSignIn(sql, row.account_id, ctx.now().toISOString());
        return openSession(sql, ctx.now, row.account_id);
      });
      await customerAudit(row.account_id, 'web.signIn', 'ok');
      return { session, accountId: row.account_id };
    },

    /** The signed-in customer behind a session cookie, if the session is alive. */
    session: async (token: unknown) => {
      const accountId = await sessionAccount(db, ctx.now, token);
      if (accountId === null) return null;
      const web = await repo.webRow(db, accountId);
      if (!web || web.status !== 'active') return null;
      return {
        accountId,
        login: web.login,
        email: web.email,
        pendingEmail: web.pending_email,
        registeredAt: web.registered_at,
        language: languageOf(web),
      };
    },

    signOut: (token: unknown) => closeSession(db, token),

    /** A new password, the current one proven; every other session of the account ends (`keepSession` goes on). */
    changePassword: async (
      accountId: number,
      keepSession: string,
      current: string,
      password: string,
      again: string,
    ) => {
      const web = await proveCurrent(accountId, current, 'web.changePassword', (row) =>
        checkNewPassword(password, again, row.login),
      );
      const hash = await hashPassword(password);
      return customerStep('web.changePassword', async (sql) => {
        await stillTheSame(sql, web);
        await repo.savePasswordHash(sql, web.account_id, web.customer_kind ?? 'individual', hash);
        await endSessions(sql, accountId, keepSession);
        return { accountId, value: null };
      });
    },

    /** A new address, the current password proven first: a wrong or missing one changes nothing and sends nothing. */
    changeEmail: async (
      accountId: number,
      current: string,
      email: string,
      allowLetter: () => Promise<boolean> = async () => true,
    ) => {
      const web = await proveCurrent(accountId, current, 'web.customerChangeEmail');
      if (!(await allowLetter())) {
        await customerAudit(accountId, 'web.customerChangeEmail', 'refused', { reason: 'tooMany' });
        throw new CustomerError('tooMany');
      }
      return customerStep('web.customerChangeEmail', async (sql) => {
        await stillTheSame(sql, web);
        const sentTo = await requestEmailChange(ctx, sql, accountId, email, (key) => {
          throw new CustomerError(key);
        });
        return { accountId, value: sentTo };
      });
    },
  };
}

export type WebCustomerSteps = ReturnType<typeof createCustomerSteps>;
