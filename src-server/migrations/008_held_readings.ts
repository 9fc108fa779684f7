// Migration 8: readings held for a supervisor. A reading with a finding only a supervisor may accept,
// entered by another role, is stored with status 'held' (not used for billing); a supervisor releases
// it, corrects it (a new row superseding it) or refuses it, and the row says who, when and why.
// Frozen once shipped.
export default [
  'ALTER TABLE readings ADD COLUMN reviewed_by BIGINT',
  'ALTER TABLE readings ADD COLUMN reviewed_at TEXT',
  'ALTER TABLE readings ADD COLUMN review_note TEXT',
  "CREATE INDEX readings_held ON readings (meter_id) WHERE status = 'held' AND superseded_by IS NULL",
];
