// Migration 4 (shipped in 0.1): operators' passwords and sessions, and audit entries uploaded by desktops.
// Frozen: a shipped migration is never edited (databases made by it exist); add a new one instead.
export default [
  'CREATE TABLE operator_credentials ( operator_id BIGINT PRIMARY KEY, password_hash TEXT NOT NULL, active BOOLEAN NOT NULL DEFAULT true, failed_sign_ins INT NOT NULL DEFAULT 0, locked_until TIMESTAMPTZ, changed_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  'CREATE TABLE operator_sessions ( token_hash TEXT PRIMARY KEY, operator_id BIGINT NOT NULL, office_key TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL)',
  'CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id)',
  'ALTER TABLE server_audit ADD COLUMN client_id TEXT',
  'ALTER TABLE server_audit ADD COLUMN local_id BIGINT',
  'CREATE UNIQUE INDEX server_audit_client ON server_audit (client_id, local_id)',
  'CREATE INDEX server_audit_operator ON server_audit (operator_id, at)',
];
