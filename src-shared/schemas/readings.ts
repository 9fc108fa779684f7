import { z } from 'zod';
import { DATE_RE, PERIOD_RE } from '../domain/period';
import { readingKinds } from '../readings/checks';

const id = z.number().int().positive();
const isoDate = z.string().regex(DATE_RE);

export const verificationStatuses = ['ok', 'dueSoon', 'overdue'] as const;

export const readingValueSchema = z.object({
  litres: z.number().int().nonnegative(),
  readOn: isoDate,
  period: z.string().regex(PERIOD_RE),
  source: z.string(),
  kind: z.enum(readingKinds),
  /** 'applied' = accepted by the central service; the rest are local changes not yet accepted */
  state: z.enum(['applied', 'pending', 'sent', 'rejected']),
  seq: z.number().int().nullable(),
  error: z.string().nullable(),
  /** why the central service refused it (state 'rejected'): its reason code and what the reason needs to be told */
  rejection: z.object({ code: z.string().nullable(), details: z.record(z.string(), z.unknown()).nullable() }).nullable().default(null),
});
export type ReadingValue = z.infer<typeof readingValueSchema>;

export const meterReadingsSchema = z.object({
  meterId: id,
  serial: z.string(),
  place: z.string(),
  installedOn: isoDate,
  verifiedOn: isoDate,
  nextVerificationOn: isoDate,
  verification: z.enum(verificationStatuses),
  format: z.object({ intDigits: z.number().int(), fracDigits: z.number().int() }),
  previous: readingValueSchema.nullable(),
  current: readingValueSchema.nullable(),
  /** earlier values of this period's reading, newest first (a correction keeps them) */
  corrections: z.array(readingValueSchema),
  expectedLitres: z.number().int().nullable(),
  expectedFrom: z.enum(['history', 'norm']).nullable(),
});
export type MeterReadings = z.infer<typeof meterReadingsSchema>;

export const readingsListInput = z.object({ accountId: id }).strict();
export const readingsListOutput = z.object({
  accountId: id,
  period: z.string(),
  today: isoDate,
  residents: z.number().int(),
  thresholds: z.object({ highPercent: z.number().int(), lowPercent: z.number().int(), veryHighFactor: z.number().int() }),
  meters: z.array(meterReadingsSchema),
});
export type ReadingsList = z.infer<typeof readingsListOutput>;

export const readingEntrySchema = z
  .object({
    meterId: id,
    /** exactly as typed: the service parses it with the meter's own format */
    value: z.string().max(40),
    kind: z.enum(readingKinds).default('normal'),
    /** finding code → chosen reason code */
    reasons: z.record(z.string().max(40), z.string().max(40)).default({}),
  })
  .strict();

export const readingsSubmitInput = z
  .object({
    accountId: id,
    readOn: isoDate.optional(),
    entries: z.array(readingEntrySchema).min(1).max(20),
    /** the operator confirmed sending readings for only some of the account's meters */
    partialConfirmed: z.boolean().default(false),
  })
  .strict();
export type ReadingsSubmitInput = z.infer<typeof readingsSubmitInput>;

export const readingsSubmitOutput = z.object({
  accountId: id,
  period: z.string(),
  saved: z.array(z.object({ meterId: id, litres: z.number().int(), consumptionLitres: z.number().int().nullable(), seq: z.number().int() })),
  state: z.literal('pending'),
});
