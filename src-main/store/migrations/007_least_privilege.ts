// Migration 7: least privilege at the desk.
// - secrets: the office key, the SMTP password and this desk's credentials leave the settings and the
//   sync state for a table of their own, each value self-describing: `plain:<text>` until the app
//   can have the operating system encrypt it (`safe:<base64>`, Electron's safeStorage).
// - operator_preferences: what each operator chooses for themselves (language, call-center mode).
// - readings held for a supervisor: who reviewed one, when and with which note.
export default /* sql */ `
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO secrets (name, value)
  SELECT 'smtp.password', 'plain:' || json_extract(value, '$.password') FROM settings
   WHERE key = 'smtp' AND json_valid(value) AND json_type(value, '$.password') = 'text' AND json_extract(value, '$.password') <> '';
UPDATE settings SET value = json_remove(value, '$.password') WHERE key = 'smtp' AND json_valid(value) AND json_type(value) = 'object';
INSERT INTO secrets (name, value)
  SELECT 'central.officeKey', 'plain:' || json_extract(value, '$.officeKey') FROM settings
   WHERE key = 'central' AND json_valid(value) AND json_type(value, '$.officeKey') = 'text' AND json_extract(value, '$.officeKey') <> '';
UPDATE settings SET value = json_remove(value, '$.officeKey') WHERE key = 'central' AND json_valid(value) AND json_type(value) = 'object';
INSERT INTO secrets (name, value) SELECT 'desk.token', 'plain:' || value FROM sync_state WHERE key = 'clientToken';
DELETE FROM sync_state WHERE key = 'clientToken';

CREATE TABLE operator_preferences (
  operator_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (operator_id, key)
);

ALTER TABLE readings ADD COLUMN reviewed_by INTEGER;
ALTER TABLE readings ADD COLUMN reviewed_at TEXT;
ALTER TABLE readings ADD COLUMN review_note TEXT;
CREATE INDEX readings_held ON readings(status) WHERE status = 'held';
`;
