import { describe, expect, it } from 'vitest';
import { iinCheckDigit, isValidIinBin, maskIinBin } from '../../src-shared/domain/iin';
import { chargeTiyn, formatTiyn, parseTenge } from '../../src-shared/domain/money';
import { formatPhone } from '../../src-shared/domain/phone';
import {
  addMonths,
  almatyDate,
  almatyDateTime,
  almatyDayStart,
  almatyOffsetMinutes,
  daysInPeriod,
  formatDate,
  isValidDate,
  lastDay,
} from '../../src-shared/domain/period';

describe('IIN / BIN', () => {
  it('accepts a number whose 12th digit is the check digit', () => {
    const first11 = '85010130012';
    const check = iinCheckDigit(first11);
    expect(check).not.toBeNull();
    expect(isValidIinBin(`${first11}${check}`)).toBe(true);
    expect(isValidIinBin(`${first11}${(check! + 1) % 10}`)).toBe(false);
  });

  it('uses the second weight row when the first gives 10', () => {
    // Weights 1..11 over 0,0,0,0,0,0,0,0,0,1,0 give 10; weights 3..11,1,2 give 1.
    expect(iinCheckDigit('00000000010')).toBe(1);
    expect(isValidIinBin('000000000101')).toBe(true);
  });

  it('refuses anything that is not 12 digits', () => {
    for (const bad of ['', '85010130012', '8501013001234', '85010130012a', ' 850101300123'])
      expect(isValidIinBin(bad)).toBe(false);
  });

  it('masks all but the date part', () => {
    expect(maskIinBin('850101300123')).toBe('850101******');
  });
});

describe('money in tiyn', () => {
  it('formats with thousands groups, a comma and the tenge sign', () => {
    expect(formatTiyn(154867)).toBe('1\u00a0548,67\u00a0₸');
    expect(formatTiyn(154867, { separator: ' ' })).toBe('1 548,67 ₸');
    expect(formatTiyn(0, { currency: false })).toBe('0,00');
    expect(formatTiyn(-5, { separator: ' ' })).toBe('−0,05 ₸');
    expect(formatTiyn(100_000_000_00, { separator: ' ' })).toBe('100 000 000,00 ₸');
  });

  it('refuses a fractional tiyn rather than rounding silently', () => {
    expect(() => formatTiyn(1.5)).toThrow(RangeError);
  });

  it('parses what an operator types', () => {
    expect(parseTenge('1 548,67')).toBe(154867);
    expect(parseTenge('1548.6')).toBe(154860);
    expect(parseTenge('12')).toBe(1200);
    expect(parseTenge('12,345')).toBeNull();
    expect(parseTenge('abc')).toBeNull();
  });

  it('charges volume × tariff with half-up rounding in integers', () => {
    expect(chargeTiyn(12_345, 12_050)).toBe(148_757); // 12.345 m³ × 120.50 ₸ = 1 487.5725 ₸
    expect(chargeTiyn(1_000, 10_001)).toBe(10_001);
    expect(chargeTiyn(1, 500)).toBe(1); // 0.5 tiyn rounds up
    expect(chargeTiyn(1, 499)).toBe(0);
  });
});

describe('periods and dates in Almaty time', () => {
  it("takes the date in UTC+5 since 1 March 2024 and in UTC+6 before, by the zone's name", () => {
    expect(almatyDate(new Date('2026-10-31T19:30:00Z'))).toBe('2026-11-01');
    expect(almatyDate(new Date('2026-10-31T18:59:00Z'))).toBe('2026-10-31');
    // 2023: UTC+6, so 18:30 UTC is already the next day.
    expect(almatyDate(new Date('2023-06-01T18:30:00Z'))).toBe('2023-06-02');
    expect(almatyOffsetMinutes(new Date('2023-12-31T12:00:00Z'))).toBe(360);
    expect(almatyOffsetMinutes(new Date('2024-03-02T12:00:00Z'))).toBe(300);
    expect(almatyDateTime(new Date('2023-12-31T18:00:00Z'))).toBe('2024-01-01 00:00');
    expect(almatyDateTime(new Date('2025-12-31T19:00:00Z'))).toBe('2026-01-01 00:00');
  });

  it('starts each day at its own instant across the change of 1 March 2024 (29 February lasted 25 hours)', () => {
    expect(almatyDayStart('2023-01-15').toISOString()).toBe('2023-01-14T18:00:00.000Z');
    expect(almatyDayStart('2024-02-29').toISOString()).toBe('2024-02-28T18:00:00.000Z');
    expect(almatyDayStart('2024-03-01').toISOString()).toBe('2024-02-29T19:00:00.000Z');
    expect(almatyDayStart('2024-03-02').toISOString()).toBe('2024-03-01T19:00:00.000Z');
    expect(almatyDayStart('2026-12-01').toISOString()).toBe('2026-11-30T19:00:00.000Z');
    // Every instant of a day is that day, the instant before its start the day before.
    for (const date of ['2023-12-31', '2024-02-29', '2024-03-01', '2025-06-30']) {
      const start = almatyDayStart(date).getTime();
      expect(almatyDate(new Date(start)), date).toBe(date);
      expect(almatyDate(new Date(start - 1)), date).not.toBe(date);
    }
    expect((almatyDayStart('2024-03-01').getTime() - almatyDayStart('2024-02-29').getTime()) / 3_600_000).toBe(25);
  });

  it('does not depend on the zone of the PC it runs on', () => {
    const before = process.env['TZ'];
    try {
      for (const zone of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
        process.env['TZ'] = zone;
        expect(almatyDate(new Date('2024-02-29T18:30:00Z')), zone).toBe('2024-02-29');
        expect(almatyDayStart('2023-03-01').toISOString(), zone).toBe('2023-02-28T18:00:00.000Z');
      }
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it('steps months across years and knows month lengths', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 13)).toBe('2027-01');
    expect(daysInPeriod('2024-02')).toBe(29);
    expect(lastDay('2026-02')).toBe('2026-02-28');
  });

  it('validates and formats dates as dd.MM.yyyy', () => {
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(formatDate('2026-11-05')).toBe('05.11.2026');
  });
});

describe('phones', () => {
  it('show as +7 701 123 45 67; anything else as stored', () => {
    expect(formatPhone('77011234567')).toBe('+7 701 123 45 67');
    expect(formatPhone('123')).toBe('123');
  });
});
