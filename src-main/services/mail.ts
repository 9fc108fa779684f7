// Mail: every message goes through the persistent outbox (queued → sending → sent / failed) and is
// delivered by nodemailer over the SMTP server from settings, with retries and backoff, so a down
// SMTP server delays mail and loses none. With no SMTP configured, messages are written as .eml
// files into <data>/mail, a folder the operator can open.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Settings } from '../../src-shared/schemas/settings';
import { createMailRepo, type MailRow, type NewMail } from '../store/repos/mail';
import type { ServiceContext } from './context';
import type { createSettingsService } from './settings';

const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 60 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

function smtpOptions(smtp: NonNullable<Settings['smtp']>): SMTPTransport.Options {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Office SMTP relays often present self-signed certificates on STARTTLS; TLS still encrypts.
    tls: { rejectUnauthorized: false },
  };
}

function messageOf(row: MailRow, from: string) {
  return {
    from,
    to: row.to_address,
    subject: row.subject,
    text: row.body_text,
    attachments:
      row.attachment && row.attachment_name
        ? [{ filename: row.attachment_name, content: row.attachment, contentType: 'application/pdf' }]
        : [],
  };
}

export function createMailService(ctx: ServiceContext, settings: ReturnType<typeof createSettingsService>) {
  const repo = createMailRepo(ctx.db);
  const emlFolder = join(ctx.dataDir, 'mail');
  let draining: Promise<number> | null = null;

  async function deliver(row: MailRow): Promise<string | null> {
    const { smtp, utility } = settings.get().settings;
    if (!smtp) {
      const built = await nodemailer
        .createTransport({ streamTransport: true, buffer: true })
        .sendMail(messageOf(row, `${utility.name} <noreply@localhost>`));
      mkdirSync(emlFolder, { recursive: true });
      const file = join(emlFolder, `${String(row.id).padStart(6, '0')}.eml`);
      writeFileSync(file, built.message as Buffer);
      return file;
    }
    const transport = nodemailer.createTransport(smtpOptions(smtp));
    try {
      await transport.sendMail(messageOf(row, smtp.from));
    } finally {
      transport.close();
    }
    return null;
  }

  /** Sends every message that is due; returns how many were sent. Never runs twice at once. */
  function drain(): Promise<number> {
    if (draining) return draining;
    const run = (async () => {
      let sent = 0;
      for (const row of repo.due(ctx.now().toISOString(), 50)) {
        if (!repo.claim(row.id)) continue;
        const attempts = row.attempts + 1;
        try {
          const emlFile = await deliver(row);
          repo.markSent(row.id, ctx.now().toISOString(), emlFile);
          sent++;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (attempts >= MAX_ATTEMPTS) repo.markFailed(row.id, reason);
          else repo.markRetry(row.id, new Date(ctx.now().getTime() + backoffMs(attempts)).toISOString(), reason);
        }
      }
      return sent;
    })();
    // Cleared after assignment: an async body that never awaits would otherwise finish first.
    draining = run.finally(() => {
      draining = null;
    });
    return draining;
  }

  const queuedListeners = new Set<() => void>();
  return {
    emlFolder,
    enqueue(mail: NewMail): number {
      const id = repo.enqueue(mail, ctx.now().toISOString());
      for (const listener of queuedListeners) listener();
      return id;
    },
    /** The worker listens, so a queued message goes out at once rather than at the next tick. */
    onQueued(listener: () => void): () => void {
      queuedListeners.add(listener);
      return () => queuedListeners.delete(listener);
    },
    drain,
    recoverInterrupted: () => repo.recoverInterrupted(),
    nextDue: () => repo.nextDue(),
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
          createdAt: row.created_at,
          sentAt: row.sent_at,
          emlFile: row.eml_file,
        })),
        counts: repo.counts(),
        smtpConfigured: settings.get().settings.smtp !== null,
        emlFolder,
      };
    },
    /** "Send test message": straight to SMTP (not queued), so the operator sees at once whether settings work. */
    async test(to: string): Promise<{ delivered: boolean; message: string }> {
      const { smtp, utility } = settings.get().settings;
      if (!smtp) return { delivered: false, message: 'SMTP_NOT_CONFIGURED' };
      const transport = nodemailer.createTransport(smtpOptions(smtp));
      try {
        await transport.sendMail({
          from: smtp.from,
          to,
          subject: `${utility.name}: AquaDesk`,
          text: 'AquaDesk test message / Тестовое сообщение AquaDesk',
        });
        return { delivered: true, message: 'OK' };
      } catch (error) {
        return { delivered: false, message: error instanceof Error ? error.message : String(error) };
      } finally {
        transport.close();
      }
    },
  };
}

/** Runs `drain` on a timer (and soon after a new message is queued); stop() ends it. */
export function startMailWorker(
  mail: ReturnType<typeof createMailService>,
  intervalMs = 15_000,
): { kick(): void; stop(): void } {
  mail.recoverInterrupted();
  let stopped = false;
  const tick = () => {
    if (!stopped) void mail.drain().catch(() => undefined);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  const kick = () => void setTimeout(tick, 0).unref();
  const unsubscribe = mail.onQueued(kick);
  return {
    kick,
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
