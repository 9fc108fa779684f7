// The charges breakdown («Расшифровка начислений») and the reconciliation statement («Сверка
// взаиморасчетов», for legal entities an акт сверки): inputs and the data models that the screens
// show and the PDFs print. Money is integer tiyn, volumes integer litres, dates ISO 'YYYY-MM-DD'.
import { z } from 'zod';
import { DATE_RE, PERIOD_RE } from '../domain/period';
import { printedUtilitySchema } from './utility';

const id = z.number().int().positive();
const tiyn = z.number().int();
const litres = z.number().int();
const isoDate = z.string().regex(DATE_RE);
const period = z.string().regex(PERIOD_RE);

export const services = ['water', 'sewer'] as const;
export const serviceSchema = z.enum(services);
export type Service = z.infer<typeof serviceSchema>;

/** Languages a statement PDF is printed in (English when picked; an owner who reads English is mailed Russian). */
export const pdfLanguages = ['ru', 'kk', 'en'] as const;
export const pdfLanguageSchema = z.enum(pdfLanguages);
export type PdfLanguage = z.infer<typeof pdfLanguageSchema>;

export const addressSchema = z.object({
  streetKind: z.string(),
  street: z.string(),
  house: z.string(),
  apartment: z.string().nullable(),
  apartmentPrefix: z.string().nullable(),
});
export type Address = z.infer<typeof addressSchema>;

/** Who the statement is about and who issues it: the header of both documents. */
/** The VAT included in a VAT payer's turnover at one rate (integer tiyn): the same lines on screen and in the PDF. */
export const vatLineSchema = z.object({ percent: z.number().int().positive(), baseTiyn: tiyn, vatTiyn: tiyn });
export type VatLine = z.infer<typeof vatLineSchema>;

export const statementPartiesSchema = z.object({
  utility: printedUtilitySchema,
  account: z.object({
    id,
    number: z.string(),
    kind: z.enum(['individual', 'legal']),
    contractNumber: z.string().nullable(),
    residents: z.number().int().nonnegative(),
    openedOn: isoDate,
    /** the day the account was closed: statements for later periods are refused, earlier ones carry it */
    closedOn: isoDate.nullable(),
  }),
  owner: z.object({
    /** 'Surname First Patronymic' for individuals, the organisation for legal entities */
    name: z.string(),
    /** BIN of a legal entity (printed in the акт сверки); null for individuals, whose IIN is never printed */
    bin: z.string().nullable(),
    /** registered for VAT: the act of reconciliation prints the VAT its turnovers include */
    vatPayer: z.boolean(),
    email: z.string().nullable(),
    language: z.enum(['ru', 'kk', 'en']),
  }),
  address: addressSchema,
});
export type StatementParties = z.infer<typeof statementPartiesSchema>;

// ---------- breakdown ----------

export const breakdownInput = z.object({ accountId: id, period: period.optional() }).strict();
export type BreakdownInput = z.infer<typeof breakdownInput>;

/** One charge line: a whole month, or the part of it one tariff covered when the tariff changed. */
export const breakdownLineSchema = z.object({
  from: isoDate,
  to: isoDate,
  days: z.number().int().positive(),
  basis: z.enum(['meter', 'norm']),
  volumeLitres: litres,
  priceTiynPerM3: tiyn,
  chargedTiyn: tiyn,
});
export type BreakdownLine = z.infer<typeof breakdownLineSchema>;

export const breakdownServiceSchema = z.object({
  service: serviceSchema,
  unit: z.literal('m3'),
  lines: z.array(breakdownLineSchema),
  volumeLitres: litres,
  chargedTiyn: tiyn,
  recalculationTiyn: tiyn,
  /** the period's payments shared among services in proportion to what each charged (they sum exactly) */
  paidTiyn: tiyn,
});
export type BreakdownService = z.infer<typeof breakdownServiceSchema>;

export const meterReadingLineSchema = z.object({
  meterId: id,
  serial: z.string(),
  place: z.string(),
  intDigits: z.number().int(),
  fracDigits: z.number().int(),
  previous: z.object({ litres, readOn: isoDate }).nullable(),
  current: z.object({ litres, readOn: isoDate, kind: z.enum(['normal', 'rollover', 'replacement']) }).nullable(),
  consumptionLitres: litres.nullable(),
});
export type MeterReadingLine = z.infer<typeof meterReadingLineSchema>;

