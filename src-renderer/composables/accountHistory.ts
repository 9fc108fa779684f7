// The card's «История» data: accounts.history for one account (the local store, so it works offline),
// read again when the account changes or sync brings new data. A failure before any data is shown as
// the tab's error; one after keeps what is on screen and reports the error.
import { ref, watch, type Ref } from 'vue';
import type { AccountHistory } from '../../src-shared/schemas/history';
import { call } from '../api/client';
import { useSyncStore } from '../stores/sync';
import { useErrors } from './errors';

export function useAccountHistory(accountId: () => number): {
  history: Ref<AccountHistory | null>;
  failed: Ref<string | null>;
} {
  const errors = useErrors();
  const history = ref<AccountHistory | null>(null);
  const failed = ref<string | null>(null);
  async function load() {
    try {
      history.value = await call('accounts.history', { accountId: accountId() });
      failed.value = null;
    } catch (error) {
      if (!history.value) failed.value = errors.describe(error);
      else errors.report(error);
    }
  }
  watch(accountId, () => void load(), { immediate: true });
  // A reading or a payment arriving by sync shows at once.
  const syncStore = useSyncStore();
  watch(
    () => syncStore.dataVersion,
    () => void load(),
  );
  return { history, failed };
}
