// Global keyboard shortcuts: one listener, handlers registered by the component that owns them and
// removed when it unmounts. A key is described like 'F2', 'Ctrl+K', 'Ctrl+S', 'Escape'.
import { onBeforeUnmount, onMounted } from 'vue';

/** Return false to leave the key to others (e.g. Esc while a dialog is open). */
type Handler = (event: KeyboardEvent) => void | boolean;
const handlers = new Map<string, Handler[]>();
let installed = false;

export function keyOf(event: KeyboardEvent): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('Ctrl');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey && event.key.length > 1) parts.push('Shift');
  // With Ctrl or Alt, letters go by the physical key, so shortcuts work on the Russian and Kazakh layouts.
  if ((event.ctrlKey || event.metaKey || event.altKey) && /^Key[A-Z]$/.test(event.code))
    parts.push(event.code.slice(3));
  else parts.push(event.key.length === 1 ? event.key.toUpperCase() : event.key);
  return parts.join('+');
}

function install() {
  if (installed) return;
  installed = true;
  window.addEventListener(
    'keydown',
    (event) => {
      // A locked screen takes no shortcuts: only its password field works.
      if (document.querySelector('[data-test="lock-screen"]')) return;
      const key = keyOf(event);
      const list = handlers.get(key);
      const handler = list?.[list.length - 1];
      if (handler && handler(event) !== false) event.preventDefault();
    },
    { capture: true },
  );
}

/** Registers shortcuts while the calling component is mounted; the latest registration wins. */
export function useHotkeys(map: Record<string, Handler>): void {
  onMounted(() => {
    install();
    for (const [key, handler] of Object.entries(map)) handlers.set(key, [...(handlers.get(key) ?? []), handler]);
  });
  onBeforeUnmount(() => {
    for (const [key, handler] of Object.entries(map))
      handlers.set(
        key,
        (handlers.get(key) ?? []).filter((h) => h !== handler),
      );
  });
}
