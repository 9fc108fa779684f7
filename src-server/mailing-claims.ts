// The `mailings` rows a run claims, one per (period, account), under the policy mailing.ts's header
// describes: who is a candidate, the atomic claim, the answer recorded, and the claims a run that
// stopped left behind settled as interrupted attempts. Only SQL and its arguments live here; what to
// do with a claim (render, send, count) is the run's.
import type { IsoDate, Period } from '../src-shared/domain/period';
import {
  interruptedFailure,
  nextAttemptAt,
  SENDING_LEASE_MS,
  type MailFailure,
  type MailFailureKind,
} from '../src-shared/mail/policy';
import type { Sql } from './db';

const MAX_ERROR_CHARS = 1000;

export interface Candidate {
  account_id: number;
  email: string | null;
  number: string;
  status: 'sending' | 'sent' | 'failed' | null;
  next_attempt_at: Date | null;
}

export interface Claim {
  attempts: number;
  message_id: string;
  possible_duplicate: boolean;
}

/** A mailing row another run holds, as read back when our claim got nothing. */
export interface ClaimedRow {
  status: Candidate['status'];
  next_attempt_at: Date | null;
  error: string | null;
  error_kind: MailFailureKind | null;
}

// Subscribed accounts that were open at some time during the period, with the period's mailing row.
const CANDIDATES_SQL = `
  SELECT s.account_id, s.email, a.number, m.status, m.next_attempt_at
    FROM subscriptions s
    JOIN accounts a ON a.id = s.account_id
    LEFT JOIN mailings m ON m.period = $1 AND m.account_id = s.account_id
   WHERE s.subscribed = 1 AND a.opened_on <= $3 AND (a.closed_on IS NULL OR a.closed_on >= $2)
     AND ($4::bigint[] IS NULL OR a.district_id = ANY($4::bigint[]))
   ORDER BY s.account_id`;

// Claims older than the lease: their run stopped between handing the letter over and recording the answer.
const STALE_SQL =
  "SELECT account_id, attempts FROM mailings WHERE period = $1 AND status = 'sending' AND updated_at < $2";
// Settled as an interrupted attempt (compare-and-set: a run that settled and took it again meanwhile keeps it).
const SETTLE_STALE_SQL = `
  UPDATE mailings SET status = 'failed', error = $3, error_kind = 'interrupted', possible_duplicate = true, next_attempt_at = $4, updated_at = $5
   WHERE period = $1 AND account_id = $2 AND status = 'sending' AND updated_at < $6`;

// The claims a dead run of a job left (the job is taken over: its process is gone).
const JOB_STALE_SQL =
  "SELECT account_id, attempts FROM mailings WHERE period = $1 AND status = 'sending' AND job_id = $2";
const SETTLE_JOB_SQL = `
  UPDATE mailings SET status = 'failed', error = $3, error_kind = 'interrupted', possible_duplicate = true, next_attempt_at = $4, updated_at = $5
   WHERE period = $1 AND account_id = $2 AND status = 'sending' AND job_id = $6`;

// The claim: a new row, or a failed one taken back — by the schedule only once its next attempt has
// come. Atomic: a concurrent claimer waits for the row lock and then sees 'sending', so it gets no row
// back. The Message-ID is made at the first claim and kept for every later one.
const CLAIM_SQL = `
  INSERT INTO mailings (period, account_id, email, status, error, attempts, updated_at, message_id, job_id)
  VALUES ($1, $2, $3, 'sending', NULL, 1, $4, $5, $7)
  ON CONFLICT (period, account_id) DO UPDATE
     SET status = 'sending', email = EXCLUDED.email, error = NULL, attempts = mailings.attempts + 1, updated_at = EXCLUDED.updated_at,
         message_id = coalesce(mailings.message_id, EXCLUDED.message_id), job_id = EXCLUDED.job_id
   WHERE mailings.status = 'failed' AND (NOT $6::boolean OR (mailings.next_attempt_at IS NOT NULL AND mailings.next_attempt_at <= $4))
  RETURNING attempts, message_id, possible_duplicate`;

