// The monthly mailing: every subscribed customer gets the charges breakdown of a finished month as a
// PDF attached to a letter in the owner's language (Kazakh owners get Kazakh, everyone else Russian —
// the same rule as the desktop's PDFs). The rows are read from PostgreSQL by the very queries the
// desktop runs on SQLite (mailing-rows.ts, src-shared/statements/sql.ts), built and rendered by
// src-shared, so the page a customer receives is the page an operator prints.
//
// Once per period, under the one delivery policy of both outboxes (src-shared/mail/policy.ts): the
// `mailings` row of (period, account) is the claim, and carries the letter's one Message-ID.
//   - no row / 'failed'  → claimed by one atomic INSERT … ON CONFLICT DO UPDATE … WHERE status = 'failed'
//                          (row locked by PostgreSQL, so of two processes exactly one gets it), then
//                          rendered and sent with its Message-ID (made at the first claim); 'sent' once
//                          SMTP accepted the message, 'failed' with the error when it did not, and the
//                          policy's next attempt (NULL: failed for good — 8 attempts, or refused by
//                          the relay with a 5xx). A run by the schedule (`automatic`) takes a failed
//                          row only when that time has come; a run by hand takes every failed row;
//   - 'sent'             → never sent again (a rerun reports it as already sent);
//   - 'sending'          → another run is sending it right now, or a run died between handing the
//                          message to SMTP and recording the answer. A claim older than the policy's
//                          lease (SENDING_LEASE_MS) is such an interrupted attempt: the relay may have
//                          accepted the letter. It is settled as a failed attempt marked
//                          `possible_duplicate`, and so sent again — with the same Message-ID, so the
//                          receiving side can tell it is the same letter — as the desk's outbox does.
//                          A connection that dies after the whole message went out, before the
//                          relay's reply, is the same case, seen at once.
// Rendering is CPU work done in this process one PDF at a time; at most `concurrency` messages are in
// flight to SMTP, so memory stays bounded whatever the number of subscribers.
// This file is the run; the claims' SQL is mailing-claims.ts, a customer's letter mailing-letter.ts, the
// report and its tally mailing-report.ts, the rows mailing-rows.ts, the month and fonts mailing-setup.ts.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { firstDay, lastDay } from '../src-shared/domain/period';
import { requisitesFromUtility, type Requisites } from '../src-shared/schemas/utility';
import { readRequisites } from './utility';
import { classifyMailError, messageIdFor, nextAttemptAt, type MailFailure } from '../src-shared/mail/policy';
import { MailSendError } from '../src-shared/mail/smtp';
import type { ServerDb } from './db';
import type { ServerMailer } from './mailer';
import {
  claimLetter,
  readCandidates,
  readClaimedRow,
  recordFailed,
  recordSent,
  settleJobClaims,
  settleStaleClaims,
  type Candidate,
} from './mailing-claims';
import { composeLetter, type LetterContext } from './mailing-letter';
import { mailingTally, type MailingReport } from './mailing-report';
import { startRenderPool, type RenderPool } from './mailing-render';
import { readBreakdownsAhead, waterNormOn } from './mailing-rows';
import { loadMailingFonts, mailingFontsDir, parseMailingPeriod, type Utility } from './mailing-setup';

export { formatMailingReport, parseMailingPeriod, utilityFromFile, type Utility } from './mailing-setup';
export { settleJobClaims } from './mailing-claims';
export type { MailingProblem, MailingReport } from './mailing-report';

export const DEFAULT_MAILING_CONCURRENCY = 4;
const MAX_CONCURRENCY = 16;
/** letters whose rows are read in one go */
const READ_AHEAD = 50;
/** fewer letters than this are rendered in the process's own thread (a pool takes a moment to start) */
export const RENDER_POOL_MIN_LETTERS = 50;

