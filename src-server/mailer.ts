// The central service's outgoing mail (confirmation and reset links, change-of-email notices, the
// monthly breakdown). SMTP from `SMTP_URL` (e.g. smtp://user:pass@relay:587); without it, messages
// are written as .eml files into a folder, so a demo never needs a mail server. The relay is spoken to
// as the desk speaks to its own (src-shared/mail/smtp.ts): the same timeouts, the same TLS rule — a
// relay's own (self-signed) certificate is refused unless `trustRelayCertificate`
// (SMTP_TRUST_RELAY_CERTIFICATE=1) — and a failure read by the one policy: `send` throws a
// MailSendError whose `failure` says whether the relay may have accepted the letter. Connections are
// kept open between letters (one per letter in flight, closed 30 s after their last letter), so the
// monthly mailing does not pay a connect, greeting and EHLO per letter.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import {
  MailSendError,
  openRelayLane,
  relayFromUrl,
  type CreateTransport,
  type RelayLane,
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
  /** its From, when not the mailer's own (the mailing: the utility's name at the mailer's address) */
  from?: { name: string; address: string };
}

/** The sender when MAIL_FROM is not set. */
export const DEFAULT_MAIL_FROM = 'AquaDesk <noreply@aquadesk.local>';

export interface ServerMailer {
  /** the sender of the letters (its domain names their Message-IDs) */
  readonly from: string;
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
  const from = options.from ?? DEFAULT_MAIL_FROM;
  const relay: SmtpRelay | null = options.smtpUrl
    ? relayFromUrl(options.smtpUrl, options.trustRelayCertificate ?? false)
    : null;
  const files = relay ? null : nodemailer.createTransport({ streamTransport: true, buffer: true });
  let counter = 0;
  // Open connections to the relay, each free for the next letter: as many as letters were in flight at once.
  const idle: RelayLane[] = [];
  const lanes = new Set<RelayLane>();
  const openLane = () => {
    const lane = openRelayLane(createTransport, relay!, { reuse: true });
    lanes.add(lane);
    return lane;
  };
  const dropLane = (lane: RelayLane) => {
    lanes.delete(lane);
    lane.close();
  };
  return {
    from,
    async send(mail) {
      const message = {
        from: mail.from ?? from,
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
        const reused = idle.pop();
        const lane = reused ?? openLane();
        let outcome = await lane.send(message);
        if (!outcome.ok) {
          // A failed connection is not reused. A kept one the relay had dropped meanwhile fails before a
          // byte of the letter went out: tried once more on a new connection, as a first letter would be.
          dropLane(lane);
          if (reused && !outcome.failure.possiblyDelivered && outcome.failure.kind === 'connectionLost') {
            const fresh = openLane();
            outcome = await fresh.send(message);
            if (outcome.ok) idle.push(fresh);
            else dropLane(fresh);
          }
          if (!outcome.ok) throw new MailSendError(outcome.failure, outcome.error);
        } else idle.push(lane);
        return;
      }
      const info = (await files!.sendMail(message)) as { message?: Buffer };
      if (options.folder && info.message) {
        mkdirSync(options.folder, { recursive: true });
        writeFileSync(join(options.folder, `${Date.now()}-${process.pid}-${++counter}.eml`), info.message);
      }
    },
    close: () => {
      files?.close();
      for (const lane of lanes) lane.close();
      lanes.clear();
      idle.length = 0;
    },
  };
}
