// The monthly mailing as a supervised job (issue 19.5): started by a supervisor from the desk for the
// office's districts, run by a service process, watched (sent / failed / left, rate, time left),
// paused, resumed and cancelled, its report kept. One job per office at a time. The letters are
// claimed per (period, account) by runMonthlyMailing exactly as a CLI run or the schedule claims them,
// so a desk-started job, a hand run and another service process at once still send each letter once.
// Pausing stops taking letters (those handed to the relay finish and are recorded); cancelling does
// the same for good and ends with the report of what was done. A job is the person's run (not
// `automatic`): every failed letter is tried now.
// Jobs are kept in the database (mailing-job-store.ts), so they outlive the process: after a restart
// the supervisor sees the last job and its report; a job whose process stopped (service stopped or
// killed) is `interrupted`, and «Продолжить» takes it over: the claims its run left are settled as
// interrupted attempts (sent again with their Message-IDs), and the rest goes out as before, once.
// One file although near 300 lines: one state machine (start, pause, resume, cancel, stop) over the
// same Job records and their ordered writes; split, each half would reach into the other's closure.
import { randomUUID } from 'node:crypto';
import { AppError } from '../src-shared/errors';
import type { MailingJob, MailingStatus } from '../src-shared/schemas/mailing';
import { defaultBreakdownPeriod } from '../src-shared/statements';
import type { ServerDb } from './db';
import type { ServerMailer } from './mailer';
import type { Office } from './offices';
import { createMailingJobStore, JOB_HEARTBEAT_MS, present, TERMINAL, type StoredJob } from './mailing-job-store';
import {
  parseMailingPeriod,
  runMonthlyMailing,
  settleJobClaims,
  type MailingOptions,
  type MailingReport,
} from './mailing';

export interface MailingJobsOptions {
  db: ServerDb;
  mailer: ServerMailer;
  now?: () => Date;
  /** what every run is told besides period, scope and control (utility, public URL, fonts, concurrency) */
  mailing?: () => Omit<
    MailingOptions,
    'period' | 'now' | 'signal' | 'onProgress' | 'onStart' | 'gate' | 'districtIds' | 'automatic' | 'jobId' | 'takeOver'
  >;
  onReport?: (office: Office, report: MailingReport) => void;
  onError?: (office: Office, error: unknown) => void;
  /** without a heartbeat for this long a job is interrupted (default 30 s; tests make it short) */
  staleAfterMs?: number;
  heartbeatMs?: number;
}

/** A job this process runs. */
interface Job {
  view: StoredJob;
  abort: AbortController;
  /** resolves the paused workers */
  resume: (() => void) | null;
  paused: Promise<void> | null;
  /** when the current running stretch began (null: paused or over) */
  since: number | null;
  done: Promise<void>;
  /** resolves once the run knows its letters (total, left), or has ended before that */
  started: Promise<void>;
  /** the service is stopping: the job ends as interrupted (resumable), not cancelled */
  stopping: boolean;
  /** another process took it over (its heartbeat looked stale): this one stops and writes nothing more */
  lost: boolean;
  saving: Promise<void>;
  savedAt: number;
}

const SAVE_EVERY_MS = 1_000;

const notRunning = () =>
  new AppError('CONFLICT', 'No mailing is running for this office', { reason: 'mailing.notRunning' });

