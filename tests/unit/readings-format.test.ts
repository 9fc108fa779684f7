import { describe, expect, it } from 'vitest';
import {
  formatCubicMetres,
  formatMask,
  formatReading,
  parseReading,
  rolloverLitres,
} from '../../src-shared/readings/format';

const f52 = { intDigits: 5, fracDigits: 2 };

describe('reading format 5+2', () => {
  it.each([
    ['123,45', 123_450],
    ['123.45', 123_450],
    ['123', 123_000],
    ['12345,4', 12_345_400],
    ['00123,45', 123_450],
    [' 99999,99 ', 99_999_990],
    ['0', 0],
    [',5', 500],
    ['123,', 123_000],
    ['123 45', 123_450], // black digits, a gap, red digits: as customers read it out
    ['00123 4', 123_400],
    ['1 234', 1_234_000], // more digits after the gap than the red ones: one number
  ])('zero-fills %s to %i litres', (typed, litres) => {
    expect(parseReading(typed, f52)).toEqual({ ok: true, litres });
  });

  it.each([
    ['12a,45', 'notANumber'],
    ['abc', 'notANumber'],
    ['1,2,3', 'notANumber'],
    [',', 'notANumber'],
    ['123,456', 'tooManyFracDigits'],
    ['123456', 'tooManyIntDigits'],
    ['123456,1', 'tooManyIntDigits'],
    ['-5', 'negative'],
    ['−5', 'negative'],
    ['', 'empty'],
    ['   ', 'empty'],
  ])('refuses %s with the reason %s instead of zeroing it', (typed, error) => {
    expect(parseReading(typed, f52)).toEqual({ ok: false, error });
  });

  it('shows litres the way the meter shows them', () => {
    expect(formatReading(123_450, f52)).toBe('00123,45');
    expect(formatReading(0, f52)).toBe('00000,00');
    expect(formatReading(99_999_990, f52)).toBe('99999,99');
    expect(formatReading(123_456, { intDigits: 5, fracDigits: 3 })).toBe('00123,456');
    expect(formatReading(123_000, { intDigits: 6, fracDigits: 0 })).toBe('000123');
    expect(formatMask(f52)).toBe('00000,00');
  });

  it('round-trips every value it formats', () => {
    for (const litres of [0, 10, 990, 1_000, 54_320, 99_999_990]) {
      expect(parseReading(formatReading(litres, f52), f52)).toEqual({ ok: true, litres });
    }
  });

  it('shows volumes in m³ with three decimals and wraps at 100 000 m³', () => {
    expect(formatCubicMetres(4_560)).toBe('4,560');
    expect(formatCubicMetres(-20)).toBe('−0,020');
    expect(rolloverLitres(f52)).toBe(100_000_000);
  });
});
