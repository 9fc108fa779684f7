// The persistent mail outbox: every message is stored before any attempt to send it. Its states and
// their transitions follow the one delivery policy (src-shared/mail/policy.ts).
import type { Db } from '../db';

export interface MailRow {
  id: number;
  to_address: string;
  subject: string;
  body_text: string;
  attachment_name: string | null;
  attachment: Buffer | null;
  account_id: number | null;
  language: string;
  state: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  eml_file: string | null;
  message_id: string | null;
  possible_duplicate: number;
  error_kind: string | null;
  claimed_at: string | null;
}

export interface NewMail {
  to: string;
  subject: string;
  text: string;
  attachmentName?: string;
  attachment?: Uint8Array;
  accountId?: number | null;
  language: string;
}

const COLUMNS =
  'id, to_address, subject, body_text, attachment_name, attachment, account_id, language, state, attempts, next_attempt_at, last_error, created_at, sent_at, eml_file, message_id, possible_duplicate, error_kind, claimed_at';

export function createMailRepo(db: Db) {
  const insert = db.prepare(
    "INSERT INTO mail_outbox (to_address, subject, body_text, attachment_name, attachment, account_id, language, state, next_attempt_at, created_at, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
  );
  const due = db.prepare<[string, number], MailRow>(
    `SELECT ${COLUMNS} FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
  );
  // Claiming is a compare-and-set, so two drains never send one message twice. A row queued before
  // Message-IDs existed gets its one here, kept for every later attempt.
  const claim = db.prepare<[string, string, number]>(
    "UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, claimed_at = ?, message_id = coalesce(message_id, ?) WHERE id = ? AND state = 'queued'",
  );
  const byId = db.prepare<[number], MailRow>(`SELECT ${COLUMNS} FROM mail_outbox WHERE id = ?`);
  const markSent = db.prepare<[string, string | null, number]>(
    "UPDATE mail_outbox SET state = 'sent', sent_at = ?, eml_file = ?, last_error = NULL, error_kind = NULL WHERE id = ?",
  );
  const markRetry = db.prepare<[string, string, string, number, number]>(
    "UPDATE mail_outbox SET state = 'queued', next_attempt_at = ?, last_error = ?, error_kind = ?, possible_duplicate = max(possible_duplicate, ?) WHERE id = ?",
  );
  const markFailed = db.prepare<[string, string, number, number]>(
    "UPDATE mail_outbox SET state = 'failed', last_error = ?, error_kind = ?, possible_duplicate = max(possible_duplicate, ?) WHERE id = ?",
  );
  const sending = db.prepare<[], MailRow>(`SELECT ${COLUMNS} FROM mail_outbox WHERE state = 'sending' ORDER BY id`);
  const resendOne = db.prepare<[string, number]>(
    // A failed letter, or one waiting for its next attempt after an error: due now.
    "UPDATE mail_outbox SET state = 'queued', next_attempt_at = ? WHERE (state = 'failed' OR (state = 'queued' AND last_error IS NOT NULL)) AND id = ?",
  );
  const resendAll = db.prepare<[string]>(
    "UPDATE mail_outbox SET state = 'queued', next_attempt_at = ? WHERE state = 'failed'",
  );
  const latest = db.prepare<[number], MailRow>(`SELECT ${COLUMNS} FROM mail_outbox ORDER BY id DESC LIMIT ?`);
  const counts = db.prepare<[], { state: MailRow['state']; n: number }>(
    'SELECT state, count(*) AS n FROM mail_outbox GROUP BY state',
  );
  const nextDue = db
    .prepare<[], string | null>("SELECT min(next_attempt_at) FROM mail_outbox WHERE state = 'queued'")
    .pluck();

  return {
    enqueue(mail: NewMail, now: string, messageId: string): number {
      return Number(
        insert.run(
          mail.to,
          mail.subject,
          mail.text,
          mail.attachmentName ?? null,
          mail.attachment ? Buffer.from(mail.attachment) : null,
          mail.accountId ?? null,
          mail.language,
          now,
          now,
          messageId,
        ).lastInsertRowid,
      );
    },
    due: (now: string, limit: number) => due.all(now, limit),
    /** The row as claimed (its attempt counted, its Message-ID set), or null when another drain has it. */
    claim(id: number, now: string, messageId: string): MailRow | null {
      return claim.run(now, messageId, id).changes === 1 ? (byId.get(id) ?? null) : null;
    },
    markSent: (id: number, at: string, emlFile: string | null) => void markSent.run(at, emlFile, id),
    markRetry: (id: number, nextAt: string, error: string, kind: string, possibleDuplicate: boolean) =>
      void markRetry.run(nextAt, error, kind, possibleDuplicate ? 1 : 0, id),
    markFailed: (id: number, error: string, kind: string, possibleDuplicate: boolean) =>
      void markFailed.run(error, kind, possibleDuplicate ? 1 : 0, id),
    /** Rows caught mid-send (after a crash: their attempt is settled by the caller as interrupted). */
    sending: () => sending.all(),
    /** A failed letter (or all of them) back in the queue, due now; how many. */
    resend: (id: number | null, now: string) => (id === null ? resendAll.run(now) : resendOne.run(now, id)).changes,
    latest: (limit: number) => latest.all(limit),
    counts(): Record<MailRow['state'], number> {
      const result = { queued: 0, sending: 0, sent: 0, failed: 0 };
      for (const row of counts.all()) result[row.state] = row.n;
      return result;
    },
    nextDue: () => nextDue.get() ?? null,
  };
}
