// The mailing jobs' rows (migration 15): what a supervisor sees of a job outlives the process that ran
// it. The running process writes its job's state and counts as they change and a heartbeat every few
// seconds (compare-and-set on `owner`: a process whose job was taken over learns it there and stops).
// A job that is running, paused or cancelling but whose heartbeat stopped belongs to a process that is
// gone: it is read as `interrupted`, and can be resumed (taken over) by any process of the service.
import { randomUUID } from 'node:crypto';
import type { MailingJob, MailingJobState } from '../src-shared/schemas/mailing';
import { mailingReportSchema } from '../src-shared/schemas/mailing';
import type { ServerDb } from './db';

/** How often a running job says it is alive, and after how long without it it is interrupted. */
export const JOB_HEARTBEAT_MS = 5_000;
export const JOB_STALE_MS = 30_000;

/** A job as stored: the view without the figures made on reading (rate, time left), plus its running time. */
export type StoredJob = Omit<MailingJob, 'ratePerSecond' | 'secondsLeft'> & { runMs: number };

/** The states a job ends in (an interrupted one can be taken over and go on). */
export const TERMINAL = new Set<MailingJob['state']>(['cancelled', 'done', 'failed', 'interrupted']);

/** What a supervisor sees: the stored job with its rate and time left. */
export function present(v: StoredJob, runMs: number): MailingJob {
  const { runMs: _stored, ...view } = v;
  const finished = v.sent + v.failed;
  const rate = runMs > 0 ? (finished * 1000) / runMs : 0;
  const over = TERMINAL.has(v.state);
  return {
    ...view,
    ratePerSecond: Math.round(rate * 10) / 10,
    secondsLeft: over || rate === 0 ? null : Math.round(v.left / rate),
    left: over && v.state !== 'interrupted' ? 0 : v.left,
  };
}

interface JobRow {
  id: string;
  period: string;
  district_ids: string | null;
  state: MailingJobState;
  started_by: string;
  started_by_name: string | null;
  started_at: string;
  finished_at: string | null;
  total: number | string;
  sent: number | string;
  failed: number | string;
  left_count: number | string;
  already_sent: number | string;
  cancelled: number | string | null;
  run_ms: number | string;
  error: string | null;
  report: string | null;
  owner: string | null;
  heartbeat_at: Date | string | null;
}

const LIVE: readonly MailingJobState[] = ['running', 'paused', 'cancelling'];

export function createMailingJobStore(db: ServerDb, staleMs = JOB_STALE_MS) {
  /** This process, as the owner of the jobs it runs. */
  const me = randomUUID();
  const fromRow = (row: JobRow): StoredJob => {
    const heartbeat = row.heartbeat_at === null ? 0 : new Date(row.heartbeat_at).getTime();
    const gone = LIVE.includes(row.state) && Date.now() - heartbeat > staleMs;
    return {
      id: row.id,
      period: row.period,
      state: gone ? 'interrupted' : row.state,
      districtIds: row.district_ids === null ? null : (JSON.parse(row.district_ids) as number[]),
      startedBy: row.started_by,
      startedByName: row.started_by_name,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      total: Number(row.total),
      sent: Number(row.sent),
      failed: Number(row.failed),
      left: Number(row.left_count),
      alreadySent: Number(row.already_sent),
      cancelled: Number(row.cancelled ?? 0),
      runMs: Number(row.run_ms),
      error: row.error,
      report: row.report === null ? null : mailingReportSchema.parse(JSON.parse(row.report)),
    };
  };
  const values = (job: StoredJob) => [
    job.id,
    job.state,
    job.finishedAt,
    job.total,
    job.sent,
    job.failed,
    job.left,
    job.alreadySent,
    job.cancelled,
    Math.round(job.runMs),
    job.error,
    job.report === null ? null : JSON.stringify(job.report),
    new Date(),
  ];

  return {
    me,
    /** The office's latest job (null: none ever). */
    async latest(officeId: number): Promise<StoredJob | null> {
      const [row] = await db.query<JobRow>(
        'SELECT * FROM mailing_jobs WHERE office_id = $1 ORDER BY created_at DESC LIMIT 1',
        [officeId],
      );
      return row ? fromRow(row) : null;
    },

    async insert(officeId: number, job: StoredJob): Promise<void> {
      await db.query(
        `INSERT INTO mailing_jobs (id, state, finished_at, total, sent, failed, left_count, already_sent, cancelled, run_ms, error, report, heartbeat_at,
                                   office_id, period, district_ids, started_by, started_at, owner, started_by_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
        [
          ...values(job),
          officeId,
          job.period,
          job.districtIds === null ? null : JSON.stringify(job.districtIds),
          job.startedBy,
          job.startedAt,
          me,
          job.startedByName,
        ],
      );
    },

    /** Writes the job as this process sees it, with a heartbeat; false when another process has taken it over. */
    async save(job: StoredJob): Promise<boolean> {
      const rows = await db.query(
        `UPDATE mailing_jobs SET state = $2, finished_at = $3, total = $4, sent = $5, failed = $6, left_count = $7, already_sent = $8,
                cancelled = $9, run_ms = $10, error = $11, report = $12, heartbeat_at = $13
          WHERE id = $1 AND owner = $14 RETURNING id`,
        [...values(job), me],
      );
      return rows.length > 0;
    },

    /**
     * Takes over an interrupted job (compare-and-set on the stale heartbeat, so of two processes one
     * gets it): this process owns it from now on. Null when it is not (or no longer) interrupted.
     */
    async takeOver(id: string): Promise<StoredJob | null> {
      const [row] = await db.query<JobRow>(
        `UPDATE mailing_jobs SET owner = $2, heartbeat_at = $3, state = 'running', finished_at = NULL, error = NULL
          WHERE id = $1 AND (state = 'interrupted' OR (state IN ('running', 'paused', 'cancelling') AND (heartbeat_at IS NULL OR heartbeat_at < $4)))
          RETURNING *`,
        [id, me, new Date(), new Date(Date.now() - staleMs)],
      );
      return row ? fromRow(row) : null;
    },
  };
}

export type MailingJobStore = ReturnType<typeof createMailingJobStore>;
