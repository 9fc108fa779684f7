// The office's month for a supervisor: the debt list of the office's districts (debts.list), and the
// batch actions on its customers — one PDF of their breakdowns or debt notices rendered in a worker
// (debts.batchPdf: start, progress, cancel, then the file in parts) and their letters through the mail
// outbox, each customer's once (debts.batchMail). Money is integer tiyn; the minimum debt is typed as
// money text («10 000,00») and refused with a translated reason when it is not a sum.
import { z } from 'zod';
import { parseTenge } from '../domain/money';
import { PERIOD_RE } from '../domain/period';
import { addressPartsSchema } from './lookup';
import { pdfLanguageSchema } from './statements';
import { text } from './text';

const id = z.number().int().positive();

export const debtSortColumns = ['debt', 'months', 'account', 'owner', 'address', 'lastPayment'] as const;
export type DebtSortColumn = (typeof debtSortColumns)[number];

/** Money as typed: '10 000,00', '10000', '10000.5'; '' means no minimum (every debt). */
const moneyText = text({ max: 30, trim: true })
  .refine((typed) => typed === '' || (parseTenge(typed) ?? -1) >= 0, { params: { i18n: 'debts.minDebt' } })
  .transform((typed) => (typed === '' ? 1 : Math.max(1, parseTenge(typed)!)));

export const debtFilterSchema = z
  .object({
    /** the smallest debt listed, as typed (tiyn once parsed); a debt is always at least 0,01 ₸ */
    minDebt: moneyText.default(1),
    /** at least this many months in arrears (0: any) */
    minMonths: z.number({ message: 'debts.minMonths' }).int().min(0).max(240).default(0),
    districtId: id.nullable().default(null),
    streetId: id.nullable().default(null),
  })
  .strict();
export type DebtFilter = z.output<typeof debtFilterSchema>;

export const DEBTS_MAX_ROWS = 10_000;

export const debtsListInput = debtFilterSchema
  .extend({
    sort: z.enum(debtSortColumns).default('debt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.number().int().min(1).max(DEBTS_MAX_ROWS).default(DEBTS_MAX_ROWS),
  })
  .strict();
export type DebtsListInput = z.output<typeof debtsListInput>;

export const debtRowSchema = z.object({
  accountId: z.number().int(),
  number: z.string(),
  owner: z.string(),
  address: addressPartsSchema,
  districtId: z.number().int(),
  district: z.string(),
  /** > 0: the account's balance now */
  debtTiyn: z.number().int(),
  /** the latest months in a row whose closing balance was a debt */
  months: z.number().int(),
  lastPaymentOn: z.string().nullable(),
  email: z.boolean(),
});
export type DebtRow = z.infer<typeof debtRowSchema>;

export const debtsListOutput = z.object({
  rows: z.array(debtRowSchema),
  /** of every account the filter matches (the rows may be cut at `limit`) */
  totals: z.object({ count: z.number().int(), debtTiyn: z.number().int() }),
  /** the districts this desk's office serves (those it holds accounts of), and their streets */
  districts: z.array(z.object({ id: z.number().int(), name: z.string() })),
  streets: z.array(z.object({ id: z.number().int(), name: z.string(), districtIds: z.array(z.number().int()) })),
  /** the month the arrears are counted to (the latest closed period) */
  period: z.string().regex(PERIOD_RE).nullable(),
});
export type DebtsList = z.infer<typeof debtsListOutput>;

// ---------- batch actions ----------

export const debtDocuments = ['breakdown', 'notice'] as const;
export type DebtDocument = (typeof debtDocuments)[number];
export const DEBTS_MAX_BATCH = 10_000;

/** Whom a batch is for: the accounts picked, or (none picked) every account the filter matches. */
export const debtTargetSchema = z
  .object({
    document: z.enum(debtDocuments),
    accountIds: z.array(id).max(DEBTS_MAX_BATCH).nullable().default(null),
    filter: debtFilterSchema.prefault({}),
    /** the printed language; by default each customer's own */
    language: pdfLanguageSchema.nullable().default(null),
  })
  .strict();
export type DebtTarget = z.output<typeof debtTargetSchema>;

const jobId = z.string().regex(/^[0-9a-f]{32}$/);
export const batchJobStates = ['running', 'done', 'cancelled', 'failed'] as const;
export const batchPdfJobSchema = z.object({
  jobId,
  state: z.enum(batchJobStates),
  total: z.number().int(),
  done: z.number().int(),
  pages: z.number().int(),
  elapsedMs: z.number().int(),
  /** the time left at the pace so far (null until a first customer is done) */
  leftMs: z.number().int().nullable(),
  fileName: z.string(),
  sizeBytes: z.number().int().nullable(),
  /** a failure's reason (`debts.*`), for the screen to translate */
  reason: z.string().nullable(),
  /** accounts left out: no breakdown for the period (opened after it) */
  skipped: z.array(z.string()),
});
export type BatchPdfJob = z.infer<typeof batchPdfJobSchema>;

export const batchPdfInput = z.discriminatedUnion('action', [
  debtTargetSchema.extend({ action: z.literal('start') }).strict(),
  z.object({ action: z.literal('progress'), jobId }).strict(),
  z.object({ action: z.literal('cancel'), jobId }).strict(),
  /** a part of the finished file (base64), read in order: a 5 000-page PDF never crosses in one answer */
  z.object({ action: z.literal('part'), jobId, offset: z.number().int().min(0) }).strict(),
  /** the finished file to the shell's printer ('browser' where the shell has none) */
  z.object({ action: z.literal('print'), jobId }).strict(),
]);
export type BatchPdfInput = z.output<typeof batchPdfInput>;
export const BATCH_PART_BYTES = 4 * 1024 * 1024;
export const batchPdfOutput = batchPdfJobSchema.extend({
  part: z.object({ base64: z.string(), offset: z.number().int(), end: z.boolean() }).optional(),
  printed: z.enum(['printed', 'cancelled', 'browser']).optional(),
});
export type BatchPdfOutput = z.infer<typeof batchPdfOutput>;

/** debts.batchMail: each customer's letter (a debt notice, or the breakdown) through the mail outbox, once per mailing. */
export const batchMailInput = debtTargetSchema;
export const batchMailOutput = z.object({
  /** the claims' name: the letter and the month of the debts, e.g. 'notice:2026-10' */
  mailing: z.string(),
  total: z.number().int(),
  queued: z.number().int(),
  /** had this mailing's letter already (an earlier start, another supervisor's) */
  already: z.number().int(),
  /** no email on file: nothing queued, reported by name */
  noEmail: z.array(z.object({ accountId: z.number().int(), number: z.string(), owner: z.string() })),
  /** no breakdown for the period (opened after it) */
  skipped: z.array(z.string()),
});
export type BatchMailOutput = z.infer<typeof batchMailOutput>;
