// The monthly mailing as a supervised job (issue 19.5): started by a supervisor from the desk for the
// office's districts, run by this service process, watched (sent / failed / left, rate, time left),
// paused, resumed and cancelled, its report kept until the office starts the next one. One job per
// office at a time in a process. The letters are claimed per (period, account) by runMonthlyMailing
// exactly as a CLI run or the schedule claims them, so a desk-started job, a hand run and another
// service process at once still send each letter once. Pausing stops taking letters (those handed to
// the relay finish and are recorded); cancelling does the same for good and ends with the report of
// what was done. A job is the person's run (not `automatic`): every failed letter is tried now.
import { randomUUID } from 'node:crypto';
import { AppError } from '../src-shared/errors';
import type { MailingJob, MailingStatus } from '../src-shared/schemas/mailing';
import { defaultBreakdownPeriod } from '../src-shared/statements';
import type { ServerDb } from './db';
import type { ServerMailer } from './mailer';
import type { Office } from './offices';
import { parseMailingPeriod, runMonthlyMailing, type MailingOptions, type MailingReport } from './mailing';

export interface MailingJobsOptions {
  db: ServerDb;
  mailer: ServerMailer;
  now?: () => Date;
  /** what every run is told besides period, scope and control (utility, public URL, fonts, concurrency) */
  mailing?: () => Omit<
    MailingOptions,
    'period' | 'now' | 'signal' | 'onProgress' | 'onStart' | 'gate' | 'districtIds' | 'automatic'
  >;
  onReport?: (office: Office, report: MailingReport) => void;
  onError?: (office: Office, error: unknown) => void;
}

interface Job {
  view: MailingJob;
  abort: AbortController;
  /** resolves the paused workers */
  resume: (() => void) | null;
  paused: Promise<void> | null;
  /** running time before the current stretch (pauses not counted), and when the current one began */
  runMs: number;
  since: number | null;
  done: Promise<void>;
}

const TERMINAL = new Set<MailingJob['state']>(['cancelled', 'done', 'failed']);

export function createMailingJobs(options: MailingJobsOptions) {
  const now = options.now ?? (() => new Date());
  const clock = () => performance.now();
  const jobs = new Map<number, Job>();

  function snapshot(job: Job): MailingJob {
    const v = job.view;
    const runMs = job.runMs + (job.since === null ? 0 : clock() - job.since);
    const finished = v.sent + v.failed;
    const rate = runMs > 0 ? (finished * 1000) / runMs : 0;
    const over = TERMINAL.has(v.state);
    return {
      ...v,
      ratePerSecond: Math.round(rate * 10) / 10,
      secondsLeft: over || rate === 0 ? null : Math.round(v.left / rate),
      left: over ? 0 : v.left,
    };
  }

  const jobOf = (office: Office): Job => {
    const job = jobs.get(office.id);
    if (!job || TERMINAL.has(job.view.state))
      throw new AppError('CONFLICT', 'No mailing is running for this office', { reason: 'mailing.notRunning' });
    return job;
  };

  function pauseStretch(job: Job) {
    if (job.since !== null) job.runMs += clock() - job.since;
    job.since = null;
  }

  return {
    /** Starts the month's mailing for the office's districts; refused while one runs for it. */
    start(office: Office, startedBy: string, input: { period?: string | undefined }): MailingJob {
      const current = jobs.get(office.id);
      if (current && !TERMINAL.has(current.view.state))
        throw new AppError('CONFLICT', 'A mailing is already running for this office', {
          reason: 'mailing.alreadyRunning',
        });
      const period = parseMailingPeriod(input.period ?? defaultBreakdownPeriod(now()), now());
      const abort = new AbortController();
      const job: Job = {
        view: {
          id: randomUUID(),
          period,
          state: 'running',
          districtIds: office.districtIds,
          startedBy,
          startedAt: now().toISOString(),
          finishedAt: null,
          total: 0,
          sent: 0,
          failed: 0,
          left: 0,
          alreadySent: 0,
          ratePerSecond: 0,
          secondsLeft: null,
          error: null,
          report: null,
        },
        abort,
        resume: null,
        paused: null,
        runMs: 0,
        since: clock(),
        done: Promise.resolve(),
      };
      const update = (total: number, report: Readonly<MailingReport>, done: number) => {
        job.view.total = total;
        job.view.sent = report.sent;
        job.view.failed = report.failed;
        job.view.alreadySent = report.alreadySent;
        job.view.left = Math.max(0, total - done);
      };
      job.done = runMonthlyMailing(options.db, options.mailer, {
        ...options.mailing?.(),
        period,
        now,
        districtIds: office.districtIds,
        signal: abort.signal,
        gate: () => job.paused ?? Promise.resolve(),
        onStart: (total, report) => update(total, report, 0),
        onProgress: (done, total, report) => update(total, report, done),
      }).then(
        (report) => {
          pauseStretch(job);
          job.view.report = report;
          job.view.sent = report.sent;
          job.view.failed = report.failed;
          job.view.alreadySent = report.alreadySent;
          job.view.state = abort.signal.aborted ? 'cancelled' : 'done';
          job.view.finishedAt = now().toISOString();
          options.onReport?.(office, report);
        },
        (error: unknown) => {
          pauseStretch(job);
          job.view.state = 'failed';
          job.view.error = AppError.from(error).message;
          job.view.finishedAt = now().toISOString();
          options.onError?.(office, error);
        },
      );
      jobs.set(office.id, job);
      return snapshot(job);
    },

    status(office: Office): MailingStatus {
      const job = jobs.get(office.id);
      return { job: job ? snapshot(job) : null };
    },

    /** Takes no more letters until resumed; those with the relay finish and are recorded. */
    pause(office: Office): MailingJob {
      const job = jobOf(office);
      if (job.view.state === 'running') {
        job.paused = new Promise<void>((resolve) => (job.resume = resolve));
        job.view.state = 'paused';
        pauseStretch(job);
      }
      return snapshot(job);
    },

    resume(office: Office): MailingJob {
      const job = jobOf(office);
      if (job.view.state === 'paused') {
        job.view.state = 'running';
        job.since = clock();
        const resume = job.resume;
        job.paused = null;
        job.resume = null;
        resume?.();
      }
      return snapshot(job);
    },

    /** Takes no more letters; the job ends with the report of what it did (waited for here). */
    async cancel(office: Office): Promise<MailingJob> {
      const job = jobOf(office);
      job.view.state = 'cancelling';
      job.abort.abort();
      const resume = job.resume;
      job.paused = null;
      job.resume = null;
      resume?.();
      await job.done;
      return snapshot(job);
    },

    /** Waits for the office's job to end (tests; a stopping service). */
    async settled(office: Office): Promise<MailingJob | null> {
      const job = jobs.get(office.id);
      if (!job) return null;
      await job.done;
      return snapshot(job);
    },

    /** Cancels every job and waits for them (the service stopping). */
    async stopAll(): Promise<void> {
      for (const job of jobs.values()) {
        job.abort.abort();
        job.resume?.();
      }
      await Promise.all([...jobs.values()].map((j) => j.done));
    },
  };
}

export type MailingJobs = ReturnType<typeof createMailingJobs>;
