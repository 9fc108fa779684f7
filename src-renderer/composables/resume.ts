// After the lock screen: the app frame is kept alive under <KeepAlive> while the screen is locked
// (what was typed survives) and shown again after unlock. What a screen shows may have changed
// meanwhile (settings, sync, another operator's changes), so a screen reloads what it needs then.
import { onActivated, onDeactivated } from 'vue';

/** Calls `reload` each time the screen comes back from under the lock screen (not on its first mount). */
export function onResume(reload: () => void): void {
  let away = false;
  onDeactivated(() => (away = true));
  onActivated(() => {
    if (!away) return;
    away = false;
    reload();
  });
}
