// Who is signed in at this window, and whether the screen is locked: loaded at start, kept current by
// `session.changed` events (this window's own), and refreshed whenever a call says the session is gone
// or locked. When the operator leaves (sign-out, too many wrong unlock passwords, a session the shell
// no longer knows), the window starts clean: nothing of the last customer or screen stays in memory.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Role, SessionState } from '../../src-shared/schemas/operators';
import { call, onEvent, onSessionLost, reopenEvents } from '../api/client';

/** A fresh page on the search: every store, every cached screen and the last search are gone. */
export function startClean(): void {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/search`);
  window.location.reload();
}

export const useSessionStore = defineStore('session', () => {
  const state = ref<SessionState | null>(null);
  let listening = false;

  /** Takes a new state; an operator gone from this window means a clean start for the next one. */
  function adopt(next: SessionState) {
    const left = state.value?.operator && !next.operator;
    state.value = next;
    if (left) startClean();
  }

  async function load() {
    adopt(await call('session.get', {}));
    if (!listening) {
      listening = true;
      onEvent('session.changed', adopt);
      onSessionLost(() => void call('session.get', {}).then(adopt));
    }
  }

  const operator = computed(() => state.value?.operator ?? null);
  const locked = computed(() => state.value?.locked ?? false);
  /** Whether the signed-in operator's role is among `roles`. */
  const can = (...roles: Role[]) => !!operator.value && roles.includes(operator.value.role);

  async function signIn(login: string, password: string) {
    adopt(await call('session.signIn', { login, password }));
    reopenEvents(); // the stream now carries this browser's new session
  }
  async function signOut() {
    adopt(await call('session.signOut', {}));
  }
  async function lock() {
    adopt(await call('session.lock', {}));
  }
  async function unlock(password: string) {
    adopt(await call('session.unlock', { password }));
  }
  /** Signed in without the connection, now that the service answers: the same session goes online. */
  async function reconnect(password: string) {
    adopt(await call('session.reconnect', { password }));
  }
  /** A fresh install's first run: the service's address and a one-time code give the desk its office. */
  async function enroll(url: string, code: string) {
    return (await call('desk.enroll', { url, code })).office;
  }

  return { state, operator, locked, can, load, signIn, signOut, lock, unlock, reconnect, enroll };
});
