// Migration 5 (shipped in 0.1): whether an operator is active, on the replicated row too.
// Frozen: a shipped migration is never edited (databases made by it exist); add a new one instead.
export default [
  'ALTER TABLE operators ADD COLUMN IF NOT EXISTS active BIGINT',
  'UPDATE operators o SET active = CASE WHEN EXISTS (SELECT 1 FROM operator_credentials c WHERE c.operator_id = o.id AND NOT c.active) THEN 0 ELSE 1 END WHERE o.active IS NULL',
  'ALTER TABLE operators ALTER COLUMN active SET DEFAULT 1, ALTER COLUMN active SET NOT NULL',
];
