// Migration 7: readings kept as the best billing systems keep them, meters replaced as devices, and
// streets' former names.
// - readings: why (reasons), a status, and `superseded_by`: a correction is a new row and the one it
//   corrects points to it — never overwritten; who, where and when (operator_id, client_id,
//   entered_at from migration 6) now travel to desks; entered_at as ISO text, as desks write it.
// - meters: the reading at installation (a meter replaced mid-month starts from it), and ids for
//   meters the service creates.
// - street_aliases: former and other names of a street, replicated to every office.
// Frozen once shipped.
export default [
  'ALTER TABLE readings ADD COLUMN reasons TEXT',
  'ALTER TABLE readings ADD COLUMN superseded_by BIGINT',
  "ALTER TABLE readings ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted'",
  `ALTER TABLE readings ALTER COLUMN entered_at TYPE TEXT USING to_char(entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  'CREATE INDEX readings_current ON readings (meter_id, period) WHERE superseded_by IS NULL',
  'ALTER TABLE meters ADD COLUMN install_litres BIGINT NOT NULL DEFAULT 0',
  'CREATE SEQUENCE meters_id START 1000000000',
  'CREATE TABLE street_aliases (id BIGINT NOT NULL, street_id BIGINT, name TEXT, name_key TEXT, version BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (id))',
  'CREATE INDEX street_aliases_version ON street_aliases (version)',
  'CREATE TRIGGER street_aliases_version BEFORE INSERT OR UPDATE ON street_aliases FOR EACH ROW EXECUTE FUNCTION bump_version()',
  "CREATE TRIGGER street_aliases_tombstone AFTER DELETE ON street_aliases FOR EACH ROW EXECUTE FUNCTION record_tombstone('id')",
];
