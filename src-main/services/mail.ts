// Mail: every message goes through the persistent outbox (queued → sending → sent / failed) and is
// delivered by nodemailer over the SMTP server from settings, under the one delivery policy of both
// outboxes (src-shared/mail/policy.ts: 8 attempts with backoff, one Message-ID per letter, an
// interrupted send resent with it and marked as a possible duplicate), so a down SMTP server delays
// mail and loses none. With no SMTP configured, messages are written as .eml files into <data>/mail,
// a folder the operator can open. Every change of the outbox is told to the windows (`mail.changed`).
// Beside it: mail/letters.ts (the relay, the message, the .eml bytes), mail/worker.ts (the timer).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors';
import {
  interruptedFailure,
  mailFailureKinds,
  nextAttemptAt,
  type MailFailure,
  type MailFailureKind,
} from '../../src-shared/mail/policy';
import { letterFrom } from '../../src-shared/mail/sender';
import { sendThroughRelay } from '../../src-shared/mail/smtp';
import { createAuditRepo } from '../store/repos/audit';
import { createMailRepo, type MailRow, type NewMail } from '../store/repos/mail';
import type { CallContext, ServiceContext } from './context';
import { createTransport, emlOf, messageOf, newMessageId, relayOf } from './mail/letters';
import type { createSettingsService } from './settings';

/** The stored reason's kind (rows failed before kinds were kept, or of a kind this version does not know: 'other'). */
const kindOf = (row: MailRow): MailFailureKind | null =>
  row.error_kind && (mailFailureKinds as readonly string[]).includes(row.error_kind)
    ? (row.error_kind as MailFailureKind)
    : row.last_error
      ? 'other'
      : null;

