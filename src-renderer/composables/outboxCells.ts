// The cells the «Отправка» tables share: a line of text cut with an ellipsis (the whole on hover), the
// account as a link, and «Исправить»'s way to the account (its readings for a reading or a replacement).
import { h } from 'vue';
import { useRouter } from 'vue-router';
import { NButton } from 'naive-ui';
import type { OutboxChange } from '../../src-shared/schemas/sync';

export function useOutboxCells() {
  const router = useRouter();

  /** «Исправить»: the account's readings (or card), where the right value is entered. */
  function openAccount(c: OutboxChange) {
    if (c.accountId === null) return;
    void router.push({
      name: 'account',
      params: { id: c.accountId },
      query: c.name === 'readings.submit' || c.name === 'meters.replace' ? { tab: 'readings' } : {},
    });
  }

  /** A cell of one line: cut with an ellipsis, the whole text on hover. */
  const line = (text: string, test?: string) =>
    h('span', { title: text, ...(test ? { 'data-test': test } : {}) }, text);
  const accountCell = (c: OutboxChange) =>
    c.accountNumber && c.accountId !== null
      ? h(NButton, { text: true, type: 'primary', size: 'small', onClick: () => openAccount(c) }, () => c.accountNumber)
      : '';

  return { openAccount, line, accountCell };
}
