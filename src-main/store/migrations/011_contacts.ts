// Migration 11: the contact log («Обращения»). `contacts` and `contact_topics` are replicated from the
// central service (the office's contacts; every office's topics); a contact begun or ended here waits
// in the outbox (`contacts.open`, `contacts.close`) until the service holds it. `contact_current` is
// this desk's own: the contact each operator has open now, with what was done during it so far.
export default /* sql */ `
CREATE TABLE contacts (
  id TEXT PRIMARY KEY,              -- made by the desk that opened it (a UUID)
  channel TEXT NOT NULL,            -- 'phone', 'visit', 'email'
  account_id INTEGER,
  operator_id INTEGER,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  topic_id TEXT,
  note TEXT,
  actions TEXT NOT NULL DEFAULT '[]', -- JSON: what was done during it (src-shared/schemas/contacts.ts)
  version INTEGER NOT NULL DEFAULT 0,
  sync_gen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_account ON contacts(account_id, started_at);
CREATE INDEX contacts_started ON contacts(started_at);
CREATE TABLE contact_topics (
  id TEXT PRIMARY KEY,
  name_ru TEXT NOT NULL,
  name_kk TEXT NOT NULL,
  name_en TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 0,
  sync_gen INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE contact_current (
  operator_id INTEGER PRIMARY KEY,
  contact_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  account_id INTEGER,
  started_at TEXT NOT NULL,
  actions TEXT NOT NULL DEFAULT '[]'
);
`;
