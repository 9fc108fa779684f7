// Migration 6: many offices, one truth.
// One file although past 300 lines: a migration is immutable history (databases have run it as
// written), so it is never split or edited, only followed by later migrations.
// - Every writer of a replicated row takes the version lock inside the trigger that gives the row its
//   version (bump_version), so versions are handed out in commit order whoever writes: the service, a
//   psql session, an ETL job. A pull can then never pass a version that a later commit fills in.
// - Scope columns kept by triggers: rows of an account carry its district (`district_id`), owners,
//   premises, buildings and streets the districts of the accounts they serve (`districts`), operators
//   their office (`office_id`, NULL = utility-wide). A row that leaves a district (an account moved, an
//   owner's last account there closed, a delete) leaves a tombstone scoped to that district ('d<id>';
//   'o<id>' for an office, '*' for everyone), and a row that enters one gets a new version, so the
//   offices that gain it pull it whole and those that lose it delete it.
// - Offices as data: an id, the key kept as its SHA-256 only, revocation; desks (clients) get their id
//   and a secret from the service; the operators who signed in at each desk are recorded, so a push or
//   an audit entry can only name one of them; recorded mutation results carry a fingerprint of the
//   change they answer (a restored or copied desk's new change under an old seq is told apart).
// Frozen once shipped; the backfills run with the row triggers off so existing rows keep their versions.
const ACCOUNT_TABLES = [
  'phones',
  'meters',
  'charges',
  'recalculations',
  'payments',
  'balances',
  'subscriptions',
  'web_accounts',
];
const KEYS: Record<string, string> = {
  balances: "'account_id', 'period'",
  subscriptions: "'account_id'",
  web_accounts: "'account_id'",
};
const keyArgs = (table: string) => KEYS[table] ?? "'id'";

