// Migration 4: operators' offline verifiers (an operator who signed in on this PC before can sign in
// without the connection; never the password itself), kept apart from the replicated `operators`
// rows a pull replaces; and which audit entries have been uploaded to the central service.
export default /* sql */ `
CREATE TABLE operator_verifiers (
  operator_id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  full_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('counter', 'callcenter', 'supervisor', 'admin')),
  verifier TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  last_sign_in_at TEXT
);
ALTER TABLE audit_log ADD COLUMN sent_at TEXT;
CREATE INDEX audit_log_unsent ON audit_log(id) WHERE sent_at IS NULL;
`;
