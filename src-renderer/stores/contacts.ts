// The operator's current contact (the bar above every screen) and the topics to give it. A contact
// begins with F4 in call-center mode (a call) or when an account is opened from the search at the
// counter (a visit); F4 ends it with the topic and note typed in the bar. What was done during it the
// desk collects by itself: the bar reads it again whenever the screen changes or a sync brought rows.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { OperationInput } from '../../src-shared/contract';
import type { Contact, ContactChannel, ContactTopic } from '../../src-shared/schemas/contacts';
import { call } from '../api/client';

export const useContactsStore = defineStore('contacts', () => {
  const current = shallowRef<Contact | null>(null);
  const topics = shallowRef<ContactTopic[]>([]);
  /** what the operator typed for the current contact (kept until it ends) */
  const topicId = ref<string | null>(null);
  const note = ref('');

  async function refresh(): Promise<void> {
    current.value = (await call('contacts.current', {})).contact;
  }
  async function loadTopics(): Promise<void> {
    topics.value = (await call('contactTopics.list', {})).topics;
  }

  /** The administrator's change to a topic (or a new one, without `topicId`): the list as it now is. */
  async function saveTopic(topic: OperationInput<'contactTopics.save'>): Promise<void> {
    topics.value = (await call('contactTopics.save', topic)).topics;
  }

  async function close(): Promise<void> {
    if (!current.value) return;
    await call('contacts.close', { topicId: topicId.value, ...(note.value.trim() ? { note: note.value } : {}) });
    current.value = null;
    topicId.value = null;
    note.value = '';
  }

  /** Ends the current contact (with what was typed) and begins the next. */
  async function begin(channel: ContactChannel, accountId?: number): Promise<void> {
    await close();
    current.value = (await call('contacts.open', { channel, ...(accountId ? { accountId } : {}) })).contact;
  }

  /** An account opened from the search: at the counter a new visit (unless this one is about it), on the phone the call's account. */
  async function accountOpened(accountId: number, callCenter: boolean): Promise<void> {
    await refresh();
    const open = current.value;
    if (callCenter) {
      if (!open) await begin('phone', accountId);
    } else if (!open || (open.accountId !== null && open.accountId !== accountId)) await begin('visit', accountId);
  }

  return { current, topics, topicId, note, refresh, loadTopics, saveTopic, close, begin, accountOpened };
});