export const breakdownSchema = statementPartiesSchema.extend({
  period,
  from: isoDate,
  to: isoDate,
  services: z.array(breakdownServiceSchema),
  /** the readings the metered volume came from */
  readings: z.array(meterReadingLineSchema),
  /** set when a volume was charged by norm: residents × litres per resident per month */
  norm: z.object({ residents: z.number().int(), litresPerResident: litres, volumeLitres: litres }).nullable(),
  recalculations: z.array(
    z.object({ service: serviceSchema, amountTiyn: tiyn, reason: z.string(), postedOn: isoDate }),
  ),
  payments: z.array(z.object({ paidOn: isoDate, amountTiyn: tiyn, channel: z.string() })),
  totals: z.object({
    openingTiyn: tiyn,
    chargedTiyn: tiyn,
    recalculationTiyn: tiyn,
    paidTiyn: tiyn,
    /** > 0 debt, < 0 prepayment */
    closingTiyn: tiyn,
    toPayTiyn: tiyn,
    /** closing − (opening + charged + recalculations − paid): 0 unless the stored data disagree */
    discrepancyTiyn: tiyn,
    /** a VAT payer's: the VAT its charges and recalculations include, per rate; [] for others */
    vat: z.array(vatLineSchema),
  }),
});
export type Breakdown = z.infer<typeof breakdownSchema>;

// ---------- reconciliation ----------

export const reconciliationInput = z.object({ accountId: id, from: isoDate, to: isoDate }).strict();
export type ReconciliationInput = z.infer<typeof reconciliationInput>;

export const reconciliationEntryKinds = ['charge', 'recalculation', 'payment'] as const;

export const reconciliationEntrySchema = z.object({
  date: isoDate,
  kind: z.enum(reconciliationEntryKinds),
  /** the billing period the entry belongs to */
  period,
  service: serviceSchema.nullable(),
  /** payment channel or recalculation reason; '' for charges */
  note: z.string(),
  /** a payment's number in the utility's records (its id), the document an accountant refers to */
  paymentId: id.nullable(),
  /** charges and recalculations (a recalculation in the customer's favour is negative) */
  debitTiyn: tiyn,
  /** payments */
  creditTiyn: tiyn,
  /** the balance after this entry: > 0 debt, < 0 prepayment */
  balanceTiyn: tiyn,
});
export type ReconciliationEntry = z.infer<typeof reconciliationEntrySchema>;

export const reconciliationSchema = statementPartiesSchema.extend({
  from: isoDate,
  to: isoDate,
  /** true for a legal entity: printed as a formal акт сверки with signature blocks */
  formalAct: z.boolean(),
  openingTiyn: tiyn,
  entries: z.array(reconciliationEntrySchema),
  totals: z.object({
    chargedTiyn: tiyn,
    recalculationTiyn: tiyn,
    debitTiyn: tiyn,
    paidTiyn: tiyn,
    closingTiyn: tiyn,
    /** a VAT payer's: the VAT its debit turnover (charges and recalculations) includes, per rate; [] for others */
    vat: z.array(vatLineSchema),
  }),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;

// ---------- PDFs ----------

export const breakdownPdfInput = breakdownInput.extend({ language: pdfLanguageSchema.optional() }).strict();
export const reconciliationPdfInput = reconciliationInput.extend({ language: pdfLanguageSchema.optional() }).strict();

export const statementPdfSchema = z.object({
  /** suggested name for the save dialog and the mail attachment, e.g. 'Расшифровка_123456_2026-10.pdf' */
  fileName: z.string(),
  mimeType: z.literal('application/pdf'),
  base64: z.string(),
  sizeBytes: z.number().int().positive(),
  language: pdfLanguageSchema,
});
export type StatementPdf = z.infer<typeof statementPdfSchema>;

/**
 * statements.print: the same document as the PDF operations, printed by the shell. The desktop app
 * renders it in the main process and prints it through the system's print dialog ('printed', or
 * 'cancelled' when the operator closed the dialog); a shell without a printer of its own (the web
 * shell) answers 'browser' at once, and the renderer prints the PDF through the browser's dialog.
 */
export const statementPrintInput = z.discriminatedUnion('kind', [
  breakdownPdfInput.extend({ kind: z.literal('breakdown') }).strict(),
  reconciliationPdfInput.extend({ kind: z.literal('reconciliation') }).strict(),
]);
export type StatementPrintInput = z.infer<typeof statementPrintInput>;
export const printStatuses = ['printed', 'cancelled', 'browser'] as const;
export const statementPrintOutput = z.object({ status: z.enum(printStatuses) });
export type StatementPrintOutput = z.infer<typeof statementPrintOutput>;
