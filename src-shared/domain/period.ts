// Billing periods ('YYYY-MM') and dates ('YYYY-MM-DD'), in the utility's zone Asia/Almaty (UTC+5,
// no daylight saving), so a period boundary is the same instant on every PC.

export const ALMATY_OFFSET_MINUTES = 5 * 60;

export type Period = string; // 'YYYY-MM'
export type IsoDate = string; // 'YYYY-MM-DD'

export const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const DATE_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Today's date in Almaty for an instant. */
export function almatyDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + ALMATY_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

export function periodOf(date: IsoDate): Period {
  return date.slice(0, 7);
}

export function addMonths(period: Period, months: number): Period {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function daysInPeriod(period: Period): number {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function firstDay(period: Period): IsoDate {
  return `${period}-01`;
}

export function lastDay(period: Period): IsoDate {
  return `${period}-${String(daysInPeriod(period)).padStart(2, '0')}`;
}

export function isValidDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return d.toISOString().slice(0, 10) === date;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** 'dd.MM.yyyy' as operators read dates. */
export function formatDate(date: IsoDate): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}
