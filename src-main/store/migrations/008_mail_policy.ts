// Migration 8: one delivery policy for the mail outbox and the service's mailing (src-shared/mail/policy.ts).
// - message_id: made once per letter and sent with every attempt, so a letter sent again after an
//   interrupted attempt is recognisably the same letter; rows queued before get one at their next claim.
// - possible_duplicate: an attempt was interrupted after the relay may have accepted it («возможен повтор»).
// - error_kind: why the last attempt failed, as a word the screen says in the operator's language.
// - claimed_at: when the current attempt began.
export default /* sql */ `
ALTER TABLE mail_outbox ADD COLUMN message_id TEXT;
ALTER TABLE mail_outbox ADD COLUMN possible_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_outbox ADD COLUMN error_kind TEXT;
ALTER TABLE mail_outbox ADD COLUMN claimed_at TEXT;
`;
