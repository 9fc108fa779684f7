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

/** Reasons an operator may pick for each warning. */
export const findingReasons = {
  high: ['guests', 'leak', 'seasonal', 'customerConfirmed'],
  low: ['absence', 'meterFault', 'customerConfirmed'],
  zero: ['absence', 'vacant', 'customerConfirmed'],
  veryHigh: ['leakConfirmed', 'meterCheckOrdered', 'supervisorApproved'],
  replacementLower: ['meterReplaced', 'supervisorApproved'],
} as const;
export type ReasonedFinding = keyof typeof findingReasons;
export const reasonCodes = [...new Set(Object.values(findingReasons).flat())] as string[];

/**
 * Findings only a supervisor may accept («очень большой расход», a lower reading marked as a meter
 * replacement). Entered by another role, such a reading is saved **held for a supervisor**: it syncs
 * and shows as held, and is not used for billing until a supervisor releases, corrects or refuses it
 * (SAP IS-U's «implausible», Oracle CC&B's «use on bill = N»).
 */
export const supervisorFindings: readonly ReasonedFinding[] = ['veryHigh', 'replacementLower'];
/** Reasons that are a supervisor's decision, never another role's. */
export const supervisorReasons: readonly string[] = ['supervisorApproved'];
export const isSupervisorFinding = (code: string): boolean => (supervisorFindings as readonly string[]).includes(code);

export type FindingCode =
  | 'lowerThanPrevious' // refused unless marked rollover / replacement
  | 'rolloverNotLower' // a rollover must be lower than the previous reading
  | 'dateBeforePrevious' // refused
  | 'veryHigh' // a supervisor's reason, else held for one
  | 'replacementLower' // a lower reading marked as a replacement: a supervisor's reason, else held
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
export function consumptionOf(
  previous: number | null,
  current: number,
  kind: ReadingKind,
  format: MeterFormat,
  installLitres = 0,
): number | null {
  if (kind === 'replacement' || previous === null)
    return kind === 'replacement' ? Math.max(0, current - installLitres) : null;
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
  if (previous && kind === 'replacement' && litres < previous.litres) {
    findings.push({ code: 'replacementLower', severity: 'reason', params: { previousLitres: previous.litres } });
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

/**
 * Findings that still block saving, given the reasons chosen (finding code → reason code) and whether
 * the operator is a supervisor. For another role a supervisor's finding does not block (the reading
 * is held instead), but a supervisor's own reason given by them does.
 */
export function unresolvedFindings(
  findings: Finding[],
  reasons: Partial<Record<string, string>>,
  supervisor = true,
): Finding[] {
  return findings.filter((finding) => {
    if (finding.severity === 'error') return true;
    if (finding.severity === 'info') return false;
    const allowed = findingReasons[finding.code as ReasonedFinding] as readonly string[] | undefined;
    const given = reasons[finding.code];
    if (!supervisor && isSupervisorFinding(finding.code))
      return given !== undefined && (supervisorReasons.includes(given) || !allowed?.includes(given));
    return !allowed || given === undefined || !allowed.includes(given);
  });
}

/** Whether a reading with these findings is held for a supervisor when entered by this operator. */
export function heldForSupervisor(findings: Finding[], supervisor: boolean): boolean {
  return !supervisor && findings.some((f) => isSupervisorFinding(f.code));
}

/** The roles that decide a supervisor's findings. */
export const isSupervisorRole = (role: string | null | undefined): boolean => role === 'supervisor' || role === 'admin';
