// A mailing run's report — what it sent, what failed and why, what it found sent, held or waiting —
// and the tally the run keeps it by. The words of a failure are the delivery policy's
// (src-shared/mail/policy.ts), then what the relay or the socket said.
import type { Period } from '../src-shared/domain/period';
import {
  interruptedFailure,
  mailFailureWords,
  type MailFailure,
  type MailFailureKind,
} from '../src-shared/mail/policy';
import { clip, type Candidate } from './mailing-claims';

export interface MailingProblem {
  accountId: number;
  number: string;
  email: string;
  /** the reason in words, then the error as it came */
  error: string;
  kind: MailFailureKind;
  messageId: string | null;
}

export interface MailingReport {
  period: Period;
  /** subscriptions the period's breakdown goes to (accounts open at some time in the period) */
  subscribed: number;
  /** sent by this run */
  sent: number;
  /** not sent by this run (SMTP refused, could not connect, nothing to render); retried as the policy says */
  failed: number;
  /** sent by an earlier run */
  alreadySent: number;
  /** being sent by another run right now */
  inProgress: number;
  /** a run by the schedule: failed earlier, their next attempt is later */
  waiting: number;
  /** a run by the schedule: failed for good (attempts used up, or refused by the relay); a run by hand sends them */
  givenUp: number;
  /**
   * of `sent` and `failed`: letters an attempt of which was interrupted after the relay may have
   * accepted them — sent again with the same Message-ID, the customer may have them twice
   */
  possibleDuplicates: number;
  /**
   * letters this run was to try but did not take because it was stopped (a cancelled job); a later
   * run of the month sends them, each once
   */
  cancelled: number;
  failures: MailingProblem[];
  duplicates: MailingProblem[];
  /** who did not get the letter because of the stop: the first CANCELLED_LISTED of `cancelled` */
  cancelledLetters: MailingRecipient[];
}

/** A customer the report names without a failure (a letter not taken). */
export interface MailingRecipient {
  accountId: number;
  number: string;
  email: string;
}

/** How many of the letters a stop left untaken the report names (the count is whole). */
export const CANCELLED_LISTED = 100;

/** A failure as the report says it: the policy's words, then what the relay or the socket said. */
const failureText = (failure: MailFailure): string =>
  clip(
    failure.detail && failure.detail !== mailFailureWords[failure.kind]
      ? `${mailFailureWords[failure.kind]}: ${failure.detail}`
      : mailFailureWords[failure.kind],
  );

/**
 * A run's report and how it counts: a failed letter, a possible duplicate, and where a row this run
 * did not (or could not) claim stands — 'done' when it is counted as such, 'todo' when it is to be tried.
 * A run by the schedule (`automatic`) leaves letters failed for good, and those whose next attempt is later.
 */
export function mailingTally(period: Period, automatic: boolean, now: () => Date) {
  const report: MailingReport = {
    period,
    subscribed: 0,
    sent: 0,
    failed: 0,
    alreadySent: 0,
    inProgress: 0,
    waiting: 0,
    givenUp: 0,
    possibleDuplicates: 0,
    cancelled: 0,
    failures: [],
    duplicates: [],
    cancelledLetters: [],
  };
  const problem = (c: Candidate, failure: MailFailure, messageId: string | null): MailingProblem => ({
    accountId: c.account_id,
    number: c.number,
    email: c.email ?? '',
    error: failureText(failure),
    kind: failure.kind,
    messageId,
  });
  const fail = (c: Candidate, failure: MailFailure, messageId: string | null = null) => {
    report.failed++;
    report.failures.push(problem(c, failure, messageId));
  };
  const duplicate = (c: Candidate, messageId: string | null) => {
    report.possibleDuplicates++;
    report.duplicates.push(problem(c, interruptedFailure(), messageId));
  };
  const classify = (status: Candidate['status'], nextAt: Date | null): 'todo' | 'done' => {
    if (status === 'sent') report.alreadySent++;
    else if (status === 'sending') report.inProgress++;
    else if (status === 'failed' && automatic && nextAt === null) report.givenUp++;
    else if (status === 'failed' && automatic && nextAt !== null && nextAt > now()) report.waiting++;
    else return 'todo';
    return 'done';
  };
  /** The letters a stopped run did not take. */
  const untaken = (letters: readonly Candidate[]) => {
    report.cancelled += letters.length;
    for (const c of letters.slice(0, Math.max(0, CANCELLED_LISTED - report.cancelledLetters.length)))
      report.cancelledLetters.push({ accountId: c.account_id, number: c.number, email: c.email ?? '' });
  };
  return { report, fail, duplicate, classify, untaken };
}
