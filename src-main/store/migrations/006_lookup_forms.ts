// Migration 6: the search as people say things, and readings as the best billing systems keep them.
// - street_aliases: former and other names of a street («Независимости» for «Тәуелсіздік»), replicated.
// - phones by their last seven digits: a city number without its code, the end of a mobile.
// - namesakes in the order of first name and patronymic, straight from the index.
// - a reading's reasons, desk and time as the service keeps them (operator_id was there already), and
//   `superseded_by`: a correction is a new row, the one it corrects stays as history; `status`.
// - a meter's reading at installation (a meter replaced mid-month starts from it).
export default /* sql */ `
CREATE TABLE street_aliases (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES streets(id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  sync_gen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX street_aliases_street ON street_aliases(street_id);
CREATE INDEX phones_last7 ON phones(substr(number, -7));
DROP INDEX owners_name_key;
CREATE INDEX owners_name_first ON owners(name_key, first_name, patronymic);

ALTER TABLE readings ADD COLUMN reasons TEXT;
ALTER TABLE readings ADD COLUMN client_id TEXT;
ALTER TABLE readings ADD COLUMN entered_at TEXT;
ALTER TABLE readings ADD COLUMN superseded_by INTEGER;
ALTER TABLE readings ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted';
ALTER TABLE meters ADD COLUMN install_litres INTEGER NOT NULL DEFAULT 0;
`;
