import { z } from 'zod';
import { DATE_RE, PERIOD_RE } from '../domain/period';
import { readingKinds } from '../readings/checks';
import { text } from './text';

const id = z.number().int().positive();
const isoDate = z.string().regex(DATE_RE);

export const verificationStatuses = ['ok', 'dueSoon', 'overdue'] as const;
export const readingStatuses = ['accepted', 'held', 'refused'] as const;
export type ReadingStatus = (typeof readingStatuses)[number];

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
  rejection: z
    .object({ code: z.string().nullable(), details: z.record(z.string(), z.unknown()).nullable() })
    .nullable()
    .default(null),
  /** 'held': waits for a supervisor and is not billed; 'refused': a supervisor refused it */
  status: z.enum(readingStatuses).default('accepted'),
  /** the service's id of the row (null for a change not yet accepted) */
  readingId: z.number().int().nullable().default(null),
  /** a supervisor's decision on it, when it was held */
  review: z.object({ by: z.string().nullable(), at: z.string(), note: z.string() }).nullable().default(null),
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
  /** for an average: over how many months */
  expectedMonths: z.number().int().nullable(),
  /** the meter's reading at installation (its first reading counts from it) */
  installLitres: z.number().int().nonnegative(),
  /** a replacement of this meter is saved here and waits for the central service */
  replacing: z
    .object({ newSerial: z.string(), readOn: isoDate, state: z.enum(['pending', 'sent', 'rejected']) })
    .nullable(),
});
export type MeterReadings = z.infer<typeof meterReadingsSchema>;

export const readingsListInput = z.object({ accountId: id }).strict();
export const readingsListOutput = z.object({
  accountId: id,
  period: z.string(),
  today: isoDate,
  residents: z.number().int(),
  thresholds: z.object({
    highPercent: z.number().int(),
    lowPercent: z.number().int(),
    veryHighFactor: z.number().int(),
  }),
  meters: z.array(meterReadingsSchema),
});
export type ReadingsList = z.infer<typeof readingsListOutput>;

export const readingEntrySchema = z
  .object({
    meterId: id,
    /** exactly as typed: the service parses it with the meter's own format */
    value: z.string().max(40),
    kind: z.enum(readingKinds).default('normal'),
    /** finding code → chosen reason code (only for findings the reading really has) */
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
  saved: z.array(
    z.object({
      meterId: id,
      litres: z.number().int(),
      consumptionLitres: z.number().int().nullable(),
      seq: z.number().int(),
      held: z.boolean(),
    }),
  ),
  state: z.literal('pending'),
});

/** A meter's readings as its history shows them: every version, corrections and what they replaced. */
export const readingsHistoryInput = z.object({ accountId: id, meterId: id }).strict();
export const readingHistoryEntrySchema = z.object({
  litres: z.number().int().nonnegative(),
  readOn: isoDate,
  period: z.string().regex(PERIOD_RE),
  kind: z.enum(readingKinds),
  /** operator (at a desk), web (the customer's account), controller, import */
  source: z.string(),
  operator: z.string().nullable(),
  reasons: z.record(z.string(), z.string()).nullable(),
  /** entered at this desk, at another one, or not at a desk */
  desk: z.enum(['this', 'other']).nullable(),
  enteredAt: z.string().nullable(),
  /** replaced by a later correction (kept, never overwritten) */
  superseded: z.boolean(),
  status: z.enum(readingStatuses),
  review: z.object({ by: z.string().nullable(), at: z.string(), note: z.string() }).nullable(),
  /** 'applied': the central service holds it; the rest are this desk's changes not yet accepted */
  state: z.enum(['applied', 'pending', 'sent', 'rejected']),
});
export const readingsHistoryOutput = z.object({
  meterId: id,
  serial: z.string(),
  format: z.object({ intDigits: z.number().int(), fracDigits: z.number().int() }),
  entries: z.array(readingHistoryEntrySchema),
});
export type ReadingHistoryEntry = z.infer<typeof readingHistoryEntrySchema>;

/** A meter replaced: the old one's final reading, the new one's serial, digits and reading at installation. */
export const metersReplaceInput = z
  .object({
    accountId: id,
    meterId: id,
    /** the old meter's last reading, as typed (in its own format) */
    finalValue: z.string().max(40),
    /** the new meter's reading at installation, as typed (in its format) */
    installValue: z.string().max(40),
    newSerial: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-zА-Яа-я-]{4,20}$/, 'serial'),
    intDigits: z.number().int().min(4).max(8),
    fracDigits: z.number().int().min(0).max(3),
    readOn: isoDate.optional(),
  })
  .strict();
export const metersReplaceOutput = z.object({
  accountId: id,
  meterId: id,
  seq: z.number().int(),
  state: z.literal('pending'),
});

/** The supervisor's queue: readings held for a supervisor, oldest first. */
export const readingsHeldInput = z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict();
export const heldReadingSchema = z.object({
  readingId: id,
  accountId: id,
  accountNumber: z.string(),
  owner: z.string(),
  address: z.string(),
  meterId: id,
  serial: z.string(),
  format: z.object({ intDigits: z.number().int(), fracDigits: z.number().int() }),
  litres: z.number().int(),
  previousLitres: z.number().int().nullable(),
  readOn: isoDate,
  period: z.string(),
  kind: z.enum(readingKinds),
  operator: z.string().nullable(),
  enteredAt: z.string().nullable(),
  reasons: z.record(z.string(), z.string()).nullable(),
});
export type HeldReading = z.infer<typeof heldReadingSchema>;
export const readingsHeldOutput = z.object({ readings: z.array(heldReadingSchema), total: z.number().int() });

/** A supervisor's decision on a held reading (the note is required: it is the audit's why). */
export const readingsReviewInput = z
  .object({
    accountId: id,
    readingId: id,
    decision: z.enum(['release', 'correct', 'refuse']),
    note: text({ max: 500, min: 1, multiline: true, trim: true }),
    /** a correction's value as typed, in the meter's format */
    value: text({ max: 40 }).optional(),
    readOn: isoDate.optional(),
  })
  .strict();
export type ReadingsReviewInput = z.infer<typeof readingsReviewInput>;
export const readingsReviewOutput = z.object({
  accountId: id,
  readingId: id,
  seq: z.number().int(),
  state: z.literal('pending'),
});
