// The desk's mail worker: drains the mail outbox (services/mail.ts) on a timer and soon after a letter
// is queued, after settling the letters an earlier process left with the SMTP server.
import type { createMailService } from '../mail';

/** Runs `drain` on a timer (and soon after a new message is queued); stop() ends it. */
export function startMailWorker(
  mail: ReturnType<typeof createMailService>,
  intervalMs = 15_000,
): { kick(): void; stop(): void } {
  mail.recoverInterrupted();
  let stopped = false;
  const tick = () => {
    if (!stopped) void mail.drain().catch(() => undefined);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  const kick = () => void setTimeout(tick, 0).unref();
  const unsubscribe = mail.onQueued(kick);
  return {
    kick,
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
