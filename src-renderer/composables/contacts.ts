// Contacts as screens read them (the contact going on and the topics are stores/contacts.ts): the
// account's contacts on its card (contacts.list), read again when the account changes, a sync brought
// rows or the current contact began or ended; and «Обращения», the office's report for a filter
// (contacts.report), its CSV in the operator's language (contacts.csv) and the operators to pick from.
import { ref, watch } from 'vue';
import type { OperationInput } from '../../src-shared/contract';
import type { Contact, ContactsReport } from '../../src-shared/schemas/contacts';
import type { Language } from '../../src-shared/schemas/settings';
import { call } from '../api/client';
import { csvBlob, download } from '../files';
import { useContactsStore } from '../stores/contacts';
import { useSyncStore } from '../stores/sync';
import { useErrors } from './errors';

/** The account's contacts, newest first; null until read. */
export function useAccountContacts(accountId: () => number) {
  const errors = useErrors();
  const store = useContactsStore();
  const contacts = ref<Contact[] | null>(null);
  async function load() {
    try {
      contacts.value = (await call('contacts.list', { accountId: accountId() })).contacts;
    } catch (error) {
      errors.report(error);
    }
  }
  watch(accountId, load);
  watch(() => useSyncStore().dataVersion, load);
  watch(() => store.current, load);
  return { contacts, load };
}

/** «Обращения»: the report of the filter, its CSV, the office's operators. */
export function useContactsReport(filter: () => OperationInput<'contacts.report'>) {
  const errors = useErrors();
  const report = ref<ContactsReport | null>(null);
  const operators = ref<{ id: number; fullName: string }[]>([]);
  async function load() {
    try {
      report.value = await call('contacts.report', filter());
    } catch (error) {
      errors.report(error);
    }
  }
  async function exportCsv(language: Language) {
    try {
      const file = await call('contacts.csv', { ...filter(), language });
      download(file.fileName, csvBlob(file.csv));
    } catch (error) {
      errors.report(error);
    }
  }
  async function loadOperators() {
    operators.value = (await call('audit.operators', {})).operators;
  }
  return { report, operators, load, exportCsv, loadOperators };
}
