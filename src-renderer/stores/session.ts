// Who is signed in at this PC, and whether the screen is locked: loaded at start, kept current by
// `session.changed` events, and refreshed whenever a call says the session is gone or locked.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Role, SessionState } from '../../src-shared/schemas/operators';
import { call, onEvent, onSessionLost } from '../api/client';

export const useSessionStore = defineStore('session', () => {
  const state = ref<SessionState | null>(null);
  let listening = false;

  async function load() {
    state.value = await call('session.get', {});
    if (!listening) {
      listening = true;
      onEvent('session.changed', (next) => (state.value = next));
      onSessionLost(() => void call('session.get', {}).then((next) => (state.value = next)));
    }
  }

  const operator = computed(() => state.value?.operator ?? null);
  const locked = computed(() => state.value?.locked ?? false);
  /** Whether the signed-in operator's role is among `roles`. */
  const can = (...roles: Role[]) => !!operator.value && roles.includes(operator.value.role);

  async function signIn(login: string, password: string) {
    state.value = await call('session.signIn', { login, password });
  }
  async function signOut() {
    state.value = await call('session.signOut', {});
  }
  async function lock() {
    state.value = await call('session.lock', {});
  }
  async function unlock(password: string) {
    state.value = await call('session.unlock', { password });
  }

  return { state, operator, locked, can, load, signIn, signOut, lock, unlock };
});
