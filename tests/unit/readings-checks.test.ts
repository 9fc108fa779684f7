import { describe, expect, it } from 'vitest';
import { checkReading, unresolvedFindings, type CheckInput } from '../../src-shared/readings/checks';

const base: CheckInput = {
  format: { intDigits: 5, fracDigits: 2 },
  previous: { litres: 100_000, readOn: '2026-10-20' },
  litres: 110_000,
  readOn: '2026-11-20',
  kind: 'normal',
  expectedLitres: 10_000,
  thresholds: { highPercent: 70, lowPercent: 40, veryHighFactor: 5 },
  verificationOverdue: false,
};
const codes = (input: Partial<CheckInput>) =>
  checkReading({ ...base, ...input }).findings.map((f) => `${f.severity}:${f.code}`);

describe('reading checks', () => {
  it('accepts an ordinary reading and computes consumption', () => {
    expect(checkReading(base)).toEqual({ consumptionLitres: 10_000, findings: [] });
  });

  it('refuses a reading lower than the previous one unless it is a rollover or a replacement', () => {
    expect(codes({ litres: 99_990 })).toEqual(['error:lowerThanPrevious']);
    expect(checkReading({ ...base, litres: 99_990 }).consumptionLitres).toBeNull();
  });

  it('counts consumption across a rollover past 99999,99', () => {
    const result = checkReading({
      ...base,
      previous: { litres: 99_995_000, readOn: '2026-10-20' },
      litres: 5_000,
      kind: 'rollover',
    });
    expect(result.consumptionLitres).toBe(10_000); // 5 m³ to the wrap + 5 m³ after it
    expect(result.findings).toEqual([]);
  });

  it('refuses a "rollover" that is not lower than the previous reading', () => {
    expect(codes({ kind: 'rollover', litres: 110_000 })).toEqual(['error:rolloverNotLower']);
  });

  it('takes a replaced meter from zero', () => {
    expect(checkReading({ ...base, kind: 'replacement', litres: 8_000 }).consumptionLitres).toBe(8_000);
  });

  it('refuses a date before the previous reading', () => {
    expect(codes({ readOn: '2026-10-19' })).toContain('error:dateBeforePrevious');
    expect(codes({ readOn: '2026-10-20' })).not.toContain('error:dateBeforePrevious');
  });

  it('asks a reason above +70 % and below −40 % of the expected consumption, boundaries included as allowed', () => {
    expect(codes({ litres: 100_000 + 17_000 })).toEqual([]); // exactly +70 %
    expect(codes({ litres: 100_000 + 17_010 })).toEqual(['reason:high']);
    expect(codes({ litres: 100_000 + 6_000 })).toEqual([]); // exactly −40 %
    expect(codes({ litres: 100_000 + 5_990 })).toEqual(['reason:low']);
  });

  it('needs a supervisor reason above 5× the expected consumption', () => {
    expect(codes({ litres: 100_000 + 50_000 })).toEqual(['reason:high']);
    expect(codes({ litres: 100_000 + 50_010 })).toEqual(['reason:veryHigh']);
  });

  it('flags zero consumption', () => {
    expect(codes({ litres: 100_000 })).toEqual(['reason:zero']);
  });

  it('warns, without refusing, when the meter is overdue for verification', () => {
    const result = checkReading({ ...base, verificationOverdue: true });
    expect(result.findings).toEqual([{ code: 'verificationOverdue', severity: 'info' }]);
    expect(unresolvedFindings(result.findings, {})).toEqual([]);
  });

  it("lets a reason from the finding's own list resolve it, and only that", () => {
    const { findings } = checkReading({ ...base, litres: 130_000 });
    expect(unresolvedFindings(findings, {})).toHaveLength(1);
    expect(unresolvedFindings(findings, { high: 'absence' })).toHaveLength(1);
    expect(unresolvedFindings(findings, { high: 'guests' })).toHaveLength(0);
    const veryHigh = checkReading({ ...base, litres: 200_000 }).findings;
    expect(unresolvedFindings(veryHigh, { veryHigh: 'guests' })).toHaveLength(1);
    expect(unresolvedFindings(veryHigh, { veryHigh: 'supervisorApproved' })).toHaveLength(0);
  });

  it('has nothing to compare against for a first reading', () => {
    expect(checkReading({ ...base, previous: null, expectedLitres: null })).toEqual({
      consumptionLitres: null,
      findings: [],
    });
  });
});
