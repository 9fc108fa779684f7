// The central service's outgoing mail (confirmation and reset links, change-of-email notices, the
// monthly breakdown). SMTP from `SMTP_URL` (e.g. smtp://user:pass@relay:587); without it, messages
// are written as .eml files into a folder, so a demo never needs a mail server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
}

export interface ServerMailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; without it mail goes to `folder` as .eml files. */
  smtpUrl?: string;
  /** Folder for .eml files when there is no SMTP (default: a `mail` folder the caller chooses). */
  folder?: string;
  from?: string;
}

export function createServerMailer(options: MailerOptions): ServerMailer {
  const from = options.from ?? 'AquaDesk <noreply@aquadesk.local>';
  let transport: Transporter;
  let counter = 0;
  if (options.smtpUrl) {
    // Bounded waits, as the desktop's mailer has: an operator's action waits for its letter.
    transport = nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }, { from });
  } else {
    transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  }
  return {
    async send(mail) {
      const message = {
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
      };
      const info = (await transport.sendMail(message)) as { message?: Buffer };
      if (!options.smtpUrl && options.folder && info.message) {
        mkdirSync(options.folder, { recursive: true });
        writeFileSync(join(options.folder, `${Date.now()}-${process.pid}-${++counter}.eml`), info.message);
      }
    },
    close: () => transport.close(),
  };
}
