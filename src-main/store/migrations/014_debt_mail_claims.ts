// Migration 14: the claims of debts.batchMail (the office's month, #20.4). A row per (mailing,
// account) — the mailing names the letter and the month of the debts it states, e.g.
// 'notice:2026-10' — is taken in the same transaction that puts the customer's letter in the mail
// outbox, so each customer gets that letter once however often the batch is started or however it
// was interrupted, as the central service's monthly mailing claims (period, account).
export default /* sql */ `
CREATE TABLE debt_mail_claims (
  mailing TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  mail_id INTEGER NOT NULL REFERENCES mail_outbox(id),
  operator_id INTEGER,
  claimed_at TEXT NOT NULL,
  PRIMARY KEY (mailing, account_id)
) WITHOUT ROWID;
`;
