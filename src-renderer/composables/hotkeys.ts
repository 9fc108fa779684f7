// Global keyboard shortcuts: one listener, handlers registered by the component that owns them and
// removed when it unmounts. A key is described like 'F2', 'Ctrl+K', 'Ctrl+S', 'Escape'.
import { onBeforeUnmount, onMounted } from 'vue';

type Handler = (event: KeyboardEvent) => void;
const handlers = new Map<string, Handler[]>();
let installed = false;

export function keyOf(event: KeyboardEvent): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('Ctrl');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey && event.key.length > 1) parts.push('Shift');
  parts.push(event.key.length === 1 ? event.key.toUpperCase() : event.key);
  return parts.join('+');
}

function install() {
  if (installed) return;
  installed = true;
  window.addEventListener(
    'keydown',
    (event) => {
      let key = keyOf(event);
      // Ctrl+K on a Russian or Kazakh layout arrives as Ctrl+Л: use the physical key.
      if ((event.ctrlKey || event.metaKey) && /^Key[A-Z]$/.test(event.code)) key = `Ctrl+${event.code.slice(3)}`;
      const list = handlers.get(key);
      const handler = list?.[list.length - 1];
      if (handler) {
        event.preventDefault();
        handler(event);
      }
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
    for (const [key, handler] of Object.entries(map)) handlers.set(key, (handlers.get(key) ?? []).filter((h) => h !== handler));
  });
}
