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
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { formatTiyn } from '../src-shared/domain/money';
import { firstDay, lastDay, type Period } from '../src-shared/domain/period';
import { breakdownFileName, monthYear, pdfLabels, pdfLanguageFor, renderBreakdownPdf } from '../src-shared/pdf';
import { requisitesFromUtility, utilityFor, type Requisites } from '../src-shared/schemas/utility';
import { readRequisites } from './utility';
import { breakdownRowsFromStored, buildBreakdown, formatAddress } from '../src-shared/statements';
import {
  classifyMailError,
  interruptedFailure,
  mailFailureWords,
  messageIdFor,
  nextAttemptAt,
  SENDING_LEASE_MS,
  type MailFailure,
  type MailFailureKind,
} from '../src-shared/mail/policy';
import { MailSendError } from '../src-shared/mail/smtp';
import type { Sql, ServerDb } from './db';
import type { OutgoingMail, ServerMailer } from './mailer';
import { startRenderPool, type RenderPool } from './mailing-render';
import { fill, webLanguageOf, webTexts } from './web/texts';
import { readBreakdownsAhead, readStoredBreakdown, waterNormOn } from './mailing-rows';
import { loadMailingFonts, mailingFontsDir, parseMailingPeriod, type Utility } from './mailing-setup';

export { formatMailingReport, parseMailingPeriod, utilityFromFile, type Utility } from './mailing-setup';

export const DEFAULT_MAILING_CONCURRENCY = 4;
const MAX_CONCURRENCY = 16;
const MAX_ERROR_CHARS = 1000;
/** letters whose rows are read in one go */
const READ_AHEAD = 50;
/** fewer letters than this are rendered in the process's own thread (a pool takes a moment to start) */
export const RENDER_POOL_MIN_LETTERS = 50;

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
  failures: MailingProblem[];
  duplicates: MailingProblem[];
}

// ---------- the run ----------

interface Candidate {
  account_id: number;
  email: string | null;
  number: string;
  status: 'sending' | 'sent' | 'failed' | null;
  next_attempt_at: Date | null;
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

const clip = (text: string): string => text.slice(0, MAX_ERROR_CHARS);
/** A failure as the report says it: the policy's words, then what the relay or the socket said. */
const failureText = (failure: MailFailure): string =>
  clip(
    failure.detail && failure.detail !== mailFailureWords[failure.kind]
      ? `${mailFailureWords[failure.kind]}: ${failure.detail}`
      : mailFailureWords[failure.kind],
  );
const failureOf = (error: unknown): MailFailure =>
  error instanceof MailSendError ? error.failure : classifyMailError(error);

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
    failures: [],
    duplicates: [],
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
  /** Where a row this run did not (or could not) claim stands. */
  const classify = (status: Candidate['status'], nextAt: Date | null): 'todo' | 'done' => {
    if (status === 'sent') report.alreadySent++;
    else if (status === 'sending') report.inProgress++;
    else if (status === 'failed' && automatic && nextAt === null) report.givenUp++;
    else if (status === 'failed' && automatic && nextAt !== null && nextAt > now()) report.waiting++;
    else return 'todo';
    return 'done';
  };

  // A run that stopped left its claims: each is an interrupted attempt, settled by the policy.
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

  if (options.jobId && options.takeOver) await settleJobClaims(db, period, options.jobId, now());

  const districts = options.districtIds ? [...options.districtIds] : null;
  const candidates = await db.query<Candidate>(CANDIDATES_SQL, [period, firstDay(period), lastDay(period), districts]);
  report.subscribed = candidates.length;
  const todo = candidates.filter((c) => classify(c.status, c.next_attempt_at) === 'todo');
  const waterNormLitres = await waterNormOn(db, lastDay(period));
  const threads =
    options.renderThreads ?? (todo.length >= RENDER_POOL_MIN_LETTERS ? Math.max(1, availableParallelism() - 1) : 0);
  // Without a pool (none asked, or its threads could not start) the PDFs are drawn here, as before.
  const pool: RenderPool | null =
    threads > 0 && todo.length > 0
      ? await startRenderPool(threads, mailingFontsDir(options.fontsDir)).catch(() => null)
      : null;
  options.onStart?.(todo.length, report);

  async function letterFor(c: Candidate & { email: string }, messageId: string): Promise<OutgoingMail> {
    const base = buildBreakdown(
      breakdownRowsFromStored(
        await readStoredBreakdown(db, c.account_id, period, utilityFor(requisites, 'ru'), waterNormLitres),
      ),
    );
    const language = pdfLanguageFor(base.owner.language);
    const utility = utilityFor(requisites, language);
    const model = { ...base, utility };
    const bytes = pool
      ? await pool.render(model, language, now())
      : renderBreakdownPdf(model, { fonts, language, printedAt: now() });
    const labels = pdfLabels[language];
    const t = webTexts[webLanguageOf(model.owner.language)].mail;
    const values = {
      utility: utility.name,
      account: model.account.number,
      address: formatAddress(model.address, labels.apartment, labels),
      monthYear: monthYear(period, labels),
      toPay: formatTiyn(model.totals.toPayTiyn),
      phone: utility.phone,
    };
    const cabinet = options.publicUrl ? `\n\n${fill(t.breakdownCabinet, { link: options.publicUrl })}` : '';
    return {
      to: c.email,
      subject: fill(t.breakdownSubject, values),
      text: `${fill(t.breakdownBody, values)}${cabinet}\n\n${[utility.signOff ?? '', utility.name].filter((s) => s.trim() !== '').join('\n') || t.signature}`,
      attachments: [{ filename: breakdownFileName(model, language), content: bytes, contentType: 'application/pdf' }],
      messageId,
    };
  }

  async function mailOne(c: Candidate): Promise<void> {
    if (!c.email?.trim())
      return fail(c, {
        kind: 'noAddress',
        permanent: true,
        possiblyDelivered: false,
        detail: 'The subscription has no email address',
      });
    const claimed = await db.query<{ attempts: number; message_id: string; possible_duplicate: boolean }>(CLAIM_SQL, [
      period,
      c.account_id,
      c.email,
      now(),
      messageIdFor(randomUUID(), mailer.from),
      automatic,
      options.jobId ?? null,
    ]);
    const claim = claimed[0];
    if (!claim) {
      // Another run got there first (or finished it) between our first look and the claim.
      const [row] = await db.query<{
        status: Candidate['status'];
        next_attempt_at: Date | null;
        error: string | null;
        error_kind: MailFailureKind | null;
      }>('SELECT status, next_attempt_at, error, error_kind FROM mailings WHERE period = $1 AND account_id = $2', [
        period,
        c.account_id,
      ]);
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
      await mailer.send(await letterFor({ ...c, email: c.email }, claim.message_id));
    } catch (error) {
      failure = failureOf(error);
    }
    if (!failure) {
      await db.query(SENT_SQL, [period, c.account_id, now()]);
      report.sent++;
    } else {
      const next = nextAttemptAt(claim.attempts, failure, now());
      await db.query(FAILED_SQL, [
        period,
        c.account_id,
        clip(failure.detail),
        failure.kind,
        next,
        failure.possiblyDelivered,
        now(),
      ]);
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
      try {
        await mailOne(c);
      } catch (error) {
        fatal ??= error;
        return;
      }
      options.onProgress?.(++done, todo.length, report);
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
  return report;
}
