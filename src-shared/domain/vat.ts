// VAT (НДС / ҚҚС) included in what a VAT-registered customer was charged, in integer tiyn. Charges are
// stored as the customer pays them, so the VAT is the part rate / (100 + rate) of the amount.
// Kazakhstan's standard rate: 12 % up to 31.12.2025, 16 % from 01.01.2026 (the Tax Code of 2025).
import type { IsoDate } from './period';

export const VAT_RATES: readonly { from: IsoDate; percent: number }[] = [
  { from: '0000-01-01', percent: 12 },
  { from: '2026-01-01', percent: 16 },
];

/** The rate in force on a day, in percent. */
export function vatPercentOn(day: IsoDate): number {
  let percent = VAT_RATES[0]!.percent;
  for (const rate of VAT_RATES) if (rate.from <= day) percent = rate.percent;
  return percent;
}

/** The VAT inside `amountTiyn` at `percent`: amount × p / (100 + p), rounded half away from zero. */
export function vatIncluded(amountTiyn: number, percent: number): number {
  if (!Number.isSafeInteger(amountTiyn) || !Number.isSafeInteger(amountTiyn * percent))
    throw new RangeError(`VAT out of range: ${amountTiyn}`);
  const sign = amountTiyn < 0 ? -1 : 1;
  const scaled = Math.abs(amountTiyn) * percent;
  const divisor = 100 + percent;
  const whole = Math.trunc(scaled / divisor);
  return sign * (whole + ((scaled % divisor) * 2 >= divisor ? 1 : 0));
}

/** VAT of dated amounts, per rate (in the order the rates apply): each amount's VAT summed. */
export function vatByRate(
  amounts: readonly { date: IsoDate; amountTiyn: number }[],
): { percent: number; baseTiyn: number; vatTiyn: number }[] {
  const byRate = new Map<number, { percent: number; baseTiyn: number; vatTiyn: number }>();
  for (const { date, amountTiyn } of amounts) {
    const percent = vatPercentOn(date);
    const line = byRate.get(percent) ?? { percent, baseTiyn: 0, vatTiyn: 0 };
    line.baseTiyn += amountTiyn;
    line.vatTiyn += vatIncluded(amountTiyn, percent);
    byRate.set(percent, line);
  }
  return [...byRate.values()];
}
