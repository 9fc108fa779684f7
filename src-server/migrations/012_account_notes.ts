// Migration 12: notes and flags on an account, replicated to the desks of the account's office like
// its other rows: the district kept by the trigger every account row has (district_from_account), a
// tombstone for the district it leaves (district_scope_exit), and the account's move carries them
// along (account_scope_changed, as migration 6 wrote it plus this table). The id is the adding desk's
// UUID; a removed note keeps its row (removed_by, removed_at). Frozen once shipped.
export default [
  'CREATE TABLE account_notes (id TEXT NOT NULL, account_id BIGINT, kind TEXT, text TEXT, created_by BIGINT, created_at TEXT, removed_by BIGINT, removed_at TEXT, version BIGINT NOT NULL DEFAULT 0, district_id BIGINT, PRIMARY KEY (id))',
  'CREATE INDEX account_notes_version_scope ON account_notes (version) INCLUDE (district_id)',
  'CREATE INDEX account_notes_account ON account_notes (account_id)',
  'CREATE TRIGGER account_notes_version BEFORE INSERT OR UPDATE ON account_notes FOR EACH ROW EXECUTE FUNCTION bump_version()',
  'CREATE TRIGGER account_notes_district BEFORE INSERT OR UPDATE ON account_notes FOR EACH ROW EXECUTE FUNCTION district_from_account()',
  "CREATE TRIGGER account_notes_scope AFTER UPDATE OR DELETE ON account_notes FOR EACH ROW EXECUTE FUNCTION district_scope_exit('id')",
  `CREATE OR REPLACE FUNCTION account_scope_changed() RETURNS trigger AS $$
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
    UPDATE account_notes SET district_id = NEW.district_id WHERE account_id = NEW.id AND district_id IS DISTINCT FROM NEW.district_id;
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
];
