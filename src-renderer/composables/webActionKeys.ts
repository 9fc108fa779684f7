// The web account's actions that make sense in its state (register, resend, reset, change email, block,
// unblock), each with its Alt key; blocking only for the roles the capability table lets. The keys act
// while no dialog is open.
import { computed, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { mayCall } from '../../src-shared/access';
import type { OperationName } from '../../src-shared/contract';
import type { WebAccountState } from '../../src-shared/schemas/web';
import { useSessionStore } from '../stores/session';
import { useHotkeys } from './hotkeys';
import { overlayOpen } from './overlays';

export type WebActionKey = 'register' | 'resend' | 'reset' | 'email' | 'block' | 'unblock';

export function useWebActionKeys(state: Ref<WebAccountState | null>, actions: Record<WebActionKey, () => void>) {
  const { t } = useI18n();
  const session = useSessionStore();
  /** The actions that make sense in this state, each with its key. */
  const available = computed(() => {
    if (!state.value) return [];
    const s = state.value.status;
    const list: { key: WebActionKey; label: string; hotkey: string; primary?: boolean; op?: OperationName }[] = [];
    if (s === 'none') list.push({ key: 'register', label: t('web.register'), hotkey: 'Alt+R', primary: true });
    if (s === 'pending') list.push({ key: 'resend', label: t('web.resend'), hotkey: 'Alt+R', primary: true });
    if (s === 'active') list.push({ key: 'reset', label: t('web.reset'), hotkey: 'Alt+P', primary: true });
    if (s === 'pending' || s === 'active') list.push({ key: 'email', label: t('web.changeEmail'), hotkey: 'Alt+E' });
    if (s === 'pending' || s === 'active')
      list.push({ key: 'block', label: t('web.block'), hotkey: 'Alt+B', op: 'web.block' });
    if (s === 'blocked') list.push({ key: 'unblock', label: t('web.unblock'), hotkey: 'Alt+U', op: 'web.unblock' });
    // Blocking is a supervisor's decision (the capability table): other roles do not see it (the service would refuse it anyway).
    return list.filter((a) => !a.op || (!!session.operator && mayCall(session.operator.role, a.op)));
  });

  useHotkeys(
    Object.fromEntries(
      ['Alt+R', 'Alt+P', 'Alt+E', 'Alt+B', 'Alt+U'].map((key) => [
        key,
        () => {
          if (overlayOpen()) return false;
          const action = available.value.find((a) => a.hotkey === key);
          if (!action) return false;
          actions[action.key]();
        },
      ]),
    ),
  );

  return available;
}
