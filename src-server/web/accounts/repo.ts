// Every statement the web accounts run, and nothing else: the operator actions, the customer steps
// and the tokens / sessions call these with the transaction (`Sql`) they run in, and decide what the
// rows mean. Tables: `web_accounts` (replicated to desktops: status, login, email, dates; a writer
// takes the version lock first), `web_credentials`, `web_tokens`, `web_sessions` (never replicated),
// and `server_audit`.
// One file although past 300 lines: it is the repository itself (#18.4) — the web accounts' SQL in one
// place, so a change of these tables is checked against every statement that touches them here.
import type { Sql } from '../../db';

export type TokenPurpose = 'confirm' | 'reset' | 'email';
export type CustomerKind = 'individual' | 'legal';

/** A registered account as the web accounts see it: the replicated row, its credentials and the owner's language. */
export interface WebRow {
  account_id: number;
  status: 'pending' | 'active' | 'blocked';
  login: string;
  email: string;
  registered_at: string | null;
  last_sign_in_at: string | null;
  customer_kind: CustomerKind | null;
  pending_email: string | null;
  password_hash: string | null;
  status_before_block: string | null;
  language: string | null;
}

export interface TokenRow {
  token_hash: string;
  account_id: number;
  purpose: TokenPurpose;
  email: string | null;
  expires_at: Date;
  used_at: Date | null;
  failed_checks: number;
}

/** The billing account behind an operator action, with what registration compares. */
export interface AccountRow {
  district_id: number;
  closed_on: string | null;
  kind: string;
  number: string;
  contract_number: string | null;
  iin_bin: string | null;
  language: string | null;
  owner_kind: string | null;
  organisation: string | null;
}

export interface AuditRow {
  at: Date;
  officeId: number | null;
  operatorId: number | null;
  accountId: number | null;
  operation: string;
  result: string;
  details: Record<string, unknown>;
}

// ---------- audit ----------

export async function insertAudit(sql: Sql, row: AuditRow): Promise<void> {
  await sql.query(
    'INSERT INTO server_audit (at, office_id, operator_id, account_id, operation, result, details) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [row.at, row.officeId, row.operatorId, row.accountId, row.operation, row.result, JSON.stringify(row.details)],
  );
}

// ---------- accounts, owners, operators ----------

export async function accountRow(sql: Sql, accountId: number): Promise<AccountRow | undefined> {
  const rows = await sql.query<AccountRow>(
    `SELECT a.district_id, a.closed_on, a.kind, a.number, a.contract_number, o.iin_bin, o.language, o.kind AS owner_kind, o.organisation
       FROM accounts a LEFT JOIN owners o ON o.id = a.owner_id WHERE a.id = $1`,
    [accountId],
  );
  return rows[0];
}

/** What a reset link's holder must prove: the owner's IIN/BIN and the account's number or contract number. */
export async function ownerIdentity(sql: Sql, accountId: number) {
  return (
    await sql.query<{ iin_bin: string | null; number: string; contract_number: string | null; kind: string }>(
      'SELECT o.iin_bin, a.number, a.contract_number, a.kind FROM accounts a LEFT JOIN owners o ON o.id = a.owner_id WHERE a.id = $1',
      [accountId],
    )
  )[0];
}

export async function operatorRole(sql: Sql, operatorId: number): Promise<string | undefined> {
  return (await sql.query<{ role: string }>('SELECT role FROM operators WHERE id = $1', [operatorId]))[0]?.role;
}

// ---------- web_accounts and web_credentials ----------

const WEB_ROW_SQL = `SELECT w.account_id, w.status, w.login, w.email, w.registered_at, w.last_sign_in_at,
  COALESCE(c.customer_kind, a.kind) AS customer_kind, c.pending_email, c.password_hash, c.status_before_block, o.language
  FROM web_accounts w JOIN accounts a ON a.id = w.account_id LEFT JOIN owners o ON o.id = a.owner_id LEFT JOIN web_credentials c ON c.account_id = w.account_id`;

