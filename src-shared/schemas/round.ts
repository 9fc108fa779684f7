// Readings from a meter-reading round («обход»): the controller's CSV file (account or meter serial,
// value, date) is checked row by row with every check of a reading (readings.importCheck), the refused
// rows are reported with their reasons, and the accepted ones are saved in one go as readings.submit
// mutations with source 'controller' (readings.importApply), all or nothing.
import { z } from 'zod';
import { DATE_RE } from '../domain/period';
import { text } from './text';

/** The largest file taken (characters) and rows: a round of a district, well below the transports' 1 MiB. */
export const ROUND_MAX_CHARS = 900_000;
export const ROUND_MAX_ROWS = 20_000;
/** Accepted rows the preview lists (the counts are always whole). */
export const ROUND_PREVIEW_ROWS = 300;

export const roundFileInput = z
  .object({
    fileName: text({ max: 200, trim: true }),
    csv: text({ max: ROUND_MAX_CHARS, multiline: true }),
  })
  .strict();
export const roundApplyInput = roundFileInput
  .extend({
    /** the preview's digest of the accepted rows: the apply refuses when the check now gives others */
    digest: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** Why a row is refused: a reading check's code (`reading.*`) or the file's (`round.*`), with what to say. */
export const roundReasonSchema = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type RoundReason = z.infer<typeof roundReasonSchema>;

export const roundAcceptedSchema = z.object({
  line: z.number().int(),
  accountId: z.number().int(),
  accountNumber: z.string(),
  meterId: z.number().int(),
  serial: z.string(),
  /** as the meter shows it (`00123,45`) */
  value: z.string(),
  litres: z.number().int(),
  readOn: z.string().regex(DATE_RE),
  consumptionLitres: z.number().int().nullable(),
  /** accepted, with something to tell the customer (e.g. the meter's verification is overdue) */
  notes: z.array(z.string()),
});
export type RoundAccepted = z.infer<typeof roundAcceptedSchema>;

export const roundRefusedSchema = z.object({
  line: z.number().int(),
  /** the row's cells as the file has them */
  account: z.string(),
  serial: z.string(),
  value: z.string(),
  date: z.string(),
  reasons: z.array(roundReasonSchema).min(1),
});
export type RoundRefused = z.infer<typeof roundRefusedSchema>;

export const roundCheckOutput = z.object({
  fileName: z.string(),
  /** the month the readings are for (the open one) */
  period: z.string(),
  /** what the file was read as */
  delimiter: z.string(),
  header: z.boolean(),
  rows: z.number().int(),
  acceptedCount: z.number().int(),
  /** the first accepted rows, in file order */
  accepted: z.array(roundAcceptedSchema),
  /** every refused row, in file order */
  refused: z.array(roundRefusedSchema),
  /** of the accepted rows: what importApply must find again */
  digest: z.string(),
  /** how long the check took (ms) */
  elapsedMs: z.number().int(),
});
export type RoundCheck = z.infer<typeof roundCheckOutput>;

export const roundApplyOutput = z.object({
  saved: z.number().int(),
  period: z.string(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  state: z.literal('pending'),
});
export type RoundApply = z.infer<typeof roundApplyOutput>;
