// The rules for which month a breakdown and which date range a reconciliation may cover. Each
// broken rule is a field issue with a code the UI translates (`statements.*`), never a PDF of nothing.
import type { FieldIssue } from '../errors';
import { almatyDate, firstDay, isValidDate, periodOf, addMonths, type IsoDate, type Period } from '../domain/period';

/** The longest reconciliation we print: longer ranges are a mistake or a job for the archive. */
export const MAX_RANGE_YEARS = 5;

export interface AccountDates {
  /** the account's opening date */
  openedOn: IsoDate;
  /** the day the account was closed, if it was: nothing after it is printed */
  closedOn?: IsoDate | null;
  /** today in Almaty */
  today: IsoDate;
}

/**
 * The breakdown's default month: the previous one, the last that is fully charged; for an account
 * closed before it, the month it was closed in (its last, the one a breakdown may still be made for).
 */
export function defaultBreakdownPeriod(now: Date, closedOn?: IsoDate | null): Period {
  const previous = addMonths(periodOf(almatyDate(now)), -1);
  return closedOn && periodOf(closedOn) < previous ? periodOf(closedOn) : previous;
}

/**
 * The reconciliation's default range: from the 1st of the month a year before its end to its end,
 * which is today, or the closing day for a closed account (nothing after it may be printed); never
 * before the day the account was opened.
 */
export function defaultReconciliationRange(
  today: IsoDate,
  account: { openedOn?: IsoDate | null; closedOn?: IsoDate | null } = {},
): { from: IsoDate; to: IsoDate } {
  const to = account.closedOn && account.closedOn < today ? account.closedOn : today;
  const yearBefore = firstDay(addMonths(periodOf(to), -12));
  const from =
    account.openedOn && account.openedOn > yearBefore && account.openedOn <= to ? account.openedOn : yearBefore;
  return { from, to };
}

export function checkBreakdownPeriod(period: Period, dates: AccountDates): FieldIssue[] {
  if (period > periodOf(dates.today)) {
    return [{ path: 'period', code: 'statements.periodInFuture', message: `The period ${period} has not begun yet` }];
  }
  if (period < periodOf(dates.openedOn)) {
    return [
      {
        path: 'period',
        code: 'statements.periodBeforeAccountOpened',
        message: `The account was opened on ${dates.openedOn}`,
      },
    ];
  }
  // The month it was closed in is its last: printed, with the closing date on it.
  if (dates.closedOn && period > periodOf(dates.closedOn)) {
    return [
      {
        path: 'period',
        code: 'statements.periodAfterAccountClosed',
        message: `The account was closed on ${dates.closedOn}`,
      },
    ];
  }
  return [];
}

/** The same day `years` later (29 February → 1 March). */
function addYears(date: IsoDate, years: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

export function checkReconciliationRange(from: IsoDate, to: IsoDate, dates: AccountDates): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isValidDate(from))
    issues.push({ path: 'from', code: 'statements.invalidDate', message: `${from} is not a calendar date` });
  if (!isValidDate(to))
    issues.push({ path: 'to', code: 'statements.invalidDate', message: `${to} is not a calendar date` });
  if (issues.length > 0) return issues;
  if (from > to) {
    return [{ path: 'to', code: 'statements.rangeInverted', message: 'The end of the range is before its start' }];
  }
  if (to >= addYears(from, MAX_RANGE_YEARS)) {
    issues.push({
      path: 'to',
      code: 'statements.rangeTooLong',
      message: `A range may cover at most ${MAX_RANGE_YEARS} years`,
    });
  }
  if (from < dates.openedOn) {
    issues.push({
      path: 'from',
      code: 'statements.beforeAccountOpened',
      message: `The account was opened on ${dates.openedOn}`,
    });
  }
  if (from > dates.today)
    issues.push({ path: 'from', code: 'statements.inFuture', message: 'The range starts in the future' });
  else if (to > dates.today)
    issues.push({ path: 'to', code: 'statements.inFuture', message: 'The range ends in the future' });
  // A closed account has nothing after its closing day: a range reaching past it is refused.
  if (dates.closedOn && issues.length === 0) {
    if (from > dates.closedOn)
      issues.push({
        path: 'from',
        code: 'statements.afterAccountClosed',
        message: `The account was closed on ${dates.closedOn}`,
      });
    else if (to > dates.closedOn)
      issues.push({
        path: 'to',
        code: 'statements.afterAccountClosed',
        message: `The account was closed on ${dates.closedOn}`,
      });
  }
  return issues;
}
