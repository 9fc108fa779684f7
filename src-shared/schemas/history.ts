// accounts.history: an account's story on its card («История»): consumption per meter and in total
// by month with the expected consumption and the norm, charges and payments by month with balances,
// and the payments with their receipt numbers. Money in integer tiyn, volumes in integer litres.
import { z } from 'zod';
import { DATE_RE, PERIOD_RE } from '../domain/period';
import { readingKinds } from '../readings/checks';

const period = z.string().regex(PERIOD_RE);
const isoDate = z.string().regex(DATE_RE);
const litres = z.number().int();

export const HISTORY_MONTHS = 24;

export const accountsHistoryInput = z
  .object({
    accountId: z.number().int().positive(),
    /** months ending with the current one (default 24) */
    months: z.number().int().min(1).max(60).default(HISTORY_MONTHS),
  })
  .strict();

/** One meter's month: the reading the month's consumption comes from, and that consumption. */
export const historyPointSchema = z.object({
  period,
  /** the month's reading (null: none) */
  litres: litres.nonnegative().nullable(),
  readOn: isoDate.nullable(),
  /** operator, web, controller, import (where the reading came from) */
  source: z.string().nullable(),
  kind: z.enum(readingKinds).nullable(),
  /** since the previous reading (null: no reading this month, or no earlier one to count from) */
  consumptionLitres: litres.nullable(),
  /** 'applied': the service holds it; 'pending': this desk's, not yet accepted */
  state: z.enum(['applied', 'pending']).nullable(),
  /** what the readings check expected for this month (the 6-month average before it, else the norm share) */
  expectedLitres: litres.nullable(),
});
export type HistoryPoint = z.infer<typeof historyPointSchema>;

export const historyMeterSchema = z.object({
  meterId: z.number().int(),
  serial: z.string(),
  place: z.string(),
  removedOn: isoDate.nullable(),
  format: z.object({ intDigits: z.number().int(), fracDigits: z.number().int() }),
  points: z.array(historyPointSchema),
});
export type HistoryMeter = z.infer<typeof historyMeterSchema>;

/** One month of the account: consumption, expected and norm, what was billed, charged and paid, balances. */
export const historyMonthSchema = z.object({
  period,
  /** the meters' consumption summed (null: no meter had one) */
  consumptionLitres: litres.nullable(),
  /** the meters' expected consumption summed (null: nothing to expect from) */
  expectedLitres: litres.nullable(),
  /** the water norm × residents for the month (null: no norm) */
  normLitres: litres.nullable(),
  /** the water volume charged, and on what basis (null: no charge) */
  billedLitres: litres.nullable(),
  basis: z.enum(['meter', 'norm', 'mixed']).nullable(),
  openingTiyn: z.number().int().nullable(),
  chargedTiyn: z.number().int(),
  recalculatedTiyn: z.number().int(),
  paidTiyn: z.number().int(),
  closingTiyn: z.number().int().nullable(),
});
export type HistoryMonth = z.infer<typeof historyMonthSchema>;

export const historyPaymentSchema = z.object({
  /** the receipt number: the payment's number in the utility's records (as statements print it) */
  receipt: z.number().int(),
  paidOn: isoDate,
  period,
  amountTiyn: z.number().int(),
  /** kaspi, bank, cash, web */
  channel: z.string(),
});
export type HistoryPayment = z.infer<typeof historyPaymentSchema>;

export const accountsHistoryOutput = z.object({
  accountId: z.number().int(),
  /** the months shown, oldest first (the last one is the current month) */
  periods: z.array(period),
  residents: z.number().int(),
  meters: z.array(historyMeterSchema),
  months: z.array(historyMonthSchema),
  /** newest first */
  payments: z.array(historyPaymentSchema),
});
export type AccountHistory = z.infer<typeof accountsHistoryOutput>;
