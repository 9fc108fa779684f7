// Migration 9: the utility's requisites as the central service replicates them (one row, id 1; see
// src-shared/schemas/utility.ts). Until the first pull brings it, documents print the desk's own
// settings (settings.utility).
export default /* sql */ `
CREATE TABLE utility (
  id INTEGER PRIMARY KEY,
  requisites TEXT NOT NULL,
  updated_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  sync_gen INTEGER NOT NULL DEFAULT 0
);
`;
