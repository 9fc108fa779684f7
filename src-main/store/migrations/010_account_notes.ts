// Migration 10: notes and flags on an account («не звонить после 20:00», «опекун: …», «спорная
// задолженность»), replicated from the central service like the account's other rows; a note added
// here waits in the outbox (`accountNotes.add`) until the service holds it. Removed notes keep their
// row (`removed_by`, `removed_at`).
export default /* sql */ `
CREATE TABLE account_notes (
  id TEXT PRIMARY KEY,              -- made by the desk that added it (a UUID)
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL,               -- 'disputedDebt', 'noLateCalls', 'guardian', 'note'
  text TEXT,
  created_by INTEGER,
  created_at TEXT NOT NULL,
  removed_by INTEGER,
  removed_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  sync_gen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX account_notes_account ON account_notes(account_id);
`;