/** The account's web row; `lock` locks the replicated row for the transaction. */
export async function webRow(sql: Sql, accountId: number, lock = false): Promise<WebRow | undefined> {
  return (
    await sql.query<WebRow>(`${WEB_ROW_SQL} WHERE w.account_id = $1${lock ? ' FOR UPDATE OF w' : ''}`, [accountId])
  )[0];
}

export async function webRowByLogin(sql: Sql, login: string): Promise<WebRow | undefined> {
  return (await sql.query<WebRow>(`${WEB_ROW_SQL} WHERE lower(w.login) = lower($1)`, [login]))[0];
}

/** At most two: one means the text names exactly one account. */
export async function accountIdsByLoginOrEmail(sql: Sql, value: string): Promise<number[]> {
  const rows = await sql.query<{ account_id: number }>(
    'SELECT account_id FROM web_accounts WHERE lower(login) = lower($1) OR lower(email) = lower($1) LIMIT 2',
    [value],
  );
  return rows.map((row) => row.account_id);
}

/** Another account has this address, or waits for its confirmation. */
export async function emailTaken(sql: Sql, email: string, accountId: number): Promise<boolean> {
  const rows = await sql.query(
    'SELECT 1 FROM web_accounts WHERE lower(email) = lower($1) AND account_id <> $2 UNION ALL SELECT 1 FROM web_credentials WHERE lower(pending_email) = lower($1) AND account_id <> $2 LIMIT 1',
    [email, accountId],
  );
  return rows.length > 0;
}

/** Another account has this address now (a pending one elsewhere does not count). */
export async function emailInUse(sql: Sql, email: string, accountId: number): Promise<boolean> {
  const rows = await sql.query('SELECT 1 FROM web_accounts WHERE lower(email) = lower($1) AND account_id <> $2', [
    email,
    accountId,
  ]);
  return rows.length > 0;
}

export async function insertWebAccount(
  sql: Sql,
  accountId: number,
  login: string,
  email: string,
  registeredAt: string,
): Promise<void> {
  await sql.query(
    "INSERT INTO web_accounts (account_id, status, login, email, registered_at, last_sign_in_at) VALUES ($1, 'pending', $2, $3, $4, NULL)",
    [accountId, login, email, registeredAt],
  );
}

export async function setWebStatus(sql: Sql, accountId: number, status: WebRow['status']): Promise<void> {
  await sql.query('UPDATE web_accounts SET status = $2 WHERE account_id = $1', [accountId, status]);
}

export async function setWebEmail(sql: Sql, accountId: number, email: string): Promise<void> {
  await sql.query('UPDATE web_accounts SET email = $2 WHERE account_id = $1', [accountId, email]);
}

export async function setLastSignIn(sql: Sql, accountId: number, at: string): Promise<void> {
  await sql.query('UPDATE web_accounts SET last_sign_in_at = $2 WHERE account_id = $1', [accountId, at]);
}

export async function insertCredentials(
  sql: Sql,
  accountId: number,
  kind: CustomerKind,
  phone: string | null,
  organisation: string | null,
): Promise<void> {
  await sql.query(
    'INSERT INTO web_credentials (account_id, customer_kind, phone, organisation) VALUES ($1, $2, $3, $4)',
    [accountId, kind, phone, organisation],
  );
}

/** Accounts registered before this service (the demo's, a migration's) get their credentials row here. */
export async function savePasswordHash(sql: Sql, accountId: number, kind: CustomerKind, hash: string): Promise<void> {
  await sql.query(
    `INSERT INTO web_credentials (account_id, customer_kind, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, failed_sign_ins = 0, locked_until = NULL, updated_at = now()`,
    [accountId, kind, hash],
  );
}

export async function savePendingEmail(sql: Sql, accountId: number, kind: CustomerKind, email: string): Promise<void> {
  await sql.query(
    `INSERT INTO web_credentials (account_id, customer_kind, pending_email) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET pending_email = excluded.pending_email, updated_at = now()`,
    [accountId, kind, email],
  );
}

export async function clearPendingEmail(sql: Sql, accountId: number): Promise<void> {
  await sql.query('UPDATE web_credentials SET pending_email = NULL, updated_at = now() WHERE account_id = $1', [
    accountId,
  ]);
}

