// Migration 3 (shipped in 0.1): customers' web accounts (credentials, tokens, sessions only here), the monthly mailing's record, the service's audit.
// Frozen: a shipped migration is never edited (databases made by it exist); add a new one instead.
export default [
  'CREATE UNIQUE INDEX web_accounts_login ON web_accounts (lower(login))',
  'CREATE INDEX web_accounts_email ON web_accounts (lower(email))',
  'CREATE TABLE web_credentials ( account_id BIGINT PRIMARY KEY, customer_kind TEXT NOT NULL, phone TEXT, organisation TEXT, password_hash TEXT, pending_email TEXT, failed_sign_ins INT NOT NULL DEFAULT 0, locked_until TIMESTAMPTZ, status_before_block TEXT, block_reason TEXT, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  'CREATE TABLE web_tokens ( token_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL, purpose TEXT NOT NULL, email TEXT, created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL, used_at TIMESTAMPTZ, failed_checks INT NOT NULL DEFAULT 0)',
  'CREATE INDEX web_tokens_account ON web_tokens (account_id, purpose)',
  'CREATE TABLE web_sessions (token_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL, created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL)',
  'CREATE INDEX web_sessions_account ON web_sessions (account_id)',
  'CREATE TABLE mailings ( period TEXT NOT NULL, account_id BIGINT NOT NULL, email TEXT NOT NULL, status TEXT NOT NULL, error TEXT, attempts INT NOT NULL DEFAULT 1, updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (period, account_id))',
  'CREATE TABLE server_audit ( id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, office_key TEXT, operator_id BIGINT, account_id BIGINT, operation TEXT NOT NULL, result TEXT NOT NULL, details JSONB)',
  'CREATE INDEX server_audit_account ON server_audit (account_id, at)',
];
