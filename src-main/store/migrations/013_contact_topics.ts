// Migration 13: the built-in contact topics on the desk too (the service's migration 13 writes the same
// rows), so a desk working without a central service can give its contacts a topic, and a service seeded
// from a desk's file takes them from it. Version 0: the service's rows, when they come, replace them.
import { BUILT_IN_TOPICS_VALUES } from '../../../src-shared/replication/built-in-topics';

export default /* sql */ `
INSERT OR IGNORE INTO contact_topics (id, name_ru, name_kk, name_en, active, position) VALUES${BUILT_IN_TOPICS_VALUES};
`;
