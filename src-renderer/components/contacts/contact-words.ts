// A contact in the operator's words: its topic by the list (in the operator's language), what was done
// during it (each kind once, in the order first done), its length as m:ss.
import { useI18n } from 'vue-i18n';
import { formatDuration, secondsBetween } from '../../../src-shared/domain/duration';
import type { Contact, ContactTopic } from '../../../src-shared/schemas/contacts';
import type { Language } from '../../../src-shared/schemas/settings';

export function useContactWords() {
  const { t, locale } = useI18n();
  const topicName = (topics: ContactTopic[], id: string | null) =>
    id === null ? t('contact.noTopic') : (topics.find((x) => x.id === id)?.names[locale.value as Language] ?? id);
  const done = (contact: Pick<Contact, 'actions'>) =>
    [...new Set(contact.actions.map((a) => a.kind))].map((kind) => t(`contact.actions.${kind}`)).join(', ');
  const length = (contact: Pick<Contact, 'startedAt' | 'endedAt'>) =>
    contact.endedAt ? formatDuration(secondsBetween(contact.startedAt, contact.endedAt)) : '';
  return { topicName, done, duration: formatDuration, length };
}
