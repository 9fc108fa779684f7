// The checks a keyed-in reading goes through before it is saved, shared by the screen (to ask the
// operator at once) and the service (which never trusts the screen). Integer arithmetic only.
import type { IsoDate } from '../domain/period';
import { rolloverLitres, type MeterFormat } from './format';

export const readingKinds = ['normal', 'rollover', 'replacement'] as const;
export type ReadingKind = (typeof readingKinds)[number];

export interface ReadingThresholds {
  highPercent: number;
  lowPercent: number;
  veryHighFactor: number;
}

/** Reasons an operator may pick for each warning; `veryHigh` needs a supervisor's reason. */
export const findingReasons = {
  high: ['guests', 'leak', 'seasonal', 'customerConfirmed'],
  low: ['absence', 'meterFault', 'customerConfirmed'],
  zero: ['absence', 'vacant', 'customerConfirmed'],
  veryHigh: ['leakConfirmed', 'meterCheckOrdered', 'supervisorApproved'],
} as const;
export type ReasonedFinding = keyof typeof findingReasons;
export const reasonCodes = [...new Set(Object.values(findingReasons).flat())] as string[];

export type FindingCode =
  | 'lowerThanPrevious' // refused unless marked rollover / replacement
  | 'rolloverNotLower' // a rollover must be lower than the previous reading
  | 'dateBeforePrevious' // refused
  | 'veryHigh' // refused unless a supervisor reason
  | 'high' // reason required
  | 'low' // reason required
  | 'zero' // reason required
  | 'verificationOverdue'; // accepted; tell the customer to verify the meter

export type Severity = 'error' | 'reason' | 'info';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** For i18n: consumption and expected m³ as litres, percents. */
  params?: Record<string, number | string>;
}

export interface CheckInput {
  format: MeterFormat;
  previous: { litres: number; readOn: IsoDate } | null;
  litres: number;
  readOn: IsoDate;
  kind: ReadingKind;
  /** Expected consumption for one month (average of recent months, or norm × residents); null if unknown. */
  expectedLitres: number | null;
  thresholds: ReadingThresholds;
  verificationOverdue: boolean;
}

export interface CheckResult {
  /** Consumption since the previous reading in litres; null when the reading is refused outright. */
  consumptionLitres: number | null;
  findings: Finding[];
}

/** Consumption since the previous reading; a new meter's first reading counts from its installation reading. */
export function consumptionOf(previous: number | null, current: number, kind: ReadingKind, format: MeterFormat, installLitres = 0): number | null {
  if (kind === 'replacement' || previous === null) return kind === 'replacement' ? Math.max(0, current - installLitres) : null;
  if (kind === 'rollover') return current < previous ? current + rolloverLitres(format) - previous : null;
  return current >= previous ? current - previous : null;
}

export function checkReading(input: CheckInput): CheckResult {
  const findings: Finding[] = [];
  const { previous, litres, kind, expectedLitres, thresholds } = input;
  if (input.verificationOverdue) findings.push({ code: 'verificationOverdue', severity: 'info' });
  if (previous && input.readOn < previous.readOn) {
    findings.push({ code: 'dateBeforePrevious', severity: 'error', params: { previousDate: previous.readOn } });
  }
  if (previous && kind === 'rollover' && litres >= previous.litres) {
    findings.push({ code: 'rolloverNotLower', severity: 'error' });
    return { consumptionLitres: null, findings };
  }
  if (previous && kind === 'normal' && litres < previous.litres) {
    findings.push({ code: 'lowerThanPrevious', severity: 'error', params: { previousLitres: previous.litres } });
    return { consumptionLitres: null, findings };
  }
  const consumption = consumptionOf(previous?.litres ?? null, litres, kind, input.format);
  if (consumption === null) return { consumptionLitres: null, findings };

  if (consumption === 0) {
    findings.push({ code: 'zero', severity: 'reason' });
  } else if (expectedLitres !== null && expectedLitres > 0) {
    const params = { consumptionLitres: consumption, expectedLitres };
    if (consumption > expectedLitres * thresholds.veryHighFactor) {
      findings.push({ code: 'veryHigh', severity: 'reason', params: { ...params, factor: thresholds.veryHighFactor } });
    } else if (consumption * 100 > expectedLitres * (100 + thresholds.highPercent)) {
      findings.push({ code: 'high', severity: 'reason', params: { ...params, percent: thresholds.highPercent } });
    } else if (consumption * 100 < expectedLitres * (100 - thresholds.lowPercent)) {
      findings.push({ code: 'low', severity: 'reason', params: { ...params, percent: thresholds.lowPercent } });
    }
  }
  return { consumptionLitres: consumption, findings };
}

/** Findings that still block saving, given the reasons chosen (finding code → reason code). */
export function unresolvedFindings(findings: Finding[], reasons: Partial<Record<string, string>>): Finding[] {
  return findings.filter((finding) => {
    if (finding.severity === 'error') return true;
    if (finding.severity === 'info') return false;
    const allowed = findingReasons[finding.code as ReasonedFinding] as readonly string[] | undefined;
    const given = reasons[finding.code];
    return !allowed || given === undefined || !allowed.includes(given);
  });
}