export default [
  // The version lock in every writer, and tombstones under it with a scope.
  `CREATE OR REPLACE FUNCTION bump_version() RETURNS trigger AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7261);
  NEW.version := nextval('row_version');
  RETURN NEW;
END $$ LANGUAGE plpgsql`,
  `ALTER TABLE tombstones ADD COLUMN scope TEXT NOT NULL DEFAULT '*'`,
  'ALTER TABLE tombstones DROP CONSTRAINT tombstones_pkey',
  'ALTER TABLE tombstones ADD PRIMARY KEY (table_name, key, scope)',
  'ALTER TABLE tombstones ALTER COLUMN version DROP DEFAULT',
  `CREATE FUNCTION note_tombstone(t TEXT, k JSONB, s TEXT) RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7261);
  INSERT INTO tombstones (table_name, key, scope, version) VALUES (t, k, s, nextval('row_version'))
  ON CONFLICT (table_name, key, scope) DO UPDATE SET version = excluded.version;
END $$ LANGUAGE plpgsql`,
  `CREATE OR REPLACE FUNCTION record_tombstone() RETURNS trigger AS $$
BEGIN
  PERFORM note_tombstone(TG_TABLE_NAME, (SELECT jsonb_object_agg(a, to_jsonb(OLD) -> a) FROM unnest(TG_ARGV) AS a), '*');
  RETURN OLD;
END $$ LANGUAGE plpgsql`,

  // Scope columns.
  ...ACCOUNT_TABLES.map((t) => `ALTER TABLE ${t} ADD COLUMN district_id BIGINT`),
  'ALTER TABLE readings ADD COLUMN district_id BIGINT',
  ...['owners', 'premises', 'buildings', 'streets'].map(
    (t) => `ALTER TABLE ${t} ADD COLUMN districts BIGINT[] NOT NULL DEFAULT '{}'`,
  ),
  'ALTER TABLE operators ADD COLUMN office_id BIGINT',
  // Who entered a reading, from which desk and when (the service's record; conflicts name them).
  'ALTER TABLE readings ADD COLUMN operator_id BIGINT',
  'ALTER TABLE readings ADD COLUMN client_id TEXT',
  'ALTER TABLE readings ADD COLUMN entered_at TIMESTAMPTZ',

  // Backfill with the row triggers off: existing rows keep their versions.
  ...[...ACCOUNT_TABLES, 'readings', 'owners', 'premises', 'buildings', 'streets'].map(
    (t) => `ALTER TABLE ${t} DISABLE TRIGGER USER`,
  ),
  ...ACCOUNT_TABLES.map(
    (t) => `UPDATE ${t} x SET district_id = a.district_id FROM accounts a WHERE a.id = x.account_id`,
  ),
  'UPDATE readings r SET district_id = m.district_id FROM meters m WHERE m.id = r.meter_id',
  `UPDATE owners o SET districts = x.d FROM (SELECT owner_id, array_agg(DISTINCT district_id ORDER BY district_id) AS d FROM accounts WHERE district_id IS NOT NULL GROUP BY owner_id) x WHERE x.owner_id = o.id`,
  `UPDATE premises p SET districts = x.d FROM (SELECT premise_id, array_agg(DISTINCT district_id ORDER BY district_id) AS d FROM accounts WHERE district_id IS NOT NULL GROUP BY premise_id) x WHERE x.premise_id = p.id`,
  `UPDATE buildings b SET districts = x.d FROM (SELECT p.building_id, array_agg(DISTINCT d ORDER BY d) AS d FROM premises p, unnest(p.districts) AS d GROUP BY p.building_id) x WHERE x.building_id = b.id`,
  `UPDATE streets s SET districts = x.d FROM (SELECT b.street_id, array_agg(DISTINCT d ORDER BY d) AS d FROM buildings b, unnest(b.districts) AS d GROUP BY b.street_id) x WHERE x.street_id = s.id`,
  ...[...ACCOUNT_TABLES, 'readings', 'owners', 'premises', 'buildings', 'streets'].map(
    (t) => `ALTER TABLE ${t} ENABLE TRIGGER USER`,
  ),

  // Indexes: pulls scan `version` with the scope beside it (index-only), cascades find an account's rows.
  ...[...ACCOUNT_TABLES, 'readings', 'accounts'].map(
    (t) => `CREATE INDEX ${t}_version_scope ON ${t} (version) INCLUDE (district_id)`,
  ),
  ...['owners', 'premises', 'buildings', 'streets'].map(
    (t) => `CREATE INDEX ${t}_version_scope ON ${t} (version) INCLUDE (districts)`,
  ),
  'CREATE INDEX operators_version_scope ON operators (version) INCLUDE (office_id)',
  ...[...ACCOUNT_TABLES, 'readings', 'accounts', 'owners', 'premises', 'buildings', 'streets', 'operators'].map(
    (t) => `DROP INDEX ${t}_version`,
  ),
  'CREATE INDEX phones_account ON phones (account_id)',
  'CREATE INDEX charges_account ON charges (account_id, period)',
  'CREATE INDEX recalculations_account ON recalculations (account_id, period)',
  'CREATE INDEX payments_account ON payments (account_id, paid_on)',
  'CREATE INDEX accounts_owner ON accounts (owner_id)',
  'CREATE INDEX accounts_premise ON accounts (premise_id)',
  'CREATE INDEX premises_building ON premises (building_id)',
  'CREATE INDEX buildings_street ON buildings (street_id)',

  // A row of an account takes its district from the account (readings from their meter), always, so a
  // writer cannot set it wrong.
  `CREATE FUNCTION district_from_account() RETURNS trigger AS $$
BEGIN
  NEW.district_id := (SELECT district_id FROM accounts WHERE id = NEW.account_id);
  RETURN NEW;
END $$ LANGUAGE plpgsql`,
  `CREATE FUNCTION district_from_meter() RETURNS trigger AS $$
BEGIN
  NEW.district_id := (SELECT district_id FROM meters WHERE id = NEW.meter_id);
  RETURN NEW;
END $$ LANGUAGE plpgsql`,
  ...ACCOUNT_TABLES.map(
    (t) =>
      `CREATE TRIGGER ${t}_district BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION district_from_account()`,
  ),
  'CREATE TRIGGER readings_district BEFORE INSERT OR UPDATE ON readings FOR EACH ROW EXECUTE FUNCTION district_from_meter()',

  // Leaving a district (moved or deleted) leaves a tombstone for that district.
  `CREATE FUNCTION district_scope_exit() RETURNS trigger AS $$
BEGIN
  IF OLD.district_id IS NOT NULL AND (TG_OP = 'DELETE' OR NEW.district_id IS DISTINCT FROM OLD.district_id) THEN
    PERFORM note_tombstone(TG_TABLE_NAME, (SELECT jsonb_object_agg(a, to_jsonb(OLD) -> a) FROM unnest(TG_ARGV) AS a), 'd' || OLD.district_id);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`,
  ...[...ACCOUNT_TABLES, 'readings', 'accounts'].flatMap((t) => [
    `DROP TRIGGER ${t}_tombstone ON ${t}`,
    `CREATE TRIGGER ${t}_scope AFTER UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION district_scope_exit(${keyArgs(t)})`,
  ]),

  // An account's district moves its rows (and through meters their readings); a new, moved or closed
  // account changes the districts its owner and premise serve.
  `CREATE FUNCTION refresh_owner(o BIGINT) RETURNS void AS $$
BEGIN
  UPDATE owners SET districts = x.d
    FROM (SELECT coalesce(array_agg(DISTINCT district_id ORDER BY district_id) FILTER (WHERE district_id IS NOT NULL), '{}') AS d FROM accounts WHERE owner_id = o) x
   WHERE id = o AND districts IS DISTINCT FROM x.d;
END $$ LANGUAGE plpgsql`,
  `CREATE FUNCTION refresh_premise(p BIGINT) RETURNS void AS $$
BEGIN
  UPDATE premises SET districts = x.d
    FROM (SELECT coalesce(array_agg(DISTINCT district_id ORDER BY district_id) FILTER (WHERE district_id IS NOT NULL), '{}') AS d FROM accounts WHERE premise_id = p) x
   WHERE id = p AND districts IS DISTINCT FROM x.d;
END $$ LANGUAGE plpgsql`,
  `CREATE FUNCTION refresh_building(b BIGINT) RETURNS void AS $$
BEGIN
  UPDATE buildings SET districts = x.d
    FROM (SELECT coalesce(array_agg(DISTINCT d ORDER BY d), '{}') AS d FROM premises p, unnest(p.districts) AS d WHERE p.building_id = b) x
   WHERE id = b AND districts IS DISTINCT FROM x.d;
END $$ LANGUAGE plpgsql`,
  `CREATE FUNCTION refresh_street(s BIGINT) RETURNS void AS $$
BEGIN
  UPDATE streets SET districts = x.d
    FROM (SELECT coalesce(array_agg(DISTINCT d ORDER BY d), '{}') AS d FROM buildings b, unnest(b.districts) AS d WHERE b.street_id = s) x
   WHERE id = s AND districts IS DISTINCT FROM x.d;
END $$ LANGUAGE plpgsql`,
  `CREATE FUNCTION account_scope_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.district_id IS DISTINCT FROM OLD.district_id) THEN
    UPDATE phones SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
    UPDATE meters SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
    UPDATE charges SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
    UPDATE recalculations SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
    UPDATE payments SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
    UPDATE balances SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
    UPDATE subscriptions SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
    UPDATE web_accounts SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_owner(NEW.owner_id);
    PERFORM refresh_premise(NEW.premise_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_owner(OLD.owner_id);
    PERFORM refresh_premise(OLD.premise_id);
  ELSIF NEW.district_id IS DISTINCT FROM OLD.district_id OR NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.premise_id IS DISTINCT FROM OLD.premise_id THEN
    PERFORM refresh_owner(OLD.owner_id);
    PERFORM refresh_premise(OLD.premise_id);
    IF NEW.owner_id IS DISTINCT FROM OLD.owner_id THEN PERFORM refresh_owner(NEW.owner_id); END IF;
    IF NEW.premise_id IS DISTINCT FROM OLD.premise_id THEN PERFORM refresh_premise(NEW.premise_id); END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`,
  'CREATE TRIGGER accounts_served AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION account_scope_changed()',
  `CREATE FUNCTION meter_scope_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.district_id IS DISTINCT FROM OLD.district_id THEN
    UPDATE readings SET district_id = NEW.district_id WHERE meter_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`,
  'CREATE TRIGGER meters_readings AFTER INSERT OR UPDATE ON meters FOR EACH ROW EXECUTE FUNCTION meter_scope_changed()',

  // Owners, premises, buildings, streets: the districts they serve; a district they stop serving gets a
  // tombstone, and premises and buildings pass the change up (premise → building → street).
  `CREATE FUNCTION served_districts_on_insert() RETURNS trigger AS $$
BEGIN
  NEW.districts := coalesce(CASE TG_TABLE_NAME
    WHEN 'owners' THEN (SELECT array_agg(DISTINCT district_id ORDER BY district_id) FROM accounts WHERE owner_id = NEW.id AND district_id IS NOT NULL)
    WHEN 'premises' THEN (SELECT array_agg(DISTINCT district_id ORDER BY district_id) FROM accounts WHERE premise_id = NEW.id AND district_id IS NOT NULL)
    WHEN 'buildings' THEN (SELECT array_agg(DISTINCT d ORDER BY d) FROM premises p, unnest(p.districts) AS d WHERE p.building_id = NEW.id)
    WHEN 'streets' THEN (SELECT array_agg(DISTINCT d ORDER BY d) FROM buildings b, unnest(b.districts) AS d WHERE b.street_id = NEW.id)
  END, '{}');
  RETURN NEW;
END $$ LANGUAGE plpgsql`,
  `CREATE FUNCTION served_scope_changed() RETURNS trigger AS $$
DECLARE
  gone BIGINT;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    FOR gone IN SELECT unnest(OLD.districts) EXCEPT SELECT unnest(CASE WHEN TG_OP = 'DELETE' THEN '{}'::BIGINT[] ELSE NEW.districts END) LOOP
      PERFORM note_tombstone(TG_TABLE_NAME, jsonb_build_object('id', OLD.id), 'd' || gone);
    END LOOP;
  END IF;
  IF TG_TABLE_NAME = 'premises' THEN
    IF TG_OP = 'INSERT' THEN
      PERFORM refresh_building(NEW.building_id);
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM refresh_building(OLD.building_id);
    ELSIF NEW.districts IS DISTINCT FROM OLD.districts OR NEW.building_id IS DISTINCT FROM OLD.building_id THEN
      PERFORM refresh_building(OLD.building_id);
      IF NEW.building_id IS DISTINCT FROM OLD.building_id THEN PERFORM refresh_building(NEW.building_id); END IF;
    END IF;
  ELSIF TG_TABLE_NAME = 'buildings' THEN
    IF TG_OP = 'INSERT' THEN
      PERFORM refresh_street(NEW.street_id);
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM refresh_street(OLD.street_id);
    ELSIF NEW.districts IS DISTINCT FROM OLD.districts OR NEW.street_id IS DISTINCT FROM OLD.street_id THEN
      PERFORM refresh_street(OLD.street_id);
      IF NEW.street_id IS DISTINCT FROM OLD.street_id THEN PERFORM refresh_street(NEW.street_id); END IF;
    END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`,
  ...['owners', 'premises', 'buildings', 'streets'].flatMap((t) => [
    `DROP TRIGGER ${t}_tombstone ON ${t}`,
    `CREATE TRIGGER ${t}_districts BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION served_districts_on_insert()`,
    `CREATE TRIGGER ${t}_scope AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION served_scope_changed()`,
  ]),

  // Operators: their office's desks (a utility-wide operator, office NULL, every office's).
  `CREATE FUNCTION office_scope_exit() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.office_id IS DISTINCT FROM OLD.office_id THEN
    PERFORM note_tombstone(TG_TABLE_NAME, jsonb_build_object('id', OLD.id), CASE WHEN OLD.office_id IS NULL THEN '*' ELSE 'o' || OLD.office_id END);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`,
  'DROP TRIGGER operators_tombstone ON operators',
  'CREATE TRIGGER operators_scope AFTER UPDATE OR DELETE ON operators FOR EACH ROW EXECUTE FUNCTION office_scope_exit()',

  // Offices: an id, the key only as its hash, revocation.
  'ALTER TABLE clients DROP CONSTRAINT clients_office_key_fkey',
  'ALTER TABLE offices DROP CONSTRAINT offices_pkey',
  'ALTER TABLE offices ADD COLUMN id BIGSERIAL PRIMARY KEY',
  'ALTER TABLE offices ADD COLUMN key_hash TEXT',
  "UPDATE offices SET key_hash = encode(sha256(convert_to(key, 'UTF8')), 'hex')",
  'ALTER TABLE offices ALTER COLUMN key_hash SET NOT NULL',
  'CREATE UNIQUE INDEX offices_key_hash ON offices (key_hash)',
  'ALTER TABLE offices ADD COLUMN key_hint TEXT',
  'UPDATE offices SET key_hint = left(key, 4)',
  'ALTER TABLE offices ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now()',
  'ALTER TABLE offices ADD COLUMN revoked_at TIMESTAMPTZ',

  // Desks: issued by the service (id + secret), the seq the service last acknowledged, their lineage.
  'ALTER TABLE clients ADD COLUMN office_id BIGINT',
  'UPDATE clients c SET office_id = o.id FROM offices o WHERE o.key = c.office_key',
  'DELETE FROM clients WHERE office_id IS NULL',
  'ALTER TABLE clients ALTER COLUMN office_id SET NOT NULL',
  'ALTER TABLE clients ADD CONSTRAINT clients_office FOREIGN KEY (office_id) REFERENCES offices (id)',
  'ALTER TABLE clients DROP COLUMN office_key',
  'ALTER TABLE clients ADD COLUMN token_hash TEXT',
  'ALTER TABLE clients ADD COLUMN registered_at TIMESTAMPTZ NOT NULL DEFAULT now()',
  'ALTER TABLE clients ADD COLUMN revoked_at TIMESTAMPTZ',
  'ALTER TABLE clients ADD COLUMN previous_client_id TEXT',
  'ALTER TABLE clients ADD COLUMN reason TEXT',
  `CREATE TABLE client_operators (
    client_id TEXT NOT NULL, operator_id BIGINT NOT NULL, first_at TIMESTAMPTZ NOT NULL DEFAULT now(), last_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, operator_id))`,
  // Operators who pushed changes through a desk before 0.2 made them at that desk: the desk's next
  // identity inherits them, so their offline changes still waiting there are not refused after the upgrade.
  'INSERT INTO client_operators (client_id, operator_id) SELECT DISTINCT client_id, operator_id FROM mutation_results WHERE operator_id IS NOT NULL ON CONFLICT DO NOTHING',
  'ALTER TABLE mutation_results ADD COLUMN fingerprint TEXT',
  'ALTER TABLE mutation_results ADD COLUMN details JSONB',

  // Sessions and the service's audit name the office by id (and a desk's session its desk).
  'ALTER TABLE operator_sessions ADD COLUMN office_id BIGINT',
  'UPDATE operator_sessions s SET office_id = o.id FROM offices o WHERE o.key = s.office_key',
  'DELETE FROM operator_sessions WHERE office_id IS NULL',
  'ALTER TABLE operator_sessions ALTER COLUMN office_id SET NOT NULL',
  'ALTER TABLE operator_sessions DROP COLUMN office_key',
  'ALTER TABLE operator_sessions ADD COLUMN client_id TEXT',
  'ALTER TABLE server_audit ADD COLUMN office_id BIGINT',
  'UPDATE server_audit s SET office_id = o.id FROM offices o WHERE o.key = s.office_key',
  'ALTER TABLE server_audit DROP COLUMN office_key',
  'ALTER TABLE server_audit ADD COLUMN fingerprint TEXT',
  'ALTER TABLE offices DROP COLUMN key',
];
