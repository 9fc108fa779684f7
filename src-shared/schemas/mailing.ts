// The monthly mailing as a supervised job (issue 19.5): a supervisor starts the month's mailing for
// the office's districts from the desk, the central service runs it, and the desk watches its
// progress, pauses, resumes or cancels it and reads its report. One job per office at a time; the
// letters are still claimed per (period, account), so a CLI run at the same time sends nothing twice.
import { z } from 'zod';
import { PERIOD_RE } from '../domain/period';

// `interrupted`: its process stopped (the service was stopped or killed) before it ended; it can be resumed.
export const mailingJobStates = [
  'running',
  'paused',
  'cancelling',
  'interrupted',
  'cancelled',
  'done',
  'failed',
] as const;
export type MailingJobState = (typeof mailingJobStates)[number];

/** Without a period: the previous month in Almaty (the month whose charges are closed). */
export const mailingStartInput = z.object({ period: z.string().regex(PERIOD_RE, 'period').optional() }).strict();
export const mailingJobInput = z.object({}).strict();

const count = z.number().int().nonnegative();
const problem = z.object({
  accountId: z.number(),
  number: z.string(),
  email: z.string(),
  error: z.string(),
  kind: z.string(),
  messageId: z.string().nullable(),
});

export const mailingReportSchema = z.object({
  period: z.string(),
  subscribed: count,
  sent: count,
  failed: count,
  alreadySent: count,
  inProgress: count,
  waiting: count,
  givenUp: count,
  possibleDuplicates: count,
  /** not taken because the job was cancelled (reports kept before it was counted: 0) */
  cancelled: count.default(0),
  failures: z.array(problem),
  duplicates: z.array(problem),
  /** who of `cancelled` did not get the letter (the first 100) */
  cancelledLetters: z.array(z.object({ accountId: z.number(), number: z.string(), email: z.string() })).default([]),
});
export type MailingReportOutput = z.output<typeof mailingReportSchema>;

export const mailingJobSchema = z.object({
  id: z.string(),
  period: z.string(),
  state: z.enum(mailingJobStates),
  /** the districts of the office it runs for (null: the whole city) */
  districtIds: z.array(z.number()).nullable(),
  /** the login of the operator who started it */
  startedBy: z.string(),
  /** that operator's full name as it was then (null: not known, a job kept before it was recorded) */
  startedByName: z.string().nullable().default(null),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** letters this job is to try (the rest were sent before, or are another run's) */
  total: count,
  sent: count,
  failed: count,
  left: count,
  alreadySent: count,
  /** letters it was to try but did not because it was cancelled (a new job of the month sends them) */
  cancelled: count.default(0),
  /** letters done per second of running time (pauses not counted) */
  ratePerSecond: z.number().nonnegative(),
  /** at that rate; null before the first letter or once it is over */
  secondsLeft: z.number().nonnegative().nullable(),
  /** why it stopped, when it failed */
  error: z.string().nullable(),
  report: mailingReportSchema.nullable(),
});
export type MailingJob = z.output<typeof mailingJobSchema>;

/** The office's job: the one running, or the last one (null: none ever). */
export const mailingStatusOutput = z.object({ job: mailingJobSchema.nullable() });
export type MailingStatus = z.output<typeof mailingStatusOutput>;
