// Migration 2: search keys next to names and addresses (src-shared/lookup/normalize.ts computes them
// wherever rows are written), so every lookup is a B-tree probe or a short index range scan.
export default /* sql */ `
ALTER TABLE owners ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE streets ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN house_key TEXT NOT NULL DEFAULT '';
ALTER TABLE premises ADD COLUMN apartment_key TEXT;

CREATE INDEX owners_name_key ON owners(name_key);
DROP INDEX buildings_street_house;
CREATE INDEX buildings_street_house_key ON buildings(street_id, house_key);
`;
