// The secrets a customer holds: link tokens (confirmation, reset, a new address) and sign-in
// sessions. Each is 32 random bytes given out once and kept only as its SHA-256; a link is single-use
// and lives 72 h (confirmation, new address) or 1 h (reset), a session 12 h.
import type { ServerDb, Sql } from '../../db';
import { looksLikeToken, newToken, tokenHash } from '../../../src-shared/node/secrets';
import { CustomerError } from './context';
import * as repo from './repo';
import type { TokenPurpose, TokenRow } from './repo';

export const HOUR_MS = 3_600_000;
export const TOKEN_LIFETIME_MS = {
  confirm: 72 * HOUR_MS,
  reset: HOUR_MS,
  email: 72 * HOUR_MS,
} as const satisfies Record<TokenPurpose, number>;
export const SESSION_LIFETIME_MS = 12 * HOUR_MS;
/** Wrong IIN/BIN or number on one reset link this many times burns the link. */
const MAX_IDENTITY_CHECKS = 5;

export type Purpose = TokenPurpose;

/** A new link of this purpose; one live link per purpose: a new letter makes the earlier ones useless. */
export async function issueToken(
  sql: Sql,
  now: () => Date,
  accountId: number,
  purpose: Purpose,
  email: string | null,
): Promise<string> {
  await repo.useTokens(sql, accountId, purpose, now());
  const token = newToken();
  const at = now();
  await repo.insertToken(
    sql,
    tokenHash(token),
    accountId,
    purpose,
    email,
    at,
    new Date(at.getTime() + TOKEN_LIFETIME_MS[purpose]),
  );
  return token;
}

/** The link's token if it can still be used (locked for the transaction), else why not. */
export async function liveToken(sql: Sql, now: () => Date, token: unknown, purpose: Purpose): Promise<TokenRow> {
  if (!looksLikeToken(token)) throw new CustomerError('linkInvalid');
  const row = await repo.tokenRow(sql, tokenHash(token), purpose);
  if (!row || row.used_at) throw new CustomerError('linkInvalid');
  if (new Date(row.expires_at).getTime() <= now().getTime()) throw new CustomerError('linkExpired');
  return row;
}

/** The link has done its work: it and any other live link of its purpose are used up. */
export async function spendTokens(sql: Sql, now: () => Date, accountId: number, purpose: Purpose): Promise<void> {
  await repo.useTokens(sql, accountId, purpose, now());
}

/** A wrong IIN/BIN or number on a reset link, counted outside the refused transaction; enough misses burn the link. */
export async function countIdentityMiss(db: ServerDb, now: () => Date, hash: string): Promise<void> {
  await repo.countFailedCheck(db, hash, MAX_IDENTITY_CHECKS, now());
}

/** A new session (the account's expired ones are dropped meanwhile); its token goes into the cookie. */
export async function openSession(sql: Sql, now: () => Date, accountId: number): Promise<string> {
  const token = newToken();
  const at = now();
  await repo.insertSession(sql, tokenHash(token), accountId, at, new Date(at.getTime() + SESSION_LIFETIME_MS));
  return token;
}

/** The account a cookie's session belongs to, if the session is alive. */
export async function sessionAccount(sql: Sql, now: () => Date, token: unknown): Promise<number | null> {
  if (!looksLikeToken(token)) return null;
  const row = await repo.sessionRow(sql, tokenHash(token));
  if (!row || new Date(row.expires_at).getTime() <= now().getTime()) return null;
  return row.account_id;
}

export async function closeSession(sql: Sql, token: unknown): Promise<void> {
  if (looksLikeToken(token)) await repo.deleteSession(sql, tokenHash(token));
}

/** Ends every session of the account, or every one but `keep` (the session that asked). */
export async function endSessions(sql: Sql, accountId: number, keep?: string): Promise<void> {
  if (keep === undefined) await repo.deleteSessions(sql, accountId);
  else await repo.deleteSessions(sql, accountId, looksLikeToken(keep) ? tokenHash(keep) : '');
}