export function createMailService(ctx: ServiceContext, settings: ReturnType<typeof createSettingsService>) {
  const repo = createMailRepo(ctx.db);
  const audit = createAuditRepo(ctx.db);
  const emlFolder = join(ctx.dataDir, 'mail');
  let draining: Promise<number> | null = null;
  const nowIso = () => ctx.now().toISOString();

  /** Tells every window the outbox changed (its screen reads it again). */
  function changed() {
    ctx.events.emit('mail.changed', { counts: repo.counts(), nextAttemptAt: repo.nextDue() });
  }

  type Delivery = { ok: true; emlFile: string | null } | { ok: false; failure: MailFailure };

  async function deliver(row: MailRow, messageId: string): Promise<Delivery> {
    const { smtp, utility } = settings.get().settings;
    if (!smtp) {
      const bytes = await emlOf(messageOf(row, letterFrom(utility.name, 'noreply@localhost'), messageId));
      mkdirSync(emlFolder, { recursive: true });
      const file = join(emlFolder, `${String(row.id).padStart(6, '0')}.eml`);
      writeFileSync(file, bytes);
      return { ok: true, emlFile: file };
    }
    const outcome = await sendThroughRelay(createTransport, relayOf(smtp), messageOf(row, smtp.from, messageId));
    return outcome.ok ? { ok: true, emlFile: null } : outcome;
  }

  /** A failed or interrupted attempt, settled by the policy: queued for later, or failed for good. */
  function settleFailure(row: Pick<MailRow, 'id' | 'attempts'>, failure: MailFailure) {
    const next = nextAttemptAt(row.attempts, failure, ctx.now());
    if (next) repo.markRetry(row.id, next.toISOString(), failure.detail, failure.kind, failure.possiblyDelivered);
    else repo.markFailed(row.id, failure.detail, failure.kind, failure.possiblyDelivered);
  }

  let again = false;
  /**
   * Sends every message that is due; returns how many were sent. Never runs twice at once: a call
   * while it runs (a letter queued meanwhile) makes it look once more before it ends.
   */
  function drain(): Promise<number> {
    if (draining) {
      again = true;
      return draining;
    }
    const run = (async () => {
      let sent = 0;
      do {
        again = false;
        sent += await drainOnce();
      } while (again);
      return sent;
    })();
    // Cleared after assignment: an async body that never awaits would otherwise finish first.
    draining = run.finally(() => {
      draining = null;
    });
    return draining;
  }

  async function drainOnce(): Promise<number> {
    let sent = 0;
    for (const due of repo.due(nowIso(), 50)) {
      const row = repo.claim(due.id, nowIso(), newMessageId(settings.get().settings.smtp?.from));
      if (!row) continue;
      changed();
      let delivery: Delivery;
      try {
        delivery = await deliver(row, row.message_id!);
      } catch (error) {
        // Not the relay's doing (the .eml folder, a broken row): a failure like any other.
        delivery = {
          ok: false,
          failure: {
            kind: 'other',
            permanent: false,
            possiblyDelivered: false,
            detail: error instanceof Error ? error.message : String(error),
          },
        };
      }
      if (delivery.ok) {
        repo.markSent(row.id, nowIso(), delivery.emlFile);
        sent++;
      } else settleFailure(row, delivery.failure);
      changed();
    }
    return sent;
  }

  /**
   * At start: letters left 'sending' were being sent by this folder's previous process when it
   * stopped. The relay may have accepted them, so each is an interrupted attempt: resent under the
   * policy with its Message-ID and marked as a possible duplicate.
   */
  function recoverInterrupted(): number {
    const rows = repo.sending();
    for (const row of rows)
      settleFailure(
        row,
        interruptedFailure('AquaDesk stopped while this letter was with the SMTP server; delivery unknown'),
      );
    if (rows.length) changed();
    return rows.length;
  }

  const queuedListeners = new Set<() => void>();
  const kickWorker = () => {
    for (const listener of queuedListeners) listener();
  };
  return {
    emlFolder,
    enqueue(mail: NewMail): number {
      const id = repo.enqueue(mail, nowIso(), newMessageId(settings.get().settings.smtp?.from));
      changed();
      kickWorker();
      return id;
    },
    /** The worker listens, so a queued message goes out at once rather than at the next tick. */
    onQueued(listener: () => void): () => void {
      queuedListeners.add(listener);
      return () => queuedListeners.delete(listener);
    },
    drain,
    recoverInterrupted,
    nextDue: () => repo.nextDue(),
    /** «Отправить снова»: a failed letter (or every one), or one waiting for its next attempt, is due now, with its Message-ID. */
    resend(id: number | null, call: CallContext): { resent: number } {
      const resent = ctx.db.transaction(() => {
        const n = repo.resend(id, nowIso());
        if (id !== null && n === 0)
          throw new AppError('CONFLICT', 'Only a letter that failed can be sent again', {
            id,
            reason: 'mail.notFailed',
          });
        audit.record({
          at: nowIso(),
          operatorId: call.operatorId,
          accountId: null,
          operation: 'mail.resend',
          result: 'ok',
          details: id === null ? { letters: n } : { mailId: id },
        });
        return n;
      })();
      if (resent) {
        changed();
        kickWorker();
      }
      return { resent };
    },
    outbox(limit: number) {
      return {
        items: repo.latest(limit).map((row) => ({
          id: row.id,
          to: row.to_address,
          subject: row.subject,
          attachmentName: row.attachment_name,
          accountId: row.account_id,
          state: row.state,
          attempts: row.attempts,
          nextAttemptAt: row.next_attempt_at,
          lastError: row.last_error,
          errorKind: kindOf(row),
          createdAt: row.created_at,
          sentAt: row.sent_at,
          emlFile: row.eml_file,
          messageId: row.message_id,
          possibleDuplicate: row.possible_duplicate === 1,
        })),
        counts: repo.counts(),
        nextAttemptAt: repo.nextDue(),
        smtpConfigured: settings.get().settings.smtp !== null,
        emlFolder,
      };
    },
    /**
     * «Отправить проверочное письмо»: straight to SMTP (not queued), so the operator sees at once
     * whether the settings work, and what went wrong when they do not. With no SMTP set, the letter is
     * written as an .eml file into the mail folder, as the button says.
     */
    async test(to: string): Promise<{
      outcome: 'sent' | 'saved' | 'failed';
      reason: MailFailureKind | null;
      message: string;
      file: string | null;
    }> {
      const { smtp, utility } = settings.get().settings;
      const letter = {
        to,
        subject: `${utility.name}: AquaDesk`,
        text: 'AquaDesk test message / Тестовое сообщение AquaDesk / AquaDesk сынақ хаты',
        messageId: newMessageId(smtp?.from),
      };
      if (!smtp) {
        const bytes = await emlOf({ ...letter, from: letterFrom(utility.name, 'noreply@localhost') });
        mkdirSync(emlFolder, { recursive: true });
        const file = join(
          emlFolder,
          `test-${nowIso().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomUUID().slice(0, 8)}.eml`,
        );
        writeFileSync(file, bytes);
        return { outcome: 'saved', reason: null, message: 'SMTP_NOT_CONFIGURED', file };
      }
      const outcome = await sendThroughRelay(createTransport, relayOf(smtp), { ...letter, from: smtp.from });
      if (outcome.ok) return { outcome: 'sent', reason: null, message: 'OK', file: null };
      return { outcome: 'failed', reason: outcome.failure.kind, message: outcome.failure.detail, file: null };
    },
  };
}