/** Waits `ms`, or less when the run is stopped meanwhile. */
function pace(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface MailingOptions {
  /** 'YYYY-MM', a month that is over (in Asia/Almaty) */
  period: string;
  now?: () => Date;
  /** the requisites printed until an administrator sets them on the service (AQUADESK_UTILITY; default: the built-in ones) */
  utility?: Utility | Requisites;
  /** folder with the subset PDF fonts (default: AQUADESK_FONTS_DIR or resources/fonts) */
  fontsDir?: string;
  /** messages in flight to SMTP at once (default 4) */
  concurrency?: number;
  /**
   * Each worker sends no faster than one letter per this many ms (default 0: as fast as it can), for a
   * relay that limits its rate (MAILING_MIN_LETTER_MS on the service) — and for tests that watch a run.
   */
  minLetterMs?: number;
  /** the customer pages, linked from the letter when given */
  publicUrl?: string;
  /**
   * A run by the schedule: a failed letter is tried only when the policy's next attempt has come
   * (not one failed for good). Otherwise (a person's run, the default) every failed letter is tried now.
   */
  automatic?: boolean;
  /** after each letter: how many of this run's letters are done, of how many, and the report so far */
  onProgress?: (done: number, total: number, report: Readonly<MailingReport>) => void;
  /** stops taking new letters (those already handed to the relay finish and are recorded) */
  signal?: AbortSignal;
  /** only accounts of these districts (an office's scope); absent or null: the whole city */
  districtIds?: readonly number[] | null;
  /** awaited before each next letter is taken: a paused job holds it (letters in flight finish) */
  gate?: () => Promise<void>;
  /** called once the letters to try are known (before the first is taken) */
  onStart?: (total: number, report: Readonly<MailingReport>) => void;
  /**
   * worker threads that render the PDFs while this thread reads rows and talks to the relay (default:
   * the cores but one, at least one, when there are RENDER_POOL_MIN_LETTERS letters or more; else 0, in this thread)
   */
  renderThreads?: number;
  /** the supervised job this run is (its claims carry it: mailings.job_id) */
  jobId?: string;
  /**
   * the job's earlier run died (the service stopped or was killed): its claims still 'sending' are
   * settled as interrupted attempts first, so they are sent again now (same Message-ID), not after the lease
   */
  takeOver?: boolean;
}

const failureOf = (error: unknown): MailFailure =>
  error instanceof MailSendError ? error.failure : classifyMailError(error);

/** Sends the breakdown of `period` to every subscribed customer who has not received it yet. */
export async function runMonthlyMailing(
  db: ServerDb,
  mailer: ServerMailer,
  options: MailingOptions,
): Promise<MailingReport> {
  const now = options.now ?? (() => new Date());
  const period = parseMailingPeriod(options.period, now());
  // One set of requisites for the whole run: the service's (src-server/utility.ts), else what it was started with.
  const { requisites } = await readRequisites(
    db,
    options.utility
      ? 'words' in options.utility
        ? options.utility
        : requisitesFromUtility(options.utility)
      : undefined,
  );
  const fonts = loadMailingFonts(options.fontsDir);
  const concurrency = Math.min(
    MAX_CONCURRENCY,
    Math.max(1, Math.trunc(options.concurrency ?? DEFAULT_MAILING_CONCURRENCY)),
  );
  const automatic = options.automatic ?? false;
  const { report, fail, duplicate, classify, untaken } = mailingTally(period, automatic, now);

  // A run that stopped left its claims: each is an interrupted attempt, settled by the policy.
  await settleStaleClaims(db, period, now);
  if (options.jobId && options.takeOver) await settleJobClaims(db, period, options.jobId, now());

  const districts = options.districtIds ? [...options.districtIds] : null;
  const candidates = await readCandidates(db, period, firstDay(period), lastDay(period), districts);
  report.subscribed = candidates.length;
  const todo = candidates.filter((c) => classify(c.status, c.next_attempt_at) === 'todo');
  // Known now: a job shows its total and what is left before the PDF workers have started.
  options.onStart?.(todo.length, report);
  const waterNormLitres = await waterNormOn(db, lastDay(period));
  const threads =
    options.renderThreads ?? (todo.length >= RENDER_POOL_MIN_LETTERS ? Math.max(1, availableParallelism() - 1) : 0);
  // Without a pool (none asked, or its threads could not start) the PDFs are drawn here, as before.
  const pool: RenderPool | null =
    threads > 0 && todo.length > 0
      ? await startRenderPool(threads, mailingFontsDir(options.fontsDir)).catch(() => null)
      : null;
  const letters: LetterContext = {
    db,
    period,
    requisites,
    waterNormLitres,
    pool,
    fonts,
    now,
    publicUrl: options.publicUrl,
    sender: mailer.from,
  };

  async function mailOne(c: Candidate): Promise<void> {
    if (!c.email?.trim())
      return fail(c, {
        kind: 'noAddress',
        permanent: true,
        possiblyDelivered: false,
        detail: 'The subscription has no email address',
      });
    const claim = await claimLetter(
      db,
      period,
      c,
      now(),
      messageIdFor(randomUUID(), mailer.from),
      automatic,
      options.jobId ?? null,
    );
    if (!claim) {
      // Another run got there first (or finished it) between our first look and the claim.
      const row = await readClaimedRow(db, period, c.account_id);
      if (row?.status === 'failed' && classify(row.status, row.next_attempt_at) === 'done') return;
      if (row?.status === 'failed')
        return fail(c, {
          kind: row.error_kind ?? 'other',
          permanent: false,
          possiblyDelivered: false,
          detail: row.error ?? 'failed in another run',
        });
      // Still claimable by our rules means another run has just taken it: it is in that run's hands.
      if (classify(row?.status ?? 'sending', null) === 'todo') report.inProgress++;
      return;
    }
    let failure: MailFailure | null = null;
    try {
      await mailer.send(await composeLetter(letters, { ...c, email: c.email }, claim.message_id));
    } catch (error) {
      failure = failureOf(error);
    }
    if (!failure) {
      await recordSent(db, period, c.account_id, now());
      report.sent++;
    } else {
      const next = nextAttemptAt(claim.attempts, failure, now());
      await recordFailed(db, period, c.account_id, failure, next, now());
      fail(c, failure, claim.message_id);
    }
    if (claim.possible_duplicate || failure?.possiblyDelivered) duplicate(c, claim.message_id);
  }

  // A small pool: each worker takes the next account; a database error stops the run (what is
  // claimed but unrecorded stays 'sending' and is settled as interrupted once its lease is over).
  let next = 0;
  let done = 0;
  let fatal: unknown;
  const worker = async () => {
    while (fatal === undefined && next < todo.length && !options.signal?.aborted) {
      if (options.gate) {
        await options.gate();
        if (fatal !== undefined || next >= todo.length || options.signal?.aborted) return;
      }
      if (next % READ_AHEAD === 0)
        forgetReadAhead.push(
          readBreakdownsAhead(
            db,
            todo.slice(next, next + READ_AHEAD).map((t) => t.account_id),
            period,
          ),
        );
      const c = todo[next++]!;
      const began = Date.now();
      try {
        await mailOne(c);
      } catch (error) {
        fatal ??= error;
        return;
      }
      options.onProgress?.(++done, todo.length, report);
      const wait = (options.minLetterMs ?? 0) - (Date.now() - began);
      if (wait > 0 && next < todo.length) await pace(wait, options.signal);
    }
  };
  const forgetReadAhead: (() => void)[] = [];
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  } finally {
    for (const forget of forgetReadAhead) forget();
    await pool?.close();
  }
  if (fatal !== undefined) throw fatal;
  // Stopped (a cancel, a stopping service): the letters not taken are the report's, not silently left out.
  if (options.signal?.aborted) untaken(todo.slice(next));
  return report;
}
