// The account open on screen: its card (accounts.get, from the local store), read again when sync
// brings changes; the whole IIN/BIN on request (audited); the balance in words.
import { ref, watch } from 'vue';
import type { AccountCard } from '../../src-shared/schemas/lookup';
import { call } from '../api/client';
import { formatTiyn } from '../format';
import { useSyncStore } from '../stores/sync';
import { useErrors } from './errors';

export function useAccountCard(id: () => number, notFound: () => string) {
  const errors = useErrors();
  const card = ref<AccountCard | null>(null);
  const failed = ref<string | null>(null);

  async function reload() {
    try {
      card.value = await call('accounts.get', { accountId: id() });
    } catch (error) {
      errors.report(error);
    }
  }
  async function load(accountId: number) {
    card.value = null;
    failed.value = null;
    try {
      card.value = await call('accounts.get', { accountId });
    } catch (error) {
      failed.value = errors.describe(error);
    }
  }
  watch(
    id,
    (accountId) => {
      if (Number.isInteger(accountId) && accountId > 0) void load(accountId);
      else failed.value = notFound();
    },
    { immediate: true },
  );
  // Changes made elsewhere (a payment, a reading from the web site) arrive by sync: show them.
  const syncStore = useSyncStore();
  watch(
    () => syncStore.dataVersion,
    () => void reload(),
  );
  return { card, failed, reload };
}

/** The whole IIN/BIN, to compare with the customer's document: on request only, and audited. */
export async function revealIin(accountId: number): Promise<string> {
  return (await call('accounts.revealIin', { accountId })).iinBin;
}

/** The balance in words and its colour class. */
export function balanceWords(t: (key: string, params?: Record<string, unknown>) => string, tiyn: number) {
  if (tiyn > 0) return { text: t('account.debt', { amount: formatTiyn(tiyn) }), cls: 'debt' };
  if (tiyn < 0) return { text: t('account.prepaid', { amount: formatTiyn(-tiyn) }), cls: 'prepaid' };
  return { text: t('account.zero'), cls: '' };
}