const SENT_SQL =
  "UPDATE mailings SET status = 'sent', error = NULL, error_kind = NULL, next_attempt_at = NULL, updated_at = $3 WHERE period = $1 AND account_id = $2 AND status = 'sending'";
const FAILED_SQL = `
  UPDATE mailings SET status = 'failed', error = $3, error_kind = $4, next_attempt_at = $5, possible_duplicate = possible_duplicate OR $6, updated_at = $7
   WHERE period = $1 AND account_id = $2 AND status = 'sending'`;

/** An error as stored and reported: at most MAX_ERROR_CHARS characters. */
export const clip = (text: string): string => text.slice(0, MAX_ERROR_CHARS);

export const readCandidates = (
  db: Sql,
  period: Period,
  firstDay: IsoDate,
  lastDay: IsoDate,
  districts: number[] | null,
): Promise<Candidate[]> => db.query<Candidate>(CANDIDATES_SQL, [period, firstDay, lastDay, districts]);

/** A run that stopped left its claims: each older than the lease is an interrupted attempt, settled by the policy. */
export async function settleStaleClaims(db: Sql, period: Period, now: () => Date): Promise<void> {
  const staleBefore = new Date(now().getTime() - SENDING_LEASE_MS);
  for (const row of await db.query<{ account_id: number; attempts: number }>(STALE_SQL, [period, staleBefore])) {
    const failure = interruptedFailure('a run stopped while this letter was with the SMTP server; delivery unknown');
    await db.query(SETTLE_STALE_SQL, [
      period,
      row.account_id,
      failure.detail,
      nextAttemptAt(row.attempts, failure, now()),
      now(),
      staleBefore,
    ]);
  }
}

/**
 * The claims a job's dead run left ('sending', its process gone): settled as interrupted attempts, so
 * the next run sends them again with their Message-IDs, as possible duplicates. Returns how many.
 */
export async function settleJobClaims(db: Sql, period: Period, jobId: string, now: Date): Promise<number> {
  const rows = await db.query<{ account_id: number; attempts: number }>(JOB_STALE_SQL, [period, jobId]);
  const failure = interruptedFailure(
    'the service stopped while this letter was with the SMTP server; delivery unknown',
  );
  for (const row of rows)
    await db.query(SETTLE_JOB_SQL, [
      period,
      row.account_id,
      failure.detail,
      nextAttemptAt(row.attempts, failure, now),
      now,
      jobId,
    ]);
  return rows.length;
}

/** Claims the letter of (period, account); undefined when another run holds it or it is not to be tried now. */
export async function claimLetter(
  db: Sql,
  period: Period,
  c: Candidate,
  at: Date,
  messageId: string,
  automatic: boolean,
  jobId: string | null,
): Promise<Claim | undefined> {
  const claimed = await db.query<Claim>(CLAIM_SQL, [period, c.account_id, c.email, at, messageId, automatic, jobId]);
  return claimed[0];
}

/** The row as it stands after a claim that got nothing (another run got there first, or finished it). */
export async function readClaimedRow(db: Sql, period: Period, accountId: number): Promise<ClaimedRow | undefined> {
  const [row] = await db.query<ClaimedRow>(
    'SELECT status, next_attempt_at, error, error_kind FROM mailings WHERE period = $1 AND account_id = $2',
    [period, accountId],
  );
  return row;
}

export async function recordSent(db: Sql, period: Period, accountId: number, at: Date): Promise<void> {
  await db.query(SENT_SQL, [period, accountId, at]);
}

export async function recordFailed(
  db: Sql,
  period: Period,
  accountId: number,
  failure: MailFailure,
  next: Date | null,
  at: Date,
): Promise<void> {
  await db.query(FAILED_SQL, [
    period,
    accountId,
    clip(failure.detail),
    failure.kind,
    next,
    failure.possiblyDelivered,
    at,
  ]);
}
