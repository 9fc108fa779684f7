// The search as the operator types it: the query, the ranked hits (paged as the list scrolls), the
// highlighted row. Lives in a store so the results are still there when the operator comes back
// from an account with Esc.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AddressQuery, LookupHit, LookupSearchOutput } from '../../src-shared/schemas/lookup';
import { call } from '../api/client';

const PAGE = 50;

export const useSearchStore = defineStore('search', () => {
  const text = ref('');
  const address = ref<AddressQuery | null>(null);
  const understood = ref<LookupSearchOutput['understood'] | null>(null);
  const hits = shallowRef<LookupHit[]>([]);
  const hasMore = ref(false);
  const loading = ref(false);
  const selected = ref(-1);
  const error = ref<unknown>(null);
  /** the text (or form) the hits on screen were found for: Enter acts on them only while it is the box's text */
  const forQuery = ref<string | null>(null);
  const notice = ref<LookupSearchOutput['notice']>(null);
  let generation = 0;

  /** Searches; the hits, or null when a newer search started meanwhile (its answer is the one that counts). */
  async function run(next: { text?: string; address?: AddressQuery }): Promise<LookupHit[] | null> {
    const mine = ++generation;
    text.value = next.text ?? text.value;
    address.value = next.address ?? null;
    loading.value = true;
    error.value = null;
    try {
      const result = await call(
        'lookup.search',
        address.value ? { address: address.value, limit: PAGE } : { text: text.value, limit: PAGE },
      );
      if (mine !== generation) return null; // a newer keystroke won: these hits answer another text
      understood.value = result.understood;
      hits.value = result.hits;
      hasMore.value = result.hasMore;
      forQuery.value = result.query;
      notice.value = result.notice;
      selected.value = -1;
      return result.hits;
    } catch (e) {
      if (mine === generation) error.value = e;
      throw e;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!hasMore.value || loading.value) return;
    const mine = generation;
    loading.value = true;
    try {
      const input = address.value ? { address: address.value } : { text: text.value };
      const result = await call('lookup.search', { ...input, limit: PAGE, offset: hits.value.length });
      if (mine !== generation) return;
      hits.value = [...hits.value, ...result.hits];
      hasMore.value = result.hasMore;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function move(delta: number): void {
    if (!hits.value.length) return;
    selected.value = Math.max(0, Math.min(hits.value.length - 1, selected.value + delta));
    if (selected.value >= hits.value.length - 5) void loadMore();
  }

  function clear(): void {
    generation++;
    understood.value = null;
    hits.value = [];
    hasMore.value = false;
    selected.value = -1;
    loading.value = false;
    forQuery.value = null;
    notice.value = null;
  }

  /** Streets for the address form's suggestions (its kind, name and district). */
  async function streets(typed: string) {
    return (await call('lookup.streets', { text: typed.slice(0, 100), limit: 15 })).streets;
  }

  /** True while the hits on screen answer exactly the text in the box (not an earlier one still showing). */
  const current = () => !address.value && forQuery.value === text.value;

  return {
    text,
    address,
    understood,
    hits,
    hasMore,
    loading,
    selected,
    error,
    forQuery,
    notice,
    current,
    run,
    loadMore,
    move,
    clear,
    streets,
  };
});
