// Migration 13: the contact log («Обращения»). A contact belongs to the office of the desk that pushed
// it (`office_id`, stamped by the service, never taken from the desk) and is replicated to that
// office's desks only; topics are every office's, kept by an administrator, with the built-in ones
// below to start from. `actions` is the JSON list of what was done during the contact. Frozen once shipped.
import { BUILT_IN_TOPICS_VALUES } from '../../src-shared/replication/built-in-topics';

export default [
  'CREATE TABLE contacts (id TEXT NOT NULL, channel TEXT, account_id BIGINT, operator_id BIGINT, started_at TEXT, ended_at TEXT, topic_id TEXT, note TEXT, actions TEXT, version BIGINT NOT NULL DEFAULT 0, office_id BIGINT, PRIMARY KEY (id))',
  'CREATE INDEX contacts_version_scope ON contacts (version) INCLUDE (office_id)',
  'CREATE TRIGGER contacts_version BEFORE INSERT OR UPDATE ON contacts FOR EACH ROW EXECUTE FUNCTION bump_version()',
  'CREATE TABLE contact_topics (id TEXT NOT NULL, name_ru TEXT, name_kk TEXT, name_en TEXT, active BIGINT, position BIGINT, version BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (id))',
  'CREATE INDEX contact_topics_version ON contact_topics (version)',
  'CREATE TRIGGER contact_topics_version BEFORE INSERT OR UPDATE ON contact_topics FOR EACH ROW EXECUTE FUNCTION bump_version()',
  `INSERT INTO contact_topics (id, name_ru, name_kk, name_en, active, position) VALUES${BUILT_IN_TOPICS_VALUES}`,
];
