// Migration 3: the sync engine's acknowledgement of a pushed mutation (applied by the server, not yet
// seen in a pull). Until the pull brings its effect the change stays in the pending overlay.
export default /* sql */ `
ALTER TABLE outbox ADD COLUMN acked_at TEXT;
`;
