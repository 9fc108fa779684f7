// The customers' web accounts: what operators do for a customer (register, resend the confirmation,
// send a reset link, change the email, block / unblock) and what the customer does through the links
// and pages (confirm and set a password, reset it after proving IIN/BIN and account / contract number,
// confirm a new address, sign in, change password or email). Credentials, tokens and sessions are
// only here; the replicated `web_accounts` row carries status, login, email and dates to desktops.
import { AppError } from '../../src-shared/errors';
import { passwordProblems, type WebAccountState, type WebActionOutput, type WebRegisterInput } from '../../src-shared/schemas/web';
import type { ServerDb, Sql } from '../db';
import { lockVersions } from '../schema';
import type { ServerMailer } from '../mailer';
import type { Office } from '../offices';
import { hashPassword, looksLikeToken, newToken, tokenHash, verifyPassword } from '../../src-shared/node/secrets';
import { fill, webLanguageOf, webTexts, type WebLanguage, type WebTexts } from './texts';

export const HOUR_MS = 3_600_000;
export const TOKEN_LIFETIME_MS = { confirm: 72 * HOUR_MS, reset: HOUR_MS, email: 72 * HOUR_MS } as const;
export const SESSION_LIFETIME_MS = 12 * HOUR_MS;
/** Wrong IIN/BIN or number on one reset link this many times burns the link. */
const MAX_IDENTITY_CHECKS = 5;

type Purpose = keyof typeof TOKEN_LIFETIME_MS;
export type CustomerErrorKey = keyof WebTexts['errors'];

/** A refusal shown to the customer on the page, in their language. */
export class CustomerError extends Error {
  constructor(readonly key: CustomerErrorKey) {
    super(key);
  }
}

export interface WebContext {
  db: ServerDb;
  mailer: ServerMailer;
  /** Where customers open the links, e.g. https://lk.vodokanal.kz (no trailing slash). */
  publicUrl: () => string;
  now: () => Date;
}

export interface Actor {
  office: Office | null;
  operatorId: number | null;
}

interface WebRow {
  account_id: number;
  status: 'pending' | 'active' | 'blocked';
  login: string;
  email: string;
  registered_at: string | null;
  last_sign_in_at: string | null;
  customer_kind: 'individual' | 'legal' | null;
  pending_email: string | null;
  password_hash: string | null;
  status_before_block: string | null;
  language: string | null;
}

const WEB_ROW_SQL = `SELECT w.account_id, w.status, w.login, w.email, w.registered_at, w.last_sign_in_at,
  COALESCE(c.customer_kind, a.kind) AS customer_kind, c.pending_email, c.password_hash, c.status_before_block, o.language
  FROM web_accounts w JOIN accounts a ON a.id = w.account_id LEFT JOIN owners o ON o.id = a.owner_id LEFT JOIN web_credentials c ON c.account_id = w.account_id`;

async function webRow(sql: Sql, accountId: number, lock = false): Promise<WebRow | undefined> {
  return (await sql.query<WebRow>(`${WEB_ROW_SQL} WHERE w.account_id = $1${lock ? ' FOR UPDATE OF w' : ''}`, [accountId]))[0];
}

const languageOf = (row: { language: string | null }): WebLanguage => webLanguageOf(row.language);

function refuse(code: 'CONFLICT' | 'VALIDATION' | 'NOT_FOUND' | 'FORBIDDEN', reason: string, details: Record<string, unknown> = {}): never {
  throw new AppError(code, reason, { reason, ...details });
}

