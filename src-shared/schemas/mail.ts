import { z } from 'zod';

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
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** set when the message was written as an .eml file because no SMTP server is configured */
  emlFile: z.string().nullable(),
});
export type MailOutboxItem = z.infer<typeof mailOutboxItem>;

export const mailOutboxInput = z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict();
export const mailOutboxOutput = z.object({
  items: z.array(mailOutboxItem),
  counts: z.object({ queued: z.number().int(), sending: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
  smtpConfigured: z.boolean(),
  emlFolder: z.string(),
});

export const mailTestInput = z.object({ to: emailSchema }).strict();
export const mailTestOutput = z.object({ delivered: z.boolean(), message: z.string() });

/** Email a statement PDF to the customer (the owner's address on file, or one typed in). */
export const mailSendInput = z
  .object({
    accountId: z.number().int().positive(),
    document: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('breakdown'), period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }).strict(),
      z.object({ kind: z.literal('reconciliation'), from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
    ]),
    to: emailSchema.optional(),
  })
  .strict();
export const mailSendOutput = z.object({ id: z.number().int(), to: z.string(), attachmentName: z.string(), language: z.string() });
