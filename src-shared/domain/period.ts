// Billing periods ('YYYY-MM') and dates ('YYYY-MM-DD'), in the utility's zone, Asia/Almaty, by its
// name: the offset comes from the time-zone database (Intl), never a constant. Almaty was UTC+6 until
// 1 March 2024 and UTC+5 since, so a day in 2023 starts at 18:00 UTC, one in 2025 at 19:00 UTC, and
// 29 February 2024 lasted 25 hours. A period boundary is the same instant on every PC, whatever the
// PC's own zone.

export const UTILITY_TIME_ZONE = 'Asia/Almaty';

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: UTILITY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * Wall clocks already read, by the instant's second: Intl's formatToParts costs tens of microseconds,
 * and a document's footer, a CSV's rows or a mailing's letters ask for the same few instants again.
 */
const wallClocks = new Map<number, string>();
const WALL_CLOCKS_LIMIT = 256;

/** The wall clock in Almaty at an instant: 'YYYY-MM-DDTHH:mm:ss'. */
export function almatyWallClock(instant: Date): string {
  const second = Math.floor(instant.getTime() / 1000);
  let wall = wallClocks.get(second);
  if (wall === undefined) {
    const p = Object.fromEntries(parts.formatToParts(instant).map((part) => [part.type, part.value]));
    wall = `${p['year']}-${p['month']}-${p['day']}T${p['hour']}:${p['minute']}:${p['second']}`;
    if (wallClocks.size >= WALL_CLOCKS_LIMIT) wallClocks.clear();
    wallClocks.set(second, wall);
  }
  return wall;
}

/** Almaty's offset from UTC at an instant, in minutes (300 now, 360 before 1 March 2024). */
export function almatyOffsetMinutes(instant: Date): number {
  const wall = Date.parse(`${almatyWallClock(instant)}Z`);
  const whole = Math.floor(instant.getTime() / 1000) * 1000; // the wall clock has no milliseconds
  return Math.round((wall - whole) / 60_000);
}

/** 'YYYY-MM-DD HH:mm' in Almaty (for the footer of a document, a CSV, a log line). */
export function almatyDateTime(instant: Date): string {
  return almatyWallClock(instant).slice(0, 16).replace('T', ' ');
}

/**
 * The instant a date begins in Almaty: the first instant whose Almaty date it is (on a day a change
 * of offset falls, the earlier of the two candidates that is really that date).
 */
export function almatyDayStart(date: IsoDate): Date {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const candidates = [
    almatyOffsetMinutes(new Date(midnight - 12 * 3_600_000)),
    almatyOffsetMinutes(new Date(midnight + 12 * 3_600_000)),
  ]
    .map((offset) => midnight - offset * 60_000)
    .sort((a, b) => a - b);
  const start = candidates.find((at) => almatyDate(new Date(at)) === date) ?? candidates[candidates.length - 1]!;
  return new Date(start);
}

export type Period = string; // 'YYYY-MM'
export type IsoDate = string; // 'YYYY-MM-DD'

export const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const DATE_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Today's date in Almaty for an instant. */
export function almatyDate(instant: Date): IsoDate {
  return almatyWallClock(instant).slice(0, 10);
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