export function createMailingJobs(options: MailingJobsOptions) {
  const now = options.now ?? (() => new Date());
  const clock = () => performance.now();
  const store = createMailingJobStore(options.db, options.staleAfterMs);
  const jobs = new Map<number, Job>();

  const runMsOf = (job: Job) => job.view.runMs + (job.since === null ? 0 : clock() - job.since);
  const snapshot = (job: Job) => present(job.view, runMsOf(job));

  /** Writes the job (one write at a time, in order); a job taken over elsewhere is stopped here. */
  function save(job: Job): Promise<void> {
    job.savedAt = clock();
    const view = { ...job.view, runMs: runMsOf(job) };
    job.saving = job.saving
      .then(async () => {
        if (job.lost) return;
        if (!(await store.save(view))) {
          job.lost = true;
          job.abort.abort();
          job.resume?.();
        }
      })
      .catch(() => undefined); // a write that failed is made again by the next heartbeat
    return job.saving;
  }
  const heartbeat = setInterval(() => {
    for (const job of jobs.values()) if (!TERMINAL.has(job.view.state)) void save(job);
  }, options.heartbeatMs ?? JOB_HEARTBEAT_MS);
  heartbeat.unref();

  function pauseStretch(job: Job) {
    if (job.since !== null) job.view.runMs += clock() - job.since;
    job.since = null;
  }

  /** Runs the job's letters; `earlier`: what an interrupted run of it sent before this one took over. */
  function launch(office: Office, view: StoredJob, earlier: { sent: number } | null): Job {
    const abort = new AbortController();
    let started = () => {};
    const job: Job = {
      view,
      abort,
      resume: null,
      paused: null,
      since: clock(),
      done: Promise.resolve(),
      started: new Promise<void>((resolve) => (started = resolve)),
      stopping: false,
      lost: false,
      saving: Promise.resolve(),
      savedAt: 0,
    };
    const base = earlier?.sent ?? 0;
    // This run's report as the job's: the letters its earlier run sent are the job's, not «already sent».
    const asJob = (report: Readonly<MailingReport>): MailingReport => ({
      ...report,
      sent: base + report.sent,
      alreadySent: Math.max(0, report.alreadySent - base),
    });
    const update = (total: number, report: Readonly<MailingReport>, done: number) => {
      const own = asJob(report);
      Object.assign(job.view, { total: base + total, sent: own.sent, failed: own.failed });
      Object.assign(job.view, { alreadySent: own.alreadySent, left: Math.max(0, total - done) });
      if (clock() - job.savedAt >= SAVE_EVERY_MS) void save(job);
    };
    const finish = async (change: Partial<StoredJob>) => {
      pauseStretch(job);
      // An interrupted job is not over: it has no end time until it is resumed and ends.
      Object.assign(job.view, change, { finishedAt: change.state === 'interrupted' ? null : now().toISOString() });
      await save(job);
    };
    const run = runMonthlyMailing(options.db, options.mailer, {
      ...options.mailing?.(),
      period: view.period,
      now,
      districtIds: view.districtIds,
      signal: abort.signal,
      gate: () => job.paused ?? Promise.resolve(),
      jobId: view.id,
      takeOver: earlier !== null,
      onStart: (total, report) => {
        update(total, report, 0);
        started();
      },
      onProgress: (done, total, report) => update(total, report, done),
    });
    job.done = run.then(
      async (result) => {
        const state = job.stopping || job.lost ? 'interrupted' : abort.signal.aborted ? 'cancelled' : 'done';
        // An interrupted job goes on later: what it has not taken yet is left, not cancelled.
        const report = asJob(state === 'interrupted' ? { ...result, cancelled: 0, cancelledLetters: [] } : result);
        await finish({
          report,
          state,
          sent: report.sent,
          failed: report.failed,
          alreadySent: report.alreadySent,
          cancelled: report.cancelled,
        });
        options.onReport?.(office, report);
      },
      async (error: unknown) => {
        await finish({ state: 'failed', error: AppError.from(error).message });
        options.onError?.(office, error);
      },
    );
    void job.done.then(started);
    jobs.set(office.id, job);
    return job;
  }

  /** The office's job as the database has it, or this process's own (fresher) when it runs it. */
  async function current(office: Office): Promise<{ own: Job | null; stored: StoredJob | null }> {
    const stored = await store.latest(office.id);
    const own = jobs.get(office.id) ?? null;
    return { own: own && (!stored || stored.id === own.view.id) ? own : null, stored };
  }
  async function ownLive(office: Office): Promise<Job> {
    const { own } = await current(office);
    if (!own || TERMINAL.has(own.view.state)) throw notRunning();
    return own;
  }

  return {
    /** Starts the month's mailing for the office's districts; refused while one runs (or waits, interrupted) for it. */
    async start(
      office: Office,
      startedBy: { login: string; fullName: string },
      input: { period?: string | undefined },
    ): Promise<MailingJob> {
      const { own, stored } = await current(office);
      const state = own?.view.state ?? stored?.state;
      if (state === 'interrupted')
        throw new AppError('CONFLICT', 'The last mailing was interrupted: resume or cancel it', {
          reason: 'mailing.interrupted',
        });
      if (state && !TERMINAL.has(state))
        throw new AppError('CONFLICT', 'A mailing is already running for this office', {
          reason: 'mailing.alreadyRunning',
        });
      const period = parseMailingPeriod(input.period ?? defaultBreakdownPeriod(now()), now());
      const view: StoredJob = {
        id: randomUUID(),
        period,
        state: 'running',
        districtIds: office.districtIds,
        startedBy: startedBy.login,
        startedByName: startedBy.fullName,
        startedAt: now().toISOString(),
        finishedAt: null,
        ...{ total: 0, sent: 0, failed: 0, left: 0, alreadySent: 0, cancelled: 0, runMs: 0 },
        error: null,
        report: null,
      };
      await store.insert(office.id, view);
      // Answered once its letters are counted: the screen shows the total and what is left from the start.
      const job = launch(office, view, null);
      await job.started;
      return snapshot(job);
    },

    async status(office: Office): Promise<MailingStatus> {
      const { own, stored } = await current(office);
      return { job: own ? snapshot(own) : stored ? present(stored, stored.runMs) : null };
    },

    /** Takes no more letters until resumed; those with the relay finish and are recorded. */
    async pause(office: Office): Promise<MailingJob> {
      const job = await ownLive(office);
      if (job.view.state === 'running') {
        job.paused = new Promise<void>((resolve) => (job.resume = resolve));
        job.view.state = 'paused';
        pauseStretch(job);
        await save(job);
      }
      return snapshot(job);
    },

    /** Goes on with a paused job, or takes over an interrupted one (its process is gone). */
    async resume(office: Office): Promise<MailingJob> {
      const { own, stored } = await current(office);
      if (own?.view.state === 'paused') {
        own.view.state = 'running';
        own.since = clock();
        const resume = own.resume;
        own.paused = null;
        own.resume = null;
        resume?.();
        await save(own);
        return snapshot(own);
      }
      if (own && !TERMINAL.has(own.view.state)) return snapshot(own);
      if (stored?.state !== 'interrupted') throw notRunning();
      const taken = await store.takeOver(stored.id);
      if (!taken) throw notRunning();
      const [sent] = await options.db.query<{ n: number | string }>(
        "SELECT count(*) AS n FROM mailings WHERE job_id = $1 AND status = 'sent'",
        [taken.id],
      );
      const job = launch(office, { ...taken, state: 'running' }, { sent: Number(sent?.n ?? 0) });
      await job.started;
      return snapshot(job);
    },

    /** Takes no more letters; the job ends with the report of what it did (waited for here). */
    async cancel(office: Office): Promise<MailingJob> {
      const { own, stored } = await current(office);
      if (!own && stored?.state === 'interrupted') {
        // An interrupted job is cancelled where it stands: the claims its run left go back to the next run.
        const taken = await store.takeOver(stored.id);
        if (!taken) throw notRunning();
        await settleJobClaims(options.db, taken.period, taken.id, now());
        // What it had left is what the cancel leaves unsent (counted; who they are, a new job finds).
        const over: StoredJob = {
          ...taken,
          state: 'cancelled',
          finishedAt: now().toISOString(),
          left: 0,
          cancelled: taken.left,
          report: taken.report && { ...taken.report, cancelled: taken.left, cancelledLetters: [] },
        };
        await store.save(over);
        return present(over, over.runMs);
      }
      const job = own && !TERMINAL.has(own.view.state) ? own : null;
      if (!job) throw notRunning();
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

    /** The service stopping: every job stops taking letters and is kept as interrupted (resumable). */
    async stopAll(): Promise<void> {
      clearInterval(heartbeat);
      for (const job of jobs.values()) {
        job.stopping = true;
        job.abort.abort();
        job.resume?.();
      }
      await Promise.all([...jobs.values()].map((j) => j.done));
    },
  };
}

export type MailingJobs = ReturnType<typeof createMailingJobs>;
