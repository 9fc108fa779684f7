// The monthly mailing on its own schedule. With MAILING_DAY (1–28) set, the service looks every hour
// whether that day of the month has come in Almaty and the previous month is not yet mailed, and
// runs the mailing (mailing.ts). Its claims per (period, account) make a restart, a second service
// process or a hand run at the same time safe: nobody gets a month twice. Its runs are `automatic`: a
// failed letter (a relay that is down, one that asked to try later) is tried again at a later look
// once the delivery policy's wait has passed (src-shared/mail/policy.ts), up to 8 attempts; one the
// relay refused for good (a 5xx) or out of attempts is left to a run by hand. A month with nothing
// left to try is not looked at again by this process.
import { almatyDate } from '../src-shared/domain/period';
import { defaultBreakdownPeriod } from '../src-shared/statements';
import type { ServerDb } from './db';
import type { ServerMailer } from './mailer';
import { runMonthlyMailing, type MailingOptions, type MailingReport } from './mailing';

export const MAILING_CHECK_MS = 60 * 60_000;
/** The first look after start waits this long, so a starting service first answers its desktops. */
export const MAILING_FIRST_CHECK_MS = 60_000;

export interface MailingScheduleOptions {
  /** the day of the month (1–28, Asia/Almaty) from which the previous month is mailed */
  day: number;
  now?: () => Date;
  /** what the runs are told besides the period (utility, public URL, fonts, concurrency) */
  mailing?: Omit<MailingOptions, 'period' | 'now' | 'signal' | 'onProgress' | 'automatic'>;
  onReport?: (report: MailingReport) => void;
  onError?: (error: unknown) => void;
  /** timers off: the caller calls `check` (tests) */
  manual?: boolean;
}

export interface MailingSchedule {
  /** one look: runs the mailing when it is due; the report, or null when nothing was due */
  check(): Promise<MailingReport | null>;
  /** no more looks; a run in progress stops taking letters and is waited for */
  stop(): Promise<void>;
}

export function parseMailingDay(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const day = Number(value);
  if (!Number.isInteger(day) || day < 1 || day > 28)
    throw new Error('MAILING_DAY must be a day of the month from 1 to 28');
  return day;
}

export function scheduleMonthlyMailing(
  db: ServerDb,
  mailer: ServerMailer,
  options: MailingScheduleOptions,
): MailingSchedule {
  const now = options.now ?? (() => new Date());
  const abort = new AbortController();
  const done = new Set<string>();
  let running: Promise<MailingReport | null> | null = null;

  async function look(): Promise<MailingReport | null> {
    const today = almatyDate(now());
    if (Number(today.slice(8, 10)) < options.day) return null;
    const period = defaultBreakdownPeriod(now());
    if (done.has(period)) return null;
    const report = await runMonthlyMailing(db, mailer, {
      ...options.mailing,
      period,
      now,
      signal: abort.signal,
      automatic: true,
    });
    // Failed for good (givenUp) is the hand run's to send; anything else keeps the month in view.
    if (report.failed === 0 && report.waiting === 0 && report.inProgress === 0 && !abort.signal.aborted)
      done.add(period);
    options.onReport?.(report);
    return report;
  }

  function check(): Promise<MailingReport | null> {
    if (abort.signal.aborted) return Promise.resolve(null);
    // One run at a time in this process: a look while one runs waits for it and reports nothing new.
    if (running) return running.then(() => null);
    running = look().finally(() => (running = null));
    return running;
  }

  const tick = () => void check().catch((error: unknown) => options.onError?.(error));
  const first = options.manual ? null : setTimeout(tick, MAILING_FIRST_CHECK_MS);
  const every = options.manual ? null : setInterval(tick, MAILING_CHECK_MS);
  first?.unref();
  every?.unref();

  return {
    check,
    async stop() {
      if (first) clearTimeout(first);
      if (every) clearInterval(every);
      abort.abort();
      await running?.catch(() => undefined);
    },
  };
}