export function createWebAccounts(ctx: WebContext) {
  const { db } = ctx;
  const iso = () => ctx.now().toISOString();

  async function audit(actor: Actor, accountId: number | null, operation: string, result: string, details: Record<string, unknown> = {}) {
    await db.query('INSERT INTO server_audit (at, office_id, operator_id, account_id, operation, result, details) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      ctx.now(), actor.office?.id ?? null, actor.operatorId, accountId, operation, result, JSON.stringify(details),
    ]);
  }

  async function stateOf(sql: Sql, accountId: number): Promise<WebAccountState> {
    const row = await webRow(sql, accountId);
    if (!row) {
      return { accountId, status: 'none', customerKind: null, login: null, email: null, pendingEmail: null, registeredAt: null, lastSignInAt: null, hasPassword: false, confirmationSentAt: null };
    }
    const sent = row.status === 'pending'
      ? (await sql.query<{ at: Date | null }>("SELECT max(created_at) AS at FROM web_tokens WHERE account_id = $1 AND purpose = 'confirm' AND used_at IS NULL", [accountId]))[0]?.at
      : null;
    return {
      accountId,
      status: row.status,
      customerKind: row.customer_kind,
      login: row.login,
      email: row.email,
      pendingEmail: row.pending_email,
      registeredAt: row.registered_at,
      lastSignInAt: row.last_sign_in_at,
      hasPassword: row.password_hash !== null,
      confirmationSentAt: sent ? new Date(sent).toISOString() : null,
    };
  }

  async function issueToken(sql: Sql, accountId: number, purpose: Purpose, email: string | null): Promise<string> {
    // One live link per purpose: a new letter makes the earlier ones useless.
    await sql.query('UPDATE web_tokens SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL', [accountId, purpose, ctx.now()]);
    const token = newToken();
    const now = ctx.now();
    await sql.query('INSERT INTO web_tokens (token_hash, account_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      tokenHash(token), accountId, purpose, email, now, new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
    ]);
    return token;
  }

  const link = (path: string, token: string, language: WebLanguage) => `${ctx.publicUrl().replace(/\/$/, '')}/web/${path}?token=${token}&lang=${language}`;

  async function letter(to: string, language: WebLanguage, subject: keyof WebTexts['mail'], body: keyof WebTexts['mail'], values: Record<string, string>) {
    const t = webTexts[language].mail;
    try {
      await ctx.mailer.send({ to, subject: t[subject], text: `${fill(t[body], values)}\n\n${t.signature}` });
    } catch (error) {
      throw new AppError('UNAVAILABLE', 'web.mailFailed', { reason: 'web.mailFailed', cause: error instanceof Error ? error.message : String(error) });
    }
  }

  async function emailTaken(sql: Sql, email: string, accountId: number): Promise<boolean> {
    const rows = await sql.query('SELECT 1 FROM web_accounts WHERE lower(email) = lower($1) AND account_id <> $2 UNION ALL SELECT 1 FROM web_credentials WHERE lower(pending_email) = lower($1) AND account_id <> $2 LIMIT 1', [email, accountId]);
    return rows.length > 0;
  }

  async function inOffice(sql: Sql, office: Office | null, accountId: number) {
    const rows = await sql.query<{ district_id: number; closed_on: string | null; kind: string; number: string; contract_number: string | null; iin_bin: string | null; language: string | null; owner_kind: string | null; organisation: string | null }>(
      `SELECT a.district_id, a.closed_on, a.kind, a.number, a.contract_number, o.iin_bin, o.language, o.kind AS owner_kind, o.organisation
       FROM accounts a LEFT JOIN owners o ON o.id = a.owner_id WHERE a.id = $1`,
      [accountId],
    );
    const account = rows[0];
    if (!account) refuse('NOT_FOUND', 'web.accountNotFound');
    if (office?.districtIds && !office.districtIds.includes(account.district_id)) refuse('FORBIDDEN', 'web.notYourOffice');
    return account;
  }

  /**
   * Runs an operator action in one transaction and audits it, refused or done. The letter is sent
   * before commit (a letter that cannot go changes nothing) and before the replicated row is written:
   * the version lock (schema.ts) is taken only for that last write, never held while the relay answers.
   */
  async function operatorAction(actor: Actor, accountId: number, operation: string, details: Record<string, unknown>, fn: (sql: Sql) => Promise<string | null>): Promise<WebActionOutput> {
    try {
      const out = await db.tx(async (sql) => {
        await inOffice(sql, actor.office, accountId);
        const sentTo = await fn(sql);
        return { state: await stateOf(sql, accountId), sentTo };
      });
      await audit(actor, accountId, operation, 'ok', { ...details, sentTo: out.sentTo });
      return out;
    } catch (error) {
      const reason = error instanceof AppError ? ((error.details as { reason?: string } | undefined)?.reason ?? error.code) : 'INTERNAL';
      await audit(actor, accountId, operation, error instanceof AppError && error.code === 'FORBIDDEN' ? 'denied' : 'refused', { ...details, reason }).catch(() => undefined);
      throw error;
    }
  }

  async function requireSupervisor(sql: Sql, operatorId: number | null) {
    const role = operatorId === null ? undefined : (await sql.query<{ role: string }>('SELECT role FROM operators WHERE id = $1', [operatorId]))[0]?.role;
    if (role !== 'supervisor' && role !== 'admin') refuse('FORBIDDEN', 'web.supervisorOnly');
  }

  // ---------- operator actions ----------

  const operator = {
    status: (actor: Actor, accountId: number) =>
      db.tx(async (sql) => {
        await inOffice(sql, actor.office, accountId);
        return stateOf(sql, accountId);
      }),

    register: (actor: Actor, input: WebRegisterInput) =>
      operatorAction(actor, input.accountId, 'web.register', { kind: input.kind, email: input.email }, async (sql) => {
        const account = await inOffice(sql, actor.office, input.accountId);
        if (account.closed_on) refuse('CONFLICT', 'web.accountClosed');
        if (account.kind !== input.kind) refuse('VALIDATION', 'web.kindMismatch', { fields: [{ path: 'kind', code: 'web.kindMismatch', message: 'kind' }] });
        if (account.iin_bin !== input.iinBin) refuse('VALIDATION', 'web.iinMismatch', { fields: [{ path: 'iinBin', code: input.kind === 'legal' ? 'web.binMismatch' : 'web.iinMismatch', message: 'iinBin' }] });
        const login = input.kind === 'legal' ? account.contract_number : account.number;
        if (!login) refuse('CONFLICT', 'web.noContract');
        const existing = await webRow(sql, input.accountId, true);
        if (existing) refuse('CONFLICT', 'web.alreadyRegistered', { status: existing.status, login: existing.login });
        if (await emailTaken(sql, input.email, input.accountId)) refuse('CONFLICT', 'web.emailTaken', { fields: [{ path: 'email', code: 'web.emailTaken', message: 'email' }] });
        await sql.query('INSERT INTO web_credentials (account_id, customer_kind, phone, organisation) VALUES ($1, $2, $3, $4)', [
          input.accountId, input.kind, input.kind === 'individual' ? input.phone : null, input.kind === 'legal' ? input.organisation : null,
        ]);
        const language = webLanguageOf(account.language);
        const token = await issueToken(sql, input.accountId, 'confirm', input.email);
        await letter(input.email, language, 'confirmSubject', 'confirmBody', { login, link: link('confirm', token, language) });
        await lockVersions(sql);
        await sql.query("INSERT INTO web_accounts (account_id, status, login, email, registered_at, last_sign_in_at) VALUES ($1, 'pending', $2, $3, $4, NULL)", [input.accountId, login, input.email, iso()]);
        return input.email;
      }),

    resend: (actor: Actor, accountId: number) =>
      operatorAction(actor, accountId, 'web.resend', {}, async (sql) => {
        const row = await webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status !== 'pending') refuse('CONFLICT', 'web.notPending', { status: row.status });
        const token = await issueToken(sql, accountId, 'confirm', row.email);
        await letter(row.email, languageOf(row), 'confirmSubject', 'confirmBody', { login: row.login, link: link('confirm', token, languageOf(row)) });
        return row.email;
      }),

    reset: (actor: Actor, accountId: number, by: 'login' | 'email') =>
      operatorAction(actor, accountId, 'web.reset', { by }, async (sql) => {
        const row = await webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status === 'blocked') refuse('CONFLICT', 'web.blocked');
        if (row.status === 'pending') refuse('CONFLICT', 'web.stillPending');
        const token = await issueToken(sql, accountId, 'reset', row.email);
        await letter(row.email, languageOf(row), 'resetSubject', 'resetBody', { login: row.login, link: link('reset', token, languageOf(row)) });
        return row.email;
      }),

    changeEmail: (actor: Actor, accountId: number, email: string) =>
      operatorAction(actor, accountId, 'web.email', { email }, (sql) => requestEmailChange(sql, accountId, email, (key) => refuse(key === 'emailTaken' ? 'CONFLICT' : 'VALIDATION', `web.${key}`, { fields: [{ path: 'email', code: `web.${key}`, message: 'email' }] }))),

    block: (actor: Actor, accountId: number, reason: string) =>
      operatorAction(actor, accountId, 'web.block', { reason }, async (sql) => {
        await requireSupervisor(sql, actor.operatorId);
        const row = await webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status === 'blocked') refuse('CONFLICT', 'web.alreadyBlocked');
        await lockVersions(sql);
        await sql.query("UPDATE web_accounts SET status = 'blocked' WHERE account_id = $1", [accountId]);
        await sql.query(
          `INSERT INTO web_credentials (account_id, customer_kind, status_before_block, block_reason) VALUES ($1, $2, $3, $4)
           ON CONFLICT (account_id) DO UPDATE SET status_before_block = excluded.status_before_block, block_reason = excluded.block_reason, updated_at = now()`,
          [accountId, row.customer_kind ?? 'individual', row.status, reason],
        );
        await sql.query('DELETE FROM web_sessions WHERE account_id = $1', [accountId]);
        return null;
      }),

    unblock: (actor: Actor, accountId: number) =>
      operatorAction(actor, accountId, 'web.unblock', {}, async (sql) => {
        await requireSupervisor(sql, actor.operatorId);
        const row = await webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status !== 'blocked') refuse('CONFLICT', 'web.notBlocked');
        const back = row.status_before_block === 'pending' ? 'pending' : 'active';
        await lockVersions(sql);
        await sql.query('UPDATE web_accounts SET status = $2 WHERE account_id = $1', [accountId, back]);
        await sql.query('UPDATE web_credentials SET status_before_block = NULL, block_reason = NULL, failed_sign_ins = 0, locked_until = NULL WHERE account_id = $1', [accountId]);
        return null;
      }),
  };

  /** A new address: while unconfirmed registration, it simply replaces the old one (with a new link); otherwise it waits for its confirmation. */
  async function requestEmailChange(sql: Sql, accountId: number, email: string, reject: (key: 'sameEmail' | 'emailTaken') => never): Promise<string> {
    const row = await webRow(sql, accountId, true);
    if (!row) refuse('CONFLICT', 'web.notRegistered');
    if (row.status === 'blocked') refuse('CONFLICT', 'web.blocked');
    if (row.email.toLowerCase() === email.toLowerCase()) reject('sameEmail');
    if (await emailTaken(sql, email, accountId)) reject('emailTaken');
    const language = languageOf(row);
    if (row.status === 'pending') {
      const token = await issueToken(sql, accountId, 'confirm', email);
      await letter(email, language, 'confirmSubject', 'confirmBody', { login: row.login, link: link('confirm', token, language) });
      await lockVersions(sql);
      await sql.query('UPDATE web_accounts SET email = $2 WHERE account_id = $1', [accountId, email]);
      return email;
    }
    await sql.query(
      `INSERT INTO web_credentials (account_id, customer_kind, pending_email) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET pending_email = excluded.pending_email, updated_at = now()`,
      [accountId, row.customer_kind ?? 'individual', email],
    );
    const token = await issueToken(sql, accountId, 'email', email);
    await letter(email, language, 'emailSubject', 'emailBody', { login: row.login, link: link('email/confirm', token, language) });
    return email;
  }

  // ---------- the customer's side ----------

  interface TokenRow {
    token_hash: string;
    account_id: number;
    purpose: Purpose;
    email: string | null;
    expires_at: Date;
    used_at: Date | null;
    failed_checks: number;
  }

  /** The link's token if it can still be used (locked for the transaction), else why not. */
  async function liveToken(sql: Sql, token: unknown, purpose: Purpose): Promise<TokenRow> {
    if (!looksLikeToken(token)) throw new CustomerError('linkInvalid');
    const row = (await sql.query<TokenRow>('SELECT * FROM web_tokens WHERE token_hash = $1 AND purpose = $2 FOR UPDATE', [tokenHash(token), purpose]))[0];
    if (!row || row.used_at) throw new CustomerError('linkInvalid');
    if (new Date(row.expires_at).getTime() <= ctx.now().getTime()) throw new CustomerError('linkExpired');
    return row;
  }

  function checkNewPassword(password: string, again: string, login: string | null) {
    if (password !== again) throw new CustomerError('passwordsDiffer');
    const problem = passwordProblems(password, login)[0];
    if (problem) throw new CustomerError(problem as CustomerErrorKey);
  }

  async function customerAudit(accountId: number | null, operation: string, result: string, details: Record<string, unknown> = {}) {
    await audit({ office: null, operatorId: null }, accountId, operation, result, details).catch(() => undefined);
  }

  /** Runs a customer step in a transaction (the step takes the version lock itself, if it writes a replicated row); a refusal is audited and rethrown for the page. */
  async function customerStep<T>(operation: string, fn: (sql: Sql) => Promise<{ accountId: number; value: T }>): Promise<T> {
    try {
      const { accountId, value } = await db.tx(fn);
      await customerAudit(accountId, operation, 'ok');
      return value;
    } catch (error) {
      if (error instanceof CustomerError) await customerAudit(null, operation, 'refused', { reason: error.key });
      throw error;
    }
  }

  /** Accounts registered before this service (the demo's, a migration's) get their credentials row here. */
  async function setPassword(sql: Sql, web: WebRow, hash: string) {
    await sql.query(
      `INSERT INTO web_credentials (account_id, customer_kind, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, failed_sign_ins = 0, locked_until = NULL, updated_at = now()`,
      [web.account_id, web.customer_kind ?? 'individual', hash],
    );
  }

  async function openSession(sql: Sql, accountId: number): Promise<string> {
    const token = newToken();
    const now = ctx.now();
    await sql.query('DELETE FROM web_sessions WHERE account_id = $1 AND expires_at < $2', [accountId, now]);
    await sql.query('INSERT INTO web_sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash(token), accountId, now, new Date(now.getTime() + SESSION_LIFETIME_MS)]);
    return token;
  }

  const customer = {
    /** What the confirmation page needs to show (the login), or why the link is no good. */
    peek: (token: unknown, purpose: Purpose) =>
      db.tx(async (sql) => {
        const row = await liveToken(sql, token, purpose);
        const web = await webRow(sql, row.account_id);
        if (!web) throw new CustomerError('linkInvalid');
        return { login: web.login, email: row.email ?? web.email, kind: web.customer_kind ?? 'individual', language: languageOf(web) };
      }),

    /** The first click's form: confirms the registration and sets the password. */
    confirm: (token: unknown, password: string, again: string) =>
      customerStep('web.confirm', async (sql) => {
        const row = await liveToken(sql, token, 'confirm');
        const web = await webRow(sql, row.account_id, true);
        if (!web || web.status !== 'pending' || (row.email && row.email.toLowerCase() !== web.email.toLowerCase())) throw new CustomerError('linkInvalid');
        checkNewPassword(password, again, web.login);
        const hash = await hashPassword(password);
        await lockVersions(sql);
        await sql.query("UPDATE web_accounts SET status = 'active' WHERE account_id = $1", [row.account_id]);
        await setPassword(sql, web, hash);
        await sql.query("UPDATE web_tokens SET used_at = $2 WHERE account_id = $1 AND purpose = 'confirm' AND used_at IS NULL", [row.account_id, ctx.now()]);
        return { accountId: row.account_id, value: { login: web.login } };
      }),

    /** The reset form (seed, figure 10): IIN/BIN and account / contract number, then the new password twice. */
    reset: async (token: unknown, iinBin: string, number: string, password: string, again: string) => {
      let failed: { hash: string; accountId: number } | null = null;
      try {
        return await customerStep('web.resetPassword', async (sql) => {
          const row = await liveToken(sql, token, 'reset');
          const owner = (await sql.query<{ iin_bin: string | null; number: string; contract_number: string | null; kind: string }>(
            'SELECT o.iin_bin, a.number, a.contract_number, a.kind FROM accounts a LEFT JOIN owners o ON o.id = a.owner_id WHERE a.id = $1',
            [row.account_id],
          ))[0];
          const expectedNumber = owner?.kind === 'legal' ? owner.contract_number : owner?.number;
          if (!owner || owner.iin_bin !== iinBin.trim() || (expectedNumber ?? '').toLowerCase() !== number.trim().toLowerCase()) {
            failed = { hash: row.token_hash, accountId: row.account_id };
            throw new CustomerError('identityMismatch');
          }
          const web = await webRow(sql, row.account_id, true);
          if (!web) throw new CustomerError('linkInvalid');
          if (web.status === 'blocked') throw new CustomerError('blocked');
          checkNewPassword(password, again, web.login);
          const hash = await hashPassword(password);
          await setPassword(sql, web, hash);
          await sql.query("UPDATE web_tokens SET used_at = $2 WHERE account_id = $1 AND purpose = 'reset' AND used_at IS NULL", [row.account_id, ctx.now()]);
          await sql.query('DELETE FROM web_sessions WHERE account_id = $1', [row.account_id]); // signed out everywhere
          return { accountId: row.account_id, value: { login: web.login } };
        });
      } finally {
        const miss = failed as { hash: string; accountId: number } | null;
        if (miss) {
          // Counted outside the refused transaction; enough misses burn the link.
          await db.query('UPDATE web_tokens SET failed_checks = failed_checks + 1, used_at = CASE WHEN failed_checks + 1 >= $2 THEN $3::timestamptz ELSE used_at END WHERE token_hash = $1', [miss.hash, MAX_IDENTITY_CHECKS, ctx.now()]);
        }
      }
    },

    /**
     * "Forgot password": by login or email. The page has answered already (the same for any text), so
     * nothing here is seen by the asker; `allowLetter` is the account's letter limit, asked by its id.
     */
    forgot: async (identifier: string, allowLetter: (accountId: number) => Promise<boolean> = async () => true): Promise<{ accountId: number; email: string } | null> => {
      const value = identifier.trim();
      if (!value || value.length > 254) return null;
      const rows = await db.query<{ account_id: number }>('SELECT account_id FROM web_accounts WHERE lower(login) = lower($1) OR lower(email) = lower($1) LIMIT 2', [value]);
      if (rows.length !== 1) return null; // unknown, or an address shared by several accounts: nothing to send
      const accountId = rows[0]!.account_id;
      if (!(await allowLetter(accountId))) {
        await customerAudit(accountId, 'web.forgot', 'refused', { reason: 'tooMany' });
        return null;
      }
      const sent = await db.tx(async (sql) => {
        const row = await webRow(sql, accountId, true);
        if (!row || row.status !== 'active') return null;
        const token = await issueToken(sql, accountId, 'reset', row.email);
        await letter(row.email, languageOf(row), 'resetSubject', 'resetBody', { login: row.login, link: link('reset', token, languageOf(row)) });
        return { accountId, email: row.email };
      });
      // After the transaction: PGlite has one connection, and the audit row needs it.
      if (sent) await customerAudit(accountId, 'web.forgot', 'ok');
      return sent;
    },

    /** Confirms a new address: it takes effect now, and the old one is told. */
    confirmEmail: (token: unknown) =>
      customerStep('web.confirmEmail', async (sql) => {
        const row = await liveToken(sql, token, 'email');
        const web = await webRow(sql, row.account_id, true);
        if (!web || !row.email || web.status === 'blocked') throw new CustomerError('linkInvalid');
        const taken = await sql.query('SELECT 1 FROM web_accounts WHERE lower(email) = lower($1) AND account_id <> $2', [row.email, row.account_id]);
        if (taken.length) throw new CustomerError('emailTaken');
        await sql.query('UPDATE web_credentials SET pending_email = NULL, updated_at = now() WHERE account_id = $1', [row.account_id]);
        await sql.query("UPDATE web_tokens SET used_at = $2 WHERE account_id = $1 AND purpose = 'email' AND used_at IS NULL", [row.account_id, ctx.now()]);
        await letter(web.email, languageOf(web), 'emailNoticeSubject', 'emailNoticeBody', { login: web.login, email: row.email });
        await lockVersions(sql);
        await sql.query('UPDATE web_accounts SET email = $2 WHERE account_id = $1', [row.account_id, row.email]);
        return { accountId: row.account_id, value: { email: row.email, login: web.login } };
      }),

    /**
     * Signs in by login. A login that exists and one that does not cost the same: one query, one
     * full-cost scrypt (against a dummy hash when there is no password), one audit row. Throttling is
     * the page's (guard.ts), in memory, so that it is the same for both.
     */
    signIn: async (login: string, password: string): Promise<{ session: string; accountId: number }> => {
      const value = login.trim();
      const row = value && value.length <= 100 ? (await db.query<WebRow>(`${WEB_ROW_SQL} WHERE lower(w.login) = lower($1)`, [value]))[0] : undefined;
      const good = await verifyPassword(password, row?.password_hash ?? null);
      if (!row || !good) {
        await customerAudit(row?.account_id ?? null, 'web.signIn', 'refused', { reason: 'badCredentials' });
        throw new CustomerError('badCredentials');
      }
      if (row.status === 'blocked') throw new CustomerError('blocked');
      if (row.status === 'pending') throw new CustomerError('notConfirmed');
      const session = await db.tx(async (sql) => {
        await webRow(sql, row.account_id, true); // row locks before the version lock, as everywhere
        await lockVersions(sql);
        await sql.query('UPDATE web_accounts SET last_sign_in_at = $2 WHERE account_id = $1', [row.account_id, iso()]);
        return openSession(sql, row.account_id);
      });
      await customerAudit(row.account_id, 'web.signIn', 'ok');
      return { session, accountId: row.account_id };
    },

    /** The signed-in customer behind a session cookie, if the session is alive. */
    session: async (token: unknown) => {
      if (!looksLikeToken(token)) return null;
      const rows = await db.query<{ account_id: number; expires_at: Date }>('SELECT account_id, expires_at FROM web_sessions WHERE token_hash = $1', [tokenHash(token)]);
      const row = rows[0];
      if (!row || new Date(row.expires_at).getTime() <= ctx.now().getTime()) return null;
      const web = await webRow(db, row.account_id);
      if (!web || web.status !== 'active') return null;
      return { accountId: row.account_id, login: web.login, email: web.email, pendingEmail: web.pending_email, registeredAt: web.registered_at, language: languageOf(web) };
    },

    signOut: async (token: unknown) => {
      if (looksLikeToken(token)) await db.query('DELETE FROM web_sessions WHERE token_hash = $1', [tokenHash(token)]);
    },

    /** A new password, the current one proven; every other session of the account ends (`keepSession` goes on). */
    changePassword: async (accountId: number, keepSession: string, current: string, password: string, again: string) => {
      const web = await proveCurrent(accountId, current, 'web.changePassword', (row) => checkNewPassword(password, again, row.login));
      const hash = await hashPassword(password);
      return customerStep('web.changePassword', async (sql) => {
        await stillTheSame(sql, web);
        await setPassword(sql, web, hash);
        await sql.query('DELETE FROM web_sessions WHERE account_id = $1 AND token_hash <> $2', [accountId, looksLikeToken(keepSession) ? tokenHash(keepSession) : '']);
        return { accountId, value: null };
      });
    },

    /** A new address, the current password proven first: a wrong or missing one changes nothing and sends nothing. */
    changeEmail: async (accountId: number, current: string, email: string, allowLetter: () => Promise<boolean> = async () => true) => {
      const web = await proveCurrent(accountId, current, 'web.changeEmail');
      if (!(await allowLetter())) {
        await customerAudit(accountId, 'web.changeEmail', 'refused', { reason: 'tooMany' });
        throw new CustomerError('tooMany');
      }
      return customerStep('web.changeEmail', async (sql) => {
        await stillTheSame(sql, web);
        const sentTo = await requestEmailChange(sql, accountId, email, (key) => {
          throw new CustomerError(key);
        });
        return { accountId, value: sentTo };
      });
    },
  };

  /**
   * The signed-in customer's current password (and whatever else `check` asks), checked outside any
   * transaction: scrypt takes a while, and PGlite has one connection. A refusal is audited.
   */
  async function proveCurrent(accountId: number, current: string, operation: string, check: (row: WebRow) => void = () => undefined): Promise<WebRow> {
    try {
      const web = await webRow(db, accountId);
      if (!web || web.status !== 'active') throw new CustomerError('sessionExpired');
      if (!(await verifyPassword(current, web.password_hash))) throw new CustomerError('wrongCurrent');
      check(web);
      return web;
    } catch (error) {
      if (error instanceof CustomerError) await customerAudit(accountId, operation, 'refused', { reason: error.key });
      throw error;
    }
  }

  /** In the step's transaction: the account as it was when its password was proven (row locked). */
  async function stillTheSame(sql: Sql, proven: WebRow) {
    const now = await webRow(sql, proven.account_id, true);
    if (!now || now.status !== 'active' || now.password_hash !== proven.password_hash) throw new CustomerError('sessionExpired');
  }

  return { operator, customer, stateOf: (accountId: number) => stateOf(db, accountId) };
}

export type WebAccounts = ReturnType<typeof createWebAccounts>;
