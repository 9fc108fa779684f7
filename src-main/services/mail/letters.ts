// A letter of the desk's mail outbox as it leaves: the SMTP relay from the settings, the message
// (with its PDF attachment and Message-ID) for nodemailer, and the .eml bytes written when no SMTP
// server is configured.
import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { messageIdFor } from '../../../src-shared/mail/policy';
import type { CreateTransport, SmtpRelay } from '../../../src-shared/mail/smtp';
import type { Settings } from '../../../src-shared/schemas/settings';
import type { MailRow } from '../../store/repos/mail';

export const createTransport = nodemailer.createTransport as unknown as CreateTransport;

export function relayOf(smtp: NonNullable<Settings['smtp']>): SmtpRelay {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    user: smtp.user,
    password: smtp.password,
    trustRelayCertificate: smtp.trustRelayCertificate,
  };
}

export function messageOf(row: MailRow, from: string | { name: string; address: string }, messageId: string) {
  return {
    from,
    to: row.to_address,
    subject: row.subject,
    text: row.body_text,
    messageId,
    attachments:
      row.attachment && row.attachment_name
        ? [{ filename: row.attachment_name, content: row.attachment, contentType: 'application/pdf' }]
        : [],
  };
}

/** The message as an .eml file's bytes. */
export async function emlOf(message: object): Promise<Buffer> {
  const built = await nodemailer
    .createTransport({ streamTransport: true, buffer: true })
    .sendMail(message as SendMailOptions);
  return built.message as Buffer;
}

export const newMessageId = (sender: string | null | undefined) => messageIdFor(randomUUID(), sender);
