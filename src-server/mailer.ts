// The central service's outgoing mail (confirmation and reset links, change-of-email notices, the
// monthly breakdown). SMTP from `SMTP_URL` (e.g. smtp://user:pass@relay:587); without it, messages
// are written as .eml files into a folder, so a demo never needs a mail server. The relay is spoken to
// as the desk speaks to its own (src-shared/mail/smtp.ts): the same timeouts, the same TLS rule — a
// relay's own (self-signed) certificate is refused unless `trustRelayCertificate`
// (SMTP_TRUST_RELAY_CERTIFICATE=1) — and a failure read by the one policy: `send` throws a
// MailSendError whose `failure` says whether the relay may have accepted the letter.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import {
  MailSendError,
  relayFromUrl,
  sendThroughRelay,
  type CreateTransport,
  type SmtpRelay,
} from '../src-shared/mail/smtp';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
  /** the letter's one Message-ID (the mailing keeps it per letter and sends it with every attempt) */
  messageId?: string;
}

export interface ServerMailer {
  /** the sender of the letters (its domain names their Message-IDs) */
  readonly from?: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; without it mail goes to `folder` as .eml files. */
  smtpUrl?: string;
  /** Folder for .eml files when there is no SMTP (default: a `mail` folder the caller chooses). */
  folder?: string;
  from?: string;
  /** accept the relay's own certificate unchecked (off by default, as on the desk) */
  trustRelayCertificate?: boolean;
}

/** SMTP_TRUST_RELAY_CERTIFICATE: 1/true/yes turns it on; unset, empty, 0/false/no leave it off. */
export function parseTrustRelayCertificate(value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'no') return false;
  if (v === '1' || v === 'true' || v === 'yes') return true;
  throw new Error('SMTP_TRUST_RELAY_CERTIFICATE must be 1 or 0');
}

const createTransport = nodemailer.createTransport as unknown as CreateTransport;

export function createServerMailer(options: MailerOptions): ServerMailer {
  const from = options.from ?? 'AquaDesk <noreply@aquadesk.local>';
  const relay: SmtpRelay | null = options.smtpUrl
    ? relayFromUrl(options.smtpUrl, options.trustRelayCertificate ?? false)
    : null;
  const files = relay ? null : nodemailer.createTransport({ streamTransport: true, buffer: true });
  let counter = 0;
  return {
    from,
    async send(mail) {
      const message = {
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        attachments: mail.attachments?.map((a) => ({
          filename: a.filename,
          content: Buffer.from(a.content),
          contentType: a.contentType,
        })),
      };
      if (relay) {
        const outcome = await sendThroughRelay(createTransport, relay, message);
        if (!outcome.ok) throw new MailSendError(outcome.failure, outcome.error);
        return;
      }
      const info = (await files!.sendMail(message)) as { message?: Buffer };
      if (options.folder && info.message) {
        mkdirSync(options.folder, { recursive: true });
        writeFileSync(join(options.folder, `${Date.now()}-${process.pid}-${++counter}.eml`), info.message);
      }
    },
    close: () => files?.close(),
  };
}
