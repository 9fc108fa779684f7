// Migration 11: the utility's requisites, one set owned by the service (src-shared/schemas/utility.ts):
// one row (id 1) replicated to every office; `requisites` is their JSON (numbers, and the words in
// ru/kk/en). Written by an administrator from a desk (utility.set), seeded from AQUADESK_UTILITY.
// Frozen once shipped.
export default [
  'CREATE TABLE utility (id BIGINT NOT NULL, requisites TEXT, updated_at TEXT, version BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (id))',
  'CREATE INDEX utility_version ON utility (version)',
  'CREATE TRIGGER utility_version BEFORE INSERT OR UPDATE ON utility FOR EACH ROW EXECUTE FUNCTION bump_version()',
  "CREATE TRIGGER utility_tombstone AFTER DELETE ON utility FOR EACH ROW EXECUTE FUNCTION record_tombstone('id')",
];
