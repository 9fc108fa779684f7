// The persistent mail outbox: every message is stored before any attempt to send it.
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

const COLUMNS = 'id, to_address, subject, body_text, attachment_name, attachment, account_id, language, state, attempts, next_attempt_at, last_error, created_at, sent_at, eml_file';

export function createMailRepo(db: Db) {
  const insert = db.prepare(
    "INSERT INTO mail_outbox (to_address, subject, body_text, attachment_name, attachment, account_id, language, state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
  );
  const due = db.prepare<[string, number], MailRow>(`SELECT ${COLUMNS} FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?`);
  // Claiming is a compare-and-set, so two drains never send one message twice.
  const claim = db.prepare<[number]>("UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'queued'");
  const markSent = db.prepare<[string, string | null, number]>("UPDATE mail_outbox SET state = 'sent', sent_at = ?, eml_file = ?, last_error = NULL WHERE id = ?");
  const markRetry = db.prepare<[string, string, number]>("UPDATE mail_outbox SET state = 'queued', next_attempt_at = ?, last_error = ? WHERE id = ?");
  const markFailed = db.prepare<[string, number]>("UPDATE mail_outbox SET state = 'failed', last_error = ? WHERE id = ?");
  const recover = db.prepare("UPDATE mail_outbox SET state = 'queued' WHERE state = 'sending'");
  const latest = db.prepare<[number], MailRow>(`SELECT ${COLUMNS} FROM mail_outbox ORDER BY id DESC LIMIT ?`);
  const counts = db.prepare<[], { state: MailRow['state']; n: number }>('SELECT state, count(*) AS n FROM mail_outbox GROUP BY state');
  const nextDue = db.prepare<[], string | null>("SELECT min(next_attempt_at) FROM mail_outbox WHERE state = 'queued'").pluck();

  return {
    enqueue(mail: NewMail, now: string): number {
      return Number(
        insert.run(mail.to, mail.subject, mail.text, mail.attachmentName ?? null, mail.attachment ? Buffer.from(mail.attachment) : null, mail.accountId ?? null, mail.language, now, now).lastInsertRowid,
      );
    },
    due: (now: string, limit: number) => due.all(now, limit),
    claim: (id: number) => claim.run(id).changes === 1,
    markSent: (id: number, at: string, emlFile: string | null) => void markSent.run(at, emlFile, id),
    markRetry: (id: number, nextAt: string, error: string) => void markRetry.run(nextAt, error, id),
    markFailed: (id: number, error: string) => void markFailed.run(error, id),
    /** After a crash, messages caught mid-send go back to the queue. */
    recoverInterrupted: () => recover.run().changes,
    latest: (limit: number) => latest.all(limit),
    counts(): Record<MailRow['state'], number> {
      const result = { queued: 0, sending: 0, sent: 0, failed: 0 };
      for (const row of counts.all()) result[row.state] = row.n;
      return result;
    },
    nextDue: () => nextDue.get() ?? null,
  };
}
