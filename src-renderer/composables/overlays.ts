// What of ours is open over the screen: a dialog (each of our NModal dialogs says when it shows), a
// question (`useQuestion`, naive-ui's dialog.warning counted until it has left) or a drop-down list (a
// select's `@update:show`). Shortcuts that would act on the screen behind it — Esc back to the search,
// Alt+N, the web account's Alt keys — ask `overlayOpen()` first and leave the key to what is open,
// instead of looking for a library's elements in the page.
import { onScopeDispose, reactive, watch } from 'vue';
import { useDialog, type DialogOptions } from 'naive-ui';

const open = reactive(new Set<symbol>());

/** Whether a dialog, a question or a drop-down list of ours is open. */
export function overlayOpen(): boolean {
  return open.size > 0;
}

/** Counts the calling component's overlay as open while `shown()` is true (and it is mounted: its scope lives). */
export function useOverlay(shown: () => boolean): void {
  const token = Symbol('overlay');
  watch(shown, (value) => (value ? open.add(token) : open.delete(token)), { immediate: true });
  onScopeDispose(() => open.delete(token));
}

/**
 * For drop-down lists: `@update:show="(shown) => menuShown(shown)"` counts a select's menu while it is
 * open; selects in a loop pass their row's key, so one closing never uncounts another opening.
 */
export function useMenuOverlay(): (shown: boolean, key?: unknown) => void {
  const tokens = new Map<unknown, symbol>();
  onScopeDispose(() => tokens.forEach((token) => open.delete(token)));
  return (shown, key = null) => {
    if (!tokens.has(key)) tokens.set(key, Symbol('menu'));
    const token = tokens.get(key)!;
    if (shown) open.add(token);
    else open.delete(token);
  };
}

/**
 * naive-ui's questions (dialog.warning), each counted as open until it has left the screen. Our
 * questions make the safe answer the positive button («Остаться», «Оставить»), and it has the focus:
 * Enter or Space never throws work away (naive-ui's own autoFocus takes the first button, the other).
 */
export function useQuestion() {
  const dialog = useDialog();
  function warning(options: DialogOptions) {
    const token = Symbol('question');
    open.add(token);
    return dialog.warning({
      ...options,
      autoFocus: false,
      positiveButtonProps: { ...options.positiveButtonProps, 'data-question-safe': '' } as never,
      onAfterEnter: () => {
        const safe = document.querySelectorAll<HTMLButtonElement>('[data-question-safe]');
        safe[safe.length - 1]?.focus();
        options.onAfterEnter?.();
      },
      onAfterLeave: () => {
        open.delete(token);
        options.onAfterLeave?.();
      },
    });
  }

  /**
   * «… not saved: leave without it?» Resolves true to leave; staying is the default (focused), and a
   * question closed any other way (Esc, the mask, ×) stays. `testId` marks the buttons `-stay`/`-leave`.
   */
  function leaveOrStay(texts: { title: string; content: string; stay: string; leave: string; testId: string }) {
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const settle = (leave: boolean) => {
        if (settled) return;
        settled = true;
        resolve(leave);
      };
      warning({
        title: texts.title,
        content: texts.content,
        positiveText: texts.stay,
        negativeText: texts.leave,
        onPositiveClick: () => settle(false),
        onNegativeClick: () => settle(true),
        onClose: () => settle(false),
        onMaskClick: () => settle(false),
        onAfterLeave: () => settle(false),
        positiveButtonProps: { 'data-test': `${texts.testId}-stay` } as never,
        negativeButtonProps: { 'data-test': `${texts.testId}-leave` } as never,
      });
    });
  }

  return { warning, leaveOrStay };
}