export async function saveBlock(
  sql: Sql,
  accountId: number,
  kind: CustomerKind,
  statusBefore: string,
  reason: string,
): Promise<void> {
  await sql.query(
    `INSERT INTO web_credentials (account_id, customer_kind, status_before_block, block_reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id) DO UPDATE SET status_before_block = excluded.status_before_block, block_reason = excluded.block_reason, updated_at = now()`,
    [accountId, kind, statusBefore, reason],
  );
}

export async function clearBlock(sql: Sql, accountId: number): Promise<void> {
  await sql.query(
    'UPDATE web_credentials SET status_before_block = NULL, block_reason = NULL, failed_sign_ins = 0, locked_until = NULL WHERE account_id = $1',
    [accountId],
  );
}

// ---------- web_tokens ----------

/** When the live confirmation link was sent, if there is one. */
export async function confirmationSentAt(sql: Sql, accountId: number): Promise<Date | null> {
  return (
    (
      await sql.query<{ at: Date | null }>(
        "SELECT max(created_at) AS at FROM web_tokens WHERE account_id = $1 AND purpose = 'confirm' AND used_at IS NULL",
        [accountId],
      )
    )[0]?.at ?? null
  );
}

/** Marks the account's live links of this purpose used. */
export async function useTokens(sql: Sql, accountId: number, purpose: TokenPurpose, at: Date): Promise<void> {
  await sql.query('UPDATE web_tokens SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL', [
    accountId,
    purpose,
    at,
  ]);
}

export async function insertToken(
  sql: Sql,
  hash: string,
  accountId: number,
  purpose: TokenPurpose,
  email: string | null,
  createdAt: Date,
  expiresAt: Date,
): Promise<void> {
  await sql.query(
    'INSERT INTO web_tokens (token_hash, account_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [hash, accountId, purpose, email, createdAt, expiresAt],
  );
}

/** The token row, locked for the transaction. */
export async function tokenRow(sql: Sql, hash: string, purpose: TokenPurpose): Promise<TokenRow | undefined> {
  return (
    await sql.query<TokenRow>('SELECT * FROM web_tokens WHERE token_hash = $1 AND purpose = $2 FOR UPDATE', [
      hash,
      purpose,
    ])
  )[0];
}

/** One more failed identity check on the link; the `max`-th uses it up. */
export async function countFailedCheck(sql: Sql, hash: string, max: number, at: Date): Promise<void> {
  await sql.query(
    'UPDATE web_tokens SET failed_checks = failed_checks + 1, used_at = CASE WHEN failed_checks + 1 >= $2 THEN $3::timestamptz ELSE used_at END WHERE token_hash = $1',
    [hash, max, at],
  );
}

// ---------- web_sessions ----------

export async function insertSession(
  sql: Sql,
  hash: string,
  accountId: number,
  createdAt: Date,
  expiresAt: Date,
): Promise<void> {
  await sql.query('DELETE FROM web_sessions WHERE account_id = $1 AND expires_at < $2', [accountId, createdAt]);
  await sql.query('INSERT INTO web_sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    hash,
    accountId,
    createdAt,
    expiresAt,
  ]);
}

export async function sessionRow(
  sql: Sql,
  hash: string,
): Promise<{ account_id: number; expires_at: Date } | undefined> {
  return (
    await sql.query<{ account_id: number; expires_at: Date }>(
      'SELECT account_id, expires_at FROM web_sessions WHERE token_hash = $1',
      [hash],
    )
  )[0];
}

export async function deleteSession(sql: Sql, hash: string): Promise<void> {
  await sql.query('DELETE FROM web_sessions WHERE token_hash = $1', [hash]);
}

/** Ends the account's sessions, all of them or all but `keepHash`. */
export async function deleteSessions(sql: Sql, accountId: number, keepHash?: string): Promise<void> {
  if (keepHash === undefined) await sql.query('DELETE FROM web_sessions WHERE account_id = $1', [accountId]);
  else await sql.query('DELETE FROM web_sessions WHERE account_id = $1 AND token_hash <> $2', [accountId, keepHash]);
}
