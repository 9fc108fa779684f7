// Migration 5: many offices, restored desks, restored services.
// - `sync_gen` on every replicated row: a full pull (after the office's districts changed or the
//   central database was restored) marks every row it brings with a new generation, and what is left
//   with an older one afterwards is no longer the office's and is removed.
// - The service's details of a refusal (e.g. the reading another desk entered), and the reason an
//   audit entry was set aside by the service (it is then not sent again, and is reported).
export default /* sql */ `
ALTER TABLE districts ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streets ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE buildings ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE premises ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE owners ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tariffs ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE norms ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operators ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE phones ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meters ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE readings ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE charges ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recalculations ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE balances ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE web_accounts ADD COLUMN sync_gen INTEGER NOT NULL DEFAULT 0;

ALTER TABLE outbox ADD COLUMN error_details TEXT CHECK (error_details IS NULL OR json_valid(error_details));
CREATE INDEX outbox_settled ON outbox(state, settled_at);
ALTER TABLE audit_log ADD COLUMN refused TEXT;
`;
