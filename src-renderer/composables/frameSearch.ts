// The frame's search box: search as the operator types (debounced), the arrows and Enter over the
// results, F4's next call, and the focus it takes back. The results live in the search store; this
// is how the one box in the header drives them.
import { nextTick, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { NInput } from 'naive-ui';
import { useAppStore } from '../stores/app';
import { useContactsStore } from '../stores/contacts';
import { useSearchStore } from '../stores/search';
import { useErrors } from './errors';

export function useFrameSearch(searchInput: Ref<InstanceType<typeof NInput> | null>) {
  const app = useAppStore();
  const route = useRoute();
  const router = useRouter();
  const errors = useErrors();
  const search = useSearchStore();
  const contacts = useContactsStore();
  let debounce: ReturnType<typeof setTimeout> | undefined;

  function focusSearch() {
    searchInput.value?.focus();
    searchInput.value?.select();
  }

  function showResults() {
    if (route.name !== 'search') void router.push({ name: 'search' });
  }

  /** Search as the operator types (debounced); the results stay in the store. */
  function onInput(value: string) {
    search.text = value;
    clearTimeout(debounce);
    if (!value.trim()) {
      search.clear();
      return;
    }
    debounce = setTimeout(() => {
      // Only while the operator is still in the box: a search that lands after they moved on to another
      // screen fills the results without pulling them back.
      const input = searchInput.value?.inputElRef as HTMLInputElement | undefined;
      if (input && document.activeElement === input) showResults();
      search.run({ text: value }).catch(errors.reportInput);
    }, 180);
  }

  /** In call-center mode a hit opens straight on the readings, first empty reading focused. */
  function openAccount(accountId: number) {
    const callCenter = app.settings?.callCenterMode ?? false;
    void contacts.accountOpened(accountId, callCenter).catch(errors.report);
    void router.push({ name: 'account', params: { id: accountId }, query: callCenter ? { tab: 'readings' } : {} });
  }

  /**
   * F4: the next call. The contact going on ends (with its topic and note), in call-center mode the next
   * call's begins, everything of the last one is cleared and the search is ready for typing.
   */
  function nextCall() {
    const callCenter = app.settings?.callCenterMode ?? false;
    void (callCenter ? contacts.begin('phone') : contacts.close()).catch(errors.report);
    clearTimeout(debounce);
    search.clear();
    search.text = '';
    void router.push({ name: 'search' });
    void nextTick(focusSearch);
  }

  /**
   * Enter acts on what is on the screen for exactly the text in the box: the highlighted row of the
   * results found for it; or, when the results on screen answer an earlier text (typed fast, pasted, a
   * search still on its way), a search for this text now, and a single exact match opened directly —
   * never a row of an earlier list.
   */
  async function onEnter() {
    clearTimeout(debounce);
    const text = search.text;
    const picked = search.current() ? search.hits[search.selected] : undefined;
    if (route.name === 'search' && picked) {
      openAccount(picked.accountId);
      return;
    }
    if (!text.trim()) return;
    showResults();
    try {
      const hits = await search.run({ text });
      // Still this text in the box when the answer came (the operator may have typed on).
      if (hits && search.text === text && hits.length === 1 && !hits[0]!.typo) openAccount(hits[0]!.accountId);
    } catch (error) {
      errors.reportInput(error);
    }
  }

  function onKeydown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!search.hits.length) return;
      event.preventDefault();
      showResults();
      // Rows of an earlier text are not chosen from: search this one now, then move in its results.
      if (!search.current() && search.text.trim()) {
        clearTimeout(debounce);
        const delta = event.key === 'ArrowDown' ? 1 : -1;
        void search.run({ text: search.text }).then((hits) => hits && search.move(delta), errors.reportInput);
        return;
      }
      search.move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void onEnter();
    }
  }

  return { search, focusSearch, onInput, onKeydown, nextCall };
}
