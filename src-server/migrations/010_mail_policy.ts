// Migration 10: the mailing under the one delivery policy of both outboxes (src-shared/mail/policy.ts).
// - message_id: made at a letter's first claim and sent with every attempt.
// - possible_duplicate: an attempt was interrupted after the relay may have accepted the letter.
// - next_attempt_at: when the schedule may try a failed letter again; NULL = failed for good (a hand
//   run still sends it). Letters failed before this migration keep being retried as they were.
// - error_kind: why the last attempt failed, in a word (the report says it in words).
// Frozen once shipped.
export default [
  'ALTER TABLE mailings ADD COLUMN message_id TEXT',
  'ALTER TABLE mailings ADD COLUMN possible_duplicate BOOLEAN NOT NULL DEFAULT false',
  'ALTER TABLE mailings ADD COLUMN next_attempt_at TIMESTAMPTZ',
  'ALTER TABLE mailings ADD COLUMN error_kind TEXT',
  "UPDATE mailings SET next_attempt_at = updated_at WHERE status = 'failed' AND attempts < 8",
];
