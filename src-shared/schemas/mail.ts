import { z } from 'zod';
import { mailFailureKinds } from '../mail/policy';

/** A practical address check (what the UI and the service both apply); the SMTP server has the last word. */
export const emailSchema = z.email().max(254);

export const mailStates = ['queued', 'sending', 'sent', 'failed'] as const;

export const mailOutboxItem = z.object({
  id: z.number().int(),
  to: z.string(),
  subject: z.string(),
  attachmentName: z.string().nullable(),
  accountId: z.number().int().nullable(),
  state: z.enum(mailStates),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  /** why the last attempt failed (src-shared/mail/policy.ts), said in words by the screen */
  errorKind: z.enum(mailFailureKinds).nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** set when the message was written as an .eml file because no SMTP server is configured */
  emlFile: z.string().nullable(),
  /** the one Message-ID of this letter, sent with every attempt */
  messageId: z.string().nullable(),
  /** an attempt was interrupted after the relay may have accepted it: «возможен повтор» */
  possibleDuplicate: z.boolean(),
});
export type MailOutboxItem = z.infer<typeof mailOutboxItem>;

export const mailCounts = z.object({
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
});

export const mailOutboxInput = z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict();
export const mailOutboxOutput = z.object({
  items: z.array(mailOutboxItem),
  counts: mailCounts,
  /** the earliest next attempt of a queued letter */
  nextAttemptAt: z.string().nullable(),
  smtpConfigured: z.boolean(),
  emlFolder: z.string(),
});

/** The outbox changed (a letter queued, claimed, sent, failed or put back): «Почта» reads it again. */
export const mailChangedEvent = z.object({ counts: mailCounts, nextAttemptAt: z.string().nullable() });

/** «Отправить снова»: one failed letter (`id`) or every failed one (`all`). */
export const mailResendInput = z.union([
  z.object({ id: z.number().int().positive() }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export const mailResendOutput = z.object({ resent: z.number().int() });

export const mailTestInput = z.object({ to: emailSchema }).strict();
/**
 * The SMTP test's real outcome: `sent` (the relay accepted it), `saved` (no SMTP set: written as an
 * .eml file, `file`), `failed` (with `reason` and the relay's or socket's own `message`).
 */
export const mailTestOutput = z.object({
  outcome: z.enum(['sent', 'saved', 'failed']),
  reason: z.enum(mailFailureKinds).nullable(),
  message: z.string(),
  file: z.string().nullable(),
});

/** Email a statement PDF to the customer (the owner's address on file, or one typed in). */
export const mailSendInput = z
  .object({
    accountId: z.number().int().positive(),
    document: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('breakdown'),
          period: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
            .optional(),
        })
        .strict(),
      z
        .object({
          kind: z.literal('reconciliation'),
          from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        })
        .strict(),
    ]),
    to: emailSchema.optional(),
    /** the PDF language picked on screen: the PDF and the letter (else the owner's language) */
    language: z.enum(['ru', 'kk', 'en']).optional(),
  })
  .strict();
export const mailSendOutput = z.object({
  id: z.number().int(),
  to: z.string(),
  attachmentName: z.string(),
  language: z.string(),
});
