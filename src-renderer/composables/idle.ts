// The idle lock: no key, click or mouse move for the minutes set in the settings locks the screen.
// While the operator is active, the main process hears of it once a minute (it keeps a backstop lock
// of its own for a renderer that stopped counting).
import { onBeforeUnmount, onMounted } from 'vue';
import { call } from '../api/client';
import { useSessionStore } from '../stores/session';

const EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;

export function useIdleLock(): void {
  const session = useSessionStore();
  let lastActivity = Date.now();
  let reported = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const mark = () => (lastActivity = Date.now());

  function check() {
    if (!session.operator || session.locked) return;
    const limitMs = (session.state?.idleLockMinutes ?? 15) * 60_000;
    const now = Date.now();
    if (now - lastActivity >= limitMs) void session.lock().catch(() => undefined);
    else if (lastActivity > reported && now - reported >= 60_000) {
      reported = now;
      void call('session.touch', {}).catch(() => undefined);
    }
  }

  onMounted(() => {
    for (const e of EVENTS) window.addEventListener(e, mark, { passive: true, capture: true });
    timer = setInterval(check, 5_000);
  });
  onBeforeUnmount(() => {
    for (const e of EVENTS) window.removeEventListener(e, mark, { capture: true });
    clearInterval(timer);
  });
}
